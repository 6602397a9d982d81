/* test_signkey.c: the audit signing key files (src/crypto/signkey.c). The
 * secret must be created once, never overwritten, never readable by others; the
 * parser must refuse anything but one line of hex. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "../store/testutil.h"
#include "base/alloc.h"
#include "crypto/signkey.h"

struct fx {
	char *dir;
	char *key;  /* dir/audit.key, not created */
	char *pub;  /* dir/audit.key.pub */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->dir = tmpdir_make();
	f->key = tmpdir_path(f->dir, "audit.key");
	f->pub = xasprintf("%s.pub", f->key);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tmpdir_remove(f->dir);
	free(f->key);
	free(f->pub);
	free(f);
	return 0;
}

static int is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void hex_decode(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, &got, NULL), 0);
	assert_int_equal(got, n);
}

/* RFC 8032, section 7.1, TEST 1 */
#define RFC_SEED "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define RFC_PUB "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define RFC_SIG                                                            \
	"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"

/* ---- parsing ---- */

static void test_parse_secret_known_answer(void **state)
{
	(void)state;
	const char *text = "# probity audit signing key (secret)\n" RFC_SEED "\n";
	struct signkey k;
	char err[200];
	assert_int_equal(signkey_parse(text, strlen(text), 1, &k, err, sizeof err), 0);
	assert_int_equal(k.has_secret, 1);
	unsigned char pk[32], sig[64], want_sig[64];
	hex_decode(RFC_PUB, pk, sizeof pk);
	assert_memory_equal(k.pk, pk, 32);
	/* Ed25519 is deterministic: the RFC's signature of the empty message */
	signkey_sign(&k, (const unsigned char *)"", 0, sig);
	hex_decode(RFC_SIG, want_sig, sizeof want_sig);
	assert_memory_equal(sig, want_sig, 64);
	assert_int_equal(signkey_verify(pk, (const unsigned char *)"", 0, sig), 0);
	signkey_wipe(&k);
	assert_true(is_zero(&k, sizeof k));
}

static void test_parse_public(void **state)
{
	(void)state;
	const char *text = "# public\n" RFC_PUB "\n";
	struct signkey k;
	char err[200];
	memset(&k, 0xff, sizeof k);
	assert_int_equal(signkey_parse(text, strlen(text), 0, &k, err, sizeof err), 0);
	assert_int_equal(k.has_secret, 0);
	assert_true(is_zero(k.sk, sizeof k.sk));
	unsigned char pk[32];
	hex_decode(RFC_PUB, pk, sizeof pk);
	assert_memory_equal(k.pk, pk, 32);
}

static void test_parse_accepted_shapes(void **state)
{
	(void)state;
	static const char *const ok[] = {
		RFC_SEED,                                  /* no comment, no newline */
		RFC_SEED "\n",
		"#\n" RFC_SEED "\n",
		"# one\n# two\n#three\n" RFC_SEED,
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct signkey k;
		char err[200];
		if (signkey_parse(ok[i], strlen(ok[i]), 1, &k, err, sizeof err) != 0)
			fail_msg("refused shape %zu: %s", i, err);
		unsigned char pk[32];
		hex_decode(RFC_PUB, pk, sizeof pk);
		assert_memory_equal(k.pk, pk, 32);
	}
}

static void expect_parse_refused(const char *text, size_t len, const char *want)
{
	for (int secret = 0; secret <= 1; secret++) {
		struct signkey k;
		char err[200] = "";
		memset(&k, 0xff, sizeof k);
		if (signkey_parse(text, len, secret, &k, err, sizeof err) != -1)
			fail_msg("accepted \"%.*s\" (secret=%d)", (int)len, text, secret);
		if (!strstr(err, want))
			fail_msg("for \"%.*s\": got \"%s\", want \"%s\"", (int)len, text, err, want);
		/* nothing half-parsed is left behind */
		assert_true(is_zero(&k, sizeof k));
	}
}

