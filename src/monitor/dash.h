/* dash.h: the coordinator's dashboard (issue 7 item 1) as data: for one
 * year, the tables of counts per department in the viewer's scope, each
 * suppressed with suppress.h. Filled by dash.c from the count tables of
 * migration 0017 (or, for years before the first case, from the imported
 * registers through registrations_counts); drawn by pages.c. Internal to
 * src/monitor. */
#ifndef MONITOR_DASH_H
#define MONITOR_DASH_H
#include <stddef.h>

#include "accounts/scope.h"
#include "base/arena.h"
#include "monitor/suppress.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define MON_YEAR_MIN 1990

enum mon_table_id {
	MON_T_ACK,      /* reports received, by acknowledgement */
	MON_T_FEEDBACK, /* reports received, by feedback */
	MON_T_CASES,    /* cases (or registered violations) by outcome */
	MON_T_POLICE,   /* closed cases by police report */
	MON_T_MEASURES, /* measures by code */
	MON_NTABLES
};

/* The outcome columns: the chart draws MON_C_VIOLATION, so that it shows
 * the very numbers (and marks) of the cases table and no other sum of them
 * that could be set against it. */
enum { MON_C_VIOLATION, MON_C_NOT_ESTABLISHED, MON_C_NO_OUTCOME, MON_C_OPEN, MON_NCASECOLS };

struct mon_table {
	const char *slug;          /* the export's file name part */
	const char *caption;       /* msgid */
	const char **heads;        /* ncols column heads: msgids, or measure codes */
	int heads_are_codes;       /* the measures' heads: codes, named by the page */
	struct mon_grid g;         /* rows: the scope's departments, in order */
	int present;               /* 0: nothing to show (no measure in the year) */
};

struct mon_dash {
	int year;
	int from_registers;        /* case figures from imported registers */
	int first_case_year;       /* 0: no case at all */
	int threshold;
	struct scope scope;        /* the rows: departments in scope, never Defence */
	int former[SCOPE_MAX];     /* row i: a department before its split, its counts
				      from before (no rule divides them) */
	struct mon_table t[MON_NTABLES];
};

/* The year of ?jaar= (NULL or "": last year). 0, or -1 when it is not a
 * year from MON_YEAR_MIN to this year. */
int mon_read_year(const char *s, const char *today, int *year);

/* Fills d for year over the departments of scope (copied): every counted
 * organisation row is mapped to its department, and a row whose department
 * is not in scope (Defence, or a department since closed) is dropped before
 * any total is made. Then each table is suppressed at threshold. 0, or -1
 * with err (a database failure). */
int mon_dash_load(db_t *db, struct arena *a, const struct scope *scope, int year,
		  const char *today, int threshold, struct mon_dash *d, char *err, size_t errlen);

#endif
