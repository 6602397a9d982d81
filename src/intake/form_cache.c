/* form_cache.c: the report form's first screen as HTML (form_cache.h).
 * A small table under one lock: a hit copies the bytes into the response
 * while holding it, so an entry is never freed under a reader. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "intake/form_cache.h"
#include "web/tmpl.h"

#define LANG_MAX 8

struct entry {
	int held;
	uint64_t used;                 /* tick of the last hit or put */
	char lang[LANG_MAX + 1];
	char today[DATE_LEN + 1];
	unsigned char org_stamp[ORGS_STAMP_LEN];
	const void *questionnaire;
	int revision;
	char *html;                    /* the body without the token */
	size_t len, at;                /* the token goes at html + at */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry cache[FORM_CACHE_ENTRIES];
static uint64_t tick;

/* Whether the key fits the entry's fixed fields (else it is never kept). */
static int keyable(const struct form_cache_key *k)
{
	return k->lang && k->today && strlen(k->lang) <= LANG_MAX &&
	       strlen(k->today) == DATE_LEN && k->questionnaire;
}

static int same_key(const struct entry *e, const struct form_cache_key *k)
{
	return e->held && e->questionnaire == k->questionnaire && e->revision == k->revision &&
	       memcmp(e->org_stamp, k->org_stamp, ORGS_STAMP_LEN) == 0 &&
	       strcmp(e->today, k->today) == 0 && strcmp(e->lang, k->lang) == 0;
}

static void drop(struct entry *e)
{
	if (e->html)
		explicit_bzero(e->html, e->len); /* as the arenas are wiped */
	free(e->html);
	memset(e, 0, sizeof *e);
}

int intake_form_cache_get(const struct form_cache_key *k, const char *csrf, struct buf *out)
{
	int hit = 0;
	if (!keyable(k) || !csrf)
		return 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < FORM_CACHE_ENTRIES && !hit; i++) {
		struct entry *e = &cache[i];
		if (!same_key(e, k))
			continue;
		/* the token and the frame's bottom follow: room for them too,
		 * so the body grows (by copy) at most once */
		buf_reserve(out, out->n + e->len + 8192);
		buf_add(out, e->html, e->at);
		tmpl_html(out, csrf);
		buf_add(out, e->html + e->at, e->len - e->at);
		e->used = ++tick;
		hit = 1;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void intake_form_cache_put(const struct form_cache_key *k, const char *html, size_t len,
			   size_t at, size_t cut)
{
	if (!keyable(k) || at > len || cut > len - at || len - cut > FORM_CACHE_MAX)
		return;
	struct entry fresh = {.held = 1, .questionnaire = k->questionnaire,
			      .revision = k->revision, .len = len - cut, .at = at};
	memcpy(fresh.lang, k->lang, strlen(k->lang));
	memcpy(fresh.today, k->today, DATE_LEN);
	memcpy(fresh.org_stamp, k->org_stamp, ORGS_STAMP_LEN);
	fresh.html = xmalloc(fresh.len ? fresh.len : 1);
	memcpy(fresh.html, html, at);
	memcpy(fresh.html + at, html + at + cut, len - at - cut);

	pthread_mutex_lock(&lock);
	struct entry *slot = NULL;
	for (size_t i = 0; i < FORM_CACHE_ENTRIES; i++) {
		struct entry *e = &cache[i];
		if (same_key(e, k)) {
			slot = e; /* another thread's put of the same page */
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

size_t intake_form_cache_size(void)
{
	size_t n = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < FORM_CACHE_ENTRIES; i++)
		n += cache[i].held != 0;
	pthread_mutex_unlock(&lock);
	return n;
}

void intake_form_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < FORM_CACHE_ENTRIES; i++)
		if (cache[i].held)
			drop(&cache[i]);
	pthread_mutex_unlock(&lock);
}
