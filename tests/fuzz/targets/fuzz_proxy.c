/* fuzz_proxy.c: the trusted_proxies list and X-Forwarded-For (web/proxy.h)
 * on any bytes. Input: line 1 the list, line 2 the peer's address (127.0.0.1
 * when it does not parse), every further line one X-Forwarded-For header.
 * The list parser answers 0 with at most PROXY_MAX_NETS entries or -1 with a
 * terminated reason; the client chosen is the peer when the peer is not
 * listed, and always an address that prints and parses back to itself. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 8192
#define MAX_LINES (2 + PROXY_MAX_HEADERS + 2)

/* an exact-size heap copy, so that ASan sees any read past the NUL */
static char *copy(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

static void check_roundtrip(const struct proxy_addr *a)
{
	char text[INET6_ADDRSTRLEN];
	if (a->len != 4 && a->len != 16)
		abort();
	if (!inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->b, text, sizeof text))
		abort();
	struct proxy_addr back;
	if (proxy_parse_addr(text, strlen(text), &back) != 0 || back.len != a->len ||
	    memcmp(back.b, a->b, a->len) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	char *line[MAX_LINES];
	size_t n = 0, start = 0;
	while (n < MAX_LINES && start <= size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) : size;
		line[n++] = copy(data + start, end - start);
		start = end + 1;
		if (!nl)
			break;
	}
	struct proxy_list l;
	char err[200];
	memset(err, 'x', sizeof err);
	int rc = proxy_parse_list(line[0], &l, err, sizeof err);
	if (rc == 0) {
		if (l.n > PROXY_MAX_NETS)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (l.net[i].prefix > l.net[i].a.len * 8u)
				abort();
	} else if (rc != -1 || !memchr(err, 0, sizeof err) || l.n != 0) {
		abort();
	}
	struct proxy_addr peer;
	if (n < 2 || proxy_parse_addr(line[1], strlen(line[1]), &peer) != 0)
		proxy_parse_addr("127.0.0.1", 9, &peer);
	else
		check_roundtrip(&peer);
	const char *hdr[MAX_LINES];
	size_t nh = 0;
	for (size_t i = 2; i < n; i++)
		hdr[nh++] = line[i];
	struct proxy_addr c;
	proxy_client(&l, &peer, hdr, nh, &c);
	check_roundtrip(&c);
	if (!proxy_trusted(&l, &peer) && (c.len != peer.len || memcmp(c.b, peer.b, c.len) != 0))
		abort();
	for (size_t i = 0; i < n; i++)
		free(line[i]);
	return 0;
}
