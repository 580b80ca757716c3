/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * contiki-style.c -- libtinydtls used the way Contiki/RIOT applications use
 * it: one thread, no blocking calls besides one select(), every timeout
 * taken from dtls_check_retransmit()'s `next`.
 *
 *   contiki-style server PORT EXPECTED
 *     ONE context on ONE UDP socket (127.0.0.1:PORT) serving PSK and
 *     ECDHE-ECDSA clients at the same time; echoes every record. Prints one
 *     line per event of interest and, once EXPECTED clients have closed
 *     their connection (or on SIGTERM), a summary:
 *       server: handshakes=H psk=P ecdhe=E closed=C max_active=M fatal=F records=R
 *     and exits 0 if H == C == EXPECTED and F == 0.
 *
 *   contiki-style clients PORT COUNT MESSAGES [SECONDS [DROP]]
 *     COUNT clients, each its own context and socket, driven by one select
 *     loop. Client i uses suite i % 4 (PSK CCM_8, PSK CCM, ECDHE-ECDSA
 *     CCM_8, ECDHE-ECDSA CCM) and, for PSK, its own identity and key. Each
 *     sends MESSAGES records of varying size and content one after the other,
 *     checking that each echo is byte-for-byte what it sent. A client closes
 *     its connection only when every client has finished, so the server has
 *     all COUNT associations established at once. Exits 0 if every client
 *     finished within SECONDS (default 60). With DROP, each client loses
 *     every DROP-th datagram it sends or receives until it is connected, so
 *     that handshakes complete only through timer-driven retransmission on
 *     both sides.
 */
#define _DEFAULT_SOURCE 1

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"
#include "test_support.h" /* the example keys, ts_key_is, ts_until */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define MAX_MSG 1000
#define IDLE_WAIT_MS 1000

static volatile sig_atomic_t quit;
static void on_signal(int sig) { (void)sig; quit = 1; }

/* PSK of an identity "client-N": "key-N-" repeated to 16 bytes. */
static int psk_for(const unsigned char *id, size_t id_len, unsigned char *key,
                   size_t key_len) {
  char buf[64], pat[32];
  int n, i, plen;
  if (id_len < 8 || id_len > 20 || memcmp(id, "client-", 7) != 0)
    return -1;
  memcpy(buf, id, id_len);
  buf[id_len] = '\0';
  n = atoi(buf + 7);
  plen = snprintf(pat, sizeof(pat), "key-%d-", n);
  if (key_len < 16)
    return -1;
  for (i = 0; i < 16; i++)
    key[i] = (unsigned char)pat[i % plen];
  return 16;
}

static int udp_socket(uint16_t port) {
  struct sockaddr_in sin;
  int rcvbuf = 1 << 20;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) {
    perror("socket");
    return -1;
  }
  /* Room for a burst from many peers (UDP drops what does not fit, and
   * DTLS does not resend application records). Beyond rmem_max only with
   * privileges; best effort. */
#ifdef SO_RCVBUFFORCE
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
#endif
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sin.sin_port = htons(port);
  if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
    perror("bind");
    close(fd);
    return -1;
  }
  return fd;
}

/* Reads one datagram from fd and hands it to ctx. */
static void receive(dtls_context_t *ctx, int fd) {
  static uint8 buf[DTLS_MAX_BUF + 100];
  session_t session;
  ssize_t len;
  memset(&session, 0, sizeof(session));
  session.size = sizeof(session.addr);
  len = recvfrom(fd, buf, sizeof(buf), 0, &session.addr.sa, &session.size);
  if (len < 0) {
    if (errno != EINTR && errno != EAGAIN)
      perror("recvfrom");
    return;
  }
  dtls_handle_message(ctx, &session, buf, (int)len);
}

/* ------------------------------------------------------------ server */

