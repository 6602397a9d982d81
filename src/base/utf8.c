/* utf8.c: strict UTF-8 validation following RFC 3629's table of well-formed
 * byte sequences. */
#include "base/utf8.h"

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;  /* no overlongs */
			else if (c == 0xed)
				hi = 0x9f;  /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;  /* nothing above U+10FFFF */
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return 0;
		i += len;
	}
	return 1;
}

int utf8_text_clean(const char *s, size_t n, int allow_breaks)
{
	if (!utf8_valid(s, n))
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0x20 && !(allow_breaks && (p[i] == '\t' || p[i] == '\r' || p[i] == '\n')))
			return 0;
		if (p[i] == 0x7f)
			return 0;
		/* C1 controls are encoded as C2 80..C2 9F */
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}
