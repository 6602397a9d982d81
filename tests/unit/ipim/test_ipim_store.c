/* test_ipim_store.c: the storage of IPIM (src/ipim/store.c,
 * practice_store.c): meetings newest first, agenda items in order with
 * their links to recommendations and policy items, decisions, practices;
 * a link to no such recommendation or policy item, a practice of no
 * department and every rule refused write no row and no audit entry; the
 * search takes '%' and '_' literally, filters by theme, department and the
 * visible departments, and pages by 50. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "ipim/ipim.h"
#include "orgs/orgs.h"
#include "recs/policy.h"
#include "recs/recs.h"

#define TODAY "2025-07-01"

struct fx {
	struct testfx t;
	int64_t fin, bzk, rijk;
	struct arena a;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	const struct fixture_dept depts[] = {{"FIN", &f.fin}, {"BZK", &f.bzk}, {NULL, NULL}};
	fixture_open(&f.t, &f.rijk, depts);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_free(&f->a);
	testfx_close(&f->t);
	return 0;
}

static int64_t q(struct fx *f, const char *sql)
{
	return testdb_i64(f->t.db, sql);
}

static int64_t written(struct fx *f)
{
	return q(f, "SELECT (SELECT count(*) FROM ipim_meeting) + (SELECT count(*) FROM ipim_item)"
		    " + (SELECT count(*) FROM ipim_item_rec) + (SELECT count(*) FROM ipim_item_policy)"
		    " + (SELECT count(*) FROM ipim_decision) + (SELECT count(*) FROM ipim_practice)"
		    " + (SELECT count(*) FROM audit_log WHERE action LIKE 'ipim.%')"
		    " + (SELECT total(length(title) + length(note)) FROM ipim_item)");
}

static void test_meetings(void **state)
{
	struct fx *f = *state;
	struct ipim_error e;
	/* a recommendation and a policy item to link */
	struct recs_error re;
	struct recs_source s = {0};
	strcpy(s.kind, "court_of_audit");
	strcpy(s.title, "Integriteit als basis");
	strcpy(s.issued_on, "2024-09-25");
	assert_int_equal(recs_source_save(f->t.db, &f->t.signer, 7, &s, TODAY, &re), 0);
	struct recs_rec r = {0};
	r.source_id = s.id;
	strcpy(r.number, "1");
	strcpy(r.text, "Zorg voor zicht");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &r, RECS_PART_ALL, TODAY, &re), 0);
	struct policy_item pi = {0};
	strcpy(pi.title, "Toetsingskader");
	strcpy(pi.kind, "framework");
	assert_int_equal(policy_item_save(f->t.db, &f->t.signer, 7, &pi, TODAY, &re), 0);

	struct ipim_meeting m1 = {0}, m2 = {0};
	strcpy(m1.held_on, "2025-03-01");
	strcpy(m1.title, "IPIM maart");
	strcpy(m1.place, "online");
	strcpy(m2.held_on, "2025-06-01");
	strcpy(m2.title, "IPIM juni");
	strcpy(m2.place, "Den Haag");
	assert_int_equal(ipim_meeting_save(f->t.db, &f->t.signer, 7, &m1, TODAY, &e), 0);
	assert_int_equal(ipim_meeting_save(f->t.db, &f->t.signer, 7, &m2, TODAY, &e), 0);
	struct ipim_meeting *list;
	size_t n;
	assert_int_equal(ipim_meeting_list(f->t.db, &f->a, &list, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].title, "IPIM juni");
	strcpy(m1.minutes, "Besproken: de opvolging.");
	assert_int_equal(ipim_meeting_save(f->t.db, &f->t.signer, 7, &m1, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'ipim.meeting.update'"), 1);
	struct ipim_meeting none = m1;
	none.id = 999;
	assert_int_equal(ipim_meeting_save(f->t.db, &f->t.signer, 7, &none, TODAY, &e), -1);
	assert_int_equal(e.code, IPIM_ENOTFOUND);

	/* items in order, with links */
	struct ipim_item a = {0}, b = {0};
	a.meeting_id = b.meeting_id = m1.id;
	strcpy(a.title, "Opvolging Rekenkamer");
	a.nrecs = 1;
	a.recs[0].id = r.id;
	a.npolicies = 1;
	a.policies[0].id = pi.id;
	strcpy(b.title, "Rondvraag");
	assert_int_equal(ipim_item_save(f->t.db, &f->t.signer, 7, &a, &e), 0);
	assert_int_equal(ipim_item_save(f->t.db, &f->t.signer, 7, &b, &e), 0);
	assert_int_equal(a.pos, 1);
	assert_int_equal(b.pos, 2);
	struct ipim_item *items;
	assert_int_equal(ipim_item_list(f->t.db, &f->a, m1.id, &items, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].title, "Opvolging Rekenkamer");
	assert_int_equal(items[0].nrecs, 1);
	assert_string_equal(items[0].recs[0].label, "Integriteit als basis \xc2\xb7 1");
	assert_string_equal(items[0].policies[0].label, "Toetsingskader");

	/* a link to nothing: refused, nothing written, the stored item kept */
	int64_t before = written(f);
	struct ipim_item bad = a;
	strcpy(bad.title, "Veranderd");
	bad.recs[0].id = r.id + 100;
	assert_int_equal(ipim_item_save(f->t.db, &f->t.signer, 7, &bad, &e), -1);
	assert_int_equal(e.code, IPIM_EINVALID);
	assert_string_equal(e.msgid, "There is no such recommendation: choose from the list.");
	bad = b;
	bad.id = 0;
	bad.npolicies = 1;
	bad.policies[0].id = pi.id + 100;
	assert_int_equal(ipim_item_save(f->t.db, &f->t.signer, 7, &bad, &e), -1);
	assert_int_equal(e.code, IPIM_EINVALID);
	assert_int_equal(written(f), before);
	struct ipim_item got;
	assert_int_equal(ipim_item_get(f->t.db, a.id, &got, &e), 0);
	assert_string_equal(got.title, "Opvolging Rekenkamer");
	assert_int_equal(got.nrecs, 1);
	/* unlinking */
	got.nrecs = 0;
	assert_int_equal(ipim_item_save(f->t.db, &f->t.signer, 7, &got, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM ipim_item_rec"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM ipim_item_policy"), 1);

	/* decisions */
	struct ipim_decision d = {0};
	d.item_id = a.id;
	strcpy(d.text, "BZK herziet de handreiking.");
	strcpy(d.owner, "BZK");
	strcpy(d.due_on, "2025-12-01");
	assert_int_equal(ipim_decision_save(f->t.db, &f->t.signer, 7, &d, &e), 0);
	d.status = IPIM_DONE;
	assert_int_equal(ipim_decision_save(f->t.db, &f->t.signer, 7, &d, &e), 0);
	struct ipim_decision *ds;
	assert_int_equal(ipim_decision_list(f->t.db, &f->a, a.id, &ds, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ds[0].status, IPIM_DONE);
	before = written(f);
	strcpy(d.owner, "jan@bzk.nl");
	assert_int_equal(ipim_decision_save(f->t.db, &f->t.signer, 7, &d, &e), -1);
	assert_int_equal(e.code, IPIM_EINVALID);
	struct ipim_decision orphan = {0};
	orphan.item_id = 9999;
	strcpy(orphan.text, "x");
	strcpy(orphan.owner, "FIN");
	assert_int_equal(ipim_decision_save(f->t.db, &f->t.signer, 7, &orphan, &e), -1);
	assert_int_equal(e.code, IPIM_ENOTFOUND);
	assert_int_equal(written(f), before);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action LIKE 'ipim.decision.%'"), 2);
}

static struct ipim_practice practice(int64_t org, const char *theme, const char *title,
				     const char *desc)
{
	struct ipim_practice p = {0};
	p.org_id = org;
	snprintf(p.theme, sizeof p.theme, "%s", theme);
	snprintf(p.title, sizeof p.title, "%s", title);
	snprintf(p.description, sizeof p.description, "%s", desc);
	strcpy(p.contact, "Integriteitscoördinator");
	strcpy(p.practised_on, "2024-05-01");
	return p;
}

static size_t search(struct fx *f, const char *qs, const char *theme, int64_t org, int page,
		     int64_t *total, struct ipim_practice **rows)
{
	struct ipim_error e;
	int64_t vis[2] = {f->fin, f->bzk};
	struct ipim_search s = {qs, theme, org, vis, 2, page};
	size_t n = 0;
	if (ipim_practice_search(f->t.db, &f->a, &s, rows, &n, total, &e) != 0)
		fail_msg("search: %d %s", e.code, e.detail);
	return n;
}

static void test_practices(void **state)
{
	struct fx *f = *state;
	struct ipim_error e;
	struct ipim_practice *rows;
	int64_t total;
	struct ipim_practice p = practice(f->fin, "interests", "Nevenwerkzaamheden",
					  "Een register met 100% dekking");
	assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), 0);
	p = practice(f->bzk, "information", "Dilemmatraining", "Elk team, elk jaar; 1000 deelnemers");
	assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), 0);
	p = practice(f->bzk, "prevention", "Meldpunt_intern", "Laagdrempelig melden");
	assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), 0);
	/* the government is no department; a contact that is a person */
	int64_t before = written(f);
	p = practice(f->rijk, "prevention", "X", "Y");
	assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), -1);
	assert_int_equal(e.code, IPIM_EINVALID);
	p = practice(f->fin, "prevention", "X", "Y");
	strcpy(p.contact, "Bel 06-12345678");
	assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), -1);
	assert_int_equal(written(f), before);

	assert_int_equal(search(f, "", "", 0, 0, &total, &rows), 3);
	assert_int_equal(search(f, "dilemma", "", 0, 0, &total, &rows), 1);
	assert_string_equal(rows[0].org_code, "BZK");
	assert_int_equal(search(f, "", "prevention", 0, 0, &total, &rows), 1);
	assert_int_equal(search(f, "", "", f->fin, 0, &total, &rows), 1);
	/* '%' and '_' literally */
	assert_int_equal(search(f, "100%", "", 0, 0, &total, &rows), 1);
	assert_int_equal(search(f, "%", "", 0, 0, &total, &rows), 1);
	assert_int_equal(search(f, "_", "", 0, 0, &total, &rows), 1);
	assert_string_equal(rows[0].title, "Meldpunt_intern");
	assert_int_equal(search(f, "10_0", "", 0, 0, &total, &rows), 0);
	/* only the visible departments */
	struct ipim_search s = {"", "", 0, &f->fin, 1, 0};
	size_t n;
	assert_int_equal(ipim_practice_search(f->t.db, &f->a, &s, &rows, &n, &total, &e), 0);
	assert_int_equal(n, 1);
	s.nvisible = 0;
	assert_int_equal(ipim_practice_search(f->t.db, &f->a, &s, &rows, &n, &total, &e), 0);
	assert_int_equal(n, 0);
	/* a query over 200 bytes */
	char longq[IPIM_QUERY_MAX + 2];
	memset(longq, 'a', sizeof longq - 1);
	longq[sizeof longq - 1] = '\0';
	s.q = longq;
	assert_int_equal(ipim_practice_search(f->t.db, &f->a, &s, &rows, &n, &total, &e), -1);
	assert_int_equal(e.code, IPIM_EINVALID);
	/* pages of 50 */
	for (int i = 0; i < 60; i++) {
		char t[40];
		snprintf(t, sizeof t, "Praktijk %d", i);
		p = practice(f->fin, "values", t, "Reeks");
		assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), 0);
	}
	assert_int_equal(search(f, "reeks", "", 0, 0, &total, &rows), IPIM_PAGE);
	assert_int_equal(total, 60);
	assert_int_equal(search(f, "reeks", "", 0, 1, &total, &rows), 10);
	/* an update; another id */
	struct ipim_practice got;
	assert_int_equal(ipim_practice_get(f->t.db, rows[0].id, &got, &e), 0);
	strcpy(got.title, "Nieuwe titel");
	assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &got, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'ipim.practice.update'"), 1);
	got.id = 99999;
	assert_int_equal(ipim_practice_save(f->t.db, &f->t.signer, 7, &got, TODAY, &e), -1);
	assert_int_equal(e.code, IPIM_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_meetings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_practices, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
