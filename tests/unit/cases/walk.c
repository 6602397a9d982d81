/* walk.c: see walk.h. */
#include "walk.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cases/dataset.h"

static const struct cases_protocol *protocol(void)
{
	const struct cases_protocol *p = cases_data_protocol();
	assert_non_null(p);
	return p;
}

static const struct cases_phase *phase_of(struct cfx *f, const struct cases_key *kc)
{
	struct cases_case cc;
	struct cases_error e;
	assert_int_equal(cases_read(f->t.db, kc, &cc, &e), 0);
	int i = cases_protocol_phase(protocol(), cc.phase);
	assert_true(i >= 0);
	return &protocol()->phases[i];
}

/* Ticks the required items not ticked yet and adds the required records. */
static void complete(struct cfx *f, const struct cases_key *kc, int coord,
		     const struct cases_key *ka, int auth, const char *decision_text)
{
	const struct cases_protocol *p = protocol();
	const struct cases_phase *ph = phase_of(f, kc);
	struct cases_error e;
	char done[CASES_MAX_CHECKLIST][CASES_ID_MAX + 1];
	size_t ndone;
	assert_int_equal(cases_checked(f->t.db, kc, done, CASES_MAX_CHECKLIST, &ndone, &e), 0);
	for (size_t i = 0; i < ph->nchecklist; i++) {
		int ticked = 0;
		for (size_t j = 0; j < ndone; j++)
			ticked |= strcmp(done[j], ph->checklist[i].id) == 0;
		if (ph->checklist[i].required && !ticked &&
		    cases_check(f->t.db, &f->t.signer, kc, f->ids[coord], ph->checklist[i].id, 1,
				f->today, &e) != 0)
			fail_msg("tick %s: %s", ph->checklist[i].id, e.msg);
	}
	for (size_t i = 0; i < ph->nrecords; i++) {
		const char *type = p->record_types[ph->records[i]].id;
		if (strcmp(type, CASES_RECORD_DECISION) == 0) {
			struct cases_case cc;
			assert_int_equal(cases_read(f->t.db, kc, &cc, &e), 0);
			if (!cc.decided_on[0] &&
			    cases_decide(f->t.db, &f->t.signer, ka, f->ids[auth], decision_text,
					 strlen(decision_text), NULL, 0, f->today, &e) != 0)
				fail_msg("decide: %s", e.msg);
		} else if (cases_record_add(f->t.db, &f->t.signer, kc, f->ids[coord], type,
					    "verslag", 7, NULL, &e) != 0) {
			fail_msg("record %s: %s", type, e.msg);
		}
	}
}

/* Walks to phase `stop`, or to closing when stop is NULL. */
static void walk(struct cfx *f, const struct cases_key *kc, int coord, const struct cases_key *ka,
		 int auth, const char *decision_text, const char *stop)
{
	const struct cases_protocol *p = protocol();
	struct cases_error e;
	const char *terminal = p->phases[p->nphases - 1].id;
	for (int guard = 0; guard <= (int)p->nphases; guard++) {
		const struct cases_phase *ph = phase_of(f, kc);
		if (stop && strcmp(ph->id, stop) == 0)
			return;
		complete(f, kc, coord, ka, auth, decision_text);
		if (!stop && strcmp(ph->id, terminal) == 0) {
			if (cases_close(f->t.db, &f->t.signer, kc, f->ids[coord], f->today, &e) != 0)
				fail_msg("close: %s", e.msg);
			return;
		}
		assert_true(ph->nnext > 0);
		int as_coord = (ph->movers & role_mask(ROLE_INTEGRITY_COORDINATOR)) != 0;
		assert_true(as_coord || (ph->movers & role_mask(ROLE_COMPETENT_AUTHORITY)));
		if (cases_move(f->t.db, &f->t.signer, as_coord ? kc : ka,
			       f->ids[as_coord ? coord : auth], p->phases[ph->next[0]].id, NULL,
			       f->today, NULL, &e) != 0)
			fail_msg("move from %s: %s", ph->id, e.msg);
	}
	fail_msg("the protocol's normal route does not reach %s", stop ? stop : terminal);
}

void walk_close(struct cfx *f, const struct cases_key *kc, int coord, const struct cases_key *ka,
		int auth, const char *decision_text)
{
	walk(f, kc, coord, ka, auth, decision_text, NULL);
}

void walk_to(struct cfx *f, const struct cases_key *kc, int coord, const struct cases_key *ka,
	     int auth, const char *decision_text, const char *phase)
{
	walk(f, kc, coord, ka, auth, decision_text, phase);
}
