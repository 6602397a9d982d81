/* pg_sql.c: SQLite's dialect to PostgreSQL's (see pg_sql.h for the list).
 * A small tokenizer, then rules that look at a word and the tokens after it.
 * It does not parse SQL: each rule is safe because the construct it matches
 * means one thing wherever it appears in the SQL this project writes. */
#include "store/pg_sql.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"

enum tok_type { T_WS, T_WORD, T_NUM, T_STR, T_QID, T_BLOB, T_PARAM, T_PUNCT };

struct tok {
	enum tok_type type;
	const char *p;
	size_t n;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static void push(struct toks *t, enum tok_type type, const char *p, size_t n)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = (struct tok){type, p, n};
}

/* Unclosed literals and comments run to the end: the server reports them. */
static void tokenize(const char *s, size_t n, struct toks *t)
{
	size_t i = 0;
	while (i < n) {
		size_t st = i;
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			push(t, T_WS, s + st, i - st);
		} else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
			while (i < n && s[i] != '\n')
				i++;
			push(t, T_WS, s + st, i - st);
		} else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			i += 2;
			while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'))
				i++;
			i = i + 2 <= n ? i + 2 : n;
			push(t, T_WS, s + st, i - st);
		} else if ((c == 'x' || c == 'X') && i + 1 < n && s[i + 1] == '\'') {
			i += 2;
			while (i < n && s[i] != '\'')
				i++;
			i = i < n ? i + 1 : n;
			push(t, T_BLOB, s + st, i - st);
		} else if (c == '\'' || c == '"' || c == '`') {
			/* a doubled quote stays inside the literal */
			i++;
			while (i < n) {
				if (s[i] == (char)c) {
					if (i + 1 < n && s[i + 1] == (char)c) {
						i += 2;
						continue;
					}
					break;
				}
				i++;
			}
			i = i < n ? i + 1 : n;
			push(t, c == '\'' ? T_STR : T_QID, s + st, i - st);
		} else if (isalpha(c) || c == '_') {
			while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '$'))
				i++;
			push(t, T_WORD, s + st, i - st);
		} else if (isdigit(c)) {
			while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '.'))
				i++;
			push(t, T_NUM, s + st, i - st);
		} else if (c == '?') {
			i++;
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
			push(t, T_PARAM, s + st, i - st);
		} else {
			i++;
			/* two-character operators stay one token */
			if (i < n && strchr("|<>!=", c) && strchr("|=>", s[i]))
				i++;
			push(t, T_PUNCT, s + st, i - st);
		}
	}
}

static int is_word(const struct tok *t, const char *w)
{
	return t->type == T_WORD && strlen(w) == t->n && strncasecmp(t->p, w, t->n) == 0;
}

static int is_punct(const struct tok *t, char c)
{
	return t->type == T_PUNCT && t->n == 1 && t->p[0] == c;
}

/* Index of the next token at or after i that is not blank, or j. */
static size_t nx(const struct toks *t, size_t i, size_t j)
{
	while (i < j && t->v[i].type == T_WS)
		i++;
	return i;
}

/* Index of the last non-blank token before i (i > lo), or lo - 1 wrapped: the
 * callers check against their range. */
static size_t pv(const struct toks *t, size_t lo, size_t i)
{
	while (i > lo) {
		i--;
		if (t->v[i].type != T_WS)
			return i;
	}
	return (size_t)-1;
}

/* The ')' that closes the '(' at i, or j when unbalanced. */
static size_t close_paren(const struct toks *t, size_t i, size_t j)
{
	int depth = 0;
	for (size_t k = i; k < j; k++) {
		if (is_punct(&t->v[k], '('))
			depth++;
		else if (is_punct(&t->v[k], ')') && --depth == 0)
			return k;
	}
	return j;
}

struct ctx {
	const struct toks *t;
	struct buf *out;
	int maxparam;
	unsigned flags;
	char *err;
	size_t errcap;
	int failed;
	int ignore;  /* INSERT OR IGNORE seen: 1, its ON CONFLICT written: 2 */
};

/* INSERT OR IGNORE's ON CONFLICT DO NOTHING at the end of a statement
 * without RETURNING (with one it goes before it, in word()). */
static void end_statement(struct ctx *c)
{
	if (c->ignore == 1) {
		while (c->out->n && (c->out->p[c->out->n - 1] == ' ' ||
				     c->out->p[c->out->n - 1] == '\n'))
			c->out->p[--c->out->n] = 0;
		buf_adds(c->out, " ON CONFLICT DO NOTHING");
	}
	c->ignore = 0;
}

static void fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct ctx *c, const char *fmt, ...)
{
	if (c->failed)
		return;
	c->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errcap, fmt, ap);
	va_end(ap);
}

