/* accounts.h: users, their roles per organisation, passwords and the keys
 * behind them; the face of src/accounts (sessions, TOTP and recovery-code
 * helpers have their own headers beside this one).
 *
 *   model.c     pure rules: roles and which need 2FA, usernames, display
 *               names, the lock-out schedule
 *   password.c  the password policy and the list of common passwords
 *   store.c     the SQL: accounts, roles, sign-in, 2FA secrets, recovery codes,
 *               every change in one transaction with its audit entry
 *   demo.c      the demo accounts of data/demo/accounts.json
 *
 * Keys (DESIGN §3, src/crypto/vault.h): each account has an X25519 key pair;
 * the secret half is stored wrapped under a key derived from the password, and
 * so is the TOTP secret. Signing in hands both to the caller, who keeps them
 * only as long as needed and wipes them. Without the password the server
 * cannot open either: an administrator's password reset therefore makes a new
 * key pair and clears 2FA.
 *
 * Roles are held per organisation: a role row points at one org row (the
 * organisation as it is when the role is given). Following a later rename or
 * split of that organisation is not done here (docs/roles.md).
 *
 * Strings are UTF-8 and NUL-terminated; every input is checked against the
 * limits below and refused, not cut. Messages are plain English for operators;
 * the web layer translates what it shows. */
#ifndef ACCOUNTS_ACCOUNTS_H
#define ACCOUNTS_ACCOUNTS_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "crypto/audit.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define ACCOUNT_USERNAME_MIN 3
#define ACCOUNT_USERNAME_MAX 64      /* bytes: [a-z0-9._-], starting with a letter */
#define ACCOUNT_DISPLAY_MAX 200      /* bytes of UTF-8 */
#define ACCOUNT_PASSWORD_MIN 12      /* characters (code points) */
#define ACCOUNT_PASSWORD_MAX 256     /* bytes */
#define ACCOUNT_KEY_BYTES 32         /* X25519 public and secret key */
#define ACCOUNT_TOTP_SECRET_BYTES 20 /* equals TOTP_SECRET_BYTES of accounts/totp.h */
#define ACCOUNT_RECOVERY_HASH_BYTES 32
#define ACCOUNT_RECOVERY_MAX 16      /* codes stored at once */
#define ACCOUNT_MAX_ROLES 64         /* role rows per account */
#define ACCOUNT_LOCK_AFTER 5         /* consecutive failures before a lock */
#define ACCOUNT_LOCK_FIRST 60        /* seconds of the first lock, doubling after */
#define ACCOUNT_LOCK_MAX 3600        /* seconds: the longest lock */
#define ACCOUNT_COMMON_FILE "passwords/common.txt" /* under the data folder */

/* ---- model.c: roles (shared/domain §2) ---- */

enum role {
	ROLE_REPORTER,
	ROLE_CONFIDENTIAL_ADVISER,
	ROLE_MANAGER,
	ROLE_INTEGRITY_COORDINATOR,
	ROLE_INVESTIGATOR,
	ROLE_COMPETENT_AUTHORITY,
	ROLE_COORDINATOR,
	ROLE_IPIM_MEMBER,
	ROLE_AUDITOR,
	ROLE_ADMINISTRATOR,
	ROLE_COUNT
};

/* "integrity_coordinator": the name stored and typed on the command line. */
const char *role_name(enum role r);
/* Parses a role name (exact, lower case). Returns 0, or -1 for anything else. */
int role_parse(const char *s, enum role *out);
/* "Integrity coordinator": an English label, also the gettext msgid the web
 * layer translates. */
const char *role_label(enum role r);
/* One bit per role, for route tables: role_mask(ROLE_AUDITOR) | ... */
unsigned role_mask(enum role r);
/* 1 if holders of the role must sign in with a second factor: every role that
 * can read case content, and the administrator. */
int role_needs_2fa(enum role r);
/* Replaces which roles need a second factor: a comma-separated list of role
 * names ("none" for no role, "default" for the built-in table). Call at
 * start-up, before threads. Returns 0, or -1 with the bad name in err. */
int role_set_2fa(const char *list, char *err, size_t errlen);

/* ---- model.c: names and rules ---- */

