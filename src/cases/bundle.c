/* bundle.c: the case bundle's format (bundle.h): the ustar writer, the
 * manifest and its signature, and the strict checker that names what
 * changed. No database, no case logic: what goes into a bundle is
 * export.c's business. */
#include "cases/bundle.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/jsondoc.h"

#define BLOCK 512
#define CHUNK (64u * 1024u)
#define HEX_HASH (2 * CASES_BUNDLE_HASH_BYTES)

const char *cases_bundle_issue_name(enum cases_bundle_issue_kind k)
{
	switch (k) {
	case CASES_BUNDLE_CHANGED: return "changed";
	case CASES_BUNDLE_MISSING: return "missing";
	case CASES_BUNDLE_EXTRA: return "extra";
	case CASES_BUNDLE_DUPLICATE: return "duplicate";
	}
	return "?";
}

/* ---- names ---- */

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* 1 if p is a relative path of components of name_char, none "." or "..",
 * none empty. */
static int path_ok(const char *p, size_t n)
{
	size_t start = 0;
	if (n == 0)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] != '/') {
			if (!name_char(p[i]))
				return 0;
			continue;
		}
		size_t len = i - start;
		if (len == 0 || (len == 1 && p[start] == '.') ||
		    (len == 2 && p[start] == '.' && p[start + 1] == '.'))
			return 0;
		start = i + 1;
	}
	return 1;
}

/* 1 if s[0..n) is "case-" and a positive decimal number without leading
 * zeros that fits an int64; *id gets it. */
static int root_ok(const char *s, size_t n, int64_t *id)
{
	if (n < 6 || n > 24 || memcmp(s, "case-", 5) != 0 || s[5] == '0')
		return 0;
	int64_t v = 0;
	for (size_t i = 5; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*id = v;
	return 1;
}

/* Printable ASCII of untrusted s into out (cap bytes with the NUL). */
static void clean(char *out, size_t cap, const char *s, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; i < n && j + 1 < cap; i++)
		out[j++] = ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) ? s[i] : '?';
	out[j] = 0;
}

/* ---- the ustar header ---- */

static void octal(unsigned char *field, size_t width, uint64_t v)
{
	/* width - 1 digits and a NUL, as GNU tar writes them */
	char tmp[24];
	snprintf(tmp, sizeof tmp, "%0*llo", (int)(width - 1), (unsigned long long)v);
	memcpy(field, tmp, width);
}

/* The header the writer writes for name (at most CASES_BUNDLE_NAME_MAX
 * bytes), size and mtime: the only headers the checker accepts. */
static void header(unsigned char h[BLOCK], const char *name, size_t namelen, uint64_t size,
		   uint64_t mtime)
{
	memset(h, 0, BLOCK);
	memcpy(h, name, namelen);
	octal(h + 100, 8, 0644);
	octal(h + 108, 8, 0);
	octal(h + 116, 8, 0);
	octal(h + 124, 12, size);
	octal(h + 136, 12, mtime);
	memset(h + 148, ' ', 8);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "probity", 7);
	memcpy(h + 297, "probity", 7);
	octal(h + 329, 8, 0);
	octal(h + 337, 8, 0);
	unsigned sum = 0;
	for (size_t i = 0; i < BLOCK; i++)
		sum += h[i];
	char tmp[8];
	snprintf(tmp, sizeof tmp, "%06o", sum & 0777777u);
	memcpy(h + 148, tmp, 6);
	h[154] = 0;
	h[155] = ' ';
}

/* Parses an octal field of width - 1 digits and a NUL; -1 if it is not one. */
static int parse_octal(const unsigned char *f, size_t width, uint64_t *out)
{
	uint64_t v = 0;
	for (size_t i = 0; i + 1 < width; i++) {
		if (f[i] < '0' || f[i] > '7')
			return -1;
		v = v * 8 + (uint64_t)(f[i] - '0');
	}
	if (f[width - 1] != 0)
		return -1;
	*out = v;
	return 0;
}

/* ---- writing ---- */

