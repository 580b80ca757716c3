/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * upstream_peer.c -- one DTLS peer (client or server, PSK or ECDHE) written
 * against upstream tinydtls's public API only, so that the same source
 * builds against upstream's headers and library and against ours.
 * ctests/test-upstream-lossy.sh builds it twice and pairs the builds
 * through the impairing UDP proxy.
 *
 * Upstream's own example programs never call dtls_check_retransmit(), so
 * they never retransmit; this program does, from its select() loop,
 * sleeping until exactly the `next` deadline the library returns.
 *
 *   upstream_peer [-v LEVEL] [-t SECONDS] [-n TRIES] [-T] server psk|ecdhe PORT
 *   upstream_peer [-v LEVEL] [-t SECONDS] [-n TRIES] [-T] client psk|ecdhe PORT
 *
 * Everything is on 127.0.0.1.  The server listens on PORT (0: the kernel
 * picks one) and echoes every application record it receives.  The client
 * connects to PORT, and once connected sends one application record
 * ("ping N") every second, up to TRIES times (-n, default 20), until the
 * echo comes back: DTLS does not retransmit application data, so a lost
 * record or echo is made up for here.
 *
 *   psk    TLS_PSK_WITH_AES_128_CCM_8, identity "Client_identity", key
 *          "secretPSK" (upstream's example defaults)
 *   ecdhe  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 with upstream's example raw
 *          public keys (ctests/example_keys.h); the server asks for the
 *          client's key (both key callbacks set), as upstream's examples do
 *
 * Output, one line each, flushed at once:
 *   stdout, machine-readable (t = CLOCK_MONOTONIC seconds, which both
 *   peers of a test share):
 *     upstream_peer: library=PATH version=V           (which library loaded)
 *     upstream_peer: listening port=N                 (server)
 *     upstream_peer: event level=L code=C t=T         (every event callback)
 *     upstream_peer: connected t=T                    (event 0x1DE)
 *     upstream_peer: fatal code=C t=T                 (a fatal alert event)
 *     upstream_peer: sent ping N t=T / echo t=T       (client)
 *     upstream_peer: echoed LEN t=T                   (server)
 *     upstream_peer: result=R t=T                     (client, at exit)
 *   stderr, for diagnosis: the library's log at -v LEVEL (default 3, warn)
 *   through dtls_set_log_handler, and with -T a summary of every datagram
 *   sent and received (record type, epoch, sequence number; for plaintext
 *   handshake messages their type and message_seq, the cookie length of a
 *   ClientHello, the start of a ServerHello's random and a hash of
 *   every whole handshake message), each line stamped with t=T.
 *
 * The client's exit status, and its result= word:
 *   0 ok         connected and the echo came back
 *   1 fatal      the library reported a fatal alert (sent or received;
 *                ours also reports a handshake it gave up this way)
 *   2 timeout    not connected within -t SECONDS (default 120)
 *   3 no-echo    connected, but no echo after TRIES pings
 *   4 error      bad usage or a socket error
 * (Upstream gives a handshake up silently, without an event, and its send
 * queue is also empty while it merely waits for the peer's next message,
 * so there is no reliable "given up" signal: a handshake that upstream
 * abandoned ends as a timeout.)
 * The server runs until SIGTERM/SIGINT, or until -t SECONDS pass without
 * a connection (status 0 either way).
 */

/* getopt(), dladdr(). */
#define _GNU_SOURCE 1

#include "tinydtls.h"

#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "dtls.h"
#include "dtls_debug.h"
#include "example_keys.h"

#define TAG "upstream_peer"

/* Receive buffer: larger than DTLS_MAX_BUF so oversized datagrams show. */
#define MAX_READ_BUF 2000

/* Gap between two pings of the client. */
#define PING_INTERVAL_MS 1000

/* Longest select() sleep; the loop also checks its own deadlines. */
#define IDLE_WAIT_MS 1000

#define PSK_IDENTITY "Client_identity"
#define PSK_KEY "secretPSK"

enum result {
  RESULT_OK = 0,
  RESULT_FATAL = 1,
  RESULT_TIMEOUT = 2,
  RESULT_NO_ECHO = 3,
  RESULT_ERROR = 4
};
static const char *const result_name[] = {"ok", "fatal", "timeout",
                                          "no-echo", "error"};

/* Settings. */
static int is_server = 0;
static int use_ecdhe = 0;
static int trace = 0;

/* State shared with the callbacks. */
static int sock = -1;
static int connected = 0;      /* CONNECTED seen (client: current peer) */
static int fatal_code = -1;    /* description of the last fatal alert */
static int echoed = 0;         /* client: the echo came back */
static volatile sig_atomic_t quit = 0;

/* ---- output ----------------------------------------------------------- */

/* Seconds on CLOCK_MONOTONIC: comparable between the two peers. */
static double
mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One machine-readable line on stdout. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
say(const char *fmt, ...) {
  va_list ap;
  fputs(TAG ": ", stdout);
  va_start(ap, fmt);
  vfprintf(stdout, fmt, ap);
  va_end(ap);
  fprintf(stdout, " t=%.3f\n", mono_now());
  fflush(stdout);
}

/* One diagnostic line on stderr. */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
note(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "t=%.3f ", mono_now());
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
}

