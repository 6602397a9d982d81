/* sheet.c: tables written as CSV or XLSX (sheet.h). Cells are kept in the
 * request's arena until the whole table is known, because an XLSX workbook is
 * written in one go when it is closed. */
#include "web/sheet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

enum cell_kind { CELL_EMPTY, CELL_TEXT, CELL_NUMBER };

struct cell {
	enum cell_kind kind;
	const char *s;
	double v;
};

struct sheet_table {
	struct arena *a;
	char name[SHEET_NAME_MAX + 1];
	size_t ncols;
	const char **headers;
	struct cell *cells;  /* rows * ncols, row-major */
	size_t rows, cap_rows;
	size_t col;          /* next cell of the current row */
};

struct sheet_book {
	struct arena *a;
	struct sheet_table *t[SHEET_TABLES_MAX];
	size_t n;
};

struct sheet_book *sheet_book_new(struct arena *a)
{
	struct sheet_book *b = arena_alloc(a, sizeof *b);
	memset(b, 0, sizeof *b);
	b->a = a;
	return b;
}

/* Excel refuses []:*?/\ in a sheet name, a name longer than 31 characters and
 * one that begins or ends with an apostrophe; replace rather than fail, since
 * names come from code, and keep a multi-byte character whole when cutting. */
static void clean_name(char *dst, const char *src, size_t index)
{
	size_t n = 0;
	for (const char *s = src ? src : ""; *s && n < SHEET_NAME_MAX; s++) {
		unsigned char c = (unsigned char)*s;
		dst[n++] = (strchr("[]:*?/\\'", c) || c < 0x20) ? '_' : (char)c;
	}
	while (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0x80)
		n--; /* drop a cut continuation byte ... */
	if (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0xC0)
		n--; /* ... and its lead byte */
	dst[n] = '\0';
	if (n == 0)
		snprintf(dst, SHEET_NAME_MAX + 1, "Sheet%zu", index + 1);
}

struct sheet_table *sheet_table_add(struct sheet_book *b, const char *name, size_t ncols,
				    const char *const *headers)
{
	if (b->n == SHEET_TABLES_MAX || ncols == 0 || ncols > SHEET_COLS_MAX)
		return NULL;
	struct sheet_table *t = arena_alloc(b->a, sizeof *t);
	memset(t, 0, sizeof *t);
	t->a = b->a;
	clean_name(t->name, name, b->n);
	/* sheet names must differ (ignoring case); number a repeat */
	for (size_t i = 0; i < b->n; i++) {
		if (strcasecmp(b->t[i]->name, t->name) == 0) {
			char tmp[SHEET_NAME_MAX + 1];
			snprintf(tmp, sizeof tmp, "%.24s (%zu)", t->name, b->n + 1);
			clean_name(t->name, tmp, b->n);
			break;
		}
	}
	t->ncols = ncols;
	t->headers = arena_alloc(b->a, ncols * sizeof *t->headers);
	for (size_t i = 0; i < ncols; i++)
		t->headers[i] = arena_strdup(b->a, headers && headers[i] ? headers[i] : "");
	t->col = ncols; /* no row open yet */
	b->t[b->n++] = t;
	return t;
}

size_t sheet_book_tables(const struct sheet_book *b)
{
	return b->n;
}

struct sheet_table *sheet_book_table(const struct sheet_book *b, size_t i)
{
	return i < b->n ? b->t[i] : NULL;
}

int sheet_row(struct sheet_table *t)
{
	if (t->rows == SHEET_ROWS_MAX)
		return -1;
	if (t->rows == t->cap_rows) {
		/* the arena cannot grow a block, so double into a new one: at
		 * most twice the final size is ever allocated */
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
		struct cell *c = arena_alloc(t->a, cap * t->ncols * sizeof *c);
		if (t->rows)
			memcpy(c, t->cells, t->rows * t->ncols * sizeof *c);
		t->cells = c;
		t->cap_rows = cap;
	}
	memset(&t->cells[t->rows * t->ncols], 0, t->ncols * sizeof *t->cells);
	t->rows++;
	t->col = 0;
	return 0;
}

static struct cell *next_cell(struct sheet_table *t)
{
	if (t->rows == 0 || t->col >= t->ncols)
		return NULL;
	return &t->cells[(t->rows - 1) * t->ncols + t->col++];
}

