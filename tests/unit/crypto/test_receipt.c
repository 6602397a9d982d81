/* test_receipt.c: receipts (src/crypto/receipt.c): the shown form, the
 * spread of the randomness, reading typed input back (case, separators,
 * look-alikes), telling a mistyped receipt from a wrong one, and the two
 * hashes against values computed independently with Python's hashlib and a
 * brute-force solver of the check equations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/receipt.h"

static const char ALPHABET[] = "0123456789abcdefghjkmnpqrstvwxyz";

/* From Python: brute force of sum c_i = 0, sum alpha^i c_i = 0 over GF(32)
 * mod x^5 + x^2 + 1 with log tables (not the C code's arithmetic). */
static const char *const KAT_VALID[] = {
	"0000000000000000000000",
	"7k2m9qdxa3fpwz4hb8nc7q",
	"zzzzzzzzzzzzzzzzzzzz99",
	"0123456789abcdefghjkgg",
	"1000000000000000000032",
};

static int sym(char c)
{
	const char *p = strchr(ALPHABET, c);
	return p && c ? (int)(p - ALPHABET) : -1;
}

/* Normalises a copy of in without its NUL in a buffer of exactly its length,
 * so that AddressSanitizer sees any read past the end. */
static enum receipt_status norm_len(const char *in, size_t n, char out[RECEIPT_NORM_SIZE])
{
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, in, n);
	enum receipt_status st = receipt_normalise(copy, n, out);
	free(copy);
	return st;
}

static enum receipt_status norm_of(const char *in, char out[RECEIPT_NORM_SIZE])
{
	return norm_len(in, strlen(in), out);
}

static void test_generate_shape(void **state)
{
	(void)state;
	char shown[RECEIPT_SHOWN_SIZE], norm[RECEIPT_NORM_SIZE], again[RECEIPT_SHOWN_SIZE];
	assert_int_equal(RECEIPT_SHOWN_SIZE, 28);
	for (int round = 0; round < 200; round++) {
		receipt_generate(shown);
		assert_int_equal(strlen(shown), 27);
		size_t k = 0;
		for (size_t i = 0; i < 27; i++) {
			if (i % 5 == 4) {
				assert_int_equal(shown[i], '-');
				continue;
			}
			assert_true(sym(shown[i]) >= 0);
			norm[k++] = shown[i];
		}
		norm[k] = 0;
		char got[RECEIPT_NORM_SIZE];
		assert_int_equal(norm_of(shown, got), RECEIPT_OK);
		assert_string_equal(got, norm);
		assert_int_equal(receipt_format(got, again), 0);
		assert_string_equal(again, shown);
	}
}

static int cmp_norm(const void *a, const void *b)
{
	return memcmp(a, b, RECEIPT_NORM_SIZE);
}

static void test_randomness_spread(void **state)
{
	(void)state;
	enum { N = 4000 };
	char(*all)[RECEIPT_NORM_SIZE] = calloc(N, RECEIPT_NORM_SIZE);
	assert_non_null(all);
	static unsigned per_pos[RECEIPT_SYMBOLS][32];
	unsigned total[32] = {0}, bits[100] = {0};
	memset(per_pos, 0, sizeof per_pos);
	for (int r = 0; r < N; r++) {
		char shown[RECEIPT_SHOWN_SIZE];
		receipt_generate(shown);
		assert_int_equal(norm_of(shown, all[r]), RECEIPT_OK);
		for (int i = 0; i < RECEIPT_SYMBOLS; i++) {
			int v = sym(all[r][i]);
			per_pos[i][v]++;
			if (i < RECEIPT_RANDOM_SYMBOLS) {
				total[v]++;
				for (int b = 0; b < 5; b++)
					bits[i * 5 + b] += (unsigned)(v >> b & 1);
			}
		}
	}
	/* no two alike */
	qsort(all, N, RECEIPT_NORM_SIZE, cmp_norm);
	for (int r = 1; r < N; r++)
		assert_memory_not_equal(all[r - 1], all[r], RECEIPT_NORM_SIZE);
	free(all);
	/* every symbol in every position, the check ones included */
	for (int i = 0; i < RECEIPT_SYMBOLS; i++)
		for (int v = 0; v < 32; v++)
			assert_true(per_pos[i][v] > 0);
	/* uniform over the alphabet: chi-square with 31 degrees of freedom,
	 * mean 31; 80 is about six standard deviations out */
	double expect = N * RECEIPT_RANDOM_SYMBOLS / 32.0, chi = 0;
	for (int v = 0; v < 32; v++)
		chi += (total[v] - expect) * (total[v] - expect) / expect;
	assert_true(chi < 80.0);
	/* each of the 100 bits is set about half the time (sd 32 of 2000) */
	for (int b = 0; b < 100; b++)
		assert_true(bits[b] > 1800 && bits[b] < 2200);
}

