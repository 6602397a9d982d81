/* internal.h: what the storage files of src/ipim share; not for other areas. */
#ifndef IPIM_INTERNAL_H
#define IPIM_INTERNAL_H
#include <stdint.h>

#include "ipim/ipim.h"

void ipim_error_clear(struct ipim_error *e);
/* Fills e; returns -1. */
int ipim_fail(struct ipim_error *e, int code, const char *msgid);
/* IPIM_EDB with the database's message; returns -1. */
int ipim_fail_db(db_t *db, struct ipim_error *e);
/* Rolls back the caller's transaction; -1 (EDB when nothing said why). */
int ipim_rollback(db_t *db, struct ipim_error *e);
void ipim_copy(char *dst, size_t cap, const char *src);
/* One audit entry: action on object_type object_id by actor_id. 0 or -1. */
int ipim_audit(db_t *db, const struct audit_signer *s, int64_t actor_id, const char *action,
	       const char *object_type, int64_t object_id);

#endif
