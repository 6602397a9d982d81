/* demo.c: the demo accounts of `probity demo`, one per role, read from
 * data/demo/accounts.json and created with fresh random passwords that the
 * demo prints.
 *
 * Format (UTF-8 JSON, at most 64 KiB; unknown fields and duplicate keys are
 * refused, so that a misspelt field never goes silently unused):
 *
 *   {
 *     "format": "probity-demo-accounts",     required, exactly this
 *     "version": 1,                           required, exactly 1
 *     "description": "...",                   optional, for people; ignored
 *     "accounts": [ACCOUNT, ...]              required, 1 to 64
 *   }
 *   ACCOUNT = {"username": USERNAME, "name": DISPLAY NAME,
 *              "roles": [{"role": ROLE, "org": CODE}, ...]}    1 to 8 roles
 *
 * The organisations must exist today (load the organisations first). Passwords
 * are three groups of four, "k7mq-w3xa-p9de", from an alphabet without
 * look-alikes (no 0/o, 1/l/i): 59 bits, plenty for a demo and easy to type
 * from a terminal into a browser. */
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/alloc.h"
#include "base/file.h"

#define FORMAT_NAME "probity-demo-accounts"
#define DEMO_MAX_BYTES (64 * 1024)
#define DEMO_MAX_ROLES 8

static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

/* Fills pw with "xxxx-xxxx-xxxx". */
static void demo_password(char pw[ACCOUNT_DEMO_PASSWORD_LEN + 1])
{
	for (int i = 0; i < ACCOUNT_DEMO_PASSWORD_LEN; i++)
		pw[i] = i % 5 == 4 ? '-' : alphabet[randombytes_uniform(sizeof alphabet - 1)];
	pw[ACCOUNT_DEMO_PASSWORD_LEN] = 0;
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

/* Refuses any field of obj not in allowed (NULL-terminated). */
static int only_fields(json_t *obj, const char *const *allowed, const char *where, char *err,
		       size_t errlen)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		int ok = 0;
		for (int i = 0; allowed[i] && !ok; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok)
			return perr(err, errlen, "%s: unknown field \"%.40s\"", where, key);
	}
	return 0;
}

/* The string field key of obj, or NULL with err set. */
static const char *text(json_t *obj, const char *key, const char *where, char *err,
			size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v)) {
		perr(err, errlen, "%s: \"%s\" must be a string", where, key);
		return NULL;
	}
	return json_string_value(v);
}

/* Parsed accounts: borrowed strings point into the JSON document. */
struct demo {
	struct account_new acc[ACCOUNT_DEMO_MAX];
	struct account_role_spec roles[ACCOUNT_DEMO_MAX][DEMO_MAX_ROLES];
	size_t n;
};

