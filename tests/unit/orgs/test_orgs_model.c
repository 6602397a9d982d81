/* test_orgs_model.c: the pure rules of the organisation tree (src/orgs/model.c),
 * without a database: which codes, names and dates are valid, which changes
 * are legal, what each plan does to the table, and the queries over it.
 *
 * Each test starts from this tree, built through the model itself:
 *   RIJK  government  2010-01-01
 *     BZK   department 2010-01-01      DGOO, DGVB units
 *     DEF   department 2010-01-01      outside scope; CLAS unit
 *     EZK   department 2017-10-26      DGBI (with sub-unit DGBI-A from 2018), DGKE */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "orgs/orgs.h"

static struct org_table T;
static struct org_error E;
static int64_t next_id;

/* Plans c and, if legal, applies it with made-up ids, as the store would.
 * Checks that planning never touches the table. Returns the planner's result. */
static int change(const struct org_change *c)
{
	struct org_plan p;
	org_plan_init(&p);
	size_t rows = T.nrows, links = T.nlinks;
	int rc = org_plan_change(&T, c, &p, &E);
	assert_int_equal(T.nrows, rows);
	assert_int_equal(T.nlinks, links);
	if (rc == 0) {
		int64_t *ids = xcalloc(p.nadd + 1, sizeof *ids);
		for (size_t i = 0; i < p.nadd; i++)
			ids[i] = next_id++;
		assert_int_equal(org_table_apply(&T, &p, ids), 0);
		free(ids);
	}
	org_plan_free(&p);
	return rc;
}

static int add_full(const char *code, const char *parent, int kind, int scope, const char *on)
{
	char name[64];
	snprintf(name, sizeof name, "Organisatie %s", code);
	struct org_change c = {.op = ORG_OP_ADD, .on = on, .code = code, .name = name,
			       .parent = parent, .kind = kind, .scope = scope};
	return change(&c);
}

static int add(const char *code, const char *parent, const char *on)
{
	return add_full(code, parent, -1, -1, on);
}

static int rename_org(const char *code, const char *to, const char *name, const char *on)
{
	struct org_successor s = {.code = to, .name = name};
	struct org_change c = {.op = ORG_OP_RENAME, .on = on, .code = code, .into = &s,
			       .ninto = 1, .kind = -1, .scope = -1};
	return change(&c);
}

static int split(const char *code, const char *on, const struct org_successor *into,
		 size_t ninto, const struct org_move *moves, size_t nmoves)
{
	struct org_change c = {.op = ORG_OP_SPLIT, .on = on, .code = code, .into = into,
			       .ninto = ninto, .moves = moves, .nmoves = nmoves, .kind = -1,
			       .scope = -1};
	return change(&c);
}

static int merge(const char *const *codes, size_t n, const char *to, const char *name,
		 const char *on)
{
	struct org_successor s = {.code = to, .name = name};
	struct org_change c = {.op = ORG_OP_MERGE, .on = on, .preds = codes, .npreds = n,
			       .into = &s, .ninto = 1, .kind = -1, .scope = -1};
	return change(&c);
}

/* A refusal of class cls whose message mentions what. */
#define assert_refused(call, cls_, what)                                                  \
	do {                                                                               \
		assert_int_equal((call), -1);                                              \
		if (E.cls != (cls_) || !strstr(E.msg, (what)))                             \
			fail_msg("got class %d \"%s\", want class %d mentioning \"%s\"",   \
				 E.cls, E.msg, (cls_), (what));                            \
	} while (0)

#define assert_ok(call)                                                                   \
	do {                                                                               \
		if ((call) != 0)                                                           \
			fail_msg("refused: %s", E.msg);                                    \
	} while (0)

static const struct org *open_org(const char *code)
{
	const struct org *o = org_find_open(&T, code);
	if (!o)
		fail_msg("%s is not open", code);
	return o;
}

