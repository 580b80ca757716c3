/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file ecc.h
 * @brief secp256r1 (P-256) arithmetic for ECDH and ECDSA, as upstream's
 *        API (`ecc/ecc.h`).
 *
 * Numbers are arrays of #arrayLength (8) 32-bit words, least significant
 * word first; points are affine (x, y) pairs, with (0, 0) standing for
 * the point at infinity. The functions only touch the caller's arrays,
 * are safe to call from any thread, and do nothing (or return 0, or -1
 * where -1 means failure) for NULL arguments. Where upstream computes on
 * invalid points, accepts the private key 0 or never terminates, these
 * functions reject the input or return zero, as described for each.
 * Upstream's header has no include guard; this one has, which only
 * matters to code that includes it twice.
 */
#ifndef TINYDTLS_ECC_ECC_H
#define TINYDTLS_ECC_ECC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define keyLengthInBytes 32   /**< Size of a key or coordinate in bytes. */
#define arrayLength 8         /**< Size of a number in 32-bit words. */

/** @brief x coordinate of the curve's base point G. */
extern const uint32_t ecc_g_point_x[8];
/** @brief y coordinate of the curve's base point G. */
extern const uint32_t ecc_g_point_y[8];

/**
 * @brief Point multiplication: result = secret * P.
 *
 * Unlike upstream, a point that is not on the curve gives (0, 0) instead
 * of a result on another curve (the invalid-curve attack). The outputs may
 * be the same arrays as the inputs.
 *
 * @param px      P's x coordinate.
 * @param py      P's y coordinate.
 * @param secret  The scalar, any 8-word value (used modulo the group
 *                order n).
 * @param resultx Receives the result's x, (0, 0) for the point at
 *                infinity.
 * @param resulty Receives the result's y.
 */
void ecc_ec_mult(const uint32_t *px, const uint32_t *py, const uint32_t *secret,
                 uint32_t *resultx, uint32_t *resulty);

/**
 * @brief ECDH: our secret times the peer's public point; ecc_ec_mult()
 *        (inline). The shared secret is the x coordinate.
 *
 * @param px      The peer's public key, x.
 * @param py      The peer's public key, y.
 * @param secret  Our private key.
 * @param resultx Receives the shared point's x.
 * @param resulty Receives the shared point's y.
 */
static inline void
ecc_ecdh(const uint32_t *px, const uint32_t *py, const uint32_t *secret,
         uint32_t *resultx, uint32_t *resulty) {
  ecc_ec_mult(px, py, secret, resultx, resulty);
}

/**
 * @brief Verifies an ECDSA signature.
 *
 * Beyond upstream's checks (r and s not 0) it rejects r or s >= n and
 * public keys that are not on the curve, and it compares r with x1 mod n
 * as ECDSA specifies, where upstream compares with x1.
 *
 * @param x The public key's x.
 * @param y The public key's y.
 * @param e The signed hash, as 8 words.
 * @param r The signature's r.
 * @param s The signature's s.
 * @return 0 when the signature is valid, -1 otherwise.
 */
int ecc_ecdsa_validate(const uint32_t *x, const uint32_t *y, const uint32_t *e,
                       const uint32_t *r, const uint32_t *s);

/**
 * @brief Signs a hash with ECDSA, with a nonce from the caller.
 *
 * @param d The private key.
 * @param e The hash to sign, as 8 words.
 * @param k The nonce: secret, random and never reused (a repeated k
 *          reveals the private key).
 * @param r Receives r; room for 9 words (the ninth is set to 0).
 * @param s Receives s; room for 9 words.
 * @return 0 on success; -1 when this k gives no signature (k is 0 modulo
 *         n, or r or s is 0): try again with a new k.
 */
int ecc_ecdsa_sign(const uint32_t *d, const uint32_t *e, const uint32_t *k,
                   uint32_t *r, uint32_t *s);

/**
 * @brief Tells whether a number is usable as a private key.
 *
 * @param priv_key The number.
 * @return 1 when 1 <= @p priv_key < n, else 0. Upstream also accepts 0.
 */
int ecc_is_valid_key(const uint32_t * priv_key);

/**
 * @brief Computes a public key: priv_key * G, with ecc_ec_mult()
 *        (inline).
 *
 * @param priv_key The private key.
 * @param pub_x    Receives the public key's x.
 * @param pub_y    Receives the public key's y.
 */
static inline void
ecc_gen_pub_key(const uint32_t *priv_key, uint32_t *pub_x, uint32_t *pub_y) {
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, priv_key, pub_x, pub_y);
}

/**
 * @name Low-level helpers
 * Upstream declares these only under TEST_INCLUDE (its autotools build
 * exports them, its CMake build does not); this library always exports
 * and declares them.
 * @{
 */
/**
 * @brief Point addition S = P + Q by the affine chord formula.
 *
 * (0, 0) is the neutral element, P + (-P) gives (0, 0) and P + P is a
 * doubling. As upstream, the points are not checked to be on the curve;
 * coordinates are reduced modulo p first. The outputs may be the inputs.
 *
 * @param px P's x.
 * @param py P's y.
 * @param qx Q's x.
 * @param qy Q's y.
 * @param Sx Receives S's x.
 * @param Sy Receives S's y.
 */
void ecc_ec_add(const uint32_t *px, const uint32_t *py,
                const uint32_t *qx, const uint32_t *qy,
                uint32_t *Sx, uint32_t *Sy);
