/* test_intake_attach.c: attachments by content (src/intake/attach.c).
 * Every allowed type from a small sample made here (office documents are
 * ZIPs built by zip() below), every refused kind (executables, scripts,
 * HTML, SVG, archives, empty, text not in UTF-8, macros, broken ZIPs,
 * oversize), the checks beyond libmagic's prefix, the mutex under threads,
 * sniffing inside the seccomp sandbox, and display names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/utf8.h"
#include "intake/attach.h"
#include "web/sandbox.h"

/* ---- samples ---------------------------------------------------------------- */

#define S(lit) (const unsigned char *)(lit), sizeof(lit) - 1

static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\0\0\0\0:~\x9bU"
			  "\0\0\0\nIDATx\x9c" "c`\0\0\0\2\0\1H\xaf\xa4q\0\0\0\0IEND\xae" "B`\x82";
static const char jpg[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\1\1\0\0\1\0\1\0\0\xff\xd9";
static const char gif[] = "GIF89a\1\0\1\0\0\0\0;";
static const char webp[] = "RIFF\x1a\0\0\0WEBPVP8L\r\0\0\0/\0\0\0\0\0\0\0\0\0\0\0\0\0";
static const char heic[] = "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic\0\0\0\x08mdat";
static const char txt[] = "Melding over caf\xc3\xa9 \xe2\x82\xac 12\nTweede regel\n";
static const char csv[] = "naam,datum,bedrag\nJan,2024-01-01,12\nPiet,2024-02-01,13\n"
			  "Kees,2024-03-01,14\n";
static const char eml[] = "From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n"
			  "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\nbody\r\n";
static const char m4a[] = "\0\0\0\x18" "ftypM4A \0\0\0\0M4A isom\0\0\0\x08mdat";
static const char mp4[] = "\0\0\0\x18" "ftypmp42\0\0\0\0mp42isom\0\0\0\x08mdat";
static const char gp3[] = "\0\0\0\x14" "ftyp3gp4\0\0\0\0isom\0\0\0\x08mdat";
static const char ogg[] = "OggS\0\2\0\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\1\x13OpusHead\1\1"
			  "8\1\x80\xbb\0\0\0\0\0";
static const char wav[] = "RIFF$\0\0\0WAVEfmt \x10\0\0\0\1\0\1\0@\x1f\0\0\x80>\0\0\2\0\x10\0"
			  "data\0\0\0\0";
static const char amr[] = "#!AMR\n<\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

static const char elf[] = "\x7f" "ELF\2\1\1\0\0\0\0\0\0\0\0\0\2\0>\0\1\0\0\0\0\0\0\0\0\0\0\0"
			  "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
static const char shell[] = "#!/bin/sh\necho hi\n";
static const char python[] = "#!/usr/bin/env python3\nprint(1)\n";
static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n";
static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
			  "<script>alert(1)</script></svg>\n";
static const char latin1[] = "caf\xe9 en meer tekst in Latin-1\n";
static const char utf16[] = "\xff\xfeh\0a\0l\0l\0o\0 \0w\0e\0r\0e\0l\0d\0\n\0";
static const char eml_nul[] = "From: a@example.org\r\nSubject: hi\r\n\r\nbody\0\0\0\x7f" "ELF\r\n";

/* A mutable buffer for what the tests build. */
struct bytes {
	unsigned char *p;
	size_t n;
};

/* ---- a minimal ZIP writer (stored entries), for office documents ----------- */

struct zent {
	const char *name;
	const char *data;
};

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void put16(unsigned char **o, unsigned v)
{
	*(*o)++ = (unsigned char)v;
	*(*o)++ = (unsigned char)(v >> 8);
}

static void put32(unsigned char **o, uint32_t v)
{
	put16(o, v & 0xffff);
	put16(o, v >> 16);
}

static void putb(unsigned char **o, const void *p, size_t n)
{
	memcpy(*o, p, n);
	*o += n;
}

/* Builds a ZIP of the entries, in order, stored uncompressed. */
static struct bytes zip(const struct zent *e, size_t n)
{
	size_t cap = 22;
	for (size_t i = 0; i < n; i++)
		cap += 30 + 46 + 2 * strlen(e[i].name) + strlen(e[i].data);
	struct bytes b = {malloc(cap), 0};
	assert_non_null(b.p);
	unsigned char *o = b.p;
	uint32_t off[16];
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name), dl = strlen(e[i].data);
		off[i] = (uint32_t)(o - b.p);
		put32(&o, 0x04034b50);
		put16(&o, 20), put16(&o, 0), put16(&o, 0), put16(&o, 0), put16(&o, 0x21);
		put32(&o, crc32((const unsigned char *)e[i].data, dl));
		put32(&o, (uint32_t)dl), put32(&o, (uint32_t)dl);
		put16(&o, (unsigned)nl), put16(&o, 0);
		putb(&o, e[i].name, nl);
		putb(&o, e[i].data, dl);
	}
	uint32_t cd = (uint32_t)(o - b.p);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name), dl = strlen(e[i].data);
		put32(&o, 0x02014b50);
		put16(&o, 20), put16(&o, 20), put16(&o, 0), put16(&o, 0), put16(&o, 0);
		put16(&o, 0x21);
		put32(&o, crc32((const unsigned char *)e[i].data, dl));
		put32(&o, (uint32_t)dl), put32(&o, (uint32_t)dl);
		put16(&o, (unsigned)nl), put16(&o, 0), put16(&o, 0), put16(&o, 0), put16(&o, 0);
		put32(&o, 0), put32(&o, off[i]);
		putb(&o, e[i].name, nl);
	}
	uint32_t cdlen = (uint32_t)(o - b.p) - cd;
	put32(&o, 0x06054b50);
	put16(&o, 0), put16(&o, 0), put16(&o, (unsigned)n), put16(&o, (unsigned)n);
	put32(&o, cdlen), put32(&o, cd), put16(&o, 0);
	b.n = (size_t)(o - b.p);
	assert_true(b.n <= cap);
	return b;
}

