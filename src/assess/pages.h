/* pages.h: the pages of self-assessment (issue 6 deliverable 2). Routes in
 * src/app/routes.c, which declares the roles; which assessment a user may
 * open is decided by the storage (assess.h: the department's roles, the
 * coordinator's scope), so another department's assessment answers 404 like
 * one that does not exist.
 *
 *   pages_list.c    GET /zelfevaluaties, GET and POST /zelfevaluaties/nieuw,
 *                   GET /zelfevaluaties/vergelijking
 *   pages_view.c    GET /zelfevaluaties/{id}; POST .../aftekenen,
 *                   .../beoordelen, .../terugsturen; GET .../export.csv and
 *                   .../export.xlsx
 *   pages_group.c   GET and POST /zelfevaluaties/{id}/groepen/{n}; GET
 *                   /zelfevaluaties/{id}/bewijs/{id} (an evidence file)
 *   pages_shared.c  what these share (below) */
#ifndef ASSESS_PAGES_H
#define ASSESS_PAGES_H
#include <stddef.h>
#include <stdint.h>

#include "assess/assess.h"

struct page;

void assess_page_list(struct page *p);
void assess_page_new(struct page *p);
void assess_page_new_post(struct page *p);
void assess_page_compare(struct page *p);
void assess_page_view(struct page *p);
void assess_page_sign_off(struct page *p);
void assess_page_review(struct page *p);
void assess_page_return(struct page *p);
void assess_page_export_csv(struct page *p);
void assess_page_export_xlsx(struct page *p);
void assess_page_group(struct page *p);
void assess_page_group_post(struct page *p);
void assess_page_evidence(struct page *p);

/* ---- shared (pages_shared.c) ---- */

/* Reads assessment id for the viewer; answers 404 (not there or not
 * theirs: one message), 500 or 503 and returns -1, else 0 with a filled
 * (assess_full_free). */
int assess_page_read(struct page *p, int64_t id, struct assess_full *a);
/* The one answer for "no such assessment" and "not yours". */
void assess_page_not_found(struct page *p);
/* Opens the assessment key for the viewer into key (which also seals it to
 * colleagues appointed since). 0 opened; 1 the viewer holds none (an
 * auditor); -1 it does not open or the storage failed (logged). */
int assess_page_key(struct page *p, int64_t id, unsigned char key[ENVELOPE_KEY_BYTES]);

/* Words for people. */
const char *assess_words_status(const struct page *p, int status);
const char *assess_words_judgement(const struct page *p, int j);
const char *assess_words_maturity(const struct page *p, int m);
const char *assess_words_ap_status(const struct page *p, int s);
const char *assess_words_dim(const struct page *p, int d);
/* A score in whole points, or "not assessed". */
const char *assess_words_score(struct page *p, const struct assess_score *s);
/* "Financiën (FIN), basic norms 2006 rev. 1, 2025" and its parts. */
const char *assess_words_framework(struct page *p, const struct framework *f);
const char *assess_words_title(struct page *p, const struct assess_full *a);

#endif
