/* pages.c: signing in and out. Every failure answers with a plain-language
 * message and keeps what the user typed except passwords and codes. */
#include "accounts/pages.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "accounts/recovery.h"
#include "accounts/totp.h"
#include "accounts/viewer.h"
#include "accounts_tmpl.h"
#include "web/qrsvg.h"
#include "web/throttle.h"

#define ISSUER "Probity"

/* Who acts, for the audit trail: the account's id, never its name. */
static const char *actor(struct page *p)
{
	return arena_printf(p->a, "user:%lld", (long long)p->viewer->account.id);
}

/* Refuses when this client has failed too often; answers the request itself.
 * Only failures count (failed()), so a busy office behind one address that
 * signs in correctly is never slowed down. */
static int throttled(struct page *p, const char *title)
{
	int wait = throttle_wait(p->login_throttle, p->db, p->req->client, throttle_now());
	if (!wait)
		return 0;
	if (wait == THROTTLE_EDB) {
		/* the attempts cannot be counted: refuse rather than allow */
		p->error = page_tr(p, "Signing in is not possible right now. Try again in a few minutes.");
		page_begin(p, page_tr(p, title));
		page_end(p);
		p->res->status = 503;
		return 1;
	}
	p->res->status = 429;
	char *retry = arena_printf(p->a, "%d", wait);
	p->error = page_tr1(p, "Too many attempts from your connection. Wait {} seconds and try again.", retry);
	http_add_header(p->res, "Retry-After", retry);
	page_begin(p, page_tr(p, title));
	page_end(p);
	p->res->status = 429;
	return 1;
}

/* Counts a failed attempt against this client. */
static void failed(struct page *p)
{
	throttle_take(p->login_throttle, p->db, p->req->client, throttle_now());
}

static void render_login(struct page *p, const char *username, const char *error)
{
	struct login_view v = {.csrf = p->csrf, .username = username, .error = error};
	if (!error && http_query(p->req, "signed_out"))
		p->notice = page_tr(p, "You have signed out.");
	page_begin(p, page_tr(p, "Sign in"));
	tmpl_accounts_login(&p->res->body, &p->t, &v);
	page_end(p);
}

void accounts_page_login(struct page *p)
{
	if (p->viewer) {
		/* signed in already, or half-way: go on from where you are */
		page_redirect(p, p->viewer->session.mfa_done ? "/start" :
				 p->viewer->session.must_enrol ? "/account/2fa" : "/login/2fa");
		return;
	}
	render_login(p, "", NULL);
}

void accounts_page_login_post(struct page *p)
{
	const char *user = page_field(p, "username"), *pw = page_field(p, "password");
	if (!user || !pw || !*user || !*pw) {
		p->res->status = 400;
		render_login(p, user ? user : "", page_tr(p, "Fill in your username and password."));
		return;
	}
	if (throttled(p, "Sign in"))
		return;
	struct account_signin si;
	enum account_login r = accounts_signin(p->db, p->signer, user, pw, &si);
	if (r != ACCOUNT_LOGIN_OK) {
		const char *msg;
		failed(p);
		switch (r) {
		case ACCOUNT_LOGIN_LOCKED: {
			struct tm tm;
			char hm[8];
			localtime_r(&si.locked_until, &tm);
			strftime(hm, sizeof hm, "%H:%M", &tm);
			p->res->status = 429;
			msg = page_tr1(p, "This account is locked after too many failed attempts, until {}. Try again then, or ask your administrator.", hm);
			break;
		}
		case ACCOUNT_LOGIN_DISABLED:
			p->res->status = 403;
			msg = page_tr(p, "This account is disabled. Ask your administrator.");
			break;
		case ACCOUNT_LOGIN_ERROR:
			p->res->status = 500;
			msg = page_tr(p, "Signing in failed because of a problem on our side. Try again later.");
			break;
		default:
			p->res->status = 401;
			msg = page_tr(p, "The username or password is not right.");
		}
		render_login(p, user, msg);
		return;
	}
	int has_totp = si.has_totp, must_enrol = si.must_enrol;
	/* a new session id at every sign-in: an old cookie is never promoted */
	if (p->viewer)
		session_destroy(p->db, &p->viewer->session);
	char token[SESSION_TOKEN_LEN + 1];
	int ok = session_create(p->db, si.account.id, si.sk, has_totp ? si.totp : NULL,
				has_totp ? sizeof si.totp : 0, si.mfa_done, must_enrol, p->lang,
				time(NULL), token) == 0;
	accounts_signin_wipe(&si);
	if (!ok) {
		p->res->status = 500;
		render_login(p, user, page_tr(p, "Signing in failed because of a problem on our side. Try again later."));
		return;
	}
	page_cookie(p, SESSION_COOKIE, token, p->session_max_age);
	sodium_memzero(token, sizeof token);
	page_redirect(p, has_totp ? "/login/2fa" : must_enrol ? "/account/2fa" : "/start");
}

