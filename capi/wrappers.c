/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine's functions of dtls.h and dtls_ext.h that take a context, with
 * upstream's exact signatures (the front's table points at them; see
 * engine_ops.c). Each one enters the context, forwards to its Go export and
 * leaves; cgo cannot export const parameters, and compiling these against
 * the public header makes the compiler check that every signature matches
 * it. The front has checked the arguments (forward.def) before any of them
 * is called; the checks here only keep the engine safe on its own.
 */
#include <pthread.h>

#include "capi.h"
#include "_cgo_export.h"

/*
 * Random bytes for the public cookie_secret of new contexts, from a pool
 * refilled 4 KiB at a time: one getrandom() system call per 341 contexts
 * instead of one each (that call was most of the cost of creating a
 * context). Bytes handed out are wiped from the pool.
 */
static void pooled_random(unsigned char *out, size_t n) {
  static unsigned char pool[4096];
  static size_t used = sizeof(pool);
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&mu);
  if (n > sizeof(pool) - used) {
    if (dtls_prng(pool, sizeof(pool)) != (int)sizeof(pool)) {
      pthread_mutex_unlock(&mu);
      (void)dtls_prng(out, n);
      return;
    }
    used = 0;
  }
  memcpy(out, pool + used, n);
  memset(pool + used, 0, n);
  used += n;
  pthread_mutex_unlock(&mu);
}

dtls_context_t *dtls_new_context(void *app_data) {
  tdtls_context_impl *c = calloc(1, sizeof(*c));
  if (!c)
    return NULL;
  c->pub.app = app_data;
  /* Applications never read these; they are kept meaningful anyway. The
   * engine's real cookie secrets live on the Go side and rotate. */
  pooled_random(c->pub.cookie_secret, sizeof(c->pub.cookie_secret));
  dtls_ticks(&c->pub.cookie_secret_age);
  if (!tdtls_go_new_context(&c->pub)) {
    free(c);
    return NULL;
  }
  /* dtls_set_versions() for programs that cannot call it (dtls_ext.h);
   * nothing reaches the engine when neither variable is set. */
  {
    char *lo = getenv("TINYDTLS_GO_MIN_VERSION");
    char *hi = getenv("TINYDTLS_GO_MAX_VERSION");
    if (lo || hi)
      tdtls_go_env_versions(&c->pub, lo, hi);
  }
  return &c->pub;
}

/*
 * One context is used by one thread at a time (as with upstream); calls
 * nest when a callback calls back in. A second thread entering while
 * another is inside would corrupt the context, so it is refused with a
 * critical log line. One compare-and-swap per call. Every function below
 * is one IN_CONTEXT() or IN_CONTEXT_VOID(): ctx_enter(), which also
 * refuses a NULL context, the call, ctx_leave().
 */
static int ctx_enter(dtls_context_t *ctx) {
  tdtls_context_impl *c = (tdtls_context_impl *)ctx;
  unsigned long self, expected = 0;
  if (!ctx)
    return -1;
  self = (unsigned long)pthread_self();
  if (__atomic_compare_exchange_n(&c->owner, &expected, self, 0,
                                  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
    c->depth = 1;
    return 0;
  }
  if (expected == self) {
    c->depth++;
    return 0;
  }
  dsrv_log(DTLS_LOG_CRIT,
           "dtls context %p used from two threads at once; call refused\n",
           (void *)ctx);
  return -1;
}

static void ctx_leave(dtls_context_t *ctx) {
  tdtls_context_impl *c = (tdtls_context_impl *)ctx;
  if (--c->depth > 0)
    return;
  if (c->freed) {
    free(c);
    return;
  }
  __atomic_store_n(&c->owner, 0, __ATOMIC_RELEASE);
}

/* The body of a function on a context: enters ctx (or returns err), makes
 * the call, leaves, and returns the call's result. */
#define IN_CONTEXT(type, ctx, err, call)                                    \
  do {                                                                      \
    type r_;                                                                \
    if (ctx_enter(ctx) < 0)                                                 \
      return err;                                                           \
    r_ = (call);                                                            \
    ctx_leave(ctx);                                                         \
    return r_;                                                              \
  } while (0)

/* The same for a call without a result. */
#define IN_CONTEXT_VOID(ctx, call)                                          \
  do {                                                                      \
    if (ctx_enter(ctx) < 0)                                                 \
      return;                                                               \
    call;                                                                   \
    ctx_leave(ctx);                                                         \
  } while (0)

void dtls_free_context(dtls_context_t *ctx) {
  IN_CONTEXT_VOID(ctx, tdtls_go_free_context(ctx));
}

int dtls_connect(dtls_context_t *ctx, const session_t *dst) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_connect(ctx, (session_t *)dst));
}

