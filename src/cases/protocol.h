/* protocol.h: the investigation protocol as versioned data (JSON files in
 * data/protocols/): its phases in their normal order, each with its term,
 * who may move a case on, its checklist, the records it requires, the
 * rights of the people involved that fall due in it, and the phases that
 * normally follow; and the deviations from the normal route that the
 * protocol allows with the approval of a named role.
 *
 * A case records the protocol id and revision it started under
 * (shared/domain §7, issue 5), so a protocol, once used, is never edited in
 * place: a change is a new revision in a new file, and old cases keep running
 * under the revision they started with (dataset.h finds it).
 *
 * The normal route: phases are listed in their normal order and "next" may
 * only name LATER phases, so the route cannot loop; a way back is a
 * deviation. Exactly one phase, the last, is terminal (no next): every other
 * phase has at least one next, so the terminal phase is reachable from every
 * phase, and every phase must be reachable from the first. The pure phase
 * machine (machine.h) decides moves against this.
 *
 * Roles are the account roles of src/accounts (role_name): only the roles
 * that work on case content (integrity_coordinator, investigator,
 * competent_authority) may move a case or approve a deviation; the others
 * (administrator, auditor, ...) see no case content and are refused by the
 * reader.
 *
 * Pure: no I/O. The format is described at the top of protocol.c. */
#ifndef CASES_PROTOCOL_H
#define CASES_PROTOCOL_H
#include <jansson.h>
#include <stddef.h>

#include "accounts/accounts.h"
#include "base/arena.h"
#include "base/jsondoc.h"

#define CASES_PROTOCOL_MAX_BYTES (256 * 1024)
#define CASES_MAX_REVISION 9999
#define CASES_ID_MAX 32              /* ids and codes: [a-z0-9_]{1,32} */
#define CASES_MAX_PHASES 20
#define CASES_MAX_RECORD_TYPES 40
#define CASES_MAX_CHECKLIST 40       /* items per phase */
#define CASES_MAX_PHASE_RECORDS 20   /* required record types per phase */
#define CASES_MAX_DEVIATIONS 50
#define CASES_MAX_TERM_DAYS 730      /* a phase's term */
#define CASES_MAX_RIGHT_DAYS 365     /* the term of a right (e.g. 14 days to react) */
#define CASES_TITLE_MAX 200          /* bytes: titles */
#define CASES_ITEM_MAX 500           /* bytes: checklist items, texts of rights */
#define CASES_HELP_MAX 2000          /* bytes: help texts, category descriptions */
#define CASES_DESCRIPTION_MAX 4000   /* bytes: a file's description */

/* A text in both languages; both NULL for an optional text left out. */
struct cases_text {
	const char *nl, *en;
};

/* t's text in lang ("nl" or "en"; anything else gets Dutch), or NULL if t was
 * left out. */
const char *cases_text_get(const struct cases_text *t, const char *lang);

/* The rights of the people involved (issue 5 item 3). Fixed in code, not in
 * the data, because the case storage keeps one row per person and right:
 * the protocol says in which phase each falls due and explains it. */
enum cases_right {
	CASES_RIGHT_INFORMED,        /* told about the case and given the protocol */
	CASES_RIGHT_HEARD,           /* heard; the record offered for correction and agreement */
	CASES_RIGHT_ASSISTANCE,      /* may bring an adviser or lawyer */
	CASES_RIGHT_DRAFT_REACTION,  /* may react to the draft report within `days` */
	CASES_RIGHT_INSPECTION,      /* may inspect the final report */
	CASES_RIGHT_COUNT
};

/* Who the people involved are (issue 5 item 3); stored by the case storage
 * with each person. reporter: a reporter who takes part in the investigation
 * under their own name (a complainant in a case of unwanted behaviour). */
enum cases_party {
	CASES_PARTY_PERSON_CONCERNED,  /* betrokkene: the one the suspicion is about */
	CASES_PARTY_REPORTER,
	CASES_PARTY_WITNESS,
	CASES_PARTY_OTHER,
	CASES_PARTY_COUNT
};

/* "draft_reaction", "person_concerned": the names used in the data files, the
 * database and the API; "?" out of range. */
const char *cases_right_name(enum cases_right r);
const char *cases_party_name(enum cases_party p);
/* Parses a name (exact). Returns 0, or -1 for anything else. */
int cases_right_parse(const char *s, enum cases_right *out);
int cases_party_parse(const char *s, enum cases_party *out);
/* 1 if role r may move cases or approve deviations at all (see above). */
int cases_role_acts_on_cases(enum role r);

/* A kind of record a case can hold (an interview record, the draft report). */
struct cases_record_type {
	const char *id;
	struct cases_text title;
};

struct cases_check_item {
	const char *id;               /* unique within its phase */
	struct cases_text text;
	int required;                 /* must be done before a normal move on */
};

