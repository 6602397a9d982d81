/* model.c: the pure rules of the organisation tree: what a valid code, name and
 * date are, which reorganisations are legal, the plan of rows to close and open
 * that each one amounts to, and queries over the in-memory table. No I/O, so
 * every rule is unit-tested without a database and fuzzed through import.c.
 *
 * Invariants the rules keep (and the store relies on):
 *   - a code names at most one row at any date (periods of a code never overlap);
 *   - a row lies inside its parent's period, and a parent's kind fits its child
 *     (government > department > unit > unit ...);
 *   - when a row closes, every child still alive closes with it and reopens
 *     under the successor (a 'move'), so the tree on any date is whole;
 *   - a unit carries its department's scope flag. */
#include "orgs/orgs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

static int fail(struct org_error *e, enum org_errclass cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fills e; returns -1 so that callers can `return fail(...)`. */
static int fail(struct org_error *e, enum org_errclass cls, const char *fmt, ...)
{
	va_list ap;
	e->cls = cls;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copies up to 40 bytes of untrusted s for a message, printable ASCII only
 * (anything else shows as '?'), so that an error line never carries terminal
 * control sequences. Returns out. */
static const char *shown(const char *s, char out[48])
{
	size_t i = 0, j = 0;
	for (; s[i] && j < 40; i++)
		out[j++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i]) {
		memcpy(out + j, "...", 3);
		j += 3;
	}
	out[j] = 0;
	return out;
}

/* ---- names of kinds ---- */

static const char *const kind_names[] = {"government", "department", "unit"};
static const char *const link_names[] = {"rename", "split", "merge", "move"};

const char *org_kind_name(enum org_kind k)
{
	return (unsigned)k < 3 ? kind_names[k] : "?";
}

int org_kind_parse(const char *s, enum org_kind *out)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum org_kind)i;
			return 0;
		}
	return -1;
}

const char *org_link_kind_name(enum org_link_kind k)
{
	return (unsigned)k < 4 ? link_names[k] : "?";
}

int org_link_kind_parse(const char *s, enum org_link_kind *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, link_names[i]) == 0) {
			*out = (enum org_link_kind)i;
			return 0;
		}
	return -1;
}

/* ---- codes, names, dates ---- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_alnum(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* ASCII-only on purpose: locale-aware folding (Turkish dotless i) must not
 * make two codes equal on one machine and different on another. */
static int code_cmp(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return lower((unsigned char)*a) - lower((unsigned char)*b);
}

int org_code_eq(const char *a, const char *b)
{
	return code_cmp(a, b) == 0;
}

int org_check_code(const char *what, const char *s, struct org_error *e)
{
	char q[48];
	size_t n = strnlen(s, ORG_CODE_MAX + 1);
	if (n == 0)
		return fail(e, ORG_EINVALID, "%s is empty: give 1-%d letters, digits or hyphens",
			    what, ORG_CODE_MAX);
	if (n > ORG_CODE_MAX)
		return fail(e, ORG_EINVALID, "%s '%s' is longer than %d characters", what,
			    shown(s, q), ORG_CODE_MAX);
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			return fail(e, ORG_EINVALID, "%s '%s' may hold only letters A-Z, digits and "
				    "hyphens", what, shown(s, q));
	/* a leading hyphen would read as an option on the command line */
	if (s[0] == '-' || s[n - 1] == '-')
		return fail(e, ORG_EINVALID, "%s '%s' must begin and end with a letter or digit",
			    what, shown(s, q));
	return 0;
}

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length, or 0 if
 * it is malformed, overlong, a surrogate or beyond U+10FFFF. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Characters that print as nothing or reorder the text around them: in a name
 * they would let two organisations look alike, or a line look like another. */
static int invisible(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

int org_check_name(const char *what, const char *s, struct org_error *e)
{
	size_t n = strnlen(s, ORG_NAME_MAX + 1);
	if (n == 0)
		return fail(e, ORG_EINVALID, "%s is empty", what);
	if (n > ORG_NAME_MAX)
		return fail(e, ORG_EINVALID, "%s is longer than %d bytes", what, ORG_NAME_MAX);
	if (s[0] == ' ' || s[n - 1] == ' ')
		return fail(e, ORG_EINVALID, "%s begins or ends with a space", what);
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0)
			return fail(e, ORG_EINVALID, "%s is not valid UTF-8", what);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return fail(e, ORG_EINVALID, "%s contains a control character (tab, newline "
				    "or similar)", what);
		if (invisible(cp))
			return fail(e, ORG_EINVALID, "%s contains the invisible character U+%04X",
				    what, (unsigned)cp);
		i += len;
	}
	return 0;
}

int org_check_date(const char *what, const char *s, struct org_error *e)
{
	char q[48];
	if (date_valid(s, strnlen(s, DATE_LEN + 1)) != 0)
		return fail(e, ORG_EINVALID, "%s '%s' is not a date: use YYYY-MM-DD, e.g. 2024-07-02",
			    what, shown(s, q));
	return 0;
}

