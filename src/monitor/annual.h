/* annual.h: the annual report (issue 7 item 4; docs/monitoring.md, "The
 * annual report"): for one year, the registered violations per department
 * and violation category, with their outcomes and police reports, and the
 * measures per department and measure code, from both sources that
 * registrations_counts reads (imported registers and closed cases).
 *
 *   annual.c         pure: grouping the counts by department and category
 *   annual_store.c   reading the organisation tree and the counts
 *   annual_render.c  HTML (print-ready), JSON and the tables for CSV/XLSX
 *
 * Choices, each documented in docs/monitoring.md:
 *   - Departments as they were that year: a registration counts under the
 *     department row it (or its unit) belonged to on the day received. With
 *     today set, each is followed through the successor links to today's
 *     departments; a registration whose organisation leads to more than one
 *     of them (a department registered at its own level, then split) is never
 *     apportioned: it stays under its predecessor, marked "before the split"
 *     and naming the successors, so that no figure is invented and the
 *     government's total counts it once.
 *   - Categories are mapped to one taxonomy revision (the current one, that
 *     new cases use). A code that maps to several codes of that revision
 *     (8 -> 8a, 8b) is not apportioned either: it is counted on a row of its
 *     own for the combination ("8a+8b").
 *   - Full counts, no small-count suppression: the report is the figures for
 *     parliament, which the issue asks for per department; it holds counts
 *     per category only, never a case or a person. The dashboard suppresses.
 *   - The government as a whole is every department inside the coordinator's
 *     scope: an organisation outside it (Defence) is left out of the
 *     government-wide report entirely, and appears only in its own.
 *   - Timeliness covers the reports received in Probity that year (migration
 *     0017's monitor_report_count, every kind), grouped as the violations
 *     are. Each report's clocks are read as they stand on the report's date
 *     (as_of, normally the day it is made): acknowledged within 7 days and
 *     feedback within 3 months are final once done; "without feedback" and
 *     "overdue" are as on that date, the dashboard's "Overdue now". Not at
 *     the year's end: the counts keep each report's present state only, not
 *     its history, and mixing two moments in one table would not add up.
 *     Imported registers carry no dates of acknowledgement or feedback, so
 *     they have no timeliness; the report says so for a year (or a
 *     department) that has registers only. */
#ifndef MONITOR_ANNUAL_H
#define MONITOR_ANNUAL_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "orgs/orgs.h"
#include "registrations/registrations.h"
#include "store/db.h"

#define ANNUAL_YEAR_MIN 1990
#define ANNUAL_YEAR_MAX 2999
#define ANNUAL_CATEGORY_MAX 160   /* mapped codes joined with '+' */
#define ANNUAL_NOTE_MAX 600

struct annual_opts {
	int year;
	const char *org;        /* a department's code: its own figures only; NULL: the
				   government as a whole */
	int today;              /* map onto today's departments */
	const char *taxonomy;   /* the revision categories are mapped to */
	int taxonomy_revision;
	const char *as_of;      /* YYYY-MM-DD the timeliness is read on; NULL: today */
};

/* Reports received: how their clocks ended (or not yet). received =
 * ack_on_time + ack_late + ack_none = feedback_on_time + feedback_late +
 * waiting; overdue (feedback due before as_of and not given) is part of
 * waiting. */
struct annual_timely {
	int64_t received, ack_on_time, ack_late, ack_none;
	int64_t feedback_on_time, feedback_late, waiting, overdue;
};

enum annual_clock { ANNUAL_CLOCK_ON_TIME, ANNUAL_CLOCK_LATE, ANNUAL_CLOCK_NONE };

/* A row of monitor_report_count summed over kinds: reports of one
 * organisation row and year whose clocks ended so. */
struct annual_report_count {
	int64_t org_id;
	int year;
	enum annual_clock ack, feedback;
	int64_t n;
};

/* Reports of one organisation row and year without feedback that was due
 * before as_of. */
struct annual_overdue {
	int64_t org_id;
	int year;
	int64_t n;
};

