/* seed.h: reports for the tests of src/keys, written straight into the
 * tables as the reporting channel stores them (migration 0005/0006, crypto/
 * envelope.h), so that recovery is tested without depending on how intake
 * fills them. Shared by the unit tests and the command-line tests' helper
 * (tests/cli/keys_seed.c); no cmocka here. */
#ifndef TESTS_UNIT_KEYS_SEED_H
#define TESTS_UNIT_KEYS_SEED_H
#include <stddef.h>
#include <stdint.h>

#include "crypto/envelope.h"
#include "store/db.h"

/* The purpose of the body blob the seeded reports carry. */
#define SEED_PURPOSE "report-body"
#define SEED_BODY "{\"v\":1,\"answers\":{\"wat\":\"seeded\"},\"identity\":null}"

/* Inserts a report of organisation row org_id with a fresh key: its body
 * (SEED_BODY) encrypted under it, the key sealed to each account in
 * holders[0..n) and, when recovery_key_id is not 0, to that recovery key
 * (its public key read from recovery_key). The key is copied to key_out when
 * not NULL. One transaction. Returns the report id, or -1 with a message on
 * stderr. */
int64_t seed_report(db_t *db, int64_t org_id, const int64_t *holders, size_t n,
		    int64_t recovery_key_id, unsigned char key_out[ENVELOPE_KEY_BYTES]);

/* The id of the current recovery key, 0 when there is none, -1 on error. */
int64_t seed_current_key(db_t *db);

#endif
