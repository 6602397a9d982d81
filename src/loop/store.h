/* store.h: reading what "where were the risks greatest" counts (loop.h,
 * store.c): one department's violations, risks, controls and processes,
 * ready for loop_compute. Read-only, metadata in the clear only. Which
 * department a viewer may ask for is the page's check (accounts/scope.h). */
#ifndef LOOP_STORE_H
#define LOOP_STORE_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "loop/loop.h"
#include "store/db.h"

/* A band of the department's matrix, ranked by its lowest score. */
struct loop_band {
	const char *name;
	int lo, hi;
};

struct loop_process {
	int64_t id;
	const char *name;
};

struct loop_data {
	struct loop_input in;            /* for loop_compute */
	struct loop_band *bands;
	size_t nbands;
	struct loop_process *processes;  /* the register's, by name */
	size_t nprocesses;
};

/* Reads the data of department dept_id (its open org row) for the period
 * [from, to] with flag A's threshold n into out, in a's memory: violations
 * from 12 months before `from` (for the controls' year before) to `to`.
 * Returns 0, or -1 with the reason in err. */
int loop_load(db_t *db, struct arena *a, int64_t dept_id, const char *from, const char *to,
	      int n, struct loop_data *out, char *err, size_t errlen);

/* The rank of score among bands[0..n) (ranked by lo), -1 when in none. */
int loop_band_rank(const struct loop_band *b, size_t n, int score);

/* Who may read department dept_id's view, by the roles viewer holds:
 * *how 1 its own (integrity coordinator or manager at it or a unit under
 * it: full counts), 2 the coordinator's or auditor's in scope (never a
 * department outside it: counts below LOOP_SMALL suppressed), 0 nobody (the
 * caller answers 404). Returns 0, or -1 on a db error. */
struct viewer;
int loop_access(db_t *db, const struct viewer *viewer, int64_t dept_id, int *how);

/* The name of process id of d's register, or NULL. */
const char *loop_process_name(const struct loop_data *d, int64_t id);

#endif
