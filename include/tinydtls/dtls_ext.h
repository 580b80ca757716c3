/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dtls_ext.h
 * @brief Settings beyond upstream tinydtls's API.
 *
 * Everything here is an extension of this implementation: upstream
 * tinydtls has none of these functions, so code that must also build
 * against upstream should test for #TINYDTLS_HAVE_EXTENSIONS.
 *
 * Each setter returns 0 on success and -1 for a NULL context or a value
 * out of range, with one #DTLS_LOG_WARN line naming the function and the
 * argument (as every function of the API that refuses its arguments). Settings
 * apply to handshakes and records started after the call. The functions
 * that take a context follow the thread rule of dtls.h: a call while
 * another thread is inside the library with the same context is refused
 * with a #DTLS_LOG_CRIT line (-1, or 0 for dtls_get_mtu()).
 */
#ifndef _DTLS_EXT_H_
#define _DTLS_EXT_H_

#include <stddef.h>
#include <stdint.h>

#include "dtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Defined (to 1) when the functions of this header exist. */
#define TINYDTLS_HAVE_EXTENSIONS 1

/**
 * @brief This project's version, tinydtls-go's (semantic versioning), as
 *        a string such as "1.0.0".
 *
 * It names the build in bug reports and changes with every release. What
 * consumers of upstream tinydtls compare stays the tinydtls API version
 * this library implements: #PACKAGE_VERSION, dtls_package_version() and
 * tinydtls.pc's Version (0.8.6, so that checks such as "tinydtls >= 0.8.6"
 * keep working); tinydtls.pc also has the variable tinydtls_go_version.
 * The value comes from the file VERSION of the source tree, written into
 * the installed header by the build.
 */
#define TINYDTLS_GO_VERSION "@TINYDTLS_GO_VERSION@"

/**
 * @brief The version of the library in use at run time.
 *
 * #TINYDTLS_GO_VERSION is the version of the headers a program was
 * compiled with; this is the version of the libtinydtls it runs with. The
 * first log line of every context (at #DTLS_LOG_NOTICE) names both
 * versions: "tinydtls-go 1.0.0 (tinydtls API 0.8.6)". Cheap: it does not
 * start the library's Go engine.
 *
 * @return The version, e.g. "1.0.0": a static string (do not free it).
 */
const char *tinydtls_go_version(void);

/**
 * @brief Sets the largest datagram the context sends (the path MTU minus
 *        IP and UDP headers).
 *
 * The records of a handshake flight (one per message or fragment) share
 * datagrams of at most this size, and messages that do not fit into an
 * empty datagram are fragmented (a ClientHello is never
 * fragmented: below about 140 bytes it goes out whole, slightly larger);
 * application data larger than fits is refused by dtls_write().
 *
 * @param ctx The context.
 * @param mtu The MTU, 128 to 65507 bytes; the default is #DTLS_MAX_BUF
 *            (1400).
 * @return 0, or -1 for a NULL context or an MTU out of range (logged).
 */
int dtls_set_mtu(dtls_context_t *ctx, size_t mtu);

/**
 * @brief The MTU in use (see dtls_set_mtu()).
 *
 * @param ctx The context.
 * @return The MTU in bytes, or 0 for a NULL context or a call from a
 *         second thread.
 */
size_t dtls_get_mtu(const dtls_context_t *ctx);

/**
 * @brief Sets the first retransmission timeout of handshake flights.
 *
 * The timeout doubles after every retransmission, up to 60 s (or this
 * value, if larger); after #DTLS_DEFAULT_MAX_RETRANSMIT (7)
 * retransmissions and one more maximal timeout the handshake is abandoned
 * (see the README).
 *
 * @param ctx The context.
 * @param ms  The timeout in milliseconds, 1 to 60000; the default is 1000.
 * @return 0, or -1 for a NULL context or a value out of range (logged).
 */
int dtls_set_initial_timeout(dtls_context_t *ctx, unsigned int ms);

/**
 * @brief The largest payload one dtls_write() to a session accepts now.
 *
 * It follows from the MTU, the cipher suite's overhead (13-byte header,
 * 8-byte explicit nonce, 8- or 16-byte tag, plus the Connection ID in
 * use) and the record size limit the peer advertised (RFC 8449).
 *
 * @param ctx     The context.
 * @param session The peer's address; only read during the call.
 * @return The number of bytes, or -1 when the session has no established
 *         association, for NULL arguments or a call from a second thread.
 */
