/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ccm.h, aes/rijndael.h, ecc/ecc.h and the AES-CCM and ECC parts of
 * crypto.h with upstream's signatures, forwarding to ccm.go and ecc.go.
 */
#include "capi.h"
#include "_cgo_export.h"

/* (The P-256 base point, ecc_g_point_x/y, is the front's: capi/front/front.c.) */

long int dtls_ccm_encrypt_message(rijndael_ctx *ctx, size_t M, size_t L,
                                  const unsigned char nonce[DTLS_CCM_BLOCKSIZE],
                                  unsigned char *msg, size_t lm,
                                  const unsigned char *aad, size_t la) {
  return tdtls_go_ccm_message(1, ctx, M, L, (unsigned char *)nonce, msg, lm,
                              (unsigned char *)aad, la);
}

long int dtls_ccm_decrypt_message(rijndael_ctx *ctx, size_t M, size_t L,
                                  const unsigned char nonce[DTLS_CCM_BLOCKSIZE],
                                  unsigned char *msg, size_t lm,
                                  const unsigned char *aad, size_t la) {
  return tdtls_go_ccm_message(0, ctx, M, L, (unsigned char *)nonce, msg, lm,
                              (unsigned char *)aad, la);
}

int dtls_encrypt_params(const dtls_ccm_params_t *params,
                        const unsigned char *src, size_t length,
                        unsigned char *buf, const unsigned char *key,
                        size_t keylen, const unsigned char *aad,
                        size_t aad_length) {
  return tdtls_go_crypt(1, (dtls_ccm_params_t *)params, (unsigned char *)src,
                        length, buf, (unsigned char *)key, keylen,
                        (unsigned char *)aad, aad_length);
}

int dtls_decrypt_params(const dtls_ccm_params_t *params,
                        const unsigned char *src, size_t length,
                        unsigned char *buf, const unsigned char *key,
                        size_t keylen, const unsigned char *aad,
                        size_t aad_length) {
  return tdtls_go_crypt(0, (dtls_ccm_params_t *)params, (unsigned char *)src,
                        length, buf, (unsigned char *)key, keylen,
                        (unsigned char *)aad, aad_length);
}

/* The deprecated forms: an 8-byte tag and a 12-byte nonce (L = 3). */
int dtls_encrypt(const unsigned char *src, size_t length, unsigned char *buf,
                 const unsigned char *nonce, const unsigned char *key,
                 size_t keylen, const unsigned char *aad, size_t aad_length) {
  dtls_ccm_params_t params = {nonce, 8, 3};
  return dtls_encrypt_params(&params, src, length, buf, key, keylen, aad,
                             aad_length);
}

int dtls_decrypt(const unsigned char *src, size_t length, unsigned char *buf,
                 const unsigned char *nonce, const unsigned char *key,
                 size_t keylen, const unsigned char *a_data,
                 size_t a_data_length) {
  dtls_ccm_params_t params = {nonce, 8, 3};
  return dtls_decrypt_params(&params, src, length, buf, key, keylen, a_data,
                             a_data_length);
}

int rijndael_set_key_enc_only(rijndael_ctx *ctx, const u_char *key, int bits) {
  return tdtls_go_rijndael_set_key_enc_only(ctx, (u_char *)key, bits);
}

void rijndael_encrypt(rijndael_ctx *ctx, const u_char *src, u_char *dst) {
  tdtls_go_rijndael_encrypt(ctx, (u_char *)src, dst);
}

int rijndaelKeySetupEnc(aes_u32 rk[], const aes_u8 cipherKey[], int keyBits) {
  return tdtls_go_rijndael_key_setup_enc(rk, (aes_u8 *)cipherKey, keyBits);
}

void rijndaelEncrypt(const aes_u32 rk[], int Nr, const aes_u8 pt[16],
                     aes_u8 ct[16]) {
  tdtls_go_rijndael_encrypt_rk((aes_u32 *)rk, Nr, (aes_u8 *)pt, ct);
}

