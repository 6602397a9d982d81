/* recs.h: the recommendations tracker (issue 7 item 5, migration 0016):
 * sources (a Court of Audit report, a GRECO evaluation round, a Venice
 * Commission opinion, a parliamentary inquiry, another), each with its
 * recommendations: the text, the departments addressed (none: government-
 * wide), the government's response, a status on GRECO's scale, the date the
 * next progress report is due, progress notes with evidence links, and the
 * policy items (policy.h) that answer it.
 *
 *   model.c       the rules of one record, the status scale, overdue and the
 *                 tally, pure; the pages and the API show its messages
 *   store.c       sources and recommendations; store_notes.c progress notes;
 *                 every change one transaction with its audit entry
 *                 (recs.*), or nothing
 *
 * Recommendations are public documents: who may read them is the route's
 * role alone; who may change them (the coordinator) and which departments
 * may be addressed (those in the coordinator's scope, accounts/scope.h) are
 * the caller's checks. Plaintext by design: nothing here names a person or
 * a case. */
#ifndef RECS_RECS_H
#define RECS_RECS_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define RECS_TITLE_MAX 200
#define RECS_REF_MAX 100
#define RECS_ROUND_MAX 100
#define RECS_URL_MAX 500
#define RECS_NUMBER_MAX 20
#define RECS_TEXT_MAX 4000
#define RECS_LINKS_MAX 5         /* evidence links of one note */
#define RECS_ADDRESSEES_MAX 32   /* departments of one recommendation */
#define RECS_POLICIES_MAX 16     /* policy items linked to one recommendation */
#define RECS_SOURCES_MAX 200
#define RECS_MAX 1000            /* recommendations of all sources together */
#define RECS_NOTES_MAX 200       /* progress notes of one recommendation */

enum recs_code {
	RECS_EOK = 0,
	RECS_EDB,        /* the database failed */
	RECS_EINVALID,   /* a field breaks a rule: msgid says which */
	RECS_ENOTFOUND,  /* no such row */
	RECS_ECONFLICT,  /* the source already has a recommendation with this number */
	RECS_EFULL,      /* a limit of rows reached: msgid says which */
};

struct recs_error {
	int code;
	const char *msgid;   /* EINVALID, ECONFLICT, EFULL, ENOTFOUND: a msgid */
	char detail[520];    /* EDB: the database's message, for logs */
};

/* GRECO's scale, plus "no status yet" for a recommendation not judged. */
enum recs_status {
	RECS_STATUS_NONE = 0,
	RECS_STATUS_IMPLEMENTED,   /* implemented satisfactorily */
	RECS_STATUS_PARTLY,        /* partly implemented */
	RECS_STATUS_NOT,           /* not implemented */
	RECS_NSTATUS
};

/* "none", "implemented", "partly", "not_implemented" (stored and in the
 * API); NULL out of range. */
const char *recs_status_id(int s);
/* The status of id into *out: 0, or -1 when id is none of them. */
int recs_status_parse(const char *id, int *out);
/* A msgid: "implemented satisfactorily", ... */
const char *recs_status_label(int s);

/* Kinds of source: "court_of_audit", "greco", "venice_commission",
 * "parliamentary_inquiry", "other" (NULL-terminated). */
extern const char *const recs_kinds[];
/* 1 if s is one of recs_kinds. */
int recs_kind_ok(const char *s);
/* A msgid: "Court of Audit report", ...; s itself when unknown. */
const char *recs_kind_label(const char *s);

/* 0 when url is https:// with a host, at most RECS_URL_MAX bytes of
 * printable ASCII without quotes or angle brackets: it is shown as a link. */
int recs_url_ok(const char *url);

/* ---- records ---- */

struct recs_source {
	int64_t id;                       /* 0: a new one */
	char kind[24];
	char title[RECS_TITLE_MAX + 1];
	char reference[RECS_REF_MAX + 1]; /* "Kamerstuk 28 844, nr. 270"; may be "" */
	char issued_on[DATE_LEN + 1];
	char round[RECS_ROUND_MAX + 1];   /* "Fifth evaluation round"; may be "" */
	char link[RECS_URL_MAX + 1];      /* "" or https:// */
	char updated_on[DATE_LEN + 1];
};

struct recs_org {
	int64_t id;
	char code[ORG_CODE_MAX + 1];
};

struct recs_policy_ref {
	int64_t id;
	char title[RECS_TITLE_MAX + 1];
};

