/* shared.c: what store.c, read.c, follow.c and rsession.c share
 * (internal.h): error filling, JSON strings, local times, the key-row check. */
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "intake/intake.h"
#include "intake/internal.h"

int intake_fail(struct intake_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int intake_fail_db(db_t *db, struct intake_error *e)
{
	return intake_fail(e, INTAKE_EDB, "%s", db_error(db)->msg);
}

void intake_error_clear(struct intake_error *e)
{
	e->code = INTAKE_OK;
	e->msg[0] = '\0';
}

size_t intake_json_string(const char *s, char *out)
{
	size_t n = 0;
	if (out)
		out[n] = '"';
	n++;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[7];
		size_t k;
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			k = 2;
		} else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			k = 6;
		} else {
			esc[0] = (char)*p;
			k = 1;
		}
		if (out)
			memcpy(out + n, esc, k);
		n += k;
	}
	if (out)
		out[n] = '"';
	return n + 1;
}

void intake_local_time(const char *stamp, char out[20])
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec;
	char z = 0;
	out[0] = '\0';
	if (!stamp || strlen(stamp) != TIMESTAMP_LEN ||
	    sscanf(stamp, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 ||
	    z != 'Z')
		return;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	struct tm local;
	if (t == (time_t)-1 || !localtime_r(&t, &local) ||
	    strftime(out, 20, "%Y-%m-%d %H:%M", &local) == 0)
		out[0] = '\0';
}

int intake_holds_key(db_t *db, int64_t report_id, int64_t account_id)
{
	int64_t n = 0;
	db_stmt_t *st = NULL;
	if (db_prepare(db, "SELECT count(*) FROM report_key k JOIN account a ON a.id = k.account_id "
			   "WHERE k.report_id = ? AND k.account_id = ? AND k.holder = 'account' "
			   "AND a.disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, report_id) != 0 || db_bind_i64(st, 2, account_id) != 0 ||
	    db_step(st) != DB_ROW) {
		db_finalize(st);
		return -1;
	}
	n = db_col_i64(st, 0);
	db_finalize(st);
	return n > 0 ? 0 : 1;
}

void intake_key_wipe(struct intake_key *k)
{
	sodium_memzero(k, sizeof *k);
}