static void render_second_factor(struct page *p, const char *error)
{
	struct second_factor_view v = {.csrf = p->csrf, .error = error};
	page_begin(p, page_tr(p, "Two-step sign-in"));
	tmpl_accounts_second_factor(&p->res->body, &p->t, &v);
	page_end(p);
}

void accounts_page_second_factor(struct page *p)
{
	if (p->viewer->session.mfa_done) {
		page_redirect(p, "/start");
		return;
	}
	if (p->viewer->session.must_enrol) {
		page_redirect(p, "/account/2fa");
		return;
	}
	render_second_factor(p, NULL);
}

void accounts_page_second_factor_post(struct page *p)
{
	struct viewer *v = p->viewer;
	if (v->session.mfa_done || v->session.must_enrol) {
		page_redirect(p, v->session.mfa_done ? "/start" : "/account/2fa");
		return;
	}
	const char *code = page_field(p, "code");
	if (!code || !*code) {
		p->res->status = 400;
		render_second_factor(p, page_tr(p, "Enter the code from your app, or a recovery code."));
		return;
	}
	if (throttled(p, "Two-step sign-in"))
		return;
	/* the TOTP secret kept in the session since the password step */
	unsigned char secret[TOTP_SECRET_BYTES];
	int have = session_totp_secret(p->db, &v->session, secret, sizeof secret) == 0;
	int good = accounts_second_factor_ok(p->db, p->signer, v->account.id, have ? secret : NULL,
					     code, time(NULL));
	sodium_memzero(secret, sizeof secret);
	if (!good) {
		failed(p);
		p->res->status = 401;
		render_second_factor(p, page_tr(p, "That code is not right, or was used already. Try the newest code from your app."));
		return;
	}
	if (session_mfa_done(p->db, &v->session) != 0) {
		page_fail(p, 500, "Something went wrong on our side. Try again later.");
		return;
	}
	page_redirect(p, "/start");
}

/* Whether this enrolment moves a second factor that is on (to a new phone,
 * with new recovery codes): then the current code is asked as well, so that a
 * session and a password alone cannot move it to someone else's phone. */
static int moving(const struct page *p)
{
	return p->viewer->session.mfa_done && p->viewer->account.totp_enabled;
}

static void render_enrol(struct page *p, const unsigned char secret[TOTP_SECRET_BYTES],
			 const char *error)
{
	char shown[TOTP_DISPLAY_LEN + 1];
	if (totp_secret_display(secret, shown, sizeof shown) != 0)
		shown[0] = 0;
	struct enrol_view v = {.csrf = p->csrf, .qr_url = "/account/2fa/qr.svg",
			       .secret_text = shown, .error = error, .moving = moving(p)};
	page_begin(p, v.moving ? page_tr(p, "Move two-step sign-in to a new phone")
			       : page_tr(p, "Set up two-step sign-in"));
	tmpl_accounts_enrol(&p->res->body, &p->t, &v);
	page_end(p);
	sodium_memzero(shown, sizeof shown);
}

/* The secret being enrolled, made on first sight and kept in the session. */
static int pending_secret(struct page *p, unsigned char secret[TOTP_SECRET_BYTES], int create)
{
	int r = session_totp_secret(p->db, &p->viewer->session, secret, TOTP_SECRET_BYTES);
	if (r == 1 && create) {
		totp_secret_new(secret);
		r = session_set_totp(p->db, &p->viewer->session, secret, TOTP_SECRET_BYTES);
	}
	return r;
}

void accounts_page_enrol(struct page *p)
{
	struct viewer *v = p->viewer;
	if (!v->session.mfa_done && !v->session.must_enrol) {
		page_redirect(p, "/login/2fa"); /* enrolled already: give the code first */
		return;
	}
	unsigned char secret[TOTP_SECRET_BYTES];
	if (pending_secret(p, secret, 1) != 0) {
		page_fail(p, 500, "Something went wrong on our side. Try again later.");
		return;
	}
	render_enrol(p, secret, NULL);
	sodium_memzero(secret, sizeof secret);
}

