/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_test.c -- the core C API of libtinydtls (dtls.h, session.h, peer.h,
 * dtls_debug.h, dtls_ext.h) driven like an application would: two or three
 * contexts joined by an in-memory datagram queue that the write callback
 * fills and the test drains into dtls_handle_message().
 *
 * Delivery is step by step under the test's control (no sockets, no
 * clock of our own is needed for it); only the retransmission checks use
 * real time, as the library's clock is dtls_ticks(), and they poll with
 * short sleeps against the deadline dtls_check_retransmit() returns.
 *
 * Sections: 1 handshakes (PSK, ECDHE-ECDSA with mutual RPK authentication;
 * cookie exchange, events, peers, junk datagrams), 2 re-entrant callbacks
 * (dtls_write, dtls_close, dtls_reset_peer, dtls_free_context, dtls_connect
 * from read, event and write callbacks), 3 dtls_write/dtls_writev and record
 * sizes (dtls_get_max_write, dtls_set_mtu), 4 alerts, 5 dtls_close and
 * dtls_free_context, 6 renegotiation, 7 dtls_check_retransmit, 8 sessions
 * and IPv6, 9 logging (run first, while the log level is the default),
 * 10 what the write callback returns, 11 peer->state written by the
 * application, 12 argument refusals: every API function that refuses (or
 * ignores) an argument logs exactly one DTLS_LOG_WARN line naming itself
 * and the argument, and returns what it always returned, 13 protocol
 * versions: dtls_set_versions(), dtls_get_version(), the environment
 * variables TINYDTLS_GO_MIN_VERSION/TINYDTLS_GO_MAX_VERSION, DTLS 1.3
 * handshakes with each suite, fallback to 1.2 and refusals.
 *
 * Everything allocated is freed (the test also runs under valgrind).
 *
 * Output: one line per check, "ok   <what>" or "FAIL <what>: <details>",
 * then "api_test: N passed, M failed"; the exit status is 1 if any check
 * failed. Set API_TEST_VERBOSE=1 to see the library's log lines.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"
#include "dtls_ext.h"
#include "dtls_time.h"
#include "alert.h"
#include "peer.h"
#include "session.h"
#include "netq.h"
#include "dtls_prng.h"
#include "crypto.h"
#include "hmac.h"
#include "ccm.h"
#include "sha2/sha2.h"
#include "aes/rijndael.h"
#include "ecc/ecc.h"

/* Three contexts at most, datagrams up to 2 KiB, 256 in flight. */
#define TS_MAX_NODES 3
#define TS_DGMAX 2048
#define TS_QLEN 256
#include "test_support.h"

/* ------------------------------------------------------------------ */
/* reporting and credentials: test_support.h                            */

#define check ts_check
#define fmt_detail ts_fmt
#define section ts_section

/* ------------------------------------------------------------------ */
/* the endpoints                                                        */

enum action {
  ACT_NONE,
  ACT_ECHO,
  ACT_CLOSE,
  ACT_RESET,
  ACT_FREE,
  ACT_WRITE,
  ACT_CONNECT
};

#define MAX_EV 64
#define RX_MAX 8192

typedef struct side {
  /* First, so that the context's app data, the side, is its node: the
   * context, the addresses (addr: how the others see this side; alt: a
   * second address of a dual-stack server), the role and the PSK
   * (ts_cb_psk; n.unknown_id_alert: a server's alert for an unknown
   * identity). */
  ts_node_t n;
  const char *name;

  /* configuration */
  dtls_cipher_t suite; /* only suite offered/accepted; NULL: library list */
  int verify_reject;            /* verify_ecdsa_key -> BAD_CERTIFICATE */
  int drop_writes;              /* write callback discards (returns len) */
  int write_override;           /* write callback discards, returns: */
  int write_result;
  enum action read_action;
  enum action event_action;
  unsigned short event_trigger; /* event code that fires event_action */
  int event_trigger_level;      /* ... at this level (0: library event) */
  int free_on_write;            /* write callback calls dtls_free_context */
  int peer_in_alert_event;      /* dtls_get_peer non-NULL in an alert event */

  /* what the callbacks saw */
  int ev_level[MAX_EV];
  unsigned short ev_code[MAX_EV];
  int n_ev;
  unsigned char rx[RX_MAX];
  size_t rx_len;
  int n_reads;
  size_t last_read_len;
  session_t last_read_session;
  int read_session_mismatch;
  int n_writes;
  size_t max_dg;
  int hs_sent[32];          /* epoch-0 handshake message types written */
  unsigned server_hello_suite;
  unsigned server_hello_version; /* its supported_versions, 0 if none */
  int n_verify;
  unsigned char seen_x[32], seen_y[32];
  size_t seen_key_size;
  int n_user_params;
  int action_done;
  int action_ret;
  int freed_in_cb;
  int n_neg;    /* dtls_handle_message results < 0 */
  int last_neg; /* the last such result */
} side_t;

static side_t sides[TS_MAX_NODES];
static int n_sides;

static int verbose;

/* ------------------------------------------------------------------ */
/* the in-memory network (test_support.h)                               */

static ts_net_t net;

static side_t *side_of(dtls_context_t *ctx) {
  return (side_t *)dtls_get_app_data(ctx);
}

static side_t *side_at(const session_t *s) {
  return (side_t *)ts_net_find(&net, s);
}

/* Records which epoch-0 handshake messages a datagram carries, and the
 * suite of a ServerHello. */
static void note_handshake(side_t *s, const unsigned char *d, size_t len) {
  size_t off = 0;
  while (off + 13 <= len) {
    unsigned type = d[off];
    unsigned epoch = (unsigned)d[off + 3] << 8 | d[off + 4];
    size_t rlen = (size_t)d[off + 11] << 8 | d[off + 12];
    const unsigned char *body = d + off + 13;
    if (off + 13 + rlen > len)
      break;
    if (type == DTLS_CT_HANDSHAKE && epoch == 0) {
      size_t h = 0;
      while (h + 12 <= rlen) {
        unsigned mt = body[h];
        size_t foff = (size_t)body[h + 6] << 16 | (size_t)body[h + 7] << 8 |
                      body[h + 8];
        size_t flen = (size_t)body[h + 9] << 16 | (size_t)body[h + 10] << 8 |
                      body[h + 11];
        if (mt < 32)
          s->hs_sent[mt]++;
        if (mt == DTLS_HT_SERVER_HELLO && foff == 0 && flen >= 38 &&
            h + 12 + flen <= rlen) {
          const unsigned char *sh = body + h + 12;
          size_t sid = sh[34], e;
          if (35 + sid + 2 <= flen)
            s->server_hello_suite = (unsigned)sh[35 + sid] << 8 | sh[36 + sid];
          /* the extensions: supported_versions (43) names DTLS 1.3 */
          s->server_hello_version = 0;
          e = 35 + sid + 3 + 2;
          while (e + 4 <= flen) {
            unsigned et = (unsigned)sh[e] << 8 | sh[e + 1];
            size_t el = (size_t)sh[e + 2] << 8 | sh[e + 3];
            if (e + 4 + el > flen)
              break;
            if (et == 43 && el == 2)
              s->server_hello_version = (unsigned)sh[e + 4] << 8 | sh[e + 5];
            e += 4 + el;
          }
        }
        h += 12 + flen;
      }
    }
    off += 13 + rlen;
  }
}

static int cb_write(dtls_context_t *ctx, session_t *session, uint8 *buf,
                    size_t len) {
  side_t *s = side_of(ctx);
  s->n_writes++;
  if (len > s->max_dg)
    s->max_dg = len;
  note_handshake(s, buf, len);
  if (s->free_on_write && !s->freed_in_cb) {
    dtls_free_context(ctx);
    s->freed_in_cb = 1;
  }
  if (s->drop_writes)
    return (int)len;
  if (s->write_override)
    return s->write_result;
  /* a dual-stack sender answers from its address of the receiver's family */
  return ts_net_send(&s->n, session, buf, len);
}

static void do_action(side_t *s, dtls_context_t *ctx, session_t *session,
                      enum action a, uint8 *buf, size_t len) {
  switch (a) {
  case ACT_ECHO:
    s->action_ret = dtls_write(ctx, session, buf, len);
    s->action_done++;
    break;
  case ACT_WRITE:
    s->action_ret = dtls_write(ctx, session, (uint8 *)"early", 5);
    s->action_done++;
    break;
  case ACT_CLOSE:
    s->action_ret = dtls_close(ctx, session);
    s->action_done++;
    break;
  case ACT_CONNECT:
    s->action_ret = dtls_connect(ctx, session);
    s->action_done++;
    break;
  case ACT_RESET:
    dtls_reset_peer(ctx, dtls_get_peer(ctx, session));
    s->action_done++;
    break;
  case ACT_FREE:
    dtls_free_context(ctx);
    s->freed_in_cb = 1;
    s->action_done++;
    break;
  case ACT_NONE:
    break;
  }
}

static int cb_read(dtls_context_t *ctx, session_t *session, uint8 *buf,
                   size_t len) {
  side_t *s = side_of(ctx);
  side_t *from = side_at(session);
  s->n_reads++;
  s->last_read_len = len;
  s->last_read_session = *session;
  if (!from)
    s->read_session_mismatch++;
  if (s->rx_len + len <= RX_MAX) {
    memcpy(s->rx + s->rx_len, buf, len);
    s->rx_len += len;
  }
  if (s->freed_in_cb)
    return 0;
  if (s->read_action == ACT_ECHO)
    do_action(s, ctx, session, ACT_ECHO, buf, len);
  else if (s->read_action != ACT_NONE && !s->action_done)
    do_action(s, ctx, session, s->read_action, buf, len);
  return 0;
}

static int cb_event(dtls_context_t *ctx, session_t *session,
                    dtls_alert_level_t level, unsigned short code) {
  side_t *s = side_of(ctx);
  if (s->n_ev < MAX_EV) {
    s->ev_level[s->n_ev] = (int)level;
    s->ev_code[s->n_ev] = code;
    s->n_ev++;
  }
  if (verbose)
    printf("     [%s event level=%d code=%u]\n", s->name, (int)level, code);
  if (level != 0 && !s->freed_in_cb)
    s->peer_in_alert_event = dtls_get_peer(ctx, session) != NULL;
  if (!s->freed_in_cb && s->event_action != ACT_NONE && !s->action_done &&
      code == s->event_trigger && (int)level == s->event_trigger_level)
    do_action(s, ctx, session, s->event_action, NULL, 0);
  return 0;
}

/* Bytes a Connection ID adds to the client's records: the CID the
 * server gave it, and the inner content type. 0 without a CID. */
static int cid_overhead(side_t *c, side_t *s) {
  dtls_peer_t *p = dtls_get_peer(c->n.ctx, &s->n.addr);
  dtls_security_parameters_t *sp = p ? dtls_security_params(p) : NULL;
  if (!sp || sp->write_cid_length == 0)
    return 0;
  return sp->write_cid_length + 1;
}

static void cb_user_params(dtls_context_t *ctx, session_t *session,
                           dtls_user_parameters_t *p) {
  side_t *s = side_of(ctx);
  (void)session;
  s->n_user_params++;
  if (s->suite != TLS_NULL_WITH_NULL_NULL) {
    p->cipher_suites[0] = s->suite;
    p->cipher_suites[1] = TLS_NULL_WITH_NULL_NULL;
  }
}

static int cb_verify(dtls_context_t *ctx, const session_t *session,
                     const unsigned char *x, const unsigned char *y,
                     size_t key_size) {
  side_t *s = side_of(ctx);
  (void)session;
  s->n_verify++;
  s->seen_key_size = key_size;
  if (key_size == 32) {
    memcpy(s->seen_x, x, 32);
    memcpy(s->seen_y, y, 32);
  }
  if (s->verify_reject)
    return dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE);
  return 0;
}

static dtls_handler_t handler = {
    .write = cb_write,
    .read = cb_read,
    .event = cb_event,
    .get_user_parameters = cb_user_params,
    .get_psk_info = ts_cb_psk,
    .get_ecdsa_key = ts_cb_ecdsa_key,
    .verify_ecdsa_key = cb_verify,
};

/* ------------------------------------------------------------------ */
/* set-up, delivery, teardown                                           */

static void reset_net(void) {
  int i;
  for (i = 0; i < n_sides; i++) {
    if (sides[i].n.ctx)
      dtls_free_context(sides[i].n.ctx);
    sides[i].n.ctx = NULL;
  }
  n_sides = 0;
  ts_net_reset(&net);
}

static side_t *add_side(const char *name, int is_server, dtls_cipher_t suite,
                        int v6, unsigned port) {
  side_t *s = &sides[n_sides++];
  memset(s, 0, sizeof(*s));
  s->name = name;
  s->suite = suite;
  ts_net_add(&net, &s->n, is_server, v6 ? "2001:db8::1" : "127.0.0.1", port,
             &handler);
  return s;
}

/* A client and a server, both restricted to suite. */
static void pair(side_t **c, side_t **s, dtls_cipher_t suite) {
  reset_net();
  *c = add_side("client", 0, suite, 0, 40001);
  *s = add_side("server", 1, suite, 0, 5684);
}

/* Delivers the next datagram; 0 if there was none. A datagram to a side
 * whose context is gone is lost. */
static int step(void) {
  int r;
  side_t *to = (side_t *)ts_net_step(&net, &r);
  if (!to)
    return 0;
  if (r < 0) {
    to->n_neg++;
    to->last_neg = r;
  }
  if (to->freed_in_cb)
    to->n.ctx = NULL; /* freed when dtls_handle_message returned */
  return 1;
}

/* Delivers until the network is quiet; the number of datagrams. */
static int pump(void) {
  int n = 0;
  while (n < 1000 && step())
    n++;
  return n;
}

static dtls_peer_t *peer_of(side_t *s, side_t *other) {
  if (!s->n.ctx)
    return NULL;
  return dtls_get_peer(s->n.ctx, &other->n.addr);
}

