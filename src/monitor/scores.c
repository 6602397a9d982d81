/* scores.c: assessment scores and risk heat per department (scores.h). The
 * scores come from assess_group_scores (the very numbers the assessment's
 * own page shows), the heat from each department's risk register under its
 * own matrix. Reads only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "monitor/scores.h"
#include "risks/risks.h"

/* The two latest final assessments of dept for code up to year. */
static int latest_two(db_t *db, int64_t dept, const char *code, int year, int64_t ids[2],
		      struct mon_score *out)
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT id, year, status, substr(coalesce(reviewed_at, signed_off_at), "
			   "1, 10) FROM assessment WHERE org_id = ? AND framework_code = ? AND "
			   "year <= ? AND status IN ('signed_off', 'reviewed') "
			   "ORDER BY year DESC LIMIT 2", &st) != 0)
		return -1;
	db_bind_i64(st, 1, dept);
	db_bind_text(st, 2, code, (size_t)-1);
	db_bind_i64(st, 3, year);
	int rc, n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		ids[n] = db_col_i64(st, 0);
		if (n == 0) {
			out->id = ids[0];
			out->year = (int)db_col_i64(st, 1);
			out->reviewed = strcmp(db_col_text(st, 2), "reviewed") == 0;
			snprintf(out->date, sizeof out->date, "%s", db_col_text(st, 3));
		} else {
			out->prev_year = (int)db_col_i64(st, 1);
		}
		n++;
	}
	db_finalize(st);
	return rc == DB_DONE ? n : -1;
}

static int overall(db_t *db, int64_t id, struct assess_score *o)
{
	struct assess_score *gs = NULL;
	char(*codes)[FW_CODE_MAX + 1] = NULL;
	size_t ng = 0;
	int rc = assess_group_scores(db, id, &gs, &codes, &ng, o, NULL);
	free(gs);
	free(codes);
	return rc;
}

int mon_scores_load(db_t *db, const struct scope *s, const char *fw_code, int year,
		    struct mon_score *out, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->n; i++) {
		struct mon_score *m = &out[i];
		memset(m, 0, sizeof *m);
		m->shown = -1;
		int64_t ids[2] = {0, 0};
		int n = latest_two(db, s->dept[i].id, fw_code, year, ids, m);
		if (n < 0)
			goto fail;
		if (n == 0)
			continue;
		struct assess_score cur, prev;
		if (overall(db, ids[0], &cur) != 0)
			goto fail;
		m->shown = cur.shown >= 0 ? cur.shown : -1;
		if (n == 2) {
			if (overall(db, ids[1], &prev) != 0)
				goto fail;
			m->change = assess_change(&cur, &prev, &m->has_change);
		}
	}
	return 0;
fail:
	snprintf(err, errlen, "assessment scores: %s", db_error(db)->msg);
	return -1;
}

/* The place of band b among m's bands, lowest scores first. */
static size_t band_rank(const struct risks_matrix *m, int b)
{
	size_t k = 0;
	for (size_t i = 0; i < m->nbands; i++)
		if (m->bands[i].lo < m->bands[b].lo)
			k++;
	return k;
}

int mon_heat_load(db_t *db, struct arena *a, const struct scope *s, int threshold,
		  struct mon_heat *h, char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	h->named = 1;
	struct risks_matrix *mx = arena_alloc(a, (s->n ? s->n : 1) * sizeof *mx);
	struct risks_error e = {0};
	for (size_t i = 0; i < s->n; i++) {
		if (risks_matrix_get(db, s->dept[i].id, &mx[i], NULL, &e) != 0)
			goto fail;
		if (mx[i].nbands > h->nbands)
			h->nbands = mx[i].nbands;
	}
	/* the heads: the names when all agree rank by rank */
	for (size_t i = 0; i < s->n; i++)
		for (size_t b = 0; b < mx[i].nbands; b++) {
			size_t k = band_rank(&mx[i], (int)b);
			if (!h->heads[k][0])
				snprintf(h->heads[k], sizeof h->heads[k], "%s", mx[i].bands[b].name);
			else if (strcmp(h->heads[k], mx[i].bands[b].name) != 0)
				h->named = 0;
		}
	if (!h->nbands)
		h->nbands = 1; /* no department: an empty table of one column */
	if (mon_grid_init(&h->g, a, s->n, h->nbands) != 0) {
		snprintf(err, errlen, "risk heat: no table of %zu rows", s->n);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct risks_risk *r = NULL;
		size_t n = 0;
		if (risks_risk_list(db, a, s->dept[i].id, &r, &n, &e) != 0)
			goto fail;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(r[k].status, "open") != 0)
				continue;
			if (r[k].residual_band < 0 || (size_t)r[k].residual_band >= mx[i].nbands) {
				h->off_matrix++;
				continue;
			}
			*mon_at(&h->g, i, band_rank(&mx[i], r[k].residual_band)) += 1;
		}
	}
	mon_totals(&h->g);
	if (mon_suppress(&h->g, threshold) != 0) {
		snprintf(err, errlen, "risk heat cannot be suppressed");
		return -1;
	}
	return 0;
fail:
	snprintf(err, errlen, "risk heat: %s", e.detail[0] ? e.detail : db_error(db)->msg);
	return -1;
}
