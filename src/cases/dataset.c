/* dataset.c: the embedded protocols, taxonomies and measure lists, parsed
 * once (see dataset.h). Never freed: they live as long as the process and
 * are read-only after parsing, so worker threads share them without locks. */
#include "cases/dataset.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/embedded.h"

extern const struct embedded_file cases_protocol_files[];
extern const struct embedded_file cases_taxonomy_files[];
extern const struct embedded_file cases_measures_files[];

#define SET_MAX 16

static struct cases_protocol protocols[SET_MAX];
static struct cases_taxonomy taxonomies[SET_MAX];
static struct cases_measures measures[SET_MAX];
static size_t nprotocols, ntaxonomies, nmeasures;
static const struct cases_protocol *cur_protocol;
static const struct cases_taxonomy *cur_taxonomy;
static const struct cases_measures *cur_measures;
static char init_err[400];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Parses every file of table into items (elements of size sz) with parse;
 * id and revision of each are read back through head. Returns 0 or -1 with
 * init_err set. */
typedef int (*parse_fn)(const char *, size_t, void *, char *, size_t);
typedef void (*head_fn)(const void *, const char **, int *);

static int load_table(const char *what, const struct embedded_file *table, void *items,
		      size_t sz, size_t *n, parse_fn parse, head_fn head)
{
	for (const struct embedded_file *f = table; f->name; f++) {
		char err[300];
		if (*n == SET_MAX) {
			snprintf(init_err, sizeof init_err, "more than %d %s files", SET_MAX, what);
			return -1;
		}
		void *item = (char *)items + *n * sz;
		if (parse(f->data, f->len, item, err, sizeof err) != 0) {
			snprintf(init_err, sizeof init_err, "%s %s: %s", what, f->name, err);
			return -1;
		}
		const char *id, *id2;
		int rev, rev2;
		head(item, &id, &rev);
		for (size_t k = 0; k < *n; k++) {
			head((char *)items + k * sz, &id2, &rev2);
			if (rev == rev2 && strcmp(id, id2) == 0) {
				snprintf(init_err, sizeof init_err, "%s %s: %s revision %d ships twice",
					 what, f->name, id, rev);
				return -1;
			}
		}
		(*n)++;
	}
	return 0;
}

static int parse_protocol(const char *t, size_t l, void *o, char *e, size_t el)
{
	return cases_protocol_parse(t, l, o, e, el);
}

static int parse_taxonomy(const char *t, size_t l, void *o, char *e, size_t el)
{
	return cases_taxonomy_parse(t, l, o, e, el);
}

static int parse_measures(const char *t, size_t l, void *o, char *e, size_t el)
{
	return cases_measures_parse(t, l, o, e, el);
}

static void head_protocol(const void *o, const char **id, int *rev)
{
	*id = ((const struct cases_protocol *)o)->id;
	*rev = ((const struct cases_protocol *)o)->revision;
}

static void head_taxonomy(const void *o, const char **id, int *rev)
{
	*id = ((const struct cases_taxonomy *)o)->id;
	*rev = ((const struct cases_taxonomy *)o)->revision;
}

static void head_measures(const void *o, const char **id, int *rev)
{
	*id = ((const struct cases_measures *)o)->id;
	*rev = ((const struct cases_measures *)o)->revision;
}

/* Every taxonomy revision after the first must map from the one before,
 * which must ship too. */
static int link_taxonomies(void)
{
	for (size_t i = 0; i < ntaxonomies; i++) {
		const struct cases_taxonomy *t = &taxonomies[i];
		if (t->revision == 1)
			continue;
		const struct cases_taxonomy *prev = cases_data_taxonomy_find(t->id, t->revision - 1);
		char err[300];
		if (!prev) {
			snprintf(init_err, sizeof init_err, "taxonomy %s revision %d: revision %d, "
				 "which it maps from, does not ship", t->id, t->revision,
				 t->revision - 1);
			return -1;
		}
		if (cases_taxonomy_link(prev, t, err, sizeof err) != 0) {
			snprintf(init_err, sizeof init_err, "taxonomy %s", err);
			return -1;
		}
	}
	return 0;
}

