/* totp.h: time-based one-time passwords (RFC 6238) as authenticator apps speak
 * them: HMAC-SHA1, 6 digits, 30-second steps, a 160-bit secret. Pure functions
 * over liboath; storing the secret and the last step used is the caller's job.
 *
 * Replay protection: totp_verify reports the time step that matched. The caller
 * stores it with the account and refuses any later code whose step is not
 * greater than the stored one, so a code seen over a shoulder or in a proxy log
 * cannot be used a second time, nor an older code from inside the window. */
#ifndef ACCOUNTS_TOTP_H
#define ACCOUNTS_TOTP_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOTP_SECRET_BYTES 20    /* RFC 4226 recommends 160 bits for SHA-1 */
#define TOTP_DIGITS 6
#define TOTP_PERIOD 30          /* seconds per step */
#define TOTP_WINDOW_MAX 10      /* steps either side; a wider window only helps guessing */
#define TOTP_BASE32_LEN 32      /* 20 bytes in base32, no padding */
#define TOTP_DISPLAY_LEN 39     /* eight groups of four, single spaces between */
#define TOTP_ISSUER_MAX 64      /* bytes of UTF-8, before percent-encoding */
#define TOTP_ACCOUNT_MAX 64
#define TOTP_URI_MAX 512        /* with the NUL; equals QR_SVG_MAX_INPUT + 1 */

/* Fills secret with fresh random bytes. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES]);

/* Writes the secret in RFC 4648 base32 (upper case, no padding) to out, which
 * must hold TOTP_BASE32_LEN + 1 bytes. The text is as secret as the key: the
 * caller wipes it. Returns 0, or -1 (out emptied) when cap is too small. */
int totp_secret_base32(const unsigned char secret[TOTP_SECRET_BYTES], char *out, size_t cap);

/* As totp_secret_base32, grouped as "ABCD EFGH ..." for typing it into an app
 * by hand; apps ignore the spaces. out must hold TOTP_DISPLAY_LEN + 1 bytes. */
int totp_secret_display(const unsigned char secret[TOTP_SECRET_BYTES], char *out, size_t cap);

/* Writes the provisioning URI that the QR code carries:
 * otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
 * with issuer and account percent-encoded. Both must be 1..64 bytes of valid
 * UTF-8 without control characters or ':' (the label's separator, which the
 * Key URI format forbids even when encoded), and the whole URI must fit in
 * TOTP_URI_MAX - 1 bytes so that it fits a QR code. The URI holds the secret:
 * the caller wipes out. Returns 0, or -1 with out emptied. */
int totp_uri(const char *issuer, const char *account, const unsigned char secret[TOTP_SECRET_BYTES],
	     char *out, size_t cap);

/* Checks the shape of a code as typed: exactly six ASCII digits, or three, one
 * space, three (as apps display it). Anything else is refused, not repaired.
 * Writes the six digits to out. Returns 0, or -1 with out zeroed. */
int totp_code_parse(const char *code, char out[TOTP_DIGITS + 1]);

/* Accepts code if it is the secret's code for a step from now/30 - window to
 * now/30 + window; window is 0..TOTP_WINDOW_MAX, and 1 forgives a phone clock
 * up to 30 s off either way. Codes are compared in constant time. Returns 0 and
 * writes the matched step to *step_out, or -1 (step_out untouched) for a wrong
 * or malformed code, a time before 1970 or a window out of range. */
int totp_verify(const unsigned char secret[TOTP_SECRET_BYTES], const char *code, time_t now,
		int window, int64_t *step_out);

#endif
