/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file numeric.h
 * @brief Big-endian (network order) integer helpers for the wire-format
 *        types of global.h, all inline.
 */
#ifndef _DTLS_NUMERIC_H_
#define _DTLS_NUMERIC_H_

#include <stdint.h>

#ifndef min
/** @brief The smaller of two values (defined unless the application has
 *  a min macro); evaluates its arguments twice.
 *  @param A A value.
 *  @param B Another value.
 *  @return The smaller one. */
#define min(A,B) ((A) <= (B) ? (A) : (B))
#endif

#ifndef max
/** @brief The larger of two values (defined unless the application has
 *  a max macro); evaluates its arguments twice.
 *  @param A A value.
 *  @param B Another value.
 *  @return The larger one. */
#define max(A,B) ((A) < (B) ? (B) : (A))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Stores the @p n low-order bytes of a value, most significant
 *        first.
 *
 * This library's worker behind the dtls_int_to_uint* helpers; not part of
 * upstream's API.
 *
 * @param field Where to store; room for @p n bytes.
 * @param value The value.
 * @param n     The number of bytes, 1 to 8.
 * @return @p n.
 */
static inline int
dtls_numeric_put_be(unsigned char *field, uint64_t value, int n) {
  int i;
  for (i = n - 1; i >= 0; i--) {
    field[i] = (unsigned char)(value & 0xff);
    value >>= 8;
  }
  return n;
}

/**
 * @brief Loads an @p n-byte big-endian number.
 *
 * This library's worker behind the dtls_uint*_to_int helpers; not part of
 * upstream's API.
 *
 * @param field The bytes.
 * @param n     Their number, 0 to 8.
 * @return The value.
 */
static inline uint64_t
dtls_numeric_get_be(const unsigned char *field, int n) {
  uint64_t value = 0;
  int i;
  for (i = 0; i < n; i++)
    value = (value << 8) | field[i];
  return value;
}

/**
 * @name Writers
 * Each stores a value big-endian and returns the number of bytes stored,
 * so that callers can advance their output pointer with the result.
 * @{
 */
/** @brief Stores one byte.
 *  @param field Where to store.
 *  @param value The value.
 *  @return 1. */
static inline int dtls_int_to_uint8(unsigned char *field, uint8_t value) {
  return dtls_numeric_put_be(field, value, 1);
}

/** @brief Stores a 16-bit value.
 *  @param field Where to store; 2 bytes.
 *  @param value The value.
 *  @return 2. */
static inline int dtls_int_to_uint16(unsigned char *field, uint16_t value) {
  return dtls_numeric_put_be(field, value, 2);
}

/** @brief Stores the low 24 bits of a value.
 *  @param field Where to store; 3 bytes.
 *  @param value The value.
 *  @return 3. */
static inline int dtls_int_to_uint24(unsigned char *field, uint32_t value) {
  return dtls_numeric_put_be(field, value, 3);
}

/** @brief Stores a 32-bit value.
 *  @param field Where to store; 4 bytes.
 *  @param value The value.
 *  @return 4. */
static inline int dtls_int_to_uint32(unsigned char *field, uint32_t value) {
  return dtls_numeric_put_be(field, value, 4);
}

/** @brief Stores the low 48 bits of a value (e.g. a record sequence
 *  number).
 *  @param field Where to store; 6 bytes.
 *  @param value The value.
 *  @return 6. */
static inline int dtls_int_to_uint48(unsigned char *field, uint64_t value) {
  return dtls_numeric_put_be(field, value, 6);
}

/** @brief Stores a 64-bit value.
 *  @param field Where to store; 8 bytes.
 *  @param value The value.
 *  @return 8. */
static inline int dtls_int_to_uint64(unsigned char *field, uint64_t value) {
  return dtls_numeric_put_be(field, value, 8);
}

/** @} */

/**
 * @name Readers
 * Each loads a big-endian value.
 * @{
 */
/** @brief Loads one byte.
 *  @param field The byte.
 *  @return Its value. */
static inline uint8_t dtls_uint8_to_int(const unsigned char *field) {
  return (uint8_t)dtls_numeric_get_be(field, 1);
}

/** @brief Loads a 16-bit value.
 *  @param field 2 bytes.
 *  @return The value. */
static inline uint16_t dtls_uint16_to_int(const unsigned char *field) {
  return (uint16_t)dtls_numeric_get_be(field, 2);
}

/** @brief Loads a 24-bit value.
 *  @param field 3 bytes.
 *  @return The value. */
static inline uint32_t dtls_uint24_to_int(const unsigned char *field) {
  return (uint32_t)dtls_numeric_get_be(field, 3);
}

/** @brief Loads a 32-bit value.
 *  @param field 4 bytes.
 *  @return The value. */
static inline uint32_t dtls_uint32_to_int(const unsigned char *field) {
  return (uint32_t)dtls_numeric_get_be(field, 4);
}

/** @brief Loads a 48-bit value.
 *  @param field 6 bytes.
 *  @return The value. */
static inline uint64_t dtls_uint48_to_int(const unsigned char *field) {
  return dtls_numeric_get_be(field, 6);
}

/** @brief Loads a 64-bit value.
 *  @param field 8 bytes.
 *  @return The value. */
static inline uint64_t dtls_uint64_to_int(const unsigned char *field) {
  return dtls_numeric_get_be(field, 8);
}
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_NUMERIC_H_ */
