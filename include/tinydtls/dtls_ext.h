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

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_EXT_H_ */
