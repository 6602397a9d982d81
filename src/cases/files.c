/* files.c: the attachments of a case (migration 0009 case_attachment,
 * cases.h): files the team adds to a record, to a note, or to the case
 * alone.
 *
 * As for a report's attachments (src/intake/follow.c), each file is two
 * content blobs whose purposes name the row: "case-attachment-meta:<id>"
 * holds JSON {"name":<string>,"type":<string>,"size":<integer>}, so that a
 * list never decrypts the files, and "case-attachment:<id>" the bytes. Both
 * are under the key of what the file belongs to: the summary key for a
 * record the competent authority reads, else the case key. The row goes in
 * with empty blobs, because the purposes need the id the insert gives, and
 * is filled in the same transaction.
 *
 * What a file is, is decided by the caller from its bytes (attach_check) and
 * its shown name cleaned (attach_clean_name); this file checks the limits
 * and that both are fit to store, and never uses the name as a path.
 * Plaintext handed out (names, bytes) is in the caller's memory or
 * vault_secure_alloc'd memory; the meta JSON is built and parsed in secure
 * memory. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/utf8.h"
#include "cases/cases.h"
#include "cases/internal.h"
#include "crypto/blob.h"
#include "crypto/vault.h"
#include "intake/attach.h"

#define fail cases_fail
#define fail_db cases_fail_db

/* ---- checks ---- */

/* The limits and shapes intake_files_check applies to a report's files. */
static int check_files(const struct intake_file *files, size_t n, struct cases_error *e)
{
	size_t total = 0;
	if (n == 0 || !files)
		return fail(e, CASES_EINVALID, "no files given");
	if (n > CASES_FILES_MAX)
		return fail(e, CASES_EINVALID, "at most %d files can be added at once",
			    CASES_FILES_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct intake_file *f = &files[i];
		if (!f->data || f->len == 0)
			return fail(e, CASES_EINVALID, "file %zu is empty", i + 1);
		if (f->len > CASES_FILE_MAX)
			return fail(e, CASES_EINVALID, "file %zu is larger than %u MB", i + 1,
				    CASES_FILE_MAX >> 20);
		total += f->len;
		if (total > CASES_FILES_TOTAL)
			return fail(e, CASES_EINVALID, "the files together are larger than %u MB",
				    CASES_FILES_TOTAL >> 20);
		size_t mn = f->mime ? strlen(f->mime) : 0;
		if (mn == 0 || mn > INTAKE_MIME_MAX || !strchr(f->mime, '/'))
			return fail(e, CASES_EINVALID, "file %zu has no usable type", i + 1);
		for (size_t j = 0; j < mn; j++)
			if (f->mime[j] <= 0x20 || f->mime[j] >= 0x7f || f->mime[j] == '"' ||
			    f->mime[j] == '\\')
				return fail(e, CASES_EINVALID, "file %zu has no usable type", i + 1);
		size_t nn = f->name ? strlen(f->name) : 0;
		if (nn == 0 || nn > INTAKE_FILENAME_MAX)
			return fail(e, CASES_EINVALID, "file %zu needs a name of at most %d bytes",
				    i + 1, INTAKE_FILENAME_MAX);
		if (!utf8_text_clean(f->name, nn, 0) || strpbrk(f->name, "/\\"))
			return fail(e, CASES_EINVALID,
				    "the name of file %zu is not valid UTF-8 or holds a slash or "
				    "control characters", i + 1);
	}
	return 0;
}

/* A text that may be empty when files come with it. */
static int check_text(const char *text, size_t len, size_t max, size_t nfiles, const char *what,
		      struct cases_error *e)
{
	if (len == 0 && nfiles > 0)
		return 0;
	return cases_check_text(text, len, max, what, e);
}

/* ---- storing ---- */

/* Stores files[0..n) of the case of k, added by actor_id to record_id or
 * note_id (0: none), under the summary key when summary, inside the caller's
 * write transaction; ids (may be NULL) gets their ids. 0, or -1 with e. */