static void test_check_matches_independent(void **state)
{
	(void)state;
	char out[RECEIPT_NORM_SIZE], in[RECEIPT_NORM_SIZE];
	for (size_t t = 0; t < sizeof KAT_VALID / sizeof *KAT_VALID; t++) {
		assert_int_equal(norm_of(KAT_VALID[t], out), RECEIPT_OK);
		assert_string_equal(out, KAT_VALID[t]);
		/* of the 1024 possible check pairs, exactly Python's is accepted */
		int accepted = 0;
		memcpy(in, KAT_VALID[t], sizeof in);
		for (int a = 0; a < 32; a++)
			for (int b = 0; b < 32; b++) {
				in[20] = ALPHABET[a];
				in[21] = ALPHABET[b];
				enum receipt_status st = norm_of(in, out);
				assert_true(st == RECEIPT_OK || st == RECEIPT_MISTYPED);
				if (st == RECEIPT_OK) {
					accepted++;
					assert_int_equal(in[20], KAT_VALID[t][20]);
					assert_int_equal(in[21], KAT_VALID[t][21]);
				}
			}
		assert_int_equal(accepted, 1);
	}
}

static void test_normalise_accepts(void **state)
{
	(void)state;
	const char *want = "1000000000000000000032";
	const char *forms[] = {
		"1000000000000000000032",
		"1000-0000-0000-0000-0000-32",
		"1000 0000 0000 0000 0000 32",
		"  1000-0000-0000-0000-0000-32\r\n",
		"1\t000--0000 - 0000-0000-0000-3-2",
		"L000-OOOO-0000-0000-0000-32",     /* Crockford: L and O */
		"l000-oooo-0000-0000-0000-32",
		"I000-0000-0000-0000-0000-32",
		"i000-0o0O-0000-0000-0000-32",
		"1000\xe2\x80\x91" "0000\xe2\x80\x93" "0000\xe2\x80\x94" "0000\xc2\xa0" "0000\xe2\x88\x92" "32",
		"1000\xe2\x80\xaf" "0000\xe2\x80\x90" "0000\xe2\x80\x92" "0000\xe2\x80\x95" "0000-32",
	};
	char out[RECEIPT_NORM_SIZE];
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		memset(out, 'x', sizeof out);
		assert_int_equal(norm_of(forms[i], out), RECEIPT_OK);
		assert_string_equal(out, want);
	}
	/* upper case of a receipt with letters */
	assert_int_equal(norm_of("7K2M-9QDX-A3FP-WZ4H-B8NC-7Q", out), RECEIPT_OK);
	assert_string_equal(out, "7k2m9qdxa3fpwz4hb8nc7q");
	/* separators count towards the input limit, not the symbols */
	char lim[RECEIPT_INPUT_MAX + 2];
	memset(lim, ' ', sizeof lim);
	memcpy(lim, want, 22);
	assert_int_equal(norm_len(lim, RECEIPT_INPUT_MAX, out), RECEIPT_OK);
	assert_string_equal(out, want);
	assert_int_equal(norm_len(lim, RECEIPT_INPUT_MAX + 1, out), RECEIPT_MALFORMED);
}

