/* assess.h: self-assessment of a department against a framework revision
 * (issue 6 deliverable 2; docs/assessment.md "Self-assessment"). The face of
 * src/assess for the pages, the API and the tests.
 *
 *   score.c     pure: judgements and maturity in words, scores per
 *               requirement, norm or principle (group), pillar and overall,
 *               the change since the previous assessment
 *   workflow.c  pure: draft -> signed off -> reviewed, and back to draft
 *   store.c     the storage (migration 0012): creating (with the prefill),
 *               reading, saving one group's form, the workflow's steps,
 *               lists and the comparison across departments
 *   access.c    who may do what for a department, decided in the database
 *   keys.c      the assessment key: sealing it to its holders, opening it,
 *               and giving it to a successor by recovery (src/keys)
 *   evidence.c  evidence: links, and files encrypted under the assessment key
 *
 * What is encrypted, and why not the rest: evidence files (their bytes and
 * their name, type and size) are content blobs (crypto/envelope.h) under a
 * key of the assessment's own, sealed to the accounts allowed to read them.
 * Judgements, maturity, comments, action points and evidence links are
 * organisational facts about a department's integrity system, not about
 * persons, and the coordinator's comparison and the exports need them
 * without anyone's key: they are stored in the clear (docs/security.md).
 *
 * Access (docs/roles.md): an assessment belongs to a department. Drafting:
 * integrity_coordinator or manager at the department or a unit under it.
 * Signing off: integrity_coordinator there. Reviewing and returning: the
 * coordinator (ROLE_COORDINATOR at the government, the department in its
 * scope: never Defence). Reading: those, and auditors in scope. Everyone
 * else, and "no such assessment", get ASSESS_ENOTFOUND: one answer.
 *
 * Every write is one transaction with its audit entry (assess.create,
 * assess.update, assess.evidence_add, assess.evidence_remove,
 * assess.sign_off, assess.review, assess.return, assess.key_share), which
 * names ids, codes and counts, never a comment. */
#ifndef ASSESS_ASSESS_H
#define ASSESS_ASSESS_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "crypto/envelope.h"
#include "frameworks/framework.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "store/db.h"

/* ---- limits ---- */

#define ASSESS_COMMENT_MAX 4000      /* bytes of a requirement's comment */
#define ASSESS_REVIEW_MAX 4000       /* bytes of a review comment or a return's reason */
#define ASSESS_ACTION_TEXT_MAX 500   /* bytes of an action point */
#define ASSESS_OWNER_MAX 120         /* bytes of an action point's owner */
#define ASSESS_URL_MAX 2000          /* bytes of an evidence link */
#define ASSESS_ACTIONS_MAX 20        /* action points per requirement */
#define ASSESS_EVIDENCE_MAX 20       /* evidence items per requirement */
#define ASSESS_YEAR_MIN 2000
#define ASSESS_YEAR_MAX 2100
#define ASSESS_FILE_MAX INTAKE_FILE_MAX      /* bytes of one evidence file */
#define ASSESS_FILES_TOTAL INTAKE_FILES_TOTAL /* bytes of the files of one save */
#define ASSESS_FILES_MAX INTAKE_FILES_MAX    /* files of one save */

/* ---- score.c: the vocabulary ---- */

/* A judgement of one dimension. The Court of Audit judges a measure on its
 * design (opzet), existence (bestaan) and operation (werking). */
enum assess_judgement {
	ASSESS_J_NONE = 0,     /* not assessed */
	ASSESS_J_ABSENT = 1,
	ASSESS_J_PARTLY = 2,
	ASSESS_J_ADEQUATE = 3,
};
#define ASSESS_DIMS 3
enum assess_dim { ASSESS_DESIGN = 0, ASSESS_EXISTENCE = 1, ASSESS_OPERATION = 2 };

/* OECD maturity levels (nascent .. leading). */
enum assess_maturity {
	ASSESS_M_NONE = 0,     /* not assessed */
	ASSESS_M_NASCENT = 1,
	ASSESS_M_EMERGING = 2,
	ASSESS_M_ESTABLISHED = 3,
	ASSESS_M_LEADING = 4,
};

