/* store.c: framework revisions in the database (framework.h, migration
 * 0011). A row never changes; every save adds one, in one transaction with
 * its audit entry. The canonical JSON is stored, and read back through the
 * same reader as a file, so a row that somehow does not parse is an error,
 * never half a framework. */
#include "frameworks/cache.h"
#include "frameworks/framework.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/utf8.h"
#include "crypto/audit.h"

#define COLS "id, code, revision, title_nl, title_en, created_on, created_by, note"

static void read_row(db_stmt_t *st, struct fw_version_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(st, 0);
	snprintf(r->code, sizeof r->code, "%s", db_col_text(st, 1));
	r->revision = (int)db_col_i64(st, 2);
	snprintf(r->title_nl, sizeof r->title_nl, "%s", db_col_text(st, 3));
	snprintf(r->title_en, sizeof r->title_en, "%s", db_col_text(st, 4));
	snprintf(r->created_on, sizeof r->created_on, "%s", db_col_text(st, 5));
	r->created_by = db_col_is_null(st, 6) ? 0 : db_col_i64(st, 6);
	snprintf(r->note, sizeof r->note, "%s", db_col_text(st, 7));
}

/* Runs sql (one i64 parameter, or a text then an optional i64) and reads
 * the first column of the first row as an id. 0, 1 none, -1. */
static int query_id(db_t *db, const char *sql, const char *text, int64_t num, int has_num,
		    int64_t *out)
{
	db_stmt_t *st;
	int idx = 1;
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int rc = -1;
	if (text && db_bind_text(st, idx++, text, (size_t)-1) != 0)
		goto out;
	if (has_num && db_bind_i64(st, idx, num) != 0)
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

int frameworks_latest(db_t *db, const char *code, int64_t *version_id)
{
	return query_id(db, "SELECT id FROM framework_version WHERE code = ? "
			    "ORDER BY revision DESC LIMIT 1", code, 0, 0, version_id);
}

int frameworks_find(db_t *db, const char *code, int revision, int64_t *version_id)
{
	return query_id(db, "SELECT id FROM framework_version WHERE code = ? AND revision = ?",
			code, revision, 1, version_id);
}

int frameworks_previous(db_t *db, int64_t version_id, int64_t *prev_id)
{
	return query_id(db, "SELECT p.id FROM framework_version p JOIN framework_version v "
			    "ON p.code = v.code AND p.revision < v.revision WHERE v.id = ? "
			    "ORDER BY p.revision DESC LIMIT 1", NULL, version_id, 1, prev_id);
}

int frameworks_row(db_t *db, int64_t version_id, struct fw_version_row *out)
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT " COLS " FROM framework_version WHERE id = ?", &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_i64(st, 1, version_id) == 0) {
		int step = db_step(st);
		if (step == DB_ROW) {
			read_row(st, out);
			rc = 0;
		} else if (step == DB_DONE) {
			rc = 1;
		}
	}
	db_finalize(st);
	return rc;
}

