/* walk.h: a case walked along the shipped protocol's normal route and
 * closed, through the real functions, for the tests that need a closed case
 * (test_cases_files.c, test_cases_purge.c). */
#ifndef TESTS_UNIT_CASES_WALK_H
#define TESTS_UNIT_CASES_WALK_H
#include "casesfx.h"

/* Moves the case of kc (a coordinator member, account index coord) phase by
 * phase to the protocol's terminal phase, ticking the required checklist
 * items and adding the required records ("verslag"); the competent
 * authority (account index auth, its key ka, the summary shared with it)
 * records the decision with decision_text and moves the case where it must.
 * Then completes the terminal phase and closes the case on f->today. Fails
 * the test on any refusal. */
void walk_close(struct cfx *f, const struct cases_key *kc, int coord, const struct cases_key *ka,
		int auth, const char *decision_text);

/* As walk_close, but stops when the case is in phase `phase` (on the normal
 * route), before completing it. */
void walk_to(struct cfx *f, const struct cases_key *kc, int coord, const struct cases_key *ka,
	     int auth, const char *decision_text, const char *phase);

#endif
