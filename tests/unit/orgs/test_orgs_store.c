/* test_orgs_store.c: the organisation tree against a real SQLite database
 * (src/orgs/store.c and orgs_import_file): every change commits with its audit
 * entries or leaves nothing behind, and the demo data file loads into the
 * history the domain describes. Each test works in its own temporary folder
 * with a fresh database and signing key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "crypto/audit.h"
#include "crypto/signkey.h"
#include "orgs/orgs.h"
#include "store/migrate.h"
#include "store/testutil.h"

#define DEMO_FILE SRCDIR "/data/demo/organisations.json"
#define ACTOR "cli:test"

struct fx {
	struct testfx t;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	testfx_open(&f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	testfx_close(&f->t);
	free(f);
	return 0;
}

static int64_t q(struct fx *f, const char *sql)
{
	int64_t v;
	if (db_query_i64(f->t.db, sql, NULL, &v) != 0)
		fail_msg("%s: %s", sql, db_error(f->t.db)->msg);
	return v;
}

/* Everything the feature writes, as one comparable string. */
static char *snapshot(struct fx *f)
{
	db_stmt_t *st;
	char *out = xstrdup("");
	static const char *const sql[] = {
		("SELECT group_concat(id || '|' || code || '|' || name || '|' || kind || '|' || "
		 "coalesce(CAST(parent_id AS TEXT), '') || '|' || valid_from || '|' || "
		 "coalesce(valid_to, '') || "
		 "'|' || outside_scope, ';') FROM (SELECT * FROM org ORDER BY id)"),
		("SELECT group_concat(predecessor_id || '>' || successor_id || kind || on_date, ';') "
		 "FROM (SELECT * FROM org_link ORDER BY 1, 2)"),
		"SELECT count(*) || ',' || coalesce(max(seq), 0) FROM audit_log",
		"SELECT count(*) FROM audit_checkpoint",
	};
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
		if (db_prepare(f->t.db, sql[i], &st) != 0 || db_step(st) != DB_ROW) {
			fail_msg("%s: %s", sql[i], db_error(f->t.db)->msg);
			return out;
		}
		char *next = xasprintf("%s#%s", out, db_col_text(st, 0));
		free(out);
		out = next;
		db_finalize(st);
	}
	return out;
}

static int do_change(struct fx *f, const struct org_change *c, struct org_error *e)
{
	return orgs_change(f->t.db, &f->t.signer, ACTOR, c, NULL, NULL, e);
}

static void must(struct fx *f, const struct org_change *c)
{
	struct org_error e;
	char *summary = NULL;
	size_t moved = 0;
	if (orgs_change(f->t.db, &f->t.signer, ACTOR, c, &summary, &moved, &e) != 0)
		fail_msg("refused: %s", e.msg);
	assert_non_null(summary);
	free(summary);
}

static void add(struct fx *f, const char *code, const char *parent, int kind, int scope,
		const char *on)
{
	struct org_change c = {.op = ORG_OP_ADD, .on = on, .code = code, .name = code,
			       .parent = parent, .kind = kind, .scope = scope};
	must(f, &c);
}

/* RIJK > EZK (DGBI > DGBI-A, DGKE), DEF (outside scope; CLAS), BZK (DGOO) */
static void base_tree(struct fx *f)
{
	add(f, "RIJK", NULL, ORG_GOVERNMENT, -1, "2010-01-01");
	add(f, "EZK", "RIJK", -1, -1, "2017-10-26");
	add(f, "DGBI", "EZK", -1, -1, "2017-10-26");
	add(f, "DGBI-A", "DGBI", -1, -1, "2018-01-01");
	add(f, "DGKE", "EZK", -1, -1, "2017-10-26");
	add(f, "DEF", "RIJK", -1, 1, "2010-01-01");
	add(f, "CLAS", "DEF", -1, -1, "2010-01-01");
	add(f, "BZK", "RIJK", -1, -1, "2010-01-01");
	add(f, "DGOO", "BZK", -1, -1, "2010-01-01");
}

static void assert_audit_intact(struct fx *f)
{
	struct audit_report r;
	int v = audit_verify(f->t.db, f->t.key.pk, &r);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)r.bad_seq, r.reason);
}

