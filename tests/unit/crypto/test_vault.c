/* test_vault.c: password derivation, key wrapping and key pairs
 * (src/crypto/vault.c): derivation is deterministic for one salt and
 * parameter set and differs for any other; wrapped keys open only with the
 * same key, purpose and owner and untouched bytes; the number of derivations
 * running at once stays within the CPU count. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/vault.h"

/* The cheapest parameters a row may hold: these tests check behaviour, not
 * cost. */
static const struct vault_pwparams cheap = {.ops = VAULT_PW_OPS_MIN, .mem = VAULT_PW_MEM_MIN};

static void derive(const char *pw, const unsigned char salt[VAULT_SALT_BYTES],
		   const struct vault_pwparams *p, unsigned char v[VAULT_KEY_BYTES],
		   unsigned char k[VAULT_KEY_BYTES])
{
	assert_int_equal(vault_pw_derive(pw, strlen(pw), salt, p, v, k), 0);
}

static void test_derive_deterministic(void **state)
{
	(void)state;
	unsigned char salt[VAULT_SALT_BYTES], v1[32], k1[32], v2[32], k2[32];
	memset(salt, 7, sizeof salt);
	derive("paard batterij nietje", salt, &cheap, v1, k1);
	derive("paard batterij nietje", salt, &cheap, v2, k2);
	assert_memory_equal(v1, v2, 32);
	assert_memory_equal(k1, k2, 32);
	assert_true(vault_verifier_eq(v1, v2));
	/* the verifier is a hash of one half: never the KEK itself */
	assert_memory_not_equal(v1, k1, 32);

	/* the default parameters are what new passwords get, and they work */
	struct vault_pwparams d = vault_pw_defaults();
	assert_int_equal(d.ops, 2);
	assert_int_equal(d.mem, 19u << 20);
	assert_int_equal(vault_pw_params_ok(&d), 0);
	derive("paard batterij nietje", salt, &d, v2, k2);
	assert_memory_not_equal(v1, v2, 32);
}

static void test_derive_differs(void **state)
{
	(void)state;
	unsigned char salt[VAULT_SALT_BYTES], v1[32], k1[32], v2[32], k2[32];
	memset(salt, 7, sizeof salt);
	derive("paard batterij nietje", salt, &cheap, v1, k1);

	derive("paard batterij nietjE", salt, &cheap, v2, k2);  /* password */
	assert_memory_not_equal(v1, v2, 32);
	assert_memory_not_equal(k1, k2, 32);
	assert_false(vault_verifier_eq(v1, v2));

	salt[15] ^= 1;                                          /* salt */
	derive("paard batterij nietje", salt, &cheap, v2, k2);
	assert_memory_not_equal(v1, v2, 32);
	assert_memory_not_equal(k1, k2, 32);
	salt[15] ^= 1;

	struct vault_pwparams more = cheap;                     /* passes */
	more.ops = 2;
	derive("paard batterij nietje", salt, &more, v2, k2);
	assert_memory_not_equal(v1, v2, 32);
	more = cheap;                                           /* memory */
	more.mem += 1024;
	derive("paard batterij nietje", salt, &more, v2, k2);
	assert_memory_not_equal(k1, k2, 32);

	/* two fresh salts differ */
	unsigned char s1[VAULT_SALT_BYTES], s2[VAULT_SALT_BYTES];
	vault_salt(s1);
	vault_salt(s2);
	assert_memory_not_equal(s1, s2, sizeof s1);
}

