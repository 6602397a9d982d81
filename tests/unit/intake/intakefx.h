/* intakefx.h: the fixture of the intake store tests (test_intake_store.c,
 * test_intake_follow.c, test_intake_rsession.c): a fresh folder with a
 * migrated database and signing key, the organisations RIJK > FIN > FIN-DGB,
 * RIJK > BZK, RIJK > EZK (no handler), and the accounts below. */
#ifndef TESTS_UNIT_INTAKE_INTAKEFX_H
#define TESTS_UNIT_INTAKE_INTAKEFX_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "intake/intake.h"
#include "store/testutil.h"

enum {
	COORD_FIN,     /* integrity coordinator at FIN: a handler of FIN and FIN-DGB */
	ADV_FIN,       /* confidential adviser at FIN: a handler too, and may register */
	COORD_BZK,     /* handler of BZK only */
	AUDITOR_FIN,   /* no handler */
	DISABLED_FIN,  /* a coordinator at FIN, disabled */
	MANAGER_FIN,   /* may register reports for FIN and its units; no handler */
	MANAGER_BZK,
	NACCOUNTS
};

extern const char *const ifx_users[NACCOUNTS];

struct ifx {
	struct testfx t;
	int64_t ids[NACCOUNTS];
	unsigned char sk[NACCOUNTS][ACCOUNT_KEY_BYTES]; /* signed in once, on demand */
	int have_sk[NACCOUNTS];
};

/* cmocka setup and teardown: *state is a struct ifx. */
int ifx_setup(void **state);
int ifx_teardown(void **state);

/* The integer of the first column of the first row of sql. */
int64_t ifx_q(struct ifx *f, const char *sql);
/* The secret key of account who; for DISABLED_FIN (which cannot sign in)
 * COORD_FIN's, to try with. */
const unsigned char *ifx_sk(struct ifx *f, int who);
/* A submission with the fixed kind and questionnaire of these tests. */
struct intake_submission ifx_sub(const char *org, const char *mode, const char *answers,
				 const char *identity);
/* Submits s, failing the test on error; returns the id. */
int64_t ifx_submit(struct ifx *f, const struct intake_submission *s,
		   char receipt[RECEIPT_SHOWN_SIZE]);
/* The key of report id as account who holds it; fails the test otherwise. */
void ifx_key(struct ifx *f, int64_t id, int who, struct intake_key *k);
/* Fails the test unless the audit trail verifies. */
void ifx_audit_ok(struct ifx *f);
/* 1 if needle occurs in hay[0..n). */
int ifx_contains(const unsigned char *hay, size_t n, const char *needle);
/* Swaps column col of rows a and b of table (both by id). */
void ifx_swap(struct ifx *f, const char *table, const char *col, int64_t a, int64_t b);

#endif
