/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dtls_prng.h
 * @brief Random numbers from the operating system.
 */
#ifndef _DTLS_PRNG_H_
#define _DTLS_PRNG_H_

#include <stdlib.h>

#include "tinydtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Fills a buffer with random bytes from the operating system's
 *        generator (getrandom()), suitable for keys. Safe from any thread.
 *
 * The library itself draws its randoms, cookie secrets and keys from Go's
 * crypto/rand, which uses the same source.
 *
 * @param buf Where to write.
 * @param len How many bytes; interrupted or short reads are continued.
 * @return @p len on success (so > 0 unless @p len is 0), -1 when the
 *         system generator fails. Upstream returns getrandom()'s result.
 */
int dtls_prng(unsigned char *buf, size_t len);

/**
 * @brief Seeds the generator: does nothing, as the system generator needs
 *        no seed. Kept because upstream has it.
 *
 * @param seed Ignored.
 */
void dtls_prng_init(unsigned seed);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_PRNG_H_ */
