/* store.c: sources and recommendations (recs.h, migration 0016), and what
 * the storage files of src/recs share (internal.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "recs/internal.h"
#include "recs/recs.h"
#include "web/i18n.h"

void recs_error_clear(struct recs_error *e)
{
	memset(e, 0, sizeof *e);
}

int recs_rollback(db_t *db, struct recs_error *e)
{
	if (!e->code)
		e->code = RECS_EDB;
	db_rollback(db);
	return -1;
}

void recs_copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

int recs_audit(db_t *db, const struct audit_signer *s, int64_t actor_id, const char *action,
	       const char *object_type, int64_t object_id, const char *detail)
{
	return audit_append_user(db, s, actor_id, action, object_type, object_id, detail);
}

int recs_department_code(db_t *db, int64_t org_id, int open_only, char *code)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "SELECT code FROM org WHERE id = ?1 AND kind = 'department' AND "
			   "(?2 = 0 OR valid_to IS NULL)", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0 || db_bind_i64(st, 2, open_only) != 0)
		goto out;
	int s = db_step(st);
	if (s == DB_ROW) {
		recs_copy(code, ORG_CODE_MAX + 1, db_col_text(st, 0));
		rc = 0;
	} else if (s == DB_DONE) {
		rc = 1;
	}
out:
	db_finalize(st);
	return rc;
}

/* ---- sources ---- */

static const char SOURCE_COLS[] = "id, kind, title, reference, issued_on, round, link, updated_on";

static void source_row(db_stmt_t *st, struct recs_source *s)
{
	memset(s, 0, sizeof *s);
	s->id = db_col_i64(st, 0);
	recs_copy(s->kind, sizeof s->kind, db_col_text(st, 1));
	recs_copy(s->title, sizeof s->title, db_col_text(st, 2));
	recs_copy(s->reference, sizeof s->reference, db_col_text(st, 3));
	recs_copy(s->issued_on, sizeof s->issued_on, db_col_text(st, 4));
	recs_copy(s->round, sizeof s->round, db_col_text(st, 5));
	recs_copy(s->link, sizeof s->link, db_col_text(st, 6));
	recs_copy(s->updated_on, sizeof s->updated_on, db_col_text(st, 7));
}

