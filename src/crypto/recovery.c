/* recovery.c: splitting the recovery secret key into custodians' shares and
 * putting it back together (see recovery.h). libgfshare does the Shamir
 * arithmetic, libsodium the sealing and the randomness; this file checks
 * every share before the arithmetic sees it, because libgfshare trusts its
 * caller (a repeated share number, or number 0, silently gives garbage). */
#include "crypto/recovery.h"

#include <libgfshare.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "crypto/vault.h"

#define VERSION 1
#define INNER_BYTES (4 + 2 * RECOVERY_KEY_BYTES)

static pthread_once_t rand_once = PTHREAD_ONCE_INIT;

/* libgfshare draws its polynomial coefficients, and the bytes it overwrites
 * its buffers with, from this hook; Debian's 2.0.0 leaves it NULL. */
static void fill_rand(unsigned char *buf, unsigned int n)
{
	randombytes_buf(buf, n);
}

static void rand_init(void)
{
	gfshare_fill_rand = fill_rand;
}

/* RFC 7748's decodeScalar25519: the bits X25519 ignores, set as it sets them. */
static void clamp(unsigned char s[RECOVERY_KEY_BYTES])
{
	s[0] &= 248;
	s[31] &= 127;
	s[31] |= 64;
}

static int is_clamped(const unsigned char s[RECOVERY_KEY_BYTES])
{
	return (s[0] & 7) == 0 && (s[31] & 0xc0) == 0x40;
}

static int params_ok(unsigned k, unsigned n)
{
	return k >= RECOVERY_K_MIN && k <= n && n <= RECOVERY_N_MAX;
}

static int share_ok(const struct recovery_share *s)
{
	return params_ok(s->k, s->n) && s->x >= 1 && s->x <= s->n;
}

/* Interpolates count shares into out without checking the result: the shares
 * must be well-formed, from one split, with distinct numbers and at least k
 * of them. Returns 0, or -1 (out zeroed) if they are not or libgfshare has no
 * memory. */
static int combine_raw(const struct recovery_share *shares, unsigned count,
		       unsigned char out[RECOVERY_KEY_BYTES])
{
	unsigned char xs[RECOVERY_N_MAX], y[RECOVERY_KEY_BYTES];
	gfshare_ctx *ctx = NULL;
	int rc = -1;
	if (!shares || count < RECOVERY_K_MIN || count > RECOVERY_N_MAX)
		goto fail;
	for (unsigned i = 0; i < count; i++) {
		if (!share_ok(&shares[i]) || shares[i].k != shares[0].k ||
		    shares[i].n != shares[0].n)
			goto fail;
		for (unsigned j = 0; j < i; j++)
			if (shares[j].x == shares[i].x)
				goto fail;
		xs[i] = shares[i].x;
	}
	if (count < shares[0].k)
		goto fail;
	pthread_once(&rand_once, rand_init);
	ctx = gfshare_ctx_init_dec(xs, count, RECOVERY_KEY_BYTES);
	if (!ctx)
		goto fail;
	for (unsigned i = 0; i < count; i++) {
		/* libgfshare takes a non-const pointer; it only copies from it */
		memcpy(y, shares[i].y, sizeof y);
		gfshare_ctx_dec_giveshare(ctx, (unsigned char)i, y);
	}
	gfshare_ctx_dec_extract(ctx, out);
	rc = 0;
fail:
	if (ctx)
		gfshare_ctx_free(ctx);
	sodium_memzero(y, sizeof y);
	if (rc != 0)
		sodium_memzero(out, RECOVERY_KEY_BYTES);
	return rc;
}

/* 0 if count shares recombine to sk, else -1. */
static int gives_back(const struct recovery_share *shares, unsigned count,
		      const unsigned char sk[RECOVERY_KEY_BYTES])
{
	unsigned char got[RECOVERY_KEY_BYTES];
	int rc = combine_raw(shares, count, got) == 0 &&
			 sodium_memcmp(got, sk, RECOVERY_KEY_BYTES) == 0
		 ? 0
		 : -1;
	sodium_memzero(got, sizeof got);
	return rc;
}

void recovery_keypair(unsigned char pk[RECOVERY_KEY_BYTES], unsigned char sk[RECOVERY_KEY_BYTES])
{
	vault_keypair(pk, sk);
	clamp(sk); /* pk is unchanged: X25519 clamped it when making pk */
}

