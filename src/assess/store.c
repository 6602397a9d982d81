/* store.c: the storage of self-assessments (assess.h, migration 0012):
 * creating one with its prefill, reading it whole, saving a group's form,
 * the steps of the workflow, lists, the previous assessment and the
 * comparison's lookups.
 *
 * Access is decided here again on every call (access.c), whatever the page
 * checked: a caller without ASSESS_CAP_READ at the assessment's department
 * gets ASSESS_ENOTFOUND, as for an assessment that does not exist.
 *
 * A framework revision never changes once stored, so it is loaded before a
 * write transaction begins (frameworks_load runs its own reads) and the
 * assessment's row is checked again inside it. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/internal.h"
#include "base/alloc.h"
#include "base/utf8.h"
#include "crypto/envelope.h"
#include "crypto/vault.h"

/* ---- shared (internal.h) ---- */

void assess_error_clear(struct assess_error *e)
{
	memset(e, 0, sizeof *e);
}

int assess_tx_begin(db_t *db, int read_only, int *in_tx)
{
	if ((read_only ? db_begin_read(db) : db_begin(db)) != 0)
		return -1;
	*in_tx = 1;
	return 0;
}

void assess_tx_end(db_t *db, db_stmt_t *st, int in_tx)
{
	db_finalize(st);
	if (in_tx)
		db_rollback(db);
}

