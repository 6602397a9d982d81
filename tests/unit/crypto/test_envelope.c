/* test_envelope.c: report keys, content blobs and sealed-key blobs
 * (src/crypto/envelope.c): round trips at every size that matters, the
 * padded sizes against the documented rule, the size limit, and refusal of
 * every tampering: another report or purpose, another key, a flipped bit
 * anywhere, a cut or lengthened blob, another version or kind, a sealed key
 * moved between reports, holders or kinds. A blob built here by hand from
 * the documented layout must open, so the format in envelope.h is the one
 * the code speaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/envelope.h"
#include "crypto/receipt.h"
#include "crypto/vault.h"

static unsigned char *xmalloc(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);
	assert_non_null(p);
	return p;
}

/* Encrypts n random bytes, opens them again and checks every promise on the
 * way: the blob's length, the plaintext not showing, the zeroed tail. */
static void round_trip(const unsigned char key[32], int64_t id, const char *purpose, size_t n)
{
	unsigned char *plain = xmalloc(n), *blob, *back;
	size_t bn = envelope_blob_size(n), got, padded = envelope_padded_size(n);
	assert_true(bn > 0);
	assert_int_equal(bn, padded + ENVELOPE_OVERHEAD);
	randombytes_buf(plain, n);
	blob = xmalloc(bn);
	back = xmalloc(padded);
	assert_int_equal(envelope_encrypt(key, id, purpose, plain, n, blob, bn, &got), 0);
	assert_int_equal(got, bn);
	assert_int_equal(blob[0], ENVELOPE_VERSION);
	if (n >= 16)
		assert_null(memmem(blob, bn, plain, 16));
	memset(back, 0xaa, padded);
	assert_int_equal(envelope_decrypt(key, id, purpose, blob, bn, back, padded, &got), 0);
	assert_int_equal(got, n);
	assert_memory_equal(back, plain, n);
	assert_true(sodium_is_zero(back + n, padded - n));
	free(plain);
	free(blob);
	free(back);
}

static void test_padded_sizes(void **state)
{
	(void)state;
	static const struct {
		size_t n, padded;
	} kat[] = {
		{0, 1024},         {1, 1024},           {1023, 1024},        {1024, 2048},
		{2047, 2048},      {2048, 4096},        {40000, 65536},      {65535, 65536},
		/* Padmé: n = L + 1 = 65537, E 16, block 2^(16 - 4 - 1) = 2048 */
		{65536, 67584},    {67583, 67584},      {67584, 69632},      {100000, 100352},
		/* 1 MiB: E 20, block 2^15 */
		{1048575, 1048576}, {1048576, 1081344},
		/* the limit: n = 26214401, E 24, block 2^19: 51 blocks */
		{ENVELOPE_CONTENT_MAX, 26738688},
	};
	for (size_t i = 0; i < sizeof kat / sizeof *kat; i++) {
		assert_int_equal(envelope_padded_size(kat[i].n), kat[i].padded);
		assert_int_equal(envelope_blob_size(kat[i].n), kat[i].padded + 41);
	}
	assert_int_equal(envelope_padded_size(ENVELOPE_CONTENT_MAX + 1), 0);
	assert_int_equal(envelope_blob_size(ENVELOPE_CONTENT_MAX + 1), 0);
	assert_int_equal(envelope_padded_size(SIZE_MAX), 0);

	/* the rule, for every length up to 192 KiB: room for the marker, never
	 * smaller for a longer plaintext, the floor, powers of two to 64 KiB,
	 * at most 1/32 waste above */
	size_t prev = 0, buckets_small = 0;
	for (size_t n = 0; n <= 192u << 10; n++) {
		size_t p = envelope_padded_size(n);
		assert_true(p >= n + 1);
		assert_true(p >= prev);
		if (n + 1 <= ENVELOPE_PAD_MIN)
			assert_int_equal(p, ENVELOPE_PAD_MIN);
		else if (n + 1 <= ENVELOPE_PAD_POW2_MAX)
			assert_int_equal(p & (p - 1), 0);
		else
			assert_true((p - n - 1) * 32 < n + 1);
		if (p != prev && n < ENVELOPE_PAD_POW2_MAX)
			buckets_small++;
		prev = p;
	}
	assert_int_equal(buckets_small, 7); /* 1, 2, 4, 8, 16, 32, 64 KiB */
	/* between 1 and 2 MiB a file has one of 32 sizes */
	size_t sizes = 0;
	prev = 0;
	for (size_t n = 1u << 20; n < 2u << 20; n++) {
		size_t p = envelope_padded_size(n);
		sizes += p != prev;
		prev = p;
	}
	assert_int_equal(sizes, 32);
}

