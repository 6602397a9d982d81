/* test_assess_model.c: the pure model of src/assess: the scores (means,
 * half-up rounding to hundredths and to whole points, not-assessed parts
 * left out and counted, empty groups, pillars, overall as the mean of the
 * groups, median maturity, the change) and every step of the workflow,
 * allowed and refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assess/assess.h"

enum { N = ASSESS_J_NONE, A = ASSESS_J_ABSENT, P = ASSESS_J_PARTLY, Q = ASSESS_J_ADEQUATE };

/* A framework in memory: pillars S and C; groups g1 (S: r0, r1), g2 (S:
 * r2), g3 (C: no requirements), g4 (C: r3, r4, r5, r6), g5 (no pillar: r7). */
static struct fw_pillar pillars[2] = {{.code = "s"}, {.code = "c"}};
static struct fw_group groups[5] = {
	{.code = "g1", .pillar = 0, .first = 0, .n = 2},
	{.code = "g2", .pillar = 0, .first = 2, .n = 1},
	{.code = "g3", .pillar = 1, .first = 3, .n = 0},
	{.code = "g4", .pillar = 1, .first = 3, .n = 4},
	{.code = "g5", .pillar = -1, .first = 7, .n = 1},
};
static struct fw_req reqs[8] = {
	{.code = "r0", .group = 0}, {.code = "r1", .group = 0}, {.code = "r2", .group = 1},
	{.code = "r3", .group = 3}, {.code = "r4", .group = 3}, {.code = "r5", .group = 3},
	{.code = "r6", .group = 3}, {.code = "r7", .group = 4},
};
static struct framework fw = {.code = "test", .revision = 1, .pillars = pillars,
			      .npillars = 2, .groups = groups, .ngroups = 5, .reqs = reqs,
			      .nreqs = 8};

static struct assess_marks mk(int d, int e, int o, int m)
{
	return (struct assess_marks){{(unsigned char)d, (unsigned char)e, (unsigned char)o},
				     (unsigned char)m};
}

static void test_words(void **state)
{
	(void)state;
	int v = -1;
	assert_string_equal(assess_judgement_name(ASSESS_J_NONE), "none");
	assert_string_equal(assess_judgement_name(ASSESS_J_ADEQUATE), "adequate");
	assert_null(assess_judgement_name(4));
	assert_null(assess_judgement_name(-1));
	assert_int_equal(assess_judgement_parse("partly", &v), 0);
	assert_int_equal(v, ASSESS_J_PARTLY);
	assert_int_equal(assess_judgement_parse("Partly", &v), -1);
	assert_int_equal(assess_judgement_parse("", &v), -1);
	assert_int_equal(assess_judgement_parse(NULL, &v), -1);
	assert_string_equal(assess_maturity_name(ASSESS_M_LEADING), "leading");
	assert_null(assess_maturity_name(5));
	assert_int_equal(assess_maturity_parse("emerging", &v), 0);
	assert_int_equal(v, ASSESS_M_EMERGING);
	assert_int_equal(assess_maturity_parse("mature", &v), -1);
	assert_string_equal(assess_dim_name(ASSESS_OPERATION), "operation");
	assert_null(assess_dim_name(3));
	assert_string_equal(assess_status_name(ASSESS_SIGNED_OFF), "signed_off");
	assert_null(assess_status_name(3));
	assert_int_equal(assess_status_parse("reviewed", &v), 0);
	assert_int_equal(v, ASSESS_REVIEWED);
	assert_int_equal(assess_status_parse("done", &v), -1);
	assert_string_equal(assess_ap_status_name(ASSESS_AP_IN_PROGRESS), "in_progress");
	assert_int_equal(assess_ap_status_parse("done", &v), 0);
	assert_int_equal(v, ASSESS_AP_DONE);
	assert_int_equal(assess_ap_status_parse("closed", &v), -1);
	assert_null(assess_ap_status_name(3));
}

static void test_rounding(void **state)
{
	(void)state;
	/* half up, exact integers */
	assert_int_equal(assess_mean_centi(1, 2), 1);   /* 0.5 -> 1 */
	assert_int_equal(assess_mean_centi(3, 2), 2);   /* 1.5 -> 2 */
	assert_int_equal(assess_mean_centi(5, 2), 3);   /* 2.5 -> 3 */
	assert_int_equal(assess_mean_centi(25000, 3), 8333);  /* 8333.33 */
	assert_int_equal(assess_mean_centi(20000, 3), 6667);  /* 6666.67 */
	assert_int_equal(assess_mean_centi(15833, 2), 7917);  /* 7916.5 */
	assert_int_equal(assess_mean_centi(0, 5), 0);
	assert_int_equal(assess_mean_centi(50000, 5), 10000);
	assert_int_equal(assess_shown(8350), 84);
	assert_int_equal(assess_shown(8349), 83);
	assert_int_equal(assess_shown(50), 1);
	assert_int_equal(assess_shown(49), 0);
	assert_int_equal(assess_shown(10000), 100);
	assert_int_equal(assess_shown(ASSESS_SCORE_NONE), ASSESS_SCORE_NONE);
}