/* "none", "absent", "partly", "adequate" (stored and in the API); NULL out
 * of range. parse: 0 or -1. */
const char *assess_judgement_name(int j);
int assess_judgement_parse(const char *s, int *out);
/* "none", "nascent", "emerging", "established", "leading". */
const char *assess_maturity_name(int m);
int assess_maturity_parse(const char *s, int *out);
/* "design", "existence", "operation". */
const char *assess_dim_name(int d);

/* ---- score.c: scores ----
 *
 * Points: absent 0, partly 50, adequate 100. Scores are kept as whole
 * hundredths of a point (0 .. 10000, "centi") so that the arithmetic is
 * exact integers, and every mean is rounded half up to a hundredth:
 *
 *   requirement  the mean of its judged dimensions; none when no dimension
 *                is judged
 *   group        (a norm or principle) the mean of its scored requirements;
 *                none when none is scored
 *   pillar       the mean of its scored groups
 *   overall      the mean of all scored groups: every norm or principle
 *                weighs the same, however many requirements it has
 *
 * Not assessed is left out of a mean and counted (unscored). Shown scores
 * are whole points, rounded half up from the hundredths; the change since
 * the previous assessment is the difference of the shown scores, so that
 * what a reader sees adds up. Maturity is the median level of the
 * requirements that have one (in the group, the pillar, or all), the lower
 * of the two middle levels when their number is even: a claim of maturity
 * needs half of the requirements at or above it. */

#define ASSESS_SCORE_NONE (-1)

struct assess_score {
	int centi;        /* 0..10000, or ASSESS_SCORE_NONE */
	int shown;        /* 0..100, or ASSESS_SCORE_NONE */
	size_t counted;   /* parts with a score */
	size_t unscored;  /* parts without one (not assessed) */
	int maturity;     /* enum assess_maturity, ASSESS_M_NONE when none has one */
};

/* One requirement's judgements, as the scorer sees them. */
struct assess_marks {
	unsigned char dim[ASSESS_DIMS];  /* enum assess_judgement */
	unsigned char maturity;          /* enum assess_maturity */
};

struct assess_scores {
	struct assess_score *reqs;     /* f->nreqs */
	struct assess_score *groups;   /* f->ngroups */
	struct assess_score *pillars;  /* f->npillars (may be 0) */
	struct assess_score overall;
	size_t open_dims;              /* dimensions not judged, all requirements together */
	size_t open_reqs;              /* requirements with a dimension not judged */
};

/* Scores marks[0..f->nreqs) (in the framework's order) into out, whose
 * arrays the function allocates (assess_scores_free). Out-of-range values
 * count as not assessed. */
void assess_score(const struct framework *f, const struct assess_marks *marks,
		  struct assess_scores *out);
void assess_scores_free(struct assess_scores *s);
/* The score of one requirement's marks. */
struct assess_score assess_score_req(const struct assess_marks *m);
/* Mean of n centi values rounded half up (n > 0). */
int assess_mean_centi(long long sum, size_t n);
/* Whole points from hundredths, rounded half up; NONE stays NONE. */
int assess_shown(int centi);
/* The change from prev to cur, shown points; *has 0 when either is none. */
int assess_change(const struct assess_score *cur, const struct assess_score *prev, int *has);

/* ---- workflow.c ---- */

enum assess_status { ASSESS_DRAFT = 0, ASSESS_SIGNED_OFF = 1, ASSESS_REVIEWED = 2 };
/* "draft", "signed_off", "reviewed"; parse 0 or -1. */
const char *assess_status_name(int s);
int assess_status_parse(const char *s, int *out);

enum assess_action {
	ASSESS_ACT_EDIT,      /* change judgements, comments, evidence, actions */
	ASSESS_ACT_SIGN_OFF,  /* draft -> signed off */
	ASSESS_ACT_REVIEW,    /* signed off -> reviewed, with a comment */
	ASSESS_ACT_RETURN,    /* signed off -> draft, with a reason */
	ASSESS_ACT_COUNT
};

