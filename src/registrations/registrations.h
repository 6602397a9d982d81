/* registrations.h: historical registrations of integrity violations, the face
 * of src/registrations (issue 7 item 3; docs/monitoring.md, "Historical
 * registrations").
 *
 * Departments keep their registers in spreadsheets, one row per registered
 * violation. `probity import registrations FILE` loads such a file; the
 * annual report and the dashboard then count those rows together with the
 * closed cases of case_file through registrations_counts and
 * registrations_measure_counts, so that years before Probity and years with
 * it read as one series.
 *
 *   csv.c     the pure CSV reader (csv.h)
 *   row.c     pure: the header's columns and the check of one row against
 *             the organisation tree as it was on the day received, the
 *             taxonomy revision and the measures list
 *   xlsx.c    pure: a register saved as an Excel workbook, its first sheet
 *             read by src/sheetread and fed to row.c's rules like CSV lines
 *   import.c  reading a file (CSV or XLSX, told apart by its content):
 *             hashing, parsing, checking every row, and storing a good file
 *             in one transaction with one audit entry
 *   counts.c  the grouped counts over both sources
 *
 * Migration 0015_registrations.sql holds the tables. */
#ifndef REGISTRATIONS_REGISTRATIONS_H
#define REGISTRATIONS_REGISTRATIONS_H
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "crypto/audit.h"
#include "orgs/orgs.h"
#include "registrations/csv.h"
#include "store/db.h"

#define REG_MAX_ROWS 1000000       /* registrations in one file */
#define REG_MAX_PROBLEMS 100       /* problems listed; the rest are counted */
#define REG_CATEGORY_MAX 32
#define REG_TAXONOMY_MAX 64
#define REG_MEASURE_MAX 32
#define REG_FILE_NAME_MAX 255
#define REG_PROGRESS_EVERY 100000  /* rows between progress calls */

/* ---- row.c: pure ---- */

enum reg_column {
	REG_COL_ORG,
	REG_COL_RECEIVED,
	REG_COL_CATEGORY,
	REG_COL_TAXONOMY,
	REG_COL_OUTCOME,
	REG_COL_MEASURE,
	REG_COL_POLICE,
	REG_NCOLUMNS
};

enum reg_outcome { REG_ESTABLISHED, REG_PARTLY, REG_NOT_ESTABLISHED };

/* "established", "partly", "not_established": the words case_file stores. */
const char *reg_outcome_name(enum reg_outcome o);
/* The column's name in the documentation ("organisation", "date received"). */
const char *reg_column_name(enum reg_column c);

/* Which field holds each column; nfields: the header's width, which every
 * row must have. */
struct reg_header {
	size_t field[REG_NCOLUMNS];
	size_t nfields;
};

/* Reads the header row: every column once, named in English or Dutch (case,
 * spaces, '_' and '-' ignored), in any order, and no other column. Returns
 * 0, or -1 with the reason in err. */
int reg_header_parse(const struct csv_field *f, size_t n, struct reg_header *h, char *err,
		     size_t errlen);

/* What a row is checked against: the organisation tree (with history), and
 * today (no registration is received in the future). Taxonomies and the
 * measures list are the ones this build ships (cases/dataset.h). */
struct reg_context {
	const struct org_table *orgs;
	char today[DATE_LEN + 1];
};

/* Fills cx for orgs (borrowed) and today (NULL: the server's today), and
 * loads the shipped taxonomies and measures. Returns 0, or -1 with the
 * reason in err (a build whose data does not parse). */
int reg_context_init(struct reg_context *cx, const struct org_table *orgs, const char *today,
		     char *err, size_t errlen);

/* One checked registration. */
struct reg_row {
	int64_t org_id;                 /* the row alive on received_on */
	char received_on[DATE_LEN + 1];
	char category[REG_CATEGORY_MAX + 1];
	char taxonomy[REG_TAXONOMY_MAX + 1];
	int taxonomy_revision;
	enum reg_outcome outcome;
	char measure[REG_MEASURE_MAX + 1];   /* "" for none */
	char measures_list[REG_TAXONOMY_MAX + 1];   /* "" for none */
	int measures_revision;               /* 0 for none */
	int police_report;
};

enum reg_check { REG_ROW_OK = 0, REG_ROW_BLANK = 1, REG_ROW_BAD = -1 };

/* Checks one data row (fields as the CSV reader gives them). Returns
 * REG_ROW_OK with out filled; REG_ROW_BLANK for a row whose fields are all
 * empty (spreadsheets leave such rows at the end; they are skipped); or
 * REG_ROW_BAD with every problem of the row in err, separated by "; ".
 * Values quoted in messages are cut to 40 bytes and anything but printable
 * ASCII shows as '?', so that a message can be printed safely. */
enum reg_check reg_row_check(const struct reg_context *cx, const struct reg_header *h,
			     const struct csv_field *f, size_t n, struct reg_row *out, char *err,
			     size_t errlen);

/* Parses a date received: YYYY-MM-DD, or D-M-YYYY / DD-MM-YYYY as Dutch
 * spreadsheets write it. Writes YYYY-MM-DD to out. Returns 0 or -1. */
int reg_parse_date(const char *s, size_t n, char out[DATE_LEN + 1]);

/* ---- import.c ---- */

enum reg_status {
	REG_OK = 0,
	REG_EINVALID,    /* the file is not a valid register: see the problems */
	REG_ENOTFOUND,   /* the file does not exist */
	REG_ECONFLICT,   /* the same file (SHA-256) was imported before */
	REG_EIO,         /* the file cannot be read */
	REG_EDB,         /* the database failed: see db_error() */
};

