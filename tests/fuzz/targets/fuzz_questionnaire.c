/* fuzz_questionnaire.c: the questionnaire reader (intake_q_parse) on any
 * bytes, and whatever it accepts run through the answer checks with answer
 * sets derived from the questionnaire itself and from the input's tail. Nothing
 * may crash or leak; a refusal must leave a terminated, printable message and
 * an empty result; an accepted questionnaire must keep the invariants the
 * pages rely on (ids unique, conditions pointing to a choice or yes/no field of
 * an earlier step, limits held), and the answer checks must agree with
 * intake_shown about which fields are hidden. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/questionnaire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_questionnaire(const struct intake_questionnaire *q)
{
	if (q->nsteps == 0 || q->nsteps > INTAKE_Q_MAX_STEPS || q->nfields > INTAKE_Q_MAX_FIELDS ||
	    q->revision < 1 || q->revision > INTAKE_Q_MAX_REVISION || !q->title.nl || !q->title.en)
		abort();
	size_t next = 0;
	for (size_t s = 0; s < q->nsteps; s++) {
		if (q->steps[s].first != next || q->steps[s].nfields == 0)
			abort();
		next += q->steps[s].nfields;
	}
	if (next != q->nfields)
		abort();
	for (size_t i = 0; i < q->nfields; i++) {
		const struct intake_field *f = &q->fields[i];
		if (intake_q_field(q, f->id) != (int)i || !f->label.nl || !f->label.en ||
		    f->step >= q->nsteps || (f->help.nl == NULL) != (f->help.en == NULL))
			abort();
		if ((f->type == INTAKE_F_CHOICE) != (f->nchoices >= 2) ||
		    f->nchoices > INTAKE_Q_MAX_CHOICES)
			abort();
		if (f->type == INTAKE_F_TEXT && (f->max_len < 1 || f->max_len > INTAKE_TEXT_CAP))
			abort();
		if (f->type == INTAKE_F_LONGTEXT &&
		    (f->max_len < 1 || f->max_len > INTAKE_LONGTEXT_CAP))
			abort();
		if ((f->type == INTAKE_F_FILE) != (f->max_files > 0) ||
		    f->max_files > INTAKE_FILES_CAP)
			abort();
		const struct intake_cond *c = f->show_if;
		if (c) {
			const struct intake_field *t = &q->fields[c->field];
			if (c->field >= i || t->step >= f->step || c->nvalues == 0 ||
			    (t->type != INTAKE_F_CHOICE && t->type != INTAKE_F_YESNO))
				abort();
		}
	}
}

/* A valid answer for f: the first choice, "yes", a past date, a one-byte text
 * (within any max_length), one file; variant 1 gives the last choice and "no". */
static struct intake_answer answer_for(const struct intake_field *f, int variant)
{
	struct intake_answer a = {f->id, "", 0, 0};
	switch (f->type) {
	case INTAKE_F_TEXT:
	case INTAKE_F_LONGTEXT:
		a.value = "t";
		break;
	case INTAKE_F_CHOICE:
		a.value = f->choices[variant ? f->nchoices - 1 : 0].id;
		break;
	case INTAKE_F_DATE:
		a.value = variant ? "2024-07-03" : "2024-02-29";
		break;
	case INTAKE_F_YESNO:
		a.value = variant ? "no" : "yes";
		break;
	case INTAKE_F_FILE:
		a.files = 1;
		return a;
	}
	a.len = strlen(a.value);
	return a;
}

/* Checks answers, whatever they are: the result must agree with the count of
 * refusals, every refusal must name a field of q (or an unknown id), and no
 * refusal may say "leave it empty" about a field that intake_shown shows. */
static void run(const struct intake_questionnaire *q, const struct intake_answer *a, size_t n)
{
	struct intake_answer_errors e;
	unsigned char shown[INTAKE_Q_MAX_FIELDS];
	int r = intake_answers_check(q, a, n, "2024-07-02", &e);
	if ((r == 0) != (e.total == 0) || e.n > e.total || e.n > INTAKE_MAX_ERRORS)
		abort();
	intake_shown(q, a, n, shown);
	for (size_t i = 0; i < e.n; i++) {
		if (!e.e[i].msgid || !memchr(e.e[i].field, 0, sizeof e.e[i].field))
			abort();
		int k = e.e[i].index;
		if (k >= (int)q->nfields || (k >= 0 && strcmp(e.e[i].field, q->fields[k].id) != 0))
			abort();
		if (k >= 0 && shown[k] && strstr(e.e[i].msgid, "leave it empty"))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct intake_questionnaire q;
	char err[512];
	memset(err, 'x', sizeof err);
	if (intake_q_parse((const char *)data, size, &q, err, sizeof err) != 0) {
		if (!memchr(err, 0, sizeof err) || q.fields || q.steps || q.mem || q.nfields)
			abort();
		for (const char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				abort();
		return 0;
	}
	check_questionnaire(&q);
	struct intake_answer a[INTAKE_Q_MAX_FIELDS + 2];
	/* 1, 2: every field answered (first and last variants): hidden ones are
	 * refused; 3: only the fields shown under the answers so far */
	for (int variant = 0; variant < 2; variant++) {
		for (size_t i = 0; i < q.nfields; i++)
			a[i] = answer_for(&q.fields[i], variant);
		run(&q, a, q.nfields);
	}
	unsigned char shown[INTAKE_Q_MAX_FIELDS];
	size_t n = 0;
	for (size_t i = 0; i < q.nfields; i++) {
		shown[i] = 1;
		if (q.fields[i].show_if)
			intake_shown(&q, a, n, shown);
		if (shown[i])
			a[n++] = answer_for(&q.fields[i], (int)(i % 2));
	}
	/* answers built as shown, in order, must all pass: each is of its type's
	 * form, and the file counts and text lengths are within every limit */
	struct intake_answer_errors e;
	if (intake_answers_check(&q, a, n, "2024-07-03", &e) != 0)
		abort();
	/* 4: the input's last bytes as the value of every field, plus an unknown
	 * id and a repeat */
	size_t tail = size < 64 ? size : 64;
	const char *t = (const char *)data + size - tail;
	for (size_t i = 0; i < q.nfields; i++) {
		a[i] = (struct intake_answer){q.fields[i].id, t, tail, 0};
		if (q.fields[i].type == INTAKE_F_FILE)
			a[i] = (struct intake_answer){q.fields[i].id, "", 0, (unsigned)(tail % 4)};
	}
	n = q.nfields;
	a[n++] = (struct intake_answer){"no_such_field", "x", 1, 0};
	if (q.nfields)
		a[n++] = a[0];
	run(&q, a, n);
	intake_q_free(&q);
	return 0;
}
