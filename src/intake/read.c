/* read.c: opening reports (migrations 0005, 0007, intake.h): the report key
 * from a handler's secret key or from a receipt, the report itself with a
 * key, and a handler's inbox. Nothing here writes.
 *
 * The report key and the key derived from a receipt live in
 * vault_secure_alloc'd memory or in the caller's struct intake_key, and are
 * wiped on every path. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "crypto/envelope.h"
#include "crypto/receipt.h"
#include "crypto/vault.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "intake/internal.h"

#define PURPOSE_BODY "report-body"

#define fail intake_fail
#define fail_db intake_fail_db

/* ---- report keys ---- */

int intake_key_as_handler(db_t *db, int64_t report_id, int64_t account_id,
			  const unsigned char account_sk[32], struct intake_key *out,
			  struct intake_error *e)
{
	db_stmt_t *st = NULL;
	unsigned char pk[32];
	int in_tx = 0, rc = -1;

	sodium_memzero(out, sizeof *out);
	intake_error_clear(e);
	if (intake_select_report(db, "SELECT k.sealed, a.public_key FROM report_key k "
				 "JOIN account a ON a.id = k.account_id "
				 "WHERE k.report_id = ? AND k.account_id = ? AND k.holder = 'account' "
				 "AND a.disabled = 0", report_id, &st, &in_tx) != 0 ||
	    db_bind_i64(st, 2, account_id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, INTAKE_ENOTFOUND, "no report %" PRId64 " for this account", report_id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	if (db_col_bytes(st, 1) != sizeof pk) {
		fail(e, INTAKE_EDAMAGED, "account %" PRId64 " has a damaged public key", account_id);
		goto out;
	}
	memcpy(pk, db_col_blob(st, 1), sizeof pk);
	if (envelope_open_with_sk(ENVELOPE_HANDLER, pk, account_sk, report_id, db_col_blob(st, 0),
				  db_col_bytes(st, 0), out->key) != 0) {
		fail(e, INTAKE_EDAMAGED, "the key of report %" PRId64 " does not open", report_id);
		goto out;
	}
	out->report_id = report_id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	if (rc != 0)
		intake_key_wipe(out);
	return rc;
}

/* The secrets of opening by receipt, in one secure allocation. */
struct receipt_secrets {
	char norm[RECEIPT_NORM_SIZE];
	unsigned char rkey[RECEIPT_KEY_BYTES];
};

int intake_key_by_receipt(db_t *db, const char *receipt_typed, struct intake_key *out,
			  struct intake_error *e)
{
	db_stmt_t *st = NULL;
	struct receipt_secrets *sec = NULL;
	unsigned char lookup[RECEIPT_KEY_BYTES];
	int in_tx = 0, rc = -1;

	sodium_memzero(out, sizeof *out);
	intake_error_clear(e);
	if (!receipt_typed)
		return fail(e, INTAKE_EINVALID, "no receipt given");
	sec = vault_secure_alloc(sizeof *sec);
	size_t len = strnlen(receipt_typed, RECEIPT_INPUT_MAX + 1);
	enum receipt_status rs = receipt_normalise(receipt_typed, len, sec->norm);
	if (rs == RECEIPT_MISTYPED) {
		fail(e, INTAKE_EMISTYPED, "this receipt is mistyped: check what you typed");
		goto out;
	}
	if (rs != RECEIPT_OK || receipt_lookup_key(sec->norm, lookup) != 0) {
		fail(e, INTAKE_EINVALID, "this is not a receipt");
		goto out;
	}
	if (intake_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT r.id, r.receipt_salt, k.sealed FROM report r "
			   "JOIN report_key k ON k.report_id = r.id AND k.holder = 'receipt' "
			   "WHERE r.receipt_lookup = ?", &st) != 0 ||
	    db_bind_blob(st, 1, lookup, sizeof lookup) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, INTAKE_ENOTFOUND, "no report has this receipt");
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	int64_t id = db_col_i64(st, 0);
	if (db_col_bytes(st, 1) != RECEIPT_SALT_BYTES ||
	    receipt_derive_key(sec->norm, db_col_blob(st, 1), sec->rkey) != 0 ||
	    envelope_open_with_receipt(sec->rkey, id, db_col_blob(st, 2), db_col_bytes(st, 2),
				       out->key) != 0) {
		fail(e, INTAKE_EDAMAGED, "the key of report %" PRId64 " does not open", id);
		goto out;
	}
	out->report_id = id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	vault_secure_free(sec);
	sodium_memzero(lookup, sizeof lookup);
	if (rc != 0)
		intake_key_wipe(out);
	return rc;
}

/* ---- reading ---- */

#define REPORT_COLUMNS                                                                  \
	"r.id, o.code, r.kind, r.mode, r.questionnaire, r.questionnaire_revision, "      \
	"r.received_on, coalesce(r.acknowledged_on, ''), coalesce(r.feedback_on, ''), "  \
	"r.body, coalesce(r.handed_over_on, ''), coalesce(r.record_agreed_on, ''), "     \
	"coalesce(r.registered_by, 0), "                                                 \
	"(SELECT count(*) FROM report_attachment t WHERE t.report_id = r.id)"

/* snprintf(dst, cap, "%s", src) without the format engine: the inbox copies
 * eight columns of every report with it (docs/performance.md). */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Fills out's metadata from a row of REPORT_COLUMNS. */
static void read_meta(db_stmt_t *st, struct intake_report *out)
{
	out->id = db_col_i64(st, 0);
	copy_text(out->org_code, sizeof out->org_code, db_col_text(st, 1));
	copy_text(out->kind, sizeof out->kind, db_col_text(st, 2));
	copy_text(out->mode, sizeof out->mode, db_col_text(st, 3));
	copy_text(out->questionnaire, sizeof out->questionnaire, db_col_text(st, 4));
	out->questionnaire_revision = db_col_i64(st, 5);
	copy_text(out->received_on, sizeof out->received_on, db_col_text(st, 6));
	copy_text(out->acknowledged_on, sizeof out->acknowledged_on, db_col_text(st, 7));
	copy_text(out->feedback_on, sizeof out->feedback_on, db_col_text(st, 8));
	copy_text(out->handed_over_on, sizeof out->handed_over_on, db_col_text(st, 10));
	copy_text(out->record_agreed_on, sizeof out->record_agreed_on, db_col_text(st, 11));
	out->registered_by = db_col_i64(st, 12);
	out->nattachments = (size_t)db_col_i64(st, 13);
	if (intake_ack_due(out->received_on, out->ack_due) != 0)
		out->ack_due[0] = '\0';
	if (intake_feedback_due(out->received_on,
				out->acknowledged_on[0] ? out->acknowledged_on : NULL,
				out->feedback_due) != 0)
		out->feedback_due[0] = '\0';
}

/* Decrypts the body blob with key into out->body. Returns 0 or -1 with e. */
static int open_body(const unsigned char key[ENVELOPE_KEY_BYTES], const void *blob, size_t n,
		     struct intake_report *out, struct intake_error *e)
{
	if (n <= ENVELOPE_OVERHEAD)
		return fail(e, INTAKE_EDAMAGED, "report %" PRId64 " has no body", out->id);
	size_t cap = n - ENVELOPE_OVERHEAD, len = 0;
	char *plain = vault_secure_alloc(cap + 1);
	if (envelope_decrypt(key, out->id, PURPOSE_BODY, blob, n, (unsigned char *)plain, cap,
			     &len) != 0) {
		vault_secure_free(plain);
		return fail(e, INTAKE_EDAMAGED, "the body of report %" PRId64 " does not open",
			    out->id);
	}
	plain[len] = '\0';
	out->body = plain;
	out->body_len = len;
	return 0;
}

void intake_report_free(struct intake_report *out)
{
	if (out->body)
		vault_secure_free(out->body);
	sodium_memzero(out, sizeof *out);
}

int intake_read(db_t *db, const struct intake_key *k, struct intake_report *out,
		struct intake_error *e)
{
	db_stmt_t *st = NULL;
	int in_tx = 0, rc = -1;

