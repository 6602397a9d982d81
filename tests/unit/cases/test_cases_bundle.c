/* test_cases_bundle.c: the case bundle's format (src/cases/bundle.c): a
 * bundle written and checked intact, with the key pinned and without; every
 * single byte of the file flipped in turn is found, and a flip inside a
 * part's bytes names exactly that part (the manifest and signature.json
 * included); a part missing, added, twice, the manifest or the signature
 * missing, a bundle cut short or with bytes after its end, another key; the
 * writer's refusals; a read error. No database. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "cases/bundle.h"

static struct signkey key, other;

static int setup(void **state)
{
	(void)state;
	unsigned char seed[32];
	memset(seed, 7, sizeof seed);
	crypto_sign_seed_keypair(key.pk, key.sk, seed);
	key.has_secret = 1;
	memset(seed, 9, sizeof seed);
	crypto_sign_seed_keypair(other.pk, other.sk, seed);
	other.has_secret = 1;
	return 0;
}

/* A bundle of case 7 in memory. */
struct blob {
	char *p;
	size_t n;
};

static const char *const names[] = {"case.json", "reports/3/report.json",
				    "reports/3/attachments/4.pdf", "empty.txt"};
static const char *const bodies[] = {"{\"case\": 7}\n", "{\"answers\": {\"what\": \"x\"}}\n",
				     "%PDF-1.4 a few bytes of a document", ""};
#define NPARTS 4

static void write_bundle(struct blob *b, const struct signkey *k, const char *extra)
{
	FILE *f = open_memstream(&b->p, &b->n);
	assert_non_null(f);
	struct cases_bundle_writer w;
	cases_bundle_begin(&w, f, 7, 1700000000);
	for (int i = 0; i < NPARTS; i++)
		assert_int_equal(cases_bundle_add(&w, names[i], bodies[i], strlen(bodies[i])), 0);
	if (extra)
		assert_int_equal(cases_bundle_add(&w, extra, "added", 5), 0);
	struct cases_bundle_meta m = {7, "FIN", "2024-07-02T09:30:00Z", 4, "coord.fin"};
	unsigned char h[CASES_BUNDLE_HASH_BYTES];
	assert_int_equal(cases_bundle_finish(&w, &m, k, h), 0);
	cases_bundle_writer_free(&w);
	fclose(f);
}

/* The members of an archive: offset of the header and bytes to the next. */
struct member {
	char name[100];
	size_t at, data, size, len;
};

static size_t members(const struct blob *b, struct member *m, size_t cap)
{
	size_t n = 0, at = 0;
	while (at + 512 <= b->n && b->p[at] && n < cap) {
		size_t size = (size_t)strtoull(b->p + at + 124, NULL, 8);
		snprintf(m[n].name, sizeof m[n].name, "%s", b->p + at);
		m[n].at = at;
		m[n].data = at + 512;
		m[n].size = size;
		m[n].len = 512 + (size + 511) / 512 * 512;
		at += m[n].len;
		n++;
	}
	return n;
}

static void check(const struct blob *b, const unsigned char *pinned,
		  struct cases_bundle_report *r)
{
	assert_int_equal(cases_bundle_check_mem(b->p, b->n, pinned, r), 0);
}

static void expect_one(const struct blob *b, enum cases_bundle_issue_kind kind,
		       const char *name)
{
	struct cases_bundle_report r;
	check(b, key.pk, &r);
	if (r.status != CASES_BUNDLE_BROKEN || r.issues_total != 1 || r.issues[0].kind != kind ||
	    strcmp(r.issues[0].name, name) != 0)
		fail_msg("expected one issue %s %s, got status %d, %zu issues, first %s %s (%s)",
			 cases_bundle_issue_name(kind), name, r.status, r.issues_total,
			 r.nissues ? cases_bundle_issue_name(r.issues[0].kind) : "-",
			 r.nissues ? r.issues[0].name : "-", r.problem);
	cases_bundle_report_free(&r);
}

