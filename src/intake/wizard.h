/* wizard.h: the reporter's way through the report form, one screen at a
 * time, without JavaScript and without anything stored before "send".
 *
 * Why stateless: a report that is not sent yet must leave no trace on the
 * server (no draft a database copy could reveal, nothing to clean up when the
 * reporter walks away). So every screen carries what was answered before as
 * hidden form fields, and the server keeps nothing until the final POST, which
 * stores the report in one transaction. Attachments are chosen on the last
 * screen, beside the send button, because a browser cannot carry a file from
 * one page to the next without JavaScript.
 *
 * Screens, in order: the organisation; how open to report (open,
 * confidential, anonymous) with the identity for the first two; one screen per
 * step of the questionnaire, skipping steps whose fields are all hidden by
 * their conditions or are all files; who must not see the report (recusal);
 * the review with the attachments and the send button.
 *
 * Field names: "org", "mode", "identity", "recuse" (repeated), "screen", and
 * "a.<field id>" for answers, "f.<field id>" for files. Pure: no database;
 * the pages (report_pages.c) look up organisations and recipients. */
#ifndef INTAKE_WIZARD_H
#define INTAKE_WIZARD_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "intake/intake.h"
#include "intake/questionnaire.h"
#include "web/form.h"

#define WIZ_CENTRAL "-"        /* "org" value for "I do not know": the central desk */
#define WIZ_MAX_RECUSED 16

enum wiz_screen_kind { WIZ_ORG, WIZ_MODE, WIZ_STEP, WIZ_RECUSE, WIZ_REVIEW };

struct wiz {
	const struct intake_questionnaire *q;
	const char *org;           /* code, WIZ_CENTRAL, or "" */
	const char *mode;          /* "open", "confidential", "anonymous" or "" */
	const char *identity;      /* "" when none */
	int64_t recused[WIZ_MAX_RECUSED];
	size_t nrecused;
	struct intake_answer ans[INTAKE_MAX_ANSWERS]; /* known, non-file fields only */
	size_t nans;
	unsigned char shown[INTAKE_Q_MAX_FIELDS];     /* intake_shown over ans */
	int screen;                /* 0 .. wiz_nscreens - 1 */
};

/* Reads the state a screen posted. Unknown "a.*" names and values of the
 * wrong shape are dropped here and never echoed back (the checks that follow
 * give the reporter a message for what matters). Returns 0, or -1 when the
 * form is not one of ours (too many recused ids, a bad number). */
int wiz_read(struct wiz *w, const struct intake_questionnaire *q, const struct form *f);

int wiz_nscreens(const struct wiz *w);
enum wiz_screen_kind wiz_kind(const struct wiz *w, int screen);
/* For a WIZ_STEP screen, its step's index in q->steps. */
size_t wiz_step(const struct wiz *w, int screen);
/* Whether the screen has something to ask under the answers so far (a step
 * whose fields are all hidden or files is skipped). */
int wiz_applies(const struct wiz *w, int screen);
/* The next (dir 1) or previous (dir -1) screen that applies from screen. */
int wiz_move(const struct wiz *w, int screen, int dir);

/* Whether field i belongs on the step screen (shown, not a file). */
int wiz_on_screen(const struct wiz *w, size_t i);
/* The answer to field id, or "" */
const char *wiz_answer(const struct wiz *w, const char *id);
/* Whether account id is among the recused. */
int wiz_is_recused(const struct wiz *w, int64_t id);

/* One problem on a screen: the form field's name ("org", "mode",
 * "identity", "recuse", "a.<id>", "f.<id>") and an English msgid. */
struct wiz_problem {
	char name[INTAKE_ID_MAX + 3];
	const char *msgid;
};
struct wiz_problems {
	struct wiz_problem p[INTAKE_MAX_ERRORS];
	size_t n;
};

/* Checks the answers of one step screen, or of every screen up to and
 * including screen (all = 1), on today. Organisation and recusal checks that
 * need the database are the pages'. file_counts: files per field index (NULL:
 * none chosen). Returns the number of problems put in out. */
size_t wiz_check(const struct wiz *w, int screen, int all, const char *today,
		 const unsigned *file_counts, struct wiz_problems *out);

/* The answers as the JSON object a report stores: every shown, answered,
 * non-file field as a string. Allocated in a; NULL on allocation failure. */
char *wiz_answers_json(const struct wiz *w, struct arena *a, size_t *len);

#endif
