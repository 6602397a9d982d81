/* audit.h: the append-only, hash-chained audit trail (see
 * src/store/migrations/0002_audit.sql for the tables).
 *
 * Entry hash = BLAKE2b-256("probity-audit-v1" || prev_hash || u64be(seq) ||
 * lp(at) || lp(actor) || lp(action) || lp(object_type) || lp(object_id) ||
 * lp(detail)), lp(x) = u32be(len x) || x, prev_hash of the first entry = 32 zero
 * bytes. Every `interval` entries a checkpoint signs (seq, hash, seq of the
 * previous checkpoint); after every append the head row signs (seq, hash, seq
 * of the newest checkpoint) of the newest entry. So editing, deleting or
 * reordering any entry or checkpoint, or cutting off the newest entries, breaks
 * a hash or a signature. */
#ifndef CRYPTO_AUDIT_H
#define CRYPTO_AUDIT_H
#include <stddef.h>
#include <stdint.h>

#include "crypto/signkey.h"
#include "store/db.h"

#define AUDIT_HASH_BYTES 32
#define AUDIT_MAX_FIELD 1024  /* longer fields are refused, not cut */

struct audit_entry {
	const char *actor;        /* "user:42", "cli:root", "system" */
	const char *action;       /* dotted verb: "org.split", "schema.migrate" */
	const char *object_type;  /* may be NULL */
	const char *object_id;    /* may be NULL */
	const char *detail;       /* short, never case content; may be NULL */
};

struct audit_signer {
	const struct signkey *key;  /* must hold the secret */
	int interval;               /* entries between checkpoints, >= 1 */
};

/* Appends one entry. Must run inside the caller's write transaction, so that the
 * act and its record commit or vanish together. Returns 0 or -1 (db error). */
int audit_append(db_t *db, const struct audit_signer *s, const struct audit_entry *e);
/* audit_append of an act by signed-in account actor_id ("user:42") on the
 * object object_type/object_id (an id of that type); detail may be NULL. The
 * one way every feature's store names its actor and object. */
int audit_append_user(db_t *db, const struct audit_signer *s, int64_t actor_id,
		      const char *action, const char *object_type, int64_t object_id,
		      const char *detail);

struct audit_report {
	int64_t entries;       /* entries checked */
	int64_t checkpoints;   /* checkpoints checked */
	int64_t bad_seq;       /* first broken entry, 0 if none */
	char reason[300];      /* what is wrong with it */
	unsigned char head[AUDIT_HASH_BYTES]; /* hash of the newest entry, when intact */
};

/* Verifies the whole trail against the trusted public key pk. Returns 0 when the
 * trail is intact, 1 when it is broken (see r->bad_seq and r->reason), -1 on a
 * database error. */
int audit_verify(db_t *db, const unsigned char pk[SIGNKEY_PUBLIC_BYTES],
		 struct audit_report *r);

/* Computes the hash of one entry (exposed for tests). */
void audit_hash(const unsigned char prev[AUDIT_HASH_BYTES], int64_t seq, const char *at,
		const struct audit_entry *e, unsigned char out[AUDIT_HASH_BYTES]);

#endif