/* Everything annual_build counts, read by annual_load. */
struct annual_input {
	const struct reg_count *counts;
	size_t ncounts;
	const struct reg_measure_count *measures;
	size_t nmeasures;
	const struct annual_report_count *reports;
	size_t nreports;
	const struct annual_overdue *overdue;
	size_t noverdue;
};

/* One set of figures. registered = established + partly + not_established +
 * no_outcome (a case closed without an outcome). */
struct annual_cells {
	int64_t registered, established, partly, not_established, no_outcome, police;
};

/* A department (or, with today, a predecessor whose figures cannot be
 * divided among its successors). */
struct annual_group {
	int64_t org_id;                      /* the department row: as it was, or today's */
	char code[ORG_CODE_MAX + 1];
	char name[ORG_NAME_MAX + 1];
	char note[ANNUAL_NOTE_MAX + 1];      /* "before the split into A, B", or "" */
	int undivided;                       /* 1: the note's kind of group */
	int outside_scope;
	struct annual_cells total;
	int64_t measures;
	struct annual_timely timely;
	int64_t from_registers;              /* of total.registered: imported rows */
};

struct annual_row {
	size_t group;                        /* index into groups */
	char category[ANNUAL_CATEGORY_MAX + 1];   /* "3", "8a+8b" */
	int order;                           /* the first code's place in the taxonomy */
	struct annual_cells c;
};

struct annual_measure {
	size_t group;                        /* index into groups; (size_t)-1 for the total */
	char code[REG_MEASURE_MAX + 1];
	int64_t n;
};

struct annual_report {
	struct annual_opts opts;
	char org[ORG_CODE_MAX + 1];          /* as opts->org, or "" for the government */
	char taxonomy[REG_TAXONOMY_MAX + 1];
	struct annual_group *groups;         /* by code, undivided ones after */
	size_t ngroups;
	struct annual_row *rows;             /* by group, then category order */
	size_t nrows;
	struct annual_measure *measures;     /* by group, then code */
	size_t nmeasures;
	struct annual_measure *measure_totals;   /* per code over every group */
	size_t nmeasure_totals;
	struct annual_cells total;
	int64_t measures_total;
	struct annual_timely timely;
	int64_t from_registers;
	char as_of[11];                      /* the date timeliness was read on */
};

enum annual_status {
	ANNUAL_OK = 0,
	ANNUAL_EINVALID,    /* a year out of range, a code that is no department */
	ANNUAL_ENOTFOUND,   /* --org names no department (in that year) */
	ANNUAL_EDB,         /* the database failed: db_error() */
};

/* ---- annual.c: pure ---- */

/* Builds the report for opts from the tree and the counts (any years; only
 * opts->year is used). Returns ANNUAL_OK with r filled (free with
 * annual_report_free), or a refusal with the reason in err and r empty. */
enum annual_status annual_build(const struct org_table *orgs, const struct annual_input *in,
				const struct annual_opts *opts, struct annual_report *r,
				char *err, size_t errlen);
/* n as a share of received in tenths of a percent (875 for 87.5%), rounded
 * half up; -1 when nothing was received. */
int annual_share(int64_t n, int64_t received);
void annual_report_free(struct annual_report *r);

/* ---- annual_store.c ---- */

/* Reads the tree and the year's counts from db and builds the report. A NULL
 * opts->taxonomy takes the current taxonomy (cases/dataset.h). */
enum annual_status annual_load(db_t *db, const struct annual_opts *opts,
			       struct annual_report *r, char *err, size_t errlen);

/* ---- annual_render.c ---- */

/* A standalone HTML page, print-ready (inline CSS with @media print). */
void annual_html(const struct annual_report *r, struct buf *out);
/* The JSON document described in docs/monitoring.md. */
void annual_json(const struct annual_report *r, struct buf *out);
/* The tables "Violations", "Measures", "Departments", "Timeliness" as a
 * sheet book (web/sheet.h): the first is the CSV export. */
struct sheet_book *annual_book(const struct annual_report *r, struct arena *a);

#endif
