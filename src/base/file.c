/* file.c: see file.h. */
#include "base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

int file_read_all(const char *path, size_t max, char **out, size_t *len, char *err,
		  size_t errlen)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	/* one byte more than allowed tells a file at the limit from one over it */
	char *buf = xmalloc(max + 2);
	size_t n = fread(buf, 1, max + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n > max) {
		if (bad)
			snprintf(err, errlen, "cannot read %s", path);
		else
			snprintf(err, errlen, "%s is larger than %zu bytes", path, max);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}
