/* fuzz_tmpl_escape.c: the template escapers on any text. HTML output must hold
 * no markup characters except in entities; URL output only unreserved bytes and
 * %XX; href output only a same-site path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_html(const char *s)
{
	for (; *s; s++) {
		if (*s == '<' || *s == '>' || *s == '"' || *s == '\'')
			abort();
		if (*s == '&' && strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) &&
		    strncmp(s, "&gt;", 4) && strncmp(s, "&quot;", 6) && strncmp(s, "&#39;", 5))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	struct buf b = BUF_INIT;
	tmpl_html(&b, s);
	check_html(b.p ? b.p : "");
	buf_reset(&b);
	tmpl_url(&b, s);
	for (size_t i = 0; i < b.n; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%",
			    b.p[i]))
			abort();
	buf_reset(&b);
	tmpl_href(&b, s);
	if (b.n == 0 || b.p[0] != '/' || (b.n > 1 && (b.p[1] == '/' || b.p[1] == '\\')))
		abort();
	check_html(b.p);
	buf_free(&b);
	free(s);
	return 0;
}