static void test_derive_limits(void **state)
{
	(void)state;
	unsigned char salt[VAULT_SALT_BYTES] = {0}, v[32], k[32];
	const struct vault_pwparams bad[] = {
		{.ops = 0, .mem = VAULT_PW_MEM_MIN},
		{.ops = VAULT_PW_OPS_MAX + 1, .mem = VAULT_PW_MEM_MIN},
		{.ops = 1, .mem = VAULT_PW_MEM_MIN - 1},
		{.ops = 1, .mem = VAULT_PW_MEM_MAX + 1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(k, 0xaa, sizeof k);
		assert_int_equal(vault_pw_params_ok(&bad[i]), -1);
		assert_int_equal(vault_pw_derive("x", 1, salt, &bad[i], v, k), -1);
		/* nothing half-made is left behind */
		assert_true(sodium_is_zero(k, sizeof k));
		assert_true(sodium_is_zero(v, sizeof v));
	}
	static char big[VAULT_PASSWORD_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	assert_int_equal(vault_pw_derive(big, VAULT_PASSWORD_MAX + 1, salt, &cheap, v, k), -1);
	assert_int_equal(vault_pw_derive(big, VAULT_PASSWORD_MAX, salt, &cheap, v, k), 0);
}

static void test_wrap_round_trip(void **state)
{
	(void)state;
	unsigned char kek[32], plain[32], out[32 + VAULT_WRAP_OVERHEAD],
		again[32 + VAULT_WRAP_OVERHEAD], back[32];
	randombytes_buf(kek, sizeof kek);
	randombytes_buf(plain, sizeof plain);
	assert_int_equal(VAULT_WRAP_OVERHEAD, 40);
	assert_int_equal(vault_wrap(kek, "probity-account-key-v1", 42, plain, 32, out), 0);
	/* the plaintext does not show through */
	assert_null(memmem(out, sizeof out, plain, 8));
	assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", 42, out, sizeof out, back), 0);
	assert_memory_equal(plain, back, 32);
	/* a random nonce: wrapping twice gives two different envelopes that both open */
	assert_int_equal(vault_wrap(kek, "probity-account-key-v1", 42, plain, 32, again), 0);
	assert_memory_not_equal(out, again, sizeof out);
	assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", 42, again, sizeof again, back),
			 0);
	assert_memory_equal(plain, back, 32);
	/* the other sizes accounts use: the 20-byte TOTP secret, and nothing */
	unsigned char t[20 + VAULT_WRAP_OVERHEAD], tb[20], e[VAULT_WRAP_OVERHEAD];
	assert_int_equal(vault_wrap(kek, "probity-account-totp-v1", 1, plain, 20, t), 0);
	assert_int_equal(vault_unwrap(kek, "probity-account-totp-v1", 1, t, sizeof t, tb), 0);
	assert_memory_equal(plain, tb, 20);
	assert_int_equal(vault_wrap(kek, "p", 1, NULL, 0, e), 0);
	assert_int_equal(vault_unwrap(kek, "p", 1, e, sizeof e, NULL), 0);
}

static void test_wrap_refuses(void **state)
{
	(void)state;
	unsigned char kek[32], other[32], plain[32], out[32 + VAULT_WRAP_OVERHEAD], back[32];
	randombytes_buf(kek, sizeof kek);
	randombytes_buf(other, sizeof other);
	randombytes_buf(plain, sizeof plain);
	assert_int_equal(vault_wrap(kek, "probity-account-key-v1", 42, plain, 32, out), 0);

	/* every single flipped bit, in nonce, ciphertext or tag */
	for (size_t i = 0; i < sizeof out; i++) {
		out[i] ^= 0x01;
		memset(back, 0xaa, sizeof back);
		assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", 42, out, sizeof out,
					      back), -1);
		assert_true(sodium_is_zero(back, sizeof back));
		out[i] ^= 0x01;
	}
	/* wrong key, wrong purpose, wrong owner: the associated data binds them */
	assert_int_equal(vault_unwrap(other, "probity-account-key-v1", 42, out, sizeof out, back),
			 -1);
	assert_int_equal(vault_unwrap(kek, "probity-account-totp-v1", 42, out, sizeof out, back),
			 -1);
	assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", 43, out, sizeof out, back),
			 -1);
	assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", -42, out, sizeof out, back),
			 -1);
	/* cut short, or too short to be an envelope at all */
	assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", 42, out, sizeof out - 1, back),
			 -1);
	assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", 42, out,
				      VAULT_WRAP_OVERHEAD - 1, back), -1);
	/* it still opens when nothing is wrong */
	assert_int_equal(vault_unwrap(kek, "probity-account-key-v1", 42, out, sizeof out, back), 0);

	/* purposes must be named and short; plaintexts bounded */
	char longp[VAULT_PURPOSE_MAX + 2];
	memset(longp, 'p', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	assert_int_equal(vault_wrap(kek, "", 1, plain, 32, out), -1);
	assert_int_equal(vault_wrap(kek, longp, 1, plain, 32, out), -1);
	assert_int_equal(vault_unwrap(kek, longp, 1, out, sizeof out, back), -1);
	static unsigned char huge[VAULT_WRAP_MAX + 1 + VAULT_WRAP_OVERHEAD];
	assert_int_equal(vault_wrap(kek, "p", 1, huge, VAULT_WRAP_MAX + 1, huge), -1);
}

static void test_keypair(void **state)
{
	(void)state;
	unsigned char pk[32], sk[32], pk2[32], sk2[32];
	vault_keypair(pk, sk);
	vault_keypair(pk2, sk2);
	assert_memory_not_equal(pk, pk2, 32);
	assert_true(vault_keypair_matches(pk, sk));
	assert_true(vault_keypair_matches(pk2, sk2));
	assert_false(vault_keypair_matches(pk, sk2));
	/* it is an X25519 pair that crypto_box_seal uses */
	const unsigned char msg[] = "melding 2024-017";
	unsigned char sealed[sizeof msg + crypto_box_SEALBYTES], opened[sizeof msg];
	assert_int_equal(crypto_box_seal(sealed, msg, sizeof msg, pk), 0);
	assert_int_equal(crypto_box_seal_open(opened, sealed, sizeof sealed, pk, sk), 0);
	assert_memory_equal(opened, msg, sizeof msg);
	assert_int_not_equal(crypto_box_seal_open(opened, sealed, sizeof sealed, pk2, sk2), 0);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(sk2, sizeof sk2);
}

static void test_secure_alloc(void **state)
{
	(void)state;
	unsigned char *p = vault_secure_alloc(100);
	assert_true(sodium_is_zero(p, 100));
	memset(p, 0x55, 100);
	vault_secure_free(p);
}

static void *derive_thread(void *arg)
{
	(void)arg;
	unsigned char salt[VAULT_SALT_BYTES] = {1}, v[32], k[32];
	assert_int_equal(vault_pw_derive("parallel password", 17, salt, &cheap, v, k), 0);
	return NULL;
}

static void test_concurrency_bounded(void **state)
{
	(void)state;
	unsigned slots, peak;
	uint64_t before, after;
	vault_pw_stats(&slots, &peak, &before);
	assert_true(slots >= 1);
	enum { THREADS = 12 };
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, derive_thread, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	vault_pw_stats(&slots, &peak, &after);
	assert_true(after - before == THREADS);
	assert_true(peak >= 1);
	assert_true(peak <= slots);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive_deterministic),
		cmocka_unit_test(test_derive_differs),
		cmocka_unit_test(test_derive_limits),
		cmocka_unit_test(test_wrap_round_trip),
		cmocka_unit_test(test_wrap_refuses),
		cmocka_unit_test(test_keypair),
		cmocka_unit_test(test_secure_alloc),
		cmocka_unit_test(test_concurrency_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
