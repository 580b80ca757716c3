/*
 * sha2/sha2.h -- SHA-2 hash contexts and the SHA-256 API of libtinydtls.
 *
 * The context structures keep upstream's layout because applications
 * (libcoap among them) allocate them on the stack.  Only the SHA-256
 * functions exist in the library; the SHA-384/512 types and lengths are
 * declared for source compatibility.
 */
#ifndef __SHA2_H__
#define __SHA2_H__

#include <sys/types.h>
/* Spelled relative to this file so that it is found both with
 * -I<prefix>/include/tinydtls and with only -I<prefix>/include. */
#include "../tinydtls.h"

/*
 * Upstream lets SHA2_USE_INTTYPES_H choose between <inttypes.h> and the
 * BSD u_intXX_t names.  On the hosts we support both name the very same
 * types, so we always declare with the C99 ones, which also exist in
 * strict ISO modes where <sys/types.h> hides u_intXX_t.
 */
#ifdef SHA2_USE_INTTYPES_H
#include <inttypes.h>
#else
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define DTLS_SHA256_BLOCK_LENGTH          64
#define DTLS_SHA256_DIGEST_LENGTH         32
#define DTLS_SHA256_DIGEST_STRING_LENGTH  (DTLS_SHA256_DIGEST_LENGTH * 2 + 1)
#define DTLS_SHA384_BLOCK_LENGTH          128
#define DTLS_SHA384_DIGEST_LENGTH         48
#define DTLS_SHA384_DIGEST_STRING_LENGTH  (DTLS_SHA384_DIGEST_LENGTH * 2 + 1)
#define DTLS_SHA512_BLOCK_LENGTH          128
#define DTLS_SHA512_DIGEST_LENGTH         64
#define DTLS_SHA512_DIGEST_STRING_LENGTH  (DTLS_SHA512_DIGEST_LENGTH * 2 + 1)

typedef struct _dtls_sha256_ctx {
  uint32_t state[8];                          /* chaining value */
  uint64_t bitcount;                          /* message length in bits */
  uint8_t  buffer[DTLS_SHA256_BLOCK_LENGTH];  /* partial input block */
} dtls_sha256_ctx;

typedef struct _dtls_sha512_ctx {
  uint64_t state[8];
  uint64_t bitcount[2];
  uint8_t  buffer[DTLS_SHA512_BLOCK_LENGTH];
} dtls_sha512_ctx;

typedef dtls_sha512_ctx dtls_sha384_ctx;

/*
 * SHA-256.  The library always provides these, so unlike upstream they
 * are declared even when this header is included before global.h has
 * defined WITH_SHA256.
 */
void dtls_sha256_init(dtls_sha256_ctx *);
void dtls_sha256_update(dtls_sha256_ctx*, const uint8_t*, size_t);
void dtls_sha256_final(uint8_t[DTLS_SHA256_DIGEST_LENGTH], dtls_sha256_ctx*);
/* Finalises and writes the digest as lower-case hex; returns the buffer. */
char* dtls_sha256_end(dtls_sha256_ctx*, char[DTLS_SHA256_DIGEST_STRING_LENGTH]);
/* One-shot hex digest of a buffer. */
char* dtls_sha256_data(const uint8_t*, size_t, char[DTLS_SHA256_DIGEST_STRING_LENGTH]);

#ifdef __cplusplus
}
#endif

#endif /* __SHA2_H__ */
