/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal declarations of the cgo layer: the allocation that wraps a
 * dtls_context_t, and the trampolines through which Go calls the
 * application's callbacks (Go cannot call C function pointers itself).
 * Nothing here is installed.
 */
#ifndef TDTLS_CAPI_H
#define TDTLS_CAPI_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"
#include "dtls_time.h"
#include "dtls_prng.h"
#include "crypto.h"
#include "hmac.h"
#include "ccm.h"
#include "netq.h"
#include "session.h"
#include "peer.h"
#include "sha2/sha2.h"
#include "aes/rijndael.h"
#include "ecc/ecc.h"
#include "dtls_ext.h"

/*
 * What dtls_new_context() allocates: the public struct applications read
 * (ctx->app, ctx->h) followed by the handle of the Go state. Applications
 * only ever see a dtls_context_t *, which points at .pub.
 */
typedef struct {
  dtls_context_t pub;
  uintptr_t handle; /* an index into the Go side's table (handles.go) */
  /* The thread inside the library with this context (0: none) and how
   * deeply its calls nest through callbacks; see wrappers.c. */
  unsigned long owner;
  int depth;
  /* Set by the Go side when the context is destroyed; the memory is
   * released when the outermost call returns. */
  int freed;
  /* The session_t passed to the callbacks of the outermost call for an
   * association without a dtls_peer_t mirror that is going away (the Go
   * side's peers.go); deeper calls allocate theirs. */
  session_t scratch;
} tdtls_context_impl;

/* Callback trampolines. Each checks for a missing table or slot, which
 * applications are allowed to leave NULL. */
static inline int tdtls_cb_write(dtls_context_t *ctx, session_t *s,
                                 uint8 *buf, size_t len) {
  if (!ctx->h || !ctx->h->write)
    return -1;
  return ctx->h->write(ctx, s, buf, len);
}

static inline void tdtls_cb_read(dtls_context_t *ctx, session_t *s,
                                 uint8 *buf, size_t len) {
  if (ctx->h && ctx->h->read)
    (void)ctx->h->read(ctx, s, buf, len);
}

static inline void tdtls_cb_event(dtls_context_t *ctx, session_t *s,
                                  int level, unsigned short code) {
  if (ctx->h && ctx->h->event)
    (void)ctx->h->event(ctx, s, (dtls_alert_level_t)level, code);
}

/* Bit 0: get_psk_info, bit 1: get_ecdsa_key, bit 2: verify_ecdsa_key. */
static inline int tdtls_caps(const dtls_context_t *ctx) {
  const dtls_handler_t *h = ctx->h;
  if (!h)
    return 0;
  return (h->get_psk_info ? 1 : 0) | (h->get_ecdsa_key ? 2 : 0) |
         (h->verify_ecdsa_key ? 4 : 0);
}

/* cgo cannot touch bitfields, so the flags travel as a bitmask:
 * bit 0 force_extended_master_secret, bit 1 force_renegotiation_info,
 * bit 2 support_cid. */
static inline unsigned tdtls_up_get_flags(const dtls_user_parameters_t *p) {
  return (p->force_extended_master_secret ? 1u : 0u) |
         (p->force_renegotiation_info ? 2u : 0u) |
         (p->support_cid ? 4u : 0u);
}

static inline void tdtls_up_set_flags(dtls_user_parameters_t *p, unsigned f) {
  p->force_extended_master_secret = (f & 1u) ? 1 : 0;
  p->force_renegotiation_info = (f & 2u) ? 1 : 0;
  p->support_cid = (f & 4u) ? 1 : 0;
}

/* Returns 1 if the application has a get_user_parameters callback and
 * called it. */
static inline int tdtls_cb_user_params(dtls_context_t *ctx, session_t *s,
                                       dtls_user_parameters_t *p) {
  if (!ctx->h || !ctx->h->get_user_parameters)
    return 0;
  ctx->h->get_user_parameters(ctx, s, p);
  return 1;
}

static inline int tdtls_cb_psk(dtls_context_t *ctx, const session_t *s,
                               int type, const unsigned char *desc,
                               size_t desc_len, unsigned char *out,
                               size_t out_len) {
  if (!ctx->h || !ctx->h->get_psk_info)
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  return ctx->h->get_psk_info(ctx, s, (dtls_credentials_type_t)type, desc,
                              desc_len, out, out_len);
}

/* Copies the application's key into out (priv, x, y; 32 bytes each). */
static inline int tdtls_cb_ecdsa_key(dtls_context_t *ctx, const session_t *s,
                                     unsigned char out[96]) {
  const dtls_ecdsa_key_t *key = NULL;
  int ret;
  if (!ctx->h || !ctx->h->get_ecdsa_key)
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  ret = ctx->h->get_ecdsa_key(ctx, s, &key);
  if (ret < 0)
    return ret;
  if (!key || key->curve != DTLS_ECDH_CURVE_SECP256R1 || !key->priv_key ||
      !key->pub_key_x || !key->pub_key_y)
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  memcpy(out, key->priv_key, 32);
  memcpy(out + 32, key->pub_key_x, 32);
  memcpy(out + 64, key->pub_key_y, 32);
  return 0;
}

static inline int tdtls_cb_verify(dtls_context_t *ctx, const session_t *s,
                                  const unsigned char *x,
                                  const unsigned char *y) {
  if (!ctx->h || !ctx->h->verify_ecdsa_key)
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  return ctx->h->verify_ecdsa_key(ctx, s, x, y, 32);
}

static inline void tdtls_ctx_mark_freed(dtls_context_t *ctx) {
  ((tdtls_context_impl *)ctx)->freed = 1;
}

/* Logging, implemented in log.c. */
extern volatile int tdtls_log_level;
void tdtls_log_line(int level, const char *msg);
dtls_log_handler_t tdtls_current_log_handler(void);
/* An API function refuses (or ignores) an argument: one DTLS_LOG_WARN line
 * "fn: what", what formatted from fmt. Returns 1. */
int tdtls_arg_refused(const char *fn, const char *fmt, ...)
    __attribute__((cold, noinline, format(printf, 2, 3)));
#ifdef TDTLS_FRONT
/* In the front (capi/front/front.c): passes the log settings on to the
 * engine, if it is loaded. */
void tdtls_front_log_changed(void);
#endif

/* Peer objects, implemented in objects.c. */
dtls_peer_t *tdtls_peer_alloc(const session_t *session, int role);

#endif /* TDTLS_CAPI_H */
