/* internal.h: what the storage files of src/recs share; not for other areas. */
#ifndef RECS_INTERNAL_H
#define RECS_INTERNAL_H
#include <stdint.h>

#include "base/fail.h"
#include "recs/recs.h"

void recs_error_clear(struct recs_error *e);
/* Fills e with code c and msgid m; returns -1 (base/fail.h). */
#define recs_fail(e, c, m) fail_msgid(&(e)->code, &(e)->msgid, (c), (m))
/* RECS_EDB with the database's message in e->detail; returns -1. */
#define recs_fail_db(db, e) \
	fail_set(&(e)->code, RECS_EDB, (e)->detail, sizeof (e)->detail, "%s", db_error(db)->msg)
/* Rolls back the caller's transaction; -1, with e->code RECS_EDB when
 * nothing said why. */
int recs_rollback(db_t *db, struct recs_error *e);
void recs_copy(char *dst, size_t cap, const char *src);
/* One audit entry: action on object_type object_id by actor_id, with
 * detail (may be NULL). 0 or -1. */
int recs_audit(db_t *db, const struct audit_signer *s, int64_t actor_id, const char *action,
	       const char *object_type, int64_t object_id, const char *detail);
/* The code of department org_id into code (ORG_CODE_MAX + 1): 0, 1 when
 * org_id is no department, -1 db error. open_only: only an open one. */
int recs_department_code(db_t *db, int64_t org_id, int open_only, char *code);

#endif