int pg_sql_glob_regex(const char *pat, size_t n, struct buf *out)
{
	buf_addc(out, '^');
	for (size_t i = 0; i < n; i++) {
		char ch = pat[i];
		if (ch == '*') {
			buf_adds(out, ".*");
		} else if (ch == '?') {
			buf_addc(out, '.');
		} else if (ch == '[') {
			size_t k = i + 1;
			buf_addc(out, '[');
			if (k < n && pat[k] == '^') {
				buf_addc(out, '^');
				k++;
			}
			if (k < n && pat[k] == ']') { /* a ']' first is a member */
				buf_addc(out, ']');
				k++;
			}
			while (k < n && pat[k] != ']') {
				if (pat[k] == '\\')
					buf_addc(out, '\\');
				buf_addc(out, pat[k]);
				k++;
			}
			if (k >= n)
				return -1;
			buf_addc(out, ']');
			i = k;
		} else {
			if (strchr(".^$+()|{}\\", ch))
				buf_addc(out, '\\');
			buf_addc(out, ch);
		}
	}
	buf_addc(out, '$');
	return 0;
}

static void emit(struct ctx *c, size_t i, size_t j);

/* x [NOT] GLOB 'pat' at k (the GLOB word); returns the index of the pattern. */
static size_t do_glob(struct ctx *c, size_t k, size_t j, int negate)
{
	const struct toks *t = c->t;
	size_t a = nx(t, k + 1, j);
	if (a >= j || t->v[a].type != T_STR) {
		fail(c, "GLOB needs a literal pattern on PostgreSQL");
		return j;
	}
	/* unquote: strip the quotes, '' -> ' */
	struct buf pat = BUF_INIT, re = BUF_INIT;
	const struct tok *s = &t->v[a];
	for (size_t i = 1; i + 1 < s->n; i++) {
		buf_addc(&pat, s->p[i]);
		if (s->p[i] == '\'')
			i++;
	}
	if (pg_sql_glob_regex(pat.p ? pat.p : "", pat.n, &re) != 0)
		fail(c, "cannot translate GLOB pattern %.*s", (int)s->n, s->p);
	if (c->out->n == 0 || c->out->p[c->out->n - 1] != ' ')
		buf_addc(c->out, ' ');
	buf_adds(c->out, negate ? "COLLATE \"C\" !~ '" : "COLLATE \"C\" ~ '");
	for (size_t i = 0; i < re.n; i++) {
		if (re.p[i] == '\'')
			buf_addc(c->out, '\'');
		buf_addc(c->out, re.p[i]);
	}
	buf_addc(c->out, '\'');
	buf_free(&pat);
	buf_free(&re);
	return a;
}

/* Has the parenthesised range (a, m) a comma outside inner parentheses? */
static int has_top_comma(const struct toks *t, size_t a, size_t m)
{
	int depth = 0;
	for (size_t k = a + 1; k < m; k++) {
		if (is_punct(&t->v[k], '('))
			depth++;
		else if (is_punct(&t->v[k], ')'))
			depth--;
		else if (depth == 0 && is_punct(&t->v[k], ','))
			return 1;
	}
	return 0;
}

/* strftime's format as to_char's: the fields this project could use, the
 * text between them in double quotes (to_char reads letters as fields). */
static int to_char_format(const char *f, size_t n, struct buf *out)
{
	int quoted = 0;
	for (size_t i = 0; i < n; i++) {
		const char *field = NULL;
		if (f[i] == '%' && i + 1 < n) {
			switch (f[i + 1]) {
			case 'Y': field = "YYYY"; break;
			case 'm': field = "MM"; break;
			case 'd': field = "DD"; break;
			case 'H': field = "HH24"; break;
			case 'M': field = "MI"; break;
			case 'S': field = "SS"; break;
			case 'j': field = "DDD"; break;
			case '%': break;
			default: return -1;
			}
			i++;
		}
		if (field) {
			if (quoted)
				buf_addc(out, '"');
			quoted = 0;
			buf_adds(out, field);
			continue;
		}
		if (f[i] == '"' || f[i] == '\'' || f[i] == '\\')
			return -1;
		if (!quoted)
			buf_addc(out, '"');
		quoted = 1;
		buf_addc(out, f[i]);
	}
	if (quoted)
		buf_addc(out, '"');
	return 0;
}

/* date(x, 'modifier', ...) and strftime('format', x, 'modifier', ...) with
 * literal modifiers: SQLite's date arithmetic, as text like SQLite's. x may
 * be 'now' (the server's clock). Modifiers: '+N days', '-N day', '+N months',
 * '+N years', 'start of month', and 'localtime' and 'utc', which change
 * nothing here: the session's time zone is the server's. Month arithmetic
 * clamps to the month's end (PostgreSQL's interval), where SQLite's runs
 * over into the next month: 31 January + 1 month is 28 February here and
 * 3 March there; the one use (src/monitor) takes the smaller of both, which
 * is the clamped day. (a, m) are the parentheses; fmt is the first argument
 * (strftime) or NULL (date). */
