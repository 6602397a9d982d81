/* blob.h: content blobs (envelope.h) in memory and in a row: encrypting into
 * a fresh buffer, opening into fresh secure memory, and sealing a text
 * straight into a column. Shared by the reports (src/intake) and the cases
 * (src/cases), whose rows all go in with an empty blob first, because the
 * purpose names the id the insert gives.
 *
 * Ciphertext buffers are wiped before they are freed: envelope_encrypt pads
 * the plaintext in place in them. Plaintext comes back in vault_secure_alloc'd
 * memory, which vault_secure_free wipes. */
#ifndef CRYPTO_BLOB_H
#define CRYPTO_BLOB_H
#include <stddef.h>
#include <stdint.h>

#include "crypto/envelope.h"
#include "store/db.h"

/* Encrypts n bytes of plain for (id, purpose) under key into a fresh buffer:
 * *out gets it, *outn the blob's length and *outcap the buffer's size (for
 * blob_drop). Returns 0, or -1 (*out NULL) when n is above
 * ENVELOPE_CONTENT_MAX or envelope_encrypt refuses the id or purpose. */
int blob_seal(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id, const char *purpose,
	      const void *plain, size_t n, unsigned char **out, size_t *outn, size_t *outcap);

/* Wipes cap bytes of b and frees it; NULL is ignored. */
void blob_drop(unsigned char *b, size_t cap);

/* Opens a content blob of n bytes for (id, purpose) under key into fresh
 * secure memory, NUL-terminated (so texts can be used as strings); *len gets
 * the plaintext's length. NULL (and *len 0) when it does not open. */
unsigned char *blob_open(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id,
			 const char *purpose, const void *blob, size_t n, size_t *len);

/* Seals n bytes of plain for (id, purpose) and runs sql, which takes the
 * blob as ?1 and row as ?2 ("UPDATE t SET body = ? WHERE id = ?"), inside the
 * caller's transaction. Returns 0; 1 when plain cannot be sealed (too large:
 * nothing was run); -1 on a database error (db_error() says why). */
int blob_update(db_t *db, const char *sql, const unsigned char key[ENVELOPE_KEY_BYTES],
		int64_t id, const char *purpose, int64_t row, const void *plain, size_t n);

#endif
