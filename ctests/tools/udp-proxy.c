/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * udp-proxy -- a small, single-threaded UDP proxy for tests, with seeded
 * and therefore reproducible impairments.
 *
 *   udp-proxy -l LISTEN_PORT -t TARGET_PORT [-s SEED] [-d DROP%] [-u DUP%]
 *             [-r REORDER%] [-D DELAY_MS] [-b [SKIP:]N] [-c CAP_DATAGRAMS]
 *             [-T SECONDS] [-R REBIND_AFTER_N] [-i] [-v]
 *
 * Everything is on 127.0.0.1.  Clients send to LISTEN_PORT (0: the kernel
 * picks one, printed at start).  For each client address the proxy opens
 * its own upstream socket, forwards the client's datagrams from it to
 * TARGET_PORT and relays what comes back to that client.  Up to
 * MAX_CLIENTS clients at a time; beyond that the least recently active
 * one is forgotten.
 *
 * Impairments, applied independently in each direction (client->server,
 * "c2s", and server->client, "s2c"), each direction of each client drawing
 * from its own xorshift64* stream derived from SEED, so the decision for
 * the n-th datagram of a client in a direction depends only on SEED,
 * n and the order in which the clients first showed up:
 *   -d P   drop the datagram with probability P percent
 *   -u P   send it twice with probability P percent
 *   -r P   with probability P percent hold it back and release it right
 *          after the next datagram of the same direction, or after
 *          DELAY_MS (-D, default 50) if none comes
 *   -b [SKIP:]N
 *          blackout: drop N datagrams (counted over both directions
 *          together) after the first SKIP (default 0), as if the link
 *          went down for a while; afterwards the path "recovers"
 *   -R N   after N datagrams from a client, switch that client to a new
 *          upstream socket (new source port), as a NAT rebinding would;
 *          the old socket is closed and replies sent to it are lost
 *
 * Bounded: exits after -T SECONDS (default 60; 0 means no limit), after
 * CAP_DATAGRAMS datagrams received in total (-c, default 0 = no limit),
 * when stdin reaches EOF if -i is given, or on SIGTERM/SIGINT/SIGHUP.
 * At start it prints "udp-proxy: listening on 127.0.0.1:PORT -> ..." and
 * at exit one summary line, both to stderr:
 *   udp-proxy: summary (WHY) c2s received=.. forwarded=.. dropped=..
 *   duplicated=.. reordered=.. s2c received=.. ... clients=.. rebinds=..
 * (forwarded counts datagrams sent, copies included).  -v logs every
 * datagram and decision to stderr ("c2s #N len=L dropped", ...).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 16
#define MAX_DGRAM 65536

enum { C2S = 0, S2C = 1 };
static const char *const dir_name[2] = {"c2s", "s2c"};

struct held {
  int present;
  size_t len;
  uint64_t deadline_ms;
  unsigned char data[MAX_DGRAM];
};

struct client {
  int used;
  struct sockaddr_in addr;      /* the client's address */
  int up_fd;                    /* upstream socket towards the target */
  unsigned long from_client;    /* datagrams received from the client */
  int rebound;                  /* -R done for this client */
  uint64_t last_active_ms;
  uint64_t rng[2];              /* one stream per direction */
  struct held held[2];          /* one held-back datagram per direction */
};

struct stats {
  unsigned long received, forwarded, dropped, duplicated, reordered;
};

/* Settings. */
static int listen_port = -1, target_port = -1;
static uint64_t seed = 1;
static unsigned drop_pct = 0, dup_pct = 0, reorder_pct = 0;
static unsigned delay_ms = 50;
static unsigned long blackout_skip = 0, blackout = 0;
static unsigned long cap = 0;
static unsigned long time_limit = 60;
static unsigned long rebind_after = 0;
static int stdin_mode = 0;
static int verbose = 0;

static struct client clients[MAX_CLIENTS];
static struct stats stats[2];
static unsigned long total_received = 0, client_count = 0, rebinds = 0;
static unsigned long stray = 0;
static struct sockaddr_in target;
static int listen_fd = -1;
static volatile sig_atomic_t stop_signal = 0;

static void
on_signal(int sig) {
  stop_signal = sig;
}

static uint64_t
now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* splitmix64: spreads a seed over the whole state. */
static uint64_t
splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* xorshift64* */
static uint64_t
next_random(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545F4914F6CDD1Dull;
}

/* True with probability pct percent. */
static int
chance(uint64_t *s, unsigned pct) {
  /* Always draws, so every datagram consumes the same amount of the
   * stream whatever the settings and earlier outcomes. */
  uint64_t r = next_random(s) % 10000u;
  return r < (uint64_t)pct * 100u;
}

