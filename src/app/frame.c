/* frame.c: the frame around every page (header with the signed-in user and
 * sign-out, navigation by role, language switch, footer), drawn from the
 * layout templates. */
#include <string.h>

#include "accounts/viewer.h"
#include "app/pages.h"
#include "app/views.h"
#include "layout_tmpl.h"
#include "web/i18n.h"
#include "web/static.h"

#define MAX_NAV 32 /* more than every role's links at once (19 with every page of issue 7) */

/* The sections the links fall into. A coordinator may open some twenty
 * pages; one bar of them all wrapped onto two or three lines, in Dutch
 * especially. So the bar shows each section once (named for what it holds,
 * linking to its first page) and the section being shown lists its pages in
 * a second bar below: two short rows, and every page two clicks away at
 * most, with JavaScript off too. A section the viewer has one page of is
 * that page's own link. */
enum nav_section { SEC_NONE, SEC_CASES, SEC_CONTROL, SEC_MONITOR, NSECTIONS };

static const char *const section_label[NSECTIONS] = {
	[SEC_CASES] = N_("Reports and cases"),
	[SEC_CONTROL] = N_("Risks and assessment"),
	[SEC_MONITOR] = N_("Monitoring and policy"),
};

struct nav_link {
	const char *href;
	const char *label;     /* msgid */
	size_t prefix;         /* characters of path that must match href; 0: all of it */
	enum nav_section sec;
};

static int link_current(const struct nav_link *l, const char *path)
{
	return l->prefix ? strncmp(path, l->href, l->prefix) == 0 : strcmp(path, l->href) == 0;
}

/* Every link the viewer may use, in the bar's order. */
static size_t viewer_links(const struct page *p, struct nav_link *l)
{
	size_t n = 0;
	unsigned roles = p->viewer->roles;
	const unsigned ic = role_mask(ROLE_INTEGRITY_COORDINATOR),
		       ca = role_mask(ROLE_CONFIDENTIAL_ADVISER), mg = role_mask(ROLE_MANAGER),
		       inv = role_mask(ROLE_INVESTIGATOR), auth = role_mask(ROLE_COMPETENT_AUTHORITY),
		       co = role_mask(ROLE_COORDINATOR), au = role_mask(ROLE_AUDITOR),
		       ipim = role_mask(ROLE_IPIM_MEMBER);
	l[n++] = (struct nav_link){"/start", N_("Start"), 6, SEC_NONE};
	if (roles & (ic | ca))
		l[n++] = (struct nav_link){"/meldingen", N_("Inbox"), 10, SEC_CASES};
	if (roles & (mg | ca))
		l[n++] = (struct nav_link){"/registreren", N_("Register a report"), 0, SEC_CASES};
	if (roles & (ic | inv))
		l[n++] = (struct nav_link){"/zaken", N_("Cases"), 6, SEC_CASES};
	if (roles & auth)
		l[n++] = (struct nav_link){"/besluiten", N_("Decisions"), 10, SEC_CASES};
	if (roles & (ic | inv | auth | ca))
		l[n++] = (struct nav_link){"/termijnen", N_("Due and overdue"), 0, SEC_CASES};
	/* self-assessments, risk registers and where the risks were greatest
	 * (src/loop): the same readers; which department each may open is the
	 * page's check */
	if (roles & (ic | mg | co | au)) {
		l[n++] = (struct nav_link){"/zelfevaluaties", N_("Self-assessments"), 15, SEC_CONTROL};
		l[n++] = (struct nav_link){"/risicos", N_("Risks"), 8, SEC_CONTROL};
		l[n++] = (struct nav_link){"/schendingen-en-risicos", N_("Violations and risks"), 23,
					   SEC_CONTROL};
	}
	/* the framework library: every role but a reporter's (routes.c) */
	if (roles & ~role_mask(ROLE_REPORTER))
		l[n++] = (struct nav_link){"/kaders", N_("Frameworks"), 7, SEC_CONTROL};
	/* the coordinator's dashboard (src/monitor): IPIM sees its totals */
	if (roles & (co | au | ipim))
		l[n++] = (struct nav_link){"/monitor", N_("Dashboard"), 8, SEC_MONITOR};
	/* the annual report's form (src/monitor/annual_pages.c): which
	 * department each may ask for is the page's check */
	if (roles & (co | au | ic))
		l[n++] = (struct nav_link){"/jaarverslag", N_("Annual report"), 12, SEC_MONITOR};
	/* culture indicators (src/culture): which departments is the page's check */
	if (roles & (co | au | ic | mg))
		l[n++] = (struct nav_link){"/cultuur", N_("Culture"), 8, SEC_MONITOR};
	/* the recommendations tracker, the policy cycle (src/recs) and IPIM
	 * (src/ipim): public documents for the coordinator, IPIM, auditors and
	 * integrity coordinators (routes.c) */
	if (roles & (co | ipim | au | ic)) {
		l[n++] = (struct nav_link){"/aanbevelingen", N_("Recommendations"), 14, SEC_MONITOR};
		l[n++] = (struct nav_link){"/beleid", N_("Policy cycle"), 7, SEC_MONITOR};
		l[n++] = (struct nav_link){"/ipim", N_("IPIM"), 5, SEC_MONITOR};
	}
	l[n++] = (struct nav_link){"/account", N_("Your account"), 8, SEC_NONE};
	return n;
}