static void test_round_trips(void **state)
{
	(void)state;
	unsigned char key[32];
	envelope_key_new(key);
	for (size_t n = 0; n <= 2100; n++)
		round_trip(key, 1, "report-body", n);
	static const size_t sizes[] = {4095,   4096,   65534,   65535,   65536,   65537,
				       67583,  67584,  131071,  131072,  131073,  (1u << 20) - 1,
				       1u << 20, (1u << 20) + 1, 3u << 20};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		round_trip(key, 7, "attachment:3", sizes[i]);
		round_trip(key, 7, "message:17", sizes[i]);
	}
	/* a fresh nonce each time: the same plaintext twice gives two blobs */
	unsigned char a[1065], b[1065];
	size_t n;
	assert_int_equal(envelope_encrypt(key, 1, "message:1", (const unsigned char *)"ja", 2, a,
					  sizeof a, &n), 0);
	assert_int_equal(envelope_encrypt(key, 1, "message:1", (const unsigned char *)"ja", 2, b,
					  sizeof b, &n), 0);
	assert_memory_not_equal(a, b, sizeof a);
	/* report keys are fresh */
	unsigned char k2[32];
	envelope_key_new(k2);
	assert_memory_not_equal(key, k2, 32);
}

static void test_size_limit(void **state)
{
	(void)state;
	unsigned char key[32];
	envelope_key_new(key);
	round_trip(key, 3, "attachment:1", ENVELOPE_CONTENT_MAX);

	size_t big = ENVELOPE_CONTENT_MAX + 1, got = 99;
	size_t room = envelope_blob_size(ENVELOPE_CONTENT_MAX) + (1u << 20);
	unsigned char *plain = calloc(1, big), *blob = xmalloc(room);
	assert_non_null(plain);
	memset(blob, 0x55, 64);
	assert_int_equal(envelope_encrypt(key, 3, "attachment:1", plain, big, blob, room, &got), -1);
	assert_int_equal(got, 0);
	assert_int_equal(blob[0], 0x55); /* nothing written */
	/* a blob longer than the largest there can be is refused before any work */
	blob[0] = ENVELOPE_VERSION;
	got = 99;
	assert_int_equal(envelope_decrypt(key, 3, "attachment:1", blob,
					  envelope_blob_size(ENVELOPE_CONTENT_MAX) + 1, plain, big,
					  &got), -1);
	assert_int_equal(got, 0);
	free(plain);
	free(blob);
}

