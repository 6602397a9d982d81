/* signkey.c: the Ed25519 signing key files. The secret file is created with
 * O_EXCL and mode 0600 and never overwritten: losing it only stops new
 * signatures, overwriting it would orphan every checkpoint already signed. */
#include "crypto/signkey.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/alloc.h"

#define SECRET_HEADER "# probity audit signing key (secret): keep it apart from the database\n"
#define PUBLIC_HEADER "# probity audit signing key (public): give it to auditors\n"
#define MAX_KEY_FILE 1024

int signkey_parse(const char *text, size_t len, int expect_secret, struct signkey *out,
		  char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	/* skip comment lines; the first other line is the key in hex */
	size_t i = 0;
	while (i < len && text[i] == '#') {
		const char *nl = memchr(text + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - text) + 1;
	}
	size_t end = i;
	while (end < len && text[end] != '\n')
		end++;
	size_t rest = end < len ? end + 1 : end;
	if (rest != len) {
		snprintf(err, errlen, "unexpected text after the key");
		return -1;
	}
	unsigned char raw[crypto_sign_SEEDBYTES];
	size_t got = 0;
	const char *hex_end = NULL;
	if (end - i != 2 * sizeof raw ||
	    sodium_hex2bin(raw, sizeof raw, text + i, end - i, NULL, &got, &hex_end) != 0 ||
	    got != sizeof raw) {
		snprintf(err, errlen, "expected %zu hexadecimal characters", 2 * sizeof raw);
		sodium_memzero(raw, sizeof raw);
		return -1;
	}
	if (expect_secret) {
		crypto_sign_seed_keypair(out->pk, out->sk, raw);
		out->has_secret = 1;
	} else {
		memcpy(out->pk, raw, sizeof out->pk);
	}
	sodium_memzero(raw, sizeof raw);
	return 0;
}

static int read_small(const char *path, char *buf, size_t cap, size_t *len, struct stat *sb,
		      char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read signing key %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
		snprintf(err, errlen, "signing key %s is not a regular file", path);
		close(fd);
		return -1;
	}
	ssize_t r;
	*len = 0;
	while (*len < cap && (r = read(fd, buf + *len, cap - *len)) > 0)
		*len += (size_t)r;
	close(fd);
	if (*len == cap) {
		snprintf(err, errlen, "signing key %s is too large", path);
		return -1;
	}
	return 0;
}

static int load(const char *path, int secret, struct signkey *out, char *err, size_t errlen)
{
	char buf[MAX_KEY_FILE];
	size_t len;
	struct stat sb;
	memset(out, 0, sizeof *out);
	if (read_small(path, buf, sizeof buf, &len, &sb, err, errlen) != 0)
		return -1;
	int rc = -1;
	char why[200];
	if (secret && (sb.st_mode & 077)) {
		snprintf(err, errlen, "signing key %s may be read by others: run 'chmod 600 %s'",
			 path, path);
	} else if (signkey_parse(buf, len, secret, out, why, sizeof why) != 0) {
		snprintf(err, errlen, "signing key %s is damaged: %s", path, why);
	} else {
		rc = 0;
	}
	sodium_memzero(buf, sizeof buf);
	return rc;
}

int signkey_load(const char *path, struct signkey *out, char *err, size_t errlen)
{
	return load(path, 1, out, err, errlen);
}

int signkey_load_public(const char *path, struct signkey *out, char *err, size_t errlen)
{
	return load(path, 0, out, err, errlen);
}

static int write_file(const char *path, mode_t mode, const char *header, const unsigned char *raw,
		      size_t n, char *err, size_t errlen)
{
	char hex[2 * 64 + 2];
	sodium_bin2hex(hex, sizeof hex - 1, raw, n);
	size_t hl = strlen(hex);
	hex[hl++] = '\n';
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		sodium_memzero(hex, sizeof hex);
		return -1;
	}
	/* the public half is meant to be shared: readable whatever the umask */
	int ok = fchmod(fd, mode) == 0 && write(fd, header, strlen(header)) == (ssize_t)strlen(header) &&
		 write(fd, hex, hl) == (ssize_t)hl && fsync(fd) == 0;
	int saved = errno;
	ok = close(fd) == 0 && ok;
	sodium_memzero(hex, sizeof hex);
	if (!ok) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved));
		unlink(path);
		return -1;
	}
	return 0;
}

int signkey_create(const char *path, char *err, size_t errlen)
{
	unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES],
		sk[crypto_sign_SECRETKEYBYTES];
	randombytes_buf(seed, sizeof seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	char *pub = xasprintf("%s.pub", path);
	int rc = -1;
	if (write_file(path, 0600, SECRET_HEADER, seed, sizeof seed, err, errlen) == 0) {
		/* a stale .pub from an earlier key would mislead auditors: replace it */
		unlink(pub);
		if (write_file(pub, 0644, PUBLIC_HEADER, pk, sizeof pk, err, errlen) == 0)
			rc = 0;
		else
			unlink(path);
	}
	free(pub);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(sk, sizeof sk);
	return rc;
}

void signkey_sign(const struct signkey *k, const unsigned char *msg, size_t n,
		  unsigned char sig[SIGNKEY_SIGNATURE_BYTES])
{
	crypto_sign_detached(sig, NULL, msg, n, k->sk);
}

int signkey_verify(const unsigned char pk[SIGNKEY_PUBLIC_BYTES], const unsigned char *msg,
		   size_t n, const unsigned char sig[SIGNKEY_SIGNATURE_BYTES])
{
	return crypto_sign_verify_detached(sig, msg, n, pk) == 0 ? 0 : -1;
}

void signkey_wipe(struct signkey *k)
{
	sodium_memzero(k, sizeof *k);
}
