/* framework.h: the framework library (issue 6 deliverable 1): assessment
 * frameworks such as the Modelaanpak basisnormen integriteit 2006, the
 * Gedragscode Integriteit Rijk 2019, the OECD Recommendation on Public
 * Integrity 2017 and SAINT, as versioned JSON documents (format
 * "probity-framework", docs/assessment.md), their revisions in the database
 * (migration 0011) and mappings between frameworks.
 *
 *   framework.c  pure: the reader (src/base/jsondoc.h, every limit below,
 *                errors name the JSON path), the canonical writer, lookups
 *   diff.c       pure: the difference between two revisions, as changes and
 *                as readable lines
 *   mapping.c    the shipped mappings (data/frameworks/mappings) and fw_map
 *   store.c      revisions in the database: the shipped files inserted when
 *                missing, saving a new revision with its audit entry,
 *                loading and listing
 *
 * A framework is identified by its code and revision; a revision once stored
 * never changes (assessments point at it), so an edit or an import always
 * adds a new revision. A struct framework owns all of its memory; free it
 * with framework_free (safe on a zeroed or already freed one). Texts are
 * valid UTF-8 without control characters; titles and requirement texts exist
 * in Dutch, and in English unless the file leaves English out (NULL then). */
#ifndef FRAMEWORKS_FRAMEWORK_H
#define FRAMEWORKS_FRAMEWORK_H
#include <stddef.h>
#include <stdint.h>

#include "base/embedded.h"
#include "store/db.h"

#define FW_FORMAT "probity-framework"
#define FW_FORMAT_VERSION 1

/* Hard limits; the reader refuses anything beyond them. */
#define FW_CODE_MAX 32          /* codes: [a-z0-9.-], 1..32 bytes */
#define FW_TITLE_MAX 200        /* titles of a framework, pillar or group, bytes */
#define FW_TEXT_MAX 2000        /* a requirement's text, the source citation, bytes */
#define FW_PILLARS_MAX 8
#define FW_GROUPS_MAX 64
#define FW_REQS_MAX 500
#define FW_REVISION_MAX 9999
#define FW_FILE_MAX (1024 * 1024) /* a whole document, bytes */
#define FW_NOTE_MAX 500         /* the note saying why a revision was made, bytes */

struct fw_pillar {
	char code[FW_CODE_MAX + 1];
	char *title_nl, *title_en;
};

struct fw_group {
	char code[FW_CODE_MAX + 1];
	char *title_nl, *title_en;
	int pillar;       /* index into pillars, or -1 */
	size_t first, n;  /* its requirements: reqs[first .. first+n) */
};

struct fw_req {
	char code[FW_CODE_MAX + 1];
	char *text_nl, *text_en;
	size_t group;     /* index into groups */
};

/* kind: "norms", "code" (a code of conduct), "principles" or "maturity". */
struct framework {
	char code[FW_CODE_MAX + 1];
	int revision;     /* 1 .. FW_REVISION_MAX */
	char *title_nl, *title_en, *source, *published, *kind;
	struct fw_pillar *pillars;
	size_t npillars;
	struct fw_group *groups;
	size_t ngroups;
	struct fw_req *reqs;
	size_t nreqs;
};  /* owns its memory */

/* Parses one document (len bytes, at most FW_FILE_MAX). Returns 0, or -1
 * with "path: reason" in err ("groups[3].requirements[1].code: ...") and out
 * zeroed. */
int framework_parse(const char *json, size_t len, struct framework *out, char *err,
		    size_t errlen);
void framework_free(struct framework *f);
/* Checks a framework built in memory (by the edit form) against the same
 * rules as the reader: limits, codes, UTF-8, unique codes, pillar
 * references, groups' requirement ranges. 0 or -1 with a message naming the
 * part ("groups[2].requirements[0].text.nl: ..."). */
int framework_check(const struct framework *f, char *err, size_t errlen);
/* A deep copy of src into out. 0, or -1 (only on a src that fails
 * framework_check). */
int framework_copy(const struct framework *src, struct framework *out);
/* The canonical JSON of f (fixed key order, 2-space indentation, one
 * trailing newline): malloc'd, NUL-terminated, length in *len. Parsing it
 * gives f back (framework_equal). NULL only on an out-of-memory. */
char *framework_write(const struct framework *f, size_t *len);
/* 1 when a and b hold the same content, code and revision aside; 0 else. */
int framework_same_content(const struct framework *a, const struct framework *b);
/* 1 when a and b are equal in everything, including code and revision. */
int framework_equal(const struct framework *a, const struct framework *b);

