/* audit.c: appending to and verifying the hash-chained audit trail. */
#include "crypto/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"

static void put_u64(crypto_generichash_state *h, uint64_t v)
{
	unsigned char b[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	crypto_generichash_update(h, b, sizeof b);
}

static void put_field(crypto_generichash_state *h, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};
	crypto_generichash_update(h, len, sizeof len);
	if (n)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

void audit_hash(const unsigned char prev[AUDIT_HASH_BYTES], int64_t seq, const char *at,
		const struct audit_entry *e, unsigned char out[AUDIT_HASH_BYTES])
{
	static const char domain[] = "probity-audit-v1";
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)domain, sizeof domain - 1);
	crypto_generichash_update(&h, prev, AUDIT_HASH_BYTES);
	put_u64(&h, (uint64_t)seq);
	put_field(&h, at);
	put_field(&h, e->actor);
	put_field(&h, e->action);
	put_field(&h, e->object_type);
	put_field(&h, e->object_id);
	put_field(&h, e->detail);
	crypto_generichash_final(&h, out, AUDIT_HASH_BYTES);
}

static size_t put_be64(unsigned char *p, int64_t v)
{
	for (int i = 7; i >= 0; i--)
		*p++ = (unsigned char)(((uint64_t)v >> (8 * i)) & 0xff);
	return 8;
}

/* The signed message for a checkpoint or the head: a domain tag, seq, hash and
 * the seq of the checkpoint before it (checkpoint) or the newest one (head). */
static size_t signed_message(unsigned char *msg, const char *tag, int64_t seq,
			     const unsigned char hash[AUDIT_HASH_BYTES], int64_t link)
{
	size_t n = strlen(tag);
	memcpy(msg, tag, n);
	n += put_be64(msg + n, seq);
	memcpy(msg + n, hash, AUDIT_HASH_BYTES);
	n += AUDIT_HASH_BYTES;
	return n + put_be64(msg + n, link);
}

#define TAG_CHECKPOINT "probity-audit-checkpoint-v1"
#define TAG_HEAD "probity-audit-head-v1"
#define MSG_MAX (64 + 8 + AUDIT_HASH_BYTES + 8)

static int field_ok(const char *s)
{
	return !s || strlen(s) <= AUDIT_MAX_FIELD;
}

int audit_append(db_t *db, const struct audit_signer *s, const struct audit_entry *e)
{
	if (!e->actor || !*e->actor || !e->action || !*e->action || !field_ok(e->actor) ||
	    !field_ok(e->action) || !field_ok(e->object_type) || !field_ok(e->object_id) ||
	    !field_ok(e->detail))
		return db_fail(db, DBE_GENERIC, "audit entry lacks actor or action, or a field "
						"is longer than %d bytes", AUDIT_MAX_FIELD);
	if (!s || !s->key || !s->key->has_secret || s->interval < 1)
		return db_fail(db, DBE_GENERIC, "audit signer without a secret key");

	unsigned char prev[AUDIT_HASH_BYTES] = {0}, hash[AUDIT_HASH_BYTES];
	int64_t seq = 1, last_checkpoint = 0;
	db_stmt_t *st = NULL;
	if (db_query_i64(db, "SELECT coalesce(max(seq), 0) FROM audit_checkpoint", NULL,
			 &last_checkpoint) != 0)
		return -1;
	if (db_prepare(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st) != 0)
		return -1;
	int r = db_step(st);
	if (r < 0)
		goto fail;
	if (r == DB_ROW) {
		if (db_col_bytes(st, 1) != AUDIT_HASH_BYTES) {
			db_fail(db, DBE_GENERIC, "audit entry %lld has a damaged hash: run 'probity "
						 "audit verify'", (long long)db_col_i64(st, 0));
			goto fail;
		}
		seq = db_col_i64(st, 0) + 1;
		memcpy(prev, db_col_blob(st, 1), AUDIT_HASH_BYTES);
	}
	db_finalize(st);
	st = NULL;

	char at[TIMESTAMP_LEN + 1];
	timestamp_now(at);
	audit_hash(prev, seq, at, e, hash);
	if (db_prepare(db, "INSERT INTO audit_log (seq, at, actor, action, object_type, "
			   "object_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)",
		       &st) != 0)
		return -1;
	if (db_bind_i64(st, 1, seq) || db_bind_text(st, 2, at, (size_t)-1) ||
	    db_bind_text(st, 3, e->actor, (size_t)-1) || db_bind_text(st, 4, e->action, (size_t)-1) ||
	    db_bind_text(st, 5, e->object_type ? e->object_type : "", (size_t)-1) ||
	    db_bind_text(st, 6, e->object_id ? e->object_id : "", (size_t)-1) ||
	    db_bind_text(st, 7, e->detail ? e->detail : "", (size_t)-1) ||
	    db_bind_blob(st, 8, prev, sizeof prev) || db_bind_blob(st, 9, hash, sizeof hash) ||
	    db_step(st) != DB_DONE)
		goto fail;
	db_finalize(st);
	st = NULL;

	unsigned char msg[MSG_MAX], sig[SIGNKEY_SIGNATURE_BYTES];
	if (seq % s->interval == 0) {
		size_t n = signed_message(msg, TAG_CHECKPOINT, seq, hash, last_checkpoint);
		signkey_sign(s->key, msg, n, sig);
		if (db_prepare(db, "INSERT INTO audit_checkpoint (seq, prev_seq, hash, public_key, "
				   "signature, at) VALUES (?,?,?,?,?,?)", &st) != 0)
			return -1;
		if (db_bind_i64(st, 1, seq) || db_bind_i64(st, 2, last_checkpoint) ||
		    db_bind_blob(st, 3, hash, sizeof hash) ||
		    db_bind_blob(st, 4, s->key->pk, SIGNKEY_PUBLIC_BYTES) ||
		    db_bind_blob(st, 5, sig, sizeof sig) || db_bind_text(st, 6, at, (size_t)-1) ||
		    db_step(st) != DB_DONE)
			goto fail;
		db_finalize(st);
		st = NULL;
		last_checkpoint = seq;
	}

	size_t n = signed_message(msg, TAG_HEAD, seq, hash, last_checkpoint);
	signkey_sign(s->key, msg, n, sig);
	if (db_prepare(db, "INSERT INTO audit_head (id, seq, hash, last_checkpoint, public_key, "
			   "signature) VALUES (1,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET "
			   "seq = excluded.seq, hash = excluded.hash, "
			   "last_checkpoint = excluded.last_checkpoint, "
			   "public_key = excluded.public_key, signature = excluded.signature",
		       &st) != 0)
		return -1;
	if (db_bind_i64(st, 1, seq) || db_bind_blob(st, 2, hash, sizeof hash) ||
	    db_bind_i64(st, 3, last_checkpoint) ||
	    db_bind_blob(st, 4, s->key->pk, SIGNKEY_PUBLIC_BYTES) ||
	    db_bind_blob(st, 5, sig, sizeof sig) || db_step(st) != DB_DONE)
		goto fail;
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	return -1;
}

