/* throttle.h: token buckets per client, kept in the database (table
 * throttle_bucket, migration 0021) so that every serving node draws on one
 * budget: with the buckets in each process's memory, N nodes behind nginx
 * would give an attacker N times the attempts.
 *
 * Keys are the keyed client hashes of http.c, never addresses. A row exists
 * only while its bucket is short of full (a client that failed recently);
 * writes remove full rows as they go. The table is bounded: once a bucket
 * name holds THROTTLE_CAP rows (an attacker rotating addresses), keys without
 * a row share one overflow bucket until it is full again, which slows the
 * unknown clients together rather than growing the table without limit.
 *
 * Times are wall-clock seconds (throttle_now), since the nodes share no
 * monotonic clock; a clock that steps back is taken as no time passing.
 *
 * A database error denies: both calls return THROTTLE_EDB, and the caller
 * refuses the attempt with a plain message (fail closed: an attacker who can
 * make the database slow must not get unlimited guesses by it). */
#ifndef WEB_THROTTLE_H
#define WEB_THROTTLE_H
#include <stdint.h>

#include "store/db.h"
#include "web/http.h"

#define THROTTLE_CAP 10000  /* rows per bucket name before the overflow bucket */
#define THROTTLE_PRUNE 64   /* full rows removed at most per write */
#define THROTTLE_EDB (-1)   /* the database could not be asked: deny */

struct throttle {
	const char *name; /* the bucket's name in the table, a static string */
	double burst;     /* attempts allowed at once */
	double per_sec;   /* attempts regained per second */
	int64_t cap;      /* THROTTLE_CAP; smaller in tests */
};

/* The key of a bucket that every client shares (a global limit beside the
 * per-client one). */
extern const unsigned char throttle_everyone[HTTP_CLIENT_KEY_BYTES];
/* The key that unknown clients share once the table is at its cap. */
extern const unsigned char throttle_overflow[HTTP_CLIENT_KEY_BYTES];

/* Wall-clock seconds (CLOCK_REALTIME): the one clock all nodes have. */
double throttle_now(void);

/* name: a short static string naming the bucket (at most 32 bytes). */
void throttle_init(struct throttle *t, const char *name, double burst, double per_sec);
void throttle_free(struct throttle *t);

/* Takes one token for key at time now, in one short transaction on db (which
 * must have none open). Returns 0 when allowed, the whole seconds to wait
 * before the next attempt, or THROTTLE_EDB. */
int throttle_take(const struct throttle *t, db_t *db, const unsigned char key[HTTP_CLIENT_KEY_BYTES],
		  double now);
/* Whether key may try now, without taking a token: for limits that count only
 * failures (take one when the attempt fails). 0, the seconds to wait, or
 * THROTTLE_EDB. Reads only. */
int throttle_wait(const struct throttle *t, db_t *db, const unsigned char key[HTTP_CLIENT_KEY_BYTES],
		  double now);

/* The arithmetic alone (pure; unit-tested): brings a bucket holding tokens,
 * last brought up to date at *at, up to now, then takes `take` tokens if one
 * is there. Returns 0 when allowed, else the whole seconds to wait (at least
 * 1). A bucket never holds more than burst; now before *at counts as no
 * time passing. */
int throttle_step(double burst, double per_sec, double *tokens, double *at, double now, int take);

#endif