static void test_encrypt_refuses(void **state)
{
	(void)state;
	unsigned char key[32], out[2048];
	const unsigned char msg[] = "tien bytes";
	size_t n = 99;
	envelope_key_new(key);
	const char *bad_purpose[] = {"", "Report-body", "report body", "message/1", "bericht\xc3\xa9",
				     "0123456789012345678901234567890123456789012345678"};
	for (size_t i = 0; i < sizeof bad_purpose / sizeof *bad_purpose; i++) {
		assert_int_equal(envelope_encrypt(key, 1, bad_purpose[i], msg, sizeof msg, out,
						  sizeof out, &n), -1);
		assert_int_equal(n, 0);
	}
	assert_int_equal(envelope_encrypt(key, 1, NULL, msg, sizeof msg, out, sizeof out, &n), -1);
	/* 48 characters is the longest purpose */
	assert_int_equal(envelope_encrypt(key, 1, "012345678901234567890123456789012345678901234567",
					  msg, sizeof msg, out, sizeof out, &n), 0);
	assert_int_equal(envelope_encrypt(key, 0, "report-body", msg, sizeof msg, out, sizeof out,
					  &n), -1);
	assert_int_equal(envelope_encrypt(key, -5, "report-body", msg, sizeof msg, out, sizeof out,
					  &n), -1);
	assert_int_equal(envelope_encrypt(key, 1, "report-body", NULL, 1, out, sizeof out, &n), -1);
	assert_int_equal(envelope_encrypt(key, 1, "report-body", msg, sizeof msg, out, 1064, &n), -1);
	assert_int_equal(envelope_encrypt(key, 1, "report-body", msg, sizeof msg, out, 1065, &n), 0);
	assert_int_equal(n, 1065);
	assert_int_equal(envelope_encrypt(key, 1, "report-body", NULL, 0, out, sizeof out, &n), 0);
	assert_int_equal(n, 1065);
}

/* Opening blob must fail with plain left holding nothing. */
static void refused(const unsigned char key[32], int64_t id, const char *purpose,
		    const unsigned char *blob, size_t n)
{
	unsigned char plain[4096];
	size_t got = 99;
	memset(plain, 0, sizeof plain);
	assert_int_equal(envelope_decrypt(key, id, purpose, blob, n, plain, sizeof plain, &got), -1);
	assert_int_equal(got, 0);
	assert_true(sodium_is_zero(plain, sizeof plain));
}

static void test_decrypt_refuses(void **state)
{
	(void)state;
	unsigned char key[32], other[32], blob[1065 + 1], plain[1024];
	const unsigned char msg[] = "de directeur declareert privé-reizen";
	size_t n, got;
	envelope_key_new(key);
	envelope_key_new(other);
	assert_int_equal(envelope_encrypt(key, 42, "attachment:3", msg, sizeof msg, blob,
					  sizeof blob, &n), 0);
	assert_int_equal(n, 1065);

	/* every single flipped bit: version, nonce, ciphertext, tag */
	for (size_t i = 0; i < n; i++)
		for (int bit = 0; bit < 8; bit += 7) {
			blob[i] ^= (unsigned char)(1u << bit);
			refused(key, 42, "attachment:3", blob, n);
			blob[i] ^= (unsigned char)(1u << bit);
		}
	refused(other, 42, "attachment:3", blob, n);        /* another key */
	refused(key, 43, "attachment:3", blob, n);          /* another report */
	refused(key, 0, "attachment:3", blob, n);
	refused(key, -42, "attachment:3", blob, n);
	refused(key, 42, "attachment:4", blob, n);          /* another attachment */
	refused(key, 42, "message:3", blob, n);             /* another kind of content */
	refused(key, 42, "report-body", blob, n);
	refused(key, 42, "Attachment:3", blob, n);          /* not a purpose at all */
	refused(key, 42, "attachment:3", blob, n - 1);      /* cut short */
	refused(key, 42, "attachment:3", blob, ENVELOPE_OVERHEAD + ENVELOPE_PAD_MIN - 1);
	refused(key, 42, "attachment:3", blob, 1);
	refused(key, 42, "attachment:3", blob, 0);
	blob[n] = 0;
	refused(key, 42, "attachment:3", blob, n + 1);      /* lengthened */
	for (unsigned v = 0; v < 256; v++) {                /* every other version */
		if (v == ENVELOPE_VERSION)
			continue;
		blob[0] = (unsigned char)v;
		refused(key, 42, "attachment:3", blob, n);
	}
	blob[0] = ENVELOPE_VERSION;
	/* too small an output buffer: refused, nothing written */
	memset(plain, 0x55, sizeof plain);
	got = 99;
	assert_int_equal(envelope_decrypt(key, 42, "attachment:3", blob, n, plain, 1023, &got), -1);
	assert_int_equal(got, 0);
	assert_int_equal(plain[0], 0x55);
	assert_int_equal(envelope_decrypt(key, 42, "attachment:3", NULL, n, plain, sizeof plain,
					  &got), -1);
	/* and after all that it still opens */
	assert_int_equal(envelope_decrypt(key, 42, "attachment:3", blob, n, plain, sizeof plain,
					  &got), 0);
	assert_int_equal(got, sizeof msg);
	assert_memory_equal(plain, msg, sizeof msg);
}