static void load(void)
{
	if (load_table("protocol", cases_protocol_files, protocols, sizeof *protocols,
		       &nprotocols, parse_protocol, head_protocol) ||
	    load_table("taxonomy", cases_taxonomy_files, taxonomies, sizeof *taxonomies,
		       &ntaxonomies, parse_taxonomy, head_taxonomy) ||
	    load_table("measures", cases_measures_files, measures, sizeof *measures, &nmeasures,
		       parse_measures, head_measures) ||
	    link_taxonomies())
		return;
	for (size_t i = 0; i < nprotocols; i++)
		if (strcmp(protocols[i].id, CASES_PROTOCOL_ID) == 0 &&
		    (!cur_protocol || protocols[i].revision > cur_protocol->revision))
			cur_protocol = &protocols[i];
	for (size_t i = 0; i < ntaxonomies; i++)
		if (strcmp(taxonomies[i].id, CASES_TAXONOMY_ID) == 0 && !taxonomies[i].example &&
		    (!cur_taxonomy || taxonomies[i].revision > cur_taxonomy->revision))
			cur_taxonomy = &taxonomies[i];
	for (size_t i = 0; i < nmeasures; i++)
		if (strcmp(measures[i].id, CASES_MEASURES_ID) == 0 &&
		    (!cur_measures || measures[i].revision > cur_measures->revision))
			cur_measures = &measures[i];
	if (!cur_protocol)
		snprintf(init_err, sizeof init_err, "no protocol with id \"%s\"", CASES_PROTOCOL_ID);
	else if (!cur_taxonomy)
		snprintf(init_err, sizeof init_err, "no taxonomy with id \"%s\" that is not an "
			 "example", CASES_TAXONOMY_ID);
	else if (!cur_measures)
		snprintf(init_err, sizeof init_err, "no measures with id \"%s\"", CASES_MEASURES_ID);
}

int cases_data_init(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (init_err[0]) {
		snprintf(err, errlen, "case data: %s", init_err);
		return -1;
	}
	return 0;
}

const struct cases_protocol *cases_data_protocol(void)
{
	return init_err[0] ? NULL : cur_protocol;
}

const struct cases_taxonomy *cases_data_taxonomy(void)
{
	return init_err[0] ? NULL : cur_taxonomy;
}

const struct cases_measures *cases_data_measures(void)
{
	return init_err[0] ? NULL : cur_measures;
}

/* Lookups run inside load (link_taxonomies) too, before init_err can be
 * known, so they only check that the id was given. */
const struct cases_protocol *cases_data_protocol_find(const char *id, int revision)
{
	for (size_t i = 0; id && !init_err[0] && i < nprotocols; i++)
		if (protocols[i].revision == revision && strcmp(protocols[i].id, id) == 0)
			return &protocols[i];
	return NULL;
}

const struct cases_taxonomy *cases_data_taxonomy_find(const char *id, int revision)
{
	for (size_t i = 0; id && !init_err[0] && i < ntaxonomies; i++)
		if (taxonomies[i].revision == revision && strcmp(taxonomies[i].id, id) == 0)
			return &taxonomies[i];
	return NULL;
}

const struct cases_measures *cases_data_measures_find(const char *id, int revision)
{
	for (size_t i = 0; id && !init_err[0] && i < nmeasures; i++)
		if (measures[i].revision == revision && strcmp(measures[i].id, id) == 0)
			return &measures[i];
	return NULL;
}

int cases_data_map_category(const char *id, const char *code, int from, int to,
			    const char **out, size_t cap, size_t *nout)
{
	const struct cases_taxonomy *revs[SET_MAX];
	size_t n = 0;
	*nout = 0;
	if (!id || init_err[0] || !cur_taxonomy)
		return -1;
	for (size_t i = 0; i < ntaxonomies; i++)
		if (strcmp(taxonomies[i].id, id) == 0)
			revs[n++] = &taxonomies[i];
	return cases_taxonomy_map(revs, n, code, from, to, out, cap, nout);
}
