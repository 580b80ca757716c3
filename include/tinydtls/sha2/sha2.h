/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sha2.h
 * @brief SHA-2 hash contexts and the SHA-256 functions of libtinydtls
 *        (`sha2/sha2.h`).
 *
 * The context structures keep upstream's layout because applications
 * (libcoap among them) allocate them on the stack. Only the SHA-256
 * functions exist in the library; the SHA-384/512 types and lengths are
 * declared for source compatibility. The functions only touch the given
 * context and buffers and are safe to call from any thread.
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

#define DTLS_SHA256_BLOCK_LENGTH          64   /**< SHA-256 block size in bytes. */
#define DTLS_SHA256_DIGEST_LENGTH         32   /**< SHA-256 digest size in bytes. */
#define DTLS_SHA256_DIGEST_STRING_LENGTH  (DTLS_SHA256_DIGEST_LENGTH * 2 + 1)   /**< Size of a SHA-256 digest in hex with its NUL (65). */
#define DTLS_SHA384_BLOCK_LENGTH          128  /**< SHA-384 block size (not implemented). */
#define DTLS_SHA384_DIGEST_LENGTH         48   /**< SHA-384 digest size (not implemented). */
#define DTLS_SHA384_DIGEST_STRING_LENGTH  (DTLS_SHA384_DIGEST_LENGTH * 2 + 1)   /**< SHA-384 digest in hex with its NUL (not implemented). */
#define DTLS_SHA512_BLOCK_LENGTH          128  /**< SHA-512 block size (not implemented). */
#define DTLS_SHA512_DIGEST_LENGTH         64   /**< SHA-512 digest size (not implemented). */
#define DTLS_SHA512_DIGEST_STRING_LENGTH  (DTLS_SHA512_DIGEST_LENGTH * 2 + 1)   /**< SHA-512 digest in hex with its NUL (not implemented). */

/** @brief A SHA-256 computation in progress, in upstream's layout (104
 *  bytes). Set it up with dtls_sha256_init(). */
typedef struct _dtls_sha256_ctx {
  uint32_t state[8];                          /**< The chaining value. */
  uint64_t bitcount;                          /**< The number of bits hashed so far. */
  uint8_t  buffer[DTLS_SHA256_BLOCK_LENGTH];  /**< The partial input block. */
} dtls_sha256_ctx;

/** @brief A SHA-512 context in upstream's layout; no function of the
 *  library uses it. */
typedef struct _dtls_sha512_ctx {
  uint64_t state[8];                          /**< The chaining value. */
  uint64_t bitcount[2];                       /**< The number of bits hashed so far (128 bits). */
  uint8_t  buffer[DTLS_SHA512_BLOCK_LENGTH];  /**< The partial input block. */
} dtls_sha512_ctx;

/** @brief A SHA-384 context: the SHA-512 one; not used by the library. */
typedef dtls_sha512_ctx dtls_sha384_ctx;

/**
 * @brief Starts (or restarts) a SHA-256 computation.
 *
 * Unlike upstream, the SHA-256 functions are declared whether or not
 * #WITH_SHA256 is defined.
 *
 * @par Arguments
 * 1. the context to initialise; NULL does nothing.
 */
void dtls_sha256_init(dtls_sha256_ctx *);
/**
 * @brief Feeds data into a SHA-256 computation.
 *
 * @par Arguments
 * 1. the context;
 * 2. the data;
 * 3. its length in bytes.
 *
 * Nothing happens for a NULL context or data, or a length of 0.
 */
void dtls_sha256_update(dtls_sha256_ctx*, const uint8_t*, size_t);
/**
 * @brief Ends a SHA-256 computation and wipes the context (all zero).
 *
 * @par Arguments
 * 1. receives the #DTLS_SHA256_DIGEST_LENGTH-byte digest; NULL only wipes
 *    the context;
 * 2. the context; NULL does nothing.
 */
void dtls_sha256_final(uint8_t[DTLS_SHA256_DIGEST_LENGTH], dtls_sha256_ctx*);
/**
 * @brief Ends a SHA-256 computation, wipes the context and writes the
 *        digest as lower-case hex.
 *
 * @par Arguments
 * 1. the context;
 * 2. receives 64 hex digits and a NUL (#DTLS_SHA256_DIGEST_STRING_LENGTH
 *    bytes); when NULL the context is only wiped.
 *
 * @return The second argument.
 */
char* dtls_sha256_end(dtls_sha256_ctx*, char[DTLS_SHA256_DIGEST_STRING_LENGTH]);
/**
 * @brief The SHA-256 digest of a buffer, in lower-case hex.
 *
 * @par Arguments
 * 1. the data;
 * 2. its length in bytes;
 * 3. receives 64 hex digits and a NUL.
 *
 * @return The third argument (NULL when it is NULL).
 */
char* dtls_sha256_data(const uint8_t*, size_t, char[DTLS_SHA256_DIGEST_STRING_LENGTH]);

#ifdef __cplusplus
}
#endif

#endif /* __SHA2_H__ */
