/* orgs.h: the organisation tree with its history, the face of src/orgs.
 *
 * A row is an organisation (government, department or unit) as it existed
 * during [valid_from, valid_to); a rename, split, merge or move closes rows and
 * opens new ones joined by links, so that figures of any year can be read
 * against the tree as it was then, and followed to today's organisations.
 *
 * Three layers:
 *   model.c   pure rules: validating codes, names and dates, deciding whether an
 *             operation is legal and turning it into a plan of rows to close,
 *             rows to open and links to draw; queries over an in-memory table.
 *   store.c   the SQL: loading the table, applying a plan with its audit
 *             entries inside one write transaction.
 *   import.c  the JSON data file (format described at the top of import.c).
 *
 * The tree is small (hundreds of rows even with years of history), so the store
 * loads it whole inside the transaction and the model reasons over it in
 * memory; ORG_MAX_ROWS guards that assumption. Codes compare without regard to
 * ASCII case ("IenW" and "IENW" are one code), and keep the spelling given. */
#ifndef ORGS_ORGS_H
#define ORGS_ORGS_H
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "crypto/audit.h"
#include "store/db.h"

#define ORG_CODE_MAX 24         /* bytes */
#define ORG_NAME_MAX 200        /* bytes of UTF-8 */
#define ORG_MAX_ROWS 20000      /* rows in the table, history included */
#define ORG_MAX_LINKS 80000
#define ORG_MAX_DEPTH 8         /* government, department, then up to six levels of units */
#define ORG_MAX_SUCCESSORS 16   /* organisations one split may produce */
#define ORG_MAX_MERGE 16        /* organisations one merge may join */
#define ORG_MAX_MOVES 256       /* unit assignments in one split */
#define ORG_MAX_GENERATIONS 64  /* how far lineage is followed */

enum org_kind { ORG_GOVERNMENT, ORG_DEPARTMENT, ORG_UNIT };
enum org_link_kind { ORG_LINK_RENAME, ORG_LINK_SPLIT, ORG_LINK_MERGE, ORG_LINK_MOVE };

struct org {
	int64_t id;
	char code[ORG_CODE_MAX + 1];
	char name[ORG_NAME_MAX + 1];
	enum org_kind kind;
	int64_t parent_id;             /* 0 for a government */
	char valid_from[DATE_LEN + 1];
	char valid_to[DATE_LEN + 1];   /* "" while open */
	int outside_scope;             /* outside the coordinating ministry's scope */
};

struct org_link {
	int64_t pred_id, succ_id;
	enum org_link_kind kind;
	char on[DATE_LEN + 1];
};

/* Every row and link, rows in ascending id. Owns its arrays. */
struct org_table {
	struct org *rows;
	size_t nrows, rows_cap;
	struct org_link *links;
	size_t nlinks, links_cap;
};

/* How a refusal is classed, so that callers can pick an exit code or status. */
enum org_errclass {
	ORG_OK = 0,
	ORG_EINVALID,   /* malformed input: a bad code, name, date or argument */
	ORG_ENOTFOUND,  /* a code names no organisation */
	ORG_ECONFLICT,  /* well-formed, but contradicts the data: code taken, illegal move */
	ORG_EDB,        /* the database failed; db_error() has the reason */
};

struct org_error {
	enum org_errclass cls;
	char msg[600];
};

/* ---- model.c: names and checks ---- */

const char *org_kind_name(enum org_kind k);
/* Parses "government", "department" or "unit". Returns 0 or -1. */
int org_kind_parse(const char *s, enum org_kind *out);
const char *org_link_kind_name(enum org_link_kind k);
int org_link_kind_parse(const char *s, enum org_link_kind *out);

/* Each check returns 0, or -1 with cls ORG_EINVALID and a message naming what
 * (e.g. "code", "successor code") and the rule. s must be NUL-terminated. */
int org_check_code(const char *what, const char *s, struct org_error *e);
int org_check_name(const char *what, const char *s, struct org_error *e);
int org_check_date(const char *what, const char *s, struct org_error *e);
/* 1 if a and b are the same code (ASCII case ignored), else 0. */
int org_code_eq(const char *a, const char *b);

/* ---- model.c: the in-memory table ---- */

void org_table_init(struct org_table *t);
void org_table_free(struct org_table *t);
/* Copies r in, keeping ids ascending. Returns -1 at ORG_MAX_ROWS or on a
 * duplicate id. */
int org_table_add_row(struct org_table *t, const struct org *r);
int org_table_add_link(struct org_table *t, const struct org_link *l);

