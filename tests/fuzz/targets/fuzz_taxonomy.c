/* fuzz_taxonomy.c: the taxonomy reader and the measures reader
 * (src/cases/taxonomy.c) on any bytes. Nothing may crash or leak; a refusal
 * must leave a terminated, printable message and an empty result; an
 * accepted taxonomy must keep its invariants (codes unique and findable,
 * mappings in range), map each code to itself within its revision, and, when
 * it links to a shipped revision before it, map every old code forwards and
 * every result back to a set holding the old code; accepted measures must
 * have unique codes and a hearing before every penalty. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/dataset.h"
#include "cases/taxonomy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(const char *err, size_t len)
{
	if (!memchr(err, 0, len))
		abort();
	for (const char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			abort();
}

static int holds(const char *const *list, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], code) == 0)
			return 1;
	return 0;
}

static void check_taxonomy(const struct cases_taxonomy *t)
{
	if (t->ncategories < 1 || t->ncategories > CASES_MAX_CATEGORIES || t->revision < 1 ||
	    (t->revision == 1) != (t->maps_from == 0) || (t->maps_from == 0) != (t->nmappings == 0))
		abort();
	if (t->maps_from && t->maps_from != t->revision - 1)
		abort();
	for (size_t i = 0; i < t->ncategories; i++)
		if (cases_taxonomy_find(t, t->categories[i].code) != &t->categories[i] ||
		    !t->categories[i].title.nl || !t->categories[i].description.en)
			abort();
	for (size_t i = 0; i < t->nmappings; i++) {
		const struct cases_mapping *m = &t->mappings[i];
		if (m->nto < 1 || m->nto > CASES_MAX_MAP_TO)
			abort();
		for (size_t k = 0; k < m->nto; k++)
			if (m->to[k] >= t->ncategories)
				abort();
	}
	const struct cases_taxonomy *self[] = {t};
	for (size_t i = 0; i < t->ncategories; i++) {
		const char *out[CASES_MAX_CATEGORIES];
		size_t n;
		if (cases_taxonomy_map(self, 1, t->categories[i].code, t->revision, t->revision, out,
				       CASES_MAX_CATEGORIES, &n) != 0 || n != 1 ||
		    strcmp(out[0], t->categories[i].code) != 0)
			abort();
	}
	/* linked to a shipped revision: round trips */
	const struct cases_taxonomy *prev = cases_data_taxonomy_find(t->id, t->revision - 1);
	char err[400];
	if (!prev || cases_taxonomy_link(prev, t, err, sizeof err) != 0)
		return;
	const struct cases_taxonomy *revs[] = {prev, t};
	for (size_t i = 0; i < prev->ncategories; i++) {
		const char *fwd[CASES_MAX_CATEGORIES], *back[CASES_MAX_CATEGORIES];
		size_t nf, nb;
		const char *code = prev->categories[i].code;
		if (cases_taxonomy_map(revs, 2, code, prev->revision, t->revision, fwd,
				       CASES_MAX_CATEGORIES, &nf) != 0 || nf == 0)
			abort();
		for (size_t k = 0; k < nf; k++)
			if (cases_taxonomy_map(revs, 2, fwd[k], t->revision, prev->revision, back,
					       CASES_MAX_CATEGORIES, &nb) != 0 || !holds(back, nb, code))
				abort();
	}
}

static void check_measures(const struct cases_measures *m)
{
	if (m->nmeasures < 1 || m->nmeasures > CASES_MAX_MEASURES || !m->title.nl)
		abort();
	for (size_t i = 0; i < m->nmeasures; i++) {
		const struct cases_measure *x = &m->measures[i];
		if (cases_measures_find(m, x->code) != x || (unsigned)x->kind > CASES_MEASURE_OTHER ||
		    (x->kind == CASES_MEASURE_PENALTY && !x->hearing_required) ||
		    !strcmp(cases_measure_kind_name(x->kind), "?"))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	static int ready;
	if (!ready) {
		if (cases_data_init(err, sizeof err) != 0)
			abort();
		ready = 1;
	}
	struct cases_taxonomy t;
	memset(err, 'x', sizeof err);
	if (cases_taxonomy_parse((const char *)data, size, &t, err, sizeof err) != 0) {
		check_refusal(err, sizeof err);
		if (t.mem || t.categories || t.mappings || t.ncategories)
			abort();
	} else {
		check_taxonomy(&t);
		cases_taxonomy_free(&t);
	}
	struct cases_measures m;
	memset(err, 'x', sizeof err);
	if (cases_measures_parse((const char *)data, size, &m, err, sizeof err) != 0) {
		check_refusal(err, sizeof err);
		if (m.mem || m.measures || m.nmeasures)
			abort();
	} else {
		check_measures(&m);
		cases_measures_free(&m);
	}
	return 0;
}
