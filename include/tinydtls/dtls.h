/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dtls.h
 * @brief The DTLS 1.2 API: contexts, application callbacks, handshakes,
 *        sending and receiving.
 *
 * Typical use:
 *
 * 1. dtls_init() once;
 * 2. ctx = dtls_new_context(app) and dtls_set_handler(ctx, &handler);
 * 3. feed every datagram received on the socket to dtls_handle_message();
 *    decrypted data arrives through the @c read callback;
 * 4. a client calls dtls_connect(); both sides send with dtls_write() once
 *    the @c event callback reported #DTLS_EVENT_CONNECTED;
 * 5. call dtls_check_retransmit() whenever the deadline it returned has
 *    passed: all retransmission and timeouts are driven from there;
 * 6. dtls_close() to end an association, dtls_free_context() at the end.
 *
 * @par Threads
 * A context is used by one thread at a time, as with upstream tinydtls.
 * Every function that takes a context refuses a call made while another
 * thread is inside the library with the same context: it logs a
 * #DTLS_LOG_CRIT line and returns -1 (NULL, 0, or nothing for @c void
 * functions) without touching the context. Calls made from inside a
 * callback on the thread that the library called the callback on are
 * fine (re-entrant). Different contexts may be used from different
 * threads at the same time.
 *
 * @par Callbacks
 * The library calls the application synchronously, on the thread of the
 * library call in progress (dtls_handle_message(), dtls_connect(),
 * dtls_write(), dtls_check_retransmit(), dtls_close(), ...), and holds no
 * lock while doing so. A callback may call back into the library for the
 * same context: the @c read callback of an echo server may call
 * dtls_write(), any callback may call dtls_close() or dtls_reset_peer(),
 * and dtls_free_context() called from a callback takes effect when the
 * outermost library call returns.
 *
 * @par Errors
 * A NULL context or a NULL required pointer makes a function return -1
 * (or NULL, 0, nothing) without a log line. A Go panic inside the library
 * never reaches the application: it is logged at #DTLS_LOG_CRIT and the
 * function returns its error value.
 *
 * @par Differences from upstream
 * Whole flights are retransmitted (1 s initial timeout, doubling up to
 * 60 s), the records of a flight share datagrams as far as the MTU
 * allows and handshake messages are fragmented when they do not fit,
 * writes to a closing association fail (-1) instead of returning 0,
 * renegotiation (dtls_renegotiate())
 * and Connection IDs (RFC 9146) are supported, PSK keys may be 64 bytes
 * long, peers are looked up by address rather than by the raw bytes of
 * @ref session_t, and the settings of dtls_ext.h exist. See the README,
 * "Differences from upstream".
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
/** @brief Protocol version on the wire: DTLS 1.0 (0xfeff). Only seen by
 *  code that undefines #DTLSv12, which global.h always defines; the
 *  library speaks DTLS 1.2 only. */
#define DTLS_VERSION 0xfeff     /* DTLS 1.0 */
#else
/** @brief Protocol version on the wire: DTLS 1.2 (0xfefd), the only
 *  version the library negotiates. (Initial ClientHellos and
 *  HelloVerifyRequests carry 0xfeff in their record header, as RFC 6347
 *  recommends.) */
#define DTLS_VERSION 0xfefd     /* DTLS 1.2 */
#endif

/**
 * @brief What the @c get_psk_info callback of #dtls_handler_t is asked
 *        for.
 */
typedef enum dtls_credentials_type_t {
  /** Server: the PSK identity hint to send in a ServerKeyExchange. @c desc
   *  is NULL; the callback returns 0 to send no hint (and no
   *  ServerKeyExchange). */
  DTLS_PSK_HINT,      /* server: identity hint to send (0 bytes: none) */
  /** Client: the PSK identity to use. @c desc is the server's hint, or
   *  NULL with length 0 when the server sent none. */
  DTLS_PSK_IDENTITY,  /* client: identity to use; desc is the server's hint */
  /** Both roles: the key for the identity in @c desc (the client's own
   *  identity on the client, the identity the client sent on the
   *  server). */
  DTLS_PSK_KEY        /* both: the key for the identity given in desc */
} dtls_credentials_type_t;

