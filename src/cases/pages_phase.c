/* pages_phase.c: moving a case through its protocol (pages.h): a move to
 * another phase, normal or departing from the protocol with an approver and
 * a reason; ticking checklist items; adding records; closing the case.
 *
 * The phase machine (machine.h) decides every move inside the storage's
 * transaction, against the protocol revision the case started under; a
 * refusal is shown with the machine's own reason and what is still open.
 * Success answers 303 back to the case with a notice; a refusal re-renders
 * the case with the reason in its section, the text typed kept, and a 4xx
 * status. Checks that need no database come first. */
#include <sodium.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "cases/pages.h"
#include "web/i18n.h"
#include "web/page.h"

/* Opens the case for a write by the viewer; answers and returns -1 when it
 * does not open. */
static int open_member(struct page *p, struct cases_key *k)
{
	return case_open_key(p, p->params[0], 0, k);
}

/* A refusal the storage gives for a closed case or a database failure. */
static int closed_or_failed(struct page *p, const struct cases_error *e, const char **slot)
{
	if (e->code != CASES_ECONFLICT)
		return 0;
	*slot = page_tr(p, "This case is closed: nothing in it can change any more.");
	return 1;
}

void cases_page_move(struct page *p)
{
	int64_t id = p->params[0];
	const char *target;
	struct case_form f = {0};
	struct cases_approval_in appr;
	int deviation;
	if ((f.phase_error = case_read_move(p, &target, &appr, &deviation)) != NULL) {
		case_show(p, id, 422, &f);
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (open_member(p, &k) != 0)
		return;
	struct cases_move d;
	struct cases_error e = {0};
	memset(&d, 0, sizeof d);
	int r = cases_move(p->db, p->signer, &k, p->viewer->account.id, target,
			   deviation ? &appr : NULL, today, &d, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "moved", "#phase");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EPROTOCOL:
		f.phase_error = case_move_refusal(p, &d);
		f.refusal_items = case_move_items(p, &d, &f.nrefusal_items);
		status = d.code == CASES_MOVE_E_NOT_MOVER ? 403 : 409;
		break;
	case CASES_EDENIED:
		f.phase_error = page_tr(p, "The person named as approver does not hold the role that must approve this move for the case's organisation.");
		status = 403;
		break;
	case CASES_EINVALID:
		f.phase_error = page_tr(p, "Choose a phase of the case's protocol. A departure from it needs an approver and a reason of at most 2,000 characters.");
		status = 422;
		break;
	default:
		if (!closed_or_failed(p, &e, &f.phase_error)) {
			case_fail(p, id, &e);
			return;
		}
	}
	case_show(p, id, status, &f);
}

void cases_page_check(struct page *p)
{
	int64_t id = p->params[0];
	const char *item = page_field(p, "item"), *done = page_field(p, "done");
	struct case_form f = {0};
	if (!item || !cases_id_valid(item, strlen(item)) || !done ||
	    (strcmp(done, "1") != 0 && strcmp(done, "0") != 0)) {
		f.check_error = page_tr(p, "This phase has no such checklist item.");
		case_show(p, id, 422, &f);
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (open_member(p, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_check(p->db, p->signer, &k, p->viewer->account.id, item, done[0] == '1', today,
			    &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "check", "#checklist");
		return;
	}
	if (e.code == CASES_EINVALID) {
		f.check_error = page_tr(p, "This phase has no such checklist item.");
		case_show(p, id, 422, &f);
	} else if (e.code == CASES_ECONFLICT) {
		f.check_error = page_tr(p, "The checklist already said so, or the case is closed. Nothing was changed.");
		case_show(p, id, 409, &f);
	} else {
		case_fail(p, id, &e);
	}
}

void cases_page_record(struct page *p)
{
	int64_t id = p->params[0];
	const char *type = page_field(p, "type"), *text = page_field(p, "text");
	if (!text)
		text = "";
	size_t len = strlen(text);
	struct case_form f = {.record_text = text, .record_type = type};
	int status = 422;
	if (!type || !cases_id_valid(type, strlen(type)))
		f.record_error = page_tr(p, "Choose the kind of record.");
	else if (case_blank(text))
		f.record_error = page_tr(p, "Write the text of the record first.");
	else if (len > CASES_TEXT_MAX) {
		f.record_error = page_tr(p, "The record is too long. Shorten it, or split it into two records.");
		status = 413;
	}
	if (f.record_error) {
		case_show(p, id, status, &f);
		return;
	}
	struct cases_key k;
	if (open_member(p, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_record_add(p->db, p->signer, &k, p->viewer->account.id, type, text, len, NULL,
				 &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "record", "#records");
		return;
	}
	switch (e.code) {
	case CASES_EINVALID:
		f.record_error = page_tr(p, "This kind of record is not part of the case's protocol, or the text contains characters that cannot be stored, such as control characters.");
		status = 422;
		break;
	case CASES_EDENIED:
		f.record_error = page_tr(p, "Only the case's coordinator writes the summary for the competent authority.");
		status = 403;
		break;
	default:
		if (!closed_or_failed(p, &e, &f.record_error)) {
			case_fail(p, id, &e);
			return;
		}
		status = 409;
	}
	case_show(p, id, status, &f);
}

void cases_page_close(struct page *p)
{
	int64_t id = p->params[0];
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (open_member(p, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_close(p->db, p->signer, &k, p->viewer->account.id, today, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "closed", "");
		return;
	}
	struct case_form f = {0};
	int status = 409;
	switch (e.code) {
	case CASES_EPROTOCOL:
		f.close_error = page_tr(p, "The case cannot be closed yet: the checklist and the records of this last phase must be complete first. See what is still open above.");
		break;
	case CASES_EDENIED:
		f.close_error = page_tr(p, "Only the case's coordinator can close the case.");
		status = 403;
		break;
	case CASES_ECONFLICT:
		f.close_error = page_tr(p, "This case is already closed.");
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	case_show(p, id, status, &f);
}
