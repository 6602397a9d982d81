/* kfx.h: the fixture of the src/keys tests. Each test gets its own folder
 * with a fresh database, signing key, the organisations RIJK > FIN > FIN-DGB
 * and RIJK > BZK, and the accounts below (all with password KFX_PW):
 *
 *   cust1..cust5  custodians-to-be, no roles
 *   old.fin       integrity coordinator at FIN who left (disabled)
 *   new.fin       integrity coordinator at FIN, the successor
 *   adv.dgb       confidential adviser at FIN-DGB (a unit)
 *   coord.bzk     integrity coordinator at BZK, no role at FIN
 *   gone          disabled, no roles */
#ifndef TESTS_UNIT_KEYS_KFX_H
#define TESTS_UNIT_KEYS_KFX_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "crypto/envelope.h"
#include "keys/keys.h"
#include "store/testutil.h"

#define KFX_ACTOR "cli:test"
#define KFX_PW "paard batterij nietje"

enum { CUST1, CUST2, CUST3, CUST4, CUST5, OLD_FIN, NEW_FIN, ADV_DGB, COORD_BZK, GONE, KFX_N };

struct kfx {
	struct testfx t;
	int64_t ids[KFX_N];
	int64_t org_fin, org_dgb, org_bzk;  /* org row ids */
};

extern const char *const kfx_users[KFX_N];

int kfx_setup(void **state);
int kfx_teardown(void **state);

/* The integer of sql's first row. Fails the test on error. */
int64_t kfx_q(struct kfx *f, const char *sql);
/* Makes a recovery key split k-of-n among the accounts who[0..n); returns its id. */
int64_t kfx_key(struct kfx *f, unsigned k, const int *who, size_t n);
/* A report of org row org sealed to the accounts who[0..n) and to recovery
 * key recovery_key_id (0: none); its key goes to key_out (may be NULL). */
int64_t kfx_report(struct kfx *f, int64_t org, const int *who, size_t n, int64_t recovery_key_id,
		   unsigned char key_out[ENVELOPE_KEY_BYTES]);
/* The secret key of account who, by signing in with pw (KFX_PW when NULL). */
void kfx_secret_key(struct kfx *f, int who, unsigned char sk[ACCOUNT_KEY_BYTES]);
/* Asserts that account who's sealed key row of report opens with their
 * current key pair to key. */
void kfx_assert_opens(struct kfx *f, int who, int64_t report,
		      const unsigned char key[ENVELOPE_KEY_BYTES]);
/* Asserts that the audit trail verifies. */
void kfx_audit_ok(struct kfx *f);

#endif
