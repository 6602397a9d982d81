/* test_intake_follow.c: what follows a report (src/intake/follow.c) against a
 * real SQLite database: messages both ways with attachments, notes, the
 * limits of texts and files, who may write (a handler holding a key row, the
 * reporter through the report key), blobs swapped between rows that must
 * not open, and the steps of the legal clocks, each once, by a holder only.
 * Every refusal leaves the tables and the audit trail as they were. */
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
#include "crypto/vault.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "intakefx.h"

#define ANSWERS "{\"what\":\"iets gezien\"}"

struct rows {
	int64_t messages, notes, files, audit;
	int64_t acked, fed, handed, agreed;
};

static struct rows rows(struct ifx *f)
{
	struct rows r = {
		ifx_q(f, "SELECT count(*) FROM report_message"),
		ifx_q(f, "SELECT count(*) FROM report_note"),
		ifx_q(f, "SELECT count(*) FROM report_attachment"),
		ifx_q(f, "SELECT count(*) FROM audit_log"),
		ifx_q(f, "SELECT count(*) FROM report WHERE acknowledged_on IS NOT NULL"),
		ifx_q(f, "SELECT count(*) FROM report WHERE feedback_on IS NOT NULL"),
		ifx_q(f, "SELECT count(*) FROM report WHERE handed_over_on IS NOT NULL"),
		ifx_q(f, "SELECT count(*) FROM report WHERE record_agreed_on IS NOT NULL"),
	};
	return r;
}

static void assert_same(struct ifx *f, const struct rows *before)
{
	struct rows now = rows(f);
	assert_memory_equal(&now, before, sizeof now);
}

/* A FIN report; its receipt in receipt, its key as the reporter holds it in
 * *rk and as COORD_FIN holds it in *hk. */
static int64_t report(struct ifx *f, char receipt[RECEIPT_SHOWN_SIZE], struct intake_key *rk,
		      struct intake_key *hk)
{
	struct intake_submission s = ifx_sub("FIN", "anonymous", ANSWERS, NULL);
	struct intake_error e;
	int64_t id = ifx_submit(f, &s, receipt);
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, rk, &e), 0);
	ifx_key(f, id, COORD_FIN, hk);
	return id;
}

static void add_msg(struct ifx *f, const struct intake_key *k, int who, const char *text,
		    const struct intake_file *files, size_t nfiles, int64_t *id)
{
	struct intake_error e;
	int64_t account = who < 0 ? 0 : f->ids[who];
	if (intake_message_add(f->t.db, &f->t.signer, k, account, text, strlen(text), files,
			       nfiles, id, &e) != 0)
		fail_msg("message: %s", e.msg);
}

static void expect_msg_refused(struct ifx *f, const struct intake_key *k, int64_t account,
			       const char *text, size_t len, const struct intake_file *files,
			       size_t nfiles, int code)
{
	struct intake_error e;
	struct rows before = rows(f);
	int64_t id = 5;
	assert_int_equal(intake_message_add(f->t.db, &f->t.signer, k, account, text, len, files,
					    nfiles, &id, &e), -1);
	assert_int_equal(e.code, code);
	assert_int_equal(id, 0);
	assert_same(f, &before);
}

