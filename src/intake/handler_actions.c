/* handler_actions.c: what a handler does to a report (handler_pages.h): the
 * steps of the legal clocks (acknowledgement of receipt, feedback given),
 * hand-over to case handling, a message to the reporter with optional files,
 * an internal note.
 *
 * Each is one intake call, which writes its rows and its audit entry in one
 * transaction or nothing at all. Success answers 303 back to the report with
 * a notice; a refusal re-renders the report with a plain message, the text
 * typed kept, and a 4xx status. Checks that need no database (sizes, file
 * types) come first, so a refused form costs no transaction. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "accounts/viewer.h"
#include "intake/upload.h"
#include "intake/handler_pages.h"
#include "intake/intake.h"
#include "web/i18n.h"
#include "web/page.h"

typedef int (*step_fn)(db_t *db, const struct audit_signer *signer, int64_t report_id,
		       int64_t account_id, const char *today, struct intake_error *e);

static const char *back(struct page *p, const char *done, const char *anchor)
{
	return arena_printf(p->a, "/meldingen/%lld?done=%s%s", (long long)p->params[0], done,
			    anchor);
}

/* conflict: the msgid for a step already taken (N_ at the caller). */
static void clock_step(struct page *p, step_fn fn, const char *done, const char *conflict)
{
	int64_t id = p->params[0];
	char today[DATE_LEN + 1];
	date_today(today);
	struct intake_error e;
	if (fn(p->db, p->signer, id, p->viewer->account.id, today, &e) == 0) {
		page_redirect(p, back(p, done, ""));
		return;
	}
	struct handler_form f = {0};
	int status;
	switch (e.code) {
	case INTAKE_ENOTFOUND:
		handler_not_found(p);
		return;
	case INTAKE_ECONFLICT:
		f.step_error = page_tr(p, conflict);
		status = 409;
		break;
	case INTAKE_EINVALID:
		/* today is before the date received or acknowledged: a clock problem */
		log_warn("report %lld: step refused for today's date %s", (long long)id, today);
		f.step_error = page_tr(p, "This cannot be recorded with today's date, because it lies before the report was received or acknowledged. The server's clock may be wrong: tell your administrator.");
		status = 422;
		break;
	default:
		log_error("report %lld: step failed (code %d)", (long long)id, e.code);
		page_fail(p, 503, "Nothing was recorded because of a problem on our side. Try again later.");
		return;
	}
	handler_show_report(p, id, status, &f);
}

void intake_page_acknowledge(struct page *p)
{
	clock_step(p, intake_acknowledge, "ack",
		   N_("Receipt of this report was already acknowledged. Nothing was changed."));
}

void intake_page_feedback(struct page *p)
{
	clock_step(p, intake_feedback_given, "feedback",
		   N_("Feedback on this report was already recorded. Nothing was changed."));
}

void intake_page_hand_over(struct page *p)
{
	clock_step(p, intake_hand_over, "handover",
		   N_("This report was already handed over to case handling. Nothing was changed."));
}

/* 1 if s holds only spaces, tabs and line breaks. */
static int blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* The files of a message form (field "files"), each checked by content.
 * Returns the number kept, or -1 with *why a translated refusal and
 * *status its HTTP status (413 for a size, 422 for a type): one refused file
 * refuses the message. */
static int collect_files(struct page *p, struct upload *up, const char **why, int *status)
{
	for (size_t i = 0; i < p->form.n; i++) {
		const struct form_field *x = &p->form.fields[i];
		if (strcmp(x->name, "files") == 0 && upload_chosen(x) &&
		    (*why = upload_take(p, x, up, status)) != NULL)
			return -1;
	}
	return (int)up->n;
}

void intake_page_message(struct page *p)
{
	int64_t id = p->params[0];
	const char *text = page_field(p, "text");
	if (!text)
		text = "";
	size_t len = strlen(text);
	struct handler_form f = {.message_text = text};
	struct upload up = {0};
	int status = 422;
	int nfiles = collect_files(p, &up, &f.message_error, &status);
	if (nfiles >= 0) {
		if (len > INTAKE_MESSAGE_MAX) {
			f.message_error = page_tr(p, "The message is too long: at most 20,000 characters. Shorten it, or send it in two parts.");
			status = 413;
		} else if (nfiles == 0 && blank(text)) {
			f.message_error = page_tr(p, "Write a message, or choose a file to send.");
			status = 422;
		}
	}
	if (f.message_error) {
		handler_show_report(p, id, status, &f);
		return;
	}
	struct intake_key k;
	if (handler_open_key(p, id, &k) != 0)
		return;
	struct intake_error e;
	int r = intake_message_add(p->db, p->signer, &k, p->viewer->account.id, text, len, up.files,
				   up.n, NULL, &e);
	intake_key_wipe(&k);
	if (r == 0) {
		page_redirect(p, back(p, "message", "#conversation"));
		return;
	}
	if (e.code == INTAKE_ENOTFOUND) {
		handler_not_found(p);
		return;
	}
	if (e.code == INTAKE_EINVALID) {
		f.message_error = page_tr(p, "The message contains characters that cannot be stored, such as control characters. Remove them and try again.");
		handler_show_report(p, id, 422, &f);
		return;
	}
	log_error("report %lld: message not stored (code %d)", (long long)id, e.code);
	page_fail(p, 503, "Your message could not be sent because of a problem on our side. Nothing was stored. Try again later.");
}

void intake_page_note(struct page *p)
{
	int64_t id = p->params[0];
	const char *text = page_field(p, "text");
	if (!text)
		text = "";
	size_t len = strlen(text);
	struct handler_form f = {.note_text = text};
	if (len > INTAKE_MESSAGE_MAX) {
		f.note_error = page_tr(p, "The note is too long: at most 20,000 characters. Shorten it, or add it as two notes.");
		handler_show_report(p, id, 413, &f);
		return;
	}
	if (blank(text)) {
		f.note_error = page_tr(p, "Write the note first.");
		handler_show_report(p, id, 422, &f);
		return;
	}
	struct intake_key k;
	if (handler_open_key(p, id, &k) != 0)
		return;
	struct intake_error e;
	int r = intake_note_add(p->db, p->signer, &k, p->viewer->account.id, text, len, NULL, &e);
	intake_key_wipe(&k);
	if (r == 0) {
		page_redirect(p, back(p, "note", "#notes"));
		return;
	}
	if (e.code == INTAKE_ENOTFOUND) {
		handler_not_found(p);
		return;
	}
	if (e.code == INTAKE_EINVALID) {
		f.note_error = page_tr(p, "The note contains characters that cannot be stored, such as control characters. Remove them and try again.");
		handler_show_report(p, id, 422, &f);
		return;
	}
	log_error("report %lld: note not stored (code %d)", (long long)id, e.code);
	page_fail(p, 503, "Your note could not be added because of a problem on our side. Nothing was stored. Try again later.");
}
