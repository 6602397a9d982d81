/* test_cases_store_work.c: the work on a case (src/cases/phases.c,
 * records.c, people.c, outcome.c) against a real SQLite database: the
 * shipped protocol walked from its first phase to closing, with the
 * competent authority where it moves the case; every kind of refused move,
 * writing nothing; a deviation with and without a proper approval; the
 * checklist; records and notes and who reads which; the people involved and
 * the order and terms of their rights; the outcome against the taxonomy and
 * the measures; the authority's summary and decision without the case key;
 * the retention term; and a marker scan of the database file, its WAL and a
 * copy after all of it.
 *
 * Each test works in its own temporary folder (casesfx.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "cases/machine.h"
#include "casesfx.h"

#define ANSWERS "{\"what\":\"gezien\"}"

/* A case of FIN with COORD_FIN as coordinator, INV_FIN as investigator and
 * the summary shared with AUTH_FIN; keys of all three. */
struct work {
	int64_t report, id;
	struct cases_key kc, ki, ka;
};

static void work_open(struct cfx *f, struct work *w)
{
	struct cases_error e;
	w->report = cfx_report(f, "FIN", ANSWERS);
	w->id = cfx_open(f, COORD_FIN, &w->report, 1);
	cfx_key(f, w->id, COORD_FIN, &w->kc);
	cfx_add(f, &w->kc, INV_FIN, "investigator");
	cfx_key(f, w->id, INV_FIN, &w->ki);
	if (cases_summary_share(f->t.db, &f->t.signer, &w->kc, f->ids[COORD_FIN], f->ids[AUTH_FIN],
				f->today, &e) != 0)
		fail_msg("share: %s", e.msg);
	cfx_authority_key(f, w->id, AUTH_FIN, &w->ka);
}

static void work_close(struct work *w)
{
	cases_key_wipe(&w->kc);
	cases_key_wipe(&w->ki);
	cases_key_wipe(&w->ka);
}

static const struct cases_protocol *protocol(void)
{
	const struct cases_protocol *p = cases_data_protocol();
	assert_non_null(p);
	return p;
}

static const struct cases_phase *phase_of(struct cfx *f, struct work *w)
{
	struct cases_case cc;
	struct cases_error e;
	assert_int_equal(cases_read(f->t.db, &w->kc, &cc, &e), 0);
	int i = cases_protocol_phase(protocol(), cc.phase);
	assert_true(i >= 0);
	return &protocol()->phases[i];
}

static void tick(struct cfx *f, struct work *w, const char *item)
{
	struct cases_error e;
	if (cases_check(f->t.db, &f->t.signer, &w->kc, f->ids[COORD_FIN], item, 1, f->today, &e) !=
	    0)
		fail_msg("tick %s: %s", item, e.msg);
}

static void record(struct cfx *f, struct work *w, const char *type, const char *text)
{
	struct cases_error e;
	if (cases_record_add(f->t.db, &f->t.signer, &w->kc, f->ids[COORD_FIN], type, text,
			     strlen(text), NULL, &e) != 0)
		fail_msg("record %s: %s", type, e.msg);
}

/* Ticks the required items of the current phase not ticked yet and adds its
 * required records: the decision by the authority, the rest by the
 * coordinator. */
static void complete_phase(struct cfx *f, struct work *w)
{
	const struct cases_protocol *p = protocol();
	const struct cases_phase *ph = phase_of(f, w);
	struct cases_error e;
	char done[CASES_MAX_CHECKLIST][CASES_ID_MAX + 1];
	size_t ndone;
	assert_int_equal(cases_checked(f->t.db, &w->kc, done, CASES_MAX_CHECKLIST, &ndone, &e), 0);
	for (size_t i = 0; i < ph->nchecklist; i++) {
		int ticked = 0;
		for (size_t j = 0; j < ndone; j++)
			ticked |= strcmp(done[j], ph->checklist[i].id) == 0;
		if (ph->checklist[i].required && !ticked)
			tick(f, w, ph->checklist[i].id);
	}
	for (size_t i = 0; i < ph->nrecords; i++) {
		const char *type = p->record_types[ph->records[i]].id;
		if (strcmp(type, CASES_RECORD_DECISION) == 0) {
			struct cases_case cc;
			assert_int_equal(cases_read(f->t.db, &w->kc, &cc, &e), 0);
			if (!cc.decided_on[0] &&
			    cases_decide(f->t.db, &f->t.signer, &w->ka, f->ids[AUTH_FIN],
					 "Besluit: berisping", 18, NULL, 0, f->today, &e) != 0)
				fail_msg("decide: %s", e.msg);
		} else {
			record(f, w, type, "verslag");
		}
	}
}

/* Moves the case on to target as someone who may: the coordinator where it
 * is a mover, else the authority. */
