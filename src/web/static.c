/* static.c: lookup of the embedded stylesheet and icons by content-addressed
 * URL (see static.h). The table is filled once from the build's embedded files;
 * afterwards it is only read, so requests on any thread need no lock. */
#include "web/static.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "base/embedded.h"
#include "web/static_theme.h"

/* Written by tools/embed.c from the bundled CSS and static/ (src/web/meson.build). */
extern const struct embedded_file static_files[];

#define STATIC_MAX_ASSETS 16
#define PREFIX "/static/"
#define PREFIX_LEN (sizeof PREFIX - 1)

static struct static_asset assets[STATIC_MAX_ASSETS];
static size_t nassets;
static int init_result = -1;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Only types we mean to serve: an unexpected file in the build fails start-up
 * instead of going out with a guessed type. */
static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{".css", "text/css; charset=utf-8"},
	{".svg", "image/svg+xml"},
};

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

/* Names become URL segments and are compared byte for byte, so they are kept
 * to a plain alphabet: no '/', no '%', no leading dot. */
static int good_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > STATIC_NAME_MAX || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

void static_hash(const void *data, size_t len, char out[STATIC_HASH_HEX + 1])
{
	unsigned char digest[crypto_generichash_BYTES]; /* BLAKE2b-256 */
	char hex[2 * crypto_generichash_BYTES + 1];
	crypto_generichash(digest, sizeof digest, data, len, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	memcpy(out, hex, STATIC_HASH_HEX);
	out[STATIC_HASH_HEX] = 0;
}

static void init(void)
{
	if (sodium_init() < 0)
		return;
	for (size_t i = 0; static_files[i].name; i++) {
		const struct embedded_file *f = &static_files[i];
		if (nassets == STATIC_MAX_ASSETS || !good_name(f->name) || !type_of(f->name))
			goto fail;
		struct static_asset *a = &assets[nassets];
		a->name = f->name;
		a->data = f->data;
		a->len = f->len;
		a->content_type = type_of(f->name);
		static_hash(f->data, f->len, a->hash);
		/* PREFIX hash "/" name NUL: fits, since good_name() capped the name */
		char *u = a->url;
		memcpy(u, PREFIX, PREFIX_LEN);
		memcpy(u += PREFIX_LEN, a->hash, STATIC_HASH_HEX);
		*(u += STATIC_HASH_HEX) = '/';
		memcpy(u + 1, a->name, strlen(a->name) + 1);
		nassets++;
	}
	init_result = 0;
	return;
fail:
	/* nothing is served from a table the build got wrong */
	nassets = 0;
}

int static_init(void)
{
	pthread_once(&init_once, init);
	return init_result;
}

const struct static_asset *static_find(const char *path)
{
	if (static_init() != 0 || !path || strncmp(path, PREFIX, PREFIX_LEN) != 0)
		return NULL;
	const char *hash = path + PREFIX_LEN;
	for (size_t i = 0; i < STATIC_HASH_HEX; i++) /* also stops at the NUL */
		if (!((hash[i] >= '0' && hash[i] <= '9') || (hash[i] >= 'a' && hash[i] <= 'f')))
			return NULL;
	if (hash[STATIC_HASH_HEX] != '/')
		return NULL;
	const char *name = hash + STATIC_HASH_HEX + 1;
	/* Exact matches only: the name is never used to build anything, so ".."
	 * or "%2e" is just a name that is not in the table. */
	for (size_t i = 0; i < nassets; i++)
		if (strcmp(assets[i].name, name) == 0)
			return memcmp(assets[i].hash, hash, STATIC_HASH_HEX) == 0 ? &assets[i] : NULL;
	return NULL;
}

const char *static_url(const char *name)
{
	if (static_init() != 0 || !name)
		return NULL;
	for (size_t i = 0; i < nassets; i++)
		if (strcmp(assets[i].name, name) == 0)
			return assets[i].url;
	return NULL;
}

const char *static_theme_class(void)
{
	return STATIC_THEME_CLASS;
}

const struct static_asset *static_at(size_t i)
{
	if (static_init() != 0 || i >= nassets)
		return NULL;
	return &assets[i];
}
