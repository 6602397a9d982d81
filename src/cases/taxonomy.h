/* taxonomy.h: the categories of integrity violations (shared/domain §4) and
 * the measures of the collective agreement (§7), both as versioned data.
 *
 * Taxonomy (data/taxonomies/, format "probity-taxonomy"): one revision of a
 * category list. Categories change over time (Defence counted categories 7-8
 * differently in 2019-2020 than in 2021-2022), and statistics must stay
 * comparable, so every revision after the first says in "maps_from" how each
 * code of the revision before it maps to one or more codes of its own. A case
 * stores the taxonomy id, revision and code it was classified under; the
 * statistics map codes between revisions with cases_taxonomy_map.
 *
 * A revision marked "example" ships only to show how such a change is
 * recorded (schendingen-v2.json): it is never used for new cases
 * (dataset.h), but maps like any other.
 *
 * Measures (data/measures/, format "probity-measures"): order measures and
 * penalties under CAO Rijk chapter 15, and other outcomes. Every penalty
 * requires that the employee was first heard (the reader refuses a penalty
 * without it).
 *
 * Pure: no I/O. The formats are described at the top of taxonomy.c. */
#ifndef CASES_TAXONOMY_H
#define CASES_TAXONOMY_H
#include <stddef.h>

#include "cases/protocol.h"

#define CASES_TAXONOMY_MAX_BYTES (128 * 1024)
#define CASES_MAX_CATEGORIES 100
#define CASES_MAX_MAP_TO 20          /* codes one code maps to */
#define CASES_MEASURES_MAX_BYTES (128 * 1024)
#define CASES_MAX_MEASURES 50

/* ---- taxonomy ---- */

struct cases_category {
	const char *code;             /* [a-z0-9_]{1,32}: "1" .. "9", "8a" */
	struct cases_text title, description;
};

/* How one code of the previous revision maps into this one. */
struct cases_mapping {
	const char *from;             /* a code of revision maps_from */
	const size_t *to;             /* indexes into this revision's categories, 1 or more,
					 distinct */
	size_t nto;
};

struct cases_taxonomy {
	const char *id;               /* "schendingen" */
	int revision;
	int example;                  /* 1: never used for new cases */
	struct cases_text title, description;   /* description: NULLs when left out */
	const struct cases_category *categories;
	size_t ncategories;
	int maps_from;                /* revision - 1, or 0 for the first revision */
	const struct cases_mapping *mappings;   /* one per code of revision maps_from */
	size_t nmappings;
	void *mem;                    /* private */
};

/* Parses len bytes of JSON. Pure; a fuzz target. Returns 0, or -1 with a JSON
 * path and reason in err, leaving *out empty. Checks this file alone: that
 * the mapping covers exactly the previous revision's codes is
 * cases_taxonomy_link's. */
int cases_taxonomy_parse(const char *text, size_t len, struct cases_taxonomy *out, char *err,
			 size_t errlen);
void cases_taxonomy_free(struct cases_taxonomy *t);

/* The category with code, or NULL. */
const struct cases_category *cases_taxonomy_find(const struct cases_taxonomy *t,
						 const char *code);

/* Checks that next (revision r) maps from prev (same id, revision r - 1):
 * one mapping for each code of prev, none for a code prev lacks. Returns 0,
 * or -1 with the reason in err. */
int cases_taxonomy_link(const struct cases_taxonomy *prev, const struct cases_taxonomy *next,
			char *err, size_t errlen);

/* Maps code of revision `from` to the codes of revision `to` through the
 * revisions in revs[0..n) (any order; one id; linked as by
 * cases_taxonomy_link): forwards by following maps_from, backwards by
 * inverting it (8a and 8b both lead back to 8). Writes the distinct codes,
 * in the target revision's order, to out[0..cap) and their number to *nout.
 * from == to gives the code itself. Returns 0, or -1 if a revision in between
 * is missing, the code is not in revision `from`, or more than cap codes
 * result. */
int cases_taxonomy_map(const struct cases_taxonomy *const *revs, size_t n, const char *code,
		       int from, int to, const char **out, size_t cap, size_t *nout);

/* ---- measures ---- */

enum cases_measure_kind {
	CASES_MEASURE_ORDER,          /* ordemaatregel: access ban, suspension */
	CASES_MEASURE_PENALTY,        /* straf: reprimand ... dismissal */
	CASES_MEASURE_OTHER,          /* police report, no measure */
};

/* "order_measure", "penalty", "other"; "?" out of range. */
const char *cases_measure_kind_name(enum cases_measure_kind k);

struct cases_measure {
	const char *code;             /* "written_reprimand" */
	enum cases_measure_kind kind;
	struct cases_text title, description;   /* description: NULLs when left out */
	int hearing_required;         /* the employee must first be heard; 1 for penalties */
};

struct cases_measures {
	const char *id;               /* "cao_rijk" */
	int revision;
	struct cases_text title, description;
	const struct cases_measure *measures;
	size_t nmeasures;
	void *mem;                    /* private */
};

int cases_measures_parse(const char *text, size_t len, struct cases_measures *out, char *err,
			 size_t errlen);
void cases_measures_free(struct cases_measures *m);
/* The measure with code, or NULL. */
const struct cases_measure *cases_measures_find(const struct cases_measures *m,
						const char *code);

#endif