void accounts_page_enrol_qr(struct page *p)
{
	struct viewer *v = p->viewer;
	unsigned char secret[TOTP_SECRET_BYTES];
	char uri[TOTP_URI_MAX];
	if ((!v->session.mfa_done && !v->session.must_enrol) || pending_secret(p, secret, 0) != 0) {
		page_fail(p, 404, "There is no page at this address.");
		return;
	}
	int ok = totp_uri(ISSUER, v->account.username, secret, uri, sizeof uri) == 0 &&
		 qr_svg(&p->res->body, uri, page_tr(p, "QR code for your authenticator app")) == 0;
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(uri, sizeof uri);
	if (!ok) {
		page_fail(p, 500, "Something went wrong on our side. Try again later.");
		return;
	}
	p->res->status = 200;
	p->res->content_type = "image/svg+xml";
}

/* New recovery codes: shown once (codes), stored as hashes. 0 or -1. */
static int new_recovery(char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1],
			unsigned char hashes[RECOVERY_CODES][ACCOUNT_RECOVERY_HASH_BYTES])
{
	int ok = 1;
	recovery_generate(codes);
	for (int i = 0; i < RECOVERY_CODES; i++) {
		char norm[RECOVERY_CHARS + 1];
		ok = ok && recovery_normalise(codes[i], norm) == 0 && recovery_hash(norm, hashes[i]) == 0;
		sodium_memzero(norm, sizeof norm);
	}
	return ok ? 0 : -1;
}

/* After a move: every other session of the account ends (one of them may be
 * on the lost phone's owner's old computer); this one continues under a new
 * id, as after a password change. 0 or -1. */
static int renew_session(struct page *p)
{
	struct viewer *v = p->viewer;
	unsigned char sk[ACCOUNT_KEY_BYTES];
	char token[SESSION_TOKEN_LEN + 1];
	int ok = session_secret_key(p->db, &v->session, sk) == 0 &&
		 session_destroy_account(p->db, v->account.id) == 0 &&
		 session_create(p->db, v->account.id, sk, NULL, 0, 1, 0, p->lang, time(NULL),
				token) == 0;
	sodium_memzero(sk, sizeof sk);
	if (ok)
		page_cookie(p, SESSION_COOKIE, token, p->session_max_age);
	sodium_memzero(token, sizeof token);
	return ok ? 0 : -1;
}

void accounts_page_enrol_post(struct page *p)
{
	struct viewer *v = p->viewer;
	if (!v->session.mfa_done && !v->session.must_enrol) {
		page_redirect(p, "/login/2fa");
		return;
	}
	unsigned char secret[TOTP_SECRET_BYTES];
	if (pending_secret(p, secret, 0) != 0) {
		page_redirect(p, "/account/2fa"); /* nothing pending: start again */
		return;
	}
	const char *pw = page_field(p, "password"), *code = page_field(p, "code");
	const char *current = page_field(p, "current");
	int move = moving(p);
	int64_t step;
	const char *error = NULL;
	struct account_error e = {0};
	char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
	unsigned char hashes[RECOVERY_CODES][ACCOUNT_RECOVERY_HASH_BYTES];
	if (throttled(p, move ? "Move two-step sign-in to a new phone" : "Set up two-step sign-in"))
		goto out;
	if (!pw || !*pw || !code || !*code || (move && (!current || !*current)))
		error = move ? page_tr(p, "Fill in your password, the code from your current app or a recovery code, and the code from the new app.")
			     : page_tr(p, "Fill in your password and the code from your app.");
	else if (totp_verify(secret, code, time(NULL), 1, &step) != 0)
		error = page_tr(p, "That code is not right. Check that your phone's clock is right and use the newest code.");
	else if (new_recovery(codes, hashes) != 0)
		error = page_tr(p, "Something went wrong on our side. Try again later.");
	else if (move ? accounts_totp_move(p->db, p->signer, actor(p), v->account.id, pw, current,
					   secret, step,
					   (const unsigned char(*)[ACCOUNT_RECOVERY_HASH_BYTES])hashes,
					   RECOVERY_CODES, &e) != 0
		      : accounts_totp_enable(p->db, p->signer, actor(p), v->account.id, pw,
					     secret, &e) != 0)
		error = e.code == ACCOUNT_EPASSWORD ? page_tr(p, "Your password is not right.")
			: e.code == ACCOUNT_ECODE
				? page_tr(p, "The code from your current app or the recovery code is not right, or was used already.")
				: page_tr(p, e.msg);
	if (error) {
		failed(p);
		p->res->status = 400;
		render_enrol(p, secret, error);
		goto out;
	}
	int ok;
	if (move) {
		/* the secret, its counter and the codes changed in one transaction */
		ok = renew_session(p) == 0;
	} else {
		accounts_totp_check_step(p->db, v->account.id, step);
		ok = accounts_recovery_set(p->db, p->signer, actor(p), v->account.id,
					   (const unsigned char(*)[ACCOUNT_RECOVERY_HASH_BYTES])hashes,
					   RECOVERY_CODES, &e) == 0 &&
		     session_mfa_done(p->db, &v->session) == 0;
	}
	if (!ok) {
		page_fail(p, 500, "Something went wrong on our side. Try again later.");
		goto out;
	}
	const char *list[RECOVERY_CODES];
	for (int i = 0; i < RECOVERY_CODES; i++)
		list[i] = arena_strdup(p->a, codes[i]);
	struct recovery_view rv = {list, RECOVERY_CODES};
	page_begin(p, page_tr(p, "Your recovery codes"));
	tmpl_accounts_recovery(&p->res->body, &p->t, &rv);
	page_end(p);
out:
	sodium_memzero(codes, sizeof codes);
	sodium_memzero(hashes, sizeof hashes);
	sodium_memzero(secret, sizeof secret);
}

