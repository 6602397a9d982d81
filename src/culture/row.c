/* row.c: the indicators, the header and the check of one row (culture.h).
 * Pure: no database, no clock. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "culture/culture.h"

/* marks a msgid for scripts/update-po; the page translates it (pure code
 * here, so not web/i18n.h) */
#define N_(s) (s)

const struct culture_indicator culture_indicators[CULTURE_NINDICATORS] = {
	{"would_report", N_("Would report a suspicion of wrongdoing"),
	 "Zou een vermoeden van een misstand melden"},
	{"safe_to_speak", N_("Feels safe to speak up"), "Voelt zich veilig om zich uit te spreken"},
	{"knows_adviser", N_("Knows the confidential adviser"), "Kent de vertrouwenspersoon"},
	{"dilemma_talks", N_("Discussed integrity dilemmas in the past year"),
	 "Sprak het afgelopen jaar over integriteitsdilemma's"},
};

int culture_indicator_find(const char *code, size_t n)
{
	for (int i = 0; i < CULTURE_NINDICATORS; i++) {
		const char *c = culture_indicators[i].code;
		if (strlen(c) == n) {
			size_t k = 0;
			while (k < n && tolower((unsigned char)code[k]) == c[k])
				k++;
			if (k == n)
				return i;
		}
	}
	return -1;
}

static const char *const column_names[CUL_NCOLUMNS] = {
	"organisation", "year", "indicator", "value", "respondents", "source"};

/* folded: lower case, without spaces, '_' and '-' */
static const char *const aliases[CUL_NCOLUMNS][5] = {
	{"organisation", "organization", "organisatie", "org", NULL},
	{"year", "jaar", NULL},
	{"indicator", "indicatorcode", NULL},
	{"value", "waarde", "percentage", NULL},
	{"respondents", "respondenten", "n", NULL},
	{"source", "bron", NULL},
};

/* 1 if f is made of what an organisation code may hold (orgs/model.c):
 * letters, digits and '-'. A NUL or control byte read from a damaged file
 * must not end the code early and leave an empty or shortened one. */
static int code_chars(struct csv_field f)
{
	for (size_t i = 0; i < f.n; i++) {
		char c = f.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
	}
	return 1;
}

static struct csv_field trim(struct csv_field f)
{
	while (f.n && (f.p[0] == ' ' || f.p[0] == '\t'))
		f.p++, f.n--;
	while (f.n && (f.p[f.n - 1] == ' ' || f.p[f.n - 1] == '\t'))
		f.n--;
	return f;
}

/* A value quoted in a message: at most 40 bytes, printable ASCII, else '?'. */
static const char *shown(struct csv_field f, char out[48])
{
	size_t n = f.n > 40 ? 40 : f.n, k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)f.p[i];
		out[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (f.n > 40)
		out[k++] = '.', out[k++] = '.', out[k++] = '.';
	out[k] = 0;
	return out;
}

int culture_header_parse(const struct csv_field *f, size_t n, struct culture_header *h,
			 char *err, size_t errlen)
{
	int seen[CUL_NCOLUMNS] = {0};
	char buf[48];
	h->nfields = n;
	for (size_t i = 0; i < n; i++) {
		struct csv_field t = trim(f[i]);
		char folded[64];
		size_t k = 0;
		for (size_t j = 0; j < t.n && k + 1 < sizeof folded; j++) {
			char c = t.p[j];
			if (c == ' ' || c == '_' || c == '-')
				continue;
			folded[k++] = (char)tolower((unsigned char)c);
		}
		folded[k] = 0;
		int col = -1;
		for (int c = 0; c < CUL_NCOLUMNS && col < 0 && t.n < sizeof folded; c++)
			for (size_t a = 0; aliases[c][a] && col < 0; a++)
				if (strcmp(folded, aliases[c][a]) == 0)
					col = c;
		if (col < 0) {
			snprintf(err, errlen,
				 "the header has an unknown column \"%s\": the columns are "
				 "organisation, year, indicator, value, respondents, source",
				 shown(t, buf));
			return -1;
		}
		if (seen[col]) {
			snprintf(err, errlen, "the header names the column %s twice", column_names[col]);
			return -1;
		}
		seen[col] = 1;
		h->field[col] = i;
	}
	for (int c = 0; c < CUL_NCOLUMNS; c++)
		if (!seen[c]) {
			snprintf(err, errlen, "the header lacks the column %s", column_names[c]);
			return -1;
		}
	return 0;
}

int culture_parse_value(const char *s, size_t n, int *tenths)
{
	struct csv_field f = trim((struct csv_field){s, n});
	if (f.n && f.p[f.n - 1] == '%')
		f = trim((struct csv_field){f.p, f.n - 1});
	size_t i = 0;
	int whole = 0, digits = 0, tenth = 0;
	while (i < f.n && f.p[i] >= '0' && f.p[i] <= '9' && digits < 4) {
		whole = whole * 10 + (f.p[i++] - '0');
		digits++;
	}
	if (!digits)
		return -1;
	if (i < f.n && (f.p[i] == ',' || f.p[i] == '.')) {
		i++;
		if (i + 1 != f.n || f.p[i] < '0' || f.p[i] > '9')
			return -1;   /* exactly one decimal after the mark */
		tenth = f.p[i++] - '0';
	}
	if (i != f.n || whole > 100 || (whole == 100 && tenth))
		return -1;
	*tenths = whole * 10 + tenth;
	return 0;
}

