/* risks.h: the risk register of a department (issue 6 item 3, migration
 * 0013): its matrix (matrix.h), processes with their SAINT analysis
 * (saint.h), vulnerable positions with their measures, risks with inherent
 * and residual likelihood and impact, treatment and owner, and the controls
 * of each risk.
 *
 *   model.c  the rules of one record (limits, allowed words, levels within
 *            the matrix), pure; the pages and the API show its messages
 *   store.c  the matrix and processes; store_items.c positions, risks and
 *            controls; every change one transaction with its audit entry
 *            (risk.*), or nothing
 *
 * Who may read or change which department is the caller's check
 * (accounts/scope.h); every function here takes the department's org id
 * and refuses (RISKS_ENOTFOUND) a row that belongs to another department,
 * so that a forged id in a form changes nothing. Plaintext by design: a
 * register names processes and positions, never a person or a case. */
#ifndef RISKS_RISKS_H
#define RISKS_RISKS_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "risks/matrix.h"
#include "risks/saint.h"
#include "store/db.h"

#define RISKS_PROCESS_NAME_MAX 200
#define RISKS_TITLE_MAX 200
#define RISKS_DESC_MAX 2000
#define RISKS_OWNER_MAX 120
#define RISKS_CODE_MAX 32
#define RISKS_STAFF_MAX 100000
#define RISKS_ROTATION_MAX 20
#define RISKS_ITEMS_MAX 1000   /* of each kind per department */

enum risks_code {
	RISKS_EOK = 0,
	RISKS_EDB,        /* the database failed */
	RISKS_EINVALID,   /* a field breaks a rule: msgid says which */
	RISKS_ENOTFOUND,  /* no such row in this department */
	RISKS_ECONFLICT,  /* the matrix change would leave risks off it: detail lists them */
	RISKS_EFULL,      /* RISKS_ITEMS_MAX reached */
};

struct risks_error {
	int code;
	const char *msgid;       /* EINVALID: the rule broken, a msgid */
	struct risks_problem problem; /* a matrix refused by its rules (msgid NULL then) */
	int matrix_problem;      /* 1: problem holds the reason */
	char detail[520];        /* ECONFLICT: "3 'Fraude bij inkoop', 7 '...'"; else for logs */
};

/* ---- records ---- */

struct risks_process {
	int64_t id;                 /* 0: a new one */
	char name[RISKS_PROCESS_NAME_MAX + 1];
	char description[RISKS_DESC_MAX + 1];
	struct saint_answers saint;
	char updated_on[DATE_LEN + 1];
};

/* Statuses of a position's measures: "planned", "in_place", "not_required".
 * Screening levels: "none", "vog" (certificate of conduct), "c", "b", "a"
 * (security screening levels, A the deepest). */
struct risks_position {
	int64_t id;
	int64_t process_id;         /* 0: none */
	char title[RISKS_TITLE_MAX + 1];
	int staff;
	char screening[8], screening_status[16];
	int rotation_years;         /* 0: no rotation */
	char rotation_status[16];
	int declaration;            /* financial interests declared: 0/1 */
	char declaration_status[16];
	char updated_on[DATE_LEN + 1];
};

struct risks_risk {
	int64_t id;
	int64_t process_id;         /* 0: none */
	char title[RISKS_TITLE_MAX + 1];
	char description[RISKS_DESC_MAX + 1];
	char category[RISKS_CODE_MAX + 1]; /* "" none; else a code of taxonomy */
	char taxonomy[65];
	int taxonomy_revision;
	int il, ii, rl, ri;         /* inherent and residual likelihood, impact */
	char treatment[12];         /* avoid, reduce, transfer, accept */
	char owner[RISKS_OWNER_MAX + 1];
	char review_on[DATE_LEN + 1]; /* "" none */
	char status[8];             /* open, closed */
	char updated_on[DATE_LEN + 1];
	/* read only: the process's name ("" none), the bands by the
	 * department's matrix (-1: off the matrix) */
	char process_name[RISKS_PROCESS_NAME_MAX + 1];
	int inherent_band, residual_band;
};

struct risks_control {
	int64_t id;
	int64_t risk_id;
	char description[RISKS_DESC_MAX + 1];
	char owner[RISKS_OWNER_MAX + 1];
	char status[12];            /* planned, implemented, retired */
	char implemented_on[DATE_LEN + 1]; /* "" none */
	char review_on[DATE_LEN + 1];
	char updated_on[DATE_LEN + 1];
};

/* ---- the rules of one record (model.c), pure: NULL when it may be
 * stored, else the msgid of the first rule broken ---- */