static void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
vlog(const char *fmt, ...) {
  va_list ap;
  if (!verbose)
    return;
  va_start(ap, fmt);
  fputs("udp-proxy: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static int
open_upstream(void) {
  struct sockaddr_in sin;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);

  if (fd < 0) {
    perror("udp-proxy: socket");
    return -1;
  }
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
    perror("udp-proxy: bind upstream");
    close(fd);
    return -1;
  }
  return fd;
}

static unsigned
local_port(int fd) {
  struct sockaddr_in sin;
  socklen_t len = sizeof(sin);
  if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
    return 0;
  return ntohs(sin.sin_port);
}

static void
forget_client(struct client *c) {
  if (c->up_fd >= 0)
    close(c->up_fd);
  c->up_fd = -1;
  c->used = 0;
}

static struct client *
find_client(const struct sockaddr_in *from, uint64_t now) {
  struct client *c, *free_slot = NULL, *oldest = NULL;
  uint64_t s;
  int i;

  for (i = 0; i < MAX_CLIENTS; i++) {
    c = &clients[i];
    if (!c->used) {
      if (!free_slot)
        free_slot = c;
      continue;
    }
    if (c->addr.sin_addr.s_addr == from->sin_addr.s_addr &&
        c->addr.sin_port == from->sin_port)
      return c;
    if (!oldest || c->last_active_ms < oldest->last_active_ms)
      oldest = c;
  }
  c = free_slot;
  if (!c) {
    vlog("client table full, forgetting 127.0.0.1:%u",
         ntohs(oldest->addr.sin_port));
    forget_client(oldest);
    c = oldest;
  }
  memset(c, 0, sizeof(*c));
  c->up_fd = open_upstream();
  if (c->up_fd < 0)
    return NULL;
  c->used = 1;
  c->addr = *from;
  c->last_active_ms = now;
  /* Streams depend on the seed, the client's arrival order and the
   * direction only. */
  s = seed ^ (0x100000001B3ull * (client_count + 1));
  c->rng[C2S] = splitmix64(&s) | 1;
  c->rng[S2C] = splitmix64(&s) | 1;
  client_count++;
  vlog("new client 127.0.0.1:%u, upstream port %u", ntohs(from->sin_port),
       local_port(c->up_fd));
  return c;
}

/* Sends one datagram in direction dir for client c. */
static void
send_dir(struct client *c, int dir, const unsigned char *buf, size_t len) {
  ssize_t n;

  if (dir == C2S)
    n = sendto(c->up_fd, buf, len, MSG_DONTWAIT,
               (const struct sockaddr *)&target, sizeof(target));
  else
    n = sendto(listen_fd, buf, len, MSG_DONTWAIT,
               (const struct sockaddr *)&c->addr, sizeof(c->addr));
  if (n < 0)
    vlog("%s sendto: %s", dir_name[dir], strerror(errno));
  else
    stats[dir].forwarded++;
}

static void
release_held(struct client *c, int dir, const char *why) {
  struct held *h = &c->held[dir];

  if (!h->present)
    return;
  h->present = 0;
  vlog("%s release held len=%zu (%s)", dir_name[dir], h->len, why);
  send_dir(c, dir, h->data, h->len);
}

/* Applies the impairments to one datagram travelling in direction dir. */
static void
relay(struct client *c, int dir, const unsigned char *buf, size_t len,
      uint64_t now) {
  uint64_t *rng = &c->rng[dir];
  unsigned long n = ++stats[dir].received;
  int drop = chance(rng, drop_pct);
  int dup = chance(rng, dup_pct);
  int hold = chance(rng, reorder_pct);
  int blacked_out = total_received > blackout_skip &&
                    total_received - blackout_skip <= blackout;

  c->last_active_ms = now;
  if (blacked_out || drop) {
    stats[dir].dropped++;
    vlog("%s #%lu len=%zu dropped%s", dir_name[dir], n, len,
         blacked_out ? " (blackout)" : "");
    return;
  }
  if (hold && !c->held[dir].present) {
    struct held *h = &c->held[dir];
    memcpy(h->data, buf, len);
    h->len = len;
    h->deadline_ms = now + delay_ms;
    h->present = 1;
    stats[dir].reordered++;
    vlog("%s #%lu len=%zu held back", dir_name[dir], n, len);
    /* A held datagram that is also duplicated goes out once more now,
     * so the copies arrive on both sides of the next datagram. */
    if (dup) {
      stats[dir].duplicated++;
      send_dir(c, dir, buf, len);
    }
    return;
  }
  vlog("%s #%lu len=%zu forwarded%s", dir_name[dir], n, len,
       dup ? " twice" : "");
  send_dir(c, dir, buf, len);
  if (dup) {
    stats[dir].duplicated++;
    send_dir(c, dir, buf, len);
  }
  release_held(c, dir, "after the next one");
}

