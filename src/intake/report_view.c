/* report_view.c: see report_view.h. */
#include "intake/report_view.h"

#include <jansson.h>
#include <string.h>

#include "intake/qset.h"
#include "web/i18n.h"
#include "web/page.h"

const char *report_view_kind(const struct page *p, const char *kind)
{
	if (strcmp(kind, "integrity_violation") == 0)
		return page_tr(p, "A suspected integrity violation");
	if (strcmp(kind, "wrongdoing") == 0)
		return page_tr(p, "Suspected wrongdoing (whistleblower rules)");
	if (strcmp(kind, "unwanted_behaviour") == 0)
		return page_tr(p, "Unwanted behaviour");
	return kind;
}

const char *report_view_mode(const struct page *p, const char *mode)
{
	if (strcmp(mode, "anonymous") == 0)
		return page_tr(p, "Anonymously");
	if (strcmp(mode, "confidential") == 0)
		return page_tr(p, "Confidentially");
	if (strcmp(mode, "open") == 0)
		return page_tr(p, "Openly");
	return mode;
}

const char *report_view_status(const struct page *p, const struct intake_report *r)
{
	if (r->handed_over_on[0])
		return page_tr(p, "Handed over for investigation");
	if (r->feedback_on[0])
		return page_tr(p, "Feedback given");
	if (r->acknowledged_on[0])
		return page_tr(p, "Acknowledged; being assessed");
	return page_tr(p, "Received; not yet acknowledged");
}

const char *report_view_size(struct page *p, size_t bytes)
{
	if (bytes < 1000)
		return page_tr1(p, "{} bytes", arena_printf(p->a, "%zu", bytes));
	if (bytes < 1000 * 1000)
		return arena_printf(p->a, "%zu kB", (bytes + 999) / 1000);
	return arena_printf(p->a, "%.1f MB", (double)bytes / 1e6);
}

const char *report_view_answer(const struct page *p, const struct intake_field *f,
			       const char *value)
{
	if (f->type == INTAKE_F_YESNO)
		return page_tr(p, strcmp(value, "yes") == 0 ? N_("Yes") : N_("No"));
	if (f->type == INTAKE_F_CHOICE)
		for (size_t k = 0; k < f->nchoices; k++)
			if (strcmp(f->choices[k].id, value) == 0)
				return intake_text_get(&f->choices[k].label, p->lang);
	return value;
}

int report_view_lines(struct page *p, const struct intake_report *r, const struct rv_line **lines,
		      size_t *n, const char **identity)
{
	*lines = NULL;
	*n = 0;
	*identity = NULL;
	const struct intake_questionnaire *q =
		intake_qset_find(r->questionnaire, (int)r->questionnaire_revision);
	if (!q)
		return -1;
	json_t *doc = json_loadb(r->body, r->body_len, 0, NULL);
	json_t *answers = doc ? json_object_get(doc, "answers") : NULL;
	if (!json_is_object(answers)) {
		json_decref(doc);
		return -1;
	}
	json_t *id = json_object_get(doc, "identity");
	if (json_is_string(id) && json_string_length(id))
		*identity = arena_strdup(p->a, json_string_value(id));
	struct rv_line *l = arena_alloc(p->a, (q->nfields + 1) * sizeof *l);
	size_t k = 0;
	for (size_t i = 0; i < q->nfields; i++) {
		json_t *v = json_object_get(answers, q->fields[i].id);
		if (!json_is_string(v) || !json_string_length(v))
			continue;
		const char *value = arena_strdup(p->a, json_string_value(v));
		l[k++] = (struct rv_line){intake_text_get(&q->fields[i].label, p->lang),
					  report_view_answer(p, &q->fields[i], value)};
	}
	json_decref(doc);
	*lines = l;
	*n = k;
	return 0;
}
