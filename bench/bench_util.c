/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_util.c -- clocks and memory probes for the benchmark.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double ts_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double now_ns(void) { return ts_ns(CLOCK_MONOTONIC); }
double cpu_ns(void) { return ts_ns(CLOCK_PROCESS_CPUTIME_ID); }
double thr_ns(void) { return ts_ns(CLOCK_THREAD_CPUTIME_ID); }

double rss_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size = 0, resident = 0;
  if (!f)
    return 0;
  if (fscanf(f, "%ld %ld", &size, &resident) != 2)
    resident = 0;
  fclose(f);
  return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

double malloc_inuse(void) {
  struct mallinfo2 mi = mallinfo2();
  return (double)mi.uordblks + (double)mi.hblkhd;
}

/*
 * Resident Go heap: the Go runtime keeps its heap arenas (and goroutine
 * stacks) in anonymous mappings it grows contiguously upwards from a base.
 * Since Go 1.26 the base is randomised (GOEXPERIMENT randomizedheapbase64),
 * but it always stays below 2^46 on amd64, while everything else in a PIE
 * process (executable, brk heap, shared libraries, thread stacks, glibc
 * malloc arenas, vdso) lives above 0x550000000000. So the Rss of the
 * unnamed mappings between 4 GiB and 2^46 is the resident Go heap: live
 * objects, garbage not yet collected, and free pages the scavenger has not
 * returned yet. Runtime metadata (spans, GC bitmaps) is mostly elsewhere
 * and not counted.
 */
double goarena_rss(void) {
  FILE *f = fopen("/proc/self/smaps", "r");
  char line[512];
  int in_arena = 0;
  double total = 0;
  if (!f)
    return 0;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi, off, inode;
    unsigned maj, min;
    char perms[8];
    int name_at = 0;
    if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &lo, &hi, perms, &off,
               &maj, &min, &inode, &name_at) >= 7) {
      int anon = name_at == 0 || line[name_at] == '\n' || line[name_at] == 0;
      in_arena = anon && lo >= 0x100000000UL && lo < 0x400000000000UL;
      continue;
    }
    if (in_arena && strncmp(line, "Rss:", 4) == 0) {
      long kb = 0;
      if (sscanf(line + 4, "%ld", &kb) == 1)
        total += (double)kb * 1024.0;
    }
  }
  fclose(f);
  return total;
}

void bres_fail(bres_t *r, const char *fmt, ...) {
  va_list ap;
  if (!r->ok)
    return; /* keep the first error */
  r->ok = 0;
  va_start(ap, fmt);
  vsnprintf(r->err, sizeof r->err, fmt, ap);
  va_end(ap);
}

void mres_fail(mres_t *m, const char *fmt, ...) {
  va_list ap;
  if (!m->ok)
    return;
  m->ok = 0;
  va_start(ap, fmt);
  vsnprintf(m->err, sizeof m->err, fmt, ap);
  va_end(ap);
}

int bench_quick;

void settle(int ms) { usleep((useconds_t)(bench_quick ? ms * 50 : ms * 1000)); }

void timer_start(bres_t *r) {
  r->wall_ns = -now_ns();
  r->cpu_ns = -cpu_ns();
  r->thr_ns = -thr_ns();
}

void timer_stop(bres_t *r) {
  r->thr_ns += thr_ns();
  r->cpu_ns += cpu_ns();
  r->wall_ns += now_ns();
}
