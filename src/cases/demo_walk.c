/* demo_walk.c: carries out the checked plans of demo.c (demo_plan.h) through
 * the case storage (cases.h), as the case pages would: the demo signs in as
 * the team (the demo's printed passwords unwrap their secret keys), opens
 * each case on its back-dated day, and walks it along the normal route.
 *
 * Who works a phase: the coordinator in the first phase (who opened the
 * case) and in the terminal one (who closes it); else the first
 * investigator where investigators may move the case on, else the
 * coordinator where coordinators may, else the competent authority. The
 * worker ticks the checklist, adds the records and moves the case; steps of
 * people's rights are a member's (the coordinator's when the authority
 * works), the outcome and the shared summary the coordinator's, the
 * decision the authority's.
 *
 * Dates: the storage takes the day of a move, tick, step, share, decision
 * and closing, so those are back-dated: work on the day the case leaves the
 * phase, steps from the day after it entered, two days apart. Records and
 * notes carry the time they are written. */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "crypto/vault.h"
#include "cases/cases.h"
#include "cases/demo_plan.h"

/* A demo account signed in: its id and unwrapped secret key. */
struct signed_in {
	int ok;
	int64_t id;
	unsigned char sk[ACCOUNT_KEY_BYTES];
};

/* Everything secret of the walk, in one secure allocation. */
struct walk_secrets {
	struct signed_in acc[ACCOUNT_DEMO_MAX];
	struct cases_key kc, ki, ka;   /* coordinator's, investigator's, authority's */
};

/* Who does something: the key they opened the case with, and their id. */
struct actor {
	const struct cases_key *k;
	int64_t id;
};

struct walk {
	db_t *db;
	const struct audit_signer *signer;
	const struct demo_plan *pl;
	const struct demo_input *in;
	const struct jsondoc_err *e;
	char path[JSONDOC_PATH_MAX];
	struct walk_secrets *sec;
	const char *today;
	int64_t case_id;
	int64_t person[DEMO_MAX_PEOPLE];
	unsigned taken[DEMO_MAX_PEOPLE];  /* bit 1u << step */
};

static int wfail(const struct walk *w, const char *what, const struct cases_error *ce)
{
	return jsondoc_fail(w->e, w->path, "%s: %s", what, ce->msg);
}

static struct actor coordinator(const struct walk *w)
{
	return (struct actor){&w->sec->kc, w->sec->acc[w->pl->coordinator].id};
}

static struct actor investigator(const struct walk *w)
{
	return (struct actor){&w->sec->ki, w->sec->acc[w->pl->investigators[0]].id};
}

static struct actor authority(const struct walk *w)
{
	return (struct actor){&w->sec->ka, w->sec->acc[w->pl->authority].id};
}

/* Who works route place k (see the top of the file). */
static struct actor worker(const struct walk *w, size_t k)
{
	unsigned movers = w->pl->protocol->phases[w->pl->route[k]].movers;
	if (k == 0 || movers == 0)
		return coordinator(w);
	if (w->pl->ninvestigators && (movers & role_mask(ROLE_INVESTIGATOR)))
		return investigator(w);
	if (movers & role_mask(ROLE_INTEGRITY_COORDINATOR))
		return coordinator(w);
	return authority(w);
}

/* The nth step of a person in a phase entered on `from`: two days apart from
 * the day after, but not after `until`. */
static void step_day(const char *from, const char *until, size_t nth, char out[DATE_LEN + 1])
{
	if (date_add_days(from, 1 + 2 * (int64_t)nth, out) != 0 || strcmp(out, until) > 0)
		snprintf(out, DATE_LEN + 1, "%s", until);
}

static int take_step(struct walk *w, const struct actor *a, size_t i, enum cases_step s,
		     const char *on)
{
	struct cases_error ce;
	if (cases_person_step(w->db, w->signer, a->k, a->id, w->person[i], s, on, on, &ce) != 0) {
		char what[64];
		snprintf(what, sizeof what, "people[%zu] %s", i, cases_step_name(s));
		return wfail(w, what, &ce);
	}
	w->taken[i] |= 1u << s;
	return 0;
}

/* The rights steps of route place k: every one due in a phase the case
 * leaves, the listed ones in the current phase. */
static int steps(struct walk *w, size_t k, const struct actor *a, const char *until)
{
	const struct demo_plan *pl = w->pl;
	const struct cases_phase *ph = &pl->protocol->phases[pl->route[k]];
	for (size_t i = 0; i < pl->npeople; i++) {
		const struct demo_person *dp = &pl->people[i];
		size_t nth = 0;
		char on[DATE_LEN + 1];
		if (demo_finished(pl, k)) {
			unsigned due = demo_phase_steps(ph, dp->party);
			/* enum order keeps each step after the one it needs */
			for (int s = 0; s < CASES_STEP_COUNT; s++) {
				if (!(due & (1u << s)) || (w->taken[i] & (1u << s)))
					continue;
				step_day(pl->entry[k], until, nth++, on);
				if (take_step(w, a, i, (enum cases_step)s, on) != 0)
					return -1;
			}
			continue;
		}
		for (size_t j = 0; j < dp->nsteps; j++) {
			step_day(pl->entry[k], until, nth++, on);
			if (take_step(w, a, i, dp->steps[j], on) != 0)
				return -1;
		}
	}
	return 0;
}

