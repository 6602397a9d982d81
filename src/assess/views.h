/* views.h: what the templates of the self-assessment pages
 * (src/assess/templates) receive, filled by pages_*.c. Every string is
 * already translated where it is text for people; the templates escape it.
 * Everything lives in the request arena. */
#ifndef ASSESS_VIEWS_H
#define ASSESS_VIEWS_H
#include <stddef.h>

/* A choice in a select or a radio group. */
struct av_option {
	const char *value, *label;
	int selected;
};

/* ---- GET /zelfevaluaties ---- */

struct av_row {
	const char *href, *dept, *framework, *year, *status;
};

struct assess_list_view {
	const struct av_row *rows;
	size_t nrows;
	int can_create;     /* drafts for a department: the "new" link */
	int can_compare;    /* coordinator or auditor: the comparison link */
};

/* ---- /zelfevaluaties/nieuw ---- */

struct assess_new_view {
	const char *csrf;
	const struct av_option *depts;
	size_t ndepts;
	const struct av_option *frameworks;
	size_t nframeworks;
	const char *year;
	const char *error;
};

/* ---- GET /zelfevaluaties/{id} ---- */

/* A norm or principle (or a pillar, or the whole) with its score. */
struct av_score_row {
	const char *href;       /* the group's form; "" for pillars */
	const char *code, *title;
	const char *score;      /* "83" or "not assessed" */
	const char *change;     /* "+4", "-2", "0" or "" when there is nothing to compare */
	const char *maturity;
	const char *counts;     /* "4 of 5 requirements scored" */
};

struct av_action {
	const char *req, *text, *owner, *due, *status;
};

struct assess_page_view {
	const char *csrf;
	const char *base;       /* "/zelfevaluaties/3" */
	const char *title;
	const char *dept, *framework, *year, *status;
	const char *created, *signed_off, *reviewed, *review_comment, *returned, *return_reason;
	const char *prefilled;  /* where the prefill came from, or NULL */
	const char *previous;   /* "compared with 2024", or NULL */
	struct av_score_row overall;
	const struct av_score_row *groups;
	size_t ngroups;
	const struct av_score_row *pillars;
	size_t npillars;
	const struct av_action *actions;
	size_t nactions;
	int can_sign, can_review;
	const char *open_note;  /* "12 requirements still need ...", or NULL */
	const char *step_error; /* a refused step, in words */
	const char *review_text;
	const char *notice;
};

/* ---- /zelfevaluaties/{id}/groepen/{n} ---- */

struct av_evidence {
	const char *id;
	const char *label;      /* a file's name or a link */
	const char *href;       /* the download, or the link (https only, checked when stored) */
	const char *meta;       /* "PDF, 12 kB, added by ... on ..." */
	int is_file, readable;  /* readable: a file the viewer can open */
};

struct av_apoint {
	const char *id, *text, *owner, *due;
	const struct av_option *statuses;
	size_t nstatuses;
	const char *status;     /* in words, for the read-only view */
};

struct av_dim {
	const char *field;      /* "d-12" */
	const char *legend;     /* "Design (opzet)" */
	const struct av_option *opts;
	size_t nopts;
	const char *chosen;     /* in words, for the read-only view */
};

struct av_req {
	const char *idx;        /* the requirement's index: field names end in it */
	const char *code, *text;
	struct av_dim dims[3];
	const struct av_option *maturity;
	size_t nmaturity;
	const char *maturity_words;
	const char *comment;
	int prefilled;
	const char *score;
	const struct av_evidence *evidence;
	size_t nevidence;
	const struct av_apoint *actions;
	size_t nactions;
	const char *new_text, *new_owner, *new_due, *new_link;
	const struct av_option *new_status;
	size_t nnew_status;
	const char *error;
};

struct assess_group_view {
	const char *csrf;
	const char *action;     /* the form's path */
	const char *back;       /* the assessment's page */
	const char *title;      /* the assessment */
	const char *group;      /* "Norm 4: Kwetsbare functies" */
	const char *score;
	int editable;
	int files_note;         /* files cannot be read: no key for this viewer */
	const struct av_req *reqs;
	size_t nreqs;
	const char *error;
	const char *prev_href, *next_href;
};

/* ---- GET /zelfevaluaties/vergelijking ---- */

struct av_cell {
	const char *text;
	int none;               /* not assessed: said in words, never a blank */
};

struct av_crow {
	const char *dept, *href, *status;
	const struct av_cell *cells;
	size_t ncells;
	struct av_cell overall;
};

struct assess_compare_view {
	const struct av_option *frameworks;
	size_t nframeworks;
	const char *year;
	const char *caption;
	const char *const *heads;
	size_t nheads;
	const struct av_crow *rows;
	size_t nrows;
	const char *span;       /* columns after the department's: a row with no
				   assessment says so once across them */
	const char *error;
};

#endif
