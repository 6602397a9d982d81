/* pages_meetings.c: IPIM's meetings (pages.h): the list, a meeting with its
 * agenda and decisions, and the forms of the coordinator and IPIM members
 * for meetings, agenda items (with their links to recommendations and
 * policy items) and decisions. Routes:
 *
 *   GET  /ipim                                   GET /ipim/vergaderingen/{id}
 *   GET  /ipim/vergaderingen/nieuw               POST /ipim/vergaderingen
 *   GET  /ipim/vergaderingen/{id}/bewerken       POST /ipim/vergaderingen/{id}
 *   GET  /ipim/vergaderingen/{id}/agendapunten/nieuw  POST .../agendapunten
 *   GET  /ipim/agendapunten/{id}/bewerken        POST /ipim/agendapunten/{id}
 *   GET  /ipim/agendapunten/{id}/besluiten/nieuw POST .../besluiten
 *   GET  /ipim/besluiten/{id}/bewerken           POST /ipim/besluiten/{id} */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "base/log.h"
#include "base/num.h"
#include "ipim/ipim.h"
#include "ipim/pages.h"
#include "ipim/views.h"
#include "ipim_tmpl.h"
#include "recs/pages.h"
#include "recs/policy.h"
#include "recs/recs.h"
#include "web/i18n.h"
#include "web/page.h"

/* Who changes meetings: the roles of the route; the pages ask it again to
 * show or hide the links. */
static int editor(const struct page *p)
{
	return p->viewer && (p->viewer->roles & (role_mask(ROLE_COORDINATOR) |
						 role_mask(ROLE_IPIM_MEMBER))) != 0;
}

static const char *meeting_href(struct page *p, int64_t id, const char *rest)
{
	return arena_printf(p->a, "/ipim/vergaderingen/%lld%s", (long long)id, rest);
}

static void fail_page(struct page *p, const struct ipim_error *e)
{
	if (e->code == IPIM_ENOTFOUND) {
		page_fail(p, 404, e->msgid ? e->msgid : "There is no such page.");
		return;
	}
	log_error("ipim: %s", e->detail);
	page_fail(p, 503, "IPIM cannot be read or changed at the moment. Try again later.");
}

/* A refused save: 1 with *msg when the form comes back with it, else the
 * page is answered and 0. */
static int refused(struct page *p, const struct ipim_error *e, const char **msg)
{
	if (e->code == IPIM_EINVALID || e->code == IPIM_EFULL) {
		*msg = page_tr(p, e->msgid ? e->msgid : N_("The form could not be saved."));
		return 1;
	}
	fail_page(p, e);
	return 0;
}

/* ---- GET /ipim ---- */

