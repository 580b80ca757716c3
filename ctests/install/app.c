/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A consumer of the installed library: includes the headers both ways
 * applications do (libcoap uses <tinydtls/...>, upstream's examples the flat
 * names), then runs a PSK handshake and one record between two contexts in
 * memory. Built by test-install.sh with nothing but pkg-config's flags.
 */
#include <tinydtls/tinydtls.h>
#include <tinydtls/dtls.h>
#include "dtls.h"
#include "dtls_debug.h"

#include <stdio.h>
#include <string.h>

/* A datagram queue between the two contexts. */
static unsigned char queue[32][1500];
static size_t queue_len[32];
static int queue_to[32];
static int head, tail;

static dtls_context_t *ctx[2];
static session_t addr[2]; /* addr[i]: how context i is seen by the other */
static int connected[2];
static char received[64];

static int side_of(dtls_context_t *c) { return c == ctx[1]; }

static int do_write(dtls_context_t *c, session_t *s, uint8 *buf, size_t len) {
  (void)s;
  if (tail - head >= 32 || len > sizeof(queue[0]))
    return -1;
  memcpy(queue[tail % 32], buf, len);
  queue_len[tail % 32] = len;
  queue_to[tail % 32] = !side_of(c);
  tail++;
  return (int)len;
}

static int do_read(dtls_context_t *c, session_t *s, uint8 *buf, size_t len) {
  (void)c;
  (void)s;
  if (len < sizeof(received)) {
    memcpy(received, buf, len);
    received[len] = '\0';
  }
  return 0;
}

static int do_event(dtls_context_t *c, session_t *s, dtls_alert_level_t level,
                    unsigned short code) {
  (void)s;
  if (level == 0 && code == DTLS_EVENT_CONNECTED)
    connected[side_of(c)] = 1;
  return 0;
}

static int do_psk(dtls_context_t *c, const session_t *s,
                  dtls_credentials_type_t type, const unsigned char *desc,
                  size_t desc_len, unsigned char *result, size_t result_len) {
  (void)c;
  (void)s;
  (void)desc;
  (void)desc_len;
  if (type == DTLS_PSK_IDENTITY) {
    if (result_len < 4)
      return -1;
    memcpy(result, "test", 4);
    return 4;
  }
  if (type == DTLS_PSK_KEY) {
    if (result_len < 6)
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, "secret", 6);
    return 6;
  }
  return 0;
}

static dtls_handler_t handler = {
    .write = do_write,
    .read = do_read,
    .event = do_event,
    .get_psk_info = do_psk,
};

int main(void) {
  int i, rounds;
  dtls_init();
  dtls_set_log_level(DTLS_LOG_WARN);
  printf("tinydtls %s %s\n", dtls_package_name(), dtls_package_version());
  for (i = 0; i < 2; i++) {
    ctx[i] = dtls_new_context(NULL);
    if (!ctx[i])
      return 1;
    dtls_set_handler(ctx[i], &handler);
    dtls_session_init(&addr[i]);
    addr[i].addr.sin.sin_family = AF_INET;
    addr[i].addr.sin.sin_port = htons((uint16_t)(5000 + i));
    addr[i].size = sizeof(addr[i].addr.sin);
  }
  if (dtls_connect(ctx[0], &addr[1]) <= 0)
    return 2;
  for (rounds = 0; head < tail && rounds < 100; rounds++) {
    int to = queue_to[head % 32];
    unsigned char dg[1500];
    size_t len = queue_len[head % 32];
    memcpy(dg, queue[head % 32], len);
    head++;
    dtls_handle_message(ctx[to], &addr[!to], dg, (int)len);
  }
  if (!connected[0] || !connected[1])
    return 3;
  if (dtls_write(ctx[0], &addr[1], (uint8 *)"ping", 4) != 4)
    return 4;
  while (head < tail) {
    int to = queue_to[head % 32];
    unsigned char dg[1500];
    size_t len = queue_len[head % 32];
    memcpy(dg, queue[head % 32], len);
    head++;
    dtls_handle_message(ctx[to], &addr[!to], dg, (int)len);
  }
  if (strcmp(received, "ping") != 0)
    return 5;
  if (!dtls_peer_is_connected(dtls_get_peer(ctx[1], &addr[0])))
    return 6;
  dtls_free_context(ctx[0]);
  dtls_free_context(ctx[1]);
  printf("handshake and data OK\n");
  return 0;
}
