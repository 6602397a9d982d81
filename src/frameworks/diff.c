/* diff.c: the difference between two revisions of a framework (framework.h).
 * Pure. Parts are matched by code, not by place, so that a requirement
 * keeps its identity when it moves to another group or when others are
 * inserted before it: what an assessor cares about is whether "4.2" still
 * asks the same. */
#include "frameworks/framework.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

struct acc {
	struct fw_diff *d;
	size_t cap;
};

static const char *nz(const char *s)
{
	return s ? s : "";
}

static void add(struct acc *a, enum fw_change_kind kind, const char *code, const char *what,
		const char *before, const char *after, const char *where)
{
	if (a->d->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->d->changes = xrealloc(a->d->changes, a->cap * sizeof *a->d->changes);
	}
	a->d->changes[a->d->n++] = (struct fw_change){
		.kind = kind, .code = nz(code), .what = nz(what), .before = nz(before),
		.after = nz(after), .where = nz(where)};
}

static int differ(const char *a, const char *b)
{
	return strcmp(nz(a), nz(b)) != 0;
}

static int pillar_at(const struct framework *f, const char *code)
{
	for (size_t i = 0; i < f->npillars; i++)
		if (strcmp(f->pillars[i].code, code) == 0)
			return (int)i;
	return -1;
}

static int req_at(const struct framework *f, const char *code)
{
	const struct fw_req *q = framework_req(f, code);
	return q ? (int)(q - f->reqs) : -1;
}

static const char *pillar_code(const struct framework *f, int i)
{
	return i >= 0 && i < (int)f->npillars ? f->pillars[i].code : "";
}

static void meta(struct acc *acc, const struct framework *a, const struct framework *b)
{
	static const char *const names[] = {"title.nl", "title.en", "source", "published", "kind"};
	const char *av[] = {a->title_nl, a->title_en, a->source, a->published, a->kind};
	const char *bv[] = {b->title_nl, b->title_en, b->source, b->published, b->kind};
	for (int i = 0; i < 5; i++)
		if (differ(av[i], bv[i]))
			add(acc, FW_CH_META, "", names[i], av[i], bv[i], "");
}

static void pillars(struct acc *acc, const struct framework *a, const struct framework *b)
{
	for (size_t i = 0; i < a->npillars; i++)
		if (pillar_at(b, a->pillars[i].code) < 0)
			add(acc, FW_CH_PILLAR_REMOVED, a->pillars[i].code, "", a->pillars[i].title_nl,
			    "", "");
	for (size_t i = 0; i < b->npillars; i++) {
		const struct fw_pillar *p = &b->pillars[i];
		int j = pillar_at(a, p->code);
		if (j < 0) {
			add(acc, FW_CH_PILLAR_ADDED, p->code, "", "", p->title_nl, "");
			continue;
		}
		if (differ(a->pillars[j].title_nl, p->title_nl))
			add(acc, FW_CH_PILLAR_TITLE, p->code, "nl", a->pillars[j].title_nl, p->title_nl, "");
		if (differ(a->pillars[j].title_en, p->title_en))
			add(acc, FW_CH_PILLAR_TITLE, p->code, "en", a->pillars[j].title_en, p->title_en, "");
	}
}

static void groups(struct acc *acc, const struct framework *a, const struct framework *b)
{
	for (size_t i = 0; i < a->ngroups; i++)
		if (framework_group(b, a->groups[i].code) < 0)
			add(acc, FW_CH_GROUP_REMOVED, a->groups[i].code, "", a->groups[i].title_nl, "",
			    "");
	for (size_t i = 0; i < b->ngroups; i++) {
		const struct fw_group *g = &b->groups[i];
		int j = framework_group(a, g->code);
		if (j < 0) {
			add(acc, FW_CH_GROUP_ADDED, g->code, "", "", g->title_nl, pillar_code(b, g->pillar));
			continue;
		}
		const struct fw_group *o = &a->groups[j];
		if (differ(o->title_nl, g->title_nl))
			add(acc, FW_CH_GROUP_TITLE, g->code, "nl", o->title_nl, g->title_nl, "");
		if (differ(o->title_en, g->title_en))
			add(acc, FW_CH_GROUP_TITLE, g->code, "en", o->title_en, g->title_en, "");
		if (strcmp(pillar_code(a, o->pillar), pillar_code(b, g->pillar)) != 0)
			add(acc, FW_CH_GROUP_PILLAR, g->code, "", pillar_code(a, o->pillar),
			    pillar_code(b, g->pillar), "");
	}
}

