/* pages_practices.c: the good-practice library (pages.h): the search every
 * reader of IPIM may make, and the forms of a practice. Routes:
 *
 *   GET  /ipim/praktijken?q=&thema=&ministerie=&pagina=
 *   GET  /ipim/praktijken/nieuw             POST /ipim/praktijken
 *   GET  /ipim/praktijken/{id}/bewerken     POST /ipim/praktijken/{id}
 *
 * Who may choose which department (the one rule, practice_depts): an
 * integrity coordinator, and an IPIM member appointed at a department, its
 * own departments; the coordinator and IPIM members at the government
 * every department in their scope. A practice of a department the
 * viewer may not choose answers 404 on its forms, and nothing is written.
 * Who sees which (scope_shared_with): every department but one outside the
 * coordinator's scope (Defence), whose practices only its own people see. */
#include <stdio.h>
#include <string.h>

#include "accounts/scope.h"
#include "accounts/viewer.h"
#include "base/date.h"
#include "base/log.h"
#include "base/num.h"
#include "ipim/ipim.h"
#include "ipim/pages.h"
#include "ipim/views.h"
#include "ipim_tmpl.h"
#include "recs/pages.h"
#include "web/i18n.h"
#include "web/page.h"

/* The departments v may add practices for, into *out. 0 or -1. */
static int practice_depts(struct page *p, struct scope *out)
{
	struct scope own, co;
	/* an IPIM member appointed at a department speaks for it, as its
	 * integrity coordinator does; one at the government for all in scope */
	if (scope_own(p->db, p->viewer,
		      role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_IPIM_MEMBER), &own) != 0 ||
	    scope_coordinated(p->db, p->viewer,
			      role_mask(ROLE_COORDINATOR) | role_mask(ROLE_IPIM_MEMBER), &co) != 0)
		return -1;
	*out = co;
	for (size_t i = 0; i < own.n && out->n < SCOPE_MAX; i++)
		if (!scope_find(out, own.dept[i].id))
			out->dept[out->n++] = own.dept[i];
	return 0;
}

static void unavailable(struct page *p)
{
	log_error("ipim: scope: %s", db_error(p->db)->msg);
	page_fail(p, 503, "The good-practice library cannot be read at the moment. Try again later.");
}

/* %-encodes s for a query string. */
static const char *qenc(struct page *p, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = arena_alloc(p->a, 3 * strlen(s) + 1), *w = o;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("-._~", *c)) {
			*w++ = (char)*c;
		} else {
			*w++ = '%';
			*w++ = hex[*c >> 4];
			*w++ = hex[*c & 15];
		}
	}
	*w = '\0';
	return o;
}

/* ---- GET /ipim/praktijken ---- */

