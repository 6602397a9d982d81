/* fuzz_guide.c: the guide reader (guide_parse) on any bytes. Nothing may
 * crash or leak; a refusal must leave a terminated, printable message and
 * an empty result; an accepted guide must keep what the page relies on:
 * counts within the limits, every text in both languages, every contact
 * with a way to reach it that is safe to show (no quote, angle bracket or
 * line break), and guide_contacts_for never more than asked nor a contact
 * of another organisation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "guide/guide.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void text_ok(const struct guide_text *t, int optional)
{
	if (!t->nl || !t->en) {
		if (optional && !t->nl && !t->en)
			return;
		abort();
	}
	if (!*t->nl || !*t->en || strlen(t->nl) > GUIDE_TEXT_MAX || strlen(t->en) > GUIDE_TEXT_MAX)
		abort();
}

static void safe(const char *s)
{
	if (!s)
		return;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || strchr("\"<>", *s))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guide g;
	char err[512];
	memset(err, 'x', sizeof err);
	if (guide_parse((const char *)data, size, &g, err, sizeof err) != 0) {
		if (!memchr(err, 0, sizeof err) || g.sections || g.mem || g.contacts)
			abort();
		for (const char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				abort();
		return 0;
	}
	if (!g.id || g.revision < 1 || g.revision > GUIDE_MAX_REVISION || g.nsections < 1 ||
	    g.nsections > GUIDE_MAX_SECTIONS || g.ncontacts > GUIDE_MAX_CONTACTS)
		abort();
	text_ok(&g.title, 0);
	text_ok(&g.intro, 0);
	for (size_t i = 0; i < g.nsections; i++) {
		const struct guide_section *s = &g.sections[i];
		if (!s->id || s->nitems < 1 || s->nitems > GUIDE_MAX_ITEMS)
			abort();
		text_ok(&s->title, 0);
		for (size_t k = 0; k < s->nitems; k++) {
			text_ok(&s->items[k].title, 0);
			text_ok(&s->items[k].text, 0);
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(g.sections[k].id, s->id) == 0)
				abort();
	}
	for (size_t i = 0; i < g.ncontacts; i++) {
		const struct guide_contact *c = &g.contacts[i];
		if (!c->org || (!c->phone && !c->email && !c->url))
			abort();
		text_ok(&c->name, 0);
		text_ok(&c->note, 1);
		safe(c->phone);
		safe(c->email);
		safe(c->url);
		if (c->url && strncmp(c->url, "https://", 8) != 0)
			abort();
	}
	const struct guide_contact *out[GUIDE_MAX_CONTACTS];
	const char *codes[] = {g.ncontacts ? g.contacts[0].org : "FIN", "FIN", NULL};
	for (int k = 0; k < 3; k++) {
		size_t cap = (size_t)(size % 5);
		size_t n = guide_contacts_for(&g, codes[k], codes[(k + 1) % 3], out, cap);
		if (n > cap)
			abort();
		for (size_t i = 0; i < n; i++)
			if (strcmp(out[i]->org, "*") != 0 &&
			    !(codes[k] && strcasecmp(out[i]->org, codes[k]) == 0) &&
			    !(codes[(k + 1) % 3] && strcasecmp(out[i]->org, codes[(k + 1) % 3]) == 0))
				abort();
	}
	guide_free(&g);
	return 0;
}
