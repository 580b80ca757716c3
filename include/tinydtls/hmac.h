/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file hmac.h
 * @brief SHA-256 hashing and HMAC-SHA256 on caller-owned contexts, as
 *        upstream's API.
 *
 * The contexts keep upstream's layout, so applications (libcoap among
 * them) may keep them on the stack. The functions only touch the given
 * context and buffers and are safe to call from any thread.
 */
#ifndef _DTLS_HMAC_H_
#define _DTLS_HMAC_H_

#include <sys/types.h>

#include "tinydtls.h"
#include "global.h"

#ifdef WITH_SHA256
#include "sha2/sha2.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifdef WITH_SHA256
/** @brief A hash context: SHA-256, the hash of every supported suite. */
typedef dtls_sha256_ctx dtls_hash_ctx;
/** @brief Pointer to a #dtls_hash_ctx. */
typedef dtls_hash_ctx *dtls_hash_t;
/** @brief Size of a #dtls_hash_ctx in bytes (104). */
#define DTLS_HASH_CTX_SIZE sizeof(dtls_sha256_ctx)

/**
 * @brief Starts a hash: dtls_sha256_init() (inline).
 *
 * @param ctx The context to (re)initialise.
 */
static inline void
dtls_hash_init(dtls_hash_t ctx) {
  dtls_sha256_init(ctx);
}

/**
 * @brief Feeds data into a hash: dtls_sha256_update() (inline).
 *
 * @param ctx   The context.
 * @param input The data.
 * @param len   Its length.
 */
static inline void
dtls_hash_update(dtls_hash_t ctx, const unsigned char *input, size_t len) {
  dtls_sha256_update(ctx, input, len);
}

/**
 * @brief Ends a hash: dtls_sha256_final() (inline). The context is wiped.
 *
 * @param buf Receives the #DTLS_SHA256_DIGEST_LENGTH-byte digest.
 * @param ctx The context.
 * @return The digest length, #DTLS_SHA256_DIGEST_LENGTH (32).
 */
static inline size_t
dtls_hash_finalize(unsigned char *buf, dtls_hash_t ctx) {
  dtls_sha256_final(buf, ctx);
  return DTLS_SHA256_DIGEST_LENGTH;
}
#endif /* WITH_SHA256 */

#define DTLS_HMAC_BLOCKSIZE   64  /**< Block size of the hash, and of the HMAC pads, in bytes. */
#define DTLS_HMAC_DIGEST_SIZE 32  /**< Length of an HMAC-SHA256 value. */
#define DTLS_HMAC_MAX         64  /**< A buffer size that holds any digest. */

/** @brief HashAlgorithm numbers (RFC 5246, section 7.4.1.4.1). Only
 *  SHA-256 is implemented; dtls_p_hash() ignores the value. */
typedef enum {
  HASH_NONE = 0,    /**< No hash. */
  HASH_MD5 = 1,     /**< MD5 (not implemented). */
  HASH_SHA1 = 2,    /**< SHA-1 (not implemented). */
  HASH_SHA224 = 3,  /**< SHA-224 (not implemented). */
  HASH_SHA256 = 4,  /**< SHA-256. */
  HASH_SHA384 = 5,  /**< SHA-384 (not implemented). */
  HASH_SHA512 = 6   /**< SHA-512 (not implemented). */
} dtls_hashfunc_t;

/**
 * @brief HMAC-SHA256 state in upstream's layout. Callers may keep it on
 *        the stack.
 *
 * It holds material derived from the key: clear it (e.g. memset) when it
 * is no longer needed.
 */
typedef struct {
  unsigned char pad[DTLS_HMAC_BLOCKSIZE];  /**< The key XOR the outer pad. */
  dtls_hash_ctx data;                      /**< The running inner hash. */
} dtls_hmac_context_t;

/**
 * @brief Starts an HMAC-SHA256 computation (RFC 2104).
 *
 * @param ctx  The context to initialise; NULL does nothing.
 * @param key  The key, of any length (keys longer than 64 bytes are hashed
 *             first); NULL counts as empty.
 * @param klen Its length.
 */
void dtls_hmac_init(dtls_hmac_context_t *ctx, const unsigned char *key, size_t klen);

/**
 * @brief Feeds data into an HMAC computation.
 *
 * @param ctx   The context from dtls_hmac_init(); NULL does nothing.
 * @param input The data; NULL does nothing.
 * @param ilen  Its length.
 */
void dtls_hmac_update(dtls_hmac_context_t *ctx, const unsigned char *input, size_t ilen);

/**
 * @brief Computes the MAC of the data fed so far.
 *
 * Start the next computation with dtls_hmac_init().
 *
 * @param ctx    The context.
 * @param result Receives the #DTLS_HMAC_DIGEST_SIZE-byte MAC
 *               (#DTLS_HMAC_MAX bytes are always enough).
 * @return The MAC's length, 32; 0 when @p ctx or @p result is NULL.
 */
int dtls_hmac_finalize(dtls_hmac_context_t *ctx, unsigned char *result);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_HMAC_H_ */
