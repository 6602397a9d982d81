/* row.c: the pure rules of a register file (registrations.h): which column is
 * which, and whether one row is a registration Probity can count. No I/O;
 * the organisation tree comes in memory and the taxonomies and measures are
 * the ones compiled into this build (cases/dataset.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/num.h"
#include "cases/dataset.h"
#include "registrations/registrations.h"

/* The measures list the column's codes come from (data/measures/cao-rijk-v1.json):
 * fixed, so that a later revision of the list cannot change what an old file
 * means. */
#define REG_MEASURES_REVISION 1

static const char *const outcome_names[] = {"established", "partly", "not_established"};

const char *reg_outcome_name(enum reg_outcome o)
{
	return (unsigned)o < 3 ? outcome_names[o] : "?";
}

static const char *const column_names[REG_NCOLUMNS] = {
	"organisation", "date received", "category", "taxonomy version",
	"outcome",      "measure",       "police report",
};

const char *reg_column_name(enum reg_column c)
{
	return (unsigned)c < REG_NCOLUMNS ? column_names[c] : "?";
}

/* Header names, folded (lower case, without spaces, '_', '-' and '.'):
 * English first, then Dutch. */
static const char *const aliases[REG_NCOLUMNS][10] = {
	[REG_COL_ORG] = {"organisation", "organisationcode", "organization", "organizationcode",
			 "organisatie", "organisatiecode", NULL},
	[REG_COL_RECEIVED] = {"datereceived", "received", "receivedon", "dateofreceipt",
			      "datumontvangst", "ontvangstdatum", "datumontvangen", "ontvangen",
			      "ontvangenop", NULL},
	[REG_COL_CATEGORY] = {"category", "categorycode", "categorie", "categoriecode", NULL},
	[REG_COL_TAXONOMY] = {"taxonomyversion", "taxonomyrevision", "taxonomy", "taxonomie",
			      "taxonomieversie", "taxonomierevisie", "versietaxonomie", NULL},
	[REG_COL_OUTCOME] = {"outcome", "uitkomst", NULL},
	[REG_COL_MEASURE] = {"measure", "measurecode", "maatregel", "maatregelcode", NULL},
	[REG_COL_POLICE] = {"policereport", "aangifte", "aangiftegedaan", NULL},
};

/* Copies a value for a message: at most 40 bytes, anything but printable
 * ASCII as '?', "..." when cut. */
static const char *shown(const char *p, size_t n, char out[48])
{
	size_t k = 0;
	for (; k < n && k < 40; k++)
		out[k] = p[k] >= 0x20 && p[k] < 0x7f ? p[k] : '?';
	if (n > 40) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = 0;
	return out;
}

static struct csv_field trim(struct csv_field f)
{
	while (f.n && (f.p[0] == ' ' || f.p[0] == '\t'))
		f.p++, f.n--;
	while (f.n && (f.p[f.n - 1] == ' ' || f.p[f.n - 1] == '\t'))
		f.n--;
	return f;
}

/* Folds a header name into out; returns 0, or -1 when it is too long or not
 * ASCII letters and the ignored marks (no alias is). */
static int fold(struct csv_field f, char *out, size_t cap)
{
	size_t k = 0;
	f = trim(f);
	for (size_t i = 0; i < f.n; i++) {
		unsigned char ch = (unsigned char)f.p[i];
		if (ch == ' ' || ch == '_' || ch == '-' || ch == '.')
			continue;
		if (!isalpha(ch) || ch >= 0x80 || k + 1 >= cap)
			return -1;
		out[k++] = (char)tolower(ch);
	}
	out[k] = 0;
	return 0;
}

static int column_of(const char *folded)
{
	for (int c = 0; c < REG_NCOLUMNS; c++)
		for (size_t a = 0; aliases[c][a]; a++)
			if (strcmp(folded, aliases[c][a]) == 0)
				return c;
	return -1;
}

