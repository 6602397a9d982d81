/* rsession.h: receipt sessions: a reporter signed in with their receipt
 * (issue 4, DESIGN §3), table receipt_session of migration 0007.
 *
 * Modelled on accounts/session.h. The cookie carries a 256-bit session id and
 * a 256-bit session key; the database keeps only a BLAKE2b-256 of the id and
 * the report key wrapped (vault_wrap, purpose "probity-receipt-session-v1",
 * owner the report id) under a key derived from the session key, which exists
 * nowhere but in the cookie. The receipt itself is never kept: it opens the
 * report key once, at creation, and is forgotten. A database dump alone opens
 * no report through these rows; a cookie alone opens nothing either. */
#ifndef INTAKE_RSESSION_H
#define INTAKE_RSESSION_H
#include <stdint.h>
#include <time.h>

#include "accounts/session.h"
#include "intake/intake.h"
#include "store/db.h"

#define INTAKE_RSESSION_COOKIE "probity_receipt"

struct intake_rsession {
	unsigned char id_hash[32];
	unsigned char skey[32];  /* from the cookie; never stored */
	int64_t report_id;
	int64_t created, last_seen;
	char lang[3];            /* "nl" or "en" */
};

/* Opens the report key with a typed receipt and starts a session holding it,
 * wrapped. Writes the cookie value into token and the session into *out.
 * Returns 0, or -1 with e set (token and *out zeroed): INTAKE_EINVALID,
 * INTAKE_EMISTYPED, INTAKE_ENOTFOUND as intake_key_by_receipt,
 * INTAKE_EDAMAGED, INTAKE_EDB. lang other than "en" is "nl". */
int intake_rsession_create(db_t *db, const char *receipt_typed, const char *lang, time_t now,
			   char token[SESSION_TOKEN_LEN + 1], struct intake_rsession *out,
			   struct intake_error *e);
/* Finds the session of a cookie value. Returns 0 with *out filled, 1 when
 * there is none or it is past a limit (an expired one is deleted), -1 on a db
 * error. */
int intake_rsession_load(db_t *db, const char *token, const struct session_limits *lim,
			 time_t now, struct intake_rsession *out);
/* Records activity, at most once a minute. 0 or -1. */
int intake_rsession_touch(db_t *db, struct intake_rsession *s, time_t now);
/* Unwraps the session's report key into *out (the caller wipes it with
 * intake_key_wipe). 0, or -1 (*out zeroed) when the session is gone or the
 * wrapped key does not open with this session key. */
int intake_rsession_key(db_t *db, const struct intake_rsession *s, struct intake_key *out);
/* Ends the session (signing out). 0 or -1. */
int intake_rsession_destroy(db_t *db, const struct intake_rsession *s);
/* Deletes sessions past their limits; returns the number deleted or -1. */
int64_t intake_rsession_purge(db_t *db, const struct session_limits *lim, time_t now);

#endif