static void move(struct cfx *f, struct work *w, const char *target)
{
	const struct cases_phase *ph = phase_of(f, w);
	struct cases_error e;
	int coord = (ph->movers & role_mask(ROLE_INTEGRITY_COORDINATOR)) != 0;
	assert_true(coord || (ph->movers & role_mask(ROLE_COMPETENT_AUTHORITY)));
	if (cases_move(f->t.db, &f->t.signer, coord ? &w->kc : &w->ka,
		       f->ids[coord ? COORD_FIN : AUTH_FIN], target, NULL, f->today, NULL, &e) != 0)
		fail_msg("move from %s to %s: %s", ph->id, target, e.msg);
}

/* Walks the normal route to phase id (complete, then the first next). */
static void walk_to(struct cfx *f, struct work *w, const char *id)
{
	const struct cases_protocol *p = protocol();
	for (int guard = 0; guard < (int)p->nphases; guard++) {
		const struct cases_phase *ph = phase_of(f, w);
		if (strcmp(ph->id, id) == 0)
			return;
		assert_true(ph->nnext > 0);
		complete_phase(f, w);
		move(f, w, p->phases[ph->next[0]].id);
	}
	fail_msg("phase %s is not on the normal route", id);
}

static const char *terminal_id(void)
{
	return protocol()->phases[protocol()->nphases - 1].id;
}

/* ---- moves ---- */

static void test_normal_route_and_close(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	work_open(f, &w);
	/* not in the terminal phase yet: closing is refused */
	assert_int_equal(cases_close(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], f->today, &e),
			 -1);
	assert_int_equal(e.code, CASES_EPROTOCOL);

	walk_to(f, &w, terminal_id());
	struct cases_case cc;
	assert_int_equal(cases_read(f->t.db, &w.kc, &cc, &e), 0);
	assert_string_equal(cc.phase, terminal_id());
	assert_string_equal(cc.decided_on, f->today);
	assert_int_equal(cc.decided_by, f->ids[AUTH_FIN]);
	int64_t moves = (int64_t)protocol()->nphases - 1;
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_phase_log WHERE deviation = 0"), moves);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.move'"),
			 moves);
	/* the terminal phase's requirements hold closing up */
	assert_int_equal(cases_close(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], f->today, &e),
			 -1);
	assert_int_equal(e.code, CASES_EPROTOCOL);
	assert_int_equal(e.move_code, CASES_MOVE_E_CHECKLIST);
	struct cases_move open;
	assert_int_equal(cases_open_items(f->t.db, &w.kc, &open, &e), 1);
	assert_true(open.nopen > 0);
	/* the terminal phase has no next: no move out of it */
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
				    protocol()->phases[0].id, NULL, f->today, NULL, &e), -1);
	assert_int_equal(e.code, CASES_EPROTOCOL);
	assert_int_equal(e.move_code, CASES_MOVE_E_TERMINAL);
	complete_phase(f, &w);
	assert_int_equal(cases_open_items(f->t.db, &w.kc, &open, &e), 0);
	/* an investigator does not close */
	assert_int_equal(cases_close(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN], f->today, &e),
			 -1);
	assert_int_equal(e.code, CASES_EDENIED);
	assert_int_equal(cases_close(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], f->today, &e),
			 0);
	assert_int_equal(cases_read(f->t.db, &w.kc, &cc, &e), 0);
	assert_string_equal(cc.closed_on, f->today);
	char purge[DATE_LEN + 1];
	assert_int_equal(date_add_days(f->today, CASES_RETENTION_DEFAULT, purge), 0);
	assert_string_equal(cc.purge_after, purge);
	assert_string_equal(cc.phase_due, "");
	/* closed: no more records, moves or closing; notes still */
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
					  "closing_memo", "nog", 3, NULL, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_close(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], f->today, &e),
			 -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], "gearchiveerd",
					12, NULL, &e), 0);
	struct cases_list_item it[2];
	size_t n, total;
	assert_int_equal(cases_list(f->t.db, f->ids[COORD_FIN], it, 2, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_string_equal(it[0].closed_on, f->today);
	work_close(&w);
	cfx_audit_ok(f);
}

/* A refused move changes nothing and says why. */
static void move_refused(struct cfx *f, const struct cases_key *k, int who, const char *target,
			 const struct cases_approval_in *ap, int move_code)
{
	struct cases_error e;
	struct cases_move mv;
	int64_t log = cfx_q(f, "SELECT count(*) FROM case_phase_log"),
		audit = cfx_q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(cases_move(f->t.db, &f->t.signer, k, f->ids[who], target, ap, f->today, &mv,
				    &e), -1);
	if (e.code != CASES_EPROTOCOL || e.move_code != move_code)
		fail_msg("to %s: expected move code %d, got %d/%d: %s", target, move_code, e.code,
			 e.move_code, e.msg);
	assert_int_equal(mv.code, move_code);
	assert_non_null(mv.msgid);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_phase_log"), log);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audit);
}

static void test_moves_refused(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	work_open(f, &w);
	const struct cases_protocol *p = protocol();
	const struct cases_phase *first = &p->phases[0];
	const char *next = p->phases[first->next[0]].id;

	move_refused(f, &w.kc, COORD_FIN, "no_such_phase", NULL, CASES_MOVE_E_NO_PHASE);
	move_refused(f, &w.kc, COORD_FIN, first->id, NULL, CASES_MOVE_E_SAME_PHASE);
	move_refused(f, &w.kc, COORD_FIN, terminal_id(), NULL, CASES_MOVE_E_UNREACHABLE);
	/* the authority is no mover of the first phase */
	move_refused(f, &w.ka, AUTH_FIN, next, NULL, CASES_MOVE_E_NOT_MOVER);
	/* nothing done yet: the open items are listed in the message */
	struct cases_move mv;
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], next, NULL,
				    f->today, &mv, &e), -1);
	assert_int_equal(mv.code, CASES_MOVE_E_CHECKLIST);
	size_t required = 0;
	for (size_t i = 0; i < first->nchecklist; i++)
		if (first->checklist[i].required) {
			required++;
			assert_non_null(strstr(e.msg, first->checklist[i].id));
		}
	assert_int_equal(mv.nopen, required);
	for (size_t i = 0; i < first->nchecklist; i++)
		if (first->checklist[i].required)
			tick(f, &w, first->checklist[i].id);
	move_refused(f, &w.kc, COORD_FIN, next, NULL, CASES_MOVE_E_RECORDS);
	complete_phase(f, &w);
	/* a date before the phase began */
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], next, NULL,
				    "2001-01-01", NULL, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], NULL, NULL,
				    f->today, NULL, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	/* an outsider, and a key that is not theirs */
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.kc, f->ids[COORD2_FIN], next, NULL,
				    f->today, NULL, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.ka, f->ids[COORD_FIN], next, NULL,
				    f->today, NULL, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	/* the investigator may move on from the first phase (a mover there) */
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN], next, NULL,
				    f->today, &mv, &e), 0);
	assert_int_equal(mv.code, CASES_MOVE_OK);
	assert_int_equal(mv.kind, CASES_MOVE_NORMAL);
	/* the decision phase is the coordinator's or the authority's */
	const struct cases_phase *ph = phase_of(f, &w);
	if (!(ph->movers & role_mask(ROLE_INVESTIGATOR))) {
		complete_phase(f, &w);
		move_refused(f, &w.ki, INV_FIN, p->phases[ph->next[0]].id, NULL,
			     CASES_MOVE_E_NOT_MOVER);
	}
	work_close(&w);
	cfx_audit_ok(f);
}