static int64_t audit_count(struct fx *f, const char *action)
{
	int64_t v;
	assert_int_equal(db_query_i64(f->t.db, "SELECT count(*) FROM audit_log WHERE action = ?",
				      action, &v), 0);
	return v;
}

static void test_add_and_load(void **state)
{
	struct fx *f = *state;
	base_tree(f);
	assert_int_equal(q(f, "SELECT count(*) FROM org"), 9);
	assert_int_equal(audit_count(f, "org.add"), 9);
	assert_int_equal(q(f, "SELECT outside_scope FROM org WHERE code = 'CLAS'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM org WHERE parent_id IS NULL"), 1);
	struct org_table t;
	org_table_init(&t);
	assert_int_equal(orgs_load(f->t.db, &t), 0);
	assert_int_equal(t.nrows, 9);
	const struct org *dgbi = org_find_open(&t, "dgbi");
	assert_non_null(dgbi);
	assert_string_equal(org_by_id(&t, dgbi->parent_id)->code, "EZK");
	org_table_free(&t);
	/* the audit entry names the organisation and what happened */
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, "SELECT actor, object_type, object_id, detail FROM "
				    "audit_log WHERE object_id = 'CLAS'", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), ACTOR);
	assert_string_equal(db_col_text(st, 1), "org");
	assert_string_equal(db_col_text(st, 3), "unit CLAS under DEF from 2010-01-01, outside "
			    "the coordinator's scope");
	db_finalize(st);
	/* lookups for other features, case ignored */
	struct org o;
	assert_int_equal(orgs_lookup(f->t.db, "ezk", "2020-01-01", &o), 0);
	assert_string_equal(o.code, "EZK");
	assert_int_equal(orgs_lookup(f->t.db, "EZK", "2017-10-25", &o), 1);
	assert_int_equal(orgs_lookup(f->t.db, "NOPE", "2020-01-01", &o), 1);
	assert_audit_intact(f);
}

static void test_rename_split_merge(void **state)
{
	struct fx *f = *state;
	base_tree(f);
	struct org_successor to = {.code = "EZK2", .name = "Economische Zaken 2"};
	struct org_change rename = {.op = ORG_OP_RENAME, .on = "2020-01-01", .code = "EZK",
				    .into = &to, .ninto = 1, .kind = -1, .scope = -1};
	char *summary = NULL;
	size_t moved = 0;
	struct org_error e;
	assert_int_equal(orgs_change(f->t.db, &f->t.signer, ACTOR, &rename, &summary, &moved, &e), 0);
	assert_string_equal(summary, "EZK -> EZK2 (Economische Zaken 2) on 2020-01-01");
	assert_int_equal(moved, 3);
	free(summary);
	assert_int_equal(q(f, "SELECT count(*) FROM org"), 13);
	assert_int_equal(q(f, "SELECT count(*) FROM org_link WHERE kind = 'rename'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM org_link WHERE kind = 'move'"), 3);
	assert_int_equal(audit_count(f, "org.rename"), 1);
	assert_int_equal(audit_count(f, "org.move"), 3);

	const struct org_successor into[] = {{"EZ", "Economische Zaken"},
					     {"KGG", "Klimaat en Groene Groei"}};
	const struct org_move moves[] = {{"DGBI", "EZ"}, {"DGKE", "KGG"}};
	struct org_change split = {.op = ORG_OP_SPLIT, .on = "2024-07-02", .code = "EZK2",
				   .into = into, .ninto = 2, .moves = moves, .nmoves = 2,
				   .kind = -1, .scope = -1};
	must(f, &split);
	assert_int_equal(q(f, "SELECT count(*) FROM org WHERE valid_to IS NULL"), 10);
	assert_int_equal(q(f, "SELECT count(*) FROM org_link WHERE kind = 'split'"), 2);
	assert_int_equal(q(f, "SELECT count(*) FROM org o JOIN org p ON o.parent_id = p.id WHERE "
			      "o.code = 'DGKE' AND o.valid_to IS NULL AND p.code = 'KGG'"), 1);
	assert_int_equal(audit_count(f, "org.split"), 1);

	static const char *const codes[] = {"EZ", "KGG"};
	struct org_successor m = {.code = "EZK", .name = "Economische Zaken en Klimaat"};
	struct org_change merge = {.op = ORG_OP_MERGE, .on = "2026-01-01", .preds = codes,
				   .npreds = 2, .into = &m, .ninto = 1, .kind = -1, .scope = -1};
	must(f, &merge);
	assert_int_equal(q(f, "SELECT count(*) FROM org_link WHERE kind = 'merge'"), 2);
	assert_int_equal(q(f, "SELECT count(*) FROM org WHERE code = 'EZK'"), 2);
	assert_int_equal(audit_count(f, "org.merge"), 1);

	/* the history reads back: the EZK of 2019 leads to today's EZK */
	struct org_table t;
	org_table_init(&t);
	assert_int_equal(orgs_load(f->t.db, &t), 0);
	const struct org *then = org_find_at(&t, "EZK", "2019-01-01");
	assert_non_null(then);
	struct org_lineage_step *steps;
	size_t n;
	org_lineage(&t, then->id, 1, &steps, &n);
	assert_int_equal(n, 4); /* EZK2, EZ, EZK (via EZ), KGG */
	assert_string_equal(steps[0].row->code, "EZK2");
	assert_string_equal(steps[n - 1].row->code, "KGG");
	free(steps);
	org_table_free(&t);
	assert_audit_intact(f);
}

