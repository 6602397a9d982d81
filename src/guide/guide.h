/* guide.h: guidance pages as data (issue 5 item 9): "someone told me about
 * a suspected wrongdoing" for managers and any employee: what to do now,
 * what not to do, whom to involve, with the organisation's own contacts.
 *
 * The texts are a JSON file in data/guides/ (Dutch and English), compiled
 * into the program and parsed at start-up like the questionnaires; an
 * organisation adapts them by changing the file (a new revision) and adds
 * its own contacts per organisation code there. The contacts shown for an
 * organisation are its integrity coordinators and confidential advisers
 * from the accounts (the people who receive its reports, the same list the
 * reporting channel shows a reporter), then the file's contacts for its
 * code, for its department's code (a unit has its department's too) and
 * for every organisation ("*").
 *
 * Format (UTF-8 JSON, at most 128 KiB; unknown fields and duplicate keys
 * refused):
 *
 *   {
 *     "format": "probity-guide", "version": 1,
 *     "id": ID, "revision": N,            N 1-9999
 *     "title": TEXT, "intro": TEXT,
 *     "sections": [SECTION, ...],         1 to 10, ids unique
 *     "contacts": [CONTACT, ...]          optional, up to 200
 *   }
 *   SECTION = {"id": ID, "title": TEXT, "items": [ITEM, ...]}    1 to 20 items
 *   ITEM    = {"title": TEXT, "text": TEXT}
 *   CONTACT = {"org": CODE or "*", "name": TEXT, "note": TEXT,
 *              "phone": PHONE, "email": ADDRESS, "url": URL}
 *             note, phone, email and url optional; at least one of phone,
 *             email and url. CODE: an organisation code (1-24 letters,
 *             digits, '-'), compared without regard to case.
 *             PHONE: 3-40 of digits, spaces and + ( ) -. ADDRESS: as
 *             web/mail.h accepts. URL: https://, printable ASCII without
 *             spaces, quotes or angle brackets, at most 300 bytes.
 *   TEXT    = {"nl": "...", "en": "..."}: both, non-empty, at most 200
 *             bytes for titles and names, 2000 for intro, item texts and
 *             notes; no control characters, no space at either end.
 *   ID      = 1-32 of a-z, 0-9, _ and -.
 *
 * Pure but for guide_init's embedded files; guide_parse is a fuzz target. */
#ifndef GUIDE_GUIDE_H
#define GUIDE_GUIDE_H
#include <stddef.h>

#define GUIDE_MAX_BYTES (128 * 1024)
#define GUIDE_MAX_SECTIONS 10
#define GUIDE_MAX_ITEMS 20
#define GUIDE_MAX_CONTACTS 200
#define GUIDE_MAX_REVISION 9999
#define GUIDE_ID_MAX 32
#define GUIDE_TITLE_MAX 200
#define GUIDE_TEXT_MAX 2000
#define GUIDE_PHONE_MAX 40
#define GUIDE_URL_MAX 300
#define GUIDE_ORG_MAX 24

#define GUIDE_RECEIVED "melding-ontvangen"   /* the guide of GET /hulp/melding-ontvangen */

struct guide_text {
	const char *nl, *en;   /* both NULL for an optional text left out */
};

struct guide_item {
	struct guide_text title, text;
};

struct guide_section {
	const char *id;
	struct guide_text title;
	const struct guide_item *items;
	size_t nitems;
};

struct guide_contact {
	const char *org;                 /* a code, or "*" for every organisation */
	struct guide_text name, note;    /* note may be left out */
	const char *phone, *email, *url; /* NULL when left out; one at least */
};

/* A parsed guide. Owns its memory; guide_free releases it. */
struct guide {
	const char *id;
	int revision;
	struct guide_text title, intro;
	const struct guide_section *sections;
	size_t nsections;
	const struct guide_contact *contacts;
	size_t ncontacts;
	void *mem;
};

/* Parses len bytes (need not be NUL-terminated). Returns 0, or -1 with
 * "PATH: reason" in err (printable ASCII) and *out empty. */
int guide_parse(const char *text, size_t len, struct guide *out, char *err, size_t errlen);
void guide_free(struct guide *g);

/* t's text in lang ("en"; anything else gets Dutch), or NULL if left out. */
const char *guide_text(const struct guide_text *t, const char *lang);

/* The file's contacts for an organisation: those for code, then for dept
 * (its department's code, or NULL), then for every organisation, in the
 * file's order within each, at most cap into out. Returns the count. */
size_t guide_contacts_for(const struct guide *g, const char *code, const char *dept,
			  const struct guide_contact **out, size_t cap);

/* Parses the embedded guides (data/guides/). Idempotent and thread-safe.
 * Returns 0, or -1 with the file name and reason in err: a build whose data
 * does not parse must not serve. */
int guide_init(char *err, size_t errlen);
/* The guide with this id (the highest revision), or NULL. */
const struct guide *guide_find(const char *id);

#endif