static void test_conversation(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_key rk, hk;
	int64_t id = report(f, receipt, &rk, &hk);
	static const unsigned char doc[] = "%PDF-1.4 bewijs";
	const struct intake_file file = {doc, sizeof doc - 1, "application/pdf", "bewijs.pdf"};
	const struct intake_file reply[2] = {
		{(const unsigned char *)"a", 1, "text/plain", "a.txt"},
		{(const unsigned char *)"bb", 2, "text/plain", "b.txt"},
	};
	int64_t m1, m2, m3;

	add_msg(f, &rk, -1, "Ik heb nog een document.\r\n\tZie bijlage.", &file, 1, &m1);
	add_msg(f, &hk, COORD_FIN, "Dank u, ontvangen.", reply, 2, &m2);
	/* the adviser, another holder, with the key as they open it; only files */
	struct intake_key ak;
	ifx_key(f, id, ADV_FIN, &ak);
	add_msg(f, &ak, ADV_FIN, "", &file, 1, &m3);
	intake_key_wipe(&ak);
	assert_true(m1 < m2 && m2 < m3);

	/* both sides read the same conversation, oldest first */
	for (int side = 0; side < 2; side++) {
		struct intake_message *m;
		size_t n;
		struct intake_error e;
		assert_int_equal(intake_messages(f->t.db, side ? &hk : &rk, &m, &n, &e), 0);
		assert_int_equal(n, 3);
		assert_int_equal(m[0].id, m1);
		assert_int_equal(m[0].from_reporter, 1);
		assert_int_equal(m[0].account_id, 0);
		assert_string_equal(m[0].author_name, "");
		assert_string_equal(m[0].text, "Ik heb nog een document.\r\n\tZie bijlage.");
		assert_int_equal(m[0].text_len, strlen(m[0].text));
		assert_int_equal(strlen(m[0].created_at), 16);
		assert_int_equal(m[0].created_at[10], ' ');
		assert_int_equal(m[1].from_reporter, 0);
		assert_int_equal(m[1].account_id, f->ids[COORD_FIN]);
		assert_string_equal(m[1].author_name, "Coördinator FIN");
		assert_string_equal(m[1].text, "Dank u, ontvangen.");
		assert_string_equal(m[2].author_name, "Vertrouwenspersoon FIN");
		assert_int_equal(m[2].text_len, 0);
		assert_string_equal(m[2].text, "");
		intake_messages_free(m, n);
	}

	/* the attachments, each with its message and side */
	struct intake_attachment a[8];
	size_t n;
	struct intake_error e;
	assert_int_equal(intake_attachments(f->t.db, &rk, a, 8, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_int_equal(a[0].message_id, m1);
	assert_int_equal(a[0].from_reporter, 1);
	assert_string_equal(a[0].name, "bewijs.pdf");
	assert_int_equal(a[1].message_id, m2);
	assert_int_equal(a[1].from_reporter, 0);
	assert_string_equal(a[2].name, "b.txt");
	assert_int_equal(a[2].size, 2);
	assert_int_equal(a[3].message_id, m3);
	/* cap: the first ones */
	assert_int_equal(intake_attachments(f->t.db, &rk, a, 1, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].name, "bewijs.pdf");

	/* the handler's file, fetched by the reporter */
	int64_t aid = ifx_q(f, "SELECT max(id) - 1 FROM report_attachment");
	unsigned char *data;
	size_t len;
	struct intake_attachment info;
	assert_int_equal(intake_attachment_get(f->t.db, &rk, aid, &info, &data, &len, &e), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(data, "bb", 2);
	assert_string_equal(info.mime, "text/plain");
	vault_secure_free(data);

	struct intake_report r;
	assert_int_equal(intake_read(f->t.db, &hk, &r, &e), 0);
	assert_int_equal(r.nattachments, 4);
	intake_report_free(&r);

	/* audited without text: who, never what */
	char *sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'report.message' AND "
			      "actor = 'reporter' AND detail = 'report %lld from reporter'",
			      (long long)id);
	assert_int_equal(ifx_q(f, sql), 1);
	free(sql);
	sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'report.message' AND "
			"actor = 'user:%lld' AND detail = 'report %lld from account %lld'",
			(long long)f->ids[COORD_FIN], (long long)id, (long long)f->ids[COORD_FIN]);
	assert_int_equal(ifx_q(f, sql), 1);
	free(sql);
	assert_int_equal(ifx_q(f, "SELECT count(*) FROM audit_log WHERE instr(detail, 'Dank') > 0 "
				  "OR instr(detail, 'bewijs') > 0"), 0);
	ifx_audit_ok(f);
	intake_key_wipe(&rk);
	intake_key_wipe(&hk);
}

static void test_message_refusals(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_key rk, hk;
	int64_t id = report(f, receipt, &rk, &hk);
	const struct intake_file one = {(const unsigned char *)"x", 1, "text/plain", "x.txt"};

	/* who: not a holder (another organisation, auditor, disabled, unknown) */
	const int64_t outsiders[] = {f->ids[COORD_BZK], f->ids[AUDITOR_FIN], f->ids[DISABLED_FIN],
				     f->ids[MANAGER_FIN], 4242, -3};
	for (size_t i = 0; i < sizeof outsiders / sizeof outsiders[0]; i++)
		expect_msg_refused(f, &hk, outsiders[i], "hallo", 5, NULL, 0, INTAKE_ENOTFOUND);
	/* a disabled holder: the disabled coordinator got no key, so give it
	 * one by hand to see that being disabled is what refuses it */
	char *sql = xasprintf("INSERT INTO report_key (report_id, holder, account_id, sealed) "
			      "VALUES (%lld, 'account', %lld, X'00')",
			      (long long)id, (long long)f->ids[DISABLED_FIN]);
	testdb_exec(f->t.db, sql);
	free(sql);
	expect_msg_refused(f, &hk, f->ids[DISABLED_FIN], "hallo", 5, NULL, 0, INTAKE_ENOTFOUND);
	/* a report that does not exist */
	struct intake_key none = hk;
	none.report_id = id + 100;
	expect_msg_refused(f, &none, 0, "hallo", 5, NULL, 0, INTAKE_ENOTFOUND);
	expect_msg_refused(f, &none, f->ids[COORD_FIN], "hallo", 5, NULL, 0, INTAKE_ENOTFOUND);

	/* what: empty without files, too long, control characters, bad UTF-8 */
	expect_msg_refused(f, &rk, 0, "", 0, NULL, 0, INTAKE_EINVALID);
	expect_msg_refused(f, &rk, 0, NULL, 0, NULL, 0, INTAKE_EINVALID);
	char *big = xmalloc(INTAKE_MESSAGE_MAX + 1);
	memset(big, 'w', INTAKE_MESSAGE_MAX + 1);
	expect_msg_refused(f, &rk, 0, big, INTAKE_MESSAGE_MAX + 1, NULL, 0, INTAKE_EINVALID);
	static const char *const bad[] = {"bel\x07", "nul\x1b[0m", "del\x7f", "c1\xc2\x85",
					  "\xc3\x28", "half\xe2\x82"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_msg_refused(f, &rk, 0, bad[i], strlen(bad[i]), NULL, 0, INTAKE_EINVALID);
	/* an embedded NUL */
	expect_msg_refused(f, &rk, 0, "a\0b", 3, NULL, 0, INTAKE_EINVALID);
	/* files: too many, too large together, a bad name */
	struct intake_file many[INTAKE_FILES_MAX + 1];
	for (size_t i = 0; i < INTAKE_FILES_MAX + 1; i++)
		many[i] = one;
	expect_msg_refused(f, &rk, 0, "zie", 3, many, INTAKE_FILES_MAX + 1, INTAKE_EINVALID);
	unsigned char *blob = xcalloc(1, INTAKE_FILE_MAX);
	for (int i = 0; i < 3; i++)
		many[i] = (struct intake_file){blob, INTAKE_FILE_MAX, "application/pdf", "a.pdf"};
	expect_msg_refused(f, &hk, f->ids[COORD_FIN], "zie", 3, many, 3, INTAKE_EINVALID);
	many[0] = one;
	many[0].name = "map/x.txt";
	expect_msg_refused(f, &rk, 0, "zie", 3, many, 1, INTAKE_EINVALID);

	/* at the limits: exactly INTAKE_MESSAGE_MAX bytes, 10 files */
	int64_t mid;
	struct intake_error e;
	for (size_t i = 0; i < INTAKE_FILES_MAX; i++)
		many[i] = one;
	assert_int_equal(intake_message_add(f->t.db, &f->t.signer, &rk, 0, big, INTAKE_MESSAGE_MAX,
					    many, INTAKE_FILES_MAX, &mid, &e), 0);
	struct intake_message *m;
	size_t n;
	assert_int_equal(intake_messages(f->t.db, &hk, &m, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].text_len, INTAKE_MESSAGE_MAX);
	intake_messages_free(m, n);
	free(big);
	free(blob);
	intake_key_wipe(&rk);
	intake_key_wipe(&hk);
}

static void test_notes(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_key rk, hk;
	int64_t id = report(f, receipt, &rk, &hk);
	struct intake_error e;
	int64_t n1 = 0, n2 = 0;
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &hk, f->ids[COORD_FIN],
					 "Eerst de leidinggevende bellen.", 31, &n1, &e), 0);
	struct intake_key ak;
	ifx_key(f, id, ADV_FIN, &ak);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &ak, f->ids[ADV_FIN], "Gedaan.", 7,
					 &n2, &e), 0);
	intake_key_wipe(&ak);
	assert_true(n1 > 0 && n2 > n1);

	struct intake_message *m;
	size_t n;
	assert_int_equal(intake_notes(f->t.db, &hk, &m, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].text, "Eerst de leidinggevende bellen.");
	assert_int_equal(m[0].from_reporter, 0);
	assert_int_equal(m[0].account_id, f->ids[COORD_FIN]);
	assert_string_equal(m[1].author_name, "Vertrouwenspersoon FIN");
	intake_messages_free(m, n);
	/* notes are not messages */
	assert_int_equal(intake_messages(f->t.db, &hk, &m, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(m);
	/* the report key opens notes whoever holds it: keeping them from the
	 * reporter is the web layer's rule (intake.h), so here the receipt's key
	 * reads them too */
	assert_int_equal(intake_notes(f->t.db, &rk, &m, &n, &e), 0);
	assert_int_equal(n, 2);
	intake_messages_free(m, n);

	/* the reporter cannot write notes; nor can a non-holder; nor empty */
	struct rows before = rows(f);
	int64_t nid = 9;
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &rk, 0, "x", 1, &nid, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_int_equal(nid, 0);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &hk, f->ids[COORD_BZK], "x", 1,
					 NULL, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &hk, f->ids[COORD_FIN], "", 0,
					 NULL, &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &hk, f->ids[COORD_FIN], "\x01", 1,
					 NULL, &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	assert_same(f, &before);

	char *sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'report.note' AND "
			      "detail = 'report %lld from account %lld'",
			      (long long)id, (long long)f->ids[COORD_FIN]);
	assert_int_equal(ifx_q(f, sql), 1);
	free(sql);
	ifx_audit_ok(f);
	intake_key_wipe(&rk);
	intake_key_wipe(&hk);
}

