/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file global.h
 * @brief Basic types, limits, cipher suite and extension code points, and
 *        small helpers shared by all headers.
 */
#ifndef _DTLS_GLOBAL_H_
#define _DTLS_GLOBAL_H_

#include <stdlib.h>
#include <sys/types.h>

#include "tinydtls.h"

/* Only DTLS 1.2 with the SHA-256 based PRF exists; these switches are
 * kept because applications and other headers test them. */
#ifndef DTLSv12
/** @brief DTLS 1.2 is the protocol version (selects #DTLS_VERSION). Always
 *  defined; the library speaks nothing else. */
#define DTLSv12 1
#endif

#ifndef WITH_SHA256
/** @brief SHA-256 is available: enables the hash API of hmac.h. Always
 *  defined; SHA-256 is the only hash the library uses. */
#define WITH_SHA256 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** @name Wire-format integers
 * Big-endian byte arrays without alignment requirements, as they appear
 * in DTLS messages. Read and write them with the numeric.h helpers.
 * @{ */
typedef unsigned char uint8;      /**< One byte (also used for byte buffers in the API). */
typedef unsigned char uint16[2];  /**< A 16-bit big-endian integer. */
typedef unsigned char uint24[3];  /**< A 24-bit big-endian integer. */
typedef unsigned char uint32[4];  /**< A 32-bit big-endian integer. */
typedef unsigned char uint48[6];  /**< A 48-bit big-endian integer (record sequence numbers). */
/** @} */

#ifndef DTLS_MAX_BUF
/* Largest datagram the library builds or queues.  The shared library is
 * compiled with the POSIX value; changing it in an app only changes the
 * app's own netq_packet_t type. */
#if defined(WITH_CONTIKI) || defined(RIOT_VERSION)
#ifdef DTLS_ECC
/** @brief Upstream's buffer size on Contiki and RIOT with ECC (not built
 *  here). */
#define DTLS_MAX_BUF 200
#else
/** @brief Upstream's buffer size on Contiki and RIOT, PSK only (not built
 *  here). */
#define DTLS_MAX_BUF 120
#endif
#else
/**
 * @brief The default MTU: the largest datagram the library sends,
 *        1400 bytes.
 *
 * Upstream's fixed buffer size. Here it is the default of the per-context
 * MTU, which dtls_set_mtu() changes (and dtls_get_max_write() reflects);
 * received datagrams may be larger. The library is compiled with this
 * value: defining another one in an application only changes the
 * application's own netq_packet_t.
 */
#define DTLS_MAX_BUF 1400
#endif
#endif /* DTLS_MAX_BUF */

/* Small-stack targets keep the send buffer in static storage. */
#if !defined(DTLS_CONSTRAINED_STACK) &&                         \
    (defined(WITH_CONTIKI) || defined(RIOT_VERSION)) &&         \
    (DTLS_MAX_BUF > 200)
/** @brief Upstream's switch for a static send buffer on small-stack
 *  platforms (Contiki, RIOT); never set on POSIX. */
#define DTLS_CONSTRAINED_STACK 1
#endif

#ifndef DTLS_DEFAULT_MAX_RETRANSMIT
/**
 * @brief How often a handshake flight is retransmitted: 7 times, at 1, 3,
 *        7, 15, 31, 63 and 123 s with the default timeout.
 *
 * The handshake is abandoned 60 s after the last retransmission (183 s
 * after it started), with a fatal event, code
 * #DTLS_ALERT_HANDSHAKE_FAILURE. The library is compiled with this value.
 */
#define DTLS_DEFAULT_MAX_RETRANSMIT 7
#endif

/** @brief Cipher suite code points (IANA values, host byte order), as
 *  used in dtls_user_parameters_t::cipher_suites. */
typedef enum {
  TLS_NULL_WITH_NULL_NULL = 0x0000,               /**< No suite: ends the list in dtls_user_parameters_t. */
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF,     /**< RFC 5746 signalling value a client sends for secure renegotiation; not a real suite. */
  TLS_PSK_WITH_AES_128_CCM = 0xC0A4,              /**< PSK, AES-128-CCM with a 16-byte tag (RFC 6655). */
  TLS_PSK_WITH_AES_128_CCM_8 = 0xC0A8,            /**< PSK, AES-128-CCM with an 8-byte tag (RFC 6655). */
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM = 0xC0AC,      /**< ECDHE with ECDSA raw public keys, AES-128-CCM, 16-byte tag (RFC 7251). */
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 = 0xC0AE     /**< ECDHE with ECDSA raw public keys, AES-128-CCM, 8-byte tag (RFC 7251). */
} dtls_cipher_t;

/** @brief Record compression methods: only the null method exists. */
typedef enum {
  TLS_COMPRESSION_NULL = 0x0000   /**< No compression. */
} dtls_compression_t;

/** @name Hello extension types
 * @{ */
#define TLS_EXT_ELLIPTIC_CURVES         10      /**< supported_groups, formerly elliptic_curves (RFC 4492). */
#define TLS_EXT_EC_POINT_FORMATS        11      /**< ec_point_formats (RFC 4492). */
#define TLS_EXT_SIG_HASH_ALGO           13      /**< signature_algorithms (RFC 5246). */
#define TLS_EXT_CLIENT_CERTIFICATE_TYPE 19      /**< client_certificate_type (RFC 7250). */
#define TLS_EXT_SERVER_CERTIFICATE_TYPE 20      /**< server_certificate_type (RFC 7250). */
#define TLS_EXT_ENCRYPT_THEN_MAC        22      /**< encrypt_then_mac (RFC 7366); not used by the AEAD suites. */
#define TLS_EXT_EXTENDED_MASTER_SECRET  23      /**< extended_master_secret (RFC 7627). */
#define TLS_EXT_RENEGOTIATION_INFO      65281   /**< renegotiation_info (RFC 5746). */
#define TLS_EXT_CONNECTION_ID           54      /**< connection_id (RFC 9146), as on upstream's develop branch. */
/** @} */

/** @name Values carried in those extensions and messages
 * @{ */
#define TLS_CERT_TYPE_RAW_PUBLIC_KEY            2   /**< Certificate type: raw public key (RFC 7250), the only one supported. */
#define TLS_EXT_ELLIPTIC_CURVES_SECP256R1       23  /**< Named group secp256r1 (RFC 4492), the only curve. */
#define TLS_EXT_EC_POINT_FORMATS_UNCOMPRESSED   0   /**< EC point format: uncompressed (RFC 4492). */
#define TLS_EC_CURVE_TYPE_NAMED_CURVE           3   /**< ECParameters curve type: named curve (RFC 4492). */
#define TLS_CLIENT_CERTIFICATE_TYPE_ECDSA_SIGN  64  /**< CertificateRequest type ecdsa_sign (RFC 4492). */
#define TLS_EXT_SIG_HASH_ALGO_SHA256            4   /**< HashAlgorithm sha256 (RFC 5246). */
#define TLS_EXT_SIG_HASH_ALGO_ECDSA             3   /**< SignatureAlgorithm ecdsa (RFC 5246). */
/** @} */

/**
 * @brief XORs @p y into @p x: x[i] ^= y[i] for the first @p n bytes.
 *
 * @param x The buffer changed in place.
 * @param y The buffer XORed in.
 * @param n The number of bytes.
 */
static inline void
memxor(unsigned char *x, const unsigned char *y, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    x[i] ^= y[i];
}

/**
 * @brief Compares two buffers in constant time.
 *
 * Every byte is visited wherever a difference occurs, so the run time does
 * not tell an attacker how much of a MAC was right.
 *
 * @param a   One buffer.
 * @param b   The other.
 * @param len The number of bytes to compare.
 * @return 1 when the first @p len bytes are equal, 0 otherwise.
 */
static inline int
equals(unsigned char *a, unsigned char *b, size_t len) {
  unsigned char diff = 0;
  size_t i;
  for (i = 0; i < len; i++)
    diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

#ifdef HAVE_FLS
/** @brief The host's fls(), where it has one (not on glibc). */
#define dtls_fls(i) fls(i)
#else
/**
 * @brief Finds the most significant set bit ("find last set").
 *
 * @param i The value.
 * @return The bit's position counting from 1, or 0 when @p i is 0.
 */
static inline int
dtls_fls(unsigned int i) {
  int bits = 0;
  while (i) {
    bits++;
    i >>= 1;
  }
  return bits;
}
#endif /* HAVE_FLS */

#ifdef __cplusplus
}
#endif

/* Upstream makes uthash allocation failures return -1 from the calling
 * function; apps that use uthash after including us inherit this. */
#undef uthash_fatal
/**
 * @brief uthash's out-of-memory hook, redefined as upstream does: the
 *        function using a uthash macro returns -1.
 *
 * Only matters to applications that use uthash themselves after including
 * this header (this library's uthash.h has no macros).
 *
 * @param msg The message uthash passes; ignored.
 */
#define uthash_fatal(msg) return(-1)

#endif /* _DTLS_GLOBAL_H_ */
