/* report_pages.c: the reporter's pages (no account): the report form one
 * screen at a time (wizard.h says why nothing is stored before "send"), and
 * sending it, which shows the receipt this once.
 *
 * Nothing a reporter types is logged or put in an error message that could be
 * logged; the only thing that reaches the database is the encrypted report
 * (intake_submit), in one transaction. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/num.h"
#include "base/log.h"
#include "intake/attach.h"
#include "intake/clock.h"
#include "intake/form_cache.h"
#include "intake/intake.h"
#include "intake/pages.h"
#include "intake/qset.h"
#include "intake/report_view.h"
#include "intake/views.h"
#include "intake/wizard.h"
#include "intake_tmpl.h"
#include "orgs/orgs.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/tmpl.h"

#define MAX_RECIPIENTS 64

static const char *tr_text(const struct page *p, const struct intake_text *t)
{
	return intake_text_get(t, p->lang);
}

static const char *mode_label(const struct page *p, const char *mode)
{
	if (strcmp(mode, "anonymous") == 0)
		return page_tr(p, "Anonymously");
	if (strcmp(mode, "confidential") == 0)
		return page_tr(p, "Confidentially");
	if (strcmp(mode, "open") == 0)
		return page_tr(p, "Openly");
	return "";
}

/* The organisation a report goes to: the one chosen, alive today, or for
 * "I do not know" the government itself, whose handlers are the central
 * desk. 0 found, 1 not, -1 db error. */
static int resolve_org(struct page *p, const char *chosen, const char *today, struct org *out)
{
	if (strcmp(chosen, WIZ_CENTRAL) != 0) {
		int r = orgs_lookup(p->db, chosen, today, out);
		if (r == 0 && out->kind == ORG_GOVERNMENT)
			return 1; /* only through "I do not know" */
		return r;
	}
	struct org_table t;
	org_table_init(&t);
	if (orgs_load(p->db, &t) != 0) {
		org_table_free(&t);
		return -1;
	}
	int r = 1;
	for (size_t i = 0; i < t.nrows; i++)
		if (t.rows[i].kind == ORG_GOVERNMENT && org_alive_at(&t.rows[i], today)) {
			*out = t.rows[i];
			r = 0;
			break;
		}
	org_table_free(&t);
	return r;
}

struct screen_state {
	struct wiz w;
	struct wiz_problems probs;
	char today[DATE_LEN + 1];
	struct org org;           /* when resolved */
	int have_org;
	/* the tree the list of departments was made from, when it was the one
	 * confirmed recently: the key the first screen is kept under */
	int have_stamp;
	unsigned char org_stamp[ORGS_STAMP_LEN];
	struct intake_recipient rec[MAX_RECIPIENTS];
	size_t nrec;
};

static const char *problem_for(const struct page *p, const struct screen_state *s,
			       const char *name)
{
	for (size_t i = 0; i < s->probs.n; i++)
		if (strcmp(s->probs.p[i].name, name) == 0)
			return page_tr(p, s->probs.p[i].msgid);
	return NULL;
}

/* Hidden fields: everything the reporter answered, except what this screen
 * shows as controls. */
static void hidden_fields(struct page *p, const struct screen_state *s, int screen,
			  struct report_view *v)
{
	const struct wiz *w = &s->w;
	enum wiz_screen_kind k = wiz_kind(w, screen);
	size_t cap = 4 + WIZ_MAX_RECUSED + w->nans, n = 0;
	struct rv_hidden *h = arena_alloc(p->a, cap * sizeof *h);
	if (k != WIZ_ORG && *w->org)
		h[n++] = (struct rv_hidden){"org", w->org};
	if (k != WIZ_MODE) {
		if (*w->mode)
			h[n++] = (struct rv_hidden){"mode", w->mode};
		if (*w->identity)
			h[n++] = (struct rv_hidden){"identity", w->identity};
	}
	if (k != WIZ_RECUSE)
		for (size_t i = 0; i < w->nrecused; i++)
			h[n++] = (struct rv_hidden){"recuse",
						    arena_printf(p->a, "%lld", (long long)w->recused[i])};
	for (size_t i = 0; i < w->nans; i++) {
		int f = intake_q_field(w->q, w->ans[i].field);
		if (k == WIZ_STEP && w->q->fields[f].step == wiz_step(w, screen))
			continue;
		h[n++] = (struct rv_hidden){arena_printf(p->a, "a.%s", w->ans[i].field),
					    w->ans[i].value};
	}
	v->hidden = h;
	v->nhidden = n;
}

