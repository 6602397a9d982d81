/* test_recs_store.c: the storage of the recommendations tracker and the
 * policy cycle (src/recs/store.c, store_notes.c, policy_store.c): sources,
 * recommendations (addressees, policy links, response and status saved as
 * parts, each with its own audit action), the number once per source,
 * progress notes with links newest first and the latest per
 * recommendation, policy items and adoptions; every refusal (the rules, no
 * such source or department, a duplicate number, an assessment of no
 * department) writes no row and no audit entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
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

/* Every row the tracker keeps and its audit entries, as one number. */
static int64_t written(struct fx *f)
{
	return q(f, "SELECT (SELECT count(*) FROM rec_source) + (SELECT count(*) FROM recommendation)"
		    " + (SELECT count(*) FROM rec_addressee) + (SELECT count(*) FROM rec_note)"
		    " + (SELECT count(*) FROM rec_note_link) + (SELECT count(*) FROM rec_policy)"
		    " + (SELECT count(*) FROM policy_item) + (SELECT count(*) FROM policy_adoption)"
		    " + (SELECT count(*) FROM audit_log WHERE action LIKE 'recs.%')"
		    " + (SELECT total(length(text) + length(response) + length(status)) FROM recommendation)");
}

static struct recs_source source(const char *kind, const char *title, const char *on)
{
	struct recs_source s = {0};
	snprintf(s.kind, sizeof s.kind, "%s", kind);
	snprintf(s.title, sizeof s.title, "%s", title);
	snprintf(s.issued_on, sizeof s.issued_on, "%s", on);
	return s;
}

static struct recs_rec rec(int64_t source_id, const char *number)
{
	struct recs_rec r = {0};
	r.source_id = source_id;
	snprintf(r.number, sizeof r.number, "%s", number);
	snprintf(r.text, sizeof r.text, "Aanbeveling %s", number);
	return r;
}

static void test_sources_and_recs(void **state)
{
	struct fx *f = *state;
	struct recs_error e;
	struct recs_source s = source("court_of_audit", "Integriteit als basis", "2024-09-25");
	strcpy(s.link, "https://www.rekenkamer.nl/integriteit-als-basis");
	if (recs_source_save(f->t.db, &f->t.signer, 7, &s, TODAY, &e) != 0) {
		fail_msg("source: %d %s %s", e.code, e.msgid ? e.msgid : "", e.detail);
		return;
	}
	assert_true(s.id > 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'recs.source.add'"), 1);
	struct recs_source g = source("greco", "GRECO vijfde evaluatieronde", "2019-03-22");
	strcpy(g.round, "Fifth evaluation round");
	assert_int_equal(recs_source_save(f->t.db, &f->t.signer, 7, &g, TODAY, &e), 0);

	/* a policy item to link */
	struct policy_item p = {0};
	strcpy(p.title, "Toetsingskader integriteit");
	strcpy(p.kind, "framework");
	p.stage = POLICY_DEVELOPMENT;
	assert_int_equal(policy_item_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), 0);

	/* recommendations: addressed to FIN and BZK, one government-wide */
	struct recs_rec r1 = rec(s.id, "2");
	r1.naddressees = 2;
	r1.addressees[0].id = f->fin;
	r1.addressees[1].id = f->bzk;
	r1.npolicies = 1;
	r1.policies[0].id = p.id;
	strcpy(r1.report_due, "2025-01-01");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &r1, RECS_PART_ALL, TODAY, &e), 0);
	assert_string_equal(r1.addressees[0].code, "FIN");
	assert_string_equal(r1.policies[0].title, "Toetsingskader integriteit");
	struct recs_rec r2 = rec(s.id, "10");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &r2, RECS_PART_ALL, TODAY, &e), 0);
	struct recs_rec r3 = rec(s.id, "1");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &r3, RECS_PART_ALL, TODAY, &e), 0);
	struct recs_rec rg = rec(g.id, "i");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &rg, RECS_PART_ALL, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'recs.rec.add'"), 4);

	/* the list: newest source first, numbers as people read them */
	struct recs_rec *list;
	size_t n;
	assert_int_equal(recs_rec_list(f->t.db, &f->a, 0, &list, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_string_equal(list[0].number, "1");
	assert_string_equal(list[1].number, "2");
	assert_string_equal(list[2].number, "10");
	assert_string_equal(list[3].number, "i");
	assert_int_equal(list[1].naddressees, 2);
	assert_string_equal(list[1].addressees[1].code, "FIN");
	assert_string_equal(list[1].addressees[0].code, "BZK");
	assert_int_equal(recs_rec_list(f->t.db, &f->a, g.id, &list, &n, &e), 0);
	assert_int_equal(n, 1);

	/* the response, then the status: each changes only its part */
	struct recs_rec in = {0};
	in.id = r1.id;
	strcpy(in.response, "Het kabinet neemt de aanbeveling over.");
	strcpy(in.response_on, "2024-09-25");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 8, &in, RECS_PART_RESPONSE, TODAY, &e), 0);
	assert_string_equal(in.text, "Aanbeveling 2");
	assert_int_equal(in.naddressees, 2);
	assert_int_equal(in.npolicies, 1);
	memset(&in, 0, sizeof in);
	in.id = r1.id;
	in.status = RECS_STATUS_PARTLY;
	strcpy(in.status_on, "2025-06-01");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 8, &in, RECS_PART_STATUS, TODAY, &e), 0);
	struct recs_rec got;
	assert_int_equal(recs_rec_get(f->t.db, r1.id, &got, &e), 0);
	assert_int_equal(got.status, RECS_STATUS_PARTLY);
	assert_string_equal(got.response, "Het kabinet neemt de aanbeveling over.");
	assert_int_equal(got.naddressees, 2);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'recs.response' AND actor = 'user:8'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'recs.status' AND detail = 'status=partly'"), 1);

	/* the main part: addressees replaced, policy links dropped */
	got.naddressees = 1;
	got.addressees[0].id = f->bzk;
	got.npolicies = 0;
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &got, RECS_PART_MAIN, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM rec_addressee"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM rec_policy"), 0);
	assert_int_equal(got.status, RECS_STATUS_PARTLY);

	/* refusals write nothing */
	int64_t before = written(f);
	struct recs_rec dup = rec(s.id, "10");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &dup, RECS_PART_ALL, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ECONFLICT);
	dup = rec(g.id, "10");          /* the same number in another source is fine later */
	struct recs_rec bad = rec(999, "1");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &bad, RECS_PART_ALL, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ENOTFOUND);
	bad = rec(s.id, "11");
	bad.naddressees = 1;
	bad.addressees[0].id = f->rijk;  /* a government, not a department */
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &bad, RECS_PART_ALL, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	bad = rec(s.id, "11");
	bad.npolicies = 1;
	bad.policies[0].id = 4242;
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &bad, RECS_PART_ALL, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	bad = rec(s.id, "11");
	bad.status = RECS_STATUS_NOT;   /* no date */
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &bad, RECS_PART_ALL, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	memset(&in, 0, sizeof in);
	in.id = r2.id;
	strcpy(in.number, "1");          /* r3's number */
	strcpy(in.text, "x");
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &in, RECS_PART_MAIN, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ECONFLICT);
	in.id = 5555;
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &in, RECS_PART_STATUS, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ENOTFOUND);
	struct recs_source bs = source("court_of_audit", "", "2024-01-01");
	assert_int_equal(recs_source_save(f->t.db, &f->t.signer, 7, &bs, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	bs = source("court_of_audit", "x", "2024-01-01");
	bs.id = 999;
	assert_int_equal(recs_source_save(f->t.db, &f->t.signer, 7, &bs, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ENOTFOUND);
	assert_int_equal(written(f), before);
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &dup, RECS_PART_ALL, TODAY, &e), 0);
}

