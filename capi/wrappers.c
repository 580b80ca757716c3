/*
 * The functions of dtls.h with upstream's exact signatures. Each one only
 * forwards to its Go export; cgo cannot export const parameters, and
 * compiling these against the public header makes the compiler check that
 * every signature matches it.
 */
#include <pthread.h>

#include "capi.h"
#include "_cgo_export.h"

void dtls_init(void) {
  dtls_clock_init();
  crypto_init();
  peer_init();
}

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
  return &c->pub;
}

/*
 * One context is used by one thread at a time (as with upstream); calls
 * nest when a callback calls back in. A second thread entering while
 * another is inside would corrupt the context, so it is refused with a
 * critical log line. One compare-and-swap per call. Every function below
 * starts with ctx_enter(), which also refuses a NULL context, and ends
 * with ctx_leave() (or ctx_leave_with(), which passes a result on).
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

/* Leaves ctx and passes on r, the result of the call made inside. */
static int ctx_leave_with(dtls_context_t *ctx, int r) {
  ctx_leave(ctx);
  return r;
}

void dtls_free_context(dtls_context_t *ctx) {
  if (ctx_enter(ctx) < 0)
    return;
  tdtls_go_free_context(ctx);
  ctx_leave(ctx);
}

int dtls_connect(dtls_context_t *ctx, const session_t *dst) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_connect(ctx, (session_t *)dst));
}

int dtls_connect_peer(dtls_context_t *ctx, dtls_peer_t *peer) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_connect_peer(ctx, peer));
}

int dtls_close(dtls_context_t *ctx, const session_t *remote) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_close(ctx, (session_t *)remote));
}

int dtls_renegotiate(dtls_context_t *ctx, const session_t *dst) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_renegotiate(ctx, (session_t *)dst));
}

int dtls_writev(struct dtls_context_t *ctx, session_t *session,
                uint8 *buf_array[], size_t buf_len_array[],
                size_t buf_array_len) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_writev(ctx, session, buf_array,
                                             buf_len_array, buf_array_len));
}

int dtls_write(struct dtls_context_t *ctx, session_t *session, uint8 *buf,
               size_t len) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_write(ctx, session, buf, len));
}

void dtls_check_retransmit(dtls_context_t *context, clock_time_t *next) {
  if (next)
    *next = 0;
  if (ctx_enter(context) < 0)
    return;
  tdtls_go_check_retransmit(context, next);
  ctx_leave(context);
}

int dtls_handle_message(dtls_context_t *ctx, session_t *session, uint8 *msg,
                        int msglen) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx,
                        tdtls_go_handle_message(ctx, session, msg, msglen));
}

dtls_peer_t *dtls_get_peer(const dtls_context_t *context,
                           const session_t *session) {
  dtls_context_t *ctx = (dtls_context_t *)context;
  dtls_peer_t *p;
  if (ctx_enter(ctx) < 0)
    return NULL;
  p = tdtls_go_get_peer(ctx, (session_t *)session);
  ctx_leave(ctx);
  return p;
}

void dtls_reset_peer(dtls_context_t *context, dtls_peer_t *peer) {
  if (ctx_enter(context) < 0)
    return;
  tdtls_go_reset_peer(context, peer);
  ctx_leave(context);
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
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_set_mtu(ctx, mtu));
}

size_t dtls_get_mtu(const dtls_context_t *context) {
  dtls_context_t *ctx = (dtls_context_t *)context;
  size_t r;
  if (ctx_enter(ctx) < 0)
    return 0;
  r = tdtls_go_get_mtu(ctx);
  ctx_leave(ctx);
  return r;
}

int dtls_set_initial_timeout(dtls_context_t *ctx, unsigned int ms) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_set_initial_timeout(ctx, ms));
}

int dtls_get_max_write(dtls_context_t *ctx, const session_t *session) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx,
                        tdtls_go_get_max_write(ctx, (session_t *)session));
}

int dtls_set_record_size_limit(dtls_context_t *ctx, size_t limit) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_set_record_size_limit(ctx, limit));
}

int dtls_set_cid_length(dtls_context_t *ctx, size_t length) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx, tdtls_go_set_cid_length(ctx, length));
}

int dtls_set_limits(dtls_context_t *ctx, unsigned int max_peers,
                    unsigned int max_handshakes) {
  if (ctx_enter(ctx) < 0)
    return -1;
  return ctx_leave_with(ctx,
                        tdtls_go_set_limits(ctx, max_peers, max_handshakes));
}
