/* pages_outcome.c: the outcome of a case and sharing its summary with the
 * competent authority (pages.h). The outcome is the statistical record
 * (outcome, category of the current taxonomy, measures of the current list,
 * police report) that outlives the case's content; only the case's
 * coordinator records it. Sharing seals the summary key, never the case
 * key, to an account with the competent authority role. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/num.h"
#include "cases/dataset.h"
#include "cases/pages.h"
#include "cases/taxonomy.h"
#include "web/i18n.h"
#include "web/page.h"

/* The posted place of the violation ("process", "unit": an id, or empty for
 * not recorded) into *pl, checked against the choices the form offered for
 * the case's department. Returns NULL, or a translated message. */
static const char *read_place(struct page *p, int64_t case_id, struct cases_place *pl)
{
	const char *proc = page_field(p, "process"), *unit = page_field(p, "unit");
	*pl = (struct cases_place){0};
	if (proc && *proc && num_parse_i64z(proc, 1, INT64_MAX, &pl->process_id) != 0)
		return page_tr(p, "Choose the process from the list.");
	if (unit && *unit && num_parse_i64z(unit, 1, INT64_MAX, &pl->unit_id) != 0)
		return page_tr(p, "Choose the unit from the list.");
	if (!pl->process_id && !pl->unit_id)
		return NULL;
	/* the case's department, read without its key: metadata in the clear;
	 * a case the viewer cannot open is refused by the storage after this */
	char id[24];
	int64_t org = 0, dept = 0;
	snprintf(id, sizeof id, "%lld", (long long)case_id);
	if (db_query_i64(p->db, "SELECT org_id FROM case_file WHERE id = ?", id, &org) != 0 ||
	    (org && cases_place_department(p->db, org, &dept) != 0))
		return NULL; /* the storage checks again and says so */
	struct case_q_choice *ch = arena_alloc(p->a, CASE_Q_CHOICES_MAX * sizeof *ch);
	size_t n = 0;
	int found = 0;
	if (pl->process_id) {
		if (dept && case_q_processes(p->db, dept, ch, CASE_Q_CHOICES_MAX, &n) != 0)
			return NULL;
		for (size_t i = 0; i < n; i++)
			found |= ch[i].id == pl->process_id;
		if (!found)
			return page_tr(p, "This process is not in the risk register of the case's department. Choose one of the department's processes, or “Not recorded”.");
	}
	int64_t had = 0;
	if (pl->unit_id &&
	    db_query_i64(p->db, "SELECT coalesce(unit_id, 0) FROM case_file WHERE id = ?", id,
			 &had) == 0 &&
	    had != pl->unit_id) {
		char today[DATE_LEN + 1];
		date_today(today);
		found = 0;
		if (dept && case_q_units(p->db, dept, today, ch, CASE_Q_CHOICES_MAX, &n) != 0)
			return NULL;
		for (size_t i = 0; dept && i < n; i++)
			found |= ch[i].id == pl->unit_id;
		if (!found)
			return page_tr(p, "This unit is not part of the case's department. Choose one of its units, or “Not recorded”.");
	}
	return NULL;
}

void cases_page_outcome(struct page *p)
{
	int64_t id = p->params[0];
	const char *outcome = page_field(p, "outcome"), *category = page_field(p, "category");
	const char *police = page_field(p, "police");
	const char *measures[CASES_CASE_MEASURES_MAX];
	struct case_form f = {0};
	struct cases_place place = {0};
	if (case_data(p) != 0)
		return;
	const struct cases_taxonomy *tx = cases_data_taxonomy();
	int nm = case_form_measures(p, measures, &f.outcome_error);
	if (nm < 0) {
		/* case_form_measures said why */
	} else if (!outcome || (strcmp(outcome, "established") != 0 && strcmp(outcome, "partly") != 0 &&
				strcmp(outcome, "not_established") != 0)) {
		f.outcome_error = page_tr(p, "Choose the outcome: established, partly established or not established.");
	} else if (!category || !*category) {
		f.outcome_error = page_tr(p, "Choose the kind of violation.");
	} else if (!tx || !cases_taxonomy_find(tx, category)) {
		f.outcome_error = page_tr(p, "This kind of violation is not on the current list of categories.");
	} else if (!police || (strcmp(police, "yes") != 0 && strcmp(police, "no") != 0)) {
		f.outcome_error = page_tr(p, "Say whether a report was made to the police.");
	} else {
		f.outcome_error = read_place(p, id, &place);
	}
	f.process_id = place.process_id;
	f.unit_id = place.unit_id;
	f.place_given = 1;
	if (f.outcome_error) {
		case_show(p, id, 422, &f);
		return;
	}
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_set_outcome_at(p->db, p->signer, &k, p->viewer->account.id, outcome,
				     category, measures, (size_t)nm, strcmp(police, "yes") == 0,
				     &place, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "outcome", "#outcome");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EINVALID:
		f.outcome_error = page_tr(p, "The outcome, the kind of violation, a measure, the process or the unit is not one the case can have: choose from the lists.");
		status = 422;
		break;
	case CASES_EDENIED:
		f.outcome_error = page_tr(p, "Only the case's coordinator records the outcome.");
		status = 403;
		break;
	case CASES_ECONFLICT:
		f.outcome_error = page_tr(p, "This case is closed: nothing in it can change any more.");
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	case_show(p, id, status, &f);
}

void cases_page_share(struct page *p)
{
	int64_t id = p->params[0];
	struct case_form f = {0};
	int64_t authority = case_account_by_name(p, page_field(p, "username"));
	if (!authority) {
		f.share_error = page_tr(p, "There is no user with that user name.");
		case_show(p, id, 422, &f);
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_summary_share(p->db, p->signer, &k, p->viewer->account.id, authority, today,
				    &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "shared", "#authority");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EDENIED:
		f.share_error = page_tr(p, "The summary cannot be shared with this person: they must be competent authority for the case's organisation, with an account that is not disabled, and not on the team. Only the case's coordinator shares the summary.");
		status = 403;
		break;
	case CASES_ENOTFOUND:
		f.share_error = page_tr(p, "There is no user with that user name.");
		status = 422;
		break;
	case CASES_ECONFLICT:
		f.share_error = page_tr(p, "The summary was already shared with this person, or the case is closed.");
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	case_show(p, id, status, &f);
}
