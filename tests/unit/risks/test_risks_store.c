/* test_risks_store.c: the storage of the risk register (src/risks/store.c,
 * store_items.c): processes, positions, risks and controls added and
 * updated with their audit entries; a row of another department is
 * neither read nor changed; refusals write nothing; the matrix replaced,
 * refused by its rules, and refused while risks use levels it would drop;
 * likelihood off the matrix and an unknown category refused; each refusal's
 * code and message (another department's row, a control of another risk,
 * a full register) with no row and no audit entry written; the list for
 * the closed loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "orgs/orgs.h"
#include "risks/risks.h"

#define TODAY "2024-05-01"

struct fx {
	struct testfx t; /* first: fixture_teardown closes it */
	int64_t fin, bzk;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	const struct fixture_dept depts[] = {{"FIN", &f.fin}, {"BZK", &f.bzk}, {NULL, NULL}};
	fixture_open(&f.t, NULL, depts);
	*state = &f;
	return 0;
}

static int64_t q(struct fx *f, const char *sql)
{
	return testdb_i64(f->t.db, sql);
}

static struct risks_process process(const char *name, unsigned inherent)
{
	struct risks_process p = {0};
	snprintf(p.name, sizeof p.name, "%s", name);
	snprintf(p.description, sizeof p.description, "Beschrijving van %s", name);
	p.saint.inherent = inherent;
	p.saint.factor[0] = 2;
	p.saint.factor[4] = 3;
	return p;
}

static struct risks_risk risk(const char *title, int il, int ii, int rl, int ri)
{
	struct risks_risk r = {0};
	snprintf(r.title, sizeof r.title, "%s", title);
	r.il = il, r.ii = ii, r.rl = rl, r.ri = ri;
	strcpy(r.treatment, "reduce");
	strcpy(r.owner, "Directeur Bedrijfsvoering");
	strcpy(r.status, "open");
	strcpy(r.review_on, "2025-01-01");
	return r;
}