/* What an account may do for a department (access.c decides them). */
#define ASSESS_CAP_DRAFT 1u   /* integrity_coordinator or manager of the department */
#define ASSESS_CAP_SIGN 2u    /* integrity_coordinator of the department */
#define ASSESS_CAP_REVIEW 4u  /* the coordinator, the department in scope */
#define ASSESS_CAP_READ 8u    /* any of the above, or an auditor in scope */

enum assess_step_result {
	ASSESS_STEP_OK = 0,
	ASSESS_STEP_E_ROLE,        /* the actor may not take this step */
	ASSESS_STEP_E_STATE,       /* not from this status (signed off and reviewed are read-only) */
	ASSESS_STEP_E_INCOMPLETE,  /* sign-off while a requirement is not fully judged */
	ASSESS_STEP_E_TEXT,        /* a review without a comment, a return without a reason */
};

/* Whether an actor with caps may take act on an assessment in status from;
 * open_reqs: requirements with a dimension not judged; has_text: a review
 * comment or return reason was given. Checked in this order: role, status,
 * completeness, text. On ASSESS_STEP_OK *to (may be NULL) gets the new
 * status. */
enum assess_step_result assess_step(int from, int act, unsigned caps, size_t open_reqs,
				    int has_text, int *to);
/* The steps (bit 1 << act) the actor may be offered from status: those
 * assess_step allows for role and status, completeness and text aside. */
unsigned assess_steps_offered(int status, unsigned caps);

/* ---- storage: errors ---- */

enum assess_errcode {
	ASSESS_OK = 0,
	ASSESS_EINVALID,     /* malformed input: a code, a length, a date, a URL, a file */
	ASSESS_ENOTFOUND,    /* no such assessment (or not the actor's), requirement, item */
	ASSESS_EDENIED,      /* the actor may read but not do this */
	ASSESS_ECONFLICT,    /* the status does not allow it (read-only), or a duplicate */
	ASSESS_EINCOMPLETE,  /* sign-off while requirements are not judged */
	ASSESS_ENOKEY,       /* the actor holds no key to the assessment's evidence (yet) */
	ASSESS_EDAMAGED,     /* stored keys or blobs do not open */
	ASSESS_EDB,          /* the database failed */
};

struct assess_error {
	int code;
	int step;            /* enum assess_step_result for workflow refusals */
	size_t open_reqs;    /* ASSESS_EINCOMPLETE: how many */
	char msg[300];
};

/* ---- access.c ---- */

/* The caps of account_id (enabled) for department dept_id (an open
 * department row). 0 with *caps (maybe 0), -1 on a db error. */
int assess_caps(db_t *db, int64_t dept_id, int64_t account_id, unsigned *caps);

/* ---- store.c ---- */

struct assess_row {
	int64_t id;
	int64_t dept_id;
	char dept_code[ORG_CODE_MAX + 1];
	char dept_name[ORG_NAME_MAX + 1];
	int64_t fw_version_id;
	char fw_code[FW_CODE_MAX + 1];
	int fw_revision;
	int year;
	int status;                        /* enum assess_status */
	int64_t prefilled_from;            /* assessment id the prefill came from, or 0 */
	char created_at[TIMESTAMP_LEN + 1];
	char created_by[ACCOUNT_DISPLAY_MAX + 1];
	char signed_off_at[TIMESTAMP_LEN + 1];   /* "" when not */
	char signed_off_by[ACCOUNT_DISPLAY_MAX + 1];
	char reviewed_at[TIMESTAMP_LEN + 1];
	char reviewed_by[ACCOUNT_DISPLAY_MAX + 1];
	char review_comment[ASSESS_REVIEW_MAX + 1];
	char returned_at[TIMESTAMP_LEN + 1];     /* the last return, "" when none */
	char returned_by[ACCOUNT_DISPLAY_MAX + 1];
	char return_reason[ASSESS_REVIEW_MAX + 1];
};

struct assess_item {
	struct assess_marks marks;
	int prefilled;                     /* copied from an earlier assessment, not saved since */
	char comment[ASSESS_COMMENT_MAX + 1];
};