/* What the server knows about each client address. */
struct srv_peer {
  uint16_t port;
  char kind;  /* 'p' PSK, 'e' ECDHE-ECDSA, 0 unknown */
  int active; /* connected and not yet closed */
};
static struct srv_peer srv_peers[MAX_CLIENTS * 2];
static int srv_fd;
static int handshakes, hs_psk, hs_ecdhe, closed, active, max_active, fatal;
static long records;

static struct srv_peer *srv_peer_of(const session_t *s) {
  uint16_t port = ntohs(s->addr.sin.sin_port);
  size_t i;
  for (i = 0; i < sizeof(srv_peers) / sizeof(srv_peers[0]); i++) {
    if (srv_peers[i].port == port)
      return &srv_peers[i];
    if (srv_peers[i].port == 0) {
      srv_peers[i].port = port;
      return &srv_peers[i];
    }
  }
  return NULL;
}

static int srv_write(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  (void)ctx;
  return (int)sendto(srv_fd, buf, len, MSG_DONTWAIT, &s->addr.sa, s->size);
}

static int srv_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  records++;
  return dtls_write(ctx, s, buf, len); /* echo, from inside the callback */
}

static int srv_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t level,
                     unsigned short code) {
  struct srv_peer *p = srv_peer_of(s);
  (void)ctx;
  if (level == 0 && code == DTLS_EVENT_CONNECTED) {
    handshakes++;
    if (p && p->kind == 'p')
      hs_psk++;
    else if (p && p->kind == 'e')
      hs_ecdhe++;
    if (p && !p->active) {
      p->active = 1;
      if (++active > max_active)
        max_active = active;
    }
    printf("server: connected port=%u kind=%s\n", ntohs(s->addr.sin.sin_port),
           p && p->kind == 'p' ? "psk" : p && p->kind == 'e' ? "ecdhe" : "?");
  } else if (level != 0 || code == DTLS_ALERT_CLOSE_NOTIFY) {
    if (code == DTLS_ALERT_CLOSE_NOTIFY)
      closed++;
    else if (level == DTLS_ALERT_LEVEL_FATAL)
      fatal++;
    if (p && p->active) {
      p->active = 0;
      active--;
    }
    printf("server: alert level=%d code=%u port=%u\n", (int)level, code,
           ntohs(s->addr.sin.sin_port));
  }
  fflush(stdout);
  return 0;
}

static int srv_psk(dtls_context_t *ctx, const session_t *s,
                   dtls_credentials_type_t type, const unsigned char *desc,
                   size_t desc_len, unsigned char *result, size_t result_len) {
  struct srv_peer *p;
  int n;
  (void)ctx;
  if (type != DTLS_PSK_KEY)
    return 0; /* no hint */
  n = psk_for(desc, desc_len, result, result_len);
  if (n < 0)
    return dtls_alert_fatal_create(DTLS_ALERT_DECRYPT_ERROR);
  if ((p = srv_peer_of(s)) != NULL)
    p->kind = 'p';
  return n;
}

static int srv_get_key(dtls_context_t *ctx, const session_t *s,
                       const dtls_ecdsa_key_t **result) {
  (void)ctx;
  (void)s;
  *result = &example_server_key;
  return 0;
}

static int srv_verify_key(dtls_context_t *ctx, const session_t *s,
                          const unsigned char *x, const unsigned char *y,
                          size_t size) {
  struct srv_peer *p;
  (void)ctx;
  if (!ts_key_is(x, y, size, &example_client_key))
    return dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE);
  if ((p = srv_peer_of(s)) != NULL)
    p->kind = 'e';
  return 0;
}

static dtls_handler_t srv_handler = {
    .write = srv_write,
    .read = srv_read,
    .event = srv_event,
    .get_psk_info = srv_psk,
    .get_ecdsa_key = srv_get_key,
    .verify_ecdsa_key = srv_verify_key,
};