static int broken(struct audit_report *r, int64_t seq, const char *reason)
{
	r->bad_seq = seq;
	snprintf(r->reason, sizeof r->reason, "%s", reason);
	return 1;
}

/* Checks a signature row (checkpoint or head) against the entry hash it names. */
static int check_signed(const unsigned char pk[SIGNKEY_PUBLIC_BYTES], const char *tag,
			int64_t seq, const void *hash, size_t hash_len, int64_t link,
			const void *sig, size_t sig_len)
{
	if (hash_len != AUDIT_HASH_BYTES || sig_len != SIGNKEY_SIGNATURE_BYTES)
		return -1;
	unsigned char msg[MSG_MAX];
	size_t n = signed_message(msg, tag, seq, hash, link);
	return signkey_verify(pk, msg, n, sig);
}

static int verify_chain(db_t *db, struct audit_report *r, unsigned char last[AUDIT_HASH_BYTES])
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT seq, at, actor, action, object_type, object_id, detail, "
			   "prev_hash, hash FROM audit_log ORDER BY seq", &st) != 0)
		return -1;
	unsigned char prev[AUDIT_HASH_BYTES] = {0}, want[AUDIT_HASH_BYTES];
	int64_t expect = 1;
	int rc = 0, s;
	while ((s = db_step(st)) == DB_ROW) {
		int64_t seq = db_col_i64(st, 0);
		if (seq != expect) {
			rc = broken(r, expect, seq > expect ? "entry is missing" : "entry is out of "
				    "order");
			break;
		}
		struct audit_entry e = {
			.actor = db_col_text(st, 2), .action = db_col_text(st, 3),
			.object_type = db_col_text(st, 4), .object_id = db_col_text(st, 5),
			.detail = db_col_text(st, 6),
		};
		if (db_col_bytes(st, 7) != AUDIT_HASH_BYTES ||
		    sodium_memcmp(db_col_blob(st, 7), prev, AUDIT_HASH_BYTES) != 0) {
			rc = broken(r, seq, "link to the previous entry is broken");
			break;
		}
		audit_hash(prev, seq, db_col_text(st, 1), &e, want);
		if (db_col_bytes(st, 8) != AUDIT_HASH_BYTES ||
		    sodium_memcmp(db_col_blob(st, 8), want, AUDIT_HASH_BYTES) != 0) {
			rc = broken(r, seq, "entry was changed after it was written");
			break;
		}
		memcpy(prev, want, sizeof prev);
		r->entries++;
		expect++;
	}
	if (s < 0)
		rc = -1;
	db_finalize(st);
	memcpy(last, prev, AUDIT_HASH_BYTES);
	return rc;
}

