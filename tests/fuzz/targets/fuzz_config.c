/* fuzz_config.c: the config file parser and the settings it feeds, on any
 * bytes. Whatever it is given, it must answer 0 or -1 with a terminated message
 * that names a line (or the file size), and every setting it accepted must be
 * within its documented range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int set_kv(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	/* the parser hands over a non-empty lower-case key and a value without
	 * control characters or surrounding blanks */
	if (!*key || strlen(key) > 64)
		abort();
	size_t vl = strlen(value);
	if (vl > CONFIG_MAX_LINE)
		abort();
	if (vl && (value[0] == ' ' || value[0] == '\t' || value[vl - 1] == ' ' ||
		   value[vl - 1] == '\t' || value[vl - 1] == '\r'))
		abort();
	for (size_t i = 0; i < vl; i++) {
		unsigned char c = (unsigned char)value[i];
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			abort();
	}
	return config_set(ctx, key, value, err, errlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[600];
	config_init(&c);
	memset(err, 'x', sizeof err);
	int rc = config_parse_text((const char *)data, size, set_kv, &c, err, sizeof err);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1) {
		if (!memchr(err, 0, sizeof err))
			abort();
		if (strncmp(err, "line ", 5) != 0 && strncmp(err, "file is larger", 14) != 0)
			abort();
	}
	/* whatever was accepted before any error is within range */
	if (c.busy_timeout_ms < 0 || c.busy_timeout_ms > 600000 ||
	    c.audit_checkpoint_interval < 1 || c.audit_checkpoint_interval > 1000000 ||
	    (int)c.log_level < 0 || (int)c.log_level > 3 || !c.listen || !*c.listen ||
	    (c.db && !*c.db))
		abort();
	config_free(&c);
	return 0;
}
