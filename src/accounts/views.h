/* views.h: what the sign-in page templates receive. */
#ifndef ACCOUNTS_VIEWS_H
#define ACCOUNTS_VIEWS_H
#include <stddef.h>

struct login_view {
	const char *csrf;
	const char *username;   /* echoed back after a failure */
	const char *error;      /* translated, or NULL */
};

struct second_factor_view {
	const char *csrf;
	const char *error;
};

struct enrol_view {
	const char *csrf;
	const char *qr_url;     /* the QR code as an SVG image of this site */
	const char *secret_text; /* the secret grouped for typing by hand */
	const char *error;
	int moving;             /* 2FA is on: moving it to a new phone asks the current code */
};

struct recovery_view {
	const char *const *codes;
	size_t ncodes;
};

struct role_line {
	const char *role;       /* translated role label */
	const char *org_code;
	const char *org_name;
};

struct account_view {
	const char *csrf;
	const char *username;
	const char *display_name;
	const struct role_line *roles;
	size_t nroles;
	int totp_enabled;
	const char *error;
	const char *notice;
};

#endif
