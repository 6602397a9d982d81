/* test_cases_demo.c: the demo cases (src/cases/demo.c, demo_walk.c): the
 * shipped demo (organisations, accounts, reports, cases) loads; there is a
 * case in every phase of the protocol and the one in the terminal phase is
 * closed; each opens for integrity.fin, the rights steps and the authority's
 * summary are where the walk put them, and the inbox's reports stay out of
 * cases; a wrong cases file is refused with where and why, before anything
 * of any case is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "cases/demo.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "store/testutil.h"

struct demo {
	struct testfx f;
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	size_t nl;
	struct intake_demo_report r[INTAKE_DEMO_MAX];
	size_t nr;
};

/* The shipped organisations, accounts and reports, as `probity demo` loads
 * them. */
static void load_demo(struct demo *d)
{
	char err[1024];
	testfx_open(&d->f);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("%s", err);
	if (orgs_import_file(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/organisations.json",
			     err, sizeof err) != 0 ||
	    accounts_import_demo(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/accounts.json",
				 d->l, ACCOUNT_DEMO_MAX, &d->nl, err, sizeof err) != 0 ||
	    intake_import_demo_file(d->f.db, &d->f.signer, SRCDIR "/data/demo/reports.json", d->r,
				    INTAKE_DEMO_MAX, &d->nr, err, sizeof err) != 0)
		fail_msg("demo data: %s", err);
}

static void unload_demo(struct demo *d)
{
	sodium_memzero(d->l, sizeof d->l);
	sodium_memzero(d->r, sizeof d->r);
	accounts_shutdown();
	testfx_close(&d->f);
}

/* Signs in as a demo login with its printed password. */
static int64_t sign_in(struct demo *d, const char *username, unsigned char sk[32])
{
	for (size_t i = 0; i < d->nl; i++) {
		if (strcmp(d->l[i].username, username) != 0)
			continue;
		struct account a;
		int has_totp;
		time_t until;
		assert_int_equal(accounts_login(d->f.db, &d->f.signer, username, d->l[i].password,
						&a, sk, NULL, &has_totp, &until),
				 ACCOUNT_LOGIN_OK);
		return a.id;
	}
	fail_msg("no demo login %s", username);
	return 0;
}

