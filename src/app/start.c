/* start.c: where each role lands after signing in, the language switch, the
 * health check and the accessibility statement. */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "app/pages.h"
#include "app/routes.h"
#include "app/views.h"
#include "base/date.h"
#include "orgs/orgs.h"
#include "pages_tmpl.h"
#include "web/i18n.h"

/* What each role's start page says; the paths are the routes of routes.c.
 * The order is the order of work, staff roles first and reporter last: /start
 * sends someone who holds several roles to the first one they hold, and an
 * integrity coordinator who once made a report must land on their work, not
 * on the reporter's page (a report is followed with its receipt code, not the
 * account, so the reporter's page has little to show). The enum's order in
 * accounts.h is the domain's listing and stays as it is: roles are stored by
 * name, and this table alone decides the landing. */
static const struct {
	enum role role;
	const char *path;
	const char *intro;
} starts[] = {
	{ROLE_INTEGRITY_COORDINATOR, "/start/integrity-coordinator",
	 N_("Here you will handle your department's reports and cases, with their legal deadlines.")},
	{ROLE_CONFIDENTIAL_ADVISER, "/start/confidential-adviser",
	 N_("Here you will register what people tell you in confidence, and follow the reports you handle.")},
	{ROLE_MANAGER, "/start/manager",
	 N_("Here you will register, step by step, a report an employee makes to you in person.")},
	{ROLE_INVESTIGATOR, "/start/investigator",
	 N_("Here you will work on the cases assigned to you, following the investigation protocol.")},
	{ROLE_COMPETENT_AUTHORITY, "/start/competent-authority",
	 N_("Here you will decide on measures, from the case summaries put before you.")},
	{ROLE_COORDINATOR, "/start/coordinator",
	 N_("Here you will see how the integrity policy works across departments: figures only, never a case.")},
	{ROLE_AUDITOR, "/start/auditor",
	 N_("Here you will check the design, existence and operation of the integrity system: the self-assessments, risk registers, monitoring figures, annual reports, culture indicators, recommendations, policy cycle and IPIM of the departments you audit. The audit trail itself is checked on the server with the probity command.")},
	{ROLE_IPIM_MEMBER, "/start/ipim-member",
	 N_("Here you will share good practice with other departments and discuss recommendations.")},
	{ROLE_ADMINISTRATOR, "/start/administrator",
	 N_("Accounts, roles, organisations and keys are managed on the server with the probity command: adding a user, giving or taking away a role, setting a new password, disabling an account (see the command-line documentation). Administrators never see report or case content.")},
	{ROLE_REPORTER, "/start/reporter",
	 N_("A report is not kept with your account: you follow it with the report code you got when you made it. Choose \"Follow your report\" and enter that code to read the messages about it and answer them.")},
};
#define NSTARTS (sizeof starts / sizeof starts[0])

/* The auditor's pages (their routes in routes.c admit ROLE_AUDITOR), labelled
 * as the navigation labels them (frame.c). */
static const struct {
	const char *href, *label;
} audit_pages[] = {
	{"/zelfevaluaties", N_("Self-assessments")},
	{"/risicos", N_("Risks")},
	{"/schendingen-en-risicos", N_("Violations and risks")},
	{"/monitor", N_("Dashboard")},
	{"/jaarverslag", N_("Annual report")},
	{"/cultuur", N_("Culture")},
	{"/aanbevelingen", N_("Recommendations")},
	{"/beleid", N_("Policy cycle")},
	{"/ipim", N_("IPIM")},
	{"/kaders", N_("Frameworks")},
};
#define NAUDIT_PAGES (sizeof audit_pages / sizeof audit_pages[0])

/* Visitors are most likely reporters: they get the way in to the reporting
 * channel; signed-in users their start page. */
void app_page_home(struct page *p)
{
	if (p->viewer) {
		page_redirect(p, "/start");
		return;
	}
	page_begin(p, page_tr(p, "Report suspected wrongdoing safely"));
	tmpl_pages_home(&p->res->body, &p->t);
	page_end(p);
}