/* How a refusal is classed, so that callers can pick an exit code or status. */
enum account_errcode {
	ACCOUNT_OK = 0,
	ACCOUNT_EINVALID,    /* malformed input, or a password the policy refuses */
	ACCOUNT_ECONFLICT,   /* well-formed but contradicts the data: name taken, role held */
	ACCOUNT_ENOTFOUND,   /* no such account, organisation or role assignment */
	ACCOUNT_EPASSWORD,   /* the current password given is wrong */
	ACCOUNT_ELOCKED,     /* too many wrong passwords: try again later */
	ACCOUNT_EDB,         /* the database failed or holds damaged data; see db_error() */
	ACCOUNT_EINTERNAL,   /* misuse: accounts_init was not called */
	ACCOUNT_ECODE,       /* the second factor given is wrong or was used already */
};

struct account_error {
	int code;            /* enum account_errcode */
	char msg[300];
};

/* Checks a username and writes its stored form (lower case) to out: 3-64
 * characters of a-z, 0-9, '.', '_' and '-', starting with a letter; upper case
 * is accepted and folded. Returns 0, or -1 with e set (ACCOUNT_EINVALID). */
int account_check_username(const char *s, char out[ACCOUNT_USERNAME_MAX + 1],
			   struct account_error *e);
/* Checks a display name: 1-200 bytes of UTF-8 without control characters. */
int account_check_display_name(const char *s, struct account_error *e);
/* Seconds an account stays locked after its failures-th consecutive failure:
 * 0 below ACCOUNT_LOCK_AFTER, then 60, 120, 240, ... at most 3600. */
int64_t account_lock_seconds(int64_t failures);

/* ---- password.c: the password policy ---- */

/* The common-password list: one password per line, '#' starts a comment line,
 * compared without regard to case. Opaque; read-only once loaded, so that
 * threads may share it. */
struct account_wordlist;

#define ACCOUNT_WORDLIST_MAX_BYTES (256 * 1024)
#define ACCOUNT_WORDLIST_MAX_WORDS 20000

/* Parses a list from len bytes. Returns 0, or -1 with "line N: reason" in err. */
int account_wordlist_parse(const char *text, size_t len, struct account_wordlist **out,
			   char *err, size_t errlen);
/* Reads and parses the file at path. A missing file is an error: the policy
 * is never silently weaker than documented. */
int account_wordlist_load(const char *path, struct account_wordlist **out, char *err,
			  size_t errlen);
void account_wordlist_free(struct account_wordlist *w);
size_t account_wordlist_size(const struct account_wordlist *w);
/* 1 if pw is on the list (ASCII case ignored), else 0. */
int account_wordlist_has(const struct account_wordlist *w, const char *pw);

/* Applies the policy to a new password for username (stored form): at least
 * 12 characters and at most 256 bytes of valid UTF-8, not on the common list
 * (case ignored), not containing the username (case ignored), not one
 * character repeated. Characters, not bytes, for the minimum: twelve accented
 * letters are no weaker than twelve plain ones. Returns 0, or -1 with e set
 * (ACCOUNT_EINVALID) and a message that says what to do. */
int account_check_password(const struct account_wordlist *common, const char *username,
			   const char *pw, struct account_error *e);

/* ---- store.c: setting up ---- */

/* Loads DATA_DIR/passwords/common.txt for every later policy check. Call once
 * at start-up, before threads; a program that cannot load it must not start.
 * Calling again replaces the list. Returns 0 or -1 with a reason in err. */
int accounts_init(const char *data_dir, char *err, size_t errlen);
/* Frees the list; accounts_create and password changes refuse until the next
 * accounts_init. */
void accounts_shutdown(void);
/* Replaces the clock (seconds since 1970) used for locks and timestamps; NULL
 * restores time(). For tests; not thread-safe. */
void accounts_set_clock(time_t (*now)(void));

/* ---- store.c: accounts ---- */

struct account {
	int64_t id;
	char username[ACCOUNT_USERNAME_MAX + 1];
	char display_name[ACCOUNT_DISPLAY_MAX + 1];
	int disabled;
	int totp_enabled;
	int64_t locked_until;  /* unix seconds; in the past (or 0) when not locked */
};

struct account_role {
	enum role role;
	int64_t org_id;
	char org_code[ORG_CODE_MAX + 1];
	char org_name[ORG_NAME_MAX + 1];
};

/* A role to give: the organisation by its code, looked up as it is today. */
struct account_role_spec {
	enum role role;
	const char *org_code;
};

