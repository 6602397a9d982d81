/* keys.c: the key of an assessment's evidence (assess.h). A fresh 32-byte
 * key per assessment; stored only sealed (envelope.h kind 7) to each account
 * that may read the evidence files, and (kind 8) to the recovery key current
 * when the assessment was made.
 *
 * Who holds it: the department's integrity coordinators and managers (at the
 * department or a unit under it), who draft and sign off, and the
 * coordinators whose scope holds the department, who review. Not auditors:
 * they read the judgements and see that evidence exists, not the files (the
 * evidence is the department's working material; an auditor who needs it
 * asks the department, as with any audit).
 *
 * Someone appointed later has no sealed copy. Sealing needs only their
 * public key, so the next time any holder opens the key, the server seals
 * it to every eligible account without one, in one transaction with an
 * "assess.key_share" entry. A holder who lost eligibility keeps a copy in
 * the database but can no longer open it through Probity: opening checks
 * the caps first.
 *
 * When every holder has lost their key (left, or a password reset made a
 * new key pair), nobody opens it to share it on; then k custodians of the
 * recovery key give it to a successor (`probity keys recover`, src/keys):
 * assess_recover_list says which assessments and whether the successor may
 * hold their key, assess_key_recover reseals one, both inside src/keys's
 * transaction, so that the rule of who may hold it stays here. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/internal.h"
#include "base/alloc.h"

/* holders(id): the enabled accounts that may hold the key of an assessment
 * of department ?1 (the rule at the top of this file). One definition for
 * sharing and for recovery, so that both give keys to the same people. */
#define HOLDERS_CTE                                                                        \
	"WITH RECURSIVE down(id) AS (SELECT ?1"                                            \
	" UNION SELECT o.id FROM org o JOIN down ON o.parent_id = down.id"                 \
	" WHERE o.kind = 'unit'),"                                                         \
	" holders(id) AS (SELECT DISTINCT a.id FROM account a"                             \
	" JOIN account_role r ON r.account_id = a.id"                                      \
	" WHERE a.disabled = 0 AND ("                                                      \
	"  (r.role IN ('integrity_coordinator', 'manager')"                                \
	"   AND r.org_id IN (SELECT id FROM down))"                                        \
	"  OR (r.role = 'coordinator' AND EXISTS (SELECT 1 FROM org d"                     \
	"   JOIN org g ON g.id = d.parent_id AND g.kind = 'government'"                    \
	"   WHERE d.id = ?1 AND d.kind = 'department' AND d.outside_scope = 0"             \
	"   AND d.parent_id = r.org_id))))"

/* ?1 the department, ?2 the assessment: eligible accounts without a copy. */
static const char MISSING_SQL[] =
	HOLDERS_CTE
	" SELECT a.id, a.public_key FROM holders h JOIN account a ON a.id = h.id"
	" WHERE NOT EXISTS (SELECT 1 FROM assessment_key k WHERE k.assessment_id = ?2"
	"  AND k.account_id = a.id)"
	" ORDER BY a.id";

static int insert_key(db_t *db, int64_t id, int64_t account_id, int64_t recovery_id,
		      const unsigned char sealed[ENVELOPE_SEALED_PK_BYTES])
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "INSERT INTO assessment_key (assessment_id, holder, account_id, "
			   "recovery_key_id, sealed) VALUES (?, ?, ?, ?, ?)", &st) == 0 &&
	    db_bind_i64(st, 1, id) == 0 &&
	    db_bind_text(st, 2, account_id ? "account" : "recovery", (size_t)-1) == 0 &&
	    (account_id ? db_bind_i64(st, 3, account_id) : db_bind_null(st, 3)) == 0 &&
	    (recovery_id ? db_bind_i64(st, 4, recovery_id) : db_bind_null(st, 4)) == 0 &&
	    db_bind_blob(st, 5, sealed, ENVELOPE_SEALED_PK_BYTES) == 0 && db_step(st) == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

struct holder {
	int64_t id;
	unsigned char pk[32];
	int usable;
};

