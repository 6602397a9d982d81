/* purge.c: the retention purge (issue 5 item 7; cases.h): a closed case
 * whose retention term has run out loses its content and keys, and so do the
 * reports joined to it; the anonymous statistical record and the audit
 * trail stay.
 *
 * Nothing is decrypted: the purge deletes rows and empties blobs, so it runs
 * without anyone's key, from `probity purge` or the daily run in `serve`.
 * Each case is one transaction, so a failure leaves that case whole and
 * those before it purged. The steps are one table (steps[]) that both the
 * purge and the dry run (cases_purge_due) walk, so that what a dry run
 * counts is what a purge removes.
 *
 * Why deleted content does not linger: the database runs with secure_delete
 * (src/store/sqlite.c), which overwrites deleted cells and freed pages with
 * zeros, and after the purge the write-ahead log, which still holds the old
 * pages of earlier transactions, is checkpointed into the file and truncated
 * (db_checkpoint). Backups made before the purge are outside our reach
 * (docs/security.md). */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/internal.h"
#include "crypto/audit.h"

#define fail cases_fail
#define fail_db cases_fail_db

/* The reports joined to case ?1; read before case_report_key goes. */
#define JOINED "(SELECT report_id FROM case_report_key WHERE case_id = ?1)"

/* One kind of content: how many rows of case ?1 hold it (count), and the
 * statement that removes it (purge), whose db_changes is that count. field
 * is the counter of struct cases_purge_item it adds to. In order: a row goes
 * before the rows it references. */
struct step {
	const char *count;
	const char *purge;
	size_t field;
};

#define FIELD(f) offsetof(struct cases_purge_item, f)

static const struct step steps[] = {
	/* the case's own content */
	{"SELECT count(*) FROM case_attachment WHERE case_id = ?1",
	 "DELETE FROM case_attachment WHERE case_id = ?1", FIELD(files)},
	{"SELECT count(*) FROM case_record WHERE case_id = ?1",
	 "DELETE FROM case_record WHERE case_id = ?1", FIELD(records)},
	{"SELECT count(*) FROM case_note WHERE case_id = ?1",
	 "DELETE FROM case_note WHERE case_id = ?1", FIELD(notes)},
	{"SELECT count(*) FROM case_person WHERE case_id = ?1",
	 "DELETE FROM case_person WHERE case_id = ?1", FIELD(people)},
	/* a deviation's row stays (from, to, when, who approved: the audit
	 * trail says as much); its reason is emptied, not NULL, because the
	 * table wants a reason on every deviation */
	{"SELECT count(*) FROM case_phase_log WHERE case_id = ?1 AND length(reason) > 0",
	 "UPDATE case_phase_log SET reason = X'' WHERE case_id = ?1 AND length(reason) > 0",
	 FIELD(reasons)},
	{"SELECT count(*) FROM case_key WHERE case_id = ?1",
	 "DELETE FROM case_key WHERE case_id = ?1", FIELD(keys)},
	{"SELECT count(*) FROM case_summary_key WHERE case_id = ?1",
	 "DELETE FROM case_summary_key WHERE case_id = ?1", FIELD(keys)},
	{"SELECT count(*) FROM case_file WHERE id = ?1 AND length(summary_key) > 0",
	 "UPDATE case_file SET summary_key = X'' WHERE id = ?1 AND length(summary_key) > 0",
	 FIELD(keys)},
	/* the joined reports' content: attachments before the messages they
	 * may belong to */
	{"SELECT count(*) FROM report_attachment WHERE report_id IN " JOINED,
	 "DELETE FROM report_attachment WHERE report_id IN " JOINED, FIELD(report_items)},
	{"SELECT count(*) FROM report_message WHERE report_id IN " JOINED,
	 "DELETE FROM report_message WHERE report_id IN " JOINED, FIELD(report_items)},
	{"SELECT count(*) FROM report_note WHERE report_id IN " JOINED,
	 "DELETE FROM report_note WHERE report_id IN " JOINED, FIELD(report_items)},
	{"SELECT count(*) FROM receipt_session WHERE report_id IN " JOINED,
	 "DELETE FROM receipt_session WHERE report_id IN " JOINED, FIELD(report_items)},
	{"SELECT count(*) FROM report_key WHERE report_id IN " JOINED,
	 "DELETE FROM report_key WHERE report_id IN " JOINED, FIELD(keys)},
	/* the report row stays for the figures (organisation, kind, mode,
	 * dates); its body is emptied and its receipt lookup replaced by
	 * random bytes, so that the receipt no longer finds it (both columns
	 * are NOT NULL, the lookup UNIQUE) */
	{"SELECT count(*) FROM report WHERE id IN " JOINED,
	 "UPDATE report SET body = X'', receipt_lookup = randomblob(32), "
	 "receipt_salt = randomblob(16) WHERE id IN " JOINED, FIELD(reports)},
	{"SELECT count(*) FROM case_report_key WHERE case_id = ?1",
	 "DELETE FROM case_report_key WHERE case_id = ?1", FIELD(keys)},
};

