/* test_frameworks_store.c: framework revisions in the database
 * (src/frameworks/store.c, migration 0011): the shipped files inserted once
 * and byte for byte; an import must be newer and different; an edit makes
 * the next revision from the latest only; every refusal and every failure
 * writes nothing (no row, no audit entry); a shipped file whose revision
 * number was used here is renumbered, once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "accounts/accounts.h"
#include "frameworks/framework.h"
#include "store/testutil.h"

static int64_t rows(db_t *db)
{
	return testdb_i64(db, "SELECT count(*) FROM framework_version");
}

static int64_t audits(db_t *db, const char *action)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = '%s'", action);
	return testdb_i64(db, sql);
}

/* The shipped file name as a framework. */
static void shipped(const char *name, struct framework *f)
{
	char err[300];
	for (size_t i = 0; frameworks_files[i].name; i++)
		if (strcmp(frameworks_files[i].name, name) == 0) {
			if (framework_parse(frameworks_files[i].data, frameworks_files[i].len, f, err,
					    sizeof err) != 0)
				fail_msg("%s: %s", name, err);
			return;
		}
	fail_msg("%s is not shipped", name);
}

static void test_ensure_shipped(void **state)
{
	(void)state;
	struct testfx fx;
	int added = -1;
	testfx_open(&fx);
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, &added), 0);
	assert_int_equal(added, 4);
	assert_int_equal(rows(fx.db), 4);
	assert_int_equal(audits(fx.db, "framework.ship"), 1);
	assert_int_equal(testdb_i64(fx.db, "SELECT count(*) FROM audit_log WHERE detail = "
				    "'basisnormen-2006 1, gedragscode-rijk-2019 1, "
				    "oecd-integrity-2017 1, saint 1'"), 1);
	/* idempotent: a second run writes nothing, not even an audit entry */
	int64_t entries = testdb_i64(fx.db, "SELECT count(*) FROM audit_log");
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(rows(fx.db), 4);
	assert_int_equal(testdb_i64(fx.db, "SELECT count(*) FROM audit_log"), entries);
	/* stored byte for byte, with nobody as author */
	struct fw_version_row list[8];
	size_t n;
	assert_int_equal(frameworks_list(fx.db, 1, list, 8, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(list[0].code, "basisnormen-2006");
	assert_string_equal(list[1].code, "gedragscode-rijk-2019");
	assert_string_equal(list[2].code, "oecd-integrity-2017");
	assert_string_equal(list[3].code, "saint");
	for (size_t i = 0; i < n; i++) {
		char *body;
		size_t len;
		assert_int_equal(list[i].revision, 1);
		assert_int_equal(list[i].created_by, 0);
		assert_int_equal(frameworks_body(fx.db, list[i].id, &body, &len), 0);
		int same = 0;
		for (size_t k = 0; frameworks_files[k].name; k++)
			same |= frameworks_files[k].len == len &&
				memcmp(frameworks_files[k].data, body, len) == 0;
		assert_true(same);
		free(body);
	}
	assert_string_equal(list[0].title_nl, "Modelaanpak basisnormen integriteit");
	/* cap: counts only what fits */
	assert_int_equal(frameworks_list(fx.db, 0, list, 2, &n), 0);
	assert_int_equal(n, 2);
	int64_t id;
	assert_int_equal(frameworks_latest(fx.db, "saint", &id), 0);
	assert_int_equal(frameworks_latest(fx.db, "nothing", &id), 1);
	assert_int_equal(frameworks_find(fx.db, "saint", 2, &id), 1);
	struct framework f;
	assert_int_equal(frameworks_load(fx.db, 999, &f), 1);
	struct fw_version_row row;
	assert_int_equal(frameworks_row(fx.db, 999, &row), 1);
	testfx_close(&fx);
}

static void test_import(void **state)
{
	(void)state;
	struct testfx fx;
	struct framework f, g;
	char err[400];
	int64_t id, id2, prev;
	testfx_open(&fx);
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, NULL), 0);
	shipped("basisnormen-2006-v1.json", &f);
	/* the same revision again: not newer */
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "", &id, err,
					   sizeof err), FW_SAVE_ESTALE);
	assert_non_null(strstr(err, "not newer than the latest stored, revision 1"));
	/* a higher revision with the same content: nothing changed */
	f.revision = 2;
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "", &id, err,
					   sizeof err), FW_SAVE_ESAME);
	assert_non_null(strstr(err, "nothing changed"));
	/* a bad note and a bad framework are refused before anything is written */
	char note[FW_NOTE_MAX + 2];
	memset(note, 'n', sizeof note - 1);
	note[sizeof note - 1] = 0;
	free(f.reqs[0].text_nl);
	f.reqs[0].text_nl = strdup("Nieuwe tekst.");
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, note, &id, err,
					   sizeof err), FW_SAVE_EINVALID);
	assert_string_equal(err, "note: is longer than 500 bytes");
	char *saved = f.kind;
	f.kind = (char *)"rules";
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "", &id, err,
					   sizeof err), FW_SAVE_EINVALID);
	assert_non_null(strstr(err, "kind: must be"));
	f.kind = saved;
	assert_int_equal(rows(fx.db), 4);
	assert_int_equal(audits(fx.db, "framework.import"), 0);
	/* a changed revision 2 is stored, audited, and reads back equal */
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "why", &id, err,
					   sizeof err), FW_SAVE_OK);
	assert_int_equal(rows(fx.db), 5);
	assert_int_equal(audits(fx.db, "framework.import"), 1);
	assert_int_equal(testdb_i64(fx.db, "SELECT count(*) FROM audit_log WHERE action = "
				    "'framework.import' AND actor = 'cli:test' AND detail = "
				    "'basisnormen-2006 revision 2'"), 1);
	assert_int_equal(frameworks_load(fx.db, id, &g), 0);
	assert_true(framework_equal(&f, &g));
	framework_free(&g);
	assert_int_equal(frameworks_latest(fx.db, "basisnormen-2006", &id2), 0);
	assert_int_equal(id2, id);
	assert_int_equal(frameworks_previous(fx.db, id, &prev), 0);
	assert_int_equal(frameworks_find(fx.db, "basisnormen-2006", 1, &id2), 0);
	assert_int_equal(prev, id2);
	assert_int_equal(frameworks_previous(fx.db, prev, &id2), 1);
	struct fw_version_row row;
	assert_int_equal(frameworks_row(fx.db, id, &row), 0);
	assert_string_equal(row.note, "why");
	assert_int_equal(row.revision, 2);
	/* a new code is welcome at any revision */
	snprintf(f.code, sizeof f.code, "eigen-kader");
	f.revision = 3;
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "", &id, err,
					   sizeof err), FW_SAVE_OK);
	struct fw_version_row list[8];
	size_t n;
	assert_int_equal(frameworks_list(fx.db, 1, list, 8, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(list[0].revision, 2);
	/* a failing audit append leaves no row behind */
	testdb_exec(fx.db, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log "
			   "BEGIN SELECT RAISE(FAIL, 'audit refused'); END");
	f.revision = 4;
	free(f.reqs[1].text_nl);
	f.reqs[1].text_nl = strdup("Ook nieuw.");
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "", &id, err,
					   sizeof err), FW_SAVE_EDB);
	assert_int_equal(rows(fx.db), 6);
	assert_int_equal(frameworks_find(fx.db, "eigen-kader", 4, &id), 1);
	framework_free(&f);
	testfx_close(&fx);
}

