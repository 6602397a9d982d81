/* pages.h: the pages of the recommendations tracker (/aanbevelingen) and
 * the policy cycle (/beleid), issue 7 items 5 and 6. Routes in
 * src/app/routes.c, which declares the roles:
 *
 *   read    the coordinator, IPIM members, auditors and every integrity
 *           coordinator: recommendations, responses, statuses and progress
 *           notes are public documents, so every reader sees all of them;
 *           adoption records too, except those of a department outside the
 *           coordinator's scope (Defence), which only its own people see;
 *   edit    the coordinator (sources, recommendations, responses,
 *           statuses, progress notes, policy items), and only for the
 *           departments in its scope as addressees; a coordinator who
 *           oversees no department changes nothing (403);
 *   adopt   a department's integrity coordinator records its own
 *           department's adoption; another department answers 404 and
 *           nothing is written.
 *
 *   pages_list.c    GET /aanbevelingen (the tally), a source, the overview
 *                   for a letter to parliament (print-ready HTML, XLSX)
 *   pages_rec.c     a recommendation and the forms of the tracker
 *   policy_pages.c  the policy cycle's pages and forms
 *   pages_shared.c  access, words and form building they share */
#ifndef RECS_PAGES_H
#define RECS_PAGES_H
#include <stdint.h>

#include "accounts/scope.h"
#include "recs/recs.h"
#include "recs/views.h"

struct page;

void recs_page_index(struct page *p);
void recs_page_source(struct page *p);
void recs_page_overview(struct page *p);
void recs_page_xlsx(struct page *p);
/* GET /aanbevelingen/bronnen/nieuw and .../{id}/bewerken; POST
 * /aanbevelingen/bronnen and .../{id} */
void recs_page_source_form(struct page *p);
void recs_page_source_post(struct page *p);
void recs_page_rec(struct page *p);
/* GET /aanbevelingen/bronnen/{source}/nieuw, POST .../{source}/aanbevelingen */
void recs_page_rec_new(struct page *p);
void recs_page_rec_new_post(struct page *p);
/* GET/POST /aanbevelingen/{id}/bewerken, /reactie, /status, /voortgang */
void recs_page_rec_edit(struct page *p);
void recs_page_rec_edit_post(struct page *p);
void recs_page_response(struct page *p);
void recs_page_response_post(struct page *p);
void recs_page_status(struct page *p);
void recs_page_status_post(struct page *p);
void recs_page_note(struct page *p);
void recs_page_note_post(struct page *p);

void policy_page_index(struct page *p);
void policy_page_item(struct page *p);
/* GET /beleid/nieuw and /beleid/{id}/bewerken; POST /beleid and /beleid/{id} */
void policy_page_form(struct page *p);
void policy_page_post(struct page *p);
/* GET/POST /beleid/{id}/adoptie/{department} */
void policy_page_adoption(struct page *p);
void policy_page_adoption_post(struct page *p);

/* ---- shared (pages_shared.c) ---- */

/* 1 if the viewer may change the tracker and the policy items: the
 * coordinator role at a government whose departments it oversees (the
 * departments in *scope, which may be NULL); 0 if not; -1 db error. The
 * one rule, for the pages and the API alike. */
int recs_editor_scope(db_t *db, const struct viewer *v, struct scope *scope);
/* The page's check before a change: 0 with *scope (may be NULL) filled, or
 * answers 403 (or 503) and returns -1. */
int recs_require_editor(struct page *p, struct scope *scope);
/* 1 if department dept_id's adoption record may be shown to v: a
 * department in the coordinator's scope, or one where v holds a role. */
int recs_adoption_visible(const struct scope *own, int outside_scope, int64_t dept_id);

/* Answers a storage failure that no form takes back (404 or 503). */
void recs_fail_page(struct page *p, const struct recs_error *e);
/* A refused save: 1 with *msg when the form should come back with it
 * (EINVALID, ECONFLICT, EFULL, and ENOTFOUND for a choice in the form),
 * else answers the page and returns 0. */
int recs_refused(struct page *p, const struct recs_error *e, const char **msg);

/* A fact of a record (pre: the value keeps its line breaks). */
struct recv_fact recs_fact(const char *term, const char *value, int pre);
const char *recs_status_words(struct page *p, int status);
/* "FIN, BZK"; "government-wide" when none. */
const char *recs_addressee_words(struct page *p, const struct recs_rec *r);
/* "Court of Audit report · Kamerstuk ... · 2024-09-25 · Fifth round" */
const char *recs_source_meta(struct page *p, const struct recs_source *s);
/* "2 implemented satisfactorily, 1 partly implemented, ... (3 in all)" */
const char *recs_tally_words(struct page *p, const struct recs_tally *t);
/* The first n characters of s at a word, with "…" when cut. */
const char *recs_excerpt(struct page *p, const char *s, size_t n);
/* A posted field, "" when absent. */
const char *recs_field(struct page *p, const char *name);
/* A posted field copied into dst (cap bytes); 1 when it did not fit (the
 * copy is then cut, and the caller refuses the form). */
int recs_take(struct page *p, const char *name, char *dst, size_t cap);
/* "?opgeslagen=1" in the address: the notice "The change was saved.". */
const char *recs_saved_notice(struct page *p);

/* ---- building forms ---- */

struct recs_fb {
	struct page *p;
	struct recv_fieldset sets[6];
	size_t nsets;
	struct recv_field *f;
	size_t n;
};
void recs_fb_set(struct recs_fb *b, const char *legend, const char *hint);
struct recv_field *recs_fb_add(struct recs_fb *b, int kind, const char *name, const char *label,
			       const char *value);
/* A select or checks of options (values and labels already in the page's
 * language). */
struct recv_field *recs_fb_choice(struct recs_fb *b, int kind, const char *name,
				  const char *label, struct recv_option *o, size_t n);
struct recv_option *recs_options(struct page *p, size_t n);
/* Shows the form: status 200, or 422 with error. */
void recs_fb_show(struct recs_fb *b, int status, const char *title, const char *intro,
		  const char *action, const char *error, const char *back_href,
		  const char *back_label);

#endif
