/* follow.c: what follows a submitted report (migration 0007, intake.h): the
 * conversation between reporter and handlers, the handlers' internal notes,
 * attachments, and the steps of the legal clocks.
 *
 * Every text and file is a content blob under the report's key whose purpose
 * names its row ("message:17", "note:4", "attachment:3", "attachment-meta:3"),
 * so a blob copied to another row or report does not open. The row goes in
 * with an empty blob, because the purpose needs the id the insert gives, and
 * is filled in the same transaction; a failure rolls all of it back. The
 * attachment's name, type and size are kept apart from its bytes in a small
 * meta blob, JSON {"name":<string>,"type":<string>,"size":<integer>}, so a
 * list of attachments never decrypts the files.
 *
 * Plaintext handed out (texts, attachment bytes) is in vault_secure_alloc'd
 * memory; the ciphertext buffers are wiped before they are freed, because
 * envelope_encrypt pads the plaintext in place in them. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/utf8.h"
#include "crypto/blob.h"
#include "crypto/envelope.h"
#include "crypto/vault.h"
#include "intake/attach.h"
#include "intake/intake.h"
#include "intake/internal.h"

#define fail intake_fail
#define fail_db intake_fail_db

/* room for "attachment-meta:" and an int64 */
#define PURPOSE_LEN 48

/* ---- checks ---- */

static int check_text(const char *text, size_t len, int may_be_empty, struct intake_error *e)
{
	if (len == 0) {
		if (!may_be_empty)
			return fail(e, INTAKE_EINVALID, "the message is empty");
		return 0;
	}
	if (!text)
		return fail(e, INTAKE_EINVALID, "no message given");
	if (len > INTAKE_MESSAGE_MAX)
		return fail(e, INTAKE_EINVALID, "the message is longer than %d bytes",
			    INTAKE_MESSAGE_MAX);
	if (!utf8_text_clean(text, len, 1))
		return fail(e, INTAKE_EINVALID,
			    "the message is not valid UTF-8 or holds control characters");
	return 0;
}

int intake_files_check(const struct intake_file *files, size_t n, struct intake_error *e)
{
	size_t total = 0;
	if (n == 0)
		return 0;
	if (!files)
		return fail(e, INTAKE_EINVALID, "no files given");
	if (n > INTAKE_FILES_MAX)
		return fail(e, INTAKE_EINVALID, "at most %d files can be added at once",
			    INTAKE_FILES_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct intake_file *f = &files[i];
		if (!f->data || f->len == 0)
			return fail(e, INTAKE_EINVALID, "file %zu is empty", i + 1);
		if (f->len > INTAKE_FILE_MAX)
			return fail(e, INTAKE_EINVALID, "file %zu is larger than %u MB", i + 1,
				    INTAKE_FILE_MAX >> 20);
		total += f->len;
		if (total > INTAKE_FILES_TOTAL)
			return fail(e, INTAKE_EINVALID, "the files together are larger than %u MB",
				    INTAKE_FILES_TOTAL >> 20);
		size_t mn = f->mime ? strlen(f->mime) : 0;
		if (mn == 0 || mn > INTAKE_MIME_MAX || !strchr(f->mime, '/'))
			return fail(e, INTAKE_EINVALID, "file %zu has no usable type", i + 1);
		for (size_t j = 0; j < mn; j++)
			if (f->mime[j] <= 0x20 || f->mime[j] >= 0x7f || f->mime[j] == '"' ||
			    f->mime[j] == '\\')
				return fail(e, INTAKE_EINVALID, "file %zu has no usable type", i + 1);
		size_t nn = f->name ? strlen(f->name) : 0;
		if (nn == 0 || nn > INTAKE_FILENAME_MAX)
			return fail(e, INTAKE_EINVALID,
				    "file %zu needs a name of at most %d bytes", i + 1,
				    INTAKE_FILENAME_MAX);
		if (!utf8_text_clean(f->name, nn, 0) || strpbrk(f->name, "/\\"))
			return fail(e, INTAKE_EINVALID,
				    "the name of file %zu is not valid UTF-8 or holds a slash or "
				    "control characters", i + 1);
	}
	return 0;
}

