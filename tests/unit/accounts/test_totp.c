/* test_totp.c: TOTP codes, secrets and provisioning URIs (src/accounts/totp.c).
 * Known answers come from RFC 6238 appendix B and RFC 4226 appendix D (the
 * SHA-1 secret "12345678901234567890"), cut to six digits; codes for the steps
 * next to them were computed apart with Python's hmac module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/totp.h"
#include "web/qrsvg.h"

static const unsigned char rfc_secret[TOTP_SECRET_BYTES] = "12345678901234567890";
#define RFC_BASE32 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

#define STEP_SENTINEL INT64_C(-12345)

/* Verifies and returns the matched step, or STEP_SENTINEL when refused; also
 * checks that a refusal leaves step_out alone. */
static int64_t verify(const char *code, time_t now, int window)
{
	int64_t step = STEP_SENTINEL;
	int rc = totp_verify(rfc_secret, code, now, window, &step);
	if (rc == 0 && step == STEP_SENTINEL)
		fail_msg("accepted \"%s\" without a step", code ? code : "(null)");
	if (rc != 0 && (rc != -1 || step != STEP_SENTINEL))
		fail_msg("refusal of \"%s\" returned %d, step %lld", code ? code : "(null)", rc,
			 (long long)step);
	return rc == 0 ? step : STEP_SENTINEL;
}

/* ---- codes ---- */