int recovery_split(const unsigned char sk[RECOVERY_KEY_BYTES], unsigned k, unsigned n,
		   struct recovery_share *shares)
{
	unsigned char xs[RECOVERY_N_MAX], secret[RECOVERY_KEY_BYTES];
	gfshare_ctx *ctx = NULL;
	size_t made = 0; /* shares to wipe on failure: none while n is not known good */
	int rc = -1;
	if (!params_ok(k, n) || !shares)
		goto fail;
	made = n;
	for (unsigned i = 0; i < n; i++)
		xs[i] = (unsigned char)(i + 1); /* never 0: share 0 would be the secret */
	pthread_once(&rand_once, rand_init);
	ctx = gfshare_ctx_init_enc(xs, n, (unsigned char)k, RECOVERY_KEY_BYTES);
	if (!ctx)
		goto fail;
	memcpy(secret, sk, sizeof secret);
	clamp(secret);
	gfshare_ctx_enc_setsecret(ctx, secret);
	for (unsigned i = 0; i < n; i++) {
		shares[i].k = (uint8_t)k;
		shares[i].n = (uint8_t)n;
		shares[i].x = xs[i];
		gfshare_ctx_enc_getshare(ctx, (unsigned char)i, shares[i].y);
	}
	/* the first k and the last k must give sk back before anyone relies on
	 * these shares: a broken library found now costs nothing, found at
	 * recovery time it costs every report */
	if (gives_back(shares, k, secret) != 0 || gives_back(shares + (n - k), k, secret) != 0)
		goto fail;
	rc = 0;
fail:
	if (ctx)
		gfshare_ctx_free(ctx);
	sodium_memzero(secret, sizeof secret);
	if (rc != 0 && made > 0)
		sodium_memzero(shares, made * sizeof *shares);
	return rc;
}

int recovery_combine(const struct recovery_share *shares, unsigned count,
		     unsigned char sk_out[RECOVERY_KEY_BYTES],
		     const unsigned char expected_pk[RECOVERY_KEY_BYTES])
{
	int rc = -1;
	if (combine_raw(shares, count, sk_out) != 0)
		goto fail;
	/* interpolation always yields 32 bytes: only a clamped result with the
	 * right public key is the key (see recovery.h) */
	if (!is_clamped(sk_out) || !vault_keypair_matches(expected_pk, sk_out))
		goto fail;
	rc = 0;
fail:
	if (rc != 0)
		sodium_memzero(sk_out, RECOVERY_KEY_BYTES);
	return rc;
}

int recovery_seal_share(const struct recovery_share *share,
			const unsigned char recovery_pk[RECOVERY_KEY_BYTES],
			const unsigned char custodian_pk[32],
			unsigned char out[RECOVERY_SEALED_BYTES])
{
	unsigned char inner[INNER_BYTES];
	int rc = -1;
	if (!share || !share_ok(share))
		goto fail;
	inner[0] = VERSION;
	inner[1] = share->k;
	inner[2] = share->n;
	inner[3] = share->x;
	memcpy(inner + 4, recovery_pk, RECOVERY_KEY_BYTES);
	memcpy(inner + 4 + RECOVERY_KEY_BYTES, share->y, RECOVERY_KEY_BYTES);
	if (crypto_box_seal(out + 1, inner, sizeof inner, custodian_pk) != 0)
		goto fail;
	out[0] = VERSION;
	rc = 0;
fail:
	sodium_memzero(inner, sizeof inner);
	return rc;
}

int recovery_open_share(const unsigned char *blob, size_t n,
			const unsigned char custodian_pk[32], const unsigned char custodian_sk[32],
			const unsigned char recovery_pk[RECOVERY_KEY_BYTES],
			struct recovery_share *share)
{
	unsigned char inner[INNER_BYTES];
	int rc = -1;
	if (!blob || n != RECOVERY_SEALED_BYTES || blob[0] != VERSION)
		goto fail;
	if (crypto_box_seal_open(inner, blob + 1, n - 1, custodian_pk, custodian_sk) != 0)
		goto fail;
	share->k = inner[1];
	share->n = inner[2];
	share->x = inner[3];
	if (inner[0] != VERSION || !share_ok(share) ||
	    sodium_memcmp(inner + 4, recovery_pk, RECOVERY_KEY_BYTES) != 0)
		goto fail;
	memcpy(share->y, inner + 4 + RECOVERY_KEY_BYTES, RECOVERY_KEY_BYTES);
	rc = 0;
fail:
	sodium_memzero(inner, sizeof inner);
	if (rc != 0)
		sodium_memzero(share, sizeof *share);
	return rc;
}
