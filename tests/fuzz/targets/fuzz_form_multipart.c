/* fuzz_form_multipart.c: the multipart/form-data parser on any bytes. The first
 * line of the input is taken as the Content-Type header, the rest as the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	if (!nl || nl - data > 200)
		return 0;
	char ct[201];
	memcpy(ct, data, (size_t)(nl - data));
	ct[nl - data] = 0;
	const char *body = (const char *)nl + 1;
	size_t n = size - (size_t)(nl - data) - 1;
	struct arena a = ARENA_INIT;
	struct form f;
	struct form_limits lim = form_default_limits;
	lim.max_fields = 8;
	lim.max_files = 2;
	lim.max_file = 1024;
	if (form_parse_multipart(&a, ct, body, n, &lim, &f) == FORM_OK) {
		size_t files = 0;
		for (size_t i = 0; i < f.n; i++) {
			const struct form_field *fl = &f.fields[i];
			if (fl->filename) {
				files++;
				if (fl->len > lim.max_file)
					abort();
			} else if (fl->len > lim.max_value || !utf8_valid(fl->value, fl->len)) {
				abort();
			}
		}
		if (f.n > lim.max_fields || files > lim.max_files)
			abort();
	}
	arena_free(&a);
	return 0;
}
