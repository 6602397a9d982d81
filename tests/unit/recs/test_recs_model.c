/* test_recs_model.c: the pure rules of the recommendations tracker and the
 * policy cycle (src/recs/model.c, policy_model.c): GRECO's status scale
 * both ways, the kinds, links, each rule of a source, a recommendation, a
 * progress note, a policy item and an adoption, overdue and the tally's
 * arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "recs/policy.h"
#include "recs/recs.h"

#define TODAY "2025-07-01"

static void test_status_scale(void **state)
{
	(void)state;
	static const char *const ids[] = {"none", "implemented", "partly", "not_implemented"};
	for (int s = 0; s < RECS_NSTATUS; s++) {
		int back = -1;
		assert_string_equal(recs_status_id(s), ids[s]);
		assert_int_equal(recs_status_parse(ids[s], &back), 0);
		assert_int_equal(back, s);
		assert_true(strlen(recs_status_label(s)) > 0);
	}
	assert_string_equal(recs_status_label(RECS_STATUS_IMPLEMENTED), "implemented satisfactorily");
	assert_string_equal(recs_status_label(RECS_STATUS_PARTLY), "partly implemented");
	assert_string_equal(recs_status_label(RECS_STATUS_NOT), "not implemented");
	assert_string_equal(recs_status_label(RECS_STATUS_NONE), "no status yet");
	int x = 7;
	assert_int_equal(recs_status_parse("Implemented", &x), -1);
	assert_int_equal(recs_status_parse("", &x), -1);
	assert_int_equal(recs_status_parse(NULL, &x), -1);
	assert_int_equal(x, 7);
	assert_null(recs_status_id(RECS_NSTATUS));
	assert_null(recs_status_id(-1));
	/* policy stages likewise */
	for (int s = 0; s < POLICY_NSTAGES; s++) {
		int back = -1;
		assert_int_equal(policy_stage_parse(policy_stage_id(s), &back), 0);
		assert_int_equal(back, s);
	}
	assert_int_equal(policy_stage_parse("done", &x), -1);
	assert_string_equal(policy_stage_label(POLICY_DEVELOPMENT), "in development");
}

static void test_kinds_and_links(void **state)
{
	(void)state;
	assert_true(recs_kind_ok("greco"));
	assert_true(recs_kind_ok("court_of_audit"));
	assert_false(recs_kind_ok("GRECO"));
	assert_false(recs_kind_ok(""));
	assert_string_equal(recs_kind_label("venice_commission"), "Venice Commission opinion");
	assert_true(policy_kind_ok("protocol"));
	assert_false(policy_kind_ok("law"));
	assert_int_equal(recs_url_ok("https://www.rekenkamer.nl/publicaties/rapporten/2024/09/25/integriteit-als-basis"), 0);
	assert_int_equal(recs_url_ok("http://example.org/"), -1);
	assert_int_equal(recs_url_ok("javascript:alert(1)"), -1);
	assert_int_equal(recs_url_ok("https://"), -1);
	assert_int_equal(recs_url_ok("https:///path"), -1);
	assert_int_equal(recs_url_ok("https://user@evil.example/"), -1);
	assert_int_equal(recs_url_ok("https://a.example/\"onmouseover=x"), -1);
	assert_int_equal(recs_url_ok("https://a.example/a b"), -1);
	char longurl[RECS_URL_MAX + 2];
	memset(longurl, 'a', sizeof longurl - 1);
	memcpy(longurl, "https://", 8);
	longurl[sizeof longurl - 1] = 0;
	assert_int_equal(recs_url_ok(longurl), -1);
	longurl[RECS_URL_MAX] = 0;
	assert_int_equal(recs_url_ok(longurl), 0);
}

static struct recs_source source(void)
{
	struct recs_source s = {0};
	strcpy(s.kind, "court_of_audit");
	strcpy(s.title, "Integriteit als basis");
	strcpy(s.issued_on, "2024-09-25");
	return s;
}

static void test_source_rules(void **state)
{
	(void)state;
	struct recs_source s = source();
	assert_null(recs_source_check(&s, TODAY));
	s = source();
	strcpy(s.kind, "newspaper");
	assert_non_null(recs_source_check(&s, TODAY));
	s = source();
	strcpy(s.title, "  ");
	assert_string_equal(recs_source_check(&s, TODAY), "Give the source a title.");
	s = source();
	strcpy(s.title, "tab\there");
	assert_non_null(recs_source_check(&s, TODAY));
	s = source();
	strcpy(s.issued_on, "2024-02-30");
	assert_non_null(recs_source_check(&s, TODAY));
	s = source();
	strcpy(s.issued_on, "2025-07-02");
	assert_string_equal(recs_source_check(&s, TODAY), "The date of the source lies in the future.");
	s = source();
	strcpy(s.link, "ftp://x.example/");
	assert_non_null(recs_source_check(&s, TODAY));
	s = source();
	memset(s.round, 'r', RECS_ROUND_MAX);
	assert_null(recs_source_check(&s, TODAY));
}

