/* pages_authority.c: the competent authority's pages (pages.h): the cases
 * whose summary was shared with them (GET /besluiten), one such case
 * (GET /besluiten/{id}): the summary, the decision once made, and the
 * reasons for departures from the protocol; the decision with the measures
 * imposed (POST /besluiten/{id}); and moving the case out of a phase the
 * authority moves (POST /besluiten/{id}/fase).
 *
 * The authority holds only the summary key (cases.h): the storage gives
 * them the records under it and never the reports, the other records, the
 * people involved or the notes. The case's file under /zaken stays closed
 * to them (404), however the route's roles read. */
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "cases/dataset.h"
#include "cases/pages.h"
#include "cases/views.h"
#include "cases_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"

/* What a refused form gives back. */
struct authority_form {
	const char *decision_error, *decision_text;
	const char *phase_error, *check_error;
	const char *const *refusal_items;
	size_t nrefusal_items;
};

void cases_page_authority_list(struct page *p)
{
	if (case_data(p) != 0)
		return;
	struct cases_list_item *items = arena_alloc(p->a, CASES_PAGE_LIST_MAX * sizeof *items);
	size_t n = 0;
	if (cases_list(p->db, p->viewer->account.id, items, CASES_PAGE_LIST_MAX, &n, NULL) != 0) {
		log_error("cases of account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		page_fail(p, 503, "The cases cannot be listed at the moment. Try again later.");
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	const struct cases_protocol *pr = cases_data_protocol();
	struct cv_case_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	size_t k = 0;
	struct case_orgs orgs;
	case_orgs_load(p, &orgs);
	for (size_t i = 0; i < n; i++) {
		const struct cases_list_item *it = &items[i];
		if (strcmp(it->role, "authority") != 0)
			continue;
		struct cv_case_row *r = &rows[k++];
		r->number = arena_printf(p->a, "%lld", (long long)it->id);
		r->href = arena_printf(p->a, "/besluiten/%lld", (long long)it->id);
		r->org = case_org_label(p, &orgs, it->org_code);
		r->phase = case_phase_title(p, pr, it->phase);
		r->opened_on = arena_strdup(p->a, it->opened_on);
		r->closed_on = arena_strdup(p->a, it->closed_on);
		r->role = case_role_words(p, it->role);
		r->due = *it->closed_on ? (struct cv_clock){.due = "", .text = page_tr(p, "Closed")}
					: case_clock(p, it->phase_due, today);
	}
	case_orgs_free(&orgs);
	struct authority_list_view v = {.rows = rows, .nrows = k};
	page_begin(p, page_tr(p, "Decisions"));
	tmpl_cases_authority_list(&p->res->body, &p->t, &v);
	page_end(p);
}

/* The checklist of phase index pi when the authority moves the case out of
 * it (and so may tick it off), with the items done. */
static void checks_view(struct page *p, struct authority_case_view *v,
			const struct cases_protocol *pr, int pi,
			const char (*done)[CASES_ID_MAX + 1], size_t ndone)
{
	if (pi < 0 || !(pr->phases[pi].movers & role_mask(ROLE_COMPETENT_AUTHORITY)))
		return;
	const struct cases_phase *ph = &pr->phases[pi];
	struct cv_check *c = arena_alloc(p->a, (ph->nchecklist + 1) * sizeof *c);
	for (size_t i = 0; i < ph->nchecklist; i++) {
		const struct cases_check_item *it = &ph->checklist[i];
		int on = 0;
		for (size_t j = 0; j < ndone; j++)
			on |= strcmp(done[j], it->id) == 0;
		const char *t = cases_text_get(&it->text, p->lang);
		c[i] = (struct cv_check){it->id, t ? t : it->id, it->required, on};
	}
	v->checks = c;
	v->nchecks = ph->nchecklist;
}

/* The moves the competent authority may make from phase index pi. */
static void moves_view(struct page *p, struct authority_case_view *v,
		       const struct cases_protocol *pr, int pi)
{
	if (pi < 0 || !(pr->phases[pi].movers & role_mask(ROLE_COMPETENT_AUTHORITY)))
		return;
	size_t targets[CASES_MAX_PHASES];
	size_t nt = cases_move_targets(pr, (size_t)pi, targets, CASES_MAX_PHASES);
	if (nt > CASES_MAX_PHASES)
		nt = CASES_MAX_PHASES;
	struct cv_move *m = arena_alloc(p->a, (nt + 1) * sizeof *m);
	for (size_t i = 0; i < nt; i++) {
		const struct cases_deviation *d = cases_protocol_deviation(pr, (size_t)pi, targets[i]);
		const char *to = pr->phases[targets[i]].id;
		m[i] = (struct cv_move){
			.target = to,
			.title = case_phase_title(p, pr, to),
			.deviation = d != NULL,
			.form_id = arena_printf(p->a, "move-%s", to),
		};
		if (d) {
			const char *t = cases_text_get(&d->title, p->lang);
			m[i].deviation_title = t ? t : "";
			m[i].approver = page_tr(p, role_label(d->approver));
			m[i].waive = d->waive;
		}
	}
	v->moves = m;
	v->nmoves = nt;
}

static const char *name_of(struct page *p, int64_t id)
{
	struct account a;
	if (accounts_get(p->db, id, &a) == 0)
		return arena_strdup(p->a, a.display_name);
	return arena_printf(p->a, "#%lld", (long long)id);
}

static void authority_show(struct page *p, int64_t id, int status, const struct authority_form *f)
{
	static const struct authority_form none;
	if (!f)
		f = &none;
	struct cases_key k;
	if (case_open_key(p, id, 1, &k) != 0)
		return;
	struct cases_case *c = arena_alloc(p->a, sizeof *c);
	struct cases_text_item *recs = NULL;
	struct cases_move_entry *moves = NULL;
	size_t nrecs = 0, nmoves = 0;
	struct cases_move open;
	struct cases_error e = {0}, oe = {0};
	char (*done)[CASES_ID_MAX + 1] = arena_alloc(p->a, CASES_MAX_CHECKLIST * sizeof *done);
	size_t ndone = 0;
	memset(c, 0, sizeof *c);
	int r = cases_read(p->db, &k, c, &e);
	if (r == 0)
		r = cases_checked(p->db, &k, done, CASES_MAX_CHECKLIST, &ndone, &e);
	if (r == 0)
		r = cases_records(p->db, &k, &recs, &nrecs, &e);
	if (r == 0)
		r = cases_moves(p->db, &k, &moves, &nmoves, &e);
	int has_open = r == 0 ? cases_open_items(p->db, &k, &open, &oe) : 0;
	cases_key_wipe(&k);
	if (r != 0) {
		cases_text_items_free(recs, nrecs);
		cases_moves_free(moves, nmoves);
		case_fail(p, id, &e);
		return;
	}
	if (has_open < 0)
		log_warn("case %lld: its open items cannot be read (code %d)", (long long)id, oe.code);
	const struct cases_protocol *pr = cases_data_protocol_find(c->protocol, c->protocol_revision);
	char today[DATE_LEN + 1];
	date_today(today);
	const char *ptitle = pr ? cases_text_get(&pr->title, p->lang) : NULL;
	struct authority_case_view v = {
		.csrf = p->csrf,
		.base = arena_printf(p->a, "/besluiten/%lld", (long long)id),
		.title = page_tr1(p, "Case {}", arena_printf(p->a, "%lld", (long long)id)),
		.org = case_org_label(p, NULL, c->org_code),
		.protocol = ptitle ? ptitle : c->protocol,
		.opened_on = c->opened_on,
		.closed_on = c->closed_on,
		.closed = c->closed_on[0] != 0,
		.phase_title = case_phase_title(p, pr, c->phase),
		.due = c->closed_on[0] ? (struct cv_clock){.due = "", .text = page_tr(p, "Closed")}
				       : case_clock(p, c->phase_due, today),
		.outcome = *c->outcome ? case_outcome_words(p, c->outcome) : "",
		.category = c->category,
		.measures_text = case_measures_words(p, c->measures, c->nmeasures),
		.police = case_police_words(p, c->police_report),
		.decided_on = c->decided_on,
		.decision_text = f->decision_text,
		.decision_error = f->decision_error,
		.phase_error = f->phase_error,
		.check_error = f->check_error,
		.refusal_items = f->refusal_items,
		.nrefusal_items = f->nrefusal_items,
	};
	struct cv_text *sums = arena_alloc(p->a, (nrecs ? nrecs : 1) * sizeof *sums);
	for (size_t i = 0; i < nrecs; i++)
		sums[i] = (struct cv_text){
			.title = strcmp(recs[i].type, CASES_RECORD_DECISION) == 0
					 ? page_tr(p, "Decision of the competent authority")
					 : page_tr(p, "Summary for the competent authority"),
			.author = *recs[i].author_name ? recs[i].author_name
						       : name_of(p, recs[i].account_id),
			.at = recs[i].created_at,
			.text = recs[i].text,
			.summary = 1,
		};
	v.summaries = sums;
	v.nsummaries = nrecs;
	struct cv_history *h = arena_alloc(p->a, (nmoves ? nmoves : 1) * sizeof *h);
	for (size_t i = 0; i < nmoves; i++)
		h[i] = (struct cv_history){
			.from = case_phase_title(p, pr, moves[i].from),
			.to = case_phase_title(p, pr, moves[i].to),
			.who = name_of(p, moves[i].account_id),
			.on = moves[i].on,
			.deviation = moves[i].deviation,
			.approver = moves[i].deviation ? name_of(p, moves[i].approver_id) : "",
			.reason = moves[i].reason ? moves[i].reason : "",
		};
	v.history = h;
	v.nhistory = nmoves;
	const struct cases_measures *ms = cases_data_measures();
	size_t nm = ms ? ms->nmeasures : 0;
	struct cv_option *meas = arena_alloc(p->a, (nm + 1) * sizeof *meas);
	for (size_t i = 0; i < nm; i++) {
		const char *t = cases_text_get(&ms->measures[i].title, p->lang);
		meas[i] = (struct cv_option){ms->measures[i].code, t ? t : ms->measures[i].code, 0};
	}
	v.measures = meas;
	v.nmeasures = nm;
	if (pr && !v.closed) {
		int pi = cases_protocol_phase(pr, c->phase);
		checks_view(p, &v, pr, pi, done, ndone);
		moves_view(p, &v, pr, pi);
	}
	if (has_open == 1)
		v.open_items = case_move_items(p, &open, &v.nopen_items);
	if (!p->notice) {
		const char *q = http_query(p->req, "done");
		if (q && strcmp(q, "decided") == 0)
			p->notice = page_tr(p, "Your decision was recorded.");
		else if (q && strcmp(q, "moved") == 0)
			p->notice = page_tr(p, "The case moved to its next phase.");
		else if (q && strcmp(q, "check") == 0)
			p->notice = page_tr(p, "The checklist was updated.");
	}
	p->res->status = status;
	page_begin(p, v.title);
	tmpl_cases_authority_case(&p->res->body, &p->t, &v);
	page_end(p);
	cases_text_items_free(recs, nrecs);
	cases_moves_free(moves, nmoves);
}

void cases_page_authority_case(struct page *p)
{
	authority_show(p, p->params[0], 200, NULL);
}

static void back(struct page *p, const char *done)
{
	page_redirect(p, arena_printf(p->a, "/besluiten/%lld?done=%s", (long long)p->params[0],
				      done));
}

void cases_page_authority_decide(struct page *p)
{
	int64_t id = p->params[0];
	const char *text = page_field(p, "text");
	if (!text)
		text = "";
	size_t len = strlen(text);
	const char *measures[CASES_CASE_MEASURES_MAX];
	struct authority_form f = {.decision_text = text};
	if (case_data(p) != 0)
		return;
	int nm = case_form_measures(p, measures, &f.decision_error);
	if (nm >= 0 && case_blank(text))
		f.decision_error = page_tr(p, "Write your decision first.");
	else if (nm >= 0 && len > CASES_TEXT_MAX)
		f.decision_error = page_tr(p, "The decision is too long. Shorten it.");
	if (f.decision_error) {
		authority_show(p, id, 422, &f);
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (case_open_key(p, id, 1, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_decide(p->db, p->signer, &k, p->viewer->account.id, text, len, measures,
			     (size_t)nm, today, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		back(p, "decided");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EINVALID:
		f.decision_error = page_tr(p, "The decision contains characters that cannot be stored, or a measure is not on the current list.");
		status = 422;
		break;
	case CASES_EDENIED:
		f.decision_error = page_tr(p, "You no longer hold the role of competent authority for the case's organisation.");
		status = 403;
		break;
	case CASES_ECONFLICT:
		f.decision_error = page_tr(p, "A decision on this case was already recorded, or the case is closed. Nothing was changed.");
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	authority_show(p, id, status, &f);
}

void cases_page_authority_move(struct page *p)
{
	int64_t id = p->params[0];
	const char *target;
	struct authority_form f = {0};
	struct cases_approval_in appr;
	int deviation;
	if ((f.phase_error = case_read_move(p, &target, &appr, &deviation)) != NULL) {
		authority_show(p, id, 422, &f);
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (case_open_key(p, id, 1, &k) != 0)
		return;
	struct cases_move d;
	struct cases_error e = {0};
	memset(&d, 0, sizeof d);
	int r = cases_move(p->db, p->signer, &k, p->viewer->account.id, target,
			   deviation ? &appr : NULL, today, &d, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		back(p, "moved");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EPROTOCOL:
		f.phase_error = case_move_refusal(p, &d);
		f.refusal_items = case_move_items(p, &d, &f.nrefusal_items);
		status = d.code == CASES_MOVE_E_NOT_MOVER ? 403 : 409;
		break;
	case CASES_EDENIED:
		f.phase_error = page_tr(p, "The person named as approver does not hold the role that must approve this move for the case's organisation.");
		status = 403;
		break;
	case CASES_EINVALID:
		f.phase_error = page_tr(p, "Choose a phase of the case's protocol. A departure from it needs an approver and a reason of at most 2,000 characters.");
		status = 422;
		break;
	case CASES_ECONFLICT:
		f.phase_error = page_tr(p, "This case is closed: nothing in it can change any more.");
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	authority_show(p, id, status, &f);
}

void cases_page_authority_check(struct page *p)
{
	int64_t id = p->params[0];
	const char *item = page_field(p, "item"), *done = page_field(p, "done");
	struct authority_form f = {0};
	if (!item || !cases_id_valid(item, strlen(item)) || !done ||
	    (strcmp(done, "1") != 0 && strcmp(done, "0") != 0)) {
		f.check_error = page_tr(p, "This phase has no such checklist item.");
		authority_show(p, id, 422, &f);
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (case_open_key(p, id, 1, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_check(p->db, p->signer, &k, p->viewer->account.id, item, done[0] == '1', today,
			    &e);
	cases_key_wipe(&k);
	if (r == 0) {
		back(p, "check");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EINVALID:
		f.check_error = page_tr(p, "This phase has no such checklist item.");
		status = 422;
		break;
	case CASES_EDENIED:
		f.check_error = page_tr(p, "You can tick off the checklist only in a phase you move the case out of.");
		status = 403;
		break;
	case CASES_ECONFLICT:
		f.check_error = page_tr(p, "The checklist already said so, or the case is closed. Nothing was changed.");
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	authority_show(p, id, status, &f);
}
