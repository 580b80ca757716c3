/*
 * dtls.h -- the DTLS 1.2 API: contexts, callbacks, connections.
 *
 * Typical use: dtls_init(); ctx = dtls_new_context(app); set a
 * dtls_handler_t with dtls_set_handler(); feed every received datagram
 * to dtls_handle_message(); send with dtls_write(); call
 * dtls_check_retransmit() whenever its deadline passes.
 */
#ifndef _DTLS_DTLS_H_
#define _DTLS_DTLS_H_

#include <stdint.h>

#include "tinydtls.h"
#include "state.h"
#include "peer.h"

#ifndef DTLS_PEERS_NOHASH
#include "uthash.h"
#endif

#include "alert.h"
#include "crypto.h"
#include "hmac.h"
#include "global.h"
#include "dtls_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef DTLSv12
#define DTLS_VERSION 0xfeff     /* DTLS 1.0 */
#else
#define DTLS_VERSION 0xfefd     /* DTLS 1.2 */
#endif

/* What get_psk_info() is asked for. */
typedef enum dtls_credentials_type_t {
  DTLS_PSK_HINT,      /* server: identity hint to send (0 bytes: none) */
  DTLS_PSK_IDENTITY,  /* client: identity to use; desc is the server's hint */
  DTLS_PSK_KEY        /* both: the key for the identity given in desc */
} dtls_credentials_type_t;

/* A secp256r1 key pair, each part DTLS_EC_KEY_SIZE big-endian bytes. */
typedef struct dtls_ecdsa_key_t {
  dtls_ecdh_curve curve;
  const unsigned char *priv_key;
  const unsigned char *pub_key_x;
  const unsigned char *pub_key_y;
} dtls_ecdsa_key_t;

/* Length of the per-context secret that HelloVerifyRequest cookies are
 * derived from. */
#define DTLS_COOKIE_SECRET_LENGTH 12

struct dtls_context_t;

/*
 * Application callbacks.  The structure belongs to the application and
 * must outlive the context; the library only stores a pointer to it.
 * Which credential callbacks are non-NULL decides which cipher suites a
 * context can use: PSK needs get_psk_info; a client offers ECDHE-ECDSA
 * only with verify_ecdsa_key, a server only with get_ecdsa_key, and a
 * server with both ECDSA callbacks requests a client certificate.
 */
typedef struct {
  /* Sends one datagram to session; returns the bytes sent or < 0. */
  int (*write)(struct dtls_context_t *ctx,
               session_t *session, uint8 *buf, size_t len);

  /* Delivers decrypted application data; the result is ignored. */
  int (*read)(struct dtls_context_t *ctx,
              session_t *session, uint8 *buf, size_t len);

  /*
   * Reports an alert (level 1 or 2, code = alert description) or, with
   * level 0, a library event (code = DTLS_EVENT_*).  Result ignored.
   */
  int (*event)(struct dtls_context_t *ctx, session_t *session,
               dtls_alert_level_t level, unsigned short code);

  /*
   * Optional.  Called once per handshake with the library defaults in
   * *parameters, which the application may change for this session.
   */
  void (*get_user_parameters)(struct dtls_context_t *ctx,
                              session_t *session,
                              dtls_user_parameters_t *parameters);

#ifdef DTLS_PSK
  /*
   * Stores the requested PSK item in result (at most result_length
   * bytes) and returns its length, or returns a negative value, ideally
   * dtls_alert_fatal_create(...), to abort the handshake.
   */
  int (*get_psk_info)(struct dtls_context_t *ctx,
                      const session_t *session,
                      dtls_credentials_type_t type,
                      const unsigned char *desc, size_t desc_len,
                      unsigned char *result, size_t result_length);
#endif /* DTLS_PSK */

#ifdef DTLS_ECC
  /* Points *result at our own key pair and returns 0, or returns < 0. */
  int (*get_ecdsa_key)(struct dtls_context_t *ctx,
                       const session_t *session,
                       const dtls_ecdsa_key_t **result);

  /*
   * Decides whether the peer's raw public key is trusted: 0 accepts it,
   * a negative value (e.g. dtls_alert_fatal_create(
   * DTLS_ALERT_BAD_CERTIFICATE)) rejects it.
   */
  int (*verify_ecdsa_key)(struct dtls_context_t *ctx,
                          const session_t *session,
                          const unsigned char *other_pub_x,
                          const unsigned char *other_pub_y,
                          size_t key_size);
#endif /* DTLS_ECC */
} dtls_handler_t;

struct netq_t;

/* A DTLS endpoint.  Allocated by dtls_new_context(). */
typedef struct dtls_context_t {
  unsigned char cookie_secret[DTLS_COOKIE_SECRET_LENGTH];
  clock_time_t cookie_secret_age;   /* when cookie_secret was made */
  dtls_peer_t *peers;               /* table of known peers */
  struct netq_t *sendqueue;         /* pending retransmissions */
  void *app;                        /* application data, see below */
  dtls_handler_t *h;                /* application callbacks */
} dtls_context_t;

/* Initialises the library; call once before anything else. */
void dtls_init(void);

/* Creates a context carrying app_data; NULL on failure. */
dtls_context_t *dtls_new_context(void *app_data);

/* Sends close_notify to every live peer and frees ctx (NULL is fine). */
void dtls_free_context(dtls_context_t *ctx);

