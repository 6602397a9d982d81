/* pages_shared.c: who may change the tracker, the words and the form
 * building that the pages of src/recs share (pages.h). */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "recs/pages.h"
#include "recs_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"

int recs_editor_scope(db_t *db, const struct viewer *v, struct scope *scope)
{
	struct scope s;
	if (!v || !(v->roles & role_mask(ROLE_COORDINATOR)))
		return 0;
	/* a coordinator appointed at a department oversees nothing
	 * (scope_coordinated), so it changes nothing either */
	if (scope_coordinated(db, v, role_mask(ROLE_COORDINATOR), &s) != 0)
		return -1;
	if (scope)
		*scope = s;
	return s.n > 0;
}

int recs_require_editor(struct page *p, struct scope *scope)
{
	int ok = recs_editor_scope(p->db, p->viewer, scope);
	if (ok < 0) {
		log_error("recommendations: editor check: %s", db_error(p->db)->msg);
		page_fail(p, 503, "The recommendations cannot be changed at the moment. Try again later.");
		return -1;
	}
	if (!ok) {
		page_fail(p, 403, "Only the coordinating ministry changes recommendations and policy items.");
		return -1;
	}
	return 0;
}

int recs_adoption_visible(const struct scope *own, int outside_scope, int64_t dept_id)
{
	return !outside_scope || scope_find(own, dept_id) != NULL;
}

void recs_fail_page(struct page *p, const struct recs_error *e)
{
	if (e->code == RECS_ENOTFOUND) {
		page_fail(p, 404, e->msgid ? e->msgid : "There is no such page.");
		return;
	}
	log_error("recommendations: %s", e->detail);
	page_fail(p, 503, "The recommendations cannot be read or changed at the moment. Try again later.");
}

int recs_refused(struct page *p, const struct recs_error *e, const char **msg)
{
	if (e->code == RECS_EINVALID || e->code == RECS_ECONFLICT || e->code == RECS_EFULL) {
		*msg = page_tr(p, e->msgid ? e->msgid : N_("The form could not be saved."));
		return 1;
	}
	recs_fail_page(p, e);
	return 0;
}

struct recv_fact recs_fact(const char *term, const char *value, int pre)
{
	return (struct recv_fact){.term = term, .value = value, .pre = pre};
}

const char *recs_status_words(struct page *p, int status)
{
	return page_tr(p, recs_status_label(status));
}

const char *recs_addressee_words(struct page *p, const struct recs_rec *r)
{
	if (r->naddressees == 0)
		return page_tr(p, "government-wide");
	char *s = "";
	for (size_t i = 0; i < r->naddressees; i++)
		s = arena_printf(p->a, "%s%s%s", s, i ? ", " : "", r->addressees[i].code);
	return s;
}

const char *recs_source_meta(struct page *p, const struct recs_source *s)
{
	const char *m = page_tr(p, recs_kind_label(s->kind));
	if (*s->reference)
		m = arena_printf(p->a, "%s \xc2\xb7 %s", m, s->reference);
	m = arena_printf(p->a, "%s \xc2\xb7 %s", m, s->issued_on);
	if (*s->round)
		m = arena_printf(p->a, "%s \xc2\xb7 %s", m, s->round);
	return m;
}

const char *recs_tally_words(struct page *p, const struct recs_tally *t)
{
	static const int order[] = {RECS_STATUS_IMPLEMENTED, RECS_STATUS_PARTLY, RECS_STATUS_NOT,
				    RECS_STATUS_NONE};
	char *s = "";
	for (size_t i = 0; i < 4; i++)
		s = arena_printf(p->a, "%s%s%d %s", s, i ? ", " : "", t->count[order[i]],
				 recs_status_words(p, order[i]));
	s = arena_printf(p->a, "%s (%s)", s, page_tr1(p, "{} in all", arena_printf(p->a, "%d", t->total)));
	if (t->overdue)
		s = arena_printf(p->a, "%s; %s", s,
				 page_tr1(p, "progress report overdue: {}",
					  arena_printf(p->a, "%d", t->overdue)));
	return s;
}

const char *recs_excerpt(struct page *p, const char *s, size_t n)
{
	size_t len = strlen(s);
	if (len <= n)
		return s;
	size_t cut = n;
	while (cut > n / 2 && s[cut] != ' ')
		cut--;
	/* never inside a UTF-8 sequence */
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	return arena_printf(p->a, "%.*s\xe2\x80\xa6", (int)cut, s);
}

const char *recs_field(struct page *p, const char *name)
{
	const char *v = page_field(p, name);
	return v ? v : "";
}

int recs_take(struct page *p, const char *name, char *dst, size_t cap)
{
	const char *v = recs_field(p, name);
	snprintf(dst, cap, "%s", v);
	return strlen(v) >= cap;
}

const char *recs_saved_notice(struct page *p)
{
	return http_query(p->req, "opgeslagen") ? page_tr(p, "The change was saved.") : NULL;
}

/* ---- building forms ---- */

#define FIELDS_MAX 16

void recs_fb_set(struct recs_fb *b, const char *legend, const char *hint)
{
	b->f = arena_alloc(b->p->a, FIELDS_MAX * sizeof *b->f);
	b->n = 0;
	b->sets[b->nsets++] = (struct recv_fieldset){page_tr(b->p, legend),
						     hint ? page_tr(b->p, hint) : NULL, b->f, 0};
}

struct recv_field *recs_fb_add(struct recs_fb *b, int kind, const char *name, const char *label,
			       const char *value)
{
	struct recv_field *f = &b->f[b->n++];
	b->sets[b->nsets - 1].n = b->n;
	*f = (struct recv_field){.kind = kind, .name = name,
				 .id = arena_printf(b->p->a, "f-%s", name),
				 .label = page_tr(b->p, label), .value = value ? value : ""};
	return f;
}

struct recv_option *recs_options(struct page *p, size_t n)
{
	return arena_alloc(p->a, (n ? n : 1) * sizeof(struct recv_option));
}

struct recv_field *recs_fb_choice(struct recs_fb *b, int kind, const char *name,
				  const char *label, struct recv_option *o, size_t n)
{
	struct recv_field *f = recs_fb_add(b, kind, name, label, NULL);
	f->options = o;
	f->noptions = n;
	return f;
}

void recs_fb_show(struct recs_fb *b, int status, const char *title, const char *intro,
		  const char *action, const char *error, const char *back_href,
		  const char *back_label)
{
	struct page *p = b->p;
	struct recs_form_view v = {
		.title = title,
		.intro = intro ? page_tr(p, intro) : NULL,
		.action = action,
		.csrf = p->csrf,
		.error = error,
		.back_href = back_href,
		.back_label = page_tr(p, back_label),
		.submit = page_tr(p, "Save"),
		.sets = b->sets,
		.nsets = b->nsets,
	};
	page_begin(p, title);
	p->res->status = status;
	tmpl_recs_form(&p->res->body, &p->t, &v);
	page_end(p);
}
