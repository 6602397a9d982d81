/* harness_team.c: the shared start of the coordinator's feature tests
 * (harness_team.h). */
#include "harness_team.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

static int org_id(db_t *db, const char *code, int64_t *out)
{
	int64_t id;
	if (db_query_i64(db, "SELECT id FROM org WHERE code = ?", code, &id) != 0)
		return -1;
	if (out)
		*out = id;
	return 0;
}

int team_start(const struct team *t)
{
	static const char *const bzk[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken",
					  "--parent", "RIJK", "--from", "2020-01-01", NULL};
	static const char *const def[] = {"org", "add", "DEF", "--name", "Defensie", "--parent",
					  "RIJK", "--from", "2020-01-01", "--outside-scope", NULL};
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || server_start(t->srv) != 0)
		return -1;
	if (server_add_rijk_fin(t->srv) || server_cli_input(t->srv, bzk, NULL) ||
	    server_cli_input(t->srv, def, NULL)) {
		fprintf(stderr, "adding the departments failed\n");
		return -1;
	}
	for (size_t i = 0; t->more && t->more[i]; i++)
		if (server_cli_input(t->srv, t->more[i], NULL)) {
			fprintf(stderr, "probity %s %s failed\n", t->more[i][0], t->more[i][1]);
			return -1;
		}
	for (size_t i = 0; i < t->n; i++)
		if (server_add_user(t->srv, t->users[i], t->users[i], t->roles[i], t->orgs[i],
				    t->password)) {
			fprintf(stderr, "adding %s failed\n", t->users[i]);
			return -1;
		}
	struct db_options opt = {.busy_timeout_ms = 10000};
	struct db_error dbe;
	if (db_open(t->srv->db, 0, &opt, t->db, &dbe) != 0) {
		fprintf(stderr, "opening the database: %s\n", dbe.msg);
		return -1;
	}
	if (org_id(*t->db, "FIN", t->fin) || org_id(*t->db, "BZK", t->bzk) ||
	    org_id(*t->db, "DEF", t->def))
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		t->cl[i] = client_new(t->srv);
		if (client_sign_in(t->cl[i], t->users[i], t->password, NULL,
				   t->recovery ? &t->recovery[i] : NULL) != 0 ||
		    client_set_lang(t->cl[i], "en") != 0) {
			fprintf(stderr, "signing in %s failed\n", t->users[i]);
			return -1;
		}
	}
	return 0;
}

int team_stop(const struct team *t)
{
	for (size_t i = 0; i < t->n; i++) {
		client_free(t->cl[i]);
		if (t->recovery)
			free(t->recovery[i]);
	}
	db_close(*t->db);
	return server_stop(t->srv) == 0 ? 0 : -1;
}

const struct team *team_current;

int team_group_setup(void **state)
{
	(void)state;
	return team_start(team_current);
}

int team_group_teardown(void **state)
{
	(void)state;
	return team_stop(team_current);
}

long team_get(const struct team *t, size_t who, const char *path, struct http_result *r)
{
	assert_int_equal(client_get(t->cl[who], path, r), 0);
	return r->status;
}

long team_post(const struct team *t, size_t who, const char *path, const char *fields,
	       struct http_result *r)
{
	char *csrf = client_csrf(t->cl[who], "/account");
	if (!csrf) {
		fail_msg("no CSRF token for %s", t->users[who]);
		return -1;
	}
	size_t n = strlen(csrf) + (fields ? strlen(fields) : 0) + 16;
	char *body = malloc(n);
	if (!body) {
		free(csrf);
		fail_msg("out of memory");
		return -1;
	}
	snprintf(body, n, "csrf=%s%s%s", csrf, fields ? "&" : "", fields ? fields : "");
	assert_int_equal(client_post(t->cl[who], path, body, r), 0);
	free(body);
	free(csrf);
	return r->status;
}

void team_get_status(const struct team *t, size_t who, const char *path, long status)
{
	struct http_result r;
	if (team_get(t, who, path, &r) != status)
		fail_msg("%s GET %s answered %ld, not %ld", t->users[who], path, r.status, status);
	http_result_free(&r);
}

void team_post_status(const struct team *t, size_t who, const char *path, const char *fields,
		      long status)
{
	struct http_result r;
	if (team_post(t, who, path, fields, &r) != status)
		fail_msg("%s POST %s answered %ld, not %ld: %.1500s", t->users[who], path, r.status,
			 status, r.body ? r.body : "");
	http_result_free(&r);
}
