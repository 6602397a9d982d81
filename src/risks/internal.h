/* internal.h: what store.c and store_items.c share; not for other areas. */
#ifndef RISKS_INTERNAL_H
#define RISKS_INTERNAL_H
#include <stdint.h>

#include "risks/risks.h"

/* Fills e; returns -1. */
int risks_fail(struct risks_error *e, int code, const char *msgid);
/* RISKS_EDB with the database's message in e->detail; returns -1. */
int risks_fail_db(db_t *db, struct risks_error *e);
void risks_error_clear(struct risks_error *e);
void risks_copy(char *dst, size_t cap, const char *src);
/* One audit entry for a change of the register: action, the row's kind and
 * id, detail "org=N". 0 or -1. */
int risks_audit(db_t *db, const struct audit_signer *s, int64_t actor_id, const char *action,
		const char *object_type, int64_t object_id, int64_t org_id);
/* 1 if row id of table ("risk_process", "risk") belongs to org_id, 0 if not
 * (or none), -1 db error. */
int risks_owned(db_t *db, const char *table, int64_t id, int64_t org_id);
/* Rows of table for org_id (risk_control: through its risk). -1 db error. */
int64_t risks_count(db_t *db, const char *table, int64_t org_id);

#endif
