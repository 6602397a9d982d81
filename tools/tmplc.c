/* tmplc: compiles HTML templates into typed C functions at build time.
 *
 * usage: tmplc OUT.c OUT.h PREFIX VIEWS.h TEMPLATE.html...
 *
 * VIEWS.h (included by the generated header) declares the types that the
 * templates' arguments use.
 * Each TEMPLATE.html becomes
 *     void PREFIX_NAME(struct buf *out, const struct tmpl_ctx *t, ARGS);
 * where NAME is the file's base name and ARGS comes from the template's first
 * line, "{# args: const struct login_view *v #}" (or "{# args: void #}").
 *
 * Syntax. Every substitution is escaped; there is no raw output.
 *   {{ EXPR }}        EXPR (a const char *) HTML-escaped, safe in attributes
 *   {{ int EXPR }}    EXPR as a decimal integer
 *   {{ url EXPR }}    EXPR percent-encoded, for one part of a URL (a query value)
 *   {{ href EXPR }}   EXPR as a link target: only same-site paths pass
 *   {{ _ "text" }}    the translation of "text", HTML-escaped
 *   {% if EXPR %} {% elif EXPR %} {% else %} {% endif %}
 *   {% for INIT; COND; STEP %} {% endfor %}
 *   {% include NAME(ARGS) %}   calls PREFIX_NAME(out, t, ARGS)
 *   {# comment #}
 * C compile errors in expressions point at the template line (#line). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32

static const char *path;
static int line;

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s:%d: ", path, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	if (!f) {
		fprintf(stderr, "tmplc: %s: %s\n", p, strerror(errno));
		exit(1);
	}
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);
	size_t r;
	while (s && (r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			char *bigger = realloc(s, cap *= 2);
			if (!bigger)
				free(s);
			s = bigger;
		}
	}
	fclose(f);
	if (!s)
		exit(1);
	s[n] = 0;
	*len = n;
	return s;
}

static void count_lines(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			line++;
}

/* Writes s[0..n) as a C string literal. */
static void emit_literal(FILE *out, const char *s, size_t n)
{
	if (n == 0)
		return;
	fprintf(out, "\tbuf_add(out, \"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fprintf(out, "\\n\"\n\t\t\"");
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fprintf(out, "\", %zu);\n", n);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

static int starts(const char *s, const char *word)
{
	size_t n = strlen(word);
	return strncmp(s, word, n) == 0 && (s[n] == ' ' || s[n] == '\t' || s[n] == 0);
}

static void emit_subst(FILE *out, char *e)
{
	if (!*e)
		die("empty {{ }}");
	if (starts(e, "int"))
		fprintf(out, "\ttmpl_int(out, (long long)(%s));\n", trim(e + 3));
	else if (starts(e, "url"))
		fprintf(out, "\ttmpl_url(out, %s);\n", trim(e + 3));
	else if (starts(e, "href"))
		fprintf(out, "\ttmpl_href(out, %s);\n", trim(e + 4));
	else if (starts(e, "_")) {
		char *lit = trim(e + 1);
		size_t n = strlen(lit);
		if (n < 2 || lit[0] != '"' || lit[n - 1] != '"')
			die("{{ _ ... }} takes a string literal");
		fprintf(out, "\ttmpl_text(out, t, %s);\n", lit);
	} else
		fprintf(out, "\ttmpl_html(out, %s);\n", e);
}

struct state {
	char stack[MAX_DEPTH]; /* 'i' for if, 'f' for for */
	int depth;
	const char *prefix;
};

static void emit_stmt(FILE *out, struct state *st, char *s)
{
	if (starts(s, "if")) {
		if (st->depth == MAX_DEPTH)
			die("nested too deeply");
		st->stack[st->depth++] = 'i';
		fprintf(out, "\tif (%s) {\n", trim(s + 2));
	} else if (starts(s, "elif")) {
		if (!st->depth || st->stack[st->depth - 1] != 'i')
			die("elif without if");
		fprintf(out, "\t} else if (%s) {\n", trim(s + 4));
	} else if (strcmp(s, "else") == 0) {
		if (!st->depth || st->stack[st->depth - 1] != 'i')
			die("else without if");
		fprintf(out, "\t} else {\n");
	} else if (strcmp(s, "endif") == 0) {
		if (!st->depth || st->stack[--st->depth] != 'i')
			die("endif without if");
		fprintf(out, "\t}\n");
	} else if (starts(s, "for")) {
		if (st->depth == MAX_DEPTH)
			die("nested too deeply");
		st->stack[st->depth++] = 'f';
		fprintf(out, "\tfor (%s) {\n", trim(s + 3));
	} else if (strcmp(s, "endfor") == 0) {
		if (!st->depth || st->stack[--st->depth] != 'f')
			die("endfor without for");
		fprintf(out, "\t}\n");
	} else if (starts(s, "include")) {
		char *call = trim(s + 7);
		char *paren = strchr(call, '(');
		if (!paren || call[strlen(call) - 1] != ')')
			die("include takes NAME(ARGS)");
		*paren = 0;
		char *args = trim(paren + 1);
		args[strlen(args) - 1] = 0;
		fprintf(out, "\t%s_%s(out, t%s%s);\n", st->prefix, trim(call), *trim(args) ? ", " : "",
			trim(args));
	} else {
		die("unknown statement {%% %s %%}", s);
	}
}

/* Compiles one template body into the function's statements. */
static void compile(FILE *out, const char *src, size_t n, struct state *st)
{
	size_t i = 0;
	while (i < n) {
		const char *open = NULL;
		for (size_t j = i; j + 1 < n; j++)
			if (src[j] == '{' && (src[j + 1] == '{' || src[j + 1] == '%' || src[j + 1] == '#')) {
				open = src + j;
				break;
			}
		size_t lit = open ? (size_t)(open - (src + i)) : n - i;
		emit_literal(out, src + i, lit);
		count_lines(src + i, lit);
		if (!open)
			break;
		char kind = open[1];
		const char *close_tag = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
		const char *body = open + 2;
		const char *end = strstr(body, close_tag);
		if (!end)
			die("'{%c' is not closed", kind);
		size_t blen = (size_t)(end - body);
		char *inner = malloc(blen + 1);
		memcpy(inner, body, blen);
		inner[blen] = 0;
		if (kind != '#') {
			if (strchr(inner, '\n'))
				die("a tag must fit on one line");
			fprintf(out, "#line %d \"%s\"\n", line, path);
			if (kind == '{')
				emit_subst(out, trim(inner));
			else
				emit_stmt(out, st, trim(inner));
		}
		count_lines(body, blen);
		free(inner);
		i = (size_t)(end + 2 - src);
	}
}

static const char *base_name(const char *p, char *name, size_t cap)
{
	const char *b = strrchr(p, '/');
	b = b ? b + 1 : p;
	size_t n = strcspn(b, ".");
	if (n == 0 || n >= cap)
		die("bad template name");
	for (size_t k = 0; k < n; k++) {
		if (!isalnum((unsigned char)b[k]) && b[k] != '_')
			die("template names are letters, digits and '_'");
		name[k] = b[k];
	}
	name[n] = 0;
	return name;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: tmplc OUT.c OUT.h PREFIX VIEWS.h TEMPLATE...\n");
		return 2;
	}
	FILE *c = fopen(argv[1], "w"), *h = fopen(argv[2], "w");
	if (!c || !h) {
		fprintf(stderr, "tmplc: cannot write output\n");
		return 1;
	}
	const char *prefix = argv[3];
	const char *hbase = strrchr(argv[2], '/');
	hbase = hbase ? hbase + 1 : argv[2];
	fprintf(h, "/* generated by tools/tmplc.c; do not edit */\n#pragma once\n"
		   "#include \"web/tmpl.h\"\n#include \"%s\"\n", argv[4]);
	fprintf(c, "/* generated by tools/tmplc.c; do not edit */\n#include \"%s\"\n", hbase);
	for (int a = 5; a < argc; a++) {
		path = argv[a];
		line = 1;
		size_t n;
		char *src = slurp(path, &n);
		static const char head[] = "{# args:";
		if (strncmp(src, head, sizeof head - 1) != 0)
			die("a template starts with {# args: ... #}");
		char *end = strstr(src, "#}");
		if (!end)
			die("unclosed {# args: #}");
		*end = 0;
		char *args = trim(src + sizeof head - 1);
		char name[128];
		base_name(path, name, sizeof name);
		const char *sep = strcmp(args, "void") == 0 ? "" : ", ";
		const char *shown = strcmp(args, "void") == 0 ? "" : args;
		fprintf(h, "void %s_%s(struct buf *out, const struct tmpl_ctx *t%s%s);\n", prefix, name,
			sep, shown);
		fprintf(c, "\nvoid %s_%s(struct buf *out, const struct tmpl_ctx *t%s%s)\n{\n\t(void)t;\n",
			prefix, name, sep, shown);
		/* the newline after the args comment is not output */
		const char *body = end + 2;
		count_lines(src, (size_t)(end - src));
		if (*body == '\n') {
			body++;
			line++;
		}
		struct state st = {.prefix = prefix};
		compile(c, body, n - (size_t)(body - src), &st);
		if (st.depth)
			die("%d block(s) not closed at the end", st.depth);
		fprintf(c, "}\n");
		free(src);
	}
	if (fclose(c) != 0 || fclose(h) != 0) {
		fprintf(stderr, "tmplc: write error\n");
		return 1;
	}
	return 0;
}
