/* internal.h: what store.c, read.c, follow.c and rsession.c share inside
 * src/intake (defined in shared.c, and the file helpers in follow.c); not for
 * other areas, which use intake.h and rsession.h. */
#ifndef INTAKE_INTERNAL_H
#define INTAKE_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "base/fail.h"
#include "intake/intake.h"

/* Fills e (code c, the message from a printf format); returns -1 so that
 * callers can `return intake_fail(...)` (base/fail.h). */
#define intake_fail(e, c, ...) fail_set(&(e)->code, (c), (e)->msg, sizeof (e)->msg, __VA_ARGS__)
/* INTAKE_EDB with the database's own message; returns -1. */
#define intake_fail_db(db, e) intake_fail((e), INTAKE_EDB, "%s", db_error(db)->msg)
/* Sets e to INTAKE_OK with an empty message. */
void intake_error_clear(struct intake_error *e);

/* Begins a transaction (a read-only one when read_only) and sets *in_tx.
 * Returns 0 or -1 (db_error has why). */
int intake_tx_begin(db_t *db, int read_only, int *in_tx);
/* Begins a read transaction (*in_tx set) and prepares sql, whose first
 * parameter is bound to report_id: the start of every read of one report's
 * rows. Returns 0 or -1 (db_error has why). */
int intake_select_report(db_t *db, const char *sql, int64_t report_id, db_stmt_t **st,
			 int *in_tx);
/* The end of every query function, success or not: finalizes st (may be
 * NULL) and rolls back the transaction when in_tx says it was not
 * committed. */
void intake_tx_end(db_t *db, db_stmt_t *st, int in_tx);

/* 0 when account_id, not disabled, holds a key row for report_id; 1 when
 * not; -1 on a db error. */
int intake_holds_key(db_t *db, int64_t report_id, int64_t account_id);

/* follow.c: checks files against the limits of intake.h. 0, or -1 with e
 * (INTAKE_EINVALID). */
int intake_files_check(const struct intake_file *files, size_t n, struct intake_error *e);
/* Stores n checked files for report_id under key, inside the caller's write
 * transaction: message_id 0 for the report itself; from_reporter picks
 * added_by; at is the UTC timestamp. 0, or -1 with e. */
int intake_files_store(db_t *db, const unsigned char key[ENVELOPE_KEY_BYTES], int64_t report_id,
		       int64_t message_id, int from_reporter, const char *at,
		       const struct intake_file *files, size_t n, struct intake_error *e);

#endif
