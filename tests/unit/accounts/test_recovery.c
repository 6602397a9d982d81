/* test_recovery.c: recovery codes (src/accounts/recovery.c): their shape and
 * alphabet, what input is taken for a code, and the stored hash. The known
 * answers were computed apart with Python:
 * hashlib.blake2b(code, digest_size=32, key=b"probity-recovery-v1"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "accounts/recovery.h"

#define ALPHABET "0123456789abcdefghjkmnpqrstvwxyz"

static void hex_decode(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, &got, NULL), 0);
	assert_int_equal(got, n);
}

static void check_shape(const char *code)
{
	if (strlen(code) != RECOVERY_CODE_LEN)
		fail_msg("code \"%s\" has length %zu", code, strlen(code));
	for (size_t i = 0; i < RECOVERY_CODE_LEN; i++) {
		int dash = i == 4 || i == 9;
		if (dash ? code[i] != '-' : !strchr(ALPHABET, code[i]))
			fail_msg("code \"%s\": bad character at %zu", code, i);
	}
}

static void test_generate_shape_and_distinct(void **state)
{
	(void)state;
	char a[RECOVERY_CODES][RECOVERY_CODE_LEN + 1], b[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
	memset(a, 'x', sizeof a);
	recovery_generate(a);
	recovery_generate(b);
	for (int i = 0; i < RECOVERY_CODES; i++) {
		check_shape(a[i]);
		check_shape(b[i]);
		for (int j = 0; j < RECOVERY_CODES; j++) {
			if (j != i && strcmp(a[i], a[j]) == 0)
				fail_msg("codes %d and %d are both %s", i, j, a[i]);
			if (strcmp(a[i], b[j]) == 0)
				fail_msg("two sets share %s", a[i]);
		}
		/* a generated code is its own input */
		char norm[RECOVERY_CHARS + 1];
		assert_int_equal(recovery_normalise(a[i], norm), 0);
		unsigned char h[RECOVERY_HASH_BYTES];
		assert_int_equal(recovery_hash(norm, h), 0);
		assert_int_equal(recovery_check(a[i], h), 0);
	}
}

/* 60 bits need all 32 symbols in use, each about equally often: 3840 draws per
 * run of this test; a symbol's count is binomial with mean 120, sd 10.8, so the
 * bounds below are more than six sd away. */
static void test_generate_uses_whole_alphabet(void **state)
{
	(void)state;
	int count[256] = {0};
	for (int round = 0; round < 32; round++) {
		char c[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
		recovery_generate(c);
		for (int i = 0; i < RECOVERY_CODES; i++)
			for (const char *p = c[i]; *p; p++)
				if (*p != '-')
					count[(unsigned char)*p]++;
	}
	for (const char *s = ALPHABET; *s; s++)
		if (count[(unsigned char)*s] < 50 || count[(unsigned char)*s] > 190)
			fail_msg("symbol %c drawn %d times of 3840", *s, count[(unsigned char)*s]);
	for (int c = 0; c < 256; c++)
		if (count[c] && !strchr(ALPHABET, c))
			fail_msg("character 0x%02x outside the alphabet", c);
}

static void test_normalise_accepts(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} ok[] = {
		{"abcd-efgh-jkmn", "abcdefghjkmn"},
		{"abcdefghjkmn", "abcdefghjkmn"},
		{"ABCD-EFGH-JKMN", "abcdefghjkmn"},
		{"ABCD EFGH JKMN", "abcdefghjkmn"},
		{"  abcd - efgh - jkmn  ", "abcdefghjkmn"},
		{"a-b-c-d-e-f-g-h-j-k-m-n", "abcdefghjkmn"},
		{"0123-4567-89xz", "0123456789xz"},
		/* Crockford's readings of the letters that are not in the alphabet */
		{"oOiI-lL00-1111", "001111001111"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char out[RECOVERY_CHARS + 1];
		if (recovery_normalise(ok[i].in, out) != 0)
			fail_msg("refused \"%s\"", ok[i].in);
		assert_string_equal(out, ok[i].want);
	}
	/* the longest input allowed: the code padded with spaces */
	char pad[RECOVERY_INPUT_MAX + 2];
	memset(pad, ' ', sizeof pad);
	memcpy(pad, "abcdefghjkmn", 12);
	pad[RECOVERY_INPUT_MAX] = 0;
	char out[RECOVERY_CHARS + 1];
	assert_int_equal(recovery_normalise(pad, out), 0);
	pad[RECOVERY_INPUT_MAX] = ' ';
	pad[RECOVERY_INPUT_MAX + 1] = 0;
	assert_int_equal(recovery_normalise(pad, out), -1);
}

static void test_normalise_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "-", "abcd-efgh-jkm", "abcd-efgh-jkmnp", "abcd-efgh-jkmu", "abcd_efgh_jkmn",
		"abcd.efgh.jkmn", "abcd\tefgh-jkmn", "abcd-efgh-jkmn\n", "abcd-efgh-jkm\xc3\xa9",
		"abcd-efgh-jkm\xef\xbd\x8e", "abcdefghjkmn abcdefghjkmn", "abcd+efgh+jkmn",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[RECOVERY_CHARS + 1];
		memset(out, 'x', sizeof out);
		if (recovery_normalise(bad[i], out) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		for (size_t j = 0; j < sizeof out; j++)
			assert_int_equal(out[j], 0);
	}
	char out[RECOVERY_CHARS + 1];
	assert_int_equal(recovery_normalise(NULL, out), -1);
}