/* A content blob built from envelope.h's description alone, with the padded
 * plaintext given as is, so that bad padding can be tried too. */
static size_t hand_made(const unsigned char key[32], int64_t id, const char *purpose,
			const unsigned char *padded, size_t plen, unsigned char *out)
{
	unsigned char ad[128];
	size_t dl = strlen("probity-content-v1") + 1, pl = strlen(purpose);
	memcpy(ad, "probity-content-v1", dl);
	for (int i = 0; i < 8; i++)
		ad[dl + (size_t)i] = (unsigned char)((uint64_t)id >> (56 - 8 * i));
	memcpy(ad + dl + 8, purpose, pl);
	out[0] = 1;
	randombytes_buf(out + 1, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 25, NULL, padded, plen, ad, dl + 8 + pl,
						   NULL, out + 1, key);
	return 1 + 24 + plen + 16;
}

static void test_format_as_documented(void **state)
{
	(void)state;
	unsigned char key[32], padded[4096], blob[4096 + 41], plain[4096];
	size_t n, got;
	envelope_key_new(key);
	/* "abc", 0x80, zeros to 1024: opens */
	memset(padded, 0, sizeof padded);
	memcpy(padded, "abc", 3);
	padded[3] = 0x80;
	n = hand_made(key, 9, "message:2", padded, 1024, blob);
	assert_int_equal(envelope_decrypt(key, 9, "message:2", blob, n, plain, sizeof plain, &got),
			 0);
	assert_int_equal(got, 3);
	assert_memory_equal(plain, "abc", 3);
	/* the same padded to 2048, which is not its size: refused */
	n = hand_made(key, 9, "message:2", padded, 2048, blob);
	refused(key, 9, "message:2", blob, n);
	/* no marker at all */
	padded[3] = 0;
	n = hand_made(key, 9, "message:2", padded, 1024, blob);
	refused(key, 9, "message:2", blob, n);
	/* a marker followed by something other than zeros */
	padded[3] = 0x80;
	padded[1000] = 1;
	n = hand_made(key, 9, "message:2", padded, 1024, blob);
	refused(key, 9, "message:2", blob, n);
	/* 1023 bytes and the marker fill exactly 1024 */
	memset(padded, 'x', 1023);
	padded[1023] = 0x80;
	n = hand_made(key, 9, "message:2", padded, 1024, blob);
	assert_int_equal(envelope_decrypt(key, 9, "message:2", blob, n, plain, sizeof plain, &got),
			 0);
	assert_int_equal(got, 1023);
	/* the version byte is 1, the layout as documented: a blob from
	 * envelope_encrypt opens with libsodium and the documented AD alone */
	unsigned char mine[1065], ad[64], inner[1024];
	assert_int_equal(envelope_encrypt(key, 9, "message:2", (const unsigned char *)"hoi", 3, mine,
					  sizeof mine, &n), 0);
	size_t dl = strlen("probity-content-v1") + 1;
	memcpy(ad, "probity-content-v1", dl);
	memset(ad + dl, 0, 7);
	ad[dl + 7] = 9;
	memcpy(ad + dl + 8, "message:2", 9);
	assert_int_equal(mine[0], 1);
	assert_int_equal(crypto_aead_xchacha20poly1305_ietf_decrypt(inner, NULL, NULL, mine + 25,
								    n - 25, ad, dl + 17, mine + 1,
								    key), 0);
	assert_memory_equal(inner, "hoi\x80", 4);
	assert_true(sodium_is_zero(inner + 4, sizeof inner - 4));
}

