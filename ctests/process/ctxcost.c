/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctxcost.c [N] -- what a context costs: dtls_new_context() +
 * dtls_free_context(), and a PSK handshake between a freshly created
 * client and server context (both created and freed per handshake, as a
 * server that keeps no state between clients would, or a client that
 * connects once). Built against our library and against upstream
 * tinydtls, so that test-process-surface.sh can report both from one run.
 * Each figure is the best of 5 runs (the machine is shared).
 */
#define _GNU_SOURCE
#include <time.h>

#include "link.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000;
  int hs = n / 100 > 20 ? n / 100 : 20;
  double best_ctx = 1e9, best_hs = 1e9;
  int r, i, ok = 1;

  dtls_init();
  dtls_set_log_level(DTLS_LOG_CRIT);
  dtls_free_context(dtls_new_context(NULL)); /* start-up cost not counted */
  for (r = 0; r < 5; r++) {
    double t = now();
    for (i = 0; i < n; i++)
      dtls_free_context(dtls_new_context(NULL));
    t = (now() - t) / n;
    if (t < best_ctx)
      best_ctx = t;
    t = now();
    for (i = 0; i < hs; i++)
      ok &= link_round(30000, 0);
    t = (now() - t) / hs;
    if (t < best_hs)
      best_hs = t;
  }
  printf("context new+free: %.2f us\n", best_ctx * 1e6);
  printf("fresh-context PSK handshake: %.1f us\n", best_hs * 1e6);
  return ok ? 0 : 1;
}