/* ---- the table ---- */

void org_table_init(struct org_table *t)
{
	memset(t, 0, sizeof *t);
}

void org_table_free(struct org_table *t)
{
	free(t->rows);
	free(t->links);
	org_table_init(t);
}

int org_table_add_row(struct org_table *t, const struct org *r)
{
	if (t->nrows >= ORG_MAX_ROWS)
		return -1;
	/* ids mostly arrive in order: find the place from the end */
	size_t pos = t->nrows;
	while (pos > 0 && t->rows[pos - 1].id >= r->id) {
		if (t->rows[pos - 1].id == r->id)
			return -1;
		pos--;
	}
	if (t->nrows == t->rows_cap) {
		t->rows_cap = t->rows_cap ? t->rows_cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->rows_cap * sizeof *t->rows);
	}
	memmove(t->rows + pos + 1, t->rows + pos, (t->nrows - pos) * sizeof *t->rows);
	t->rows[pos] = *r;
	t->nrows++;
	return 0;
}

int org_table_add_link(struct org_table *t, const struct org_link *l)
{
	if (t->nlinks >= ORG_MAX_LINKS)
		return -1;
	if (t->nlinks == t->links_cap) {
		t->links_cap = t->links_cap ? t->links_cap * 2 : 64;
		t->links = xrealloc(t->links, t->links_cap * sizeof *t->links);
	}
	t->links[t->nlinks++] = *l;
	return 0;
}

int org_alive_at(const struct org *o, const char *date)
{
	return strcmp(o->valid_from, date) <= 0 && (!o->valid_to[0] || strcmp(o->valid_to, date) > 0);
}

const struct org *org_by_id(const struct org_table *t, int64_t id)
{
	size_t lo = 0, hi = t->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nrows && t->rows[lo].id == id ? &t->rows[lo] : NULL;
}

const struct org *org_find_open(const struct org_table *t, const char *code)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (!t->rows[i].valid_to[0] && org_code_eq(t->rows[i].code, code))
			return &t->rows[i];
	return NULL;
}

const struct org *org_find_at(const struct org_table *t, const char *code, const char *date)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (org_alive_at(&t->rows[i], date) && org_code_eq(t->rows[i].code, code))
			return &t->rows[i];
	return NULL;
}

const struct org *org_find_latest(const struct org_table *t, const char *code)
{
	const struct org *best = NULL;
	for (size_t i = 0; i < t->nrows; i++)
		if (org_code_eq(t->rows[i].code, code) &&
		    (!best || strcmp(t->rows[i].valid_from, best->valid_from) > 0))
			best = &t->rows[i];
	return best;
}

/* Levels from the root down to o (a government is 1); bounded, so that a
 * damaged table with a parent cycle cannot loop. */
static int depth_of(const struct org_table *t, const struct org *o)
{
	int d = 1;
	while (o && o->parent_id && d <= ORG_MAX_DEPTH + 1) {
		o = org_by_id(t, o->parent_id);
		d++;
	}
	return d;
}

static const char *code_of(const struct org_table *t, int64_t id)
{
	const struct org *o = org_by_id(t, id);
	return o ? o->code : "?";
}

/* ---- plans ---- */

void org_plan_init(struct org_plan *p)
{
	memset(p, 0, sizeof *p);
}

void org_plan_free(struct org_plan *p)
{
	for (size_t i = 0; i < p->nnote; i++)
		free(p->note[i].detail);
	free(p->close);
	free(p->add);
	free(p->link);
	free(p->note);
	org_plan_init(p);
}

/* Grows *v (of *cap elements of size sz) to hold one more. */
static void *grow(void *v, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * sz);
}

static void plan_close(struct org_plan *p, int64_t id)
{
	p->close = grow(p->close, p->nclose, &p->close_cap, sizeof *p->close);
	p->close[p->nclose++] = id;
}

/* Adds a row to open; returns its index. */
static size_t plan_open(struct org_plan *p, const struct org *row, size_t parent_new)
{
	p->add = grow(p->add, p->nadd, &p->add_cap, sizeof *p->add);
	struct org_new *n = &p->add[p->nadd];
	n->row = *row;
	n->row.id = 0;
	snprintf(n->row.valid_from, sizeof n->row.valid_from, "%s", p->on);
	n->row.valid_to[0] = 0;
	if (parent_new)
		n->row.parent_id = 0;
	n->parent_new = parent_new;
	return p->nadd++;
}

static void plan_link(struct org_plan *p, int64_t pred, size_t succ, enum org_link_kind k)
{
	p->link = grow(p->link, p->nlink, &p->link_cap, sizeof *p->link);
	p->link[p->nlink++] = (struct org_plan_link){.pred_id = pred, .succ = succ, .kind = k};
}

