/*
 * ccm.h -- AES in CCM mode (RFC 3610), the AEAD of every cipher suite.
 */
#ifndef _DTLS_CCM_H_
#define _DTLS_CCM_H_

#include <stddef.h>

#include "aes/rijndael.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DTLS_CCM_BLOCKSIZE  16  /* AES block size */
#define DTLS_CCM_MAX        16  /* longest authentication tag */
#define DTLS_CCM_NONCE_SIZE 12  /* nonce length used by DTLS (L = 3) */

/*
 * Encrypts the lm bytes at msg in place and appends an M-byte tag, so
 * msg must have room for lm + M bytes.  L is the size of the length
 * field (15 - nonce length); only the first 15 - L nonce bytes are used.
 * Returns the number of bytes written (lm + M) or a negative value.
 */
long int
dtls_ccm_encrypt_message(rijndael_ctx *ctx, size_t M, size_t L,
                         const unsigned char nonce[DTLS_CCM_BLOCKSIZE],
                         unsigned char *msg, size_t lm,
                         const unsigned char *aad, size_t la);

/*
 * Decrypts lm bytes (ciphertext followed by the M-byte tag) in place and
 * verifies the tag.  Returns the plaintext length or a negative value
 * when the input is too short or authentication fails.
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
