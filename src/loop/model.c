/* model.c: the arithmetic of "where were the risks greatest" (loop.h, which
 * defines every term). Pure: no I/O; everything it makes lives in the
 * caller's arena. Sizes are small (a department has at most
 * LOOP_RISKS_MAX risks and some thousands of violations over a period), so
 * plain scans are used where a hash would only obscure the rules. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "loop/loop.h"

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int is_date(const char *s)
{
	return date_valid(s, strlen(s)) == 0;
}

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= LOOP_CODE_MAX;
}

/* Does risk r cover (process, category) of a row? See loop.h. */
static int covers(const struct loop_risk *r, int64_t process, const char *category)
{
	if (strcmp(r->category, category) != 0)
		return 0;
	return process == 0 || r->process_id == 0 || r->process_id == process;
}

/* Violations of (process, category) opened in [lo, hi]; process 0 (a risk
 * of the whole department) counts every process. */
static int count_in(const struct loop_input *in, int64_t process, const char *category,
		    const char *lo, const char *hi)
{
	int n = 0;
	for (size_t i = 0; i < in->nv; i++) {
		const struct loop_violation *v = &in->v[i];
		if (strcmp(v->category, category) != 0 || (process && v->process_id != process))
			continue;
		if (strcmp(v->on, lo) >= 0 && strcmp(v->on, hi) <= 0)
			n++;
	}
	return n;
}

static struct loop_row *row_find(struct loop_row *rows, size_t n, int64_t process,
				 const char *category)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].process_id == process && strcmp(rows[i].category, category) == 0)
			return &rows[i];
	return NULL;
}

static int row_cmp(const void *a, const void *b)
{
	const struct loop_row *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->band != y->band)
		return x->band > y->band ? -1 : 1;
	if (x->process_id != y->process_id)
		return x->process_id < y->process_id ? -1 : 1;
	return strcmp(x->category, y->category);
}

static int control_cmp(const void *a, const void *b)
{
	const struct loop_control_result *x = a, *y = b;
	int c = strcmp(x->c->implemented_on, y->c->implemented_on);
	if (c)
		return c;
	return x->c->id < y->c->id ? -1 : x->c->id > y->c->id;
}

static int check_input(const struct loop_input *in, char *err, size_t errlen)
{
	if (!is_date(in->from) || !is_date(in->to))
		return bad(err, errlen, "the period's dates are not dates");
	if (strcmp(in->from, in->to) > 0)
		return bad(err, errlen, "the period ends before it begins");
	if (in->data_from[0] && !is_date(in->data_from))
		return bad(err, errlen, "data_from is not a date");
	if (in->n < 1 || in->n > LOOP_N_MAX)
		return bad(err, errlen, "n is 1 to %d", LOOP_N_MAX);
	if (in->nv > LOOP_VIOLATIONS_MAX || in->nrisks > LOOP_RISKS_MAX ||
	    in->ncontrols > LOOP_CONTROLS_MAX)
		return bad(err, errlen, "too many violations, risks or controls");
	for (size_t i = 0; i < in->nv; i++)
		if (!code_ok(in->v[i].category) || !is_date(in->v[i].on) || in->v[i].process_id < 0)
			return bad(err, errlen, "violation %zu is malformed", i);
	for (size_t i = 0; i < in->nrisks; i++)
		if (!code_ok(in->risks[i].category) || in->risks[i].process_id < 0 ||
		    in->risks[i].band < -1)
			return bad(err, errlen, "risk %zu is malformed", i);
	for (size_t i = 0; i < in->ncontrols; i++)
		if (!is_date(in->controls[i].implemented_on))
			return bad(err, errlen, "control %zu has no implementation date", i);
	return 0;
}

/* Judges control c of risk r (loop.h, flag C). */
static int judge(const struct loop_input *in, const struct loop_control *c,
		 const struct loop_risk *r, struct loop_control_result *out)
{
	char before_to[DATE_LEN + 1], after_end[DATE_LEN + 1];
	const char *d = c->implemented_on;
	memset(out, 0, sizeof *out);
	out->c = c;
	out->r = r;
	/* the year before: [d - 12 months, d - 1 day]; the year after:
	 * [d, d + 12 months - 1 day] */
	if (date_add_months(d, -12, out->before_from) != 0 ||
	    date_add_days(d, -1, before_to) != 0 || date_add_months(d, 12, after_end) != 0 ||
	    date_add_days(after_end, -1, out->after_to) != 0)
		return -1;
	if (strcmp(out->after_to, in->to) > 0)
		out->judged = LOOP_AFTER_OPEN;
	else if (in->data_from[0] && strcmp(out->before_from, in->data_from) < 0)
		out->judged = LOOP_BEFORE_NO_DATA;
	else
		out->judged = LOOP_JUDGED;
	if (out->judged != LOOP_JUDGED)
		return 0;
	out->before = count_in(in, r->process_id, r->category, out->before_from, before_to);
	out->after = count_in(in, r->process_id, r->category, d, out->after_to);
	out->flagged = out->after >= 1 && out->after >= out->before;
	return 0;
}

