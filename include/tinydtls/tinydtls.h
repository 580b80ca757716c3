/*
 * tinydtls.h -- platform selection and build configuration entry point.
 *
 * Part of a Go reimplementation of Eclipse tinydtls that keeps the C API
 * and ABI of upstream's installed headers.  Every other public header
 * includes this one first, so the configuration macros (DTLS_PSK,
 * DTLS_ECC, WITH_POSIX, ...) are visible before any layout-dependent
 * declaration is seen.
 */
#ifndef _DTLS_TINYDTLS_H_
#define _DTLS_TINYDTLS_H_

#if defined(_WIN32) || defined(_WIN64)
#define IS_WINDOWS 1
#endif

/*
 * The library behind these headers is built for POSIX hosts only.  Apps
 * that announce another platform keep it (upstream supports lwIP, Contiki
 * and RIOT with other session_t layouts), but they do not get WITH_POSIX.
 */
#if !defined(WITH_LWIP) && !defined(CONTIKI) && !defined(RIOT_VERSION) && \
    !defined(IS_WINDOWS) && !defined(WITH_POSIX)
#define WITH_POSIX 1
#endif

/* The fixed configuration the shared library was compiled with. */
#include "dtls_config.h"

#if !defined(DTLS_ECC) && !defined(DTLS_PSK)
#error "TinyDTLS requires at least one Cipher suite!"
#endif

#endif /* _DTLS_TINYDTLS_H_ */
