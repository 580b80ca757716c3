/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * loadtest -- tinydtls-go over loopback UDP, bounded in count and time.
 *
 *   loadtest [--quick] [--clients N] [--handshakes K] [--records R]
 *            [--size B] [--time-limit S]
 *
 * The process is the server: one context on one UDP socket bound to
 * 127.0.0.1, a single thread in a select() loop that also drives
 * dtls_check_retransmit(). It re-executes itself as the client process:
 * N clients, each with its own UDP socket and its own context, all in one
 * select() loop. Every client does K handshakes (PSK-AES128-CCM8, cookie
 * exchange included) one after the other; after each it sends R records of
 * B bytes one at a time, waits for the server's echo of each, and closes
 * with dtls_close(); the next handshake comes from a new socket (a new
 * source port), unless --same-port. All clients start at once.
 *
 * The client process reports handshakes/s and handshake latency (from
 * dtls_connect() to DTLS_EVENT_CONNECTED, so it includes queueing behind
 * the other clients' handshakes at the server) and the echo round-trip
 * latency; the server reports its CPU time per handshake. Everything stops
 * by itself: when all handshakes are done, or at the time limit.
 */
#define _GNU_SOURCE
#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"

#include "../ctests/test_support.h" /* the example PSK, ts_psk_answer */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static struct {
  int quick;
  int clients;
  int handshakes;
  int records;
  int size;
  double time_limit;
  int same_port;
} opt = {0, 1000, 10, 4, 64, 60, 0};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int udp_socket(struct sockaddr_in *bound, int rcvbuf) {
  struct sockaddr_in a;
  socklen_t al = sizeof a;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0)
    return -1;
  if (rcvbuf > 0 &&
      setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (rcvbuf > 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &rcvbuf, sizeof rcvbuf);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
      getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
    close(fd);
    return -1;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (bound)
    *bound = a;
  return fd;
}

/* The example PSK; both sides take only its identity (decrypt_error for
 * another). */
static int cb_psk(dtls_context_t *ctx, const session_t *s,
                  dtls_credentials_type_t type, const unsigned char *desc,
                  size_t desc_len, unsigned char *result,
                  size_t result_len) {
  (void)ctx;
  (void)s;
  return ts_psk_answer(type, desc, desc_len, result, result_len,
                       TS_PSK_IDENTITY, TS_PSK_KEY, TS_PSK_IDENTITY,
                       DTLS_ALERT_DECRYPT_ERROR);
}

static void cb_params(dtls_context_t *ctx, session_t *s,
                      dtls_user_parameters_t *p) {
  (void)ctx;
  (void)s;
  p->cipher_suites[0] = TLS_PSK_WITH_AES_128_CCM_8;
  p->cipher_suites[1] = TLS_NULL_WITH_NULL_NULL;
}

/* System-wide UDP receive errors (/proc/net/snmp): datagrams the kernel
 * dropped because a socket buffer was full. Other processes count too. */
static long udp_rcvbuf_errors(void) {
  FILE *f = fopen("/proc/net/snmp", "r");
  char hdr[512], val[512];
  long v = -1;
  if (!f)
    return -1;
  while (fgets(hdr, sizeof hdr, f) && fgets(val, sizeof val, f)) {
    if (strncmp(hdr, "Udp:", 4) == 0 && strncmp(val, "Udp:", 4) == 0) {
      char *hs = NULL, *vs = NULL, *h = strtok_r(hdr, " \n", &hs),
           *x = strtok_r(val, " \n", &vs);
      while (h && x) {
        if (strcmp(h, "RcvbufErrors") == 0) {
          v = atol(x);
          break;
        }
        h = strtok_r(NULL, " \n", &hs);
        x = strtok_r(NULL, " \n", &vs);
      }
      break;
    }
  }
  fclose(f);
  return v;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, long n, double p) {
  long i;
  if (n == 0)
    return 0;
  i = (long)(p * (double)(n - 1) + 0.5);
  return v[i];
}

/* ================= server ================= */

static struct {
  int fd;
  long connected, alerts, dg_in, dg_out, send_drops, records;
} sv;

static double sv_max_handle; /* longest single dtls_handle_message() */

static int sv_write(dtls_context_t *ctx, session_t *s, uint8 *buf,
                    size_t len) {
  (void)ctx;
  if (sendto(sv.fd, buf, len, MSG_DONTWAIT, &s->addr.sa, s->size) < 0) {
    sv.send_drops++;
    return (int)len; /* lost, as on a real network */
  }
  sv.dg_out++;
  return (int)len;
}

