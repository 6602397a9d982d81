/* save.c: changing an assessment (assess.h): saving one group's form (the
 * items, action points and evidence of its requirements) and the steps of
 * the workflow. Each call is one transaction with its audit entries, or
 * nothing: every value is checked before the first write, and a refusal
 * inside the transaction rolls back what went before it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/internal.h"
#include "base/utf8.h"

static int text_ok(const char *s, size_t max, int breaks)
{
	size_t n = s ? strlen(s) : 0;
	return n <= max && (n == 0 || utf8_text_clean(s, n, breaks));
}

static int blank(const char *s)
{
	return !s || s[strspn(s, " \t\r\n")] == '\0';
}

static int marks_ok(const struct assess_marks *m)
{
	for (int d = 0; d < ASSESS_DIMS; d++)
		if (m->dim[d] > ASSESS_J_ADEQUATE)
			return 0;
	return m->maturity <= ASSESS_M_LEADING;
}

/* The checks that need no database: lengths, UTF-8, ranges, dates, links,
 * requirement codes of f. 0 or -1 with e naming the part. */
static int check_save(const struct framework *f, const struct assess_save *s,
		      struct assess_error *e)
{
	size_t files = 0, bytes = 0;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct assess_item_in *it = &s->items[i];
		if (!it->req || !framework_req(f, it->req))
			return assess_fail(e, ASSESS_ENOTFOUND, "no requirement %s in this framework",
					   it->req ? it->req : "(none)");
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->items[j].req, it->req) == 0)
				return assess_fail(e, ASSESS_EINVALID, "requirement %s is given twice",
						   it->req);
		if (!marks_ok(&it->marks))
			return assess_fail(e, ASSESS_EINVALID, "requirement %s: a judgement or "
					   "maturity out of range", it->req);
		if (!text_ok(it->comment, ASSESS_COMMENT_MAX, 1))
			return assess_fail(e, ASSESS_EINVALID, "requirement %s: the comment is longer "
					   "than %d bytes or holds control characters", it->req,
					   ASSESS_COMMENT_MAX);
	}
	for (size_t i = 0; i < s->nactions; i++) {
		const struct assess_action_in *a = &s->actions[i];
		if (a->id < 0 || (a->id == 0 && a->drop))
			return assess_fail(e, ASSESS_EINVALID, "not an action point");
		if (a->drop)
			continue;
		if (a->id == 0 && (!a->req || !framework_req(f, a->req)))
			return assess_fail(e, ASSESS_ENOTFOUND, "no requirement %s in this framework",
					   a->req ? a->req : "(none)");
		if (blank(a->text) || !text_ok(a->text, ASSESS_ACTION_TEXT_MAX, 0))
			return assess_fail(e, ASSESS_EINVALID, "an action point needs a text of 1 to "
					   "%d bytes without control characters", ASSESS_ACTION_TEXT_MAX);
		if (!text_ok(a->owner, ASSESS_OWNER_MAX, 0))
			return assess_fail(e, ASSESS_EINVALID, "an action point's owner is longer than "
					   "%d bytes or holds control characters", ASSESS_OWNER_MAX);
		if (a->due && *a->due && date_valid(a->due, strlen(a->due)) != 0)
			return assess_fail(e, ASSESS_EINVALID, "an action point's due date is not a "
					   "date (YYYY-MM-DD)");
		if (!assess_ap_status_name(a->status))
			return assess_fail(e, ASSESS_EINVALID, "an action point's status is unknown");
	}
	for (size_t i = 0; i < s->nadd; i++) {
		const struct assess_evidence_in *x = &s->add[i];
		if (!x->req || !framework_req(f, x->req))
			return assess_fail(e, ASSESS_ENOTFOUND, "no requirement %s in this framework",
					   x->req ? x->req : "(none)");
		if (x->file.data) {
			files++;
			bytes += x->file.len;
		} else if (assess_url_ok(x->url) != 0) {
			return assess_fail(e, ASSESS_EINVALID, "a link must start with https://, name "
					   "a host and be at most %d characters", ASSESS_URL_MAX);
		}
	}
	if (files > ASSESS_FILES_MAX)
		return assess_fail(e, ASSESS_EINVALID, "at most %d files can be added at once",
				   ASSESS_FILES_MAX);
	if (bytes > ASSESS_FILES_TOTAL)
		return assess_fail(e, ASSESS_EINVALID, "the files together are larger than %u MB",
				   ASSESS_FILES_TOTAL >> 20);
	if (files && !s->key)
		return assess_fail(e, ASSESS_ENOKEY, "files need the assessment key");
	return 0;
}

