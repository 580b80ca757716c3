/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dtls_config.h
 * @brief The compile-time configuration of this libtinydtls, seen by
 *        applications through tinydtls.h.
 *
 * Upstream generates this file with autoconf and installs it. Ours is
 * fixed: both the PSK and the ECDHE-ECDSA (raw public key) cipher suites
 * are always compiled in, and the HAVE_* values describe the glibc/Linux
 * hosts the library is built for. Changing a value here does not change
 * the library.
 *
 * The PACKAGE_* and HAVE_* macros leak into applications exactly as
 * upstream's do. Some applications rely on that (libcoap undefines the
 * PACKAGE_* ones before including us), so they stay even though nothing
 * in the public headers needs most of them.
 */
#ifndef TINYDTLS_DTLS_CONFIG_H
#define TINYDTLS_DTLS_CONFIG_H

/* Cipher suite families; tinydtls.h refuses to build without one. */
#define DTLS_ECC 1  /**< The ECDHE-ECDSA cipher suites (raw public keys, secp256r1) are compiled in: #dtls_handler_t has get_ecdsa_key and verify_ecdsa_key. */
#define DTLS_PSK 1  /**< The PSK cipher suites are compiled in: #dtls_handler_t has get_psk_info. */

/* Host capabilities, as autoconf reports them on glibc/Linux. */
#define HAVE_ARPA_INET_H 1  /**< The host has `arpa/inet.h`. */
#define HAVE_ASSERT_H 1  /**< The host has `assert.h`. */
#define HAVE_FCNTL_H 1  /**< The host has `fcntl.h`. */
#define HAVE_GETRANDOM 1  /**< The host has getrandom(), which dtls_prng() uses. */
#define HAVE_INET_NTOP 1  /**< The host has inet_ntop(). */
#define HAVE_INTTYPES_H 1  /**< The host has `inttypes.h`. */
#define HAVE_MEMSET 1  /**< The host has memset(). */
#define HAVE_NETDB_H 1  /**< The host has `netdb.h`. */
#define HAVE_NETINET_IN_H 1  /**< The host has `netinet/in.h`. */
#define HAVE_RANDOM 1  /**< The host has random(). */
#define HAVE_SELECT 1  /**< The host has select(). */
#define HAVE_SOCKET 1  /**< The host has socket(). */
#define HAVE_STDDEF_H 1  /**< The host has `stddef.h`. */
#define HAVE_STDINT_H 1  /**< The host has `stdint.h`. */
#define HAVE_STDIO_H 1  /**< The host has `stdio.h`. */
#define HAVE_STDLIB_H 1  /**< The host has `stdlib.h`. */
#define HAVE_STRDUP 1  /**< The host has strdup(). */
#define HAVE_STRERROR 1  /**< The host has strerror(). */
#define HAVE_STRINGS_H 1  /**< The host has `strings.h`. */
#define HAVE_STRING_H 1  /**< The host has `string.h`. */
#define HAVE_STRNLEN 1  /**< The host has strnlen(). */
#define HAVE_SYS_PARAM_H 1  /**< The host has `sys/param.h`. */
#define HAVE_SYS_SOCKET_H 1  /**< The host has `sys/socket.h`. */
#define HAVE_SYS_STAT_H 1  /**< The host has `sys/stat.h`. */
#define HAVE_SYS_TIME_H 1  /**< The host has `sys/time.h` (dtls_time.h includes it). */
#define HAVE_SYS_TYPES_H 1  /**< The host has `sys/types.h`. */
#define HAVE_TIME_H 1  /**< The host has `time.h` (dtls_time.h includes it). */
#define HAVE_UNISTD_H 1  /**< The host has `unistd.h`. */
#define HAVE_VPRINTF 1  /**< The host has vprintf(). */
/* HAVE_FLS is not defined: glibc has no fls(), global.h supplies dtls_fls(). */
/* HAVE_SOCKADDR_IN6_SIN6_LEN is not defined: Linux has no sin6_len member. */

#define STDC_HEADERS 1  /**< The host has the ISO C headers (autoconf's traditional check). */

/* Package identity. The versions come from the file VERSION of the source
 * tree: the build writes them into the installed copy of this header in
 * place of @TINYDTLS_API_VERSION@ (which the source tree's copy carries).
 * PACKAGE_VERSION is the tinydtls API version this library implements and
 * must stay >= 0.8.6 for libcoap; this project's own version is
 * TINYDTLS_GO_VERSION in dtls_ext.h. */
#define PACKAGE_BUGREPORT ""  /**< Where to report bugs; empty, as upstream. */
#define PACKAGE_NAME "tinydtls"  /**< The package name, "tinydtls"; also returned by dtls_package_name(). */
#define PACKAGE_STRING "tinydtls @TINYDTLS_API_VERSION@"  /**< Name and tinydtls API version, as upstream's: "tinydtls 0.8.6". */
#define PACKAGE_TARNAME "tinydtls"  /**< The name of upstream's source archive, "tinydtls". */
#define PACKAGE_URL "https://projects.eclipse.org/projects/iot.tinydtls"  /**< Upstream's project page. */
#define PACKAGE_VERSION "@TINYDTLS_API_VERSION@"  /**< The tinydtls API version implemented, e.g. "0.8.6"; also returned by dtls_package_version() and tinydtls.pc's Version. libcoap requires at least 0.8.6. This project's own version is #TINYDTLS_GO_VERSION. */

#endif /* TINYDTLS_DTLS_CONFIG_H */
