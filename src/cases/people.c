/* people.c: the people involved in a case and the dates of their rights
 * (migration 0008 case_person; cases.h, protocol.h enum cases_right).
 *
 * Who someone is (name, function, contact) is a content blob under the case
 * key ("case-person:<id>"), JSON {"name":..,"function":..,"contact":..}
 * written and read by hand in secure memory (base/jsonstr.h), so no parser's
 * heap holds a copy. Their party and the dates of their rights are in the
 * clear: the terms run on them (the reaction to the draft report is due on
 * reaction_due) and they say nothing about who the person is. The audit
 * trail names the person's id and the step, never a name.
 *
 * Which rights apply to whom is the protocol's: a step is refused for a
 * party to whom the right never falls due in the case's protocol (a witness
 * gets no draft report to react to). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/jsonstr.h"
#include "base/utf8.h"
#include "cases/cases.h"
#include "cases/internal.h"
#include "crypto/blob.h"
#include "crypto/vault.h"

#define fail cases_fail
#define fail_db cases_fail_db

/* Each step: its name, its column, the right it belongs to, and the step
 * that must come before it (or -1). */
static const struct {
	const char *name;
	const char *column;
	enum cases_right right;
	int after;
} steps[CASES_STEP_COUNT] = {
	[CASES_STEP_INFORMED] = {"informed", "informed_on", CASES_RIGHT_INFORMED, -1},
	[CASES_STEP_HEARD] = {"heard", "heard_on", CASES_RIGHT_HEARD, -1},
	[CASES_STEP_RECORD_OFFERED] = {"record_offered", "record_offered_on", CASES_RIGHT_HEARD,
				       CASES_STEP_HEARD},
	[CASES_STEP_RECORD_AGREED] = {"record_agreed", "record_agreed_on", CASES_RIGHT_HEARD,
				      CASES_STEP_RECORD_OFFERED},
	[CASES_STEP_ASSISTANCE_OFFERED] = {"assistance_offered", "assistance_offered_on",
					   CASES_RIGHT_ASSISTANCE, -1},
	[CASES_STEP_DRAFT_SENT] = {"draft_sent", "draft_sent_on", CASES_RIGHT_DRAFT_REACTION, -1},
	[CASES_STEP_REACTION] = {"reaction", "reaction_on", CASES_RIGHT_DRAFT_REACTION,
				 CASES_STEP_DRAFT_SENT},
	[CASES_STEP_FINAL_INSPECTED] = {"final_inspected", "final_inspected_on",
					CASES_RIGHT_INSPECTION, -1},
};

const char *cases_step_name(enum cases_step s)
{
	return (unsigned)s < CASES_STEP_COUNT ? steps[s].name : "?";
}

int cases_step_parse(const char *s, enum cases_step *out)
{
	for (int i = 0; s && i < CASES_STEP_COUNT; i++)
		if (strcmp(s, steps[i].name) == 0) {
			*out = (enum cases_step)i;
			return 0;
		}
	return -1;
}

/* The columns of every step, in enum order, for SELECTs. */
#define STEP_COLUMNS                                                                     \
	"coalesce(informed_on, ''), coalesce(heard_on, ''), "                             \
	"coalesce(record_offered_on, ''), coalesce(record_agreed_on, ''), "               \
	"coalesce(assistance_offered_on, ''), coalesce(draft_sent_on, ''), "              \
	"coalesce(reaction_on, ''), coalesce(final_inspected_on, ''), "                   \
	"coalesce(reaction_due, '')"

/* ---- who someone is ---- */

static int check_field(const char *s, size_t min, size_t max, int breaks, const char *what,
		       struct cases_error *e)
{
	size_t n = s ? strlen(s) : 0;
	if (n < min)
		return fail(e, CASES_EINVALID, "the person's %s is missing", what);
	if (n > max)
		return fail(e, CASES_EINVALID, "the person's %s is longer than %zu bytes", what, max);
	if (n && !utf8_text_clean(s, n, breaks))
		return fail(e, CASES_EINVALID,
			    "the person's %s is not valid UTF-8 or holds control characters", what);
	return 0;
}

