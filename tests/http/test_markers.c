/* test_markers.c: nothing a reporter or handler writes reaches a file in the
 * clear (DESIGN §3: report text, answers, identity, messages, notes and
 * attachments are stored only encrypted; logs never hold them).
 *
 * A full scenario is played through the real pages and API, with a unique
 * marker ("MRK-<random hex>-<what>") in every piece of content: answers, the
 * confidential reporter's identity, an attachment's name and bytes sent with
 * the report form, reporter's messages through the API and through "follow
 * your report" (with a file), a handler's message with a file and an internal
 * note. Each is first checked to have arrived (the handler reads it back), so
 * the scan cannot pass because nothing was stored. Then the raw bytes of every
 * file the server leaves are searched for every marker, for its random part
 * alone, for the receipt, the password, the TOTP secret and the session
 * tokens: the database with its -wal and -shm files copied while the server
 * runs (before any checkpoint folds the WAL in), the same after a clean stop,
 * the server's standard output and error, and backups made with `probity
 * backup` while it runs and after. A scratch file shows that the scan finds a
 * marker when there is one. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <liboath/oath.h>
#include <sodium.h>

#include "harness.h"

#define PW "lange zin over tulpen 42"

static struct server srv;

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* ---- the secrets searched for ---- */

struct secret {
	char label[48];
	unsigned char bytes[160];
	size_t len;
};
static struct secret secrets[64];
static size_t nsecrets;

static void add_secret(const char *label, const void *bytes, size_t len)
{
	assert_true(nsecrets < sizeof secrets / sizeof secrets[0]);
	assert_true(len > 0 && len <= sizeof secrets[0].bytes);
	struct secret *s = &secrets[nsecrets++];
	snprintf(s->label, sizeof s->label, "%s", label);
	memcpy(s->bytes, bytes, len);
	s->len = len;
}

/* A new marker "MRK-<16 hex>-<what>" in out (at least 48 bytes); both it and
 * its random part alone are searched for, so that a marker stored with its
 * dashes or case changed, or cut short, is still found. */
static void marker(const char *what, char *out)
{
	unsigned char r[8];
	char hex[2 * sizeof r + 1];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	snprintf(out, 48, "MRK-%s-%s", hex, what);
	add_secret(what, out, strlen(out));
	char label[48];
	snprintf(label, sizeof label, "%s (random part)", what);
	add_secret(label, hex, strlen(hex));
}

/* ---- scanning ---- */

/* The whole file at path (malloc'd) and its size in *n; NULL when unreadable. */
static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *p = NULL;
	size_t cap = 0;
	*n = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 65536;
			unsigned char *q = realloc(p, cap);
			if (!q)
				break;
			p = q;
		}
		size_t got = fread(p + *n, 1, cap - *n, f);
		if (got == 0)
			break;
		*n += got;
	}
	fclose(f);
	return p;
}

static int file_has(const char *path, const void *needle, size_t len)
{
	size_t n;
	unsigned char *p = slurp(path, &n);
	int found = p && memmem(p, n, needle, len) != NULL;
	free(p);
	return found;
}

/* Searches every regular file in dir for every secret. Returns how many
 * were found where (listed in found), and the number of files searched in
 * *files. */
static int scan_dir(const char *dir, char *found, size_t cap, int *files)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t used = 0;
	int hits = 0;
	found[0] = 0;
	*files = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[600];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		size_t n;
		unsigned char *p = slurp(path, &n);
		assert_true(p || st.st_size == 0);
		printf("# scanned %s (%zu bytes)\n", e->d_name, n);
		(*files)++;
		for (size_t i = 0; i < nsecrets; i++)
			if (p && memmem(p, n, secrets[i].bytes, secrets[i].len)) {
				hits++;
				if (used < cap)
					used += (size_t)snprintf(found + used, cap - used, "\n  %s in %s",
								 secrets[i].label, e->d_name);
			}
		free(p);
	}
	closedir(d);
	return hits;
}

/* Copies the database, its -wal and -shm files as they are now, while the
 * server runs, under the names snapN-test.db and so on. */
