/* list.c: what the lists, the change since the previous assessment and the
 * comparison across departments read (assess.h). Metadata and scores only;
 * the callers decided which departments the viewer may see (scope.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/internal.h"
#include "base/alloc.h"
#include "frameworks/cache.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* newest year first, then department code, then framework code */
static int list_cmp(const void *a, const void *b)
{
	const struct assess_list_item *x = a, *y = b;
	int c;
	if (x->year != y->year)
		return y->year - x->year;
	if ((c = strcmp(x->dept_code, y->dept_code)) != 0)
		return c;
	if ((c = strcmp(x->fw_code, y->fw_code)) != 0)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

int assess_list(db_t *db, const int64_t *depts, size_t ndepts, struct assess_list_item *out,
		size_t cap, size_t *n)
{
	db_stmt_t *st = NULL;
	struct assess_list_item *rows = NULL;
	size_t all = 0, room = 0;
	int64_t *fv = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT a.id, a.org_id, o.code, o.name, a.framework_code, a.year, "
			   "a.status, a.framework_version_id FROM assessment a "
			   "JOIN org o ON o.id = a.org_id WHERE a.org_id = ?", &st) != 0)
		return -1;
	for (size_t d = 0; d < ndepts; d++) {
		int step;
		if (db_reset(st) != 0 || db_bind_i64(st, 1, depts[d]) != 0)
			goto fail;
		while ((step = db_step(st)) == DB_ROW) {
			if (all == room) {
				room = room ? room * 2 : 16;
				rows = xrealloc(rows, room * sizeof *rows);
				fv = xrealloc(fv, room * sizeof *fv);
			}
			struct assess_list_item *it = &rows[all];
			memset(it, 0, sizeof *it);
			it->id = db_col_i64(st, 0);
			it->dept_id = db_col_i64(st, 1);
			copy(it->dept_code, sizeof it->dept_code, db_col_text(st, 2));
			copy(it->dept_name, sizeof it->dept_name, db_col_text(st, 3));
			copy(it->fw_code, sizeof it->fw_code, db_col_text(st, 4));
			it->year = (int)db_col_i64(st, 5);
			if (assess_status_parse(db_col_text(st, 6), &it->status) != 0)
				it->status = ASSESS_REVIEWED;
			fv[all] = db_col_i64(st, 7);
			all++;
		}
		if (step != DB_DONE)
			goto fail;
	}
	db_finalize(st);
	st = NULL;
	/* the framework's revision and titles from its row */
	for (size_t i = 0; i < all; i++) {
		struct fw_version_row r;
		if (frameworks_row(db, fv[i], &r) != 0)
			continue;
		rows[i].fw_revision = r.revision;
		copy(rows[i].fw_title_nl, sizeof rows[i].fw_title_nl, r.title_nl);
		copy(rows[i].fw_title_en, sizeof rows[i].fw_title_en, r.title_en);
	}
	if (all)
		qsort(rows, all, sizeof *rows, list_cmp);
	*n = all < cap ? all : cap;
	if (*n)
		memcpy(out, rows, *n * sizeof *rows);
	free(rows);
	free(fv);
	return 0;
fail:
	db_finalize(st);
	free(rows);
	free(fv);
	return -1;
}

static int one_id(db_t *db, const char *sql, int64_t a, const char *b, int64_t c, int64_t *out)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	*out = 0;
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, a) != 0 ||
	    (b && db_bind_text(st, 2, b, (size_t)-1) != 0) || (c && db_bind_i64(st, 3, c) != 0))
		goto out;
	int step = db_step(st);
	if (step == DB_ROW) {
		*out = db_col_i64(st, 0);
		rc = 0;
	} else if (step == DB_DONE) {
		rc = 1;
	}
out:
	db_finalize(st);
	return rc;
}

int assess_previous(db_t *db, int64_t id, int64_t *prev_id)
{
	return one_id(db,
		      "SELECT p.id FROM assessment a JOIN assessment p ON p.org_id = a.org_id "
		      "AND p.framework_code = a.framework_code AND p.year < a.year "
		      "WHERE a.id = ?1 ORDER BY p.year DESC, p.id DESC LIMIT 1",
		      id, NULL, 0, prev_id);
}

int assess_final_for(db_t *db, int64_t dept_id, const char *fw_code, int year, int64_t *id)
{
	return one_id(db,
		      "SELECT id FROM assessment WHERE org_id = ?1 AND framework_code = ?2 "
		      "AND year = ?3 AND status IN ('signed_off', 'reviewed')",
		      dept_id, fw_code, year, id);
}

int assess_group_scores(db_t *db, int64_t id, struct assess_score **groups,
			char (**codes)[FW_CODE_MAX + 1], size_t *ngroups,
			struct assess_score *overall, int *year)
{
	struct assess_head h;
	struct fw_handle fh = {0};
	db_stmt_t *st = NULL;
	*groups = NULL;
	*codes = NULL;
	*ngroups = 0;
	int r = assess_head_load(db, id, &h);
	if (r != 0)
		return r;
	if (year)
		*year = h.year;
	/* the shared parse, not a copy: the dashboard scores every department */
	if (frameworks_get(db, h.fw_version_id, &fh) != 0)
		return -1;
	const struct framework *f = fh.f;
	struct assess_marks *m = xcalloc(f->nreqs ? f->nreqs : 1, sizeof *m);
	int step;
	if (db_prepare(db, "SELECT req_code, design, existence, operation, maturity "
			   "FROM assessment_item WHERE assessment_id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0)
		goto fail;
	while ((step = db_step(st)) == DB_ROW) {
		const struct fw_req *q = framework_req(f, db_col_text(st, 0));
		if (q)
			m[q - f->reqs] = (struct assess_marks){{(unsigned char)db_col_i64(st, 1),
							      (unsigned char)db_col_i64(st, 2),
							      (unsigned char)db_col_i64(st, 3)},
							     (unsigned char)db_col_i64(st, 4)};
	}
	if (step != DB_DONE)
		goto fail;
	db_finalize(st);
	st = NULL;
	struct assess_scores s;
	assess_score(f, m, &s);
	*groups = xcalloc(f->ngroups ? f->ngroups : 1, sizeof **groups);
	*codes = xcalloc(f->ngroups ? f->ngroups : 1, sizeof **codes);
	for (size_t g = 0; g < f->ngroups; g++) {
		(*groups)[g] = s.groups[g];
		copy((*codes)[g], sizeof (*codes)[g], f->groups[g].code);
	}
	*ngroups = f->ngroups;
	*overall = s.overall;
	assess_scores_free(&s);
	free(m);
	frameworks_put(&fh);
	return 0;
fail:
	db_finalize(st);
	free(m);
	frameworks_put(&fh);
	return -1;
}