static int connected(side_t *s, side_t *other) {
  dtls_peer_t *p = peer_of(s, other);
  return p && dtls_peer_is_connected(p) &&
         dtls_peer_state(p) == DTLS_STATE_CONNECTED;
}

static int has_event(const side_t *s, int from, int level, unsigned code) {
  int i;
  for (i = from; i < s->n_ev; i++)
    if (s->ev_level[i] == level && s->ev_code[i] == code)
      return 1;
  return 0;
}

static int count_level(const side_t *s, int from, int level) {
  int i, n = 0;
  for (i = from; i < s->n_ev; i++)
    n += s->ev_level[i] == level;
  return n;
}

/* The events from index `from` as text, for failure details. */
static const char *events(const side_t *s, int from) {
  static char buf[4][512];
  static int which;
  char *out = buf[which++ % 4];
  size_t off = 0;
  int i;
  out[0] = '\0';
  off += (size_t)snprintf(out, 512, "%s events [", s->name);
  for (i = from; i < s->n_ev && off < 480; i++)
    off += (size_t)snprintf(out + off, 512 - off, "%s%d/%u", i > from ? " " : "",
                            s->ev_level[i], s->ev_code[i]);
  snprintf(out + off, 512 - off, "]");
  return out;
}

/* Events from index `from` are exactly the given (level, code) pairs. */
static int events_are(const side_t *s, int from, int n, const int *lc) {
  int i;
  if (s->n_ev - from != n)
    return 0;
  for (i = 0; i < n; i++)
    if (s->ev_level[from + i] != lc[2 * i] ||
        s->ev_code[from + i] != (unsigned)lc[2 * i + 1])
      return 0;
  return 1;
}

/* Runs a complete handshake from dtls_connect; 1 if both ends connected. */
static int handshake(side_t *c, side_t *s) {
  if (!c->n.ctx || !s->n.ctx)
    return 0;
  if (dtls_connect(c->n.ctx, &s->n.addr) <= 0)
    return 0;
  pump();
  return connected(c, s) && connected(s, c);
}

static int rx_is(const side_t *s, const char *text) {
  return s->rx_len == strlen(text) && memcmp(s->rx, text, s->rx_len) == 0;
}

static const char *rx_text(const side_t *s) {
  static char buf[2][128];
  static int which;
  char *out = buf[which++ % 2];
  size_t n = s->rx_len < 100 ? s->rx_len : 100;
  size_t i;
  for (i = 0; i < n; i++)
    out[i] = (s->rx[i] >= 32 && s->rx[i] < 127) ? (char)s->rx[i] : '.';
  out[n] = '\0';
  return out;
}

static void clear_rx(side_t *s) {
  s->rx_len = 0;
  s->n_reads = 0;
}

/* ------------------------------------------------------------------ */
/* 1. handshakes                                                        */

static void test_psk_handshake(void) {
  side_t *c, *s;
  dtls_peer_t *p;
  int r, w;
  static const int cev[] = {0, DTLS_EVENT_CONNECT, 0, DTLS_EVENT_CONNECTED};
  static const int sev[] = {0, DTLS_EVENT_CONNECTED};

  section = "1 psk";
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (!check(c->n.ctx && s->n.ctx, NULL, "dtls_new_context"))
    return;
  check(dtls_get_app_data(c->n.ctx) == c, NULL, "dtls_get_app_data");
  check(dtls_get_peer(c->n.ctx, &s->n.addr) == NULL, NULL,
        "client has no peer before dtls_connect");
  r = dtls_connect(c->n.ctx, &s->n.addr);
  check(r > 0, fmt_detail("returned %d", r), "dtls_connect returns > 0");
  check(events_are(c, 0, 1, cev), events(c, 0),
        "client event DTLS_EVENT_CONNECT (476) from dtls_connect");
  check(c->n_user_params == 1, fmt_detail("%d calls", c->n_user_params),
        "client get_user_parameters called once before the ClientHello");
  p = dtls_get_peer(c->n.ctx, &s->n.addr);
  check(p && p->role == DTLS_CLIENT && !dtls_peer_is_connected(p), NULL,
        "client peer exists after dtls_connect, role DTLS_CLIENT, not "
        "connected");
  check(p && dtls_peer_state(p) == DTLS_STATE_CLIENTHELLO,
        p ? fmt_detail("state %d", (int)dtls_peer_state(p)) : "no peer",
        "client peer state DTLS_STATE_CLIENTHELLO");
  check((int)(net.tail - net.head) == 1 && c->hs_sent[DTLS_HT_CLIENT_HELLO] == 1,
        fmt_detail("%d datagrams queued", (int)(net.tail - net.head)),
        "one datagram with a ClientHello");

  step(); /* ClientHello without cookie -> server */
  check(dtls_get_peer(s->n.ctx, &c->n.addr) == NULL, NULL,
        "server has no peer after the cookie-less ClientHello");
  check(s->hs_sent[DTLS_HT_HELLO_VERIFY_REQUEST] == 1 && s->n_writes == 1,
        fmt_detail("%d writes", s->n_writes),
        "server answers with one HelloVerifyRequest");
  step(); /* HelloVerifyRequest -> client */
  check(c->hs_sent[DTLS_HT_CLIENT_HELLO] == 2, NULL,
        "client repeats the ClientHello with the cookie");
  step(); /* ClientHello with cookie -> server */
  p = dtls_get_peer(s->n.ctx, &c->n.addr);
  check(p != NULL, NULL,
        "server has a peer after the ClientHello with a valid cookie");
  if (p) {
    check(p->role == DTLS_SERVER, fmt_detail("role %d", (int)p->role),
          "server peer role DTLS_SERVER");
    check(memcmp(&p->session, &c->n.addr, sizeof(session_t)) == 0 &&
              dtls_session_equals(&p->session, &c->n.addr),
          NULL, "server peer session equals the client's address");
    check(!dtls_peer_is_connected(p), NULL,
          "server peer not connected before Finished");
  }
  pump();
  check(events_are(c, 0, 2, cev), events(c, 0),
        "client events: CONNECT (476) then CONNECTED (478)");
  check(events_are(s, 0, 1, sev), events(s, 0),
        "server events: CONNECTED (478) only");
  check(s->server_hello_suite == TLS_PSK_WITH_AES_128_CCM_8,
        fmt_detail("0x%04X", s->server_hello_suite),
        "ServerHello chose TLS_PSK_WITH_AES_128_CCM_8 (0xC0A8)");
  check(s->n_user_params == 1, fmt_detail("%d calls", s->n_user_params),
        "server get_user_parameters called once");
  p = dtls_get_peer(c->n.ctx, &s->n.addr);
  check(p && dtls_peer_state(p) == DTLS_STATE_CONNECTED &&
            dtls_peer_is_connected(p) && p->role == DTLS_CLIENT,
        NULL, "client peer: DTLS_STATE_CONNECTED, connected, role client");
  check(p && memcmp(&p->session, &s->n.addr, sizeof(session_t)) == 0, NULL,
        "client peer session equals the server's address");
  check(p && dtls_security_params(p) != NULL, NULL,
        "client dtls_security_params(peer) non-NULL");
  p = dtls_get_peer(s->n.ctx, &c->n.addr);
  check(p && dtls_peer_state(p) == DTLS_STATE_CONNECTED &&
            dtls_peer_is_connected(p) && p->role == DTLS_SERVER,
        NULL, "server peer: DTLS_STATE_CONNECTED, connected, role server");
  check(p && dtls_security_params(p) != NULL, NULL,
        "server dtls_security_params(peer) non-NULL");

  w = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"hello", 5);
  check(w == 5, fmt_detail("returned %d", w), "client dtls_write returns 5");
  pump();
  check(rx_is(s, "hello") && s->n_reads == 1, rx_text(s),
        "server read callback gets \"hello\" once");
  check(memcmp(&s->last_read_session, &c->n.addr, sizeof(session_t)) == 0,
        NULL, "server read callback session is the client's address");
  w = dtls_write(s->n.ctx, &c->n.addr, (uint8 *)"world!", 6);
  pump();
  check(w == 6 && rx_is(c, "world!"), rx_text(c),
        "server -> client data delivered");
  check(net.errors == 0, fmt_detail("%d", net.errors),
        "no datagram to an unknown address");

  /* datagrams that are no DTLS, or forged records, change nothing */
  {
    static const unsigned char junk[] = "GET / HTTP/1.0\r\n\r\n";
    unsigned char fake[64];
    session_t other;
    int n0 = s->n_reads, w1 = s->n_writes;
    memset(fake, 0, sizeof(fake));
    fake[0] = DTLS_CT_APPLICATION_DATA;
    fake[1] = 0xfe;
    fake[2] = 0xfd;
    fake[4] = 1; /* epoch 1 */
    fake[10] = 99;
    fake[12] = (unsigned char)(sizeof(fake) - 13);
    r = dtls_handle_message(s->n.ctx, &c->n.addr, (uint8 *)junk,
                            (int)sizeof(junk) - 1);
    check(r == 0, fmt_detail("returned %d", r),
          "a datagram that is no DTLS record is dropped (0)");
    r = dtls_handle_message(s->n.ctx, &c->n.addr, fake, (int)sizeof(fake));
    check(r == 0 && s->n_reads == n0, fmt_detail("returned %d", r),
          "a forged application record is dropped silently (0)");
    ts_addr(&other, "192.0.2.99", 1234);
    r = dtls_handle_message(s->n.ctx, &other, fake, (int)sizeof(fake));
    check(r == 0 && dtls_get_peer(s->n.ctx, &other) == NULL,
          fmt_detail("returned %d", r),
          "a record from an unknown session is dropped, no peer created");
    check(s->n_writes == w1, NULL, "nothing was sent in answer");
    w = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"still", 5);
    pump();
    check(w == 5 && s->n_reads == n0 + 1 && connected(s, c), NULL,
          "the association still works");
  }
  reset_net();
}

