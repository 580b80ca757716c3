/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dtls-client.c -- example DTLS client for libtinydtls.
 *
 * Connects to addr:port (default port 20220), then sends every line read
 * from stdin as one application record and writes whatever the server
 * sends back to stdout (or to the -o file).  Lines starting with one of
 * these words are commands instead:
 *
 *   client:close        close the connection (close_notify)
 *   client:exit         close the connection and exit
 *   client:rehandshake  start a fresh handshake from a new context on the
 *                       same socket, abandoning the old association
 *                       (RFC 6347, section 4.2.8)
 *   client:renegotiate  renegotiate the established connection (in DTLS
 *                       1.3: update the keys, a KeyUpdate)
 *
 * stdin is only read while a connection is established, so input piped
 * in before the handshake finishes waits instead of being dropped.  At
 * the end of stdin the client keeps running until client:exit, SIGINT or
 * SIGTERM (exit status 0), or until the peer closes the connection
 * (status 0) or a fatal alert ends it (status 1).
 *
 * Every callback event is reported on stderr as one line
 *   dtls-client: event level=<level> code=<code> (<name>)
 * e.g. "event level=0 code=478 (DTLS_EVENT_CONNECTED)" or
 * "event level=2 code=40 (fatal alert handshake_failure)"
 * and each new association's protocol version (dtls_get_version()) as
 *   dtls-client: connected with DTLS 1.3
 * and each raw public key the verify_ecdsa_key callback accepts as
 *   dtls-client: accepted the server's raw public key (32-byte coordinates)
 * The environment variable TINYDTLS_GO_MAX_VERSION=1.3 (dtls_ext.h) makes
 * the client offer DTLS 1.3.
 */

/* getaddrinfo() and friends also under -std=c99. */
#define _DEFAULT_SOURCE 1

#include "tinydtls.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include "dtls.h"
#include "dtls_debug.h"
#include "dtls_ext.h"
#include "dtls_ciphers_util.h"

#define PROGRAM_TAG "dtls-client"
#define DEFAULT_PORT 20220

/* Longest select() sleep when nothing is due for retransmission. */
#define IDLE_WAIT_MS 5000

/* Receive buffer; larger than DTLS_MAX_BUF to notice oversized records. */
#define MAX_READ_BUF 2000

/* One stdin line (or chunk of a longer line) per record. */
#define LINE_BUF 200

/* PSK material read with -i/-k; the library accepts keys up to 64 bytes. */
#define PSK_FILE_MAX 256
#define PSK_DEFAULT_IDENTITY "Client_identity"
#define PSK_DEFAULT_KEY      "secretPSK"

/* Old contexts kept alive by client:rehandshake (see there). */
#define MAX_RETIRED_CONTEXTS 16

#define CMD_CLOSE       "client:close"
#define CMD_EXIT        "client:exit"
#define CMD_REHANDSHAKE "client:rehandshake"
#define CMD_RENEGOTIATE "client:renegotiate"

static volatile sig_atomic_t quit = 0;   /* set by SIGINT/SIGTERM */
static int exit_requested = 0;           /* set by client:exit */

/* How the connection ended, as seen through the event callback. */
enum { OPEN = 0, CLOSED_BY_ALERT, ABORTED_BY_FATAL_ALERT };
static int connection_end = OPEN;

/* True while the current context has an established connection and new
 * stdin lines can be sent. */
static int connected = 0;
/* True between client:renegotiate and the end of that handshake. */
static int renegotiating = 0;

static dtls_context_t *dtls_context = NULL;
static dtls_context_t *retired[MAX_RETIRED_CONTEXTS];
static size_t retired_count = 0;

static int output_fd = STDOUT_FILENO;

/* Settings applied to every handshake by get_user_parameters(). */
static const dtls_cipher_t *ciphers = NULL;   /* NULL: library defaults */
static unsigned int force_extended_master_secret = 0;
static unsigned int force_renegotiation_info = 0;
/* -z: negotiate a Connection ID (RFC 9146), as upstream's develop client. */
static unsigned int use_cid = 0;
/* -T: first retransmission timeout in ms of every context (0: default). */
static long initial_timeout = 0;

