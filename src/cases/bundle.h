/* bundle.h: the verifiable case bundle (issue 5 item 8): one file that holds
 * a case's decrypted content as parts, a manifest listing every part with
 * its size and SHA-256, and an Ed25519 signature over the manifest made with
 * the server's signing key (crypto/signkey.h). export.c fills it from the
 * database; this file is the format alone, writing and checking, with no
 * database and no case logic, so that the checker can be fuzzed and a
 * recipient's `probity verify-bundle` needs nothing but the file (and,
 * ideally, the server's public key). docs/bundle.md describes the format for
 * people who check a bundle with other tools.
 *
 * The file is a POSIX ustar archive (tar -xf opens it), written by hand:
 * every member is a regular file named "case-<id>/<path>", path components
 * of [A-Za-z0-9._-] other than "." and "..", the whole name at most 99
 * bytes; mode 0644, owner and group 0 "probity", the export time as mtime;
 * data padded with zero bytes to 512; two zero blocks end it and nothing
 * follows. The last two members are "case-<id>/manifest.json" and
 * "case-<id>/signature.json".
 *
 * manifest.json: {"format": "probity-case-bundle", "version": 1, "case": ID,
 * "organisation": CODE, "exported_at": "YYYY-MM-DDTHH:MM:SSZ",
 * "exported_by": {"account": ID, "username": NAME}, "hash": "sha256",
 * "parts": [{"name": NAME, "size": BYTES, "sha256": HEX}, ...]}: every other
 * member except signature.json, in archive order.
 *
 * signature.json: {"format": "probity-case-bundle-signature", "version": 1,
 * "algorithm": "ed25519", "manifest": NAME, "manifest_sha256": HEX,
 * "public_key": HEX, "signature": HEX}. The signature is Ed25519 over the
 * ASCII text "probity-case-bundle-v1:" followed by the manifest's SHA-256 in
 * lower-case hex: a prefix of its own, so that no signature made for a
 * bundle can pass for an audit checkpoint's (which the same key signs), or
 * the reverse.
 *
 * Checking is strict: the archive must be exactly what the writer writes
 * (canonical headers, zero padding, nothing after the end), so that a change
 * of any single byte of the file is found; and it says WHICH part changed:
 * a part whose bytes differ from the manifest, a part missing, a part the
 * manifest does not list, the manifest (when its hash differs from the one
 * the signature vouches for), or signature.json (when it does not verify,
 * does not parse, or names another key than the pinned one). */
#ifndef CASES_BUNDLE_H
#define CASES_BUNDLE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "crypto/signkey.h"

#define CASES_BUNDLE_FORMAT "probity-case-bundle"
#define CASES_BUNDLE_SIG_FORMAT "probity-case-bundle-signature"
#define CASES_BUNDLE_VERSION 1
#define CASES_BUNDLE_SIGNED_PREFIX "probity-case-bundle-v1:"
#define CASES_BUNDLE_MANIFEST "manifest.json"
#define CASES_BUNDLE_SIGNATURE "signature.json"
#define CASES_BUNDLE_NAME_MAX 99          /* bytes of a member's whole name */
#define CASES_BUNDLE_PARTS_MAX 100000     /* parts one manifest lists */
#define CASES_BUNDLE_MANIFEST_MAX (32u << 20) /* bytes of manifest.json */
#define CASES_BUNDLE_SIGNATURE_MAX 4096   /* bytes of signature.json */
#define CASES_BUNDLE_PART_MAX 077777777777ULL /* bytes of one part: 11 octal digits */
#define CASES_BUNDLE_ISSUES_MAX 1000      /* issues a check keeps (it counts them all) */
#define CASES_BUNDLE_HASH_BYTES 32

/* One part as written or as found. */
struct cases_bundle_part {
	char name[CASES_BUNDLE_NAME_MAX + 1];
	uint64_t size;
	unsigned char sha256[CASES_BUNDLE_HASH_BYTES];
};

/* ---- writing ---- */

/* A bundle being written to out. Owns its list of parts; errors stick: once
 * a write failed, every later call fails too and err says why. */
struct cases_bundle_writer {
	FILE *out;
	char root[32];             /* "case-12" */
	time_t mtime;
	struct cases_bundle_part *parts;
	size_t nparts, cap;
	int failed;
	int io_errno;              /* errno of a failed write, 0 for a refused name */
	char err[300];
};

