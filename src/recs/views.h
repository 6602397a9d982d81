/* views.h: what the templates of the recommendations tracker and the policy
 * cycle (src/recs/templates) receive, filled by pages_*.c and
 * policy_pages.c. Strings for people are already translated; the
 * templates escape everything. */
#ifndef RECS_VIEWS_H
#define RECS_VIEWS_H
#include <stddef.h>

struct recv_link {
	const char *href, *label;
};

/* A fact of a record: the term and its value (pre: keeps line breaks;
 * href: the value links there, a same-site path; ext: an https:// link
 * checked by recs_url_ok; overdue: said in words and marked). */
struct recv_fact {
	const char *term, *value;
	const char *href, *ext;
	int pre, overdue;
};

/* ---- GET /aanbevelingen ---- */

struct recv_tally_row {
	const char *href, *label, *round;
	int count[4];            /* by enum recs_status */
	int total, overdue;
};

struct recs_index_view {
	const char *notice;
	const char *const *heads;         /* the four statuses' labels */
	const struct recv_tally_row *rows;
	size_t nrows;
	struct recv_tally_row total;
	const struct recv_link *actions;  /* editors: add a source */
	size_t nactions;
	const struct recv_link *exports;  /* the overview as HTML and XLSX */
	size_t nexports;
	const char *policy_href;
};

/* ---- a source ---- */

struct recv_rec_row {
	const char *href, *number, *text, *addressees, *status, *due, *progress;
	int overdue;
};

struct recs_source_view {
	const char *title, *notice;
	const struct recv_fact *facts;
	size_t nfacts;
	const char *tally;                /* "2 implemented satisfactorily, ..." */
	const struct recv_rec_row *rows;
	size_t nrows;
	const struct recv_link *actions;
	size_t nactions;
	const char *back_href;
};

/* ---- a recommendation ---- */

struct recv_note {
	const char *date, *about, *text;
	const struct recv_link *links;    /* https:// links, checked when stored */
	size_t nlinks;
};

struct recs_rec_view {
	const char *title, *notice;
	const struct recv_fact *facts;
	size_t nfacts;
	const struct recv_note *notes;
	size_t nnotes;
	const struct recv_link *policies;
	size_t npolicies;
	const struct recv_link *actions;
	size_t nactions;
	const char *back_href, *back_label;
};

/* ---- the overview for a letter to parliament (print-ready) ---- */

struct recv_ov_rec {
	const char *number, *text, *addressees, *response, *status, *due, *progress;
	int overdue;
};

struct recv_ov_source {
	const char *title, *meta, *tally;
	const struct recv_ov_rec *recs;
	size_t n;
};

struct recs_overview_view {
	const char *title, *made_on, *total;
	const struct recv_ov_source *sources;
	size_t n;
	const char *xlsx_href, *back_href;
};

/* ---- forms ---- */

enum recv_kind { RECV_TEXT, RECV_TEXTAREA, RECV_DATE, RECV_SELECT, RECV_CHECKS };

struct recv_option {
	const char *value, *label;
	int selected;
};

struct recv_field {
	int kind;                 /* enum recv_kind */
	const char *name, *id, *label, *hint;
	const char *value;
	const struct recv_option *options;
	size_t noptions;
	int maxlength;            /* 0: none */
	int required;
};

struct recv_fieldset {
	const char *legend, *hint;
	const struct recv_field *fields;
	size_t n;
};

struct recs_form_view {
	const char *title, *intro;
	const char *action, *csrf;
	const char *error;        /* why the form was refused, or NULL */
	const char *back_href, *back_label;
	const char *submit;
	const struct recv_fieldset *sets;
	size_t nsets;
};

/* ---- the policy cycle ---- */

struct recv_policy_row {
	const char *href, *title, *kind, *version, *stage, *since, *adopted;
};

struct policy_index_view {
	const char *notice;
	const struct recv_policy_row *rows;
	size_t nrows;
	const struct recv_link *actions;
	size_t nactions;
	const char *recs_href;
};

struct recv_adoption {
	const char *dept, *adopted_on, *translation, *evaluated_on;
	const char *assessment_href, *assessment_label; /* NULL: none */
	const char *edit_href;    /* the viewer's own department: record or change it */
	const char *edit_label;
};

struct policy_item_view {
	const char *title, *notice;
	const struct recv_fact *facts;
	size_t nfacts;
	const struct recv_fact *stages;
	size_t nstages;
	const struct recv_adoption *adoptions;
	size_t nadoptions;
	const char *adoptions_note;       /* who sees which departments */
	const struct recv_link *recs;
	size_t nrecs;
	const struct recv_link *actions;
	size_t nactions;
	const char *back_href;
};

#endif
