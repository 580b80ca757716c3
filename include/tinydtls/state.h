/*
 * state.h -- handshake state machine states and per-handshake counters.
 */
#ifndef _DTLS_STATE_H_
#define _DTLS_STATE_H_

#include <stdint.h>

#include "global.h"
#include "hmac.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a peer is in its handshake; read it with dtls_peer_state(). */
typedef enum {
  DTLS_STATE_INIT = 0,
  /* server side */
  DTLS_STATE_WAIT_CLIENTHELLO,
  DTLS_STATE_WAIT_CLIENTCERTIFICATE,
  DTLS_STATE_WAIT_CLIENTKEYEXCHANGE,
  DTLS_STATE_WAIT_CERTIFICATEVERIFY,
  /* both sides */
  DTLS_STATE_WAIT_CHANGECIPHERSPEC,
  DTLS_STATE_WAIT_FINISHED,
  DTLS_STATE_FINISHED,
  /* client side */
  DTLS_STATE_CLIENTHELLO,
  DTLS_STATE_WAIT_SERVERCERTIFICATE,
  DTLS_STATE_WAIT_SERVERKEYEXCHANGE,
  DTLS_STATE_WAIT_SERVERHELLODONE,
  /* after the handshake */
  DTLS_STATE_CONNECTED,
  DTLS_STATE_CLOSING,
  DTLS_STATE_CLOSED
} dtls_state_t;

typedef struct {
  uint16_t mseq_s;        /* message_seq of the next handshake message sent */
  uint16_t mseq_r;        /* message_seq expected next from the peer */
  uint16_t read_epoch;    /* epoch of records accepted from the peer */
  dtls_hash_ctx hs_hash;  /* transcript hash for the Finished messages */
  dtls_hash_ctx ext_hash; /* transcript snapshot for the extended master secret */
} dtls_hs_state_t;

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_STATE_H_ */