/* ---- blobs ---- */

/* Seals plain and writes it with sql ("UPDATE t SET col = ? WHERE id = ?"). */
static int write_blob(db_t *db, const char *sql, const unsigned char key[ENVELOPE_KEY_BYTES],
		      int64_t report_id, const char *purpose, int64_t row, const void *plain,
		      size_t n, struct intake_error *e)
{
	int rc = blob_update(db, sql, key, report_id, purpose, row, plain, n);
	if (rc > 0)
		return fail(e, INTAKE_EINVALID, "too large to store");
	if (rc < 0)
		return fail_db(db, e);
	return 0;
}

int intake_files_store(db_t *db, const unsigned char key[ENVELOPE_KEY_BYTES], int64_t report_id,
		       int64_t message_id, int from_reporter, const char *at,
		       const struct intake_file *files, size_t n, struct intake_error *e)
{
	for (size_t i = 0; i < n; i++) {
		db_stmt_t *st = NULL;
		char purpose[PURPOSE_LEN];
		int64_t id;
		if (db_prepare(db, "INSERT INTO report_attachment (report_id, message_id, added_by, "
				   "created_at, meta, body) VALUES (?, ?, ?, ?, X'', X'') "
				   "RETURNING id", &st) != 0 ||
		    db_bind_i64(st, 1, report_id) != 0 ||
		    (message_id ? db_bind_i64(st, 2, message_id) : db_bind_null(st, 2)) != 0 ||
		    db_bind_text(st, 3, from_reporter ? "reporter" : "handler", (size_t)-1) != 0 ||
		    db_bind_text(st, 4, at, (size_t)-1) != 0 || db_step(st) != DB_ROW) {
			db_finalize(st);
			return fail_db(db, e);
		}
		id = db_col_i64(st, 0);
		db_finalize(st);

		size_t mlen;
		char *meta = attach_meta_build(&files[i], &mlen);
		snprintf(purpose, sizeof purpose, "attachment-meta:%" PRId64, id);
		int rc = write_blob(db, "UPDATE report_attachment SET meta = ? WHERE id = ?", key,
				    report_id, purpose, id, meta, mlen, e);
		vault_secure_free(meta);
		if (rc != 0)
			return -1;
		snprintf(purpose, sizeof purpose, "attachment:%" PRId64, id);
		if (write_blob(db, "UPDATE report_attachment SET body = ? WHERE id = ?", key,
			       report_id, purpose, id, files[i].data, files[i].len, e) != 0)
			return -1;
	}
	return 0;
}

/* ---- messages and notes ---- */

static int audit_act(db_t *db, const struct audit_signer *signer, int64_t account_id,
		     const char *action, int64_t report_id, const char *detail)
{
	char actor[32], oid[24];
	if (account_id)
		snprintf(actor, sizeof actor, "user:%" PRId64, account_id);
	else
		snprintf(actor, sizeof actor, "reporter");
	snprintf(oid, sizeof oid, "%" PRId64, report_id);
	struct audit_entry ae = {.actor = actor, .action = action, .object_type = "report",
				 .object_id = oid, .detail = detail};
	return audit_append(db, signer, &ae);
}

/* ENOTFOUND unless the report exists (account_id 0) or account_id holds a key
 * row for it. 0, or -1 with e. */
static int check_writer(db_t *db, int64_t report_id, int64_t account_id, struct intake_error *e)
{
	if (account_id) {
		int h = intake_holds_key(db, report_id, account_id);
		if (h < 0)
			return fail_db(db, e);
		if (h > 0)
			return fail(e, INTAKE_ENOTFOUND, "no report %" PRId64 " for this account",
				    report_id);
		return 0;
	}
	db_stmt_t *st = NULL;
	int step = -1;
	if (db_prepare(db, "SELECT 1 FROM report WHERE id = ?", &st) == 0 &&
	    db_bind_i64(st, 1, report_id) == 0)
		step = db_step(st);
	db_finalize(st);
	if (step == DB_DONE)
		return fail(e, INTAKE_ENOTFOUND, "no report %" PRId64, report_id);
	if (step != DB_ROW)
		return fail_db(db, e);
	return 0;
}