static void plan_note(struct org_plan *p, const char *action, const char *object_id,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void plan_note(struct org_plan *p, const char *action, const char *object_id,
		      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *detail = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	detail[0] = 0;
	if (n > 0) {
		va_start(ap, fmt);
		vsnprintf(detail, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	p->note = grow(p->note, p->nnote, &p->note_cap, sizeof *p->note);
	struct org_note *e = &p->note[p->nnote++];
	e->action = action;
	snprintf(e->object_id, sizeof e->object_id, "%s", object_id);
	e->detail = detail;
}

/* "split into EZ, KGG": how row o ended, for messages. */
static void describe_end(const struct org_table *t, const struct org *o, char *out, size_t len)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < t->nlinks && used + ORG_CODE_MAX + 16 < len; i++) {
		const struct org_link *l = &t->links[i];
		if (l->pred_id != o->id)
			continue;
		static const char *const verb[] = {"renamed to", "split into", "merged into",
						   "moved to"};
		int n = used ? snprintf(out + used, len - used, ", %s", code_of(t, l->succ_id))
			     : snprintf(out + used, len - used, " (%s %s", verb[l->kind],
					code_of(t, l->succ_id));
		if (n > 0)
			used += (size_t)n;
	}
	if (used)
		snprintf(out + used, len - used, ")");
}

/* Returns the open row with code for an operation on it; else NULL with e
 * explaining. role ("parent", or "" for the organisation changed) says which
 * argument it was. */
static const struct org *need_open(const struct org_table *t, const char *role,
				   const char *code, struct org_error *e)
{
	const struct org *o = org_find_open(t, code);
	if (o)
		return o;
	const struct org *last = org_find_latest(t, code);
	if (last) {
		char end[200];
		describe_end(t, last, end, sizeof end);
		fail(e, ORG_ENOTFOUND, "%s%s%s is closed as of %s%s; only a current organisation "
		     "can %s", role, *role ? " " : "", last->code, last->valid_to, end,
		     *role ? "be a parent" : "change");
	} else if (*role) {
		fail(e, ORG_ENOTFOUND, "%s %s: no organisation has that code", role, code);
	} else {
		fail(e, ORG_ENOTFOUND, "no organisation has code %s", code);
	}
	return NULL;
}

/* A reorganisation on `on` must come after o began: a row may not close on
 * the day it opened, or before. */
static int check_after_start(const struct org *o, const char *on, const char *op,
			     struct org_error *e)
{
	if (strcmp(on, o->valid_from) > 0)
		return 0;
	return fail(e, ORG_ECONFLICT, "%s began on %s; a %s must be dated after that, not %s",
		    o->code, o->valid_from, op, on);
}

/* Can code name a row opened on `on`? Not while another row holds it (rows in
 * except close on `on` and free it), nor before an earlier holder's end. */
static int check_code_free(const struct org_table *t, const char *code, const char *on,
			   const int64_t *except, size_t nexcept, struct org_error *e)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct org *r = &t->rows[i];
		if (!org_code_eq(r->code, code))
			continue;
		if (!r->valid_to[0]) {
			int freed = 0;
			for (size_t j = 0; j < nexcept; j++)
				freed |= except[j] == r->id;
			if (freed)
				continue;
			return fail(e, ORG_ECONFLICT, "code %s is in use by %s (%s since %s): choose "
				    "another code", r->code, r->name, org_kind_name(r->kind),
				    r->valid_from);
		}
		if (strcmp(r->valid_to, on) > 0)
			return fail(e, ORG_ECONFLICT, "code %s belonged to %s until %s; a new "
				    "organisation can take it only from that day on", r->code,
				    r->name, r->valid_to);
	}
	return 0;
}

static int move_children(const struct org_table *t, struct org_plan *p, int64_t old_parent,
			 size_t new_parent, int depth, struct org_error *e);

/* Closes child r on the plan's day and reopens it, same code, name and scope,
 * under the new row new_parent (1-based plan index), its own children after it. */
static int move_one(const struct org_table *t, struct org_plan *p, const struct org *r,
		    size_t new_parent, int depth, struct org_error *e)
{
	if (depth > ORG_MAX_DEPTH)
		return fail(e, ORG_ECONFLICT, "the tree under %s is deeper than %d levels",
			    code_of(t, r->parent_id), ORG_MAX_DEPTH);
	if (r->valid_to[0])
		return fail(e, ORG_ECONFLICT, "%s is due to end on %s, after %s: it cannot move "
			    "under a successor of %s", r->code, r->valid_to, p->on,
			    code_of(t, r->parent_id));
	if (strcmp(r->valid_from, p->on) >= 0)
		return fail(e, ORG_ECONFLICT, "%s, under %s, begins on %s, not before %s: date the "
			    "reorganisation later, or give %s a start before it", r->code,
			    code_of(t, r->parent_id), r->valid_from, p->on, r->code);
	plan_close(p, r->id);
	size_t idx = plan_open(p, r, new_parent);
	plan_link(p, r->id, idx, ORG_LINK_MOVE);
	plan_note(p, "org.move", r->code, "%s: %s -> %s on %s", r->code, code_of(t, r->parent_id),
		  p->add[new_parent - 1].row.code, p->on);
	p->moved++;
	return move_children(t, p, r->id, idx + 1, depth + 1, e);
}

