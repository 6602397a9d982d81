/* config.c: the key = value parser and Probity's settings. The parser is a fuzz
 * target (tests/fuzz/fuzz_config.c): it must reject, never crash on, any bytes. */
#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/num.h"

const char *const config_keys[] = {
	"db", "listen", "signing_key", "data_dir", "busy_timeout_ms",
	"audit_checkpoint_interval", "log_level", "session_idle_minutes", "session_max_hours",
	"second_factor_roles", "smtp_url", "smtp_from", "reminders", "public_url",
	"monitor_threshold", "trusted_proxies", NULL,
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int parse_line(const char *s, size_t n, config_kv_fn fn, void *ctx, char *err,
		      size_t errlen)
{
	size_t i = 0;
	while (i < n && is_blank(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	/* a CR may end the line (a file from Windows); anywhere else it could hide
	 * text when the value is printed */
	if (n > 0 && s[n - 1] == '\r')
		n--;
	for (size_t j = 0; j < n; j++) {
		unsigned char c = (unsigned char)s[j];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(err, errlen, "control character in line");
			return -1;
		}
	}
	size_t k = i;
	while (k < n && (islower((unsigned char)s[k]) || isdigit((unsigned char)s[k]) ||
			 s[k] == '_'))
		k++;
	if (k == i || !islower((unsigned char)s[i])) {
		snprintf(err, errlen, "expected 'key = value' with a lower-case key");
		return -1;
	}
	size_t keylen = k - i;
	while (k < n && is_blank(s[k]))
		k++;
	if (k == n || s[k] != '=') {
		snprintf(err, errlen, "expected '=' after '%.*s'", (int)(keylen > 64 ? 64 : keylen),
			 s + i);
		return -1;
	}
	k++;
	while (k < n && is_blank(s[k]))
		k++;
	size_t end = n;
	while (end > k && is_blank(s[end - 1]))
		end--;
	char key[65], value[CONFIG_MAX_LINE + 1];
	if (keylen >= sizeof key) {
		snprintf(err, errlen, "key is too long (at most 64 characters)");
		return -1;
	}
	memcpy(key, s + i, keylen);
	key[keylen] = 0;
	memcpy(value, s + k, end - k);
	value[end - k] = 0;
	return fn(ctx, key, value, err, errlen);
}

int config_parse_text(const char *text, size_t len, config_kv_fn fn, void *ctx, char *err,
		      size_t errlen)
{
	if (len > CONFIG_MAX_FILE) {
		snprintf(err, errlen, "file is larger than %d bytes", CONFIG_MAX_FILE);
		return -1;
	}
	size_t start = 0;
	int line = 1;
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end - start > CONFIG_MAX_LINE) {
			snprintf(err, errlen, "line %d: longer than %d characters", line,
				 CONFIG_MAX_LINE);
			return -1;
		}
		char why[512];
		why[0] = 0;
		if (parse_line(text + start, end - start, fn, ctx, why, sizeof why) != 0) {
			snprintf(err, errlen, "line %d: %s", line, why);
			return -1;
		}
		start = end + 1;
		line++;
	}
	return 0;
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->listen = xstrdup("127.0.0.1:8080");
	c->busy_timeout_ms = 5000;
	c->audit_checkpoint_interval = 100;
	c->log_level = LOG_INFO;
	c->session_idle_minutes = 30;
	c->session_max_hours = 12;
	c->monitor_threshold = 5;
}

static int key_index(const char *key)
{
	for (int i = 0; config_keys[i]; i++)
		if (strcmp(config_keys[i], key) == 0)
			return i;
	return -1;
}

static int set_string(char **slot, const char *value, const char *key, char *err, size_t errlen)
{
	if (!*value) {
		snprintf(err, errlen, "%s must not be empty", key);
		return -1;
	}
	free(*slot);
	*slot = xstrdup(value);
	return 0;
}

static int set_int(int *slot, const char *value, int64_t min, int64_t max, const char *key,
		   char *err, size_t errlen)
{
	int64_t v;
	if (num_parse_i64z(value, min, max, &v) != 0) {
		snprintf(err, errlen, "%s must be a whole number from %lld to %lld", key,
			 (long long)min, (long long)max);
		return -1;
	}
	*slot = (int)v;
	return 0;
}

/* 1 if value starts with one of the schemes (NULL-terminated) and has
 * something after it, with no space in it. */
static int url_with(const char *value, const char *const *schemes)
{
	if (strpbrk(value, " \t"))
		return 0;
	for (int i = 0; schemes[i]; i++) {
		size_t n = strlen(schemes[i]);
		if (strncmp(value, schemes[i], n) == 0 && value[n] && value[n] != '/')
			return 1;
	}
	return 0;
}

