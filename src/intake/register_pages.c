/* register_pages.c: a report made in person or by phone to a manager or a
 * confidential adviser, written down by them (issue 4, item 8).
 *
 * One page: what to do and not to do, then the whole questionnaire (staff
 * need no guided steps; a conditional question is shown with its condition
 * in words, and an answer to one that does not apply is refused, not quietly
 * dropped). On success the report is stored like any other (intake_submit,
 * registered_by = the registrar), sealed to the organisation's handlers and
 * to a fresh receipt, which is shown this once to hand to the reporter. The
 * registrar keeps no key of their own unless they are a handler anyway.
 *
 * Nothing typed here is logged; a refused form is rendered back to the
 * registrar and nothing is stored. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "base/log.h"
#include "handler_tmpl.h"
#include "intake/attach.h"
#include "intake/clock.h"
#include "intake/handler_pages.h"
#include "intake/handler_views.h"
#include "intake/intake.h"
#include "intake/qset.h"
#include "orgs/orgs.h"
#include "web/i18n.h"
#include "web/page.h"

#define MAX_PROBLEMS 48
#define MAX_RECIPIENTS 64

struct problem {
	const char *name;   /* form field: "org", "mode", "identity", "a.<id>", "f.<id>", "readback" */
	const char *text;   /* translated */
};

struct reg {
	const struct intake_questionnaire *q;
	char today[DATE_LEN + 1];
	struct rg_org *orgs;   /* where the viewer may register, today */
	size_t norgs;
	const char *org, *mode, *identity;
	int readback;
	struct intake_answer ans[INTAKE_MAX_ANSWERS + INTAKE_Q_MAX_FIELDS];
	size_t nans;           /* text answers first, then one per file field with files */
	unsigned char shown[INTAKE_Q_MAX_FIELDS];
	struct intake_file files[INTAKE_FILES_MAX];
	size_t nfiles;
	struct problem probs[MAX_PROBLEMS];
	size_t nprobs;
};

static void problem(struct reg *s, const char *name, const char *text)
{
	if (s->nprobs < MAX_PROBLEMS)
		s->probs[s->nprobs++] = (struct problem){name, text};
}

static const char *problem_for(const struct reg *s, const char *name)
{
	for (size_t i = 0; i < s->nprobs; i++)
		if (strcmp(s->probs[i].name, name) == 0)
			return s->probs[i].text;
	return NULL;
}

/* ---- where the viewer may register ---- */

static int may_register_role(enum role r)
{
	return r == ROLE_MANAGER || r == ROLE_CONFIDENTIAL_ADVISER;
}

/* The organisations the viewer may register reports for today, as
 * intake_submit decides it: the row of a manager or adviser role and, for a
 * department, every unit under it. -1 when the tree cannot be read. */
static int allowed_orgs(struct page *p, struct reg *s)
{
	const struct viewer *v = p->viewer;
	struct org_table t;
	org_table_init(&t);
	if (orgs_load(p->db, &t) != 0) {
		org_table_free(&t);
		return -1;
	}
	size_t cap = 0;
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < v->nroles; i++) {
			if (!may_register_role(v->role[i].role))
				continue;
			const struct org *o = org_by_id(&t, v->role[i].org_id);
			if (!o || !org_alive_at(o, s->today))
				continue;
			struct org_tree_item *items = NULL;
			size_t n = 0;
			if (o->kind == ORG_DEPARTMENT) {
				org_tree(&t, s->today, o->id, &items, &n);
			} else {
				items = malloc(sizeof *items);
				if (items) {
					items[0] = (struct org_tree_item){o, 0};
					n = 1;
				}
			}
			for (size_t k = 0; k < n; k++) {
				const struct org *r = items[k].row;
				if (pass == 0) {
					cap++;
					continue;
				}
				int seen = 0;
				for (size_t j = 0; j < s->norgs && !seen; j++)
					seen = org_code_eq(s->orgs[j].code, r->code);
				if (!seen)
					s->orgs[s->norgs++] = (struct rg_org){
						arena_strdup(p->a, r->code), arena_strdup(p->a, r->name),
						r->kind == ORG_UNIT, 0};
			}
			free(items);
		}
		if (pass == 0)
			s->orgs = arena_alloc(p->a, (cap ? cap : 1) * sizeof *s->orgs);
	}
	org_table_free(&t);
	return 0;
}