#define ZIP(...) zip((const struct zent[]){__VA_ARGS__}, \
		     sizeof((const struct zent[]){__VA_ARGS__}) / sizeof(struct zent))

#define CT {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"}
#define RELS {"_rels/.rels", "<?xml version=\"1.0\"?><Relationships/>"}
#define ODF_MIME(t) {"mimetype", "application/vnd.oasis.opendocument." t}
#define ODF_PARTS {"content.xml", "<office:document-content/>"}, \
		  {"META-INF/manifest.xml", "<manifest:manifest/>"}

static struct bytes docx(void)
{
	return ZIP(CT, RELS, {"word/document.xml", "<w:document/>"});
}

/* ---- helpers ---------------------------------------------------------------- */

/* attach_check's verdict: 0 or -1, with mime, ext and why. */
struct verdict {
	int rc;
	const char *mime, *ext;
	enum attach_refusal why;
};

static struct verdict check(const unsigned char *d, size_t n)
{
	struct verdict v;
	v.rc = attach_check(d, n, &v.mime, &v.ext, &v.why);
	assert_non_null(v.mime);
	return v;
}

static void expect_ok(const unsigned char *d, size_t n, const char *mime, const char *ext)
{
	struct verdict v = check(d, n);
	if (v.rc != 0)
		fail_msg("expected %s, refused (%d) as %s", mime, v.why, v.mime);
	assert_int_equal(v.why, ATTACH_OK);
	assert_string_equal(v.mime, mime);
	assert_string_equal(v.ext, ext);
	/* the stored type fits intake.h's field */
	assert_true(strlen(v.mime) <= INTAKE_MIME_MAX);
	/* attach_sniff agrees and takes NULL outs */
	const char *m2 = NULL, *e2 = NULL;
	assert_int_equal(attach_sniff(d, n, &m2, &e2), 0);
	assert_ptr_equal(m2, v.mime);
	assert_ptr_equal(e2, v.ext);
	assert_int_equal(attach_sniff(d, n, NULL, NULL), 0);
}

/* Refused for reason why; seen, when not NULL, is what it was taken for. */
static void expect_refused(const unsigned char *d, size_t n, enum attach_refusal why,
			   const char *seen)
{
	struct verdict v = check(d, n);
	if (v.rc == 0)
		fail_msg("expected a refusal (%d), accepted as %s", why, v.mime);
	assert_int_equal(v.rc, -1);
	assert_null(v.ext);
	assert_int_equal(v.why, why);
	if (seen)
		assert_string_equal(v.mime, seen);
}

static void expect_refused_free(struct bytes b, enum attach_refusal why)
{
	expect_refused(b.p, b.n, why, NULL);
	free(b.p);
}

