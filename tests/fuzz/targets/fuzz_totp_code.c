/* fuzz_totp_code.c: what a user types as a second factor, on any bytes. A TOTP
 * code is accepted exactly when it has one of the two shapes and equals the
 * code liboath computes for a step in the window; a recovery code normalises to
 * twelve symbols of the alphabet, again to itself, and hashes and checks. */
#include <liboath/oath.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/recovery.h"
#include "accounts/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 256  /* beyond both parsers' own limits */
#define NOW 1111111111 /* step 37037037 of the RFC 6238 vectors */
#define WINDOW 1       /* the three codes of the window differ, so which step matched is unambiguous */

static const unsigned char secret[TOTP_SECRET_BYTES] = "12345678901234567890";

static int shape_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 6 && n != 7)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (n == 7 && i == 3 ? s[i] != ' ' : (s[i] < '0' || s[i] > '9'))
			return 0;
	}
	return 1;
}

static void check_totp(const char *s)
{
	char digits[TOTP_DIGITS + 1];
	int parsed = totp_code_parse(s, digits);
	if (parsed != (shape_ok(s) ? 0 : -1))
		abort();
	int64_t step = -1;
	int rc = totp_verify(secret, s, NOW, WINDOW, &step);
	/* what it must have said, from liboath's generator directly */
	int want = -1;
	int64_t want_step = -1;
	for (int64_t k = NOW / 30 - WINDOW; parsed == 0 && k <= NOW / 30 + WINDOW; k++) {
		char otp[TOTP_DIGITS + 1];
		if (oath_hotp_generate((const char *)secret, sizeof secret, (uint64_t)k, TOTP_DIGITS,
				       0, OATH_HOTP_DYNAMIC_TRUNCATION, otp) != OATH_OK)
			abort();
		if (memcmp(otp, digits, TOTP_DIGITS) == 0 && want != 0) {
			want = 0;
			want_step = k;
		}
	}
	if (rc != want || step != want_step)
		abort();
}

static void check_recovery(const char *s)
{
	char norm[RECOVERY_CHARS + 1], again[RECOVERY_CHARS + 1];
	if (recovery_normalise(s, norm) != 0) {
		for (size_t i = 0; i < sizeof norm; i++)
			if (norm[i])
				abort();
		return;
	}
	if (strlen(norm) != RECOVERY_CHARS || strlen(s) > RECOVERY_INPUT_MAX)
		abort();
	if (recovery_normalise(norm, again) != 0 || strcmp(norm, again) != 0)
		abort();
	unsigned char h[RECOVERY_HASH_BYTES];
	if (recovery_hash(norm, h) != 0 || recovery_check(s, h) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		/* the check uses liboath directly; totp.c starts it only for itself */
		if (oath_init() != OATH_OK)
			abort();
		ready = 1;
	}
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	/* an exact-size heap copy, so that ASan sees any read past the NUL */
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	check_totp(s);
	check_recovery(s);
	free(s);
	return 0;
}