/* The first deviation of the protocol that waives its requirements and the
 * one that does not, walked to and tried. */
static void test_deviation(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	const struct cases_protocol *p = protocol();
	const struct cases_deviation *d = NULL;
	/* one whose approver is an integrity coordinator, on the normal route */
	for (size_t i = 0; i < p->ndeviations && !d; i++)
		if (p->deviations[i].approver == ROLE_INTEGRITY_COORDINATOR &&
		    (p->phases[p->deviations[i].from].movers & role_mask(ROLE_INTEGRITY_COORDINATOR)))
			d = &p->deviations[i];
	if (!d) {
		fail_msg("the protocol has no deviation a coordinator approves");
		return;
	}
	const char *from = p->phases[d->from].id, *to = p->phases[d->to].id;
	work_open(f, &w);
	walk_to(f, &w, from);
	if (!d->waive)
		complete_phase(f, &w);

	move_refused(f, &w.kc, COORD_FIN, to, NULL, CASES_MOVE_E_NO_APPROVAL);
	struct cases_approval_in ap = {f->ids[INV_FIN], "nieuwe feiten"};
	move_refused(f, &w.kc, COORD_FIN, to, &ap, CASES_MOVE_E_WRONG_APPROVER);
	ap.approver_id = f->ids[AUTH_BZK]; /* no role at FIN at all */
	move_refused(f, &w.kc, COORD_FIN, to, &ap, CASES_MOVE_E_WRONG_APPROVER);
	ap.approver_id = f->ids[COORD2_FIN];
	ap.reason = "   ";
	move_refused(f, &w.kc, COORD_FIN, to, &ap, CASES_MOVE_E_REASON_EMPTY);
	ap.reason = "QZXREASON nieuwe feiten uit het hoor en wederhoor";
	struct cases_move mv;
	if (cases_move(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], to, &ap, f->today, &mv, &e) !=
	    0)
		fail_msg("deviation: %s", e.msg);
	assert_int_equal(mv.kind, CASES_MOVE_DEVIATION);
	assert_int_equal(mv.approver, ROLE_INTEGRITY_COORDINATOR);

	/* the log: the reason opens for the team and for the authority */
	const struct cases_key *keys[] = {&w.ki, &w.ka};
	for (int i = 0; i < 2; i++) {
		struct cases_move_entry *m;
		size_t n;
		assert_int_equal(cases_moves(f->t.db, keys[i], &m, &n, &e), 0);
		assert_true(n > 0);
		struct cases_move_entry *last = &m[n - 1];
		assert_int_equal(last->deviation, 1);
		assert_string_equal(last->from, from);
		assert_string_equal(last->to, to);
		assert_int_equal(last->approver_id, f->ids[COORD2_FIN]);
		assert_int_equal(last->account_id, f->ids[COORD_FIN]);
		assert_string_equal(last->reason, ap.reason);
		assert_null(m[0].reason);
		cases_moves_free(m, n);
	}
	/* the audit entry names the approver, never the reason */
	char *sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'case.move' AND "
			      "detail = 'from %s to %s deviation approved by account %lld'", from,
			      to, (long long)f->ids[COORD2_FIN]);
	assert_int_equal(cfx_q(f, sql), 1);
	free(sql);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE instr(detail, 'QZX') > 0"),
			 0);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_phase_log WHERE deviation = 1 AND "
				  "instr(reason, 'QZX') > 0"), 0);
	work_close(&w);
	cfx_audit_ok(f);
}

