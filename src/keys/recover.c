/* recover.c: giving a successor the reports sealed to a departed handler,
 * the cases they were on the team of and the assessments whose evidence key
 * they held, once k custodians of each recovery key involved have joined.
 * See keys.h.
 *
 * Three steps, so that a terminal can ask custodians one by one: begin
 * (which reports, which keys, which custodians: nothing written), join (one
 * custodian's password opens their shares: only the sign-in record is
 * written), finish (recombine, then reseal in one transaction with one audit
 * entry). Finish reads the reports again inside its transaction: the plan
 * may be minutes old by then.
 *
 * Who may receive a report key is the reporting channel's rule (intake.h): a
 * holder of integrity_coordinator or confidential_adviser at the report's
 * organisation row or, for a unit, at its department, and not excluded by
 * the reporter. Recovery never gives a key to anyone else. For a case it is
 * the case storage's rule for a team member (src/cases/team.c): an
 * integrity coordinator or investigator at the case's organisation or the
 * department above it; and not someone a reporter of one of the case's
 * reports excluded, since the case opens those reports. For an assessment
 * it is the assessment storage's rule for a key holder, which src/assess
 * applies (assess_recover_list) and reseals with (assess_key_recover), so
 * that its tables stay its own.
 *
 * Secrets (opened shares, a custodian's unwrapped key, recombined recovery
 * keys, report keys) live in vault_secure_alloc'd memory and are wiped on
 * every path. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "base/alloc.h"
#include "base/date.h"
#include "crypto/envelope.h"
#include "crypto/vault.h"
#include "keys/internal.h"

#define MAX_JOINED (KEYS_RECOVER_KEYS_MAX * RECOVERY_N_MAX)

struct keys_recovery {
	struct keys_plan plan;
	int64_t joined[MAX_JOINED];   /* custodians' account ids, in the order they joined */
	size_t njoined;
	/* shares[i * RECOVERY_N_MAX + j]: the j-th share opened for plan.needs[i];
	 * secure memory */
	struct recovery_share *shares;
};

/* ---- which reports and cases ---- */

enum state { ST_TODO, ST_ALREADY, ST_NO_ROLE, ST_RECUSED, ST_UNRECOVERABLE };

/* What an item is: its id is a report's, a case's or an assessment's. */
enum kind { K_REPORT, K_CASE, K_ASSESS };

struct item {
	int64_t id;
	enum kind kind;
	const char *role; /* a case: the role TO takes on its team */
	int64_t key_id;   /* the recovery key its recovery seal is sealed to; 0: none */
	enum state state;
};

struct items {
	struct item *v;
	size_t n, cap;
};

static void items_push(struct items *it, const struct item *x)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? 2 * it->cap : 64;
		it->v = xrealloc(it->v, it->cap * sizeof *it->v);
	}
	it->v[it->n++] = *x;
}

/* A sorted set of report ids. */
struct idset {
	int64_t *v;
	size_t n, cap;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int idset_has(const struct idset *s, int64_t id)
{
	return s->n && bsearch(&id, s->v, s->n, sizeof *s->v, cmp_i64) != NULL;
}

/* The reports whose reporter excluded account `to`. A recusal is recorded
 * only as the audit entry "report.recuse" with detail "report <id> account
 * <id>" (intake.h), so that is where it is read: the trail is hash-chained,
 * so an entry removed to let a key through would break `audit verify`. One
 * pass over the entries of that action, not one per report. */
static int recusals_of(db_t *db, int64_t to, struct idset *out)
{
	db_stmt_t *st;
	char tail[40];
	int step;
	memset(out, 0, sizeof *out);
	snprintf(tail, sizeof tail, " account %" PRId64, to);
	if (db_prepare(db, "SELECT detail FROM audit_log WHERE action = 'report.recuse'", &st) != 0)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		const char *d = db_col_text(st, 0);
		long long rid;
		int used = 0;
		size_t n = strlen(d), t = strlen(tail);
		if (n <= t || strcmp(d + n - t, tail) != 0 ||
		    sscanf(d, "report %lld%n", &rid, &used) != 1 || (size_t)used != n - t)
			continue;
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 16;
			out->v = xrealloc(out->v, out->cap * sizeof *out->v);
		}
		out->v[out->n++] = (int64_t)rid;
	}
	db_finalize(st);
	if (step != DB_DONE) {
		free(out->v);
		memset(out, 0, sizeof *out);
		return -1;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, cmp_i64);
	return 0;
}

/* Per report: is it of the organisation asked for (its own row, or a unit
 * chain up to and including its department, has the code), and may `to`
 * handle it (the rule of intake.h). ?1 org row, ?2 account, ?3 code or NULL. */
#define REPORT_CHECK_SQL                                                                   \
	"WITH RECURSIVE up(id, parent_id, kind, code) AS ("                                \
	" SELECT id, parent_id, kind, code FROM org WHERE id = ?1"                         \
	" UNION SELECT o.id, o.parent_id, o.kind, o.code FROM org o JOIN up"               \
	" ON o.id = up.parent_id WHERE up.kind = 'unit')"                                  \
	" SELECT ?3 IS NULL OR EXISTS (SELECT 1 FROM up WHERE code = ?3 COLLATE NOCASE),"  \
	" EXISTS (SELECT 1 FROM account_role r WHERE r.account_id = ?2"                    \
	" AND r.role IN ('integrity_coordinator', 'confidential_adviser')"                 \
	" AND r.org_id IN (SELECT id FROM up WHERE id = ?1 OR kind = 'department'))"

