/* keys.h: the recovery key's custodians, and recovery (DESIGN §3, issue 4):
 * the face of src/keys.
 *
 *   store.c    naming custodians (a new recovery key, split k-of-n, each
 *              share sealed to one custodian's account key; the previous key
 *              retired) and the status of every key
 *   recover.c  giving a successor the reports sealed to a departed handler,
 *              the cases they were on the team of and the keys of the
 *              self-assessments' evidence they held, when k custodians of
 *              each recovery key involved join
 *
 * The crypto is src/crypto/recovery.h and envelope.h; the tables are
 * migration 0006 (recovery_key, recovery_share, report_key.recovery_key_id).
 *
 * What stays secret. The recovery secret key exists in memory only: while it
 * is split (keys_set_custodians) and after k shares recombine it
 * (keys_recovery_finish); it never reaches the database, a log, the audit
 * trail or the output, and it is wiped at once. Opened shares and custodians'
 * unwrapped account keys live in vault_secure_alloc'd memory and are wiped
 * too. What is stored and printed is the public key's fingerprint.
 *
 * Retired keys. A new set of custodians makes a new key and retires the old
 * one, whose shares stay: reports sealed to it remain recoverable by ITS
 * custodians. A recovery that needs several keys asks k custodians of each
 * (one custodian's password opens every share they hold among them).
 *
 * Messages are plain English for operators; nothing here is shown on the web. */
#ifndef KEYS_KEYS_H
#define KEYS_KEYS_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "crypto/recovery.h"
#include "store/db.h"

#define KEYS_FINGERPRINT_LEN 16     /* hex digits shown for a recovery key */
#define KEYS_RECOVER_KEYS_MAX 8     /* recovery keys one recovery may need */

enum keys_errcode {
	KEYS_OK = 0,
	KEYS_EINVALID,    /* malformed input: a bad threshold, username or count */
	KEYS_ENOTFOUND,   /* no such account or organisation */
	KEYS_ECONFLICT,   /* well-formed but contradicts the data: a disabled account, a
			     custodian named twice or not a custodian, too few custodians */
	KEYS_EPASSWORD,   /* a custodian's password is wrong */
	KEYS_ELOCKED,     /* a custodian's account is locked after wrong passwords */
	KEYS_EDAMAGED,    /* stored key material does not open: damaged or tampered with */
	KEYS_EDB,         /* the database failed; db_error() has the reason */
};

struct keys_error {
	int code;         /* enum keys_errcode */
	char msg[400];
};

/* The fingerprint of a recovery public key: the first 8 bytes of its
 * BLAKE2b-256, in lower-case hex. Enough for people to tell keys apart and
 * compare them by phone; it is not a secret. */
void keys_fingerprint(const unsigned char pk[RECOVERY_KEY_BYTES],
		      char out[KEYS_FINGERPRINT_LEN + 1]);

struct keys_custodian {
	int64_t account_id;
	char username[ACCOUNT_USERNAME_MAX + 1];
	unsigned x;          /* the share's number, 1..n */
	int disabled;        /* the account is disabled now */
};

/* A recovery key as stored: never its secret. */
struct keys_key {
	int64_t id;
	unsigned char public_key[RECOVERY_KEY_BYTES];
	char fingerprint[KEYS_FINGERPRINT_LEN + 1];
	unsigned k, n;
	char created_at[TIMESTAMP_LEN + 1];
	char retired_at[TIMESTAMP_LEN + 1];  /* "" for the current key */
	struct keys_custodian custodians[RECOVERY_N_MAX];  /* n of them, by share number */
	int64_t reports;     /* reports whose key is sealed to it */
	int64_t cases;       /* cases whose key is sealed to it (not purged) */
	int64_t assessments; /* assessments whose evidence key is sealed to it */
};

/* ---- store.c ---- */

/* Makes a new recovery key: a fresh key pair whose secret half is split
 * k-of-n (n = the number of usernames) and each share sealed to one
 * custodian's account public key; stores the key and its shares, retires the
 * current key (retired_at = now; its shares stay) and appends
 * "keys.custodians" (object recovery_key <id>; detail k, n, the custodians'
 * account ids and the retired key's id), all in one transaction. The secret
 * key and the shares are wiped before returning. usernames: 2 <= k <= n <= 16,
 * distinct (case ignored), each naming an enabled account. Fills *out (may
 * be NULL) with the new key. Returns 0, or -1 with e set and nothing written:
 * KEYS_EINVALID (k or n out of range, a malformed or repeated username),
 * KEYS_ENOTFOUND (no such account), KEYS_ECONFLICT (a disabled account),
 * KEYS_EDAMAGED (an account's public key is unusable), KEYS_EDB. */
