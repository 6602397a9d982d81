/* jsonstr.c: see jsonstr.h. */
#include "base/jsonstr.h"

#include <stdio.h>
#include <string.h>

size_t jsonstr_write(const char *s, char *out)
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

int jsonstr_read(const char **pp, char *out, size_t cap)
{
	const char *p = *pp;
	size_t k = 0;
	if (*p++ != '"')
		return -1;
	while (*p != '"') {
		char c = *p++;
		if (c == '\0')
			return -1;
		if (c == '\\') {
			c = *p++;
			if (c == 'u') {
				unsigned v;
				if (sscanf(p, "00%2x", &v) != 1 || strspn(p, "0123456789abcdef") < 4)
					return -1;
				c = (char)v;
				p += 4;
			} else if (c != '"' && c != '\\') {
				return -1;
			}
		}
		if (k + 1 >= cap)
			return -1;
		out[k++] = c;
	}
	out[k] = '\0';
	*pp = p + 1;
	return 0;
}