/* A right that falls due in a phase, for the given parties. */
struct cases_right_due {
	enum cases_right right;       /* each right at most once per phase */
	unsigned parties;             /* bit (1u << enum cases_party) per party; not 0 */
	int days;                     /* its term in days, 0 = none; > 0 for draft_reaction */
	struct cases_text text;       /* what it means, for the checklist on the case page */
};

struct cases_phase {
	const char *id;
	struct cases_text title, help;  /* help: NULLs when left out */
	int term_days;                /* 0 = no term */
	unsigned movers;              /* role_mask bits of the roles that may move a case
					 out of this phase; 0 exactly for the terminal phase */
	const struct cases_check_item *checklist;
	size_t nchecklist;
	const size_t *records;        /* required record types: indexes into record_types */
	size_t nrecords;
	const struct cases_right_due *rights;
	size_t nrights;
	const size_t *next;           /* the normal successors: indexes into phases, each
					 greater than this phase's own; none = terminal */
	size_t nnext;
};

/* An allowed move off the normal route. */
struct cases_deviation {
	size_t from, to;              /* indexes into phases; from is not terminal, from !=
					 to, and to is not among from's next */
	enum role approver;           /* the role whose prior approval it needs */
	int waive;                    /* 1: the from phase's required checklist items and
					 records need not be complete (going back,
					 stopping); 0: they still must be (skipping ahead) */
	struct cases_text title;      /* what the deviation is, for the pages */
};

/* A parsed protocol. Owns all its memory; cases_protocol_free releases it.
 * The terminal phase is phases[nphases - 1]; the first is where cases start. */
struct cases_protocol {
	const char *id;
	int revision;
	struct cases_text title, description;   /* description: NULLs when left out */
	const struct cases_record_type *record_types;
	size_t nrecord_types;
	const struct cases_phase *phases;
	size_t nphases;
	const struct cases_deviation *deviations;
	size_t ndeviations;
	void *mem;                    /* private: the arena */
};

/* Parses len bytes of JSON (need not be NUL-terminated). Pure; a fuzz target.
 * Returns 0, or -1 with "line L, column C: ..." or a JSON path such as
 * "phases[2].next[0]: ..." in err, leaving *out empty. */
int cases_protocol_parse(const char *text, size_t len, struct cases_protocol *out, char *err,
			 size_t errlen);
/* Releases p's memory; harmless on an empty or already freed one. */
void cases_protocol_free(struct cases_protocol *p);

/* The index of the phase with id, or -1 (also for NULL). */
int cases_protocol_phase(const struct cases_protocol *p, const char *id);
/* The index of the record type with id, or -1. */
int cases_protocol_record_type(const struct cases_protocol *p, const char *id);
/* The deviation from phase index `from` to `to`, or NULL. */
const struct cases_deviation *cases_protocol_deviation(const struct cases_protocol *p,
						       size_t from, size_t to);
/* 1 if phase index i is the terminal phase. */
int cases_protocol_terminal(const struct cases_protocol *p, size_t i);
/* The right due in phase ph, or NULL if it does not fall due there. */
const struct cases_right_due *cases_phase_right(const struct cases_phase *ph,
						enum cases_right r);

/* ---- the readers' shared frame (protocol.c; used by taxonomy.c too) ----
 * Each helper writes its one error into r->e as "PATH: message" and returns
 * -1, or returns 0; strings are copied into r->a. */
struct cases_reader {
	struct arena *a;
	struct jsondoc_err e;
};

/* The required id field key of obj ([a-z0-9_]{1,32}) into *out. */
int cases_rd_id(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		const char **out);
/* The string v as an arena copy (no NUL inside); what names it in messages. */
int cases_rd_string(struct cases_reader *r, const char *path, const char *what, json_t *v,
		    const char **out, size_t *len);
/* The TEXT field key of obj ({"nl": ..., "en": ...}, both non-empty, at most
 * max bytes each, valid UTF-8 without control or invisible characters or a
 * space at either end) into *out; both NULL when absent and not required. */
int cases_rd_text(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		  int required, size_t max, struct cases_text *out);
/* The integer field key of obj in [min, max] into *out; when absent: an
 * error if required, else *out is left alone. */
int cases_rd_int(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		 int required, json_int_t min, json_int_t max, json_int_t *out);
/* The optional true/false field key of obj into *out (left alone if absent). */
int cases_rd_bool(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		  int *out);
/* The array field key of obj with min..max elements into *out (NULL when
 * absent and min is 0). */
int cases_rd_list(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		  size_t min, size_t max, json_t **out);
/* 1 if s[0..n) is an id: [a-z0-9_]{1,32}. */
int cases_id_valid(const char *s, size_t n);

#endif
