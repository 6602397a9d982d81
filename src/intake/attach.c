/* attach.c: the type of an attachment from its content (libmagic), the
 * allow-list, and display names.
 *
 * One libmagic handle behind a mutex. A handle is not thread-safe, and one
 * per worker would mean loading the database (several MiB, parsed into
 * memory) in every thread, after the sandbox is up. A mutex costs little:
 * libmagic sees at most SNIFF_MAX bytes per call, which takes under a
 * millisecond for binary types and at most tens of milliseconds for text
 * (magic_params below), and uploads are rare next to page views. The checks
 * of our own that read the whole file (UTF-8, a ZIP's central directory) run
 * outside the lock. */
#include "intake/attach.h"

#include <magic.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "web/form.h"
#include "web/i18n.h"

/* One set of limits: the web layer's upload limits carry intake.h's. */
_Static_assert(FORM_UPLOAD_FILE_MAX == INTAKE_FILE_MAX, "form.h and intake.h disagree");
_Static_assert(FORM_UPLOAD_FILES == INTAKE_FILES_MAX, "form.h and intake.h disagree");
_Static_assert(FORM_UPLOAD_FILES_TOTAL == INTAKE_FILES_TOTAL, "form.h and intake.h disagree");

/* libmagic reads at most this prefix. Every allowed type is recognised from
 * its first bytes (the deepest look is Office Open XML's, a few KiB into the
 * ZIP); text's encoding is judged on a prefix, and we check the whole text
 * ourselves. Bounding it keeps a hostile file from making libmagic slow. */
#define SNIFF_MAX (64u * 1024u)

#ifdef MAGIC_NO_COMPRESS_FORK
#define NO_COMPRESS_FORK MAGIC_NO_COMPRESS_FORK  /* 5.44: moot with no decompression, but say it */
#else
#define NO_COMPRESS_FORK 0
#endif

/* What libmagic may do. MIME type only; no looking into compressed data
 * (no decompressors, no helper processes: the sandbox forbids fork anyway);
 * no tar, ELF, CDF (old MS Office), OS/2 application type or JSON parsers,
 * whose results we would refuse anyway: less parser code runs on hostile
 * bytes. Text, encoding and CSV checks stay on: they tell text from binary. */
#define MAGIC_FLAGS                                                                        \
	(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR |   \
	 MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_CDF | MAGIC_NO_CHECK_APPTYPE |               \
	 MAGIC_NO_CHECK_JSON | NO_COMPRESS_FORK)

/* Bounds on libmagic's work per call, lower than its defaults where the
 * allowed types need less. The costly inputs are text: its rules for
 * scripts and source code run regular expressions over every line, so 64 KiB
 * of newlines took 250-400 ms with the default regex limit and takes about
 * 30 ms with these. What a lower limit can make libmagic miss is the kind of
 * a text (a script recognised by a line deep inside); such a file is then
 * accepted as text/plain and served as .txt, which is harmless. */
static const struct {
	int param;
	size_t value;
} magic_params[] = {
	{MAGIC_PARAM_BYTES_MAX, SNIFF_MAX},
	{MAGIC_PARAM_ENCODING_MAX, 16 * 1024}, /* bytes examined to tell text's encoding (64 KiB) */
	{MAGIC_PARAM_REGEX_MAX, 1024},         /* lines or bytes a regex may scan (8192) */
	{MAGIC_PARAM_INDIR_MAX, 15},           /* indirect offsets followed (50) */
	{MAGIC_PARAM_NAME_MAX, 30},            /* nested named magic (50) */
};

/* Extra checks on the whole content, beyond libmagic's prefix. */
enum check {
	CHECK_NONE,
	CHECK_UTF8,    /* text: all of it valid UTF-8, no NUL */
	CHECK_NO_NUL,  /* e-mail: 8-bit bodies in other charsets are normal, NUL is not */
	CHECK_ZIP,     /* ODF/OOXML: a readable central directory without macros */
};

/* The allow-list. magic is libmagic's name for the type; mime is what is
 * stored and served (the registered name where libmagic uses an x- one). */
struct kind {
	const char *magic;
	const char *mime;
	const char *ext;
	enum check check;
};

