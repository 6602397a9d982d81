/* tmpl.h: what compiled templates (tools/tmplc.c) call. Every function escapes:
 * templates have no way to write unescaped text. */
#ifndef WEB_TMPL_H
#define WEB_TMPL_H
#include <stddef.h>

#include "base/buf.h"

/* Per-request template context: the language and how to translate. */
struct tmpl_ctx {
	const char *lang;  /* "nl" or "en" */
	const char *(*translate)(const char *lang, const char *msgid);
};

/* Escapes & < > " ' so that s is safe in text and in quoted attributes.
 * NULL writes nothing. */
void tmpl_html(struct buf *out, const char *s);
void tmpl_int(struct buf *out, long long v);
/* Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (one URL component). */
void tmpl_url(struct buf *out, const char *s);
/* Writes a link target that stays on this site: a path starting with a single
 * '/' made of safe characters; anything else becomes "/". */
void tmpl_href(struct buf *out, const char *s);
/* Writes the translation of msgid, escaped. */
void tmpl_text(struct buf *out, const struct tmpl_ctx *t, const char *msgid);

#endif
