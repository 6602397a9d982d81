/* recovery.h: one-time recovery codes, the way back in when the phone with the
 * authenticator app is lost. Ten are shown once; only their hashes are kept.
 *
 * Alphabet: Crockford's base32 in lower case, "0123456789abcdefghjkmnpqrstvwxyz"
 * (no i, l, o, u). Twelve characters from 32 symbols carry exactly 60 bits; a
 * 31-symbol alphabet without 0 and 1 would fall short (59.4 bits). Because i,
 * l and o never appear in a code, input may use them for 1, 1 and 0, as
 * Crockford's decoding rules say: someone who reads "1" as "l" still gets in,
 * and nothing that was not a code is made into one. */
#ifndef ACCOUNTS_RECOVERY_H
#define ACCOUNTS_RECOVERY_H

#define RECOVERY_CODES 10
#define RECOVERY_CHARS 12        /* normalised: twelve symbols */
#define RECOVERY_CODE_LEN 14     /* shown: xxxx-xxxx-xxxx */
#define RECOVERY_INPUT_MAX 64    /* bytes typed, spaces and dashes included */
#define RECOVERY_HASH_BYTES 32

/* Fills codes with fresh codes in the shown form, NUL-terminated. Two codes of
 * one set coincide with probability about 45 / 2^60; that is not checked. The
 * codes are secrets: the caller wipes them once shown and hashed. */
void recovery_generate(char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1]);

/* Turns a code as typed into its twelve symbols: upper case is folded, spaces
 * and dashes are dropped, i/l/o read as 1/1/0. Any other character, a length
 * other than twelve symbols or more than RECOVERY_INPUT_MAX bytes is refused.
 * Returns 0, or -1 with out zeroed. */
int recovery_normalise(const char *input, char out[RECOVERY_CHARS + 1]);

/* Hashes a normalised code for storage: keyed BLAKE2b-256, key
 * "probity-recovery-v1" for domain separation. Returns 0, or -1 (out zeroed)
 * if normalised is not exactly twelve symbols of the alphabet. */
int recovery_hash(const char *normalised, unsigned char out[RECOVERY_HASH_BYTES]);

/* Normalises input and compares its hash with hash in constant time. Returns 0
 * on a match, -1 otherwise. Whether the code was used already is the caller's
 * record. */
int recovery_check(const char *input, const unsigned char hash[RECOVERY_HASH_BYTES]);

#endif
