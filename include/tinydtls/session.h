/*
 * session.h -- the transport address of a DTLS peer (POSIX sockets).
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

/*
 * A remote endpoint plus the local interface it was seen on.
 *
 * Upstream looks peers up by the raw bytes of the whole structure,
 * padding included, so always clear it (memset or dtls_session_init())
 * before filling in the address.  This library only compares the
 * address family, address, port, IPv6 scope and ifindex.
 */
typedef struct {
  socklen_t size;               /* number of valid bytes in addr */
  union {
    struct sockaddr sa;
    struct sockaddr_storage st;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
  } addr;
  int ifindex;                  /* local interface index, 0 if unknown */
} session_t;

/* Zeroes sess and sets size to the capacity of sess->addr. */
void dtls_session_init(session_t *sess);

/* Allocates a session for the given address; NULL on failure.
 * Release it with dtls_free_session(). */
session_t* dtls_new_session(struct sockaddr *addr, socklen_t addrlen);

/* Releases a session returned by dtls_new_session(). */
void dtls_free_session(session_t *sess);

/* Returns the address inside sess and stores its length in *addrlen;
 * NULL when sess is NULL. */
struct sockaddr* dtls_session_addr(session_t *sess, socklen_t *addrlen);

/* 1 when a and b name the same endpoint (family, address, port and
 * interface), 0 otherwise. */
int dtls_session_equals(const session_t *a, const session_t *b);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_SESSION_H_ */