static const struct kind kinds[] = {
	/* the usual form of letters, scans and exports; PDF can carry JavaScript,
	 * so handlers open it in a viewer that does not run it (a browser's) */
	{"application/pdf", "application/pdf", "pdf", CHECK_NONE},
	/* photos and screenshots; HEIC is what iPhones take photos in. Not SVG:
	 * it is a document that can run script */
	{"image/png", "image/png", "png", CHECK_NONE},
	{"image/jpeg", "image/jpeg", "jpg", CHECK_NONE},
	{"image/gif", "image/gif", "gif", CHECK_NONE},
	{"image/webp", "image/webp", "webp", CHECK_NONE},
	{"image/heic", "image/heic", "heic", CHECK_NONE},
	/* notes and exported data; served as text, never as HTML */
	{"text/plain", "text/plain", "txt", CHECK_UTF8},
	{"text/csv", "text/csv", "csv", CHECK_UTF8},
	/* office documents of the government's open standard (OpenDocument) and
	 * of Microsoft Office; without macros (CHECK_ZIP) */
	{"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text",
	 "odt", CHECK_ZIP},
	{"application/vnd.oasis.opendocument.spreadsheet",
	 "application/vnd.oasis.opendocument.spreadsheet", "ods", CHECK_ZIP},
	{"application/vnd.oasis.opendocument.presentation",
	 "application/vnd.oasis.opendocument.presentation", "odp", CHECK_ZIP},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
	 CHECK_ZIP},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", CHECK_ZIP},
	{"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	 "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
	 CHECK_ZIP},
	/* a saved e-mail is often the evidence itself. It may hold HTML parts and
	 * attachments of any kind, which a mail program shows without running */
	{"message/rfc822", "message/rfc822", "eml", CHECK_NO_NUL},
	/* recorded conversations and voice messages: MP3, M4A (phones' voice
	 * memos; some recorders label them MP4, which libmagic calls video),
	 * Ogg (WhatsApp voice messages are Opus in Ogg), WAV (dictaphones),
	 * AMR and 3GPP (Android call recorders) */
	{"audio/mpeg", "audio/mpeg", "mp3", CHECK_NONE},
	{"audio/x-m4a", "audio/mp4", "m4a", CHECK_NONE},
	{"video/mp4", "video/mp4", "mp4", CHECK_NONE},
	{"audio/ogg", "audio/ogg", "ogg", CHECK_NONE},
	{"audio/x-wav", "audio/wav", "wav", CHECK_NONE},
	{"audio/amr", "audio/amr", "amr", CHECK_NONE},
	{"video/3gpp", "video/3gpp", "3gp", CHECK_NONE},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;  /* NULL until attach_init succeeds */

/* What the last refused content appeared to be, per thread (attach.h). */
static _Thread_local char seen[96];

static const struct kind *kind_by_magic(const char *m)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].magic, m) == 0)
			return &kinds[i];
	return NULL;
}

/* ---- ZIP: ODF and OOXML --------------------------------------------------- */

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* What the central directory's names say. */
struct zip_facts {
	int content_types;      /* [Content_Types].xml: an OPC package (OOXML) */
	int docx, xlsx, pptx;   /* the main part of each Office Open XML kind */
	int active;             /* macros or ActiveX */
};

/* Whether name[0..n) equals s, ignoring ASCII case (OPC part names are
 * case-insensitive; for ODF, being stricter than it is does no harm). */
static int name_is(const unsigned char *name, size_t n, const char *s)
{
	return n == strlen(s) && strncasecmp((const char *)name, s, n) == 0;
}

static int name_starts(const unsigned char *name, size_t n, const char *s)
{
	size_t k = strlen(s);
	return n >= k && strncasecmp((const char *)name, s, k) == 0;
}

static void zip_name(struct zip_facts *f, const unsigned char *name, size_t n)
{
	if (name_is(name, n, "[Content_Types].xml"))
		f->content_types = 1;
	else if (name_is(name, n, "word/document.xml"))
		f->docx = 1;
	else if (name_is(name, n, "xl/workbook.xml"))
		f->xlsx = 1;
	else if (name_is(name, n, "ppt/presentation.xml"))
		f->pptx = 1;
	/* Office keeps VBA macros in vbaProject.bin and ActiveX controls under
	 * activeX/; OpenDocument keeps Basic macros under Basic/ and other
	 * scripts under Scripts/ */
	size_t last = n;
	while (last > 0 && name[last - 1] != '/')
		last--;
	if (name_is(name + last, n - last, "vbaProject.bin") ||
	    name_starts(name, n, "Basic/") || name_starts(name, n, "Scripts/"))
		f->active = 1;
	for (size_t i = 0; i + 8 <= n; i++)
		if ((i == 0 || name[i - 1] == '/') && strncasecmp((const char *)name + i, "activeX/", 8) == 0)
			f->active = 1;
}