void accounts_page_logout(struct page *p)
{
	session_destroy(p->db, &p->viewer->session);
	page_cookie(p, SESSION_COOKIE, "", -1);
	page_redirect(p, "/login?signed_out=1");
}

static void render_account(struct page *p, const char *error, const char *notice)
{
	const struct viewer *v = p->viewer;
	struct role_line *lines = arena_alloc(p->a, (v->nroles + 1) * sizeof *lines);
	for (size_t i = 0; i < v->nroles; i++)
		lines[i] = (struct role_line){page_tr(p, role_label(v->role[i].role)),
					      v->role[i].org_code, v->role[i].org_name};
	struct account_view av = {.csrf = p->csrf, .username = v->account.username,
				  .display_name = v->account.display_name, .roles = lines,
				  .nroles = v->nroles, .totp_enabled = v->account.totp_enabled,
				  .error = error, .notice = notice};
	page_begin(p, page_tr(p, "Your account"));
	tmpl_accounts_account(&p->res->body, &p->t, &av);
	page_end(p);
}

void accounts_page_account(struct page *p)
{
	render_account(p, NULL, http_query(p->req, "password_changed") ?
		       page_tr(p, "Your password has been changed. You were signed out everywhere else.") : NULL);
}


void accounts_page_password(struct page *p)
{
	struct viewer *v = p->viewer;
	const char *old = page_field(p, "old"), *new = page_field(p, "new");
	struct account_error e = {0};
	if (!old || !new || !*old || !*new) {
		p->res->status = 400;
		render_account(p, page_tr(p, "Fill in your current and your new password."), NULL);
		return;
	}
	if (accounts_change_password(p->db, p->signer, actor(p), v->account.id, old, new,
				     &e) != 0) {
		p->res->status = e.code == ACCOUNT_EDB ? 500 : 400;
		render_account(p, e.code == ACCOUNT_EPASSWORD ? page_tr(p, "Your current password is not right.")
							      : page_tr(p, e.msg), NULL);
		return;
	}
	/* every other session of this account ends; this one continues under a
	 * new id, carrying the same (unchanged) key pair */
	unsigned char sk[ACCOUNT_KEY_BYTES];
	char token[SESSION_TOKEN_LEN + 1];
	int ok = session_secret_key(p->db, &v->session, sk) == 0 &&
		 session_destroy_account(p->db, v->account.id) == 0 &&
		 session_create(p->db, v->account.id, sk, NULL, 0, 1, 0, p->lang, time(NULL),
				token) == 0;
	sodium_memzero(sk, sizeof sk);
	if (!ok) {
		page_fail(p, 500, "Your password was changed, but signing you in again failed. Sign in with your new password.");
		return;
	}
	page_cookie(p, SESSION_COOKIE, token, p->session_max_age);
	sodium_memzero(token, sizeof token);
	/* a redirect, so that the next page's forms carry the new session's token */
	page_redirect(p, "/account?password_changed=1");
}
