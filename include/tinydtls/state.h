/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file state.h
 * @brief Handshake and association states (dtls_state_t) and upstream's
 *        per-handshake counters.
 */
#ifndef _DTLS_STATE_H_
#define _DTLS_STATE_H_

#include <stdint.h>

#include "global.h"
#include "hmac.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Where an association is: the value of dtls_peer_t::state, read
 *        with dtls_peer_state().
 *
 * The numbering is upstream's. A server's association appears once the
 * client's ClientHello carried a valid cookie; a client's starts in
 * #DTLS_STATE_CLIENTHELLO. Both reach #DTLS_STATE_CONNECTED and stay
 * there during a renegotiation. #DTLS_STATE_FINISHED is never used by
 * this library. Applications may write #DTLS_STATE_CLOSED or
 * #DTLS_STATE_CLOSING into dtls_peer_t::state (see there).
 */
typedef enum {
  DTLS_STATE_INIT = 0,                  /**< A new peer from dtls_new_peer(); no handshake yet. */
  /* server side */
  DTLS_STATE_WAIT_CLIENTHELLO,          /**< Server: processing the client's ClientHello. */
  DTLS_STATE_WAIT_CLIENTCERTIFICATE,    /**< Server: waiting for the client's Certificate (we asked for its raw public key). */
  DTLS_STATE_WAIT_CLIENTKEYEXCHANGE,    /**< Server: waiting for the ClientKeyExchange. */
  DTLS_STATE_WAIT_CERTIFICATEVERIFY,    /**< Server: waiting for the client's CertificateVerify. */
  /* both sides */
  DTLS_STATE_WAIT_CHANGECIPHERSPEC,     /**< Both: waiting for the peer's ChangeCipherSpec. */
  DTLS_STATE_WAIT_FINISHED,             /**< Both: waiting for the peer's Finished. */
  DTLS_STATE_FINISHED,                  /**< Upstream's transitional state; not used here. */
  /* client side */
  DTLS_STATE_CLIENTHELLO,               /**< Client: ClientHello sent, waiting for a HelloVerifyRequest or ServerHello. */
  DTLS_STATE_WAIT_SERVERCERTIFICATE,    /**< Client: waiting for the server's Certificate (raw public key). */
  DTLS_STATE_WAIT_SERVERKEYEXCHANGE,    /**< Client: waiting for the ServerKeyExchange. */
  DTLS_STATE_WAIT_SERVERHELLODONE,      /**< Client: waiting for ServerHelloDone (or a CertificateRequest). */
  /* after the handshake */
  DTLS_STATE_CONNECTED,                 /**< The handshake completed; data flows (also during a renegotiation). */
  DTLS_STATE_CLOSING,                   /**< dtls_close() sent close_notify; the association ends when the peer answers or after 2 s. Also written by applications (see dtls_peer_t::state). */
  DTLS_STATE_CLOSED                     /**< The association has ended: the state of a removed association's view, or written by the application (see dtls_peer_t::state). */
} dtls_state_t;

/** @brief Upstream's per-handshake counters and transcript hashes. Kept
 *  for its layout (it is part of dtls_handshake_parameters_t); this
 *  library's handshakes keep their state internally and do not use it
 *  (dtls_handshake_new() only starts @c hs_hash, as upstream). */
typedef struct {
  uint16_t mseq_s;        /**< message_seq of the next handshake message sent. */
  uint16_t mseq_r;        /**< message_seq expected next from the peer. */
  uint16_t read_epoch;    /**< Epoch of the records accepted from the peer. */
  dtls_hash_ctx hs_hash;  /**< Transcript hash for the Finished messages. */
  dtls_hash_ctx ext_hash; /**< Transcript snapshot for the extended master secret. */
} dtls_hs_state_t;

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_STATE_H_ */