static int run_server(uint16_t port, int expected) {
  dtls_context_t *ctx;
  int ok;
  if ((srv_fd = udp_socket(port)) < 0)
    return 2;
  if (!(ctx = dtls_new_context(NULL)))
    return 2;
  dtls_set_handler(ctx, &srv_handler);
  printf("server: listening on 127.0.0.1:%u\n", port);
  fflush(stdout);

  while (!quit && !(expected > 0 && closed + fatal >= expected)) {
    clock_time_t next = 0;
    struct timeval tv;
    fd_set rfds;
    /* The one timer of a Contiki process: the library's next deadline. */
    dtls_check_retransmit(ctx, &next);
    tv = ts_until(next, IDLE_WAIT_MS);
    FD_ZERO(&rfds);
    FD_SET(srv_fd, &rfds);
    if (select(srv_fd + 1, &rfds, NULL, NULL, &tv) > 0)
      receive(ctx, srv_fd);
  }
  dtls_free_context(ctx);
  close(srv_fd);
  ok = handshakes == expected && closed == expected && fatal == 0;
  printf("server: handshakes=%d psk=%d ecdhe=%d closed=%d max_active=%d "
         "fatal=%d records=%ld\n",
         handshakes, hs_psk, hs_ecdhe, closed, max_active, fatal, records);
  return ok ? 0 : 1;
}

/* ------------------------------------------------------------ clients */

static const dtls_cipher_t suites[4] = {
    TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_CCM,
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, TLS_ECDHE_ECDSA_WITH_AES_128_CCM};
static const char *suite_names[4] = {"PSK-CCM8", "PSK-CCM", "ECDHE-ECDSA-CCM8",
                                     "ECDHE-ECDSA-CCM"};

struct client {
  int id, fd;
  dtls_context_t *ctx;
  session_t server;
  int connected, sent, echoed, closed, failed;
  unsigned datagrams;  /* sent and received before connected */
  unsigned char msg[MAX_MSG];
  size_t msg_len;
};
static struct client clients[MAX_CLIENTS];
static int nclients, nmessages, finished;
static int drop_every; /* simulated loss during handshakes, 0: none */
static int dropped;

/* Whether to lose this handshake datagram of client c (sent or received). */
static int lose(struct client *c) {
  if (!drop_every || c->connected)
    return 0;
  if ((c->datagrams++ + (unsigned)c->id) % (unsigned)drop_every != 0)
    return 0;
  dropped++;
  return 1;
}

/* Message k of client c: varying length, content from a simple LCG. */
static void make_message(struct client *c, int k) {
  uint32_t x = (uint32_t)(c->id * 7919 + k * 104729 + 1);
  size_t i;
  c->msg_len = 1 + ((size_t)c->id * 131 + (size_t)k * 37) % MAX_MSG;
  for (i = 0; i < c->msg_len; i++) {
    x = x * 1103515245u + 12345u;
    c->msg[i] = (unsigned char)(x >> 16);
  }
}

static struct client *client_of(dtls_context_t *ctx) {
  return (struct client *)dtls_get_app_data(ctx);
}

static void send_next(struct client *c) {
  make_message(c, c->sent);
  if (dtls_write(c->ctx, &c->server, c->msg, c->msg_len) != (int)c->msg_len) {
    printf("client %d: dtls_write of %zu bytes failed\n", c->id, c->msg_len);
    c->failed = 1;
    return;
  }
  c->sent++;
}

static int cli_write(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  struct client *c = client_of(ctx);
  if (lose(c))
    return (int)len;
  return (int)sendto(c->fd, buf, len, MSG_DONTWAIT, &s->addr.sa, s->size);
}

static int cli_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  struct client *c = client_of(ctx);
  (void)s;
  if (c->echoed >= c->sent || len != c->msg_len || memcmp(buf, c->msg, len) != 0) {
    printf("client %d: echo %d differs (%zu bytes, expected %zu)\n", c->id,
           c->echoed, len, c->msg_len);
    c->failed = 1;
    return 0;
  }
  c->echoed++;
  if (c->echoed < nmessages) {
    send_next(c);
  } else {
    finished++;
    printf("client %d: %d echoes verified (%s)\n", c->id, c->echoed,
           suite_names[c->id % 4]);
    fflush(stdout);
  }
  return 0;
}