static unsigned char psk_id[PSK_FILE_MAX];
static size_t psk_id_length = 0;
static unsigned char psk_key[PSK_FILE_MAX];
static size_t psk_key_length = 0;

/* The client's secp256r1 key pair (big-endian). */
static const unsigned char client_priv_key[DTLS_EC_KEY_SIZE] = {
  0x41, 0xC1, 0xCB, 0x6B, 0x51, 0x24, 0x7A, 0x14,
  0x43, 0x21, 0x43, 0x5B, 0x7A, 0x80, 0xE7, 0x14,
  0x89, 0x6A, 0x33, 0xBB, 0xAD, 0x72, 0x94, 0xCA,
  0x40, 0x14, 0x55, 0xA1, 0x94, 0xA9, 0x49, 0xFA
};
static const unsigned char client_pub_key_x[DTLS_EC_KEY_SIZE] = {
  0x36, 0xDF, 0xE2, 0xC6, 0xF9, 0xF2, 0xED, 0x29,
  0xDA, 0x0A, 0x9A, 0x8F, 0x62, 0x68, 0x4E, 0x91,
  0x63, 0x75, 0xBA, 0x10, 0x30, 0x0C, 0x28, 0xC5,
  0xE4, 0x7C, 0xFB, 0xF2, 0x5F, 0xA5, 0x8F, 0x52
};
static const unsigned char client_pub_key_y[DTLS_EC_KEY_SIZE] = {
  0x71, 0xA0, 0xD4, 0xFC, 0xDE, 0x1A, 0xB8, 0x78,
  0x5A, 0x3C, 0x78, 0x69, 0x35, 0xA7, 0xCF, 0xAB,
  0xE9, 0x3F, 0x98, 0x72, 0x09, 0xDA, 0xED, 0x0B,
  0x4F, 0xAB, 0xC3, 0x6F, 0xC7, 0x72, 0xF8, 0x29
};

/*
 * Reads the whole file into buf, byte for byte (a trailing newline is
 * part of the identity or key).  Returns the length, or -1 when the file
 * cannot be read or holds more than max bytes.
 */
static long
read_from_file(const char *path, unsigned char *buf, size_t max) {
  FILE *f = fopen(path, "rb");
  size_t n;
  int extra;

  if (!f)
    return -1;
  n = fread(buf, 1, max, f);
  extra = fgetc(f);
  if (ferror(f) || extra != EOF) {
    fclose(f);
    return -1;
  }
  fclose(f);
  return (long)n;
}

static int
get_psk_info(struct dtls_context_t *ctx, const session_t *session,
             dtls_credentials_type_t type,
             const unsigned char *desc, size_t desc_len,
             unsigned char *result, size_t result_length) {
  (void)ctx;
  (void)session;

  switch (type) {
  case DTLS_PSK_IDENTITY:
    if (desc_len)
      dtls_debug("got psk_identity_hint: '%.*s'\n", (int)desc_len,
                 (const char *)desc);
    if (result_length < psk_id_length) {
      dtls_warn("cannot set psk_identity -- buffer too small\n");
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    }
    memcpy(result, psk_id, psk_id_length);
    return (int)psk_id_length;

  case DTLS_PSK_KEY:
    if (desc_len != psk_id_length ||
        (desc_len && memcmp(psk_id, desc, desc_len) != 0)) {
      dtls_warn("PSK for unknown id requested\n");
      return dtls_alert_fatal_create(DTLS_ALERT_ILLEGAL_PARAMETER);
    }
    if (result_length < psk_key_length) {
      dtls_warn("cannot set psk -- buffer too small\n");
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    }
    memcpy(result, psk_key, psk_key_length);
    return (int)psk_key_length;

  case DTLS_PSK_HINT:
  default:
    dtls_warn("unsupported request type: %d\n", (int)type);
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  }
}

static int
get_ecdsa_key(struct dtls_context_t *ctx, const session_t *session,
              const dtls_ecdsa_key_t **result) {
  static const dtls_ecdsa_key_t key = {
    DTLS_ECDH_CURVE_SECP256R1,
    client_priv_key,
    client_pub_key_x,
    client_pub_key_y
  };
  (void)ctx;
  (void)session;

  *result = &key;
  return 0;
}

