/* upload.c: see upload.h. */
#include "intake/upload.h"

#include <string.h>

#include "intake/attach.h"
#include "web/i18n.h"
#include "web/page.h"

int upload_chosen(const struct form_field *x)
{
	return x->filename && (x->len > 0 || *x->filename);
}

const char *upload_take(struct page *p, const struct form_field *x, struct upload *u,
			int *status)
{
	int st = 413;
	const char *why = NULL;
	char *name = arena_alloc(p->a, INTAKE_FILENAME_MAX + 1);
	if (u->n == INTAKE_FILES_MAX) {
		why = page_tr(p, "You can add at most 10 files at once. Add the others afterwards.");
	} else if (x->len > INTAKE_FILE_MAX) {
		why = page_tr(p, "A file is larger than 10 MB.");
	} else if (u->total + x->len > INTAKE_FILES_TOTAL) {
		why = page_tr(p, "The files together are larger than 25 MB. Add some of them afterwards.");
	} else {
		const char *mime = NULL, *ext = NULL;
		enum attach_refusal r = ATTACH_OK;
		if (attach_check((const unsigned char *)x->value, x->len, &mime, &ext, &r) != 0) {
			attach_clean_name(x->filename, strlen(x->filename), name, NULL);
			why = arena_printf(p->a, "%s: %s", name, page_tr(p, attach_refusal_text(r)));
			st = 422;
		} else {
			attach_clean_name(x->filename, strlen(x->filename), name, ext);
			u->files[u->n++] =
				(struct intake_file){(const unsigned char *)x->value, x->len, mime, name};
			u->total += x->len;
		}
	}
	if (why && status)
		*status = st;
	return why;
}
