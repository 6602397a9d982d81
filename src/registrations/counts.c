/* counts.c: registered violations and measures counted from both sources,
 * imported registers and closed cases (registrations.h says which date puts
 * a case in a year, and why). The grouping happens in SQL on the indexes of
 * migrations 0008 and 0015, so that a million rows come back as a few
 * thousand groups; the caller maps organisations and taxonomy revisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "registrations/registrations.h"

/* Years as a half-open range of dates: ?1 <= day < ?2. */
static void bounds(int year_from, int year_to, char lo[16], char hi[16])
{
	if (year_from > 0)
		snprintf(lo, 16, "%04d-01-01", year_from > 9999 ? 9999 : year_from);
	else
		snprintf(lo, 16, "0000-01-01");
	if (year_to > 0 && year_to < 9999)
		snprintf(hi, 16, "%04d-01-01", year_to + 1);
	else
		snprintf(hi, 16, "9999-99-99");
}

static db_stmt_t *prepare(db_t *db, const char *sql, int year_from, int year_to)
{
	char lo[16], hi[16];
	db_stmt_t *st;
	bounds(year_from, year_to, lo, hi);
	if (db_prepare(db, sql, &st) != 0)
		return NULL;
	if (db_bind_text(st, 1, lo, (size_t)-1) != 0 || db_bind_text(st, 2, hi, (size_t)-1) != 0) {
		db_finalize(st);
		return NULL;
	}
	return st;
}

static const char counts_sql[] =
	"SELECT org_id, y, category, taxonomy, taxonomy_revision, outcome, police_report,"
	" sum(r), sum(c) FROM ("
	" SELECT org_id, CAST(substr(received_on, 1, 4) AS INTEGER) AS y, category, taxonomy,"
	"  taxonomy_revision, outcome, police_report, count(*) AS r, 0 AS c"
	"  FROM registration WHERE received_on >= ?1 AND received_on < ?2"
	"  GROUP BY 1, 2, 3, 4, 5, 6, 7"
	" UNION ALL"
	" SELECT org_id, CAST(substr(opened_on, 1, 4) AS INTEGER), category, taxonomy,"
	"  taxonomy_revision, COALESCE(outcome, ''), COALESCE(police_report, -1), 0, count(*)"
	"  FROM case_file WHERE closed_on IS NOT NULL AND category IS NOT NULL"
	"  AND opened_on >= ?1 AND opened_on < ?2"
	"  GROUP BY 1, 2, 3, 4, 5, 6, 7"
	") AS both_sources GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7";

int registrations_counts(db_t *db, int year_from, int year_to, struct reg_count **out,
			 size_t *n)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	db_stmt_t *st = prepare(db, counts_sql, year_from, year_to);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct reg_count *c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		c->org_id = db_col_i64(st, 0);
		c->year = (int)db_col_i64(st, 1);
		snprintf(c->category, sizeof c->category, "%s", db_col_text(st, 2));
		snprintf(c->taxonomy, sizeof c->taxonomy, "%s", db_col_text(st, 3));
		c->taxonomy_revision = (int)db_col_i64(st, 4);
		snprintf(c->outcome, sizeof c->outcome, "%s", db_col_text(st, 5));
		c->police_report = (int)db_col_i64(st, 6);
		c->registered = db_col_i64(st, 7);
		c->cases = db_col_i64(st, 8);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static const char measures_sql[] =
	"SELECT org_id, y, code, sum(r), sum(c) FROM ("
	" SELECT org_id, CAST(substr(received_on, 1, 4) AS INTEGER) AS y, measure AS code,"
	"  count(*) AS r, 0 AS c FROM registration"
	"  WHERE measure IS NOT NULL AND received_on >= ?1 AND received_on < ?2"
	"  GROUP BY 1, 2, 3"
	" UNION ALL"
	" SELECT f.org_id, CAST(substr(f.opened_on, 1, 4) AS INTEGER), m.code, 0, count(*)"
	"  FROM case_measure m JOIN case_file f ON f.id = m.case_id"
	"  WHERE f.closed_on IS NOT NULL AND f.category IS NOT NULL"
	"  AND f.opened_on >= ?1 AND f.opened_on < ?2"
	"  GROUP BY 1, 2, 3"
	") AS both_sources GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";

int registrations_measure_counts(db_t *db, int year_from, int year_to,
				 struct reg_measure_count **out, size_t *n)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	db_stmt_t *st = prepare(db, measures_sql, year_from, year_to);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct reg_measure_count *c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		c->org_id = db_col_i64(st, 0);
		c->year = (int)db_col_i64(st, 1);
		snprintf(c->code, sizeof c->code, "%s", db_col_text(st, 2));
		c->registered = db_col_i64(st, 3);
		c->cases = db_col_i64(st, 4);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
