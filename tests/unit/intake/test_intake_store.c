/* test_intake_store.c: submitted reports against a real SQLite database
 * (src/intake/store.c): a receipt opens its report, handlers of the
 * organisation (and of a unit's department) open it, nobody else learns it
 * exists; a recused handler gets no key; the recovery key gets a copy when
 * one is configured; registered reports; attachments and their limits;
 * refusals write nothing; tampered or swapped blobs do not open; the inbox's
 * order; and a marker scan proves that no plaintext of the answers, the
 * identity, attachments, messages or notes is in the database file, its WAL,
 * a VACUUM INTO copy or the audit trail.
 *
 * Each test works in its own temporary folder (intakefx.h). */
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
#include "crypto/envelope.h"
#include "crypto/vault.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "intakefx.h"
#include "store/testutil.h"

#define ANSWERS "{\"what\":\"iets gezien\",\"when\":\"2026-11-01\"}"
#define BODY_START "{\"v\":1,\"answers\":{"

static void test_submit_and_receipt(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], today[DATE_LEN + 1], due[DATE_LEN + 1];
	struct intake_submission s = ifx_sub("fin", "anonymous", ANSWERS, NULL);
	int64_t id = ifx_submit(f, &s, receipt);

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
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report_key WHERE holder = 'receipt'"), 1);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report_key WHERE holder = 'account'"), 2);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'report.receive' "
			      "AND detail = 'kind=wrongdoing mode=anonymous'"), 1);
	sodium_memzero(receipt, sizeof receipt);
	ifx_audit_ok(f);
}

