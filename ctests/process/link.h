/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * link.h -- an in-memory DTLS link between two contexts of one thread, for
 * the process tests (fork.c, signals.c, segv.c, ctxcost.c): a PSK handshake
 * and records, no sockets. Compiles against our headers and upstream's.
 */
#ifndef PROCESS_LINK_H
#define PROCESS_LINK_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"

#define LINK_SLOTS 16
#define LINK_RECORD "0123456789abcdef"

typedef struct {
  dtls_context_t *ctx[2]; /* 0: client, 1: server */
  session_t addr[2];      /* addr[i]: how context i is seen by the other */
  unsigned char q[LINK_SLOTS][1500];
  size_t qlen[LINK_SLOTS];
  int qto[LINK_SLOTS];
  int head, tail;
  int connected[2];
  long bytes, badbytes;
} link_t;

static inline link_t *link_of(dtls_context_t *ctx) {
  return (link_t *)dtls_get_app_data(ctx);
}

static inline int link_side(link_t *l, dtls_context_t *ctx) { return ctx == l->ctx[1]; }

static inline int link_write(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  link_t *l = link_of(ctx);
  (void)s;
  if (l->tail - l->head >= LINK_SLOTS || len > sizeof(l->q[0]))
    return -1;
  memcpy(l->q[l->tail % LINK_SLOTS], buf, len);
  l->qlen[l->tail % LINK_SLOTS] = len;
  l->qto[l->tail % LINK_SLOTS] = !link_side(l, ctx);
  l->tail++;
  return (int)len;
}

/* Replaceable by a test (segv.c crashes in it). */
static inline int link_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  link_t *l = link_of(ctx);
  (void)s;
  if (len != 16 || memcmp(buf, LINK_RECORD, 16) != 0)
    l->badbytes += (long)len;
  l->bytes += (long)len;
  return 0;
}

static inline int link_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t lv,
                      unsigned short code) {
  link_t *l = link_of(ctx);
  (void)s;
  if (lv == 0 && code == DTLS_EVENT_CONNECTED)
    l->connected[link_side(l, ctx)] = 1;
  return 0;
}

static inline int link_psk(dtls_context_t *ctx, const session_t *s,
                    dtls_credentials_type_t type, const unsigned char *desc,
                    size_t dlen, unsigned char *out, size_t olen) {
  (void)ctx;
  (void)s;
  (void)desc;
  (void)dlen;
  if (type == DTLS_PSK_IDENTITY && olen >= 2) {
    memcpy(out, "id", 2);
    return 2;
  }
  if (type == DTLS_PSK_KEY && olen >= 6) {
    memcpy(out, "secret", 6);
    return 6;
  }
  return 0;
}

static dtls_handler_t link_handler = {
    .write = link_write,
    .read = link_read,
    .event = link_event,
    .get_psk_info = link_psk,
};

/* Delivers every queued datagram (and those they cause). */
static inline void link_pump(link_t *l) {
  while (l->head < l->tail) {
    unsigned char dg[1500];
    int to = l->qto[l->head % LINK_SLOTS];
    size_t len = l->qlen[l->head % LINK_SLOTS];
    memcpy(dg, l->q[l->head % LINK_SLOTS], len);
    l->head++;
    dtls_handle_message(l->ctx[to], &l->addr[!to], dg, (int)len);
  }
}

/* Two fresh contexts and a PSK handshake between them; 1 on success. */
static inline int link_up(link_t *l, unsigned port) {
  int i;
  memset(l, 0, sizeof(*l));
  for (i = 0; i < 2; i++) {
    l->ctx[i] = dtls_new_context(l);
    if (!l->ctx[i])
      return 0;
    dtls_set_handler(l->ctx[i], &link_handler);
    dtls_session_init(&l->addr[i]);
    l->addr[i].addr.sin.sin_family = AF_INET;
    l->addr[i].addr.sin.sin_addr.s_addr = htonl(0x7f000001);
    l->addr[i].addr.sin.sin_port = htons((uint16_t)(port + (unsigned)i));
    l->addr[i].size = sizeof(l->addr[i].addr.sin);
  }
  if (dtls_connect(l->ctx[0], &l->addr[1]) < 0)
    return 0;
  link_pump(l);
  return l->connected[0] && l->connected[1];
}

static inline void link_down(link_t *l) {
  int i;
  for (i = 0; i < 2; i++)
    if (l->ctx[i])
      dtls_free_context(l->ctx[i]);
  l->ctx[0] = l->ctx[1] = NULL;
  l->head = l->tail;
}

/* One handshake between fresh contexts and n records from client to
 * server, each checked; 1 on success. */
static inline int link_round(unsigned port, int n) {
  link_t l;
  int i, ok = link_up(&l, port);
  for (i = 0; ok && i < n; i++) {
    if (dtls_write(l.ctx[0], &l.addr[1], (uint8 *)LINK_RECORD, 16) != 16)
      ok = 0;
    link_pump(&l);
  }
  if (ok && (l.bytes != n * 16L || l.badbytes))
    ok = 0;
  link_down(&l);
  return ok;
}

#endif /* PROCESS_LINK_H */
