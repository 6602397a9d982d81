/* test_cases_files.c: the attachments of a case (src/cases/files.c) against
 * a real SQLite database: files added to a record, to a note and to the case
 * alone, listed and read back byte for byte; what the competent authority
 * reads (files of a record under the summary key) and what it does not;
 * every limit and malformed file refused, writing nothing, also when it comes
 * with a record or note; who may add; a closed case; blobs moved between
 * rows that no longer open; and no name or byte of a file in the database
 * file or its log.
 *
 * Each test works in its own temporary folder (casesfx.h). */
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
#include "cases/cases.h"
#include "cases/dataset.h"
#include "casesfx.h"
#include "crypto/vault.h"
#include "walk.h"

#define ANSWERS "{\"what\":\"gezien\"}"

static const char PDF[] = "%PDF-1.4\n1 0 obj QZXFPDFBYTES endobj\n%%EOF\n";
static const char TXT[] = "gespreksverslag QZXFTXTBYTES\n";

static struct intake_file pdf(const char *name)
{
	return (struct intake_file){(const unsigned char *)PDF, sizeof PDF - 1, "application/pdf",
				    name};
}

static struct intake_file txt(const char *name)
{
	return (struct intake_file){(const unsigned char *)TXT, sizeof TXT - 1, "text/plain",
				    name};
}

/* A case of FIN: COORD_FIN coordinator, INV_FIN investigator, the summary
 * shared with AUTH_FIN; their keys. */
struct fcase {
	int64_t id;
	struct cases_key kc, ki, ka;
};

static void fcase_open(struct cfx *f, struct fcase *c)
{
	struct cases_error e;
	int64_t r = cfx_report(f, "FIN", ANSWERS);
	c->id = cfx_open(f, COORD_FIN, &r, 1);
	cfx_key(f, c->id, COORD_FIN, &c->kc);
	cfx_add(f, &c->kc, INV_FIN, "investigator");
	cfx_key(f, c->id, INV_FIN, &c->ki);
	if (cases_summary_share(f->t.db, &f->t.signer, &c->kc, f->ids[COORD_FIN], f->ids[AUTH_FIN],
				f->today, &e) != 0)
		fail_msg("share: %s", e.msg);
	cfx_authority_key(f, c->id, AUTH_FIN, &c->ka);
}

static void fcase_close(struct fcase *c)
{
	cases_key_wipe(&c->kc);
	cases_key_wipe(&c->ki);
	cases_key_wipe(&c->ka);
}

static const char *record_type(void)
{
	const struct cases_protocol *p = cases_data_protocol();
	assert_non_null(p);
	return p->record_types[0].id;
}

/* Reads file id with k and checks its bytes and metadata. */
static void assert_file(struct cfx *f, const struct cases_key *k, int64_t id,
			const struct intake_file *want)
{
	struct cases_file info;
	struct cases_error e;
	unsigned char *data;
	size_t len;
	if (cases_file_get(f->t.db, k, id, &info, &data, &len, &e) != 0)
		fail_msg("file %lld: %s", (long long)id, e.msg);
	assert_int_equal(len, want->len);
	assert_memory_equal(data, want->data, len);
	assert_int_equal(info.id, id);
	assert_int_equal(info.size, want->len);
	assert_string_equal(info.name, want->name);
	assert_string_equal(info.mime, want->mime);
	vault_secure_free(data);
}

/* ---- adding and reading ---- */

