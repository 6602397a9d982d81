/* workflow.c: the steps of a self-assessment (assess.h), pure.
 *
 *   draft --sign off (integrity coordinator, all judged)--> signed off
 *   signed off --review (coordinator, with a comment)--> reviewed
 *   signed off --return (coordinator, with a reason)--> draft
 *
 * Only a draft can be edited: what the integrity coordinator signed off is
 * what the coordinator reviews, and a reviewed assessment is the record. A
 * reviewed one is never returned: the next year's assessment carries the
 * follow-up (it starts prefilled from this one). */
#include <string.h>

#include "assess/assess.h"

static const char *const statuses[] = {"draft", "signed_off", "reviewed"};

const char *assess_status_name(int s)
{
	return s >= 0 && s <= ASSESS_REVIEWED ? statuses[s] : NULL;
}

int assess_status_parse(const char *s, int *out)
{
	for (int i = 0; s && i <= ASSESS_REVIEWED; i++)
		if (strcmp(s, statuses[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

static const char *const ap_statuses[] = {"open", "in_progress", "done"};

const char *assess_ap_status_name(int s)
{
	return s >= 0 && s <= ASSESS_AP_DONE ? ap_statuses[s] : NULL;
}

int assess_ap_status_parse(const char *s, int *out)
{
	for (int i = 0; s && i <= ASSESS_AP_DONE; i++)
		if (strcmp(s, ap_statuses[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

/* The cap an action needs, and the status it starts from. */
static const struct {
	unsigned cap;
	int from, to;
} rules[ASSESS_ACT_COUNT] = {
	[ASSESS_ACT_EDIT] = {ASSESS_CAP_DRAFT, ASSESS_DRAFT, ASSESS_DRAFT},
	[ASSESS_ACT_SIGN_OFF] = {ASSESS_CAP_SIGN, ASSESS_DRAFT, ASSESS_SIGNED_OFF},
	[ASSESS_ACT_REVIEW] = {ASSESS_CAP_REVIEW, ASSESS_SIGNED_OFF, ASSESS_REVIEWED},
	[ASSESS_ACT_RETURN] = {ASSESS_CAP_REVIEW, ASSESS_SIGNED_OFF, ASSESS_DRAFT},
};

enum assess_step_result assess_step(int from, int act, unsigned caps, size_t open_reqs,
				    int has_text, int *to)
{
	if (act < 0 || act >= ASSESS_ACT_COUNT || !(caps & rules[act].cap))
		return ASSESS_STEP_E_ROLE;
	if (from != rules[act].from)
		return ASSESS_STEP_E_STATE;
	if (act == ASSESS_ACT_SIGN_OFF && open_reqs > 0)
		return ASSESS_STEP_E_INCOMPLETE;
	if ((act == ASSESS_ACT_REVIEW || act == ASSESS_ACT_RETURN) && !has_text)
		return ASSESS_STEP_E_TEXT;
	if (to)
		*to = rules[act].to;
	return ASSESS_STEP_OK;
}

unsigned assess_steps_offered(int status, unsigned caps)
{
	unsigned out = 0;
	for (int a = 0; a < ASSESS_ACT_COUNT; a++)
		if ((caps & rules[a].cap) && status == rules[a].from)
			out |= 1u << a;
	return out;
}
