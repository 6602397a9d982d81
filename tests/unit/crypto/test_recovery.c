/* test_recovery.c: the recovery key split k-of-n (src/crypto/recovery.c):
 * every subset of k or more shares of small splits gives the key back and
 * every smaller one does not, even with its threshold field forged; a
 * corrupted, repeated, renumbered or foreign share is caught by the public
 * key check; the parameter limits hold; sealed shares open only for their
 * custodian and their recovery key; and a recovered key opens a report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/envelope.h"
#include "crypto/recovery.h"
#include "crypto/vault.h"

struct fixture {
	unsigned char pk[32];
	unsigned char *sk;                    /* secure memory */
	struct recovery_share *shares;        /* secure memory, RECOVERY_N_MAX of them */
	struct recovery_share *pick;          /* secure memory, a subset being tried */
	unsigned char *out;                   /* secure memory */
};

static int setup(void **state)
{
	static struct fixture f;
	f.sk = vault_secure_alloc(32);
	f.shares = vault_secure_alloc(RECOVERY_N_MAX * sizeof *f.shares);
	f.pick = vault_secure_alloc(RECOVERY_N_MAX * sizeof *f.pick);
	f.out = vault_secure_alloc(32);
	recovery_keypair(f.pk, f.sk);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	vault_secure_free(f->sk);
	vault_secure_free(f->shares);
	vault_secure_free(f->pick);
	vault_secure_free(f->out);
	return 0;
}

/* Combining must fail, leaving out zeroed. */
static void refused(struct fixture *f, const struct recovery_share *s, unsigned count)
{
	memset(f->out, 0xaa, 32);
	assert_int_equal(recovery_combine(s, count, f->out, f->pk), -1);
	assert_true(sodium_is_zero(f->out, 32));
}

static void test_every_subset(void **state)
{
	struct fixture *f = *state;
	unsigned tried_ok = 0, tried_short = 0;
	for (unsigned n = 2; n <= 6; n++)
		for (unsigned k = 2; k <= n; k++) {
			assert_int_equal(recovery_split(f->sk, k, n, f->shares), 0);
			for (unsigned i = 0; i < n; i++) {
				assert_int_equal(f->shares[i].k, k);
				assert_int_equal(f->shares[i].n, n);
				assert_int_equal(f->shares[i].x, i + 1);
			}
			for (unsigned mask = 1; mask < 1u << n; mask++) {
				unsigned c = 0;
				for (unsigned i = 0; i < n; i++)
					if (mask >> i & 1)
						f->pick[c++] = f->shares[i];
				if (c >= k) {
					memset(f->out, 0, 32);
					assert_int_equal(recovery_combine(f->pick, c, f->out, f->pk),
							 0);
					assert_memory_equal(f->out, f->sk, 32);
					tried_ok++;
					continue;
				}
				refused(f, f->pick, c);
				/* too few even when they claim a lower threshold: the
				 * interpolation gives some other key, which the public
				 * key check refuses */
				if (c >= 2) {
					for (unsigned i = 0; i < c; i++)
						f->pick[i].k = (uint8_t)c;
					refused(f, f->pick, c);
					tried_short++;
				}
			}
		}
	/* the sum over n and k of the subsets of k or more of n shares */
	assert_int_equal(tried_ok, 1 + (4 + 1) + (11 + 5 + 1) + (26 + 16 + 6 + 1) +
					   (57 + 42 + 22 + 7 + 1));
	assert_true(tried_short > 100);
}

static void test_largest_split(void **state)
{
	struct fixture *f = *state;
	/* 16 of 16 and 2 of 16: the ends of the range */
	assert_int_equal(recovery_split(f->sk, 16, 16, f->shares), 0);
	assert_int_equal(recovery_combine(f->shares, 16, f->out, f->pk), 0);
	assert_memory_equal(f->out, f->sk, 32);
	refused(f, f->shares, 15);
	refused(f, f->shares + 1, 15);
	assert_int_equal(recovery_split(f->sk, 2, 16, f->shares), 0);
	for (unsigned i = 0; i < 16; i++)
		for (unsigned j = 0; j < 16; j++) {
			if (i == j)
				continue;
			f->pick[0] = f->shares[i];
			f->pick[1] = f->shares[j];
			assert_int_equal(recovery_combine(f->pick, 2, f->out, f->pk), 0);
			assert_memory_equal(f->out, f->sk, 32);
		}
	refused(f, f->shares, 1);
}