static int sv_read(dtls_context_t *ctx, session_t *s, uint8 *buf,
                   size_t len) {
  sv.records++;
  dtls_write(ctx, s, buf, len); /* echo */
  return 0;
}

static int sv_event(dtls_context_t *ctx, session_t *s,
                    dtls_alert_level_t level, unsigned short code) {
  (void)ctx;
  (void)s;
  (void)code;
  if (level == 0 && code == DTLS_EVENT_CONNECTED)
    sv.connected++;
  else if (level == DTLS_ALERT_LEVEL_FATAL) {
    sv.alerts++;
    if (getenv("LOADTEST_DEBUG"))
      fprintf(stderr, "server: fatal alert %u from port %u\n", code,
              ntohs(s->addr.sin.sin_port));
  }
  return 0;
}

static dtls_handler_t sv_handler = {
    .write = sv_write,
    .read = sv_read,
    .event = sv_event,
    .get_psk_info = cb_psk,
};

static int run_server(const char *self) {
  struct sockaddr_in a;
  dtls_context_t *ctx;
  char port[16], clients[16], hs[16], recs[16], size[16], tl[32];
  char *argv[] = {"loadtest", "--client-role", port, "--clients", clients,
                  "--handshakes", hs, "--records", recs, "--size", size,
                  "--time-limit", tl, opt.same_port ? "--same-port" : NULL,
                  NULL};
  pid_t child;
  int status = 0, child_done = 0;
  double t0, cpu0, deadline, busy = 0, last_iter, max_gap = 0;
  long udp_err0 = udp_rcvbuf_errors();
  static uint8 buf[2048];

  sv.fd = udp_socket(&a, 8 << 20);
  if (sv.fd < 0) {
    perror("server socket");
    return 1;
  }
  ctx = dtls_new_context(NULL);
  if (!ctx)
    return 1;
  dtls_set_handler(ctx, &sv_handler);

  snprintf(port, sizeof port, "%d", ntohs(a.sin_port));
  snprintf(clients, sizeof clients, "%d", opt.clients);
  snprintf(hs, sizeof hs, "%d", opt.handshakes);
  snprintf(recs, sizeof recs, "%d", opt.records);
  snprintf(size, sizeof size, "%d", opt.size);
  snprintf(tl, sizeof tl, "%g", opt.time_limit);
  printf("loadtest: tinydtls-go over loopback UDP, PSK-AES128-CCM8; server "
         "127.0.0.1:%s, one context, one socket, one thread (select)\n",
         port);
  printf("  %d clients (one socket and one context each, one select loop, "
         "second process), all starting at once\n",
         opt.clients);
  printf("  each: %d handshake(s), after each %d echoed record(s) of %d B, "
         "then dtls_close; next handshake from %s; time limit %g s\n",
         opt.handshakes, opt.records, opt.size,
         opt.same_port ? "the same port" : "a new port", opt.time_limit);
  fflush(stdout);
  if (posix_spawn(&child, self, NULL, NULL, argv, environ) != 0) {
    perror("posix_spawn");
    return 1;
  }
  t0 = now_s();
  cpu0 = cpu_s();
  deadline = t0 + opt.time_limit + 10;
  last_iter = t0;
  while (now_s() < deadline) {
    fd_set rfds;
    struct timeval tv = {0, 20000};
    clock_time_t next = 0, nowt;
    int n;
    double tnow = now_s();
    /* the loop never sleeps longer than 20 ms on its own: a bigger gap
     * means the process did not get a CPU */
    if (tnow - last_iter > max_gap)
      max_gap = tnow - last_iter;
    dtls_check_retransmit(ctx, &next);
    if (next) {
      dtls_ticks(&nowt);
      if (next > nowt && next - nowt < 20) {
        tv.tv_sec = 0;
        tv.tv_usec = (suseconds_t)(next - nowt) * 1000;
      }
    }
    FD_ZERO(&rfds);
    FD_SET(sv.fd, &rfds);
    n = select(sv.fd + 1, &rfds, NULL, NULL, &tv);
    if (n < 0 && errno != EINTR) {
      perror("select");
      break;
    }
    if (n > 0 && FD_ISSET(sv.fd, &rfds)) {
      int burst;
      double b0 = now_s();
      for (burst = 0; burst < 256; burst++) {
        session_t s;
        ssize_t len;
        dtls_session_init(&s);
        s.size = sizeof s.addr;
        len = recvfrom(sv.fd, buf, sizeof buf, MSG_DONTWAIT, &s.addr.sa,
                       &s.size);
        if (len < 0)
          break;
        double h0 = now_s();
        sv.dg_in++;
        dtls_handle_message(ctx, &s, buf, (int)len);
        h0 = now_s() - h0;
        if (h0 > sv_max_handle)
          sv_max_handle = h0;
      }
      busy += now_s() - b0;
    }
    last_iter = now_s();
    if (tv.tv_usec == 20000 && n == 0)
      last_iter -= 0.020; /* an idle select timeout is not a stall */
    if (waitpid(child, &status, WNOHANG) == child) {
      child_done = 1;
      break;
    }
  }
  {
    double el = now_s() - t0, cpu = cpu_s() - cpu0;
    fflush(stdout);
    if (!child_done) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      printf("server: client process did not finish, killed\n");
    }
    printf("server: %ld handshakes completed, %ld fatal alerts, %ld records "
           "echoed; datagrams in %ld, out %ld, send drops %ld\n",
           sv.connected, sv.alerts, sv.records, sv.dg_in, sv.dg_out,
           sv.send_drops);
    printf("server: %.2f s wall, %.3f s CPU (process, all threads) = %.1f us "
           "CPU per handshake incl. its records; %.0f%% of wall busy in "
           "dtls_handle_message\n",
           el, cpu, sv.connected ? cpu / (double)sv.connected * 1e6 : 0,
           el > 0 ? busy / el * 100 : 0);
    printf("server: longest dtls_handle_message %.1f ms, longest gap between "
           "loop iterations %.1f ms; UDP receive buffer drops (system-wide) "
           "during the run: %ld\n",
           sv_max_handle * 1e3, max_gap * 1e3, udp_rcvbuf_errors() - udp_err0);
  }
  dtls_free_context(ctx);
  close(sv.fd);
  return child_done && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* ================= clients ================= */

