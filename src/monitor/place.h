/* place.h: where a count of one organisation row belongs, for the annual
 * report and the dashboard alike, so that both follow a reorganisation by
 * the same rule (docs/monitoring.md, "Reorganised departments"):
 *
 *   as it was   the department the row was, or lay under: rows are kept
 *               per period, so a unit's row names its department of then,
 *               and a department renamed in a year is two rows (two names);
 *   today       the departments open today that the row's successor links
 *               reach (org_lineage), each taken to its department. One: the
 *               count moves there (a rename, a merge, a unit moved in a
 *               split). Several (a department's own row, split) or none (an
 *               abolished one): nothing says where it belongs, so the
 *               caller keeps it under the department as it was, marked, and
 *               never apportions it.
 *
 * Pure: the tree comes in (orgs_load). */
#ifndef MONITOR_PLACE_H
#define MONITOR_PLACE_H
#include <stddef.h>
#include <stdint.h>

#include "orgs/orgs.h"

struct mon_place {
	const struct org *was;                        /* as it was (a department, or
							 the government for a row at
							 the top) */
	const struct org *succ[ORG_MAX_SUCCESSORS];   /* today's departments, distinct */
	size_t nsucc;
	int succ_outside;                             /* one of succ is outside the
							 coordinator's scope */
};

/* The place of organisation row org_id in t. 0, or -1 when t does not know
 * it or it lies under nothing (out untouched then). */
int mon_place(const struct org_table *t, int64_t org_id, struct mon_place *out);

/* The department row o is or lies under (o itself for a government). */
const struct org *mon_dept_of(const struct org_table *t, const struct org *o);

#endif