void ipim_page_index(struct page *p)
{
	struct ipim_error e;
	struct ipim_meeting *m;
	size_t n;
	if (ipim_meeting_list(p->db, p->a, &m, &n, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	struct ipimv_meeting_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct ipimv_meeting_row){meeting_href(p, m[i].id, ""), m[i].held_on,
						     m[i].title, m[i].place};
	struct ipimv_link actions[] = {{"/ipim/vergaderingen/nieuw", page_tr(p, "Add a meeting")}};
	struct ipim_index_view v = {
		.notice = recs_saved_notice(p),
		.rows = rows,
		.nrows = n,
		.actions = actions,
		.nactions = editor(p) ? 1 : 0,
	};
	page_begin(p, page_tr(p, "IPIM"));
	tmpl_ipim_index(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- GET /ipim/vergaderingen/{id} ---- */

void ipim_page_meeting(struct page *p)
{
	struct ipim_error e;
	struct ipim_meeting m;
	struct ipim_item *items;
	size_t n;
	if (ipim_meeting_get(p->db, p->params[0], &m, &e) != 0 ||
	    ipim_item_list(p->db, p->a, m.id, &items, &n, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	int ed = editor(p);
	struct ipimv_item *iv = arena_alloc(p->a, (n ? n : 1) * sizeof *iv);
	for (size_t i = 0; i < n; i++) {
		const struct ipim_item *it = &items[i];
		struct ipim_decision *d;
		size_t nd;
		if (ipim_decision_list(p->db, p->a, it->id, &d, &nd, &e) != 0) {
			fail_page(p, &e);
			return;
		}
		struct ipimv_link *rl = arena_alloc(p->a, (it->nrecs + 1) * sizeof *rl);
		for (size_t k = 0; k < it->nrecs; k++)
			rl[k] = (struct ipimv_link){arena_printf(p->a, "/aanbevelingen/%lld",
								 (long long)it->recs[k].id),
						    arena_printf(p->a, "%s", it->recs[k].label)};
		struct ipimv_link *pl = arena_alloc(p->a, (it->npolicies + 1) * sizeof *pl);
		for (size_t k = 0; k < it->npolicies; k++)
			pl[k] = (struct ipimv_link){arena_printf(p->a, "/beleid/%lld",
								 (long long)it->policies[k].id),
						    arena_printf(p->a, "%s", it->policies[k].label)};
		struct ipimv_decision *dv = arena_alloc(p->a, (nd ? nd : 1) * sizeof *dv);
		for (size_t k = 0; k < nd; k++)
			dv[k] = (struct ipimv_decision){
				d[k].text, d[k].owner, *d[k].due_on ? d[k].due_on : "\xe2\x80\x94",
				page_tr(p, d[k].status == IPIM_DONE ? N_("done") : N_("open")),
				ed ? arena_printf(p->a, "/ipim/besluiten/%lld/bewerken", (long long)d[k].id)
				   : NULL};
		struct ipimv_link *act = arena_alloc(p->a, 2 * sizeof *act);
		act[0] = (struct ipimv_link){arena_printf(p->a, "/ipim/agendapunten/%lld/bewerken",
							  (long long)it->id),
					     page_tr(p, "Edit the agenda item")};
		act[1] = (struct ipimv_link){arena_printf(p->a, "/ipim/agendapunten/%lld/besluiten/nieuw",
							  (long long)it->id),
					     page_tr(p, "Record a decision")};
		iv[i] = (struct ipimv_item){arena_printf(p->a, "item-%lld", (long long)it->id),
					    it->title, it->note, rl, it->nrecs, pl, it->npolicies,
					    dv, nd, act, ed ? 2 : 0, it->pos};
	}
	struct ipimv_link actions[] = {
		{meeting_href(p, m.id, "/bewerken"), page_tr(p, "Edit the meeting")},
		{meeting_href(p, m.id, "/agendapunten/nieuw"), page_tr(p, "Add an agenda item")}};
	struct ipim_meeting_view v = {
		.title = m.title,
		.notice = recs_saved_notice(p),
		.date = m.held_on,
		.place = m.place,
		.minutes = m.minutes,
		.items = iv,
		.nitems = n,
		.actions = actions,
		.nactions = ed ? 2 : 0,
	};
	page_begin(p, m.title);
	tmpl_ipim_meeting(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- a meeting's form ---- */

static void meeting_show(struct page *p, const struct ipim_meeting *m, int status, const char *err)
{
	struct recs_fb b = {.p = p};
	recs_fb_set(&b, N_("The meeting"), NULL);
	recs_fb_add(&b, RECV_DATE, "held_on", N_("Date"), m->held_on)->required = 1;
	struct recv_field *f = recs_fb_add(&b, RECV_TEXT, "title", N_("Title"), m->title);
	f->maxlength = IPIM_TITLE_MAX;
	f->required = 1;
	f = recs_fb_add(&b, RECV_TEXT, "place", N_("Place"), m->place);
	f->maxlength = IPIM_PLACE_MAX;
	f->required = 1;
	f->hint = page_tr(p, "Where the meeting is held, or online.");
	f = recs_fb_add(&b, RECV_TEXTAREA, "minutes", N_("Summary of the minutes"), m->minutes);
	f->maxlength = IPIM_MINUTES_MAX;
	f->hint = page_tr(p, "Optional. At most 8,000 characters. Every reader of IPIM sees it: name no persons and no cases.");
	recs_fb_show(&b, status, page_tr(p, m->id ? N_("Edit a meeting") : N_("Add a meeting")), NULL,
		     m->id ? meeting_href(p, m->id, "") : "/ipim/vergaderingen", err,
		     m->id ? meeting_href(p, m->id, "") : "/ipim",
		     m->id ? N_("Back to the meeting") : N_("Back to IPIM"));
}

void ipim_page_meeting_new(struct page *p)
{
	struct ipim_meeting *m = arena_alloc(p->a, sizeof *m);
	meeting_show(p, m, 200, NULL);
}

void ipim_page_meeting_edit(struct page *p)
{
	struct ipim_error e;
	struct ipim_meeting *m = arena_alloc(p->a, sizeof *m);
	if (ipim_meeting_get(p->db, p->params[0], m, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	meeting_show(p, m, 200, NULL);
}

static void meeting_post(struct page *p, int64_t id)
{
	struct ipim_error e;
	struct ipim_meeting *m = arena_alloc(p->a, sizeof *m);
	const char *err = NULL;
	char today[DATE_LEN + 1];
	m->id = id;
	if (recs_take(p, "held_on", m->held_on, sizeof m->held_on) |
	    recs_take(p, "title", m->title, sizeof m->title) |
	    recs_take(p, "place", m->place, sizeof m->place) |
	    recs_take(p, "minutes", m->minutes, sizeof m->minutes))
		err = page_tr(p, "A field is longer than it may be: the title and the place at most 200 characters, the minutes 8,000, the date YYYY-MM-DD.");
	if (!err) {
		date_today(today);
		if (ipim_meeting_save(p->db, p->signer, p->viewer->account.id, m, today, &e) == 0) {
			page_redirect(p, meeting_href(p, m->id, "?opgeslagen=1"));
			return;
		}
		if (!refused(p, &e, &err))
			return;
	}
	meeting_show(p, m, 422, err);
}

void ipim_page_meeting_add(struct page *p)
{
	meeting_post(p, 0);
}

void ipim_page_meeting_update(struct page *p)
{
	meeting_post(p, p->params[0]);
}

/* ---- an agenda item's form ---- */

/* The recommendations and policy items to link, the item's own checked. */
static int item_show(struct page *p, const struct ipim_item *it, int status, const char *err)
{
	struct recs_error re;
	struct recs_rec *recs;
	struct policy_item *pol;
	size_t nr, np;
	if (recs_rec_list(p->db, p->a, 0, &recs, &nr, &re) != 0 ||
	    policy_item_list(p->db, p->a, &pol, &np, &re) != 0) {
		recs_fail_page(p, &re);
		return -1;
	}
	struct recs_fb b = {.p = p};
	recs_fb_set(&b, N_("The agenda item"), NULL);
	struct recv_field *f = recs_fb_add(&b, RECV_TEXT, "title", N_("Title"), it->title);
	f->maxlength = IPIM_TITLE_MAX;
	f->required = 1;
	f = recs_fb_add(&b, RECV_TEXTAREA, "note", N_("Note"), it->note);
	f->maxlength = IPIM_NOTE_MAX;
	f->hint = page_tr(p, "Optional. At most 4,000 characters.");
	recs_fb_set(&b, N_("Links"), N_("The recommendations and policy items this item discusses: at most 16 of each."));
	struct recv_option *o = recs_options(p, nr);
	for (size_t i = 0; i < nr; i++) {
		int on = 0;
		for (size_t k = 0; k < it->nrecs; k++)
			on |= it->recs[k].id == recs[i].id;
		o[i] = (struct recv_option){arena_printf(p->a, "%lld", (long long)recs[i].id),
					    arena_printf(p->a, "%s: %s", recs[i].number,
							 recs_excerpt(p, recs[i].text, 80)),
					    on};
	}
	recs_fb_choice(&b, RECV_CHECKS, "rec", N_("Recommendations"), o, nr);
	o = recs_options(p, np);
	for (size_t i = 0; i < np; i++) {
		int on = 0;
		for (size_t k = 0; k < it->npolicies; k++)
			on |= it->policies[k].id == pol[i].id;
		o[i] = (struct recv_option){arena_printf(p->a, "%lld", (long long)pol[i].id),
					    pol[i].title, on};
	}
	recs_fb_choice(&b, RECV_CHECKS, "policy", N_("Policy items"), o, np);
	const char *back = meeting_href(p, it->meeting_id, "");
	recs_fb_show(&b, status,
		     page_tr(p, it->id ? N_("Edit an agenda item") : N_("Add an agenda item")), NULL,
		     it->id ? arena_printf(p->a, "/ipim/agendapunten/%lld", (long long)it->id)
			    : meeting_href(p, it->meeting_id, "/agendapunten"),
		     err, back, N_("Back to the meeting"));
	return 0;
}

/* Reads the form into it: NULL, or why it cannot be taken. */
static const char *item_read(struct page *p, struct ipim_item *it)
{
	const char *err = NULL;
	if (recs_take(p, "title", it->title, sizeof it->title) |
	    recs_take(p, "note", it->note, sizeof it->note))
		err = page_tr(p, "A field is longer than it may be: the title at most 200 characters, the note 4,000.");
	it->nrecs = it->npolicies = 0;
	for (size_t i = 0; i < p->form.n; i++) {
		const char *name = p->form.fields[i].name;
		int rec = strcmp(name, "rec") == 0;
		if (!rec && strcmp(name, "policy") != 0)
			continue;
		int64_t id;
		size_t *n = rec ? &it->nrecs : &it->npolicies;
		if (num_parse_i64z(p->form.fields[i].value, 1, INT64_MAX, &id) != 0) {
			err = page_tr(p, "Choose from the lists.");
			continue;
		}
		if (*n >= IPIM_LINKS_MAX) {
			err = page_tr(p, "Link at most 16 recommendations and 16 policy items to one agenda item.");
			continue;
		}
		(rec ? it->recs : it->policies)[(*n)++].id = id;
	}
	return err;
}

static void item_post(struct page *p, struct ipim_item *it)
{
	struct ipim_error e;
	const char *err = item_read(p, it);
	if (!err) {
		if (ipim_item_save(p->db, p->signer, p->viewer->account.id, it, &e) == 0) {
			page_redirect(p, meeting_href(p, it->meeting_id,
						      arena_printf(p->a, "?opgeslagen=1#item-%lld",
								   (long long)it->id)));
			return;
		}
		if (!refused(p, &e, &err))
			return;
	}
	item_show(p, it, 422, err);
}

void ipim_page_item_new(struct page *p)
{
	struct ipim_error e;
	struct ipim_meeting m;
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	if (ipim_meeting_get(p->db, p->params[0], &m, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	it->meeting_id = m.id;
	item_show(p, it, 200, NULL);
}

void ipim_page_item_add(struct page *p)
{
	struct ipim_error e;
	struct ipim_meeting m;
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	if (ipim_meeting_get(p->db, p->params[0], &m, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	it->meeting_id = m.id;
	item_post(p, it);
}

void ipim_page_item_edit(struct page *p)
{
	struct ipim_error e;
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	if (ipim_item_get(p->db, p->params[0], it, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	item_show(p, it, 200, NULL);
}

void ipim_page_item_update(struct page *p)
{
	struct ipim_error e;
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	if (ipim_item_get(p->db, p->params[0], it, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	item_post(p, it);
}

/* ---- a decision's form ---- */

static void decision_show(struct page *p, const struct ipim_item *it,
			  const struct ipim_decision *d, int status, const char *err)
{
	struct recs_fb b = {.p = p};
	recs_fb_set(&b, N_("The decision"), NULL);
	struct recv_field *f = recs_fb_add(&b, RECV_TEXTAREA, "text", N_("Decision"), d->text);
	f->maxlength = IPIM_NOTE_MAX;
	f = recs_fb_add(&b, RECV_TEXT, "owner", N_("Follow-up by"), d->owner);
	f->maxlength = IPIM_OWNER_MAX;
	f->required = 1;
	f->hint = page_tr(p, "A role or a department, for example the coordinator or FIN. Never a person's name, e-mail address or phone number.");
	recs_fb_add(&b, RECV_DATE, "due_on", N_("Due"), d->due_on)->hint =
		page_tr(p, "Optional.");
	struct recv_option *o = recs_options(p, 2);
	o[0] = (struct recv_option){"open", page_tr(p, "open"), d->status == IPIM_OPEN};
	o[1] = (struct recv_option){"done", page_tr(p, "done"), d->status == IPIM_DONE};
	recs_fb_choice(&b, RECV_SELECT, "status", N_("Status"), o, 2);
	recs_fb_show(&b, status,
		     page_tr1(p, d->id ? N_("Change a decision on {}") : N_("Record a decision on {}"),
			      it->title),
		     NULL,
		     d->id ? arena_printf(p->a, "/ipim/besluiten/%lld", (long long)d->id)
			   : arena_printf(p->a, "/ipim/agendapunten/%lld/besluiten", (long long)it->id),
		     err, meeting_href(p, it->meeting_id, ""), N_("Back to the meeting"));
}

static void decision_post(struct page *p, const struct ipim_item *it, struct ipim_decision *d)
{
	struct ipim_error e;
	const char *err = NULL;
	if (recs_take(p, "text", d->text, sizeof d->text) |
	    recs_take(p, "owner", d->owner, sizeof d->owner) |
	    recs_take(p, "due_on", d->due_on, sizeof d->due_on))
		err = page_tr(p, "A field is longer than it may be: the decision at most 4,000 characters, who follows it up 200.");
	if (ipim_status_parse(recs_field(p, "status"), &d->status) != 0)
		err = page_tr(p, "Choose open or done.");
	if (!err) {
		if (ipim_decision_save(p->db, p->signer, p->viewer->account.id, d, &e) == 0) {
			page_redirect(p, meeting_href(p, it->meeting_id,
						      arena_printf(p->a, "?opgeslagen=1#item-%lld",
								   (long long)it->id)));
			return;
		}
		if (!refused(p, &e, &err))
			return;
	}
	decision_show(p, it, d, 422, err);
}

void ipim_page_decision_new(struct page *p)
{
	struct ipim_error e;
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	struct ipim_decision *d = arena_alloc(p->a, sizeof *d);
	if (ipim_item_get(p->db, p->params[0], it, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	d->item_id = it->id;
	decision_show(p, it, d, 200, NULL);
}

void ipim_page_decision_add(struct page *p)
{
	struct ipim_error e;
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	struct ipim_decision *d = arena_alloc(p->a, sizeof *d);
	if (ipim_item_get(p->db, p->params[0], it, &e) != 0) {
		fail_page(p, &e);
		return;
	}
	d->item_id = it->id;
	decision_post(p, it, d);
}

/* The decision of the path and its agenda item: 0, or answered. */
static int decision_target(struct page *p, struct ipim_item *it, struct ipim_decision *d)
{
	struct ipim_error e;
	if (ipim_decision_get(p->db, p->params[0], d, &e) != 0 ||
	    ipim_item_get(p->db, d->item_id, it, &e) != 0) {
		fail_page(p, &e);
		return -1;
	}
	return 0;
}

void ipim_page_decision_edit(struct page *p)
{
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	struct ipim_decision *d = arena_alloc(p->a, sizeof *d);
	if (decision_target(p, it, d) == 0)
		decision_show(p, it, d, 200, NULL);
}

void ipim_page_decision_update(struct page *p)
{
	struct ipim_item *it = arena_alloc(p->a, sizeof *it);
	struct ipim_decision *d = arena_alloc(p->a, sizeof *d);
	if (decision_target(p, it, d) == 0)
		decision_post(p, it, d);
}
