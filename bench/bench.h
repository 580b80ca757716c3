/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench.h -- shared declarations of the tinydtls-go benchmark.
 *
 * The benchmark is split in translation units that never include each
 * other's headers: bench_ours.c sees only the public tinydtls API
 * (build/include/tinydtls), bench_ossl.c only OpenSSL, bench_util.c
 * neither. This header is the only thing they share.
 */
#ifndef TDTLS_BENCH_H
#define TDTLS_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Result of a timed workload: totals over ops operations. */
typedef struct {
  double wall_ns;   /* wall-clock time of the timed region */
  double cpu_ns;    /* process CPU time (all threads: includes Go's GC) */
  double thr_ns;    /* CPU time of the calling thread only */
  long ops;         /* operations done */
  double bytes;     /* payload bytes delivered (record workloads) */
  long dg_cs, dg_sc;        /* datagrams client->server, server->client */
  double go_mallocs;        /* Go heap allocations (-1: unknown) */
  double wire_cs, wire_sc;  /* their bytes */
  int ok;           /* 1 when every operation succeeded */
  char err[200];    /* why not, when !ok */
} bres_t;

/* Result of a memory workload (all values in bytes). */
typedef struct {
  long peers;
  double rss_base;       /* RSS before the peers were created */
  double rss_peers;      /* RSS with all peers established and idle */
  double rss_idle;       /* ... after 2 s more of an idle event loop */
  double rss_freed;      /* RSS right after the server context was freed */
  double rss_freed_1s;   /* ... and 1 s later */
  double rss_churn;      /* ... after churn: handshakes on a fresh pair, 1 s */
  double heap_base;      /* malloc'd bytes in use (glibc mallinfo2) */
  double heap_peers;
  double heap_freed;
  double go_base;        /* RSS of the Go heap arena (0xc000000000...) */
  double go_peers;
  double go_idle;
  double go_freed;
  double go_freed_1s;
  double go_churn;
  double heap_churn;
  double golive_base;    /* live Go heap after GC (needs dtls_ext_go_stats) */
  double golive_peers;
  double golive_freed;
  double wall_ns;        /* time to establish all peers */
  int ok;
  char err[200];
} mres_t;

/* bench_util.c */
double now_ns(void);            /* CLOCK_MONOTONIC */
double cpu_ns(void);            /* CLOCK_PROCESS_CPUTIME_ID */
double thr_ns(void);            /* CLOCK_THREAD_CPUTIME_ID */
double rss_bytes(void);         /* /proc/self/statm resident * page size */
double malloc_inuse(void);      /* mallinfo2().uordblks + hblkhd */
double goarena_rss(void);       /* /proc/self/smaps Rss of the Go heap arenas */
void settle(int ms);            /* sleeps ms, or 1/20 of it with --quick */
extern int bench_quick;
void bres_fail(bres_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mres_fail(mres_t *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void timer_start(bres_t *r);
void timer_stop(bres_t *r);

/* bench_ours.c: a tinydtls library through its public C API. The same file
 * is compiled twice: against tinydtls-go (tdtls_bench) and against upstream
 * tinydtls (tdtls_bench_upstream, run by tdtls_bench as a child process,
 * as both libraries export the same symbols). */
int ours_init(void);
const char *ours_version(void);
const char *ours_go_version(void);
void ours_psk_handshakes(long n, bres_t *r);
void ours_ecdhe_handshakes(long n, bres_t *r);
/* echo: 0 = one record client -> server; 1 = client -> server -> client */
void ours_records(size_t len, long n, int echo, bres_t *r);
/* mode 0: handshake only; 1: the client also sends one 16-byte record
 * after its handshake; 2 (OpenSSL only): 1 with SSL_MODE_RELEASE_BUFFERS.
 * churn: handshakes on a fresh pair after the server was freed. */
void ours_memory(long peers, int mode, long churn, mres_t *m);
/* n times dtls_new_context + dtls_set_handler + dtls_free_context */
void ours_ctx_cycles(long n, bres_t *r);
/* n times: a new server and client context, one PSK handshake, both
 * contexts freed (their close_notify alerts dropped) */
void ours_fresh_psk(long n, bres_t *r);

/*
 * Go runtime statistics through dtls_ext_go_stats() (dtls_ext.h), looked up
 * with dlsym so that the benchmark also runs against a library without it
 * (an older build given as BUILD). The struct mirrors dtls_ext_go_stats_t,
 * as tdtls_bench.c does not see the tinydtls headers. gc: 0 none, 1
 * runtime.GC() first, 2 debug.FreeOSMemory() first. Returns -1 when the
 * library does not export it.
 */
typedef struct {
  uint64_t heap_live;     /* MemStats.HeapAlloc (live after a GC) */
  uint64_t heap_sys;      /* MemStats.HeapSys */
  uint64_t heap_released; /* MemStats.HeapReleased */
  uint64_t mallocs;       /* MemStats.Mallocs (cumulative) */
  uint64_t total_alloc;   /* MemStats.TotalAlloc (cumulative bytes) */
  uint64_t num_gc;        /* MemStats.NumGC */
} go_stats_t;
int ours_go_stats(go_stats_t *out, int gc);

/* bench_ossl.c: OpenSSL DTLS 1.2 */
int ossl_init(void);
const char *ossl_version(void);
void ossl_psk_handshakes(long n, bres_t *r);
void ossl_ecdhe_handshakes(long n, bres_t *r);
void ossl_records(size_t len, long n, int echo, bres_t *r);
void ossl_memory(long peers, int mode, long churn, mres_t *m);
/* n times SSL_CTX_new + the PSK server settings + SSL_CTX_free */
void ossl_ctx_cycles(long n, bres_t *r);
/* n times: new server and client SSL_CTX and SSL, one PSK handshake, all
 * freed */
void ossl_fresh_psk(long n, bres_t *r);

#endif
