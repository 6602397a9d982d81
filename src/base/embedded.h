/* embedded.h: files compiled into the binary by tools/embed.c. */
#ifndef BASE_EMBEDDED_H
#define BASE_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *name;  /* base name of the source file; NULL ends a table */
	const char *data;  /* NUL-terminated contents */
	size_t len;
};

#endif
