/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * repro_common.h -- two contexts in one process on ctests/test_support.h's
 * in-memory network, for the reproducers in this directory. Context 0 is
 * the client, context 1 the server; PSK identity "id", key "secretPSK"
 * (the server takes any identity).
 */
#ifndef REPRO_COMMON_H
#define REPRO_COMMON_H

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"

#include <stdio.h>
#include <string.h>

#define TS_MAX_NODES 2
#include "../../ctests/test_support.h"

static ts_net_t net;
static ts_node_t node[2];
static dtls_context_t *ctx[2]; /* node[i].ctx */
static session_t addr[2];      /* addr[i]: how context i is seen by the other */
static int connected[2], alerts[2], verbose;

static int side(dtls_context_t *c) { return c == ctx[1]; }
static const char *name(int s) { return s ? "server" : "client"; }

static int w(dtls_context_t *c, session_t *s, uint8 *b, size_t n) {
  (void)s;
  if (ts_net_send_to(&node[side(c)], &node[!side(c)], 0, b, n) < 0)
    return -1;
  if (verbose)
    printf("  %s -> %s: %zu bytes, first record: type %d epoch %d\n",
           name(side(c)), name(!side(c)), n, b[0], b[3] << 8 | b[4]);
  return (int)n;
}

static int r(dtls_context_t *c, session_t *s, uint8 *b, size_t n) {
  (void)c;
  (void)s;
  (void)b;
  (void)n;
  return 0;
}

static int e(dtls_context_t *c, session_t *s, dtls_alert_level_t l,
             unsigned short code) {
  (void)s;
  printf("  event on %s: level %d code %d\n", name(side(c)), l, code);
  if (l == 0 && code == DTLS_EVENT_CONNECTED)
    connected[side(c)]++;
  if (l == DTLS_ALERT_LEVEL_FATAL)
    alerts[side(c)]++;
  return 0;
}

static dtls_handler_t h = {.write = w, .read = r, .event = e, .get_psk_info = ts_cb_psk};

static void pump(void) { ts_net_pump(&net, 1 << 30); }

static void setup(void) {
  int i;
  dtls_init();
  dtls_set_log_level(DTLS_LOG_WARN);
  for (i = 0; i < 2; i++) {
    ts_net_add(&net, &node[i], i, "0.0.0.0", 5000 + (unsigned)i, &h);
    node[i].psk_id = "id";
    node[i].psk_accept = NULL;
    ctx[i] = node[i].ctx;
    addr[i] = node[i].addr;
  }
}

#endif
