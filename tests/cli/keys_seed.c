/* keys_seed.c: a helper of tests/cli/test_keys.sh, since no command takes a
 * report or makes a self-assessment. Four uses:
 *
 *   keys_seed DB ORG_CODE USER...
 *       stores a report of the organisation that has ORG_CODE today, its key
 *       sealed to each USER and to the current recovery key (if any), and
 *       prints its id (tests/unit/keys/seed.c);
 *   keys_seed --open DB REPORT USER
 *       signs USER in with the password on the first line of standard input,
 *       opens USER's sealed key of REPORT and prints the decrypted body:
 *       proof that a recovered key really opens the report;
 *   keys_seed --assess DB ORG_CODE USER YEAR
 *       signs USER in (password on standard input), makes a basic-norms
 *       self-assessment of department ORG_CODE for YEAR as USER (its key
 *       sealed to every account that may hold it and to the current
 *       recovery key), adds an evidence file (ASSESS_BODY) and prints its id;
 *   keys_seed --open-assess DB ASSESSMENT USER
 *       signs USER in likewise, opens the assessment's key as the pages do
 *       (assess_key_open) and prints its first evidence file's bytes.
 *
 * Exit status 0, or 1 with a line on stderr. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "assess/assess.h"
#include "base/date.h"
#include "crypto/envelope.h"
#include "crypto/signkey.h"
#include "crypto/vault.h"
#include "orgs/orgs.h"
#include "store/db.h"
#include "unit/keys/seed.h"

static int die(const char *what, const char *why)
{
	fprintf(stderr, "keys_seed: %s: %s\n", what, why);
	return 1;
}

static int seed(db_t *db, const char *code, char **users, int n)
{
	struct org o;
	char today[DATE_LEN + 1];
	int64_t ids[64];
	if (n > 64)
		return die("seed", "too many users");
	date_today(today);
	if (orgs_lookup(db, code, today, &o) != 0)
		return die(code, "no such organisation today");
	for (int i = 0; i < n; i++) {
		struct account a;
		if (accounts_by_name(db, users[i], &a) != 0)
			return die(users[i], "no such account");
		ids[i] = a.id;
	}
	int64_t key = seed_current_key(db);
	int64_t id = key < 0 ? -1 : seed_report(db, o.id, ids, (size_t)n, key, NULL);
	if (id < 0)
		return die("seed", db_error(db)->msg);
	printf("%" PRId64 "\n", id);
	return 0;
}

/* The evidence file --assess adds, which --open-assess prints. */
#define ASSESS_BODY "%PDF-1.4\nMARKER-ASSESS-EVIDENCE-8812 zelfevaluatie\n%%EOF\n"

/* Signs user in with the password on the first line of standard input,
 * with the audit signer of DB.key in *sign: 0 with *a and sk, or 1 after
 * saying why. */
static int sign_in(db_t *db, const char *db_path, const char *user, struct signkey *sign,
		   struct account *a, unsigned char sk[ACCOUNT_KEY_BYTES])
{
	char pw[ACCOUNT_PASSWORD_MAX + 2], err[600], keypath[4200];
	int has_totp;
	time_t until;
	if (!fgets(pw, sizeof pw, stdin))
		return die(user, "no password on standard input");
	pw[strcspn(pw, "\n")] = '\0';
	snprintf(keypath, sizeof keypath, "%s.key", db_path);
	if (signkey_load(keypath, sign, err, sizeof err) != 0)
		return die(keypath, err);
	struct audit_signer s = {.key = sign, .interval = 4};
	enum account_login r = accounts_login(db, &s, user, pw, a, sk, NULL, &has_totp, &until);
	sodium_memzero(pw, sizeof pw);
	if (r != ACCOUNT_LOGIN_OK) {
		signkey_wipe(sign);
		return die(user, "cannot sign in");
	}
	return 0;
}

static int seed_assessment(db_t *db, const char *db_path, const char *code, const char *user,
			   const char *year)
{
	struct signkey sign;
	struct account a;
	struct org o;
	struct assess_error e;
	char today[DATE_LEN + 1];
	unsigned char sk[ACCOUNT_KEY_BYTES], key[ENVELOPE_KEY_BYTES];
	int64_t fw, id = 0;
	date_today(today);
	if (orgs_lookup(db, code, today, &o) != 0)
		return die(code, "no such organisation today");
	if (frameworks_latest(db, "basisnormen-2006", &fw) != 0)
		return die("basisnormen-2006", "not shipped in this database");
	if (sign_in(db, db_path, user, &sign, &a, sk) != 0)
		return 1;
	struct audit_signer s = {.key = &sign, .interval = 4};
	struct assess_evidence_in file = {"1.1", NULL,
					  {(const unsigned char *)ASSESS_BODY,
					   sizeof ASSESS_BODY - 1, "application/pdf",
					   "MARKER-ASSESS-NAME-8812.pdf"}};
	struct assess_save sv = {.add = &file, .nadd = 1, .key = key};
	int rc = assess_create(db, &s, a.id, o.id, fw, atoi(year), &id, NULL, &e) != 0 ||
		 assess_key_open(db, &s, a.id, sk, id, key, &e) != 0 ||
		 assess_save(db, &s, a.id, id, &sv, &e) != 0 ? die("assess", e.msg) : 0;
	if (rc == 0)
		printf("%" PRId64 "\n", id);
	signkey_wipe(&sign);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(key, sizeof key);
	return rc;
}

