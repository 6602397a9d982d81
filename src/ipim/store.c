/* store.c: IPIM's meetings, agenda items with their links, and decisions
 * (ipim.h, migration 0018), and the helpers the storage files share
 * (internal.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ipim/internal.h"
#include "web/i18n.h"

void ipim_error_clear(struct ipim_error *e)
{
	memset(e, 0, sizeof *e);
}

int ipim_rollback(db_t *db, struct ipim_error *e)
{
	if (!e->code)
		e->code = IPIM_EDB;
	db_rollback(db);
	return -1;
}

void ipim_copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

int ipim_audit(db_t *db, const struct audit_signer *s, int64_t actor_id, const char *action,
	       const char *object_type, int64_t object_id)
{
	return audit_append_user(db, s, actor_id, action, object_type, object_id, NULL);
}

/* ---- meetings ---- */

static const char MEETING_COLS[] = "id, held_on, title, place, minutes, updated_on";

static void meeting_row(db_stmt_t *st, struct ipim_meeting *m)
{
	memset(m, 0, sizeof *m);
	m->id = db_col_i64(st, 0);
	ipim_copy(m->held_on, sizeof m->held_on, db_col_text(st, 1));
	ipim_copy(m->title, sizeof m->title, db_col_text(st, 2));
	ipim_copy(m->place, sizeof m->place, db_col_text(st, 3));
	ipim_copy(m->minutes, sizeof m->minutes, db_col_text(st, 4));
	ipim_copy(m->updated_on, sizeof m->updated_on, db_col_text(st, 5));
}