/* The records the plan gives for route place k. */
static int records(struct walk *w, size_t k, const struct actor *a)
{
	const char *type;
	json_t *texts;
	json_object_foreach(w->pl->records, type, texts) {
		int t = cases_protocol_record_type(w->pl->protocol, type);
		if (demo_record_phase(w->pl, (size_t)t) != (int)k)
			continue;
		size_t i;
		json_t *v;
		json_array_foreach(texts, i, v) {
			struct cases_error ce;
			if (cases_record_add(w->db, w->signer, a->k, a->id, type,
					     json_string_value(v), json_string_length(v), NULL,
					     &ce) != 0) {
				char what[64];
				snprintf(what, sizeof what, "record %s", type);
				return wfail(w, what, &ce);
			}
		}
	}
	return 0;
}

/* The summary for the competent authority, shared on the day the case
 * enters route place k; then the authority's key. */
static int share(struct walk *w, size_t k)
{
	struct cases_error ce;
	struct actor c = coordinator(w);
	const struct signed_in *auth = &w->sec->acc[w->pl->authority];
	if (cases_record_add(w->db, w->signer, c.k, c.id, CASES_RECORD_SUMMARY, w->pl->summary,
			     strlen(w->pl->summary), NULL, &ce) != 0)
		return wfail(w, "summary", &ce);
	if (cases_summary_share(w->db, w->signer, c.k, c.id, auth->id, w->pl->entry[k], &ce) != 0)
		return wfail(w, "share the summary", &ce);
	if (cases_key_as_authority(w->db, w->case_id, auth->id, auth->sk, &w->sec->ka, &ce) != 0)
		return wfail(w, "the authority opens the summary", &ce);
	return 0;
}

/* Ticks the required checklist items of route place k. */
static int tick(struct walk *w, size_t k, const struct actor *a, const char *on)
{
	const struct cases_phase *ph = &w->pl->protocol->phases[w->pl->route[k]];
	for (size_t i = 0; i < ph->nchecklist; i++) {
		struct cases_error ce;
		if (!ph->checklist[i].required)
			continue;
		if (cases_check(w->db, w->signer, a->k, a->id, ph->checklist[i].id, 1, on, &ce) !=
		    0) {
			char what[64];
			snprintf(what, sizeof what, "tick %s", ph->checklist[i].id);
			return wfail(w, what, &ce);
		}
	}
	return 0;
}

/* The work of route place k, and for a phase the case leaves its move on
 * (or its closing). */
static int phase(struct walk *w, size_t k)
{
	const struct demo_plan *pl = w->pl;
	const struct cases_protocol *p = pl->protocol;
	const char *until = k + 1 < pl->nroute ? pl->entry[k + 1]
			    : pl->closed_on[0] ? pl->closed_on
					       : w->today;
	struct cases_error ce;
	struct actor c = coordinator(w);
	if ((int)k == pl->decide_at &&
	    cases_set_outcome(w->db, w->signer, c.k, c.id, pl->outcome, pl->category,
			      pl->measures, pl->nmeasures, pl->police_report, &ce) != 0)
		return wfail(w, "outcome", &ce);
	if ((int)k == pl->share_at && share(w, k) != 0)
		return -1;
	struct actor a = worker(w, k);
	struct actor member = a.k == &w->sec->ka ? c : a;
	if (steps(w, k, &member, until) != 0 || records(w, k, &member) != 0)
		return -1;
	if ((int)k == pl->decide_at && pl->decision) {
		struct actor au = authority(w);
		if (cases_decide(w->db, w->signer, au.k, au.id, pl->decision, strlen(pl->decision),
				 pl->decision_measures, pl->ndecision_measures, until, &ce) != 0)
			return wfail(w, "decision", &ce);
	}
	if (!demo_finished(pl, k))
		return 0;
	if (tick(w, k, &a, until) != 0)
		return -1;
	if (k + 1 == pl->nroute) {
		if (cases_close(w->db, w->signer, c.k, c.id, pl->closed_on, &ce) != 0)
			return wfail(w, "close", &ce);
		return 0;
	}
	const char *next = p->phases[pl->route[k + 1]].id;
	if (cases_move(w->db, w->signer, a.k, a.id, next, NULL, until, NULL, &ce) != 0) {
		char what[64];
		snprintf(what, sizeof what, "move to %s", next);
		return wfail(w, what, &ce);
	}
	return 0;
}

