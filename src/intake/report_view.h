/* report_view.h: a stored report made readable for a page: its answers with
 * the questions of the questionnaire revision it was answered with, in the
 * reader's language, its status and its clocks. Shared by the reporter's
 * "follow your report" page and the handlers' report page, so that both show
 * the same thing the same way. */
#ifndef INTAKE_REPORT_VIEW_H
#define INTAKE_REPORT_VIEW_H
#include <stddef.h>

#include "intake/intake.h"
#include "intake/views.h"

struct page;

/* The answers of r (its decrypted body) as question/answer lines in
 * questionnaire order, allocated in the page's arena; *identity gets the
 * reporter's identity or NULL. Returns 0, or -1 when the body is not what a
 * report stores or its questionnaire is not in this build. */
int report_view_lines(struct page *p, const struct intake_report *r, const struct rv_line **lines,
		      size_t *n, const char **identity);

/* An answer as a reader sees it: a choice's label or Yes/No in the page's
 * language, else the text as given. */
const char *report_view_answer(const struct page *p, const struct intake_field *f,
			       const char *value);
/* The report's status in words, translated. */
const char *report_view_status(const struct page *p, const struct intake_report *r);
/* The kind and mode of a report in words, translated. */
const char *report_view_kind(const struct page *p, const char *kind);
const char *report_view_mode(const struct page *p, const char *mode);
/* A size in words: "800 bytes", "12 kB", "3.4 MB". */
const char *report_view_size(struct page *p, size_t bytes);

#endif
