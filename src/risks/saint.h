/* saint.h: the SAINT vulnerability analysis of a process (shared/domain §6;
 * Algemene Rekenkamer, IntoSAINT): which inherent vulnerabilities the
 * process has (a fixed list of ten), how strongly five
 * vulnerability-enhancing factors are present (0–3 each), and the
 * vulnerability profile that follows. The arithmetic, defined here and
 * explained with its sources in docs/assessment.md ("Risk register"):
 *
 *   inherent level   from the count of inherent vulnerabilities checked:
 *                    0–1 low, 2–3 medium, 4 or more high;
 *   enhancing level  from the sum of the five factor scores (0–15):
 *                    0–5 low, 6–10 medium, 11–15 high;
 *   profile          no inherent vulnerability at all: low (the factors
 *                    amplify a vulnerability; with none there is nothing to
 *                    amplify); otherwise 2 × inherent + enhancing (levels
 *                    counted 0, 1, 2, so 0..6): 0–1 low, 2–3 medium,
 *                    4–5 high, 6 very high. The inherent vulnerability
 *                    weighs double: it is what makes a process vulnerable,
 *                    the factors make it worse.
 *
 * Pure: no I/O. */
#ifndef RISKS_SAINT_H
#define RISKS_SAINT_H
#include <stddef.h>

#define SAINT_INHERENT 10
#define SAINT_FACTORS 5
#define SAINT_FACTOR_MAX 3

struct saint_item {
	const char *id;      /* stored and posted: "contracting" */
	const char *group;   /* msgid of its group */
	const char *label;   /* msgid */
};
/* The inherent vulnerabilities, in the order of the handbook: relations
 * with the environment (6), then managing public property (4). */
extern const struct saint_item saint_inherent[SAINT_INHERENT];
/* The vulnerability-enhancing factors. */
extern const struct saint_item saint_factors[SAINT_FACTORS];

/* A process's answers. */
struct saint_answers {
	unsigned inherent;            /* bit i: saint_inherent[i] is checked */
	int factor[SAINT_FACTORS];    /* 0..3 */
};

enum saint_level { SAINT_LOW, SAINT_MEDIUM, SAINT_HIGH, SAINT_VERY_HIGH };

struct saint_profile {
	int inherent_count;           /* 0..10 */
	int factor_sum;               /* 0..15 */
	enum saint_level inherent;    /* low, medium, high */
	enum saint_level enhancing;   /* low, medium, high */
	enum saint_level profile;     /* low .. very high */
};

/* 0 when the answers are in range (no unknown bit, factors 0..3), else -1. */
int saint_valid(const struct saint_answers *a);
/* The profile of valid answers. */
void saint_profile(const struct saint_answers *a, struct saint_profile *out);
/* "low", "medium", "high", "very_high": stored and in the API. */
const char *saint_level_id(enum saint_level l);
/* msgid of a level: "low", "medium", "high", "very high". */
const char *saint_level_label(enum saint_level l);
/* The index of the item with id in list[0..n), or -1. */
int saint_find(const struct saint_item *list, size_t n, const char *id);

#endif
