/* demo.h: the demo history of closed cases for `probity demo`
 * (data/demo/case-history.json; format at the top of demo.c), so that "where
 * were the risks greatest" shows something real: for every department in
 * the file, closed cases as the retention purge leaves them (the
 * statistical record only: organisation, protocol, dates, category,
 * outcome, process, unit; no team, key, record or text), from 2021 or the
 * day the department formed until two months before today.
 *
 * Why not through cases_open and the protocol walk, as the demo cases of
 * data/demo/cases.json are: a purged case holds nothing those functions
 * would write that survives the purge except these columns, and walking
 * two thousand cases through every phase with their keys, records and
 * purge would take minutes for the same rows. The rows are the purge's
 * shape exactly (purged_on set, summary_key empty), so every reader of the
 * statistics treats them like real purged cases.
 *
 * Each case also carries the statistical record of its outcome as the
 * purge keeps it: the measures list, the measures (case_measure) and
 * whether a police report was made, for an established or partly
 * established case; drawn per category (demo.c), so that the dashboard's
 * police-report and measures tables and the annual report's measures show
 * every year. The count tables of migration 0017 count them by their
 * triggers, like any case.
 *
 * Reorganisations: a department of the file that came out of another (the
 * demo's 2 July 2024: EZ and KGG from EZK, LVVN from LNV, VRO and today's
 * BZK from the BZK before it, AENM and today's JENV from JENV) has its
 * cases opened before that day filed at the department as it was then (or
 * one of its units open on the day), as the report history (src/monitor/
 * demo.h) files reports, so that the trend does not jump at the
 * reorganisation. Such a case carries NO process: the processes are those
 * of today's risk registers, and a process belongs to its own department
 * (the outcome step refuses another's); the closed-loop view of today's
 * department reads its own rows only, so those cases never counted there.
 * They count in the monitoring figures, placed "as it was" or "today" by
 * src/monitor/place.h.
 *
 * Run after the demo risk registers (src/risks/demo.h): the processes are
 * named, and a name the department's register lacks is refused. */
#ifndef LOOP_DEMO_H
#define LOOP_DEMO_H
#include <stddef.h>

#include "crypto/audit.h"
#include "store/db.h"

#define LOOP_DEMO_MAX_BYTES (256 * 1024)
#define LOOP_DEMO_DEPTS_MAX 64
#define LOOP_DEMO_PROCESSES_MAX 20
#define LOOP_DEMO_PER_YEAR_MAX 500

struct loop_demo_summary {
	size_t departments, cases, established;  /* established: or partly */
	size_t measures, police;                 /* measures recorded; police reports */
	char first[11], last[11];                /* opening dates, YYYY-MM-DD */
};

/* Loads the history of text (len bytes) up to today ("YYYY-MM-DD"), actor
 * naming who loads it in the audit trail ("cli:root"). The whole file is
 * checked, and every department and process looked up, before anything is
 * written; then one transaction writes every case with one
 * "case.history-import" entry per department (detail: the count). Returns
 * 0 with *sum, or -1 with "PATH: reason" in err and nothing written. */
int loop_import_demo(db_t *db, const struct audit_signer *signer, const char *actor,
		     const char *text, size_t len, const char *today,
		     struct loop_demo_summary *sum, char *err, size_t errlen);
/* The same for a file; err starts with its path. */
int loop_import_demo_file(db_t *db, const struct audit_signer *signer, const char *actor,
			  const char *path, const char *today, struct loop_demo_summary *sum,
			  char *err, size_t errlen);

#endif
