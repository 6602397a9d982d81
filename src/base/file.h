/* file.h: reading a whole (small) file, for the data files Probity loads:
 * organisations, demo accounts and reports. */
#ifndef BASE_FILE_H
#define BASE_FILE_H
#include <stddef.h>

/* Reads at most max bytes of path into a malloc'd, NUL-terminated buffer
 * (*out, length *len). Returns 0, or -1 with "cannot open PATH: reason",
 * "cannot read PATH" or "PATH is larger than MAX bytes" in err and *out NULL. */
int file_read_all(const char *path, size_t max, char **out, size_t *len, char *err,
		  size_t errlen);

#endif
