/* xlsx.c: the XLSX reader of sheetread.h. libzip opens the archive from the
 * caller's memory; each part is inflated in fixed chunks straight into an
 * expat parser, so that neither a large sheet nor a bomb is ever held whole:
 * the bytes are counted as they come out of the inflater and reading stops
 * at the limit, whatever the zip's headers claim. Only four parts are read:
 * the workbook, its relationships, the shared strings and the first sheet.
 *
 * expat runs with namespaces resolved (so that x:c and c are one element)
 * and elements are matched by their local name. It never sees a DTD: the
 * first sign of one stops the parse, so no entity can be declared, expanded
 * or fetched. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include "base/alloc.h"
#include "base/utf8.h"
#include "sheetread/sheetread.h"

#define CHUNK 65536
#define NS_SEP '\x01'   /* not a character XML allows, so never inside a name */
#define PATH_MAX_LEN 256
#define ROW_ERR_MAX 600

void sheetread_limits_default(struct sheetread_limits *l)
{
	l->max_entries = 10000;
	l->max_unpacked = (uint64_t)512 << 20;
	l->max_cols = 64;
	l->cell_max = 32767;
	l->max_depth = 64;
	l->max_strings = 4000000;
	l->max_string_bytes = (uint64_t)128 << 20;
}

struct sst_entry {
	uint64_t off;
	uint32_t n;
	int over;   /* longer than cell_max: only the first cell_max bytes are kept */
};

/* A growing text: a cell's or a string's value, kept up to cell_max bytes. */
struct text {
	char *p;
	size_t n, cap;
	int over;
};

struct xlsx {
	zip_t *za;
	const struct sheetread_limits *lim;
	uint64_t unpacked;
	char *err;
	size_t errlen;
	int failed;     /* err holds the reason */
	int stopped;    /* the caller's fn asked to stop */
	char *chunk;
	/* the shared strings */
	char *sst;
	uint64_t sst_len, sst_cap;
	struct sst_entry *ss;
	size_t nss, capss;
};

/* One part being parsed. */
struct xp {
	XML_Parser p;
	struct xlsx *x;
	const char *part;
	size_t depth;
	void (*start)(struct xp *xp, const char *name, const char **attr);
	void (*end)(struct xp *xp, const char *name);
	void (*chars)(struct xp *xp, const char *s, size_t n);
	void *st;
};

__attribute__((format(printf, 2, 3))) static void fail(struct xlsx *x, const char *fmt, ...)
{
	if (x->failed)
		return;
	x->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, x->errlen, fmt, ap);
	va_end(ap);
}

static void xp_stop(struct xp *xp)
{
	XML_StopParser(xp->p, XML_FALSE);
}

/* The local name of an expanded "uri\x01local" name. */
static const char *local(const char *name)
{
	const char *s = strrchr(name, NS_SEP);
	return s ? s + 1 : name;
}

/* An attribute by local name; ns_only: only one with a namespace (r:id, not
 * id). NULL when absent. */
static const char *attr_of(const char **attr, const char *name, int ns_only)
{
	for (size_t i = 0; attr[i]; i += 2) {
		const char *sep = strrchr(attr[i], NS_SEP);
		if (ns_only && !sep)
			continue;
		if (strcmp(sep ? sep + 1 : attr[i], name) == 0)
			return attr[i + 1];
	}
	return NULL;
}

/* Copies a value from the file for a message: printable ASCII, at most 30
 * bytes, the rest as '?'. */
static const char *shown(const char *s, char out[40])
{
	size_t k = 0;
	for (; k < 30 && s[k]; k++)
		out[k] = s[k] >= 0x20 && s[k] < 0x7f ? s[k] : '?';
	if (s[k]) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = 0;
	return out;
}

static void text_reset(struct text *t)
{
	t->n = 0;
	t->over = 0;
}