/* Opening a sealed key must fail with key zeroed. */
static void sk_refused(enum envelope_holder who, const unsigned char pk[32],
		       const unsigned char sk[32], int64_t id, const unsigned char *blob, size_t n)
{
	unsigned char key[32];
	memset(key, 0xaa, sizeof key);
	assert_int_equal(envelope_open_with_sk(who, pk, sk, id, blob, n, key), -1);
	assert_true(sodium_is_zero(key, sizeof key));
}

static void rk_refused(const unsigned char rk[32], int64_t id, const unsigned char *blob,
		       size_t n)
{
	unsigned char key[32];
	memset(key, 0xaa, sizeof key);
	assert_int_equal(envelope_open_with_receipt(rk, id, blob, n, key), -1);
	assert_true(sodium_is_zero(key, sizeof key));
}

static void test_sealed_to_pk(void **state)
{
	(void)state;
	unsigned char pk[32], sk[32], pk2[32], sk2[32], rk[32], key[32], back[32];
	unsigned char blob[ENVELOPE_SEALED_PK_BYTES + 1], rec[ENVELOPE_SEALED_PK_BYTES];
	vault_keypair(pk, sk);
	vault_keypair(pk2, sk2);
	envelope_key_new(key);
	randombytes_buf(rk, sizeof rk);
	assert_int_equal(ENVELOPE_SEALED_PK_BYTES, 92);

	assert_int_equal(envelope_seal_to_pk(ENVELOPE_HANDLER, pk, 5, key, blob), 0);
	assert_int_equal(blob[0], 1);
	assert_int_equal(blob[1], ENVELOPE_HANDLER);
	assert_null(memmem(blob, sizeof blob - 1, key, 8));
	assert_int_equal(envelope_sealed_kind(blob, ENVELOPE_SEALED_PK_BYTES), ENVELOPE_HANDLER);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_HANDLER, pk, sk, 5, blob,
					       ENVELOPE_SEALED_PK_BYTES, back), 0);
	assert_memory_equal(back, key, 32);
	const size_t n = ENVELOPE_SEALED_PK_BYTES;

	sk_refused(ENVELOPE_HANDLER, pk2, sk2, 5, blob, n);        /* another handler */
	sk_refused(ENVELOPE_HANDLER, pk, sk2, 5, blob, n);         /* wrong secret key */
	sk_refused(ENVELOPE_HANDLER, pk, sk, 6, blob, n);          /* another report */
	sk_refused(ENVELOPE_HANDLER, pk, sk, 0, blob, n);
	sk_refused(ENVELOPE_RECOVERY, pk, sk, 5, blob, n);         /* another kind */
	sk_refused(ENVELOPE_RECEIPT, pk, sk, 5, blob, n);
	sk_refused(ENVELOPE_HANDLER, pk, sk, 5, blob, n - 1);      /* cut short */
	blob[n] = 0;
	sk_refused(ENVELOPE_HANDLER, pk, sk, 5, blob, n + 1);      /* lengthened */
	rk_refused(rk, 5, blob, n);                                /* not a receipt blob */
	for (size_t i = 0; i < n; i++) {                           /* every byte */
		blob[i] ^= 0x20;
		sk_refused(ENVELOPE_HANDLER, pk, sk, 5, blob, n);
		blob[i] ^= 0x20;
	}
	/* relabelled as the recovery key's: the sealed copy of the header says
	 * otherwise, even to the right secret key */
	blob[1] = ENVELOPE_RECOVERY;
	sk_refused(ENVELOPE_RECOVERY, pk, sk, 5, blob, n);
	blob[1] = ENVELOPE_HANDLER;
	assert_int_equal(envelope_open_with_sk(ENVELOPE_HANDLER, pk, sk, 5, blob, n, back), 0);

	/* the recovery key's seal works the same way, under its own kind */
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_RECOVERY, pk2, 5, key, rec), 0);
	assert_int_equal(envelope_sealed_kind(rec, sizeof rec), ENVELOPE_RECOVERY);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_RECOVERY, pk2, sk2, 5, rec, sizeof rec,
					       back), 0);
	assert_memory_equal(back, key, 32);
	sk_refused(ENVELOPE_HANDLER, pk2, sk2, 5, rec, sizeof rec);

	/* refusals when sealing */
	unsigned char zero[32] = {0};
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_HANDLER, zero, 5, key, rec), -1);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_RECEIPT, pk, 5, key, rec), -1);
	assert_int_equal(envelope_seal_to_pk((enum envelope_holder)9, pk, 5, key, rec), -1);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_HANDLER, pk, 0, key, rec), -1);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_HANDLER, pk, -1, key, rec), -1);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(sk2, sizeof sk2);
}

