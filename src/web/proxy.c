/* proxy.c: trusted proxies and X-Forwarded-For (proxy.h). */
#include "web/proxy.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/num.h"
#include "web/http.h"

_Static_assert(HTTP_CLIENT_SECRET_BYTES == 32, "proxy_client_secret writes 32 bytes");

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int proxy_parse_addr(const char *s, size_t n, struct proxy_addr *out)
{
	char tmp[INET6_ADDRSTRLEN + 1];
	memset(out, 0, sizeof *out);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
		/* brackets are only for IPv6: "[192.0.2.1]" is not an address */
		if (!memchr(s, ':', n))
			return -1;
	}
	if (n == 0 || n >= sizeof tmp || memchr(s, 0, n))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	/* glibc's inet_pton takes exactly four decimal parts for IPv4 and refuses
	 * leading zeros (no octal surprises), and takes no zone for IPv6 */
	if (inet_pton(AF_INET, tmp, out->b) == 1) {
		out->len = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, out->b) == 1) {
		out->len = 16;
		/* ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1 seen through an
		 * IPv6 socket: one client, one key */
		if (memcmp(out->b, v4_mapped, sizeof v4_mapped) == 0) {
			memmove(out->b, out->b + 12, 4);
			memset(out->b + 4, 0, 12);
			out->len = 4;
		}
		return 0;
	}
	memset(out, 0, sizeof *out);
	return -1;
}

/* Whether the first prefix bits of a and b are equal. */
static int prefix_equal(const unsigned char *a, const unsigned char *b, unsigned prefix)
{
	unsigned whole = prefix / 8, rest = prefix % 8;
	if (memcmp(a, b, whole) != 0)
		return 0;
	if (!rest)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static int parse_net(const char *s, size_t n, struct proxy_net *out)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (proxy_parse_addr(s, alen, &out->a) != 0)
		return -1;
	unsigned max = out->a.len * 8u;
	out->prefix = max;
	if (slash) {
		char digits[4];
		size_t dn = n - alen - 1;
		int64_t v;
		/* "/8", "/64": plain decimal, no sign, no leading zero */
		if (dn == 0 || dn >= sizeof digits || (dn > 1 && slash[1] == '0'))
			return -1;
		for (size_t k = 0; k < dn; k++) {
			if (slash[1 + k] < '0' || slash[1 + k] > '9')
				return -1;
			digits[k] = slash[1 + k];
		}
		digits[dn] = 0;
		if (num_parse_i64z(digits, 0, max, &v) != 0)
			return -1;
		out->prefix = (unsigned)v;
	}
	/* bits beyond the prefix must be zero: "10.0.0.1/8" is a mistake */
	for (unsigned bit = out->prefix; bit < max; bit++)
		if (out->a.b[bit / 8] & (0x80 >> (bit % 8)))
			return -1;
	return 0;
}

static int is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

int proxy_parse_list(const char *s, struct proxy_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	size_t len = strlen(s);
	if (len > PROXY_MAX_LIST) {
		snprintf(err, errlen, "the list is longer than %d characters", PROXY_MAX_LIST);
		return -1;
	}
	size_t i = 0;
	while (i < len) {
		while (i < len && is_sep(s[i]))
			i++;
		if (i == len)
			break;
		size_t j = i;
		while (j < len && !is_sep(s[j]))
			j++;
		if (out->n == PROXY_MAX_NETS) {
			snprintf(err, errlen, "more than %d entries", PROXY_MAX_NETS);
			/* a refused list trusts no one, not its first entries */
			memset(out, 0, sizeof *out);
			return -1;
		}
		if (parse_net(s + i, j - i, &out->net[out->n]) != 0) {
			snprintf(err, errlen,
				 "'%.*s' is not an IP address or network (such as 127.0.0.1, ::1 "
				 "or 10.0.0.0/8, with no bits set after the prefix)",
				 (int)(j - i > 60 ? 60 : j - i), s + i);
			memset(out, 0, sizeof *out);
			return -1;
		}
		out->n++;
		i = j;
	}
	return 0;
}

int proxy_trusted(const struct proxy_list *l, const struct proxy_addr *a)
{
	if (!l || !a->len)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->net[i].a.len == a->len && prefix_equal(l->net[i].a.b, a->b, l->net[i].prefix))
			return 1;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

void proxy_client(const struct proxy_list *l, const struct proxy_addr *peer,
		  const char *const *hdr, size_t nhdr, struct proxy_addr *out)
{
	*out = *peer;
	if (!proxy_trusted(l, peer))
		return; /* from anyone else the header is the client's own words */
	struct proxy_addr last = *peer;
	if (nhdr == 0 || nhdr > PROXY_MAX_HEADERS)
		return;
	size_t hops = 0;
	/* the last header's last entry is the one our own proxy wrote */
	for (size_t h = nhdr; h-- > 0;) {
		const char *s = hdr[h] ? hdr[h] : "";
		size_t end = strlen(s);
		for (;;) {
			size_t start = end;
			while (start > 0 && s[start - 1] != ',')
				start--;
			size_t a = start, b = end;
			while (a < b && is_space(s[a]))
				a++;
			while (b > a && is_space(s[b - 1]))
				b--;
			struct proxy_addr cur;
			if (++hops > PROXY_MAX_HOPS || a == b || proxy_parse_addr(s + a, b - a, &cur) != 0) {
				*out = last;
				return;
			}
			if (!proxy_trusted(l, &cur)) {
				*out = cur;
				return;
			}
			last = cur;
			if (start == 0)
				break;
			end = start - 1; /* before the comma */
		}
	}
	*out = last;
}

void proxy_client_secret(const unsigned char *signing_secret, size_t n, unsigned char out[32])
{
	static const char label[] = "probity throttle client key v1";
	/* BLAKE2b takes a key of at most 64 bytes: an Ed25519 secret is 64 */
	if (n > crypto_generichash_KEYBYTES_MAX)
		n = crypto_generichash_KEYBYTES_MAX;
	crypto_generichash(out, 32, (const unsigned char *)label, sizeof label - 1, signing_secret, n);
}