static void expect_not_found(struct ifx *f, int64_t id, int who)
{
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct intake_report r;
	struct intake_error e;
	memcpy(sk, ifx_sk(f, who), sizeof sk);
	assert_int_equal(intake_open_as_handler(f->t.db, id, f->ids[who], sk, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_null(r.body);
	sodium_memzero(sk, sizeof sk);
}

static void expect_opens(struct ifx *f, int64_t id, int who, const char *org)
{
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct intake_report r;
	struct intake_error e;
	memcpy(sk, ifx_sk(f, who), sizeof sk);
	if (intake_open_as_handler(f->t.db, id, f->ids[who], sk, &r, &e) != 0)
		fail_msg("%s opens %lld: %s", ifx_users[who], (long long)id, e.msg);
	assert_int_equal(r.id, id);
	assert_string_equal(r.org_code, org);
	assert_int_equal(strncmp(r.body, BODY_START, strlen(BODY_START)), 0);
	intake_report_free(&r);
	sodium_memzero(sk, sizeof sk);
}

static void test_handlers(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN", "open", ANSWERS, "Jan Jansen");
	int64_t id = ifx_submit(f, &s, receipt);

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
	memcpy(sk, ifx_sk(f, COORD_BZK), sizeof sk);
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
	ifx_audit_ok(f);
}

static void test_unit_reaches_department(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN-DGB", "confidential", ANSWERS, "Piet");
	int64_t id1 = ifx_submit(f, &s, receipt);
	s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	int64_t id2 = ifx_submit(f, &s, receipt);
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
	int64_t reports, keys, audit, files;
};

static struct counts counts(struct ifx *f)
{
	struct counts c = {ifx_q(f, "SELECT count(*) FROM report"),
			   ifx_q(f, "SELECT count(*) FROM report_key"),
			   ifx_q(f, "SELECT count(*) FROM audit_log"),
			   ifx_q(f, "SELECT count(*) FROM report_attachment")};
	return c;
}

static void expect_refused(struct ifx *f, const struct intake_submission *s, int code)
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
	assert_int_equal(after.files, before.files);
}

static void test_no_handler(void **state)
{
	struct ifx *f = *state;
	struct intake_submission s = ifx_sub("EZK", "anonymous", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_ECONFLICT);
	/* the government row has no handler either */
	s = ifx_sub("RIJK", "anonymous", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_ECONFLICT);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report"), 0);
	ifx_audit_ok(f);
}

static void test_bad_input(void **state)
{
	struct ifx *f = *state;
	struct intake_submission s = ifx_sub("NOPE", "anonymous", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_ENOTFOUND);
	s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	s.kind = "gossip";
	expect_refused(f, &s, INTAKE_EINVALID);
	s = ifx_sub("FIN", "secret", ANSWERS, NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	s = ifx_sub("FIN", "anonymous", ANSWERS, "Jan Jansen");  /* anonymous with a name */
	expect_refused(f, &s, INTAKE_EINVALID);
	s = ifx_sub("FIN", "anonymous", "[1,2]", NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	s = ifx_sub("FIN", "anonymous", "{\"a\":\"\xc3\x28\"}", NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	s = ifx_sub("FIN", "open", ANSWERS, "\xff\xfe");
	expect_refused(f, &s, INTAKE_EINVALID);

	size_t big = INTAKE_ANSWERS_MAX + 1;
	char *a = xmalloc(big + 1);
	memset(a, ' ', big);
	a[0] = '{';
	a[big - 1] = '}';
	a[big] = '\0';
	s = ifx_sub("FIN", "anonymous", a, NULL);
	expect_refused(f, &s, INTAKE_EINVALID);
	/* exactly at the limit is taken */
	s.answers_len = INTAKE_ANSWERS_MAX;
	a[INTAKE_ANSWERS_MAX - 1] = '}';
	char receipt[RECEIPT_SHOWN_SIZE];
	ifx_submit(f, &s, receipt);
	free(a);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report"), 1);
	ifx_audit_ok(f);
}

static void test_receipt_errors(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], other[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	ifx_submit(f, &s, receipt);
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
static void flip(struct ifx *f, const char *sel, const char *upd, size_t at)
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

static void expect_damaged(struct ifx *f, int64_t id, const char *receipt)
{
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct intake_report r;
	struct intake_error e;
	assert_int_equal(intake_open_by_receipt(f->t.db, receipt, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_null(r.body);
	memcpy(sk, ifx_sk(f, COORD_FIN), sizeof sk);
	assert_int_equal(intake_open_as_handler(f->t.db, id, f->ids[COORD_FIN], sk, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	sodium_memzero(sk, sizeof sk);
}

static void test_tamper(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	int64_t id = ifx_submit(f, &s, receipt);
	testdb_exec(f->t.db, "CREATE TABLE keep AS SELECT body FROM report");

	/* one byte of the body's ciphertext flipped */
	flip(f, "SELECT body FROM report", "UPDATE report SET body = ?", 40);
	assert_int_equal(ifx_q(f, "SELECT body = (SELECT body FROM keep) FROM report"), 0);
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
	int seen = ifx_contains(b, n, "report.receive");
	for (size_t i = 0; i < nm; i++)
		if (ifx_contains(b, n, markers[i]))
			fail_msg("marker %s found in %s", markers[i], path);
	free(b);
	return seen;
}

static void test_marker_scan(void **state)
{
	struct ifx *f = *state;
	static const char *const markers[] = {"QZXMARKERANSWER7731", "QZXMARKERNAME4419",
					      "QZXMARKERFILE", "QZXMARKERBYTES", "QZXMARKERMSG",
					      "QZXMARKERNOTE", "QZXMARKER"};
	const size_t nm = sizeof markers / sizeof markers[0];
	static const char bytes[] = "%PDF-1.4 QZXMARKERBYTES QZXMARKERBYTES";
	const struct intake_file file = {(const unsigned char *)bytes, sizeof bytes - 1,
					 "application/pdf", "QZXMARKERFILE notes.pdf"};
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s =
		ifx_sub("FIN-DGB", "confidential",
			"{\"what\":\"QZXMARKERANSWER7731 zag het\",\"who\":\"QZXMARKERANSWER7731\"}",
			"Mr. QZXMARKERNAME4419 <qzxmarkername4419@example.nl>");
	s.files = &file;
	s.nfiles = 1;
	int64_t id = ifx_submit(f, &s, receipt);

	/* the conversation and a note carry markers too */
	struct intake_key k;
	struct intake_error e;
	static const char msg[] = "QZXMARKERMSG: er is meer";
	static const char note[] = "QZXMARKERNOTE: bellen";
	const struct intake_file reply = {(const unsigned char *)"QZXMARKERBYTES", 14,
					  "text/plain", "QZXMARKERFILE antwoord.txt"};
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &k, &e), 0);
	assert_int_equal(intake_message_add(f->t.db, &f->t.signer, &k, 0, msg, strlen(msg), NULL, 0,
					    NULL, &e), 0);
	intake_key_wipe(&k);
	ifx_key(f, id, COORD_FIN, &k);
	assert_int_equal(intake_message_add(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN], msg,
					    strlen(msg), &reply, 1, NULL, &e), 0);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN], note,
					 strlen(note), NULL, &e), 0);
	intake_key_wipe(&k);

	/* the markers are in there, for whoever holds a key */
	struct intake_report r;
	assert_int_equal(intake_open_by_receipt(f->t.db, receipt, &r, &e), 0);
	assert_non_null(strstr(r.body, "QZXMARKERANSWER7731 zag het"));
	assert_non_null(strstr(r.body, "\"identity\":\"Mr. QZXMARKERNAME4419"));
	assert_int_equal(r.nattachments, 2);
	intake_report_free(&r);
	expect_opens(f, id, ADV_FIN, "FIN-DGB");

	/* the audit trail verifies and names no content */
	ifx_audit_ok(f);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM audit_log WHERE "
				  "instr(lower(coalesce(actor, '') || action || "
				  "coalesce(object_type, '') || coalesce(object_id, '') || "
				  "coalesce(detail, '')), 'qzxmarker') > 0"),
			 0);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'report.receive' "
				  "AND detail = 'kind=wrongdoing mode=confidential'"), 1);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM audit_log WHERE action IN "
				  "('report.message', 'report.note')"), 3);

	/* and the files hold none of it in the clear */
	if (!testdb_sqlite_part("scans SQLite's database file, log and VACUUM INTO copy; "
				"the browser suite scans a pg_dump on PostgreSQL"))
		return;
	char *walpath = xasprintf("%s-wal", f->t.db_path);
	int seen = scan_file(f->t.db_path, markers, nm) + scan_file(walpath, markers, nm);
	assert_true(seen > 0);
	/* after a checkpoint everything is in the database file itself */
	testdb_exec(f->t.db, "PRAGMA wal_checkpoint(TRUNCATE)");
	assert_int_equal(scan_file(f->t.db_path, markers, nm), 1);
	char *copy = tmpdir_path(f->t.dir, "copy.db");
	char *sql = xasprintf("VACUUM INTO '%s'", copy);
	testdb_exec(f->t.db, sql);
	assert_true(path_exists(copy));
	assert_int_equal(scan_file(copy, markers, nm), 1);
	/* the case folded marker is not there either (identity in lower case) */
	static const char *const lower[] = {"qzxmarker"};
	scan_file(f->t.db_path, lower, 1);
	scan_file(walpath, lower, 1);
	scan_file(copy, lower, 1);
	free(sql);
	free(copy);
	free(walpath);
}

