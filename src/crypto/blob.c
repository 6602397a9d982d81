/* blob.c: see blob.h. */
#include "crypto/blob.h"

#include <sodium.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "crypto/vault.h"

int blob_seal(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id, const char *purpose,
	      const void *plain, size_t n, unsigned char **out, size_t *outn, size_t *outcap)
{
	size_t cap = envelope_blob_size(n);
	*out = NULL;
	*outn = *outcap = 0;
	if (cap == 0)
		return -1;
	unsigned char *b = xmalloc(cap);
	if (envelope_encrypt(key, id, purpose, plain, n, b, cap, outn) != 0) {
		blob_drop(b, cap);
		*outn = 0;
		return -1;
	}
	*out = b;
	*outcap = cap;
	return 0;
}

void blob_drop(unsigned char *b, size_t cap)
{
	if (b) {
		sodium_memzero(b, cap);
		free(b);
	}
}

unsigned char *blob_open(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id,
			 const char *purpose, const void *blob, size_t n, size_t *len)
{
	*len = 0;
	if (!blob || n <= ENVELOPE_OVERHEAD)
		return NULL;
	size_t cap = n - ENVELOPE_OVERHEAD;
	unsigned char *p = vault_secure_alloc(cap + 1);
	if (envelope_decrypt(key, id, purpose, blob, n, p, cap, len) != 0) {
		vault_secure_free(p);
		*len = 0;
		return NULL;
	}
	p[*len] = '\0';
	return p;
}

int blob_update(db_t *db, const char *sql, const unsigned char key[ENVELOPE_KEY_BYTES],
		int64_t id, const char *purpose, int64_t row, const void *plain, size_t n)
{
	unsigned char *b;
	size_t bn, bcap;
	db_stmt_t *st = NULL;
	if (blob_seal(key, id, purpose, plain, n, &b, &bn, &bcap) != 0)
		return 1;
	int rc = 0;
	if (db_prepare(db, sql, &st) != 0 || db_bind_blob(st, 1, b, bn) != 0 ||
	    db_bind_i64(st, 2, row) != 0 || db_step(st) != DB_DONE)
		rc = -1;
	db_finalize(st);
	blob_drop(b, bcap);
	return rc;
}