static void test_add_and_read(void **state)
{
	struct cfx *f = *state;
	struct fcase c;
	struct cases_error e;
	fcase_open(f, &c);
	const struct intake_file two[] = {pdf("verslag.pdf"), txt("aantekening.txt")};
	const struct intake_file one[] = {txt("bijlage bij notitie.txt")};
	const struct intake_file alone[] = {pdf("tijdlijn.pdf")};
	int64_t record, note, ids[2];

	/* a record with two files, by an investigator */
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN],
						record_type(), "verslag", 7, two, 2, &record, &e), 0);
	assert_true(record > 0);
	/* a note that is only a file */
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN], NULL, 0,
					      one, 1, &note, &e), 0);
	assert_true(note > 0);
	/* a file to the case alone, and one more to the note */
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, 0,
					 alone, 1, ids, &e), 0);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, note,
					 two, 2, ids, &e), 0);
	assert_true(ids[0] > 0 && ids[1] == ids[0] + 1);

	struct cases_file l[8];
	size_t n, total;
	assert_int_equal(cases_files(f->t.db, &c.kc, l, 8, &n, &total, &e), 0);
	assert_int_equal(n, 6);
	assert_int_equal(total, 6);
	const int64_t want_record[] = {record, record, 0, 0, 0, 0};
	const int64_t want_note[] = {0, 0, note, 0, note, note};
	const struct intake_file *want[] = {&two[0], &two[1], &one[0], &alone[0], &two[0], &two[1]};
	const int want_author[] = {INV_FIN, INV_FIN, INV_FIN, COORD_FIN, COORD_FIN, COORD_FIN};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l[i].record_id, want_record[i]);
		assert_int_equal(l[i].note_id, want_note[i]);
		assert_int_equal(l[i].summary, 0);
		assert_int_equal(l[i].account_id, f->ids[want_author[i]]);
		assert_string_equal(l[i].name, want[i]->name);
		assert_string_equal(l[i].mime, want[i]->mime);
		assert_int_equal(l[i].size, want[i]->len);
		assert_int_equal(strlen(l[i].created_at), 16);
		/* every member reads every file */
		assert_file(f, &c.ki, l[i].id, want[i]);
		assert_file(f, &c.kc, l[i].id, want[i]);
	}
	/* a short list says how many there are */
	assert_int_equal(cases_files(f->t.db, &c.ki, l, 2, &n, &total, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(total, 6);

	/* the record and the empty note read as usual */
	struct cases_text_item *t;
	size_t nt;
	assert_int_equal(cases_notes(f->t.db, &c.kc, &t, &nt, &e), 0);
	assert_int_equal(nt, 1);
	assert_int_equal(t[0].id, note);
	assert_int_equal(t[0].text_len, 0);
	cases_text_items_free(t, nt);
	assert_int_equal(cases_records(f->t.db, &c.kc, &t, &nt, &e), 0);
	assert_int_equal(nt, 1);
	assert_string_equal(t[0].text, "verslag");
	cases_text_items_free(t, nt);

	/* audited with ids only */
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.attach'"), 4);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.attach' "
				  "AND detail LIKE 'files % record %'"), 1);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.attach' "
				  "AND detail LIKE 'files % note %'"), 2);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE detail LIKE '%.pdf%' "
				  "OR detail LIKE '%.txt%' OR detail LIKE '%verslag%'"), 0);
	/* no such file, or one of another case */
	struct cases_file info;
	unsigned char *data;
	size_t len;
	assert_int_equal(cases_file_get(f->t.db, &c.kc, 999, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_null(data);
	struct fcase other;
	fcase_open(f, &other);
	assert_int_equal(cases_file_get(f->t.db, &other.kc, ids[0], &info, &data, &len, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_files(f->t.db, &other.kc, l, 8, &n, &total, &e), 0);
	assert_int_equal(n, 0);
	fcase_close(&other);
	fcase_close(&c);
	cfx_audit_ok(f);
}

/* ---- the competent authority ---- */

static void test_summary_files(void **state)
{
	struct cfx *f = *state;
	struct fcase c;
	struct cases_error e;
	fcase_open(f, &c);
	const struct intake_file s1[] = {pdf("samenvatting.pdf")}, s2[] = {txt("toelichting.txt")},
				 team[] = {txt("intern.txt")};
	int64_t summary, record, id;

	/* what the authority reads is the coordinator's to choose */
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN],
						CASES_RECORD_SUMMARY, "kort", 4, s1, 1, &summary,
						&e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
						CASES_RECORD_SUMMARY, "kort", 4, s1, 1, &summary,
						&e), 0);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN], summary, 0,
					 s2, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], summary, 0,
					 s2, 1, &id, &e), 0);
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN],
						record_type(), "intern", 6, team, 1, &record, &e), 0);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_attachment WHERE under = 'summary'"), 2);

	/* the authority lists and reads the summary's files only */
	struct cases_file l[4];
	size_t n, total;
	assert_int_equal(cases_files(f->t.db, &c.ka, l, 4, &n, &total, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_int_equal(l[0].record_id, summary);
	assert_int_equal(l[0].summary, 1);
	assert_string_equal(l[0].name, "samenvatting.pdf");
	assert_int_equal(l[1].record_id, summary);
	assert_file(f, &c.ka, l[0].id, &s1[0]);
	assert_file(f, &c.ka, l[1].id, &s2[0]);
	int64_t team_file = cfx_q(f, "SELECT max(id) FROM case_attachment");
	struct cases_file info;
	unsigned char *data;
	size_t len;
	assert_int_equal(cases_file_get(f->t.db, &c.ka, team_file, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_null(data);
	/* the team reads all three */
	assert_int_equal(cases_files(f->t.db, &c.ki, l, 4, &n, &total, &e), 0);
	assert_int_equal(n, 3);
	assert_file(f, &c.ki, l[1].id, &s2[0]);
	/* an authority adds nothing: it is no member */
	int64_t entries = cfx_q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.ka, f->ids[AUTH_FIN], summary, 0,
					 s2, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), entries);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_attachment"), 3);
	fcase_close(&c);
	cfx_audit_ok(f);
}

/* ---- refusals ---- */

struct counts {
	int64_t files, records, notes, audit;
};

static struct counts counts_now(struct cfx *f)
{
	return (struct counts){cfx_q(f, "SELECT count(*) FROM case_attachment"),
			       cfx_q(f, "SELECT count(*) FROM case_record"),
			       cfx_q(f, "SELECT count(*) FROM case_note"),
			       cfx_q(f, "SELECT count(*) FROM audit_log")};
}

static void assert_unchanged(struct cfx *f, const struct counts *before)
{
	struct counts now = counts_now(f);
	assert_int_equal(now.files, before->files);
	assert_int_equal(now.records, before->records);
	assert_int_equal(now.notes, before->notes);
	assert_int_equal(now.audit, before->audit);
}

/* cases_files_add, cases_record_add_files and cases_note_add_files of these
 * files must each be refused with code and write nothing. */
static void refused_everywhere(struct cfx *f, const struct fcase *c,
			       const struct intake_file *files, size_t n, int code,
			       const char *says)
{
	struct counts before = counts_now(f);
	struct cases_error e;
	int64_t ids[CASES_FILES_MAX + 2] = {0}, id = -1;
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c->kc, f->ids[COORD_FIN], 0, 0,
					 files, n, ids, &e), -1);
	assert_int_equal(e.code, code);
	if (says && !strstr(e.msg, says))
		fail_msg("'%s' does not say '%s'", e.msg, says);
	assert_int_equal(ids[0], 0);
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c->kc, f->ids[COORD_FIN],
						record_type(), "tekst", 5, files, n, &id, &e), -1);
	assert_int_equal(e.code, code);
	assert_int_equal(id, 0);
	id = -1;
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &c->kc, f->ids[COORD_FIN],
					      "tekst", 5, files, n, &id, &e), -1);
	assert_int_equal(e.code, code);
	assert_int_equal(id, 0);
	assert_unchanged(f, &before);
}