int dtls_connect_peer(dtls_context_t *ctx, dtls_peer_t *peer) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_connect_peer(ctx, peer));
}

int dtls_close(dtls_context_t *ctx, const session_t *remote) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_close(ctx, (session_t *)remote));
}

int dtls_renegotiate(dtls_context_t *ctx, const session_t *dst) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_renegotiate(ctx, (session_t *)dst));
}

int dtls_writev(struct dtls_context_t *ctx, session_t *session,
                uint8 *buf_array[], size_t buf_len_array[],
                size_t buf_array_len) {
  IN_CONTEXT(int, ctx, -1,
             tdtls_go_writev(ctx, session, buf_array, buf_len_array,
                             buf_array_len));
}

int dtls_write(struct dtls_context_t *ctx, session_t *session, uint8 *buf,
               size_t len) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_write(ctx, session, buf, len));
}

void dtls_check_retransmit(dtls_context_t *context, clock_time_t *next) {
  if (next)
    *next = 0;
  IN_CONTEXT_VOID(context, tdtls_go_check_retransmit(context, next, NULL));
}

/* The front's form (engine_ops.h): also until when the answer holds. */
void tdtls_check_retransmit_until(dtls_context_t *context, clock_time_t *next,
                                  long long *until) {
  *until = -1;
  if (next)
    *next = 0;
  IN_CONTEXT_VOID(context, tdtls_go_check_retransmit(context, next, until));
}

int dtls_handle_message(dtls_context_t *ctx, session_t *session, uint8 *msg,
                        int msglen) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_handle_message(ctx, session, msg, msglen));
}

dtls_peer_t *dtls_get_peer(const dtls_context_t *context,
                           const session_t *session) {
  dtls_context_t *ctx = (dtls_context_t *)context;
  IN_CONTEXT(dtls_peer_t *, ctx, NULL,
             tdtls_go_get_peer(ctx, (session_t *)session));
}

void dtls_reset_peer(dtls_context_t *context, dtls_peer_t *peer) {
  IN_CONTEXT_VOID(context, tdtls_go_reset_peer(context, peer));
}

/* dtls_time.h: the engine's own reading of the clock (the front serves
 * dtls_ticks() to applications from the same origin). */
void dtls_ticks(dtls_tick_t *t) {
  if (t)
    *t = (dtls_tick_t)tdtls_go_ticks();
}

/* dtls_ext.h */

int dtls_set_mtu(dtls_context_t *ctx, size_t mtu) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_set_mtu(ctx, mtu));
}

size_t dtls_get_mtu(const dtls_context_t *context) {
  dtls_context_t *ctx = (dtls_context_t *)context;
  IN_CONTEXT(size_t, ctx, 0, tdtls_go_get_mtu(ctx));
}

int dtls_set_initial_timeout(dtls_context_t *ctx, unsigned int ms) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_set_initial_timeout(ctx, ms));
}

int dtls_get_max_write(dtls_context_t *ctx, const session_t *session) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_get_max_write(ctx, (session_t *)session));
}

int dtls_set_record_size_limit(dtls_context_t *ctx, size_t limit) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_set_record_size_limit(ctx, limit));
}

int dtls_set_cid_length(dtls_context_t *ctx, size_t length) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_set_cid_length(ctx, length));
}

int dtls_set_versions(dtls_context_t *ctx, uint16_t min_version,
                      uint16_t max_version) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_set_versions(ctx, min_version, max_version));
}

int dtls_get_version(dtls_context_t *ctx, const session_t *session) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_get_version(ctx, (session_t *)session));
}

int dtls_set_limits(dtls_context_t *ctx, unsigned int max_peers,
                    unsigned int max_handshakes) {
  IN_CONTEXT(int, ctx, -1, tdtls_go_set_limits(ctx, max_peers, max_handshakes));
}
