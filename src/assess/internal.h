/* internal.h: what the storage files of src/assess (store.c, keys.c,
 * evidence.c) share; other areas use assess.h. */
#ifndef ASSESS_INTERNAL_H
#define ASSESS_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "base/fail.h"
#include "assess/assess.h"

/* room for "assess-evidence-meta:" and an int64 */
#define ASSESS_PURPOSE_LEN 48

/* Fills e (code c, the message from a printf format); returns -1 so that
 * callers can `return assess_fail(...)` (base/fail.h). */
#define assess_fail(e, c, ...) fail_set(&(e)->code, (c), (e)->msg, sizeof (e)->msg, __VA_ARGS__)
/* ASSESS_EDB with the database's message; returns -1. */
#define assess_fail_db(db, e) assess_fail((e), ASSESS_EDB, "%s", db_error(db)->msg)
void assess_error_clear(struct assess_error *e);

/* Begins a transaction (write unless read_only) and sets *in_tx; 0 or -1. */
int assess_tx_begin(db_t *db, int read_only, int *in_tx);
/* Finalizes st (may be NULL) and rolls back when in_tx. */
void assess_tx_end(db_t *db, db_stmt_t *st, int in_tx);

/* Appends an audit entry by "user:<actor_id>" on object "assessment" id. 0
 * or -1. */
int assess_audit(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		 const char *action, int64_t id, const char *detail);

/* The department, status and framework revision of assessment id, and the
 * actor's caps there: 0, 1 no such assessment, -1 db. */
struct assess_head {
	int64_t dept_id;
	int64_t fw_version_id;
	int status;
	int year;
	char fw_code[FW_CODE_MAX + 1];
};
int assess_head_load(db_t *db, int64_t id, struct assess_head *out);

/* keys.c: inside the caller's write transaction, seals key to every
 * eligible account of department dept_id that holds no copy of assessment
 * id yet (and, when with_recovery, to the current recovery key); *added
 * (may be NULL) gets the accounts sealed to, at most cap ids into ids (may
 * be NULL). 0 or -1 with e. */
int assess_keys_seal(db_t *db, int64_t id, int64_t dept_id,
		     const unsigned char key[ENVELOPE_KEY_BYTES], int with_recovery,
		     int64_t *ids, size_t cap, size_t *added, struct assess_error *e);

/* evidence.c: inside the caller's write transaction, stores one evidence
 * item of assessment id for requirement req by actor_id; files are sealed
 * under key. *evid gets its id. 0 or -1 with e. */
int assess_evidence_insert(db_t *db, int64_t id, int64_t actor_id,
			   const unsigned char *key, const struct assess_evidence_in *in,
			   int64_t *evid, struct assess_error *e);

#endif