static void test_hash_known_answers(void **state)
{
	(void)state;
	static const struct {
		const char *code, *hex;
	} v[] = {
		{"abcdefghjkmn", "37614bcf07aaf92bf1f870217384349c98b2bb31d039b12b54b08b2502d0467a"},
		{"000000000000", "f61f134078f7e5b42bdbbb4475663f9a3269ab6858a8729dc32ea77e2bca022d"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		unsigned char h[RECOVERY_HASH_BYTES], want[RECOVERY_HASH_BYTES];
		hex_decode(v[i].hex, want, sizeof want);
		assert_int_equal(recovery_hash(v[i].code, h), 0);
		assert_memory_equal(h, want, sizeof h);
	}
}

static void test_hash_refuses_non_canonical(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"ABCDEFGHJKMN", "abcd-efgh-jkmn", "abcdefghjkm", "abcdefghjkmnp", "abcdefghjkmu",
		"abcdefghjkml", "abcdefghjkmo", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsigned char h[RECOVERY_HASH_BYTES];
		memset(h, 0xaa, sizeof h);
		if (recovery_hash(bad[i], h) != -1)
			fail_msg("hashed \"%s\"", bad[i]);
		for (size_t j = 0; j < sizeof h; j++)
			assert_int_equal(h[j], 0);
	}
	unsigned char h[RECOVERY_HASH_BYTES];
	assert_int_equal(recovery_hash(NULL, h), -1);
}

static void test_check(void **state)
{
	(void)state;
	unsigned char h[RECOVERY_HASH_BYTES];
	hex_decode("37614bcf07aaf92bf1f870217384349c98b2bb31d039b12b54b08b2502d0467a", h, sizeof h);
	assert_int_equal(recovery_check("abcd-efgh-jkmn", h), 0);
	assert_int_equal(recovery_check("ABCD EFGH JKMN", h), 0);
	assert_int_equal(recovery_check("abcd-efgh-jkmp", h), -1);
	assert_int_equal(recovery_check("abcd-efgh-jkm", h), -1);
	assert_int_equal(recovery_check(NULL, h), -1);
	/* a hash differing in its last byte only */
	h[RECOVERY_HASH_BYTES - 1] ^= 1;
	assert_int_equal(recovery_check("abcd-efgh-jkmn", h), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_shape_and_distinct),
		cmocka_unit_test(test_generate_uses_whole_alphabet),
		cmocka_unit_test(test_normalise_accepts),
		cmocka_unit_test(test_normalise_rejects),
		cmocka_unit_test(test_hash_known_answers),
		cmocka_unit_test(test_hash_refuses_non_canonical),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