/* Access and status for a change by actor_id, inside the transaction. */
static int may_change(db_t *db, int64_t actor_id, int64_t id, struct assess_head *h,
		      unsigned *caps, struct assess_error *e)
{
	int f = assess_head_load(db, id, h);
	if (f < 0 || (f == 0 && assess_caps(db, h->dept_id, actor_id, caps) != 0))
		return assess_fail_db(db, e);
	if (f > 0 || !(*caps & ASSESS_CAP_READ))
		return assess_fail(e, ASSESS_ENOTFOUND, "no assessment %" PRId64 " for this account",
				   id);
	return 0;
}

/* Refuses a step that the workflow does not allow, as an error. */
static int step_refused(enum assess_step_result r, size_t open, struct assess_error *e)
{
	e->step = (int)r;
	switch (r) {
	case ASSESS_STEP_E_ROLE:
		return assess_fail(e, ASSESS_EDENIED, "this account may not take this step");
	case ASSESS_STEP_E_STATE:
		e->step = (int)r;
		return assess_fail(e, ASSESS_ECONFLICT, "the assessment's status does not allow it");
	case ASSESS_STEP_E_INCOMPLETE:
		e->open_reqs = open;
		return assess_fail(e, ASSESS_EINCOMPLETE, "%zu requirements are not fully judged",
				   open);
	default:
		return assess_fail(e, ASSESS_EINVALID, "a comment or reason is needed");
	}
}

static int64_t count_of(db_t *db, const char *sql, int64_t a, const char *b)
{
	db_stmt_t *st = NULL;
	int64_t n = -1;
	if (db_prepare(db, sql, &st) == 0 && db_bind_i64(st, 1, a) == 0 &&
	    (!b || db_bind_text(st, 2, b, (size_t)-1) == 0) && db_step(st) == DB_ROW)
		n = db_col_i64(st, 0);
	db_finalize(st);
	return n;
}

static int save_item(db_t *db, int64_t id, int64_t actor_id, const char *at,
		     const struct assess_item_in *it)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "UPDATE assessment_item SET design = ?, existence = ?, operation = ?, "
			   "maturity = ?, comment = ?, prefilled = 0, updated_by = ?, updated_at = ? "
			   "WHERE assessment_id = ? AND req_code = ?", &st) == 0 &&
	    db_bind_i64(st, 1, it->marks.dim[0]) == 0 && db_bind_i64(st, 2, it->marks.dim[1]) == 0 &&
	    db_bind_i64(st, 3, it->marks.dim[2]) == 0 && db_bind_i64(st, 4, it->marks.maturity) == 0 &&
	    db_bind_text(st, 5, it->comment ? it->comment : "", (size_t)-1) == 0 &&
	    db_bind_i64(st, 6, actor_id) == 0 && db_bind_text(st, 7, at, (size_t)-1) == 0 &&
	    db_bind_i64(st, 8, id) == 0 && db_bind_text(st, 9, it->req, (size_t)-1) == 0 &&
	    db_step(st) == DB_DONE && db_changes(db) == 1)
		rc = 0;
	db_finalize(st);
	return rc;
}

