/* cache.h: a year's dashboard tables kept in memory (issue 9), so that the
 * trends' five years and the page's own year cost a look-up, not five
 * loads and suppressions, until something they are counted from changes;
 * and beside them the page's assessment scores and risk heat.
 *
 * An entry is the result of mon_dash_load (dash.h) for one key: the scope's
 * departments (id, code, name, each one), the year, the tree (as it was or
 * today's), today's date ("overdue now" moves with it) and the threshold,
 * under the two change marks it was loaded under: org_generation (0020, the
 * tree that places every count) and monitor_generation (0022, the count
 * tables and the registers). Triggers change a mark in the transaction of
 * every change, whoever writes, so a server reading the marks at the start
 * of a request sees another node's or another program's write on its next
 * request. The tables are held after suppression for exactly the scope they
 * were made for: another scope is another key, never a part of an entry.
 * Internal to src/monitor. */
#ifndef MONITOR_CACHE_H
#define MONITOR_CACHE_H
#include <stdint.h>

#include "base/buf.h"
#include "monitor/dash.h"
#include "monitor/scores.h"

#define MON_STAMP_LEN 16
#define MON_CACHE_ENTRIES 40 /* of each kind: a few scopes x two trees x the
				trends' years; a year's tables about 50 KB
				(2 MB in all), scores and heat a few KB */

struct mon_marks {
	unsigned char org[MON_STAMP_LEN];    /* org_generation.stamp */
	unsigned char counts[MON_STAMP_LEN]; /* monitor_generation.stamp */
};

/* Reads both marks in one statement. 0, or -1 with the database's error
 * (a missing or damaged mark is an error, not a miss). */
int mon_marks_read(db_t *db, struct mon_marks *m);

/* mon_dash_load's answer for these arguments: from memory when an entry
 * for the same key was loaded under mark m, else loaded (and kept). d
 * points into a only. 0, or -1 with err. */
int mon_dash_get(db_t *db, struct arena *a, const struct mon_marks *m,
		 const struct scope *scope, int year, int today_tree, const char *today,
		 int threshold, struct mon_dash *d, char *err, size_t errlen);

/* The dashboard's assessment scores and risk heat (scores.h) for the year
 * d was loaded for (its rows d->scope get the scores; the heat's rows are
 * scope), the framework code and d's threshold: from memory when held under
 * mark m with the same scope, year, tree and threshold, else loaded
 * (mon_scores_load, mon_heat_load) and kept. The marks cover them through
 * 0022's triggers on the assessment, framework and risk tables. scores gets
 * d->scope.n entries in a; the heat's grid is in a. 0, or -1 with err. */
int mon_extras_get(db_t *db, struct arena *a, const struct mon_marks *m,
		   const struct scope *scope, const struct mon_dash *d, const char *fw_code,
		   struct mon_score **scores, struct mon_heat *heat, char *err, size_t errlen);

/* ---- the page's figure sections as HTML ----
 * Everything GET /monitor writes between the frame's top and bottom (the
 * form, the tables, the charts, the downloads) is a function of: the
 * viewer's scope (each department's id, code, name), whether the viewer sees
 * the totals only (an IPIM member), the year, the tree, today's date, the
 * framework code of ?kader=, the threshold, the interface language, and the
 * data under the two marks. No session, CSRF token or account is inside it:
 * the frame that carries them is made per request around it. So one key
 * gives the same bytes, and a hit skips loading, formatting and templates.
 * Only a 200 page is kept (a refused query is never a hit). */
#define MON_HTML_ENTRIES 16            /* of about 125 KB each: 2 MB at most */
#define MON_HTML_MAX (1024 * 1024)     /* a larger page is made, not kept */

struct mon_html_key {
	const struct scope *scope;
	int totals_only, year, today_tree, threshold;
	const char *today, *fw, *lang;
};

/* Appends the HTML kept for key k under mark m to out: 1, or 0 when none
 * (out unchanged). */
int mon_html_get(const struct mon_marks *m, const struct mon_html_key *k, struct buf *out);
/* Keeps html (len bytes) for key k under mark m, the least recently used
 * entry making room; a key or page too large for the cache is not kept. */
void mon_html_put(const struct mon_marks *m, const struct mon_html_key *k, const char *html,
		  size_t len);
/* Pages held now (tests: the bound, MON_HTML_ENTRIES). */
size_t mon_html_size(void);

/* Empties the cache (tests; a process that opens another database need not:
 * the marks differ). */
void mon_cache_clear(void);
/* How many times mon_dash_get and mon_extras_get loaded from the database
 * (tests: a hit from a reload). */
uint64_t mon_cache_loads(void);
/* Entries held now, of either kind (tests: the bound, MON_CACHE_ENTRIES of
 * each). */
size_t mon_cache_size(void);

#endif