	memset(out, 0, sizeof *out);
	intake_error_clear(e);
	if (intake_select_report(db, "SELECT " REPORT_COLUMNS " FROM report r "
				 "JOIN org o ON o.id = r.org_id WHERE r.id = ?", k->report_id, &st,
				 &in_tx) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, INTAKE_ENOTFOUND, "no report %" PRId64, k->report_id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	read_meta(st, out);
	if (open_body(k->key, db_col_blob(st, 9), db_col_bytes(st, 9), out, e) != 0)
		goto out;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	if (rc != 0)
		intake_report_free(out);
	return rc;
}

/* Reads the report of *k into out and wipes the key, whatever happens. */
static int read_and_wipe(db_t *db, struct intake_key *k, struct intake_report *out,
			 struct intake_error *e)
{
	int rc = intake_read(db, k, out, e);
	intake_key_wipe(k);
	vault_secure_free(k);
	return rc;
}

int intake_open_by_receipt(db_t *db, const char *receipt_typed, struct intake_report *out,
			   struct intake_error *e)
{
	struct intake_key *k = vault_secure_alloc(sizeof *k);
	memset(out, 0, sizeof *out);
	if (intake_key_by_receipt(db, receipt_typed, k, e) != 0) {
		vault_secure_free(k);
		return -1;
	}
	return read_and_wipe(db, k, out, e);
}

int intake_open_as_handler(db_t *db, int64_t report_id, int64_t account_id,
			   const unsigned char account_sk[32], struct intake_report *out,
			   struct intake_error *e)
{
	struct intake_key *k = vault_secure_alloc(sizeof *k);
	memset(out, 0, sizeof *out);
	if (intake_key_as_handler(db, report_id, account_id, account_sk, k, e) != 0) {
		vault_secure_free(k);
		return -1;
	}
	return read_and_wipe(db, k, out, e);
}

/* ---- the inbox ---- */

/* An inbox item with the date it is due by: the earlier due date of the
 * clocks still open, or "" when both are met (sorted last). */
struct inbox_row {
	struct intake_inbox_item it;
	char due[DATE_LEN + 1];
};

static int inbox_cmp(const void *a, const void *b)
{
	const struct inbox_row *x = a, *y = b;
	int c;
	if (!x->due[0] != !y->due[0])
		return x->due[0] ? -1 : 1;
	if ((c = strcmp(x->due, y->due)) != 0)
		return c;
	return (x->it.id > y->it.id) - (x->it.id < y->it.id);
}

static void inbox_due(struct inbox_row *r)
{
	const struct intake_inbox_item *it = &r->it;
	r->due[0] = '\0';
	if (!it->acknowledged_on[0] && it->ack_due[0])
		copy_text(r->due, sizeof r->due, it->ack_due);
	if (!it->feedback_on[0] && it->feedback_due[0] &&
	    (!r->due[0] || strcmp(it->feedback_due, r->due) < 0))
		copy_text(r->due, sizeof r->due, it->feedback_due);
}

int intake_inbox(db_t *db, int64_t account_id, struct intake_inbox_item *out, size_t cap,
		 size_t *n, size_t *total)
{
	db_stmt_t *st = NULL;
	struct inbox_row *rows = NULL;
	size_t all = 0, room = 0;
	*n = 0;
	if (total)
		*total = 0;
	/* The feedback date depends on the acknowledgement and months clamp to
	 * the month's end (clock.h), so the order is computed here, not in SQL. */
	if (db_prepare(db, "SELECT r.id, o.code, r.kind, r.mode, r.received_on, "
			   "coalesce(r.acknowledged_on, ''), coalesce(r.feedback_on, ''), "
			   "coalesce(r.handed_over_on, ''), r.registered_by IS NOT NULL "
			   "FROM report r JOIN org o ON o.id = r.org_id "
			   "JOIN report_key k ON k.report_id = r.id AND k.holder = 'account' "
			   "JOIN account a ON a.id = k.account_id "
			   "WHERE k.account_id = ? AND a.disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, account_id) != 0)
		goto fail;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (all == room) {
			room = room ? room * 2 : 16;
			rows = xrealloc(rows, room * sizeof *rows);
		}
		struct inbox_row *r = &rows[all++];
		struct intake_inbox_item *it = &r->it;
		memset(r, 0, sizeof *r);
		it->id = db_col_i64(st, 0);
		copy_text(it->org_code, sizeof it->org_code, db_col_text(st, 1));
		copy_text(it->kind, sizeof it->kind, db_col_text(st, 2));
		copy_text(it->mode, sizeof it->mode, db_col_text(st, 3));
		copy_text(it->received_on, sizeof it->received_on, db_col_text(st, 4));
		copy_text(it->acknowledged_on, sizeof it->acknowledged_on, db_col_text(st, 5));
		copy_text(it->feedback_on, sizeof it->feedback_on, db_col_text(st, 6));
		copy_text(it->handed_over_on, sizeof it->handed_over_on, db_col_text(st, 7));
		it->registered = db_col_i64(st, 8) != 0;
		if (intake_ack_due(it->received_on, it->ack_due) != 0)
			it->ack_due[0] = '\0';
		if (intake_feedback_due(it->received_on,
					it->acknowledged_on[0] ? it->acknowledged_on : NULL,
					it->feedback_due) != 0)
			it->feedback_due[0] = '\0';
		inbox_due(r);
	}
	if (rc != DB_DONE)
		goto fail;
	db_finalize(st);
	if (all)
		qsort(rows, all, sizeof *rows, inbox_cmp);
	size_t k = all < cap ? all : cap;
	for (size_t i = 0; i < k; i++)
		out[i] = rows[i].it;
	free(rows);
	*n = k;
	if (total)
		*total = all;
	return 0;
fail:
	db_finalize(st);
	free(rows);
	return -1;
}
