/* bundle_seed.c: a helper of tests/cli/test_bundle.sh, since no command
 * opens a case (the case pages do):
 *
 *   bundle_seed DB COORDINATOR [MEMBER]
 *
 * signs COORDINATOR (an integrity coordinator at FIN) in with the password
 * on the first line of standard input, submits a report to FIN with an
 * attachment, opens a case from it, adds MEMBER (an investigator at FIN) to
 * the team when given, a record and a note with marker texts, and prints
 * the case's id. The markers are BUNDLE-RECORD-MARK, BUNDLE-NOTE-MARK and
 * BUNDLE-ANSWER-MARK; the attachment holds BUNDLE-FILE-MARK.
 *
 * Exit status 0, or 1 with a line on stderr. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "crypto/signkey.h"
#include "intake/intake.h"
#include "store/db.h"

static int die(const char *what, const char *why)
{
	fprintf(stderr, "bundle_seed: %s: %s\n", what, why);
	return 1;
}

static const char pdf[] = "%PDF-1.4\n% BUNDLE-FILE-MARK\n%%EOF\n";

static int seed(db_t *db, const struct audit_signer *s, const char *coord, const char *member)
{
	char pw[ACCOUNT_PASSWORD_MAX + 2], today[DATE_LEN + 1], receipt[RECEIPT_SHOWN_SIZE];
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct account a, m;
	struct intake_error ie;
	struct cases_error ce;
	struct cases_key k;
	int has_totp;
	time_t until;
	int64_t report, id;
	if (!fgets(pw, sizeof pw, stdin))
		return die(coord, "no password on standard input");
	pw[strcspn(pw, "\n")] = '\0';
	enum account_login r = accounts_login(db, s, coord, pw, &a, sk, NULL, &has_totp, &until);
	sodium_memzero(pw, sizeof pw);
	if (r != ACCOUNT_LOGIN_OK)
		return die(coord, "cannot sign in");
	date_today(today);
	const char *answers = "{\"what\":\"BUNDLE-ANSWER-MARK\"}";
	struct intake_file f = {(const unsigned char *)pdf, sizeof pdf - 1, "application/pdf",
				"stuk.pdf"};
	struct intake_submission sub = {.org_code = "FIN", .kind = "integrity_violation",
					.mode = "anonymous", .questionnaire = "melding",
					.questionnaire_revision = 1, .answers = answers,
					.answers_len = strlen(answers), .files = &f, .nfiles = 1};
	if (intake_submit(db, s, &sub, receipt, &report, &ie) != 0)
		return die("submit", ie.msg);
	sodium_memzero(receipt, sizeof receipt);
	if (cases_open(db, s, a.id, sk, &report, 1, NULL, today, &id, &ce) != 0 ||
	    cases_key_as_member(db, id, a.id, sk, &k, &ce) != 0)
		return die("open", ce.msg);
	sodium_memzero(sk, sizeof sk);
	if (member) {
		if (accounts_by_name(db, member, &m) != 0)
			return die(member, "no such account");
		if (cases_member_add(db, s, &k, a.id, m.id, "investigator", today, &ce) != 0)
			return die(member, ce.msg);
	}
	if (cases_record_add(db, s, &k, a.id, "intake_summary", "BUNDLE-RECORD-MARK", 18, NULL,
			     &ce) != 0 ||
	    cases_note_add(db, s, &k, a.id, "BUNDLE-NOTE-MARK", 16, NULL, &ce) != 0)
		return die("case", ce.msg);
	cases_key_wipe(&k);
	printf("%" PRId64 "\n", id);
	return 0;
}

int main(int argc, char **argv)
{
	char err[600], keypath[4200];
	if (sodium_init() < 0)
		return die("libsodium", "cannot start");
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bundle_seed DB COORDINATOR [MEMBER]\n");
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
	int rc = seed(db, &s, argv[2], argc == 4 ? argv[3] : NULL);
	signkey_wipe(&key);
	db_close(db);
	return rc;
}
