/* store.c: receiving a report (src/store/migrations/0005_reports.sql, 0006,
 * 0007) and the recipients a reporter may exclude. See intake.h for what is
 * stored and for whom; read.c opens and lists reports, follow.c has what
 * comes after the submission.
 *
 * A submission runs in one write transaction: the row goes in with an empty
 * body (its id is the associated data of the body's blob), then the body is
 * encrypted and written, the attachments stored (follow.c), the report key
 * sealed to each handler not recused, to the receipt and to the current
 * recovery key, and the audit entries appended. The receipt is handed out
 * only after the commit, so a report that is not durably stored has no
 * receipt.
 *
 * Secrets (the report key, the receipt and the key derived from it, the
 * plaintext body) live in vault_secure_alloc'd memory and are wiped on every
 * path. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/alloc.h"
#include "base/date.h"
#include "base/jsonstr.h"
#include "base/utf8.h"
#include "crypto/envelope.h"
#include "crypto/receipt.h"
#include "crypto/vault.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "intake/internal.h"

#define PURPOSE_BODY "report-body"
/* handlers one report is sealed to at most; more is refused as an error, not cut */
#define MAX_HANDLERS 256
/* accounts one submission may recuse: more than there can be handlers is nonsense */
#define MAX_RECUSED MAX_HANDLERS

static const char *const kinds[] = {"integrity_violation", "wrongdoing", "unwanted_behaviour"};
static const char *const modes[] = {"open", "confidential", "anonymous"};

#define fail intake_fail
#define fail_db intake_fail_db

static int one_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s && strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Checks everything that needs no database. */
static int check_submission(const struct intake_submission *s, struct intake_error *e)
{
	if (!s->org_code || !*s->org_code)
		return fail(e, INTAKE_EINVALID, "no organisation given");
	if (!one_of(s->kind, kinds, 3))
		return fail(e, INTAKE_EINVALID, "unknown kind of report");
	if (!one_of(s->mode, modes, 3))
		return fail(e, INTAKE_EINVALID, "unknown mode: open, confidential or anonymous");
	if (!s->questionnaire || !*s->questionnaire ||
	    strlen(s->questionnaire) > INTAKE_QNAME_MAX ||
	    !utf8_valid(s->questionnaire, strlen(s->questionnaire)) ||
	    s->questionnaire_revision < 0)
		return fail(e, INTAKE_EINVALID, "bad questionnaire name or revision");
	if (!s->answers || s->answers_len == 0)
		return fail(e, INTAKE_EINVALID, "no answers");
	if (s->answers_len > INTAKE_ANSWERS_MAX)
		return fail(e, INTAKE_EINVALID, "the answers are larger than %u bytes",
			    INTAKE_ANSWERS_MAX);
	if (!utf8_valid(s->answers, s->answers_len))
		return fail(e, INTAKE_EINVALID, "the answers are not valid UTF-8");
	size_t a = 0, b = s->answers_len;
	while (a < b && strchr(" \t\r\n", s->answers[a]))
		a++;
	while (b > a && strchr(" \t\r\n", s->answers[b - 1]))
		b--;
	if (b - a < 2 || s->answers[a] != '{' || s->answers[b - 1] != '}')
		return fail(e, INTAKE_EINVALID, "the answers are not a JSON object");
	if (s->identity && *s->identity) {
		size_t n = strlen(s->identity);
		if (strcmp(s->mode, "anonymous") == 0)
			return fail(e, INTAKE_EINVALID, "an anonymous report carries no identity");
		if (n > INTAKE_IDENTITY_MAX || !utf8_valid(s->identity, n))
			return fail(e, INTAKE_EINVALID,
				    "the identity is longer than %d bytes or not valid UTF-8",
				    INTAKE_IDENTITY_MAX);
	}
	if (s->nrecused > MAX_RECUSED || (s->nrecused && !s->recused))
		return fail(e, INTAKE_EINVALID, "too many people to exclude");
	if (s->registered_by < 0)
		return fail(e, INTAKE_EINVALID, "bad account for the person writing the report down");
	return intake_files_check(s->files, s->nfiles, e);
}

#define BODY_HEAD "{\"v\":1,\"answers\":"
#define BODY_ID ",\"identity\":"