static int store_files(db_t *db, const struct cases_key *k, int64_t actor_id, int64_t record_id,
		       int64_t note_id, int summary, const struct intake_file *files, size_t n,
		       int64_t *ids, struct cases_error *e)
{
	const unsigned char *key = summary ? k->summary : k->key;
	char at[TIMESTAMP_LEN + 1];
	timestamp_now(at);
	for (size_t i = 0; i < n; i++) {
		db_stmt_t *st = NULL;
		char purpose[CASES_PURPOSE_LEN];
		if (db_prepare(db, "INSERT INTO case_attachment (case_id, record_id, note_id, under, "
				   "account_id, created_at, meta, body) "
				   "VALUES (?, ?, ?, ?, ?, ?, X'', X'') RETURNING id", &st) != 0 ||
		    db_bind_i64(st, 1, k->case_id) != 0 ||
		    (record_id ? db_bind_i64(st, 2, record_id) : db_bind_null(st, 2)) != 0 ||
		    (note_id ? db_bind_i64(st, 3, note_id) : db_bind_null(st, 3)) != 0 ||
		    db_bind_text(st, 4, summary ? "summary" : "case", (size_t)-1) != 0 ||
		    db_bind_i64(st, 5, actor_id) != 0 || db_bind_text(st, 6, at, (size_t)-1) != 0 ||
		    db_step(st) != DB_ROW) {
			db_finalize(st);
			return fail_db(db, e);
		}
		int64_t id = db_col_i64(st, 0);
		db_finalize(st);

		size_t mlen;
		char *meta = attach_meta_build(&files[i], &mlen);
		snprintf(purpose, sizeof purpose, "case-attachment-meta:%" PRId64, id);
		int rc = cases_write_blob(db, "UPDATE case_attachment SET meta = ? WHERE id = ?", key,
					  k->case_id, purpose, id, meta, mlen, e);
		vault_secure_free(meta);
		if (rc != 0)
			return -1;
		snprintf(purpose, sizeof purpose, "case-attachment:%" PRId64, id);
		if (cases_write_blob(db, "UPDATE case_attachment SET body = ? WHERE id = ?", key,
				     k->case_id, purpose, id, files[i].data, files[i].len, e) != 0)
			return -1;
		if (ids)
			ids[i] = id;
	}
	return 0;
}

/* The audit entry of files added: their ids and what they went to. */
static int audit_files(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		       int64_t case_id, int64_t record_id, int64_t note_id, const int64_t *ids,
		       size_t n)
{
	char detail[256];
	size_t len = (size_t)snprintf(detail, sizeof detail, "files ");
	for (size_t i = 0; i < n && len < sizeof detail; i++)
		len += (size_t)snprintf(detail + len, sizeof detail - len, "%s%" PRId64,
					i ? "," : "", ids[i]);
	if (len < sizeof detail && record_id)
		snprintf(detail + len, sizeof detail - len, " record %" PRId64, record_id);
	else if (len < sizeof detail && note_id)
		snprintf(detail + len, sizeof detail - len, " note %" PRId64, note_id);
	return cases_audit(db, signer, actor_id, "case.attach", case_id, detail);
}

/* Inside the transaction: whether record_id is a record of the case (and
 * under the summary key: *summary), or note_id a note of it. 0, or -1 with e
 * (CASES_ENOTFOUND). */
static int find_target(db_t *db, int64_t case_id, int64_t record_id, int64_t note_id,
		       int *summary, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	*summary = 0;
	if (!record_id && !note_id)
		return 0;
	const char *sql = record_id ?
		"SELECT under = 'summary' FROM case_record WHERE id = ? AND case_id = ?" :
		"SELECT 0 FROM case_note WHERE id = ? AND case_id = ?";
	if (db_prepare(db, sql, &st) != 0 ||
	    db_bind_i64(st, 1, record_id ? record_id : note_id) != 0 ||
	    db_bind_i64(st, 2, case_id) != 0) {
		db_finalize(st);
		return fail_db(db, e);
	}
	int step = db_step(st);
	if (step == DB_ROW)
		*summary = db_col_i64(st, 0) != 0;
	db_finalize(st);
	if (step == DB_DONE)
		return fail(e, CASES_ENOTFOUND, "no %s %" PRId64 " in case %" PRId64,
			    record_id ? "record" : "note", record_id ? record_id : note_id, case_id);
	if (step != DB_ROW)
		return fail_db(db, e);
	return 0;
}

int cases_files_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		    int64_t actor_id, int64_t record_id, int64_t note_id,
		    const struct intake_file *files, size_t n, int64_t *ids_out,
		    struct cases_error *e)
{
	struct cases_row row;
	int64_t ids[CASES_FILES_MAX];
	int in_tx = 0, rc = -1, as, summary;

