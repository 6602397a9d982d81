/* test_intake_store.c: submitted reports against a real SQLite database
 * (src/intake/store.c): a receipt opens its report, handlers of the
 * organisation (and of a unit's department) open it, nobody else learns it
 * exists; refusals write nothing; tampered blobs do not open; and a marker
 * scan proves that no plaintext of the answers or the identity is in the
 * database file, its WAL, a VACUUM INTO copy or the audit trail.
 *
 * Each test works in its own temporary folder with a fresh database, signing
 * key, the organisations RIJK > FIN > FIN-DGB, RIJK > BZK, RIJK > EZK (no
 * handler), and the accounts below. */
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
#include "base/alloc.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "store/testutil.h"

#define ACTOR "cli:test"
#define PW "paard batterij nietje"
#define ANSWERS "{\"what\":\"iets gezien\",\"when\":\"2026-11-01\"}"
#define BODY_START "{\"v\":1,\"answers\":{"

enum { COORD_FIN, ADV_FIN, COORD_BZK, AUDITOR_FIN, DISABLED_FIN, NACCOUNTS };
static const char *const users[NACCOUNTS] = {"coord.fin", "adv.fin", "coord.bzk", "aud.fin",
					     "gone.fin"};

struct fx {
	struct testfx t;
	int64_t ids[NACCOUNTS];
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char err[600];
	struct account_error e;
	testfx_open(&f->t);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("accounts_init: %s", err);
	testfx_add_org(&f->t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&f->t, "FIN", "RIJK", -1);
	testfx_add_org(&f->t, "FIN-DGB", "FIN", -1);
	testfx_add_org(&f->t, "BZK", "RIJK", -1);
	testfx_add_org(&f->t, "EZK", "RIJK", -1);
	static const struct account_role_spec r_coord_fin = {ROLE_INTEGRITY_COORDINATOR, "FIN"};
	static const struct account_role_spec r_adv_fin = {ROLE_CONFIDENTIAL_ADVISER, "FIN"};
	static const struct account_role_spec r_coord_bzk = {ROLE_INTEGRITY_COORDINATOR, "BZK"};
	static const struct account_role_spec r_aud_fin = {ROLE_AUDITOR, "FIN"};
	const struct account_new n[NACCOUNTS] = {
		{users[COORD_FIN], "Coördinator FIN", PW, &r_coord_fin, 1},
		{users[ADV_FIN], "Vertrouwenspersoon FIN", PW, &r_adv_fin, 1},
		{users[COORD_BZK], "Coördinator BZK", PW, &r_coord_bzk, 1},
		{users[AUDITOR_FIN], "Auditor FIN", PW, &r_aud_fin, 1},
		{users[DISABLED_FIN], "Vertrokken FIN", PW, &r_coord_fin, 1},
	};
	if (accounts_create_batch(f->t.db, &f->t.signer, ACTOR, n, NACCOUNTS, f->ids, &e) != 0)
		fail_msg("accounts: %s", e.msg);
	if (accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, f->ids[DISABLED_FIN], 1, NULL,
				  &e) != 0)
		fail_msg("disable: %s", e.msg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	accounts_shutdown();
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

/* The signed-in secret key of account who (the caller wipes it). */
static void secret_key(struct fx *f, int who, unsigned char sk[ACCOUNT_KEY_BYTES])
{
	struct account a;
	int has_totp;
	time_t until;
	enum account_login r = accounts_login(f->t.db, &f->t.signer, users[who], PW, &a, sk, NULL,
					      &has_totp, &until);
	if (who == DISABLED_FIN) {
		/* a disabled account cannot sign in; take another key to try with */
		assert_int_equal(r, ACCOUNT_LOGIN_DISABLED);
		secret_key(f, COORD_FIN, sk);
		return;
	}
	assert_int_equal(r, ACCOUNT_LOGIN_OK);
}

static struct intake_submission sub(const char *org, const char *mode, const char *answers,
				    const char *identity)
{
	struct intake_submission s = {.org_code = org, .kind = "wrongdoing", .mode = mode,
				      .questionnaire = "melding", .questionnaire_revision = 3,
				      .answers = answers, .answers_len = strlen(answers),
				      .identity = identity};
	return s;
}

static int64_t submit_ok(struct fx *f, const struct intake_submission *s,
			 char receipt[RECEIPT_SHOWN_SIZE])
{
	struct intake_error e;
	int64_t id = 0;
	if (intake_submit(f->t.db, &f->t.signer, s, receipt, &id, &e) != 0)
		fail_msg("submit: %s", e.msg);
	assert_true(id > 0);
	assert_int_equal(strlen(receipt), RECEIPT_SHOWN_SIZE - 1);
	return id;
}

static void assert_audit_ok(struct fx *f)
{
	struct audit_report r;
	int v = audit_verify(f->t.db, f->t.key.pk, &r);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)r.bad_seq, r.reason);
}

