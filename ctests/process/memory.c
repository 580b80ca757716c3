/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * memory.c [options] -- memory coming back while a server only runs its
 * event loop (issue 12, point 3), and what an idle peer costs (point 4).
 *
 * The server is this process; its clients are one child process, forked
 * before either uses the library (so that the server's heap holds only the
 * server's state, as in a real deployment), which plays one client address
 * after the other. Datagrams go over a socketpair, each prefixed with the
 * client's number, from which the server makes the client's session_t.
 *
 *  1. baseline: the server's RSS after 50 warm-up handshakes, with a fresh
 *     server context;
 *  2. growth: N PSK handshakes, each followed by one record (the server
 *     then releases its final flight): N idle established peers; the RSS
 *     per peer right after the growth and after --idle seconds of the
 *     idle event loop;
 *  3. (ours) H more handshakes left half open: the server's flight is lost
 *     and the handshakes time out (initial timeout 10 ms, dtls_ext.h);
 *  4. removal of all but a tenth of the peers, half of them with
 *     dtls_reset_peer(), half with dtls_close() (the clients never answer:
 *     the closes time out after 2 s); the survivors are the newest peers,
 *     or random ones (--random);
 *  5. the event loop only (dtls_check_retransmit() and a sleep until the
 *     next deadline, at most 100 ms) for --loop seconds (10), the RSS
 *     sampled every round: it must come within 25 % of the baseline plus
 *     the live data (the survivors at the per-peer RSS of the growth) and
 *     stay there to the end;
 *  6. the server context freed: after 1 s the RSS must be within 25 % of
 *     the baseline (what Go's runtime keeps of the bookkeeping of its
 *     largest heap, which it never returns, included).
 *
 * (ours) The RSS per idle peer must be at most 1 KiB after --idle seconds
 * of the event loop, and, from 20,000 peers, right after the growth.
 *
 * The survivors must still be there, the removed peers gone and (ours) no
 * goroutine started; dtls_peer_t pointers of 100 survivors taken before
 * the removal (while the library moves associations, engine.Compact) must
 * still be theirs afterwards, and resetting half of them through those
 * pointers must remove exactly those. --no-rss skips the RSS bounds and --patience S lets
 * the client process be silent for S seconds instead of 30 (valgrind);
 * --release-cost only grows and then times dtls_ext_go_stats(..., 2), a
 * full collection that returns free memory, the core of what the library
 * does when memory comes back. Prints "ok"/"FAIL" lines, figures on lines
 * starting with "figure:", and "memory: N passed, M failed". Compiles
 * against upstream's headers too (test-process-memory.sh reports
 * upstream's figures beside ours); -DTDTLS_EXT selects what only this
 * library has.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"
#ifdef TDTLS_EXT
#include "dtls_ext.h"
#endif

/* ---- checks */

static int passed, failed;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...) {
  va_list ap;
  printf(ok ? "ok   " : "FAIL ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  fflush(stdout);
  if (ok)
    passed++;
  else
    failed++;
}

static void die(const char *what) {
  printf("FAIL %s\n", what);
  printf("memory: %d passed, %d failed\n", passed, failed + 1);
  exit(1);
}

/* ---- clock, memory */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double rss_mb(void) {
  long pages = 0, res = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f)
    return -1;
  if (fscanf(f, "%ld %ld", &pages, &res) != 2)
    res = -1;
  fclose(f);
  return res < 0 ? -1 : (double)res * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

static int threads(void) {
  int n = 0;
  struct dirent *e;
  DIR *d = opendir("/proc/self/task");
  if (!d)
    return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n;
}

/* --smaps: where the memory is (Go heap, C heap, mappings with more than
 * 512 kB resident), for finding what stays. */
static int show_smaps;
static void smaps(const char *when) {
  char line[512], name[512] = "";
  long rss;
  unsigned long a, b;
  FILE *f;
  if (!show_smaps || !(f = fopen("/proc/self/smaps", "r")))
    return;
  printf("smaps %s:\n", when);
  {
    char l[256];
    FILE *st = fopen("/proc/self/status", "r");
    while (st && fgets(l, sizeof l, st))
      if (!strncmp(l, "RssAnon", 7) || !strncmp(l, "RssFile", 7))
        printf("  %s", l);
    if (st)
      fclose(st);
  }
#ifdef __GLIBC__
  {
    struct mallinfo2 mi = mallinfo2();
    printf("  C heap: in use %.2f MB, free %.2f MB\n", (double)mi.uordblks / 1048576.0,
           (double)mi.fordblks / 1048576.0);
  }
#endif
#ifdef TDTLS_EXT
  {
    dtls_ext_go_stats_t st;
    if (dtls_ext_go_stats(&st, 0) == 0)
      printf("  Go heap: allocated %.1f MB, from the system %.1f MB, released %.1f MB, %lu GCs\n",
             (double)st.heap_live / 1048576.0, (double)st.heap_sys / 1048576.0,
             (double)st.heap_released / 1048576.0, (unsigned long)st.num_gc);
  }
#endif
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, "%lx-%lx ", &a, &b) == 2)
      snprintf(name, sizeof name, "%s", line);
    else if (sscanf(line, "Rss: %ld kB", &rss) == 1 && rss > 512)
      printf("  %6ld kB  %s", rss, name);
  }
  fclose(f);
}