/* The library's log lines, time-stamped, on stderr. */
static void
log_handler(log_t level, const char *message) {
  static const char *const tags[] = {"EMRG", "ALRT", "CRIT", "WARN",
                                     "NOTE", "INFO", "DEBG"};
  size_t len = strlen(message);

  while (len > 0 && message[len - 1] == '\n')
    len--;
  note("%s %.*s", (unsigned)level < 7 ? tags[level] : "????", (int)len,
       message);
}

static const char *
handshake_name(unsigned type) {
  switch (type) {
  case 0: return "HelloRequest";
  case 1: return "ClientHello";
  case 2: return "ServerHello";
  case 3: return "HelloVerifyRequest";
  case 11: return "Certificate";
  case 12: return "ServerKeyExchange";
  case 13: return "CertificateRequest";
  case 14: return "ServerHelloDone";
  case 15: return "CertificateVerify";
  case 16: return "ClientKeyExchange";
  case 20: return "Finished";
  default: return "?";
  }
}

/* 32-bit FNV-1a. */
static unsigned long
fnv1a(const uint8 *p, size_t n) {
  uint32_t h = 2166136261u;
  while (n--)
    h = (h ^ *p++) * 16777619u;
  return h;
}

static unsigned long
be(const uint8 *p, size_t n) {
  unsigned long v = 0;
  while (n--)
    v = (v << 8) | *p++;
  return v;
}

/*
 * With -T: one line per datagram, one "|"-separated item per record:
 * "hs e0 s3 ServerHello m1 rnd=1a2b3c4d", "ccs e0 s7", "hs e1 s0 enc(40)",
 * "alert e0 s2 2/40", "app e1 s1 enc(30)".  Only what travels in the
 * clear is decoded; a ClientHello shows its cookie length, a ServerHello
 * the bytes 4..7 of its random (which tell two ServerHellos apart), a
 * fragment its offset and length, and a whole message "h=" the FNV-1a
 * hash of its body, so that the copy a peer received can be matched with
 * the one the other peer sent (upstream's server restarting a handshake
 * sends a new ServerHello and ServerKeyExchange under the same
 * message_seq and record sequence numbers).
 */