typedef struct {
  int fd;
  int reused_port; /* this socket's port carried an earlier association */
  dtls_context_t *ctx;
  int state; /* 0 idle, 1 handshaking, 2 exchanging, 3 done */
  int done_hs;
  int echoes;
  double t_start, t_rec;
  clock_time_t next; /* next retransmission deadline, 0: none */
} client_t;

static client_t *cl;
static unsigned char port_used[65536];
static session_t srv_session;
static double *hs_lat, *rec_lat;
static long n_hs, n_rec, n_alerts, n_failed, cl_send_drops;
static uint8 payload[16384];

static int cl_write(dtls_context_t *ctx, session_t *s, uint8 *buf,
                    size_t len) {
  client_t *c = dtls_get_app_data(ctx);
  if (sendto(c->fd, buf, len, MSG_DONTWAIT, &s->addr.sa, s->size) < 0)
    cl_send_drops++;
  return (int)len;
}

static void send_record(client_t *c) {
  c->t_rec = now_s();
  if (dtls_write(c->ctx, &srv_session, payload, (size_t)opt.size) !=
      opt.size)
    n_failed++;
}

static void start_handshake(client_t *c) {
  if (c->done_hs > 0 && !opt.same_port) {
    /* A new source port for every handshake: reconnecting from the same
     * port right after dtls_close() runs into the server's close_notify
     * reply (see BENCHMARKS.md, "Odd things"); --same-port shows it. */
    struct sockaddr_in a;
    int fd = udp_socket(&a, 256 << 10);
    if (fd >= 0 && fd < FD_SETSIZE) {
      close(c->fd);
      c->fd = fd;
      c->reused_port = port_used[ntohs(a.sin_port)];
      port_used[ntohs(a.sin_port)] = 1;
    } else if (fd >= 0) {
      close(fd);
    }
  }
  c->state = 1;
  c->echoes = 0;
  c->t_start = now_s();
  if (dtls_connect(c->ctx, &srv_session) <= 0) {
    n_failed++;
    c->state = 3;
  }
}

static void finish_round(client_t *c) {
  dtls_close(c->ctx, &srv_session);
  c->done_hs++;
  /* the next handshake is started from the main loop, not from inside
   * this callback */
  c->state = c->done_hs >= opt.handshakes ? 3 : 0;
}

