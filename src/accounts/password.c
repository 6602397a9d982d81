/* password.c: the password policy (accounts.h) and the list of common
 * passwords it refuses, after NIST SP 800-63B: length over composition rules,
 * and a check against passwords attackers try first, no forced symbols. The
 * list is data (data/passwords/common.txt), read once at start-up. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "base/alloc.h"
#include "base/utf8.h"

struct account_wordlist {
	char **words;   /* folded to lower case, sorted, without duplicates */
	size_t n;
	char *mem;      /* the words' storage */
};

/* ASCII lower case; other bytes (UTF-8 included) unchanged, so folding never
 * changes a length or breaks an encoding. */
static void fold(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

static int cmp_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int perr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int account_wordlist_parse(const char *text, size_t len, struct account_wordlist **out,
			   char *err, size_t errlen)
{
	struct account_wordlist *w = xcalloc(1, sizeof *w);
	*out = NULL;
	if (len > ACCOUNT_WORDLIST_MAX_BYTES) {
		perr(err, errlen, "the list is larger than %d bytes", ACCOUNT_WORDLIST_MAX_BYTES);
		goto fail;
	}
	w->mem = xmalloc(len + 1);
	memcpy(w->mem, text, len);
	w->mem[len] = 0;
	size_t cap = 0, line = 0;
	for (size_t i = 0; i < len;) {
		line++;
		char *s = w->mem + i;
		char *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i;
		i += n + 1;
		s[n] = 0;
		if (n && s[n - 1] == '\r')
			s[--n] = 0;
		if (n == 0 || s[0] == '#')
			continue;
		if (memchr(s, 0, n) || !utf8_valid(s, n)) {
			perr(err, errlen, "line %zu: not valid UTF-8 text", line);
			goto fail;
		}
		if (n > ACCOUNT_PASSWORD_MAX) {
			perr(err, errlen, "line %zu: longer than %d bytes", line,
			     ACCOUNT_PASSWORD_MAX);
			goto fail;
		}
		if (w->n == ACCOUNT_WORDLIST_MAX_WORDS) {
			perr(err, errlen, "line %zu: more than %d passwords", line,
			     ACCOUNT_WORDLIST_MAX_WORDS);
			goto fail;
		}
		fold(s, n);
		if (w->n == cap) {
			cap = cap ? 2 * cap : 256;
			w->words = xrealloc(w->words, cap * sizeof *w->words);
		}
		w->words[w->n++] = s;
	}
	if (w->n == 0) {
		perr(err, errlen, "the list holds no passwords");
		goto fail;
	}
	qsort(w->words, w->n, sizeof *w->words, cmp_words);
	size_t k = 1;
	for (size_t i = 1; i < w->n; i++)
		if (strcmp(w->words[i], w->words[k - 1]) != 0)
			w->words[k++] = w->words[i];
	w->n = k;
	*out = w;
	return 0;
fail:
	account_wordlist_free(w);
	return -1;
}

int account_wordlist_load(const char *path, struct account_wordlist **out, char *err,
			  size_t errlen)
{
	char why[200];
	struct stat sb;
	char *buf = NULL;
	int rc = -1;
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return perr(err, errlen, "cannot read the list of common passwords %s: %s", path,
			    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		perr(err, errlen, "the list of common passwords %s is not a regular file", path);
		goto out;
	}
	if (sb.st_size > ACCOUNT_WORDLIST_MAX_BYTES) {
		perr(err, errlen, "the list of common passwords %s is larger than %d bytes", path,
		     ACCOUNT_WORDLIST_MAX_BYTES);
		goto out;
	}
	size_t len = 0, cap = (size_t)sb.st_size + 1;
	buf = xmalloc(cap);
	ssize_t r;
	while (len < cap && (r = read(fd, buf + len, cap - len)) > 0)
		len += (size_t)r;
	if (len == cap) {
		perr(err, errlen, "the list of common passwords %s grew while being read", path);
		goto out;
	}
	if (account_wordlist_parse(buf, len, out, why, sizeof why) != 0) {
		perr(err, errlen, "the list of common passwords %s: %s", path, why);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

void account_wordlist_free(struct account_wordlist *w)
{
	if (!w)
		return;
	free(w->words);
	free(w->mem);
	free(w);
}

size_t account_wordlist_size(const struct account_wordlist *w)
{
	return w ? w->n : 0;
}

int account_wordlist_has(const struct account_wordlist *w, const char *pw)
{
	char low[ACCOUNT_PASSWORD_MAX + 1];
	size_t n = strnlen(pw, ACCOUNT_PASSWORD_MAX + 1);
	if (!w || n > ACCOUNT_PASSWORD_MAX)
		return 0;
	memcpy(low, pw, n + 1);
	fold(low, n);
	const char *key = low;
	int found = bsearch(&key, w->words, w->n, sizeof *w->words, cmp_words) != NULL;
	sodium_memzero(low, sizeof low);
	return found;
}

static int refuse(struct account_error *e, int code, const char *msg)
{
	e->code = code;
	snprintf(e->msg, sizeof e->msg, "%s", msg);
	return -1;
}

/* Decodes the code point at s[*i] (valid UTF-8 assumed) and advances *i. */
static unsigned next_cp(const unsigned char *s, size_t *i)
{
	unsigned c = s[(*i)++];
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
	c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
	while (more--)
		c = (c << 6) | (s[(*i)++] & 0x3f);
	return c;
}

int account_check_password(const struct account_wordlist *common, const char *username,
			   const char *pw, struct account_error *e)
{
	char low[ACCOUNT_PASSWORD_MAX + 1];
	int rc = -1;
	if (!common)
		return refuse(e, ACCOUNT_EINTERNAL, "the list of common passwords is not loaded");
	size_t n = strnlen(pw, ACCOUNT_PASSWORD_MAX + 1);
	if (n > ACCOUNT_PASSWORD_MAX)
		return refuse(e, ACCOUNT_EINVALID, "the password is longer than 256 bytes");
	if (!utf8_valid(pw, n))
		return refuse(e, ACCOUNT_EINVALID, "the password is not valid UTF-8 text");
	size_t chars = 0, i = 0;
	unsigned first = 0;
	int same = 1;
	while (i < n) {
		unsigned c = next_cp((const unsigned char *)pw, &i);
		if (chars++ == 0)
			first = c;
		else if (c != first)
			same = 0;
	}
	if (chars < ACCOUNT_PASSWORD_MIN)
		return refuse(e, ACCOUNT_EINVALID,
			      "the password is shorter than 12 characters: a few unrelated words "
			      "make a long password that is easy to remember");
	if (same)
		return refuse(e, ACCOUNT_EINVALID,
			      "the password is one character repeated: choose another");
	memcpy(low, pw, n + 1);
	fold(low, n);
	char user[ACCOUNT_USERNAME_MAX + 1];
	snprintf(user, sizeof user, "%s", username ? username : "");
	fold(user, strlen(user));
	if (user[0] && strstr(low, user)) {
		refuse(e, ACCOUNT_EINVALID, "the password contains the username: choose another");
		goto out;
	}
	if (account_wordlist_has(common, low)) {
		refuse(e, ACCOUNT_EINVALID,
		       "the password is on the list of common passwords that attackers try "
		       "first: choose another");
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(low, sizeof low);
	return rc;
}
