/* tmpl.c: the escaping functions behind compiled templates. */
#include "web/tmpl.h"

#include <stdio.h>
#include <string.h>

/* The bytes tmpl_html stops at: the five it escapes, and the end. A table
 * lets the scan over a plain run test one byte a step; a switch per byte was
 * most of the templates' cost (docs/performance.md). */
static const unsigned char html_stop[256] = {
	[0] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

void tmpl_html(struct buf *out, const char *s)
{
	if (!s)
		return;
	for (;;) {
		const char *run = s;
		while (!html_stop[(unsigned char)*s])
			s++;
		buf_add(out, run, (size_t)(s - run));
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: return; /* the end */
		}
		buf_adds(out, rep);
		s++;
	}
}

void tmpl_int(struct buf *out, long long v)
{
	buf_printf(out, "%lld", v);
}

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void tmpl_url(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (unreserved(c)) {
			buf_addc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_add(out, e, 3);
		}
	}
}

/* Same-site path characters: unreserved plus / ? = & % + , : @ # */
static int path_char(unsigned char c)
{
	return unreserved(c) || (c && strchr("/?=&%+,:@#", c));
}

void tmpl_href(struct buf *out, const char *s)
{
	int ok = s && s[0] == '/' && s[1] != '/' && s[1] != '\\';
	for (const char *p = s; ok && *p; p++)
		ok = path_char((unsigned char)*p);
	tmpl_html(out, ok ? s : "/");
}

void tmpl_text(struct buf *out, const struct tmpl_ctx *t, const char *msgid)
{
	tmpl_html(out, t && t->translate ? t->translate(t->lang, msgid) : msgid);
}