int keys_set_custodians(db_t *db, const struct audit_signer *s, const char *actor, unsigned k,
			const char *const *usernames, size_t n, struct keys_key *out,
			struct keys_error *e);

/* Every recovery key, the current one first, then retired ones newest
 * first, each with its custodians and the number of reports sealed to it. */
struct keys_status {
	struct keys_key *keys;   /* malloc'd; NULL when there are none */
	size_t nkeys;
	int64_t reports;         /* reports in the database */
	int64_t purged;          /* of those, purged: no content left, nothing to open */
	int64_t unsealed;        /* reports with content sealed to no recovery key: not
				    recoverable (purged ones are not counted) */
};

/* Fills *out in one read snapshot. Returns 0, or -1 with e set
 * (KEYS_EDAMAGED for a malformed stored key, KEYS_EDB). */
int keys_status(db_t *db, struct keys_status *out, struct keys_error *e);
void keys_status_free(struct keys_status *st);

/* ---- recover.c ---- */

/* A recovery key that a recovery needs, and how far its custodians are. */
struct keys_need {
	struct keys_key key;     /* custodians included; reports, cases, assessments: how
				    many it opens here */
	unsigned joined;         /* shares opened so far */
};

/* What a recovery will do, computed by keys_recovery_begin. "Sealed to FROM"
 * means FROM's account holds a sealed key row for the report (within the
 * organisation when one is given).
 *
 * Cases (src/cases): the cases FROM is a current member of (not purged;
 * within the organisation when one is given) are resealed too: the case key
 * sealed to the recovery key (ENVELOPE_CASE_RECOVERY) is sealed to TO, who
 * joins the team, in FROM's role when TO holds the organisation role it
 * needs (coordinator: integrity_coordinator; investigator: investigator) at
 * the case's organisation or the department above it, else in the other
 * role when TO holds that one. A case is left out when the reporter of one
 * of its reports excluded TO, as that report itself would be.
 *
 * Assessments (src/assess): the assessments whose evidence key is sealed to
 * FROM (of the department that has the organisation's code, when one is
 * given) are resealed too: the key sealed to the recovery key
 * (ENVELOPE_ASSESS_RECOVERY) is sealed to TO when TO may hold it (src/assess
 * decides: an integrity coordinator or manager of the department or a unit
 * under it, or the coordinator whose scope holds it). Nobody excludes
 * anyone from an assessment. */
struct keys_plan {
	struct account from, to;
	char org_code[ORG_CODE_MAX + 1];  /* "" for every organisation */
	int64_t sealed;          /* reports sealed to FROM */
	int64_t todo;            /* of which will be sealed to TO */
	int64_t already;         /* TO holds their key already (never when FROM is TO) */
	int64_t no_role;         /* TO holds no handler role at their organisation */
	int64_t recused;         /* the reporter excluded TO */
	int64_t unrecoverable;   /* sealed to no recovery key */
	int64_t cases;           /* cases FROM is on the team of */
	int64_t cases_todo;      /* of which TO will join */
	int64_t cases_already;   /* TO is on the team already (never when FROM is TO) */
	int64_t cases_no_role;   /* TO is no integrity coordinator or investigator there */
	int64_t cases_recused;   /* the reporter of a report in the case excluded TO */
	int64_t cases_unrecoverable;  /* the case key is sealed to no recovery key */
	int64_t assessments;     /* assessments whose evidence key is sealed to FROM */
	int64_t assessments_todo;     /* of which will be sealed to TO */
	int64_t assessments_already;  /* TO holds their key already (never when FROM is TO) */
	int64_t assessments_no_role;  /* TO may not hold their key */
	int64_t assessments_unrecoverable;  /* sealed to no recovery key */
	struct keys_need needs[KEYS_RECOVER_KEYS_MAX];
	size_t nneeds;           /* keys whose custodians must join (0 when todo,
				    cases_todo and assessments_todo are 0) */
};

/* A recovery in progress: the plan and the shares opened so far (in secure
 * memory). Opaque. */
struct keys_recovery;

/* Starts a recovery of the reports sealed to account from_user for account
 * to_user, optionally only those of the organisation that has or had the
 * code org_code (and of its units; NULL or "" for all). TO must be enabled;
 * FROM may be disabled (the usual case) or TO itself (after an
 * administrator's password reset gave TO a new key pair, their reports are
 * resealed to it). Nothing is written. Returns 0 with *out, or -1 with e:
 * KEYS_EINVALID, KEYS_ENOTFOUND (no such account or organisation),
 * KEYS_ECONFLICT (TO is disabled; more than KEYS_RECOVER_KEYS_MAX keys
 * needed), KEYS_EDAMAGED, KEYS_EDB. */