static void reqs(struct acc *acc, const struct framework *a, const struct framework *b)
{
	for (size_t i = 0; i < a->nreqs; i++)
		if (req_at(b, a->reqs[i].code) < 0)
			add(acc, FW_CH_REQ_REMOVED, a->reqs[i].code, "", a->reqs[i].text_nl, "",
			    a->groups[a->reqs[i].group].code);
	for (size_t i = 0; i < b->nreqs; i++) {
		const struct fw_req *q = &b->reqs[i];
		const char *group = b->groups[q->group].code;
		int j = req_at(a, q->code);
		if (j < 0) {
			add(acc, FW_CH_REQ_ADDED, q->code, "", "", q->text_nl, group);
			continue;
		}
		const struct fw_req *o = &a->reqs[j];
		const char *was = a->groups[o->group].code;
		if (strcmp(was, group) != 0)
			add(acc, FW_CH_REQ_MOVED, q->code, "", was, group, group);
		if (differ(o->text_nl, q->text_nl))
			add(acc, FW_CH_REQ_TEXT, q->code, "nl", o->text_nl, q->text_nl, group);
		if (differ(o->text_en, q->text_en))
			add(acc, FW_CH_REQ_TEXT, q->code, "en", o->text_en, q->text_en, group);
	}
}

int fw_diff(const struct framework *a, const struct framework *b, struct fw_diff *out)
{
	struct acc acc = {.d = out};
	memset(out, 0, sizeof *out);
	meta(&acc, a, b);
	pillars(&acc, a, b);
	groups(&acc, a, b);
	reqs(&acc, a, b);
	return 0;
}

void fw_diff_free(struct fw_diff *d)
{
	if (!d)
		return;
	free(d->changes);
	d->changes = NULL;
	d->n = 0;
}

/* s quoted, cut after max bytes at a character boundary with "...", or
 * "(none)" when empty. */
static void quote(const char *s, size_t max, char *out, size_t n)
{
	size_t len = strlen(s);
	if (!len) {
		snprintf(out, n, "(none)");
		return;
	}
	if (len <= max) {
		snprintf(out, n, "\"%s\"", s);
		return;
	}
	size_t cut = max;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	snprintf(out, n, "\"%.*s...\"", (int)cut, s);
}

size_t fw_change_line(const struct fw_change *c, char *buf, size_t n)
{
	enum { CUT = 100 };
	char b[CUT + 16], a[CUT + 16];
	quote(c->before, CUT, b, sizeof b);
	quote(c->after, CUT, a, sizeof a);
	const char *from = *c->before ? c->before : "(none)";
	const char *to = *c->after ? c->after : "(none)";
	int w = 0;
	switch (c->kind) {
	case FW_CH_META:
		w = snprintf(buf, n, "Framework %s changed from %s to %s", c->what, b, a);
		break;
	case FW_CH_PILLAR_ADDED:
		w = snprintf(buf, n, "Pillar %s added: %s", c->code, a);
		break;
	case FW_CH_PILLAR_REMOVED:
		w = snprintf(buf, n, "Pillar %s removed: %s", c->code, b);
		break;
	case FW_CH_PILLAR_TITLE:
		w = snprintf(buf, n, "Pillar %s: title (%s) changed from %s to %s", c->code, c->what,
			     b, a);
		break;
	case FW_CH_GROUP_ADDED:
		w = snprintf(buf, n, "Group %s added: %s", c->code, a);
		break;
	case FW_CH_GROUP_REMOVED:
		w = snprintf(buf, n, "Group %s removed: %s", c->code, b);
		break;
	case FW_CH_GROUP_TITLE:
		w = snprintf(buf, n, "Group %s: title (%s) changed from %s to %s", c->code, c->what,
			     b, a);
		break;
	case FW_CH_GROUP_PILLAR:
		w = snprintf(buf, n, "Group %s moved from pillar %s to pillar %s", c->code, from, to);
		break;
	case FW_CH_REQ_ADDED:
		w = snprintf(buf, n, "Requirement %s added to group %s: %s", c->code, c->where, a);
		break;
	case FW_CH_REQ_REMOVED:
		w = snprintf(buf, n, "Requirement %s removed from group %s: %s", c->code, c->where, b);
		break;
	case FW_CH_REQ_TEXT:
		w = snprintf(buf, n, "Requirement %s: text (%s) changed from %s to %s", c->code,
			     c->what, b, a);
		break;
	case FW_CH_REQ_MOVED:
		w = snprintf(buf, n, "Requirement %s moved from group %s to group %s", c->code, from,
			     to);
		break;
	}
	if (w < 0)
		w = 0;
	if (n == 0)
		return 0;
	return (size_t)w < n ? (size_t)w : n - 1;
}