/*
 * Accepts any server key.  The library only offers ECDHE-ECDSA suites
 * when this callback exists.
 */
static int
verify_ecdsa_key(struct dtls_context_t *ctx, const session_t *session,
                 const unsigned char *other_pub_x,
                 const unsigned char *other_pub_y, size_t key_size) {
  (void)ctx;
  (void)session;
  (void)other_pub_x;
  (void)other_pub_y;
  /* Every key is accepted; the line tells scripts that one was checked. */
  fprintf(stderr, PROGRAM_TAG ": accepted the server's raw public key "
          "(%zu-byte coordinates)\n", key_size);
  fflush(stderr);
  return 0;
}

/*
 * The library's defaults force RFC 7627 and RFC 5746 support on the
 * peer; the example programs only do so on request (-e, -r) so that they
 * interoperate with older peers out of the box.
 */
static void
get_user_parameters(struct dtls_context_t *ctx, session_t *session,
                    dtls_user_parameters_t *params) {
  (void)ctx;
  (void)session;

  params->force_extended_master_secret = force_extended_master_secret;
  params->force_renegotiation_info = force_renegotiation_info;
#if (DTLS_MAX_CID_LENGTH > 0)
  params->support_cid = use_cid;
#endif
  if (ciphers) {
    int i;
    for (i = 0; i < DTLS_MAX_CIPHER_SUITES &&
                ciphers[i] != TLS_NULL_WITH_NULL_NULL; i++)
      params->cipher_suites[i] = ciphers[i];
    params->cipher_suites[i] = TLS_NULL_WITH_NULL_NULL;
  }
}

static int
read_from_peer(struct dtls_context_t *ctx, session_t *session,
               uint8 *data, size_t len) {
  (void)ctx;
  (void)session;

  if (write(output_fd, data, len) < 0)
    dtls_debug("write of received data failed: %s\n", strerror(errno));
  return 0;
}

static int
send_to_peer(struct dtls_context_t *ctx, session_t *session,
             uint8 *data, size_t len) {
  int fd = *(int *)dtls_get_app_data(ctx);
  return (int)sendto(fd, data, len, MSG_DONTWAIT,
                     &session->addr.sa, session->size);
}

/* A name for an event callback's (level, code): the DTLS_EVENT_* macro
 * for level 0, "<level> alert <description>" for alerts. */
static const char *
event_name(dtls_alert_level_t level, unsigned short code) {
  static char buf[48];
  const char *desc = NULL;

  if (level == 0) {
    switch (code) {
    case DTLS_EVENT_CONNECT:     return "DTLS_EVENT_CONNECT";
    case DTLS_EVENT_CONNECTED:   return "DTLS_EVENT_CONNECTED";
    case DTLS_EVENT_RENEGOTIATE: return "DTLS_EVENT_RENEGOTIATE";
    default:                     return "unknown event";
    }
  }
  switch (code) {
  case DTLS_ALERT_CLOSE_NOTIFY:            desc = "close_notify"; break;
  case DTLS_ALERT_UNEXPECTED_MESSAGE:      desc = "unexpected_message"; break;
  case DTLS_ALERT_BAD_RECORD_MAC:          desc = "bad_record_mac"; break;
  case DTLS_ALERT_RECORD_OVERFLOW:         desc = "record_overflow"; break;
  case DTLS_ALERT_DECOMPRESSION_FAILURE:   desc = "decompression_failure"; break;
  case DTLS_ALERT_HANDSHAKE_FAILURE:       desc = "handshake_failure"; break;
  case DTLS_ALERT_BAD_CERTIFICATE:         desc = "bad_certificate"; break;
  case DTLS_ALERT_UNSUPPORTED_CERTIFICATE: desc = "unsupported_certificate"; break;
  case DTLS_ALERT_CERTIFICATE_REVOKED:     desc = "certificate_revoked"; break;
  case DTLS_ALERT_CERTIFICATE_EXPIRED:     desc = "certificate_expired"; break;
  case DTLS_ALERT_CERTIFICATE_UNKNOWN:     desc = "certificate_unknown"; break;
  case DTLS_ALERT_ILLEGAL_PARAMETER:       desc = "illegal_parameter"; break;
  case DTLS_ALERT_UNKNOWN_CA:              desc = "unknown_ca"; break;
  case DTLS_ALERT_ACCESS_DENIED:           desc = "access_denied"; break;
  case DTLS_ALERT_DECODE_ERROR:            desc = "decode_error"; break;
  case DTLS_ALERT_DECRYPT_ERROR:           desc = "decrypt_error"; break;
  case DTLS_ALERT_PROTOCOL_VERSION:        desc = "protocol_version"; break;
  case DTLS_ALERT_INSUFFICIENT_SECURITY:   desc = "insufficient_security"; break;
  case DTLS_ALERT_INTERNAL_ERROR:          desc = "internal_error"; break;
  case DTLS_ALERT_USER_CANCELED:           desc = "user_canceled"; break;
  case DTLS_ALERT_NO_RENEGOTIATION:        desc = "no_renegotiation"; break;
  case DTLS_ALERT_UNSUPPORTED_EXTENSION:   desc = "unsupported_extension"; break;
  default:                                 desc = "unknown"; break;
  }
  snprintf(buf, sizeof(buf), "%s alert %s",
           level == DTLS_ALERT_LEVEL_FATAL ? "fatal" : "warning", desc);
  return buf;
}

