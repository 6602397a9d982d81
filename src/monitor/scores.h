/* scores.h: the dashboard's assessment scores and risk heat per department
 * (issue 7 item 1; docs/monitoring.md, "Assessment scores and risk heat").
 * Internal to src/monitor; pages_scores.c shows them. */
#ifndef MONITOR_SCORES_H
#define MONITOR_SCORES_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/scope.h"
#include "base/arena.h"
#include "monitor/suppress.h"
#include "risks/matrix.h"
#include "store/db.h"

#define MON_FRAMEWORK_DEFAULT "basisnormen-2006"

/* A department's latest final self-assessment (signed off or reviewed:
 * read-only, the department stands by it) against one framework code for
 * a year up to the one chosen, and the change since the final one before. */
struct mon_score {
	int64_t id;          /* 0: none */
	int year;
	int reviewed;        /* 1 reviewed, 0 signed off */
	char date[11];       /* the day of the review, else of the sign-off */
	int shown;           /* overall score, whole points 0..100; -1 none scored */
	int has_change;      /* a previous final one with a score */
	int change;          /* shown points, as assess_change */
	int prev_year;
};

/* One per department of s (s->n into out). Departments are their own rows:
 * an assessment belongs to the department row that made it. 0, or -1 with
 * err. */
int mon_scores_load(db_t *db, const struct scope *s, const char *fw_code, int year,
		    struct mon_score *out, char *err, size_t errlen);

/* The risk heat: open risks per residual band, rows the departments of s,
 * columns the band ranks from the lowest (each department's own matrix,
 * bands ordered by score: the k-th lowest band of every department shares
 * column k). Totals made and suppressed at threshold, as the counts of
 * cases. heads gets the bands' names when every department's bands have
 * the same names, else NULL (the page numbers them). */
struct mon_heat {
	struct mon_grid g;
	size_t nbands;                                    /* columns */
	char heads[RISKS_BANDS_MAX][RISKS_NAME_MAX + 1];  /* "" when names differ */
	int named;
	long long off_matrix;                             /* open risks in no band */
};

int mon_heat_load(db_t *db, struct arena *a, const struct scope *s, int threshold,
		  struct mon_heat *h, char *err, size_t errlen);

#endif