static void
trace_datagram(const char *dir, const uint8 *p, size_t len) {
  char line[1024];
  size_t off = 0, total = len;
  int n;

  if (!trace)
    return;
  line[0] = '\0';
  while (len >= 13 && off < sizeof(line) - 128) {
    unsigned type = p[0];
    unsigned long epoch = be(p + 3, 2), seq = be(p + 5, 6);
    size_t rlen = be(p + 11, 2);
    const uint8 *body = p + 13;
    const char *sep = line[0] ? " | " : "";

    if (rlen > len - 13) {
      off += snprintf(line + off, sizeof(line) - off, "%struncated", sep);
      break;
    }
    if (type == 22 && epoch == 0 && rlen >= 12) {
      unsigned ht = body[0];
      unsigned long mlen = be(body + 1, 3), mseq = be(body + 4, 2);
      unsigned long foff = be(body + 6, 3), flen = be(body + 9, 3);
      n = snprintf(line + off, sizeof(line) - off, "%shs e0 s%lu %s m%lu",
                   sep, seq, handshake_name(ht), mseq);
      off += n > 0 ? (size_t)n : 0;
      if (foff != 0 || flen != mlen)
        off += snprintf(line + off, sizeof(line) - off, " frag %lu+%lu/%lu",
                        foff, flen, mlen);
      /* ClientHello: version(2) random(32) session_id<1> cookie<1> */
      if (ht == 1 && foff == 0 && rlen >= 12 + 35) {
        size_t sid = body[12 + 34];
        if (rlen >= 12 + 35 + sid + 1)
          off += snprintf(line + off, sizeof(line) - off, " cookie=%u",
                          (unsigned)body[12 + 35 + sid]);
      }
      if (ht == 2 && foff == 0 && rlen >= 12 + 2 + 8)
        off += snprintf(line + off, sizeof(line) - off, " rnd=%08lx",
                        be(body + 12 + 2 + 4, 4));
      if (foff == 0 && flen == mlen && rlen >= 12 + mlen)
        off += snprintf(line + off, sizeof(line) - off, " h=%08lx",
                        fnv1a(body + 12, mlen));
    } else if (type == 21 && epoch == 0 && rlen == 2) {
      off += snprintf(line + off, sizeof(line) - off, "%salert e0 s%lu %u/%u",
                      sep, seq, body[0], body[1]);
    } else {
      const char *name = type == 20   ? "ccs"
                         : type == 21 ? "alert"
                         : type == 22 ? "hs"
                         : type == 23 ? "app"
                                      : "type?";
      if (epoch == 0 && type == 20)
        off += snprintf(line + off, sizeof(line) - off, "%sccs e0 s%lu", sep,
                        seq);
      else
        off += snprintf(line + off, sizeof(line) - off,
                        "%s%s e%lu s%lu enc(%zu)", sep, name, epoch, seq,
                        rlen);
    }
    p += 13 + rlen;
    len -= 13 + rlen;
  }
  if (len > 0 && off < sizeof(line) - 32)
    snprintf(line + off, sizeof(line) - off, " +%zu bytes", len);
  note("%s %zuB: %s", dir, total, line);
}

/* ---- callbacks ---------------------------------------------------------- */

static int
send_to_peer(struct dtls_context_t *ctx, session_t *session, uint8 *data,
             size_t len) {
  (void)ctx;
  trace_datagram("tx", data, len);
  return (int)sendto(sock, data, len, MSG_DONTWAIT, &session->addr.sa,
                     session->size);
}

static int
read_from_peer(struct dtls_context_t *ctx, session_t *session, uint8 *data,
               size_t len) {
  if (is_server) {
    /* Echo. */
    if (dtls_write(ctx, session, data, len) < 0)
      note("echo failed");
    say("echoed %zu", len);
  } else if (len >= 4 && memcmp(data, "ping", 4) == 0) {
    if (!echoed)
      say("echo");
    echoed = 1;
  }
  return 0;
}

static int
handle_event(struct dtls_context_t *ctx, session_t *session,
             dtls_alert_level_t level, unsigned short code) {
  (void)ctx;
  (void)session;
  say("event level=%d code=%u", (int)level, (unsigned)code);
  if (level == 0 && code == DTLS_EVENT_CONNECTED) {
    connected = 1;
    say("connected");
  } else if (level == DTLS_ALERT_LEVEL_FATAL) {
    fatal_code = code;
    connected = 0;
    say("fatal code=%u", (unsigned)code);
  }
  return 0;
}

/* One suite, so that both libraries negotiate exactly the same one; the
 * rest stays at the library defaults (extended master secret and
 * renegotiation_info required, as libcoap keeps them). */
static void
get_user_parameters(struct dtls_context_t *ctx, session_t *session,
                    dtls_user_parameters_t *params) {
  (void)ctx;
  (void)session;
  params->cipher_suites[0] = use_ecdhe ? TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
                                       : TLS_PSK_WITH_AES_128_CCM_8;
  params->cipher_suites[1] = TLS_NULL_WITH_NULL_NULL;
}

static int
get_psk_info(struct dtls_context_t *ctx, const session_t *session,
             dtls_credentials_type_t type, const unsigned char *desc,
             size_t desc_len, unsigned char *result, size_t result_length) {
  const char *value;
  size_t len;
  (void)ctx;
  (void)session;

  switch (type) {
  case DTLS_PSK_HINT:
    return 0; /* no hint, no PSK ServerKeyExchange */
  case DTLS_PSK_IDENTITY:
    value = PSK_IDENTITY;
    break;
  case DTLS_PSK_KEY:
    if (desc_len != strlen(PSK_IDENTITY) ||
        memcmp(desc, PSK_IDENTITY, desc_len) != 0)
      return dtls_alert_fatal_create(DTLS_ALERT_ILLEGAL_PARAMETER);
    value = PSK_KEY;
    break;
  default:
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  }
  len = strlen(value);
  if (result_length < len)
    return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
  memcpy(result, value, len);
  return (int)len;
}