/* Prints the protocol version of a new association on stderr:
 *   PROGRAM: connected with DTLS 1.3 */
static void
report_version(struct dtls_context_t *ctx, session_t *session) {
  int v = dtls_get_version(ctx, session);

  fprintf(stderr, PROGRAM_TAG ": connected with %s\n",
          v == DTLS_VERSION_1_3 ? "DTLS 1.3"
          : v == DTLS_VERSION_1_2 ? "DTLS 1.2" : "an unknown version");
  fflush(stderr);
}

static int
handle_event(struct dtls_context_t *ctx, session_t *session,
             dtls_alert_level_t level, unsigned short code) {
  fprintf(stderr, PROGRAM_TAG ": event level=%d code=%u (%s)\n",
          (int)level, (unsigned int)code, event_name(level, code));
  fflush(stderr);
  dtls_info("event level=%d code=%u (%s)\n", (int)level,
            (unsigned int)code, event_name(level, code));
  if (level == 0 && code == DTLS_EVENT_CONNECTED)
    report_version(ctx, session);

  /* Contexts abandoned by client:rehandshake no longer matter. */
  if (ctx != dtls_context)
    return 0;

  if (level == 0) {
    if (code == DTLS_EVENT_CONNECTED || code == DTLS_EVENT_RENEGOTIATE) {
      connected = 1;
      renegotiating = 0;
    }
  } else if (level == DTLS_ALERT_LEVEL_FATAL) {
    connection_end = ABORTED_BY_FATAL_ALERT;
  } else if (code == DTLS_ALERT_CLOSE_NOTIFY) {
    connection_end = CLOSED_BY_ALERT;
  } else if (code == DTLS_ALERT_NO_RENEGOTIATION && renegotiating) {
    /* The server refused; the old session keys remain in use. */
    renegotiating = 0;
    connected = 1;
  }
  return 0;
}

static dtls_handler_t callbacks = {
  .write = send_to_peer,
  .read = read_from_peer,
  .event = handle_event,
  .get_user_parameters = get_user_parameters,
#ifdef DTLS_PSK
  .get_psk_info = get_psk_info,
#endif
#ifdef DTLS_ECC
  .get_ecdsa_key = get_ecdsa_key,
  .verify_ecdsa_key = verify_ecdsa_key,
#endif
};

