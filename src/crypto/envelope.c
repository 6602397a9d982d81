/* envelope.c: report keys, content blobs and sealed-key blobs (see
 * envelope.h for the formats and the padding). libsodium does all the
 * cryptography; this file fixes the layouts, the associated data and the
 * padded sizes, and refuses anything that does not fit them before it
 * reaches a cipher. */
#include "crypto/envelope.h"

#include <sodium.h>
#include <string.h>

#define CONTENT_DOMAIN "probity-content-v1"
#define SEALED_DOMAIN "probity-sealed-key-v1"
#define CONTENT_AD_MAX (sizeof CONTENT_DOMAIN + 8 + ENVELOPE_PURPOSE_MAX)
#define SEALED_AD_BYTES (sizeof SEALED_DOMAIN + 2 + 8)
#define SEALED_INNER_BYTES (2 + 8 + ENVELOPE_KEY_BYTES)
#define NONCE ENVELOPE_NONCE_BYTES

static void put_be64(unsigned char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(u >> (56 - 8 * i));
}

static size_t floor_log2(size_t x)
{
	size_t r = 0;
	while (x >>= 1)
		r++;
	return r;
}

/* The block that n bytes (plaintext and the 0x80 marker) are rounded up to:
 * the floor, a power of two, or Padmé's 2^(E - floor(log2 E) - 1). */
static size_t pad_block(size_t n)
{
	if (n <= ENVELOPE_PAD_MIN)
		return ENVELOPE_PAD_MIN;
	if (n <= ENVELOPE_PAD_POW2_MAX) {
		size_t p = ENVELOPE_PAD_MIN;
		while (p < n)
			p <<= 1;
		return p;
	}
	size_t e = floor_log2(n);
	return (size_t)1 << (e - floor_log2(e) - 1);
}

/* How far back from the end of a padded buffer of p bytes the marker can
 * lie: all of it up to 64 KiB; above, Padmé's block of p, which is at least
 * the block its plaintext was rounded to (the block grows with n, and p >= n). */
static size_t unpad_block(size_t p)
{
	return p <= ENVELOPE_PAD_POW2_MAX ? p : pad_block(p);
}

size_t envelope_padded_size(size_t n)
{
	if (n > ENVELOPE_CONTENT_MAX)
		return 0;
	size_t b = pad_block(n + 1);
	return (n + 1 + b - 1) / b * b;
}

size_t envelope_blob_size(size_t n)
{
	size_t p = envelope_padded_size(n);
	return p ? p + ENVELOPE_OVERHEAD : 0;
}

/* AD = domain NUL || id (8 bytes, big-endian) || purpose. Returns 0, or -1
 * if the id is not positive or the purpose is empty, too long or has a
 * character outside [a-z0-9:_-]. */
static int content_ad(int64_t id, const char *purpose, unsigned char ad[CONTENT_AD_MAX],
		      size_t *adlen)
{
	int rc = -1;
	size_t pl = 0;
	if (id <= 0 || !purpose)
		goto fail;
	pl = strnlen(purpose, ENVELOPE_PURPOSE_MAX + 1);
	if (pl == 0 || pl > ENVELOPE_PURPOSE_MAX)
		goto fail;
	for (size_t i = 0; i < pl; i++) {
		char c = purpose[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '_' ||
		      c == '-'))
			goto fail;
	}
	memcpy(ad, CONTENT_DOMAIN, sizeof CONTENT_DOMAIN); /* with its NUL */
	put_be64(ad + sizeof CONTENT_DOMAIN, id);
	memcpy(ad + sizeof CONTENT_DOMAIN + 8, purpose, pl);
	*adlen = sizeof CONTENT_DOMAIN + 8 + pl;
	rc = 0;
fail:
	return rc;
}

