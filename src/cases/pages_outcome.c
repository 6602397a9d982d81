/* pages_outcome.c: the outcome of a case and sharing its summary with the
 * competent authority (pages.h). The outcome is the statistical record
 * (outcome, category of the current taxonomy, measures of the current list,
 * police report) that outlives the case's content; only the case's
 * coordinator records it. Sharing seals the summary key, never the case
 * key, to an account with the competent authority role. */
#include <string.h>

#include "accounts/viewer.h"
#include "cases/dataset.h"
#include "cases/pages.h"
#include "cases/taxonomy.h"
#include "web/i18n.h"
#include "web/page.h"

void cases_page_outcome(struct page *p)
{
	int64_t id = p->params[0];
	const char *outcome = page_field(p, "outcome"), *category = page_field(p, "category");
	const char *police = page_field(p, "police");
	const char *measures[CASES_CASE_MEASURES_MAX];
	struct case_form f = {0};
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
	}
	if (f.outcome_error) {
		case_show(p, id, 422, &f);
		return;
	}
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_set_outcome(p->db, p->signer, &k, p->viewer->account.id, outcome, category,
				  measures, (size_t)nm, strcmp(police, "yes") == 0, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "outcome", "#outcome");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EINVALID:
		f.outcome_error = page_tr(p, "The outcome, the kind of violation or a measure is not on the current lists.");
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