static void test_notes(void **state)
{
	struct fx *f = *state;
	struct recs_error e;
	int64_t rid = q(f, "SELECT id FROM recommendation WHERE number = '2'");
	int64_t other = q(f, "SELECT id FROM recommendation WHERE number = '1'");
	struct recs_note n = {0};
	n.rec_id = rid;
	n.org_id = f->fin;
	strcpy(n.noted_on, "2025-02-01");
	strcpy(n.text, "FIN heeft een integriteitscoordinator aangesteld.");
	strcpy(n.links[0], "https://www.rijksoverheid.nl/a");
	strcpy(n.links[1], "https://www.rijksoverheid.nl/b");
	n.nlinks = 2;
	assert_int_equal(recs_note_add(f->t.db, &f->t.signer, 7, &n, TODAY, &e), 0);
	struct recs_note m = {0};
	m.rec_id = rid;
	strcpy(m.noted_on, "2025-05-01");
	strcpy(m.text, "Rijksbreed: het kader is vastgesteld.");
	assert_int_equal(recs_note_add(f->t.db, &f->t.signer, 7, &m, TODAY, &e), 0);
	struct recs_note o = {0};
	o.rec_id = other;
	strcpy(o.noted_on, "2024-12-01");
	strcpy(o.text, "Begonnen.");
	assert_int_equal(recs_note_add(f->t.db, &f->t.signer, 7, &o, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'recs.note.add'"), 3);

	struct recs_note *list;
	size_t k;
	assert_int_equal(recs_note_list(f->t.db, &f->a, rid, &list, &k, &e), 0);
	assert_int_equal(k, 2);
	assert_string_equal(list[0].noted_on, "2025-05-01");
	assert_int_equal(list[0].org_id, 0);
	assert_string_equal(list[1].org_code, "FIN");
	assert_int_equal(list[1].nlinks, 2);
	assert_string_equal(list[1].links[1], "https://www.rijksoverheid.nl/b");
	assert_int_equal(recs_note_latest(f->t.db, &f->a, &list, &k, &e), 0);
	assert_int_equal(k, 2);
	for (size_t i = 0; i < k; i++)
		assert_string_equal(list[i].noted_on, list[i].rec_id == rid ? "2025-05-01" : "2024-12-01");

	int64_t before = written(f);
	struct recs_note bad = m;
	bad.rec_id = 4040;
	assert_int_equal(recs_note_add(f->t.db, &f->t.signer, 7, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ENOTFOUND);
	bad = m;
	bad.org_id = f->rijk;
	assert_int_equal(recs_note_add(f->t.db, &f->t.signer, 7, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	bad = m;
	strcpy(bad.links[0], "http://insecure.example/");
	bad.nlinks = 1;
	assert_int_equal(recs_note_add(f->t.db, &f->t.signer, 7, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	assert_int_equal(written(f), before);
}

static void test_policy(void **state)
{
	struct fx *f = *state;
	struct recs_error e;
	struct policy_item p = {0};
	strcpy(p.title, "Onderzoeksprotocol integriteitsschendingen");
	strcpy(p.kind, "protocol");
	strcpy(p.version, "2024");
	p.stage = POLICY_ADOPTED;
	strcpy(p.stage_on[POLICY_ADOPTED], "2024-06-01");
	assert_int_equal(policy_item_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), 0);
	p.stage = POLICY_IMPLEMENTED;
	strcpy(p.stage_on[POLICY_IMPLEMENTED], "2025-01-01");
	assert_int_equal(policy_item_save(f->t.db, &f->t.signer, 7, &p, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'recs.policy.update' AND detail = 'stage=implemented'"), 1);

	struct policy_adoption a = {0};
	a.policy_id = p.id;
	a.org_id = f->fin;
	strcpy(a.adopted_on, "2024-07-01");
	strcpy(a.translation, "Opgenomen in het FIN-protocol.");
	assert_int_equal(policy_adoption_save(f->t.db, &f->t.signer, 9, &a, TODAY, &e), 0);
	strcpy(a.translation, "Opgenomen in het FIN-protocol, versie 2.");
	assert_int_equal(policy_adoption_save(f->t.db, &f->t.signer, 9, &a, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM policy_adoption"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'recs.adoption' AND actor = 'user:9'"), 2);
	struct policy_adoption got;
	assert_int_equal(policy_adoption_get(f->t.db, p.id, f->fin, &got, &e), 0);
	assert_string_equal(got.translation, "Opgenomen in het FIN-protocol, versie 2.");
	assert_string_equal(got.org_code, "FIN");
	assert_int_equal(policy_adoption_get(f->t.db, p.id, f->bzk, &got, &e), -1);
	assert_int_equal(e.code, RECS_ENOTFOUND);
	assert_int_equal(got.org_id, f->bzk);

	int64_t before = written(f);
	struct policy_adoption bad = a;
	bad.org_id = f->rijk;
	assert_int_equal(policy_adoption_save(f->t.db, &f->t.signer, 9, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ENOTFOUND);
	bad = a;
	bad.policy_id = 999;
	assert_int_equal(policy_adoption_save(f->t.db, &f->t.signer, 9, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_ENOTFOUND);
	bad = a;
	strcpy(bad.evaluated_on, "2025-05-01");
	bad.assessment_id = 77;          /* no such self-assessment of FIN */
	assert_int_equal(policy_adoption_save(f->t.db, &f->t.signer, 9, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	bad = a;
	bad.adopted_on[0] = 0;
	assert_int_equal(policy_adoption_save(f->t.db, &f->t.signer, 9, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	struct policy_item bp = p;
	bp.stage_on[POLICY_IMPLEMENTED][0] = 0;
	assert_int_equal(policy_item_save(f->t.db, &f->t.signer, 7, &bp, TODAY, &e), -1);
	assert_int_equal(e.code, RECS_EINVALID);
	assert_int_equal(written(f), before);

	struct policy_adoption *list;
	size_t n;
	assert_int_equal(policy_adoption_list(f->t.db, &f->a, p.id, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	struct policy_item *items;
	assert_int_equal(policy_item_list(f->t.db, &f->a, &items, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].title, "Onderzoeksprotocol integriteitsschendingen");
	/* the recommendations a policy item answers */
	int64_t rid = q(f, "SELECT id FROM recommendation WHERE number = '10' AND source_id = "
			   "(SELECT id FROM rec_source WHERE kind = 'court_of_audit')");
	struct recs_rec r;
	assert_int_equal(recs_rec_get(f->t.db, rid, &r, &e), 0);
	r.npolicies = 1;
	r.policies[0].id = p.id;
	assert_int_equal(recs_rec_save(f->t.db, &f->t.signer, 7, &r, RECS_PART_MAIN, TODAY, &e), 0);
	struct recs_policy_ref *refs;
	assert_int_equal(policy_recs(f->t.db, &f->a, p.id, &refs, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(refs[0].id, rid);
	assert_string_equal(refs[0].title, "Integriteit als basis, 10");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sources_and_recs),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_policy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