static void test_revise(void **state)
{
	(void)state;
	struct testfx fx;
	struct framework f, g;
	struct account_error ae;
	char err[400];
	int64_t base, id, user;
	testfx_open(&fx);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("accounts_init: %s", err);
	if (accounts_create(fx.db, &fx.signer, "cli:test", "coord.bzk", "Coördinator",
			    "a long and unusual passphrase 7", &user, &ae) != 0)
		fail_msg("%s", ae.msg);
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, NULL), 0);
	assert_int_equal(frameworks_latest(fx.db, "oecd-integrity-2017", &base), 0);
	assert_int_equal(frameworks_load(fx.db, base, &f), 0);
	/* unchanged: refused */
	assert_int_equal(frameworks_revise(fx.db, &fx.signer, base, &f, "user:1", user, "", &id,
					   err, sizeof err), FW_SAVE_ESAME);
	/* code and revision come from the base, whatever f says */
	snprintf(f.code, sizeof f.code, "other");
	f.revision = 77;
	free(f.reqs[3].text_en);
	f.reqs[3].text_en = strdup("Changed.");
	/* an invalid text is refused with its path */
	free(f.reqs[4].text_nl);
	f.reqs[4].text_nl = strdup(" spatie");
	assert_int_equal(frameworks_revise(fx.db, &fx.signer, base, &f, "user:1", user, "", &id,
					   err, sizeof err), FW_SAVE_EINVALID);
	assert_string_equal(err, "groups[1].requirements[1].text.nl: must not start or end with a space");
	free(f.reqs[4].text_nl);
	f.reqs[4].text_nl = strdup("Geen spatie.");
	assert_int_equal(frameworks_revise(fx.db, &fx.signer, base, &f, "user:1", user,
					   "Tekst verduidelijkt.\nTweede regel.", &id, err, sizeof err),
			 FW_SAVE_OK);
	assert_string_equal(f.code, "oecd-integrity-2017");
	assert_int_equal(f.revision, 2);
	assert_int_equal(frameworks_load(fx.db, id, &g), 0);
	assert_true(framework_equal(&f, &g));
	framework_free(&g);
	struct fw_version_row row;
	assert_int_equal(frameworks_row(fx.db, id, &row), 0);
	assert_int_equal(row.created_by, user);
	assert_int_equal(audits(fx.db, "framework.revise"), 1);
	/* from a revision that is no longer the latest: refused */
	free(f.reqs[3].text_en);
	f.reqs[3].text_en = strdup("Changed again.");
	assert_int_equal(frameworks_revise(fx.db, &fx.signer, base, &f, "user:1", user, "", &id,
					   err, sizeof err), FW_SAVE_ESTALE);
	assert_non_null(strstr(err, "a newer revision"));
	assert_int_equal(frameworks_revise(fx.db, &fx.signer, 4242, &f, "user:1", user, "", &id,
					   err, sizeof err), FW_SAVE_EINVALID);
	assert_int_equal(frameworks_revise(fx.db, &fx.signer, base, &f, "user:1", user, "\x01", &id,
					   err, sizeof err), FW_SAVE_EINVALID);
	assert_int_equal(rows(fx.db), 5);
	assert_int_equal(audits(fx.db, "framework.revise"), 1);
	framework_free(&f);
	testfx_close(&fx);
}

