/* cmd_serve.c: `probity serve` runs the web application until SIGINT or
 * SIGTERM; `probity demo` first creates a demo database. */
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "app/app.h"
#include "assess/demo.h"
#include "base/alloc.h"
#include "cases/demo.h"
#include "cli/cli.h"
#include "cli/purge.h"
#include "intake/intake.h"
#include "ipim/demo.h"
#include "loop/demo.h"
#include "monitor/demo.h"
#include "orgs/orgs.h"
#include "culture/culture.h"
#include "registrations/registrations.h"
#include "recs/demo.h"
#include "risks/demo.h"
#include "store/migrate.h"
#include "web/proxy.h"
#include "web/sandbox.h"

static int serve(struct cli *c, db_t *db)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* block before the server's threads start, so they inherit the mask and
	 * only sigwait below sees the signals */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	char err[600];
	int rc = cli_load_signer(c);
	if (rc)
		return rc;
	/* whose X-Forwarded-For to believe: a list that does not parse must stop
	 * the server, not trust nobody silently (or more than meant) */
	struct proxy_list trusted;
	if (proxy_parse_list(c->cfg.trusted_proxies ? c->cfg.trusted_proxies : "", &trusted, err,
			     sizeof err) != 0) {
		cli_error("trusted_proxies: %s", err);
		db_close(db);
		return EXIT_CONFIG;
	}
	/* the same on every node that has this signing key (proxy.h says why) */
	unsigned char client_secret[HTTP_CLIENT_SECRET_BYTES];
	proxy_client_secret(c->key.sk, sizeof c->key.sk, client_secret);
	struct app_settings as = {
		.db_target = c->cfg.db,
		.busy_timeout_ms = c->cfg.busy_timeout_ms,
		.session_idle_seconds = c->cfg.session_idle_minutes * 60,
		.session_absolute_seconds = c->cfg.session_max_hours * 3600,
		.signer = &c->signer,
		.monitor_threshold = c->cfg.monitor_threshold,
	};
	/* the workers open their own connections; this one has done its checks */
	db_close(db);
	struct app *app = app_new(&as, err, sizeof err);
	if (!app) {
		cli_error("cannot serve: %s", err);
		return EXIT_FAIL;
	}
	struct http_server *srv;
	struct http_options opt = {.listen = c->cfg.listen, .handler = app_handle,
				   .body_limit = app_body_limit, .too_large = app_too_large,
				   .ctx = app, .client_secret = client_secret,
				   .trusted_proxies = &trusted};
	int started = http_start(&opt, &srv, err, sizeof err);
	sodium_memzero(client_secret, sizeof client_secret); /* the server has its copy */
	if (started != 0) {
		cli_error("%s: choose another address with --listen ADDRESS:PORT", err);
		app_free(app);
		return EXIT_CONFIG;
	}
	/* the retention purge at start-up and every 24 hours, on its own
	 * connection; started before the sandbox, which then covers it too */
	struct purge_daily *purge = purge_daily_start(c, err, sizeof err);
	if (!purge) {
		cli_error("%s", err);
		http_stop(srv);
		app_free(app);
		return EXIT_FAIL;
	}
	/* the socket and thread pool exist and the database is open: from here
	 * on the process needs nothing the filter denies; never serve without it
	 * unless PROBITY_SANDBOX=off asked for that */
	if (sandbox_enter(err, sizeof err) != 0) {
		cli_error("%s", err);
		purge_daily_stop(purge);
		http_stop(srv);
		app_free(app);
		return EXIT_FAIL;
	}
	char host[80];
	snprintf(host, sizeof host, "%s", c->cfg.listen);
	char *colon = strrchr(host, ':');
	if (colon)
		*colon = 0;
	printf("probity: serving http://%s:%d/ (database %s); stop with Ctrl-C\n", host,
	       http_port(srv), c->cfg.db);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	printf("probity: stopping (%s)\n", sig == SIGINT ? "interrupt" : "terminate");
	purge_daily_stop(purge);
	http_stop(srv);
	app_free(app);
	return 0;
}