int reg_header_parse(const struct csv_field *f, size_t n, struct reg_header *h, char *err,
		     size_t errlen)
{
	int seen[REG_NCOLUMNS] = {0};
	char q[48];
	memset(h, 0, sizeof *h);
	for (size_t i = 0; i < n; i++) {
		char name[40];
		int c = fold(f[i], name, sizeof name) == 0 ? column_of(name) : -1;
		if (c < 0) {
			struct csv_field t = trim(f[i]);
			snprintf(err, errlen,
				 "column %zu, '%s', is not a column of a register: the columns are "
				 "organisation, date received, category, taxonomy version, outcome, "
				 "measure and police report (or in Dutch: organisatie, datum "
				 "ontvangst, categorie, taxonomieversie, uitkomst, maatregel, aangifte)",
				 i + 1, shown(t.p, t.n, q));
			return -1;
		}
		if (seen[c]) {
			snprintf(err, errlen, "columns %zu and %zu are both '%s'", h->field[c] + 1,
				 i + 1, column_names[c]);
			return -1;
		}
		seen[c] = 1;
		h->field[c] = i;
	}
	for (int c = 0; c < REG_NCOLUMNS; c++)
		if (!seen[c]) {
			snprintf(err, errlen, "the header has no column '%s'%s", column_names[c],
				 c == REG_COL_MEASURE ? " (it may be empty in every row, but must be there)"
						      : "");
			return -1;
		}
	h->nfields = n;
	return 0;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

int reg_parse_date(const char *s, size_t n, char out[DATE_LEN + 1])
{
	out[0] = 0;
	if (n == DATE_LEN && s[4] == '-' && s[7] == '-' && digits(s, 4) && digits(s + 5, 2) &&
	    digits(s + 8, 2)) {
		memcpy(out, s, DATE_LEN);
		out[DATE_LEN] = 0;
	} else {
		/* D-M-YYYY, DD-MM-YYYY and the mixed forms */
		const char *d1 = memchr(s, '-', n);
		if (!d1)
			return -1;
		size_t dn = (size_t)(d1 - s);
		const char *m = d1 + 1;
		const char *d2 = memchr(m, '-', n - dn - 1);
		if (!d2)
			return -1;
		size_t mn = (size_t)(d2 - m);
		const char *y = d2 + 1;
		size_t yn = n - dn - mn - 2;
		if (dn < 1 || dn > 2 || mn < 1 || mn > 2 || yn != 4 || !digits(s, dn) ||
		    !digits(m, mn) || !digits(y, 4))
			return -1;
		snprintf(out, DATE_LEN + 1, "%.4s-%s%.*s-%s%.*s", y, mn == 1 ? "0" : "", (int)mn, m,
			 dn == 1 ? "0" : "", (int)dn, s);
	}
	if (date_valid(out, DATE_LEN) != 0) {
		out[0] = 0;
		return -1;
	}
	return 0;
}

/* Case-insensitive equality of a field with a word. */
static int is_word(struct csv_field f, const char *w)
{
	size_t n = strlen(w);
	if (f.n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)f.p[i]) != w[i])
			return 0;
	return 1;
}

