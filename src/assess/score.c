/* score.c: the words of a self-assessment and its arithmetic (assess.h says
 * how scores are defined). Pure: no database, no I/O. Integer arithmetic
 * only, so that a score is the same on every machine and in every export. */
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "base/alloc.h"

static const char *const judgements[] = {"none", "absent", "partly", "adequate"};
static const char *const maturities[] = {"none", "nascent", "emerging", "established",
					 "leading"};
static const char *const dims[] = {"design", "existence", "operation"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int parse(const char *const *names, size_t n, const char *s, int *out)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	return -1;
}

const char *assess_judgement_name(int j)
{
	return j >= 0 && (size_t)j < COUNT(judgements) ? judgements[j] : NULL;
}

int assess_judgement_parse(const char *s, int *out)
{
	return parse(judgements, COUNT(judgements), s, out);
}

const char *assess_maturity_name(int m)
{
	return m >= 0 && (size_t)m < COUNT(maturities) ? maturities[m] : NULL;
}

int assess_maturity_parse(const char *s, int *out)
{
	return parse(maturities, COUNT(maturities), s, out);
}

const char *assess_dim_name(int d)
{
	return d >= 0 && (size_t)d < COUNT(dims) ? dims[d] : NULL;
}

/* Points of a judgement in hundredths; -1 for not assessed (or garbage). */
static int points(unsigned char j)
{
	switch (j) {
	case ASSESS_J_ABSENT:
		return 0;
	case ASSESS_J_PARTLY:
		return 5000;
	case ASSESS_J_ADEQUATE:
		return 10000;
	default:
		return -1;
	}
}

int assess_mean_centi(long long sum, size_t n)
{
	/* half up on non-negative values: floor((2 sum + n) / 2n) */
	return (int)((2 * sum + (long long)n) / (2 * (long long)n));
}

int assess_shown(int centi)
{
	return centi < 0 ? ASSESS_SCORE_NONE : (centi + 50) / 100;
}

static struct assess_score none_score(void)
{
	return (struct assess_score){.centi = ASSESS_SCORE_NONE, .shown = ASSESS_SCORE_NONE};
}

struct assess_score assess_score_req(const struct assess_marks *m)
{
	struct assess_score s = none_score();
	long long sum = 0;
	for (int d = 0; d < ASSESS_DIMS; d++) {
		int pt = points(m->dim[d]);
		if (pt < 0) {
			s.unscored++;
			continue;
		}
		sum += pt;
		s.counted++;
	}
	if (s.counted) {
		s.centi = assess_mean_centi(sum, s.counted);
		s.shown = assess_shown(s.centi);
	}
	s.maturity = m->maturity <= ASSESS_M_LEADING ? m->maturity : ASSESS_M_NONE;
	return s;
}

/* The median maturity of the levels counted in hist[1..4], lower middle. */
static int median_level(const size_t hist[ASSESS_M_LEADING + 1])
{
	size_t n = 0, seen = 0;
	for (int l = 1; l <= ASSESS_M_LEADING; l++)
		n += hist[l];
	if (n == 0)
		return ASSESS_M_NONE;
	/* the lower middle: the element at 0-based position (n - 1) / 2 */
	size_t want = (n - 1) / 2;
	for (int l = 1; l <= ASSESS_M_LEADING; l++) {
		seen += hist[l];
		if (seen > want)
			return l;
	}
	return ASSESS_M_NONE; /* not reached */
}

/* Mean of the scored parts (centi >= 0) of the selected scores into out. */
static void mean_of(struct assess_score *out, long long sum, size_t counted, size_t unscored)
{
	out->counted = counted;
	out->unscored = unscored;
	out->centi = counted ? assess_mean_centi(sum, counted) : ASSESS_SCORE_NONE;
	out->shown = assess_shown(out->centi);
}

void assess_score(const struct framework *f, const struct assess_marks *marks,
		  struct assess_scores *out)
{
	memset(out, 0, sizeof *out);
	out->reqs = xcalloc(f->nreqs ? f->nreqs : 1, sizeof *out->reqs);
	out->groups = xcalloc(f->ngroups ? f->ngroups : 1, sizeof *out->groups);
	out->pillars = xcalloc(f->npillars ? f->npillars : 1, sizeof *out->pillars);
	size_t all_hist[ASSESS_M_LEADING + 1] = {0};

	for (size_t i = 0; i < f->nreqs; i++) {
		out->reqs[i] = assess_score_req(&marks[i]);
		out->open_dims += out->reqs[i].unscored;
		out->open_reqs += out->reqs[i].unscored > 0;
		all_hist[out->reqs[i].maturity]++;
	}
	long long osum = 0;
	size_t ocount = 0, ounscored = 0;
	for (size_t g = 0; g < f->ngroups; g++) {
		const struct fw_group *gr = &f->groups[g];
		size_t hist[ASSESS_M_LEADING + 1] = {0}, counted = 0, unscored = 0;
		long long sum = 0;
		for (size_t i = gr->first; i < gr->first + gr->n && i < f->nreqs; i++) {
			const struct assess_score *r = &out->reqs[i];
			hist[r->maturity]++;
			if (r->centi < 0) {
				unscored++;
				continue;
			}
			sum += r->centi;
			counted++;
		}
		mean_of(&out->groups[g], sum, counted, unscored);
		out->groups[g].maturity = median_level(hist);
		if (out->groups[g].centi >= 0) {
			osum += out->groups[g].centi;
			ocount++;
		} else {
			ounscored++;
		}
	}
	for (size_t p = 0; p < f->npillars; p++) {
		size_t hist[ASSESS_M_LEADING + 1] = {0}, counted = 0, unscored = 0;
		long long sum = 0;
		for (size_t g = 0; g < f->ngroups; g++) {
			const struct fw_group *gr = &f->groups[g];
			if (gr->pillar != (int)p)
				continue;
			for (size_t i = gr->first; i < gr->first + gr->n && i < f->nreqs; i++)
				hist[out->reqs[i].maturity]++;
			if (out->groups[g].centi < 0) {
				unscored++;
				continue;
			}
			sum += out->groups[g].centi;
			counted++;
		}
		mean_of(&out->pillars[p], sum, counted, unscored);
		out->pillars[p].maturity = median_level(hist);
	}
	mean_of(&out->overall, osum, ocount, ounscored);
	out->overall.maturity = median_level(all_hist);
}

void assess_scores_free(struct assess_scores *s)
{
	free(s->reqs);
	free(s->groups);
	free(s->pillars);
	memset(s, 0, sizeof *s);
}

int assess_change(const struct assess_score *cur, const struct assess_score *prev, int *has)
{
	*has = cur && prev && cur->shown >= 0 && prev->shown >= 0;
	return *has ? cur->shown - prev->shown : 0;
}
