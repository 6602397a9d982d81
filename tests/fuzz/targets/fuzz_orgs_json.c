/* fuzz_orgs_json.c: the organisations data file reader (orgs_parse_json) on any
 * bytes, and whatever it accepts run through the model as an import would,
 * without a database: planning, applying with made-up ids, and the tree and
 * lineage queries. Nothing may crash or leak; a refusal must leave a
 * terminated, control-free message and an empty result, and the table must
 * keep the model's invariants after every change. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "orgs/orgs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounds each run's model work so that the fuzzer spends its time on inputs,
 * not on replaying one large file. */
#define MAX_CHANGES 300

/* No two rows with one code alive on the same day; every open row's parent
 * open. Aborts if the model let either slip. */
static void check_invariants(const struct org_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct org *a = &t->rows[i];
		if (a->valid_to[0] && strcmp(a->valid_to, a->valid_from) <= 0)
			abort();
		if (!a->valid_to[0] && a->parent_id) {
			const struct org *p = org_by_id(t, a->parent_id);
			if (!p || p->valid_to[0])
				abort();
		}
		for (size_t j = i + 1; j < t->nrows; j++) {
			const struct org *b = &t->rows[j];
			if (!org_code_eq(a->code, b->code))
				continue;
			int apart = (a->valid_to[0] && strcmp(a->valid_to, b->valid_from) <= 0) ||
				    (b->valid_to[0] && strcmp(b->valid_to, a->valid_from) <= 0);
			if (!apart)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct orgs_file f;
	char err[512];
	memset(err, 'x', sizeof err);
	if (orgs_parse_json((const char *)data, size, &f, err, sizeof err) != 0) {
		if (!memchr(err, 0, sizeof err) || f.changes || f.nchanges)
			abort();
		for (const char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20)
				abort();
		return 0;
	}
	struct org_table t;
	org_table_init(&t);
	int64_t next_id = 1;
	size_t n = f.nchanges < MAX_CHANGES ? f.nchanges : MAX_CHANGES;
	for (size_t i = 0; i < n; i++) {
		struct org_plan p;
		struct org_error e;
		org_plan_init(&p);
		if (org_plan_change(&t, &f.changes[i], &p, &e) == 0) {
			int64_t *ids = xcalloc(p.nadd + 1, sizeof *ids);
			for (size_t k = 0; k < p.nadd; k++)
				ids[k] = next_id++;
			if (org_table_apply(&t, &p, ids) != 0)
				abort();
			free(ids);
		} else if (e.cls == ORG_OK || !memchr(e.msg, 0, sizeof e.msg)) {
			abort();
		}
		org_plan_free(&p);
	}
	check_invariants(&t);
	struct org_tree_item *items;
	size_t nitems;
	org_tree(&t, NULL, 0, &items, &nitems);
	if (nitems > t.nrows)
		abort();
	free(items);
	for (size_t i = 0; i < t.nrows && i < 8; i++) {
		struct org_lineage_step *steps;
		size_t nsteps;
		const struct org **kids;
		org_lineage(&t, t.rows[i].id, i % 2, &steps, &nsteps);
		free(steps);
		org_children(&t, &t.rows[i], i % 2 ? NULL : t.rows[i].valid_from, &kids);
		free(kids);
	}
	org_table_free(&t);
	orgs_file_free(&f);
	return 0;
}
