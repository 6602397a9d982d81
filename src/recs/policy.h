/* policy.h: the policy cycle (issue 7 item 6, migration 0016): government-
 * wide frameworks, protocols and guidelines as policy items with a version
 * and a stage (in development, adopted, implemented, evaluated, each with
 * the date it began), and per department its adoption: the date, how it
 * translated the policy to its own organisation, and its evaluation, which
 * rests on one of its self-assessments (src/assess).
 *
 *   policy_model.c  the rules of an item and of an adoption, pure
 *   policy_store.c  storage; every change one transaction with its audit
 *                   entry (recs.policy.add / .update, recs.adoption), or
 *                   nothing
 *
 * The coordinator changes items; a department's integrity coordinator its
 * own department's adoption: the caller's checks (accounts/scope.h). Which
 * adoptions a reader sees is the caller's too: a department outside the
 * coordinator's scope (Defence) is shown to its own people only. */
#ifndef RECS_POLICY_H
#define RECS_POLICY_H
#include <stddef.h>
#include <stdint.h>

#include "recs/recs.h"

#define POLICY_VERSION_MAX 40
#define POLICY_ITEMS_MAX 200
#define POLICY_RECS_MAX 100   /* recommendations shown as answered by one item */

enum policy_stage {
	POLICY_DEVELOPMENT = 0,
	POLICY_ADOPTED,
	POLICY_IMPLEMENTED,
	POLICY_EVALUATED,
	POLICY_NSTAGES
};

/* "development", "adopted", "implemented", "evaluated"; NULL out of range. */
const char *policy_stage_id(int s);
int policy_stage_parse(const char *id, int *out);
/* A msgid: "in development", "adopted", ... */
const char *policy_stage_label(int s);
/* "framework", "protocol", "guideline", "other" (NULL-terminated). */
extern const char *const policy_kinds[];
int policy_kind_ok(const char *s);
const char *policy_kind_label(const char *s);

struct policy_item {
	int64_t id;                         /* 0: a new one */
	char title[RECS_TITLE_MAX + 1];
	char kind[12];
	char version[POLICY_VERSION_MAX + 1]; /* "2019", "1.2"; may be "" */
	char description[RECS_TEXT_MAX + 1];
	int stage;                          /* enum policy_stage */
	char stage_on[POLICY_NSTAGES][DATE_LEN + 1]; /* the date each stage began; "" not reached */
	char updated_on[DATE_LEN + 1];
};

struct policy_adoption {
	int64_t policy_id;
	int64_t org_id;                     /* the department */
	char adopted_on[DATE_LEN + 1];      /* when the department adopted it */
	char translation[RECS_TEXT_MAX + 1];
	char evaluated_on[DATE_LEN + 1];    /* "" not evaluated */
	int64_t assessment_id;              /* the self-assessment it rests on; 0 none */
	char updated_on[DATE_LEN + 1];
	/* read only */
	char org_code[ORG_CODE_MAX + 1];
	char org_name[ORG_NAME_MAX + 1];
	int outside_scope;
};

/* ---- the rules (policy_model.c), pure: NULL or the msgid of the first
 * rule broken ---- */

/* Title, kind, limits; the stage's own date and those of every earlier
 * stage set, in order, none ahead of today; no date for a later stage. */
const char *policy_item_check(const struct policy_item *p, const char *today);
/* Limits; the adoption date (not ahead of today); an evaluation not before
 * the adoption and not ahead of today, and a self-assessment only with an
 * evaluation date. */
const char *policy_adoption_check(const struct policy_adoption *a, const char *today);

/* ---- storage (policy_store.c) ---- */

int policy_item_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		     struct policy_item *p, const char *today, struct recs_error *e);
int policy_item_get(db_t *db, int64_t id, struct policy_item *out, struct recs_error *e);
/* Every item, by title then id; at most POLICY_ITEMS_MAX. */
int policy_item_list(db_t *db, struct arena *a, struct policy_item **out, size_t *n,
		     struct recs_error *e);

/* Records (or replaces) department a->org_id's adoption of a->policy_id.
 * ENOTFOUND: no such item, or org_id is no open department; EINVALID: the
 * rules, or the assessment is not one of that department's. */
int policy_adoption_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
			 struct policy_adoption *a, const char *today, struct recs_error *e);
/* Department org_id's adoption of policy_id: 0 with *out, or -1 with
 * ENOTFOUND when there is none yet (out then holds the ids, blank dates). */
int policy_adoption_get(db_t *db, int64_t policy_id, int64_t org_id,
			struct policy_adoption *out, struct recs_error *e);
/* Every adoption recorded for policy_id, by department code; the caller
 * leaves out those the reader may not see. */
int policy_adoption_list(db_t *db, struct arena *a, int64_t policy_id,
			 struct policy_adoption **out, size_t *n, struct recs_error *e);

/* The recommendations that policy_id answers (rec_policy), by source then
 * number: id and "source title, recommendation number" in title. */
int policy_recs(db_t *db, struct arena *a, int64_t policy_id, struct recs_policy_ref **out,
		size_t *n, struct recs_error *e);

#endif
