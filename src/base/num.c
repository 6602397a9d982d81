/* num.c: strict decimal integer parsing. */
#include "base/num.h"

#include <string.h>

int num_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || n - i > 19)
		return -1;
	/* accumulate as a negative number: the range of int64_t is asymmetric */
	int64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		int d = s[i] - '0';
		if (v < (INT64_MIN + d) / 10)
			return -1;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == INT64_MIN)
			return -1;
		v = -v;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int num_parse_i64z(const char *s, int64_t min, int64_t max, int64_t *out)
{
	return num_parse_i64(s, strlen(s), min, max, out);
}
