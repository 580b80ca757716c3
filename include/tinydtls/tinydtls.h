/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file tinydtls.h
 * @brief Platform selection and the build configuration: the first
 *        header every other public header includes.
 *
 * Part of a Go implementation of Eclipse tinydtls that keeps the C API and
 * ABI of upstream's installed headers. Including this header first makes
 * the configuration macros (#DTLS_PSK, #DTLS_ECC, #WITH_POSIX, ...)
 * visible before any declaration whose layout depends on them.
 */
#ifndef _DTLS_TINYDTLS_H_
#define _DTLS_TINYDTLS_H_

#if defined(_WIN32) || defined(_WIN64)
/** @brief Defined on Windows, as upstream; the library itself is only
 *  built for POSIX hosts. */
#define IS_WINDOWS 1
#endif

/*
 * The library behind these headers is built for POSIX hosts only.  Apps
 * that announce another platform keep it (upstream supports lwIP, Contiki
 * and RIOT with other session_t layouts), but they do not get WITH_POSIX.
 */
#if !defined(WITH_LWIP) && !defined(CONTIKI) && !defined(RIOT_VERSION) && \
    !defined(IS_WINDOWS) && !defined(WITH_POSIX)
/** @brief The platform is POSIX: sockets-based session_t, malloc'ed
 *  contexts and peers, 32-bit millisecond clock_time_t. Defined unless
 *  the application announced lwIP, Contiki, RIOT or Windows (platforms
 *  this library is not built for). */
#define WITH_POSIX 1
#endif

/* The fixed configuration the shared library was compiled with. */
#include "dtls_config.h"

#if !defined(DTLS_ECC) && !defined(DTLS_PSK)
#error "TinyDTLS requires at least one Cipher suite!"
#endif

#endif /* _DTLS_TINYDTLS_H_ */
