/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * psk-server.c -- a minimal DTLS 1.2 echo server on tinydtls: clients that
 * know the pre-shared key "secretPSK" for the identity "Client_identity"
 * get back what they send. Ctrl-C or SIGTERM closes them all and exits.
 *
 *   psk-server [port]                       (default port 20220)
 *   build: cc psk-server.c $(pkg-config --cflags --libs tinydtls)
 */
#define _POSIX_C_SOURCE 200809L   /* POSIX sockets also under -std=c99 */
#include <tinydtls/tinydtls.h>
#include <tinydtls/dtls.h>

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

static const char psk_identity[] = "Client_identity";
static const char psk_key[] = "secretPSK";

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

/* write: the library has a datagram for a client. The socket is the
 * context's app data (the argument of dtls_new_context). */
static int send_datagram(dtls_context_t *ctx, session_t *peer, uint8 *buf,
                         size_t len) {
  int fd = *(int *)dtls_get_app_data(ctx);
  return (int)sendto(fd, buf, len, 0, &peer->addr.sa, peer->size);
}

/* read: decrypted application data from a client. Print it, echo it. */
static int on_data(dtls_context_t *ctx, session_t *peer, uint8 *data,
                   size_t len) {
  fwrite(data, 1, len, stdout);
  fflush(stdout);
  return dtls_write(ctx, peer, data, len);
}

/* event: level 0 is a library event, 1 or 2 a warning or fatal alert
 * whose code is the alert's description (0: close_notify). */
static int on_event(dtls_context_t *ctx, session_t *peer,
                    dtls_alert_level_t level, unsigned short code) {
  (void)ctx, (void)peer;
  if (level == 0 && code == DTLS_EVENT_CONNECTED)
    fprintf(stderr, "psk-server: handshake complete\n");
  else if (level > 0)
    fprintf(stderr, "psk-server: %s alert %u\n",
            level == DTLS_ALERT_LEVEL_FATAL ? "fatal" : "warning", code);
  return 0;
}

/* get_psk_info: the key for the identity a client named (DTLS_PSK_KEY);
 * for DTLS_PSK_HINT, 0 means "send no identity hint". */
static int get_psk_info(dtls_context_t *ctx, const session_t *peer,
    dtls_credentials_type_t type, const unsigned char *id, size_t id_len,
    unsigned char *result, size_t result_len) {
  (void)ctx, (void)peer;
  if (type != DTLS_PSK_KEY)
    return 0;
  if (id_len != strlen(psk_identity) || memcmp(id, psk_identity, id_len))
    return dtls_alert_fatal_create(DTLS_ALERT_DECRYPT_ERROR);
  if (result_len < strlen(psk_key))
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  memcpy(result, psk_key, strlen(psk_key));
  return (int)strlen(psk_key);
}

/* The callbacks; those left out (ECDSA keys, user parameters) are unused. */
static dtls_handler_t handlers = { .write = send_datagram, .read = on_data,
                                   .event = on_event,
                                   .get_psk_info = get_psk_info };

/* Resends flights whose timer ran out; returns how long select() may sleep:
 * until the next deadline (next, in dtls_ticks), or for ever (NULL). */
static struct timeval *retransmit(dtls_context_t *ctx, struct timeval *tv) {
  dtls_tick_t next = 0, now;
  unsigned long ms = 0;
  dtls_check_retransmit(ctx, &next);
  if (!next)
    return NULL;
  dtls_ticks(&now);
  if (!DTLS_IS_BEFORE_TIME(next, now))     /* not due yet */
    ms = (unsigned long)(next - now) * 1000 / DTLS_TICKS_PER_SECOND;
  tv->tv_sec = (time_t)(ms / 1000);
  tv->tv_usec = (suseconds_t)(ms % 1000 * 1000);
  return tv;
}

int main(int argc, char **argv) {
  struct sockaddr_in addr = { .sin_family = AF_INET };
  dtls_context_t *ctx;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  addr.sin_port = htons(argc > 1 ? (uint16_t)atoi(argv[1]) : 20220);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("psk-server");
    return EXIT_FAILURE;
  }
  signal(SIGINT, on_signal);   /* interrupts select(): the loop ends */
  signal(SIGTERM, on_signal);

  dtls_init();                 /* once, before the first context */
  ctx = dtls_new_context(&fd);
  if (!ctx)
    return EXIT_FAILURE;
  dtls_set_handler(ctx, &handlers);
  fprintf(stderr, "psk-server: listening on port %u\n", ntohs(addr.sin_port));

  while (!stop) {
    struct timeval tv, *timeout = retransmit(ctx, &tv);
    fd_set rfds;
    FD_ZERO(&rfds);
    FD_SET(fd, &rfds);
    if (select(fd + 1, &rfds, NULL, NULL, timeout) > 0) {
      static uint8 buf[DTLS_MAX_BUF];
      session_t from;          /* zeroed: the library looks peers up by it */
      ssize_t len;
      dtls_session_init(&from);
      len = recvfrom(fd, buf, sizeof buf, 0, &from.addr.sa, &from.size);
      if (len > 0)             /* handshakes, decryption, our callbacks */
        dtls_handle_message(ctx, &from, buf, (int)len);
    }
  }
  dtls_free_context(ctx);      /* sends close_notify to every client */
  close(fd);
  return EXIT_SUCCESS;
}
