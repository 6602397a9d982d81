/* fuzz_registrations_xlsx.c: the XLSX reader (src/sheetread) and the
 * register's workbook pass (src/registrations/xlsx.c) on any bytes, from
 * memory. Nothing may crash, leak, loop or read outside the buffer; rows
 * come in increasing order within the sheet's bounds, with at most
 * max_cols cells of at most cell_max bytes each, an empty cell empty and
 * every other one non-empty; every message, of a row or of the whole file,
 * is terminated printable text; a row that passes the row rules keeps the
 * rules' limits. The limits are small so that short inputs reach them. The
 * corpus holds workbooks written by libxlsxwriter and by hand (shared and
 * inline strings, rich text, dates, the 1904 system) and broken ones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registrations/registrations.h"
#include "sheetread/sheetread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *s, size_t cap)
{
	if (!memchr(s, 0, cap))
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			abort();
}

static struct org_table orgs;
static struct reg_context cx;
static struct sheetread_limits lim;

static void setup(void)
{
	static const struct {
		const char *code, *from, *to;
		enum org_kind kind;
	} rows[] = {
		{"RIJK", "2010-01-01", "", ORG_GOVERNMENT},
		{"EZK", "2017-10-26", "2024-07-02", ORG_DEPARTMENT},
		{"EZ", "2024-07-02", "", ORG_DEPARTMENT},
		{"FIN", "2010-01-01", "", ORG_DEPARTMENT},
	};
	char err[300];
	org_table_init(&orgs);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct org o = {0};
		o.id = (int64_t)i + 1;
		strcpy(o.code, rows[i].code);
		strcpy(o.name, rows[i].code);
		o.kind = rows[i].kind;
		o.parent_id = i ? 1 : 0;
		strcpy(o.valid_from, rows[i].from);
		strcpy(o.valid_to, rows[i].to);
		if (org_table_add_row(&orgs, &o) != 0)
			abort();
	}
	if (reg_context_init(&cx, &orgs, "2025-06-30", err, sizeof err) != 0)
		abort();
	reg_sheet_limits(&lim);
	lim.max_unpacked = 8 << 20;
	lim.max_cols = 12;
	lim.cell_max = 40;
	lim.max_depth = 24;
	lim.max_strings = 1000;
	lim.max_string_bytes = 16 << 10;
}

struct seen {
	uint32_t last;
};

static int check_row(void *ctx, const struct sheetread_row *row)
{
	struct seen *s = ctx;
	if (row->number <= s->last || row->number > SHEETREAD_MAX_ROW)
		abort();
	s->last = row->number;
	printable(row->err, 1000);
	if (row->ncells > lim.max_cols || (!row->ncells && !row->err[0]))
		abort();
	for (size_t i = 0; i < row->ncells; i++) {
		const struct sheetread_cell *c = &row->cells[i];
		if (c->type > SHEETREAD_ERROR || c->n > lim.cell_max ||
		    (c->type == SHEETREAD_EMPTY) != (c->n == 0))
			abort();
		if (c->type == SHEETREAD_BOOL && (c->n != 1 || (c->p[0] != '0' && c->p[0] != '1')))
			abort();
		/* touch every byte, so that ASan sees a read outside */
		volatile char sink = 0;
		for (size_t k = 0; k < c->n; k++)
			sink ^= c->p[k];
		(void)sink;
	}
	if (row->ncells && row->cells[row->ncells - 1].type == SHEETREAD_EMPTY)
		abort();
	return 0;
}

static int store(void *ctx, const struct reg_row *row)
{
	(void)ctx;
	if (row->org_id < 2 || row->org_id > 4 ||
	    date_valid(row->received_on, strlen(row->received_on)) != 0 ||
	    strcmp(row->received_on, cx.today) > 0 || !row->category[0] ||
	    row->taxonomy_revision < 1)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		setup();
		ready = 1;
	}
	if (size > 1024 * 1024)
		return 0;
	struct seen s = {0};
	struct sheetread_info info;
	char err[400];
	int rc = sheetread_xlsx(data, size, &lim, check_row, &s, &info, err, sizeof err);
	if (rc == -1)
		printable(err, sizeof err);
	else if (rc != 0)
		abort();
	if (!memchr(info.sheet_name, 0, sizeof info.sheet_name))
		abort();

	struct reg_import_result res = {0};
	struct reg_sink sink = {.store = store};
	if (reg_xlsx_pass(data, size, &cx, &lim, &sink, &res) != 0)
		abort();
	for (size_t i = 0; i < res.nlisted; i++)
		printable(res.problems[i], strlen(res.problems[i]) + 1);
	if (res.nlisted > REG_MAX_PROBLEMS || res.nproblems < res.nlisted)
		abort();
	reg_import_result_free(&res);
	return 0;
}