static void text_add(struct text *t, const char *s, size_t n, size_t max)
{
	if (t->n + n > max) {
		t->over = 1;
		n = max - t->n;
	}
	if (t->n + n + 1 > t->cap) {
		t->cap = t->n + n + 1 > 2 * t->cap ? t->n + n + 1 : 2 * t->cap;
		t->p = xrealloc(t->p, t->cap);
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = 0;
}

/* ---- expat's handlers, shared by every part ---- */

static void XMLCALL on_start(void *ud, const char *name, const char **attr)
{
	struct xp *xp = ud;
	if (++xp->depth > xp->x->lim->max_depth) {
		fail(xp->x, "%s is nested deeper than %zu elements, which no spreadsheet needs",
		     xp->part, xp->x->lim->max_depth);
		xp_stop(xp);
		return;
	}
	if (xp->start)
		xp->start(xp, local(name), attr);
}

static void XMLCALL on_end(void *ud, const char *name)
{
	struct xp *xp = ud;
	if (xp->end)
		xp->end(xp, local(name));
	xp->depth--;
}

static void XMLCALL on_chars(void *ud, const char *s, int n)
{
	struct xp *xp = ud;
	if (xp->chars && n > 0)
		xp->chars(xp, s, (size_t)n);
}

static void XMLCALL on_doctype(void *ud, const char *name, const char *sysid, const char *pubid,
			       int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	struct xp *xp = ud;
	fail(xp->x, "%s has a document type declaration (DTD), which a spreadsheet never has",
	     xp->part);
	xp_stop(xp);
}

static void XMLCALL on_entity(void *ud, const char *name, int is_param, const char *value,
			      int value_len, const char *base, const char *sysid,
			      const char *pubid, const char *notation)
{
	(void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid,
		(void)pubid, (void)notation;
	struct xp *xp = ud;
	fail(xp->x, "%s declares an entity, which a spreadsheet never does", xp->part);
	xp_stop(xp);
}

/* Inflates part name through a parser set up by xp. Returns 1 read, 0 the
 * part is absent (and !required), -1 failed (x->err) or stopped. */
static int read_part(struct xlsx *x, const char *name, struct xp *xp, int required)
{
	zip_int64_t idx = zip_name_locate(x->za, name, 0);
	if (idx < 0) {
		if (required)
			fail(x, "the workbook has no part %s", name);
		return required ? -1 : 0;
	}
	zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!zf) {
		fail(x, "%s cannot be unpacked: %s", name, zip_strerror(x->za));
		return -1;
	}
	XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
	if (!p) {
		zip_fclose(zf);
		fail(x, "out of memory");
		return -1;
	}
	xp->p = p;
	xp->x = x;
	xp->part = name;
	xp->depth = 0;
	XML_SetUserData(p, xp);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_chars);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetEntityDeclHandler(p, on_entity);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	int rc = 1, last = 0;
	while (!last) {
		zip_int64_t k = zip_fread(zf, x->chunk, CHUNK);
		if (k < 0) {
			fail(x, "the archive is damaged: %s cannot be unpacked (%s)", name,
			     zip_file_strerror(zf));
			rc = -1;
			break;
		}
		last = k == 0;
		x->unpacked += (uint64_t)k;
		if (x->unpacked > x->lim->max_unpacked) {
			fail(x, "the file unpacks to more than %llu MiB, more than a register "
				"needs: it is refused as a possible zip bomb",
			     (unsigned long long)(x->lim->max_unpacked >> 20));
			rc = -1;
			break;
		}
		if (XML_Parse(p, x->chunk, (int)k, last) != XML_STATUS_OK) {
			if (XML_GetErrorCode(p) != XML_ERROR_ABORTED)
				fail(x, "%s is not well-formed XML (line %lu: %s)", name,
				     (unsigned long)XML_GetCurrentLineNumber(p),
				     XML_ErrorString(XML_GetErrorCode(p)));
			rc = -1;
			break;
		}
		if (x->failed || x->stopped) { /* a handler stopped after the chunk's end */
			rc = -1;
			break;
		}
	}
	XML_ParserFree(p);
	zip_fclose(zf);
	return rc;
}

/* ---- xl/workbook.xml: the first sheet and the date system ---- */

struct workbook {
	struct sheetread_info *info;
	char rid[128];
	int have_sheet;
};

