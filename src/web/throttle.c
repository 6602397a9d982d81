/* throttle.c: in-memory token buckets. */
#include "web/throttle.h"

#include <time.h>

#include <string.h>

void throttle_init(struct throttle *t, double burst, double per_sec)
{
	memset(t->slots, 0, sizeof t->slots);
	t->burst = burst;
	t->per_sec = per_sec;
	pthread_mutex_init(&t->lock, NULL);
}

void throttle_free(struct throttle *t)
{
	pthread_mutex_destroy(&t->lock);
}

static int update(struct throttle *t, const unsigned char key[HTTP_CLIENT_KEY_BYTES], double now,
		  int take)
{
	/* the key is already a keyed hash: its first bytes are a fair index */
	size_t i = ((size_t)key[0] | (size_t)key[1] << 8) % THROTTLE_SLOTS;
	pthread_mutex_lock(&t->lock);
	struct throttle_slot *s = &t->slots[i];
	if (memcmp(s->key, key, HTTP_CLIENT_KEY_BYTES) != 0) {
		/* another client's bucket: take it over only once it has refilled */
		double refilled = s->tokens + (now - s->at) * t->per_sec;
		if (s->at == 0 || refilled >= t->burst) {
			memcpy(s->key, key, HTTP_CLIENT_KEY_BYTES);
			s->tokens = t->burst;
			s->at = now;
		}
	}
	s->tokens += (now - s->at) * t->per_sec;
	if (s->tokens > t->burst)
		s->tokens = t->burst;
	s->at = now;
	int wait = 0;
	if (s->tokens >= 1)
		s->tokens -= take;
	else
		wait = (int)((1 - s->tokens) / t->per_sec) + 1; /* rounded up, at least 1 */
	pthread_mutex_unlock(&t->lock);
	return wait;
}

int throttle_take(struct throttle *t, const unsigned char key[HTTP_CLIENT_KEY_BYTES], double now)
{
	return update(t, key, now, 1);
}

int throttle_wait(struct throttle *t, const unsigned char key[HTTP_CLIENT_KEY_BYTES], double now)
{
	return update(t, key, now, 0);
}

const unsigned char throttle_everyone[HTTP_CLIENT_KEY_BYTES] = "every client";

double throttle_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
