/* frame.c: the frame around every page (header with the signed-in user and
 * sign-out, navigation by role, language switch, footer), drawn from the
 * layout templates. */
#include <string.h>

#include "accounts/viewer.h"
#include "app/pages.h"
#include "app/views.h"
#include "layout_tmpl.h"
#include "web/static.h"

#define MAX_NAV 32 /* more than every role's links at once (19 with every page of issue 7) */

/* Navigation: only what the viewer may open. */
static size_t build_nav(const struct page *p, struct nav_item *nav)
{
	size_t n = 0;
	const char *path = p->req->path;
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
	nav[n++] = (struct nav_item){"/start", page_tr(p, "Start"),
				     strncmp(path, "/start", 6) == 0};
	unsigned roles = p->viewer->roles;
	if (roles & (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_CONFIDENTIAL_ADVISER)))
		nav[n++] = (struct nav_item){"/meldingen", page_tr(p, "Inbox"),
					     strncmp(path, "/meldingen", 10) == 0};
	if (roles & (role_mask(ROLE_MANAGER) | role_mask(ROLE_CONFIDENTIAL_ADVISER)))
		nav[n++] = (struct nav_item){"/registreren", page_tr(p, "Register a report"),
					     strcmp(path, "/registreren") == 0};
	if (roles & (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_INVESTIGATOR)))
		nav[n++] = (struct nav_item){"/zaken", page_tr(p, "Cases"),
					     strncmp(path, "/zaken", 6) == 0};
	if (roles & role_mask(ROLE_COMPETENT_AUTHORITY))
		nav[n++] = (struct nav_item){"/besluiten", page_tr(p, "Decisions"),
					     strncmp(path, "/besluiten", 10) == 0};
	if (roles & (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_INVESTIGATOR) |
		     role_mask(ROLE_COMPETENT_AUTHORITY) | role_mask(ROLE_CONFIDENTIAL_ADVISER)))
		nav[n++] = (struct nav_item){"/termijnen", page_tr(p, "Due and overdue"),
					     strcmp(path, "/termijnen") == 0};
	if (roles & (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER) |
		     role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR)))
		nav[n++] = (struct nav_item){"/zelfevaluaties", page_tr(p, "Self-assessments"),
					     strncmp(path, "/zelfevaluaties", 15) == 0};
	if (roles & (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER) |
		     role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR)))
		nav[n++] = (struct nav_item){"/risicos", page_tr(p, "Risks"),
					     strncmp(path, "/risicos", 8) == 0};
	/* where were the risks greatest (src/loop): the same readers as the
	 * registers; which department each may open is the page's check */
	if (roles & (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER) |
		     role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR)))
		nav[n++] = (struct nav_item){"/schendingen-en-risicos",
					     page_tr(p, "Violations and risks"),
					     strncmp(path, "/schendingen-en-risicos", 23) == 0};
	/* the coordinator's dashboard (src/monitor): IPIM sees its totals */
	if (roles & (role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR) |
		     role_mask(ROLE_IPIM_MEMBER)))
		nav[n++] = (struct nav_item){"/monitor", page_tr(p, "Dashboard"),
					     strncmp(path, "/monitor", 8) == 0};
	/* culture indicators (src/culture): which departments is the page's check */
	if (roles & (role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR) |
		     role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER)))
		nav[n++] = (struct nav_item){"/cultuur", page_tr(p, "Culture"),
					     strncmp(path, "/cultuur", 8) == 0};
	/* the recommendations tracker and the policy cycle (src/recs): public
	 * documents for the coordinator, IPIM, auditors and integrity
	 * coordinators (routes.c) */
	if (roles & (role_mask(ROLE_COORDINATOR) | role_mask(ROLE_IPIM_MEMBER) |
		     role_mask(ROLE_AUDITOR) | role_mask(ROLE_INTEGRITY_COORDINATOR))) {
		nav[n++] = (struct nav_item){"/aanbevelingen", page_tr(p, "Recommendations"),
					     strncmp(path, "/aanbevelingen", 14) == 0};
		nav[n++] = (struct nav_item){"/beleid", page_tr(p, "Policy cycle"),
					     strncmp(path, "/beleid", 7) == 0};
		/* IPIM (src/ipim): its meetings and the good-practice library */
		nav[n++] = (struct nav_item){"/ipim", page_tr(p, "IPIM"),
					     strncmp(path, "/ipim", 5) == 0};
	}
	/* the framework library: every role but a reporter's (routes.c) */
	if (roles & ~role_mask(ROLE_REPORTER))
		nav[n++] = (struct nav_item){"/kaders", page_tr(p, "Frameworks"),
					     strncmp(path, "/kaders", 7) == 0};
	nav[n++] = (struct nav_item){"/account", page_tr(p, "Your account"),
				     strncmp(path, "/account", 8) == 0};
	return n;
}

void app_frame(struct page *p, const char *title, int top)
{
	struct nav_item nav[MAX_NAV];
	int en = strcmp(p->lang, "en") == 0;
	struct layout_view v = {
		.lang = p->lang,
		.title = title,
		.user_name = p->viewer && p->viewer->session.mfa_done ? p->viewer->account.display_name
								       : NULL,
		.pending_second_step = p->viewer && !p->viewer->session.mfa_done,
		.nav = nav,
		.nnav = build_nav(p, nav),
		.csrf = p->csrf,
		.return_to = p->req->path,
		.other_lang = en ? "nl" : "en",
		.other_lang_label = en ? "Nederlands" : "English",
		.notice = p->notice,
		.error = p->error,
	};
	if (p->viewer && p->viewer->session.mfa_done && p->viewer->nroles)
		v.role_label = page_tr(p, role_label(p->viewer->role[0].role));
	if (top)
		tmpl_layout_layout_top(&p->res->body, &p->t, &v);
	else
		tmpl_layout_layout_bottom(&p->res->body, &p->t);
}
