/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_support.h -- what the C test programs (api_test, threads_test,
 * crypto_test, fuzz_driver, contiki-style) and the benchmarks (bench/)
 * share, so that each of them carries only its own logic:
 *
 *  1. reporting: ts_check() prints "ok   [section: ]what" or
 *     "FAIL [section: ]what: detail" per check, ts_summary() the line
 *     "NAME: N passed, M failed" that ctests/lib.sh's run_checks() reads;
 *  2. credentials and callbacks: the PSK of upstream's example programs,
 *     their secp256r1 keys (example_keys.h), and get_psk_info,
 *     get_ecdsa_key and verify_ecdsa_key callbacks that answer from a
 *     ts_node_t;
 *  3. an in-memory network: up to TS_MAX_NODES contexts (each a ts_node_t,
 *     set as the context's app data, or the first member of the
 *     program's own struct that is), whose write callback queues the
 *     datagram (ts_net_send(), or ts_cb_write itself) and which
 *     ts_net_step() and ts_net_pump() deliver with dtls_handle_message(),
 *     step by step under the program's control;
 *  4. the clock: dtls_ticks() differences, sleeping, select() timeouts
 *     until a dtls_check_retransmit() deadline.
 *
 * Header-only (static functions, unused ones cost nothing); it includes
 * tinydtls.h, dtls.h and dtls_time.h. It uses only the public API that this
 * library and upstream tinydtls have in common: bench/bench_ours.c is
 * also compiled against upstream's headers. Define TS_QLEN (datagrams
 * queued, default 64), TS_DGMAX (largest datagram, default 1536) and
 * TS_MAX_NODES (default 4) before including it to change the network's
 * size; a ts_net_t is TS_QLEN * TS_DGMAX bytes and more.
 */
#ifndef TDTLS_TEST_SUPPORT_H
#define TDTLS_TEST_SUPPORT_H

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_time.h"

#include "example_keys.h"

#ifndef TS_QLEN
#define TS_QLEN 64
#endif
#ifndef TS_DGMAX
#define TS_DGMAX 1536
#endif
#ifndef TS_MAX_NODES
#define TS_MAX_NODES 4
#endif

#if defined(__GNUC__)
#define TS_UNUSED __attribute__((unused))
#define TS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TS_UNUSED
#define TS_PRINTF(f, a)
#endif

/* ------------------------------------------------------------------ */
/* 1. reporting                                                         */

static unsigned ts_passed, ts_failed;
/* Printed before every check's text (with ": ") unless empty. */
static const char *ts_section = "";

/* Reports one check: "ok   what", or "FAIL what: detail" (detail may be
 * NULL or empty). Returns ok. */
static TS_UNUSED TS_PRINTF(3, 4) int ts_check(int ok, const char *detail,
                                              const char *fmt, ...) {
  va_list ap;
  fputs(ok ? "ok   " : "FAIL ", stdout);
  if (ts_section && *ts_section)
    printf("%s: ", ts_section);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  if (!ok && detail && *detail)
    printf(": %s", detail);
  putchar('\n');
  fflush(stdout);
  if (ok)
    ts_passed++;
  else
    ts_failed++;
  return ok;
}

/* A formatted detail for ts_check(), in one of four rotating buffers (so
 * that a check may format more than one). */
static TS_UNUSED TS_PRINTF(1, 2) const char *ts_fmt(const char *fmt, ...) {
  static char buf[4][1024];
  static unsigned which;
  char *out = buf[which++ % 4];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out, sizeof(buf[0]), fmt, ap);
  va_end(ap);
  return out;
}