/* The eligible accounts of dept_id without a copy of assessment id. */
static int missing(db_t *db, int64_t id, int64_t dept_id, struct holder **out, size_t *n)
{
	db_stmt_t *st = NULL;
	size_t room = 0;
	int step;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, MISSING_SQL, &st) != 0 || db_bind_i64(st, 1, dept_id) != 0 ||
	    db_bind_i64(st, 2, id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW) {
		if (*n == room) {
			room = room ? room * 2 : 8;
			*out = xrealloc(*out, room * sizeof **out);
		}
		struct holder *h = &(*out)[(*n)++];
		h->id = db_col_i64(st, 0);
		h->usable = db_col_bytes(st, 1) == sizeof h->pk;
		if (h->usable)
			memcpy(h->pk, db_col_blob(st, 1), sizeof h->pk);
	}
	db_finalize(st);
	if (step != DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static int seal_recovery(db_t *db, int64_t id, const unsigned char key[ENVELOPE_KEY_BYTES],
			 struct assess_error *e)
{
	db_stmt_t *st = NULL;
	unsigned char pk[32], sealed[ENVELOPE_SEALED_PK_BYTES];
	if (db_prepare(db, "SELECT id, public_key FROM recovery_key WHERE retired_at IS NULL",
		       &st) != 0)
		return assess_fail_db(db, e);
	int step = db_step(st);
	if (step == DB_DONE) {
		db_finalize(st);
		return 0; /* no recovery key yet: docs/security.md says what that means */
	}
	if (step != DB_ROW || db_col_bytes(st, 1) != sizeof pk) {
		db_finalize(st);
		return step != DB_ROW ? assess_fail_db(db, e)
				      : assess_fail(e, ASSESS_EDAMAGED, "the recovery key is damaged");
	}
	int64_t kid = db_col_i64(st, 0);
	memcpy(pk, db_col_blob(st, 1), sizeof pk);
	db_finalize(st);
	if (envelope_seal_to_pk(ENVELOPE_ASSESS_RECOVERY, pk, id, key, sealed) != 0)
		return assess_fail(e, ASSESS_EDAMAGED, "the recovery key is unusable");
	if (insert_key(db, id, 0, kid, sealed) != 0)
		return assess_fail_db(db, e);
	return 0;
}

int assess_keys_seal(db_t *db, int64_t id, int64_t dept_id,
		     const unsigned char key[ENVELOPE_KEY_BYTES], int with_recovery,
		     int64_t *ids, size_t cap, size_t *added, struct assess_error *e)
{
	struct holder *h = NULL;
	size_t n = 0, k = 0;
	if (added)
		*added = 0;
	if (missing(db, id, dept_id, &h, &n) != 0)
		return assess_fail_db(db, e);
	for (size_t i = 0; i < n; i++) {
		unsigned char sealed[ENVELOPE_SEALED_PK_BYTES];
		/* an account whose key is unusable gets none; it cannot open one */
		if (!h[i].usable ||
		    envelope_seal_to_pk(ENVELOPE_ASSESS_ACCOUNT, h[i].pk, id, key, sealed) != 0)
			continue;
		if (insert_key(db, id, h[i].id, 0, sealed) != 0) {
			free(h);
			return assess_fail_db(db, e);
		}
		if (ids && k < cap)
			ids[k] = h[i].id;
		k++;
	}
	free(h);
	if (added)
		*added = k;
	if (with_recovery && seal_recovery(db, id, key, e) != 0)
		return -1;
	return 0;
}

/* The ids joined by commas (for an audit detail), cut with "..." */
static void id_list(const int64_t *ids, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + k, cap - k, "%s%" PRId64, i ? "," : "", ids[i]);
		if (w < 0 || (size_t)w >= cap - k) {
			snprintf(out + (cap > 4 ? cap - 4 : 0), 4, "...");
			return;
		}
		k += (size_t)w;
	}
}

/* Seals to whoever is missing, in its own write transaction, when anyone
 * is: a failure here does not stop the holder from reading (they hold the
 * key already), so it is reported in e only for the log. */
static int share_missing(db_t *db, const struct audit_signer *signer, int64_t actor_id,
			 int64_t id, int64_t dept_id, const unsigned char key[ENVELOPE_KEY_BYTES],
			 struct assess_error *e)
{
	int64_t ids[32];
	size_t added = 0;
	int in_tx = 0;
	char list[200], detail[240];
	if (assess_tx_begin(db, 0, &in_tx) != 0)
		return assess_fail_db(db, e);
	if (assess_keys_seal(db, id, dept_id, key, 0, ids, 32, &added, e) != 0)
		goto fail;
	if (added == 0) {
		assess_tx_end(db, NULL, in_tx);
		return 0;
	}
	id_list(ids, added < 32 ? added : 32, list, sizeof list);
	snprintf(detail, sizeof detail, "accounts %s", list);
	if (assess_audit(db, signer, actor_id, "assess.key_share", id, detail) != 0 ||
	    db_commit(db) != 0) {
		assess_fail_db(db, e);
		goto fail;
	}
	return 0;
fail:
	assess_tx_end(db, NULL, in_tx);
	return -1;
}