static void test_corrupted_share(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(recovery_split(f->sk, 3, 5, f->shares), 0);
	memcpy(f->pick, f->shares, 3 * sizeof *f->pick);
	assert_int_equal(recovery_combine(f->pick, 3, f->out, f->pk), 0);
	/* every single bit of every share's value, those that change only bits
	 * X25519 ignores included */
	for (unsigned s = 0; s < 3; s++)
		for (unsigned b = 0; b < 256; b++) {
			f->pick[s].y[b / 8] ^= (unsigned char)(1u << (b % 8));
			refused(f, f->pick, 3);
			f->pick[s].y[b / 8] ^= (unsigned char)(1u << (b % 8));
		}
	/* the same change to every share moves the key by that change (the
	 * Lagrange weights sum to 1); here only in bits X25519 ignores, so the
	 * public key alone would still match: the clamping check catches it */
	static const struct {
		unsigned byte;
		unsigned char bit;
	} ignored[] = {{0, 0x01}, {0, 0x02}, {0, 0x04}, {31, 0x40}, {31, 0x80}};
	for (size_t t = 0; t < sizeof ignored / sizeof *ignored; t++) {
		unsigned char *alt = vault_secure_alloc(32);
		memcpy(alt, f->sk, 32);
		alt[ignored[t].byte] ^= ignored[t].bit;
		assert_true(vault_keypair_matches(f->pk, alt));
		vault_secure_free(alt);
		for (unsigned i = 0; i < 3; i++)
			f->pick[i].y[ignored[t].byte] ^= ignored[t].bit;
		refused(f, f->pick, 3);
		for (unsigned i = 0; i < 3; i++)
			f->pick[i].y[ignored[t].byte] ^= ignored[t].bit;
	}
	assert_int_equal(recovery_combine(f->pick, 3, f->out, f->pk), 0);
	/* a share given another unused number */
	f->pick[2].x = 5;
	refused(f, f->pick, 3);
	f->pick[2].x = 3;
	/* a share twice, which libgfshare would turn into garbage silently */
	f->pick[2] = f->pick[1];
	refused(f, f->pick, 3);
	f->pick[2] = f->shares[2];
	/* numbers outside 1..n */
	f->pick[0].x = 0;
	refused(f, f->pick, 3);
	f->pick[0].x = 6;
	refused(f, f->pick, 3);
	f->pick[0] = f->shares[0];
	/* fields that disagree between shares */
	f->pick[1].k = 2;
	refused(f, f->pick, 3);
	f->pick[1] = f->shares[1];
	f->pick[1].n = 6;
	refused(f, f->pick, 3);
	f->pick[1] = f->shares[1];
	/* a threshold or count out of range in every share */
	for (unsigned i = 0; i < 3; i++)
		f->pick[i].k = 1;
	refused(f, f->pick, 3);
	for (unsigned i = 0; i < 3; i++) {
		f->pick[i].k = 3;
		f->pick[i].n = 17;
	}
	refused(f, f->pick, 3);
	memcpy(f->pick, f->shares, 3 * sizeof *f->pick);
	/* a share of another split of the same key: right form, wrong polynomial */
	struct recovery_share *again = vault_secure_alloc(5 * sizeof *again);
	assert_int_equal(recovery_split(f->sk, 3, 5, again), 0);
	f->pick[1] = again[1];
	refused(f, f->pick, 3);
	/* good shares, but checked against another key's public key */
	unsigned char opk[32], osk[32];
	vault_keypair(opk, osk);
	memcpy(f->pick, f->shares, 3 * sizeof *f->pick);
	memset(f->out, 0xaa, 32);
	assert_int_equal(recovery_combine(f->pick, 3, f->out, opk), -1);
	assert_true(sodium_is_zero(f->out, 32));
	assert_int_equal(recovery_combine(NULL, 3, f->out, f->pk), -1);
	assert_int_equal(recovery_combine(f->pick, 0, f->out, f->pk), -1);
	assert_int_equal(recovery_combine(f->pick, 17, f->out, f->pk), -1);
	/* and the same three still work */
	assert_int_equal(recovery_combine(f->pick, 3, f->out, f->pk), 0);
	vault_secure_free(again);
	sodium_memzero(osk, sizeof osk);
}

