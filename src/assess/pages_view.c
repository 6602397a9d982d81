/* pages_view.c: one self-assessment (pages.h): its page with the scores per
 * norm or principle and per pillar and the change since the previous
 * assessment, the workflow's steps, and the exports.
 *
 * Exports: XLSX with three sheets (requirements, scores, action points) and
 * CSV, one table per file (?tabel=eisen, scores or acties), because a CSV
 * file holds one table. sheet.h keeps formulas out of both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/viewer.h"
#include "assess/pages.h"
#include "assess/views.h"
#include "assess_tmpl.h"
#include "base/date.h"
#include "base/log.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/sheet.h"

/* "+4", "-2", "0", or "" when either side has no score. */
static const char *change_text(struct page *p, const struct assess_score *cur,
			       const struct assess_score *prev)
{
	int has = 0, d = assess_change(cur, prev, &has);
	if (!has)
		return "";
	return d > 0 ? arena_printf(p->a, "+%d", d) : arena_printf(p->a, "%d", d);
}

static const char *counts_text(struct page *p, const struct assess_score *s, const char *of)
{
	return arena_printf(p->a, "%zu %s %zu %s", s->counted, page_tr(p, "of"),
			    s->counted + s->unscored, of);
}

/* The previous assessment's group scores, matched to f's groups by code. */
struct previous {
	int have;
	int year;
	struct assess_score *groups;  /* f->ngroups, NONE where it had no such group */
	struct assess_score overall;
};

static void load_previous(struct page *p, const struct assess_full *a, struct previous *pv)
{
	int64_t pid = 0;
	memset(pv, 0, sizeof *pv);
	if (assess_previous(p->db, a->row.id, &pid) != 0)
		return;
	struct assess_score *gs = NULL;
	char(*codes)[FW_CODE_MAX + 1] = NULL;
	size_t ng = 0;
	if (assess_group_scores(p->db, pid, &gs, &codes, &ng, &pv->overall, &pv->year) != 0)
		return;
	pv->groups = arena_alloc(p->a, (a->fw.ngroups ? a->fw.ngroups : 1) * sizeof *pv->groups);
	for (size_t g = 0; g < a->fw.ngroups; g++) {
		pv->groups[g] = (struct assess_score){.centi = ASSESS_SCORE_NONE,
						      .shown = ASSESS_SCORE_NONE};
		for (size_t k = 0; k < ng; k++)
			if (strcmp(codes[k], a->fw.groups[g].code) == 0)
				pv->groups[g] = gs[k];
	}
	free(gs);
	free(codes);
	pv->have = 1;
}

/* Shows assessment id with status (200, or the 4xx of a refused step). */
/* A stored UTC timestamp as the reader's local "YYYY-MM-DD HH:MM". */
static const char *when(struct page *p, const char *stamp)
{
	char out[TIMESTAMP_LOCAL_LEN + 1];
	timestamp_local(stamp, out);
	return arena_strdup(p->a, *out ? out : stamp);
}

/* 1 while some item still carries the prefill's mark: the note about copied
 * judgements goes once every one has been saved. */
static int still_prefilled(const struct assess_full *a)
{
	for (size_t i = 0; i < a->fw.nreqs; i++)
		if (a->items[i].prefilled)
			return 1;
	return 0;
}