/* ---- tests ------------------------------------------------------------------ */

/* Runs first: without the database nothing is accepted (fail closed). */
static void test_before_init(void **state)
{
	(void)state;
	expect_refused(S(pdf), ATTACH_EUNAVAILABLE, "application/octet-stream");
}

static void test_init(void **state)
{
	(void)state;
	char err[300] = "";
	assert_int_equal(attach_init(err, sizeof err), 0);
	assert_int_equal(attach_init(err, sizeof err), 0); /* once is enough; again is harmless */
}

static void test_allowed_types(void **state)
{
	(void)state;
	expect_ok(S(pdf), "application/pdf", "pdf");
	expect_ok(S(png), "image/png", "png");
	expect_ok(S(jpg), "image/jpeg", "jpg");
	expect_ok(S(gif), "image/gif", "gif");
	expect_ok(S(webp), "image/webp", "webp");
	expect_ok(S(heic), "image/heic", "heic");
	expect_ok(S(txt), "text/plain", "txt");
	expect_ok(S(csv), "text/csv", "csv");
	expect_ok(S(eml), "message/rfc822", "eml");
	expect_ok(S(m4a), "audio/mp4", "m4a");
	expect_ok(S(mp4), "video/mp4", "mp4");
	expect_ok(S(gp3), "video/3gpp", "3gp");
	expect_ok(S(ogg), "audio/ogg", "ogg");
	expect_ok(S(wav), "audio/wav", "wav");
	expect_ok(S(amr), "audio/amr", "amr");
	/* MP3: an ID3 tag then frames, and bare frames */
	unsigned char mp3[10 + 3 * 417] = "ID3\3\0\0\0\0\0\0";
	for (size_t i = 0; i < 3; i++)
		memcpy(mp3 + 10 + i * 417, "\xff\xfb\x90\x64", 4);
	expect_ok(mp3, sizeof mp3, "audio/mpeg", "mp3");
	expect_ok(mp3 + 10, sizeof mp3 - 10, "audio/mpeg", "mp3");
}

