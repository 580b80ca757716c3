/*
 * hmac.h -- hashing and HMAC-SHA256 (used by the PRF, cookies and MACs).
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
/* The handshake transcript hash: SHA-256 for every supported suite. */
typedef dtls_sha256_ctx dtls_hash_ctx;
typedef dtls_hash_ctx *dtls_hash_t;
#define DTLS_HASH_CTX_SIZE sizeof(dtls_sha256_ctx)

static inline void
dtls_hash_init(dtls_hash_t ctx) {
  dtls_sha256_init(ctx);
}

static inline void
dtls_hash_update(dtls_hash_t ctx, const unsigned char *input, size_t len) {
  dtls_sha256_update(ctx, input, len);
}

/* Writes the digest to buf and returns its length. */
static inline size_t
dtls_hash_finalize(unsigned char *buf, dtls_hash_t ctx) {
  dtls_sha256_final(buf, ctx);
  return DTLS_SHA256_DIGEST_LENGTH;
}
#endif /* WITH_SHA256 */

#define DTLS_HMAC_BLOCKSIZE   64  /* hash input block size */
#define DTLS_HMAC_DIGEST_SIZE 32  /* SHA-256 output size */
#define DTLS_HMAC_MAX         64  /* buffer size that fits any digest */

/* HashAlgorithm numbers of RFC 5246, section 7.4.1.4.1. */
typedef enum {
  HASH_NONE = 0, HASH_MD5 = 1, HASH_SHA1 = 2, HASH_SHA224 = 3,
  HASH_SHA256 = 4, HASH_SHA384 = 5, HASH_SHA512 = 6
} dtls_hashfunc_t;

/*
 * HMAC state.  Callers may keep it on the stack; it is set up by
 * dtls_hmac_init() and has to be initialised again after
 * dtls_hmac_finalize().
 */
typedef struct {
  unsigned char pad[DTLS_HMAC_BLOCKSIZE];  /* key-derived outer pad */
  dtls_hash_ctx data;                      /* running inner hash */
} dtls_hmac_context_t;

/* Starts an HMAC computation with the given key (any length). */
void dtls_hmac_init(dtls_hmac_context_t *ctx, const unsigned char *key, size_t klen);

/* Feeds ilen bytes of input. */
void dtls_hmac_update(dtls_hmac_context_t *ctx, const unsigned char *input, size_t ilen);

/* Writes the MAC to result (DTLS_HMAC_MAX bytes are always enough) and
 * returns its length. */
int dtls_hmac_finalize(dtls_hmac_context_t *ctx, unsigned char *result);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_HMAC_H_ */
