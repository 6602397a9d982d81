/* test_proxy.c: trusted proxies and X-Forwarded-For (web/proxy.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "web/proxy.h"

static struct proxy_addr addr(const char *s)
{
	struct proxy_addr a;
	if (proxy_parse_addr(s, strlen(s), &a) != 0)
		fail_msg("'%s' should parse", s);
	return a;
}

static int parses(const char *s)
{
	struct proxy_addr a;
	return proxy_parse_addr(s, strlen(s), &a) == 0;
}

static void test_addr(void **state)
{
	(void)state;
	struct proxy_addr a = addr("192.0.2.1");
	assert_int_equal(a.len, 4);
	assert_memory_equal(a.b, "\xc0\x00\x02\x01", 4);
	a = addr("2001:db8::1");
	assert_int_equal(a.len, 16);
	a = addr("[::1]");
	assert_int_equal(a.len, 16);
	assert_int_equal(a.b[15], 1);
	/* the IPv4 client seen through an IPv6 socket is the same client */
	a = addr("::ffff:192.0.2.1");
	assert_int_equal(a.len, 4);
	assert_memory_equal(a.b, "\xc0\x00\x02\x01", 4);
	/* strict: no octal-looking parts, short forms, ports, names, zones,
	 * brackets around IPv4, spaces (the caller trims) */
	const char *bad[] = {"", "192.0.2.01", "192.0.2", "192.0.2.1.5", "192.0.2.256",
			     "192.0.2.1:80", "[::1]:80", "localhost", "fe80::1%eth0", "[192.0.2.1]",
			     " 192.0.2.1", "192.0.2.1 ", "0x7f.0.0.1", "[::1", "::1]", "[]",
			     "unknown", "1.2.3.4/32"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parses(bad[i]))
			fail_msg("'%s' should not parse", bad[i]);
	/* an embedded NUL is not an address followed by nothing */
	struct proxy_addr x;
	assert_int_equal(proxy_parse_addr("1.2.3.4\0", 8, &x), -1);
}

