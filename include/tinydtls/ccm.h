/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file ccm.h
 * @brief AES in CCM mode (RFC 3610), the AEAD of every cipher suite, on an
 *        expanded key, as upstream's API.
 *
 * The functions work in place on the caller's buffers and are safe to
 * call from any thread. They check their parameters where upstream does
 * not: M must be even, from 4 to 16, L from 2 to 8, and the message
 * length must fit in L bytes.
 */
#ifndef _DTLS_CCM_H_
#define _DTLS_CCM_H_

#include <stddef.h>

#include "aes/rijndael.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DTLS_CCM_BLOCKSIZE  16  /**< AES block size. */
#define DTLS_CCM_MAX        16  /**< Longest authentication tag. */
#define DTLS_CCM_NONCE_SIZE 12  /**< Nonce length in DTLS (L = 3). */

/**
 * @brief Encrypts in place and appends the authentication tag.
 *
 * @param ctx   An AES-128 key expanded with rijndael_set_key_enc_only().
 * @param M     The tag length: 4, 6, ..., 16.
 * @param L     The size of the length field, 2 to 8 (15 - nonce length).
 * @param nonce The nonce; only its first 15 - @p L bytes are used.
 * @param msg   The plaintext, replaced by the ciphertext and followed by
 *              the tag: room for @p lm + @p M bytes.
 * @param lm    The plaintext length.
 * @param aad   Additional authenticated data; may be NULL when @p la is 0.
 * @param la    Its length.
 * @return The number of bytes written (@p lm + @p M), or -1 for NULL
 *         arguments or parameters out of range.
 */
long int
dtls_ccm_encrypt_message(rijndael_ctx *ctx, size_t M, size_t L,
                         const unsigned char nonce[DTLS_CCM_BLOCKSIZE],
                         unsigned char *msg, size_t lm,
                         const unsigned char *aad, size_t la);

/**
 * @brief Decrypts in place and verifies the authentication tag.
 *
 * When the tag does not verify, the plaintext bytes are zeroed (upstream
 * leaves the unauthenticated plaintext in @p msg).
 *
 * @param ctx   An AES-128 key expanded with rijndael_set_key_enc_only().
 * @param M     The tag length: 4, 6, ..., 16.
 * @param L     The size of the length field, 2 to 8.
 * @param nonce The nonce; only its first 15 - @p L bytes are used.
 * @param msg   Ciphertext followed by the tag; replaced by the plaintext.
 * @param lm    The length of ciphertext and tag together.
 * @param aad   Additional authenticated data; may be NULL when @p la is 0.
 * @param la    Its length.
 * @return The plaintext length (@p lm - @p M), or -1 when @p lm is shorter
 *         than the tag, the tag does not verify, or for NULL arguments or
 *         parameters out of range.
 */
long int
dtls_ccm_decrypt_message(rijndael_ctx *ctx, size_t M, size_t L,
                         const unsigned char nonce[DTLS_CCM_BLOCKSIZE],
                         unsigned char *msg, size_t lm,
                         const unsigned char *aad, size_t la);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_CCM_H_ */