/* ---- recipients, recusal, the recovery key, registered reports ---- */

static void test_recipients(void **state)
{
	struct ifx *f = *state;
	struct intake_recipient r[4];
	size_t n = 9;
	/* the handlers, by display name; not the auditor, the managers, the
	 * disabled coordinator or BZK's coordinator */
	assert_int_equal(intake_recipients(f->t.db, "FIN", r, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].account_id, f->ids[COORD_FIN]);
	assert_string_equal(r[0].display_name, "Coördinator FIN");
	assert_int_equal(r[0].role, ROLE_INTEGRITY_COORDINATOR);
	assert_string_equal(r[0].org_code, "FIN");
	assert_int_equal(r[1].account_id, f->ids[ADV_FIN]);
	assert_int_equal(r[1].role, ROLE_CONFIDENTIAL_ADVISER);
	/* a unit reaches its department's handlers */
	assert_int_equal(intake_recipients(f->t.db, "fin-dgb", r, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r[1].org_code, "FIN");
	/* cap */
	assert_int_equal(intake_recipients(f->t.db, "FIN", r, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].account_id, f->ids[COORD_FIN]);
	/* nobody; an unknown organisation */
	assert_int_equal(intake_recipients(f->t.db, "EZK", r, 4, &n), 0);
	assert_int_equal(n, 0);
	n = 9;
	assert_int_equal(intake_recipients(f->t.db, "NOPE", r, 4, &n), 0);
	assert_int_equal(n, 0);
	/* an account with two handler roles is listed once, its own row first */
	struct account_error ae;
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, "cli:test", f->ids[ADV_FIN],
					   ROLE_INTEGRITY_COORDINATOR, "FIN-DGB", &ae), 0);
	assert_int_equal(intake_recipients(f->t.db, "FIN-DGB", r, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[1].account_id, f->ids[ADV_FIN]);
	assert_int_equal(r[1].role, ROLE_INTEGRITY_COORDINATOR);
	assert_string_equal(r[1].org_code, "FIN-DGB");
}