/* Loads the password policy's list of common passwords: a server that cannot
 * must not start, rather than accept passwords the policy forbids. */
static int load_accounts(struct cli *c)
{
	char err[700];
	if (role_set_2fa(c->cfg.second_factor_roles, err, sizeof err) != 0) {
		cli_error("%s: use role names such as integrity_coordinator, or none", err);
		return EXIT_CONFIG;
	}
	if (accounts_init(cli_data_dir(c), err, sizeof err) == 0)
		return 0;
	cli_error("%s: %s: check the data_dir setting", c->cmd->name, err);
	return EXIT_CONFIG;
}

static int run_serve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"listen", required_argument, NULL, CLI_OPT_LISTEN},
		{0},
	};
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	if ((rc = load_accounts(c)) != 0)
		return rc;
	db_t *db;
	if ((rc = cli_open_db(c, CLI_DB_WRITE, &db)) != 0)
		return rc;
	return serve(c, db);
}

const struct cli_command cmd_serve = {
	.name = "serve",
	.summary = "serve the web application",
	.usage = "usage: probity serve [--db FILE] [--listen ADDRESS:PORT] [--config FILE]\n\n"
		 "Serves Probity over HTTP until interrupted (SIGINT or SIGTERM). The\n"
		 "default address is 127.0.0.1:8080; put a TLS proxy such as nginx in\n"
		 "front of it. Port 0 picks a free port and prints it.\n",
	.run = run_serve,
};

/* Removes a database with its WAL files and, if key is not NULL, that key. */
static void remove_db_files(const char *db, const char *key)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char *p = xasprintf("%s%s", db, suffix[i]);
		unlink(p);
		free(p);
	}
	if (key) {
		char *pub = xasprintf("%s.pub", key);
		unlink(key);
		unlink(pub);
		free(pub);
	}
}

/* Creates one account per role from data/demo/accounts.json and prints the
 * logins with their fresh passwords; l[0..*n) keeps them for the demo cases
 * (the caller wipes them). */