static void test_ecdhe_handshake(void) {
  side_t *c, *s;
  dtls_peer_t *p;
  int ok;
  static const int cev[] = {0, DTLS_EVENT_CONNECT, 0, DTLS_EVENT_CONNECTED};
  static const int sev[] = {0, DTLS_EVENT_CONNECTED};

  section = "1 ecdhe";
  pair(&c, &s, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  ok = handshake(c, s);
  check(ok, fmt_detail("%s; %s", events(c, 0), events(s, 0)),
        "ECDHE-ECDSA handshake with mutual RPK authentication completes");
  check(events_are(c, 0, 2, cev), events(c, 0),
        "client events: CONNECT (476) then CONNECTED (478)");
  check(events_are(s, 0, 1, sev), events(s, 0),
        "server events: CONNECTED (478) only");
  check(s->server_hello_suite == TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
        fmt_detail("0x%04X", s->server_hello_suite),
        "ServerHello chose TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (0xC0AE)");
  check(s->hs_sent[DTLS_HT_CERTIFICATE] >= 1 &&
            s->hs_sent[DTLS_HT_SERVER_KEY_EXCHANGE] >= 1 &&
            s->hs_sent[DTLS_HT_CERTIFICATE_REQUEST] >= 1,
        NULL, "server sent Certificate, ServerKeyExchange, CertificateRequest");
  check(c->hs_sent[DTLS_HT_CERTIFICATE] >= 1 &&
            c->hs_sent[DTLS_HT_CERTIFICATE_VERIFY] >= 1,
        NULL, "client sent Certificate and CertificateVerify");
  check(c->n_verify == 1 && c->seen_key_size == 32 &&
            memcmp(c->seen_x, example_server_x, 32) == 0 &&
            memcmp(c->seen_y, example_server_y, 32) == 0,
        fmt_detail("%d calls, key_size %zu", c->n_verify, c->seen_key_size),
        "client verify_ecdsa_key got the server's public key");
  check(s->n_verify == 1 && s->seen_key_size == 32 &&
            memcmp(s->seen_x, example_client_x, 32) == 0 &&
            memcmp(s->seen_y, example_client_y, 32) == 0,
        fmt_detail("%d calls, key_size %zu", s->n_verify, s->seen_key_size),
        "server verify_ecdsa_key got the client's public key");
  p = dtls_get_peer(s->n.ctx, &c->n.addr);
  check(p && p->role == DTLS_SERVER &&
            dtls_peer_state(p) == DTLS_STATE_CONNECTED &&
            dtls_security_params(p) != NULL &&
            memcmp(&p->session, &c->n.addr, sizeof(session_t)) == 0,
        NULL, "server peer: role, state, security params, session");
  p = dtls_get_peer(c->n.ctx, &s->n.addr);
  check(p && p->role == DTLS_CLIENT &&
            dtls_peer_state(p) == DTLS_STATE_CONNECTED &&
            dtls_security_params(p) != NULL,
        NULL, "client peer: role, state, security params");
  dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"ecc data", 8);
  dtls_write(s->n.ctx, &c->n.addr, (uint8 *)"ecc reply", 9);
  pump();
  check(rx_is(s, "ecc data") && rx_is(c, "ecc reply"),
        fmt_detail("server got \"%s\", client got \"%s\"", rx_text(s),
                   rx_text(c)),
        "data both ways");
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 2. re-entrancy                                                       */

static void test_reentrancy(void) {
  side_t *c, *s;
  int ev, r;

  section = "2 reentrancy";

  /* echo from the read callback */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake (echo server)")) {
    s->read_action = ACT_ECHO;
    dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"one,", 4);
    dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"two,", 4);
    dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"three", 5);
    pump();
    check(s->action_done == 3 && s->action_ret == 5,
          fmt_detail("%d echoes, last returned %d", s->action_done,
                     s->action_ret),
          "dtls_write from inside the read callback returns the length");
    check(rx_is(c, "one,two,three") && c->n_reads == 3, rx_text(c),
          "client gets the three echoes");
  }

  /* dtls_close from the read callback */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake (closing server)")) {
    s->read_action = ACT_CLOSE;
    ev = s->n_ev;
    dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"bye", 3);
    step();
    check(s->action_done == 1 && s->action_ret == 0,
          fmt_detail("returned %d", s->action_ret),
          "dtls_close on its own session from the read callback returns 0");
    check(peer_of(s, c) && dtls_peer_state(peer_of(s, c)) == DTLS_STATE_CLOSING,
          peer_of(s, c) ? fmt_detail("state %d", dtls_peer_state(peer_of(s, c)))
                        : "no peer",
          "server peer is CLOSING after the callback returned");
    pump();
    check(has_event(c, 0, 1, 0), events(c, 0),
          "client sees close_notify (level 1 code 0)");
    check(has_event(s, ev, 1, 0), events(s, ev),
          "server sees the answering close_notify");
    check(!peer_of(c, s) && !peer_of(s, c), NULL,
          "dtls_get_peer is NULL on both sides afterwards");
  }

  /* dtls_reset_peer(dtls_get_peer()) from the read callback */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake (resetting server)")) {
    s->read_action = ACT_RESET;
    dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"reset", 5);
    step();
    check(s->action_done == 1 && !peer_of(s, c), NULL,
          "dtls_reset_peer from the read callback: server peer gone");
    pump();
    check(has_event(c, 0, 1, 0), events(c, 0),
          "client sees close_notify from the reset");
    check(!peer_of(c, s), NULL, "client peer gone after close_notify");
  }

  /* dtls_free_context from the read callback */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake (server frees its context)")) {
    int w0 = s->n_writes;
    s->read_action = ACT_FREE;
    dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"free", 4);
    step();
    check(s->freed_in_cb && s->n.ctx == NULL, NULL,
          "dtls_free_context inside the read callback, no crash");
    check(s->n_writes > w0, NULL,
          "close_notify sent when the outer dtls_handle_message returned");
    pump();
    check(has_event(c, 0, 1, 0), events(c, 0), "client sees close_notify");
    check(!peer_of(c, s), NULL, "client peer gone");
  }

  /* dtls_write from the event callback on CONNECTED */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  c->event_action = ACT_WRITE;
  c->event_trigger = DTLS_EVENT_CONNECTED;
  check(handshake(c, s), NULL, "handshake (client writes on CONNECTED)");
  check(c->action_done == 1 && c->action_ret == 5,
        fmt_detail("returned %d", c->action_ret),
        "dtls_write from the CONNECTED event callback returns the length");
  check(rx_is(s, "early"), rx_text(s), "server receives it");

  /* dtls_close from the event callback on CONNECTED */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  c->event_action = ACT_CLOSE;
  c->event_trigger = DTLS_EVENT_CONNECTED;
  dtls_connect(c->n.ctx, &s->n.addr);
  pump();
  check(c->action_done == 1 && c->action_ret == 0,
        fmt_detail("returned %d", c->action_ret),
        "dtls_close from the CONNECTED event callback returns 0");
  check(has_event(s, 0, 0, DTLS_EVENT_CONNECTED) && has_event(s, 0, 1, 0),
        events(s, 0), "server connected, then sees close_notify");
  check(!peer_of(c, s) && !peer_of(s, c), NULL, "no peer on either side");

  /* dtls_free_context from the event callback on CONNECTED */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  c->event_action = ACT_FREE;
  c->event_trigger = DTLS_EVENT_CONNECTED;
  dtls_connect(c->n.ctx, &s->n.addr);
  pump();
  check(c->freed_in_cb && c->n.ctx == NULL, NULL,
        "dtls_free_context from the CONNECTED event callback, no crash");
  check(has_event(s, 0, 1, 0), events(s, 0), "server sees close_notify");
  check(!peer_of(s, c), NULL, "server peer gone");

  /* dtls_free_context from the write callback inside dtls_connect */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  c->free_on_write = 1;
  r = dtls_connect(c->n.ctx, &s->n.addr);
  c->n.ctx = NULL; /* freed when dtls_connect returned */
  check(c->freed_in_cb && r > 0, fmt_detail("returned %d", r),
        "dtls_free_context from the write callback inside dtls_connect, "
        "no crash");
  pump();
  check(!peer_of(s, c), NULL, "server keeps no peer for the vanished client");

  /* dtls_reset_peer from the event callback reporting close_notify */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake (client resets on close_notify)")) {
    c->event_action = ACT_RESET;
    c->event_trigger = DTLS_ALERT_CLOSE_NOTIFY;
    c->event_trigger_level = DTLS_ALERT_LEVEL_WARNING;
    r = dtls_close(s->n.ctx, &c->n.addr);
    pump();
    check(r == 0 && c->action_done == 1, NULL,
          "dtls_reset_peer from the close_notify event callback, no crash");
    check(!peer_of(c, s) && !peer_of(s, c), NULL, "no peer on either side");
  }

  /* dtls_connect from the event callback reporting close_notify */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake (client reconnects on close_notify)")) {
    ev = c->n_ev;
    c->event_action = ACT_CONNECT;
    c->event_trigger = DTLS_ALERT_CLOSE_NOTIFY;
    c->event_trigger_level = DTLS_ALERT_LEVEL_WARNING;
    dtls_close(s->n.ctx, &c->n.addr);
    pump();
    check(c->action_done == 1 && c->action_ret > 0,
          fmt_detail("returned %d; dtls_get_peer inside the callback was %s",
                     c->action_ret,
                     c->peer_in_alert_event ? "non-NULL" : "NULL"),
          "dtls_connect from the close_notify event callback returns > 0 "
          "(upstream removes the peer before calling the event callback)");
    check(has_event(c, ev, 0, DTLS_EVENT_CONNECTED) && connected(c, s) &&
              connected(s, c),
          fmt_detail("%s; %s", events(c, ev), events(s, 0)),
          "... and the new handshake completes");
  }
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 3. dtls_write / dtls_writev / sizes                                  */