#define EOCD_SIG 0x06054b50u
#define CDH_SIG 0x02014b50u
#define EOCD_LEN 22
#define CDH_LEN 46

/* Reads the names of a ZIP's central directory, which is what office programs
 * read to find the parts. Returns 0, or -1 when d[0..n) is not a single-disk
 * ZIP ending in its end record (with its comment); ZIP64 is refused too, as
 * no office document under INTAKE_FILE_MAX needs it. Every offset is checked
 * against n before it is read. */
static int zip_read(const unsigned char *d, size_t n, struct zip_facts *f)
{
	memset(f, 0, sizeof *f);
	if (n < EOCD_LEN)
		return -1;
	/* the end record sits at the end, followed only by its comment (< 64 KiB) */
	size_t e = n - EOCD_LEN, lowest = n - EOCD_LEN > 0xffff ? n - EOCD_LEN - 0xffff : 0;
	for (;;) {
		if (le32(d + e) == EOCD_SIG && e + EOCD_LEN + le16(d + e + 20) == n)
			break;
		if (e == lowest)
			return -1;
		e--;
	}
	uint16_t disk = le16(d + e + 4), cd_disk = le16(d + e + 6);
	uint16_t here = le16(d + e + 8), total = le16(d + e + 10);
	uint32_t cd_size = le32(d + e + 12), cd_off = le32(d + e + 16);
	if (disk != 0 || cd_disk != 0 || here != total || total == 0xffff ||
	    cd_size == 0xffffffffu || cd_off == 0xffffffffu)
		return -1;
	if (cd_off > e || cd_size > e - cd_off)
		return -1;
	size_t p = cd_off, end = (size_t)cd_off + cd_size;
	for (unsigned i = 0; i < total; i++) {
		if (end - p < CDH_LEN || le32(d + p) != CDH_SIG)
			return -1;
		size_t nlen = le16(d + p + 28), xlen = le16(d + p + 30), clen = le16(d + p + 32);
		if (end - p - CDH_LEN < nlen + xlen + clen)
			return -1;
		zip_name(f, d + p + CDH_LEN, nlen);
		p += CDH_LEN + nlen + xlen + clen;
	}
	return p == end ? 0 : -1;
}

/* The Office Open XML kind a ZIP's names show, for a libmagic that calls it
 * just a ZIP (older versions, or parts in an order its rules do not foresee).
 * Exactly one main part, and the package's content types, or NULL: any other
 * ZIP stays an archive. */
static const struct kind *ooxml_by_names(const struct zip_facts *f)
{
	if (!f->content_types || f->docx + f->xlsx + f->pptx != 1)
		return NULL;
	return kind_by_magic(
		f->docx   ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		: f->xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			  : "application/vnd.openxmlformats-officedocument.presentationml.presentation");
}

/* ---- sniffing ------------------------------------------------------------- */

int attach_init(char *err, size_t errlen)
{
	int rc = -1;
	pthread_mutex_lock(&lock);
	if (cookie) {
		rc = 0;
		goto out;
	}
	magic_t m = magic_open(MAGIC_FLAGS);
	if (!m) {
		snprintf(err, errlen, "cannot start libmagic (out of memory)");
		goto out;
	}
	for (size_t i = 0; i < sizeof magic_params / sizeof magic_params[0]; i++) {
		if (magic_setparam(m, magic_params[i].param, &magic_params[i].value) != 0) {
			snprintf(err, errlen, "cannot bound libmagic's work (parameter %d): %s",
				 magic_params[i].param, magic_error(m) ? magic_error(m) : "refused");
			magic_close(m);
			goto out;
		}
	}
	if (magic_load(m, NULL) != 0) {
		snprintf(err, errlen,
			 "cannot load libmagic's database of file types: %s (install libmagic-mgc)",
			 magic_error(m) ? magic_error(m) : "unknown error");
		magic_close(m);
		goto out;
	}
	/* a database that loads but does not know the commonest types would
	 * make every upload fail: find out now, not at the first report */
	static const unsigned char pdf[] = "%PDF-1.4\n%%EOF\n";
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\b\0\0\0\0";
	const char *a = magic_buffer(m, pdf, sizeof pdf - 1);
	int pdf_ok = a && strcmp(a, "application/pdf") == 0;
	const char *b = magic_buffer(m, png, sizeof png - 1);
	if (!pdf_ok || !b || strcmp(b, "image/png") != 0) {
		snprintf(err, errlen,
			 "libmagic's database does not recognise PDF and PNG files; install "
			 "Debian's libmagic-mgc, or check the MAGIC environment variable");
		magic_close(m);
		goto out;
	}
	cookie = m;
	rc = 0;
out:
	pthread_mutex_unlock(&lock);
	return rc;
}

