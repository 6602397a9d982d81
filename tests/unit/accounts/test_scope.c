/* test_scope.c: which departments a viewer acts for and which the coordinator
 * oversees (accounts/scope.h), against a real SQLite database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/scope.h"
#include "base/alloc.h"
#include "store/testutil.h"

static int64_t org_id(struct testfx *t, const char *code)
{
	int64_t v = 0;
	if (db_query_i64(t->db, "SELECT id FROM org WHERE code = ?1 AND valid_to IS NULL", code,
			 &v) != 0)
		fail_msg("no org %s", code);
	return v;
}

static int setup(void **state)
{
	struct testfx *t = xcalloc(1, sizeof *t);
	testfx_open(t);
	testfx_add_org(t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(t, "FIN", "RIJK", -1);
	testfx_add_org(t, "BZK", "RIJK", -1);
	testfx_add_org(t, "DEF", "RIJK", -1);
	testfx_add_org(t, "FIN-BD", "FIN", ORG_UNIT);
	testfx_add_org(t, "FIN-BD-X", "FIN-BD", ORG_UNIT);
	if (db_exec(t->db, "UPDATE org SET outside_scope = 1 WHERE code = 'DEF'") != 0)
		fail_msg("update");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct testfx *t = *state;
	testfx_close(t);
	free(t);
	return 0;
}

static void give(struct testfx *t, struct viewer *v, enum role r, const char *code)
{
	v->role[v->nroles].role = r;
	v->role[v->nroles].org_id = org_id(t, code);
	v->nroles++;
	v->roles |= role_mask(r);
}

/* A role at a unit, however deep, counts for its department; a role of
 * another kind or at the government counts for none. */
static void test_own(void **state)
{
	struct testfx *t = *state;
	struct viewer v;
	memset(&v, 0, sizeof v);
	give(t, &v, ROLE_INTEGRITY_COORDINATOR, "FIN-BD-X");
	give(t, &v, ROLE_MANAGER, "BZK");
	give(t, &v, ROLE_INTEGRITY_COORDINATOR, "RIJK");
	struct scope s;
	assert_int_equal(scope_own(t->db, &v, role_mask(ROLE_INTEGRITY_COORDINATOR), &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.dept[0].code, "FIN");
	assert_non_null(scope_find(&s, org_id(t, "FIN")));
	assert_null(scope_find(&s, org_id(t, "BZK")));
	assert_int_equal(scope_own(t->db, &v,
				   role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER), &s),
			 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.dept[0].code, "BZK"); /* ordered by code */
	assert_string_equal(s.dept[1].code, "FIN");
	assert_int_equal(scope_own(t->db, &v, role_mask(ROLE_AUDITOR), &s), 0);
	assert_int_equal(s.n, 0);
}

/* The coordinator at the government oversees every open department but
 * Defence; at a department, nothing. */
static void test_coordinated(void **state)
{
	struct testfx *t = *state;
	struct viewer v;
	memset(&v, 0, sizeof v);
	give(t, &v, ROLE_COORDINATOR, "RIJK");
	struct scope s;
	assert_int_equal(scope_coordinated(t->db, &v, role_mask(ROLE_COORDINATOR), &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.dept[0].code, "BZK");
	assert_string_equal(s.dept[1].code, "FIN");
	assert_null(scope_find(&s, org_id(t, "DEF")));
	assert_int_equal(scope_coordinated(t->db, &v, role_mask(ROLE_AUDITOR), &s), 0);
	assert_int_equal(s.n, 0);

	memset(&v, 0, sizeof v);
	give(t, &v, ROLE_COORDINATOR, "FIN");
	assert_int_equal(scope_coordinated(t->db, &v, role_mask(ROLE_COORDINATOR), &s), 0);
	assert_int_equal(s.n, 0);

	assert_int_equal(scope_all_departments(t->db, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.dept[1].code, "DEF");
	assert_int_equal(s.dept[1].outside_scope, 1);
}

static void test_department_of(void **state)
{
	struct testfx *t = *state;
	struct scope_dept d;
	assert_int_equal(scope_department_of(t->db, org_id(t, "FIN-BD-X"), &d), 0);
	assert_string_equal(d.code, "FIN");
	assert_int_equal(scope_department_of(t->db, org_id(t, "RIJK"), &d), 1);
	assert_int_equal(scope_department_of(t->db, 999999, &d), 1);
	assert_int_equal(scope_department_by_code(t->db, "fin", &d), 0);
	assert_string_equal(d.code, "FIN");
	assert_int_equal(scope_department_by_code(t->db, "FIN-BD", &d), 1);
	/* a closed department row is no department any more */
	if (db_exec(t->db, "UPDATE org SET valid_to = '2099-01-01' WHERE code = 'BZK'") != 0)
		fail_msg("update");
	assert_int_equal(scope_department_by_code(t->db, "BZK", &d), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_own, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coordinated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_department_of, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
