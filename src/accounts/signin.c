/* signin.c: the steps of signing in that the sign-in pages (pages.c) and the
 * JSON API (app/api_session.c) share, so that both check the same things,
 * write the same audit entries and decide the second factor the same way.
 * Throttling and the answers stay with each caller: a page and an API answer
 * differently, but both count failures against the same per-client throttle. */
#include <sodium.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/recovery.h"
#include "accounts/totp.h"

enum account_login accounts_signin(db_t *db, const struct audit_signer *s, const char *username,
				   const char *password, struct account_signin *out)
{
	memset(out, 0, sizeof *out);
	enum account_login r = accounts_login(db, s, username, password, &out->account, out->sk,
					      out->totp, &out->has_totp, &out->locked_until);
	if (r != ACCOUNT_LOGIN_OK)
		return r;
	struct account_role roles[ACCOUNT_MAX_ROLES];
	size_t nroles = 0;
	if (accounts_roles(db, out->account.id, roles, ACCOUNT_MAX_ROLES, &nroles) != 0) {
		accounts_signin_wipe(out);
		return ACCOUNT_LOGIN_ERROR;
	}
	out->need_2fa = accounts_roles_need_2fa(roles, nroles);
	out->mfa_done = !out->has_totp && !out->need_2fa;
	out->must_enrol = out->need_2fa && !out->has_totp;
	return ACCOUNT_LOGIN_OK;
}

void accounts_signin_wipe(struct account_signin *si)
{
	sodium_memzero(si, sizeof *si);
}

/* A recovery code has letters; a TOTP code only digits (and a space). */
static int looks_like_recovery(const char *code)
{
	for (; *code; code++)
		if ((*code >= 'a' && *code <= 'z') || (*code >= 'A' && *code <= 'Z'))
			return 1;
	return 0;
}

int accounts_second_factor_ok(db_t *db, const struct audit_signer *s, int64_t account_id,
			      const unsigned char *totp_secret, const char *code, time_t now)
{
	if (!code || !*code || strlen(code) > RECOVERY_INPUT_MAX)
		return 0;
	if (looks_like_recovery(code)) {
		char norm[RECOVERY_CHARS + 1];
		unsigned char hash[RECOVERY_HASH_BYTES];
		int good = recovery_normalise(code, norm) == 0 && recovery_hash(norm, hash) == 0 &&
			   accounts_recovery_use(db, s, account_id, hash) == 0;
		sodium_memzero(norm, sizeof norm);
		return good;
	}
	int64_t step;
	/* the step is recorded, so a code works once even within its window */
	return totp_secret && totp_verify(totp_secret, code, now, 1, &step) == 0 &&
	       accounts_totp_check_step(db, account_id, step) == 0;
}
