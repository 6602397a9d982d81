/* pages_group.c: one norm or principle of a self-assessment as one form
 * (pages.h), and an evidence file as a download.
 *
 * Field names end in the requirement's index in the framework (k): the
 * judgements "j0-k" (design), "j1-k" (existence), "j2-k" (operation), the
 * maturity "m-k", the comment "c-k", a new link "link-k", a new file
 * "file-k", a new action point "n-k-text", "-owner", "-due", "-status";
 * existing action points "a-ID-text" ... and "a-ID-drop"; evidence to remove
 * "drop-ev" (its id). Everything is checked before anything is stored; a
 * refused form is shown again with what was typed and the reason beside the
 * requirement it concerns (a browser never refills a file field, so the
 * message asks for the file again). The save itself is one transaction
 * (assess_save). */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/viewer.h"
#include "assess/pages.h"
#include "assess/views.h"
#include "assess_tmpl.h"
#include "base/log.h"
#include "base/num.h"
#include "base/utf8.h"
#include "crypto/vault.h"
#include "intake/upload.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/page.h"

/* What the form holds for one requirement. */
struct rstate {
	struct assess_marks marks;
	const char *comment;
	const char *new_text, *new_owner, *new_due, *new_link;
	int new_status;
	const char *error;
};

/* What the form holds for one existing action point. */
struct astate {
	const char *text, *owner, *due;
	int status, drop;
};

static int group_of(struct page *p, const struct assess_full *a, size_t *g)
{
	int64_t n = p->params[1];
	if (n < 1 || (size_t)n > a->fw.ngroups) {
		page_fail(p, 404, "This self-assessment has no such norm or principle.");
		return -1;
	}
	*g = (size_t)n - 1;
	return 0;
}