int assess_audit(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		 const char *action, int64_t id, const char *detail)
{
	return audit_append_user(db, signer, actor_id, action, "assessment", id, detail);
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

int assess_head_load(db_t *db, int64_t id, struct assess_head *out)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (db_prepare(db, "SELECT org_id, framework_version_id, status, year, framework_code "
			   "FROM assessment WHERE id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE)
		rc = 1;
	else if (step == DB_ROW) {
		out->dept_id = db_col_i64(st, 0);
		out->fw_version_id = db_col_i64(st, 1);
		if (assess_status_parse(db_col_text(st, 2), &out->status) != 0)
			out->status = ASSESS_REVIEWED; /* unknown: treat as read-only */
		out->year = (int)db_col_i64(st, 3);
		copy(out->fw_code, sizeof out->fw_code, db_col_text(st, 4));
		rc = 0;
	}
out:
	db_finalize(st);
	return rc;
}

/* ---- items ---- */

/* The items of assessment id into marks/items (indexed by f's order); rows
 * for codes f lacks are ignored. 0 or -1. */
static int load_items(db_t *db, int64_t id, const struct framework *f, struct assess_item *items,
		      struct assess_marks *marks)
{
	db_stmt_t *st = NULL;
	int step;
	if (db_prepare(db, "SELECT req_code, design, existence, operation, maturity, comment, "
			   "prefilled FROM assessment_item WHERE assessment_id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW) {
		const struct fw_req *r = framework_req(f, db_col_text(st, 0));
		if (!r)
			continue;
		size_t i = (size_t)(r - f->reqs);
		struct assess_marks m = {{(unsigned char)db_col_i64(st, 1),
					  (unsigned char)db_col_i64(st, 2),
					  (unsigned char)db_col_i64(st, 3)},
					 (unsigned char)db_col_i64(st, 4)};
		if (marks)
			marks[i] = m;
		if (items) {
			items[i].marks = m;
			copy(items[i].comment, sizeof items[i].comment, db_col_text(st, 5));
			items[i].prefilled = db_col_i64(st, 6) != 0;
		}
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

/* ---- creating, with the prefill ---- */

/* Lowest judgement of each dimension that has one: several source
 * requirements mapped on one target give the weakest (a claim is only as
 * good as its weakest support). */
static void merge_low(struct assess_marks *into, const struct assess_marks *m, int *seen)
{
	if (!*seen) {
		*into = *m;
		*seen = 1;
		return;
	}
	for (int d = 0; d < ASSESS_DIMS; d++)
		if (m->dim[d] && (!into->dim[d] || m->dim[d] < into->dim[d]))
			into->dim[d] = m->dim[d];
	if (m->maturity && (!into->maturity || m->maturity < into->maturity))
		into->maturity = m->maturity;
}

static int marks_any(const struct assess_marks *m)
{
	return m->dim[0] || m->dim[1] || m->dim[2] || m->maturity;
}

/* The department's assessments other than self, latest year first, with
 * year < before; same_code: only those against code, else only others. At
 * most cap ids. */
static int earlier(db_t *db, int64_t dept_id, const char *code, int same_code, int before,
		   int64_t *ids, size_t cap, size_t *n)
{
	db_stmt_t *st = NULL;
	int step;
	*n = 0;
	if (db_prepare(db, same_code ? "SELECT id FROM assessment WHERE org_id = ? AND "
				       "framework_code = ? AND year < ? ORDER BY year DESC, id DESC"
				     : "SELECT id FROM assessment WHERE org_id = ? AND "
				       "framework_code <> ? AND year <= ? ORDER BY year DESC, id DESC",
		       &st) != 0 ||
	    db_bind_i64(st, 1, dept_id) != 0 || db_bind_text(st, 2, code, (size_t)-1) != 0 ||
	    db_bind_i64(st, 3, before) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW)
		if (*n < cap)
			ids[(*n)++] = db_col_i64(st, 0);
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

#define PREFILL_SOURCES 16
#define MAP_TARGETS 16

/* The prefill of a new assessment against f for dept_id and year, into
 * marks (f->nreqs, zeroed by the caller) and *from (0 when none). Reads
 * only; frameworks are loaded outside any transaction. 0 or -1 (db). */
static int prefill(db_t *db, int64_t dept_id, const struct framework *f, int year,
		   struct assess_marks *marks, int64_t *from)
{
	int64_t ids[PREFILL_SOURCES];
	size_t n = 0;
	*from = 0;
	/* the same framework code, any revision: by requirement code */
	if (earlier(db, dept_id, f->code, 1, year, ids, PREFILL_SOURCES, &n) != 0)
		return -1;
	if (n > 0) {
		struct assess_head h;
		struct framework old = {0};
		if (assess_head_load(db, ids[0], &h) != 0 || frameworks_load(db, h.fw_version_id, &old) != 0)
			return -1;
		struct assess_marks *om = xcalloc(old.nreqs ? old.nreqs : 1, sizeof *om);
		int rc = load_items(db, ids[0], &old, NULL, om);
		for (size_t i = 0; rc == 0 && i < old.nreqs; i++) {
			const struct fw_req *r = framework_req(f, old.reqs[i].code);
			if (r && marks_any(&om[i]))
				marks[r - f->reqs] = om[i];
		}
		free(om);
		framework_free(&old);
		if (rc != 0)
			return -1;
		*from = ids[0];
		return 0;
	}
	/* else a framework mapped to this one: the latest assessment whose
	 * mapping reaches at least one requirement */
	if (earlier(db, dept_id, f->code, 0, year, ids, PREFILL_SOURCES, &n) != 0)
		return -1;
	int *seen = xcalloc(f->nreqs ? f->nreqs : 1, sizeof *seen);
	for (size_t s = 0; s < n && !*from; s++) {
		struct assess_head h;
		struct framework old = {0};
		if (assess_head_load(db, ids[s], &h) != 0 || frameworks_load(db, h.fw_version_id, &old) != 0) {
			free(seen);
			return -1;
		}
		struct assess_marks *om = xcalloc(old.nreqs ? old.nreqs : 1, sizeof *om);
		int rc = load_items(db, ids[s], &old, NULL, om);
		size_t hits = 0;
		for (size_t i = 0; rc == 0 && i < old.nreqs; i++) {
			if (!marks_any(&om[i]))
				continue;
			const char *to[MAP_TARGETS];
			size_t k = fw_map(old.code, old.reqs[i].code, f->code, to, MAP_TARGETS);
			if (k == 0)
				k = fw_map(old.code, old.groups[old.reqs[i].group].code, f->code, to,
					   MAP_TARGETS);
			if (k > MAP_TARGETS)
				k = MAP_TARGETS;
			for (size_t t = 0; t < k; t++) {
				const struct fw_req *r = framework_req(f, to[t]);
				int g = r ? -1 : framework_group(f, to[t]);
				size_t lo = r ? (size_t)(r - f->reqs) : g >= 0 ? f->groups[g].first : 0;
				size_t hi = r ? lo + 1 : g >= 0 ? lo + f->groups[g].n : 0;
				for (size_t x = lo; x < hi && x < f->nreqs; x++) {
					merge_low(&marks[x], &om[i], &seen[x]);
					hits++;
				}
			}
		}
		free(om);
		framework_free(&old);
		if (rc != 0) {
			free(seen);
			return -1;
		}
		if (hits)
			*from = ids[s];
	}
	free(seen);
	return 0;
}

static int insert_items(db_t *db, int64_t id, const struct framework *f,
			const struct assess_marks *marks, size_t *prefilled,
			struct assess_error *e)
{
	db_stmt_t *st = NULL;
	*prefilled = 0;
	if (db_prepare(db, "INSERT INTO assessment_item (assessment_id, req_code, design, "
			   "existence, operation, maturity, prefilled) VALUES (?, ?, ?, ?, ?, ?, ?)",
		       &st) != 0)
		return assess_fail_db(db, e);
	for (size_t i = 0; i < f->nreqs; i++) {
		int pre = marks_any(&marks[i]);
		if (db_reset(st) != 0 || db_bind_i64(st, 1, id) != 0 ||
		    db_bind_text(st, 2, f->reqs[i].code, (size_t)-1) != 0 ||
		    db_bind_i64(st, 3, marks[i].dim[0]) != 0 ||
		    db_bind_i64(st, 4, marks[i].dim[1]) != 0 ||
		    db_bind_i64(st, 5, marks[i].dim[2]) != 0 ||
		    db_bind_i64(st, 6, marks[i].maturity) != 0 || db_bind_i64(st, 7, pre) != 0 ||
		    db_step(st) != DB_DONE) {
			db_finalize(st);
			return assess_fail_db(db, e);
		}
		*prefilled += (size_t)pre;
	}
	db_finalize(st);
	return 0;
}

/* 1 when dept_id is an open department, 0 when not, -1 db. */
static int open_department(db_t *db, int64_t dept_id)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "SELECT count(*) FROM org WHERE id = ? AND kind = 'department' "
			   "AND valid_to IS NULL", &st) == 0 &&
	    db_bind_i64(st, 1, dept_id) == 0 && db_step(st) == DB_ROW)
		rc = db_col_i64(st, 0) > 0;
	db_finalize(st);
	return rc;
}

int assess_create(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t dept_id,
		  int64_t fw_version_id, int year, int64_t *id, size_t *prefilled,
		  struct assess_error *e)
{
	struct framework f = {0};
	struct assess_marks *marks = NULL;
	unsigned char *key = NULL;
	db_stmt_t *st = NULL;
	int in_tx = 0, rc = -1;
	int64_t from = 0;
	size_t npre = 0;
	char at[TIMESTAMP_LEN + 1], detail[200];

	assess_error_clear(e);
	if (id)
		*id = 0;
	if (prefilled)
		*prefilled = 0;
	if (year < ASSESS_YEAR_MIN || year > ASSESS_YEAR_MAX)
		return assess_fail(e, ASSESS_EINVALID, "the year must lie between %d and %d",
				   ASSESS_YEAR_MIN, ASSESS_YEAR_MAX);
	int lf = frameworks_load(db, fw_version_id, &f);
	if (lf < 0)
		return assess_fail_db(db, e);
	if (lf > 0)
		return assess_fail(e, ASSESS_EINVALID, "no framework revision %" PRId64,
				   fw_version_id);
	marks = xcalloc(f.nreqs ? f.nreqs : 1, sizeof *marks);
	key = vault_secure_alloc(ENVELOPE_KEY_BYTES);

	/* may the actor draft for this department at all? (before reading its
	 * earlier assessments for the prefill) */
	unsigned caps = 0;
	int od = open_department(db, dept_id);
	if (od < 0 || (od > 0 && assess_caps(db, dept_id, actor_id, &caps) != 0))
		goto dbfail;
	if (!od) {
		assess_fail(e, ASSESS_EINVALID, "organisation %" PRId64 " is not an open department",
			    dept_id);
		goto out;
	}
	if (!(caps & ASSESS_CAP_DRAFT)) {
		assess_fail(e, ASSESS_ENOTFOUND, "no department %" PRId64 " for this account", dept_id);
		goto out;
	}
	if (prefill(db, dept_id, &f, year, marks, &from) != 0)
		goto dbfail;

	if (assess_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	/* again inside the transaction: a role may have gone meanwhile */
	if (assess_caps(db, dept_id, actor_id, &caps) != 0)
		goto dbfail;
	if (!(caps & ASSESS_CAP_DRAFT)) {
		assess_fail(e, ASSESS_ENOTFOUND, "no department %" PRId64 " for this account", dept_id);
		goto out;
	}
	int64_t dup = 0;
	if (db_prepare(db, "SELECT count(*) FROM assessment WHERE org_id = ? AND framework_code = ? "
			   "AND year = ?", &st) != 0 ||
	    db_bind_i64(st, 1, dept_id) != 0 || db_bind_text(st, 2, f.code, (size_t)-1) != 0 ||
	    db_bind_i64(st, 3, year) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	dup = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (dup) {
		assess_fail(e, ASSESS_ECONFLICT, "the department has an assessment against %s for %d "
			    "already", f.code, year);
		goto out;
	}
	timestamp_now(at);
	int64_t new_id = 0;
	if (db_prepare(db, "INSERT INTO assessment (org_id, framework_version_id, framework_code, "
			   "year, status, prefilled_from, created_by, created_at) "
			   "VALUES (?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, dept_id) != 0 || db_bind_i64(st, 2, fw_version_id) != 0 ||
	    db_bind_text(st, 3, f.code, (size_t)-1) != 0 || db_bind_i64(st, 4, year) != 0 ||
	    (from ? db_bind_i64(st, 5, from) : db_bind_null(st, 5)) != 0 ||
	    db_bind_i64(st, 6, actor_id) != 0 || db_bind_text(st, 7, at, (size_t)-1) != 0 ||
	    db_step(st) != DB_ROW)
		goto dbfail;
	new_id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	envelope_key_new(key);
	size_t holders = 0;
	if (insert_items(db, new_id, &f, marks, &npre, e) != 0 ||
	    assess_keys_seal(db, new_id, dept_id, key, 1, NULL, 0, &holders, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "org %" PRId64 " framework %s/%d year %d prefilled %zu "
		 "from %" PRId64 " holders %zu", dept_id, f.code, f.revision, year, npre, from,
		 holders);
	if (assess_audit(db, signer, actor_id, "assess.create", new_id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	if (id)
		*id = new_id;
	if (prefilled)
		*prefilled = npre;
	rc = 0;
	goto out;
dbfail:
	assess_fail_db(db, e);
out:
	assess_tx_end(db, st, in_tx);
	if (key)
		vault_secure_free(key);
	free(marks);
	framework_free(&f);
	return rc;
}

/* ---- reading ---- */

void assess_full_free(struct assess_full *a)
{
	framework_free(&a->fw);
	free(a->items);
	free(a->actions);
	if (a->evidence)
		sodium_memzero(a->evidence, a->nevidence * sizeof *a->evidence);
	free(a->evidence);
	memset(a, 0, sizeof *a);
}

struct assess_marks *assess_full_marks(const struct assess_full *a)
{
	struct assess_marks *m = xcalloc(a->fw.nreqs ? a->fw.nreqs : 1, sizeof *m);
	for (size_t i = 0; i < a->fw.nreqs; i++)
		m[i] = a->items[i].marks;
	return m;
}

static int read_row(db_t *db, int64_t id, struct assess_row *r)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	memset(r, 0, sizeof *r);
	if (db_prepare(db,
		       "SELECT a.id, a.org_id, o.code, o.name, a.framework_version_id, "
		       "a.framework_code, a.year, a.status, coalesce(a.prefilled_from, 0), "
		       "a.created_at, coalesce(c.display_name, ''), "
		       "coalesce(a.signed_off_at, ''), coalesce(s.display_name, ''), "
		       "coalesce(a.reviewed_at, ''), coalesce(v.display_name, ''), "
		       "coalesce(a.review_comment, ''), coalesce(a.returned_at, ''), "
		       "coalesce(t.display_name, ''), coalesce(a.return_reason, '') "
		       "FROM assessment a JOIN org o ON o.id = a.org_id "
		       "LEFT JOIN account c ON c.id = a.created_by "
		       "LEFT JOIN account s ON s.id = a.signed_off_by "
		       "LEFT JOIN account v ON v.id = a.reviewed_by "
		       "LEFT JOIN account t ON t.id = a.returned_by WHERE a.id = ?",
		       &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = 1;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	r->id = db_col_i64(st, 0);
	r->dept_id = db_col_i64(st, 1);
	copy(r->dept_code, sizeof r->dept_code, db_col_text(st, 2));
	copy(r->dept_name, sizeof r->dept_name, db_col_text(st, 3));
	r->fw_version_id = db_col_i64(st, 4);
	copy(r->fw_code, sizeof r->fw_code, db_col_text(st, 5));
	r->year = (int)db_col_i64(st, 6);
	if (assess_status_parse(db_col_text(st, 7), &r->status) != 0)
		r->status = ASSESS_REVIEWED;
	r->prefilled_from = db_col_i64(st, 8);
	copy(r->created_at, sizeof r->created_at, db_col_text(st, 9));
	copy(r->created_by, sizeof r->created_by, db_col_text(st, 10));
	copy(r->signed_off_at, sizeof r->signed_off_at, db_col_text(st, 11));
	copy(r->signed_off_by, sizeof r->signed_off_by, db_col_text(st, 12));
	copy(r->reviewed_at, sizeof r->reviewed_at, db_col_text(st, 13));
	copy(r->reviewed_by, sizeof r->reviewed_by, db_col_text(st, 14));
	copy(r->review_comment, sizeof r->review_comment, db_col_text(st, 15));
	copy(r->returned_at, sizeof r->returned_at, db_col_text(st, 16));
	copy(r->returned_by, sizeof r->returned_by, db_col_text(st, 17));
	copy(r->return_reason, sizeof r->return_reason, db_col_text(st, 18));
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

static int read_actions(db_t *db, struct assess_full *a)
{
	db_stmt_t *st = NULL;
	size_t room = 0;
	int step;
	if (db_prepare(db, "SELECT id, req_code, text, owner, coalesce(due_on, ''), status "
			   "FROM assessment_action WHERE assessment_id = ? ORDER BY id", &st) != 0 ||
	    db_bind_i64(st, 1, a->row.id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW) {
		const struct fw_req *r = framework_req(&a->fw, db_col_text(st, 1));
		if (!r)
			continue;
		if (a->nactions == room) {
			room = room ? room * 2 : 8;
			a->actions = xrealloc(a->actions, room * sizeof *a->actions);
		}
		struct assess_action_pt *x = &a->actions[a->nactions++];
		memset(x, 0, sizeof *x);
		x->id = db_col_i64(st, 0);
		x->req = (size_t)(r - a->fw.reqs);
		copy(x->text, sizeof x->text, db_col_text(st, 2));
		copy(x->owner, sizeof x->owner, db_col_text(st, 3));
		copy(x->due, sizeof x->due, db_col_text(st, 4));
		if (assess_ap_status_parse(db_col_text(st, 5), &x->status) != 0)
			x->status = ASSESS_AP_OPEN;
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

static int read_evidence(db_t *db, struct assess_full *a)
{
	db_stmt_t *st = NULL;
	size_t room = 0;
	int step;
	if (db_prepare(db, "SELECT e.id, e.req_code, e.kind, coalesce(e.url, ''), "
			   "coalesce(c.display_name, ''), e.created_at FROM assessment_evidence e "
			   "LEFT JOIN account c ON c.id = e.account_id "
			   "WHERE e.assessment_id = ? ORDER BY e.id", &st) != 0 ||
	    db_bind_i64(st, 1, a->row.id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW) {
		const struct fw_req *r = framework_req(&a->fw, db_col_text(st, 1));
		if (!r)
			continue;
		if (a->nevidence == room) {
			room = room ? room * 2 : 8;
			a->evidence = xrealloc(a->evidence, room * sizeof *a->evidence);
		}
		struct assess_evidence *x = &a->evidence[a->nevidence++];
		memset(x, 0, sizeof *x);
		x->id = db_col_i64(st, 0);
		x->req = (size_t)(r - a->fw.reqs);
		x->is_file = strcmp(db_col_text(st, 2), "file") == 0;
		copy(x->url, sizeof x->url, db_col_text(st, 3));
		copy(x->author, sizeof x->author, db_col_text(st, 4));
		copy(x->created_at, sizeof x->created_at, db_col_text(st, 5));
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

int assess_read(db_t *db, int64_t actor_id, int64_t id, struct assess_full *out,
		struct assess_error *e)
{
	struct assess_head h;
	int in_tx = 0, rc = -1;
	memset(out, 0, sizeof *out);
	assess_error_clear(e);
	/* the framework first, outside the snapshot (frameworks_load reads on
	 * its own); a revision never changes once stored */
	int f = assess_head_load(db, id, &h);
	if (f < 0)
		return assess_fail_db(db, e);
	if (f > 0)
		return assess_fail(e, ASSESS_ENOTFOUND, "no assessment %" PRId64, id);
	int lf = frameworks_load(db, h.fw_version_id, &out->fw);
	if (lf != 0) {
		memset(out, 0, sizeof *out);
		return lf < 0 ? assess_fail_db(db, e)
			      : assess_fail(e, ASSESS_EDAMAGED, "assessment %" PRId64 " names a "
					    "framework revision that is not stored", id);
	}
	if (assess_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	f = read_row(db, id, &out->row);
	if (f < 0 || (f == 0 && assess_caps(db, out->row.dept_id, actor_id, &out->caps) != 0))
		goto dbfail;
	if (f > 0 || !(out->caps & ASSESS_CAP_READ)) {
		assess_fail(e, ASSESS_ENOTFOUND, "no assessment %" PRId64 " for this account", id);
		goto out;
	}
	out->row.fw_revision = out->fw.revision;
	out->items = xcalloc(out->fw.nreqs ? out->fw.nreqs : 1, sizeof *out->items);
	if (load_items(db, id, &out->fw, out->items, NULL) != 0 || read_actions(db, out) != 0 ||
	    read_evidence(db, out) != 0)
		goto dbfail;
	rc = 0;
	goto out;
dbfail:
	assess_fail_db(db, e);
out:
	assess_tx_end(db, NULL, in_tx);
	if (rc != 0)
		assess_full_free(out);
	return rc;
}
