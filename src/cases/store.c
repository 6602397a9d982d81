/* store.c: opening a case from reports and joining more (migration 0008,
 * cases.h), the case key as a member or an authority, reading a case,
 * someone's list of cases, and a joined report's key.
 *
 * Opening: the reports' keys are opened with the opener's secret key first,
 * each in its own read snapshot (intake_key_as_handler), which proves that
 * the opener holds them; then one write transaction creates the case, its
 * keys and the team, and wraps each report key under the case key. A report
 * that joined another case in between is caught by the UNIQUE report_id of
 * case_report_key, and the whole case is rolled back.
 *
 * The case key, the summary key and the reports' keys live in
 * vault_secure_alloc'd memory and are wiped on every path. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "cases/internal.h"
#include "crypto/vault.h"

#define fail cases_fail
#define fail_db cases_fail_db

void cases_key_wipe(struct cases_key *k)
{
	sodium_memzero(k, sizeof *k);
}

/* ---- the organisation of a case ---- */

/* The rows whose roles reach org_id (ORGS_REACH_CTE): the row itself and,
 * for a unit, its department. Returns how many (at most cap), or -1. */
static int reach_of(db_t *db, int64_t org_id, int64_t *out, int cap)
{
	db_stmt_t *st = NULL;
	int n = 0, step;
	if (db_prepare(db, ORGS_REACH_CTE "SELECT id FROM reach ORDER BY id", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW)
		if (n < cap)
			out[n++] = db_col_i64(st, 0);
	db_finalize(st);
	return step == DB_DONE ? n : -1;
}

#define REACH_MAX 8

/* The organisation of a case from its reports' organisations orgs[0..n):
 * that organisation when they are all one, else the one row that reaches
 * every one of them (their department). 0 with *out, 1 when there is none,
 * -1 on a db error. */
static int case_org(db_t *db, const int64_t *orgs, size_t n, int64_t *out)
{
	int64_t common[REACH_MAX], r[REACH_MAX];
	int nc = 0, same = 1;
	for (size_t i = 1; i < n; i++)
		if (orgs[i] != orgs[0])
			same = 0;
	if (same) {
		*out = orgs[0];
		return 0;
	}
	if ((nc = reach_of(db, orgs[0], common, REACH_MAX)) < 0)
		return -1;
	for (size_t i = 1; i < n && nc > 0; i++) {
		int nr = reach_of(db, orgs[i], r, REACH_MAX), k = 0;
		if (nr < 0)
			return -1;
		for (int a = 0; a < nc; a++)
			for (int b = 0; b < nr; b++)
				if (common[a] == r[b])
					common[k++] = common[a];
		nc = k;
	}
	if (nc == 0)
		return 1;
	/* at most one department reaches a unit; several rows can only be
	 * common when every report is of one organisation, handled above */
	*out = common[0];
	return 0;
}

/* The organisation and date of receipt of report id: 0, 1 none, -1 db. */
static int report_meta(db_t *db, int64_t id, int64_t *org, char received[DATE_LEN + 1])
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "SELECT org_id, received_on FROM report WHERE id = ?", &st) == 0 &&
	    db_bind_i64(st, 1, id) == 0) {
		int step = db_step(st);
		if (step == DB_DONE)
			rc = 1;
		else if (step == DB_ROW) {
			*org = db_col_i64(st, 0);
			cases_copy(received, DATE_LEN + 1, db_col_text(st, 1));
			rc = 0;
		}
	}
	db_finalize(st);
	return rc;
}

/* The case report id is in, 0 for none, -1 on a db error. */
static int64_t case_of_report(db_t *db, int64_t report_id)
{
	db_stmt_t *st = NULL;
	int64_t c = -1;
	if (db_prepare(db, "SELECT case_id FROM case_report_key WHERE report_id = ?", &st) == 0 &&
	    db_bind_i64(st, 1, report_id) == 0) {
		int step = db_step(st);
		c = step == DB_ROW ? db_col_i64(st, 0) : step == DB_DONE ? 0 : -1;
	}
	db_finalize(st);
	return c;
}

/* Checks a report that is to join a case: it exists, is in no case, was
 * received on or before today. Fills *org. 0 or -1 with e. */