static int
get_ecdsa_key(struct dtls_context_t *ctx, const session_t *session,
              const dtls_ecdsa_key_t **result) {
  (void)ctx;
  (void)session;
  *result = is_server ? &example_server_key : &example_client_key;
  return 0;
}

/* Accepts the other example key only. */
static int
verify_ecdsa_key(struct dtls_context_t *ctx, const session_t *session,
                 const unsigned char *x, const unsigned char *y,
                 size_t key_size) {
  const dtls_ecdsa_key_t *other =
      is_server ? &example_client_key : &example_server_key;
  (void)ctx;
  (void)session;
  if (key_size != DTLS_EC_KEY_SIZE ||
      memcmp(x, other->pub_key_x, key_size) != 0 ||
      memcmp(y, other->pub_key_y, key_size) != 0)
    return dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE);
  return 0;
}

/* PSK mode sets only the PSK callback and ECDHE mode only the key
 * callbacks, so that neither library can offer the other kind. */
static dtls_handler_t psk_handler = {
    .write = send_to_peer,
    .read = read_from_peer,
    .event = handle_event,
    .get_user_parameters = get_user_parameters,
    .get_psk_info = get_psk_info,
};
static dtls_handler_t ecdhe_handler = {
    .write = send_to_peer,
    .read = read_from_peer,
    .event = handle_event,
    .get_user_parameters = get_user_parameters,
    .get_ecdsa_key = get_ecdsa_key,
    .verify_ecdsa_key = verify_ecdsa_key,
};

/* ---- main loop ------------------------------------------------------------ */

static void
on_signal(int sig) {
  (void)sig;
  quit = 1;
}

static void
usage(void) {
  fprintf(stderr,
          "usage: " TAG " [-v LEVEL] [-t SECONDS] [-n TRIES] [-T] "
          "server|client psk|ecdhe PORT\n");
  exit(RESULT_ERROR);
}

/* Reads one datagram and hands it to the library. */
static void
receive(dtls_context_t *ctx) {
  static uint8 buf[MAX_READ_BUF];
  session_t session;
  ssize_t len;

  /* Upstream finds peers by the raw bytes of session_t: zero it all. */
  memset(&session, 0, sizeof(session));
  session.size = sizeof(session.addr);
  len = recvfrom(sock, buf, sizeof(buf), MSG_TRUNC, &session.addr.sa,
                 &session.size);
  if (len < 0) {
    if (errno != EINTR && errno != EAGAIN && errno != ECONNREFUSED)
      note("recvfrom: %s", strerror(errno));
    return;
  }
  if ((size_t)len > sizeof(buf)) {
    note("rx %zd bytes: larger than the buffer, dropped", len);
    return;
  }
  trace_datagram("rx", buf, (size_t)len);
  dtls_handle_message(ctx, &session, buf, (int)len);
}

/* ms from now until tick `next` (0 if it has passed). */
static long
ms_until(clock_time_t next, clock_time_t now) {
  if (DTLS_IS_BEFORE_TIME(next, now))
    return 0;
  return (long)((unsigned long long)(clock_time_t)(next - now) * 1000u /
                DTLS_TICKS_PER_SECOND);
}

static long
min_long(long a, long b) {
  return a < b ? a : b;
}

