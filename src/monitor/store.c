/* store.c: rebuilding and checking the dashboard's counts (store.h). The
 * grouping of each table is written once, here and in migration 0017 (its
 * first fill), from the views that the triggers use too. */
#include "monitor/store.h"

#include <stdio.h>

const char *const monitor_tables[MONITOR_NTABLES] = {
	"monitor_case_count",
	"monitor_measure_count",
	"monitor_report_count",
};

/* Per table: its key columns and the view it is counted from. */
static const struct {
	const char *keys, *view;
} SPEC[MONITOR_NTABLES] = {
	{"year, org_id, closed, category, taxonomy, taxonomy_revision, outcome, police_report",
	 "monitor_case_key"},
	{"year, org_id, code", "monitor_measure_key"},
	{"year, org_id, kind, ack, feedback", "monitor_report_key"},
};

static int count_rows(db_t *db, size_t i, long long *out)
{
	char sql[256];
	int64_t v = 0;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE n > 0", monitor_tables[i]);
	if (db_query_i64(db, sql, NULL, &v) != 0)
		return -1;
	*out = (long long)v;
	return 0;
}

int monitor_rebuild(db_t *db, long long rows[MONITOR_NTABLES])
{
	char sql[1024];
	if (db_begin(db) != 0)
		return -1;
	for (size_t i = 0; i < MONITOR_NTABLES; i++) {
		snprintf(sql, sizeof sql,
			 "DELETE FROM %s; INSERT INTO %s (%s, n) SELECT %s, count(*) FROM %s"
			 " GROUP BY %s",
			 monitor_tables[i], monitor_tables[i], SPEC[i].keys, SPEC[i].keys,
			 SPEC[i].view, SPEC[i].keys);
		if (db_exec(db, sql) != 0)
			goto fail;
	}
	for (size_t i = 0; rows && i < MONITOR_NTABLES; i++)
		if (count_rows(db, i, &rows[i]) != 0)
			goto fail;
	/* the counts changed without a change to their sources, whose triggers
	 * keep the dashboard's change mark (0022): a server holding tables made
	 * from the counts before must make them again */
	if (db_exec(db, "UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) "
			"WHERE id = 1") != 0)
		goto fail;
	if (db_commit(db) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int monitor_check(db_t *db, long long *differ)
{
	char sql[1400];
	long long total = 0;
	if (db_begin_read(db) != 0)
		return -1;
	for (size_t i = 0; i < MONITOR_NTABLES; i++) {
		const char *k = SPEC[i].keys;
		/* keys kept but not computed, or computed with another count, and
		 * the other way round */
		snprintf(sql, sizeof sql,
			 "WITH kept AS (SELECT %s, n FROM %s WHERE n > 0),"
			 " fresh AS (SELECT %s, count(*) AS n FROM %s GROUP BY %s)"
			 " SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh))"
			 " + (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept))",
			 k, monitor_tables[i], k, SPEC[i].view, k);
		int64_t v = 0;
		if (db_query_i64(db, sql, NULL, &v) != 0) {
			db_rollback(db);
			return -1;
		}
		total += v;
	}
	db_rollback(db);
	*differ = total;
	return 0;
}
