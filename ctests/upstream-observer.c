/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * upstream-observer -- a pass-through UDP relay that logs the DTLS records
 * of every datagram, for the interop tests against upstream tinydtls
 * (ctests/test-upstream.sh).
 *
 *   upstream-observer [-a ADDR] [-p LISTEN_PORT] [-t TARGET_PORT] [-T SECONDS]
 *
 * Listens on ADDR:LISTEN_PORT (default port 20220, the only port
 * upstream's dtls-client can reach) and relays every datagram unchanged to
 * ADDR:TARGET_PORT (default LISTEN_PORT + 1), where the server under test
 * listens, and the answers back; one relay socket (bound to ADDR) per
 * client address, so a server sees each client as one peer.  Without -a
 * it picks a random loopback address 127.X.Y.Z (all of 127/8 is loopback
 * on Linux) on which LISTEN_PORT can be bound and TARGET_PORT is free
 * right now, so tests in parallel never share an address.  It prints
 *   upstream-observer: listening on ADDR:LISTEN_PORT -> ADDR:TARGET_PORT
 * to stderr, then one line per datagram to stdout (flushed):
 *   c2s #N t=SECONDS len=L records=R | REC REC ...
 * (c2s: client to server, s2c: server to client; N counts per direction;
 * t is the time since the start, in seconds with millisecond precision)
 * where each REC is CT:EPOCH for a record of content type CT, followed for
 * a handshake record in epoch 0 by ":T" per handshake message it holds
 * (":2:11" would be two messages in one record), and by details:
 *   ClientHello  ch-cookie=COOKIE_LENGTH ch-ext=E,E,...
 *   ServerHello  sh-suite=XXXX sh-ext=E,E,...
 * (extension numbers in decimal, in wire order).  A record of content
 * type 25 (tls12_cid) has a header of unknown length; it is shown as
 * "25:EPOCH cid-record" and the rest of its datagram as "unparsed"; a
 * DTLS 1.3 record with the unified header (RFC 9147 §4) likewise, as
 * "u13:E" with E the epoch's two low bits.
 * A record whose length runs past the datagram is shown as "truncated".
 *
 * Ends after -T SECONDS (default 120) or on SIGTERM/SIGINT.
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

#define MAX_CLIENTS 8
#define MAX_DGRAM 65536
#define RECORD_HEADER 13
#define HANDSHAKE_HEADER 12

enum { C2S = 0, S2C = 1 };

struct client {
  int used;
  struct sockaddr_in addr;   /* the client's address */
  int fd;                    /* relay socket towards the server */
};

static volatile sig_atomic_t stop = 0;
static unsigned long counter[2];
static uint64_t start_ms;

static void
on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static unsigned
get16(const unsigned char *p) {
  return ((unsigned)p[0] << 8) | p[1];
}

static unsigned long
get24(const unsigned char *p) {
  return ((unsigned long)p[0] << 16) | ((unsigned long)p[1] << 8) | p[2];
}

/* Appends to the line buffer, never past its end. */
struct line {
  char buf[8192];
  size_t len;
};

static void
add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct line *l, const char *fmt, ...) {
  va_list ap;
  int n;

  if (l->len >= sizeof(l->buf) - 1)
    return;
  va_start(ap, fmt);
  n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
  va_end(ap);
  if (n > 0)
    l->len += (size_t)n < sizeof(l->buf) - l->len ? (size_t)n
                                                   : sizeof(l->buf) - l->len - 1;
}

/* Extension numbers of an extensions block (2-byte length first). */
static void
extensions(struct line *l, const char *tag, const unsigned char *p, size_t n) {
  size_t total, off;
  const char *sep = "";

  if (n < 2) {
    add(l, " %s=none", tag);
    return;
  }
  total = get16(p);
  p += 2;
  n -= 2;
  if (total > n) {
    add(l, " %s=malformed", tag);
    return;
  }
  add(l, " %s=", tag);
  for (off = 0; off + 4 <= total;) {
    unsigned type = get16(p + off), len = get16(p + off + 2);
    add(l, "%s%u", sep, type);
    sep = ",";
    off += 4 + len;
  }
}

static void
client_hello(struct line *l, const unsigned char *p, size_t n) {
  size_t off = 2 + 32, len, cookie;

  if (n < off + 1) goto bad;
  off += 1 + p[off];                      /* session_id */
  if (n < off + 1) goto bad;
  cookie = p[off];
  off += 1 + cookie;                      /* cookie */
  if (n < off + 2) goto bad;
  len = get16(p + off);
  off += 2 + len;                         /* cipher_suites */
  if (n < off + 1) goto bad;
  off += 1 + p[off];                      /* compression_methods */
  if (n < off) goto bad;
  add(l, " ch-cookie=%zu", cookie);
  extensions(l, "ch-ext", p + off, n - off);
  return;
bad:
  add(l, " ch-malformed");
}

