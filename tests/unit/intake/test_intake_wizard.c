/* test_intake_wizard.c: the report form's state carried from screen to
 * screen (src/intake/wizard.c), against the shipped questionnaire: what is
 * read from a posted form, which screens are skipped, what each screen
 * checks, and what is finally stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "intake/qset.h"
#include "intake/wizard.h"

/* screens of melding-v1: org, mode, soort, gebeurtenis, betrokkenen,
 * maatschappelijk_belang, bewijs (files only), contact, recusal, review */
enum { ORG, MODE, SOORT, GEBEURTENIS, BETROKKENEN, BELANG, BEWIJS, CONTACT, RECUSE, REVIEW };

#define TODAY "2026-11-30"

static struct form_field F[64];
static struct form FORM;

static void reset(void)
{
	memset(F, 0, sizeof F);
	FORM.fields = F;
	FORM.n = 0;
}

static void put(const char *name, const char *value)
{
	F[FORM.n++] = (struct form_field){name, value, strlen(value), NULL, NULL};
}

static const struct intake_questionnaire *Q(void)
{
	char err[300];
	assert_int_equal(intake_qset_init(err, sizeof err), 0);
	return intake_qset_current();
}

static int has(const struct wiz_problems *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->p[i].name, name) == 0)
			return 1;
	return 0;
}

static void reads_the_state_and_drops_what_is_not_ours(void **state)
{
	(void)state;
	struct wiz w;
	reset();
	put("org", "FIN");
	put("mode", "sideways");          /* not a mode: dropped */
	put("identity", "");
	put("screen", "3");
	put("a.description", "first");
	put("a.description", "second");  /* the first counts */
	put("a.nonsense", "x");           /* not a field */
	put("a.evidence", "x");           /* a file field takes no text */
	put("a.when", "");                /* empty: not answered */
	put("recuse", "7");
	put("recuse", "7");               /* twice is once */
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_string_equal(w.org, "FIN");
	assert_string_equal(w.mode, "");
	assert_int_equal(w.screen, GEBEURTENIS);
	assert_int_equal(w.nans, 1);
	assert_string_equal(wiz_answer(&w, "description"), "first");
	assert_string_equal(wiz_answer(&w, "evidence"), "");
	assert_int_equal(w.nrecused, 1);
	assert_true(wiz_is_recused(&w, 7));
	assert_false(wiz_is_recused(&w, 8));
}

static void refuses_forms_that_are_not_ours(void **state)
{
	(void)state;
	struct wiz w;
	const char *bad_screens[] = {"-1", "x", "1001", ""};
	for (size_t i = 0; i < 4; i++) {
		reset();
		put("screen", bad_screens[i]);
		assert_int_equal(wiz_read(&w, Q(), &FORM), -1);
	}
	reset();
	put("recuse", "0");
	assert_int_equal(wiz_read(&w, Q(), &FORM), -1);
	reset();
	static char ids[WIZ_MAX_RECUSED + 1][16];
	for (int i = 0; i <= WIZ_MAX_RECUSED; i++) {
		snprintf(ids[i], sizeof ids[i], "%d", i + 1);
		put("recuse", ids[i]);
	}
	assert_int_equal(wiz_read(&w, Q(), &FORM), -1);
	/* a screen past the end is the review */
	reset();
	put("screen", "999");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_int_equal(w.screen, REVIEW);
}

static void skips_hidden_and_file_only_steps(void **state)
{
	(void)state;
	struct wiz w;
	reset();
	put("a.kind", "integrity_violation");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_int_equal(wiz_nscreens(&w), REVIEW + 1);
	assert_int_equal(wiz_kind(&w, BELANG), WIZ_STEP);
	assert_false(wiz_applies(&w, BELANG));   /* only for wrongdoing */
	assert_false(wiz_applies(&w, BEWIJS));   /* files come on the review */
	assert_int_equal(wiz_move(&w, BETROKKENEN, 1), CONTACT);
	assert_int_equal(wiz_move(&w, CONTACT, -1), BETROKKENEN);
	assert_int_equal(wiz_move(&w, ORG, -1), ORG);
	assert_int_equal(wiz_move(&w, REVIEW, 1), REVIEW);
	assert_int_equal(wiz_kind(&w, RECUSE), WIZ_RECUSE);
	assert_int_equal(wiz_kind(&w, REVIEW), WIZ_REVIEW);

	reset();
	put("a.kind", "wrongdoing");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_true(wiz_applies(&w, BELANG));
	assert_int_equal(wiz_move(&w, BETROKKENEN, 1), BELANG);
}

