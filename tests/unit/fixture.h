/* fixture.h: the start the store tests of the registers, risks, IPIM and
 * recommendations share, on top of store/testutil.h's testfx (a fresh
 * folder, a migrated database and an audit signer): the government RIJK and
 * departments under it, each with its id, and the one reorganisation the
 * register tests need (EZK split into EZ and KGG). Kept in one place so that
 * a change to how organisations are made is made once. */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H
#include <stdint.h>

#include "store/testutil.h"

/* A department to add under RIJK and where its id goes (NULL: not wanted). */
struct fixture_dept {
	const char *code;
	int64_t *id;
};
/* Opens t and adds the government RIJK (its id to *rijk unless rijk is
 * NULL), then under RIJK each department of depts, a list that ends with
 * {NULL, NULL}. Fails the test on any error. */
void fixture_open(struct testfx *t, int64_t *rijk, const struct fixture_dept *depts);
/* A cmocka teardown for a state whose first member is its struct testfx
 * (and that holds nothing else to free): closes it. */
int fixture_teardown(void **state);
/* The id of the organisation code; fails the test when there is none. */
int64_t fixture_org(struct testfx *t, const char *code);
/* Splits EZK into EZ (Economische Zaken) and KGG (Klimaat) on 2024-07-02:
 * a department whose rows before and after that day belong to others. */
void fixture_split_ezk(struct testfx *t);

#endif