static int cl_read(dtls_context_t *ctx, session_t *s, uint8 *buf,
                   size_t len) {
  client_t *c = dtls_get_app_data(ctx);
  (void)s;
  (void)buf;
  (void)len;
  if (c->state != 2)
    return 0;
  rec_lat[n_rec++] = now_s() - c->t_rec;
  if (++c->echoes >= opt.records)
    finish_round(c);
  else
    send_record(c);
  return 0;
}

static int cl_event(dtls_context_t *ctx, session_t *s,
                    dtls_alert_level_t level, unsigned short code) {
  client_t *c = dtls_get_app_data(ctx);
  (void)s;
  if (level == 0 && code == DTLS_EVENT_CONNECTED && c->state == 1) {
    hs_lat[n_hs++] = now_s() - c->t_start;
    c->state = 2;
    if (opt.records > 0)
      send_record(c);
    else
      finish_round(c);
  } else if (level == DTLS_ALERT_LEVEL_FATAL) {
    n_alerts++;
    if (getenv("LOADTEST_DEBUG"))
      fprintf(stderr, "client %ld: fatal alert %u in state %d after %d handshakes, %d echoes%s\n",
              (long)(c - cl), code, c->state, c->done_hs, c->echoes,
              c->reused_port ? " (its source port was used before)" : "");
    if (c->state == 1 || c->state == 2) {
      /* the handshake failed or was abandoned: count it and move on */
      n_failed++;
      c->done_hs++;
      if (c->done_hs >= opt.handshakes)
        c->state = 3;
      else
        c->state = 0; /* restarted by the main loop */
    }
  }
  return 0;
}

static dtls_handler_t cl_handler = {
    .write = cl_write,
    .read = cl_read,
    .event = cl_event,
    .get_user_parameters = cb_params,
    .get_psk_info = cb_psk,
};

static int run_clients(int port) {
  int i, maxfd = 0, remaining;
  double t0, cpu0, deadline, el;
  long total = (long)opt.clients * opt.handshakes;
  static uint8 buf[2048];

  cl = calloc((size_t)opt.clients, sizeof *cl);
  hs_lat = calloc((size_t)total + 1, sizeof *hs_lat);
  rec_lat = calloc((size_t)total * (size_t)(opt.records + 1) + 1,
                   sizeof *rec_lat);
  if (!cl || !hs_lat || !rec_lat)
    return 1;
  memset(payload, 0x5a, sizeof payload);
  dtls_session_init(&srv_session);
  srv_session.addr.sin.sin_family = AF_INET;
  srv_session.addr.sin.sin_port = htons((uint16_t)port);
  srv_session.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  srv_session.size = sizeof(struct sockaddr_in);

  for (i = 0; i < opt.clients; i++) {
    struct sockaddr_in a;
    cl[i].fd = udp_socket(&a, 256 << 10);
    if (cl[i].fd >= 0)
      port_used[ntohs(a.sin_port)] = 1;
    if (cl[i].fd < 0 || cl[i].fd >= FD_SETSIZE) {
      fprintf(stderr, "client socket %d: %s\n", i,
              cl[i].fd < 0 ? strerror(errno) : "fd >= FD_SETSIZE");
      return 1;
    }
    if (cl[i].fd > maxfd)
      maxfd = cl[i].fd;
    cl[i].ctx = dtls_new_context(&cl[i]);
    if (!cl[i].ctx)
      return 1;
    dtls_set_handler(cl[i].ctx, &cl_handler);
  }

  t0 = now_s();
  cpu0 = cpu_s();
  deadline = t0 + opt.time_limit;
  for (i = 0; i < opt.clients; i++)
    start_handshake(&cl[i]);

  for (;;) {
    fd_set rfds;
    struct timeval tv = {0, 10000};
    clock_time_t nowt;
    int n;
    remaining = 0;
    maxfd = 0;
    dtls_ticks(&nowt);
    FD_ZERO(&rfds);
    for (i = 0; i < opt.clients; i++) {
      client_t *c = &cl[i];
      if (c->state == 0)
        start_handshake(c);
      if (c->state != 3)
        remaining++;
      if (c->next && !DTLS_IS_BEFORE_TIME(nowt, c->next))
        dtls_check_retransmit(c->ctx, &c->next);
      FD_SET(c->fd, &rfds);
      if (c->fd > maxfd)
        maxfd = c->fd;
    }
    if (!remaining || now_s() >= deadline)
      break;
    n = select(maxfd + 1, &rfds, NULL, NULL, &tv);
    if (n < 0 && errno != EINTR) {
      perror("select");
      break;
    }
    for (i = 0; i < opt.clients && n > 0; i++) {
      client_t *c = &cl[i];
      if (!FD_ISSET(c->fd, &rfds))
        continue;
      n--;
      for (;;) {
        session_t s;
        ssize_t len;
        dtls_session_init(&s);
        s.size = sizeof s.addr;
        len = recvfrom(c->fd, buf, sizeof buf, MSG_DONTWAIT, &s.addr.sa,
                       &s.size);
        if (len < 0)
          break;
        dtls_handle_message(c->ctx, &srv_session, buf, (int)len);
      }
      /* our flight may have changed: refresh the retransmission deadline */
      dtls_check_retransmit(c->ctx, &c->next);
    }
  }
  el = now_s() - t0;
  qsort(hs_lat, (size_t)n_hs, sizeof *hs_lat, cmp_d);
  qsort(rec_lat, (size_t)n_rec, sizeof *rec_lat, cmp_d);
  printf("clients: %ld of %ld handshakes in %.2f s = %.0f handshakes/s; %ld "
         "failed, %ld fatal alerts, %ld send drops%s\n",
         n_hs, total, el, el > 0 ? (double)n_hs / el : 0, n_failed, n_alerts,
         cl_send_drops, remaining ? " -- TIME LIMIT HIT" : "");
  printf("clients: handshake latency (dtls_connect -> CONNECTED) p50 %.2f ms, "
         "p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
         pct(hs_lat, n_hs, .5) * 1e3, pct(hs_lat, n_hs, .9) * 1e3,
         pct(hs_lat, n_hs, .99) * 1e3, n_hs ? hs_lat[n_hs - 1] * 1e3 : 0);
  printf("clients: %ld echoed records of %d B, round trip p50 %.1f us, p99 "
         "%.1f us; client process CPU %.2f s\n",
         n_rec, opt.size, pct(rec_lat, n_rec, .5) * 1e6,
         pct(rec_lat, n_rec, .99) * 1e6, cpu_s() - cpu0);
  fflush(stdout);
  for (i = 0; i < opt.clients; i++) {
    dtls_free_context(cl[i].ctx);
    close(cl[i].fd);
  }
  return remaining || n_hs < total ? 1 : 0;
}