static struct rv_field field_view(struct page *p, const struct screen_state *s, size_t i)
{
	const struct intake_field *f = &s->w.q->fields[i];
	const char *prefix = f->type == INTAKE_F_FILE ? "f." : "a.";
	const char *name = arena_printf(p->a, "%s%s", prefix, f->id);
	struct rv_field v = {
		.html_id = arena_printf(p->a, "q-%s", f->id),
		.name = name,
		.label = tr_text(p, &f->label),
		.help = tr_text(p, &f->help),
		.error = problem_for(p, s, name),
		.value = wiz_answer(&s->w, f->id),
		.type = f->type,
		.required = f->required,
		.max_len = f->max_len,
		.max_files = f->max_files,
	};
	if (f->type == INTAKE_F_CHOICE || f->type == INTAKE_F_YESNO) {
		size_t nc = f->type == INTAKE_F_YESNO ? 2 : f->nchoices;
		struct rv_choice *c = arena_alloc(p->a, nc * sizeof *c);
		for (size_t k = 0; k < nc; k++) {
			const char *val, *label, *help = NULL;
			if (f->type == INTAKE_F_YESNO) {
				val = k == 0 ? "yes" : "no";
				label = page_tr(p, k == 0 ? N_("Yes") : N_("No"));
			} else {
				val = f->choices[k].id;
				label = tr_text(p, &f->choices[k].label);
				help = tr_text(p, &f->choices[k].help);
			}
			c[k] = (struct rv_choice){arena_printf(p->a, "q-%s-%s", f->id, val), val,
						  label, help, strcmp(v.value, val) == 0};
		}
		v.choices = c;
		v.nchoices = nc;
	}
	return v;
}


static void org_list(struct page *p, struct screen_state *s, struct report_view *v)
{
	struct org_table t;
	org_table_init(&t);
	/* only shown: the choice is checked again when the report is sent.
	 * The recent tree with its stamp first, so that a page kept from it is
	 * kept under the tree it shows (form_cache.h). */
	s->have_stamp = orgs_cache_recent_stamp(&t, s->org_stamp);
	if (!s->have_stamp && orgs_load_recent(p->db, &t) != 0) {
		org_table_free(&t);
		return;
	}
	struct org_tree_item *items = NULL;
	size_t n = 0;
	org_tree(&t, s->today, 0, &items, &n);
	struct rv_org *o = arena_alloc(p->a, (n ? n : 1) * sizeof *o);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct org *r = items[i].row;
		if (r->kind == ORG_GOVERNMENT)
			continue;
		o[k++] = (struct rv_org){arena_strdup(p->a, r->code), arena_strdup(p->a, r->name),
					 r->kind == ORG_UNIT, org_code_eq(r->code, s->w.org)};
	}
	free(items);
	org_table_free(&t);
	v->orgs = o;
	v->norgs = k;
	v->central_selected = strcmp(s->w.org, WIZ_CENTRAL) == 0;
}

static void recipients_view(struct page *p, const struct screen_state *s, struct report_view *v)
{
	struct rv_recipient *r = arena_alloc(p->a, (s->nrec ? s->nrec : 1) * sizeof *r);
	for (size_t i = 0; i < s->nrec; i++)
		r[i] = (struct rv_recipient){
			arena_printf(p->a, "%lld", (long long)s->rec[i].account_id),
			s->rec[i].display_name, page_tr(p, role_label(s->rec[i].role)),
			wiz_is_recused(&s->w, s->rec[i].account_id)};
	v->recipients = r;
	v->nrecipients = s->nrec;
}