static int save_action(db_t *db, int64_t id, int64_t actor_id, const char *at,
		       const struct assess_action_in *a, struct assess_error *e)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (a->drop) {
		if (db_prepare(db, "DELETE FROM assessment_action WHERE id = ? AND assessment_id = ?",
			       &st) == 0 &&
		    db_bind_i64(st, 1, a->id) == 0 && db_bind_i64(st, 2, id) == 0 &&
		    db_step(st) == DB_DONE)
			rc = db_changes(db) == 1 ? 0 : 1;
	} else if (a->id > 0) {
		if (db_prepare(db, "UPDATE assessment_action SET text = ?, owner = ?, due_on = ?, "
				   "status = ?, updated_at = ? WHERE id = ? AND assessment_id = ?",
			       &st) == 0 &&
		    db_bind_text(st, 1, a->text, (size_t)-1) == 0 &&
		    db_bind_text(st, 2, a->owner ? a->owner : "", (size_t)-1) == 0 &&
		    (a->due && *a->due ? db_bind_text(st, 3, a->due, (size_t)-1)
				       : db_bind_null(st, 3)) == 0 &&
		    db_bind_text(st, 4, assess_ap_status_name(a->status), (size_t)-1) == 0 &&
		    db_bind_text(st, 5, at, (size_t)-1) == 0 && db_bind_i64(st, 6, a->id) == 0 &&
		    db_bind_i64(st, 7, id) == 0 && db_step(st) == DB_DONE)
			rc = db_changes(db) == 1 ? 0 : 1;
	} else {
		if (db_prepare(db, "INSERT INTO assessment_action (assessment_id, req_code, text, "
				   "owner, due_on, status, created_by, updated_at) "
				   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st) == 0 &&
		    db_bind_i64(st, 1, id) == 0 && db_bind_text(st, 2, a->req, (size_t)-1) == 0 &&
		    db_bind_text(st, 3, a->text, (size_t)-1) == 0 &&
		    db_bind_text(st, 4, a->owner ? a->owner : "", (size_t)-1) == 0 &&
		    (a->due && *a->due ? db_bind_text(st, 5, a->due, (size_t)-1)
				       : db_bind_null(st, 5)) == 0 &&
		    db_bind_text(st, 6, assess_ap_status_name(a->status), (size_t)-1) == 0 &&
		    db_bind_i64(st, 7, actor_id) == 0 && db_bind_text(st, 8, at, (size_t)-1) == 0 &&
		    db_step(st) == DB_DONE)
			rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return assess_fail_db(db, e);
	if (rc > 0)
		return assess_fail(e, ASSESS_ENOTFOUND, "no action point %" PRId64
				   " in this assessment", a->id);
	return 0;
}

static int drop_evidence(db_t *db, int64_t id, int64_t evid, struct assess_error *e)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "DELETE FROM assessment_evidence WHERE id = ? AND assessment_id = ?",
		       &st) == 0 &&
	    db_bind_i64(st, 1, evid) == 0 && db_bind_i64(st, 2, id) == 0 && db_step(st) == DB_DONE)
		rc = db_changes(db) == 1 ? 0 : 1;
	db_finalize(st);
	if (rc < 0)
		return assess_fail_db(db, e);
	if (rc > 0)
		return assess_fail(e, ASSESS_ENOTFOUND, "no evidence %" PRId64 " in this assessment",
				   evid);
	return 0;
}

/* The per-requirement limits after the changes, for the requirements
 * touched. 0 or -1 with e. */
static int check_counts(db_t *db, int64_t id, const struct assess_save *s, struct assess_error *e)
{
	for (size_t i = 0; i < s->nactions + s->nadd; i++) {
		const char *req = i < s->nactions ? s->actions[i].req : s->add[i - s->nactions].req;
		if (!req || (i < s->nactions && s->actions[i].id != 0))
			continue;
		int64_t na = count_of(db, "SELECT count(*) FROM assessment_action WHERE "
				      "assessment_id = ?1 AND req_code = ?2", id, req);
		int64_t ne = count_of(db, "SELECT count(*) FROM assessment_evidence WHERE "
				      "assessment_id = ?1 AND req_code = ?2", id, req);
		if (na < 0 || ne < 0)
			return assess_fail_db(db, e);
		if (na > ASSESS_ACTIONS_MAX)
			return assess_fail(e, ASSESS_EINVALID, "requirement %s: at most %d action "
					   "points", req, ASSESS_ACTIONS_MAX);
		if (ne > ASSESS_EVIDENCE_MAX)
			return assess_fail(e, ASSESS_EINVALID, "requirement %s: at most %d pieces of "
					   "evidence", req, ASSESS_EVIDENCE_MAX);
	}
	return 0;
}