/* Per case: is it of the organisation asked for, and which roles does `to`
 * hold where the case is (ORGS_REACH_CTE's rule, as cases_holds_role). ?1
 * the case's organisation, ?2 account, ?3 code or NULL. */
#define CASE_CHECK_SQL                                                                     \
	"WITH RECURSIVE up(id, parent_id, kind, code) AS ("                                \
	" SELECT id, parent_id, kind, code FROM org WHERE id = ?1"                         \
	" UNION SELECT o.id, o.parent_id, o.kind, o.code FROM org o JOIN up"               \
	" ON o.id = up.parent_id WHERE up.kind = 'unit')"                                  \
	" SELECT ?3 IS NULL OR EXISTS (SELECT 1 FROM up WHERE code = ?3 COLLATE NOCASE),"  \
	" EXISTS (SELECT 1 FROM account_role r WHERE r.account_id = ?2"                    \
	" AND r.role = 'integrity_coordinator'"                                            \
	" AND r.org_id IN (SELECT id FROM up WHERE id = ?1 OR kind = 'department')),"      \
	" EXISTS (SELECT 1 FROM account_role r WHERE r.account_id = ?2"                    \
	" AND r.role = 'investigator'"                                                     \
	" AND r.org_id IN (SELECT id FROM up WHERE id = ?1 OR kind = 'department'))"

/* 1 if a reporter of a report of case_id excluded `to` (recused holds the
 * reports that excluded them), 0 if none, -1 on a db error. */
