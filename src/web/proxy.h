/* proxy.h: which address a request comes from, when a reverse proxy (nginx)
 * stands in front. Pure functions, no sockets: tests/unit/web/test_proxy.c
 * and the fuzz target tests/fuzz/targets/fuzz_proxy.c run them.
 *
 * The throttles count failures per client. Behind a proxy every TCP
 * connection comes from the proxy, so the client's address must be read from
 * X-Forwarded-For; but anyone can send that header, so it is believed only
 * from the addresses the operator lists (setting trusted_proxies), and only
 * as far as the right-most hop that is not itself a listed proxy: the
 * left-hand entries are whatever the client wrote. Every doubt (a malformed
 * or missing value, too many hops) falls back to the last trusted proxy's own
 * address, so that a doubt slows a client down rather than giving it a fresh
 * budget. */
#ifndef WEB_PROXY_H
#define WEB_PROXY_H
#include <stddef.h>

#define PROXY_MAX_NETS 32      /* entries in trusted_proxies */
#define PROXY_MAX_LIST 2048    /* bytes of the trusted_proxies setting */
#define PROXY_MAX_HOPS 32      /* X-Forwarded-For entries looked at */
#define PROXY_MAX_HEADERS 8    /* X-Forwarded-For headers looked at */

/* An address: 4 bytes for IPv4 (also an IPv4-mapped IPv6 address, which is
 * the same client), 16 for IPv6. */
struct proxy_addr {
	unsigned char b[16];
	unsigned char len; /* 4 or 16; 0: unknown (a UNIX socket) */
};

/* A listed proxy: an address, or a network in CIDR notation. */
struct proxy_net {
	struct proxy_addr a;
	unsigned prefix; /* bits that must match: 32 or 128 for one address */
};

struct proxy_list {
	struct proxy_net net[PROXY_MAX_NETS];
	size_t n;
};

/* Parses one address of n bytes: dotted IPv4 ("192.0.2.1", four decimal
 * parts, no leading zeros), IPv6 ("2001:db8::1", optionally in brackets),
 * nothing else: no host names, no ports, no zone. Returns 0 or -1. */
int proxy_parse_addr(const char *s, size_t n, struct proxy_addr *out);

/* Parses the trusted_proxies setting: addresses or networks ("10.0.0.0/8",
 * "fd00::/8") separated by commas and/or spaces. A network with bits set
 * beyond its prefix is refused (a typing error that would trust more or less
 * than meant). Returns 0, or -1 with the entry at fault in err. An empty
 * string is an empty list. */
int proxy_parse_list(const char *s, struct proxy_list *out, char *err, size_t errlen);

/* 1 when a is in one of the list's networks, else 0. */
int proxy_trusted(const struct proxy_list *l, const struct proxy_addr *a);

/* The client's address: peer (the TCP connection's other end) unless peer is
 * a listed proxy, in which case the X-Forwarded-For values (hdr[0..nhdr-1],
 * in the order the headers came; each a comma-separated list) are read from
 * the right: the first entry that is not a listed proxy is the client. A
 * malformed entry, an empty list or more than PROXY_MAX_HOPS entries or
 * PROXY_MAX_HEADERS headers give the address of the last listed proxy reached
 * instead; when every entry is a listed proxy, the left-most one is taken. */
void proxy_client(const struct proxy_list *l, const struct proxy_addr *peer,
		  const char *const *hdr, size_t nhdr, struct proxy_addr *out);

/* The secret of the client hashes (http.c, HTTP_CLIENT_SECRET_BYTES into
 * out), derived from the secret part of the audit signing key (n bytes).
 *
 * Why this key: every node must hash a client alike, or the nodes could not
 * share a throttle bucket; so the secret cannot be random per process. It
 * must not be in the database either: the throttle table holds the hashes,
 * and IPv4 has only 2^32 addresses, so anyone who read both could hash every
 * address and see who failed to sign in. The signing key is the one secret
 * every node already has outside the database (a file beside it, or
 * PROBITY_SIGNING_KEY). A keyed BLAKE2b over a label of its own keeps the two
 * uses apart: the derived secret reveals nothing of the signing key, and no
 * other use of the key can produce it. */
void proxy_client_secret(const unsigned char *signing_secret, size_t n, unsigned char out[32]);

#endif
