/*
 * repro_common.h -- two contexts in one process with an in-memory
 * datagram queue, for the reproducers in this directory. Context 0 is the
 * client, context 1 the server.
 */
#ifndef REPRO_COMMON_H
#define REPRO_COMMON_H

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"

#include <stdio.h>
#include <string.h>

static unsigned char q[64][1500];
static size_t ql[64];
static int qto[64];
static unsigned qh, qt;
static dtls_context_t *ctx[2];
static session_t addr[2]; /* addr[i]: how context i is seen by the other */
static int connected[2], alerts[2], verbose;

static int side(dtls_context_t *c) { return c == ctx[1]; }
static const char *name(int s) { return s ? "server" : "client"; }

static int w(dtls_context_t *c, session_t *s, uint8 *b, size_t n) {
  (void)s;
  if (qt - qh >= 64 || n > sizeof q[0])
    return -1;
  memcpy(q[qt % 64], b, n);
  ql[qt % 64] = n;
  qto[qt % 64] = !side(c);
  if (verbose)
    printf("  %s -> %s: %zu bytes, first record: type %d epoch %d\n",
           name(side(c)), name(!side(c)), n, b[0], b[3] << 8 | b[4]);
  qt++;
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

static int psk(dtls_context_t *c, const session_t *s,
               dtls_credentials_type_t t, const unsigned char *d, size_t dl,
               unsigned char *res, size_t rl) {
  (void)c;
  (void)s;
  (void)d;
  (void)dl;
  (void)rl;
  if (t == DTLS_PSK_IDENTITY) {
    memcpy(res, "id", 2);
    return 2;
  }
  if (t == DTLS_PSK_KEY) {
    memcpy(res, "secretPSK", 9);
    return 9;
  }
  return 0;
}

static dtls_handler_t h = {.write = w, .read = r, .event = e, .get_psk_info = psk};

static void pump(void) {
  while (qh != qt) {
    int to = qto[qh % 64];
    unsigned i = qh % 64;
    qh++;
    dtls_handle_message(ctx[to], &addr[!to], q[i], (int)ql[i]);
  }
}

static void setup(void) {
  int i;
  dtls_init();
  dtls_set_log_level(DTLS_LOG_WARN);
  for (i = 0; i < 2; i++) {
    ctx[i] = dtls_new_context(NULL);
    dtls_set_handler(ctx[i], &h);
    dtls_session_init(&addr[i]);
    addr[i].addr.sin.sin_family = AF_INET;
    addr[i].addr.sin.sin_port = htons((uint16_t)(5000 + i));
    addr[i].size = sizeof(struct sockaddr_in);
  }
}

#endif
