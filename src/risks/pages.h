/* pages.h: the pages of the risk register (issue 6 item 3). Routes in
 * src/app/routes.c, which declares the roles:
 *
 *   read   integrity coordinators and managers of the department (at it or
 *          a unit under it), the coordinator and the auditor for the
 *          departments in their scope (never one outside it, Defence);
 *   edit   integrity coordinators of the department.
 *
 * Whatever the role, a department the viewer may not read answers 404, the
 * changes included, before anything is read or written (risks_dept).
 *
 *   pages_register.c  GET /risicos, /risicos/{id}, the heat map as SVG,
 *                     the exports (CSV per sheet, XLSX with four sheets)
 *   pages_forms.c     add and edit a process, position, risk or control
 *   pages_matrix.c    GET/POST /risicos/{id}/matrix
 *   pages_shared.c    access and words the pages share */
#ifndef RISKS_PAGES_H
#define RISKS_PAGES_H
#include <stdint.h>

#include "accounts/scope.h"
#include "risks/risks.h"

struct page;
struct viewer;

void risks_page_index(struct page *p);
void risks_page_register(struct page *p);
void risks_page_svg(struct page *p);
void risks_page_csv(struct page *p);
void risks_page_xlsx(struct page *p);
void risks_page_matrix(struct page *p);
void risks_page_matrix_post(struct page *p);
/* GET .../nieuw and .../{id}; POST .../ (new) and .../{id} (update) */
void risks_page_process_form(struct page *p);
void risks_page_process_post(struct page *p);
void risks_page_position_form(struct page *p);
void risks_page_position_post(struct page *p);
void risks_page_risk_form(struct page *p);
void risks_page_risk_post(struct page *p);
void risks_page_control_form(struct page *p);
void risks_page_control_post(struct page *p);

/* ---- shared (pages_shared.c) ---- */

/* 1 if v may read (edit 0) or change (edit 1) department dept_id's
 * register, 0 if not, -1 on a database error: the one rule, for the pages
 * and the API alike. */
int risks_access(db_t *db, const struct viewer *v, int64_t dept_id, int edit);

/* The department params[0] if the viewer may read it (edit 0) or change it
 * (edit 1): 0 with *d set; else answers 404 (or 503) and returns -1. */
int risks_dept(struct page *p, int edit, struct scope_dept *d);
/* 1 if the viewer may change department id's register. */
int risks_may_edit(struct page *p, int64_t dept_id);
/* Answers a storage failure that no form takes back. */
void risks_fail_page(struct page *p, const struct risks_error *e);
/* "laag (1–4)"; "—" for -1. */
const char *risks_band_words(struct page *p, const struct risks_matrix *m, int band);
/* "4 groot" */
const char *risks_level_words(struct page *p, const struct risks_matrix *m, int axis, int level);
const char *risks_treatment_words(struct page *p, const char *t);
const char *risks_status_words(struct page *p, const char *s);
const char *risks_screening_words(struct page *p, const char *s);
/* "/risicos/3" + rest */
const char *risks_path(struct page *p, int64_t dept, const char *rest);
/* A posted whole number in [min, max] into *out; -1 when absent or not. */
int risks_field_int(struct page *p, const char *name, int min, int max, int *out);
/* A posted text ("" when absent). */
const char *risks_field_text(struct page *p, const char *name);
/* A violation category of the current taxonomy as "3. Title" in the page's
 * language; the bare code when the taxonomy does not know it. */
const char *risks_category_words(struct page *p, const char *code);

#endif