static void usage(void) {
  fprintf(stderr, "usage: loadtest [--quick] [--clients N] [--handshakes K] "
                  "[--records R] [--size B] [--time-limit S] [--same-port]\n");
  exit(2);
}

int main(int argc, char **argv) {
  int i, client_port = 0, set_clients = 0, set_hs = 0, set_tl = 0;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (usage(), ""))
    if (!strcmp(a, "--quick"))
      opt.quick = 1;
    else if (!strcmp(a, "--clients"))
      opt.clients = atoi(ARG()), set_clients = 1;
    else if (!strcmp(a, "--handshakes"))
      opt.handshakes = atoi(ARG()), set_hs = 1;
    else if (!strcmp(a, "--records"))
      opt.records = atoi(ARG());
    else if (!strcmp(a, "--size"))
      opt.size = atoi(ARG());
    else if (!strcmp(a, "--time-limit"))
      opt.time_limit = atof(ARG()), set_tl = 1;
    else if (!strcmp(a, "--same-port"))
      opt.same_port = 1;
    else if (!strcmp(a, "--client-role"))
      client_port = atoi(ARG());
    else
      usage();
  }
  if (opt.quick) {
    if (!set_clients)
      opt.clients = 50;
    if (!set_hs)
      opt.handshakes = 2;
    if (!set_tl)
      opt.time_limit = 5;
  }
  if (opt.clients < 1 || opt.clients > FD_SETSIZE - 24 || opt.handshakes < 1 ||
      opt.records < 0 || opt.size < 1 || opt.size > 1024 ||
      opt.time_limit <= 0) {
    fprintf(stderr, "loadtest: clients must be 1..%d, size 1..1024\n",
            FD_SETSIZE - 24);
    return 2;
  }
  {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
        rl.rlim_cur < (rlim_t)opt.clients + 64) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
    }
  }
  dtls_init();
  dtls_set_log_level(DTLS_LOG_CRIT);
  if (client_port)
    return run_clients(client_port);
  return run_server("/proc/self/exe");
}