/* Is r a child that is still there after the plan's day (and must go along)? */
static int stays_after(const struct org *r, const char *on)
{
	return !r->valid_to[0] || strcmp(r->valid_to, on) > 0;
}

static int move_children(const struct org_table *t, struct org_plan *p, int64_t old_parent,
			 size_t new_parent, int depth, struct org_error *e)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct org *r = &t->rows[i];
		if (r->parent_id == old_parent && stays_after(r, p->on) &&
		    move_one(t, p, r, new_parent, depth, e) != 0)
			return -1;
	}
	return 0;
}

static int plan_add(const struct org_table *t, const struct org_change *c, struct org_plan *p,
		    struct org_error *e)
{
	const struct org *parent = NULL;
	int kind = c->kind;
	if (!c->name)
		return fail(e, ORG_EINVALID, "give the organisation's name");
	if (org_check_code("code", c->code, e) || org_check_name("name", c->name, e))
		return -1;
	if (c->parent) {
		if (org_check_code("parent code", c->parent, e) ||
		    !(parent = need_open(t, "parent", c->parent, e)))
			return -1;
		if (kind < 0)
			kind = parent->kind == ORG_GOVERNMENT ? ORG_DEPARTMENT : ORG_UNIT;
	} else if (kind < 0) {
		return fail(e, ORG_EINVALID, "give the parent organisation, or kind government for "
			    "a new root");
	}
	int outside = 0;
	switch (kind) {
	case ORG_GOVERNMENT:
		if (parent)
			return fail(e, ORG_EINVALID, "a government has no parent");
		if (c->scope == 1)
			return fail(e, ORG_EINVALID, "only a department can be outside the "
				    "coordinator's scope");
		break;
	case ORG_DEPARTMENT:
		if (!parent)
			return fail(e, ORG_EINVALID, "a department needs its government as parent");
		if (parent->kind != ORG_GOVERNMENT)
			return fail(e, ORG_ECONFLICT, "a department belongs to a government, and %s "
				    "is a %s", parent->code, org_kind_name(parent->kind));
		outside = c->scope == 1;
		break;
	case ORG_UNIT:
		if (!parent)
			return fail(e, ORG_EINVALID, "a unit needs a department or unit as parent");
		if (parent->kind == ORG_GOVERNMENT)
			return fail(e, ORG_ECONFLICT, "a unit belongs to a department or another unit, "
				    "and %s is a government", parent->code);
		outside = parent->outside_scope;
		if (c->scope >= 0 && c->scope != outside)
			return fail(e, ORG_ECONFLICT, "a unit takes its department's scope, and %s is "
				    "%s the coordinator's scope", parent->code,
				    outside ? "outside" : "inside");
		break;
	default:
		return fail(e, ORG_EINVALID, "unknown kind of organisation");
	}
	if (parent && strcmp(c->on, parent->valid_from) < 0)
		return fail(e, ORG_ECONFLICT, "%s begins on %s, so %s cannot begin before that (%s)",
			    parent->code, parent->valid_from, c->code, c->on);
	if (parent && depth_of(t, parent) + 1 > ORG_MAX_DEPTH)
		return fail(e, ORG_ECONFLICT, "%s would be more than %d levels deep", c->code,
			    ORG_MAX_DEPTH);
	if (check_code_free(t, c->code, c->on, NULL, 0, e) != 0)
		return -1;
	struct org row = {.kind = (enum org_kind)kind, .parent_id = parent ? parent->id : 0,
			  .outside_scope = outside};
	snprintf(row.code, sizeof row.code, "%s", c->code);
	snprintf(row.name, sizeof row.name, "%s", c->name);
	plan_open(p, &row, 0);
	plan_note(p, "org.add", row.code, "%s %s%s%s from %s%s", org_kind_name(row.kind), row.code,
		  parent ? " under " : "", parent ? parent->code : "", c->on,
		  outside ? ", outside the coordinator's scope" : "");
	return 0;
}