#define dtls_set_app_data(CTX,DATA) ((CTX)->app = (DATA))
#define dtls_get_app_data(CTX) ((CTX)->app)

static inline void
dtls_set_handler(dtls_context_t *ctx, dtls_handler_t *h) {
  ctx->h = h;
}

/*
 * Starts a handshake as client with dst.  Returns > 0 when the
 * ClientHello was sent, 0 when an association with dst is already
 * established or shaking hands (nothing is sent), < 0 on error.
 */
int dtls_connect(dtls_context_t *ctx, const session_t *dst);

/* Like dtls_connect() for a peer object from dtls_new_peer(), except that
 * an existing association with its session is discarded first; the
 * context takes ownership of peer. */
int dtls_connect_peer(dtls_context_t *ctx, dtls_peer_t *peer);

/* Sends close_notify to remote and tears the association down.
 * Returns 0, or < 0 when there is no such peer. */
int dtls_close(dtls_context_t *ctx, const session_t *remote);

/*
 * Starts a new handshake on the established connection with dst
 * (RFC 5246 renegotiation).  Returns 0 when it was started, < 0 on
 * error.  Not part of upstream's current API, kept from older releases.
 */
int dtls_renegotiate(dtls_context_t *ctx, const session_t *dst);

/*
 * Sends the concatenation of buf_array_len buffers as one record.
 * Without a connection to session a handshake is started and 0 is
 * returned; while the handshake runs 0 is returned and nothing is sent.
 * Otherwise returns the number of bytes sent, or < 0 on error.
 */
int dtls_writev(struct dtls_context_t *ctx,
                session_t *session, uint8 *buf_array[],
                size_t buf_len_array[], size_t buf_array_len);

/* dtls_writev() with a single buffer. */
int dtls_write(struct dtls_context_t *ctx, session_t *session,
               uint8 *buf, size_t len);

/*
 * Resends or expires whatever is due in the retransmission queue.  If
 * next is not NULL it receives the tick (see dtls_ticks()) of the next
 * deadline, or 0 when nothing is pending.
 */
void dtls_check_retransmit(dtls_context_t *context, clock_time_t *next);

#define DTLS_COOKIE_LENGTH 16

/* Record content types. */
#define DTLS_CT_CHANGE_CIPHER_SPEC 20
#define DTLS_CT_ALERT              21
#define DTLS_CT_HANDSHAKE          22
#define DTLS_CT_APPLICATION_DATA   23
#define DTLS_CT_TLS12_CID          25   /* RFC 9146 record with a Connection ID */

/* Declares a structure without padding: PACK(typedef struct) { ... } T; */
#if defined(__GNUC__) || defined(__clang__)
#define PACK(__Declaration__) __Declaration__ __attribute__((__packed__))
#else
#error "PACK() needs a compiler with __attribute__((__packed__))"
#endif

/* Record layer header (13 bytes on the wire). */
PACK(typedef struct) {
  uint8 content_type;
  uint16 version;
  uint16 epoch;
  uint48 sequence_number;
  uint16 length;          /* of the fragment that follows */
} dtls_record_header_t;

/* Handshake message types. */
#define DTLS_HT_HELLO_REQUEST        0
#define DTLS_HT_CLIENT_HELLO         1
#define DTLS_HT_SERVER_HELLO         2
#define DTLS_HT_HELLO_VERIFY_REQUEST 3
#define DTLS_HT_CERTIFICATE         11
#define DTLS_HT_SERVER_KEY_EXCHANGE 12
#define DTLS_HT_CERTIFICATE_REQUEST 13
#define DTLS_HT_SERVER_HELLO_DONE   14
#define DTLS_HT_CERTIFICATE_VERIFY  15
#define DTLS_HT_CLIENT_KEY_EXCHANGE 16
#define DTLS_HT_FINISHED            20

/* dtls_peer_t.optional_handshake_message when nothing may be skipped. */
#define DTLS_HT_NO_OPTIONAL_MESSAGE -1

/* Handshake message header (12 bytes on the wire). */
PACK(typedef struct) {
  uint8 msg_type;
  uint24 length;
  uint16 message_seq;
  uint24 fragment_offset;
  uint24 fragment_length;
} dtls_handshake_header_t;

/* Fixed start of a ClientHello body; session id, cookie, cipher suites,
 * compression methods and extensions follow. */
PACK(typedef struct) {
  uint16 version;
  uint32 gmt_random;
  unsigned char random[28];
} dtls_client_hello_t;

/* HelloVerifyRequest body. */
PACK(typedef struct) {
  uint16 version;
  uint8 cookie_length;
  uint8 cookie[];         /* up to 32 bytes */
} dtls_hello_verify_t;

/*
 * Processes one received datagram from session (all records in it).
 * Returns 0 when it was handled or silently dropped, or the negative
 * alert code when a handshake error made the library send an alert.
 */
int dtls_handle_message(dtls_context_t *ctx, session_t *session,
                        uint8 *msg, int msglen);

/* The peer for session, or NULL.  The lookup uses the address family,
 * address, port (and IPv6 scope) and ifindex; upstream's compares all
 * bytes of the session_t, padding included (see session.h). */
dtls_peer_t *dtls_get_peer(const dtls_context_t *context,
                           const session_t *session);

/* Closes (sending close_notify if still open) and frees peer. */
void dtls_reset_peer(dtls_context_t *context, dtls_peer_t *peer);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_DTLS_H_ */