static void
server_hello(struct line *l, const unsigned char *p, size_t n) {
  size_t off = 2 + 32;

  if (n < off + 1) goto bad;
  off += 1 + p[off];                      /* session_id */
  if (n < off + 3) goto bad;
  add(l, " sh-suite=%04X", get16(p + off));
  off += 3;                               /* cipher_suite, compression */
  extensions(l, "sh-ext", p + off, n - off);
  return;
bad:
  add(l, " sh-malformed");
}

/* The handshake messages of a plaintext handshake record. */
static void
handshake(struct line *l, const unsigned char *p, size_t n) {
  struct line details = { .len = 0 };

  while (n >= HANDSHAKE_HEADER) {
    unsigned type = p[0];
    unsigned long frag_len = get24(p + 9);

    add(l, ":%u", type);
    if (frag_len > n - HANDSHAKE_HEADER) {
      add(l, "(truncated)");
      break;
    }
    if (get24(p + 6) != 0 || frag_len != get24(p + 1))
      add(l, "(fragment)");
    else if (type == 1)
      client_hello(&details, p + HANDSHAKE_HEADER, frag_len);
    else if (type == 2)
      server_hello(&details, p + HANDSHAKE_HEADER, frag_len);
    p += HANDSHAKE_HEADER + frag_len;
    n -= HANDSHAKE_HEADER + frag_len;
  }
  if (n)
    add(l, "(+%zu bytes)", n);
  add(l, "%s", details.buf);
}

static uint64_t now_ms(void);

static void
log_datagram(int dir, const unsigned char *p, size_t n) {
  struct line l = { .len = 0 };
  struct line recs = { .len = 0 };
  size_t total = n;
  int records = 0;

  counter[dir]++;
  while (n > 0) {
    unsigned type, epoch;
    size_t len;

    if (n < RECORD_HEADER) {
      add(&recs, " truncated(%zu)", n);
      break;
    }
    type = p[0];
    epoch = get16(p + 3);
    records++;
    if (type == 25) {
      add(&recs, " 25:%u cid-record unparsed(%zu)", epoch, n);
      break;
    }
    if ((type & 0xe0) == 0x20) { /* DTLS 1.3 unified header: 001CSLEE */
      add(&recs, " u13:%u unparsed(%zu)", type & 3, n);
      break;
    }
    len = get16(p + 11);
    if (len > n - RECORD_HEADER) {
      add(&recs, " %u:%u truncated", type, epoch);
      break;
    }
    add(&recs, " %u:%u", type, epoch);
    if (type == 22 && epoch == 0)
      handshake(&recs, p + RECORD_HEADER, len);
    p += RECORD_HEADER + len;
    n -= RECORD_HEADER + len;
  }
  uint64_t t = now_ms() - start_ms;
  add(&l, "%s #%lu t=%lu.%03lu len=%zu records=%d |%s", dir == C2S ? "c2s" : "s2c",
      counter[dir], (unsigned long)(t / 1000), (unsigned long)(t % 1000), total,
      records, recs.buf);
  printf("%s\n", l.buf);
  fflush(stdout);
}

static int
udp_socket(struct in_addr addr, unsigned port) {
  struct sockaddr_in sin;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);

  if (fd < 0)
    return -1;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr = addr;
  sin.sin_port = htons((uint16_t)port);
  if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static uint64_t
now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
usage(void) {
  fprintf(stderr, "usage: upstream-observer [-a ADDR] [-p LISTEN_PORT] "
                  "[-t TARGET_PORT] [-T SECONDS]\n");
}

