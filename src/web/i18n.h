/* i18n.h: the interface's languages. Dutch is the default, English is
 * available; strings in the code are English msgids, and po/nl.po (maintained
 * with xgettext, msgmerge and msgfmt) holds their Dutch translations.
 *
 * Why not libintl's gettext() at run time: it picks one language per process
 * (locale and LANGUAGE), while a server answers each request in its visitor's
 * language, and it needs system locales generated on every host. Instead the
 * build compiles each po/LANG.po with msgfmt into .mo catalogues embedded in the
 * binary, and i18n.c reads them: one lookup per string, thread-safe, no
 * locale setup. */
#ifndef WEB_I18N_H
#define WEB_I18N_H
#include <stddef.h>

#define I18N_DEFAULT "nl"

/* Loads the embedded catalogues; call once at start-up. Returns 0 or -1. */
int i18n_init(void);
void i18n_free(void);
/* The translation of msgid into lang ("nl", "en"); msgid itself when there is
 * none. Never NULL. */
const char *i18n_translate(const char *lang, const char *msgid);
/* Returns lang if supported, else the default. */
const char *i18n_lang(const char *lang);

/* A parsed .mo catalogue. */
struct mo_catalogue {
	const char *data;
	size_t size;
	unsigned count;
	unsigned orig_off, trans_off;
	unsigned hash_size, hash_off; /* the file's own hash table; size 0: none */
};
/* Checks a .mo file completely (header, every offset and length in bounds,
 * originals sorted, strings NUL-terminated, the hash table's entries naming
 * strings that exist) so that lookups need no checks. Pure; a fuzz target.
 * Returns 0 or -1. */
int mo_parse(const char *data, size_t size, struct mo_catalogue *out);
/* NULL when msgid is not in the catalogue. Uses the file's hash table when it
 * has one (msgfmt writes it), else a binary search. */
const char *mo_lookup(const struct mo_catalogue *c, const char *msgid);

/* Marks a string for extraction without translating it here. */
#define N_(s) (s)

#endif
