/* loop.h: the closed loop from cases back to risk (issue 6 item 4): "where
 * were the risks greatest". For one department over a period, the
 * established violations of its closed cases per process and category, set
 * against the risk it assessed for that process and category, with three
 * flags. The arithmetic is defined here and in docs/assessment.md ("Where
 * the risks were greatest"), and tested in tests/unit/loop.
 *
 *   model.c  the pure arithmetic below (no I/O)
 *   store.c  what it counts, read from the cases (migration 0008, 0014) and
 *            the risk register (0013); metadata in the clear only
 *   pages.c  GET /schendingen-en-risicos and /schendingen-en-risicos/{id}
 *            with their CSV and XLSX exports
 *   demo.c   the demo history of `probity demo` (data/demo/case-history.json)
 *
 * Definitions (all dates inclusive, "YYYY-MM-DD"):
 *
 *   violation   a closed case of the department (its organisation is the
 *               department or a unit under it) whose outcome is established
 *               or partly established; it counts on the day the case was
 *               opened (the nearest recorded date to when it came to light;
 *               the closing date lags by months), under the process and the
 *               category recorded with the outcome. A process not recorded
 *               is process 0.
 *   period      [from, to]: violations opened in it are counted.
 *   row         a pair (process, category) with a violation in the period or
 *               an open risk of the register: count = its violations.
 *   risks of a row  the open risks with the row's category whose process is
 *               the row's, or none (a risk of the whole department covers
 *               every process); for the row of process 0 every open risk of
 *               the category. Closed risks are no longer risks and do not
 *               count; a risk without a category cannot be matched.
 *   assessed risk   the highest residual band among the row's risks (bands
 *               ranked by their lowest score, 0 the lowest band), or "no
 *               risk registered".
 *   flag A, rated low   the row has risks, its assessed risk is the lowest
 *               band (so every one of its risks is rated lowest), and count
 *               >= n (n chosen on the page, default 2). A row with one risk
 *               rated higher is not flagged: the department saw the danger.
 *   flag B, no risk     count >= 1 and the row has no risks.
 *   flag C, no visible effect   a control with status implemented on date d
 *               (d within the period) of a risk of the row's process and
 *               category: before = violations of (the risk's process,
 *               category) opened in [d - 12 months, d - 1 day], after = those
 *               opened in [d, d + 12 months - 1 day] (a violation on d itself
 *               counts after). Judged only when the after-year has ended by
 *               `to` and the before-year starts on or after `data_from` (the
 *               first day violations can have been recorded for the
 *               department); else listed as not judged, with the reason.
 *               Flagged when judged, after >= 1 and after >= before. A risk
 *               of the whole department (process 0) counts the category's
 *               violations of every process.
 *
 * The coordinator's overview counts flags per department and shows counts
 * below LOOP_SMALL as "< 5" (loop_small). */
#ifndef LOOP_LOOP_H
#define LOOP_LOOP_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"

#define LOOP_YEARS_DEFAULT 3      /* the period: the last 3 years */
#define LOOP_N_DEFAULT 2          /* flag A from this many violations */
#define LOOP_N_MAX 1000
#define LOOP_SMALL 5              /* below this the overview says "< 5" */
#define LOOP_CODE_MAX 32          /* bytes of a category code */
#define LOOP_VIOLATIONS_MAX 200000
#define LOOP_RISKS_MAX 1000       /* = RISKS_ITEMS_MAX */
#define LOOP_CONTROLS_MAX 10000

enum loop_flag {
	LOOP_FLAG_RATED_LOW = 1u << 0,
	LOOP_FLAG_NO_RISK = 1u << 1,
	LOOP_FLAG_NO_EFFECT = 1u << 2,
};

struct loop_violation {
	int64_t process_id;                  /* 0: not recorded */
	char category[LOOP_CODE_MAX + 1];
	char on[DATE_LEN + 1];               /* the case's opening date */
};