static void checks_one_screen_at_a_time(void **state)
{
	(void)state;
	struct wiz w;
	struct wiz_problems p;
	reset();
	put("a.kind", "integrity_violation");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	/* the description is required on its own screen; contact, required
	 * later, is not asked for yet */
	assert_true(wiz_check(&w, GEBEURTENIS, 0, TODAY, NULL, &p) > 0);
	assert_true(has(&p, "a.description"));
	assert_false(has(&p, "a.contact"));
	assert_int_equal(wiz_check(&w, SOORT, 0, TODAY, NULL, &p), 0);
	/* everything at once, at the end */
	assert_true(wiz_check(&w, REVIEW, 1, TODAY, NULL, &p) > 0);
	assert_true(has(&p, "org"));
	assert_true(has(&p, "mode"));
	assert_true(has(&p, "a.description"));
	assert_true(has(&p, "a.contact"));

	reset();
	put("a.kind", "integrity_violation");
	put("a.when", "2999-01-01");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_true(wiz_check(&w, GEBEURTENIS, 0, TODAY, NULL, &p) > 0);
	assert_true(has(&p, "a.when"));
}

static void the_mode_decides_about_the_identity(void **state)
{
	(void)state;
	struct wiz w;
	struct wiz_problems p;
	reset();
	put("mode", "anonymous");
	put("identity", "Jan");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_int_equal(wiz_check(&w, MODE, 0, TODAY, NULL, &p), 1);
	assert_string_equal(p.p[0].name, "identity");
	reset();
	put("mode", "confidential");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_int_equal(wiz_check(&w, MODE, 0, TODAY, NULL, &p), 1);
	assert_string_equal(p.p[0].name, "identity");
	reset();
	put("mode", "confidential");
	put("identity", "Jan, 06-12345678");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_int_equal(wiz_check(&w, MODE, 0, TODAY, NULL, &p), 0);
	reset();
	put("mode", "anonymous");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	assert_int_equal(wiz_check(&w, MODE, 0, TODAY, NULL, &p), 0);
}

static void stores_only_shown_answers(void **state)
{
	(void)state;
	struct wiz w;
	struct wiz_problems p;
	reset();
	put("org", "FIN");
	put("mode", "anonymous");
	put("a.kind", "integrity_violation");
	put("a.description", "Er is \"iets\" gebeurd.\nTweede regel.");
	put("a.contact", "messages");
	/* answered while kind was wrongdoing, then kind changed: hidden now */
	put("a.public_interest", "was relevant once");
	assert_int_equal(wiz_read(&w, Q(), &FORM), 0);
	/* a hidden field's answer is dropped: no error the reporter cannot
	 * see, and nothing stored */
	assert_string_equal(wiz_answer(&w, "public_interest"), "");
	size_t len = 0;
	struct arena a = ARENA_INIT;
	char *json = wiz_answers_json(&w, &a, &len);
	assert_non_null(json);
	assert_int_equal(strlen(json), len);
	assert_non_null(strstr(json, "\"kind\":\"integrity_violation\""));
	assert_non_null(strstr(json, "\\\"iets\\\" gebeurd.\\nTweede"));
	assert_null(strstr(json, "public_interest"));
	/* a file field counts its files on the review */
	unsigned counts[INTAKE_Q_MAX_FIELDS] = {0};
	int ev = intake_q_field(w.q, "evidence");
	assert_true(ev >= 0);
	counts[ev] = 11; /* over max_files */
	wiz_check(&w, REVIEW, 1, TODAY, counts, &p);
	assert_true(has(&p, "f.evidence"));
	counts[ev] = 2;
	assert_false(wiz_check(&w, REVIEW, 1, TODAY, counts, &p) && has(&p, "f.evidence"));
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_the_state_and_drops_what_is_not_ours),
		cmocka_unit_test(refuses_forms_that_are_not_ours),
		cmocka_unit_test(skips_hidden_and_file_only_steps),
		cmocka_unit_test(checks_one_screen_at_a_time),
		cmocka_unit_test(the_mode_decides_about_the_identity),
		cmocka_unit_test(stores_only_shown_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
