/*
 * dtls_config.h -- the compile-time configuration of this libtinydtls.
 *
 * Upstream generates this file with autoconf and installs it; apps see it
 * through tinydtls.h.  Ours is fixed: both the PSK and the ECDHE-ECDSA
 * (raw public key) cipher suites are always compiled in, and the HAVE_*
 * values describe the glibc/Linux hosts the library is built for.
 *
 * The PACKAGE_* and HAVE_* macros leak into applications exactly as
 * upstream's do.  Some apps rely on that (libcoap #undefs the PACKAGE_*
 * ones before including us), so they stay even though nothing in the
 * public headers needs most of them.
 */
#ifndef TINYDTLS_DTLS_CONFIG_H
#define TINYDTLS_DTLS_CONFIG_H

/* Cipher suite families; tinydtls.h refuses to build without one. */
#define DTLS_ECC 1
#define DTLS_PSK 1

/* Host capabilities, as autoconf reports them on glibc/Linux. */
#define HAVE_ARPA_INET_H 1
#define HAVE_ASSERT_H 1
#define HAVE_FCNTL_H 1
#define HAVE_GETRANDOM 1
#define HAVE_INET_NTOP 1
#define HAVE_INTTYPES_H 1
#define HAVE_MEMSET 1
#define HAVE_NETDB_H 1
#define HAVE_NETINET_IN_H 1
#define HAVE_RANDOM 1
#define HAVE_SELECT 1
#define HAVE_SOCKET 1
#define HAVE_STDDEF_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDIO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRDUP 1
#define HAVE_STRERROR 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_STRNLEN 1
#define HAVE_SYS_PARAM_H 1
#define HAVE_SYS_SOCKET_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_TIME_H 1
#define HAVE_UNISTD_H 1
#define HAVE_VPRINTF 1
/* HAVE_FLS: glibc has no fls(), global.h supplies dtls_fls(). */
/* HAVE_SOCKADDR_IN6_SIN6_LEN: Linux has no sin6_len member. */

#define STDC_HEADERS 1

/* Package identity; PACKAGE_VERSION must stay >= 0.8.6 for libcoap. */
#define PACKAGE_BUGREPORT ""
#define PACKAGE_NAME "tinydtls"
#define PACKAGE_STRING "tinydtls 0.8.6"
#define PACKAGE_TARNAME "tinydtls"
#define PACKAGE_URL "https://projects.eclipse.org/projects/iot.tinydtls"
#define PACKAGE_VERSION "0.8.6"

#endif /* TINYDTLS_DTLS_CONFIG_H */