/* Prints "name: N passed, M failed"; the exit status for main(). */
static TS_UNUSED int ts_summary(const char *name) {
  printf("%s: %u passed, %u failed\n", name, ts_passed, ts_failed);
  fflush(stdout);
  return ts_failed ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* 2. credentials and callbacks                                         */

/* The PSK of upstream's example programs (and of dtls-server/-client). */
#define TS_PSK_IDENTITY "Client_identity"
#define TS_PSK_KEY "secretPSK"

/*
 * The answer of a get_psk_info callback that has the identity id and the
 * key key and, as a server (accept != NULL), gives the key only for the
 * identity accept: for any other, the fatal alert unknown (0: illegal
 * parameter). No hint.
 */
static TS_UNUSED int ts_psk_answer(dtls_credentials_type_t type,
                                   const unsigned char *desc, size_t desc_len,
                                   unsigned char *result, size_t result_length,
                                   const char *id, const char *key,
                                   const char *accept, int unknown) {
  size_t n;
  switch (type) {
  case DTLS_PSK_IDENTITY:
    n = strlen(id);
    if (n > result_length)
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, id, n);
    return (int)n;
  case DTLS_PSK_KEY:
    if (accept && !(desc_len == strlen(accept) && memcmp(desc, accept, desc_len) == 0))
      return dtls_alert_fatal_create(unknown ? unknown : DTLS_ALERT_ILLEGAL_PARAMETER);
    n = strlen(key);
    if (n > result_length)
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, key, n);
    return (int)n;
  default:
    return 0;
  }
}

/* Whether (x, y) of size bytes is the public key of key. */
static TS_UNUSED int ts_key_is(const unsigned char *x, const unsigned char *y,
                               size_t size, const dtls_ecdsa_key_t *key) {
  return size == DTLS_EC_KEY_SIZE && memcmp(x, key->pub_key_x, size) == 0 &&
         memcmp(y, key->pub_key_y, size) == 0;
}

/* ------------------------------------------------------------------ */
/* 3. the in-memory network                                             */

struct ts_net;

/* One context on the network. */
typedef struct ts_node {
  dtls_context_t *ctx;  /* NULL: gone; datagrams to it are lost */
  struct ts_net *net;
  int index;            /* in net->nodes */
  session_t addr;       /* how the others see this node */
  session_t alt;        /* a second address (dual stack), if has_alt */
  int has_alt;
  int is_server;
  /* ts_cb_psk: the node's identity and key; as a server, the identity
   * it accepts (NULL: any) and its alert for another one (0: illegal
   * parameter). */
  const char *psk_id;
  const char *psk_key;
  const char *psk_accept;
  int unknown_id_alert;
  /* ts_cb_ecdsa_key: NULL gives the example key of the node's role. */
  const dtls_ecdsa_key_t *key;
} ts_node_t;

/* A queued datagram. */
typedef struct {
  int from, to;  /* node indexes */
  int alt;       /* sent from the sender's second address */
  size_t len;
  unsigned char data[TS_DGMAX];
} ts_dgram_t;

typedef struct ts_net {
  ts_node_t *nodes[TS_MAX_NODES];
  int n_nodes;
  ts_dgram_t q[TS_QLEN];
  unsigned head, tail;
  /* Datagrams that could not be queued: to an unknown address, longer
   * than TS_DGMAX, or the queue full. */
  int errors;
} ts_net_t;

/* The node of a context whose app data is a ts_node_t. */
static TS_UNUSED ts_node_t *ts_node_of(dtls_context_t *ctx) {
  return (ts_node_t *)dtls_get_app_data(ctx);
}

/* Empties the queue (the nodes stay). */
static TS_UNUSED void ts_net_clear(ts_net_t *n) {
  n->head = n->tail = 0;
  n->errors = 0;
}

/* Empties the network: no nodes, nothing queued. The nodes' contexts are
 * the program's to free. */
static TS_UNUSED void ts_net_reset(ts_net_t *n) {
  n->n_nodes = 0;
  ts_net_clear(n);
}