/**
 * @brief A secp256r1 key pair, handed to the library by the
 *        @c get_ecdsa_key callback.
 *
 * The structure and the three buffers belong to the application; they
 * only need to stay valid until the callback returns, as the library
 * copies the 96 bytes at once. A key with another curve or a NULL buffer
 * ends the handshake with a fatal @c internal_error alert.
 */
typedef struct dtls_ecdsa_key_t {
  dtls_ecdh_curve curve;            /**< Must be #DTLS_ECDH_CURVE_SECP256R1. */
  const unsigned char *priv_key;    /**< Private key, #DTLS_EC_KEY_SIZE (32) bytes, big-endian. */
  const unsigned char *pub_key_x;   /**< Public key x coordinate, 32 bytes, big-endian. */
  const unsigned char *pub_key_y;   /**< Public key y coordinate, 32 bytes, big-endian. */
} dtls_ecdsa_key_t;

/** @brief Length of dtls_context_t::cookie_secret.
 *
 * The field keeps upstream's layout only: this library derives its
 * HelloVerifyRequest cookies (HMAC-SHA256) from secrets of its own that
 * rotate every 5 minutes (upstream keeps one fixed secret). */
#define DTLS_COOKIE_SECRET_LENGTH 12

struct dtls_context_t;

/**
 * @brief The application's callbacks.
 *
 * The structure belongs to the application (usually a static table with
 * designated initialisers) and must stay valid as long as the context
 * uses it; the library only stores the pointer given to
 * dtls_set_handler() and reads the table again before every callback, so
 * it may be changed or swapped at run time (from the context's thread).
 * Slots may be NULL, with the effects given for each.
 *
 * Which credential callbacks are set decides which cipher suites a
 * context uses: the PSK suites need @c get_psk_info; a client offers the
 * ECDHE-ECDSA suites only with @c verify_ecdsa_key, a server accepts them
 * only with @c get_ecdsa_key, and a server with both ECDSA callbacks
 * requests the client's raw public key (CertificateRequest).
 *
 * All callbacks run on the thread of the library call in progress and may
 * call back into the library for the same context (see dtls.h). Pointers
 * passed to a callback are only valid until it returns.
 */