static int setup(void **state)
{
	(void)state;
	org_table_init(&T);
	next_id = 1;
	assert_ok(add_full("RIJK", NULL, ORG_GOVERNMENT, -1, "2010-01-01"));
	assert_ok(add("BZK", "RIJK", "2010-01-01"));
	assert_ok(add("DGOO", "BZK", "2010-01-01"));
	assert_ok(add("DGVB", "BZK", "2010-01-01"));
	assert_ok(add_full("DEF", "RIJK", -1, 1, "2010-01-01"));
	assert_ok(add("CLAS", "DEF", "2010-01-01"));
	assert_ok(add("EZK", "RIJK", "2017-10-26"));
	assert_ok(add("DGBI", "EZK", "2017-10-26"));
	assert_ok(add("DGBI-A", "DGBI", "2018-01-01"));
	assert_ok(add("DGKE", "EZK", "2017-10-26"));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	org_table_free(&T);
	return 0;
}

/* ---- codes, names, dates ---- */

static void test_codes(void **state)
{
	(void)state;
	static const char *const good[] = {"EZK", "BZK-DGOO", "a", "IenW", "X1",
					   "ABCDEFGHIJKLMNOPQRSTUVWX"};
	static const char *const bad[] = {"", "ABCDEFGHIJKLMNOPQRSTUVWXY", "A B", "A_B", "A.B",
					  "\xc3\x89Z", "-A", "A-", "-", "A\nB", "A/B"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (org_check_code("code", good[i], &E) != 0)
			fail_msg("'%s' refused: %s", good[i], E.msg);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(org_check_code("code", bad[i], &E), -1);
		assert_int_equal(E.cls, ORG_EINVALID);
		/* the message echoes input only as printable ASCII */
		for (const char *p = E.msg; *p; p++)
			assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
	}
	assert_true(org_code_eq("IenW", "IENW"));
	assert_false(org_code_eq("EZ", "EZK"));
	assert_false(org_code_eq("EZK", "EZ"));
}

