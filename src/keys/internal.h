/* internal.h: what store.c and recover.c share inside src/keys; not part of
 * the module's face (keys.h). */
#ifndef KEYS_INTERNAL_H
#define KEYS_INTERNAL_H
#include "base/fail.h"
#include "keys/keys.h"

/* Fills e (code c, the message from a printf format); returns -1 so that
 * callers can `return keys_fail(...)` (base/fail.h). */
#define keys_fail(e, c, ...) fail_set(&(e)->code, (c), (e)->msg, sizeof (e)->msg, __VA_ARGS__)
/* Turns the database's last error into e (KEYS_EDB). */
#define keys_fail_db(db, e) keys_fail((e), KEYS_EDB, "%s", db_error(db)->msg)

/* Reads recovery key id with its custodians (not its report count). Returns
 * 0, 1 when there is no such key, or -1 with e set (KEYS_EDAMAGED for a
 * malformed row, KEYS_EDB). */
int keys_load_key(db_t *db, int64_t id, struct keys_key *out, struct keys_error *e);

/* Looks up an account by username for src/keys: 0 with *a filled, or -1 with
 * e set (KEYS_EINVALID malformed, KEYS_ENOTFOUND, KEYS_EDB). */
int keys_find_account(db_t *db, const char *username, struct account *a,
		      struct keys_error *e);

#endif