static void test_office_documents(void **state)
{
	(void)state;
	struct bytes b[] = {
		ZIP(ODF_MIME("text"), ODF_PARTS),
		ZIP(ODF_MIME("spreadsheet"), ODF_PARTS),
		ZIP(ODF_MIME("presentation"), ODF_PARTS),
		docx(),
		ZIP(CT, RELS, {"xl/workbook.xml", "<workbook/>"}),
		ZIP(CT, RELS, {"ppt/presentation.xml", "<p:presentation/>"}),
		/* Word's own order puts [Content_Types].xml first; others put it
		 * last or the main part first */
		ZIP(RELS, {"docProps/core.xml", "<c/>"}, {"word/document.xml", "<w/>"}, CT),
		ZIP({"word/document.xml", "<w:document/>"}, CT, RELS),
	};
	static const char *const want[][2] = {
		{"application/vnd.oasis.opendocument.text", "odt"},
		{"application/vnd.oasis.opendocument.spreadsheet", "ods"},
		{"application/vnd.oasis.opendocument.presentation", "odp"},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
		{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
		{"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
	};
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
		expect_ok(b[i].p, b[i].n, want[i][0], want[i][1]);
		free(b[i].p);
	}
}

static void test_refused_types(void **state)
{
	(void)state;
	expect_refused(S(elf), ATTACH_ETYPE, "application/x-executable");
	expect_refused(S(shell), ATTACH_ETYPE, "text/x-shellscript");
	expect_refused(S(python), ATTACH_ETYPE, NULL);
	expect_refused(S(html), ATTACH_ETYPE, "text/html");
	expect_refused(S(svg), ATTACH_ETYPE, "image/svg+xml");
	/* a Windows program */
	unsigned char pe[256] = "MZ\x90";
	memcpy(pe + 60, "\x80\0\0\0", 4);
	memcpy(pe + 128, "PE\0\0", 4);
	expect_refused(pe, sizeof pe, ATTACH_ETYPE, NULL);
	/* archives, even with office-like names inside */
	struct bytes z = ZIP({"notes.txt", "hello"});
	expect_refused(z.p, z.n, ATTACH_ETYPE, "application/zip");
	free(z.p);
	expect_refused_free(ZIP(CT, {"payload.exe", "MZ"}), ATTACH_ETYPE);
	/* two main parts: not one Office document */
	expect_refused_free(ZIP({"mimetype", "x"}, CT, {"word/document.xml", "<w/>"},
				{"xl/workbook.xml", "<x/>"}),
			    ATTACH_ETYPE);
	static const unsigned char gz[] = "\x1f\x8b\x08\0\0\0\0\0\0\3\xcb\x48\xcd\xc9\xc9\x07\0"
					  "\x86\xa6\x10\x36\5\0\0\0";
	expect_refused(gz, sizeof gz - 1, ATTACH_ETYPE, NULL);
	/* nothing, and too much */
	expect_refused((const unsigned char *)"", 0, ATTACH_EEMPTY, "inode/x-empty");
	expect_refused(NULL, 0, ATTACH_EEMPTY, NULL);
	unsigned char *big = calloc(1, INTAKE_FILE_MAX + 1);
	assert_non_null(big);
	memcpy(big, pdf, sizeof pdf - 1);
	expect_refused(big, INTAKE_FILE_MAX + 1, ATTACH_ETOOBIG, NULL);
	expect_ok(big, INTAKE_FILE_MAX, "application/pdf", "pdf");
	free(big);
}

static void test_text_must_be_utf8(void **state)
{
	(void)state;
	expect_refused(S(latin1), ATTACH_ETEXT, "text/plain");
	expect_refused(S(utf16), ATTACH_ETEXT, NULL);
	/* binary in the prefix: libmagic no longer calls it a message */
	expect_refused(S(eml_nul), ATTACH_ETYPE, NULL);
	/* binary beyond the prefix libmagic reads: the check here finds it */
	size_t en = 400 * 1024;
	unsigned char *em = malloc(en);
	assert_non_null(em);
	memset(em, 'x', en);
	memcpy(em, eml, sizeof eml - 1);
	for (size_t i = sizeof eml; i < en; i += 72)
		em[i] = '\n';
	expect_ok(em, en, "message/rfc822", "eml");
	memcpy(em + 300 * 1024, "\0\0\0\x7f" "ELF", 7);
	expect_refused(em, en, ATTACH_ETEXT, "message/rfc822");
	free(em);
	/* 8-bit e-mail in another charset is fine: mail programs read it */
	static const char eml8[] = "From: a@example.org\r\nSubject: hi\r\n\r\ncaf\xe9\r\n";
	expect_ok(S(eml8), "message/rfc822", "eml");

	/* libmagic sees only a prefix: the rest is checked here. 10 MiB of text
	 * whose 3-byte characters straddle the prefix's end */
	size_t n = INTAKE_FILE_MAX;
	unsigned char *t = malloc(n);
	assert_non_null(t);
	for (size_t i = 0; i + 3 <= n; i += 3)
		memcpy(t + i, i % 60 == 57 ? "\n\n\n" : "\xe2\x82\xac", 3);
	for (size_t i = n - n % 3; i < n; i++)
		t[i] = '\n';
	expect_ok(t, n, "text/plain", "txt");
	t[5u << 20] = 0xff; /* a stray byte far beyond the prefix */
	expect_refused(t, n, ATTACH_ETEXT, "text/plain");
	t[5u << 20] = 0; /* or a NUL */
	expect_refused(t, n, ATTACH_ETEXT, "text/plain");
	free(t);
}

static void test_office_with_macros(void **state)
{
	(void)state;
	/* Word and Excel with VBA (a .docm/.xlsm renamed), with ActiveX, and
	 * LibreOffice with Basic or other scripts */
	expect_refused_free(ZIP(CT, RELS, {"word/document.xml", "<w/>"},
				{"word/vbaProject.bin", "VBA"}),
			    ATTACH_EACTIVE);
	expect_refused_free(ZIP(CT, RELS, {"xl/workbook.xml", "<x/>"},
				{"xl/VBAPROJECT.BIN", "VBA"}),
			    ATTACH_EACTIVE);
	expect_refused_free(ZIP(CT, RELS, {"ppt/presentation.xml", "<p/>"},
				{"ppt/activeX/activeX1.xml", "<ax/>"}),
			    ATTACH_EACTIVE);
	expect_refused_free(ZIP(ODF_MIME("text"), ODF_PARTS,
				{"Basic/Standard/Module1.xml", "<script:module/>"}),
			    ATTACH_EACTIVE);
	expect_refused_free(ZIP(ODF_MIME("spreadsheet"), ODF_PARTS,
				{"Scripts/python/x.py", "import os"}),
			    ATTACH_EACTIVE);
	/* a name merely containing the words is not a macro */
	struct bytes ok = ZIP(CT, RELS, {"word/document.xml", "<w/>"},
			      {"word/media/notactiveX/vbaProject.bin.png", "x"});
	expect_ok(ok.p, ok.n, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		  "docx");
	free(ok.p);
}

static void test_broken_zips(void **state)
{
	(void)state;
	struct bytes d = docx();
	/* cut short: libmagic still sees a .docx at the start */
	expect_refused(d.p, d.n - 10, ATTACH_EDAMAGED,
		       "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	/* bytes after the end record */
	unsigned char *longer = malloc(d.n + 4);
	assert_non_null(longer);
	memcpy(longer, d.p, d.n);
	memcpy(longer + d.n, "junk", 4);
	expect_refused(longer, d.n + 4, ATTACH_EDAMAGED, NULL);
	free(longer);
	/* the end record's offsets and counts pointing astray */
	size_t e = d.n - 22;
	static const struct {
		size_t at;
		unsigned char v[4];
		size_t len;
	} edits[] = {
		{16, {0xff, 0xff, 0xff, 0x7f}, 4}, /* directory offset past the end */
		{12, {0xff, 0xff, 0, 0}, 4},       /* directory size past the end */
		{8, {9, 0, 9, 0}, 4},              /* more entries than there are */
		{8, {1, 0}, 2},                    /* entries on this disk != total */
		{4, {1, 0}, 2},                    /* another disk */
		{16, {0xff, 0xff, 0xff, 0xff}, 4}, /* ZIP64 */
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		unsigned char *c = malloc(d.n);
		assert_non_null(c);
		memcpy(c, d.p, d.n);
		memcpy(c + e + edits[i].at, edits[i].v, edits[i].len);
		expect_refused(c, d.n, ATTACH_EDAMAGED, NULL);
		free(c);
	}
	free(d.p);
	/* ODF without a central directory at all */
	struct bytes o = ZIP(ODF_MIME("text"), ODF_PARTS);
	expect_refused(o.p, 80, ATTACH_EDAMAGED, "application/vnd.oasis.opendocument.text");
	free(o.p);
}

/* A ZIP libmagic does not call Office Open XML is judged by its names:
 * with the package's content types and exactly one main part it is one. */
static void test_ooxml_by_names(void **state)
{
	(void)state;
	struct bytes b = ZIP({"mimetype", "x"}, CT, {"word/document.xml", "<w/>"});
	expect_ok(b.p, b.n, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		  "docx");
	free(b.p);
	expect_refused_free(ZIP({"mimetype", "x"}, {"word/document.xml", "<w/>"}), ATTACH_ETYPE);
}

struct job {
	int bad;
};

static void *sniffer(void *arg)
{
	struct job *j = arg;
	struct bytes d = docx();
	for (int i = 0; i < 100; i++) {
		const char *m, *e;
		if (attach_sniff(S(pdf), &m, &e) != 0 || strcmp(e, "pdf") != 0)
			j->bad++;
		if (attach_sniff(d.p, d.n, &m, &e) != 0 || strcmp(e, "docx") != 0)
			j->bad++;
		if (attach_sniff(S(html), &m, &e) != -1 || strcmp(m, "text/html") != 0)
			j->bad++;
	}
	free(d.p);
	return NULL;
}

/* One handle behind a mutex: threads get their own answers. */
static void test_threads(void **state)
{
	(void)state;
	pthread_t t[6];
	struct job j[6] = {{0}};
	for (int i = 0; i < 6; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sniffer, &j[i]), 0);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(j[i].bad, 0);
	}
}

