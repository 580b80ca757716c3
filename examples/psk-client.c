/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * psk-client.c -- a minimal DTLS 1.2 client on tinydtls: sends stdin to the
 * server with the pre-shared key "secretPSK" (identity "Client_identity"),
 * prints the replies and closes once stdin has ended and the last reply is
 * in. Exit status 1 if a fatal alert ended the connection.
 *
 *   psk-client [IPv4 address [port]]        (default 127.0.0.1 20220)
 *   build: cc psk-client.c $(pkg-config --cflags --libs tinydtls)
 */
#define _POSIX_C_SOURCE 200809L   /* POSIX sockets also under -std=c99 */
#include <tinydtls/tinydtls.h>
#include <tinydtls/dtls.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

static const char psk_identity[] = "Client_identity";
static const char psk_key[] = "secretPSK";

static int connected, closed;  /* set by on_event; closed = alert level */
static int pending;            /* records sent, echo not back yet */

/* write: the library has a datagram for the server (socket: app data). */
static int send_datagram(dtls_context_t *ctx, session_t *peer, uint8 *buf,
                         size_t len) {
  int fd = *(int *)dtls_get_app_data(ctx);
  return (int)sendto(fd, buf, len, 0, &peer->addr.sa, peer->size);
}

/* read: decrypted application data from the server. */
static int on_data(dtls_context_t *ctx, session_t *peer, uint8 *data,
                   size_t len) {
  (void)ctx, (void)peer;
  fwrite(data, 1, len, stdout);
  fflush(stdout);
  pending--;
  return 0;
}

/* event: DTLS_EVENT_CONNECTED once the handshake is done; an alert (level
 * 1 warning, 2 fatal; code 0 is close_notify) ends the connection. */
static int on_event(dtls_context_t *ctx, session_t *peer,
                    dtls_alert_level_t level, unsigned short code) {
  (void)ctx, (void)peer;
  if (level == 0 && code == DTLS_EVENT_CONNECTED) {
    fprintf(stderr, "psk-client: handshake complete\n");
    connected = 1;
  } else if (level > 0) {
    fprintf(stderr, "psk-client: %s alert %u\n",
            level == DTLS_ALERT_LEVEL_FATAL ? "fatal" : "warning", code);
    closed = level;
  }
  return 0;
}

/* get_psk_info: first our identity (DTLS_PSK_IDENTITY; id holds the
 * server's hint, if it sent one), then the key for it (DTLS_PSK_KEY). */
static int get_psk_info(dtls_context_t *ctx, const session_t *peer,
    dtls_credentials_type_t type, const unsigned char *id, size_t id_len,
    unsigned char *result, size_t result_len) {
  const char *answer = type == DTLS_PSK_IDENTITY ? psk_identity : psk_key;
  (void)ctx, (void)peer, (void)id, (void)id_len;
  if (type == DTLS_PSK_HINT || result_len < strlen(answer))
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  memcpy(result, answer, strlen(answer));
  return (int)strlen(answer);
}

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
  session_t server;            /* zeroed: the library looks peers up by it */
  dtls_context_t *ctx;
  int fd = socket(AF_INET, SOCK_DGRAM, 0), input = 1;

  dtls_session_init(&server);
  server.size = sizeof server.addr.sin;
  server.addr.sin.sin_family = AF_INET;
  server.addr.sin.sin_port = htons(argc > 2 ? (uint16_t)atoi(argv[2]) : 20220);
  if (fd < 0 || inet_pton(AF_INET, argc > 1 ? argv[1] : "127.0.0.1",
                          &server.addr.sin.sin_addr) != 1 ||
      connect(fd, &server.addr.sa, server.size) < 0)  /* only its datagrams */
    return EXIT_FAILURE;

  dtls_init();                 /* once, before the first context */
  if (!(ctx = dtls_new_context(&fd)))
    return EXIT_FAILURE;
  dtls_set_handler(ctx, &handlers);
  dtls_connect(ctx, &server);  /* sends the ClientHello */

  while (!closed) {
    static uint8 buf[DTLS_MAX_BUF];  /* a datagram, or a chunk of stdin */
    struct timeval tv, *timeout;
    ssize_t len;
    fd_set rfds;
    if (connected && !input && pending <= 0) {
      dtls_close(ctx, &server); /* the server's close_notify ends the loop */
      connected = 0;
    }
    timeout = retransmit(ctx, &tv);
    FD_ZERO(&rfds);
    FD_SET(fd, &rfds);
    if (connected && input)    /* stdin waits until the handshake is done */
      FD_SET(STDIN_FILENO, &rfds);
    if (select(fd + 1, &rfds, NULL, NULL, timeout) <= 0)
      continue;
    /* The socket is connected: whatever arrives is from the server. */
    if (FD_ISSET(fd, &rfds) && (len = recv(fd, buf, sizeof buf, 0)) > 0)
      dtls_handle_message(ctx, &server, buf, (int)len);
    if (FD_ISSET(STDIN_FILENO, &rfds)) {
      if ((len = read(STDIN_FILENO, buf, 1024)) <= 0)  /* one record's worth */
        input = 0;             /* end of input */
      else if (dtls_write(ctx, &server, buf, (size_t)len) > 0)
        pending++;             /* one record; the server echoes it */
    }
  }
  dtls_free_context(ctx);
  close(fd);
  return closed == DTLS_ALERT_LEVEL_FATAL ? EXIT_FAILURE : EXIT_SUCCESS;
}
