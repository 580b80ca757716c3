/*
 * crypto.h -- cipher suite parameters, per-epoch key material and the
 * cryptographic helper functions exported by the library.
 */
#ifndef _DTLS_CRYPTO_H_
#define _DTLS_CRYPTO_H_

#include <stdlib.h>
#include <stdint.h>

#include "tinydtls.h"
#include "aes/rijndael.h"
#include "global.h"
#include "state.h"
#include "numeric.h"
#include "hmac.h"
#include "ccm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Key block sizes for the AES-128-CCM suites (no separate MAC key). */
#define DTLS_MAC_KEY_LENGTH    0
#define DTLS_KEY_LENGTH        16   /* AES-128 */
#define DTLS_BLK_LENGTH        16   /* AES block */
#define DTLS_MAC_LENGTH        DTLS_HMAC_DIGEST_SIZE
#define DTLS_IV_LENGTH         4    /* implicit part of the CCM nonce */

/* client and server MAC key, write key and IV, in that order */
#define MAX_KEYBLOCK_LENGTH \
  (2 * DTLS_MAC_KEY_LENGTH + 2 * DTLS_KEY_LENGTH + 2 * DTLS_IV_LENGTH)

#define DTLS_MASTER_SECRET_LENGTH 48
#define DTLS_RANDOM_LENGTH 32

/* Size of one secp256r1 coordinate or private key, in bytes. */
#define DTLS_EC_KEY_SIZE 32

#ifndef DTLS_PSK_MAX_CLIENT_IDENTITY_LEN
/* Changes the size of dtls_handshake_parameters_t; the library is
 * compiled with this value. */
#define DTLS_PSK_MAX_CLIENT_IDENTITY_LEN 32
#endif

/* Upstream's limit on PSK keys. This library accepts keys of up to 64
 * bytes (RFC 4279) and passes a result_length of 64 to get_psk_info(). */
#define DTLS_PSK_MAX_KEY_LEN DTLS_KEY_LENGTH

/* Connection ID (RFC 9146), as on upstream's develop branch: the longest
 * CID accepted, and whether get_user_parameters() starts with support_cid
 * set. Defining DTLS_MAX_CID_LENGTH to 0 before including this header
 * removes the CID fields, restoring main's struct layouts (the library is
 * built with 16). */
#ifndef DTLS_MAX_CID_LENGTH
#define DTLS_MAX_CID_LENGTH 16
#endif
#define DTLS_USE_CID_DEFAULT 1

/* Length of the cipher suite list an application can configure. */
#define DTLS_MAX_CIPHER_SUITES 4

/* Index into the library's table of known cipher suites. */
typedef uint8_t dtls_cipher_index_t;
#define DTLS_CIPHER_INDEX_NULL 0

typedef enum {
  AES128 = 0
} dtls_crypto_alg;

typedef enum {
  DTLS_ECDH_CURVE_SECP256R1
} dtls_ecdh_curve;

/*
 * Per-handshake choices an application makes in its get_user_parameters
 * callback.  The library hands in its defaults (every suite it can use,
 * every flag set) and reads the struct back afterwards.
 */
typedef struct dtls_user_parameters_t {
  /* preferred suites, terminated by TLS_NULL_WITH_NULL_NULL */
  dtls_cipher_t cipher_suites[DTLS_MAX_CIPHER_SUITES + 1];
  /* abort unless the peer negotiates RFC 7627 */
  unsigned int force_extended_master_secret:1;
  /* abort unless the peer supports RFC 5746 secure renegotiation */
  unsigned int force_renegotiation_info:1;
#if (DTLS_MAX_CID_LENGTH > 0)
  /* negotiate a Connection ID (RFC 9146); default DTLS_USE_CID_DEFAULT */
  unsigned int support_cid:1;
#endif
} dtls_user_parameters_t;

/* AES-128-CCM state: expanded key plus tag length and length-field size. */
typedef struct {
  rijndael_ctx ctx;
  uint8_t tag_length;
  uint8_t l;
} aes128_ccm_t;

