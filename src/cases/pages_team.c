/* pages_team.c: the case team and its notes (pages.h). The case's
 * coordinator adds investigators (and other coordinators) by user name and
 * removes members; the storage seals the case key to a new member and
 * deletes a removed member's sealed key, and checks who may do it. Notes are
 * messages between team members, under the case key.
 *
 * The case key is opened first even to remove someone (which reads
 * nothing): a viewer who is not on the team gets the one 404 before
 * anything is tried. */
#include <sodium.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/num.h"
#include "cases/pages.h"
#include "intake/upload.h"
#include "web/i18n.h"
#include "web/page.h"

void cases_page_team(struct page *p)
{
	int64_t id = p->params[0], account = 0;
	const char *remove = page_field(p, "remove");
	const char *username = page_field(p, "username"), *role = page_field(p, "role");
	struct case_form f = {0};
	if (remove && num_parse_i64z(remove, 1, INT64_MAX, &account) != 0) {
		f.team_error = page_tr(p, "That person is not on the team.");
		case_show(p, id, 422, &f);
		return;
	}
	if (!remove) {
		if (!role || (strcmp(role, "investigator") != 0 && strcmp(role, "coordinator") != 0)) {
			f.team_error = page_tr(p, "Choose the role in the case: investigator or coordinator.");
			case_show(p, id, 422, &f);
			return;
		}
		if (!(account = case_account_by_name(p, username))) {
			f.team_error = page_tr(p, "There is no user with that user name.");
			case_show(p, id, 422, &f);
			return;
		}
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = remove ? cases_member_remove(p->db, p->signer, id, p->viewer->account.id, account,
					     today, &e)
		       : cases_member_add(p->db, p->signer, &k, p->viewer->account.id, account, role,
					  today, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "team", "#team");
		return;
	}
	int status = 409;
	switch (e.code) {
	case CASES_EDENIED:
		f.team_error = remove
			? page_tr(p, "Only the case's coordinator can change the team.")
			: page_tr(p, "This person cannot join the team. Only the case's coordinator adds people, and only investigators (or, as coordinator, integrity coordinators) of the case's organisation or its department, whose account is not disabled.");
		status = 403;
		break;
	case CASES_ENOTFOUND:
		f.team_error = page_tr(p, "That person is not on the team.");
		status = 404;
		break;
	case CASES_EINVALID:
		f.team_error = page_tr(p, "Choose the role in the case: investigator or coordinator.");
		status = 422;
		break;
	case CASES_ECONFLICT:
		f.team_error = remove
			? page_tr(p, "The last coordinator of a case cannot be removed, and a closed case's team does not change.")
			: page_tr(p, "This person is already on the team, or the case is closed.");
		break;
	default:
		case_fail(p, id, &e);
		return;
	}
	case_show(p, id, status, &f);
}

void cases_page_note(struct page *p)
{
	int64_t id = p->params[0];
	const char *text = page_field(p, "text");
	if (!text)
		text = "";
	size_t len = strlen(text);
	struct case_form f = {.note_text = text};
	if (len > CASES_NOTE_MAX) {
		f.note_error = page_tr(p, "The note is too long: at most 20,000 characters. Shorten it, or add it as two notes.");
		case_show(p, id, 413, &f);
		return;
	}
	struct upload up = {0};
	int status = 422;
	for (size_t i = 0; i < p->form.n && !f.note_error; i++) {
		const struct form_field *x = &p->form.fields[i];
		if (strcmp(x->name, "files") == 0 && upload_chosen(x))
			f.note_error = upload_take(p, x, &up, &status);
	}
	if (!f.note_error && up.n == 0 && case_blank(text))
		f.note_error = page_tr(p, "Write the note first.");
	if (f.note_error) {
		case_show(p, id, status, &f);
		return;
	}
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	int r = cases_note_add_files(p->db, p->signer, &k, p->viewer->account.id, text, len, up.files,
				     up.n, NULL, &e);
	cases_key_wipe(&k);
	if (r == 0) {
		case_back(p, "note", "#notes");
		return;
	}
	if (e.code == CASES_EINVALID) {
		f.note_error = page_tr(p, "The note contains characters that cannot be stored, such as control characters. Remove them and try again.");
		case_show(p, id, 422, &f);
		return;
	}
	case_fail(p, id, &e);
}

/* A file of the case, for a member: as a report's attachment is served. */
void cases_page_file(struct page *p)
{
	int64_t id = p->params[0], fid = p->params[1];
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct cases_file info;
	unsigned char *data = NULL;
	size_t len = 0;
	struct cases_error e = {0};
	int r = cases_file_get(p->db, &k, fid, &info, &data, &len, &e);
	cases_key_wipe(&k);
	if (r != 0) {
		if (e.code == CASES_ENOTFOUND)
			page_fail(p, 404, "This case has no such file.");
		else
			case_fail(p, id, &e);
		return;
	}
	upload_send(p, info.name, info.mime, data, len);
	sodium_memzero(&info, sizeof info);
}