/* What differs between messages and notes. */
struct thread {
	const char *insert;  /* (report_id, account_id or NULL, created_at) RETURNING id */
	const char *update;  /* body = ? WHERE id = ? */
	const char *list;    /* id, from_reporter, account_id, author, created_at, body */
	const char *purpose; /* "message" or "note" */
	const char *action;  /* audit */
};

static const struct thread messages = {
	"INSERT INTO report_message (report_id, author, account_id, created_at, body) "
	"VALUES (?1, CASE WHEN ?2 IS NULL THEN 'reporter' ELSE 'handler' END, ?2, ?3, X'') "
	"RETURNING id",
	"UPDATE report_message SET body = ? WHERE id = ?",
	"SELECT m.id, m.author = 'reporter', coalesce(m.account_id, 0), "
	"coalesce(a.display_name, ''), m.created_at, m.body FROM report_message m "
	"LEFT JOIN account a ON a.id = m.account_id WHERE m.report_id = ? ORDER BY m.id",
	"message",
	"report.message",
};

static const struct thread notes = {
	"INSERT INTO report_note (report_id, account_id, created_at, body) "
	"VALUES (?1, ?2, ?3, X'') RETURNING id",
	"UPDATE report_note SET body = ? WHERE id = ?",
	"SELECT n.id, 0, n.account_id, coalesce(a.display_name, ''), n.created_at, n.body "
	"FROM report_note n LEFT JOIN account a ON a.id = n.account_id "
	"WHERE n.report_id = ? ORDER BY n.id",
	"note",
	"report.note",
};

void intake_messages_free(struct intake_message *m, size_t n)
{
	if (!m)
		return;
	for (size_t i = 0; i < n; i++)
		if (m[i].text)
			vault_secure_free(m[i].text);
	free(m);
}

static int thread_list(db_t *db, const struct thread *t, const struct intake_key *k,
		       struct intake_message **out, size_t *n, struct intake_error *e)
{
	db_stmt_t *st = NULL;
	struct intake_message *m = NULL;
	size_t cnt = 0, room = 0;
	int in_tx = 0, rc = -1;
	*out = NULL;
	*n = 0;
	intake_error_clear(e);
	if (intake_select_report(db, t->list, k->report_id, &st, &in_tx) != 0)
		goto dbfail;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (cnt == room) {
			room = room ? room * 2 : 8;
			m = xrealloc(m, room * sizeof *m);
		}
		struct intake_message *x = &m[cnt];
		char purpose[PURPOSE_LEN];
		memset(x, 0, sizeof *x);
		x->id = db_col_i64(st, 0);
		x->from_reporter = db_col_i64(st, 1) != 0;
		x->account_id = db_col_i64(st, 2);
		snprintf(x->author_name, sizeof x->author_name, "%s", db_col_text(st, 3));
		timestamp_local(db_col_text(st, 4), x->created_at);
		snprintf(purpose, sizeof purpose, "%s:%" PRId64, t->purpose, x->id);
		x->text = (char *)blob_open(k->key, k->report_id, purpose, db_col_blob(st, 5),
					    db_col_bytes(st, 5), &x->text_len);
		if (!x->text) {
			fail(e, INTAKE_EDAMAGED, "%s %" PRId64 " of report %" PRId64
			     " does not open", t->purpose, x->id, k->report_id);
			goto out;
		}
		cnt++;
	}
	if (step != DB_DONE)
		goto dbfail;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	if (rc != 0) {
		intake_messages_free(m, cnt);
		return -1;
	}
	if (cnt == 0) {
		free(m);
		m = NULL;
	}
	*out = m;
	*n = cnt;
	return 0;
}