const struct fw_req *framework_req(const struct framework *f, const char *code); /* or NULL */
/* Index of the group with code, or -1. */
int framework_group(const struct framework *f, const char *code);
/* The text in the page's language ("nl" or "en"), nl when en is missing. */
const char *fw_lang(const char *nl, const char *en, const char *lang);
/* 1 when s is a valid code ([a-z0-9.-], 1..FW_CODE_MAX bytes). */
int fw_code_ok(const char *s);
/* What is wrong with s as a text of a framework of at most max bytes (the
 * reader's rules), as a plain English sentence that is also a gettext
 * msgid, or NULL when it is fine. An empty s is "fill this in". For forms,
 * which show the problem beside the field. */
const char *fw_text_problem(const char *s, size_t max);

/* --- differences between two revisions (diff.c) --- */

enum fw_change_kind {
	FW_CH_META,           /* what: "title.nl", "title.en", "source", "published", "kind" */
	FW_CH_PILLAR_ADDED,
	FW_CH_PILLAR_REMOVED,
	FW_CH_PILLAR_TITLE,   /* what: "nl" or "en" */
	FW_CH_GROUP_ADDED,
	FW_CH_GROUP_REMOVED,
	FW_CH_GROUP_TITLE,    /* what: "nl" or "en" */
	FW_CH_GROUP_PILLAR,   /* the group moved to another pillar (or none) */
	FW_CH_REQ_ADDED,
	FW_CH_REQ_REMOVED,
	FW_CH_REQ_TEXT,       /* what: "nl" or "en" */
	FW_CH_REQ_MOVED,      /* to another group */
};

/* One change. The pointers point into the two frameworks diffed (keep them
 * alive while using the changes); empty strings stand for "none". */
struct fw_change {
	enum fw_change_kind kind;
	const char *code;      /* the pillar, group or requirement ("" for META) */
	const char *what;      /* see the kinds; "" when not used */
	const char *before;    /* old text, title, group or pillar code; "" when added */
	const char *after;     /* new one; "" when removed */
	const char *where;     /* for requirements added or removed: the group's code */
};

struct fw_diff {
	struct fw_change *changes;
	size_t n;
};

/* The changes from a to b, in a fixed order: the framework's own fields,
 * then pillars, then groups, then requirements, each in b's order (removed
 * ones in a's order, first). Returns 0, -1 only on out-of-memory. Free with
 * fw_diff_free. */
int fw_diff(const struct framework *a, const struct framework *b, struct fw_diff *out);
void fw_diff_free(struct fw_diff *d);
/* One change as a readable English line for the command line and the
 * tests ("Requirement 4.2 added to group 4: \"...\""), texts cut to a
 * readable length; returns the length written (cut to n - 1). */
size_t fw_change_line(const struct fw_change *c, char *buf, size_t n);

/* --- mappings between frameworks (mapping.c) --- */

/* Codes in framework `to` that requirement (or group) `req_code` of
 * framework `from` maps to by the shipped mappings; at most cap of them into
 * out (pointers into static data). Returns how many there are (may exceed
 * cap). A requirement without a mapping of its own takes its group's, for
 * which the caller passes the group's code as a second lookup. */
size_t fw_map(const char *from_code, const char *req_code, const char *to_code, const char **out,
	      size_t cap);
/* Parses and checks the shipped mappings (once; thread-safe) against the
 * shipped frameworks: every code named must exist. 0 or -1 with the file
 * and reason in err. fw_map calls it and finds nothing when it fails. */
int fw_mappings_init(char *err, size_t errlen);

#define FW_MAP_FORMAT "probity-framework-mapping"
#define FW_MAP_ENTRIES_MAX 1000
#define FW_MAP_TARGETS_MAX 16

/* One mapping document (data/frameworks/mappings/FROM--TO.json): each entry
 * maps a group or requirement code of framework `from` to codes of `to`,
 * with a reason in Dutch and English. */
struct fw_map_entry {
	char from[FW_CODE_MAX + 1];
	char (*to)[FW_CODE_MAX + 1];
	size_t nto;
	char *why_nl, *why_en;
};
struct fw_mapping {
	char from[FW_CODE_MAX + 1], to[FW_CODE_MAX + 1];
	char *title_nl, *title_en, *source;
	struct fw_map_entry *entries;
	size_t n;
};
/* Reads one mapping document (limits as for frameworks; codes unique per
 * entry, no entry twice). 0, or -1 with "path: reason" and out zeroed. */
int fw_mapping_parse(const char *json, size_t len, struct fw_mapping *out, char *err,
		     size_t errlen);