/* Reads one datagram and hands it to the current context. */
static void
handle_datagram(int fd) {
  static uint8 buf[MAX_READ_BUF];
  session_t session;
  ssize_t len;

  /* The library finds peers by the raw bytes of session_t. */
  memset(&session, 0, sizeof(session));
  session.size = sizeof(session.addr);

  /* MSG_TRUNC reports the real size, so oversized datagrams show up. */
  len = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC,
                 &session.addr.sa, &session.size);
  if (len < 0) {
    if (errno != EINTR && errno != EAGAIN)
      perror("recvfrom");
    return;
  }
  dtls_dsrv_log_addr(DTLS_LOG_DEBUG, "peer", &session);
  if ((size_t)len > sizeof(buf)) {
    dtls_warn("%zd bytes exceed the %zu byte buffer, dropped\n",
              len, sizeof(buf));
    return;
  }
  dtls_debug_dump("bytes from peer", buf, (size_t)len);

  dtls_handle_message(dtls_context, &session, buf, (int)len);
}

/*
 * Runs due retransmissions in every context and returns how long
 * select() may sleep: until the earliest deadline, at most IDLE_WAIT_MS.
 */
static struct timeval
retransmit_and_get_timeout(void) {
  long wait_ms = IDLE_WAIT_MS;
  struct timeval tv;
  dtls_tick_t now;
  size_t i;

  dtls_ticks(&now);
  for (i = 0; i <= retired_count; i++) {
    dtls_context_t *ctx = i < retired_count ? retired[i] : dtls_context;
    clock_time_t next = 0;

    dtls_check_retransmit(ctx, &next);
    if (!next)
      continue;
    if (DTLS_IS_BEFORE_TIME(next, now)) {
      wait_ms = 0;
    } else {
      unsigned long long ms =
        (unsigned long long)(clock_time_t)(next - now) * 1000u /
        DTLS_TICKS_PER_SECOND;
      if (ms < (unsigned long long)wait_ms)
        wait_ms = (long)ms;
    }
  }
  tv.tv_sec = wait_ms / 1000;
  tv.tv_usec = (wait_ms % 1000) * 1000;
  return tv;
}

static void
say(const char *line) {
  /* stdout may be a pipe: flush so the line is not held back behind
   * the raw data written with write(2). */
  printf("%s\n", line);
  fflush(stdout);
}

static int
is_command(const char *cmd, const char *line, size_t len) {
  size_t cmd_len = strlen(cmd);
  return len >= cmd_len && memcmp(line, cmd, cmd_len) == 0;
}

/* Applies the handler and the -T timeout to a new context. */
static int
setup_context(dtls_context_t *ctx) {
  dtls_set_handler(ctx, &callbacks);
  if (initial_timeout > 0 &&
      dtls_set_initial_timeout(ctx, (unsigned int)initial_timeout) < 0)
    return -1;
  return 0;
}

/*
 * Abandons the current association without telling the server and
 * starts a new handshake from a fresh context.  The old context cannot
 * be freed now: that would send close_notify for the very address the
 * new handshake uses, so it is kept until the program ends.
 */
static void
rehandshake(const session_t *dst, int *fd) {
  dtls_context_t *fresh;

  if (retired_count == MAX_RETIRED_CONTEXTS) {
    dtls_warn("too many rehandshakes, ignored\n");
    return;
  }
  fresh = dtls_new_context(fd);
  if (!fresh) {
    dtls_emerg("cannot create context\n");
    return;
  }
  setup_context(fresh);
  retired[retired_count++] = dtls_context;
  dtls_context = fresh;
  connected = 0;
  renegotiating = 0;
  if (dtls_connect(dtls_context, dst) < 0)
    dtls_warn("cannot start the new handshake\n");
}

static void
handle_line(char *line, size_t len, session_t *dst, int *fd) {
  if (is_command(CMD_CLOSE, line, len)) {
    say("client: closing connection");
    connected = 0;
    dtls_close(dtls_context, dst);
  } else if (is_command(CMD_EXIT, line, len)) {
    say("client: exit");
    exit_requested = 1;
  } else if (is_command(CMD_REHANDSHAKE, line, len)) {
    say("client: rehandshake connection");
    rehandshake(dst, fd);
  } else if (is_command(CMD_RENEGOTIATE, line, len)) {
    say("client: renegotiate connection");
    /* Hold further input until the new handshake is over, as records
     * written meanwhile would be dropped. */
    if (dtls_renegotiate(dtls_context, dst) < 0) {
      dtls_warn("renegotiation failed to start\n");
    } else {
      connected = 0;
      renegotiating = 1;
    }
  } else {
    int res = dtls_write(dtls_context, dst, (uint8 *)line, len);
    if (res < 0)
      dtls_warn("dtls_write failed (%d)\n", res);
    else if ((size_t)res < len)
      dtls_warn("only %d of %zu bytes sent\n", res, len);
  }
}