static int open_assessment(db_t *db, const char *db_path, const char *assessment,
			   const char *user)
{
	struct signkey sign;
	struct account a;
	struct assess_error e;
	struct assess_full full;
	struct assess_evidence info;
	unsigned char sk[ACCOUNT_KEY_BYTES], key[ENVELOPE_KEY_BYTES];
	unsigned char *data = NULL;
	size_t len = 0;
	int64_t id = strtoll(assessment, NULL, 10), evid = 0;
	if (sign_in(db, db_path, user, &sign, &a, sk) != 0)
		return 1;
	struct audit_signer s = {.key = &sign, .interval = 4};
	int rc = 1;
	if (assess_key_open(db, &s, a.id, sk, id, key, &e) != 0) {
		rc = die(user, e.msg);
	} else if (assess_read(db, a.id, id, &full, &e) != 0) {
		rc = die(user, e.msg);
	} else {
		for (size_t i = 0; i < full.nevidence && !evid; i++)
			if (full.evidence[i].is_file)
				evid = full.evidence[i].id;
		assess_full_free(&full);
		if (!evid)
			rc = die(assessment, "has no evidence file");
		else if (assess_evidence_get(db, key, id, evid, &info, &data, &len, &e) != 0)
			rc = die(user, e.msg);
		else
			rc = fwrite(data, 1, len, stdout) == len ? 0 : die("stdout", "cannot write");
	}
	if (data)
		vault_secure_free(data);
	signkey_wipe(&sign);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(key, sizeof key);
	return rc;
}

static int open_report(db_t *db, const char *db_path, const char *report, const char *user)
{
	unsigned char sk[ACCOUNT_KEY_BYTES], pk[ACCOUNT_KEY_BYTES], key[ENVELOPE_KEY_BYTES];
	struct signkey sign;
	struct account a;
	db_stmt_t *st;
	int64_t id = strtoll(report, NULL, 10);
	if (sign_in(db, db_path, user, &sign, &a, sk) != 0)
		return 1;
	signkey_wipe(&sign);
	if (accounts_public_key(db, a.id, pk) != 0 ||
	    db_prepare(db, "SELECT k.sealed, r.body FROM report_key k JOIN report r ON "
			   "r.id = k.report_id WHERE k.report_id = ? AND k.holder = 'account' AND "
			   "k.account_id = ?", &st) != 0)
		return die(user, db_error(db)->msg);
	int rc = 1;
	if (db_bind_i64(st, 1, id) != 0 || db_bind_i64(st, 2, a.id) != 0 ||
	    db_step(st) != DB_ROW) {
		rc = die(user, "holds no key of that report");
	} else if (envelope_open_with_sk(ENVELOPE_HANDLER, pk, sk, id, db_col_blob(st, 0),
					 db_col_bytes(st, 0), key) != 0) {
		rc = die(user, "their sealed key does not open");
	} else {
		size_t n = db_col_bytes(st, 1), len = 0;
		unsigned char *plain = malloc(n + 1);
		if (plain && n > ENVELOPE_OVERHEAD &&
		    envelope_decrypt(key, id, SEED_PURPOSE, db_col_blob(st, 1), n, plain, n, &len) == 0) {
			printf("%.*s\n", (int)len, (const char *)plain);
			rc = 0;
		} else {
			rc = die(user, "the body does not open");
		}
		free(plain);
	}
	db_finalize(st);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(key, sizeof key);
	return rc;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 && strncmp(argv[1], "--", 2) == 0 ? argv[1] : "";
	int opening = strcmp(mode, "--open") == 0, assess = strcmp(mode, "--assess") == 0,
	    open_assess = strcmp(mode, "--open-assess") == 0;
	if (sodium_init() < 0)
		return die("libsodium", "cannot start");
	if ((*mode && !opening && !assess && !open_assess) || ((opening || open_assess) && argc != 5) ||
	    (assess && argc != 6) || (!*mode && argc < 3)) {
		fprintf(stderr, "usage: keys_seed DB ORG_CODE USER... | keys_seed --open DB REPORT "
			"USER | keys_seed --assess DB ORG_CODE USER YEAR | keys_seed --open-assess "
			"DB ASSESSMENT USER\n");
		return 2;
	}
	const char *path = argv[*mode ? 2 : 1];
	struct db_options opt = {.busy_timeout_ms = 2000};
	struct db_error e;
	db_t *db;
	if (db_open(path, 0, &opt, &db, &e) != 0)
		return die(path, e.msg);
	int rc = assess	     ? seed_assessment(db, path, argv[3], argv[4], argv[5])
		 : open_assess ? open_assessment(db, path, argv[3], argv[4])
		 : opening     ? open_report(db, path, argv[3], argv[4])
			       : seed(db, argv[2], &argv[3], argc - 3);
	db_close(db);
	return rc;
}
