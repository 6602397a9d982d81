/* recovery.h: the recovery key, split k-of-n among named custodians (DESIGN
 * §3, issue 4), so that no single administrator can read every report, yet a
 * departed handler's reports can be resealed to a successor when k
 * custodians join.
 *
 * The recovery key is an X25519 key pair (recovery_keypair); every report key
 * is also sealed to its public key (envelope_seal_to_pk, ENVELOPE_RECOVERY).
 * Its secret key is split with Shamir's scheme over GF(2^8) (libgfshare) into
 * n shares, any k of which give it back, 2 <= k <= n <= 16. Each share is
 * sealed to one custodian's X25519 public key, so only that custodian, with
 * the secret key their password unwraps, opens it.
 *
 * Recombining checks the result, because interpolation turns a wrong,
 * corrupted or foreign share, or too few, into 32 plausible bytes. The
 * public key alone does not catch everything: X25519 ignores five bits of a
 * secret key (RFC 7748 clamping: the low three, the top one, and the one
 * below it is forced on), so a damaged share that only touched those would
 * pass. The split therefore works on the clamped form of the key (the same
 * key to X25519) and recombining requires the result to be clamped and to
 * match the public key; distinct clamped keys have distinct public keys, so
 * every change to a share is caught, not merely most.
 *
 * Sealed share blob, version 1 (117 bytes):
 *
 *   [0]       0x01 version
 *   [1, 117)  crypto_box_seal to the custodian's public key of: version, k, n,
 *             x (the share's number, 1..n), the recovery public key (32) and
 *             the share (32): 68 bytes
 *
 * The recovery public key inside binds a share to the key it belongs to; the
 * header outside the box is checked against the copy inside.
 *
 * A share is as secret as the key while k are together: keep struct
 * recovery_share in sodium_malloc'd memory (vault_secure_alloc) or wipe it.
 * libgfshare works in its own malloc'd buffers and overwrites them with
 * random bytes before freeing them (checked in Debian's 2.0.0). */
#ifndef CRYPTO_RECOVERY_H
#define CRYPTO_RECOVERY_H
#include <stddef.h>
#include <stdint.h>

#define RECOVERY_KEY_BYTES 32
#define RECOVERY_K_MIN 2
#define RECOVERY_N_MAX 16
#define RECOVERY_SEALED_BYTES (1 + 48 + 4 + 2 * RECOVERY_KEY_BYTES)

struct recovery_share {
	uint8_t k;                               /* threshold of the split */
	uint8_t n;                               /* shares made */
	uint8_t x;                               /* this share's number, 1..n */
	unsigned char y[RECOVERY_KEY_BYTES];     /* the share itself: secret */
};

/* A fresh recovery key pair whose secret key is already clamped, so that
 * recovery_combine gives back these very bytes. The caller keeps sk in secure
 * memory and wipes it once it is split. */
void recovery_keypair(unsigned char pk[RECOVERY_KEY_BYTES], unsigned char sk[RECOVERY_KEY_BYTES]);

/* Splits the clamped form of the recovery secret key sk into n shares
 * (shares[0..n-1], numbers 1..n), any k of which recombine to it. The caller
 * owns the shares and wipes them. Returns 0; or -1 with shares untouched if
 * not 2 <= k <= n <= 16; or -1 with shares zeroed if they do not recombine to
 * the key (a self-check against a broken library). */
int recovery_split(const unsigned char sk[RECOVERY_KEY_BYTES], unsigned k, unsigned n,
		   struct recovery_share *shares);

/* Recombines count opened shares into sk_out and checks that it is the
 * clamped secret half of expected_pk. The shares must come from one split
 * (same k and n), with distinct numbers, at least k of them. The caller owns
 * sk_out and keeps it in secure memory. Returns 0, or -1 (sk_out zeroed) on
 * too few shares, mixed or malformed ones, or a result that is not clamped or
 * does not match expected_pk (a corrupted share, or shares of another key). */
int recovery_combine(const struct recovery_share *shares, unsigned count,
		     unsigned char sk_out[RECOVERY_KEY_BYTES],
		     const unsigned char expected_pk[RECOVERY_KEY_BYTES]);

/* Seals one share for a custodian into out (see the format above). Returns
 * 0, or -1 if the share is malformed or custodian_pk unusable (a low-order
 * point). */
int recovery_seal_share(const struct recovery_share *share,
			const unsigned char recovery_pk[RECOVERY_KEY_BYTES],
			const unsigned char custodian_pk[32],
			unsigned char out[RECOVERY_SEALED_BYTES]);

/* Opens a custodian's sealed share of n bytes with their key pair and checks
 * that it belongs to recovery_pk. The caller owns share and wipes it. Returns
 * 0, or -1 (share zeroed) if the blob is malformed, of another version, not
 * for this custodian, changed, or for another recovery key. */
int recovery_open_share(const unsigned char *blob, size_t n,
			const unsigned char custodian_pk[32], const unsigned char custodian_sk[32],
			const unsigned char recovery_pk[RECOVERY_KEY_BYTES],
			struct recovery_share *share);

#endif
