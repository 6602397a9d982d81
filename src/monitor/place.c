/* place.c: one rule for where a count belongs across reorganisations
 * (place.h), shared by the annual report (annual.c) and the dashboard
 * (dash.c), so that the two never disagree about a department. */
#include <stdlib.h>
#include <string.h>

#include "monitor/place.h"

const struct org *mon_dept_of(const struct org_table *t, const struct org *o)
{
	for (int depth = 0; o && o->kind == ORG_UNIT && depth <= ORG_MAX_DEPTH; depth++)
		o = org_by_id(t, o->parent_id);
	return o;
}

/* Today's departments that row o leads to: itself while open, else the
 * open rows its successor links reach, each taken to its department. */
static size_t today_depts(const struct org_table *t, const struct org *o,
			  const struct org **out, size_t cap)
{
	size_t n = 0;
	if (!o->valid_to[0]) {
		const struct org *d = mon_dept_of(t, o);
		if (d)
			out[n++] = d;
		return n;
	}
	struct org_lineage_step *steps = NULL;
	size_t nsteps = 0;
	org_lineage(t, o->id, 1, &steps, &nsteps);
	for (size_t i = 0; i < nsteps; i++) {
		if (steps[i].row->valid_to[0])
			continue;
		const struct org *d = mon_dept_of(t, steps[i].row);
		size_t j = 0;
		while (j < n && out[j] != d)
			j++;
		if (d && j == n && n < cap)
			out[n++] = d;
	}
	free(steps);
	return n;
}

int mon_place(const struct org_table *t, int64_t org_id, struct mon_place *out)
{
	const struct org *o = org_by_id(t, org_id);
	const struct org *was = o ? mon_dept_of(t, o) : NULL;
	if (!was)
		return -1;
	memset(out, 0, sizeof *out);
	out->was = was;
	out->nsucc = today_depts(t, o, out->succ, ORG_MAX_SUCCESSORS);
	for (size_t i = 0; i < out->nsucc; i++)
		out->succ_outside |= out->succ[i]->outside_scope;
	return 0;
}