/* ecc/ecc.h */

void ecc_ec_mult(const uint32_t *px, const uint32_t *py,
                 const uint32_t *secret, uint32_t *resultx,
                 uint32_t *resulty) {
  tdtls_go_ecc_ec_mult((uint32_t *)px, (uint32_t *)py, (uint32_t *)secret,
                       resultx, resulty);
}

int ecc_ecdsa_validate(const uint32_t *x, const uint32_t *y, const uint32_t *e,
                       const uint32_t *r, const uint32_t *s) {
  return tdtls_go_ecc_ecdsa_validate((uint32_t *)x, (uint32_t *)y,
                                     (uint32_t *)e, (uint32_t *)r,
                                     (uint32_t *)s);
}

int ecc_ecdsa_sign(const uint32_t *d, const uint32_t *e, const uint32_t *k,
                   uint32_t *r, uint32_t *s) {
  return tdtls_go_ecc_ecdsa_sign((uint32_t *)d, (uint32_t *)e, (uint32_t *)k,
                                 r, s);
}

int ecc_is_valid_key(const uint32_t *priv_key) {
  return tdtls_go_ecc_is_valid_key((uint32_t *)priv_key);
}

void ecc_ec_add(const uint32_t *px, const uint32_t *py, const uint32_t *qx,
                const uint32_t *qy, uint32_t *Sx, uint32_t *Sy) {
  tdtls_go_ecc_ec_add((uint32_t *)px, (uint32_t *)py, (uint32_t *)qx,
                      (uint32_t *)qy, Sx, Sy);
}

void ecc_ec_double(const uint32_t *px, const uint32_t *py, uint32_t *Dx,
                   uint32_t *Dy) {
  tdtls_go_ecc_ec_double((uint32_t *)px, (uint32_t *)py, Dx, Dy);
}

uint32_t ecc_add(const uint32_t *x, const uint32_t *y, uint32_t *result,
                 uint8_t length) {
  return tdtls_go_ecc_add((uint32_t *)x, (uint32_t *)y, result, length);
}

uint32_t ecc_sub(const uint32_t *x, const uint32_t *y, uint32_t *result,
                 uint8_t length) {
  return tdtls_go_ecc_sub((uint32_t *)x, (uint32_t *)y, result, length);
}

int ecc_fieldAdd(const uint32_t *x, const uint32_t *y, const uint32_t *reducer,
                 uint32_t *result) {
  return tdtls_go_ecc_field_add((uint32_t *)x, (uint32_t *)y,
                                (uint32_t *)reducer, result);
}

int ecc_fieldSub(const uint32_t *x, const uint32_t *y, const uint32_t *modulus,
                 uint32_t *result) {
  return tdtls_go_ecc_field_sub((uint32_t *)x, (uint32_t *)y,
                                (uint32_t *)modulus, result);
}

int ecc_fieldMult(const uint32_t *x, const uint32_t *y, uint32_t *result,
                  uint8_t length) {
  return tdtls_go_ecc_field_mult((uint32_t *)x, (uint32_t *)y, result, length);
}

void ecc_fieldModP(uint32_t *A, const uint32_t *B) {
  tdtls_go_ecc_field_mod_p(A, (uint32_t *)B);
}

void ecc_fieldModO(const uint32_t *A, uint32_t *result, uint8_t length) {
  tdtls_go_ecc_field_mod_o((uint32_t *)A, result, length);
}

void ecc_fieldInv(const uint32_t *A, const uint32_t *modulus,
                  const uint32_t *reducer, uint32_t *B) {
  tdtls_go_ecc_field_inv((uint32_t *)A, (uint32_t *)modulus,
                         (uint32_t *)reducer, B);
}

void ecc_copy(const uint32_t *from, uint32_t *to, uint8_t length) {
  tdtls_go_ecc_copy((uint32_t *)from, to, length);
}

