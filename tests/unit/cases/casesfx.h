/* casesfx.h: the fixture of the case storage tests (test_cases_store*.c): a
 * fresh folder with a migrated database and signing key, the organisations
 * RIJK > FIN > FIN-DGB and RIJK > BZK, the accounts below, and helpers that
 * submit reports and open cases through the real functions. */
#ifndef TESTS_UNIT_CASES_CASESFX_H
#define TESTS_UNIT_CASES_CASESFX_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "cases/cases.h"
#include "intake/intake.h"
#include "store/testutil.h"

enum {
	COORD_FIN,    /* integrity coordinator at FIN: handler of FIN and FIN-DGB reports */
	COORD2_FIN,   /* a second integrity coordinator at FIN */
	ADV_FIN,      /* confidential adviser at FIN: a handler, not a coordinator */
	INV_FIN,      /* investigator at FIN: no report key of its own */
	INV_DGB,      /* investigator at the unit FIN-DGB */
	INV_BZK,      /* investigator at BZK */
	AUTH_FIN,     /* competent authority at FIN */
	AUTH_BZK,     /* competent authority at BZK */
	COORD_BZK,    /* integrity coordinator at BZK */
	COORD_BOTH,   /* integrity coordinator at FIN and at BZK */
	NACCOUNTS
};

extern const char *const cfx_users[NACCOUNTS];

struct cfx {
	struct testfx t;
	int64_t ids[NACCOUNTS];
	unsigned char sk[NACCOUNTS][ACCOUNT_KEY_BYTES]; /* signed in once, on demand */
	int have_sk[NACCOUNTS];
	char today[DATE_LEN + 1];
};

/* cmocka setup and teardown: *state is a struct cfx. */
int cfx_setup(void **state);
int cfx_teardown(void **state);

/* The integer in the first column of the first row of sql. */
int64_t cfx_q(struct cfx *f, const char *sql);
/* The secret key of account who. */
const unsigned char *cfx_sk(struct cfx *f, int who);
/* Submits a report to org with these answers (a JSON object); returns its id. */
int64_t cfx_report(struct cfx *f, const char *org, const char *answers);
/* Opens a case from reports ids[0..n) as who today; fails the test on error. */
int64_t cfx_open(struct cfx *f, int who, const int64_t *ids, size_t n);
/* The case key of case_id as member who; fails the test otherwise. */
void cfx_key(struct cfx *f, int64_t case_id, int who, struct cases_key *k);
/* The summary key of case_id as authority who; fails the test otherwise. */
void cfx_authority_key(struct cfx *f, int64_t case_id, int who, struct cases_key *k);
/* Adds who to the team of the case of k as role, by COORD_FIN. */
void cfx_add(struct cfx *f, const struct cases_key *k, int who, const char *role);
/* Fails the test unless the audit trail verifies. */
void cfx_audit_ok(struct cfx *f);
/* 1 if needle occurs in hay[0..n). */
int cfx_contains(const unsigned char *hay, size_t n, const char *needle);

#endif