static unsigned char buf[MAX_DGRAM];

static void
from_client(uint64_t now) {
  struct sockaddr_in from;
  socklen_t fromlen = sizeof(from);
  struct client *c;
  ssize_t n = recvfrom(listen_fd, buf, sizeof(buf), MSG_DONTWAIT,
                       (struct sockaddr *)&from, &fromlen);

  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      vlog("recvfrom client: %s", strerror(errno));
    return;
  }
  if (from.sin_family != AF_INET)
    return;
  total_received++;
  c = find_client(&from, now);
  if (!c)
    return;
  c->from_client++;
  if (rebind_after && !c->rebound && c->from_client > rebind_after) {
    int fd = open_upstream();
    if (fd >= 0) {
      vlog("rebinding client 127.0.0.1:%u: upstream port %u -> %u",
           ntohs(c->addr.sin_port), local_port(c->up_fd), local_port(fd));
      close(c->up_fd);
      c->up_fd = fd;
      c->rebound = 1;
      rebinds++;
    }
  }
  relay(c, C2S, buf, (size_t)n, now);
}

static void
from_target(struct client *c, uint64_t now) {
  struct sockaddr_in from;
  socklen_t fromlen = sizeof(from);
  ssize_t n = recvfrom(c->up_fd, buf, sizeof(buf), MSG_DONTWAIT,
                       (struct sockaddr *)&from, &fromlen);

  if (n < 0) {
    /* ECONNREFUSED and friends: ICMP errors while nobody listens. */
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      vlog("recvfrom target: %s", strerror(errno));
    return;
  }
  if (from.sin_family != AF_INET ||
      from.sin_addr.s_addr != target.sin_addr.s_addr ||
      from.sin_port != target.sin_port) {
    stray++;
    vlog("ignoring %zd bytes from a stranger", n);
    return;
  }
  total_received++;
  relay(c, S2C, buf, (size_t)n, now);
}

static void
summary(const char *why) {
  int d;
  fprintf(stderr, "udp-proxy: summary (%s)", why);
  for (d = 0; d < 2; d++)
    fprintf(stderr, " %s received=%lu forwarded=%lu dropped=%lu"
            " duplicated=%lu reordered=%lu",
            dir_name[d], stats[d].received, stats[d].forwarded,
            stats[d].dropped, stats[d].duplicated, stats[d].reordered);
  fprintf(stderr, " clients=%lu rebinds=%lu stray=%lu\n", client_count,
          rebinds, stray);
  fflush(stderr);
}

static void
usage(void) {
  fprintf(stderr,
          "usage: udp-proxy -l LISTEN_PORT -t TARGET_PORT [-s SEED] [-d DROP%%]\n"
          "                 [-u DUP%%] [-r REORDER%%] [-D DELAY_MS] [-b [SKIP:]N]\n"
          "                 [-c CAP_DATAGRAMS] [-T SECONDS] [-R REBIND_AFTER_N]\n"
          "                 [-i] [-v]\n");
}

/* Parses a non-negative integer no larger than max; exits on error. */
static unsigned long
number(const char *s, unsigned long max, char opt) {
  char *end;
  unsigned long v;

  errno = 0;
  v = strtoul(s, &end, 10);
  if (errno || end == s || *end != '\0' || *s == '-' || v > max) {
    fprintf(stderr, "udp-proxy: bad value '%s' for -%c\n", s, opt);
    usage();
    exit(2);
  }
  return v;
}