static int check_report(db_t *db, int64_t id, const char *today, int64_t *org,
			struct cases_error *e)
{
	char received[DATE_LEN + 1];
	int f = report_meta(db, id, org, received);
	if (f < 0)
		return fail_db(db, e);
	if (f > 0)
		return fail(e, CASES_ENOTFOUND, "no report %" PRId64 " for this account", id);
	int64_t in = case_of_report(db, id);
	if (in < 0)
		return fail_db(db, e);
	if (in > 0)
		return fail(e, CASES_ECONFLICT, "report %" PRId64 " is already in case %" PRId64, id,
			    in);
	if (strcmp(today, received) < 0)
		return fail(e, CASES_EINVALID, "report %" PRId64 " was received after %s", id,
			    today);
	return 0;
}

/* ---- opening ---- */

/* The secrets of a new case, in one secure allocation. */
struct open_secrets {
	struct cases_key k;
	unsigned char wrapped[CASES_WRAPPED_BYTES];
};

static int check_open_args(const int64_t *ids, size_t n, const char *today,
			   struct cases_error *e)
{
	if (n == 0 || !ids)
		return fail(e, CASES_EINVALID, "a case is opened from at least one report");
	if (n > CASES_REPORTS_MAX)
		return fail(e, CASES_EINVALID, "a case joins at most %d reports", CASES_REPORTS_MAX);
	for (size_t i = 0; i < n; i++) {
		if (ids[i] <= 0)
			return fail(e, CASES_EINVALID, "not a report id: %" PRId64, ids[i]);
		for (size_t j = 0; j < i; j++)
			if (ids[i] == ids[j])
				return fail(e, CASES_EINVALID, "report %" PRId64 " is named twice",
					    ids[i]);
	}
	return cases_check_date(today, "the date", e);
}

/* Inserts the case row in the protocol's first phase; *id gets its id. */
static int insert_case(db_t *db, int64_t org_id, const struct cases_protocol *p,
		       const char *today, int64_t *id, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	char at[TIMESTAMP_LEN + 1];
	timestamp_now(at);
	if (db_prepare(db, "INSERT INTO case_file (org_id, protocol, protocol_revision, phase, "
			   "phase_started_on, opened_on, opened_at, summary_key) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, X'') RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0 || db_bind_text(st, 2, p->id, (size_t)-1) != 0 ||
	    db_bind_i64(st, 3, p->revision) != 0 ||
	    db_bind_text(st, 4, p->phases[0].id, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, today, (size_t)-1) != 0 || db_bind_text(st, 6, at, (size_t)-1) != 0 ||
	    db_step(st) != DB_ROW) {
		db_finalize(st);
		return fail_db(db, e);
	}
	*id = db_col_i64(st, 0);
	db_finalize(st);
	return 0;
}

/* Wraps the summary key under the case key into the case row. */
static int store_summary_key(db_t *db, struct open_secrets *sec, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	if (vault_wrap(sec->k.key, CASES_WRAP_SUMMARY, sec->k.case_id, sec->k.summary,
		       ENVELOPE_KEY_BYTES, sec->wrapped) != 0)
		return fail(e, CASES_EDB, "could not wrap the summary key");
	int rc = 0;
	if (db_prepare(db, "UPDATE case_file SET summary_key = ? WHERE id = ?", &st) != 0 ||
	    db_bind_blob(st, 1, sec->wrapped, sizeof sec->wrapped) != 0 ||
	    db_bind_i64(st, 2, sec->k.case_id) != 0 || db_step(st) != DB_DONE)
		rc = fail_db(db, e);
	db_finalize(st);
	return rc;
}

static int insert_member(db_t *db, int64_t case_id, int64_t account_id, const char *role,
			 const char *today, int64_t added_by, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	int rc = 0;
	if (db_prepare(db, "INSERT INTO case_member (case_id, account_id, role_in_case, added_on, "
			   "added_by) VALUES (?, ?, ?, ?, ?)", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0 || db_bind_i64(st, 2, account_id) != 0 ||
	    db_bind_text(st, 3, role, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, today, (size_t)-1) != 0 ||
	    (added_by ? db_bind_i64(st, 5, added_by) : db_bind_null(st, 5)) != 0 ||
	    db_step(st) != DB_DONE)
		rc = fail_db(db, e);
	db_finalize(st);
	return rc;
}

/* The ids joined by commas into out (for an audit detail); cut with "..."
 * when they do not fit. */
static void id_list(const int64_t *ids, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + k, cap - k, "%s%" PRId64, i ? "," : "", ids[i]);
		if (w < 0 || (size_t)w >= cap - k) {
			snprintf(out + (cap > 4 ? cap - 4 : 0), 4, "...");
			return;
		}
		k += (size_t)w;
	}
}