static size_t date_fn(struct ctx *c, size_t a, size_t m, int strftime)
{
	const struct toks *t = c->t;
	size_t arg[16], na = 0, st = a + 1;
	int depth = 0;
	for (size_t x = a + 1; x <= m && na < 16; x++) {
		if (x < m && is_punct(&t->v[x], '('))
			depth++;
		else if (x < m && is_punct(&t->v[x], ')'))
			depth--;
		else if (x == m || (depth == 0 && is_punct(&t->v[x], ','))) {
			arg[na++] = st;
			st = x + 1;
		}
	}
	struct buf fmt = BUF_INIT;
	size_t first = 0;
	if (strftime) {
		size_t f = nx(t, arg[0], m);
		if (na < 2 || t->v[f].type != T_STR ||
		    to_char_format(t->v[f].p + 1, t->v[f].n - 2, &fmt) != 0) {
			fail(c, "strftime() needs a literal format of %%Y %%m %%d %%H %%M %%S %%j on "
				"PostgreSQL");
			buf_free(&fmt);
			return m;
		}
		first = 1;
	} else {
		buf_adds(&fmt, "YYYY-MM-DD");
	}
	struct buf expr = BUF_INIT, *keep = c->out;
	c->out = &expr;
	buf_adds(&expr, "CAST(");
	size_t end1 = na > first + 1 ? arg[first + 1] - 1 : m;
	emit(c, nx(t, arg[first], end1), pv(t, arg[first], end1) + 1);
	buf_adds(&expr, " AS timestamp)");
	for (size_t i = first + 1; i < na && !c->failed; i++) {
		size_t v = nx(t, arg[i], m);
		char mod[64];
		long n = 0;
		char unit[16] = "";
		if (v >= m || t->v[v].type != T_STR || t->v[v].n < 2 || t->v[v].n - 2 >= sizeof mod) {
			fail(c, "date() needs literal modifiers on PostgreSQL");
			break;
		}
		snprintf(mod, sizeof mod, "%.*s", (int)t->v[v].n - 2, t->v[v].p + 1);
		if (!strcmp(mod, "localtime") || !strcmp(mod, "utc"))
			continue;
		char *prev = buf_detach(&expr);
		if (!strcmp(mod, "start of month")) {
			buf_printf(&expr, "date_trunc('month', %s)", prev);
		} else if (sscanf(mod, "%ld %15s", &n, unit) == 2 && (mod[0] == '+' || mod[0] == '-')) {
			const char *u = !strcmp(unit, "day") || !strcmp(unit, "days") ? "days"
					: !strcmp(unit, "month") || !strcmp(unit, "months") ? "months"
					: !strcmp(unit, "year") || !strcmp(unit, "years") ? "years" : NULL;
			if (u)
				buf_printf(&expr, "(%s + interval '%ld %s')", prev, n, u);
			else
				fail(c, "date() modifier '%s' is not translated for PostgreSQL", mod);
		} else {
			fail(c, "date() modifier '%s' is not translated for PostgreSQL", mod);
		}
		free(prev);
	}
	c->out = keep;
	buf_printf(c->out, "to_char(%s, '%s')", expr.p ? expr.p : "", fmt.p);
	buf_free(&expr);
	buf_free(&fmt);
	return m;
}

/* printf('%0Nd', x) as lpad, printf with %s and %d only as format(). */
static size_t printf_fn(struct ctx *c, size_t a, size_t m)
{
	const struct toks *t = c->t;
	size_t f = nx(t, a + 1, m), comma = f < m ? nx(t, f + 1, m) : m;
	int width = 0;
	char tail = 0;
	const struct tok *ft = &t->v[f];
	if (f >= m || ft->type != T_STR) {
		fail(c, "printf() needs a literal format on PostgreSQL");
		return m;
	}
	if (sscanf(ft->p, "'%%0%dd%c", &width, &tail) == 2 && tail == '\'' && width > 0 &&
	    width < 1000 && comma < m && is_punct(&t->v[comma], ',')) {
		buf_adds(c->out, "lpad(CAST(");
		emit(c, nx(t, comma + 1, m), m);
		buf_printf(c->out, " AS text), %d, '0')", width);
		return m;
	}
	buf_adds(c->out, "format(");
	for (size_t i = 0; i < ft->n; i++) {
		if (ft->p[i] == '%' && i + 1 < ft->n) {
			char x = ft->p[i + 1];
			if (x != 's' && x != 'd' && x != '%') {
				fail(c, "printf() format %%%c is not translated for PostgreSQL", x);
				return m;
			}
			buf_adds(c->out, x == '%' ? "%%" : "%s");
			i++;
			continue;
		}
		buf_addc(c->out, ft->p[i]);
	}
	emit(c, f + 1, m);
	buf_addc(c->out, ')');
	return m;
}

/* json_each(x, '$.a.b') alias, over a JSON array (the tests read framework
 * bodies so): jsonb_array_elements(CAST(x AS jsonb) #> '{a,b}') AS
 * alias(value). Returns the last index consumed (the alias, if any). */
static size_t json_each(struct ctx *c, size_t a, size_t m, size_t j)
{
	const struct toks *t = c->t;
	size_t comma = a + 1;
	int depth = 0;
	for (; comma < m; comma++) {
		if (is_punct(&t->v[comma], '('))
			depth++;
		else if (is_punct(&t->v[comma], ')'))
			depth--;
		else if (depth == 0 && is_punct(&t->v[comma], ','))
			break;
	}
	size_t p = comma < m ? nx(t, comma + 1, m) : m;
	const struct tok *pt = p < m ? &t->v[p] : NULL;
	if (!pt || pt->type != T_STR || pt->n < 3 || pt->p[1] != '$' || nx(t, p + 1, m) != m) {
		fail(c, "json_each() needs a literal '$.path' on PostgreSQL");
		return m;
	}
	buf_adds(c->out, "jsonb_array_elements(CAST(");
	emit(c, nx(t, a + 1, comma), pv(t, a, comma) + 1);
	buf_adds(c->out, " AS jsonb) #> '{");
	for (size_t i = 3; i + 1 < pt->n; i++)
		buf_addc(c->out, pt->p[i] == '.' ? ',' : pt->p[i]);
	buf_adds(c->out, "}')");
	size_t al = nx(t, m + 1, j);
	if (al < j && t->v[al].type == T_WORD && !is_word(&t->v[al], "WHERE") &&
	    !is_word(&t->v[al], "JOIN") && !is_word(&t->v[al], "ON")) {
		buf_printf(c->out, " AS %.*s(value)", (int)t->v[al].n, t->v[al].p);
		return al;
	}
	buf_adds(c->out, " AS json_each(value)");
	return m;
}