enum assess_action_status { ASSESS_AP_OPEN = 0, ASSESS_AP_IN_PROGRESS = 1, ASSESS_AP_DONE = 2 };
/* "open", "in_progress", "done"; parse 0 or -1. */
const char *assess_ap_status_name(int s);
int assess_ap_status_parse(const char *s, int *out);

struct assess_action_pt {
	int64_t id;
	size_t req;                        /* index into the framework's requirements */
	char text[ASSESS_ACTION_TEXT_MAX + 1];
	char owner[ASSESS_OWNER_MAX + 1];
	char due[DATE_LEN + 1];            /* "" when none */
	int status;                        /* enum assess_action_status */
};

struct assess_evidence {
	int64_t id;
	size_t req;
	int is_file;
	char url[ASSESS_URL_MAX + 1];      /* a link's; "" for a file */
	char author[ACCOUNT_DISPLAY_MAX + 1];
	char created_at[TIMESTAMP_LEN + 1];
	/* a file's name, type and size, filled by assess_evidence_names */
	char name[INTAKE_FILENAME_MAX + 1];
	char mime[INTAKE_MIME_MAX + 1];
	size_t size;
};

/* An assessment read whole: its row, its framework revision, one item per
 * requirement (in the framework's order), its action points and evidence
 * (by requirement, then id), and what the reader may do. */
struct assess_full {
	struct assess_row row;
	struct framework fw;
	struct assess_item *items;
	struct assess_action_pt *actions;
	size_t nactions;
	struct assess_evidence *evidence;
	size_t nevidence;
	unsigned caps;
};
void assess_full_free(struct assess_full *a);
/* The marks of a's items into a fresh array (free()), for assess_score. */
struct assess_marks *assess_full_marks(const struct assess_full *a);

/* Creates the assessment of department dept_id against framework revision
 * fw_version_id for year, by actor_id (ASSESS_CAP_DRAFT there). One
 * transaction: the row (draft), a fresh key sealed to every holder
 * (keys.c) and the recovery key, one item per requirement, prefilled from
 * the department's latest earlier assessment against the same framework
 * code (by requirement code, any revision), or else from its latest against
 * a framework mapped to this one (fw_map; several source requirements on one
 * target give the lowest judgement of each dimension), "assess.create".
 * Returns 0 with *id, or -1: ASSESS_EINVALID (year, no such framework
 * revision, not an open department), ASSESS_ENOTFOUND (the actor may not
 * draft for the department: one answer with "no such department"),
 * ASSESS_ECONFLICT (the department has one for this framework code and year
 * already), ASSESS_EDAMAGED, ASSESS_EDB. *prefilled (may be NULL) gets how
 * many items were prefilled. */
int assess_create(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t dept_id,
		  int64_t fw_version_id, int year, int64_t *id, size_t *prefilled,
		  struct assess_error *e);

/* Reads assessment id for actor_id (ASSESS_CAP_READ at its department).
 * Returns 0 with out filled (assess_full_free), or -1: ASSESS_ENOTFOUND,
 * ASSESS_EDAMAGED (its framework revision is missing), ASSESS_EDB. */
int assess_read(db_t *db, int64_t actor_id, int64_t id, struct assess_full *out,
		struct assess_error *e);

/* One requirement's new state in a save. */
struct assess_item_in {
	const char *req;                   /* requirement code */
	struct assess_marks marks;
	const char *comment;               /* NULL or "" for none */
};

/* One action point in a save: id 0 adds one to req; id > 0 changes that
 * point (req ignored) or, with drop, removes it. */
struct assess_action_in {
	int64_t id;
	const char *req;
	const char *text, *owner, *due;    /* due: "" or NULL for none */
	int status;
	int drop;
};

/* A piece of evidence to add: a link (url) or a file (file.data set; its
 * mime decided by the caller from the bytes with attach_check and its name
 * cleaned with attach_clean_name). */
struct assess_evidence_in {
	const char *req;
	const char *url;
	struct intake_file file;
};

/* What one save changes. Evidence files need the assessment key (key, from
 * assess_key_open; NULL when no file is added). */
struct assess_save {
	const struct assess_item_in *items;
	size_t nitems;
	const struct assess_action_in *actions;
	size_t nactions;
	const struct assess_evidence_in *add;
	size_t nadd;
	const int64_t *drop_evidence;
	size_t ndrop;
	const unsigned char *key;
};

