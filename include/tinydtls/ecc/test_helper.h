/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file test_helper.h
 * @brief Declarations shared by upstream's ECC test programs
 *        (`ecc/test_helper.h`).
 *
 * Nothing declared here is part of libtinydtls: a program that uses these
 * declarations defines them itself (upstream keeps them in test_helper.c,
 * which is not installed).
 */
#ifndef TINYDTLS_ECC_TEST_HELPER_H
#define TINYDTLS_ECC_TEST_HELPER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The field prime p of secp256r1, 8 words, least significant
 *  first. Defined by the test program, not by the library. */
extern const uint32_t ecc_prime_m[8];
/** @brief 2^256 - p, the reducer ecc_fieldAdd() takes for the field
 *  prime. Defined by the test program, not by the library. */
extern const uint32_t ecc_prime_r[8];

/**
 * @brief Prints a number in hex. Defined by the test program, not by the
 *        library.
 *
 * @param x            The number, least significant word first.
 * @param numberLength Its length in words.
 */
void ecc_printNumber(const uint32_t *x, int numberLength);

/**
 * @brief Fills an 8-word number with random bits. Defined by the test
 *        program, not by the library.
 *
 * @param secret Receives the number.
 */
void ecc_setRandom(uint32_t *secret);

#ifdef __cplusplus
}
#endif

#endif /* TINYDTLS_ECC_TEST_HELPER_H */