static void test_requirement(void **state)
{
	(void)state;
	struct assess_marks m;
	struct assess_score s;
	m = mk(Q, Q, Q, 0);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, 10000);
	assert_int_equal(s.shown, 100);
	assert_int_equal(s.counted, 3);
	assert_int_equal(s.unscored, 0);
	m = mk(A, A, A, 0);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, 0);
	assert_int_equal(s.shown, 0);
	m = mk(Q, Q, P, 0);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, 8333);
	assert_int_equal(s.shown, 83);
	m = mk(P, Q, P, 0);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, 6667);
	assert_int_equal(s.shown, 67);
	/* a dimension not assessed is left out of the mean and counted */
	m = mk(Q, N, P, 0);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, 7500);
	assert_int_equal(s.counted, 2);
	assert_int_equal(s.unscored, 1);
	m = mk(N, A, N, 0);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, 0); /* absent counts: it is a judgement */
	assert_int_equal(s.counted, 1);
	/* nothing judged: no score, not zero */
	m = mk(N, N, N, ASSESS_M_EMERGING);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, ASSESS_SCORE_NONE);
	assert_int_equal(s.shown, ASSESS_SCORE_NONE);
	assert_int_equal(s.unscored, 3);
	assert_int_equal(s.maturity, ASSESS_M_EMERGING);
	/* garbage counts as not assessed */
	m = mk(9, Q, 200, 77);
	s = assess_score_req(&m);
	assert_int_equal(s.centi, 10000);
	assert_int_equal(s.unscored, 2);
	assert_int_equal(s.maturity, ASSESS_M_NONE);
}

