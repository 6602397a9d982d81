/* attach.h: attachments judged by what they are, not by what they claim.
 *
 * A reporter's upload says two things about itself: a file name and a
 * Content-Type, both chosen by the sender. Neither is trusted. attach_sniff
 * decides the type from the bytes (libmagic, plus structural checks of our
 * own where libmagic looks only at a prefix) and accepts it only when it is
 * on a short allow-list of passive formats that handlers need: documents
 * (PDF, OpenDocument, Office Open XML), images, UTF-8 text and CSV, e-mail
 * messages and sound or video recordings. Executables, scripts, HTML, SVG,
 * archives and anything unknown are refused, and so are office documents
 * that carry macros or ActiveX. attach.c says why each type is on the list.
 *
 * The type decided here, with its extension, is what is stored and later
 * served: the uploaded name is only ever shown. attach_clean_name makes that
 * name safe to show and to offer as a download name; it is never used as a
 * path on the server.
 *
 * libmagic handles are not thread-safe; this module keeps one handle behind
 * a mutex (attach.c explains why that is enough). */
#ifndef INTAKE_ATTACH_H
#define INTAKE_ATTACH_H
#include <stddef.h>
#include <stdint.h>

#include "crypto/envelope.h"
#include "intake/intake.h"

/* Limits (intake.h): INTAKE_FILE_MAX bytes per file, INTAKE_FILES_TOTAL bytes
 * and INTAKE_FILES_MAX files per report or message. */
#define ATTACH_NAME_MAX INTAKE_FILENAME_MAX  /* bytes of a cleaned name */

enum attach_refusal {
	ATTACH_OK = 0,
	ATTACH_EEMPTY,       /* no bytes at all */
	ATTACH_ETOOBIG,      /* over INTAKE_FILE_MAX */
	ATTACH_ETYPE,        /* a type that is not on the allow-list */
	ATTACH_ETEXT,        /* text, but not UTF-8 (or with NUL bytes) */
	ATTACH_EACTIVE,      /* an office document with macros or ActiveX controls */
	ATTACH_EDAMAGED,     /* looks like an allowed type, but its structure is broken */
	ATTACH_EUNAVAILABLE, /* the type could not be determined: attach_init did not run,
				or libmagic failed */
};

/* Loads libmagic's database once, with the checks this module does not need
 * switched off and its work bounded, and checks that it recognises a PDF and a
 * PNG. Call at start-up, before the seccomp sandbox (app_new does): the
 * database is a file. Safe to call again (it then does nothing) and from
 * several threads. Returns 0, or -1 with the reason in err. */
int attach_init(char *err, size_t errlen);

/* Decides the type of data[0..len) from its content only. Returns 0 when it
 * is allowed, with *mime_out the type to store and serve (e.g.
 * "application/pdf") and *ext_out its extension without a dot ("pdf"), both
 * static strings. Otherwise -1, with *ext_out NULL and *mime_out what the
 * content appears to be (e.g. "application/x-executable"; libmagic's word,
 * reduced to [a-z0-9.+-/], in a per-thread buffer valid until this thread's
 * next call), for a message or a test; never NULL. Either out pointer may be
 * NULL. libmagic reads at most a 64 KiB prefix; the whole content is read
 * once more only for text's UTF-8 check and a ZIP's central directory. On
 * INTAKE_FILE_MAX bytes: under a millisecond for most types, about 7 ms for
 * text, at most about 35 ms for text made to be slow. */
int attach_sniff(const unsigned char *data, size_t len, const char **mime_out,
		 const char **ext_out);

/* attach_sniff, with the reason of a refusal in *why (may be NULL). */
int attach_check(const unsigned char *data, size_t len, const char **mime_out,
		 const char **ext_out, enum attach_refusal *why);

/* A plain-language reason for a refusal, in English: a gettext msgid that
 * the page translates. */
const char *attach_refusal_text(enum attach_refusal why);

/* Makes the name to show for an upload from the name the sender gave
 * (uploaded[0..len), any bytes, NULL when len is 0): only its last path
 * component (after the last '/' or '\'); invalid UTF-8 replaced by U+FFFD;
 * control characters (C0, DEL, C1), bidirectional controls (U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069), line and paragraph separators
 * and U+FEFF dropped; the characters Windows forbids in names (" * : < > ?
 * |) replaced by '_'; leading dots and spaces and trailing dots and spaces
 * removed, so it never starts with '.'. It ends in ".ext" (ext from
 * attach_sniff; "jpeg" counts for "jpg"), appended when missing, so that a
 * download cannot get an extension that opens it as something it is not.
 * At most ATTACH_NAME_MAX bytes, cut on a character boundary. Never empty:
 * "bijlage.ext" when nothing is left. ext may be NULL (no extension
 * enforced). Always NUL-terminates out. The result is for showing and for a
 * download's suggested name only: never a path on the server. */
void attach_clean_name(const char *uploaded, size_t len, char out[ATTACH_NAME_MAX + 1],
		       const char *ext);


/* ---- the meta of a stored file (attach_meta.c) ---- */

/* A stored file is two sealed blobs: its content, and its meta, the JSON
 * {"name":...,"type":...,"size":N}, so that the name shown and the type are
 * as secret as the content. A report's attachments, a case's files and an
 * assessment's evidence are all stored so. */

/* The meta JSON of f, in secure memory (vault_secure_free); *len gets its
 * length. */
char *attach_meta_build(const struct intake_file *f, size_t *len);
/* Opens a meta blob of n bytes sealed for (id, purpose) under key and reads
 * its name, type and size. 0, or -1 when it does not open or is not the JSON
 * attach_meta_build writes (name and mime may then hold part of it: the
 * caller wipes them). */
int attach_meta_open(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t id, const char *purpose,
		     const void *blob, size_t n, char name[INTAKE_FILENAME_MAX + 1],
		     char mime[INTAKE_MIME_MAX + 1], size_t *size);

#endif
