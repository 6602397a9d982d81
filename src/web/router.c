/* router.c: route matching over a small table (linear: a few dozen routes). */
#include "web/router.h"

#include <stdio.h>
#include <string.h>

#include "base/num.h"

#define PARAM "{id}"
#define PARAM_LEN 4

/* Matches one pattern; returns 1 and fills params on a match. */
static int match_pattern(const char *pat, const char *path, int64_t params[ROUTE_MAX_PARAMS])
{
	size_t np = 0;
	while (*pat && *path) {
		if (strncmp(pat, PARAM, PARAM_LEN) == 0) {
			size_t n = strcspn(path, "/");
			int64_t v;
			/* 2^53: ids survive a trip through JSON numbers */
			if (np == ROUTE_MAX_PARAMS || n == 0 || path[0] == '0' ||
			    num_parse_i64(path, n, 1, (int64_t)1 << 53, &v) != 0)
				return 0;
			params[np++] = v;
			pat += PARAM_LEN;
			path += n;
		} else if (*pat++ != *path++) {
			return 0;
		}
	}
	return *pat == 0 && *path == 0;
}

enum router_result router_match(const struct route *table, size_t n, const char *method,
				const char *path, const struct route **out,
				int64_t params[ROUTE_MAX_PARAMS])
{
	enum router_result r = ROUTER_NOT_FOUND;
	*out = NULL;
	/* HEAD is a GET without the body (libmicrohttpd drops the body) */
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < n; i++) {
		int64_t p[ROUTE_MAX_PARAMS] = {0};
		if (!match_pattern(table[i].pattern, path, p))
			continue;
		if (strcmp(table[i].method, m) != 0) {
			r = ROUTER_BAD_METHOD;
			continue;
		}
		memcpy(params, p, sizeof p);
		*out = &table[i];
		return ROUTER_FOUND;
	}
	return r;
}

static int pattern_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	int params = 0;
	for (const char *s = p; *s; s++) {
		if (*s == '{') {
			if (strncmp(s, PARAM, PARAM_LEN) != 0 || s[-1] != '/' ||
			    (s[PARAM_LEN] && s[PARAM_LEN] != '/') || ++params > ROUTE_MAX_PARAMS)
				return 0;
			s += PARAM_LEN - 1;
		} else if (*s == '}' || *s == '?' || *s == '#' || *s == ' ') {
			return 0;
		}
	}
	return 1;
}

int router_check(const struct route *table, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &table[i];
		const char *why = NULL;
		int post = strcmp(r->method, "POST") == 0;
		if (!r->handler || !r->name)
			why = "has no handler or name";
		else if (!post && strcmp(r->method, "GET") != 0)
			why = "uses a method other than GET or POST";
		else if (!pattern_ok(r->pattern))
			why = "has a malformed pattern";
		else if (!r->roles && !(r->flags & (ROUTE_PUBLIC | ROUTE_SIGNED_IN)))
			why = "allows nobody: give roles, ROUTE_PUBLIC or ROUTE_SIGNED_IN";
		else if (post != !!(r->flags & ROUTE_CHANGES))
			why = "must be POST exactly when it changes state";
		for (size_t j = 0; !why && j < i; j++)
			if (strcmp(table[j].method, r->method) == 0 &&
			    strcmp(table[j].pattern, r->pattern) == 0)
				why = "duplicates an earlier route";
		if (why) {
			snprintf(err, errlen, "route %s %s %s", r->method, r->pattern, why);
			return -1;
		}
	}
	return 0;
}
