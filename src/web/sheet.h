/* sheet.h: one table model written as CSV or as an XLSX workbook, for the
 * exports civil servants open in their office suite (assessments and risk
 * registers, issue 6; the annual report, issue 7).
 *
 * A book holds tables; a table has a name (the sheet's, at most 31
 * characters, no []:*?/\), a header row and rows of cells, each text or a
 * number. Everything lives in the caller's arena.
 *
 * CSV: RFC 4180 (comma, CRLF, quotes doubled), UTF-8 with a byte-order mark
 * so that spreadsheet programs read accented letters right. A text cell that
 * begins with = + - @ TAB or CR is prefixed with an apostrophe (OWASP "CSV
 * injection"): an export never carries a formula a spreadsheet would run.
 * XLSX (libxlsxwriter): one worksheet per table, header row bold and frozen,
 * text always written as a string, never as a formula. libxlsxwriter writes
 * to a file, so the workbook goes to a private temporary file (mkstemp in
 * $TMPDIR or /tmp, mode 0600) that is read back and removed at once. */
#ifndef WEB_SHEET_H
#define WEB_SHEET_H
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"

#define SHEET_NAME_MAX 31       /* Excel's limit on a sheet name */
#define SHEET_COLS_MAX 64
#define SHEET_ROWS_MAX 1000000  /* below Excel's 1,048,576 rows */
#define SHEET_TABLES_MAX 32
#define SHEET_CELL_MAX 32767    /* Excel's limit on the characters of a cell */

struct sheet_book;
struct sheet_table;

struct sheet_book *sheet_book_new(struct arena *a);
/* Adds a table with ncols columns named by headers (copied). A name that is
 * too long or holds a character Excel refuses is shortened or replaced.
 * Returns NULL past SHEET_TABLES_MAX or with ncols 0 or > SHEET_COLS_MAX. */
struct sheet_table *sheet_table_add(struct sheet_book *b, const char *name, size_t ncols,
				    const char *const *headers);
/* Starts a row; cells then fill it left to right. A row left short is padded
 * with empty cells; cells beyond ncols are dropped. Returns -1 past
 * SHEET_ROWS_MAX. */
int sheet_row(struct sheet_table *t);
void sheet_text(struct sheet_table *t, const char *s);      /* NULL: empty */
void sheet_number(struct sheet_table *t, double v);
void sheet_int(struct sheet_table *t, long long v);
void sheet_empty(struct sheet_table *t);

/* The number of tables, and one of them (0-based), or NULL. */
size_t sheet_book_tables(const struct sheet_book *b);
struct sheet_table *sheet_book_table(const struct sheet_book *b, size_t i);

/* Appends table t as CSV to out. */
void sheet_write_csv(const struct sheet_table *t, struct buf *out);
/* Appends the whole book as XLSX bytes to out. Returns 0, or -1 with a
 * reason in err (no temporary file, libxlsxwriter's own error). */
int sheet_write_xlsx(const struct sheet_book *b, struct buf *out, char *err, size_t errlen);

#endif