static void the_shipped_cases_cover_every_phase(void **state)
{
	(void)state;
	struct demo d;
	load_demo(&d);
	struct cases_demo_case c[CASES_DEMO_MAX];
	size_t n = 0;
	char err[1024] = "";
	if (cases_import_demo_file(d.f.db, &d.f.signer, SRCDIR "/data/demo/cases.json", d.l, d.nl,
				   d.r, d.nr, c, CASES_DEMO_MAX, &n, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(testdb_i64(d.f.db, "SELECT count(*) FROM case_file"), (int64_t)n);

	const struct cases_protocol *p = cases_data_protocol();
	assert_non_null(p);
	unsigned char sk[32], ask[32];
	int64_t coord = sign_in(&d, "integrity.fin", sk);
	int64_t auth = sign_in(&d, "authority.fin", ask);
	int seen[CASES_MAX_PHASES] = {0}, closed = 0;
	for (size_t i = 0; i < n; i++) {
		struct cases_key k;
		struct cases_error e;
		struct cases_case cc;
		if (cases_key_as_member(d.f.db, c[i].case_id, coord, sk, &k, &e) != 0)
			fail_msg("case %zu does not open for integrity.fin: %s", i, e.msg);
		assert_int_equal(cases_read(d.f.db, &k, &cc, &e), 0);
		assert_string_equal(cc.phase, c[i].phase);
		assert_string_equal(cc.org_code, "FIN");
		assert_string_equal(c[i].org_code, "FIN");
		assert_int_equal(cc.closed_on[0] != '\0', c[i].closed);
		int ph = cases_protocol_phase(p, cc.phase);
		assert_true(ph >= 0);
		seen[ph]++;
		closed += c[i].closed;
		/* back-dated: every case was opened before today */
		char today[DATE_LEN + 1];
		date_today(today);
		assert_true(strcmp(cc.opened_on, today) < 0);
		/* a closed case is in the terminal phase with its purge date */
		if (c[i].closed) {
			assert_true(cases_protocol_terminal(p, (size_t)ph));
			assert_true(cc.purge_after[0] != '\0');
			assert_true(cc.decided_on[0] != '\0');
		}
		/* the people involved are readable through the case key */
		struct cases_person *pp;
		size_t np;
		assert_int_equal(cases_people(d.f.db, &k, &pp, &np, &e), 0);
		assert_true(np > 0);
		cases_people_free(pp, np);
		/* past the first phase, the authority of FIN holds the summary */
		struct cases_key ka;
		int shared = cases_key_as_authority(d.f.db, c[i].case_id, auth, ask, &ka, &e) == 0;
		assert_int_equal(shared, ph > 0);
		cases_key_wipe(&ka);
		cases_key_wipe(&k);
	}
	for (size_t i = 0; i < p->nphases; i++)
		if (!seen[i])
			fail_msg("no demo case in phase %s", p->phases[i].id);
	assert_int_equal(closed, 1);

	/* the rights steps that fell due were taken: a draft sent with its
	 * reaction's due date, interview records agreed to */
	assert_true(testdb_i64(d.f.db, "SELECT count(*) FROM case_person "
					"WHERE reaction_due IS NOT NULL") > 0);
	assert_true(testdb_i64(d.f.db, "SELECT count(*) FROM case_person "
					"WHERE record_agreed_on IS NOT NULL") > 0);
	/* the reports the inbox shows unopened stay out of cases */
	for (size_t i = 0; i < 6; i++) {
		char sql[120];
		if (i == 4)
			continue; /* handed over: its case is the demo's */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM case_report_key WHERE report_id = %lld",
			 (long long)d.r[i].report_id);
		assert_int_equal(testdb_i64(d.f.db, sql), 0);
	}
	struct audit_report ar;
	assert_int_equal(audit_verify(d.f.db, d.f.key.pk, &ar), 0);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(ask, sizeof ask);
	unload_demo(&d);
}

/* The file is refused with where and why, and nothing is written: no case,
 * not even a sign-in, so one loaded demo serves every refusal. */
static void expect_refused(struct demo *d, const char *text, const char *where, const char *why)
{
	struct cases_demo_case c[4];
	size_t n = 9;
	char err[1024] = "";
	int64_t audit = testdb_i64(d->f.db, "SELECT count(*) FROM audit_log");
	assert_int_equal(cases_import_demo(d->f.db, &d->f.signer, text, strlen(text), d->l, d->nl,
					   d->r, d->nr, c, 4, &n, err, sizeof err),
			 -1);
	if (!strstr(err, where) || !strstr(err, why))
		fail_msg("wanted \"%s\" and \"%s\" in \"%s\"", where, why, err);
	assert_int_equal(n, 0);
	assert_int_equal(testdb_i64(d->f.db, "SELECT count(*) FROM case_file"), 0);
	assert_int_equal(testdb_i64(d->f.db, "SELECT count(*) FROM audit_log"), audit);
}

#define HEAD "{\"format\": \"probity-demo-cases\", \"version\": 1, \"cases\": ["
#define INTAKE_CASE(rep, extra) \
	"{\"reports\": [" rep "], \"phase\": \"intake\", \"opened_days_ago\": 3, " \
	"\"coordinator\": \"integrity.fin\"" extra "}"
#define DECISION_CASE(extra) \
	"{\"reports\": [7], \"phase\": \"decision\", \"opened_days_ago\": 9, " \
	"\"moved_days_ago\": [4], \"coordinator\": \"integrity.fin\", " \
	"\"authority\": \"authority.fin\", \"summary\": \"s\"" extra "}"
#define INVESTIGATION_CASE(people) \
	"{\"reports\": [8], \"phase\": \"investigation\", \"opened_days_ago\": 30, " \
	"\"moved_days_ago\": [20, 10], \"coordinator\": \"integrity.fin\", " \
	"\"investigators\": [\"investigator.fin\"], \"authority\": \"authority.fin\", " \
	"\"summary\": \"s\", \"records\": {\"intake_summary\": [\"i\"], " \
	"\"decision_memo\": [\"d\"]}, \"people\": [" people "]}"

static void a_wrong_file_is_refused(void **state)
{
	(void)state;
	struct demo dd, *d = &dd;
	load_demo(d);
	expect_refused(d, HEAD "]}", "cases", "1 to 20");
	expect_refused(d, "{\"format\": \"probity-demo-reports\", \"version\": 1, \"cases\": []}",
		       "format", "probity-demo-cases");
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"colour\": 1") "]}", "cases[0]", "colour");
	expect_refused(d, HEAD INTAKE_CASE("99", "") "]}", "cases[0].reports[0]", "0 to 12");
	/* a report in one case only; a good first case is not opened either */
	expect_refused(d, HEAD INTAKE_CASE("6", "") ", " INTAKE_CASE("6", "") "]}",
		       "cases[1].reports[0]", "another case");
	/* reports of two organisations (FIN, IENW) */
	expect_refused(d, HEAD INTAKE_CASE("6, 3", "") "]}", "cases[0].reports[1]", "IENW");
	expect_refused(d, HEAD "{\"reports\": [6], \"phase\": \"nope\", \"opened_days_ago\": 3, "
			    "\"coordinator\": \"integrity.fin\"}]}",
		       "cases[0]", "not on the normal route");
	expect_refused(d, HEAD "{\"reports\": [6], \"phase\": \"intake\", \"opened_days_ago\": 400, "
			    "\"coordinator\": \"integrity.fin\"}]}",
		       "cases[0].opened_days_ago", "0 to 365");
	expect_refused(d, HEAD "{\"reports\": [7], \"phase\": \"decision\", \"opened_days_ago\": 9, "
			    "\"coordinator\": \"integrity.fin\", \"authority\": \"authority.fin\", "
			    "\"summary\": \"s\", \"records\": {\"intake_summary\": [\"i\"]}}]}",
		       "cases[0]", "moved_days_ago");
	expect_refused(d, HEAD "{\"reports\": [7], \"phase\": \"decision\", \"opened_days_ago\": 9, "
			    "\"moved_days_ago\": [10], \"coordinator\": \"integrity.fin\", "
			    "\"authority\": \"authority.fin\", \"summary\": \"s\", "
			    "\"records\": {\"intake_summary\": [\"i\"]}}]}",
		       "cases[0].moved_days_ago[0]", "earlier than the opening");
	/* accounts: unknown, or not holding the role at the case's organisation */
	expect_refused(d, HEAD "{\"reports\": [6], \"phase\": \"intake\", \"opened_days_ago\": 3, "
			    "\"coordinator\": \"nobody\"}]}",
		       "cases[0].coordinator", "not one of the demo accounts");
	expect_refused(d, HEAD "{\"reports\": [6], \"phase\": \"intake\", \"opened_days_ago\": 3, "
			    "\"coordinator\": \"meldpunt.rijk\"}]}",
		       "cases[0].coordinator", "not integrity_coordinator at FIN");
	expect_refused(d, HEAD "{\"reports\": [7], \"phase\": \"decision\", \"opened_days_ago\": 9, "
			    "\"moved_days_ago\": [4], \"coordinator\": \"integrity.fin\", "
			    "\"authority\": \"authority.jenv\", \"summary\": \"s\", "
			    "\"records\": {\"intake_summary\": [\"i\"]}}]}",
		       "cases[0].authority", "not competent_authority at FIN");
	/* the authority and the summary exactly when the route needs them */
	expect_refused(d, HEAD "{\"reports\": [7], \"phase\": \"decision\", \"opened_days_ago\": 9, "
			    "\"moved_days_ago\": [4], \"coordinator\": \"integrity.fin\", "
			    "\"records\": {\"intake_summary\": [\"i\"]}}]}",
		       "cases[0]", "needs \"authority\" and \"summary\"");
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"summary\": \"s\"") "]}", "cases[0]",
		       "reaches a phase of the competent authority");
	/* a record the finished phase requires, and one of no phase yet */
	expect_refused(d, HEAD DECISION_CASE("") "]}", "cases[0]", "needs intake_summary");
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"records\": {\"final_report\": [\"f\"]}") "]}",
		       "cases[0].records.final_report", "no phase up to intake");
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"records\": {\"intake_summary\": [\"a\\u0001\"]}")
		       "]}",
		       "cases[0].records.intake_summary[0]", "control characters");
	/* people: party, name, steps due now, in order, not taken already */
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"people\": [{\"party\": \"boss\", \"name\": \"x\"}]")
		       "]}",
		       "cases[0].people[0]", "party");
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"people\": [{\"party\": \"witness\", \"name\": \"\"}]")
		       "]}",
		       "cases[0].people[0].name", "1 to 200");
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"people\": [{\"party\": \"witness\", \"name\": "
					     "\"x\", \"steps\": [\"heard\"]}]")
		       "]}",
		       "cases[0].people[0].steps[0]", "heard is not due for a witness in intake");
	expect_refused(d, HEAD INVESTIGATION_CASE("{\"party\": \"witness\", \"name\": \"x\", "
					       "\"steps\": [\"record_offered\"]}") "]}",
		       "cases[0].people[0].steps[0]", "comes after heard");
	expect_refused(d, HEAD INVESTIGATION_CASE("{\"party\": \"witness\", \"name\": \"x\", "
					       "\"steps\": [\"heard\", \"heard\"]}") "]}",
		       "cases[0].people[0].steps[1]", "taken already");
	/* outcome and decision only with the authority's decision, and checked */
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"outcome\": {}") "]}", "cases[0]",
		       "competent authority's decision");
	expect_refused(d, HEAD "{\"reports\": [11], \"phase\": \"authority_decision\", "
			    "\"opened_days_ago\": 50, \"moved_days_ago\": [40, 30, 20, 10, 5], "
			    "\"coordinator\": \"integrity.fin\", \"investigators\": "
			    "[\"investigator.fin\"], \"authority\": \"authority.fin\", \"summary\": "
			    "\"s\", \"records\": {\"intake_summary\": [\"i\"], \"decision_memo\": "
			    "[\"d\"], \"interview_record\": [\"g\"], \"draft_report\": [\"c\"], "
			    "\"hearing_reaction\": [\"h\"], \"final_report\": [\"e\"]}, "
			    "\"outcome\": {\"outcome\": \"established\", \"category\": \"99\", "
			    "\"police_report\": false}}]}",
		       "cases[0].outcome", "category");
	/* closing belongs to the terminal phase */
	expect_refused(d, HEAD INTAKE_CASE("6", ", \"closed_days_ago\": 1") "]}",
		       "cases[0].closed_days_ago", "terminal phase");
	unload_demo(d);
}