#ifdef TDTLS_EXT
/* ours: the engine's goroutine count (a test hook of the engine, looked up
 * in the engine that libtinydtls.so loaded; see threads_test.c). */
static int (*goroutines)(void);

static int engine_path(struct dl_phdr_info *info, size_t size, void *out) {
  (void)size;
  if (!info->dlpi_name || !strstr(info->dlpi_name, "/libtinydtls-engine.so"))
    return 0;
  *(const char **)out = info->dlpi_name;
  return 1;
}

static void find_goroutines(void) {
  const char *path = NULL;
  void *h;
  dl_iterate_phdr(engine_path, &path);
  h = path ? dlopen(path, RTLD_NOW | RTLD_NOLOAD) : NULL;
  if (h)
    *(void **)&goroutines = dlsym(h, "tdtls_selftest_goroutines");
}
#endif

/* ---- the link between the server and the client process */

#define CONTROL 0xffffffffu   /* a control message: one byte follows */
#define WARM_BASE 0xf00000u   /* the warm-up clients' numbers */
#define HALF_BASE 0x200000u   /* the half-open clients' numbers */

static int sock = -1;
static session_t srv_addr; /* how the client sees the server */
static int drop;           /* outgoing datagrams are lost */

static int send_msg(uint32_t who, const void *buf, size_t len) {
  unsigned char m[4 + 1500];
  if (len > 1500)
    return -1;
  memcpy(m, &who, 4);
  memcpy(m + 4, buf, len);
  while (send(sock, m, 4 + len, MSG_NOSIGNAL) < 0)
    if (errno != EINTR)
      return -1;
  return (int)len;
}

/* Receives one message within ms milliseconds: its length (without the
 * number), 0 on timeout, -1 on error. */
static int recv_msg(uint32_t *who, unsigned char *buf, int ms) {
  unsigned char m[4 + 1500];
  struct pollfd p = {.fd = sock, .events = POLLIN};
  ssize_t n;
  int r = poll(&p, 1, ms);
  if (r <= 0)
    return r < 0 && errno != EINTR ? -1 : 0;
  n = recv(sock, m, sizeof m, 0);
  if (n < 4)
    return -1;
  memcpy(who, m, 4);
  memcpy(buf, m + 4, (size_t)n - 4);
  return (int)n - 4;
}

static void client_addr(session_t *s, uint32_t i) {
  dtls_session_init(s);
  s->addr.sin.sin_family = AF_INET;
  s->addr.sin.sin_addr.s_addr = htonl(0x0a000000u | (i >> 14)); /* 10.x.y.z */
  s->addr.sin.sin_port = htons((uint16_t)(1024 + (i & 0x3fff)));
  s->size = sizeof(s->addr.sin);
}

static uint32_t client_index(const session_t *s) {
  return ((ntohl(s->addr.sin.sin_addr.s_addr) & 0xffffff) << 14) |
         (uint32_t)((ntohs(s->addr.sin.sin_port) - 1024) & 0x3fff);
}

static int psk(dtls_context_t *ctx, const session_t *s, dtls_credentials_type_t type,
               const unsigned char *desc, size_t dlen, unsigned char *out, size_t olen) {
  (void)ctx, (void)s, (void)desc, (void)dlen;
  if (type == DTLS_PSK_IDENTITY && olen >= 15) {
    memcpy(out, "Client_identity", 15);
    return 15;
  }
  if (type == DTLS_PSK_KEY && olen >= 9) {
    memcpy(out, "secretPSK", 9);
    return 9;
  }
  return 0;
}

static int on_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  (void)ctx, (void)s, (void)buf, (void)len;
  return 0;
}

/* ---- the client process */