static int thread_add(db_t *db, const struct audit_signer *signer, const struct thread *t,
		      const struct intake_key *k, int64_t account_id, const char *text, size_t len,
		      const struct intake_file *files, size_t nfiles, int64_t *id_out,
		      struct intake_error *e)
{
	db_stmt_t *st = NULL;
	char at[TIMESTAMP_LEN + 1], purpose[PURPOSE_LEN], detail[80];
	int in_tx = 0, rc = -1;
	if (id_out)
		*id_out = 0;
	intake_error_clear(e);
	if (account_id < 0)
		return fail(e, INTAKE_ENOTFOUND, "no such account");
	if (check_text(text, len, nfiles > 0, e) != 0 || intake_files_check(files, nfiles, e) != 0)
		return -1;
	timestamp_now(at);
	if (intake_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (check_writer(db, k->report_id, account_id, e) != 0)
		goto out;
	if (db_prepare(db, t->insert, &st) != 0 || db_bind_i64(st, 1, k->report_id) != 0 ||
	    (account_id ? db_bind_i64(st, 2, account_id) : db_bind_null(st, 2)) != 0 ||
	    db_bind_text(st, 3, at, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	int64_t id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	snprintf(purpose, sizeof purpose, "%s:%" PRId64, t->purpose, id);
	if (write_blob(db, t->update, k->key, k->report_id, purpose, id, text, len, e) != 0)
		goto out;
	if (intake_files_store(db, k->key, k->report_id, id, account_id == 0, at, files, nfiles,
			       e) != 0)
		goto out;
	if (account_id)
		snprintf(detail, sizeof detail, "report %" PRId64 " from account %" PRId64,
			 k->report_id, account_id);
	else
		snprintf(detail, sizeof detail, "report %" PRId64 " from reporter", k->report_id);
	if (audit_act(db, signer, account_id, t->action, k->report_id, detail) != 0 ||
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
	intake_tx_end(db, st, in_tx);
	return rc;
}

int intake_messages(db_t *db, const struct intake_key *k, struct intake_message **out,
		    size_t *n, struct intake_error *e)
{
	return thread_list(db, &messages, k, out, n, e);
}

int intake_message_add(db_t *db, const struct audit_signer *signer, const struct intake_key *k,
		       int64_t account_id, const char *text, size_t len,
		       const struct intake_file *files, size_t nfiles, int64_t *id_out,
		       struct intake_error *e)
{
	return thread_add(db, signer, &messages, k, account_id, text, len, files, nfiles, id_out,
			  e);
}

int intake_notes(db_t *db, const struct intake_key *k, struct intake_message **out, size_t *n,
		 struct intake_error *e)
{
	return thread_list(db, &notes, k, out, n, e);
}

int intake_note_add(db_t *db, const struct audit_signer *signer, const struct intake_key *k,
		    int64_t account_id, const char *text, size_t len, int64_t *id_out,
		    struct intake_error *e)
{
	if (account_id <= 0) {
		if (id_out)
			*id_out = 0;
		return fail(e, INTAKE_ENOTFOUND, "notes are written by handlers only");
	}
	return thread_add(db, signer, &notes, k, account_id, text, len, NULL, 0, id_out, e);
}

/* ---- attachments ---- */

#define ATTACHMENT_COLUMNS \
	"id, coalesce(message_id, 0), added_by = 'reporter', created_at, meta"

/* Fills info from a row of ATTACHMENT_COLUMNS, decrypting the meta blob. */
static int read_info(db_stmt_t *st, const struct intake_key *k, struct intake_attachment *info,
		     struct intake_error *e)
{
	char purpose[PURPOSE_LEN];
	memset(info, 0, sizeof *info);
	info->id = db_col_i64(st, 0);
	info->message_id = db_col_i64(st, 1);
	info->from_reporter = db_col_i64(st, 2) != 0;
	timestamp_local(db_col_text(st, 3), info->created_at);
	snprintf(purpose, sizeof purpose, "attachment-meta:%" PRId64, info->id);
	if (attach_meta_open(k->key, k->report_id, purpose, db_col_blob(st, 4), db_col_bytes(st, 4),
			     info->name, info->mime, &info->size) != 0) {
		int64_t id = info->id;
		sodium_memzero(info, sizeof *info);
		return fail(e, INTAKE_EDAMAGED, "attachment %" PRId64 " of report %" PRId64
			    " does not open", id, k->report_id);
	}
	return 0;
}

int intake_attachments(db_t *db, const struct intake_key *k, struct intake_attachment *out,
		       size_t cap, size_t *n, struct intake_error *e)
{
	db_stmt_t *st = NULL;
	size_t cnt = 0;
	int in_tx = 0, rc = -1;
	*n = 0;
	intake_error_clear(e);
	if (intake_select_report(db, "SELECT " ATTACHMENT_COLUMNS " FROM report_attachment "
				 "WHERE report_id = ? ORDER BY id", k->report_id, &st, &in_tx) != 0)
		goto dbfail;
	int step = DB_DONE;
	while (cnt < cap && (step = db_step(st)) == DB_ROW) {
		if (read_info(st, k, &out[cnt], e) != 0)
			goto out;
		cnt++;
	}
	if (step != DB_DONE && step != DB_ROW)
		goto dbfail;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	if (rc != 0) {
		sodium_memzero(out, cnt * sizeof *out);
		return -1;
	}
	*n = cnt;
	return 0;
}

int intake_attachment_get(db_t *db, const struct intake_key *k, int64_t attachment_id,
			  struct intake_attachment *info, unsigned char **data, size_t *len,
			  struct intake_error *e)
{
	db_stmt_t *st = NULL;
	char purpose[PURPOSE_LEN];
	int in_tx = 0, rc = -1;
	*data = NULL;
	*len = 0;
	memset(info, 0, sizeof *info);
	intake_error_clear(e);
	if (intake_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT " ATTACHMENT_COLUMNS ", body FROM report_attachment "
			   "WHERE id = ? AND report_id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, attachment_id) != 0 || db_bind_i64(st, 2, k->report_id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, INTAKE_ENOTFOUND, "no attachment %" PRId64 " with this report",
		     attachment_id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	if (read_info(st, k, info, e) != 0)
		goto out;
	snprintf(purpose, sizeof purpose, "attachment:%" PRId64, attachment_id);
	*data = blob_open(k->key, k->report_id, purpose, db_col_blob(st, 5), db_col_bytes(st, 5),
			  len);
	if (!*data || *len != info->size) {
		fail(e, INTAKE_EDAMAGED, "attachment %" PRId64 " of report %" PRId64
		     " does not open", attachment_id, k->report_id);
		goto out;
	}
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	if (rc != 0) {
		if (*data)
			vault_secure_free(*data);
		*data = NULL;
		*len = 0;
		sodium_memzero(info, sizeof *info);
	}
	return rc;
}

/* ---- steps of the legal clocks ---- */

/* One step: which column it sets and how it is audited. */
struct step {
	const char *select; /* received_on, acknowledged_on, the column, registered_by */
	const char *update; /* col = ?1 WHERE id = ?2 AND col IS NULL */
	const char *action;
	const char *what;   /* for messages */
};

#define STEP_SELECT(col)                                                                 \
	"SELECT received_on, coalesce(acknowledged_on, ''), " col " IS NOT NULL, "        \
	"registered_by IS NOT NULL FROM report WHERE id = ?"
#define STEP_UPDATE(col) "UPDATE report SET " col " = ?1 WHERE id = ?2 AND " col " IS NULL"

static const struct step ack_step = {STEP_SELECT("acknowledged_on"),
				     STEP_UPDATE("acknowledged_on"), "report.acknowledge",
				     "the acknowledgement"};
static const struct step feedback_step = {STEP_SELECT("feedback_on"), STEP_UPDATE("feedback_on"),
					  "report.feedback", "the feedback"};
static const struct step handover_step = {STEP_SELECT("handed_over_on"),
					  STEP_UPDATE("handed_over_on"), "report.handover",
					  "the hand-over"};
static const struct step agree_step = {STEP_SELECT("record_agreed_on"),
				       STEP_UPDATE("record_agreed_on"), "report.record-agreed",
				       "the agreement to the record"};

/* Takes step s for report_id on today: by account_id (a handler holding a
 * key row), or by the reporter (account_id 0). */
static int take_step(db_t *db, const struct audit_signer *signer, const struct step *s,
		     int64_t report_id, int64_t account_id, const char *today,
		     struct intake_error *e)
{
	db_stmt_t *st = NULL;
	char received[DATE_LEN + 1], acked[DATE_LEN + 1], detail[64];
	int in_tx = 0, rc = -1, cmp;
	intake_error_clear(e);
	if (!today || date_valid(today, strlen(today)) != 0)
		return fail(e, INTAKE_EINVALID, "not a date: YYYY-MM-DD");
	if (intake_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (check_writer(db, report_id, account_id, e) != 0)
		goto out;
	if (db_prepare(db, s->select, &st) != 0 || db_bind_i64(st, 1, report_id) != 0 ||
	    db_step(st) != DB_ROW)
		goto dbfail;
	snprintf(received, sizeof received, "%s", db_col_text(st, 0));
	snprintf(acked, sizeof acked, "%s", db_col_text(st, 1));
	int done = db_col_i64(st, 2) != 0, registered = db_col_i64(st, 3) != 0;
	db_finalize(st);
	st = NULL;
	if (s == &agree_step && !registered) {
		fail(e, INTAKE_ECONFLICT, "report %" PRId64 " was not written down by someone else",
		     report_id);
		goto out;
	}
	if (done) {
		fail(e, INTAKE_ECONFLICT, "%s of report %" PRId64 " was already recorded", s->what,
		     report_id);
		goto out;
	}
	if (date_cmp(today, received, &cmp) != 0 || cmp < 0 ||
	    (s == &feedback_step && acked[0] && (date_cmp(today, acked, &cmp) != 0 || cmp < 0))) {
		fail(e, INTAKE_EINVALID, "%s cannot be dated before the report was received "
		     "or acknowledged", s->what);
		goto out;
	}
	if (db_prepare(db, s->update, &st) != 0 || db_bind_text(st, 1, today, (size_t)-1) != 0 ||
	    db_bind_i64(st, 2, report_id) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	snprintf(detail, sizeof detail, "report %" PRId64 " on %s", report_id, today);
	if (audit_act(db, signer, account_id, s->action, report_id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	return rc;
}

/* The clock steps are a handler's: account 0 (the reporter) is refused. */
static int handler_step(db_t *db, const struct audit_signer *signer, const struct step *s,
			int64_t report_id, int64_t account_id, const char *today,
			struct intake_error *e)
{
	if (account_id <= 0)
		return fail(e, INTAKE_ENOTFOUND, "no report %" PRId64 " for this account",
			    report_id);
	return take_step(db, signer, s, report_id, account_id, today, e);
}

int intake_acknowledge(db_t *db, const struct audit_signer *signer, int64_t report_id,
		       int64_t account_id, const char *today, struct intake_error *e)
{
	return handler_step(db, signer, &ack_step, report_id, account_id, today, e);
}

int intake_feedback_given(db_t *db, const struct audit_signer *signer, int64_t report_id,
			  int64_t account_id, const char *today, struct intake_error *e)
{
	return handler_step(db, signer, &feedback_step, report_id, account_id, today, e);
}

int intake_hand_over(db_t *db, const struct audit_signer *signer, int64_t report_id,
		     int64_t account_id, const char *today, struct intake_error *e)
{
	return handler_step(db, signer, &handover_step, report_id, account_id, today, e);
}

int intake_record_agree(db_t *db, const struct audit_signer *signer, const struct intake_key *k,
			const char *today, struct intake_error *e)
{
	return take_step(db, signer, &agree_step, k->report_id, 0, today, e);
}
