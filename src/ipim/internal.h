/* internal.h: what the storage files of src/ipim share; not for other areas. */
#ifndef IPIM_INTERNAL_H
#define IPIM_INTERNAL_H
#include <stdint.h>

#include "base/fail.h"
#include "ipim/ipim.h"

void ipim_error_clear(struct ipim_error *e);
/* Fills e with code c and msgid m; returns -1 (base/fail.h). */
#define ipim_fail(e, c, m) fail_msgid(&(e)->code, &(e)->msgid, (c), (m))
/* IPIM_EDB with the database's message in e->detail; returns -1. */
#define ipim_fail_db(db, e) \
	fail_set(&(e)->code, IPIM_EDB, (e)->detail, sizeof (e)->detail, "%s", db_error(db)->msg)
/* Rolls back the caller's transaction; -1 (EDB when nothing said why). */
int ipim_rollback(db_t *db, struct ipim_error *e);
void ipim_copy(char *dst, size_t cap, const char *src);
/* One audit entry: action on object_type object_id by actor_id. 0 or -1. */
int ipim_audit(db_t *db, const struct audit_signer *s, int64_t actor_id, const char *action,
	       const char *object_type, int64_t object_id);

#endif
