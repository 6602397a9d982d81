/* form_cache.h: the report form's first screen (GET /melden) kept as HTML
 * (issue 9). A plain GET of the form reads no query and no body (the router
 * parses forms only for POST), so what the handler writes between the
 * frame's top and bottom is a function of: the language, today's date (the
 * departments alive today), the organisation tree (its change mark as
 * confirmed for orgs_load_recent, orgs/cache.h), the questionnaire (the
 * "step 1 / n" count) and the visitor's CSRF token. The token is cut out
 * of what is kept and written per request where it was; everything else is
 * the same bytes for the same key.
 *
 * A re-displayed screen after a POST (errors, answers) never comes from
 * here: only intake_page_report (GET) looks. Entries are few (one per
 * language and day and tree in practice), the least recently used makes
 * room, and each is wiped when dropped as the arenas are. */
#ifndef INTAKE_FORM_CACHE_H
#define INTAKE_FORM_CACHE_H
#include <stddef.h>

#include "base/buf.h"
#include "orgs/cache.h"

#define FORM_CACHE_ENTRIES 6
#define FORM_CACHE_MAX (256 * 1024) /* a longer page is rendered each time */

struct form_cache_key {
	const char *lang;
	const char *today;                         /* YYYY-MM-DD */
	unsigned char org_stamp[ORGS_STAMP_LEN];
	const void *questionnaire;                 /* loaded once per process */
	int revision;
};

/* On a hit appends the kept body with csrf (HTML-escaped, as the template
 * writes it) in its place to out and returns 1; else 0 and out unchanged. */
int intake_form_cache_get(const struct form_cache_key *k, const char *csrf, struct buf *out);

/* Keeps html[0, len) for k, where html[at, at + cut) is the token as
 * written. Replaces an entry of the same key. */
void intake_form_cache_put(const struct form_cache_key *k, const char *html, size_t len,
			   size_t at, size_t cut);

/* Tests: entries held; forgetting them all. */
size_t intake_form_cache_size(void);
void intake_form_cache_clear(void);

#endif
