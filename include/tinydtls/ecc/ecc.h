/*
 * ecc/ecc.h -- secp256r1 arithmetic used for ECDH and ECDSA.
 *
 * Numbers are arrays of arrayLength 32-bit words, least significant word
 * first.  Upstream's header has no include guard; this one has, which
 * only matters to code that includes it twice.
 */
#ifndef TINYDTLS_ECC_ECC_H
#define TINYDTLS_ECC_ECC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define keyLengthInBytes 32
#define arrayLength 8

/* Coordinates of the curve's base point G. */
extern const uint32_t ecc_g_point_x[8];
extern const uint32_t ecc_g_point_y[8];

/* result = secret * P */
void ecc_ec_mult(const uint32_t *px, const uint32_t *py, const uint32_t *secret,
                 uint32_t *resultx, uint32_t *resulty);

/* Shared ECDH point: our secret times the peer's public point. */
static inline void
ecc_ecdh(const uint32_t *px, const uint32_t *py, const uint32_t *secret,
         uint32_t *resultx, uint32_t *resulty) {
  ecc_ec_mult(px, py, secret, resultx, resulty);
}

/* Verifies signature (r, s) of hash e under public key (x, y);
 * 0 when valid. */
int ecc_ecdsa_validate(const uint32_t *x, const uint32_t *y, const uint32_t *e,
                       const uint32_t *r, const uint32_t *s);

/* Signs hash e with private key d and nonce k; 0 on success. */
int ecc_ecdsa_sign(const uint32_t *d, const uint32_t *e, const uint32_t *k,
                   uint32_t *r, uint32_t *s);

/* Non-zero when priv_key is usable as a private key (1 <= key < n). */
int ecc_is_valid_key(const uint32_t * priv_key);

/* Public key = priv_key * G. */
static inline void
ecc_gen_pub_key(const uint32_t *priv_key, uint32_t *pub_x, uint32_t *pub_y) {
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, priv_key, pub_x, pub_y);
}

/*
 * Low-level helpers that upstream only declares under TEST_INCLUDE.  Our
 * library always exports them (its unit tests use them), so they are
 * always declared.
 */
void ecc_ec_add(const uint32_t *px, const uint32_t *py,
                const uint32_t *qx, const uint32_t *qy,
                uint32_t *Sx, uint32_t *Sy);
void ecc_ec_double(const uint32_t *px, const uint32_t *py,
                   uint32_t *Dx, uint32_t *Dy);

/* multi-word addition and subtraction; return the carry/borrow */
uint32_t ecc_add(const uint32_t *x, const uint32_t *y, uint32_t *result, uint8_t length);
uint32_t ecc_sub(const uint32_t *x, const uint32_t *y, uint32_t *result, uint8_t length);

/* arithmetic modulo the field prime p or the group order n */
int ecc_fieldAdd(const uint32_t *x, const uint32_t *y, const uint32_t *reducer, uint32_t *result);
int ecc_fieldSub(const uint32_t *x, const uint32_t *y, const uint32_t *modulus, uint32_t *result);
int ecc_fieldMult(const uint32_t *x, const uint32_t *y, uint32_t *result, uint8_t length);
void ecc_fieldModP(uint32_t *A, const uint32_t *B);
void ecc_fieldModO(const uint32_t *A, uint32_t *result, uint8_t length);
void ecc_fieldInv(const uint32_t *A, const uint32_t *modulus, const uint32_t *reducer, uint32_t *B);

/* word array utilities */
void ecc_copy(const uint32_t *from, uint32_t *to, uint8_t length);
int ecc_isSame(const uint32_t *A, const uint32_t *B, uint8_t length);
void ecc_setZero(uint32_t *A, const int length);
int ecc_isOne(const uint32_t* A);
void ecc_rshift(uint32_t* A);
int ecc_isGreater(const uint32_t *A, const uint32_t *B, uint8_t length);

#ifdef __cplusplus
}
#endif

#endif /* TINYDTLS_ECC_ECC_H */
