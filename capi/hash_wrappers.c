/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sha2.h, hmac.h and the PRF part of crypto.h with upstream's signatures,
 * forwarding to the Go exports in hash.go.
 */
#include <stdio.h>

#include "capi.h"
#include "_cgo_export.h"

void dtls_sha256_init(dtls_sha256_ctx *ctx) { tdtls_go_sha256_init(ctx); }

void dtls_sha256_update(dtls_sha256_ctx *ctx, const uint8_t *data,
                        size_t len) {
  tdtls_go_sha256_update(ctx, (uint8_t *)data, len);
}

void dtls_sha256_final(uint8_t digest[DTLS_SHA256_DIGEST_LENGTH],
                       dtls_sha256_ctx *ctx) {
  tdtls_go_sha256_final(digest, ctx);
}

char *dtls_sha256_end(dtls_sha256_ctx *ctx,
                      char buffer[DTLS_SHA256_DIGEST_STRING_LENGTH]) {
  uint8_t digest[DTLS_SHA256_DIGEST_LENGTH] = {0}; /* all zero without a context */
  int i;
  if (!buffer) {
    tdtls_go_sha256_final(NULL, ctx);
    return NULL;
  }
  tdtls_go_sha256_final(digest, ctx);
  for (i = 0; i < DTLS_SHA256_DIGEST_LENGTH; i++)
    snprintf(buffer + 2 * i, 3, "%02x", digest[i]);
  buffer[2 * DTLS_SHA256_DIGEST_LENGTH] = '\0';
  return buffer;
}

char *dtls_sha256_data(const uint8_t *data, size_t len,
                       char digest[DTLS_SHA256_DIGEST_STRING_LENGTH]) {
  dtls_sha256_ctx ctx;
  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, data, len);
  return dtls_sha256_end(&ctx, digest);
}

/* Not declared in any header, but upstream's library exports it. */
void dtls_sha256_transform(dtls_sha256_ctx *ctx, const uint32_t *data);
void dtls_sha256_transform(dtls_sha256_ctx *ctx, const uint32_t *data) {
  tdtls_go_sha256_transform(ctx, (uint32_t *)data);
}

void dtls_hmac_init(dtls_hmac_context_t *ctx, const unsigned char *key,
                    size_t klen) {
  tdtls_go_hmac_init(ctx, (unsigned char *)key, klen);
}

void dtls_hmac_update(dtls_hmac_context_t *ctx, const unsigned char *input,
                      size_t ilen) {
  tdtls_go_hmac_update(ctx, (unsigned char *)input, ilen);
}

int dtls_hmac_finalize(dtls_hmac_context_t *ctx, unsigned char *result) {
  return tdtls_go_hmac_finalize(ctx, result);
}

size_t dtls_p_hash(dtls_hashfunc_t h, const unsigned char *key, size_t keylen,
                   const unsigned char *label, size_t labellen,
                   const unsigned char *random1, size_t random1len,
                   const unsigned char *random2, size_t random2len,
                   unsigned char *buf, size_t buflen) {
  (void)h;
  return tdtls_go_p_hash((unsigned char *)key, keylen,
                         (unsigned char *)label, labellen,
                         (unsigned char *)random1, random1len,
                         (unsigned char *)random2, random2len, buf, buflen);
}

size_t dtls_prf(const unsigned char *key, size_t keylen,
                const unsigned char *label, size_t labellen,
                const unsigned char *random1, size_t random1len,
                const unsigned char *random2, size_t random2len,
                unsigned char *buf, size_t buflen) {
  if (buf)
    memset(buf, 0, buflen);
  return dtls_p_hash(HASH_SHA256, key, keylen, label, labellen, random1,
                     random1len, random2, random2len, buf, buflen);
}

/* HMAC over a record for MAC-then-encrypt suites (none negotiated here, but
 * the function is part of the API): epoch and sequence number, type and
 * version, the length, then the content. */
void dtls_mac(dtls_hmac_context_t *hmac_ctx, const unsigned char *record,
              const unsigned char *packet, size_t length, unsigned char *buf) {
  unsigned char len[2];
  if (!hmac_ctx || !record || !buf)
    return;
  len[0] = (unsigned char)(length >> 8);
  len[1] = (unsigned char)length;
  dtls_hmac_update(hmac_ctx, record + 3, 2 + 6);
  dtls_hmac_update(hmac_ctx, record, 1 + 2);
  dtls_hmac_update(hmac_ctx, len, 2);
  dtls_hmac_update(hmac_ctx, packet, length);
  dtls_hmac_finalize(hmac_ctx, buf);
}

int dtls_psk_pre_master_secret(unsigned char *key, size_t keylen,
                               unsigned char *result, size_t result_len) {
  return tdtls_go_psk_pre_master_secret(key, keylen, result, result_len);
}