static void test_recusal(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], detail[80];
	struct intake_submission s = ifx_sub("FIN", "open", ANSWERS, "QZXRECUSER Jansen");
	const int64_t adv = f->ids[ADV_FIN];
	s.recused = &adv;
	s.nrecused = 1;
	int64_t id = ifx_submit(f, &s, receipt);

	expect_opens(f, id, COORD_FIN, "FIN");
	expect_not_found(f, id, ADV_FIN);
	struct intake_key k;
	struct intake_error e;
	assert_int_equal(intake_key_as_handler(f->t.db, id, adv, ifx_sk(f, ADV_FIN), &k, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_int_equal(k.report_id, 0);
	/* not in the adviser's inbox, and the receipt still opens it */
	struct intake_inbox_item it[2];
	size_t n;
	assert_int_equal(intake_inbox(f->t.db, adv, it, 2, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &k, &e), 0);
	intake_key_wipe(&k);

	/* one recusal entry naming the report and the account, nothing else */
	snprintf(detail, sizeof detail, "report %lld account %lld", (long long)id, (long long)adv);
	char *sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'report.recuse' AND "
			      "detail = '%s' AND actor = 'reporter' AND object_id = '%lld'",
			      detail, (long long)id);
	assert_int_equal(ifx_q(f, sql), 1);
	free(sql);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'report.recuse'"),
			 1);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM audit_log WHERE instr(lower(coalesce(detail, "
				  "'') || actor), 'qzxrecuser') > 0"), 0);
	ifx_audit_ok(f);

	/* someone who is not a recipient (another organisation's, the auditor,
	 * the disabled one) cannot be excluded: refused, nothing written */
	const int64_t bad[] = {f->ids[COORD_BZK], f->ids[AUDITOR_FIN], f->ids[DISABLED_FIN], 999};
	for (size_t i = 0; i < 4; i++) {
		s.recused = &bad[i];
		expect_refused(f, &s, INTAKE_EINVALID);
	}
	/* excluding everyone leaves nobody */
	const int64_t all[] = {f->ids[COORD_FIN], adv};
	s.recused = all;
	s.nrecused = 2;
	expect_refused(f, &s, INTAKE_ECONFLICT);
	/* a unit's report: recusing the department's adviser works the same */
	s = ifx_sub("FIN-DGB", "anonymous", ANSWERS, NULL);
	s.recused = &adv;
	s.nrecused = 1;
	id = ifx_submit(f, &s, receipt);
	expect_not_found(f, id, ADV_FIN);
	expect_opens(f, id, COORD_FIN, "FIN-DGB");
}