static void wb_start(struct xp *xp, const char *name, const char **attr)
{
	struct workbook *w = xp->st;
	if (strcmp(name, "workbookPr") == 0) {
		const char *d = attr_of(attr, "date1904", 0);
		w->info->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	} else if (strcmp(name, "sheet") == 0 && !w->have_sheet) {
		const char *n = attr_of(attr, "name", 0);
		const char *id = attr_of(attr, "id", 1);
		w->have_sheet = 1;
		snprintf(w->info->sheet_name, sizeof w->info->sheet_name, "%s", n ? n : "");
		/* a name cut inside a UTF-8 sequence loses that sequence's start
		 * (expat gives valid UTF-8, so only a cut can make it invalid) */
		size_t k = strlen(w->info->sheet_name);
		while (k && utf8_valid(w->info->sheet_name, k) != 1)
			w->info->sheet_name[--k] = 0;
		snprintf(w->rid, sizeof w->rid, "%s", id ? id : "");
	}
}

/* ---- xl/_rels/workbook.xml.rels: where the sheet and the strings are ---- */

struct rels {
	const char *rid;
	char sheet[PATH_MAX_LEN + 1], sheet_type[200];
	char strings[PATH_MAX_LEN + 1];
	int external;
};

/* A relationship's target as a path inside the archive: relative to xl/,
 * or from the root when it starts with '/'; "." and ".." segments resolved.
 * Returns 0, or -1 when it leaves the archive or is too long. */