/* ---- reading and checking the form ---- */

static int known_mode(const char *m)
{
	return strcmp(m, "open") == 0 || strcmp(m, "confidential") == 0 ||
	       strcmp(m, "anonymous") == 0;
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* The text answers as posted: the first value of each known, non-file
 * field. Unknown names are ignored (they cannot come from our form). */
static void read_answers(struct page *p, struct reg *s)
{
	for (size_t i = 0; i < p->form.n; i++) {
		const struct form_field *x = &p->form.fields[i];
		if (x->filename || strncmp(x->name, "a.", 2) != 0 || x->len == 0)
			continue;
		int k = intake_q_field(s->q, x->name + 2);
		if (k < 0 || s->q->fields[k].type == INTAKE_F_FILE)
			continue;
		int dup = 0;
		for (size_t j = 0; j < s->nans && !dup; j++)
			dup = strcmp(s->ans[j].field, s->q->fields[k].id) == 0;
		if (!dup && s->nans < INTAKE_MAX_ANSWERS)
			s->ans[s->nans++] = (struct intake_answer){s->q->fields[k].id, x->value,
								    x->len, 0};
	}
}

static const char *answer_of(const struct reg *s, const char *id)
{
	for (size_t i = 0; i < s->nans; i++)
		if (s->ans[i].files == 0 && strcmp(s->ans[i].field, id) == 0)
			return s->ans[i].value;
	return "";
}

/* The files posted for file fields ("f.<id>"), each checked by content;
 * adds one answer per field with its count. */
static void read_files(struct page *p, struct reg *s)
{
	unsigned counts[INTAKE_Q_MAX_FIELDS] = {0};
	size_t total = 0;
	for (size_t i = 0; i < p->form.n; i++) {
		const struct form_field *x = &p->form.fields[i];
		if (!x->filename || strncmp(x->name, "f.", 2) != 0)
			continue;
		if (x->len == 0 && !*x->filename)
			continue; /* a file input left empty */
		int k = intake_q_field(s->q, x->name + 2);
		if (k < 0 || s->q->fields[k].type != INTAKE_F_FILE)
			continue;
		const char *name = arena_strdup(p->a, x->name);
		const char *mime = NULL, *ext = NULL;
		enum attach_refusal why = ATTACH_OK;
		if (s->nfiles == INTAKE_FILES_MAX) {
			problem(s, name, page_tr(p, "You can add at most 10 files. The reporter can add more later with their report code."));
			continue;
		}
		if (x->len > INTAKE_FILE_MAX) {
			problem(s, name, page_tr(p, "A file is larger than 10 MB."));
			continue;
		}
		if ((total += x->len) > INTAKE_FILES_TOTAL) {
			problem(s, name, page_tr(p, "The files together are larger than 25 MB. The reporter can add more later with their report code."));
			continue;
		}
		char *clean = arena_alloc(p->a, INTAKE_FILENAME_MAX + 1);
		if (attach_check((const unsigned char *)x->value, x->len, &mime, &ext, &why) != 0) {
			attach_clean_name(x->filename, strlen(x->filename), clean, NULL);
			problem(s, name, arena_printf(p->a, "%s: %s", clean,
						      page_tr(p, attach_refusal_text(why))));
			continue;
		}
		attach_clean_name(x->filename, strlen(x->filename), clean, ext);
		s->files[s->nfiles++] = (struct intake_file){(const unsigned char *)x->value, x->len,
							     mime, clean};
		counts[k]++;
	}
	for (size_t i = 0; i < s->q->nfields; i++)
		if (counts[i])
			s->ans[s->nans++] = (struct intake_answer){s->q->fields[i].id, "", 0, counts[i]};
}

static void read_form(struct page *p, struct reg *s)
{
	const char *v;
	s->org = (v = page_field(p, "org")) ? v : "";
	s->mode = (v = page_field(p, "mode")) && known_mode(v) ? v : "";
	s->identity = (v = page_field(p, "identity")) ? v : "";
	s->readback = (v = page_field(p, "readback")) && strcmp(v, "yes") == 0;
	read_answers(p, s);
	read_files(p, s);
	intake_shown(s->q, s->ans, s->nans, s->shown);
}

static void check_form(struct page *p, struct reg *s)
{
	int org_ok = 0;
	for (size_t i = 0; i < s->norgs; i++)
		if (org_code_eq(s->orgs[i].code, s->org)) {
			s->orgs[i].selected = 1;
			org_ok = 1;
		}
	if (!*s->org)
		problem(s, "org", page_tr(p, "Choose the organisation the report is about."));
	else if (!org_ok)
		problem(s, "org", page_tr(p, "You can register reports only for the organisations where you are a manager or confidential adviser, and for their units."));
	if (!*s->mode)
		problem(s, "mode", page_tr(p, "Choose how the reporter wants to report."));
	else if (strcmp(s->mode, "anonymous") == 0 && !blank(s->identity))
		problem(s, "identity", page_tr(p, "The report is anonymous, so leave the reporter's name out, or choose a confidential report."));
	else if (strcmp(s->mode, "anonymous") != 0 && blank(s->identity))
		problem(s, "identity", page_tr(p, "Fill in the reporter's name and how to reach them, or choose an anonymous report."));
	if (strlen(s->identity) > INTAKE_IDENTITY_MAX)
		problem(s, "identity", page_tr(p, "This text is too long: at most 1,000 characters."));
	struct intake_answer_errors errs;
	if (intake_answers_check(s->q, s->ans, s->nans, s->today, &errs) != 0)
		for (size_t i = 0; i < errs.n; i++) {
			int k = errs.e[i].index;
			if (k < 0)
				continue; /* unknown ids were not read */
			const struct intake_field *f = &s->q->fields[k];
			const char *name = arena_printf(p->a, "%s%s",
							f->type == INTAKE_F_FILE ? "f." : "a.", f->id);
			/* the questionnaire's words speak to a reporter; staff get
			 * told what to do on this page */
			const char *text = !s->shown[k]
				? page_tr(p, "This question does not apply to the answers given above (see the note under it). Leave it empty, or change the answer it depends on.")
				: page_tr(p, errs.e[i].msgid);
			problem(s, name, text);
		}
	if (!s->readback)
		problem(s, "readback", page_tr(p, "Read the record back to the reporter, then tick the box to confirm that you did."));
}

/* ---- the form ---- */

/* "Only when the answer to "Kind of report" is: Unwanted behaviour." */
static const char *applies_text(struct page *p, const struct intake_questionnaire *q,
				const struct intake_field *f)
{
	if (!f->show_if)
		return NULL;
	const struct intake_field *dep = &q->fields[f->show_if->field];
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < f->show_if->nvalues; i++) {
		const char *val = f->show_if->values[i], *label = val;
		if (dep->type == INTAKE_F_YESNO)
			label = page_tr(p, strcmp(val, "yes") == 0 ? N_("Yes") : N_("No"));
		for (size_t c = 0; c < dep->nchoices; c++)
			if (strcmp(dep->choices[c].id, val) == 0)
				label = intake_text_get(&dep->choices[c].label, p->lang);
		if (i)
			buf_adds(&b, i + 1 == f->show_if->nvalues
					     ? arena_printf(p->a, " %s ", page_tr(p, "or"))
					     : ", ");
		buf_adds(&b, label);
	}
	const char *s = arena_printf(
		p->a, "%s %.*s.",
		page_tr1(p, "Only when the answer to \"{}\" is:", intake_text_get(&dep->label, p->lang)),
		(int)b.n, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

static struct rg_field field_view(struct page *p, const struct reg *s, size_t i)
{
	const struct intake_field *f = &s->q->fields[i];
	const char *name = arena_printf(p->a, "%s%s", f->type == INTAKE_F_FILE ? "f." : "a.", f->id);
	struct rg_field v = {
		.html_id = arena_printf(p->a, "q-%s", f->id),
		.name = name,
		.label = intake_text_get(&f->label, p->lang),
		.help = intake_text_get(&f->help, p->lang),
		.error = problem_for(s, name),
		.value = answer_of(s, f->id),
		.applies = applies_text(p, s->q, f),
		.type = f->type,
		.required = f->required,
		.max_len = f->max_len,
	};
	if (f->type == INTAKE_F_CHOICE || f->type == INTAKE_F_YESNO) {
		size_t nc = f->type == INTAKE_F_YESNO ? 2 : f->nchoices;
		struct rg_choice *c = arena_alloc(p->a, nc * sizeof *c);
		for (size_t k = 0; k < nc; k++) {
			const char *val, *label;
			if (f->type == INTAKE_F_YESNO) {
				val = k == 0 ? "yes" : "no";
				label = page_tr(p, k == 0 ? N_("Yes") : N_("No"));
			} else {
				val = f->choices[k].id;
				label = intake_text_get(&f->choices[k].label, p->lang);
			}
			c[k] = (struct rg_choice){arena_printf(p->a, "q-%s-%s", f->id, val), val, label,
						  strcmp(v.value, val) == 0};
		}
		v.choices = c;
		v.nchoices = nc;
	}
	return v;
}

static void render_form(struct page *p, struct reg *s)
{
	struct register_view v = {
		.csrf = p->csrf,
		.orgs = s->orgs,
		.norgs = s->norgs,
		.org_error = problem_for(s, "org"),
		.mode = s->mode,
		.identity = s->identity,
		.mode_error = problem_for(s, "mode"),
		.identity_error = problem_for(s, "identity"),
		.readback = s->readback,
		.readback_error = problem_for(s, "readback"),
	};
	struct rg_field *f = arena_alloc(p->a, (s->q->nfields + 1) * sizeof *f);
	for (size_t i = 0; i < s->q->nfields; i++)
		f[v.nfields++] = field_view(p, s, i);
	v.fields = f;
	struct rg_error *errs = arena_alloc(p->a, (s->nprobs + 1) * sizeof *errs);
	for (size_t i = 0; i < s->nprobs; i++) {
		const char *n = s->probs[i].name, *text = s->probs[i].text;
		const char *anchor = n;
		if (strncmp(n, "a.", 2) == 0 || strncmp(n, "f.", 2) == 0) {
			/* several questions can share a message: name the question */
			int k = intake_q_field(s->q, n + 2);
			anchor = arena_printf(p->a, "q-%s", n + 2);
			if (k >= 0)
				text = arena_printf(p->a, "%s: %s",
						    intake_text_get(&s->q->fields[k].label, p->lang),
						    text);
		}
		errs[i] = (struct rg_error){anchor, text};
	}
	v.errors = errs;
	v.nerrors = s->nprobs;
	page_begin(p, page_tr(p, "Register a report made to you in person"));
	tmpl_handler_register_form(&p->res->body, &p->t, &v);
	page_end(p);
}

/* Sets up the state both requests need. Returns -1 having answered. */
static int start(struct page *p, struct reg *s)
{
	memset(s, 0, sizeof *s);
	s->q = intake_qset_current();
	if (!s->q) {
		page_fail(p, 500, "The report form is not available. Try again later.");
		return -1;
	}
	date_today(s->today);
	s->org = s->mode = s->identity = "";
	if (allowed_orgs(p, s) != 0) {
		page_fail(p, 503, "The organisations cannot be read at the moment. Try again later.");
		return -1;
	}
	if (s->norgs == 0) {
		page_fail(p, 403, "None of the organisations where you are a manager or confidential adviser exists today. Ask your administrator to update your roles.");
		return -1;
	}
	return 0;
}

void intake_page_register(struct page *p)
{
	struct reg *s = arena_alloc(p->a, sizeof *s);
	if (start(p, s) != 0)
		return;
	if (s->norgs == 1)
		s->orgs[0].selected = 1;
	render_form(p, s);
}

/* ---- saving ---- */

/* The answers as the JSON object a report stores: every answered text field
 * (all shown: the checks passed), as strings. In the request arena, which
 * is wiped when freed. NULL on allocation failure. */
static char *answers_json(struct page *p, const struct reg *s, size_t *len)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	for (size_t i = 0; i < s->q->nfields; i++) {
		const struct intake_field *f = &s->q->fields[i];
		const char *v = answer_of(s, f->id);
		if (f->type == INTAKE_F_FILE || !s->shown[i] || !*v)
			continue;
		if (json_object_set_new(o, f->id, json_string(v)) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	char *j = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!j)
		return NULL;
	*len = strlen(j);
	char *copy = arena_strndup(p->a, j, *len);
	sodium_memzero(j, *len);
	free(j);
	return copy;
}

/* Whether account id receives reports of org_code (then it keeps access). */
static int receives(struct page *p, const char *org_code, int64_t id)
{
	struct intake_recipient *r = arena_alloc(p->a, MAX_RECIPIENTS * sizeof *r);
	size_t n = 0;
	if (intake_recipients(p->db, org_code, r, MAX_RECIPIENTS, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (r[i].account_id == id)
			return 1;
	return 0;
}

static void render_done(struct page *p, const struct reg *s, const char *receipt)
{
	char ack[DATE_LEN + 1], fb[DATE_LEN + 1];
	intake_ack_due(s->today, ack);
	intake_feedback_due(s->today, NULL, fb);
	const char *org = s->org;
	for (size_t i = 0; i < s->norgs; i++)
		if (org_code_eq(s->orgs[i].code, s->org))
			org = arena_printf(p->a, "%s (%s)", s->orgs[i].name, s->orgs[i].code);
	struct register_done_view v = {
		.receipt = receipt,
		.org = org,
		.ack_due = ack,
		.feedback_due = fb,
		.anonymous = strcmp(s->mode, "anonymous") == 0,
		.registrar_handles = receives(p, s->org, p->viewer->account.id),
	};
	page_begin(p, page_tr(p, "The report has been saved"));
	tmpl_handler_register_done(&p->res->body, &p->t, &v);
	page_end(p);
}

void intake_page_register_post(struct page *p)
{
	struct reg *s = arena_alloc(p->a, sizeof *s);
	if (start(p, s) != 0)
		return;
	read_form(p, s);
	check_form(p, s);
	if (s->nprobs) {
		p->res->status = 422;
		render_form(p, s);
		return;
	}
	size_t len = 0;
	char *answers = answers_json(p, s, &len);
	if (!answers) {
		page_fail(p, 500, "The report could not be saved because of a problem on our side. Nothing was stored. Try again later.");
		return;
	}
	const char *kind = answer_of(s, "kind");
	struct intake_submission sub = {
		.org_code = s->org,
		.kind = *kind ? kind : "integrity_violation",
		.mode = s->mode,
		.questionnaire = s->q->id,
		.questionnaire_revision = s->q->revision,
		.answers = answers,
		.answers_len = len,
		.identity = blank(s->identity) ? NULL : s->identity,
		.files = s->files,
		.nfiles = s->nfiles,
		.registered_by = p->viewer->account.id,
	};
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_error e;
	int r = intake_submit(p->db, p->signer, &sub, receipt, NULL, &e);
	sodium_memzero(answers, len);
	if (r == 0) {
		render_done(p, s, receipt);
		sodium_memzero(receipt, sizeof receipt);
		return;
	}
	/* the message names no content: intake errors never quote it */
	log_warn("registered report not stored: code %d", e.code);
	switch (e.code) {
	case INTAKE_ECONFLICT:
		problem(s, "org", page_tr(p, "Nobody can receive reports for this organisation yet: it has no integrity coordinator or confidential adviser with an account. Nothing was stored. Contact the central integrity desk."));
		break;
	case INTAKE_ENOTFOUND:
	case INTAKE_EINVALID:
		problem(s, "org", page_tr(p, "The report could not be saved with these details. Nothing was stored. Check the organisation and your answers, and try again."));
		break;
	default:
		page_fail(p, 503, "The report could not be saved because of a problem on our side. Nothing was stored. Try again later.");
		return;
	}
	p->res->status = 422;
	render_form(p, s);
}