static void test_recovery_key(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	/* none configured: no recovery copy */
	int64_t id1 = ifx_submit(f, &s, receipt);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report_key WHERE holder = 'recovery'"), 0);

	/* a retired key and a current one: only the current one gets a copy */
	unsigned char pk[32], sk[32], old_pk[32], old_sk[32];
	vault_keypair(old_pk, old_sk);
	vault_keypair(pk, sk);
	db_stmt_t *st;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(db_prepare(f->t.db, "INSERT INTO recovery_key (id, public_key, k, n, "
					    "created_at, retired_at) VALUES (?, ?, 2, 3, "
					    "'2026-01-01T00:00:00Z', ?)", &st), 0);
		assert_int_equal(db_bind_i64(st, 1, i + 1), 0);
		assert_int_equal(db_bind_blob(st, 2, i ? pk : old_pk, 32), 0);
		assert_int_equal(i ? db_bind_null(st, 3)
				   : db_bind_text(st, 3, "2026-02-01T00:00:00Z", (size_t)-1), 0);
		assert_int_equal(db_step(st), DB_DONE);
		db_finalize(st);
	}
	int64_t id2 = ifx_submit(f, &s, receipt);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report_key WHERE holder = 'recovery'"), 1);
	char *sql = xasprintf("SELECT recovery_key_id FROM report_key WHERE holder = 'recovery' "
			      "AND report_id = %lld AND account_id IS NULL", (long long)id2);
	assert_int_equal(ifx_q(f, sql), 2);
	free(sql);

	/* the recovery key's secret half opens the same report key */
	struct intake_key hk, rk;
	ifx_key(f, id2, COORD_FIN, &hk);
	assert_int_equal(db_prepare(f->t.db, "SELECT sealed FROM report_key WHERE holder = "
				    "'recovery'", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_RECOVERY, pk, sk, id2, db_col_blob(st, 0),
					       db_col_bytes(st, 0), rk.key), 0);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_RECOVERY, old_pk, old_sk, id2,
					       db_col_blob(st, 0), db_col_bytes(st, 0), rk.key),
			 -1);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_RECOVERY, pk, sk, id2, db_col_blob(st, 0),
					       db_col_bytes(st, 0), rk.key), 0);
	db_finalize(st);
	assert_memory_equal(rk.key, hk.key, ENVELOPE_KEY_BYTES);
	rk.report_id = id2;
	struct intake_report r;
	struct intake_error e;
	assert_int_equal(intake_read(f->t.db, &rk, &r, &e), 0);
	assert_string_equal(r.body, "{\"v\":1,\"answers\":" ANSWERS ",\"identity\":null}");
	intake_report_free(&r);
	intake_key_wipe(&rk);
	intake_key_wipe(&hk);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(old_sk, sizeof old_sk);
	(void)id1;

	/* a damaged recovery key refuses the report rather than storing it
	 * without its recovery copy */
	testdb_exec(f->t.db, "UPDATE recovery_key SET public_key = X'"
			     "0000000000000000000000000000000000000000000000000000000000000000' "
			     "WHERE id = 2");
	expect_refused(f, &s, INTAKE_EDAMAGED);
}

static void test_registered(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN", "open", ANSWERS, "Jan Jansen");
	s.registered_by = f->ids[MANAGER_FIN];
	int64_t id = ifx_submit(f, &s, receipt);

	struct intake_key k;
	struct intake_report r;
	struct intake_error e;
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &k, &e), 0);
	assert_int_equal(k.report_id, id);
	assert_int_equal(intake_read(f->t.db, &k, &r, &e), 0);
	assert_int_equal(r.registered_by, f->ids[MANAGER_FIN]);
	assert_string_equal(r.record_agreed_on, "");
	intake_report_free(&r);
	intake_key_wipe(&k);
	/* the manager writes it down but is no handler: no key of its own */
	char *sql = xasprintf("SELECT count(*) FROM report_key WHERE account_id = %lld",
			      (long long)f->ids[MANAGER_FIN]);
	assert_int_equal(ifx_q(f, sql), 0);
	free(sql);
	sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'report.receive' AND "
			"actor = 'user:%lld'", (long long)f->ids[MANAGER_FIN]);
	assert_int_equal(ifx_q(f, sql), 1);
	free(sql);
	struct intake_inbox_item it[2];
	size_t n;
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 2, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(it[0].registered, 1);

	/* the adviser may; so may FIN's manager for a unit of FIN */
	s.registered_by = f->ids[ADV_FIN];
	ifx_submit(f, &s, receipt);
	s = ifx_sub("FIN-DGB", "anonymous", ANSWERS, NULL);
	s.registered_by = f->ids[MANAGER_FIN];
	ifx_submit(f, &s, receipt);
	/* others may not: another organisation's manager, a coordinator, the
	 * auditor, a disabled account, nobody */
	s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	const int who[] = {MANAGER_BZK, COORD_FIN, AUDITOR_FIN, DISABLED_FIN};
	for (size_t i = 0; i < 4; i++) {
		s.registered_by = f->ids[who[i]];
		expect_refused(f, &s, INTAKE_EINVALID);
	}
	s.registered_by = 4242;
	expect_refused(f, &s, INTAKE_EINVALID);
	s.registered_by = -1;
	expect_refused(f, &s, INTAKE_EINVALID);
	/* the disabled account is a coordinator anyway; make it a manager to
	 * see that being disabled is what refuses it */
	struct account_error ae;
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, "cli:test", f->ids[DISABLED_FIN],
					   ROLE_MANAGER, "FIN", &ae), 0);
	s.registered_by = f->ids[DISABLED_FIN];
	expect_refused(f, &s, INTAKE_EINVALID);
	ifx_audit_ok(f);
}

