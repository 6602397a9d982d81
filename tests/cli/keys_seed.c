/* keys_seed.c: a helper of tests/cli/test_keys.sh, since no command takes a
 * report yet. Two uses:
 *
 *   keys_seed DB ORG_CODE USER...
 *       stores a report of the organisation that has ORG_CODE today, its key
 *       sealed to each USER and to the current recovery key (if any), and
 *       prints its id (tests/unit/keys/seed.c);
 *   keys_seed --open DB REPORT USER
 *       signs USER in with the password on the first line of standard input,
 *       opens USER's sealed key of REPORT and prints the decrypted body:
 *       proof that a recovered key really opens the report.
 *
 * Exit status 0, or 1 with a line on stderr. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "crypto/envelope.h"
#include "crypto/signkey.h"
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

static int open_report(db_t *db, const char *db_path, const char *report, const char *user)
{
	char pw[ACCOUNT_PASSWORD_MAX + 2], err[600], keypath[4200];
	unsigned char sk[ACCOUNT_KEY_BYTES], pk[ACCOUNT_KEY_BYTES], key[ENVELOPE_KEY_BYTES];
	struct signkey sign;
	struct account a;
	int has_totp;
	time_t until;
	db_stmt_t *st;
	int64_t id = strtoll(report, NULL, 10);
	if (!fgets(pw, sizeof pw, stdin))
		return die(user, "no password on standard input");
	pw[strcspn(pw, "\n")] = '\0';
	snprintf(keypath, sizeof keypath, "%s.key", db_path);
	if (signkey_load(keypath, &sign, err, sizeof err) != 0)
		return die(keypath, err);
	struct audit_signer s = {.key = &sign, .interval = 4};
	enum account_login r = accounts_login(db, &s, user, pw, &a, sk, NULL, &has_totp, &until);
	sodium_memzero(pw, sizeof pw);
	signkey_wipe(&sign);
	if (r != ACCOUNT_LOGIN_OK)
		return die(user, "cannot sign in");
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
	int opening = argc > 1 && strcmp(argv[1], "--open") == 0;
	if (sodium_init() < 0)
		return die("libsodium", "cannot start");
	if ((opening && argc != 5) || (!opening && argc < 3)) {
		fprintf(stderr, "usage: keys_seed DB ORG_CODE USER... | keys_seed --open DB REPORT "
			"USER\n");
		return 2;
	}
	const char *path = argv[1 + opening];
	struct db_options opt = {.busy_timeout_ms = 2000};
	struct db_error e;
	db_t *db;
	if (db_open(path, 0, &opt, &db, &e) != 0)
		return die(path, e.msg);
	int rc = opening ? open_report(db, path, argv[3], argv[4]) :
			   seed(db, argv[2], &argv[3], argc - 3);
	db_close(db);
	return rc;
}
