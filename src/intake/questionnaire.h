/* questionnaire.h: the reporting questionnaire as versioned data (JSON files
 * in data/questionnaires/): its steps and fields with Dutch and English texts,
 * and the checking of a reporter's answers against it.
 *
 * A report records the questionnaire's id and revision it was answered with,
 * so a questionnaire, once used, is never edited in place: a change is a new
 * revision in a new file (melding-v1.json, melding-v2.json, ...), and old
 * reports keep reading against the revision they used.
 *
 * Conditions: a field may be shown only if a field of an EARLIER STEP (a
 * choice or a yes/no question) was answered with given values. Earlier step,
 * not merely earlier field, so that with JavaScript off every step's fields are
 * known once the previous steps are submitted; and references only backwards,
 * so that conditions can never form a cycle. A field whose condition names a
 * hidden field is hidden too.
 *
 * Pure: no I/O. The format is described at the top of questionnaire.c. */
#ifndef INTAKE_QUESTIONNAIRE_H
#define INTAKE_QUESTIONNAIRE_H
#include <stddef.h>

#include "base/date.h"

#define INTAKE_Q_MAX_BYTES (256 * 1024)
#define INTAKE_Q_MAX_STEPS 30
#define INTAKE_Q_MAX_FIELDS 200      /* in the whole questionnaire */
#define INTAKE_Q_MAX_CHOICES 50      /* per choice field; also values of one "in" */
#define INTAKE_Q_MAX_REVISION 9999
#define INTAKE_ID_MAX 32             /* ids: [a-z0-9_]{1,32} */
#define INTAKE_TITLE_MAX 200         /* bytes: questionnaire and step titles */
#define INTAKE_LABEL_MAX 300         /* bytes: field and choice labels */
#define INTAKE_HELP_MAX 2000         /* bytes: help texts */
#define INTAKE_TEXT_DEFAULT 200      /* bytes a text answer may hold unless max_length says */
#define INTAKE_TEXT_CAP 1000         /* the largest max_length of a text field */
#define INTAKE_LONGTEXT_DEFAULT 20000
#define INTAKE_LONGTEXT_CAP 50000
#define INTAKE_FILES_DEFAULT 10      /* files a file field takes unless max_files says */
#define INTAKE_FILES_CAP 20

enum intake_ftype {
	INTAKE_F_TEXT,      /* one line */
	INTAKE_F_LONGTEXT,  /* several lines (tab, CR, LF allowed) */
	INTAKE_F_CHOICE,    /* one of the listed choices, by id */
	INTAKE_F_DATE,      /* YYYY-MM-DD, not after today */
	INTAKE_F_YESNO,     /* "yes" or "no" */
	INTAKE_F_FILE,      /* attachments, counted here; their content is attach*'s */
};

/* A text in both languages; both NULL for an optional text left out. */
struct intake_text {
	const char *nl, *en;
};

struct intake_choice {
	const char *id;
	struct intake_text label, help;   /* help: NULLs when left out */
};

/* Shown only if fields[field] is shown and answered with one of values. */
struct intake_cond {
	size_t field;                 /* index of a field of an earlier step */
	const char *const *values;    /* choice ids, or "yes"/"no" */
	size_t nvalues;
};

struct intake_field {
	const char *id;
	enum intake_ftype type;
	size_t step;                  /* index into steps */
	struct intake_text label, help;
	int required;                 /* only while shown */
	size_t max_len;               /* text, longtext: bytes; else 0 */
	unsigned max_files;           /* file: else 0 */
	const struct intake_choice *choices;
	size_t nchoices;
	const struct intake_cond *show_if;  /* NULL: always shown */
};

struct intake_step {
	const char *id;
	struct intake_text title, help;
	size_t first, nfields;        /* its fields: fields[first .. first + nfields) */
};

/* A parsed questionnaire; fields in document order, step by step. Owns all
 * its memory; intake_q_free releases it. */
struct intake_questionnaire {
	const char *id;
	int revision;
	struct intake_text title;
	const struct intake_step *steps;
	size_t nsteps;
	const struct intake_field *fields;
	size_t nfields;
	void *mem;                    /* private: the arena */
};

/* Parses len bytes of JSON (need not be NUL-terminated). Pure; a fuzz target.
 * Returns 0, or -1 with "line L, column C: ..." or a JSON path such as
 * "steps[2].fields[1].show_if.field: ..." in err, leaving *out empty. */
int intake_q_parse(const char *text, size_t len, struct intake_questionnaire *out, char *err,
		   size_t errlen);
/* Releases q's memory; harmless on an empty or already freed one. */
void intake_q_free(struct intake_questionnaire *q);

/* The index of the field with id, or -1. */
int intake_q_field(const struct intake_questionnaire *q, const char *id);
/* t's text in lang ("nl" or "en"; anything else gets Dutch), or NULL if t was
 * left out. */
const char *intake_text_get(const struct intake_text *t, const char *lang);
const char *intake_ftype_name(enum intake_ftype t);

/* ---- answers ---- */

/* One submitted answer, borrowed from the caller. field is NUL-terminated.
 * For a file field, value is empty and files counts the files added; for any
 * other field, files is 0 and value holds len bytes as submitted (need not be
 * NUL-terminated). An empty value means "not answered". */
struct intake_answer {
	const char *field;
	const char *value;
	size_t len;
	unsigned files;
};

#define INTAKE_MAX_ANSWERS INTAKE_Q_MAX_FIELDS
#define INTAKE_MAX_ERRORS 32

/* One refused answer: the field's id (or, for an id the questionnaire does
 * not have, its printable ASCII part) and an English msgid in plain language
 * for the reporter, which the web layer translates. */
struct intake_answer_error {
	char field[INTAKE_ID_MAX + 1];
	int index;                    /* into fields, or -1 for an unknown id */
	const char *msgid;            /* static */
};

/* Refusals in questionnaire order (unknown and repeated ids first), at most
 * INTAKE_MAX_ERRORS kept; total counts all, one per answer or field. */
struct intake_answer_errors {
	struct intake_answer_error e[INTAKE_MAX_ERRORS];
	size_t n, total;
};

/* Sets shown[i] (q->nfields entries) to 1 if fields[i] is shown under the
 * answers a[0..n), else 0. Answers to ids not in q are ignored here; of
 * repeated answers, the first counts. */
void intake_shown(const struct intake_questionnaire *q, const struct intake_answer *a, size_t n,
		  unsigned char *shown);

/* Checks answers a[0..n) against q on `today` (a valid date, for "not in the
 * future"): every id known and answered once; shown fields: required ones
 * answered, each value of its type's form and within its limits; hidden
 * fields: unanswered. Returns 0 when all pass, else -1 with out filled (out is
 * always reset first). */
int intake_answers_check(const struct intake_questionnaire *q, const struct intake_answer *a,
			 size_t n, const char *today, struct intake_answer_errors *out);

#endif