/* ---- attachments with a submission ---- */

static void test_submit_files(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	static const unsigned char pdf[] = "%PDF-1.7 stukje";
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n....";
	const struct intake_file files[2] = {
		{pdf, sizeof pdf - 1, "application/pdf", "verslag \"mei\" 2026.pdf"},
		{png, sizeof png - 1, "image/png", "foto \xc3\xa9\xc3\xa9n.png"},
	};
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	s.files = files;
	s.nfiles = 2;
	int64_t id = ifx_submit(f, &s, receipt);

	struct intake_key k;
	struct intake_error e;
	struct intake_attachment a[4];
	size_t n;
	ifx_key(f, id, ADV_FIN, &k);
	assert_int_equal(intake_attachments(f->t.db, &k, a, 4, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].name, "verslag \"mei\" 2026.pdf");
	assert_string_equal(a[0].mime, "application/pdf");
	assert_int_equal(a[0].size, sizeof pdf - 1);
	assert_int_equal(a[0].message_id, 0);
	assert_int_equal(a[0].from_reporter, 1);
	assert_int_equal(strlen(a[0].created_at), 16);
	assert_string_equal(a[1].name, "foto \xc3\xa9\xc3\xa9n.png");
	assert_string_equal(a[1].mime, "image/png");

	unsigned char *data;
	size_t len;
	struct intake_attachment info;
	assert_int_equal(intake_attachment_get(f->t.db, &k, a[1].id, &info, &data, &len, &e), 0);
	assert_int_equal(len, sizeof png - 1);
	assert_memory_equal(data, png, len);
	assert_string_equal(info.name, a[1].name);
	vault_secure_free(data);
	intake_key_wipe(&k);
	ifx_audit_ok(f);
}

