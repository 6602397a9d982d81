/* views.h: what the reporter's page templates receive (report_pages.c). */
#ifndef INTAKE_VIEWS_H
#define INTAKE_VIEWS_H
#include <stddef.h>
#include <string.h> /* strcmp in the templates */

#include "intake/questionnaire.h"
#include "intake/wizard.h"

struct rv_hidden {
	const char *name, *value;
};

struct rv_choice {
	const char *html_id, *value, *label, *help;
	int checked;
};

struct rv_field {
	const char *html_id, *name, *label, *help, *error, *value;
	enum intake_ftype type;
	int required;
	size_t max_len;
	unsigned max_files;
	const struct rv_choice *choices;
	size_t nchoices;
};

struct rv_org {
	const char *code, *name;
	int unit;      /* a unit, shown under its department */
	int selected;
};

struct rv_recipient {
	const char *id, *name, *role;
	int checked;
};

/* A line of the review: a question and its answer, and the screen to change it. */
struct rv_item {
	const char *label, *value;
	int screen;
};

/* The error summary at the top: each links to its field. */
struct rv_error {
	const char *href, *text;
};

struct report_view {
	const char *csrf;
	enum wiz_screen_kind kind;
	int screen, position, total;
	const char *title, *help;
	const struct rv_error *errors;
	size_t nerrors;
	const struct rv_hidden *hidden;
	size_t nhidden;
	/* WIZ_ORG */
	const struct rv_org *orgs;
	size_t norgs;
	int central_selected;
	const char *org_error;
	/* WIZ_MODE */
	const char *mode, *identity, *mode_error, *identity_error;
	/* WIZ_STEP, and the file fields on WIZ_REVIEW */
	const struct rv_field *fields;
	size_t nfields;
	/* WIZ_RECUSE */
	const struct rv_recipient *recipients;
	size_t nrecipients;
	const char *recuse_error;
	/* WIZ_REVIEW */
	const struct rv_item *items;
	size_t nitems;
	const char *org_name, *mode_label, *recused_names;
	int mode_screen, recuse_screen;
};

/* The page after sending: the receipt, shown this once. */
struct receipt_view {
	const char *receipt;
	const char *ack_due, *feedback_due;
	int anonymous;
};

/* One question and its answer as shown to a reader of a report. */
struct rv_line {
	const char *label, *value;
};

struct rv_message {
	const char *who, *when, *text;
	int from_reporter;
};

struct rv_attachment {
	const char *name, *when, *size;
	int from_reporter;
	const char *href;  /* its download, /melding/bestand/{id} */
};

/* "Follow your report": sign-in with the receipt. */
struct follow_signin_view {
	const char *csrf;
	const char *error;
};

/* "Follow your report": the report seen through its receipt. */
struct follow_view {
	const char *csrf;
	const char *notice, *error;
	const char *status;
	const char *received_on, *ack_due, *acknowledged_on, *feedback_due, *feedback_on;
	int ack_overdue, feedback_overdue;
	const char *kind, *mode;
	const char *identity;
	const struct rv_line *lines;
	size_t nlines;
	const struct rv_attachment *attachments;
	size_t nattachments;
	const struct rv_message *messages;
	size_t nmessages;
	int registered;             /* written down by a manager or adviser */
	const char *record_agreed_on;
};

#endif
