/* receipt.h: the reporter's receipt (issue 4, DESIGN §3): the one secret an
 * anonymous reporter holds, which finds their report and opens its key.
 *
 * Shape. 20 random symbols (100 bits) and 2 check symbols from Crockford's
 * base32 alphabet in lower case, "0123456789abcdefghjkmnpqrstvwxyz" (no i, l,
 * o, u), shown in groups of four: "7k2m-9qdx-a3fp-wz4h-b8nc-7q". The last,
 * short group is the check. Reading back is forgiving as Crockford's is: case
 * is ignored, so are spaces and dashes (including the Unicode dashes and the
 * no-break space a word processor puts in), and i/l read as 1, o as 0.
 *
 * Why 100 bits when 80 is the floor. The lookup key below is unsalted (an
 * index needs that), so someone holding a copy of the database tests each
 * guess against every report at once: with a million reports (2^20) a 100-bit
 * receipt still leaves 2^80 work per hit, and at 10^12 guesses a second that is
 * some 38,000 years. Online, receipt sign-in is throttled per client and
 * globally, so guessing there is hopeless by many more orders.
 *
 * The check. Two symbols of a Reed-Solomon code over GF(32) (field polynomial
 * x^5 + x^2 + 1, generator alpha = x): the 22 symbols c_0..c_21 satisfy
 * sum c_i = 0 and sum alpha^i c_i = 0. Any two columns of that parity matrix
 * are independent (alpha has order 31 > 22), so every change of one or two
 * symbols is caught, which covers every single typo, every swap of two
 * symbols (adjacent or not) and every doubled one; any other change slips
 * through with chance 1/1024. Crockford's own mod-37 check needs five extra
 * symbols (*~$=u) that are poor to copy by hand and catches only one typo or
 * one adjacent swap. The check is a public function of the 20 random symbols,
 * so it neither adds secrecy nor takes any away: the randomness stays 100 bits.
 * It lets the reporter's page say "you mistyped it" (RECEIPT_MISTYPED) apart
 * from "no report has this receipt" (a well-formed receipt the store does not
 * find), and a mistyped receipt never reaches the database.
 *
 * Keys from a receipt. receipt_lookup_key: keyed BLAKE2b-256 (key
 * "probity-receipt-lookup-v1") of the normalised receipt, stored in an indexed
 * column to FIND the report; no per-row salt, so a lookup is one hash and one
 * index probe, never a slow hash over all rows. receipt_derive_key: the key
 * that wraps the report key for the reporter: BLAKE2b-256 keyed with the
 * normalised receipt, with a per-report 16-byte salt and the personalisation
 * "probity-rcpt-kek" (libsodium's crypto_kdf construction), so it is
 * independent of the lookup key.
 *
 * Why not argon2id for receipt_derive_key (DESIGN §3 asked for an argon2id
 * hash). A slow hash helps only a secret that is guessable; a password is, a
 * 100-bit random receipt is not. And here it would protect nothing: the lookup
 * key already lets whoever holds the database test a guess with one fast
 * BLAKE2b, so a slow derivation of the wrapping key beside it adds no offline
 * resistance at all; it would only slow every submission and every receipt
 * sign-in. Measured on the development machine (2 cores of an AMD EPYC,
 * bench/bench_crypto.c, release build, idle): argon2id ops 2 / 19 MiB 22.4 to
 * 23.0 ms, ops 2 / 16 MiB 18.4 ms, ops 1 / 8 MiB 5.9 to 6.2 ms per derivation,
 * against 0.5 us for this BLAKE2b derivation (the lookup key: 0.65 us). 19 MiB
 * argon2id alone would be some 65 times the rest of a report's cryptography
 * (sealing and opening a report: 0.35 ms, envelope.h), and 64 submissions at
 * once on 2 cores would queue 0.7 s of it and hold 38 MiB. So the guarantee
 * rests on the 100 bits, the throttle and the check above. Should receipts
 * ever get shorter, the sealed-key blob's kind byte (envelope.h) names the
 * derivation, so a slower one can come in beside this one without breaking
 * stored reports. */
#ifndef CRYPTO_RECEIPT_H
#define CRYPTO_RECEIPT_H
#include <stddef.h>

#define RECEIPT_RANDOM_SYMBOLS 20          /* 5 bits each: 100 bits */
#define RECEIPT_CHECK_SYMBOLS 2
#define RECEIPT_SYMBOLS (RECEIPT_RANDOM_SYMBOLS + RECEIPT_CHECK_SYMBOLS)
#define RECEIPT_NORM_SIZE (RECEIPT_SYMBOLS + 1)              /* "7k2m9qdx...7q" and NUL */
#define RECEIPT_SHOWN_SIZE (RECEIPT_SYMBOLS + RECEIPT_SYMBOLS / 4 + 1) /* with dashes and NUL */
#define RECEIPT_INPUT_MAX 128              /* bytes of typed input read at most */
#define RECEIPT_KEY_BYTES 32
#define RECEIPT_SALT_BYTES 16

/* What reading a typed receipt found. MALFORMED: not 22 symbols of the
 * alphabet (wrong length, a character no receipt has, too long an input).
 * MISTYPED: 22 symbols whose check fails. Both mean "look again at what you
 * typed"; only RECEIPT_OK may go on to a lookup. */
enum receipt_status {
	RECEIPT_OK = 0,
	RECEIPT_MALFORMED = -1,
	RECEIPT_MISTYPED = -2,
};

/* Writes a fresh receipt in its shown form ("xxxx-xxxx-xxxx-xxxx-xxxx-xx")
 * to shown. The caller owns it: it is the reporter's secret, to be shown once
 * and wiped. */
void receipt_generate(char shown[RECEIPT_SHOWN_SIZE]);

/* Reads len bytes of typed input (no NUL needed; a NUL inside is refused)
 * into the normalised form: 22 lower-case symbols and a NUL. Returns
 * RECEIPT_OK, RECEIPT_MALFORMED or RECEIPT_MISTYPED; on anything but OK, norm
 * is zeroed. The caller owns norm and wipes it. */
enum receipt_status receipt_normalise(const char *in, size_t len, char norm[RECEIPT_NORM_SIZE]);

/* Writes the shown form of a normalised receipt. Returns 0, or -1 (shown
 * zeroed) if norm is not 22 symbols of the alphabet. */
int receipt_format(const char *norm, char shown[RECEIPT_SHOWN_SIZE]);

/* The index key of a receipt (see above) into out. Returns 0, or -1 (out
 * zeroed) if norm is not a normalised receipt. */
int receipt_lookup_key(const char *norm, unsigned char out[RECEIPT_KEY_BYTES]);

/* The key that wraps the report key for the reporter, from the normalised
 * receipt and the report's salt (random, stored in the clear beside the
 * report). The caller owns out and wipes it. Returns 0, or -1 (out zeroed) if
 * norm is not a normalised receipt. */
int receipt_derive_key(const char *norm, const unsigned char salt[RECEIPT_SALT_BYTES],
		       unsigned char out[RECEIPT_KEY_BYTES]);

#endif