static void a_file_is_named_in_its_error(void **state)
{
	(void)state;
	struct demo d;
	load_demo(&d);
	char *path = tmpdir_path(d.f.dir, "cases.json");
	static const char bad[] = HEAD INTAKE_CASE("6", ", \"colour\": 1") "]}";
	write_file_bytes(path, bad, sizeof bad - 1, 0600);
	struct cases_demo_case c[4];
	size_t n = 9;
	char err[1024] = "";
	assert_int_equal(cases_import_demo_file(d.f.db, &d.f.signer, path, d.l, d.nl, d.r, d.nr, c,
						4, &n, err, sizeof err),
			 -1);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "cases[0]"));
	assert_non_null(strstr(err, "colour"));
	assert_int_equal(testdb_i64(d.f.db, "SELECT count(*) FROM case_file"), 0);
	/* a missing file */
	assert_int_equal(cases_import_demo_file(d.f.db, &d.f.signer, "/nonexistent/cases.json", d.l,
						d.nl, d.r, d.nr, c, 4, &n, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "/nonexistent/cases.json"));
	free(path);
	unload_demo(&d);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_shipped_cases_cover_every_phase),
		cmocka_unit_test(a_wrong_file_is_refused),
		cmocka_unit_test(a_file_is_named_in_its_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
