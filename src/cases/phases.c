/* phases.c: moving a case through its protocol (migration 0008 case_file,
 * case_phase_log, case_check; cases.h). The pure phase machine (machine.h)
 * decides; this file reads what it needs (the case's phase, the ticked
 * checklist items of that phase, the record types the case holds, the
 * actor's role on the case, the approver's role where the case is) and
 * writes the move with its log row and audit entry in one transaction.
 *
 * A deviation's reason is under the summary key ("case-phase:<id>"): the
 * competent authority may move a case and approve deviations, and must be
 * able to read why the protocol was left; the team reads it through the
 * case key. The audit entry names the phases and the approver, never the
 * reason. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/internal.h"
#include "cases/machine.h"
#include "crypto/blob.h"
#include "crypto/vault.h"

#define fail cases_fail
#define fail_db cases_fail_db

/* Record types a case can hold: the protocol's and the two summary types. */
#define STATE_RECORDS (CASES_MAX_RECORD_TYPES + 2)

/* A case's state for the machine, with the strings it points at. */
struct state_buf {
	char done[CASES_MAX_CHECKLIST][CASES_ID_MAX + 1];
	const char *donep[CASES_MAX_CHECKLIST];
	char recs[STATE_RECORDS][CASES_ID_MAX + 1];
	const char *recp[STATE_RECORDS];
	struct cases_state s;
};

/* Reads into b the ticked items of the case's current phase and the record
 * types it holds. 0 or -1 (db error). */
static int load_state(db_t *db, const struct cases_row *row, struct state_buf *b)
{
	db_stmt_t *st = NULL;
	int step;
	memset(b, 0, sizeof *b);
	b->s.phase = row->phase;
	b->s.done = b->donep;
	b->s.records = b->recp;
	if (db_prepare(db, "SELECT item FROM case_check WHERE case_id = ? AND phase = ? "
			   "ORDER BY item", &st) != 0 ||
	    db_bind_i64(st, 1, row->id) != 0 || db_bind_text(st, 2, row->phase, (size_t)-1) != 0)
		goto fail;
	while ((step = db_step(st)) == DB_ROW && b->s.ndone < CASES_MAX_CHECKLIST) {
		cases_copy(b->done[b->s.ndone], CASES_ID_MAX + 1, db_col_text(st, 0));
		b->donep[b->s.ndone] = b->done[b->s.ndone];
		b->s.ndone++;
	}
	if (step != DB_DONE && step != DB_ROW)
		goto fail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "SELECT DISTINCT type FROM case_record WHERE case_id = ? ORDER BY type",
		       &st) != 0 ||
	    db_bind_i64(st, 1, row->id) != 0)
		goto fail;
	while ((step = db_step(st)) == DB_ROW && b->s.nrecords < STATE_RECORDS) {
		cases_copy(b->recs[b->s.nrecords], CASES_ID_MAX + 1, db_col_text(st, 0));
		b->recp[b->s.nrecords] = b->recs[b->s.nrecords];
		b->s.nrecords++;
	}
	if (step != DB_DONE && step != DB_ROW)
		goto fail;
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	return -1;
}

/* The role the approver holds for the machine: the deviation's approver role
 * when they hold it where the case is, else another case role they hold
 * there, else ROLE_REPORTER (a role that approves nothing), so that the
 * machine answers "approved by the wrong role". -1 on a db error. */
static int approver_role(db_t *db, const struct cases_row *row,
			 const struct cases_protocol *p, const char *target, int64_t approver_id,
			 enum role *out)
{
	static const enum role tries[] = {ROLE_INTEGRITY_COORDINATOR, ROLE_INVESTIGATOR,
					  ROLE_COMPETENT_AUTHORITY};
	int from = cases_protocol_phase(p, row->phase), to = cases_protocol_phase(p, target);
	const struct cases_deviation *d =
		from >= 0 && to >= 0 ? cases_protocol_deviation(p, (size_t)from, (size_t)to) : NULL;
	*out = ROLE_REPORTER;
	if (d) {
		int h = cases_holds_role(db, row->org_id, approver_id, role_name(d->approver));
		if (h < 0)
			return -1;
		if (h) {
			*out = d->approver;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		int h = cases_holds_role(db, row->org_id, approver_id, role_name(tries[i]));
		if (h < 0)
			return -1;
		if (h) {
			*out = tries[i];
			return 0;
		}
	}
	return 0;
}

/* e for a move the machine refused, listing what is open or missing. */
static int fail_move(const struct cases_move *mv, struct cases_error *e)
{
	char list[300];
	size_t k = 0;
	list[0] = '\0';
	for (size_t i = 0; i < mv->nopen && k < sizeof list; i++)
		k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "",
				      mv->open[i]->id);
	for (size_t i = 0; i < mv->nmissing && k < sizeof list; i++)
		k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "",
				      mv->missing[i]->id);
	fail(e, CASES_EPROTOCOL, "%s%s%s", mv->msgid ? mv->msgid : "the move is refused",
	     list[0] ? ": " : "", list);
	e->move_code = (int)mv->code;
	return -1;
}