#define NSTEPS (sizeof steps / sizeof steps[0])

static void add_to(struct cases_purge_item *it, size_t field, int64_t n)
{
	*(size_t *)((char *)it + field) += (size_t)n;
}

/* Runs sql (a count or a purge) for case_id; *n gets the count (the first
 * column, or the rows changed). 0 or -1 (db error). */
static int run_step(db_t *db, const char *sql, int64_t case_id, int count, int64_t *n)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, case_id) != 0)
		goto out;
	int step = db_step(st);
	if (count && step == DB_ROW)
		*n = db_col_i64(st, 0);
	else if (!count && step == DB_DONE)
		*n = db_changes(db);
	else
		goto out;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

/* The due cases' rows: ?1 today. */
#define DUE_SQL                                                                            \
	"SELECT id, closed_on, purge_after FROM case_file WHERE purged_on IS NULL "         \
	"AND closed_on IS NOT NULL AND purge_after IS NOT NULL AND purge_after <= ?1 "      \
	"ORDER BY purge_after, id"

/* Reads the due cases into a fresh array (*out NULL when none). Inside the
 * caller's transaction. 0 or -1 (db error). */
static int due_cases(db_t *db, const char *today, struct cases_purge_item **out, size_t *n)
{
	db_stmt_t *st = NULL;
	struct cases_purge_item *v = NULL;
	size_t cnt = 0, room = 0;
	int step;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, DUE_SQL, &st) != 0 || db_bind_text(st, 1, today, (size_t)-1) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW) {
		if (cnt == room) {
			room = room ? room * 2 : 16;
			v = xrealloc(v, room * sizeof *v);
		}
		struct cases_purge_item *it = &v[cnt++];
		memset(it, 0, sizeof *it);
		it->case_id = db_col_i64(st, 0);
		cases_copy(it->closed_on, sizeof it->closed_on, db_col_text(st, 1));
		cases_copy(it->purge_after, sizeof it->purge_after, db_col_text(st, 2));
	}
	db_finalize(st);
	if (step != DB_DONE) {
		free(v);
		return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int cases_purge_due(db_t *db, const char *today, struct cases_purge_item *out, size_t cap,
		    size_t *n, size_t *total, struct cases_error *e)
{
	struct cases_purge_item *due = NULL;
	size_t ndue = 0;
	int in_tx = 0, rc = -1;
	*n = 0;
	if (total)
		*total = 0;
	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	if (cases_tx_begin(db, 1, &in_tx) != 0 || due_cases(db, today, &due, &ndue) != 0)
		goto dbfail;
	size_t k = ndue < cap ? ndue : cap;
	for (size_t i = 0; i < k; i++) {
		out[i] = due[i];
		for (size_t s = 0; s < NSTEPS; s++) {
			int64_t c = 0;
			if (run_step(db, steps[s].count, out[i].case_id, 1, &c) != 0)
				goto dbfail;
			add_to(&out[i], steps[s].field, c);
		}
	}
	*n = k;
	if (total)
		*total = ndue;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	free(due);
	return rc;
}

/* The joined reports' ids, by commas, into out (for the audit detail). */
static int joined_ids(db_t *db, int64_t case_id, char *out, size_t cap)
{
	db_stmt_t *st = NULL;
	size_t len = 0;
	int step;
	out[0] = '\0';
	if (db_prepare(db, "SELECT report_id FROM case_report_key WHERE case_id = ? "
			   "ORDER BY report_id", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW)
		if (len < cap)
			len += (size_t)snprintf(out + len, cap - len, "%s%" PRId64, len ? "," : "",
						db_col_i64(st, 0));
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

/* Purges one case in its own transaction, if it is still due on today
 * (another run may have purged it since it was listed). *done is 1 when it
 * was purged. 0, or -1 with e. */
static int purge_one(db_t *db, const struct audit_signer *signer, int64_t case_id,
		     const char *today, int *done, struct cases_error *e)
{
	struct cases_purge_item it = {.case_id = case_id};
	db_stmt_t *st = NULL;
	/* the reports' ids: CASES_REPORTS_MAX of up to 13 digits fit, and the
	 * detail stays within the audit trail's field limit */
	char ids[CASES_REPORTS_MAX * 14], detail[AUDIT_MAX_FIELD];
	int in_tx = 0, rc = -1;
	*done = 0;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT 1 FROM case_file WHERE id = ?1 AND purged_on IS NULL AND "
			   "closed_on IS NOT NULL AND purge_after <= ?2", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0 || db_bind_text(st, 2, today, (size_t)-1) != 0)
		goto dbfail;
	int step = db_step(st);
	db_finalize(st);
	st = NULL;
	if (step == DB_DONE) {
		rc = 0;
		goto out;
	}
	if (step != DB_ROW || joined_ids(db, case_id, ids, sizeof ids) != 0)
		goto dbfail;
	for (size_t s = 0; s < NSTEPS; s++) {
		int64_t c = 0;
		if (run_step(db, steps[s].purge, case_id, 0, &c) != 0)
			goto dbfail;
		add_to(&it, steps[s].field, c);
	}
	if (db_prepare(db, "UPDATE case_file SET purged_on = ?2 WHERE id = ?1 AND purged_on IS NULL",
		       &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0 || db_bind_text(st, 2, today, (size_t)-1) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	/* ids and counts only: what was there is gone, and says nothing here */
	snprintf(detail, sizeof detail, "reports %s records %zu notes %zu people %zu files %zu "
		 "reasons %zu keys %zu report-items %zu", ids[0] ? ids : "none", it.records,
		 it.notes, it.people, it.files, it.reasons, it.keys, it.report_items);
	struct audit_entry ae = {.actor = "system", .action = "case.purge", .object_type = "case",
				 .object_id = NULL, .detail = detail};
	char oid[24];
	snprintf(oid, sizeof oid, "%" PRId64, case_id);
	ae.object_id = oid;
	if (audit_append(db, signer, &ae) != 0 || db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	*done = 1;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	return rc;
}

int cases_purge(db_t *db, const struct audit_signer *signer, const char *today, size_t *n,
		struct cases_error *e)
{
	struct cases_purge_item *due = NULL;
	size_t ndue = 0;
	int in_tx = 0, rc = 0;
	*n = 0;
	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	if (cases_tx_begin(db, 1, &in_tx) != 0 || due_cases(db, today, &due, &ndue) != 0) {
		fail_db(db, e);
		cases_tx_end(db, NULL, in_tx);
		return -1;
	}
	cases_tx_end(db, NULL, in_tx);
	for (size_t i = 0; i < ndue; i++) {
		int done;
		if (purge_one(db, signer, due[i].case_id, today, &done, e) != 0) {
			rc = -1;
			break;
		}
		*n += (size_t)done;
	}
	free(due);
	/* also after a failure, for the cases purged before it; and when none
	 * was due, so that a run after a busy checkpoint finishes the job */
	int ck = db_checkpoint(db);
	if (rc == 0 && ck != 0) {
		if (ck > 0)
			fail(e, CASES_EDB, "%zu case(s) purged, but %s", *n, db_error(db)->msg);
		else
			fail_db(db, e);
		rc = -1;
	}
	return rc;
}
