/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file netq.h
 * @brief Upstream's time-ordered queue of datagrams awaiting
 *        retransmission.
 *
 * This library keeps its retransmission state internally and never puts
 * anything in dtls_context_t::sendqueue; the list functions are exported
 * for applications that use them on their own lists. They do no locking.
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
/** @brief Upstream's queue capacity on static-memory platforms (5 with
 *  ECC, 3 with PSK only); not enforced here, nodes are allocated on
 *  demand. */
#define NETQ_MAXCNT 5
#elif defined(DTLS_PSK)
/** @brief Upstream's queue capacity with PSK only (see above). */
#define NETQ_MAXCNT 3
#endif
#endif

/** @brief A datagram buffer of #DTLS_MAX_BUF bytes. */
typedef unsigned char netq_packet_t[DTLS_MAX_BUF];

/** @brief What is to happen to a node when its time comes. */
typedef enum netq_job_type_t {
  RESEND,     /**< Send the data again. */
  TIMEOUT     /**< Run deferred local handling of the data (upstream: of an alert it sent). */
} netq_job_type_t;

/** @brief A queued datagram. */
typedef struct netq_t {
  struct netq_t *next;           /**< The next node, later or equally due; NULL at the end. */
  clock_time_t t;                /**< When it is due, in dtls_ticks() units; the queue order. */
  unsigned int timeout;          /**< The current retransmission interval. */
  netq_job_type_t job;           /**< What to do when due. */
  dtls_peer_t *peer;             /**< The peer the datagram is for. */
  uint16_t epoch;                /**< The epoch the record is protected with. */
  uint8_t type;                  /**< The record content type (DTLS_CT_*). */
  unsigned char retransmit_cnt;  /**< Retransmissions done so far. */
  size_t length;                 /**< Bytes in @c data. */
  unsigned char data[];          /**< The datagram. */
} netq_t;

/** @brief Initialises the queue module; nothing to do on POSIX (inline). */
static inline void netq_init(void) { }

/**
 * @brief Inserts a node in time order: in front of the first node that
 *        is not due before it (compared with #DTLS_IS_BEFORE_TIME), so
 *        ahead of nodes due at the same time.
 *
 * @param queue The queue's head pointer.
 * @param node  The node; the queue holds it until it is removed.
 * @return 1 on success, 0 when @p queue or @p node is NULL.
 */
int netq_insert_node(netq_t **queue, netq_t *node);

/**
 * @brief Frees a node that is not, or no longer, in a queue.
 *
 * @param node The node; NULL does nothing.
 */
void netq_node_free(netq_t *node);

/**
 * @brief Frees every node of a queue and empties it.
 *
 * @param queue The queue's head pointer, set to NULL; NULL does nothing.
 */
void netq_delete_all(netq_t **queue);

/**
 * @brief Allocates a zeroed node with room for @p size bytes of data.
 *
 * @param size The room in netq_t::data; also stored in netq_t::length.
 * @return The node, owned by the caller (release it with netq_node_free()
 *         or netq_delete_all()); NULL when memory is exhausted.
 */
netq_t *netq_node_new(size_t size);

/**
 * @brief The first (earliest) node of a queue, left in the queue.
 *
 * @param queue The queue's head pointer.
 * @return The node, or NULL when the queue is empty or @p queue is NULL.
 */
netq_t *netq_head(netq_t **queue);

/**
 * @brief The node after another.
 *
 * @param p A node.
 * @return The next node, or NULL at the end or when @p p is NULL.
 */
netq_t *netq_next(netq_t *p);

/**
 * @brief Unlinks a node from a queue without freeing it.
 *
 * @param queue The queue's head pointer.
 * @param p     The node; the caller owns it again. Nothing happens when it
 *              is not in the queue or an argument is NULL.
 */
void netq_remove(netq_t **queue, netq_t *p);

/**
 * @brief Unlinks and returns the first node of a queue.
 *
 * @param queue The queue's head pointer.
 * @return The node, now owned by the caller, or NULL when the queue is
 *         empty or @p queue is NULL.
 */
netq_t *netq_pop_first(netq_t **queue);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_NETQ_H_ */
