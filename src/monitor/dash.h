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

/* A row's kind beside a department (dash.c, place.h): */
enum mon_former {
	MON_ROW_DEPT = 0,   /* a department: of that year, or of today */
	MON_ROW_SPLIT,      /* today's view: a department before its split, its
			       own counts (no rule divides them) */
	MON_ROW_GONE,       /* today's view: a department with no successor today */
};

#define MON_SUCC_TEXT_MAX (ORG_MAX_SUCCESSORS * (ORG_CODE_MAX + 2))

struct mon_dash {
	int year;
	int today;                 /* 1: mapped onto today's departments (?boom=nu);
				      0: the tree as it was in the year */
	int from_registers;        /* case figures from imported registers */
	int none;                  /* no department of the scope in that year (as it
				      was): no table is present */
	int first_case_year;       /* 0: no case at all */
	int threshold;
	struct scope scope;        /* the rows, never Defence: today's departments in
				      scope, or those of the year (their rows of then) */
	int former[SCOPE_MAX];     /* row i: enum mon_former */
	char succ[SCOPE_MAX][MON_SUCC_TEXT_MAX]; /* MON_ROW_SPLIT: "EZ, KGG" */
	struct mon_table t[MON_NTABLES];
};

/* The year of ?jaar= (NULL or "": last year). 0, or -1 when it is not a
 * year from MON_YEAR_MIN to this year. */
int mon_read_year(const char *s, const char *today, int *year);

/* Fills d for year for the viewer whose coordinated departments are scope
 * (scope_coordinated). Every counted organisation row is placed by
 * mon_place (place.h): with today_tree 0 under its department as it was in
 * the year (the rows: every department of the scope's governments that
 * existed in the year), with 1 under today's department in scope, a split
 * or abolished one's counts on a marked row of their own. A count whose
 * department, then or today, lies outside the scope (Defence) is dropped
 * in both views before any total is made, so the two views have the same
 * totals. Then each table is suppressed at threshold. 0, or -1 with err (a
 * database failure). */
int mon_dash_load(db_t *db, struct arena *a, const struct scope *scope, int year,
		  int today_tree, const char *today, int threshold, struct mon_dash *d,
		  char *err, size_t errlen);

/* Per organisation row, the count of the reports received in a year (?1)
 * still without feedback that was due before a day (?2, YYYY-MM-DD): due 3
 * months after the acknowledgement, or after the end of its 7 days when
 * none was sent, clamped to the month's end (migration 0017's view). The
 * dashboard's "Overdue now" and the annual report's timeliness count alike. */
#define MON_OVERDUE_SQL                                                                    \
	"SELECT org_id, count(*) FROM report WHERE feedback_on IS NULL "                   \
	"AND CAST(substr(received_on, 1, 4) AS INTEGER) = ? AND ? > min("                  \
	"date(coalesce(acknowledged_on, date(received_on, '+7 days')), '+3 months'), "     \
	"date(coalesce(acknowledged_on, date(received_on, '+7 days')), "                   \
	"'start of month', '+4 months', '-1 day')) GROUP BY org_id"

#endif
