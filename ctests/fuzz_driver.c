/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_driver.c -- feeds random and mutated datagrams to
 * dtls_handle_message() through the shared library.
 *
 * It first records the datagrams of real PSK and ECDHE handshakes between
 * two contexts over an in-memory transport, then, for the given number of
 * iterations, replays handshake prefixes and hands the contexts mutated
 * copies (bit flips, overwritten bytes and lengths, truncation, splices,
 * duplicated records) and pure noise, from several source addresses. The
 * library must not crash, hang or leak (run it under valgrind), every call
 * must return, and no Go panic may happen: the library recovers from one at
 * the C boundary and logs it at DTLS_LOG_CRIT, which fails the run.
 *
 *   fuzz_driver [iterations] [seed]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"

#define MAX_DG 1500
#define MAX_REC 64
#define TS_MAX_NODES 2
#define TS_QLEN 256
#define TS_DGMAX MAX_DG
#include "test_support.h"

/* The datagrams of the recorded handshakes, [psk, ecdhe]. */
static ts_dgram_t recorded[2][MAX_REC];
static int n_recorded[2];
static int recording = -1;

/* The server (node 0) and the client (node 1), and what is in flight. */
static ts_net_t net;
static ts_node_t server_node, client_node;
#define server server_node.ctx
#define client client_node.ctx
#define server_addr server_node.addr
#define client_addr client_node.addr
static unsigned long long rng_state = 88172645463325252ULL;
static int use_ecdhe;
static unsigned long events, reads, writes;
static unsigned long crit_logs; /* DTLS_LOG_CRIT and worse: internal errors */

static void log_handler(log_t level, const char *message) {
  if (level <= DTLS_LOG_CRIT && crit_logs++ == 0)
    fprintf(stderr, "fuzz_driver: critical log message: %s", message);
}

static unsigned long long rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Queues the datagram for the other context (dropped when the queue is
 * full), and records it while a handshake is recorded. */
static int cb_write(dtls_context_t *ctx, session_t *s, uint8 *buf,
                    size_t len) {
  ts_node_t *from = ts_node_of(ctx);
  (void)s;
  writes++;
  if (len > MAX_DG)
    return -1;
  if (recording >= 0 && n_recorded[recording] < MAX_REC) {
    ts_dgram_t *d = &recorded[recording][n_recorded[recording]++];
    memcpy(d->data, buf, len);
    d->len = len;
    d->from = from->index;
    d->to = !from->index;
  }
  ts_net_send_to(from, net.nodes[!from->index], 0, buf, len);
  return (int)len;
}

static int cb_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  reads++;
  /* Echo, so that established associations produce traffic too. */
  if (ctx == server && len > 0 && len < 200)
    dtls_write(ctx, s, buf, len);
  return 0;
}

static int cb_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t l,
                    unsigned short code) {
  (void)ctx;
  (void)s;
  (void)l;
  (void)code;
  events++;
  return 0;
}

static void cb_params(dtls_context_t *ctx, session_t *s,
                      dtls_user_parameters_t *p) {
  (void)ctx;
  (void)s;
  p->cipher_suites[0] = use_ecdhe ? TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
                                  : TLS_PSK_WITH_AES_128_CCM_8;
  p->cipher_suites[1] = TLS_NULL_WITH_NULL_NULL;
  p->force_extended_master_secret = (unsigned)(rnd() & 1);
  p->force_renegotiation_info = (unsigned)(rnd() & 1);
}

static dtls_handler_t handler = {
    .write = cb_write,
    .read = cb_read,
    .event = cb_event,
    .get_user_parameters = cb_params,
    .get_psk_info = ts_cb_psk,
    .get_ecdsa_key = ts_cb_ecdsa_key,
    .verify_ecdsa_key = ts_cb_verify_any,
};

/* Fresh contexts for both nodes, nothing in flight. PSK identity
 * "identity" and key "secret" (any identity accepted), the server's
 * example key on both sides, any peer key accepted. */
static void new_contexts(void) {
  ts_node_t *nodes[2] = {&server_node, &client_node};
  int i;
  if (server)
    dtls_free_context(server);
  if (client)
    dtls_free_context(client);
  ts_net_reset(&net);
  for (i = 0; i < 2; i++) {
    if (!ts_net_add(&net, nodes[i], i == 0, "127.0.0.1", i == 0 ? 5684 : 40000,
                    &handler)) {
      fprintf(stderr, "fuzz_driver: no context\n");
      exit(2);
    }
    nodes[i]->psk_id = "identity";
    nodes[i]->psk_key = "secret";
    nodes[i]->psk_accept = NULL;
    nodes[i]->key = &example_server_key;
  }
}