static void test_names(void **state)
{
	(void)state;
	char longest[ORG_NAME_MAX + 1], too_long[ORG_NAME_MAX + 2];
	memset(longest, 'a', ORG_NAME_MAX);
	longest[ORG_NAME_MAX] = 0;
	memset(too_long, 'a', ORG_NAME_MAX + 1);
	too_long[ORG_NAME_MAX + 1] = 0;
	static const char *const good[] = {"Financiën", "Landbouw, Natuur en Voedselkwaliteit",
					   "Immigratie- en Naturalisatiedienst", "A",
					   "\xf0\x9f\x8f\x9b Rijk"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (org_check_name("name", good[i], &E) != 0)
			fail_msg("'%s' refused: %s", good[i], E.msg);
	assert_int_equal(org_check_name("name", longest, &E), 0);
	static const struct {
		const char *s, *why;
	} bad[] = {
		{"", "empty"},
		{" Defensie", "space"},
		{"Defensie ", "space"},
		{"Def\tensie", "control"},
		{"Def\nensie", "control"},
		{"Def\x7f", "control"},
		{"Def\xc2\x85", "control"},          /* C1 NEL */
		{"Financi\xc3", "UTF-8"},            /* cut short */
		{"Financi\xeb" "n", "UTF-8"},        /* Latin-1, not UTF-8 */
		{"\xc0\xaf", "UTF-8"},               /* overlong '/' */
		{"\xed\xa0\x80", "UTF-8"},           /* surrogate */
		{"\xf4\x90\x80\x80", "UTF-8"},       /* beyond U+10FFFF */
		{"EZ\xe2\x80\xae" "KGG", "U+202E"},  /* right-to-left override */
		{"EZ\xe2\x80\x8b", "U+200B"},        /* zero width space */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(org_check_name("name", bad[i].s, &E), -1);
		if (!strstr(E.msg, bad[i].why))
			fail_msg("case %zu: \"%s\" does not mention %s", i, E.msg, bad[i].why);
	}
	assert_int_equal(org_check_name("name", too_long, &E), -1);
	assert_non_null(strstr(E.msg, "200 bytes"));
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(org_check_date("date", "2024-02-29", &E), 0);
	assert_int_equal(org_check_date("date", "2024-07-02", &E), 0);
	static const char *const bad[] = {"2023-02-29", "2024-7-2", "", "2024-07-02x",
					  "02-07-2024", "2024-13-01", "1899-12-31", "2024/07/02"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(org_check_date("date", bad[i], &E), -1);
		assert_int_equal(E.cls, ORG_EINVALID);
	}
}

/* ---- add ---- */

static void test_add(void **state)
{
	(void)state;
	/* the kind follows from the parent; units take their department's scope */
	assert_int_equal(open_org("BZK")->kind, ORG_DEPARTMENT);
	assert_int_equal(open_org("DGBI-A")->kind, ORG_UNIT);
	assert_int_equal(open_org("DEF")->outside_scope, 1);
	assert_int_equal(open_org("CLAS")->outside_scope, 1);
	assert_int_equal(open_org("EZK")->outside_scope, 0);
	assert_ok(add_full("KMAR", "DEF", ORG_UNIT, 1, "2011-01-01")); /* says what it inherits */
	assert_int_equal(open_org("KMAR")->outside_scope, 1);
	assert_int_equal(open_org("KMAR")->parent_id, open_org("DEF")->id);
	assert_string_equal(open_org("KMAR")->valid_from, "2011-01-01");
	assert_string_equal(open_org("KMAR")->valid_to, "");
}

static void test_add_refused(void **state)
{
	(void)state;
	assert_refused(add("EZK", "RIJK", "2020-01-01"), ORG_ECONFLICT, "in use");
	assert_refused(add("ezk", "RIJK", "2020-01-01"), ORG_ECONFLICT, "in use"); /* case */
	assert_refused(add("NEW", NULL, "2020-01-01"), ORG_EINVALID, "parent");
	assert_refused(add_full("NEW", "RIJK", ORG_GOVERNMENT, -1, "2020-01-01"), ORG_EINVALID,
		       "no parent");
	assert_refused(add_full("NEW", NULL, ORG_GOVERNMENT, 1, "2020-01-01"), ORG_EINVALID,
		       "scope");
	assert_refused(add_full("NEW", NULL, ORG_DEPARTMENT, -1, "2020-01-01"), ORG_EINVALID,
		       "government");
	assert_refused(add_full("NEW", "DGBI", ORG_DEPARTMENT, -1, "2020-01-01"), ORG_ECONFLICT,
		       "DGBI is a unit");
	assert_refused(add_full("NEW", "RIJK", ORG_UNIT, -1, "2020-01-01"), ORG_ECONFLICT,
		       "RIJK is a government");
	assert_refused(add_full("NEW", "EZK", ORG_UNIT, 1, "2020-01-01"), ORG_ECONFLICT,
		       "inside");
	assert_refused(add_full("NEW", "DEF", ORG_UNIT, 0, "2020-01-01"), ORG_ECONFLICT,
		       "outside");
	assert_refused(add("NEW", "EZK", "2017-10-25"), ORG_ECONFLICT, "cannot begin before");
	assert_refused(add("NEW", "NOPE", "2020-01-01"), ORG_ENOTFOUND, "NOPE");
	assert_refused(add("NEW", "EZK", "2020-02-30"), ORG_EINVALID, "not a date");
	assert_refused(add("NEW WORLD", "EZK", "2020-01-01"), ORG_EINVALID, "code");
	struct org_change c = {.op = ORG_OP_ADD, .on = "2020-01-01", .code = "NEW",
			       .name = "Bad\nname", .parent = "EZK", .kind = -1, .scope = -1};
	assert_refused(change(&c), ORG_EINVALID, "control");
	c.name = NULL;
	assert_refused(change(&c), ORG_EINVALID, "name");
	/* a closed organisation takes no new children */
	assert_ok(rename_org("EZK", "EZK2", NULL, "2020-01-01"));
	assert_refused(add("NEW", "EZK", "2021-01-01"), ORG_ENOTFOUND, "closed as of 2020-01-01");
}

static void test_depth_limit(void **state)
{
	(void)state;
	/* RIJK(1) EZK(2) DGBI(3) DGBI-A(4): four more levels fit, the fifth not */
	assert_ok(add("L5", "DGBI-A", "2019-01-01"));
	assert_ok(add("L6", "L5", "2019-01-01"));
	assert_ok(add("L7", "L6", "2019-01-01"));
	assert_ok(add("L8", "L7", "2019-01-01"));
	assert_refused(add("L9", "L8", "2019-01-01"), ORG_ECONFLICT, "levels");
}

static void test_code_reuse(void **state)
{
	(void)state;
	assert_ok(rename_org("DGKE", "DGK", NULL, "2022-01-01"));
	/* DGKE is free from 2022-01-01, not before */
	assert_refused(add("DGKE", "EZK", "2021-12-31"), ORG_ECONFLICT, "until 2022-01-01");
	assert_ok(add("DGKE", "EZK", "2022-01-01"));
	/* two rows now carry the code, never at once */
	assert_string_equal(org_find_at(&T, "DGKE", "2021-06-01")->name, "Organisatie DGKE");
	assert_string_equal(org_find_at(&T, "DGKE", "2022-06-01")->valid_from, "2022-01-01");
	assert_string_equal(org_find_latest(&T, "DGKE")->valid_from, "2022-01-01");
	/* a rename to a code used later than the date would overlap it */
	assert_ok(rename_org("DGKE", "DGX", NULL, "2023-01-01"));
	assert_refused(rename_org("DGOO", "DGKE", NULL, "2022-06-01"), ORG_ECONFLICT,
		       "until 2023-01-01");
}

/* ---- rename ---- */

static void test_rename(void **state)
{
	(void)state;
	const struct org *old = open_org("EZK");
	int64_t old_id = old->id;
	size_t rows = T.nrows;
	assert_ok(rename_org("EZK", "EZ", "Economische Zaken", "2024-07-02"));
	/* EZK, DGBI, DGBI-A and DGKE closed and reopened */
	assert_int_equal(T.nrows, rows + 4);
	const struct org *ez = open_org("EZ");
	assert_string_equal(ez->name, "Economische Zaken");
	assert_int_equal(ez->kind, ORG_DEPARTMENT);
	assert_int_equal(ez->parent_id, open_org("RIJK")->id);
	assert_string_equal(org_by_id(&T, old_id)->valid_to, "2024-07-02");
	assert_null(org_find_open(&T, "EZK"));
	/* the units moved recursively, keeping code and name */
	const struct org *dgbi = open_org("DGBI"), *sub = open_org("DGBI-A");
	assert_int_equal(dgbi->parent_id, ez->id);
	assert_int_equal(sub->parent_id, dgbi->id);
	assert_string_equal(sub->valid_from, "2024-07-02");
	assert_int_equal(open_org("DGKE")->parent_id, ez->id);
	/* one rename link and three moves, dated */
	int renames = 0, moves = 0;
	for (size_t i = 0; i < T.nlinks; i++) {
		assert_string_equal(T.links[i].on, "2024-07-02");
		renames += T.links[i].kind == ORG_LINK_RENAME;
		moves += T.links[i].kind == ORG_LINK_MOVE;
	}
	assert_int_equal(renames, 1);
	assert_int_equal(moves, 3);
	/* a name-only rename keeps the code; a change of spelling is a change */
	assert_ok(rename_org("EZ", "EZ", "Economische Zaken en Handel", "2025-01-01"));
	assert_ok(rename_org("Ez", "Ez", NULL, "2025-06-01"));
	assert_string_equal(open_org("EZ")->code, "Ez");
}

static void test_rename_refused(void **state)
{
	(void)state;
	assert_refused(rename_org("EZK", "EZ", NULL, "2017-10-26"), ORG_ECONFLICT,
		       "dated after");
	assert_refused(rename_org("EZK", "EZ", NULL, "2017-10-01"), ORG_ECONFLICT,
		       "dated after");
	assert_refused(rename_org("EZK", "EZK", NULL, "2020-01-01"), ORG_EINVALID,
		       "keep its code and name");
	assert_refused(rename_org("EZK", "BZK", NULL, "2020-01-01"), ORG_ECONFLICT, "in use");
	assert_refused(rename_org("NOPE", "X", NULL, "2020-01-01"), ORG_ENOTFOUND, "NOPE");
	assert_refused(rename_org("EZK", "E_Z", NULL, "2020-01-01"), ORG_EINVALID, "new code");
	assert_refused(rename_org("EZK", "EZ", "", "2020-01-01"), ORG_EINVALID, "empty");
	/* DGBI-A began 2018-01-01: EZK cannot be renamed (moving it) on that day */
	assert_refused(rename_org("EZK", "EZ", NULL, "2018-01-01"), ORG_ECONFLICT, "DGBI-A");
	assert_ok(rename_org("EZK", "EZ", NULL, "2020-01-01"));
	assert_refused(rename_org("EZK", "EZ2", NULL, "2021-01-01"), ORG_ENOTFOUND,
		       "renamed to EZ");
}

/* ---- split ---- */

static void test_split(void **state)
{
	(void)state;
	const struct org_successor into[] = {{"EZ", "Economische Zaken"},
					     {"KGG", "Klimaat en Groene Groei"}};
	const struct org_move moves[] = {{"DGBI", "EZ"}, {"dgke", "kgg"}};
	int64_t ezk = open_org("EZK")->id;
	assert_ok(split("EZK", "2024-07-02", into, 2, moves, 2));
	const struct org *ez = open_org("EZ"), *kgg = open_org("KGG");
	assert_int_equal(open_org("DGBI")->parent_id, ez->id);
	assert_int_equal(open_org("DGBI-A")->parent_id, open_org("DGBI")->id);
	assert_int_equal(open_org("DGKE")->parent_id, kgg->id);
	assert_int_equal(kgg->kind, ORG_DEPARTMENT);
	assert_int_equal(kgg->outside_scope, 0);

	/* EZK on 2023-01-01 leads to EZ and KGG; KGG leads back to EZK */
	const struct org *then = org_find_at(&T, "EZK", "2023-01-01");
	assert_non_null(then);
	assert_int_equal(then->id, ezk);
	struct org_lineage_step *steps;
	size_t n;
	org_lineage(&T, ezk, 1, &steps, &n);
	assert_int_equal(n, 2);
	assert_string_equal(steps[0].row->code, "EZ");
	assert_string_equal(steps[1].row->code, "KGG");
	assert_int_equal(steps[0].link->kind, ORG_LINK_SPLIT);
	assert_int_equal(steps[0].depth, 1);
	free(steps);
	org_lineage(&T, kgg->id, 0, &steps, &n);
	assert_int_equal(n, 1);
	assert_int_equal(steps[0].row->id, ezk);
	free(steps);
	/* EZK's units at its end */
	const struct org **kids;
	n = org_children(&T, org_by_id(&T, ezk), NULL, &kids);
	assert_int_equal(n, 2);
	assert_string_equal(kids[0]->code, "DGBI");
	assert_string_equal(kids[1]->code, "DGKE");
	free(kids);
}

static void test_split_keeps_code(void **state)
{
	(void)state;
	/* as VRO split from BZK, BZK continuing with its name */
	const struct org_successor into[] = {{"BZK", NULL}, {"VRO", "Volkshuisvesting"}};
	const struct org_move moves[] = {{"DGOO", "BZK"}, {"DGVB", "VRO"}};
	const struct org *old = open_org("BZK");
	int64_t old_id = old->id;
	char name[ORG_NAME_MAX + 1];
	snprintf(name, sizeof name, "%s", old->name);
	assert_ok(split("BZK", "2024-07-02", into, 2, moves, 2));
	const struct org *bzk = open_org("BZK");
	assert_true(bzk->id != old_id);
	assert_string_equal(bzk->name, name);
	assert_int_equal(open_org("DGVB")->parent_id, open_org("VRO")->id);
	struct org_lineage_step *steps;
	size_t n;
	org_lineage(&T, bzk->id, 0, &steps, &n);
	assert_int_equal(n, 1);
	assert_int_equal(steps[0].row->id, old_id);
	free(steps);
}

static void test_split_refused(void **state)
{
	(void)state;
	const struct org_successor into[] = {{"EZ", "Economische Zaken"},
					     {"KGG", "Klimaat en Groene Groei"}};
	const struct org_move all[] = {{"DGBI", "EZ"}, {"DGKE", "KGG"}};
	const struct org_move partial[] = {{"DGBI", "EZ"}};
	const struct org_move wrong_to[] = {{"DGBI", "EZ"}, {"DGKE", "XX"}};
	const struct org_move not_child[] = {{"DGBI", "EZ"}, {"DGKE", "KGG"}, {"DGOO", "EZ"}};
	const struct org_move grandchild[] = {{"DGBI", "EZ"}, {"DGKE", "KGG"}, {"DGBI-A", "EZ"}};
	const struct org_move unknown[] = {{"DGBI", "EZ"}, {"DGKE", "KGG"}, {"NOPE", "EZ"}};
	const struct org_move twice[] = {{"DGBI", "EZ"}, {"DGKE", "KGG"}, {"dgbi", "KGG"}};
	const char *on = "2024-07-02";
	assert_refused(split("EZK", on, into, 2, partial, 1), ORG_ECONFLICT,
		       "unit DGKE of EZK is not assigned to a successor: assign it with "
		       "DGKE=EZ or DGKE=KGG");
	assert_refused(split("EZK", on, into, 2, wrong_to, 2), ORG_EINVALID,
		       "XX is not a successor (choose EZ or KGG)");
	assert_refused(split("EZK", on, into, 2, not_child, 3), ORG_ECONFLICT,
		       "DGOO is not a unit of EZK");
	assert_refused(split("EZK", on, into, 2, grandchild, 3), ORG_ECONFLICT,
		       "DGBI-A is not a unit of EZK");
	assert_refused(split("EZK", on, into, 2, unknown, 3), ORG_ENOTFOUND, "NOPE");
	assert_refused(split("EZK", on, into, 2, twice, 3), ORG_EINVALID, "assigned twice");
	assert_refused(split("EZK", on, into, 1, all, 0), ORG_EINVALID, "at least two");
	const struct org_successor dup[] = {{"EZ", "A"}, {"ez", "B"}};
	assert_refused(split("EZK", on, dup, 2, all, 0), ORG_EINVALID, "given twice");
	const struct org_successor nameless[] = {{"EZ", NULL}, {"KGG", "B"}};
	assert_refused(split("EZK", on, nameless, 2, all, 2), ORG_EINVALID, "needs a name");
	const struct org_successor taken[] = {{"EZ", "A"}, {"BZK", "B"}};
	assert_refused(split("EZK", on, taken, 2, all, 2), ORG_ECONFLICT, "BZK is in use");
	assert_refused(split("EZK", "2017-10-26", into, 2, all, 2), ORG_ECONFLICT, "after");
	assert_refused(split("NOPE", on, into, 2, all, 2), ORG_ENOTFOUND, "NOPE");
	assert_ok(split("EZK", on, into, 2, all, 2));
	assert_refused(split("EZK", "2025-01-01", into, 2, all, 2), ORG_ENOTFOUND,
		       "split into EZ, KGG");
}

/* ---- merge ---- */

static void test_merge(void **state)
{
	(void)state;
	static const char *const codes[] = {"DGOO", "DGVB"};
	int64_t a = open_org("DGOO")->id, b = open_org("DGVB")->id;
	assert_ok(add("DGVB-1", "DGVB", "2015-01-01"));
	assert_ok(merge(codes, 2, "DGOV", "DG Overheid en Volkshuisvesting", "2020-01-01"));
	const struct org *m = open_org("DGOV");
	assert_int_equal(m->parent_id, open_org("BZK")->id);
	assert_int_equal(m->kind, ORG_UNIT);
	assert_int_equal(open_org("DGVB-1")->parent_id, m->id);
	assert_string_equal(org_by_id(&T, a)->valid_to, "2020-01-01");
	assert_string_equal(org_by_id(&T, b)->valid_to, "2020-01-01");
	struct org_lineage_step *steps;
	size_t n;
	org_lineage(&T, m->id, 0, &steps, &n);
	assert_int_equal(n, 2);
	assert_int_equal(steps[0].link->kind, ORG_LINK_MERGE);
	free(steps);
	/* a successor keeping one of the codes may keep its name */
	static const char *const depts[] = {"BZK", "EZK"};
	char name[ORG_NAME_MAX + 1];
	snprintf(name, sizeof name, "%s", open_org("EZK")->name);
	assert_ok(merge(depts, 2, "EZK", NULL, "2021-01-01"));
	assert_string_equal(open_org("EZK")->name, name);
	assert_int_equal(open_org("DGOV")->parent_id, open_org("EZK")->id);
}

static void test_merge_refused(void **state)
{
	(void)state;
	static const char *const kinds[] = {"EZK", "DGBI"};
	static const char *const parents[] = {"DGBI", "DGOO"};
	static const char *const scopes[] = {"EZK", "DEF"};
	static const char *const one[] = {"EZK"};
	static const char *const twice[] = {"EZK", "ezk"};
	static const char *const ok[] = {"EZK", "BZK"};
	static const char *const unknown[] = {"EZK", "NOPE"};
	const char *on = "2020-01-01";
	assert_refused(merge(kinds, 2, "X", "X", on), ORG_ECONFLICT, "one kind");
	assert_refused(merge(parents, 2, "X", "X", on), ORG_ECONFLICT, "same parent");
	assert_refused(merge(scopes, 2, "X", "X", on), ORG_ECONFLICT, "scope");
	assert_refused(merge(one, 1, "X", "X", on), ORG_EINVALID, "at least two");
	assert_refused(merge(twice, 2, "X", "X", on), ORG_EINVALID, "twice");
	assert_refused(merge(unknown, 2, "X", "X", on), ORG_ENOTFOUND, "NOPE");
	assert_refused(merge(ok, 2, "X", NULL, on), ORG_EINVALID, "needs a name");
	assert_refused(merge(ok, 2, "DEF", "X", on), ORG_ECONFLICT, "in use");
	assert_refused(merge(ok, 2, "X", "X", "2017-10-26"), ORG_ECONFLICT, "after");
	assert_ok(merge(ok, 2, "X", "X", on));
}

/* ---- queries ---- */

static void test_tree(void **state)
{
	(void)state;
	const struct org_successor into[] = {{"EZ", "Economische Zaken"},
					     {"KGG", "Klimaat en Groene Groei"}};
	const struct org_move moves[] = {{"DGBI", "EZ"}, {"DGKE", "KGG"}};
	assert_ok(split("EZK", "2024-07-02", into, 2, moves, 2));
	struct org_tree_item *items;
	size_t n;
	/* on 2015-01-01: no EZK yet */
	org_tree(&T, "2015-01-01", 0, &items, &n);
	assert_int_equal(n, 6);
	assert_string_equal(items[0].row->code, "RIJK");
	assert_int_equal(items[0].depth, 0);
	assert_string_equal(items[1].row->code, "BZK");
	assert_string_equal(items[2].row->code, "DGOO");
	assert_int_equal(items[2].depth, 2);
	free(items);
	/* on 2023-01-01, EZK with its units, sub-unit under its unit */
	org_tree(&T, "2023-01-01", 0, &items, &n);
	assert_int_equal(n, 10);
	assert_string_equal(items[7].row->code, "DGBI");
	assert_string_equal(items[8].row->code, "DGBI-A");
	assert_int_equal(items[8].depth, 3);
	free(items);
	/* every row, ever: both EZK-era and current units */
	org_tree(&T, NULL, 0, &items, &n);
	assert_int_equal(n, T.nrows);
	free(items);
	/* one subtree */
	org_tree(&T, "2025-01-01", open_org("EZ")->id, &items, &n);
	assert_int_equal(n, 3);
	free(items);
	/* children at a date */
	const struct org **kids;
	n = org_children(&T, open_org("RIJK"), "2025-01-01", &kids);
	assert_int_equal(n, 4); /* BZK DEF EZ KGG */
	assert_string_equal(kids[2]->code, "EZ");
	free(kids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dates),
		cmocka_unit_test_setup_teardown(test_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_keeps_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