void envelope_key_new(unsigned char key[ENVELOPE_KEY_BYTES])
{
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

int envelope_encrypt(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t report_id,
		     const char *purpose, const unsigned char *plain, size_t n,
		     unsigned char *out, size_t cap, size_t *outlen)
{
	unsigned char ad[CONTENT_AD_MAX];
	size_t adlen, padded = envelope_padded_size(n), got;
	int rc = -1;
	*outlen = 0;
	if (padded == 0 || cap < padded + ENVELOPE_OVERHEAD || (n > 0 && !plain) ||
	    content_ad(report_id, purpose, ad, &adlen) != 0)
		goto fail;
	unsigned char *body = out + 1 + NONCE;
	/* pad and encrypt in place in out: no second copy of the plaintext */
	if (n > 0)
		memcpy(body, plain, n);
	if (sodium_pad(&got, body, n, pad_block(n + 1), padded) != 0 || got != padded) {
		sodium_memzero(body, padded);
		goto fail;
	}
	out[0] = ENVELOPE_VERSION;
	randombytes_buf(out + 1, NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(body, NULL, body, padded, ad, adlen, NULL,
						   out + 1, key);
	*outlen = padded + ENVELOPE_OVERHEAD;
	rc = 0;
fail:
	return rc;
}

int envelope_decrypt(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t report_id,
		     const char *purpose, const unsigned char *blob, size_t n,
		     unsigned char *plain, size_t cap, size_t *plainlen)
{
	unsigned char ad[CONTENT_AD_MAX];
	size_t adlen, padded = 0, len;
	int rc = -1;
	*plainlen = 0;
	if (content_ad(report_id, purpose, ad, &adlen) != 0 || !blob ||
	    n < ENVELOPE_OVERHEAD + ENVELOPE_PAD_MIN ||
	    n > envelope_blob_size(ENVELOPE_CONTENT_MAX) || blob[0] != ENVELOPE_VERSION)
		goto fail;
	padded = n - ENVELOPE_OVERHEAD;
	if (!plain || cap < padded) {
		padded = 0; /* nothing was written, nothing to wipe */
		goto fail;
	}
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, blob + 1 + NONCE,
						       n - 1 - NONCE, ad, adlen, blob + 1,
						       key) != 0)
		goto fail;
	/* only this code writes padded plaintexts (the tag vouches for that), so
	 * a bad marker or a non-canonical size means a bug, still refused */
	if (sodium_unpad(&len, plain, padded, unpad_block(padded)) != 0 ||
	    envelope_padded_size(len) != padded)
		goto fail;
	plain[len] = 0; /* the 0x80 marker; the rest is already zero */
	*plainlen = len;
	rc = 0;
fail:
	if (rc != 0 && padded > 0)
		sodium_memzero(plain, padded);
	return rc;
}

/* 1 for the kinds sealed to an X25519 public key. */
static int pk_kind(int who)
{
	return who == ENVELOPE_HANDLER || who == ENVELOPE_RECOVERY ||
	       who == ENVELOPE_CASE_MEMBER || who == ENVELOPE_CASE_RECOVERY ||
	       who == ENVELOPE_CASE_SUMMARY || who == ENVELOPE_ASSESS_ACCOUNT ||
	       who == ENVELOPE_ASSESS_RECOVERY;
}

int envelope_seal_to_pk(enum envelope_holder who, const unsigned char pk[32], int64_t report_id,
			const unsigned char key[ENVELOPE_KEY_BYTES],
			unsigned char out[ENVELOPE_SEALED_PK_BYTES])
{
	unsigned char inner[SEALED_INNER_BYTES];
	int rc = -1;
	if (!pk_kind(who) || report_id <= 0)
		goto fail;
	inner[0] = ENVELOPE_VERSION;
	inner[1] = (unsigned char)who;
	put_be64(inner + 2, report_id);
	memcpy(inner + 10, key, ENVELOPE_KEY_BYTES);
	/* fails on a low-order public key, whose shared secret would be known */
	if (crypto_box_seal(out + 2, inner, sizeof inner, pk) != 0)
		goto fail;
	out[0] = ENVELOPE_VERSION;
	out[1] = (unsigned char)who;
	rc = 0;
fail:
	sodium_memzero(inner, sizeof inner);
	return rc;
}