static void test_intact(void **state)
{
	(void)state;
	struct blob b;
	struct cases_bundle_report r;
	write_bundle(&b, &key, NULL);
	assert_int_equal(b.n % 512, 0);
	struct member m[16];
	assert_int_equal(members(&b, m, 16), NPARTS + 2);
	assert_string_equal(m[0].name, "case-7/case.json");
	assert_string_equal(m[NPARTS].name, "case-7/manifest.json");
	assert_string_equal(m[NPARTS + 1].name, "case-7/signature.json");
	/* a tar any tool reads: ustar magic, a regular file */
	assert_memory_equal(b.p + 257, "ustar\0" "00", 8);
	assert_int_equal(b.p[156], '0');

	check(&b, key.pk, &r);
	assert_int_equal(r.status, CASES_BUNDLE_INTACT);
	assert_int_equal(r.pinned, 1);
	assert_int_equal(r.signature_valid, 1);
	assert_int_equal(r.case_id, 7);
	assert_string_equal(r.org_code, "FIN");
	assert_string_equal(r.username, "coord.fin");
	assert_int_equal(r.account_id, 4);
	assert_string_equal(r.exported_at, "2024-07-02T09:30:00Z");
	assert_int_equal(r.nparts, NPARTS);
	assert_int_equal(r.nmembers, NPARTS + 2);
	assert_int_equal(r.issues_total, 0);
	cases_bundle_report_free(&r);

	/* without a pinned key: intact, checked with the bundle's own key */
	check(&b, NULL, &r);
	assert_int_equal(r.status, CASES_BUNDLE_INTACT);
	assert_int_equal(r.pinned, 0);
	assert_memory_equal(r.key, key.pk, 32);
	cases_bundle_report_free(&r);

	/* the manifest lists each part with its size and hash */
	char *man = xstrndup(b.p + m[NPARTS].data, m[NPARTS].size);
	assert_non_null(strstr(man, "\"name\": \"case-7/reports/3/attachments/4.pdf\""));
	assert_non_null(strstr(man, "\"format\": \"probity-case-bundle\""));
	unsigned char h[32];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)bodies[0], strlen(bodies[0]));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_non_null(strstr(man, hex));
	free(man);
	free(b.p);
}

/* Every byte flipped in turn: never intact; inside a part's bytes, exactly
 * that part is named (the brief: "a changed byte in an exported bundle is
 * detected" and the part named). */
static void test_every_byte(void **state)
{
	(void)state;
	struct blob b;
	write_bundle(&b, &key, NULL);
	struct member m[16];
	size_t nm = members(&b, m, 16);
	for (size_t i = 0; i < b.n; i++) {
		b.p[i] ^= 0x01;
		struct cases_bundle_report r;
		check(&b, key.pk, &r);
		if (r.status == CASES_BUNDLE_INTACT)
			fail_msg("flipping byte %zu was not noticed", i);
		for (size_t k = 0; k < nm; k++) {
			if (i < m[k].data || i >= m[k].data + m[k].size)
				continue;
			if (r.status != CASES_BUNDLE_BROKEN || r.issues_total != 1 ||
			    r.issues[0].kind != CASES_BUNDLE_CHANGED ||
			    strcmp(r.issues[0].name, m[k].name) != 0)
				fail_msg("byte %zu of %s: status %d, %zu issues, first %s (%s)", i,
					 m[k].name, r.status, r.issues_total,
					 r.nissues ? r.issues[0].name : "-", r.problem);
		}
		/* in a header or padding: the member is named as unreadable */
		for (size_t k = 0; k < nm; k++)
			if (i >= m[k].at + 100 && i < m[k].data) {
				assert_int_equal(r.status, CASES_BUNDLE_UNREADABLE);
				assert_string_equal(r.problem_part, m[k].name);
			}
		cases_bundle_report_free(&r);
		b.p[i] ^= 0x01;
	}
	free(b.p);
}

/* Builds an archive from members of a (in the order of idx, -1 ends), then
 * the end blocks. */
static void assemble(const struct blob *a, const struct member *m, const int *idx,
		     struct blob *out)
{
	FILE *f = open_memstream(&out->p, &out->n);
	for (int i = 0; idx[i] >= 0; i++)
		fwrite(a->p + m[idx[i]].at, 1, m[idx[i]].len, f);
	static const char zeros[1024];
	fwrite(zeros, 1, sizeof zeros, f);
	fclose(f);
}