/* x ->> '$.key' is x ->> 'key' in PostgreSQL; k is the string. */
static int json_key(const struct toks *t, size_t i, size_t k)
{
	const struct tok *s = &t->v[k];
	size_t a = pv(t, i, k), b = a != (size_t)-1 ? pv(t, i, a) : (size_t)-1;
	if (s->n < 4 || s->p[1] != '$' || s->p[2] != '.' || memchr(s->p + 3, '.', s->n - 4) ||
	    memchr(s->p + 3, '[', s->n - 4) || a == (size_t)-1 || b == (size_t)-1)
		return 0;
	/* "->>" comes as '-' '>>', "->" as '-' '>' */
	const struct tok *op = &t->v[a];
	return is_punct(&t->v[b], '-') && op->type == T_PUNCT && op->p[0] == '>' &&
	       (op->n == 1 || (op->n == 2 && op->p[1] == '>'));
}

/* Emits the word at k, or its translation; returns the last index consumed. */
static size_t word(struct ctx *c, size_t k, size_t i, size_t j)
{
	const struct toks *t = c->t;
	const struct tok *w = &t->v[k];
	size_t a = nx(t, k + 1, j);
	if (is_word(w, "CAST") && a < j && is_punct(&t->v[a], '(')) {
		size_t m = close_paren(t, a, j);
		size_t b2 = m < j ? pv(t, a, m) : (size_t)-1;
		size_t b1 = b2 != (size_t)-1 ? pv(t, a, b2) : (size_t)-1;
		if (b1 != (size_t)-1 && is_word(&t->v[b2], "INTEGER") && is_word(&t->v[b1], "AS")) {
			/* SQLite's CAST to INTEGER takes a text's leading digits and
			 * 0 when there are none; PostgreSQL's refuses such text */
			buf_adds(c->out, "probity_int(");
			emit(c, a + 1, pv(t, a, b1) + 1);
			buf_addc(c->out, ')');
			return m;
		}
	}
	if (is_word(w, "INTEGER")) {
		size_t b = a < j ? nx(t, a + 1, j) : j;
		if (a < j && b < j && is_word(&t->v[a], "PRIMARY") && is_word(&t->v[b], "KEY")) {
			buf_adds(c->out, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
			return b;
		}
		buf_adds(c->out, "BIGINT");
		return k;
	}
	if (is_word(w, "BLOB")) {
		buf_adds(c->out, "BYTEA");
		return k;
	}
	if (is_word(w, "STRICT")) {
		size_t p = pv(t, i, k);
		if (p != (size_t)-1 && is_punct(&t->v[p], ')'))
			return k; /* the table option: dropped */
	}
	if (is_word(w, "COLLATE") && a < j && is_word(&t->v[a], "NOCASE")) {
		buf_adds(c->out, "COLLATE probity_nocase");
		c->flags |= PG_SQL_NEEDS_NOCASE;
		return a;
	}
	if (is_word(w, "NOT") && a < j && is_word(&t->v[a], "GLOB"))
		return do_glob(c, a, j, 1);
	if (is_word(w, "GLOB"))
		return do_glob(c, k, j, 0);
	if (is_word(w, "LIKE")) {
		buf_adds(c->out, "ILIKE");
		return k;
	}
	if (is_word(w, "IS") && a < j) {
		/* SQLite's "x IS y" and "x IS NOT y" compare with NULL as a value;
		 * PostgreSQL's IS takes only NULL, TRUE, FALSE (a syntax error
		 * before this rule: "totp_wrapped IS ?" in accounts/store.c) */
		int neg = is_word(&t->v[a], "NOT");
		size_t b = neg ? nx(t, a + 1, j) : a;
		static const char *const keep[] = {"NULL", "TRUE", "FALSE", "DISTINCT", "UNKNOWN",
						   NULL};
		int plain = b < j;
		for (int q = 0; plain && keep[q]; q++)
			if (is_word(&t->v[b], keep[q]))
				plain = 0;
		if (plain) {
			buf_adds(c->out, neg ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM");
			return neg ? a : k;
		}
	}
	if (is_word(w, "IN") && a < j && (t->v[a].type == T_WORD || t->v[a].type == T_QID) &&
	    !is_word(&t->v[a], "SELECT")) {
		/* SQLite's "x IN name" (a table or a WITH query) */
		buf_printf(c->out, "IN (SELECT * FROM %.*s)", (int)t->v[a].n, t->v[a].p);
		return a;
	}
	if (is_word(w, "INSERT") && a < j && is_word(&t->v[a], "OR")) {
		size_t b = nx(t, a + 1, j);
		if (b < j && is_word(&t->v[b], "IGNORE")) {
			buf_adds(c->out, "INSERT");
			c->ignore = 1;
			return b;
		}
		fail(c, "INSERT OR %.*s is not translated for PostgreSQL: write ON CONFLICT",
		     b < j ? (int)t->v[b].n : 0, b < j ? t->v[b].p : "");
		return j;
	}
	if (is_word(w, "RETURNING") && c->ignore == 1) {
		buf_adds(c->out, "ON CONFLICT DO NOTHING RETURNING");
		c->ignore = 2;
		return k;
	}
	if (is_word(w, "ifnull")) {
		buf_adds(c->out, "coalesce");
		return k;
	}
	if (a < j && is_punct(&t->v[a], '(')) {
		size_t m = close_paren(t, a, j);
		if (m >= j) {
			buf_add(c->out, w->p, w->n);
			return k;
		}
		if (is_word(w, "CAST")) {
			size_t b2 = pv(t, a, m), b1 = b2 != (size_t)-1 ? pv(t, a, b2) : (size_t)-1;
			if (b1 != (size_t)-1 && is_word(&t->v[b2], "BLOB") &&
			    is_word(&t->v[b1], "AS")) {
				buf_adds(c->out, "convert_to(");
				emit(c, a + 1, pv(t, a, b1) + 1);
				buf_adds(c->out, ", 'UTF8')");
				return m;
			}
		}
		if (is_word(w, "randomblob")) {
			size_t v = nx(t, a + 1, m);
			long nb = v < m && t->v[v].type == T_NUM ? strtol(t->v[v].p, NULL, 10) : 0;
			if (nb < 1 || nb > 64 || nx(t, v + 1, m) != m) {
				fail(c, "randomblob() needs a literal length of 1 to 64 on PostgreSQL");
				return m;
			}
			/* 122 random bits of a version 4 UUID, spread by SHA-512 */
			buf_printf(c->out, "substr(sha512(uuid_send(gen_random_uuid())), 1, %ld)", nb);
			return m;
		}
		if (is_word(w, "total")) {
			/* SQLite's total(): a float sum, 0.0 over no rows */
			buf_adds(c->out, "coalesce(sum(CAST(");
			emit(c, a + 1, m);
			buf_adds(c->out, " AS double precision)), 0)");
			return m;
		}
		if (is_word(w, "date") && has_top_comma(t, a, m))
			return date_fn(c, a, m, 0);
		if (is_word(w, "strftime"))
			return date_fn(c, a, m, 1);
		if (is_word(w, "printf"))
			return printf_fn(c, a, m);
		if (is_word(w, "json_each"))
			return json_each(c, a, m, j);
		if (is_word(w, "group_concat")) {
			/* group_concat(x[, sep]): string_agg wants text and a separator */
			size_t f = nx(t, a + 1, m), comma = f;
			int depth = 0;
			for (; comma < m; comma++) {
				if (is_punct(&t->v[comma], '('))
					depth++;
				else if (is_punct(&t->v[comma], ')'))
					depth--;
				else if (depth == 0 && is_punct(&t->v[comma], ','))
					break;
			}
			buf_adds(c->out, "string_agg(");
			if (f < m && is_word(&t->v[f], "DISTINCT")) {
				buf_adds(c->out, "DISTINCT ");
				f = nx(t, f + 1, m);
			}
			buf_adds(c->out, "CAST(");
			emit(c, f, pv(t, a, comma) + 1);
			buf_adds(c->out, " AS text), ");
			if (comma < m)
				emit(c, nx(t, comma + 1, m), m);
			else
				buf_adds(c->out, "','");
			buf_addc(c->out, ')');
			return m;
		}
		if ((is_word(w, "FROM") || is_word(w, "JOIN")) && is_word(&t->v[nx(t, a + 1, m)], "SELECT")) {
			/* PostgreSQL before 16 wants a name for a subquery in FROM */
			buf_add(c->out, w->p, w->n);
			emit(c, k + 1, m + 1);
			size_t after = nx(t, m + 1, j);
			static const char *const follow[] = {"WHERE", "GROUP", "ORDER", "LIMIT", "UNION",
				"EXCEPT", "INTERSECT", "JOIN", "LEFT", "INNER", "CROSS", "ON", "HAVING",
				"OFFSET", "WINDOW", NULL};
			int named = after < j && (t->v[after].type == T_WORD || t->v[after].type == T_QID);
			for (int f = 0; named && follow[f]; f++)
				if (is_word(&t->v[after], follow[f]))
					named = 0;
			if (!named)
				buf_printf(c->out, " AS q%zu", m);
			return m;
		}
		if ((is_word(w, "min") || is_word(w, "max")) && has_top_comma(t, a, m)) {
			buf_adds(c->out, is_word(w, "min") ? "least" : "greatest");
			return k;
		}
	}
	buf_add(c->out, w->p, w->n);
	return k;
}

/* ON CONFLICT ... DO UPDATE SET n = n + 1: in PostgreSQL the bare n could be
 * the target's or the new row's ("ambiguous"); SQLite means the target's, so
 * a column that is assigned is qualified with the table where its own name
 * appears on the right. k is the DO; returns the last index consumed. */
static size_t upsert_set(struct ctx *c, size_t k, size_t i, size_t j)
{
	const struct toks *t = c->t;
	size_t u = nx(t, k + 1, j), set = u < j ? nx(t, u + 1, j) : j;
	size_t into = k, table = j;
	while (into > i && !is_word(&t->v[into], "INTO"))
		into--;
	if (is_word(&t->v[into], "INTO"))
		table = nx(t, into + 1, k);
	if (set >= j || !is_word(&t->v[u], "UPDATE") || !is_word(&t->v[set], "SET") ||
	    table >= k || t->v[table].type != T_WORD) {
		buf_add(c->out, t->v[k].p, t->v[k].n);
		return k;
	}
	emit(c, k, set + 1);
	const struct tok *tab = &t->v[table];
	size_t col = j, x;
	int depth = 0, rhs = 0;
	for (x = set + 1; x < j; x++) {
		const struct tok *w = &t->v[x];
		if (depth == 0 && (is_word(w, "WHERE") || is_word(w, "RETURNING")))
			break;
		if (is_punct(w, '('))
			depth++;
		else if (is_punct(w, ')'))
			depth--;
		if (depth == 0 && is_punct(w, ',')) {
			col = j;
			rhs = 0;
		} else if (depth == 0 && !rhs && w->type == T_WORD && col == j) {
			col = x;
		} else if (depth == 0 && is_punct(w, '=')) {
			rhs = 1;
		} else if (rhs && col < j && w->type == T_WORD && w->n == t->v[col].n &&
			   strncasecmp(w->p, t->v[col].p, w->n) == 0 &&
			   !(x > 0 && is_punct(&t->v[x - 1], '.'))) {
			buf_printf(c->out, "%.*s.", (int)tab->n, tab->p);
		}
		emit(c, x, x + 1);
	}
	return x - 1;
}

static void emit(struct ctx *c, size_t i, size_t j)
{
	const struct toks *t = c->t;
	for (size_t k = i; k < j && !c->failed; k++) {
		const struct tok *w = &t->v[k];
		switch (w->type) {
		case T_PARAM: {
			int num = w->n > 1 ? atoi(w->p + 1) : c->maxparam + 1;
			if (num < 1 || num > 999) {
				fail(c, "parameter number out of range: %.*s", (int)w->n, w->p);
				return;
			}
			if (num > c->maxparam)
				c->maxparam = num;
			buf_printf(c->out, "$%d", num);
			break;
		}
		case T_BLOB: /* X'ab' -> '\xab'::bytea */
			buf_adds(c->out, "'\\x");
			if (w->n > 3)
				buf_add(c->out, w->p + 2, w->n - 3);
			buf_adds(c->out, "'::bytea");
			break;
		case T_STR:
			if (json_key(t, i, k)) {
				buf_addc(c->out, '\'');
				buf_add(c->out, w->p + 3, w->n - 3);
			} else {
				buf_add(c->out, w->p, w->n);
			}
			break;
		case T_WORD:
			if (is_word(w, "DO"))
				k = upsert_set(c, k, i, j);
			else
				k = word(c, k, i, j);
			break;
		default:
			buf_add(c->out, w->p, w->n);
		}
	}
}

/* One statement of a trigger's body, [i, j), as plpgsql. */
static void trigger_stmt(struct ctx *c, size_t i, size_t j)
{
	const struct toks *t = c->t;
	size_t a = nx(t, i, j);
	if (a >= j)
		return;
	size_t b = nx(t, a + 1, j);
	if (is_word(&t->v[a], "SELECT") && b < j && is_word(&t->v[b], "RAISE")) {
		size_t op = nx(t, b + 1, j);
		size_t m = op < j ? close_paren(t, op, j) : j;
		size_t kind = op < j ? nx(t, op + 1, m) : j;
		size_t comma = kind < m ? nx(t, kind + 1, m) : m;
		size_t msg = comma < m ? nx(t, comma + 1, m) : m;
		if (m >= j || msg >= m || t->v[msg].type != T_STR || is_word(&t->v[kind], "IGNORE")) {
			fail(c, "cannot translate a trigger's RAISE for PostgreSQL");
			return;
		}
		size_t wh = nx(t, m + 1, j);
		if (wh < j && is_word(&t->v[wh], "WHERE")) {
			buf_adds(c->out, "IF ");
			emit(c, wh + 1, j);
			buf_adds(c->out, " THEN ");
		} else if (wh < j) {
			fail(c, "cannot translate a trigger's RAISE for PostgreSQL");
			return;
		}
		/* 23000: integrity_constraint_violation, DBE_CONSTRAINT like SQLite's */
		buf_adds(c->out, "RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = ");
		buf_add(c->out, t->v[msg].p, t->v[msg].n);
		buf_adds(c->out, wh < j ? "; END IF;\n" : ";\n");
		return;
	}
	emit(c, i, j);
	end_statement(c);
	buf_adds(c->out, ";\n");
}

/* CREATE TRIGGER [IF NOT EXISTS] name {BEFORE|AFTER} event ON table
 * [FOR EACH ROW] [WHEN expr] BEGIN stmt; ... END */
static void trigger(struct ctx *c, size_t j)
{
	const struct toks *t = c->t;
	size_t k = nx(t, 0, j);
	k = nx(t, k + 1, j); /* TRIGGER */
	size_t name = nx(t, k + 1, j);
	if (name < j && is_word(&t->v[name], "IF")) {
		name = nx(t, name + 1, j); /* NOT */
		name = nx(t, name + 1, j); /* EXISTS */
		name = nx(t, name + 1, j);
	}
	size_t timing = nx(t, name + 1, j), event = timing < j ? nx(t, timing + 1, j) : j;
	size_t on = event, begin, end = pv(t, 0, j);
	while (on < j && !is_word(&t->v[on], "ON"))
		on++;
	size_t table = on < j ? nx(t, on + 1, j) : j;
	for (begin = table; begin < j && !is_word(&t->v[begin], "BEGIN"); begin++)
		;
	if (name >= j || t->v[name].type != T_WORD || table >= j || begin >= j ||
	    end == (size_t)-1 || !is_word(&t->v[end], "END") ||
	    !(is_word(&t->v[timing], "BEFORE") || is_word(&t->v[timing], "AFTER"))) {
		fail(c, "cannot translate this CREATE TRIGGER for PostgreSQL");
		return;
	}
	size_t when = nx(t, table + 1, begin);
	if (when < begin && is_word(&t->v[when], "FOR"))
		when = nx(t, when + 1, begin), when = nx(t, when + 1, begin),
		when = nx(t, when + 1, begin); /* FOR EACH ROW */
	const char *ret = !is_word(&t->v[timing], "BEFORE") ? "NULL"
			  : is_word(&t->v[event], "DELETE") ? "OLD" : "NEW";
	const struct tok *nm = &t->v[name];
	buf_printf(c->out, "CREATE FUNCTION %.*s_fn() RETURNS trigger LANGUAGE plpgsql AS "
		   "$probity$\nBEGIN\n", (int)nm->n, nm->p);
	size_t st = begin + 1;
	int depth = 0;
	for (size_t x = begin + 1; x < end && !c->failed; x++) {
		if (is_punct(&t->v[x], '('))
			depth++;
		else if (is_punct(&t->v[x], ')'))
			depth--;
		else if (depth == 0 && is_punct(&t->v[x], ';')) {
			trigger_stmt(c, st, x);
			st = x + 1;
		}
	}
	trigger_stmt(c, st, end);
	buf_printf(c->out, "RETURN %s;\nEND\n$probity$;\nCREATE TRIGGER %.*s ", ret, (int)nm->n,
		   nm->p);
	emit(c, timing, table + 1);
	buf_adds(c->out, " FOR EACH ROW ");
	if (when < begin && is_word(&t->v[when], "WHEN")) {
		buf_adds(c->out, "WHEN (");
		emit(c, when + 1, begin);
		buf_adds(c->out, ") ");
	}
	buf_printf(c->out, "EXECUTE FUNCTION %.*s_fn()", (int)nm->n, nm->p);
}

/* CREATE [UNIQUE] INDEX ... ON t (a, b IS NULL): PostgreSQL wants an
 * expression in an index's column list in parentheses of its own. Returns 0
 * when the statement is not an index or has no expression. */
static int index_stmt(struct ctx *c, size_t j)
{
	const struct toks *t = c->t;
	size_t k = nx(t, 0, j);
	if (k >= j || !is_word(&t->v[k], "CREATE"))
		return 0;
	k = nx(t, k + 1, j);
	if (k < j && is_word(&t->v[k], "UNIQUE"))
		k = nx(t, k + 1, j);
	if (k >= j || !is_word(&t->v[k], "INDEX"))
		return 0;
	while (k < j && !is_word(&t->v[k], "ON"))
		k++;
	size_t a = k < j ? nx(t, k + 1, j) : j; /* table */
	a = a < j ? nx(t, a + 1, j) : j;        /* ( */
	if (a >= j || !is_punct(&t->v[a], '('))
		return 0;
	size_t m = close_paren(t, a, j);
	if (m >= j)
		return 0;
	emit(c, 0, a + 1);
	size_t st = a + 1;
	int depth = 0;
	for (size_t x = a + 1; x <= m; x++) {
		if (is_punct(&t->v[x], '('))
			depth++;
		else if (x < m && is_punct(&t->v[x], ')'))
			depth--;
		else if ((x == m || (depth == 0 && is_punct(&t->v[x], ','))) && st < x) {
			/* a column alone, or with ASC/DESC/COLLATE, stays as it is */
			size_t f = nx(t, st, x), g = f < x ? nx(t, f + 1, x) : x;
			int plain = f < x && t->v[f].type == T_WORD &&
				    (g >= x || is_word(&t->v[g], "ASC") || is_word(&t->v[g], "DESC") ||
				     is_word(&t->v[g], "COLLATE"));
			emit(c, st, f);
			if (!plain)
				buf_addc(c->out, '(');
			emit(c, f, x);
			if (!plain)
				buf_addc(c->out, ')');
			buf_add(c->out, t->v[x].p, t->v[x].n);
			st = x + 1;
		}
	}
	emit(c, m + 1, j);
	return 1;
}

/* DROP TRIGGER [IF EXISTS] name: PostgreSQL's DROP TRIGGER wants the table
 * too (ON t). The trigger made by trigger() runs a function of its own,
 * name_fn, on which nothing else depends: dropping that function with
 * CASCADE drops exactly the trigger, as SQLite's statement does, and leaves
 * no function behind. Returns 0 when the statement is not a DROP TRIGGER. */
static int drop_trigger(struct ctx *c, size_t j)
{
	const struct toks *t = c->t;
	size_t k = nx(t, 0, j);
	if (k >= j || !is_word(&t->v[k], "DROP"))
		return 0;
	k = nx(t, k + 1, j);
	if (k >= j || !is_word(&t->v[k], "TRIGGER"))
		return 0;
	k = nx(t, k + 1, j);
	int if_exists = 0;
	if (k < j && is_word(&t->v[k], "IF")) {
		size_t e = nx(t, k + 1, j);
		if (e >= j || !is_word(&t->v[e], "EXISTS")) {
			fail(c, "cannot translate this DROP TRIGGER for PostgreSQL");
			return 1;
		}
		if_exists = 1;
		k = nx(t, e + 1, j);
	}
	size_t after = k < j ? nx(t, k + 1, j) : j;
	if (k >= j || t->v[k].type != T_WORD || after != j) {
		fail(c, "cannot translate this DROP TRIGGER for PostgreSQL");
		return 1;
	}
	buf_printf(c->out, "DROP FUNCTION %s%.*s_fn() CASCADE", if_exists ? "IF EXISTS " : "",
		   (int)t->v[k].n, t->v[k].p);
	return 1;
}

int pg_sql_translate(const char *sql, size_t n, struct buf *out, int *nparams, unsigned *flags,
		     char *err, size_t errcap)
{
	struct toks t = {0};
	tokenize(sql, n, &t);
	struct ctx c = {.t = &t, .out = out, .err = err, .errcap = errcap};
	size_t a = nx(&t, 0, t.n), b = a < t.n ? nx(&t, a + 1, t.n) : t.n;
	if (b < t.n && is_word(&t.v[a], "CREATE") && is_word(&t.v[b], "TRIGGER"))
		trigger(&c, t.n);
	else if (!drop_trigger(&c, t.n) && !index_stmt(&c, t.n))
		emit(&c, 0, t.n);
	end_statement(&c);
	free(t.v);
	*nparams = c.maxparam;
	*flags = c.flags;
	return c.failed ? -1 : 0;
}

int pg_sql_split(const char *sql, int (*fn)(void *ctx, const char *s, size_t n), void *ctx)
{
	struct toks t = {0};
	size_t len = strlen(sql);
	tokenize(sql, len, &t);
	size_t start = 0;   /* token index where the statement begins */
	int words = 0, in_trigger = 0, in_body = 0, cases = 0, rc = 0;
	for (size_t k = 0; k < t.n && rc == 0; k++) {
		const struct tok *w = &t.v[k];
		if (w->type == T_WORD) {
			if (words == 1 && is_word(w, "TRIGGER"))
				in_trigger = 1;
			words++;
			if (in_trigger && !in_body && is_word(w, "BEGIN"))
				in_body = 1;
			else if (in_body && is_word(w, "CASE"))
				cases++;
			else if (in_body && is_word(w, "END")) {
				if (cases > 0)
					cases--;
				else
					in_body = 0, in_trigger = 0;
			}
		}
		int last = k + 1 == t.n;
		if ((is_punct(w, ';') && !in_body) || last) {
			size_t e = is_punct(w, ';') ? k : k + 1;
			size_t s = nx(&t, start, e);
			if (s < e) {
				const char *from = t.v[s].p;
				const char *to = t.v[e - 1].p + t.v[e - 1].n;
				rc = fn(ctx, from, (size_t)(to - from));
			}
			start = k + 1;
			words = 0;
			in_trigger = in_body = cases = 0;
		}
	}
	free(t.v);
	return rc;
}

void pg_sql_created(const char *s, size_t n, char *out, size_t cap)
{
	struct toks t = {0};
	tokenize(s, n, &t);
	size_t k = nx(&t, 0, t.n);
	out[0] = 0;
	if (k >= t.n || !is_word(&t.v[k], "CREATE"))
		goto done;
	k = nx(&t, k + 1, t.n);
	while (k < t.n && (is_word(&t.v[k], "UNIQUE") || is_word(&t.v[k], "TEMP") ||
			   is_word(&t.v[k], "TEMPORARY")))
		k = nx(&t, k + 1, t.n);
	if (k >= t.n || t.v[k].type != T_WORD)
		goto done;
	size_t kind = k;
	k = nx(&t, k + 1, t.n);
	if (k < t.n && is_word(&t.v[k], "IF"))
		for (int i = 0; i < 3; i++)
			k = k < t.n ? nx(&t, k + 1, t.n) : k;
	if (k >= t.n || t.v[k].type != T_WORD)
		goto done;
	snprintf(out, cap, "%.*s:%.*s", (int)t.v[kind].n, t.v[kind].p, (int)t.v[k].n, t.v[k].p);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
done:
	free(t.v);
}