int frameworks_list(db_t *db, int latest_only, struct fw_version_row *out, size_t cap, size_t *n)
{
	db_stmt_t *st;
	*n = 0;
	const char *sql = latest_only
		? "SELECT " COLS " FROM framework_version v WHERE revision = "
		  "(SELECT max(revision) FROM framework_version w WHERE w.code = v.code) "
		  "ORDER BY code"
		: "SELECT " COLS " FROM framework_version ORDER BY code, revision";
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int step;
	while ((step = db_step(st)) == DB_ROW)
		if (*n < cap)
			read_row(st, &out[(*n)++]);
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

int frameworks_revisions(db_t *db, const char *code, struct fw_version_row *out, size_t cap,
			 size_t *n)
{
	db_stmt_t *st;
	*n = 0;
	if (db_prepare(db, "SELECT " COLS " FROM framework_version WHERE code = ? ORDER BY revision",
		       &st) != 0)
		return -1;
	if (db_bind_text(st, 1, code, (size_t)-1) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW)
		if (*n < cap)
			read_row(st, &out[(*n)++]);
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

int frameworks_body(db_t *db, int64_t version_id, char **body, size_t *len)
{
	db_stmt_t *st;
	*body = NULL;
	*len = 0;
	if (db_prepare(db, "SELECT body FROM framework_version WHERE id = ?", &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_i64(st, 1, version_id) == 0) {
		int step = db_step(st);
		if (step == DB_ROW) {
			const char *t = db_col_text(st, 0);
			*len = strlen(t);
			*body = xstrndup(t, *len);
			rc = 0;
		} else if (step == DB_DONE) {
			rc = 1;
		}
	}
	db_finalize(st);
	return rc;
}

/* The parse is shared through the cache (cache.h); the caller gets its own
 * copy to keep or change. */
int frameworks_load(db_t *db, int64_t version_id, struct framework *out)
{
	struct fw_handle h;
	memset(out, 0, sizeof *out);
	int rc = frameworks_get(db, version_id, &h);
	if (rc != 0)
		return rc;
	/* a parsed framework passes framework_check, so the copy cannot fail */
	rc = framework_copy(h.f, out);
	frameworks_put(&h);
	if (rc != 0)
		return db_fail(db, DBE_GENERIC, "framework revision %" PRId64 " does not copy",
			       version_id);
	return 0;
}

/* --- writing --- */

static int say(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int say(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static int note_ok(const char *note, char *err, size_t errlen)
{
	size_t n = note ? strlen(note) : 0;
	if (n > FW_NOTE_MAX)
		return say(err, errlen, -1, "note: is longer than %d bytes", FW_NOTE_MAX);
	if (n && !utf8_text_clean(note, n, 1))
		return say(err, errlen, -1, "note: must be UTF-8 without control characters");
	return 0;
}

/* Inserts f (inside the caller's transaction). */
static int insert(db_t *db, const struct framework *f, int64_t created_by, const char *note,
		  int shipped_revision, int64_t *id)
{
	char today[DATE_LEN + 1];
	size_t len;
	db_stmt_t *st;
	char *body = framework_write(f, &len);
	if (!body)
		return db_fail(db, DBE_GENERIC, "out of memory writing a framework");
	date_today(today);
	int rc = -1;
	if (db_prepare(db, "INSERT INTO framework_version (code, revision, title_nl, title_en, "
			   "body, created_on, created_by, note, shipped_revision) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st) != 0) {
		free(body);
		return -1;
	}
	if (db_bind_text(st, 1, f->code, (size_t)-1) == 0 &&
	    db_bind_i64(st, 2, f->revision) == 0 &&
	    db_bind_text(st, 3, f->title_nl, (size_t)-1) == 0 &&
	    db_bind_text(st, 4, f->title_en ? f->title_en : "", (size_t)-1) == 0 &&
	    db_bind_text(st, 5, body, len) == 0 && db_bind_text(st, 6, today, (size_t)-1) == 0 &&
	    (created_by > 0 ? db_bind_i64(st, 7, created_by) : db_bind_null(st, 7)) == 0 &&
	    db_bind_text(st, 8, note ? note : "", (size_t)-1) == 0 &&
	    (shipped_revision > 0 ? db_bind_i64(st, 9, shipped_revision) : db_bind_null(st, 9)) == 0 &&
	    db_step(st) == DB_ROW) {
		*id = db_col_i64(st, 0);
		rc = 0;
	}
	db_finalize(st);
	free(body);
	return rc;
}

static int audit(db_t *db, const struct audit_signer *s, const char *actor, const char *action,
		 const struct framework *f, int64_t id, const char *how)
{
	char oid[24], detail[120];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	snprintf(detail, sizeof detail, "%s revision %d%s%s", f->code, f->revision, how ? " " : "",
		 how ? how : "");
	struct audit_entry e = {.actor = actor, .action = action, .object_type = "framework",
				.object_id = oid, .detail = detail};
	return audit_append(db, s, &e);
}

/* The latest stored revision of code: its id and number, and (when out is
 * not NULL) the framework. 0, 1 none, -1. */
static int latest(db_t *db, const char *code, int64_t *id, int *revision, struct framework *out)
{
	struct fw_version_row row;
	int rc = frameworks_latest(db, code, id);
	if (rc != 0)
		return rc;
	if (frameworks_row(db, *id, &row) != 0)
		return -1;
	*revision = row.revision;
	return out ? (frameworks_load(db, *id, out) == 0 ? 0 : -1) : 0;
}

int frameworks_ship(db_t *db, int *added, char *detail, size_t detaillen)
{
	int n = 0;
	size_t used = 0;
	*added = 0;
	if (detaillen)
		detail[0] = 0;
	for (size_t i = 0; frameworks_files[i].name; i++) {
		struct framework f, last = {0};
		char err[300];
		int64_t id, last_id;
		int last_rev = 0;
		if (framework_parse(frameworks_files[i].data, frameworks_files[i].len, &f, err,
				    sizeof err) != 0)
			return db_fail(db, DBE_GENERIC, "%s: %s", frameworks_files[i].name, err);
		int shipped = f.revision;
		int rc = query_id(db, "SELECT id FROM framework_version WHERE code = ? AND "
				      "shipped_revision = ?", f.code, shipped, 1, &id);
		if (rc == 0) {
			framework_free(&f);
			continue;
		}
		if (rc < 0 || (rc = latest(db, f.code, &last_id, &last_rev, &last)) < 0) {
			framework_free(&f);
			framework_free(&last);
			return -1;
		}
		/* the same content saved here already (imported before this
		 * program shipped it): nothing to add */
		int same = rc == 0 && framework_same_content(&f, &last);
		framework_free(&last);
		if (same) {
			framework_free(&f);
			continue;
		}
		/* a revision number the coordinator has used for an edit here:
		 * the shipped file becomes the next revision instead */
		if (f.revision <= last_rev)
			f.revision = last_rev + 1;
		if (f.revision > FW_REVISION_MAX) {
			framework_free(&f);
			return db_fail(db, DBE_GENERIC, "%s: no revision number left", f.code);
		}
		if (insert(db, &f, 0, "", shipped, &id) != 0) {
			framework_free(&f);
			return -1;
		}
		if (used < detaillen) {
			int w = snprintf(detail + used, detaillen - used, "%s%s %d", n ? ", " : "",
					 f.code, f.revision);
			if (w > 0 && shipped != f.revision && (size_t)w < detaillen - used)
				w += snprintf(detail + used + (size_t)w, detaillen - used - (size_t)w,
					      " (shipped as %d)", shipped);
			used += w > 0 ? (size_t)w : 0;
		}
		framework_free(&f);
		n++;
	}
	*added = n;
	return 0;
}

int frameworks_ensure_shipped(db_t *db, const struct audit_signer *s, int *added)
{
	char detail[AUDIT_MAX_FIELD];
	int n = 0;
	if (added)
		*added = 0;
	if (db_begin(db) != 0)
		return -1;
	if (frameworks_ship(db, &n, detail, sizeof detail) != 0)
		goto fail;
	if (n == 0) {
		db_rollback(db);
		return 0;
	}
	struct audit_entry e = {.actor = "system", .action = "framework.ship",
				.object_type = "framework", .detail = detail};
	if (audit_append(db, s, &e) != 0 || db_commit(db) != 0)
		goto fail;
	if (added)
		*added = n;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int frameworks_import(db_t *db, const struct audit_signer *s, const struct framework *f,
		      const char *actor, int64_t created_by, const char *note, int64_t *id,
		      char *err, size_t errlen)
{
	struct framework last = {0};
	int64_t last_id;
	int last_rev = 0;
	if (framework_check(f, err, errlen) != 0 || note_ok(note, err, errlen) != 0)
		return FW_SAVE_EINVALID;
	if (db_begin(db) != 0)
		return say(err, errlen, FW_SAVE_EDB, "%s", db_error(db)->msg);
	int rc = latest(db, f->code, &last_id, &last_rev, &last);
	if (rc < 0)
		goto dbfail;
	if (rc == 0 && f->revision <= last_rev) {
		framework_free(&last);
		db_rollback(db);
		return say(err, errlen, FW_SAVE_ESTALE,
			   "revision %d of %s is not newer than the latest stored, revision %d: "
			   "give the file a higher revision",
			   f->revision, f->code, last_rev);
	}
	if (rc == 0 && framework_same_content(f, &last)) {
		framework_free(&last);
		db_rollback(db);
		return say(err, errlen, FW_SAVE_ESAME,
			   "nothing changed: the file is the same as revision %d of %s", last_rev,
			   f->code);
	}
	framework_free(&last);
	if (insert(db, f, created_by, note, 0, id) != 0 ||
	    audit(db, s, actor, "framework.import", f, *id, NULL) != 0 || db_commit(db) != 0)
		goto dbfail;
	return FW_SAVE_OK;
dbfail:
	framework_free(&last);
	say(err, errlen, FW_SAVE_EDB, "%s", db_error(db)->msg);
	db_rollback(db);
	return FW_SAVE_EDB;
}

int frameworks_revise(db_t *db, const struct audit_signer *s, int64_t base_id,
		      struct framework *f, const char *actor, int64_t created_by,
		      const char *note, int64_t *id, char *err, size_t errlen)
{
	struct fw_version_row base;
	struct framework old = {0};
	int64_t last_id;
	if (note_ok(note, err, errlen) != 0)
		return FW_SAVE_EINVALID;
	if (db_begin(db) != 0)
		return say(err, errlen, FW_SAVE_EDB, "%s", db_error(db)->msg);
	int rc = frameworks_row(db, base_id, &base);
	if (rc != 0) {
		if (rc < 0)
			goto dbfail;
		db_rollback(db);
		return say(err, errlen, FW_SAVE_EINVALID, "no framework revision %" PRId64, base_id);
	}
	if (frameworks_latest(db, base.code, &last_id) != 0)
		goto dbfail;
	if (last_id != base_id) {
		db_rollback(db);
		return say(err, errlen, FW_SAVE_ESTALE,
			   "a newer revision of %s has been saved since revision %d: start from "
			   "the latest", base.code, base.revision);
	}
	if (base.revision >= FW_REVISION_MAX) {
		db_rollback(db);
		return say(err, errlen, FW_SAVE_EINVALID, "%s has no revision number left", base.code);
	}
	snprintf(f->code, sizeof f->code, "%s", base.code);
	f->revision = base.revision + 1;
	if (framework_check(f, err, errlen) != 0) {
		db_rollback(db);
		return FW_SAVE_EINVALID;
	}
	if (frameworks_load(db, base_id, &old) != 0)
		goto dbfail;
	int same = framework_same_content(f, &old);
	framework_free(&old);
	if (same) {
		db_rollback(db);
		return say(err, errlen, FW_SAVE_ESAME, "nothing changed: the revision would be the "
			   "same as revision %d", base.revision);
	}
	if (insert(db, f, created_by, note, 0, id) != 0 ||
	    audit(db, s, actor, "framework.revise", f, *id, NULL) != 0 || db_commit(db) != 0)
		goto dbfail;
	return FW_SAVE_OK;
dbfail:
	say(err, errlen, FW_SAVE_EDB, "%s", db_error(db)->msg);
	db_rollback(db);
	return FW_SAVE_EDB;
}
