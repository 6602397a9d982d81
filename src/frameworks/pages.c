/* pages.c: the framework library's pages (pages.h). A framework is read
 * from its stored canonical JSON on every request (they are small), shown
 * in the page's language (Dutch when a text has no English), and changed
 * only by adding a revision through store.c, which checks everything again
 * inside its transaction. Structs framework own malloc'd memory: every
 * handler frees them on every path; the views live in the request arena. */
#include "frameworks/pages.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/alloc.h"
#include "base/log.h"
#include "frameworks/framework.h"
#include "frameworks/views.h"
#include "frameworks_tmpl.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/page.h"

#define REVISIONS_SHOWN 500
/* A group is edited on one form of at most 64 fields: ten for the rest, two
 * per requirement and a checked box per removal. */
#define EDIT_REQS_MAX 20

static int may_change(const struct page *p)
{
	return p->viewer && (p->viewer->roles & role_mask(ROLE_COORDINATOR));
}

static const char *lang_text(const struct page *p, const char *nl, const char *en)
{
	return fw_lang(nl, en, p->lang);
}

static const char *kind_label(const struct page *p, const char *kind)
{
	static const char *const names[][2] = {
		{"norms", N_("Standards")},
		{"code", N_("Code of conduct")},
		{"principles", N_("Principles")},
		{"maturity", N_("Maturity model")},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (kind && strcmp(kind, names[i][0]) == 0)
			return page_tr(p, names[i][1]);
	return kind ? kind : "";
}

static void unavailable(struct page *p, const char *what)
{
	log_error("frameworks: %s: %s", what, db_error(p->db)->msg);
	page_fail(p, 503, "The page cannot be shown right now. Please try again later.");
}

/* Revision params[0]: its row and framework. Answers 404 or 503 itself and
 * returns -1; on 0 the caller frees f. */
static int load(struct page *p, struct fw_version_row *row, struct framework *f)
{
	int rc = frameworks_row(p->db, p->params[0], row);
	if (rc == 0)
		rc = frameworks_load(p->db, row->id, f);
	if (rc > 0) {
		page_fail(p, 404, "There is no such framework.");
		return -1;
	}
	if (rc < 0) {
		unavailable(p, "load");
		return -1;
	}
	return 0;
}

/* ---- GET /kaders ---- */

void frameworks_page_list(struct page *p)
{
	struct fw_version_row *rows = arena_alloc(p->a, REVISIONS_SHOWN * sizeof *rows);
	size_t n;
	if (frameworks_list(p->db, 1, rows, REVISIONS_SHOWN, &n) != 0) {
		unavailable(p, "list");
		return;
	}
	struct fv_row *v = arena_alloc(p->a, (n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct fv_row){
			.href = arena_printf(p->a, "/kaders/%" PRId64, rows[i].id),
			.title = arena_strdup(p->a, lang_text(p, rows[i].title_nl, rows[i].title_en)),
			.code = rows[i].code, .created_on = rows[i].created_on,
			.revision = rows[i].revision};
	struct fv_list view = {.rows = v, .n = n, .may_import = may_change(p)};
	page_begin(p, page_tr(p, "Frameworks"));
	tmpl_frameworks_fw_list(&p->res->body, &p->t, &view);
	page_end(p);
}

/* ---- GET /kaders/{id} ---- */

/* Every revision of code as links, oldest first; the one shown marked. */
static void revision_links(struct page *p, const char *code, int64_t shown,
			   const struct fv_link **out, size_t *n, int64_t *latest)
{
	struct fw_version_row *rows = arena_alloc(p->a, REVISIONS_SHOWN * sizeof *rows);
	size_t m = 0;
	*out = NULL;
	*n = 0;
	*latest = shown;
	if (frameworks_revisions(p->db, code, rows, REVISIONS_SHOWN, &m) != 0) {
		log_error("frameworks: revisions: %s", db_error(p->db)->msg);
		return;
	}
	struct fv_link *l = arena_alloc(p->a, (m ? m : 1) * sizeof *l);
	for (size_t i = 0; i < m; i++)
		l[i] = (struct fv_link){
			.href = arena_printf(p->a, "/kaders/%" PRId64, rows[i].id),
			.label = arena_printf(p->a, "%s %d (%s)", page_tr(p, "Revision"),
					      rows[i].revision, rows[i].created_on),
			.current = rows[i].id == shown};
	if (m)
		*latest = rows[m - 1].id;
	*out = l;
	*n = m;
}

static const struct fv_group *group_views(struct page *p, const struct framework *f, int pillar,
					  size_t *n)
{
	struct fv_group *g = arena_alloc(p->a, f->ngroups * sizeof *g);
	*n = 0;
	for (size_t i = 0; i < f->ngroups; i++) {
		const struct fw_group *gr = &f->groups[i];
		if (pillar >= 0 && gr->pillar != pillar)
			continue;
		struct fv_req *r = arena_alloc(p->a, gr->n * sizeof *r);
		for (size_t k = 0; k < gr->n; k++) {
			const struct fw_req *q = &f->reqs[gr->first + k];
			r[k] = (struct fv_req){arena_strdup(p->a, q->code),
					       arena_strdup(p->a, lang_text(p, q->text_nl, q->text_en))};
		}
		g[(*n)++] = (struct fv_group){arena_strdup(p->a, gr->code),
					      arena_strdup(p->a, lang_text(p, gr->title_nl, gr->title_en)),
					      r, gr->n};
	}
	return g;
}

void frameworks_page_view(struct page *p)
{
	struct fw_version_row row;
	struct framework f;
	int64_t prev, latest;
	if (load(p, &row, &f) != 0)
		return;
	struct fv_framework v = {
		.title = arena_strdup(p->a, lang_text(p, f.title_nl, f.title_en)),
		.code = row.code, .kind = kind_label(p, f.kind),
		.published = arena_strdup(p->a, f.published), .source = arena_strdup(p->a, f.source),
		.created_on = row.created_on, .note = row.note[0] ? row.note : NULL,
		.revision = f.revision,
		.export_href = arena_printf(p->a, "/kaders/%" PRId64 "/export", row.id)};
	size_t np = f.npillars ? f.npillars : 1;
	struct fv_pillar *pl = arena_alloc(p->a, np * sizeof *pl);
	for (size_t i = 0; i < np; i++) {
		pl[i].code = f.npillars ? f.pillars[i].code : NULL;
		pl[i].title = f.npillars ? arena_strdup(p->a, lang_text(p, f.pillars[i].title_nl,
									 f.pillars[i].title_en))
					 : NULL;
		if (pl[i].code)
			pl[i].code = arena_strdup(p->a, pl[i].code);
		pl[i].groups = group_views(p, &f, f.npillars ? (int)i : -1, &pl[i].n);
	}
	v.pillars = pl;
	v.npillars = np;
	revision_links(p, row.code, row.id, &v.revisions, &v.nrevisions, &latest);
	v.latest = latest == row.id;
	if (!v.latest)
		v.latest_href = arena_printf(p->a, "/kaders/%" PRId64, latest);
	if (frameworks_previous(p->db, row.id, &prev) == 0)
		v.diff_href = arena_printf(p->a, "/kaders/%" PRId64 "/verschil", row.id);
	if (v.latest && may_change(p))
		v.edit_href = arena_printf(p->a, "/kaders/%" PRId64 "/bewerken", row.id);
	framework_free(&f);
	page_begin(p, v.title);
	tmpl_frameworks_fw_view(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- GET /kaders/{id}/verschil ---- */

static const char *change_label(const struct page *p, const struct fw_change *c)
{
	int en = strcmp(c->what, "en") == 0;
	switch (c->kind) {
	case FW_CH_META:
		if (strcmp(c->what, "title.nl") == 0)
			return page_tr(p, "Title (Dutch) changed");
		if (strcmp(c->what, "title.en") == 0)
			return page_tr(p, "Title (English) changed");
		if (strcmp(c->what, "source") == 0)
			return page_tr(p, "Source changed");
		if (strcmp(c->what, "published") == 0)
			return page_tr(p, "Publication date changed");
		return page_tr(p, "Kind changed");
	case FW_CH_PILLAR_ADDED: return page_tr(p, "Pillar added");
	case FW_CH_PILLAR_REMOVED: return page_tr(p, "Pillar removed");
	case FW_CH_PILLAR_TITLE:
		if (en)
			return page_tr(p, "Pillar title (English) changed");
		return page_tr(p, "Pillar title (Dutch) changed");
	case FW_CH_GROUP_ADDED: return page_tr(p, "Group added");
	case FW_CH_GROUP_REMOVED: return page_tr(p, "Group removed");
	case FW_CH_GROUP_TITLE:
		if (en)
			return page_tr(p, "Group title (English) changed");
		return page_tr(p, "Group title (Dutch) changed");
	case FW_CH_GROUP_PILLAR: return page_tr(p, "Group moved to another pillar");
	case FW_CH_REQ_ADDED: return page_tr1(p, "Requirement added to group {}", c->where);
	case FW_CH_REQ_REMOVED: return page_tr1(p, "Requirement removed from group {}", c->where);
	case FW_CH_REQ_TEXT:
		if (en)
			return page_tr(p, "Requirement text (English) changed");
		return page_tr(p, "Requirement text (Dutch) changed");
	case FW_CH_REQ_MOVED: return page_tr(p, "Requirement moved to another group");
	}
	return "";
}

void frameworks_page_diff(struct page *p)
{
	struct fw_version_row row, prow;
	struct framework f, prev = {0};
	struct fw_diff d = {0};
	int64_t prev_id;
	if (load(p, &row, &f) != 0)
		return;
	struct fv_diff v = {
		.title = arena_printf(p->a, "%s: %s", lang_text(p, f.title_nl, f.title_en),
				      page_tr(p, "what changed")),
		.back_href = arena_printf(p->a, "/kaders/%" PRId64, row.id),
		.revision = f.revision, .note = row.note[0] ? row.note : NULL};
	int rc = frameworks_previous(p->db, row.id, &prev_id);
	if (rc == 0 && (frameworks_row(p->db, prev_id, &prow) != 0 ||
			frameworks_load(p->db, prev_id, &prev) != 0))
		rc = -1;
	if (rc < 0) {
		framework_free(&f);
		unavailable(p, "diff");
		return;
	}
	if (rc == 0) {
		v.prev_revision = prev.revision;
		v.prev_href = arena_printf(p->a, "/kaders/%" PRId64, prev_id);
		fw_diff(&prev, &f, &d);
		struct fv_change *c = arena_alloc(p->a, (d.n ? d.n : 1) * sizeof *c);
		/* the texts point into the frameworks, which go before the
		 * template runs: copies into the arena */
		for (size_t i = 0; i < d.n; i++)
			c[i] = (struct fv_change){change_label(p, &d.changes[i]),
						  arena_strdup(p->a, d.changes[i].code),
						  arena_strdup(p->a, d.changes[i].before),
						  arena_strdup(p->a, d.changes[i].after)};
		v.changes = c;
		v.n = d.n;
	}
	fw_diff_free(&d);
	framework_free(&prev);
	framework_free(&f);
	page_begin(p, v.title);
	tmpl_frameworks_fw_diff(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- GET /kaders/{id}/export ---- */

void frameworks_page_export(struct page *p)
{
	struct fw_version_row row;
	char *body;
	size_t len;
	int rc = frameworks_row(p->db, p->params[0], &row);
	if (rc == 0)
		rc = frameworks_body(p->db, row.id, &body, &len);
	if (rc > 0) {
		page_fail(p, 404, "There is no such framework.");
		return;
	}
	if (rc < 0) {
		unavailable(p, "export");
		return;
	}
	p->res->status = 200;
	p->res->content_type = "application/json; charset=utf-8";
	/* the code is [a-z0-9.-]: safe in a quoted file name as it is */
	http_add_header(p->res, "Content-Disposition",
			arena_printf(p->a, "attachment; filename=\"%s-v%d.json\"", row.code,
				     row.revision));
	buf_add(&p->res->body, body, len);
	free(body);
}

/* ---- the edit form ---- */

/* A form value without the spaces around it (people paste them), in the
 * arena; "" when absent. */
static const char *field(struct page *p, const char *name)
{
	const char *s = page_field(p, name);
	if (!s)
		return "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	char *out = arena_alloc(p->a, n + 1);
	memcpy(out, s, n);
	out[n] = 0;
	return out;
}

static struct fv_field text_field(struct page *p, const char *id, const char *label,
				  const char *value, int maxlength, int textarea)
{
	return (struct fv_field){.id = id, .name = id, .label = page_tr(p, label),
				 .value = value ? arena_strdup(p->a, value) : "",
				 .maxlength = maxlength, .textarea = textarea};
}

/* Sets f's error from fw_text_problem (optional: empty is fine); 1 when
 * there is one. */
static int check_field(struct page *p, struct fv_field *f, int optional, size_t max)
{
	if (optional && !*f->value)
		return 0;
	const char *why = fw_text_problem(f->value, max);
	if (!why)
		return 0;
	f->error = page_tr(p, why);
	return 1;
}

/* The form for group g of f (edited from revision row), filled from f. */
static void edit_view(struct page *p, const struct fw_version_row *row, const struct framework *f,
		      size_t g, struct fv_edit *v)
{
	const struct fw_group *gr = &f->groups[g];
	memset(v, 0, sizeof *v);
	v->title = arena_printf(p->a, "%s: %s", page_tr(p, "Edit"),
				lang_text(p, f->title_nl, f->title_en));
	v->action = arena_printf(p->a, "/kaders/%" PRId64 "/bewerken", row->id);
	v->back_href = arena_printf(p->a, "/kaders/%" PRId64, row->id);
	v->csrf = p->csrf;
	v->group_code = arena_strdup(p->a, gr->code);
	v->group_heading = arena_printf(p->a, "%s %s", page_tr(p, "Group"), gr->code);
	struct fv_link *l = arena_alloc(p->a, f->ngroups * sizeof *l);
	for (size_t i = 0; i < f->ngroups; i++)
		l[i] = (struct fv_link){
			.href = arena_printf(p->a, "/kaders/%" PRId64 "/bewerken?groep=%s", row->id,
					     f->groups[i].code),
			.label = arena_printf(p->a, "%s. %s", f->groups[i].code,
					      lang_text(p, f->groups[i].title_nl, f->groups[i].title_en)),
			.current = i == g};
	v->groups = l;
	v->ngroups = f->ngroups;
	v->too_many = gr->n > EDIT_REQS_MAX;
	v->title_nl = text_field(p, "title_nl", N_("Title in Dutch"), f->title_nl, FW_TITLE_MAX, 0);
	v->title_en = text_field(p, "title_en", N_("Title in English (optional)"), f->title_en,
				 FW_TITLE_MAX, 0);
	v->group_nl = text_field(p, "group_nl", N_("Group title in Dutch"), gr->title_nl, FW_TITLE_MAX, 0);
	v->group_en = text_field(p, "group_en", N_("Group title in English (optional)"), gr->title_en,
				 FW_TITLE_MAX, 0);
	struct fv_edit_req *r = arena_alloc(p->a, (gr->n ? gr->n : 1) * sizeof *r);
	for (size_t k = 0; k < gr->n; k++) {
		const struct fw_req *q = &f->reqs[gr->first + k];
		r[k].code = arena_strdup(p->a, q->code);
		r[k].nl = text_field(p, arena_printf(p->a, "nl:%s", q->code), N_("Text in Dutch"),
				     q->text_nl, FW_TEXT_MAX, 1);
		r[k].en = text_field(p, arena_printf(p->a, "en:%s", q->code),
				     N_("Text in English (optional)"), q->text_en, FW_TEXT_MAX, 1);
		r[k].del_id = r[k].del_name = arena_printf(p->a, "del:%s", q->code);
	}
	v->reqs = r;
	v->nreqs = gr->n;
	v->new_code = text_field(p, "new_code", N_("Code of the new requirement"), "", FW_CODE_MAX, 0);
	v->new_code.hint = page_tr(p, "Letters a-z, digits, '.' and '-', unique in the framework, e.g. 4.5.");
	v->new_nl = text_field(p, "new_nl", N_("Text in Dutch"), "", FW_TEXT_MAX, 1);
	v->new_en = text_field(p, "new_en", N_("Text in English (optional)"), "", FW_TEXT_MAX, 1);
	v->note = text_field(p, "note", N_("Why this revision"), "", FW_NOTE_MAX, 1);
	v->note.hint = page_tr(p, "Shown with the revision and its differences, e.g. the source of the change.");
}

/* The group named by the query or form (the first when none); -1 when it
 * names none. */
static int chosen_group(const struct framework *f, const char *code)
{
	if (!code || !*code)
		return 0;
	return framework_group(f, code);
}

/* Loads the revision to edit, which must be the latest; answers itself and
 * returns -1 otherwise. */
static int load_for_edit(struct page *p, struct fw_version_row *row, struct framework *f)
{
	int64_t latest;
	if (load(p, row, f) != 0)
		return -1;
	int rc = frameworks_latest(p->db, row->code, &latest);
	if (rc != 0) {
		framework_free(f);
		unavailable(p, "latest");
		return -1;
	}
	if (latest != row->id) {
		framework_free(f);
		page_fail(p, 409, "Only the latest revision of a framework can be edited.");
		return -1;
	}
	return 0;
}

void frameworks_page_edit(struct page *p)
{
	struct fw_version_row row;
	struct framework f;
	struct fv_edit v;
	if (load_for_edit(p, &row, &f) != 0)
		return;
	int g = chosen_group(&f, http_query(p->req, "groep"));
	if (g < 0) {
		framework_free(&f);
		page_fail(p, 404, "This framework has no such group.");
		return;
	}
	edit_view(p, &row, &f, (size_t)g, &v);
	framework_free(&f);
	page_begin(p, v.title);
	tmpl_frameworks_fw_edit(&p->res->body, &p->t, &v);
	page_end(p);
}

/* Builds in *out the revision the form asks for: f with the titles, group
 * g's title and texts from v (checked), the removals and the new
 * requirement. */
static void build(const struct framework *f, size_t g, const struct fv_edit *v, int add,
		  struct framework *out)
{
	const struct fw_group *gr = &f->groups[g];
	size_t del = 0;
	for (size_t k = 0; k < gr->n; k++)
		del += v->reqs[k].del != 0;
	memset(out, 0, sizeof *out);
	memcpy(out->code, f->code, sizeof out->code);
	out->revision = f->revision;
	out->title_nl = xstrdup(v->title_nl.value);
	out->title_en = *v->title_en.value ? xstrdup(v->title_en.value) : NULL;
	out->source = xstrdup(f->source);
	out->published = xstrdup(f->published);
	out->kind = xstrdup(f->kind);
	if (f->npillars) {
		out->pillars = xcalloc(f->npillars, sizeof *out->pillars);
		out->npillars = f->npillars;
		for (size_t i = 0; i < f->npillars; i++) {
			out->pillars[i] = f->pillars[i];
			out->pillars[i].title_nl = xstrdup(f->pillars[i].title_nl);
			out->pillars[i].title_en = f->pillars[i].title_en ? xstrdup(f->pillars[i].title_en)
									  : NULL;
		}
	}
	out->groups = xcalloc(f->ngroups, sizeof *out->groups);
	out->ngroups = f->ngroups;
	out->reqs = xcalloc(f->nreqs - del + (size_t)add + 1, sizeof *out->reqs);
	for (size_t i = 0; i < f->ngroups; i++) {
		const struct fw_group *src = &f->groups[i];
		struct fw_group *dst = &out->groups[i];
		*dst = *src;
		dst->first = out->nreqs;
		dst->n = 0;
		if (i == g) {
			dst->title_nl = xstrdup(v->group_nl.value);
			dst->title_en = *v->group_en.value ? xstrdup(v->group_en.value) : NULL;
		} else {
			dst->title_nl = xstrdup(src->title_nl);
			dst->title_en = src->title_en ? xstrdup(src->title_en) : NULL;
		}
		for (size_t k = 0; k < src->n; k++) {
			const struct fw_req *q = &f->reqs[src->first + k];
			if (i == g && v->reqs[k].del)
				continue;
			struct fw_req *r = &out->reqs[out->nreqs++];
			*r = *q;
			r->group = i;
			if (i == g) {
				r->text_nl = xstrdup(v->reqs[k].nl.value);
				r->text_en = *v->reqs[k].en.value ? xstrdup(v->reqs[k].en.value) : NULL;
			} else {
				r->text_nl = xstrdup(q->text_nl);
				r->text_en = q->text_en ? xstrdup(q->text_en) : NULL;
			}
			dst->n++;
		}
		if (i == g && add) {
			struct fw_req *r = &out->reqs[out->nreqs++];
			snprintf(r->code, sizeof r->code, "%s", v->new_code.value);
			r->text_nl = xstrdup(v->new_nl.value);
			r->text_en = *v->new_en.value ? xstrdup(v->new_en.value) : NULL;
			r->group = i;
			dst->n++;
		}
	}
}

/* Reads and checks the posted form into v (already filled from f for group
 * g); the number of problems found, with *add set when a new requirement
 * was given. */
static int read_form(struct page *p, const struct framework *f, size_t g, struct fv_edit *v,
		     int *add)
{
	const struct fw_group *gr = &f->groups[g];
	int bad = 0;
	struct fv_field *fs[] = {&v->title_nl, &v->title_en, &v->group_nl, &v->group_en,
				 &v->new_code, &v->new_nl, &v->new_en, &v->note};
	for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++)
		fs[i]->value = field(p, fs[i]->name);
	bad += check_field(p, &v->title_nl, 0, FW_TITLE_MAX);
	bad += check_field(p, &v->title_en, 1, FW_TITLE_MAX);
	bad += check_field(p, &v->group_nl, 0, FW_TITLE_MAX);
	bad += check_field(p, &v->group_en, 1, FW_TITLE_MAX);
	size_t kept = 0;
	for (size_t k = 0; k < gr->n; k++) {
		struct fv_edit_req *r = (struct fv_edit_req *)&v->reqs[k];
		r->nl.value = field(p, r->nl.name);
		r->en.value = field(p, r->en.name);
		r->del = page_field(p, r->del_name) != NULL;
		if (r->del)
			continue;
		kept++;
		bad += check_field(p, &r->nl, 0, FW_TEXT_MAX);
		bad += check_field(p, &r->en, 1, FW_TEXT_MAX);
	}
	*add = *v->new_code.value || *v->new_nl.value || *v->new_en.value;
	if (*add) {
		if (!*v->new_code.value) {
			v->new_code.error = page_tr(p, "Fill this in.");
			bad++;
		} else if (!fw_code_ok(v->new_code.value)) {
			v->new_code.error = page_tr(p, "Use 1 to 32 of the letters a-z, digits, '.' and '-'.");
			bad++;
		} else if (framework_req(f, v->new_code.value) ||
			   framework_group(f, v->new_code.value) >= 0) {
			v->new_code.error = page_tr(p, "This code is already used in the framework. Choose another.");
			bad++;
		} else {
			for (size_t i = 0; i < f->npillars; i++)
				if (strcmp(f->pillars[i].code, v->new_code.value) == 0) {
					v->new_code.error = page_tr(p, "This code is already used in the framework. Choose another.");
					bad++;
				}
		}
		bad += check_field(p, &v->new_nl, 0, FW_TEXT_MAX);
		bad += check_field(p, &v->new_en, 1, FW_TEXT_MAX);
	}
	if (kept == 0 && !*add) {
		v->error = page_tr(p, "A group keeps at least one requirement: keep one, or add one.");
		bad++;
	}
	if (f->nreqs - (gr->n - kept) + (size_t)*add > FW_REQS_MAX) {
		v->error = page_tr(p, "A framework has at most 500 requirements.");
		bad++;
	}
	/* the note: why; line breaks allowed */
	size_t nn = strlen(v->note.value);
	if (nn == 0) {
		v->note.error = page_tr(p, "Say why you make this revision.");
		bad++;
	} else if (nn > FW_NOTE_MAX) {
		v->note.error = page_tr(p, "This is longer than 500 bytes. Shorten it.");
		bad++;
	}
	return bad;
}

void frameworks_page_edit_post(struct page *p)
{
	struct fw_version_row row;
	struct framework f, nf = {0};
	struct fv_edit v;
	char err[400], actor[40];
	int64_t id;
	int add = 0;
	if (load_for_edit(p, &row, &f) != 0)
		return;
	int g = chosen_group(&f, page_field(p, "groep"));
	if (g < 0 || f.groups[g].n > EDIT_REQS_MAX) {
		framework_free(&f);
		page_fail(p, 400, "The form does not fit this framework any more. Open it again.");
		return;
	}
	edit_view(p, &row, &f, (size_t)g, &v);
	int bad = read_form(p, &f, (size_t)g, &v, &add);
	if (bad) {
		if (!v.error)
			v.error = page_tr(p, "The revision was not saved. Correct what is marked below.");
		goto show;
	}
	build(&f, (size_t)g, &v, add, &nf);
	snprintf(actor, sizeof actor, "user:%" PRId64, p->viewer->account.id);
	switch (frameworks_revise(p->db, p->signer, row.id, &nf, actor, p->viewer->account.id,
				  v.note.value, &id, err, sizeof err)) {
	case FW_SAVE_OK:
		framework_free(&nf);
		framework_free(&f);
		page_redirect(p, arena_printf(p->a, "/kaders/%" PRId64 "/verschil", id));
		return;
	case FW_SAVE_ESAME:
		v.error = page_tr(p, "Nothing changed: change a text, or add or remove a requirement, before saving.");
		break;
	case FW_SAVE_ESTALE:
		v.error = page_tr(p, "Someone saved a newer revision of this framework meanwhile. Open the latest revision and make your change there.");
		break;
	case FW_SAVE_EINVALID:
		/* the fields passed their checks, so this is the whole
		 * framework's rule: shown as the reader says it */
		v.error = page_tr1(p, "The revision was not saved: {}", arena_strdup(p->a, err));
		break;
	default:
		framework_free(&nf);
		framework_free(&f);
		unavailable(p, "revise");
		return;
	}
show:
	framework_free(&nf);
	framework_free(&f);
	p->res->status = 422;
	page_begin(p, v.title);
	tmpl_frameworks_fw_edit(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- import ---- */

static void import_form(struct page *p, struct fv_import *v, const char *note)
{
	v->csrf = p->csrf;
	v->note = text_field(p, "note", N_("Why this revision (optional)"), note, FW_NOTE_MAX, 1);
}

void frameworks_page_import(struct page *p)
{
	struct fv_import v = {0};
	import_form(p, &v, "");
	page_begin(p, page_tr(p, "Import a framework"));
	tmpl_frameworks_fw_import(&p->res->body, &p->t, &v);
	page_end(p);
}

void frameworks_page_import_post(struct page *p)
{
	struct fv_import v = {0};
	struct framework f = {0};
	char err[600], actor[40];
	int64_t id;
	const char *note = field(p, "note");
	const struct form_field *file = form_field(&p->form, "file");
	import_form(p, &v, note);
	if (strlen(note) > FW_NOTE_MAX) {
		v.note.error = page_tr(p, "This is longer than 500 bytes. Shorten it.");
		v.error = page_tr(p, "The framework was not imported. Correct what is marked below.");
		goto show;
	}
	if (!file || !file->filename || file->len == 0) {
		v.error = page_tr(p, "Choose a framework file to import.");
		goto show;
	}
	if (file->len > FW_FILE_MAX) {
		v.error = page_tr(p, "The file is larger than 1 MiB: it is not a framework file.");
		goto show;
	}
	if (framework_parse(file->value, file->len, &f, err, sizeof err) != 0) {
		v.error = page_tr(p, "The file was not imported: it is not a valid framework file. What is wrong:");
		v.detail = arena_strdup(p->a, err);
		goto show;
	}
	snprintf(actor, sizeof actor, "user:%" PRId64, p->viewer->account.id);
	switch (frameworks_import(p->db, p->signer, &f, actor, p->viewer->account.id, note, &id, err,
				  sizeof err)) {
	case FW_SAVE_OK:
		framework_free(&f);
		page_redirect(p, arena_printf(p->a, "/kaders/%" PRId64 "/verschil", id));
		return;
	case FW_SAVE_ESTALE:
		v.error = page_tr(p, "The file was not imported: its revision number is not higher than the latest revision in the library. Give it a higher revision number.");
		break;
	case FW_SAVE_ESAME:
		v.error = page_tr(p, "The file was not imported: it is the same as the latest revision in the library.");
		break;
	case FW_SAVE_EINVALID:
		v.error = page_tr(p, "The file was not imported: it is not a valid framework file. What is wrong:");
		v.detail = arena_strdup(p->a, err);
		break;
	default:
		framework_free(&f);
		unavailable(p, "import");
		return;
	}
show:
	framework_free(&f);
	p->res->status = 422;
	page_begin(p, page_tr(p, "Import a framework"));
	tmpl_frameworks_fw_import(&p->res->body, &p->t, &v);
	page_end(p);
}