static struct recs_rec rec(void)
{
	struct recs_rec r = {0};
	strcpy(r.number, "1");
	strcpy(r.text, "Zorg voor een actieve coordinerende rol.");
	return r;
}

static void test_rec_rules(void **state)
{
	(void)state;
	struct recs_rec r = rec();
	assert_null(recs_rec_check(&r, TODAY));
	r.number[0] = 0;
	assert_non_null(recs_rec_check(&r, TODAY));
	r = rec();
	r.text[0] = 0;
	assert_string_equal(recs_rec_check(&r, TODAY), "Give the text of the recommendation.");
	r = rec();
	memset(r.text, 'x', RECS_TEXT_MAX);
	assert_null(recs_rec_check(&r, TODAY));
	/* a response needs its date and the other way round */
	r = rec();
	strcpy(r.response, "De minister neemt de aanbeveling over.");
	assert_string_equal(recs_rec_check(&r, TODAY), "Give the date of the response.");
	strcpy(r.response_on, "2024-09-25");
	assert_null(recs_rec_check(&r, TODAY));
	r.response[0] = 0;
	assert_non_null(recs_rec_check(&r, TODAY));
	/* a status needs its date, no status has none */
	r = rec();
	r.status = RECS_STATUS_PARTLY;
	assert_non_null(recs_rec_check(&r, TODAY));
	strcpy(r.status_on, "2025-07-02");
	assert_non_null(recs_rec_check(&r, TODAY));
	strcpy(r.status_on, TODAY);
	assert_null(recs_rec_check(&r, TODAY));
	r.status = RECS_STATUS_NONE;
	assert_non_null(recs_rec_check(&r, TODAY));
	r.status = RECS_NSTATUS;
	assert_non_null(recs_rec_check(&r, TODAY));
	/* a due date may lie ahead */
	r = rec();
	strcpy(r.report_due, "2030-01-01");
	assert_null(recs_rec_check(&r, TODAY));
	strcpy(r.report_due, "2030-13-01");
	assert_non_null(recs_rec_check(&r, TODAY));
	/* no department or policy item twice */
	r = rec();
	r.naddressees = 2;
	r.addressees[0].id = 4;
	r.addressees[1].id = 4;
	assert_string_equal(recs_rec_check(&r, TODAY), "A department is chosen twice.");
	r.addressees[1].id = 5;
	assert_null(recs_rec_check(&r, TODAY));
	r.npolicies = 2;
	r.policies[0].id = r.policies[1].id = 9;
	assert_non_null(recs_rec_check(&r, TODAY));
}

static void test_note_rules(void **state)
{
	(void)state;
	struct recs_note n = {0};
	strcpy(n.noted_on, "2025-03-01");
	strcpy(n.text, "Het toetsingskader is vastgesteld.\nZie de brief.");
	assert_null(recs_note_check(&n, TODAY));
	strcpy(n.links[0], "https://www.rijksoverheid.nl/documenten/kamerstukken/2025/03/01/brief");
	n.nlinks = 1;
	assert_null(recs_note_check(&n, TODAY));
	strcpy(n.links[0], "www.rijksoverheid.nl");
	assert_non_null(recs_note_check(&n, TODAY));
	n.nlinks = RECS_LINKS_MAX + 1;
	assert_non_null(recs_note_check(&n, TODAY));
	n.nlinks = 0;
	strcpy(n.noted_on, "2025-07-02");
	assert_non_null(recs_note_check(&n, TODAY));
	strcpy(n.noted_on, "");
	assert_non_null(recs_note_check(&n, TODAY));
	strcpy(n.noted_on, TODAY);
	n.text[0] = 0;
	assert_string_equal(recs_note_check(&n, TODAY), "Say what progress was made.");
}

