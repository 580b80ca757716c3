/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tdtls_bench -- tinydtls-go against upstream tinydtls and OpenSSL DTLS 1.2,
 * with an in-memory datagram transport. Prints one table and a summary.
 *
 *   tdtls_bench [--quick] [--reps R] [--scale F] [--hs N] [--ecdhe N]
 *               [--records N] [--ctx N] [--fresh N] [--peers N]
 *               [--only ours|openssl]
 *               [--workloads psk,ecdhe,rec,echo,ctx,fresh,mem[,relbuf]]
 *               [--sizes 64,256,1024]
 *               [--upstream PATH [--upstream-desc TEXT]]
 *
 * Timed workloads are run --reps times (after one untimed warm-up run of a
 * tenth of the iterations); the table shows the median. Memory workloads
 * run in a fresh child process each (this program re-executed with
 * --mem-child), so that heaps grown by earlier workloads do not hide or
 * inflate the growth.
 *
 * --upstream PATH names this same program built against upstream tinydtls
 * (bench/run.sh builds it as tdtls_bench_upstream). Both libraries export
 * the same symbols, so upstream runs in a child process: for every
 * workload, right after ours, PATH is run with --child-timed (or
 * --mem-child) and reports its medians on stdout. A library that is much
 * slower at a workload runs fewer iterations of it (DIV below); the
 * figures are per operation either way.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static struct {
  int quick;
  int reps;
  double scale;
  long hs, ecdhe, records, ctx, fresh, peers;
  int do_ours, do_ossl;
  char workloads[128];
  size_t sizes[8];
  int nsizes;
  const char *upstream;     /* tdtls_bench_upstream, or NULL */
  const char *up_desc;
  const char *label;        /* how progress lines name the library */
  const char *what;         /* --child-timed: how they name the workload */
} opt = {0, 5, 1.0, 3000, 400, 200000, 20000, 2000, 10000, 1, 1,
         "psk,ecdhe,rec,echo,ctx,fresh,mem", {64, 256, 1024}, 3, NULL, NULL,
         "ours", NULL};

static int want(const char *w) {
  char list[160];
  snprintf(list, sizeof list, ",%s,", opt.workloads);
  char key[40];
  snprintf(key, sizeof key, ",%s,", w);
  return strstr(list, key) != NULL;
}

/* ---- the tables ---- */

#define NA (-1.0)
typedef struct {
  char name[64];
  double ours, up, ossl;
  char unit[16];
} row_t;

static row_t rows[96];
static int nrows;
static row_t sums[16];   /* the summary: lower is better unless unit is 1/s */
static int nsums;
static char notes[4096];

static void add_row(const char *name, double ours, double up, double ossl,
                    const char *unit) {
  row_t *r = &rows[nrows++];
  snprintf(r->name, sizeof r->name, "%s", name);
  r->ours = ours;
  r->up = up;
  r->ossl = ossl;
  snprintf(r->unit, sizeof r->unit, "%s", unit);
}

static void add_sum(const char *name, double ours, double up, double ossl,
                    const char *unit) {
  row_t *r = &sums[nsums++];
  snprintf(r->name, sizeof r->name, "%s", name);
  r->ours = ours;
  r->up = up;
  r->ossl = ossl;
  snprintf(r->unit, sizeof r->unit, "%s", unit);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...) {
  va_list ap;
  size_t n = strlen(notes);
  va_start(ap, fmt);
  vsnprintf(notes + n, sizeof notes - n, fmt, ap);
  va_end(ap);
}

static void fmt_val(char *out, size_t n, double v) {
  if (v == NA)
    snprintf(out, n, "n/a");
  else if (v >= 100000)
    snprintf(out, n, "%.0f", v);
  else if (v >= 100)
    snprintf(out, n, "%.1f", v);
  else if (v >= 1)
    snprintf(out, n, "%.2f", v);
  else
    snprintf(out, n, "%.3f", v);
}

static void fmt_ratio(char *out, size_t n, double a, double b) {
  if (a != NA && b != NA && b > 0)
    snprintf(out, n, "%.2f", a / b);
  else
    snprintf(out, n, "n/a");
}

static void print_table(void) {
  int i;
  printf("| %-48s | %10s | %10s | %10s | %8s | %8s | %-6s |\n", "workload",
         "ours", "upstream", "OpenSSL", "ours/up", "ours/ossl", "unit");
  printf("|%.*s|%.*s|%.*s|%.*s|%.*s|%.*s|%.*s|\n", 50,
         "--------------------------------------------------", 12,
         "-----------:", 12, "-----------:", 12, "-----------:", 10,
         "---------:", 10, "---------:", 8, "--------");
  for (i = 0; i < nrows; i++) {
    row_t *r = &rows[i];
    char a[32], u[32], b[32], ru[32], rb[32];
    fmt_val(a, sizeof a, r->ours);
    fmt_val(u, sizeof u, r->up);
    fmt_val(b, sizeof b, r->ossl);
    fmt_ratio(ru, sizeof ru, r->ours, r->up);
    fmt_ratio(rb, sizeof rb, r->ours, r->ossl);
    printf("| %-48s | %10s | %10s | %10s | %8s | %8s | %-6s |\n", r->name, a,
           u, b, ru, rb, r->unit);
  }
}