/* The body's JSON (intake.h) in secure memory; *len gets its length. */
static char *body_build(const struct intake_submission *s, size_t *len)
{
	int has_id = s->identity && *s->identity;
	size_t idn = has_id ? jsonstr_write(s->identity, NULL) : 4;
	size_t n = strlen(BODY_HEAD) + s->answers_len + strlen(BODY_ID) + idn + 1;
	char *b = vault_secure_alloc(n + 1), *p = b;
	memcpy(p, BODY_HEAD, strlen(BODY_HEAD));
	p += strlen(BODY_HEAD);
	memcpy(p, s->answers, s->answers_len);
	p += s->answers_len;
	memcpy(p, BODY_ID, strlen(BODY_ID));
	p += strlen(BODY_ID);
	if (has_id)
		jsonstr_write(s->identity, p);
	else
		memcpy(p, "null", 4);
	p += idn;
	*p++ = '}';
	*p = '\0';
	*len = n;
	return b;
}

/* reach: the rows whose roles reach the organisation ?1 (intake.h). */
#define UP_CTE ORGS_REACH_CTE

/* The handlers of organisation org_id, in ids[]/pks[] (at most MAX_HANDLERS):
 * not disabled, holding integrity_coordinator or confidential_adviser at that
 * row or, for a unit, at the department above it. Returns the count or -1. */
static int handlers(db_t *db, int64_t org_id, int64_t *ids, unsigned char (*pks)[32])
{
	db_stmt_t *st = NULL;
	int n = 0;
	if (db_prepare(db,
		       UP_CTE
		       "SELECT DISTINCT a.id, a.public_key FROM account a"
		       " JOIN account_role r ON r.account_id = a.id"
		       " WHERE a.disabled = 0"
		       " AND r.role IN ('integrity_coordinator', 'confidential_adviser')"
		       " AND r.org_id IN (SELECT id FROM reach)"
		       " ORDER BY a.id",
		       &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0)
		goto fail;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == MAX_HANDLERS || db_col_bytes(st, 1) != 32) {
			db_fail(db, DBE_GENERIC, "too many handlers or a damaged public key");
			goto fail;
		}
		ids[n] = db_col_i64(st, 0);
		memcpy(pks[n], db_col_blob(st, 1), 32);
		n++;
	}
	if (rc != DB_DONE)
		goto fail;
	db_finalize(st);
	return n;
fail:
	db_finalize(st);
	return -1;
}

/* 1 when account_id, not disabled, is a manager or confidential adviser of
 * organisation org_id (its row or, for a unit, its department); 0 when not;
 * -1 on a db error. */
static int may_register(db_t *db, int64_t org_id, int64_t account_id)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db,
		       UP_CTE
		       "SELECT count(*) FROM account a JOIN account_role r ON r.account_id = a.id"
		       " WHERE a.id = ?2 AND a.disabled = 0"
		       " AND r.role IN ('manager', 'confidential_adviser')"
		       " AND r.org_id IN (SELECT id FROM reach)",
		       &st) == 0 &&
	    db_bind_i64(st, 1, org_id) == 0 && db_bind_i64(st, 2, account_id) == 0 &&
	    db_step(st) == DB_ROW)
		rc = db_col_i64(st, 0) > 0;
	db_finalize(st);
	return rc;
}

int intake_recipients(db_t *db, const char *org_code, struct intake_recipient *out, size_t cap,
		      size_t *n)
{
	db_stmt_t *st = NULL;
	char today[DATE_LEN + 1];
	struct org org;
	size_t k = 0;
	int64_t last = 0;
	*n = 0;
	if (!org_code || !*org_code)
		return 0;
	date_today(today);
	if (db_begin_read(db) != 0)
		return -1;
	int f = orgs_lookup(db, org_code, today, &org);
	if (f != 0) {
		db_rollback(db);
		return f > 0 ? 0 : -1;
	}
	/* One row per account and role; an account's rows are adjacent (ordered
	 * by name, then id) and its own-organisation row comes first. */
	if (db_prepare(db,
		       UP_CTE
		       "SELECT a.id, a.display_name, r.role, o.code FROM account a"
		       " JOIN account_role r ON r.account_id = a.id JOIN org o ON o.id = r.org_id"
		       " WHERE a.disabled = 0"
		       " AND r.role IN ('integrity_coordinator', 'confidential_adviser')"
		       " AND r.org_id IN (SELECT id FROM reach)"
		       " ORDER BY a.display_name, a.id, r.org_id = ?1 DESC, r.role, o.code",
		       &st) != 0 ||
	    db_bind_i64(st, 1, org.id) != 0)
		goto fail;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_i64(st, 0);
		if (id == last)
			continue;
		last = id;
		if (k == cap)
			continue;
		enum role role;
		struct intake_recipient *r = &out[k++];
		memset(r, 0, sizeof *r);
		r->account_id = id;
		snprintf(r->display_name, sizeof r->display_name, "%s", db_col_text(st, 1));
		r->role = role_parse(db_col_text(st, 2), &role) == 0 ? (int)role : -1;
		snprintf(r->org_code, sizeof r->org_code, "%s", db_col_text(st, 3));
	}
	if (rc != DB_DONE)
		goto fail;
	db_finalize(st);
	db_rollback(db);
	*n = k;
	return 0;