void ipim_page_practices(struct page *p)
{
	struct scope vis, mine;
	struct ipim_error e;
	struct ipim_practice *rows = NULL;
	size_t n = 0;
	int64_t total = 0, page_no = 0;
	const char *err = NULL;
	const char *q = http_query(p->req, "q"), *theme = http_query(p->req, "thema"),
		   *dept = http_query(p->req, "ministerie"), *pg = http_query(p->req, "pagina");
	q = q ? q : "";
	theme = theme ? theme : "";
	dept = dept ? dept : "";
	if (scope_shared_with(p->db, p->viewer, &vis) != 0 || practice_depts(p, &mine) != 0) {
		unavailable(p);
		return;
	}
	int64_t org = 0;
	if (*dept) {
		for (size_t i = 0; i < vis.n; i++)
			if (strcmp(vis.dept[i].code, dept) == 0)
				org = vis.dept[i].id;
		if (!org)
			err = page_tr(p, "Choose the department from the list.");
	}
	if (*theme && !ipim_theme_ok(theme))
		err = page_tr(p, "Choose the theme from the list.");
	if (strlen(q) > IPIM_QUERY_MAX)
		err = page_tr(p, "Search for at most 200 characters.");
	if (pg && num_parse_i64z(pg, 1, IPIM_PRACTICES_MAX / IPIM_PAGE + 1, &page_no) != 0)
		err = page_tr(p, "There is no such page of results.");
	if (!err) {
		int64_t ids[SCOPE_MAX];
		for (size_t i = 0; i < vis.n; i++)
			ids[i] = vis.dept[i].id;
		struct ipim_search s = {q, theme, org, ids, vis.n, page_no ? (int)page_no - 1 : 0};
		if (ipim_practice_search(p->db, p->a, &s, &rows, &n, &total, &e) != 0) {
			if (e.code != IPIM_EINVALID) {
				log_error("ipim: search: %s", e.detail);
				page_fail(p, 503, "The good-practice library cannot be read at the moment. Try again later.");
				return;
			}
			err = page_tr(p, e.msgid);
		}
	}
	struct ipimv_option *th = arena_alloc(p->a, (IPIM_NTHEMES + 1) * sizeof *th);
	th[0] = (struct ipimv_option){"", page_tr(p, "(every theme)"), !*theme};
	for (size_t i = 0; i < IPIM_NTHEMES; i++)
		th[i + 1] = (struct ipimv_option){ipim_themes[i],
						  page_tr(p, ipim_theme_label(ipim_themes[i])),
						  strcmp(theme, ipim_themes[i]) == 0};
	struct ipimv_option *dp = arena_alloc(p->a, (vis.n + 1) * sizeof *dp);
	dp[0] = (struct ipimv_option){"", page_tr(p, "(every department)"), !org};
	for (size_t i = 0; i < vis.n; i++)
		dp[i + 1] = (struct ipimv_option){vis.dept[i].code,
						  arena_printf(p->a, "%s (%s)", vis.dept[i].name,
							       vis.dept[i].code),
						  vis.dept[i].id == org};
	struct ipimv_practice *pv = arena_alloc(p->a, (n ? n : 1) * sizeof *pv);
	for (size_t i = 0; i < n; i++)
		pv[i] = (struct ipimv_practice){
			rows[i].title, rows[i].org_code, page_tr(p, ipim_theme_label(rows[i].theme)),
			rows[i].practised_on, rows[i].contact, rows[i].description,
			scope_find(&mine, rows[i].org_id)
				? arena_printf(p->a, "/ipim/praktijken/%lld/bewerken", (long long)rows[i].id)
				: NULL};
	int cur = page_no ? (int)page_no : 1;
	const char *base = arena_printf(p->a, "/ipim/praktijken?q=%s&thema=%s&ministerie=%s&pagina=",
					qenc(p, q), qenc(p, theme), qenc(p, dept));
	struct ipimv_link actions[] = {{"/ipim/praktijken/nieuw", page_tr(p, "Share a practice")}};
	struct ipim_practices_view v = {
		.notice = recs_saved_notice(p),
		.error = err,
		.q = q,
		.themes = th,
		.nthemes = IPIM_NTHEMES + 1,
		.depts = dp,
		.ndepts = vis.n + 1,
		.summary = err ? page_tr(p, "No search made.")
			       : page_tr1(p, "Practices found: {}",
					  arena_printf(p->a, "%lld", (long long)total)),
		.rows = pv,
		.nrows = n,
		.prev_href = !err && cur > 1 ? arena_printf(p->a, "%s%d", base, cur - 1) : NULL,
		.next_href = !err && (int64_t)cur * IPIM_PAGE < total
				     ? arena_printf(p->a, "%s%d", base, cur + 1)
				     : NULL,
		.actions = actions,
		.nactions = mine.n ? 1 : 0,
	};
	page_begin(p, page_tr(p, "Good practices"));
	p->res->status = err ? 422 : 200;
	tmpl_ipim_practices(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- a practice's form ---- */

static void practice_show(struct page *p, const struct scope *mine, const struct ipim_practice *pr,
			  int status, const char *err)
{
	struct recs_fb b = {.p = p};
	recs_fb_set(&b, N_("The practice"), NULL);
	struct recv_option *o = recs_options(p, mine->n);
	for (size_t i = 0; i < mine->n; i++)
		o[i] = (struct recv_option){arena_printf(p->a, "%lld", (long long)mine->dept[i].id),
					    arena_printf(p->a, "%s (%s)", mine->dept[i].name,
							 mine->dept[i].code),
					    mine->dept[i].id == pr->org_id};
	recs_fb_choice(&b, RECV_SELECT, "dept", N_("Department"), o, mine->n);
	struct recv_option *t = recs_options(p, IPIM_NTHEMES);
	for (size_t i = 0; i < IPIM_NTHEMES; i++)
		t[i] = (struct recv_option){ipim_themes[i], page_tr(p, ipim_theme_label(ipim_themes[i])),
					    strcmp(pr->theme, ipim_themes[i]) == 0};
	recs_fb_choice(&b, RECV_SELECT, "theme", N_("Theme"), t, IPIM_NTHEMES)->hint =
		page_tr(p, "The themes of the Gedragscode Integriteit Rijk 2019.");
	struct recv_field *f = recs_fb_add(&b, RECV_TEXT, "title", N_("Title"), pr->title);
	f->maxlength = IPIM_TITLE_MAX;
	f->required = 1;
	f = recs_fb_add(&b, RECV_TEXTAREA, "description", N_("Description"), pr->description);
	f->maxlength = IPIM_DESC_MAX;
	f->hint = page_tr(p, "What the department does and what it brought. At most 8,000 characters. Every department can read it: name no persons and no cases.");
	f = recs_fb_add(&b, RECV_TEXT, "contact", N_("Contact role"), pr->contact);
	f->maxlength = IPIM_CONTACT_MAX;
	f->required = 1;
	f->hint = page_tr(p, "A role, for example the integrity coordinator of FIN. Never a person's name, e-mail address or phone number: people change jobs, roles stay.");
	recs_fb_add(&b, RECV_DATE, "practised_on", N_("In use since"), pr->practised_on)->required = 1;
	recs_fb_show(&b, status, page_tr(p, pr->id ? N_("Change a practice") : N_("Share a practice")),
		     NULL,
		     pr->id ? arena_printf(p->a, "/ipim/praktijken/%lld", (long long)pr->id)
			    : "/ipim/praktijken",
		     err, "/ipim/praktijken", N_("Back to the good practices"));
}

/* The departments the viewer may choose, and for an existing practice the
 * practice if it is one of theirs: 0, or answered (403 none at all, 404
 * another department's practice or none). */
static int practice_target(struct page *p, struct scope *mine, struct ipim_practice *pr)
{
	struct ipim_error e;
	if (practice_depts(p, mine) != 0) {
		unavailable(p);
		return -1;
	}
	if (mine->n == 0) {
		page_fail(p, 403, "You share practices for no department.");
		return -1;
	}
	if (!p->params[0])
		return 0;
	if (ipim_practice_get(p->db, p->params[0], pr, &e) != 0 || !scope_find(mine, pr->org_id)) {
		if (e.code == IPIM_EDB) {
			unavailable(p);
			return -1;
		}
		page_fail(p, 404, "There is no practice here that you can change.");
		return -1;
	}
	return 0;
}

static void practice_form(struct page *p)
{
	struct scope mine;
	struct ipim_practice *pr = arena_alloc(p->a, sizeof *pr);
	if (practice_target(p, &mine, pr) != 0)
		return;
	if (!pr->id)
		date_today(pr->practised_on);
	practice_show(p, &mine, pr, 200, NULL);
}

void ipim_page_practice_new(struct page *p)
{
	practice_form(p);
}

void ipim_page_practice_edit(struct page *p)
{
	practice_form(p);
}

static void practice_post(struct page *p)
{
	struct scope mine;
	struct ipim_error e;
	struct ipim_practice *pr = arena_alloc(p->a, sizeof *pr);
	const char *err = NULL;
	char today[DATE_LEN + 1];
	if (practice_target(p, &mine, pr) != 0)
		return;
	if (recs_take(p, "theme", pr->theme, sizeof pr->theme) |
	    recs_take(p, "title", pr->title, sizeof pr->title) |
	    recs_take(p, "description", pr->description, sizeof pr->description) |
	    recs_take(p, "contact", pr->contact, sizeof pr->contact) |
	    recs_take(p, "practised_on", pr->practised_on, sizeof pr->practised_on))
		err = page_tr(p, "A field is longer than it may be: the title and the contact role at most 200 characters, the description 8,000.");
	int64_t org = 0;
	if (num_parse_i64z(recs_field(p, "dept"), 1, INT64_MAX, &org) != 0) {
		err = page_tr(p, "Choose the department from the list.");
	} else if (!scope_find(&mine, org)) {
		/* another department's: as if it did not exist, and nothing is
		 * written */
		page_fail(p, 404, "There is no such department among yours.");
		return;
	}
	pr->org_id = org;
	if (!err) {
		date_today(today);
		if (ipim_practice_save(p->db, p->signer, p->viewer->account.id, pr, today, &e) == 0) {
			page_redirect(p, arena_printf(p->a, "/ipim/praktijken?ministerie=%s&opgeslagen=1",
						      qenc(p, scope_find(&mine, org)->code)));
			return;
		}
		if (e.code == IPIM_ENOTFOUND) {
			page_fail(p, 404, e.msgid);
			return;
		}
		if (e.code != IPIM_EINVALID && e.code != IPIM_EFULL) {
			log_error("ipim: practice: %s", e.detail);
			page_fail(p, 503, "The good-practice library cannot be changed at the moment. Try again later.");
			return;
		}
		err = page_tr(p, e.msgid);
	}
	practice_show(p, &mine, pr, 422, err);
}

void ipim_page_practice_add(struct page *p)
{
	practice_post(p);
}

void ipim_page_practice_update(struct page *p)
{
	practice_post(p);
}