static void test_parts_missing_extra_twice(void **state)
{
	(void)state;
	struct blob a, b, c;
	struct member m[16], mb[16];
	write_bundle(&a, &key, NULL);
	members(&a, m, 16);
	/* 0 case.json, 1 report.json, 2 4.pdf, 3 empty.txt, 4 manifest, 5 signature */
	int missing[] = {0, 2, 3, 4, 5, -1};
	assemble(&a, m, missing, &c);
	expect_one(&c, CASES_BUNDLE_MISSING, "case-7/reports/3/report.json");
	free(c.p);

	int twice[] = {0, 1, 2, 2, 3, 4, 5, -1};
	assemble(&a, m, twice, &c);
	expect_one(&c, CASES_BUNDLE_DUPLICATE, "case-7/reports/3/attachments/4.pdf");
	free(c.p);

	/* a part of another bundle of the same case, slipped in */
	write_bundle(&b, &key, "notes/added.txt");
	size_t nb = members(&b, mb, 16);
	assert_int_equal(nb, NPARTS + 3);
	FILE *f = open_memstream(&c.p, &c.n);
	for (int i = 0; i < NPARTS; i++)
		fwrite(a.p + m[i].at, 1, m[i].len, f);
	fwrite(b.p + mb[NPARTS].at, 1, mb[NPARTS].len, f);
	fwrite(a.p + m[NPARTS].at, 1, m[NPARTS].len + m[NPARTS + 1].len + 1024, f);
	fclose(f);
	expect_one(&c, CASES_BUNDLE_EXTRA, "case-7/notes/added.txt");
	free(c.p);

	/* the other bundle's manifest and signature with this one's parts: the
	 * signature is good, the manifest lists a part that is not there */
	f = open_memstream(&c.p, &c.n);
	for (int i = 0; i < NPARTS; i++)
		fwrite(a.p + m[i].at, 1, m[i].len, f);
	fwrite(b.p + mb[NPARTS + 1].at, 1, mb[NPARTS + 1].len + mb[NPARTS + 2].len + 1024, f);
	fclose(f);
	expect_one(&c, CASES_BUNDLE_MISSING, "case-7/notes/added.txt");
	free(c.p);

	int nosig[] = {0, 1, 2, 3, 4, -1};
	assemble(&a, m, nosig, &c);
	expect_one(&c, CASES_BUNDLE_MISSING, "case-7/signature.json");
	free(c.p);

	int noman[] = {0, 1, 2, 3, 5, -1};
	assemble(&a, m, noman, &c);
	expect_one(&c, CASES_BUNDLE_MISSING, "case-7/manifest.json");
	free(c.p);

	int twosig[] = {0, 1, 2, 3, 4, 5, 5, -1};
	assemble(&a, m, twosig, &c);
	expect_one(&c, CASES_BUNDLE_DUPLICATE, "case-7/signature.json");
	free(c.p);
	free(a.p);
	free(b.p);
}

static void test_keys(void **state)
{
	(void)state;
	struct blob a, b;
	struct cases_bundle_report r;
	write_bundle(&a, &key, NULL);
	write_bundle(&b, &other, NULL);
	/* signed by another key than the one pinned: the signature is named */
	expect_one(&b, CASES_BUNDLE_CHANGED, "case-7/signature.json");
	check(&b, key.pk, &r);
	assert_non_null(strstr(r.issues[0].why, "another key"));
	assert_int_equal(r.signature_valid, 0);
	assert_int_equal(r.manifest_valid, 0);
	cases_bundle_report_free(&r);
	/* unpinned it is intact: proof of integrity, not of origin */
	check(&b, NULL, &r);
	assert_int_equal(r.status, CASES_BUNDLE_INTACT);
	assert_memory_equal(r.key, other.pk, 32);
	cases_bundle_report_free(&r);
	/* a's signature file in b: b's manifest is not the one it vouches for...
	 * and the key differs too; unpinned the signature verifies (a's key over
	 * a's manifest hash) and b's manifest is named */
	struct member ma[16], mb[16];
	members(&a, ma, 16);
	members(&b, mb, 16);
	assert_int_equal(ma[NPARTS + 1].len, mb[NPARTS + 1].len);
	memcpy(b.p + mb[NPARTS + 1].at, a.p + ma[NPARTS + 1].at, ma[NPARTS + 1].len);
	check(&b, NULL, &r);
	if (memcmp(a.p + ma[NPARTS].data, b.p + mb[NPARTS].data, ma[NPARTS].size) == 0) {
		assert_int_equal(r.status, CASES_BUNDLE_INTACT); /* the same manifest */
	} else {
		assert_int_equal(r.status, CASES_BUNDLE_BROKEN);
		assert_string_equal(r.issues[0].name, "case-7/manifest.json");
	}
	cases_bundle_report_free(&r);
	free(a.p);
	free(b.p);
}