/* libmagic's answer for d[0..n), copied into seen; -1 when it has none. */
static int ask_magic(const unsigned char *d, size_t n)
{
	/* cut the prefix on a character boundary, so that text that is UTF-8
	 * does not look broken where the cut falls */
	if (n > SNIFF_MAX) {
		n = SNIFF_MAX;
		for (int k = 0; k < 3 && (d[n] & 0xc0) == 0x80; k++)
			n--;
	}
	int rc = -1;
	pthread_mutex_lock(&lock);
	if (cookie) {
		const char *m = magic_buffer(cookie, d, n);
		if (m) {
			/* only the characters a MIME type has: the database is
			 * trusted, but this string reaches pages and tests */
			size_t k = 0;
			for (; m[k] && k + 1 < sizeof seen; k++) {
				char c = m[k];
				int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
					 c == '.' || c == '+' || c == '-' || c == '/';
				seen[k] = ok ? c : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : '_';
			}
			seen[k] = 0;
			rc = k ? 0 : -1;
		}
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

static int has_nul(const unsigned char *d, size_t n)
{
	return memchr(d, 0, n) != NULL;
}

/* Runs a kind's own check on the whole content. */
static enum attach_refusal check_kind(const struct kind *k, const unsigned char *d, size_t n)
{
	struct zip_facts f;
	switch (k->check) {
	case CHECK_NONE:
		return ATTACH_OK;
	case CHECK_UTF8:
		return utf8_valid((const char *)d, n) ? ATTACH_OK : ATTACH_ETEXT;
	case CHECK_NO_NUL:
		return has_nul(d, n) ? ATTACH_ETEXT : ATTACH_OK;
	case CHECK_ZIP:
		if (zip_read(d, n, &f) != 0)
			return ATTACH_EDAMAGED;
		if (f.active)
			return ATTACH_EACTIVE;
		/* an Office Open XML package without its content types is not one */
		if (strstr(k->magic, "openxmlformats") && !f.content_types)
			return ATTACH_EDAMAGED;
		return ATTACH_OK;
	}
	return ATTACH_EUNAVAILABLE;
}

int attach_check(const unsigned char *data, size_t len, const char **mime_out,
		 const char **ext_out, enum attach_refusal *why)
{
	enum attach_refusal r;
	const struct kind *k = NULL;
	if (len == 0) {
		snprintf(seen, sizeof seen, "inode/x-empty");
		r = ATTACH_EEMPTY;
	} else if (len > INTAKE_FILE_MAX) {
		snprintf(seen, sizeof seen, "application/octet-stream");
		r = ATTACH_ETOOBIG;
	} else if (ask_magic(data, len) != 0) {
		snprintf(seen, sizeof seen, "application/octet-stream");
		r = ATTACH_EUNAVAILABLE;
	} else {
		k = kind_by_magic(seen);
		/* a ZIP libmagic did not place; its buffer mode may call one
		 * that its file mode calls a ZIP "application/octet-stream" */
		if (!k && (strcmp(seen, "application/zip") == 0 ||
			   (strcmp(seen, "application/octet-stream") == 0 && len >= 4 &&
			    memcmp(data, "PK\3\4", 4) == 0))) {
			struct zip_facts f;
			if (zip_read(data, len, &f) == 0)
				k = ooxml_by_names(&f);
		}
		r = k ? check_kind(k, data, len) : ATTACH_ETYPE;
	}
	if (r != ATTACH_OK)
		k = NULL;
	if (mime_out)
		*mime_out = k ? k->mime : seen;
	if (ext_out)
		*ext_out = k ? k->ext : NULL;
	if (why)
		*why = r;
	return k ? 0 : -1;
}

int attach_sniff(const unsigned char *data, size_t len, const char **mime_out,
		 const char **ext_out)
{
	return attach_check(data, len, mime_out, ext_out, NULL);
}

const char *attach_refusal_text(enum attach_refusal why)
{
	switch (why) {
	case ATTACH_OK: return "ok";
	case ATTACH_EEMPTY: return N_("The file is empty.");
	case ATTACH_ETOOBIG: return N_("A file is larger than allowed.");
	case ATTACH_ETYPE:
		return N_("Files of this type are not accepted. Send PDF, OpenDocument or Office "
			  "documents, photos, text, e-mail messages or sound recordings.");
	case ATTACH_ETEXT:
		return N_("This text file is not in UTF-8. Save it as UTF-8 text or as PDF and "
			  "send it again.");
	case ATTACH_EACTIVE:
		return N_("A document with macros is not accepted. Save it without macros (for "
			  "example as .docx, .xlsx or PDF) and send it again.");
	case ATTACH_EDAMAGED:
		return N_("The file seems damaged and cannot be accepted.");
	case ATTACH_EUNAVAILABLE:
		return N_("The file could not be checked. Please try again later.");
	}
	return N_("The file could not be checked. Please try again later.");
}

/* ---- display names -------------------------------------------------------- */

/* Decodes one character of s[0..n) (n > 0) into *cp; returns the bytes it
 * took. Anything that is not well-formed UTF-8 (utf8.c's rules) is one byte
 * and U+FFFD. */
static size_t next_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	*cp = 0xfffd;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t v;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : lo;
		hi = c == 0xed ? 0x9f : hi;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : lo;
		hi = c == 0xf4 ? 0x8f : hi;
	} else {
		return 1;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 1;
	for (size_t k = 1; k < len; k++) {
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 1;
		v = v << 6 | (s[k] & 0x3f);
	}
	*cp = v;
	return len;
}

static size_t put_char(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Characters a shown name never holds: controls, and the invisible ones
 * that reorder or hide text ("invoice\u202Efdp.exe" shows as
 * "invoiceexe.pdf"). */
static int dropped(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff;
}

/* Removes trailing dots and spaces from s[0..*n). */
static void trim_end(const char *s, size_t *n)
{
	while (*n > 0 && (s[*n - 1] == '.' || s[*n - 1] == ' '))
		(*n)--;
}

/* Whether s[0..n) ends in "." ext, ignoring ASCII case. */
static int ends_with_ext(const char *s, size_t n, const char *ext)
{
	size_t e = strlen(ext);
	return n > e && s[n - e - 1] == '.' && strncasecmp(s + n - e, ext, e) == 0;
}

void attach_clean_name(const char *uploaded, size_t len, char out[ATTACH_NAME_MAX + 1],
		       const char *ext)
{
	const unsigned char *s = (const unsigned char *)(len ? uploaded : "");
	/* the last path component: both separators, whichever system sent it */
	size_t start = len;
	while (start > 0 && s[start - 1] != '/' && s[start - 1] != '\\')
		start--;
	size_t n = 0;
	int lead = 1;  /* still at the start: dots and spaces are dropped there */
	for (size_t i = start; i < len;) {
		uint32_t cp;
		i += next_char(s + i, len - i, &cp);
		if (dropped(cp))
			continue;
		if (lead && (cp == '.' || cp == ' '))
			continue;
		lead = 0;
		if (cp < 0x80 && strchr("\"*:<>?|", (int)cp))
			cp = '_';
		char enc[4];
		size_t k = put_char(cp, enc);
		if (n + k > ATTACH_NAME_MAX)
			break;  /* cut on a character boundary */
		memcpy(out + n, enc, k);
		n += k;
	}
	trim_end(out, &n);
	if (n == 0) {
		memcpy(out, "bijlage", 7);
		n = 7;
	}
	if (ext && *ext && !ends_with_ext(out, n, ext) &&
	    !(strcmp(ext, "jpg") == 0 && ends_with_ext(out, n, "jpeg"))) {
		size_t e = strlen(ext);
		if (e + 1 >= ATTACH_NAME_MAX) {
			e = 0;  /* no extension is that long; never a caller's */
		} else {
			/* make room, cutting the stem on a character boundary */
			while (n + 1 + e > ATTACH_NAME_MAX)
				do
					n--;
				while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80);
			trim_end(out, &n);
			if (n == 0) {
				memcpy(out, "bijlage", 7);
				n = 7;
			}
			out[n++] = '.';
			memcpy(out + n, ext, e);
			n += e;
		}
	}
	out[n] = 0;
}