/* Sets an IPv4 or IPv6 address ("127.0.0.1", "2001:db8::1") and port. */
static TS_UNUSED void ts_addr(session_t *s, const char *ip, unsigned port) {
  dtls_session_init(s);
  if (strchr(ip, ':')) {
    s->addr.sin6.sin6_family = AF_INET6;
    s->addr.sin6.sin6_port = htons((uint16_t)port);
    inet_pton(AF_INET6, ip, &s->addr.sin6.sin6_addr);
    s->size = sizeof(s->addr.sin6);
  } else {
    s->addr.sin.sin_family = AF_INET;
    s->addr.sin.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, ip, &s->addr.sin.sin_addr);
    s->size = sizeof(s->addr.sin);
  }
}

/* Puts node on the network at address ip:port, with the example PSK (a
 * server accepting only its identity) and the example key of its role;
 * creates its context (node as app data, handler h) unless h is NULL.
 * Returns node->ctx. */
static TS_UNUSED dtls_context_t *ts_net_add(ts_net_t *n, ts_node_t *node,
                                            int is_server, const char *ip,
                                            unsigned port, dtls_handler_t *h) {
  memset(node, 0, sizeof(*node));
  node->net = n;
  node->index = n->n_nodes;
  node->is_server = is_server;
  node->psk_id = TS_PSK_IDENTITY;
  node->psk_key = TS_PSK_KEY;
  node->psk_accept = is_server ? TS_PSK_IDENTITY : NULL;
  ts_addr(&node->addr, ip, port);
  if (n->n_nodes < TS_MAX_NODES)
    n->nodes[n->n_nodes++] = node;
  if (h) {
    node->ctx = dtls_new_context(node);
    if (node->ctx)
      dtls_set_handler(node->ctx, h);
  }
  return node->ctx;
}

/* Queues a datagram from node from to node to (the write callback's
 * work); len, or -1 when it cannot be queued (counted in errors). */
static TS_UNUSED int ts_net_send_to(ts_node_t *from, ts_node_t *to, int alt,
                                    const uint8 *buf, size_t len) {
  ts_net_t *n = from->net;
  ts_dgram_t *d;
  if (!to || len > TS_DGMAX || n->tail - n->head >= TS_QLEN) {
    n->errors++;
    return -1;
  }
  d = &n->q[n->tail % TS_QLEN];
  d->from = from->index;
  d->to = to->index;
  d->alt = alt;
  d->len = len;
  memcpy(d->data, buf, len);
  n->tail++;
  return (int)len;
}

/* The node at address s (its addr or alt), or NULL. */
static TS_UNUSED ts_node_t *ts_net_find(ts_net_t *n, const session_t *s) {
  int i;
  for (i = 0; i < n->n_nodes; i++)
    if (dtls_session_equals(&n->nodes[i]->addr, s) ||
        (n->nodes[i]->has_alt && dtls_session_equals(&n->nodes[i]->alt, s)))
      return n->nodes[i];
  return NULL;
}

/* Queues a datagram from node from to the node at address to; a
 * dual-stack sender sends from its address of the receiver's family. */
static TS_UNUSED int ts_net_send(ts_node_t *from, const session_t *to,
                                 const uint8 *buf, size_t len) {
  int alt = from->has_alt &&
            from->alt.addr.sa.sa_family == to->addr.sa.sa_family;
  return ts_net_send_to(from, ts_net_find(from->net, to), alt, buf, len);
}

/* The write callback of a node: queues the datagram. */
static TS_UNUSED int ts_cb_write(dtls_context_t *ctx, session_t *session,
                                 uint8 *buf, size_t len) {
  return ts_net_send(ts_node_of(ctx), session, buf, len);
}

/* The address the receiver of d sees it from. */
static TS_UNUSED const session_t *ts_dgram_src(ts_net_t *n, const ts_dgram_t *d) {
  ts_node_t *from = n->nodes[d->from];
  return d->alt ? &from->alt : &from->addr;
}