/* Saves s on draft assessment id by actor_id (ASSESS_CAP_DRAFT), in one
 * transaction: the items given (their prefilled mark cleared), the action
 * points, the evidence added and removed, with "assess.update" (the
 * requirement codes and counts) and, for evidence, "assess.evidence_add" /
 * "assess.evidence_remove" (ids). Everything is checked before anything is
 * written. Returns 0, or -1: ASSESS_EINVALID (msg names the part; e->step
 * unused), ASSESS_ENOTFOUND (not the actor's, an unknown requirement,
 * action point or evidence of another assessment), ASSESS_EDENIED (a
 * reader who may not draft), ASSESS_ECONFLICT (not a draft), ASSESS_ENOKEY
 * (files without a key), ASSESS_EDB. */
int assess_save(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		const struct assess_save *s, struct assess_error *e);

/* The workflow's steps on assessment id by actor_id; comment and reason
 * are required, 1 to ASSESS_REVIEW_MAX bytes of UTF-8 (a review says what
 * the coordinator found; a return says what to change). One transaction each with "assess.sign_off",
 * "assess.review" or "assess.return". Returns 0, or -1: ASSESS_ENOTFOUND,
 * ASSESS_EDENIED (e->step ASSESS_STEP_E_ROLE), ASSESS_ECONFLICT (status),
 * ASSESS_EINCOMPLETE (e->open_reqs), ASSESS_EINVALID (text), ASSESS_EDB. */
int assess_sign_off(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		    struct assess_error *e);
int assess_review(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		  const char *comment, struct assess_error *e);
int assess_return(db_t *db, const struct audit_signer *signer, int64_t actor_id, int64_t id,
		  const char *reason, struct assess_error *e);

/* A line of a list: metadata only. */
struct assess_list_item {
	int64_t id;
	int64_t dept_id;
	char dept_code[ORG_CODE_MAX + 1];
	char dept_name[ORG_NAME_MAX + 1];
	char fw_code[FW_CODE_MAX + 1];
	int fw_revision;
	char fw_title_nl[FW_TITLE_MAX + 1], fw_title_en[FW_TITLE_MAX + 1];
	int year;
	int status;
};

/* The assessments of the departments depts[0..ndepts), newest year first,
 * then department code, framework code; at most cap into out, *n the count.
 * The caller decides the departments (scope.h). 0 or -1. */
int assess_list(db_t *db, const int64_t *depts, size_t ndepts, struct assess_list_item *out,
		size_t cap, size_t *n);

/* The assessment the change is measured from: the department's latest one
 * against the same framework code for an earlier year. 0 with *prev_id, 1
 * none, -1 db. */
int assess_previous(db_t *db, int64_t id, int64_t *prev_id);

/* The group and overall scores of assessment id (no access check: for the
 * change and the comparison, whose callers checked), scored against its own
 * framework revision. *groups (malloc'd, free()) gets one score per group
 * of that revision, with *codes (malloc'd, FW_CODE_MAX + 1 each) their
 * codes; *year (may be NULL) its year. 0, 1 none, -1 db or damaged. */
int assess_group_scores(db_t *db, int64_t id, struct assess_score **groups,
			char (**codes)[FW_CODE_MAX + 1], size_t *ngroups,
			struct assess_score *overall, int *year);

/* For the comparison: department dept_id's assessment against framework
 * code for year when it is signed off or reviewed. 0 with *id, 1 none, -1. */
int assess_final_for(db_t *db, int64_t dept_id, const char *fw_code, int year, int64_t *id);

/* ---- keys.c ---- */

/* Opens the key of assessment id as actor_id (ASSESS_CAP_READ and a sealed
 * copy), with sk the actor's secret key, into key. Then seals it, in one
 * write transaction with "assess.key_share", to every eligible account
 * (keys.c: holders) that has no copy yet, such as a manager appointed since.
 * Returns 0, or -1: ASSESS_ENOTFOUND (not readable), ASSESS_ENOKEY (no
 * sealed copy for the actor), ASSESS_EDAMAGED (it does not open), ASSESS_EDB. */