/* Each refused change leaves the database exactly as it was. */
static void test_refusals_change_nothing(void **state)
{
	struct fx *f = *state;
	base_tree(f);
	const struct org_successor into[] = {{"EZ", "Economische Zaken"},
					     {"KGG", "Klimaat en Groene Groei"}};
	const struct org_move partial[] = {{"DGBI", "EZ"}};
	struct org_successor taken = {.code = "BZK", .name = "X"};
	struct org_successor fresh = {.code = "NEW", .name = "X"};
	static const char *const mixed[] = {"EZK", "DEF"};
	const struct org_change bad[] = {
		{.op = ORG_OP_ADD, .on = "2020-01-01", .code = "ezk", .name = "Dup",
		 .parent = "RIJK", .kind = -1, .scope = -1},
		{.op = ORG_OP_ADD, .on = "2020-01-01", .code = "X", .name = "X", .parent = "NOPE",
		 .kind = -1, .scope = -1},
		{.op = ORG_OP_RENAME, .on = "2020-01-01", .code = "EZK", .into = &taken, .ninto = 1},
		{.op = ORG_OP_RENAME, .on = "2018-01-01", .code = "EZK", .into = &fresh, .ninto = 1},
		{.op = ORG_OP_SPLIT, .on = "2024-07-02", .code = "EZK", .into = into, .ninto = 2,
		 .moves = partial, .nmoves = 1},
		{.op = ORG_OP_MERGE, .on = "2024-07-02", .preds = mixed, .npreds = 2, .into = &fresh,
		 .ninto = 1},
	};
	const enum org_errclass want[] = {ORG_ECONFLICT, ORG_ENOTFOUND, ORG_ECONFLICT,
					  ORG_ECONFLICT, ORG_ECONFLICT, ORG_ECONFLICT};
	char *before = snapshot(f);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct org_error e;
		assert_int_equal(do_change(f, &bad[i], &e), -1);
		if (e.cls != want[i])
			fail_msg("case %zu: class %d (%s)", i, e.cls, e.msg);
		char *after = snapshot(f);
		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	assert_audit_intact(f);
}

/* A failure after rows were written (here the audit append, refused for a
 * signer without its secret) rolls the whole change back. */
static void test_failed_write_rolls_back(void **state)
{
	struct fx *f = *state;
	base_tree(f);
	char *before = snapshot(f);
	struct signkey public_only = f->t.key;
	memset(public_only.sk, 0, sizeof public_only.sk);
	public_only.has_secret = 0;
	struct audit_signer bad_signer = {.key = &public_only, .interval = 4};
	struct org_successor to = {.code = "EZ", .name = "Economische Zaken"};
	struct org_change c = {.op = ORG_OP_RENAME, .on = "2024-07-02", .code = "EZK",
			       .into = &to, .ninto = 1, .kind = -1, .scope = -1};
	struct org_error e;
	assert_int_equal(orgs_change(f->t.db, &bad_signer, ACTOR, &c, NULL, NULL, &e), -1);
	assert_int_equal(e.cls, ORG_EDB);
	char *after = snapshot(f);
	assert_string_equal(before, after);
	free(after);
	free(before);
	/* and the connection is usable afterwards */
	must(f, &c);
	assert_audit_intact(f);
}