/* 1 if o existed on date (valid_from <= date < valid_to). */
int org_alive_at(const struct org *o, const char *date);
const struct org *org_by_id(const struct org_table *t, int64_t id);
/* The open row (valid_to "") with code, or NULL. */
const struct org *org_find_open(const struct org_table *t, const char *code);
/* The row with code alive on date, or NULL. */
const struct org *org_find_at(const struct org_table *t, const char *code, const char *date);
/* The row with code that began last, or NULL. */
const struct org *org_find_latest(const struct org_table *t, const char *code);

/* ---- model.c: operations ---- */

enum org_op { ORG_OP_ADD = 1, ORG_OP_RENAME, ORG_OP_SPLIT, ORG_OP_MERGE };

struct org_successor {
	const char *code;
	const char *name;  /* NULL: keep the name of the predecessor with this code */
};

struct org_move {
	const char *unit;  /* a direct child of the organisation being split */
	const char *to;    /* one of the successors' codes */
};

/* One requested change. Strings are borrowed: the caller keeps them alive. */
struct org_change {
	enum org_op op;
	const char *on;       /* add: first day; else the day of the reorganisation */
	const char *code;     /* add: new code; rename, split: the organisation changed */
	/* add */
	const char *name;
	const char *parent;   /* NULL for a government */
	int kind;             /* enum org_kind, or -1: derive from the parent */
	int scope;            /* -1 unspecified, 0 inside, 1 outside the coordinator's scope */
	/* merge: the organisations joined */
	const char *const *preds;
	size_t npreds;
	/* rename: exactly one; split: at least two; merge: exactly one */
	const struct org_successor *into;
	size_t ninto;
	/* split: where each child goes */
	const struct org_move *moves;
	size_t nmoves;
};

/* A row the plan opens. Its valid_from is the plan's date. */
struct org_new {
	struct org row;       /* id 0 until stored */
	size_t parent_new;    /* 1 + index of its parent among earlier new rows; 0: row.parent_id holds */
};

struct org_plan_link {
	int64_t pred_id;      /* an existing row */
	size_t succ;          /* index into the plan's new rows */
	enum org_link_kind kind;
};

/* One audit entry to append. */
struct org_note {
	const char *action;   /* static: "org.add", "org.move", ... */
	char object_id[ORG_CODE_MAX + 1];
	char *detail;         /* owned by the plan */
};

/* What a change does to the table, in the order the store must apply it: close
 * rows first (which frees their codes), then open rows parents first, then
 * draw the links. Owns its arrays; org_plan_free releases them. */
struct org_plan {
	char on[DATE_LEN + 1];
	int64_t *close;
	size_t nclose, close_cap;
	struct org_new *add;
	size_t nadd, add_cap;
	struct org_plan_link *link;
	size_t nlink, link_cap;
	struct org_note *note;  /* note[0] describes the change as a whole */
	size_t nnote, note_cap;
	size_t moved;           /* rows moved along under a new parent */
};

/* Decides whether c is legal against t and, if so, fills plan (which the caller
 * initialises with org_plan_init and frees with org_plan_free either way).
 * Returns 0, or -1 with e set; never touches t. */
void org_plan_init(struct org_plan *p);
int org_plan_change(const struct org_table *t, const struct org_change *c, struct org_plan *p,
		    struct org_error *e);
void org_plan_free(struct org_plan *p);
/* Brings t up to date with a stored plan; ids[i] is the id the store gave to
 * p->add[i]. Returns 0, or -1 if a limit is exceeded (the planner prevents it). */
int org_table_apply(struct org_table *t, const struct org_plan *p, const int64_t *ids);

/* ---- model.c: queries ---- */

struct org_tree_item {
	const struct org *row;
	int depth;            /* 0 for a root */
};

/* Walks the tree depth first, children ordered by code then start: the rows
 * alive on date `at`, or every row when at is NULL. root_id 0 walks every root,
 * otherwise only that row's subtree. Returns a malloc'd array in *out (free it)
 * and its length in *n. */
void org_tree(const struct org_table *t, const char *at, int64_t root_id,
	      struct org_tree_item **out, size_t *n);

/* The direct children of parent alive on `at`; with at NULL, those that lasted
 * as long as parent did (its units at its end, or now while it is open).
 * Sorted by code; malloc'd array of pointers into t in *out, count returned. */
size_t org_children(const struct org_table *t, const struct org *parent, const char *at,
		    const struct org ***out);

