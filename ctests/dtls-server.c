/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dtls-server.c -- example DTLS echo server for libtinydtls.
 *
 * Listens on a dual-stack UDP socket (port 20220 unless -p says
 * otherwise), accepts PSK and raw-public-key ECDHE-ECDSA clients, copies
 * every application record it receives to stdout and sends it back.
 * Two records are commands instead: "server:close" closes the sending
 * client's connection and "server:exit" stops the server.
 *
 * Every callback event is reported on stderr as one line
 *   dtls-server: event level=<level> code=<code> (<name>)
 * e.g. "event level=0 code=478 (DTLS_EVENT_CONNECTED)" or
 * "event level=2 code=40 (fatal alert handshake_failure)"
 * and each new association's protocol version (dtls_get_version()) as
 *   dtls-server: connected with DTLS 1.3
 * and each raw public key the verify_ecdsa_key callback accepts as
 *   dtls-server: accepted the client's raw public key (32-byte coordinates)
 * so that scripts can follow the handshake. The server negotiates DTLS 1.3
 * with clients that offer it; the environment variables of dtls_ext.h
 * change that (TINYDTLS_GO_MAX_VERSION=1.2: DTLS 1.2 only,
 * TINYDTLS_GO_MIN_VERSION=1.3: DTLS 1.3 only).
 *
 * Options beyond upstream's (upstream's options are unchanged):
 *   -H hint  send this PSK identity hint (in a ServerKeyExchange)
 *   -n       do not authenticate ECDHE-ECDSA clients: without a
 *            verify_ecdsa_key callback no CertificateRequest is sent
 *   -T ms    first retransmission timeout (dtls_set_initial_timeout)
 */

/* getaddrinfo() and friends also under -std=c99. */
#define _DEFAULT_SOURCE 1

#include "tinydtls.h"

#include <errno.h>
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

#define PROGRAM_TAG "dtls-server"
#define DEFAULT_PORT 20220

/* Longest select() sleep when nothing is due for retransmission. */
#define IDLE_WAIT_MS 5000

#define CMD_CLOSE "server:close"
#define CMD_EXIT  "server:exit"

static volatile sig_atomic_t quit = 0;   /* set by SIGINT/SIGTERM */
static int exit_requested = 0;           /* set by the server:exit command */

/* Settings applied to every handshake by get_user_parameters(). */
static const dtls_cipher_t *ciphers = NULL;   /* NULL: library defaults */
static unsigned int force_extended_master_secret = 0;
static unsigned int force_renegotiation_info = 0;

/* -H: the PSK identity hint to send (NULL: none, no ServerKeyExchange). */
static const char *psk_hint = NULL;

/* The server's secp256r1 key pair (big-endian). */
static const unsigned char server_priv_key[DTLS_EC_KEY_SIZE] = {
  0xD9, 0xE2, 0x70, 0x7A, 0x72, 0xDA, 0x6A, 0x05,
  0x04, 0x99, 0x5C, 0x86, 0xED, 0xDB, 0xE3, 0xEF,
  0xC7, 0xF1, 0xCD, 0x74, 0x83, 0x8F, 0x75, 0x70,
  0xC8, 0x07, 0x2D, 0x0A, 0x76, 0x26, 0x1B, 0xD4
};
static const unsigned char server_pub_key_x[DTLS_EC_KEY_SIZE] = {
  0xD0, 0x55, 0xEE, 0x14, 0x08, 0x4D, 0x6E, 0x06,
  0x15, 0x59, 0x9D, 0xB5, 0x83, 0x91, 0x3E, 0x4A,
  0x3E, 0x45, 0x26, 0xA2, 0x70, 0x4D, 0x61, 0xF2,
  0x7A, 0x4C, 0xCF, 0xBA, 0x97, 0x58, 0xEF, 0x9A
};
static const unsigned char server_pub_key_y[DTLS_EC_KEY_SIZE] = {
  0xB4, 0x18, 0xB6, 0x4A, 0xFE, 0x80, 0x30, 0xDA,
  0x1D, 0xDC, 0xF4, 0xF4, 0x2E, 0x2F, 0x26, 0x31,
  0xD0, 0x43, 0xB1, 0xFB, 0x03, 0xE2, 0x2F, 0x4D,
  0x17, 0xDE, 0x43, 0xF9, 0xF9, 0xAD, 0xEE, 0x70
};

