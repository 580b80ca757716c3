/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine's only entry point for the C front: tdtls_engine_ops(), the
 * table of the API functions this directory implements (forward.def).
 * libtinydtls-engine.so exports nothing else (engine.map); in libtinydtls.a
 * the front calls it directly.
 */
#include "capi.h"
#include "_cgo_export.h"
#include "engine_ops.h"

static int engine_init(long long clock_base_ns, int log_level,
                       dtls_log_handler_t handler) {
  dtls_set_log_level((log_t)log_level);
  dtls_set_log_handler(handler);
  /* The first call into Go: it waits for the runtime to finish starting
   * (and, like thread_enter, grows this thread's goroutine stack). */
  tdtls_go_set_clock(clock_base_ns);
  return 0;
}

static const struct tdtls_engine_ops ops = {
    .abi = TDTLS_ENGINE_ABI,
    .size = sizeof(struct tdtls_engine_ops),
    .init = engine_init,
    .set_log_level = dtls_set_log_level,
    .set_log_handler = dtls_set_log_handler,
    .thread_enter = tdtls_go_thread_enter,
    .check_retransmit_until = tdtls_check_retransmit_until,
#define TDTLS_FN(ret, name, params, args, err, checks) .name = name,
#define TDTLS_FN_OWN(ret, name, params, args, err) .name = name,
#define TDTLS_VOID(name, params, args, checks) .name = name,
#define TDTLS_VOID_OWN(name, params, args) .name = name,
#include "forward.def"
};

__attribute__((visibility("default"))) const struct tdtls_engine_ops *
tdtls_engine_ops(void) {
  return &ops;
}