/* Navigation: only what the viewer may open. The main bar into nav; the
 * pages of the section being shown, when it has more than one, into sub. */
static size_t build_nav(const struct page *p, struct nav_item *nav, struct nav_item *sub,
			size_t *nsub)
{
	size_t n = 0;
	const char *path = p->req->path;
	*nsub = 0;
	if (!p->viewer) {
		nav[n++] = (struct nav_item){"/melden", page_tr(p, "Make a report"),
					     strncmp(path, "/melden", 7) == 0};
		nav[n++] = (struct nav_item){"/melding", page_tr(p, "Follow your report"),
					     strncmp(path, "/melding", 8) == 0 &&
						     strncmp(path, "/meldingen", 10) != 0};
		nav[n++] = (struct nav_item){"/login", page_tr(p, "Sign in"),
					     strcmp(path, "/login") == 0};
		return n;
	}
	if (!p->viewer->session.mfa_done) {
		/* half-way through signing in: the pending step is the only way on */
		const char *step = p->viewer->session.must_enrol ? "/account/2fa" : "/login/2fa";
		nav[n++] = (struct nav_item){step, page_tr(p, "Two-step sign-in"),
					     strcmp(path, step) == 0};
		return n;
	}
	struct nav_link l[MAX_NAV];
	size_t nl = viewer_links(p, l), count[NSECTIONS] = {0};
	enum nav_section here = SEC_NONE;
	for (size_t i = 0; i < nl; i++) {
		count[l[i].sec]++;
		if (link_current(&l[i], path))
			here = l[i].sec;
	}
	int done[NSECTIONS] = {0};
	for (size_t i = 0; i < nl; i++) {
		enum nav_section s = l[i].sec;
		int cur = link_current(&l[i], path);
		if (s != SEC_NONE && count[s] > 1) {
			if (s == here)
				sub[(*nsub)++] = (struct nav_item){l[i].href, page_tr(p, l[i].label), cur};
			if (done[s])
				continue;
			done[s] = 1;
			/* the section's entry: its first page, marked as the place
			 * the viewer is in (not the page itself) */
			nav[n++] = (struct nav_item){l[i].href, page_tr(p, section_label[s]),
						     s == here ? NAV_SECTION : 0};
			continue;
		}
		nav[n++] = (struct nav_item){l[i].href, page_tr(p, l[i].label), cur};
	}
	return n;
}

void app_frame(struct page *p, const char *title, int top)
{
	struct nav_item nav[MAX_NAV], sub[MAX_NAV];
	size_t nsub;
	int en = strcmp(p->lang, "en") == 0;
	struct layout_view v = {
		.lang = p->lang,
		.title = title,
		.user_name = p->viewer && p->viewer->session.mfa_done ? p->viewer->account.display_name
								       : NULL,
		.pending_second_step = p->viewer && !p->viewer->session.mfa_done,
		.nav = nav,
		.nnav = build_nav(p, nav, sub, &nsub),
		.subnav = sub,
		.csrf = p->csrf,
		.return_to = p->req->path,
		.other_lang = en ? "nl" : "en",
		.other_lang_label = en ? "Nederlands" : "English",
		.notice = p->notice,
		.error = p->error,
	};
	v.nsubnav = nsub;
	if (p->viewer && p->viewer->session.mfa_done && p->viewer->nroles)
		v.role_label = page_tr(p, role_label(p->viewer->role[0].role));
	if (top)
		tmpl_layout_layout_top(&p->res->body, &p->t, &v);
	else
		tmpl_layout_layout_bottom(&p->res->body, &p->t);
}