static int resolve(const char *target, char out[PATH_MAX_LEN + 1])
{
	char tmp[2 * PATH_MAX_LEN];
	size_t k = 0;
	if (strlen(target) > PATH_MAX_LEN)
		return -1;
	snprintf(tmp, sizeof tmp, "%s%s", target[0] == '/' ? "" : "xl/", target);
	out[0] = 0;
	for (char *seg = tmp, *next; seg; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = 0;
		if (!seg[0] || strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (!k)
				return -1;
			while (k && out[k - 1] != '/')
				k--;
			if (k)
				k--; /* the '/' before the dropped segment */
			out[k] = 0;
			continue;
		}
		size_t n = strlen(seg);
		if (k + (k ? 1 : 0) + n > PATH_MAX_LEN)
			return -1;
		if (k)
			out[k++] = '/';
		memcpy(out + k, seg, n);
		k += n;
		out[k] = 0;
	}
	return k ? 0 : -1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void rels_start(struct xp *xp, const char *name, const char **attr)
{
	struct rels *r = xp->st;
	if (strcmp(name, "Relationship") != 0)
		return;
	const char *id = attr_of(attr, "Id", 0), *type = attr_of(attr, "Type", 0),
		   *target = attr_of(attr, "Target", 0), *mode = attr_of(attr, "TargetMode", 0);
	if (!id || !type || !target)
		return;
	int external = mode && strcmp(mode, "External") == 0;
	if (strcmp(id, r->rid) == 0 && !r->sheet[0]) {
		r->external = external;
		snprintf(r->sheet_type, sizeof r->sheet_type, "%s", type);
		if (!external && resolve(target, r->sheet) != 0) {
			char q[40];
			fail(xp->x, "the first sheet's part '%s' is not inside the file",
			     shown(target, q));
			xp_stop(xp);
		}
	} else if (ends_with(type, "/sharedStrings") && !r->strings[0] && !external &&
		   resolve(target, r->strings) != 0) {
		char q[40];
		fail(xp->x, "the shared strings' part '%s' is not inside the file", shown(target, q));
		xp_stop(xp);
	}
}

/* ---- xl/sharedStrings.xml: <si> each, plain <t> or rich text runs <r><t>;
 * phonetic guides (<rPh><t>) are not part of the text ---- */

struct strings {
	struct text cur;
	int in_si, in_t;
	size_t in_rph;
};

static void sst_push(struct xlsx *x, struct xp *xp, const struct text *t)
{
	if (x->nss >= x->lim->max_strings) {
		fail(x, "the workbook has more than %zu shared strings", x->lim->max_strings);
		xp_stop(xp);
		return;
	}
	if (x->sst_len + t->n > x->lim->max_string_bytes) {
		fail(x, "the workbook's shared strings hold more than %llu MiB of text",
		     (unsigned long long)(x->lim->max_string_bytes >> 20));
		xp_stop(xp);
		return;
	}
	if (x->nss == x->capss) {
		x->capss = x->capss ? 2 * x->capss : 256;
		x->ss = xrealloc(x->ss, x->capss * sizeof *x->ss);
	}
	if (x->sst_len + t->n > x->sst_cap) {
		uint64_t cap = x->sst_cap ? 2 * x->sst_cap : 4096;
		while (cap < x->sst_len + t->n)
			cap *= 2;
		x->sst = xrealloc(x->sst, (size_t)cap);
		x->sst_cap = cap;
	}
	if (t->n)
		memcpy(x->sst + x->sst_len, t->p, t->n);
	x->ss[x->nss++] = (struct sst_entry){x->sst_len, (uint32_t)t->n, t->over};
	x->sst_len += t->n;
}

static void sst_start(struct xp *xp, const char *name, const char **attr)
{
	(void)attr;
	struct strings *s = xp->st;
	if (strcmp(name, "si") == 0) {
		s->in_si = 1;
		text_reset(&s->cur);
	} else if (strcmp(name, "rPh") == 0) {
		s->in_rph++;
	} else if (strcmp(name, "t") == 0) {
		s->in_t = s->in_si && !s->in_rph;
	}
}

static void sst_end(struct xp *xp, const char *name)
{
	struct strings *s = xp->st;
	if (strcmp(name, "si") == 0 && s->in_si) {
		s->in_si = 0;
		sst_push(xp->x, xp, &s->cur);
	} else if (strcmp(name, "rPh") == 0 && s->in_rph) {
		s->in_rph--;
	} else if (strcmp(name, "t") == 0) {
		s->in_t = 0;
	}
}

static void sst_chars(struct xp *xp, const char *p, size_t n)
{
	struct strings *s = xp->st;
	if (s->in_t)
		text_add(&s->cur, p, n, xp->x->lim->cell_max);
}

/* ---- the sheet: <sheetData><row r><c r t><v>|<is><t>|<is><r><t> ---- */

struct cellpos {
	enum sheetread_type type;
	size_t off, n;
};

struct sheet {
	sheetread_row_fn fn;
	void *ctx;
	int in_data, in_row, in_cell, skip_cell, in_v, in_is, in_t;
	size_t in_rph;
	uint32_t row, prev_row;
	long col, prev_col;
	char ctype[16];
	struct text cur;      /* the cell's <v> or inline text */
	struct text rowtext;  /* the row's values, one after another */
	struct cellpos *cells;   /* max_cols */
	struct sheetread_cell *out;
	size_t ncells;
	char err[ROW_ERR_MAX];
};

__attribute__((format(printf, 2, 3))) static void row_problem(struct sheet *s, const char *fmt,
							       ...)
{
	size_t k = strlen(s->err);
	if (k + 3 >= sizeof s->err)
		return;
	if (k) {
		memcpy(s->err + k, "; ", 3);
		k += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err + k, sizeof s->err - k, fmt, ap);
	va_end(ap);
}

/* Parses a decimal row number 1..SHEETREAD_MAX_ROW; 0 when it is not one. */
static uint32_t parse_rownum(const char *s)
{
	uint32_t v = 0;
	if (!*s || *s == '0')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > SHEETREAD_MAX_ROW)
			return 0;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	return v <= SHEETREAD_MAX_ROW ? v : 0;
}

/* Parses a cell reference "B7" (1-3 letters, a row): 0-based column and row.
 * Returns 0 or -1. */
static int parse_ref(const char *s, long *col, uint32_t *row)
{
	long c = 0;
	size_t k = 0;
	for (; s[k] >= 'A' && s[k] <= 'Z'; k++) {
		if (k == 3)
			return -1;
		c = c * 26 + (s[k] - 'A' + 1);
	}
	if (!k || c > (long)SHEETREAD_MAX_COL)
		return -1;
	*row = parse_rownum(s + k);
	*col = c - 1;
	return *row ? 0 : -1;
}