void fw_mapping_free(struct fw_mapping *m);
/* Checks that every code of m exists in from (groups and requirements) and
 * to (pillars, groups, requirements). 0 or -1 with the entry named. */
int fw_mapping_check(const struct fw_mapping *m, const struct framework *from,
		     const struct framework *to, char *err, size_t errlen);
/* The shipped mappings, parsed (NULL-terminated; after fw_mappings_init). */
const struct fw_mapping *const *fw_mappings(void);

/* --- storage (store.c, migration 0011) --- */

struct fw_version_row {
	int64_t id;
	char code[FW_CODE_MAX + 1];
	int revision;
	char title_nl[FW_TITLE_MAX + 1], title_en[FW_TITLE_MAX + 1];
	char created_on[11];
	int64_t created_by;   /* account id, 0 for a shipped file */
	char note[FW_NOTE_MAX + 1];
};

int frameworks_load(db_t *db, int64_t version_id, struct framework *out); /* 0, 1 none, -1 db */
int frameworks_latest(db_t *db, const char *code, int64_t *version_id);  /* 0, 1 none, -1 */
/* Revisions, by code then revision; only the newest of each code when
 * latest_only. Up to cap rows; *n the number written. 0 or -1. */
int frameworks_list(db_t *db, int latest_only, struct fw_version_row *out, size_t cap, size_t *n);
/* Every revision of code, oldest first; up to cap rows (the oldest ones
 * when there are more). 0 or -1. */
int frameworks_revisions(db_t *db, const char *code, struct fw_version_row *out, size_t cap,
			 size_t *n);
/* One revision's row. 0, 1 none, -1. */
int frameworks_row(db_t *db, int64_t version_id, struct fw_version_row *out);
/* The canonical JSON as stored (malloc'd, *len). 0, 1 none, -1. */
int frameworks_body(db_t *db, int64_t version_id, char **body, size_t *len);

/* Saving. Each write is one transaction with its audit entry; actor is the
 * audit actor ("user:4", "cli:root"), created_by the account (0 for none:
 * the command line, a shipped file). Results: */
struct audit_signer;
enum {
	FW_SAVE_OK = 0,
	FW_SAVE_EDB = -1,       /* database error (db_error) */
	FW_SAVE_EINVALID = -2,  /* the framework or note fails the checks; err says why */
	FW_SAVE_ESTALE = -3,    /* not newer than the latest revision of its code */
	FW_SAVE_ESAME = -4,     /* identical to the latest revision: nothing changed */
};
/* Inserts every shipped file (data/frameworks, compiled in) not stored yet,
 * in one transaction with one audit entry "framework.ship" listing them;
 * *added (may be NULL) counts them. Idempotent: a second run writes
 * nothing, not even an audit entry. A shipped revision number already used
 * here for a local revision is stored as the next free one; a file whose
 * content equals the latest stored revision is not added. 0 or -1. */
int frameworks_ensure_shipped(db_t *db, const struct audit_signer *s, int *added);
/* The same inside the caller's write transaction and without an audit
 * entry: for `probity init`, whose one schema entry names what was added
 * (detail gets "basisnormen-2006 1, saint 2 (shipped as 1)", cut to fit).
 * 0 or -1. */
int frameworks_ship(db_t *db, int *added, char *detail, size_t detaillen);
/* Stores f (checked again) as a new revision of its code: f->revision must
 * be higher than the latest stored one, and its content must differ from
 * the latest. Audited as "framework.import". *id gets the new row's id. */
int frameworks_import(db_t *db, const struct audit_signer *s, const struct framework *f,
		      const char *actor, int64_t created_by, const char *note, int64_t *id,
		      char *err, size_t errlen);
/* Stores f as the revision after base_id, which must still be the latest of
 * its code (else FW_SAVE_ESTALE: someone saved meanwhile); f's code and
 * revision are set from base_id's. Audited as "framework.revise". */
int frameworks_revise(db_t *db, const struct audit_signer *s, int64_t base_id,
		      struct framework *f, const char *actor, int64_t created_by,
		      const char *note, int64_t *id, char *err, size_t errlen);
/* The id of revision rev of code. 0, 1 none, -1. */
int frameworks_find(db_t *db, const char *code, int revision, int64_t *version_id);
/* The id of the revision before version_id (same code, next lower revision).
 * 0, 1 none, -1. */
int frameworks_previous(db_t *db, int64_t version_id, int64_t *prev_id);

/* The shipped files: NULL-name-terminated tables (base/embedded.h),
 * generated at build time from data/frameworks. */
extern const struct embedded_file frameworks_files[];
extern const struct embedded_file frameworks_mapping_files[];

#endif
