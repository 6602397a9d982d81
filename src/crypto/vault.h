/* vault.h: the key material behind accounts (DESIGN §3): password derivation,
 * key wrapping and X25519 key pairs, all libsodium.
 *
 * Password: argon2id(password, 16-byte salt, ops, mem) -> 64 bytes. BLAKE2b-256
 * of the first half is the stored verifier; the second half is the key-
 * encryption key (KEK) that wraps the user's X25519 secret key and TOTP secret.
 * One argon2 run per sign-in gives both, and the verifier alone (which is what
 * a database dump shows) does not yield the KEK. The parameters are stored per
 * user so that they can be raised later without locking anyone out.
 *
 * Wrapping: XChaCha20-Poly1305 with a random 24-byte nonce stored in front of
 * the ciphertext. The associated data names the purpose and the owner
 * ("probity-account-key-v1", account id), so a wrapped key copied onto another
 * row or into another column does not open. */
#ifndef CRYPTO_VAULT_H
#define CRYPTO_VAULT_H
#include <stddef.h>
#include <stdint.h>

#define VAULT_SALT_BYTES 16
#define VAULT_KEY_BYTES 32                 /* KEK, verifier, X25519 public and secret key */
#define VAULT_NONCE_BYTES 24
#define VAULT_TAG_BYTES 16
#define VAULT_WRAP_OVERHEAD (VAULT_NONCE_BYTES + VAULT_TAG_BYTES)
#define VAULT_WRAP_MAX 1024                /* bytes of plaintext one wrap may hold */
#define VAULT_PURPOSE_MAX 64               /* bytes of a purpose string */

/* OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): enough to make
 * guessing expensive while many sign-ins at once stay inside the memory budget. */
#define VAULT_PW_OPS_DEFAULT 2u
#define VAULT_PW_MEM_DEFAULT (19u << 20)
/* What a stored row may ask for: below the minimum is too weak to accept, above
 * the maximum a damaged or hostile row could exhaust the server's memory. The
 * migration's CHECKs carry the same numbers. */
#define VAULT_PW_OPS_MIN 1u
#define VAULT_PW_OPS_MAX 10u
#define VAULT_PW_MEM_MIN (8u << 20)
#define VAULT_PW_MEM_MAX (1024u << 20)
#define VAULT_PASSWORD_MAX 4096            /* bytes handed to argon2 at most */

struct vault_pwparams {
	uint32_t ops;  /* argon2 passes */
	uint32_t mem;  /* bytes */
};

/* The parameters new passwords get. */
struct vault_pwparams vault_pw_defaults(void);
/* 0 if p lies within the limits above, else -1. */
int vault_pw_params_ok(const struct vault_pwparams *p);
/* Fills salt with random bytes. */
void vault_salt(unsigned char salt[VAULT_SALT_BYTES]);

/* Derives verifier and KEK from the password (pwlen bytes, at most
 * VAULT_PASSWORD_MAX). Waits for a free slot first: at most one derivation per
 * CPU runs at a time, so a burst of sign-ins queues instead of taking
 * 19 MiB each at once. The caller owns both outputs and wipes the KEK. Returns 0,
 * or -1 when the parameters are out of range or argon2 runs out of memory. */
int vault_pw_derive(const char *pw, size_t pwlen, const unsigned char salt[VAULT_SALT_BYTES],
		    const struct vault_pwparams *p, unsigned char verifier[VAULT_KEY_BYTES],
		    unsigned char kek[VAULT_KEY_BYTES]);
/* Compares two verifiers in constant time: 1 if equal, else 0. */
int vault_verifier_eq(const unsigned char a[VAULT_KEY_BYTES],
		      const unsigned char b[VAULT_KEY_BYTES]);
/* The number of derivations allowed at once, the most that ran at once and
 * how many ran, since the process started (for tests and monitoring). */
void vault_pw_stats(unsigned *slots, unsigned *peak, uint64_t *runs);

/* Encrypts n bytes (at most VAULT_WRAP_MAX) under kek into out, which holds
 * n + VAULT_WRAP_OVERHEAD bytes: nonce, then ciphertext with tag. purpose (at
 * most VAULT_PURPOSE_MAX bytes) and owner are authenticated, not stored.
 * Returns 0, or -1 on a size out of range. */
int vault_wrap(const unsigned char kek[VAULT_KEY_BYTES], const char *purpose, int64_t owner,
	       const unsigned char *plain, size_t n, unsigned char *out);
/* Opens what vault_wrap made: in is n bytes, plain receives
 * n - VAULT_WRAP_OVERHEAD bytes. Returns 0, or -1 if the key, purpose or owner
 * differs, the bytes were changed, or n is out of range; plain is then zeroed. */
int vault_unwrap(const unsigned char kek[VAULT_KEY_BYTES], const char *purpose, int64_t owner,
		 const unsigned char *in, size_t n, unsigned char *plain);

/* A fresh X25519 key pair; the caller keeps sk in wiped or secure memory. */
void vault_keypair(unsigned char pk[VAULT_KEY_BYTES], unsigned char sk[VAULT_KEY_BYTES]);
/* 1 if sk is the secret half of pk, else 0: checks an unwrapped key before use. */
int vault_keypair_matches(const unsigned char pk[VAULT_KEY_BYTES],
			  const unsigned char sk[VAULT_KEY_BYTES]);

/* Guarded, locked memory for secrets (sodium_malloc): zeroed on allocation,
 * wiped on release. Running out is fatal, like xmalloc. */
void *vault_secure_alloc(size_t n);
void vault_secure_free(void *p);

#endif
