/* xlsxmake.c: see xlsxmake.h. */
#include "xlsxmake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>
#include <zip.h>

int xm_book(const char *path, const struct xm_sheet *s)
{
	lxw_workbook_options o = {.constant_memory = s->inline_strings ? LXW_TRUE : LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &o);
	if (!wb)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Blad1");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd-mm-yyyy");
	for (size_t r = 0; r < s->rows; r++)
		for (size_t c = 0; c < s->cols; c++) {
			const char *v = s->cells[r * s->cols + c];
			lxw_row_t row = (lxw_row_t)r;
			lxw_col_t col = (lxw_col_t)c;
			if (!v[0])
				continue;
			if (v[0] == '#') {
				worksheet_write_number(ws, row, col, strtod(v + 1, NULL), NULL);
			} else if (v[0] == '@') {
				lxw_datetime d = {0};
				if (sscanf(v + 1, "%d-%d-%d", &d.year, &d.month, &d.day) != 3)
					return -1;
				worksheet_write_datetime(ws, row, col, &d, date);
			} else if (v[0] == '?') {
				worksheet_write_boolean(ws, row, col, v[1] == '1', NULL);
			} else if (v[0] == '=') {
				worksheet_write_formula(ws, row, col, v, NULL);
			} else {
				worksheet_write_string(ws, row, col, v, NULL);
			}
		}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

int xm_zip(const char *path, const struct xm_part *parts, size_t n)
{
	int err;
	remove(path);
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!za)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
		zip_source_t *src = zip_source_buffer(za, parts[i].data, len, 0);
		if (!src || zip_file_add(za, parts[i].name, src, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(src);
			zip_discard(za);
			return -1;
		}
	}
	return zip_close(za) == 0 ? 0 : -1;
}

size_t xm_minimal(struct xm_part parts[6], const char *sheet, const char *strings,
		  int date1904)
{
	static const char types[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
	static const char wb[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<workbookPr/><sheets><sheet name=\"Registers\" sheetId=\"1\" r:id=\"rId7\"/>"
		"<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>";
	static const char wb1904[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<workbookPr date1904=\"1\"/><sheets><sheet name=\"Registers\" sheetId=\"1\" "
		"r:id=\"rId7\"/></sheets></workbook>";
	static const char rels[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
		"<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/worksheet\" Target=\"/xl/worksheets/../worksheets/first.xml\"/>"
		"<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
		"</Relationships>";
	/* the same without the shared strings */
	static const char rels_nostrings[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/worksheet\" Target=\"worksheets/first.xml\"/>"
		"</Relationships>";
	static const char other[] =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>not this sheet</t></is>"
		"</c></row></sheetData></worksheet>";
	size_t n = 0;
	parts[n++] = (struct xm_part){"[Content_Types].xml", types, 0};
	parts[n++] = (struct xm_part){"xl/workbook.xml", date1904 ? wb1904 : wb, 0};
	parts[n++] = (struct xm_part){"xl/_rels/workbook.xml.rels", strings ? rels : rels_nostrings, 0};
	parts[n++] = (struct xm_part){"xl/worksheets/first.xml", sheet, 0};
	parts[n++] = (struct xm_part){"xl/worksheets/sheet2.xml", other, 0};
	if (strings)
		parts[n++] = (struct xm_part){"xl/sharedStrings.xml", strings, 0};
	return n;
}

char *xm_read(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 4096, len = 0, k;
	char *b = malloc(cap);
	while (b && (k = fread(b + len, 1, cap - len, fp)) > 0) {
		len += k;
		if (len == cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	fclose(fp);
	if (b)
		*n = len;
	return b;
}