int assess_key_open(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		    const unsigned char sk[32], int64_t id, unsigned char key[ENVELOPE_KEY_BYTES],
		    struct assess_error *e)
{
	db_stmt_t *st = NULL;
	struct assess_head h;
	struct holder *miss = NULL;
	size_t nmiss = 0;
	unsigned caps = 0;
	int in_tx = 0, rc = -1;
	sodium_memzero(key, ENVELOPE_KEY_BYTES);
	assess_error_clear(e);
	if (assess_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	int f = assess_head_load(db, id, &h);
	if (f < 0 || (f == 0 && assess_caps(db, h.dept_id, actor_id, &caps) != 0))
		goto dbfail;
	if (f > 0 || !(caps & ASSESS_CAP_READ)) {
		assess_fail(e, ASSESS_ENOTFOUND, "no assessment %" PRId64 " for this account", id);
		goto out;
	}
	if (db_prepare(db, "SELECT k.sealed, a.public_key FROM assessment_key k "
			   "JOIN account a ON a.id = k.account_id "
			   "WHERE k.assessment_id = ? AND k.account_id = ? AND a.disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0 || db_bind_i64(st, 2, actor_id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		assess_fail(e, ASSESS_ENOKEY, "account %" PRId64 " holds no key of assessment %"
			    PRId64, actor_id, id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	if (db_col_bytes(st, 1) != 32 ||
	    envelope_open_with_sk(ENVELOPE_ASSESS_ACCOUNT, db_col_blob(st, 1), sk, id,
				  db_col_blob(st, 0), db_col_bytes(st, 0), key) != 0) {
		assess_fail(e, ASSESS_EDAMAGED, "the key of assessment %" PRId64 " does not open",
			    id);
		goto out;
	}
	db_finalize(st);
	st = NULL;
	if (missing(db, id, h.dept_id, &miss, &nmiss) != 0)
		goto dbfail;
	free(miss);
	assess_tx_end(db, NULL, in_tx);
	in_tx = 0;
	rc = 0;
	if (nmiss > 0) {
		struct assess_error se;
		assess_error_clear(&se);
		/* best effort: the next opening tries again */
		(void)share_missing(db, signer, actor_id, id, h.dept_id, key, &se);
	}
	goto out;
dbfail:
	assess_fail_db(db, e);
out:
	assess_tx_end(db, st, in_tx);
	if (rc != 0)
		sodium_memzero(key, ENVELOPE_KEY_BYTES);
	return rc;
}

/* ---- recovery (src/keys) ---- */

/* ?1 account FROM, ?2 account TO: the assessments whose key is sealed to
 * FROM, with their department, the recovery key of their recovery seal (0:
 * none) and whether TO holds a copy. */
static const char RECOVER_LIST_SQL[] =
	"SELECT s.id, s.org_id, coalesce((SELECT k2.recovery_key_id FROM assessment_key k2"
	" WHERE k2.assessment_id = s.id AND k2.holder = 'recovery' ORDER BY k2.id DESC LIMIT 1),"
	" 0), EXISTS (SELECT 1 FROM assessment_key k3 WHERE k3.assessment_id = s.id"
	" AND k3.holder = 'account' AND k3.account_id = ?2)"
	" FROM assessment s JOIN assessment_key k ON k.assessment_id = s.id"
	" AND k.holder = 'account' AND k.account_id = ?1 ORDER BY s.id";

/* ?1 the department, ?2 account TO, ?3 an organisation code or NULL: is
 * the department the organisation asked for (it has the code), and may TO
 * hold the key. */
static const char RECOVER_CHECK_SQL[] =
	HOLDERS_CTE
	" SELECT ?3 IS NULL OR EXISTS (SELECT 1 FROM org WHERE id = ?1"
	" AND code = ?3 COLLATE NOCASE), EXISTS (SELECT 1 FROM holders WHERE id = ?2)";

int assess_recover_list(db_t *db, int64_t from, int64_t to, const char *org_code,
			struct assess_recover_item **out, size_t *n)
{
	db_stmt_t *st = NULL, *chk = NULL;
	size_t room = 0;
	int step, rc = -1;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, RECOVER_LIST_SQL, &st) != 0 ||
	    db_prepare(db, RECOVER_CHECK_SQL, &chk) != 0 || db_bind_i64(st, 1, from) != 0 ||
	    db_bind_i64(st, 2, to) != 0)
		goto out;
	while ((step = db_step(st)) == DB_ROW) {
		struct assess_recover_item x = {.id = db_col_i64(st, 0),
						.recovery_key_id = db_col_i64(st, 2)};
		int held = db_col_i64(st, 3) != 0;
		if (db_reset(chk) != 0 || db_bind_i64(chk, 1, db_col_i64(st, 1)) != 0 ||
		    db_bind_i64(chk, 2, to) != 0 ||
		    (org_code && *org_code ? db_bind_text(chk, 3, org_code, (size_t)-1) :
					     db_bind_null(chk, 3)) != 0 ||
		    db_step(chk) != DB_ROW)
			goto out;
		if (db_col_i64(chk, 0) == 0)
			continue; /* another organisation's */
		int may = db_col_i64(chk, 1) != 0;
		/* the order of src/keys for reports: a successor who holds the key
		 * needs nothing, whatever else is true */
		if (held && from != to)
			x.state = ASSESS_RECOVER_ALREADY;
		else if (!may)
			x.state = ASSESS_RECOVER_NO_ROLE;
		else if (x.recovery_key_id <= 0)
			x.state = ASSESS_RECOVER_UNRECOVERABLE;
		else
			x.state = ASSESS_RECOVER_TODO;
		if (*n == room) {
			room = room ? room * 2 : 16;
			*out = xrealloc(*out, room * sizeof **out);
		}
		(*out)[(*n)++] = x;
	}
	rc = step == DB_DONE ? 0 : -1;
out:
	db_finalize(st);
	db_finalize(chk);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int assess_key_recover(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		       int64_t from, int64_t to, const unsigned char to_pk[32],
		       int64_t recovery_key_id, const unsigned char recovery_pk[32],
		       const unsigned char recovery_sk[32],
		       unsigned char key[ENVELOPE_KEY_BYTES], struct assess_error *e)
{
	unsigned char sealed[ENVELOPE_SEALED_PK_BYTES];
	char detail[96], oid[24];
	db_stmt_t *st = NULL;
	assess_error_clear(e);
	if (db_prepare(db, "SELECT sealed FROM assessment_key WHERE assessment_id = ? AND "
			   "holder = 'recovery' AND recovery_key_id = ?", &st) != 0)
		return assess_fail_db(db, e);
	int step = db_bind_i64(st, 1, id) == 0 && db_bind_i64(st, 2, recovery_key_id) == 0 ?
		   db_step(st) : -1;
	int opened = step == DB_ROW ?
		     envelope_open_with_sk(ENVELOPE_ASSESS_RECOVERY, recovery_pk, recovery_sk, id,
					   db_col_blob(st, 0), db_col_bytes(st, 0), key) : -1;
	db_finalize(st);
	if (step < 0)
		return assess_fail_db(db, e);
	if (opened != 0)
		return assess_fail(e, ASSESS_EDAMAGED, "the recovery seal of assessment %" PRId64
				   " does not open with recovery key %" PRId64 ": the row is damaged "
				   "or was changed", id, recovery_key_id);
	int sealed_ok = envelope_seal_to_pk(ENVELOPE_ASSESS_ACCOUNT, to_pk, id, key, sealed);
	sodium_memzero(key, ENVELOPE_KEY_BYTES);
	if (sealed_ok != 0)
		return assess_fail(e, ASSESS_EDAMAGED, "account %" PRId64 " has an unusable public "
				   "key", to);
	if (from == to) {
		/* their copy is sealed to the key pair a password reset replaced */
		if (db_prepare(db, "UPDATE assessment_key SET sealed = ?1 WHERE assessment_id = ?2 "
				   "AND holder = 'account' AND account_id = ?3", &st) != 0)
			return assess_fail_db(db, e);
		int ok = db_bind_blob(st, 1, sealed, sizeof sealed) == 0 &&
			 db_bind_i64(st, 2, id) == 0 && db_bind_i64(st, 3, to) == 0 &&
			 db_step(st) == DB_DONE;
		db_finalize(st);
		if (!ok)
			return assess_fail_db(db, e);
		if (db_changes(db) != 1) /* the row src/keys read in this transaction */
			return assess_fail(e, ASSESS_EDAMAGED, "the copy of account %" PRId64 " of the "
					   "key of assessment %" PRId64 " vanished", to, id);
	} else if (insert_key(db, id, to, 0, sealed) != 0) {
		return assess_fail_db(db, e);
	}
	/* the entry of sharing, which this is: the key sealed to one more
	 * account (or again to the same one), here by the custodians */
	snprintf(detail, sizeof detail, "account %" PRId64 " by recovery from account %" PRId64,
		 to, from);
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct audit_entry ae = {.actor = actor, .action = "assess.key_share",
				 .object_type = "assessment", .object_id = oid, .detail = detail};
	if (audit_append(db, s, &ae) != 0)
		return assess_fail_db(db, e);
	return 0;
}

int assess_recover_count(db_t *db, int64_t recovery_key_id, int64_t *n)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	*n = 0;
	if (db_prepare(db, "SELECT count(*) FROM assessment_key WHERE holder = 'recovery' AND "
			   "recovery_key_id = ?", &st) == 0 &&
	    db_bind_i64(st, 1, recovery_key_id) == 0 && db_step(st) == DB_ROW) {
		*n = db_col_i64(st, 0);
		rc = 0;
	}
	db_finalize(st);
	return rc;
}