int cases_open(db_t *db, const struct audit_signer *signer, int64_t opener_id,
	       const unsigned char opener_sk[32], const int64_t *report_ids, size_t nreports,
	       const struct cases_protocol *protocol, const char *today, int64_t *case_id,
	       struct cases_error *e)
{
	struct intake_key *rks = NULL;
	struct open_secrets *sec = NULL;
	int64_t *orgs = NULL;
	int in_tx = 0, rc = -1;
	size_t opened = 0;
	char detail[AUDIT_MAX_FIELD / 2], ids[AUDIT_MAX_FIELD / 2 - 64];

	if (case_id)
		*case_id = 0;
	cases_error_clear(e);
	if (check_open_args(report_ids, nreports, today, e) != 0 || cases_data_ready(e) != 0)
		return -1;
	if (!protocol)
		protocol = cases_data_protocol();
	else if (cases_data_protocol_find(protocol->id, protocol->revision) != protocol)
		return fail(e, CASES_EINVALID, "protocol %s revision %d is not one this build "
			    "carries", protocol->id, protocol->revision);
	if (!protocol || protocol->nphases == 0)
		return fail(e, CASES_EINVALID, "no protocol to open cases under");

	/* the opener must hold every report's key: opening it proves it */
	rks = vault_secure_alloc(nreports * sizeof *rks);
	for (; opened < nreports; opened++) {
		struct intake_error ie;
		if (intake_key_as_handler(db, report_ids[opened], opener_id, opener_sk,
					  &rks[opened], &ie) != 0) {
			cases_fail_intake(&ie, e);
			goto out;
		}
	}
	sec = vault_secure_alloc(sizeof *sec);
	orgs = xcalloc(nreports, sizeof *orgs);

	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	for (size_t i = 0; i < nreports; i++)
		if (check_report(db, report_ids[i], today, &orgs[i], e) != 0)
			goto out;
	int64_t org_id = 0;
	int f = case_org(db, orgs, nreports, &org_id);
	if (f < 0)
		goto dbfail;
	int ok = f == 0 ? cases_holds_role(db, org_id, opener_id, "integrity_coordinator") : 0;
	if (ok < 0)
		goto dbfail;
	if (f == 0 && !ok) {
		fail(e, CASES_EDENIED, "only an integrity coordinator of the reports' organisation "
		     "may open a case from them");
		goto out;
	}
	if (f > 0) {
		/* a coordinator of either organisation may still not merge them */
		fail(e, CASES_ECONFLICT, "these reports belong to different organisations: a case "
		     "joins reports of one organisation and its units");
		goto out;
	}
	unsigned char pk[32];
	int pf = cases_account_pk(db, opener_id, pk);
	if (pf == -1)
		goto dbfail;
	if (pf != 0) {
		fail(e, CASES_EDAMAGED, "account %" PRId64 " has no usable public key", opener_id);
		goto out;
	}