/* Buffered stdin input not yet turned into records. */
static char input[LINE_BUF];
static size_t input_length = 0;
static int stdin_open = 1;

/*
 * Sends or executes every complete line in the input buffer, for as long
 * as the connection stays usable.  A line that does not fit the buffer
 * goes out in pieces, and so does the unterminated tail after EOF.
 */
static void
process_input(session_t *dst, int *fd) {
  while (connected && !exit_requested && input_length > 0) {
    char *nl = memchr(input, '\n', input_length);
    size_t len;

    if (nl)
      len = (size_t)(nl - input) + 1;
    else if (input_length == sizeof(input) || !stdin_open)
      len = input_length;
    else
      break;

    handle_line(input, len, dst, fd);
    memmove(input, input + len, input_length - len);
    input_length -= len;
  }
}

static void
read_stdin(void) {
  ssize_t n = read(STDIN_FILENO, input + input_length,
                   sizeof(input) - input_length);

  if (n > 0) {
    input_length += (size_t)n;
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    if (n < 0)
      perror("read stdin");
    /* Keep the connection: the server may still send data. */
    stdin_open = 0;
  }
}

static void
handle_signal(int sig) {
  (void)sig;
  quit = 1;
}

/* Resolves host to its first IPv6 or IPv4 address; returns the address
 * length, or -1. */
static int
resolve_address(const char *host, struct sockaddr *dst, size_t room) {
  struct addrinfo hints, *res, *ai;
  int err, len = -1;

  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_family = AF_UNSPEC;

  err = getaddrinfo(host && *host ? host : "localhost", NULL, &hints, &res);
  if (err != 0) {
    fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
    return -1;
  }
  for (ai = res; ai; ai = ai->ai_next) {
    if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) &&
        ai->ai_addrlen <= room) {
      memcpy(dst, ai->ai_addr, ai->ai_addrlen);
      len = (int)ai->ai_addrlen;
      break;
    }
  }
  freeaddrinfo(res);
  return len;
}

static void
usage(const char *program, const char *version) {
  const char *slash = strrchr(program, '/');

  if (slash)
    program = slash + 1;
  fprintf(stderr,
          "%s v%s -- DTLS client implementation\n"
          "usage: %s [-c cipher suites] [-e] [-i file] [-k file] [-o file]\n"
          "       %*s [-p port] [-r] [-v num] [-z] [-T ms] addr [port]\n",
          program, version, program, (int)strlen(program), "");
  cipher_suites_usage(stderr, "\t");
  fprintf(stderr,
          "\t-e\t\tforce extended master secret (RFC7627)\n"
          "\t-i file\t\tread PSK identity from file\n"
          "\t-k file\t\tread pre-shared key from file\n"
          "\t-o file\t\toutput received data to this file\n"
          "\t       \t\t(use '-' for STDOUT)\n"
          "\t-p port\t\tlisten on specified port\n"
          "\t       \t\t(default is an ephemeral free port).\n"
          "\t-r\t\tforce renegotiation info (RFC5746)\n"
          "\t-v num\t\tverbosity level (default: 3)\n"
          "\t-z\t\tuse a Connection ID (RFC 9146)\n"
          "\t-T ms\t\tfirst retransmission timeout (default 1000)\n"
          "\tDefault destination port: %d\n",
          DEFAULT_PORT);
}

/* Parses a port number; returns -1 unless it is a whole number 0..65535. */
static long
parse_port(const char *s) {
  char *end;
  long port;

  errno = 0;
  port = strtol(s, &end, 10);
  if (errno || end == s || *end != '\0' || port < 0 || port > 65535)
    return -1;
  return port;
}

