/* ipim.h: the interdepartmental platform for integrity management (IPIM,
 * issue 7 item 7, migration 0018): its meetings (date, title, place or
 * "online", a summary of the minutes), their agenda items in order with
 * links to recommendations and policy items (src/recs), the decisions taken
 * on each item (who follows up: a role or a department; by when; open or
 * done), and the good-practice library every department can search.
 *
 *   model.c        the rules of one record, the themes, the contact check
 *                  and the LIKE escaping, pure
 *   store.c        meetings, agenda items and decisions; practice_store.c
 *                  the library; every change one transaction with its
 *                  audit entry (ipim.*), or nothing
 *
 * A practice's theme is one of the six groups of the Gedragscode
 * Integriteit Rijk 2019 (data/frameworks/gedragscode-rijk-2019-v1.json), a
 * fixed list so that a search by theme finds every practice of it; free
 * text would split one theme over many spellings. Its contact is a ROLE
 * ("integrity coordinator of FIN"), never a person: text that looks like
 * an e-mail address or a phone number is refused.
 *
 * Who may read and change what is the caller's check (pages.h). Plaintext
 * by design: nothing here names a person or a case. */
#ifndef IPIM_IPIM_H
#define IPIM_IPIM_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define IPIM_TITLE_MAX 200
#define IPIM_PLACE_MAX 200
#define IPIM_MINUTES_MAX 8000
#define IPIM_NOTE_MAX 4000
#define IPIM_OWNER_MAX 200
#define IPIM_DESC_MAX 8000
#define IPIM_CONTACT_MAX 200
#define IPIM_QUERY_MAX 200       /* bytes of a search */
#define IPIM_PAGE 50             /* practices on one page of results */
#define IPIM_MEETINGS_MAX 500
#define IPIM_ITEMS_MAX 50        /* agenda items of one meeting */
#define IPIM_DECISIONS_MAX 50    /* decisions on one agenda item */
#define IPIM_LINKS_MAX 16        /* recommendations (and policy items) of one item */
#define IPIM_PRACTICES_MAX 5000

enum ipim_code {
	IPIM_EOK = 0,
	IPIM_EDB,        /* the database failed */
	IPIM_EINVALID,   /* a field breaks a rule, or a link names nothing: msgid */
	IPIM_ENOTFOUND,  /* no such row */
	IPIM_EFULL,      /* a limit of rows reached */
};

struct ipim_error {
	int code;
	const char *msgid;
	char detail[520];    /* EDB: the database's message, for logs */
};

/* ---- themes: the Gedragscode 2019's groups ---- */

#define IPIM_NTHEMES 6
/* "values", "interests", "information", "relations", "abroad",
 * "prevention" (stored, in addresses); NULL-terminated. */
extern const char *const ipim_themes[];
int ipim_theme_ok(const char *id);
/* A msgid: "What we stand for: our values", ...; id itself when unknown. */
const char *ipim_theme_label(const char *id);

/* ---- records ---- */

struct ipim_meeting {
	int64_t id;                         /* 0: a new one */
	char held_on[DATE_LEN + 1];
	char title[IPIM_TITLE_MAX + 1];
	char place[IPIM_PLACE_MAX + 1];     /* a location, or "online" */
	char minutes[IPIM_MINUTES_MAX + 1]; /* a summary; may be "" */
	char updated_on[DATE_LEN + 1];
};

struct ipim_ref {
	int64_t id;
	char label[IPIM_TITLE_MAX + 40];    /* read only: what the link shows */
};

struct ipim_item {
	int64_t id;                         /* 0: a new one, put last */
	int64_t meeting_id;
	int pos;                            /* read only: 1.. */
	char title[IPIM_TITLE_MAX + 1];
	char note[IPIM_NOTE_MAX + 1];
	struct ipim_ref recs[IPIM_LINKS_MAX];
	size_t nrecs;
	struct ipim_ref policies[IPIM_LINKS_MAX];
	size_t npolicies;
};

enum ipim_status { IPIM_OPEN = 0, IPIM_DONE };

struct ipim_decision {
	int64_t id;                         /* 0: a new one */
	int64_t item_id;
	char text[IPIM_NOTE_MAX + 1];
	char owner[IPIM_OWNER_MAX + 1];     /* a role or a department */
	char due_on[DATE_LEN + 1];          /* "" none */
	int status;                         /* enum ipim_status */
};