typedef struct dtls_cipher_context_t {
  aes128_ccm_t data;
} dtls_cipher_context_t;

/* ECDHE material kept while a handshake runs (big-endian coordinates). */
typedef struct {
  uint8 own_eph_priv[32];
  uint8 other_eph_pub_x[32];
  uint8 other_eph_pub_y[32];
  uint8 other_pub_x[32];
  uint8 other_pub_y[32];
} dtls_handshake_parameters_ecdsa_t;

/* The PSK identity (or identity hint) seen during a handshake. */
typedef struct {
  uint16_t id_length;
  unsigned char identity[DTLS_PSK_MAX_CLIENT_IDENTITY_LEN];
} dtls_handshake_parameters_psk_t;

/* Anti-replay window for received records of one epoch. */
typedef struct {
  uint64_t cseq;       /* highest sequence number accepted */
  uint64_t bitfield;   /* which of the 64 numbers below cseq were seen */
} seqnum_t;

/* Keys and counters of one epoch. */
typedef struct {
  dtls_compression_t compression;
  dtls_cipher_index_t cipher_index;
  uint16_t epoch;
  uint64_t rseq;                        /* sequence number of the next record sent */
  uint8 key_block[MAX_KEYBLOCK_LENGTH]; /* see the dtls_kb_* accessors */
#if (DTLS_MAX_CID_LENGTH > 0)
  /* Connection ID put on records sent to the peer (RFC 9146) */
  uint8_t write_cid[DTLS_MAX_CID_LENGTH];
  uint8_t write_cid_length;
#endif
  seqnum_t cseq;
} dtls_security_parameters_t;

struct netq_t;

/* Everything that only lives while a handshake is in progress. */
typedef struct {
  union {
    struct random_t {
      uint8 client[DTLS_RANDOM_LENGTH];
      uint8 server[DTLS_RANDOM_LENGTH];
    } random;
    /* replaces the randoms once the keys are derived */
    uint8 master_secret[DTLS_MASTER_SECRET_LENGTH];
  } tmp;
  struct netq_t *reorder_queue;   /* handshake messages that arrived early */
  dtls_hs_state_t hs_state;
  dtls_compression_t compression;
  dtls_user_parameters_t user_parameters;
  dtls_cipher_index_t cipher_index;
#if (DTLS_MAX_CID_LENGTH > 0)
  uint8_t write_cid[DTLS_MAX_CID_LENGTH];
  uint8_t write_cid_length;
#endif
  unsigned int do_client_auth:1;
  unsigned int extended_master_secret:1;
  unsigned int renegotiation_info:1;
  union {
#ifdef DTLS_ECC
    dtls_handshake_parameters_ecdsa_t ecdsa;
#endif
#ifdef DTLS_PSK
    dtls_handshake_parameters_psk_t psk;
#endif
  } keyx;
} dtls_handshake_parameters_t;

/* Parameters of dtls_encrypt_params()/dtls_decrypt_params(). */
typedef struct {
  const uint8_t *nonce;   /* 15 - l bytes */
  uint8_t tag_length;     /* M: 8 or 16 */
  uint8_t l;              /* L: size of the length field, 2..8 */
} dtls_ccm_params_t;

/*
 * Key block accessors.  The block holds, back to back:
 *   client MAC key | server MAC key | client write key | server write key
 *   | client IV | server IV
 * "local" and "remote" pick the half that belongs to this endpoint's
 * role (DTLS_CLIENT or DTLS_SERVER from peer.h) or to its peer.
 */
#define dtls_kb_client_mac_secret(Param, Role) ((Param)->key_block)
#define dtls_kb_server_mac_secret(Param, Role) \
  ((Param)->key_block + DTLS_MAC_KEY_LENGTH)
#define dtls_kb_client_write_key(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH)
#define dtls_kb_server_write_key(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH + DTLS_KEY_LENGTH)
#define dtls_kb_client_iv(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH + 2 * DTLS_KEY_LENGTH)
#define dtls_kb_server_iv(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH + 2 * DTLS_KEY_LENGTH \
   + DTLS_IV_LENGTH)