static void test_write(void) {
  side_t *c, *s;
  static unsigned char big[2048];
  uint8 *bufs[4];
  size_t lens[4];
  int r, m, w0, i, ok, cid;

  section = "3 write";
  for (i = 0; i < (int)sizeof(big); i++)
    big[i] = (unsigned char)(i * 7 + 3);

  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"lost", 4);
  check(r == 0, fmt_detail("returned %d", r),
        "dtls_write without an association returns 0");
  check(has_event(c, 0, 0, DTLS_EVENT_CONNECT) &&
            c->hs_sent[DTLS_HT_CLIENT_HELLO] == 1 && peer_of(c, s),
        events(c, 0), "... and starts a handshake (476, ClientHello, peer)");
  check(dtls_get_max_write(c->n.ctx, &s->n.addr) == -1, NULL,
        "dtls_get_max_write is -1 during the handshake");
  step();
  step();
  step(); /* the server now has a peer in handshake */
  r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"lost", 4);
  check(r == 0, fmt_detail("returned %d", r),
        "client dtls_write during the handshake returns 0");
  r = dtls_write(s->n.ctx, &c->n.addr, (uint8 *)"lost", 4);
  check(r == 0, fmt_detail("returned %d", r),
        "server dtls_write during the handshake returns 0");
  pump();
  check(connected(c, s) && connected(s, c), NULL, "handshake completes");
  check(s->n_reads == 0 && c->n_reads == 0, NULL,
        "data written before the handshake completed is not delivered");

  r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"after", 5);
  pump();
  check(r == 5 && rx_is(s, "after"), fmt_detail("returned %d", r),
        "dtls_write after the handshake returns the plaintext length");

  clear_rx(s);
  bufs[0] = (uint8 *)"ab";
  lens[0] = 2;
  bufs[1] = (uint8 *)"";
  lens[1] = 0;
  bufs[2] = (uint8 *)"cdef";
  lens[2] = 4;
  bufs[3] = (uint8 *)"g";
  lens[3] = 1;
  w0 = c->n_writes;
  r = dtls_writev(c->n.ctx, &s->n.addr, bufs, lens, 4);
  check(r == 7, fmt_detail("returned %d", r), "dtls_writev returns 7");
  check(c->n_writes == w0 + 1, fmt_detail("%d datagrams", c->n_writes - w0),
        "dtls_writev sends one datagram");
  pump();
  check(s->n_reads == 1 && rx_is(s, "abcdefg"), rx_text(s),
        "peer reads the concatenation once");

  /* Header 13, explicit nonce 8, CCM_8 tag 8, and with a Connection ID
   * (negotiated by default) the CID and the inner content type. */
  cid = cid_overhead(c, s);
  check(cid == 7, fmt_detail("%d", cid),
        "the server handed out a 6-byte Connection ID (library default)");
  m = dtls_get_max_write(c->n.ctx, &s->n.addr);
  check(m == DTLS_MAX_BUF - 13 - 8 - 8 - cid, fmt_detail("%d", m),
        "dtls_get_max_write with the default MTU is DTLS_MAX_BUF - 29 "
        "(CCM_8) - CID");
  check(dtls_get_max_write(c->n.ctx, &c->n.addr) == -1, NULL,
        "dtls_get_max_write for an unknown session is -1");
  if (m > 0 && m < (int)sizeof(big)) {
    clear_rx(s);
    w0 = c->n_writes;
    r = dtls_write(c->n.ctx, &s->n.addr, big, (size_t)m);
    check(r == m, fmt_detail("returned %d", r),
          "dtls_write of exactly dtls_get_max_write bytes succeeds");
    check(c->max_dg <= DTLS_MAX_BUF,
          fmt_detail("%zu bytes", c->max_dg), "its datagram fits DTLS_MAX_BUF");
    pump();
    check(s->n_reads == 1 && s->rx_len == (size_t)m &&
              memcmp(s->rx, big, (size_t)m) == 0,
          fmt_detail("%d reads, %zu bytes", s->n_reads, s->rx_len),
          "peer reads all of it at once");
    w0 = c->n_writes;
    r = dtls_write(c->n.ctx, &s->n.addr, big, (size_t)m + 1);
    check(r < 0, fmt_detail("returned %d", r),
          "dtls_write of one byte more returns < 0");
    check(c->n_writes == w0, NULL, "... and the write callback is not called");
    bufs[0] = big;
    lens[0] = (size_t)m;
    bufs[1] = big;
    lens[1] = 1;
    r = dtls_writev(c->n.ctx, &s->n.addr, bufs, lens, 2);
    check(r < 0 && c->n_writes == w0, fmt_detail("returned %d", r),
          "dtls_writev totalling one byte too many returns < 0, no write");
  }

  /* MTU 256: an ECDHE handshake in small datagrams, smaller records. */
  pair(&c, &s, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  check(dtls_get_mtu(c->n.ctx) == DTLS_MAX_BUF,
        fmt_detail("%zu", dtls_get_mtu(c->n.ctx)), "default MTU is DTLS_MAX_BUF");
  r = dtls_set_mtu(c->n.ctx, 256);
  check(r == 0 && dtls_set_mtu(s->n.ctx, 256) == 0, NULL, "dtls_set_mtu(256)");
  check(dtls_get_mtu(c->n.ctx) == 256, NULL, "dtls_get_mtu returns 256");
  dtls_set_log_level(DTLS_LOG_EMERG); /* the next call logs a warning */
  r = dtls_set_mtu(c->n.ctx, 100);
  dtls_set_log_level(DTLS_LOG_WARN);
  check(r == -1 && dtls_get_mtu(c->n.ctx) == 256, fmt_detail("returned %d", r),
        "dtls_set_mtu(100) is refused and changes nothing");
  ok = handshake(c, s);
  check(ok, fmt_detail("%s; %s", events(c, 0), events(s, 0)),
        "ECDHE handshake completes with MTU 256");
  check(c->max_dg <= 256 && s->max_dg <= 256,
        fmt_detail("largest datagrams: client %zu, server %zu", c->max_dg,
                   s->max_dg),
        "every handshake datagram is <= 256 bytes");
  m = dtls_get_max_write(c->n.ctx, &s->n.addr);
  cid = cid_overhead(c, s);
  check(m == 256 - 29 - cid, fmt_detail("%d", m),
        "dtls_get_max_write with MTU 256 is 227 - CID");
  if (m > 0) {
    w0 = c->n_writes;
    c->max_dg = 0;
    r = dtls_write(c->n.ctx, &s->n.addr, big, (size_t)m);
    check(r == m && c->max_dg <= 256, fmt_detail("returned %d, %zu bytes", r,
                                                 c->max_dg),
          "dtls_write of max bytes: one datagram <= 256");
    r = dtls_write(c->n.ctx, &s->n.addr, big, (size_t)m + 1);
    check(r < 0 && c->n_writes == w0 + 1, fmt_detail("returned %d", r),
          "one byte more is refused without a write");
    pump();
    check(s->rx_len == (size_t)m && memcmp(s->rx, big, (size_t)m) == 0, NULL,
          "server reads all of them");
  }

  /* The smallest MTU dtls_set_mtu accepts: handshake messages no longer
   * fit one datagram and must be fragmented. */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  dtls_set_mtu(c->n.ctx, 128);
  dtls_set_mtu(s->n.ctx, 128);
  ok = handshake(c, s);
  check(ok && c->max_dg <= 128 && s->max_dg <= 128,
        fmt_detail("largest datagrams: client %zu, server %zu; %s; %s",
                   c->max_dg, s->max_dg, events(c, 0), events(s, 0)),
        "PSK handshake with MTU 128, every datagram <= 128 bytes");
  pair(&c, &s, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  dtls_set_mtu(c->n.ctx, 128);
  dtls_set_mtu(s->n.ctx, 128);
  ok = handshake(c, s);
  /* Servers may ignore fragmented ClientHellos (RFC 6347 4.2.1), so the
   * library never fragments one: with its ECDHE extensions and cookie it
   * is slightly larger than 128 bytes. Everything else fits. */
  check(ok && c->max_dg <= 160 && s->max_dg <= 128 &&
            c->hs_sent[DTLS_HT_CLIENT_HELLO] == 2,
        fmt_detail("largest datagrams: client %zu, server %zu; client sent "
                   "%d datagrams, %d ClientHello fragments; server peer %s; "
                   "%s; %s",
                   c->max_dg, s->max_dg, c->n_writes,
                   c->hs_sent[DTLS_HT_CLIENT_HELLO],
                   peer_of(s, c) ? "exists" : "absent", events(c, 0),
                   events(s, 0)),
        "ECDHE handshake with MTU 128: server datagrams <= 128 bytes, each "
        "ClientHello whole");
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 4. alerts                                                            */

static void test_alerts(void) {
  side_t *c, *s;

  section = "4 alerts";

  /* wrong PSK */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  s->n.psk_key = "wrongPSK!";
  dtls_connect(c->n.ctx, &s->n.addr);
  pump();
  check(c->n_neg + s->n_neg > 0,
        fmt_detail("client %d, server %d negative results", c->n_neg,
                   s->n_neg),
        "wrong PSK: dtls_handle_message returns < 0 on the detecting side");
  if (s->n_neg)
    check(dtls_is_alert(s->last_neg), fmt_detail("%d", s->last_neg),
          "server (detecting side) result %d is a fatal alert code",
          s->last_neg);
  if (c->n_neg)
    check(dtls_is_alert(c->last_neg), fmt_detail("%d", c->last_neg),
          "client (detecting side) result %d is a fatal alert code",
          c->last_neg);
  check(count_level(c, 0, 2) >= 1, events(c, 0),
        "client event callback reports level 2");
  check(count_level(s, 0, 2) >= 1, events(s, 0),
        "server event callback reports level 2");
  check(!has_event(c, 0, 0, DTLS_EVENT_CONNECTED) &&
            !has_event(s, 0, 0, DTLS_EVENT_CONNECTED),
        NULL, "neither side reports CONNECTED");
  check(!peer_of(c, s) && !peer_of(s, c), NULL, "no peer left on either side");

  /* unknown identity, get_psk_info -> DECRYPT_ERROR */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  c->n.psk_id = "nobody";
  s->n.unknown_id_alert = DTLS_ALERT_DECRYPT_ERROR;
  dtls_connect(c->n.ctx, &s->n.addr);
  pump();
  check(has_event(c, 0, 2, DTLS_ALERT_DECRYPT_ERROR), events(c, 0),
        "unknown identity: client sees level 2 code 51");
  check(s->n_neg == 1 &&
            s->last_neg == dtls_alert_fatal_create(DTLS_ALERT_DECRYPT_ERROR),
        fmt_detail("%d results < 0, last %d", s->n_neg, s->last_neg),
        "server dtls_handle_message returns "
        "dtls_alert_fatal_create(DTLS_ALERT_DECRYPT_ERROR)");
  check(!peer_of(c, s) && !peer_of(s, c), NULL, "no peer left on either side");

  /* the client rejects the server's key */
  pair(&c, &s, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  c->verify_reject = 1;
  dtls_connect(c->n.ctx, &s->n.addr);
  pump();
  check(c->n_verify == 1, NULL, "client verify_ecdsa_key called");
  check(has_event(s, 0, 2, DTLS_ALERT_BAD_CERTIFICATE), events(s, 0),
        "client rejects the key: server sees level 2 code 42");
  check(c->n_neg >= 1 &&
            c->last_neg == dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE),
        fmt_detail("%d", c->last_neg),
        "client dtls_handle_message returns the callback's alert");
  check(!has_event(c, 0, 0, DTLS_EVENT_CONNECTED), events(c, 0),
        "client never connects");
  check(!peer_of(c, s) && !peer_of(s, c), NULL, "no peer left on either side");

  /* the server rejects the client's key */
  pair(&c, &s, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  s->verify_reject = 1;
  dtls_connect(c->n.ctx, &s->n.addr);
  pump();
  check(s->n_verify == 1, NULL, "server verify_ecdsa_key called");
  check(has_event(c, 0, 2, DTLS_ALERT_BAD_CERTIFICATE), events(c, 0),
        "server rejects the key: client sees level 2 code 42");
  check(!has_event(s, 0, 0, DTLS_EVENT_CONNECTED), events(s, 0),
        "server never connects");
  check(!peer_of(c, s) && !peer_of(s, c), NULL, "no peer left on either side");
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 5. dtls_close and dtls_free_context                                  */

static void test_close(void) {
  side_t *c, *s;
  dtls_peer_t *p;
  session_t nobody;
  int r, w0, w1, cev;

  section = "5 close";
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    cev = c->n_ev;
    w0 = s->n_writes;
    r = dtls_close(c->n.ctx, &s->n.addr);
    check(r == 0, fmt_detail("returned %d", r), "dtls_close returns 0");
    p = peer_of(c, s);
    check(p && dtls_peer_state(p) == DTLS_STATE_CLOSING &&
              !dtls_peer_is_connected(p),
          p ? fmt_detail("state %d", dtls_peer_state(p)) : "no peer",
          "closing side's peer is DTLS_STATE_CLOSING");
    w1 = c->n_writes;
    r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"late", 4);
    check(r == -1 && c->n_writes == w1, fmt_detail("returned %d", r),
          "dtls_write on the closing session returns -1, sends nothing");
    pump();
    check(has_event(s, 0, 1, DTLS_ALERT_CLOSE_NOTIFY), events(s, 0),
          "other side's event: level 1 code 0 (close_notify)");
    check(s->n_writes > w0, NULL, "other side answers");
    check(has_event(c, cev, 1, DTLS_ALERT_CLOSE_NOTIFY), events(c, cev),
          "closing side sees the answering close_notify");
    check(!peer_of(c, s) && !peer_of(s, c), NULL, "no peer on either side");
  }
  ts_addr(&nobody, "192.0.2.1", 9);
  r = dtls_close(c->n.ctx, &nobody);
  check(r < 0, fmt_detail("returned %d", r),
        "dtls_close on an unknown session returns < 0");

  /* dtls_free_context with an established peer */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    w0 = c->n_writes;
    dtls_free_context(c->n.ctx);
    c->n.ctx = NULL;
    check(c->n_writes == w0 + 1, fmt_detail("%d writes", c->n_writes - w0),
          "dtls_free_context writes one datagram (close_notify)");
    pump();
    check(has_event(s, 0, 1, DTLS_ALERT_CLOSE_NOTIFY), events(s, 0),
          "the other side sees level 1 code 0");
    check(!peer_of(s, c), NULL, "the other side has no peer");
  }
  dtls_free_context(NULL);
  check(1, NULL, "dtls_free_context(NULL) is harmless");
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 6. renegotiation                                                     */

/* Events from index `from` contain RENEGOTIATE and, after it, CONNECTED. */
static int reneg_events(const side_t *s, int from) {
  int i, seen = 0;
  for (i = from; i < s->n_ev; i++) {
    if (s->ev_level[i] != 0)
      return 0;
    if (s->ev_code[i] == DTLS_EVENT_RENEGOTIATE)
      seen = 1;
    else if (s->ev_code[i] == DTLS_EVENT_CONNECTED && seen)
      return 1;
  }
  return 0;
}

/* A renegotiation started by `by` (c or s) while data flows: the
 * initiator writes right after dtls_renegotiate, the other side once the
 * first datagram is delivered; then a record each way after it. */
static void renegotiate_with_data(side_t *c, side_t *s, side_t *by) {
  static const char c_during[] = "[c during]", s_during[] = "[s during]";
  side_t *other = by == c ? s : c;
  const char *who = by == c ? "client-initiated" : "server-initiated";
  int r, w1, w2, cev = c->n_ev, sev = s->n_ev;

  clear_rx(c);
  clear_rx(s);
  r = dtls_renegotiate(by->n.ctx, &other->n.addr);
  check(r >= 0, fmt_detail("returned %d", r),
        "%s dtls_renegotiate returns >= 0", by->name);
  w1 = dtls_write(by->n.ctx, &other->n.addr,
                  (uint8 *)(by == c ? c_during : s_during), 10);
  step();
  w2 = dtls_write(other->n.ctx, &by->n.addr,
                  (uint8 *)(by == c ? s_during : c_during), 10);
  pump();
  check(reneg_events(c, cev), events(c, cev),
        "client sees 479 (RENEGOTIATE) then 478 (CONNECTED), %s", who);
  check(reneg_events(s, sev), events(s, sev),
        "server sees 479 (RENEGOTIATE) then 478 (CONNECTED), %s", who);
  check(connected(c, s) && connected(s, c), NULL, "both connected again, %s",
        who);
  check(w1 == 10 && w2 == 10, fmt_detail("returned %d and %d", w1, w2),
        "dtls_write during the renegotiation returns the length, %s", who);
  check(rx_is(s, c_during) && rx_is(c, s_during),
        fmt_detail("server got \"%s\", client got \"%s\"", rx_text(s),
                   rx_text(c)),
        "data written during the renegotiation is delivered, %s", who);
  clear_rx(c);
  clear_rx(s);
  dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"c after", 7);
  dtls_write(s->n.ctx, &c->n.addr, (uint8 *)"s after", 7);
  pump();
  check(rx_is(s, "c after") && rx_is(c, "s after"), NULL,
        "data after the renegotiation is delivered both ways, %s", who);
}

static void test_renegotiate(void) {
  side_t *c, *s;
  session_t nobody;
  int r, cev, sev;

  section = "6 renegotiate";
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    renegotiate_with_data(c, s, c);
    renegotiate_with_data(c, s, s);
  }
  ts_addr(&nobody, "192.0.2.1", 9);
  dtls_set_log_level(DTLS_LOG_EMERG); /* it logs why */
  r = dtls_renegotiate(c->n.ctx, &nobody);
  dtls_set_log_level(DTLS_LOG_WARN);
  check(r < 0, fmt_detail("returned %d", r),
        "dtls_renegotiate on an unknown session returns < 0");

  /* renegotiation of an ECDHE-ECDSA association */
  pair(&c, &s, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "ECDHE handshake")) {
    cev = c->n_ev;
    sev = s->n_ev;
    r = dtls_renegotiate(c->n.ctx, &s->n.addr);
    pump();
    check(r >= 0 && reneg_events(c, cev) && reneg_events(s, sev),
          fmt_detail("returned %d; %s; %s", r, events(c, cev), events(s, sev)),
          "ECDHE renegotiation: both see 479 then 478");
    check(c->n_verify == 2 && s->n_verify == 2,
          fmt_detail("%d/%d", c->n_verify, s->n_verify),
          "keys verified again during the renegotiation");
    dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"x", 1);
    pump();
    check(rx_is(s, "x"), NULL, "data after it is delivered");
  }
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 7. dtls_check_retransmit                                             */

static void test_retransmit(void) {
  side_t *c, *s;
  clock_time_t next = 12345, next2 = 0, t0, t1, tf = 0, tf_after = 0, start;
  int w0, fired = 0, late = 0;

  section = "7 retransmit";
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  dtls_check_retransmit(c->n.ctx, &next);
  check(next == 0, fmt_detail("next %u", next),
        "fresh context: nothing pending, next == 0");
  dtls_check_retransmit(c->n.ctx, NULL);
  check(1, NULL, "dtls_check_retransmit with next == NULL is harmless");

  c->drop_writes = 1;
  t0 = ts_ticks();
  dtls_connect(c->n.ctx, &s->n.addr);
  t1 = ts_ticks();
  w0 = c->n_writes;
  dtls_check_retransmit(c->n.ctx, &next);
  check(next != 0 && ts_tick_diff(next, t0) >= 1000 &&
            ts_tick_diff(next, t1) <= 1000,
        fmt_detail("next - dtls_ticks() = %d", ts_tick_diff(next, t1)),
        "after connect next is about dtls_ticks() + 1000");
  check(c->n_writes == w0, NULL, "nothing resent before the deadline");

  /* Poll (10 ms steps, at most 1.5 s) until the write callback fires.
   * A call that fires must have ended at or after `next` (else it was
   * early); a call that began at or after `next` must fire (else late). */
  start = ts_ticks();
  while (ts_tick_diff(ts_ticks(), start) < 1500) {
    clock_time_t before = ts_ticks(), after, n2 = 0;
    dtls_check_retransmit(c->n.ctx, &n2);
    after = ts_ticks();
    if (c->n_writes > w0) {
      fired = 1;
      tf = before;
      tf_after = after;
      next2 = n2;
      break;
    }
    if (ts_tick_diff(before, next) >= 0)
      late++;
    ts_sleep_ms(10);
  }
  check(fired, fmt_detail("%d writes", c->n_writes - w0),
        "after next has passed, dtls_check_retransmit resends (write fires)");
  if (fired) {
    check(ts_tick_diff(tf_after, next) >= 0,
          fmt_detail("%d ms early", -ts_tick_diff(tf_after, next)),
          "not resent before next");
    check(late == 0, fmt_detail("%d calls after next did nothing", late),
          "resent by the first call after next");
    check(c->hs_sent[DTLS_HT_CLIENT_HELLO] - 1 == c->n_writes - w0,
          fmt_detail("%d datagrams resent, %d ClientHellos in them",
                     c->n_writes - w0, c->hs_sent[DTLS_HT_CLIENT_HELLO] - 1),
          "the resent datagrams carry the ClientHello");
    check(next2 != 0 && ts_tick_diff(next2, tf) >= 2000 &&
              ts_tick_diff(next2, tf_after) <= 2000,
          fmt_detail("next - now = %d", ts_tick_diff(next2, tf)),
          "the timeout doubles: next is about now + 2000");
  }

  /* nothing pending once connected */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    next = 12345;
    dtls_check_retransmit(c->n.ctx, &next);
    check(next == 0, fmt_detail("next - now = %d", ts_tick_diff(next, ts_ticks())),
          "client after the handshake: next == 0");
    /* after the peer is gone nothing is pending either */
    dtls_reset_peer(s->n.ctx, dtls_get_peer(s->n.ctx, &c->n.addr));
    pump();
    next = 12345;
    dtls_check_retransmit(s->n.ctx, &next);
    check(next == 0 && !peer_of(s, c), fmt_detail("next %u", next),
          "server after dtls_reset_peer: next == 0");
  }
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 8. sessions, IPv6                                                    */

