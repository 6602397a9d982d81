/* fuzz_mo.c: the .mo catalogue reader on any bytes. A catalogue it accepts must
 * answer lookups of every original string without reading out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so that ASan sees any read past the end */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	struct mo_catalogue c;
	if (mo_parse(copy, size, &c) == 0) {
		mo_lookup(&c, "");
		mo_lookup(&c, "Not found");
		mo_lookup(&c, "\xff");
	}
	free(copy);
	return 0;
}
