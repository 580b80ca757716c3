/*
 * dtls_prng.h -- random numbers for randoms, cookies and keys.
 */
#ifndef _DTLS_PRNG_H_
#define _DTLS_PRNG_H_

#include <stdlib.h>

#include "tinydtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fills buf with len bytes from the operating system's CSPRNG.
 * Returns a positive value on success. */
int dtls_prng(unsigned char *buf, size_t len);

/* Kept for compatibility; the system generator needs no seed. */
void dtls_prng_init(unsigned seed);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_PRNG_H_ */
