/* receipt.c: making, reading back and hashing receipts (see receipt.h for
 * the shape, the check code and the choice of hashes). The symbols of a
 * receipt are secret, so decoding and the check arithmetic avoid branches and
 * table lookups on them; separators are not secret and are skipped plainly. */
#include "crypto/receipt.h"

#include <sodium.h>
#include <string.h>

static const char ALPHABET[33] = "0123456789abcdefghjkmnpqrstvwxyz";
static const char LOOKUP_KEY[] = "probity-receipt-lookup-v1";
static const unsigned char PERSONAL[crypto_generichash_blake2b_PERSONALBYTES] = {
	'p', 'r', 'o', 'b', 'i', 't', 'y', '-', 'r', 'c', 'p', 't', '-', 'k', 'e', 'k'};

/* 1 if a == b, else 0, without a branch. */
static unsigned ct_eq(unsigned a, unsigned b)
{
	return ((a ^ b) - 1u) >> 31 & 1u;
}

/* Product in GF(32) modulo x^5 + x^2 + 1, in constant time. */
static unsigned gf_mul(unsigned a, unsigned b)
{
	unsigned r = 0;
	for (int i = 0; i < 5; i++) {
		r ^= a & (0u - (b & 1u));
		b >>= 1;
		unsigned carry = 0u - (a >> 4 & 1u);
		a = ((a << 1) & 0x1fu) ^ (0x05u & carry);
	}
	return r;
}

/* alpha^i, alpha = x (2). */
static unsigned gf_alpha_pow(unsigned i)
{
	unsigned r = 1;
	while (i--)
		r = gf_mul(r, 2);
	return r;
}

/* a^-1 = a^30, as a^31 = 1 for every a != 0. */
static unsigned gf_inv(unsigned a)
{
	unsigned r = 1;
	for (int i = 0; i < 30; i++)
		r = gf_mul(r, a);
	return r;
}

/* The two syndromes of n symbols: sum s_i and sum alpha^i s_i. */
static void syndromes(const unsigned char *s, size_t n, unsigned *s0, unsigned *s1)
{
	unsigned a = 0, b = 0, p = 1;
	for (size_t i = 0; i < n; i++) {
		a ^= s[i];
		b ^= gf_mul(p, s[i]);
		p = gf_mul(p, 2);
	}
	*s0 = a;
	*s1 = b;
}

/* Fills s[20] and s[21] so that both syndromes of s[0..21] are zero:
 * c20 + c21 = S0 and alpha^20 c20 + alpha^21 c21 = S1, solved for c20. */
static void add_check(unsigned char s[RECEIPT_SYMBOLS])
{
	unsigned s0, s1;
	syndromes(s, RECEIPT_RANDOM_SYMBOLS, &s0, &s1);
	unsigned a20 = gf_alpha_pow(20), a21 = gf_alpha_pow(21);
	unsigned c20 = gf_mul(s1 ^ gf_mul(a21, s0), gf_inv(a20 ^ a21));
	s[20] = (unsigned char)c20;
	s[21] = (unsigned char)(s0 ^ c20);
}

/* 1 if the 22 symbols pass the check, else 0. */
static int check_ok(const unsigned char s[RECEIPT_SYMBOLS])
{
	unsigned s0, s1;
	syndromes(s, RECEIPT_SYMBOLS, &s0, &s1);
	return (s0 | s1) == 0;
}

/* The value 0..31 of a typed character, with Crockford's readings of upper
 * case and look-alikes, or -1 if no receipt has it. Scans the whole alphabet
 * every time so that the time taken does not depend on the symbol. */
static int symbol_value(unsigned char c, int strict)
{
	unsigned lc = c;
	if (!strict) {
		lc |= (unsigned)((unsigned)(c - 'A') < 26u) << 5;  /* upper to lower case */
		lc ^= ct_eq(lc, 'i') * ('i' ^ '1');
		lc ^= ct_eq(lc, 'l') * ('l' ^ '1');
		lc ^= ct_eq(lc, 'o') * ('o' ^ '0');
	}
	unsigned v = 0, found = 0;
	for (unsigned k = 0; k < 32; k++) {
		unsigned eq = ct_eq((unsigned char)ALPHABET[k], lc);
		v |= k & (0u - eq);
		found |= eq;
	}
	return found ? (int)v : -1;
}

/* Bytes of a separator starting at in[i] (ASCII blanks and hyphen, and the
 * no-break spaces and dashes that word processors and mail put in place of
 * them), or 0 if there is none. */
static size_t separator_len(const unsigned char *in, size_t len, size_t i)
{
	unsigned char c = in[i];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '-')
		return 1;
	if (c == 0xc2 && i + 1 < len && in[i + 1] == 0xa0)                 /* U+00A0 */
		return 2;
	if (c == 0xe2 && i + 2 < len) {
		unsigned char b = in[i + 1], d = in[i + 2];
		if (b == 0x80 && ((d >= 0x90 && d <= 0x95) || d == 0xaf))  /* U+2010..2015, U+202F */
			return 3;
		if (b == 0x88 && d == 0x92)                                 /* U+2212 minus */
			return 3;
	}
	return 0;
}