static int parse_outcome(struct csv_field f, enum reg_outcome *o)
{
	static const struct {
		const char *word;
		enum reg_outcome o;
	} words[] = {
		{"established", REG_ESTABLISHED},         {"vastgesteld", REG_ESTABLISHED},
		{"partly", REG_PARTLY},                   {"partly established", REG_PARTLY},
		{"gedeeltelijk", REG_PARTLY},             {"gedeeltelijk vastgesteld", REG_PARTLY},
		{"not established", REG_NOT_ESTABLISHED}, {"not_established", REG_NOT_ESTABLISHED},
		{"niet vastgesteld", REG_NOT_ESTABLISHED},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (is_word(f, words[i].word)) {
			*o = words[i].o;
			return 0;
		}
	return -1;
}

/* Appends one problem to err, "; " between problems. */
__attribute__((format(printf, 3, 4))) static void add(char *err, size_t errlen, const char *fmt,
						       ...)
{
	size_t k = strlen(err);
	if (k + 3 >= errlen)
		return;
	if (k) {
		memcpy(err + k, "; ", 3);
		k += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + k, errlen - k, fmt, ap);
	va_end(ap);
}

/* Says why no organisation with code existed on date: unknown, the
 * government, or when it began or ended. Returns the row alive then. */
static const struct org *find_org(const struct reg_context *cx, const char *code,
				  const char *date, char *err, size_t errlen)
{
	const struct org_table *t = cx->orgs;
	const struct org *first = NULL, *last = NULL;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct org *o = &t->rows[i];
		if (!org_code_eq(o->code, code))
			continue;
		if (!first || strcmp(o->valid_from, first->valid_from) < 0)
			first = o;
		if (!last || strcmp(o->valid_from, last->valid_from) > 0)
			last = o;
	}
	if (!first) {
		add(err, errlen, "no organisation has code '%s'", code);
		return NULL;
	}
	if (!date[0])
		return NULL; /* the date's own problem is reported */
	const struct org *o = org_find_at(t, code, date);
	if (o && o->kind == ORG_GOVERNMENT) {
		add(err, errlen, "%s is the government as a whole: a registration belongs to a "
				 "department or one of its units", o->code);
		return NULL;
	}
	if (o)
		return o;
	if (strcmp(date, first->valid_from) < 0)
		add(err, errlen, "organisation %s did not exist on %s: it began on %s", first->code,
		    date, first->valid_from);
	else if (last->valid_to[0] && strcmp(date, last->valid_to) >= 0)
		add(err, errlen, "organisation %s did not exist on %s: it ended on %s", last->code,
		    date, last->valid_to);
	else
		add(err, errlen, "organisation %s did not exist on %s", first->code, date);
	return NULL;
}

int reg_context_init(struct reg_context *cx, const struct org_table *orgs, const char *today,
		     char *err, size_t errlen)
{
	memset(cx, 0, sizeof *cx);
	cx->orgs = orgs;
	if (today)
		snprintf(cx->today, sizeof cx->today, "%s", today);
	else
		date_today(cx->today);
	return cases_data_init(err, errlen);
}