/* The schema backs the model up: one open row per code, case ignored. */
static void test_schema_backstop(void **state)
{
	struct fx *f = *state;
	base_tree(f);
	assert_int_equal(db_exec(f->t.db, "INSERT INTO org (code, name, kind, parent_id, valid_from)"
				 " VALUES ('ezk', 'Dup', 'department', 1, '2020-01-01')"), -1);
	assert_int_equal(db_error(f->t.db)->cls, DBE_CONSTRAINT);
	assert_int_equal(db_exec(f->t.db, "INSERT INTO org (code, name, kind, valid_from) VALUES "
				 "('A B', 'Bad', 'government', '2020-01-01')"), -1);
	assert_int_equal(db_exec(f->t.db, "INSERT INTO org (code, name, kind, valid_from) VALUES "
				 "('UNIT', 'Orphan', 'unit', '2020-01-01')"), -1);
	/* a row changed around the program is reported as damaged, not shown */
	db_stmt_t *st; /* the escape bound: char() is SQLite's, chr() PostgreSQL's */
	assert_int_equal(db_prepare(f->t.db, "UPDATE org SET name = ? WHERE code = 'DGKE'", &st), 0);
	assert_int_equal(db_bind_text(st, 1, "Bad\x1b[2J", (size_t)-1), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	struct org_table t;
	org_table_init(&t);
	assert_int_equal(orgs_load(f->t.db, &t), -1);
	assert_non_null(strstr(db_error(f->t.db)->msg, "damaged (its name)"));
	org_table_free(&t);
}

static void test_import_demo(void **state)
{
	struct fx *f = *state;
	char err[1024];
	if (orgs_import_file(f->t.db, &f->t.signer, ACTOR, DEMO_FILE, err, sizeof err) != 0)
		fail_msg("import: %s", err);
	struct org_table t;
	org_table_init(&t);
	assert_int_equal(orgs_load(f->t.db, &t), 0);

	/* the twelve departments of the audit period */
	static const char *const twelve[] = {"AZ", "BZK", "BZ", "DEF", "EZK", "FIN", "IENW",
					     "JENV", "LNV", "OCW", "SZW", "VWS"};
	for (size_t i = 0; i < 12; i++) {
		const struct org *o = org_find_at(&t, twelve[i], "2023-01-01");
		if (!o || o->kind != ORG_DEPARTMENT)
			fail_msg("%s is not a department on 2023-01-01", twelve[i]);
		const struct org **kids;
		size_t n = org_children(&t, o, "2023-01-01", &kids);
		free(kids);
		if (n < 2 || n > 4)
			fail_msg("%s has %zu units", twelve[i], n);
	}

	/* EZK as of 2023 was split into EZ and KGG */
	const struct org *ezk = org_find_at(&t, "EZK", "2023-01-01");
	assert_non_null(ezk);
	assert_string_equal(ezk->valid_to, "2024-07-02");
	struct org_lineage_step *steps;
	size_t n;
	org_lineage(&t, ezk->id, 1, &steps, &n);
	assert_int_equal(n, 2);
	assert_string_equal(steps[0].row->code, "EZ");
	assert_string_equal(steps[1].row->code, "KGG");
	assert_int_equal(steps[0].link->kind, ORG_LINK_SPLIT);
	assert_string_equal(steps[0].link->on, "2024-07-02");
	free(steps);

	/* LVVN came from LNV by a rename */
	const struct org *lvvn = org_find_open(&t, "LVVN");
	assert_non_null(lvvn);
	assert_string_equal(lvvn->name, "Landbouw, Visserij, Voedselzekerheid en Natuur");
	org_lineage(&t, lvvn->id, 0, &steps, &n);
	assert_int_equal(n, 1);
	assert_string_equal(steps[0].row->code, "LNV");
	assert_int_equal(steps[0].link->kind, ORG_LINK_RENAME);
	free(steps);

	/* BZK continues beside VRO; AENM took over the IND */
	assert_non_null(org_find_open(&t, "BZK"));
	assert_non_null(org_find_open(&t, "VRO"));
	const struct org *ind = org_find_open(&t, "IND");
	assert_non_null(ind);
	assert_string_equal(org_by_id(&t, ind->parent_id)->code, "AENM");
	assert_string_equal(org_by_id(&t, org_find_at(&t, "IND", "2023-01-01")->parent_id)->code,
			    "JENV");

	/* Defence and every unit under it, then and now, are outside the scope;
	 * nothing else is */
	for (size_t i = 0; i < t.nrows; i++) {
		const struct org *o = &t.rows[i];
		const struct org *dept = o;
		while (dept->kind == ORG_UNIT)
			dept = org_by_id(&t, dept->parent_id);
		int want = strcmp(dept->code, "DEF") == 0;
		if (o->outside_scope != want)
			fail_msg("%s (%s) has outside_scope %d", o->code, o->valid_from,
				 o->outside_scope);
	}
	assert_int_equal(org_find_open(&t, "DEF")->outside_scope, 1);
	org_table_free(&t);

	/* the audit trail holds every change and the import, and verifies */
	assert_true(audit_count(f, "org.add") >= 1 + 12 + 24);
	assert_int_equal(audit_count(f, "org.split"), 3);
	assert_int_equal(audit_count(f, "org.rename"), 2);
	assert_true(audit_count(f, "org.move") >= 12);
	assert_int_equal(audit_count(f, "org.import"), 1);
	assert_audit_intact(f);

	/* a second import is refused and changes nothing */
	char *before = snapshot(f);
	assert_int_equal(orgs_import_file(f->t.db, &f->t.signer, ACTOR, DEMO_FILE, err, sizeof err), -1);
	assert_non_null(strstr(err, "already holds"));
	char *after = snapshot(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* A file whose last event is illegal loads nothing at all. */
static void test_import_failure_changes_nothing(void **state)
{
	struct fx *f = *state;
	char err[1024];
	char *path = xasprintf("%s/bad.json", f->t.dir);
	write_text(path,
		   "{\"format\": \"probity-organisations\", \"version\": 1, \"organisations\": ["
		   "{\"code\": \"RIJK\", \"name\": \"Rijksoverheid\", \"kind\": \"government\", "
		   "\"from\": \"2010-01-01\"},"
		   "{\"code\": \"EZK\", \"name\": \"EZK\", \"kind\": \"department\", \"parent\": "
		   "\"RIJK\", \"from\": \"2017-10-26\"},"
		   "{\"code\": \"DGKE\", \"name\": \"DGKE\", \"kind\": \"unit\", \"parent\": "
		   "\"EZK\", \"from\": \"2017-10-26\"}],"
		   "\"events\": [{\"type\": \"split\", \"on\": \"2024-07-02\", \"code\": \"EZK\", "
		   "\"into\": [{\"code\": \"EZ\", \"name\": \"EZ\"}, {\"code\": \"KGG\", \"name\": "
		   "\"KGG\"}]}]}");
	char *before = snapshot(f);
	assert_int_equal(orgs_import_file(f->t.db, &f->t.signer, ACTOR, path, err, sizeof err), -1);
	if (!strstr(err, "events[0] (split EZK): unit DGKE of EZK is not assigned"))
		fail_msg("message: %s", err);
	char *after = snapshot(f);
	assert_string_equal(before, after);
	free(after);
	/* a malformed file names the place */
	write_text(path, "{\"format\": \"probity-organisations\", \"version\": 1, "
			 "\"organisations\": [{\"code\": \"R\"}]}");
	assert_int_equal(orgs_import_file(f->t.db, &f->t.signer, ACTOR, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "organisations[0]: lacks the field \"name\""));
	assert_int_equal(orgs_import_file(f->t.db, &f->t.signer, ACTOR, "/nonexistent/x.json", err,
					  sizeof err), -1);
	assert_non_null(strstr(err, "cannot open"));
	after = snapshot(f);
	assert_string_equal(before, after);
	free(after);
	free(before);
	unlink(path);
	free(path);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_and_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_split_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_backstop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_demo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_failure_changes_nothing, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