/* Decodes a normalised receipt into s. Returns 0 if norm is 22 symbols of
 * the alphabet in lower case that pass the check, else -1; s is the
 * caller's to wipe either way. */
static int decode_norm(const char *norm, unsigned char s[RECEIPT_SYMBOLS])
{
	int bad = !norm || strnlen(norm, RECEIPT_NORM_SIZE) != RECEIPT_SYMBOLS;
	for (size_t i = 0; !bad && i < RECEIPT_SYMBOLS; i++) {
		int v = symbol_value((unsigned char)norm[i], 1);
		bad |= v < 0;
		s[i] = (unsigned char)(v & 31);
	}
	return bad || !check_ok(s) ? -1 : 0;
}

static void shown_form(const unsigned char s[RECEIPT_SYMBOLS], char shown[RECEIPT_SHOWN_SIZE])
{
	size_t o = 0;
	for (size_t i = 0; i < RECEIPT_SYMBOLS; i++) {
		if (i > 0 && i % 4 == 0)
			shown[o++] = '-';
		shown[o++] = ALPHABET[s[i]];
	}
	shown[o] = 0;
}

void receipt_generate(char shown[RECEIPT_SHOWN_SIZE])
{
	unsigned char s[RECEIPT_SYMBOLS];
	/* 256 is a multiple of 32, so the low five bits of a uniform byte are
	 * a uniform symbol */
	randombytes_buf(s, RECEIPT_RANDOM_SYMBOLS);
	for (size_t i = 0; i < RECEIPT_RANDOM_SYMBOLS; i++)
		s[i] &= 31;
	add_check(s);
	shown_form(s, shown);
	sodium_memzero(s, sizeof s);
}

enum receipt_status receipt_normalise(const char *in, size_t len, char norm[RECEIPT_NORM_SIZE])
{
	const unsigned char *u = (const unsigned char *)in;
	unsigned char s[RECEIPT_SYMBOLS];
	size_t count = 0;
	enum receipt_status rc = RECEIPT_MALFORMED;
	if (!in || len > RECEIPT_INPUT_MAX)
		goto fail;
	for (size_t i = 0; i < len;) {
		size_t sep = separator_len(u, len, i);
		if (sep > 0) {
			i += sep;
			continue;
		}
		int v = symbol_value(u[i], 0);
		if (v < 0 || count == RECEIPT_SYMBOLS)
			goto fail;
		s[count++] = (unsigned char)v;
		i++;
	}
	if (count != RECEIPT_SYMBOLS)
		goto fail;
	if (!check_ok(s)) {
		rc = RECEIPT_MISTYPED;
		goto fail;
	}
	for (size_t i = 0; i < RECEIPT_SYMBOLS; i++)
		norm[i] = ALPHABET[s[i]];
	norm[RECEIPT_SYMBOLS] = 0;
	rc = RECEIPT_OK;
fail:
	sodium_memzero(s, sizeof s);
	if (rc != RECEIPT_OK)
		sodium_memzero(norm, RECEIPT_NORM_SIZE);
	return rc;
}

int receipt_format(const char *norm, char shown[RECEIPT_SHOWN_SIZE])
{
	unsigned char s[RECEIPT_SYMBOLS];
	int rc = -1;
	if (decode_norm(norm, s) != 0)
		goto fail;
	shown_form(s, shown);
	rc = 0;
fail:
	sodium_memzero(s, sizeof s);
	if (rc != 0)
		sodium_memzero(shown, RECEIPT_SHOWN_SIZE);
	return rc;
}

int receipt_lookup_key(const char *norm, unsigned char out[RECEIPT_KEY_BYTES])
{
	unsigned char s[RECEIPT_SYMBOLS];
	int rc = -1;
	if (decode_norm(norm, s) != 0)
		goto fail;
	crypto_generichash(out, RECEIPT_KEY_BYTES, (const unsigned char *)norm, RECEIPT_SYMBOLS,
			   (const unsigned char *)LOOKUP_KEY, sizeof LOOKUP_KEY - 1);
	rc = 0;
fail:
	sodium_memzero(s, sizeof s);
	if (rc != 0)
		sodium_memzero(out, RECEIPT_KEY_BYTES);
	return rc;
}

int receipt_derive_key(const char *norm, const unsigned char salt[RECEIPT_SALT_BYTES],
		       unsigned char out[RECEIPT_KEY_BYTES])
{
	unsigned char s[RECEIPT_SYMBOLS];
	int rc = -1;
	if (decode_norm(norm, s) != 0)
		goto fail;
	/* the receipt is the BLAKE2b key (22 bytes lie within 16..64), as
	 * crypto_kdf uses its master key */
	if (crypto_generichash_blake2b_salt_personal(out, RECEIPT_KEY_BYTES, NULL, 0,
						     (const unsigned char *)norm, RECEIPT_SYMBOLS,
						     salt, PERSONAL) != 0)
		goto fail;
	rc = 0;
fail:
	sodium_memzero(s, sizeof s);
	if (rc != 0)
		sodium_memzero(out, RECEIPT_KEY_BYTES);
	return rc;
}
