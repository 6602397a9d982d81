/* annual_store.c: the annual report read from the database: the whole
 * organisation tree (small, orgs.h) and the year's grouped counts from both
 * sources (registrations/counts.c), then annual_build. Reads only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/dataset.h"
#include "monitor/annual.h"

enum annual_status annual_load(db_t *db, const struct annual_opts *opts,
			       struct annual_report *r, char *err, size_t errlen)
{
	struct annual_opts o = *opts;
	memset(r, 0, sizeof *r);
	if (opts->year < ANNUAL_YEAR_MIN || opts->year > ANNUAL_YEAR_MAX) {
		snprintf(err, errlen, "the year must lie between %d and %d", ANNUAL_YEAR_MIN,
			 ANNUAL_YEAR_MAX);
		return ANNUAL_EINVALID;
	}
	if (!o.taxonomy) {
		if (cases_data_init(err, errlen) != 0)
			return ANNUAL_EINVALID;
		const struct cases_taxonomy *t = cases_data_taxonomy();
		o.taxonomy = t->id;
		o.taxonomy_revision = t->revision;
	}
	struct org_table orgs;
	struct reg_count *counts = NULL;
	struct reg_measure_count *measures = NULL;
	size_t ncounts = 0, nmeasures = 0;
	org_table_init(&orgs);
	enum annual_status s = ANNUAL_EDB;
	if (orgs_load(db, &orgs) == 0 &&
	    registrations_counts(db, o.year, o.year, &counts, &ncounts) == 0 &&
	    registrations_measure_counts(db, o.year, o.year, &measures, &nmeasures) == 0)
		s = annual_build(&orgs, counts, ncounts, measures, nmeasures, &o, r, err, errlen);
	else
		snprintf(err, errlen, "%s", db_error(db)->msg);
	free(counts);
	free(measures);
	org_table_free(&orgs);
	return s;
}