static void test_submit_and_receipt(void **state)
{
	struct fx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], today[DATE_LEN + 1], due[DATE_LEN + 1];
	struct intake_submission s = sub("fin", "anonymous", ANSWERS, NULL);
	int64_t id = submit_ok(f, &s, receipt);

	struct intake_report r;
	struct intake_error e;
	assert_int_equal(intake_open_by_receipt(f->t.db, receipt, &r, &e), 0);
	assert_int_equal(r.id, id);
	assert_string_equal(r.org_code, "FIN");
	assert_string_equal(r.kind, "wrongdoing");
	assert_string_equal(r.mode, "anonymous");
	assert_string_equal(r.questionnaire, "melding");
	assert_int_equal(r.questionnaire_revision, 3);
	date_today(today);
	assert_int_equal(intake_ack_due(today, due), 0);
	assert_string_equal(r.received_on, today);
	assert_string_equal(r.ack_due, due);
	assert_string_equal(r.acknowledged_on, "");
	assert_string_equal(r.body, "{\"v\":1,\"answers\":" ANSWERS ",\"identity\":null}");
	assert_int_equal(r.body_len, strlen(r.body));
	intake_report_free(&r);
	assert_null(r.body);

	/* typed back forgivingly: upper case, spaces for dashes */
	char typed[64];
	size_t k = 0;
	for (const char *p = receipt; *p; p++)
		typed[k++] = *p == '-' ? ' ' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	typed[k] = '\0';
	assert_int_equal(intake_open_by_receipt(f->t.db, typed, &r, &e), 0);
	assert_int_equal(r.id, id);
	intake_report_free(&r);

	/* one receipt key and one per live handler (coordinator and adviser) */
	assert_int_equal(q(f, "SELECT count(*) FROM report_key WHERE holder = 'receipt'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM report_key WHERE holder = 'account'"), 2);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'report.receive' "
			      "AND detail = 'kind=wrongdoing mode=anonymous'"), 1);
	sodium_memzero(receipt, sizeof receipt);
	assert_audit_ok(f);
}