fail:
	db_finalize(st);
	db_rollback(db);
	return -1;
}

static int insert_key(db_t *db, int64_t report_id, const char *holder, int64_t account_id,
		      int64_t recovery_key_id, const unsigned char *sealed, size_t n)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "INSERT INTO report_key (report_id, holder, account_id, sealed, "
			   "recovery_key_id) VALUES (?, ?, ?, ?, ?)", &st) == 0 &&
	    db_bind_i64(st, 1, report_id) == 0 && db_bind_text(st, 2, holder, (size_t)-1) == 0 &&
	    (account_id ? db_bind_i64(st, 3, account_id) : db_bind_null(st, 3)) == 0 &&
	    db_bind_blob(st, 4, sealed, n) == 0 &&
	    (recovery_key_id ? db_bind_i64(st, 5, recovery_key_id) : db_bind_null(st, 5)) == 0 &&
	    db_step(st) == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

/* Seals key to the current recovery key, if one is configured. 0 (also when
 * there is none), or -1 with e. */
static int seal_recovery(db_t *db, int64_t id, const unsigned char key[ENVELOPE_KEY_BYTES],
			 struct intake_error *e)
{
	db_stmt_t *st = NULL;
	unsigned char pk[32], sealed[ENVELOPE_SEALED_PK_BYTES];
	if (db_prepare(db, "SELECT id, public_key FROM recovery_key WHERE retired_at IS NULL",
		       &st) != 0)
		return fail_db(db, e);
	int step = db_step(st);
	if (step == DB_DONE) {
		db_finalize(st);
		return 0;
	}
	if (step != DB_ROW) {
		db_finalize(st);
		return fail_db(db, e);
	}
	int64_t kid = db_col_i64(st, 0);
	if (db_col_bytes(st, 1) != sizeof pk) {
		db_finalize(st);
		return fail(e, INTAKE_EDAMAGED, "the recovery key is damaged");
	}
	memcpy(pk, db_col_blob(st, 1), sizeof pk);
	db_finalize(st);
	if (envelope_seal_to_pk(ENVELOPE_RECOVERY, pk, id, key, sealed) != 0)
		return fail(e, INTAKE_EDAMAGED, "the recovery key is unusable");
	if (insert_key(db, id, "recovery", 0, kid, sealed, sizeof sealed) != 0)
		return fail_db(db, e);
	return 0;
}

/* Secrets of one submission, in one secure allocation. */
struct submit_secrets {
	unsigned char key[ENVELOPE_KEY_BYTES];
	unsigned char rkey[RECEIPT_KEY_BYTES];
	char shown[RECEIPT_SHOWN_SIZE];
	char norm[RECEIPT_NORM_SIZE];
};

/* Marks in keep[] the handlers to seal to: all but the recused. Returns the
 * number kept, or -1 with e when a recused account is not a handler. */
static int apply_recusal(const struct intake_submission *s, const int64_t *hids, int nh,
			 unsigned char *keep, struct intake_error *e)
{
	for (int i = 0; i < nh; i++)
		keep[i] = 1;
	for (size_t r = 0; r < s->nrecused; r++) {
		int found = 0;
		for (int i = 0; i < nh; i++)
			if (hids[i] == s->recused[r]) {
				keep[i] = 0;
				found = 1;
			}
		if (!found)
			return fail(e, INTAKE_EINVALID,
				    "account %" PRId64 " does not receive reports for this "
				    "organisation, so it cannot be excluded", s->recused[r]);
	}
	int kept = 0;
	for (int i = 0; i < nh; i++)
		kept += keep[i];
	return kept;
}

