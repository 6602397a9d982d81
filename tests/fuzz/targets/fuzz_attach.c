/* fuzz_attach.c: attachments on any bytes (src/intake/attach.c). The bytes
 * are sniffed as a file (libmagic under our bounds, the UTF-8 check, the ZIP
 * central-directory reader) and cleaned as an uploaded name, with the
 * extension the sniff chose or, for a refused file, one picked by the first
 * byte. Nothing may crash, and every answer must keep the documented
 * promises: an accepted type is short enough to store, a refusal has a
 * reason and no extension, a name is non-empty UTF-8 of at most
 * ATTACH_NAME_MAX bytes with no separator, control or bidi character and no
 * leading dot, ending in the extension. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "intake/attach.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const char *name, const char *ext)
{
	size_t n = strlen(name);
	if (n == 0 || n > ATTACH_NAME_MAX || !utf8_valid(name, n) || name[0] == '.' ||
	    strpbrk(name, "/\\\"*:<>?|"))
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f)
			abort();
		/* C1 controls (U+0080..U+009F) and the bidi controls U+202A..E,
		 * U+2066..9 */
		if (c == 0xc2 && i + 1 < n && (unsigned char)name[i + 1] <= 0x9f)
			abort();
		if (c == 0xe2 && i + 2 < n && (unsigned char)name[i + 1] == 0x80 &&
		    (unsigned char)name[i + 2] >= 0xaa && (unsigned char)name[i + 2] <= 0xae)
			abort();
		if (c == 0xe2 && i + 2 < n && (unsigned char)name[i + 1] == 0x81 &&
		    (unsigned char)name[i + 2] >= 0xa6 && (unsigned char)name[i + 2] <= 0xa9)
			abort();
	}
	if (ext && *ext) {
		size_t e = strlen(ext);
		int ends = n > e && name[n - e - 1] == '.' && strcasecmp(name + n - e, ext) == 0;
		int jpeg = strcmp(ext, "jpg") == 0 && n > 5 && strcasecmp(name + n - 5, ".jpeg") == 0;
		if (!ends && !jpeg)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		char err[300];
		if (attach_init(err, sizeof err) != 0) {
			fprintf(stderr, "fuzz_attach: %s\n", err);
			abort();
		}
		ready = 1;
	}
	const char *mime = NULL, *ext = NULL;
	enum attach_refusal why = ATTACH_OK;
	int rc = attach_check(data, size, &mime, &ext, &why);
	if (!mime)
		abort();
	if (rc == 0) {
		if (why != ATTACH_OK || !ext || !*ext || strlen(mime) > INTAKE_MIME_MAX ||
		    !strchr(mime, '/'))
			abort();
	} else if (rc != -1 || why == ATTACH_OK || ext || !attach_refusal_text(why)) {
		abort();
	}
	if (rc != 0) {
		static const char *const exts[] = {NULL, "pdf", "jpg", "docx", "txt", ""};
		ext = exts[size ? data[0] % 6 : 0];
	}
	char name[ATTACH_NAME_MAX + 1];
	attach_clean_name((const char *)data, size, name, ext);
	check_name(name, ext);
	return 0;
}
