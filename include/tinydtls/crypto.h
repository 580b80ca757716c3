/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file crypto.h
 * @brief Cipher suite parameters, per-epoch key material and the
 *        cryptographic helper functions exported by the library.
 *
 * The library runs its handshakes and record protection internally; the
 * structures here keep upstream's layouts for applications that embed or
 * inspect them, and the functions are upstream's helpers (PRF, AES-CCM,
 * PSK and ECDH premaster secrets, ECDSA on secp256r1), usable on their
 * own. They work only on the caller's buffers and are safe to call from
 * any thread.
 *
 * Keys, coordinates and signature components are 32-byte big-endian
 * strings (#DTLS_EC_KEY_SIZE); the signing functions return r and s as
 * arrays of 32-bit words, least significant first (the ecc/ecc.h
 * format). Unlike upstream, the ECC functions reject points that are not
 * on the curve, private keys of 0 and signature values that are 0 or not
 * below the group order.
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

/** @name Key block sizes of the AES-128-CCM suites
 *  @{ */
#define DTLS_MAC_KEY_LENGTH    0    /**< MAC key length: 0, the AEAD suites have none. */
#define DTLS_KEY_LENGTH        16   /**< Write key length: AES-128. */
#define DTLS_BLK_LENGTH        16   /**< AES block length. */
#define DTLS_MAC_LENGTH        DTLS_HMAC_DIGEST_SIZE   /**< HMAC-SHA256 digest length, 32. */
#define DTLS_IV_LENGTH         4    /**< Implicit (salt) part of the CCM nonce. */
/** @} */

/** @brief Length of a key block: client and server MAC key, write key and
 *  IV, in that order (40 bytes). */
#define MAX_KEYBLOCK_LENGTH \
  (2 * DTLS_MAC_KEY_LENGTH + 2 * DTLS_KEY_LENGTH + 2 * DTLS_IV_LENGTH)

#define DTLS_MASTER_SECRET_LENGTH 48   /**< Length of the master secret. */
#define DTLS_RANDOM_LENGTH 32          /**< Length of the client and server randoms. */

/** @brief Size of one secp256r1 coordinate or private key, in bytes. */
#define DTLS_EC_KEY_SIZE 32

#ifndef DTLS_PSK_MAX_CLIENT_IDENTITY_LEN
/** @brief Room for a PSK identity in dtls_handshake_parameters_psk_t.
 *
 * It sets the size of dtls_handshake_parameters_t; the library is
 * compiled with 32. It does not limit identities: this library accepts
 * identities and hints of up to 128 bytes (see @c get_psk_info). */
#define DTLS_PSK_MAX_CLIENT_IDENTITY_LEN 32
#endif

/** @brief Upstream's limit on PSK keys, 16 bytes.
 *
 * This library accepts keys of up to 64 bytes (RFC 4279) and passes a
 * @c result_length of 64 to @c get_psk_info. */
#define DTLS_PSK_MAX_KEY_LEN DTLS_KEY_LENGTH

#ifndef DTLS_MAX_CID_LENGTH
/** @brief The longest Connection ID (RFC 9146) accepted, 16 bytes, as on
 *  upstream's develop branch.
 *
 * It adds the CID fields to dtls_user_parameters_t,
 * dtls_security_parameters_t and dtls_handshake_parameters_t (libcoap
 * tests `DTLS_MAX_CID_LENGTH > 0`). Defining it to 0 before including
 * this header removes them, giving upstream main's layouts; the library
 * is built with 16. */
#define DTLS_MAX_CID_LENGTH 16
#endif
/** @brief The initial value of dtls_user_parameters_t::support_cid: 1, a
 *  Connection ID is negotiated unless get_user_parameters clears it. */
#define DTLS_USE_CID_DEFAULT 1

/** @brief How many cipher suites dtls_user_parameters_t::cipher_suites
 *  holds, not counting its terminator. */
#define DTLS_MAX_CIPHER_SUITES 4

/** @brief Index into upstream's table of cipher suites. */
typedef uint8_t dtls_cipher_index_t;
/** @brief The #dtls_cipher_index_t of "no cipher suite" (epoch 0). */
#define DTLS_CIPHER_INDEX_NULL 0

/** @brief Bulk cipher algorithms. */
typedef enum {
  AES128 = 0    /**< AES with a 128-bit key, the only one. */
} dtls_crypto_alg;

/** @brief Elliptic curves. */
typedef enum {
  DTLS_ECDH_CURVE_SECP256R1   /**< secp256r1 (NIST P-256), the only one. */
} dtls_ecdh_curve;

/**
 * @brief The choices an application makes for one handshake in its
 *        @c get_user_parameters callback.
 *
 * The library passes in its defaults (see #dtls_handler_t) and reads the
 * structure back when the callback returns.
 */
typedef struct dtls_user_parameters_t {
  /** The suites to offer (client) or accept (server), in order of
   *  preference, terminated by #TLS_NULL_WITH_NULL_NULL when fewer than
   *  #DTLS_MAX_CIPHER_SUITES. A server picks the first suite in the
   *  client's order that is in this list. */
  dtls_cipher_t cipher_suites[DTLS_MAX_CIPHER_SUITES + 1];
  /** 1: abort the handshake with @c handshake_failure unless the peer
   *  negotiates the extended master secret (RFC 7627). Default 1. */
  unsigned int force_extended_master_secret:1;
  /** 1: abort the handshake with @c handshake_failure unless the peer
   *  supports secure renegotiation (RFC 5746). Default 1. */
  unsigned int force_renegotiation_info:1;
#if (DTLS_MAX_CID_LENGTH > 0)
  /** 1: negotiate a Connection ID (RFC 9146); default
   *  #DTLS_USE_CID_DEFAULT (1). See dtls_set_cid_length(). */
  unsigned int support_cid:1;
#endif
} dtls_user_parameters_t;

/** @brief AES-128-CCM state in upstream's layout: an expanded key, the tag
 *  length and the length-field size. */
typedef struct {
  rijndael_ctx ctx;      /**< The expanded AES key. */
  uint8_t tag_length;    /**< M: the tag length in bytes. */
  uint8_t l;             /**< L: the size of the length field in bytes. */
} aes128_ccm_t;

/** @brief Upstream's cipher context: AES-128-CCM state. */
typedef struct dtls_cipher_context_t {
  aes128_ccm_t data;     /**< The AES-128-CCM state. */
} dtls_cipher_context_t;

/** @brief Upstream's ECDHE material of a handshake (big-endian
 *  coordinates); not used by this library's handshakes. */
typedef struct {
  uint8 own_eph_priv[32];      /**< Our ephemeral private key. */
  uint8 other_eph_pub_x[32];   /**< The peer's ephemeral public key, x. */
  uint8 other_eph_pub_y[32];   /**< The peer's ephemeral public key, y. */
  uint8 other_pub_x[32];       /**< The peer's long-term public key, x. */
  uint8 other_pub_y[32];       /**< The peer's long-term public key, y. */
} dtls_handshake_parameters_ecdsa_t;

/** @brief Upstream's record of the PSK identity (or hint) of a handshake;
 *  not used by this library's handshakes. */
typedef struct {
  uint16_t id_length;    /**< Length of @c identity. */
  unsigned char identity[DTLS_PSK_MAX_CLIENT_IDENTITY_LEN];   /**< The identity. */
} dtls_handshake_parameters_psk_t;

/** @brief Anti-replay window for the received records of one epoch. */
typedef struct {
  uint64_t cseq;       /**< Highest sequence number accepted. */
  uint64_t bitfield;   /**< Which of the 64 numbers below @c cseq were seen. */
} seqnum_t;

/**
 * @brief Keys and counters of one epoch.
 *
 * In a peer from dtls_get_peer() only @c epoch, @c write_cid and
 * @c write_cid_length are filled in (the current sending epoch and the
 * Connection ID put on records to the peer); every other field is zero,
 * as the keys stay inside the library.
 */
typedef struct {
  dtls_compression_t compression;       /**< Compression method, always #TLS_COMPRESSION_NULL. */
  dtls_cipher_index_t cipher_index;     /**< Upstream's cipher suite index; 0 here. */
  uint16_t epoch;                       /**< The epoch. */
  uint64_t rseq;                        /**< Sequence number of the next record sent; 0 here. */
  uint8 key_block[MAX_KEYBLOCK_LENGTH]; /**< Key material, read with the dtls_kb_* macros; zero here. */
#if (DTLS_MAX_CID_LENGTH > 0)
  uint8_t write_cid[DTLS_MAX_CID_LENGTH];   /**< The Connection ID put on records sent to the peer (RFC 9146). */
  uint8_t write_cid_length;                 /**< Its length; 0 when records carry no CID. */
#endif
  seqnum_t cseq;                        /**< Replay window of received records; zero here. */
} dtls_security_parameters_t;

struct netq_t;

/**
 * @brief Upstream's state of a handshake in progress.
 *
 * Kept for its layout and for dtls_handshake_new(); this library's
 * handshakes keep their state internally, and dtls_peer_t::handshake_params
 * is always NULL.
 */
typedef struct {
  /** Randoms during the handshake, the master secret afterwards. */
  union {
    /** The two randoms. */
    struct random_t {
      uint8 client[DTLS_RANDOM_LENGTH];   /**< The client random. */
      uint8 server[DTLS_RANDOM_LENGTH];   /**< The server random. */
    } random;
    /** Replaces the randoms once the keys are derived. */
    uint8 master_secret[DTLS_MASTER_SECRET_LENGTH];
  } tmp;
  struct netq_t *reorder_queue;   /**< Handshake messages that arrived early; freed by dtls_handshake_free(). */
  dtls_hs_state_t hs_state;       /**< Message counters and transcript hashes. */
  dtls_compression_t compression; /**< Negotiated compression. */
  dtls_user_parameters_t user_parameters;   /**< The parameters of this handshake. */
  dtls_cipher_index_t cipher_index;         /**< Negotiated cipher suite. */
#if (DTLS_MAX_CID_LENGTH > 0)
  uint8_t write_cid[DTLS_MAX_CID_LENGTH];   /**< Connection ID to use towards the peer. */
  uint8_t write_cid_length;                 /**< Its length. */
#endif
  unsigned int do_client_auth:1;            /**< The server requests the client's key. */
  unsigned int extended_master_secret:1;    /**< RFC 7627 was negotiated. */
  unsigned int renegotiation_info:1;        /**< RFC 5746 was negotiated. */
  /** Key exchange material. */
  union {
#ifdef DTLS_ECC
    dtls_handshake_parameters_ecdsa_t ecdsa;   /**< ECDHE-ECDSA suites. */
#endif
#ifdef DTLS_PSK
    dtls_handshake_parameters_psk_t psk;       /**< PSK suites. */
#endif
  } keyx;
} dtls_handshake_parameters_t;

/** @brief The CCM parameters of dtls_encrypt_params() and
 *  dtls_decrypt_params(). */
typedef struct {
  const uint8_t *nonce;   /**< The nonce, 15 - @c l bytes (12 for DTLS). */
  uint8_t tag_length;     /**< M: the tag length, an even number from 4 to 16 (8 or 16 in DTLS). */
  uint8_t l;              /**< L: the size of the length field, 2 to 8 (3 in DTLS). */
} dtls_ccm_params_t;

/**
 * @name Key block accessors
 * Pointers into dtls_security_parameters_t::key_block and the sizes of
 * its parts. The block holds, back to back: client MAC key, server MAC
 * key, client write key, server write key, client IV, server IV. "local"
 * and "remote" pick the part that belongs to this endpoint or to its peer,
 * given our role. Each takes @p Param, a pointer to the
 * dtls_security_parameters_t, and @p Role, #DTLS_CLIENT or #DTLS_SERVER.
 * (In peers from dtls_get_peer() the key block is all zero.)
 * @{
 */
/** @brief The client's MAC key. @param Param The parameters. @param Role Our role (unused).
 *  @return A pointer into the key block. */
#define dtls_kb_client_mac_secret(Param, Role) ((Param)->key_block)
/** @brief The server's MAC key. @param Param The parameters. @param Role Our role (unused).
 *  @return A pointer into the key block. */
#define dtls_kb_server_mac_secret(Param, Role) \
  ((Param)->key_block + DTLS_MAC_KEY_LENGTH)
/** @brief The client's write key. @param Param The parameters. @param Role Our role (unused).
 *  @return A pointer into the key block. */
#define dtls_kb_client_write_key(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH)
/** @brief The server's write key. @param Param The parameters. @param Role Our role (unused).
 *  @return A pointer into the key block. */
#define dtls_kb_server_write_key(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH + DTLS_KEY_LENGTH)
/** @brief The client's IV. @param Param The parameters. @param Role Our role (unused).
 *  @return A pointer into the key block. */
#define dtls_kb_client_iv(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH + 2 * DTLS_KEY_LENGTH)
/** @brief The server's IV. @param Param The parameters. @param Role Our role (unused).
 *  @return A pointer into the key block. */
#define dtls_kb_server_iv(Param, Role) \
  ((Param)->key_block + 2 * DTLS_MAC_KEY_LENGTH + 2 * DTLS_KEY_LENGTH \
   + DTLS_IV_LENGTH)

/** @brief Our own MAC key. @param Param The parameters. @param Role Our role.
 *  @return A pointer into the key block. */
#define dtls_kb_local_mac_secret(Param, Role)                   \
  ((Role) == DTLS_CLIENT ? dtls_kb_client_mac_secret(Param, Role) \
                         : dtls_kb_server_mac_secret(Param, Role))
/** @brief The peer's MAC key. @param Param The parameters. @param Role Our role.
 *  @return A pointer into the key block. */
#define dtls_kb_remote_mac_secret(Param, Role)                  \
  ((Role) == DTLS_SERVER ? dtls_kb_client_mac_secret(Param, Role) \
                         : dtls_kb_server_mac_secret(Param, Role))
/** @brief Our own write key. @param Param The parameters. @param Role Our role.
 *  @return A pointer into the key block. */
#define dtls_kb_local_write_key(Param, Role)                    \
  ((Role) == DTLS_CLIENT ? dtls_kb_client_write_key(Param, Role)  \
                         : dtls_kb_server_write_key(Param, Role))
/** @brief The peer's write key. @param Param The parameters. @param Role Our role.
 *  @return A pointer into the key block. */
#define dtls_kb_remote_write_key(Param, Role)                   \
  ((Role) == DTLS_SERVER ? dtls_kb_client_write_key(Param, Role)  \
                         : dtls_kb_server_write_key(Param, Role))
/** @brief Our own IV. @param Param The parameters. @param Role Our role.
 *  @return A pointer into the key block. */
#define dtls_kb_local_iv(Param, Role)                           \
  ((Role) == DTLS_CLIENT ? dtls_kb_client_iv(Param, Role)         \
                         : dtls_kb_server_iv(Param, Role))
/** @brief The peer's IV. @param Param The parameters. @param Role Our role.
 *  @return A pointer into the key block. */
#define dtls_kb_remote_iv(Param, Role)                          \
  ((Role) == DTLS_SERVER ? dtls_kb_client_iv(Param, Role)         \
                         : dtls_kb_server_iv(Param, Role))

/** @brief MAC key size. @param Param The parameters (unused). @param Role Our role (unused).
 *  @return #DTLS_MAC_KEY_LENGTH. */
#define dtls_kb_mac_secret_size(Param, Role) DTLS_MAC_KEY_LENGTH
/** @brief Write key size. @param Param The parameters (unused). @param Role Our role (unused).
 *  @return #DTLS_KEY_LENGTH. */
#define dtls_kb_key_size(Param, Role)        DTLS_KEY_LENGTH
/** @brief IV size. @param Param The parameters (unused). @param Role Our role (unused).
 *  @return #DTLS_IV_LENGTH. */
#define dtls_kb_iv_size(Param, Role)         DTLS_IV_LENGTH
/** @brief Digest size. @param Param The parameters (unused). @param Role Our role (unused).
 *  @return #DTLS_MAC_LENGTH. */
#define dtls_kb_digest_size(Param, Role)     DTLS_MAC_LENGTH
/** @brief Size of the whole key block. @param Param The parameters. @param Role Our role.
 *  @return The size in bytes (#MAX_KEYBLOCK_LENGTH). */
#define dtls_kb_size(Param, Role)                               \
  (2 * (dtls_kb_mac_secret_size(Param, Role)                    \
        + dtls_kb_key_size(Param, Role) + dtls_kb_iv_size(Param, Role)))
/** @} */

/**
 * @brief Initialises the crypto module; nothing to do here. Called by
 *        dtls_init(), kept because upstream exports it.
 */
void crypto_init(void);

/**
 * @brief TLS P_hash (RFC 5246, section 5) with HMAC-SHA256: expands a
 *        secret over a label and two seeds.
 *
 * NULL inputs count as empty.
 *
 * @param h          The hash function; ignored, SHA-256 is always used (as
 *                   upstream, which supports no other).
 * @param key        The secret.
 * @param keylen     Its length.
 * @param label      The label.
 * @param labellen   Its length.
 * @param random1    The first seed.
 * @param random1len Its length.
 * @param random2    The second seed.
 * @param random2len Its length.
 * @param buf        Receives @p buflen bytes of output.
 * @param buflen     How many bytes to produce.
 * @return @p buflen, or 0 when @p buf is NULL or @p buflen is 0.
 */
size_t dtls_p_hash(dtls_hashfunc_t h,
                   const unsigned char *key, size_t keylen,
                   const unsigned char *label, size_t labellen,
                   const unsigned char *random1, size_t random1len,
                   const unsigned char *random2, size_t random2len,
                   unsigned char *buf, size_t buflen);

/**
 * @brief The DTLS 1.2 PRF: dtls_p_hash() with SHA-256.
 *
 * @param key        The secret.
 * @param keylen     Its length.
 * @param label      The label, e.g. "master secret".
 * @param labellen   Its length.
 * @param random1    The first seed.
 * @param random1len Its length.
 * @param random2    The second seed.
 * @param random2len Its length.
 * @param buf        Receives @p buflen bytes.
 * @param buflen     How many bytes to produce.
 * @return @p buflen, or 0 when @p buf is NULL or @p buflen is 0.
 */
size_t dtls_prf(const unsigned char *key, size_t keylen,
                const unsigned char *label, size_t labellen,
                const unsigned char *random1, size_t random1len,
                const unsigned char *random2, size_t random2len,
                unsigned char *buf, size_t buflen);

/**
 * @brief The TLS MAC of a record (for MAC-then-encrypt suites, which this
 *        library does not negotiate).
 *
 * Feeds epoch and sequence number, content type and version (all from the
 * record header), the 2-byte @p length and the content into @p hmac_ctx
 * and finalises it.
 *
 * @param hmac_ctx A context keyed with dtls_hmac_init(); it is finalised
 *                 and must be initialised again before reuse.
 * @param record   A 13-byte record header (dtls_record_header_t).
 * @param packet   The record content.
 * @param length   Its length.
 * @param buf      Receives the #DTLS_HMAC_DIGEST_SIZE-byte MAC.
 * @note Nothing happens when @p hmac_ctx, @p record or @p buf is NULL.
 */
void dtls_mac(dtls_hmac_context_t *hmac_ctx,
              const unsigned char *record,
              const unsigned char *packet, size_t length,
              unsigned char *buf);

/**
 * @brief Encrypts with AES-128-CCM (RFC 3610) and appends the tag.
 *
 * The @p length bytes at @p src are moved to @p buf (they may overlap,
 * or be the same buffer), encrypted in place, and followed by the tag.
 *
 * @param params     Nonce, tag length and length-field size.
 * @param src        The plaintext; may be NULL when @p length is 0.
 * @param length     Its length.
 * @param buf        Receives the ciphertext and tag: @p length +
 *                   @c tag_length bytes.
 * @param key        The AES key.
 * @param keylen     Its length: must be 16 (AES-128).
 * @param aad        Additional authenticated data; may be NULL when
 *                   @p aad_length is 0.
 * @param aad_length Its length.
 * @return The number of bytes written (@p length + tag length), or -1 for
 *         NULL arguments, a key that is not 16 bytes (logged), or
 *         parameters out of range.
 */
int dtls_encrypt_params(const dtls_ccm_params_t *params,
                        const unsigned char *src, size_t length,
                        unsigned char *buf,
                        const unsigned char *key, size_t keylen,
                        const unsigned char *aad, size_t aad_length);

/**
 * @brief Deprecated: dtls_encrypt_params() with an 8-byte tag and L = 3
 *        (a 12-byte nonce), as upstream.
 *
 * @param src        The plaintext.
 * @param length     Its length.
 * @param buf        Receives @p length + 8 bytes.
 * @param nonce      The 12-byte nonce.
 * @param key        The AES key.
 * @param keylen     Its length: must be 16.
 * @param aad        Additional authenticated data.
 * @param aad_length Its length.
 * @return As dtls_encrypt_params().
 */
int dtls_encrypt(const unsigned char *src, size_t length,
                 unsigned char *buf,
                 const unsigned char *nonce,
                 const unsigned char *key, size_t keylen,
                 const unsigned char *aad, size_t aad_length);

/**
 * @brief Decrypts with AES-128-CCM and verifies the tag.
 *
 * The @p length bytes at @p src (ciphertext followed by the tag) are
 * moved to @p buf and decrypted in place. When the tag does not verify,
 * the plaintext part of @p buf is zeroed (upstream leaves the
 * unauthenticated plaintext there).
 *
 * @param params     Nonce, tag length and length-field size.
 * @param src        Ciphertext and tag.
 * @param length     Their length.
 * @param buf        Receives the plaintext; needs @p length bytes.
 * @param key        The AES key.
 * @param keylen     Its length: must be 16.
 * @param aad        Additional authenticated data; may be NULL when
 *                   @p aad_length is 0.
 * @param aad_length Its length.
 * @return The plaintext length (@p length - tag length), or -1 when the
 *         input is shorter than the tag, the tag does not verify, or for
 *         NULL arguments, a key that is not 16 bytes (logged) or
 *         parameters out of range.
 */
int dtls_decrypt_params(const dtls_ccm_params_t *params,
                        const unsigned char *src, size_t length,
                        unsigned char *buf,
                        const unsigned char *key, size_t keylen,
                        const unsigned char *aad, size_t aad_length);

/**
 * @brief Deprecated: dtls_decrypt_params() with an 8-byte tag and L = 3
 *        (a 12-byte nonce), as upstream.
 *
 * @param src           Ciphertext and tag.
 * @param length        Their length.
 * @param buf           Receives the plaintext.
 * @param nonce         The 12-byte nonce.
 * @param key           The AES key.
 * @param keylen        Its length: must be 16.
 * @param a_data        Additional authenticated data.
 * @param a_data_length Its length.
 * @return As dtls_decrypt_params().
 */
int dtls_decrypt(const unsigned char *src, size_t length,
                 unsigned char *buf,
                 const unsigned char *nonce,
                 const unsigned char *key, size_t keylen,
                 const unsigned char *a_data, size_t a_data_length);

/**
 * @brief Builds the premaster secret of a plain PSK key exchange (RFC 4279,
 *        section 2): the key length, as many zero bytes, the key length
 *        again and the key, lengths as 2-byte big-endian numbers.
 *
 * @param key        The PSK; may be NULL when @p keylen is 0.
 * @param keylen     Its length, at most 65535.
 * @param result     Receives the secret.
 * @param result_len Room in @p result: at least 2 * @p keylen + 4.
 * @return The secret's length (2 * @p keylen + 4), or -1 when
 *         @p result is too small or NULL or @p keylen too large.
 */
int dtls_psk_pre_master_secret(unsigned char *key, size_t keylen,
                               unsigned char *result, size_t result_len);

/**
 * @brief ECDH on secp256r1: the x coordinate of our private key times the
 *        peer's public point, the premaster secret of ECDHE suites.
 *
 * Unlike upstream, the peer's point must lie on the curve and the private
 * key must not be 0 modulo the group order.
 *
 * @param priv_key   Our private key, 32 bytes big-endian.
 * @param pub_key_x  The peer's public key, x, 32 bytes.
 * @param pub_key_y  The peer's public key, y, 32 bytes.
 * @param key_size   The size of each: must be 32.
 * @param result     Receives the 32-byte secret.
 * @param result_len Room in @p result: at least 32.
 * @return 32, or -1 for NULL arguments, a @p key_size other than 32, a
 *         short @p result, a point not on the curve or an unusable private
 *         key (the last three logged).
 */
int dtls_ecdh_pre_master_secret(unsigned char *priv_key,
                                unsigned char *pub_key_x,
                                unsigned char *pub_key_y,
                                size_t key_size,
                                unsigned char *result,
                                size_t result_len);

/**
 * @brief Generates a fresh secp256r1 key pair from the system's secure
 *        random source.
 *
 * @param priv_key  Receives the private key, 32 bytes big-endian.
 * @param pub_key_x Receives the public key's x, 32 bytes.
 * @param pub_key_y Receives the public key's y, 32 bytes.
 * @param key_size  The size of each: must be 32.
 * @note Nothing is written for NULL buffers or a @p key_size other than
 *       32, nor when the random source fails (logged at
 *       #DTLS_LOG_CRIT).
 */
void dtls_ecdsa_generate_key(unsigned char *priv_key,
                             unsigned char *pub_key_x,
                             unsigned char *pub_key_y,
                             size_t key_size);

/**
 * @brief Signs a hash with ECDSA on secp256r1.
 *
 * The nonce comes from Go's crypto/ecdsa, which mixes fresh randomness
 * with the key and hash.
 *
 * @param priv_key       The private key, 32 bytes big-endian, from 1 to
 *                       n - 1.
 * @param key_size       Its size: must be 32.
 * @param sign_hash      The hash to sign.
 * @param sign_hash_size Its size: must be 32 (SHA-256).
 * @param point_r        Receives r as 8 words, least significant first;
 *                       word 8 is set to 0.
 * @param point_s        Receives s in the same form.
 * @note Nothing is written for NULL arguments, a wrong size or an invalid
 *       private key (the last two logged).
 */
void dtls_ecdsa_create_sig_hash(const unsigned char *priv_key, size_t key_size,
                                const unsigned char *sign_hash, size_t sign_hash_size,
                                uint32_t point_r[9], uint32_t point_s[9]);

/**
 * @brief Signs SHA-256(client_random | server_random | keyx_params), the
 *        ServerKeyExchange signature of RFC 4492, with ECDSA.
 *
 * @param priv_key           The private key, 32 bytes big-endian.
 * @param key_size           Its size: must be 32.
 * @param client_random      The client random.
 * @param client_random_size Its size.
 * @param server_random      The server random.
 * @param server_random_size Its size.
 * @param keyx_params        The signed key exchange parameters.
 * @param keyx_params_size   Their size.
 * @param point_r            Receives r (see dtls_ecdsa_create_sig_hash()).
 * @param point_s            Receives s.
 * @note Nothing is written for NULL key or result buffers, a wrong key
 *       size or an invalid private key.
 */
void dtls_ecdsa_create_sig(const unsigned char *priv_key, size_t key_size,
                           const unsigned char *client_random, size_t client_random_size,
                           const unsigned char *server_random, size_t server_random_size,
                           const unsigned char *keyx_params, size_t keyx_params_size,
                           uint32_t point_r[9], uint32_t point_s[9]);

/**
 * @brief Verifies an ECDSA signature of a hash on secp256r1.
 *
 * Unlike upstream, the public key must lie on the curve, r and s must be
 * from 1 to n - 1, and r is compared with x1 mod n as ECDSA specifies.
 *
 * @param pub_key_x      The public key's x, 32 bytes big-endian.
 * @param pub_key_y      The public key's y, 32 bytes.
 * @param key_size       Their size: must be 32.
 * @param sign_hash      The signed hash.
 * @param sign_hash_size Its size: must be 32.
 * @param result_r       The signature's r, 32 bytes big-endian.
 * @param result_s       The signature's s, 32 bytes big-endian.
 * @return 0 when the signature is valid, -1 otherwise (also for NULL
 *         arguments and wrong sizes).
 */
int dtls_ecdsa_verify_sig_hash(const unsigned char *pub_key_x,
                               const unsigned char *pub_key_y, size_t key_size,
                               const unsigned char *sign_hash, size_t sign_hash_size,
                               unsigned char *result_r, unsigned char *result_s);

/**
 * @brief Verifies a signature made with dtls_ecdsa_create_sig(): ECDSA
 *        over SHA-256(client_random | server_random | keyx_params).
 *
 * @param pub_key_x          The public key's x, 32 bytes big-endian.
 * @param pub_key_y          The public key's y, 32 bytes.
 * @param key_size           Their size: must be 32.
 * @param client_random      The client random.
 * @param client_random_size Its size.
 * @param server_random      The server random.
 * @param server_random_size Its size.
 * @param keyx_params        The signed key exchange parameters.
 * @param keyx_params_size   Their size.
 * @param result_r           The signature's r, 32 bytes big-endian.
 * @param result_s           The signature's s, 32 bytes big-endian.
 * @return 0 when the signature is valid, -1 otherwise.
 */
int dtls_ecdsa_verify_sig(const unsigned char *pub_key_x,
                          const unsigned char *pub_key_y, size_t key_size,
                          const unsigned char *client_random, size_t client_random_size,
                          const unsigned char *server_random, size_t server_random_size,
                          const unsigned char *keyx_params, size_t keyx_params_size,
                          unsigned char *result_r, unsigned char *result_s);

/**
 * @brief DER-encodes a number given as 32-bit words (as the signing
 *        functions produce r and s) as an ASN.1 INTEGER.
 *
 * Writes the tag 0x02, a one-byte length and the big-endian value without
 * leading zero bytes, with one 0x00 in front when its top bit is set.
 *
 * @param key      The number, @p key_size / 4 words, least significant
 *                 first.
 * @param key_size Its size in bytes: a multiple of 4, from 4 to 64.
 * @param buf      Receives the encoding: room for @p key_size + 3 bytes.
 * @return The number of bytes written, or 0 for a value of zero, NULL
 *         arguments or an invalid @p key_size.
 */
int dtls_ec_key_asn1_from_uint32(const uint32_t *key, size_t key_size,
                                 unsigned char *buf);

/**
 * @brief Allocates zeroed handshake parameters, with @c hs_state.hs_hash
 *        started, as upstream. The library does not use them itself.
 *
 * @return The parameters, owned by the caller and released with
 *         dtls_handshake_free(); NULL when memory is exhausted.
 */
dtls_handshake_parameters_t *dtls_handshake_new(void);

/**
 * @brief Releases handshake parameters from dtls_handshake_new(), with
 *        the netq_t nodes of their @c reorder_queue.
 *
 * @param handshake The parameters; NULL does nothing.
 */
void dtls_handshake_free(dtls_handshake_parameters_t *handshake);

/**
 * @brief Allocates zeroed security parameters (epoch 0, no keys).
 *
 * @return The parameters, owned by the caller and released with
 *         dtls_security_free(); NULL when memory is exhausted.
 */
dtls_security_parameters_t *dtls_security_new(void);

/**
 * @brief Releases security parameters from dtls_security_new().
 *
 * @param security The parameters; NULL does nothing.
 */
void dtls_security_free(dtls_security_parameters_t *security);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_CRYPTO_H_ */
