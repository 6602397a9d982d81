/* demo.h: the demo history of reports for `probity demo`
 * (data/demo/report-history.json; format at the top of demo.c), so that the
 * dashboard's trends and the annual report's timeliness show earlier years:
 * for every department in the file, reports received from 2021 (or the day
 * the department formed) to the end of last year, as the retention purge
 * leaves a report once its case is purged: the row in the clear
 * (organisation, kind, mode, questionnaire, dates of receipt,
 * acknowledgement, feedback and hand-over) with an empty body, a random
 * receipt lookup and salt and no key (src/cases/purge.c). No content ever
 * existed, so nothing could be opened or recovered.
 *
 * Why not through the reporting channel, as data/demo/reports.json is:
 * sealing two thousand reports to their handlers and purging them again
 * would take far longer for the same rows. The rows go through the same
 * INSERT as every report, so migration 0017's triggers count them in
 * monitor_report_count.
 *
 * A department code may name a department that no longer exists (EZK,
 * LNV): a report is filed at the version of the code valid on the day it
 * was received, and days when no version existed get none. */
#ifndef MONITOR_DEMO_H
#define MONITOR_DEMO_H
#include <stddef.h>

#include "crypto/audit.h"
#include "store/db.h"

#define MON_DEMO_MAX_BYTES (64 * 1024)
#define MON_DEMO_DEPTS_MAX 64
#define MON_DEMO_PER_YEAR_MAX 500

struct mon_demo_summary {
	size_t departments, reports;
	size_t ack_on_time, feedback_on_time;
	char first[11], last[11];  /* days received, YYYY-MM-DD */
};

/* Loads the history of text (len bytes) as of today ("YYYY-MM-DD"), actor
 * naming who loads it in the audit trail ("cli:root"). The whole file is
 * checked and every department looked up before anything is written; then
 * one transaction writes every report with one "report.history-import"
 * entry per code (detail: the count). Returns 0 with *sum, or -1 with
 * "PATH: reason" in err and nothing written. */
int mon_import_demo(db_t *db, const struct audit_signer *signer, const char *actor,
		    const char *text, size_t len, const char *today, struct mon_demo_summary *sum,
		    char *err, size_t errlen);
/* The same for a file; err starts with its path. */
int mon_import_demo_file(db_t *db, const struct audit_signer *signer, const char *actor,
			 const char *path, const char *today, struct mon_demo_summary *sum,
			 char *err, size_t errlen);

#endif