/*
 * The identities this server knows.  Lengths are explicit because the
 * last entry is binary: an identity of two NUL bytes whose key is a
 * single NUL byte.
 */
struct psk_entry {
  const char *identity;
  size_t identity_length;
  const char *key;
  size_t key_length;
};

static const struct psk_entry psk_table[] = {
  { "Client_identity", 15, "secretPSK", 9 },
  { "default identity", 16, "\x11\x22\x33", 3 },
  { "\0", 2, "", 1 },
};

static int
get_psk_info(struct dtls_context_t *ctx, const session_t *session,
             dtls_credentials_type_t type,
             const unsigned char *desc, size_t desc_len,
             unsigned char *result, size_t result_length) {
  size_t i;
  (void)ctx;
  (void)session;

  /* Returning 0 for the hint means no ServerKeyExchange is sent. */
  if (type == DTLS_PSK_HINT && psk_hint) {
    size_t n = strlen(psk_hint);
    if (result_length < n) {
      dtls_warn("buffer too small for the PSK identity hint\n");
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    }
    memcpy(result, psk_hint, n);
    return (int)n;
  }
  if (type != DTLS_PSK_KEY)
    return 0;

  for (i = 0; desc && i < sizeof(psk_table) / sizeof(psk_table[0]); i++) {
    const struct psk_entry *e = &psk_table[i];

    if (desc_len != e->identity_length ||
        memcmp(desc, e->identity, desc_len) != 0)
      continue;
    if (result_length < e->key_length) {
      dtls_warn("buffer too small for PSK\n");
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    }
    memcpy(result, e->key, e->key_length);
    return (int)e->key_length;
  }

  dtls_info("no PSK for identity '%.*s'\n", (int)desc_len,
            desc ? (const char *)desc : "");
  return dtls_alert_fatal_create(DTLS_ALERT_DECRYPT_ERROR);
}

static int
get_ecdsa_key(struct dtls_context_t *ctx, const session_t *session,
              const dtls_ecdsa_key_t **result) {
  static const dtls_ecdsa_key_t key = {
    DTLS_ECDH_CURVE_SECP256R1,
    server_priv_key,
    server_pub_key_x,
    server_pub_key_y
  };
  (void)ctx;
  (void)session;

  *result = &key;
  return 0;
}

/*
 * Accepts any client key.  Having this callback at all makes the server
 * ask ECDHE-ECDSA clients for their key (mutual authentication); -n
 * removes it from the handler.
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
  fprintf(stderr, PROGRAM_TAG ": accepted the client's raw public key "
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
  if (ciphers) {
    int i;
    for (i = 0; i < DTLS_MAX_CIPHER_SUITES &&
                ciphers[i] != TLS_NULL_WITH_NULL_NULL; i++)
      params->cipher_suites[i] = ciphers[i];
    params->cipher_suites[i] = TLS_NULL_WITH_NULL_NULL;
  }
}

static int
starts_with(const char *cmd, const uint8 *data, size_t len) {
  size_t cmd_len = strlen(cmd);
  return len >= cmd_len && memcmp(data, cmd, cmd_len) == 0;
}

static void
say(const char *line) {
  /* stdout may be a pipe: flush so the line is not held back behind
   * the raw data written with write(2). */
  printf("%s\n", line);
  fflush(stdout);
}