static void test_sessions(void) {
  session_t a, b, zero;
  session_t *ns;
  struct sockaddr_in sin;
  struct sockaddr_in6 sin6;
  struct sockaddr *sa;
  socklen_t len = 0;
  side_t *c4, *c6, *s;
  dtls_peer_t *p;
  int fine;

  section = "8 sessions";
  memset(&a, 0xAA, sizeof(a));
  dtls_session_init(&a);
  memset(&zero, 0, sizeof(zero));
  check(a.size == sizeof(a.addr) &&
            memcmp(&a.addr, &zero.addr, sizeof(a.addr)) == 0 &&
            a.ifindex == 0,
        NULL, "dtls_session_init zeroes and sets size = sizeof(addr)");

  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(5684);
  inet_pton(AF_INET, "192.0.2.7", &sin.sin_addr);
  ns = dtls_new_session((struct sockaddr *)&sin, sizeof(sin));
  if (check(ns != NULL, NULL, "dtls_new_session")) {
    check(ns->size == sizeof(sin) &&
              memcmp(&ns->addr.sin, &sin, sizeof(sin)) == 0 &&
              ns->ifindex == 0,
          NULL, "dtls_new_session copies the address and its length");
    sa = dtls_session_addr(ns, &len);
    check(sa == &ns->addr.sa && len == sizeof(sin), NULL,
          "dtls_session_addr returns the address and its length");
    ts_addr(&b, "192.0.2.7", 5684);
    check(dtls_session_equals(ns, &b) == 1, NULL,
          "dtls_session_equals: same address and port -> 1");
    check(memcmp(ns, &b, sizeof(b)) == 0, NULL,
          "dtls_new_session and dtls_session_init + fill give the same bytes");
    ts_addr(&b, "192.0.2.7", 5685);
    check(dtls_session_equals(ns, &b) == 0, NULL,
          "dtls_session_equals: different port -> 0");
    ts_addr(&b, "192.0.2.8", 5684);
    check(dtls_session_equals(ns, &b) == 0, NULL,
          "dtls_session_equals: different address -> 0");
    ts_addr(&b, "::ffff:192.0.2.7", 5684);
    check(dtls_session_equals(ns, &b) == 0, NULL,
          "dtls_session_equals: other family -> 0");
    dtls_free_session(ns);
  }
  check(dtls_session_addr(NULL, &len) == NULL, NULL,
        "dtls_session_addr(NULL) is NULL");
  dtls_free_session(NULL);

  memset(&sin6, 0, sizeof(sin6));
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(5684);
  inet_pton(AF_INET6, "2001:db8::7", &sin6.sin6_addr);
  ns = dtls_new_session((struct sockaddr *)&sin6, sizeof(sin6));
  if (check(ns != NULL, NULL, "dtls_new_session (IPv6)")) {
    sa = dtls_session_addr(ns, &len);
    check(sa && sa->sa_family == AF_INET6 && len == sizeof(sin6), NULL,
          "dtls_session_addr (IPv6)");
    ts_addr(&b, "2001:db8::7", 5684);
    check(dtls_session_equals(ns, &b) == 1, NULL,
          "dtls_session_equals (IPv6): same -> 1");
    ts_addr(&b, "2001:db8::7", 5683);
    check(dtls_session_equals(ns, &b) == 0, NULL,
          "dtls_session_equals (IPv6): different port -> 0");
    ts_addr(&b, "2001:db8::8", 5684);
    check(dtls_session_equals(ns, &b) == 0, NULL,
          "dtls_session_equals (IPv6): different address -> 0");
    dtls_free_session(ns);
  }

  /* one dual-stack server, an IPv4 and an IPv6 client on the same port */
  reset_net();
  s = add_side("server", 1, TLS_PSK_WITH_AES_128_CCM_8, 0, 5684);
  ts_addr(&s->n.alt, "2001:db8::1", 5684);
  s->n.has_alt = 1;
  c4 = add_side("client4", 0, TLS_PSK_WITH_AES_128_CCM_8, 0, 40000);
  ts_addr(&c4->n.addr, "127.0.0.2", 40000);
  c6 = add_side("client6", 0, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, 1, 40000);
  ts_addr(&c6->n.addr, "2001:db8::2", 40000);
  s->suite = TLS_NULL_WITH_NULL_NULL; /* the library's list */
  fine = dtls_connect(c4->n.ctx, &s->n.addr) > 0 &&
         dtls_connect(c6->n.ctx, &s->n.alt) > 0;
  pump();
  check(fine && has_event(c4, 0, 0, DTLS_EVENT_CONNECTED) &&
            has_event(c6, 0, 0, DTLS_EVENT_CONNECTED),
        fmt_detail("%s; %s", events(c4, 0), events(c6, 0)),
        "IPv4 and IPv6 clients both connect to one context");
  p = dtls_get_peer(s->n.ctx, &c6->n.addr);
  check(p && dtls_peer_is_connected(p) &&
            memcmp(&p->session, &c6->n.addr, sizeof(session_t)) == 0 &&
            p->session.addr.sa.sa_family == AF_INET6,
        NULL, "server peer for the IPv6 session, session equals it");
  p = dtls_get_peer(c6->n.ctx, &s->n.alt);
  check(p && dtls_peer_is_connected(p), NULL,
        "IPv6 client's peer keyed by the server's IPv6 address");
  p = dtls_get_peer(s->n.ctx, &c4->n.addr);
  check(p && dtls_peer_is_connected(p) &&
            p->session.addr.sa.sa_family == AF_INET,
        NULL, "server peer for the IPv4 session");
  dtls_write(s->n.ctx, &c4->n.addr, (uint8 *)"to v4", 5);
  dtls_write(s->n.ctx, &c6->n.addr, (uint8 *)"to v6", 5);
  dtls_write(c6->n.ctx, &s->n.alt, (uint8 *)"from v6", 7);
  pump();
  check(rx_is(c4, "to v4") && rx_is(c6, "to v6") && rx_is(s, "from v6"),
        fmt_detail("client4 \"%s\", client6 \"%s\"", rx_text(c4), rx_text(c6)),
        "data to and from each session goes to the right peer");
  check(memcmp(&s->last_read_session, &c6->n.addr, sizeof(session_t)) == 0,
        NULL, "read callback session is the IPv6 address");
  c4->n_ev = c6->n_ev = 0;
  dtls_free_context(s->n.ctx);
  s->n.ctx = NULL;
  pump();
  check(has_event(c4, 0, 1, 0) && has_event(c6, 0, 1, 0),
        fmt_detail("%s; %s", events(c4, 0), events(c6, 0)),
        "dtls_free_context sends close_notify to both peers");
  check(!dtls_get_peer(c4->n.ctx, &s->n.addr) && !dtls_get_peer(c6->n.ctx, &s->n.alt),
        NULL, "clients have no peer afterwards");
  check(net.errors == 0, fmt_detail("%d", net.errors),
        "no datagram to an unknown address");
  reset_net();
}

/* ------------------------------------------------------------------ */
/* 9. logging                                                           */

#define LOG_MAX 32
static struct {
  log_t level;
  char text[256];
} log_lines[LOG_MAX];
static int n_log;

static void log_capture(log_t level, const char *message) {
  if (n_log < LOG_MAX) {
    log_lines[n_log].level = level;
    snprintf(log_lines[n_log].text, sizeof(log_lines[n_log].text), "%s",
             message);
  }
  n_log++;
}

static void log_quiet(log_t level, const char *message) {
  if (verbose)
    printf("     [log %d] %s", (int)level, message);
}

static int log_has(const char *needle) {
  int i;
  for (i = 0; i < n_log && i < LOG_MAX; i++)
    if (strstr(log_lines[i].text, needle))
      return 1;
  return 0;
}

static void test_logging(void) {
  session_t a;
  static const unsigned char bytes[] = {0x01, 0x02, 0xAB, 0xCD};
  char longmsg[300];
  dtls_context_t *ctx;
  log_t old = dtls_get_log_level();

  section = "9 logging";
  check(strcmp(dtls_package_name(), "tinydtls") == 0, dtls_package_name(),
        "dtls_package_name() is \"tinydtls\"");
  check(strcmp(dtls_package_version(), "0.8.6") == 0, dtls_package_version(),
        "dtls_package_version() is \"0.8.6\"");
  check(old == DTLS_LOG_WARN, fmt_detail("%d", (int)old),
        "default log level is DTLS_LOG_WARN");

  dtls_set_log_handler(log_capture);
  n_log = 0;
  dtls_set_log_level(DTLS_LOG_INFO);
  check(dtls_get_log_level() == DTLS_LOG_INFO, NULL,
        "dtls_get_log_level round-trips DTLS_LOG_INFO");
  dsrv_log(DTLS_LOG_WARN, "first %d\n", 42);
  check(n_log == 1 && log_lines[0].level == DTLS_LOG_WARN &&
            strcmp(log_lines[0].text, "first 42\n") == 0,
        n_log ? log_lines[0].text : "no line",
        "dsrv_log line reaches the handler, formatted, with its level");
  dtls_warn("second %s\n", "line");
  check(n_log == 2 && log_lines[1].level == DTLS_LOG_WARN &&
            strcmp(log_lines[1].text, "second line\n") == 0,
        NULL, "dtls_warn reaches the handler");
  dtls_info("info\n");
  dtls_debug("debug\n");
  check(n_log == 3 && log_lines[2].level == DTLS_LOG_INFO, NULL,
        "at DTLS_LOG_INFO: info passes, debug is filtered");
  dtls_set_log_level(DTLS_LOG_WARN);
  check(dtls_get_log_level() == DTLS_LOG_WARN, NULL,
        "dtls_get_log_level round-trips DTLS_LOG_WARN");
  dtls_info("filtered\n");
  dtls_notice("filtered\n");
  dtls_crit("crit passes\n");
  check(n_log == 4 && log_lines[3].level == DTLS_LOG_CRIT, NULL,
        "at DTLS_LOG_WARN: info/notice filtered, crit passes");
  dtls_set_log_level(DTLS_LOG_EMERG);
  dtls_warn("filtered\n");
  dtls_emerg("emerg\n");
  check(n_log == 5 && log_lines[4].level == DTLS_LOG_EMERG, NULL,
        "at DTLS_LOG_EMERG only emerg passes");
  dtls_set_log_level(DTLS_LOG_DEBUG);
  check(dtls_get_log_level() == DTLS_LOG_DEBUG, NULL,
        "dtls_get_log_level round-trips DTLS_LOG_DEBUG");

  n_log = 0;
  memset(longmsg, 'x', sizeof(longmsg) - 1);
  longmsg[sizeof(longmsg) - 1] = '\0';
  dsrv_log(DTLS_LOG_WARN, "%s", longmsg);
  check(n_log == 1 && strlen(log_lines[0].text) <= 127 &&
            strstr(log_lines[0].text, " ...\n") != NULL,
        n_log ? fmt_detail("%zu chars", strlen(log_lines[0].text)) : "no line",
        "a long message is cut to 127 characters and marked \" ...\"");

  n_log = 0;
  ts_addr(&a, "192.0.2.33", 5684);
  dtls_dsrv_log_addr(DTLS_LOG_WARN, "peer", &a);
  check(n_log == 1 && log_has("peer") && log_has("192.0.2.33") &&
            log_has("5684"),
        n_log ? log_lines[0].text : "no line",
        "dtls_dsrv_log_addr (IPv4) produces a line with address and port");
  ts_addr(&a, "2001:db8::33", 5685);
  dtls_dsrv_log_addr(DTLS_LOG_WARN, "peer6", &a);
  check(n_log == 2 && log_has("2001:db8::33") && log_has("5685"),
        n_log > 1 ? log_lines[1].text : "no line",
        "dtls_dsrv_log_addr (IPv6)");
  n_log = 0;
  dtls_dsrv_hexdump_log(DTLS_LOG_WARN, "blob", bytes, sizeof(bytes), 0);
  check(n_log == 1 && log_has("blob") && log_has("0102ABCD"),
        n_log ? log_lines[0].text : "no line",
        "dtls_dsrv_hexdump_log produces a line with the bytes");
  n_log = 0;
  dtls_dsrv_hexdump_log(DTLS_LOG_WARN, "blob", bytes, sizeof(bytes), 1);
  check(n_log >= 1 && log_has("blob") && log_has("AB"),
        n_log ? log_lines[0].text : "no line",
        "dtls_dsrv_hexdump_log (extended layout) produces lines");
  {
    /* upstream's exact layouts */
    static unsigned char seq[20];
    static char longhex[200];
    int k;
    for (k = 0; k < 20; k++)
      seq[k] = (unsigned char)k;
    n_log = 0;
    dtls_dsrv_hexdump_log(DTLS_LOG_WARN, "rows", seq, sizeof(seq), 1);
    check(n_log == 3 && strcmp(log_lines[0].text, "rows: (20 bytes):\n") == 0 &&
              strcmp(log_lines[1].text, "00000000 00 01 02 03 04 05 06 07  08 09 0A "
                                        "0B 0C 0D 0E 0F \n") == 0 &&
              strcmp(log_lines[2].text, "00000010 10 11 12 13 \n") == 0,
          n_log > 1 ? log_lines[1].text : "no rows",
          "extended dump: header line, then 16-byte rows with an 8-digit offset "
          "and a gap after the eighth byte (upstream's layout)");
    n_log = 0;
    dtls_dsrv_hexdump_log(DTLS_LOG_WARN, "line", seq, 3, 0);
    check(n_log == 1 && strcmp(log_lines[0].text, "line: (3 bytes): 000102\n") == 0,
          n_log ? log_lines[0].text : "no line",
          "one-line dump: \"name: (N bytes): 000102\" (upstream's layout)");
    n_log = 0;
    dtls_dsrv_hexdump_log(DTLS_LOG_WARN, "extended_master_secret", (const unsigned char *)longhex, 48, 0);
    check(n_log == 1 && strlen(log_lines[0].text) == 127 &&
              strcmp(log_lines[0].text + 122, " ...\n") == 0,
          n_log ? log_lines[0].text : "no line",
          "a one-line dump too long for the line is cut after 122 characters "
          "and marked \" ...\" (upstream's layout)");
  }
  n_log = 0;
  dtls_dsrv_hexdump_log(DTLS_LOG_WARN, longmsg, bytes, sizeof(bytes), 0);
  check(n_log == 1 && strlen(log_lines[0].text) <= 127 &&
            strstr(log_lines[0].text, " ...\n") != NULL,
        n_log ? fmt_detail("%zu chars", strlen(log_lines[0].text)) : "no line",
        "dtls_dsrv_hexdump_log with a name longer than a line is cut, not "
        "overrun");
  n_log = 0;
  dtls_set_log_level(DTLS_LOG_WARN);
  dtls_dsrv_hexdump_log(DTLS_LOG_DEBUG, "blob", bytes, sizeof(bytes), 0);
  dtls_debug_hexdump("blob", bytes, sizeof(bytes));
  dtls_dsrv_log_addr(DTLS_LOG_INFO, "peer", &a);
  check(n_log == 0, NULL, "hexdump and log_addr obey the level");

  /* the library's own messages reach the handler */
  n_log = 0;
  ctx = dtls_new_context(NULL);
  dtls_set_mtu(ctx, 1); /* refused with a warning */
  check(n_log >= 1 && log_lines[0].level == DTLS_LOG_WARN,
        n_log ? "" : "no line",
        "library warnings (dtls_set_mtu refusal) reach the handler");
  dtls_free_context(ctx);

  dtls_set_log_handler(log_quiet);
  n_log = 0;
  dtls_warn("not captured\n");
  check(n_log == 0, NULL, "replacing the handler takes effect");
  dtls_set_log_handler(verbose ? NULL : log_quiet);
  dtls_set_log_level(old);
}

