/* cache.c: a year's dashboard tables, and the page's scores and heat, kept
 * in memory (cache.h). Two tables of entries under one mutex, shared by the server's threads; a hit copies the
 * entry into the request's arena under the lock (some 50 KB: microseconds),
 * a miss loads without the lock and puts its copy afterwards. The least
 * recently used entry makes room, so memory stays within
 * MON_CACHE_ENTRIES entries; entries of an older mark are never matched
 * again and leave the same way. Beside them, the page's figure sections as
 * HTML (mon_html_get), bounded and replaced the same way. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "monitor/cache.h"

#define FW_KEY_MAX 64 /* framework codes are at most 32 bytes (framework.h) */

struct entry {
	int held;
	uint64_t used;               /* tick of the last hit or put */
	struct mon_marks mark;
	struct scope_dept *scope;    /* the key's departments, nscope of them */
	size_t nscope;
	int year, today_tree, threshold;
	char today[DATE_LEN + 1];
	struct mon_dash *d;          /* one allocation: the struct, then its arrays */
};

/* The scores and heat of one page: POD scores, the heat's grid arrays after
 * the struct, in one allocation. */
struct xentry {
	int held;
	uint64_t used;
	struct mon_marks mark;
	struct scope_dept *scope;
	size_t nscope;
	int year, today_tree, threshold;
	char fw[FW_KEY_MAX + 1];
	size_t nscores;
	struct mon_score *scores;    /* in mem */
	struct mon_heat *heat;       /* in mem */
	void *mem;
};

/* A page's figure sections as HTML (cache.h): the key's strings and the
 * bytes in one allocation. */