	cases_error_clear(e);
	if (ids_out && n <= CASES_FILES_MAX)
		memset(ids_out, 0, n * sizeof *ids_out);
	if (record_id < 0 || note_id < 0 || (record_id && note_id))
		return fail(e, CASES_EINVALID, "a file goes to one record, one note or the case");
	if (check_files(files, n, e) != 0)
		return -1;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	/* a note takes files after closing, as it takes notes */
	if (cases_authorise(db, k, actor_id, CASES_NEED_MEMBER, note_id != 0, &row, &as, e) != 0 ||
	    find_target(db, k->case_id, record_id, note_id, &summary, e) != 0)
		goto out;
	/* what the authority reads is the coordinator's to choose */
	if (summary && as != CASES_AS_COORDINATOR) {
		fail(e, CASES_EDENIED, "only a coordinator of case %" PRId64 " may add files to what "
		     "the competent authority reads", k->case_id);
		goto out;
	}
	if (store_files(db, k, actor_id, record_id, note_id, summary, files, n, ids, e) != 0)
		goto out;
	if (audit_files(db, signer, actor_id, k->case_id, record_id, note_id, ids, n) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	if (ids_out)
		memcpy(ids_out, ids, n * sizeof *ids);
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	return rc;
}

int cases_record_add_files(db_t *db, const struct audit_signer *signer,
			   const struct cases_key *k, int64_t actor_id, const char *type,
			   const char *text, size_t len, const struct intake_file *files,
			   size_t nfiles, int64_t *id_out, struct cases_error *e)
{
	struct cases_row row;
	int64_t ids[CASES_FILES_MAX], id = 0;
	char detail[96];
	int in_tx = 0, rc = -1, as;

	if (id_out)
		*id_out = 0;
	cases_error_clear(e);
	if (nfiles == 0)
		return cases_record_add(db, signer, k, actor_id, type, text, len, id_out, e);
	if (!type || !*type || strlen(type) > CASES_ID_MAX)
		return fail(e, CASES_EINVALID, "no record type given");
	if (strcmp(type, CASES_RECORD_DECISION) == 0)
		return fail(e, CASES_EINVALID, "the decision is recorded by the competent authority");
	if (check_text(text, len, CASES_TEXT_MAX, nfiles, "the record", e) != 0 ||
	    check_files(files, nfiles, e) != 0)
		return -1;
	int summary = strcmp(type, CASES_RECORD_SUMMARY) == 0;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, summary ? CASES_NEED_COORDINATOR : CASES_NEED_MEMBER, 0,
			    &row, &as, e) != 0)
		goto out;
	const struct cases_protocol *p = cases_protocol_of(&row, e);
	if (!p)
		goto out;
	if (!summary && cases_protocol_record_type(p, type) < 0) {
		fail(e, CASES_EINVALID, "protocol %s has no record type %s", row.protocol, type);
		goto out;
	}
	if (cases_record_insert(db, k, actor_id, type, summary, len ? text : "", len, &id, e) != 0 ||
	    store_files(db, k, actor_id, id, 0, summary, files, nfiles, ids, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "record %" PRId64 " type %s", id, type);
	if (cases_audit(db, signer, actor_id, "case.record", k->case_id, detail) != 0 ||
	    audit_files(db, signer, actor_id, k->case_id, id, 0, ids, nfiles) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	if (id_out)
		*id_out = id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	return rc;
}

int cases_note_add_files(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			 int64_t actor_id, const char *text, size_t len,
			 const struct intake_file *files, size_t nfiles, int64_t *id_out,
			 struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	int64_t ids[CASES_FILES_MAX];
	char at[TIMESTAMP_LEN + 1], purpose[CASES_PURPOSE_LEN], detail[48];
	int in_tx = 0, rc = -1, as;

	if (id_out)
		*id_out = 0;
	cases_error_clear(e);
	if (nfiles == 0)
		return cases_note_add(db, signer, k, actor_id, text, len, id_out, e);
	if (check_text(text, len, CASES_NOTE_MAX, nfiles, "the note", e) != 0 ||
	    check_files(files, nfiles, e) != 0)
		return -1;
	timestamp_now(at);
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_MEMBER, 1, &row, &as, e) != 0)
		goto out;
	if (db_prepare(db, "INSERT INTO case_note (case_id, account_id, created_at, body) "
			   "VALUES (?, ?, ?, X'') RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0 || db_bind_i64(st, 2, actor_id) != 0 ||
	    db_bind_text(st, 3, at, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	int64_t id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	/* the same purpose as cases_note_add's, so cases_notes reads it */
	snprintf(purpose, sizeof purpose, "case-note:%" PRId64, id);
	if (cases_write_blob(db, "UPDATE case_note SET body = ? WHERE id = ?", k->key, k->case_id,
			     purpose, id, len ? text : "", len, e) != 0 ||
	    store_files(db, k, actor_id, 0, id, 0, files, nfiles, ids, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "note %" PRId64, id);
	if (cases_audit(db, signer, actor_id, "case.note", k->case_id, detail) != 0 ||
	    audit_files(db, signer, actor_id, k->case_id, 0, id, ids, nfiles) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	if (id_out)
		*id_out = id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	return rc;
}

/* ---- reading ---- */

#define FILE_COLUMNS                                                                       \
	"f.id, coalesce(f.record_id, 0), coalesce(f.note_id, 0), f.under = 'summary', "   \
	"f.account_id, coalesce(a.display_name, ''), f.created_at, f.meta"
#define FILE_FROM " FROM case_attachment f LEFT JOIN account a ON a.id = f.account_id "

/* Fills info from a row of FILE_COLUMNS, decrypting the meta blob. */
static int read_info(db_stmt_t *st, const struct cases_key *k, struct cases_file *info,
		     struct cases_error *e)
{
	char purpose[CASES_PURPOSE_LEN];
	memset(info, 0, sizeof *info);
	info->id = db_col_i64(st, 0);
	info->record_id = db_col_i64(st, 1);
	info->note_id = db_col_i64(st, 2);
	info->summary = db_col_i64(st, 3) != 0;
	info->account_id = db_col_i64(st, 4);
	cases_copy(info->author_name, sizeof info->author_name, db_col_text(st, 5));
	timestamp_local(db_col_text(st, 6), info->created_at);
	snprintf(purpose, sizeof purpose, "case-attachment-meta:%" PRId64, info->id);
	if (attach_meta_open(info->summary ? k->summary : k->key, k->case_id, purpose,
			     db_col_blob(st, 7), db_col_bytes(st, 7), info->name, info->mime,
			     &info->size) != 0) {
		int64_t id = info->id;
		sodium_memzero(info, sizeof *info);
		return fail(e, CASES_EDAMAGED, "file %" PRId64 " of case %" PRId64 " does not open",
			    id, k->case_id);
	}
	return 0;
}

int cases_files(db_t *db, const struct cases_key *k, struct cases_file *out, size_t cap,
		size_t *n, size_t *total, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	size_t cnt = 0, all = 0;
	int in_tx = 0, rc = -1;
	*n = 0;
	if (total)
		*total = 0;
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	/* an authority's key reads only what is under the summary key */
	if (db_prepare(db, "SELECT " FILE_COLUMNS FILE_FROM "WHERE f.case_id = ?1 "
			   "AND (?2 = 0 OR f.under = 'summary') ORDER BY f.id", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0 || db_bind_i64(st, 2, !k->full) != 0)
		goto dbfail;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		all++;
		if (cnt == cap)
			continue;
		if (read_info(st, k, &out[cnt], e) != 0)
			goto out;
		cnt++;
	}
	if (step != DB_DONE)
		goto dbfail;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	if (rc != 0) {
		sodium_memzero(out, cnt * sizeof *out);
		return -1;
	}
	*n = cnt;
	if (total)
		*total = all;
	return 0;
}

int cases_file_get(db_t *db, const struct cases_key *k, int64_t file_id,
		   struct cases_file *info, unsigned char **data, size_t *len,
		   struct cases_error *e)
{
	db_stmt_t *st = NULL;
	char purpose[CASES_PURPOSE_LEN];
	int in_tx = 0, rc = -1;
	*data = NULL;
	*len = 0;
	memset(info, 0, sizeof *info);
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT " FILE_COLUMNS ", f.body" FILE_FROM "WHERE f.id = ?1 "
			   "AND f.case_id = ?2 AND (?3 = 0 OR f.under = 'summary')", &st) != 0 ||
	    db_bind_i64(st, 1, file_id) != 0 || db_bind_i64(st, 2, k->case_id) != 0 ||
	    db_bind_i64(st, 3, !k->full) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, CASES_ENOTFOUND, "no file %" PRId64 " in case %" PRId64, file_id, k->case_id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	if (read_info(st, k, info, e) != 0)
		goto out;
	snprintf(purpose, sizeof purpose, "case-attachment:%" PRId64, file_id);
	*data = blob_open(info->summary ? k->summary : k->key, k->case_id, purpose,
			  db_col_blob(st, 8), db_col_bytes(st, 8), len);
	if (!*data || *len != info->size) {
		fail(e, CASES_EDAMAGED, "file %" PRId64 " of case %" PRId64 " does not open",
		     file_id, k->case_id);
		goto out;
	}
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	if (rc != 0) {
		if (*data)
			vault_secure_free(*data);
		*data = NULL;
		*len = 0;
		sodium_memzero(info, sizeof *info);
	}
	return rc;
}