/* Records the first failure (err: an errno, or 0 for a refusal); -1. */
static int wfail(struct cases_bundle_writer *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int wfail(struct cases_bundle_writer *w, int err, const char *fmt, ...)
{
	if (!w->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(w->err, sizeof w->err, fmt, ap);
		va_end(ap);
		w->failed = 1;
		w->io_errno = err;
	}
	return -1;
}

void cases_bundle_begin(struct cases_bundle_writer *w, FILE *out, int64_t case_id,
			time_t mtime)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->mtime = mtime < 0 ? 0 : mtime;
	snprintf(w->root, sizeof w->root, "case-%lld", (long long)case_id);
}

static int put(struct cases_bundle_writer *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->out) != n)
	{
		int err = errno ? errno : EIO;
		return wfail(w, err, "cannot write the bundle: %s", strerror(err));
	}
	return 0;
}

/* Writes one member (name is whole) and records it as a part. */
static int member(struct cases_bundle_writer *w, const char *name, const void *data, size_t len)
{
	static const unsigned char zeros[BLOCK];
	unsigned char h[BLOCK];
	if (w->failed)
		return -1;
	if ((uint64_t)len > CASES_BUNDLE_PART_MAX)
		return wfail(w, 0, "part %s is too large for the archive format", name);
	if (w->nparts == CASES_BUNDLE_PARTS_MAX + 2)
		return wfail(w, 0, "more parts than a bundle holds (at %s)", name);
	header(h, name, strlen(name), len, (uint64_t)w->mtime);
	if (put(w, h, BLOCK) != 0 || put(w, data, len) != 0 ||
	    put(w, zeros, (BLOCK - len % BLOCK) % BLOCK) != 0)
		return -1;
	if (w->nparts == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 32;
		w->parts = xrealloc(w->parts, w->cap * sizeof *w->parts);
	}
	struct cases_bundle_part *p = &w->parts[w->nparts++];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->size = len;
	crypto_hash_sha256(p->sha256, data, len);
	return 0;
}

int cases_bundle_add(struct cases_bundle_writer *w, const char *path, const void *data,
		     size_t len)
{
	char name[CASES_BUNDLE_NAME_MAX + 2];
	if (w->failed)
		return -1;
	size_t n = strlen(path);
	if (!path_ok(path, n) || strcmp(path, CASES_BUNDLE_MANIFEST) == 0 ||
	    strcmp(path, CASES_BUNDLE_SIGNATURE) == 0)
		return wfail(w, 0, "%.120s is not a name a bundle may hold", path);
	int k = snprintf(name, sizeof name, "%s/%s", w->root, path);
	if (k < 0 || (size_t)k > CASES_BUNDLE_NAME_MAX)
		return wfail(w, 0, "the name %.120s is too long for the archive format", path);
	for (size_t i = 0; i < w->nparts; i++)
		if (strcmp(w->parts[i].name, name) == 0)
			return wfail(w, 0, "part %s is added twice", name);
	return member(w, name, data, len);
}

/* The signature file's text for these values: the writer writes it and the
 * checker compares it byte for byte. out holds 1024 bytes. */
static int signature_text(char *out, size_t cap, const char *manifest_name,
			  const unsigned char hash[CASES_BUNDLE_HASH_BYTES],
			  const unsigned char pk[SIGNKEY_PUBLIC_BYTES],
			  const unsigned char sig[SIGNKEY_SIGNATURE_BYTES])
{
	char h[HEX_HASH + 1], k[2 * SIGNKEY_PUBLIC_BYTES + 1], s[2 * SIGNKEY_SIGNATURE_BYTES + 1];
	sodium_bin2hex(h, sizeof h, hash, CASES_BUNDLE_HASH_BYTES);
	sodium_bin2hex(k, sizeof k, pk, SIGNKEY_PUBLIC_BYTES);
	sodium_bin2hex(s, sizeof s, sig, SIGNKEY_SIGNATURE_BYTES);
	return snprintf(out, cap,
			"{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"algorithm\": \"ed25519\",\n"
			"  \"manifest\": \"%s\",\n  \"manifest_sha256\": \"%s\",\n"
			"  \"public_key\": \"%s\",\n  \"signature\": \"%s\"\n}\n",
			CASES_BUNDLE_SIG_FORMAT, CASES_BUNDLE_VERSION, manifest_name, h, k, s);
}