static void snapshot(int n)
{
	const char *ext[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char from[600], to[600];
		snprintf(from, sizeof from, "%s%s", srv.db, ext[i]);
		snprintf(to, sizeof to, "%s/snap%d-test.db%s", srv.dir, n, ext[i]);
		size_t len;
		unsigned char *p = slurp(from, &len);
		if (!p)
			continue; /* no -wal or -shm at this moment */
		FILE *f = fopen(to, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(p, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		free(p);
	}
}

/* ---- the pages ---- */

/* The hidden inputs of the form in html: names and values (malloc'd, unescaped). */
static void hidden_fields(const char *html, char **names, char **values, size_t *n, size_t max)
{
	const char *at = html;
	*n = 0;
	while ((at = strstr(at, "<input type=\"hidden\" name=\"")) && *n < max) {
		at += strlen("<input type=\"hidden\" name=\"");
		const char *q = strchr(at, '"');
		const char *v = q ? strstr(q, "value=\"") : NULL;
		const char *end = v ? strchr(v + 7, '"') : NULL;
		if (!end)
			break;
		names[*n] = strndup(at, (size_t)(q - at));
		/* undo the template's escaping */
		char *out = malloc((size_t)(end - v)), *o = out;
		for (const char *s = v + 7; s < end;) {
			static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
							     {"&quot;", "\""}, {"&#39;", "'"}};
			size_t k;
			for (k = 0; k < 5; k++)
				if (strncmp(s, ent[k][0], strlen(ent[k][0])) == 0)
					break;
			if (k < 5) {
				*o++ = ent[k][1][0];
				s += strlen(ent[k][0]);
			} else {
				*o++ = *s++;
			}
		}
		*o = 0;
		values[(*n)++] = out;
		at = end;
	}
}

static void append(char **body, size_t *len, const char *name, const char *value)
{
	char *v = url_encode(value);
	size_t add = strlen(name) + strlen(v) + 2;
	*body = realloc(*body, *len + add + 1);
	*len += (size_t)sprintf(*body + *len, "%s%s=%s", *len ? "&" : "", name, v);
	free(v);
}

static long api(struct client *c, const char *method, const char *path, const char *token,
		const char *json, struct http_result *r)
{
	char auth[200];
	const char *h[3] = {"Content-Type: application/json", NULL, NULL};
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h[1] = auth;
	}
	assert_int_equal(client_request(c, method, path, h, json, json ? strlen(json) : 0, r), 0);
	return r->status;
}

/* Whether one of the attachments of report id, downloaded by the handler
 * c, holds needle. */
