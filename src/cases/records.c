/* records.c: the records of the protocol and the team's notes (migration
 * 0008 case_record, case_note; cases.h). Each text is a content blob whose
 * purpose names its row ("case-record:12", "case-note:8"), under the case
 * key, or for what the competent authority reads (the authority summary, the
 * decision) under the summary key; case_record.under says which. The row
 * goes in with an empty blob, because the purpose needs the id the insert
 * gives, and is filled in the same transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/internal.h"
#include "crypto/blob.h"
#include "crypto/vault.h"

#define fail cases_fail
#define fail_db cases_fail_db

void cases_text_items_free(struct cases_text_item *t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++)
		if (t[i].text)
			vault_secure_free(t[i].text);
	free(t);
}

int cases_record_insert(db_t *db, const struct cases_key *k, int64_t actor_id, const char *type,
			int summary, const char *text, size_t len, int64_t *id,
			struct cases_error *e)
{
	db_stmt_t *st = NULL;
	char at[TIMESTAMP_LEN + 1], purpose[CASES_PURPOSE_LEN];
	timestamp_now(at);
	if (db_prepare(db, "INSERT INTO case_record (case_id, type, under, account_id, created_at, "
			   "body) VALUES (?, ?, ?, ?, ?, X'') RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0 || db_bind_text(st, 2, type, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, summary ? "summary" : "case", (size_t)-1) != 0 ||
	    db_bind_i64(st, 4, actor_id) != 0 || db_bind_text(st, 5, at, (size_t)-1) != 0 ||
	    db_step(st) != DB_ROW) {
		db_finalize(st);
		return fail_db(db, e);
	}
	*id = db_col_i64(st, 0);
	db_finalize(st);
	snprintf(purpose, sizeof purpose, "case-record:%" PRId64, *id);
	return cases_write_blob(db, "UPDATE case_record SET body = ? WHERE id = ?",
				summary ? k->summary : k->key, k->case_id, purpose, *id, text, len, e);
}

int cases_record_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		     int64_t actor_id, const char *type, const char *text, size_t len,
		     int64_t *id_out, struct cases_error *e)
{
	struct cases_row row;
	char detail[96];
	int in_tx = 0, rc = -1, as;
	int64_t id = 0;

	if (id_out)
		*id_out = 0;
	cases_error_clear(e);
	if (!type || !*type || strlen(type) > CASES_ID_MAX)
		return fail(e, CASES_EINVALID, "no record type given");
	if (strcmp(type, CASES_RECORD_DECISION) == 0)
		return fail(e, CASES_EINVALID, "the decision is recorded by the competent authority");
	if (cases_check_text(text, len, CASES_TEXT_MAX, "the record", e) != 0)
		return -1;
	int summary = strcmp(type, CASES_RECORD_SUMMARY) == 0;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	/* what the authority reads is the coordinator's to choose */
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
	if (cases_record_insert(db, k, actor_id, type, summary, text, len, &id, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "record %" PRId64 " type %s", id, type);
	if (cases_audit(db, signer, actor_id, "case.record", k->case_id, detail) != 0 ||
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

/* What differs between records and notes when listing. */
struct listing {
	const char *sql;      /* id, type, under = 'summary', account_id, author, created_at,
				 body; ?1 the case, ?2 1 for the summary only */
	const char *purpose;  /* "case-record" or "case-note" */
};

static const struct listing records = {
	"SELECT r.id, r.type, r.under = 'summary', r.account_id, coalesce(a.display_name, ''), "
	"r.created_at, r.body FROM case_record r LEFT JOIN account a ON a.id = r.account_id "
	"WHERE r.case_id = ?1 AND (?2 = 0 OR r.under = 'summary') ORDER BY r.id",
	"case-record",
};

static const struct listing notes = {
	"SELECT n.id, '', 0, n.account_id, coalesce(a.display_name, ''), n.created_at, n.body "
	"FROM case_note n LEFT JOIN account a ON a.id = n.account_id "
	"WHERE n.case_id = ?1 AND ?2 = 0 ORDER BY n.id",
	"case-note",
};

static int list_texts(db_t *db, const struct listing *l, const struct cases_key *k,
		      struct cases_text_item **out, size_t *n, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_text_item *t = NULL;
	size_t cnt = 0, room = 0;
	int in_tx = 0, rc = -1;
	*out = NULL;
	*n = 0;
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, l->sql, &st) != 0 || db_bind_i64(st, 1, k->case_id) != 0 ||
	    db_bind_i64(st, 2, !k->full) != 0)
		goto dbfail;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (cnt == room) {
			room = room ? room * 2 : 8;
			t = xrealloc(t, room * sizeof *t);
		}
		struct cases_text_item *x = &t[cnt];
		char purpose[CASES_PURPOSE_LEN];
		memset(x, 0, sizeof *x);
		x->id = db_col_i64(st, 0);
		cases_copy(x->type, sizeof x->type, db_col_text(st, 1));
		x->summary = db_col_i64(st, 2) != 0;
		x->account_id = db_col_i64(st, 3);
		cases_copy(x->author_name, sizeof x->author_name, db_col_text(st, 4));
		timestamp_local(db_col_text(st, 5), x->created_at);
		snprintf(purpose, sizeof purpose, "%s:%" PRId64, l->purpose, x->id);
		x->text = (char *)blob_open(x->summary ? k->summary : k->key, k->case_id, purpose,
					    db_col_blob(st, 6), db_col_bytes(st, 6), &x->text_len);
		if (!x->text) {
			fail(e, CASES_EDAMAGED, "%s %" PRId64 " of case %" PRId64 " does not open",
			     l->purpose, x->id, k->case_id);
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
	cases_tx_end(db, st, in_tx);
	if (rc != 0) {
		cases_text_items_free(t, cnt);
		return -1;
	}
	if (cnt == 0) {
		free(t);
		t = NULL;
	}
	*out = t;
	*n = cnt;
	return 0;
}

int cases_records(db_t *db, const struct cases_key *k, struct cases_text_item **out, size_t *n,
		  struct cases_error *e)
{
	return list_texts(db, &records, k, out, n, e);
}

int cases_note_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		   int64_t actor_id, const char *text, size_t len, int64_t *id_out,
		   struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	char at[TIMESTAMP_LEN + 1], purpose[CASES_PURPOSE_LEN], detail[48];
	int in_tx = 0, rc = -1, as;

	if (id_out)
		*id_out = 0;
	cases_error_clear(e);
	if (cases_check_text(text, len, CASES_NOTE_MAX, "the note", e) != 0)
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
	snprintf(purpose, sizeof purpose, "case-note:%" PRId64, id);
	if (cases_write_blob(db, "UPDATE case_note SET body = ? WHERE id = ?", k->key, k->case_id,
			     purpose, id, text, len, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "note %" PRId64, id);
	if (cases_audit(db, signer, actor_id, "case.note", k->case_id, detail) != 0 ||
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

int cases_notes(db_t *db, const struct cases_key *k, struct cases_text_item **out, size_t *n,
		struct cases_error *e)
{
	if (!k->full) {
		*out = NULL;
		*n = 0;
		return fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account", k->case_id);
	}
	return list_texts(db, &notes, k, out, n, e);
}
