/* pages_deadlines.c: "due and overdue" (GET /termijnen, pages.h): for the
 * viewer, the open phases of their cases with the date each is due (phase
 * start plus the protocol's term) and the legal clocks of the reports in
 * their inbox (acknowledgement of receipt, feedback); for an integrity
 * coordinator also, per department, every open case of the department and
 * its units. Sorted by date; overdue is said in words.
 *
 * Metadata only: nothing is decrypted, no text of a case or report is
 * shown. A coordinator who is not on a case's team sees that it is due, not
 * a link into it. */
#include <stdlib.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "cases/dataset.h"
#include "cases/pages.h"
#include "cases/views.h"
#include "cases_tmpl.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "web/i18n.h"
#include "web/page.h"

/* Reports of the inbox and open cases of the departments looked at. */
#define INBOX_SCAN 200
#define DEPT_SCAN 500

/* A growing list of rows in the request arena. */
struct rows {
	struct cv_deadline *r;
	size_t n, cap;
};

static struct cv_deadline *add(struct page *p, struct rows *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct cv_deadline *r = arena_alloc(p->a, cap * sizeof *r);
		if (l->n)
			memcpy(r, l->r, l->n * sizeof *r);
		l->r = r;
		l->cap = cap;
	}
	return &l->r[l->n++];
}

static int by_date(const void *a, const void *b)
{
	const struct cv_deadline *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->what, y->what);
}

/* The viewer's open cases (as member or authority). */
static void my_cases(struct page *p, const struct case_orgs *orgs, struct rows *l,
		     const char *today)
{
	struct cases_list_item *items = arena_alloc(p->a, CASES_PAGE_LIST_MAX * sizeof *items);
	size_t n = 0;
	if (cases_list(p->db, p->viewer->account.id, items, CASES_PAGE_LIST_MAX, &n, NULL) != 0) {
		log_error("cases of account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		return;
	}
	const struct cases_protocol *pr = cases_data_protocol();
	for (size_t i = 0; i < n; i++) {
		const struct cases_list_item *it = &items[i];
		if (*it->closed_on || !*it->phase_due)
			continue;
		int authority = strcmp(it->role, "authority") == 0;
		struct cv_deadline *d = add(p, l);
		*d = (struct cv_deadline){
			.date = arena_strdup(p->a, it->phase_due),
			.what = page_tr1(p, "Case {}", arena_printf(p->a, "%lld", (long long)it->id)),
			.href = arena_printf(p->a, "%s/%lld", authority ? "/besluiten" : "/zaken",
					     (long long)it->id),
			.org = case_org_label(p, orgs, it->org_code),
			.clock = case_clock(p, it->phase_due, today),
		};
		d->what = arena_printf(p->a, "%s: %s", d->what, case_phase_title(p, pr, it->phase));
	}
}

/* The legal clocks still running on the reports of the viewer's inbox. */
static void my_reports(struct page *p, const struct case_orgs *orgs, struct rows *l,
		       const char *today)
{
	struct intake_inbox_item *items = arena_alloc(p->a, INBOX_SCAN * sizeof *items);
	size_t n = 0;
	if (intake_inbox(p->db, p->viewer->account.id, items, INBOX_SCAN, &n, NULL) != 0) {
		log_error("inbox of account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct intake_inbox_item *it = &items[i];
		struct intake_clocks c;
		if (intake_clocks_status(it->received_on, *it->acknowledged_on ? it->acknowledged_on
									       : NULL,
					 *it->feedback_on ? it->feedback_on : NULL, today, &c) != 0)
			continue;
		const char *number = arena_printf(p->a, "%lld", (long long)it->id);
		const struct intake_clock *clocks[2] = {&c.ack, &c.feedback};
		const char *names[2] = {N_("Report {}: acknowledgement of receipt"),
					N_("Report {}: feedback to the reporter")};
		for (int k = 0; k < 2; k++) {
			if (clocks[k]->state == INTAKE_CLOCK_MET)
				continue;
			struct cv_deadline *d = add(p, l);
			*d = (struct cv_deadline){
				.date = arena_strdup(p->a, clocks[k]->due),
				.what = page_tr1(p, names[k], number),
				.href = arena_printf(p->a, "/meldingen/%s", number),
				.org = case_org_label(p, orgs, it->org_code),
				.clock = case_clock(p, clocks[k]->due, today),
			};
		}
	}
}

/* The open cases of the departments the viewer coordinates at, per
 * department. */
static size_t departments(struct page *p, const struct case_orgs *orgs,
			  struct cv_deadline_group **out, const char *today)
{
	struct case_q_open *cs = arena_alloc(p->a, DEPT_SCAN * sizeof *cs);
	size_t n = 0, ng = 0;
	*out = NULL;
	if (case_q_coordinated(p->db, p->viewer->account.id, cs, DEPT_SCAN, &n) != 0) {
		log_error("cases coordinated by account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		return 0;
	}
	struct cv_deadline_group *g = arena_alloc(p->a, (n ? n : 1) * sizeof *g);
	struct rows l = {0};
	const char *dept = NULL;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || !dept || strcmp(dept, cs[i].dept_code) != 0) {
			if (dept) {
				if (l.n)
					qsort(l.r, l.n, sizeof *l.r, by_date);
				g[ng++] = (struct cv_deadline_group){case_org_label(p, orgs, dept),
								     l.r, l.n};
			}
			if (i == n)
				break;
			dept = cs[i].dept_code;
			l = (struct rows){0};
		}
		const struct cases_protocol *pr = cases_data_protocol_find(cs[i].protocol,
									   cs[i].protocol_revision);
		int pi = pr ? cases_protocol_phase(pr, cs[i].phase) : -1;
		char due[DATE_LEN + 1] = "";
		if (pi < 0 || cases_phase_due(&pr->phases[pi], cs[i].phase_started_on, due) != 0)
			continue; /* no term, or a phase this build does not know */
		struct cv_deadline *d = add(p, &l);
		*d = (struct cv_deadline){
			.date = arena_strdup(p->a, due),
			.what = arena_printf(p->a, "%s: %s",
					     page_tr1(p, "Case {}", arena_printf(p->a, "%lld",
										 (long long)cs[i].id)),
					     case_phase_title(p, pr, cs[i].phase)),
			.href = cs[i].member ? arena_printf(p->a, "/zaken/%lld", (long long)cs[i].id)
					     : NULL,
			.org = case_org_label(p, orgs, cs[i].org_code),
			.clock = case_clock(p, due, today),
		};
	}
	*out = g;
	return ng;
}

void cases_page_deadlines(struct page *p)
{
	if (case_data(p) != 0)
		return;
	char today[DATE_LEN + 1];
	date_today(today);
	struct rows mine = {0};
	struct case_orgs orgs;
	case_orgs_load(p, &orgs);
	my_cases(p, &orgs, &mine, today);
	my_reports(p, &orgs, &mine, today);
	if (mine.n)
		qsort(mine.r, mine.n, sizeof *mine.r, by_date);
	struct deadlines_view v = {
		.today = today,
		.mine = mine.r,
		.nmine = mine.n,
	};
	if (p->viewer->roles & role_mask(ROLE_INTEGRITY_COORDINATOR)) {
		struct cv_deadline_group *g;
		v.ngroups = departments(p, &orgs, &g, today);
		v.groups = g;
	}
	case_orgs_free(&orgs);
	page_begin(p, page_tr(p, "Due and overdue"));
	tmpl_cases_deadlines(&p->res->body, &p->t, &v);
	page_end(p);
}
