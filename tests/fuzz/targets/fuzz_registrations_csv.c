/* fuzz_registrations_csv.c: the register importer's CSV reader
 * (src/registrations/csv.c) and row rules (row.c) on any bytes. The first
 * byte picks a chunk size; the rest is read whole and in chunks, and both
 * readings must give the same records, errors and line numbers. Nothing may
 * crash, loop or read outside the buffer; at the end of input every call
 * must use bytes or end; fields stay within their limits; every message is
 * terminated printable text. The first record goes to the header rules and,
 * when it is a header, every later one to the row rules against a small
 * organisation tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "registrations/registrations.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FNV-1a over everything a reading produced. */
static void mix(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * 1099511628211u;
}

static uint64_t read_all(struct csv_reader *r, const char *text, size_t len, size_t step,
			 char *buf)
{
	uint64_t h = 14695981039346656037u;
	size_t have = 0, given = 0;
	struct reg_header hdr;
	int header = -1;
	for (;;) {
		size_t add = step < len - given ? step : len - given;
		memcpy(buf + have, text + given, add);
		have += add;
		given += add;
		int eof = given == len;
		size_t pos = 0, used;
		for (;;) {
			size_t before = have - pos;
			enum csv_result cr = csv_next(r, buf + pos, have - pos, eof, &used);
			if (used > before)
				abort();
			pos += used;
			if (cr == CSV_MORE) {
				if (eof)
					abort();
				break;
			}
			if (cr == CSV_END)
				return h;
			if (eof && used == 0)
				abort(); /* no progress at the end: it would loop */
			mix(&h, &cr, sizeof cr);
			mix(&h, &r->line, sizeof r->line);
			if (cr == CSV_ERROR) {
				fuzz_printable(r->err, sizeof r->err);
				mix(&h, r->err, strlen(r->err));
				continue;
			}
			if (r->nfields < 1 || r->nfields > CSV_MAX_FIELDS)
				abort();
			for (size_t i = 0; i < r->nfields; i++) {
				if (r->fields[i].n > r->field_max)
					abort();
				mix(&h, r->fields[i].p, r->fields[i].n);
				mix(&h, "|", 1);
			}
			char err[900];
			if (header < 0) {
				header = reg_header_parse(r->fields, r->nfields, &hdr, err, sizeof err) == 0;
				if (!header)
					fuzz_printable(err, sizeof err);
			} else if (header) {
				struct reg_row row;
				enum reg_check c =
					reg_row_check(fuzz_reg_context(), &hdr, r->fields, r->nfields, &row, err, sizeof err);
				if (c == REG_ROW_BAD) {
					fuzz_printable(err, sizeof err);
				} else if (c == REG_ROW_OK) {
					fuzz_reg_row_sane(&row);
				}
			}
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct csv_reader r1, r2;
	if (size < 1 || size > 1024 * 1024)
		return 0;
	size_t step = 1 + data[0] % 64;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	char *buf = malloc(len + 1);
	if (!buf)
		return 0;
	csv_init(&r1);
	csv_init(&r2);
	/* small limits, so that short inputs reach them */
	r1.line_max = r2.line_max = 300;
	r1.field_max = r2.field_max = 40;
	uint64_t whole = read_all(&r1, text, len, len ? len : 1, buf);
	uint64_t chunked = read_all(&r2, text, len, step, buf);
	if (whole != chunked)
		abort();
	free(buf);
	return 0;
}