typedef struct {
  /**
   * @brief Sends one datagram.
   *
   * Called for everything the library sends: handshake flights (one
   * record per handshake message or fragment, as upstream, and the
   * records of a flight sharing datagrams of at most the MTU, see
   * dtls_set_mtu()), retransmissions from
   * dtls_check_retransmit(), HelloVerifyRequests, alerts, close_notify
   * and the records of dtls_write(). Called in both roles. Without this
   * slot every send fails as if it had returned -1.
   *
   * @param ctx     The context sending.
   * @param session The peer's address: the association's
   *                dtls_peer_t::session (it follows a Connection ID
   *                address change), or for stateless replies the session
   *                given to dtls_handle_message().
   * @param buf     The complete datagram; only valid during the call.
   * @param len     Its length in bytes.
   * @return The number of bytes sent (normally @p len), 0, or a negative
   *         value when sending failed. dtls_write() and dtls_connect()
   *         compute their result from it as upstream does: the length of
   *         the data (or of the ClientHello message) minus the bytes of
   *         the datagram reported unsent, never below 0; a negative value
   *         is returned unchanged. A failure while sending a handshake
   *         flight in answer to the peer ends the handshake with a fatal
   *         @c internal_error alert; failed retransmissions are retried on
   *         the next timeout.
   */
  int (*write)(struct dtls_context_t *ctx,
               session_t *session, uint8 *buf, size_t len);

  /**
   * @brief Delivers decrypted application data.
   *
   * Called from dtls_handle_message(), once per application data record
   * that authenticated in an established association (never for epoch-0
   * data). Without this slot the data is dropped.
   *
   * @param ctx     The context receiving.
   * @param session The peer's address (dtls_peer_t::session).
   * @param buf     The plaintext. It points into the datagram passed to
   *                dtls_handle_message() and is only valid during the
   *                call.
   * @param len     Its length in bytes (may be 0).
   * @return Ignored.
   */
  int (*read)(struct dtls_context_t *ctx,
              session_t *session, uint8 *buf, size_t len);

  /**
   * @brief Reports an alert or a library event.
   *
   * - @p level 0 (internal): @p code is #DTLS_EVENT_CONNECT (a client's
   *   ClientHello left, from dtls_connect() or a dtls_write() that started
   *   a handshake), #DTLS_EVENT_CONNECTED (a handshake or renegotiation
   *   completed, both roles) or #DTLS_EVENT_RENEGOTIATE (a renegotiation
   *   starts, both roles).
   * - @p level #DTLS_ALERT_LEVEL_WARNING (1): the peer sent a warning
   *   alert, @p code its description. For #DTLS_ALERT_CLOSE_NOTIFY the
   *   association has ended: the peer closed it (we answered with
   *   close_notify), or our own dtls_close() completed (the peer
   *   answered, or 2 s passed). Other warnings, e.g.
   *   #DTLS_ALERT_NO_RENEGOTIATION, leave the association in place.
   * - @p level #DTLS_ALERT_LEVEL_FATAL (2): the association has ended: the
   *   peer sent this fatal alert, or the library detected a failure and
   *   sent it (@p code is then the alert it sent, e.g. the one a
   *   credential callback returned), or the handshake was abandoned after
   *   #DTLS_DEFAULT_MAX_RETRANSMIT retransmissions or evicted at the
   *   handshake limit (code #DTLS_ALERT_HANDSHAKE_FAILURE, no alert
   *   sent).
   *
   * When an event ends an association, the association is removed before
   * the callback runs, as upstream does: dtls_get_peer() returns NULL in
   * it and dtls_connect() starts a new handshake. Without this slot
   * events are not reported.
   *
   * @param ctx     The context.
   * @param session The peer's address.
   * @param level   0, #DTLS_ALERT_LEVEL_WARNING or #DTLS_ALERT_LEVEL_FATAL.
   * @param code    A DTLS_EVENT_* code (level 0) or a #dtls_alert_t.
   * @return Ignored.
   */
  int (*event)(struct dtls_context_t *ctx, session_t *session,
               dtls_alert_level_t level, unsigned short code);

  /**
   * @brief Optional: adjusts the parameters of one handshake.
   *
   * Called once per handshake, renegotiations included: by a client
   * before it builds its ClientHello, by a server when a ClientHello with
   * a valid cookie arrives. @p parameters holds the library defaults:
   * cipher_suites = { TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
   * TLS_ECDHE_ECDSA_WITH_AES_128_CCM, TLS_PSK_WITH_AES_128_CCM_8,
   * TLS_PSK_WITH_AES_128_CCM, TLS_NULL_WITH_NULL_NULL },
   * force_extended_master_secret = 1, force_renegotiation_info = 1 and
   * support_cid = #DTLS_USE_CID_DEFAULT (1). Changes apply to this
   * handshake only; suites whose credential callbacks are missing are
   * skipped whatever the list says. When NULL, the defaults are used.
   *
   * @param ctx        The context.
   * @param session    The peer's address.
   * @param parameters The parameters to read and change; only valid during
   *                   the call.
   */
  void (*get_user_parameters)(struct dtls_context_t *ctx,
                              session_t *session,
                              dtls_user_parameters_t *parameters);

#ifdef DTLS_PSK
  /**
   * @brief Supplies a PSK identity hint, identity or key.
   *
   * - #DTLS_PSK_HINT (server, when it chose a PSK suite): @p desc NULL,
   *   @p result_length 128. Return 0 to send no hint.
   * - #DTLS_PSK_IDENTITY (client): @p desc is the server's hint (NULL and
   *   0 without one), @p result_length 128.
   * - #DTLS_PSK_KEY (both): @p desc is the identity, @p result_length 64:
   *   keys of up to 64 bytes are accepted (RFC 4279); upstream passes 16
   *   and cannot use longer keys. A key of 0 bytes is refused.
   *
   * Without this slot the PSK suites are not used.
   *
   * @param ctx           The context.
   * @param session       The peer's address.
   * @param type          What is asked for.
   * @param desc          See above; only valid during the call.
   * @param desc_len      Length of @p desc in bytes.
   * @param result        Where to write the answer.
   * @param result_length Room in @p result, in bytes.
   * @return The number of bytes written to @p result, or a negative value
   *         to abort the handshake: dtls_alert_fatal_create(x) (any value
   *         dtls_is_alert() accepts) sends the fatal alert x, any other
   *         negative value or a length above @p result_length sends
   *         @c internal_error.
   */
  int (*get_psk_info)(struct dtls_context_t *ctx,
                      const session_t *session,
                      dtls_credentials_type_t type,
                      const unsigned char *desc, size_t desc_len,
                      unsigned char *result, size_t result_length);
#endif /* DTLS_PSK */

#ifdef DTLS_ECC
  /**
   * @brief Supplies our own ECDSA key pair (raw public key, RFC 7250).
   *
   * Called by a server that chose an ECDHE-ECDSA suite, and by a client
   * whose server asked for its key; a client without this slot answers
   * such a request with an empty Certificate and the server decides.
   *
   * @param ctx     The context.
   * @param session The peer's address.
   * @param result  Set it to a key that stays valid until the callback
   *                returns (see #dtls_ecdsa_key_t).
   * @return 0 (or any value >= 0) on success; a negative value aborts the
   *         handshake, sending the alert of a dtls_alert_fatal_create()
   *         value or else @c internal_error.
   */
  int (*get_ecdsa_key)(struct dtls_context_t *ctx,
                       const session_t *session,
                       const dtls_ecdsa_key_t **result);

  /**
   * @brief Decides whether the peer's raw public key is trusted.
   *
   * Called by a client for the server's key and by a server for the
   * client's key, after the library checked that the point lies on the
   * curve.
   *
   * @param ctx         The context.
   * @param session     The peer's address.
   * @param other_pub_x The key's x coordinate, big-endian; valid during
   *                    the call.
   * @param other_pub_y The key's y coordinate, big-endian.
   * @param key_size    Length of each coordinate: always 32.
   * @return 0 (or any value >= 0) to accept; a negative value rejects the
   *         key and ends the handshake with the alert of a
   *         dtls_alert_fatal_create() value, e.g.
   *         dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE), or
   *         @c internal_error for any other negative value.
   */
  int (*verify_ecdsa_key)(struct dtls_context_t *ctx,
                          const session_t *session,
                          const unsigned char *other_pub_x,
                          const unsigned char *other_pub_y,
                          size_t key_size);
#endif /* DTLS_ECC */
} dtls_handler_t;

