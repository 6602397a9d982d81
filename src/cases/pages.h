/* pages.h: the pages of case handling (issue 5): the cases of a team
 * member, one case with its phase, checklist, records, team, people
 * involved, notes and outcome, the joined reports read through the case,
 * the competent authority's summary and decision, and the "due and overdue"
 * view. Routes in src/app/routes.c, which declares the roles; which case a
 * user may open is decided by the case's keys (cases.h), not the role.
 *
 *   pages_list.c      GET /zaken; POST /meldingen/{id}/zaak (open or join)
 *   pages_case.c      GET /zaken/{id}: the case page, re-rendered by refusals
 *   pages_report.c    GET /zaken/{id}/meldingen/{id}: a joined report
 *   pages_phase.c     moves, the checklist, records, closing
 *   pages_team.c      the team and the notes
 *   pages_people.c    the people involved and the steps of their rights
 *   pages_outcome.c   the outcome and sharing the summary
 *   pages_authority.c GET/POST /besluiten: the competent authority
 *   pages_deadlines.c GET /termijnen: due and overdue
 *   pages_shared.c    what these share (below)
 *   pages_queries.c   metadata queries cases.h does not offer (below)
 *
 * A case is decrypted per request with the key sealed to the signed-in user
 * and the opened key is wiped before the handler returns; "not yours" and
 * "does not exist" get one 404. Every write is one storage call: its rows
 * and its audit entry in one transaction, or nothing. */
#ifndef CASES_PAGES_H
#define CASES_PAGES_H
#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "orgs/orgs.h"

struct page;

/* GET /zaken */
void cases_page_list(struct page *p);
/* POST /meldingen/{id}/zaak: open a case from the report, or with field
 * "case" join it to that open case */
void cases_page_open(struct page *p);
/* GET /zaken/{id} */
void cases_page_case(struct page *p);
/* GET /zaken/{id}/meldingen/{id} */
void cases_page_report(struct page *p);
/* POST /zaken/{id}/fase, /checklist, /stukken, /sluiten */
void cases_page_move(struct page *p);
void cases_page_check(struct page *p);
void cases_page_record(struct page *p);
void cases_page_close(struct page *p);
/* POST /zaken/{id}/team, /notities */
void cases_page_team(struct page *p);
void cases_page_note(struct page *p);
/* GET /zaken/{id}/bestanden/{fid}: a file of the case, for a member. */
void cases_page_file(struct page *p);
/* POST /zaken/{id}/betrokkenen, /betrokkenen/{id}/stap */
void cases_page_person(struct page *p);
void cases_page_step(struct page *p);
/* POST /zaken/{id}/uitkomst, /samenvatting */
void cases_page_outcome(struct page *p);
void cases_page_share(struct page *p);
/* GET /besluiten, GET and POST /besluiten/{id}, POST /besluiten/{id}/fase
 * and /checklist (in a phase the authority moves the case out of) */
void cases_page_authority_list(struct page *p);
void cases_page_authority_case(struct page *p);
void cases_page_authority_decide(struct page *p);
void cases_page_authority_move(struct page *p);
void cases_page_authority_check(struct page *p);
/* GET /termijnen */
void cases_page_deadlines(struct page *p);

/* ---- shared by pages_*.c (pages_shared.c) ---- */

/* Cases one list shows at most; the msgid of its count says the same. */
#define CASES_PAGE_LIST_MAX 100

/* What a refused form gives back to the case page: its message in its
 * section and the text typed, so that nothing is lost. All may be NULL. */
struct case_form {
	const char *phase_error, *check_error, *record_error, *record_text, *record_type;
	const char *team_error, *person_error, *step_error, *note_error, *note_text;
	const char *outcome_error, *share_error, *close_error;
	int64_t process_id, unit_id;        /* a refused outcome's place, given back */
	int place_given;
	const char *const *refusal_items;   /* a refused move's open items, in words */
	size_t nrefusal_items;
};

/* Makes sure the protocols, taxonomies and measures are loaded; answers 503
 * and returns -1 when they are not (a build whose data does not parse). */
int case_data(struct page *p);

/* Opens case id as the viewer, a member (authority 0) or a competent
 * authority holding the summary (authority 1). Returns 0 with *k set (the
 * caller wipes it with cases_key_wipe), or -1 having answered: 404 for a
 * case that does not exist or is not the viewer's (one message), another
 * status for a key that does not open or a database failure. */
int case_open_key(struct page *p, int64_t id, int authority, struct cases_key *k);

/* The one answer for "no such case" and "not yours". */
void case_not_found(struct page *p);

/* Answers a storage refusal that no form takes back: 404, 503, 500. */
void case_fail(struct page *p, int64_t id, const struct cases_error *e);

/* Renders case id for the viewer with status (200, or the 4xx of a refused
 * form in f, which may be NULL). */
