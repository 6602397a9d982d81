/* practice_store.c: the good-practice library (ipim.h, migration 0018):
 * saving a practice and the search every reader of IPIM may make. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "ipim/internal.h"
#include "web/i18n.h"

static const char PRACTICE_COLS[] =
	"p.id, p.org_id, o.code, p.theme, p.title, p.description, p.contact, p.practised_on, "
	"p.updated_on";

static void practice_row(db_stmt_t *st, struct ipim_practice *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_i64(st, 0);
	p->org_id = db_col_i64(st, 1);
	ipim_copy(p->org_code, sizeof p->org_code, db_col_text(st, 2));
	ipim_copy(p->theme, sizeof p->theme, db_col_text(st, 3));
	ipim_copy(p->title, sizeof p->title, db_col_text(st, 4));
	ipim_copy(p->description, sizeof p->description, db_col_text(st, 5));
	ipim_copy(p->contact, sizeof p->contact, db_col_text(st, 6));
	ipim_copy(p->practised_on, sizeof p->practised_on, db_col_text(st, 7));
	ipim_copy(p->updated_on, sizeof p->updated_on, db_col_text(st, 8));
}

int ipim_practice_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       struct ipim_practice *p, const char *today, struct ipim_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t n;
	int added = p->id == 0;
	ipim_error_clear(e);
	if ((why = ipim_practice_check(p, today)) != NULL)
		return ipim_fail(e, IPIM_EINVALID, why);
	if (db_begin(db) != 0)
		return ipim_fail_db(db, e);
	if (db_query_i64_2(db, "SELECT count(*) FROM org WHERE id = ?1 AND kind = 'department' AND "
			       "valid_to IS NULL", p->org_id, 0, &n) != 0)
		goto dbfail;
	if (!n) {
		ipim_fail(e, IPIM_EINVALID, N_("Choose the department from the list."));
		goto refused;
	}
	if (added ? db_query_i64_2(db, "SELECT count(*) FROM ipim_practice", 0, 0, &n) != 0
		  : db_query_i64_2(db, "SELECT count(*) FROM ipim_practice WHERE id = ?1", p->id, 0, &n) != 0)
		goto dbfail;
	if (added && n >= IPIM_PRACTICES_MAX) {
		ipim_fail(e, IPIM_EFULL, N_("The library holds as many practices as it can (5,000)."));
		goto refused;
	}
	if (!added && !n) {
		ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such practice."));
		goto refused;
	}
	if (db_prepare(db, added ? "INSERT INTO ipim_practice (org_id, theme, title, description, "
				   "contact, practised_on, updated_on) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8) "
				   "RETURNING id"
				 : "UPDATE ipim_practice SET org_id = ?2, theme = ?3, title = ?4, "
				   "description = ?5, contact = ?6, practised_on = ?7, updated_on = ?8 "
				   "WHERE id = ?1 RETURNING id", &st) != 0 ||
	    (!added && db_bind_i64(st, 1, p->id) != 0) || db_bind_i64(st, 2, p->org_id) != 0 ||
	    db_bind_text(st, 3, p->theme, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, p->title, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, p->description, (size_t)-1) != 0 ||
	    db_bind_text(st, 6, p->contact, (size_t)-1) != 0 ||
	    db_bind_text(st, 7, p->practised_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 8, today, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	p->id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (ipim_audit(db, s, actor_id, added ? "ipim.practice.add" : "ipim.practice.update",
		       "ipim_practice", p->id) != 0 || db_commit(db) != 0)
		goto dbfail;
	ipim_copy(p->updated_on, sizeof p->updated_on, today);
	return 0;
dbfail:
	ipim_fail_db(db, e);
refused:
	db_finalize(st);
	return ipim_rollback(db, e);
}

int ipim_practice_get(db_t *db, int64_t id, struct ipim_practice *out, struct ipim_error *e)
{
	char sql[300];
	db_stmt_t *st = NULL;
	ipim_error_clear(e);
	snprintf(sql, sizeof sql, "SELECT %s FROM ipim_practice p JOIN org o ON o.id = p.org_id "
		 "WHERE p.id = ?1", PRACTICE_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0) {
		db_finalize(st);
		return ipim_fail_db(db, e);
	}
	int s = db_step(st);
	if (s == DB_ROW)
		practice_row(st, out);
	db_finalize(st);
	if (s == DB_ROW)
		return 0;
	if (s == DB_DONE)
		return ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such practice."));
	return ipim_fail_db(db, e);
}

/* The WHERE clause of a search; the visible departments are integers of
 * the caller's scope, written into the SQL, every text is bound. */
static char *search_where(struct arena *a, const struct ipim_search *s)
{
	char *w = arena_printf(a, "FROM ipim_practice p JOIN org o ON o.id = p.org_id WHERE "
			       "(?1 = '' OR p.title LIKE ?1 ESCAPE '\\' OR p.description LIKE ?1 "
			       "ESCAPE '\\') AND (?2 = '' OR p.theme = ?2) AND (?3 = 0 OR p.org_id = ?3) "
			       "AND p.org_id IN (0");
	for (size_t i = 0; i < s->nvisible; i++)
		w = arena_printf(a, "%s, %" PRId64, w, s->visible[i]);
	return arena_printf(a, "%s)", w);
}

static int search_bind(db_stmt_t *st, const char *pattern, const struct ipim_search *s)
{
	return db_bind_text(st, 1, pattern, (size_t)-1) != 0 ||
	       db_bind_text(st, 2, s->theme ? s->theme : "", (size_t)-1) != 0 ||
	       db_bind_i64(st, 3, s->org_id) != 0 ? -1 : 0;
}

int ipim_practice_search(db_t *db, struct arena *a, const struct ipim_search *s,
			 struct ipim_practice **out, size_t *n, int64_t *total,
			 struct ipim_error *e)
{
	char pattern[2 * IPIM_QUERY_MAX + 3];
	db_stmt_t *st = NULL;
	int rc;
	size_t k = 0;
	ipim_error_clear(e);
	*n = 0;
	*total = 0;
	const char *q = s->q ? s->q : "";
	if (strlen(q) > IPIM_QUERY_MAX)
		return ipim_fail(e, IPIM_EINVALID, N_("Search for at most 200 characters."));
	if (!*q)
		pattern[0] = '\0';
	else if (ipim_like_pattern(q, pattern, sizeof pattern) != 0)
		return ipim_fail(e, IPIM_EINVALID, N_("Search for at most 200 characters."));
	if (s->page < 0 || s->page > IPIM_PRACTICES_MAX / IPIM_PAGE)
		return ipim_fail(e, IPIM_EINVALID, N_("There is no such page of results."));
	const char *where = search_where(a, s);
	if (db_prepare(db, arena_printf(a, "SELECT count(*) %s", where), &st) != 0 ||
	    search_bind(st, pattern, s) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	*total = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	*out = arena_alloc(a, IPIM_PAGE * sizeof **out);
	if (db_prepare(db, arena_printf(a, "SELECT %s %s ORDER BY p.practised_on DESC, p.id DESC "
					"LIMIT %d OFFSET %d", PRACTICE_COLS, where, IPIM_PAGE,
					s->page * IPIM_PAGE), &st) != 0 ||
	    search_bind(st, pattern, s) != 0)
		goto dbfail;
	while ((rc = db_step(st)) == DB_ROW)
		if (k < IPIM_PAGE)
			practice_row(st, &(*out)[k++]);
	if (rc != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return ipim_fail_db(db, e);
}
