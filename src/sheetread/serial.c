/* serial.c: the small pure helpers of sheetread.h: what a file starts like,
 * Excel's day numbers as dates, and column letters. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "sheetread/sheetread.h"

enum sheetread_kind sheetread_sniff(const void *data, size_t len)
{
	static const unsigned char zip[4] = {'P', 'K', 3, 4};
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (len >= sizeof zip && memcmp(data, zip, sizeof zip) == 0)
		return SHEETREAD_ZIP;
	if (len >= sizeof ole && memcmp(data, ole, sizeof ole) == 0)
		return SHEETREAD_OLE;
	return SHEETREAD_OTHER;
}

/* Parses the number Excel saved ("45000", "45000.25", "4.5E4") without
 * strtod, whose decimal point follows the locale. Returns 0 or -1. */
static int parse_number(const char *p, size_t n, double *out)
{
	size_t i = 0, digits = 0;
	int neg = 0;
	double v = 0, scale = 1;
	if (i < n && (p[i] == '-' || p[i] == '+'))
		neg = p[i++] == '-';
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits++)
		if (digits < 18)
			v = v * 10 + (p[i] - '0');
		else
			scale *= 10; /* beyond double's precision: only the magnitude counts */
	if (i < n && p[i] == '.') {
		double f = 0.1;
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits++, f /= 10)
			v += f * (p[i] - '0');
	}
	if (!digits)
		return -1;
	v *= scale;
	if (i < n && (p[i] == 'E' || p[i] == 'e')) {
		int eneg = 0, e = 0, edigits = 0;
		i++;
		if (i < n && (p[i] == '-' || p[i] == '+'))
			eneg = p[i++] == '-';
		for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, edigits++)
			if (e < 1000)
				e = e * 10 + (p[i] - '0');
		if (!edigits)
			return -1;
		/* by tens, not pow(): no libm for one call; past 400 it is out of
		 * range either way (0 or infinite) */
		for (int k = 0; k < e && k < 400; k++)
			v = eneg ? v / 10 : v * 10;
	}
	if (i != n || !isfinite(v))
		return -1;
	*out = neg ? -v : v;
	return 0;
}

int sheetread_serial_date(const char *p, size_t n, int date1904, char out[11])
{
	double v;
	int32_t base;
	out[0] = 0;
	/* 9999-12-31 is day 2958465 in the 1900 system */
	if (parse_number(p, n, &v) != 0 || !(v >= 0 && v < 2958466.0))
		return -1;
	int32_t d = (int32_t)v; /* v >= 0: the cut is the floor */
	if (date1904) {
		if (date_to_days("1904-01-01", &base) != 0)
			return -1;
		return date_from_days(base + d, out);
	}
	if (date_to_days("1900-01-01", &base) != 0)
		return -1;
	/* day 60 is the 29 February 1900 that Excel counts but that never was;
	 * from day 61 on every number is one day too high */
	if (d < 1 || d == 60)
		return -1;
	return date_from_days(base + d - (d < 60 ? 1 : 2), out);
}

void sheetread_col_name(size_t col, char out[4])
{
	char tmp[4];
	size_t k = 0;
	if (col >= SHEETREAD_MAX_COL) {
		snprintf(out, 4, "?");
		return;
	}
	col++;
	while (col && k < 3) {
		tmp[k++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (size_t i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	out[k] = 0;
}