static void test_refusals(void **state)
{
	struct cfx *f = *state;
	struct fcase c;
	struct cases_error e;
	fcase_open(f, &c);
	struct intake_file v[CASES_FILES_MAX + 1];
	for (size_t i = 0; i < CASES_FILES_MAX + 1; i++)
		v[i] = txt("x.txt");

	/* none, too many */
	struct counts before = counts_now(f);
	int64_t id;
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, 0, v, 0,
					 &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, 0, NULL,
					 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_unchanged(f, &before);
	refused_everywhere(f, &c, v, CASES_FILES_MAX + 1, CASES_EINVALID, "at most");

	/* too large, alone and together */
	unsigned char *big = xcalloc(1, CASES_FILE_MAX + 1);
	memcpy(big, "tekst", 5);
	struct intake_file huge = {big, CASES_FILE_MAX + 1, "text/plain", "groot.txt"};
	refused_everywhere(f, &c, &huge, 1, CASES_EINVALID, "larger than");
	const size_t part = CASES_FILES_TOTAL / 3 + 1;
	struct intake_file parts[3];
	for (int i = 0; i < 3; i++)
		parts[i] = (struct intake_file){big, part, "text/plain", "deel.txt"};
	refused_everywhere(f, &c, parts, 3, CASES_EINVALID, "together");
	free(big);

	/* empty, unusable types and names */
	struct intake_file bad[] = {
		{(const unsigned char *)"", 0, "text/plain", "leeg.txt"},
		{NULL, 4, "text/plain", "niets.txt"},
		{(const unsigned char *)TXT, 4, NULL, "a.txt"},
		{(const unsigned char *)TXT, 4, "", "a.txt"},
		{(const unsigned char *)TXT, 4, "text", "a.txt"},
		{(const unsigned char *)TXT, 4, "text/plain; charset=\"x\"", "a.txt"},
		{(const unsigned char *)TXT, 4, "text/pl\x7f" "ain", "a.txt"},
		{(const unsigned char *)TXT, 4, "text/plain", NULL},
		{(const unsigned char *)TXT, 4, "text/plain", ""},
		{(const unsigned char *)TXT, 4, "text/plain", "../etc/passwd"},
		{(const unsigned char *)TXT, 4, "text/plain", "map\\a.txt"},
		{(const unsigned char *)TXT, 4, "text/plain", "regel\nbreuk.txt"},
		{(const unsigned char *)TXT, 4, "text/plain", "\xff\xfe.txt"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* the bad one after a good one: nothing of either is kept */
		struct intake_file pair[2] = {pdf("goed.pdf"), bad[i]};
		refused_everywhere(f, &c, pair, 2, CASES_EINVALID, "file 2");
	}
	char longname[INTAKE_FILENAME_MAX + 6];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	struct intake_file lname = txt(longname);
	refused_everywhere(f, &c, &lname, 1, CASES_EINVALID, "name");

	/* where it goes: one place, of this case */
	const struct intake_file one[] = {txt("a.txt")};
	int64_t record, note;
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
					  record_type(), "tekst", 5, &record, &e), 0);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], "tekst", 5,
					&note, &e), 0);
	before = counts_now(f);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], record,
					 note, one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], -1, 0,
					 one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 999, 0,
					 one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, 999,
					 one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	struct fcase other;
	fcase_open(f, &other);
	before = counts_now(f);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &other.kc, f->ids[COORD_FIN], record,
					 0, one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &other.kc, f->ids[COORD_FIN], 0, note,
					 one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_unchanged(f, &before);
	fcase_close(&other);

	/* a record or note that fails takes its files with it, and the reverse */
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
						"no_such_type", "tekst", 5, one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
						CASES_RECORD_DECISION, "tekst", 5, one, 1, &id, &e),
			 -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
					      "bel\x01" "hem", 7, one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	/* without files the text is required, as without this function */
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], NULL,
					      0, NULL, 0, &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
						record_type(), NULL, 0, NULL, 0, &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_unchanged(f, &before);

	/* who: not on the team, removed from it */
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[INV_DGB], 0, 0, one, 1,
					 &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, c.id, f->ids[COORD_FIN],
					     f->ids[INV_FIN], f->today, &e), 0);
	before = counts_now(f);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN], 0, 0, one, 1,
					 &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN], "x", 1,
					      one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_unchanged(f, &before);
	fcase_close(&c);
	cfx_audit_ok(f);
}