/* ---- the checklist ---- */

static void test_checklist(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	work_open(f, &w);
	const struct cases_phase *ph = &protocol()->phases[0];
	const char *item = ph->checklist[0].id;
	char done[4][CASES_ID_MAX + 1];
	size_t n;

	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN], item, 1, f->today,
				     &e), 0);
	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], item, 1,
				     f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_checked(f->t.db, &w.kc, done, 4, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(done[0], item);
	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], item, 0,
				     f->today, &e), 0);
	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], item, 0,
				     f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_checked(f->t.db, &w.kc, done, 4, &n, &e), 0);
	assert_int_equal(n, 0);
	/* an item of another phase, or none at all */
	const struct cases_phase *later = &protocol()->phases[1];
	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
				     later->checklist[0].id, 1, f->today, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], "", 1,
				     f->today, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	/* the authority ticks off only where it moves the case */
	assert_false(ph->movers & role_mask(ROLE_COMPETENT_AUTHORITY));
	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN], item, 1,
				     f->today, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	/* an outsider */
	assert_int_equal(cases_check(f->t.db, &f->t.signer, &w.kc, f->ids[COORD2_FIN], item, 1,
				     f->today, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.check'"), 2);
	work_close(&w);
}

/* ---- records and notes ---- */

static void test_records_and_notes(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	work_open(f, &w);
	const char *type = protocol()->record_types[0].id;
	int64_t id = 0;

	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN], type,
					  "Samenvatting van de melding", 27, &id, &e), 0);
	assert_true(id > 0);
	/* refusals */
	static const char ctl[] = "bel\x07";
	struct {
		const char *type, *text;
		size_t len;
	} bad[] = {
		{"no_such_type", "x", 1},
		{CASES_RECORD_DECISION, "besluit", 7},
		{"", "x", 1},
		{type, "", 0},
		{type, ctl, 4},
		{type, "\xff\xfe", 2},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
						  bad[i].type, bad[i].text, bad[i].len, NULL, &e),
				 -1);
		assert_int_equal(e.code, CASES_EINVALID);
	}
	char *big = xmalloc(CASES_TEXT_MAX + 1);
	memset(big, 'a', CASES_TEXT_MAX + 1);
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], type, big,
					  CASES_TEXT_MAX + 1, NULL, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], type, big,
					  CASES_TEXT_MAX, NULL, &e), 0);
	free(big);
	/* the authority summary is the coordinator's */
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN],
					  CASES_RECORD_SUMMARY, "samenvatting", 12, NULL, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
					  CASES_RECORD_SUMMARY, "Voor het bevoegd gezag", 22, NULL,
					  &e), 0);
	/* the authority writes no records */
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN], type,
					  "x", 1, NULL, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);

	struct cases_text_item *t;
	size_t n;
	assert_int_equal(cases_records(f->t.db, &w.ki, &t, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].type, type);
	assert_string_equal(t[0].text, "Samenvatting van de melding");
	assert_int_equal(t[0].account_id, f->ids[INV_FIN]);
	assert_string_equal(t[0].author_name, "Onderzoeker FIN");
	assert_int_equal(strlen(t[0].created_at), 16);
	assert_int_equal(t[1].text_len, CASES_TEXT_MAX);
	assert_int_equal(t[2].summary, 1);
	assert_string_equal(t[2].text, "Voor het bevoegd gezag");
	cases_text_items_free(t, n);
	/* the authority reads the summary only */
	assert_int_equal(cases_records(f->t.db, &w.ka, &t, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].type, CASES_RECORD_SUMMARY);
	assert_string_equal(t[0].text, "Voor het bevoegd gezag");
	cases_text_items_free(t, n);

	/* notes: the team's only */
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN],
					"Getuige bellen", 14, &id, &e), 0);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], "", 0, NULL,
					&e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN], "x", 1, NULL,
					&e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_notes(f->t.db, &w.ka, &t, &n, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_notes(f->t.db, &w.kc, &t, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].text, "Getuige bellen");
	assert_string_equal(t[0].type, "");
	cases_text_items_free(t, n);

	/* swapped bodies do not open */
	testdb_exec(f->t.db, "CREATE TEMP TABLE b AS SELECT id, body FROM case_record; "
			     "UPDATE case_record SET body = (SELECT body FROM b WHERE b.id = "
			     "CASE case_record.id WHEN 1 THEN 2 WHEN 2 THEN 1 ELSE case_record.id END); "
			     "DROP TABLE b");
	assert_int_equal(cases_records(f->t.db, &w.kc, &t, &n, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);
	assert_null(t);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.record' AND "
				  "detail LIKE 'record % type %'"), 3);
	work_close(&w);
}

