/* session.h: signed-in sessions, stored in the database so that any server
 * node can serve them.
 *
 * The cookie carries a 256-bit session id and a 256-bit session key. The
 * database keeps only a hash of the id (a dump reveals no live session) and
 * the user's X25519 secret key wrapped under the session key, which exists
 * nowhere but in the cookie (DESIGN §3): neither the database nor the cookie
 * alone opens it. The CSRF token is derived from the session key, so it needs
 * no storage. */
#ifndef ACCOUNTS_SESSION_H
#define ACCOUNTS_SESSION_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store/db.h"

#define SESSION_COOKIE "probity_session"
#define SESSION_TOKEN_LEN 86  /* base64url of 64 bytes, unpadded */
#define SESSION_CSRF_LEN 43   /* base64url of 32 bytes, unpadded */
#define SESSION_KEY_BYTES 32

struct session_limits {
	int idle_seconds;      /* ended after this long without a request */
	int absolute_seconds;  /* ended this long after sign-in, whatever happens */
};

struct session {
	unsigned char id_hash[32];
	unsigned char key[SESSION_KEY_BYTES]; /* from the cookie; never stored */
	int64_t account_id;
	int64_t created, last_seen;
	char lang[3];
	int mfa_done;     /* the second factor was given, or is not needed */
	int must_enrol;   /* the user's roles need 2FA and none is set up yet */
};

/* The token in a cookie or bearer header, for these sessions and the
 * reporters' receipt sessions (intake/rsession.c) alike: 64 random bytes, a
 * 256-bit id and a 256-bit key, as unpadded base64url. The database keeps
 * only a hash of the id, keyed with a domain of each kind's own, so that a
 * token of one kind never finds a row of the other. */
/* Makes a fresh token: its text into token, the hash of its id under domain
 * into id_hash and its key into key. */
void session_token_new(const char *domain, char token[SESSION_TOKEN_LEN + 1],
		       unsigned char id_hash[32], unsigned char key[SESSION_KEY_BYTES]);
/* Splits a token that session_token_new made (token may be NULL). Returns 0,
 * or -1 with id_hash and key wiped when it is not a token. */
int session_token_split(const char *domain, const char *token, unsigned char id_hash[32],
			unsigned char key[SESSION_KEY_BYTES]);

/* Whether a session (of either kind) created and last seen at these times
 * has ended by now: idle too long, too old, or a clock set back (now before
 * created), which leaves its age untrustworthy. */
int session_expired(const struct session_limits *lim, int64_t created, int64_t last_seen,
		    time_t now);

struct account;
struct account_role;
/* session_load with the session's account and its roles (up to cap, ordered
 * as accounts_roles orders them) read in the same single query: what every
 * signed-in request needs. A session past its limits, or whose account is
 * gone or disabled, is deleted and is none. Returns 0, 1 when there is none,
 * -1 on a db error. */
int session_load_viewer(db_t *db, const char *token, const struct session_limits *lim,
			time_t now, struct session *out, struct account *a,
			struct account_role *roles, size_t cap, size_t *nroles);
/* Creates a session for an account after its password was checked, wrapping
 * secret_key (and, until the second factor is given, the TOTP secret) under a
 * fresh session key. Writes the cookie value into token. Returns 0 or -1. */
int session_create(db_t *db, int64_t account_id, const unsigned char secret_key[32],
		   const unsigned char *totp_secret, size_t totp_len, int mfa_done,
		   int must_enrol, const char *lang, time_t now, char token[SESSION_TOKEN_LEN + 1]);
/* Finds the session of a cookie value. Returns 0 with *out filled, 1 when there
 * is none or it has expired (an expired one is deleted), -1 on a db error. */
int session_load(db_t *db, const char *token, const struct session_limits *lim, time_t now,
		 struct session *out);
/* Records activity at most once a minute (sessions are read far more often
 * than they need their clock moved). */
int session_touch(db_t *db, struct session *s, time_t now);
/* Unwraps the user's X25519 secret key into sk (caller wipes). 0 or -1. */
int session_secret_key(db_t *db, const struct session *s, unsigned char sk[32]);
/* Unwraps the TOTP secret kept until the second factor is given. 0, 1 when
 * there is none, -1. */
int session_totp_secret(db_t *db, const struct session *s, unsigned char *out, size_t len);
/* Keeps a TOTP secret in the session, wrapped like the secret key: the one
 * being enrolled, until the user proves it with a code. 0 or -1. */
int session_set_totp(db_t *db, const struct session *s, const unsigned char *secret, size_t len);
/* The second factor was given: forget the TOTP secret, mark the session. */
int session_mfa_done(db_t *db, struct session *s);
int session_set_lang(db_t *db, struct session *s, const char *lang);
int session_destroy(db_t *db, const struct session *s);
/* Ends every session of an account (password change, disabling). */
int session_destroy_account(db_t *db, int64_t account_id);
/* Deletes sessions past their limits; returns the number deleted or -1. */
int64_t session_purge(db_t *db, const struct session_limits *lim, time_t now);
/* The CSRF token of a session, NUL-terminated. */
void session_csrf(const struct session *s, char out[SESSION_CSRF_LEN + 1]);
/* Constant-time check of a submitted token. Returns 1 when it matches. */
int session_csrf_ok(const struct session *s, const char *token);

#endif
