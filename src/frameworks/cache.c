/* cache.c: parsed framework revisions (cache.h). A mutex guards the table
 * and the reference counts; parsing happens outside it, so a slow parse
 * holds up no other reader (two threads may parse the same revision at once
 * the first time; the second one's copy is simply dropped). */
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "frameworks/cache.h"

#define HASH_LEN 16

struct fw_cache_entry {
	struct framework f;
	int64_t id;
	unsigned char hash[HASH_LEN];
	unsigned refs;       /* readers holding it, plus one while in the table */
	uint64_t used;       /* tick of the last get, for eviction */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fw_cache_entry *table[FW_CACHE_MAX];
static uint64_t tick;
static atomic_uint_fast64_t parses;

/* Drops one reference; the caller holds the lock. Returns the entry when it
 * is to be freed (outside the lock), else NULL. */
static struct fw_cache_entry *unref(struct fw_cache_entry *e)
{
	return --e->refs == 0 ? e : NULL;
}

static void entry_free(struct fw_cache_entry *e)
{
	if (!e)
		return;
	framework_free(&e->f);
	free(e);
}

/* The entry for (id, hash) with a reference taken, or NULL. Lock held. */
static struct fw_cache_entry *find(int64_t id, const unsigned char *hash)
{
	for (size_t i = 0; i < FW_CACHE_MAX; i++) {
		struct fw_cache_entry *e = table[i];
		if (e && e->id == id && memcmp(e->hash, hash, HASH_LEN) == 0) {
			e->refs++;
			e->used = ++tick;
			return e;
		}
	}
	return NULL;
}

int frameworks_get(db_t *db, int64_t version_id, struct fw_handle *h)
{
	char *body;
	size_t len;
	unsigned char hash[HASH_LEN];
	h->f = NULL;
	h->e = NULL;
	int rc = frameworks_body(db, version_id, &body, &len);
	if (rc != 0)
		return rc;
	crypto_generichash(hash, sizeof hash, (const unsigned char *)body, len, NULL, 0);

	pthread_mutex_lock(&lock);
	struct fw_cache_entry *e = find(version_id, hash);
	pthread_mutex_unlock(&lock);
	if (e) {
		free(body);
		h->e = e;
		h->f = &e->f;
		return 0;
	}

	struct fw_cache_entry *n = xcalloc(1, sizeof *n);
	char err[300];
	rc = framework_parse(body, len, &n->f, err, sizeof err);
	free(body);
	atomic_fetch_add(&parses, 1);
	if (rc != 0) {
		free(n);
		return db_fail(db, DBE_GENERIC, "framework revision %" PRId64 " does not read: %s",
			       version_id, err);
	}
	n->id = version_id;
	memcpy(n->hash, hash, HASH_LEN);
	n->refs = 2; /* the table's and this reader's */

	struct fw_cache_entry *drop = NULL;
	pthread_mutex_lock(&lock);
	e = find(version_id, hash);
	if (e) {
		/* another thread parsed it meanwhile: use that one */
		drop = n;
		n = e;
	} else {
		size_t slot = 0;
		for (size_t i = 0; i < FW_CACHE_MAX; i++) {
			if (!table[i]) {
				slot = i;
				break;
			}
			if (table[i]->used < table[slot]->used)
				slot = i;
		}
		if (table[slot])
			drop = unref(table[slot]);
		n->used = ++tick;
		table[slot] = n;
	}
	pthread_mutex_unlock(&lock);
	entry_free(drop);
	h->e = n;
	h->f = &n->f;
	return 0;
}

void frameworks_put(struct fw_handle *h)
{
	if (!h->e)
		return;
	pthread_mutex_lock(&lock);
	struct fw_cache_entry *drop = unref(h->e);
	pthread_mutex_unlock(&lock);
	entry_free(drop);
	h->e = NULL;
	h->f = NULL;
}

void frameworks_cache_clear(void)
{
	struct fw_cache_entry *drop[FW_CACHE_MAX] = {0};
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < FW_CACHE_MAX; i++) {
		if (table[i])
			drop[i] = unref(table[i]);
		table[i] = NULL;
	}
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < FW_CACHE_MAX; i++)
		entry_free(drop[i]);
}

uint64_t frameworks_cache_parses(void)
{
	return atomic_load(&parses);
}
