/* vault.c: password derivation, key wrapping and key pairs (see vault.h). Thin
 * on purpose: libsodium does the cryptography; this file fixes the choices
 * (argon2id, XChaCha20-Poly1305, the associated-data layout) and bounds how
 * many derivations run at once. */
#include "crypto/vault.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AD_MAX (VAULT_PURPOSE_MAX + 1 + 8)
#define SLOTS_MAX 256

static pthread_once_t slots_once = PTHREAD_ONCE_INIT;
static sem_t slots;
static unsigned nslots;
static pthread_mutex_t peak_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned running, peak;
static uint64_t runs;

/* One slot per online CPU: argon2 is CPU-bound, so more at once would not
 * finish sooner, only hold more memory. */
static void slots_init(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	nslots = n < 1 ? 1 : n > SLOTS_MAX ? SLOTS_MAX : (unsigned)n;
	if (sem_init(&slots, 0, nslots) != 0) {
		fprintf(stderr, "probity: cannot create the password semaphore: %s\n",
			strerror(errno));
		abort();
	}
}

static void slot_take(void)
{
	pthread_once(&slots_once, slots_init);
	while (sem_wait(&slots) != 0)
		if (errno != EINTR)
			abort(); /* EINVAL: the semaphore is gone, nothing sane to do */
	pthread_mutex_lock(&peak_lock);
	if (++running > peak)
		peak = running;
	runs++;
	pthread_mutex_unlock(&peak_lock);
}

static void slot_give(void)
{
	pthread_mutex_lock(&peak_lock);
	running--;
	pthread_mutex_unlock(&peak_lock);
	sem_post(&slots);
}

void vault_pw_stats(unsigned *s, unsigned *p, uint64_t *r)
{
	pthread_once(&slots_once, slots_init);
	pthread_mutex_lock(&peak_lock);
	*s = nslots;
	*p = peak;
	*r = runs;
	pthread_mutex_unlock(&peak_lock);
}

struct vault_pwparams vault_pw_defaults(void)
{
	return (struct vault_pwparams){.ops = VAULT_PW_OPS_DEFAULT, .mem = VAULT_PW_MEM_DEFAULT};
}

int vault_pw_params_ok(const struct vault_pwparams *p)
{
	return p->ops >= VAULT_PW_OPS_MIN && p->ops <= VAULT_PW_OPS_MAX &&
	       p->mem >= VAULT_PW_MEM_MIN && p->mem <= VAULT_PW_MEM_MAX ? 0 : -1;
}

void vault_salt(unsigned char salt[VAULT_SALT_BYTES])
{
	randombytes_buf(salt, VAULT_SALT_BYTES);
}

int vault_pw_derive(const char *pw, size_t pwlen, const unsigned char salt[VAULT_SALT_BYTES],
		    const struct vault_pwparams *p, unsigned char verifier[VAULT_KEY_BYTES],
		    unsigned char kek[VAULT_KEY_BYTES])
{
	unsigned char out[2 * VAULT_KEY_BYTES];
	int rc = -1;
	if (vault_pw_params_ok(p) != 0 || pwlen > VAULT_PASSWORD_MAX)
		goto fail;
	slot_take();
	int r = crypto_pwhash(out, sizeof out, pw, pwlen, salt, p->ops, p->mem,
			      crypto_pwhash_ALG_ARGON2ID13);
	slot_give();
	if (r != 0)
		goto fail;
	/* the verifier is a hash of one half, so that it never equals key material */
	crypto_generichash(verifier, VAULT_KEY_BYTES, out, VAULT_KEY_BYTES, NULL, 0);
	memcpy(kek, out + VAULT_KEY_BYTES, VAULT_KEY_BYTES);
	rc = 0;
fail:
	sodium_memzero(out, sizeof out);
	if (rc != 0) {
		sodium_memzero(verifier, VAULT_KEY_BYTES);
		sodium_memzero(kek, VAULT_KEY_BYTES);
	}
	return rc;
}

int vault_verifier_eq(const unsigned char a[VAULT_KEY_BYTES],
		      const unsigned char b[VAULT_KEY_BYTES])
{
	return sodium_memcmp(a, b, VAULT_KEY_BYTES) == 0;
}

/* AD = purpose || 0x00 || u64be(owner): the NUL keeps "ab"+1 apart from "a"+... */
static int make_ad(const char *purpose, int64_t owner, unsigned char ad[AD_MAX], size_t *n)
{
	size_t pl = strnlen(purpose, VAULT_PURPOSE_MAX + 1);
	if (pl == 0 || pl > VAULT_PURPOSE_MAX)
		return -1;
	memcpy(ad, purpose, pl);
	ad[pl] = 0;
	uint64_t o = (uint64_t)owner;
	for (int i = 0; i < 8; i++)
		ad[pl + 1 + (size_t)i] = (unsigned char)(o >> (56 - 8 * i));
	*n = pl + 9;
	return 0;
}

int vault_wrap(const unsigned char kek[VAULT_KEY_BYTES], const char *purpose, int64_t owner,
	       const unsigned char *plain, size_t n, unsigned char *out)
{
	unsigned char ad[AD_MAX];
	size_t adlen;
	if (n > VAULT_WRAP_MAX || make_ad(purpose, owner, ad, &adlen) != 0)
		return -1;
	randombytes_buf(out, VAULT_NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + VAULT_NONCE_BYTES, NULL, plain, n, ad,
						   adlen, NULL, out, kek);
	return 0;
}

int vault_unwrap(const unsigned char kek[VAULT_KEY_BYTES], const char *purpose, int64_t owner,
		 const unsigned char *in, size_t n, unsigned char *plain)
{
	unsigned char ad[AD_MAX];
	size_t adlen;
	if (n < VAULT_WRAP_OVERHEAD || n > VAULT_WRAP_MAX + VAULT_WRAP_OVERHEAD ||
	    make_ad(purpose, owner, ad, &adlen) != 0)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, in + VAULT_NONCE_BYTES,
						       n - VAULT_NONCE_BYTES, ad, adlen, in,
						       kek) != 0) {
		sodium_memzero(plain, n - VAULT_WRAP_OVERHEAD);
		return -1;
	}
	return 0;
}

void vault_keypair(unsigned char pk[VAULT_KEY_BYTES], unsigned char sk[VAULT_KEY_BYTES])
{
	crypto_box_keypair(pk, sk);
}

int vault_keypair_matches(const unsigned char pk[VAULT_KEY_BYTES],
			  const unsigned char sk[VAULT_KEY_BYTES])
{
	unsigned char derived[VAULT_KEY_BYTES];
	int ok = crypto_scalarmult_base(derived, sk) == 0 &&
		 sodium_memcmp(derived, pk, VAULT_KEY_BYTES) == 0;
	sodium_memzero(derived, sizeof derived);
	return ok;
}

void *vault_secure_alloc(size_t n)
{
	void *p = sodium_malloc(n);
	if (!p) {
		fprintf(stderr, "probity: out of secure memory (%zu bytes)\n", n);
		abort();
	}
	/* sodium_malloc fills with a canary pattern, not zeros */
	memset(p, 0, n);
	return p;
}

void vault_secure_free(void *p)
{
	sodium_free(p);
}