static void review_view(struct page *p, const struct screen_state *s, struct report_view *v)
{
	const struct wiz *w = &s->w;
	struct rv_item *it = arena_alloc(p->a, (w->q->nfields + 1) * sizeof *it);
	struct rv_field *files = arena_alloc(p->a, (w->q->nfields + 1) * sizeof *files);
	size_t n = 0, nf = 0;
	for (size_t i = 0; i < w->q->nfields; i++) {
		const struct intake_field *f = &w->q->fields[i];
		if (!w->shown[i])
			continue;
		if (f->type == INTAKE_F_FILE) {
			files[nf++] = field_view(p, s, i);
			continue;
		}
		const char *a = wiz_answer(w, f->id);
		it[n++] = (struct rv_item){tr_text(p, &f->label),
					   *a ? report_view_answer(p, f, a) : page_tr(p, "(not answered)"),
					   2 + (int)f->step};
	}
	v->items = it;
	v->nitems = n;
	v->fields = files;
	v->nfields = nf;
	v->org_name = s->have_org ? (strcmp(w->org, WIZ_CENTRAL) == 0
					     ? page_tr(p, "I do not know (central desk)")
					     : arena_strdup(p->a, s->org.name))
				  : w->org;
	v->mode_label = mode_label(p, w->mode);
	v->identity = w->identity;
	v->mode_screen = 1;
	v->recuse_screen = wiz_nscreens(w) - 2;
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < s->nrec; i++)
		if (wiz_is_recused(w, s->rec[i].account_id)) {
			if (names.n)
				buf_adds(&names, ", ");
			buf_adds(&names, s->rec[i].display_name);
		}
	v->recused_names = names.n ? arena_strndup(p->a, names.p, names.n)
				     : page_tr(p, "nobody");
	buf_free(&names);
}

/* The first screen's title, which the kept page is framed with. */
#define ORG_TITLE N_("Where do you want to report?")

/* Writes the frame's top (unless begun: the caller did, with the screen's
 * title) and screen's body into the response. */
static void render_body(struct page *p, struct screen_state *s, int screen, int begun)
{
	const struct wiz *w = &s->w;
	struct report_view v = {.csrf = p->csrf, .kind = wiz_kind(w, screen), .screen = screen};
	/* position among the screens that apply, so "step 3 of 7" stays honest
	 * as conditions hide steps */
	for (int i = 0; i < wiz_nscreens(w); i++)
		if (wiz_applies(w, i)) {
			v.total++;
			if (i <= screen)
				v.position++;
		}
	hidden_fields(p, s, screen, &v);
	struct rv_error *errs = arena_alloc(p->a, (s->probs.n + 1) * sizeof *errs);
	for (size_t i = 0; i < s->probs.n; i++) {
		const char *name = s->probs.p[i].name;
		const char *id = strncmp(name, "a.", 2) == 0 || strncmp(name, "f.", 2) == 0
					 ? arena_printf(p->a, "#q-%s", name + 2)
					 : arena_printf(p->a, "#%s", name);
		/* the question's label first, so that several links can be told
		 * apart (they often share one message) */
		const char *text = page_tr(p, s->probs.p[i].msgid);
		int f = name[0] && name[1] == '.' ? intake_q_field(w->q, name + 2) : -1;
		if (f >= 0)
			text = arena_printf(p->a, "%s: %s", tr_text(p, &w->q->fields[f].label), text);
		errs[i] = (struct rv_error){id, text};
	}
	v.errors = errs;
	v.nerrors = s->probs.n;
	switch (v.kind) {
	case WIZ_ORG:
		v.title = page_tr(p, ORG_TITLE);
		v.help = page_tr(p, "You do not need an account, and you can report anonymously. Nothing is stored until you send your report at the end.");
		v.org_error = problem_for(p, s, "org");
		org_list(p, s, &v);
		break;
	case WIZ_MODE:
		v.title = page_tr(p, "Who may know that you reported?");
		v.mode = w->mode;
		v.identity = w->identity;
		v.mode_error = problem_for(p, s, "mode");
		v.identity_error = problem_for(p, s, "identity");
		break;
	case WIZ_STEP: {
		const struct intake_step *st = &w->q->steps[wiz_step(w, screen)];
		v.title = tr_text(p, &st->title);
		v.help = tr_text(p, &st->help);
		struct rv_field *f = arena_alloc(p->a, (st->nfields + 1) * sizeof *f);
		for (size_t i = st->first; i < st->first + st->nfields; i++)
			if (wiz_on_screen(w, i))
				f[v.nfields++] = field_view(p, s, i);
		v.fields = f;
		break;
	}
	case WIZ_RECUSE:
		v.title = page_tr(p, "Who receives your report?");
		v.recuse_error = problem_for(p, s, "recuse");
		recipients_view(p, s, &v);
		break;
	case WIZ_REVIEW:
		v.title = page_tr(p, "Check and send your report");
		v.help = page_tr(p, "Check your answers. You can still change everything. Add files here if you have any.");
		review_view(p, s, &v);
		break;
	}
	if (!begun)
		page_begin(p, v.title);
	tmpl_intake_report_screen(&p->res->body, &p->t, &v);
}