/* "3.1x faster", "2.0x less": how ours compares with other. */
static void fmt_vs(char *out, size_t n, const row_t *r, double other) {
  int rate = strcmp(r->unit, "1/s") == 0;
  int bytes = strchr(r->unit, 'B') != NULL;
  double f;
  if (r->ours == NA || other == NA || r->ours <= 0 || other <= 0) {
    snprintf(out, n, "n/a");
    return;
  }
  f = rate ? r->ours / other : other / r->ours; /* > 1: ours is better */
  if (f >= 0.95 && f <= 1.05)
    snprintf(out, n, "same");
  else if (f > 1)
    snprintf(out, n, "%.1fx %s", f, bytes ? "less" : "faster");
  else
    snprintf(out, n, "%.1fx %s", 1 / f, bytes ? "more" : "slower");
}

static void print_summary(void) {
  int i;
  printf("| %-50s | %10s | %10s | %10s | %-16s | %-15s |\n", "median, per operation",
         "ours", "upstream", "OpenSSL", "ours vs upstream", "ours vs OpenSSL");
  printf("|%.*s|%.*s|%.*s|%.*s|%.*s|%.*s|\n", 52,
         "----------------------------------------------------", 12, "-----------:",
         12, "-----------:", 12, "-----------:", 18, "------------------",
         17, "-----------------");
  for (i = 0; i < nsums; i++) {
    row_t *r = &sums[i];
    char a[32], u[32], b[32], vu[32], vb[32], name[96];
    fmt_val(a, sizeof a, r->ours);
    fmt_val(u, sizeof u, r->up);
    fmt_val(b, sizeof b, r->ossl);
    fmt_vs(vu, sizeof vu, r, r->up);
    fmt_vs(vb, sizeof vb, r, r->ossl);
    snprintf(name, sizeof name, "%.63s (%.15s)", r->name, r->unit);
    printf("| %-50s | %10s | %10s | %10s | %-16s | %-15s |\n", name, a, u, b,
           vu, vb);
  }
}

/* ---- machine description ---- */

static void header(void) {
  char model[256] = "unknown", line[512], date[64];
  struct utsname u;
  time_t t = time(NULL);
  double load[3] = {0, 0, 0};
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (f) {
    while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "model name", 10) == 0) {
        char *p = strchr(line, ':');
        if (p) {
          snprintf(model, sizeof model, "%s", p + 2);
          model[strcspn(model, "\n")] = 0;
        }
        break;
      }
    }
    fclose(f);
  }
  uname(&u);
  getloadavg(load, 3);
  strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
  printf("tdtls_bench: tinydtls-go vs upstream tinydtls vs OpenSSL DTLS 1.2, "
         "in-memory transport\n");
  printf("  date     %s\n", date);
  printf("  cpu      %s, %ld logical CPUs online\n", model,
         sysconf(_SC_NPROCESSORS_ONLN));
  printf("  kernel   %s %s %s\n", u.sysname, u.release, u.machine);
  printf("  ours     %s, built with %s\n", ours_version(), ours_go_version());
  printf("  upstream %s\n", opt.upstream ? (opt.up_desc ? opt.up_desc
                                                        : opt.upstream)
                                         : "not measured (no --upstream)");
  printf("  openssl  %s\n", ossl_version());
  printf("  loadavg  %.2f %.2f %.2f (at start)\n", load[0], load[1], load[2]);
  printf("  counts   psk %ld, ecdhe %ld, records %ld, ctx %ld, fresh %ld, "
         "peers %ld, reps %d%s\n",
         opt.hs, opt.ecdhe, opt.records, opt.ctx, opt.fresh, opt.peers,
         opt.reps, opt.quick ? " (--quick)" : "");
}

/* ---- child processes ---- */

/* Runs path with argv, its stdout into buf (NUL-terminated), its stderr
 * to ours; returns its wait status, or -1 if it could not be started. */