static int set_url(char **slot, const char *value, const char *const *schemes,
		   const char *key, const char *example, char *err, size_t errlen)
{
	if (!url_with(value, schemes)) {
		snprintf(err, errlen, "%s must be a URL like %s", key, example);
		return -1;
	}
	free(*slot);
	*slot = xstrdup(value);
	/* links are made by appending "/path" */
	size_t n = strlen(*slot);
	while (n > 0 && (*slot)[n - 1] == '/')
		(*slot)[--n] = 0;
	return 0;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
	static const char *const smtp[] = {"smtp://", "smtps://", NULL};
	static const char *const web[] = {"https://", "http://", NULL};
	switch (key_index(key)) {
	case 0: return set_string(&c->db, value, key, err, errlen);
	case 1: return set_string(&c->listen, value, key, err, errlen);
	case 2: return set_string(&c->signing_key, value, key, err, errlen);
	case 3: return set_string(&c->data_dir, value, key, err, errlen);
	case 4: return set_int(&c->busy_timeout_ms, value, 0, 600000, key, err, errlen);
	case 5: return set_int(&c->audit_checkpoint_interval, value, 1, 1000000, key, err, errlen);
	case 6:
		if (log_parse_level(value, &c->log_level) != 0) {
			snprintf(err, errlen, "log_level must be error, warn, info or debug");
			return -1;
		}
		return 0;
	case 7: return set_int(&c->session_idle_minutes, value, 1, 24 * 60, key, err, errlen);
	case 8: return set_int(&c->session_max_hours, value, 1, 7 * 24, key, err, errlen);
	/* role names are checked by the accounts feature, which knows them */
	case 9: return set_string(&c->second_factor_roles, value, key, err, errlen);
	case 10:
		return set_url(&c->smtp_url, value, smtp, key, "smtp://127.0.0.1:25 or "
			       "smtps://mail.example.nl:465", err, errlen);
	/* an address's syntax is src/web/mail.c's to check, which knows it */
	case 11: return set_string(&c->smtp_from, value, key, err, errlen);
	case 12:
		if (strcmp(value, "off") == 0 || strcmp(value, "daily") == 0) {
			c->reminders = strcmp(value, "daily") == 0;
			return 0;
		}
		snprintf(err, errlen, "reminders must be off or daily");
		return -1;
	case 13:
		return set_url(&c->public_url, value, web, key, "https://probity.example.nl", err,
			       errlen);
	/* below 3 a pair could be shown; 100 is src/monitor/suppress.h's maximum */
	case 14: return set_int(&c->monitor_threshold, value, 3, 100, key, err, errlen);
	/* the addresses are src/web/proxy.c's to check (serve does, at start) */
	case 15: return set_string(&c->trusted_proxies, value, key, err, errlen);
	default:
		snprintf(err, errlen, "unknown setting '%.64s'", key);
		return -1;
	}
}

static int file_kv(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	struct config *c = ctx;
	int i = key_index(key);
	if (i >= 0 && (c->seen & (1u << i))) {
		snprintf(err, errlen, "'%s' is set twice", key);
		return -1;
	}
	if (config_set(c, key, value, err, errlen) != 0)
		return -1;
	c->seen |= 1u << i;
	return 0;
}

int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
		return -1;
	}
	char *text = xmalloc(CONFIG_MAX_FILE + 1);
	size_t len = 0;
	ssize_t r;
	while ((r = read(fd, text + len, CONFIG_MAX_FILE + 1 - len)) > 0) {
		len += (size_t)r;
		if (len > CONFIG_MAX_FILE)
			break;
	}
	int rerr = r < 0 ? errno : 0;
	close(fd);
	int rc = -1;
	char why[600];
	if (rerr) {
		snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(rerr));
	} else if (config_parse_text(text, len, file_kv, c, why, sizeof why) != 0) {
		snprintf(err, errlen, "config file %s: %s", path, why);
	} else {
		rc = 0;
	}
	free(text);
	return rc;
}

int config_apply_env(struct config *c, char *err, size_t errlen)
{
	for (int i = 0; config_keys[i]; i++) {
		char name[80] = "PROBITY_";
		size_t n = strlen(name);
		for (const char *k = config_keys[i]; *k && n < sizeof name - 1; k++)
			name[n++] = (char)toupper((unsigned char)*k);
		name[n] = 0;
		const char *v = getenv(name);
		if (!v)
			continue;
		char why[512];
		if (config_set(c, config_keys[i], v, why, sizeof why) != 0) {
			snprintf(err, errlen, "environment variable %s: %s", name, why);
			return -1;
		}
	}
	return 0;
}

void config_free(struct config *c)
{
	free(c->db);
	free(c->listen);
	free(c->signing_key);
	free(c->data_dir);
	free(c->second_factor_roles);
	free(c->smtp_url);
	free(c->smtp_from);
	free(c->public_url);
	free(c->trusted_proxies);
	memset(c, 0, sizeof *c);
}
