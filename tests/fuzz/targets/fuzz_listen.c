/* fuzz_listen.c: the --listen address parser on any string. It must answer 0
 * with a complete IPv4 or IPv6 socket address, or -1 with a terminated reason. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 256  /* far beyond any real address; the parser sees a C string */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	/* an exact-size heap copy, so that ASan sees any read past the NUL */
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	char err[200];
	memset(err, 'x', sizeof err);
	int rc = http_parse_listen(s, &ss, &len, err, sizeof err);
	if (rc == 0) {
		if (!(ss.ss_family == AF_INET && len == sizeof(struct sockaddr_in)) &&
		    !(ss.ss_family == AF_INET6 && len == sizeof(struct sockaddr_in6)))
			abort();
		/* the port came from the text after the last ':' */
		if (!strrchr(s, ':'))
			abort();
	} else if (rc != -1 || !memchr(err, 0, sizeof err)) {
		abort();
	}
	free(s);
	return 0;
}