/**
 * @brief Point doubling D = 2P.
 *
 * (0, 0) and points with y = 0 double to (0, 0) (upstream never
 * terminates for the latter). The outputs may be the inputs.
 *
 * @param px P's x.
 * @param py P's y.
 * @param Dx Receives D's x.
 * @param Dy Receives D's y.
 */
void ecc_ec_double(const uint32_t *px, const uint32_t *py,
                   uint32_t *Dx, uint32_t *Dy);

/**
 * @brief Multi-word addition: result = x + y.
 *
 * @param x      A number of @p length words.
 * @param y      Another.
 * @param result Receives @p length words; may be @p x or @p y.
 * @param length The number of words.
 * @return The carry out of the top word, 0 or 1.
 */
uint32_t ecc_add(const uint32_t *x, const uint32_t *y, uint32_t *result, uint8_t length);
/**
 * @brief Multi-word subtraction: result = x - y.
 *
 * @param x      A number of @p length words.
 * @param y      The number to subtract.
 * @param result Receives @p length words; may be @p x or @p y.
 * @param length The number of words.
 * @return The borrow out of the top word, 0 or 1.
 */
uint32_t ecc_sub(const uint32_t *x, const uint32_t *y, uint32_t *result, uint8_t length);

/**
 * @brief Modular addition helper: result = x + y, plus @p reducer once
 *        more when the sum carries out of 256 bits (modulo 2^256).
 *
 * @param x       An 8-word number.
 * @param y       Another.
 * @param reducer 2^256 minus the modulus (e.g. #ecc_prime_r for p).
 * @param result  Receives 8 words.
 * @return 0.
 */
int ecc_fieldAdd(const uint32_t *x, const uint32_t *y, const uint32_t *reducer, uint32_t *result);
/**
 * @brief Modular subtraction helper: result = x - y, plus @p modulus when
 *        the difference borrows (modulo 2^256).
 *
 * @param x       An 8-word number.
 * @param y       The number to subtract.
 * @param modulus The modulus, e.g. #ecc_prime_m.
 * @param result  Receives 8 words.
 * @return 0.
 */
int ecc_fieldSub(const uint32_t *x, const uint32_t *y, const uint32_t *modulus, uint32_t *result);
/**
 * @brief Full multi-word product: result = x * y.
 *
 * @param x      A number of @p length words.
 * @param y      Another.
 * @param result Receives 2 * @p length words (16 for field elements); may
 *               be @p x or @p y, unlike upstream.
 * @param length The number of words of each factor.
 * @return 0.
 */
int ecc_fieldMult(const uint32_t *x, const uint32_t *y, uint32_t *result, uint8_t length);
/**
 * @brief Reduction modulo the field prime: A = B mod p, fully reduced.
 *
 * @param A Receives 8 words; may be @p B.
 * @param B A 16-word number (e.g. from ecc_fieldMult()).
 */
void ecc_fieldModP(uint32_t *A, const uint32_t *B);
/**
 * @brief Reduction modulo the group order: result = A mod n.
 *
 * As upstream, an 8-word @p A that is at most n is copied unchanged (so n
 * stays n) and only 8 words are written; otherwise 9 words are written
 * (the ninth 0).
 *
 * @param A      A number of @p length words.
 * @param result Receives the result: room for 9 words; may be @p A.
 * @param length The number of words of @p A.
 */
void ecc_fieldModO(const uint32_t *A, uint32_t *result, uint8_t length);
/**
 * @brief Modular inverse: B = A^-1 mod modulus, in [0, modulus).
 *
 * When @p A has no inverse (e.g. A = 0) @p B is set to 0; upstream never
 * terminates then.
 *
 * @param A       An 8-word number.
 * @param modulus The modulus, 8 words.
 * @param reducer Accepted for upstream's signature; not needed.
 * @param B       Receives 8 words.
 */
void ecc_fieldInv(const uint32_t *A, const uint32_t *modulus, const uint32_t *reducer, uint32_t *B);

/**
 * @brief Copies a number: to = from.
 *
 * @param from   The source, @p length words.
 * @param to     The destination.
 * @param length The number of words.
 */
void ecc_copy(const uint32_t *from, uint32_t *to, uint8_t length);
/**
 * @brief Compares two numbers for equality.
 *
 * @param A      A number of @p length words.
 * @param B      Another.
 * @param length The number of words.
 * @return 1 when they are equal, 0 otherwise.
 */
int ecc_isSame(const uint32_t *A, const uint32_t *B, uint8_t length);
/**
 * @brief Sets a number to zero.
 *
 * @param A      The number.
 * @param length The number of words; 0 or less does nothing.
 */
void ecc_setZero(uint32_t *A, const int length);
/**
 * @brief Tells whether an 8-word number is 1.
 *
 * @param A The number.
 * @return 1 when it is 1, 0 otherwise.
 */
int ecc_isOne(const uint32_t* A);
/**
 * @brief Shifts an 8-word number right by one bit.
 *
 * @param A The number, changed in place.
 */
void ecc_rshift(uint32_t* A);
/**
 * @brief Compares two numbers.
 *
 * @param A      A number of @p length words.
 * @param B      Another.
 * @param length The number of words.
 * @return 1 when A > B, -1 when A < B, 0 when they are equal.
 */
int ecc_isGreater(const uint32_t *A, const uint32_t *B, uint8_t length);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* TINYDTLS_ECC_ECC_H */
