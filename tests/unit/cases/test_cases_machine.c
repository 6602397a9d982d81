/* test_cases_machine.c: the phase machine (src/cases/machine.c) on the
 * shipped protocol: every (from, to) pair of phases for every role, against a
 * table of the moves written out here by hand from shared/domain §7 (not
 * derived from the parsed file, so that a change to the data shows up as a
 * failing test); then every refusal with its code, name and msgid, the order
 * in which they are checked, the approval rules of deviations, the
 * requirements a deviation keeps or waives, and the due dates of phases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cases/machine.h"

enum { INTAKE, DECISION, INVESTIGATION, DRAFT, FINAL, AUTHORITY, CLOSING, NPH };

static const char *const ids[NPH] = {
	"intake", "decision", "investigation", "draft_report", "final_report",
	"authority_decision", "closing",
};

#define IC ROLE_INTEGRITY_COORDINATOR
#define INV ROLE_INVESTIGATOR
#define CA ROLE_COMPETENT_AUTHORITY
#define M(r) (1u << (r))

/* Who may move a case out of each phase. */
static const unsigned movers[NPH] = {
	[INTAKE] = M(IC) | M(INV),
	[DECISION] = M(IC) | M(CA),
	[INVESTIGATION] = M(INV) | M(IC),
	[DRAFT] = M(INV) | M(IC),
	[FINAL] = M(INV) | M(IC),
	[AUTHORITY] = M(CA),
	[CLOSING] = 0,
};

/* The route: 1 = normal move; 2 + role = a deviation approved by that role;
 * 0 = not allowed. */
#define DEV(r) (2 + (int)(r))
static const int route[NPH][NPH] = {
	[INTAKE] = {[DECISION] = 1},
	[DECISION] = {[INVESTIGATION] = 1, [CLOSING] = 1},
	[INVESTIGATION] = {[DRAFT] = 1, [FINAL] = DEV(CA), [CLOSING] = DEV(CA)},
	[DRAFT] = {[FINAL] = 1, [INVESTIGATION] = DEV(IC)},
	[FINAL] = {[AUTHORITY] = 1, [INVESTIGATION] = DEV(IC)},
	[AUTHORITY] = {[CLOSING] = 1, [INVESTIGATION] = DEV(CA)},
	[CLOSING] = {0},
};

/* Deviations whose from phase's requirements still apply. */
static int keeps_requirements(int from, int to)
{
	return from == INVESTIGATION && to == FINAL;
}

static struct cases_protocol proto;

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(SRCDIR "/data/protocols/onderzoeksprotocol-v1.json", "rb");
	assert_non_null(f);
	static char buf[CASES_PROTOCOL_MAX_BYTES + 1];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	char err[512];
	if (cases_protocol_parse(buf, len, &proto, err, sizeof err) != 0)
		fail_msg("shipped protocol refused: %s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cases_protocol_free(&proto);
	return 0;
}

/* A state in phase `phase` with every checklist item of it done and every
 * record type present, and an approval (may be NULL). */
struct full {
	const char *done[CASES_MAX_CHECKLIST];
	const char *records[CASES_MAX_RECORD_TYPES];
	struct cases_state s;
};

static void full_state(struct full *f, int phase, const struct cases_approval *a)
{
	const struct cases_phase *ph = &proto.phases[phase];
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < ph->nchecklist; i++)
		f->done[i] = ph->checklist[i].id;
	for (size_t i = 0; i < proto.nrecord_types; i++)
		f->records[i] = proto.record_types[i].id;
	f->s = (struct cases_state){ids[phase], f->done, ph->nchecklist, f->records,
				    proto.nrecord_types, a};
}

/* Every pair for every single role, and for no role, with everything done
 * and the right approval on file: only the table's moves by the table's
 * movers pass. */
