/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interface between libtinydtls.so, the C front (capi/front), and the
 * Go engine (this directory, built as libtinydtls-engine.so or merged into
 * libtinydtls.a): one function, tdtls_engine_ops(), returns a table of the
 * engine's implementations of the functions in forward.def plus a few
 * for the front's own use. Nothing here is installed; the front and the
 * engine are always built from the same tree, and TDTLS_ENGINE_ABI and the
 * table's size guard against an engine file of another build.
 *
 * Include after the public headers (capi.h or front.h).
 */
#ifndef TDTLS_ENGINE_OPS_H
#define TDTLS_ENGINE_OPS_H

#define TDTLS_ENGINE_ABI 3

/* Not declared in any header, but upstream's library exports it. */
void dtls_sha256_transform(dtls_sha256_ctx *ctx, const uint32_t *data);

struct tdtls_engine_ops {
  unsigned abi;  /* TDTLS_ENGINE_ABI */
  unsigned size; /* sizeof(struct tdtls_engine_ops) */
  /* The front's first call: waits until the Go runtime has started, moves
   * the engine's clock to the front's origin (a CLOCK_MONOTONIC reading in
   * ns) and takes the front's log settings. Returns 0. */
  int (*init)(long long clock_base_ns, int log_level,
              dtls_log_handler_t handler);
  /* The front calls these whenever the application changes its settings;
   * the engine logs with its own copy of the logging code. */
  void (*set_log_level)(log_t level);
  void (*set_log_handler)(dtls_log_handler_t handler);
  /* The front's first call from each thread, with the thread's
   * asynchronous signals blocked: grows the stack the engine's Go code
   * will run on for this thread (../stackroom) before an application
   * signal handler can land on it. */
  void (*thread_enter)(void);
  /* dtls_check_retransmit(), and in *until the CLOCK_MONOTONIC time (ns)
   * up to which another call would only hand back the same *next, as long
   * as no other call into the engine comes first; -1 when unknown. */
  void (*check_retransmit_until)(dtls_context_t *ctx, clock_time_t *next,
                                 long long *until);
#define TDTLS_FN(ret, name, params, args, err, checks) ret(*name) params;
#define TDTLS_FN_OWN(ret, name, params, args, err) ret(*name) params;
#define TDTLS_VOID(name, params, args, checks) void(*name) params;
#define TDTLS_VOID_OWN(name, params, args) void(*name) params;
#include "forward.def"
#undef TDTLS_FN
#undef TDTLS_FN_OWN
#undef TDTLS_VOID
#undef TDTLS_VOID_OWN
};

const struct tdtls_engine_ops *tdtls_engine_ops(void);
void tdtls_check_retransmit_until(dtls_context_t *ctx, clock_time_t *next,
                                  long long *until);

#endif /* TDTLS_ENGINE_OPS_H */
