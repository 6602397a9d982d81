/* signkey.h: the server's Ed25519 signing key, kept in a file outside the
 * database so that a copy of the database alone cannot forge audit checkpoints.
 *
 * Files: KEY holds the secret seed (mode 0600, created once by `probity init`,
 * never overwritten); KEY.pub holds the public key, which auditors may copy and
 * use to verify the trail without the secret. Both are one line of hex after a
 * comment line. */
#ifndef CRYPTO_SIGNKEY_H
#define CRYPTO_SIGNKEY_H
#include <stddef.h>

#define SIGNKEY_PUBLIC_BYTES 32
#define SIGNKEY_SECRET_BYTES 64
#define SIGNKEY_SIGNATURE_BYTES 64

struct signkey {
	unsigned char pk[SIGNKEY_PUBLIC_BYTES];
	unsigned char sk[SIGNKEY_SECRET_BYTES];  /* all zero when only the public part is loaded */
	int has_secret;
};

/* Creates KEY and KEY.pub with a fresh key pair. Fails (and changes nothing) if
 * KEY exists. Returns 0 or -1 with a message in err. */
int signkey_create(const char *path, char *err, size_t errlen);
/* Loads the key pair from KEY. Refuses a KEY that others may read. */
int signkey_load(const char *path, struct signkey *out, char *err, size_t errlen);
/* Loads only a public key from a .pub file. */
int signkey_load_public(const char *path, struct signkey *out, char *err, size_t errlen);
/* Parses the text of a key file (either kind); expect_secret selects which. Pure;
 * a fuzz target. */
int signkey_parse(const char *text, size_t len, int expect_secret, struct signkey *out,
		  char *err, size_t errlen);
void signkey_sign(const struct signkey *k, const unsigned char *msg, size_t n,
		  unsigned char sig[SIGNKEY_SIGNATURE_BYTES]);
int signkey_verify(const unsigned char pk[SIGNKEY_PUBLIC_BYTES], const unsigned char *msg,
		   size_t n, const unsigned char sig[SIGNKEY_SIGNATURE_BYTES]);
/* Wipes the secret. */
void signkey_wipe(struct signkey *k);

#endif
