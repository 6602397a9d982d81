/* wizard.c: the state of the report form carried from screen to screen (see
 * wizard.h): reading it from a posted form, which screens apply, checking a
 * screen's answers, and the answers JSON that is finally stored. */
#include "intake/wizard.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "web/i18n.h"

#define SCREENS_BEFORE_STEPS 2  /* organisation, mode */

static int known_mode(const char *m)
{
	return strcmp(m, "open") == 0 || strcmp(m, "confidential") == 0 ||
	       strcmp(m, "anonymous") == 0;
}

int wiz_read(struct wiz *w, const struct intake_questionnaire *q, const struct form *f)
{
	memset(w, 0, sizeof *w);
	w->q = q;
	w->org = "";
	w->mode = "";
	w->identity = "";
	for (size_t i = 0; i < f->n; i++) {
		const struct form_field *x = &f->fields[i];
		if (x->filename)
			continue;
		if (strcmp(x->name, "org") == 0) {
			w->org = x->value;
		} else if (strcmp(x->name, "mode") == 0) {
			w->mode = known_mode(x->value) ? x->value : "";
		} else if (strcmp(x->name, "identity") == 0) {
			w->identity = x->value;
		} else if (strcmp(x->name, "screen") == 0) {
			int64_t s;
			if (num_parse_i64z(x->value, 0, 1000, &s) != 0)
				return -1;
			w->screen = (int)s;
		} else if (strcmp(x->name, "recuse") == 0) {
			int64_t id;
			if (num_parse_i64z(x->value, 1, INT64_MAX, &id) != 0)
				return -1;
			if (wiz_is_recused(w, id))
				continue;
			if (w->nrecused == WIZ_MAX_RECUSED)
				return -1;
			w->recused[w->nrecused++] = id;
		} else if (strncmp(x->name, "a.", 2) == 0) {
			int k = intake_q_field(q, x->name + 2);
			if (k < 0 || q->fields[k].type == INTAKE_F_FILE || x->len == 0)
				continue;
			/* the first value counts, as in intake_shown */
			if (*wiz_answer(w, q->fields[k].id))
				continue;
			w->ans[w->nans++] = (struct intake_answer){q->fields[k].id, x->value,
								    x->len, 0};
		}
	}
	intake_shown(q, w->ans, w->nans, w->shown);
	/* an answer to a question that a later choice hid is not carried on:
	 * the reporter no longer sees it, so it must not be stored either.
	 * Dropping it changes no visibility: a field that depends on a hidden
	 * one is hidden too (questionnaire.h). */
	size_t kept = 0;
	for (size_t i = 0; i < w->nans; i++)
		if (w->shown[intake_q_field(q, w->ans[i].field)])
			w->ans[kept++] = w->ans[i];
	w->nans = kept;
	if (w->screen >= wiz_nscreens(w))
		w->screen = wiz_nscreens(w) - 1;
	return 0;
}

int wiz_nscreens(const struct wiz *w)
{
	return SCREENS_BEFORE_STEPS + (int)w->q->nsteps + 2;
}

enum wiz_screen_kind wiz_kind(const struct wiz *w, int screen)
{
	int steps = (int)w->q->nsteps;
	if (screen <= 0)
		return WIZ_ORG;
	if (screen == 1)
		return WIZ_MODE;
	if (screen < SCREENS_BEFORE_STEPS + steps)
		return WIZ_STEP;
	if (screen == SCREENS_BEFORE_STEPS + steps)
		return WIZ_RECUSE;
	return WIZ_REVIEW;
}

size_t wiz_step(const struct wiz *w, int screen)
{
	(void)w;
	return (size_t)(screen - SCREENS_BEFORE_STEPS);
}

int wiz_on_screen(const struct wiz *w, size_t i)
{
	return w->shown[i] && w->q->fields[i].type != INTAKE_F_FILE;
}

int wiz_applies(const struct wiz *w, int screen)
{
	if (screen < 0 || screen >= wiz_nscreens(w))
		return 0;
	if (wiz_kind(w, screen) != WIZ_STEP)
		return 1;
	const struct intake_step *s = &w->q->steps[wiz_step(w, screen)];
	for (size_t i = s->first; i < s->first + s->nfields; i++)
		if (wiz_on_screen(w, i))
			return 1;
	return 0;
}

int wiz_move(const struct wiz *w, int screen, int dir)
{
	int s = screen + dir;
	while (s > 0 && s < wiz_nscreens(w) - 1 && !wiz_applies(w, s))
		s += dir;
	if (s < 0)
		return 0;
	if (s >= wiz_nscreens(w))
		return wiz_nscreens(w) - 1;
	return s;
}