void app_page_health(struct page *p)
{
	char today[DATE_LEN + 1];
	int64_t n;
	date_today(today);
	p->res->content_type = "text/plain; charset=utf-8";
	if (orgs_count_alive(p->db, ORG_DEPARTMENT, today, &n) != 0) {
		p->res->status = 503;
		buf_adds(&p->res->body, "database unavailable\n");
		return;
	}
	p->res->status = 200;
	buf_adds(&p->res->body, "ok\n");
}

void app_page_lang(struct page *p)
{
	const char *lang = i18n_lang(page_field(p, "lang"));
	const char *back = page_field(p, "return_to");
	if (p->viewer)
		session_set_lang(p->db, &p->viewer->session, lang);
	else
		page_cookie(p, "probity_lang", lang, 365L * 24 * 3600);
	page_redirect(p, back ? back : "/");
}

/* The first role of the viewer, by the order of the start pages. */
void app_page_start(struct page *p)
{
	for (size_t i = 0; i < NSTARTS; i++)
		if (p->viewer->roles & (1u << starts[i].role)) {
			page_redirect(p, starts[i].path);
			return;
		}
	page_fail(p, 403, "Your account has no role yet. Ask your administrator to give you one.");
}

void app_page_role_start(struct page *p)
{
	int k = -1;
	for (size_t i = 0; i < NSTARTS; i++)
		if (strcmp(starts[i].path, p->req->path) == 0)
			k = (int)i;
	if (k < 0) {
		page_fail(p, 404, "There is no page at this address.");
		return;
	}
	const struct viewer *v = p->viewer;
	const char **orgs = arena_alloc(p->a, (v->nroles + 1) * sizeof *orgs);
	struct nav_item *others = arena_alloc(p->a, (NSTARTS + 1) * sizeof *others);
	size_t norgs = 0, nothers = 0;
	for (size_t i = 0; i < v->nroles; i++)
		if ((int)v->role[i].role == (int)starts[k].role)
			orgs[norgs++] = arena_printf(p->a, "%s (%s)", v->role[i].org_name,
						     v->role[i].org_code);
	for (size_t i = 0; i < NSTARTS; i++)
		if ((int)i != k && (v->roles & (1u << starts[i].role)))
			others[nothers++] = (struct nav_item){
				starts[i].path, page_tr(p, role_label(starts[i].role)), 0};
	/* someone who may be told about a wrongdoing in person gets the guide
	 * for that moment (src/guide) */
	struct nav_item *help = arena_alloc(p->a, NAUDIT_PAGES * sizeof *help);
	size_t nhelp = 0;
	if (starts[k].role == ROLE_MANAGER || starts[k].role == ROLE_CONFIDENTIAL_ADVISER)
		help[nhelp++] = (struct nav_item){
			"/hulp/melding-ontvangen",
			page_tr(p, "Someone told me about suspected wrongdoing: what to do now"), 0};
	/* the way to a report is its receipt code, whatever the account */
	if (starts[k].role == ROLE_REPORTER)
		help[nhelp++] = (struct nav_item){"/melding", page_tr(p, "Follow your report"), 0};
	/* what an auditor can open on the web, as the intro promises */
	if (starts[k].role == ROLE_AUDITOR)
		for (size_t i = 0; i < NAUDIT_PAGES; i++)
			help[nhelp++] = (struct nav_item){audit_pages[i].href,
							  page_tr(p, audit_pages[i].label), 0};
	struct start_view sv = {
		.heading = page_tr(p, role_label(starts[k].role)),
		.name = v->account.display_name,
		.intro = page_tr(p, starts[k].intro),
		.orgs = orgs,
		.norgs = norgs,
		.others = others,
		.nothers = nothers,
		.help = help,
		.nhelp = nhelp,
	};
	page_begin(p, sv.heading);
	tmpl_pages_start(&p->res->body, &p->t, &sv);
	page_end(p);
}

void app_page_accessibility(struct page *p)
{
	const char *paras[] = {
		page_tr(p, "Probity aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA. Every page works without JavaScript, with a keyboard and with a screen reader."),
		page_tr(p, "Found something that does not work for you? Tell your organisation's integrity coordinator or the service desk."),
	};
	struct text_view tv = {page_tr(p, "Accessibility"), paras, 2};
	page_begin(p, tv.heading);
	tmpl_pages_text(&p->res->body, &p->t, &tv);
	page_end(p);
}