static void cell_name(long col, uint32_t row, char out[16])
{
	char letters[4];
	sheetread_col_name((size_t)col, letters);
	snprintf(out, 16, "%s%u", letters, (unsigned)row);
}

static void sheet_start(struct xp *xp, const char *name, const char **attr)
{
	struct sheet *s = xp->st;
	struct xlsx *x = xp->x;
	if (strcmp(name, "sheetData") == 0) {
		s->in_data = 1;
	} else if (!s->in_data) {
		return;
	} else if (strcmp(name, "row") == 0) {
		const char *r = attr_of(attr, "r", 0);
		uint32_t n = r ? parse_rownum(r) : s->prev_row + 1;
		char q[40];
		if (!n || n > SHEETREAD_MAX_ROW) {
			fail(x, "the sheet has a row numbered '%s', which is not a row of a sheet",
			     r ? shown(r, q) : "?");
			xp_stop(xp);
			return;
		}
		if (n <= s->prev_row) {
			fail(x, "row %u comes after row %u in the sheet: the rows are out of order",
			     (unsigned)n, (unsigned)s->prev_row);
			xp_stop(xp);
			return;
		}
		s->in_row = 1;
		s->row = n;
		s->prev_col = -1;
		s->ncells = 0;
		s->err[0] = 0;
		text_reset(&s->rowtext);
	} else if (strcmp(name, "c") == 0 && s->in_row) {
		const char *r = attr_of(attr, "r", 0), *t = attr_of(attr, "t", 0);
		char q[40], here[16], there[16];
		uint32_t rr = s->row;
		long col = s->prev_col + 1;
		s->in_cell = 1;
		s->skip_cell = 0;
		text_reset(&s->cur);
		snprintf(s->ctype, sizeof s->ctype, "%s", t ? t : "n");
		if (r && parse_ref(r, &col, &rr) != 0) {
			row_problem(s, "a cell's reference '%s' is not a cell such as B7",
				    shown(r, q));
			s->skip_cell = 1;
		} else if (rr != s->row) {
			cell_name(col, rr, there);
			row_problem(s, "cell %s is inside row %u", there, (unsigned)s->row);
			s->skip_cell = 1;
		} else if (col <= s->prev_col || col >= (long)SHEETREAD_MAX_COL) {
			cell_name(col, rr, here);
			row_problem(s, "cell %s comes twice or out of order", here);
			s->skip_cell = 1;
		} else {
			s->col = col;
			s->prev_col = col;
		}
	} else if (!s->in_cell) {
		return;
	} else if (strcmp(name, "v") == 0) {
		s->in_v = 1;
	} else if (strcmp(name, "is") == 0) {
		s->in_is = 1;
	} else if (strcmp(name, "rPh") == 0) {
		s->in_rph++;
	} else if (strcmp(name, "t") == 0) {
		s->in_t = s->in_is && !s->in_rph;
	}
}

