/*
 * aes/rijndael.h -- AES block cipher key schedule and encryption.
 *
 * Only encryption is implemented (CCM mode never decrypts blocks); the
 * decryption entry points are declared because upstream declares them,
 * but the library does not define them.
 */
#ifndef __RIJNDAEL_H
#define __RIJNDAEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AES_MAXKEYBITS  (256)
#define AES_MAXKEYBYTES (AES_MAXKEYBITS/8)
/* Sized for AES-128, the only key length DTLS uses here. */
#define AES_MAXROUNDS   10

typedef unsigned char u_char;
typedef uint8_t  aes_u8;
typedef uint16_t aes_u16;
typedef uint32_t aes_u32;

/* Expanded key.  WITH_AES_DECRYPT changes the layout; the library is
 * built without it. */
typedef struct {
#ifdef WITH_AES_DECRYPT
  int enc_only;                           /* no decryption schedule */
#endif
  int Nr;                                 /* number of rounds */
  aes_u32 ek[4*(AES_MAXROUNDS + 1)];      /* encryption round keys */
#ifdef WITH_AES_DECRYPT
  aes_u32 dk[4*(AES_MAXROUNDS + 1)];      /* decryption round keys */
#endif
} rijndael_ctx;

int  rijndael_set_key(rijndael_ctx *, const u_char *, int);        /* not in the library */
int  rijndael_set_key_enc_only(rijndael_ctx *, const u_char *, int);
void rijndael_decrypt(rijndael_ctx *, const u_char *, u_char *);   /* not in the library */
void rijndael_encrypt(rijndael_ctx *, const u_char *, u_char *);

int  rijndaelKeySetupEnc(aes_u32 rk[], const aes_u8 cipherKey[], int keyBits);
int  rijndaelKeySetupDec(aes_u32 rk[], const aes_u8 cipherKey[], int keyBits); /* not in the library */
void rijndaelEncrypt(const aes_u32 rk[], int Nr, const aes_u8 pt[16], aes_u8 ct[16]);

#ifdef __cplusplus
}
#endif

#endif /* __RIJNDAEL_H */