/* Appends ids to a detail, cut with "..." */
static void add_ids(char *out, size_t cap, const char *label, const int64_t *ids, size_t n)
{
	size_t k = strlen(out);
	for (size_t i = 0; i < n && k < cap; i++) {
		int w = snprintf(out + k, cap - k, "%s%" PRId64, i ? "," : label, ids[i]);
		if (w < 0 || (size_t)w >= cap - k) {
			snprintf(out + (cap > 4 ? cap - 4 : 0), 4, "...");
			return;
		}
		k += (size_t)w;
	}
}

int assess_save(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		const struct assess_save *s, struct assess_error *e)
{
	struct framework f = {0};
	struct assess_head h;
	int64_t *added = NULL;
	unsigned caps = 0;
	int in_tx = 0, rc = -1;
	char at[TIMESTAMP_LEN + 1], detail[AUDIT_MAX_FIELD / 2];

	assess_error_clear(e);
	int lf = assess_head_load(db, id, &h);
	if (lf < 0)
		return assess_fail_db(db, e);
	if (lf > 0)
		return assess_fail(e, ASSESS_ENOTFOUND, "no assessment %" PRId64, id);
	lf = frameworks_load(db, h.fw_version_id, &f);
	if (lf != 0)
		return lf < 0 ? assess_fail_db(db, e)
			      : assess_fail(e, ASSESS_EDAMAGED, "its framework revision is missing");
	added = calloc(s->nadd ? s->nadd : 1, sizeof *added);
	if (!added)
		goto out;
	if (assess_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (may_change(db, actor_id, id, &h, &caps, e) != 0)
		goto out;
	enum assess_step_result sr = assess_step(h.status, ASSESS_ACT_EDIT, caps, 0, 0, NULL);
	if (sr != ASSESS_STEP_OK) {
		step_refused(sr, 0, e);
		goto out;
	}
	if (check_save(&f, s, e) != 0)
		goto out;
	timestamp_now(at);
	for (size_t i = 0; i < s->nitems; i++)
		if (save_item(db, id, actor_id, at, &s->items[i]) != 0)
			goto dbfail;
	for (size_t i = 0; i < s->nactions; i++)
		if (save_action(db, id, actor_id, at, &s->actions[i], e) != 0)
			goto out;
	for (size_t i = 0; i < s->ndrop; i++)
		if (drop_evidence(db, id, s->drop_evidence[i], e) != 0)
			goto out;
	for (size_t i = 0; i < s->nadd; i++)
		if (assess_evidence_insert(db, id, actor_id, s->key, &s->add[i], &added[i], e) != 0)
			goto out;
	if (check_counts(db, id, s, e) != 0)
		goto out;

	/* what changed, by requirement code and count: never a text */
	snprintf(detail, sizeof detail, "items %zu actions %zu", s->nitems, s->nactions);
	for (size_t i = 0; i < s->nitems; i++) {
		size_t k = strlen(detail);
		if (k + FW_CODE_MAX + 8 >= sizeof detail) {
			snprintf(detail + k, sizeof detail - k, " ...");
			break;
		}
		snprintf(detail + k, sizeof detail - k, "%s%s", i ? "," : " requirements ",
			 s->items[i].req);
	}
	if ((s->nitems || s->nactions) &&
	    assess_audit(db, signer, actor_id, "assess.update", id, detail) != 0)
		goto dbfail;
	if (s->nadd) {
		detail[0] = '\0';
		add_ids(detail, sizeof detail, "evidence ", added, s->nadd);
		if (assess_audit(db, signer, actor_id, "assess.evidence_add", id, detail) != 0)
			goto dbfail;
	}
	if (s->ndrop) {
		detail[0] = '\0';
		add_ids(detail, sizeof detail, "evidence ", s->drop_evidence, s->ndrop);
		if (assess_audit(db, signer, actor_id, "assess.evidence_remove", id, detail) != 0)
			goto dbfail;
	}
	if (db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	assess_fail_db(db, e);
out:
	assess_tx_end(db, NULL, in_tx);
	free(added);
	framework_free(&f);
	return rc;
}

/* ---- the workflow's steps ---- */

static int step(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		int act, const char *text, struct assess_error *e)
{
	struct assess_head h;
	unsigned caps = 0;
	int in_tx = 0, rc = -1, to = 0;
	char at[TIMESTAMP_LEN + 1];
	db_stmt_t *st = NULL;
	assess_error_clear(e);
	int has_text = act == ASSESS_ACT_REVIEW || act == ASSESS_ACT_RETURN ? !blank(text) : 0;
	if (has_text && !text_ok(text, ASSESS_REVIEW_MAX, 1))
		return assess_fail(e, ASSESS_EINVALID, "the text is longer than %d bytes or holds "
				   "control characters", ASSESS_REVIEW_MAX);
	if (assess_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (may_change(db, actor_id, id, &h, &caps, e) != 0)
		goto out;
	int64_t open = count_of(db, "SELECT count(*) FROM assessment_item WHERE assessment_id = ?1 "
				"AND (design = 0 OR existence = 0 OR operation = 0)", id, NULL);
	if (open < 0)
		goto dbfail;
	enum assess_step_result sr = assess_step(h.status, act, caps, (size_t)open, has_text, &to);
	if (sr != ASSESS_STEP_OK) {
		step_refused(sr, (size_t)open, e);
		goto out;
	}
	timestamp_now(at);
	const char *sql = act == ASSESS_ACT_SIGN_OFF
		? "UPDATE assessment SET status = 'signed_off', signed_off_by = ?1, "
		  "signed_off_at = ?2 WHERE id = ?3 AND status = 'draft'"
		: act == ASSESS_ACT_REVIEW
		? "UPDATE assessment SET status = 'reviewed', reviewed_by = ?1, reviewed_at = ?2, "
		  "review_comment = ?4 WHERE id = ?3 AND status = 'signed_off'"
		: "UPDATE assessment SET status = 'draft', signed_off_by = NULL, "
		  "signed_off_at = NULL, returned_by = ?1, returned_at = ?2, return_reason = ?4 "
		  "WHERE id = ?3 AND status = 'signed_off'";
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, actor_id) != 0 ||
	    db_bind_text(st, 2, at, (size_t)-1) != 0 || db_bind_i64(st, 3, id) != 0 ||
	    (act != ASSESS_ACT_SIGN_OFF && db_bind_text(st, 4, text, (size_t)-1) != 0) ||
	    db_step(st) != DB_DONE || db_changes(db) != 1)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	char detail[96];
	snprintf(detail, sizeof detail, "org %" PRId64 " framework %s year %d to %s", h.dept_id,
		 h.fw_code, h.year, assess_status_name(to));
	const char *action = act == ASSESS_ACT_SIGN_OFF ? "assess.sign_off"
			     : act == ASSESS_ACT_REVIEW ? "assess.review"
							: "assess.return";
	if (assess_audit(db, signer, actor_id, action, id, detail) != 0 || db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	assess_fail_db(db, e);
out:
	assess_tx_end(db, st, in_tx);
	return rc;
}

int assess_sign_off(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		    struct assess_error *e)
{
	return step(db, signer, actor_id, id, ASSESS_ACT_SIGN_OFF, NULL, e);
}

int assess_review(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		  const char *comment, struct assess_error *e)
{
	return step(db, signer, actor_id, id, ASSESS_ACT_REVIEW, comment, e);
}

int assess_return(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		  const char *reason, struct assess_error *e)
{
	return step(db, signer, actor_id, id, ASSESS_ACT_RETURN, reason, e);
}