static int case_recused(db_t *db, int64_t case_id, const struct idset *recused)
{
	db_stmt_t *st;
	int step, hit = 0;
	if (!recused->n)
		return 0;
	if (db_prepare(db, "SELECT report_id FROM case_report_key WHERE case_id = ?", &st) != 0)
		return -1;
	if (db_bind_i64(st, 1, case_id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((step = db_step(st)) == DB_ROW)
		hit |= idset_has(recused, db_col_i64(st, 0));
	db_finalize(st);
	return step == DB_DONE ? hit : -1;
}

/* Appends the cases `from` is a current member of (not purged; of org_code
 * when not "") with what a recovery for `to` would do with each. Inside the
 * caller's transaction. 0, or -1 (db error recorded). */
static int collect_cases(db_t *db, int64_t from, int64_t to, const char *org_code,
			 const struct idset *recused, struct items *out)
{
	db_stmt_t *st = NULL, *chk = NULL;
	int step, rc = -1;
	if (db_prepare(db, "SELECT c.id, c.org_id, m.role_in_case, (SELECT "
			   "coalesce(k.recovery_key_id, 0) FROM case_key k WHERE k.case_id = c.id "
			   "AND k.holder = 'recovery'), EXISTS (SELECT 1 FROM case_member m2 "
			   "WHERE m2.case_id = c.id AND m2.account_id = ?2 AND m2.removed_on IS NULL) "
			   "FROM case_file c JOIN case_member m ON m.case_id = c.id "
			   "AND m.account_id = ?1 AND m.removed_on IS NULL "
			   "WHERE c.purged_on IS NULL ORDER BY c.id", &st) != 0 ||
	    db_prepare(db, CASE_CHECK_SQL, &chk) != 0 || db_bind_i64(st, 1, from) != 0 ||
	    db_bind_i64(st, 2, to) != 0)
		goto out;
	while ((step = db_step(st)) == DB_ROW) {
		struct item x = {.id = db_col_i64(st, 0), .kind = K_CASE, .key_id = db_col_i64(st, 3)};
		int64_t org_id = db_col_i64(st, 1);
		int coord = strcmp(db_col_text(st, 2), "coordinator") == 0;
		int held = db_col_i64(st, 4) != 0;
		if (db_reset(chk) != 0 || db_bind_i64(chk, 1, org_id) != 0 ||
		    db_bind_i64(chk, 2, to) != 0 ||
		    (*org_code ? db_bind_text(chk, 3, org_code, (size_t)-1) :
				 db_bind_null(chk, 3)) != 0 ||
		    db_step(chk) != DB_ROW)
			goto out;
		int in_org = db_col_i64(chk, 0) != 0;
		int may_coord = db_col_i64(chk, 1) != 0, may_inv = db_col_i64(chk, 2) != 0;
		if (!in_org)
			continue;
		/* FROM's role where TO may hold it, else the one TO may hold */
		x.role = (coord && may_coord) || (!may_inv && may_coord) ? "coordinator"
			 : may_inv					   ? "investigator"
									   : NULL;
		int excluded = case_recused(db, x.id, recused);
		if (excluded < 0)
			goto out;
		if (held && from != to)
			x.state = ST_ALREADY;
		else if (excluded)
			x.state = ST_RECUSED;
		else if (!x.role)
			x.state = ST_NO_ROLE;
		else if (x.key_id <= 0)
			x.state = ST_UNRECOVERABLE;
		else
			x.state = ST_TODO;
		items_push(out, &x);
	}
	rc = step == DB_DONE ? 0 : -1;
out:
	db_finalize(st);
	db_finalize(chk);
	return rc;
}

/* Appends the assessments whose evidence key is sealed to `from` (of
 * org_code when not ""), as src/assess judges them for `to`. Inside the
 * caller's transaction. 0, or -1 (db error recorded). */
static int collect_assessments(db_t *db, int64_t from, int64_t to, const char *org_code,
			       struct items *out)
{
	static const enum state as[] = {
		[ASSESS_RECOVER_TODO] = ST_TODO, [ASSESS_RECOVER_ALREADY] = ST_ALREADY,
		[ASSESS_RECOVER_NO_ROLE] = ST_NO_ROLE,
		[ASSESS_RECOVER_UNRECOVERABLE] = ST_UNRECOVERABLE};
	struct assess_recover_item *v;
	size_t n;
	if (assess_recover_list(db, from, to, org_code, &v, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct item x = {.id = v[i].id, .kind = K_ASSESS, .key_id = v[i].recovery_key_id,
				 .state = as[v[i].state]};
		items_push(out, &x);
	}
	free(v);
	return 0;
}

/* Reads the reports sealed to from (of org_code when not "") with what a
 * recovery for `to` would do with each, then the cases and assessments.
 * Inside the caller's transaction. 0, or -1 (db error recorded). */
static int collect(db_t *db, int64_t from, int64_t to, const char *org_code, struct items *out)
{
	db_stmt_t *st = NULL, *chk = NULL;
	struct idset recused;
	int step, rc = -1;
	memset(out, 0, sizeof *out);
	if (recusals_of(db, to, &recused) != 0)
		return -1;
	if (db_prepare(db, "SELECT r.id, r.org_id, (SELECT coalesce(k2.recovery_key_id, 0) "
			   "FROM report_key k2 WHERE k2.report_id = r.id AND k2.holder = 'recovery'), "
			   "EXISTS (SELECT 1 FROM report_key k3 WHERE k3.report_id = r.id AND "
			   "k3.holder = 'account' AND k3.account_id = ?2) "
			   "FROM report r JOIN report_key k ON k.report_id = r.id "
			   "AND k.holder = 'account' AND k.account_id = ?1 ORDER BY r.id", &st) != 0 ||
	    db_prepare(db, REPORT_CHECK_SQL, &chk) != 0 || db_bind_i64(st, 1, from) != 0 ||
	    db_bind_i64(st, 2, to) != 0)
		goto out;
	while ((step = db_step(st)) == DB_ROW) {
		struct item x = {.id = db_col_i64(st, 0), .key_id = db_col_i64(st, 2)};
		int64_t org_id = db_col_i64(st, 1);
		int held = db_col_i64(st, 3) != 0;
		if (db_reset(chk) != 0 || db_bind_i64(chk, 1, org_id) != 0 ||
		    db_bind_i64(chk, 2, to) != 0 ||
		    (*org_code ? db_bind_text(chk, 3, org_code, (size_t)-1) :
				 db_bind_null(chk, 3)) != 0 ||
		    db_step(chk) != DB_ROW)
			goto out;
		int in_org = db_col_i64(chk, 0) != 0, may = db_col_i64(chk, 1) != 0;
		if (!in_org)
			continue;
		if (held && from != to)
			x.state = ST_ALREADY;
		else if (idset_has(&recused, x.id))
			x.state = ST_RECUSED;
		else if (!may)
			x.state = ST_NO_ROLE;
		else if (x.key_id <= 0)
			x.state = ST_UNRECOVERABLE;
		else
			x.state = ST_TODO;
		items_push(out, &x);
	}
	if (step != DB_DONE)
		goto out;
	rc = collect_cases(db, from, to, org_code, &recused, out) != 0 ||
	     collect_assessments(db, from, to, org_code, out) != 0 ? -1 : 0;
out:
	db_finalize(st);
	db_finalize(chk);
	free(recused.v);
	if (rc != 0) {
		free(out->v);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* The index in p->needs of recovery key id, or -1. */
static int need_of(const struct keys_plan *p, int64_t id)
{
	for (size_t i = 0; i < p->nneeds; i++)
		if (p->needs[i].key.id == id)
			return (int)i;
	return -1;
}

/* ---- begin ---- */

/* The stored spelling of an organisation code that names (or named) an
 * organisation, into out. */
static int find_org(db_t *db, const char *code, char out[ORG_CODE_MAX + 1], struct keys_error *e)
{
	struct org_error oe;
	db_stmt_t *st;
	if (org_check_code("--org", code, &oe) != 0)
		return keys_fail(e, KEYS_EINVALID, "%s", oe.msg);
	if (db_prepare(db, "SELECT code FROM org WHERE code = ? ORDER BY id DESC LIMIT 1", &st) != 0)
		return keys_fail_db(db, e);
	int step = db_bind_text(st, 1, code, (size_t)-1) == 0 ? db_step(st) : -1;
	if (step == DB_ROW)
		snprintf(out, ORG_CODE_MAX + 1, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (step < 0)
		return keys_fail_db(db, e);
	if (step == DB_DONE)
		return keys_fail(e, KEYS_ENOTFOUND, "no organisation has or had the code '%s': see "
				 "'probity org list --all'", code);
	return 0;
}

/* The plan's counters of one kind of item. */
struct counts {
	int64_t *all, *todo, *already, *no_role, *recused, *unrecoverable;
};

static struct counts counts_of(struct keys_plan *p, enum kind k, int64_t *never)
{
	switch (k) {
	case K_CASE:
		return (struct counts){&p->cases, &p->cases_todo, &p->cases_already,
				       &p->cases_no_role, &p->cases_recused,
				       &p->cases_unrecoverable};
	case K_ASSESS: /* nobody excludes anyone from an assessment: never counted */
		return (struct counts){&p->assessments, &p->assessments_todo,
				       &p->assessments_already, &p->assessments_no_role, never,
				       &p->assessments_unrecoverable};
	case K_REPORT:
	default:
		return (struct counts){&p->sealed, &p->todo, &p->already, &p->no_role, &p->recused,
				       &p->unrecoverable};
	}
}

static const char *const kind_word[] = {[K_REPORT] = "report", [K_CASE] = "case",
					[K_ASSESS] = "assessment"};

/* Fills the plan's counts and needs from the collected items. */
static int plan_from(db_t *db, struct keys_plan *p, const struct items *it, struct keys_error *e)
{
	int64_t never = 0;
	for (size_t i = 0; i < it->n; i++) {
		const struct item *x = &it->v[i];
		struct counts c = counts_of(p, x->kind, &never);
		(*c.all)++;
		switch (x->state) {
		case ST_ALREADY: (*c.already)++; continue;
		case ST_NO_ROLE: (*c.no_role)++; continue;
		case ST_RECUSED: (*c.recused)++; continue;
		case ST_UNRECOVERABLE: (*c.unrecoverable)++; continue;
		case ST_TODO: break;
		}
		(*c.todo)++;
		int k = need_of(p, x->key_id);
		if (k < 0) {
			if (p->nneeds == KEYS_RECOVER_KEYS_MAX)
				return keys_fail(e, KEYS_ECONFLICT, "these reports, cases and assessments "
						 "are sealed to more than %d recovery keys: recover them "
						 "in parts with --org", KEYS_RECOVER_KEYS_MAX);
			k = (int)p->nneeds;
			int r = keys_load_key(db, x->key_id, &p->needs[k].key, e);
			if (r > 0)
				return keys_fail(e, KEYS_EDAMAGED, "%s %" PRId64 " is sealed to "
						 "recovery key %" PRId64 ", which does not exist",
						 kind_word[x->kind], x->id, x->key_id);
			if (r < 0)
				return -1;
			p->nneeds++;
		}
		struct keys_key *kk = &p->needs[k].key;
		if (x->kind == K_CASE)
			kk->cases++;
		else if (x->kind == K_ASSESS)
			kk->assessments++;
		else
			kk->reports++;
	}
	return 0;
}

int keys_recovery_begin(db_t *db, const char *from_user, const char *to_user,
			const char *org_code, struct keys_recovery **out, struct keys_error *e)
{
	struct keys_recovery *r = NULL;
	struct items it = {0};
	*out = NULL;
	e->code = KEYS_OK;
	e->msg[0] = '\0';
	if (!from_user || !to_user)
		return keys_fail(e, KEYS_EINVALID, "give the departed handler and the successor");
	if (db_begin_read(db) != 0)
		return keys_fail_db(db, e);
	r = xcalloc(1, sizeof *r);
	struct keys_plan *p = &r->plan;
	if (keys_find_account(db, from_user, &p->from, e) != 0 ||
	    keys_find_account(db, to_user, &p->to, e) != 0 ||
	    (org_code && *org_code && find_org(db, org_code, p->org_code, e) != 0))
		goto fail;
	if (p->to.disabled) {
		keys_fail(e, KEYS_ECONFLICT, "account %s is disabled: a successor must be able to "
			  "sign in", p->to.username);
		goto fail;
	}
	if (collect(db, p->from.id, p->to.id, p->org_code, &it) != 0) {
		keys_fail_db(db, e);
		goto fail;
	}
	if (plan_from(db, p, &it, e) != 0)
		goto fail;
	db_rollback(db); /* ends the read snapshot */
	free(it.v);
	r->shares = vault_secure_alloc(KEYS_RECOVER_KEYS_MAX * RECOVERY_N_MAX *
				       sizeof *r->shares);
	*out = r;
	return 0;
fail:
	db_rollback(db);
	free(it.v);
	free(r);
	return -1;
}

const struct keys_plan *keys_recovery_plan(const struct keys_recovery *r)
{
	return &r->plan;
}

int keys_recovery_ready(const struct keys_recovery *r)
{
	for (size_t i = 0; i < r->plan.nneeds; i++)
		if (r->plan.needs[i].joined < r->plan.needs[i].key.k)
			return 0;
	return 1;
}

void keys_recovery_free(struct keys_recovery *r)
{
	if (!r)
		return;
	if (r->shares)
		vault_secure_free(r->shares);
	free(r);
}

/* ---- join ---- */

/* "a, b, c": the custodians of k into out. */
static void names_of(const struct keys_key *k, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < k->n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "",
					k->custodians[i].username);
}

/* The share number account id holds of k, or 0. */
static unsigned share_of(const struct keys_key *k, int64_t id)
{
	for (unsigned i = 0; i < k->n; i++)
		if (k->custodians[i].account_id == id)
			return k->custodians[i].x;
	return 0;
}

/* Why account a may not join: not a custodian of any needed key, or only of
 * keys that have enough custodians. */
static int not_needed(const struct keys_recovery *r, const struct account *a,
		      struct keys_error *e)
{
	char list[300];
	size_t len = 0;
	int holds = 0;
	list[0] = '\0';
	for (size_t i = 0; i < r->plan.nneeds; i++) {
		const struct keys_need *nd = &r->plan.needs[i];
		holds |= share_of(&nd->key, a->id) != 0;
		if (nd->joined >= nd->key.k || len >= sizeof list)
			continue;
		char names[RECOVERY_N_MAX * (ACCOUNT_USERNAME_MAX + 2)];
		names_of(&nd->key, names, sizeof names);
		len += (size_t)snprintf(list + len, sizeof list - len, "%skey %s: %s",
					len ? "; " : "", nd->key.fingerprint, names);
	}
	if (holds)
		return keys_fail(e, KEYS_ECONFLICT, "%s is not needed: the keys %s holds a share of "
				 "have enough custodians; still needed: %s", a->username,
				 a->username, list);
	return keys_fail(e, KEYS_ECONFLICT, "%s is not a custodian of the recovery key needed "
			 "(%s)", a->username, list);
}

/* Opens account a's share of need i with its key pair into out. */
static int open_share(db_t *db, const struct keys_need *nd, const struct account *a,
		      const unsigned char pk[ACCOUNT_KEY_BYTES],
		      const unsigned char sk[ACCOUNT_KEY_BYTES], struct recovery_share *out,
		      struct keys_error *e)
{
	db_stmt_t *st;
	unsigned x = share_of(&nd->key, a->id);
	if (db_prepare(db, "SELECT sealed FROM recovery_share WHERE key_id = ? AND account_id = ?",
		       &st) != 0)
		return keys_fail_db(db, e);
	int step = db_bind_i64(st, 1, nd->key.id) == 0 && db_bind_i64(st, 2, a->id) == 0 ?
		   db_step(st) : -1;
	if (step != DB_ROW) {
		db_finalize(st);
		return step < 0 ? keys_fail_db(db, e) :
		       keys_fail(e, KEYS_EDAMAGED, "the share of %s for key %s vanished",
				 a->username, nd->key.fingerprint);
	}
	int opened = recovery_open_share(db_col_blob(st, 0), db_col_bytes(st, 0), pk, sk,
					 nd->key.public_key, out);
	db_finalize(st);
	if (opened != 0)
		/* sealed to the account's key pair of the day the key was made: an
		 * administrator's password reset since then made a new pair */
		return keys_fail(e, KEYS_ECONFLICT, "the share of %s for key %s does not open: most "
				 "likely an administrator reset %s's password after the key was made "
				 "(a reset makes a new key pair); another custodian must join",
				 a->username, nd->key.fingerprint, a->username);
	if (out->x != x || out->k != nd->key.k || out->n != nd->key.n) {
		sodium_memzero(out, sizeof *out);
		return keys_fail(e, KEYS_EDAMAGED, "the share of %s for key %s is not the one "
				 "stored for them", a->username, nd->key.fingerprint);
	}
	return 0;
}

/* Checks a's password as a sign-in does; on success sk holds a's secret key. */
static int unlock(db_t *db, const struct audit_signer *s, const struct account *a,
		  const char *password, unsigned char sk[ACCOUNT_KEY_BYTES], struct keys_error *e)
{
	struct account got;
	int has_totp = 0;
	time_t until = 0;
	char ts[TIMESTAMP_LEN + 1];
	switch (accounts_login(db, s, a->username, password, &got, sk, NULL, &has_totp, &until)) {
	case ACCOUNT_LOGIN_OK:
		return 0;
	case ACCOUNT_LOGIN_BAD:
		return keys_fail(e, KEYS_EPASSWORD, "wrong password for %s", a->username);
	case ACCOUNT_LOGIN_LOCKED:
		timestamp_format(until, ts);
		return keys_fail(e, KEYS_ELOCKED, "account %s is locked after too many wrong "
				 "passwords: try again after %s", a->username, ts);
	case ACCOUNT_LOGIN_DISABLED:
		return keys_fail(e, KEYS_ECONFLICT, "account %s is disabled: another custodian must "
				 "join, or an administrator enables it for the recovery",
				 a->username);
	default:
		return keys_fail_db(db, e);
	}
}

struct join_secrets {
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct recovery_share opened[KEYS_RECOVER_KEYS_MAX];
};

int keys_recovery_join(db_t *db, const struct audit_signer *s, struct keys_recovery *r,
		       const char *username, const char *password, struct keys_error *e)
{
	struct account a;
	unsigned char pk[ACCOUNT_KEY_BYTES];
	int useful[KEYS_RECOVER_KEYS_MAX] = {0}, any = 0, rc = -1;
	e->code = KEYS_OK;
	e->msg[0] = '\0';
	if (!username || !password)
		return keys_fail(e, KEYS_EINVALID, "give the custodian's username and password");
	if (keys_find_account(db, username, &a, e) != 0)
		return -1;
	for (size_t i = 0; i < r->njoined; i++)
		if (r->joined[i] == a.id)
			return keys_fail(e, KEYS_ECONFLICT, "%s has joined already: each custodian "
					 "counts once", a.username);
	for (size_t i = 0; i < r->plan.nneeds; i++) {
		const struct keys_need *nd = &r->plan.needs[i];
		useful[i] = nd->joined < nd->key.k && share_of(&nd->key, a.id) != 0;
		any |= useful[i];
	}
	/* refused before the password is tried: no lock counts against them */
	if (!any)
		return not_needed(r, &a, e);

	struct join_secrets *sec = vault_secure_alloc(sizeof *sec);
	if (unlock(db, s, &a, password, sec->sk, e) != 0)
		goto out;
	int found = accounts_public_key(db, a.id, pk);
	if (found != 0) {
		found < 0 ? keys_fail_db(db, e) :
			    keys_fail(e, KEYS_ENOTFOUND, "account %s vanished", a.username);
		goto out;
	}
	/* all shares open, or none is taken */
	for (size_t i = 0; i < r->plan.nneeds; i++)
		if (useful[i] && open_share(db, &r->plan.needs[i], &a, pk, sec->sk,
					    &sec->opened[i], e) != 0)
			goto out;
	for (size_t i = 0; i < r->plan.nneeds; i++) {
		if (!useful[i])
			continue;
		struct keys_need *nd = &r->plan.needs[i];
		r->shares[i * RECOVERY_N_MAX + nd->joined++] = sec->opened[i];
	}
	r->joined[r->njoined++] = a.id;
	rc = 0;
out:
	vault_secure_free(sec);
	return rc;
}

/* ---- finish ---- */

void keys_result_free(struct keys_result *res)
{
	free(res->skipped);
	free(res->cases_skipped);
	free(res->assessments_skipped);
	memset(res, 0, sizeof *res);
}

static void skip(struct keys_result *res, const struct item *x, enum keys_skip why)
{
	struct keys_skipped **v = &res->skipped;
	size_t *n = &res->nskipped;
	if (x->kind == K_CASE) {
		v = &res->cases_skipped;
		n = &res->ncases_skipped;
	} else if (x->kind == K_ASSESS) {
		v = &res->assessments_skipped;
		n = &res->nassessments_skipped;
	}
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = (struct keys_skipped){x->id, why};
}

/* Too few custodians of some key: names the first such key and who may join. */
static int too_few(const struct keys_recovery *r, struct keys_error *e)
{
	for (size_t i = 0; i < r->plan.nneeds; i++) {
		const struct keys_need *nd = &r->plan.needs[i];
		if (nd->joined >= nd->key.k)
			continue;
		char names[RECOVERY_N_MAX * (ACCOUNT_USERNAME_MAX + 2)];
		names_of(&nd->key, names, sizeof names);
		return keys_fail(e, KEYS_ECONFLICT, "too few custodians joined: key %s needs %u of "
				 "its custodians (%s), %u joined; nothing was changed",
				 nd->key.fingerprint, nd->key.k, names, nd->joined);
	}
	return 0;
}

/* What finish keeps secret, in guarded memory. */
struct finish_secrets {
	unsigned char sk[KEYS_RECOVER_KEYS_MAX][RECOVERY_KEY_BYTES];
	unsigned char report_key[ENVELOPE_KEY_BYTES];  /* a report's, case's or assessment's */
};

/* Inside the transaction: opens the recovery seal of report id with need nd's
 * recombined key sk and writes the key sealed to `to` (pk). */
static int reseal(db_t *db, const struct keys_plan *p, const struct keys_need *nd,
		  const unsigned char sk[RECOVERY_KEY_BYTES], const unsigned char pk[32], int64_t id,
		  unsigned char key[ENVELOPE_KEY_BYTES], struct keys_error *e)
{
	unsigned char sealed[ENVELOPE_SEALED_PK_BYTES];
	db_stmt_t *st;
	if (db_prepare(db, "SELECT sealed FROM report_key WHERE report_id = ? AND "
			   "holder = 'recovery' AND recovery_key_id = ?", &st) != 0)
		return keys_fail_db(db, e);
	int step = db_bind_i64(st, 1, id) == 0 && db_bind_i64(st, 2, nd->key.id) == 0 ?
		   db_step(st) : -1;
	int opened = step == DB_ROW ?
		     envelope_open_with_sk(ENVELOPE_RECOVERY, nd->key.public_key, sk, id,
					   db_col_blob(st, 0), db_col_bytes(st, 0), key) : -1;
	db_finalize(st);
	if (step < 0)
		return keys_fail_db(db, e);
	if (opened != 0)
		return keys_fail(e, KEYS_EDAMAGED, "the recovery seal of report %" PRId64 " does not "
				 "open with key %s: the row is damaged or was changed; nothing was "
				 "changed", id, nd->key.fingerprint);
	int sealed_ok = envelope_seal_to_pk(ENVELOPE_HANDLER, pk, id, key, sealed);
	sodium_memzero(key, ENVELOPE_KEY_BYTES);
	if (sealed_ok != 0)
		return keys_fail(e, KEYS_EDAMAGED, "account %s has an unusable public key",
				 p->to.username);
	/* the same account: its old row is sealed to a key pair a password reset
	 * replaced, so the new seal takes its place */
	if (db_prepare(db, p->from.id == p->to.id ?
			   "UPDATE report_key SET sealed = ?1 WHERE report_id = ?2 AND "
			   "holder = 'account' AND account_id = ?3" :
			   "INSERT INTO report_key (sealed, report_id, holder, account_id) "
			   "VALUES (?1, ?2, 'account', ?3)", &st) != 0)
		return keys_fail_db(db, e);
	int ok = db_bind_blob(st, 1, sealed, sizeof sealed) == 0 && db_bind_i64(st, 2, id) == 0 &&
		 db_bind_i64(st, 3, p->to.id) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok)
		return keys_fail_db(db, e);
	if (db_changes(db) != 1) /* the row read a moment ago in this transaction */
		return keys_fail(e, KEYS_EDAMAGED, "the sealed key of %s for report %" PRId64
				 " vanished", p->to.username, id);
	return 0;
}

/* Inside the transaction: opens the recovery seal of case x with need nd's
 * recombined key sk and seals the case key to `to` (pk): a new member of
 * the team in x->role with their sealed key and a "case.member-add" entry
 * by actor on the case, or, when FROM is TO, their sealed key replaced. */
static int reseal_case(db_t *db, const struct audit_signer *s, const char *actor,
		       const struct keys_plan *p, const struct keys_need *nd,
		       const unsigned char sk[RECOVERY_KEY_BYTES], const unsigned char pk[32],
		       const struct item *x, unsigned char key[ENVELOPE_KEY_BYTES],
		       struct keys_error *e)
{
	unsigned char sealed[ENVELOPE_SEALED_PK_BYTES];
	char today[DATE_LEN + 1], detail[128], oid[24];
	db_stmt_t *st;
	int64_t id = x->id;
	if (db_prepare(db, "SELECT sealed FROM case_key WHERE case_id = ? AND "
			   "holder = 'recovery' AND recovery_key_id = ?", &st) != 0)
		return keys_fail_db(db, e);
	int step = db_bind_i64(st, 1, id) == 0 && db_bind_i64(st, 2, nd->key.id) == 0 ?
		   db_step(st) : -1;
	int opened = step == DB_ROW ?
		     envelope_open_with_sk(ENVELOPE_CASE_RECOVERY, nd->key.public_key, sk, id,
					   db_col_blob(st, 0), db_col_bytes(st, 0), key) : -1;
	db_finalize(st);
	if (step < 0)
		return keys_fail_db(db, e);
	if (opened != 0)
		return keys_fail(e, KEYS_EDAMAGED, "the recovery seal of case %" PRId64 " does not "
				 "open with key %s: the row is damaged or was changed; nothing was "
				 "changed", id, nd->key.fingerprint);
	int sealed_ok = envelope_seal_to_pk(ENVELOPE_CASE_MEMBER, pk, id, key, sealed);
	sodium_memzero(key, ENVELOPE_KEY_BYTES);
	if (sealed_ok != 0)
		return keys_fail(e, KEYS_EDAMAGED, "account %s has an unusable public key",
				 p->to.username);
	if (p->from.id == p->to.id) {
		/* sealed to the key pair a password reset replaced */
		if (db_prepare(db, "UPDATE case_key SET sealed = ?1 WHERE case_id = ?2 AND "
				   "holder = 'account' AND account_id = ?3", &st) != 0)
			return keys_fail_db(db, e);
		int ok = db_bind_blob(st, 1, sealed, sizeof sealed) == 0 &&
			 db_bind_i64(st, 2, id) == 0 && db_bind_i64(st, 3, p->to.id) == 0 &&
			 db_step(st) == DB_DONE;
		db_finalize(st);
		if (!ok)
			return keys_fail_db(db, e);
		if (db_changes(db) != 1)
			return keys_fail(e, KEYS_EDAMAGED, "the sealed key of %s for case %" PRId64
					 " vanished", p->to.username, id);
		return 0;
	}
	/* a new member, as cases_member_add makes one: the row (added_by empty:
	 * no member added them; the audit entry says who did), then the key */
	date_today(today);
	if (db_prepare(db, "INSERT INTO case_member (case_id, account_id, role_in_case, added_on) "
			   "VALUES (?, ?, ?, ?)", &st) != 0)
		return keys_fail_db(db, e);
	int ok = db_bind_i64(st, 1, id) == 0 && db_bind_i64(st, 2, p->to.id) == 0 &&
		 db_bind_text(st, 3, x->role, (size_t)-1) == 0 &&
		 db_bind_text(st, 4, today, (size_t)-1) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok || db_prepare(db, "INSERT INTO case_key (case_id, holder, account_id, sealed) "
				  "VALUES (?, 'account', ?, ?)", &st) != 0)
		return keys_fail_db(db, e);
	ok = db_bind_i64(st, 1, id) == 0 && db_bind_i64(st, 2, p->to.id) == 0 &&
	     db_bind_blob(st, 3, sealed, sizeof sealed) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok)
		return keys_fail_db(db, e);
	snprintf(detail, sizeof detail, "account %" PRId64 " as %s by recovery from account %"
		 PRId64, p->to.id, x->role, p->from.id);
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct audit_entry ae = {.actor = actor, .action = "case.member-add", .object_type = "case",
				 .object_id = oid, .detail = detail};
	if (audit_append(db, s, &ae) != 0)
		return keys_fail_db(db, e);
	return 0;
}

/* Inside the transaction: assessment id's evidence key, opened with need
 * nd's recombined key sk, sealed to `to` (pk) by src/assess, which owns the
 * table and writes the "assess.key_share" entry on the assessment. */
static int reseal_assessment(db_t *db, const struct audit_signer *s, const char *actor,
			     const struct keys_plan *p, const struct keys_need *nd,
			     const unsigned char sk[RECOVERY_KEY_BYTES], const unsigned char pk[32],
			     int64_t id, unsigned char key[ENVELOPE_KEY_BYTES], struct keys_error *e)
{
	struct assess_error ae;
	if (assess_key_recover(db, s, actor, id, p->from.id, p->to.id, pk, nd->key.id,
			       nd->key.public_key, sk, key, &ae) == 0)
		return 0;
	if (ae.code == ASSESS_EDB)
		return keys_fail_db(db, e);
	if (ae.code == ASSESS_EDAMAGED && strstr(ae.msg, "unusable public key"))
		return keys_fail(e, KEYS_EDAMAGED, "account %s has an unusable public key",
				 p->to.username);
	return keys_fail(e, KEYS_EDAMAGED, "%s (key %s); nothing was changed", ae.msg,
			 nd->key.fingerprint);
}

/* The audit entry of a finished recovery, inside the transaction. */
static int audit_recover(db_t *db, const struct audit_signer *s, const char *actor,
			 const struct keys_recovery *r, const struct keys_result *res)
{
	const struct keys_plan *p = &r->plan;
	char detail[AUDIT_MAX_FIELD + 1], oid[24];
	size_t len = (size_t)snprintf(detail, sizeof detail, "from=%" PRId64 " to=%" PRId64
				      " org=%s reports=%" PRId64 " skipped=%zu",
				      p->from.id, p->to.id, *p->org_code ? p->org_code : "all",
				      res->resealed, res->nskipped);
	/* the cases part only when FROM was on a team: a recovery of reports
	 * alone reads as it did before cases existed */
	if (p->cases)
		len += (size_t)snprintf(detail + len, sizeof detail - len, " cases=%" PRId64
					" cases-skipped=%zu", res->cases_resealed,
					res->ncases_skipped);
	/* the assessments' part likewise only when FROM held an assessment key */
	if (p->assessments && len < sizeof detail)
		len += (size_t)snprintf(detail + len, sizeof detail - len, " assessments=%" PRId64
					" assessments-skipped=%zu", res->assessments_resealed,
					res->nassessments_skipped);
	if (len < sizeof detail)
		len += (size_t)snprintf(detail + len, sizeof detail - len, " keys=");
	for (size_t i = 0; i < p->nneeds && len < sizeof detail; i++)
		len += (size_t)snprintf(detail + len, sizeof detail - len, "%s%" PRId64,
					i ? "," : "", p->needs[i].key.id);
	if (len < sizeof detail)
		len += (size_t)snprintf(detail + len, sizeof detail - len, " custodians=");
	for (size_t i = 0; i < r->njoined && len < sizeof detail; i++)
		len += (size_t)snprintf(detail + len, sizeof detail - len, "%s%" PRId64,
					i ? "," : "", r->joined[i]);
	if (len >= AUDIT_MAX_FIELD)
		/* cannot happen within the limits (8 keys, 128 custodians with ids
		 * of up to 6 digits); refused rather than cut */
		return db_fail(db, DBE_GENERIC, "the audit detail of this recovery is too long");
	snprintf(oid, sizeof oid, "%" PRId64, p->to.id);
	struct audit_entry ae = {.actor = actor, .action = "keys.recover", .object_type = "account",
				 .object_id = oid, .detail = detail};
	return audit_append(db, s, &ae);
}

/* Inside the transaction: walks the reports and cases again and reseals
 * what is to be done. */
static int reseal_all(db_t *db, const struct audit_signer *s, const char *actor,
		      struct keys_recovery *r, struct finish_secrets *sec, struct keys_result *res,
		      struct keys_error *e)
{
	const struct keys_plan *p = &r->plan;
	unsigned char pk[ACCOUNT_KEY_BYTES];
	struct items it;
	struct account now;
	int rc = -1;
	int found = accounts_get(db, p->to.id, &now);
	if (found != 0)
		return found < 0 ? keys_fail_db(db, e) :
		       keys_fail(e, KEYS_ENOTFOUND, "account %s vanished", p->to.username);
	if (now.disabled)
		return keys_fail(e, KEYS_ECONFLICT, "account %s was disabled meanwhile: nothing was "
				 "changed", p->to.username);
	if ((found = accounts_public_key(db, p->to.id, pk)) != 0)
		return found < 0 ? keys_fail_db(db, e) :
		       keys_fail(e, KEYS_ENOTFOUND, "account %s vanished", p->to.username);
	if (collect(db, p->from.id, p->to.id, p->org_code, &it) != 0)
		return keys_fail_db(db, e);
	for (size_t i = 0; i < it.n; i++) {
		const struct item *x = &it.v[i];
		int k;
		switch (x->state) {
		case ST_ALREADY:
			if (x->kind == K_CASE)
				res->cases_already++;
			else if (x->kind == K_ASSESS)
				res->assessments_already++;
			else
				res->already++;
			continue;
		case ST_NO_ROLE:
			skip(res, x, KEYS_SKIP_NO_ROLE);
			continue;
		case ST_RECUSED:
			skip(res, x, KEYS_SKIP_RECUSED);
			continue;
		case ST_UNRECOVERABLE:
			skip(res, x, KEYS_SKIP_UNRECOVERABLE);
			continue;
		case ST_TODO:
			if ((k = need_of(p, x->key_id)) < 0) {
				skip(res, x, KEYS_SKIP_NOT_JOINED);
				continue;
			}
			if (x->kind == K_CASE) {
				if (reseal_case(db, s, actor, p, &p->needs[k], sec->sk[k], pk, x,
						sec->report_key, e) != 0)
					goto out;
				res->cases_resealed++;
				continue;
			}
			if (x->kind == K_ASSESS) {
				if (reseal_assessment(db, s, actor, p, &p->needs[k], sec->sk[k], pk,
						      x->id, sec->report_key, e) != 0)
					goto out;
				res->assessments_resealed++;
				continue;
			}
			if (reseal(db, p, &p->needs[k], sec->sk[k], pk, x->id, sec->report_key,
				   e) != 0)
				goto out;
			res->resealed++;
		}
	}
	rc = 0;
out:
	free(it.v);
	return rc;
}

int keys_recovery_finish(db_t *db, const struct audit_signer *s, const char *actor,
			 struct keys_recovery *r, struct keys_result *res, struct keys_error *e)
{
	const struct keys_plan *p = &r->plan;
	struct finish_secrets *sec = NULL;
	int rc = -1;
	memset(res, 0, sizeof *res);
	e->code = KEYS_OK;
	e->msg[0] = '\0';
	if (p->todo == 0 && p->cases_todo == 0 && p->assessments_todo == 0)
		return 0; /* nothing to reseal: no key is recombined, nothing written */
	if (too_few(r, e) != 0)
		return -1;
	sec = vault_secure_alloc(sizeof *sec);
	for (size_t i = 0; i < p->nneeds; i++)
		if (recovery_combine(&r->shares[i * RECOVERY_N_MAX], p->needs[i].joined, sec->sk[i],
				     p->needs[i].key.public_key) != 0) {
			keys_fail(e, KEYS_EDAMAGED, "the shares of key %s do not recombine to it: "
				  "nothing was changed", p->needs[i].key.fingerprint);
			goto out;
		}
	if (db_begin(db) != 0) {
		keys_fail_db(db, e);
		goto out;
	}
	if (reseal_all(db, s, actor, r, sec, res, e) != 0)
		goto rollback;
	if (audit_recover(db, s, actor, r, res) != 0 || db_commit(db) != 0) {
		keys_fail_db(db, e);
		goto rollback;
	}
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
	keys_result_free(res);
out:
	if (sec)
		vault_secure_free(sec);
	return rc;
}