int dtls_get_max_write(dtls_context_t *ctx, const session_t *session);

/**
 * @brief Default of dtls_set_record_size_limit(): 0, the record_size_limit
 *        extension (RFC 8449) is not sent.
 */
#define DTLS_DEFAULT_RECORD_SIZE_LIMIT 0
/**
 * @brief Sets the record size limit (RFC 8449) the context advertises:
 *        the largest record plaintext it asks its peers to send.
 *
 * A protected record from the peer over the limit ends the association
 * with a fatal @c record_overflow alert. Whatever this is set to, a limit
 * the peer advertises is always honoured: records and handshake fragments
 * sent to it never exceed it.
 *
 * @param ctx   The context.
 * @param limit 64 to 16384 bytes, or 0 to not send the extension (the
 *              default, #DTLS_DEFAULT_RECORD_SIZE_LIMIT).
 * @return 0, or -1 for a NULL context or a value out of range (logged).
 */
int dtls_set_record_size_limit(dtls_context_t *ctx, size_t limit);

/**
 * @brief Sets the length of the Connection IDs (RFC 9146) the context
 *        hands out as a server.
 *
 * Whether a handshake negotiates a CID at all is the @c support_cid flag
 * of the @c get_user_parameters callback. A client asks for no CID for
 * itself (it offers a zero-length one).
 *
 * @param ctx    The context.
 * @param length 0 to #DTLS_MAX_CID_LENGTH (16) bytes; the default is 6. 0
 *               still accepts the client's offer but asks it to send
 *               without a CID.
 * @return 0, or -1 for a NULL context or a length out of range (logged).
 */
int dtls_set_cid_length(dtls_context_t *ctx, size_t length);

/**
 * @name Protocol versions
 * The values of the version field on the wire, as dtls_set_versions()
 * takes them and dtls_get_version() returns them. They count down as the
 * protocol goes up: DTLS 1.3 is the lower number.
 * @{
 */
#define DTLS_VERSION_1_2 0xfefd /**< DTLS 1.2 (RFC 6347). */
#define DTLS_VERSION_1_3 0xfefc /**< DTLS 1.3 (RFC 9147). */
/** @} */

/**
 * @name DTLS 1.3 cipher suites
 * Code points (RFC 8446, RFC 9147) for the @c cipher_suites list of
 * dtls_user_parameters_t, beside upstream's #dtls_cipher_t values (they
 * are not members of that enum, so that upstream's header and every switch
 * over it stay as they are). A DTLS 1.3 suite names only the record
 * protection; the authentication, PSK or ECDHE with raw public keys, comes
 * from the credential callbacks as in DTLS 1.2. An application that lists
 * only DTLS 1.2 suites gets, in DTLS 1.3, the suites with the same AEAD
 * and authentication: TLS_PSK_WITH_AES_128_CCM_8 allows
 * #TLS_AES_128_CCM_8_SHA256 with a PSK, TLS_ECDHE_ECDSA_WITH_AES_128_CCM
 * allows #TLS_AES_128_CCM_SHA256 with raw public keys. With the library's
 * default list all three are allowed.
 * @{
 */
/** AES-128-GCM, SHA-256 (0x1301). */
#define TLS_AES_128_GCM_SHA256 ((dtls_cipher_t)0x1301)
/** AES-128-CCM with a 16-byte tag, SHA-256 (0x1304). */
#define TLS_AES_128_CCM_SHA256 ((dtls_cipher_t)0x1304)
/** AES-128-CCM with an 8-byte tag, SHA-256 (0x1305): the profile for
 *  constrained devices (RFC 9147 and RFC 8446 Appendix B.4). */
#define TLS_AES_128_CCM_8_SHA256 ((dtls_cipher_t)0x1305)
/** @} */