static int attachment_holds(struct client *c, const char *id, const char *needle)
{
	char path[200], link[220];
	struct http_result r;
	snprintf(path, sizeof path, "/meldingen/%s", id);
	assert_int_equal(client_get(c, path, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(link, sizeof link, "href=\"/meldingen/%s/bijlagen/", id);
	int found = 0;
	for (const char *at = strstr(r.body, link); at && !found; at = strstr(at + 1, link)) {
		char *aid = text_between(at, link, "\"");
		char apath[260];
		snprintf(apath, sizeof apath, "%s/bijlagen/%s", path, aid ? aid : "");
		free(aid);
		struct http_result a;
		assert_int_equal(client_get(c, apath, &a), 0);
		assert_int_equal(a.status, 200);
		found = has(a.body, needle);
		http_result_free(&a);
	}
	http_result_free(&r);
	return found;
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || server_start_logged(&srv) != 0 ||
	    server_add_fin_ivo(&srv, PW) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_remove(&srv);
	return 0;
}

/* The scan finds a marker that is there, at the very end of a large file:
 * so an empty result below means the markers are absent, not unsearched.
 * (The SANITY marker stays on the list: the server never saw it, so its
 * files cannot hold it either.) */
static void test_scan_finds_a_marker(void **state)
{
	(void)state;
	char m[48], path[600], found[1000];
	marker("SANITY", m);
	char dir[] = "/tmp/probity-scan-XXXXXX";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/scratch", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 200000; i++)
		fputs("padding ", f);
	fputs(m, f);
	assert_int_equal(fclose(f), 0);
	int files = 0;
	int hits = scan_dir(dir, found, sizeof found, &files);
	unlink(path);
	rmdir(dir);
	assert_int_equal(files, 1);
	assert_int_equal(hits, 2); /* the marker and its random part */
	assert_true(has(found, "SANITY in scratch"));
	assert_true(has(found, "SANITY (random part) in scratch"));
}

static void test_no_plaintext_anywhere(void **state)
{
	(void)state;
	char desc[48], where[48], persons[48], ident[48], fname[48], fbytes[48];
	char rmsg[48], fmsg[48], ffile[48], fatt[48], hmsg[48], hfile[48], hatt[48], note[48];
	marker("DESC", desc);
	marker("WHERE", where);
	marker("PERSONS", persons);
	marker("IDENTITY", ident);
	marker("FILENAME", fname);
	marker("ATTACHMENT", fbytes);
	marker("REPORTER-API-MSG", rmsg);
	marker("REPORTER-PAGE-MSG", fmsg);
	marker("REPORTER-FILENAME", ffile);
	marker("REPORTER-ATTACHMENT", fatt);
	marker("HANDLER-MSG", hmsg);
	marker("HANDLER-FILENAME", hfile);
	marker("HANDLER-ATTACHMENT", hatt);
	marker("NOTE", note);
	add_secret("password", PW, strlen(PW));
	struct http_result r;

	/* ---- the report form, screen by screen, as a browser walks it ---- */
	char description[200], attachment[300], file_name[64];
	snprintf(description, sizeof description, "Er verdwijnt geld uit de kas. %s", desc);
	const char *answers[][2] = {
		{"org", "FIN"},
		{"mode", "confidential"},
		{"identity", ident},
		{"a.kind", "integrity_violation"},
		{"a.description", description},
		{"a.where", where},
		{"a.ongoing", "yes"},
		{"a.persons", persons},
		{"a.contact", "messages"},
	};
	struct client *reporter = client_new(&srv);
	assert_int_equal(client_get(reporter, "/melden", &r), 0);
	assert_int_equal(r.status, 200);
	char *page = r.body;
	r.body = NULL;
	http_result_free(&r);
	char *names[64], *values[64];
	size_t nh = 0;
	int screens = 0;
	for (; !has(page, "action=\"/melden/verzenden\""); screens++) {
		assert_true(screens < 12);
		hidden_fields(page, names, values, &nh, 64);
		char *body = NULL;
		size_t len = 0;
		for (size_t i = 0; i < nh; i++)
			append(&body, &len, names[i], values[i]);
		/* this screen's questions: the answers whose controls it shows */
		for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
			char ctl[80];
			snprintf(ctl, sizeof ctl, "name=\"%s\"", answers[i][0]);
			int hidden = 0;
			for (size_t k = 0; k < nh; k++)
				hidden |= strcmp(names[k], answers[i][0]) == 0;
			if (!hidden && has(page, ctl))
				append(&body, &len, answers[i][0], answers[i][1]);
		}
		append(&body, &len, "go", "next");
		for (size_t i = 0; i < nh; i++) {
			free(names[i]);
			free(values[i]);
		}
		assert_int_equal(client_post(reporter, "/melden", body, &r), 0);
		free(body);
		if (r.status != 200)
			fail_msg("screen %d answered %ld: %s", screens, r.status, r.body);
		free(page);
		page = r.body;
		r.body = NULL;
		http_result_free(&r);
	}
	assert_true(screens >= 5); /* organisation, mode, questions, recusal */
	/* the review shows what was answered; the file goes with "send" */
	assert_true(has(page, desc));
	assert_true(has(page, ident));
	hidden_fields(page, names, values, &nh, 64);
	free(page);
	struct multipart m = {0};
	for (size_t i = 0; i < nh; i++) {
		multipart_field(&m, names[i], values[i]);
		free(names[i]);
		free(values[i]);
	}
	snprintf(file_name, sizeof file_name, "%s.txt", fname);
	snprintf(attachment, sizeof attachment, "Kasboek maart\n%s\nEinde\n", fbytes);
	multipart_file(&m, "f.evidence", file_name, "text/plain", attachment, strlen(attachment));
	multipart_end(&m);
	assert_int_equal(client_post_as(reporter, "/melden/verzenden", MP_CONTENT_TYPE, m.p, m.n,
					&r), 0);
	free(m.p);
	if (r.status != 200)
		fail_msg("sending answered %ld: %s", r.status, r.body);
	char *receipt = text_between(r.body, "<code class=\"utrecht-code\" id=\"receipt\">", "</code>");
	if (!receipt) {
		fail_msg("no receipt on the page that confirms sending");
		return; /* cmocka's fail does not return; this tells the compiler */
	}
	http_result_free(&r);
	add_secret("receipt", receipt, strlen(receipt));
	char norm[64];
	size_t k = 0;
	for (const char *s = receipt; *s && k < sizeof norm - 1; s++)
		if (*s != '-')
			norm[k++] = *s;
	norm[k] = 0;
	add_secret("receipt without dashes", norm, k);
	snapshot(1);

	/* ---- the reporter writes: on the follow page with a file, and through the API ---- */
	assert_int_equal(client_get(reporter, "/melding", &r), 0);
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	char form[300];
	snprintf(form, sizeof form, "csrf=%s&receipt=%s", csrf, receipt);
	free(csrf);
	assert_int_equal(client_post(reporter, "/melding", form, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	char *cookie = client_cookie(reporter, "probity_receipt");
	assert_non_null(cookie);
	add_secret("receipt session cookie", cookie, strlen(cookie));
	free(cookie);
	assert_int_equal(client_get(reporter, "/melding/overzicht", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, desc));
	assert_true(has(r.body, fname));
	csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	char follow_name[64], follow_bytes[200];
	snprintf(follow_name, sizeof follow_name, "%s.txt", ffile);
	snprintf(follow_bytes, sizeof follow_bytes, "Foto-onderschrift: %s\n", fatt);
	m = (struct multipart){0};
	multipart_field(&m, "csrf", csrf);
	multipart_field(&m, "text", fmsg);
	multipart_file(&m, "files", follow_name, "text/plain", follow_bytes, strlen(follow_bytes));
	multipart_end(&m);
	free(csrf);
	assert_int_equal(client_post_as(reporter, "/melding/berichten", MP_CONTENT_TYPE, m.p, m.n,
					&r), 0);
	free(m.p);
	if (r.status != 303)
		fail_msg("the reporter's message with a file answered %ld: %s", r.status, r.body);
	http_result_free(&r);
	char json[300];
	snprintf(json, sizeof json, "{\"receipt\":\"%s\"}", receipt);
	assert_int_equal(api(reporter, "POST", "/api/v1/receipt/session", NULL, json, &r), 201);
	json_t *j = json_loads(r.body, 0, NULL);
	assert_non_null(json_string_value(json_object_get(j, "token")));
	char *token = strdup(json_string_value(json_object_get(j, "token")));
	json_decref(j);
	http_result_free(&r);
	add_secret("receipt session token", token, strlen(token));
	snprintf(json, sizeof json, "{\"text\":\"Nog iets: %s\"}", rmsg);
	assert_int_equal(api(reporter, "POST", "/api/v1/receipt/messages", token, json, &r), 201);
	http_result_free(&r);
	snapshot(2);

	/* ---- the handler reads everything, answers with a file, writes a note ---- */
	struct client *ivo = client_new(&srv);
	char *shown = NULL;
	assert_int_equal(client_sign_in(ivo, "ivo", PW, &shown, NULL), 0);
	if (!shown) {
		fail_msg("signing in did not set up an authenticator app");
		return;
	}
	char b32[64];
	k = 0;
	for (const char *s = shown; *s && k < sizeof b32 - 1; s++)
		if (*s != ' ')
			b32[k++] = *s;
	b32[k] = 0;
	add_secret("TOTP secret (base32)", b32, k);
	char *raw = NULL;
	size_t rawlen = 0;
	assert_int_equal(oath_init(), OATH_OK);
	assert_int_equal(oath_base32_decode(b32, k, &raw, &rawlen), OATH_OK);
	oath_done();
	add_secret("TOTP secret (bytes)", raw, rawlen);
	free(raw);
	free(shown);
	cookie = client_cookie(ivo, "probity_session");
	assert_non_null(cookie);
	add_secret("session cookie", cookie, strlen(cookie));
	free(cookie);
	assert_int_equal(client_get(ivo, "/meldingen", &r), 0);
	assert_int_equal(r.status, 200);
	char *id = text_between(r.body, "href=\"/meldingen/", "\"");
	assert_non_null(id);
	http_result_free(&r);
	char path[200];
	snprintf(path, sizeof path, "/meldingen/%s", id);
	assert_int_equal(client_get(ivo, path, &r), 0);
	assert_int_equal(r.status, 200);
	const char *arrived[] = {desc, where, persons, ident, fname, rmsg, fmsg, ffile};
	for (size_t i = 0; i < sizeof arrived / sizeof arrived[0]; i++)
		if (!has(r.body, arrived[i]))
			fail_msg("the handler's page does not show %s", arrived[i]);
	csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	/* both attachments' bytes arrived */
	assert_true(attachment_holds(ivo, id, fbytes));
	assert_true(attachment_holds(ivo, id, fatt));

	char handler_name[64], handler_bytes[200];
	snprintf(handler_name, sizeof handler_name, "%s.txt", hfile);
	snprintf(handler_bytes, sizeof handler_bytes, "Uitnodiging gesprek %s\n", hatt);
	m = (struct multipart){0};
	multipart_field(&m, "csrf", csrf);
	multipart_field(&m, "text", hmsg);
	multipart_file(&m, "files", handler_name, "text/plain", handler_bytes,
		       strlen(handler_bytes));
	multipart_end(&m);
	snprintf(path, sizeof path, "/meldingen/%s/berichten", id);
	assert_int_equal(client_post_as(ivo, path, MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	free(m.p);
	if (r.status != 303)
		fail_msg("the handler's message answered %ld: %s", r.status, r.body);
	http_result_free(&r);
	char *n = url_encode(note);
	snprintf(form, sizeof form, "csrf=%s&text=%s", csrf, n);
	free(n);
	free(csrf);
	snprintf(path, sizeof path, "/meldingen/%s/notities", id);
	assert_int_equal(client_post(ivo, path, form, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	snprintf(path, sizeof path, "/meldingen/%s", id);
	assert_int_equal(client_get(ivo, path, &r), 0);
	assert_true(has(r.body, hmsg));
	assert_true(has(r.body, hfile));
	assert_true(has(r.body, note));
	http_result_free(&r);
	assert_true(attachment_holds(ivo, id, hatt));
	/* the reporter gets the message, never the note */
	assert_int_equal(api(reporter, "GET", "/api/v1/receipt/report", token, NULL, &r), 200);
	assert_true(has(r.body, hmsg));
	assert_false(has(r.body, note));
	http_result_free(&r);
	snapshot(3);

	/* ---- a backup while it runs, a clean stop, a backup after ---- */
	char dest[600];
	snprintf(dest, sizeof dest, "%s/backup-live.db", srv.dir);
	const char *live[] = {"backup", dest, NULL};
	assert_int_equal(server_cli(&srv, live), 0);
	client_free(ivo);
	client_free(reporter);
	free(token);
	free(id);
	int st = server_halt(&srv);
	if (st != 0) {
		server_print_log(&srv);
		fail_msg("the server stopped with status %d", st);
	}
	snprintf(dest, sizeof dest, "%s/backup-stopped.db", srv.dir);
	const char *stopped[] = {"backup", dest, NULL};
	assert_int_equal(server_cli(&srv, stopped), 0);

	/* the scan reads what is there: plaintext metadata by design (a display
	 * name, an audit action) is found in the files, and the WAL copied while
	 * the server ran held the report's transaction */
	char f[600];
	const char *plain[][2] = {{"test.db", "Ivo Integer"}, {"backup-live.db", "Ivo Integer"},
				  {"backup-stopped.db", "Ivo Integer"},
				  {"snap1-test.db-wal", "report.receive"},
				  {"serve.out", "probity: serving"}};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		snprintf(f, sizeof f, "%s/%s", srv.dir, plain[i][0]);
		if (!file_has(f, plain[i][1], strlen(plain[i][1])))
			fail_msg("%s does not hold \"%s\": the scan would not see plaintext there",
				 plain[i][0], plain[i][1]);
	}
	char found[4096];
	int files = 0;
	if (scan_dir(srv.dir, found, sizeof found, &files))
		fail_msg("plaintext found:%s", found);
	printf("# %zu secrets searched for in %d files: none found\n", nsecrets, files);
	assert_true(files >= 12);
	free(receipt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_finds_a_marker),
		cmocka_unit_test(test_no_plaintext_anywhere),
	};
	return cmocka_run_group_tests_name("http_markers", tests, setup, teardown);
}