int keys_recovery_begin(db_t *db, const char *from_user, const char *to_user,
			const char *org_code, struct keys_recovery **out, struct keys_error *e);
const struct keys_plan *keys_recovery_plan(const struct keys_recovery *r);
/* 1 when every needed key has k shares opened, else 0. */
int keys_recovery_ready(const struct keys_recovery *r);

/* One custodian joins: their password is checked as a sign-in is
 * (accounts_login: a wrong one counts towards the account's lock, and each
 * attempt is in the audit trail), their secret key unwrapped, and their share
 * of every needed key still short of k opened. Nothing of the recovery is
 * written. Returns 0, or -1 with e set and r unchanged: KEYS_EINVALID,
 * KEYS_ENOTFOUND (no such account), KEYS_ECONFLICT (joined already; holds no
 * share of a key still short of custodians; disabled; a share that does not
 * open because the custodian's key pair was replaced by a password reset),
 * KEYS_EPASSWORD, KEYS_ELOCKED, KEYS_EDAMAGED, KEYS_EDB. */
int keys_recovery_join(db_t *db, const struct audit_signer *s, struct keys_recovery *r,
		       const char *username, const char *password, struct keys_error *e);

/* Reports (and cases, assessments) left out, with why. */
enum keys_skip {
	KEYS_SKIP_NO_ROLE = 1,     /* TO holds no handler role at its organisation (for a
				      case: no coordinator or investigator role there; for
				      an assessment: may not hold its key) */
	KEYS_SKIP_RECUSED,         /* the reporter excluded TO (of a report in the case) */
	KEYS_SKIP_UNRECOVERABLE,   /* sealed to no recovery key */
	KEYS_SKIP_NOT_JOINED,      /* sealed to a key whose custodians did not join (new
				      since the plan) */
};

struct keys_skipped {
	int64_t report_id;       /* the case's id in cases_skipped, the assessment's in
				    assessments_skipped */
	int why;                 /* enum keys_skip */
};

struct keys_result {
	int64_t resealed;        /* sealed key rows written for TO */
	int64_t already;
	struct keys_skipped *skipped;  /* malloc'd, by report id */
	size_t nskipped;
	int64_t cases_resealed;  /* cases whose key was sealed to TO (TO joined the team) */
	int64_t cases_already;
	struct keys_skipped *cases_skipped;  /* malloc'd, by case id */
	size_t ncases_skipped;
	int64_t assessments_resealed;  /* assessments whose key was sealed to TO */
	int64_t assessments_already;
	struct keys_skipped *assessments_skipped;  /* malloc'd, by assessment id */
	size_t nassessments_skipped;
};

/* Recombines every needed key (checked against its public key), then in one
 * write transaction re-reads the reports (the plan may be minutes old), opens
 * each one's recovery seal, seals its key to TO's public key (a new 'account'
 * row; when FROM is TO, the row is replaced) and appends "keys.recover"
 * (object account <TO>; detail FROM, TO, the organisation, the number of
 * reports, cases and assessments resealed, the keys and the custodians'
 * account ids).
 * Likewise for the cases: each case key's recovery seal is opened and the
 * key sealed to TO, who is added to the team (dated today, with a
 * "case.member-add" entry on the case by actor), or whose own sealed key is
 * replaced when FROM is TO. Likewise for the assessments: each evidence
 * key's recovery seal is opened and the key sealed to TO (or TO's copy
 * replaced when FROM is TO), with an "assess.key_share" entry by actor on
 * the assessment naming TO and FROM. Recombined keys, report, case and
 * assessment keys are wiped. Reports TO may not handle, or that no
 * joined key opens, are left out and listed in *res. When nothing is left to
 * reseal no custodian is needed and nothing is written. Returns 0, or -1
 * with e set and nothing written: KEYS_ECONFLICT (too few custodians of a
 * key: the message names it and who may join), KEYS_EDAMAGED (shares that do
 * not recombine, a recovery seal that does not open), KEYS_EDB. The caller
 * frees res with keys_result_free. */
int keys_recovery_finish(db_t *db, const struct audit_signer *s, const char *actor,
			 struct keys_recovery *r, struct keys_result *res, struct keys_error *e);
void keys_result_free(struct keys_result *res);

/* Wipes the shares and frees r. NULL is ignored. */
void keys_recovery_free(struct keys_recovery *r);

#endif