static dtls_context_t *cli;
static uint32_t cur_client;
static int cli_connected;

static int cli_write(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  (void)ctx, (void)s;
  return drop ? (int)len : send_msg(cur_client, buf, len);
}

static int cli_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t level,
                     unsigned short code) {
  (void)ctx, (void)s;
  if (level == 0 && code == DTLS_EVENT_CONNECTED)
    cli_connected = 1;
  return 0;
}

static dtls_handler_t cli_handler = {
    .write = cli_write, .read = on_read, .event = cli_event, .get_psk_info = psk};

/* The client forgets the server; its close_notify is lost. */
static void cli_forget(void) {
  dtls_peer_t *p = dtls_get_peer(cli, &srv_addr);
  drop = 1;
  if (p)
    dtls_reset_peer(cli, p);
  drop = 0;
}

/* A handshake as client i, then one record (full) or, half open, only as
 * far as the ClientHello with the cookie. 1 on success. */
static int cli_handshake(uint32_t i, int full) {
  unsigned char dg[1500];
  uint32_t who;
  int n, msgs = 0;
  cur_client = i;
  cli_connected = 0;
  if (dtls_connect(cli, &srv_addr) <= 0)
    return 0;
  while (!cli_connected) {
    if ((n = recv_msg(&who, dg, 5000)) <= 0)
      return 0;
    dtls_handle_message(cli, &srv_addr, dg, n);
    if (!full && ++msgs == 1) { /* the HelloVerifyRequest: the ClientHello with the cookie is out */
      cli_forget();
      return 1;
    }
  }
  if (full && dtls_write(cli, &srv_addr, (uint8 *)"idle peer hello!", 16) != 16)
    return 0;
  cli_forget();
  return 1;
}

static int control(char c) { return send_msg(CONTROL, &c, 1); }

/* Waits for the control message c from the server (60 s at most),
 * dropping datagrams meanwhile. */
static int wait_control(char c) {
  unsigned char dg[1500];
  uint32_t who;
  double end = now() + 60;
  while (now() < end) {
    int n = recv_msg(&who, dg, 1000);
    if (n < 0)
      return 0;
    if (n == 1 && who == CONTROL && dg[0] == c)
      return 1;
  }
  return 0;
}

static int client_main(long npeers, long nhalf) {
  long i;
  dtls_init();
  dtls_set_log_level(DTLS_LOG_CRIT);
  if (!(cli = dtls_new_context(NULL)))
    return 1;
  dtls_set_handler(cli, &cli_handler);
  for (i = 0; i < 50; i++)
    if (!cli_handshake(WARM_BASE + (uint32_t)i, 1))
      return 2;
  control('W');
  if (!wait_control('G'))
    return 3;
  for (i = 0; i < npeers; i++)
    if (!cli_handshake((uint32_t)i, 1))
      return 4;
  control('F');
  if (!wait_control('H'))
    return 3;
  for (i = 0; i < nhalf; i++)
    if (!cli_handshake(HALF_BASE + (uint32_t)i, 0))
      return 5;
  control('D');
  dtls_free_context(cli);
  return 0;
}

/* ---- the server */

static dtls_context_t *srv;
static int client_done;
static long connected, closes_timed_out, hs_failed;

static int srv_write(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  uint32_t who = client_index(s);
  (void)ctx;
  /* lost: everything once the clients are gone, and all but the
   * HelloVerifyRequest to the half-open clients */
  if (drop || client_done || (who >= HALF_BASE && who < WARM_BASE && !(len > 13 && buf[13] == 3)))
    return (int)len;
  return send_msg(who, buf, len);
}

static int srv_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t level,
                     unsigned short code) {
  (void)ctx, (void)s;
  if (level == 0 && code == DTLS_EVENT_CONNECTED)
    connected++;
  else if (level == DTLS_ALERT_LEVEL_WARNING && code == DTLS_ALERT_CLOSE_NOTIFY)
    closes_timed_out++;
  else if (level == DTLS_ALERT_LEVEL_FATAL)
    hs_failed++;
  return 0;
}

static dtls_handler_t srv_handler = {
    .write = srv_write, .read = on_read, .event = srv_event, .get_psk_info = psk};

static void new_server(void) {
  if (!(srv = dtls_new_context(NULL)))
    die("dtls_new_context");
  dtls_set_handler(srv, &srv_handler);
}

/* The server's event loop: dtls_check_retransmit(), then wait for a
 * datagram until the next deadline (at most 100 ms), and hand it to
 * dtls_handle_message(). For secs seconds (0: no limit), or until until()
 * returns 1 (it is called after every round with the seconds since the
 * start). Returns the longest dtls_check_retransmit() call in ms. */