static int check_person(const struct cases_person_in *p, struct cases_error *e)
{
	enum cases_party party;
	if (!p || !p->party || cases_party_parse(p->party, &party) != 0)
		return fail(e, CASES_EINVALID, "a person is the person concerned, the reporter, a "
			    "witness or other");
	if (check_field(p->name, 1, CASES_NAME_MAX, 0, "name", e) != 0 ||
	    check_field(p->function, 0, CASES_NAME_MAX, 0, "function", e) != 0 ||
	    check_field(p->contact, 0, CASES_CONTACT_MAX, 1, "contact details", e) != 0)
		return -1;
	return 0;
}

/* The person's JSON in secure memory; *len its length. */
static char *person_json(const struct cases_person_in *p, size_t *len)
{
	const char *f = p->function ? p->function : "", *c = p->contact ? p->contact : "";
	size_t cap = jsonstr_write(p->name, NULL) + jsonstr_write(f, NULL) +
		     jsonstr_write(c, NULL) + 64;
	char *j = vault_secure_alloc(cap), *q = j;
	q += snprintf(q, cap, "{\"name\":");
	q += jsonstr_write(p->name, q);
	q += snprintf(q, cap - (size_t)(q - j), ",\"function\":");
	q += jsonstr_write(f, q);
	q += snprintf(q, cap - (size_t)(q - j), ",\"contact\":");
	q += jsonstr_write(c, q);
	q += snprintf(q, cap - (size_t)(q - j), "}");
	*len = (size_t)(q - j);
	return j;
}

/* Reads what person_json wrote into out's name, function and contact (each
 * a fresh secure allocation). 0 or -1. */
static int person_parse(const char *j, size_t len, struct cases_person *out)
{
	static const char *const keys[] = {"{\"name\":", ",\"function\":", ",\"contact\":"};
	char **dst[] = {&out->name, &out->function, &out->contact};
	const char *p = j;
	for (int i = 0; i < 3; i++) {
		size_t k = strlen(keys[i]);
		if (strncmp(p, keys[i], k) != 0)
			return -1;
		p += k;
		/* a string never decodes longer than its encoding */
		*dst[i] = vault_secure_alloc(len + 1);
		if (jsonstr_read(&p, *dst[i], len + 1) != 0)
			return -1;
	}
	return strcmp(p, "}") == 0 ? 0 : -1;
}

static void person_clear(struct cases_person *p)
{
	if (p->name)
		vault_secure_free(p->name);
	if (p->function)
		vault_secure_free(p->function);
	if (p->contact)
		vault_secure_free(p->contact);
	p->name = p->function = p->contact = NULL;
}

void cases_people_free(struct cases_person *p, size_t n)
{
	if (!p)
		return;
	for (size_t i = 0; i < n; i++)
		person_clear(&p[i]);
	free(p);
}

/* Seals the person's JSON into row id. */
static int write_person(db_t *db, const struct cases_key *k, int64_t id,
			const struct cases_person_in *p, struct cases_error *e)
{
	char purpose[CASES_PURPOSE_LEN];
	size_t len;
	char *j = person_json(p, &len);
	snprintf(purpose, sizeof purpose, "case-person:%" PRId64, id);
	int rc = cases_write_blob(db, "UPDATE case_person SET blob = ? WHERE id = ?", k->key,
				  k->case_id, purpose, id, j, len, e);
	vault_secure_free(j);
	return rc;
}