struct netq_t;

/**
 * @brief A DTLS endpoint: the associations with all its peers.
 *
 * Allocated by dtls_new_context() and released by dtls_free_context();
 * never allocate or copy one yourself. Applications use only @c app
 * (dtls_set_app_data(), dtls_get_app_data()) and @c h
 * (dtls_set_handler()); the other fields keep upstream's layout but the
 * library keeps its state elsewhere.
 */
typedef struct dtls_context_t {
  /** Random bytes drawn when the context was created. Unused: the real
   *  cookie secrets are internal and rotate (see
   *  #DTLS_COOKIE_SECRET_LENGTH). */
  unsigned char cookie_secret[DTLS_COOKIE_SECRET_LENGTH];
  clock_time_t cookie_secret_age;   /**< dtls_ticks() when the context was created; unused. */
  dtls_peer_t *peers;               /**< Always NULL here (upstream's peer table); use dtls_get_peer(). */
  struct netq_t *sendqueue;         /**< Always NULL here (upstream's retransmission queue). */
  void *app;                        /**< The application's pointer; never used by the library. */
  dtls_handler_t *h;                /**< The application's callbacks, or NULL; see dtls_set_handler(). */
} dtls_context_t;

/**
 * @brief Initialises the library.
 *
 * Records the wall-clock second in @c dtls_clock_offset, as upstream;
 * everything else needs no set-up. Call it once before using the library,
 * from one thread; calling it again is harmless.
 */
void dtls_init(void);

