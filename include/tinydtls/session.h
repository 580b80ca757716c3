/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file session.h
 * @brief The transport address of a DTLS peer (session_t, POSIX sockets)
 *        and its helpers.
 */
#ifndef _DTLS_SESSION_H_
#define _DTLS_SESSION_H_

#include "tinydtls.h"
#include "global.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A remote endpoint plus the local interface it was seen on.
 *
 * Applications fill it from recvfrom() (or by hand) and pass it to the
 * library, which copies what it keeps. Clear it first, with memset() or
 * dtls_session_init(), then fill @c size and @c addr.
 *
 * The library tells peers apart by address family, address, port, IPv6
 * scope and @c ifindex. Upstream compares all 144 bytes of the structure,
 * padding included, so code that must also work with upstream has to
 * clear it; here a session with stale padding still finds its peer.
 */
typedef struct {
  socklen_t size;               /**< Number of valid bytes in @c addr. */
  /** The address: @c sin for IPv4, @c sin6 for IPv6. */
  union {
    struct sockaddr sa;         /**< Generic view (e.g. for recvfrom()). */
    struct sockaddr_storage st; /**< Room for any address. */
    struct sockaddr_in sin;     /**< IPv4 address and port. */
    struct sockaddr_in6 sin6;   /**< IPv6 address, port and scope. */
  } addr;
  int ifindex;                  /**< Local interface index, 0 if unknown. Part of the peer's identity. */
} session_t;

/**
 * @brief Clears a session: all bytes zero, @c size set to the room in
 *        @c addr (ready for recvfrom()).
 *
 * @param sess The session; NULL does nothing.
 */
void dtls_session_init(session_t *sess);

/**
 * @brief Allocates a session holding an address.
 *
 * @param addr    The address to copy.
 * @param addrlen Its length; at most sizeof(struct sockaddr_storage).
 * @return The new session, owned by the caller and released with
 *         dtls_free_session(); NULL for a NULL or too long address and
 *         when memory is exhausted.
 */
session_t* dtls_new_session(struct sockaddr *addr, socklen_t addrlen);

/**
 * @brief Releases a session from dtls_new_session().
 *
 * @param sess The session; NULL does nothing.
 */
void dtls_free_session(session_t *sess);

/**
 * @brief The socket address inside a session, e.g. for sendto().
 *
 * @param sess    The session.
 * @param addrlen If not NULL, receives session_t::size.
 * @return A pointer into @p sess (valid as long as it is), or NULL when
 *         @p sess is NULL.
 */
struct sockaddr* dtls_session_addr(session_t *sess, socklen_t *addrlen);

/**
 * @brief Compares two sessions.
 *
 * Equal means the same @c ifindex, @c size and address family, and for
 * IPv4 and IPv6 the same address and port (other families: the same
 * @c size bytes of address). This is close to, but not exactly, the
 * library's own peer lookup (see session_t), which also compares the IPv6
 * scope and ignores @c size.
 *
 * @param a One session.
 * @param b The other.
 * @return 1 when they name the same endpoint (or both are NULL), 0
 *         otherwise.
 */
int dtls_session_equals(const session_t *a, const session_t *b);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_SESSION_H_ */
