/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file peer.h
 * @brief The application's view of one association (dtls_peer_t) and the
 *        helpers that read it.
 *
 * The library keeps its association state internally. dtls_get_peer()
 * hands out a dtls_peer_t with upstream's layout that the library keeps
 * current (session, role, state, epoch and Connection ID); dtls_new_peer()
 * allocates a free-standing one for dtls_connect_peer().
 */
#ifndef _DTLS_PEER_H_
#define _DTLS_PEER_H_

#include <stdint.h>
#include <sys/types.h>

#include "tinydtls.h"
#include "global.h"
#include "session.h"
#include "state.h"
#include "crypto.h"

#ifndef DTLS_PEERS_NOHASH
#include "uthash.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Our role in an association. */
typedef enum {
  DTLS_CLIENT = 0,    /**< We started the handshake (dtls_connect()). */
  DTLS_SERVER         /**< The peer started it; we answered its ClientHello. */
} dtls_peer_type;

/**
 * @brief One association with a remote endpoint, as applications see it.
 *
 * Peers returned by dtls_get_peer() belong to the library, which updates
 * them as the association changes and frees them after the association
 * is removed (when the outermost library call in progress returns). Read
 * @c session, @c role and @c state freely, directly or with
 * dtls_peer_state() and dtls_peer_is_connected(), and
 * dtls_security_params() for the epoch and Connection ID. Of the fields,
 * only @c state may be written, and only with #DTLS_STATE_CLOSED or
 * #DTLS_STATE_CLOSING (see there); do not free or replace anything.
 *
 * Peers from dtls_new_peer() belong to the application until they are
 * passed to dtls_connect_peer().
 */
typedef struct dtls_peer_t {
#ifdef DTLS_PEERS_NOHASH
  /** Upstream's list link when built with DTLS_PEERS_NOHASH; this
   *  library is not, and does not support that layout. */
  struct dtls_peer_t *next;
#else
  /** Upstream's peer table linkage; all zero here (the library keeps
   *  its own table). */
  UT_hash_handle hh;
#endif
  /** The peer's address and local interface. The library keeps it
   *  current: with a Connection ID it follows the peer to a new address.
   *  Read only. */
  session_t session;
  dtls_peer_type role;                 /**< Our role in this association. Read only. */
  /**
   * The association's state, a #dtls_state_t (read it with
   * dtls_peer_state()); #DTLS_STATE_CONNECTED once the handshake
   * completed, and also during a renegotiation.
   *
   * The application may write #DTLS_STATE_CLOSED or #DTLS_STATE_CLOSING
   * to drop the association quietly, as some upstream applications do
   * (Wakaama, before dtls_reset_peer()). The library applies it at the
   * next dtls_write(), dtls_writev(), dtls_connect(), dtls_close(),
   * dtls_handle_message(), dtls_reset_peer() or dtls_free_context()
   * concerning this peer: its handshake and retransmissions stop, nothing
   * more is sent of the library's own accord, dtls_write() refuses (-1,
   * with a warning; upstream returns 0), dtls_reset_peer() and
   * dtls_free_context() send no close_notify, and dtls_connect() starts a
   * new handshake; data from the peer is still delivered. Any other value
   * written is put back, with a warning in the log.
   */
  dtls_state_t state;
  /** Upstream's marker of a handshake message that may be skipped; here
   *  always #DTLS_HT_NO_OPTIONAL_MESSAGE. */
  int16_t optional_handshake_message;
  /** Per-epoch parameters. In a peer from dtls_get_peer(), slot [0]
   *  (dtls_security_params()) carries the current sending epoch and the
   *  Connection ID in use, and every other field of it is zero (keys are
   *  never exposed); slot [1] is NULL. In a peer from dtls_new_peer(),
   *  slot [0] is a zeroed epoch 0. */
  dtls_security_parameters_t *security_params[2];
  /** Upstream's handshake state; always NULL here. */
  dtls_handshake_parameters_t *handshake_params;
} dtls_peer_t;

/** @brief Upstream's description of a peer that has not passed the cookie
 *  exchange. This library answers such peers statelessly as well, but
 *  does not use this type. */
typedef struct dtls_ephemeral_peer_t {
  session_t *session;   /**< The peer's address. */
  uint64_t rseq;        /**< Record sequence number to answer with. */
  uint16_t mseq;        /**< Handshake message_seq to answer with. */
} dtls_ephemeral_peer_t;

/**
 * @brief Finds the security parameters of an epoch in a peer's two slots.
 *
 * Upstream's helper, inline; it only looks at the structure. In a peer
 * from dtls_get_peer() only the current sending epoch is present.
 *
 * @param peer  The peer; must not be NULL.
 * @param epoch The epoch.
 * @return The slot holding @p epoch, or NULL when neither does.
 */
static inline dtls_security_parameters_t *
dtls_security_params_epoch(dtls_peer_t *peer, uint16_t epoch) {
  int i;
  for (i = 0; i < 2; i++) {
    if (peer->security_params[i] && peer->security_params[i]->epoch == epoch)
      return peer->security_params[i];
  }
  return NULL;
}

