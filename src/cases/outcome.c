/* outcome.c: how a case ends (migration 0008; cases.h): the team's outcome
 * with the statistical record (category of the current taxonomy, measures of
 * the current measures list, police report), the summary shared with the
 * competent authority, the authority's decision, and the retention term per
 * organisation that decides when a closed case's content is purged.
 *
 * The competent authority sees a summary, not the whole file: the summary
 * key is sealed to them (ENVELOPE_CASE_SUMMARY), never the case key. Their
 * decision is a record under the summary key, which the team reads through
 * the case key. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "cases/internal.h"
#include "cases/taxonomy.h"

#define fail cases_fail
#define fail_db cases_fail_db

static const char *const outcomes[] = {"established", "partly", "not_established"};

/* Checks measure codes against the current list. 0 or -1 with e. */
static int check_measures(const struct cases_measures *list, const char *const *codes,
			  size_t n, struct cases_error *e)
{
	if (n > CASES_CASE_MEASURES_MAX)
		return fail(e, CASES_EINVALID, "at most %d measures per case",
			    CASES_CASE_MEASURES_MAX);
	if (n && !codes)
		return fail(e, CASES_EINVALID, "no measures given");
	for (size_t i = 0; i < n; i++) {
		if (!codes[i] || !cases_measures_find(list, codes[i]))
			return fail(e, CASES_EINVALID, "'%s' is not a measure of %s revision %d",
				    codes[i] && strlen(codes[i]) <= CASES_ID_MAX ? codes[i] : "?",
				    list->id, list->revision);
		for (size_t j = 0; j < i; j++)
			if (strcmp(codes[i], codes[j]) == 0)
				return fail(e, CASES_EINVALID, "measure %s is named twice", codes[i]);
	}
	return 0;
}