int ecc_isSame(const uint32_t *A, const uint32_t *B, uint8_t length) {
  return tdtls_go_ecc_is_same((uint32_t *)A, (uint32_t *)B, length);
}

void ecc_setZero(uint32_t *A, const int length) {
  tdtls_go_ecc_set_zero(A, length);
}

int ecc_isOne(const uint32_t *A) { return tdtls_go_ecc_is_one((uint32_t *)A); }

void ecc_rshift(uint32_t *A) { tdtls_go_ecc_rshift(A); }

int ecc_isGreater(const uint32_t *A, const uint32_t *B, uint8_t length) {
  return tdtls_go_ecc_is_greater((uint32_t *)A, (uint32_t *)B, length);
}

/* crypto.h, ECC */

int dtls_ecdh_pre_master_secret(unsigned char *priv_key,
                                unsigned char *pub_key_x,
                                unsigned char *pub_key_y, size_t key_size,
                                unsigned char *result, size_t result_len) {
  return tdtls_go_ecdh_pre_master_secret(priv_key, pub_key_x, pub_key_y,
                                         key_size, result, result_len);
}

void dtls_ecdsa_generate_key(unsigned char *priv_key, unsigned char *pub_key_x,
                             unsigned char *pub_key_y, size_t key_size) {
  tdtls_go_ecdsa_generate_key(priv_key, pub_key_x, pub_key_y, key_size);
}

void dtls_ecdsa_create_sig_hash(const unsigned char *priv_key, size_t key_size,
                                const unsigned char *sign_hash,
                                size_t sign_hash_size, uint32_t point_r[9],
                                uint32_t point_s[9]) {
  tdtls_go_ecdsa_create_sig_hash((unsigned char *)priv_key, key_size,
                                 (unsigned char *)sign_hash, sign_hash_size,
                                 point_r, point_s);
}

void dtls_ecdsa_create_sig(const unsigned char *priv_key, size_t key_size,
                           const unsigned char *client_random,
                           size_t client_random_size,
                           const unsigned char *server_random,
                           size_t server_random_size,
                           const unsigned char *keyx_params,
                           size_t keyx_params_size, uint32_t point_r[9],
                           uint32_t point_s[9]) {
  tdtls_go_ecdsa_create_sig((unsigned char *)priv_key, key_size,
                            (unsigned char *)client_random, client_random_size,
                            (unsigned char *)server_random, server_random_size,
                            (unsigned char *)keyx_params, keyx_params_size,
                            point_r, point_s);
}

int dtls_ecdsa_verify_sig_hash(const unsigned char *pub_key_x,
                               const unsigned char *pub_key_y, size_t key_size,
                               const unsigned char *sign_hash,
                               size_t sign_hash_size, unsigned char *result_r,
                               unsigned char *result_s) {
  return tdtls_go_ecdsa_verify_sig_hash(
      (unsigned char *)pub_key_x, (unsigned char *)pub_key_y, key_size,
      (unsigned char *)sign_hash, sign_hash_size, result_r, result_s);
}

int dtls_ecdsa_verify_sig(const unsigned char *pub_key_x,
                          const unsigned char *pub_key_y, size_t key_size,
                          const unsigned char *client_random,
                          size_t client_random_size,
                          const unsigned char *server_random,
                          size_t server_random_size,
                          const unsigned char *keyx_params,
                          size_t keyx_params_size, unsigned char *result_r,
                          unsigned char *result_s) {
  return tdtls_go_ecdsa_verify_sig(
      (unsigned char *)pub_key_x, (unsigned char *)pub_key_y, key_size,
      (unsigned char *)client_random, client_random_size,
      (unsigned char *)server_random, server_random_size,
      (unsigned char *)keyx_params, keyx_params_size, result_r, result_s);
}

int dtls_ec_key_asn1_from_uint32(const uint32_t *key, size_t key_size,
                                 unsigned char *buf) {
  return tdtls_go_ec_key_asn1_from_uint32((uint32_t *)key, key_size, buf);
}