static void test_submit_file_limits(void **state)
{
	struct ifx *f = *state;
	/* one buffer serves for every size: only lengths differ */
	unsigned char *big = xcalloc(1, INTAKE_FILE_MAX + 1);
	struct intake_file files[INTAKE_FILES_MAX + 1];
	for (size_t i = 0; i < INTAKE_FILES_MAX + 1; i++)
		files[i] = (struct intake_file){big, 1, "application/pdf", "a.pdf"};
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	s.files = files;

	s.nfiles = INTAKE_FILES_MAX + 1;       /* too many */
	expect_refused(f, &s, INTAKE_EINVALID);
	s.nfiles = 1;
	files[0].len = INTAKE_FILE_MAX + 1;    /* one too large */
	expect_refused(f, &s, INTAKE_EINVALID);
	files[0].len = 0;                      /* empty */
	expect_refused(f, &s, INTAKE_EINVALID);
	files[0].len = 1;
	s.nfiles = 3;                          /* together too large: 3 x 9 MiB */
	for (int i = 0; i < 3; i++)
		files[i].len = 9u << 20;
	expect_refused(f, &s, INTAKE_EINVALID);
	for (int i = 0; i < 3; i++)
		files[i].len = 1;
	static const char *const bad_names[] = {"", "../etc/passwd", "a\\b.pdf", "tab\there",
						"\xff.pdf", "c1\xc2\x85.pdf"};
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		files[0].name = bad_names[i];
		expect_refused(f, &s, INTAKE_EINVALID);
	}
	char longname[INTAKE_FILENAME_MAX + 2];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	files[0].name = longname;
	expect_refused(f, &s, INTAKE_EINVALID);
	files[0].name = "a.pdf";
	static const char *const bad_types[] = {"", "pdf", "text/plain; x=\"y\"", NULL};
	for (size_t i = 0; i < 4; i++) {
		files[0].mime = bad_types[i];
		expect_refused(f, &s, INTAKE_EINVALID);
	}
	files[0].mime = "application/pdf";
	s.files = NULL;                        /* a count without files */
	expect_refused(f, &s, INTAKE_EINVALID);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report"), 0);

	/* at the limits is taken: 10 files, together exactly 25 MiB, two of
	 * them exactly 10 MiB */
	s.files = files;
	s.nfiles = INTAKE_FILES_MAX;
	files[0].len = files[1].len = INTAKE_FILE_MAX;
	files[2].len = INTAKE_FILES_TOTAL - 2 * INTAKE_FILE_MAX - (INTAKE_FILES_MAX - 3);
	longname[INTAKE_FILENAME_MAX] = '\0';
	files[3].name = longname;
	char receipt[RECEIPT_SHOWN_SIZE];
	int64_t id = ifx_submit(f, &s, receipt);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM report_attachment"), INTAKE_FILES_MAX);
	struct intake_key k;
	struct intake_error e;
	unsigned char *data;
	size_t len;
	struct intake_attachment info;
	ifx_key(f, id, COORD_FIN, &k);
	int64_t first = ifx_q(f, "SELECT min(id) FROM report_attachment");
	assert_int_equal(intake_attachment_get(f->t.db, &k, first, &info, &data, &len, &e), 0);
	assert_int_equal(len, INTAKE_FILE_MAX);
	assert_memory_equal(data, big, len);
	vault_secure_free(data);
	assert_int_equal(intake_attachment_get(f->t.db, &k, first + 3, &info, &data, &len, &e), 0);
	assert_string_equal(info.name, longname);
	vault_secure_free(data);
	intake_key_wipe(&k);
	free(big);
}

/* ---- keys and reading ---- */