static int warmed, grown_done;
static double patience = 30; /* seconds the client process may be silent */
static double event_loop(double secs, int (*until)(double t)) {
  double start = now(), longest = 0, heard = now();
  unsigned char dg[1500];
  for (;;) {
    clock_time_t next = 0;
    dtls_tick_t ticks;
    double t0 = now(), t;
    int ms = 100, n;
    uint32_t who;
    if (srv)
      dtls_check_retransmit(srv, &next);
    t = now() - t0;
    if (t > longest)
      longest = t;
    t = now() - start;
    if (until && until(t))
      break;
    if (secs > 0 && t >= secs)
      break;
    dtls_ticks(&ticks);
    if (next && next > (clock_time_t)ticks) {
      double d = (double)(next - (clock_time_t)ticks) * 1000.0 / DTLS_TICKS_PER_SECOND;
      if (d < ms)
        ms = d < 1 ? 1 : (int)d;
    }
    if (client_done) {
      struct timespec z = {0, ms * 1000000L};
      nanosleep(&z, NULL);
      continue;
    }
    n = recv_msg(&who, dg, ms);
    if (n < 0)
      die("the client process went away");
    if (n == 0) {
      if (now() - heard > patience)
        die("the client process is silent for too long (--patience)");
      continue;
    }
    heard = now();
    if (who == CONTROL) {
      if (dg[0] == 'D')
        client_done = 1;
      else if (dg[0] == 'W')
        warmed = 1;
      else if (dg[0] == 'F')
        grown_done = 1;
      continue;
    }
    {
      session_t from;
      client_addr(&from, who);
      dtls_handle_message(srv, &from, dg, n);
    }
  }
  return longest * 1e3;
}

static long npeers = 50000;
static int until_warmed(double t) { return (void)t, warmed; }
static int until_grown(double t) { return (void)t, grown_done; }
static int until_done(double t) { return (void)t, client_done; }

static double bound_mb, first_ok = -1, worst_after_ok;
/* Samples the RSS in every round of the event loop, which runs the whole
 * --loop: the library moves associations and returns memory as closes and
 * half-open handshakes end and once the count settled (a second later),
 * and the RSS must stay within the bound through all of it. */
