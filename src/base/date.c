/* date.c: ISO date validation, calendar arithmetic for legal terms, and the
 * clocks (local calendar day, UTC timestamps). */
#include "base/date.h"

#include <stdio.h>
#include <string.h>

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return mdays[m - 1] + (m == 2 && is_leap(y));
}

/* Reads and checks the DATE_LEN characters at s as YYYY-MM-DD. 0 or -1. */
static int parse(const char *s, int *y, int *m, int *d)
{
	if (s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	if (*y < 1900 || *m < 1 || *m > 12 || *d < 1)
		return -1;
	return *d <= month_days(*y, *m) ? 0 : -1;
}

int date_valid(const char *s, size_t n)
{
	int y, m, d;
	if (n != DATE_LEN)
		return -1;
	return parse(s, &y, &m, &d);
}

/* Day numbers of 1900-01-01 and 9999-12-31, the range date_valid allows. */
#define DAY_MIN (-25567)
#define DAY_MAX 2932896

/* Splits a valid NUL-terminated date; the length is bounded so that an
 * unterminated longer string is refused without reading past DATE_LEN + 1.
 * One pass: checking and then reading the digits again was 6% of the
 * inbox, which splits a few dates per row (docs/performance.md). */
static int split(const char *s, int *y, int *m, int *d)
{
	if (!s || strnlen(s, DATE_LEN + 1) != DATE_LEN)
		return -1;
	return parse(s, y, m, d);
}

/* Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): eras of 400 years starting on 1 March, so that the leap
 * day falls at the end of each computed year. */
static int64_t civil_to_days(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void days_to_civil(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Writes y-m-d into out if it lies in the range; else out = "" and -1. */
static int put(int64_t y, int m, int d, char out[DATE_LEN + 1])
{
	out[0] = 0;
	if (y < 1900 || y > 9999)
		return -1;
	/* by hand rather than snprintf: the ranges are known, and the compiler
	 * cannot see them to rule out truncation */
	int v[3] = {(int)y, m, d}, w[3] = {4, 2, 2};
	size_t at = 0;
	for (int i = 0; i < 3; i++) {
		for (int k = w[i] - 1; k >= 0; k--, v[i] /= 10)
			out[at + (size_t)k] = (char)('0' + v[i] % 10);
		at += (size_t)w[i];
		out[at++] = '-';
	}
	out[DATE_LEN] = 0;
	return 0;
}

int date_to_days(const char *s, int32_t *out)
{
	int y, m, d;
	if (split(s, &y, &m, &d) != 0)
		return -1;
	*out = (int32_t)civil_to_days(y, m, d);
	return 0;
}

int date_from_days(int32_t z, char out[DATE_LEN + 1])
{
	int64_t y;
	int m, d;
	out[0] = 0;
	if (z < DAY_MIN || z > DAY_MAX)
		return -1;
	days_to_civil(z, &y, &m, &d);
	return put(y, m, d, out);
}

int date_add_days(const char *s, int64_t n, char out[DATE_LEN + 1])
{
	int32_t z;
	out[0] = 0;
	/* the bound on n keeps the sum far from overflow; the range check on the
	 * sum does the rest */
	if (date_to_days(s, &z) != 0 || n < -(int64_t)DAY_MAX * 2 || n > (int64_t)DAY_MAX * 2)
		return -1;
	int64_t r = z + n;
	if (r < DAY_MIN || r > DAY_MAX)
		return -1;
	return date_from_days((int32_t)r, out);
}

int date_add_months(const char *s, int64_t n, char out[DATE_LEN + 1])
{
	int y, m, d;
	out[0] = 0;
	if (split(s, &y, &m, &d) != 0 || n < -200000 || n > 200000)
		return -1;
	int64_t idx = (int64_t)y * 12 + (m - 1) + n; /* months since year 0; >= 0 in range */
	if (idx < 1900 * 12 || idx > 9999 * 12 + 11)
		return -1;
	int64_t ny = idx / 12;
	int nm = (int)(idx % 12) + 1;
	int last = month_days(ny, nm);
	return put(ny, nm, d > last ? last : d, out);
}

int date_cmp(const char *a, const char *b, int *out)
{
	/* valid dates of one fixed format order as strings do */
	int ya, ma, da, yb, mb, db;
	if (split(a, &ya, &ma, &da) != 0 || split(b, &yb, &mb, &db) != 0)
		return -1;
	int c = strcmp(a, b);
	*out = (c > 0) - (c < 0);
	return 0;
}

int date_days_between(const char *from, const char *to, int32_t *out)
{
	int32_t a, b;
	if (date_to_days(from, &a) != 0 || date_to_days(to, &b) != 0)
		return -1;
	*out = b - a;
	return 0;
}

void date_today(char out[DATE_LEN + 1])
{
	/* calendar days are those of the server's time zone (TZ), where legal
	 * terms are counted, not UTC's */
	struct tm tm;
	time_t t = time(NULL);
	localtime_r(&t, &tm);
	if (strftime(out, DATE_LEN + 1, "%Y-%m-%d", &tm) != DATE_LEN)
		out[0] = 0; /* a year past 9999: callers' date checks refuse "" */
}

void timestamp_format(time_t t, char out[TIMESTAMP_LEN + 1])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, TIMESTAMP_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm) != TIMESTAMP_LEN)
		out[0] = 0;
}

void timestamp_now(char out[TIMESTAMP_LEN + 1])
{
	timestamp_format(time(NULL), out);
}

void timestamp_local(const char *stamp, char out[TIMESTAMP_LOCAL_LEN + 1])
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
	    strftime(out, TIMESTAMP_LOCAL_LEN + 1, "%Y-%m-%d %H:%M", &local) == 0)
		out[0] = '\0';
}