/* The message the signature covers. */
static void signed_message(char out[sizeof CASES_BUNDLE_SIGNED_PREFIX + HEX_HASH],
			   const unsigned char hash[CASES_BUNDLE_HASH_BYTES])
{
	memcpy(out, CASES_BUNDLE_SIGNED_PREFIX, sizeof CASES_BUNDLE_SIGNED_PREFIX - 1);
	sodium_bin2hex(out + sizeof CASES_BUNDLE_SIGNED_PREFIX - 1, HEX_HASH + 1, hash,
		       CASES_BUNDLE_HASH_BYTES);
}

#define SIGNED_LEN (sizeof CASES_BUNDLE_SIGNED_PREFIX - 1 + HEX_HASH)

int cases_bundle_finish(struct cases_bundle_writer *w, const struct cases_bundle_meta *m,
			const struct signkey *key,
			unsigned char manifest_sha256[CASES_BUNDLE_HASH_BYTES])
{
	static const unsigned char zeros[2 * BLOCK];
	char manifest_name[CASES_BUNDLE_NAME_MAX + 1], signature_name[CASES_BUNDLE_NAME_MAX + 1];
	char msg[SIGNED_LEN + 1], sigtext[1024];
	unsigned char hash[CASES_BUNDLE_HASH_BYTES], sig[SIGNKEY_SIGNATURE_BYTES];
	char *text = NULL;
	if (w->failed)
		return -1;
	if (!key->has_secret)
		return wfail(w, 0, "the signing key has no secret half");
	snprintf(manifest_name, sizeof manifest_name, "%s/%s", w->root, CASES_BUNDLE_MANIFEST);
	snprintf(signature_name, sizeof signature_name, "%s/%s", w->root, CASES_BUNDLE_SIGNATURE);

	json_t *parts = json_array();
	for (size_t i = 0; i < w->nparts; i++) {
		char hex[HEX_HASH + 1];
		sodium_bin2hex(hex, sizeof hex, w->parts[i].sha256, CASES_BUNDLE_HASH_BYTES);
		json_array_append_new(parts, json_pack("{s:s, s:I, s:s}", "name", w->parts[i].name,
						       "size", (json_int_t)w->parts[i].size,
						       "sha256", hex));
	}
	json_t *doc = json_pack("{s:s, s:i, s:I, s:s, s:s, s:{s:I, s:s}, s:s, s:o}", "format",
				CASES_BUNDLE_FORMAT, "version", CASES_BUNDLE_VERSION, "case",
				(json_int_t)m->case_id, "organisation", m->org_code ? m->org_code : "",
				"exported_at", m->exported_at ? m->exported_at : "", "exported_by",
				"account", (json_int_t)m->account_id, "username",
				m->username ? m->username : "", "hash", "sha256", "parts", parts);
	size_t need = doc ? json_dumpb(doc, NULL, 0, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : 0;
	if (need == 0) {
		json_decref(doc);
		return wfail(w, 0, "cannot write the manifest");
	}
	text = xmalloc(need + 1);
	json_dumpb(doc, text, need, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	text[need] = '\n';
	crypto_hash_sha256(hash, (const unsigned char *)text, need + 1);
	int rc = member(w, manifest_name, text, need + 1);
	free(text);
	if (rc != 0)
		return -1;

	signed_message(msg, hash);
	signkey_sign(key, (const unsigned char *)msg, SIGNED_LEN, sig);
	int n = signature_text(sigtext, sizeof sigtext, manifest_name, hash, key->pk, sig);
	if (member(w, signature_name, sigtext, (size_t)n) != 0 || put(w, zeros, sizeof zeros) != 0)
		return -1;
	if (fflush(w->out) != 0 || ferror(w->out)) {
		int err = errno ? errno : EIO;
		return wfail(w, err, "cannot write the bundle: %s", strerror(err));
	}
	if (manifest_sha256)
		memcpy(manifest_sha256, hash, sizeof hash);
	return 0;
}

void cases_bundle_writer_free(struct cases_bundle_writer *w)
{
	free(w->parts);
	w->parts = NULL;
	w->nparts = w->cap = 0;
}

/* ---- checking ---- */

struct member {
	char name[CASES_BUNDLE_NAME_MAX + 1];
	uint64_t size;
	unsigned char sha256[CASES_BUNDLE_HASH_BYTES];
	int flagged;       /* a duplicate or extra, already reported */
};

struct reader {
	cases_bundle_read_fn fn;
	void *ctx;
	struct cases_bundle_report *r;
	struct member *m;
	size_t nm, capm;
	char root[32];
	size_t rootlen;
	char *manifest, *signature;   /* the first copies found */
	size_t manifest_len, signature_len;
	int have_manifest, have_signature;
	unsigned char buf[CHUNK];
};

/* Reads exactly n bytes: 1, 0 at the end before any byte, -2 at the end
 * part-way, -1 on an error. */
static int read_exact(struct reader *rd, void *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = rd->fn(rd->ctx, (unsigned char *)p + got, n - got);
		if (k < 0)
			return -1;
		if (k == 0)
			return got == 0 ? 0 : -2;
		got += (size_t)k;
	}
	rd->r->bytes += n;
	return 1;
}

static int unreadable(struct cases_bundle_report *r, const char *part, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int unreadable(struct cases_bundle_report *r, const char *part, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof r->problem, fmt, ap);
	va_end(ap);
	if (part)
		clean(r->problem_part, sizeof r->problem_part, part, strlen(part));
	r->status = CASES_BUNDLE_UNREADABLE;
	return 1;
}

static void issue(struct cases_bundle_report *r, enum cases_bundle_issue_kind kind,
		  const char *name, const char *why)
{
	r->issues_total++;
	r->status = CASES_BUNDLE_BROKEN;
	if (r->nissues == CASES_BUNDLE_ISSUES_MAX)
		return;
	if (!r->issues)
		r->issues = xcalloc(CASES_BUNDLE_ISSUES_MAX, sizeof *r->issues);
	struct cases_bundle_issue *i = &r->issues[r->nissues++];
	i->kind = kind;
	clean(i->name, sizeof i->name, name, strlen(name));
	snprintf(i->why, sizeof i->why, "%s", why);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static int is_special(const struct reader *rd, const char *name, const char *base)
{
	return strncmp(name, rd->root, rd->rootlen) == 0 && name[rd->rootlen] == '/' &&
	       strcmp(name + rd->rootlen + 1, base) == 0;
}

/* Reads one member's data and padding after its header; hashes it and keeps
 * the manifest and signature. 0, 1 when unreadable, -1 on a read error. */
static int read_data(struct reader *rd, struct member *m)
{
	crypto_hash_sha256_state st;
	char **keep = NULL;
	size_t *keep_len = NULL, keep_max = 0;
	if (is_special(rd, m->name, CASES_BUNDLE_MANIFEST) && !rd->have_manifest) {
		keep = &rd->manifest, keep_len = &rd->manifest_len;
		keep_max = CASES_BUNDLE_MANIFEST_MAX;
		rd->have_manifest = 1;
	} else if (is_special(rd, m->name, CASES_BUNDLE_SIGNATURE) && !rd->have_signature) {
		keep = &rd->signature, keep_len = &rd->signature_len;
		keep_max = CASES_BUNDLE_SIGNATURE_MAX;
		rd->have_signature = 1;
	}
	if (keep) {
		if (m->size > keep_max)
			return unreadable(rd->r, m->name, "%s is larger than %zu bytes", m->name,
					  keep_max);
		*keep = xmalloc((size_t)m->size + 1);
		*keep_len = (size_t)m->size;
	}
	crypto_hash_sha256_init(&st);
	uint64_t left = m->size;
	size_t at = 0;
	while (left > 0) {
		size_t n = left > CHUNK ? CHUNK : (size_t)left;
		int k = read_exact(rd, rd->buf, n);
		if (k == -1)
			return -1;
		if (k != 1)
			return unreadable(rd->r, m->name, "the file ends inside %s", m->name);
		crypto_hash_sha256_update(&st, rd->buf, n);
		if (keep) {
			memcpy(*keep + at, rd->buf, n);
			at += n;
		}
		left -= n;
	}
	if (keep)
		(*keep)[at] = 0;
	crypto_hash_sha256_final(&st, m->sha256);
	size_t pad = (size_t)((BLOCK - m->size % BLOCK) % BLOCK);
	if (pad) {
		int k = read_exact(rd, rd->buf, pad);
		if (k == -1)
			return -1;
		if (k != 1)
			return unreadable(rd->r, m->name, "the file ends inside %s", m->name);
		if (!all_zero(rd->buf, pad))
			return unreadable(rd->r, m->name,
					  "the padding after %s is not as written: the file was "
					  "changed there", m->name);
	}
	return 0;
}

/* Reads the whole archive into rd->m. 0, 1 when unreadable, -1 on a read
 * error. */
static int read_archive(struct reader *rd)
{
	unsigned char h[BLOCK], want[BLOCK];
	struct cases_bundle_report *r = rd->r;
	for (;;) {
		int k = read_exact(rd, h, BLOCK);
		if (k == -1)
			return -1;
		if (k != 1)
			return unreadable(r, NULL, rd->nm ? "the file ends without the archive's end: "
						  "it was cut short" : "the file is empty or too short "
						  "to be a bundle");
		if (all_zero(h, BLOCK)) {
			k = read_exact(rd, h, BLOCK);
			if (k == -1)
				return -1;
			if (k != 1 || !all_zero(h, BLOCK))
				return unreadable(r, NULL, "the archive's end is not as written");
			unsigned char extra;
			k = read_exact(rd, &extra, 1);
			if (k == -1)
				return -1;
			if (k != 0)
				return unreadable(r, NULL, "there are bytes after the archive's end");
			if (rd->nm == 0)
				return unreadable(r, NULL, "the archive holds no parts");
			return 0;
		}
		const char *nul = memchr(h, 0, 100);
		size_t namelen = nul ? (size_t)(nul - (const char *)h) : 100;
		char shown[CASES_BUNDLE_NAME_MAX + 2];
		clean(shown, sizeof shown, (const char *)h, namelen);
		uint64_t size, mtime;
		if (!nul || namelen == 0 || parse_octal(h + 124, 12, &size) != 0 ||
		    parse_octal(h + 136, 12, &mtime) != 0)
			return unreadable(r, shown, "the header of part %zu (%s) is damaged",
					  rd->nm + 1, shown);
		header(want, (const char *)h, namelen, size, mtime);
		if (memcmp(h, want, BLOCK) != 0)
			return unreadable(r, shown, "the header of part %zu (%s) is not as written: "
					  "the file was changed there", rd->nm + 1, shown);
		const char *name = (const char *)h;
		const char *slash = memchr(name, '/', namelen);
		int64_t id;
		if (!path_ok(name, namelen) || !slash ||
		    !root_ok(name, (size_t)(slash - name), &id))
			return unreadable(r, shown, "part %zu has a name a bundle never holds: %s",
					  rd->nm + 1, shown);
		if (rd->nm == 0) {
			rd->rootlen = (size_t)(slash - name);
			memcpy(rd->root, name, rd->rootlen);
			rd->root[rd->rootlen] = 0;
		}
		if (rd->nm == CASES_BUNDLE_PARTS_MAX + 2)
			return unreadable(r, NULL, "more than %d parts", CASES_BUNDLE_PARTS_MAX + 2);
		if (rd->nm == rd->capm) {
			rd->capm = rd->capm ? 2 * rd->capm : 64;
			rd->m = xrealloc(rd->m, rd->capm * sizeof *rd->m);
		}
		struct member *m = &rd->m[rd->nm++];
		memset(m, 0, sizeof *m);
		memcpy(m->name, name, namelen);
		m->size = size;
		r->nmembers = rd->nm;
		if ((k = read_data(rd, m)) != 0)
			return k;
	}
}

/* ---- the signature and the manifest ---- */

static int hex_exact(const char *s, unsigned char *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	if (strlen(s) != 2 * n || sodium_hex2bin(out, n, s, 2 * n, NULL, &got, &end) != 0 ||
	    got != n)
		return -1;
	return 0;
}

/* Checks signature.json against the manifest. 0 when the manifest is the
 * one signed, else 1 with the issue reported. */
static int check_signature(struct reader *rd, const unsigned char *pinned)
{
	struct cases_bundle_report *r = rd->r;
	char signame[CASES_BUNDLE_NAME_MAX + 1], manname[CASES_BUNDLE_NAME_MAX + 1];
	char why[JSONDOC_PATH_MAX + 300], text[1024], msg[SIGNED_LEN + 1];
	unsigned char stated[CASES_BUNDLE_HASH_BYTES], pk[SIGNKEY_PUBLIC_BYTES];
	unsigned char sig[SIGNKEY_SIGNATURE_BYTES], actual[CASES_BUNDLE_HASH_BYTES];
	static const char *const top[] = {"format", "version", "algorithm", "manifest",
					  "manifest_sha256", "public_key", "signature", NULL};
	snprintf(signame, sizeof signame, "%s/%s", rd->root, CASES_BUNDLE_SIGNATURE);
	snprintf(manname, sizeof manname, "%s/%s", rd->root, CASES_BUNDLE_MANIFEST);
	r->pinned = pinned != NULL;
	if (!rd->have_signature) {
		issue(r, CASES_BUNDLE_MISSING, signame, "the bundle carries no signature");
		return 1;
	}
	struct jsondoc_err je = {why, sizeof why};
	json_t *doc = jsondoc_load(&je, rd->signature, rd->signature_len,
				   CASES_BUNDLE_SIGNATURE_MAX, CASES_BUNDLE_SIG_FORMAT,
				   CASES_BUNDLE_VERSION, top);
	const char *alg = NULL, *man = NULL, *h = NULL, *k = NULL, *s = NULL;
	if (doc && json_unpack(doc, "{s:s, s:s, s:s, s:s, s:s}", "algorithm", &alg, "manifest",
			       &man, "manifest_sha256", &h, "public_key", &k, "signature",
			       &s) != 0)
		snprintf(why, sizeof why, "a field is missing or not text");
	int ok = doc && alg && strcmp(alg, "ed25519") == 0 && man && strcmp(man, manname) == 0 &&
		 hex_exact(h, stated, sizeof stated) == 0 && hex_exact(k, pk, sizeof pk) == 0 &&
		 hex_exact(s, sig, sizeof sig) == 0;
	json_decref(doc);
	if (!ok) {
		issue(r, CASES_BUNDLE_CHANGED, signame, "it does not parse as a signature");
		return 1;
	}
	/* the same values, written as the writer writes them: any other byte
	 * (a space, upper-case hex) is a change too */
	int n = signature_text(text, sizeof text, manname, stated, pk, sig);
	if ((size_t)n != rd->signature_len || memcmp(text, rd->signature, (size_t)n) != 0) {
		issue(r, CASES_BUNDLE_CHANGED, signame, "it is not as written");
		return 1;
	}
	memcpy(r->key, pinned ? pinned : pk, sizeof r->key);
	r->have_key = 1;
	if (pinned && sodium_memcmp(pinned, pk, sizeof pk) != 0) {
		issue(r, CASES_BUNDLE_CHANGED, signame, "it names another key than the pinned one");
		return 1;
	}
	signed_message(msg, stated);
	if (signkey_verify(r->key, (const unsigned char *)msg, SIGNED_LEN, sig) != 0) {
		issue(r, CASES_BUNDLE_CHANGED, signame, "the signature does not verify");
		return 1;
	}
	r->signature_valid = 1;
	if (!rd->have_manifest) {
		issue(r, CASES_BUNDLE_MISSING, manname, "the manifest is missing");
		return 1;
	}
	crypto_hash_sha256(actual, (const unsigned char *)rd->manifest, rd->manifest_len);
	if (sodium_memcmp(actual, stated, sizeof actual) != 0) {
		issue(r, CASES_BUNDLE_CHANGED, manname,
		      "its SHA-256 is not the one the signature vouches for");
		return 1;
	}
	return 0;
}

struct listed {
	char name[CASES_BUNDLE_NAME_MAX + 1];
	uint64_t size;
	unsigned char sha256[CASES_BUNDLE_HASH_BYTES];
	size_t pos;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct listed *)a)->name, ((const struct listed *)b)->name);
}

