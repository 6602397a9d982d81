/* pages_list.c: the cases of a team member (GET /zaken) and opening a case
 * from a report (POST /meldingen/{id}/zaak), or joining the report to an
 * open case (pages.h).
 *
 * The list is metadata only: nothing is decrypted to show it. An integrity
 * coordinator also sees the reports of their inbox that were handed over to
 * case handling and are in no case yet, each with a button to open a case
 * from it: opening needs the coordinator's key to the report, which the
 * storage checks again. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "base/num.h"
#include "cases/dataset.h"
#include "cases/pages.h"
#include "cases/views.h"
#include "cases_tmpl.h"
#include "intake/handler_pages.h"
#include "intake/report_view.h"
#include "web/i18n.h"
#include "web/page.h"

/* Reports of the inbox looked at for "waiting to be opened as a case". */
#define WAITING_SCAN 200

/* The reports of the viewer's inbox handed over and in no case yet. */
static size_t waiting_reports(struct page *p, const struct case_orgs *orgs,
			      struct cv_waiting **out)
{
	struct intake_inbox_item *items = arena_alloc(p->a, WAITING_SCAN * sizeof *items);
	size_t n = 0, k = 0;
	*out = NULL;
	if (intake_inbox(p->db, p->viewer->account.id, items, WAITING_SCAN, &n, NULL) != 0) {
		log_error("inbox of account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		return 0;
	}
	struct cv_waiting *w = arena_alloc(p->a, (n ? n : 1) * sizeof *w);
	for (size_t i = 0; i < n; i++) {
		const struct intake_inbox_item *it = &items[i];
		int64_t in_case = 0;
		if (!*it->handed_over_on || case_q_report_case(p->db, it->id, &in_case) != 0 ||
		    in_case)
			continue;
		w[k++] = (struct cv_waiting){
			.number = arena_printf(p->a, "%lld", (long long)it->id),
			.href = arena_printf(p->a, "/meldingen/%lld", (long long)it->id),
			.open_action = arena_printf(p->a, "/meldingen/%lld/zaak", (long long)it->id),
			.org = case_org_label(p, orgs, it->org_code),
			.kind = report_view_kind(p, it->kind),
			.received = arena_strdup(p->a, it->received_on),
			.handed_over_on = arena_strdup(p->a, it->handed_over_on),
		};
	}
	*out = w;
	return k;
}

void cases_page_list(struct page *p)
{
	if (case_data(p) != 0)
		return;
	struct cases_list_item *items = arena_alloc(p->a, CASES_PAGE_LIST_MAX * sizeof *items);
	size_t n = 0, total = 0;
	if (cases_list(p->db, p->viewer->account.id, items, CASES_PAGE_LIST_MAX, &n, &total) != 0) {
		log_error("cases of account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		page_fail(p, 503, "The cases cannot be listed at the moment. Try again later.");
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	const struct cases_protocol *pr = cases_data_protocol();
	struct case_orgs orgs;
	case_orgs_load(p, &orgs);
	struct cv_case_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	struct cv_option *join = arena_alloc(p->a, (n ? n : 1) * sizeof *join);
	size_t k = 0, njoin = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cases_list_item *it = &items[i];
		if (strcmp(it->role, "authority") == 0)
			continue; /* the authority's cases are under /besluiten */
		struct cv_case_row *r = &rows[k++];
		r->number = arena_printf(p->a, "%lld", (long long)it->id);
		r->href = arena_printf(p->a, "/zaken/%lld", (long long)it->id);
		r->org = case_org_label(p, &orgs, it->org_code);
		r->phase = case_phase_title(p, pr, it->phase);
		r->opened_on = arena_strdup(p->a, it->opened_on);
		r->closed_on = arena_strdup(p->a, it->closed_on);
		r->role = case_role_words(p, it->role);
		if (*it->closed_on)
			r->due = (struct cv_clock){.due = "", .text = page_tr(p, "Closed")};
		else
			r->due = case_clock(p, it->phase_due, today);
		if (strcmp(it->role, "coordinator") == 0 && !*it->closed_on)
			join[njoin++] = (struct cv_option){
				r->number, page_tr1(p, "Case {}", r->number), 0};
	}
	int coordinator = (p->viewer->roles & role_mask(ROLE_INTEGRITY_COORDINATOR)) != 0;
	struct case_list_view v = {
		.csrf = p->csrf,
		.rows = rows,
		.nrows = k,
		.coordinator = coordinator,
		.join = join,
		.njoin = njoin,
	};
	if (total > n)
		v.count_text = page_tr1(p, "Showing the 100 most urgent of {} cases.",
					arena_printf(p->a, "%zu", total));
	if (coordinator) {
		struct cv_waiting *w;
		v.nwaiting = waiting_reports(p, &orgs, &w);
		v.waiting = w;
	}
	case_orgs_free(&orgs);
	page_begin(p, page_tr(p, "Cases"));
	tmpl_cases_case_list(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- opening a case from a report, or joining it to one ---- */

/* A refusal shown on the report's own page, where the button was. */
static void refuse_on_report(struct page *p, int64_t report_id, int status, const char *msgid)
{
	struct handler_form f = {.step_error = page_tr(p, msgid)};
	handler_show_report(p, report_id, status, &f);
}

void cases_page_open(struct page *p)
{
	int64_t rid = p->params[0], case_id = 0;
	const char *join = page_field(p, "case");
	if (join && *join && num_parse_i64z(join, 1, INT64_MAX, &case_id) != 0) {
		refuse_on_report(p, rid, 422, N_("Give the number of an open case to add the report to, or leave it empty to open a new case."));
		return;
	}
	if (case_data(p) != 0)
		return;
	char today[DATE_LEN + 1];
	date_today(today);
	unsigned char sk[32];
	if (case_secret_key(p, sk) != 0)
		return;
	struct cases_error e = {0};
	int r, no_case = 0;
	if (case_id) {
		struct cases_key k;
		r = cases_key_as_member(p->db, case_id, p->viewer->account.id, sk, &k, &e);
		no_case = r != 0;
		if (r == 0)
			r = cases_join_report(p->db, p->signer, &k, p->viewer->account.id, sk, rid,
					      today, &e);
		cases_key_wipe(&k);
	} else {
		r = cases_open(p->db, p->signer, p->viewer->account.id, sk, &rid, 1, NULL, today,
			       &case_id, &e);
	}
	sodium_memzero(sk, sizeof sk);
	if (r == 0) {
		page_redirect(p, arena_printf(p->a, "/zaken/%lld?done=%s", (long long)case_id,
					      join && *join ? "joined" : "opened"));
		return;
	}
	switch (e.code) {
	case CASES_ENOTFOUND:
		if (no_case)
			refuse_on_report(p, rid, 404, N_("There is no open case with this number that you coordinate."));
		else
			handler_not_found(p);
		return;
	case CASES_EDENIED:
		refuse_on_report(p, rid, 403, case_id && join && *join
			? N_("Only a coordinator of that case can add reports to it.")
			: N_("Only an integrity coordinator of the report's organisation can open a case for it."));
		return;
	case CASES_ECONFLICT:
		refuse_on_report(p, rid, 409, N_("This report is already in a case, or the case is closed or of another organisation. Nothing was changed."));
		return;
	case CASES_EINVALID:
		log_warn("report %lld: a case cannot be opened today (%s)", (long long)rid, today);
		refuse_on_report(p, rid, 422, N_("A case cannot be opened with today's date for this report. The server's clock may be wrong: tell your administrator."));
		return;
	default:
		case_fail(p, case_id, &e);
	}
}
