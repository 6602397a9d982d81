/* pages_people.c: the people involved in a case and the dated steps of
 * their rights (pages.h). Names, functions and contact details go into the
 * storage only under the case key; the steps' dates are in the clear,
 * because terms run on them (the reaction to the draft report). */
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "cases/pages.h"
#include "web/i18n.h"
#include "web/page.h"

void cases_page_person(struct page *p)
{
	int64_t id = p->params[0];
	const char *party = page_field(p, "party"), *name = page_field(p, "name");
	const char *function = page_field(p, "function"), *contact = page_field(p, "contact");
	enum cases_party pt;
	struct case_form f = {0};
	if (!party || cases_party_parse(party, &pt) != 0)
		f.person_error = page_tr(p, "Choose how the person is involved.");
	else if (!name || case_blank(name))
		f.person_error = page_tr(p, "Write the person's name.");
	else if (strlen(name) > CASES_NAME_MAX || (function && strlen(function) > CASES_NAME_MAX))
		f.person_error = page_tr(p, "A name or function is at most 200 characters.");
	else if (contact && strlen(contact) > CASES_CONTACT_MAX)
		f.person_error = page_tr(p, "The contact details are at most 1,000 characters.");
	if (f.person_error) {
		case_show(p, id, 422, &f);
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_person_in in = {
		.party = party,
		.name = name,
		.function = function && *function ? function : NULL,
		.contact = contact && *contact ? contact : NULL,
	};
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_person_add(p->db, p->signer, &k, p->viewer->account.id, &in, today, NULL, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "person", "#people");
		return;
	}
	if (e.code == CASES_EINVALID) {
		f.person_error = page_tr(p, "A name, function or contact detail contains characters that cannot be stored, such as control characters. Remove them and try again.");
		case_show(p, id, 422, &f);
	} else if (e.code == CASES_ECONFLICT) {
		f.person_error = page_tr(p, "This case is closed: nothing in it can change any more.");
		case_show(p, id, 409, &f);
	} else {
		case_fail(p, id, &e);
	}
}

void cases_page_step(struct page *p)
{
	int64_t id = p->params[0], person = p->params[1];
	const char *step = page_field(p, "step"), *on = page_field(p, "on");
	char today[DATE_LEN + 1];
	date_today(today);
	if (!on || !*on)
		on = today;
	enum cases_step s;
	struct case_form f = {0};
	if (!step || cases_step_parse(step, &s) != 0)
		f.step_error = page_tr(p, "Choose the step to record.");
	else if (date_valid(on, strlen(on)) != 0)
		f.step_error = page_tr(p, "Give the date as a day of the calendar, such as 2025-03-14.");
	if (f.step_error) {
		case_show(p, id, 422, &f);
		return;
	}
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_person_step(p->db, p->signer, &k, p->viewer->account.id, person, s, on, today,
				  &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "step", "#people");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EINVALID:
		f.step_error = page_tr(p, "This step cannot be recorded: the right does not apply to this person under the protocol, or the date is not between the opening of the case and today.");
		status = 422;
		break;
	case CASES_ECONFLICT:
		f.step_error = page_tr(p, "This step was already recorded, or a step it follows is missing: the interview record is offered after the hearing and agreed to after it was offered, and a reaction comes after the draft report was sent.");
		break;
	case CASES_ENOTFOUND:
		f.step_error = page_tr(p, "There is no such person in this case.");
		status = 404;
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	case_show(p, id, status, &f);
}
