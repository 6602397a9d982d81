/* upload.c: see upload.h. */
#include "intake/upload.h"

#include <string.h>

#include "crypto/vault.h"

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

/* Content-Disposition for name (cleaned on upload: UTF-8, no control
 * characters, no quotes or slashes): a plain ASCII fallback for old clients
 * and the exact name as RFC 5987 filename* (RFC 6266). */
static const char *disposition(struct page *p, const char *name)
{
	static const char attr[] = "!#$&+-.^_`|~";
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name);
	char *ascii = arena_alloc(p->a, n + 1), *enc = arena_alloc(p->a, 3 * n + 1);
	size_t a = 0, e = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 0x80) {
			if ((c & 0xC0) != 0x80) /* one '_' per character, not per byte */
				ascii[a++] = '_';
		} else {
			ascii[a++] = c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '%' ? '_'
										 : (char)c;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c && strchr(attr, c))) {
			enc[e++] = (char)c;
		} else {
			enc[e++] = '%';
			enc[e++] = hex[c >> 4];
			enc[e++] = hex[c & 15];
		}
	}
	return arena_printf(p->a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
}

/* The stored type goes into a header: it was decided by attach.c from an
 * allow-list, but a damaged or forged row must still not inject a header. */
static const char *served_type(struct page *p, const char *mime)
{
	size_t n = strlen(mime);
	if (n == 0)
		return "application/octet-stream";
	for (size_t i = 0; i < n; i++)
		if (!(mime[i] > 0x20 && mime[i] < 0x7f) || mime[i] == ';' || mime[i] == ',')
			return "application/octet-stream";
	if (strncmp(mime, "text/", 5) == 0)
		return arena_printf(p->a, "%s; charset=utf-8", mime);
	return arena_strdup(p->a, mime);
}

void upload_send(struct page *p, const char *name, const char *mime, unsigned char *data,
		 size_t len)
{
	/* The bytes go out from the request arena, which lives until the
	 * response has been sent and is wiped when freed (base/arena.c); the
	 * secure copy is freed (and wiped) at once. */
	unsigned char *copy = arena_alloc(p->a, len ? len : 1);
	memcpy(copy, data, len);
	vault_secure_free(data);
	p->res->status = 200;
	p->res->content_type = served_type(p, mime);
	p->res->data = copy;
	p->res->data_len = len;
	p->res->cache_control = "no-store";
	/* a file opened in the browser anyway runs no script and reaches no
	 * other page: this CSP adds to the site's own one */
	http_add_header(p->res, "Content-Security-Policy", "sandbox");
	http_add_header(p->res, "Content-Disposition", disposition(p, name));
}
