/* date.c: ISO date validation and UTC clocks. */
#include "base/date.h"

#include <stdio.h>

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

int date_valid(const char *s, size_t n)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	if (n != DATE_LEN || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int max = mdays[m - 1] + (m == 2 && leap);
	return d <= max ? 0 : -1;
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