void case_show(struct page *p, int64_t id, int status, const struct case_form *f);
/* Redirects back to the case page with a notice code and an anchor. */
void case_back(struct page *p, const char *done, const char *anchor);

/* The open items of a refused or blocked move in words (the machine's
 * listed checklist items and records), in the page's arena. */
const char *const *case_move_items(struct page *p, const struct cases_move *m, size_t *n);
/* The machine's refusal in the reader's language, with the deviation's
 * approver named when it lacks an approval. */
const char *case_move_refusal(struct page *p, const struct cases_move *m);

/* Words: a phase's title under protocol pr ("" pr: the id), the role in a
 * case, a party, a step, an outcome, a police report, a role's label. */
const char *case_phase_title(const struct page *p, const struct cases_protocol *pr,
			     const char *phase);
const char *case_role_words(const struct page *p, const char *role_in_case);
const char *case_party_words(const struct page *p, const char *party);
const char *case_step_words(const struct page *p, enum cases_step s);
const char *case_outcome_words(const struct page *p, const char *outcome);
const char *case_police_words(const struct page *p, int police_report);
/* A term on today: "3 days left", "Due today", "Overdue by 2 days"; due ""
 * gives "No term". */
struct cv_clock case_clock(struct page *p, const char *due, const char *today);
/* The organisation tree, loaded once for a page that names many
 * organisations (ok 0: it did not load, and codes are shown as they are). */
struct case_orgs {
	struct org_table t;
	int ok;
};
void case_orgs_load(struct page *p, struct case_orgs *o);
void case_orgs_free(struct case_orgs *o);
/* "Financiën (FIN)" by the organisation's latest name, or the code; o NULL
 * loads the tree for this one label. */
const char *case_org_label(struct page *p, const struct case_orgs *o, const char *code);
/* The measures of m in words, joined by ", "; "" for none. */
const char *case_measures_words(struct page *p, const char (*codes)[CASES_ID_MAX + 1],
				size_t n);
/* The viewer's secret key into sk; answers 503 and returns -1 when it does
 * not open. The caller wipes sk. */
int case_secret_key(struct page *p, unsigned char sk[32]);
/* The "measure" checkboxes of the posted form into out (room for
 * CASES_CASE_MEASURES_MAX): codes of the current measures list, distinct.
 * Returns how many, or -1 with *why translated. */
int case_form_measures(struct page *p, const char **out, const char **why);
/* 1 if s holds only spaces, tabs and line breaks. */
int case_blank(const char *s);
/* The account id of a username typed into a form, or 0 when there is none. */
int64_t case_account_by_name(struct page *p, const char *username);
/* Reads a move form (fields target, approver, reason) for the team's and the
 * authority's pages alike: *target, and *appr filled when an approver or a
 * reason was given (a departure from the protocol), with *deviation set.
 * Returns NULL, or a translated message for the form. */
const char *case_read_move(struct page *p, const char **target, struct cases_approval_in *appr,
			   int *deviation);

/* ---- metadata queries (pages_queries.c) ----
 * What the pages need and cases.h does not offer; metadata only, nothing
 * decrypted. Each returns 0 or -1 (a database error, in db_error). */

/* The case report_id is joined to, 0 when none, into *case_id. */
int case_q_report_case(db_t *db, int64_t report_id, int64_t *case_id);

/* An open case of an organisation that account_id coordinates at (an
 * integrity_coordinator role at the case's organisation, or at the
 * department above its unit). Metadata only: a coordinator who is not on
 * the team sees that the case exists and when its phase is due, nothing
 * more. */
struct case_q_open {
	int64_t id;
	char org_code[ORG_CODE_MAX + 1];
	char protocol[CASES_ID_MAX + 1];
	int protocol_revision;
	char phase[CASES_ID_MAX + 1];
	char phase_started_on[DATE_LEN + 1];
	char dept_code[ORG_CODE_MAX + 1]; /* where account_id holds the role */
	int member;                  /* account_id is a current member */
};
/* The open cases account_id coordinates at, at most cap, by department and
 * case id; *n gets the count. A case reached through two roles is listed
 * once. */
int case_q_coordinated(db_t *db, int64_t account_id, struct case_q_open *out, size_t cap,
		       size_t *n);

/* A choice for the place of a violation: a process of the department's risk
 * register, or a unit under the department ("FIN-DGB Belastingdienst"). */
#define CASE_Q_CHOICES_MAX 1000
struct case_q_choice {
	int64_t id;
	char name[CASES_PROCESS_NAME_MAX + ORG_CODE_MAX + 2];
};
/* The processes of dept_id's risk register, by name, at most cap. */
int case_q_processes(db_t *db, int64_t dept_id, struct case_q_choice *out, size_t cap,
		     size_t *n);
/* The units under dept_id (through units under units) that exist on today,
 * by code, at most cap. */
int case_q_units(db_t *db, int64_t dept_id, const char *today, struct case_q_choice *out,
		 size_t cap, size_t *n);

#endif