/* Loaded before the sandbox, sniffing works inside it: libmagic runs no
 * helper and opens no file per call. */
static void test_in_sandbox(void **state)
{
	(void)state;
	struct bytes d = docx();
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[300];
		int rc = 10;
		if (sandbox_enter(err, sizeof err) == 0) {
			const char *m, *e;
			rc = attach_sniff(S(pdf), &m, &e) == 0 && attach_sniff(d.p, d.n, &m, &e) == 0 &&
					     attach_sniff(S(txt), &m, &e) == 0 &&
					     attach_sniff(S(elf), &m, &e) == -1
				     ? 0
				     : 11;
		}
		/* _exit: the parent's atexit handlers (LeakSanitizer's) are not
		 * the child's to run */
		_exit(rc);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	free(d.p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_refusal_texts(void **state)
{
	(void)state;
	for (int w = ATTACH_EEMPTY; w <= ATTACH_EUNAVAILABLE; w++) {
		const char *t = attach_refusal_text((enum attach_refusal)w);
		assert_non_null(t);
		assert_true(strlen(t) > 10);
		for (int v = ATTACH_EEMPTY; v < w; v++)
			assert_string_not_equal(t, attach_refusal_text((enum attach_refusal)v));
	}
}

/* ---- display names ---------------------------------------------------------- */

static const char *clean(const char *in, size_t len, const char *ext)
{
	static char out[ATTACH_NAME_MAX + 1];
	memset(out, 'x', sizeof out);
	attach_clean_name(in, len, out, ext);
	size_t n = strlen(out);
	assert_true(n > 0 && n <= ATTACH_NAME_MAX);
	assert_true(utf8_valid(out, n));
	assert_true(out[0] != '.');
	assert_null(strpbrk(out, "/\\\"*:<>?|"));
	return out;
}

#define CLEAN(lit, ext) clean(lit, sizeof(lit) - 1, ext)

static void test_clean_name_paths(void **state)
{
	(void)state;
	assert_string_equal(CLEAN("verslag.pdf", "pdf"), "verslag.pdf");
	assert_string_equal(CLEAN("C:\\Users\\jan\\Bureaublad\\verslag.pdf", "pdf"), "verslag.pdf");
	assert_string_equal(CLEAN("/etc/passwd", "txt"), "passwd.txt");
	assert_string_equal(CLEAN("../../geheim.pdf", "pdf"), "geheim.pdf");
	assert_string_equal(CLEAN("..\\..\\geheim.pdf", "pdf"), "geheim.pdf");
	assert_string_equal(CLEAN("dir/", "pdf"), "bijlage.pdf");
	assert_string_equal(CLEAN("..", "pdf"), "bijlage.pdf");
	assert_string_equal(CLEAN("", "pdf"), "bijlage.pdf");
	assert_string_equal(clean(NULL, 0, "png"), "bijlage.png");
	assert_string_equal(clean(NULL, 0, NULL), "bijlage");
	/* an overlong '/' is not a separator, and not kept either */
	assert_string_equal(CLEAN("a\xc0\xaf" "b.txt", "txt"), "a\xef\xbf\xbd\xef\xbf\xbd" "b.txt");
}

static void test_clean_name_characters(void **state)
{
	(void)state;
	/* leading dots and spaces; trailing dots and spaces */
	assert_string_equal(CLEAN(".htaccess", "txt"), "htaccess.txt");
	assert_string_equal(CLEAN(". . ..verborgen.pdf", "pdf"), "verborgen.pdf");
	assert_string_equal(CLEAN("verslag.pdf. . ", "pdf"), "verslag.pdf");
	assert_string_equal(CLEAN("naam. . .", NULL), "naam");
	/* a right-to-left override that shows "invoiceexe.pdf" */
	assert_string_equal(CLEAN("invoice\xe2\x80\xae" "fdp.exe", "pdf"), "invoicefdp.exe.pdf");
	assert_string_equal(CLEAN("\xe2\x81\xa6" "a\xe2\x81\xa9" "b\xe2\x80\x8f" "c\xd8\x9c.txt", "txt"),
			    "abc.txt");
	/* an override before the dot cannot hide a leading dot */
	assert_string_equal(CLEAN("\xe2\x80\xae.x.pdf", "pdf"), "x.pdf");
	/* control characters: C0, DEL, C1, NUL, line separators, BOM */
	assert_string_equal(CLEAN("a\x01" "b\x7f" "c\tname\r\n.txt", "txt"), "abcname.txt");
	assert_string_equal(CLEAN("a\xc2\x85" "b\xe2\x80\xa8" "c\xef\xbb\xbf.txt", "txt"), "abc.txt");
	assert_string_equal(CLEAN("ab\0cd.pdf", "pdf"), "abcd.pdf");
	/* invalid UTF-8 becomes U+FFFD, one per byte */
	assert_string_equal(CLEAN("\xff\xfe" "naam.pdf", "pdf"), "\xef\xbf\xbd\xef\xbf\xbd" "naam.pdf");
	assert_string_equal(CLEAN("x\xe2\x82.pdf", "pdf"), "x\xef\xbf\xbd\xef\xbf\xbd.pdf");
	assert_string_equal(CLEAN("\xed\xa0\x80.pdf", "pdf"),  /* a surrogate */
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.pdf");
	/* what Windows forbids in names */
	assert_string_equal(CLEAN("a:b*c?\"d<e>f|.pdf", "pdf"), "a_b_c__d_e_f_.pdf");
	/* what is kept: letters of any script, spaces inside, emoji */
	assert_string_equal(CLEAN("Notulen 12 maart \xe2\x80\x93 caf\xc3\xa9 \xf0\x9f\x93\x84.docx",
				  "docx"),
			    "Notulen 12 maart \xe2\x80\x93 caf\xc3\xa9 \xf0\x9f\x93\x84.docx");
}

static void test_clean_name_extension(void **state)
{
	(void)state;
	/* the type decides the extension: a name cannot make text into HTML */
	assert_string_equal(CLEAN("pagina.html", "txt"), "pagina.html.txt");
	assert_string_equal(CLEAN("factuur.pdf.exe", "pdf"), "factuur.pdf.exe.pdf");
	assert_string_equal(CLEAN("scan", "pdf"), "scan.pdf");
	assert_string_equal(CLEAN("SCAN.PDF", "pdf"), "SCAN.PDF");
	assert_string_equal(CLEAN("foto.JPEG", "jpg"), "foto.JPEG");
	assert_string_equal(CLEAN("foto.jpg", "jpg"), "foto.jpg");
	assert_string_equal(CLEAN("foto.jpeg", "png"), "foto.jpeg.png");
	assert_string_equal(CLEAN(".pdf", "pdf"), "pdf.pdf");
	assert_string_equal(CLEAN("geluid.opus", NULL), "geluid.opus");
}

static void test_clean_name_length(void **state)
{
	(void)state;
	char in[1200];
	/* 300 ASCII letters: cut to 255 */
	memset(in, 'a', 300);
	const char *o = clean(in, 300, NULL);
	assert_int_equal(strlen(o), ATTACH_NAME_MAX);
	/* with the extension kept whole at the end */
	o = clean(in, 300, "docx");
	assert_int_equal(strlen(o), ATTACH_NAME_MAX);
	assert_string_equal(o + ATTACH_NAME_MAX - 5, ".docx");
	/* 2-, 3- and 4-byte characters: cut on a character boundary, never
	 * leaving half of one (clean() checks UTF-8) */
	static const char *const chars[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x93\x84"};
	for (size_t c = 0; c < 3; c++) {
		size_t w = strlen(chars[c]);
		for (size_t shift = 0; shift < 4; shift++) {
			size_t n = shift;
			memset(in, 'b', shift);
			while (n + w <= 1000) {
				memcpy(in + n, chars[c], w);
				n += w;
			}
			o = clean(in, n, NULL);
			assert_true(strlen(o) > ATTACH_NAME_MAX - w);
			o = clean(in, n, "pdf");
			assert_true(strlen(o) > ATTACH_NAME_MAX - w - 4);
			assert_string_equal(o + strlen(o) - 4, ".pdf");
		}
	}
	/* a name of only dots and a long extension-less tail */
	memset(in, '.', 1000);
	assert_string_equal(clean(in, 1000, "pdf"), "bijlage.pdf");
	/* trailing dots after the cut are removed too */
	memset(in, 'c', 250);
	memset(in + 250, '.', 100);
	o = clean(in, 350, "txt");
	assert_int_equal(strlen(o), 254);
	assert_string_equal(o + 250, ".txt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_before_init),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_allowed_types),
		cmocka_unit_test(test_office_documents),
		cmocka_unit_test(test_refused_types),
		cmocka_unit_test(test_text_must_be_utf8),
		cmocka_unit_test(test_office_with_macros),
		cmocka_unit_test(test_broken_zips),
		cmocka_unit_test(test_ooxml_by_names),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_in_sandbox),
		cmocka_unit_test(test_refusal_texts),
		cmocka_unit_test(test_clean_name_paths),
		cmocka_unit_test(test_clean_name_characters),
		cmocka_unit_test(test_clean_name_extension),
		cmocka_unit_test(test_clean_name_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
