/* purge_seed.c: a helper of tests/cli/test_purge.sh, since no command opens
 * or closes a case (the case pages do):
 *
 *   purge_seed DB COORDINATOR
 *
 * signs COORDINATOR (an integrity coordinator at FIN) in with the password
 * on the first line of standard input and makes two cases of FIN, each from
 * a report received on 2019-01-01 and opened on 2019-01-02, with a record
 * and a note: the first closed on 2019-01-03 and kept until 2019-02-02, so
 * due for purge; the second closed then too but kept until 2999-01-01. It
 * prints their ids on one line. The first case's report carries
 * PURGE-ANSWER-MARK and a file with PURGE-FILE-MARK, its record
 * PURGE-RECORD-MARK and its note PURGE-NOTE-MARK; the second's texts carry
 * KEEP-MARK.
 *
 * Closing is written straight into case_file: walking a case through the
 * protocol is the unit tests' (tests/unit/cases/walk.c); the purge looks
 * only at the closing and purge dates.
 *
 * Exit status 0, or 1 with a line on stderr. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "crypto/signkey.h"
#include "intake/intake.h"
#include "store/db.h"

static int die(const char *what, const char *why)
{
	fprintf(stderr, "purge_seed: %s: %s\n", what, why);
	return 1;
}

static const char pdf[] = "%PDF-1.4\n% PURGE-FILE-MARK\n%%EOF\n";

/* One case as above, kept until keep; *id gets its id. */
static int one_case(db_t *db, const struct audit_signer *s, const struct account *a,
		    const unsigned char sk[ACCOUNT_KEY_BYTES], const char *mark, const char *keep,
		    int64_t *id)
{
	char receipt[RECEIPT_SHOWN_SIZE], answers[96], text[64];
	struct intake_error ie;
	struct cases_error ce;
	struct cases_key k;
	int64_t report;
	snprintf(answers, sizeof answers, "{\"what\":\"%s-ANSWER-MARK\"}", mark);
	struct intake_file f = {(const unsigned char *)pdf, sizeof pdf - 1, "application/pdf",
				"stuk.pdf"};
	struct intake_submission sub = {.org_code = "FIN", .kind = "wrongdoing",
					.mode = "anonymous", .questionnaire = "melding",
					.questionnaire_revision = 1, .answers = answers,
					.answers_len = strlen(answers), .files = &f, .nfiles = 1,
					.received_on = "2019-01-01"};
	if (intake_submit(db, s, &sub, receipt, &report, &ie) != 0)
		return die("submit", ie.msg);
	sodium_memzero(receipt, sizeof receipt);
	if (cases_open(db, s, a->id, sk, &report, 1, NULL, "2019-01-02", id, &ce) != 0 ||
	    cases_key_as_member(db, *id, a->id, sk, &k, &ce) != 0)
		return die("open", ce.msg);
	snprintf(text, sizeof text, "%s-RECORD-MARK", mark);
	int rc = cases_record_add(db, s, &k, a->id, cases_data_protocol()->record_types[0].id, text,
				  strlen(text), NULL, &ce);
	snprintf(text, sizeof text, "%s-NOTE-MARK", mark);
	if (rc == 0)
		rc = cases_note_add(db, s, &k, a->id, text, strlen(text), NULL, &ce);
	cases_key_wipe(&k);
	if (rc != 0)
		return die("case", ce.msg);
	db_stmt_t *st;
	if (db_prepare(db, "UPDATE case_file SET closed_on = '2019-01-03', purge_after = ? "
			   "WHERE id = ?", &st) != 0 ||
	    db_bind_text(st, 1, keep, (size_t)-1) != 0 || db_bind_i64(st, 2, *id) != 0 ||
	    db_step(st) != DB_DONE) {
		db_finalize(st);
		return die("close", db_error(db)->msg);
	}
	db_finalize(st);
	return 0;
}

static int seed(db_t *db, const struct audit_signer *s, const char *coord)
{
	char pw[ACCOUNT_PASSWORD_MAX + 2];
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct account a;
	int has_totp;
	time_t until;
	int64_t due, kept;
	if (!fgets(pw, sizeof pw, stdin))
		return die(coord, "no password on standard input");
	pw[strcspn(pw, "\n")] = '\0';
	enum account_login r = accounts_login(db, s, coord, pw, &a, sk, NULL, &has_totp, &until);
	sodium_memzero(pw, sizeof pw);
	if (r != ACCOUNT_LOGIN_OK)
		return die(coord, "cannot sign in");
	int rc = one_case(db, s, &a, sk, "PURGE", "2019-02-02", &due);
	if (rc == 0)
		rc = one_case(db, s, &a, sk, "KEEP", "2999-01-01", &kept);
	sodium_memzero(sk, sizeof sk);
	if (rc == 0)
		printf("%" PRId64 " %" PRId64 "\n", due, kept);
	return rc;
}

int main(int argc, char **argv)
{
	char err[600], keypath[4200];
	if (sodium_init() < 0)
		return die("libsodium", "cannot start");
	if (argc != 3) {
		fprintf(stderr, "usage: purge_seed DB COORDINATOR\n");
		return 2;
	}
	if (cases_data_init(err, sizeof err) != 0)
		return die("data", err);
	struct db_options opt = {.busy_timeout_ms = 2000};
	struct db_error e;
	struct signkey key;
	db_t *db;
	if (db_open(argv[1], 0, &opt, &db, &e) != 0)
		return die(argv[1], e.msg);
	snprintf(keypath, sizeof keypath, "%s.key", argv[1]);
	if (signkey_load(keypath, &key, err, sizeof err) != 0) {
		db_close(db);
		return die(keypath, err);
	}
	struct audit_signer s = {.key = &key, .interval = 100};
	int rc = seed(db, &s, argv[2]);
	signkey_wipe(&key);
	db_close(db);
	return rc;
}