struct ipim_practice {
	int64_t id;                         /* 0: a new one */
	int64_t org_id;                     /* the department */
	char org_code[ORG_CODE_MAX + 1];    /* read only */
	char theme[16];
	char title[IPIM_TITLE_MAX + 1];
	char description[IPIM_DESC_MAX + 1];
	char contact[IPIM_CONTACT_MAX + 1]; /* a role, never a person */
	char practised_on[DATE_LEN + 1];
	char updated_on[DATE_LEN + 1];
};

/* ---- the rules (model.c), pure: NULL when it may be stored, else the
 * msgid of the first rule broken. */

const char *ipim_meeting_check(const struct ipim_meeting *m);
/* Links without repeats. */
const char *ipim_item_check(const struct ipim_item *it);
const char *ipim_decision_check(const struct ipim_decision *d);
/* today bounds the date: a practice is one in use, not a plan. */
const char *ipim_practice_check(const struct ipim_practice *p, const char *today);

/* 1 when s holds something that looks like an e-mail address (a word, "@",
 * a word with a dot) or a phone number (9 or more digits in one run, spaces,
 * dots, dashes, slashes and brackets between them allowed: a Dutch number
 * has 10, a date or "2019-2024" 8), else 0. */
int ipim_names_a_person(const char *s);

/* "open" / "done"; ipim_status_parse: 0, or -1 for anything else. */
const char *ipim_status_id(int s);
int ipim_status_parse(const char *id, int *out);

/* q as a LIKE pattern "%q%" with '%', '_' and '\' escaped by '\' (the
 * query's ESCAPE '\'), into out (cap >= 2 * strlen(q) + 3). 0, or -1 when
 * it does not fit. */
int ipim_like_pattern(const char *q, char *out, size_t cap);

/* ---- storage (store.c, practice_store.c) ----
 * Every function returns 0, or -1 with e filled. Changes take the actor's
 * account id and append one audit entry in the same transaction:
 * ipim.meeting.add / .update, ipim.item.add / .update, ipim.decision.add /
 * .update, ipim.practice.add / .update; object the row. */

int ipim_meeting_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		      struct ipim_meeting *m, const char *today, struct ipim_error *e);
int ipim_meeting_get(db_t *db, int64_t id, struct ipim_meeting *out, struct ipim_error *e);
/* Newest first (held_on, then id); at most IPIM_MEETINGS_MAX. */
int ipim_meeting_list(db_t *db, struct arena *a, struct ipim_meeting **out, size_t *n,
		      struct ipim_error *e);

/* Adds (it->id 0, put after the meeting's last item) or updates an item
 * with its links, which must name existing recommendations and policy items
 * (EINVALID with the entered item untouched otherwise). */
int ipim_item_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		   struct ipim_item *it, struct ipim_error *e);
/* One item with its links' labels. */
int ipim_item_get(db_t *db, int64_t id, struct ipim_item *out, struct ipim_error *e);
/* The items of a meeting in order, with links. */
int ipim_item_list(db_t *db, struct arena *a, int64_t meeting_id, struct ipim_item **out,
		   size_t *n, struct ipim_error *e);

int ipim_decision_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       struct ipim_decision *d, struct ipim_error *e);
int ipim_decision_get(db_t *db, int64_t id, struct ipim_decision *out, struct ipim_error *e);
/* The decisions on an item, in the order taken. */
int ipim_decision_list(db_t *db, struct arena *a, int64_t item_id, struct ipim_decision **out,
		       size_t *n, struct ipim_error *e);

/* Adds or updates p. org_id must be a department (open); which department
 * the actor may choose is the caller's check. */
int ipim_practice_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       struct ipim_practice *p, const char *today, struct ipim_error *e);
int ipim_practice_get(db_t *db, int64_t id, struct ipim_practice *out, struct ipim_error *e);

/* A search of the library: q ("" any) in title or description, taken
 * literally; theme ("" any); org_id (0 any); only practices of the departments
 * in visible[0..nvisible) (the caller's rule of who sees whom). Newest first
 * (practised_on, id), page (0-based) of IPIM_PAGE rows; *total counts all
 * matches. */
struct ipim_search {
	const char *q, *theme;
	int64_t org_id;
	const int64_t *visible;
	size_t nvisible;
	int page;
};
int ipim_practice_search(db_t *db, struct arena *a, const struct ipim_search *s,
			 struct ipim_practice **out, size_t *n, int64_t *total,
			 struct ipim_error *e);

#endif