static void render(struct page *p, struct screen_state *s, int screen)
{
	render_body(p, s, screen, 0);
	page_end(p);
}

/* Loads what the screens need from the database: the organisation and its
 * recipients. Adds a problem when the choice cannot take reports. -1 on a
 * database error. */
static int load_org(struct page *p, struct screen_state *s)
{
	if (!*s->w.org)
		return 0;
	int r = resolve_org(p, s->w.org, s->today, &s->org);
	if (r < 0)
		return -1;
	if (r == 1) {
		s->w.org = "";
		return 0;
	}
	s->have_org = 1;
	if (intake_recipients(p->db, s->org.code, s->rec, MAX_RECIPIENTS, &s->nrec) != 0)
		return -1;
	return 0;
}

/* The checks of one screen (all = every screen so far) that need the
 * database, after wiz_check's. */
static void check_db(struct page *p, struct screen_state *s, int screen, int all)
{
	(void)p;
	enum wiz_screen_kind k = wiz_kind(&s->w, screen);
	struct wiz_problems *pr = &s->probs;
	if ((all || k == WIZ_ORG) && *s->w.org == '\0' && pr->n < INTAKE_MAX_ERRORS &&
	    !(pr->n && strcmp(pr->p[0].name, "org") == 0))
		pr->p[pr->n++] = (struct wiz_problem){"org", N_("Choose an organisation, or \"I do not know\".")};
	if ((all || k == WIZ_ORG) && s->have_org && s->nrec == 0 && pr->n < INTAKE_MAX_ERRORS)
		pr->p[pr->n++] = (struct wiz_problem){"org", N_("This organisation cannot receive reports here yet. Choose \"I do not know\": the central desk will pass your report on.")};
	if ((all || k == WIZ_RECUSE) && s->have_org && pr->n < INTAKE_MAX_ERRORS) {
		size_t left = 0, unknown = 0;
		for (size_t i = 0; i < s->w.nrecused; i++) {
			int found = 0;
			for (size_t j = 0; j < s->nrec; j++)
				found |= s->rec[j].account_id == s->w.recused[i];
			unknown += !found;
		}
		for (size_t j = 0; j < s->nrec; j++)
			left += !wiz_is_recused(&s->w, s->rec[j].account_id);
		if (unknown)
			pr->p[pr->n++] = (struct wiz_problem){"recuse", N_("Someone you ticked no longer receives reports here. Check the list again.")};
		else if (s->nrec && left == 0)
			pr->p[pr->n++] = (struct wiz_problem){"recuse", N_("Somebody must be able to read your report: leave at least one person unticked, or choose \"I do not know\" as the organisation.")};
	}
}

static int start_state(struct page *p, struct screen_state *s)
{
	const struct intake_questionnaire *q = intake_qset_current();
	if (!q) {
		page_fail(p, 500, "The report form is not available. Try again later.");
		return -1;
	}
	date_today(s->today);
	if (wiz_read(&s->w, q, &p->form) != 0) {
		page_fail(p, 400, "This form was changed on its way here. Start again.");
		return -1;
	}
	if (load_org(p, s) != 0) {
		page_fail(p, 503, "The reporting channel is unavailable at the moment. Try again later.");
		return -1;
	}
	return 0;
}