/* ------------------------------------------------------------------ */
/* 12. argument refusals                                                */

/* Whether the log holds exactly one line, at DTLS_LOG_WARN, that starts
 * with "fn: " and names arg after that. */
static int refusal_logged(const char *fn, const char *arg) {
  size_t n = strlen(fn);
  return n_log == 1 && log_lines[0].level == DTLS_LOG_WARN &&
         strncmp(log_lines[0].text, fn, n) == 0 &&
         strncmp(log_lines[0].text + n, ": ", 2) == 0 &&
         strstr(log_lines[0].text + n + 2, arg) != NULL;
}

/* One call with an argument the function refuses (or ignores): expr is
 * true when the call returned what it always returned for it, and the log
 * must hold exactly one DTLS_LOG_WARN line naming the function and the
 * argument. */
#define REFUSED(expr, fn, arg)                                              \
  do {                                                                      \
    int ok_;                                                                \
    n_log = 0;                                                              \
    ok_ = (expr);                                                           \
    check(ok_ && refusal_logged(fn, arg),                                   \
          fmt_detail("%s; %d log line(s)%s%s", ok_ ? "result as before"     \
                                                   : "another result",      \
                     n_log, n_log ? ": " : "",                              \
                     n_log ? log_lines[0].text : ""),                       \
          "%s with a bad %s: its result and one WARN line naming both", fn, \
          arg);                                                             \
  } while (0)

static void test_refusals(void) {
  dtls_context_t *ctx;
  dtls_peer_t *peer;
  session_t a;
  uint8 data[64] = {0}, *bufs[2] = {data, NULL};
  size_t lens[2] = {4, 4};
  clock_time_t next = 1;
  socklen_t alen;
  netq_t *node, *queue = NULL;
  dtls_hmac_context_t hmac;
  dtls_sha256_ctx sha;
  dtls_ccm_params_t params = {data, 8, 3};
  rijndael_ctx aes, unset;
  aes_u32 rk[60];
  uint32_t w[9] = {1}, w2[9] = {2}, w3[9] = {3};
  unsigned char k16[16] = {1}, k32[32] = {1}, out[128];
  char hex[DTLS_SHA256_DIGEST_STRING_LENGTH];
  const char *nofmt = NULL;
  log_t old = dtls_get_log_level();

  section = "12 refusals";
  dtls_set_log_handler(log_capture);
  dtls_set_log_level(DTLS_LOG_WARN);
  ts_addr(&a, "192.0.2.7", 5684);
  ctx = dtls_new_context(NULL);
  peer = dtls_new_peer(&a);
  node = netq_node_new(8);
  memset(&unset, 0, sizeof(unset));
  rijndael_set_key_enc_only(&aes, k16, 128);
  if (!check(ctx && peer && node, NULL, "a context, a peer and a netq node"))
    return;

  /* dtls.h */
  REFUSED(dtls_connect(NULL, &a) == -1, "dtls_connect", "ctx");
  REFUSED(dtls_connect(ctx, NULL) == -1, "dtls_connect", "dst");
  REFUSED(dtls_connect_peer(NULL, peer) == -1, "dtls_connect_peer", "ctx");
  REFUSED(dtls_connect_peer(ctx, NULL) == -1, "dtls_connect_peer", "peer");
  REFUSED(dtls_close(NULL, &a) == -1, "dtls_close", "ctx");
  REFUSED(dtls_close(ctx, NULL) == -1, "dtls_close", "remote");
  REFUSED(dtls_renegotiate(NULL, &a) == -1, "dtls_renegotiate", "ctx");
  REFUSED(dtls_renegotiate(ctx, NULL) == -1, "dtls_renegotiate", "dst");
  REFUSED(dtls_write(NULL, &a, data, 4) == -1, "dtls_write", "ctx");
  REFUSED(dtls_write(ctx, NULL, data, 4) == -1, "dtls_write", "session");
  REFUSED(dtls_write(ctx, &a, NULL, 4) == -1, "dtls_write", "buf");
  REFUSED(dtls_writev(NULL, &a, bufs, lens, 1) == -1, "dtls_writev", "ctx");
  REFUSED(dtls_writev(ctx, NULL, bufs, lens, 1) == -1, "dtls_writev", "session");
  REFUSED(dtls_writev(ctx, &a, NULL, lens, 1) == -1, "dtls_writev", "buf_array");
  REFUSED(dtls_writev(ctx, &a, bufs, NULL, 1) == -1, "dtls_writev", "buf_len_array");
  REFUSED(dtls_writev(ctx, &a, bufs, lens, 2) == -1, "dtls_writev", "buf_array[1]");
  REFUSED(dtls_handle_message(NULL, &a, data, 4) == -1, "dtls_handle_message", "ctx");
  REFUSED(dtls_handle_message(ctx, NULL, data, 4) == -1, "dtls_handle_message", "session");
  REFUSED(dtls_handle_message(ctx, &a, NULL, 4) == -1, "dtls_handle_message", "msg");
  REFUSED(dtls_handle_message(ctx, &a, data, -1) == -1, "dtls_handle_message", "msglen");
  REFUSED(dtls_get_peer(NULL, &a) == NULL, "dtls_get_peer", "context");
  REFUSED(dtls_get_peer(ctx, NULL) == NULL, "dtls_get_peer", "session");
  REFUSED((dtls_reset_peer(NULL, peer), 1), "dtls_reset_peer", "context");
  REFUSED((dtls_check_retransmit(NULL, &next), next == 0), "dtls_check_retransmit",
          "context");

  /* dtls_ext.h: a NULL context in the front, values out of range in the
   * engine (its words for the setting) */
  REFUSED(dtls_set_mtu(NULL, 1400) == -1, "dtls_set_mtu", "ctx");
  REFUSED(dtls_set_mtu(ctx, 1) == -1 && dtls_get_mtu(ctx) == DTLS_MAX_BUF, "dtls_set_mtu", "MTU");
  REFUSED(dtls_get_mtu(NULL) == 0, "dtls_get_mtu", "ctx");
  REFUSED(dtls_set_initial_timeout(NULL, 1000) == -1, "dtls_set_initial_timeout", "ctx");
  REFUSED(dtls_set_initial_timeout(ctx, 0) == -1, "dtls_set_initial_timeout", "timeout");
  REFUSED(dtls_get_max_write(NULL, &a) == -1, "dtls_get_max_write", "ctx");
  REFUSED(dtls_get_max_write(ctx, NULL) == -1, "dtls_get_max_write", "session");
  REFUSED(dtls_set_record_size_limit(NULL, 0) == -1, "dtls_set_record_size_limit", "ctx");
  REFUSED(dtls_set_record_size_limit(ctx, 10) == -1, "dtls_set_record_size_limit",
          "record size limit");
  REFUSED(dtls_set_cid_length(NULL, 6) == -1, "dtls_set_cid_length", "ctx");
  REFUSED(dtls_set_cid_length(ctx, 17) == -1, "dtls_set_cid_length", "connection ID");
  REFUSED(dtls_set_limits(NULL, 1, 1) == -1, "dtls_set_limits", "ctx");
  REFUSED(dtls_set_versions(NULL, DTLS_VERSION_1_2, DTLS_VERSION_1_3) == -1,
          "dtls_set_versions", "ctx");
  REFUSED(dtls_set_versions(ctx, 0xfeff, 0) == -1, "dtls_set_versions", "version");
  REFUSED(dtls_set_versions(ctx, 0, 0x0304) == -1, "dtls_set_versions", "version");
  REFUSED(dtls_set_versions(ctx, DTLS_VERSION_1_3, DTLS_VERSION_1_2) == -1,
          "dtls_set_versions", "minimum");
  REFUSED(dtls_get_version(NULL, &a) == -1, "dtls_get_version", "ctx");
  REFUSED(dtls_get_version(ctx, NULL) == -1, "dtls_get_version", "session");
  REFUSED(dtls_ext_go_stats(NULL, 0) == -1, "dtls_ext_go_stats", "out");

  /* session.h, netq.h, dtls_prng.h, dtls_time.h, dtls_debug.h */
  REFUSED((dtls_session_init(NULL), 1), "dtls_session_init", "sess");
  REFUSED(dtls_new_session(NULL, sizeof(struct sockaddr_in)) == NULL, "dtls_new_session", "addr");
  REFUSED(dtls_new_session(&a.addr.sa, sizeof(a.addr) + 1) == NULL, "dtls_new_session",
          "addrlen");
  REFUSED(dtls_session_addr(NULL, &alen) == NULL, "dtls_session_addr", "sess");
  REFUSED(netq_insert_node(NULL, node) == 0, "netq_insert_node", "queue");
  REFUSED(netq_insert_node(&queue, NULL) == 0, "netq_insert_node", "node");
  REFUSED(netq_head(NULL) == NULL, "netq_head", "queue");
  REFUSED(netq_next(NULL) == NULL, "netq_next", "p");
  REFUSED((netq_remove(NULL, node), 1), "netq_remove", "queue");
  REFUSED(netq_pop_first(NULL) == NULL, "netq_pop_first", "queue");
  REFUSED(dtls_prng(NULL, 4) == -1, "dtls_prng", "buf");
  REFUSED((dtls_ticks(NULL), 1), "dtls_ticks", "t");
  REFUSED((dsrv_log(DTLS_LOG_WARN, nofmt), 1), "dsrv_log", "format");
  REFUSED((dump(NULL, 4), 1), "dump", "buf");
  REFUSED((hexdump(NULL, 4), 1), "hexdump", "packet");

  /* crypto.h, hmac.h: refused, or ignored (taken as empty) as always */
  REFUSED(dtls_p_hash(HASH_SHA256, k16, 16, k16, 4, k16, 4, k16, 4, NULL, 32) == 0,
          "dtls_p_hash", "buf");
  REFUSED(dtls_p_hash(HASH_SHA256, NULL, 16, k16, 4, k16, 4, k16, 4, out, 32) == 32,
          "dtls_p_hash", "key");
  REFUSED(dtls_prf(k16, 16, k16, 4, k16, 4, k16, 4, NULL, 32) == 0, "dtls_prf", "buf");
  REFUSED(dtls_prf(k16, 16, NULL, 4, k16, 4, k16, 4, out, 32) == 32, "dtls_prf", "label");
  REFUSED((dtls_mac(NULL, data, data, 4, out), 1), "dtls_mac", "hmac_ctx");
  REFUSED(dtls_encrypt_params(NULL, data, 4, out, k16, 16, NULL, 0) == -1,
          "dtls_encrypt_params", "params");
  params.nonce = NULL;
  REFUSED(dtls_encrypt_params(&params, data, 4, out, k16, 16, NULL, 0) == -1,
          "dtls_encrypt_params", "params->nonce");
  params.nonce = data;
  params.tag_length = 5;
  REFUSED(dtls_encrypt_params(&params, data, 4, out, k16, 16, NULL, 0) == -1,
          "dtls_encrypt_params", "params->tag_length");
  params.tag_length = 8;
  params.l = 9;
  REFUSED(dtls_decrypt_params(&params, data, 12, out, k16, 16, NULL, 0) == -1,
          "dtls_decrypt_params", "params->l");
  params.l = 3;
  REFUSED(dtls_decrypt_params(&params, data, 12, NULL, k16, 16, NULL, 0) == -1,
          "dtls_decrypt_params", "buf");
  REFUSED(dtls_encrypt_params(&params, data, 4, out, k32, 32, NULL, 0) == -1,
          "dtls_encrypt_params", "keylen");
  REFUSED(dtls_encrypt_params(&params, NULL, 4, out, k16, 16, NULL, 0) == -1,
          "dtls_encrypt_params", "src");
  REFUSED(dtls_encrypt(data, 4, out, NULL, k16, 16, NULL, 0) == -1, "dtls_encrypt", "nonce");
  REFUSED(dtls_encrypt(data, 4, out, data, k16, 16, NULL, 3) == 12, "dtls_encrypt", "aad");
  REFUSED(dtls_decrypt(out, 12, out, data, NULL, 16, NULL, 0) == -1, "dtls_decrypt", "key");
  REFUSED(dtls_psk_pre_master_secret(k16, 5, NULL, 20) == -1, "dtls_psk_pre_master_secret",
          "result");
  REFUSED(dtls_psk_pre_master_secret(NULL, 5, out, 20) == -1, "dtls_psk_pre_master_secret",
          "key");
  REFUSED(dtls_psk_pre_master_secret(k16, 5, out, 3) == -1, "dtls_psk_pre_master_secret",
          "result_len");
  REFUSED(dtls_ecdh_pre_master_secret(k32, k32, k32, 31, out, 32) == -1,
          "dtls_ecdh_pre_master_secret", "key_size");
  REFUSED(dtls_ecdh_pre_master_secret(k32, NULL, k32, 32, out, 32) == -1,
          "dtls_ecdh_pre_master_secret", "pub_key_x");
  REFUSED((dtls_ecdsa_generate_key(NULL, out, out + 32, 32), 1), "dtls_ecdsa_generate_key",
          "priv_key");
  REFUSED((dtls_ecdsa_create_sig_hash(k32, 31, k32, 32, w, w2), 1),
          "dtls_ecdsa_create_sig_hash", "key_size");
  REFUSED((dtls_ecdsa_create_sig(k32, 32, k32, 32, k32, 32, k32, 32, NULL, w2), 1),
          "dtls_ecdsa_create_sig", "point_r");
  REFUSED(dtls_ecdsa_verify_sig_hash(NULL, k32, 32, k32, 32, out, out + 32) == -1,
          "dtls_ecdsa_verify_sig_hash", "pub_key_x");
  REFUSED(dtls_ecdsa_verify_sig(k32, k32, 32, k32, 32, k32, 32, k32, 32, NULL, out) == -1,
          "dtls_ecdsa_verify_sig", "result_r");
  REFUSED(dtls_ec_key_asn1_from_uint32(w, 5, out) == 0, "dtls_ec_key_asn1_from_uint32",
          "key_size");
  REFUSED((dtls_hmac_init(NULL, k16, 16), 1), "dtls_hmac_init", "ctx");
  dtls_hmac_init(&hmac, k16, 16);
  REFUSED((dtls_hmac_update(&hmac, NULL, 4), 1), "dtls_hmac_update", "input");
  REFUSED(dtls_hmac_finalize(&hmac, NULL) == 0, "dtls_hmac_finalize", "result");

  /* ccm.h, sha2/sha2.h, aes/rijndael.h */
  REFUSED(dtls_ccm_encrypt_message(NULL, 8, 3, data, out, 4, NULL, 0) == -1,
          "dtls_ccm_encrypt_message", "ctx");
  REFUSED(dtls_ccm_encrypt_message(&unset, 8, 3, data, out, 4, NULL, 0) == -1,
          "dtls_ccm_encrypt_message", "Nr");
  REFUSED(dtls_ccm_encrypt_message(&aes, 5, 3, data, out, 4, NULL, 0) == -1,
          "dtls_ccm_encrypt_message", "M");
  REFUSED(dtls_ccm_decrypt_message(&aes, 8, 9, data, out, 12, NULL, 0) == -1,
          "dtls_ccm_decrypt_message", "L");
  REFUSED(dtls_ccm_decrypt_message(&aes, 8, 3, NULL, out, 12, NULL, 0) == -1,
          "dtls_ccm_decrypt_message", "nonce");
  REFUSED((dtls_sha256_init(NULL), 1), "dtls_sha256_init", "context");
  dtls_sha256_init(&sha);
  REFUSED((dtls_sha256_update(&sha, NULL, 3), 1), "dtls_sha256_update", "data");
  REFUSED((dtls_sha256_final(out, NULL), 1), "dtls_sha256_final", "context");
  REFUSED(dtls_sha256_end(NULL, hex) == hex, "dtls_sha256_end", "context");
  REFUSED(dtls_sha256_data(NULL, 3, hex) == hex, "dtls_sha256_data", "data");
  REFUSED(rijndaelKeySetupEnc(rk, k32, 100) == 0, "rijndaelKeySetupEnc", "keyBits");
  REFUSED((rijndaelEncrypt(rk, 9, data, out), 1), "rijndaelEncrypt", "Nr");
  REFUSED(rijndael_set_key_enc_only(&unset, k32, 192) == -1, "rijndael_set_key_enc_only",
          "bits");
  REFUSED((rijndael_encrypt(&unset, data, out), 1), "rijndael_encrypt", "ctx");

  /* ecc/ecc.h */
  REFUSED((ecc_ec_mult(NULL, w, w2, w3, w3), 1), "ecc_ec_mult", "px");
  REFUSED(ecc_ecdsa_validate(w, w, w, w, NULL) == -1, "ecc_ecdsa_validate", "s");
  REFUSED(ecc_ecdsa_sign(NULL, w, w, w2, w3) == -1, "ecc_ecdsa_sign", "d");
  REFUSED(ecc_is_valid_key(NULL) == 0, "ecc_is_valid_key", "priv_key");
  REFUSED((ecc_ec_add(w, w, w, w, w2, NULL), 1), "ecc_ec_add", "Sy");
  REFUSED((ecc_ec_double(w, w, NULL, w2), 1), "ecc_ec_double", "Dx");
  REFUSED(ecc_add(w, w, NULL, 8) == 0, "ecc_add", "result");
  REFUSED(ecc_sub(NULL, w, w2, 8) == 0, "ecc_sub", "x");
  REFUSED(ecc_fieldAdd(w, w, NULL, w2) == 0, "ecc_fieldAdd", "reducer");
  REFUSED(ecc_fieldSub(w, w, NULL, w2) == 0, "ecc_fieldSub", "modulus");
  REFUSED(ecc_fieldMult(w, NULL, w2, 8) == 0, "ecc_fieldMult", "y");
  REFUSED((ecc_fieldModP(w2, NULL), 1), "ecc_fieldModP", "B");
  REFUSED((ecc_fieldModO(w, NULL, 8), 1), "ecc_fieldModO", "result");
  REFUSED((ecc_fieldInv(w, NULL, w, w2), 1), "ecc_fieldInv", "modulus");
  REFUSED((ecc_copy(w, NULL, 8), 1), "ecc_copy", "to");
  REFUSED(ecc_isSame(w, NULL, 8) == 0, "ecc_isSame", "B");
  REFUSED((ecc_setZero(w2, 0), 1), "ecc_setZero", "length");
  REFUSED(ecc_isOne(NULL) == 0, "ecc_isOne", "A");
  REFUSED((ecc_rshift(NULL), 1), "ecc_rshift", "A");
  REFUSED(ecc_isGreater(NULL, w, 8) == 0, "ecc_isGreater", "A");

  /* what frees accepts NULL as free() does, without a line */
  n_log = 0;
  dtls_free_context(NULL);
  dtls_free_peer(NULL);
  dtls_free_session(NULL);
  dtls_security_free(NULL);
  dtls_handshake_free(NULL);
  netq_node_free(NULL);
  netq_delete_all(NULL);
  dtls_reset_peer(ctx, NULL);
  check(n_log == 0, n_log ? log_lines[0].text : NULL,
        "the free functions (and dtls_reset_peer of a NULL peer) take NULL "
        "silently");

  netq_node_free(node);
  dtls_free_peer(peer);
  dtls_free_context(ctx);
  dtls_set_log_handler(verbose ? NULL : log_quiet);
  dtls_set_log_level(old);
}

