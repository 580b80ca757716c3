/*
 * numeric.h -- big-endian (network order) integer encoding helpers.
 */
#ifndef _DTLS_NUMERIC_H_
#define _DTLS_NUMERIC_H_

#include <stdint.h>

#ifndef min
#define min(A,B) ((A) <= (B) ? (A) : (B))
#endif

#ifndef max
#define max(A,B) ((A) < (B) ? (B) : (A))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Private workers: store/load the n low-order bytes of a value, most
 * significant byte first.  The public helpers below fix n per width.
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

static inline uint64_t
dtls_numeric_get_be(const unsigned char *field, int n) {
  uint64_t value = 0;
  int i;
  for (i = 0; i < n; i++)
    value = (value << 8) | field[i];
  return value;
}

/* The writers return the number of bytes stored, so callers can advance
 * their output pointer with the result. */
static inline int dtls_int_to_uint8(unsigned char *field, uint8_t value) {
  return dtls_numeric_put_be(field, value, 1);
}

static inline int dtls_int_to_uint16(unsigned char *field, uint16_t value) {
  return dtls_numeric_put_be(field, value, 2);
}

static inline int dtls_int_to_uint24(unsigned char *field, uint32_t value) {
  return dtls_numeric_put_be(field, value, 3);
}

static inline int dtls_int_to_uint32(unsigned char *field, uint32_t value) {
  return dtls_numeric_put_be(field, value, 4);
}

static inline int dtls_int_to_uint48(unsigned char *field, uint64_t value) {
  return dtls_numeric_put_be(field, value, 6);
}

static inline int dtls_int_to_uint64(unsigned char *field, uint64_t value) {
  return dtls_numeric_put_be(field, value, 8);
}

static inline uint8_t dtls_uint8_to_int(const unsigned char *field) {
  return (uint8_t)dtls_numeric_get_be(field, 1);
}

static inline uint16_t dtls_uint16_to_int(const unsigned char *field) {
  return (uint16_t)dtls_numeric_get_be(field, 2);
}

static inline uint32_t dtls_uint24_to_int(const unsigned char *field) {
  return (uint32_t)dtls_numeric_get_be(field, 3);
}

static inline uint32_t dtls_uint32_to_int(const unsigned char *field) {
  return (uint32_t)dtls_numeric_get_be(field, 4);
}

static inline uint64_t dtls_uint48_to_int(const unsigned char *field) {
  return dtls_numeric_get_be(field, 6);
}

static inline uint64_t dtls_uint64_to_int(const unsigned char *field) {
  return dtls_numeric_get_be(field, 8);
}

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_NUMERIC_H_ */
