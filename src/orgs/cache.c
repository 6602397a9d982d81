/* cache.c: one organisation tree in memory, under the mark it was loaded
 * with (cache.h). A mutex guards it: a copy of a few hundred rows under the
 * lock costs microseconds, and the tree is replaced only after a change.
 * The entry held is the last one put: a reader on an older snapshot that
 * loads an older tree replaces a newer one, which costs the next request a
 * reload but never gives it a wrong tree, since the stamps differ. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "orgs/cache.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int held;                      /* whether tree and mark are set */
static struct orgs_mark held_mark;
static struct org_table tree;         /* owned copy; rows and links exact-sized */
static atomic_uint_fast64_t loads;
/* The last mark known to be the database's, and when (orgs_cache_clock):
 * under lock. */
static int recent_set;
static unsigned char recent_stamp[ORGS_STAMP_LEN];
static int64_t recent_at;
static int64_t forgot_at = -1; /* confirmations from reads begun before are void */
static atomic_int recent_ms = ORGS_RECENT_MS;

int orgs_mark_read(db_t *db, struct orgs_mark *m)
{
	db_stmt_t *st;
	memset(m, 0, sizeof *m);
	if (db_prepare(db, "SELECT n, stamp FROM org_generation WHERE id = 1", &st) != 0)
		return -1;
	int s = db_step(st);
	if (s != DB_ROW || db_col_bytes(st, 1) != ORGS_STAMP_LEN) {
		db_finalize(st);
		if (s < 0)
			return -1;
		return db_fail(db, DBE_GENERIC, "the organisation tree's change mark is missing or "
			       "damaged: restore the database from a backup");
	}
	m->n = db_col_i64(st, 0);
	memcpy(m->stamp, db_col_blob(st, 1), ORGS_STAMP_LEN);
	db_finalize(st);
	return 0;
}

static int same(const struct orgs_mark *m)
{
	return held && memcmp(held_mark.stamp, m->stamp, ORGS_STAMP_LEN) == 0;
}

/* Fills dst, an empty table, with a copy of src: one allocation per array. */
static void copy_into(struct org_table *dst, const struct org_table *src)
{
	if (src->nrows) {
		dst->rows = xmalloc(src->nrows * sizeof *dst->rows);
		memcpy(dst->rows, src->rows, src->nrows * sizeof *dst->rows);
	}
	if (src->nlinks) {
		dst->links = xmalloc(src->nlinks * sizeof *dst->links);
		memcpy(dst->links, src->links, src->nlinks * sizeof *dst->links);
	}
	dst->nrows = dst->rows_cap = src->nrows;
	dst->nlinks = dst->links_cap = src->nlinks;
}

int orgs_cache_copy(const struct orgs_mark *m, struct org_table *t)
{
	if (t->nrows || t->nlinks)
		return 0; /* only an empty table is filled from the cache */
	pthread_mutex_lock(&lock);
	int hit = same(m);
	if (hit)
		copy_into(t, &tree);
	pthread_mutex_unlock(&lock);
	return hit;
}

int orgs_cache_find_at(const struct orgs_mark *m, const char *code, const char *date,
		       struct org *out)
{
	int rc = -1;
	pthread_mutex_lock(&lock);
	if (same(m)) {
		const struct org *o = org_find_at(&tree, code, date);
		if (o)
			*out = *o;
		rc = o != NULL;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void orgs_cache_put(const struct orgs_mark *m, const struct org_table *t)
{
	struct org_table copy, old;
	org_table_init(&copy);
	copy_into(&copy, t);
	pthread_mutex_lock(&lock);
	old = tree;
	tree = copy;
	held_mark = *m;
	held = 1;
	pthread_mutex_unlock(&lock);
	org_table_free(&old);
}

int64_t orgs_cache_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* not the wall clock: it may step back */
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int orgs_cache_copy_recent(struct org_table *t)
{
	if (t->nrows || t->nlinks)
		return 0;
	int64_t now = orgs_cache_clock();
	pthread_mutex_lock(&lock);
	/* the tree held must be the one confirmed: a reader on an older
	 * snapshot may have put an older tree since (see the top) */
	int hit = held && recent_set && now - recent_at < atomic_load(&recent_ms) &&
		  memcmp(held_mark.stamp, recent_stamp, ORGS_STAMP_LEN) == 0;
	if (hit)
		copy_into(t, &tree);
	pthread_mutex_unlock(&lock);
	return hit;
}

int orgs_cache_recent_stamp(struct org_table *t, unsigned char stamp[ORGS_STAMP_LEN])
{
	if (t && (t->nrows || t->nlinks))
		return 0;
	int64_t now = orgs_cache_clock();
	pthread_mutex_lock(&lock);
	/* the same test as orgs_cache_copy_recent's, so that the stamp and the
	 * copy are of one tree (taken under one lock) */
	int hit = held && recent_set && now - recent_at < atomic_load(&recent_ms) &&
		  memcmp(held_mark.stamp, recent_stamp, ORGS_STAMP_LEN) == 0;
	if (hit) {
		memcpy(stamp, held_mark.stamp, ORGS_STAMP_LEN);
		if (t)
			copy_into(t, &tree);
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void orgs_cache_confirmed(const struct orgs_mark *m, int64_t at)
{
	pthread_mutex_lock(&lock);
	/* a slower reader does not set it back; a read begun before this
	 * process's own change (same millisecond included) may hold the old mark */
	if (at > forgot_at && (!recent_set || at >= recent_at)) {
		memcpy(recent_stamp, m->stamp, ORGS_STAMP_LEN);
		recent_at = at;
		recent_set = 1;
	}
	pthread_mutex_unlock(&lock);
}

void orgs_cache_forget_recent(void)
{
	int64_t now = orgs_cache_clock();
	pthread_mutex_lock(&lock);
	recent_set = 0;
	forgot_at = now;
	pthread_mutex_unlock(&lock);
}

void orgs_cache_set_recent_ms(int ms)
{
	atomic_store(&recent_ms, ms);
}

void orgs_cache_clear(void)
{
	struct org_table old;
	pthread_mutex_lock(&lock);
	old = tree;
	org_table_init(&tree);
	held = 0;
	recent_set = 0;
	pthread_mutex_unlock(&lock);
	org_table_free(&old);
}

uint64_t orgs_cache_loads(void)
{
	return atomic_load(&loads);
}

void orgs_cache_count_load(void)
{
	atomic_fetch_add(&loads, 1);
}