/* ------------------------------------------------------------------ */
/* 10. what the write callback returns reaches the caller               */

static void test_write_results(void) {
  side_t *c, *s;
  int r, rec, cev;
  static const struct {
    int report; /* added to the record length when rel */
    int rel;
    int want;
  } cases[] = {{0, 0, 0}, {-3, 0, -3}, {-1, 0, -1}, {0, 1, 5}, {-2, 1, 3}, {7, 0, 0}};
  unsigned i;

  section = "10 write results";
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    /* header, explicit nonce, 5 bytes, CCM_8 tag, and a CID if any */
    rec = 13 + 8 + 5 + 8 + cid_overhead(c, s);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
      c->write_override = 1;
      c->write_result = cases[i].report + (cases[i].rel ? rec : 0);
      r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"hello", 5);
      c->write_override = 0;
      check(r == cases[i].want, fmt_detail("returned %d", r),
            "write callback returns %d for a %d-byte record: dtls_write "
            "returns %d",
            c->write_result, rec, cases[i].want);
    }
    clear_rx(s);
    r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"hello", 5);
    pump();
    check(r == 5 && rx_is(s, "hello"), fmt_detail("returned %d", r),
          "the association still works after failed writes");
  }

  /* dtls_connect returns what the ClientHello's write reported */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  c->write_override = 1;
  c->write_result = 0;
  cev = c->n_ev;
  r = dtls_connect(c->n.ctx, &s->n.addr);
  check(r == 0 && !has_event(c, cev, 0, DTLS_EVENT_CONNECT),
        fmt_detail("returned %d, %s", r, events(c, cev)),
        "write callback returns 0 for the ClientHello: dtls_connect returns "
        "0, no DTLS_EVENT_CONNECT");
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  c->write_override = 1;
  c->write_result = -4;
  cev = c->n_ev;
  r = dtls_connect(c->n.ctx, &s->n.addr);
  check(r == -4 && !has_event(c, cev, 0, DTLS_EVENT_CONNECT) && !peer_of(c, s),
        fmt_detail("returned %d, %s", r, events(c, cev)),
        "write callback returns -4: dtls_connect returns -4, no event, no peer");
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  r = dtls_connect(c->n.ctx, &s->n.addr);
  check(r > 0 && (size_t)r + 13 == c->max_dg,
        fmt_detail("returned %d, datagram %zu", r, c->max_dg),
        "dtls_connect returns the length of the ClientHello message, as "
        "upstream");
}

/* ------------------------------------------------------------------ */
/* 11. peer->state written by the application                           */

static void test_peer_state_written(void) {
  side_t *c, *s;
  dtls_peer_t *p;
  int r, w0;

  section = "11 peer->state";
  /* Wakaama's reconnect: CLOSED, then dtls_reset_peer, and no close_notify */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    p = peer_of(c, s);
    p->state = DTLS_STATE_CLOSED;
    w0 = c->n_writes;
    r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"late", 4);
    check(r == -1 && c->n_writes == w0, fmt_detail("returned %d", r),
          "DTLS_STATE_CLOSED written: dtls_write returns -1, sends nothing");
    dtls_reset_peer(c->n.ctx, p);
    check(c->n_writes == w0 && !peer_of(c, s),
          fmt_detail("%d datagrams", c->n_writes - w0),
          "... dtls_reset_peer sends no close_notify and removes the peer");
    r = dtls_connect(c->n.ctx, &s->n.addr);
    pump();
    check(r > 0 && connected(c, s) && connected(s, c),
          fmt_detail("returned %d", r), "... and a new handshake completes");
  }
  /* without the write, dtls_reset_peer does send close_notify */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    w0 = c->n_writes;
    dtls_reset_peer(c->n.ctx, peer_of(c, s));
    check(c->n_writes == w0 + 1, fmt_detail("%d datagrams", c->n_writes - w0),
          "unmarked peer: dtls_reset_peer sends close_notify");
  }
  /* CLOSING written: dtls_free_context says nothing to that peer */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    peer_of(c, s)->state = DTLS_STATE_CLOSING;
    w0 = c->n_writes;
    dtls_free_context(c->n.ctx);
    c->n.ctx = NULL;
    check(c->n_writes == w0, fmt_detail("%d datagrams", c->n_writes - w0),
          "DTLS_STATE_CLOSING written: dtls_free_context sends no "
          "close_notify");
  }
  /* CLOSED written during a handshake: the handshake stops */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  r = dtls_connect(c->n.ctx, &s->n.addr);
  step(); /* the server answers with a HelloVerifyRequest */
  p = peer_of(c, s);
  if (p)
    p->state = DTLS_STATE_CLOSED;
  w0 = c->n_writes;
  pump();
  check(r > 0 && p && c->n_writes == w0 && !connected(c, s),
        fmt_detail("%d datagrams", c->n_writes - w0),
        "DTLS_STATE_CLOSED written during a handshake: nothing more is sent");
  r = dtls_connect(c->n.ctx, &s->n.addr);
  pump();
  check(r > 0 && connected(c, s), fmt_detail("returned %d", r),
        "... dtls_connect starts afresh and completes");
  /* anything else is put back */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s), NULL, "handshake")) {
    p = peer_of(c, s);
    p->state = DTLS_STATE_WAIT_FINISHED;
    clear_rx(s);
    r = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)"still", 5);
    pump();
    check(r == 5 && rx_is(s, "still") &&
              dtls_peer_state(p) == DTLS_STATE_CONNECTED,
          fmt_detail("returned %d, state %d", r, dtls_peer_state(p)),
          "another state written is ignored (and put back): data still flows");
  }
}

/* ------------------------------------------------------------------ */
/* 13. protocol versions                                                */

/* What both ends of a connected pair report, and what the ServerHello
 * said: "v=FEFC/FEFC sh=FEFC suite=0x1305". */
static const char *version_state(side_t *c, side_t *s) {
  return fmt_detail("dtls_get_version client %04X server %04X; ServerHello "
                    "supported_versions %04X, suite 0x%04X",
                    (unsigned)dtls_get_version(c->n.ctx, &s->n.addr) & 0xffff,
                    (unsigned)dtls_get_version(s->n.ctx, &c->n.addr) & 0xffff,
                    s->server_hello_version, s->server_hello_suite);
}

/* Both ends connected in version v, and the ServerHello says so (1.2:
 * no supported_versions). */