int assess_key_open(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		    const unsigned char sk[32], int64_t id, unsigned char key[ENVELOPE_KEY_BYTES],
		    struct assess_error *e);

/* ---- keys.c: recovery (src/keys, `probity keys recover`) ----
 *
 * When every holder of an assessment's key has lost theirs, nobody opens it
 * to share it on; k custodians of the recovery key open its recovery seal
 * (envelope kind 8) and src/keys gives it to a successor through these
 * calls, inside its own transaction. Who may hold it is keys.c's rule: an
 * enabled integrity coordinator or manager of the department or a unit
 * under it, or the coordinator whose scope holds the department. */

enum assess_recover_state {
	ASSESS_RECOVER_TODO = 0,       /* TO may hold the key and holds none (or FROM is TO) */
	ASSESS_RECOVER_ALREADY,        /* TO holds a copy already (never when FROM is TO) */
	ASSESS_RECOVER_NO_ROLE,        /* TO may not hold it */
	ASSESS_RECOVER_UNRECOVERABLE,  /* sealed to no recovery key */
};

struct assess_recover_item {
	int64_t id;                /* the assessment */
	int64_t recovery_key_id;   /* the recovery key its recovery seal is sealed to; 0: none */
	int state;                 /* enum assess_recover_state */
};

/* Inside the caller's transaction: the assessments whose key is sealed to
 * account from, by id, with what a recovery for account to (enabled) would
 * do with each; only those of the department that has the code org_code
 * when that is not NULL or "" (a unit's code matches none: an assessment
 * is its department's). *out is malloc'd (NULL when *n is 0). 0, or -1 on
 * a db error (db_error has it). */
int assess_recover_list(db_t *db, int64_t from, int64_t to, const char *org_code,
			struct assess_recover_item **out, size_t *n);

/* Inside the caller's write transaction, for an item of state
 * ASSESS_RECOVER_TODO: opens assessment id's recovery seal with recovery
 * key recovery_key_id (recovery_pk, recovery_sk: recombined by the caller)
 * and seals the key to account to's public key to_pk: a new copy, or, when
 * from is to, their copy replaced (a password reset gave them a new key
 * pair). Appends "assess.key_share" by actor on the assessment ("account
 * <to> by recovery from account <from>"). key is room for the assessment
 * key in the caller's guarded memory, wiped before returning. Returns 0,
 * or -1 with e: ASSESS_EDAMAGED (the seal does not open, to_pk is
 * unusable, the copy to replace vanished), ASSESS_EDB. */
int assess_key_recover(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		       int64_t from, int64_t to, const unsigned char to_pk[32],
		       int64_t recovery_key_id, const unsigned char recovery_pk[32],
		       const unsigned char recovery_sk[32], unsigned char key[ENVELOPE_KEY_BYTES],
		       struct assess_error *e);

/* How many assessments have a recovery seal to recovery key
 * recovery_key_id (for `probity keys status`), into *n. 0 or -1. */
int assess_recover_count(db_t *db, int64_t recovery_key_id, int64_t *n);

/* ---- evidence.c ---- */

/* Fills name, mime and size of a's file evidence by opening their meta
 * blobs with key. 0, or -1 with e (ASSESS_EDAMAGED). */
int assess_evidence_names(db_t *db, const unsigned char key[ENVELOPE_KEY_BYTES],
			  struct assess_full *a, struct assess_error *e);
/* One evidence file of assessment id: its metadata into *info, its bytes
 * into *data (vault_secure_alloc'd; vault_secure_free) and *len. The caller
 * opened key with assess_key_open (which checked access). Returns 0, or -1:
 * ASSESS_ENOTFOUND (no such file in this assessment), ASSESS_EDAMAGED,
 * ASSESS_EDB. */
int assess_evidence_get(db_t *db, const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id,
			int64_t evidence_id, struct assess_evidence *info, unsigned char **data,
			size_t *len, struct assess_error *e);
/* 0 when url is an https:// link of 1..ASSESS_URL_MAX bytes of printable
 * ASCII with a host, else -1. */
int assess_url_ok(const char *url);

#endif