static const char *field(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The posted field whose name fmt makes, or NULL. */
static const char *field(struct page *p, const char *fmt, ...)
{
	char name[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	return page_field(p, name);
}

static struct av_option *options(struct page *p, size_t n, const char *(*word)(const struct page *, int),
				 const char *(*name)(int), int chosen)
{
	struct av_option *o = arena_alloc(p->a, n * sizeof *o);
	for (size_t i = 0; i < n; i++)
		o[i] = (struct av_option){name((int)i), word(p, (int)i), (int)i == chosen};
	return o;
}

/* "PDF, 12 kB, added by Ivo on 2025-01-02" */
static const char *evidence_meta(struct page *p, const struct assess_evidence *e)
{
	const char *who = arena_printf(p->a, "%s %s, %.10s", page_tr(p, "added by"), e->author,
				       e->created_at);
	if (!e->is_file || !*e->mime)
		return arena_printf(p->a, "(%s)", who);
	return arena_printf(p->a, "(%s, %zu kB, %s)", e->mime, (e->size + 1023) / 1024, who);
}

/* Draws the group page from a (the stored state), with rs/as the typed
 * state when a form was refused (NULL: from a). */
static void show(struct page *p, struct assess_full *a, size_t g, int has_key, int status,
		 const struct rstate *rs, const struct astate *as, const char *error)
{
	const struct fw_group *gr = &a->fw.groups[g];
	int editable = (a->caps & ASSESS_CAP_DRAFT) && a->row.status == ASSESS_DRAFT;
	struct assess_marks *m = assess_full_marks(a);
	struct assess_scores s;
	assess_score(&a->fw, m, &s);
	free(m);
	const char *base = arena_printf(p->a, "/zelfevaluaties/%lld", (long long)a->row.id);
	struct av_req *reqs = arena_alloc(p->a, (gr->n ? gr->n : 1) * sizeof *reqs);
	int files_hidden = 0;
	for (size_t i = 0; i < gr->n; i++) {
		size_t k = gr->first + i;
		const struct fw_req *r = &a->fw.reqs[k];
		const struct assess_item *it = &a->items[k];
		struct av_req *v = &reqs[i];
		struct assess_marks mk = rs ? rs[i].marks : it->marks;
		v->idx = arena_printf(p->a, "%zu", k);
		v->code = arena_strdup(p->a, r->code);
		v->text = arena_strdup(p->a, fw_lang(r->text_nl, r->text_en, p->lang));
		for (int d = 0; d < ASSESS_DIMS; d++)
			v->dims[d] = (struct av_dim){
				.field = arena_printf(p->a, "j%d-%zu", d, k),
				.legend = assess_words_dim(p, d),
				.opts = options(p, ASSESS_J_ADEQUATE + 1, assess_words_judgement,
						assess_judgement_name, mk.dim[d]),
				.nopts = ASSESS_J_ADEQUATE + 1,
				.chosen = assess_words_judgement(p, mk.dim[d]),
			};
		v->maturity = options(p, ASSESS_M_LEADING + 1, assess_words_maturity,
				      assess_maturity_name, mk.maturity);
		v->nmaturity = ASSESS_M_LEADING + 1;
		v->maturity_words = assess_words_maturity(p, mk.maturity);
		v->comment = rs ? rs[i].comment : arena_strdup(p->a, it->comment);
		v->prefilled = it->prefilled && !rs;
		v->score = assess_words_score(p, &s.reqs[k]);
		v->new_text = rs ? rs[i].new_text : "";
		v->new_owner = rs ? rs[i].new_owner : "";
		v->new_due = rs ? rs[i].new_due : "";
		v->new_link = rs ? rs[i].new_link : "";
		v->new_status = options(p, ASSESS_AP_DONE + 1, assess_words_ap_status,
					assess_ap_status_name, rs ? rs[i].new_status : 0);
		v->nnew_status = ASSESS_AP_DONE + 1;
		v->error = rs ? rs[i].error : NULL;
		size_t ne = 0, na = 0;
		for (size_t j = 0; j < a->nevidence; j++)
			ne += a->evidence[j].req == k;
		for (size_t j = 0; j < a->nactions; j++)
			na += a->actions[j].req == k;
		struct av_evidence *ev = arena_alloc(p->a, (ne ? ne : 1) * sizeof *ev);
		struct av_apoint *ap = arena_alloc(p->a, (na ? na : 1) * sizeof *ap);
		ne = na = 0;
		for (size_t j = 0; j < a->nevidence; j++) {
			const struct assess_evidence *e = &a->evidence[j];
			if (e->req != k)
				continue;
			struct av_evidence *x = &ev[ne++];
			x->id = arena_printf(p->a, "%lld", (long long)e->id);
			x->is_file = e->is_file;
			x->meta = evidence_meta(p, e);
			if (!e->is_file) {
				x->label = arena_strdup(p->a, e->url);
				x->href = x->label;
			} else if (has_key) {
				x->label = arena_strdup(p->a, e->name);
				x->href = arena_printf(p->a, "%s/bewijs/%lld", base, (long long)e->id);
				x->readable = 1;
			} else {
				x->label = page_tr(p, "A file (encrypted)");
				files_hidden = 1;
			}
		}
		for (size_t j = 0; j < a->nactions; j++) {
			const struct assess_action_pt *x = &a->actions[j];
			if (x->req != k)
				continue;
			const struct astate *st = as ? &as[j] : NULL;
			int stat = st ? st->status : x->status;
			ap[na++] = (struct av_apoint){
				.id = arena_printf(p->a, "%lld", (long long)x->id),
				.text = st ? st->text : arena_strdup(p->a, x->text),
				.owner = st ? st->owner : arena_strdup(p->a, x->owner),
				.due = st ? st->due : arena_strdup(p->a, x->due),
				.statuses = options(p, ASSESS_AP_DONE + 1, assess_words_ap_status,
						    assess_ap_status_name, stat),
				.nstatuses = ASSESS_AP_DONE + 1,
				.status = assess_words_ap_status(p, stat),
			};
		}
		v->evidence = ev;
		v->nevidence = ne;
		v->actions = ap;
		v->nactions = na;
	}
	struct assess_group_view v = {
		.csrf = p->csrf,
		.action = arena_printf(p->a, "%s/groepen/%zu", base, g + 1),
		.back = base,
		.title = assess_words_title(p, a),
		.group = arena_printf(p->a, "%s. %s", gr->code,
				      fw_lang(gr->title_nl, gr->title_en, p->lang)),
		.score = assess_words_score(p, &s.groups[g]),
		.editable = editable,
		.files_note = files_hidden,
		.reqs = reqs,
		.nreqs = gr->n,
		.error = error,
		.prev_href = g > 0 ? arena_printf(p->a, "%s/groepen/%zu", base, g) : NULL,
		.next_href = g + 1 < a->fw.ngroups ? arena_printf(p->a, "%s/groepen/%zu", base, g + 2)
						   : NULL,
	};
	if (status)
		p->res->status = status;
	page_begin(p, v.group);
	tmpl_assess_assess_group(&p->res->body, &p->t, &v);
	page_end(p);
	assess_scores_free(&s);
}

/* Opens the key and fills the evidence names; returns whether the viewer
 * holds it. */
static int key_and_names(struct page *p, struct assess_full *a)
{
	unsigned char *key = vault_secure_alloc(ENVELOPE_KEY_BYTES);
	struct assess_error e;
	int has = assess_page_key(p, a->row.id, key) == 0 &&
		  assess_evidence_names(p->db, key, a, &e) == 0;
	vault_secure_free(key);
	return has;
}

void assess_page_group(struct page *p)
{
	struct assess_full a;
	size_t g;
	if (assess_page_read(p, p->params[0], &a) != 0)
		return;
	if (group_of(p, &a, &g) == 0) {
		const char *done = http_query(p->req, "done");
		if (done && strcmp(done, "saved") == 0)
			p->notice = page_tr(p, "Saved.");
		show(p, &a, g, key_and_names(p, &a), 0, NULL, NULL, NULL);
	}
	assess_full_free(&a);
}

/* ---- saving ---- */

static int text_ok(const char *s, size_t max, int breaks)
{
	size_t n = s ? strlen(s) : 0;
	return n <= max && (n == 0 || utf8_text_clean(s, n, breaks));
}

static int blank(const char *s)
{
	return !s || s[strspn(s, " \t\r\n")] == '\0';
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Reads the action-point fields into text/owner/due/status; returns NULL
 * or a translated refusal. */
static const char *read_action(struct page *p, const char *text, const char *owner,
			       const char *due, const char *status, int *st)
{
	if (blank(text) || !text_ok(text, ASSESS_ACTION_TEXT_MAX, 0))
		return page_tr(p, "An action point needs a description of at most 500 characters, on one line.");
	if (!text_ok(owner, ASSESS_OWNER_MAX, 0))
		return page_tr(p, "The owner of an action point takes at most 120 characters, on one line.");
	if (due && *due && date_valid(due, strlen(due)) != 0)
		return page_tr(p, "Give the due date of an action point as a date: YYYY-MM-DD.");
	if (assess_ap_status_parse(status ? status : "open", st) != 0)
		return page_tr(p, "Choose the status of an action point from the list.");
	return NULL;
}

void assess_page_group_post(struct page *p)
{
	struct assess_full a;
	size_t g;
	if (assess_page_read(p, p->params[0], &a) != 0)
		return;
	if (group_of(p, &a, &g) != 0) {
		assess_full_free(&a);
		return;
	}
	const struct fw_group *gr = &a.fw.groups[g];
	struct rstate *rs = arena_alloc(p->a, (gr->n ? gr->n : 1) * sizeof *rs);
	struct astate *as = arena_alloc(p->a, (a.nactions ? a.nactions : 1) * sizeof *as);
	struct assess_item_in *items = arena_alloc(p->a, (gr->n ? gr->n : 1) * sizeof *items);
	struct assess_action_in *acts = arena_alloc(p->a, (a.nactions + gr->n + 1) * sizeof *acts);
	struct assess_evidence_in *add = arena_alloc(p->a, (2 * gr->n + 1) * sizeof *add);
	int64_t *drop = arena_alloc(p->a, (a.nevidence ? a.nevidence : 1) * sizeof *drop);
	size_t nacts = 0, nadd = 0, ndrop = 0, nfiles = 0;
	struct upload up = {0};
	const char *error = NULL;
	int status = 422;

	for (size_t i = 0; i < gr->n; i++) {
		size_t k = gr->first + i;
		struct rstate *r = &rs[i];
		for (int d = 0; d < ASSESS_DIMS; d++) {
			char name[32];
			snprintf(name, sizeof name, "j%d-%zu", d, k);
			const char *v = page_field(p, name);
			int j = 0;
			if (v && assess_judgement_parse(v, &j) != 0)
				r->error = page_tr(p, "Choose one of the judgements offered.");
			r->marks.dim[d] = (unsigned char)j;
		}
		const char *mv = field(p, "m-%lld", (long long)k);
		int mat = 0;
		if (mv && assess_maturity_parse(mv, &mat) != 0)
			r->error = page_tr(p, "Choose one of the maturity levels offered.");
		r->marks.maturity = (unsigned char)mat;
		r->comment = or_empty(field(p, "c-%lld", (long long)k));
		if (!text_ok(r->comment, ASSESS_COMMENT_MAX, 1))
			r->error = page_tr(p, "The comment is too long (at most 4,000 characters) or holds characters that cannot be stored.");
		r->new_link = or_empty(field(p, "link-%lld", (long long)k));
		if (!blank(r->new_link)) {
			if (assess_url_ok(r->new_link) != 0)
				r->error = page_tr(p, "A link must start with https:// and name a web site, at most 2,000 characters, without spaces.");
			else
				add[nadd++] = (struct assess_evidence_in){a.fw.reqs[k].code,
									 r->new_link, {0}};
		}
		r->new_text = or_empty(field(p, "n-%lld-text", (long long)k));
		r->new_owner = or_empty(field(p, "n-%lld-owner", (long long)k));
		r->new_due = or_empty(field(p, "n-%lld-due", (long long)k));
		const char *nst = field(p, "n-%lld-status", (long long)k);
		if (!blank(r->new_text)) {
			const char *why = read_action(p, r->new_text, r->new_owner, r->new_due, nst,
						      &r->new_status);
			if (why)
				r->error = why;
			else
				acts[nacts++] = (struct assess_action_in){
					0, a.fw.reqs[k].code, r->new_text, r->new_owner,
					r->new_due, r->new_status, 0};
		} else if (nst) {
			assess_ap_status_parse(nst, &r->new_status);
		}
		char fname[32];
		snprintf(fname, sizeof fname, "file-%zu", k);
		for (size_t f = 0; f < p->form.n; f++) {
			const struct form_field *x = &p->form.fields[f];
			if (strcmp(x->name, fname) != 0 || !upload_chosen(x))
				continue;
			size_t before = up.n;
			const char *why = upload_take(p, x, &up, &status);
			if (why)
				r->error = why;
			else if (up.n > before) {
				add[nadd++] = (struct assess_evidence_in){a.fw.reqs[k].code, NULL,
									 up.files[up.n - 1]};
				nfiles++;
			}
		}
		items[i] = (struct assess_item_in){a.fw.reqs[k].code, r->marks, r->comment};
		if (r->error && !error)
			error = page_tr1(p, "Requirement {} could not be saved; see the message there. Nothing was saved. Files you chose must be chosen again.",
					 a.fw.reqs[k].code);
	}
	/* the group's existing action points */
	for (size_t j = 0; j < a.nactions; j++) {
		const struct assess_action_pt *x = &a.actions[j];
		struct astate *st = &as[j];
		*st = (struct astate){x->text, x->owner, x->due, x->status, 0};
		if (x->req < gr->first || x->req >= gr->first + gr->n)
			continue;
		const char *t = field(p, "a-%lld-text", (long long)x->id);
		if (!t)
			continue; /* not on the form: unchanged */
		st->text = t;
		st->owner = or_empty(field(p, "a-%lld-owner", (long long)x->id));
		st->due = or_empty(field(p, "a-%lld-due", (long long)x->id));
		st->drop = field(p, "a-%lld-drop", (long long)x->id) != NULL;
		if (st->drop) {
			acts[nacts++] = (struct assess_action_in){x->id, NULL, NULL, NULL, NULL, 0, 1};
			continue;
		}
		const char *why = read_action(p, st->text, st->owner, st->due,
					      field(p, "a-%lld-status", (long long)x->id), &st->status);
		if (why) {
			struct rstate *r = &rs[x->req - gr->first];
			r->error = why;
			if (!error)
				error = page_tr1(p, "Requirement {} could not be saved; see the message there. Nothing was saved. Files you chose must be chosen again.",
						 a.fw.reqs[x->req].code);
			continue;
		}
		acts[nacts++] = (struct assess_action_in){x->id, NULL, st->text, st->owner, st->due,
							  st->status, 0};
	}
	/* evidence to remove: only this group's */
	for (size_t f = 0; f < p->form.n; f++) {
		const struct form_field *x = &p->form.fields[f];
		int64_t eid = 0;
		if (strcmp(x->name, "drop-ev") != 0 || x->filename ||
		    num_parse_i64z(x->value, 1, INT64_MAX, &eid) != 0)
			continue;
		for (size_t j = 0; j < a.nevidence; j++)
			if (a.evidence[j].id == eid && a.evidence[j].req >= gr->first &&
			    a.evidence[j].req < gr->first + gr->n)
				drop[ndrop++] = eid;
	}
	if (error) {
		show(p, &a, g, key_and_names(p, &a), status, rs, as, error);
		assess_full_free(&a);
		return;
	}
	unsigned char *key = NULL;
	if (nfiles) {
		key = vault_secure_alloc(ENVELOPE_KEY_BYTES);
		if (assess_page_key(p, a.row.id, key) != 0) {
			vault_secure_free(key);
			show(p, &a, g, 0, 403, rs, as, page_tr(p, "Nothing was saved: you hold no key to this assessment's evidence files yet. It is given to you the next time a colleague who holds it opens the assessment; until then, add a link instead."));
			assess_full_free(&a);
			return;
		}
	}
	struct assess_save sv = {.items = items, .nitems = gr->n, .actions = acts,
				 .nactions = nacts, .add = add, .nadd = nadd,
				 .drop_evidence = drop, .ndrop = ndrop, .key = key};
	struct assess_error e;
	int r = assess_save(p->db, p->signer, p->viewer->account.id, a.row.id, &sv, &e);
	if (key)
		vault_secure_free(key);
	if (r == 0) {
		page_redirect(p, arena_printf(p->a, "/zelfevaluaties/%lld/groepen/%zu?done=saved",
					      (long long)a.row.id, g + 1));
		assess_full_free(&a);
		return;
	}
	switch (e.code) {
	case ASSESS_ENOTFOUND:
		assess_page_not_found(p);
		break;
	case ASSESS_EDENIED:
		show(p, &a, g, 0, 403, rs, as, page_tr(p, "You may read this assessment but not change it."));
		break;
	case ASSESS_ECONFLICT:
		show(p, &a, g, 0, 409, rs, as, page_tr(p, "Nothing was saved: the assessment has been signed off meanwhile and can no longer be changed."));
		break;
	case ASSESS_EINVALID:
		show(p, &a, g, 0, 422, rs, as, page_tr(p, "Nothing was saved: a requirement has too many action points or pieces of evidence (at most 20 each), or the files are too large together."));
		break;
	default:
		log_error("assessment %lld: saving failed (code %d)", (long long)a.row.id, e.code);
		page_fail(p, 503, "Nothing was saved because of a problem on our side. Try again later.");
	}
	assess_full_free(&a);
}

/* ---- an evidence file ---- */

void assess_page_evidence(struct page *p)
{
	int64_t id = p->params[0], eid = p->params[1];
	unsigned char *key = vault_secure_alloc(ENVELOPE_KEY_BYTES);
	int k = assess_page_key(p, id, key);
	if (k != 0) {
		vault_secure_free(key);
		if (k > 0)
			assess_page_not_found(p);
		else
			page_fail(p, 403, "This assessment's evidence was encrypted for a key you no longer have, for example because your password was reset. A colleague who holds it can share it again by opening the assessment.");
		return;
	}
	struct assess_evidence info;
	struct assess_error e;
	unsigned char *data = NULL;
	size_t len = 0;
	int r = assess_evidence_get(p->db, key, id, eid, &info, &data, &len, &e);
	vault_secure_free(key);
	if (r != 0) {
		if (e.code == ASSESS_ENOTFOUND)
			page_fail(p, 404, "This self-assessment has no such evidence file.");
		else {
			log_error("assessment %lld: evidence %lld does not open (code %d)",
				  (long long)id, (long long)eid, e.code);
			page_fail(p, 500, "This file cannot be decrypted: the stored data is damaged. Tell your administrator.");
		}
		return;
	}
	upload_send(p, info.name, info.mime, data, len);
	sodium_memzero(&info, sizeof info);
}
