/* views.h: what the templates of the risk register's pages
 * (src/risks/templates) receive, filled by pages_*.c. Strings for people are
 * already translated; the templates escape everything. */
#ifndef RISKS_VIEWS_H
#define RISKS_VIEWS_H
#include <stddef.h>

/* ---- GET /risicos ---- */

struct rv_dept {
	const char *href, *code, *name;
	const char *heat;       /* "zeer hoog 2, hoog 1" (residual, open risks) or "No risks" */
	int risks;
	int own;                /* the viewer keeps or reads it as their own department */
};

struct risks_index_view {
	const struct rv_dept *depts;
	size_t ndepts;
	int coordinated;        /* the list is the coordinator's / auditor's view */
};

/* ---- one register ---- */

struct rv_link {
	const char *href, *label;
};

struct rv_cell {
	const char *text;
	const char *href;       /* a link, or NULL */
};

/* A table: caption, header, rows of cells (the first is the row header). */
struct rv_table {
	const char *id, *caption, *empty;
	const char *const *head;
	size_t ncols;
	const struct rv_cell *cells;   /* nrows × ncols */
	size_t nrows;
};

struct risks_register_view {
	const char *title;           /* "Risk register of Financiën (FIN)" */
	const char *notice;          /* "The risk was saved." or NULL */
	int may_edit;
	const struct rv_link *actions; /* add a process, ... (editors) */
	size_t nactions;
	const struct rv_link *exports;
	size_t nexports;
	const char *heat_heading;    /* "Heat map: residual risks" */
	const char *switch_href, *switch_label; /* to the other view */
	const char *svg_href;        /* the map as an image of its own */
	const char *matrix_text;     /* "5 × 5 matrix, the default" */
	const char *matrix_href;     /* editors: edit it; else NULL */
};

struct risks_register_rest_view {
	const struct rv_table *tables;
	size_t ntables;
	const struct rv_link *bands;   /* the legend: label "laag (1–4)", href unused */
	size_t nbands;
};

/* ---- forms ---- */

enum rv_kind { RV_TEXT, RV_TEXTAREA, RV_NUMBER, RV_DATE, RV_SELECT, RV_CHECKS };

struct rv_option {
	const char *value, *label;
	int selected;
};

struct rv_field {
	int kind;                 /* enum rv_kind */
	const char *name, *id, *label, *hint;
	const char *value;        /* text, number, date, textarea */
	const struct rv_option *options; /* select, checks */
	size_t noptions;
	int maxlength;            /* 0: none */
	int required;
};

struct rv_fieldset {
	const char *legend, *hint;
	const struct rv_field *fields;
	size_t n;
};

struct risks_form_view {
	const char *title, *intro;
	const char *action, *csrf;
	const char *error;        /* why the form was refused, or NULL */
	const char *back_href, *back_label;
	const char *submit;
	const struct rv_field *hidden; /* hidden fields: name and value only */
	size_t nhidden;
	const struct rv_fieldset *sets;
	size_t nsets;
};

#endif