struct loop_risk {
	int64_t id;
	int64_t process_id;                  /* 0: the whole department */
	char category[LOOP_CODE_MAX + 1];
	int band;                            /* residual band rank, 0 the lowest; -1 off */
	const char *band_name;               /* "laag" */
	const char *title;
};

struct loop_control {
	int64_t id;
	int64_t risk_id;
	char implemented_on[DATE_LEN + 1];   /* status implemented only */
	const char *description;
};

struct loop_input {
	char from[DATE_LEN + 1], to[DATE_LEN + 1];
	char data_from[DATE_LEN + 1];        /* "" : no limit */
	int n;                               /* flag A's threshold, 1..LOOP_N_MAX */
	const struct loop_violation *v;
	size_t nv;
	const struct loop_risk *risks;
	size_t nrisks;
	const struct loop_control *controls;
	size_t ncontrols;
};

/* Why a control was not judged. */
enum loop_judge {
	LOOP_JUDGED = 0,
	LOOP_AFTER_OPEN,      /* its 12 months after end after the period */
	LOOP_BEFORE_NO_DATA,  /* its 12 months before start before data_from */
};

struct loop_control_result {
	const struct loop_control *c;
	const struct loop_risk *r;
	enum loop_judge judged;
	int before, after;                   /* counts, when judged */
	char before_from[DATE_LEN + 1], after_to[DATE_LEN + 1];  /* the two years' ends */
	int flagged;
};

struct loop_row {
	int64_t process_id;
	char category[LOOP_CODE_MAX + 1];
	int count;
	int band;                            /* assessed risk: highest rank, -1 none */
	const char *band_name;               /* NULL when no risk */
	size_t nrisks;
	unsigned flags;                      /* enum loop_flag */
};

struct loop_result {
	struct loop_row *rows;               /* most violations first, then the highest
						band, then process id and category */
	size_t nrows;
	struct loop_control_result *controls;  /* by implementation date, then id */
	size_t ncontrols;
	int total;                           /* violations in the period */
	int flagged[3];                      /* rows with flag A, B; controls with C */
};

/* Checks in (dates, from <= to, n, counts, codes) and computes the result
 * in a's memory. Returns 0, or -1 with a reason (English, for logs and
 * tests) in err. */
int loop_compute(const struct loop_input *in, struct arena *a, struct loop_result *out,
		 char *err, size_t errlen);

/* The default period ending on today: [today - 3 years + 1 day, today].
 * Returns 0 or -1 (today not a date). */
int loop_default_period(const char *today, char from[DATE_LEN + 1], char to[DATE_LEN + 1]);

/* What a period and threshold as typed (query parameters) can be refused
 * for. */
enum loop_query {
	LOOP_Q_OK = 0,
	LOOP_Q_FROM,      /* the start is not a date YYYY-MM-DD */
	LOOP_Q_TO,        /* the end is not a date */
	LOOP_Q_ORDER,     /* the end is before the start */
	LOOP_Q_FUTURE,    /* the end is after today */
	LOOP_Q_SPAN,      /* longer than LOOP_SPAN_YEARS */
	LOOP_Q_N,         /* n is no whole number 1..LOOP_N_MAX */
};
#define LOOP_SPAN_YEARS 30

/* Reads a period and n as typed: NULL or "" takes the default (the last
 * LOOP_YEARS_DEFAULT years up to today; LOOP_N_DEFAULT). Fills from, to
 * and *n, and returns LOOP_Q_OK or the first reason for refusing. */
enum loop_query loop_read_query(const char *from_in, const char *to_in, const char *n_in,
				const char *today, char from[DATE_LEN + 1],
				char to[DATE_LEN + 1], int *n);

/* A count for the coordinator's overview: "< 5" below LOOP_SMALL, else the
 * number, into out. Returns out. */
const char *loop_small(int count, char *out, size_t outlen);

#endif