/* ---- people ---- */

static void step_ok(struct cfx *f, struct work *w, int64_t person, enum cases_step s,
		    const char *on)
{
	struct cases_error e;
	if (cases_person_step(f->t.db, &f->t.signer, &w->kc, f->ids[COORD_FIN], person, s, on,
			      f->today, &e) != 0)
		fail_msg("step %s: %s", cases_step_name(s), e.msg);
}

static void step_refused(struct cfx *f, struct work *w, int64_t person, enum cases_step s,
			 const char *on, int code)
{
	struct cases_error e;
	assert_int_equal(cases_person_step(f->t.db, &f->t.signer, &w->kc, f->ids[COORD_FIN], person,
					   s, on, f->today, &e), -1);
	if (e.code != code)
		fail_msg("step %s: expected %d, got %d: %s", cases_step_name(s), code, e.code,
			 e.msg);
}

static void test_people(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	work_open(f, &w);
	const struct cases_person_in concerned = {"person_concerned", "Jan \"de Vos\" Jansen",
						  "Teamleider", "kamer 4.12\nlijn 1234"};
	const struct cases_person_in witness = {"witness", "Piet Pietersen", NULL, NULL};
	int64_t pc = 0, pw = 0;
	assert_int_equal(cases_person_add(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN], &concerned,
					  f->today, &pc, &e), 0);
	assert_int_equal(cases_person_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], &witness,
					  f->today, &pw, &e), 0);
	/* refusals */
	const struct cases_person_in bad[] = {
		{"suspect", "X", NULL, NULL},
		{"witness", "", NULL, NULL},
		{"witness", "Naam\nmet regel", NULL, NULL},
		{NULL, "X", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(cases_person_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
						  &bad[i], f->today, NULL, &e), -1);
		assert_int_equal(e.code, CASES_EINVALID);
	}
	assert_int_equal(cases_person_add(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN], &witness,
					  f->today, NULL, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);

	char yesterday[DATE_LEN + 1], tomorrow[DATE_LEN + 1];
	assert_int_equal(date_add_days(f->today, -1, yesterday), 0);
	assert_int_equal(date_add_days(f->today, 1, tomorrow), 0);
	step_ok(f, &w, pc, CASES_STEP_INFORMED, f->today);
	step_refused(f, &w, pc, CASES_STEP_INFORMED, f->today, CASES_ECONFLICT);
	step_refused(f, &w, pc, CASES_STEP_HEARD, tomorrow, CASES_EINVALID);
	step_refused(f, &w, pc, CASES_STEP_HEARD, yesterday, CASES_EINVALID); /* before opening */
	step_refused(f, &w, pc, CASES_STEP_RECORD_OFFERED, f->today, CASES_ECONFLICT);
	step_ok(f, &w, pc, CASES_STEP_HEARD, f->today);
	step_refused(f, &w, pc, CASES_STEP_RECORD_AGREED, f->today, CASES_ECONFLICT);
	step_ok(f, &w, pc, CASES_STEP_RECORD_OFFERED, f->today);
	step_ok(f, &w, pc, CASES_STEP_RECORD_AGREED, f->today);
	step_ok(f, &w, pc, CASES_STEP_ASSISTANCE_OFFERED, f->today);
	step_refused(f, &w, pc, CASES_STEP_REACTION, f->today, CASES_ECONFLICT);
	step_ok(f, &w, pc, CASES_STEP_DRAFT_SENT, f->today);
	step_ok(f, &w, pc, CASES_STEP_REACTION, f->today);
	step_ok(f, &w, pc, CASES_STEP_FINAL_INSPECTED, f->today);
	/* a witness gets no draft report to react to under this protocol */
	step_refused(f, &w, pw, CASES_STEP_DRAFT_SENT, f->today, CASES_EINVALID);
	step_ok(f, &w, pw, CASES_STEP_HEARD, f->today);
	step_refused(f, &w, pc + pw + 10, CASES_STEP_HEARD, f->today, CASES_ENOTFOUND);
	step_refused(f, &w, pc, (enum cases_step)99, f->today, CASES_EINVALID);

	/* the reaction's term comes from the protocol */
	int days = 0;
	const struct cases_protocol *p = protocol();
	for (size_t i = 0; i < p->nphases && !days; i++) {
		const struct cases_right_due *d =
			cases_phase_right(&p->phases[i], CASES_RIGHT_DRAFT_REACTION);
		if (d && (d->parties & (1u << CASES_PARTY_PERSON_CONCERNED)))
			days = d->days;
	}
	assert_true(days > 0);
	char due[DATE_LEN + 1];
	assert_int_equal(date_add_days(f->today, days, due), 0);

	/* an update keeps the party */
	const struct cases_person_in moved = {"witness", "Piet Pietersen", "Directeur", NULL};
	assert_int_equal(cases_person_update(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], pw,
					     &moved, &e), 0);
	const struct cases_person_in turned = {"person_concerned", "Piet Pietersen", NULL, NULL};
	assert_int_equal(cases_person_update(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], pw,
					     &turned, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);

	struct cases_person *ps;
	size_t n;
	assert_int_equal(cases_people(f->t.db, &w.ki, &ps, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ps[0].party, "person_concerned");
	assert_string_equal(ps[0].name, "Jan \"de Vos\" Jansen");
	assert_string_equal(ps[0].function, "Teamleider");
	assert_string_equal(ps[0].contact, "kamer 4.12\nlijn 1234");
	for (int s = 0; s < CASES_STEP_COUNT; s++)
		assert_string_equal(ps[0].on[s], f->today);
	assert_string_equal(ps[0].reaction_due, due);
	assert_string_equal(ps[1].function, "Directeur");
	assert_string_equal(ps[1].contact, "");
	assert_string_equal(ps[1].on[CASES_STEP_HEARD], f->today);
	assert_string_equal(ps[1].on[CASES_STEP_INFORMED], "");
	assert_string_equal(ps[1].reaction_due, "");
	cases_people_free(ps, n);
	assert_int_equal(cases_people(f->t.db, &w.ka, &ps, &n, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);

	/* audited without names */
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action LIKE 'case.person%'"),
			 12);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE instr(detail, 'Jansen') > 0 "
				  "OR instr(detail, 'Pietersen') > 0"), 0);
	enum cases_step parsed;
	assert_int_equal(cases_step_parse("record_agreed", &parsed), 0);
	assert_int_equal(parsed, CASES_STEP_RECORD_AGREED);
	assert_int_equal(cases_step_parse("agreed", &parsed), -1);
	work_close(&w);
	cfx_audit_ok(f);
}