int
main(int argc, char **argv) {
  static unsigned char buf[MAX_DGRAM];
  static struct client clients[MAX_CLIENTS];
  struct sockaddr_in target;
  struct in_addr addr = { 0 };
  const char *addr_arg = NULL;
  unsigned lport = 20220, tport = 0;
  long limit = 120;
  uint64_t deadline;
  char text[INET_ADDRSTRLEN];
  struct sigaction sa;
  int lfd = -1, opt, i;

  start_ms = now_ms();

  while ((opt = getopt(argc, argv, "a:p:t:T:")) != -1) {
    switch (opt) {
    case 'a': addr_arg = optarg; break;
    case 'p': lport = (unsigned)atoi(optarg); break;
    case 't': tport = (unsigned)atoi(optarg); break;
    case 'T': limit = atol(optarg); break;
    default: usage(); return 2;
    }
  }
  if (optind != argc || lport == 0 || lport > 65535 || tport > 65535) {
    usage();
    return 2;
  }
  if (tport == 0)
    tport = lport + 1;

  if (addr_arg) {
    if (inet_pton(AF_INET, addr_arg, &addr) != 1) {
      fprintf(stderr, "upstream-observer: bad address %s\n", addr_arg);
      return 2;
    }
    lfd = udp_socket(addr, lport);
  } else {
    srand((unsigned)(getpid() ^ (unsigned)now_ms() ^ ((unsigned)time(NULL) << 8)));
    for (i = 0; i < 200 && lfd < 0; i++) {
      int probe;
      /* 127.X.Y.Z without 127.0.*.* (other tests live on 127.0.0.1) and
       * without network and broadcast-looking last bytes. */
      uint32_t a = (127u << 24) | ((uint32_t)(1 + rand() % 254) << 16) |
                   ((uint32_t)(rand() % 256) << 8) | (uint32_t)(1 + rand() % 254);
      addr.s_addr = htonl(a);
      probe = udp_socket(addr, tport);
      if (probe < 0)
        continue;
      lfd = udp_socket(addr, lport);
      close(probe);
    }
  }
  inet_ntop(AF_INET, &addr, text, sizeof(text));
  if (lfd < 0) {
    fprintf(stderr, "upstream-observer: cannot bind %s:%u: %s\n",
            text, lport, strerror(errno));
    return 1;
  }

  memset(&target, 0, sizeof(target));
  target.sin_family = AF_INET;
  target.sin_addr = addr;
  target.sin_port = htons((uint16_t)tport);

  memset(&sa, 0, sizeof(sa));
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);

  fprintf(stderr, "upstream-observer: listening on %s:%u -> %s:%u\n",
          text, lport, text, tport);
  fflush(stderr);

  deadline = now_ms() + (uint64_t)limit * 1000;
  while (!stop && (limit <= 0 || now_ms() < deadline)) {
    struct timeval tv = { 0, 200000 };
    fd_set rfds;
    int maxfd = lfd, ready;

    FD_ZERO(&rfds);
    FD_SET(lfd, &rfds);
    for (i = 0; i < MAX_CLIENTS; i++) {
      if (clients[i].used) {
        FD_SET(clients[i].fd, &rfds);
        if (clients[i].fd > maxfd)
          maxfd = clients[i].fd;
      }
    }
    ready = select(maxfd + 1, &rfds, NULL, NULL, &tv);
    if (ready <= 0)
      continue;

    if (FD_ISSET(lfd, &rfds)) {
      struct sockaddr_in from;
      socklen_t fromlen = sizeof(from);
      ssize_t n = recvfrom(lfd, buf, sizeof(buf), 0,
                           (struct sockaddr *)&from, &fromlen);
      if (n >= 0) {
        struct client *c = NULL;
        for (i = 0; i < MAX_CLIENTS && !c; i++)
          if (clients[i].used && clients[i].addr.sin_port == from.sin_port &&
              clients[i].addr.sin_addr.s_addr == from.sin_addr.s_addr)
            c = &clients[i];
        for (i = 0; i < MAX_CLIENTS && !c; i++) {
          if (!clients[i].used) {
            int fd = udp_socket(addr, 0);
            if (fd < 0) {
              perror("upstream-observer: relay socket");
              break;
            }
            clients[i].used = 1;
            clients[i].addr = from;
            clients[i].fd = fd;
            c = &clients[i];
          }
        }
        if (c) {
          log_datagram(C2S, buf, (size_t)n);
          sendto(c->fd, buf, (size_t)n, 0, (struct sockaddr *)&target,
                 sizeof(target));
        } else {
          printf("c2s dropped: too many clients\n");
          fflush(stdout);
        }
      }
    }
    for (i = 0; i < MAX_CLIENTS; i++) {
      if (clients[i].used && FD_ISSET(clients[i].fd, &rfds)) {
        ssize_t n = recv(clients[i].fd, buf, sizeof(buf), 0);
        if (n >= 0) {
          log_datagram(S2C, buf, (size_t)n);
          sendto(lfd, buf, (size_t)n, 0, (struct sockaddr *)&clients[i].addr,
                 sizeof(clients[i].addr));
        }
      }
    }
  }
  fprintf(stderr, "upstream-observer: end (%s), c2s=%lu s2c=%lu datagrams\n",
          stop ? "signal" : "time limit", counter[C2S], counter[S2C]);
  return 0;
}