static int
read_from_peer(struct dtls_context_t *ctx, session_t *session,
               uint8 *data, size_t len) {
  if (write(STDOUT_FILENO, data, len) < 0)
    dtls_debug("write to stdout failed: %s\n", strerror(errno));

  if (starts_with(CMD_CLOSE, data, len)) {
    say("server: closing connection");
    dtls_close(ctx, session);
    return (int)len;
  }
  if (starts_with(CMD_EXIT, data, len)) {
    say("server: exit");
    exit_requested = 1;
    return (int)len;
  }

  return dtls_write(ctx, session, data, len);
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

/* Reads one datagram and hands it to the library. */
static void
handle_datagram(dtls_context_t *ctx, int fd) {
  static uint8 buf[DTLS_MAX_BUF];
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
  dtls_dsrv_log_addr(DTLS_LOG_DEBUG, "datagram from", &session);
  if ((size_t)len > sizeof(buf)) {
    dtls_warn("%zd bytes exceed the %zu byte buffer, dropped\n",
              len, sizeof(buf));
    return;
  }
  dtls_debug_dump("bytes from peer", buf, (size_t)len);

  dtls_handle_message(ctx, &session, buf, (int)len);
}

/*
 * Runs due retransmissions and returns how long select() may sleep:
 * until the library's next deadline, but never longer than IDLE_WAIT_MS.
 */
static struct timeval
retransmit_and_get_timeout(dtls_context_t *ctx) {
  clock_time_t next = 0;
  long wait_ms = IDLE_WAIT_MS;
  struct timeval tv;

  dtls_check_retransmit(ctx, &next);
  if (next) {
    dtls_tick_t now;

    dtls_ticks(&now);
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
handle_signal(int sig) {
  (void)sig;
  quit = 1;
}

/* Resolves host to its first IPv6 or IPv4 address; returns the address
 * length, or -1. */
static int
resolve_address(const char *host, struct sockaddr_storage *out) {
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
        ai->ai_addrlen <= sizeof(*out)) {
      memset(out, 0, sizeof(*out));
      memcpy(out, ai->ai_addr, ai->ai_addrlen);
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
          "%s v%s -- DTLS server implementation\n"
          "usage: %s [-A address] [-c cipher suites] [-e] [-p port] [-r] [-v num]\n"
          "       %*s [-H hint] [-n] [-T ms]\n"
          "\t-A address\t\tlisten on specified address (default is ::)\n",
          program, version, program, (int)strlen(program), "");
  cipher_suites_usage(stderr, "\t");
  fprintf(stderr,
          "\t-e\t\tforce extended master secret (RFC7627)\n"
          "\t-p port\t\tlisten on specified port (default is %d)\n"
          "\t-r\t\tforce renegotiation info (RFC5746)\n"
          "\t-v num\t\tverbosity level (default: %d)\n"
          "\t-H hint\t\tsend this PSK identity hint (default: none)\n"
          "\t-n\t\tdo not authenticate ECDHE-ECDSA clients\n"
          "\t       \t\t(no verify_ecdsa_key callback, no CertificateRequest)\n"
          "\t-T ms\t\tfirst retransmission timeout (default 1000)\n",
          DEFAULT_PORT, (int)dtls_get_log_level());
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

/* Creates the listening socket; -1 on failure (already reported). */
static int
open_socket(struct sockaddr_storage *addr) {
  int on = 1, off = 0;
  socklen_t addrlen;
  int fd;

  fd = socket(addr->ss_family, SOCK_DGRAM, IPPROTO_UDP);
  if (fd < 0) {
    dtls_alert("socket: %s\n", strerror(errno));
    return -1;
  }
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
    dtls_alert("setsockopt SO_REUSEADDR: %s\n", strerror(errno));

  if (addr->ss_family == AF_INET6) {
    /* Dual stack: IPv4 clients appear as v4-mapped addresses. */
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0)
      dtls_alert("setsockopt IPV6_V6ONLY: %s\n", strerror(errno));
#ifdef IPV6_RECVPKTINFO
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
#else
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_PKTINFO, &on, sizeof(on)) < 0)
#endif
      dtls_alert("setsockopt IPV6_PKTINFO: %s\n", strerror(errno));
    addrlen = sizeof(struct sockaddr_in6);
  } else {
    addrlen = sizeof(struct sockaddr_in);
  }
  if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) < 0)
    dtls_alert("setsockopt IP_PKTINFO: %s\n", strerror(errno));

  if (bind(fd, (struct sockaddr *)addr, addrlen) < 0) {
    dtls_alert("bind: %s\n", strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

int
main(int argc, char **argv) {
  log_t log_level = dtls_get_log_level();
  struct sockaddr_storage listen_addr;
  struct sigaction sa;
  dtls_context_t *ctx;
  long port = DEFAULT_PORT;
  long initial_timeout = 0;
  int fd, opt;

  /* Default: the IPv6 wildcard address, which also accepts IPv4. */
  memset(&listen_addr, 0, sizeof(listen_addr));
  ((struct sockaddr_in6 *)&listen_addr)->sin6_family = AF_INET6;
  ((struct sockaddr_in6 *)&listen_addr)->sin6_addr = in6addr_any;

  while ((opt = getopt(argc, argv, "A:c:ep:rv:H:nT:")) != -1) {
    switch (opt) {
    case 'A':
      if (resolve_address(optarg, &listen_addr) < 0) {
        fprintf(stderr, "cannot resolve address\n");
        return EXIT_FAILURE;
      }
      break;
    case 'c':
      ciphers = init_cipher_suites(optarg);
      break;
    case 'e':
      force_extended_master_secret = 1;
      break;
    case 'p':
      port = parse_port(optarg);
      if (port < 0) {
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
    case 'H':
      psk_hint = optarg;
      break;
    case 'n':
#ifdef DTLS_ECC
      callbacks.verify_ecdsa_key = NULL;
#endif
      break;
    case 'T':
      initial_timeout = strtol(optarg, NULL, 10);
      if (initial_timeout <= 0) {
        fprintf(stderr, "invalid timeout '%s'\n", optarg);
        usage(argv[0], dtls_package_version());
        return EXIT_FAILURE;
      }
      break;
    default:
      usage(argv[0], dtls_package_version());
      return EXIT_FAILURE;
    }
  }
  if (optind != argc) {
    dtls_warn("no arguments supported!\n");
    usage(argv[0], dtls_package_version());
    return EXIT_FAILURE;
  }

  if (listen_addr.ss_family == AF_INET6)
    ((struct sockaddr_in6 *)&listen_addr)->sin6_port = htons((uint16_t)port);
  else
    ((struct sockaddr_in *)&listen_addr)->sin_port = htons((uint16_t)port);

  dtls_set_log_level(log_level);
  dtls_init();

  fd = open_socket(&listen_addr);
  if (fd < 0)
    return EXIT_FAILURE;

  /* No SA_RESTART: a signal must interrupt select() so the loop ends. */
  memset(&sa, 0, sizeof(sa));
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = handle_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  /* A client that went away must not kill the server through SIGPIPE. */
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);

  ctx = dtls_new_context(&fd);
  if (!ctx) {
    dtls_emerg("cannot create context\n");
    close(fd);
    return EXIT_FAILURE;
  }
  dtls_set_handler(ctx, &callbacks);
  if (initial_timeout > 0 &&
      dtls_set_initial_timeout(ctx, (unsigned int)initial_timeout) < 0) {
    dtls_free_context(ctx);
    close(fd);
    return EXIT_FAILURE;
  }

  while (!quit && !exit_requested) {
    struct timeval timeout = retransmit_and_get_timeout(ctx);
    fd_set rfds;
    int ready;

    FD_ZERO(&rfds);
    FD_SET(fd, &rfds);
    ready = select(fd + 1, &rfds, NULL, NULL, &timeout);
    if (ready < 0) {
      if (errno != EINTR) {
        perror("select");
        break;
      }
    } else if (ready > 0 && FD_ISSET(fd, &rfds)) {
      handle_datagram(ctx, fd);
    }
  }

  /* Sends close_notify to every client still connected. */
  dtls_free_context(ctx);
  close(fd);
  return EXIT_SUCCESS;
}
