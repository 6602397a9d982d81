/* xlsxmake.h: workbooks for the tests of src/sheetread and the register
 * import. xm_book writes one with libxlsxwriter, as the exports do, so that
 * strings, numbers, dates and booleans come out the way Excel-like writers
 * store them; xm_zip writes any archive of named parts with libzip, for the
 * files no writer makes (a bomb, a DTD, a missing part, the 1904 system). */
#ifndef TESTS_UNIT_SHEETREAD_XLSXMAKE_H
#define TESTS_UNIT_SHEETREAD_XLSXMAKE_H
#include <stddef.h>

/* A cell of xm_book: "" empty (not written), "#12.5" a number, "@2023-05-03"
 * a date (a day number with a date format), "?1"/"?0" true/false, "=..." a
 * formula, anything else a string. */
struct xm_sheet {
	const char *const *cells;   /* rows * cols */
	size_t rows, cols;
	int inline_strings;         /* constant_memory: inline, not shared strings */
};

/* Writes the sheet as path's only worksheet, named "Blad1". Returns 0 or -1. */
int xm_book(const char *path, const struct xm_sheet *s);

struct xm_part {
	const char *name;
	const char *data;
	size_t len;     /* 0: strlen(data) */
};

/* Writes a zip of the parts (deflated). Returns 0 or -1. */
int xm_zip(const char *path, const struct xm_part *parts, size_t n);

/* The parts of a minimal workbook around sheet (the first sheet's XML) and
 * strings (sharedStrings.xml, NULL for none); date1904 in workbook.xml.
 * Fills parts[0..4) or [0..5); returns how many. */
size_t xm_minimal(struct xm_part parts[6], const char *sheet, const char *strings,
		  int date1904);

/* Reads a whole file; malloc'd, *n its length; NULL on failure. */
char *xm_read(const char *path, size_t *n);

#endif