static int plan_rename(const struct org_table *t, const struct org_change *c, struct org_plan *p,
		       struct org_error *e)
{
	const struct org *o;
	if (c->ninto != 1)
		return fail(e, ORG_EINVALID, "a rename gives exactly one new code");
	const struct org_successor *s = &c->into[0];
	if (org_check_code("code", c->code, e) || org_check_code("new code", s->code, e) ||
	    (s->name && org_check_name("new name", s->name, e)))
		return -1;
	if (!(o = need_open(t, "", c->code, e)) || check_after_start(o, c->on, "rename", e))
		return -1;
	const char *name = s->name ? s->name : o->name;
	if (strcmp(s->code, o->code) == 0 && strcmp(name, o->name) == 0)
		return fail(e, ORG_EINVALID, "%s would keep its code and name: give a new code or a "
			    "new name", o->code);
	if (check_code_free(t, s->code, c->on, &o->id, 1, e) != 0)
		return -1;
	struct org row = *o;
	snprintf(row.code, sizeof row.code, "%s", s->code);
	snprintf(row.name, sizeof row.name, "%s", name);
	plan_close(p, o->id);
	size_t idx = plan_open(p, &row, 0);
	plan_link(p, o->id, idx, ORG_LINK_RENAME);
	if (strcmp(name, o->name) != 0)
		plan_note(p, "org.rename", o->code, "%s -> %s (%s) on %s", o->code, row.code, name,
			  c->on);
	else
		plan_note(p, "org.rename", o->code, "%s -> %s on %s", o->code, row.code, c->on);
	return move_children(t, p, o->id, idx + 1, depth_of(t, o) + 1, e);
}

/* "EZ or KGG" / "EZ, KGG or VRO" */
static void list_codes(const struct org_successor *s, size_t n, char *out, size_t len)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && used < len; i++) {
		int k = snprintf(out + used, len - used, "%s%s",
				 i == 0 ? "" : i + 1 == n ? " or " : ", ", s[i].code);
		if (k > 0)
			used += (size_t)k;
	}
}

static int plan_split(const struct org_table *t, const struct org_change *c, struct org_plan *p,
		      struct org_error *e)
{
	const struct org *o;
	char choices[ORG_MAX_SUCCESSORS * (ORG_CODE_MAX + 4) + 8];
	if (org_check_code("code", c->code, e))
		return -1;
	if (c->ninto < 2)
		return fail(e, ORG_EINVALID, "a split needs at least two successors (to change only "
			    "the code or name, rename)");
	if (c->ninto > ORG_MAX_SUCCESSORS)
		return fail(e, ORG_EINVALID, "a split may have at most %d successors",
			    ORG_MAX_SUCCESSORS);
	if (c->nmoves > ORG_MAX_MOVES)
		return fail(e, ORG_EINVALID, "a split may assign at most %d units", ORG_MAX_MOVES);
	if (!(o = need_open(t, "", c->code, e)) || check_after_start(o, c->on, "split", e))
		return -1;
	for (size_t i = 0; i < c->ninto; i++) {
		const struct org_successor *s = &c->into[i];
		if (org_check_code("successor code", s->code, e))
			return -1;
		if (s->name && org_check_name("successor name", s->name, e))
			return -1;
		if (!s->name && !org_code_eq(s->code, o->code))
			return fail(e, ORG_EINVALID, "successor %s needs a name (only one that keeps "
				    "the code %s may keep its name)", s->code, o->code);
		for (size_t j = 0; j < i; j++)
			if (org_code_eq(c->into[j].code, s->code))
				return fail(e, ORG_EINVALID, "successor %s is given twice", s->code);
		if (check_code_free(t, s->code, c->on, &o->id, 1, e) != 0)
			return -1;
	}
	list_codes(c->into, c->ninto, choices, sizeof choices);

	/* every assignment names a child of o and a successor, once */
	for (size_t i = 0; i < c->nmoves; i++) {
		const struct org_move *m = &c->moves[i];
		if (org_check_code("unit code", m->unit, e) || org_check_code("successor code", m->to, e))
			return -1;
		int found = 0;
		for (size_t j = 0; j < t->nrows && !found; j++)
			found = t->rows[j].parent_id == o->id && !t->rows[j].valid_to[0] &&
				org_code_eq(t->rows[j].code, m->unit);
		if (!found) {
			const struct org *u = org_find_open(t, m->unit);
			if (u)
				return fail(e, ORG_ECONFLICT, "%s is not a unit of %s (it is under %s)",
					    u->code, o->code, code_of(t, u->parent_id));
			return fail(e, ORG_ENOTFOUND, "no current unit has code %s", m->unit);
		}
		int to_ok = 0;
		for (size_t j = 0; j < c->ninto; j++)
			to_ok |= org_code_eq(c->into[j].code, m->to);
		if (!to_ok)
			return fail(e, ORG_EINVALID, "%s=%s: %s is not a successor (choose %s)",
				    m->unit, m->to, m->to, choices);
		for (size_t j = 0; j < i; j++)
			if (org_code_eq(c->moves[j].unit, m->unit))
				return fail(e, ORG_EINVALID, "unit %s is assigned twice", m->unit);
	}
	for (size_t j = 0; j < t->nrows; j++) {
		const struct org *r = &t->rows[j];
		if (r->parent_id != o->id || !stays_after(r, c->on))
			continue;
		int assigned = 0;
		for (size_t i = 0; i < c->nmoves; i++)
			assigned |= org_code_eq(c->moves[i].unit, r->code);
		if (!assigned) {
			char opts[sizeof choices * 2];
			size_t used = 0;
			opts[0] = 0;
			for (size_t i = 0; i < c->ninto && used < sizeof opts; i++) {
				int k = snprintf(opts + used, sizeof opts - used, "%s%s=%s",
						 i == 0 ? "" : i + 1 == c->ninto ? " or " : ", ",
						 r->code, c->into[i].code);
				if (k > 0)
					used += (size_t)k;
			}
			return fail(e, ORG_ECONFLICT, "unit %s of %s is not assigned to a successor: "
				    "assign it with %s", r->code, o->code, opts);
		}
	}

