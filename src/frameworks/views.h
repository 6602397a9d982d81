/* views.h: what the framework library's templates receive (pages.c). Every
 * string is already in the page's language; the templates escape it. */
#ifndef FRAMEWORKS_VIEWS_H
#define FRAMEWORKS_VIEWS_H
#include <stddef.h>

struct fv_link {
	const char *href, *label;
	int current;
};

/* /kaders: the latest revision of each framework */
struct fv_row {
	const char *href, *title, *code, *created_on;
	int revision, nrevisions;
};

struct fv_list {
	const struct fv_row *rows;
	size_t n;
	int may_import;
};

/* /kaders/{id}: one revision */
struct fv_req {
	const char *code, *text;
};

struct fv_group {
	const char *code, *title;
	const struct fv_req *reqs;
	size_t n;
};

/* a pillar with its groups; title NULL for a framework without pillars */
struct fv_pillar {
	const char *code, *title;
	const struct fv_group *groups;
	size_t n;
};

struct fv_framework {
	const char *title, *code, *kind, *published, *source, *created_on, *note;
	int revision;
	int latest;                 /* this is the latest revision */
	const char *latest_href;    /* the latest revision, when this is not it */
	const struct fv_pillar *pillars;
	size_t npillars;
	const struct fv_link *revisions;  /* every revision of the code, oldest first */
	size_t nrevisions;
	const char *diff_href;      /* the difference from the previous, or NULL */
	const char *export_href, *edit_href;  /* edit_href NULL unless allowed */
};

/* /kaders/{id}/verschil */
struct fv_change {
	const char *what, *code, *before, *after;
};

struct fv_diff {
	const char *title, *back_href, *prev_href;
	int revision, prev_revision;  /* prev_revision 0: this is the first */
	const char *note;
	const struct fv_change *changes;
	size_t n;
};

/* A text field of the edit and import forms, with its problem. */
struct fv_field {
	const char *id, *name, *label, *value, *error, *hint;
	int maxlength;
	int textarea;
};

struct fv_edit_req {
	const char *code;
	struct fv_field nl, en;
	const char *del_id, *del_name;
	int del;
};

struct fv_edit {
	const char *title, *action, *csrf, *error;
	const char *group_code, *group_heading;
	const struct fv_link *groups;   /* which group to edit */
	size_t ngroups;
	int too_many;                    /* the group is too large for the form */
	struct fv_field title_nl, title_en, group_nl, group_en, new_code, new_nl, new_en, note;
	const struct fv_edit_req *reqs;
	size_t nreqs;
	const char *back_href;
};

struct fv_import {
	const char *csrf, *error, *detail;
	struct fv_field note;
};

#endif
