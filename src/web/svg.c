/* svg.c: the SVG writer (svg.h). */
#include "web/svg.h"

#include <stdio.h>
#include <string.h>

void svg_begin(struct svg *s, struct buf *out)
{
	memset(s, 0, sizeof *s);
	s->out = out;
}

static int name_ok(const char *n)
{
	if (!n || !((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z')))
		return 0;
	for (const char *c = n + 1; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == ':' || *c == '_' || *c == '-'))
			return 0;
	return 1;
}

/* Length of the UTF-8 sequence at p (n bytes left) and its code point, or 0
 * when it is not valid UTF-8 (overlong, surrogate, above U+10FFFF, cut off). */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
	unsigned char c = p[0];
	size_t len;
	unsigned long v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

void svg_escape(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	while (n) {
		unsigned long cp;
		size_t len = utf8_seq(p, n, &cp);
		if (!len) {
			buf_adds(out, "\xef\xbf\xbd"); /* U+FFFD */
			p++, n--;
			continue;
		}
		switch (cp) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default:
			/* XML 1.0 allows tab, LF and CR among the controls, and
			 * not U+FFFE/U+FFFF */
			if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xfffe ||
			    cp == 0xffff)
				break;
			buf_add(out, p, len);
		}
		p += len, n -= len;
	}
}

static void finish_tag(struct svg *s)
{
	if (s->in_tag) {
		buf_addc(s->out, '>');
		s->in_tag = 0;
	}
}

void svg_open(struct svg *s, const char *name)
{
	if (!name_ok(name) || s->depth == SVG_DEPTH_MAX) {
		s->failed = 1;
		return;
	}
	finish_tag(s);
	buf_addc(s->out, '<');
	buf_adds(s->out, name);
	s->stack[s->depth++] = name;
	s->in_tag = 1;
}

void svg_attr(struct svg *s, const char *name, const char *value)
{
	if (!s->in_tag || !name_ok(name)) {
		s->failed = 1;
		return;
	}
	buf_addc(s->out, ' ');
	buf_adds(s->out, name);
	buf_adds(s->out, "=\"");
	svg_escape(s->out, value);
	buf_addc(s->out, '"');
}

void svg_attr_int(struct svg *s, const char *name, long long v)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", v);
	svg_attr(s, name, b);
}

void svg_text(struct svg *s, const char *text)
{
	if (s->depth == 0) {
		s->failed = 1;
		return;
	}
	finish_tag(s);
	svg_escape(s->out, text);
}

void svg_close(struct svg *s)
{
	if (s->depth == 0) {
		s->failed = 1;
		return;
	}
	const char *name = s->stack[--s->depth];
	if (s->in_tag) {
		buf_adds(s->out, "/>");
		s->in_tag = 0;
		return;
	}
	buf_adds(s->out, "</");
	buf_adds(s->out, name);
	buf_addc(s->out, '>');
}

void svg_elem_text(struct svg *s, const char *name, const char *text)
{
	svg_open(s, name);
	svg_text(s, text);
	svg_close(s);
}

int svg_end(struct svg *s)
{
	return s->failed || s->depth != 0 || s->in_tag ? -1 : 0;
}
