/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A consumer of an installed libtinydtls, built by ctests/test-cmake.sh
 * through pkg-config (Makefile), find_package(tinydtls) (CMakeLists.txt) and
 * statically. Two contexts in one process, datagrams passed in memory:
 * a PSK handshake and an ECDHE-ECDSA (raw public key) handshake, each
 * followed by one record each way. Exits 0 when everything worked.
 */
#include <tinydtls/tinydtls.h>
#include <tinydtls/dtls.h>
#include "dtls_debug.h"

#include <stdio.h>
#include <string.h>

#define QLEN 64

static unsigned char queue[QLEN][DTLS_MAX_BUF];
static size_t queue_len[QLEN];
static int queue_to[QLEN];
static unsigned head, tail;

static dtls_context_t *ctx[2];   /* 0: client, 1: server */
static session_t addr[2];        /* addr[i]: how context i is seen by the other */
static int connected[2];
static char received[2][32];

/* secp256r1 key pair used by both sides (big-endian). */
static const unsigned char priv[DTLS_EC_KEY_SIZE] = {
  0xD9, 0xE2, 0x70, 0x7A, 0x72, 0xDA, 0x6A, 0x05, 0x04, 0x99, 0x5C, 0x86,
  0xED, 0xDB, 0xE3, 0xEF, 0xC7, 0xF1, 0xCD, 0x74, 0x83, 0x8F, 0x75, 0x70,
  0xC8, 0x07, 0x2D, 0x0A, 0x76, 0x26, 0x1B, 0xD4};
static const unsigned char pub_x[DTLS_EC_KEY_SIZE] = {
  0xD0, 0x55, 0xEE, 0x14, 0x08, 0x4D, 0x6E, 0x06, 0x15, 0x59, 0x9D, 0xB5,
  0x83, 0x91, 0x3E, 0x4A, 0x3E, 0x45, 0x26, 0xA2, 0x70, 0x4D, 0x61, 0xF2,
  0x7A, 0x4C, 0xCF, 0xBA, 0x97, 0x58, 0xEF, 0x9A};
static const unsigned char pub_y[DTLS_EC_KEY_SIZE] = {
  0xB4, 0x18, 0xB6, 0x4A, 0xFE, 0x80, 0x30, 0xDA, 0x1D, 0xDC, 0xF4, 0xF4,
  0x2E, 0x2F, 0x26, 0x31, 0xD0, 0x43, 0xB1, 0xFB, 0x03, 0xE2, 0x2F, 0x4D,
  0x17, 0xDE, 0x43, 0xF9, 0xF9, 0xAD, 0xEE, 0x70};

static int side_of(dtls_context_t *c) { return c == ctx[1]; }

static int do_write(dtls_context_t *c, session_t *s, uint8 *buf, size_t len) {
  (void)s;
  if (tail - head >= QLEN || len > sizeof(queue[0]))
    return -1;
  memcpy(queue[tail % QLEN], buf, len);
  queue_len[tail % QLEN] = len;
  queue_to[tail % QLEN] = !side_of(c);
  tail++;
  return (int)len;
}

static int do_read(dtls_context_t *c, session_t *s, uint8 *buf, size_t len) {
  int side = side_of(c);
  (void)s;
  if (len < sizeof(received[side])) {
    memcpy(received[side], buf, len);
    received[side][len] = '\0';
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
  if (type == DTLS_PSK_IDENTITY) {
    if (result_len < 8)
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, "consumer", 8);
    return 8;
  }
  if (type == DTLS_PSK_KEY) {
    /* The server checks the identity the client sent. */
    if (side_of(c) == 1 && (desc_len != 8 || memcmp(desc, "consumer", 8) != 0))
      return dtls_alert_fatal_create(DTLS_ALERT_DECRYPT_ERROR);
    if (result_len < 9)
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, "secretPSK", 9);
    return 9;
  }
  return 0;
}

static int do_get_key(dtls_context_t *c, const session_t *s,
                      const dtls_ecdsa_key_t **result) {
  static const dtls_ecdsa_key_t key = {DTLS_ECDH_CURVE_SECP256R1, priv, pub_x,
                                       pub_y};
  (void)c;
  (void)s;
  *result = &key;
  return 0;
}

static int do_verify_key(dtls_context_t *c, const session_t *s,
                         const unsigned char *x, const unsigned char *y,
                         size_t size) {
  (void)c;
  (void)s;
  if (size != DTLS_EC_KEY_SIZE || memcmp(x, pub_x, size) != 0 ||
      memcmp(y, pub_y, size) != 0)
    return dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE);
  return 0;
}

static dtls_handler_t psk_handler = {
    .write = do_write,
    .read = do_read,
    .event = do_event,
    .get_psk_info = do_psk,
};

static dtls_handler_t ecdsa_handler = {
    .write = do_write,
    .read = do_read,
    .event = do_event,
    .get_ecdsa_key = do_get_key,
    .verify_ecdsa_key = do_verify_key,
};

/* Delivers queued datagrams until the queue is empty (bounded). */
static void pump(void) {
  int rounds;
  for (rounds = 0; head != tail && rounds < 1000; rounds++) {
    unsigned char dg[DTLS_MAX_BUF];
    int to = queue_to[head % QLEN];
    size_t len = queue_len[head % QLEN];
    memcpy(dg, queue[head % QLEN], len);
    head++;
    dtls_handle_message(ctx[to], &addr[!to], dg, (int)len);
  }
}

static int run(const char *name, dtls_handler_t *h) {
  int i;
  memset(connected, 0, sizeof(connected));
  memset(received, 0, sizeof(received));
  head = tail = 0;
  for (i = 0; i < 2; i++) {
    ctx[i] = dtls_new_context(NULL);
    if (!ctx[i])
      return 1;
    dtls_set_handler(ctx[i], h);
    dtls_session_init(&addr[i]);
    addr[i].addr.sin.sin_family = AF_INET;
    addr[i].addr.sin.sin_port = htons((uint16_t)(5000 + i));
    addr[i].size = sizeof(addr[i].addr.sin);
  }
  if (dtls_connect(ctx[0], &addr[1]) <= 0)
    return 2;
  pump();
  if (!connected[0] || !connected[1])
    return 3;
  if (dtls_write(ctx[0], &addr[1], (uint8 *)"ping", 4) != 4 ||
      dtls_write(ctx[1], &addr[0], (uint8 *)"pong", 4) != 4)
    return 4;
  pump();
  if (strcmp(received[1], "ping") != 0 || strcmp(received[0], "pong") != 0)
    return 5;
  if (!dtls_peer_is_connected(dtls_get_peer(ctx[1], &addr[0])))
    return 6;
  dtls_free_context(ctx[0]);
  dtls_free_context(ctx[1]);
  printf("%s: handshake and data OK\n", name);
  return 0;
}

int main(void) {
  int rc;
  dtls_init();
  dtls_set_log_level(DTLS_LOG_WARN);
  printf("tinydtls %s %s\n", dtls_package_name(), dtls_package_version());
  if ((rc = run("PSK", &psk_handler)) != 0) {
    printf("PSK failed (%d)\n", rc);
    return rc;
  }
  if ((rc = run("ECDHE-ECDSA", &ecdsa_handler)) != 0) {
    printf("ECDHE-ECDSA failed (%d)\n", rc);
    return 10 + rc;
  }
  return 0;
}