int
main(int argc, char **argv) {
  struct sockaddr_in sin;
  struct sigaction sa;
  sigset_t block, orig;
  uint64_t start, deadline = 0;
  const char *why = "time limit";
  int opt, i;

  while ((opt = getopt(argc, argv, "l:t:s:d:u:r:D:b:c:T:R:iv")) != -1) {
    switch (opt) {
    case 'l': listen_port = (int)number(optarg, 65535, 'l'); break;
    case 't': target_port = (int)number(optarg, 65535, 't'); break;
    case 's': seed = number(optarg, (unsigned long)-1, 's'); break;
    case 'd': drop_pct = (unsigned)number(optarg, 100, 'd'); break;
    case 'u': dup_pct = (unsigned)number(optarg, 100, 'u'); break;
    case 'r': reorder_pct = (unsigned)number(optarg, 100, 'r'); break;
    case 'D': delay_ms = (unsigned)number(optarg, 600000, 'D'); break;
    case 'b': {
      char *colon = strchr(optarg, ':');
      if (colon) {
        *colon = '\0';
        blackout_skip = number(optarg, (unsigned long)-1, 'b');
        optarg = colon + 1;
      }
      blackout = number(optarg, (unsigned long)-1, 'b');
      break;
    }
    case 'c': cap = number(optarg, (unsigned long)-1, 'c'); break;
    case 'T': time_limit = number(optarg, 86400 * 365, 'T'); break;
    case 'R': rebind_after = number(optarg, (unsigned long)-1, 'R'); break;
    case 'i': stdin_mode = 1; break;
    case 'v': verbose = 1; break;
    default: usage(); return 2;
    }
  }
  if (listen_port < 0 || target_port <= 0 || optind != argc) {
    usage();
    return 2;
  }

  memset(&target, 0, sizeof(target));
  target.sin_family = AF_INET;
  target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  target.sin_port = htons((uint16_t)target_port);

  listen_fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (listen_fd < 0) {
    perror("udp-proxy: socket");
    return 1;
  }
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sin.sin_port = htons((uint16_t)listen_port);
  if (bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
    fprintf(stderr, "udp-proxy: bind 127.0.0.1:%d: %s\n", listen_port,
            strerror(errno));
    return 1;
  }
  for (i = 0; i < MAX_CLIENTS; i++)
    clients[i].up_fd = -1;

  /* Signals are only delivered inside pselect(), so a signal arriving
   * between the check of stop_signal and the wait cannot be missed. */
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &orig);
  memset(&sa, 0, sizeof(sa));
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);

  start = now_ms();
  if (time_limit)
    deadline = start + (uint64_t)time_limit * 1000u;

  fprintf(stderr, "udp-proxy: listening on 127.0.0.1:%u -> 127.0.0.1:%d"
          " seed=%llu drop=%u%% dup=%u%% reorder=%u%% delay=%ums"
          " blackout=%lu:%lu rebind_after=%lu\n",
          local_port(listen_fd), target_port, (unsigned long long)seed,
          drop_pct, dup_pct, reorder_pct, delay_ms, blackout_skip, blackout,
          rebind_after);
  fflush(stderr);

  for (;;) {
    fd_set rfds;
    struct timespec ts;
    uint64_t now = now_ms(), wait_ms = 1000;
    int maxfd = listen_fd, ready;

    if (stop_signal) {
      why = stop_signal == SIGTERM ? "SIGTERM"
            : stop_signal == SIGINT ? "SIGINT" : "SIGHUP";
      break;
    }
    if (deadline && now >= deadline)
      break;
    if (cap && total_received >= cap) {
      why = "datagram cap";
      break;
    }

    /* Held datagrams whose time is up. */
    for (i = 0; i < MAX_CLIENTS; i++) {
      int d;
      if (!clients[i].used)
        continue;
      for (d = 0; d < 2; d++) {
        struct held *h = &clients[i].held[d];
        if (!h->present)
          continue;
        if (h->deadline_ms <= now)
          release_held(&clients[i], d, "delay expired");
        else if (h->deadline_ms - now < wait_ms)
          wait_ms = h->deadline_ms - now;
      }
    }
    if (deadline && deadline - now < wait_ms)
      wait_ms = deadline - now;

    FD_ZERO(&rfds);
    FD_SET(listen_fd, &rfds);
    if (stdin_mode)
      FD_SET(STDIN_FILENO, &rfds);
    for (i = 0; i < MAX_CLIENTS; i++) {
      if (!clients[i].used)
        continue;
      FD_SET(clients[i].up_fd, &rfds);
      if (clients[i].up_fd > maxfd)
        maxfd = clients[i].up_fd;
    }
    ts.tv_sec = (time_t)(wait_ms / 1000);
    ts.tv_nsec = (long)(wait_ms % 1000) * 1000000L;
    ready = pselect(maxfd + 1, &rfds, NULL, NULL, &ts, &orig);
    if (ready < 0) {
      if (errno == EINTR)
        continue;
      perror("udp-proxy: pselect");
      why = "error";
      break;
    }
    if (ready == 0)
      continue;
    now = now_ms();
    if (stdin_mode && FD_ISSET(STDIN_FILENO, &rfds)) {
      char tmp[256];
      ssize_t n = read(STDIN_FILENO, tmp, sizeof(tmp));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        why = "stdin closed";
        break;
      }
    }
    if (FD_ISSET(listen_fd, &rfds))
      from_client(now);
    for (i = 0; i < MAX_CLIENTS; i++) {
      /* A client may have been forgotten (table full) or rebound by
       * from_client() above; its fd is then no longer in the set or no
       * longer the one that was set, and the read just finds nothing. */
      if (clients[i].used && FD_ISSET(clients[i].up_fd, &rfds))
        from_target(&clients[i], now);
    }
  }

  summary(why);
  for (i = 0; i < MAX_CLIENTS; i++)
    if (clients[i].used)
      forget_client(&clients[i]);
  close(listen_fd);
  return 0;
}
