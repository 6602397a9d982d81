/* fixture.c: see fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "fixture.h"
#include "orgs/orgs.h"

void fixture_open(struct testfx *t, int64_t *rijk, const struct fixture_dept *depts)
{
	testfx_open(t);
	testfx_add_org(t, "RIJK", NULL, ORG_GOVERNMENT);
	if (rijk)
		*rijk = fixture_org(t, "RIJK");
	for (const struct fixture_dept *d = depts; d->code; d++) {
		testfx_add_org(t, d->code, "RIJK", -1);
		if (d->id)
			*d->id = fixture_org(t, d->code);
	}
}

int fixture_teardown(void **state)
{
	/* a pointer to a struct is a pointer to its first member */
	testfx_close(*state);
	return 0;
}

int64_t fixture_org(struct testfx *t, const char *code)
{
	char sql[96];
	/* codes are the tests' own constants: no quote in them */
	snprintf(sql, sizeof sql, "SELECT id FROM org WHERE code = '%s'", code);
	int64_t id = testdb_i64(t->db, sql);
	if (id <= 0)
		fail_msg("no organisation %s", code);
	return id;
}

void fixture_split_ezk(struct testfx *t)
{
	struct org_successor into[] = {{"EZ", "Economische Zaken"}, {"KGG", "Klimaat"}};
	struct org_change c = {.op = ORG_OP_SPLIT, .on = "2024-07-02", .code = "EZK",
			       .into = into, .ninto = 2, .kind = -1, .scope = -1};
	struct org_error e;
	if (orgs_change(t->db, &t->signer, "test", &c, NULL, NULL, &e) != 0)
		fail_msg("split: %s", e.msg);
}
