/* form.c: urlencoded and multipart/form-data parsers. */
#include "web/form.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "web/i18n.h"

const struct form_limits form_default_limits = {
	.max_fields = 64,
	.max_name = 64,
	.max_value = 64 * 1024,
	.max_file = 0,
	.max_files = 0,
	.max_total = 256 * 1024,
};

const struct form_limits form_upload_limits = {
	.max_fields = 64,
	.max_name = 64,
	.max_value = 64 * 1024,
	.max_file = FORM_UPLOAD_FILE_MAX,
	.max_files = FORM_UPLOAD_FILES,
	.max_total = FORM_UPLOAD_BODY_MAX,
};

const char *form_error_text(enum form_error e)
{
	switch (e) {
	case FORM_OK: return "ok";
	case FORM_MALFORMED: return N_("The form could not be read. Please send it again.");
	case FORM_BAD_UTF8: return N_("The form contains characters that are not valid text.");
	case FORM_TOO_MANY: return N_("The form has more fields or files than allowed.");
	case FORM_FIELD_TOO_BIG: return N_("A field of the form is longer than allowed.");
	case FORM_FILE_TOO_BIG: return N_("A file is larger than allowed.");
	case FORM_TOO_BIG: return N_("The form is larger than allowed.");
	}
	return "The form could not be read.";
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes a urlencoded component into a fresh arena string; -1 on bad escapes. */
static int decode(struct arena *a, const char *s, size_t n, char **out, size_t *outlen)
{
	char *d = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[k++] = ' ';
		} else if (s[i] == '%') {
			if (n - i < 3)
				return -1;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			d[k++] = (char)(h * 16 + l);
			i += 2;
		} else {
			d[k++] = s[i];
		}
	}
	d[k] = 0;
	*out = d;
	*outlen = k;
	return 0;
}

static struct form_field *add_field(struct arena *a, struct form *f, size_t cap)
{
	if (!f->fields)
		f->fields = arena_alloc(a, cap * sizeof *f->fields);
	return &f->fields[f->n++];
}

static enum form_error check_text(const char *name, size_t nlen, const char *value, size_t vlen,
				  const struct form_limits *lim)
{
	if (nlen == 0)
		return FORM_MALFORMED;
	if (nlen > lim->max_name || vlen > lim->max_value)
		return FORM_FIELD_TOO_BIG;
	if (!utf8_valid(name, nlen) || !utf8_valid(value, vlen))
		return FORM_BAD_UTF8;
	return FORM_OK;
}

enum form_error form_parse_urlencoded(struct arena *a, const char *body, size_t n,
				      const struct form_limits *lim, struct form *out)
{
	memset(out, 0, sizeof *out);
	if (n > lim->max_total)
		return FORM_TOO_BIG;
	size_t i = 0;
	while (i < n) {
		const char *amp = memchr(body + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - body) : n;
		if (end > i) {
			if (out->n == lim->max_fields)
				return FORM_TOO_MANY;
			const char *eq = memchr(body + i, '=', end - i);
			size_t nend = eq ? (size_t)(eq - body) : end;
			/* cheap size checks before decoding: decoding only shrinks */
			if (nend - i > 3 * lim->max_name || (eq && end - nend - 1 > 3 * lim->max_value))
				return FORM_FIELD_TOO_BIG;
			char *name, *value;
			size_t nlen, vlen;
			if (decode(a, body + i, nend - i, &name, &nlen) != 0 ||
			    decode(a, eq ? eq + 1 : body + end, eq ? end - nend - 1 : 0, &value, &vlen) != 0)
				return FORM_MALFORMED;
			enum form_error e = check_text(name, nlen, value, vlen, lim);
			if (e)
				return e;
			struct form_field *fl = add_field(a, out, lim->max_fields);
			fl->name = name;
			fl->value = value;
			fl->len = vlen;
		}
		i = end + 1;
	}
	return FORM_OK;
}

/* Finds needle in hay[0..n); memmem with explicit lengths. */
static const char *find(const char *hay, size_t n, const char *needle, size_t nn)
{
	return nn <= n ? memmem(hay, n, needle, nn) : NULL;
}

/* Reads the boundary parameter of a multipart/form-data content type. */
static int boundary_of(const char *ct, char *out, size_t cap)
{
	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return -1;
	const char *b = strcasestr(ct, "boundary=");
	if (!b)
		return -1;
	b += 9;
	int quoted = *b == '"';
	b += quoted;
	size_t n = 0;
	while (b[n] && (quoted ? b[n] != '"' : (b[n] != ';' && b[n] != ' ')))
		n++;
	if (n == 0 || n > 70 || n + 1 > cap || (quoted && b[n] != '"'))
		return -1;
	memcpy(out, b, n);
	out[n] = 0;
	return 0;
}

