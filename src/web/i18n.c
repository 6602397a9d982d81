/* i18n.c: .mo catalogue reader and the per-request translation lookup. The .mo
 * format (GNU gettext manual, "The Format of GNU MO Files"): a header of 32-bit
 * words (magic, revision, count, offset of the originals table, offset of the
 * translations table, hash size, hash offset), then two tables of (length,
 * offset) pairs, originals sorted by byte value, and a hash table of hash size
 * 32-bit words: entry k + 1 names original k, 0 is an empty slot.
 *
 * mo_lookup uses that hash table: a page asks for dozens of strings (the
 * inbox for hundreds), and the binary search compared each msgid with ten
 * others (9.5% of the inbox's CPU, docs/performance.md). The server's
 * lookups (i18n_translate) go through an index of its own, built once at
 * start-up: gettext's hash reads every byte of the msgid with a shift and
 * two masks, while the index hashes its length and its first and last eight
 * bytes and then compares lengths and bytes, a few times cheaper again. */
#include "web/i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/embedded.h"

extern const struct embedded_file i18n_catalogues[];

#define MO_MAGIC 0x950412deu
#define MAX_LANGS 4

static struct {
	char lang[8];
	struct mo_catalogue mo;
	uint32_t *slot; /* open addressing, linear probes: original k + 1, 0 empty */
	uint32_t mask;  /* slots - 1; the table is at most half full */
} langs[MAX_LANGS];
static int nlangs;

static uint32_t word(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4); /* msgfmt writes the build machine's byte order */
	return v;
}

/* The (length, offset) entry i of the table at off. */
static void entry(const struct mo_catalogue *c, unsigned off, unsigned i, uint32_t *len,
		  uint32_t *at)
{
	*len = word(c->data + off + 8 * (size_t)i);
	*at = word(c->data + off + 8 * (size_t)i + 4);
}

static int string_ok(const struct mo_catalogue *c, uint32_t len, uint32_t at)
{
	return at <= c->size && len < c->size - at && c->data[at + len] == 0;
}

int mo_parse(const char *data, size_t size, struct mo_catalogue *out)
{
	memset(out, 0, sizeof *out);
	if (size < 28 || size > 16u * 1024 * 1024 || word(data) != MO_MAGIC ||
	    word(data + 4) >> 16 != 0)
		return -1;
	struct mo_catalogue c = {data, size, word(data + 8), word(data + 12), word(data + 16),
				 word(data + 20), word(data + 24)};
	if (c.count > size / 16 || c.orig_off > size || c.trans_off > size ||
	    (size_t)c.count * 8 > size - c.orig_off || (size_t)c.count * 8 > size - c.trans_off ||
	    c.orig_off % 4 || c.trans_off % 4)
		return -1;
	if (c.hash_size < 3) {
		c.hash_size = c.hash_off = 0; /* none (or too small to probe): binary search */
	} else {
		if (c.hash_size > size / 4 || c.hash_off > size || c.hash_off % 4 ||
		    (size_t)c.hash_size * 4 > size - c.hash_off)
			return -1;
		for (unsigned k = 0; k < c.hash_size; k++)
			if (word(data + c.hash_off + 4 * (size_t)k) > c.count)
				return -1; /* names no original: a system-dependent string or damage */
	}
	const char *prev = NULL;
	for (unsigned i = 0; i < c.count; i++) {
		uint32_t len, at;
		entry(&c, c.orig_off, i, &len, &at);
		if (!string_ok(&c, len, at) || strlen(data + at) != len)
			return -1;
		if (prev && strcmp(prev, data + at) >= 0)
			return -1;
		prev = data + at;
		entry(&c, c.trans_off, i, &len, &at);
		if (!string_ok(&c, len, at))
			return -1;
	}
	*out = c;
	return 0;
}

/* The translation of original i, or NULL when it is empty ("not translated"). */
static const char *translation(const struct mo_catalogue *c, unsigned i)
{
	uint32_t len, at;
	entry(c, c->trans_off, i, &len, &at);
	return len ? c->data + at : NULL;
}

/* gettext's hash_string (hashpjw, 32-bit words): the one msgfmt used. */
static uint32_t mo_hash(const char *s)
{
	uint32_t h = 0;
	for (; *s; s++) {
		h = (h << 4) + (unsigned char)*s;
		uint32_t g = h & 0xf0000000u;
		if (g)
			h ^= (g >> 24) ^ g;
	}
	return h;
}