static void test_sealed_to_receipt(void **state)
{
	(void)state;
	char shown[RECEIPT_SHOWN_SIZE], norm[RECEIPT_NORM_SIZE];
	unsigned char salt[RECEIPT_SALT_BYTES], rk[32], rk2[32], key[32], back[32], pk[32], sk[32];
	unsigned char blob[ENVELOPE_SEALED_RECEIPT_BYTES + 1], other[ENVELOPE_SEALED_RECEIPT_BYTES];
	const size_t n = ENVELOPE_SEALED_RECEIPT_BYTES;
	assert_int_equal(n, 74);
	receipt_generate(shown);
	assert_int_equal(receipt_normalise(shown, strlen(shown), norm), RECEIPT_OK);
	randombytes_buf(salt, sizeof salt);
	assert_int_equal(receipt_derive_key(norm, salt, rk), 0);
	envelope_key_new(key);
	vault_keypair(pk, sk);

	assert_int_equal(envelope_seal_to_receipt(rk, 11, key, blob), 0);
	assert_int_equal(envelope_sealed_kind(blob, n), ENVELOPE_RECEIPT);
	/* the reporter types the receipt again, in capitals, later */
	char typed[RECEIPT_SHOWN_SIZE], norm2[RECEIPT_NORM_SIZE];
	for (size_t i = 0; i < sizeof typed; i++)
		typed[i] = (char)(shown[i] >= 'a' && shown[i] <= 'z' ? shown[i] - 32 : shown[i]);
	assert_int_equal(receipt_normalise(typed, strlen(typed), norm2), RECEIPT_OK);
	assert_int_equal(receipt_derive_key(norm2, salt, rk2), 0);
	assert_int_equal(envelope_open_with_receipt(rk2, 11, blob, n, back), 0);
	assert_memory_equal(back, key, 32);

	/* another receipt, or the right one with another report's salt */
	char s2[RECEIPT_SHOWN_SIZE], n2[RECEIPT_NORM_SIZE];
	receipt_generate(s2);
	assert_int_equal(receipt_normalise(s2, strlen(s2), n2), RECEIPT_OK);
	assert_int_equal(receipt_derive_key(n2, salt, rk2), 0);
	rk_refused(rk2, 11, blob, n);
	salt[3] ^= 1;
	assert_int_equal(receipt_derive_key(norm, salt, rk2), 0);
	rk_refused(rk2, 11, blob, n);
	rk_refused(rk, 12, blob, n);                          /* another report */
	rk_refused(rk, -11, blob, n);
	rk_refused(rk, 11, blob, n - 1);
	blob[n] = 0;
	rk_refused(rk, 11, blob, n + 1);
	sk_refused(ENVELOPE_HANDLER, pk, sk, 11, blob, n);    /* not a handler's blob */
	for (size_t i = 0; i < n; i++) {
		blob[i] ^= 0x01;
		rk_refused(rk, 11, blob, n);
		blob[i] ^= 0x01;
	}
	/* a sealed key moved from report 11 to report 12's row */
	unsigned char key12[32];
	envelope_key_new(key12);
	assert_int_equal(envelope_seal_to_receipt(rk, 12, key12, other), 0);
	rk_refused(rk, 11, other, n);
	assert_int_equal(envelope_open_with_receipt(rk, 12, other, n, back), 0);
	assert_memory_equal(back, key12, 32);
	assert_int_equal(envelope_seal_to_receipt(rk, 0, key, other), -1);
	assert_int_equal(envelope_open_with_receipt(rk, 11, blob, n, back), 0);
	sodium_memzero(sk, sizeof sk);
}