/**
 * @brief Sets the range of protocol versions the context negotiates.
 *
 * By default a context negotiates DTLS 1.3 as a server with every client
 * that offers it (and DTLS 1.2 with the others), and offers only DTLS 1.2
 * as a client. With @p max_version #DTLS_VERSION_1_3 a client offers DTLS
 * 1.3 and accepts a server's DTLS 1.2; with both bounds #DTLS_VERSION_1_3
 * it speaks DTLS 1.3 only, and a server refuses DTLS 1.2 clients. With @p max_version #DTLS_VERSION_1_2 a
 * server never negotiates DTLS 1.3.
 *
 * Programs that cannot call this function (libcoap, unmodified
 * applications) can set the environment variables
 * @c TINYDTLS_GO_MAX_VERSION and @c TINYDTLS_GO_MIN_VERSION to @c 1.2 or
 * @c 1.3: dtls_new_context() reads them, so that e.g.
 * @c TINYDTLS_GO_MAX_VERSION=1.3 makes the clients of a program offer
 * DTLS 1.3. A variable not set leaves its bound at the default; a value
 * that is not @c 1.2 or @c 1.3 (or a minimum above the maximum) is
 * ignored with a #DTLS_LOG_WARN line. A call of this function after
 * dtls_new_context() overrides them.
 *
 * DTLS 1.3 here has external PSKs and raw public keys (the same callbacks
 * as DTLS 1.2) and no 0-RTT data, no session tickets and no X.509
 * certificates. On a DTLS 1.3 association dtls_renegotiate() updates the
 * traffic keys (a KeyUpdate) instead of starting a new handshake.
 *
 * Handshakes started after the call use the new range.
 *
 * @param ctx         The context.
 * @param min_version The oldest version: #DTLS_VERSION_1_2,
 *                    #DTLS_VERSION_1_3, or 0 for the default.
 * @param max_version The newest version: #DTLS_VERSION_1_2,
 *                    #DTLS_VERSION_1_3, or 0 for the default.
 * @return 0, or -1 for a NULL context, a value that is none of these or a
 *         minimum newer than the maximum (logged).
 */
int dtls_set_versions(dtls_context_t *ctx, uint16_t min_version,
                      uint16_t max_version);

/**
 * @brief The protocol version of an established association.
 *
 * Upstream's structures have no field for it: dtls_security_params() and
 * the peer's state look the same in both versions.
 *
 * @param ctx     The context.
 * @param session The peer's address; only read during the call.
 * @return #DTLS_VERSION_1_2 or #DTLS_VERSION_1_3, or -1 when the session
 *         has no established association, for NULL arguments (logged) or
 *         a call from a second thread.
 */
int dtls_get_version(dtls_context_t *ctx, const session_t *session);

/**
 * @brief Sets the context's resource limits.
 *
 * At either limit, a new client that proved its address (valid cookie)
 * evicts the oldest half-open server handshake, which is reported as a
 * fatal event with code #DTLS_ALERT_HANDSHAKE_FAILURE; if there is none,
 * its ClientHello is dropped (with a warning). dtls_connect() at a limit
 * returns -1 (logged).
 *
 * @param ctx            The context.
 * @param max_peers      The most associations the context keeps (default
 *                       100000); 0 keeps the current value.
 * @param max_handshakes The most handshakes in progress at once (default
 *                       2048); 0 keeps the current value.
 * @return 0, or -1 for a NULL context or a call from a second thread.
 */
int dtls_set_limits(dtls_context_t *ctx, unsigned int max_peers,
                    unsigned int max_handshakes);

/**
 * @brief Memory statistics of the Go runtime inside the library, filled
 *        by dtls_ext_go_stats() (for benchmarks and monitoring).
 */
typedef struct {
  uint64_t heap_live;      /**< Bytes of live Go heap objects. */
  uint64_t heap_sys;       /**< Bytes of heap obtained from the operating system. */
  uint64_t heap_released;  /**< Bytes of heap returned to the operating system. */
  uint64_t mallocs;        /**< Cumulative count of heap allocations. */
  uint64_t total_alloc;    /**< Cumulative bytes allocated. */
  uint64_t num_gc;         /**< Completed garbage collections. */
} dtls_ext_go_stats_t;

/**
 * @brief Reads the Go runtime's memory statistics. Process-wide, safe from
 *        any thread.
 *
 * @param out Receives the statistics.
 * @param gc  0 to read them as they are; 1 to run a garbage collection
 *            first, so that @c heap_live is exact; 2 to also return freed
 *            memory to the operating system.
 * @return 0, or -1 when @p out is NULL.
 */
int dtls_ext_go_stats(dtls_ext_go_stats_t *out, int gc);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_EXT_H_ */