#define REFUSE(text, want) expect_parse_refused(text, strlen(text), want)

static void test_parse_refused(void **state)
{
	(void)state;
	const char *hexlen = "expected 64 hexadecimal characters";
	REFUSE("", hexlen);
	REFUSE("\n", hexlen);
	REFUSE("# only a comment\n", hexlen);
	REFUSE("# only a comment without newline", hexlen);
	/* wrong lengths */
	REFUSE(RFC_SEED "0\n", hexlen);                                 /* 65 */
	REFUSE("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6\n", hexlen); /* 63 */
	REFUSE("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f\n", hexlen);  /* 62 */
	REFUSE(RFC_SEED RFC_SEED "\n", hexlen);                         /* a 64-byte sk */
	/* not hex, at the start, middle and end */
	REFUSE("zd61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n", hexlen);
	REFUSE("9d61b19deffd5a60ba844af492ec2cc4 449c5697b326919703bac031cae7f60\n", hexlen);
	REFUSE("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6g\n", hexlen);
	REFUSE("0x61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n", hexlen);
	/* surrounding space and Windows line ends are not trimmed */
	REFUSE(" " RFC_SEED "\n", hexlen);
	REFUSE(RFC_SEED " \n", hexlen);
	REFUSE(RFC_SEED "\r\n", hexlen);
	/* trailing text */
	const char *after = "unexpected text after the key";
	REFUSE(RFC_SEED "\n\n", after);
	REFUSE(RFC_SEED "\nmore\n", after);
	REFUSE(RFC_SEED "\n# a comment after\n", after);
	REFUSE(RFC_SEED "\n" RFC_SEED "\n", after);
	/* an embedded NUL */
	static const char nul[] = "9d61b19deffd5a60ba844af492ec2cc4\0" "449c5697b326919703bac031cae7f60\n";
	expect_parse_refused(nul, sizeof nul - 1, hexlen);
}

static void test_parse_length_bound(void **state)
{
	(void)state;
	/* len, not the NUL, ends the text */
	const char *text = RFC_SEED "\ntrailing junk";
	struct signkey k;
	char err[200];
	assert_int_equal(signkey_parse(text, 65, 1, &k, err, sizeof err), 0);
	assert_int_equal(signkey_parse(text, 64, 1, &k, err, sizeof err), 0);
	assert_int_equal(signkey_parse(text, 63, 1, &k, err, sizeof err), -1);
	assert_int_equal(signkey_parse(text, 66, 1, &k, err, sizeof err), -1);
}

/* ---- signing ---- */

static void test_sign_verify(void **state)
{
	(void)state;
	const char *text = RFC_SEED;
	struct signkey k;
	char err[200];
	assert_int_equal(signkey_parse(text, strlen(text), 1, &k, err, sizeof err), 0);
	unsigned char msg[100], sig[64];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 7);
	signkey_sign(&k, msg, sizeof msg, sig);
	assert_int_equal(signkey_verify(k.pk, msg, sizeof msg, sig), 0);
	/* every single-bit change of the message is caught */
	for (size_t i = 0; i < sizeof msg; i++) {
		msg[i] ^= 0x01;
		assert_int_equal(signkey_verify(k.pk, msg, sizeof msg, sig), -1);
		msg[i] ^= 0x01;
	}
	/* a shorter or longer message */
	assert_int_equal(signkey_verify(k.pk, msg, sizeof msg - 1, sig), -1);
	/* a changed signature */
	sig[10] ^= 0x80;
	assert_int_equal(signkey_verify(k.pk, msg, sizeof msg, sig), -1);
	sig[10] ^= 0x80;
	/* another key */
	unsigned char other_pk[32], other_sk[64];
	crypto_sign_keypair(other_pk, other_sk);
	assert_int_equal(signkey_verify(other_pk, msg, sizeof msg, sig), -1);
	/* a public key of zeroes is refused, not trusted */
	unsigned char zero_pk[32] = {0};
	assert_int_equal(signkey_verify(zero_pk, msg, sizeof msg, sig), -1);
	assert_int_equal(signkey_verify(k.pk, msg, sizeof msg, sig), 0);
	signkey_wipe(&k);
}