static int cli_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t level,
                     unsigned short code) {
  struct client *c = client_of(ctx);
  (void)s;
  if (level == 0 && code == DTLS_EVENT_CONNECTED) {
    c->connected = 1;
    send_next(c);
  } else if (level != 0 && code == DTLS_ALERT_CLOSE_NOTIFY) {
    c->closed = 1;
  } else if (level == DTLS_ALERT_LEVEL_FATAL) {
    printf("client %d: fatal alert %u\n", c->id, code);
    c->failed = 1;
  }
  return 0;
}

static void cli_params(dtls_context_t *ctx, session_t *s,
                       dtls_user_parameters_t *p) {
  struct client *c = client_of(ctx);
  (void)s;
  p->cipher_suites[0] = suites[c->id % 4];
  p->cipher_suites[1] = TLS_NULL_WITH_NULL_NULL;
}

static int cli_psk(dtls_context_t *ctx, const session_t *s,
                   dtls_credentials_type_t type, const unsigned char *desc,
                   size_t desc_len, unsigned char *result, size_t result_len) {
  struct client *c = client_of(ctx);
  char id[32];
  int n = snprintf(id, sizeof(id), "client-%d", c->id);
  (void)s;
  (void)desc;
  (void)desc_len;
  if (type == DTLS_PSK_IDENTITY) {
    if (result_len < (size_t)n)
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, id, (size_t)n);
    return n;
  }
  if (type == DTLS_PSK_KEY) {
    n = psk_for((const unsigned char *)id, (size_t)n, result, result_len);
    return n < 0 ? dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR) : n;
  }
  return 0;
}

static int cli_get_key(dtls_context_t *ctx, const session_t *s,
                       const dtls_ecdsa_key_t **result) {
  (void)ctx;
  (void)s;
  *result = &example_client_key;
  return 0;
}

static int cli_verify_key(dtls_context_t *ctx, const session_t *s,
                          const unsigned char *x, const unsigned char *y,
                          size_t size) {
  (void)ctx;
  (void)s;
  if (!ts_key_is(x, y, size, &example_server_key))
    return dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE);
  return 0;
}

static dtls_handler_t psk_handler = {
    .write = cli_write,
    .read = cli_read,
    .event = cli_event,
    .get_user_parameters = cli_params,
    .get_psk_info = cli_psk,
};
static dtls_handler_t ecdsa_handler = {
    .write = cli_write,
    .read = cli_read,
    .event = cli_event,
    .get_user_parameters = cli_params,
    .get_ecdsa_key = cli_get_key,
    .verify_ecdsa_key = cli_verify_key,
};

/* Reads one datagram for client c, maybe losing it. */
static void client_receive(struct client *c) {
  static uint8 buf[DTLS_MAX_BUF + 100];
  session_t session;
  ssize_t len;
  memset(&session, 0, sizeof(session));
  session.size = sizeof(session.addr);
  len = recvfrom(c->fd, buf, sizeof(buf), 0, &session.addr.sa, &session.size);
  if (len < 0 || lose(c))
    return;
  dtls_handle_message(c->ctx, &session, buf, (int)len);
}