static void show(struct page *p, int64_t id, int status, const char *step_error,
		 const char *review_text)
{
	struct assess_full a;
	if (assess_page_read(p, id, &a) != 0)
		return;
	/* a holder's visit shares the key with colleagues appointed since */
	unsigned char key[ENVELOPE_KEY_BYTES];
	(void)assess_page_key(p, id, key);
	memset(key, 0, sizeof key);

	struct assess_marks *m = assess_full_marks(&a);
	struct assess_scores s;
	assess_score(&a.fw, m, &s);
	free(m);
	struct previous pv;
	load_previous(p, &a, &pv);

	const char *base = arena_printf(p->a, "/zelfevaluaties/%lld", (long long)id);
	const char *of_reqs = page_tr(p, "requirements scored");
	const char *of_groups = page_tr(p, "norms or principles scored");
	struct av_score_row *groups = arena_alloc(p->a, (a.fw.ngroups ? a.fw.ngroups : 1) *
						      sizeof *groups);
	for (size_t g = 0; g < a.fw.ngroups; g++)
		groups[g] = (struct av_score_row){
			.href = arena_printf(p->a, "%s/groepen/%zu", base, g + 1),
			.code = arena_strdup(p->a, a.fw.groups[g].code),
			.title = arena_strdup(p->a, fw_lang(a.fw.groups[g].title_nl,
							    a.fw.groups[g].title_en, p->lang)),
			.score = assess_words_score(p, &s.groups[g]),
			.change = pv.have ? change_text(p, &s.groups[g], &pv.groups[g]) : "",
			.maturity = assess_words_maturity(p, s.groups[g].maturity),
			.counts = counts_text(p, &s.groups[g], of_reqs),
		};
	struct av_score_row *pillars = arena_alloc(p->a, (a.fw.npillars ? a.fw.npillars : 1) *
						       sizeof *pillars);
	for (size_t i = 0; i < a.fw.npillars; i++) {
		/* a pillar's change: the previous one's pillar, from its groups */
		const char *chg = "";
		if (pv.have) {
			long long sum = 0;
			size_t n = 0;
			for (size_t g = 0; g < a.fw.ngroups; g++)
				if (a.fw.groups[g].pillar == (int)i && pv.groups[g].centi >= 0) {
					sum += pv.groups[g].centi;
					n++;
				}
			struct assess_score prev = {.centi = ASSESS_SCORE_NONE,
						     .shown = ASSESS_SCORE_NONE};
			if (n) {
				prev.centi = assess_mean_centi(sum, n);
				prev.shown = assess_shown(prev.centi);
			}
			chg = change_text(p, &s.pillars[i], &prev);
		}
		pillars[i] = (struct av_score_row){
			.href = "",
			.code = arena_strdup(p->a, a.fw.pillars[i].code),
			.title = arena_strdup(p->a, fw_lang(a.fw.pillars[i].title_nl,
							    a.fw.pillars[i].title_en, p->lang)),
			.score = assess_words_score(p, &s.pillars[i]),
			.change = chg,
			.maturity = assess_words_maturity(p, s.pillars[i].maturity),
			.counts = counts_text(p, &s.pillars[i], of_groups),
		};
	}
	struct av_action *acts = arena_alloc(p->a, (a.nactions ? a.nactions : 1) * sizeof *acts);
	for (size_t i = 0; i < a.nactions; i++)
		acts[i] = (struct av_action){
			.req = arena_strdup(p->a, a.fw.reqs[a.actions[i].req].code),
			.text = arena_strdup(p->a, a.actions[i].text),
			.owner = arena_strdup(p->a, a.actions[i].owner),
			.due = arena_strdup(p->a, a.actions[i].due),
			.status = assess_words_ap_status(p, a.actions[i].status),
		};
	unsigned offered = assess_steps_offered(a.row.status, a.caps);
	const char *done = http_query(p->req, "done");
	struct assess_page_view v = {
		.csrf = p->csrf,
		.base = base,
		.title = assess_words_title(p, &a),
		.dept = arena_printf(p->a, "%s (%s)", a.row.dept_name, a.row.dept_code),
		.framework = assess_words_framework(p, &a.fw),
		.year = arena_printf(p->a, "%d", a.row.year),
		.status = assess_words_status(p, a.row.status),
		.created = arena_printf(p->a, "%s, %s", when(p, a.row.created_at), a.row.created_by),
		.signed_off = *a.row.signed_off_at ? arena_printf(p->a, "%s, %s", when(p, a.row.signed_off_at),
								  a.row.signed_off_by)
						   : "",
		.reviewed = *a.row.reviewed_at ? arena_printf(p->a, "%s, %s", when(p, a.row.reviewed_at),
							      a.row.reviewed_by)
					       : "",
		.review_comment = arena_strdup(p->a, a.row.review_comment),
		.returned = *a.row.returned_at ? arena_printf(p->a, "%s, %s", when(p, a.row.returned_at),
							      a.row.returned_by)
					       : "",
		.return_reason = arena_strdup(p->a, a.row.return_reason),
		.overall = {.href = "", .code = "", .title = "",
			    .score = assess_words_score(p, &s.overall),
			    .change = pv.have ? change_text(p, &s.overall, &pv.overall) : "",
			    .maturity = assess_words_maturity(p, s.overall.maturity),
			    .counts = counts_text(p, &s.overall, of_groups)},
		.groups = groups,
		.ngroups = a.fw.ngroups,
		.pillars = pillars,
		.npillars = a.fw.npillars,
		.actions = acts,
		.nactions = a.nactions,
		.can_sign = (offered & (1u << ASSESS_ACT_SIGN_OFF)) != 0,
		.can_review = (offered & (1u << ASSESS_ACT_REVIEW)) != 0,
		.step_error = step_error,
		.review_text = review_text ? review_text : "",
	};
	if (a.row.prefilled_from && still_prefilled(&a))
		v.prefilled = page_tr(p, "Judgements were copied from an earlier assessment when this one was started; copied ones are marked until someone saves them.");
	if (pv.have)
		v.previous = page_tr1(p, "The change is measured from the assessment of {}.",
				      arena_printf(p->a, "%d", pv.year));
	if (v.can_sign && s.open_reqs)
		v.open_note = page_tr1(p, "{} requirements still need a judgement on design, existence and operation before you can sign off.",
				       arena_printf(p->a, "%zu", s.open_reqs));
	if (done && strcmp(done, "created") == 0)
		v.notice = page_tr(p, "The self-assessment was started.");
	else if (done && strcmp(done, "signed") == 0)
		v.notice = page_tr(p, "Signed off. The coordinating ministry can now review it.");
	else if (done && strcmp(done, "reviewed") == 0)
		v.notice = page_tr(p, "Reviewed.");
	else if (done && strcmp(done, "returned") == 0)
		v.notice = page_tr(p, "Returned to the department as a draft.");
	if (status)
		p->res->status = status;
	page_begin(p, v.title);
	tmpl_assess_assess_page(&p->res->body, &p->t, &v);
	page_end(p);
	assess_scores_free(&s);
	assess_full_free(&a);
}