int culture_parse_respondents(const char *s, size_t n, int64_t *out)
{
	struct csv_field f = trim((struct csv_field){s, n});
	int64_t v = 0;
	if (!f.n || f.n > 9)
		return -1;
	for (size_t i = 0; i < f.n; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			return -1;
		v = v * 10 + (f.p[i] - '0');
	}
	if (v < 1 || v > CULTURE_MAX_RESPONDENTS)
		return -1;
	*out = v;
	return 0;
}

__attribute__((format(printf, 4, 5))) static void add(char *err, size_t errlen, size_t *used,
						       const char *fmt, ...)
{
	if (*used >= errlen)
		return;
	if (*used)
		*used += (size_t)snprintf(err + *used, errlen - *used, "; ");
	if (*used >= errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	*used += (size_t)vsnprintf(err + *used, errlen - *used, fmt, ap);
	va_end(ap);
}

enum culture_check culture_row_check(const struct culture_header *h, const struct csv_field *f,
				     size_t n, int this_year, struct culture_row *out, char *err,
				     size_t errlen)
{
	size_t used = 0;
	char b[48];
	memset(out, 0, sizeof *out);
	err[0] = 0;
	int blank = 1;
	for (size_t i = 0; i < n; i++)
		if (trim(f[i]).n)
			blank = 0;
	if (blank)
		return CUL_ROW_BLANK;
	if (n != h->nfields) {
		snprintf(err, errlen, "the row has %zu fields, the header %zu", n, h->nfields);
		return CUL_ROW_BAD;
	}
	struct csv_field org = trim(f[h->field[CUL_COL_ORG]]);
	struct csv_field year = trim(f[h->field[CUL_COL_YEAR]]);
	struct csv_field ind = trim(f[h->field[CUL_COL_INDICATOR]]);
	struct csv_field val = f[h->field[CUL_COL_VALUE]];
	struct csv_field resp = f[h->field[CUL_COL_RESPONDENTS]];
	struct csv_field src = trim(f[h->field[CUL_COL_SOURCE]]);

	if (!org.n)
		add(err, errlen, &used, "the organisation is empty");
	else if (org.n > ORG_CODE_MAX)
		add(err, errlen, &used, "the organisation \"%s\" is longer than %d characters",
		    shown(org, b), ORG_CODE_MAX);
	else if (!code_chars(org))
		add(err, errlen, &used, "the organisation \"%s\" is no code: letters, digits and -",
		    shown(org, b));
	else {
		memcpy(out->org, org.p, org.n);
		out->org[org.n] = 0;
	}
	int y = 0, yok = year.n == 4;
	for (size_t i = 0; yok && i < 4; i++)
		if (year.p[i] < '0' || year.p[i] > '9')
			yok = 0;
		else
			y = y * 10 + (year.p[i] - '0');
	if (!yok)
		add(err, errlen, &used, "the year \"%s\" is not a year of four digits", shown(year, b));
	else if (y < CULTURE_YEAR_MIN || y > this_year)
		add(err, errlen, &used, "the year %d is not from %d to %d", y, CULTURE_YEAR_MIN,
		    this_year);
	out->year = y;
	out->indicator = culture_indicator_find(ind.p, ind.n);
	if (out->indicator < 0)
		add(err, errlen, &used,
		    "the indicator \"%s\" is unknown: one of would_report, safe_to_speak, "
		    "knows_adviser, dilemma_talks", shown(ind, b));
	if (culture_parse_value(val.p, val.n, &out->tenths) != 0)
		add(err, errlen, &used,
		    "the value \"%s\" is not a percentage from 0 to 100 with at most one decimal",
		    shown(val, b));
	if (culture_parse_respondents(resp.p, resp.n, &out->respondents) != 0)
		add(err, errlen, &used, "the respondents \"%s\" are not a whole number from 1 up",
		    shown(resp, b));
	else if (out->respondents < CULTURE_MIN_RESPONDENTS)
		add(err, errlen, &used,
		    "%lld respondents are too few to publish: a figure needs at least %d, so "
		    "that no one's answer can be told",
		    (long long)out->respondents, CULTURE_MIN_RESPONDENTS);
	if (!src.n)
		add(err, errlen, &used, "the source is empty: name the survey");
	else if (src.n > CULTURE_SOURCE_MAX)
		add(err, errlen, &used, "the source is longer than %d bytes", CULTURE_SOURCE_MAX);
	else if (utf8_valid(src.p, src.n) != 1)
		add(err, errlen, &used, "the source is not UTF-8 text");
	else {
		int ctl = 0;
		for (size_t i = 0; i < src.n; i++)
			if ((unsigned char)src.p[i] < 0x20 || src.p[i] == 0x7f)
				ctl = 1;
		if (ctl)
			add(err, errlen, &used, "the source holds a line break or control character");
		else {
			memcpy(out->source, src.p, src.n);
			out->source[src.n] = 0;
		}
	}
	return used ? CUL_ROW_BAD : CUL_ROW_OK;
}