/* ---- outcome, summary, decision ---- */

static void test_outcome(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	work_open(f, &w);
	const char *one[] = {"written_reprimand"}, *unknown[] = {"flogging"},
		   *twice[] = {"transfer", "transfer"};

	struct {
		const char *outcome, *category;
		const char *const *m;
		size_t n;
		int police;
	} bad[] = {
		{"guilty", "2", one, 1, 0},
		{"established", "99", one, 1, 0},
		{"established", "8a", one, 1, 0}, /* only in the example revision */
		{"established", NULL, one, 1, 0},
		{"established", "2", unknown, 1, 0},
		{"established", "2", twice, 2, 0},
		{"established", "2", one, 1, 2},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
						   bad[i].outcome, bad[i].category, bad[i].m,
						   bad[i].n, bad[i].police, &e), -1);
		assert_int_equal(e.code, CASES_EINVALID);
	}
	/* a coordinator's */
	assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN], "partly",
					   "2", one, 1, 0, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], "partly",
					   "2", one, 1, 0, &e), 0);
	/* set again: it replaces */
	const char *two[] = {"transfer", "written_reprimand"};
	assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
					   "established", "6", two, 2, 1, &e), 0);
	struct cases_case cc;
	assert_int_equal(cases_read(f->t.db, &w.kc, &cc, &e), 0);
	assert_string_equal(cc.outcome, "established");
	assert_string_equal(cc.category, "6");
	assert_string_equal(cc.taxonomy, cases_data_taxonomy()->id);
	assert_int_equal(cc.taxonomy_revision, cases_data_taxonomy()->revision);
	assert_int_equal(cc.police_report, 1);
	assert_string_equal(cc.measures_list, cases_data_measures()->id);
	assert_int_equal(cc.nmeasures, 2);
	assert_string_equal(cc.measures[0], "transfer");
	assert_string_equal(cc.measures[1], "written_reprimand");
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.outcome'"), 2);
	work_close(&w);
	cfx_audit_ok(f);
}

