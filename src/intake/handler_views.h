/* handler_views.h: what the templates of the handlers' pages (handler_*.html)
 * and of registering an in-person report (register_*.html) receive, filled by
 * handler_pages.c, handler_actions.c and register_pages.c. Every string is
 * already translated where it is text for people; the templates escape it. */
#ifndef INTAKE_HANDLER_VIEWS_H
#define INTAKE_HANDLER_VIEWS_H
#include <stddef.h>
#include <string.h> /* strcmp in the templates */

#include "intake/questionnaire.h"
#include "intake/views.h" /* rv_line: the answers as report_view.h gives them */

/* A legal clock in words: the due date and where it stands ("3 days left",
 * "Overdue by 2 days", "Done on 2024-05-01"). overdue also marks the row, but
 * the words say it too: never colour alone. */
struct hv_clock {
	const char *due;
	const char *text;
	int overdue;
	int done;
};

/* One report in the inbox: metadata only, nothing decrypted. */
struct hv_inbox_row {
	const char *href;      /* "/meldingen/12" */
	const char *number;    /* "12" */
	const char *received, *org, *kind, *mode, *status;
	struct hv_clock ack, feedback;
	int registered;        /* written down by a manager or adviser */
};

struct inbox_view {
	const struct hv_inbox_row *rows;
	size_t nrows;
	const char *count_text;  /* "Showing 50 of 73 ...", or NULL when all are shown */
	int can_register;        /* the viewer may also register in-person reports */
};

struct hv_file {
	const char *href, *name, *mime, *size, *at;
	const char *from;        /* "The reporter" or "A handler" */
};

/* A message of the conversation, or an internal note. */
struct hv_message {
	const char *author, *at, *text;
	int from_reporter;
	const struct hv_file *files;
	size_t nfiles;
};

struct handler_report_view {
	const char *csrf;
	const char *base;        /* "/meldingen/12": the actions' paths start here */
	const char *title;
	const char *org, *kind, *mode, *received, *status;
	struct hv_clock ack, feedback;
	const char *handed_over_on;   /* "" when not yet */
	int registered;
	const char *record_agreed_on; /* "" when not (yet) */
	/* the reporter's identity: NULL for an anonymous report */
	const char *identity;
	int identity_open;            /* mode "open": may be known in the handling */
	const char *answers_note;     /* when the answers cannot be shown */
	const struct rv_line *answers;
	size_t nanswers;
	const struct hv_file *files;  /* added with the report itself */
	size_t nfiles;
	const struct hv_message *messages;
	size_t nmessages;
	const struct hv_message *notes;
	size_t nnotes;
	int can_ack, can_feedback, can_handover;
	int can_open_case;            /* an integrity coordinator: the case form
					 (POST /meldingen/{id}/zaak, src/cases) */
	/* what a refused form gave back, to correct */
	const char *message_text, *message_error;
	const char *note_text, *note_error;
	const char *step_error;
};

/* ---- registering a report made in person ---- */

struct rg_org {
	const char *code, *name;
	int unit;                /* shown indented under its department */
	int selected;
};

struct rg_choice {
	const char *html_id, *value, *label;
	int checked;
};

struct rg_field {
	const char *html_id, *name, *label, *help, *error, *value;
	const char *applies;     /* "Only when ...": the condition in words, or NULL */
	enum intake_ftype type;
	int required;
	size_t max_len;
	const struct rg_choice *choices;
	size_t nchoices;
};

/* The error summary at the top: each links to its field (anchor: the
 * field's id, without '#') and names its question. */
struct rg_error {
	const char *anchor, *text;
};

struct register_view {
	const char *csrf;
	const struct rg_error *errors;
	size_t nerrors;
	const struct rg_org *orgs;
	size_t norgs;
	const char *org_error;
	const char *mode, *identity, *mode_error, *identity_error;
	const struct rg_field *fields;
	size_t nfields;
	int readback;
	const char *readback_error;
};

/* The page after saving: the receipt, shown this once, to hand over. */
struct register_done_view {
	const char *receipt;
	const char *org;
	const char *ack_due, *feedback_due;
	int anonymous;
	int registrar_handles;   /* the registrar is a handler of this report too */
};

#endif