static void test_every_pair(void **state)
{
	(void)state;
	assert_int_equal(proto.nphases, NPH);
	for (int i = 0; i < NPH; i++)
		assert_string_equal(proto.phases[i].id, ids[i]);
	size_t checked = 0;
	for (int from = 0; from < NPH; from++)
		for (int to = 0; to < NPH; to++)
			for (int r = -1; r < ROLE_COUNT; r++) {
				unsigned roles = r < 0 ? 0 : M(r);
				int kind = route[from][to];
				struct cases_approval a = {ids[from], ids[to],
					kind >= 2 ? (enum role)(kind - 2) : IC, "Reden.\nTweede regel."};
				struct full f;
				struct cases_move m;
				full_state(&f, from, &a);
				int rc = cases_move_decide(&proto, &f.s, roles, ids[to], &m);
				enum cases_move_code want;
				if (from == CLOSING)
					want = CASES_MOVE_E_TERMINAL;
				else if (from == to)
					want = CASES_MOVE_E_SAME_PHASE;
				else if (kind == 0)
					want = CASES_MOVE_E_UNREACHABLE;
				else if (!(roles & movers[from]))
					want = CASES_MOVE_E_NOT_MOVER;
				else
					want = CASES_MOVE_OK;
				if (m.code != want)
					fail_msg("%s -> %s by %s: %s, wanted %s", ids[from], ids[to],
						 r < 0 ? "no role" : role_name((enum role)r),
						 cases_move_code_name(m.code), cases_move_code_name(want));
				assert_int_equal(rc, want == CASES_MOVE_OK ? 0 : -1);
				assert_int_equal(m.from, from);
				assert_int_equal(m.to, to);
				if (want == CASES_MOVE_OK || want == CASES_MOVE_E_NOT_MOVER) {
					assert_int_equal(m.kind, kind == 1 ? CASES_MOVE_NORMAL :
							 CASES_MOVE_DEVIATION);
					assert_int_equal(m.reason_required, kind >= 2);
					if (kind >= 2) {
						assert_int_equal(m.approver, kind - 2);
						assert_non_null(m.deviation);
					} else {
						assert_null(m.deviation);
					}
				}
				if (want == CASES_MOVE_OK)
					assert_null(m.msgid);
				else
					assert_string_equal(m.msgid, cases_move_code_msgid(want));
				checked++;
			}
	assert_int_equal(checked, NPH * NPH * (ROLE_COUNT + 1));
	/* several roles at once: any mover role is enough */
	struct full f;
	struct cases_move m;
	full_state(&f, AUTHORITY, NULL);
	assert_int_equal(cases_move_decide(&proto, &f.s, M(INV) | M(CA) | M(ROLE_AUDITOR),
					   "closing", &m), 0);
	assert_int_equal(cases_move_decide(&proto, &f.s, ~M(CA), "closing", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_NOT_MOVER);
}

/* Every deviation, for every approver role: none on file, one for another
 * move, the wrong role, the right one. With nothing done, the deviations that
 * waive the requirements reach the approval check; the one that keeps them
 * stops at the checklist. */
static void test_deviations(void **state)
{
	(void)state;
	size_t seen = 0;
	for (int from = 0; from < NPH; from++)
		for (int to = 0; to < NPH; to++) {
			int kind = route[from][to];
			if (kind < 2)
				continue;
			seen++;
			enum role approver = (enum role)(kind - 2);
			unsigned actor = movers[from];
			struct full f;
			struct cases_move m;
			full_state(&f, from, NULL);
			assert_int_equal(cases_move_decide(&proto, &f.s, actor, ids[to], &m), -1);
			assert_int_equal(m.code, CASES_MOVE_E_NO_APPROVAL);
			assert_int_equal(m.kind, CASES_MOVE_DEVIATION);
			assert_int_equal(m.approver, approver);
			assert_true(m.reason_required);
			/* approved, but for another move from here */
			struct cases_approval other = {ids[from], ids[from == INTAKE ? DECISION : INTAKE],
						       approver, "Reden."};
			full_state(&f, from, &other);
			cases_move_decide(&proto, &f.s, actor, ids[to], &m);
			assert_int_equal(m.code, CASES_MOVE_E_NO_APPROVAL);
			/* approved for this target but from another phase */
			struct cases_approval elsewhere = {ids[from == INTAKE ? DECISION : INTAKE], ids[to],
							   approver, "Reden."};
			full_state(&f, from, &elsewhere);
			cases_move_decide(&proto, &f.s, actor, ids[to], &m);
			assert_int_equal(m.code, CASES_MOVE_E_NO_APPROVAL);
			for (int r = 0; r < ROLE_COUNT; r++) {
				struct cases_approval a = {ids[from], ids[to], (enum role)r, "Reden."};
				full_state(&f, from, &a);
				int rc = cases_move_decide(&proto, &f.s, actor, ids[to], &m);
				assert_int_equal(m.code, (enum role)r == approver ? CASES_MOVE_OK :
						 CASES_MOVE_E_WRONG_APPROVER);
				assert_int_equal(rc, m.code == CASES_MOVE_OK ? 0 : -1);
			}
			/* nothing done */
			struct cases_approval a = {ids[from], ids[to], approver, "Reden."};
			struct cases_state empty = {ids[from], NULL, 0, NULL, 0, &a};
			int rc = cases_move_decide(&proto, &empty, actor, ids[to], &m);
			if (keeps_requirements(from, to)) {
				assert_int_equal(rc, -1);
				assert_int_equal(m.code, CASES_MOVE_E_CHECKLIST);
				assert_true(m.nopen > 0);
			} else {
				assert_int_equal(rc, 0);
				assert_int_equal(m.nopen, 0);
				assert_int_equal(m.nmissing, 0);
			}
		}
	assert_int_equal(seen, proto.ndeviations);
}

/* Without the requirements met, every normal move out of every phase stops
 * at its checklist, then at its records, naming exactly what is open. */
static void test_requirements(void **state)
{
	(void)state;
	for (int from = 0; from < CLOSING; from++) {
		const struct cases_phase *ph = &proto.phases[from];
		int to = 0;
		while (route[from][to] != 1)
			to++;
		struct cases_state s = {ids[from], NULL, 0, NULL, 0, NULL};
		struct cases_move m;
		assert_int_equal(cases_move_decide(&proto, &s, movers[from], ids[to], &m), -1);
		assert_int_equal(m.code, CASES_MOVE_E_CHECKLIST);
		size_t required = 0;
		for (size_t i = 0; i < ph->nchecklist; i++)
			if (ph->checklist[i].required)
				assert_ptr_equal(m.open[required++], &ph->checklist[i]);
		assert_int_equal(m.nopen, required);
		assert_int_equal(m.nmissing, ph->nrecords);
		/* the required items done (and the optional ones not): records next */
		const char *done[CASES_MAX_CHECKLIST];
		size_t n = 0;
		for (size_t i = 0; i < ph->nchecklist; i++)
			if (ph->checklist[i].required)
				done[n++] = ph->checklist[i].id;
		s.done = done;
		s.ndone = n;
		assert_int_equal(cases_move_decide(&proto, &s, movers[from], ids[to], &m), -1);
		assert_int_equal(m.code, CASES_MOVE_E_RECORDS);
		assert_int_equal(m.nopen, 0);
		assert_int_equal(m.nmissing, ph->nrecords);
		for (size_t i = 0; i < ph->nrecords; i++)
			assert_ptr_equal(m.missing[i], &proto.record_types[ph->records[i]]);
		/* the records present: the move passes */
		const char *recs[CASES_MAX_PHASE_RECORDS];
		for (size_t i = 0; i < ph->nrecords; i++)
			recs[i] = proto.record_types[ph->records[i]].id;
		s.records = recs;
		s.nrecords = ph->nrecords;
		assert_int_equal(cases_move_decide(&proto, &s, movers[from], ids[to], &m), 0);
		assert_int_equal(m.code, CASES_MOVE_OK);
		assert_int_equal(m.kind, CASES_MOVE_NORMAL);
	}
	/* the draft report phase needs both its records: one is not enough, and
	 * ids the phase or protocol lacks are ignored */
	const char *done[] = {"draft_sent", "assistance_offered", "reactions_processed", "bogus",
			      NULL};
	const char *recs[] = {"draft_report", "nonsense", "final_report"};
	struct cases_state s = {"draft_report", done, 5, recs, 3, NULL};
	struct cases_move m;
	assert_int_equal(cases_move_decide(&proto, &s, M(INV), "final_report", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_RECORDS);
	assert_int_equal(m.nmissing, 1);
	assert_string_equal(m.missing[0]->id, "hearing_reaction");
	assert_string_equal(m.msgid, "Some records this phase requires are not in the case yet.");
	/* done items of another phase do not count */
	const char *wrong[] = {"scope_checked", "team_impartial", "facts_gathered",
			       "police_considered"};
	struct cases_state s2 = {"decision", wrong, 4, NULL, 0, NULL};
	assert_int_equal(cases_move_decide(&proto, &s2, M(IC), "investigation", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_CHECKLIST);
	assert_int_equal(m.nopen, 2);
	assert_string_equal(m.open[0]->id, "authority_decided");
	assert_string_equal(m.open[1]->id, "reporter_informed");
}

/* Each refusal once more by name, with its message, and the order of the
 * checks: the first failure is the one reported. */
static void test_refusals(void **state)
{
	(void)state;
	struct cases_move m;
	struct full f;
	full_state(&f, INTAKE, NULL);
	/* the case's own phase */
	struct cases_state bad = {"nope", NULL, 0, NULL, 0, NULL};
	assert_int_equal(cases_move_decide(&proto, &bad, M(IC), "decision", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_STATE);
	assert_string_equal(cases_move_code_name(m.code), "bad_state");
	assert_int_equal(m.from, -1);
	assert_int_equal(cases_move_decide(&proto, NULL, M(IC), "decision", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_STATE);
	bad.phase = NULL;
	assert_int_equal(cases_move_decide(&proto, &bad, M(IC), "decision", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_STATE);
	/* the target */
	assert_int_equal(cases_move_decide(&proto, &f.s, M(IC), "appeal", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_NO_PHASE);
	assert_string_equal(cases_move_code_name(m.code), "no_such_phase");
	assert_string_equal(m.msgid, "That phase is not part of this case's protocol.");
	assert_int_equal(m.kind, CASES_MOVE_NONE);
	assert_int_equal(cases_move_decide(&proto, &f.s, M(IC), NULL, &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_NO_PHASE);
	assert_int_equal(cases_move_decide(&proto, &f.s, M(IC), "Decision", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_NO_PHASE);
	/* terminal comes before the same phase and reachability */
	full_state(&f, CLOSING, NULL);
	assert_int_equal(cases_move_decide(&proto, &f.s, ~0u, "closing", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_TERMINAL);
	assert_string_equal(cases_move_code_name(m.code), "terminal");
	assert_int_equal(cases_move_decide(&proto, &f.s, ~0u, "intake", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_TERMINAL);
	assert_string_equal(m.msgid, "This case is closed: it cannot move to another phase.");
	/* the same phase, unreachable: before the mover check */
	full_state(&f, INTAKE, NULL);
	assert_int_equal(cases_move_decide(&proto, &f.s, 0, "intake", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_SAME_PHASE);
	assert_string_equal(cases_move_code_name(m.code), "same_phase");
	assert_int_equal(cases_move_decide(&proto, &f.s, 0, "final_report", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_UNREACHABLE);
	assert_string_equal(cases_move_code_name(m.code), "not_allowed");
	assert_int_equal(m.kind, CASES_MOVE_NONE);
	assert_null(m.deviation);
	/* not a mover: before the requirements */
	struct cases_state empty = {"intake", NULL, 0, NULL, 0, NULL};
	assert_int_equal(cases_move_decide(&proto, &empty, M(CA), "decision", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_NOT_MOVER);
	assert_string_equal(cases_move_code_name(m.code), "not_mover");
	assert_int_equal(m.nopen, 0);
	assert_int_equal(cases_move_decide(&proto, &empty, M(IC), "decision", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_CHECKLIST);
	assert_string_equal(cases_move_code_name(m.code), "checklist_open");
	assert_int_equal(m.nopen, 4);
	assert_string_equal(m.open[0]->id, "scope_checked");
	assert_string_equal(m.open[3]->id, "police_considered");
	assert_int_equal(m.nmissing, 1);
	assert_string_equal(m.missing[0]->id, "intake_summary");
	/* the skip of the hearing keeps the investigation's requirements: the
	 * checklist is reported before the missing approval */
	struct cases_state inv = {"investigation", NULL, 0, NULL, 0, NULL};
	assert_int_equal(cases_move_decide(&proto, &inv, M(INV), "final_report", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_CHECKLIST);
	assert_int_equal(m.kind, CASES_MOVE_DEVIATION);
	assert_int_equal(m.approver, CA);
	/* approvals and reasons */
	struct cases_approval a = {"final_report", "investigation", IC, NULL};
	full_state(&f, FINAL, &a);
	assert_int_equal(cases_move_decide(&proto, &f.s, M(INV), "investigation", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_REASON_EMPTY);
	assert_string_equal(cases_move_code_name(m.code), "reason_missing");
	assert_string_equal(m.msgid, "Give the reason for departing from the protocol.");
	static const char *const empty_reasons[] = {"", " ", " \t\r\n "};
	for (size_t i = 0; i < 3; i++) {
		a.reason = empty_reasons[i];
		cases_move_decide(&proto, &f.s, M(INV), "investigation", &m);
		assert_int_equal(m.code, CASES_MOVE_E_REASON_EMPTY);
	}
	static const char *const bad_reasons[] = {"Nee\x01", "Nee\x7f", "Nee \xff", "Nee \xc2\x85",
						  "\xc3", "Te\xe2\x80"};
	for (size_t i = 0; i < sizeof bad_reasons / sizeof *bad_reasons; i++) {
		a.reason = bad_reasons[i];
		cases_move_decide(&proto, &f.s, M(INV), "investigation", &m);
		assert_int_equal(m.code, CASES_MOVE_E_REASON_INVALID);
		assert_string_equal(cases_move_code_name(m.code), "reason_invalid");
	}
	static char reason[CASES_REASON_MAX + 2];
	memset(reason, 'x', sizeof reason - 1);
	reason[CASES_REASON_MAX] = 0;
	reason[5] = '\n';
	reason[6] = '\t';
	a.reason = reason;
	assert_int_equal(cases_move_decide(&proto, &f.s, M(INV), "investigation", &m), 0);
	reason[CASES_REASON_MAX] = 'x';
	assert_int_equal(cases_move_decide(&proto, &f.s, M(INV), "investigation", &m), -1);
	assert_int_equal(m.code, CASES_MOVE_E_REASON_INVALID);
	a.reason = "Nieuwe feiten: één getuige meldde zich — na het rapport.";
	assert_int_equal(cases_move_decide(&proto, &f.s, M(IC), "investigation", &m), 0);
	/* the wrong approver is reported before the reason */
	a.role = CA;
	a.reason = "";
	cases_move_decide(&proto, &f.s, M(INV), "investigation", &m);
	assert_int_equal(m.code, CASES_MOVE_E_WRONG_APPROVER);
	assert_string_equal(cases_move_code_name(m.code), "wrong_approver");
	a.role = ROLE_ADMINISTRATOR;
	cases_move_decide(&proto, &f.s, M(INV), "investigation", &m);
	assert_int_equal(m.code, CASES_MOVE_E_WRONG_APPROVER);
	a.role = (enum role)99;
	cases_move_decide(&proto, &f.s, M(INV), "investigation", &m);
	assert_int_equal(m.code, CASES_MOVE_E_WRONG_APPROVER);
	a.from = NULL;
	cases_move_decide(&proto, &f.s, M(INV), "investigation", &m);
	assert_int_equal(m.code, CASES_MOVE_E_NO_APPROVAL);
	assert_string_equal(cases_move_code_name(m.code), "approval_missing");
	/* an approval on file does not matter to a normal move */
	a = (struct cases_approval){"final_report", "authority_decision", ROLE_REPORTER, ""};
	cases_move_decide(&proto, &f.s, M(INV), "authority_decision", &m);
	assert_int_equal(m.code, CASES_MOVE_OK);
	/* every code has a distinct name and, but for OK, a message */
	for (int i = 0; i < CASES_MOVE_CODE_COUNT; i++) {
		assert_int_equal(cases_move_code_msgid((enum cases_move_code)i) == NULL, i == 0);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(cases_move_code_name((enum cases_move_code)i),
						cases_move_code_name((enum cases_move_code)k));
	}
	assert_string_equal(cases_move_code_name(CASES_MOVE_CODE_COUNT), "?");
	assert_null(cases_move_code_msgid((enum cases_move_code)-1));
}

static void test_open_and_targets(void **state)
{
	(void)state;
	struct cases_move m;
	struct cases_state s = {"closing", NULL, 0, NULL, 0, NULL};
	/* the terminal phase: what closing the file requires */
	assert_int_equal(cases_phase_open(&proto, &s, &m), 1);
	assert_int_equal(m.nopen, 3);
	assert_int_equal(m.nmissing, 1);
	assert_string_equal(m.missing[0]->id, "closing_memo");
	struct full f;
	full_state(&f, CLOSING, NULL);
	assert_int_equal(cases_phase_open(&proto, &f.s, &m), 0);
	s.phase = "nope";
	assert_int_equal(cases_phase_open(&proto, &s, &m), -1);
	assert_int_equal(cases_phase_open(&proto, NULL, &m), -1);
	/* targets: the normal ones first, then the deviations */
	size_t out[NPH];
	assert_int_equal(cases_move_targets(&proto, DECISION, out, NPH), 2);
	assert_int_equal(out[0], INVESTIGATION);
	assert_int_equal(out[1], CLOSING);
	assert_int_equal(cases_move_targets(&proto, INVESTIGATION, out, NPH), 3);
	assert_int_equal(out[0], DRAFT);
	assert_int_equal(out[1], FINAL);
	assert_int_equal(out[2], CLOSING);
	assert_int_equal(cases_move_targets(&proto, INVESTIGATION, out, 1), 3);
	assert_int_equal(cases_move_targets(&proto, CLOSING, out, NPH), 0);
	assert_int_equal(cases_move_targets(&proto, 99, out, NPH), 0);
	/* and they agree with the table */
	for (int from = 0; from < NPH; from++) {
		size_t n = cases_move_targets(&proto, (size_t)from, out, NPH), want = 0;
		for (int to = 0; to < NPH; to++)
			want += route[from][to] != 0;
		assert_int_equal(n, want);
		for (size_t i = 0; i < n; i++)
			assert_int_not_equal(route[from][out[i]], 0);
	}
}

static void test_due(void **state)
{
	(void)state;
	char due[DATE_LEN + 1];
	int32_t left;
	assert_int_equal(cases_phase_due(&proto.phases[INTAKE], "2024-07-02", due), 0);
	assert_string_equal(due, "2024-07-16");
	assert_int_equal(cases_phase_due(&proto.phases[INVESTIGATION], "2024-11-15", due), 0);
	assert_string_equal(due, "2025-02-13");
	assert_int_equal(cases_phase_due(&proto.phases[AUTHORITY], "2024-02-01", due), 0);
	assert_string_equal(due, "2024-02-29");
	assert_int_equal(cases_phase_due(&proto.phases[INTAKE], "2024-02-30", due), -1);
	assert_string_equal(due, "");
	assert_int_equal(cases_phase_due(&proto.phases[INTAKE], "2024-07-0", due), -1);
	assert_int_equal(cases_phase_due(&proto.phases[INTAKE], "2024-07-022", due), -1);
	assert_int_equal(cases_phase_due(&proto.phases[INTAKE], NULL, due), -1);
	assert_int_equal(cases_phase_due(&proto.phases[INTAKE], "9999-12-25", due), -1);
	assert_int_equal(cases_phase_days_left(&proto.phases[INTAKE], "2024-07-02", "2024-07-02",
					       &left), 0);
	assert_int_equal(left, 14);
	assert_int_equal(cases_phase_days_left(&proto.phases[INTAKE], "2024-07-02", "2024-07-16",
					       &left), 0);
	assert_int_equal(left, 0);
	assert_int_equal(cases_phase_days_left(&proto.phases[INTAKE], "2024-07-02", "2024-07-20",
					       &left), 0);
	assert_int_equal(left, -4);
	assert_int_equal(cases_phase_days_left(&proto.phases[INTAKE], "2024-07-02", "2024-13-01",
					       &left), -1);
	assert_int_equal(cases_phase_days_left(&proto.phases[INTAKE], "x", "2024-07-01", &left),
			 -1);
	/* a phase without a term */
	struct cases_phase none = proto.phases[INTAKE];
	none.term_days = 0;
	assert_int_equal(cases_phase_due(&none, "2024-07-02", due), 1);
	assert_string_equal(due, "");
	assert_int_equal(cases_phase_days_left(&none, "2024-07-02", "2030-01-01", &left), 1);
	assert_int_equal(left, 0);
	assert_int_equal(cases_phase_days_left(&none, "2024-07-02", "2030-01-32", &left), -1);
	assert_int_equal(cases_phase_due(&none, "2024-07-32", due), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_deviations),
		cmocka_unit_test(test_requirements),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_open_and_targets),
		cmocka_unit_test(test_due),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
