/* fuzz_registrations_xlsx.c: the XLSX reader (src/sheetread) and the
 * register's workbook pass (src/registrations/xlsx.c) on any bytes, from
 * memory. Nothing may crash, leak, loop or read outside the buffer; rows
 * come in increasing order within the sheet's bounds, with at most
 * max_cols cells of at most cell_max bytes each, an empty cell empty and
 * every other one non-empty; every message, of a row or of the whole file,
 * is terminated printable text; a row that passes the row rules keeps the
 * rules' limits. The limits are small so that short inputs reach them.
 *
 * Bytes that start as a zip are read as the workbook. Mutating a zip mostly
 * breaks its deflate streams and checksums, so any other input is taken as
 * the first sheet's XML and stored (uncompressed) in a workbook with a fixed
 * shared strings table: that is how the fuzzer reaches the sheet's rules.
 * The corpus holds workbooks written by libxlsxwriter and by hand (shared
 * and inline strings, rich text, dates, the 1904 system), broken ones, and
 * sheets as XML. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "fuzz_util.h"
#include "registrations/registrations.h"
#include "sheetread/sheetread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sheetread_limits lim;

static void setup(void)
{
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
	fuzz_printable(row->err, 1000);
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
	fuzz_reg_row_sane(row);
	return 0;
}

static const char wb_xml[] =
	"<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"Blad1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels_xml[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
	"2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
static const char sst_xml[] =
	"<sst><si><t>organisation</t></si><si><t>date received</t></si><si><t>category</t></si>"
	"<si><t>taxonomy version</t></si><si><t>outcome</t></si><si><t>measure</t></si>"
	"<si><t>police report</t></si><si><t>FIN</t></si><si><t>EZK</t></si>"
	"<si><t>established</t></si><si><r><t>not </t></r><r><t>established</t></r></si>"
	"<si><t>2023-01-01</t></si><si><t>no</t></si><si><t>written_reprimand</t></si></sst>";

/* A workbook around sheet[0..n), its parts stored; malloc'd, or NULL. */
static uint8_t *wrap(const uint8_t *sheet, size_t n, size_t *len)
{
	const struct {
		const char *name;
		const void *p;
		size_t n;
	} parts[] = {
		{"xl/workbook.xml", wb_xml, sizeof wb_xml - 1},
		{"xl/_rels/workbook.xml.rels", rels_xml, sizeof rels_xml - 1},
		{"xl/sharedStrings.xml", sst_xml, sizeof sst_xml - 1},
		{"xl/worksheets/sheet1.xml", sheet, n},
	};
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	uint8_t *out = NULL;
	zip_error_fini(&ze);
	if (!za) {
		zip_source_free(src);
		return NULL;
	}
	zip_source_keep(src); /* read it after zip_close */
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		zip_source_t *s = zip_source_buffer(za, parts[i].p, parts[i].n, 0);
		zip_int64_t idx = s ? zip_file_add(za, parts[i].name, s, 0) : -1;
		if (idx < 0 || zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) != 0) {
			zip_source_free(s);
			zip_discard(za);
			zip_source_free(src);
			return NULL;
		}
	}
	if (zip_close(za) != 0) {
		zip_discard(za);
		zip_source_free(src);
		return NULL;
	}
	zip_stat_t st;
	if (zip_source_stat(src, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    zip_source_open(src) == 0) {
		out = malloc(st.size ? st.size : 1);
		if (out && zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
			free(out);
			out = NULL;
		}
		*len = st.size;
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

static void run(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		setup();
		ready = 1;
	}
	if (size > 1024 * 1024)
		return 0;
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		run(data, size);
		return 0;
	}
	size_t len = 0;
	uint8_t *book = wrap(data, size, &len);
	if (!book)
		abort();
	run(book, len);
	free(book);
	return 0;
}

static void run(const uint8_t *data, size_t size)
{
	struct seen s = {0};
	struct sheetread_info info;
	char err[400];
	int rc = sheetread_xlsx(data, size, &lim, check_row, &s, &info, err, sizeof err);
	if (rc == -1)
		fuzz_printable(err, sizeof err);
	else if (rc != 0)
		abort();
	if (!memchr(info.sheet_name, 0, sizeof info.sheet_name))
		abort();

	struct reg_import_result res = {0};
	struct reg_sink sink = {.store = store};
	if (reg_xlsx_pass(data, size, fuzz_reg_context(), &lim, &sink, &res) != 0)
		abort();
	for (size_t i = 0; i < res.nlisted; i++)
		fuzz_printable(res.problems[i], strlen(res.problems[i]) + 1);
	if (res.nlisted > REG_MAX_PROBLEMS || res.nproblems < res.nlisted)
		abort();
	reg_import_result_free(&res);
}