static void test_rfc6238_vectors(void **state)
{
	(void)state;
	static const struct {
		time_t t;
		const char *code;
	} v[] = {
		{59, "287082"},          {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"},  {2000000000, "279037"}, {20000000000, "353130"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int64_t want = (int64_t)v[i].t / 30;
		if (verify(v[i].code, v[i].t, 0) != want || verify(v[i].code, v[i].t, 1) != want)
			fail_msg("vector %zu (t=%lld) not accepted at its own step", i,
				 (long long)v[i].t);
		/* the same code with the space apps show */
		char spaced[8];
		snprintf(spaced, sizeof spaced, "%.3s %.3s", v[i].code, v[i].code + 3);
		assert_int_equal(verify(spaced, v[i].t, 0), want);
	}
}

static void test_wrong_code_or_secret(void **state)
{
	(void)state;
	assert_int_equal(verify("287083", 59, 1), STEP_SENTINEL);
	assert_int_equal(verify("000000", 59, TOTP_WINDOW_MAX), STEP_SENTINEL);
	unsigned char other[TOTP_SECRET_BYTES];
	memcpy(other, rfc_secret, sizeof other);
	other[19] ^= 1;
	int64_t step = STEP_SENTINEL;
	assert_int_equal(totp_verify(other, "287082", 59, 1, &step), -1);
	assert_int_equal(step, STEP_SENTINEL);
}

/* Steps 37037036 (081804) and 37037037 (050471) are adjacent; the boundary
 * between them is t = 37037037 * 30 = 1111111110. */
static void test_window_edges(void **state)
{
	(void)state;
	/* one step late */
	assert_int_equal(verify("081804", 1111111110, 0), STEP_SENTINEL);
	assert_int_equal(verify("081804", 1111111110, 1), 37037036);
	assert_int_equal(verify("081804", 1111111139, 1), 37037036);
	/* two steps late */
	assert_int_equal(verify("081804", 1111111140, 1), STEP_SENTINEL);
	assert_int_equal(verify("081804", 1111111140, 2), 37037036);
	/* one step early: the last second of the step before */
	assert_int_equal(verify("050471", 1111111109, 0), STEP_SENTINEL);
	assert_int_equal(verify("050471", 1111111109, 1), 37037037);
	/* two steps early */
	assert_int_equal(verify("050471", 1111111079, 1), STEP_SENTINEL);
	assert_int_equal(verify("050471", 1111111079, 2), 37037037);
	/* exactly on the boundary the new step is current */
	assert_int_equal(verify("050471", 1111111110, 0), 37037037);
	/* the widest window allowed reaches ten steps */
	assert_int_equal(verify("081804", 1111111080 + 300, TOTP_WINDOW_MAX), 37037036);
	assert_int_equal(verify("081804", 1111111080 + 330, TOTP_WINDOW_MAX), STEP_SENTINEL);
}

/* Near 1970 liboath's look-back wraps round to counters near 2^64; codes of
 * those counters (094451 for 2^64-1, 488204 for 2^64-2) must not pass. */
static void test_epoch_wrap(void **state)
{
	(void)state;
	assert_int_equal(verify("755224", 0, 0), 0);
	assert_int_equal(verify("287082", 29, 1), 1);
	assert_int_equal(verify("755224", 30, 1), 0);
	assert_int_equal(verify("094451", 0, 1), STEP_SENTINEL);
	assert_int_equal(verify("488204", 0, 2), STEP_SENTINEL);
	assert_int_equal(verify("094451", 29, 1), STEP_SENTINEL);
}

static void test_malformed_codes(void **state)
{
	(void)state;
	/* every one of these holds the right digits for t = 59, or close to them */
	static const char *const bad[] = {
		"", "12345", "1234567", "12a456", "28708", "2870820", " 287082", "287082 ",
		"287082\n", "2870 82", "28 7082", "287  082", "287-082", "287\t082", "+287082",
		"-287082", "287 0822", "\xd9\xa2\xd9\xa8\xd9\xa7\xd9\xa0\xd9\xa8\xd9\xa2",
		"\xef\xbc\x92\xef\xbc\x98\xef\xbc\x97\xef\xbc\x90\xef\xbc\x98\xef\xbc\x92",
		"287082287082287082287082287082287082287082287082287082287082",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (verify(bad[i], 59, TOTP_WINDOW_MAX) != STEP_SENTINEL)
			fail_msg("accepted malformed code %zu \"%s\"", i, bad[i]);
		char out[TOTP_DIGITS + 1];
		memset(out, 'x', sizeof out);
		assert_int_equal(totp_code_parse(bad[i], out), -1);
		for (size_t j = 0; j < sizeof out; j++)
			assert_int_equal(out[j], 0);
	}
	assert_int_equal(verify(NULL, 59, 1), STEP_SENTINEL);
	char out[TOTP_DIGITS + 1];
	assert_int_equal(totp_code_parse(NULL, out), -1);
}

static void test_code_parse(void **state)
{
	(void)state;
	char out[TOTP_DIGITS + 1];
	assert_int_equal(totp_code_parse("012345", out), 0);
	assert_string_equal(out, "012345");
	assert_int_equal(totp_code_parse("012 345", out), 0);
	assert_string_equal(out, "012345");
	assert_int_equal(totp_code_parse("000000", out), 0);
	assert_string_equal(out, "000000");
}

static void test_bad_arguments(void **state)
{
	(void)state;
	assert_int_equal(verify("287082", 59, -1), STEP_SENTINEL);
	assert_int_equal(verify("287082", 59, TOTP_WINDOW_MAX + 1), STEP_SENTINEL);
	assert_int_equal(verify("287082", -1, 1), STEP_SENTINEL);
	assert_int_equal(verify("287082", -30, 1), STEP_SENTINEL);
}

/* ---- secrets ---- */

static void test_secret_new(void **state)
{
	(void)state;
	unsigned char a[TOTP_SECRET_BYTES], b[TOTP_SECRET_BYTES], zero[TOTP_SECRET_BYTES] = {0};
	totp_secret_new(a);
	totp_secret_new(b);
	assert_memory_not_equal(a, b, sizeof a);
	assert_memory_not_equal(a, zero, sizeof a);
}

static void test_secret_base32(void **state)
{
	(void)state;
	char out[TOTP_BASE32_LEN + 1];
	assert_int_equal(totp_secret_base32(rfc_secret, out, sizeof out), 0);
	assert_string_equal(out, RFC_BASE32);
	char small[TOTP_BASE32_LEN];
	memset(small, 'x', sizeof small);
	assert_int_equal(totp_secret_base32(rfc_secret, small, sizeof small), -1);
	assert_int_equal(small[0], 0);
	assert_null(memchr(small, 'G', sizeof small));
}

static void test_secret_display(void **state)
{
	(void)state;
	char out[TOTP_DISPLAY_LEN + 1];
	assert_int_equal(totp_secret_display(rfc_secret, out, sizeof out), 0);
	assert_string_equal(out, "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
	assert_int_equal(strlen(out), TOTP_DISPLAY_LEN);
	char small[TOTP_DISPLAY_LEN];
	memset(small, 'x', sizeof small);
	assert_int_equal(totp_secret_display(rfc_secret, small, sizeof small), -1);
	assert_int_equal(small[0], 0);
}

/* ---- provisioning URI ---- */

#define URI_TAIL "&algorithm=SHA1&digits=6&period=30"

static void test_uri_plain(void **state)
{
	(void)state;
	char out[TOTP_URI_MAX];
	assert_int_equal(totp_uri("Probity", "jan.devries", rfc_secret, out, sizeof out), 0);
	assert_string_equal(out, "otpauth://totp/Probity:jan.devries?secret=" RFC_BASE32
				 "&issuer=Probity" URI_TAIL);
}

static void test_uri_escaping(void **state)
{
	(void)state;
	char out[TOTP_URI_MAX];
	assert_int_equal(totp_uri("Ministerie van BZK", "jan@example.org", rfc_secret, out,
				  sizeof out),
			 0);
	assert_string_equal(out, "otpauth://totp/Ministerie%20van%20BZK:jan%40example.org?secret=" RFC_BASE32
				 "&issuer=Ministerie%20van%20BZK" URI_TAIL);
	/* every character with a meaning in a URI is encoded, and UTF-8 byte by byte */
	assert_int_equal(totp_uri("a&b=c?d#e", "Zo\xc3\xab %+/x", rfc_secret, out, sizeof out), 0);
	assert_string_equal(out, "otpauth://totp/a%26b%3Dc%3Fd%23e:Zo%C3%AB%20%25%2B%2Fx?secret=" RFC_BASE32
				 "&issuer=a%26b%3Dc%3Fd%23e" URI_TAIL);
}

static void test_uri_rejects(void **state)
{
	(void)state;
	char long_name[TOTP_ISSUER_MAX + 2];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = 0;
	static const char *const bad[] = {
		"", "a:b", "a%3Ab", "tab\there", "nl\n", "del\x7f", "bad\xc3", "\xc0\xaf",
		"\xed\xa0\x80",
	};
	char out[TOTP_URI_MAX];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* a%3Ab is legal text: a literal ":" is what the format forbids */
		int want = strcmp(bad[i], "a%3Ab") == 0 ? 0 : -1;
		memset(out, 'x', sizeof out);
		if (totp_uri(bad[i], "jan", rfc_secret, out, sizeof out) != want ||
		    totp_uri("Probity", bad[i], rfc_secret, out, sizeof out) != want)
			fail_msg("name %zu \"%s\" not answered %d", i, bad[i], want);
		if (want == -1)
			assert_int_equal(out[0], 0);
	}
	assert_int_equal(totp_uri(NULL, "jan", rfc_secret, out, sizeof out), -1);
	assert_int_equal(totp_uri("Probity", NULL, rfc_secret, out, sizeof out), -1);
	assert_int_equal(totp_uri(long_name, "jan", rfc_secret, out, sizeof out), -1);
	assert_int_equal(totp_uri("Probity", long_name, rfc_secret, out, sizeof out), -1);
	long_name[TOTP_ISSUER_MAX] = 0;
	assert_int_equal(totp_uri(long_name, "jan", rfc_secret, out, sizeof out), 0);
	assert_int_equal(totp_uri("Probity", long_name, rfc_secret, out, sizeof out), 0);
}

/* A buffer one byte short fails and leaves no part of the secret behind. */
static void test_uri_small_buffer(void **state)
{
	(void)state;
	char full[TOTP_URI_MAX];
	assert_int_equal(totp_uri("Probity", "jan", rfc_secret, full, sizeof full), 0);
	size_t need = strlen(full) + 1;
	char out[TOTP_URI_MAX];
	memset(out, 'x', sizeof out);
	assert_int_equal(totp_uri("Probity", "jan", rfc_secret, out, need - 1), -1);
	for (size_t i = 0; i < need - 1; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(totp_uri("Probity", "jan", rfc_secret, out, need), 0);
	assert_string_equal(out, full);
}

/* Names within their limits can still encode past TOTP_URI_MAX (every byte
 * escaped is three); such a URI is refused rather than cut, and the largest
 * URI accepted fits a QR code. */
static void test_uri_fits_qr(void **state)
{
	(void)state;
	char issuer[TOTP_ISSUER_MAX + 1], account[TOTP_ACCOUNT_MAX + 1];
	memset(issuer, '%', TOTP_ISSUER_MAX);
	issuer[TOTP_ISSUER_MAX] = 0;
	memset(account, '%', TOTP_ACCOUNT_MAX);
	account[TOTP_ACCOUNT_MAX] = 0;
	char out[4 * TOTP_URI_MAX];
	memset(out, 'x', sizeof out);
	assert_int_equal(totp_uri(issuer, account, rfc_secret, out, sizeof out), -1);
	for (size_t i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0);
	/* grow the account until the URI no longer fits: the last one that does
	 * must be exactly at the limit and render as a QR code */
	size_t len = 0, best = 0;
	for (size_t n = 1; n <= TOTP_ACCOUNT_MAX; n++) {
		account[n - 1] = '%';
		account[n] = 0;
		if (totp_uri(issuer, account, rfc_secret, out, sizeof out) != 0)
			break;
		len = strlen(out);
		best = n;
	}
	assert_true(best > 0 && best < TOTP_ACCOUNT_MAX);
	assert_true(len <= TOTP_URI_MAX - 1 && len > TOTP_URI_MAX - 1 - 3);
	account[best] = 0;
	assert_int_equal(totp_uri(issuer, account, rfc_secret, out, sizeof out), 0);
	struct buf svg = BUF_INIT;
	assert_int_equal(qr_svg(&svg, out, "QR code"), 0);
	buf_free(&svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_wrong_code_or_secret),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_epoch_wrap),
		cmocka_unit_test(test_malformed_codes),
		cmocka_unit_test(test_code_parse),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_secret_new),
		cmocka_unit_test(test_secret_base32),
		cmocka_unit_test(test_secret_display),
		cmocka_unit_test(test_uri_plain),
		cmocka_unit_test(test_uri_escaping),
		cmocka_unit_test(test_uri_rejects),
		cmocka_unit_test(test_uri_small_buffer),
		cmocka_unit_test(test_uri_fits_qr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