void cases_bundle_begin(struct cases_bundle_writer *w, FILE *out, int64_t case_id,
			time_t mtime);
/* Adds the part "<root>/<path>" with len bytes of data. path is checked as
 * above (CASES_BUNDLE_MANIFEST and CASES_BUNDLE_SIGNATURE at the root are
 * the writer's own). Returns 0 or -1 (w->err). */
int cases_bundle_add(struct cases_bundle_writer *w, const char *path, const void *data,
		     size_t len);

/* What the manifest says beside its parts. Strings are borrowed. */
struct cases_bundle_meta {
	int64_t case_id;
	const char *org_code;
	const char *exported_at;   /* "YYYY-MM-DDTHH:MM:SSZ" */
	int64_t account_id;
	const char *username;
};

/* Writes the manifest of the parts added, the signature over it with key
 * (which must hold the secret) and the end of the archive, and flushes out.
 * manifest_sha256 (may be NULL) gets the manifest's hash. Returns 0 or -1
 * (w->err). */
int cases_bundle_finish(struct cases_bundle_writer *w, const struct cases_bundle_meta *m,
			const struct signkey *key,
			unsigned char manifest_sha256[CASES_BUNDLE_HASH_BYTES]);
/* Frees the list of parts; out is the caller's. */
void cases_bundle_writer_free(struct cases_bundle_writer *w);

/* ---- checking ---- */

/* Reads up to n bytes into buf: the count, 0 at the end, -1 on an error
 * (errno set). */
typedef ssize_t (*cases_bundle_read_fn)(void *ctx, void *buf, size_t n);

enum cases_bundle_issue_kind {
	CASES_BUNDLE_CHANGED,    /* its bytes differ from what the manifest (or, for the
				    manifest, the signature) vouches for; for
				    signature.json: it does not verify or parse */
	CASES_BUNDLE_MISSING,    /* listed, not in the archive */
	CASES_BUNDLE_EXTRA,      /* in the archive, not listed */
	CASES_BUNDLE_DUPLICATE,  /* in the archive twice */
};

struct cases_bundle_issue {
	enum cases_bundle_issue_kind kind;
	char name[CASES_BUNDLE_NAME_MAX + 1];  /* printable ASCII: other bytes as '?' */
	char why[120];                         /* a short reason, English */
};

enum cases_bundle_status {
	CASES_BUNDLE_INTACT = 0,   /* signature valid, every part as the manifest says */
	CASES_BUNDLE_BROKEN,       /* issues lists what differs */
	CASES_BUNDLE_UNREADABLE,   /* not an archive as the writer writes them: problem
				      says where, problem_part names the member when known */
};

struct cases_bundle_report {
	enum cases_bundle_status status;
	char problem[400];
	char problem_part[CASES_BUNDLE_NAME_MAX + 1];
	int pinned;                /* checked against the caller's key, not the bundle's own */
	int signature_valid;       /* the signature verifies with `key` */
	unsigned char key[SIGNKEY_PUBLIC_BYTES]; /* the key checked with (when known) */
	int have_key;
	/* from the manifest, once the signature vouches for it */
	int manifest_valid;
	int64_t case_id;
	char org_code[40];
	char exported_at[24];
	int64_t account_id;
	char username[72];
	size_t nparts;             /* parts the manifest lists */
	size_t nmembers;           /* members read */
	uint64_t bytes;            /* bytes read */
	struct cases_bundle_issue *issues;
	size_t nissues;            /* kept, at most CASES_BUNDLE_ISSUES_MAX */
	size_t issues_total;       /* found */
};

/* Checks the bundle read through rd. pinned: the public key it must be
 * signed with (the server's), or NULL to check against the key the bundle
 * carries, which proves it unchanged since someone holding that key signed
 * it but not who that was. Returns 0 with r filled (r->status says whether
 * it is intact), or -1 when reading failed (errno, r->problem). Release r
 * with cases_bundle_report_free. */
int cases_bundle_check(cases_bundle_read_fn rd, void *ctx,
		       const unsigned char *pinned, struct cases_bundle_report *r);
/* The same over len bytes in memory. Pure; a fuzz target. */
int cases_bundle_check_mem(const void *data, size_t len, const unsigned char *pinned,
			   struct cases_bundle_report *r);
void cases_bundle_report_free(struct cases_bundle_report *r);

/* "changed", "missing", "extra", "duplicate". */
const char *cases_bundle_issue_name(enum cases_bundle_issue_kind k);

#endif