static void test_groups_pillars_overall(void **state)
{
	(void)state;
	struct assess_marks m[8] = {
		mk(Q, Q, P, ASSESS_M_NASCENT),     /* r0 8333 */
		mk(Q, P, N, ASSESS_M_ESTABLISHED), /* r1 7500, one open */
		mk(A, A, P, ASSESS_M_EMERGING),    /* r2 1667 */
		mk(Q, Q, Q, ASSESS_M_LEADING),     /* r3 10000 */
		mk(N, N, N, ASSESS_M_NONE),        /* r4 none */
		mk(P, P, P, ASSESS_M_EMERGING),    /* r5 5000 */
		mk(A, P, Q, ASSESS_M_EMERGING),    /* r6 5000 */
		mk(N, N, N, ASSESS_M_NONE),        /* r7 none */
	};
	struct assess_scores s;
	assess_score(&fw, m, &s);
	assert_int_equal(s.reqs[2].centi, 1667);
	/* g1: (8333 + 7500) / 2 = 7916.5 -> 7917, shown 79 */
	assert_int_equal(s.groups[0].centi, 7917);
	assert_int_equal(s.groups[0].shown, 79);
	assert_int_equal(s.groups[0].counted, 2);
	assert_int_equal(s.groups[0].unscored, 0);
	/* median of nascent and established: the lower middle */
	assert_int_equal(s.groups[0].maturity, ASSESS_M_NASCENT);
	assert_int_equal(s.groups[1].centi, 1667);
	assert_int_equal(s.groups[1].shown, 17);
	/* the empty group: no score, nothing counted either way */
	assert_int_equal(s.groups[2].centi, ASSESS_SCORE_NONE);
	assert_int_equal(s.groups[2].counted, 0);
	assert_int_equal(s.groups[2].unscored, 0);
	assert_int_equal(s.groups[2].maturity, ASSESS_M_NONE);
	/* g4: r4 left out and counted: (10000 + 5000 + 5000) / 3 = 6666.67 */
	assert_int_equal(s.groups[3].centi, 6667);
	assert_int_equal(s.groups[3].shown, 67);
	assert_int_equal(s.groups[3].counted, 3);
	assert_int_equal(s.groups[3].unscored, 1);
	/* levels emerging, emerging, leading: emerging */
	assert_int_equal(s.groups[3].maturity, ASSESS_M_EMERGING);
	/* g5: nothing judged */
	assert_int_equal(s.groups[4].centi, ASSESS_SCORE_NONE);
	assert_int_equal(s.groups[4].unscored, 1);
	/* pillar S: (7917 + 1667) / 2 = 4792; pillar C: g3 empty, g4 6667 */
	assert_int_equal(s.pillars[0].centi, 4792);
	assert_int_equal(s.pillars[0].shown, 48);
	assert_int_equal(s.pillars[0].counted, 2);
	assert_int_equal(s.pillars[1].centi, 6667);
	assert_int_equal(s.pillars[1].counted, 1);
	assert_int_equal(s.pillars[1].unscored, 1);
	/* S levels nascent, established, emerging -> emerging */
	assert_int_equal(s.pillars[0].maturity, ASSESS_M_EMERGING);
	/* overall: the mean of the scored groups, (7917 + 1667 + 6667) / 3 =
	 * 5417, not the mean of the requirements (which would be 6250) */
	assert_int_equal(s.overall.centi, 5417);
	assert_int_equal(s.overall.shown, 54);
	assert_int_equal(s.overall.counted, 3);
	assert_int_equal(s.overall.unscored, 2);
	/* all levels: 1, 3, 2, 4, 2, 2 -> sorted 1 2 2 2 3 4, lower middle 2 */
	assert_int_equal(s.overall.maturity, ASSESS_M_EMERGING);
	/* open: r1 one, r4 three, r7 three */
	assert_int_equal(s.open_dims, 7);
	assert_int_equal(s.open_reqs, 3);
	assess_scores_free(&s);
	assert_null(s.reqs);

	/* nothing judged at all: no score anywhere, every dimension open */
	struct assess_marks none[8];
	memset(none, 0, sizeof none);
	assess_score(&fw, none, &s);
	assert_int_equal(s.overall.centi, ASSESS_SCORE_NONE);
	assert_int_equal(s.overall.counted, 0);
	assert_int_equal(s.overall.unscored, 5);
	assert_int_equal(s.open_dims, 24);
	assert_int_equal(s.open_reqs, 8);
	assert_int_equal(s.pillars[0].centi, ASSESS_SCORE_NONE);
	assess_scores_free(&s);

	/* a framework without pillars or groups */
	struct framework empty = {.code = "leeg", .revision = 1};
	assess_score(&empty, NULL, &s);
	assert_int_equal(s.overall.centi, ASSESS_SCORE_NONE);
	assert_int_equal(s.open_reqs, 0);
	assess_scores_free(&s);
}

static void test_change(void **state)
{
	(void)state;
	struct assess_score cur = {.centi = 8350, .shown = 84}, prev = {.centi = 7960, .shown = 80};
	struct assess_score none = {.centi = ASSESS_SCORE_NONE, .shown = ASSESS_SCORE_NONE};
	int has = -1;
	assert_int_equal(assess_change(&cur, &prev, &has), 4);
	assert_int_equal(has, 1);
	assert_int_equal(assess_change(&prev, &cur, &has), -4);
	assert_int_equal(has, 1);
	/* the shown scores' difference: 8349 -> 83 and 8250 -> 83 is no change */
	struct assess_score a = {.centi = 8349, .shown = 83}, b = {.centi = 8250, .shown = 83};
	assert_int_equal(assess_change(&a, &b, &has), 0);
	assert_int_equal(has, 1);
	assert_int_equal(assess_change(&cur, &none, &has), 0);
	assert_int_equal(has, 0);
	assert_int_equal(assess_change(&none, &cur, &has), 0);
	assert_int_equal(has, 0);
	assert_int_equal(assess_change(&cur, NULL, &has), 0);
	assert_int_equal(has, 0);
}

#define IC (ASSESS_CAP_DRAFT | ASSESS_CAP_SIGN | ASSESS_CAP_READ)
#define MGR (ASSESS_CAP_DRAFT | ASSESS_CAP_READ)
#define COORD (ASSESS_CAP_REVIEW | ASSESS_CAP_READ)
#define AUD ASSESS_CAP_READ