struct org_lineage_step {
	int depth;                    /* generations away: 1 for a direct link */
	const struct org_link *link;
	const struct org *row;        /* the organisation at the far end of link */
};

/* Follows links from row id backwards (predecessors, their predecessors, ...)
 * or forwards (successors, ...), depth first, each row once, at most
 * ORG_MAX_GENERATIONS deep. Returns a malloc'd array in *out, count in *n. */
void org_lineage(const struct org_table *t, int64_t id, int forward,
		 struct org_lineage_step **out, size_t *n);

/* ---- store.c ---- */

/* Reads every row and link into t (initialised, empty). Inside a transaction
 * for a consistent view. Rejects rows that break the model's rules as damaged.
 * Returns 0 or -1 (db error). */
int orgs_load(db_t *db, struct org_table *t);

/* As orgs_load, outside any transaction, for a page that only shows the tree
 * and decides nothing by it: the tree may be up to ORGS_RECENT_MS (1 s) old
 * (orgs/cache.h says why). Returns 0 or -1 (db error). */
int orgs_load_recent(db_t *db, struct org_table *t);

/* Applies one change in its own write transaction with its audit entries: all
 * or nothing. On success *summary (if not NULL) gets a malloc'd one-line
 * description and *moved the rows moved along. Returns 0 or -1 with e set
 * (ORG_EDB: see db_error). */
int orgs_change(db_t *db, const struct audit_signer *s, const char *actor,
		const struct org_change *c, char **summary, size_t *moved, struct org_error *e);

/* Inside a write transaction the caller holds, with t loaded in it: plans c
 * against t, writes it with audit entries and brings t up to date. summary and
 * moved as for orgs_change. On failure the caller must roll back. Returns 0 or
 * -1 with e set. */
int orgs_apply(db_t *db, const struct audit_signer *s, const char *actor, struct org_table *t,
	       const struct org_change *c, char **summary, size_t *moved, struct org_error *e);

/* Finds the organisation with code alive on date (e.g. for an account's
 * department). Returns 0 and fills out, 1 if there is none, -1 on a db error. */
int orgs_lookup(db_t *db, const char *code, const char *date, struct org *out);

/* Counts the organisations of a kind that exist on date. Returns 0 or -1. */
int orgs_count_alive(db_t *db, enum org_kind kind, const char *date, int64_t *out);

/* SQL: the start of a WITH clause defining reach(id), the organisation rows
 * whose roles reach organisation ?1: the row itself and, for a unit, the
 * department above it (through units under units). Who handles reports
 * (src/intake) and who may work on a case (src/cases) follow this rule.
 * Follow it with the query: ORGS_REACH_CTE "SELECT ... WHERE r.org_id IN
 * (SELECT id FROM reach)". */
#define ORGS_REACH_CTE                                                                  \
	"WITH RECURSIVE up(id, parent_id, kind) AS ("                                    \
	" SELECT id, parent_id, kind FROM org WHERE id = ?1"                             \
	" UNION SELECT o.id, o.parent_id, o.kind FROM org o JOIN up"                     \
	" ON o.id = up.parent_id WHERE up.kind = 'unit'),"                               \
	" reach(id) AS (SELECT id FROM up WHERE id = ?1 OR kind = 'department') "

/* ---- import.c ---- */

#define ORGS_FILE_MAX_BYTES (1024 * 1024)
#define ORGS_FILE_MAX_ORGS 5000
#define ORGS_FILE_MAX_EVENTS 1000

/* A parsed data file: the organisations as add changes, then the events, in
 * the order they are applied. where[i] names change i's place in the file
 * ("events[2]") for messages. Owns everything; orgs_file_free releases it. */
struct orgs_file {
	struct org_change *changes;
	const char **where;
	size_t nchanges;
	size_t norgs, nevents;
	void *mem;            /* private: the strings' storage */
};

/* Parses len bytes of JSON (need not be NUL-terminated). Pure; a fuzz target.
 * Returns 0, or -1 with "line L, column C: ..." or "events[1].into[0].code: ..."
 * in err, leaving *out empty. */
int orgs_parse_json(const char *text, size_t len, struct orgs_file *out, char *err,
		    size_t errlen);
void orgs_file_free(struct orgs_file *f);

/* Loads an organisations data file (data/demo/organisations.json) into a
 * database that holds no organisations yet: every change in one transaction,
 * with audit entries. Returns 0 or -1 with a reason in err. */
int orgs_import_file(db_t *db, const struct audit_signer *signer, const char *actor,
		     const char *path, char *err, size_t errlen);

#endif
