/* csv.h: a pure, incremental reader of RFC 4180 CSV, for the registers that
 * departments export from their spreadsheets (registrations.h).
 *
 * The caller owns the bytes: it hands the reader a buffer (pointer+length)
 * and learns how many bytes one call used; the fields of a record point into
 * that buffer, except a quoted field with doubled quotes, which is unquoted
 * into the reader's scratch space. Nothing is allocated per field or record,
 * so a file of a million rows is read in one fixed buffer.
 *
 * What it accepts: a UTF-8 byte order mark at the very start (skipped);
 * comma or semicolon as separator, chosen from the first line (the header)
 * by which of the two occurs more often outside quotes, because Dutch Excel
 * writes ';'; records ending in LF or CRLF, the last one possibly without;
 * quoted fields with doubled quotes and embedded separators and line breaks.
 * What it refuses (one CSV_ERROR per record, then it goes on with the next):
 * a quote inside an unquoted field, anything but a separator or the end of
 * the line after a closing quote, a quoted field still open at the end of
 * the file, a carriage return without its line feed, a field longer than
 * field_max, more than CSV_MAX_FIELDS fields, and a record longer than
 * line_max bytes (after which it resumes at the next line feed).
 *
 * Line numbers are physical lines of the file, 1-based: a record's number is
 * the line it starts on, which is the spreadsheet's row number as long as no
 * field holds a line break. */
#ifndef REGISTRATIONS_CSV_H
#define REGISTRATIONS_CSV_H
#include <stddef.h>

#define CSV_MAX_FIELDS 64
#define CSV_LINE_MAX (64 * 1024)   /* bytes of one record, its line break included */
#define CSV_FIELD_MAX 200          /* bytes of one field, after unquoting */

struct csv_field {
	const char *p;   /* not NUL-terminated */
	size_t n;
};

enum csv_result {
	CSV_MORE = 0,     /* no complete record in the buffer: keep what was not used, add more */
	CSV_RECORD = 1,   /* a record: fields[0..nfields), line */
	CSV_END = 2,      /* the buffer is empty and eof was given */
	CSV_ERROR = -1,   /* a malformed record: err and line say where and why */
};

struct csv_reader {
	/* settings, filled by csv_init; may be lowered before the first call */
	size_t line_max, field_max;
	/* the separator, ',' or ';': 0 until the first line was seen */
	char sep;
	/* the last record or error */
	struct csv_field fields[CSV_MAX_FIELDS];
	size_t nfields;
	size_t line;               /* the line it started on */
	char err[160];
	/* private */
	size_t next_line;          /* the line the next record starts on */
	int started;               /* the byte order mark was looked for */
	int skipping;              /* after a too-long record: drop bytes up to the next LF */
	char scratch[CSV_LINE_MAX];
};

/* Prepares r (which may be large: keep it off small stacks). */
void csv_init(struct csv_reader *r);

/* Reads the next record from buf[0..len); eof says no bytes follow buf.
 * Always sets *used to the bytes consumed (the caller drops them and calls
 * again with the rest, plus more when CSV_MORE was returned). CSV_MORE is
 * never returned when eof is set. Field pointers stay valid until the
 * caller changes or moves the buffer or calls again. */
enum csv_result csv_next(struct csv_reader *r, const char *buf, size_t len, int eof,
			 size_t *used);

#endif
