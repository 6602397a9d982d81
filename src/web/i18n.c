/* i18n.c: .mo catalogue reader and the per-request translation lookup. The .mo
 * format (GNU gettext manual, "The Format of GNU MO Files"): a header of 32-bit
 * words (magic, revision, count, offset of the originals table, offset of the
 * translations table, hash size, hash offset), then two tables of (length,
 * offset) pairs, originals sorted by byte value. */
#include "web/i18n.h"

#include <stdint.h>
#include <string.h>

#include "base/embedded.h"

extern const struct embedded_file i18n_catalogues[];

#define MO_MAGIC 0x950412deu
#define MAX_LANGS 4

static struct {
	char lang[8];
	struct mo_catalogue mo;
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
	struct mo_catalogue c = {data, size, word(data + 8), word(data + 12), word(data + 16)};
	if (c.count > size / 16 || c.orig_off > size || c.trans_off > size ||
	    (size_t)c.count * 8 > size - c.orig_off || (size_t)c.count * 8 > size - c.trans_off ||
	    c.orig_off % 4 || c.trans_off % 4)
		return -1;
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

const char *mo_lookup(const struct mo_catalogue *c, const char *msgid)
{
	unsigned lo = 0, hi = c->count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		uint32_t len, at;
		entry(c, c->orig_off, mid, &len, &at);
		int cmp = strcmp(msgid, c->data + at);
		if (cmp == 0) {
			entry(c, c->trans_off, mid, &len, &at);
			/* an empty translation means "not translated" */
			return len ? c->data + at : NULL;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int i18n_init(void)
{
	nlangs = 0;
	for (int i = 0; i18n_catalogues[i].name && nlangs < MAX_LANGS; i++) {
		const struct embedded_file *f = &i18n_catalogues[i];
		size_t n = strcspn(f->name, ".");
		if (n == 0 || n >= sizeof langs[0].lang)
			return -1;
		memcpy(langs[nlangs].lang, f->name, n);
		langs[nlangs].lang[n] = 0;
		if (mo_parse(f->data, f->len, &langs[nlangs].mo) != 0)
			return -1;
		nlangs++;
	}
	return 0;
}

void i18n_free(void)
{
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
			const char *t = mo_lookup(&langs[i].mo, msgid);
			return t ? t : msgid;
		}
	return msgid;
}
