/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Plain C objects of the public API that carry no protocol logic: session_t
 * helpers, dtls_peer_t and parameter allocation, the netq list, the PRNG.
 * Compiled into the Go engine and, with TDTLS_FRONT, into the C front
 * (capi/front), which serves these functions without starting the engine.
 */
#include <errno.h>
#include <sys/random.h>

#include "capi.h"

/* session.h */

void dtls_session_init(session_t *sess) {
  if (!sess) {
    tdtls_arg_refused("dtls_session_init", "sess is NULL");
    return;
  }
  memset(sess, 0, sizeof(*sess));
  sess->size = sizeof(sess->addr);
}

session_t *dtls_new_session(struct sockaddr *addr, socklen_t addrlen) {
  session_t *sess;
  if (!addr) {
    tdtls_arg_refused("dtls_new_session", "addr is NULL");
    return NULL;
  }
  if (addrlen > sizeof(sess->addr)) {
    tdtls_arg_refused("dtls_new_session", "addrlen %u is larger than %zu",
                      (unsigned)addrlen, sizeof(sess->addr));
    return NULL;
  }
  sess = malloc(sizeof(*sess));
  if (!sess)
    return NULL;
  dtls_session_init(sess);
  memcpy(&sess->addr, addr, addrlen);
  sess->size = addrlen;
  return sess;
}

void dtls_free_session(session_t *sess) { free(sess); }

struct sockaddr *dtls_session_addr(session_t *sess, socklen_t *addrlen) {
  if (!sess) {
    tdtls_arg_refused("dtls_session_addr", "sess is NULL");
    return NULL;
  }
  if (addrlen)
    *addrlen = sess->size;
  return &sess->addr.sa;
}

int dtls_session_equals(const session_t *a, const session_t *b) {
  if (!a || !b)
    return a == b;
  if (a->ifindex != b->ifindex || a->size != b->size ||
      a->addr.sa.sa_family != b->addr.sa.sa_family)
    return 0;
  switch (a->addr.sa.sa_family) {
  case AF_INET:
    return a->addr.sin.sin_port == b->addr.sin.sin_port &&
           memcmp(&a->addr.sin.sin_addr, &b->addr.sin.sin_addr,
                  sizeof(struct in_addr)) == 0;
  case AF_INET6:
    return a->addr.sin6.sin6_port == b->addr.sin6.sin6_port &&
           memcmp(&a->addr.sin6.sin6_addr, &b->addr.sin6.sin6_addr,
                  sizeof(struct in6_addr)) == 0;
  default:
    return memcmp(&a->addr, &b->addr, a->size) == 0;
  }
}

/* crypto.h parameter blocks. The engine keeps its real state in Go; these
 * exist for applications that use the inline helpers of peer.h. */

dtls_security_parameters_t *dtls_security_new(void) {
  return calloc(1, sizeof(dtls_security_parameters_t));
}

void dtls_security_free(dtls_security_parameters_t *security) {
  free(security);
}

#ifndef TDTLS_FRONT /* the front forwards it: it starts a SHA-256 hash */
dtls_handshake_parameters_t *dtls_handshake_new(void) {
  dtls_handshake_parameters_t *handshake = calloc(1, sizeof(*handshake));
  /* As upstream: the handshake hash starts ready for use. */
  if (handshake)
    dtls_hash_init(&handshake->hs_state.hs_hash);
  return handshake;
}
#endif

void dtls_handshake_free(dtls_handshake_parameters_t *handshake) {
  if (!handshake)
    return;
  netq_delete_all(&handshake->reorder_queue);
  free(handshake);
}

void crypto_init(void) {}

/* peer.h */

void peer_init(void) {}

dtls_peer_t *dtls_new_peer(const session_t *session) {
  dtls_peer_t *peer = tdtls_peer_alloc(session, DTLS_CLIENT);
  if (!peer)
    return NULL;
  peer->security_params[0] = dtls_security_new();
  if (!peer->security_params[0]) {
    free(peer);
    return NULL;
  }
  return peer;
}

void dtls_free_peer(dtls_peer_t *peer) {
  if (!peer)
    return;
  dtls_handshake_free(peer->handshake_params);
  dtls_security_free(peer->security_params[0]);
  dtls_security_free(peer->security_params[1]);
  free(peer);
}

/* A peer without security parameters: the start of dtls_new_peer() and
 * the mirror of an association that applications read through
 * dtls_get_peer(). A mirror gets security_params[0] when an application
 * first gets the peer (only then can it reach it), so that a large server's
 * idle associations do not each carry one; the Go side frees a mirror with
 * free() on the peer and security_params[0], which is all it ever holds. */
dtls_peer_t *tdtls_peer_alloc(const session_t *session, int role) {
  dtls_peer_t *peer = calloc(1, sizeof(*peer));
  if (!peer)
    return NULL;
  if (session)
    peer->session = *session;
  peer->optional_handshake_message = DTLS_HT_NO_OPTIONAL_MESSAGE;
  peer->role = (dtls_peer_type)role;
  return peer;
}

/* netq.h: a list ordered by time, as upstream's. */

netq_t *netq_node_new(size_t size) {
  netq_t *node = calloc(1, sizeof(netq_t) + size);
  if (node)
    node->length = size;
  return node;
}

void netq_node_free(netq_t *node) { free(node); }

int netq_insert_node(netq_t **queue, netq_t *node) {
  netq_t **p;
  if (!queue || !node) {
    tdtls_arg_refused("netq_insert_node", "%s is NULL", queue ? "node" : "queue");
    return 0;
  }
  p = queue;
  while (*p && !DTLS_IS_BEFORE_TIME(node->t, (*p)->t))
    p = &(*p)->next;
  node->next = *p;
  *p = node;
  return 1;
}

netq_t *netq_head(netq_t **queue) {
  if (!queue) {
    tdtls_arg_refused("netq_head", "queue is NULL");
    return NULL;
  }
  return *queue;
}

netq_t *netq_next(netq_t *p) {
  if (!p) {
    tdtls_arg_refused("netq_next", "p is NULL");
    return NULL;
  }
  return p->next;
}

void netq_remove(netq_t **queue, netq_t *p) {
  netq_t **q;
  if (!queue || !p) {
    tdtls_arg_refused("netq_remove", "%s is NULL", queue ? "p" : "queue");
    return;
  }
  for (q = queue; *q; q = &(*q)->next) {
    if (*q == p) {
      *q = p->next;
      p->next = NULL;
      return;
    }
  }
}

netq_t *netq_pop_first(netq_t **queue) {
  netq_t *first;
  if (!queue) {
    tdtls_arg_refused("netq_pop_first", "queue is NULL");
    return NULL;
  }
  if (!*queue)
    return NULL;
  first = *queue;
  *queue = first->next;
  first->next = NULL;
  return first;
}

void netq_delete_all(netq_t **queue) {
  netq_t *p, *next;
  if (!queue)
    return;
  for (p = *queue; p; p = next) {
    next = p->next;
    free(p);
  }
  *queue = NULL;
}

/* dtls_prng.h */

int dtls_prng(unsigned char *buf, size_t len) {
  size_t done = 0;
  if (!buf && len > 0) {
    tdtls_arg_refused("dtls_prng", "buf is NULL with len %zu", len);
    return -1;
  }
  while (done < len) {
    ssize_t n = getrandom(buf + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    done += (size_t)n;
  }
  return (int)len;
}

void dtls_prng_init(unsigned seed) { (void)seed; }
