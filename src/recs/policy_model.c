/* policy_model.c: the rules of the policy cycle (policy.h): the stages and
 * kinds, what an item and a department's adoption must hold. Pure. */
#include <string.h>

#include "base/utf8.h"
#include "recs/policy.h"
#include "web/i18n.h"

static const char *const stage_ids[POLICY_NSTAGES] = {"development", "adopted", "implemented",
						      "evaluated"};
static const char *const stage_labels[POLICY_NSTAGES] = {N_("in development"), N_("adopted"),
							 N_("implemented"), N_("evaluated")};

const char *policy_stage_id(int s)
{
	return s >= 0 && s < POLICY_NSTAGES ? stage_ids[s] : NULL;
}

int policy_stage_parse(const char *id, int *out)
{
	for (int s = 0; id && s < POLICY_NSTAGES; s++)
		if (strcmp(id, stage_ids[s]) == 0) {
			*out = s;
			return 0;
		}
	return -1;
}

const char *policy_stage_label(int s)
{
	return s >= 0 && s < POLICY_NSTAGES ? stage_labels[s] : "";
}

const char *const policy_kinds[] = {"framework", "protocol", "guideline", "other", NULL};
static const char *const kind_labels[] = {N_("framework"), N_("protocol"), N_("guideline"),
					  N_("other policy")};

int policy_kind_ok(const char *s)
{
	for (size_t i = 0; s && policy_kinds[i]; i++)
		if (strcmp(s, policy_kinds[i]) == 0)
			return 1;
	return 0;
}

const char *policy_kind_label(const char *s)
{
	for (size_t i = 0; s && policy_kinds[i]; i++)
		if (strcmp(s, policy_kinds[i]) == 0)
			return kind_labels[i];
	return s ? s : "";
}

static int text_ok(const char *s, size_t max, int multiline)
{
	size_t n = strlen(s);
	return n <= max && utf8_text_clean(s, n, multiline);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

static int date_ok(const char *d)
{
	return date_valid(d, strlen(d)) == 0;
}

const char *policy_item_check(const struct policy_item *p, const char *today)
{
	if (blank(p->title))
		return N_("Give the policy item a title.");
	if (!text_ok(p->title, RECS_TITLE_MAX, 0))
		return N_("The title is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (!policy_kind_ok(p->kind))
		return N_("Choose the kind of policy from the list.");
	if (!text_ok(p->version, POLICY_VERSION_MAX, 0))
		return N_("The version is too long (at most 40 characters) or holds characters that cannot be stored.");
	if (!text_ok(p->description, RECS_TEXT_MAX, 1))
		return N_("The description is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (p->stage < 0 || p->stage >= POLICY_NSTAGES)
		return N_("Choose the stage from the list.");
	const char *prev = NULL;
	for (int s = 0; s < POLICY_NSTAGES; s++) {
		const char *d = p->stage_on[s];
		if (s > p->stage) {
			if (*d)
				return N_("A stage the policy has not reached has no date: leave it empty or choose a later stage.");
			continue;
		}
		/* a policy may have started before anyone wrote down when it
		 * went into development: only that first date may be missing */
		if (!*d && s == POLICY_DEVELOPMENT)
			continue;
		if (!*d || !date_ok(d))
			return N_("Give the date of every stage the policy has reached, as a date (YYYY-MM-DD).");
		if (strcmp(d, today) > 0)
			return N_("The date of a stage lies in the future.");
		if (prev && strcmp(d, prev) < 0)
			return N_("The dates of the stages must follow each other: a stage cannot begin before the one before it.");
		prev = d;
	}
	return NULL;
}

const char *policy_adoption_check(const struct policy_adoption *a, const char *today)
{
	if (!text_ok(a->translation, RECS_TEXT_MAX, 1))
		return N_("The translation is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (!date_ok(a->adopted_on) || strcmp(a->adopted_on, today) > 0)
		return N_("Give the date the department adopted the policy, as a date (YYYY-MM-DD) that is not in the future.");
	if (*a->evaluated_on) {
		if (!date_ok(a->evaluated_on) || strcmp(a->evaluated_on, today) > 0)
			return N_("Give the date of evaluation as a date (YYYY-MM-DD) that is not in the future.");
		if (strcmp(a->evaluated_on, a->adopted_on) < 0)
			return N_("The evaluation cannot come before the adoption.");
	}
	if (a->assessment_id && !*a->evaluated_on)
		return N_("A self-assessment is linked to an evaluation: give the date of evaluation too.");
	if (a->assessment_id < 0)
		return N_("Choose a self-assessment of the department from the list.");
	return NULL;
}