/* Creates an account with a new X25519 key pair, its secret half wrapped under
 * the password, in one transaction with its audit entry ("account.create"; the
 * password never appears). Writes the new id to *id (may be NULL). Returns 0,
 * or -1 with e set: ACCOUNT_EINVALID (bad name or weak password),
 * ACCOUNT_ECONFLICT (username taken, in any case), ACCOUNT_EDB. */
int accounts_create(db_t *db, const struct audit_signer *s, const char *actor,
		    const char *username, const char *display_name, const char *password,
		    int64_t *id, struct account_error *e);
/* One account to create, for accounts_create_batch. Strings are borrowed. */
struct account_new {
	const char *username;
	const char *display_name;
	const char *password;
	const struct account_role_spec *roles;
	size_t nroles;                 /* at most ACCOUNT_MAX_ROLES */
};

#define ACCOUNT_BATCH_MAX 64

/* Creates n accounts (at most ACCOUNT_BATCH_MAX) with their roles, all in one
 * transaction ("account.create", then "account.role_add" per role): all or
 * nothing. The slow part, one argon2 per password, runs before the write lock
 * is taken. ids (may be NULL) gets the new ids. Errors as accounts_create,
 * and ACCOUNT_ENOTFOUND when an organisation code names nothing today,
 * ACCOUNT_ECONFLICT when a role or username is listed twice. With n > 1 the
 * message starts with the username it is about. */
int accounts_create_batch(db_t *db, const struct audit_signer *s, const char *actor,
			  const struct account_new *a, size_t n, int64_t *ids,
			  struct account_error *e);

enum account_login {
	ACCOUNT_LOGIN_OK,
	ACCOUNT_LOGIN_BAD,       /* unknown username or wrong password: indistinguishable */
	ACCOUNT_LOGIN_LOCKED,    /* too many failures; *locked_until says until when */
	ACCOUNT_LOGIN_DISABLED,  /* right password, but the account is disabled */
	ACCOUNT_LOGIN_ERROR,     /* database failure or damaged key material */
};

/* Signs in: one argon2 derivation, compared in constant time. An unknown or
 * malformed username costs the same derivation and answers BAD, like a wrong
 * password. After ACCOUNT_LOCK_AFTER consecutive failures the account locks
 * (1 minute, doubling per further failure, at most an hour); while locked no
 * password is tried. Success resets the count. Audit entries:
 * "account.login", "account.login_failed" (the account id only when the
 * username exists: a mistyped username may be a password), "account.locked",
 * "account.login_refused" (disabled).
 *
 * On OK: *out is filled, secret_key gets the unwrapped X25519 secret key,
 * *has_totp says whether 2FA is enabled and, if so and totp_secret is not
 * NULL, totp_secret (ACCOUNT_TOTP_SECRET_BYTES) gets the TOTP secret. The
 * caller wipes both. On LOCKED, *locked_until (may be NULL) is set. On
 * anything but OK the outputs are zeroed. */
enum account_login accounts_login(db_t *db, const struct audit_signer *s, const char *username,
				  const char *password, struct account *out,
				  unsigned char secret_key[ACCOUNT_KEY_BYTES],
				  unsigned char *totp_secret, int *has_totp, time_t *locked_until);

/* Reads one account. Return 0 found, 1 not found (also for a malformed
 * username), -1 db error. */
int accounts_get(db_t *db, int64_t id, struct account *out);
int accounts_by_name(db_t *db, const char *username, struct account *out);
/* The X25519 public key of an account, to seal things to it. 0, 1, -1 as above. */
int accounts_public_key(db_t *db, int64_t id, unsigned char pk[ACCOUNT_KEY_BYTES]);
/* Lists accounts ordered by username, those after `after` (NULL: from the
 * start), at most cap; *n gets the count. A page shorter than cap is the last.
 * Returns 0 or -1. */
int accounts_list(db_t *db, const char *after, struct account *out, size_t cap, size_t *n);
/* The roles of an account ordered by role then organisation code, at most
 * cap; *n gets the count (ACCOUNT_MAX_ROLES always suffices). 0 or -1. */
int accounts_roles(db_t *db, int64_t account_id, struct account_role *out, size_t cap,
		   size_t *n);
struct session;
/* The session whose id hashes to id_hash with its account and the account's
 * roles, in one query (session.h's session_load_viewer is the caller): the
 * stored session columns into s (id_hash and key untouched), the account into
 * a with *has_account 1, or *has_account 0 when the account row is gone, and
 * the roles ordered as accounts_roles orders them. Returns 0, 1 when there is
 * no such session, -1 on a database error or a damaged row. */