enum reg_check reg_row_check(const struct reg_context *cx, const struct reg_header *h,
			     const struct csv_field *f, size_t n, struct reg_row *out, char *err,
			     size_t errlen)
{
	struct csv_field v[REG_NCOLUMNS];
	char q[48], buf[REG_TAXONOMY_MAX + 1];
	int blank = 1;
	memset(out, 0, sizeof *out);
	err[0] = 0;
	for (size_t i = 0; i < n; i++)
		blank &= trim(f[i]).n == 0;
	if (blank)
		return REG_ROW_BLANK;
	if (n != h->nfields) {
		snprintf(err, errlen, "%zu fields where the header has %zu", n, h->nfields);
		return REG_ROW_BAD;
	}
	for (int c = 0; c < REG_NCOLUMNS; c++) {
		v[c] = trim(f[h->field[c]]);
		if (v[c].n == 0 && c != REG_COL_MEASURE)
			add(err, errlen, "%s is empty", column_names[c]);
	}

	/* date received */
	struct csv_field d = v[REG_COL_RECEIVED];
	if (d.n && reg_parse_date(d.p, d.n, out->received_on) != 0)
		add(err, errlen, "date received '%s' is not a real date written YYYY-MM-DD or "
				 "DD-MM-YYYY", shown(d.p, d.n, q));
	else if (d.n && strcmp(out->received_on, cx->today) > 0) {
		add(err, errlen, "date received %s is after today", out->received_on);
		out->received_on[0] = 0;
	}

	/* organisation, as it was on that day */
	struct csv_field o = v[REG_COL_ORG];
	if (o.n > ORG_CODE_MAX || (o.n && memchr(o.p, 0, o.n))) {
		add(err, errlen, "organisation '%s' is not an organisation code", shown(o.p, o.n, q));
	} else if (o.n) {
		char code[ORG_CODE_MAX + 1];
		memcpy(code, o.p, o.n);
		code[o.n] = 0;
		struct org_error oe;
		if (org_check_code("organisation", code, &oe) != 0) {
			add(err, errlen, "organisation '%s' is not an organisation code",
			    shown(o.p, o.n, q));
		} else {
			const struct org *row = find_org(cx, code, out->received_on, err, errlen);
			out->org_id = row ? row->id : 0;
		}
	}

	/* taxonomy version, then the category in it */
	struct csv_field tv = v[REG_COL_TAXONOMY];
	const struct cases_taxonomy *tax = NULL;
	int64_t rev = 0;
	if (tv.n && num_parse_i64(tv.p, tv.n, 1, 999, &rev) != 0)
		add(err, errlen, "taxonomy version '%s' is not a revision number such as 1",
		    shown(tv.p, tv.n, q));
	else if (tv.n && !(tax = cases_data_taxonomy_find(CASES_TAXONOMY_ID, (int)rev)))
		add(err, errlen, "taxonomy version %d does not exist: it is the N of "
				 "data/taxonomies/schendingen-vN.json", (int)rev);
	struct csv_field cf = v[REG_COL_CATEGORY];
	if (cf.n > REG_CATEGORY_MAX) {
		add(err, errlen, "category '%s' is not a category code", shown(cf.p, cf.n, q));
	} else if (cf.n && tax) {
		for (size_t i = 0; i < cf.n; i++)
			out->category[i] = (char)tolower((unsigned char)cf.p[i]);
		out->category[cf.n] = 0;
		if (memchr(cf.p, 0, cf.n) || !cases_taxonomy_find(tax, out->category))
			add(err, errlen, "category '%s' is not in taxonomy version %d",
			    shown(cf.p, cf.n, q), tax->revision);
		snprintf(out->taxonomy, sizeof out->taxonomy, "%s", tax->id);
		out->taxonomy_revision = tax->revision;
	}

	/* outcome */
	struct csv_field oc = v[REG_COL_OUTCOME];
	int outcome_ok = oc.n && parse_outcome(oc, &out->outcome) == 0;
	if (oc.n && !outcome_ok)
		add(err, errlen, "outcome '%s' is not established, partly or not established "
				 "(vastgesteld, gedeeltelijk, niet vastgesteld)", shown(oc.p, oc.n, q));

	/* police report */
	struct csv_field pr = v[REG_COL_POLICE];
	int police_ok = 1;
	if (is_word(pr, "yes") || is_word(pr, "ja"))
		out->police_report = 1;
	else if (is_word(pr, "no") || is_word(pr, "nee"))
		out->police_report = 0;
	else {
		police_ok = 0;
		if (pr.n)
			add(err, errlen, "police report '%s' is not yes, no, ja or nee",
			    shown(pr.p, pr.n, q));
	}

	/* measure: empty, or a code of the measures list that fits the outcome */
	struct csv_field me = v[REG_COL_MEASURE];
	if (me.n) {
		const struct cases_measures *ml =
			cases_data_measures_find(CASES_MEASURES_ID, REG_MEASURES_REVISION);
		const struct cases_measure *m = NULL;
		if (me.n <= REG_MEASURE_MAX && !memchr(me.p, 0, me.n)) {
			memcpy(buf, me.p, me.n);
			buf[me.n] = 0;
			m = ml ? cases_measures_find(ml, buf) : NULL;
		}
		if (!m) {
			add(err, errlen, "measure '%s' is not a code of the measures list %s revision %d",
			    shown(me.p, me.n, q), CASES_MEASURES_ID, REG_MEASURES_REVISION);
		} else {
			snprintf(out->measure, sizeof out->measure, "%s", m->code);
			snprintf(out->measures_list, sizeof out->measures_list, "%s", ml->id);
			out->measures_revision = ml->revision;
			if (m->kind == CASES_MEASURE_PENALTY && outcome_ok &&
			    out->outcome == REG_NOT_ESTABLISHED)
				add(err, errlen, "measure %s is a penalty, but the outcome is not "
						 "established", m->code);
			if (strcmp(m->code, "police_report") == 0 && police_ok && !out->police_report)
				add(err, errlen, "measure police_report, but police report is no");
		}
	}
	return err[0] ? REG_ROW_BAD : REG_ROW_OK;
}