int cases_person_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		     int64_t actor_id, const struct cases_person_in *p, const char *today,
		     int64_t *id_out, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	char detail[64];
	int in_tx = 0, rc = -1, as;

	if (id_out)
		*id_out = 0;
	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0 || check_person(p, e) != 0)
		return -1;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_MEMBER, 0, &row, &as, e) != 0)
		goto out;
	if (strcmp(today, row.opened_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " was opened after %s", row.id, today);
		goto out;
	}
	if (db_prepare(db, "INSERT INTO case_person (case_id, party, added_on, blob) "
			   "VALUES (?, ?, ?, X'') RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, row.id) != 0 || db_bind_text(st, 2, p->party, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, today, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	int64_t id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (write_person(db, k, id, p, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "person %" PRId64 " party %s", id, p->party);
	if (cases_audit(db, signer, actor_id, "case.person-add", row.id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	if (id_out)
		*id_out = id;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	return rc;
}

/* The party of person_id in case_id into party: 0, 1 no such person, -1. */
static int person_party(db_t *db, int64_t case_id, int64_t person_id, char party[24])
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "SELECT party FROM case_person WHERE id = ? AND case_id = ?", &st) == 0 &&
	    db_bind_i64(st, 1, person_id) == 0 && db_bind_i64(st, 2, case_id) == 0) {
		int step = db_step(st);
		if (step == DB_DONE)
			rc = 1;
		else if (step == DB_ROW) {
			cases_copy(party, 24, db_col_text(st, 0));
			rc = 0;
		}
	}
	db_finalize(st);
	return rc;
}

int cases_person_update(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			int64_t actor_id, int64_t person_id, const struct cases_person_in *p,
			struct cases_error *e)
{
	struct cases_row row;
	char party[24], detail[48];
	int in_tx = 0, rc = -1, as;

