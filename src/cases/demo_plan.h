/* demo_plan.h: what demo.c (reading cases.json) hands demo_walk.c (carrying
 * it out): one checked plan per case. Not for other areas: they use demo.h. */
#ifndef CASES_DEMO_PLAN_H
#define CASES_DEMO_PLAN_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/jsondoc.h"
#include "cases/cases.h"
#include "cases/demo.h"

#define DEMO_MAX_INVESTIGATORS 5
#define DEMO_MAX_PEOPLE 10
#define DEMO_MAX_TEXTS 10   /* texts per record type, notes per case */

/* The demo's accounts and reports, borrowed from the caller. */
struct demo_input {
	const struct account_demo_login *logins;
	size_t nlogins;
	const struct intake_demo_report *reports;
	size_t nreports;
};

struct demo_person {
	struct cases_person_in in;           /* strings borrowed from the file */
	enum cases_party party;
	enum cases_step steps[CASES_STEP_COUNT];  /* taken in the current phase, in order */
	size_t nsteps;
};

/* One case, checked. Texts are borrowed from the parsed file; accounts are
 * indexes into demo_input.logins. */
struct demo_plan {
	const struct cases_protocol *protocol;
	const char *org_code;
	int64_t reports[CASES_REPORTS_MAX];
	size_t nreports;
	size_t route[CASES_MAX_PHASES];      /* phase indexes: the first .. the case's phase */
	size_t nroute;
	char entry[CASES_MAX_PHASES][DATE_LEN + 1];  /* the day it entered route[k] */
	char closed_on[DATE_LEN + 1];        /* "" for a case that stays open */
	size_t coordinator;
	size_t investigators[DEMO_MAX_INVESTIGATORS];
	size_t ninvestigators;
	int share_at;                        /* route place where the summary is shared, or -1 */
	size_t authority;                    /* when share_at >= 0 */
	const char *summary;
	struct demo_person people[DEMO_MAX_PEOPLE];
	size_t npeople;
	json_t *records;                     /* {type: [text, ...]} or NULL */
	json_t *notes;                       /* [text, ...] or NULL */
	int decide_at;                       /* route place of the authority's decision, or -1 */
	const char *outcome, *category;      /* when decide_at >= 0 */
	int police_report;
	const char *measures[CASES_CASE_MEASURES_MAX];
	size_t nmeasures;
	const char *decision;                /* NULL: not decided yet */
	const char *decision_measures[CASES_CASE_MEASURES_MAX];
	size_t ndecision_measures;
};

/* The steps (bit 1u << step) of the rights that fall due in ph for party. */
unsigned demo_phase_steps(const struct cases_phase *ph, enum cases_party party);
/* The route place of the first phase that requires record type `type`
 * (an index into the protocol's record types), or -1. */
int demo_record_phase(const struct demo_plan *pl, size_t type);
/* 1 if the case leaves route place k: every place but the last, and the
 * last too for a case that is closed. */
int demo_finished(const struct demo_plan *pl, size_t k);

/* demo_walk.c: signs in as every account the plans name, then opens and
 * walks each case; out[0..*n) gets the cases made. 0, or -1 with
 * "cases[i]: what: why" in e. */
int demo_walk(db_t *db, const struct audit_signer *signer, const struct demo_input *in,
	      const struct demo_plan *plans, size_t n, const char *today,
	      struct cases_demo_case *out, size_t *nout, const struct jsondoc_err *e);

#endif
