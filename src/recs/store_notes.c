/* store_notes.c: progress notes on recommendations with their evidence
 * links (recs.h, migration 0016). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "recs/internal.h"
#include "recs/recs.h"
#include "web/i18n.h"

int recs_note_add(db_t *db, const struct audit_signer *s, int64_t actor_id, struct recs_note *n,
		  const char *today, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t count;
	char detail[48];
	recs_error_clear(e);
	if ((why = recs_note_check(n, today)) != NULL)
		return recs_fail(e, RECS_EINVALID, why);
	if (db_begin(db) != 0)
		return recs_fail_db(db, e);
	if (db_query_i64_2(db, "SELECT count(*) FROM recommendation WHERE id = ?1", n->rec_id, 0,
			   &count) != 0)
		goto dbfail;
	if (count == 0) {
		recs_fail(e, RECS_ENOTFOUND, N_("There is no such recommendation."));
		goto refused;
	}
	n->org_code[0] = 0;
	if (n->org_id) {
		int rc = recs_department_code(db, n->org_id, 0, n->org_code);
		if (rc < 0)
			goto dbfail;
		if (rc) {
			recs_fail(e, RECS_EINVALID, N_("A department chosen does not exist."));
			goto refused;
		}
	}
	if (db_query_i64_2(db, "SELECT count(*) FROM rec_note WHERE rec_id = ?1", n->rec_id, 0,
			   &count) != 0)
		goto dbfail;
	if (count >= RECS_NOTES_MAX) {
		recs_fail(e, RECS_EFULL, N_("This recommendation holds as many progress notes as it can (200)."));
		goto refused;
	}
	if (db_prepare(db, "INSERT INTO rec_note (rec_id, org_id, noted_on, text) VALUES "
			   "(?, ?, ?, ?) RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, n->rec_id) != 0 ||
	    (n->org_id ? db_bind_i64(st, 2, n->org_id) : db_bind_null(st, 2)) != 0 ||
	    db_bind_text(st, 3, n->noted_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, n->text, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	n->id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO rec_note_link (note_id, pos, url) VALUES (?, ?, ?)",
		       &st) != 0)
		goto dbfail;
	for (size_t i = 0; i < n->nlinks; i++)
		if (db_reset(st) != 0 || db_bind_i64(st, 1, n->id) != 0 ||
		    db_bind_i64(st, 2, (int64_t)i + 1) != 0 ||
		    db_bind_text(st, 3, n->links[i], (size_t)-1) != 0 || db_step(st) != DB_DONE)
			goto dbfail;
	db_finalize(st);
	st = NULL;
	snprintf(detail, sizeof detail, "rec=%" PRId64, n->rec_id);
	if (recs_audit(db, s, actor_id, "recs.note.add", "rec_note", n->id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	return 0;
dbfail:
	recs_fail_db(db, e);
refused:
	db_finalize(st);
	return recs_rollback(db, e);
}

static const char NOTE_COLS[] = "n.id, n.rec_id, coalesce(n.org_id, 0), coalesce(o.code, ''), "
				"n.noted_on, n.text FROM rec_note n LEFT JOIN org o ON o.id = n.org_id";

static void note_row(db_stmt_t *st, struct recs_note *n)
{
	memset(n, 0, sizeof *n);
	n->id = db_col_i64(st, 0);
	n->rec_id = db_col_i64(st, 1);
	n->org_id = db_col_i64(st, 2);
	recs_copy(n->org_code, sizeof n->org_code, db_col_text(st, 3));
	recs_copy(n->noted_on, sizeof n->noted_on, db_col_text(st, 4));
	recs_copy(n->text, sizeof n->text, db_col_text(st, 5));
}

/* The links of notes[0..k), in order. 0 or -1. */
static int note_links(db_t *db, struct recs_note *notes, size_t k)
{
	db_stmt_t *st = NULL;
	int s;
	if (db_prepare(db, "SELECT url FROM rec_note_link WHERE note_id = ? ORDER BY pos", &st) != 0)
		return -1;
	for (size_t i = 0; i < k; i++) {
		if (db_reset(st) != 0 || db_bind_i64(st, 1, notes[i].id) != 0)
			goto fail;
		while ((s = db_step(st)) == DB_ROW)
			if (notes[i].nlinks < RECS_LINKS_MAX)
				recs_copy(notes[i].links[notes[i].nlinks++], RECS_URL_MAX + 1,
					  db_col_text(st, 0));
		if (s != DB_DONE)
			goto fail;
	}
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	return -1;
}

/* Reads the notes of sql (?1 bound to id) into at most cap rows. */
static int notes_read(db_t *db, struct arena *a, const char *sql, int64_t id, size_t cap,
		      struct recs_note **out, size_t *n, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0;
	int64_t count;
	recs_error_clear(e);
	*n = 0;
	/* room for what is there now, at most cap: no arena of the largest size
	 * for a recommendation with two notes */
	if (id ? db_query_i64_2(db, "SELECT count(*) FROM rec_note WHERE rec_id = ?1", id, 0, &count)
	       : db_query_i64_2(db, "SELECT count(DISTINCT rec_id) FROM rec_note", 0, 0, &count))
		return recs_fail_db(db, e);
	if ((size_t)count < cap)
		cap = (size_t)count;
	*out = arena_alloc(a, (cap ? cap : 1) * sizeof **out);
	if (db_prepare(db, sql, &st) != 0 || (id && db_bind_i64(st, 1, id) != 0))
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < cap)
			note_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	if (note_links(db, *out, k) != 0)
		return recs_fail_db(db, e);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return recs_fail_db(db, e);
}

int recs_note_list(db_t *db, struct arena *a, int64_t rec_id, struct recs_note **out, size_t *n,
		   struct recs_error *e)
{
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT %s WHERE n.rec_id = ?1 ORDER BY n.noted_on DESC, n.id DESC",
		 NOTE_COLS);
	return notes_read(db, a, sql, rec_id, RECS_NOTES_MAX, out, n, e);
}

int recs_note_latest(db_t *db, struct arena *a, struct recs_note **out, size_t *n,
		     struct recs_error *e)
{
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT %s WHERE n.id = (SELECT m.id FROM rec_note m WHERE "
		 "m.rec_id = n.rec_id ORDER BY m.noted_on DESC, m.id DESC LIMIT 1)", NOTE_COLS);
	return notes_read(db, a, sql, 0, RECS_MAX, out, n, e);
}