static void test_list(void **state)
{
	(void)state;
	struct proxy_list l;
	char err[200];
	assert_int_equal(proxy_parse_list("127.0.0.1, ::1 10.0.0.0/8,fd00::/8", &l, err, sizeof err), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.net[0].prefix, 32);
	assert_int_equal(l.net[1].prefix, 128);
	assert_int_equal(l.net[2].prefix, 8);
	assert_int_equal(l.net[3].prefix, 8);
	assert_int_equal(proxy_parse_list("", &l, err, sizeof err), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(proxy_parse_list(" , ", &l, err, sizeof err), 0);
	assert_int_equal(l.n, 0);
	const char *bad[] = {"10.0.0.1/8",   /* bits after the prefix */
			     "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-0",
			     "10.0.0.0/+8", "10.0.0.0/8/8", "/8", "nginx", "127.0.0.1;", "10.0.0.0/8a"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = 0;
		if (proxy_parse_list(bad[i], &l, err, sizeof err) == 0)
			fail_msg("'%s' should be refused", bad[i]);
		assert_non_null(strstr(err, "is not an IP address"));
		assert_int_equal(l.n, 0); /* nothing half-parsed is trusted */
	}
	/* the message names the entry at fault */
	assert_int_equal(proxy_parse_list("127.0.0.1, 10.0.0.1/8", &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "'10.0.0.1/8'"));
	/* limits: entries and length */
	char many[1024] = "";
	for (int i = 0; i <= PROXY_MAX_NETS; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d ", i);
	assert_int_equal(proxy_parse_list(many, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than"));
	/* refused means empty: none of the first entries is trusted (found by
	 * fuzz_proxy: the list kept its first PROXY_MAX_NETS) */
	assert_int_equal(l.n, 0);
	char longer[PROXY_MAX_LIST + 2];
	memset(longer, ' ', sizeof longer - 1);
	longer[sizeof longer - 1] = 0;
	assert_int_equal(proxy_parse_list(longer, &l, err, sizeof err), -1);
	/* /0 is every address of its family, never the other's */
	assert_int_equal(proxy_parse_list("0.0.0.0/0", &l, err, sizeof err), 0);
	struct proxy_addr a = addr("203.0.113.9"), six = addr("2001:db8::9");
	assert_int_equal(proxy_trusted(&l, &a), 1);
	assert_int_equal(proxy_trusted(&l, &six), 0);
}

static void test_trusted(void **state)
{
	(void)state;
	struct proxy_list l;
	char err[200];
	assert_int_equal(proxy_parse_list("10.0.0.0/8 192.0.2.128/25 fd00::/8", &l, err, sizeof err), 0);
	struct proxy_addr a;
	a = addr("10.255.1.2");
	assert_int_equal(proxy_trusted(&l, &a), 1);
	a = addr("11.0.0.0");
	assert_int_equal(proxy_trusted(&l, &a), 0);
	a = addr("192.0.2.128");
	assert_int_equal(proxy_trusted(&l, &a), 1);
	a = addr("192.0.2.127");
	assert_int_equal(proxy_trusted(&l, &a), 0);
	a = addr("fdab::1");
	assert_int_equal(proxy_trusted(&l, &a), 1);
	a = addr("fe00::1");
	assert_int_equal(proxy_trusted(&l, &a), 0);
	a = addr("::ffff:10.0.0.1"); /* mapped: the IPv4 rule applies */
	assert_int_equal(proxy_trusted(&l, &a), 1);
	struct proxy_addr none = {0};
	assert_int_equal(proxy_trusted(&l, &none), 0);
	assert_int_equal(proxy_trusted(NULL, &a), 0);
}

/* The client for peer and headers, as text. */
static const char *client(const struct proxy_list *l, const char *peer, const char *const *hdr,
			  size_t n)
{
	static char out[64];
	struct proxy_addr p = addr(peer), c;
	proxy_client(l, &p, hdr, n, &c);
	if (c.len == 4)
		snprintf(out, sizeof out, "%u.%u.%u.%u", c.b[0], c.b[1], c.b[2], c.b[3]);
	else
		snprintf(out, sizeof out, "v6:%02x%02x..%02x", c.b[0], c.b[1], c.b[15]);
	return out;
}

#define ONE(s) ((const char *const[]){s}), 1

static void test_client(void **state)
{
	(void)state;
	struct proxy_list l;
	char err[200];
	assert_int_equal(proxy_parse_list("127.0.0.1 10.0.0.0/8", &l, err, sizeof err), 0);
	/* from anyone else the header is ignored */
	assert_string_equal(client(&l, "198.51.100.1", ONE("203.0.113.5")), "198.51.100.1");
	struct proxy_list none = {.n = 0};
	assert_string_equal(client(&none, "127.0.0.1", ONE("203.0.113.5")), "127.0.0.1");
	/* from a listed proxy: the right-most entry that is not a proxy */
	assert_string_equal(client(&l, "127.0.0.1", ONE("203.0.113.5")), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", ONE("198.51.100.7, 203.0.113.5")), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", ONE("  203.0.113.5\t")), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", ONE("203.0.113.5, 10.0.0.2")), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", ONE("[2001:db8::7]")), "v6:2001..07");
	/* a spoofed left-hand value changes nothing, malformed or not */
	assert_string_equal(client(&l, "127.0.0.1", ONE("garbage, 203.0.113.5")), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", ONE("10.0.0.9, 203.0.113.5")), "203.0.113.5");
	/* several headers: the last header's entries come first */
	const char *two[] = {"198.51.100.7", "203.0.113.5, 10.0.0.2"};
	assert_string_equal(client(&l, "127.0.0.1", two, 2), "203.0.113.5");
	const char *two_proxies[] = {"198.51.100.7", "10.0.0.2"};
	assert_string_equal(client(&l, "127.0.0.1", two_proxies, 2), "198.51.100.7");
	/* missing or malformed from a trusted proxy: that proxy's own address */
	assert_string_equal(client(&l, "127.0.0.1", NULL, 0), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ONE("")), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ONE("unknown")), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ONE("203.0.113.5,")), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ONE("203.0.113.5, garbage")), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ONE("203.0.113.5:4711")), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ONE("203.0.113.5,,10.0.0.2")), "10.0.0.2");
	assert_string_equal(client(&l, "127.0.0.1", ONE("junk, 10.0.0.2")), "10.0.0.2");
	const char *null_hdr[] = {NULL};
	assert_string_equal(client(&l, "127.0.0.1", null_hdr, 1), "127.0.0.1");
	/* every entry a proxy: the left-most */
	assert_string_equal(client(&l, "127.0.0.1", ONE("10.0.0.3, 10.0.0.2")), "10.0.0.3");
	/* limits: too many headers, too many hops */
	const char *many[PROXY_MAX_HEADERS + 1];
	for (size_t i = 0; i < PROXY_MAX_HEADERS + 1; i++)
		many[i] = "203.0.113.5";
	assert_string_equal(client(&l, "127.0.0.1", many, PROXY_MAX_HEADERS + 1), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", many, PROXY_MAX_HEADERS), "203.0.113.5");
	char hops[1024] = "203.0.113.5";
	for (int i = 0; i < PROXY_MAX_HOPS; i++)
		strcat(hops, ", 10.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ONE(hops)), "10.0.0.1");
}

static void test_secret(void **state)
{
	(void)state;
	unsigned char k1[64], k2[64], a[32], b[32], c[32];
	memset(k1, 1, sizeof k1);
	memset(k2, 1, sizeof k2);
	k2[63] = 2;
	proxy_client_secret(k1, sizeof k1, a);
	proxy_client_secret(k1, sizeof k1, b);
	proxy_client_secret(k2, sizeof k2, c);
	/* the same on every node with the key; another key, another secret; and
	 * nothing of the key shows */
	assert_memory_equal(a, b, 32);
	assert_memory_not_equal(a, c, 32);
	assert_memory_not_equal(a, k1, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr),   cmocka_unit_test(test_list),
		cmocka_unit_test(test_trusted), cmocka_unit_test(test_client),
		cmocka_unit_test(test_secret),
	};
	return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