/**
 * @brief Creates a context.
 *
 * The new context has no callbacks: set them with dtls_set_handler()
 * before the first datagram arrives. It has the defaults of dtls_ext.h
 * (MTU #DTLS_MAX_BUF, 1 s initial retransmission timeout, ...).
 *
 * @param app_data Stored in dtls_context_t::app (see
 *                 dtls_get_app_data()); the library never uses it.
 * @return The context, owned by the application until it passes it to
 *         dtls_free_context(); NULL when memory is exhausted. May be
 *         called from any thread.
 */
dtls_context_t *dtls_new_context(void *app_data);

/**
 * @brief Ends every association and frees a context.
 *
 * Sends close_notify (through the @c write callback) to every established
 * association that is neither closing nor marked closed by the
 * application, then frees the context and everything it owns: its
 * associations, the dtls_peer_t views dtls_get_peer() returned and the
 * peers given to dtls_connect_peer(). No events are reported. Called
 * from a callback, it takes effect when the outermost library call
 * returns; until then the context stays usable from that call's
 * callbacks. Afterwards @p ctx must not be used.
 *
 * @param ctx The context; NULL does nothing. A call while another thread
 *            is inside the library with @p ctx is refused (#DTLS_LOG_CRIT
 *            line) and frees nothing.
 */
void dtls_free_context(dtls_context_t *ctx);

/**
 * @brief Stores the application's pointer in a context (a macro, as
 *        upstream: it assigns dtls_context_t::app).
 * @param CTX  The context (evaluated once, must not be NULL).
 * @param DATA The pointer to keep; the library never uses it.
 */
#define dtls_set_app_data(CTX,DATA) ((CTX)->app = (DATA))
/**
 * @brief The application's pointer of a context (a macro reading
 *        dtls_context_t::app).
 * @param CTX The context (must not be NULL).
 * @return The pointer given to dtls_new_context() or dtls_set_app_data().
 */
#define dtls_get_app_data(CTX) ((CTX)->app)

/**
 * @brief Installs the application's callbacks.
 *
 * Inline, as upstream: it only stores @p h in @p ctx. The table stays the
 * application's and must outlive its use by the context; it may be
 * replaced at any time from the context's thread.
 *
 * @param ctx The context; must not be NULL.
 * @param h   The callback table, or NULL for none (sending then fails and
 *            nothing is reported).
 */
static inline void
dtls_set_handler(dtls_context_t *ctx, dtls_handler_t *h) {
  ctx->h = h;
}

/**
 * @brief Starts a handshake as client with @p dst.
 *
 * Sends a ClientHello through the @c write callback and reports
 * #DTLS_EVENT_CONNECT once some of it was sent. The handshake then
 * proceeds in dtls_handle_message() and dtls_check_retransmit() and ends
 * with #DTLS_EVENT_CONNECTED or a fatal event. An association with @p dst
 * that is closing or closed (dtls_close(), or marked by the application)
 * is replaced.
 *
 * @param ctx The context.
 * @param dst The server's address; copied, the caller keeps it.
 * @return > 0: the ClientHello was sent; the value is the length of the
 *         ClientHello message minus what the @c write callback reported
 *         unsent, as upstream computes it.
 *         0: an association with @p dst is already established or
 *         shaking hands (nothing is sent), or the @c write callback
 *         reported 0 bytes (the ClientHello is retransmitted later).
 *         < 0: the @c write callback's own negative result (the attempt
 *         is dropped), or -1 for a NULL argument, a call from a second
 *         thread, or the association limit of dtls_set_limits() (logged).
 */
int dtls_connect(dtls_context_t *ctx, const session_t *dst);

/**
 * @brief Starts a handshake as client with the address of a peer object,
 *        replacing any association with it.
 *
 * Like dtls_connect(), except that an existing association with
 * @p peer->session is dropped first without close_notify (upstream's
 * behaviour, used by clients that restart a session).
 *
 * @param ctx  The context.
 * @param peer A peer from dtls_new_peer(). The context takes ownership
 *             and frees it in dtls_free_context(); do not free it. Unlike
 *             upstream, it does not become the association's view:
 *             dtls_get_peer() returns another object. When the call is
 *             refused for a NULL context or a second thread, the caller
 *             keeps ownership.
 * @return As dtls_connect(); -1 also for a NULL @p peer.
 */