/* Extracts param="value" from a Content-Disposition line (no escapes: browsers
 * percent-encode quotes in names). */
static const char *disp_param(struct arena *a, const char *line, size_t n, const char *param)
{
	size_t pl = strlen(param);
	for (size_t i = 0; i + pl + 2 < n; i++) {
		if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') &&
		    strncasecmp(line + i, param, pl) == 0 && line[i + pl] == '=' &&
		    line[i + pl + 1] == '"') {
			const char *v = line + i + pl + 2;
			const char *q = memchr(v, '"', n - (size_t)(v - line));
			if (!q)
				return NULL;
			return arena_strndup(a, v, (size_t)(q - v));
		}
	}
	return NULL;
}

static enum form_error parse_part(struct arena *a, const char *p, size_t n,
				  const struct form_limits *lim, struct form *out, size_t *files)
{
	const char *hend = find(p, n, "\r\n\r\n", 4);
	if (!hend)
		return FORM_MALFORMED;
	const char *name = NULL, *filename = NULL, *ctype = NULL;
	size_t hn = (size_t)(hend - p);
	size_t i = 0;
	while (i < hn) {
		const char *eol = find(p + i, hn - i, "\r\n", 2);
		size_t ln = eol ? (size_t)(eol - (p + i)) : hn - i;
		const char *l = p + i;
		if (ln > 1024)
			return FORM_MALFORMED;
		if (ln >= 20 && strncasecmp(l, "Content-Disposition:", 20) == 0) {
			name = disp_param(a, l, ln, "name");
			filename = disp_param(a, l, ln, "filename");
			if (!name)
				return FORM_MALFORMED;
		} else if (ln >= 13 && strncasecmp(l, "Content-Type:", 13) == 0) {
			size_t s = 13;
			while (s < ln && l[s] == ' ')
				s++;
			ctype = arena_strndup(a, l + s, ln - s);
		}
		i += ln + 2;
	}
	if (!name)
		return FORM_MALFORMED;
	const char *data = hend + 4;
	size_t dn = n - (size_t)(data - p);
	if (out->n == lim->max_fields)
		return FORM_TOO_MANY;
	size_t nlen = strlen(name);
	if (nlen == 0)
		return FORM_MALFORMED;
	if (nlen > lim->max_name)
		return FORM_FIELD_TOO_BIG;
	if (!utf8_valid(name, nlen))
		return FORM_BAD_UTF8;
	if (filename) {
		/* an empty file input sends filename="" and no bytes: skip it */
		if (!*filename && dn == 0)
			return FORM_OK;
		if (++*files > lim->max_files)
			return FORM_TOO_MANY;
		if (dn > lim->max_file)
			return FORM_FILE_TOO_BIG;
		if (strlen(filename) > 255 || !utf8_valid(filename, strlen(filename)))
			return FORM_BAD_UTF8;
	} else {
		enum form_error e = check_text(name, nlen, data, dn, lim);
		if (e)
			return e;
	}
	struct form_field *f = add_field(a, out, lim->max_fields);
	f->name = name;
	/* a file stays where it is in the body: copying 10 MiB buys nothing */
	f->value = filename ? data : arena_strndup(a, data, dn);
	f->len = dn;
	f->filename = filename;
	f->content_type = ctype;
	return FORM_OK;
}

enum form_error form_parse_multipart(struct arena *a, const char *content_type,
				     const char *body, size_t n, const struct form_limits *lim,
				     struct form *out)
{
	memset(out, 0, sizeof *out);
	if (n > lim->max_total)
		return FORM_TOO_BIG;
	char b[80], delim[90];
	if (boundary_of(content_type, b, sizeof b) != 0)
		return FORM_MALFORMED;
	/* the body starts with --BOUNDARY; parts are separated by CRLF--BOUNDARY */
	size_t bl = strlen(b);
	if (n < bl + 2 || body[0] != '-' || body[1] != '-' || memcmp(body + 2, b, bl) != 0)
		return FORM_MALFORMED;
	size_t dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", b);
	size_t pos = bl + 2;
	size_t files = 0;
	for (;;) {
		if (n - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			return FORM_OK; /* closing delimiter; an epilogue is ignored */
		if (n - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			return FORM_MALFORMED;
		pos += 2;
		const char *next = find(body + pos, n - pos, delim, dl);
		if (!next)
			return FORM_MALFORMED;
		enum form_error e = parse_part(a, body + pos, (size_t)(next - (body + pos)), lim, out,
					       &files);
		if (e)
			return e;
		pos = (size_t)(next - body) + dl;
	}
}

const struct form_field *form_field(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

const char *form_get(const struct form *f, const char *name)
{
	const struct form_field *fl = form_field(f, name);
	return fl && !fl->filename ? fl->value : NULL;
}