const char *risks_process_check(const struct risks_process *p);
const char *risks_position_check(const struct risks_position *p);
/* m: the department's matrix; category must be a code of the current
 * taxonomy, which the caller checked (the store checks it again). */
const char *risks_risk_check(const struct risks_risk *r, const struct risks_matrix *m);
const char *risks_control_check(const struct risks_control *c);
/* 1 if s is one of the words of list (NULL-terminated). */
int risks_word(const char *s, const char *const *list);
extern const char *const risks_treatments[];   /* avoid reduce transfer accept */
extern const char *const risks_risk_statuses[];
extern const char *const risks_control_statuses[];
extern const char *const risks_measure_statuses[];
extern const char *const risks_screenings[];

/* ---- storage (store.c, store_items.c) ----
 * Every function returns 0, or -1 with e filled. Changes take the actor's
 * account id and today's date and append one audit entry in the same
 * transaction: risk.matrix, risk.process.add / .update,
 * risk.position.add / .update, risk.add / risk.update,
 * risk.control.add / .update, object the row, detail "org=N". */

/* The matrix of org_id into *m (the default when it has none); *custom 1
 * when it has its own (may be NULL). */
int risks_matrix_get(db_t *db, int64_t org_id, struct risks_matrix *m, int *custom,
		     struct risks_error *e);
/* Replaces the matrix: refused (EINVALID, matrix_problem) by its rules, or
 * (ECONFLICT) when risks of the department use a level the new matrix lacks,
 * named in e->detail. */
int risks_matrix_set(db_t *db, const struct audit_signer *s, int64_t actor_id, int64_t org_id,
		     const struct risks_matrix *m, const char *today, struct risks_error *e);

/* Adds (p->id 0; p->id set to the new id) or updates a process. */
int risks_process_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       int64_t org_id, struct risks_process *p, const char *today,
		       struct risks_error *e);
int risks_position_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
			int64_t org_id, struct risks_position *p, const char *today,
			struct risks_error *e);
int risks_risk_save(db_t *db, const struct audit_signer *s, int64_t actor_id, int64_t org_id,
		    struct risks_risk *r, const char *today, struct risks_error *e);
/* c->risk_id must be a risk of org_id. */
int risks_control_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       int64_t org_id, struct risks_control *c, const char *today,
		       struct risks_error *e);

/* The department's rows, in the arena, ordered by name or title then id;
 * *n gets the count (at most RISKS_ITEMS_MAX). Risks carry their bands
 * under the department's matrix. */
int risks_process_list(db_t *db, struct arena *a, int64_t org_id, struct risks_process **out,
		       size_t *n, struct risks_error *e);
int risks_position_list(db_t *db, struct arena *a, int64_t org_id,
			struct risks_position **out, size_t *n, struct risks_error *e);
int risks_risk_list(db_t *db, struct arena *a, int64_t org_id, struct risks_risk **out,
		    size_t *n, struct risks_error *e);
/* Controls of the department's risks, by risk then id. */
int risks_control_list(db_t *db, struct arena *a, int64_t org_id,
		       struct risks_control **out, size_t *n, struct risks_error *e);
/* One row of the department (ENOTFOUND when it is another's or none). */
int risks_process_get(db_t *db, int64_t org_id, int64_t id, struct risks_process *out,
		      struct risks_error *e);
int risks_position_get(db_t *db, int64_t org_id, int64_t id, struct risks_position *out,
		       struct risks_error *e);
int risks_risk_get(db_t *db, int64_t org_id, int64_t id, struct risks_risk *out,
		   struct risks_error *e);
int risks_control_get(db_t *db, int64_t org_id, int64_t id, struct risks_control *out,
		      struct risks_error *e);

/* The department of risk id into *org_id: 0, 1 when there is no such risk,
 * -1 db error. */
int risks_risk_org(db_t *db, int64_t id, int64_t *org_id);

/* For the closed loop (issue 6 item 4): the department's processes, id and
 * name only. */
struct risks_process_ref {
	int64_t id;
	char name[RISKS_PROCESS_NAME_MAX + 1];
};
int risks_processes(db_t *db, int64_t dept_id, struct risks_process_ref *out, size_t cap,
		    size_t *n);

/* ---- the heat map's numbers ---- */

/* count[l-1][i-1]: open risks at likelihood l, impact i, inherent or
 * residual (closed risks are no longer a risk and are left out). */
struct risks_heat {
	int residual;
	int count[RISKS_LEVELS_MAX][RISKS_LEVELS_MAX];
	int total;
};
void risks_heat_count(const struct risks_risk *r, size_t n, int residual,
		      struct risks_heat *out);

#endif
