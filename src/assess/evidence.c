/* evidence.c: evidence of a requirement (assess.h): a link, kept in the
 * clear, or a file, kept as two content blobs under the assessment key, as
 * a case's attachments are (src/cases/files.c): "assess-evidence-meta:<id>"
 * holds {"name":..,"type":..,"size":..} so that a list never decrypts the
 * files, "assess-evidence:<id>" the bytes, with the assessment id as the
 * envelope's id. The row goes in with empty blobs first because the
 * purposes name the id the insert gives, and is filled in the same
 * transaction.
 *
 * A link must be https:// with a host and printable ASCII only: it is shown
 * as a link on the pages, so nothing else may pass (javascript:, data:,
 * spaces, quotes that a careless consumer of the export could trip on). */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/internal.h"
#include "base/utf8.h"
#include "crypto/blob.h"
#include "crypto/vault.h"
#include "intake/attach.h"

int assess_url_ok(const char *url)
{
	size_t n = url ? strlen(url) : 0;
	if (n < 9 || n > ASSESS_URL_MAX || strncmp(url, "https://", 8) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
		    c == '`')
			return -1;
	}
	/* a host: at least one character before the path, no userinfo */
	const char *host = url + 8;
	size_t hn = strcspn(host, "/?#");
	if (hn == 0 || memchr(host, '@', hn) || host[0] == ':' || host[0] == '.')
		return -1;
	return 0;
}

static int file_ok(const struct intake_file *f, struct assess_error *e)
{
	if (!f->data || f->len == 0)
		return assess_fail(e, ASSESS_EINVALID, "an evidence file is empty");
	if (f->len > ASSESS_FILE_MAX)
		return assess_fail(e, ASSESS_EINVALID, "an evidence file is larger than %u MB",
				   ASSESS_FILE_MAX >> 20);
	size_t mn = f->mime ? strlen(f->mime) : 0;
	if (mn == 0 || mn > INTAKE_MIME_MAX || !strchr(f->mime, '/'))
		return assess_fail(e, ASSESS_EINVALID, "an evidence file has no usable type");
	for (size_t j = 0; j < mn; j++)
		if (f->mime[j] <= 0x20 || f->mime[j] >= 0x7f || f->mime[j] == '"' ||
		    f->mime[j] == '\\')
			return assess_fail(e, ASSESS_EINVALID, "an evidence file has no usable type");
	size_t nn = f->name ? strlen(f->name) : 0;
	if (nn == 0 || nn > INTAKE_FILENAME_MAX || !utf8_text_clean(f->name, nn, 0) ||
	    strpbrk(f->name, "/\\"))
		return assess_fail(e, ASSESS_EINVALID, "an evidence file has no usable name");
	return 0;
}

static int write_blob(db_t *db, const char *sql, const unsigned char *key, int64_t id,
		      const char *purpose, int64_t row, const void *plain, size_t n,
		      struct assess_error *e)
{
	int rc = blob_update(db, sql, key, id, purpose, row, plain, n);
	if (rc > 0)
		return assess_fail(e, ASSESS_EINVALID, "an evidence file is too large to store");
	if (rc < 0)
		return assess_fail_db(db, e);
	return 0;
}

