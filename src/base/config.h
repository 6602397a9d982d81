/* config.h: settings from a "key = value" file, PROBITY_* environment variables
 * and command-line flags, in that order of precedence (later wins).
 *
 * File syntax: one setting per line, "key = value"; blank lines and lines whose
 * first non-blank character is '#' are ignored. Keys are lower-case names; values
 * run to the end of the line, trimmed. No quoting, no continuation lines. */
#ifndef BASE_CONFIG_H
#define BASE_CONFIG_H
#include <stddef.h>

#include "base/log.h"

#define CONFIG_MAX_FILE (64 * 1024)
#define CONFIG_MAX_LINE 4096

/* Called for each setting found; returns 0 or -1 with a message in err. */
typedef int (*config_kv_fn)(void *ctx, const char *key, const char *value, char *err,
			    size_t errlen);

/* Parses text (len bytes, need not be NUL-terminated). Returns 0, or -1 with
 * "line N: reason" in err. */
int config_parse_text(const char *text, size_t len, config_kv_fn fn, void *ctx, char *err,
		      size_t errlen);

struct config {
	char *db;               /* database path or postgresql:// URL */
	char *listen;           /* address:port for serve */
	char *signing_key;      /* audit signing key file; default: <db>.key */
	char *data_dir;         /* frameworks, questionnaires, demo data */
	int busy_timeout_ms;    /* how long to wait for a locked database */
	int audit_checkpoint_interval; /* entries between signed checkpoints */
	enum log_level log_level;
	int session_idle_minutes;   /* a session ends after this long unused */
	int session_max_hours;      /* and this long after sign-in, whatever happens */
	char *second_factor_roles;  /* comma-separated role names, or "default" */
	/* e-mail reminders of due and overdue deadlines (src/cases/remind.h);
	 * off unless reminders is set to daily */
	char *smtp_url;         /* "smtp://host:port" or "smtps://host:port" */
	char *smtp_from;        /* the sender's address (checked by src/web/mail.c) */
	int reminders;          /* 0 off, 1 daily */
	char *public_url;       /* "https://probity.example.nl": what links in e-mail lead to */
	int monitor_threshold;  /* the dashboard shows no count from 1 to this less one */
	/* reverse proxies whose X-Forwarded-For is believed (src/web/proxy.h) */
	char *trusted_proxies;
	unsigned seen;          /* bit per key set by the file, to refuse duplicates */
};

void config_init(struct config *c);
/* Sets one setting by name after validating its value. */
int config_set(struct config *c, const char *key, const char *value, char *err,
	       size_t errlen);
/* Reads a config file; err gets "config file FILE: line N: reason". */
int config_load_file(struct config *c, const char *path, char *err, size_t errlen);
/* Applies PROBITY_<KEY> variables for every known key. */
int config_apply_env(struct config *c, char *err, size_t errlen);
void config_free(struct config *c);
/* NULL-terminated list of known keys, for help and docs tests. */
extern const char *const config_keys[];

#endif
