/*
 * netq.h -- time-ordered queue of datagrams awaiting (re)transmission.
 */
#ifndef _DTLS_NETQ_H_
#define _DTLS_NETQ_H_

#include <stddef.h>
#include <stdint.h>

#include "tinydtls.h"
#include "global.h"
#include "dtls.h"
#include "dtls_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef NETQ_MAXCNT
/* Queue capacity on static-memory platforms; unused on POSIX, where
 * nodes are allocated on demand. */
#ifdef DTLS_ECC
#define NETQ_MAXCNT 5
#elif defined(DTLS_PSK)
#define NETQ_MAXCNT 3
#endif
#endif

typedef unsigned char netq_packet_t[DTLS_MAX_BUF];

typedef enum netq_job_type_t {
  RESEND,     /* send data again when t is reached */
  TIMEOUT     /* run the deferred local handling of data at t */
} netq_job_type_t;

typedef struct netq_t {
  struct netq_t *next;
  clock_time_t t;                /* due time, in dtls_ticks() units */
  unsigned int timeout;          /* current retransmission interval */
  netq_job_type_t job;
  dtls_peer_t *peer;             /* owner of the datagram */
  uint16_t epoch;                /* epoch the record is protected with */
  uint8_t type;                  /* record content type */
  unsigned char retransmit_cnt;  /* resends done so far */
  size_t length;                 /* bytes in data */
  unsigned char data[];          /* the datagram */
} netq_t;

/* Nothing to set up on POSIX. */
static inline void netq_init(void) { }

/* Inserts node ordered by t.  Returns non-zero on success, 0 on error. */
int netq_insert_node(netq_t **queue, netq_t *node);

/* Frees a node that is not (or no longer) in a queue. */
void netq_node_free(netq_t *node);

/* Frees every node of the queue and empties it. */
void netq_delete_all(netq_t **queue);

/* Allocates a node with room for size bytes of data; NULL on failure. */
netq_t *netq_node_new(size_t size);

/* First (earliest) node, or NULL when the queue is empty. */
netq_t *netq_head(netq_t **queue);

/* Node after p, or NULL. */
netq_t *netq_next(netq_t *p);

/* Unlinks p from the queue without freeing it. */
void netq_remove(netq_t **queue, netq_t *p);

/* Unlinks and returns the first node, or NULL when empty. */
netq_t *netq_pop_first(netq_t **queue);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_NETQ_H_ */
