/* bench_crypto.c: what the cryptography of one report costs on this machine:
 * the receipt's hashes (and, for the record of receipt.h's choice, argon2id
 * at the parameters that were weighed), sealing and opening a report, content
 * blobs by size, splitting and recombining the recovery key. Prints
 * microseconds per operation and the ratio to a reference measured in the same
 * run (one BLAKE2b-256 of 64 bytes), so that figures from different machines
 * compare. Not a test: run it by hand, from a release build,
 * `build/release/bench/bench_crypto`.
 *
 * `bench_crypto --submission H` prints one line instead: the microseconds of
 * the cryptography one anonymous submission needs (intake_submit with H
 * handlers: a receipt made and normalised, its lookup and derived keys, the
 * report key, the body encrypted, sealed to H handlers and to the receipt),
 * one core; bench/run's reference for the submission scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crypto/envelope.h"
#include "crypto/receipt.h"
#include "crypto/recovery.h"
#include "crypto/vault.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef void (*op_fn)(void *);

/* Microseconds per call of op, over at least min_s seconds. */
static double time_op(op_fn op, void *arg, double min_s)
{
	long n = 0, batch = 1;
	double start = now(), t;
	for (;;) {
		for (long i = 0; i < batch; i++)
			op(arg);
		n += batch;
		t = now() - start;
		if (t >= min_s)
			break;
		if (batch < 1L << 20)
			batch *= 2;
	}
	return t / (double)n * 1e6;
}

static double reference;

static void report(const char *what, double us)
{
	printf("%-52s %12.2f us %12.1fx\n", what, us, us / reference);
}

static void op_reference(void *arg)
{
	unsigned char *b = arg;
	crypto_generichash(b, 32, b, 64, NULL, 0);
}

struct receipt_ctx {
	char norm[RECEIPT_NORM_SIZE];
	unsigned char salt[16], out[32];
};

static void op_receipt_new(void *arg)
{
	struct receipt_ctx *c = arg;
	char shown[RECEIPT_SHOWN_SIZE];
	receipt_generate(shown);
	if (receipt_normalise(shown, strlen(shown), c->norm) != RECEIPT_OK)
		abort();
}

static void op_lookup(void *arg)
{
	struct receipt_ctx *c = arg;
	if (receipt_lookup_key(c->norm, c->out) != 0)
		abort();
}

static void op_derive(void *arg)
{
	struct receipt_ctx *c = arg;
	if (receipt_derive_key(c->norm, c->salt, c->out) != 0)
		abort();
}

struct argon_ctx {
	unsigned long long ops;
	size_t mem;
	unsigned char out[32];
};

