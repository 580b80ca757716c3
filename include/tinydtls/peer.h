/*
 * peer.h -- the per-peer connection state kept by a DTLS context.
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

typedef enum {
  DTLS_CLIENT = 0,
  DTLS_SERVER
} dtls_peer_type;

/*
 * One association with a remote endpoint.  Created and owned by the
 * library; applications get pointers from dtls_get_peer() and should
 * only read it through the inline helpers below.
 */
typedef struct dtls_peer_t {
#ifdef DTLS_PEERS_NOHASH
  struct dtls_peer_t *next;
#else
  UT_hash_handle hh;                   /* peer table linkage, keyed by session */
#endif
  session_t session;                   /* remote address and local interface */
  dtls_peer_type role;                 /* our role in this association */
  dtls_state_t state;
  int16_t optional_handshake_message;  /* DTLS_HT_* that may be skipped, or -1 */
  /* [0] is the epoch in use for sending, [1] the previous or next one */
  dtls_security_parameters_t *security_params[2];
  dtls_handshake_parameters_t *handshake_params;  /* NULL once connected */
} dtls_peer_t;

/* A peer that has not passed the cookie exchange: the server answers it
 * without allocating any state. */
typedef struct dtls_ephemeral_peer_t {
  session_t *session;
  uint64_t rseq;     /* record sequence number to answer with */
  uint16_t mseq;     /* handshake message_seq to answer with */
} dtls_ephemeral_peer_t;

/* The security parameters for the given epoch, or NULL if neither slot
 * holds that epoch. */
static inline dtls_security_parameters_t *
dtls_security_params_epoch(dtls_peer_t *peer, uint16_t epoch) {
  int i;
  for (i = 0; i < 2; i++) {
    if (peer->security_params[i] && peer->security_params[i]->epoch == epoch)
      return peer->security_params[i];
  }
  return NULL;
}

/* The security parameters to decrypt a received record of the given
 * epoch with, or NULL when none are available. */
static inline dtls_security_parameters_t *
dtls_security_params_read_epoch(dtls_peer_t *peer, uint16_t epoch) {
  return dtls_security_params_epoch(peer, epoch);
}

/* The parameters currently used for sending. */
static inline dtls_security_parameters_t *
dtls_security_params(dtls_peer_t *peer) {
  return peer->security_params[0];
}

/* Replaces slot [1] with fresh parameters for the epoch after the
 * current one; NULL when allocation fails. */
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

/* Drops slot [1] once it only holds an epoch older than slot [0]. */
static inline void
dtls_security_params_free_other(dtls_peer_t *peer) {
  dtls_security_parameters_t *current = peer->security_params[0];
  dtls_security_parameters_t *other = peer->security_params[1];

  if (!current || !other || current->epoch < other->epoch)
    return;
  dtls_security_free(other);
  peer->security_params[1] = NULL;
}

/* Swaps the two slots, making the pending epoch the current one. */
static inline void
dtls_security_params_switch(dtls_peer_t *peer) {
  dtls_security_parameters_t *tmp = peer->security_params[0];
  peer->security_params[0] = peer->security_params[1];
  peer->security_params[1] = tmp;
}

/* Called once by dtls_init(). */
void peer_init(void);

/* Allocates a peer for session, with initial (epoch 0, null cipher)
 * security parameters.  NULL on failure; release with dtls_free_peer(). */
dtls_peer_t *dtls_new_peer(const session_t *session);

/* Releases a peer and everything it owns. */
void dtls_free_peer(dtls_peer_t *peer);

static inline dtls_state_t
dtls_peer_state(const dtls_peer_t *peer) {
  return peer->state;
}

/* 1 when the handshake with peer has completed, 0 otherwise. */
static inline int
dtls_peer_is_connected(const dtls_peer_t *peer) {
  return peer->state == DTLS_STATE_CONNECTED;
}

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_PEER_H_ */
