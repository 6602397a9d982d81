/* recovery.c: recovery codes. A fast keyed hash is enough here: a code carries
 * 60 random bits, so even a stolen table of hashes leaves 2^60 guesses per code,
 * where a password needs argon2id because people choose guessable ones. The
 * key is public; it only keeps these hashes apart from any other BLAKE2b use. */
#include "accounts/recovery.h"

#include <sodium.h>
#include <string.h>

static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
static const char hash_key[] = "probity-recovery-v1";

_Static_assert(sizeof alphabet - 1 == 32, "12 symbols of 32 give 60 bits");
_Static_assert(sizeof hash_key - 1 >= crypto_generichash_KEYBYTES_MIN, "BLAKE2b key length");
_Static_assert(RECOVERY_HASH_BYTES == crypto_generichash_BYTES, "BLAKE2b-256");

void recovery_generate(char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1])
{
	for (int c = 0; c < RECOVERY_CODES; c++) {
		size_t o = 0;
		for (int i = 0; i < RECOVERY_CHARS; i++) {
			if (i > 0 && i % 4 == 0)
				codes[c][o++] = '-';
			codes[c][o++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		}
		codes[c][o] = 0;
	}
}

/* Returns the symbol c stands for, or 0 if it stands for none. */
static char symbol(char c)
{
	if (c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	if (c == 'i' || c == 'l')
		return '1';
	if (c == 'o')
		return '0';
	return c && strchr(alphabet, c) ? c : 0;
}

int recovery_normalise(const char *input, char out[RECOVERY_CHARS + 1])
{
	int rc = -1;
	memset(out, 0, RECOVERY_CHARS + 1);
	if (!input)
		goto fail;
	size_t n = strnlen(input, RECOVERY_INPUT_MAX + 1);
	if (n > RECOVERY_INPUT_MAX)
		goto fail;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (input[i] == ' ' || input[i] == '-')
			continue;
		char s = symbol(input[i]);
		if (!s || o == RECOVERY_CHARS)
			goto fail;
		out[o++] = s;
	}
	if (o != RECOVERY_CHARS)
		goto fail;
	rc = 0;
fail:
	if (rc != 0)
		sodium_memzero(out, RECOVERY_CHARS + 1);
	return rc;
}

int recovery_hash(const char *normalised, unsigned char out[RECOVERY_HASH_BYTES])
{
	int rc = -1;
	memset(out, 0, RECOVERY_HASH_BYTES);
	if (!normalised || strnlen(normalised, RECOVERY_CHARS + 1) != RECOVERY_CHARS)
		goto fail;
	/* only canonical text may be hashed, or one code would have several hashes */
	for (size_t i = 0; i < RECOVERY_CHARS; i++)
		if (!strchr(alphabet, normalised[i]))
			goto fail;
	if (crypto_generichash(out, RECOVERY_HASH_BYTES, (const unsigned char *)normalised,
			       RECOVERY_CHARS, (const unsigned char *)hash_key,
			       sizeof hash_key - 1) != 0)
		goto fail;
	rc = 0;
fail:
	if (rc != 0)
		memset(out, 0, RECOVERY_HASH_BYTES);
	return rc;
}

int recovery_check(const char *input, const unsigned char hash[RECOVERY_HASH_BYTES])
{
	int rc = -1;
	char norm[RECOVERY_CHARS + 1];
	unsigned char h[RECOVERY_HASH_BYTES];
	if (recovery_normalise(input, norm) != 0 || recovery_hash(norm, h) != 0)
		goto fail;
	if (sodium_memcmp(h, hash, RECOVERY_HASH_BYTES) != 0)
		goto fail;
	rc = 0;
fail:
	sodium_memzero(norm, sizeof norm);
	sodium_memzero(h, sizeof h);
	return rc;
}