static int parse(json_t *root, struct demo *d, char *err, size_t errlen)
{
	static const char *const top[] = {"format", "version", "description", "accounts", NULL};
	static const char *const acc_fields[] = {"username", "name", "roles", NULL};
	static const char *const role_fields[] = {"role", "org", NULL};
	char where[64];
	if (!json_is_object(root))
		return perr(err, errlen, "the file must hold one JSON object");
	if (only_fields(root, top, "top level", err, errlen) != 0)
		return -1;
	const char *fmt = text(root, "format", "top level", err, errlen);
	if (!fmt)
		return -1;
	if (strcmp(fmt, FORMAT_NAME) != 0)
		return perr(err, errlen, "\"format\" must be \"%s\"", FORMAT_NAME);
	json_t *ver = json_object_get(root, "version");
	if (!json_is_integer(ver) || json_integer_value(ver) != 1)
		return perr(err, errlen, "\"version\" must be 1");
	json_t *desc = json_object_get(root, "description");
	if (desc && !json_is_string(desc))
		return perr(err, errlen, "\"description\" must be a string");
	json_t *list = json_object_get(root, "accounts");
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > ACCOUNT_DEMO_MAX)
		return perr(err, errlen, "\"accounts\" must be a list of 1 to %d accounts",
			    ACCOUNT_DEMO_MAX);
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a) {
		snprintf(where, sizeof where, "accounts[%zu]", i);
		if (!json_is_object(a))
			return perr(err, errlen, "%s: must be an object", where);
		if (only_fields(a, acc_fields, where, err, errlen) != 0)
			return -1;
		struct account_new *n = &d->acc[i];
		if (!(n->username = text(a, "username", where, err, errlen)) ||
		    !(n->display_name = text(a, "name", where, err, errlen)))
			return -1;
		json_t *roles = json_object_get(a, "roles");
		if (!json_is_array(roles) || json_array_size(roles) == 0 ||
		    json_array_size(roles) > DEMO_MAX_ROLES)
			return perr(err, errlen, "%s: \"roles\" must be a list of 1 to %d roles",
				    where, DEMO_MAX_ROLES);
		size_t j;
		json_t *r;
		json_array_foreach(roles, j, r) {
			snprintf(where, sizeof where, "accounts[%zu].roles[%zu]", i, j);
			if (!json_is_object(r))
				return perr(err, errlen, "%s: must be an object", where);
			if (only_fields(r, role_fields, where, err, errlen) != 0)
				return -1;
			const char *role = text(r, "role", where, err, errlen);
			const char *org = text(r, "org", where, err, errlen);
			if (!role || !org)
				return -1;
			if (role_parse(role, &d->roles[i][j].role) != 0)
				return perr(err, errlen, "%s: unknown role \"%.40s\"", where, role);
			d->roles[i][j].org_code = org;
		}
		n->roles = d->roles[i];
		n->nroles = json_array_size(roles);
	}
	d->n = json_array_size(list);
	return 0;
}

int accounts_import_demo(db_t *db, const struct audit_signer *s, const char *actor,
			 const char *path, struct account_demo_login *out, size_t cap,
			 size_t *n, char *err, size_t errlen)
{
	json_error_t je;
	struct account_error e;
	struct demo *d = xcalloc(1, sizeof *d);
	int rc = -1;
	*n = 0;
	json_t *root = NULL;
	char *buf;
	size_t len;
	if (file_read_all(path, DEMO_MAX_BYTES, &buf, &len, err, errlen) != 0)
		goto out;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (!root) {
		perr(err, errlen, "%s: line %d, column %d: %s", path, je.line, je.column, je.text);
		goto out;
	}
	char why[300];
	if (parse(root, d, why, sizeof why) != 0) {
		perr(err, errlen, "%s: %s", path, why);
		goto out;
	}
	if (d->n > cap) {
		perr(err, errlen, "%s holds %zu accounts, more than the %zu expected", path, d->n,
		     cap);
		goto out;
	}
	for (size_t i = 0; i < d->n; i++) {
		struct account_demo_login *o = &out[i];
		struct account_error pe;
		memset(o, 0, sizeof *o);
		/* a random password could, once in a blue moon, contain the username */
		do
			demo_password(o->password);
		while (account_check_username(d->acc[i].username, o->username, &pe) == 0 &&
		       strstr(o->password, o->username));
		d->acc[i].password = o->password;
		snprintf(o->display_name, sizeof o->display_name, "%s", d->acc[i].display_name);
		o->role = d->acc[i].roles[0].role;
		snprintf(o->org_code, sizeof o->org_code, "%s", d->acc[i].roles[0].org_code);
		for (size_t j = 0; j < d->acc[i].nroles; j++)
			o->needs_2fa |= role_needs_2fa(d->acc[i].roles[j].role);
	}
	if (accounts_create_batch(db, s, actor, d->acc, d->n, NULL, &e) != 0) {
		perr(err, errlen, "%s: %s", path, e.msg);
		goto out;
	}
	*n = d->n;
	rc = 0;
out:
	if (rc != 0)
		for (size_t i = 0; i < d->n && i < cap; i++)
			sodium_memzero(out[i].password, sizeof out[i].password);
	json_decref(root);
	free(d);
	return rc;
}