/* The audit entries of a new report: its receipt, then one per recusal. */
static int audit_submission(db_t *db, const struct audit_signer *signer,
			    const struct intake_submission *s, int64_t id, const int64_t *hids,
			    const unsigned char *keep, int nh)
{
	char oid[24], detail[96], actor[32];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	if (s->registered_by)
		snprintf(actor, sizeof actor, "user:%" PRId64, s->registered_by);
	else
		snprintf(actor, sizeof actor, "reporter");
	snprintf(detail, sizeof detail, "kind=%s mode=%s", s->kind, s->mode);
	struct audit_entry ae = {.actor = actor, .action = "report.receive",
				 .object_type = "report", .object_id = oid, .detail = detail};
	if (audit_append(db, signer, &ae) != 0)
		return -1;
	for (int i = 0; i < nh; i++) {
		if (keep[i])
			continue;
		snprintf(detail, sizeof detail, "report %" PRId64 " account %" PRId64, id, hids[i]);
		struct audit_entry re = {.actor = actor, .action = "report.recuse",
					 .object_type = "report", .object_id = oid,
					 .detail = detail};
		if (audit_append(db, signer, &re) != 0)
			return -1;
	}
	return 0;
}

int intake_submit(db_t *db, const struct audit_signer *signer, const struct intake_submission *s,
		  char receipt_out[RECEIPT_SHOWN_SIZE], int64_t *id_out, struct intake_error *e)
{
	struct submit_secrets *sec = NULL;
	char *body = NULL;
	unsigned char *blob = NULL, *keep = NULL;
	int64_t *hids = NULL;
	unsigned char (*hpks)[32] = NULL;
	db_stmt_t *st = NULL;
	int in_tx = 0, rc = -1;
	size_t body_len = 0, blob_len = 0, cap = 0;
	char today[DATE_LEN + 1], at[TIMESTAMP_LEN + 1];
	unsigned char lookup[RECEIPT_KEY_BYTES], salt[RECEIPT_SALT_BYTES];
	struct org org;

	memset(receipt_out, 0, RECEIPT_SHOWN_SIZE);
	if (id_out)
		*id_out = 0;
	intake_error_clear(e);
	if (check_submission(s, e) != 0)
		return -1;

	/* Everything that needs no lock: the body, the receipt and its keys. */
	sec = vault_secure_alloc(sizeof *sec);
	body = body_build(s, &body_len);
	cap = envelope_blob_size(body_len);
	if (cap == 0) {
		fail(e, INTAKE_EINVALID, "the report is too large");
		goto out;
	}
	blob = xmalloc(cap);
	hids = xcalloc(MAX_HANDLERS, sizeof *hids);
	hpks = xcalloc(MAX_HANDLERS, sizeof *hpks);
	keep = xcalloc(MAX_HANDLERS, 1);
	envelope_key_new(sec->key);
	receipt_generate(sec->shown);
	randombytes_buf(salt, sizeof salt);
	if (receipt_normalise(sec->shown, strlen(sec->shown), sec->norm) != RECEIPT_OK ||
	    receipt_lookup_key(sec->norm, lookup) != 0 ||
	    receipt_derive_key(sec->norm, salt, sec->rkey) != 0) {
		fail(e, INTAKE_EDB, "could not make a receipt");
		goto out;
	}
	date_today(today);
	timestamp_now(at);
	if (s->received_on) {
		if (date_valid(s->received_on, strlen(s->received_on)) != 0 ||
		    strcmp(s->received_on, today) > 0) {
			fail(e, INTAKE_EINVALID, "the date of receipt is not a date, or after today");
			goto out;
		}
		/* the organisation must exist on the day the report came in */
		snprintf(today, sizeof today, "%s", s->received_on);
	}

	if (intake_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	int f = orgs_lookup(db, s->org_code, today, &org);
	if (f < 0)
		goto dbfail;
	if (f > 0) {
		fail(e, INTAKE_ENOTFOUND, "no organisation has the code '%s' today", s->org_code);
		goto out;
	}
	int nh = handlers(db, org.id, hids, hpks);
	if (nh < 0)
		goto dbfail;
	if (nh == 0) {
		fail(e, INTAKE_ECONFLICT, "no one can receive reports for this organisation yet");
		goto out;
	}
	int kept = apply_recusal(s, hids, nh, keep, e);
	if (kept < 0)
		goto out;
	if (kept == 0) {
		fail(e, INTAKE_ECONFLICT, "excluding everyone leaves no one to receive the report");
		goto out;
	}
	if (s->registered_by) {
		int ok = may_register(db, org.id, s->registered_by);
		if (ok < 0)
			goto dbfail;
		if (!ok) {
			fail(e, INTAKE_EINVALID, "account %" PRId64 " may not write down reports "
				"for this organisation", s->registered_by);
			goto out;
		}
	}

	int64_t id = 0;
	if (db_prepare(db, "INSERT INTO report (org_id, kind, mode, questionnaire, "
			   "questionnaire_revision, received_on, received_at, receipt_lookup, "
			   "receipt_salt, registered_by, body) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, X'') RETURNING id",
			   &st) != 0 ||
	    db_bind_i64(st, 1, org.id) != 0 || db_bind_text(st, 2, s->kind, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, s->mode, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, s->questionnaire, (size_t)-1) != 0 ||
	    db_bind_i64(st, 5, s->questionnaire_revision) != 0 ||
	    db_bind_text(st, 6, today, (size_t)-1) != 0 || db_bind_text(st, 7, at, (size_t)-1) != 0 ||
	    db_bind_blob(st, 8, lookup, sizeof lookup) != 0 ||
	    db_bind_blob(st, 9, salt, sizeof salt) != 0 ||
	    (s->registered_by ? db_bind_i64(st, 10, s->registered_by) : db_bind_null(st, 10)) != 0 ||
	    db_step(st) != DB_ROW)
		goto dbfail;
	id = db_col_i64(st, 0);
	if (db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;

	if (envelope_encrypt(sec->key, id, PURPOSE_BODY, (const unsigned char *)body, body_len,
			     blob, cap, &blob_len) != 0) {
		fail(e, INTAKE_EDB, "could not encrypt the report");
		goto out;
	}
	if (db_prepare(db, "UPDATE report SET body = ? WHERE id = ?", &st) != 0 ||
	    db_bind_blob(st, 1, blob, blob_len) != 0 || db_bind_i64(st, 2, id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (intake_files_store(db, sec->key, id, 0, 1, at, s->files, s->nfiles, e) != 0)
		goto out;

	for (int i = 0; i < nh; i++) {
		unsigned char sealed[ENVELOPE_SEALED_PK_BYTES];
		if (!keep[i])
			continue;
		if (envelope_seal_to_pk(ENVELOPE_HANDLER, hpks[i], id, sec->key, sealed) != 0) {
			fail(e, INTAKE_EDAMAGED, "account %" PRId64 " has an unusable public key",
			     hids[i]);
			goto out;
		}
		if (insert_key(db, id, "account", hids[i], 0, sealed, sizeof sealed) != 0)
			goto dbfail;
	}
	unsigned char rsealed[ENVELOPE_SEALED_RECEIPT_BYTES];
	if (envelope_seal_to_receipt(sec->rkey, id, sec->key, rsealed) != 0) {
		fail(e, INTAKE_EDB, "could not seal the report key");
		goto out;
	}
	if (insert_key(db, id, "receipt", 0, 0, rsealed, sizeof rsealed) != 0)
		goto dbfail;
	if (seal_recovery(db, id, sec->key, e) != 0)
		goto out;

	if (audit_submission(db, signer, s, id, hids, keep, nh) != 0)
		goto dbfail;
	if (db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;

	/* Durably stored: now, and only now, the receipt goes out. */
	memcpy(receipt_out, sec->shown, RECEIPT_SHOWN_SIZE);
	if (id_out)
		*id_out = id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	intake_tx_end(db, st, in_tx);
	if (blob) {
		sodium_memzero(blob, cap);
		free(blob);
	}
	free(hids);
	free(hpks);
	free(keep);
	if (body)
		vault_secure_free(body);
	if (sec)
		vault_secure_free(sec);
	sodium_memzero(lookup, sizeof lookup);
	return rc;
}
