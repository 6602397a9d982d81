/* handler_pages.h: the pages of the people who receive reports (integrity
 * coordinators and confidential advisers: "handlers") and of registering a
 * report made in person (managers and confidential advisers). Routes in
 * src/app/routes.c, which declares the roles; docs/roles.md says who does
 * what.
 *
 *   handler_pages.c    the inbox, one report, an attachment's download
 *   handler_actions.c  the steps of the legal clocks, messages, notes,
 *                      hand-over (POST, each answering 303 or re-rendering)
 *   register_pages.c   an in-person or oral report written down by staff
 *
 * A report is decrypted per request with the key sealed to the signed-in
 * user (intake_key_as_handler) and the opened key is wiped before the
 * handler returns; "not yours" and "does not exist" get one 404. */
#ifndef INTAKE_HANDLER_PAGES_H
#define INTAKE_HANDLER_PAGES_H
#include <stdint.h>

#include "intake/intake.h"

struct page;

/* GET /meldingen */
void intake_page_inbox(struct page *p);
/* GET /meldingen/{id} */
void intake_page_handler_report(struct page *p);
/* GET /meldingen/{id}/bijlagen/{id} */
void intake_page_attachment(struct page *p);

/* POST /meldingen/{id}/ontvangst, /terugkoppeling, /overdragen */
void intake_page_acknowledge(struct page *p);
void intake_page_feedback(struct page *p);
void intake_page_hand_over(struct page *p);
/* POST /meldingen/{id}/berichten (multipart, optional files) */
void intake_page_message(struct page *p);
/* POST /meldingen/{id}/notities */
void intake_page_note(struct page *p);

/* GET and POST /registreren */
void intake_page_register(struct page *p);
void intake_page_register_post(struct page *p);

/* ---- shared by handler_pages.c and handler_actions.c ---- */

/* What a refused action gives back to the report page: its message and the
 * text typed, so that nothing is lost. All may be NULL. */
struct handler_form {
	const char *step_error;
	const char *message_text, *message_error;
	const char *note_text, *note_error;
};

/* Opens the key of report id sealed to the viewer. Returns 0 with *k set
 * (the caller wipes it with intake_key_wipe), or -1 having answered the
 * request: 404 for a report that does not exist or is not the viewer's (one
 * message for both), another status for a key that does not open or a
 * database failure. */
int handler_open_key(struct page *p, int64_t id, struct intake_key *k);

/* Renders report id for the viewer with status (200, or the 4xx of a refused
 * form in f, which may be NULL). */
void handler_show_report(struct page *p, int64_t id, int status, const struct handler_form *f);

/* The one answer for "no such report" and "not yours". */
void handler_not_found(struct page *p);

#endif