/* Blobs moved to another row or report, or opened with another report's
 * key, give INTAKE_EDAMAGED; put back, they open again. */
static void test_swapped_blobs(void **state)
{
	struct ifx *f = *state;
	char r1[RECEIPT_SHOWN_SIZE], r2[RECEIPT_SHOWN_SIZE];
	struct intake_key rk, hk, rk2, hk2;
	int64_t id = report(f, r1, &rk, &hk);
	int64_t id2 = report(f, r2, &rk2, &hk2);
	const struct intake_file fa = {(const unsigned char *)"AAAA", 4, "text/plain", "a.txt"};
	const struct intake_file fb = {(const unsigned char *)"BB", 2, "text/plain", "b.txt"};
	int64_t m1, m2, mo;
	add_msg(f, &rk, -1, "eerste", &fa, 1, &m1);
	add_msg(f, &rk, -1, "tweede", &fb, 1, &m2);
	add_msg(f, &rk2, -1, "ander", NULL, 0, &mo);
	struct intake_error e;
	int64_t n1, n2;
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &hk, f->ids[COORD_FIN], "een", 3,
					 &n1, &e), 0);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &hk, f->ids[COORD_FIN], "twee", 4,
					 &n2, &e), 0);
	int64_t a1 = ifx_q(f, "SELECT min(id) FROM report_attachment");
	int64_t a2 = a1 + 1;
	struct intake_message *m;
	size_t n;
	struct intake_attachment a[4], info;
	unsigned char *data;
	size_t len;

	/* two messages of one report */
	ifx_swap(f, "report_message", "body", m1, m2);
	assert_int_equal(intake_messages(f->t.db, &rk, &m, &n, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_null(m);
	assert_int_equal(n, 0);
	ifx_swap(f, "report_message", "body", m1, m2);
	/* a message moved to another report */
	char *sql = xasprintf("UPDATE report_message SET report_id = %lld WHERE id = %lld",
			      (long long)id2, (long long)m1);
	testdb_exec(f->t.db, sql);
	free(sql);
	assert_int_equal(intake_messages(f->t.db, &rk2, &m, &n, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	sql = xasprintf("UPDATE report_message SET report_id = %lld WHERE id = %lld",
			(long long)id, (long long)m1);
	testdb_exec(f->t.db, sql);
	free(sql);
	assert_int_equal(intake_messages(f->t.db, &rk2, &m, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].id, mo);
	intake_messages_free(m, n);
	assert_int_equal(intake_messages(f->t.db, &rk, &m, &n, &e), 0);
	assert_int_equal(n, 2);
	intake_messages_free(m, n);
	/* another report's key */
	struct intake_key wrong = hk2;
	wrong.report_id = id;
	assert_int_equal(intake_messages(f->t.db, &wrong, &m, &n, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_int_equal(intake_notes(f->t.db, &wrong, &m, &n, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_int_equal(intake_attachments(f->t.db, &wrong, a, 4, &n, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);

	/* notes */
	ifx_swap(f, "report_note", "body", n1, n2);
	assert_int_equal(intake_notes(f->t.db, &hk, &m, &n, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	ifx_swap(f, "report_note", "body", n1, n2);
	/* attachments: bytes, then meta, between two rows; and bytes into meta */
	ifx_swap(f, "report_attachment", "body", a1, a2);
	assert_int_equal(intake_attachments(f->t.db, &rk, a, 4, &n, &e), 0);
	assert_int_equal(intake_attachment_get(f->t.db, &rk, a1, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_null(data);
	assert_int_equal(len, 0);
	ifx_swap(f, "report_attachment", "body", a1, a2);
	ifx_swap(f, "report_attachment", "meta", a1, a2);
	assert_int_equal(intake_attachments(f->t.db, &rk, a, 4, &n, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	assert_int_equal(intake_attachment_get(f->t.db, &rk, a1, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	ifx_swap(f, "report_attachment", "meta", a1, a2);
	sql = xasprintf("UPDATE report_attachment SET meta = body WHERE id = %lld", (long long)a1);
	testdb_exec(f->t.db, sql);
	free(sql);
	assert_int_equal(intake_attachment_get(f->t.db, &rk, a1, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, INTAKE_EDAMAGED);
	/* the other one still opens */
	assert_int_equal(intake_attachment_get(f->t.db, &rk, a2, &info, &data, &len, &e), 0);
	assert_memory_equal(data, "BB", 2);
	vault_secure_free(data);
	/* an attachment of another report is not found with this key */
	assert_int_equal(intake_attachment_get(f->t.db, &rk2, a2, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_int_equal(intake_attachment_get(f->t.db, &rk, 999, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	intake_key_wipe(&rk);
	intake_key_wipe(&hk);
	intake_key_wipe(&rk2);
	intake_key_wipe(&hk2);
}

/* ---- the steps of the legal clocks ---- */

typedef int (*step_fn)(db_t *, const struct audit_signer *, int64_t, int64_t, const char *,
		       struct intake_error *);

static void expect_step(struct ifx *f, step_fn fn, int64_t id, int64_t account,
			const char *today, int code)
{
	struct intake_error e;
	struct rows before = rows(f);
	assert_int_equal(fn(f->t.db, &f->t.signer, id, account, today, &e), -1);
	assert_int_equal(e.code, code);
	assert_same(f, &before);
}

static void test_clock_steps(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_key rk, hk;
	int64_t id = report(f, receipt, &rk, &hk);
	char *sql = xasprintf("UPDATE report SET received_on = '2026-01-05' WHERE id = %lld",
			      (long long)id);
	testdb_exec(f->t.db, sql);
	free(sql);
	struct intake_report r;
	struct intake_error e;
	const int64_t coord = f->ids[COORD_FIN], adv = f->ids[ADV_FIN];

	assert_int_equal(intake_read(f->t.db, &hk, &r, &e), 0);
	assert_string_equal(r.ack_due, "2026-01-12");
	assert_string_equal(r.feedback_due, "2026-04-12");
	intake_report_free(&r);

	const step_fn steps[] = {intake_acknowledge, intake_feedback_given, intake_hand_over};
	for (size_t i = 0; i < 3; i++) {
		/* not a holder, the reporter, a report that does not exist */
		expect_step(f, steps[i], id, f->ids[COORD_BZK], "2026-01-20", INTAKE_ENOTFOUND);
		expect_step(f, steps[i], id, f->ids[DISABLED_FIN], "2026-01-20", INTAKE_ENOTFOUND);
		expect_step(f, steps[i], id, 0, "2026-01-20", INTAKE_ENOTFOUND);
		expect_step(f, steps[i], id + 9, coord, "2026-01-20", INTAKE_ENOTFOUND);
		/* dates: not a date, before the receipt */
		expect_step(f, steps[i], id, coord, "2026-02-30", INTAKE_EINVALID);
		expect_step(f, steps[i], id, coord, "gisteren", INTAKE_EINVALID);
		expect_step(f, steps[i], id, coord, NULL, INTAKE_EINVALID);
		expect_step(f, steps[i], id, coord, "2026-01-04", INTAKE_EINVALID);
	}

	/* a late acknowledgement moves the feedback date (clock.h) */
	assert_int_equal(intake_acknowledge(f->t.db, &f->t.signer, id, coord, "2026-01-20", &e), 0);
	expect_step(f, intake_acknowledge, id, adv, "2026-01-21", INTAKE_ECONFLICT);
	assert_int_equal(intake_read(f->t.db, &rk, &r, &e), 0);
	assert_string_equal(r.acknowledged_on, "2026-01-20");
	assert_string_equal(r.feedback_due, "2026-04-20");
	intake_report_free(&r);
	/* feedback: not before the acknowledgement; then once */
	expect_step(f, intake_feedback_given, id, adv, "2026-01-19", INTAKE_EINVALID);
	assert_int_equal(intake_feedback_given(f->t.db, &f->t.signer, id, adv, "2026-03-01", &e),
			 0);
	expect_step(f, intake_feedback_given, id, coord, "2026-03-02", INTAKE_ECONFLICT);
	/* hand-over, once */
	assert_int_equal(intake_hand_over(f->t.db, &f->t.signer, id, coord, "2026-03-01", &e), 0);
	expect_step(f, intake_hand_over, id, coord, "2026-03-01", INTAKE_ECONFLICT);
	assert_int_equal(intake_read(f->t.db, &hk, &r, &e), 0);
	assert_string_equal(r.feedback_on, "2026-03-01");
	assert_string_equal(r.handed_over_on, "2026-03-01");
	intake_report_free(&r);

	sql = xasprintf("SELECT count(*) FROM audit_log WHERE object_id = '%lld' AND ("
			"(action = 'report.acknowledge' AND actor = 'user:%lld') OR "
			"(action = 'report.feedback' AND actor = 'user:%lld') OR "
			"(action = 'report.handover' AND actor = 'user:%lld')) "
			"AND detail = 'report %lld on ' || "
			"CASE action WHEN 'report.acknowledge' THEN '2026-01-20' ELSE '2026-03-01' END",
			(long long)id, (long long)coord, (long long)adv, (long long)coord,
			(long long)id);
	assert_int_equal(ifx_q(f, sql), 3);
	free(sql);
	/* feedback before any acknowledgement is recorded as given */
	int64_t id2 = report(f, receipt, &rk, &hk);
	char today[DATE_LEN + 1];
	date_today(today);
	assert_int_equal(intake_feedback_given(f->t.db, &f->t.signer, id2, coord, today, &e), 0);
	ifx_audit_ok(f);
	intake_key_wipe(&rk);
	intake_key_wipe(&hk);
}

static void test_record_agree(void **state)
{
	struct ifx *f = *state;
	char receipt[RECEIPT_SHOWN_SIZE], today[DATE_LEN + 1];
	struct intake_key rk, hk;
	struct intake_error e;
	struct rows before;
	date_today(today);
	/* a report the reporter sent in themselves has no record to agree to */
	report(f, receipt, &rk, &hk);
	before = rows(f);
	assert_int_equal(intake_record_agree(f->t.db, &f->t.signer, &rk, today, &e), -1);
	assert_int_equal(e.code, INTAKE_ECONFLICT);
	assert_same(f, &before);
	intake_key_wipe(&rk);
	intake_key_wipe(&hk);

	struct intake_submission s = ifx_sub("FIN", "open", ANSWERS, "Jan");
	s.registered_by = f->ids[MANAGER_FIN];
	int64_t id = ifx_submit(f, &s, receipt);
	assert_int_equal(intake_key_by_receipt(f->t.db, receipt, &rk, &e), 0);
	before = rows(f);
	assert_int_equal(intake_record_agree(f->t.db, &f->t.signer, &rk, "1999-01-01", &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	assert_int_equal(intake_record_agree(f->t.db, &f->t.signer, &rk, "vandaag", &e), -1);
	assert_int_equal(e.code, INTAKE_EINVALID);
	struct intake_key none = rk;
	none.report_id = id + 7;
	assert_int_equal(intake_record_agree(f->t.db, &f->t.signer, &none, today, &e), -1);
	assert_int_equal(e.code, INTAKE_ENOTFOUND);
	assert_same(f, &before);
	assert_int_equal(intake_record_agree(f->t.db, &f->t.signer, &rk, today, &e), 0);
	before = rows(f);
	assert_int_equal(intake_record_agree(f->t.db, &f->t.signer, &rk, today, &e), -1);
	assert_int_equal(e.code, INTAKE_ECONFLICT);
	assert_same(f, &before);
	struct intake_report r;
	assert_int_equal(intake_read(f->t.db, &rk, &r, &e), 0);
	assert_string_equal(r.record_agreed_on, today);
	intake_report_free(&r);
	char *sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'report.record-agreed' "
			      "AND actor = 'reporter' AND object_id = '%lld'", (long long)id);
	assert_int_equal(ifx_q(f, sql), 1);
	free(sql);
	ifx_audit_ok(f);
	intake_key_wipe(&rk);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, ifx_setup, ifx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_conversation),
		T(test_message_refusals),
		T(test_notes),
		T(test_swapped_blobs),
		T(test_clock_steps),
		T(test_record_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
