/* xlsx.c: a register saved as an Excel workbook (registrations.h). The
 * first sheet is read through src/sheetread and each row goes through the
 * same header and row rules as a CSV line (row.c), so that a workbook and
 * its CSV twin are judged alike; only what a workbook stores differently is
 * translated first: a number in the date column is Excel's day number, and
 * a true/false cell in the police report column is yes or no. Pure: rows
 * that pass go to the caller's store function, nothing else leaves. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registrations/registrations.h"
#include "sheetread/sheetread.h"

struct pass {
	const struct reg_context *cx;
	const struct reg_sink *sink;
	struct reg_import_result *res;
	struct sheetread_info info;
	struct reg_header h;
	int have_header, store_failed;
	size_t rows;
	struct csv_field f[CSV_MAX_FIELDS];
	char date[DATE_LEN + 1];
};

void reg_sheet_limits(struct sheetread_limits *l)
{
	sheetread_limits_default(l);
	l->max_cols = CSV_MAX_FIELDS;
	l->cell_max = CSV_FIELD_MAX;
}

/* The cell as the text a CSV line would hold. */
static struct csv_field as_text(const struct sheetread_cell *c)
{
	if (c->type == SHEETREAD_BOOL)
		return c->p[0] == '1' ? (struct csv_field){"TRUE", 4} : (struct csv_field){"FALSE", 5};
	return (struct csv_field){c->p, c->n};
}

/* The cells up to the last one that holds more than spaces: a space typed
 * right of the table is as empty as in a CSV line, where row.c trims it. */
static size_t width_of(const struct sheetread_row *row)
{
	size_t n = row->ncells;
	for (; n; n--) {
		const struct sheetread_cell *c = &row->cells[n - 1];
		size_t k = 0;
		while (k < c->n && (c->p[k] == ' ' || c->p[k] == '\t'))
			k++;
		if (k < c->n)
			break;
	}
	return n;
}

static int on_row(void *ctx, const struct sheetread_row *row)
{
	struct pass *p = ctx;
	struct reg_import_result *res = p->res;
	char err[700];
	unsigned num = (unsigned)row->number;
	size_t ncells = width_of(row);
	if (!ncells && !row->err[0])
		return 0; /* only spaces: a blank row, as row.c skips one */
	if (!p->have_header) {
		if (row->err[0]) {
			reg_problem(res, "row %u: %s", num, row->err);
			return 1; /* without a header no row can be read */
		}
		for (size_t i = 0; i < ncells; i++)
			p->f[i] = as_text(&row->cells[i]);
		if (reg_header_parse(p->f, ncells, &p->h, err, sizeof err) != 0) {
			reg_problem(res, "row %u: %s", num, err);
			return 1;
		}
		p->have_header = 1;
		return 0;
	}
	size_t width = p->h.nfields;
	if (row->err[0]) {
		reg_problem(res, "row %u: %s", num, row->err);
	} else if (ncells > width) {
		char col[4], last[4];
		sheetread_col_name(ncells - 1, col);
		sheetread_col_name(width - 1, last);
		reg_problem(res, "row %u: column %s has a value, but the header ends at column %s",
			    num, col, last);
	} else {
		/* a workbook leaves empty cells at the end of a row out */
		for (size_t i = 0; i < width; i++)
			p->f[i] = i < ncells ? as_text(&row->cells[i]) : (struct csv_field){"", 0};
		size_t dc = p->h.field[REG_COL_RECEIVED], pc = p->h.field[REG_COL_POLICE];
		if (dc < ncells && row->cells[dc].type == SHEETREAD_NUMBER &&
		    sheetread_serial_date(row->cells[dc].p, row->cells[dc].n, p->info.date1904,
					  p->date) == 0)
			p->f[dc] = (struct csv_field){p->date, DATE_LEN};
		/* a day number that is no day stays a number, which the date rule refuses */
		if (pc < ncells && row->cells[pc].type == SHEETREAD_BOOL)
			p->f[pc] = row->cells[pc].p[0] == '1' ? (struct csv_field){"yes", 3}
							     : (struct csv_field){"no", 2};
		struct reg_row r;
		switch (reg_row_check(p->cx, &p->h, p->f, width, &r, err, sizeof err)) {
		case REG_ROW_BLANK:
			return 0;
		case REG_ROW_BAD:
			reg_problem(res, "row %u: %s", num, err);
			break;
		case REG_ROW_OK:
			if (res->nproblems == 0 && p->rows < REG_MAX_ROWS && p->sink->store &&
			    p->sink->store(p->sink->ctx, &r) != 0) {
				p->store_failed = 1;
				return 1;
			}
			break;
		}
	}
	p->rows++;
	res->rows = p->rows;
	if (p->rows > REG_MAX_ROWS) {
		reg_problem(res, "row %u: more than %d rows: split the file", num, REG_MAX_ROWS);
		return 1;
	}
	if (p->sink->progress && p->rows % REG_PROGRESS_EVERY == 0)
		p->sink->progress(p->sink->progress_ctx, p->rows);
	return 0;
}

int reg_xlsx_pass(const void *data, size_t len, const struct reg_context *cx,
		  const struct sheetread_limits *lim, const struct reg_sink *sink,
		  struct reg_import_result *res)
{
	struct sheetread_limits dflt;
	struct pass p = {.cx = cx, .sink = sink, .res = res};
	char err[400];
	if (!lim) {
		reg_sheet_limits(&dflt);
		lim = &dflt;
	}
	int rc = sheetread_xlsx(data, len, lim, on_row, &p, &p.info, err, sizeof err);
	res->rows = p.rows;
	if (p.store_failed)
		return -1;
	if (rc < 0) {
		reg_problem(res, "%s", err);
		return 0;
	}
	if (rc == 0 && !p.have_header)
		reg_problem(res, "the first sheet is empty: it needs a header row naming the "
				 "columns");
	else if (rc == 0 && p.rows == 0)
		reg_problem(res, "the first sheet has a header but no registrations");
	return 0;
}