static void test_sealed_kind(void **state)
{
	(void)state;
	unsigned char b[ENVELOPE_SEALED_MAX + 1] = {0};
	assert_int_equal(envelope_sealed_kind(NULL, 0), -1);
	assert_int_equal(envelope_sealed_kind(b, 0), -1);
	b[0] = 1;
	assert_int_equal(envelope_sealed_kind(b, 1), -1);
	for (unsigned k = 0; k < 256; k++) {
		b[1] = (unsigned char)k;
		int want92 = k == 1 || (k >= 3 && k <= 8) ? (int)k : -1, want74 = k == 2 ? 2 : -1;
		assert_int_equal(envelope_sealed_kind(b, 92), want92);
		assert_int_equal(envelope_sealed_kind(b, 74), want74);
		assert_int_equal(envelope_sealed_kind(b, 93), -1);
		assert_int_equal(envelope_sealed_kind(b, 73), -1);
	}
	b[0] = 2;
	b[1] = 1;
	assert_int_equal(envelope_sealed_kind(b, 92), -1);
}

/* An assessment's key (src/assess) sealed to an account and to the
 * recovery key: each opens under its own kind and id only, so that an
 * assessment key never passes for a report's or a case's key of the same
 * number, nor the other way round. */
static void test_sealed_assessment_kinds(void **state)
{
	(void)state;
	unsigned char pk[32], sk[32], key[32], back[32], acc[ENVELOPE_SEALED_PK_BYTES],
		rec[ENVELOPE_SEALED_PK_BYTES], cas[ENVELOPE_SEALED_PK_BYTES];
	const size_t n = ENVELOPE_SEALED_PK_BYTES;
	vault_keypair(pk, sk);
	envelope_key_new(key);
	assert_int_equal(ENVELOPE_ASSESS_ACCOUNT, 7);
	assert_int_equal(ENVELOPE_ASSESS_RECOVERY, 8);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_ASSESS_ACCOUNT, pk, 3, key, acc), 0);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_ASSESS_RECOVERY, pk, 3, key, rec), 0);
	assert_int_equal(acc[1], 7);
	assert_int_equal(rec[1], 8);
	assert_int_equal(envelope_sealed_kind(acc, n), ENVELOPE_ASSESS_ACCOUNT);
	assert_int_equal(envelope_sealed_kind(rec, n), ENVELOPE_ASSESS_RECOVERY);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_ASSESS_ACCOUNT, pk, sk, 3, acc, n, back), 0);
	assert_memory_equal(back, key, 32);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_ASSESS_RECOVERY, pk, sk, 3, rec, n, back),
			 0);
	assert_memory_equal(back, key, 32);
	/* another assessment, the other assessment kind, a report's or a case's kind */
	sk_refused(ENVELOPE_ASSESS_ACCOUNT, pk, sk, 4, acc, n);
	sk_refused(ENVELOPE_ASSESS_RECOVERY, pk, sk, 3, acc, n);
	sk_refused(ENVELOPE_ASSESS_ACCOUNT, pk, sk, 3, rec, n);
	sk_refused(ENVELOPE_HANDLER, pk, sk, 3, acc, n);
	sk_refused(ENVELOPE_CASE_MEMBER, pk, sk, 3, acc, n);
	/* relabelled: the sealed copy of the header says otherwise */
	acc[1] = ENVELOPE_CASE_MEMBER;
	sk_refused(ENVELOPE_CASE_MEMBER, pk, sk, 3, acc, n);
	acc[1] = ENVELOPE_ASSESS_ACCOUNT;
	/* case 3's key for the same account does not open as assessment 3's */
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_CASE_MEMBER, pk, 3, key, cas), 0);
	sk_refused(ENVELOPE_ASSESS_ACCOUNT, pk, sk, 3, cas, n);
	cas[1] = ENVELOPE_ASSESS_ACCOUNT;
	sk_refused(ENVELOPE_ASSESS_ACCOUNT, pk, sk, 3, cas, n);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_ASSESS_ACCOUNT, pk, sk, 3, acc, n, back), 0);
	sodium_memzero(sk, sizeof sk);
}

