/* pages_queries.c: metadata the case pages need that the case storage's
 * face (cases.h) does not offer (pages.h): whether a report is in a case, and
 * the open cases of the departments an integrity coordinator works for, for
 * the "due and overdue" view. Read-only, in the clear by design (migration
 * 0008: the organisation, protocol, phase and dates run the terms without
 * anyone's key); nothing decrypted. Candidates to move into the storage. */
#include <stdio.h>
#include <string.h>

#include "cases/pages.h"
#include "store/db.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

int case_q_report_case(db_t *db, int64_t report_id, int64_t *case_id)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)report_id);
	*case_id = 0;
	return db_query_i64(db, "SELECT case_id FROM case_report_key WHERE report_id = ?", id,
			    case_id);
}

/* The organisations each integrity_coordinator role of ?1 reaches, with the
 * role's own organisation as root: the row itself and, for a department,
 * the units under it (through units under units): the same rule as
 * ORGS_REACH_CTE (orgs.h) read downwards. A role at a unit reaches only that
 * unit. */
#define DOWN_CTE                                                                            \
	"WITH RECURSIVE down(id, root) AS ("                                                \
	" SELECT r.org_id, r.org_id FROM account_role r JOIN account a ON a.id = r.account_id" \
	" WHERE r.account_id = ?1 AND r.role = 'integrity_coordinator' AND a.disabled = 0"   \
	" UNION SELECT o.id, down.root FROM org o JOIN down ON o.parent_id = down.id"        \
	" JOIN org ro ON ro.id = down.root WHERE o.kind = 'unit' AND ro.kind = 'department') "

int case_q_coordinated(db_t *db, int64_t account_id, struct case_q_open *out, size_t cap,
		       size_t *n)
{
	db_stmt_t *st = NULL;
	*n = 0;
	if (db_prepare(db,
		       DOWN_CTE
		       "SELECT c.id, oc.code, c.protocol, c.protocol_revision, c.phase, "
		       "c.phase_started_on, min(od.code), EXISTS (SELECT 1 FROM case_member m "
		       "WHERE m.case_id = c.id AND m.account_id = ?1 AND m.removed_on IS NULL) "
		       "FROM case_file c JOIN down ON down.id = c.org_id "
		       "JOIN org oc ON oc.id = c.org_id JOIN org od ON od.id = down.root "
		       "WHERE c.closed_on IS NULL AND c.purged_on IS NULL "
		       "GROUP BY c.id, oc.code ORDER BY min(od.code), c.id",
		       &st) != 0 ||
	    db_bind_i64(st, 1, account_id) != 0)
		goto fail;
	int step = DB_DONE;
	while (*n < cap && (step = db_step(st)) == DB_ROW) {
		struct case_q_open *o = &out[(*n)++];
		memset(o, 0, sizeof *o);
		o->id = db_col_i64(st, 0);
		copy(o->org_code, sizeof o->org_code, db_col_text(st, 1));
		copy(o->protocol, sizeof o->protocol, db_col_text(st, 2));
		o->protocol_revision = (int)db_col_i64(st, 3);
		copy(o->phase, sizeof o->phase, db_col_text(st, 4));
		copy(o->phase_started_on, sizeof o->phase_started_on, db_col_text(st, 5));
		copy(o->dept_code, sizeof o->dept_code, db_col_text(st, 6));
		o->member = db_col_i64(st, 7) != 0;
	}
	if (*n < cap && step != DB_DONE)
		goto fail;
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	*n = 0;
	return -1;
}

/* ---- the place of a violation (issue 6 item 4) ---- */

int case_q_processes(db_t *db, int64_t dept_id, struct case_q_choice *out, size_t cap,
		     size_t *n)
{
	db_stmt_t *st = NULL;
	*n = 0;
	/* the risk register's table (migration 0013), read-only: cases lie
	 * below src/risks in the feature order */
	if (db_prepare(db, "SELECT id, name FROM risk_process WHERE org_id = ? ORDER BY name, id",
		       &st) != 0 ||
	    db_bind_i64(st, 1, dept_id) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && *n < cap) {
		out[*n].id = db_col_i64(st, 0);
		copy(out[*n].name, sizeof out[*n].name, db_col_text(st, 1));
		(*n)++;
	}
	db_finalize(st);
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

int case_q_units(db_t *db, int64_t dept_id, const char *today, struct case_q_choice *out,
		 size_t cap, size_t *n)
{
	db_stmt_t *st = NULL;
	*n = 0;
	if (db_prepare(db, "WITH RECURSIVE down(id, depth) AS (SELECT ?1, 0 UNION ALL "
			   "SELECT o.id, down.depth + 1 FROM org o JOIN down ON o.parent_id = "
			   "down.id WHERE o.kind = 'unit' AND down.depth < 16) "
			   "SELECT o.id, o.code || ' ' || o.name FROM down JOIN org o ON o.id = down.id "
			   "WHERE o.kind = 'unit' AND o.valid_from <= ?2 AND "
			   "(o.valid_to IS NULL OR o.valid_to > ?2) ORDER BY o.code, o.id", &st) != 0 ||
	    db_bind_i64(st, 1, dept_id) != 0 || db_bind_text(st, 2, today, (size_t)-1) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && *n < cap) {
		out[*n].id = db_col_i64(st, 0);
		copy(out[*n].name, sizeof out[*n].name, db_col_text(st, 1));
		(*n)++;
	}
	db_finalize(st);
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}