int loop_compute(const struct loop_input *in, struct arena *a, struct loop_result *out,
		 char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (check_input(in, err, errlen) != 0)
		return -1;
	/* rows: every (process, category) with a violation in the period or a risk */
	size_t cap = in->nv + in->nrisks + 1, n = 0;
	struct loop_row *rows = arena_alloc(a, cap * sizeof *rows);
	for (size_t i = 0; i < in->nv; i++) {
		const struct loop_violation *v = &in->v[i];
		if (strcmp(v->on, in->from) < 0 || strcmp(v->on, in->to) > 0)
			continue;
		struct loop_row *r = row_find(rows, n, v->process_id, v->category);
		if (!r) {
			r = &rows[n++];
			memset(r, 0, sizeof *r);
			r->process_id = v->process_id;
			snprintf(r->category, sizeof r->category, "%s", v->category);
		}
		r->count++;
		out->total++;
	}
	for (size_t i = 0; i < in->nrisks; i++) {
		const struct loop_risk *k = &in->risks[i];
		if (!row_find(rows, n, k->process_id, k->category)) {
			struct loop_row *r = &rows[n++];
			memset(r, 0, sizeof *r);
			r->process_id = k->process_id;
			snprintf(r->category, sizeof r->category, "%s", k->category);
		}
	}
	/* the assessed risk and flags A and B */
	for (size_t i = 0; i < n; i++) {
		struct loop_row *r = &rows[i];
		r->band = -1;
		for (size_t j = 0; j < in->nrisks; j++) {
			const struct loop_risk *k = &in->risks[j];
			if (!covers(k, r->process_id, r->category))
				continue;
			if (++r->nrisks == 1 || k->band > r->band) {
				r->band = k->band;
				r->band_name = k->band_name;
			}
		}
		if (r->nrisks && r->band == 0 && r->count >= in->n) {
			r->flags |= LOOP_FLAG_RATED_LOW;
			out->flagged[0]++;
		}
		if (!r->nrisks && r->count >= 1) {
			r->flags |= LOOP_FLAG_NO_RISK;
			out->flagged[1]++;
		}
	}
	/* flag C per control, and on the rows its risk covers */
	struct loop_control_result *cr = arena_alloc(a, (in->ncontrols + 1) * sizeof *cr);
	size_t nc = 0;
	for (size_t i = 0; i < in->ncontrols; i++) {
		const struct loop_control *c = &in->controls[i];
		const struct loop_risk *k = NULL;
		for (size_t j = 0; j < in->nrisks && !k; j++)
			if (in->risks[j].id == c->risk_id)
				k = &in->risks[j];
		if (!k || strcmp(c->implemented_on, in->from) < 0 ||
		    strcmp(c->implemented_on, in->to) > 0)
			continue; /* not a control of an open, categorised risk in the period */
		if (judge(in, c, k, &cr[nc]) != 0)
			return bad(err, errlen, "control %lld: date out of range", (long long)c->id);
		if (cr[nc].flagged) {
			out->flagged[2]++;
			struct loop_row *r = row_find(rows, n, k->process_id, k->category);
			if (r)
				r->flags |= LOOP_FLAG_NO_EFFECT;
		}
		nc++;
	}
	qsort(rows, n, sizeof *rows, row_cmp);
	qsort(cr, nc, sizeof *cr, control_cmp);
	out->rows = rows;
	out->nrows = n;
	out->controls = cr;
	out->ncontrols = nc;
	return 0;
}

int loop_default_period(const char *today, char from[DATE_LEN + 1], char to[DATE_LEN + 1])
{
	char back[DATE_LEN + 1];
	if (!today || date_valid(today, strlen(today)) != 0 ||
	    date_add_months(today, -12 * LOOP_YEARS_DEFAULT, back) != 0 ||
	    date_add_days(back, 1, from) != 0)
		return -1;
	snprintf(to, DATE_LEN + 1, "%s", today);
	return 0;
}

const char *loop_small(int count, char *out, size_t outlen)
{
	if (count < LOOP_SMALL)
		snprintf(out, outlen, "< %d", LOOP_SMALL);
	else
		snprintf(out, outlen, "%d", count);
	return out;
}

enum loop_query loop_read_query(const char *from_in, const char *to_in, const char *n_in,
				const char *today, char from[DATE_LEN + 1],
				char to[DATE_LEN + 1], int *n)
{
	char earliest[DATE_LEN + 1];
	int64_t v;
	*n = LOOP_N_DEFAULT;
	if (loop_default_period(today, from, to) != 0)
		return LOOP_Q_TO;
	if (from_in && *from_in) {
		if (strlen(from_in) != DATE_LEN || date_valid(from_in, DATE_LEN) != 0)
			return LOOP_Q_FROM;
		snprintf(from, DATE_LEN + 1, "%s", from_in);
	}
	if (to_in && *to_in) {
		if (strlen(to_in) != DATE_LEN || date_valid(to_in, DATE_LEN) != 0)
			return LOOP_Q_TO;
		snprintf(to, DATE_LEN + 1, "%s", to_in);
	}
	if (strcmp(from, to) > 0)
		return LOOP_Q_ORDER;
	if (strcmp(to, today) > 0)
		return LOOP_Q_FUTURE;
	if (date_add_months(to, -12 * LOOP_SPAN_YEARS, earliest) != 0 || strcmp(from, earliest) < 0)
		return LOOP_Q_SPAN;
	if (n_in && *n_in) {
		if (num_parse_i64z(n_in, 1, LOOP_N_MAX, &v) != 0)
			return LOOP_Q_N;
		*n = (int)v;
	}
	return LOOP_Q_OK;
}