/* Replaces the case's measures (and the list they come from). */
static int store_measures(db_t *db, int64_t case_id, const struct cases_measures *list,
			  const char *const *codes, size_t n, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	if (db_prepare(db, "DELETE FROM case_measure WHERE case_id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "UPDATE case_file SET measures_list = ?, measures_revision = ? "
			   "WHERE id = ?", &st) != 0 ||
	    db_bind_text(st, 1, list->id, (size_t)-1) != 0 ||
	    db_bind_i64(st, 2, list->revision) != 0 || db_bind_i64(st, 3, case_id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	for (size_t i = 0; i < n; i++) {
		if (db_prepare(db, "INSERT INTO case_measure (case_id, code) VALUES (?, ?)", &st) != 0 ||
		    db_bind_i64(st, 1, case_id) != 0 || db_bind_text(st, 2, codes[i], (size_t)-1) != 0 ||
		    db_step(st) != DB_DONE)
			goto dbfail;
		db_finalize(st);
		st = NULL;
	}
	return 0;
dbfail:
	db_finalize(st);
	return fail_db(db, e);
}

/* The codes joined by commas into out (cap bytes), for an audit detail. */
static void code_list(const char *const *codes, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "," : "", codes[i]);
	if (n == 0)
		snprintf(out, cap, "none");
}

/* ---- the place of the violation (migration 0014) ---- */

int cases_place_department(db_t *db, int64_t org_id, int64_t *dept_id)
{
	db_stmt_t *st = NULL;
	*dept_id = 0;
	/* up the tree from the case's organisation; rows of a reorganised
	 * department count too, as the case was filed there */
	if (db_prepare(db, "WITH RECURSIVE up(id, parent_id, kind, depth) AS ("
			   "SELECT id, parent_id, kind, 0 FROM org WHERE id = ?1 "
			   "UNION ALL SELECT o.id, o.parent_id, o.kind, up.depth + 1 FROM org o "
			   "JOIN up ON o.id = up.parent_id WHERE up.kind = 'unit' AND up.depth < 16) "
			   "SELECT id FROM up WHERE kind = 'department' LIMIT 1", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0) {
		db_finalize(st);
		return -1;
	}
	int step = db_step(st);
	if (step == DB_ROW)
		*dept_id = db_col_i64(st, 0);
	db_finalize(st);
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

/* 1 if the query (one ?1 id, one ?2 department) gives a row, 0 if not, -1 on
 * a db error. */
static int place_holds(db_t *db, const char *sql, int64_t id, int64_t dept)
{
	db_stmt_t *st = NULL;
	int r = -1;
	if (db_prepare(db, sql, &st) == 0 && db_bind_i64(st, 1, id) == 0 &&
	    db_bind_i64(st, 2, dept) == 0) {
		int step = db_step(st);
		r = step == DB_ROW ? 1 : step == DB_DONE ? 0 : -1;
	}
	db_finalize(st);
	return r;
}

/* Checks place against the case's department and stores it; inside the
 * caller's transaction. 0, or -1 with e. The risk register is read here by
 * its table (migration 0013), not through src/risks: cases lie below the
 * risk register in the feature order, and this is one read-only check. */
static int store_place(db_t *db, const struct cases_row *row, const struct cases_place *place,
		       struct cases_error *e)
{
	int64_t dept = 0;
	if (place->process_id < 0 || place->unit_id < 0)
		return fail(e, CASES_EINVALID, "a process or unit id is positive, or 0 for none");
	if ((place->process_id || place->unit_id) &&
	    cases_place_department(db, row->org_id, &dept) != 0)
		return fail_db(db, e);
	if (place->process_id) {
		int r = dept ? place_holds(db, "SELECT 1 FROM risk_process WHERE id = ?1 AND "
					       "org_id = ?2", place->process_id, dept)
			     : 0;
		if (r < 0)
			return fail_db(db, e);
		if (!r)
			return fail(e, CASES_EINVALID, "process %" PRId64 " is not in the risk "
				    "register of the case's department", place->process_id);
	}
	if (place->unit_id) {
		int r = dept ? place_holds(db, "WITH RECURSIVE up(id, parent_id, kind, depth) AS ("
					       "SELECT id, parent_id, kind, 0 FROM org WHERE id = ?1 "
					       "AND kind = 'unit' UNION ALL SELECT o.id, o.parent_id, "
					       "o.kind, up.depth + 1 FROM org o JOIN up ON o.id = "
					       "up.parent_id WHERE up.depth < 16) "
					       "SELECT 1 FROM up WHERE id = ?2", place->unit_id, dept)
			     : 0;
		if (r < 0)
			return fail_db(db, e);
		if (!r)
			return fail(e, CASES_EINVALID, "organisation %" PRId64 " is no unit of the "
				    "case's department", place->unit_id);
	}
	db_stmt_t *st = NULL;
	if (db_prepare(db, "UPDATE case_file SET process_id = nullif(?1, 0), "
			   "unit_id = nullif(?2, 0) WHERE id = ?3", &st) != 0 ||
	    db_bind_i64(st, 1, place->process_id) != 0 || db_bind_i64(st, 2, place->unit_id) != 0 ||
	    db_bind_i64(st, 3, row->id) != 0 || db_step(st) != DB_DONE) {
		db_finalize(st);
		return fail_db(db, e);
	}
	db_finalize(st);
	return 0;
}

int cases_set_outcome(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		      int64_t actor_id, const char *outcome, const char *category,
		      const char *const *measures, size_t nmeasures, int police_report,
		      struct cases_error *e)
{
	return cases_set_outcome_at(db, signer, k, actor_id, outcome, category, measures,
				    nmeasures, police_report, NULL, e);
}

int cases_set_outcome_at(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			 int64_t actor_id, const char *outcome, const char *category,
			 const char *const *measures, size_t nmeasures, int police_report,
			 const struct cases_place *place, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	char list[CASES_CASE_MEASURES_MAX * (CASES_ID_MAX + 1) + 8], detail[AUDIT_MAX_FIELD / 2];
	char where[64] = "";
	int in_tx = 0, rc = -1, as, known = 0;

	cases_error_clear(e);
	for (size_t i = 0; outcome && i < sizeof outcomes / sizeof outcomes[0]; i++)
		known |= strcmp(outcome, outcomes[i]) == 0;
	if (!known)
		return fail(e, CASES_EINVALID, "the outcome is established, partly or "
			    "not_established");
	if (police_report != 0 && police_report != 1)
		return fail(e, CASES_EINVALID, "a police report was made or not: 1 or 0");
	if (cases_data_ready(e) != 0)
		return -1;
	const struct cases_taxonomy *tax = cases_data_taxonomy();
	const struct cases_measures *ml = cases_data_measures();
	if (!tax || !ml)
		return fail(e, CASES_EDB, "no taxonomy or measures list in this build");
	if (!category || !cases_taxonomy_find(tax, category))
		return fail(e, CASES_EINVALID, "'%s' is not a category of %s revision %d",
			    category && strlen(category) <= CASES_ID_MAX ? category : "?", tax->id,
			    tax->revision);
	if (check_measures(ml, measures, nmeasures, e) != 0)
		return -1;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_COORDINATOR, 0, &row, &as, e) != 0)
		goto out;
	if (db_prepare(db, "UPDATE case_file SET outcome = ?, category = ?, taxonomy = ?, "
			   "taxonomy_revision = ?, police_report = ? WHERE id = ?", &st) != 0 ||
	    db_bind_text(st, 1, outcome, (size_t)-1) != 0 ||
	    db_bind_text(st, 2, category, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, tax->id, (size_t)-1) != 0 || db_bind_i64(st, 4, tax->revision) != 0 ||
	    db_bind_i64(st, 5, police_report) != 0 || db_bind_i64(st, 6, row.id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	/* the authority's measures, once decided, are what was imposed */
	if (!row.decided_on[0] && store_measures(db, row.id, ml, measures, nmeasures, e) != 0)
		goto out;
	if (place) {
		if (store_place(db, &row, place, e) != 0)
			goto out;
		snprintf(where, sizeof where, " process %" PRId64 " unit %" PRId64,
			 place->process_id, place->unit_id);
	}
	code_list(measures, nmeasures, list, sizeof list);
	snprintf(detail, sizeof detail, "outcome %s category %s/%d:%s measures %s police_report %d%s",
		 outcome, tax->id, tax->revision, category, list, police_report, where);
	if (cases_audit(db, signer, actor_id, "case.outcome", row.id, detail) != 0 ||
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

int cases_summary_share(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			int64_t actor_id, int64_t authority_id, const char *today,
			struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	unsigned char pk[32], sealed[ENVELOPE_SEALED_PK_BYTES];
	char detail[48];
	int in_tx = 0, rc = -1, as;

	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_COORDINATOR, 0, &row, &as, e) != 0)
		goto out;
	int pf = cases_account_pk(db, authority_id, pk);
	if (pf == -1)
		goto dbfail;
	int holds = pf == 0 ? cases_holds_role(db, row.org_id, authority_id, "competent_authority")
			    : 0;
	if (holds < 0)
		goto dbfail;
	if (!holds) {
		fail(e, CASES_EDENIED, "account %" PRId64 " is no competent authority of the case's "
		     "organisation", authority_id);
		goto out;
	}
	/* a team member reads the summary through the case key already, and
	 * the authority must stay outside the team */
	int on_team = cases_actor(db, &row, authority_id);
	if (on_team < 0)
		goto dbfail;
	if (on_team == CASES_AS_COORDINATOR || on_team == CASES_AS_INVESTIGATOR) {
		fail(e, CASES_EDENIED, "account %" PRId64 " is on the team of case %" PRId64,
		     authority_id, row.id);
		goto out;
	}
	if (envelope_seal_to_pk(ENVELOPE_CASE_SUMMARY, pk, row.id, k->summary, sealed) != 0) {
		fail(e, CASES_EDAMAGED, "account %" PRId64 " has an unusable public key",
		     authority_id);
		goto out;
	}
	if (db_prepare(db, "INSERT INTO case_summary_key (case_id, account_id, added_on, sealed) "
			   "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", &st) != 0 ||
	    db_bind_i64(st, 1, row.id) != 0 || db_bind_i64(st, 2, authority_id) != 0 ||
	    db_bind_text(st, 3, today, (size_t)-1) != 0 ||
	    db_bind_blob(st, 4, sealed, sizeof sealed) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_changes(db) == 0) {
		fail(e, CASES_ECONFLICT, "account %" PRId64 " holds the summary of case %" PRId64
		     " already", authority_id, row.id);
		goto out;
	}
	snprintf(detail, sizeof detail, "account %" PRId64, authority_id);
	if (cases_audit(db, signer, actor_id, "case.summary-share", row.id, detail) != 0 ||
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

int cases_decide(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		 int64_t authority_id, const char *text, size_t len, const char *const *measures,
		 size_t nmeasures, const char *today, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	char list[CASES_CASE_MEASURES_MAX * (CASES_ID_MAX + 1) + 8], detail[AUDIT_MAX_FIELD / 2];
	int in_tx = 0, rc = -1, as;
	int64_t id = 0;

	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0 ||
	    cases_check_text(text, len, CASES_TEXT_MAX, "the decision", e) != 0 ||
	    cases_data_ready(e) != 0)
		return -1;
	const struct cases_measures *ml = cases_data_measures();
	if (!ml)
		return fail(e, CASES_EDB, "no measures list in this build");
	if (check_measures(ml, measures, nmeasures, e) != 0)
		return -1;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, authority_id, CASES_NEED_AUTHORITY, 0, &row, &as, e) != 0)
		goto out;
	if (row.decided_on[0]) {
		fail(e, CASES_ECONFLICT, "case %" PRId64 " was decided on %s", row.id, row.decided_on);
		goto out;
	}
	if (strcmp(today, row.opened_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " was opened after %s", row.id, today);
		goto out;
	}
	if (cases_record_insert(db, k, authority_id, CASES_RECORD_DECISION, 1, text, len, &id, e) !=
	    0)
		goto out;
	if (db_prepare(db, "UPDATE case_file SET decided_on = ?, decided_by = ? WHERE id = ?",
		       &st) != 0 ||
	    db_bind_text(st, 1, today, (size_t)-1) != 0 || db_bind_i64(st, 2, authority_id) != 0 ||
	    db_bind_i64(st, 3, row.id) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (nmeasures && store_measures(db, row.id, ml, measures, nmeasures, e) != 0)
		goto out;
	code_list(measures, nmeasures, list, sizeof list);
	snprintf(detail, sizeof detail, "record %" PRId64 " measures %s", id,
		 nmeasures ? list : "as proposed");
	if (cases_audit(db, signer, authority_id, "case.decide", row.id, detail) != 0 ||
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

/* ---- retention ---- */

int cases_retention(db_t *db, int64_t org_id, int *days)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	*days = CASES_RETENTION_DEFAULT;
	/* the organisation's own term, else the nearest above it */
	if (db_prepare(db, "WITH RECURSIVE up(id, parent_id, depth) AS ("
			   "SELECT id, parent_id, 0 FROM org WHERE id = ?1 "
			   "UNION ALL SELECT o.id, o.parent_id, up.depth + 1 FROM org o JOIN up "
			   "ON o.id = up.parent_id WHERE up.depth < 64) "
			   "SELECT r.days FROM up JOIN org_retention r ON r.org_id = up.id "
			   "ORDER BY up.depth LIMIT 1", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_ROW)
		*days = (int)db_col_i64(st, 0);
	rc = step == DB_ROW || step == DB_DONE ? 0 : -1;
out:
	db_finalize(st);
	return rc;
}

int cases_set_retention(db_t *db, const struct audit_signer *signer, const char *actor,
			const char *org_code, int days, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct org org;
	char today[DATE_LEN + 1], detail[48], oid[24];
	int in_tx = 0, rc = -1;

	cases_error_clear(e);
	if (days < 1 || days > CASES_RETENTION_MAX)
		return fail(e, CASES_EINVALID, "a retention term is 1 to %d days",
			    CASES_RETENTION_MAX);
	if (!org_code || !*org_code || strlen(org_code) > ORG_CODE_MAX)
		return fail(e, CASES_EINVALID, "no organisation given");
	if (!actor || !*actor)
		return fail(e, CASES_EINVALID, "no actor given");
	date_today(today);
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	int f = orgs_lookup(db, org_code, today, &org);
	if (f < 0)
		goto dbfail;
	if (f > 0) {
		fail(e, CASES_ENOTFOUND, "no organisation has the code '%s' today", org_code);
		goto out;
	}
	if (db_prepare(db, "INSERT INTO org_retention (org_id, days) VALUES (?1, ?2) "
			   "ON CONFLICT (org_id) DO UPDATE SET days = ?2", &st) != 0 ||
	    db_bind_i64(st, 1, org.id) != 0 || db_bind_i64(st, 2, days) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	snprintf(oid, sizeof oid, "%" PRId64, org.id);
	snprintf(detail, sizeof detail, "%d days", days);
	struct audit_entry ae = {.actor = actor, .action = "case.retention", .object_type = "org",
				 .object_id = oid, .detail = detail};
	if (audit_append(db, signer, &ae) != 0 || db_commit(db) != 0)
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