static int in_version(side_t *c, side_t *s, int v) {
  return connected(c, s) && connected(s, c) &&
         dtls_get_version(c->n.ctx, &s->n.addr) == v &&
         dtls_get_version(s->n.ctx, &c->n.addr) == v &&
         s->server_hello_version == (v == DTLS_VERSION_1_3 ? (unsigned)v : 0u);
}

/* Data both ways on a connected pair. */
static int data_both_ways(side_t *c, side_t *s, const char *text) {
  int w1, w2;
  clear_rx(c);
  clear_rx(s);
  w1 = dtls_write(c->n.ctx, &s->n.addr, (uint8 *)text, strlen(text));
  pump();
  w2 = dtls_write(s->n.ctx, &c->n.addr, (uint8 *)text, strlen(text));
  pump();
  return w1 == (int)strlen(text) && w2 == w1 && rx_is(s, text) && rx_is(c, text);
}

/* A pair restricted to suite whose client offers DTLS 1.3 (1.2 too). */
static void pair13(side_t **c, side_t **s, dtls_cipher_t suite) {
  pair(c, s, suite);
  if ((*c)->n.ctx)
    dtls_set_versions((*c)->n.ctx, 0, DTLS_VERSION_1_3);
}

/* A pair made with the environment variables set as given (NULL: unset);
 * the log of dtls_new_context is captured. */
static void pair_env(side_t **c, side_t **s, const char *lo, const char *hi) {
  if (lo)
    setenv("TINYDTLS_GO_MIN_VERSION", lo, 1);
  if (hi)
    setenv("TINYDTLS_GO_MAX_VERSION", hi, 1);
  reset_net();
  dtls_set_log_handler(log_capture);
  n_log = 0;
  *c = add_side("client", 0, TLS_PSK_WITH_AES_128_CCM_8, 0, 40001);
  *s = add_side("server", 1, TLS_PSK_WITH_AES_128_CCM_8, 0, 5684);
  dtls_set_log_handler(verbose ? NULL : log_quiet);
  unsetenv("TINYDTLS_GO_MIN_VERSION");
  unsetenv("TINYDTLS_GO_MAX_VERSION");
}

/* The captured log has a WARN line from dtls_new_context naming name. */
static int env_warned(const char *name) {
  int i;
  for (i = 0; i < n_log && i < LOG_MAX; i++)
    if (log_lines[i].level == DTLS_LOG_WARN &&
        strncmp(log_lines[i].text, "dtls_new_context: ", 18) == 0 &&
        strstr(log_lines[i].text, name))
      return 1;
  return 0;
}

/* Neither end connected; the client got a fatal protocol_version alert.
 * The server refuses the ClientHello before the cookie exchange, keeping
 * no state for the unverified address (and so has no association to
 * report an event for). */
static int refused(side_t *c, side_t *s) {
  return !connected(c, s) && !connected(s, c) &&
         has_event(c, 0, DTLS_ALERT_LEVEL_FATAL, DTLS_ALERT_PROTOCOL_VERSION) &&
         !has_event(s, 0, 0, DTLS_EVENT_CONNECTED) &&
         dtls_get_peer(s->n.ctx, &c->n.addr) == NULL;
}

static void test_versions(void) {
  side_t *c, *s;
  session_t nobody;
  int r, cev, sev;
  size_t i;
  static const struct {
    dtls_cipher_t listed; /* what get_user_parameters lists */
    unsigned wire;        /* the DTLS 1.3 suite the ServerHello must name */
    int rpk;              /* 1: raw public keys, 0: PSK, -1: either */
    const char *name;
  } suites[] = {
      {TLS_AES_128_GCM_SHA256, 0x1301, -1, "TLS_AES_128_GCM_SHA256 listed"},
      {TLS_AES_128_CCM_SHA256, 0x1304, -1, "TLS_AES_128_CCM_SHA256 listed"},
      {TLS_AES_128_CCM_8_SHA256, 0x1305, -1, "TLS_AES_128_CCM_8_SHA256 listed"},
      {TLS_PSK_WITH_AES_128_CCM_8, 0x1305, 0, "only TLS_PSK_WITH_AES_128_CCM_8 listed"},
      {TLS_PSK_WITH_AES_128_CCM, 0x1304, 0, "only TLS_PSK_WITH_AES_128_CCM listed"},
      {TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, 0x1305, 1,
       "only TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 listed"},
      {TLS_ECDHE_ECDSA_WITH_AES_128_CCM, 0x1304, 1,
       "only TLS_ECDHE_ECDSA_WITH_AES_128_CCM listed"},
  };

  section = "13 versions";
  check(DTLS_VERSION_1_2 == 0xfefd && DTLS_VERSION_1_3 == 0xfefc &&
            TLS_AES_128_GCM_SHA256 == 0x1301 && TLS_AES_128_CCM_SHA256 == 0x1304 &&
            TLS_AES_128_CCM_8_SHA256 == 0x1305 && sizeof(dtls_cipher_t) == 4,
        NULL, "the version and suite constants have their wire values; "
              "dtls_cipher_t keeps its size");

  /* the defaults: DTLS 1.2 */
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  check(dtls_connect(c->n.ctx, &s->n.addr) > 0 &&
            dtls_get_version(c->n.ctx, &s->n.addr) == -1,
        NULL, "dtls_get_version is -1 while the handshake runs");
  pump();
  check(in_version(c, s, DTLS_VERSION_1_2), version_state(c, s),
        "default client and server: DTLS 1.2 on both ends, no supported_versions");
  ts_addr(&nobody, "192.0.2.1", 9);
  check(dtls_get_version(c->n.ctx, &nobody) == -1, NULL,
        "dtls_get_version of an unknown session is -1");
  check(dtls_set_versions(c->n.ctx, 0, 0) == 0 &&
            dtls_set_versions(c->n.ctx, DTLS_VERSION_1_2, DTLS_VERSION_1_3) == 0 &&
            dtls_set_versions(c->n.ctx, DTLS_VERSION_1_3, DTLS_VERSION_1_3) == 0 &&
            dtls_set_versions(c->n.ctx, DTLS_VERSION_1_2, DTLS_VERSION_1_2) == 0 &&
            dtls_set_versions(c->n.ctx, DTLS_VERSION_1_3, 0) == 0,
        NULL, "dtls_set_versions accepts 0, 1.2 and 1.3 in order (0)");

  /* DTLS 1.3: the suites, the data, KeyUpdate, close */
  for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
    pair13(&c, &s, suites[i].listed);
    r = handshake(c, s);
    check(r && in_version(c, s, DTLS_VERSION_1_3) &&
              s->server_hello_suite == suites[i].wire,
          version_state(c, s), "client offering 1.3, %s: DTLS 1.3 with 0x%04X",
          suites[i].name, suites[i].wire);
    if (!r)
      continue;
    check(data_both_ways(c, s, "thirteen"), fmt_detail("%s / %s", rx_text(s), rx_text(c)),
          "DTLS 1.3 (%s): data both ways", suites[i].name);
    if (suites[i].rpk >= 0)
      check((c->n_verify > 0 && s->n_verify > 0) == suites[i].rpk &&
                (c->n_verify == 0 && s->n_verify == 0) == !suites[i].rpk,
            fmt_detail("verify_ecdsa_key called %d (client) %d (server) times",
                       c->n_verify, s->n_verify),
            "DTLS 1.3 (%s): %s", suites[i].name,
            suites[i].rpk ? "raw public keys verified by both ends"
                          : "PSK, no raw public key verified");
  }

  pair13(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  if (check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_3), version_state(c, s),
            "DTLS 1.3 PSK handshake for KeyUpdate and close")) {
    cev = c->n_ev;
    sev = s->n_ev;
    r = dtls_renegotiate(c->n.ctx, &s->n.addr);
    pump();
    check(r >= 0 && count_level(c, cev, 2) == 0 && count_level(s, sev, 2) == 0 &&
              in_version(c, s, DTLS_VERSION_1_3),
          fmt_detail("returned %d; %s; %s", r, events(c, cev), events(s, sev)),
          "dtls_renegotiate (a KeyUpdate) by the client: no alert, still DTLS 1.3");
    check(reneg_events(c, cev) && reneg_events(s, sev),
          fmt_detail("%s; %s", events(c, cev), events(s, sev)),
          "and both ends report DTLS_EVENT_RENEGOTIATE then DTLS_EVENT_CONNECTED "
          "(dtls_renegotiate's contract in dtls.h)");
    check(data_both_ways(c, s, "after the client's update"), NULL,
          "data both ways after it");
    cev = c->n_ev;
    sev = s->n_ev;
    r = dtls_renegotiate(s->n.ctx, &c->n.addr);
    pump();
    check(r >= 0 && count_level(c, cev, 2) == 0 && count_level(s, sev, 2) == 0,
          fmt_detail("returned %d; %s; %s", r, events(c, cev), events(s, sev)),
          "dtls_renegotiate (a KeyUpdate) by the server: no alert");
    check(reneg_events(c, cev) && reneg_events(s, sev),
          fmt_detail("%s; %s", events(c, cev), events(s, sev)),
          "and both ends report DTLS_EVENT_RENEGOTIATE then DTLS_EVENT_CONNECTED");
    check(data_both_ways(c, s, "after the server's update"), NULL,
          "data both ways after it");
    sev = s->n_ev;
    r = dtls_close(c->n.ctx, &s->n.addr);
    pump();
    check(r == 0 && has_event(s, sev, DTLS_ALERT_LEVEL_WARNING, DTLS_ALERT_CLOSE_NOTIFY) &&
              dtls_get_version(s->n.ctx, &c->n.addr) == -1,
          fmt_detail("returned %d; %s", r, events(s, sev)),
          "dtls_close: the server gets close_notify; dtls_get_version is -1 after");
  }

  /* fallback and refusal */
  pair13(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  dtls_set_versions(s->n.ctx, 0, DTLS_VERSION_1_2);
  check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_2) &&
            s->server_hello_suite == TLS_PSK_WITH_AES_128_CCM_8,
        version_state(c, s), "client offering 1.3, server up to 1.2: DTLS 1.2");
  pair(&c, &s, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  dtls_set_versions(c->n.ctx, 0, DTLS_VERSION_1_3);
  dtls_set_versions(s->n.ctx, 0, DTLS_VERSION_1_2);
  check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_2) &&
            s->server_hello_suite == TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
        version_state(c, s), "the same with ECDHE-ECDSA: DTLS 1.2");
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  dtls_set_versions(c->n.ctx, DTLS_VERSION_1_3, DTLS_VERSION_1_3);
  dtls_set_versions(s->n.ctx, 0, DTLS_VERSION_1_2);
  r = handshake(c, s);
  check(!r && refused(c, s), fmt_detail("%s; %s", events(c, 0), events(s, 0)),
        "client 1.3 only, server 1.2 only: refused (protocol_version), no association");
  pair(&c, &s, TLS_PSK_WITH_AES_128_CCM_8);
  dtls_set_versions(s->n.ctx, DTLS_VERSION_1_3, DTLS_VERSION_1_3);
  r = handshake(c, s);
  check(!r && refused(c, s), fmt_detail("%s; %s", events(c, 0), events(s, 0)),
        "default client (1.2), server 1.3 only: refused (protocol_version), no association");

  /* the environment variables */
  pair_env(&c, &s, NULL, "1.3");
  check(n_log == 0 || !env_warned("TINYDTLS_GO"), NULL,
        "TINYDTLS_GO_MAX_VERSION=1.3: no warning");
  check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_3), version_state(c, s),
        "TINYDTLS_GO_MAX_VERSION=1.3 at dtls_new_context: DTLS 1.3");
  pair_env(&c, &s, NULL, "1.3");
  check(dtls_set_versions(c->n.ctx, 0, DTLS_VERSION_1_2) == 0 && handshake(c, s) &&
            in_version(c, s, DTLS_VERSION_1_2),
        version_state(c, s),
        "TINYDTLS_GO_MAX_VERSION=1.3, then dtls_set_versions(ctx, 0, 1.2) on the "
        "client: the call wins, DTLS 1.2");
  pair_env(&c, &s, "1.3", NULL);
  check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_3), version_state(c, s),
        "TINYDTLS_GO_MIN_VERSION=1.3 alone: DTLS 1.3 (the maximum follows)");
  pair_env(&c, &s, "1.2", "1.2");
  dtls_set_versions(c->n.ctx, 0, DTLS_VERSION_1_3);
  check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_2), version_state(c, s),
        "TINYDTLS_GO_MAX_VERSION=1.2 keeps a server at DTLS 1.2");
  pair_env(&c, &s, NULL, "1.4");
  check(c->n.ctx && s->n.ctx && env_warned("TINYDTLS_GO_MAX_VERSION"),
        n_log ? log_lines[0].text : "no log line",
        "TINYDTLS_GO_MAX_VERSION=1.4: dtls_new_context warns naming the variable");
  check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_2), version_state(c, s),
        "and ignores it: DTLS 1.2");
  pair_env(&c, &s, "1.3", "1.2");
  check(env_warned("TINYDTLS_GO_MIN_VERSION"), n_log ? log_lines[0].text : "no log line",
        "TINYDTLS_GO_MIN_VERSION=1.3 with MAX 1.2: a warning");
  check(handshake(c, s) && in_version(c, s, DTLS_VERSION_1_2), version_state(c, s),
        "and both ignored: DTLS 1.2");
  reset_net();
}

int main(void) {
  verbose = getenv("API_TEST_VERBOSE") && *getenv("API_TEST_VERBOSE") == '1';
  dtls_init();
  if (!verbose)
    dtls_set_log_handler(log_quiet);

  test_logging();
  test_refusals();
  test_psk_handshake();
  test_ecdhe_handshake();
  test_reentrancy();
  test_write();
  test_alerts();
  test_close();
  test_renegotiate();
  test_retransmit();
  test_sessions();
  test_write_results();
  test_peer_state_written();
  test_versions();

  reset_net();
  dtls_set_log_handler(NULL);
  return ts_summary("api_test");
}