#define dtls_kb_local_mac_secret(Param, Role)                   \
  ((Role) == DTLS_CLIENT ? dtls_kb_client_mac_secret(Param, Role) \
                         : dtls_kb_server_mac_secret(Param, Role))
#define dtls_kb_remote_mac_secret(Param, Role)                  \
  ((Role) == DTLS_SERVER ? dtls_kb_client_mac_secret(Param, Role) \
                         : dtls_kb_server_mac_secret(Param, Role))
#define dtls_kb_local_write_key(Param, Role)                    \
  ((Role) == DTLS_CLIENT ? dtls_kb_client_write_key(Param, Role)  \
                         : dtls_kb_server_write_key(Param, Role))
#define dtls_kb_remote_write_key(Param, Role)                   \
  ((Role) == DTLS_SERVER ? dtls_kb_client_write_key(Param, Role)  \
                         : dtls_kb_server_write_key(Param, Role))
#define dtls_kb_local_iv(Param, Role)                           \
  ((Role) == DTLS_CLIENT ? dtls_kb_client_iv(Param, Role)         \
                         : dtls_kb_server_iv(Param, Role))
#define dtls_kb_remote_iv(Param, Role)                          \
  ((Role) == DTLS_SERVER ? dtls_kb_client_iv(Param, Role)         \
                         : dtls_kb_server_iv(Param, Role))

#define dtls_kb_mac_secret_size(Param, Role) DTLS_MAC_KEY_LENGTH
#define dtls_kb_key_size(Param, Role)        DTLS_KEY_LENGTH
#define dtls_kb_iv_size(Param, Role)         DTLS_IV_LENGTH
#define dtls_kb_digest_size(Param, Role)     DTLS_MAC_LENGTH
#define dtls_kb_size(Param, Role)                               \
  (2 * (dtls_kb_mac_secret_size(Param, Role)                    \
        + dtls_kb_key_size(Param, Role) + dtls_kb_iv_size(Param, Role)))

/* Called once by dtls_init(). */
void crypto_init(void);

/*
 * TLS P_hash (RFC 5246, section 5): expands key over label, random1 and
 * random2 into buflen bytes of buf.  Returns the bytes written, 0 on
 * error.
 */
size_t dtls_p_hash(dtls_hashfunc_t h,
                   const unsigned char *key, size_t keylen,
                   const unsigned char *label, size_t labellen,
                   const unsigned char *random1, size_t random1len,
                   const unsigned char *random2, size_t random2len,
                   unsigned char *buf, size_t buflen);

/* The DTLS 1.2 PRF, i.e. dtls_p_hash() with SHA-256. */
size_t dtls_prf(const unsigned char *key, size_t keylen,
                const unsigned char *label, size_t labellen,
                const unsigned char *random1, size_t random1len,
                const unsigned char *random2, size_t random2len,
                unsigned char *buf, size_t buflen);

/*
 * HMAC over a record: the record header at record (13 bytes) followed by
 * length bytes of packet.  hmac_ctx must already be keyed; the digest is
 * written to buf.
 */
void dtls_mac(dtls_hmac_context_t *hmac_ctx,
              const unsigned char *record,
              const unsigned char *packet, size_t length,
              unsigned char *buf);

/*
 * AES-CCM encryption of length bytes from src into buf, which must hold
 * length + tag_length bytes and may be src itself (src is moved to buf,
 * then encrypted in place).  Returns the number of bytes written or a
 * negative value.
 */
int dtls_encrypt_params(const dtls_ccm_params_t *params,
                        const unsigned char *src, size_t length,
                        unsigned char *buf,
                        const unsigned char *key, size_t keylen,
                        const unsigned char *aad, size_t aad_length);

/* Deprecated: dtls_encrypt_params() with an 8-byte tag and L = 3. */
int dtls_encrypt(const unsigned char *src, size_t length,
                 unsigned char *buf,
                 const unsigned char *nonce,
                 const unsigned char *key, size_t keylen,
                 const unsigned char *aad, size_t aad_length);

