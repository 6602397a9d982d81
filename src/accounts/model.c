/* model.c: the pure rules of accounts: the ten roles of shared/domain §2 with
 * which of them need a second factor, what a username and a display name may
 * be, and how long repeated wrong passwords lock an account. No I/O. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/utf8.h"
#include "web/i18n.h"

/* One row per role, in enum order (checked by the unit tests). needs_2fa: the
 * roles that can read case content, and the administrator, who can give roles
 * that do; reporters (who sign in only to follow their own report),
 * coordinator, IPIM members and auditors see aggregates and the trail. */
static const struct {
	const char *name;
	const char *label;
	int needs_2fa;
} roles[ROLE_COUNT] = {
	[ROLE_REPORTER] = {"reporter", N_("Reporter"), 0},
	[ROLE_CONFIDENTIAL_ADVISER] = {"confidential_adviser", N_("Confidential adviser"), 1},
	[ROLE_MANAGER] = {"manager", N_("Manager"), 1},
	[ROLE_INTEGRITY_COORDINATOR] = {"integrity_coordinator", N_("Integrity coordinator"), 1},
	[ROLE_INVESTIGATOR] = {"investigator", N_("Investigator"), 1},
	[ROLE_COMPETENT_AUTHORITY] = {"competent_authority", N_("Competent authority"), 1},
	[ROLE_COORDINATOR] = {"coordinator", N_("Coordinator"), 0},
	[ROLE_IPIM_MEMBER] = {"ipim_member", N_("IPIM member"), 0},
	[ROLE_AUDITOR] = {"auditor", N_("Auditor"), 0},
	[ROLE_ADMINISTRATOR] = {"administrator", N_("Administrator"), 1},
};

static int role_ok(enum role r)
{
	return (unsigned)r < ROLE_COUNT;
}

const char *role_name(enum role r)
{
	return role_ok(r) ? roles[r].name : "unknown";
}

const char *role_label(enum role r)
{
	return role_ok(r) ? roles[r].label : "Unknown role";
}

int role_parse(const char *s, enum role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(s, roles[i].name) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

unsigned role_mask(enum role r)
{
	return role_ok(r) ? 1u << r : 0;
}

/* Set by role_set_2fa from the configuration; 0 means the built-in table. */
static unsigned configured_2fa;
static int configured;

int role_needs_2fa(enum role r)
{
	/* an unknown role is treated as the strictest */
	if (!role_ok(r))
		return 1;
	return configured ? (configured_2fa & (1u << r)) != 0 : roles[r].needs_2fa;
}

int role_set_2fa(const char *list, char *err, size_t errlen)
{
	if (!list || strcmp(list, "default") == 0) {
		configured = 0;
		return 0;
	}
	unsigned mask = 0;
	if (strcmp(list, "none") != 0) {
		const char *p = list;
		while (*p) {
			size_t n = strcspn(p, ",");
			char name[40];
			while (n && *p == ' ') {
				p++;
				n--;
			}
			size_t m = n;
			while (m && p[m - 1] == ' ')
				m--;
			enum role r;
			if (m == 0 || m >= sizeof name) {
				snprintf(err, errlen, "second_factor_roles: empty or overlong role name");
				return -1;
			}
			memcpy(name, p, m);
			name[m] = 0;
			if (role_parse(name, &r) != 0) {
				snprintf(err, errlen, "second_factor_roles: unknown role '%s'", name);
				return -1;
			}
			mask |= 1u << r;
			p += n + (p[n] == ',');
		}
	}
	configured_2fa = mask;
	configured = 1;
	return 0;
}

static int refuse(struct account_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fills e as an ACCOUNT_EINVALID refusal; returns -1. */
static int refuse(struct account_error *e, const char *fmt, ...)
{
	va_list ap;
	e->code = ACCOUNT_EINVALID;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int account_check_username(const char *s, char out[ACCOUNT_USERNAME_MAX + 1],
			   struct account_error *e)
{
	size_t n = strnlen(s, ACCOUNT_USERNAME_MAX + 1);
	out[0] = 0;
	if (n < ACCOUNT_USERNAME_MIN || n > ACCOUNT_USERNAME_MAX)
		return refuse(e, "a username has %d to %d characters", ACCOUNT_USERNAME_MIN,
			      ACCOUNT_USERNAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		int letter = c >= 'a' && c <= 'z';
		if (i == 0 && !letter) {
			out[0] = 0;
			return refuse(e, "a username starts with a letter (a-z)");
		}
		if (!letter && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-') {
			out[0] = 0;
			return refuse(e, "a username has only letters a-z, digits, '.', '_' and "
				      "'-' (no spaces or accents)");
		}
		out[i] = c;
	}
	out[n] = 0;
	return 0;
}

int account_check_display_name(const char *s, struct account_error *e)
{
	size_t n = strnlen(s, ACCOUNT_DISPLAY_MAX + 1);
	if (n == 0)
		return refuse(e, "the display name is empty");
	if (n > ACCOUNT_DISPLAY_MAX)
		return refuse(e, "the display name is longer than %d bytes", ACCOUNT_DISPLAY_MAX);
	if (!utf8_valid(s, n))
		return refuse(e, "the display name is not valid UTF-8");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* C0 controls and DEL; C1 controls are U+0080..U+009F, encoded C2 80..9F */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0))
			return refuse(e, "the display name contains a control character (a tab "
				      "or line break, say)");
	}
	return 0;
}

int64_t account_lock_seconds(int64_t failures)
{
	if (failures < ACCOUNT_LOCK_AFTER)
		return 0;
	int64_t secs = ACCOUNT_LOCK_FIRST;
	for (int64_t i = ACCOUNT_LOCK_AFTER; i < failures && secs < ACCOUNT_LOCK_MAX; i++)
		secs *= 2;
	return secs < ACCOUNT_LOCK_MAX ? secs : ACCOUNT_LOCK_MAX;
}
