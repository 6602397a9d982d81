/* fuzz_receipt.c: reading a typed receipt back (receipt_normalise) on any
 * bytes. Whatever it accepts must be a normalised receipt that formats,
 * reads back to itself and hashes; whatever it refuses must leave nothing
 * behind. The bytes are also tried as an already-normalised receipt, which
 * the hashing functions must accept exactly when receipt_normalise would
 * return it unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (sodium_init() < 0)
			abort();
		ready = 1;
	}
	char norm[RECEIPT_NORM_SIZE], again[RECEIPT_NORM_SIZE], shown[RECEIPT_SHOWN_SIZE];
	unsigned char key[RECEIPT_KEY_BYTES], salt[RECEIPT_SALT_BYTES] = {0};
	memset(norm, 'x', sizeof norm);
	enum receipt_status st = receipt_normalise((const char *)data, size, norm);
	if (st == RECEIPT_OK) {
		if (strlen(norm) != RECEIPT_SYMBOLS || receipt_format(norm, shown) != 0 ||
		    receipt_normalise(shown, strlen(shown), again) != RECEIPT_OK ||
		    strcmp(again, norm) != 0 ||
		    receipt_normalise(norm, RECEIPT_SYMBOLS, again) != RECEIPT_OK ||
		    strcmp(again, norm) != 0 || receipt_lookup_key(norm, key) != 0 ||
		    receipt_derive_key(norm, salt, key) != 0)
			abort();
	} else if (st != RECEIPT_MALFORMED && st != RECEIPT_MISTYPED) {
		abort();
	} else if (!all_zero(norm, sizeof norm)) {
		abort();
	}

	char raw[RECEIPT_NORM_SIZE + 8];
	size_t n = size < sizeof raw - 1 ? size : sizeof raw - 1;
	memcpy(raw, data, n);
	raw[n] = 0;
	int lk = receipt_lookup_key(raw, key);
	int fair = receipt_normalise(raw, strlen(raw), again) == RECEIPT_OK &&
		   strcmp(again, raw) == 0;
	if (lk != (fair ? 0 : -1) || receipt_derive_key(raw, salt, key) != lk ||
	    (lk != 0 && !all_zero(key, sizeof key)))
		abort();
	sodium_memzero(norm, sizeof norm);
	sodium_memzero(again, sizeof again);
	return 0;
}
