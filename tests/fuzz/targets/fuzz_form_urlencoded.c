/* fuzz_form_urlencoded.c: the urlencoded form parser on any bytes. Every field
 * it accepts must be valid UTF-8 and within the limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct form f;
	struct form_limits lim = form_default_limits;
	lim.max_fields = 8;
	lim.max_value = 256;
	if (form_parse_urlencoded(&a, (const char *)data, size, &lim, &f) == FORM_OK) {
		if (f.n > lim.max_fields)
			abort();
		for (size_t i = 0; i < f.n; i++) {
			size_t nl = strlen(f.fields[i].name);
			if (nl == 0 || nl > lim.max_name || f.fields[i].len > lim.max_value ||
			    !utf8_valid(f.fields[i].value, f.fields[i].len))
				abort();
		}
	}
	arena_free(&a);
	return 0;
}
