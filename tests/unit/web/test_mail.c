/* test_mail.c: e-mail over SMTP (src/web/mail.c) against a sink on a
 * loopback port (tests/unit/cases/smtpsink.c): the addresses accepted and
 * refused (nothing that could break out of an SMTP command or a header);
 * a message delivered byte for byte with its envelope, a line starting
 * with a dot included; a refused recipient, a closed port, another scheme
 * than SMTP and a bad address fail with a reason and send nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "../cases/smtpsink.h"
#include "web/mail.h"

static void test_addresses(void **state)
{
	(void)state;
	static const char *const good[] = {
		"jan@example.nl", "j.de.vries@min-fin.example.nl", "a+b@x", "o'neil@example.com",
		"x_y-z!#$%&*=?^`{|}~@d-1.example",
		"a23456789012345678901234567890123456789012345678901234567890123@example.nl",
	};
	static const char *const bad[] = {
		"", "@", "a@", "@b", "ab", "a@b@c", "a b@c", "a@b c", "\"a\"@b", "<a@b>", "a@[1.2.3.4]",
		".a@b", "a.@b", "a..b@c", "a@-b", "a@b-", "a@b..c", "a@.b", "a@b.", "a@b_c",
		"a\r\nRCPT TO:<x@y>@b", "a@b\r\n", "a@b\nBcc: x@y", "é@b", "a@é",
		"a2345678901234567890123456789012345678901234567890123456789012345@example.nl",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!mail_address_valid(good[i]))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (mail_address_valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(mail_address_valid(NULL), 0);
	char longest[300];
	memset(longest, 'a', 64);
	longest[64] = '@';
	size_t n = 65;
	while (n + 63 <= 254) {   /* labels of 62 and a dot, up to 254 in all */
		memset(longest + n, 'b', 62);
		n += 62;
		longest[n++] = '.';
	}
	longest[n - 1] = 0;
	assert_true(strlen(longest) <= 254);
	assert_int_equal(mail_address_valid(longest), 1);
	memcpy(longest + strlen(longest), ".cc", 4);
	while (strlen(longest) <= 254)
		strcat(longest, "c");
	assert_int_equal(mail_address_valid(longest), 0);
}

static const char msg[] = "From: <probity@example.nl>\r\nTo: <jan@example.nl>\r\n"
			  "Subject: test\r\n\r\nline one\r\n.a line that starts with a dot\r\n"
			  "the end\r\n";

static void test_send(void **state)
{
	(void)state;
	struct smtp_sink s = {0};
	char url[64], err[300];
	assert_int_equal(smtp_sink_start(&s), 0);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", s.port);
	assert_int_equal(mail_send(url, "probity@example.nl", "jan@example.nl", msg,
				   sizeof msg - 1, 10, err, sizeof err), 0);
	assert_int_equal(smtp_sink_count(&s), 1);
	assert_string_equal(s.mail[0].from, "probity@example.nl");
	assert_string_equal(s.mail[0].to, "jan@example.nl");
	assert_int_equal(s.mail[0].len, sizeof msg - 1);
	assert_memory_equal(s.mail[0].data, msg, sizeof msg - 1);

	/* a refused recipient */
	s.refuse = "nobody@example.nl";
	assert_int_equal(mail_send(url, "probity@example.nl", "nobody@example.nl", msg,
				   sizeof msg - 1, 10, err, sizeof err), -1);
	assert_true(strlen(err) > 0);
	assert_null(strstr(err, url));
	assert_int_equal(smtp_sink_count(&s), 1);
	/* bad addresses go nowhere */
	size_t sessions = s.sessions;
	assert_int_equal(mail_send(url, "probity@example.nl", "a@b\r\nRCPT TO:<x@y>", msg,
				   sizeof msg - 1, 10, err, sizeof err), -1);
	assert_int_equal(mail_send(url, "pro bity@example.nl", "jan@example.nl", msg,
				   sizeof msg - 1, 10, err, sizeof err), -1);
	/* only SMTP, whatever the URL says */
	snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
	assert_int_equal(mail_send(url, "probity@example.nl", "jan@example.nl", msg,
				   sizeof msg - 1, 10, err, sizeof err), -1);
	assert_int_equal(s.sessions, sessions);
	int port = s.port;
	smtp_sink_stop(&s);
	/* nobody listening */
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
	assert_int_equal(mail_send(url, "probity@example.nl", "jan@example.nl", msg,
				   sizeof msg - 1, 5, err, sizeof err), -1);
	assert_true(strlen(err) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_send),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