	plan_close(p, o->id);
	for (size_t i = 0; i < c->ninto; i++) {
		struct org row = *o;
		snprintf(row.code, sizeof row.code, "%s", c->into[i].code);
		snprintf(row.name, sizeof row.name, "%s", c->into[i].name ? c->into[i].name : o->name);
		plan_link(p, o->id, plan_open(p, &row, 0), ORG_LINK_SPLIT);
	}
	{
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < c->ninto; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", c->into[i].code);
		plan_note(p, "org.split", o->code, "%s -> %s on %s", o->code, b.p, c->on);
		buf_free(&b);
	}
	int depth = depth_of(t, o) + 1;
	for (size_t j = 0; j < t->nrows; j++) {
		const struct org *r = &t->rows[j];
		if (r->parent_id != o->id || !stays_after(r, c->on))
			continue;
		size_t to = 0;
		for (size_t i = 0; i < c->nmoves; i++)
			if (org_code_eq(c->moves[i].unit, r->code))
				for (size_t k = 0; k < c->ninto; k++)
					if (org_code_eq(c->into[k].code, c->moves[i].to))
						to = k;
		if (move_one(t, p, r, to + 1, depth, e) != 0)
			return -1;
	}
	return 0;
}

static int plan_merge(const struct org_table *t, const struct org_change *c, struct org_plan *p,
		      struct org_error *e)
{
	const struct org *pred[ORG_MAX_MERGE];
	int64_t ids[ORG_MAX_MERGE];
	if (c->npreds < 2)
		return fail(e, ORG_EINVALID, "a merge joins at least two organisations");
	if (c->npreds > ORG_MAX_MERGE)
		return fail(e, ORG_EINVALID, "a merge may join at most %d organisations",
			    ORG_MAX_MERGE);
	if (c->ninto != 1)
		return fail(e, ORG_EINVALID, "a merge has exactly one successor");
	for (size_t i = 0; i < c->npreds; i++) {
		if (org_check_code("code", c->preds[i], e) ||
		    !(pred[i] = need_open(t, "", c->preds[i], e)))
			return -1;
		for (size_t j = 0; j < i; j++)
			if (pred[j] == pred[i])
				return fail(e, ORG_EINVALID, "%s is given twice", pred[i]->code);
		if (check_after_start(pred[i], c->on, "merge", e))
			return -1;
		ids[i] = pred[i]->id;
	}
	const struct org *a = pred[0];
	for (size_t i = 1; i < c->npreds; i++) {
		const struct org *b = pred[i];
		if (b->kind != a->kind)
			return fail(e, ORG_ECONFLICT, "%s is a %s and %s a %s: only organisations of "
				    "one kind merge", a->code, org_kind_name(a->kind), b->code,
				    org_kind_name(b->kind));
		if (b->parent_id != a->parent_id)
			return fail(e, ORG_ECONFLICT, "%s is under %s and %s under %s: only "
				    "organisations with the same parent merge", a->code,
				    a->parent_id ? code_of(t, a->parent_id) : "no parent", b->code,
				    b->parent_id ? code_of(t, b->parent_id) : "no parent");
		if (b->outside_scope != a->outside_scope)
			return fail(e, ORG_ECONFLICT, "%s is %s the coordinator's scope and %s is not: "
				    "they cannot merge", a->code,
				    a->outside_scope ? "outside" : "inside", b->code);
	}
	const struct org_successor *s = &c->into[0];
	if (org_check_code("successor code", s->code, e))
		return -1;
	const char *name = s->name;
	if (name) {
		if (org_check_name("successor name", name, e))
			return -1;
	} else {
		for (size_t i = 0; i < c->npreds && !name; i++)
			if (org_code_eq(pred[i]->code, s->code))
				name = pred[i]->name;
		if (!name)
			return fail(e, ORG_EINVALID, "successor %s needs a name (only one that keeps "
				    "a merged organisation's code may keep its name)", s->code);
	}
	if (check_code_free(t, s->code, c->on, ids, c->npreds, e) != 0)
		return -1;

