/* csv.c: the incremental RFC 4180 reader of csv.h. Pure: no I/O, no
 * allocation. Each call parses one record from the start of the caller's
 * buffer; when the buffer ends inside a record it returns CSV_MORE having
 * used nothing of it, and the next call parses that record again with more
 * bytes (at most line_max of them, so the rework is bounded). */
#include "registrations/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char bom[3] = {'\xEF', '\xBB', '\xBF'};

void csv_init(struct csv_reader *r)
{
	memset(r, 0, sizeof *r);
	r->line_max = CSV_LINE_MAX;
	r->field_max = CSV_FIELD_MAX;
	r->next_line = 1;
}

static size_t count_lf(const char *p, size_t n)
{
	size_t k = 0;
	const char *q;
	while (n && (q = memchr(p, '\n', n)) != NULL) {
		k++;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	return k;
}

/* Records the first problem of the current record only: later ones are
 * usually its consequences. */
__attribute__((format(printf, 2, 3))) static void problem(struct csv_reader *r, const char *fmt,
							   ...)
{
	if (r->err[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
}

/* Picks the separator from the first line (up to its first LF outside
 * quotes, within line_max bytes, so that the choice does not depend on how
 * the caller cuts its reads). Returns 1 when chosen, 0 when more bytes are
 * needed. */
static int detect_sep(struct csv_reader *r, const char *buf, size_t len, int eof)
{
	size_t commas = 0, semis = 0, lim = len < r->line_max ? len : r->line_max;
	int quoted = 0;
	size_t i;
	for (i = 0; i < lim; i++) {
		char ch = buf[i];
		if (ch == '"')
			quoted = !quoted;
		else if (!quoted && ch == ',')
			commas++;
		else if (!quoted && ch == ';')
			semis++;
		else if (!quoted && ch == '\n')
			break;
	}
	if (i == lim && !eof && len < r->line_max)
		return 0;
	r->sep = semis > commas ? ';' : ',';
	return 1;
}

/* Unquotes the content of a quoted field with doubled quotes into scratch at
 * *sl. The record is at most line_max <= sizeof scratch bytes, so it fits. */
static struct csv_field unquote(struct csv_reader *r, const char *p, size_t n, size_t *sl)
{
	char *out = r->scratch + *sl;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		out[k++] = p[i];
		if (p[i] == '"')
			i++; /* the second of a pair */
	}
	*sl += k;
	return (struct csv_field){out, k};
}

enum csv_result csv_next(struct csv_reader *r, const char *buf, size_t len, int eof,
			 size_t *used)
{
	size_t off = 0;
	*used = 0;
	if (r->line_max > sizeof r->scratch)
		r->line_max = sizeof r->scratch;
	if (!r->started) {
		size_t k = len < 3 ? len : 3;
		if (len < 3 && !eof && memcmp(buf, bom, k) == 0)
			return CSV_MORE;
		if (len >= 3 && memcmp(buf, bom, 3) == 0)
			off = 3;
		r->started = 1;
	}
	if (r->skipping) {
		const char *nl = memchr(buf + off, '\n', len - off);
		if (!nl) {
			*used = len;
			if (eof)
				r->skipping = 0;
			return eof ? CSV_END : CSV_MORE;
		}
		off = (size_t)(nl - buf) + 1;
		r->next_line++;
		r->skipping = 0;
	}
	*used = off;
	buf += off;
	len -= off;
	if (len == 0)
		return eof ? CSV_END : CSV_MORE;
	if (!r->sep && !detect_sep(r, buf, len, eof))
		return CSV_MORE;

	/* a record is read within line_max bytes whatever the buffer holds, so
	 * that a long line is refused the same way however the reads fall */
	if (len > r->line_max) {
		len = r->line_max;
		eof = 0;
	}
	const char sep = r->sep;
	size_t i = 0, nf = 0, sl = 0;
	r->err[0] = 0;
	r->nfields = 0;
	r->line = r->next_line;
	for (;;) {
		struct csv_field f;
		if (i < len && buf[i] == '"') {
			size_t start = ++i;
			int doubled = 0;
			for (;;) {
				const char *q = memchr(buf + i, '"', len - i);
				if (!q) {
					if (!eof)
						goto more;
					problem(r, "a quoted field is not closed before the end of the file");
					i = len;
					f = (struct csv_field){buf + start, len - start};
					break;
				}
				size_t j = (size_t)(q - buf);
				if (j + 1 == len && !eof)
					goto more;
				if (j + 1 < len && buf[j + 1] == '"') {
					doubled = 1;
					i = j + 2;
					continue;
				}
				i = j + 1;
				f = doubled ? unquote(r, buf + start, j - start, &sl)
					    : (struct csv_field){buf + start, j - start};
				break;
			}
			if (i < len && buf[i] != sep && buf[i] != '\n' && buf[i] != '\r') {
				problem(r, "text after the closing quote of field %zu", nf + 1);
				while (i < len && buf[i] != sep && buf[i] != '\n' && buf[i] != '\r')
					i++;
				if (i == len && !eof)
					goto more;
			}
		} else {
			size_t start = i;
			while (i < len && buf[i] != sep && buf[i] != '\n' && buf[i] != '\r')
				i++;
			if (i == len && !eof)
				goto more;
			if (memchr(buf + start, '"', i - start))
				problem(r, "a quote inside field %zu, which does not start with one: "
					   "put the whole field in quotes and double the quote",
					nf + 1);
			f = (struct csv_field){buf + start, i - start};
		}
		if (nf < CSV_MAX_FIELDS)
			r->fields[nf] = f;
		else
			problem(r, "more than %d fields", CSV_MAX_FIELDS);
		if (f.n > r->field_max)
			problem(r, "field %zu is longer than %zu bytes", nf + 1, r->field_max);
		nf++;
		if (i == len)
			break; /* the last record, without a line break */
		if (buf[i] == sep) {
			i++;
			continue;
		}
		if (buf[i] == '\n') {
			i++;
			break;
		}
		/* '\r' */
		if (i + 1 == len && !eof)
			goto more;
		if (i + 1 < len && buf[i + 1] == '\n') {
			i += 2;
			break;
		}
		problem(r, "a carriage return without a line feed");
		const char *nl = memchr(buf + i, '\n', len - i);
		if (!nl && !eof)
			goto more;
		i = nl ? (size_t)(nl - buf) + 1 : len;
		break;
	}
	r->nfields = nf < CSV_MAX_FIELDS ? nf : CSV_MAX_FIELDS;
	r->next_line += count_lf(buf, i);
	*used = off + i;
	return r->err[0] ? CSV_ERROR : CSV_RECORD;

more:
	if (len < r->line_max)
		return CSV_MORE; /* *used == off */
	/* no record ends within line_max bytes: refuse it and drop bytes up to
	 * the next line feed (a stray quote would otherwise swallow the file) */
	r->err[0] = 0;
	problem(r, "the line is longer than %zu bytes (is a quote not closed?)", r->line_max);
	r->nfields = 0;
	r->next_line += count_lf(buf, len); /* len == line_max here */
	r->skipping = 1;
	*used = off + len;
	return CSV_ERROR;
}