static int run_clients(uint16_t port, int count, int messages, int seconds) {
  dtls_tick_t start, now;
  int i, closing = 0, all_closed = 0, ok = 0, failed = 0;
  nclients = count;
  nmessages = messages;
  for (i = 0; i < count; i++) {
    struct client *c = &clients[i];
    c->id = i;
    if ((c->fd = udp_socket(0)) < 0)
      return 2;
    if (!(c->ctx = dtls_new_context(c)))
      return 2;
    dtls_set_handler(c->ctx, i % 4 < 2 ? &psk_handler : &ecdsa_handler);
    dtls_session_init(&c->server);
    c->server.addr.sin.sin_family = AF_INET;
    c->server.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->server.addr.sin.sin_port = htons(port);
    c->server.size = sizeof(c->server.addr.sin);
  }
  /* All handshakes start at once. */
  for (i = 0; i < count; i++)
    if (dtls_connect(clients[i].ctx, &clients[i].server) <= 0) {
      printf("client %d: dtls_connect failed\n", i);
      clients[i].failed = 1;
    }

  dtls_ticks(&start);
  while (!quit) {
    clock_time_t next = 0;
    struct timeval tv;
    fd_set rfds;
    int maxfd = -1;

    dtls_ticks(&now);
    if (now - start > (dtls_tick_t)seconds * DTLS_TICKS_PER_SECOND)
      break;
    failed = 0;
    for (i = 0; i < count; i++)
      failed += clients[i].failed;
    if (failed)
      break;
    /* Everybody done: now close, so the server had all at once. */
    if (!closing && finished == count) {
      closing = 1;
      for (i = 0; i < count; i++)
        dtls_close(clients[i].ctx, &clients[i].server);
    }
    if (closing) {
      all_closed = 1;
      for (i = 0; i < count; i++)
        if (!clients[i].closed)
          all_closed = 0;
      if (all_closed)
        break;
    }
    /* The earliest deadline of all contexts. */
    FD_ZERO(&rfds);
    for (i = 0; i < count; i++) {
      clock_time_t n = 0;
      dtls_check_retransmit(clients[i].ctx, &n);
      if (n && (!next || DTLS_IS_BEFORE_TIME(n, next)))
        next = n;
      FD_SET(clients[i].fd, &rfds);
      if (clients[i].fd > maxfd)
        maxfd = clients[i].fd;
    }
    tv = ts_until(next, IDLE_WAIT_MS);
    if (select(maxfd + 1, &rfds, NULL, NULL, &tv) > 0)
      for (i = 0; i < count; i++)
        if (FD_ISSET(clients[i].fd, &rfds))
          client_receive(&clients[i]);
  }

  for (i = 0; i < count; i++) {
    struct client *c = &clients[i];
    if (c->echoed == messages && !c->failed)
      ok++;
    else
      printf("client %d (%s): connected=%d sent=%d echoed=%d failed=%d\n", i,
             suite_names[i % 4], c->connected, c->sent, c->echoed, c->failed);
    dtls_free_context(c->ctx);
    close(c->fd);
  }
  dtls_ticks(&now);
  printf("clients: finished=%d/%d closed=%s dropped=%d (%u ms)\n", ok, count,
         all_closed ? "all" : "not all", dropped, (unsigned)(now - start));
  return ok == count && all_closed ? 0 : 1;
}

int main(int argc, char **argv) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  setvbuf(stdout, NULL, _IOLBF, 0);
  dtls_init();
  dtls_set_log_level(getenv("DTLS_LOG") ? (log_t)atoi(getenv("DTLS_LOG"))
                                        : DTLS_LOG_WARN);

  if (argc == 4 && strcmp(argv[1], "server") == 0)
    return run_server((uint16_t)atoi(argv[2]), atoi(argv[3]));
  if (argc >= 5 && argc <= 7 && strcmp(argv[1], "clients") == 0) {
    int count = atoi(argv[3]);
    if (count < 1 || count > MAX_CLIENTS)
      return 2;
    drop_every = argc == 7 ? atoi(argv[6]) : 0;
    return run_clients((uint16_t)atoi(argv[2]), count, atoi(argv[4]),
                       argc >= 6 ? atoi(argv[5]) : 60);
  }
  fprintf(stderr,
          "usage: %s server PORT EXPECTED\n"
          "       %s clients PORT COUNT MESSAGES [SECONDS [DROP]]\n",
          argv[0], argv[0]);
  return 2;
}