static int spawn_capture(const char *path, char **argv, char *buf,
                         size_t size) {
  int pfd[2], status = 0;
  pid_t pid;
  posix_spawn_file_actions_t fa;
  size_t n = 0;
  ssize_t k;
  buf[0] = 0;
  if (pipe(pfd) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
  posix_spawn_file_actions_addclose(&fa, pfd[0]);
  fflush(stdout);
  fflush(stderr);
  if (posix_spawn(&pid, path, &fa, NULL, argv, environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[0]);
    close(pfd[1]);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(pfd[1]);
  while (n < size - 1 && (k = read(pfd[0], buf + n, size - 1 - n)) > 0)
    n += (size_t)k;
  buf[n] = 0;
  close(pfd[0]);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  return status;
}

/* ---- timed workloads ---- */

typedef enum { J_PSK, J_ECDHE, J_REC, J_ECHO, J_CTX, J_FRESH } jkind_t;
typedef struct {
  jkind_t kind;
  size_t len; /* J_REC, J_ECHO */
} job_t;

/* Iterations per run: the counts of the options, divided by DIV for the
 * libraries that are much slower at a workload (so that every run takes
 * between about 0.05 and 1 s): upstream's ECC takes ~60 ms per handshake
 * and its records are up to 6 times slower, OpenSSL's SSL_CTX_new ~150 us.
 * Index: 0 ours, 1 upstream, 2 OpenSSL. */
static const int DIV[3][J_FRESH + 1] = {
    {1, 1, 1, 1, 1, 1},
    {[J_PSK] = 1, [J_ECDHE] = 40, [J_REC] = 4, [J_ECHO] = 4, [J_CTX] = 1,
     [J_FRESH] = 1},
    {[J_PSK] = 1, [J_ECDHE] = 1, [J_REC] = 1, [J_ECHO] = 1, [J_CTX] = 10,
     [J_FRESH] = 4},
};

static long job_n(const job_t *j, int lib) {
  long n;
  switch (j->kind) {
  case J_PSK: n = opt.hs; break;
  case J_ECDHE: n = opt.ecdhe; break;
  case J_REC: n = opt.records; break;
  case J_ECHO: n = opt.records / 2; break;
  case J_CTX: n = opt.ctx; break;
  default: n = opt.fresh; break;
  }
  n /= DIV[lib][j->kind];
  return n < 2 ? 2 : n;
}

static const char *job_spec(const job_t *j, char *buf, size_t n) {
  static const char *names[] = {"psk", "ecdhe", "rec", "echo", "ctx", "fresh"};
  if (j->kind == J_REC || j->kind == J_ECHO)
    snprintf(buf, n, "%s:%zu", names[j->kind], j->len);
  else
    snprintf(buf, n, "%s", names[j->kind]);
  return buf;
}

static int parse_spec(const char *spec, job_t *j) {
  static const char *names[] = {"psk", "ecdhe", "rec", "echo", "ctx", "fresh"};
  int k;
  memset(j, 0, sizeof *j);
  for (k = 0; k <= J_FRESH; k++) {
    size_t l = strlen(names[k]);
    if (strncmp(spec, names[k], l) == 0 && (spec[l] == 0 || spec[l] == ':')) {
      j->kind = (jkind_t)k;
      if (spec[l] == ':')
        j->len = (size_t)atol(spec + l + 1);
      if ((k == J_REC || k == J_ECHO) && (j->len < 1 || j->len > 1300))
        return -1;
      return 0;
    }
  }
  return -1;
}

/* lib: 0 the tinydtls this binary is linked with, 1 OpenSSL */
static void run_job(int lib, const job_t *j, long n, bres_t *r) {
  switch (j->kind) {
  case J_PSK: (lib ? ossl_psk_handshakes : ours_psk_handshakes)(n, r); break;
  case J_ECDHE: (lib ? ossl_ecdhe_handshakes : ours_ecdhe_handshakes)(n, r); break;
  case J_REC: (lib ? ossl_records : ours_records)(j->len, n, 0, r); break;
  case J_ECHO: (lib ? ossl_records : ours_records)(j->len, n, 1, r); break;
  case J_CTX: (lib ? ossl_ctx_cycles : ours_ctx_cycles)(n, r); break;
  case J_FRESH: (lib ? ossl_fresh_psk : ours_fresh_psk)(n, r); break;
  }
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_d);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Per-operation medians over the repetitions: wall ns, CPU ns, bytes/s. */
typedef struct {
  double wall, cpu, bps;
  int ok;
  double thr;
  double dg_cs, dg_sc, wire_cs, wire_sc; /* per operation */
  double mallocs;                        /* Go allocations per operation */
  long n;                                /* operations per run */
} stat_t;

static const stat_t stat_na = {NA, NA, NA, 0, NA, 0, 0, 0, 0, NA, 0};

static char wire[4096];

/* What went over the wire per operation, printed under the table. */
static void wire_note(const char *who, const char *what, const stat_t *s) {
  size_t n = strlen(wire);
  if (!s->ok || (s->dg_cs == 0 && s->dg_sc == 0))
    return;
  snprintf(wire + n, sizeof wire - n,
           "  %-8s %-24s client->server %4.1f datagrams %6.0f B, "
           "server->client %4.1f datagrams %6.0f B\n",
           who, what, s->dg_cs, s->wire_cs, s->dg_sc, s->wire_sc);
}

static stat_t job_failed(const char *who, const char *what, const char *err) {
  note("  %s %s FAILED: %s\n", who, what, err);
  fprintf(stderr, "%s %s FAILED: %s\n", who, what, err);
  return stat_na;
}

static void progress(const char *who, const char *what, const job_t *j,
                     const stat_t *s) {
  if (j->kind == J_REC || j->kind == J_ECHO)
    fprintf(stderr, "  %-8s %-24s wall %10.3f us  cpu %10.3f us  (main thread %10.3f us)  %8.1f MB/s  [%ld per run]\n",
            who, what, s->wall / 1e3, s->cpu / 1e3, s->thr / 1e3, s->bps / 1e6, s->n);
  else
    fprintf(stderr, "  %-8s %-24s wall %10.2f us  cpu %10.2f us  (main thread %10.2f us)  [%ld per run]\n",
            who, what, s->wall / 1e3, s->cpu / 1e3, s->thr / 1e3, s->n);
}

/* One untimed warm-up run of a tenth of n operations, then opt.reps runs
 * of n; the medians per operation. */
static stat_t run_timed(int lib, const char *who, const char *what,
                        const job_t *j, long n) {
  double w[32], c[32], t[32], b[32];
  stat_t s = stat_na;
  bres_t r;
  int i;
  run_job(lib, j, n / 10 > 1 ? n / 10 : 1, &r);
  if (!r.ok)
    return job_failed(who, what, r.err);
  for (i = 0; i < opt.reps; i++) {
    run_job(lib, j, n, &r);
    if (!r.ok || r.ops != n)
      return job_failed(who, what, r.err);
    w[i] = r.wall_ns / (double)n;
    c[i] = r.cpu_ns / (double)n;
    t[i] = r.thr_ns / (double)n;
    b[i] = r.bytes / (r.wall_ns / 1e9);
  }
  s.wall = median(w, opt.reps);
  s.cpu = median(c, opt.reps);
  s.thr = median(t, opt.reps);
  s.bps = median(b, opt.reps);
  s.ok = 1;
  s.n = n;
  s.dg_cs = (double)r.dg_cs / (double)n;
  s.dg_sc = (double)r.dg_sc / (double)n;
  s.wire_cs = r.wire_cs / (double)n;
  s.wire_sc = r.wire_sc / (double)n;
  s.mallocs = r.go_mallocs >= 0 ? r.go_mallocs / (double)n : NA;
  progress(who, what, j, &s);
  return s;
}

#define SFIELDS(X)                                                             \
  X(wall) X(cpu) X(bps) X(thr) X(dg_cs) X(dg_sc) X(wire_cs) X(wire_sc)        \
  X(mallocs)

/* --child-timed: the medians as one line on stdout. */
static int timed_child(const char *spec) {
  job_t j;
  stat_t s;
  if (parse_spec(spec, &j) < 0) {
    fprintf(stderr, "bad --child-timed %s\n", spec);
    return 2;
  }
  s = run_timed(0, opt.label, opt.what ? opt.what : spec, &j, job_n(&j, 0));
  printf("STAT ok=%d n=%ld", s.ok, s.n);
#define P(f) printf(" " #f "=%.6g", s.f);
  SFIELDS(P)
#undef P
  printf("\n");
  return s.ok ? 0 : 1;
}

/* The same workload in the upstream build, in a child process. */
static stat_t run_upstream(const char *what, const job_t *j) {
  char spec[32], nbuf[32], reps[16], buf[4096], *line, *p;
  const char *flag = "--hs";
  stat_t s = stat_na;
  int status;
  long n = job_n(j, 1);
  switch (j->kind) {
  case J_PSK: flag = "--hs"; break;
  case J_ECDHE: flag = "--ecdhe"; break;
  case J_REC: flag = "--records"; break;
  case J_ECHO: flag = "--records"; n *= 2; break; /* echo runs records/2 */
  case J_CTX: flag = "--ctx"; break;
  case J_FRESH: flag = "--fresh"; break;
  }
  snprintf(nbuf, sizeof nbuf, "%ld", n);
  snprintf(reps, sizeof reps, "%d", opt.reps);
  char *argv[] = {"tdtls_bench_upstream", "--child-timed",
                  (char *)job_spec(j, spec, sizeof spec), (char *)flag, nbuf,
                  "--reps", reps, "--label", "upstream", "--what", (char *)what,
                  bench_quick ? "--quick" : NULL, NULL};
  status = spawn_capture(opt.upstream, argv, buf, sizeof buf);
  line = strstr(buf, "STAT ");
  if (status != 0 || !line ||
      sscanf(line, "STAT ok=%d n=%ld", &s.ok, &s.n) != 2 || !s.ok) {
    char err[80];
    snprintf(err, sizeof err, "child exited with status 0x%x", status);
    return job_failed("upstream", what, err);
  }
#define G(f)                                                                   \
  p = strstr(line, " " #f "=");                                                \
  if (!p || sscanf(p + strlen(" " #f "="), "%lf", &s.f) != 1)                  \
    return job_failed("upstream", what, "unreadable result line");
  SFIELDS(G)
#undef G
  if (s.mallocs < 0)
    s.mallocs = NA;
  return s;
}

/* ours, upstream, OpenSSL: one workload on each, one after the other. */
typedef struct {
  stat_t o, u, x;
} trio_t;

static trio_t run_trio(const char *what, const job_t *j) {
  trio_t t = {stat_na, stat_na, stat_na};
  if (opt.do_ours) {
    t.o = run_timed(0, "ours", what, j, job_n(j, 0));
    wire_note("ours", what, &t.o);
    if (opt.upstream) {
      t.u = run_upstream(what, j);
      wire_note("upstream", what, &t.u);
    }
  }
  if (opt.do_ossl) {
    t.x = run_timed(1, "openssl", what, j, job_n(j, 2));
    wire_note("openssl", what, &t.x);
  }
  return t;
}

#define V(s, f, k) ((s).ok ? (s).f * (k) : NA)
#define RATE(s) ((s).ok ? 1e9 / (s).wall : NA)

static void handshake_rows(void) {
  trio_t t;
  if (want("psk")) {
    job_t j = {J_PSK, 0};
    t = run_trio("PSK handshake", &j);
    add_row("PSK-AES128-CCM8 handshake, wall", V(t.o, wall, 1e-3),
            V(t.u, wall, 1e-3), V(t.x, wall, 1e-3), "us");
    add_row("PSK-AES128-CCM8 handshake, CPU (all threads)", V(t.o, cpu, 1e-3),
            V(t.u, cpu, 1e-3), V(t.x, cpu, 1e-3), "us");
    add_row("PSK-AES128-CCM8 handshakes per second", RATE(t.o), RATE(t.u),
            RATE(t.x), "1/s");
    add_row("  Go heap allocations per PSK handshake", t.o.ok ? t.o.mallocs : NA,
            NA, NA, "allocs");
    add_sum("PSK handshake, CPU", V(t.o, cpu, 1e-3), V(t.u, cpu, 1e-3),
            V(t.x, cpu, 1e-3), "us");
  }
  if (want("ecdhe")) {
    job_t j = {J_ECDHE, 0};
    t = run_trio("ECDHE-ECDSA handshake", &j);
    add_row("ECDHE-ECDSA-AES128-CCM8 mutual handshake, wall",
            V(t.o, wall, 1e-6), V(t.u, wall, 1e-6), V(t.x, wall, 1e-6), "ms");
    add_row("ECDHE-ECDSA mutual handshake, CPU (all thr.)", V(t.o, cpu, 1e-6),
            V(t.u, cpu, 1e-6), V(t.x, cpu, 1e-6), "ms");
    add_row("ECDHE-ECDSA mutual handshakes per second", RATE(t.o), RATE(t.u),
            RATE(t.x), "1/s");
    add_row("  Go heap allocations per ECDHE handshake",
            t.o.ok ? t.o.mallocs : NA, NA, NA, "allocs");
    add_sum("ECDHE-ECDSA mutual handshake, CPU", V(t.o, cpu, 1e-6),
            V(t.u, cpu, 1e-6), V(t.x, cpu, 1e-6), "ms");
  }
}

static void record_rows(void) {
  const size_t *sizes = opt.sizes;
  int i;
  double allocs = NA;
  if (want("rec")) {
    for (i = 0; i < opt.nsizes; i++) {
      job_t j = {J_REC, sizes[i]};
      char name[64], what[40];
      trio_t t;
      snprintf(what, sizeof what, "record %zu B", sizes[i]);
      t = run_trio(what, &j);
      snprintf(name, sizeof name, "%zu B record write->read, time per record",
               sizes[i]);
      add_row(name, V(t.o, wall, 1e-3), V(t.u, wall, 1e-3), V(t.x, wall, 1e-3),
              "us");
      add_row("  CPU (all threads)", V(t.o, cpu, 1e-3), V(t.u, cpu, 1e-3),
              V(t.x, cpu, 1e-3), "us");
      snprintf(name, sizeof name, "%zu B record write->read, CPU", sizes[i]);
      add_sum(name, V(t.o, cpu, 1e-3), V(t.u, cpu, 1e-3), V(t.x, cpu, 1e-3),
              "us");
      snprintf(name, sizeof name, "%zu B record write->read, throughput",
               sizes[i]);
      add_row(name, V(t.o, bps, 1e-6), V(t.u, bps, 1e-6), V(t.x, bps, 1e-6),
              "MB/s");
      if (t.o.ok && t.o.mallocs != NA && t.o.mallocs > allocs)
        allocs = t.o.mallocs;
    }
    add_row("  Go heap allocations per record (worst size)", allocs, NA, NA,
            "allocs");
  }
  if (want("echo")) {
    job_t j = {J_ECHO, 64};
    trio_t t = run_trio("echo 64 B", &j);
    add_row("64 B echo client->server->client", V(t.o, wall, 1e-3),
            V(t.u, wall, 1e-3), V(t.x, wall, 1e-3), "us");
    add_row("  CPU (all threads)", V(t.o, cpu, 1e-3), V(t.u, cpu, 1e-3),
            V(t.x, cpu, 1e-3), "us");
    add_sum("64 B echo client->server->client, CPU", V(t.o, cpu, 1e-3),
            V(t.u, cpu, 1e-3), V(t.x, cpu, 1e-3), "us");
  }
}

static void context_rows(void) {
  trio_t t;
  if (want("ctx")) {
    job_t j = {J_CTX, 0};
    t = run_trio("context new+free", &j);
    add_row("context create + free (OpenSSL: SSL_CTX)", V(t.o, wall, 1e-3),
            V(t.u, wall, 1e-3), V(t.x, wall, 1e-3), "us");
    add_row("  CPU (all threads)", V(t.o, cpu, 1e-3), V(t.u, cpu, 1e-3),
            V(t.x, cpu, 1e-3), "us");
    add_sum("context create + free, CPU", V(t.o, cpu, 1e-3),
            V(t.u, cpu, 1e-3), V(t.x, cpu, 1e-3), "us");
  }
  if (want("fresh")) {
    job_t j = {J_FRESH, 0};
    t = run_trio("fresh-context PSK hs", &j);
    add_row("fresh contexts + PSK handshake + free, wall", V(t.o, wall, 1e-3),
            V(t.u, wall, 1e-3), V(t.x, wall, 1e-3), "us");
    add_row("  CPU (all threads)", V(t.o, cpu, 1e-3), V(t.u, cpu, 1e-3),
            V(t.x, cpu, 1e-3), "us");
    add_sum("fresh contexts + PSK handshake + free, CPU", V(t.o, cpu, 1e-3),
            V(t.u, cpu, 1e-3), V(t.x, cpu, 1e-3), "us");
  }
}

/* ---- memory workloads, each in a child process ---- */

#define MFIELDS(X)                                                             \
  X(rss_base) X(rss_peers) X(rss_idle) X(rss_freed) X(rss_freed_1s)         \
  X(rss_churn) X(heap_base) X(heap_peers) X(heap_freed) X(heap_churn)        \
  X(go_base) X(go_peers) X(go_idle) X(go_freed) X(go_freed_1s) X(go_churn)   \
  X(wall_ns)                                                                 \
  X(golive_base) X(golive_peers) X(golive_freed)

static void print_mres(const mres_t *m) {
  printf("MEM ok=%d peers=%ld", m->ok, m->peers);
#define P(f) printf(" " #f "=%.0f", m->f);
  MFIELDS(P)
#undef P
  printf(" err=%s\n", m->ok ? "-" : m->err);
  fflush(stdout);
}

static int parse_mres(const char *line, mres_t *m) {
  const char *p;
  memset(m, 0, sizeof *m);
  if (sscanf(line, "MEM ok=%d peers=%ld", &m->ok, &m->peers) != 2)
    return -1;
#define G(f)                                                                   \
  p = strstr(line, " " #f "=");                                                \
  if (!p || sscanf(p + strlen(" " #f "="), "%lf", &m->f) != 1)                 \
    return -1;
  MFIELDS(G)
#undef G
  p = strstr(line, " err=");
  if (p)
    snprintf(m->err, sizeof m->err, "%s", p + 5);
  m->err[strcspn(m->err, "\n")] = 0;
  return 0;
}

static long churn_count(void) { return opt.quick ? 50 : 2000; }

static int mem_child(const char *who, int mode) {
  mres_t m;
  if (strcmp(who, "ours") == 0) {
    ours_memory(opt.peers, mode, churn_count(), &m);
  } else {
    if (ossl_init() < 0) {
      fprintf(stderr, "OpenSSL setup failed\n");
      return 1;
    }
    ossl_memory(opt.peers, mode, churn_count(), &m);
  }
  print_mres(&m);
  return m.ok ? 0 : 1;
}

static const char *mode_name[] = {"hs only", "hs + 1 record",
                                  "hs + 1 record, RELEASE_BUFFERS"};

/* who: "ours", "upstream" (ours in the upstream build) or "openssl". */
static int run_mem(const char *who, int mode, mres_t *m) {
  char peers[32], data[4], buf[4096], *line;
  int up = strcmp(who, "upstream") == 0, status;
  char *argv[] = {"tdtls_bench", "--mem-child", up ? "ours" : (char *)who,
                  data, "--peers", peers, bench_quick ? "--quick" : NULL, NULL};
  snprintf(peers, sizeof peers, "%ld", opt.peers);
  snprintf(data, sizeof data, "%d", mode);
  memset(m, 0, sizeof *m);
  status = spawn_capture(up ? opt.upstream : "/proc/self/exe", argv, buf,
                         sizeof buf);
  line = strstr(buf, "MEM ");
  if (status < 0 || !line || parse_mres(line, m) < 0) {
    snprintf(m->err, sizeof m->err, "child exited with status 0x%x, no result",
             status);
    m->ok = 0;
    return -1;
  }
  fprintf(stderr,
          "  %-8s memory (%s): %ld peers in %.2f s; RSS %+.1f MB; malloc "
          "%+.1f MB; Go arena %+.1f MB\n"
          "           after free: RSS %+.1f MB, 1 s later %+.1f MB, after "
          "churn + 1 s %+.1f MB (Go arena %+.1f MB)%s%s\n",
          who, mode_name[mode], m->peers, m->wall_ns / 1e9,
          (m->rss_peers - m->rss_base) / 1e6,
          (m->heap_peers - m->heap_base) / 1e6,
          (m->go_peers - m->go_base) / 1e6, (m->rss_freed - m->rss_base) / 1e6,
          (m->rss_freed_1s - m->rss_base) / 1e6,
          (m->rss_churn - m->rss_base) / 1e6, (m->go_churn - m->go_base) / 1e6,
          m->ok ? "" : " FAILED: ", m->ok ? "" : m->err);
  return m->ok ? 0 : -1;
}

static void memory_rows(void) {
  static const char *tag[] = {"idle peer after handshake",
                              "idle peer after hs + 1 record",
                              "OpenSSL SSL_MODE_RELEASE_BUFFERS"};
  mres_t o[3], u[3], x[3];
  int ook[3] = {0, 0, 0}, uok[3] = {0, 0, 0}, xok[3] = {0, 0, 0}, mode;
  double p = (double)opt.peers;
  char name[64];
  if (!want("mem"))
    return;
  for (mode = 0; mode <= 2; mode++) {
    if (mode == 2 && !want("relbuf"))
      break;
    if (opt.do_ours && mode < 2) {
      ook[mode] = run_mem("ours", mode, &o[mode]) == 0;
      if (!ook[mode])
        note("  ours memory (%s) FAILED: %s\n", tag[mode], o[mode].err);
      if (opt.upstream) {
        uok[mode] = run_mem("upstream", mode, &u[mode]) == 0;
        if (!uok[mode])
          note("  upstream memory (%s) FAILED: %s\n", tag[mode], u[mode].err);
      }
    }
    if (opt.do_ossl) {
      xok[mode] = run_mem("openssl", mode, &x[mode]) == 0;
      if (!xok[mode])
        note("  openssl memory (%s) FAILED: %s\n", tag[mode], x[mode].err);
    }
  }
#define D(ok, r, a, b, k) ((ok) ? ((r).a - (r).b) / (k) : NA)
#define D3(a, b, k) D(ook[mode], o[mode], a, b, k), D(uok[mode], u[mode], a, b, k), \
                    D(xok[mode], x[mode], a, b, k)
  for (mode = 0; mode <= 2; mode++) {
    if (mode == 2 && !want("relbuf"))
      break;
    snprintf(name, sizeof name, "%s: RSS / peer", tag[mode]);
    add_row(name, D3(rss_peers, rss_base, p), "B/peer");
    if (mode == 1)
      add_sum("idle peer (after hs + 1 record), RSS", D3(rss_peers, rss_base, p),
              "B/peer");
    add_row("  malloc (C heap) / peer", D3(heap_peers, heap_base, p), "B/peer");
    if (mode < 2) {
      add_row("  Go heap arena RSS / peer",
              D(ook[mode], o[mode], go_peers, go_base, p), NA, NA, "B/peer");
      add_row("  Go heap live after GC / peer",
              ook[mode] && o[mode].golive_base >= 0
                  ? (o[mode].golive_peers - o[mode].golive_base) / p
                  : NA,
              NA, NA, "B/peer");
      add_row("  RSS / peer after 2 s of the event loop", D3(rss_idle, rss_base, p),
              "B/peer");
      if (mode == 1)
        add_sum("idle peer, after 2 s of the event loop, RSS", D3(rss_idle, rss_base, p),
                "B/peer");
      add_row("  Go heap arena RSS / peer then",
              D(ook[mode], o[mode], go_idle, go_base, p), NA, NA, "B/peer");
    }
  }
  mode = 1;
  add_row("RSS above base, server freed (hs + 1 record)",
          D3(rss_freed, rss_base, 1e6), "MB");
  add_row("  ... 1 s later", D3(rss_freed_1s, rss_base, 1e6), "MB");
  add_row("  ... after churn (more handshakes) + 1 s",
          D3(rss_churn, rss_base, 1e6), "MB");
  add_row("  Go arena above base after churn + 1 s",
          D(ook[1], o[1], go_churn, go_base, 1e6), NA, NA, "MB");
  add_row("  malloc above base after free", D3(heap_freed, heap_base, 1e6),
          "MB");
#undef D3
#undef D
}

/* ---- main ---- */

static void usage(void) {
  fprintf(stderr,
          "usage: tdtls_bench [--quick] [--reps R] [--scale F] [--hs N] "
          "[--ecdhe N]\n"
          "                   [--records N] [--ctx N] [--fresh N] [--peers N]\n"
          "                   [--only ours|openssl]\n"
          "                   [--workloads psk,ecdhe,rec,echo,ctx,fresh,mem[,relbuf]]\n"
          "                   [--sizes 64,256,1024]\n"
          "                   [--upstream PATH [--upstream-desc TEXT]]\n");
  exit(2);
}

int main(int argc, char **argv) {
  int i;
  const char *child = NULL, *child_timed = NULL;
  int child_mode = 0;
  int set_hs = 0, set_ecdhe = 0, set_rec = 0, set_peers = 0, set_reps = 0;
  int set_ctx = 0, set_fresh = 0;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (usage(), ""))
    if (!strcmp(a, "--quick"))
      opt.quick = 1;
    else if (!strcmp(a, "--reps"))
      opt.reps = atoi(ARG()), set_reps = 1;
    else if (!strcmp(a, "--scale"))
      opt.scale = atof(ARG());
    else if (!strcmp(a, "--hs"))
      opt.hs = atol(ARG()), set_hs = 1;
    else if (!strcmp(a, "--ecdhe"))
      opt.ecdhe = atol(ARG()), set_ecdhe = 1;
    else if (!strcmp(a, "--records"))
      opt.records = atol(ARG()), set_rec = 1;
    else if (!strcmp(a, "--ctx"))
      opt.ctx = atol(ARG()), set_ctx = 1;
    else if (!strcmp(a, "--fresh"))
      opt.fresh = atol(ARG()), set_fresh = 1;
    else if (!strcmp(a, "--peers"))
      opt.peers = atol(ARG()), set_peers = 1;
    else if (!strcmp(a, "--only")) {
      const char *w = ARG();
      opt.do_ours = !strcmp(w, "ours");
      opt.do_ossl = !strcmp(w, "openssl");
      if (!opt.do_ours && !opt.do_ossl)
        usage();
    } else if (!strcmp(a, "--sizes")) {
      char *list = ARG(), *tok, *save = NULL;
      opt.nsizes = 0;
      for (tok = strtok_r(list, ",", &save); tok && opt.nsizes < 8;
           tok = strtok_r(NULL, ",", &save)) {
        long v = atol(tok);
        if (v < 1 || v > 1300)
          usage();
        opt.sizes[opt.nsizes++] = (size_t)v;
      }
      if (opt.nsizes == 0)
        usage();
    } else if (!strcmp(a, "--workloads"))
      snprintf(opt.workloads, sizeof opt.workloads, "%s", ARG());
    else if (!strcmp(a, "--upstream"))
      opt.upstream = ARG();
    else if (!strcmp(a, "--upstream-desc"))
      opt.up_desc = ARG();
    else if (!strcmp(a, "--label"))
      opt.label = ARG();
    else if (!strcmp(a, "--what"))
      opt.what = ARG();
    else if (!strcmp(a, "--child-timed"))
      child_timed = ARG();
    else if (!strcmp(a, "--mem-child")) {
      child = ARG();
      child_mode = atoi(ARG());
      if (child_mode < 0 || child_mode > 2)
        usage();
    } else
      usage();
  }
  if (opt.quick) {
    bench_quick = 1;
    if (!set_hs)
      opt.hs = 20;
    if (!set_ecdhe)
      opt.ecdhe = 4;
    if (!set_rec)
      opt.records = 2000;
    if (!set_ctx)
      opt.ctx = 200;
    if (!set_fresh)
      opt.fresh = 10;
    if (!set_peers)
      opt.peers = 200;
    if (!set_reps)
      opt.reps = 1;
  }
  if (opt.scale != 1.0) {
    opt.hs = (long)(opt.hs * opt.scale);
    opt.ecdhe = (long)(opt.ecdhe * opt.scale);
    opt.records = (long)(opt.records * opt.scale);
    opt.ctx = (long)(opt.ctx * opt.scale);
    opt.fresh = (long)(opt.fresh * opt.scale);
  }
  if (opt.reps < 1 || opt.reps > 31 || opt.hs < 1 || opt.ecdhe < 1 ||
      opt.records < 2 || opt.ctx < 1 || opt.fresh < 1 || opt.peers < 1)
    usage();
  if (opt.upstream && access(opt.upstream, X_OK) != 0) {
    fprintf(stderr, "tdtls_bench: --upstream %s is not an executable\n",
            opt.upstream);
    return 2;
  }

  if (ours_init() < 0) {
    fprintf(stderr, "tinydtls setup failed\n");
    return 1;
  }
  if (child)
    return mem_child(child, child_mode);
  if (child_timed)
    return timed_child(child_timed);
  if (ossl_init() < 0) {
    fprintf(stderr, "OpenSSL setup failed\n");
    return 1;
  }
#ifdef BENCH_NO_OPENSSL
  opt.do_ossl = 0;
#endif
  header();
  fflush(stdout);
  fprintf(stderr, "progress:\n");
  handshake_rows();
  record_rows();
  context_rows();
  memory_rows();
  printf("\n");
  print_table();
  printf("\nours/up, ours/ossl = ours / upstream, ours / OpenSSL (times and "
         "bytes: < 1 is better for ours;\nrates: > 1 is better for ours). "
         "Times are medians of %d runs; CPU is process CPU time over all\n"
         "threads (Go's GC workers included).\n",
         opt.reps);
  if (wire[0])
    printf("On the wire, per handshake or record:\n%s", wire);
  {
    go_stats_t g;
    if (ours_go_stats(&g, 0) < 0)
      printf("Go heap allocations and live heap: n/a, the library does not "
             "export dtls_ext_go_stats (see BENCHMARKS.md).\n");
  }
  printf("\nSummary:\n\n");
  print_summary();
  if (notes[0]) {
    printf("FAILURES:\n%s", notes);
    return 1;
  }
  return 0;
}
