/*
 * ecc/test_helper.h -- declarations shared by the ECC test programs.
 *
 * Nothing declared here is part of libtinydtls: test programs provide
 * these definitions themselves (upstream keeps them in test_helper.c).
 */
#ifndef TINYDTLS_ECC_TEST_HELPER_H
#define TINYDTLS_ECC_TEST_HELPER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The field prime p and the group order n of secp256r1. */
extern const uint32_t ecc_prime_m[8];
extern const uint32_t ecc_prime_r[8];

/* Prints a numberLength-word number in hex. */
void ecc_printNumber(const uint32_t *x, int numberLength);

/* Fills secret with a random 8-word number. */
void ecc_setRandom(uint32_t *secret);

#ifdef __cplusplus
}
#endif

#endif /* TINYDTLS_ECC_TEST_HELPER_H */
