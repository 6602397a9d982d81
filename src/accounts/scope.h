/* scope.h: for which departments a signed-in user may act, by the roles they
 * hold. Two answers, because the issue 6 and 7 pages ask two questions:
 *
 *   own          departments where the user holds one of the roles, at the
 *                department itself or at one of its units: a department's
 *                integrity coordinator drafts and signs off its assessment
 *                and keeps its risk register;
 *   coordinated  departments the coordinating ministry oversees: every open
 *                department of the government where the user holds one of the
 *                roles (coordinator, auditor, IPIM member), minus those marked
 *                outside its scope (Defence, shared/domain §1), which never
 *                appear in any list, figure or export of the coordinator.
 *
 * Only open organisation rows count (valid_to unset): a role at a department
 * that has since been split or renamed gives nothing until it is given again
 * at the successor (roles do not follow reorganisations, docs/roles.md). */
#ifndef ACCOUNTS_SCOPE_H
#define ACCOUNTS_SCOPE_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/viewer.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define SCOPE_MAX 64 /* departments in one answer; a government has a dozen */

struct scope_dept {
	int64_t id;  /* the department's open org row */
	char code[ORG_CODE_MAX + 1];
	char name[ORG_NAME_MAX + 1];
	int outside_scope;
};

struct scope {
	struct scope_dept dept[SCOPE_MAX];  /* ordered by code */
	size_t n;
};

/* Departments where v holds a role of the mask (role_mask bits) at the
 * department or at a unit under it. Returns 0 with out filled (maybe empty),
 * -1 on a database error. */
int scope_own(db_t *db, const struct viewer *v, unsigned roles, struct scope *out);

/* Departments in the coordinating ministry's scope for v: open departments,
 * not outside_scope, of every government where v holds a role of the mask.
 * Returns 0 or -1 as scope_own. */
int scope_coordinated(db_t *db, const struct viewer *v, unsigned roles, struct scope *out);

/* The open department that org_id is, or lies under. Returns 0 with out set,
 * 1 when there is none (a government, a closed row, no such id), -1 on a
 * database error. */
int scope_department_of(db_t *db, int64_t org_id, struct scope_dept *out);

/* The open department with code (ASCII case ignored). 0, 1 none, -1 db error. */
int scope_department_by_code(db_t *db, const char *code, struct scope_dept *out);

/* Every open department of every government, in or outside the scope, by
 * code: for the command line and the demo. 0 or -1. */
int scope_all_departments(db_t *db, struct scope *out);

/* What every department shares with the others (the good-practice library):
 * every open department, but one outside the coordinator's scope (Defence)
 * only for v when v holds a role there. 0 or -1. */
int scope_shared_with(db_t *db, const struct viewer *v, struct scope *out);

/* The entry of s for dept_id, or NULL: the one check a page makes before it
 * reads or changes a department's data. */
const struct scope_dept *scope_find(const struct scope *s, int64_t dept_id);

#endif