static void op_argon(void *arg)
{
	struct argon_ctx *c = arg;
	static const unsigned char salt[crypto_pwhash_SALTBYTES];
	if (crypto_pwhash(c->out, 32, "7k2m9qdxa3fpwz4hb8nc7q", 22, salt, c->ops, c->mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		abort();
}

/* One report as intake would make it: a fresh key, the body encrypted,
 * the key sealed to three handlers, the recovery key and the receipt. */
struct report_ctx {
	unsigned char hpk[3][32], hsk[3][32], rpk[32], rsk[32], rk[32];
	unsigned char *key, *back;
	unsigned char sealed[3][ENVELOPE_SEALED_PK_BYTES], srec[ENVELOPE_SEALED_PK_BYTES];
	unsigned char sx[ENVELOPE_SEALED_RECEIPT_BYTES];
	unsigned char *body, *blob, *plain;
	size_t body_len, blob_len;
};

static void op_seal_report(void *arg)
{
	struct report_ctx *c = arg;
	size_t n;
	envelope_key_new(c->key);
	if (envelope_encrypt(c->key, 1, "report-body", c->body, c->body_len, c->blob,
			     envelope_blob_size(c->body_len), &n) != 0)
		abort();
	for (int i = 0; i < 3; i++)
		if (envelope_seal_to_pk(ENVELOPE_HANDLER, c->hpk[i], 1, c->key, c->sealed[i]) != 0)
			abort();
	if (envelope_seal_to_pk(ENVELOPE_RECOVERY, c->rpk, 1, c->key, c->srec) != 0 ||
	    envelope_seal_to_receipt(c->rk, 1, c->key, c->sx) != 0)
		abort();
	c->blob_len = n;
}

static void op_open_handler(void *arg)
{
	struct report_ctx *c = arg;
	size_t got;
	if (envelope_open_with_sk(ENVELOPE_HANDLER, c->hpk[0], c->hsk[0], 1, c->sealed[0],
				  sizeof c->sealed[0], c->back) != 0 ||
	    envelope_decrypt(c->back, 1, "report-body", c->blob, c->blob_len, c->plain,
			     c->blob_len, &got) != 0)
		abort();
}

static void op_open_receipt(void *arg)
{
	struct report_ctx *c = arg;
	size_t got;
	if (envelope_open_with_receipt(c->rk, 1, c->sx, sizeof c->sx, c->back) != 0 ||
	    envelope_decrypt(c->back, 1, "report-body", c->blob, c->blob_len, c->plain,
			     c->blob_len, &got) != 0)
		abort();
}

static void op_seal_one(void *arg)
{
	struct report_ctx *c = arg;
	if (envelope_seal_to_pk(ENVELOPE_HANDLER, c->hpk[1], 1, c->key, c->sealed[1]) != 0)
		abort();
}

static void op_open_one(void *arg)
{
	struct report_ctx *c = arg;
	if (envelope_open_with_sk(ENVELOPE_HANDLER, c->hpk[0], c->hsk[0], 1, c->sealed[0],
				  sizeof c->sealed[0], c->back) != 0)
		abort();
}

struct content_ctx {
	unsigned char key[32];
	unsigned char *plain, *blob, *back;
	size_t n;
};

static void op_content(void *arg)
{
	struct content_ctx *c = arg;
	size_t bn = envelope_blob_size(c->n), got;
	if (envelope_encrypt(c->key, 1, "attachment:1", c->plain, c->n, c->blob, bn, &got) != 0 ||
	    envelope_decrypt(c->key, 1, "attachment:1", c->blob, bn, c->back, bn, &got) != 0)
		abort();
}

struct recovery_ctx {
	unsigned char pk[32], *sk, *out;
	struct recovery_share *shares;
};

static void op_split(void *arg)
{
	struct recovery_ctx *c = arg;
	if (recovery_split(c->sk, 3, 5, c->shares) != 0)
		abort();
}

static void op_combine(void *arg)
{
	struct recovery_ctx *c = arg;
	if (recovery_combine(c->shares + 1, 3, c->out, c->pk) != 0)
		abort();
}

/* One submission's cryptography, as intake_submit does it (src/intake/store.c):
 * receipt, lookup and derived key, report key, body, handlers' and receipt's
 * seals. */
struct submission_ctx {
	struct receipt_ctx rc;
	struct report_ctx r;
	int handlers;
};

static void op_submission(void *arg)
{
	struct submission_ctx *c = arg;
	struct report_ctx *r = &c->r;
	size_t n;
	op_receipt_new(&c->rc);
	op_lookup(&c->rc);
	op_derive(&c->rc);
	envelope_key_new(r->key);
	if (envelope_encrypt(r->key, 1, "report-body", r->body, r->body_len, r->blob,
			     envelope_blob_size(r->body_len), &n) != 0)
		abort();
	for (int i = 0; i < c->handlers; i++)
		if (envelope_seal_to_pk(ENVELOPE_HANDLER, r->hpk[i % 3], 1, r->key, r->sealed[i % 3]) != 0)
			abort();
	if (envelope_seal_to_receipt(c->rc.out, 1, r->key, r->sx) != 0)
		abort();
}

static int submission_only(int handlers)
{
	static struct submission_ctx c;
	c.handlers = handlers;
	randombytes_buf(c.rc.salt, sizeof c.rc.salt);
	for (int i = 0; i < 3; i++)
		vault_keypair(c.r.hpk[i], c.r.hsk[i]);
	c.r.key = vault_secure_alloc(32);
	c.r.body_len = 300; /* the JSON of a short anonymous report, as bench/run sends */
	c.r.body = calloc(1, c.r.body_len);
	c.r.blob = malloc(envelope_blob_size(c.r.body_len));
	if (!c.r.key || !c.r.body || !c.r.blob)
		return 1;
	printf("submission crypto: %.2f us\n", time_op(op_submission, &c, 1.0));
	vault_secure_free(c.r.key);
	free(c.r.body);
	free(c.r.blob);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	if (argc == 3 && strcmp(argv[1], "--submission") == 0) {
		int h = atoi(argv[2]);
		return h >= 1 && h <= 100 ? submission_only(h) : 2;
	}
	unsigned char refbuf[64] = {0};
	reference = time_op(op_reference, refbuf, 0.5);
	printf("%-52s %12s    %12s\n", "operation", "per op", "vs reference");
	report("reference: BLAKE2b-256 of 64 bytes", reference);

	struct receipt_ctx rc = {0};
	randombytes_buf(rc.salt, sizeof rc.salt);
	report("receipt: generate and normalise", time_op(op_receipt_new, &rc, 0.5));
	report("receipt: lookup key (keyed BLAKE2b)", time_op(op_lookup, &rc, 0.5));
	report("receipt: derive key (BLAKE2b, salt, personal)", time_op(op_derive, &rc, 0.5));
	static const struct {
		unsigned long long ops;
		size_t mem;
		const char *name;
	} argon[] = {
		{2, 19u << 20, "argon2id ops 2, 19 MiB (not used; for the record)"},
		{2, 16u << 20, "argon2id ops 2, 16 MiB (not used; for the record)"},
		{1, 8u << 20, "argon2id ops 1, 8 MiB (not used; for the record)"},
	};
	for (size_t i = 0; i < sizeof argon / sizeof *argon; i++) {
		struct argon_ctx ac = {.ops = argon[i].ops, .mem = argon[i].mem};
		report(argon[i].name, time_op(op_argon, &ac, 1.0));
	}

	struct report_ctx r = {0};
	for (int i = 0; i < 3; i++)
		vault_keypair(r.hpk[i], r.hsk[i]);
	vault_keypair(r.rpk, r.rsk);
	randombytes_buf(r.rk, sizeof r.rk);
	r.key = vault_secure_alloc(32);
	r.back = vault_secure_alloc(32);
	static const size_t bodies[] = {2048, 20000};
	for (size_t b = 0; b < 2; b++) {
		r.body_len = bodies[b];
		r.body = calloc(1, r.body_len);
		r.blob = malloc(envelope_blob_size(r.body_len));
		r.plain = malloc(envelope_blob_size(r.body_len));
		if (!r.body || !r.blob || !r.plain)
			abort();
		char what[96];
		snprintf(what, sizeof what, "report seal: key, %zu-byte body, 3+1+receipt seals",
			 r.body_len);
		report(what, time_op(op_seal_report, &r, 0.5));
		snprintf(what, sizeof what, "report open: handler's key, %zu-byte body", r.body_len);
		report(what, time_op(op_open_handler, &r, 0.5));
		snprintf(what, sizeof what, "report open: receipt key, %zu-byte body", r.body_len);
		report(what, time_op(op_open_receipt, &r, 0.5));
		free(r.body);
		free(r.blob);
		free(r.plain);
	}
	report("seal report key to one X25519 public key", time_op(op_seal_one, &r, 0.5));
	report("open report key with one X25519 secret key", time_op(op_open_one, &r, 0.5));

	static const size_t sizes[] = {1024, 64u << 10, 1u << 20, ENVELOPE_CONTENT_MAX};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		struct content_ctx c = {.n = sizes[i]};
		envelope_key_new(c.key);
		c.plain = calloc(1, c.n);
		c.blob = malloc(envelope_blob_size(c.n));
		c.back = malloc(envelope_blob_size(c.n));
		if (!c.plain || !c.blob || !c.back)
			abort();
		double us = time_op(op_content, &c, 1.0);
		char what[96];
		snprintf(what, sizeof what, "content encrypt+decrypt %zu bytes (%.0f MB/s)", c.n,
			 (double)c.n / us);
		report(what, us);
		free(c.plain);
		free(c.blob);
		free(c.back);
	}

	struct recovery_ctx rv = {0};
	rv.sk = vault_secure_alloc(32);
	rv.out = vault_secure_alloc(32);
	rv.shares = vault_secure_alloc(5 * sizeof *rv.shares);
	recovery_keypair(rv.pk, rv.sk);
	report("recovery split 3 of 5 (with self-check)", time_op(op_split, &rv, 0.5));
	report("recovery combine 3 (with public key check)", time_op(op_combine, &rv, 0.5));
	vault_secure_free(rv.sk);
	vault_secure_free(rv.out);
	vault_secure_free(rv.shares);
	vault_secure_free(r.key);
	vault_secure_free(r.back);
	return 0;
}
