/* attach_meta.c: the sealed meta of a stored file (attach.h): written and
 * read here for reports, cases and assessment evidence alike, so that the
 * three read each other's format and a change is made once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonstr.h"
#include "crypto/blob.h"
#include "crypto/vault.h"
#include "intake/attach.h"

char *attach_meta_build(const struct intake_file *f, size_t *len)
{
	size_t nn = jsonstr_write(f->name, NULL), tn = jsonstr_write(f->mime, NULL);
	size_t cap = nn + tn + 64;
	char *m = vault_secure_alloc(cap), *p = m;
	p += snprintf(p, cap, "{\"name\":");
	p += jsonstr_write(f->name, p);
	p += snprintf(p, cap - (size_t)(p - m), ",\"type\":");
	p += jsonstr_write(f->mime, p);
	p += snprintf(p, cap - (size_t)(p - m), ",\"size\":%zu}", f->len);
	*len = (size_t)(p - m);
	return m;
}

/* Parses the meta JSON attach_meta_build writes. */
static int meta_parse(const char *m, char name[INTAKE_FILENAME_MAX + 1],
		      char mime[INTAKE_MIME_MAX + 1], size_t *size)
{
	const char *p = m;
	char num[24];
	if (strncmp(p, "{\"name\":", 8) != 0)
		return -1;
	p += 8;
	if (jsonstr_read(&p, name, INTAKE_FILENAME_MAX + 1) != 0 ||
	    strncmp(p, ",\"type\":", 8) != 0)
		return -1;
	p += 8;
	if (jsonstr_read(&p, mime, INTAKE_MIME_MAX + 1) != 0 || strncmp(p, ",\"size\":", 8) != 0)
		return -1;
	p += 8;
	size_t d = strspn(p, "0123456789");
	if (d == 0 || d >= sizeof num || strcmp(p + d, "}") != 0)
		return -1;
	memcpy(num, p, d);
	num[d] = '\0';
	*size = (size_t)strtoull(num, NULL, 10);
	return 0;
}

int attach_meta_open(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id, const char *purpose,
		     const void *blob, size_t n, char name[INTAKE_FILENAME_MAX + 1],
		     char mime[INTAKE_MIME_MAX + 1], size_t *size)
{
	size_t len = 0;
	char *m = (char *)blob_open(key, id, purpose, blob, n, &len);
	if (!m)
		return -1;
	int rc = meta_parse(m, name, mime, size);
	vault_secure_free(m);
	return rc;
}