	cases_error_clear(e);
	if (check_person(p, e) != 0)
		return -1;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_MEMBER, 0, &row, &as, e) != 0)
		goto out;
	int f = person_party(db, row.id, person_id, party);
	if (f < 0)
		goto dbfail;
	if (f > 0) {
		fail(e, CASES_ENOTFOUND, "no person %" PRId64 " in case %" PRId64, person_id, row.id);
		goto out;
	}
	if (strcmp(party, p->party) != 0) {
		fail(e, CASES_EINVALID, "a person's party does not change: add them anew");
		goto out;
	}
	if (write_person(db, k, person_id, p, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "person %" PRId64, person_id);
	if (cases_audit(db, signer, actor_id, "case.person-update", row.id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, NULL, in_tx);
	return rc;
}

/* ---- rights ---- */

/* Whether right r falls due for party in any phase of p, and the days of
 * the first such with a term (0 when none). */
static int right_applies(const struct cases_protocol *p, enum cases_right r,
			 enum cases_party party, int *days)
{
	int applies = 0;
	*days = 0;
	for (size_t i = 0; i < p->nphases; i++) {
		const struct cases_right_due *d = cases_phase_right(&p->phases[i], r);
		if (!d || !(d->parties & (1u << party)))
			continue;
		if (!applies || (*days == 0 && d->days > 0))
			*days = d->days;
		applies = 1;
	}
	return applies;
}

int cases_person_step(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		      int64_t actor_id, int64_t person_id, enum cases_step s, const char *on,
		      const char *today, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	char party[24], dates[CASES_STEP_COUNT][DATE_LEN + 1], due[DATE_LEN + 1], detail[96];
	int in_tx = 0, rc = -1, as, days = 0;
	enum cases_party pt;

	cases_error_clear(e);
	if ((unsigned)s >= CASES_STEP_COUNT)
		return fail(e, CASES_EINVALID, "unknown step");
	if (cases_check_date(today, "the date", e) != 0 || cases_check_date(on, "the step's date", e))
		return -1;
	if (strcmp(on, today) > 0)
		return fail(e, CASES_EINVALID, "a step cannot be dated after today");
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_MEMBER, 0, &row, &as, e) != 0)
		goto out;
	const struct cases_protocol *p = cases_protocol_of(&row, e);
	if (!p)
		goto out;
	int f = person_party(db, row.id, person_id, party);
	if (f < 0)
		goto dbfail;
	if (f > 0) {
		fail(e, CASES_ENOTFOUND, "no person %" PRId64 " in case %" PRId64, person_id, row.id);
		goto out;
	}
	if (cases_party_parse(party, &pt) != 0) {
		fail(e, CASES_EDAMAGED, "person %" PRId64 " has an unknown party", person_id);
		goto out;
	}
	if (!right_applies(p, steps[s].right, pt, &days)) {
		fail(e, CASES_EINVALID, "under protocol %s/%d the right '%s' is not one of a %s",
		     row.protocol, row.protocol_revision, cases_right_name(steps[s].right), party);
		goto out;
	}
	if (strcmp(on, row.opened_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " was opened after %s", row.id, on);
		goto out;
	}
	if (db_prepare(db, "SELECT " STEP_COLUMNS " FROM case_person WHERE id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, person_id) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	for (int i = 0; i < CASES_STEP_COUNT; i++)
		cases_copy(dates[i], sizeof dates[i], db_col_text(st, i));
	db_finalize(st);
	st = NULL;
	if (dates[s][0]) {
		fail(e, CASES_ECONFLICT, "step %s of person %" PRId64 " was already recorded",
		     steps[s].name, person_id);
		goto out;
	}
	int before = steps[s].after;
	if (before >= 0 && (!dates[before][0] || strcmp(on, dates[before]) < 0)) {
		fail(e, CASES_ECONFLICT, "step %s of person %" PRId64 " comes after step %s",
		     steps[s].name, person_id, steps[before].name);
		goto out;
	}
	due[0] = '\0';
	if (s == CASES_STEP_DRAFT_SENT && days > 0 && date_add_days(on, days, due) != 0) {
		fail(e, CASES_EINVALID, "%s plus the reaction term is not a date", on);
		goto out;
	}
	/* the column comes from the table above, never from input */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE case_person SET %s = ?1, reaction_due = coalesce(?2, "
		 "reaction_due) WHERE id = ?3", steps[s].column);
	if (s == CASES_STEP_DRAFT_SENT && !due[0])
		cases_copy(due, sizeof due, on); /* no term: due the day it was sent */
	if (db_prepare(db, sql, &st) != 0 || db_bind_text(st, 1, on, (size_t)-1) != 0 ||
	    db_bind_text(st, 2, s == CASES_STEP_DRAFT_SENT ? due : NULL, (size_t)-1) != 0 ||
	    db_bind_i64(st, 3, person_id) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	snprintf(detail, sizeof detail, "person %" PRId64 " %s on %s", person_id, steps[s].name, on);
	if (cases_audit(db, signer, actor_id, "case.person-step", row.id, detail) != 0 ||
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

int cases_people(db_t *db, const struct cases_key *k, struct cases_person **out, size_t *n,
		 struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_person *ps = NULL;
	size_t cnt = 0, room = 0;
	int in_tx = 0, rc = -1;
	*out = NULL;
	*n = 0;
	cases_error_clear(e);
	if (!k->full)
		return fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account", k->case_id);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT id, party, added_on, blob, " STEP_COLUMNS " FROM case_person "
			   "WHERE case_id = ? ORDER BY id", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0)
		goto dbfail;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (cnt == room) {
			room = room ? room * 2 : 8;
			ps = xrealloc(ps, room * sizeof *ps);
		}
		struct cases_person *x = &ps[cnt++];
		char purpose[CASES_PURPOSE_LEN];
		size_t len;
		memset(x, 0, sizeof *x);
		x->id = db_col_i64(st, 0);
		cases_copy(x->party, sizeof x->party, db_col_text(st, 1));
		cases_copy(x->added_on, sizeof x->added_on, db_col_text(st, 2));
		for (int i = 0; i < CASES_STEP_COUNT; i++)
			cases_copy(x->on[i], sizeof x->on[i], db_col_text(st, 4 + i));
		cases_copy(x->reaction_due, sizeof x->reaction_due,
			   db_col_text(st, 4 + CASES_STEP_COUNT));
		snprintf(purpose, sizeof purpose, "case-person:%" PRId64, x->id);
		char *j = (char *)blob_open(k->key, k->case_id, purpose, db_col_blob(st, 3),
					    db_col_bytes(st, 3), &len);
		int bad = !j || person_parse(j, len, x) != 0;
		if (j)
			vault_secure_free(j);
		if (bad) {
			fail(e, CASES_EDAMAGED, "person %" PRId64 " of case %" PRId64
			     " does not open", x->id, k->case_id);
			goto out;
		}
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
		cases_people_free(ps, cnt);
		return -1;
	}
	if (cnt == 0) {
		free(ps);
		ps = NULL;
	}
	*out = ps;
	*n = cnt;
	return 0;
}