int
main(int argc, char **argv) {
  int opt, level = DTLS_LOG_WARN, max_pings = 20, port;
  long limit_s = 120;
  struct sockaddr_in sin;
  socklen_t slen = sizeof(sin);
  session_t dst;
  dtls_context_t *ctx;
  clock_time_t start, now, next, next_ping = 0;
  int pings = 0;
  enum result result = RESULT_TIMEOUT;
  Dl_info dl;
  struct sigaction sa;

  while ((opt = getopt(argc, argv, "v:t:n:T")) != -1) {
    switch (opt) {
    case 'v': level = atoi(optarg); break;
    case 't': limit_s = atol(optarg); break;
    case 'n': max_pings = atoi(optarg); break;
    case 'T': trace = 1; break;
    default: usage();
    }
  }
  if (argc - optind != 3 || limit_s <= 0 || max_pings <= 0)
    usage();
  if (strcmp(argv[optind], "server") == 0)
    is_server = 1;
  else if (strcmp(argv[optind], "client") != 0)
    usage();
  if (strcmp(argv[optind + 1], "ecdhe") == 0)
    use_ecdhe = 1;
  else if (strcmp(argv[optind + 1], "psk") != 0)
    usage();
  port = atoi(argv[optind + 2]);
  if (port < 0 || port > 65535 || (!is_server && port == 0))
    usage();

  /* No SA_RESTART: a signal must interrupt select(). */
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  /* Which library this process really runs on. */
  if (dladdr((void *)&dtls_new_context, &dl) && dl.dli_fname)
    say("library=%s version=%s", dl.dli_fname, dtls_package_version());

  dtls_init();
  dtls_set_log_level((log_t)level);
  dtls_set_log_handler(log_handler);

  sock = socket(AF_INET, SOCK_DGRAM, 0);
  if (sock < 0) {
    perror(TAG ": socket");
    return RESULT_ERROR;
  }
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sin.sin_port = htons(is_server ? (unsigned short)port : 0);
  if (bind(sock, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
      getsockname(sock, (struct sockaddr *)&sin, &slen) < 0) {
    perror(TAG ": bind");
    return RESULT_ERROR;
  }
  if (is_server)
    say("listening port=%u", (unsigned)ntohs(sin.sin_port));

  ctx = dtls_new_context(NULL);
  if (!ctx) {
    note("dtls_new_context failed");
    return RESULT_ERROR;
  }
  dtls_set_handler(ctx, use_ecdhe ? &ecdhe_handler : &psk_handler);

  dtls_ticks(&start);
  if (!is_server) {
    /* The same zeroed layout as the sessions receive() builds. */
    memset(&dst, 0, sizeof(dst));
    dst.size = sizeof(dst.addr.sin);
    dst.addr.sin.sin_family = AF_INET;
    dst.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dst.addr.sin.sin_port = htons((unsigned short)port);
    if (dtls_connect(ctx, &dst) < 0) {
      note("dtls_connect failed");
      return RESULT_ERROR;
    }
  }

  while (!quit) {
    fd_set rfds;
    struct timeval tv;
    long wait_ms = IDLE_WAIT_MS, elapsed_ms;

    /* Retransmit what is due; `next` is the next deadline (0: none). */
    dtls_ticks(&now);
    next = 0;
    dtls_check_retransmit(ctx, &next);
    if (next)
      wait_ms = min_long(wait_ms, ms_until(next, now));

    elapsed_ms = (long)((unsigned long long)(clock_time_t)(now - start) *
                        1000u / DTLS_TICKS_PER_SECOND);
    /* The limit is on the handshake (and on the server's life); pings
     * go on after it until TRIES are used up. */
    if (!connected && elapsed_ms >= limit_s * 1000) {
      result = RESULT_TIMEOUT;
      break;
    }
    if (!connected)
      wait_ms = min_long(wait_ms, limit_s * 1000 - elapsed_ms);

    if (!is_server) {
      if (echoed) {
        result = RESULT_OK;
        break;
      }
      if (fatal_code >= 0) {
        result = RESULT_FATAL;
        break;
      }
      if (connected) {
        if (pings == 0 || !DTLS_IS_BEFORE_TIME(now, next_ping)) {
          char msg[32];
          int len;
          if (pings == max_pings) {
            result = RESULT_NO_ECHO;
            break;
          }
          len = snprintf(msg, sizeof(msg), "ping %d", ++pings);
          if (dtls_write(ctx, &dst, (uint8 *)msg, (size_t)len) < 0)
            note("dtls_write failed");
          say("sent ping %d", pings);
          next_ping = now + PING_INTERVAL_MS * DTLS_TICKS_PER_SECOND / 1000;
        }
        wait_ms = min_long(wait_ms, ms_until(next_ping, now));
      }
    }

    FD_ZERO(&rfds);
    FD_SET(sock, &rfds);
    tv.tv_sec = wait_ms / 1000;
    tv.tv_usec = (wait_ms % 1000) * 1000;
    if (select(sock + 1, &rfds, NULL, NULL, &tv) < 0) {
      if (errno == EINTR)
        continue;
      perror(TAG ": select");
      result = RESULT_ERROR;
      break;
    }
    if (FD_ISSET(sock, &rfds))
      receive(ctx);
  }

  if (!is_server)
    say("result=%s pings=%d", result_name[result], pings);
  dtls_free_context(ctx);
  close(sock);
  return is_server ? 0 : (int)result;
}
