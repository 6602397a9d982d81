/* annual_store.c: the annual report read from the database: the whole
 * organisation tree (small, orgs.h), the year's grouped counts from both
 * sources (registrations/counts.c) and the reports' clocks (migration 0017's
 * monitor_report_count, and the reports still without feedback for what is
 * overdue on as_of, as the dashboard reads them), then annual_build. Reads
 * only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/dataset.h"
#include "monitor/annual.h"
#include "monitor/dash.h"

static enum annual_clock clock_of(const char *s)
{
	return strcmp(s, "on_time") == 0 ? ANNUAL_CLOCK_ON_TIME
	       : strcmp(s, "late") == 0  ? ANNUAL_CLOCK_LATE
					 : ANNUAL_CLOCK_NONE;
}

/* The year's reports per organisation row and how their clocks ended. */
static int load_reports(db_t *db, int year, struct annual_report_count **out, size_t *n)
{
	db_stmt_t *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT org_id, ack, feedback, sum(n) FROM monitor_report_count "
			   "WHERE year = ? GROUP BY org_id, ack, feedback HAVING sum(n) > 0",
		       &st) != 0)
		return -1;
	db_bind_i64(st, 1, year);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[(*n)++] = (struct annual_report_count){
			.org_id = db_col_i64(st, 0), .year = year,
			.ack = clock_of(db_col_text(st, 1)),
			.feedback = clock_of(db_col_text(st, 2)), .n = db_col_i64(st, 3)};
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The year's reports without feedback that was due before as_of
 * (MON_OVERDUE_SQL: the rule of migration 0017's view, the dashboard's
 * "Overdue now"). */
static int load_overdue(db_t *db, int year, const char *as_of, struct annual_overdue **out,
			size_t *n)
{
	db_stmt_t *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, MON_OVERDUE_SQL, &st) != 0)
		return -1;
	db_bind_i64(st, 1, year);
	db_bind_text(st, 2, as_of, (size_t)-1);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[(*n)++] = (struct annual_overdue){.org_id = db_col_i64(st, 0), .year = year,
							 .n = db_col_i64(st, 1)};
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

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
	char today[DATE_LEN + 1];
	if (!o.as_of) {
		date_today(today);
		o.as_of = today;
	}
	if (date_valid(o.as_of, strlen(o.as_of)) != 0) {
		snprintf(err, errlen, "the date of the figures must be a date, YYYY-MM-DD");
		return ANNUAL_EINVALID;
	}
	struct org_table orgs;
	struct reg_count *counts = NULL;
	struct reg_measure_count *measures = NULL;
	struct annual_report_count *reports = NULL;
	struct annual_overdue *overdue = NULL;
	struct annual_input in = {0};
	org_table_init(&orgs);
	enum annual_status s = ANNUAL_EDB;
	/* one read snapshot: the counts and the overdue reports agree */
	if (db_begin_read(db) != 0) {
		snprintf(err, errlen, "%s", db_error(db)->msg);
		return ANNUAL_EDB;
	}
	if (orgs_load(db, &orgs) == 0 &&
	    registrations_counts(db, o.year, o.year, &counts, &in.ncounts) == 0 &&
	    registrations_measure_counts(db, o.year, o.year, &measures, &in.nmeasures) == 0 &&
	    load_reports(db, o.year, &reports, &in.nreports) == 0 &&
	    load_overdue(db, o.year, o.as_of, &overdue, &in.noverdue) == 0) {
		in.counts = counts;
		in.measures = measures;
		in.reports = reports;
		in.overdue = overdue;
		s = annual_build(&orgs, &in, &o, r, err, errlen);
	} else {
		snprintf(err, errlen, "%s", db_error(db)->msg);
	}
	db_rollback(db);
	free(counts);
	free(measures);
	free(reports);
	free(overdue);
	org_table_free(&orgs);
	return s;
}