void assess_page_view(struct page *p)
{
	show(p, p->params[0], 0, NULL, NULL);
}

/* ---- the workflow's steps ---- */

static void step_answer(struct page *p, int r, const struct assess_error *e, const char *done,
			const char *text)
{
	int64_t id = p->params[0];
	if (r == 0) {
		page_redirect(p, arena_printf(p->a, "/zelfevaluaties/%lld?done=%s#step",
					      (long long)id, done));
		return;
	}
	switch (e->code) {
	case ASSESS_ENOTFOUND:
		assess_page_not_found(p);
		return;
	case ASSESS_EDENIED:
		show(p, id, 403, page_tr(p, "You may not take this step: an integrity coordinator of the department signs off, the coordinating ministry reviews."), text);
		return;
	case ASSESS_ECONFLICT:
		show(p, id, 409, page_tr(p, "The assessment's status does not allow this step: it may have been signed off, reviewed or returned meanwhile."), text);
		return;
	case ASSESS_EINCOMPLETE:
		show(p, id, 409, page_tr1(p, "Not signed off: {} requirements still need a judgement on design, existence and operation.",
					  arena_printf(p->a, "%zu", e->open_reqs)), text);
		return;
	case ASSESS_EINVALID:
		show(p, id, 422, page_tr(p, "Write your review, or your reason to return the assessment (at most 4,000 characters)."), text);
		return;
	default:
		log_error("assessment %lld: a step failed (code %d)", (long long)id, e->code);
		page_fail(p, 503, "Nothing was changed because of a problem on our side. Try again later.");
	}
}

void assess_page_sign_off(struct page *p)
{
	struct assess_error e;
	int r = assess_sign_off(p->db, p->signer, p->viewer->account.id, p->params[0], &e);
	step_answer(p, r, &e, "signed", NULL);
}

void assess_page_review(struct page *p)
{
	struct assess_error e;
	const char *text = page_field(p, "text");
	int r = assess_review(p->db, p->signer, p->viewer->account.id, p->params[0], text, &e);
	step_answer(p, r, &e, "reviewed", text);
}

void assess_page_return(struct page *p)
{
	struct assess_error e;
	const char *text = page_field(p, "text");
	int r = assess_return(p->db, p->signer, p->viewer->account.id, p->params[0], text, &e);
	step_answer(p, r, &e, "returned", text);
}

/* ---- exports ---- */