static int demo_accounts(struct cli *c, db_t *db, struct account_demo_login *l, size_t *n)
{
	char err[1024];
	char *file = xasprintf("%s/demo/accounts.json", cli_data_dir(c));
	int rc = accounts_import_demo(db, &c->signer, c->actor, file, l, ACCOUNT_DEMO_MAX, n, err,
				      sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo logins (new passwords for every demo):\n");
	printf("  %-18s  %-14s  %-22s  %s\n", "username", "password", "role", "organisation");
	for (size_t i = 0; i < *n; i++)
		printf("  %-18s  %-14s  %-22s  %s%s\n", l[i].username, l[i].password,
		       role_name(l[i].role), l[i].org_code, l[i].needs_2fa ? "  (2FA)" : "");
	printf("(2FA): these roles set up two-factor sign-in with an authenticator app at\n"
	       "the first sign-in. Try also: probity user list --db %s\n", c->cfg.db);
	return 0;
}

/* Puts the demo reports of data/demo/reports.json through the reporting
 * channel and prints their receipts, so that "follow your report" can be
 * tried. Run after the accounts: the reports are sealed to their handlers.
 * r[0..*n) keeps where they went for the demo cases, the receipts wiped. */
static int demo_reports(struct cli *c, db_t *db, struct intake_demo_report *r, size_t *n)
{
	char err[1024];
	char *file = xasprintf("%s/demo/reports.json", cli_data_dir(c));
	int rc = intake_import_demo_file(db, &c->signer, file, r, INTAKE_DEMO_MAX, n, err,
					 sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo reports (sign in with a code at /melding, \"Follow your report\"):\n");
	for (size_t i = 0; i < *n; i++) {
		printf("  %-28s %-6s %s\n", r[i].receipt, r[i].org_code, r[i].mode);
		sodium_memzero(r[i].receipt, sizeof r[i].receipt);
	}
	return 0;
}

/* Opens the demo cases of data/demo/cases.json from the demo reports and
 * walks them through the case storage, signing in as their team with the
 * demo passwords; prints one line per case. */
static int demo_cases(struct cli *c, db_t *db, const struct account_demo_login *l, size_t nl,
		      const struct intake_demo_report *r, size_t nr)
{
	struct cases_demo_case k[CASES_DEMO_MAX];
	size_t n = 0;
	char err[1024];
	char *file = xasprintf("%s/demo/cases.json", cli_data_dir(c));
	int rc = cases_import_demo_file(db, &c->signer, file, l, nl, r, nr, k, CASES_DEMO_MAX, &n,
					err, sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo cases (sign in as integrity.fin, investigator.fin or authority.fin):\n");
	for (size_t i = 0; i < n; i++)
		printf("  case %lld  %s  %s%s\n", (long long)k[i].case_id, k[i].org_code,
		       k[i].phase, k[i].closed ? " (closed)" : "");
	return 0;
}

/* Loads the demo risk registers of data/demo/risks.json, one per
 * department, kept by its integrity coordinator; prints one line. */
static int demo_risks(struct cli *c, db_t *db, const struct account_demo_login *l, size_t nl)
{
	struct risks_demo_summary sum;
	char err[1024];
	char *file = xasprintf("%s/demo/risks.json", cli_data_dir(c));
	int rc = risks_import_demo_file(db, &c->signer, file, l, nl, &sum, err, sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo risk registers: %zu departments (%zu with a matrix of their own), %zu "
	       "processes, %zu vulnerable positions, %zu risks, %zu controls\n",
	       sum.registers, sum.matrices, sum.processes, sum.positions, sum.risks, sum.controls);
	return 0;
}

/* Loads the demo history of closed cases (data/demo/case-history.json): their
 * statistical record as the purge leaves it, over the processes of the demo
 * risk registers loaded just before, for "where were the risks greatest";
 * prints one line. */
static int demo_history(struct cli *c, db_t *db)
{
	struct loop_demo_summary sum;
	char err[1024], today[DATE_LEN + 1];
	date_today(today);
	char *file = xasprintf("%s/demo/case-history.json", cli_data_dir(c));
	int rc = loop_import_demo_file(db, &c->signer, c->actor, file, today, &sum, err,
				       sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo case history: %zu closed cases of %zu departments, opened %s to %s, %zu "
	       "established with %zu measures and %zu police reports (see "
	       "/schendingen-en-risicos)\n",
	       sum.cases, sum.departments, sum.first, sum.last, sum.established, sum.measures,
	       sum.police);
	return 0;
}

/* Loads the demo history of reports (data/demo/report-history.json): the
 * rows the purge leaves of the reports of earlier years, so that the
 * dashboard's trends and the annual report's timeliness have years to show;
 * prints one line. */
static int demo_report_history(struct cli *c, db_t *db)
{
	struct mon_demo_summary sum;
	char err[1024], today[DATE_LEN + 1];
	date_today(today);
	char *file = xasprintf("%s/demo/report-history.json", cli_data_dir(c));
	int rc = mon_import_demo_file(db, &c->signer, c->actor, file, today, &sum, err,
				      sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo report history: %zu reports of %zu departments, received %s to %s, %zu "
	       "acknowledged within 7 days, %zu with feedback within 3 months (see /monitor)\n",
	       sum.reports, sum.departments, sum.first, sum.last, sum.ack_on_time,
	       sum.feedback_on_time);
	return 0;
}

/* Loads the demo self-assessments of data/demo/assessments.json, made,
 * signed off and reviewed by the demo accounts; prints one line. */
static int demo_assessments(struct cli *c, db_t *db, const struct account_demo_login *l,
			    size_t nl)
{
	struct assess_demo_summary sum;
	char err[1024];
	char *file = xasprintf("%s/demo/assessments.json", cli_data_dir(c));
	int rc = assess_import_demo_file(db, &c->signer, file, l, nl, &sum, err, sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo self-assessments: %zu of %zu departments, %d to %d (%zu reviewed, %zu signed "
	       "off, %zu drafts), %zu action points, %zu links\n",
	       sum.assessments, sum.departments, sum.first_year, sum.last_year, sum.reviewed,
	       sum.signed_off, sum.drafts, sum.actions, sum.links);
	return 0;
}

/* Imports the demo departments' historical registers
 * (data/demo/registrations.csv, as Dutch Excel saves a spreadsheet) through
 * `probity import registrations`' own code; prints one line. */
static int demo_registrations(struct cli *c, db_t *db)
{
	struct reg_import_result res;
	char *file = xasprintf("%s/demo/registrations.csv", cli_data_dir(c));
	struct reg_import_opts o = {.actor = c->actor};
	enum reg_status st = registrations_import_csv(db, &c->signer, file, &o, &res);
	if (st != REG_OK) {
		const char *why = st == REG_EDB ? db_error(db)->msg : res.err;
		if (st == REG_EINVALID && res.nlisted)
			why = res.problems[0];
		cli_error("demo: %s: %s", file, why);
		reg_import_result_free(&res);
		free(file);
		return EXIT_FAIL;
	}
	printf("demo historical registrations: %zu rows from %s (import %lld)\n", res.rows, file,
	       (long long)res.import_id);
	reg_import_result_free(&res);
	free(file);
	return 0;
}

/* Loads the demo survey figures (data/demo/culture.csv: the culture
 * indicators of every department for 2020, 2022 and 2024, issue 7 item 8);
 * prints one line. */
static int demo_culture(struct cli *c, db_t *db)
{
	struct culture_import_result res;
	char *file = xasprintf("%s/demo/culture.csv", cli_data_dir(c));
	struct culture_import_opts o = {.actor = c->actor};
	enum culture_status st = culture_import_csv(db, &c->signer, file, &o, &res);
	if (st != CUL_OK) {
		const char *why = st == CUL_EDB ? db_error(db)->msg : res.err;
		if (st == CUL_EINVALID && res.nlisted)
			why = res.problems[0];
		cli_error("demo: %s: %s", file, why);
		culture_import_result_free(&res);
		free(file);
		return EXIT_FAIL;
	}
	printf("demo culture indicators: %zu figures from %s (import %lld)\n", res.rows, file,
	       (long long)res.import_id);
	culture_import_result_free(&res);
	free(file);
	return 0;
}

/* Loads the demo policy cycle (data/demo/policy.json: items and the
 * departments' adoptions, evaluations resting on the demo self-assessments)
 * and then the demo recommendations (data/demo/recommendations.json, which
 * name those policy items); prints one line each. */
static int demo_recs(struct cli *c, db_t *db, const struct account_demo_login *l, size_t nl)
{
	struct recs_demo_summary sum = {0};
	char err[1024];
	for (int policy = 1; policy >= 0; policy--) {
		char *file = xasprintf("%s/demo/%s.json", cli_data_dir(c),
				       policy ? "policy" : "recommendations");
		int rc = recs_import_demo_file(db, &c->signer, file, policy, l, nl, &sum, err,
					       sizeof err);
		free(file);
		if (rc != 0) {
			cli_error("demo: %s", err);
			return EXIT_FAIL;
		}
	}
	printf("demo policy cycle: %zu policy items, %zu adoptions by departments (%zu evaluated)\n",
	       sum.items, sum.adoptions, sum.evaluations);
	printf("demo recommendations: %zu sources, %zu recommendations (%zu with a status), %zu "
	       "progress notes\n", sum.sources, sum.recs, sum.with_status, sum.notes);
	return 0;
}

/* Loads the demo IPIM (data/demo/ipim.json: meetings whose agenda names
 * the demo recommendations and policy items, so after demo_recs, and the
 * departments' good practices); prints one line. */
static int demo_ipim(struct cli *c, db_t *db, const struct account_demo_login *l, size_t nl)
{
	struct ipim_demo_summary sum = {0};
	char err[1024];
	char *file = xasprintf("%s/demo/ipim.json", cli_data_dir(c));
	int rc = ipim_import_demo_file(db, &c->signer, file, l, nl, &sum, err, sizeof err);
	free(file);
	if (rc != 0) {
		cli_error("demo: %s", err);
		return EXIT_FAIL;
	}
	printf("demo IPIM: %zu meetings, %zu agenda items (%zu links), %zu decisions, %zu good "
	       "practices\n", sum.meetings, sum.items, sum.links, sum.decisions, sum.practices);
	return 0;
}

static int run_demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"listen", required_argument, NULL, CLI_OPT_LISTEN},
		{0},
	};
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	struct stat sb;
	if (c->cfg.db && stat(c->cfg.db, &sb) == 0) {
		cli_error("demo: %s already exists; the demo makes a new database: give another "
			  "--db, or remove it first", c->cfg.db);
		return EXIT_CONFLICT;
	}
	struct stat ksb;
	int key_existed = stat(cli_key_path(c), &ksb) == 0;
	extern const struct cli_command cmd_init;
	char *init_argv[] = {"init", NULL};
	const struct cli_command *self = c->cmd;
	c->cmd = &cmd_init;
	rc = cmd_init.run(c, 1, init_argv);
	c->cmd = self;
	if (rc)
		return rc;
	db_t *db;
	if ((rc = cli_open_db(c, CLI_DB_WRITE, &db)) != 0)
		goto undo;
	if ((rc = cli_load_signer(c)) != 0) {
		db_close(db);
		goto undo;
	}
	char *file = xasprintf("%s/demo/organisations.json", cli_data_dir(c));
	char err[1024];
	if (orgs_import_file(db, &c->signer, c->actor, file, err, sizeof err) != 0) {
		cli_error("demo: %s", err);
		free(file);
		db_close(db);
		rc = EXIT_FAIL;
		goto undo;
	}
	printf("loaded demo organisations from %s\n", file);
	free(file);
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	struct intake_demo_report r[INTAKE_DEMO_MAX];
	size_t nl = 0, nr = 0;
	if ((rc = load_accounts(c)) != 0 || (rc = demo_accounts(c, db, l, &nl)) != 0 ||
	    (rc = demo_reports(c, db, r, &nr)) != 0 || (rc = demo_cases(c, db, l, nl, r, nr)) != 0 ||
	    (rc = demo_risks(c, db, l, nl)) != 0 ||
	    (rc = demo_history(c, db)) != 0 || (rc = demo_report_history(c, db)) != 0 ||
	    (rc = demo_assessments(c, db, l, nl)) != 0 ||
	    (rc = demo_registrations(c, db)) != 0 || (rc = demo_recs(c, db, l, nl)) != 0 ||
	    (rc = demo_ipim(c, db, l, nl)) != 0 ||
	    (rc = demo_culture(c, db)) != 0) {
		sodium_memzero(l, sizeof l);
		db_close(db);
		goto undo;
	}
	sodium_memzero(l, sizeof l);
	return serve(c, db);
undo:
	/* a half-made demo would block the next attempt: remove what init made */
	remove_db_files(c->cfg.db, key_existed ? NULL : cli_key_path(c));
	return rc;
}

const struct cli_command cmd_demo = {
	.name = "demo",
	.summary = "create a demo database with realistic data and serve it",
	.usage = "usage: probity demo --db FILE [--listen ADDRESS:PORT]\n\n"
		 "Creates a new database FILE (which must not exist), loads the demo data\n"
		 "(the twelve departments of the Court of Audit's 2024 audit with units\n"
		 "and the 2024 reorganisation), creates one account per role with a fresh\n"
		 "password (data/demo/accounts.json), the demo reports\n"
		 "(data/demo/reports.json) and the demo cases (data/demo/cases.json), one\n"
		 "in every phase of the investigation protocol; prints the logins, the\n"
		 "reports' receipts and the cases and serves it like 'probity serve'.\n",
	.run = run_demo,
};
