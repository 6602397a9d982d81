/* test_intake_rsession.c: receipt sessions (src/intake/rsession.c) against a
 * real SQLite database: a receipt starts one, the cookie finds it and opens
 * the report key; wrong or mistyped receipts start nothing; idle and
 * absolute limits end it; touch, destroy and purge; the database keeps
 * neither the cookie's id nor its key, and a cookie whose id and key come
 * from two sessions opens nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "intake/intake.h"
#include "intake/rsession.h"
#include "intakefx.h"

#define ANSWERS "{\"what\":\"iets gezien\"}"
#define T0 1800000000
#define IDLE 1800
#define ABSOLUTE (12 * 3600)

static const struct session_limits lim = {IDLE, ABSOLUTE};

static int64_t report(struct ifx *f, char receipt[RECEIPT_SHOWN_SIZE])
{
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	return ifx_submit(f, &s, receipt);
}

static void create_ok(struct ifx *f, const char *receipt, time_t now,
		      char token[SESSION_TOKEN_LEN + 1], struct intake_rsession *s)
{
	struct intake_error e;
	if (intake_rsession_create(f->t.db, receipt, "nl", now, token, s, &e) != 0)
		fail_msg("rsession_create: %s", e.msg);
	assert_int_equal(strlen(token), SESSION_TOKEN_LEN);
}

static int64_t sessions(struct ifx *f)
{
	return ifx_q(f, "SELECT count(*) FROM receipt_session");
}

static void test_create_load_key(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], token[SESSION_TOKEN_LEN + 1];
	int64_t id = report(f, receipt);
	struct intake_rsession s, l;
	struct intake_error e;
	create_ok(f, receipt, T0, token, &s);
	assert_int_equal(s.report_id, id);
	assert_int_equal(s.created, T0);
	assert_string_equal(s.lang, "nl");
	assert_int_equal(sessions(f), 1);

	assert_int_equal(intake_rsession_load(f->t.db, token, &lim, T0 + 10, &l), 0);
	assert_int_equal(l.report_id, id);
	assert_memory_equal(l.id_hash, s.id_hash, 32);
	assert_memory_equal(l.skey, s.skey, 32);
	assert_string_equal(l.lang, "nl");

	/* the key opens the report, the same as the receipt's */
	struct intake_key k, rk;
	assert_int_equal(intake_rsession_key(f->t.db, &l, &k), 0);
	assert_int_equal(k.report_id, id);
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &rk, &e), 0);
	assert_memory_equal(k.key, rk.key, ENVELOPE_KEY_BYTES);
	struct intake_report r;
	assert_int_equal(intake_read(f->t.db, &k, &r, &e), 0);
	assert_int_equal(r.id, id);
	intake_report_free(&r);

	/* the row holds neither half of the cookie, nor the report key */
	unsigned char raw[64];
	size_t n;
	assert_int_equal(sodium_base642bin(raw, sizeof raw, token, strlen(token), NULL, &n, NULL,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	assert_int_equal(n, 64);
	db_stmt_t *st;
	/* the columns joined here, not in SQL: || of blobs and an integer is
	 * SQLite's, PostgreSQL refuses bytea || bigint */
	assert_int_equal(db_prepare(f->t.db, "SELECT id_hash, wrapped_key, report_id, lang "
				    "FROM receipt_session", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	unsigned char row[1024];
	size_t rn = 0;
	for (int c = 0; c < 4; c++) {
		size_t cn = db_col_bytes(st, c);
		assert_true(cn <= sizeof row - rn);
		if (cn)
			memcpy(row + rn, db_col_blob(st, c), cn);
		rn += cn;
	}
	assert_true(rn > 64);
	assert_null(memmem(row, rn, raw, 32));
	assert_null(memmem(row, rn, raw + 32, 32));
	assert_null(memmem(row, rn, rk.key, ENVELOPE_KEY_BYTES));
	db_finalize(st);
	sodium_memzero(raw, sizeof raw);
	intake_key_wipe(&k);
	intake_key_wipe(&rk);

	/* lang: "en" kept, anything else is Dutch */
	char t2[SESSION_TOKEN_LEN + 1];
	assert_int_equal(intake_rsession_create(f->t.db, receipt, "en", T0, t2, &l, &e), 0);
	assert_string_equal(l.lang, "en");
	assert_int_equal(intake_rsession_create(f->t.db, receipt, "xx", T0, t2, &l, &e), 0);
	assert_string_equal(l.lang, "nl");
	assert_int_equal(intake_rsession_create(f->t.db, receipt, NULL, T0, t2, &l, &e), 0);
	assert_string_equal(l.lang, "nl");
	assert_int_equal(sessions(f), 4);
}

static void test_create_refused(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], other[RECEIPT_SHOWN_SIZE], token[SESSION_TOKEN_LEN + 1];
	report(f, receipt);
	struct intake_rsession s;
	struct intake_error e;
	receipt_generate(other);
	assert_int_equal(intake_rsession_create(f->t.db, other, "nl", T0, token, &s, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_int_equal(token[0], '\0');
	assert_int_equal(s.report_id, 0);
	receipt[5] = receipt[5] == '0' ? '1' : '0';
	assert_int_equal(intake_rsession_create(f->t.db, receipt, "nl", T0, token, &s, &e), -1);
	assert_int_equal(e.code, INTAKE_EMISTYPED);
	assert_int_equal(intake_rsession_create(f->t.db, "niet-een-bon", "nl", T0, token, &s, &e),
			 -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	assert_int_equal(intake_rsession_create(f->t.db, NULL, "nl", T0, token, &s, &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	assert_int_equal(sessions(f), 0);
}

static void test_expiry(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], token[SESSION_TOKEN_LEN + 1];
	report(f, receipt);
	struct intake_rsession s, l;

	/* idle: at the limit still there, past it gone (and deleted) */
	create_ok(f, receipt, T0, token, &s);
	assert_int_equal(intake_rsession_load(f->t.db, token, &lim, T0 + IDLE, &l), 0);
	assert_int_equal(intake_rsession_load(f->t.db, token, &lim, T0 + IDLE + 1, &l), 1);
	assert_int_equal(l.report_id, 0);
	assert_int_equal(sessions(f), 0);

	/* touch: not within a minute, then it moves last_seen */
	create_ok(f, receipt, T0, token, &s);
	assert_int_equal(intake_rsession_touch(f->t.db, &s, T0 + 59), 0);
	assert_int_equal(s.last_seen, T0);
	assert_int_equal(ifx_q(f, "SELECT last_seen FROM receipt_session"), T0);
	assert_int_equal(intake_rsession_touch(f->t.db, &s, T0 + 60), 0);
	assert_int_equal(s.last_seen, T0 + 60);
	assert_int_equal(ifx_q(f, "SELECT last_seen FROM receipt_session"), T0 + 60);

	/* absolute: kept alive by touches, it still ends */
	time_t now = T0 + 60;
	while (now + IDLE / 2 <= T0 + ABSOLUTE) {
		now += IDLE / 2;
		assert_int_equal(intake_rsession_load(f->t.db, token, &lim, now, &l), 0);
		assert_int_equal(intake_rsession_touch(f->t.db, &l, now), 0);
	}
	assert_int_equal(intake_rsession_load(f->t.db, token, &lim, T0 + ABSOLUTE + 1, &l), 1);
	assert_int_equal(sessions(f), 0);

	/* a clock before the session's creation ends it too */
	create_ok(f, receipt, T0, token, &s);
	assert_int_equal(intake_rsession_load(f->t.db, token, &lim, T0 - 1, &l), 1);
	assert_int_equal(sessions(f), 0);
}

static void test_destroy_purge(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1],
		c[SESSION_TOKEN_LEN + 1];
	report(f, receipt);
	struct intake_rsession sa, sb, sc, l;
	create_ok(f, receipt, T0, a, &sa);
	create_ok(f, receipt, T0 + 3600, b, &sb);
	create_ok(f, receipt, T0 - ABSOLUTE, c, &sc);
	assert_int_equal(sessions(f), 3);

	/* signing out ends that session only, and its key with it */
	assert_int_equal(intake_rsession_destroy(f->t.db, &sb), 0);
	assert_int_equal(intake_rsession_load(f->t.db, b, &lim, T0 + 3600, &l), 1);
	struct intake_key k;
	assert_int_equal(intake_rsession_key(f->t.db, &sb, &k), -1);
	assert_int_equal(k.report_id, 0);
	assert_int_equal(sessions(f), 2);

	/* purge at T0 + IDLE + 1: a is idle too long, c past its absolute limit;
	 * a fresh one stays */
	create_ok(f, receipt, T0 + IDLE, b, &sb);
	assert_int_equal(intake_rsession_purge(f->t.db, &lim, T0 + IDLE + 1), 2);
	assert_int_equal(sessions(f), 1);
	assert_int_equal(intake_rsession_load(f->t.db, b, &lim, T0 + IDLE + 1, &l), 0);
	assert_int_equal(intake_rsession_purge(f->t.db, &lim, T0 + IDLE + 1), 0);
}

/* Cookies that are not ours, and one whose id and key come from two
 * sessions. */
static void test_bad_tokens(void **state)
{
	struct ifx *f = *state;
	char r1[RECEIPT_SHOWN_SIZE], r2[RECEIPT_SHOWN_SIZE];
	char a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1], mix[SESSION_TOKEN_LEN + 1];
	report(f, r1);
	report(f, r2);
	struct intake_rsession sa, sb, l;
	create_ok(f, r1, T0, a, &sa);
	create_ok(f, r2, T0, b, &sb);
	assert_int_not_equal(sa.report_id, sb.report_id);

	/* empty, short, and the right length but not base64url */
	char bang[SESSION_TOKEN_LEN + 1];
	memset(bang, '!', SESSION_TOKEN_LEN);
	bang[SESSION_TOKEN_LEN] = '\0';
	const char *const junk[] = {"", "abc", bang};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(intake_rsession_load(f->t.db, junk[i], &lim, T0, &l), 1);
	assert_int_equal(intake_rsession_load(f->t.db, NULL, &lim, T0, &l), 1);
	char longer[SESSION_TOKEN_LEN + 2];
	snprintf(longer, sizeof longer, "%sA", a);
	assert_int_equal(intake_rsession_load(f->t.db, longer, &lim, T0, &l), 1);
	/* an unknown id of the right shape */
	unsigned char raw[64], rawb[64];
	size_t n;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(mix, sizeof mix, raw, 64, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(intake_rsession_load(f->t.db, mix, &lim, T0, &l), 1);

	/* A's id with B's key: found (the id is A's), but the key does not open */
	assert_int_equal(sodium_base642bin(raw, 64, a, SESSION_TOKEN_LEN, NULL, &n, NULL,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	assert_int_equal(sodium_base642bin(rawb, 64, b, SESSION_TOKEN_LEN, NULL, &n, NULL,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	memcpy(raw + 32, rawb + 32, 32);
	sodium_bin2base64(mix, sizeof mix, raw, 64, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(intake_rsession_load(f->t.db, mix, &lim, T0, &l), 0);
	assert_int_equal(l.report_id, sa.report_id);
	struct intake_key k;
	assert_int_equal(intake_rsession_key(f->t.db, &l, &k), -1);
	static const unsigned char zero[ENVELOPE_KEY_BYTES];
	assert_memory_equal(k.key, zero, sizeof zero);
	/* a session claiming another report does not open either */
	l = sa;
	l.report_id = sb.report_id;
	assert_int_equal(intake_rsession_key(f->t.db, &l, &k), -1);
	/* wrapped keys swapped between the rows: neither opens */
	testdb_exec(f->t.db, "CREATE TEMP TABLE keep AS SELECT id_hash, wrapped_key FROM "
			     "receipt_session; UPDATE receipt_session SET wrapped_key = (SELECT "
			     "wrapped_key FROM keep WHERE keep.id_hash <> receipt_session.id_hash); "
			     "DROP TABLE keep");
	assert_int_equal(ifx_q(f, "SELECT count(DISTINCT wrapped_key) FROM receipt_session"), 2);
	assert_int_equal(intake_rsession_key(f->t.db, &sa, &k), -1);
	assert_int_equal(intake_rsession_key(f->t.db, &sb, &k), -1);
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(rawb, sizeof rawb);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, ifx_setup, ifx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_load_key),
		T(test_create_refused),
		T(test_expiry),
		T(test_destroy_purge),
		T(test_bad_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
