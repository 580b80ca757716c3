/*
 * dtls_ext.h -- settings beyond upstream tinydtls's API.
 *
 * Everything here is an extension of this implementation: upstream
 * tinydtls has none of these functions, so code that must also build
 * against upstream should test for TINYDTLS_HAVE_EXTENSIONS.
 *
 * Each setter returns 0 on success and -1 for a NULL context or a value out
 * of range (a log line says which). Settings apply to handshakes and
 * records started after the call.
 */
#ifndef _DTLS_EXT_H_
#define _DTLS_EXT_H_

#include <stddef.h>
#include <stdint.h>

#include "dtls.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TINYDTLS_HAVE_EXTENSIONS 1

/*
 * Largest datagram the library sends (path MTU minus IP and UDP headers).
 * Default DTLS_MAX_BUF (1400); at least 128. Handshake flights are packed
 * into datagrams of at most this size, fragmenting messages that do not
 * fit; application records larger than fits are refused by dtls_write().
 */
int dtls_set_mtu(dtls_context_t *ctx, size_t mtu);

/* Returns the MTU in use, or 0 for a NULL context. */
size_t dtls_get_mtu(const dtls_context_t *ctx);

/*
 * First retransmission timeout of a handshake flight, in milliseconds
 * (default 1000). It doubles after every retransmission up to 60 s; after
 * DTLS_DEFAULT_MAX_RETRANSMIT (7) retransmissions the handshake is
 * abandoned (see the README).
 */
int dtls_set_initial_timeout(dtls_context_t *ctx, unsigned int ms);

/*
 * Largest payload the application can pass to one dtls_write() to this
 * session right now, or -1 if the session has no established association.
 */
int dtls_get_max_write(dtls_context_t *ctx, const session_t *session);

/*
 * Record size limit (RFC 8449): the largest record plaintext this context
 * asks its peers to send it, 64..16384, or 0 to not send the extension
 * (the default, DTLS_DEFAULT_RECORD_SIZE_LIMIT). Whatever this is set to, a
 * limit the peer advertises is always honoured: records and handshake
 * fragments sent to it never exceed it.
 */
#define DTLS_DEFAULT_RECORD_SIZE_LIMIT 0
int dtls_set_record_size_limit(dtls_context_t *ctx, size_t limit);

/*
 * Connection ID (RFC 9146) length this context hands out as a server,
 * 0..DTLS_MAX_CID_LENGTH (default 6). 0 still accepts the client's offer
 * but asks it to send without a CID. Whether a handshake negotiates a CID
 * at all is the support_cid flag of get_user_parameters().
 */
int dtls_set_cid_length(dtls_context_t *ctx, size_t length);

/*
 * Resource limits: the most associations this context keeps (default
 * 100000), and the most handshakes in progress at once (default 2048; a
 * new client then evicts the oldest half-open server handshake). 0 keeps
 * the current value.
 */
int dtls_set_limits(dtls_context_t *ctx, unsigned int max_peers,
                    unsigned int max_handshakes);

/*
 * Memory statistics of the Go runtime inside the library (for benchmarks
 * and monitoring). gc: 0 as is; 1 run a garbage collection first, so that
 * heap_live is exact; 2 also return freed memory to the operating system.
 * Returns 0, or -1 for out == NULL.
 */
typedef struct {
  uint64_t heap_live;      /* bytes of live Go heap objects */
  uint64_t heap_sys;       /* bytes of heap obtained from the OS */
  uint64_t heap_released;  /* bytes of heap returned to the OS */
  uint64_t mallocs;        /* cumulative count of heap allocations */
  uint64_t total_alloc;    /* cumulative bytes allocated */
  uint64_t num_gc;         /* completed garbage collections */
} dtls_ext_go_stats_t;

int dtls_ext_go_stats(dtls_ext_go_stats_t *out, int gc);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_EXT_H_ */