static void test_parameter_limits(void **state)
{
	struct fixture *f = *state;
	static const unsigned bad[][2] = {{0, 0}, {1, 1}, {1, 5}, {0, 5}, {3, 2},
					  {2, 17}, {17, 17}, {17, 16}, {2, 0}, {300, 300}};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(f->shares, 0x55, RECOVERY_N_MAX * sizeof *f->shares);
		assert_int_equal(recovery_split(f->sk, bad[i][0], bad[i][1], f->shares), -1);
		/* shares untouched: n may not be their size */
		assert_int_equal(((unsigned char *)f->shares)[0], 0x55);
	}
	assert_int_equal(recovery_split(f->sk, 2, 2, NULL), -1);
	assert_int_equal(recovery_split(f->sk, 2, 2, f->shares), 0);
	assert_int_equal(recovery_split(f->sk, 16, 16, f->shares), 0);

	/* shares are not the key and not each other; a new split, new shares */
	assert_int_equal(recovery_split(f->sk, 3, 5, f->shares), 0);
	assert_int_equal(recovery_split(f->sk, 3, 5, f->pick), 0);
	for (unsigned i = 0; i < 5; i++) {
		assert_memory_not_equal(f->shares[i].y, f->sk, 32);
		assert_memory_not_equal(f->shares[i].y, f->pick[i].y, 32);
		for (unsigned j = 0; j < i; j++)
			assert_memory_not_equal(f->shares[i].y, f->shares[j].y, 32);
	}
}

static void test_unclamped_key(void **state)
{
	struct fixture *f = *state;
	/* a key pair made elsewhere, its ignored bits set the other way */
	unsigned char pk[32], *sk = vault_secure_alloc(32), *want = vault_secure_alloc(32);
	vault_keypair(pk, sk);
	sk[0] |= 7;
	sk[31] = (unsigned char)((sk[31] | 0x80) & ~0x40);
	assert_true(vault_keypair_matches(pk, sk));
	memcpy(want, sk, 32);
	want[0] &= 248;
	want[31] = (unsigned char)((want[31] & 127) | 64);
	/* the clamped form comes back: the same key to X25519 */
	assert_int_equal(recovery_split(sk, 2, 3, f->shares), 0);
	assert_int_equal(recovery_combine(f->shares + 1, 2, f->out, pk), 0);
	assert_memory_equal(f->out, want, 32);
	assert_memory_not_equal(f->out, sk, 32);
	const unsigned char msg[] = "sleutel";
	unsigned char sealed[sizeof msg + crypto_box_SEALBYTES], opened[sizeof msg];
	assert_int_equal(crypto_box_seal(sealed, msg, sizeof msg, pk), 0);
	assert_int_equal(crypto_box_seal_open(opened, sealed, sizeof sealed, pk, f->out), 0);
	assert_memory_equal(opened, msg, sizeof msg);
	/* recovery_keypair's own keys come back byte for byte */
	unsigned char rpk[32];
	recovery_keypair(rpk, sk);
	assert_true(vault_keypair_matches(rpk, sk));
	assert_int_equal(sk[0] & 7, 0);
	assert_int_equal(sk[31] & 0xc0, 0x40);
	assert_int_equal(recovery_split(sk, 2, 2, f->shares), 0);
	assert_int_equal(recovery_combine(f->shares, 2, f->out, rpk), 0);
	assert_memory_equal(f->out, sk, 32);
	vault_secure_free(sk);
	vault_secure_free(want);
}