static int within(double t) {
  double r = rss_mb();
  if (r <= bound_mb && first_ok < 0)
    first_ok = t;
  if (first_ok >= 0 && r > worst_after_ok)
    worst_after_ok = r;
  return 0;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

#define HELD 100

int main(int argc, char **argv) {
  long nhalf = 1000, nkeep, i, removed = 0, closed = 0, kept_found = 0,
       gone_found = 0, nheld = 0, held_at[HELD];
  dtls_peer_t *held[HELD];
  int random_keep = 0, rss_checks = 1, release_cost = 0, thr0, thr1, status = 0;
#ifdef TDTLS_EXT
  int gor0 = -1;
#endif
  double loop_secs = 10, idle_secs = 2, base, grown, idle, per_peer, per_peer_idle, t, longest,
         after_free;
  unsigned char *keep;
  int sv[2];
  pid_t child;

  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--peers") && i + 1 < argc)
      npeers = atol(argv[++i]);
    else if (!strcmp(argv[i], "--half-open") && i + 1 < argc)
      nhalf = atol(argv[++i]);
    else if (!strcmp(argv[i], "--loop") && i + 1 < argc)
      loop_secs = atof(argv[++i]);
    else if (!strcmp(argv[i], "--idle") && i + 1 < argc)
      idle_secs = atof(argv[++i]);
    else if (!strcmp(argv[i], "--patience") && i + 1 < argc)
      patience = atof(argv[++i]);
    else if (!strcmp(argv[i], "--random"))
      random_keep = 1;
    else if (!strcmp(argv[i], "--no-rss"))
      rss_checks = 0;
    else if (!strcmp(argv[i], "--smaps"))
      show_smaps = 1;
    else if (!strcmp(argv[i], "--release-cost"))
      release_cost = 1;
    else {
      fprintf(stderr,
              "usage: %s [--peers N] [--half-open H] [--loop S] [--idle S] [--patience S] [--random] "
              "[--no-rss] [--smaps] [--release-cost]\n",
              argv[0]);
      return 2;
    }
  }
#ifndef TDTLS_EXT
  nhalf = 0; /* upstream's handshakes take minutes to time out */
  release_cost = 0;
#endif
  if (release_cost)
    nhalf = 0;
  nkeep = npeers / 10;
  if (npeers < 10 || npeers >= (long)HALF_BASE || nhalf >= (long)(WARM_BASE - HALF_BASE))
    return 2;

  dtls_session_init(&srv_addr);
  srv_addr.addr.sin.sin_family = AF_INET;
  srv_addr.addr.sin.sin_addr.s_addr = htonl(0x7f000001);
  srv_addr.addr.sin.sin_port = htons(5684);
  srv_addr.size = sizeof(srv_addr.addr.sin);

  /* The clients' process, forked before anything uses the library. */
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
    die("socketpair");
  fflush(stdout);
  child = fork();
  if (child < 0)
    die("fork");
  if (child == 0) {
    close(sv[0]);
    sock = sv[1];
    int rc = client_main(npeers, nhalf);
    if (rc)
      fprintf(stderr, "memory: the client process failed (%d)\n", rc);
    _exit(rc);
  }
  close(sv[1]);
  sock = sv[0];
  if (!(keep = calloc((size_t)npeers, 1)))
    die("calloc");

  /* 1. baseline */
  dtls_init();
  dtls_set_log_level(DTLS_LOG_CRIT);
  new_server();
  event_loop(0, until_warmed);
  drop = 1; /* its close_notify alerts */
  dtls_free_context(srv);
  drop = 0;
  new_server();
  connected = 0;
#ifdef TDTLS_EXT
  find_goroutines();
  if (goroutines)
    gor0 = goroutines();
#endif
  {
    struct timespec z = {0, 200000000L};
    nanosleep(&z, NULL);
  }
  base = rss_mb();
  thr0 = threads();
  smaps("baseline");

  /* 2. growth */
  t = now();
  control('G');
  event_loop(0, until_grown);
  t = now() - t;
  grown = rss_mb();
  per_peer = (grown - base) * 1048576.0 / (double)npeers;
  check(connected == npeers, "%ld PSK handshakes and records from the client process in %.2f s",
        npeers, t);
  printf("figure: baseline RSS %.1f MB; %ld idle peers: RSS %.1f MB, %.0f B per peer\n", base, npeers,
         grown, per_peer);
  smaps("grown");
  event_loop(idle_secs, NULL);
  idle = rss_mb();
  per_peer_idle = (idle - base) * 1048576.0 / (double)npeers;
  printf("figure: after %.0f s of the idle event loop: RSS %.1f MB, %.0f B per peer\n", idle_secs,
         idle, per_peer_idle);
#ifdef TDTLS_EXT
  if (rss_checks) {
    check(per_peer_idle <= 1024, "at most 1 KiB RSS per idle peer after %.0f s of the event loop (%.0f B)",
          idle_secs, per_peer_idle);
    /* From 16,384 associations the library keeps the collector's headroom
     * at a quarter of the live heap (capi/memory.go). */
    if (npeers >= 20000)
      check(per_peer <= 1024, "at most 1 KiB RSS per idle peer right after the growth (%.0f B)",
            per_peer);
  }
#endif

#ifdef TDTLS_EXT
  if (release_cost) {
    dtls_ext_go_stats_t st;
    control('H');
    for (i = 0; i < 3; i++) {
      double t0 = now();
      dtls_ext_go_stats(&st, 2);
      printf("figure: a full collection returning free memory, %ld live associations: %.1f ms; "
             "RSS then %.1f MB, %.0f B per peer\n",
             npeers, (now() - t0) * 1e3, rss_mb(), (rss_mb() - base) * 1048576.0 / (double)npeers);
    }
    event_loop(0, until_done);
    goto out;
  }
#endif

  /* 3. half-open handshakes */
#ifdef TDTLS_EXT
  if (nhalf > 0) {
    check(dtls_set_initial_timeout(srv, 10) == 0, "server initial timeout 10 ms");
  }
#endif
  control('H');
  event_loop(0, until_done);

  /* 4. removal */
  if (random_keep) {
    long k = 0;
    while (k < nkeep) {
      uint32_t j = rnd() % (uint32_t)npeers;
      if (!keep[j])
        keep[j] = 1, k++;
    }
  } else {
    for (i = npeers - nkeep; i < npeers; i++)
      keep[i] = 1;
  }
  /* The application holds dtls_peer_t pointers of some survivors across
   * the removal; the library moves associations meanwhile (engine.Compact),
   * and the pointers must stay theirs. */
  for (i = 0; i < npeers && nheld < HELD; i++) {
    session_t a;
    if (!keep[i])
      continue;
    client_addr(&a, (uint32_t)i);
    held[nheld] = dtls_get_peer(srv, &a);
    held_at[nheld++] = i;
  }
  for (i = 0; i < npeers; i++) {
    session_t a;
    if (keep[i])
      continue;
    client_addr(&a, (uint32_t)i);
    if (removed++ % 2 == 0) {
      dtls_reset_peer(srv, dtls_get_peer(srv, &a));
    } else {
      dtls_close(srv, &a);
      closed++;
    }
  }
  bound_mb = 1.25 * (base + (double)nkeep * per_peer / 1048576.0);

  /* 5. the event loop only */
  longest = event_loop(loop_secs, within);
  t = rss_mb();
  smaps("after the event loop");
  {
    char when[64] = "never within it";
    if (first_ok >= 0)
      snprintf(when, sizeof when, "first within it after %.2f s", first_ok);
    printf("figure: removed %ld of %ld peers (%ld reset, %ld closed; %s survivors), %ld half-open: "
           "RSS %.1f MB after the event loop (bound %.1f MB), %s; longest dtls_check_retransmit "
           "%.1f ms\n",
           removed, npeers, removed - closed, closed, random_keep ? "random" : "the newest", nhalf,
           t, bound_mb, when, longest);
  }
  check(closes_timed_out == closed, "every close timed out in the event loop (%ld of %ld)",
        closes_timed_out, closed);
#ifdef TDTLS_EXT
  check(hs_failed == nhalf, "every half-open handshake timed out (%ld of %ld)", hs_failed, nhalf);
#endif
  if (rss_checks) {
    check(first_ok >= 0 && first_ok <= loop_secs,
          "RSS within 25 %% of baseline + live data (%.1f MB) within %.0f s of the event loop "
          "(after %.2f s)",
          bound_mb, loop_secs, first_ok);
    check(first_ok >= 0 && worst_after_ok <= bound_mb && t <= bound_mb,
          "and stays there (at most %.1f MB since, %.1f MB at the end)", worst_after_ok, t);
  }
  thr1 = threads();
  printf("figure: threads %d before the growth, %d after the event loop\n", thr0, thr1);
#ifdef TDTLS_EXT
  if (goroutines) {
    int gor1 = goroutines();
    check(gor1 <= gor0, "no goroutine started (%d before, %d after)", gor0, gor1);
  }
#endif
  {
    long same = 0, connected = 0, reset = 0;
    for (i = 0; i < nheld; i++) {
      session_t a;
      client_addr(&a, (uint32_t)held_at[i]);
      same += held[i] && dtls_get_peer(srv, &a) == held[i];
      connected += held[i] && held[i]->state == DTLS_STATE_CONNECTED;
    }
    check(nheld > 0 && same == nheld && connected == nheld,
          "dtls_peer_t pointers held across the removal still find their peers (%ld and %ld "
          "connected of %ld)",
          same, connected, nheld);
    /* and reach them: half are reset through the held pointer */
    for (i = 0; i < nheld; i += 2) {
      dtls_reset_peer(srv, held[i]);
      keep[held_at[i]] = 0;
      nkeep--;
      reset++;
    }
    event_loop(0.2, NULL);
    printf("figure: %ld survivors reset through dtls_peer_t pointers held since before the removal\n",
           reset);
  }
  for (i = 0; i < npeers; i++) {
    session_t a;
    client_addr(&a, (uint32_t)i);
    if (dtls_get_peer(srv, &a))
      keep[i] ? kept_found++ : gone_found++;
  }
  check(kept_found == nkeep && gone_found == 0,
        "the %ld survivors are there (%ld), the removed gone (%ld left)", nkeep, kept_found,
        gone_found);

  /* 6. the server context freed */
  dtls_free_context(srv);
  srv = NULL;
  event_loop(1.0, NULL);
  after_free = rss_mb();
  smaps("server freed");
  printf("figure: server context freed: RSS %.1f MB after 1 s (baseline %.1f MB, %+.0f %%)\n",
         after_free, base, (after_free / base - 1) * 100);
  if (rss_checks)
    check(after_free <= 1.25 * base, "RSS within 25 %% of the baseline after the server is freed (%.1f MB)",
          1.25 * base);
#ifdef TDTLS_EXT
out:
#endif
  if (srv)
    dtls_free_context(srv);
  free(keep);
  close(sock);
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    check(0, "the client process ended normally (status %d)", status);
  printf("memory: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