int ipim_meeting_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		      struct ipim_meeting *m, const char *today, struct ipim_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t n;
	int added = m->id == 0;
	ipim_error_clear(e);
	if ((why = ipim_meeting_check(m)) != NULL)
		return ipim_fail(e, IPIM_EINVALID, why);
	if (db_begin(db) != 0)
		return ipim_fail_db(db, e);
	if (added ? db_query_i64_2(db, "SELECT count(*) FROM ipim_meeting", 0, 0, &n) != 0
		  : db_query_i64_2(db, "SELECT count(*) FROM ipim_meeting WHERE id = ?1", m->id, 0, &n) != 0)
		goto dbfail;
	if (added && n >= IPIM_MEETINGS_MAX) {
		ipim_fail(e, IPIM_EFULL, N_("IPIM holds as many meetings as it can (500)."));
		goto refused;
	}
	if (!added && n == 0) {
		ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such meeting."));
		goto refused;
	}
	if (db_prepare(db, added ? "INSERT INTO ipim_meeting (held_on, title, place, minutes, "
				   "updated_on) VALUES (?2, ?3, ?4, ?5, ?6) RETURNING id"
				 : "UPDATE ipim_meeting SET held_on = ?2, title = ?3, place = ?4, "
				   "minutes = ?5, updated_on = ?6 WHERE id = ?1 RETURNING id", &st) != 0 ||
	    (!added && db_bind_i64(st, 1, m->id) != 0) ||
	    db_bind_text(st, 2, m->held_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, m->title, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, m->place, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, m->minutes, (size_t)-1) != 0 ||
	    db_bind_text(st, 6, today, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	m->id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (ipim_audit(db, s, actor_id, added ? "ipim.meeting.add" : "ipim.meeting.update",
		       "ipim_meeting", m->id) != 0 || db_commit(db) != 0)
		goto dbfail;
	ipim_copy(m->updated_on, sizeof m->updated_on, today);
	return 0;
dbfail:
	ipim_fail_db(db, e);
refused:
	db_finalize(st);
	return ipim_rollback(db, e);
}

int ipim_meeting_get(db_t *db, int64_t id, struct ipim_meeting *out, struct ipim_error *e)
{
	char sql[160];
	db_stmt_t *st = NULL;
	ipim_error_clear(e);
	snprintf(sql, sizeof sql, "SELECT %s FROM ipim_meeting WHERE id = ?", MEETING_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0) {
		db_finalize(st);
		return ipim_fail_db(db, e);
	}
	int s = db_step(st);
	if (s == DB_ROW)
		meeting_row(st, out);
	db_finalize(st);
	if (s == DB_ROW)
		return 0;
	if (s == DB_DONE)
		return ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such meeting."));
	return ipim_fail_db(db, e);
}

int ipim_meeting_list(db_t *db, struct arena *a, struct ipim_meeting **out, size_t *n,
		      struct ipim_error *e)
{
	char sql[200];
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0, cap;
	int64_t count;
	ipim_error_clear(e);
	*n = 0;
	/* the list page shows no minutes, but one struct holds them: allocate
	 * for the rows there are, not for the limit */
	if (db_query_i64_2(db, "SELECT count(*) FROM ipim_meeting", 0, 0, &count) != 0)
		return ipim_fail_db(db, e);
	cap = count > IPIM_MEETINGS_MAX ? IPIM_MEETINGS_MAX : (size_t)count;
	*out = arena_alloc(a, (cap ? cap : 1) * sizeof **out);
	snprintf(sql, sizeof sql, "SELECT %s FROM ipim_meeting ORDER BY held_on DESC, id DESC",
		 MEETING_COLS);
	if (db_prepare(db, sql, &st) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < cap)
			meeting_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return ipim_fail_db(db, e);
}

/* ---- agenda items ---- */

/* Replaces the links of item_id by it's; each must name an existing row:
 * 0, 1 refused (e filled), -1 db error. Inside the caller's transaction. */
static int links_put(db_t *db, const struct ipim_item *it, struct ipim_error *e)
{
	static const struct {
		const char *exists, *del, *ins, *msgid;
	} kinds[2] = {
		{"SELECT count(*) FROM recommendation WHERE id = ?1",
		 "DELETE FROM ipim_item_rec WHERE item_id = ?1",
		 "INSERT INTO ipim_item_rec (item_id, rec_id) VALUES (?1, ?2)",
		 N_("There is no such recommendation: choose from the list.")},
		{"SELECT count(*) FROM policy_item WHERE id = ?1",
		 "DELETE FROM ipim_item_policy WHERE item_id = ?1",
		 "INSERT INTO ipim_item_policy (item_id, policy_id) VALUES (?1, ?2)",
		 N_("There is no such policy item: choose from the list.")},
	};
	for (int k = 0; k < 2; k++) {
		const struct ipim_ref *r = k ? it->policies : it->recs;
		size_t n = k ? it->npolicies : it->nrecs;
		int64_t got;
		if (db_query_i64_2(db, kinds[k].del, it->id, 0, &got) != 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			if (db_query_i64_2(db, kinds[k].exists, r[i].id, 0, &got) != 0)
				return -1;
			if (!got) {
				ipim_fail(e, IPIM_EINVALID, kinds[k].msgid);
				return 1;
			}
			if (db_query_i64_2(db, kinds[k].ins, it->id, r[i].id, &got) != 0)
				return -1;
		}
	}
	return 0;
}

int ipim_item_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		   struct ipim_item *it, struct ipim_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t n;
	int added = it->id == 0;
	ipim_error_clear(e);
	if ((why = ipim_item_check(it)) != NULL)
		return ipim_fail(e, IPIM_EINVALID, why);
	if (db_begin(db) != 0)
		return ipim_fail_db(db, e);
	if (added) {
		if (db_query_i64_2(db, "SELECT count(*) FROM ipim_meeting WHERE id = ?1", it->meeting_id,
				   0, &n) != 0)
			goto dbfail;
		if (!n) {
			ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such meeting."));
			goto refused;
		}
		if (db_query_i64_2(db, "SELECT count(*) FROM ipim_item WHERE meeting_id = ?1",
				   it->meeting_id, 0, &n) != 0)
			goto dbfail;
		if (n >= IPIM_ITEMS_MAX) {
			ipim_fail(e, IPIM_EFULL, N_("A meeting has at most 50 agenda items."));
			goto refused;
		}
	} else {
		if (db_query_i64_2(db, "SELECT meeting_id FROM ipim_item WHERE id = ?1", it->id, 0, &n) != 0)
			goto dbfail;
		if (!n) {
			ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such agenda item."));
			goto refused;
		}
		it->meeting_id = n;
	}
	if (db_prepare(db, added ? "INSERT INTO ipim_item (meeting_id, pos, title, note) VALUES "
				   "(?1, (SELECT coalesce(max(pos), 0) + 1 FROM ipim_item WHERE "
				   "meeting_id = ?1), ?3, ?4) RETURNING id, pos"
				 : "UPDATE ipim_item SET title = ?3, note = ?4 WHERE id = ?2 "
				   "RETURNING id, pos", &st) != 0 ||
	    (added ? db_bind_i64(st, 1, it->meeting_id) : db_bind_i64(st, 2, it->id)) != 0 ||
	    db_bind_text(st, 3, it->title, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, it->note, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	int64_t id = db_col_i64(st, 0);
	int pos = (int)db_col_i64(st, 1);
	db_finalize(st);
	st = NULL;
	struct ipim_item keep = *it;
	keep.id = id;
	int rc = links_put(db, &keep, e);
	if (rc < 0)
		goto dbfail;
	if (rc > 0)
		goto refused;
	if (ipim_audit(db, s, actor_id, added ? "ipim.item.add" : "ipim.item.update", "ipim_item",
		       id) != 0 || db_commit(db) != 0)
		goto dbfail;
	it->id = id;
	it->pos = pos;
	return 0;
dbfail:
	ipim_fail_db(db, e);
refused:
	db_finalize(st);
	return ipim_rollback(db, e);
}

/* Fills it's links with their labels ("FIN 2024 · 3: text…" shortened). */
static int links_get(db_t *db, struct ipim_item *it)
{
	static const char *const sql[2] = {
		"SELECT r.id, s.title || ' \xc2\xb7 ' || r.number FROM ipim_item_rec l "
		"JOIN recommendation r ON r.id = l.rec_id JOIN rec_source s ON s.id = r.source_id "
		"WHERE l.item_id = ?1 ORDER BY s.issued_on DESC, r.id",
		"SELECT p.id, p.title FROM ipim_item_policy l JOIN policy_item p ON p.id = "
		"l.policy_id WHERE l.item_id = ?1 ORDER BY p.title, p.id"};
	it->nrecs = it->npolicies = 0;
	for (int k = 0; k < 2; k++) {
		db_stmt_t *st = NULL;
		struct ipim_ref *r = k ? it->policies : it->recs;
		size_t *n = k ? &it->npolicies : &it->nrecs;
		int s;
		if (db_prepare(db, sql[k], &st) != 0 || db_bind_i64(st, 1, it->id) != 0) {
			db_finalize(st);
			return -1;
		}
		while ((s = db_step(st)) == DB_ROW)
			if (*n < IPIM_LINKS_MAX) {
				r[*n].id = db_col_i64(st, 0);
				ipim_copy(r[*n].label, sizeof r[*n].label, db_col_text(st, 1));
				(*n)++;
			}
		db_finalize(st);
		if (s != DB_DONE)
			return -1;
	}
	return 0;
}

static void item_row(db_stmt_t *st, struct ipim_item *it)
{
	memset(it, 0, sizeof *it);
	it->id = db_col_i64(st, 0);
	it->meeting_id = db_col_i64(st, 1);
	it->pos = (int)db_col_i64(st, 2);
	ipim_copy(it->title, sizeof it->title, db_col_text(st, 3));
	ipim_copy(it->note, sizeof it->note, db_col_text(st, 4));
}

int ipim_item_get(db_t *db, int64_t id, struct ipim_item *out, struct ipim_error *e)
{
	db_stmt_t *st = NULL;
	ipim_error_clear(e);
	if (db_prepare(db, "SELECT id, meeting_id, pos, title, note FROM ipim_item WHERE id = ?1",
		       &st) != 0 || db_bind_i64(st, 1, id) != 0) {
		db_finalize(st);
		return ipim_fail_db(db, e);
	}
	int s = db_step(st);
	if (s == DB_ROW)
		item_row(st, out);
	db_finalize(st);
	if (s == DB_DONE)
		return ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such agenda item."));
	if (s != DB_ROW || links_get(db, out) != 0)
		return ipim_fail_db(db, e);
	return 0;
}

int ipim_item_list(db_t *db, struct arena *a, int64_t meeting_id, struct ipim_item **out,
		   size_t *n, struct ipim_error *e)
{
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0;
	ipim_error_clear(e);
	*n = 0;
	*out = arena_alloc(a, IPIM_ITEMS_MAX * sizeof **out);
	if (db_prepare(db, "SELECT id, meeting_id, pos, title, note FROM ipim_item WHERE "
			   "meeting_id = ?1 ORDER BY pos, id", &st) != 0 ||
	    db_bind_i64(st, 1, meeting_id) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < IPIM_ITEMS_MAX)
			item_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	for (size_t i = 0; i < k; i++)
		if (links_get(db, &(*out)[i]) != 0)
			goto dbfail;
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return ipim_fail_db(db, e);
}

/* ---- decisions ---- */

static void decision_row(db_stmt_t *st, struct ipim_decision *d)
{
	memset(d, 0, sizeof *d);
	d->id = db_col_i64(st, 0);
	d->item_id = db_col_i64(st, 1);
	ipim_copy(d->text, sizeof d->text, db_col_text(st, 2));
	ipim_copy(d->owner, sizeof d->owner, db_col_text(st, 3));
	ipim_copy(d->due_on, sizeof d->due_on, db_col_text(st, 4));
	if (ipim_status_parse(db_col_text(st, 5), &d->status) != 0)
		d->status = IPIM_OPEN;
}

int ipim_decision_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       struct ipim_decision *d, struct ipim_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t n;
	int added = d->id == 0;
	ipim_error_clear(e);
	if ((why = ipim_decision_check(d)) != NULL)
		return ipim_fail(e, IPIM_EINVALID, why);
	if (db_begin(db) != 0)
		return ipim_fail_db(db, e);
	if (added) {
		if (db_query_i64_2(db, "SELECT count(*) FROM ipim_item WHERE id = ?1", d->item_id, 0, &n) != 0)
			goto dbfail;
		if (!n) {
			ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such agenda item."));
			goto refused;
		}
		if (db_query_i64_2(db, "SELECT count(*) FROM ipim_decision WHERE item_id = ?1", d->item_id,
				   0, &n) != 0)
			goto dbfail;
		if (n >= IPIM_DECISIONS_MAX) {
			ipim_fail(e, IPIM_EFULL, N_("An agenda item has at most 50 decisions."));
			goto refused;
		}
	} else {
		if (db_query_i64_2(db, "SELECT item_id FROM ipim_decision WHERE id = ?1", d->id, 0, &n) != 0)
			goto dbfail;
		if (!n) {
			ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such decision."));
			goto refused;
		}
		d->item_id = n;
	}
	if (db_prepare(db, added ? "INSERT INTO ipim_decision (item_id, text, owner, due_on, status) "
				   "VALUES (?1, ?3, ?4, ?5, ?6) RETURNING id"
				 : "UPDATE ipim_decision SET text = ?3, owner = ?4, due_on = ?5, "
				   "status = ?6 WHERE id = ?2 RETURNING id", &st) != 0 ||
	    (added ? db_bind_i64(st, 1, d->item_id) : db_bind_i64(st, 2, d->id)) != 0 ||
	    db_bind_text(st, 3, d->text, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, d->owner, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, d->due_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 6, ipim_status_id(d->status), (size_t)-1) != 0 ||
	    db_step(st) != DB_ROW)
		goto dbfail;
	d->id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (ipim_audit(db, s, actor_id, added ? "ipim.decision.add" : "ipim.decision.update",
		       "ipim_decision", d->id) != 0 || db_commit(db) != 0)
		goto dbfail;
	return 0;
dbfail:
	ipim_fail_db(db, e);
refused:
	db_finalize(st);
	return ipim_rollback(db, e);
}

static const char DECISION_SQL[] = "SELECT id, item_id, text, owner, due_on, status FROM "
				   "ipim_decision WHERE ";

int ipim_decision_get(db_t *db, int64_t id, struct ipim_decision *out, struct ipim_error *e)
{
	char sql[160];
	db_stmt_t *st = NULL;
	ipim_error_clear(e);
	snprintf(sql, sizeof sql, "%sid = ?1", DECISION_SQL);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0) {
		db_finalize(st);
		return ipim_fail_db(db, e);
	}
	int s = db_step(st);
	if (s == DB_ROW)
		decision_row(st, out);
	db_finalize(st);
	if (s == DB_ROW)
		return 0;
	if (s == DB_DONE)
		return ipim_fail(e, IPIM_ENOTFOUND, N_("There is no such decision."));
	return ipim_fail_db(db, e);
}

int ipim_decision_list(db_t *db, struct arena *a, int64_t item_id, struct ipim_decision **out,
		       size_t *n, struct ipim_error *e)
{
	char sql[160];
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0;
	ipim_error_clear(e);
	*n = 0;
	*out = arena_alloc(a, IPIM_DECISIONS_MAX * sizeof **out);
	snprintf(sql, sizeof sql, "%sitem_id = ?1 ORDER BY id", DECISION_SQL);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, item_id) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < IPIM_DECISIONS_MAX)
			decision_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return ipim_fail_db(db, e);
}