static void test_authority(void **state)
{
	struct cfx *f = *state;
	struct work w;
	struct cases_error e;
	work_open(f, &w);

	/* sharing: only with a competent authority of FIN, not on the team */
	int refused[] = {AUTH_BZK, INV_FIN, COORD2_FIN, ADV_FIN};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
						     f->ids[refused[i]], f->today, &e), -1);
		assert_int_equal(e.code, CASES_EDENIED);
	}
	assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
					     f->ids[AUTH_FIN], f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN],
					     f->ids[AUTH_FIN], f->today, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);

	/* the authority holds no case key and no report through the case */
	struct cases_key k;
	assert_int_equal(cases_key_as_member(f->t.db, w.id, f->ids[AUTH_FIN], cfx_sk(f, AUTH_FIN), &k,
					     &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_key WHERE account_id = "
				  "(SELECT id FROM account WHERE username = 'auth.fin')"), 0);
	unsigned char zero[ENVELOPE_KEY_BYTES] = {0};
	assert_memory_equal(w.ka.key, zero, sizeof zero);
	assert_memory_equal(w.ka.summary, w.kc.summary, sizeof zero);
	struct intake_key rk;
	assert_int_equal(cases_report_key(f->t.db, &w.ka, w.report, &rk, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	struct cases_case cc;
	assert_int_equal(cases_read(f->t.db, &w.ka, &cc, &e), 0);
	assert_int_equal(cc.nreports, 0);
	struct cases_member m[4];
	size_t n;
	assert_int_equal(cases_members(f->t.db, &w.ka, m, 4, &n, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);

	/* the decision: measures checked, once, by the authority only */
	const char *unknown[] = {"flogging"}, *imposed[] = {"suspension"};
	assert_int_equal(cases_decide(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN], "Besluit", 7,
				      unknown, 1, f->today, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_decide(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], "Besluit", 7,
				      NULL, 0, f->today, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_decide(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_BZK], "Besluit", 7,
				      NULL, 0, f->today, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	const char *proposed[] = {"written_reprimand"};
	assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
					   "established", "2", proposed, 1, 0, &e), 0);
	assert_int_equal(cases_decide(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN],
				      "Besluit: schorsing", 18, imposed, 1, f->today, &e), 0);
	assert_int_equal(cases_decide(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN], "Nogmaals", 8,
				      NULL, 0, f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_read(f->t.db, &w.kc, &cc, &e), 0);
	assert_string_equal(cc.decided_on, f->today);
	assert_int_equal(cc.decided_by, f->ids[AUTH_FIN]);
	assert_int_equal(cc.nmeasures, 1);
	assert_string_equal(cc.measures[0], "suspension");
	/* the team reads the decision through the case key */
	struct cases_text_item *t;
	assert_int_equal(cases_records(f->t.db, &w.ki, &t, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].type, CASES_RECORD_DECISION);
	assert_string_equal(t[0].text, "Besluit: schorsing");
	assert_int_equal(t[0].account_id, f->ids[AUTH_FIN]);
	cases_text_items_free(t, n);
	/* a later outcome keeps the measures imposed */
	assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
					   "established", "2", proposed, 1, 0, &e), 0);
	assert_int_equal(cases_read(f->t.db, &w.kc, &cc, &e), 0);
	assert_string_equal(cc.measures[0], "suspension");

	/* a disabled authority opens nothing */
	struct account_error ae;
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, "cli:test", f->ids[AUTH_FIN],
					       1, NULL, &ae), 0);
	assert_int_equal(cases_key_as_authority(f->t.db, w.id, f->ids[AUTH_FIN], cfx_sk(f, AUTH_FIN),
						&k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	work_close(&w);
	cfx_audit_ok(f);
}

/* ---- retention ---- */

static void test_retention(void **state)
{
	struct cfx *f = *state;
	struct cases_error e;
	int days;
	int64_t fin = cfx_q(f, "SELECT id FROM org WHERE code = 'FIN'"),
		dgb = cfx_q(f, "SELECT id FROM org WHERE code = 'FIN-DGB'"),
		bzk = cfx_q(f, "SELECT id FROM org WHERE code = 'BZK'");
	assert_int_equal(cases_retention(f->t.db, dgb, &days), 0);
	assert_int_equal(days, CASES_RETENTION_DEFAULT);
	assert_int_equal(cases_set_retention(f->t.db, &f->t.signer, "cli:test", "fin", 30, &e), 0);
	assert_int_equal(cases_retention(f->t.db, fin, &days), 0);
	assert_int_equal(days, 30);
	/* a unit takes its department's */
	assert_int_equal(cases_retention(f->t.db, dgb, &days), 0);
	assert_int_equal(days, 30);
	assert_int_equal(cases_retention(f->t.db, bzk, &days), 0);
	assert_int_equal(days, CASES_RETENTION_DEFAULT);
	assert_int_equal(cases_set_retention(f->t.db, &f->t.signer, "cli:test", "FIN-DGB", 400, &e),
			 0);
	assert_int_equal(cases_retention(f->t.db, dgb, &days), 0);
	assert_int_equal(days, 400);
	assert_int_equal(cases_set_retention(f->t.db, &f->t.signer, "cli:test", "FIN", 60, &e), 0);
	assert_int_equal(cases_retention(f->t.db, fin, &days), 0);
	assert_int_equal(days, 60);
	assert_int_equal(cases_set_retention(f->t.db, &f->t.signer, "cli:test", "XYZ", 60, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_set_retention(f->t.db, &f->t.signer, "cli:test", "FIN", 0, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_set_retention(f->t.db, &f->t.signer, "cli:test", "FIN",
					     CASES_RETENTION_MAX + 1, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.retention'"),
			 3);

	/* a closed case of FIN is purged after 60 days */
	struct work w;
	work_open(f, &w);
	walk_to(f, &w, terminal_id());
	complete_phase(f, &w);
	assert_int_equal(cases_close(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], f->today, &e),
			 0);
	struct cases_case cc;
	char purge[DATE_LEN + 1];
	assert_int_equal(cases_read(f->t.db, &w.kc, &cc, &e), 0);
	assert_int_equal(date_add_days(f->today, 60, purge), 0);
	assert_string_equal(cc.purge_after, purge);
	work_close(&w);
}

/* ---- no plaintext in the database ---- */

/* Fails if a marker is in the file at path; returns 1 if the file holds
 * "case.open" (the audit entry: proof the scan sees the data). */
static int scan_file(const char *path, const char *const *markers, size_t nm)
{
	size_t n = 0;
	unsigned char *b = (unsigned char *)read_file_bytes(path, &n);
	if (!b) {
		assert_false(path_exists(path));
		return 0;
	}
	int seen = cfx_contains(b, n, "case.open");
	for (size_t i = 0; i < nm; i++)
		if (cfx_contains(b, n, markers[i]))
			fail_msg("marker %s found in %s", markers[i], path);
	free(b);
	return seen;
}

static void test_marker_scan(void **state)
{
	struct cfx *f = *state;
	static const char *const markers[] = {"QZXMRECORD", "QZXMNOTE", "QZXMNAME", "QZXMFUNC",
					      "QZXMCONTACT", "QZXMREASON", "QZXMSUMMARY",
					      "QZXMDECISION", "QZXM", "qzxm"};
	const size_t nm = sizeof markers / sizeof markers[0];
	struct work w;
	struct cases_error e;
	work_open(f, &w);
	const struct cases_protocol *p = protocol();
	record(f, &w, p->record_types[0].id, "QZXMRECORD verslag van het gesprek");
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &w.ki, f->ids[INV_FIN],
					"QZXMNOTE bel de getuige", 23, NULL, &e), 0);
	const struct cases_person_in pi = {"person_concerned", "Mr. QZXMNAME Jansen",
					   "QZXMFUNC hoofd", "qzxmcontact@example.nl"};
	int64_t person;
	assert_int_equal(cases_person_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN], &pi,
					  f->today, &person, &e), 0);
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
					  CASES_RECORD_SUMMARY, "QZXMSUMMARY in het kort", 23, NULL,
					  &e), 0);
	/* a deviation with a reason */
	const struct cases_deviation *d = NULL;
	for (size_t i = 0; i < p->ndeviations && !d; i++)
		if (p->deviations[i].approver == ROLE_INTEGRITY_COORDINATOR && p->deviations[i].waive &&
		    (p->phases[p->deviations[i].from].movers & role_mask(ROLE_INTEGRITY_COORDINATOR)))
			d = &p->deviations[i];
	if (!d) {
		fail_msg("the protocol has no deviation a coordinator approves");
		return;
	}
	walk_to(f, &w, p->phases[d->from].id);
	const struct cases_approval_in ap = {f->ids[COORD2_FIN], "QZXMREASON nieuwe feiten"};
	assert_int_equal(cases_move(f->t.db, &f->t.signer, &w.kc, f->ids[COORD_FIN],
				    p->phases[d->to].id, &ap, f->today, NULL, &e), 0);
	const char *imposed[] = {"transfer"};
	struct cases_case cc;
	assert_int_equal(cases_read(f->t.db, &w.kc, &cc, &e), 0);
	if (!cc.decided_on[0])
		assert_int_equal(cases_decide(f->t.db, &f->t.signer, &w.ka, f->ids[AUTH_FIN],
					      "QZXMDECISION overplaatsing", 26, imposed, 1, f->today,
					      &e), 0);

	/* the markers are there for whoever holds the key */
	struct cases_person *ps;
	size_t n;
	assert_int_equal(cases_people(f->t.db, &w.kc, &ps, &n, &e), 0);
	assert_string_equal(ps[0].name, "Mr. QZXMNAME Jansen");
	cases_people_free(ps, n);

	/* the audit trail verifies and names no content */
	cfx_audit_ok(f);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE instr(lower(coalesce(actor, "
				  "'') || action || coalesce(object_type, '') || "
				  "coalesce(object_id, '') || coalesce(detail, '')), 'qzxm') > 0"),
			 0);
	/* and the files hold none of it in the clear */
	if (testdb_sqlite_part("scans SQLite's database file, log and VACUUM INTO copy; "
			       "the browser suite scans a pg_dump on PostgreSQL")) {
		char *walpath = xasprintf("%s-wal", f->t.db_path);
		int seen = scan_file(f->t.db_path, markers, nm) + scan_file(walpath, markers, nm);
		assert_true(seen > 0);
		testdb_exec(f->t.db, "PRAGMA wal_checkpoint(TRUNCATE)");
		assert_int_equal(scan_file(f->t.db_path, markers, nm), 1);
		char *copy = tmpdir_path(f->t.dir, "copy.db");
		char *sql = xasprintf("VACUUM INTO '%s'", copy);
		testdb_exec(f->t.db, sql);
		assert_int_equal(scan_file(copy, markers, nm), 1);
		free(sql);
		free(copy);
		free(walpath);
	}
	work_close(&w);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_normal_route_and_close),
		T(test_moves_refused),
		T(test_deviation),
		T(test_checklist),
		T(test_records_and_notes),
		T(test_people),
		T(test_outcome),
		T(test_authority),
		T(test_retention),
		T(test_marker_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
