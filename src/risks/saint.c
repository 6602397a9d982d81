/* saint.c: the SAINT vulnerability profile (saint.h). Pure. */
#include "risks/saint.h"

#include <string.h>

#include "web/i18n.h"

#define REL N_("Relations with the environment")
#define PROP N_("Managing public property")

const struct saint_item saint_inherent[SAINT_INHERENT] = {
	{"contracting", REL, N_("Contracting (procurement, tenders, contracts)")},
	{"payments", REL, N_("Payments (subsidies, benefits, allowances)")},
	{"permits", REL, N_("Granting permits and licences")},
	{"regulating", REL, N_("Regulating")},
	{"inspection", REL, N_("Inspection and audit")},
	{"enforcement", REL, N_("Enforcement and sanctions")},
	{"information", PROP, N_("Information (confidential or valuable)")},
	{"money", PROP, N_("Money")},
	{"goods", PROP, N_("Goods")},
	{"real_estate", PROP, N_("Real estate")},
};

#define FAC N_("Vulnerability-enhancing factors")

const struct saint_item saint_factors[SAINT_FACTORS] = {
	{"complexity", FAC, N_("Complexity")},
	{"change", FAC, N_("Change and dynamics")},
	{"management", FAC, N_("Management")},
	{"personnel", FAC, N_("Personnel")},
	{"history", FAC, N_("Problem history")},
};

int saint_valid(const struct saint_answers *a)
{
	if (a->inherent >> SAINT_INHERENT)
		return -1;
	for (int i = 0; i < SAINT_FACTORS; i++)
		if (a->factor[i] < 0 || a->factor[i] > SAINT_FACTOR_MAX)
			return -1;
	return 0;
}

void saint_profile(const struct saint_answers *a, struct saint_profile *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < SAINT_INHERENT; i++)
		out->inherent_count += (a->inherent >> i) & 1;
	for (int i = 0; i < SAINT_FACTORS; i++)
		out->factor_sum += a->factor[i];
	int c = out->inherent_count, s = out->factor_sum;
	out->inherent = c <= 1 ? SAINT_LOW : c <= 3 ? SAINT_MEDIUM : SAINT_HIGH;
	out->enhancing = s <= 5 ? SAINT_LOW : s <= 10 ? SAINT_MEDIUM : SAINT_HIGH;
	if (c == 0) {
		out->profile = SAINT_LOW;
		return;
	}
	int x = 2 * (int)out->inherent + (int)out->enhancing;
	out->profile = x <= 1 ? SAINT_LOW : x <= 3 ? SAINT_MEDIUM : x <= 5 ? SAINT_HIGH
								: SAINT_VERY_HIGH;
}

const char *saint_level_id(enum saint_level l)
{
	switch (l) {
	case SAINT_LOW: return "low";
	case SAINT_MEDIUM: return "medium";
	case SAINT_HIGH: return "high";
	case SAINT_VERY_HIGH: return "very_high";
	}
	return "low";
}

const char *saint_level_label(enum saint_level l)
{
	switch (l) {
	case SAINT_LOW: return N_("low");
	case SAINT_MEDIUM: return N_("medium");
	case SAINT_HIGH: return N_("high");
	case SAINT_VERY_HIGH: return N_("very high");
	}
	return N_("low");
}

int saint_find(const struct saint_item *list, size_t n, const char *id)
{
	for (size_t i = 0; id && i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return (int)i;
	return -1;
}