static void test_workflow(void **state)
{
	(void)state;
	int to = -1;
	/* editing: a draft, by the integrity coordinator or a manager */
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_EDIT, IC, 5, 0, &to), ASSESS_STEP_OK);
	assert_int_equal(to, ASSESS_DRAFT);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_EDIT, MGR, 5, 0, NULL), ASSESS_STEP_OK);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_EDIT, COORD, 0, 0, NULL),
			 ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_EDIT, AUD, 0, 0, NULL),
			 ASSESS_STEP_E_ROLE);
	/* signed off and reviewed are read-only */
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_EDIT, IC, 0, 0, NULL),
			 ASSESS_STEP_E_STATE);
	assert_int_equal(assess_step(ASSESS_REVIEWED, ASSESS_ACT_EDIT, IC, 0, 0, NULL),
			 ASSESS_STEP_E_STATE);

	/* sign-off: the integrity coordinator, only when all is judged */
	to = -1;
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_SIGN_OFF, IC, 0, 0, &to),
			 ASSESS_STEP_OK);
	assert_int_equal(to, ASSESS_SIGNED_OFF);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_SIGN_OFF, IC, 1, 0, &to),
			 ASSESS_STEP_E_INCOMPLETE);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_SIGN_OFF, MGR, 0, 0, NULL),
			 ASSESS_STEP_E_ROLE);
	/* the role is refused before the completeness is looked at */
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_SIGN_OFF, MGR, 3, 0, NULL),
			 ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_SIGN_OFF, COORD, 0, 0, NULL),
			 ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_SIGN_OFF, IC, 0, 0, NULL),
			 ASSESS_STEP_E_STATE);
	assert_int_equal(assess_step(ASSESS_REVIEWED, ASSESS_ACT_SIGN_OFF, IC, 0, 0, NULL),
			 ASSESS_STEP_E_STATE);

	/* review: the coordinator, from signed off, with a comment */
	to = -1;
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_REVIEW, COORD, 0, 1, &to),
			 ASSESS_STEP_OK);
	assert_int_equal(to, ASSESS_REVIEWED);
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_REVIEW, COORD, 0, 0, NULL),
			 ASSESS_STEP_E_TEXT);
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_REVIEW, IC, 0, 1, NULL),
			 ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_REVIEW, AUD, 0, 1, NULL),
			 ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_REVIEW, COORD, 0, 1, NULL),
			 ASSESS_STEP_E_STATE);
	assert_int_equal(assess_step(ASSESS_REVIEWED, ASSESS_ACT_REVIEW, COORD, 0, 1, NULL),
			 ASSESS_STEP_E_STATE);

	/* return: the coordinator, from signed off only, with a reason */
	to = -1;
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_RETURN, COORD, 0, 1, &to),
			 ASSESS_STEP_OK);
	assert_int_equal(to, ASSESS_DRAFT);
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_RETURN, COORD, 0, 0, NULL),
			 ASSESS_STEP_E_TEXT);
	assert_int_equal(assess_step(ASSESS_SIGNED_OFF, ASSESS_ACT_RETURN, IC, 0, 1, NULL),
			 ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_REVIEWED, ASSESS_ACT_RETURN, COORD, 0, 1, NULL),
			 ASSESS_STEP_E_STATE);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_RETURN, COORD, 0, 1, NULL),
			 ASSESS_STEP_E_STATE);

	/* nonsense actions and no caps */
	assert_int_equal(assess_step(ASSESS_DRAFT, -1, IC | COORD, 0, 1, NULL), ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_COUNT, IC, 0, 1, NULL),
			 ASSESS_STEP_E_ROLE);
	assert_int_equal(assess_step(ASSESS_DRAFT, ASSESS_ACT_EDIT, 0, 0, 1, NULL),
			 ASSESS_STEP_E_ROLE);
}

static void test_offered(void **state)
{
	(void)state;
	unsigned edit = 1u << ASSESS_ACT_EDIT, sign = 1u << ASSESS_ACT_SIGN_OFF;
	unsigned review = 1u << ASSESS_ACT_REVIEW, ret = 1u << ASSESS_ACT_RETURN;
	assert_int_equal(assess_steps_offered(ASSESS_DRAFT, IC), edit | sign);
	assert_int_equal(assess_steps_offered(ASSESS_DRAFT, MGR), edit);
	assert_int_equal(assess_steps_offered(ASSESS_DRAFT, COORD), 0);
	assert_int_equal(assess_steps_offered(ASSESS_SIGNED_OFF, IC), 0);
	assert_int_equal(assess_steps_offered(ASSESS_SIGNED_OFF, COORD), review | ret);
	assert_int_equal(assess_steps_offered(ASSESS_SIGNED_OFF, AUD), 0);
	assert_int_equal(assess_steps_offered(ASSESS_REVIEWED, IC | COORD), 0);
	/* someone who is both (a coordinator who also coordinates integrity at
	 * a department) is offered what each role allows */
	assert_int_equal(assess_steps_offered(ASSESS_DRAFT, IC | COORD), edit | sign);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_requirement),
		cmocka_unit_test(test_groups_pillars_overall),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_workflow),
		cmocka_unit_test(test_offered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