static void test_processes_and_positions(void **state)
{
	struct fx *f = *state;
	struct risks_error e;
	struct risks_process p = process("Subsidieverlening", 0x3);
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 7, f->fin, &p, TODAY, &e), 0);
	assert_true(p.id > 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'risk.process.add' "
			      "AND detail = 'org=2'"), 1);
	struct risks_process got;
	assert_int_equal(risks_process_get(f->t.db, f->fin, p.id, &got, &e), 0);
	assert_string_equal(got.name, "Subsidieverlening");
	assert_int_equal(got.saint.inherent, 3);
	assert_int_equal(got.saint.factor[4], 3);
	/* BZK cannot read or change FIN's process: nothing changes */
	assert_int_equal(risks_process_get(f->t.db, f->bzk, p.id, &got, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	struct risks_process forged = process("Overgenomen", 0);
	forged.id = p.id;
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 8, f->bzk, &forged, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_process WHERE name = 'Overgenomen'"), 0);
	/* invalid: refused before anything is written */
	struct risks_process bad = process("", 0);
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EINVALID);
	assert_string_equal(e.msgid, "Give the process a name.");
	bad = process("x", 1u << 12);
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EINVALID);
	memset(bad.name, 'a', RISKS_PROCESS_NAME_MAX + 1);
	bad.name[RISKS_PROCESS_NAME_MAX + 1 - 1] = 0;
	bad.saint.inherent = 0;
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), 0);
	/* an update */
	p.saint.factor[1] = 1;
	strcpy(p.name, "Subsidies");
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 7, f->fin, &p, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'risk.process.update'"), 1);
	struct risks_process_ref refs[4];
	size_t n = 0;
	assert_int_equal(risks_processes(f->t.db, f->fin, refs, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(risks_processes(f->t.db, f->bzk, refs, 4, &n), 0);
	assert_int_equal(n, 0);

	/* positions: with FIN's process; BZK's process id refused */
	struct risks_process bp = process("Inkoop BZK", 1);
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 8, f->bzk, &bp, TODAY, &e), 0);
	struct risks_position pos = {.process_id = p.id, .staff = 12, .rotation_years = 5,
				     .declaration = 1};
	strcpy(pos.title, "Inkoper");
	strcpy(pos.screening, "b");
	strcpy(pos.screening_status, "in_place");
	strcpy(pos.rotation_status, "planned");
	strcpy(pos.declaration_status, "in_place");
	assert_int_equal(risks_position_save(f->t.db, &f->t.signer, 7, f->fin, &pos, TODAY, &e), 0);
	struct risks_position pos2 = pos;
	pos2.id = 0;
	pos2.process_id = bp.id;
	assert_int_equal(risks_position_save(f->t.db, &f->t.signer, 7, f->fin, &pos2, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EINVALID);
	pos2.process_id = 0;
	strcpy(pos2.screening, "z");
	assert_int_equal(risks_position_save(f->t.db, &f->t.signer, 7, f->fin, &pos2, TODAY, &e), -1);
	assert_string_equal(e.msgid, "Choose the level of screening from the list.");
	strcpy(pos2.screening, "none");
	pos2.staff = RISKS_STAFF_MAX + 1;
	assert_int_equal(risks_position_save(f->t.db, &f->t.signer, 7, f->fin, &pos2, TODAY, &e), -1);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_position"), 1);
	struct risks_position *list;
	struct arena a = ARENA_INIT;
	assert_int_equal(risks_position_list(f->t.db, &a, f->fin, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].screening, "b");
	assert_int_equal(list[0].rotation_years, 5);
	assert_int_equal(risks_position_list(f->t.db, &a, f->bzk, &list, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(risks_position_get(f->t.db, f->bzk, pos.id, &pos2, &e), -1);
	arena_free(&a);
}

static void test_risks_and_controls(void **state)
{
	struct fx *f = *state;
	struct risks_error e;
	struct arena a = ARENA_INIT;
	struct risks_risk r = risk("Fraude bij subsidies", 4, 5, 2, 3);
	strcpy(r.category, "1");
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &r, TODAY, &e), 0);
	assert_string_equal(r.taxonomy, "schendingen");
	assert_true(r.taxonomy_revision >= 1);
	assert_int_equal(r.inherent_band, 3);  /* 20: zeer hoog */
	assert_int_equal(r.residual_band, 1);  /* 6: midden */
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'risk.add'"), 1);
	/* off the matrix, worse after controls, unknown category: refused */
	struct risks_risk bad = risk("Te hoog", 6, 1, 1, 1);
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	assert_string_equal(e.msgid, "Likelihood must be one of the levels of the department's matrix.");
	bad = risk("Te hoog", 1, 1, 1, 0);
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	assert_string_equal(e.msgid, "Impact must be one of the levels of the department's matrix.");
	bad = risk("Slechter", 2, 2, 3, 2);
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EINVALID);
	bad = risk("Categorie", 2, 2, 1, 1);
	strcpy(bad.category, "99x");
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	assert_string_equal(e.msgid, "Choose a category of integrity violation from the list, or none.");
	bad = risk("Datum", 2, 2, 1, 1);
	strcpy(bad.review_on, "2024-02-30");
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	bad = risk("Aanpak", 2, 2, 1, 1);
	strcpy(bad.treatment, "ignore");
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &bad, TODAY, &e), -1);
	assert_int_equal(q(f, "SELECT count(*) FROM risk"), 1);
	/* BZK cannot change it */
	struct risks_risk forged = risk("Weg", 1, 1, 1, 1);
	forged.id = r.id;
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 8, f->bzk, &forged, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_int_equal(q(f, "SELECT count(*) FROM risk WHERE title = 'Weg'"), 0);

	/* controls */
	struct risks_control c = {.risk_id = r.id};
	strcpy(c.description, "Vier-ogenprincipe bij toekenning");
	strcpy(c.owner, "Teamleider");
	strcpy(c.status, "implemented");
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 7, f->fin, &c, TODAY, &e), -1);
	assert_string_equal(e.msgid, "Give the date the control was implemented.");
	strcpy(c.implemented_on, "2024-03-01");
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 7, f->fin, &c, TODAY, &e), 0);
	struct risks_control c2 = c;
	c2.id = 0;
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 8, f->bzk, &c2, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	c2 = c;
	strcpy(c2.status, "retired");
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 8, f->bzk, &c2, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_control WHERE status = 'retired'"), 0);
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 7, f->fin, &c2, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action LIKE 'risk.control.%'"), 2);
	struct risks_control *cl;
	size_t n;
	assert_int_equal(risks_control_list(f->t.db, &a, f->fin, &cl, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(cl[0].status, "retired");
	assert_string_equal(cl[0].implemented_on, "2024-03-01");
	assert_int_equal(risks_control_list(f->t.db, &a, f->bzk, &cl, &n, &e), 0);
	assert_int_equal(n, 0);
	struct risks_risk *rl;
	assert_int_equal(risks_risk_list(f->t.db, &a, f->fin, &rl, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rl[0].category, "1");
	assert_int_equal(rl[0].inherent_band, 3);
	assert_int_equal(risks_risk_get(f->t.db, f->bzk, r.id, &forged, &e), -1);
	arena_free(&a);
}

static void test_matrix(void **state)
{
	struct fx *f = *state;
	struct risks_error e;
	struct risks_matrix m;
	int custom = 1;
	assert_int_equal(risks_matrix_get(f->t.db, f->bzk, &m, &custom, &e), 0);
	assert_int_equal(custom, 0);
	assert_int_equal(m.nlikelihood, 5);
	/* refused by its rules: nothing written */
	m.bands[1].hi = 10;
	assert_int_equal(risks_matrix_set(f->t.db, &f->t.signer, 7, f->fin, &m, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EINVALID);
	assert_int_equal(e.matrix_problem, 1);
	assert_int_equal(e.problem.kind, RISKS_P_BAND_OVERLAP);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_matrix"), 0);
	/* FIN's risk uses likelihood 4 and impact 5: a 3 × 5 matrix drops 4 */
	risks_matrix_default(&m);
	m.nlikelihood = 3;
	m.nbands = 3;
	m.bands[2].hi = 15;
	assert_int_equal(risks_matrix_set(f->t.db, &f->t.signer, 7, f->fin, &m, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ECONFLICT);
	assert_non_null(strstr(e.detail, "'Fraude bij subsidies'"));
	assert_int_equal(q(f, "SELECT count(*) FROM risk_matrix"), 0);
	/* BZK has no risks: its matrix changes, with an audit entry */
	assert_int_equal(risks_matrix_set(f->t.db, &f->t.signer, 8, f->bzk, &m, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'risk.matrix'"), 1);
	struct risks_matrix got;
	assert_int_equal(risks_matrix_get(f->t.db, f->bzk, &got, &custom, &e), 0);
	assert_int_equal(custom, 1);
	assert_int_equal(got.nlikelihood, 3);
	assert_int_equal(got.nbands, 3);
	assert_string_equal(got.likelihood[2], "gemiddeld");
	assert_int_equal(got.bands[2].hi, 15);
	/* and again (replaces, does not add) */
	risks_matrix_default(&m);
	assert_int_equal(risks_matrix_set(f->t.db, &f->t.signer, 8, f->bzk, &m, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_band WHERE org_id = 3"), 4);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_matrix_level WHERE org_id = 3"), 10);
	/* a risk on the 5 × 5 of FIN stays where it was */
	assert_int_equal(q(f, "SELECT count(*) FROM risk_matrix WHERE org_id = 2"), 0);
}

/* The save functions' refusals, each with its own message, write neither
 * a row nor an audit entry; a full register still takes updates. */
static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct risks_error e;
	int64_t audits = q(f, "SELECT count(*) FROM audit_log");
	int64_t fin_process = q(f, "SELECT min(id) FROM risk_process WHERE org_id = 2");
	int64_t fin_position = q(f, "SELECT min(id) FROM risk_position WHERE org_id = 2");
	int64_t fin_risk = q(f, "SELECT min(id) FROM risk WHERE org_id = 2");
	int64_t fin_control = q(f, "SELECT min(id) FROM risk_control");
	assert_true(fin_process > 0 && fin_position > 0 && fin_risk > 0 && fin_control > 0);

	struct risks_process p = process("Vervalst", 0);
	p.id = fin_process;
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 8, f->bzk, &p, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_string_equal(e.msgid, "This department has no such process.");
	assert_int_equal(p.id, fin_process);

	struct risks_position pos = {.staff = 1};
	strcpy(pos.title, "Vervalst");
	strcpy(pos.screening, "none");
	strcpy(pos.screening_status, "planned");
	strcpy(pos.rotation_status, "not_required");
	strcpy(pos.declaration_status, "planned");
	pos.id = fin_position;
	assert_int_equal(risks_position_save(f->t.db, &f->t.signer, 8, f->bzk, &pos, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_string_equal(e.msgid, "This department has no such position.");
	/* a new position of BZK under FIN's process */
	pos.id = 0;
	pos.process_id = fin_process;
	assert_int_equal(risks_position_save(f->t.db, &f->t.signer, 8, f->bzk, &pos, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EINVALID);
	assert_string_equal(e.msgid, "Choose a process of this department, or none.");
	assert_int_equal(pos.id, 0);

	struct risks_risk r = risk("Vervalst", 1, 1, 1, 1);
	r.id = fin_risk;
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 8, f->bzk, &r, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_string_equal(e.msgid, "This department has no such risk.");
	r.id = 0;
	r.process_id = fin_process;
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 8, f->bzk, &r, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EINVALID);
	assert_string_equal(e.msgid, "Choose a process of this department, or none.");

	/* FIN's control moved to another risk of FIN: not that risk's control */
	struct risks_risk other = risk("Tweede", 1, 1, 1, 1);
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 7, f->fin, &other, TODAY, &e), 0);
	audits++;
	struct risks_control c = {.id = fin_control, .risk_id = other.id};
	strcpy(c.description, "Vervalst");
	strcpy(c.owner, "Teamleider");
	strcpy(c.status, "planned");
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 7, f->fin, &c, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_string_equal(e.msgid, "This risk has no such control.");
	c.risk_id = fin_risk;
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 8, f->bzk, &c, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_ENOTFOUND);
	assert_string_equal(e.msgid, "This department has no such risk.");
	assert_int_equal(q(f, "SELECT count(*) FROM risk_control WHERE description = 'Vervalst'"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audits);

	/* BZK's register filled up to 1,000 processes, positions and controls */
	testdb_exec(f->t.db,
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
		"INSERT INTO risk_process (org_id, name, description, inherent, f_complexity, "
		"f_change, f_management, f_personnel, f_history, updated_on) "
		"SELECT 3, 'p' || i, '', 0, 0, 0, 0, 0, 0, '2024-01-01' FROM n "
		"WHERE i <= 1000 - (SELECT count(*) FROM risk_process WHERE org_id = 3)");
	testdb_exec(f->t.db,
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
		"INSERT INTO risk_position (org_id, title, staff, screening, screening_status, "
		"rotation_years, rotation_status, declaration, declaration_status, updated_on) "
		"SELECT 3, 'f' || i, 1, 'none', 'planned', 0, 'not_required', 0, 'planned', "
		"'2024-01-01' FROM n "
		"WHERE i <= 1000 - (SELECT count(*) FROM risk_position WHERE org_id = 3)");
	struct risks_risk bzk_risk = risk("Van BZK", 1, 1, 1, 1);
	assert_int_equal(risks_risk_save(f->t.db, &f->t.signer, 8, f->bzk, &bzk_risk, TODAY, &e), 0);
	audits++;
	testdb_exec(f->t.db,
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
		"INSERT INTO risk_control (risk_id, description, owner, status, updated_on) "
		"SELECT (SELECT id FROM risk WHERE title = 'Van BZK'), 'm' || i, 'x', 'planned', "
		"'2024-01-01' FROM n WHERE i <= 1000 - (SELECT count(*) FROM risk_control c "
		"JOIN risk r ON r.id = c.risk_id WHERE r.org_id = 3)");
	p = process("Nog een", 0);
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 8, f->bzk, &p, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EFULL);
	assert_string_equal(e.msgid, "The register holds as many processes as it can (1,000).");
	assert_int_equal(p.id, 0);
	pos.process_id = 0;
	assert_int_equal(risks_position_save(f->t.db, &f->t.signer, 8, f->bzk, &pos, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EFULL);
	assert_string_equal(e.msgid, "The register holds as many of these as it can (1,000).");
	c.id = 0;
	c.risk_id = bzk_risk.id;
	assert_int_equal(risks_control_save(f->t.db, &f->t.signer, 8, f->bzk, &c, TODAY, &e), -1);
	assert_int_equal(e.code, RISKS_EFULL);
	assert_string_equal(e.msgid, "The register holds as many of these as it can (1,000).");
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audits);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_process WHERE org_id = 3"), 1000);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_position WHERE org_id = 3"), 1000);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_control c JOIN risk r ON "
			      "r.id = c.risk_id WHERE r.org_id = 3"), 1000);
	assert_int_equal(q(f, "SELECT count(*) FROM risk_control WHERE description = 'Vervalst'"), 0);
	/* a full register still takes changes to what it holds */
	p.id = q(f, "SELECT min(id) FROM risk_process WHERE org_id = 3");
	assert_int_equal(risks_process_save(f->t.db, &f->t.signer, 8, f->bzk, &p, TODAY, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'risk.process.update' "
			      "AND detail = 'org=3'"), 1);
	/* the lists stop at the limit */
	struct arena a = ARENA_INIT;
	struct risks_process *pl;
	size_t n = 0;
	assert_int_equal(risks_process_list(f->t.db, &a, f->bzk, &pl, &n, &e), 0);
	assert_int_equal(n, 1000);
	arena_free(&a);
}

static void test_audit_chain(void **state)
{
	struct fx *f = *state;
	struct audit_report rep;
	assert_int_equal(audit_verify(f->t.db, f->t.key.pk, &rep), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_processes_and_positions),
		cmocka_unit_test(test_risks_and_controls),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_audit_chain),
	};
	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