/*
 * Delivers the next datagram with dtls_handle_message(): the node it was
 * for, or NULL when nothing was queued. *result (if not NULL) receives
 * dtls_handle_message()'s result, or 0 when the node has no context (the
 * datagram is lost). The datagram stays in its slot until the call
 * returns, so that datagrams written meanwhile cannot overwrite it.
 */
static TS_UNUSED ts_node_t *ts_net_step(ts_net_t *n, int *result) {
  ts_dgram_t *d;
  ts_node_t *to;
  int r = 0;
  if (n->head == n->tail)
    return NULL;
  d = &n->q[n->head % TS_QLEN];
  to = n->nodes[d->to];
  if (to->ctx)
    r = dtls_handle_message(to->ctx, (session_t *)ts_dgram_src(n, d), d->data,
                            (int)d->len);
  n->head++;
  if (result)
    *result = r;
  return to;
}

/* Takes the next datagram off the queue without delivering it (into *out);
 * 0 when nothing was queued. */
static TS_UNUSED int ts_net_pop(ts_net_t *n, ts_dgram_t *out) {
  if (n->head == n->tail)
    return 0;
  *out = n->q[n->head++ % TS_QLEN];
  return 1;
}

/* Delivers until nothing is queued, at most limit datagrams; the number
 * delivered. */
static TS_UNUSED int ts_net_pump(ts_net_t *n, int limit) {
  int k = 0;
  while (k < limit && ts_net_step(n, NULL))
    k++;
  return k;
}

/* get_psk_info from the node's psk_id, psk_key, psk_accept and
 * unknown_id_alert. */
static TS_UNUSED int ts_cb_psk(dtls_context_t *ctx, const session_t *session,
                               dtls_credentials_type_t type,
                               const unsigned char *desc, size_t desc_len,
                               unsigned char *result, size_t result_length) {
  ts_node_t *node = ts_node_of(ctx);
  (void)session;
  return ts_psk_answer(type, desc, desc_len, result, result_length,
                       node->psk_id, node->psk_key, node->psk_accept,
                       node->unknown_id_alert);
}

/* get_ecdsa_key: the node's key, or the example key of its role. */
static TS_UNUSED int ts_cb_ecdsa_key(dtls_context_t *ctx,
                                     const session_t *session,
                                     const dtls_ecdsa_key_t **result) {
  ts_node_t *node = ts_node_of(ctx);
  (void)session;
  *result = node->key ? node->key
                      : node->is_server ? &example_server_key : &example_client_key;
  return 0;
}

/* verify_ecdsa_key that accepts any key, as upstream's examples do. */
static TS_UNUSED int ts_cb_verify_any(dtls_context_t *ctx,
                                      const session_t *session,
                                      const unsigned char *x,
                                      const unsigned char *y, size_t size) {
  (void)ctx;
  (void)session;
  (void)x;
  (void)y;
  (void)size;
  return 0;
}

/* ------------------------------------------------------------------ */
/* 4. the clock                                                         */

static TS_UNUSED clock_time_t ts_ticks(void) {
  dtls_tick_t t;
  dtls_ticks(&t);
  return (clock_time_t)t;
}

/* a - b in ticks, across the 32-bit wrap. */
static TS_UNUSED int32_t ts_tick_diff(clock_time_t a, clock_time_t b) {
  return (int32_t)(a - b);
}

static TS_UNUSED void ts_sleep_ms(unsigned ms) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

/* A select() timeout until next (a dtls_ticks() value from
 * dtls_check_retransmit(), 0: none), at most cap_ms. */
static TS_UNUSED struct timeval ts_until(clock_time_t next, long cap_ms) {
  struct timeval tv;
  long ms = cap_ms;
  if (next) {
    clock_time_t now = ts_ticks();
    if (DTLS_IS_BEFORE_TIME(next, now) || next == now)
      ms = 0;
    else if ((long)(next - now) < ms)
      ms = (long)(next - now);
  }
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

#endif /* TDTLS_TEST_SUPPORT_H */