	struct org row = *a;
	snprintf(row.code, sizeof row.code, "%s", s->code);
	snprintf(row.name, sizeof row.name, "%s", name);
	for (size_t i = 0; i < c->npreds; i++)
		plan_close(p, ids[i]);
	size_t idx = plan_open(p, &row, 0);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < c->npreds; i++) {
		plan_link(p, ids[i], idx, ORG_LINK_MERGE);
		buf_printf(&b, "%s%s", i ? ", " : "", pred[i]->code);
	}
	plan_note(p, "org.merge", row.code, "%s -> %s on %s", b.p, row.code, c->on);
	buf_free(&b);
	int depth = depth_of(t, a) + 1;
	for (size_t i = 0; i < c->npreds; i++)
		if (move_children(t, p, ids[i], idx + 1, depth, e) != 0)
			return -1;
	return 0;
}

int org_plan_change(const struct org_table *t, const struct org_change *c, struct org_plan *p,
		    struct org_error *e)
{
	e->cls = ORG_OK;
	e->msg[0] = 0;
	if (!c->on || (c->op != ORG_OP_MERGE && !c->code))
		return fail(e, ORG_EINVALID, "the change lacks its code or date");
	if (org_check_date(c->op == ORG_OP_ADD ? "start date" : "date", c->on, e))
		return -1;
	snprintf(p->on, sizeof p->on, "%s", c->on);
	int rc;
	switch (c->op) {
	case ORG_OP_ADD: rc = plan_add(t, c, p, e); break;
	case ORG_OP_RENAME: rc = plan_rename(t, c, p, e); break;
	case ORG_OP_SPLIT: rc = plan_split(t, c, p, e); break;
	case ORG_OP_MERGE: rc = plan_merge(t, c, p, e); break;
	default: return fail(e, ORG_EINVALID, "unknown change");
	}
	if (rc != 0)
		return -1;
	if (t->nrows + p->nadd > ORG_MAX_ROWS || t->nlinks + p->nlink > ORG_MAX_LINKS)
		return fail(e, ORG_ECONFLICT, "the organisation table would exceed %d rows or %d "
			    "links", ORG_MAX_ROWS, ORG_MAX_LINKS);
	return 0;
}

int org_table_apply(struct org_table *t, const struct org_plan *p, const int64_t *ids)
{
	for (size_t i = 0; i < p->nclose; i++) {
		struct org *o = (struct org *)org_by_id(t, p->close[i]);
		if (o)
			snprintf(o->valid_to, sizeof o->valid_to, "%s", p->on);
	}
	for (size_t i = 0; i < p->nadd; i++) {
		struct org row = p->add[i].row;
		row.id = ids[i];
		if (p->add[i].parent_new)
			row.parent_id = ids[p->add[i].parent_new - 1];
		if (org_table_add_row(t, &row) != 0)
			return -1;
	}
	for (size_t i = 0; i < p->nlink; i++) {
		struct org_link l = {.pred_id = p->link[i].pred_id, .succ_id = ids[p->link[i].succ],
				     .kind = p->link[i].kind};
		snprintf(l.on, sizeof l.on, "%s", p->on);
		if (org_table_add_link(t, &l) != 0)
			return -1;
	}
	return 0;
}

/* ---- queries ---- */

/* Children grouped by parent, then by code and start. */
static int cmp_by_parent(const void *pa, const void *pb)
{
	const struct org *a = *(const struct org *const *)pa, *b = *(const struct org *const *)pb;
	if (a->parent_id != b->parent_id)
		return a->parent_id < b->parent_id ? -1 : 1;
	int c = code_cmp(a->code, b->code);
	if (c)
		return c;
	c = strcmp(a->valid_from, b->valid_from);
	return c ? c : (a->id < b->id ? -1 : a->id > b->id);
}

struct tree_walk {
	const struct org **sel;
	size_t nsel;
	unsigned char *done;
	struct org_tree_item *out;
	size_t n;
};

static void tree_visit(struct tree_walk *w, size_t i, int depth)
{
	/* done[] stops a parent cycle in a damaged table; the depth bound stops
	 * the recursion whatever the data says */
	if (w->done[i] || depth > 2 * ORG_MAX_DEPTH)
		return;
	w->done[i] = 1;
	w->out[w->n++] = (struct org_tree_item){.row = w->sel[i], .depth = depth};
	int64_t id = w->sel[i]->id;
	size_t lo = 0, hi = w->nsel;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->sel[mid]->parent_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t j = lo; j < w->nsel && w->sel[j]->parent_id == id; j++)
		tree_visit(w, j, depth + 1);
}