static void test_normalise_rejects(void **state)
{
	(void)state;
	const char *bad[] = {
		"",
		"   --- ",
		"1000-0000-0000-0000-0000-3",        /* 21 symbols */
		"1000-0000-0000-0000-0000-322",      /* 23 */
		"1000-0000-0000-0000-0000",          /* the check group left out */
		"1000-0000-0000-0000-0000-32-1000-0000-0000-0000-0000-32",
		"u000-0000-0000-0000-0000-32",       /* u is not in the alphabet */
		"1000-0000-0000-0000-0000-3!",
		"1000_0000_0000_0000_0000_32",       /* only blanks and dashes are skipped */
		"1000.0000.0000.0000.0000.32",
		"1000-0000-0000-0000-0000-3\xc3\xa9",
		"1000-0000-0000-0000-0000-32\xe2\x80", /* a dash cut short */
		"1000-0000-0000-0000-0000-32\xc2",
		"1000-0000-0000-0000-0000-32\xe2\x80\x99", /* a quote, not a dash */
	};
	char out[RECEIPT_NORM_SIZE];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(out, 'x', sizeof out);
		assert_int_equal(norm_of(bad[i], out), RECEIPT_MALFORMED);
		assert_true(sodium_is_zero((unsigned char *)out, sizeof out));
	}
	/* a NUL inside the given length is a character no receipt has */
	const char nul[] = "1000-0000-0000-0000\0-0000-32";
	assert_int_equal(norm_len(nul, sizeof nul - 1, out), RECEIPT_MALFORMED);
	assert_int_equal(receipt_normalise(NULL, 0, out), RECEIPT_MALFORMED);
	/* a wrong check is told apart, and also leaves nothing behind */
	memset(out, 'x', sizeof out);
	assert_int_equal(norm_of("1000-0000-0000-0000-0000-33", out), RECEIPT_MISTYPED);
	assert_true(sodium_is_zero((unsigned char *)out, sizeof out));
}

/* Replaces position i of a normalised receipt by symbol v. */
static void put(char *s, int i, int v)
{
	s[i] = ALPHABET[v];
}

static void test_mistyped_vs_wrong(void **state)
{
	(void)state;
	char shown[RECEIPT_SHOWN_SIZE], norm[RECEIPT_NORM_SIZE], t[RECEIPT_NORM_SIZE],
		out[RECEIPT_NORM_SIZE];
	receipt_generate(shown);
	assert_int_equal(norm_of(shown, norm), RECEIPT_OK);

	/* every single typo, in every position */
	for (int i = 0; i < RECEIPT_SYMBOLS; i++)
		for (int v = 0; v < 32; v++) {
			if (v == sym(norm[i]))
				continue;
			memcpy(t, norm, sizeof t);
			put(t, i, v);
			assert_int_equal(norm_of(t, out), RECEIPT_MISTYPED);
		}
	/* every swap of two different symbols, adjacent or not */
	for (int i = 0; i < RECEIPT_SYMBOLS; i++)
		for (int j = i + 1; j < RECEIPT_SYMBOLS; j++) {
			if (norm[i] == norm[j])
				continue;
			memcpy(t, norm, sizeof t);
			t[i] = norm[j];
			t[j] = norm[i];
			assert_int_equal(norm_of(t, out), RECEIPT_MISTYPED);
		}
	/* every pair of typos */
	long pairs = 0;
	for (int i = 0; i < RECEIPT_SYMBOLS; i++)
		for (int j = i + 1; j < RECEIPT_SYMBOLS; j++)
			for (int a = 0; a < 32; a++) {
				if (a == sym(norm[i]))
					continue;
				for (int b = 0; b < 32; b++) {
					if (b == sym(norm[j]))
						continue;
					memcpy(t, norm, sizeof t);
					put(t, i, a);
					put(t, j, b);
					assert_int_equal(norm_of(t, out), RECEIPT_MISTYPED);
					pairs++;
				}
			}
	assert_int_equal(pairs, 231L * 31 * 31);
	/* three typos slip through about once in 1024 (the check has 10 bits):
	 * 20000 tries should let some, but far from all, through */
	int slipped = 0;
	for (int r = 0; r < 20000; r++) {
		int p[3];
		p[0] = (int)randombytes_uniform(RECEIPT_SYMBOLS);
		do
			p[1] = (int)randombytes_uniform(RECEIPT_SYMBOLS);
		while (p[1] == p[0]);
		do
			p[2] = (int)randombytes_uniform(RECEIPT_SYMBOLS);
		while (p[2] == p[0] || p[2] == p[1]);
		memcpy(t, norm, sizeof t);
		for (int k = 0; k < 3; k++)
			put(t, p[k], (sym(norm[p[k]]) + 1 + (int)randombytes_uniform(31)) % 32);
		slipped += norm_of(t, out) == RECEIPT_OK;
	}
	assert_true(slipped < 60);

	/* another well-formed receipt is accepted here: "wrong" is decided by
	 * the lookup, which gets a different key */
	char other[RECEIPT_SHOWN_SIZE], onorm[RECEIPT_NORM_SIZE];
	unsigned char k1[RECEIPT_KEY_BYTES], k2[RECEIPT_KEY_BYTES];
	receipt_generate(other);
	assert_int_equal(norm_of(other, onorm), RECEIPT_OK);
	assert_int_equal(receipt_lookup_key(norm, k1), 0);
	assert_int_equal(receipt_lookup_key(onorm, k2), 0);
	assert_memory_not_equal(k1, k2, sizeof k1);
}