/* Places the finished cell in the row. */
static void sheet_cell(struct xp *xp, struct sheet *s)
{
	const struct sheetread_limits *lim = xp->x->lim;
	struct xlsx *x = xp->x;
	enum sheetread_type type;
	const char *p = s->cur.p ? s->cur.p : "";
	size_t n = s->cur.n;
	int over = s->cur.over;
	char here[16], q[40];
	cell_name(s->col, s->row, here);
	if (strcmp(s->ctype, "s") == 0) {
		uint32_t i = 0;
		size_t k = 0;
		for (; k < n && k < 10 && p[k] >= '0' && p[k] <= '9'; k++)
			i = i * 10 + (uint32_t)(p[k] - '0');
		if (!n)
			return;
		if (k != n || k == 10 || i >= x->nss) {
			row_problem(s, "cell %s names shared string '%s', which the workbook does "
				       "not have", here, shown(p, q));
			return;
		}
		type = SHEETREAD_TEXT;
		p = x->sst + x->ss[i].off;
		n = x->ss[i].n;
		over = x->ss[i].over;
	} else if (strcmp(s->ctype, "str") == 0 || strcmp(s->ctype, "inlineStr") == 0 ||
		   strcmp(s->ctype, "d") == 0) {
		type = SHEETREAD_TEXT;
	} else if (strcmp(s->ctype, "n") == 0) {
		type = SHEETREAD_NUMBER;
	} else if (strcmp(s->ctype, "b") == 0) {
		type = SHEETREAD_BOOL;
		if (n && !(n == 1 && (p[0] == '0' || p[0] == '1'))) {
			row_problem(s, "cell %s is a true/false cell holding '%s'", here, shown(p, q));
			return;
		}
	} else if (strcmp(s->ctype, "e") == 0) {
		type = SHEETREAD_ERROR;
	} else {
		row_problem(s, "cell %s has type '%s', which a sheet cell does not have", here,
			    shown(s->ctype, q));
		return;
	}
	if (over) {
		row_problem(s, "cell %s is longer than %zu bytes", here, lim->cell_max);
		return;
	}
	if (!n)
		return;
	if ((size_t)s->col >= lim->max_cols) {
		char last[4];
		sheetread_col_name(lim->max_cols - 1, last);
		row_problem(s, "cell %s has a value, but only columns A to %s are read", here, last);
		return;
	}
	for (size_t c = s->ncells; c < (size_t)s->col; c++)
		s->cells[c] = (struct cellpos){SHEETREAD_EMPTY, 0, 0};
	s->cells[s->col] = (struct cellpos){type, s->rowtext.n, n};
	text_add(&s->rowtext, p, n, (size_t)-1);
	s->ncells = (size_t)s->col + 1;
}

static void sheet_end(struct xp *xp, const char *name)
{
	struct sheet *s = xp->st;
	if (!s->in_data)
		return;
	if (strcmp(name, "sheetData") == 0) {
		s->in_data = 0;
	} else if (strcmp(name, "row") == 0 && s->in_row) {
		s->in_row = 0;
		s->prev_row = s->row;
		if (!s->ncells && !s->err[0])
			return;
		for (size_t c = 0; c < s->ncells; c++)
			s->out[c] = (struct sheetread_cell){
				s->cells[c].type, s->rowtext.p ? s->rowtext.p + s->cells[c].off : "",
				s->cells[c].n};
		struct sheetread_row row = {s->row, s->out, s->ncells, s->err};
		if (s->fn(s->ctx, &row) != 0) {
			xp->x->stopped = 1;
			xp_stop(xp);
		}
	} else if (strcmp(name, "c") == 0 && s->in_cell) {
		s->in_cell = 0;
		s->in_is = s->in_v = s->in_t = 0;
		s->in_rph = 0;
		if (!s->skip_cell)
			sheet_cell(xp, s);
	} else if (strcmp(name, "v") == 0) {
		s->in_v = 0;
	} else if (strcmp(name, "is") == 0) {
		s->in_is = 0;
	} else if (strcmp(name, "rPh") == 0 && s->in_rph) {
		s->in_rph--;
	} else if (strcmp(name, "t") == 0) {
		s->in_t = 0;
	}
}

static void sheet_chars(struct xp *xp, const char *p, size_t n)
{
	struct sheet *s = xp->st;
	if (s->in_cell && (s->in_v || s->in_t))
		text_add(&s->cur, p, n, xp->x->lim->cell_max);
}

/* ---- the whole ---- */

/* Says what a zip that is no workbook is, when it can tell. */
static void not_a_workbook(struct xlsx *x)
{
	if (zip_name_locate(x->za, "content.xml", 0) >= 0 &&
	    zip_name_locate(x->za, "mimetype", 0) >= 0)
		fail(x, "it is an OpenDocument spreadsheet (.ods), not an Excel workbook: save it "
			"as .xlsx or CSV");
	else
		fail(x, "it is a zip archive but not an Excel workbook (.xlsx): it has no "
			"xl/workbook.xml");
}

