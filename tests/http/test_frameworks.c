/* test_frameworks.c: the framework library's pages (src/frameworks/pages.c)
 * against a real server: every role but a bare reporter reads the shipped
 * frameworks in Dutch and English; the export is the shipped file byte for
 * byte and reads back equal; the coordinator's edit makes revision 2, whose
 * difference page shows exactly what changed; a refused edit re-shows the
 * form with the problem and the typed values and stores nothing; nobody
 * but the coordinator may edit or import (403, nothing stored); a bad
 * import names the problem and stores nothing, a good one adds a revision. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "frameworks/framework.h"
#include "harness.h"
#include "store/db.h"

static struct server srv;
static db_t *db;
/* signed in once in setup: the coordinator roles need a second factor,
 * which client_sign_in sets up on the first sign-in only */
static struct client *cora, *ivo, *rita;
static char *ivo_totp;  /* the authenticator secret set up for ivo, or NULL */

#define PW "lange zin over tulpen 42"
/* the shipped files go in at init in this order */
#define BASIS 1
#define OECD 3
#define SAINT 4

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int64_t q1(const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_query_i64(db, sql, NULL, &n), 0);
	return n;
}

static char *slurp(const char *name, size_t *len)
{
	char path[400];
	snprintf(path, sizeof path, "%s/data/frameworks/%s", SRCDIR, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(FW_FILE_MAX + 1);
	*len = fread(buf, 1, FW_FILE_MAX, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	struct db_error dbe;
	struct db_options opt = {.busy_timeout_ms = 5000};
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || server_start(&srv) != 0 || server_add_rijk_fin(&srv) != 0)
		return -1;
	if (server_add_user(&srv, "cora", "Cora Coördinator", "coordinator", "RIJK", PW) ||
	    server_add_user(&srv, "ivo", "Ivo Integer", "integrity_coordinator", "FIN", PW) ||
	    server_add_user(&srv, "rita", "Rita Reporter", "reporter", "FIN", PW))
		return -1;
	cora = client_new(&srv);
	ivo = client_new(&srv);
	rita = client_new(&srv);
	if (client_sign_in(cora, "cora", PW, NULL, NULL) || client_sign_in(ivo, "ivo", PW, &ivo_totp, NULL) ||
	    client_sign_in(rita, "rita", PW, NULL, NULL))
		return -1;
	/* the coordinator works in English, so that the checks read the
	 * messages' own words; ivo switches between the two languages */
	if (client_set_lang(cora, "en") != 0)
		return -1;
	return db_open(srv.db, 0, &opt, &db, &dbe);
}

static int teardown(void **state)
{
	(void)state;
	client_free(cora);
	client_free(ivo);
	client_free(rita);
	free(ivo_totp);
	db_close(db);
	return server_stop(&srv) == 0 ? 0 : -1;
}

static void test_read(void **state)
{
	(void)state;
	struct http_result r;
	struct client *anon = client_new(&srv);
	assert_int_equal(client_get(ivo, "/kaders", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Modelaanpak basisnormen integriteit"));
	assert_true(has(r.body, "Gedragscode Integriteit Rijk"));
	assert_true(has(r.body, "href=\"/kaders/4\""));
	assert_false(has(r.body, "/kaders/importeren"));   /* not the coordinator */
	assert_true(has(r.body, "href=\"/kaders\""));      /* in the navigation */
	http_result_free(&r);
	assert_int_equal(client_get(ivo, "/kaders/1", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "4. Kwetsbare functies"));
	assert_true(has(r.body, "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"));
	assert_false(has(r.body, "/bewerken"));
	assert_true(has(r.body, "/kaders/1/export"));
	assert_false(has(r.body, "/kaders/1/verschil"));    /* no previous revision */
	http_result_free(&r);
	/* pillars as headings, groups under them */
	assert_int_equal(client_get(ivo, "/kaders/3", &r), 0);
	assert_true(has(r.body, "Systeem"));
	assert_true(has(r.body, "<strong>9.b</strong>"));
	http_result_free(&r);
	assert_int_equal(client_get(ivo, "/kaders/1/verschil", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Dit is de eerste versie"));  /* Dutch by default */
	http_result_free(&r);
	assert_int_equal(client_set_lang(ivo, "en"), 0);
	assert_int_equal(client_get(ivo, "/kaders/1", &r), 0);
	assert_true(has(r.body, "4. Vulnerable positions"));
	assert_true(has(r.body, "Model approach to the basic standards of integrity"));
	http_result_free(&r);
	/* unknown revisions */
	assert_int_equal(client_get(ivo, "/kaders/99", &r), 0);
	assert_int_equal(r.status, 404);
	http_result_free(&r);
	assert_int_equal(client_get(ivo, "/kaders/99/export", &r), 0);
	assert_int_equal(r.status, 404);
	http_result_free(&r);
	/* a reporter without another role, and nobody signed in: never */
	assert_int_equal(client_get(rita, "/kaders", &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	assert_int_equal(client_get(rita, "/kaders/1/export", &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	assert_int_equal(client_get(rita, "/start", &r), 0);
	assert_false(has(r.body, "href=\"/kaders\""));
	http_result_free(&r);
	assert_int_equal(client_get(anon, "/kaders", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	assert_int_equal(client_set_lang(ivo, "nl"), 0);
	client_free(anon);
}

static void test_export_round_trip(void **state)
{
	(void)state;
	struct http_result r;
	size_t len;
	char *file = slurp("basisnormen-2006-v1.json", &len);
	if (!file) {
		fail_msg("no data file");
		return;
	}
	assert_int_equal(client_get(ivo, "/kaders/1/export", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.headers, "Content-Type: application/json"));
	assert_true(has(r.headers, "Content-Disposition: attachment; filename=\"basisnormen-2006-v1.json\""));
	assert_int_equal(strlen(r.body), len);
	assert_memory_equal(r.body, file, len);
	struct framework a, b;
	char err[300];
	assert_int_equal(framework_parse(r.body, strlen(r.body), &a, err, sizeof err), 0);
	assert_int_equal(framework_parse(file, len, &b, err, sizeof err), 0);
	assert_true(framework_equal(&a, &b));
	framework_free(&a);
	framework_free(&b);
	http_result_free(&r);
	free(file);
}

/* The body of an edit of OECD principle 4 (from the shipped file), with
 * requirement 4.a's Dutch text set to text_4a, 4.d removed when del, and
 * the other fields as they are; extra appended as is. */
static char *edit_body(const char *csrf, const char *text_4a, int del, const char *extra)
{
	size_t len;
	char err[300];
	struct framework f;
	char *file = slurp("oecd-integrity-2017-v1.json", &len);
	if (!file || framework_parse(file, len, &f, err, sizeof err) != 0)
		return NULL;
	free(file);
	size_t cap = 64 * 1024, n = 0;
	char *b = malloc(cap);
	int g = framework_group(&f, "4");
	const struct fw_group *gr = &f.groups[g];
	char *t_nl = url_encode(f.title_nl), *t_en = url_encode(f.title_en);
	char *g_nl = url_encode(gr->title_nl), *g_en = url_encode(gr->title_en);
	n += (size_t)snprintf(b + n, cap - n,
			      "csrf=%s&groep=4&title_nl=%s&title_en=%s&group_nl=%s&group_en=%s", csrf,
			      t_nl, t_en, g_nl, g_en);
	free(t_nl);
	free(t_en);
	free(g_nl);
	free(g_en);
	for (size_t k = 0; k < gr->n; k++) {
		const struct fw_req *q = &f.reqs[gr->first + k];
		int is_a = strcmp(q->code, "4.a") == 0;
		char *nl = url_encode(is_a ? text_4a : q->text_nl), *en = url_encode(q->text_en);
		n += (size_t)snprintf(b + n, cap - n, "&nl:%s=%s&en:%s=%s", q->code, nl, q->code, en);
		if (del && strcmp(q->code, "4.d") == 0)
			n += (size_t)snprintf(b + n, cap - n, "&del:4.d=1");
		free(nl);
		free(en);
	}
	snprintf(b + n, cap - n, "%s", extra);
	framework_free(&f);
	return b;
}

static void test_edit(void **state)
{
	(void)state;
	struct http_result r;
	int64_t rows = q1("SELECT count(*) FROM framework_version");
	/* the coordinator sees the way in */
	assert_int_equal(client_get(cora, "/kaders/3", &r), 0);
	assert_true(has(r.body, "/kaders/3/bewerken"));
	http_result_free(&r);
	assert_int_equal(client_get(cora, "/kaders", &r), 0);
	assert_true(has(r.body, "/kaders/importeren"));
	http_result_free(&r);
	assert_int_equal(client_get(cora, "/kaders/3/bewerken?groep=4", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "name=\"nl:4.a\""));
	assert_true(has(r.body, "name=\"del:4.d\""));
	assert_true(has(r.body, "<label class=\"utrecht-form-label\" for=\"note\">"));
	http_result_free(&r);
	assert_int_equal(client_get(cora, "/kaders/3/bewerken?groep=99", &r), 0);
	assert_int_equal(r.status, 404);
	http_result_free(&r);
	char *csrf = client_csrf(cora, "/kaders/3/bewerken?groep=4");
	if (!csrf) {
		fail_msg("no csrf");
		return;
	}
	/* a bad field: shown with its problem, the values as typed, nothing stored */
	char *body = edit_body(csrf, "", 0, "&new_code=4.e&new_nl=TYPED-MARKER&note=Waarom");
	if (!body) {
		fail_msg("no body");
		return;
	}
	assert_int_equal(client_post(cora, "/kaders/3/bewerken", body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "Fill this in."));
	assert_true(has(r.body, "TYPED-MARKER"));
	assert_true(has(r.body, "aria-invalid=\"true\""));
	free(body);
	http_result_free(&r);
	/* a code in use, a line break, and no note */
	body = edit_body(csrf, "Regel een\nRegel twee", 0, "&new_code=4.b&new_nl=X&note=");
	assert_int_equal(client_post(cora, "/kaders/3/bewerken", body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "This code is already used in the framework."));
	assert_true(has(r.body, "without line breaks"));
	assert_true(has(r.body, "Say why you make this revision."));
	free(body);
	http_result_free(&r);
	/* nothing changed */
	body = edit_body(csrf, "Integriteitsnormen zijn vastgelegd in regelgeving en organisatiebeleid, "
			       "zoals gedragscodes, en geven richting aan gedrag.", 0, "&note=Niets");
	assert_int_equal(client_post(cora, "/kaders/3/bewerken", body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "Nothing changed"));
	free(body);
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM framework_version"), rows);
	/* another role's POST is refused before anything happens */
	char *icsrf = client_csrf(ivo, "/account");
	body = edit_body(icsrf, "Door een ander gewijzigd.", 0, "&note=Nee");
	assert_int_equal(client_post(ivo, "/kaders/3/bewerken", body, &r), 0);
	assert_int_equal(r.status, 403);
	free(body);
	http_result_free(&r);
	assert_int_equal(client_get(ivo, "/kaders/3/bewerken", &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM framework_version"), rows);
	/* the edit: 4.a reworded, 4.d removed, 4.e added */
	body = edit_body(csrf, "Normen <staan> in de wet & het beleid.", 1,
			 "&new_code=4.e&new_nl=Nieuw+element.&new_en=New+element.&note=Verduidelijkt");
	assert_int_equal(client_post(cora, "/kaders/3/bewerken", body, &r), 0);
	assert_int_equal(r.status, 303);
	int64_t id = q1("SELECT id FROM framework_version WHERE code = 'oecd-integrity-2017' AND "
			"revision = 2");
	char want[80];
	snprintf(want, sizeof want, "Location: /kaders/%lld/verschil", (long long)id);
	assert_true(has(r.headers, want));
	free(body);
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM framework_version"), rows + 1);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'framework.revise'"), 1);
	/* the difference: exactly the three changes */
	assert_int_equal(client_get(cora, want + strlen("Location: "), &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Verduidelijkt"));
	assert_true(has(r.body, "<ins>Normen &lt;staan&gt; in de wet &amp; het beleid.</ins>"));
	assert_true(has(r.body, "<del>Integriteitsnormen zijn vastgelegd"));
	assert_true(has(r.body, "<ins>Nieuw element.</ins>"));
	assert_true(has(r.body, "<del>Wie met de overheid te maken heeft"));
	char *tbody = text_between(r.body, "<tbody", "</tbody>");
	int rowsn = 0;
	for (const char *s = tbody; s && (s = strstr(s, "<tr")); s++)
		rowsn++;
	assert_int_equal(rowsn, 3);
	free(tbody);
	http_result_free(&r);
	/* revision 1 is no longer editable; revision 2 links back to it */
	assert_int_equal(client_get(cora, "/kaders/3/bewerken", &r), 0);
	assert_int_equal(r.status, 409);
	http_result_free(&r);
	char page[40];
	snprintf(page, sizeof page, "/kaders/%lld", (long long)id);
	assert_int_equal(client_get(cora, page, &r), 0);
	assert_true(has(r.body, "href=\"/kaders/3\""));
	assert_true(has(r.body, "/verschil"));
	assert_true(has(r.body, "<strong>4.e</strong> New element."));  /* in English */
	assert_false(has(r.body, "<strong>4.d</strong>"));
	http_result_free(&r);
	assert_int_equal(client_get(cora, "/kaders/3", &r), 0);
	assert_true(has(r.body, "earlier revision"));
	http_result_free(&r);
	free(csrf);
	free(icsrf);
}

static void test_import(void **state)
{
	(void)state;
	struct http_result r;
	int64_t rows = q1("SELECT count(*) FROM framework_version");
	size_t len;
	char *file = slurp("saint-v1.json", &len);
	char *csrf = client_csrf(cora, "/kaders/importeren");
	if (!file || !csrf) {
		fail_msg("setup");
		return;
	}
	/* a bad file: the reader's message, nothing stored */
	char *bad = strdup(file);
	char *at = strstr(bad, "\"code\": \"h1.2\"");
	memcpy(at, "\"code\": \"H1.2\"", 14);
	struct multipart m = {0};
	multipart_field(&m, "csrf", csrf);
	multipart_file(&m, "file", "saint.json", "application/json", bad, strlen(bad));
	multipart_field(&m, "note", "Test");
	multipart_end(&m);
	assert_int_equal(client_post_as(cora, "/kaders/importeren", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "groups[3].requirements[1].code: must be 1 to 32 of a-z"));
	free(m.p);
	http_result_free(&r);
	/* no file at all */
	m = (struct multipart){0};
	multipart_field(&m, "csrf", csrf);
	multipart_end(&m);
	assert_int_equal(client_post_as(cora, "/kaders/importeren", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "Choose a framework file to import."));
	free(m.p);
	http_result_free(&r);
	/* the same revision again: not newer */
	m = (struct multipart){0};
	multipart_field(&m, "csrf", csrf);
	multipart_file(&m, "file", "saint.json", "application/json", file, len);
	multipart_end(&m);
	assert_int_equal(client_post_as(cora, "/kaders/importeren", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "not higher than the latest revision"));
	free(m.p);
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM framework_version"), rows);
	/* revision 2 with a change: stored, audited, its difference shown */
	char *good = strdup(file);
	at = strstr(good, "\"revision\": 1,");
	memcpy(at, "\"revision\": 2,", 14);
	at = strstr(good, "\"nl\": \"Integriteitsbeleid\"");
	memcpy(at, "\"nl\": \"Integriteitsbelijd\"", 26);
	m = (struct multipart){0};
	multipart_field(&m, "csrf", csrf);
	multipart_file(&m, "file", "saint-v2.json", "application/json", good, strlen(good));
	multipart_field(&m, "note", "Spelfout");
	multipart_end(&m);
	/* not by another role */
	char *icsrf = client_csrf(ivo, "/account");
	struct multipart mi = {0};
	multipart_field(&mi, "csrf", icsrf);
	multipart_file(&mi, "file", "saint-v2.json", "application/json", good, strlen(good));
	multipart_end(&mi);
	assert_int_equal(client_post_as(ivo, "/kaders/importeren", MP_CONTENT_TYPE, mi.p, mi.n, &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	free(mi.p);
	assert_int_equal(q1("SELECT count(*) FROM framework_version"), rows);
	assert_int_equal(client_post_as(cora, "/kaders/importeren", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "/verschil"));
	http_result_free(&r);
	free(m.p);
	assert_int_equal(q1("SELECT count(*) FROM framework_version"), rows + 1);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'framework.import'"), 1);
	int64_t id = q1("SELECT id FROM framework_version WHERE code = 'saint' AND revision = 2");
	char path[60];
	snprintf(path, sizeof path, "/kaders/%lld/verschil", (long long)id);
	assert_int_equal(client_get(cora, path, &r), 0);
	assert_true(has(r.body, "<ins>Integriteitsbelijd</ins>"));
	assert_true(has(r.body, "Spelfout"));
	http_result_free(&r);
	/* and its export reads back as that revision */
	snprintf(path, sizeof path, "/kaders/%lld/export", (long long)id);
	assert_int_equal(client_get(ivo, path, &r), 0);
	struct framework a, b;
	char err[300];
	assert_int_equal(framework_parse(r.body, strlen(r.body), &a, err, sizeof err), 0);
	assert_int_equal(framework_parse(good, strlen(good), &b, err, sizeof err), 0);
	assert_true(framework_equal(&a, &b));
	framework_free(&a);
	framework_free(&b);
	http_result_free(&r);
	free(good);
	free(bad);
	free(file);
	free(csrf);
	free(icsrf);
}

/* The API: the list and one revision as its canonical JSON, for a role
 * that reads the library; another role and nobody refused. */
static void test_api(void **state)
{
	(void)state;
	struct http_result r;
	char body[300], code[7] = "", auth[200];
	struct client *api = client_new(&srv);
	/* the code of the next time step: the one of now went at enrolment */
	if (ivo_totp && totp_code(ivo_totp, time(NULL) + 30, code) != 0)
		fail_msg("totp");
	snprintf(body, sizeof body, "{\"username\":\"ivo\",\"password\":\"%s\"%s%s%s}", PW,
		 *code ? ",\"code\":\"" : "", code, *code ? "\"" : "");
	const char *json[] = {"Content-Type: application/json", NULL};
	assert_int_equal(client_request(api, "POST", "/api/v1/session", json, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 201);
	char *token = text_between(r.body, "\"token\":\"", "\"");
	http_result_free(&r);
	if (!token) {
		fail_msg("no token");
		return;
	}
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	const char *hdrs[] = {auth, NULL};
	assert_int_equal(client_request(api, "GET", "/api/v1/frameworks", hdrs, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "\"code\":\"basisnormen-2006\""));
	assert_true(has(r.body, "\"latest\":true"));
	http_result_free(&r);
	size_t len;
	char *file = slurp("gedragscode-rijk-2019-v1.json", &len);
	assert_int_equal(client_request(api, "GET", "/api/v1/frameworks/2", hdrs, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	if (!file || strlen(r.body) != len || memcmp(r.body, file, len) != 0)
		fail_msg("the API's document is not the shipped file");
	http_result_free(&r);
	free(file);
	assert_int_equal(client_request(api, "GET", "/api/v1/frameworks/999", hdrs, NULL, 0, &r), 0);
	assert_int_equal(r.status, 404);
	assert_true(has(r.body, "framework_not_found"));
	http_result_free(&r);
	assert_int_equal(client_request(api, "GET", "/api/v1/frameworks", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 401);
	http_result_free(&r);
	free(token);
	client_free(api);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_export_round_trip),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_api),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