/* Delivers queued datagrams, at most budget of them. */
static void pump(int budget) { ts_net_pump(&net, budget); }

static void record_handshake(int ecdhe) {
  use_ecdhe = ecdhe;
  new_contexts();
  recording = ecdhe;
  dtls_connect(client, &server_addr);
  pump(100);
  dtls_write(client, &server_addr, (uint8 *)"hello", 5);
  pump(100);
  recording = -1;
}

static size_t mutate(unsigned char *b, size_t len) {
  int n = 1 + (int)(rnd() % 4), i;
  for (i = 0; i < n && len > 0; i++) {
    size_t at = rnd() % len;
    switch (rnd() % 7) {
    case 0:
      b[at] ^= (unsigned char)(1u << (rnd() % 8));
      break;
    case 1:
      b[at] = (unsigned char)rnd();
      break;
    case 2: /* a length-looking field to an extreme */
      b[at] = (rnd() & 1) ? 0xff : 0x00;
      if (at + 1 < len)
        b[at + 1] = (rnd() & 1) ? 0xff : 0x00;
      break;
    case 3:
      len = at + 1;
      break;
    case 4: { /* duplicate a range */
      size_t from = rnd() % len, cnt = 1 + rnd() % 32;
      if (from + cnt > len)
        cnt = len - from;
      if (len + cnt <= MAX_DG) {
        memmove(b + at + cnt, b + at, len - at);
        memcpy(b + at, b + from + (from >= at ? cnt : 0), cnt);
        len += cnt;
      }
      break;
    }
    case 5: /* epoch or sequence number */
      if (len >= 13) {
        b[3 + rnd() % 8] = (unsigned char)rnd();
      }
      break;
    default: /* content type */
      b[0] = (unsigned char)(20 + rnd() % 7);
      break;
    }
  }
  return len;
}

int main(int argc, char **argv) {
  long iterations = argc > 1 ? atol(argv[1]) : 20000;
  long i;
  time_t start = time(NULL);
  if (argc > 2)
    rng_state = strtoull(argv[2], NULL, 0) | 1;

  dtls_init();
  dtls_set_log_handler(log_handler);
  dtls_set_log_level(DTLS_LOG_CRIT);
  record_handshake(0);
  record_handshake(1);
  if (n_recorded[0] < 4 || n_recorded[1] < 4) {
    fprintf(stderr, "fuzz_driver: handshakes did not run (%d, %d datagrams)\n",
            n_recorded[0], n_recorded[1]);
    return 1;
  }

  /* Episodes: fresh contexts run a live handshake (and some data) while
   * a share of the datagrams in flight is mutated, dropped or joined by
   * mutated recorded datagrams and noise, so the fuzzing reaches every
   * handshake state and established associations too. */
  for (i = 0; i < iterations;) {
    int mode = (int)(rnd() % 2), steps;
    use_ecdhe = mode;
    new_contexts();
    dtls_connect(client, &server_addr);
    for (steps = 0; steps < 60 && i < iterations; steps++, i++) {
      ts_dgram_t d;
      session_t from;
      int inject = rnd() % 4 == 0;
      if (!inject && ts_net_pop(&net, &d)) {
        if (rnd() % 4 == 0)
          d.len = mutate(d.data, d.len);
        else if (rnd() % 16 == 0)
          continue; /* lost */
      } else {
        d = recorded[mode][rnd() % (unsigned)n_recorded[mode]];
        if (rnd() % 8 == 0) {
          int k;
          d.len = (size_t)(rnd() % 300);
          for (k = 0; k < (int)d.len; k++)
            d.data[k] = (unsigned char)rnd();
        } else {
          d.len = mutate(d.data, d.len);
        }
      }
      from = net.nodes[d.from]->addr;
      if (rnd() % 16 == 0)
        from.addr.sin.sin_port = htons((uint16_t)(1000 + rnd() % 50));
      dtls_handle_message(net.nodes[d.to]->ctx, &from, d.data, (int)d.len);
      if (rnd() % 8 == 0)
        dtls_write(client, &server_addr, (uint8 *)"ping", 4);
      if (rnd() % 32 == 0)
        dtls_renegotiate(rnd() & 1 ? client : server,
                         rnd() & 1 ? &server_addr : &client_addr);
      if (rnd() % 16 == 0) {
        clock_time_t next;
        dtls_check_retransmit(server, &next);
        dtls_check_retransmit(client, &next);
      }
    }
  }
  dtls_free_context(server);
  dtls_free_context(client);
  printf("fuzz_driver: %ld iterations in %lds, %lu writes, %lu reads, %lu "
         "events, %lu critical log messages\n",
         iterations, (long)(time(NULL) - start), writes, reads, events,
         crit_logs);
  return crit_logs ? 1 : 0;
}