static int check_target(const char *target, struct cases_error *e)
{
	if (!target || !*target || strlen(target) > CASES_ID_MAX)
		return fail(e, CASES_EINVALID, "no phase to move to");
	return 0;
}

/* Writes the move: the case's phase, the log row with the reason under the
 * summary key, the audit entry. 0 or -1 with e. */
static int write_move(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		      const struct cases_row *row, int64_t actor_id, const char *target,
		      const struct cases_move *mv, const struct cases_approval_in *approval,
		      const char *today, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	char at[TIMESTAMP_LEN + 1], purpose[CASES_PURPOSE_LEN], detail[160];
	int deviation = mv->kind == CASES_MOVE_DEVIATION;
	timestamp_now(at);
	if (db_prepare(db, "UPDATE case_file SET phase = ?, phase_started_on = ? WHERE id = ?",
		       &st) != 0 ||
	    db_bind_text(st, 1, target, (size_t)-1) != 0 ||
	    db_bind_text(st, 2, today, (size_t)-1) != 0 || db_bind_i64(st, 3, row->id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO case_phase_log (case_id, from_phase, to_phase, account_id, "
			   "on_date, at, deviation, approver_id, reason) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ?7 = 1 THEN X'' END) "
			   "RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, row->id) != 0 || db_bind_text(st, 2, row->phase, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, target, (size_t)-1) != 0 || db_bind_i64(st, 4, actor_id) != 0 ||
	    db_bind_text(st, 5, today, (size_t)-1) != 0 || db_bind_text(st, 6, at, (size_t)-1) != 0 ||
	    db_bind_i64(st, 7, deviation) != 0 ||
	    (deviation ? db_bind_i64(st, 8, approval->approver_id) : db_bind_null(st, 8)) != 0 ||
	    db_step(st) != DB_ROW)
		goto dbfail;
	int64_t id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (deviation) {
		snprintf(purpose, sizeof purpose, "case-phase:%" PRId64, id);
		if (cases_write_blob(db, "UPDATE case_phase_log SET reason = ? WHERE id = ?",
				     k->summary, row->id, purpose, id, approval->reason,
				     strlen(approval->reason), e) != 0)
			return -1;
		snprintf(detail, sizeof detail, "from %s to %s deviation approved by account %" PRId64,
			 row->phase, target, approval->approver_id);
	} else {
		snprintf(detail, sizeof detail, "from %s to %s", row->phase, target);
	}
	if (cases_audit(db, signer, actor_id, "case.move", row->id, detail) != 0)
		goto dbfail;
	return 0;
dbfail:
	db_finalize(st);
	return fail_db(db, e);
}

int cases_move(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
	       int64_t actor_id, const char *target, const struct cases_approval_in *approval,
	       const char *today, struct cases_move *decision, struct cases_error *e)
{
	struct cases_row row;
	struct state_buf *b = NULL;
	struct cases_move mv;
	struct cases_approval ap;
	int in_tx = 0, rc = -1, as;

	memset(&mv, 0, sizeof mv);
	if (decision)
		memset(decision, 0, sizeof *decision);
	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0 || check_target(target, e) != 0)
		return -1;
	if (approval && (approval->approver_id <= 0 || !approval->reason))
		return fail(e, CASES_EINVALID, "an approval names who approved and why");
	b = xmalloc(sizeof *b);
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_ANY, 0, &row, &as, e) != 0)
		goto out;
	if (strcmp(today, row.phase_started_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " entered its phase after %s", row.id, today);
		goto out;
	}
	const struct cases_protocol *p = cases_protocol_of(&row, e);
	if (!p)
		goto out;
	if (load_state(db, &row, b) != 0)
		goto dbfail;
	if (approval) {
		memset(&ap, 0, sizeof ap);
		ap.from = row.phase;
		ap.to = target;
		ap.reason = approval->reason;
		if (approver_role(db, &row, p, target, approval->approver_id, &ap.role) != 0)
			goto dbfail;
		b->s.approval = &ap;
	}
	int ok = cases_move_decide(p, &b->s, cases_as_roles(as), target, &mv);
	if (decision)
		*decision = mv;
	if (ok != 0) {
		fail_move(&mv, e);
		goto out;
	}
	/* an approval given with a normal move approves nothing: not recorded */
	if (write_move(db, signer, k, &row, actor_id, target, &mv, approval, today, e) != 0)
		goto out;
	if (db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	free(b);
	return rc;
}

