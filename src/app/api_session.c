/* api_session.c: users signing in and out through the API. One request does
 * what the sign-in pages do in two steps: the password, and the second
 * factor when the account has one or its roles need one; a token is issued
 * only when both are done. The checks, audit entries and the per-client
 * throttle are the pages' own (accounts/signin.c, the shared login
 * throttle), so the API is no easier a way to guess passwords or codes. */
#include <sodium.h>
#include <string.h>

#include "accounts/accounts.h"
#include "app/api_req.h"
#include "web/throttle.h"

#define CODE_MAX 64  /* bytes of a typed code: a recovery code with spaces and dashes */

/* 429 when this client failed too often; answers and returns 1. */
static int throttled(struct api_req *r)
{
	int wait = throttle_wait(r->env->login, r->p->db, r->p->req->client, throttle_now());
	if (!wait)
		return 0;
	if (wait == THROTTLE_EDB) {
		/* the attempts cannot be counted: refuse rather than allow */
		api_error(r, 503, "unavailable", "Signing in is not possible right now. Try "
			  "again in a few minutes.");
		return 1;
	}
	http_add_header(r->p->res, "Retry-After", arena_printf(r->p->a, "%d", wait));
	api_error_with(r, 429, "too_many_attempts", "Too many failed attempts from your "
		       "connection. Wait before trying again (see Retry-After).",
		       json_pack("{s:i}", "retry_after", wait));
	return 1;
}

static void failed(struct api_req *r)
{
	throttle_take(r->env->login, r->p->db, r->p->req->client, throttle_now());
}

static void refuse_login(struct api_req *r, enum account_login res, time_t until)
{
	failed(r);
	switch (res) {
	case ACCOUNT_LOGIN_LOCKED: {
		long wait = until > r->now ? (long)(until - r->now) : 1;
		http_add_header(r->p->res, "Retry-After", arena_printf(r->p->a, "%ld", wait));
		api_error_with(r, 429, "account_locked", "This account is locked after too many "
			       "failed attempts. Try again later, or ask your administrator.",
			       json_pack("{s:I}", "retry_after", (json_int_t)wait));
		break;
	}
	case ACCOUNT_LOGIN_DISABLED:
		api_error(r, 403, "account_disabled", "This account is disabled. Ask your "
			  "administrator.");
		break;
	case ACCOUNT_LOGIN_ERROR:
		api_fail_internal(r, "signing in failed");
		break;
	default:
		api_error(r, 401, "invalid_credentials", "The username or password is not right.");
	}
}

void api_session(struct api_req *r)
{
	const char *user, *pw, *code;
	if (api_string(r, "username", 1, ACCOUNT_USERNAME_MAX, 0, &user, NULL) ||
	    api_string(r, "password", 1, ACCOUNT_PASSWORD_MAX, 0, &pw, NULL) ||
	    api_string(r, "code", 0, CODE_MAX, 0, &code, NULL))
		return;
	if (throttled(r))
		return;
	struct account_signin si;
	enum account_login res = accounts_signin(r->p->db, r->p->signer, user, pw, &si);
	if (res != ACCOUNT_LOGIN_OK) {
		refuse_login(r, res, si.locked_until);
		return;
	}
	if (si.must_enrol) {
		/* enrolment shows a QR code and recovery codes: a page's job */
		api_error(r, 403, "second_factor_not_set_up", "Your role needs two-step sign-in. "
			  "Set it up by signing in on the website first.");
		goto out;
	}
	if (si.has_totp && (!code || !*code)) {
		/* the password was right; as on the website, that much is told */
		api_error(r, 401, "second_factor_required", "Send the code from your "
			  "authenticator app, or a recovery code, in the field \"code\".");
		goto out;
	}
	if (si.has_totp && !accounts_second_factor_ok(r->p->db, r->p->signer, si.account.id,
						      si.totp, code, r->now)) {
		failed(r);
		api_error(r, 401, "invalid_code", "That code is not right, or was used already. "
			  "Try the newest code from your app.");
		goto out;
	}
	char token[SESSION_TOKEN_LEN + 1];
	if (session_create(r->p->db, si.account.id, si.sk, NULL, 0, 1, 0, r->p->lang, r->now,
			   token) != 0) {
		api_fail_internal(r, "creating a session failed");
		goto out;
	}
	api_reply(r, 201, json_pack("{s:s, s:s, s:i, s:i}", "token", token, "token_type",
				    "Bearer", "expires_in", r->env->limits.absolute_seconds,
				    "idle_timeout", r->env->limits.idle_seconds));
	sodium_memzero(token, sizeof token);
out:
	accounts_signin_wipe(&si);
}

void api_session_end(struct api_req *r)
{
	if (session_destroy(r->p->db, &r->viewer->session) != 0) {
		api_fail_internal(r, "ending a session failed");
		return;
	}
	api_reply(r, 204, NULL);
}