void org_tree(const struct org_table *t, const char *at, int64_t root_id,
	      struct org_tree_item **out, size_t *n)
{
	struct tree_walk w = {0};
	w.sel = xmalloc((t->nrows + 1) * sizeof *w.sel);
	for (size_t i = 0; i < t->nrows; i++)
		if (!at || org_alive_at(&t->rows[i], at))
			w.sel[w.nsel++] = &t->rows[i];
	qsort(w.sel, w.nsel, sizeof *w.sel, cmp_by_parent);
	w.done = xcalloc(w.nsel + 1, 1);
	w.out = xmalloc((w.nsel + 1) * sizeof *w.out);
	for (size_t i = 0; i < w.nsel; i++) {
		const struct org *o = w.sel[i];
		int root;
		if (root_id)
			root = o->id == root_id;
		else if (!o->parent_id)
			root = 1;
		else {
			/* a row whose parent is not shown (damaged data) still appears */
			const struct org *par = org_by_id(t, o->parent_id);
			root = !par || (at && !org_alive_at(par, at));
		}
		if (root)
			tree_visit(&w, i, 0);
	}
	free(w.sel);
	free(w.done);
	*out = w.out;
	*n = w.n;
}

static int cmp_by_code(const void *pa, const void *pb)
{
	const struct org *a = *(const struct org *const *)pa, *b = *(const struct org *const *)pb;
	int c = code_cmp(a->code, b->code);
	return c ? c : strcmp(a->valid_from, b->valid_from);
}

size_t org_children(const struct org_table *t, const struct org *parent, const char *at,
		    const struct org ***out)
{
	const struct org **v = xmalloc((t->nrows + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct org *r = &t->rows[i];
		if (r->parent_id != parent->id || r == parent)
			continue;
		if (at ? org_alive_at(r, at) : strcmp(r->valid_to, parent->valid_to) == 0)
			v[n++] = r;
	}
	qsort(v, n, sizeof *v, cmp_by_code);
	*out = v;
	return n;
}

struct lineage_walk {
	const struct org_table *t;
	int forward;
	const struct org_link **by_end;  /* links sorted by the end we search from */
	unsigned char *seen;              /* per row index */
	struct org_lineage_step *out;
	size_t n, cap;
};

static int64_t link_from(const struct org_link *l, int forward)
{
	return forward ? l->pred_id : l->succ_id;
}

static int cmp_pred(const void *pa, const void *pb)
{
	const struct org_link *a = *(const struct org_link *const *)pa;
	const struct org_link *b = *(const struct org_link *const *)pb;
	return a->pred_id < b->pred_id ? -1 : a->pred_id > b->pred_id;
}

static int cmp_succ(const void *pa, const void *pb)
{
	const struct org_link *a = *(const struct org_link *const *)pa;
	const struct org_link *b = *(const struct org_link *const *)pb;
	return a->succ_id < b->succ_id ? -1 : a->succ_id > b->succ_id;
}

static void lineage_visit(struct lineage_walk *w, int64_t id, int depth)
{
	if (depth > ORG_MAX_GENERATIONS)
		return;
	size_t lo = 0, hi = w->t->nlinks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (link_from(w->by_end[mid], w->forward) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the far ends, in order of date then code, each followed before the next */
	size_t first = lo, end = lo;
	while (end < w->t->nlinks && link_from(w->by_end[end], w->forward) == id)
		end++;
	for (;;) {
		const struct org_link *best = NULL;
		const struct org *best_row = NULL;
		for (size_t i = first; i < end; i++) {
			const struct org_link *l = w->by_end[i];
			const struct org *far = org_by_id(w->t, w->forward ? l->succ_id : l->pred_id);
			if (!far || w->seen[far - w->t->rows])
				continue;
			int c = best ? strcmp(l->on, best->on) : -1;
			if (!c)
				c = code_cmp(far->code, best_row->code);
			if (c < 0) {
				best = l;
				best_row = far;
			}
		}
		if (!best)
			return;
		w->seen[best_row - w->t->rows] = 1;
		w->out = grow(w->out, w->n, &w->cap, sizeof *w->out);
		w->out[w->n++] = (struct org_lineage_step){.depth = depth, .link = best,
							   .row = best_row};
		lineage_visit(w, best_row->id, depth + 1);
	}
}

void org_lineage(const struct org_table *t, int64_t id, int forward,
		 struct org_lineage_step **out, size_t *n)
{
	struct lineage_walk w = {.t = t, .forward = forward};
	w.by_end = xmalloc((t->nlinks + 1) * sizeof *w.by_end);
	for (size_t i = 0; i < t->nlinks; i++)
		w.by_end[i] = &t->links[i];
	qsort(w.by_end, t->nlinks, sizeof *w.by_end, forward ? cmp_pred : cmp_succ);
	w.seen = xcalloc(t->nrows + 1, 1);
	const struct org *start = org_by_id(t, id);
	if (start) {
		w.seen[start - t->rows] = 1;
		lineage_visit(&w, id, 1);
	}
	free(w.by_end);
	free(w.seen);
	*out = w.out;
	*n = w.n;
}