/**
 * @brief The security parameters to read records of an epoch with: the
 *        same lookup as dtls_security_params_epoch().
 *
 * @param peer  The peer; must not be NULL.
 * @param epoch The epoch of a received record.
 * @return The slot holding @p epoch, or NULL.
 */
static inline dtls_security_parameters_t *
dtls_security_params_read_epoch(dtls_peer_t *peer, uint16_t epoch) {
  return dtls_security_params_epoch(peer, epoch);
}

/**
 * @brief The security parameters of the current sending epoch (slot [0]).
 *
 * For a peer from dtls_get_peer() the result holds the current epoch and,
 * in @c write_cid and @c write_cid_length, the Connection ID put on
 * records to the peer (length 0 without one); libcoap reads the latter.
 *
 * @param peer The peer; must not be NULL.
 * @return Slot [0]; owned by the peer, never to be freed by the caller.
 */
static inline dtls_security_parameters_t *
dtls_security_params(dtls_peer_t *peer) {
  return peer->security_params[0];
}

/**
 * @brief Replaces slot [1] with fresh parameters for the epoch after the
 *        current one.
 *
 * Upstream's helper for its own handshake code, inline. It frees the old
 * slot [1] with dtls_security_free() and allocates with
 * dtls_security_new(). Use it only on peers from dtls_new_peer(), never
 * on peers from dtls_get_peer().
 *
 * @param peer The peer; must not be NULL, slot [0] must be set.
 * @return The new parameters, or NULL when memory is exhausted.
 */
static inline dtls_security_parameters_t *
dtls_security_params_next(dtls_peer_t *peer) {
  dtls_security_parameters_t *next;

  if (peer->security_params[1])
    dtls_security_free(peer->security_params[1]);
  next = dtls_security_new();
  peer->security_params[1] = next;
  if (next)
    next->epoch = (uint16_t)(peer->security_params[0]->epoch + 1);
  return next;
}

/**
 * @brief Frees slot [1] when it holds an epoch that is not newer than
 *        slot [0]'s.
 *
 * Upstream's helper, inline. Use it only on peers from dtls_new_peer().
 *
 * @param peer The peer; must not be NULL.
 */
static inline void
dtls_security_params_free_other(dtls_peer_t *peer) {
  dtls_security_parameters_t *current = peer->security_params[0];
  dtls_security_parameters_t *other = peer->security_params[1];

  if (!current || !other || current->epoch < other->epoch)
    return;
  dtls_security_free(other);
  peer->security_params[1] = NULL;
}

/**
 * @brief Swaps the two slots, making the pending epoch the current one.
 *
 * Upstream's helper, inline. Use it only on peers from dtls_new_peer().
 *
 * @param peer The peer; must not be NULL.
 */
static inline void
dtls_security_params_switch(dtls_peer_t *peer) {
  dtls_security_parameters_t *tmp = peer->security_params[0];
  peer->security_params[0] = peer->security_params[1];
  peer->security_params[1] = tmp;
}

/**
 * @brief Initialises the peer module; nothing to do here. Called by
 *        dtls_init(), kept because upstream exports it.
 */
void peer_init(void);

/**
 * @brief Allocates a free-standing peer, for dtls_connect_peer().
 *
 * The peer has role #DTLS_CLIENT, state #DTLS_STATE_INIT, a zeroed
 * epoch-0 slot [0] and no handshake parameters. Thread-safe.
 *
 * @param session The address to copy into dtls_peer_t::session; NULL
 *                leaves it zeroed.
 * @return The peer, owned by the caller until it is passed to
 *         dtls_connect_peer(), else released with dtls_free_peer(); NULL
 *         when memory is exhausted.
 */
dtls_peer_t *dtls_new_peer(const session_t *session);

/**
 * @brief Releases a peer from dtls_new_peer() and everything it points to
 *        (handshake parameters, both security parameter slots).
 *
 * Never use it on peers from dtls_get_peer() (the library frees those) or
 * on peers already passed to dtls_connect_peer().
 *
 * @param peer The peer; NULL does nothing.
 */
void dtls_free_peer(dtls_peer_t *peer);

/**
 * @brief A peer's state: reads dtls_peer_t::state (inline).
 *
 * @param peer The peer; must not be NULL.
 * @return The state.
 */
static inline dtls_state_t
dtls_peer_state(const dtls_peer_t *peer) {
  return peer->state;
}

/**
 * @brief Tells whether a peer's handshake has completed (inline).
 *
 * @param peer The peer; must not be NULL.
 * @return 1 when its state is #DTLS_STATE_CONNECTED (which it stays during
 *         a renegotiation), 0 otherwise.
 */
static inline int
dtls_peer_is_connected(const dtls_peer_t *peer) {
  return peer->state == DTLS_STATE_CONNECTED;
}

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_PEER_H_ */
