/* throttle.h: token buckets per client, held in memory only. Keys are the
 * keyed client hashes of http.c, never addresses, and nothing is written to
 * disk: the throttle forgets everything at restart, by design. A fixed table
 * bounds memory whatever the number of clients; two clients that share a slot
 * share a bucket, which errs on the side of slowing them. */
#ifndef WEB_THROTTLE_H
#define WEB_THROTTLE_H
#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include "web/http.h"

#define THROTTLE_SLOTS 4096

struct throttle_slot {
	unsigned char key[HTTP_CLIENT_KEY_BYTES];
	double tokens;
	double at;  /* when tokens was last brought up to date */
};

struct throttle {
	double burst;   /* attempts allowed at once */
	double per_sec; /* attempts regained per second */
	pthread_mutex_t lock;
	struct throttle_slot slots[THROTTLE_SLOTS];
};

/* The key of a bucket that every client shares (a global limit beside the
 * per-client one). */
extern const unsigned char throttle_everyone[HTTP_CLIENT_KEY_BYTES];

/* The clock every bucket runs on: seconds of CLOCK_MONOTONIC, which no
 * change of the system's time moves. Callers that share a throttle must all
 * pass this, or one caller's "now" would drain or fill the others' buckets. */
double throttle_now(void);

void throttle_init(struct throttle *t, double burst, double per_sec);
void throttle_free(struct throttle *t);
/* Takes one token for key at time now (seconds). Returns 0 when allowed, else
 * the whole seconds to wait before the next attempt. */
int throttle_take(struct throttle *t, const unsigned char key[HTTP_CLIENT_KEY_BYTES], double now);
/* Whether key may try now, without taking a token: for limits that count only
 * failures (take one when the attempt fails). 0 or the seconds to wait. */
int throttle_wait(struct throttle *t, const unsigned char key[HTTP_CLIENT_KEY_BYTES], double now);

#endif