int dtls_connect_peer(dtls_context_t *ctx, dtls_peer_t *peer);

/**
 * @brief Closes the association with @p remote.
 *
 * Sends a close_notify alert and sets the peer's state to
 * #DTLS_STATE_CLOSING; a handshake in progress stops. The association is
 * removed when the peer answers with close_notify or, failing that, 2 s
 * later (run by dtls_check_retransmit()); either way the @c event
 * callback then gets level #DTLS_ALERT_LEVEL_WARNING, code
 * #DTLS_ALERT_CLOSE_NOTIFY. Meanwhile dtls_write() to it fails with -1.
 * Closing an association that is already closing sends nothing.
 *
 * @param ctx    The context.
 * @param remote The peer's address; only read during the call.
 * @return 0 on success; -1 when there is no association with @p remote,
 *         for a NULL argument or for a call from a second thread.
 */
int dtls_close(dtls_context_t *ctx, const session_t *remote);

/**
 * @brief Renegotiates an established association (RFC 5246).
 *
 * A client sends a new ClientHello, a server a HelloRequest; both sides
 * report #DTLS_EVENT_RENEGOTIATE when it starts and #DTLS_EVENT_CONNECTED
 * when it completes. Application data keeps flowing in the old epoch
 * meanwhile; the Connection IDs of the first handshake are kept. Only
 * secure renegotiation (RFC 5746) is done.
 *
 * Not in upstream's current API (dropped in 2023); kept from earlier
 * releases, which Debian's libcoap 4.3.1 still uses.
 *
 * @param ctx The context.
 * @param dst The peer's address; only read during the call.
 * @return 0 when the renegotiation started or one is already in
 *         progress; -1 (with a warning in the log) when there is no
 *         established association with @p dst, the peer did not
 *         negotiate RFC 5746, the handshake limit is reached or sending
 *         failed, and for a NULL argument or a call from a second thread.
 */
int dtls_renegotiate(dtls_context_t *ctx, const session_t *dst);

/**
 * @brief Sends the concatenation of several buffers as one record.
 *
 * All data goes into exactly one application data record in one
 * datagram, never truncated: data that does not fit
 * (dtls_get_max_write(), by default 1400 - 13 - 8 - the tag length) is
 * refused. Data is never queued.
 *
 * @param ctx           The context.
 * @param session       The peer's address; only read during the call.
 * @param buf_array     The buffers; only read during the call.
 * @param buf_len_array Their lengths.
 * @param buf_array_len The number of buffers (0 sends an empty record).
 * @return The number of bytes sent: the total length minus what the
 *         @c write callback reported unsent, never below 0 (as upstream);
 *         the @c write callback's own negative result when it failed.
 *         0 when there is no association (a handshake is started as by
 *         dtls_connect(), whose negative result is returned if it fails)
 *         or while the handshake runs; nothing is sent then, as upstream.
 *         -1 with a warning in the log when the association is closing or
 *         closed (dtls_close(), or #DTLS_STATE_CLOSED or
 *         #DTLS_STATE_CLOSING written into dtls_peer_t::state; upstream
 *         returns 0) and when the data does not fit in one record; -1 also
 *         for NULL arguments and for a call from a second thread.
 */
int dtls_writev(struct dtls_context_t *ctx,
                session_t *session, uint8 *buf_array[],
                size_t buf_len_array[], size_t buf_array_len);

/**
 * @brief Sends one buffer as one record: dtls_writev() with one buffer.
 *
 * @param ctx     The context.
 * @param session The peer's address; only read during the call.
 * @param buf     The data; only read during the call. May be NULL when
 *                @p len is 0.
 * @param len     Its length.
 * @return As dtls_writev(): the bytes sent, 0 when nothing could be sent
 *         yet, or < 0 on error.
 */
int dtls_write(struct dtls_context_t *ctx, session_t *session,
               uint8 *buf, size_t len);