	if (insert_case(db, org_id, protocol, today, &sec->k.case_id, e) != 0)
		goto out;
	sec->k.full = 1;
	envelope_key_new(sec->k.key);
	envelope_key_new(sec->k.summary);
	if (store_summary_key(db, sec, e) != 0 ||
	    cases_store_member_key(db, sec->k.case_id, opener_id, pk, sec->k.key, e) != 0 ||
	    cases_store_recovery_key(db, sec->k.case_id, sec->k.key, e) != 0 ||
	    insert_member(db, sec->k.case_id, opener_id, "coordinator", today, 0, e) != 0)
		goto out;
	for (size_t i = 0; i < nreports; i++) {
		if (cases_store_report_key(db, &sec->k, opener_id, &rks[i], today, e) != 0)
			goto out;
		if (cases_hand_over(db, signer, opener_id, report_ids[i], sec->k.case_id, today) != 0)
			goto dbfail;
	}
	id_list(report_ids, nreports, ids, sizeof ids);
	snprintf(detail, sizeof detail, "reports %s protocol %s/%d org %" PRId64, ids,
		 protocol->id, protocol->revision, org_id);
	if (cases_audit(db, signer, opener_id, "case.open", sec->k.case_id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	if (case_id)
		*case_id = sec->k.case_id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	free(orgs);
	if (sec)
		vault_secure_free(sec);
	if (rks) {
		sodium_memzero(rks, nreports * sizeof *rks);
		vault_secure_free(rks);
	}
	return rc;
}

int cases_join_report(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		      int64_t account_id, const unsigned char account_sk[32], int64_t report_id,
		      const char *today, struct cases_error *e)
{
	struct intake_key *rk = NULL;
	struct intake_error ie;
	struct cases_row row;
	int in_tx = 0, rc = -1, as;
	int64_t org = 0;
	char detail[64];

	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	if (report_id <= 0)
		return fail(e, CASES_EINVALID, "not a report id: %" PRId64, report_id);
	rk = vault_secure_alloc(sizeof *rk);
	if (intake_key_as_handler(db, report_id, account_id, account_sk, rk, &ie) != 0) {
		cases_fail_intake(&ie, e);
		goto out;
	}
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, account_id, CASES_NEED_COORDINATOR, 0, &row, &as, e) != 0 ||
	    check_report(db, report_id, today, &org, e) != 0)
		goto out;
	if (strcmp(today, row.opened_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " was opened after %s", k->case_id, today);
		goto out;
	}
	/* the report's organisation must be the case's or one of its units */
	int64_t reach[REACH_MAX];
	int nr = reach_of(db, org, reach, REACH_MAX), inside = 0;
	if (nr < 0)
		goto dbfail;
	for (int i = 0; i < nr; i++)
		inside |= reach[i] == row.org_id;
	if (!inside) {
		fail(e, CASES_ECONFLICT, "report %" PRId64 " is not of the case's organisation or "
		     "one of its units", report_id);
		goto out;
	}
	if (cases_store_report_key(db, k, account_id, rk, today, e) != 0)
		goto out;
	if (cases_hand_over(db, signer, account_id, report_id, k->case_id, today) != 0)
		goto dbfail;
	snprintf(detail, sizeof detail, "report %" PRId64, report_id);
	if (cases_audit(db, signer, account_id, "case.join", k->case_id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	if (rk) {
		intake_key_wipe(rk);
		vault_secure_free(rk);
	}
	return rc;
}

/* ---- opening the keys ---- */

int cases_key_as_member(db_t *db, int64_t case_id, int64_t account_id,
			const unsigned char account_sk[32], struct cases_key *out,
			struct cases_error *e)
{
	db_stmt_t *st = NULL;
	unsigned char pk[32];
	int in_tx = 0, rc = -1;

	cases_key_wipe(out);
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	/* a current member's own key row, of a case not purged */
	if (db_prepare(db, "SELECT k.sealed, a.public_key, c.summary_key FROM case_key k "
			   "JOIN account a ON a.id = k.account_id "
			   "JOIN case_member m ON m.case_id = k.case_id AND m.account_id = k.account_id "
			   "AND m.removed_on IS NULL "
			   "JOIN case_file c ON c.id = k.case_id AND c.purged_on IS NULL "
			   "WHERE k.case_id = ? AND k.account_id = ? AND k.holder = 'account' "
			   "AND a.disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0 || db_bind_i64(st, 2, account_id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account", case_id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	if (db_col_bytes(st, 1) != sizeof pk) {
		fail(e, CASES_EDAMAGED, "account %" PRId64 " has a damaged public key", account_id);
		goto out;
	}
	memcpy(pk, db_col_blob(st, 1), sizeof pk);
	if (envelope_open_with_sk(ENVELOPE_CASE_MEMBER, pk, account_sk, case_id,
				  db_col_blob(st, 0), db_col_bytes(st, 0), out->key) != 0) {
		fail(e, CASES_EDAMAGED, "the key of case %" PRId64 " does not open", case_id);
		goto out;
	}
	if (db_col_bytes(st, 2) != CASES_WRAPPED_BYTES ||
	    vault_unwrap(out->key, CASES_WRAP_SUMMARY, case_id, db_col_blob(st, 2),
			 CASES_WRAPPED_BYTES, out->summary) != 0) {
		fail(e, CASES_EDAMAGED, "the summary key of case %" PRId64 " does not open",
		     case_id);
		goto out;
	}
	out->case_id = case_id;
	out->full = 1;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	if (rc != 0)
		cases_key_wipe(out);
	return rc;
}

int cases_key_as_authority(db_t *db, int64_t case_id, int64_t account_id,
			   const unsigned char account_sk[32], struct cases_key *out,
			   struct cases_error *e)
{
	db_stmt_t *st = NULL;
	unsigned char pk[32];
	int in_tx = 0, rc = -1;

	cases_key_wipe(out);
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT s.sealed, a.public_key, c.org_id FROM case_summary_key s "
			   "JOIN account a ON a.id = s.account_id "
			   "JOIN case_file c ON c.id = s.case_id AND c.purged_on IS NULL "
			   "WHERE s.case_id = ? AND s.account_id = ? AND a.disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0 || db_bind_i64(st, 2, account_id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step != DB_ROW && step != DB_DONE)
		goto dbfail;
	int64_t org = step == DB_ROW ? db_col_i64(st, 2) : 0;
	/* an authority who no longer holds the role there reads nothing */
	int holds = step == DB_ROW ? cases_holds_role(db, org, account_id, "competent_authority")
				   : 0;
	if (holds < 0)
		goto dbfail;
	if (!holds) {
		fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account", case_id);
		goto out;
	}
	if (db_col_bytes(st, 1) != sizeof pk) {
		fail(e, CASES_EDAMAGED, "account %" PRId64 " has a damaged public key", account_id);
		goto out;
	}
	memcpy(pk, db_col_blob(st, 1), sizeof pk);
	if (envelope_open_with_sk(ENVELOPE_CASE_SUMMARY, pk, account_sk, case_id,
				  db_col_blob(st, 0), db_col_bytes(st, 0), out->summary) != 0) {
		fail(e, CASES_EDAMAGED, "the summary key of case %" PRId64 " does not open",
		     case_id);
		goto out;
	}
	out->case_id = case_id;
	out->full = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	if (rc != 0)
		cases_key_wipe(out);
	return rc;
}

/* ---- reading ---- */

/* The due date of phase `phase` of protocol p started on `start`, or "". */
static void phase_due(const struct cases_protocol *p, const char *phase, const char *start,
		      char out[DATE_LEN + 1])
{
	out[0] = '\0';
	int i = p ? cases_protocol_phase(p, phase) : -1;
	if (i < 0 || cases_phase_due(&p->phases[i], start, out) != 0)
		out[0] = '\0';
}

static int read_measures(db_t *db, int64_t case_id, struct cases_case *out)
{
	db_stmt_t *st = NULL;
	int step;
	if (db_prepare(db, "SELECT code FROM case_measure WHERE case_id = ? ORDER BY code",
		       &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW)
		if (out->nmeasures < CASES_CASE_MEASURES_MAX)
			cases_copy(out->measures[out->nmeasures++], CASES_ID_MAX + 1,
				   db_col_text(st, 0));
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

static int read_reports(db_t *db, int64_t case_id, struct cases_case *out)
{
	db_stmt_t *st = NULL;
	int step;
	if (db_prepare(db, "SELECT report_id FROM case_report_key WHERE case_id = ? "
			   "ORDER BY report_id", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW)
		if (out->nreports < CASES_REPORTS_MAX)
			out->reports[out->nreports++] = db_col_i64(st, 0);
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

int cases_read(db_t *db, const struct cases_key *k, struct cases_case *out,
	       struct cases_error *e)
{
	db_stmt_t *st = NULL;
	int in_tx = 0, rc = -1;
	struct cases_error pe;

	memset(out, 0, sizeof *out);
	cases_error_clear(e);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT c.id, c.org_id, o.code, c.protocol, c.protocol_revision, "
			   "c.phase, c.phase_started_on, c.opened_on, coalesce(c.closed_on, ''), "
			   "coalesce(c.category, ''), coalesce(c.taxonomy, ''), "
			   "coalesce(c.taxonomy_revision, 0), coalesce(c.outcome, ''), "
			   "coalesce(c.police_report, -1), coalesce(c.measures_list, ''), "
			   "coalesce(c.measures_revision, 0), coalesce(c.decided_on, ''), "
			   "coalesce(c.decided_by, 0), coalesce(c.purge_after, ''), "
			   "coalesce(c.process_id, 0), coalesce(rp.name, ''), "
			   "coalesce(c.unit_id, 0), coalesce(u.code, '') "
			   "FROM case_file c JOIN org o ON o.id = c.org_id "
			   "LEFT JOIN risk_process rp ON rp.id = c.process_id "
			   "LEFT JOIN org u ON u.id = c.unit_id "
			   "WHERE c.id = ? AND c.purged_on IS NULL", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, CASES_ENOTFOUND, "no case %" PRId64, k->case_id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	out->id = db_col_i64(st, 0);
	out->org_id = db_col_i64(st, 1);
	cases_copy(out->org_code, sizeof out->org_code, db_col_text(st, 2));
	cases_copy(out->protocol, sizeof out->protocol, db_col_text(st, 3));
	out->protocol_revision = (int)db_col_i64(st, 4);
	cases_copy(out->phase, sizeof out->phase, db_col_text(st, 5));
	cases_copy(out->phase_started_on, sizeof out->phase_started_on, db_col_text(st, 6));
	cases_copy(out->opened_on, sizeof out->opened_on, db_col_text(st, 7));
	cases_copy(out->closed_on, sizeof out->closed_on, db_col_text(st, 8));
	cases_copy(out->category, sizeof out->category, db_col_text(st, 9));
	cases_copy(out->taxonomy, sizeof out->taxonomy, db_col_text(st, 10));
	out->taxonomy_revision = (int)db_col_i64(st, 11);
	cases_copy(out->outcome, sizeof out->outcome, db_col_text(st, 12));
	out->police_report = (int)db_col_i64(st, 13);
	cases_copy(out->measures_list, sizeof out->measures_list, db_col_text(st, 14));
	out->measures_revision = (int)db_col_i64(st, 15);
	cases_copy(out->decided_on, sizeof out->decided_on, db_col_text(st, 16));
	out->decided_by = db_col_i64(st, 17);
	cases_copy(out->purge_after, sizeof out->purge_after, db_col_text(st, 18));
	out->process_id = db_col_i64(st, 19);
	cases_copy(out->process_name, sizeof out->process_name, db_col_text(st, 20));
	out->unit_id = db_col_i64(st, 21);
	cases_copy(out->unit_code, sizeof out->unit_code, db_col_text(st, 22));
	db_finalize(st);
	st = NULL;
	/* a closed case's phase is not running: no due date */
	if (!out->closed_on[0] && cases_data_ready(&pe) == 0)
		phase_due(cases_data_protocol_find(out->protocol, out->protocol_revision),
			  out->phase, out->phase_started_on, out->phase_due);
	if (read_measures(db, out->id, out) != 0 || (k->full && read_reports(db, out->id, out) != 0))
		goto dbfail;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* open cases by due date (none last), then closed ones newest first */
static int list_cmp(const void *a, const void *b)
{
	const struct cases_list_item *x = a, *y = b;
	int c;
	if (!x->closed_on[0] != !y->closed_on[0])
		return x->closed_on[0] ? 1 : -1;
	if (x->closed_on[0]) {
		if ((c = strcmp(y->closed_on, x->closed_on)) != 0)
			return c;
		return (y->id > x->id) - (y->id < x->id);
	}
	if (!x->phase_due[0] != !y->phase_due[0])
		return x->phase_due[0] ? -1 : 1;
	if ((c = strcmp(x->phase_due, y->phase_due)) != 0)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

int cases_list(db_t *db, int64_t account_id, struct cases_list_item *out, size_t cap,
	       size_t *n, size_t *total)
{
	db_stmt_t *st = NULL;
	struct cases_list_item *rows = NULL;
	struct cases_error pe;
	size_t all = 0, room = 0;
	int in_tx = 0, ready = cases_data_ready(&pe) == 0;
	*n = 0;
	if (total)
		*total = 0;
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto fail;
	/* members of the team, and authorities who hold the summary (checked
	 * below for the role) */
	if (db_prepare(db,
		       "SELECT c.id, o.code, c.phase, c.phase_started_on, c.opened_on, "
		       "coalesce(c.closed_on, ''), m.role_in_case, c.protocol, c.protocol_revision, "
		       "c.org_id "
		       "FROM case_file c JOIN org o ON o.id = c.org_id "
		       "JOIN case_member m ON m.case_id = c.id AND m.removed_on IS NULL "
		       "JOIN account a ON a.id = m.account_id "
		       "WHERE m.account_id = ?1 AND a.disabled = 0 AND c.purged_on IS NULL "
		       "UNION ALL "
		       "SELECT c.id, o.code, c.phase, c.phase_started_on, c.opened_on, "
		       "coalesce(c.closed_on, ''), 'authority', c.protocol, c.protocol_revision, "
		       "c.org_id "
		       "FROM case_file c JOIN org o ON o.id = c.org_id "
		       "JOIN case_summary_key s ON s.case_id = c.id "
		       "JOIN account a ON a.id = s.account_id "
		       "WHERE s.account_id = ?1 AND a.disabled = 0 AND c.purged_on IS NULL "
		       "AND NOT EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = c.id "
		       "AND m.account_id = ?1 AND m.removed_on IS NULL)",
		       &st) != 0 ||
	    db_bind_i64(st, 1, account_id) != 0)
		goto fail;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (all == room) {
			room = room ? room * 2 : 16;
			rows = xrealloc(rows, room * sizeof *rows);
		}
		if (strcmp(db_col_text(st, 6), "authority") == 0) {
			/* only while they hold the role where the case is */
			int h = cases_holds_role(db, db_col_i64(st, 9), account_id,
						 "competent_authority");
			if (h < 0)
				goto fail;
			if (!h)
				continue;
		}
		struct cases_list_item *it = &rows[all++];
		memset(it, 0, sizeof *it);
		it->id = db_col_i64(st, 0);
		cases_copy(it->org_code, sizeof it->org_code, db_col_text(st, 1));
		cases_copy(it->phase, sizeof it->phase, db_col_text(st, 2));
		cases_copy(it->phase_started_on, sizeof it->phase_started_on, db_col_text(st, 3));
		cases_copy(it->opened_on, sizeof it->opened_on, db_col_text(st, 4));
		cases_copy(it->closed_on, sizeof it->closed_on, db_col_text(st, 5));
		cases_copy(it->role, sizeof it->role, db_col_text(st, 6));
		if (ready && !it->closed_on[0])
			phase_due(cases_data_protocol_find(db_col_text(st, 7),
							   (int)db_col_i64(st, 8)),
				  it->phase, it->phase_started_on, it->phase_due);
	}
	if (step != DB_DONE)
		goto fail;
	cases_tx_end(db, st, in_tx);
	if (all)
		qsort(rows, all, sizeof *rows, list_cmp);
	size_t k = all < cap ? all : cap;
	if (k)
		memcpy(out, rows, k * sizeof *rows);
	free(rows);
	*n = k;
	if (total)
		*total = all;
	return 0;
fail:
	cases_tx_end(db, st, in_tx);
	free(rows);
	return -1;
}

int cases_report_key(db_t *db, const struct cases_key *k, int64_t report_id,
		     struct intake_key *out, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	char purpose[CASES_PURPOSE_LEN];
	int in_tx = 0, rc = -1;

	intake_key_wipe(out);
	cases_error_clear(e);
	if (!k->full)
		return fail(e, CASES_ENOTFOUND, "no report %" PRId64 " in this case", report_id);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT sealed FROM case_report_key WHERE case_id = ? AND report_id = ?",
		       &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0 || db_bind_i64(st, 2, report_id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		fail(e, CASES_ENOTFOUND, "no report %" PRId64 " in case %" PRId64, report_id,
		     k->case_id);
		goto out;
	}
	if (step != DB_ROW)
		goto dbfail;
	snprintf(purpose, sizeof purpose, CASES_WRAP_REPORT "%" PRId64, report_id);
	if (db_col_bytes(st, 0) != CASES_WRAPPED_BYTES ||
	    vault_unwrap(k->key, purpose, k->case_id, db_col_blob(st, 0), CASES_WRAPPED_BYTES,
			 out->key) != 0) {
		fail(e, CASES_EDAMAGED, "the key of report %" PRId64 " does not open in case %"
		     PRId64, report_id, k->case_id);
		goto out;
	}
	out->report_id = report_id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	if (rc != 0)
		intake_key_wipe(out);
	return rc;
}
