/* culture.h: culture indicators (issue 7 item 8; docs/monitoring.md,
 * "Culture indicators"): survey figures per department and year, such as the
 * share of staff who would report a suspicion of wrongdoing, shown on
 * /cultuur as trends beside the reports the department received, so that a
 * reader can set "would report" against "did report".
 *
 *   row.c     pure: the indicators, the header's columns, the check of one row
 *   import.c  `probity import culture FILE`: all or nothing, one audit entry
 *   read.c    a department's figures and its reports per year
 *   pages.c   the page and its downloads (pages.h)
 *
 * Migration 0019_culture.sql holds the tables. Only aggregates of at least
 * CULTURE_MIN_RESPONDENTS respondents are stored: a share of fewer people
 * could be traced back to them, so it is refused, never hidden later. */
#ifndef CULTURE_CULTURE_H
#define CULTURE_CULTURE_H
#include <stddef.h>
#include <stdint.h>

#include "crypto/audit.h"
#include "orgs/orgs.h"
#include "registrations/csv.h"
#include "store/db.h"

#define CULTURE_MIN_RESPONDENTS 10
#define CULTURE_MAX_RESPONDENTS 10000000
#define CULTURE_SOURCE_MAX 200      /* bytes */
#define CULTURE_YEAR_MIN 1990
#define CULTURE_MAX_ROWS 100000     /* rows of one file: a dozen departments × years × indicators */
#define CULTURE_FILE_MAX (16 * 1024 * 1024)
#define CULTURE_MAX_PROBLEMS 100
#define CULTURE_FILE_NAME_MAX 255

/* ---- row.c: pure ---- */

struct culture_indicator {
	const char *code;   /* in the file and the database */
	const char *name;   /* English msgid; the page translates it */
	const char *name_nl;/* the Dutch name, for the command line's help */
};

/* The fixed list: adding one is a line in row.c (the database keeps the
 * code only, so no migration is needed). */
#define CULTURE_NINDICATORS 4
extern const struct culture_indicator culture_indicators[CULTURE_NINDICATORS];
/* The index of code (ASCII case ignored), or -1. */
int culture_indicator_find(const char *code, size_t n);

enum culture_column { CUL_COL_ORG, CUL_COL_YEAR, CUL_COL_INDICATOR, CUL_COL_VALUE,
		      CUL_COL_RESPONDENTS, CUL_COL_SOURCE, CUL_NCOLUMNS };

struct culture_header {
	size_t field[CUL_NCOLUMNS];
	size_t nfields;
};

/* The header row: every column once, in English or Dutch, any order, case,
 * spaces, '_' and '-' ignored. 0, or -1 with the reason in err. */
int culture_header_parse(const struct csv_field *f, size_t n, struct culture_header *h,
			 char *err, size_t errlen);

/* A percentage from 0 to 100 with at most one decimal, comma or point
 * ("73", "73,5", "73.5", "100,0"); spaces around are allowed, a '%' at the
 * end too. *tenths gets 0..1000. 0 or -1. */
int culture_parse_value(const char *s, size_t n, int *tenths);
/* Respondents: a whole number from 1 up (digits only). 0 or -1. */
int culture_parse_respondents(const char *s, size_t n, int64_t *out);

struct culture_row {
	char org[ORG_CODE_MAX + 1];
	int year;
	int indicator;        /* index into culture_indicators */
	int tenths;           /* the value × 10 */
	int64_t respondents;
	char source[CULTURE_SOURCE_MAX + 1];
};

enum culture_check { CUL_ROW_OK = 0, CUL_ROW_BLANK = 1, CUL_ROW_BAD = -1 };

/* Checks one data row; this_year bounds the year. Every problem of the row
 * goes to err, separated by "; ", quoted values cut and made printable. */
enum culture_check culture_row_check(const struct culture_header *h, const struct csv_field *f,
				     size_t n, int this_year, struct culture_row *out, char *err,
				     size_t errlen);

/* ---- import.c ---- */

enum culture_status {
	CUL_OK = 0,
	CUL_EINVALID,    /* problems: see res->problems */
	CUL_ENOTFOUND,
	CUL_ECONFLICT,   /* the same file (SHA-256) was imported before */
	CUL_EIO,
	CUL_EDB,
};

struct culture_import_opts {
	const char *actor;
	const char *today;   /* NULL: date_today() */
	int again;           /* import a file whose SHA-256 was imported before */
	int replace;         /* replace figures already present */
};

struct culture_import_result {
	int64_t import_id;
	size_t rows, replaced;
	char sha256[65];
	int64_t previous_id;
	char **problems;     /* "line 3: ..." */
	size_t nlisted, nproblems;
	char err[600];
};

/* Imports the CSV file at path in one write transaction: the organisation
 * code must name a department that existed in the year; a (department,
 * year, indicator) already stored is refused naming the line unless
 * opts->replace; the same triple twice in the file is refused. Any problem
 * writes nothing. One audit entry (culture.import). Free res with
 * culture_import_result_free. */
enum culture_status culture_import_csv(db_t *db, const struct audit_signer *signer,
				       const char *path, const struct culture_import_opts *opts,
				       struct culture_import_result *res);
void culture_import_result_free(struct culture_import_result *res);

/* ---- read.c ---- */

#define CULTURE_YEARS_MAX 64

struct culture_year {
	int year;
	int tenths[CULTURE_NINDICATORS];        /* -1: no figure */
	int64_t respondents[CULTURE_NINDICATORS];
	int64_t reports;                        /* reports received that year */
	int64_t registered;                     /* violations registered (registers + closed cases) */
};

struct culture_series {
	struct culture_year y[CULTURE_YEARS_MAX];   /* ascending */
	size_t n;
	int has[CULTURE_NINDICATORS];               /* any figure of the indicator */
	const char *sources[CULTURE_YEARS_MAX];     /* distinct sources, malloc'd */
	size_t nsources;
};

/* The years with a culture figure for department dept_id (its rows under the
 * same code: a department that kept its code through a split continues),
 * each with the reports its organisation rows (those and their units)
 * received and the violations registered in that year. 0 or -1 (db error). */
int culture_load(db_t *db, int64_t dept_id, struct culture_series *out);
void culture_series_free(struct culture_series *s);

#endif