struct recs_rec {
	int64_t id;                       /* 0: a new one */
	int64_t source_id;
	char number[RECS_NUMBER_MAX + 1];
	char text[RECS_TEXT_MAX + 1];
	char response[RECS_TEXT_MAX + 1]; /* the government's response; "" none */
	char response_on[DATE_LEN + 1];
	int status;                       /* enum recs_status */
	char status_on[DATE_LEN + 1];     /* when the status was given; "" for none */
	char report_due[DATE_LEN + 1];    /* the next progress report; "" none */
	char updated_on[DATE_LEN + 1];
	struct recs_org addressees[RECS_ADDRESSEES_MAX]; /* none: government-wide */
	size_t naddressees;
	struct recs_policy_ref policies[RECS_POLICIES_MAX];
	size_t npolicies;
};

struct recs_note {
	int64_t id;
	int64_t rec_id;
	int64_t org_id;                   /* the department it is about; 0 government-wide */
	char org_code[ORG_CODE_MAX + 1];  /* read only */
	char noted_on[DATE_LEN + 1];
	char text[RECS_TEXT_MAX + 1];
	char links[RECS_LINKS_MAX][RECS_URL_MAX + 1];
	size_t nlinks;
};

/* ---- the rules (model.c), pure: NULL when it may be stored, else the
 * msgid of the first rule broken. today bounds the dates that record what
 * happened (issued, responded, judged, noted), which cannot lie ahead. */

const char *recs_source_check(const struct recs_source *s, const char *today);
/* The whole recommendation: number, text, response and its date, status
 * and its date (required unless no status yet), the due date, addressees
 * and policy links without repeats. */
const char *recs_rec_check(const struct recs_rec *r, const char *today);
const char *recs_note_check(const struct recs_note *n, const char *today);

/* 1 when the next progress report of r was due before today and r is not
 * implemented satisfactorily (nothing is asked of it then), else 0. */
int recs_overdue(const struct recs_rec *r, const char *today);

/* How many recommendations of a group (a source, or all) stand at each
 * status, and how many have their progress report overdue. */
struct recs_tally {
	int count[RECS_NSTATUS];
	int total;
	int overdue;
};
void recs_tally_add(struct recs_tally *t, const struct recs_rec *r, const char *today);

/* ---- storage (store.c, store_notes.c) ----
 * Every function returns 0, or -1 with e filled. Changes take the actor's
 * account id and today's date and append one audit entry in the same
 * transaction: recs.source.add / .update, recs.rec.add / .update,
 * recs.response, recs.status, recs.note.add; object the row. */

int recs_source_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		     struct recs_source *src, const char *today, struct recs_error *e);
int recs_source_get(db_t *db, int64_t id, struct recs_source *out, struct recs_error *e);
/* Every source, newest first (issued_on, then id); at most RECS_SOURCES_MAX. */
int recs_source_list(db_t *db, struct arena *a, struct recs_source **out, size_t *n,
		     struct recs_error *e);

/* What a save of an existing recommendation changes: its own fields
 * (number, text, addressees, due date, policy links), the response, the
 * status, or all of them (the API). A new one is always RECS_PART_ALL. */
enum recs_part { RECS_PART_ALL, RECS_PART_MAIN, RECS_PART_RESPONSE, RECS_PART_STATUS };

/* Adds (r->id 0; r->id set) or updates r. The fields of part are taken
 * from r and the others kept as stored; r is then the whole row as stored.
 * Refused: EINVALID by the rules, or an addressee that is no department or
 * a policy item that does not exist; ENOTFOUND no such source or
 * recommendation; ECONFLICT a number the source already has; EFULL. The
 * addressees' codes and the policies' titles are filled in. */
int recs_rec_save(db_t *db, const struct audit_signer *s, int64_t actor_id, struct recs_rec *r,
		  int part, const char *today, struct recs_error *e);
int recs_rec_get(db_t *db, int64_t id, struct recs_rec *out, struct recs_error *e);
/* The recommendations of source_id (0: of every source), by source (newest
 * first as recs_source_list) then number as people read it ("2" before
 * "10"); at most RECS_MAX, with addressees and policy links. */
int recs_rec_list(db_t *db, struct arena *a, int64_t source_id, struct recs_rec **out, size_t *n,
		  struct recs_error *e);

/* Adds a progress note (its links in order). ENOTFOUND: no such
 * recommendation; EINVALID: org_id is no department, or the rules; EFULL
 * past RECS_NOTES_MAX. */
int recs_note_add(db_t *db, const struct audit_signer *s, int64_t actor_id, struct recs_note *n,
		  const char *today, struct recs_error *e);
/* The notes of rec_id, newest first (noted_on, then id). */
int recs_note_list(db_t *db, struct arena *a, int64_t rec_id, struct recs_note **out, size_t *n,
		   struct recs_error *e);
/* The latest note of every recommendation that has one, in no order; for
 * the overview. */
int recs_note_latest(db_t *db, struct arena *a, struct recs_note **out, size_t *n,
		     struct recs_error *e);

#endif
