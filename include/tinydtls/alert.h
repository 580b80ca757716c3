/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file alert.h
 * @brief DTLS alert levels and descriptions, the library's event codes,
 *        and the negative int encoding of alerts used by callbacks and
 *        return values.
 *
 * The @c event callback of #dtls_handler_t receives either an alert
 * (level #DTLS_ALERT_LEVEL_WARNING or #DTLS_ALERT_LEVEL_FATAL, code a
 * #dtls_alert_t) or, with level 0, one of the DTLS_EVENT_* codes.
 */
#ifndef _DTLS_ALERT_H_
#define _DTLS_ALERT_H_

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Alert levels (RFC 5246, section 7.2). The @c event callback
 *  also gets level 0 for the library's own events (DTLS_EVENT_*). */
typedef enum {
  DTLS_ALERT_LEVEL_WARNING = 1,   /**< Warning: close_notify, or an alert the association survives. */
  DTLS_ALERT_LEVEL_FATAL = 2      /**< Fatal: the association has ended. */
} dtls_alert_level_t;

/** @brief AlertDescription values (RFC 5246, section 7.2), the @c code of
 *  alert events. */
typedef enum {
  DTLS_ALERT_CLOSE_NOTIFY = 0,              /**< The sender closes the association (dtls_close()). */
  DTLS_ALERT_UNEXPECTED_MESSAGE = 10,       /**< A message arrived that is wrong at this point. */
  DTLS_ALERT_BAD_RECORD_MAC = 20,           /**< A record did not authenticate. Here it also ends a handshake whose peer's Finished record (the first handshake record after its ChangeCipherSpec) fails to authenticate, which means the keys differ (typically a wrong PSK); the alert reaches the peer. Upstream stays silent. */
  DTLS_ALERT_RECORD_OVERFLOW = 22,          /**< A record exceeded the allowed size (also the RFC 8449 limit, dtls_set_record_size_limit()). */
  DTLS_ALERT_DECOMPRESSION_FAILURE = 30,    /**< Decompression failed (never sent: only the null compression exists). */
  DTLS_ALERT_HANDSHAKE_FAILURE = 40,        /**< No acceptable parameters; also the code of the fatal event of an abandoned handshake. */
  DTLS_ALERT_BAD_CERTIFICATE = 42,          /**< The peer's raw public key was rejected or malformed. */
  DTLS_ALERT_UNSUPPORTED_CERTIFICATE = 43,  /**< A certificate type that is not supported. */
  DTLS_ALERT_CERTIFICATE_REVOKED = 44,      /**< The certificate was revoked. */
  DTLS_ALERT_CERTIFICATE_EXPIRED = 45,      /**< The certificate expired. */
  DTLS_ALERT_CERTIFICATE_UNKNOWN = 46,      /**< Some other certificate problem. */
  DTLS_ALERT_ILLEGAL_PARAMETER = 47,        /**< A field was out of range or inconsistent. */
  DTLS_ALERT_UNKNOWN_CA = 48,               /**< The certificate's authority is not trusted. */
  DTLS_ALERT_ACCESS_DENIED = 49,            /**< Valid credentials, but access is refused. */
  DTLS_ALERT_DECODE_ERROR = 50,             /**< A message could not be decoded. */
  DTLS_ALERT_DECRYPT_ERROR = 51,            /**< A signature or Finished check failed. */
  DTLS_ALERT_PROTOCOL_VERSION = 70,         /**< The peer's protocol version is not supported. */
  DTLS_ALERT_INSUFFICIENT_SECURITY = 71,    /**< The peer's parameters are too weak. */
  DTLS_ALERT_INTERNAL_ERROR = 80,           /**< A local failure, e.g. a credential callback returned a value that is not an alert. */
  DTLS_ALERT_USER_CANCELED = 90,            /**< The handshake was cancelled. */
  DTLS_ALERT_NO_RENEGOTIATION = 100,        /**< (Warning) a renegotiation was declined: sent to a peer without RFC 5746 support. */
  DTLS_ALERT_UNSUPPORTED_EXTENSION = 110    /**< An extension the sender did not offer was returned. */
} dtls_alert_t;

/**
 * @name Library events
 * Codes passed to the @c event callback with level 0. They are all
 * >= 256, so they never collide with an alert description.
 * @{
 */
/** @brief A client started a handshake: its ClientHello left (from
 *  dtls_connect(), dtls_connect_peer() or a dtls_write() without
 *  association). */
#define DTLS_EVENT_CONNECT      0x01DC  /* client started a handshake */
/** @brief A handshake completed, in both roles; also reported when a
 *  renegotiation completes. dtls_write() works from now on. */
#define DTLS_EVENT_CONNECTED    0x01DE  /* handshake finished */
/** @brief A renegotiation of an established association starts, in both
 *  roles: after dtls_renegotiate(), or when the peer asks for one. Its
 *  completion is reported with #DTLS_EVENT_CONNECTED.
 *
 *  Upstream dropped this code and renegotiation in 2023; this library
 *  keeps both (Debian's libcoap 4.3.1 refers to the code). */
#define DTLS_EVENT_RENEGOTIATE  0x01DF
/** @} */

/**
 * @brief Encodes an alert as the negative int that callbacks return and
 *        dtls_handle_message() reports: -((level << 8) | desc).
 *
 * A credential callback (@c get_psk_info, @c get_ecdsa_key,
 * @c verify_ecdsa_key) that returns such a value makes the library end the
 * handshake with alert @p desc; the alert is always sent as fatal.
 *
 * @param level The alert level.
 * @param desc  The alert description.
 * @return The encoded alert, a value between -767 and -256.
 */
static inline int
dtls_alert_create(dtls_alert_level_t level, dtls_alert_t desc) {
  return -(int)(((unsigned int)level << 8) | (unsigned int)desc);
}

/**
 * @brief Encodes a fatal alert: dtls_alert_create(DTLS_ALERT_LEVEL_FATAL,
 *        desc).
 *
 * @param desc The alert description.
 * @return The encoded alert, -(512 + desc); e.g. -552 for
 *         #DTLS_ALERT_HANDSHAKE_FAILURE.
 */
static inline int
dtls_alert_fatal_create(dtls_alert_t desc) {
  return dtls_alert_create(DTLS_ALERT_LEVEL_FATAL, desc);
}

/**
 * @brief Tells whether an int encodes an alert.
 *
 * True when @p err lies strictly between -(3 << 8) and -(1 << 8). As with
 * upstream, a warning close_notify (-256) falls outside this range and is
 * not reported as an alert; the library uses the same range to decide
 * whether a callback's negative result names the alert to send.
 *
 * @param err The value to test.
 * @return 1 for an encoded alert, 0 otherwise.
 */
static inline int
dtls_is_alert(int err) {
  return err < -(1 << 8) && err > -(3 << 8);
}

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_ALERT_H_ */
