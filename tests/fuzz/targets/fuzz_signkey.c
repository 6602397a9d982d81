/* fuzz_signkey.c: the signing key file parser on any bytes, as a secret key
 * file and as a public one. An accepted secret key must sign and verify; a
 * refused one must leave nothing behind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/signkey.h"

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
	for (int secret = 0; secret <= 1; secret++) {
		struct signkey k;
		char err[200];
		memset(err, 'x', sizeof err);
		int rc = signkey_parse((const char *)data, size, secret, &k, err, sizeof err);
		if (rc == -1) {
			if (!memchr(err, 0, sizeof err) || !all_zero(&k, sizeof k))
				abort();
			continue;
		}
		if (rc != 0 || k.has_secret != secret)
			abort();
		if (secret) {
			unsigned char sig[SIGNKEY_SIGNATURE_BYTES];
			signkey_sign(&k, data, size, sig);
			if (signkey_verify(k.pk, data, size, sig) != 0)
				abort();
		} else if (!all_zero(k.sk, sizeof k.sk)) {
			abort();
		}
		signkey_wipe(&k);
	}
	return 0;
}