/* 1 if item is on the checklist of phase index i of p. */
static int has_item(const struct cases_protocol *p, int i, const char *item)
{
	const struct cases_phase *ph = &p->phases[i];
	for (size_t j = 0; j < ph->nchecklist; j++)
		if (strcmp(ph->checklist[j].id, item) == 0)
			return 1;
	return 0;
}

int cases_check(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		int64_t actor_id, const char *item, int done, const char *today,
		struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	char detail[128];
	int in_tx = 0, rc = -1, as;

	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	if (!item || !*item || strlen(item) > CASES_ID_MAX)
		return fail(e, CASES_EINVALID, "no checklist item given");
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_ANY, 0, &row, &as, e) != 0)
		goto out;
	const struct cases_protocol *p = cases_protocol_of(&row, e);
	if (!p)
		goto out;
	int i = cases_protocol_phase(p, row.phase);
	if (i < 0) {
		fail(e, CASES_EDAMAGED, "case %" PRId64 " is in a phase its protocol lacks", row.id);
		goto out;
	}
	/* an authority ticks off only where it may move the case on */
	if (as == CASES_AS_AUTHORITY &&
	    !(p->phases[i].movers & role_mask(ROLE_COMPETENT_AUTHORITY))) {
		fail(e, CASES_EDENIED, "the competent authority does not work on this phase");
		goto out;
	}
	if (!has_item(p, i, item)) {
		fail(e, CASES_EINVALID, "phase %s has no checklist item %s", row.phase, item);
		goto out;
	}
	if (strcmp(today, row.phase_started_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " entered its phase after %s", row.id, today);
		goto out;
	}
	if (done ? db_prepare(db, "INSERT INTO case_check (case_id, phase, item, done_on, "
				  "account_id) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
			      &st)
		 : db_prepare(db, "DELETE FROM case_check WHERE case_id = ?1 AND phase = ?2 "
				  "AND item = ?3", &st))
		goto dbfail;
	if (db_bind_i64(st, 1, row.id) != 0 || db_bind_text(st, 2, row.phase, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, item, (size_t)-1) != 0 ||
	    (done && (db_bind_text(st, 4, today, (size_t)-1) != 0 ||
		      db_bind_i64(st, 5, actor_id) != 0)) ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_changes(db) == 0) {
		fail(e, CASES_ECONFLICT, "item %s is %s", item,
		     done ? "already ticked off" : "not ticked off");
		goto out;
	}
	snprintf(detail, sizeof detail, "phase %s item %s %s", row.phase, item,
		 done ? "done" : "undone");
	if (cases_audit(db, signer, actor_id, "case.check", row.id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	return rc;
}

int cases_checked(db_t *db, const struct cases_key *k, char (*out)[CASES_ID_MAX + 1],
		  size_t cap, size_t *n, struct cases_error *e)
{
	struct cases_row row;
	struct state_buf *b = xmalloc(sizeof *b);
	int in_tx = 0, rc = -1;
	*n = 0;
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	int f = cases_load(db, k->case_id, &row);
	if (f < 0)
		goto dbfail;
	if (f > 0) {
		fail(e, CASES_ENOTFOUND, "no case %" PRId64, k->case_id);
		goto out;
	}
	if (load_state(db, &row, b) != 0)
		goto dbfail;
	for (size_t i = 0; i < b->s.ndone && i < cap; i++)
		cases_copy(out[(*n)++], CASES_ID_MAX + 1, b->done[i]);
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	free(b);
	return rc;
}

/* Loads the case of k with its state and what is open in its phase: 0
 * nothing open, 1 something, -1 with e. Inside the caller's transaction. */
static int open_items(db_t *db, const struct cases_key *k, struct cases_row *row,
		      struct state_buf *b, struct cases_move *out, struct cases_error *e)
{
	int f = cases_load(db, k->case_id, row);
	if (f < 0)
		return fail_db(db, e);
	if (f > 0)
		return fail(e, CASES_ENOTFOUND, "no case %" PRId64, k->case_id);
	const struct cases_protocol *p = cases_protocol_of(row, e);
	if (!p)
		return -1;
	if (load_state(db, row, b) != 0)
		return fail_db(db, e);
	int r = cases_phase_open(p, &b->s, out);
	if (r < 0)
		return fail(e, CASES_EDAMAGED, "case %" PRId64 " is in a phase its protocol lacks",
			    row->id);
	return r;
}

int cases_open_items(db_t *db, const struct cases_key *k, struct cases_move *out,
		     struct cases_error *e)
{
	struct cases_row row;
	struct state_buf *b = xmalloc(sizeof *b);
	int in_tx = 0, rc = -1;
	memset(out, 0, sizeof *out);
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		rc = fail_db(db, e);
	else
		rc = open_items(db, k, &row, b, out, e);
	cases_tx_end(db, NULL, in_tx);
	free(b);
	return rc;
}

int cases_close(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		int64_t actor_id, const char *today, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	struct cases_move mv;
	struct state_buf *b = NULL;
	char purge[DATE_LEN + 1], detail[64];
	int in_tx = 0, rc = -1, as, days;

	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	b = xmalloc(sizeof *b);
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_COORDINATOR, 0, &row, &as, e) != 0)
		goto out;
	const struct cases_protocol *p = cases_protocol_of(&row, e);
	if (!p)
		goto out;
	int i = cases_protocol_phase(p, row.phase);
	if (i < 0 || !cases_protocol_terminal(p, (size_t)i)) {
		fail(e, CASES_EPROTOCOL, "a case is closed in the protocol's last phase");
		e->move_code = CASES_MOVE_E_UNREACHABLE;
		goto out;
	}
	int open = open_items(db, k, &row, b, &mv, e);
	if (open < 0)
		goto out;
	if (open > 0) {
		mv.code = mv.nopen ? CASES_MOVE_E_CHECKLIST : CASES_MOVE_E_RECORDS;
		mv.msgid = cases_move_code_msgid(mv.code);
		fail_move(&mv, e);
		goto out;
	}
	if (strcmp(today, row.phase_started_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " entered its phase after %s", row.id, today);
		goto out;
	}
	if (cases_retention(db, row.org_id, &days) != 0)
		goto dbfail;
	if (date_add_days(today, days, purge) != 0) {
		fail(e, CASES_EINVALID, "%s plus the retention term is not a date", today);
		goto out;
	}
	if (db_prepare(db, "UPDATE case_file SET closed_on = ?, purge_after = ? WHERE id = ?",
		       &st) != 0 ||
	    db_bind_text(st, 1, today, (size_t)-1) != 0 ||
	    db_bind_text(st, 2, purge, (size_t)-1) != 0 || db_bind_i64(st, 3, row.id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	snprintf(detail, sizeof detail, "purge after %s", purge);
	if (cases_audit(db, signer, actor_id, "case.close", row.id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	free(b);
	return rc;
}

void cases_moves_free(struct cases_move_entry *m, size_t n)
{
	if (!m)
		return;
	for (size_t i = 0; i < n; i++)
		if (m[i].reason)
			vault_secure_free(m[i].reason);
	free(m);
}

int cases_moves(db_t *db, const struct cases_key *k, struct cases_move_entry **out, size_t *n,
		struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_move_entry *m = NULL;
	size_t cnt = 0, room = 0;
	int in_tx = 0, rc = -1;
	*out = NULL;
	*n = 0;
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT id, from_phase, to_phase, account_id, on_date, deviation, "
			   "coalesce(approver_id, 0), reason FROM case_phase_log WHERE case_id = ? "
			   "ORDER BY id", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0)
		goto dbfail;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (cnt == room) {
			room = room ? room * 2 : 8;
			m = xrealloc(m, room * sizeof *m);
		}
		struct cases_move_entry *x = &m[cnt];
		memset(x, 0, sizeof *x);
		x->id = db_col_i64(st, 0);
		cases_copy(x->from, sizeof x->from, db_col_text(st, 1));
		cases_copy(x->to, sizeof x->to, db_col_text(st, 2));
		x->account_id = db_col_i64(st, 3);
		cases_copy(x->on, sizeof x->on, db_col_text(st, 4));
		x->deviation = db_col_i64(st, 5) != 0;
		x->approver_id = db_col_i64(st, 6);
		if (x->deviation) {
			char purpose[CASES_PURPOSE_LEN];
			snprintf(purpose, sizeof purpose, "case-phase:%" PRId64, x->id);
			x->reason = (char *)blob_open(k->summary, k->case_id, purpose,
						      db_col_blob(st, 7), db_col_bytes(st, 7),
						      &x->reason_len);
			if (!x->reason) {
				fail(e, CASES_EDAMAGED, "the reason of move %" PRId64 " of case %"
				     PRId64 " does not open", x->id, k->case_id);
				goto out;
			}
		}
		cnt++;
	}
	if (step != DB_DONE)
		goto dbfail;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	if (rc != 0) {
		cases_moves_free(m, cnt);
		return -1;
	}
	if (cnt == 0) {
		free(m);
		m = NULL;
	}
	*out = m;
	*n = cnt;
	return 0;
}