/* The coordinator imported a revision 1 of a shipped code before the
 * program shipped it: the shipped file becomes revision 2, once. */
static void test_shipped_renumbered(void **state)
{
	(void)state;
	struct testfx fx;
	struct framework f;
	char err[400];
	int64_t id;
	int added;
	testfx_open(&fx);
	shipped("saint-v1.json", &f);
	free(f.title_nl);
	f.title_nl = strdup("SAINT, eigen versie");
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "", &id, err,
					   sizeof err), FW_SAVE_OK);
	framework_free(&f);
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, &added), 0);
	assert_int_equal(added, 4);
	assert_int_equal(frameworks_latest(fx.db, "saint", &id), 0);
	assert_int_equal(frameworks_load(fx.db, id, &f), 0);
	assert_int_equal(f.revision, 2);
	assert_string_equal(f.title_en, "SAINT: maturity of the integrity control system");
	framework_free(&f);
	assert_int_equal(testdb_i64(fx.db, "SELECT count(*) FROM audit_log WHERE detail = "
				    "'basisnormen-2006 1, gedragscode-rijk-2019 1, "
				    "oecd-integrity-2017 1, saint 2 (shipped as 1)'"), 1);
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(rows(fx.db), 5);
	/* an import of the shipped content itself, before shipping: nothing
	 * to add later */
	testfx_close(&fx);
	testfx_open(&fx);
	shipped("gedragscode-rijk-2019-v1.json", &f);
	assert_int_equal(frameworks_import(fx.db, &fx.signer, &f, "cli:test", 0, "", &id, err,
					   sizeof err), FW_SAVE_OK);
	framework_free(&f);
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, &added), 0);
	assert_int_equal(added, 3);
	assert_int_equal(rows(fx.db), 4);
	testfx_close(&fx);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ensure_shipped),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_revise),
		cmocka_unit_test(test_shipped_renumbered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
