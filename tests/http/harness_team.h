/* harness_team.h: the start that the feature tests of the coordinator's
 * pages share (recommendations, IPIM, risks, culture): a server with the
 * departments FIN, BZK and DEF (outside the coordinator's scope) under RIJK,
 * accounts with their roles signed in on the website in English, and the
 * server's database opened beside it for the tests' own checks. A test
 * keeps its own variables (srv, cl, db, fin, ...) and names them in a
 * struct team, so that its body reads as before. */
#ifndef TESTS_HTTP_HARNESS_TEAM_H
#define TESTS_HTTP_HARNESS_TEAM_H
#include <stddef.h>
#include <stdint.h>

#include "harness.h"
#include "store/db.h"

struct team {
	struct server *srv;
	/* n accounts: username (also the display name), role, organisation */
	const char *const *users, *const *roles, *const *orgs;
	size_t n;
	const char *password;
	/* More `probity` commands run after RIJK, FIN, BZK and DEF are added,
	 * each a NULL-terminated argument list; the list ends with NULL. May
	 * be NULL. */
	const char *const *const *more;
	/* Filled by team_start: */
	struct client **cl;        /* n clients, signed in, English */
	char **recovery;           /* n first recovery codes (NULL for roles without
				    * a second factor), or NULL not to keep them */
	db_t **db;                 /* the server's database */
	int64_t *fin, *bzk, *def;  /* the departments' ids; each may be NULL */
};

/* Ignores SIGPIPE, starts the server and sets everything up as above. 0 or
 * -1 (with a line on standard error). */
int team_start(const struct team *t);
/* Signs nobody out but frees the clients and codes, closes the database and
 * stops the server. 0, or -1 when the server did not stop cleanly. */
int team_stop(const struct team *t);

/* For a test whose group setup and teardown are team_start and team_stop
 * alone: cmocka group functions for the team team_run_group_tests names.
 * Use the macro, not these. */
extern const struct team *team_current;
int team_group_setup(void **state);
int team_group_teardown(void **state);
/* cmocka_run_group_tests(tests) with the team at t started before the tests
 * and stopped after them (a failed stop fails the run). */
#define team_run_group_tests(t, tests) \
	(team_current = (t), cmocka_run_group_tests(tests, team_group_setup, team_group_teardown))

/* GET path as account who; fails the test when the request cannot be made.
 * Returns the status. */
long team_get(const struct team *t, size_t who, const char *path, struct http_result *r);
/* POST the urlencoded fields (may be NULL) to path as account who, with
 * the CSRF token of its forms. Fails the test when there is no token or the
 * request cannot be made. Returns the status. */
long team_post(const struct team *t, size_t who, const char *path, const char *fields,
	       struct http_result *r);
/* The same, failing the test unless the answer has status (the message
 * names the account and shows the start of the body). */
void team_get_status(const struct team *t, size_t who, const char *path, long status);
void team_post_status(const struct team *t, size_t who, const char *path, const char *fields,
		      long status);

#endif