int accounts_session_row(db_t *db, const unsigned char id_hash[32], struct session *s,
			 struct account *a, int *has_account, struct account_role *roles,
			 size_t cap, size_t *n);
/* The bits of every role in r[0..n). */
unsigned accounts_role_bits(const struct account_role *r, size_t n);
/* 1 if any of the roles needs a second factor. */
int accounts_roles_need_2fa(const struct account_role *r, size_t n);

/* Disables (1) or enables (0) an account ("account.disable" / "account.enable").
 * *changed (may be NULL) is 0 when it already was so; nothing is written then.
 * Sessions are the caller's to end. 0 or -1 (ACCOUNT_ENOTFOUND, ACCOUNT_EDB). */
int accounts_set_disabled(db_t *db, const struct audit_signer *s, const char *actor,
			  int64_t id, int disabled, int *changed, struct account_error *e);
/* Gives a role at the organisation with org_code today ("account.role_add").
 * ACCOUNT_ENOTFOUND: no such account or organisation; ACCOUNT_ECONFLICT: held
 * already, or ACCOUNT_MAX_ROLES reached. */
int accounts_role_add(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		      enum role role, const char *org_code, struct account_error *e);
/* Takes a role away at every organisation row that has (or had) org_code
 * ("account.role_remove"). ACCOUNT_ENOTFOUND when the account does not hold it. */
int accounts_role_remove(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
			 enum role role, const char *org_code, struct account_error *e);

/* The user changes their own password: the old one is checked (a wrong one
 * counts towards the lock like a failed sign-in), the secret key and TOTP
 * secret are rewrapped under the new password, the key pair stays
 * ("account.password_change"). ACCOUNT_EINVALID (policy), ACCOUNT_EPASSWORD,
 * ACCOUNT_ELOCKED, ACCOUNT_ENOTFOUND, ACCOUNT_ECONFLICT (disabled), ACCOUNT_EDB. */
int accounts_change_password(db_t *db, const struct audit_signer *s, const char *actor,
			     int64_t id, const char *old_pw, const char *new_pw,
			     struct account_error *e);
/* An administrator sets a new password without the old one. The old secret
 * key cannot be opened, so a NEW key pair replaces it: whatever was sealed to
 * the old public key is no longer readable by this user until the reporting
 * channel reseals it. 2FA and recovery codes are cleared (the TOTP secret was
 * wrapped under the old password): the user enrols again. The lock is lifted
 * ("account.password_reset"). *totp_cleared (may be NULL) says whether 2FA was
 * on. ACCOUNT_EINVALID, ACCOUNT_ENOTFOUND, ACCOUNT_EDB. */
int accounts_reset_password(db_t *db, const struct audit_signer *s, const char *actor,
			    int64_t id, const char *new_pw, int *totp_cleared,
			    struct account_error *e);

/* ---- store.c: second factor ---- */

/* Turns on 2FA with secret (after the user proved it with a code). The
 * password is needed because the secret is stored wrapped under it; a wrong
 * one counts towards the lock. Replaces an earlier secret and resets the
 * replay counter ("account.totp_enable"). Errors as accounts_change_password. */
int accounts_totp_enable(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
			 const char *password,
			 const unsigned char secret[ACCOUNT_TOTP_SECRET_BYTES],
			 struct account_error *e);
/* Moves 2FA to a new phone for a user who has it on: the password and a
 * current second factor (a code of the current secret, or an unused recovery
 * code) are checked, then, in one transaction, the current code is used up,
 * secret (whose code of time step new_step the caller verified) replaces the
 * old secret with new_step as its replay counter, the n recovery code hashes
 * (1..ACCOUNT_RECOVERY_MAX) replace the old codes, and "account.totp_move" is
 * audited. Nothing changes on any error. A wrong password counts towards the
 * lock (ACCOUNT_EPASSWORD, ACCOUNT_ELOCKED); a wrong or used current code is
 * ACCOUNT_ECODE; 2FA off is ACCOUNT_ECONFLICT (set it up instead);
 * ACCOUNT_EINVALID, ACCOUNT_ENOTFOUND, ACCOUNT_EDB. */
int accounts_totp_move(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		       const char *password, const char *current,
		       const unsigned char secret[ACCOUNT_TOTP_SECRET_BYTES], int64_t new_step,
		       const unsigned char hashes[][ACCOUNT_RECOVERY_HASH_BYTES], size_t n,
		       struct account_error *e);