static void hex(const char *h, unsigned char *out, size_t n)
{
	size_t got;
	assert_int_equal(sodium_hex2bin(out, n, h, strlen(h), NULL, &got, NULL), 0);
	assert_int_equal(got, n);
}

static void test_keys_known_answers(void **state)
{
	(void)state;
	/* hashlib.blake2b(norm, key=b"probity-receipt-lookup-v1", digest_size=32) */
	unsigned char want[32], got[32], salt[RECEIPT_SALT_BYTES];
	hex("75ff3c5bff1d1c0c78d8f1ddad9c63f983f09c9e0e0b413c85148dc9a81e9ff5", want, 32);
	assert_int_equal(receipt_lookup_key("7k2m9qdxa3fpwz4hb8nc7q", got), 0);
	assert_memory_equal(got, want, 32);
	/* hashlib.blake2b(b"", key=norm, salt=bytes(range(16)),
	 *                 person=b"probity-rcpt-kek", digest_size=32) */
	for (int i = 0; i < RECEIPT_SALT_BYTES; i++)
		salt[i] = (unsigned char)i;
	hex("5d067bd62715e1acee37db303555ffd04bafd75436bc41f75783557c2df37f5c", want, 32);
	assert_int_equal(receipt_derive_key("7k2m9qdxa3fpwz4hb8nc7q", salt, got), 0);
	assert_memory_equal(got, want, 32);
	/* the lookup key tells nothing of the wrapping key */
	unsigned char lk[32];
	assert_int_equal(receipt_lookup_key("7k2m9qdxa3fpwz4hb8nc7q", lk), 0);
	assert_memory_not_equal(lk, got, 32);
	/* another salt, another key; stable for the same inputs */
	unsigned char other[32];
	salt[0] ^= 1;
	assert_int_equal(receipt_derive_key("7k2m9qdxa3fpwz4hb8nc7q", salt, other), 0);
	assert_memory_not_equal(other, got, 32);
	salt[0] ^= 1;
	assert_int_equal(receipt_derive_key("7k2m9qdxa3fpwz4hb8nc7q", salt, other), 0);
	assert_memory_equal(other, got, 32);
}

static void test_keys_refuse_unnormalised(void **state)
{
	(void)state;
	const char *bad[] = {
		"7k2m-9qdx-a3fp-wz4h-b8nc-7q",   /* shown, not normalised */
		"7K2M9QDXA3FPWZ4HB8NC7Q",        /* upper case */
		"7k2m9qdxa3fpwz4hb8nc7r",        /* check fails */
		"7k2m9qdxa3fpwz4hb8nc7",         /* short */
		"7k2m9qdxa3fpwz4hb8nc7qq",       /* long */
		"ok2m9qdxa3fpwz4hb8nc7q",        /* a look-alike left in */
		"",
	};
	unsigned char out[32], salt[RECEIPT_SALT_BYTES] = {0};
	char shown[RECEIPT_SHOWN_SIZE];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(out, 0xaa, sizeof out);
		assert_int_equal(receipt_lookup_key(bad[i], out), -1);
		assert_true(sodium_is_zero(out, sizeof out));
		memset(out, 0xaa, sizeof out);
		assert_int_equal(receipt_derive_key(bad[i], salt, out), -1);
		assert_true(sodium_is_zero(out, sizeof out));
		memset(shown, 'x', sizeof shown);
		assert_int_equal(receipt_format(bad[i], shown), -1);
		assert_true(sodium_is_zero((unsigned char *)shown, sizeof shown));
	}
	assert_int_equal(receipt_lookup_key(NULL, out), -1);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_shape),
		cmocka_unit_test(test_randomness_spread),
		cmocka_unit_test(test_check_matches_independent),
		cmocka_unit_test(test_normalise_accepts),
		cmocka_unit_test(test_normalise_rejects),
		cmocka_unit_test(test_mistyped_vs_wrong),
		cmocka_unit_test(test_keys_known_answers),
		cmocka_unit_test(test_keys_refuse_unnormalised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
