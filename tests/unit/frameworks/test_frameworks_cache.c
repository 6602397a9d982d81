/* test_frameworks_cache.c: parsed framework revisions kept in memory
 * (src/frameworks/cache.c). A revision is parsed once and then served from
 * memory; an edit (revision 2, a new row) is read as itself, not as the
 * revision it came from; the same id in another database with another body
 * is not mistaken for the cached one; a caller's copy (frameworks_load) is
 * its own to change; a holder keeps its revision valid while the cache
 * moves on. The parse counter tells a hit from a parse, so that the tests
 * also fail when the cache is never used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frameworks/cache.h"
#include "frameworks/framework.h"
#include "store/testutil.h"

#define CODE "basisnormen-2006"

static int64_t latest(db_t *db)
{
	int64_t id = 0;
	if (frameworks_latest(db, CODE, &id) != 0)
		fail_msg("no %s", CODE);
	return id;
}

/* Stores revision 2 of CODE with the first requirement's Dutch text set to
 * text; returns its id. */
static int64_t revise(struct testfx *fx, const char *text)
{
	struct framework f;
	char err[400];
	int64_t base = latest(fx->db), id = 0;
	assert_int_equal(frameworks_load(fx->db, base, &f), 0);
	free(f.reqs[0].text_nl);
	f.reqs[0].text_nl = strdup(text);
	if (frameworks_revise(fx->db, &fx->signer, base, &f, "cli:test", 0, "test", &id, err,
			      sizeof err) != FW_SAVE_OK)
		fail_msg("revise: %s", err);
	framework_free(&f);
	return id;
}

static void test_parsed_once_and_revision_2(void **state)
{
	(void)state;
	struct testfx fx;
	testfx_open(&fx);
	frameworks_cache_clear();
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, NULL), 0);
	int64_t v1 = latest(fx.db);
	struct fw_handle a, b;
	uint64_t p0 = frameworks_cache_parses();
	assert_int_equal(frameworks_get(fx.db, v1, &a), 0);
	assert_int_equal(frameworks_cache_parses(), p0 + 1);
	assert_int_equal(frameworks_get(fx.db, v1, &b), 0);
	assert_int_equal(frameworks_cache_parses(), p0 + 1); /* from memory */
	assert_ptr_equal(a.f, b.f);
	assert_int_equal(a.f->revision, 1);
	char *text1 = strdup(a.f->reqs[0].text_nl);
	frameworks_put(&b);

	/* a caller's copy is its own: changing it leaves the cached one alone */
	struct framework own;
	assert_int_equal(frameworks_load(fx.db, v1, &own), 0);
	free(own.reqs[0].text_nl);
	own.reqs[0].text_nl = strdup("Veranderd.");
	framework_free(&own);
	assert_string_equal(a.f->reqs[0].text_nl, text1);
	frameworks_put(&a);

	/* the edit is a new revision, read as such */
	int64_t v2 = revise(&fx, "Herziene tekst.");
	assert_true(v2 != v1);
	assert_int_equal(frameworks_get(fx.db, v2, &a), 0);
	assert_int_equal(a.f->revision, 2);
	assert_string_equal(a.f->reqs[0].text_nl, "Herziene tekst.");
	frameworks_put(&a);
	assert_int_equal(frameworks_get(fx.db, v1, &a), 0);
	assert_string_equal(a.f->reqs[0].text_nl, text1);
	frameworks_put(&a);
	assert_int_equal(frameworks_get(fx.db, 99999, &a), 1);
	assert_null(a.f);
	free(text1);
	testfx_close(&fx);
	frameworks_cache_clear();
}

/* The same id in two databases, with other bodies: each reads its own. */
static void test_same_id_other_database(void **state)
{
	(void)state;
	struct testfx x, y;
	testfx_open(&x);
	testfx_open(&y);
	frameworks_cache_clear();
	assert_int_equal(frameworks_ensure_shipped(x.db, &x.signer, NULL), 0);
	assert_int_equal(frameworks_ensure_shipped(y.db, &y.signer, NULL), 0);
	int64_t vx = revise(&x, "Tekst van x."), vy = revise(&y, "Tekst van y.");
	assert_int_equal(vx, vy);
	struct fw_handle a;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(frameworks_get(x.db, vx, &a), 0);
		assert_string_equal(a.f->reqs[0].text_nl, "Tekst van x.");
		frameworks_put(&a);
		assert_int_equal(frameworks_get(y.db, vy, &a), 0);
		assert_string_equal(a.f->reqs[0].text_nl, "Tekst van y.");
		frameworks_put(&a);
	}
	testfx_close(&x);
	testfx_close(&y);
	frameworks_cache_clear();
}

/* More revisions than the cache keeps: the oldest go, a holder's stays
 * valid until it lets go (ASan would see a use after free). */
static void test_bounded_and_held(void **state)
{
	(void)state;
	struct testfx fx;
	testfx_open(&fx);
	frameworks_cache_clear();
	assert_int_equal(frameworks_ensure_shipped(fx.db, &fx.signer, NULL), 0);
	struct fw_handle held;
	int64_t first = latest(fx.db);
	assert_int_equal(frameworks_get(fx.db, first, &held), 0);
	char text[40];
	for (int i = 0; i < FW_CACHE_MAX + 4; i++) {
		snprintf(text, sizeof text, "Tekst %d.", i);
		int64_t id = revise(&fx, text);
		struct fw_handle h;
		assert_int_equal(frameworks_get(fx.db, id, &h), 0);
		assert_string_equal(h.f->reqs[0].text_nl, text);
		frameworks_put(&h);
	}
	assert_int_equal(held.f->revision, 1);
	assert_non_null(held.f->reqs[0].text_nl);
	frameworks_put(&held);
	/* the first one was pushed out: getting it again parses it again */
	uint64_t p0 = frameworks_cache_parses();
	assert_int_equal(frameworks_get(fx.db, first, &held), 0);
	assert_int_equal(frameworks_cache_parses(), p0 + 1);
	frameworks_put(&held);
	testfx_close(&fx);
	frameworks_cache_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsed_once_and_revision_2),
		cmocka_unit_test(test_same_id_other_database),
		cmocka_unit_test(test_bounded_and_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