/*
 * AES-CCM decryption and tag check of length bytes (ciphertext plus tag)
 * from src into buf.  Returns the plaintext length or a negative value.
 */
int dtls_decrypt_params(const dtls_ccm_params_t *params,
                        const unsigned char *src, size_t length,
                        unsigned char *buf,
                        const unsigned char *key, size_t keylen,
                        const unsigned char *aad, size_t aad_length);

/* Deprecated counterpart of dtls_encrypt(). */
int dtls_decrypt(const unsigned char *src, size_t length,
                 unsigned char *buf,
                 const unsigned char *nonce,
                 const unsigned char *key, size_t keylen,
                 const unsigned char *a_data, size_t a_data_length);

/*
 * Builds the "plain PSK" premaster secret of RFC 4279, section 2, from
 * key into result.  Returns its length or a negative value when
 * result_len is too small.
 */
int dtls_psk_pre_master_secret(unsigned char *key, size_t keylen,
                               unsigned char *result, size_t result_len);

/* ECDH on secp256r1: our private key times the peer's public point.
 * Returns the length of the shared secret written to result, or < 0. */
int dtls_ecdh_pre_master_secret(unsigned char *priv_key,
                                unsigned char *pub_key_x,
                                unsigned char *pub_key_y,
                                size_t key_size,
                                unsigned char *result,
                                size_t result_len);

/* Generates a fresh secp256r1 key pair (big-endian, key_size bytes each). */
void dtls_ecdsa_generate_key(unsigned char *priv_key,
                             unsigned char *pub_key_x,
                             unsigned char *pub_key_y,
                             size_t key_size);

/* ECDSA signature over a precomputed hash; r and s are returned as
 * 32-bit word arrays in the word order of ecc/ecc.h. */
void dtls_ecdsa_create_sig_hash(const unsigned char *priv_key, size_t key_size,
                                const unsigned char *sign_hash, size_t sign_hash_size,
                                uint32_t point_r[9], uint32_t point_s[9]);

/* ECDSA signature over SHA-256(client_random | server_random | keyx_params). */
void dtls_ecdsa_create_sig(const unsigned char *priv_key, size_t key_size,
                           const unsigned char *client_random, size_t client_random_size,
                           const unsigned char *server_random, size_t server_random_size,
                           const unsigned char *keyx_params, size_t keyx_params_size,
                           uint32_t point_r[9], uint32_t point_s[9]);

/* Verifies an ECDSA signature (r, s big-endian) over a hash.
 * Returns 0 when it is valid. */
int dtls_ecdsa_verify_sig_hash(const unsigned char *pub_key_x,
                               const unsigned char *pub_key_y, size_t key_size,
                               const unsigned char *sign_hash, size_t sign_hash_size,
                               unsigned char *result_r, unsigned char *result_s);

/* Verifies a signature made with dtls_ecdsa_create_sig(); 0 when valid. */
int dtls_ecdsa_verify_sig(const unsigned char *pub_key_x,
                          const unsigned char *pub_key_y, size_t key_size,
                          const unsigned char *client_random, size_t client_random_size,
                          const unsigned char *server_random, size_t server_random_size,
                          const unsigned char *keyx_params, size_t keyx_params_size,
                          unsigned char *result_r, unsigned char *result_s);

/* DER-encodes a signature component given as a 32-bit word array (as
 * produced by the signing functions) into buf; returns the number of
 * bytes written. */
int dtls_ec_key_asn1_from_uint32(const uint32_t *key, size_t key_size,
                                 unsigned char *buf);

/* Allocation of handshake and per-epoch state (NULL on failure). */
dtls_handshake_parameters_t *dtls_handshake_new(void);

void dtls_handshake_free(dtls_handshake_parameters_t *handshake);

dtls_security_parameters_t *dtls_security_new(void);

void dtls_security_free(dtls_security_parameters_t *security);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_CRYPTO_H_ */
