/* envelope.h: encryption at rest of one report (DESIGN §3, issue 4). Each
 * report has its own 32-byte key; everything written about the report (its
 * body, each attachment, each message) is a content blob under that key, and
 * the key itself is stored only as sealed-key blobs, one per holder: each
 * handler allowed to read it (their X25519 public key), the reporter (the key
 * derived from their receipt, receipt.h) and the recovery key (recovery.h).
 * Pure: no database, no I/O; callers store the blobs.
 *
 * Content blob, version 1:
 *
 *   [0]      0x01 version
 *   [1, 25)  random nonce
 *   [25, n)  XChaCha20-Poly1305 of the padded plaintext, with its 16-byte tag
 *
 * The associated data is "probity-content-v1" NUL, the report id as 8 bytes
 * big-endian, then the purpose ("report-body", "attachment:3", "message:17"):
 * a blob moved to another report, or from one attachment or message to
 * another, does not open. The purpose comes last, so no two (id, purpose)
 * pairs give the same bytes.
 *
 * Padding hides exact lengths from whoever sees the stored blobs. ISO/IEC
 * 7816-4 (0x80 then zeros, libsodium's sodium_pad), so it comes off
 * unambiguously; the padded size P for a plaintext of L bytes, with n = L + 1:
 *   - n <= 1 KiB: P = 1 KiB. Reporters' messages are mostly a sentence or a
 *     paragraph, and their length can say who wrote them; below 1 KiB they all
 *     look alike, for at most 1 KiB of waste per blob.
 *   - n <= 64 KiB: the next power of two. Answers and messages: few buckets
 *     (7 between 1 and 64 KiB), waste below half of a small blob.
 *   - above: Padmé (Nikitin et al., "Reducing metadata leakage from encrypted
 *     files and communication with PURBs", PETS 2019): the low
 *     E - floor(log2 E) - 1 bits of n rounded up, E = floor(log2 n). Waste at
 *     most 1/32 (3 %) for attachments, where a power of two could nearly
 *     double a 25 MiB upload, while 25 MiB files still fall into 32 sizes per
 *     doubling instead of to the byte (a known document is not recognised by
 *     its size).
 * Opening checks that P is exactly the padded size of what remains, so one
 * plaintext has one blob length.
 *
 * Sealed-key blob, version 1:
 *
 *   [0]  0x01 version
 *   [1]  kind: 1 handler, 2 receipt, 3 recovery; for a case (src/cases):
 *        4 a case key to a team member, 5 a case key to the recovery key,
 *        6 a case's summary key to a competent authority; for a
 *        self-assessment's evidence (src/assess): 7 an assessment key to an
 *        account, 8 an assessment key to the recovery key
 *   handler, recovery and kinds 4-8 (92 bytes): [2, 92) crypto_box_seal to the
 *        holder's X25519 public key of version, kind, report (or case) id (8
 *        bytes, big-endian) and the key (42 bytes). A sealed box has no
 *        associated data, so the header and id travel inside it and must match
 *        on opening. Cases have kinds of their own because their ids are
 *        another numbering: report 12's key sealed to a handler must not open
 *        as case 12's key for the same account, nor a case's summary key as
 *        its case key; assessments number their ids again.
 *   receipt (74 bytes): [2, 26) random nonce, [26, 74) XChaCha20-Poly1305 of
 *        the report key under receipt_derive_key's key, with associated data
 *        "probity-sealed-key-v1" NUL, version, kind, report id.
 * A blob copied to another report, turned into another kind or cut short
 * does not open. Kind 2 names receipt_derive_key's BLAKE2b derivation; a new
 * derivation would be a new kind.
 *
 * Report ids are positive (database row ids); 0 and negatives are refused,
 * which catches an id that was never filled in.
 *
 * Cost (bench/bench_crypto.c, release build, 2 idle cores of an AMD EPYC):
 * sealing a report (fresh key, 2 KiB body, sealed to three handlers, the
 * recovery key and the receipt) 0.31 to 0.34 ms, of which each X25519 seal is
 * 70 us; opening it again 51 us with a handler's key, 15 us with the receipt
 * key; content blobs run at about 550 MB/s encrypt and decrypt together, so a
 * 25 MiB attachment takes about 50 ms. */
#ifndef CRYPTO_ENVELOPE_H
#define CRYPTO_ENVELOPE_H
#include <stddef.h>
#include <stdint.h>

#define ENVELOPE_KEY_BYTES 32
#define ENVELOPE_VERSION 1
#define ENVELOPE_NONCE_BYTES 24
#define ENVELOPE_TAG_BYTES 16
#define ENVELOPE_OVERHEAD (1 + ENVELOPE_NONCE_BYTES + ENVELOPE_TAG_BYTES) /* beside padding */
#define ENVELOPE_CONTENT_MAX (25u << 20)   /* plaintext bytes of one blob */
#define ENVELOPE_PAD_MIN 1024u
#define ENVELOPE_PAD_POW2_MAX (64u << 10)
#define ENVELOPE_PURPOSE_MAX 48            /* bytes of a purpose: [a-z0-9:_-] */