static void test_sealed_shares(void **state)
{
	struct fixture *f = *state;
	enum { N = 5, K = 3 };
	unsigned char cpk[N][32], csk[N][32], blob[N][RECOVERY_SEALED_BYTES + 1];
	struct recovery_share *opened = vault_secure_alloc(N * sizeof *opened);
	assert_int_equal(RECOVERY_SEALED_BYTES, 117);
	for (int i = 0; i < N; i++)
		vault_keypair(cpk[i], csk[i]);
	assert_int_equal(recovery_split(f->sk, K, N, f->shares), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(recovery_seal_share(&f->shares[i], f->pk, cpk[i], blob[i]), 0);
		assert_int_equal(blob[i][0], 1);
		assert_null(memmem(blob[i], RECOVERY_SEALED_BYTES, f->shares[i].y, 8));
	}
	/* each custodian opens their own, and no one else's */
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			memset(&opened[i], 0xaa, sizeof opened[i]);
			int rc = recovery_open_share(blob[i], RECOVERY_SEALED_BYTES, cpk[j], csk[j],
						     f->pk, &opened[i]);
			if (i != j) {
				assert_int_equal(rc, -1);
				assert_true(sodium_is_zero((unsigned char *)&opened[i],
							   sizeof opened[i]));
			}
		}
	for (int i = 0; i < N; i++) {
		assert_int_equal(recovery_open_share(blob[i], RECOVERY_SEALED_BYTES, cpk[i], csk[i],
						     f->pk, &opened[i]), 0);
		assert_memory_equal(&opened[i], &f->shares[i], sizeof opened[i]);
	}
	struct recovery_share *s = &opened[0];
	const size_t n = RECOVERY_SEALED_BYTES;
	/* for another recovery key; cut, lengthened, changed, other version */
	unsigned char opk[32], osk[32];
	vault_keypair(opk, osk);
	assert_int_equal(recovery_open_share(blob[0], n, cpk[0], csk[0], opk, s), -1);
	assert_true(sodium_is_zero((unsigned char *)s, sizeof *s));
	assert_int_equal(recovery_open_share(blob[0], n - 1, cpk[0], csk[0], f->pk, s), -1);
	blob[0][n] = 0;
	assert_int_equal(recovery_open_share(blob[0], n + 1, cpk[0], csk[0], f->pk, s), -1);
	assert_int_equal(recovery_open_share(NULL, n, cpk[0], csk[0], f->pk, s), -1);
	for (size_t i = 0; i < n; i++) {
		blob[0][i] ^= 0x04;
		assert_int_equal(recovery_open_share(blob[0], n, cpk[0], csk[0], f->pk, s), -1);
		blob[0][i] ^= 0x04;
	}
	/* sealing refuses a malformed share or an unusable custodian key */
	struct recovery_share bad = f->shares[0];
	unsigned char tmp[RECOVERY_SEALED_BYTES], zero[32] = {0};
	bad.x = 0;
	assert_int_equal(recovery_seal_share(&bad, f->pk, cpk[0], tmp), -1);
	bad = f->shares[0];
	bad.k = 1;
	assert_int_equal(recovery_seal_share(&bad, f->pk, cpk[0], tmp), -1);
	assert_int_equal(recovery_seal_share(&f->shares[0], f->pk, zero, tmp), -1);
	assert_int_equal(recovery_seal_share(NULL, f->pk, cpk[0], tmp), -1);
	sodium_memzero(&bad, sizeof bad);

	/* custodians 2, 4 and 5 join: the key comes back and opens a report */
	unsigned char *key = vault_secure_alloc(32), *back = vault_secure_alloc(32);
	unsigned char sealed[ENVELOPE_SEALED_PK_BYTES];
	envelope_key_new(key);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_RECOVERY, f->pk, 77, key, sealed), 0);
	const int who[K] = {1, 3, 4};
	for (int i = 0; i < K; i++)
		assert_int_equal(recovery_open_share(blob[who[i]], n, cpk[who[i]], csk[who[i]], f->pk,
						     &f->pick[i]), 0);
	assert_int_equal(recovery_combine(f->pick, K, f->out, f->pk), 0);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_RECOVERY, f->pk, f->out, 77, sealed,
					       sizeof sealed, back), 0);
	assert_memory_equal(back, key, 32);
	/* two of them are not enough */
	refused(f, f->pick, K - 1);

	vault_secure_free(key);
	vault_secure_free(back);
	vault_secure_free(opened);
	sodium_memzero(csk, sizeof csk);
	sodium_memzero(osk, sizeof osk);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_subset),
		cmocka_unit_test(test_largest_split),
		cmocka_unit_test(test_corrupted_share),
		cmocka_unit_test(test_parameter_limits),
		cmocka_unit_test(test_unclamped_key),
		cmocka_unit_test(test_sealed_shares),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