/* One report from start to end: its key sealed to two handlers, the
 * reporter and the recovery key; a recused handler gets nothing. */
static void test_whole_report(void **state)
{
	(void)state;
	unsigned char h1p[32], h1s[32], h2p[32], h2s[32], h3p[32], h3s[32], rp[32], rs[32];
	vault_keypair(h1p, h1s);
	vault_keypair(h2p, h2s);
	vault_keypair(h3p, h3s); /* recused: named in the report */
	vault_keypair(rp, rs);
	unsigned char *key = vault_secure_alloc(32), *back = vault_secure_alloc(32);
	envelope_key_new(key);
	const int64_t id = 2024017;
	const char body[] = "{\"wat\":\"fraude bij aanbesteding\",\"wie\":\"afdelingshoofd\"}";
	unsigned char blob[1065], plain[1024];
	size_t n, got;
	assert_int_equal(envelope_encrypt(key, id, "report-body", (const unsigned char *)body,
					  sizeof body - 1, blob, sizeof blob, &n), 0);

	char shown[RECEIPT_SHOWN_SIZE], norm[RECEIPT_NORM_SIZE];
	unsigned char salt[16], rk[32];
	receipt_generate(shown);
	assert_int_equal(receipt_normalise(shown, strlen(shown), norm), RECEIPT_OK);
	randombytes_buf(salt, sizeof salt);
	assert_int_equal(receipt_derive_key(norm, salt, rk), 0);

	unsigned char s1[92], s2[92], sr[92], sx[74];
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_HANDLER, h1p, id, key, s1), 0);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_HANDLER, h2p, id, key, s2), 0);
	assert_int_equal(envelope_seal_to_pk(ENVELOPE_RECOVERY, rp, id, key, sr), 0);
	assert_int_equal(envelope_seal_to_receipt(rk, id, key, sx), 0);
	sodium_memzero(key, 32);

	const unsigned char *sealed[] = {s1, s2};
	const unsigned char *pks[] = {h1p, h2p}, *sks[] = {h1s, h2s};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(envelope_open_with_sk(ENVELOPE_HANDLER, pks[i], sks[i], id,
						       sealed[i], 92, back), 0);
		assert_int_equal(envelope_decrypt(back, id, "report-body", blob, n, plain,
						  sizeof plain, &got), 0);
		assert_memory_equal(plain, body, sizeof body - 1);
		/* the recused handler opens none of the sealed keys */
		sk_refused(ENVELOPE_HANDLER, h3p, h3s, id, sealed[i], 92);
	}
	sk_refused(ENVELOPE_RECOVERY, h3p, h3s, id, sr, 92);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_RECOVERY, rp, rs, id, sr, 92, back), 0);
	assert_int_equal(envelope_decrypt(back, id, "report-body", blob, n, plain, sizeof plain,
					  &got), 0);
	assert_int_equal(envelope_open_with_receipt(rk, id, sx, 74, back), 0);
	assert_int_equal(envelope_decrypt(back, id, "report-body", blob, n, plain, sizeof plain,
					  &got), 0);
	assert_memory_equal(plain, body, sizeof body - 1);
	vault_secure_free(key);
	vault_secure_free(back);
	sodium_memzero(h1s, 32);
	sodium_memzero(h2s, 32);
	sodium_memzero(h3s, 32);
	sodium_memzero(rs, 32);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_padded_sizes),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_encrypt_refuses),
		cmocka_unit_test(test_decrypt_refuses),
		cmocka_unit_test(test_format_as_documented),
		cmocka_unit_test(test_sealed_to_pk),
		cmocka_unit_test(test_sealed_to_receipt),
		cmocka_unit_test(test_sealed_kind),
		cmocka_unit_test(test_sealed_assessment_kinds),
		cmocka_unit_test(test_whole_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