static void test_keys_and_read(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN", "confidential", ANSWERS, "Piet");
	int64_t id = ifx_submit(f, &s, receipt);
	struct intake_key a, b;
	struct intake_error e;
	struct intake_report r;

	/* every holder opens the same key */
	ifx_key(f, id, COORD_FIN, &a);
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &b, &e), 0);
	assert_int_equal(b.report_id, id);
	assert_memory_equal(a.key, b.key, ENVELOPE_KEY_BYTES);
	assert_int_equal(intake_read(f->t.db, &b, &r, &e), 0);
	assert_int_equal(r.id, id);
	assert_string_equal(r.mode, "confidential");
	assert_string_equal(r.body, "{\"v\":1,\"answers\":" ANSWERS ",\"identity\":\"Piet\"}");
	char due[DATE_LEN + 1];
	assert_int_equal(intake_feedback_due(r.received_on, NULL, due), 0);
	assert_string_equal(r.feedback_due, due);
	assert_string_equal(r.handed_over_on, "");
	assert_int_equal(r.registered_by, 0);
	assert_int_equal(r.nattachments, 0);
	intake_report_free(&r);

	/* a key for another report (or garbage) does not read this one */
	char receipt2[RECEIPT_SHOWN_SIZE];
	int64_t id2 = ifx_submit(f, &s, receipt2);
	b.report_id = id2;
	assert_int_equal(intake_read(f->t.db, &b, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_null(r.body);
	b.report_id = id2 + 50;
	assert_int_equal(intake_read(f->t.db, &b, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	/* bodies swapped between two reports do not open */
	ifx_swap(f, "report", "body", id, id2);
	assert_int_equal(intake_read(f->t.db, &a, &r, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	ifx_swap(f, "report", "body", id, id2);
	assert_int_equal(intake_read(f->t.db, &a, &r, &e), 0);
	intake_report_free(&r);
	intake_key_wipe(&a);
	intake_key_wipe(&b);

	/* key errors: not a holder, another's secret key, receipts */
	assert_int_equal(intake_key_as_handler(f->t.db, id, f->ids[COORD_BZK],
					       ifx_sk(f, COORD_BZK), &a, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_int_equal(intake_key_as_handler(f->t.db, id, f->ids[COORD_FIN],
					       ifx_sk(f, COORD_BZK), &a, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	static const unsigned char zero[ENVELOPE_KEY_BYTES];
	assert_memory_equal(a.key, zero, sizeof zero);
	assert_int_equal(intake_key_by_receipt(f->t.db, "hello", &a, &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	assert_int_equal(intake_key_by_receipt(f->t.db, NULL, &a, &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	receipt[3] = receipt[3] == '0' ? '1' : '0';
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &a, &e), -1);
	assert_int_equal(e.code, INTAKE_EMISTYPED);
	receipt_generate(receipt);
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &a, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
}

/* ---- the inbox's order ---- */

static void test_inbox_order(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	int64_t a = ifx_submit(f, &s, receipt), b = ifx_submit(f, &s, receipt),
		c = ifx_submit(f, &s, receipt);
	char *sql = xasprintf("UPDATE report SET received_on = CASE id WHEN %lld THEN '2026-01-05' "
			      "WHEN %lld THEN '2026-01-10' ELSE '2026-01-20' END",
			      (long long)a, (long long)b);
	testdb_exec(f->t.db, sql);
	free(sql);
	struct intake_inbox_item it[3];
	size_t n, total;
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 3, &n, &total), 0);
	assert_int_equal(n, 3);
	assert_int_equal(it[0].id, a);
	assert_int_equal(it[1].id, b);
	assert_int_equal(it[2].id, c);
	assert_string_equal(it[0].feedback_due, "2026-04-12");
	assert_string_equal(it[0].feedback_on, "");
	assert_string_equal(it[0].handed_over_on, "");
	assert_int_equal(it[0].registered, 0);

	/* a acknowledged: its open clock is now the feedback (2026-04-15),
	 * later than b's and c's acknowledgement */
	struct intake_error e;
	assert_int_equal(intake_acknowledge(f->t.db, &f->t.signer, a, f->ids[COORD_FIN],
					    "2026-01-15", &e), 0);
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 3, &n, &total), 0);
	assert_int_equal(it[0].id, b);
	assert_int_equal(it[1].id, c);
	assert_int_equal(it[2].id, a);
	assert_string_equal(it[2].acknowledged_on, "2026-01-15");
	assert_string_equal(it[2].feedback_due, "2026-04-15");
	/* b both acknowledged and answered: nothing due, last */
	assert_int_equal(intake_acknowledge(f->t.db, &f->t.signer, b, f->ids[COORD_FIN],
					    "2026-01-11", &e), 0);
	assert_int_equal(intake_feedback_given(f->t.db, &f->t.signer, b, f->ids[COORD_FIN],
					       "2026-02-01", &e), 0);
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 2, &n, &total), 0);
	assert_int_equal(n, 2);
	assert_int_equal(total, 3);
	assert_int_equal(it[0].id, c);
	assert_int_equal(it[1].id, a);
	assert_int_equal(intake_inbox(f->t.db, f->ids[COORD_FIN], it, 3, &n, &total), 0);
	assert_int_equal(it[2].id, b);
	assert_string_equal(it[2].feedback_on, "2026-02-01");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, ifx_setup, ifx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_submit_and_receipt),
		T(test_handlers),
		T(test_unit_reaches_department),
		T(test_no_handler),
		T(test_bad_input),
		T(test_receipt_errors),
		T(test_tamper),
		T(test_marker_scan),
		T(test_recipients),
		T(test_recusal),
		T(test_recovery_key),
		T(test_registered),
		T(test_submit_files),
		T(test_submit_file_limits),
		T(test_keys_and_read),
		T(test_inbox_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
