/* fuzz_culture_csv.c: the culture importer's rules (src/culture/row.c) on
 * any bytes, read through the registrations' CSV reader as import.c reads
 * them (the whole file at once). The first record goes to the header rules
 * and, when it is a header, every later one to the row rules. Nothing may
 * crash or read outside the buffer; every message is terminated printable
 * text; an accepted row keeps its limits (a value 0..1000 tenths, at least
 * 10 respondents, a year in range, a known indicator, a one-line source).
 * The bytes are also handed to the value and respondents parsers whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "culture/culture.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct csv_reader r;
	const char *text = (const char *)data;
	int tenths;
	int64_t n;
	if (culture_parse_value(text, size, &tenths) == 0 && (tenths < 0 || tenths > 1000))
		abort();
	if (culture_parse_respondents(text, size, &n) == 0 && (n < 1 || n > CULTURE_MAX_RESPONDENTS))
		abort();
	csv_init(&r);
	struct culture_header h;
	int header = -1;
	size_t pos = 0, used;
	for (;;) {
		enum csv_result cr = csv_next(&r, text + pos, size - pos, 1, &used);
		if (used > size - pos)
			abort();
		pos += used;
		if (cr == CSV_END)
			break;
		if (cr == CSV_MORE)
			abort();   /* never at the end of the input */
		if (cr == CSV_ERROR) {
			fuzz_printable(r.err, sizeof r.err);
			continue;
		}
		char err[700];
		if (header < 0) {
			header = culture_header_parse(r.fields, r.nfields, &h, err, sizeof err) == 0;
			if (!header)
				fuzz_printable(err, sizeof err);
			continue;
		}
		if (!header)
			break;
		struct culture_row row;
		switch (culture_row_check(&h, r.fields, r.nfields, 2025, &row, err, sizeof err)) {
		case CUL_ROW_OK:
			if (row.tenths < 0 || row.tenths > 1000 ||
			    row.respondents < CULTURE_MIN_RESPONDENTS || row.year < CULTURE_YEAR_MIN ||
			    row.year > 2025 || row.indicator < 0 ||
			    row.indicator >= CULTURE_NINDICATORS || !row.org[0] || !row.source[0] ||
			    strlen(row.source) > CULTURE_SOURCE_MAX || strchr(row.source, '\n'))
				abort();
			break;
		case CUL_ROW_BAD: fuzz_printable(err, sizeof err); break;
		case CUL_ROW_BLANK: break;
		}
	}
	return 0;
}