int recs_source_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		     struct recs_source *src, const char *today, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t n;
	int added = src->id == 0;
	recs_error_clear(e);
	if ((why = recs_source_check(src, today)) != NULL)
		return recs_fail(e, RECS_EINVALID, why);
	if (db_begin(db) != 0)
		return recs_fail_db(db, e);
	if (added ? db_query_i64_2(db, "SELECT count(*) FROM rec_source", 0, 0, &n) != 0
		  : db_query_i64_2(db, "SELECT count(*) FROM rec_source WHERE id = ?1", src->id, 0, &n) != 0)
		goto dbfail;
	if (added && n >= RECS_SOURCES_MAX) {
		recs_fail(e, RECS_EFULL, N_("The tracker holds as many sources as it can (200)."));
		goto refused;
	}
	if (!added && n == 0) {
		recs_fail(e, RECS_ENOTFOUND, N_("There is no such source."));
		goto refused;
	}
	if (db_prepare(db, added ? "INSERT INTO rec_source (kind, title, reference, issued_on, round, "
				   "link, updated_on) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"
				 : "UPDATE rec_source SET kind = ?2, title = ?3, reference = ?4, "
				   "issued_on = ?5, round = ?6, link = ?7, updated_on = ?8 WHERE id = ?1 "
				   "RETURNING id", &st) != 0 ||
	    (!added && db_bind_i64(st, 1, src->id) != 0) ||
	    db_bind_text(st, 2, src->kind, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, src->title, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, src->reference, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, src->issued_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 6, src->round, (size_t)-1) != 0 ||
	    db_bind_text(st, 7, src->link, (size_t)-1) != 0 ||
	    db_bind_text(st, 8, today, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	src->id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (recs_audit(db, s, actor_id, added ? "recs.source.add" : "recs.source.update",
		       "rec_source", src->id, NULL) != 0 || db_commit(db) != 0)
		goto dbfail;
	recs_copy(src->updated_on, sizeof src->updated_on, today);
	return 0;
dbfail:
	recs_fail_db(db, e);
refused:
	db_finalize(st);
	return recs_rollback(db, e);
}

int recs_source_get(db_t *db, int64_t id, struct recs_source *out, struct recs_error *e)
{
	char sql[160];
	db_stmt_t *st = NULL;
	recs_error_clear(e);
	snprintf(sql, sizeof sql, "SELECT %s FROM rec_source WHERE id = ?", SOURCE_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0)
		goto dbfail;
	int s = db_step(st);
	if (s == DB_ROW)
		source_row(st, out);
	db_finalize(st);
	if (s == DB_ROW)
		return 0;
	if (s == DB_DONE)
		return recs_fail(e, RECS_ENOTFOUND, N_("There is no such source."));
	return recs_fail_db(db, e);
dbfail:
	db_finalize(st);
	return recs_fail_db(db, e);
}

int recs_source_list(db_t *db, struct arena *a, struct recs_source **out, size_t *n,
		     struct recs_error *e)
{
	char sql[200];
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0;
	recs_error_clear(e);
	*n = 0;
	*out = arena_alloc(a, RECS_SOURCES_MAX * sizeof **out);
	snprintf(sql, sizeof sql, "SELECT %s FROM rec_source ORDER BY issued_on DESC, id DESC",
		 SOURCE_COLS);
	if (db_prepare(db, sql, &st) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < RECS_SOURCES_MAX)
			source_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return recs_fail_db(db, e);
}

/* ---- recommendations ---- */

static const char REC_COLS[] = "r.id, r.source_id, r.number, r.text, r.response, r.response_on, "
			       "r.status, r.status_on, r.report_due, r.updated_on";

static void rec_row(db_stmt_t *st, struct recs_rec *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(st, 0);
	r->source_id = db_col_i64(st, 1);
	recs_copy(r->number, sizeof r->number, db_col_text(st, 2));
	recs_copy(r->text, sizeof r->text, db_col_text(st, 3));
	recs_copy(r->response, sizeof r->response, db_col_text(st, 4));
	recs_copy(r->response_on, sizeof r->response_on, db_col_text(st, 5));
	if (recs_status_parse(db_col_text(st, 6), &r->status) != 0)
		r->status = RECS_STATUS_NONE;
	recs_copy(r->status_on, sizeof r->status_on, db_col_text(st, 7));
	recs_copy(r->report_due, sizeof r->report_due, db_col_text(st, 8));
	recs_copy(r->updated_on, sizeof r->updated_on, db_col_text(st, 9));
}

/* The addressees (by code) and policy links (by title) of r. 0 or -1. */
static int rec_links(db_t *db, struct recs_rec *r)
{
	db_stmt_t *st = NULL;
	int s;
	r->naddressees = r->npolicies = 0;
	if (db_prepare(db, "SELECT a.org_id, o.code FROM rec_addressee a JOIN org o ON o.id = "
			   "a.org_id WHERE a.rec_id = ? ORDER BY o.code, o.id", &st) != 0 ||
	    db_bind_i64(st, 1, r->id) != 0)
		goto fail;
	while ((s = db_step(st)) == DB_ROW) {
		if (r->naddressees == RECS_ADDRESSEES_MAX)
			continue;
		struct recs_org *o = &r->addressees[r->naddressees++];
		o->id = db_col_i64(st, 0);
		recs_copy(o->code, sizeof o->code, db_col_text(st, 1));
	}
	if (s != DB_DONE)
		goto fail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "SELECT p.id, p.title FROM rec_policy l JOIN policy_item p ON p.id = "
			   "l.policy_id WHERE l.rec_id = ? ORDER BY p.title, p.id", &st) != 0 ||
	    db_bind_i64(st, 1, r->id) != 0)
		goto fail;
	while ((s = db_step(st)) == DB_ROW) {
		if (r->npolicies == RECS_POLICIES_MAX)
			continue;
		struct recs_policy_ref *p = &r->policies[r->npolicies++];
		p->id = db_col_i64(st, 0);
		recs_copy(p->title, sizeof p->title, db_col_text(st, 1));
	}
	if (s != DB_DONE)
		goto fail;
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	return -1;
}

/* Reads recommendation id with its links, inside the caller's transaction
 * or none: 0, 1 none, -1 db error. */
static int rec_read(db_t *db, int64_t id, struct recs_rec *out)
{
	char sql[256];
	db_stmt_t *st = NULL;
	snprintf(sql, sizeof sql, "SELECT %s FROM recommendation r WHERE r.id = ?", REC_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0) {
		db_finalize(st);
		return -1;
	}
	int s = db_step(st);
	if (s == DB_ROW)
		rec_row(st, out);
	db_finalize(st);
	if (s == DB_DONE)
		return 1;
	if (s != DB_ROW)
		return -1;
	return rec_links(db, out);
}

int recs_rec_get(db_t *db, int64_t id, struct recs_rec *out, struct recs_error *e)
{
	recs_error_clear(e);
	int rc = rec_read(db, id, out);
	if (rc < 0)
		return recs_fail_db(db, e);
	return rc ? recs_fail(e, RECS_ENOTFOUND, N_("There is no such recommendation.")) : 0;
}