void sheet_text(struct sheet_table *t, const char *s)
{
	struct cell *c = next_cell(t);
	if (c && s) {
		size_t n = strlen(s);
		if (n > SHEET_CELL_MAX) {
			n = SHEET_CELL_MAX;
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--; /* keep a character whole */
		}
		c->kind = CELL_TEXT;
		c->s = arena_strndup(t->a, s, n);
	}
}

void sheet_number(struct sheet_table *t, double v)
{
	struct cell *c = next_cell(t);
	if (c) {
		c->kind = CELL_NUMBER;
		c->v = v;
	}
}

void sheet_int(struct sheet_table *t, long long v)
{
	sheet_number(t, (double)v);
}

void sheet_empty(struct sheet_table *t)
{
	(void)next_cell(t);
}

/* ---- CSV ---- */

static void csv_text(struct buf *out, const char *s)
{
	/* a leading character that makes a spreadsheet evaluate the cell */
	int guard = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_addc(out, '"');
	if (guard)
		buf_addc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(out, '"');
		buf_addc(out, *s);
	}
	if (quote)
		buf_addc(out, '"');
}

static void csv_cell(struct buf *out, const struct cell *c)
{
	if (c->kind == CELL_TEXT)
		csv_text(out, c->s);
	else if (c->kind == CELL_NUMBER)
		buf_printf(out, "%.15g", c->v);
}

void sheet_write_csv(const struct sheet_table *t, struct buf *out)
{
	buf_adds(out, "\xEF\xBB\xBF");
	for (size_t i = 0; i < t->ncols; i++) {
		if (i)
			buf_addc(out, ',');
		csv_text(out, t->headers[i]);
	}
	buf_adds(out, "\r\n");
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t i = 0; i < t->ncols; i++) {
			if (i)
				buf_addc(out, ',');
			csv_cell(out, &t->cells[r * t->ncols + i]);
		}
		buf_adds(out, "\r\n");
	}
}

/* ---- XLSX ---- */

static int xlsx_table(lxw_workbook *wb, lxw_format *bold, const struct sheet_table *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->name);
	if (!ws)
		return -1;
	for (size_t i = 0; i < t->ncols; i++) {
		if (worksheet_write_string(ws, 0, (lxw_col_t)i, t->headers[i], bold) != LXW_NO_ERROR)
			return -1;
		/* wide enough to read a header without resizing */
		size_t w = strlen(t->headers[i]);
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, w < 10 ? 12 : (double)w + 2,
				     NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t i = 0; i < t->ncols; i++) {
			const struct cell *c = &t->cells[r * t->ncols + i];
			lxw_error e = LXW_NO_ERROR;
			/* always a string or a number: text is never a formula */
			if (c->kind == CELL_TEXT)
				e = worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)i, c->s,
							   NULL);
			else if (c->kind == CELL_NUMBER)
				e = worksheet_write_number(ws, (lxw_row_t)(r + 1), (lxw_col_t)i, c->v,
							   NULL);
			if (e != LXW_NO_ERROR)
				return -1;
		}
	}
	return 0;
}

static int read_all(int fd, struct buf *out)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		buf_add(out, chunk, (size_t)n);
	}
}

int sheet_write_xlsx(const struct sheet_book *b, struct buf *out, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/probity-xlsx-XXXXXX", dir) >= sizeof path) {
		snprintf(err, errlen, "TMPDIR is too long");
		return -1;
	}
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, "no temporary file in %s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = -1;
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = (char *)dir};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb) {
		snprintf(err, errlen, "the spreadsheet library could not start a workbook");
		goto done;
	}
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	int ok = 1;
	for (size_t i = 0; ok && i < b->n; i++)
		ok = xlsx_table(wb, bold, b->t[i]) == 0;
	if (b->n == 0)
		workbook_add_worksheet(wb, NULL);
	lxw_error e = workbook_close(wb); /* writes the file and frees wb */
	if (!ok || e != LXW_NO_ERROR) {
		snprintf(err, errlen, "the spreadsheet could not be written: %s",
			 e != LXW_NO_ERROR ? lxw_strerror(e) : "a cell or sheet was refused");
		goto done;
	}
	if (lseek(fd, 0, SEEK_SET) != 0 || read_all(fd, out) != 0) {
		snprintf(err, errlen, "the spreadsheet could not be read back: %s", strerror(errno));
		goto done;
	}
	rc = 0;
done:
	unlink(path);
	close(fd);
	return rc;
}
