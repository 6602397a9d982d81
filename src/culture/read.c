/* read.c: a department's culture figures with its reporting figures of the
 * same years (culture.h). Reports received come from the dashboard's kept
 * counts (monitor_report_count, migration 0017: one row per organisation
 * and year, so no report is read); violations registered come from
 * registrations_counts (the imported registers and the closed cases). Both
 * are summed over the department's rows under its code and the units under
 * them. A department renamed or split into new codes (LNV into LVVN, EZK
 * into EZ and KGG) starts a new series: no rule divides the old figures. */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "culture/culture.h"
#include "registrations/registrations.h"

/* the department's rows under its code (a department split off a part and
 * kept its code, as BZK in 2024, continues on a new row) and every unit
 * under them */
#define SAME_CODE "SELECT id FROM org WHERE code = (SELECT code FROM org WHERE id = ?1)"
#define SUBTREE "WITH RECURSIVE sub(id) AS (" SAME_CODE " UNION SELECT o.id FROM org o " \
		"JOIN sub ON o.parent_id = sub.id) "

void culture_series_free(struct culture_series *s)
{
	for (size_t i = 0; i < s->nsources; i++)
		free((char *)s->sources[i]);
	s->nsources = 0;
}

static struct culture_year *year_of(struct culture_series *s, int year)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->y[i].year == year)
			return &s->y[i];
	return NULL;
}

int culture_load(db_t *db, int64_t dept_id, struct culture_series *out)
{
	db_stmt_t *st;
	int rc;
	memset(out, 0, sizeof *out);
	/* the last CULTURE_YEARS_MAX years with a figure, ascending */
	if (db_prepare(db, "SELECT year, indicator, value_tenths, respondents, source FROM "
			   "culture_figure WHERE org_id IN (" SAME_CODE ") AND year >= coalesce((SELECT "
			   "min(year) FROM (SELECT DISTINCT year FROM culture_figure WHERE org_id IN ("
			   SAME_CODE ") ORDER BY year DESC LIMIT 64)), 0) ORDER BY year, indicator", &st) != 0)
		return -1;
	db_bind_i64(st, 1, dept_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int year = (int)db_col_i64(st, 0);
		struct culture_year *y = year_of(out, year);
		if (!y) {
			if (out->n == CULTURE_YEARS_MAX)
				continue;
			y = &out->y[out->n++];
			y->year = year;
			for (int i = 0; i < CULTURE_NINDICATORS; i++)
				y->tenths[i] = -1;
		}
		const char *code = db_col_text(st, 1);
		int k = culture_indicator_find(code, strlen(code));
		if (k < 0)
			continue; /* an indicator this build no longer lists */
		y->tenths[k] = (int)db_col_i64(st, 2);
		y->respondents[k] = db_col_i64(st, 3);
		out->has[k] = 1;
		const char *src = db_col_text(st, 4);
		size_t j = 0;
		while (j < out->nsources && strcmp(out->sources[j], src) != 0)
			j++;
		if (j == out->nsources && j < CULTURE_YEARS_MAX)
			out->sources[out->nsources++] = xstrdup(src);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto fail;
	if (db_prepare(db, SUBTREE "SELECT year, sum(n) FROM monitor_report_count WHERE org_id "
			   "IN sub GROUP BY year", &st) != 0)
		goto fail;
	db_bind_i64(st, 1, dept_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct culture_year *y = year_of(out, (int)db_col_i64(st, 0));
		if (y)
			y->reports = db_col_i64(st, 1);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto fail;
	/* the organisation rows of the department, for the registered counts */
	int64_t ids[256];
	size_t nids = 0;
	if (db_prepare(db, SUBTREE "SELECT id FROM sub", &st) != 0)
		goto fail;
	db_bind_i64(st, 1, dept_id);
	while ((rc = db_step(st)) == DB_ROW)
		if (nids < sizeof ids / sizeof ids[0])
			ids[nids++] = db_col_i64(st, 0);
	db_finalize(st);
	if (rc != DB_DONE || out->n == 0)
		return rc == DB_DONE ? 0 : (culture_series_free(out), -1);
	struct reg_count *c = NULL;
	size_t nc = 0;
	if (registrations_counts(db, out->y[0].year, out->y[out->n - 1].year, &c, &nc) != 0)
		goto fail;
	for (size_t i = 0; i < nc; i++) {
		struct culture_year *y = year_of(out, c[i].year);
		for (size_t k = 0; y && k < nids; k++)
			if (ids[k] == c[i].org_id)
				y->registered += c[i].registered + c[i].cases;
	}
	free(c);
	return 0;
fail:
	culture_series_free(out);
	return -1;
}