/* Takes the fields of part from in into cur. */
static void rec_merge(struct recs_rec *cur, const struct recs_rec *in, int part)
{
	if (part == RECS_PART_ALL || part == RECS_PART_MAIN) {
		memcpy(cur->number, in->number, sizeof cur->number);
		memcpy(cur->text, in->text, sizeof cur->text);
		memcpy(cur->report_due, in->report_due, sizeof cur->report_due);
		memcpy(cur->addressees, in->addressees, sizeof cur->addressees);
		cur->naddressees = in->naddressees;
		memcpy(cur->policies, in->policies, sizeof cur->policies);
		cur->npolicies = in->npolicies;
	}
	if (part == RECS_PART_ALL || part == RECS_PART_RESPONSE) {
		memcpy(cur->response, in->response, sizeof cur->response);
		memcpy(cur->response_on, in->response_on, sizeof cur->response_on);
	}
	if (part == RECS_PART_ALL || part == RECS_PART_STATUS) {
		cur->status = in->status;
		memcpy(cur->status_on, in->status_on, sizeof cur->status_on);
	}
}

/* Replaces the addressees and policy links of r (its own, checked). */
static int rec_write_links(db_t *db, const struct recs_rec *r)
{
	db_stmt_t *st = NULL;
	int64_t x;
	if (db_query_i64_2(db, "DELETE FROM rec_addressee WHERE rec_id = ?1", r->id, 0, &x) != 0 ||
	    db_query_i64_2(db, "DELETE FROM rec_policy WHERE rec_id = ?1", r->id, 0, &x) != 0)
		return -1;
	if (db_prepare(db, "INSERT INTO rec_addressee (rec_id, org_id) VALUES (?, ?)", &st) != 0)
		goto fail;
	for (size_t i = 0; i < r->naddressees; i++)
		if (db_reset(st) != 0 || db_bind_i64(st, 1, r->id) != 0 ||
		    db_bind_i64(st, 2, r->addressees[i].id) != 0 || db_step(st) != DB_DONE)
			goto fail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO rec_policy (rec_id, policy_id) VALUES (?, ?)", &st) != 0)
		goto fail;
	for (size_t i = 0; i < r->npolicies; i++)
		if (db_reset(st) != 0 || db_bind_i64(st, 1, r->id) != 0 ||
		    db_bind_i64(st, 2, r->policies[i].id) != 0 || db_step(st) != DB_DONE)
			goto fail;
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	return -1;
}

/* The checks that need the database, inside the transaction: the source,
 * room, the number once per source, addressees that are departments and
 * policy items that exist (their codes and titles filled in). 0, or -1 with
 * e (the caller rolls back). */
static int rec_claim(db_t *db, struct recs_rec *r, int added, struct recs_error *e)
{
	int64_t n;
	if (added) {
		if (db_query_i64_2(db, "SELECT count(*) FROM rec_source WHERE id = ?1", r->source_id, 0,
				   &n) != 0)
			return recs_fail_db(db, e);
		if (n == 0)
			return recs_fail(e, RECS_ENOTFOUND, N_("There is no such source."));
		if (db_query_i64_2(db, "SELECT count(*) FROM recommendation", 0, 0, &n) != 0)
			return recs_fail_db(db, e);
		if (n >= RECS_MAX)
			return recs_fail(e, RECS_EFULL, N_("The tracker holds as many recommendations as it can (1,000)."));
	}
	db_stmt_t *st = NULL;
	if (db_prepare(db, "SELECT count(*) FROM recommendation WHERE source_id = ? AND number = ? "
			   "AND id <> ?", &st) != 0 || db_bind_i64(st, 1, r->source_id) != 0 ||
	    db_bind_text(st, 2, r->number, (size_t)-1) != 0 || db_bind_i64(st, 3, r->id) != 0 ||
	    db_step(st) != DB_ROW) {
		db_finalize(st);
		return recs_fail_db(db, e);
	}
	n = db_col_i64(st, 0);
	db_finalize(st);
	if (n)
		return recs_fail(e, RECS_ECONFLICT, N_("The source already has a recommendation with this number."));
	for (size_t i = 0; i < r->naddressees; i++) {
		int rc = recs_department_code(db, r->addressees[i].id, 0, r->addressees[i].code);
		if (rc < 0)
			return recs_fail_db(db, e);
		if (rc)
			return recs_fail(e, RECS_EINVALID, N_("A department chosen does not exist."));
	}
	for (size_t i = 0; i < r->npolicies; i++) {
		if (db_prepare(db, "SELECT title FROM policy_item WHERE id = ?", &st) != 0 ||
		    db_bind_i64(st, 1, r->policies[i].id) != 0) {
			db_finalize(st);
			return recs_fail_db(db, e);
		}
		int s = db_step(st);
		if (s == DB_ROW)
			recs_copy(r->policies[i].title, sizeof r->policies[i].title,
				  db_col_text(st, 0));
		db_finalize(st);
		if (s == DB_DONE)
			return recs_fail(e, RECS_EINVALID, N_("A policy item chosen does not exist."));
		if (s != DB_ROW)
			return recs_fail_db(db, e);
	}
	return 0;
}