void intake_page_report(struct page *p)
{
	struct screen_state *s = arena_alloc(p->a, sizeof *s);
	memset(s, 0, sizeof *s);
	if (start_state(p, s) != 0)
		return;
	s->w.screen = 0;
	/* the first screen of a GET depends on nothing the visitor sends but
	 * the language (form_cache.h): kept as HTML around the token */
	const struct intake_questionnaire *q = s->w.q;
	struct form_cache_key k = {.lang = p->lang, .today = s->today, .questionnaire = q,
				   .revision = q->revision};
	int keyed = wiz_kind(&s->w, 0) == WIZ_ORG && p->csrf &&
		    orgs_cache_recent_stamp(NULL, k.org_stamp);
	page_begin(p, page_tr(p, ORG_TITLE));
	if (keyed && intake_form_cache_get(&k, p->csrf, &p->res->body)) {
		page_end(p);
		return;
	}
	struct buf *b = &p->res->body;
	size_t from = b->n;
	render_body(p, s, 0, 1);
	size_t to = b->n;
	page_end(p);
	/* kept only when the list was made from the tree the key names (it
	 * may have changed since the look-up) and the token is found once */
	if (!p->csrf || !s->have_stamp || wiz_kind(&s->w, 0) != WIZ_ORG)
		return;
	memcpy(k.org_stamp, s->org_stamp, ORGS_STAMP_LEN);
	struct buf tok = BUF_INIT;
	tmpl_html(&tok, p->csrf);
	const char *body = b->p + from;
	const char *at = tok.n ? memmem(body, to - from, tok.p, tok.n) : NULL;
	if (at && !memmem(at + tok.n, to - from - (size_t)(at - body) - tok.n, tok.p, tok.n))
		intake_form_cache_put(&k, body, to - from, (size_t)(at - body), tok.n);
	explicit_bzero(tok.p, tok.n);
	buf_free(&tok);
}

void intake_page_report_post(struct page *p)
{
	struct screen_state *s = arena_alloc(p->a, sizeof *s);
	memset(s, 0, sizeof *s);
	if (start_state(p, s) != 0)
		return;
	const char *go = page_field(p, "go");
	int screen = s->w.screen;
	if (go && strcmp(go, "back") == 0) {
		render(p, s, wiz_move(&s->w, screen, -1));
		return;
	}
	if (go && strncmp(go, "edit-", 5) == 0) {
		int64_t to;
		if (num_parse_i64z(go + 5, 0, wiz_nscreens(&s->w) - 1, &to) != 0) {
			page_fail(p, 400, "This form was changed on its way here. Start again.");
			return;
		}
		render(p, s, wiz_applies(&s->w, (int)to) ? (int)to : wiz_move(&s->w, (int)to, 1));
		return;
	}
	/* next: this screen must be right before the reporter moves on */
	wiz_check(&s->w, screen, 0, s->today, NULL, &s->probs);
	check_db(p, s, screen, 0);
	if (s->probs.n) {
		p->res->status = 422;
		render(p, s, screen);
		return;
	}
	render(p, s, wiz_move(&s->w, screen, 1));
}

/* The files the reporter chose on the review, checked by content. Adds
 * problems for refused ones. Returns the number kept in out. */
static size_t collect_files(struct page *p, struct screen_state *s, struct intake_file *out,
			    unsigned *counts)
{
	size_t n = 0, total = 0;
	for (size_t i = 0; i < p->form.n; i++) {
		const struct form_field *x = &p->form.fields[i];
		if (!x->filename || strncmp(x->name, "f.", 2) != 0)
			continue;
		if (x->len == 0 && !*x->filename)
			continue; /* a file input left empty */
		int k = intake_q_field(s->w.q, x->name + 2);
		struct wiz_problems *pr = &s->probs;
		const char *why = NULL;
		const char *mime = NULL, *ext = NULL;
		if (k < 0 || s->w.q->fields[k].type != INTAKE_F_FILE || !s->w.shown[k])
			continue;
		if (n == INTAKE_FILES_MAX)
			why = N_("You can add at most 10 files. Send the report and add more through \"Follow your report\".");
		else if (x->len > INTAKE_FILE_MAX)
			why = N_("A file is larger than 10 MB.");
		else if ((total += x->len) > INTAKE_FILES_TOTAL)
			why = N_("The files together are larger than 25 MB. Send the report and add more through \"Follow your report\".");
		else {
			enum attach_refusal r = ATTACH_OK;
			if (attach_check((const unsigned char *)x->value, x->len, &mime, &ext,
					 &r) != 0)
				why = attach_refusal_text(r);
		}
		if (why) {
			if (pr->n < INTAKE_MAX_ERRORS)
				pr->p[pr->n++] = (struct wiz_problem){"", why};
			snprintf(pr->p[pr->n - 1].name, sizeof pr->p[0].name, "f.%s",
				 s->w.q->fields[k].id);
			continue;
		}
		char *name = arena_alloc(p->a, INTAKE_FILENAME_MAX + 1);
		attach_clean_name(x->filename, strlen(x->filename), name, ext);
		out[n++] = (struct intake_file){(const unsigned char *)x->value, x->len, mime, name};
		counts[k]++;
	}
	return n;
}

