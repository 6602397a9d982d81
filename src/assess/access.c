/* access.c: what an account may do for a department's self-assessment
 * (assess.h), decided in the database from its role rows, so that every
 * storage call checks again what the page decided from the session.
 *
 * The rules match src/accounts/scope.h: a department's own roles are held at
 * the department or at any unit under it; the coordinator and the auditor
 * oversee the departments directly under the government where they hold
 * their role, never one marked outside_scope (Defence). */
#include "assess/assess.h"

/* ?1 the department, ?2 the account. Columns: holds integrity_coordinator
 * there; holds manager there; coordinator in scope; auditor in scope. */
static const char CAPS_SQL[] =
	"WITH RECURSIVE down(id) AS (SELECT ?1"
	" UNION SELECT o.id FROM org o JOIN down ON o.parent_id = down.id WHERE o.kind = 'unit'),"
	" dept AS (SELECT d.id, d.parent_id, d.outside_scope FROM org d"
	"  WHERE d.id = ?1 AND d.kind = 'department'),"
	" mine AS (SELECT r.role, r.org_id FROM account_role r JOIN account a ON a.id = r.account_id"
	"  WHERE r.account_id = ?2 AND a.disabled = 0)"
	" SELECT"
	" (SELECT count(*) FROM mine WHERE role = 'integrity_coordinator'"
	"   AND org_id IN (SELECT id FROM down) AND EXISTS (SELECT 1 FROM dept)),"
	" (SELECT count(*) FROM mine WHERE role = 'manager'"
	"   AND org_id IN (SELECT id FROM down) AND EXISTS (SELECT 1 FROM dept)),"
	" (SELECT count(*) FROM mine m JOIN dept d ON d.parent_id = m.org_id"
	"   JOIN org g ON g.id = d.parent_id AND g.kind = 'government'"
	"   WHERE m.role = 'coordinator' AND d.outside_scope = 0),"
	" (SELECT count(*) FROM mine m JOIN dept d ON d.parent_id = m.org_id"
	"   JOIN org g ON g.id = d.parent_id AND g.kind = 'government'"
	"   WHERE m.role = 'auditor' AND d.outside_scope = 0)";

int assess_caps(db_t *db, int64_t dept_id, int64_t account_id, unsigned *caps)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	*caps = 0;
	if (db_prepare(db, CAPS_SQL, &st) != 0 || db_bind_i64(st, 1, dept_id) != 0 ||
	    db_bind_i64(st, 2, account_id) != 0 || db_step(st) != DB_ROW)
		goto out;
	int ic = db_col_i64(st, 0) > 0, mgr = db_col_i64(st, 1) > 0;
	int coord = db_col_i64(st, 2) > 0, aud = db_col_i64(st, 3) > 0;
	if (ic || mgr)
		*caps |= ASSESS_CAP_DRAFT;
	if (ic)
		*caps |= ASSESS_CAP_SIGN;
	if (coord)
		*caps |= ASSESS_CAP_REVIEW;
	if (*caps || aud)
		*caps |= ASSESS_CAP_READ;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}