static void test_overdue_and_tally(void **state)
{
	(void)state;
	struct recs_rec r[6];
	for (int i = 0; i < 6; i++)
		r[i] = rec();
	r[0].status = RECS_STATUS_IMPLEMENTED;
	strcpy(r[0].report_due, "2025-01-01");   /* implemented: never overdue */
	r[1].status = RECS_STATUS_PARTLY;
	strcpy(r[1].report_due, "2025-06-30");   /* overdue */
	r[2].status = RECS_STATUS_PARTLY;
	strcpy(r[2].report_due, TODAY);          /* due today: not yet overdue */
	r[3].status = RECS_STATUS_NOT;
	strcpy(r[3].report_due, "2024-12-31");   /* overdue */
	r[4].status = RECS_STATUS_NONE;          /* no due date */
	r[5].status = RECS_STATUS_NONE;
	strcpy(r[5].report_due, "2025-02-01");   /* overdue */
	assert_false(recs_overdue(&r[0], TODAY));
	assert_true(recs_overdue(&r[1], TODAY));
	assert_false(recs_overdue(&r[2], TODAY));
	assert_true(recs_overdue(&r[3], TODAY));
	assert_false(recs_overdue(&r[4], TODAY));
	assert_true(recs_overdue(&r[5], TODAY));
	struct recs_tally t = {0};
	for (int i = 0; i < 6; i++)
		recs_tally_add(&t, &r[i], TODAY);
	assert_int_equal(t.total, 6);
	assert_int_equal(t.count[RECS_STATUS_IMPLEMENTED], 1);
	assert_int_equal(t.count[RECS_STATUS_PARTLY], 2);
	assert_int_equal(t.count[RECS_STATUS_NOT], 1);
	assert_int_equal(t.count[RECS_STATUS_NONE], 2);
	assert_int_equal(t.overdue, 3);
	int sum = 0;
	for (int s = 0; s < RECS_NSTATUS; s++)
		sum += t.count[s];
	assert_int_equal(sum, t.total);
	/* GRECO's follow-up of July 2025 (shared/domain §8): 7 + 8 + 1 = 16 */
	struct recs_tally g = {0};
	struct recs_rec x = rec();
	for (int i = 0; i < 16; i++) {
		x.status = i < 7 ? RECS_STATUS_IMPLEMENTED : i < 15 ? RECS_STATUS_PARTLY : RECS_STATUS_NOT;
		recs_tally_add(&g, &x, TODAY);
	}
	assert_int_equal(g.count[RECS_STATUS_IMPLEMENTED], 7);
	assert_int_equal(g.count[RECS_STATUS_PARTLY], 8);
	assert_int_equal(g.count[RECS_STATUS_NOT], 1);
	assert_int_equal(g.total, 16);
}

static struct policy_item item(void)
{
	struct policy_item p = {0};
	strcpy(p.title, "Gedragscode Integriteit Rijk");
	strcpy(p.kind, "framework");
	strcpy(p.version, "2019");
	p.stage = POLICY_IMPLEMENTED;
	strcpy(p.stage_on[POLICY_DEVELOPMENT], "2018-01-15");
	strcpy(p.stage_on[POLICY_ADOPTED], "2019-03-01");
	strcpy(p.stage_on[POLICY_IMPLEMENTED], "2019-09-01");
	return p;
}

static void test_policy_rules(void **state)
{
	(void)state;
	struct policy_item p = item();
	assert_null(policy_item_check(&p, TODAY));
	/* the first date may be unknown, the others not */
	p.stage_on[POLICY_DEVELOPMENT][0] = 0;
	assert_null(policy_item_check(&p, TODAY));
	p = item();
	p.stage_on[POLICY_ADOPTED][0] = 0;
	assert_non_null(policy_item_check(&p, TODAY));
	/* out of order */
	p = item();
	strcpy(p.stage_on[POLICY_IMPLEMENTED], "2019-02-01");
	assert_string_equal(policy_item_check(&p, TODAY), "The dates of the stages must follow each other: a stage cannot begin before the one before it.");
	/* a stage not reached has no date */
	p = item();
	strcpy(p.stage_on[POLICY_EVALUATED], "2024-01-01");
	assert_non_null(policy_item_check(&p, TODAY));
	p.stage = POLICY_EVALUATED;
	assert_null(policy_item_check(&p, TODAY));
	strcpy(p.stage_on[POLICY_EVALUATED], "2025-07-02");
	assert_string_equal(policy_item_check(&p, TODAY), "The date of a stage lies in the future.");
	p = item();
	strcpy(p.kind, "law");
	assert_non_null(policy_item_check(&p, TODAY));
	p = item();
	p.stage = 9;
	assert_non_null(policy_item_check(&p, TODAY));

	struct policy_adoption a = {0};
	strcpy(a.adopted_on, "2019-05-01");
	strcpy(a.translation, "Vertaald in de departementale gedragscode.");
	assert_null(policy_adoption_check(&a, TODAY));
	a.adopted_on[0] = 0;
	assert_non_null(policy_adoption_check(&a, TODAY));
	strcpy(a.adopted_on, "2025-08-01");
	assert_non_null(policy_adoption_check(&a, TODAY));
	strcpy(a.adopted_on, "2019-05-01");
	strcpy(a.evaluated_on, "2019-04-01");
	assert_string_equal(policy_adoption_check(&a, TODAY), "The evaluation cannot come before the adoption.");
	strcpy(a.evaluated_on, "2024-05-01");
	a.assessment_id = 3;
	assert_null(policy_adoption_check(&a, TODAY));
	a.evaluated_on[0] = 0;
	assert_non_null(policy_adoption_check(&a, TODAY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_scale),   cmocka_unit_test(test_kinds_and_links),
		cmocka_unit_test(test_source_rules),   cmocka_unit_test(test_rec_rules),
		cmocka_unit_test(test_note_rules),     cmocka_unit_test(test_overdue_and_tally),
		cmocka_unit_test(test_policy_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