/* Creates the socket, bound to local_port if that is not 0. */
static int
open_socket(const session_t *dst, long local_port) {
  int on = 1;
  int fd = socket(dst->addr.sa.sa_family, SOCK_DGRAM, 0);

  if (fd < 0) {
    dtls_alert("socket: %s\n", strerror(errno));
    return -1;
  }
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
    dtls_alert("setsockopt SO_REUSEADDR: %s\n", strerror(errno));
  if (dst->addr.sa.sa_family == AF_INET6) {
#ifdef IPV6_RECVPKTINFO
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
#else
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_PKTINFO, &on, sizeof(on)) < 0)
#endif
      dtls_alert("setsockopt IPV6_PKTINFO: %s\n", strerror(errno));
  } else if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) < 0) {
    dtls_alert("setsockopt IP_PKTINFO: %s\n", strerror(errno));
  }

  if (local_port) {
    session_t local;

    memset(&local, 0, sizeof(local));
    local.addr = dst->addr;
    local.size = dst->size;
    if (local.addr.sa.sa_family == AF_INET6) {
      local.addr.sin6.sin6_addr = in6addr_any;
      local.addr.sin6.sin6_port = htons((uint16_t)local_port);
      dtls_info("bind to local IPv6, port %ld\n", local_port);
    } else {
      local.addr.sin.sin_addr.s_addr = htonl(INADDR_ANY);
      local.addr.sin.sin_port = htons((uint16_t)local_port);
      dtls_info("bind to local IPv4, port %ld\n", local_port);
    }
    if (bind(fd, &local.addr.sa, local.size) < 0) {
      dtls_alert("bind: %s\n", strerror(errno));
      close(fd);
      return -1;
    }
  }
  return fd;
}

