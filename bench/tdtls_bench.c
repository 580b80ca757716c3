/*
 * tdtls_bench -- tinydtls-go against OpenSSL DTLS 1.2, in one process, with
 * an in-memory datagram transport. Prints one table.
 *
 *   tdtls_bench [--quick] [--reps R] [--scale F] [--hs N] [--ecdhe N]
 *               [--records N] [--peers N] [--only ours|openssl]
 *               [--workloads psk,ecdhe,rec,echo,mem[,relbuf]]
 *               [--sizes 64,256,1024]
 *
 * Timed workloads are run --reps times (after one untimed warm-up run of a
 * tenth of the iterations); the table shows the median. Memory workloads
 * run in a fresh child process each (this program re-executed with
 * --mem-child), so that heaps grown by earlier workloads do not hide or
 * inflate the growth.
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
  long hs, ecdhe, records, peers;
  int do_ours, do_ossl;
  char workloads[128];
  size_t sizes[8];
  int nsizes;
} opt = {0, 5, 1.0, 3000, 400, 200000, 10000, 1, 1, "psk,ecdhe,rec,echo,mem",
         {64, 256, 1024}, 3};

static int want(const char *w) {
  char list[160];
  snprintf(list, sizeof list, ",%s,", opt.workloads);
  char key[40];
  snprintf(key, sizeof key, ",%s,", w);
  return strstr(list, key) != NULL;
}

/* ---- the table ---- */

#define NA (-1.0)
typedef struct {
  char name[64];
  double ours, ossl;
  char unit[16];
  int section; /* 1: starts a new section (blank line before) */
} row_t;

static row_t rows[64];
static int nrows;
static char notes[4096];

