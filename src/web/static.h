/* static.h: the stylesheet and icons, compiled into the binary (tools/embed.c)
 * and served under content-addressed URLs "/static/<hash>/<name>".
 *
 * Why content-addressed: a URL that changes whenever the bytes change can be
 * cached for a year (immutable), so browsers fetch the 600 KB of CSS once per
 * release and never see a stale mix after an upgrade. Why embedded: there is no
 * disk access at all, so no request path can ever reach a file. */
#ifndef WEB_STATIC_H
#define WEB_STATIC_H
#include <stddef.h>

/* Hex digits of the BLAKE2b-256 digest kept in a URL: 64 bits tell releases
 * apart; the hash is not a security boundary (the assets are public). */
#define STATIC_HASH_HEX 16
#define STATIC_NAME_MAX 64
#define STATIC_URL_MAX (sizeof "/static/" - 1 + STATIC_HASH_HEX + 1 + STATIC_NAME_MAX + 1)
/* For answers from static_find(): the URL changes with the content. */
#define STATIC_CACHE_CONTROL "public, max-age=31536000, immutable"

struct static_asset {
	const char *name;          /* "style.css": base name, no '/' */
	const char *data;          /* lives as long as the program */
	size_t len;
	const char *content_type;  /* "text/css; charset=utf-8", "image/svg+xml" */
	char hash[STATIC_HASH_HEX + 1];
	char url[STATIC_URL_MAX];  /* "/static/<hash>/<name>" */
};

/* Hashes every embedded asset. Call once at start-up; later calls (and the
 * functions below, which call it) return the first result. Thread-safe.
 * Returns 0, or -1 when libsodium fails or the build embedded a file whose
 * type or name this module does not know (a build error, caught by tests). */
int static_init(void);

/* The asset whose URL is exactly path ("/static/<hash>/<name>", as decoded by
 * the HTTP layer); NULL for anything else: an unknown name, a stale or
 * malformed hash, extra or missing segments, "..". NULL means 404. */
const struct static_asset *static_find(const char *path);

/* The versioned URL of the named asset ("style.css", "favicon.svg") for
 * templates; NULL when there is no such asset. */
const char *static_url(const char *name);

/* The class the theme's tokens are scoped to (meson option theme_class, default
 * "voorbeeld-theme"); the layout puts it on <html>. */
const char *static_theme_class(void);

/* The assets in build order, for tests and listings; NULL past the end. */
const struct static_asset *static_at(size_t i);

/* Writes the first STATIC_HASH_HEX hex digits of BLAKE2b-256(data) and a NUL.
 * Pure; exposed so that tests can pin the algorithm with a known answer. */
void static_hash(const void *data, size_t len, char out[STATIC_HASH_HEX + 1]);

#endif