static void test_truncated_and_trailing(void **state)
{
	(void)state;
	struct blob a;
	struct cases_bundle_report r;
	write_bundle(&a, &key, NULL);
	size_t cuts[] = {0, 1, 511, 512, 700, a.n - 1024, a.n - 512, a.n - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		assert_int_equal(cases_bundle_check_mem(a.p, cuts[i], key.pk, &r), 0);
		assert_int_equal(r.status, CASES_BUNDLE_UNREADABLE);
		cases_bundle_report_free(&r);
	}
	char *longer = xmalloc(a.n + 512);
	memcpy(longer, a.p, a.n);
	memset(longer + a.n, 0, 512);
	/* zero bytes after the end are bytes after the end as well */
	assert_int_equal(cases_bundle_check_mem(longer, a.n + 1, key.pk, &r), 0);
	assert_int_equal(r.status, CASES_BUNDLE_UNREADABLE);
	assert_non_null(strstr(r.problem, "after the archive's end"));
	cases_bundle_report_free(&r);
	/* only the end blocks: no parts */
	assert_int_equal(cases_bundle_check_mem(longer + a.n - 1024, 1024, key.pk, &r), 0);
	assert_int_equal(r.status, CASES_BUNDLE_UNREADABLE);
	cases_bundle_report_free(&r);
	free(longer);
	free(a.p);
}

static void test_writer_refuses(void **state)
{
	(void)state;
	char *p = NULL;
	size_t n = 0;
	static const char *const bad[] = {"",          "/abs",        "../up",   "a/../b",
					  "a//b",      "a/",          ".",       "a/./b",
					  "sp ace",    "x\ny",        "é",       "manifest.json",
					  "signature.json",
					  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = open_memstream(&p, &n);
		struct cases_bundle_writer w;
		cases_bundle_begin(&w, f, 7, 0);
		if (cases_bundle_add(&w, bad[i], "x", 1) != -1)
			fail_msg("name '%s' was taken", bad[i]);
		/* errors stick */
		assert_int_equal(cases_bundle_add(&w, "ok.txt", "x", 1), -1);
		cases_bundle_writer_free(&w);
		fclose(f);
		free(p);
	}
	/* a part twice; manifest.json deeper down is just a name */
	FILE *f = open_memstream(&p, &n);
	struct cases_bundle_writer w;
	cases_bundle_begin(&w, f, 7, 0);
	assert_int_equal(cases_bundle_add(&w, "x/manifest.json", "x", 1), 0);
	assert_int_equal(cases_bundle_add(&w, "x/manifest.json", "x", 1), -1);
	assert_non_null(strstr(w.err, "twice"));
	cases_bundle_writer_free(&w);
	fclose(f);
	free(p);
	/* no secret key, no signature */
	struct signkey pub = key;
	pub.has_secret = 0;
	memset(pub.sk, 0, sizeof pub.sk);
	f = open_memstream(&p, &n);
	cases_bundle_begin(&w, f, 7, 0);
	struct cases_bundle_meta m = {7, "FIN", "2024-07-02T09:30:00Z", 4, "coord.fin"};
	assert_int_equal(cases_bundle_finish(&w, &m, &pub, NULL), -1);
	cases_bundle_writer_free(&w);
	fclose(f);
	free(p);
}

static ssize_t failing_read(void *ctx, void *buf, size_t n)
{
	int *calls = ctx;
	(void)buf;
	(void)n;
	if ((*calls)++ > 0) {
		errno = EIO;
		return -1;
	}
	memset(buf, 'x', n);
	return (ssize_t)n;
}

static void test_read_error(void **state)
{
	(void)state;
	int calls = 0;
	struct cases_bundle_report r;
	/* the first block is garbage: unreadable, not a read error */
	assert_int_equal(cases_bundle_check(failing_read, &calls, key.pk, &r), 0);
	assert_int_equal(r.status, CASES_BUNDLE_UNREADABLE);
	cases_bundle_report_free(&r);
	/* the read fails at once: a read error, said as such */
	calls = 1;
	assert_int_equal(cases_bundle_check(failing_read, &calls, key.pk, &r), -1);
	assert_non_null(strstr(r.problem, "cannot read"));
	cases_bundle_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_parts_missing_extra_twice),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_truncated_and_trailing),
		cmocka_unit_test(test_writer_refuses),
		cmocka_unit_test(test_read_error),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, NULL);
}
