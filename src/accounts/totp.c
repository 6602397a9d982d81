/* totp.c: TOTP secrets, provisioning URIs and code checks over liboath. The
 * arithmetic (HMAC, dynamic truncation, base32) is liboath's; this file adds
 * what it leaves open: strict input shapes, a constant-time comparison, range
 * checks on the step, and wiping of every copy of the secret it makes. */
#include "accounts/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "web/qrsvg.h"
#include "web/tmpl.h"

_Static_assert(TOTP_SECRET_BYTES % 5 == 0, "base32 of the secret needs no padding");
_Static_assert(TOTP_BASE32_LEN == TOTP_SECRET_BYTES * 8 / 5, "base32 length");
_Static_assert(TOTP_DISPLAY_LEN == TOTP_BASE32_LEN + TOTP_BASE32_LEN / 4 - 1, "display length");
_Static_assert(TOTP_URI_MAX - 1 <= QR_SVG_MAX_INPUT, "every URI must fit a QR code");

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_status = OATH_CRYPTO_ERROR;

/* liboath asks for oath_init before use; request threads may race to be first.
 * oath_done is never called: the library stays in use until the process ends. */
static void oath_start(void)
{
	oath_status = oath_init();
}

static int oath_ready(void)
{
	if (pthread_once(&oath_once, oath_start) != 0)
		return -1;
	return oath_status == OATH_OK ? 0 : -1;
}

void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES])
{
	randombytes_buf(secret, TOTP_SECRET_BYTES);
}

int totp_secret_base32(const unsigned char secret[TOTP_SECRET_BYTES], char *out, size_t cap)
{
	int rc = -1;
	char *enc = NULL;
	size_t len = 0;
	if (cap > 0)
		out[0] = 0;
	if (cap < TOTP_BASE32_LEN + 1 || oath_ready() != 0)
		goto fail;
	if (oath_base32_encode((const char *)secret, TOTP_SECRET_BYTES, &enc, &len) != OATH_OK)
		goto fail;
	if (len != TOTP_BASE32_LEN)
		goto fail;
	memcpy(out, enc, len);
	out[len] = 0;
	rc = 0;
fail:
	/* liboath's copy is on the heap: wipe it before free hands it on */
	if (enc)
		sodium_memzero(enc, len);
	free(enc);
	return rc;
}

int totp_secret_display(const unsigned char secret[TOTP_SECRET_BYTES], char *out, size_t cap)
{
	int rc = -1;
	char b32[TOTP_BASE32_LEN + 1];
	if (cap > 0)
		out[0] = 0;
	if (cap < TOTP_DISPLAY_LEN + 1 || totp_secret_base32(secret, b32, sizeof b32) != 0)
		goto fail;
	size_t o = 0;
	for (size_t i = 0; i < TOTP_BASE32_LEN; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = b32[i];
	}
	out[o] = 0;
	rc = 0;
fail:
	sodium_memzero(b32, sizeof b32);
	return rc;
}

/* A label part the Key URI format can carry: 1..max bytes of UTF-8, no control
 * characters (an app would show them raw) and no ':' (it separates the parts). */
static int name_ok(const char *s, size_t max)
{
	if (!s)
		return 0;
	size_t n = strnlen(s, max + 1);
	if (n == 0 || n > max || !utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == ':')
			return 0;
	}
	return 1;
}

int totp_uri(const char *issuer, const char *account, const unsigned char secret[TOTP_SECRET_BYTES],
	     char *out, size_t cap)
{
	int rc = -1;
	struct buf iss = BUF_INIT, acc = BUF_INIT;
	char b32[TOTP_BASE32_LEN + 1];
	if (cap > 0)
		out[0] = 0;
	if (!name_ok(issuer, TOTP_ISSUER_MAX) || !name_ok(account, TOTP_ACCOUNT_MAX) ||
	    totp_secret_base32(secret, b32, sizeof b32) != 0)
		goto fail;
	/* the names are not secret, so the growable buffers may hold them */
	tmpl_url(&iss, issuer);
	tmpl_url(&acc, account);
	/* written straight into the caller's fixed buffer: a growing buf would leave
	 * copies of the secret behind in memory handed back to malloc */
	int n = snprintf(out, cap,
			 "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&period=%d",
			 iss.p, acc.p, b32, iss.p, TOTP_DIGITS, TOTP_PERIOD);
	if (n < 0 || (size_t)n >= cap || n > TOTP_URI_MAX - 1) {
		if (cap > 0)
			sodium_memzero(out, cap);
		goto fail;
	}
	rc = 0;
fail:
	sodium_memzero(b32, sizeof b32);
	buf_free(&iss);
	buf_free(&acc);
	return rc;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int totp_code_parse(const char *code, char out[TOTP_DIGITS + 1])
{
	int rc = -1;
	memset(out, 0, TOTP_DIGITS + 1);
	if (!code)
		goto fail;
	/* looks no further than one byte past the longest shape accepted */
	size_t n = strnlen(code, TOTP_DIGITS + 2);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (n == TOTP_DIGITS + 1 && i == TOTP_DIGITS / 2) {
			if (code[i] != ' ')
				goto fail;
			continue;
		}
		if (!is_digit(code[i]) || o == TOTP_DIGITS)
			goto fail;
		out[o++] = code[i];
	}
	if (o != TOTP_DIGITS)
		goto fail;
	rc = 0;
fail:
	if (rc != 0)
		sodium_memzero(out, TOTP_DIGITS + 1);
	return rc;
}

/* liboath's validator compares with strcmp, whose running time tells an
 * attacker how many leading digits were right; this compares every digit.
 * Returns 0 on a match and 1 otherwise, as liboath's callback contract asks. */
static int same_code(void *handle, const char *test_otp)
{
	if (strnlen(test_otp, TOTP_DIGITS + 1) != TOTP_DIGITS)
		return 1;
	return sodium_memcmp(handle, test_otp, TOTP_DIGITS) == 0 ? 0 : 1;
}

int totp_verify(const unsigned char secret[TOTP_SECRET_BYTES], const char *code, time_t now,
		int window, int64_t *step_out)
{
	int rc = -1;
	char want[TOTP_DIGITS + 1];
	if (totp_code_parse(code, want) != 0 || now < 0 || window < 0 || window > TOTP_WINDOW_MAX ||
	    oath_ready() != 0)
		goto fail;
	uint64_t step = 0;
	int r = oath_totp_validate3_callback((const char *)secret, TOTP_SECRET_BYTES, now,
					     TOTP_PERIOD, 0, TOTP_DIGITS, (size_t)window, NULL,
					     &step, same_code, want);
	if (r < 0)
		goto fail;
	/* within window steps of the epoch liboath's now - k wraps round to a
	 * counter near 2^64; a match there is not a step of ours */
	uint64_t now_step = (uint64_t)now / TOTP_PERIOD;
	if (step > now_step + (uint64_t)window)
		goto fail;
	*step_out = (int64_t)step;
	rc = 0;
fail:
	sodium_memzero(want, sizeof want);
	return rc;
}
