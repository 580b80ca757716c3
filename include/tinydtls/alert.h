/*
 * alert.h -- DTLS alert codes and library events.
 */
#ifndef _DTLS_ALERT_H_
#define _DTLS_ALERT_H_

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  DTLS_ALERT_LEVEL_WARNING = 1,
  DTLS_ALERT_LEVEL_FATAL = 2
} dtls_alert_level_t;

/* AlertDescription values of RFC 5246, section 7.2. */
typedef enum {
  DTLS_ALERT_CLOSE_NOTIFY = 0,
  DTLS_ALERT_UNEXPECTED_MESSAGE = 10,
  DTLS_ALERT_BAD_RECORD_MAC = 20,
  DTLS_ALERT_RECORD_OVERFLOW = 22,
  DTLS_ALERT_DECOMPRESSION_FAILURE = 30,
  DTLS_ALERT_HANDSHAKE_FAILURE = 40,
  DTLS_ALERT_BAD_CERTIFICATE = 42,
  DTLS_ALERT_UNSUPPORTED_CERTIFICATE = 43,
  DTLS_ALERT_CERTIFICATE_REVOKED = 44,
  DTLS_ALERT_CERTIFICATE_EXPIRED = 45,
  DTLS_ALERT_CERTIFICATE_UNKNOWN = 46,
  DTLS_ALERT_ILLEGAL_PARAMETER = 47,
  DTLS_ALERT_UNKNOWN_CA = 48,
  DTLS_ALERT_ACCESS_DENIED = 49,
  DTLS_ALERT_DECODE_ERROR = 50,
  DTLS_ALERT_DECRYPT_ERROR = 51,
  DTLS_ALERT_PROTOCOL_VERSION = 70,
  DTLS_ALERT_INSUFFICIENT_SECURITY = 71,
  DTLS_ALERT_INTERNAL_ERROR = 80,
  DTLS_ALERT_USER_CANCELED = 90,
  DTLS_ALERT_NO_RENEGOTIATION = 100,
  DTLS_ALERT_UNSUPPORTED_EXTENSION = 110
} dtls_alert_t;

/*
 * Codes passed to the event callback with level 0.  They are all >= 256
 * so they never collide with an alert description.
 */
#define DTLS_EVENT_CONNECT      0x01DC  /* client started a handshake */
#define DTLS_EVENT_CONNECTED    0x01DE  /* handshake finished */
/* Dropped by upstream in 2023; this library still implements
 * dtls_renegotiate() and reports a finished renegotiation with it. */
#define DTLS_EVENT_RENEGOTIATE  0x01DF

/*
 * Alerts travel through the API as negative ints: -(level << 8 | desc).
 * Callbacks return them to make the library send that alert.
 */
static inline int
dtls_alert_create(dtls_alert_level_t level, dtls_alert_t desc) {
  return -(int)(((unsigned int)level << 8) | (unsigned int)desc);
}

static inline int
dtls_alert_fatal_create(dtls_alert_t desc) {
  return dtls_alert_create(DTLS_ALERT_LEVEL_FATAL, desc);
}

/*
 * Tells whether err encodes an alert, i.e. lies strictly between
 * -(3 << 8) and -(1 << 8).  As upstream, a warning close_notify (-256)
 * falls outside this range and is not reported as an alert.
 */
static inline int
dtls_is_alert(int err) {
  return err < -(1 << 8) && err > -(3 << 8);
}

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_ALERT_H_ */