/* ---- files ---- */

static mode_t mode_of(const char *path)
{
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	return sb.st_mode & 07777;
}

static void test_create_and_load(void **state)
{
	struct fx *f = *state;
	char err[300];
	/* the service runs with umask 077: the public half must still be readable */
	mode_t old = umask(077);
	int rc = signkey_create(f->key, err, sizeof err);
	umask(old);
	assert_int_equal(rc, 0);
	assert_int_equal(mode_of(f->key), 0600);
	assert_int_equal(mode_of(f->pub), 0644);

	/* the files are one comment line and one line of hex */
	size_t n;
	char *text = read_file_bytes(f->key, &n);
	assert_non_null(text);
	assert_int_equal(text[0], '#');
	char *nl = strchr(text, '\n');
	assert_non_null(nl);
	assert_int_equal(strlen(nl + 1), 65);
	assert_int_equal(nl[65], '\n');
	free(text);

	struct signkey k, p;
	assert_int_equal(signkey_load(f->key, &k, err, sizeof err), 0);
	assert_int_equal(k.has_secret, 1);
	assert_int_equal(signkey_load_public(f->pub, &p, err, sizeof err), 0);
	assert_int_equal(p.has_secret, 0);
	assert_true(is_zero(p.sk, sizeof p.sk));
	assert_memory_equal(k.pk, p.pk, 32);
	/* the pair works together */
	unsigned char sig[64];
	signkey_sign(&k, (const unsigned char *)"m", 1, sig);
	assert_int_equal(signkey_verify(p.pk, (const unsigned char *)"m", 1, sig), 0);
	signkey_wipe(&k);

	/* two keys are never the same */
	char *key2 = tmpdir_path(f->dir, "second.key");
	struct signkey k2;
	assert_int_equal(signkey_create(key2, err, sizeof err), 0);
	assert_int_equal(signkey_load(key2, &k2, err, sizeof err), 0);
	assert_memory_not_equal(k2.pk, p.pk, 32);
	signkey_wipe(&k2);
	free(key2);
}

static void test_create_refuses_overwrite(void **state)
{
	struct fx *f = *state;
	char err[300];
	assert_int_equal(signkey_create(f->key, err, sizeof err), 0);
	size_t n1, n2;
	char *key_before = read_file_bytes(f->key, &n1);
	char *pub_before = read_file_bytes(f->pub, &n2);
	err[0] = 0;
	assert_int_equal(signkey_create(f->key, err, sizeof err), -1);
	assert_non_null(strstr(err, f->key));
	assert_non_null(strstr(err, "exists"));
	size_t m1, m2;
	char *key_after = read_file_bytes(f->key, &m1);
	char *pub_after = read_file_bytes(f->pub, &m2);
	assert_int_equal(n1, m1);
	assert_memory_equal(key_before, key_after, n1);
	assert_int_equal(n2, m2);
	assert_memory_equal(pub_before, pub_after, n2);
	assert_int_equal(mode_of(f->key), 0600);
	free(key_before);
	free(pub_before);
	free(key_after);
	free(pub_after);

	/* nor through a symlink planted where the key goes */
	char *link_path = tmpdir_path(f->dir, "link.key");
	char *target = tmpdir_path(f->dir, "target");
	assert_int_equal(symlink(target, link_path), 0);
	assert_int_equal(signkey_create(link_path, err, sizeof err), -1);
	assert_false(path_exists(target));
	free(link_path);
	free(target);
}