static void add_row(const char *name, double ours, double ossl,
                    const char *unit) {
  row_t *r = &rows[nrows++];
  snprintf(r->name, sizeof r->name, "%s", name);
  r->ours = ours;
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

static void print_table(void) {
  int i;
  printf("| %-48s | %12s | %12s | %8s | %-8s |\n", "workload", "ours",
         "OpenSSL", "ratio", "unit");
  printf("|%.*s|%.*s|%.*s|%.*s|%.*s|\n", 50,
         "--------------------------------------------------", 14,
         "-------------:", 14, "-------------:", 10, "---------:", 10,
         "----------");
  for (i = 0; i < nrows; i++) {
    row_t *r = &rows[i];
    char a[32], b[32], c[32];
    fmt_val(a, sizeof a, r->ours);
    fmt_val(b, sizeof b, r->ossl);
    if (r->ours != NA && r->ossl != NA && r->ossl > 0)
      snprintf(c, sizeof c, "%.2f", r->ours / r->ossl);
    else
      snprintf(c, sizeof c, "n/a");
    printf("| %-48s | %12s | %12s | %8s | %-8s |\n", r->name, a, b, c,
           r->unit);
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
  printf("tdtls_bench: tinydtls-go vs OpenSSL DTLS 1.2, in-memory transport, "
         "one process\n");
  printf("  date     %s\n", date);
  printf("  cpu      %s, %ld logical CPUs online\n", model,
         sysconf(_SC_NPROCESSORS_ONLN));
  printf("  kernel   %s %s %s\n", u.sysname, u.release, u.machine);
  printf("  ours     %s, built with %s\n", ours_version(), ours_go_version());
  printf("  openssl  %s\n", ossl_version());
  printf("  loadavg  %.2f %.2f %.2f (at start)\n", load[0], load[1], load[2]);
  printf("  counts   psk %ld, ecdhe %ld, records %ld, peers %ld, reps %d%s\n",
         opt.hs, opt.ecdhe, opt.records, opt.peers, opt.reps,
         opt.quick ? " (--quick)" : "");
}

/* ---- timed workloads ---- */

typedef void (*hs_fn)(long n, bres_t *r);
typedef void (*rec_fn)(size_t len, long n, int echo, bres_t *r);

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
} stat_t;

static const stat_t stat_na = {NA, NA, NA, 0, NA, 0, 0, 0, 0, NA};

static char wire[2048];

/* What went over the wire per operation, printed under the table. */
static void wire_note(const char *who, const char *what, const stat_t *s) {
  size_t n = strlen(wire);
  snprintf(wire + n, sizeof wire - n,
           "  %-8s %-24s client->server %4.1f datagrams %6.0f B, "
           "server->client %4.1f datagrams %6.0f B\n",
           who, what, s->dg_cs, s->wire_cs, s->dg_sc, s->wire_sc);
}

/* A timed workload: handshakes, or records of len bytes (echoed or not). */
typedef struct {
  hs_fn hs;
  rec_fn rec;
  size_t len;
  int echo;
} job_t;

static void run_job(const job_t *j, long n, bres_t *r) {
  if (j->hs)
    j->hs(n, r);
  else
    j->rec(j->len, n, j->echo, r);
}

static stat_t job_failed(const char *who, const char *what, const bres_t *r) {
  note("  %s %s FAILED: %s\n", who, what, r->err);
  fprintf(stderr, "%s %s FAILED: %s\n", who, what, r->err);
  return stat_na;
}

/* One untimed warm-up run of a tenth of n operations, then opt.reps runs
 * of n; the medians per operation. */
static stat_t run_timed(const char *who, const char *what, const job_t *j,
                        long n) {
  double w[32], c[32], t[32], b[32];
  stat_t s = stat_na;
  bres_t r;
  int i;
  run_job(j, n / 10 > 1 ? n / 10 : 1, &r);
  if (!r.ok)
    return job_failed(who, what, &r);
  for (i = 0; i < opt.reps; i++) {
    run_job(j, n, &r);
    if (!r.ok || r.ops != n)
      return job_failed(who, what, &r);
    w[i] = r.wall_ns / (double)n;
    c[i] = r.cpu_ns / (double)n;
    t[i] = r.thr_ns / (double)n;
    b[i] = r.bytes / (r.wall_ns / 1e9);
  }
  s.wall = median(w, opt.reps);
  s.cpu = median(c, opt.reps);
  s.thr = median(t, opt.reps);
  s.ok = 1;
  s.dg_cs = (double)r.dg_cs / (double)n;
  s.dg_sc = (double)r.dg_sc / (double)n;
  s.wire_cs = r.wire_cs / (double)n;
  s.wire_sc = r.wire_sc / (double)n;
  s.mallocs = r.go_mallocs >= 0 ? r.go_mallocs / (double)n : NA;
  if (j->rec) {
    s.bps = median(b, opt.reps);
    fprintf(stderr, "  %-8s %-24s wall %10.3f us  cpu %10.3f us  (main thread %10.3f us)  %8.1f MB/s\n",
            who, what, s.wall / 1e3, s.cpu / 1e3, s.thr / 1e3, s.bps / 1e6);
  } else {
    fprintf(stderr, "  %-8s %-24s wall %10.2f us  cpu %10.2f us  (main thread %10.2f us)\n",
            who, what, s.wall / 1e3, s.cpu / 1e3, s.thr / 1e3);
  }
  wire_note(who, what, &s);
  return s;
}

static stat_t run_hs(const char *who, const char *what, hs_fn fn, long n) {
  job_t j = {fn, NULL, 0, 0};
  return run_timed(who, what, &j, n);
}

static stat_t run_rec(const char *who, const char *what, rec_fn fn, size_t len,
                      long n, int echo) {
  job_t j = {NULL, fn, len, echo};
  return run_timed(who, what, &j, n);
}

#define V(s, f, k) ((s).ok ? (s).f * (k) : NA)

static void handshake_rows(void) {
  stat_t o = stat_na, x = stat_na;
  if (want("psk")) {
    if (opt.do_ours)
      o = run_hs("ours", "PSK handshake", ours_psk_handshakes, opt.hs);
    if (opt.do_ossl)
      x = run_hs("openssl", "PSK handshake", ossl_psk_handshakes, opt.hs);
    add_row("PSK-AES128-CCM8 handshake, wall", V(o, wall, 1e-3),
            V(x, wall, 1e-3), "us");
    add_row("PSK-AES128-CCM8 handshake, CPU (all threads)", V(o, cpu, 1e-3),
            V(x, cpu, 1e-3), "us");
    add_row("PSK-AES128-CCM8 handshakes per second",
            o.ok ? 1e9 / o.wall : NA, x.ok ? 1e9 / x.wall : NA, "1/s");
    add_row("  Go heap allocations per PSK handshake", o.ok ? o.mallocs : NA,
            NA, "allocs");
  }
  if (want("ecdhe")) {
    o = x = stat_na;
    if (opt.do_ours)
      o = run_hs("ours", "ECDHE-ECDSA handshake", ours_ecdhe_handshakes,
                 opt.ecdhe);
    if (opt.do_ossl)
      x = run_hs("openssl", "ECDHE-ECDSA handshake", ossl_ecdhe_handshakes,
                 opt.ecdhe);
    add_row("ECDHE-ECDSA-AES128-CCM8 mutual handshake, wall",
            V(o, wall, 1e-6), V(x, wall, 1e-6), "ms");
    add_row("ECDHE-ECDSA mutual handshake, CPU (all thr.)", V(o, cpu, 1e-6),
            V(x, cpu, 1e-6), "ms");
    add_row("ECDHE-ECDSA mutual handshakes per second",
            o.ok ? 1e9 / o.wall : NA, x.ok ? 1e9 / x.wall : NA, "1/s");
    add_row("  Go heap allocations per ECDHE handshake", o.ok ? o.mallocs : NA,
            NA, "allocs");
  }
}

static void record_rows(void) {
  const size_t *sizes = opt.sizes;
  int i;
  double allocs = NA;
  if (want("rec")) {
    for (i = 0; i < opt.nsizes; i++) {
      stat_t o = stat_na, x = stat_na;
      char name[64], what[40];
      snprintf(what, sizeof what, "record %zu B", sizes[i]);
      if (opt.do_ours)
        o = run_rec("ours", what, ours_records, sizes[i], opt.records, 0);
      if (opt.do_ossl)
        x = run_rec("openssl", what, ossl_records, sizes[i], opt.records, 0);
      snprintf(name, sizeof name, "%zu B record write->read, time per record",
               sizes[i]);
      add_row(name, V(o, wall, 1e-3), V(x, wall, 1e-3), "us");
      snprintf(name, sizeof name, "%zu B record write->read, throughput",
               sizes[i]);
      add_row(name, V(o, bps, 1e-6), V(x, bps, 1e-6), "MB/s");
      if (o.ok && o.mallocs != NA && o.mallocs > allocs)
        allocs = o.mallocs;
    }
    add_row("  Go heap allocations per record (worst size)", allocs, NA,
            "allocs");
  }
  if (want("echo")) {
    stat_t o = stat_na, x = stat_na;
    if (opt.do_ours)
      o = run_rec("ours", "echo 64 B", ours_records, 64, opt.records / 2, 1);
    if (opt.do_ossl)
      x = run_rec("openssl", "echo 64 B", ossl_records, 64, opt.records / 2,
                  1);
    add_row("64 B echo client->server->client", V(o, wall, 1e-3),
            V(x, wall, 1e-3), "us");
  }
}

/* ---- memory workloads, each in a child process ---- */

#define MFIELDS(X)                                                             \
  X(rss_base) X(rss_peers) X(rss_freed) X(rss_freed_1s) X(rss_churn)          \
  X(heap_base) X(heap_peers) X(heap_freed) X(heap_churn) X(go_base)          \
  X(go_peers) X(go_freed) X(go_freed_1s) X(go_churn) X(wall_ns)             \
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

static int run_mem(const char *who, int mode, mres_t *m) {
  char peers[32], data[4];
  char *argv[] = {"tdtls_bench", "--mem-child", (char *)who, data, "--peers",
                  peers, bench_quick ? "--quick" : NULL, NULL};
  int pfd[2], status = 0;
  pid_t pid;
  posix_spawn_file_actions_t fa;
  char buf[4096], *line;
  size_t n = 0;
  ssize_t k;
  snprintf(peers, sizeof peers, "%ld", opt.peers);
  snprintf(data, sizeof data, "%d", mode);
  memset(m, 0, sizeof *m);
  if (pipe(pfd) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
  posix_spawn_file_actions_addclose(&fa, pfd[0]);
  if (posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[0]);
    close(pfd[1]);
    snprintf(m->err, sizeof m->err, "posix_spawn failed");
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(pfd[1]);
  while (n < sizeof buf - 1 &&
         (k = read(pfd[0], buf + n, sizeof buf - 1 - n)) > 0)
    n += (size_t)k;
  buf[n] = 0;
  close(pfd[0]);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  line = strstr(buf, "MEM ");
  if (!line || parse_mres(line, m) < 0) {
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
  mres_t o[3], x[3];
  int ook[3] = {0, 0, 0}, xok[3] = {0, 0, 0}, mode;
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
    }
    if (opt.do_ossl) {
      xok[mode] = run_mem("openssl", mode, &x[mode]) == 0;
      if (!xok[mode])
        note("  openssl memory (%s) FAILED: %s\n", tag[mode], x[mode].err);
    }
  }
#define D(ok, r, a, b, k) ((ok) ? ((r).a - (r).b) / (k) : NA)
  for (mode = 0; mode <= 2; mode++) {
    if (mode == 2 && !want("relbuf"))
      break;
    snprintf(name, sizeof name, "%s: RSS / peer", tag[mode]);
    add_row(name, D(ook[mode], o[mode], rss_peers, rss_base, p),
            D(xok[mode], x[mode], rss_peers, rss_base, p), "B/peer");
    add_row("  malloc (C heap) / peer",
            D(ook[mode], o[mode], heap_peers, heap_base, p),
            D(xok[mode], x[mode], heap_peers, heap_base, p), "B/peer");
    if (mode < 2) {
      add_row("  Go heap arena RSS / peer",
              D(ook[mode], o[mode], go_peers, go_base, p), NA, "B/peer");
      add_row("  Go heap live after GC / peer",
              ook[mode] && o[mode].golive_base >= 0
                  ? (o[mode].golive_peers - o[mode].golive_base) / p
                  : NA,
              NA, "B/peer");
    }
  }
  add_row("RSS above base, server freed (hs + 1 record)",
          D(ook[1], o[1], rss_freed, rss_base, 1e6),
          D(xok[1], x[1], rss_freed, rss_base, 1e6), "MB");
  add_row("  ... 1 s later", D(ook[1], o[1], rss_freed_1s, rss_base, 1e6),
          D(xok[1], x[1], rss_freed_1s, rss_base, 1e6), "MB");
  add_row("  ... after churn (more handshakes) + 1 s",
          D(ook[1], o[1], rss_churn, rss_base, 1e6),
          D(xok[1], x[1], rss_churn, rss_base, 1e6), "MB");
  add_row("  Go arena above base after churn + 1 s",
          D(ook[1], o[1], go_churn, go_base, 1e6), NA, "MB");
  add_row("  malloc above base after free",
          D(ook[1], o[1], heap_freed, heap_base, 1e6),
          D(xok[1], x[1], heap_freed, heap_base, 1e6), "MB");
#undef D
}

/* ---- main ---- */

static void usage(void) {
  fprintf(stderr,
          "usage: tdtls_bench [--quick] [--reps R] [--scale F] [--hs N] "
          "[--ecdhe N]\n"
          "                   [--records N] [--peers N] [--only ours|openssl]\n"
          "                   [--workloads psk,ecdhe,rec,echo,mem[,relbuf]] "
          "[--sizes 64,256,1024]\n");
  exit(2);
}

int main(int argc, char **argv) {
  int i;
  const char *child = NULL;
  int child_mode = 0;
  int set_hs = 0, set_ecdhe = 0, set_rec = 0, set_peers = 0, set_reps = 0;
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
    if (!set_peers)
      opt.peers = 200;
    if (!set_reps)
      opt.reps = 1;
  }
  if (opt.scale != 1.0) {
    opt.hs = (long)(opt.hs * opt.scale);
    opt.ecdhe = (long)(opt.ecdhe * opt.scale);
    opt.records = (long)(opt.records * opt.scale);
  }
  if (opt.reps < 1 || opt.reps > 31 || opt.hs < 1 || opt.ecdhe < 1 ||
      opt.records < 2 || opt.peers < 1)
    usage();

  if (ours_init() < 0) {
    fprintf(stderr, "tinydtls setup failed\n");
    return 1;
  }
  if (child)
    return mem_child(child, child_mode);
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
  memory_rows();
  printf("\n");
  print_table();
  printf("\nratio = ours / OpenSSL (times and bytes: < 1 is better for ours; "
         "rates: > 1 is better for ours).\n");
  printf("Times are medians of %d runs; CPU is process CPU time over all "
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
  if (notes[0]) {
    printf("FAILURES:\n%s", notes);
    return 1;
  }
  return 0;
}
