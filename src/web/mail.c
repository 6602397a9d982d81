/* mail.c: see mail.h. libcurl speaks SMTP (EHLO, STARTTLS, AUTH, MAIL,
 * RCPT, DATA with dot-stuffing); this file only hands it one message. */
#include "web/mail.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static int atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

int mail_address_valid(const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 3 || n > MAIL_ADDRESS_MAX || !at || strchr(at + 1, '@'))
		return 0;
	size_t local = (size_t)(at - s);
	if (local < 1 || local > 64 || s[0] == '.' || s[local - 1] == '.')
		return 0;
	for (size_t i = 0; i < local; i++)
		if (!(atext(s[i]) || (s[i] == '.' && s[i + 1] != '.')))
			return 0;
	const char *d = at + 1;
	size_t dn = strlen(d), label = 0;
	if (dn < 1 || dn > 253)
		return 0;
	for (size_t i = 0; i <= dn; i++) {
		if (i == dn || d[i] == '.') {
			if (label == 0 || label > 63 || d[i - 1] == '-' || d[i - label] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!ldh(d[i]))
			return 0;
		label++;
	}
	return 1;
}

struct source {
	const char *p;
	size_t left;
};

static size_t feed(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct source *s = ctx;
	size_t n = size * nmemb;
	if (n > s->left)
		n = s->left;
	memcpy(buf, s->p, n);
	s->p += n;
	s->left -= n;
	return n;
}

int mail_send(const char *url, const char *from, const char *to, const char *msg, size_t len,
	      long timeout_seconds, char *err, size_t errlen)
{
	char from_arg[MAIL_ADDRESS_MAX + 3], to_arg[MAIL_ADDRESS_MAX + 3];
	char cerr[CURL_ERROR_SIZE] = "";
	if (!mail_address_valid(from) || !mail_address_valid(to)) {
		snprintf(err, errlen, "not an e-mail address this program sends to or from");
		return -1;
	}
	snprintf(from_arg, sizeof from_arg, "<%s>", from);
	snprintf(to_arg, sizeof to_arg, "<%s>", to);
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "cannot start libcurl");
		return -1;
	}
	struct curl_slist *rcpt = curl_slist_append(NULL, to_arg);
	struct source src = {msg, len};
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* nothing but SMTP, whatever the URL says, and no redirects to follow */
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_arg);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(h, CURLOPT_READDATA, &src);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_seconds < 10 ? timeout_seconds : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_seconds);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc == CURLE_OK ? 0 : -1;
}