#define ENVELOPE_SEALED_PK_BYTES (2 + 48 + 42)       /* handler, recovery */
#define ENVELOPE_SEALED_RECEIPT_BYTES (2 + 24 + 32 + 16)
#define ENVELOPE_SEALED_MAX ENVELOPE_SEALED_PK_BYTES

enum envelope_holder {
	ENVELOPE_HANDLER = 1,
	ENVELOPE_RECEIPT = 2,
	ENVELOPE_RECOVERY = 3,
	ENVELOPE_CASE_MEMBER = 4,    /* a case key, to a team member's account key */
	ENVELOPE_CASE_RECOVERY = 5,  /* a case key, to the recovery key */
	ENVELOPE_CASE_SUMMARY = 6,   /* a case's summary key, to a competent authority */
	ENVELOPE_ASSESS_ACCOUNT = 7, /* an assessment key (src/assess), to an account */
	ENVELOPE_ASSESS_RECOVERY = 8, /* an assessment key, to the recovery key */
};

/* A fresh report key into key; the caller keeps it in secure or wiped
 * memory. */
void envelope_key_new(unsigned char key[ENVELOPE_KEY_BYTES]);

/* Bytes a plaintext of n bytes takes once padded, or 0 if n is above
 * ENVELOPE_CONTENT_MAX. */
size_t envelope_padded_size(size_t n);
/* Bytes of the content blob for a plaintext of n bytes, or 0 if n is above
 * ENVELOPE_CONTENT_MAX. */
size_t envelope_blob_size(size_t n);

/* Encrypts n bytes of plain for report_id and purpose into out, which has
 * room for cap bytes (at least envelope_blob_size(n)) and does not overlap
 * plain; *outlen receives the blob's length. Plain may be NULL when n is 0.
 * The plaintext is padded and encrypted in place in out, so no other copy is
 * made. Returns 0, or -1 (nothing written, *outlen 0) if n is over the limit,
 * cap too small, the id not positive or the purpose empty, too long or with
 * other characters. */
int envelope_encrypt(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t report_id,
		     const char *purpose, const unsigned char *plain, size_t n,
		     unsigned char *out, size_t cap, size_t *outlen);

/* Opens a content blob of n bytes: plain, with room for cap bytes (at least
 * n - ENVELOPE_OVERHEAD, the padded size), receives the plaintext and
 * *plainlen its length; the padded bytes after it are zero. The caller owns
 * plain and wipes it. Returns 0, or -1 if the blob is malformed, of another
 * version, made under another key, report or purpose, or changed in any
 * byte, or cap is too small; *plainlen is then 0 and plain holds nothing of
 * the blob (whatever was written to it is zeroed). */
int envelope_decrypt(const unsigned char key[ENVELOPE_KEY_BYTES], int64_t report_id,
		     const char *purpose, const unsigned char *blob, size_t n,
		     unsigned char *plain, size_t cap, size_t *plainlen);

/* Seals the report key to a handler's or the recovery key's X25519 public key
 * (who is ENVELOPE_HANDLER or ENVELOPE_RECOVERY; for a case, with the case id,
 * one of the ENVELOPE_CASE_ kinds; for an assessment, with its id, one of
 * the ENVELOPE_ASSESS_ kinds) into out. Returns 0, or -1 if who is
 * ENVELOPE_RECEIPT or no kind, the id not positive or pk unusable (a
 * low-order point). */
int envelope_seal_to_pk(enum envelope_holder who, const unsigned char pk[32], int64_t report_id,
			const unsigned char key[ENVELOPE_KEY_BYTES],
			unsigned char out[ENVELOPE_SEALED_PK_BYTES]);
/* Opens what envelope_seal_to_pk made with the holder's key pair. Returns 0
 * with the report key in key, or -1 (key zeroed) if the blob is not n bytes
 * of that kind and version for that report, or sk does not open it. */
int envelope_open_with_sk(enum envelope_holder who, const unsigned char pk[32],
			  const unsigned char sk[32], int64_t report_id,
			  const unsigned char *blob, size_t n,
			  unsigned char key[ENVELOPE_KEY_BYTES]);

/* Seals the report key under the reporter's receipt-derived key
 * (receipt_derive_key) into out. Returns 0, or -1 if the id is not
 * positive. */
int envelope_seal_to_receipt(const unsigned char receipt_key[32], int64_t report_id,
			     const unsigned char key[ENVELOPE_KEY_BYTES],
			     unsigned char out[ENVELOPE_SEALED_RECEIPT_BYTES]);
/* Opens what envelope_seal_to_receipt made. Returns 0 with the report key in
 * key, or -1 (key zeroed) as envelope_open_with_sk does. */
int envelope_open_with_receipt(const unsigned char receipt_key[32], int64_t report_id,
			       const unsigned char *blob, size_t n,
			       unsigned char key[ENVELOPE_KEY_BYTES]);

/* The kind of a sealed-key blob from its header and length, without opening
 * it (to pick the key to try), or -1 if it is not one. */
int envelope_sealed_kind(const unsigned char *blob, size_t n);

#endif