int assess_evidence_insert(db_t *db, int64_t id, int64_t actor_id, const unsigned char *key,
			   const struct assess_evidence_in *in, int64_t *evid,
			   struct assess_error *e)
{
	db_stmt_t *st = NULL;
	char at[TIMESTAMP_LEN + 1], purpose[ASSESS_PURPOSE_LEN];
	int is_file = in->file.data != NULL;
	if (is_file && !key)
		return assess_fail(e, ASSESS_ENOKEY, "files need the assessment key");
	if (is_file ? file_ok(&in->file, e) != 0 : assess_url_ok(in->url) != 0)
		return is_file ? -1
			       : assess_fail(e, ASSESS_EINVALID,
					     "a link must start with https:// and name a host");
	timestamp_now(at);
	if (db_prepare(db, "INSERT INTO assessment_evidence (assessment_id, req_code, kind, url, "
			   "meta, body, account_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
			   "RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0 || db_bind_text(st, 2, in->req, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, is_file ? "file" : "link", (size_t)-1) != 0 ||
	    (is_file ? db_bind_null(st, 4) : db_bind_text(st, 4, in->url, (size_t)-1)) != 0 ||
	    (is_file ? db_bind_blob(st, 5, "", 0) : db_bind_null(st, 5)) != 0 ||
	    (is_file ? db_bind_blob(st, 6, "", 0) : db_bind_null(st, 6)) != 0 ||
	    db_bind_i64(st, 7, actor_id) != 0 || db_bind_text(st, 8, at, (size_t)-1) != 0 ||
	    db_step(st) != DB_ROW) {
		db_finalize(st);
		return assess_fail_db(db, e);
	}
	*evid = db_col_i64(st, 0);
	db_finalize(st);
	if (!is_file)
		return 0;
	size_t mlen;
	char *meta = attach_meta_build(&in->file, &mlen);
	snprintf(purpose, sizeof purpose, "assess-evidence-meta:%" PRId64, *evid);
	int rc = write_blob(db, "UPDATE assessment_evidence SET meta = ? WHERE id = ?", key, id,
			    purpose, *evid, meta, mlen, e);
	vault_secure_free(meta);
	if (rc != 0)
		return -1;
	snprintf(purpose, sizeof purpose, "assess-evidence:%" PRId64, *evid);
	return write_blob(db, "UPDATE assessment_evidence SET body = ? WHERE id = ?", key, id,
			  purpose, *evid, in->file.data, in->file.len, e);
}

/* Opens evidence evid's meta blob (n bytes) into info. */
static int open_meta(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id, int64_t evid,
		     const void *blob, size_t n, struct assess_evidence *info)
{
	char purpose[ASSESS_PURPOSE_LEN];
	snprintf(purpose, sizeof purpose, "assess-evidence-meta:%" PRId64, evid);
	return attach_meta_open(key, id, purpose, blob, n, info->name, info->mime, &info->size);
}

int assess_evidence_names(db_t *db, const unsigned char key[ENVELOPE_KEY_BYTES],
			  struct assess_full *a, struct assess_error *e)
{
	db_stmt_t *st = NULL;
	int in_tx = 0, rc = -1;
	assess_error_clear(e);
	if (assess_tx_begin(db, 1, &in_tx) != 0 ||
	    db_prepare(db, "SELECT meta FROM assessment_evidence WHERE id = ? AND "
			   "assessment_id = ? AND kind = 'file'", &st) != 0) {
		assess_fail_db(db, e);
		goto out;
	}
	for (size_t i = 0; i < a->nevidence; i++) {
		struct assess_evidence *ev = &a->evidence[i];
		if (!ev->is_file)
			continue;
		if (db_reset(st) != 0 || db_bind_i64(st, 1, ev->id) != 0 ||
		    db_bind_i64(st, 2, a->row.id) != 0 || db_step(st) != DB_ROW) {
			assess_fail_db(db, e);
			goto out;
		}
		if (open_meta(key, a->row.id, ev->id, db_col_blob(st, 0), db_col_bytes(st, 0), ev) !=
		    0) {
			assess_fail(e, ASSESS_EDAMAGED, "evidence %" PRId64 " does not open", ev->id);
			goto out;
		}
	}
	rc = 0;
out:
	assess_tx_end(db, st, in_tx);
	return rc;
}

int assess_evidence_get(db_t *db, const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id,
			int64_t evidence_id, struct assess_evidence *info, unsigned char **data,
			size_t *len, struct assess_error *e)
{
	db_stmt_t *st = NULL;
	char purpose[ASSESS_PURPOSE_LEN];
	int in_tx = 0, rc = -1;
	*data = NULL;
	*len = 0;
	memset(info, 0, sizeof *info);
	assess_error_clear(e);
	if (assess_tx_begin(db, 1, &in_tx) != 0 ||
	    db_prepare(db, "SELECT meta, body, created_at FROM assessment_evidence "
			   "WHERE id = ? AND assessment_id = ? AND kind = 'file'", &st) != 0 ||
	    db_bind_i64(st, 1, evidence_id) != 0 || db_bind_i64(st, 2, id) != 0) {
		assess_fail_db(db, e);
		goto out;
	}
	int step = db_step(st);
	if (step == DB_DONE) {
		assess_fail(e, ASSESS_ENOTFOUND, "no evidence file %" PRId64 " in assessment %"
			    PRId64, evidence_id, id);
		goto out;
	}
	if (step != DB_ROW) {
		assess_fail_db(db, e);
		goto out;
	}
	info->id = evidence_id;
	info->is_file = 1;
	snprintf(info->created_at, sizeof info->created_at, "%s", db_col_text(st, 2));
	if (open_meta(key, id, evidence_id, db_col_blob(st, 0), db_col_bytes(st, 0), info) != 0) {
		assess_fail(e, ASSESS_EDAMAGED, "evidence %" PRId64 " does not open", evidence_id);
		goto out;
	}
	snprintf(purpose, sizeof purpose, "assess-evidence:%" PRId64, evidence_id);
	*data = blob_open(key, id, purpose, db_col_blob(st, 1), db_col_bytes(st, 1), len);
	if (!*data) {
		assess_fail(e, ASSESS_EDAMAGED, "evidence %" PRId64 " does not open", evidence_id);
		goto out;
	}
	rc = 0;
out:
	assess_tx_end(db, st, in_tx);
	if (rc != 0)
		sodium_memzero(info, sizeof *info);
	return rc;
}
