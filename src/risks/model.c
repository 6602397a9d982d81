/* model.c: the rules of one record of the risk register (risks.h). Pure:
 * the pages check a form with these before anything is stored, and the
 * storage checks again, so the API and the pages refuse alike. */
#include <string.h>

#include "base/date.h"
#include "base/utf8.h"
#include "risks/risks.h"
#include "web/i18n.h"

const char *const risks_treatments[] = {"avoid", "reduce", "transfer", "accept", NULL};
const char *const risks_risk_statuses[] = {"open", "closed", NULL};
const char *const risks_control_statuses[] = {"planned", "implemented", "retired", NULL};
const char *const risks_measure_statuses[] = {"planned", "in_place", "not_required", NULL};
const char *const risks_screenings[] = {"none", "vog", "c", "b", "a", NULL};

int risks_word(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* 0 when s (max bytes, line breaks if multiline) may be stored. */
static int text_ok(const char *s, size_t max, int multiline)
{
	size_t n = strlen(s);
	return n <= max && utf8_text_clean(s, n, multiline);
}

static int date_or_empty(const char *d)
{
	return !*d || date_valid(d, strlen(d)) == 0;
}

const char *risks_process_check(const struct risks_process *p)
{
	if (blank(p->name))
		return N_("Give the process a name.");
	if (strlen(p->name) > RISKS_PROCESS_NAME_MAX)
		return N_("The process's name is too long: at most 200 characters.");
	if (!text_ok(p->name, RISKS_PROCESS_NAME_MAX, 0))
		return N_("The process's name contains characters that cannot be stored, such as line breaks.");
	if (strlen(p->description) > RISKS_DESC_MAX)
		return N_("The description is too long: at most 2,000 characters.");
	if (!text_ok(p->description, RISKS_DESC_MAX, 1))
		return N_("The description contains characters that cannot be stored, such as control characters.");
	if (saint_valid(&p->saint) != 0)
		return N_("Score each vulnerability-enhancing factor from 0 (absent) to 3 (strongly present), and check only inherent vulnerabilities from the list.");
	return NULL;
}

const char *risks_position_check(const struct risks_position *p)
{
	if (blank(p->title))
		return N_("Give the position a title.");
	if (!text_ok(p->title, RISKS_TITLE_MAX, 0))
		return N_("The title is too long (at most 200 characters) or contains characters that cannot be stored.");
	if (p->staff < 0 || p->staff > RISKS_STAFF_MAX)
		return N_("The number of staff must be a whole number from 0 to 100,000.");
	if (!risks_word(p->screening, risks_screenings))
		return N_("Choose the level of screening from the list.");
	if (p->rotation_years < 0 || p->rotation_years > RISKS_ROTATION_MAX)
		return N_("Rotation is after 1 to 20 years, or 0 for no rotation.");
	if (p->declaration != 0 && p->declaration != 1)
		return N_("Say whether a declaration of financial interests is asked.");
	if (!risks_word(p->screening_status, risks_measure_statuses) ||
	    !risks_word(p->rotation_status, risks_measure_statuses) ||
	    !risks_word(p->declaration_status, risks_measure_statuses))
		return N_("Choose the status of each measure: planned, in place or not required.");
	return NULL;
}

const char *risks_risk_check(const struct risks_risk *r, const struct risks_matrix *m)
{
	if (blank(r->title))
		return N_("Give the risk a title.");
	if (!text_ok(r->title, RISKS_TITLE_MAX, 0))
		return N_("The title is too long (at most 200 characters) or contains characters that cannot be stored.");
	if (strlen(r->description) > RISKS_DESC_MAX)
		return N_("The description is too long: at most 2,000 characters.");
	if (!text_ok(r->description, RISKS_DESC_MAX, 1))
		return N_("The description contains characters that cannot be stored, such as control characters.");
	if (r->il < 1 || r->il > m->nlikelihood || r->rl < 1 || r->rl > m->nlikelihood)
		return N_("Likelihood must be one of the levels of the department's matrix.");
	if (r->ii < 1 || r->ii > m->nimpact || r->ri < 1 || r->ri > m->nimpact)
		return N_("Impact must be one of the levels of the department's matrix.");
	if (r->rl * r->ri > r->il * r->ii)
		return N_("The residual risk (after the controls) cannot score higher than the inherent risk (before them). Lower the residual likelihood or impact, or raise the inherent ones.");
	if (!risks_word(r->treatment, risks_treatments))
		return N_("Choose the treatment: avoid, reduce, transfer or accept.");
	if (blank(r->owner))
		return N_("Name the owner of the risk: a role or a person.");
	if (!text_ok(r->owner, RISKS_OWNER_MAX, 0))
		return N_("The owner is too long (at most 120 characters) or contains characters that cannot be stored.");
	if (!date_or_empty(r->review_on))
		return N_("The next review is a date (YYYY-MM-DD), or empty.");
	if (!risks_word(r->status, risks_risk_statuses))
		return N_("A risk is open or closed.");
	return NULL;
}

const char *risks_control_check(const struct risks_control *c)
{
	if (blank(c->description))
		return N_("Describe the control.");
	if (!text_ok(c->description, RISKS_DESC_MAX, 1))
		return N_("The description is too long (at most 2,000 characters) or contains characters that cannot be stored.");
	if (blank(c->owner))
		return N_("Name the owner of the control: a role or a person.");
	if (!text_ok(c->owner, RISKS_OWNER_MAX, 0))
		return N_("The owner is too long (at most 120 characters) or contains characters that cannot be stored.");
	if (!risks_word(c->status, risks_control_statuses))
		return N_("A control is planned, implemented or retired.");
	if (!date_or_empty(c->implemented_on) || !date_or_empty(c->review_on))
		return N_("Dates are written YYYY-MM-DD, or left empty.");
	if (strcmp(c->status, "implemented") == 0 && !*c->implemented_on)
		return N_("Give the date the control was implemented.");
	return NULL;
}

void risks_heat_count(const struct risks_risk *r, size_t n, int residual,
		      struct risks_heat *out)
{
	memset(out, 0, sizeof *out);
	out->residual = residual;
	for (size_t k = 0; k < n; k++) {
		if (strcmp(r[k].status, "open") != 0)
			continue;
		int l = residual ? r[k].rl : r[k].il, i = residual ? r[k].ri : r[k].ii;
		if (l < 1 || i < 1 || l > RISKS_LEVELS_MAX || i > RISKS_LEVELS_MAX)
			continue;
		out->count[l - 1][i - 1]++;
		out->total++;
	}
}
