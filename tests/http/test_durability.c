/* test_durability.c: an acknowledged report survives the server being killed.
 *
 * Reporters stream submissions through the API while the test kills the
 * server with SIGKILL at random moments (no clean shutdown, as in a crash)
 * and restarts it on the same database, again and again. A submission that
 * failed with a broken connection was never acknowledged and may or may not
 * have been stored; but every one that was answered 201 with a receipt must
 * open its own report after the last restart, and the audit trail must still
 * verify. This is what synchronous=FULL and answering only after COMMIT
 * promise (docs/architecture.md, Storage). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "harness.h"

#define REPORTERS 3
#define KILLS 6
#define PW "lange zin over tulpen 42"

static struct server srv;

/* what the reporters share with the test, under lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char base[64];          /* the server's address: a restart may change its port */
struct acked {
	char receipt[64];
	char description[96];
};
static struct acked *acked;
static size_t nacked, cap;
static size_t refused;         /* no connection: the server was down */
static size_t cut;             /* a connection broken in the middle: not acknowledged */
static size_t answered_other;  /* an HTTP answer other than 201 */
static long other_status;
static atomic_int stop;
static pthread_t threads[REPORTERS];
static int nthreads;
static char run[17];           /* random, so descriptions never repeat across runs */

static void pause_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

static void *reporter(void *arg)
{
	int who = (int)(intptr_t)arg;
	CURL *k = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	for (int n = 0; !atomic_load(&stop); n++) {
		char url[128], body[600], description[96];
		pthread_mutex_lock(&lock);
		snprintf(url, sizeof url, "%s/api/v1/reports", base);
		pthread_mutex_unlock(&lock);
		snprintf(description, sizeof description, "Melding %d van melder %d, run %s", n, who,
			 run);
		snprintf(body, sizeof body,
			 "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
			 "\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"%s\","
			 "\"contact\":\"messages\"}}", description);
		struct http_sink got = {0};
		curl_easy_setopt(k, CURLOPT_URL, url);
		curl_easy_setopt(k, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, http_sink_write);
		curl_easy_setopt(k, CURLOPT_WRITEDATA, &got);
		curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
		curl_easy_setopt(k, CURLOPT_TIMEOUT, 60L);
		CURLcode rc = curl_easy_perform(k);
		long status = 0;
		if (rc == CURLE_OK)
			curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &status);
		json_t *j = status == 201 && got.p ? json_loads(got.p, 0, NULL) : NULL;
		const char *receipt = json_string_value(json_object_get(j, "receipt"));
		pthread_mutex_lock(&lock);
		if (receipt) {
			if (nacked == cap) {
				cap = cap ? 2 * cap : 256;
				acked = realloc(acked, cap * sizeof *acked);
				if (!acked)
					abort();
			}
			snprintf(acked[nacked].receipt, sizeof acked[nacked].receipt, "%s", receipt);
			snprintf(acked[nacked].description, sizeof acked[nacked].description, "%s",
				 description);
			nacked++;
		} else if (rc == CURLE_COULDNT_CONNECT) {
			refused++;
		} else if (rc != CURLE_OK) {
			cut++;
		} else {
			answered_other++;
			other_status = status;
		}
		pthread_mutex_unlock(&lock);
		json_decref(j);
		free(got.p);
		if (rc != CURLE_OK)
			pause_ms(20); /* the server is down: try again shortly */
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(k);
	return NULL;
}

static size_t acked_count(void)
{
	pthread_mutex_lock(&lock);
	size_t n = nacked;
	pthread_mutex_unlock(&lock);
	return n;
}

/* Waits until a report is acknowledged after `since` were; 0, or -1 after 60 s. */
static int await_ack(size_t since)
{
	for (int i = 0; i < 6000; i++) {
		if (acked_count() > since)
			return 0;
		pause_ms(10);
	}
	return -1;
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || server_start_logged(&srv) != 0 ||
	    server_add_fin_ivo(&srv, PW) != 0)
		return -1;
	snprintf(base, sizeof base, "%s", srv.base);
	unsigned char r[8];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(run, sizeof run, r, sizeof r);
	return 0;
}

/* Stops the reporters (also when a check failed half-way). */
static void stop_reporters(void)
{
	atomic_store(&stop, 1);
	for (; nthreads > 0; nthreads--)
		pthread_join(threads[nthreads - 1], NULL);
}

static int teardown(void **state)
{
	(void)state;
	stop_reporters();
	server_remove(&srv);
	free(acked);
	return 0;
}

static void test_acknowledged_reports_survive_sigkill(void **state)
{
	(void)state;
	for (; nthreads < REPORTERS; nthreads++)
		assert_int_equal(pthread_create(&threads[nthreads], NULL, reporter,
						(void *)(intptr_t)nthreads), 0);
	int kills = 0;
	size_t before = 0;
	for (; kills < KILLS; kills++) {
		/* the server is taking reports; then kill it at a random moment */
		if (await_ack(before) != 0) {
			server_print_log(&srv);
			fail_msg("no report was acknowledged within 60 s after start %d", kills);
		}
		pause_ms(100 + (long)randombytes_uniform(301));
		int st = server_kill(&srv);
		before = acked_count();
		if (st != 128 + 9) {
			server_print_log(&srv);
			fail_msg("the server had stopped by itself (status %d) before kill %d", st,
				 kills + 1);
		}
		if (server_restart(&srv) != 0) {
			server_print_log(&srv);
			fail_msg("the server did not start again after kill %d", kills + 1);
		}
		pthread_mutex_lock(&lock);
		snprintf(base, sizeof base, "%s", srv.base);
		pthread_mutex_unlock(&lock);
	}
	/* one more after the last restart, then the reporters stop */
	assert_int_equal(await_ack(before), 0);
	stop_reporters();
	printf("# %d kills: %zu reports acknowledged, %zu submissions cut off in flight, %zu "
	       "refused while the server was down, %zu answered otherwise\n", kills, nacked, cut,
	       refused, answered_other);
	if (answered_other)
		fail_msg("%zu submissions got an answer other than 201 (last %ld)", answered_other,
			 other_status);

	/* every acknowledged report opens, with its own text */
	struct client *c = client_new(&srv);
	for (size_t i = 0; i < nacked; i++) {
		char *d = receipt_answer(c, acked[i].receipt, "description");
		if (!d || strcmp(d, acked[i].description) != 0) {
			server_print_log(&srv);
			fail_msg("acknowledged report %zu (\"%s\") opens %s%s%s after the kills", i,
				 acked[i].description, d ? "\"" : "nothing", d ? d : "",
				 d ? "\"" : "");
		}
		free(d);
	}
	client_free(c);
	int st = server_halt(&srv);
	if (st != 0) {
		server_print_log(&srv);
		fail_msg("the server stopped with status %d", st);
	}
	/* the audit trail is whole after the crashes */
	const char *verify[] = {"audit", "verify", NULL};
	assert_int_equal(server_cli(&srv, verify), 0);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread uses libcurl */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acknowledged_reports_survive_sigkill),
	};
	int rc = cmocka_run_group_tests_name("http_durability", tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