int
main(int argc, char **argv) {
  log_t log_level = DTLS_LOG_WARN;
  const char *output_file = NULL;
  long local_port = 0, dst_port = -1;
  struct sigaction sa;
  session_t dst;
  int fd, opt, status;
  size_t i;

  memset(&dst, 0, sizeof(dst));
  dtls_init();

  psk_id_length = strlen(PSK_DEFAULT_IDENTITY);
  memcpy(psk_id, PSK_DEFAULT_IDENTITY, psk_id_length);
  psk_key_length = strlen(PSK_DEFAULT_KEY);
  memcpy(psk_key, PSK_DEFAULT_KEY, psk_key_length);

  /*
   * Options may also follow the address and port: "+" stops getopt at
   * each non-option, which is then taken as the next positional
   * argument before option parsing resumes.
   */
  while (optind < argc) {
    long result;

    opt = getopt(argc, argv, "+c:ei:k:o:p:rv:zT:");
    switch (opt) {
    case 'c':
      ciphers = init_cipher_suites(optarg);
      break;
    case 'e':
      force_extended_master_secret = 1;
      break;
    case 'i':
      result = read_from_file(optarg, psk_id, sizeof(psk_id));
      if (result < 0)
        dtls_warn("cannot read PSK identity\n");
      else
        psk_id_length = (size_t)result;
      break;
    case 'k':
      result = read_from_file(optarg, psk_key, sizeof(psk_key));
      if (result < 0)
        dtls_warn("cannot read PSK\n");
      else
        psk_key_length = (size_t)result;
      break;
    case 'o':
      output_file = optarg;
      break;
    case 'p':
      local_port = parse_port(optarg);
      if (local_port < 0) {
        fprintf(stderr, "invalid port '%s'\n", optarg);
        usage(argv[0], dtls_package_version());
        return EXIT_FAILURE;
      }
      break;
    case 'r':
      force_renegotiation_info = 1;
      break;
    case 'v':
      log_level = (log_t)strtol(optarg, NULL, 10);
      break;
    case 'z':
      use_cid = 1;
      break;
    case 'T':
      initial_timeout = strtol(optarg, NULL, 10);
      if (initial_timeout <= 0) {
        fprintf(stderr, "invalid timeout '%s'\n", optarg);
        usage(argv[0], dtls_package_version());
        return EXIT_FAILURE;
      }
      break;
    case -1:
      if (!dst.size) {
        int len = resolve_address(argv[optind++], &dst.addr.sa,
                                  sizeof(dst.addr));
        if (len < 0) {
          dtls_emerg("failed to resolve address\n");
          return EXIT_FAILURE;
        }
        dst.size = (socklen_t)len;
      } else if (dst_port < 0) {
        dst_port = parse_port(argv[optind]);
        if (dst_port <= 0) {
          fprintf(stderr, "invalid port '%s'\n", argv[optind]);
          usage(argv[0], dtls_package_version());
          return EXIT_FAILURE;
        }
        optind++;
      } else {
        dtls_warn("too many arguments!\n");
        usage(argv[0], dtls_package_version());
        return EXIT_FAILURE;
      }
      break;
    default:
      usage(argv[0], dtls_package_version());
      return EXIT_FAILURE;
    }
  }

  if (!dst.size) {
    dtls_warn("missing destination address!\n");
    usage(argv[0], dtls_package_version());
    return EXIT_FAILURE;
  }
  if (dst_port < 0)
    dst_port = DEFAULT_PORT;
  if (dst.addr.sa.sa_family == AF_INET6)
    dst.addr.sin6.sin6_port = htons((uint16_t)dst_port);
  else
    dst.addr.sin.sin_port = htons((uint16_t)dst_port);

  dtls_set_log_level(log_level);

  if (output_file && strcmp(output_file, "-") != 0) {
    output_fd = open(output_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (output_fd < 0) {
      fprintf(stderr, "cannot open %s: %s\n", output_file, strerror(errno));
      return EXIT_FAILURE;
    }
  }

  fd = open_socket(&dst, local_port);
  if (fd < 0)
    return EXIT_FAILURE;

  /* No SA_RESTART: a signal must interrupt select() so the loop ends. */
  memset(&sa, 0, sizeof(sa));
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = handle_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);

  dtls_context = dtls_new_context(&fd);
  if (!dtls_context) {
    dtls_emerg("cannot create context\n");
    return EXIT_FAILURE;
  }
  if (setup_context(dtls_context) < 0) {
    dtls_free_context(dtls_context);
    return EXIT_FAILURE;
  }

  if (dtls_connect(dtls_context, &dst) < 0) {
    dtls_emerg("cannot start the handshake\n");
    dtls_free_context(dtls_context);
    return EXIT_FAILURE;
  }

  while (!quit && !exit_requested && connection_end == OPEN) {
    struct timeval timeout;
    fd_set rfds;
    int maxfd = fd, ready;
    int want_stdin;

    process_input(&dst, &fd);
    if (exit_requested)
      break;

    timeout = retransmit_and_get_timeout();
    if (connection_end != OPEN)
      break;

    FD_ZERO(&rfds);
    FD_SET(fd, &rfds);
    /* Until the handshake is done, input stays in the pipe. */
    want_stdin = connected && stdin_open && input_length < sizeof(input);
    if (want_stdin) {
      FD_SET(STDIN_FILENO, &rfds);
      if (STDIN_FILENO > maxfd)
        maxfd = STDIN_FILENO;
    }

    ready = select(maxfd + 1, &rfds, NULL, NULL, &timeout);
    if (ready < 0) {
      if (errno != EINTR) {
        perror("select");
        break;
      }
      continue;
    }
    if (ready == 0)
      continue;
    if (FD_ISSET(fd, &rfds))
      handle_datagram(fd);
    if (want_stdin && FD_ISSET(STDIN_FILENO, &rfds))
      read_stdin();
  }

  status = connection_end == ABORTED_BY_FATAL_ALERT ? EXIT_FAILURE
                                                     : EXIT_SUCCESS;

  /* Sends close_notify if the connection is still open. */
  dtls_free_context(dtls_context);
  for (i = 0; i < retired_count; i++)
    dtls_free_context(retired[i]);
  close(fd);
  if (output_fd != STDOUT_FILENO)
    close(output_fd);
  return status;
}