/* Opens the case of w->pl with its team, people and notes, and walks it. */
static int one_case(struct walk *w)
{
	const struct demo_plan *pl = w->pl;
	const struct signed_in *co = &w->sec->acc[pl->coordinator];
	struct cases_error ce;
	if (cases_open(w->db, w->signer, co->id, co->sk, pl->reports, pl->nreports, pl->protocol,
		       pl->entry[0], &w->case_id, &ce) != 0)
		return wfail(w, "open", &ce);
	if (cases_key_as_member(w->db, w->case_id, co->id, co->sk, &w->sec->kc, &ce) != 0)
		return wfail(w, "the coordinator opens the case", &ce);
	struct actor c = coordinator(w);
	for (size_t i = 0; i < pl->ninvestigators; i++)
		if (cases_member_add(w->db, w->signer, c.k, c.id,
				     w->sec->acc[pl->investigators[i]].id, "investigator",
				     pl->entry[0], &ce) != 0)
			return wfail(w, "add an investigator", &ce);
	if (pl->ninvestigators) {
		const struct signed_in *inv = &w->sec->acc[pl->investigators[0]];
		if (cases_key_as_member(w->db, w->case_id, inv->id, inv->sk, &w->sec->ki, &ce) != 0)
			return wfail(w, "the investigator opens the case", &ce);
	}
	for (size_t i = 0; i < pl->npeople; i++)
		if (cases_person_add(w->db, w->signer, c.k, c.id, &pl->people[i].in,
				     pl->entry[0], &w->person[i], &ce) != 0)
			return wfail(w, "add a person", &ce);
	size_t i;
	json_t *v;
	json_array_foreach(pl->notes, i, v)
		if (cases_note_add(w->db, w->signer, c.k, c.id, json_string_value(v),
				   json_string_length(v), NULL, &ce) != 0)
			return wfail(w, "note", &ce);
	for (size_t k = 0; k < pl->nroute; k++)
		if (phase(w, k) != 0)
			return -1;
	return 0;
}

/* Signs in as demo login i, once. */
static int sign_in(db_t *db, const struct audit_signer *signer, const struct demo_input *in,
		   size_t i, struct walk_secrets *sec, const struct jsondoc_err *e)
{
	struct signed_in *s = &sec->acc[i];
	if (s->ok)
		return 0;
	struct account a;
	int has_totp;
	time_t until;
	if (accounts_login(db, signer, in->logins[i].username, in->logins[i].password, &a, s->sk,
			   NULL, &has_totp, &until) != ACCOUNT_LOGIN_OK)
		return jsondoc_fail(e, "cases", "cannot sign in as %s with the demo's password",
				    in->logins[i].username);
	s->id = a.id;
	s->ok = 1;
	return 0;
}

int demo_walk(db_t *db, const struct audit_signer *signer, const struct demo_input *in,
	      const struct demo_plan *plans, size_t n, const char *today,
	      struct cases_demo_case *out, size_t *nout, const struct jsondoc_err *e)
{
	if (in->nlogins > ACCOUNT_DEMO_MAX)
		return jsondoc_fail(e, "cases", "more than %d demo accounts", ACCOUNT_DEMO_MAX);
	struct walk_secrets *sec = vault_secure_alloc(sizeof *sec);
	memset(sec, 0, sizeof *sec);
	int rc = 0;
	for (size_t c = 0; c < n && rc == 0; c++) {
		const struct demo_plan *pl = &plans[c];
		rc = sign_in(db, signer, in, pl->coordinator, sec, e);
		for (size_t i = 0; i < pl->ninvestigators && rc == 0; i++)
			rc = sign_in(db, signer, in, pl->investigators[i], sec, e);
		if (rc == 0 && pl->share_at >= 0)
			rc = sign_in(db, signer, in, pl->authority, sec, e);
	}
	for (size_t c = 0; c < n && rc == 0; c++) {
		struct walk w = {.db = db, .signer = signer, .pl = &plans[c], .in = in, .e = e,
				 .sec = sec, .today = today};
		jsondoc_path(w.path, "cases[%zu]", c);
		rc = one_case(&w);
		cases_key_wipe(&sec->kc);
		cases_key_wipe(&sec->ki);
		cases_key_wipe(&sec->ka);
		if (rc != 0)
			break;
		struct cases_demo_case *d = &out[c];
		d->case_id = w.case_id;
		snprintf(d->org_code, sizeof d->org_code, "%s", plans[c].org_code);
		snprintf(d->phase, sizeof d->phase, "%s",
			 plans[c].protocol->phases[plans[c].route[plans[c].nroute - 1]].id);
		d->closed = plans[c].closed_on[0] != '\0';
		*nout = c + 1;
	}
	vault_secure_free(sec);
	return rc;
}