/* Open addressing with double hashing, as gettext probes; bounded by the
 * table's size, since a hostile file need not leave an empty slot. */
static const char *hash_lookup(const struct mo_catalogue *c, const char *msgid)
{
	uint32_t h = mo_hash(msgid);
	uint32_t size = c->hash_size, idx = h % size, incr = 1 + h % (size - 2);
	for (uint32_t probes = 0; probes < size; probes++) {
		uint32_t k = word(c->data + c->hash_off + 4 * (size_t)idx);
		if (k == 0)
			return NULL;
		uint32_t len, at;
		entry(c, c->orig_off, k - 1, &len, &at);
		if (strcmp(msgid, c->data + at) == 0)
			return translation(c, k - 1);
		idx = idx >= size - incr ? idx - (size - incr) : idx + incr;
	}
	return NULL;
}

const char *mo_lookup(const struct mo_catalogue *c, const char *msgid)
{
	if (c->hash_size)
		return hash_lookup(c, msgid);
	unsigned lo = 0, hi = c->count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		uint32_t len, at;
		entry(c, c->orig_off, mid, &len, &at);
		int cmp = strcmp(msgid, c->data + at);
		if (cmp == 0)
			return translation(c, mid);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The index's hash: the length and the first and last eight bytes (they
 * overlap for short strings), mixed by multiplication. Equal strings hash
 * alike; the probe compares the rest. */
static uint32_t quick_hash(const char *s, size_t n)
{
	uint64_t a = 0, b = 0;
	memcpy(&a, s, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, s + n - 8, 8);
	uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15u) ^ n) * 0xff51afd7ed558ccdu;
	return (uint32_t)(h >> 32);
}

static void build_index(int l)
{
	const struct mo_catalogue *c = &langs[l].mo;
	size_t size = 16;
	while (size < 2 * (size_t)c->count)
		size *= 2;
	langs[l].slot = xcalloc(size, sizeof *langs[l].slot);
	langs[l].mask = (uint32_t)(size - 1);
	for (unsigned k = 0; k < c->count; k++) {
		uint32_t len, at;
		entry(c, c->orig_off, k, &len, &at);
		uint32_t i = quick_hash(c->data + at, len) & langs[l].mask;
		while (langs[l].slot[i])
			i = (i + 1) & langs[l].mask;
		langs[l].slot[i] = k + 1;
	}
}

/* As mo_lookup, through language l's index. */
static const char *index_lookup(int l, const char *msgid)
{
	const struct mo_catalogue *c = &langs[l].mo;
	size_t n = strlen(msgid);
	for (uint32_t i = quick_hash(msgid, n) & langs[l].mask;; i = (i + 1) & langs[l].mask) {
		uint32_t k = langs[l].slot[i], len, at;
		if (k == 0)
			return NULL; /* an empty slot ends the probe: half of them are */
		entry(c, c->orig_off, k - 1, &len, &at);
		if (len == n && memcmp(c->data + at, msgid, n) == 0)
			return translation(c, k - 1);
	}
}

int i18n_init(void)
{
	i18n_free();
	for (int i = 0; i18n_catalogues[i].name && nlangs < MAX_LANGS; i++) {
		const struct embedded_file *f = &i18n_catalogues[i];
		size_t n = strcspn(f->name, ".");
		if (n == 0 || n >= sizeof langs[0].lang)
			return -1;
		memcpy(langs[nlangs].lang, f->name, n);
		langs[nlangs].lang[n] = 0;
		if (mo_parse(f->data, f->len, &langs[nlangs].mo) != 0)
			return -1;
		build_index(nlangs);
		nlangs++;
	}
	return 0;
}

void i18n_free(void)
{
	for (int i = 0; i < nlangs; i++) {
		free(langs[i].slot);
		langs[i].slot = NULL;
	}
	nlangs = 0;
}

const char *i18n_lang(const char *lang)
{
	if (lang && strcmp(lang, "en") == 0)
		return "en";
	for (int i = 0; lang && i < nlangs; i++)
		if (strcmp(langs[i].lang, lang) == 0)
			return langs[i].lang;
	return I18N_DEFAULT;
}

const char *i18n_translate(const char *lang, const char *msgid)
{
	for (int i = 0; lang && i < nlangs; i++)
		if (strcmp(langs[i].lang, lang) == 0) {
			const char *t = index_lookup(i, msgid);
			return t ? t : msgid;
		}
	return msgid;
}