/* The three tables of assessment a in book b. */
static void fill_book(struct page *p, const struct assess_full *a, struct sheet_book *b)
{
	struct assess_marks *m = assess_full_marks(a);
	struct assess_scores s;
	assess_score(&a->fw, m, &s);
	free(m);
	static const char *const rh[] = {"norm", "requirement", "text", "design", "existence",
					 "operation", "maturity", "score", "comment",
					 "evidence", "prefilled"};
	struct sheet_table *t = sheet_table_add(b, page_tr(p, "Requirements"), 11, rh);
	for (size_t i = 0; t && i < a->fw.nreqs; i++) {
		const struct fw_req *r = &a->fw.reqs[i];
		size_t ev = 0;
		for (size_t k = 0; k < a->nevidence; k++)
			ev += a->evidence[k].req == i;
		sheet_row(t);
		sheet_text(t, a->fw.groups[r->group].code);
		sheet_text(t, r->code);
		sheet_text(t, fw_lang(r->text_nl, r->text_en, p->lang));
		for (int d = 0; d < ASSESS_DIMS; d++)
			sheet_text(t, assess_judgement_name(a->items[i].marks.dim[d]));
		sheet_text(t, assess_maturity_name(a->items[i].marks.maturity));
		if (s.reqs[i].centi >= 0)
			sheet_number(t, s.reqs[i].centi / 100.0);
		else
			sheet_empty(t);
		sheet_text(t, a->items[i].comment);
		sheet_int(t, (long long)ev);
		sheet_text(t, a->items[i].prefilled ? "yes" : "no");
	}
	static const char *const sh[] = {"level", "code", "title", "score", "maturity",
					 "scored", "not_assessed"};
	t = sheet_table_add(b, page_tr(p, "Scores"), 7, sh);
	for (size_t g = 0; t && g < a->fw.ngroups + a->fw.npillars + 1; g++) {
		const struct assess_score *sc;
		const char *level, *code, *title;
		if (g < a->fw.ngroups) {
			sc = &s.groups[g];
			level = "group";
			code = a->fw.groups[g].code;
			title = fw_lang(a->fw.groups[g].title_nl, a->fw.groups[g].title_en, p->lang);
		} else if (g < a->fw.ngroups + a->fw.npillars) {
			size_t i = g - a->fw.ngroups;
			sc = &s.pillars[i];
			level = "pillar";
			code = a->fw.pillars[i].code;
			title = fw_lang(a->fw.pillars[i].title_nl, a->fw.pillars[i].title_en, p->lang);
		} else {
			sc = &s.overall;
			level = "overall";
			code = "";
			title = page_tr(p, "Overall");
		}
		sheet_row(t);
		sheet_text(t, level);
		sheet_text(t, code);
		sheet_text(t, title);
		if (sc->centi >= 0)
			sheet_number(t, sc->centi / 100.0);
		else
			sheet_empty(t);
		sheet_text(t, assess_maturity_name(sc->maturity));
		sheet_int(t, (long long)sc->counted);
		sheet_int(t, (long long)sc->unscored);
	}
	static const char *const ah[] = {"requirement", "action", "owner", "due", "status"};
	t = sheet_table_add(b, page_tr(p, "Action points"), 5, ah);
	for (size_t i = 0; t && i < a->nactions; i++) {
		sheet_row(t);
		sheet_text(t, a->fw.reqs[a->actions[i].req].code);
		sheet_text(t, a->actions[i].text);
		sheet_text(t, a->actions[i].owner);
		sheet_text(t, a->actions[i].due);
		sheet_text(t, assess_ap_status_name(a->actions[i].status));
	}
	assess_scores_free(&s);
}

/* Answers with body as a download named name. */
static void send_download(struct page *p, const char *type, const char *name)
{
	p->res->status = 200;
	p->res->content_type = type;
	p->res->cache_control = "no-store";
	http_add_header(p->res, "Content-Security-Policy", "sandbox");
	http_add_header(p->res, "Content-Disposition",
			arena_printf(p->a, "attachment; filename=\"%s\"", name));
}

void assess_page_export_csv(struct page *p)
{
	const char *which = http_query(p->req, "tabel");
	size_t t = 0;
	if (which && strcmp(which, "scores") == 0)
		t = 1;
	else if (which && strcmp(which, "acties") == 0)
		t = 2;
	else if (which && *which && strcmp(which, "eisen") != 0) {
		page_fail(p, 404, "There is no such table: choose eisen, scores or acties.");
		return;
	}
	struct assess_full a;
	if (assess_page_read(p, p->params[0], &a) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	fill_book(p, &a, b);
	struct sheet_table *tb = sheet_book_table(b, t);
	static const char *const names[] = {"eisen", "scores", "acties"};
	if (tb)
		sheet_write_csv(tb, &p->res->body);
	send_download(p, "text/csv; charset=utf-8",
		      arena_printf(p->a, "zelfevaluatie-%lld-%s.csv", (long long)a.row.id,
				   names[t]));
	assess_full_free(&a);
}

void assess_page_export_xlsx(struct page *p)
{
	struct assess_full a;
	if (assess_page_read(p, p->params[0], &a) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	fill_book(p, &a, b);
	char err[200];
	int64_t id = a.row.id;
	assess_full_free(&a);
	if (sheet_write_xlsx(b, &p->res->body, err, sizeof err) != 0) {
		log_error("assessment %lld: the XLSX export failed: %s", (long long)id, err);
		page_fail(p, 503, "The spreadsheet cannot be made at the moment. Try again later, or use the CSV files.");
		return;
	}
	send_download(p, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		      arena_printf(p->a, "zelfevaluatie-%lld.xlsx", (long long)id));
}
