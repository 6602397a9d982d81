/* cache.h: parsed framework revisions kept in memory, shared by the
 * server's threads. A stored revision never changes (framework.h), but
 * parsing its JSON (jansson, every limit checked, paths built for error
 * messages) on every request was about half of the dashboard's cost, which
 * scores each department's assessments against their revisions
 * (docs/performance.md). Each revision is parsed once and kept, keyed by its
 * id and a BLAKE2b hash of its stored body: the id alone would not do when
 * one process opens several databases (the tests; an id names another
 * revision in another database), and the body is one row read, far cheaper
 * than the parse. At most FW_CACHE_MAX revisions are kept; the least
 * recently used one goes, and is freed when its last reader lets go. */
#ifndef FRAMEWORKS_CACHE_H
#define FRAMEWORKS_CACHE_H
#include <stdint.h>

#include "frameworks/framework.h"

#define FW_CACHE_MAX 32

struct fw_cache_entry;

/* A reader's hold on a cached revision: f is valid, read-only, until
 * frameworks_put. */
struct fw_handle {
	const struct framework *f;
	struct fw_cache_entry *e;
};

/* Gets revision version_id, parsed once per process. 0, 1 when there is no
 * such revision, -1 on a db error or a body that does not read (db_error()
 * says which). On 0, call frameworks_put(h) when done. */
int frameworks_get(db_t *db, int64_t version_id, struct fw_handle *h);
void frameworks_put(struct fw_handle *h);

/* Empties the cache (tests); entries still held are freed when let go. */
void frameworks_cache_clear(void);
/* How many bodies were parsed by frameworks_get since the start (tests). */
uint64_t frameworks_cache_parses(void);

#endif
