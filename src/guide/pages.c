/* pages.c: the guide pages (pages.h). The guide's texts come from the
 * embedded data (guide.h) in the page's language; the contacts are the
 * chosen organisation's integrity coordinators and confidential advisers
 * (intake_recipients: the accounts that receive its reports, the same list
 * the reporting channel shows) and the data file's contacts for it. */
#include "guide/pages.h"

#include <stdlib.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "base/log.h"
#include "guide/guide.h"
#include "guide/views.h"
#include "guide_tmpl.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/page.h"

#define MAX_PEOPLE 64

static const char *tx(const struct page *p, const struct guide_text *t)
{
	return guide_text(t, p->lang);
}

/* The organisations alive today, depth first; the chosen one (code) marked,
 * with *chosen and *dept (its department's code for a unit) set. -1 when
 * the tree cannot be read. */
static int org_list(struct page *p, const char *code, struct guide_view *v,
		    const struct org **chosen, const char **dept, struct org_table *t)
{
	char today[DATE_LEN + 1];
	struct org_tree_item *items = NULL;
	size_t n = 0;
	date_today(today);
	if (orgs_load(p->db, t) != 0)
		return -1;
	org_tree(t, today, 0, &items, &n);
	struct gv_org *o = arena_alloc(p->a, (n ? n : 1) * sizeof *o);
	*chosen = NULL;
	*dept = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct org *r = items[i].row;
		o[i] = (struct gv_org){arena_strdup(p->a, r->code), arena_strdup(p->a, r->name),
				       items[i].depth, 0};
		if (code && !*chosen && org_code_eq(code, r->code)) {
			o[i].selected = 1;
			*chosen = r;
			const struct org *up = r->kind == ORG_UNIT ? org_by_id(t, r->parent_id) : NULL;
			*dept = up ? arena_strdup(p->a, up->code) : NULL;
		}
	}
	free(items);
	v->orgs = o;
	v->norgs = n;
	return 0;
}

static void contacts(struct page *p, const struct guide *g, const struct org *o,
		     const char *dept, struct guide_view *v)
{
	struct intake_recipient *r = arena_alloc(p->a, MAX_PEOPLE * sizeof *r);
	size_t n = 0;
	if (intake_recipients(p->db, o->code, r, MAX_PEOPLE, &n) != 0) {
		log_error("guide: contacts of an organisation: %s", db_error(p->db)->msg);
		n = 0;
	}
	struct gv_contact *people = arena_alloc(p->a, (n ? n : 1) * sizeof *people);
	for (size_t i = 0; i < n; i++) {
		const char *role = page_tr(p, role_label((enum role)r[i].role));
		people[i] = (struct gv_contact){
			.name = arena_strdup(p->a, r[i].display_name),
			.role = org_code_eq(r[i].org_code, o->code)
					? role
					: arena_printf(p->a, "%s (%s)", role, r[i].org_code),
		};
	}
	v->people = people;
	v->npeople = n;
	const struct guide_contact *c[GUIDE_MAX_CONTACTS];
	size_t nc = guide_contacts_for(g, o->code, dept, c, GUIDE_MAX_CONTACTS);
	struct gv_contact *others = arena_alloc(p->a, (nc ? nc : 1) * sizeof *others);
	for (size_t i = 0; i < nc; i++)
		others[i] = (struct gv_contact){.name = tx(p, &c[i]->name), .note = tx(p, &c[i]->note),
						.phone = c[i]->phone, .email = c[i]->email,
						.url = c[i]->url};
	v->others = others;
	v->nothers = nc;
}

/* The data file's contacts for every organisation, before one is chosen. */
static void general_contacts(struct page *p, const struct guide *g, struct guide_view *v)
{
	const struct guide_contact *c[GUIDE_MAX_CONTACTS];
	size_t nc = guide_contacts_for(g, NULL, NULL, c, GUIDE_MAX_CONTACTS);
	struct gv_contact *others = arena_alloc(p->a, (nc ? nc : 1) * sizeof *others);
	for (size_t i = 0; i < nc; i++)
		others[i] = (struct gv_contact){.name = tx(p, &c[i]->name), .note = tx(p, &c[i]->note),
						.phone = c[i]->phone, .email = c[i]->email,
						.url = c[i]->url};
	v->others = others;
	v->nothers = nc;
}

void guide_page_received(struct page *p)
{
	const struct guide *g = guide_find(GUIDE_RECEIVED);
	if (!g) {
		page_fail(p, 500, "This page is not available right now.");
		return;
	}
	struct guide_view v = {.title = tx(p, &g->title), .intro = tx(p, &g->intro)};
	struct gv_section *s = arena_alloc(p->a, g->nsections * sizeof *s);
	for (size_t i = 0; i < g->nsections; i++) {
		struct gv_item *it = arena_alloc(p->a, g->sections[i].nitems * sizeof *it);
		for (size_t k = 0; k < g->sections[i].nitems; k++)
			it[k] = (struct gv_item){tx(p, &g->sections[i].items[k].title),
						 tx(p, &g->sections[i].items[k].text)};
		s[i] = (struct gv_section){g->sections[i].id, tx(p, &g->sections[i].title), it,
					   g->sections[i].nitems};
	}
	v.sections = s;
	v.nsections = g->nsections;
	const char *code = http_query(p->req, "org");
	if (code && !*code)
		code = NULL;
	/* a code is at most 24 bytes: anything longer names nothing */
	if (code && strlen(code) > ORG_CODE_MAX)
		code = "";
	struct org_table t;
	const struct org *chosen = NULL;
	const char *dept = NULL;
	org_table_init(&t);
	if (org_list(p, code, &v, &chosen, &dept, &t) != 0) {
		org_table_free(&t);
		log_error("guide: organisations: %s", db_error(p->db)->msg);
		page_fail(p, 503, "The page cannot be shown right now. Please try again later.");
		return;
	}
	if (chosen) {
		v.org_name = arena_strdup(p->a, chosen->name);
		contacts(p, g, chosen, dept, &v);
	} else {
		if (code) {
			v.org_error = page_tr(p, "No organisation has that code today. Choose yours from the list.");
			p->res->status = 404;
		}
		general_contacts(p, g, &v);
	}
	org_table_free(&t);
	v.may_register = p->viewer && (p->viewer->roles & (role_mask(ROLE_MANAGER) |
							    role_mask(ROLE_CONFIDENTIAL_ADVISER)));
	page_begin(p, v.title);
	tmpl_guide_guide(&p->res->body, &p->t, &v);
	page_end(p);
}