/* Checks the checkpoints in order; *last gets the newest one's seq. */
static int verify_checkpoints(db_t *db, const unsigned char pk[SIGNKEY_PUBLIC_BYTES],
			      struct audit_report *r, int64_t *last)
{
	db_stmt_t *st;
	*last = 0;
	if (db_prepare(db, "SELECT c.seq, c.hash, c.signature, l.hash, c.prev_seq FROM "
			   "audit_checkpoint c LEFT JOIN audit_log l ON l.seq = c.seq "
			   "ORDER BY c.seq", &st) != 0)
		return -1;
	int rc = 0, s;
	while ((s = db_step(st)) == DB_ROW) {
		int64_t seq = db_col_i64(st, 0), prev_seq = db_col_i64(st, 4);
		if (check_signed(pk, TAG_CHECKPOINT, seq, db_col_blob(st, 1), db_col_bytes(st, 1),
				 prev_seq, db_col_blob(st, 2), db_col_bytes(st, 2)) != 0) {
			rc = broken(r, seq, "checkpoint signature is not valid for the signing key");
			break;
		}
		if (prev_seq != *last) {
			/* the signed link names a checkpoint that is gone */
			rc = prev_seq > *last ? broken(r, prev_seq, "signed checkpoint of this entry "
							   "is missing")
					      : broken(r, seq, "checkpoint is out of order");
			break;
		}
		if (db_col_is_null(st, 3)) {
			rc = broken(r, seq, "entry is missing (a signed checkpoint names it)");
			break;
		}
		if (db_col_bytes(st, 1) != AUDIT_HASH_BYTES || db_col_bytes(st, 3) != AUDIT_HASH_BYTES ||
		    sodium_memcmp(db_col_blob(st, 1), db_col_blob(st, 3), AUDIT_HASH_BYTES) != 0) {
			rc = broken(r, seq, "entry differs from its signed checkpoint");
			break;
		}
		*last = seq;
		r->checkpoints++;
	}
	if (s < 0)
		rc = -1;
	db_finalize(st);
	return rc;
}

static int verify_head(db_t *db, const unsigned char pk[SIGNKEY_PUBLIC_BYTES],
		       struct audit_report *r, const unsigned char last[AUDIT_HASH_BYTES],
		       int64_t last_checkpoint)
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT seq, hash, signature, last_checkpoint FROM audit_head "
			   "WHERE id = 1", &st) != 0)
		return -1;
	int rc = 0;
	int s = db_step(st);
	if (s < 0) {
		rc = -1;
	} else if (s == DB_DONE) {
		if (r->entries > 0)
			rc = broken(r, r->entries, "signed head of the trail is missing");
	} else {
		int64_t seq = db_col_i64(st, 0), head_checkpoint = db_col_i64(st, 3);
		if (check_signed(pk, TAG_HEAD, seq, db_col_blob(st, 1), db_col_bytes(st, 1),
				 head_checkpoint, db_col_blob(st, 2), db_col_bytes(st, 2)) != 0)
			rc = broken(r, seq, "signed head is not valid for the signing key");
		else if (head_checkpoint != last_checkpoint)
			rc = broken(r, head_checkpoint > last_checkpoint ? head_checkpoint : seq,
				    "signed checkpoint of this entry is missing");
		else if (seq > r->entries)
			rc = broken(r, r->entries + 1, "entry is missing (the signed head names "
				    "later entries)");
		else if (seq < r->entries)
			rc = broken(r, seq + 1, "entry was added without a signature");
		else if (sodium_memcmp(db_col_blob(st, 1), last, AUDIT_HASH_BYTES) != 0)
			rc = broken(r, seq, "entry differs from the signed head");
	}
	db_finalize(st);
	return rc;
}

int audit_verify(db_t *db, const unsigned char pk[SIGNKEY_PUBLIC_BYTES], struct audit_report *r)
{
	memset(r, 0, sizeof *r);
	unsigned char last[AUDIT_HASH_BYTES];
	if (db_begin_read(db) != 0)
		return -1;
	int64_t last_checkpoint = 0;
	int rc = verify_chain(db, r, last);
	if (rc == 0)
		rc = verify_checkpoints(db, pk, r, &last_checkpoint);
	if (rc == 0)
		rc = verify_head(db, pk, r, last, last_checkpoint);
	if (rc == 0)
		memcpy(r->head, last, AUDIT_HASH_BYTES);
	db_rollback(db);
	return rc;
}

int audit_append_user(db_t *db, const struct audit_signer *s, int64_t actor_id,
		      const char *action, const char *object_type, int64_t object_id,
		      const char *detail)
{
	char actor[32], id[24];
	snprintf(actor, sizeof actor, "user:%" PRId64, actor_id);
	snprintf(id, sizeof id, "%" PRId64, object_id);
	struct audit_entry ae = {.actor = actor, .action = action, .object_type = object_type,
				 .object_id = id, .detail = detail};
	return audit_append(db, s, &ae);
}