struct reg_import_opts {
	const char *actor;     /* for imported_by and the audit entry */
	const char *today;     /* NULL: date_today() */
	int again;             /* import a file whose SHA-256 was imported before */
	/* called every REG_PROGRESS_EVERY rows read, may be NULL */
	void (*progress)(void *ctx, size_t rows);
	void *progress_ctx;
};

struct reg_import_result {
	int64_t import_id;
	size_t rows;                 /* registrations stored (or read, on refusal) */
	char sha256[65];
	int64_t previous_id;         /* REG_ECONFLICT, or with again: the earlier import */
	/* REG_EINVALID: "line 3: ..." each, at most REG_MAX_PROBLEMS, then
	 * nproblems counts them all */
	char **problems;
	size_t nlisted, nproblems;
	char err[600];               /* the reason for any other status */
};

/* Imports the register file at path, CSV or XLSX, told apart by its first
 * bytes (a zip archive is read as XLSX, whatever the file's name; an old
 * binary .xls is refused with a plain message): reads it once to hash it (a
 * file imported before is refused unless opts->again), then parses and
 * checks every row against the organisations of db, storing them inside one
 * write transaction that commits only if no row had a problem, with one
 * audit entry (registrations.import: the import id, SHA-256 and rows). A
 * refusal writes nothing. res->problems must be freed with
 * reg_import_result_free. A CSV file's problems name lines ("line 3: "), a
 * workbook's the sheet's rows ("row 3: "). */
enum reg_status registrations_import(db_t *db, const struct audit_signer *signer,
				     const char *path, const struct reg_import_opts *opts,
				     struct reg_import_result *res);
/* The name from before workbooks were read; the same function. */
enum reg_status registrations_import_csv(db_t *db, const struct audit_signer *signer,
					 const char *path, const struct reg_import_opts *opts,
					 struct reg_import_result *res);
void reg_import_result_free(struct reg_import_result *res);

#define REG_XLSX_FILE_MAX ((size_t)128 << 20)   /* bytes of a workbook file */

/* Adds a problem to res (the first REG_MAX_PROBLEMS are kept, all counted). */
__attribute__((format(printf, 2, 3))) void reg_problem(struct reg_import_result *res,
							const char *fmt, ...);

/* ---- xlsx.c: pure ---- */

struct sheetread_limits;

/* Where xlsx.c hands the rows that pass: store is called for each while
 * the file has had no problem (and may be NULL), and returns 0, or -1 to
 * stop (a database error); progress every REG_PROGRESS_EVERY rows. */
struct reg_sink {
	int (*store)(void *ctx, const struct reg_row *row);
	void *ctx;
	void (*progress)(void *ctx, size_t rows);
	void *progress_ctx;
};

/* The sheet limits of a register: sheetread's defaults with a CSV line's
 * field count and field length. */
void reg_sheet_limits(struct sheetread_limits *l);

/* Reads data[0..len), a register saved as XLSX, with lim (NULL:
 * reg_sheet_limits): the first sheet's first row with a value is the header,
 * every later row with a value a registration, checked by reg_row_check. A
 * number in the date received column is an Excel day number (the workbook's
 * 1900 or 1904 system), text there keeps the CSV rules; a true/false cell in
 * the police report column means yes or no. Problems go to res as "row 7:
 * ...", a problem of the whole file without a row; res->rows counts the
 * rows read. Returns 0, or -1 when sink->store failed. */
int reg_xlsx_pass(const void *data, size_t len, const struct reg_context *cx,
		  const struct sheetread_limits *lim, const struct reg_sink *sink,
		  struct reg_import_result *res);

/* ---- counts.c: what the annual report and the dashboard read ---- */

/* Registered violations grouped by organisation row, year, category (with
 * its taxonomy revision), outcome and police report, from both sources:
 * imported registrations (the year of the date received) and closed cases
 * with a category (the year of opened_on, the day the suspicion entered the
 * case register, which is what a spreadsheet's "date received" records: so
 * a violation counts in the same year whichever source holds it, and the
 * organisation row is the one of that day in both). A case counts once it
 * is closed, because only then are its category and outcome final; a year's
 * figure can therefore still grow while cases opened in it are open. */
struct reg_count {
	int64_t org_id;
	int year;
	char category[REG_CATEGORY_MAX + 1];
	char taxonomy[REG_TAXONOMY_MAX + 1];
	int taxonomy_revision;
	char outcome[16];      /* reg_outcome_name, or "" for a case closed without one */
	int police_report;     /* 0, 1, or -1 for a case closed without it */
	int64_t registered;    /* rows imported from registers */
	int64_t cases;         /* closed cases */
};

/* Measures per organisation row, year and measure code, from both sources
 * (case_measure of closed cases with a category, years as above;
 * registration.measure). */
struct reg_measure_count {
	int64_t org_id;
	int year;
	char code[REG_MEASURE_MAX + 1];
	int64_t registered, cases;
};

/* Years year_from..year_to inclusive (0: unbounded on that side). Rows in
 * the order of the grouping; *out is malloc'd (free it), *n its length.
 * Returns 0 or -1 (db error). */
int registrations_counts(db_t *db, int year_from, int year_to, struct reg_count **out,
			 size_t *n);
int registrations_measure_counts(db_t *db, int year_from, int year_to,
				 struct reg_measure_count **out, size_t *n);

#endif