const char *wiz_answer(const struct wiz *w, const char *id)
{
	for (size_t i = 0; i < w->nans; i++)
		if (strcmp(w->ans[i].field, id) == 0)
			return w->ans[i].value;
	return "";
}

int wiz_is_recused(const struct wiz *w, int64_t id)
{
	for (size_t i = 0; i < w->nrecused; i++)
		if (w->recused[i] == id)
			return 1;
	return 0;
}

static void add(struct wiz_problems *out, const char *prefix, const char *id, const char *msgid)
{
	if (out->n == INTAKE_MAX_ERRORS)
		return;
	struct wiz_problem *p = &out->p[out->n++];
	size_t k = strlen(prefix);
	memcpy(p->name, prefix, k);
	size_t m = strlen(id);
	if (m > sizeof p->name - k - 1)
		m = sizeof p->name - k - 1;
	memcpy(p->name + k, id, m);
	p->name[k + m] = '\0';
	p->msgid = msgid;
}

/* Whether problem field index k is to be reported for this check. */
static int in_scope(const struct wiz *w, int screen, int all, int k)
{
	if (k < 0)
		return 0; /* unknown ids were dropped by wiz_read already */
	const struct intake_field *f = &w->q->fields[k];
	if (f->type == INTAKE_F_FILE)
		return all; /* files are chosen on the last screen */
	int fs = SCREENS_BEFORE_STEPS + (int)f->step;
	return all ? fs <= screen || screen >= wiz_nscreens(w) - 1 : fs == screen;
}

size_t wiz_check(const struct wiz *w, int screen, int all, const char *today,
		 const unsigned *file_counts, struct wiz_problems *out)
{
	out->n = 0;
	enum wiz_screen_kind k = wiz_kind(w, screen);
	if ((all || k == WIZ_ORG) && !*w->org)
		add(out, "", "org", N_("Choose an organisation, or \"I do not know\"."));
	if (all || k == WIZ_MODE) {
		if (!*w->mode)
			add(out, "", "mode", N_("Choose how you want to report."));
		else if (strcmp(w->mode, "anonymous") == 0 && *w->identity)
			add(out, "", "identity",
			    N_("You chose to report anonymously, so leave your name out, or choose a confidential report."));
		else if (strcmp(w->mode, "anonymous") != 0 && !*w->identity)
			add(out, "", "identity",
			    N_("Fill in your name and how the handler can reach you, or choose to report anonymously."));
		else if (strlen(w->identity) > INTAKE_IDENTITY_MAX)
			add(out, "", "identity", N_("This text is too long."));
	}
	if (!all && k != WIZ_STEP && k != WIZ_REVIEW)
		return out->n;
	/* the answers as given plus, on the last screen, the files per field */
	struct intake_answer a[INTAKE_MAX_ANSWERS + INTAKE_Q_MAX_FIELDS];
	size_t n = w->nans;
	memcpy(a, w->ans, n * sizeof a[0]);
	if (file_counts)
		for (size_t i = 0; i < w->q->nfields; i++)
			if (w->q->fields[i].type == INTAKE_F_FILE && file_counts[i])
				a[n++] = (struct intake_answer){w->q->fields[i].id, "", 0,
								file_counts[i]};
	struct intake_answer_errors errs;
	if (intake_answers_check(w->q, a, n, today, &errs) == 0)
		return out->n;
	for (size_t i = 0; i < errs.n; i++) {
		if (!in_scope(w, screen, all, errs.e[i].index))
			continue;
		int file = w->q->fields[errs.e[i].index].type == INTAKE_F_FILE;
		add(out, file ? "f." : "a.", errs.e[i].field, errs.e[i].msgid);
	}
	return out->n;
}

char *wiz_answers_json(const struct wiz *w, struct arena *a, size_t *len)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	for (size_t i = 0; i < w->q->nfields; i++) {
		const char *v = wiz_answer(w, w->q->fields[i].id);
		if (!wiz_on_screen(w, i) || !*v)
			continue;
		if (json_object_set_new(o, w->q->fields[i].id, json_string(v)) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	/* straight into the arena: no heap copy of the answers to wipe, and no
	 * question of which allocator jansson was given */
	size_t need = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char *out = need ? arena_alloc(a, need + 1) : NULL;
	if (out && json_dumpb(o, out, need, JSON_COMPACT | JSON_PRESERVE_ORDER) == need) {
		out[need] = '\0';
		*len = need;
	} else {
		out = NULL;
	}
	json_decref(o);
	return out;
}