/**
 * @brief Runs every timer of the context that is due.
 *
 * Retransmits handshake flights whose timeout expired (whole flights,
 * RFC 6347 section 4.2.4: first after 1 s, see dtls_set_initial_timeout(),
 * then doubling up to 60 s, #DTLS_DEFAULT_MAX_RETRANSMIT times),
 * abandons handshakes 60 s after the last retransmission (fatal event,
 * code #DTLS_ALERT_HANDSHAKE_FAILURE), removes closing associations
 * whose peer did not answer within 2 s, and releases the final flights
 * kept for the peer. Nothing is retransmitted unless the application
 * calls this function; call it whenever the deadline it returned has
 * passed (and after calls that may have started a timer, such as
 * dtls_connect() or dtls_handle_message()).
 *
 * @param context The context.
 * @param next    If not NULL, receives the tick (dtls_ticks() milliseconds)
 *                of the next deadline, or 0 when no timer is pending. It
 *                is also set to 0 when the call is refused (NULL context,
 *                second thread).
 */
void dtls_check_retransmit(dtls_context_t *context, clock_time_t *next);

/** @brief Length of the HelloVerifyRequest cookies this library's servers
 *  send (clients accept any length the protocol allows). */
#define DTLS_COOKIE_LENGTH 16

/** @name Record content types
 *  Values of dtls_record_header_t::content_type.
 *  @{ */
#define DTLS_CT_CHANGE_CIPHER_SPEC 20   /**< ChangeCipherSpec. */
#define DTLS_CT_ALERT              21   /**< Alert. */
#define DTLS_CT_HANDSHAKE          22   /**< Handshake messages. */
#define DTLS_CT_APPLICATION_DATA   23   /**< Application data. */
#define DTLS_CT_TLS12_CID          25   /**< A record with a Connection ID (RFC 9146), as on upstream's develop branch. */
/** @} */

#if defined(__GNUC__) || defined(__clang__)
/**
 * @brief Declares a structure without padding, for wire formats:
 *        `PACK(typedef struct) { ... } name;`.
 * @param __Declaration__ The start of the declaration.
 */
#define PACK(__Declaration__) __Declaration__ __attribute__((__packed__))
#else
#error "PACK() needs a compiler with __attribute__((__packed__))"
#endif

/** @brief The record layer header as it is on the wire (13 bytes; the
 *  Connection ID of a #DTLS_CT_TLS12_CID record would follow the sequence
 *  number). All fields are big-endian; read them with numeric.h. */
PACK(typedef struct) {
  uint8 content_type;     /**< One of the DTLS_CT_* values. */
  uint16 version;         /**< Protocol version, e.g. #DTLS_VERSION. */
  uint16 epoch;           /**< Epoch, incremented with every ChangeCipherSpec. */
  uint48 sequence_number; /**< Record sequence number within the epoch. */
  uint16 length;          /**< Length of the fragment that follows. */
} dtls_record_header_t;

/** @name Handshake message types
 *  Values of dtls_handshake_header_t::msg_type (RFC 5246, RFC 6347).
 *  @{ */
#define DTLS_HT_HELLO_REQUEST        0   /**< HelloRequest (a server asks for renegotiation). */
#define DTLS_HT_CLIENT_HELLO         1   /**< ClientHello. */
#define DTLS_HT_SERVER_HELLO         2   /**< ServerHello. */
#define DTLS_HT_HELLO_VERIFY_REQUEST 3   /**< HelloVerifyRequest (the cookie exchange). */
#define DTLS_HT_CERTIFICATE         11   /**< Certificate (a raw public key here). */
#define DTLS_HT_SERVER_KEY_EXCHANGE 12   /**< ServerKeyExchange. */
#define DTLS_HT_CERTIFICATE_REQUEST 13   /**< CertificateRequest. */
#define DTLS_HT_SERVER_HELLO_DONE   14   /**< ServerHelloDone. */
#define DTLS_HT_CERTIFICATE_VERIFY  15   /**< CertificateVerify. */
#define DTLS_HT_CLIENT_KEY_EXCHANGE 16   /**< ClientKeyExchange. */
#define DTLS_HT_FINISHED            20   /**< Finished. */
/** @} */