static int read_all(struct xlsx *x, sheetread_row_fn fn, void *ctx, struct sheetread_info *info)
{
	zip_int64_t entries = zip_get_num_entries(x->za, 0);
	if (entries < 0 || (uint64_t)entries > x->lim->max_entries) {
		fail(x, "the archive has more than %zu entries, more than a workbook has",
		     x->lim->max_entries);
		return -1;
	}
	if (zip_name_locate(x->za, "xl/workbook.xml", 0) < 0) {
		not_a_workbook(x);
		return -1;
	}

	struct workbook wb = {.info = info};
	struct xp xp = {.start = wb_start, .st = &wb};
	if (read_part(x, "xl/workbook.xml", &xp, 1) < 0)
		return -1;
	if (!wb.have_sheet || !wb.rid[0]) {
		fail(x, "the workbook has no sheet");
		return -1;
	}

	struct rels rels = {.rid = wb.rid};
	xp = (struct xp){.start = rels_start, .st = &rels};
	if (read_part(x, "xl/_rels/workbook.xml.rels", &xp, 1) < 0)
		return -1;
	char q[40];
	if (!rels.sheet_type[0] || rels.external) {
		fail(x, "the first sheet ('%s') has no part in the workbook: the file is damaged",
		     shown(info->sheet_name, q));
		return -1;
	}
	if (ends_with(rels.sheet_type, "/chartsheet")) {
		fail(x, "the first sheet ('%s') is a chart, not a table: put the table on the "
			"first sheet", shown(info->sheet_name, q));
		return -1;
	}
	if (!ends_with(rels.sheet_type, "/worksheet")) {
		fail(x, "the first sheet ('%s') is not a worksheet with cells: put the table on "
			"the first sheet", shown(info->sheet_name, q));
		return -1;
	}

	if (rels.strings[0]) {
		struct strings ss = {0};
		xp = (struct xp){.start = sst_start, .end = sst_end, .chars = sst_chars, .st = &ss};
		int rc = read_part(x, rels.strings, &xp, 1);
		free(ss.cur.p);
		if (rc < 0)
			return -1;
	}

	struct sheet sh = {.fn = fn, .ctx = ctx};
	sh.cells = xcalloc(x->lim->max_cols ? x->lim->max_cols : 1, sizeof *sh.cells);
	sh.out = xcalloc(x->lim->max_cols ? x->lim->max_cols : 1, sizeof *sh.out);
	xp = (struct xp){.start = sheet_start, .end = sheet_end, .chars = sheet_chars, .st = &sh};
	int rc = read_part(x, rels.sheet, &xp, 1);
	free(sh.cur.p);
	free(sh.rowtext.p);
	free(sh.cells);
	free(sh.out);
	return rc < 0 ? -1 : 0;
}

int sheetread_xlsx(const void *data, size_t len, const struct sheetread_limits *lim,
		   sheetread_row_fn fn, void *ctx, struct sheetread_info *info, char *err,
		   size_t errlen)
{
	struct sheetread_limits defaults;
	if (!lim) {
		sheetread_limits_default(&defaults);
		lim = &defaults;
	}
	struct xlsx x = {.lim = lim, .err = err, .errlen = errlen};
	memset(info, 0, sizeof *info);
	err[0] = 0;
	if (sheetread_sniff(data, len) != SHEETREAD_ZIP) {
		fail(&x, "it is not an Excel workbook (.xlsx): it does not start as a zip archive");
		return -1;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (src)
		x.za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!x.za) {
		fail(&x, "it is not a readable Excel workbook: the zip archive is damaged (%s)",
		     zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (src)
			zip_source_free(src);
		return -1;
	}
	zip_error_fini(&ze);
	x.chunk = xmalloc(CHUNK);
	int rc = read_all(&x, fn, ctx, info);
	zip_discard(x.za);
	free(x.chunk);
	free(x.sst);
	free(x.ss);
	if (x.stopped && !x.failed)
		return 1;
	return rc < 0 || x.failed ? -1 : 0;
}