/* Turns 2FA off and deletes the recovery codes, which only stand in for it
 * ("account.totp_disable"). No password: an administrator does this for a user
 * who lost their phone. ACCOUNT_ENOTFOUND, ACCOUNT_EDB. */
int accounts_totp_disable(db_t *db, const struct audit_signer *s, const char *actor,
			  int64_t id, struct account_error *e);
/* Records that a TOTP code of time step `step` was accepted, atomically
 * refusing a step not greater than the last one recorded: a code works once.
 * Returns 0 recorded, 1 refused (replay, or 2FA not enabled), -1 db error. */
int accounts_totp_check_step(db_t *db, int64_t id, int64_t step);

/* Replaces the account's recovery codes with n hashes (at most
 * ACCOUNT_RECOVERY_MAX; n 0 deletes them) ("account.recovery_set").
 * ACCOUNT_EINVALID, ACCOUNT_ENOTFOUND, ACCOUNT_EDB. */
int accounts_recovery_set(db_t *db, const struct audit_signer *s, const char *actor,
			  int64_t id, const unsigned char hashes[][ACCOUNT_RECOVERY_HASH_BYTES],
			  size_t n, struct account_error *e);
/* Uses up the unused code with this hash, atomically ("account.recovery_used").
 * Returns 0 used, 1 no such unused code, -1 db error. */
int accounts_recovery_use(db_t *db, const struct audit_signer *s, int64_t id,
			  const unsigned char hash[ACCOUNT_RECOVERY_HASH_BYTES]);
/* Counts the unused recovery codes. 0 or -1. */
int accounts_recovery_left(db_t *db, int64_t id, int64_t *n);

/* ---- signin.c: what the sign-in pages and the JSON API share ---- */

/* The outcome of a password sign-in, with what it unlocked. Secrets inside:
 * accounts_signin_wipe it on every path. */
struct account_signin {
	struct account account;
	unsigned char sk[ACCOUNT_KEY_BYTES];          /* the unwrapped X25519 secret key */
	unsigned char totp[ACCOUNT_TOTP_SECRET_BYTES]; /* the TOTP secret, when has_totp */
	int has_totp;
	int need_2fa;      /* one of the account's roles needs a second factor */
	int mfa_done;      /* nothing more to give: no TOTP set up and none needed */
	int must_enrol;    /* a second factor is needed but none is set up yet */
	time_t locked_until;
};

/* accounts_login (same audit entries, same costs) followed by the account's
 * roles, deciding what the second step is. On anything but OK *out is zeroed;
 * a failure to read the roles is ACCOUNT_LOGIN_ERROR. */
enum account_login accounts_signin(db_t *db, const struct audit_signer *s, const char *username,
				   const char *password, struct account_signin *out);
void accounts_signin_wipe(struct account_signin *si);
/* Checks a second-factor code as typed: a recovery code (it has letters) is
 * used up ("account.recovery_used"); a TOTP code is checked against
 * totp_secret (NULL: only recovery codes can pass) and its time step
 * recorded, so that it works once. Returns 1 when it passes, else 0. */
int accounts_second_factor_ok(db_t *db, const struct audit_signer *s, int64_t account_id,
			      const unsigned char *totp_secret, const char *code, time_t now);

/* ---- demo.c ---- */

#define ACCOUNT_DEMO_MAX 64
#define ACCOUNT_DEMO_PASSWORD_LEN 14   /* "xxxx-xxxx-xxxx" */

/* A demo account made, for printing. The password is a secret only in
 * principle (it is printed), but the caller still wipes it. */
struct account_demo_login {
	char username[ACCOUNT_USERNAME_MAX + 1];
	char display_name[ACCOUNT_DISPLAY_MAX + 1];
	char password[ACCOUNT_DEMO_PASSWORD_LEN + 1];
	enum role role;                    /* the first role listed */
	char org_code[ORG_CODE_MAX + 1];
	int needs_2fa;                     /* any of its roles needs 2FA */
};

/* Creates the accounts of a demo file (format at the top of demo.c) with
 * random readable passwords, all in one transaction with audit entries.
 * Fills out[0..*n) (cap at least the number of accounts). Returns 0, or -1
 * with a reason in err and nothing written. */
int accounts_import_demo(db_t *db, const struct audit_signer *s, const char *actor,
			 const char *path, struct account_demo_login *out, size_t cap,
			 size_t *n, char *err, size_t errlen);

#endif