static void expect_not_found(struct fx *f, int64_t id, int who)
{
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct intake_report r;
	struct intake_error e;
	secret_key(f, who, sk);
	assert_int_equal(intake_open_as_handler(f->t.db, id, f->ids[who], sk, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_null(r.body);
	sodium_memzero(sk, sizeof sk);
}

static void expect_opens(struct fx *f, int64_t id, int who, const char *org)
{
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct intake_report r;
	struct intake_error e;
	secret_key(f, who, sk);
	if (intake_open_as_handler(f->t.db, id, f->ids[who], sk, &r, &e) != 0)
		fail_msg("%s opens %lld: %s", users[who], (long long)id, e.msg);
	assert_int_equal(r.id, id);
	assert_string_equal(r.org_code, org);
	assert_int_equal(strncmp(r.body, BODY_START, strlen(BODY_START)), 0);
	intake_report_free(&r);
	sodium_memzero(sk, sizeof sk);
}

static void test_handlers(void **state)
{
	struct fx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = sub("FIN", "open", ANSWERS, "Jan Jansen");
	int64_t id = submit_ok(f, &s, receipt);

	expect_opens(f, id, COORD_FIN, "FIN");
	expect_opens(f, id, ADV_FIN, "FIN");
	expect_not_found(f, id, COORD_BZK);
	expect_not_found(f, id, AUDITOR_FIN);
	expect_not_found(f, id, DISABLED_FIN);
	/* a report that does not exist answers the same */
	expect_not_found(f, id + 100, COORD_FIN);

	/* the right row with the wrong secret key does not open */
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct intake_report r;
	struct intake_error e;
	secret_key(f, COORD_BZK, sk);
	assert_int_equal(intake_open_as_handler(f->t.db, id, f->ids[COORD_FIN], sk, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	sodium_memzero(sk, sizeof sk);

	/* inboxes: FIN's handlers hold it, nobody else */
	struct intake_inbox_item it[4];
	size_t n, total;
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 4, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(it[0].id, id);
	assert_string_equal(it[0].mode, "open");
	assert_int_equal(strlen(it[0].ack_due), DATE_LEN);
	for (int w = COORD_BZK; w < NACCOUNTS; w++) {
		assert_int_equal(intake_inbox(f->t.db, f->ids[w], it, 4, &n, &total), 0);
		assert_int_equal(n, 0);
	}
	assert_audit_ok(f);
}

static void test_unit_reaches_department(void **state)
{
	struct fx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = sub("FIN-DGB", "confidential", ANSWERS, "Piet");
	int64_t id1 = submit_ok(f, &s, receipt);
	s = sub("FIN", "anonymous", ANSWERS, NULL);
	int64_t id2 = submit_ok(f, &s, receipt);
	/* an earlier receipt date comes first in the inbox */
	testdb_exec(f->t.db, "UPDATE report SET received_on = '2026-01-05' WHERE id = 2");

	expect_opens(f, id1, COORD_FIN, "FIN-DGB");
	expect_opens(f, id1, ADV_FIN, "FIN-DGB");
	expect_not_found(f, id1, COORD_BZK);

	struct intake_inbox_item it[4];
	size_t n, total;
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 4, &n, &total), 0);
	assert_int_equal(n, 2);
	assert_int_equal(it[0].id, id2);
	assert_string_equal(it[0].ack_due, "2026-01-12");
	assert_int_equal(it[1].id, id1);
	assert_string_equal(it[1].org_code, "FIN-DGB");
	/* cap smaller than the count: total still says how many */
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 1, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	assert_int_equal(it[0].id, id2);
}

struct counts {
	int64_t reports, keys, audit;
};

static struct counts counts(struct fx *f)
{
	struct counts c = {q(f, "SELECT count(*) FROM report"),
			   q(f, "SELECT count(*) FROM report_key"),
			   q(f, "SELECT count(*) FROM audit_log")};
	return c;
}

static void expect_refused(struct fx *f, const struct intake_submission *s, int code)
{
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_error e;
	int64_t id = 77;
	struct counts before = counts(f);
	memset(receipt, 'x', sizeof receipt);
	assert_int_equal(intake_submit(f->t.db, &f->t.signer, s, receipt, &id, &e), -1);
	assert_int_equal(e.code, code);
	assert_int_equal(id, 0);
	for (size_t i = 0; i < sizeof receipt; i++)
		assert_int_equal(receipt[i], 0);
	struct counts after = counts(f);
	assert_int_equal(after.reports, before.reports);
	assert_int_equal(after.keys, before.keys);
	assert_int_equal(after.audit, before.audit);
}

static void test_no_handler(void **state)
{
	struct fx *f = *state;
	struct intake_submission s = sub("EZK", "anonymous", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_ECONFLICT);
	/* the government row has no handler either */
	s = sub("RIJK", "anonymous", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_ECONFLICT);
	assert_int_equal(q(f, "SELECT count(*) FROM report"), 0);
	assert_audit_ok(f);
}

static void test_bad_input(void **state)
{
	struct fx *f = *state;
	struct intake_submission s = sub("NOPE", "anonymous", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_ENOTFOUND);
	s = sub("FIN", "anonymous", ANSWERS, NULL);
	s.kind = "gossip";
	expect_refused(f, &s, INTAKE_EINVALID);
	s = sub("FIN", "secret", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	s = sub("FIN", "anonymous", ANSWERS, "Jan Jansen");  /* anonymous with a name */
	expect_refused(f, &s, INTAKE_EINVALID);
	s = sub("FIN", "anonymous", "[1,2]", NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	s = sub("FIN", "anonymous", "{\"a\":\"\xc3\x28\"}", NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	s = sub("FIN", "open", ANSWERS, "\xff\xfe");
	expect_refused(f, &s, INTAKE_EINVALID);

	size_t big = INTAKE_ANSWERS_MAX + 1;
	char *a = xmalloc(big + 1);
	memset(a, ' ', big);
	a[0] = '{';
	a[big - 1] = '}';
	a[big] = '\0';
	s = sub("FIN", "anonymous", a, NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	/* exactly at the limit is taken */
	s.answers_len = INTAKE_ANSWERS_MAX;
	a[INTAKE_ANSWERS_MAX - 1] = '}';
	char receipt[RECEIPT_SHOWN_SIZE];
	submit_ok(f, &s, receipt);
	free(a);
	assert_int_equal(q(f, "SELECT count(*) FROM report"), 1);
	assert_audit_ok(f);
}

static void test_receipt_errors(void **state)
{
	struct fx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], other[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = sub("FIN", "anonymous", ANSWERS, NULL);
	submit_ok(f, &s, receipt);
	struct intake_report r;
	struct intake_error e;

	/* one symbol changed: the check catches it before any lookup */
	receipt[0] = receipt[0] == '0' ? '1' : '0';
	assert_int_equal(intake_open_by_receipt(f->t.db, receipt, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EMISTYPED);
	assert_null(r.body);
	/* well formed, but no report has it */
	receipt_generate(other);
	assert_int_equal(intake_open_by_receipt(f->t.db, other, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_int_equal(intake_open_by_receipt(f->t.db, "hello", &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	assert_int_equal(intake_open_by_receipt(f->t.db, "", &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
}

/* Flips one bit of byte at of the one blob that sel reads, writing it back
 * with upd (one parameter). */
static void flip(struct fx *f, const char *sel, const char *upd, size_t at)
{
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, sel, &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	size_t n = db_col_bytes(st, 0);
	assert_true(at < n);
	unsigned char *b = xmalloc(n);
	memcpy(b, db_col_blob(st, 0), n);
	db_finalize(st);
	b[at] ^= 1;
	assert_int_equal(db_prepare(f->t.db, upd, &st), 0);
	assert_int_equal(db_bind_blob(st, 1, b, n), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	free(b);
}

static void expect_damaged(struct fx *f, int64_t id, const char *receipt)
{
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct intake_report r;
	struct intake_error e;
	assert_int_equal(intake_open_by_receipt(f->t.db, receipt, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_null(r.body);
	secret_key(f, COORD_FIN, sk);
	assert_int_equal(intake_open_as_handler(f->t.db, id, f->ids[COORD_FIN], sk, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	sodium_memzero(sk, sizeof sk);
}

static void test_tamper(void **state)
{
	struct fx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = sub("FIN", "anonymous", ANSWERS, NULL);
	int64_t id = submit_ok(f, &s, receipt);
	testdb_exec(f->t.db, "CREATE TABLE keep AS SELECT body FROM report");

	/* one byte of the body's ciphertext flipped */
	flip(f, "SELECT body FROM report", "UPDATE report SET body = ?", 40);
	assert_int_equal(q(f, "SELECT body = (SELECT body FROM keep) FROM report"), 0);
	expect_damaged(f, id, receipt);
	testdb_exec(f->t.db, "UPDATE report SET body = (SELECT body FROM keep)");
	expect_opens(f, id, COORD_FIN, "FIN");

	/* the receipt's sealed key changed: only the receipt stops opening */
	flip(f, "SELECT sealed FROM report_key WHERE holder = 'receipt'",
	     "UPDATE report_key SET sealed = ? WHERE holder = 'receipt'", 30);
	struct intake_report r;
	struct intake_error e;
	assert_int_equal(intake_open_by_receipt(f->t.db, receipt, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	expect_opens(f, id, COORD_FIN, "FIN");
	/* the coordinator's sealed key changed */
	char sql[160], upd[160];
	snprintf(sql, sizeof sql, "SELECT sealed FROM report_key WHERE account_id = %lld",
		 (long long)f->ids[COORD_FIN]);
	snprintf(upd, sizeof upd, "UPDATE report_key SET sealed = ? WHERE account_id = %lld",
		 (long long)f->ids[COORD_FIN]);
	flip(f, sql, upd, 60);
	expect_damaged(f, id, receipt);
	expect_opens(f, id, ADV_FIN, "FIN");
	testdb_exec(f->t.db, "DROP TABLE keep");
}

/* 1 if needle occurs in hay[0..n). */
static int contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

/* Fails if a marker is in the file at path; returns 1 if the file holds the
 * plaintext "report.receive" (the audit entry: proof the scan sees the
 * data), 0 if not or if there is no such file. */
static int scan_file(const char *path, const char *const *markers, size_t nm)
{
	size_t n = 0;
	unsigned char *b = (unsigned char *)read_file_bytes(path, &n);
	if (!b) {
		assert_false(path_exists(path));
		return 0;
	}
	int seen = contains(b, n, "report.receive");
	for (size_t i = 0; i < nm; i++)
		if (contains(b, n, markers[i]))
			fail_msg("marker %s found in %s", markers[i], path);
	free(b);
	return seen;
}

static void test_marker_scan(void **state)
{
	struct fx *f = *state;
	static const char *const markers[] = {"QZXMARKERANSWER7731", "QZXMARKERNAME4419",
					      "QZXMARKER"};
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s =
		sub("FIN-DGB", "confidential",
		    "{\"what\":\"QZXMARKERANSWER7731 zag het\",\"who\":\"QZXMARKERANSWER7731\"}",
		    "Mr. QZXMARKERNAME4419 <qzxmarkername4419@example.nl>");
	int64_t id = submit_ok(f, &s, receipt);

	/* the marker is in there, for whoever holds a key */
	struct intake_report r;
	struct intake_error e;
	assert_int_equal(intake_open_by_receipt(f->t.db, receipt, &r, &e), 0);
	assert_non_null(strstr(r.body, "QZXMARKERANSWER7731 zag het"));
	assert_non_null(strstr(r.body, "\"identity\":\"Mr. QZXMARKERNAME4419"));
	intake_report_free(&r);
	expect_opens(f, id, ADV_FIN, "FIN-DGB");

	char *walpath = xasprintf("%s-wal", f->t.db_path);
	int seen = scan_file(f->t.db_path, markers, 3) + scan_file(walpath, markers, 3);
	assert_true(seen > 0);
	char *copy = tmpdir_path(f->t.dir, "copy.db");
	char *sql = xasprintf("VACUUM INTO '%s'", copy);
	testdb_exec(f->t.db, sql);
	assert_true(path_exists(copy));
	assert_int_equal(scan_file(copy, markers, 3), 1);
	/* the case folded marker is not there either (identity in lower case) */
	static const char *const lower[] = {"qzxmarker"};
	scan_file(f->t.db_path, lower, 1);
	scan_file(walpath, lower, 1);
	scan_file(copy, lower, 1);

	/* the audit trail verifies and names no content */
	assert_audit_ok(f);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE "
			      "instr(lower(coalesce(actor, '') || action || coalesce(object_type, '') "
			      "|| coalesce(object_id, '') || coalesce(detail, '')), 'qzxmarker') > 0"),
			 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'report.receive' "
			      "AND detail = 'kind=wrongdoing mode=confidential'"), 1);
	free(sql);
	free(copy);
	free(walpath);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_submit_and_receipt),
		T(test_handlers),
		T(test_unit_reaches_department),
		T(test_no_handler),
		T(test_bad_input),
		T(test_receipt_errors),
		T(test_tamper),
		T(test_marker_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
