/*
 * global.h -- basic types, limits and helpers shared by all headers.
 */
#ifndef _DTLS_GLOBAL_H_
#define _DTLS_GLOBAL_H_

#include <stdlib.h>
#include <sys/types.h>

#include "tinydtls.h"

/* Only DTLS 1.2 with the SHA-256 based PRF exists; these switches are
 * kept because applications and other headers test them. */
#ifndef DTLSv12
#define DTLSv12 1
#endif

#ifndef WITH_SHA256
#define WITH_SHA256 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Wire-format integers: big-endian byte arrays without alignment needs.
 * Use the numeric.h helpers to read and write them. */
typedef unsigned char uint8;
typedef unsigned char uint16[2];
typedef unsigned char uint24[3];
typedef unsigned char uint32[4];
typedef unsigned char uint48[6];

#ifndef DTLS_MAX_BUF
/* Largest datagram the library builds or queues.  The shared library is
 * compiled with the POSIX value; changing it in an app only changes the
 * app's own netq_packet_t type. */
#if defined(WITH_CONTIKI) || defined(RIOT_VERSION)
#ifdef DTLS_ECC
#define DTLS_MAX_BUF 200
#else
#define DTLS_MAX_BUF 120
#endif
#else
#define DTLS_MAX_BUF 1400
#endif
#endif /* DTLS_MAX_BUF */

/* Small-stack targets keep the send buffer in static storage. */
#if !defined(DTLS_CONSTRAINED_STACK) &&                         \
    (defined(WITH_CONTIKI) || defined(RIOT_VERSION)) &&         \
    (DTLS_MAX_BUF > 200)
#define DTLS_CONSTRAINED_STACK 1
#endif

#ifndef DTLS_DEFAULT_MAX_RETRANSMIT
/* How often a handshake flight is resent before it is given up. */
#define DTLS_DEFAULT_MAX_RETRANSMIT 7
#endif

/* Cipher suite code points (IANA values, host byte order). */
typedef enum {
  TLS_NULL_WITH_NULL_NULL = 0x0000,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF,     /* RFC 5746 */
  TLS_PSK_WITH_AES_128_CCM = 0xC0A4,              /* RFC 6655 */
  TLS_PSK_WITH_AES_128_CCM_8 = 0xC0A8,            /* RFC 6655 */
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM = 0xC0AC,      /* RFC 7251 */
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 = 0xC0AE     /* RFC 7251 */
} dtls_cipher_t;

/* Record compression: only the null method exists. */
typedef enum {
  TLS_COMPRESSION_NULL = 0x0000
} dtls_compression_t;

/* Hello extension types. */
#define TLS_EXT_ELLIPTIC_CURVES         10      /* RFC 4492 */
#define TLS_EXT_EC_POINT_FORMATS        11      /* RFC 4492 */
#define TLS_EXT_SIG_HASH_ALGO           13      /* RFC 5246 */
#define TLS_EXT_CLIENT_CERTIFICATE_TYPE 19      /* RFC 7250 */
#define TLS_EXT_SERVER_CERTIFICATE_TYPE 20      /* RFC 7250 */
#define TLS_EXT_ENCRYPT_THEN_MAC        22      /* RFC 7366 */
#define TLS_EXT_EXTENDED_MASTER_SECRET  23      /* RFC 7627 */
#define TLS_EXT_RENEGOTIATION_INFO      65281   /* RFC 5746 */
#define TLS_EXT_CONNECTION_ID           54      /* RFC 9146 */

/* Values carried inside those extensions. */
#define TLS_CERT_TYPE_RAW_PUBLIC_KEY            2   /* RFC 7250 */
#define TLS_EXT_ELLIPTIC_CURVES_SECP256R1       23  /* RFC 4492 */
#define TLS_EXT_EC_POINT_FORMATS_UNCOMPRESSED   0   /* RFC 4492 */
#define TLS_EC_CURVE_TYPE_NAMED_CURVE           3   /* RFC 4492 */
#define TLS_CLIENT_CERTIFICATE_TYPE_ECDSA_SIGN  64  /* RFC 4492 */
#define TLS_EXT_SIG_HASH_ALGO_SHA256            4   /* RFC 5246 */
#define TLS_EXT_SIG_HASH_ALGO_ECDSA             3   /* RFC 5246 */

/* x[i] ^= y[i] for the first n bytes. */
static inline void
memxor(unsigned char *x, const unsigned char *y, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    x[i] ^= y[i];
}

/*
 * Returns 1 when the first len bytes of a and b are equal, 0 otherwise.
 * Every byte is visited regardless of where a difference occurs, so the
 * run time does not tell an attacker how much of a MAC was right.
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
#define dtls_fls(i) fls(i)
#else
/* Position of the most significant set bit, counting from 1; 0 for 0. */
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
#define uthash_fatal(msg) return(-1)

#endif /* _DTLS_GLOBAL_H_ */