/** @brief Value of dtls_peer_t::optional_handshake_message when no
 *  message may be skipped (the only value this library stores there). */
#define DTLS_HT_NO_OPTIONAL_MESSAGE -1

/** @brief The handshake message header as it is on the wire (12 bytes,
 *  big-endian fields). */
PACK(typedef struct) {
  uint8 msg_type;          /**< One of the DTLS_HT_* values. */
  uint24 length;           /**< Length of the whole message body. */
  uint16 message_seq;      /**< Message sequence number. */
  uint24 fragment_offset;  /**< Offset of this fragment in the body. */
  uint24 fragment_length;  /**< Length of this fragment. */
} dtls_handshake_header_t;

/** @brief The fixed start of a ClientHello body; the session id, cookie,
 *  cipher suites, compression methods and extensions follow. */
PACK(typedef struct) {
  uint16 version;             /**< Highest version the client offers. */
  uint32 gmt_random;          /**< First 4 bytes of the client random. */
  unsigned char random[28];   /**< The other 28 bytes of the client random. */
} dtls_client_hello_t;

/** @brief The HelloVerifyRequest body. */
PACK(typedef struct) {
  uint16 version;         /**< Server version (0xfeff, as RFC 6347 recommends). */
  uint8 cookie_length;    /**< Length of @c cookie. */
  uint8 cookie[];         /**< The cookie, up to 255 bytes (#DTLS_COOKIE_LENGTH from our servers). */
} dtls_hello_verify_t;

/**
 * @brief Processes one received datagram.
 *
 * Handles every record in it: handshake messages (answering a ClientHello
 * without valid cookie statelessly with a HelloVerifyRequest, creating
 * the association once the cookie is valid), alerts, application data
 * (delivered through the @c read callback) and records with a Connection
 * ID, which are matched by their CID, not by address. Records that do
 * not parse, do not authenticate, are replayed or belong to no
 * association are dropped silently. Callbacks run inside this call.
 *
 * @param ctx     The context.
 * @param session The sender's address as received (e.g. filled by
 *                recvfrom() into a zeroed session_t); copied when an
 *                association is created, otherwise only read during the
 *                call.
 * @param msg     The datagram. Records are decrypted in place, so its
 *                contents change; it is not used after the call returns.
 * @param msglen  Its length in bytes.
 * @return 0 when the datagram was handled or dropped; the
 *         dtls_alert_fatal_create() value of the alert sent when a
 *         handshake failed in this datagram (the association is then
 *         gone and the fatal event was reported); -1 for NULL arguments,
 *         a negative @p msglen or a call from a second thread.
 */
int dtls_handle_message(dtls_context_t *ctx, session_t *session,
                        uint8 *msg, int msglen);

/**
 * @brief Finds the association with an address.
 *
 * The lookup compares the address family, address, port, IPv6 scope and
 * session_t::ifindex; upstream compares all bytes of the
 * @ref session_t, padding included (see session.h).
 *
 * @param context The context.
 * @param session The address to look up; only read during the call.
 * @return The association's dtls_peer_t, or NULL when there is none (also
 *         inside the event callback of an event that ended it), for NULL
 *         arguments and for a call from a second thread. The object
 *         belongs to the library: it stays valid until the association is
 *         removed and the outermost library call in progress has returned,
 *         so call dtls_get_peer() again rather than keeping it. See
 *         dtls_peer_t for which fields may be read and written.
 */
dtls_peer_t *dtls_get_peer(const dtls_context_t *context,
                           const session_t *session);

/**
 * @brief Removes an association at once.
 *
 * Sends close_notify if the association is established and neither
 * closing nor marked #DTLS_STATE_CLOSED or #DTLS_STATE_CLOSING by the
 * application (that is how an application drops an association
 * silently), stops its handshake and retransmissions and removes it. No
 * event is reported.
 *
 * @param context The context.
 * @param peer    A peer returned by dtls_get_peer() for this context; it
 *                must not be used afterwards. Pointers the context does
 *                not know (already removed, or from dtls_new_peer()) and
 *                NULL are ignored.
 */
void dtls_reset_peer(dtls_context_t *context, dtls_peer_t *peer);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_DTLS_H_ */