static void test_create_replaces_stale_pub(void **state)
{
	struct fx *f = *state;
	char err[300];
	write_file_bytes(f->pub, "# stale\n" RFC_PUB "\n", strlen("# stale\n" RFC_PUB "\n"), 0644);
	assert_int_equal(signkey_create(f->key, err, sizeof err), 0);
	struct signkey k, p;
	assert_int_equal(signkey_load(f->key, &k, err, sizeof err), 0);
	assert_int_equal(signkey_load_public(f->pub, &p, err, sizeof err), 0);
	assert_memory_equal(k.pk, p.pk, 32);
	signkey_wipe(&k);
}

static void test_create_in_missing_folder(void **state)
{
	struct fx *f = *state;
	char err[300];
	char *path = tmpdir_path(f->dir, "nope/audit.key");
	assert_int_equal(signkey_create(path, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot create"));
	assert_int_equal(dir_count(f->dir), 0);
	free(path);
}

static void test_load_refuses_readable_by_others(void **state)
{
	struct fx *f = *state;
	char err[300];
	assert_int_equal(signkey_create(f->key, err, sizeof err), 0);
	static const mode_t bad[] = {0640, 0604, 0644, 0660, 0606, 0700 | 0010, 0602};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(chmod(f->key, bad[i]), 0);
		struct signkey k;
		memset(&k, 0xff, sizeof k);
		err[0] = 0;
		if (signkey_load(f->key, &k, err, sizeof err) != -1)
			fail_msg("loaded a key with mode %o", (unsigned)bad[i]);
		assert_non_null(strstr(err, "chmod 600"));
		assert_non_null(strstr(err, f->key));
		assert_true(is_zero(&k, sizeof k));
	}
	/* owner-only modes are fine */
	static const mode_t good[] = {0600, 0400, 0700};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(chmod(f->key, good[i]), 0);
		struct signkey k;
		if (signkey_load(f->key, &k, err, sizeof err) != 0)
			fail_msg("refused a key with mode %o: %s", (unsigned)good[i], err);
		signkey_wipe(&k);
	}
	/* the public file may be world-readable */
	assert_int_equal(chmod(f->pub, 0644), 0);
	struct signkey p;
	assert_int_equal(signkey_load_public(f->pub, &p, err, sizeof err), 0);
}

static void test_load_errors(void **state)
{
	struct fx *f = *state;
	char err[300];
	struct signkey k;
	/* missing */
	assert_int_equal(signkey_load(f->key, &k, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot read signing key"));
	assert_non_null(strstr(err, f->key));
	/* damaged */
	write_file_bytes(f->key, "# key\nnot hex at all\n", 21, 0600);
	assert_int_equal(signkey_load(f->key, &k, err, sizeof err), -1);
	assert_non_null(strstr(err, "is damaged"));
	assert_non_null(strstr(err, "hexadecimal"));
	/* too large */
	char *big = xmalloc(5000);
	memset(big, '#', 5000);
	write_file_bytes(f->key, big, 5000, 0600);
	assert_int_equal(signkey_load(f->key, &k, err, sizeof err), -1);
	assert_non_null(strstr(err, "too large"));
	free(big);
	/* a folder */
	assert_int_equal(signkey_load(f->dir, &k, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	/* a symlink is not followed */
	char *real = tmpdir_path(f->dir, "real.key");
	char *link_path = tmpdir_path(f->dir, "link.key");
	assert_int_equal(signkey_create(real, err, sizeof err), 0);
	assert_int_equal(symlink(real, link_path), 0);
	assert_int_equal(signkey_load(link_path, &k, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot read signing key"));
	assert_int_equal(signkey_load(real, &k, err, sizeof err), 0);
	signkey_wipe(&k);
	free(real);
	free(link_path);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_secret_known_answer),
		cmocka_unit_test(test_parse_public),
		cmocka_unit_test(test_parse_accepted_shapes),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_parse_length_bound),
		cmocka_unit_test(test_sign_verify),
		T(test_create_and_load),
		T(test_create_refuses_overwrite),
		T(test_create_replaces_stale_pub),
		T(test_create_in_missing_folder),
		T(test_load_refuses_readable_by_others),
		T(test_load_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
