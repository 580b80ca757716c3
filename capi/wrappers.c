/*
 * The functions of dtls.h with upstream's exact signatures. Each one only
 * forwards to its Go export; cgo cannot export const parameters, and
 * compiling these against the public header makes the compiler check that
 * every signature matches it.
 */
#include "capi.h"
#include "_cgo_export.h"

void dtls_init(void) {
  dtls_clock_init();
  crypto_init();
  peer_init();
}

dtls_context_t *dtls_new_context(void *app_data) {
  tdtls_context_impl *c = calloc(1, sizeof(*c));
  if (!c)
    return NULL;
  c->pub.app = app_data;
  /* Applications never read these; they are kept meaningful anyway. The
   * engine's real cookie secrets live on the Go side and rotate. */
  (void)dtls_prng(c->pub.cookie_secret, sizeof(c->pub.cookie_secret));
  dtls_ticks(&c->pub.cookie_secret_age);
  if (!tdtls_go_new_context(&c->pub)) {
    free(c);
    return NULL;
  }
  return &c->pub;
}

void dtls_free_context(dtls_context_t *ctx) {
  if (ctx)
    tdtls_go_free_context(ctx);
}

int dtls_connect(dtls_context_t *ctx, const session_t *dst) {
  return tdtls_go_connect(ctx, (session_t *)dst);
}

int dtls_connect_peer(dtls_context_t *ctx, dtls_peer_t *peer) {
  return tdtls_go_connect_peer(ctx, peer);
}

int dtls_close(dtls_context_t *ctx, const session_t *remote) {
  return tdtls_go_close(ctx, (session_t *)remote);
}

int dtls_renegotiate(dtls_context_t *ctx, const session_t *dst) {
  return tdtls_go_renegotiate(ctx, (session_t *)dst);
}

int dtls_writev(struct dtls_context_t *ctx, session_t *session,
                uint8 *buf_array[], size_t buf_len_array[],
                size_t buf_array_len) {
  return tdtls_go_writev(ctx, session, buf_array, buf_len_array,
                         buf_array_len);
}

int dtls_write(struct dtls_context_t *ctx, session_t *session, uint8 *buf,
               size_t len) {
  return tdtls_go_write(ctx, session, buf, len);
}

void dtls_check_retransmit(dtls_context_t *context, clock_time_t *next) {
  tdtls_go_check_retransmit(context, next);
}

int dtls_handle_message(dtls_context_t *ctx, session_t *session, uint8 *msg,
                        int msglen) {
  return tdtls_go_handle_message(ctx, session, msg, msglen);
}

dtls_peer_t *dtls_get_peer(const dtls_context_t *context,
                           const session_t *session) {
  return tdtls_go_get_peer((dtls_context_t *)context, (session_t *)session);
}

void dtls_reset_peer(dtls_context_t *context, dtls_peer_t *peer) {
  tdtls_go_reset_peer(context, peer);
}

/* dtls_time.h: milliseconds on the monotonic clock since the library was
 * loaded, the time base of dtls_check_retransmit(). dtls_clock_offset keeps
 * upstream's meaning, the wall-clock second of dtls_clock_init(). */
time_t dtls_clock_offset;

void dtls_clock_init(void) {
  dtls_clock_offset = time(NULL);
}

void dtls_ticks(dtls_tick_t *t) {
  if (t)
    *t = (dtls_tick_t)tdtls_go_ticks();
}

/* dtls_ext.h */

int dtls_set_mtu(dtls_context_t *ctx, size_t mtu) {
  return tdtls_go_set_mtu(ctx, mtu);
}

size_t dtls_get_mtu(const dtls_context_t *ctx) {
  return tdtls_go_get_mtu((dtls_context_t *)ctx);
}

int dtls_set_initial_timeout(dtls_context_t *ctx, unsigned int ms) {
  return tdtls_go_set_initial_timeout(ctx, ms);
}

int dtls_get_max_write(dtls_context_t *ctx, const session_t *session) {
  return tdtls_go_get_max_write(ctx, (session_t *)session);
}