static void render_receipt(struct page *p, const char *receipt, const char *received,
			   const char *mode)
{
	char ack[DATE_LEN + 1], fb[DATE_LEN + 1];
	intake_ack_due(received, ack);
	intake_feedback_due(received, NULL, fb);
	struct receipt_view v = {receipt, ack, fb, strcmp(mode, "anonymous") == 0};
	page_begin(p, page_tr(p, "Your report has been received"));
	tmpl_intake_report_done(&p->res->body, &p->t, &v);
	page_end(p);
}

void intake_page_report_send(struct page *p)
{
	struct screen_state *s = arena_alloc(p->a, sizeof *s);
	memset(s, 0, sizeof *s);
	if (start_state(p, s) != 0)
		return;
	int last = wiz_nscreens(&s->w) - 1;
	struct intake_file files[INTAKE_FILES_MAX];
	unsigned counts[INTAKE_Q_MAX_FIELDS] = {0};
	size_t nfiles = collect_files(p, s, files, counts);
	struct wiz_problems file_probs = s->probs;
	wiz_check(&s->w, last, 1, s->today, counts, &s->probs);
	for (size_t i = 0; i < file_probs.n && s->probs.n < INTAKE_MAX_ERRORS; i++)
		s->probs.p[s->probs.n++] = file_probs.p[i];
	check_db(p, s, last, 1);
	if (s->probs.n) {
		p->res->status = 422;
		render(p, s, last);
		return;
	}
	size_t len = 0;
	char *answers = wiz_answers_json(&s->w, p->a, &len);
	const char *kind = wiz_answer(&s->w, "kind");
	if (!answers) {
		page_fail(p, 500, "Your report could not be sent because of a problem on our side. Nothing was stored. Try again later.");
		return;
	}
	struct intake_submission sub = {
		.org_code = s->org.code,
		.kind = *kind ? kind : "integrity_violation",
		.mode = s->w.mode,
		.questionnaire = s->w.q->id,
		.questionnaire_revision = s->w.q->revision,
		.answers = answers,
		.answers_len = len,
		.identity = s->w.identity,
		.recused = s->w.recused,
		.nrecused = s->w.nrecused,
		.files = files,
		.nfiles = nfiles,
	};
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_error e;
	int r = intake_submit(p->db, p->signer, &sub, receipt, NULL, &e);
	sodium_memzero(answers, len);
	if (r != 0) {
		/* the message names no content: intake errors never quote it */
		log_warn("report not stored: code %d", e.code);
		if (e.code == INTAKE_EDB) {
			page_fail(p, 503, "Your report could not be sent because of a problem on our side. Nothing was stored. Try again later.");
			return;
		}
		s->probs.n = 0;
		s->probs.p[s->probs.n++] = (struct wiz_problem){
			"org", e.code == INTAKE_ECONFLICT
				       ? N_("Nobody can receive your report for this organisation at the moment. Choose \"I do not know\" as the organisation.")
				       : N_("Your report could not be sent. Check your answers and try again.")};
		p->res->status = 422;
		render(p, s, last);
		return;
	}
	render_receipt(p, receipt, s->today, s->w.mode);
	sodium_memzero(receipt, sizeof receipt);
}
