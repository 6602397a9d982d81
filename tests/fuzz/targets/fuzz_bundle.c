/* fuzz_bundle.c: the case bundle's checker (cases_bundle_check_mem) on any
 * bytes, with and without a pinned key. Nothing may crash or leak; every
 * message and name it reports must be terminated printable text; a verdict
 * must agree with itself (intact means a valid signature, a parsed manifest
 * and no issues; broken means at least one issue; unreadable means none).
 * And what the writer writes from the input, the checker must find intact,
 * and with one byte of it changed, never intact. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cases/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct signkey key;

static void printable(const char *s, size_t cap)
{
	if (!memchr(s, 0, cap))
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			abort();
}

static void check_report(const struct cases_bundle_report *r, const unsigned char *pinned)
{
	printable(r->problem, sizeof r->problem);
	printable(r->problem_part, sizeof r->problem_part);
	printable(r->org_code, sizeof r->org_code);
	printable(r->username, sizeof r->username);
	printable(r->exported_at, sizeof r->exported_at);
	if (r->nissues > CASES_BUNDLE_ISSUES_MAX || r->nissues > r->issues_total)
		abort();
	for (size_t i = 0; i < r->nissues; i++) {
		printable(r->issues[i].name, sizeof r->issues[i].name);
		printable(r->issues[i].why, sizeof r->issues[i].why);
		if ((unsigned)r->issues[i].kind > CASES_BUNDLE_DUPLICATE)
			abort();
	}
	switch (r->status) {
	case CASES_BUNDLE_INTACT:
		if (r->issues_total || !r->signature_valid || !r->manifest_valid || !r->have_key ||
		    (pinned && memcmp(r->key, pinned, sizeof r->key) != 0))
			abort();
		break;
	case CASES_BUNDLE_BROKEN:
		if (r->issues_total == 0)
			abort();
		break;
	case CASES_BUNDLE_UNREADABLE:
		if (r->issues_total || !r->problem[0])
			abort();
		break;
	default:
		abort();
	}
	if (r->pinned != (pinned != NULL) && r->have_key)
		abort();
}

static void round_trip(const uint8_t *data, size_t size)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	if (!f)
		abort();
	struct cases_bundle_writer w;
	cases_bundle_begin(&w, f, 1 + (size ? data[0] : 0), 1700000000);
	size_t half = size / 2;
	struct cases_bundle_meta m = {1 + (size ? data[0] : 0), "FIN", "2024-07-02T09:30:00Z", 4,
				      "coord.fin"};
	if (cases_bundle_add(&w, "case.json", data, half) != 0 ||
	    cases_bundle_add(&w, "reports/1/attachments/1.bin", data + half, size - half) != 0 ||
	    cases_bundle_finish(&w, &m, &key, NULL) != 0)
		abort();
	cases_bundle_writer_free(&w);
	fclose(f);
	struct cases_bundle_report r;
	if (cases_bundle_check_mem(p, n, key.pk, &r) != 0 || r.status != CASES_BUNDLE_INTACT ||
	    r.nparts != 2)
		abort();
	cases_bundle_report_free(&r);
	size_t at = size ? ((size_t)data[size - 1] * 131 + size) % n : 0;
	p[at] ^= 0x01;
	if (cases_bundle_check_mem(p, n, key.pk, &r) != 0 || r.status == CASES_BUNDLE_INTACT)
		abort();
	check_report(&r, key.pk);
	cases_bundle_report_free(&r);
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!key.has_secret) {
		unsigned char seed[32];
		if (sodium_init() < 0)
			abort();
		/* the key the corpus's bundles are signed with */
		memset(seed, 0x42, sizeof seed);
		crypto_sign_seed_keypair(key.pk, key.sk, seed);
		key.has_secret = 1;
	}
	struct cases_bundle_report r;
	if (cases_bundle_check_mem(data, size, NULL, &r) != 0)
		abort();
	check_report(&r, NULL);
	cases_bundle_report_free(&r);
	if (cases_bundle_check_mem(data, size, key.pk, &r) != 0)
		abort();
	check_report(&r, key.pk);
	cases_bundle_report_free(&r);
	if (size <= 4096)
		round_trip(data, size);
	return 0;
}