int envelope_open_with_sk(enum envelope_holder who, const unsigned char pk[32],
			  const unsigned char sk[32], int64_t report_id,
			  const unsigned char *blob, size_t n,
			  unsigned char key[ENVELOPE_KEY_BYTES])
{
	unsigned char inner[SEALED_INNER_BYTES], want[10];
	int rc = -1;
	if (!pk_kind(who) || report_id <= 0 || !blob ||
	    n != ENVELOPE_SEALED_PK_BYTES || blob[0] != ENVELOPE_VERSION || blob[1] != who)
		goto fail;
	if (crypto_box_seal_open(inner, blob + 2, n - 2, pk, sk) != 0)
		goto fail;
	/* the header outside the box is not authenticated; the copy inside is */
	want[0] = ENVELOPE_VERSION;
	want[1] = (unsigned char)who;
	put_be64(want + 2, report_id);
	if (sodium_memcmp(inner, want, sizeof want) != 0)
		goto fail;
	memcpy(key, inner + 10, ENVELOPE_KEY_BYTES);
	rc = 0;
fail:
	sodium_memzero(inner, sizeof inner);
	if (rc != 0)
		sodium_memzero(key, ENVELOPE_KEY_BYTES);
	return rc;
}

/* AD = domain NUL || version || kind || id (8 bytes, big-endian). */
static void sealed_ad(int64_t id, unsigned char ad[SEALED_AD_BYTES])
{
	memcpy(ad, SEALED_DOMAIN, sizeof SEALED_DOMAIN);
	ad[sizeof SEALED_DOMAIN] = ENVELOPE_VERSION;
	ad[sizeof SEALED_DOMAIN + 1] = ENVELOPE_RECEIPT;
	put_be64(ad + sizeof SEALED_DOMAIN + 2, id);
}

int envelope_seal_to_receipt(const unsigned char receipt_key[32], int64_t report_id,
			     const unsigned char key[ENVELOPE_KEY_BYTES],
			     unsigned char out[ENVELOPE_SEALED_RECEIPT_BYTES])
{
	unsigned char ad[SEALED_AD_BYTES];
	int rc = -1;
	if (report_id <= 0)
		goto fail;
	sealed_ad(report_id, ad);
	out[0] = ENVELOPE_VERSION;
	out[1] = ENVELOPE_RECEIPT;
	randombytes_buf(out + 2, NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 2 + NONCE, NULL, key, ENVELOPE_KEY_BYTES,
						   ad, sizeof ad, NULL, out + 2, receipt_key);
	rc = 0;
fail:
	return rc;
}

int envelope_open_with_receipt(const unsigned char receipt_key[32], int64_t report_id,
			       const unsigned char *blob, size_t n,
			       unsigned char key[ENVELOPE_KEY_BYTES])
{
	unsigned char ad[SEALED_AD_BYTES];
	int rc = -1;
	if (report_id <= 0 || !blob || n != ENVELOPE_SEALED_RECEIPT_BYTES ||
	    blob[0] != ENVELOPE_VERSION || blob[1] != ENVELOPE_RECEIPT)
		goto fail;
	sealed_ad(report_id, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, blob + 2 + NONCE,
						       n - 2 - NONCE, ad, sizeof ad, blob + 2,
						       receipt_key) != 0)
		goto fail;
	rc = 0;
fail:
	if (rc != 0)
		sodium_memzero(key, ENVELOPE_KEY_BYTES);
	return rc;
}

int envelope_sealed_kind(const unsigned char *blob, size_t n)
{
	int kind = -1;
	if (!blob || n < 2 || blob[0] != ENVELOPE_VERSION)
		goto fail;
	if (pk_kind(blob[1]) && n == ENVELOPE_SEALED_PK_BYTES)
		kind = blob[1];
	else if (blob[1] == ENVELOPE_RECEIPT && n == ENVELOPE_SEALED_RECEIPT_BYTES)
		kind = blob[1];
fail:
	return kind;
}
