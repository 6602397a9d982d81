/* internal.h: what store.c and store_items.c share; not for other areas. */
#ifndef RISKS_INTERNAL_H
#define RISKS_INTERNAL_H
#include <stdint.h>

#include "base/fail.h"
#include "risks/risks.h"

/* Fills e with code c and msgid m; returns -1 (base/fail.h). */
#define risks_fail(e, c, m) fail_msgid(&(e)->code, &(e)->msgid, (c), (m))
/* RISKS_EDB with the database's message in e->detail; returns -1. */
#define risks_fail_db(db, e) \
	fail_set(&(e)->code, RISKS_EDB, (e)->detail, sizeof (e)->detail, "%s", db_error(db)->msg)
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

/* ---- the steps every save takes, inside the caller's transaction ---- */

/* 0 if row id of table is org_id's; else -1 with e: code and msgid when it
 * is not (or there is none), RISKS_EDB on a database error. */
int risks_require(db_t *db, const char *table, int64_t id, int64_t org_id, int code,
		  const char *msgid, struct risks_error *e);
/* 0 if org_id holds fewer than RISKS_ITEMS_MAX rows of table; else -1 with
 * e: RISKS_EFULL with full, or RISKS_EDB. */
int risks_room(db_t *db, const char *table, int64_t org_id, const char *full,
	       struct risks_error *e);
/* The row to change is org_id's (id set: risks_require, RISKS_ENOTFOUND
 * with notfound) or there is room for a new one (id 0: risks_room). */
int risks_claim(db_t *db, const char *table, int64_t id, int64_t org_id, const char *notfound,
		const char *full, struct risks_error *e);

/* Who changes the register, and when. */
struct risks_act {
	const struct audit_signer *s;
	int64_t actor_id;
	int64_t org_id;      /* the department: the audit entry's detail */
	const char *today;
};

/* One kind of row as written: its table (also the audit entry's object
 * type), the INSERT (?1 the row's owner: the department, or the risk of a
 * control) and the UPDATE (?1 the row's id), both RETURNING id, and the
 * audit action of each. */
struct risks_upsert {
	const char *table;
	const char *insert_sql, *update_sql;
	const char *added, *updated;
};

/* Binds a record's own values (?2 onwards; today is a's). 0 or -1. */
typedef int risks_bind_fn(db_stmt_t *st, const void *rec, const char *today);

/* Writes one row (new when *id is 0, under owner), sets *id to its id,
 * appends its audit entry and commits the caller's transaction. 0, or -1
 * with e (RISKS_EDB): the caller rolls back. */
int risks_upsert(db_t *db, const struct risks_act *a, const struct risks_upsert *u,
		 int64_t owner, risks_bind_fn *bind, const void *rec, int64_t *id,
		 struct risks_error *e);
/* Clears e and opens a save's transaction, unless the record broke a rule
 * (why: the model's msgid, NULL when none): 0, or -1 with e (RISKS_EINVALID
 * with why, or RISKS_EDB) and no transaction. */
int risks_begin(db_t *db, const char *why, struct risks_error *e);
/* Rolls back the caller's transaction after a refused or failed change;
 * -1, with e->code RISKS_EDB when nothing said why. */
int risks_rollback(db_t *db, struct risks_error *e);

/* Room in arena a for the rows of table that org_id has now (at most
 * RISKS_ITEMS_MAX; rows added meanwhile are left for the next read): *cap
 * rows of size bytes, never a NULL pointer. */
void *risks_rows_alloc(db_t *db, struct arena *a, const char *table, int64_t org_id,
		       size_t size, size_t *cap);

#endif