/* ---- a closed case ---- */

static void test_closed_case(void **state)
{
	struct cfx *f = *state;
	struct fcase c;
	struct cases_error e;
	fcase_open(f, &c);
	int64_t record;
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
					  record_type(), "tekst", 5, &record, &e), 0);
	walk_close(f, &c.kc, COORD_FIN, &c.ka, AUTH_FIN, "besluit");
	const struct intake_file one[] = {txt("na sluiting.txt")};
	int64_t id, note;
	struct counts before = counts_now(f);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, 0, one,
					 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], record, 0,
					 one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
						record_type(), "x", 1, one, 1, &id, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	assert_unchanged(f, &before);
	/* notes go on until the purge, and so do their files */
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN], "archief",
					      7, one, 1, &note, &e), 0);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, note,
					 one, 1, &id, &e), 0);
	assert_file(f, &c.ki, id, &one[0]);
	fcase_close(&c);
	cfx_audit_ok(f);
}

/* ---- tampering ---- */

static void test_moved_blobs(void **state)
{
	struct cfx *f = *state;
	struct fcase c, other;
	struct cases_error e;
	fcase_open(f, &c);
	fcase_open(f, &other);
	const struct intake_file two[] = {pdf("a.pdf"), txt("b.txt")};
	int64_t ids[2];
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN], 0, 0, two,
					 2, ids, &e), 0);
	struct cases_file l[2], info;
	unsigned char *data;
	size_t n, len;

	/* the bytes of one row under the other's id do not open */
	char *sql = xasprintf("UPDATE case_attachment SET body = (SELECT body FROM case_attachment "
			      "WHERE id = %lld) WHERE id = %lld", (long long)ids[0],
			      (long long)ids[1]);
	testdb_exec(f->t.db, sql);
	free(sql);
	assert_int_equal(cases_file_get(f->t.db, &c.kc, ids[1], &info, &data, &len, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);
	assert_null(data);
	assert_int_equal(info.id, 0);
	assert_file(f, &c.kc, ids[0], &two[0]);

	/* nor does a name: the list says so */
	sql = xasprintf("UPDATE case_attachment SET meta = (SELECT meta FROM case_attachment WHERE "
			"id = %lld) WHERE id = %lld", (long long)ids[0], (long long)ids[1]);
	testdb_exec(f->t.db, sql);
	free(sql);
	assert_int_equal(cases_files(f->t.db, &c.kc, l, 2, &n, NULL, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);

	/* a row moved to another case does not open with that case's key */
	sql = xasprintf("UPDATE case_attachment SET case_id = %lld WHERE id = %lld",
			(long long)other.id, (long long)ids[0]);
	testdb_exec(f->t.db, sql);
	free(sql);
	assert_int_equal(cases_file_get(f->t.db, &other.kc, ids[0], &info, &data, &len, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);
	/* and a case-key file claimed to be under the summary key reads for no
	 * authority */
	sql = xasprintf("UPDATE case_attachment SET case_id = %lld, under = 'summary', record_id = "
			"(SELECT min(id) FROM case_record) WHERE id = %lld", (long long)c.id,
			(long long)ids[0]);
	testdb_exec(f->t.db, "INSERT INTO case_record (case_id, type, under, account_id, created_at, "
			     "body) SELECT case_id, 'x', 'summary', account_id, created_at, X'' "
			     "FROM case_attachment LIMIT 1");
	testdb_exec(f->t.db, sql);
	free(sql);
	assert_int_equal(cases_file_get(f->t.db, &c.ka, ids[0], &info, &data, &len, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);
	fcase_close(&c);
	fcase_close(&other);
}

/* ---- no plaintext in the database ---- */

static void scan(const char *path, const char *const *markers, size_t nm)
{
	size_t n = 0;
	unsigned char *b = (unsigned char *)read_file_bytes(path, &n);
	if (!b)
		return;
	for (size_t i = 0; i < nm; i++)
		if (cfx_contains(b, n, markers[i]))
			fail_msg("marker %s found in %s", markers[i], path);
	free(b);
}

static void test_no_plaintext(void **state)
{
	struct cfx *f = *state;
	struct fcase c;
	struct cases_error e;
	fcase_open(f, &c);
	const struct intake_file two[] = {pdf("QZXFNAME1 verslag.pdf"), txt("QZXFNAME2.txt")};
	int64_t record;
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &c.kc, f->ids[COORD_FIN],
						CASES_RECORD_SUMMARY, "kort", 4, two, 2, &record,
						&e), 0);
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &c.ki, f->ids[INV_FIN], NULL, 0,
					      two, 2, NULL, &e), 0);
	static const char *const markers[] = {"QZXFNAME1", "QZXFNAME2", "QZXFPDFBYTES",
					      "QZXFTXTBYTES", "application/pdf", "text/plain",
					      "QZXF"};
	const size_t nm = sizeof markers / sizeof markers[0];
	if (testdb_sqlite_part("scans SQLite's database file and log; the browser suite scans "
			       "a pg_dump on PostgreSQL")) {
		char *wal = xasprintf("%s-wal", f->t.db_path);
		scan(f->t.db_path, markers, nm);
		scan(wal, markers, nm);
		testdb_exec(f->t.db, "PRAGMA wal_checkpoint(TRUNCATE)");
		scan(f->t.db_path, markers, nm);
		free(wal);
	}
	fcase_close(&c);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_add_and_read),
		T(test_summary_files),
		T(test_refusals),
		T(test_closed_case),
		T(test_moved_blobs),
		T(test_no_plaintext),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