int recs_rec_save(db_t *db, const struct audit_signer *s, int64_t actor_id, struct recs_rec *r,
		  int part, const char *today, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int added = r->id == 0;
	struct recs_rec *cur = xcalloc(1, sizeof *cur);
	char detail[48] = "";
	recs_error_clear(e);
	if (added)
		part = RECS_PART_ALL;
	if (db_begin(db) != 0) {
		recs_fail_db(db, e);
		goto out;
	}
	if (!added) {
		int rc = rec_read(db, r->id, cur);
		if (rc < 0)
			goto dbfail;
		if (rc) {
			recs_fail(e, RECS_ENOTFOUND, N_("There is no such recommendation."));
			goto refused;
		}
	} else {
		cur->source_id = r->source_id;
	}
	rec_merge(cur, r, part);
	if ((why = recs_rec_check(cur, today)) != NULL) {
		recs_fail(e, RECS_EINVALID, why);
		goto refused;
	}
	if (rec_claim(db, cur, added, e) != 0)
		goto refused;
	if (db_prepare(db, added ? "INSERT INTO recommendation (source_id, number, text, response, "
				   "response_on, status, status_on, report_due, updated_on) VALUES "
				   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id"
				 : "UPDATE recommendation SET number = ?2, text = ?3, response = ?4, "
				   "response_on = ?5, status = ?6, status_on = ?7, report_due = ?8, "
				   "updated_on = ?9 WHERE id = ?1 RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, added ? cur->source_id : cur->id) != 0 ||
	    db_bind_text(st, 2, cur->number, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, cur->text, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, cur->response, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, cur->response_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 6, recs_status_id(cur->status), (size_t)-1) != 0 ||
	    db_bind_text(st, 7, cur->status_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 8, cur->report_due, (size_t)-1) != 0 ||
	    db_bind_text(st, 9, today, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	cur->id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if ((part == RECS_PART_ALL || part == RECS_PART_MAIN) && rec_write_links(db, cur) != 0)
		goto dbfail;
	const char *action = added ? "recs.rec.add"
			     : part == RECS_PART_RESPONSE ? "recs.response"
			     : part == RECS_PART_STATUS ? "recs.status"
							 : "recs.rec.update";
	if (part == RECS_PART_STATUS)
		snprintf(detail, sizeof detail, "status=%s", recs_status_id(cur->status));
	else
		snprintf(detail, sizeof detail, "source=%" PRId64, cur->source_id);
	if (recs_audit(db, s, actor_id, action, "recommendation", cur->id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	recs_copy(cur->updated_on, sizeof cur->updated_on, today);
	*r = *cur;
	free(cur);
	return 0;
dbfail:
	recs_fail_db(db, e);
refused:
	db_finalize(st);
	recs_rollback(db, e);
out:
	free(cur);
	return -1;
}

int recs_rec_list(db_t *db, struct arena *a, int64_t source_id, struct recs_rec **out, size_t *n,
		  struct recs_error *e)
{
	char sql[512];
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0, cap;
	int64_t count;
	recs_error_clear(e);
	*n = 0;
	if (db_query_i64_2(db, "SELECT count(*) FROM recommendation WHERE ?1 = 0 OR source_id = ?1",
			   source_id, 0, &count) != 0)
		return recs_fail_db(db, e);
	cap = count > RECS_MAX ? RECS_MAX : (size_t)count;
	*out = arena_alloc(a, (cap ? cap : 1) * sizeof **out);
	/* numbers as people read them: "2" before "10" (CAST gives 0 for
	 * "iv", whose order is then the order they were entered in) */
	snprintf(sql, sizeof sql, "SELECT %s FROM recommendation r JOIN rec_source s ON s.id = "
		 "r.source_id WHERE ?1 = 0 OR r.source_id = ?1 ORDER BY s.issued_on DESC, s.id DESC, "
		 "CAST(r.number AS INTEGER), r.id", REC_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, source_id) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < cap)
			rec_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	for (size_t i = 0; i < k; i++)
		if (rec_links(db, &(*out)[i]) != 0)
			goto dbfail;
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return recs_fail_db(db, e);
}
