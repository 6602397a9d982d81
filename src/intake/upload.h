/* upload.h: files a form sends with a report, a message, a note or a case
 * record, taken one at a time against the limits (intake.h) and judged by
 * their content (attach.h). One place for what every upload form checks, so
 * that the limits and their messages are the same on every page. */
#ifndef INTAKE_UPLOAD_H
#define INTAKE_UPLOAD_H
#include <stddef.h>

#include "intake/intake.h"
#include "web/form.h"

struct page;

/* The files taken so far from one form. */
struct upload {
	struct intake_file files[INTAKE_FILES_MAX];
	size_t n;
	size_t total;  /* bytes */
};

/* Whether x is a file the sender actually chose (an empty file input sends a
 * part without a name and without bytes). */
int upload_chosen(const struct form_field *x);

/* Takes the file of form field x into u: its name cleaned for showing, its
 * type from its bytes. Returns NULL when taken, else a translated refusal
 * naming the file where that helps ("notes.exe: files of this kind are not
 * accepted ..."), and *status (may be NULL) gets 413 for a limit or 422 for
 * a type. The bytes stay where the form parser left them (the request). */
const char *upload_take(struct page *p, const struct form_field *x, struct upload *u,
			int *status);

/* Answers the request with a stored file as a download: its allow-listed
 * type (anything odd becomes application/octet-stream), Content-Disposition
 * attachment with the name (ASCII fallback and RFC 5987 filename*), no-store,
 * nosniff (the site's) and a CSP sandbox. Takes data (vault_secure_alloc'd):
 * it is copied into the request arena, which is wiped when freed, and freed. */
void upload_send(struct page *p, const char *name, const char *mime, unsigned char *data,
		 size_t len);

#endif