#define LANG_KEY_MAX 15
struct hentry {
	int held;
	uint64_t used;
	struct mon_marks mark;
	struct scope_dept *scope;
	size_t nscope;
	int totals_only, year, today_tree, threshold;
	char today[DATE_LEN + 1], fw[FW_KEY_MAX + 1], lang[LANG_KEY_MAX + 1];
	char *html;
	size_t len;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry cache[MON_CACHE_ENTRIES];
static struct xentry xcache[MON_CACHE_ENTRIES];
static struct hentry hcache[MON_HTML_ENTRIES];
static uint64_t tick;
static atomic_uint_fast64_t loads;

int mon_marks_read(db_t *db, struct mon_marks *m)
{
	db_stmt_t *st;
	memset(m, 0, sizeof *m);
	if (db_prepare(db, "SELECT o.stamp, m.stamp FROM org_generation o, monitor_generation m "
			   "WHERE o.id = 1 AND m.id = 1", &st) != 0)
		return -1;
	int s = db_step(st);
	if (s != DB_ROW || db_col_bytes(st, 0) != MON_STAMP_LEN ||
	    db_col_bytes(st, 1) != MON_STAMP_LEN) {
		db_finalize(st);
		if (s < 0)
			return -1;
		return db_fail(db, DBE_GENERIC, "the dashboard's change marks are missing or "
			       "damaged: restore the database from a backup");
	}
	memcpy(m->org, db_col_blob(st, 0), MON_STAMP_LEN);
	memcpy(m->counts, db_col_blob(st, 1), MON_STAMP_LEN);
	db_finalize(st);
	return 0;
}

/* ---- deep copies of a mon_dash ----
 * Its grids and the measures' heads point into an arena; the rest (slugs,
 * captions, the fixed tables' heads) are static strings. A bump area with
 * p NULL only measures, so that one pass sizes and one copies. */

struct bump {
	char *p;
	size_t used;
};

static void *take(struct bump *b, size_t n)
{
	size_t at = b->used;
	b->used += (n + 7) & ~(size_t)7; /* every piece 8-aligned */
	return b->p ? b->p + at : NULL;
}

static void deep(const struct mon_dash *src, struct mon_dash *dst, struct bump *b)
{
	if (b->p)
		*dst = *src;
	for (size_t i = 0; i < MON_NTABLES; i++) {
		const struct mon_table *t = &src->t[i];
		if (t->g.n) {
			size_t cells = (t->g.nrows + 1) * (t->g.ncols + 1);
			long long *n = take(b, cells * sizeof *n);
			unsigned char *mark = take(b, cells);
			if (b->p) {
				memcpy(n, t->g.n, cells * sizeof *n);
				memcpy(mark, t->g.mark, cells);
				dst->t[i].g.n = n;
				dst->t[i].g.mark = mark;
			}
		}
		if (t->heads_are_codes && t->heads && t->g.n) {
			const char **h = take(b, t->g.ncols * sizeof *h);
			for (size_t c = 0; c < t->g.ncols; c++) {
				size_t len = strlen(t->heads[c]) + 1;
				char *s = take(b, len);
				if (b->p) {
					memcpy(s, t->heads[c], len);
					h[c] = s;
				}
			}
			if (b->p)
				dst->t[i].heads = h;
		}
	}
}

static size_t deep_size(const struct mon_dash *d)
{
	struct bump b = {NULL, 0};
	deep(d, NULL, &b);
	return b.used;
}

/* ---- the table ---- */

static int same_scope(const struct scope_dept *kept, size_t n, const struct scope *s)
{
	if (n != s->n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct scope_dept *a = &kept[i], *b = &s->dept[i];
		if (a->id != b->id || a->outside_scope != b->outside_scope ||
		    strcmp(a->code, b->code) != 0 || strcmp(a->name, b->name) != 0)
			return 0;
	}
	return 1;
}

/* Whether e holds this key; under mark m, or under any mark when m is NULL. */
static int same_key(const struct entry *e, const struct mon_marks *m, const struct scope *s,
		    int year, int today_tree, const char *today, int threshold)
{
	if (!e->held || e->year != year || e->today_tree != today_tree ||
	    e->threshold != threshold || strcmp(e->today, today) != 0 || e->nscope != s->n ||
	    (m && memcmp(&e->mark, m, sizeof *m) != 0))
		return 0;
	return same_scope(e->scope, e->nscope, s);
}

static void drop(struct entry *e)
{
	free(e->scope);
	free(e->d);
	memset(e, 0, sizeof *e);
}

/* Copies a held entry into the arena: 1 hit, 0 none. */
static int lookup(struct arena *a, const struct mon_marks *m, const struct scope *s, int year,
		  int today_tree, const char *today, int threshold, struct mon_dash *d)
{
	int hit = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MON_CACHE_ENTRIES && !hit; i++) {
		struct entry *e = &cache[i];
		if (!same_key(e, m, s, year, today_tree, today, threshold))
			continue;
		struct bump b = {NULL, 0};
		b.used = deep_size(e->d);
		b.p = arena_alloc(a, b.used ? b.used : 1);
		b.used = 0;
		deep(e->d, d, &b);
		e->used = ++tick;
		hit = 1;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

static void put(const struct mon_marks *m, const struct scope *s, int year, int today_tree,
		const char *today, int threshold, const struct mon_dash *d)
{
	/* the copies are made outside the lock */
	size_t head = (sizeof *d + 7) & ~(size_t)7;
	struct bump b = {NULL, 0};
	b.used = deep_size(d);
	char *mem = xmalloc(head + b.used);
	b.p = mem + head;
	b.used = 0;
	deep(d, (struct mon_dash *)(void *)mem, &b);
	struct entry fresh = {.held = 1, .mark = *m, .nscope = s->n, .year = year,
			      .today_tree = today_tree, .threshold = threshold,
			      .d = (struct mon_dash *)(void *)mem};
	fresh.scope = xmalloc((s->n ? s->n : 1) * sizeof *fresh.scope);
	memcpy(fresh.scope, s->dept, s->n * sizeof *fresh.scope);
	memcpy(fresh.today, today, strnlen(today, DATE_LEN));

	pthread_mutex_lock(&lock);
	struct entry *slot = NULL;
	for (size_t i = 0; i < MON_CACHE_ENTRIES; i++) {
		struct entry *e = &cache[i];
		if (same_key(e, NULL, s, year, today_tree, today, threshold)) {
			slot = e; /* the key under an older mark, or another thread's put */
			break;
		}
		if (!slot || (slot->held && (!e->held || e->used < slot->used)))
			slot = e;
	}
	struct entry old = *slot;
	fresh.used = ++tick;
	*slot = fresh;
	pthread_mutex_unlock(&lock);
	if (old.held)
		drop(&old);
}

int mon_dash_get(db_t *db, struct arena *a, const struct mon_marks *m,
		 const struct scope *scope, int year, int today_tree, const char *today,
		 int threshold, struct mon_dash *d, char *err, size_t errlen)
{
	if (strlen(today) > DATE_LEN) /* a key the cache cannot hold: load it */
		return mon_dash_load(db, a, scope, year, today_tree, today, threshold, d, err,
				     errlen);
	if (lookup(a, m, scope, year, today_tree, today, threshold, d))
		return 0;
	atomic_fetch_add(&loads, 1);
	if (mon_dash_load(db, a, scope, year, today_tree, today, threshold, d, err, errlen) != 0)
		return -1;
	put(m, scope, year, today_tree, today, threshold, d);
	return 0;
}

/* ---- the scores and the heat ---- */

/* Whether x holds this key; under mark m, or any mark when m is NULL. */
static int same_xkey(const struct xentry *x, const struct mon_marks *m, const struct scope *s,
		     const struct mon_dash *d, const char *fw)
{
	return x->held && x->year == d->year && x->today_tree == d->today &&
	       x->threshold == d->threshold && strcmp(x->fw, fw) == 0 &&
	       (!m || memcmp(&x->mark, m, sizeof *m) == 0) && same_scope(x->scope, x->nscope, s);
}

static void xdrop(struct xentry *x)
{
	free(x->scope);
	free(x->mem);
	memset(x, 0, sizeof *x);
}

static size_t heat_cells(const struct mon_heat *h)
{
	return h->g.n ? (h->g.nrows + 1) * (h->g.ncols + 1) : 0;
}

/* Copies scores and heat into a: 1 hit, 0 none. */
static int xlookup(struct arena *a, const struct mon_marks *m, const struct scope *s,
		   const struct mon_dash *d, const char *fw, struct mon_score **scores,
		   struct mon_heat *heat)
{
	int hit = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MON_CACHE_ENTRIES && !hit; i++) {
		struct xentry *x = &xcache[i];
		if (!same_xkey(x, m, s, d, fw) || x->nscores != d->scope.n)
			continue;
		*scores = arena_alloc(a, (x->nscores ? x->nscores : 1) * sizeof **scores);
		memcpy(*scores, x->scores, x->nscores * sizeof **scores);
		*heat = *x->heat;
		size_t cells = heat_cells(x->heat);
		if (cells) {
			heat->g.n = arena_alloc(a, cells * sizeof *heat->g.n);
			heat->g.mark = arena_alloc(a, cells);
			memcpy(heat->g.n, x->heat->g.n, cells * sizeof *heat->g.n);
			memcpy(heat->g.mark, x->heat->g.mark, cells);
		}
		x->used = ++tick;
		hit = 1;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

static void xput(const struct mon_marks *m, const struct scope *s, const struct mon_dash *d,
		 const char *fw, const struct mon_score *scores, const struct mon_heat *heat)
{
	size_t cells = heat_cells(heat), ns = d->scope.n;
	size_t hsize = (sizeof *heat + 7) & ~(size_t)7, ssize = (ns * sizeof *scores + 7) & ~(size_t)7;
	char *mem = xmalloc(hsize + ssize + cells * sizeof *heat->g.n + cells + 1);
	struct mon_heat *h = (struct mon_heat *)(void *)mem;
	struct mon_score *sc = (struct mon_score *)(void *)(mem + hsize);
	*h = *heat;
	memcpy(sc, scores, ns * sizeof *scores);
	if (cells) {
		h->g.n = (long long *)(void *)(mem + hsize + ssize);
		h->g.mark = (unsigned char *)(mem + hsize + ssize + cells * sizeof *heat->g.n);
		memcpy(h->g.n, heat->g.n, cells * sizeof *heat->g.n);
		memcpy(h->g.mark, heat->g.mark, cells);
	}
	struct xentry fresh = {.held = 1, .mark = *m, .nscope = s->n, .year = d->year,
			       .today_tree = d->today, .threshold = d->threshold, .nscores = ns,
			       .scores = sc, .heat = h, .mem = mem};
	memcpy(fresh.fw, fw, strlen(fw));
	fresh.scope = xmalloc((s->n ? s->n : 1) * sizeof *fresh.scope);
	memcpy(fresh.scope, s->dept, s->n * sizeof *fresh.scope);

	pthread_mutex_lock(&lock);
	struct xentry *slot = NULL;
	for (size_t i = 0; i < MON_CACHE_ENTRIES; i++) {
		struct xentry *x = &xcache[i];
		if (same_xkey(x, NULL, s, d, fw)) {
			slot = x;
			break;
		}
		if (!slot || (slot->held && (!x->held || x->used < slot->used)))
			slot = x;
	}
	struct xentry old = *slot;
	fresh.used = ++tick;
	*slot = fresh;
	pthread_mutex_unlock(&lock);
	if (old.held)
		xdrop(&old);
}

int mon_extras_get(db_t *db, struct arena *a, const struct mon_marks *m,
		   const struct scope *scope, const struct mon_dash *d, const char *fw_code,
		   struct mon_score **scores, struct mon_heat *heat, char *err, size_t errlen)
{
	int keep = strlen(fw_code) <= FW_KEY_MAX;
	if (keep && xlookup(a, m, scope, d, fw_code, scores, heat))
		return 0;
	atomic_fetch_add(&loads, 1);
	*scores = arena_alloc(a, (d->scope.n ? d->scope.n : 1) * sizeof **scores);
	if (mon_scores_load(db, &d->scope, fw_code, d->year, *scores, err, errlen) != 0 ||
	    mon_heat_load(db, a, scope, d->threshold, heat, err, errlen) != 0)
		return -1;
	if (keep)
		xput(m, scope, d, fw_code, *scores, heat);
	return 0;
}

/* ---- the page's HTML ---- */

/* Whether the key fits the entry's fixed fields (else it is never kept). */
static int html_keyable(const struct mon_html_key *k)
{
	return strlen(k->today) <= DATE_LEN && strlen(k->fw) <= FW_KEY_MAX &&
	       strlen(k->lang) <= LANG_KEY_MAX;
}

/* Whether h holds key k; under mark m, or any mark when m is NULL. */
static int same_hkey(const struct hentry *h, const struct mon_marks *m,
		     const struct mon_html_key *k)
{
	return h->held && h->year == k->year && h->today_tree == k->today_tree &&
	       h->threshold == k->threshold && h->totals_only == k->totals_only &&
	       strcmp(h->today, k->today) == 0 && strcmp(h->fw, k->fw) == 0 &&
	       strcmp(h->lang, k->lang) == 0 && (!m || memcmp(&h->mark, m, sizeof *m) == 0) &&
	       same_scope(h->scope, h->nscope, k->scope);
}

static void hdrop(struct hentry *h)
{
	free(h->scope);
	if (h->html)
		explicit_bzero(h->html, h->len); /* suppressed counts, as the arenas are wiped */
	free(h->html);
	memset(h, 0, sizeof *h);
}

int mon_html_get(const struct mon_marks *m, const struct mon_html_key *k, struct buf *out)
{
	int hit = 0;
	if (!html_keyable(k))
		return 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MON_HTML_ENTRIES && !hit; i++) {
		struct hentry *h = &hcache[i];
		if (!same_hkey(h, m, k))
			continue;
		/* the frame's bottom still follows: room for it too, so the
		 * body grows (by copy) at most once */
		buf_reserve(out, out->n + h->len + 8192);
		buf_add(out, h->html, h->len);
		h->used = ++tick;
		hit = 1;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void mon_html_put(const struct mon_marks *m, const struct mon_html_key *k, const char *html,
		  size_t len)
{
	if (!html_keyable(k) || len > MON_HTML_MAX)
		return;
	struct hentry fresh = {.held = 1, .mark = *m, .nscope = k->scope->n,
			       .totals_only = k->totals_only, .year = k->year,
			       .today_tree = k->today_tree, .threshold = k->threshold, .len = len};
	memcpy(fresh.today, k->today, strlen(k->today));
	memcpy(fresh.fw, k->fw, strlen(k->fw));
	memcpy(fresh.lang, k->lang, strlen(k->lang));
	fresh.html = xmalloc(len ? len : 1);
	memcpy(fresh.html, html, len);
	fresh.scope = xmalloc((k->scope->n ? k->scope->n : 1) * sizeof *fresh.scope);
	memcpy(fresh.scope, k->scope->dept, k->scope->n * sizeof *fresh.scope);

	pthread_mutex_lock(&lock);
	struct hentry *slot = NULL;
	for (size_t i = 0; i < MON_HTML_ENTRIES; i++) {
		struct hentry *h = &hcache[i];
		if (same_hkey(h, NULL, k)) {
			slot = h; /* the key under an older mark, or another thread's put */
			break;
		}
		if (!slot || (slot->held && (!h->held || h->used < slot->used)))
			slot = h;
	}
	struct hentry old = *slot;
	fresh.used = ++tick;
	*slot = fresh;
	pthread_mutex_unlock(&lock);
	if (old.held)
		hdrop(&old);
}

size_t mon_html_size(void)
{
	size_t n = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MON_HTML_ENTRIES; i++)
		n += hcache[i].held != 0;
	pthread_mutex_unlock(&lock);
	return n;
}

void mon_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MON_CACHE_ENTRIES; i++) {
		if (cache[i].held)
			drop(&cache[i]);
		if (xcache[i].held)
			xdrop(&xcache[i]);
	}
	for (size_t i = 0; i < MON_HTML_ENTRIES; i++)
		if (hcache[i].held)
			hdrop(&hcache[i]);
	pthread_mutex_unlock(&lock);
}

uint64_t mon_cache_loads(void)
{
	return atomic_load(&loads);
}

size_t mon_cache_size(void)
{
	size_t n = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MON_CACHE_ENTRIES; i++)
		n += (cache[i].held != 0) + (xcache[i].held != 0);
	pthread_mutex_unlock(&lock);
	return n;
}