static int member_by_name(const void *a, const void *b)
{
	const struct member *const *x = a, *const *y = b;
	int c = strcmp((*x)->name, (*y)->name);
	return c ? c : (*x < *y ? -1 : *x > *y);
}

/* Parses the (signed) manifest into a fresh array sorted by name. 0, or 1
 * when unreadable. */
static int parse_manifest(struct reader *rd, struct listed **out, size_t *n)
{
	struct cases_bundle_report *r = rd->r;
	char why[JSONDOC_PATH_MAX + 300], path[JSONDOC_PATH_MAX];
	static const char *const top[] = {"format", "version", "case", "organisation",
					  "exported_at", "exported_by", "hash", "parts", NULL};
	static const char *const by_fields[] = {"account", "username", NULL};
	static const char *const part_fields[] = {"name", "size", "sha256", NULL};
	struct jsondoc_err je = {why, sizeof why};
	char manname[CASES_BUNDLE_NAME_MAX + 1];
	snprintf(manname, sizeof manname, "%s/%s", rd->root, CASES_BUNDLE_MANIFEST);
	*out = NULL;
	*n = 0;
	json_t *doc = jsondoc_load(&je, rd->manifest, rd->manifest_len, CASES_BUNDLE_MANIFEST_MAX,
				   CASES_BUNDLE_FORMAT, CASES_BUNDLE_VERSION, top);
	if (!doc)
		return unreadable(r, manname, "the manifest, though signed, does not parse: %s", why);
	json_int_t case_id = 0, account = 0;
	const char *org = NULL, *at = NULL, *user = NULL, *hash = NULL;
	json_t *by = NULL, *parts = NULL;
	int rc = 1;
	if (json_unpack(doc, "{s:I, s:s, s:s, s:o, s:s, s:o}", "case", &case_id, "organisation",
			&org, "exported_at", &at, "exported_by", &by, "hash", &hash, "parts",
			&parts) != 0 ||
	    !json_is_object(by) || !json_is_array(parts) || strcmp(hash, "sha256") != 0) {
		unreadable(r, manname, "the manifest, though signed, lacks a field");
		goto out;
	}
	if (jsondoc_only_fields(&je, "exported_by", by, by_fields) != 0 ||
	    json_unpack(by, "{s:I, s:s}", "account", &account, "username", &user) != 0) {
		unreadable(r, manname, "the manifest's exported_by is not as written");
		goto out;
	}
	char rootname[32];
	snprintf(rootname, sizeof rootname, "case-%lld", (long long)case_id);
	if (case_id <= 0 || strcmp(rootname, rd->root) != 0) {
		unreadable(r, manname, "the manifest is of case %lld, the parts of %s",
			   (long long)case_id, rd->root);
		goto out;
	}
	size_t np = json_array_size(parts);
	if (np > CASES_BUNDLE_PARTS_MAX) {
		unreadable(r, manname, "the manifest lists more than %d parts",
			   CASES_BUNDLE_PARTS_MAX);
		goto out;
	}
	struct listed *l = xcalloc(np ? np : 1, sizeof *l);
	for (size_t i = 0; i < np; i++) {
		json_t *p = json_array_get(parts, i);
		const char *name = NULL, *sha = NULL;
		json_int_t size = -1;
		jsondoc_path(path, "parts[%zu]", i);
		if (!json_is_object(p) || jsondoc_only_fields(&je, path, p, part_fields) != 0 ||
		    json_unpack(p, "{s:s, s:I, s:s}", "name", &name, "size", &size, "sha256",
				&sha) != 0 ||
		    size < 0 || (uint64_t)size > CASES_BUNDLE_PART_MAX ||
		    strlen(name) > CASES_BUNDLE_NAME_MAX || !path_ok(name, strlen(name)) ||
		    hex_exact(sha, l[i].sha256, sizeof l[i].sha256) != 0) {
			free(l);
			unreadable(r, manname, "the manifest's %s is not as written", path);
			goto out;
		}
		snprintf(l[i].name, sizeof l[i].name, "%s", name);
		l[i].size = (uint64_t)size;
		l[i].pos = i;
		if (is_special(rd, name, CASES_BUNDLE_MANIFEST) ||
		    is_special(rd, name, CASES_BUNDLE_SIGNATURE)) {
			free(l);
			unreadable(r, manname, "the manifest lists itself or the signature");
			goto out;
		}
	}
	qsort(l, np, sizeof *l, by_name);
	for (size_t i = 1; i < np; i++)
		if (strcmp(l[i - 1].name, l[i].name) == 0) {
			char shown[CASES_BUNDLE_NAME_MAX + 1];
			clean(shown, sizeof shown, l[i].name, strlen(l[i].name));
			free(l);
			unreadable(r, manname, "the manifest lists %s twice", shown);
			goto out;
		}
	r->manifest_valid = 1;
	r->case_id = case_id;
	clean(r->org_code, sizeof r->org_code, org, strlen(org));
	clean(r->exported_at, sizeof r->exported_at, at, strlen(at));
	r->account_id = account;
	clean(r->username, sizeof r->username, user, strlen(user));
	r->nparts = np;
	*out = l;
	*n = np;
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

/* Compares the archive with the manifest, reporting in manifest order, then
 * what the archive holds beyond it in archive order. */
static void compare(struct reader *rd, struct listed *l, size_t nl)
{
	struct cases_bundle_report *r = rd->r;
	struct member **by = xcalloc(rd->nm, sizeof *by);
	for (size_t i = 0; i < rd->nm; i++)
		by[i] = &rd->m[i];
	qsort(by, rd->nm, sizeof *by, member_by_name);
	/* a name found again later in the archive is a duplicate */
	for (size_t i = 1; i < rd->nm; i++)
		if (strcmp(by[i - 1]->name, by[i]->name) == 0)
			by[i]->flagged = 2;
	/* manifest order: missing and changed */
	struct listed **order = xcalloc(nl ? nl : 1, sizeof *order);
	for (size_t i = 0; i < nl; i++)
		order[l[i].pos] = &l[i];
	for (size_t i = 0; i < nl; i++) {
		const struct listed *p = order[i];
		struct member key, *kp = &key;
		snprintf(key.name, sizeof key.name, "%s", p->name);
		size_t lo = 0, hi = rd->nm;
		while (lo < hi) {   /* the first member with this name */
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(by[mid]->name, kp->name) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == rd->nm || strcmp(by[lo]->name, p->name) != 0) {
			issue(r, CASES_BUNDLE_MISSING, p->name, "listed in the manifest, not in the file");
			continue;
		}
		struct member *m = by[lo];
		m->flagged = m->flagged ? m->flagged : 1;
		if (m->size != p->size)
			issue(r, CASES_BUNDLE_CHANGED, p->name, "its size differs from the manifest's");
		else if (sodium_memcmp(m->sha256, p->sha256, sizeof m->sha256) != 0)
			issue(r, CASES_BUNDLE_CHANGED, p->name, "its SHA-256 differs from the manifest's");
	}
	free(order);
	free(by);
	/* archive order: duplicates and extras */
	int seen_manifest = 0, seen_signature = 0;
	for (size_t i = 0; i < rd->nm; i++) {
		struct member *m = &rd->m[i];
		int special = 0;
		if (is_special(rd, m->name, CASES_BUNDLE_MANIFEST))
			special = ++seen_manifest;
		else if (is_special(rd, m->name, CASES_BUNDLE_SIGNATURE))
			special = ++seen_signature;
		if (special > 1 || m->flagged == 2)
			issue(r, CASES_BUNDLE_DUPLICATE, m->name, "a second part of the same name");
		else if (!special && !m->flagged)
			issue(r, CASES_BUNDLE_EXTRA, m->name, "in the file, not in the manifest");
	}
}

int cases_bundle_check(cases_bundle_read_fn fn, void *ctx, const unsigned char *pinned,
		       struct cases_bundle_report *r)
{
	memset(r, 0, sizeof *r);
	struct reader *rd = xcalloc(1, sizeof *rd);
	rd->fn = fn;
	rd->ctx = ctx;
	rd->r = r;
	struct listed *l = NULL;
	size_t nl = 0;
	int rc = 0;
	int k = read_archive(rd);
	if (k < 0) {
		snprintf(r->problem, sizeof r->problem, "cannot read the file: %s", strerror(errno));
		rc = -1;
	} else if (k == 0 && check_signature(rd, pinned) == 0 && parse_manifest(rd, &l, &nl) == 0) {
		compare(rd, l, nl);
	}
	free(l);
	free(rd->m);
	free(rd->manifest);
	free(rd->signature);
	free(rd);
	return rc;
}

struct memsrc {
	const unsigned char *p;
	size_t n, at;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct memsrc *m = ctx;
	size_t k = m->n - m->at < n ? m->n - m->at : n;
	if (k)
		memcpy(buf, m->p + m->at, k);
	m->at += k;
	return (ssize_t)k;
}

int cases_bundle_check_mem(const void *data, size_t len, const unsigned char *pinned,
			   struct cases_bundle_report *r)
{
	struct memsrc m = {data, len, 0};
	return cases_bundle_check(mem_read, &m, pinned, r);
}

void cases_bundle_report_free(struct cases_bundle_report *r)
{
	free(r->issues);
	r->issues = NULL;
	r->nissues = 0;
}
