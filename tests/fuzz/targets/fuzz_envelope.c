/* fuzz_envelope.c: the blob parsers of encryption at rest on any bytes: a
 * content blob, the three kinds of sealed-key blob and a custodian's sealed
 * share, each opened with fixed keys (the committed corpus holds valid blobs
 * made with them, so the fuzzer starts from the real layouts). Nothing may
 * crash; a refusal leaves nothing behind; anything accepted must be
 * consistent with the documented sizes. The bytes are also encrypted as a
 * plaintext and must come back unchanged, which runs the padding on every
 * length the fuzzer tries. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/envelope.h"
#include "crypto/recovery.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPORT_ID 7
#define PURPOSE "report-body"

/* The keys the corpus was made with: every byte of a key or seed is one
 * value, so the corpus can be made again from this description. */
static unsigned char report_key[32], receipt_key[32];
static unsigned char handler_pk[32], handler_sk[32], recovery_pk[32], recovery_sk[32];
static unsigned char custodian_pk[32], custodian_sk[32];

static void keys(void)
{
	unsigned char seed[32];
	memset(report_key, 0x11, sizeof report_key);
	memset(receipt_key, 0x22, sizeof receipt_key);
	memset(seed, 0x33, sizeof seed);
	crypto_box_seed_keypair(handler_pk, handler_sk, seed);
	memset(seed, 0x44, sizeof seed);
	crypto_box_seed_keypair(recovery_pk, recovery_sk, seed);
	memset(seed, 0x55, sizeof seed);
	crypto_box_seed_keypair(custodian_pk, custodian_sk, seed);
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

static void content(const uint8_t *data, size_t size)
{
	size_t cap = size > ENVELOPE_OVERHEAD ? size - ENVELOPE_OVERHEAD : 1, len = 99;
	unsigned char *plain = malloc(cap);
	if (!plain)
		abort();
	memset(plain, 0, cap);
	if (envelope_decrypt(report_key, REPORT_ID, PURPOSE, data, size, plain, cap, &len) == 0) {
		if (envelope_blob_size(len) != size || !all_zero(plain + len, cap - len))
			abort();
	} else if (len != 0 || !all_zero(plain, cap)) {
		abort();
	}
	free(plain);

	/* the bytes as a plaintext: encrypt, open, compare */
	if (size > ENVELOPE_CONTENT_MAX)
		return;
	size_t bn = envelope_blob_size(size), got;
	unsigned char *blob = malloc(bn), *back = malloc(bn);
	if (!blob || !back)
		abort();
	if (envelope_encrypt(report_key, REPORT_ID, "message:1", data, size, blob, bn, &got) != 0 ||
	    got != bn ||
	    envelope_decrypt(report_key, REPORT_ID, "message:1", blob, bn, back, bn, &got) != 0 ||
	    got != size || (size > 0 && memcmp(back, data, size) != 0))
		abort();
	free(blob);
	free(back);
}

static void sealed(const uint8_t *data, size_t size)
{
	unsigned char key[32];
	int kind = envelope_sealed_kind(data, size);
	/* every kind the format knows, the case and assessment kinds included */
	if (kind != -1 && (kind < ENVELOPE_HANDLER || kind > ENVELOPE_ASSESS_RECOVERY))
		abort();
	for (int i = 0; i < 3; i++) {
		memset(key, 0xaa, sizeof key);
		int rc = i == 0 ? envelope_open_with_sk(ENVELOPE_HANDLER, handler_pk, handler_sk,
							REPORT_ID, data, size, key)
			 : i == 1 ? envelope_open_with_receipt(receipt_key, REPORT_ID, data, size, key)
				  : envelope_open_with_sk(ENVELOPE_RECOVERY, recovery_pk, recovery_sk,
							  REPORT_ID, data, size, key);
		/* an opened blob is of the kind it says and yields the report key;
		 * a refused one leaves nothing */
		if (rc == 0 && (kind != i + 1 || memcmp(key, report_key, sizeof key) != 0))
			abort();
		if (rc == -1 && !all_zero(key, sizeof key))
			abort();
		if (rc != 0 && rc != -1)
			abort();
	}
}

static void share(const uint8_t *data, size_t size)
{
	struct recovery_share s;
	if (recovery_open_share(data, size, custodian_pk, custodian_sk, recovery_pk, &s) == 0) {
		if (s.k < RECOVERY_K_MIN || s.k > s.n || s.n > RECOVERY_N_MAX || s.x < 1 ||
		    s.x > s.n)
			abort();
	} else if (!all_zero(&s, sizeof s)) {
		abort();
	}
	sodium_memzero(&s, sizeof s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (sodium_init() < 0)
			abort();
		keys();
		ready = 1;
	}
	content(data, size);
	sealed(data, size);
	share(data, size);
	return 0;
}
