/* sheetread.h: reading the first sheet of an XLSX workbook from memory, row
 * by row, for the importers of spreadsheets that departments keep (the
 * registers of src/registrations first). The writing side is src/web/sheet.h.
 *
 * An XLSX file is a zip archive of XML parts. The reader opens it with libzip
 * from the caller's bytes, takes xl/workbook.xml's first <sheet> (whatever
 * its name), finds that sheet's part and the shared strings through
 * xl/_rels/workbook.xml.rels, and streams the sheet's XML through expat,
 * handing each row with a value to the caller. Cells are placed by their
 * reference (B7 is the second cell of row 7): a cell the file leaves out is
 * an empty cell, and a row the file leaves out is not handed over at all.
 * Formulas are not evaluated: a cell gives the value Excel saved with it.
 *
 * Hostile files: an archive of more entries than max_entries is refused;
 * bytes are counted while they are inflated, never trusted from the zip's
 * headers, and reading stops when the parts read together pass max_unpacked
 * (a zip bomb); XML nested deeper than max_depth is refused; a document type
 * declaration (DTD) is refused outright, so no entity is ever defined or
 * fetched, and expat's own amplification limits stay on.
 *
 * Problems of the whole file (not a zip, a part missing, XML that is not
 * well-formed, a limit passed) end the reading with a plain message; problems
 * of one row (a cell too long, a value beyond max_cols, a shared string that
 * does not exist) come with that row in row->err, and reading goes on. */
#ifndef SHEETREAD_SHEETREAD_H
#define SHEETREAD_SHEETREAD_H
#include <stddef.h>
#include <stdint.h>

#define SHEETREAD_MAX_ROW 1048576u   /* Excel's last row */
#define SHEETREAD_MAX_COL 16384u     /* Excel's last column, XFD */

struct sheetread_limits {
	size_t max_entries;        /* entries in the archive */
	uint64_t max_unpacked;     /* bytes inflated, all parts read together */
	size_t max_cols;           /* columns read; a value further right is a row problem */
	size_t cell_max;           /* bytes of one cell's text */
	size_t max_depth;          /* XML elements nested */
	size_t max_strings;        /* entries of the shared strings table */
	uint64_t max_string_bytes; /* their text together */
};

/* The defaults: 10,000 entries, 512 MiB unpacked, 64 columns, 32,767 bytes
 * a cell (Excel's own limit), depth 64, 4 million shared strings of at most
 * 128 MiB together. */
void sheetread_limits_default(struct sheetread_limits *l);

enum sheetread_type {
	SHEETREAD_EMPTY = 0,
	SHEETREAD_TEXT,     /* shared, inline or a formula's text; an ISO date (t="d") */
	SHEETREAD_NUMBER,   /* as saved: "45000", "1.5", "1E-3"; dates are numbers too */
	SHEETREAD_BOOL,     /* "0" or "1" */
	SHEETREAD_ERROR,    /* an error value such as "#N/A" */
};

struct sheetread_cell {
	enum sheetread_type type;
	const char *p;      /* UTF-8, not NUL-terminated */
	size_t n;
};

struct sheetread_row {
	uint32_t number;    /* 1-based, as the spreadsheet shows it */
	/* cells[0..ncells): up to the last one with a value; columns past it
	 * and gaps before it are SHEETREAD_EMPTY */
	const struct sheetread_cell *cells;
	size_t ncells;
	/* "" or the row's problems, "; " between them; cells may then be partial */
	const char *err;
};

struct sheetread_info {
	char sheet_name[128];   /* the first sheet's name as the workbook gives it */
	int date1904;           /* the workbook counts days from 1904 (old Mac Excel) */
};

/* Called for each row with a value or a problem, in row order; returns 0 to
 * go on, anything else to stop reading. */
typedef int (*sheetread_row_fn)(void *ctx, const struct sheetread_row *row);

/* Reads data[0..len), an XLSX workbook (lim NULL: the defaults). info is
 * filled before the first row is handed over. Returns 0 after the last row,
 * 1 when fn stopped the reading, -1 with the reason in err. */
int sheetread_xlsx(const void *data, size_t len, const struct sheetread_limits *lim,
		   sheetread_row_fn fn, void *ctx, struct sheetread_info *info, char *err,
		   size_t errlen);

/* What kind of file data starts like: an XLSX or other zip archive, an old
 * binary Excel workbook (.xls, or a password-protected .xlsx, which is the
 * same kind of container), or anything else. */
enum sheetread_kind { SHEETREAD_OTHER, SHEETREAD_ZIP, SHEETREAD_OLE };
enum sheetread_kind sheetread_sniff(const void *data, size_t len);

/* An Excel day number (a cell's number in a date column) as YYYY-MM-DD.
 * The 1900 system counts 1 as 1900-01-01 and, as Lotus 1-2-3 did, has a
 * 29 February 1900 that never was (day 60, refused); the 1904 system counts
 * 0 as 1904-01-01. A fraction of a day (a time) is dropped. Returns 0, or -1
 * for text that is not a number or a day before the first or after
 * 9999-12-31. */
int sheetread_serial_date(const char *p, size_t n, int date1904, char out[11]);

/* The column letters of a 0-based column index (0 "A", 27 "AB"). */
void sheetread_col_name(size_t col, char out[4]);

#endif
