/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rijndael.h
 * @brief The AES block cipher: key schedule and block encryption, as
 *        upstream's API (`aes/rijndael.h`).
 *
 * Only encryption is implemented (CCM mode never decrypts blocks); the
 * decryption functions are declared because upstream declares them, but
 * the library does not define them: calling them fails to link. The
 * functions only touch the caller's buffers and are safe to call from any
 * thread.
 */
#ifndef __RIJNDAEL_H
#define __RIJNDAEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AES_MAXKEYBITS  (256)                /**< The longest AES key, in bits. */
#define AES_MAXKEYBYTES (AES_MAXKEYBITS/8)   /**< The longest AES key, in bytes. */
/** @brief Rounds rijndael_ctx has room for: 10, AES-128, the only key
 *  length DTLS uses here. */
#define AES_MAXROUNDS   10

typedef unsigned char u_char;   /**< A byte, as the BSD type. */
typedef uint8_t  aes_u8;        /**< An 8-bit value of the key schedule. */
typedef uint16_t aes_u16;       /**< A 16-bit value of the key schedule. */
typedef uint32_t aes_u32;       /**< A 32-bit round key word. */

/** @brief An expanded AES-128 key.
 *
 * WITH_AES_DECRYPT changes the layout; the library is built without it,
 * so applications must not define it. */
typedef struct {
#ifdef WITH_AES_DECRYPT
  int enc_only;                           /**< Upstream (WITH_AES_DECRYPT): no decryption schedule. */
#endif
  int Nr;                                 /**< The number of rounds: 10 once a key is set. */
  aes_u32 ek[4*(AES_MAXROUNDS + 1)];      /**< The encryption round keys. */
#ifdef WITH_AES_DECRYPT
  aes_u32 dk[4*(AES_MAXROUNDS + 1)];      /**< Upstream (WITH_AES_DECRYPT): the decryption round keys. */
#endif
} rijndael_ctx;

/**
 * @brief Declared as upstream, but not in the library: calling it fails
 *        to link. Use rijndael_set_key_enc_only().
 *
 * @par Arguments
 * 1. the context to fill;
 * 2. the key;
 * 3. its length in bits.
 *
 * @return Upstream: 0 on success.
 */
int  rijndael_set_key(rijndael_ctx *, const u_char *, int);        /* not in the library */
/**
 * @brief Expands an AES-128 key for encryption.
 *
 * Unlike upstream, which overruns the context with 192- and 256-bit keys,
 * only 128-bit keys are accepted.
 *
 * @par Arguments
 * 1. the context to fill (rijndael_ctx);
 * 2. the key, 16 bytes;
 * 3. the key length in bits: must be 128.
 *
 * @return 0 on success; -1 for another key length or a NULL argument.
 */
int  rijndael_set_key_enc_only(rijndael_ctx *, const u_char *, int);
/**
 * @brief Declared as upstream, but not in the library: calling it fails
 *        to link.
 *
 * @par Arguments
 * 1. the context;
 * 2. the 16-byte ciphertext block;
 * 3. where to write the 16-byte plaintext block.
 */
void rijndael_decrypt(rijndael_ctx *, const u_char *, u_char *);   /* not in the library */
/**
 * @brief Encrypts one 16-byte block.
 *
 * @par Arguments
 * 1. a context set up with rijndael_set_key_enc_only() (10 rounds; any
 *    other round count does nothing);
 * 2. the 16-byte plaintext block;
 * 3. where to write the 16-byte ciphertext block (may be the same).
 *
 * Nothing happens for NULL arguments.
 */
void rijndael_encrypt(rijndael_ctx *, const u_char *, u_char *);

/**
 * @brief Expands an AES key into encryption round keys.
 *
 * @param rk        Receives the round keys: 44, 52 or 60 words for 128-,
 *                  192- or 256-bit keys.
 * @param cipherKey The key, @p keyBits / 8 bytes.
 * @param keyBits   128, 192 or 256.
 * @return The number of rounds (10, 12 or 14), or 0 for another key length
 *         or a NULL argument.
 */
int  rijndaelKeySetupEnc(aes_u32 rk[], const aes_u8 cipherKey[], int keyBits);
/**
 * @brief Declared as upstream, but not in the library: calling it fails
 *        to link.
 *
 * @param rk        Would receive the decryption round keys.
 * @param cipherKey The key.
 * @param keyBits   Its length in bits.
 * @return Upstream: the number of rounds.
 */
int  rijndaelKeySetupDec(aes_u32 rk[], const aes_u8 cipherKey[], int keyBits); /* not in the library */
/**
 * @brief Encrypts one block with round keys from rijndaelKeySetupEnc().
 *
 * @param rk The round keys.
 * @param Nr The number of rounds rijndaelKeySetupEnc() returned: 10, 12 or
 *           14 (anything else does nothing).
 * @param pt The 16-byte plaintext block.
 * @param ct Receives the 16-byte ciphertext block.
 */
void rijndaelEncrypt(const aes_u32 rk[], int Nr, const aes_u8 pt[16], aes_u8 ct[16]);

#ifdef __cplusplus
}
#endif

#endif /* __RIJNDAEL_H */
