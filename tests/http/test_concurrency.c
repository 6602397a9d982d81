/* test_concurrency.c: 64 reporters send a report at the same moment, each on
 * a connection of its own (64 threads released together by a barrier). Every
 * one must get 201 with a receipt of its own, and every receipt must open its
 * own report, holding that reporter's description and no other. The wall
 * time and reports per second are printed as a measurement, not asserted:
 * timings depend on the machine and on what else runs. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
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

#define REPORTERS 64
#define PW "lange zin over tulpen 42"

static struct server srv;
static pthread_barrier_t start_line;

struct reporter {
	pthread_t thread;
	struct client *c;       /* a connection of its own */
	char description[80];   /* unique: says whose report it is */
	long status;
	char receipt[64];
};

static struct reporter reporters[REPORTERS];

/* One reporter: its request is made ready first, so that after the barrier
 * the threads do nothing but connect and send, all at once. */
static void *report(void *arg)
{
	struct reporter *r = arg;
	char body[600];
	snprintf(body, sizeof body,
		 "{\"organisation\":\"FIN\",\"kind\":\"integrity_violation\",\"mode\":\"anonymous\","
		 "\"answers\":{\"kind\":\"integrity_violation\",\"description\":\"%s\","
		 "\"contact\":\"messages\"}}", r->description);
	const char *json[] = {"Content-Type: application/json", NULL};
	struct http_result res;
	pthread_barrier_wait(&start_line);
	if (client_request(r->c, "POST", "/api/v1/reports", json, body, strlen(body), &res) != 0)
		return NULL;
	r->status = res.status;
	json_t *j = json_loads(res.body, 0, NULL);
	const char *rc = json_string_value(json_object_get(j, "receipt"));
	if (rc)
		snprintf(r->receipt, sizeof r->receipt, "%s", rc);
	json_decref(j);
	http_result_free(&res);
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || server_start(&srv) != 0 ||
	    server_add_fin_ivo(&srv, PW) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_stop(&srv) == 0 ? 0 : -1;
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_64_at_once(void **state)
{
	(void)state;
	unsigned char tag[8];
	randombytes_buf(tag, sizeof tag);
	char hex[2 * sizeof tag + 1];
	sodium_bin2hex(hex, sizeof hex, tag, sizeof tag);
	for (int i = 0; i < REPORTERS; i++) {
		reporters[i].c = client_new(&srv);
		assert_non_null(reporters[i].c);
		snprintf(reporters[i].description, sizeof reporters[i].description,
			 "Melding %d van %d, run %s", i, REPORTERS, hex);
	}
	assert_int_equal(pthread_barrier_init(&start_line, NULL, REPORTERS + 1), 0);
	for (int i = 0; i < REPORTERS; i++)
		assert_int_equal(pthread_create(&reporters[i].thread, NULL, report, &reporters[i]), 0);
	pthread_barrier_wait(&start_line);
	double t0 = seconds();
	for (int i = 0; i < REPORTERS; i++)
		pthread_join(reporters[i].thread, NULL);
	double took = seconds() - t0;
	for (int i = 0; i < REPORTERS; i++)
		client_free(reporters[i].c);
	pthread_barrier_destroy(&start_line);
	printf("# %d concurrent submissions took %.3f s: %.1f submissions per second\n",
	       REPORTERS, took, REPORTERS / took);

	/* every one accepted, with a receipt */
	for (int i = 0; i < REPORTERS; i++)
		if (reporters[i].status != 201 || !reporters[i].receipt[0])
			fail_msg("reporter %d: status %ld, receipt \"%s\"", i, reporters[i].status,
				 reporters[i].receipt);
	/* no two alike */
	for (int i = 0; i < REPORTERS; i++)
		for (int j = i + 1; j < REPORTERS; j++)
			if (strcmp(reporters[i].receipt, reporters[j].receipt) == 0)
				fail_msg("reporters %d and %d got the same receipt", i, j);
	/* each opens its own report */
	struct client *c = client_new(&srv);
	for (int i = 0; i < REPORTERS; i++) {
		char *d = receipt_answer(c, reporters[i].receipt, "description");
		if (!d || strcmp(d, reporters[i].description) != 0)
			fail_msg("receipt %d opens \"%s\", not \"%s\"", i, d ? d : "(nothing)",
				 reporters[i].description);
		free(d);
	}
	client_free(c);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread uses libcurl */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_64_at_once),
	};
	int rc = cmocka_run_group_tests_name("http_concurrency", tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
