/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto_test.c -- known-answer tests for the cryptographic exports of
 * libtinydtls, linked like an application (dynamically, public headers
 * only).
 *
 * Covered: sha2/sha2.h, hmac.h (with the inline dtls_hash_* helpers), the
 * PRF, PSK, MAC, AES-CCM and ECC parts of crypto.h, ccm.h, aes/rijndael.h,
 * ecc/ecc.h (including the low-level word helpers) and dtls_prng /
 * dtls_ticks.
 *
 * Every expected value is a published test vector (FIPS 180-2, FIPS-197,
 * RFC 3610, RFC 4231, RFC 5903, RFC 6979, RFC 8613, the TLS 1.2 PRF vector
 * from the IETF TLS list) unless its comment says it was computed with an
 * independent implementation (Python's hashlib/hmac and the
 * "cryptography" package) or derives it from another check.
 *
 * Output: one line per check, "ok   <what>" or "FAIL <what>: <details>",
 * the library's log messages as "log  <level> <message>" (warnings are
 * expected for the rejected inputs), then "crypto_test: N passed, M
 * failed". The exit status is 1 if any check failed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tinydtls.h"
#include "crypto.h"
#include "ccm.h"
#include "hmac.h"
#include "sha2/sha2.h"
#include "aes/rijndael.h"
#include "ecc/ecc.h"
#include "dtls_debug.h"
#include "dtls_prng.h"
#include "dtls_time.h"

#include "test_support.h"

/* ------------------------------------------------------------------ */
/* reporting: ts_check() of test_support.h                              */

#define report ts_check
#define CHECK(cond, ...) report((cond) ? 1 : 0, "condition " #cond " is false", __VA_ARGS__)

static void tohex(const uint8_t *b, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  size_t i;
  for (i = 0; i < n; i++) {
    out[2 * i] = digits[b[i] >> 4];
    out[2 * i + 1] = digits[b[i] & 15];
  }
  out[2 * n] = '\0';
}

/* Parses a hex string (no separators) into out; aborts on bad input, which
 * is a bug in this file, not in the library. */
static size_t unhex(const char *s, uint8_t *out, size_t max) {
  size_t n = strlen(s), i;
  if (n % 2 || n / 2 > max) {
    fprintf(stderr, "crypto_test: bad hex constant %s\n", s);
    exit(2);
  }
  for (i = 0; i < n / 2; i++) {
    unsigned v;
    if (sscanf(s + 2 * i, "%2x", &v) != 1) {
      fprintf(stderr, "crypto_test: bad hex constant %s\n", s);
      exit(2);
    }
    out[i] = (uint8_t)v;
  }
  return n / 2;
}

/* Compares n bytes and reports, with both values in hex on a mismatch. */
static int check_bytes(const uint8_t *got, const uint8_t *exp, size_t n,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int check_bytes(const uint8_t *got, const uint8_t *exp, size_t n,
                       const char *fmt, ...) {
  char what[256], *detail = NULL;
  va_list ap;
  int ok = memcmp(got, exp, n) == 0;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  if (!ok) {
    detail = malloc(4 * n + 32);
    if (detail) {
      strcpy(detail, "expected ");
      tohex(exp, n, detail + strlen(detail));
      strcat(detail, " got ");
      tohex(got, n, detail + strlen(detail));
    }
  }
  report(ok, detail, "%s", what);
  free(detail);
  return ok;
}

static int check_hex(const uint8_t *got, const char *exphex, const char *fmt,
                     ...) __attribute__((format(printf, 3, 4)));

static int check_hex(const uint8_t *got, const char *exphex, const char *fmt,
                     ...) {
  uint8_t exp[512];
  char what[256];
  va_list ap;
  size_t n = unhex(exphex, exp, sizeof(exp));
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  return check_bytes(got, exp, n, "%s", what);
}

static int check_long(long got, long exp, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int check_long(long got, long exp, const char *fmt, ...) {
  char what[256], detail[96];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  snprintf(detail, sizeof(detail), "expected %ld got %ld", exp, got);
  report(got == exp, detail, "%s", what);
  return got == exp;
}

/* ------------------------------------------------------------------ */
/* P-256 numbers: ecc.h keeps them as 8 little-endian uint32_t words     */
/* (word 0 least significant); crypto.h as 32 big-endian bytes.          */

static void be_to_words(const uint8_t be[32], uint32_t w[8]) {
  int i;
  for (i = 0; i < 8; i++)
    w[i] = (uint32_t)be[28 - 4 * i] << 24 | (uint32_t)be[29 - 4 * i] << 16 |
           (uint32_t)be[30 - 4 * i] << 8 | be[31 - 4 * i];
}

static void words_to_be(const uint32_t w[8], uint8_t be[32]) {
  int i;
  for (i = 0; i < 8; i++) {
    be[28 - 4 * i] = (uint8_t)(w[i] >> 24);
    be[29 - 4 * i] = (uint8_t)(w[i] >> 16);
    be[30 - 4 * i] = (uint8_t)(w[i] >> 8);
    be[31 - 4 * i] = (uint8_t)w[i];
  }
}

/* hex: 64 digits, most significant first */
static void hex_to_words(const char *hex, uint32_t w[8]) {
  uint8_t be[32];
  if (unhex(hex, be, sizeof(be)) != 32) {
    fprintf(stderr, "crypto_test: %s is not a 256-bit number\n", hex);
    exit(2);
  }
  be_to_words(be, w);
}

static int check_words(const uint32_t got[8], const char *exphex,
                       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int check_words(const uint32_t got[8], const char *exphex,
                       const char *fmt, ...) {
  uint8_t be[32];
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  words_to_be(got, be);
  return check_hex(be, exphex, "%s", what);
}

/* ------------------------------------------------------------------ */
/* SHA-256 (FIPS 180-2 Appendix B)                                       */

#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define SHA_448 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define SHA_MILLION "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
/* SHA-256 of the empty string (Python hashlib) */
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* Odd chunk sizes, cycled, so that the partial-block buffer of the context
 * is exercised at every fill level and across block boundaries. */
static const size_t chunk_sizes[] = {1,  3,  5,  7,  11,  13,  17,  31,  55,
                                     56, 57, 63, 64, 65,  119, 127, 129, 191,
                                     255, 1000, 4097};

static void feed_million_a(dtls_sha256_ctx *ctx, size_t from, size_t to) {
  static uint8_t a[4097];
  size_t done = from, k = 0;
  memset(a, 'a', sizeof(a));
  while (done < to) {
    size_t n = chunk_sizes[k++ % (sizeof(chunk_sizes) / sizeof(chunk_sizes[0]))];
    if (n > to - done)
      n = to - done;
    dtls_sha256_update(ctx, a, n);
    done += n;
  }
}

static void test_sha256(void) {
  dtls_sha256_ctx ctx, copy;
  dtls_sha256_ctx *heap;
  uint8_t d[DTLS_SHA256_DIGEST_LENGTH], d2[DTLS_SHA256_DIGEST_LENGTH];
  char s[DTLS_SHA256_DIGEST_STRING_LENGTH], *ret;
  size_t i;

  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, (const uint8_t *)"abc", 3);
  dtls_sha256_final(d, &ctx);
  check_hex(d, SHA_ABC, "sha256 \"abc\"");

  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, (const uint8_t *)MSG448, strlen(MSG448));
  dtls_sha256_final(d, &ctx);
  check_hex(d, SHA_448, "sha256 448-bit message");

  dtls_sha256_init(&ctx);
  for (i = 0; i < strlen(MSG448); i++)
    dtls_sha256_update(&ctx, (const uint8_t *)MSG448 + i, 1);
  dtls_sha256_final(d, &ctx);
  check_hex(d, SHA_448, "sha256 448-bit message fed byte by byte");

  dtls_sha256_init(&ctx);
  feed_million_a(&ctx, 0, 1000000);
  dtls_sha256_final(d, &ctx);
  check_hex(d, SHA_MILLION, "sha256 one million 'a' in odd-sized chunks");

  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, (const uint8_t *)"", 0);
  dtls_sha256_final(d, &ctx);
  check_hex(d, SHA_EMPTY, "sha256 empty message (update with length 0)");

  /* dtls_sha256_end: lowercase hex string into the caller's buffer */
  memset(s, 'x', sizeof(s));
  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, (const uint8_t *)"abc", 3);
  ret = dtls_sha256_end(&ctx, s);
  CHECK(ret == s, "dtls_sha256_end returns its buffer");
  CHECK(strcmp(s, SHA_ABC) == 0, "dtls_sha256_end \"abc\" hex string (%s)", s);

  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, (const uint8_t *)"abc", 3);
  CHECK(dtls_sha256_end(&ctx, NULL) == NULL,
        "dtls_sha256_end with a NULL buffer returns NULL");

  memset(s, 'x', sizeof(s));
  ret = dtls_sha256_data((const uint8_t *)MSG448, strlen(MSG448), s);
  CHECK(ret == s && strcmp(s, SHA_448) == 0,
        "dtls_sha256_data 448-bit message (%s)", s);
  memset(s, 'x', sizeof(s));
  ret = dtls_sha256_data((const uint8_t *)"", 0, s);
  CHECK(ret == s && strcmp(s, SHA_EMPTY) == 0, "dtls_sha256_data empty (%s)", s);

  /* A context copied mid-stream by struct assignment continues on its own
   * (libcoap keeps contexts on the stack and copies them). 37 bytes leave
   * a partly filled block in the buffer. */
  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, (const uint8_t *)MSG448, 37);
  copy = ctx;
  dtls_sha256_update(&ctx, (const uint8_t *)MSG448 + 37, strlen(MSG448) - 37);
  dtls_sha256_final(d, &ctx);
  dtls_sha256_update(&copy, (const uint8_t *)MSG448 + 37, strlen(MSG448) - 37);
  dtls_sha256_final(d2, &copy);
  check_hex(d, SHA_448, "sha256 original after a mid-stream copy");
  check_hex(d2, SHA_448, "sha256 struct copy taken after 37 bytes continues");

  /* a copy taken in the middle of the million 'a', finished separately and
   * from a heap block (memcpy instead of assignment) */
  dtls_sha256_init(&ctx);
  feed_million_a(&ctx, 0, 500001);
  heap = malloc(sizeof(*heap));
  if (!heap) {
    report(0, "out of memory", "sha256 heap copy");
    return;
  }
  memcpy(heap, &ctx, sizeof(ctx));
  copy = ctx;
  feed_million_a(&ctx, 500001, 1000000);
  dtls_sha256_final(d, &ctx);
  check_hex(d, SHA_MILLION, "sha256 million 'a', original after copying at 500001");
  feed_million_a(&copy, 500001, 1000000);
  dtls_sha256_final(d, &copy);
  check_hex(d, SHA_MILLION, "sha256 million 'a', struct copy taken at 500001");
  feed_million_a(heap, 500001, 1000000);
  dtls_sha256_final(d, heap);
  check_hex(d, SHA_MILLION, "sha256 million 'a', memcpy'd heap copy taken at 500001");
  free(heap);

  /* the copy is independent: feeding different data diverges */
  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, (const uint8_t *)"ab", 2);
  copy = ctx;
  dtls_sha256_update(&copy, (const uint8_t *)"c", 1);
  dtls_sha256_update(&ctx, (const uint8_t *)"cdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 54);
  dtls_sha256_final(d2, &copy);
  dtls_sha256_final(d, &ctx);
  check_hex(d2, SHA_ABC, "sha256 copy after \"ab\" + \"c\" is sha256(\"abc\")");
  check_hex(d, SHA_448, "sha256 original after \"ab\" + rest is the 448-bit digest");

  /* hmac.h's inline helpers over the same functions */
  {
    dtls_hash_ctx h;
    size_t n;
    dtls_hash_init(&h);
    dtls_hash_update(&h, (const unsigned char *)"a", 1);
    dtls_hash_update(&h, (const unsigned char *)"bc", 2);
    n = dtls_hash_finalize(d, &h);
    check_long((long)n, 32, "dtls_hash_finalize returns 32");
    check_hex(d, SHA_ABC, "dtls_hash_init/update/finalize \"abc\"");
  }
}

/* ------------------------------------------------------------------ */
/* HMAC-SHA256 (RFC 4231)                                                */

static void test_hmac(void) {
  static const char data6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
  static const char data7[] =
      "This is a test using a larger than block-size key and a larger than "
      "block-size data. The key needs to be hashed before being used by the "
      "HMAC algorithm.";
  struct {
    const char *name;
    uint8_t key[131];
    size_t klen;
    uint8_t data[160];
    size_t dlen;
    const char *mac;
  } tc[6];
  dtls_hmac_context_t hctx;
  uint8_t out[DTLS_HMAC_MAX];
  size_t i;
  int r;

  memset(tc, 0, sizeof(tc));
  tc[0].name = "RFC 4231 test case 1";
  memset(tc[0].key, 0x0b, 20), tc[0].klen = 20;
  memcpy(tc[0].data, "Hi There", 8), tc[0].dlen = 8;
  tc[0].mac = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  tc[1].name = "RFC 4231 test case 2";
  memcpy(tc[1].key, "Jefe", 4), tc[1].klen = 4;
  memcpy(tc[1].data, "what do ya want for nothing?", 28), tc[1].dlen = 28;
  tc[1].mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  tc[2].name = "RFC 4231 test case 3";
  memset(tc[2].key, 0xaa, 20), tc[2].klen = 20;
  memset(tc[2].data, 0xdd, 50), tc[2].dlen = 50;
  tc[2].mac = "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe";
  tc[3].name = "RFC 4231 test case 4";
  for (i = 0; i < 25; i++)
    tc[3].key[i] = (uint8_t)(i + 1);
  tc[3].klen = 25;
  memset(tc[3].data, 0xcd, 50), tc[3].dlen = 50;
  tc[3].mac = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b";
  tc[4].name = "RFC 4231 test case 6 (131-byte key)";
  memset(tc[4].key, 0xaa, 131), tc[4].klen = 131;
  memcpy(tc[4].data, data6, strlen(data6)), tc[4].dlen = strlen(data6);
  tc[4].mac = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
  tc[5].name = "RFC 4231 test case 7 (131-byte key, 152-byte data)";
  memset(tc[5].key, 0xaa, 131), tc[5].klen = 131;
  memcpy(tc[5].data, data7, strlen(data7)), tc[5].dlen = strlen(data7);
  tc[5].mac = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2";

  for (i = 0; i < 6; i++) {
    memset(out, 0, sizeof(out));
    dtls_hmac_init(&hctx, tc[i].key, tc[i].klen);
    dtls_hmac_update(&hctx, tc[i].data, tc[i].dlen);
    r = dtls_hmac_finalize(&hctx, out);
    check_long(r, 32, "hmac %s: dtls_hmac_finalize returns 32", tc[i].name);
    check_hex(out, tc[i].mac, "hmac %s", tc[i].name);

    /* the same data in three updates of uneven size (one may be empty) */
    {
      size_t a = tc[i].dlen / 3, b = tc[i].dlen / 2;
      memset(out, 0, sizeof(out));
      dtls_hmac_init(&hctx, tc[i].key, tc[i].klen);
      dtls_hmac_update(&hctx, tc[i].data, 1);
      dtls_hmac_update(&hctx, tc[i].data + 1, a);
      dtls_hmac_update(&hctx, tc[i].data + 1 + a, 0);
      dtls_hmac_update(&hctx, tc[i].data + 1 + a, b);
      dtls_hmac_update(&hctx, tc[i].data + 1 + a + b, tc[i].dlen - 1 - a - b);
      r = dtls_hmac_finalize(&hctx, out);
      if (check_long(r, 32, "hmac %s in pieces: returns 32", tc[i].name))
        check_hex(out, tc[i].mac, "hmac %s in pieces", tc[i].name);
    }
  }

  /* an empty key and no data (Python's hmac module) */
  {
    const uint8_t nokey[1] = {0};
    memset(out, 0, sizeof(out));
    dtls_hmac_init(&hctx, nokey, 0);
    r = dtls_hmac_finalize(&hctx, out);
    check_long(r, 32, "hmac empty key, empty message: returns 32");
    check_hex(out, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
              "hmac empty key, empty message");
  }

  /* the context is plain memory: a struct copy taken after the key and
   * part of the data finishes the same MAC */
  {
    dtls_hmac_context_t c2;
    uint8_t out2[DTLS_HMAC_MAX];
    dtls_hmac_init(&hctx, tc[5].key, tc[5].klen);
    dtls_hmac_update(&hctx, tc[5].data, 70);
    c2 = hctx;
    dtls_hmac_update(&hctx, tc[5].data + 70, tc[5].dlen - 70);
    dtls_hmac_update(&c2, tc[5].data + 70, tc[5].dlen - 70);
    dtls_hmac_finalize(&hctx, out);
    dtls_hmac_finalize(&c2, out2);
    check_hex(out, tc[5].mac, "hmac test case 7, original after a struct copy");
    check_hex(out2, tc[5].mac, "hmac test case 7, struct copy of dtls_hmac_context_t");
  }
}

/* ------------------------------------------------------------------ */
/* TLS 1.2 PRF (P_SHA256 vector from the IETF TLS list), PSK, MAC        */

#define PRF_SECRET "9bbe436ba940f017b17652849a71db35"
#define PRF_SEED "a0ba9f936cda311827a6f796ffd5198c"
#define PRF_OUT                                                                \
  "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e9" \
  "0d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fc" \
  "e34f796789baa48082d122ee42c5a72e5a5110fff70187347b66"

static void test_prf(void) {
  uint8_t secret[16], seed[16], out[128], exp[100];
  const unsigned char *label = (const unsigned char *)"test label";
  size_t r;

  unhex(PRF_SECRET, secret, sizeof(secret));
  unhex(PRF_SEED, seed, sizeof(seed));
  unhex(PRF_OUT, exp, sizeof(exp));

  memset(out, 0xee, sizeof(out));
  r = dtls_prf(secret, 16, label, 10, seed, 16, NULL, 0, out, 100);
  check_long((long)r, 100, "dtls_prf returns the output length 100");
  check_bytes(out, exp, 100, "dtls_prf TLS 1.2 SHA-256 vector, 100 bytes");
  CHECK(out[100] == 0xee && out[127] == 0xee, "dtls_prf writes no byte past buflen");

  /* the seed split over random1 and random2 is the same PRF input */
  memset(out, 0, sizeof(out));
  r = dtls_prf(secret, 16, label, 10, seed, 7, seed + 7, 9, out, 100);
  check_long((long)r, 100, "dtls_prf (seed split 7+9) returns 100");
  check_bytes(out, exp, 100, "dtls_prf with the seed split over random1/random2");

  memset(out, 0, sizeof(out));
  r = dtls_p_hash(HASH_SHA256, secret, 16, label, 10, seed, 16, NULL, 0, out, 100);
  check_long((long)r, 100, "dtls_p_hash returns 100");
  check_bytes(out, exp, 100, "dtls_p_hash(HASH_SHA256) TLS 1.2 vector");

  /* shorter outputs are prefixes, also when not a multiple of 32 */
  memset(out, 0xee, sizeof(out));
  r = dtls_prf(secret, 16, label, 10, seed, 16, NULL, 0, out, 33);
  check_long((long)r, 33, "dtls_prf 33 bytes returns 33");
  check_bytes(out, exp, 33, "dtls_prf 33 bytes is a prefix of the vector");
  CHECK(out[33] == 0xee, "dtls_prf 33 bytes leaves byte 33 alone");

  memset(out, 0, sizeof(out));
  r = dtls_p_hash(HASH_SHA256, secret, 16, label, 10, seed, 16, NULL, 0, out, 48);
  check_long((long)r, 48, "dtls_p_hash 48 bytes (master secret size) returns 48");
  check_bytes(out, exp, 48, "dtls_p_hash 48 bytes is a prefix of the vector");
}

static void test_psk(void) {
  uint8_t key[5] = {1, 2, 3, 4, 5}, out[32];
  int r;

  memset(out, 0xee, sizeof(out));
  r = dtls_psk_pre_master_secret(key, sizeof(key), out, sizeof(out));
  check_long(r, 14, "dtls_psk_pre_master_secret returns 2*(2+5)");
  /* RFC 4279 §2: uint16 N, N zero bytes, uint16 N, the PSK */
  check_hex(out, "0005" "0000000000" "0005" "0102030405",
            "dtls_psk_pre_master_secret layout");
  CHECK(out[14] == 0xee, "dtls_psk_pre_master_secret writes nothing past 14 bytes");

  memset(out, 0, sizeof(out));
  r = dtls_psk_pre_master_secret(key, sizeof(key), out, 14);
  check_long(r, 14, "dtls_psk_pre_master_secret with an exact buffer");
  r = dtls_psk_pre_master_secret(key, sizeof(key), out, 13);
  check_long(r, -1, "dtls_psk_pre_master_secret with a 13-byte buffer returns -1");

  {
    uint8_t k16[16], big[64];
    memset(k16, 0x5a, sizeof(k16));
    r = dtls_psk_pre_master_secret(k16, 16, big, sizeof(big));
    check_long(r, 36, "dtls_psk_pre_master_secret 16-byte key returns 36");
    CHECK(big[0] == 0 && big[1] == 16 && big[18] == 0 && big[19] == 16 &&
              big[2] == 0 && big[17] == 0 && big[20] == 0x5a && big[35] == 0x5a,
          "dtls_psk_pre_master_secret 16-byte key layout");
  }
}

static void test_mac(void) {
  uint8_t key[32], record[13], msg[64], out[DTLS_HMAC_MAX], exp[DTLS_HMAC_MAX];
  const char *packet = "hello mac";
  dtls_hmac_context_t h;
  size_t i, n = 0;

  for (i = 0; i < sizeof(key); i++)
    key[i] = (uint8_t)(0x20 + i);
  /* application data, DTLS 1.2, epoch 1, sequence number 42, length 9 */
  unhex("17fefd000100000000002a0009", record, sizeof(record));

  /* the MAC input of RFC 6347 §4.1.2.1 / RFC 5246 §6.2.3.1 (seq_num is
   * epoch + sequence number), built by hand */
  memcpy(msg + n, record + 3, 8), n += 8;
  memcpy(msg + n, record, 3), n += 3;
  msg[n++] = 0, msg[n++] = (uint8_t)strlen(packet);
  memcpy(msg + n, packet, strlen(packet)), n += strlen(packet);
  dtls_hmac_init(&h, key, sizeof(key));
  dtls_hmac_update(&h, msg, n);
  dtls_hmac_finalize(&h, exp);
  /* the same value from Python's hmac module */
  check_hex(exp, "995df897a094764b98e3c971dda1bbc292d9186c5c918740d692b6fc66d36d32",
            "hmac over a hand-built record MAC input (reference for dtls_mac)");

  memset(out, 0, sizeof(out));
  dtls_hmac_init(&h, key, sizeof(key));
  dtls_mac(&h, record, (const unsigned char *)packet, strlen(packet), out);
  check_bytes(out, exp, 32, "dtls_mac equals the independently built HMAC");
}

/* ------------------------------------------------------------------ */
/* AES (FIPS-197)                                                        */

static const char *fips197_a1[44] = {
    "2b7e1516", "28aed2a6", "abf71588", "09cf4f3c", "a0fafe17", "88542cb1",
    "23a33939", "2a6c7605", "f2c295f2", "7a96b943", "5935807a", "7359f67f",
    "3d80477d", "4716fe3e", "1e237e44", "6d7a883b", "ef44a541", "a8525b7f",
    "b671253b", "db0bad00", "d4d1c6f8", "7c839d87", "caf2b8bc", "11f915bc",
    "6d88a37a", "110b3efd", "dbf98641", "ca0093fd", "4e54f70e", "5f5fc9f3",
    "84a64fb2", "4ea6dc4f", "ead27321", "b58dbad2", "312bf560", "7f8d292f",
    "ac7766f3", "19fadc21", "28d12941", "575c006e", "d014f9a8", "c9ee2589",
    "e13f0cc8", "b6630ca6"};

static int check_round_keys(const aes_u32 *rk, const char *what) {
  int i, bad = -1;
  for (i = 0; i < 44; i++)
    if (rk[i] != (aes_u32)strtoul(fips197_a1[i], NULL, 16)) {
      bad = i;
      break;
    }
  if (bad >= 0) {
    char detail[96];
    snprintf(detail, sizeof(detail), "w[%d] expected %s got %08x", bad,
             fips197_a1[bad], (unsigned)rk[bad]);
    report(0, detail, "%s", what);
    return 0;
  }
  report(1, NULL, "%s", what);
  return 1;
}

static void test_aes(void) {
  aes_u32 rk[4 * (14 + 1)];
  uint8_t key[32], pt[16], ct[16], buf[16];
  rijndael_ctx ctx;
  int r;

  /* Appendix A.1: 128-bit key expansion */
  unhex("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
  memset(rk, 0, sizeof(rk));
  r = rijndaelKeySetupEnc(rk, key, 128);
  check_long(r, 10, "rijndaelKeySetupEnc 128-bit returns Nr = 10");
  check_round_keys(rk, "rijndaelKeySetupEnc FIPS-197 A.1 round key words w[0..43]");

  /* Appendix B: the cipher example */
  unhex("3243f6a8885a308d313198a2e0370734", pt, 16);
  memset(ct, 0, sizeof(ct));
  rijndaelEncrypt(rk, 10, pt, ct);
  check_hex(ct, "3925841d02dc09fbdc118597196a0b32", "rijndaelEncrypt FIPS-197 Appendix B");
  memcpy(buf, pt, 16);
  rijndaelEncrypt(rk, 10, buf, buf);
  check_hex(buf, "3925841d02dc09fbdc118597196a0b32", "rijndaelEncrypt in place (pt == ct)");

  /* Appendix A.2 and A.3: last words of the 192- and 256-bit schedules */
  unhex("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", key, 24);
  memset(rk, 0, sizeof(rk));
  r = rijndaelKeySetupEnc(rk, key, 192);
  check_long(r, 12, "rijndaelKeySetupEnc 192-bit returns Nr = 12");
  CHECK(rk[6] == 0xfe0c91f7 && rk[51] == 0x01002202,
        "rijndaelKeySetupEnc FIPS-197 A.2 w[6] and w[51]");
  unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", key, 32);
  memset(rk, 0, sizeof(rk));
  r = rijndaelKeySetupEnc(rk, key, 256);
  check_long(r, 14, "rijndaelKeySetupEnc 256-bit returns Nr = 14");
  CHECK(rk[8] == 0x9ba35411 && rk[59] == 0x706c631e,
        "rijndaelKeySetupEnc FIPS-197 A.3 w[8] and w[59]");

  /* Appendix C: the example vectors for all three key sizes */
  unhex("00112233445566778899aabbccddeeff", pt, 16);
  unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key, 32);
  r = rijndaelKeySetupEnc(rk, key, 128);
  memset(ct, 0, sizeof(ct));
  rijndaelEncrypt(rk, r, pt, ct);
  check_hex(ct, "69c4e0d86a7b0430d8cdb78070b4c55a", "rijndaelEncrypt FIPS-197 C.1 (AES-128)");
  r = rijndaelKeySetupEnc(rk, key, 192);
  memset(ct, 0, sizeof(ct));
  rijndaelEncrypt(rk, r, pt, ct);
  check_hex(ct, "dda97ca4864cdfe06eaf70a0ec0d7191", "rijndaelEncrypt FIPS-197 C.2 (AES-192)");
  r = rijndaelKeySetupEnc(rk, key, 256);
  memset(ct, 0, sizeof(ct));
  rijndaelEncrypt(rk, r, pt, ct);
  check_hex(ct, "8ea2b7ca516745bfeafc49904b496089", "rijndaelEncrypt FIPS-197 C.3 (AES-256)");

  /* rijndael_ctx helpers (only AES-128 fits the struct) */
  memset(&ctx, 0, sizeof(ctx));
  r = rijndael_set_key_enc_only(&ctx, key, 128);
  check_long(r, 0, "rijndael_set_key_enc_only 128-bit returns 0");
  check_long(ctx.Nr, 10, "rijndael_set_key_enc_only sets Nr = 10");
  memset(ct, 0, sizeof(ct));
  rijndael_encrypt(&ctx, pt, ct);
  check_hex(ct, "69c4e0d86a7b0430d8cdb78070b4c55a", "rijndael_encrypt FIPS-197 C.1");
  memcpy(buf, pt, 16);
  rijndael_encrypt(&ctx, buf, buf);
  check_hex(buf, "69c4e0d86a7b0430d8cdb78070b4c55a", "rijndael_encrypt in place");

  unhex("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
  rijndael_set_key_enc_only(&ctx, key, 128);
  check_round_keys(ctx.ek, "rijndael_set_key_enc_only ctx.ek holds the A.1 schedule");
  unhex("3243f6a8885a308d313198a2e0370734", pt, 16);
  memset(ct, 0, sizeof(ct));
  rijndael_encrypt(&ctx, pt, ct);
  check_hex(ct, "3925841d02dc09fbdc118597196a0b32", "rijndael_encrypt FIPS-197 Appendix B");

  /* documented difference: longer keys would overrun rijndael_ctx
   * (AES_MAXROUNDS is 10) and are refused */
  r = rijndael_set_key_enc_only(&ctx, key, 256);
  check_long(r, -1, "rijndael_set_key_enc_only refuses a 256-bit key (-1)");
}

/* ------------------------------------------------------------------ */
/* AES-CCM                                                               */

/* RFC 3610 §8, packet vectors #1..#24: tag length M, AAD length la (the
 * first la bytes of the packet), key set (0: C0..CF, 1: D7 82 8D ..), the
 * 13-byte nonce (L = 2), the whole input packet and the output after the
 * AAD (ciphertext followed by the M-byte tag). */
static const struct ccm_vector {
  int n;
  unsigned M, la;
  int key;
  const char *nonce, *packet, *result;
} ccm_vectors[] = {
    {1, 8, 8, 0, "00000003020100A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E",
     "588C979A61C663D2F066D0C2C0F989806D5F6B61DAC38417E8D12CFDF926E0"},
    {2, 8, 8, 0, "00000004030201A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
     "72C91A36E135F8CF291CA894085C87E3CC15C439C9E43A3BA091D56E10400916"},
    {3, 8, 8, 0, "00000005040302A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20",
     "51B1E5F44A197D1DA46B0F8E2D282AE871E838BB64DA8596574ADAA76FBD9FB0C5"},
    {4, 8, 12, 0, "00000006050403A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E",
     "A28C6865939A9A79FAAA5C4C2A9D4A91CDAC8C96C861B9C9E61EF1"},
    {5, 8, 12, 0, "00000007060504A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
     "DCF1FB7B5D9E23FB9D4E131253658AD86EBDCA3E51E83F077D9C2D93"},
    {6, 8, 12, 0, "00000008070605A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20",
     "6FC1B011F006568B5171A42D953D469B2570A4BD87405A0443AC91CB94"},
    {7, 10, 8, 0, "00000009080706A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E",
     "0135D1B2C95F41D5D1D4FEC185D166B8094E999DFED96C048C56602C97ACBB7490"},
    {8, 10, 8, 0, "0000000A090807A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
     "7B75399AC0831DD2F0BBD75879A2FD8F6CAE6B6CD9B7DB24C17B4433F434963F34B4"},
    {9, 10, 8, 0, "0000000B0A0908A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20",
     "82531A60CC24945A4B8279181AB5C84DF21CE7F9B73F42E197EA9C07E56B5EB17E5F4E"},
    {10, 10, 12, 0, "0000000C0B0A09A0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E",
     "07342594157785152B074098330ABB141B947B566AA9406B4D999988DD"},
    {11, 10, 12, 0, "0000000D0C0B0AA0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
     "676BB20380B0E301E8AB79590A396DA78B834934F53AA2E9107A8B6C022C"},
    {12, 10, 12, 0, "0000000E0D0C0BA0A1A2A3A4A5",
     "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20",
     "C0FFA0D6F05BDB67F24D43A4338D2AA4BED7B20E43CD1AA31662E7AD65D6DB"},
    {13, 8, 8, 1, "00412B4EA9CDBE3C9696766CFA",
     "0BE1A88BACE018B108E8CF97D820EA258460E96AD9CF5289054D895CEAC47C",
     "4CB97F86A2A4689A877947AB8091EF5386A6FFBDD080F8E78CF7CB0CDDD7B3"},
    {14, 8, 8, 1, "0033568EF7B2633C9696766CFA",
     "63018F76DC8A1BCB9020EA6F91BDD85AFA0039BA4BAFF9BFB79C7028949CD0EC",
     "4CCB1E7CA981BEFAA0726C55D378061298C85C92814ABC33C52EE81D7D77C08A"},
    {15, 8, 8, 1, "00103FE41336713C9696766CFA",
     "AA6CFA36CAE86B40B916E0EACC1C00D7DCEC68EC0B3BBB1A02DE8A2D1AA346132E",
     "B1D23A2220DDC0AC900D9AA03C61FCF4A559A4417767089708A776796EDB723506"},
    {16, 8, 12, 1, "00764C63B8058E3C9696766CFA",
     "D0D0735C531E1BECF049C24412DAAC5630EFA5396F770CE1A66B21F7B2101C",
     "14D253C3967B70609B7CBB7C499160283245269A6F49975BCADEAF"},
    {17, 8, 12, 1, "00F8B678094E3B3C9696766CFA",
     "77B60F011C03E1525899BCAEE88B6A46C78D63E52EB8C546EFB5DE6F75E9CC0D",
     "5545FF1A085EE2EFBF52B2E04BEE1E2336C73E3F762C0C7744FE7E3C"},
    {18, 8, 12, 1, "00D560912D3F703C9696766CFA",
     "CD9044D2B71FDB8120EA60C06435ACBAFB11A82E2F071D7CA4A5EBD93A803BA87F",
     "009769ECABDF48625594C59251E6035722675E04C847099E5AE0704551"},
    {19, 10, 8, 1, "0042FFF8F1951C3C9696766CFA",
     "D85BC7E69F944FB88A19B950BCF71A018E5E6701C91787659809D67DBEDD18",
     "BC218DAA947427B6DB386A99AC1AEF23ADE0B52939CB6A637CF9BEC2408897C6BA"},
    {20, 10, 8, 1, "00920F40E56CDC3C9696766CFA",
     "74A0EBC9069F5B371761433C37C5A35FC1F39F406302EB907C6163BE38C98437",
     "5810E6FD25874022E80361A478E3E9CF484AB04F447EFFF6F0A477CC2FC9BF548944"},
    {21, 10, 8, 1, "0027CA0C7120BC3C9696766CFA",
     "44A3AA3AAE6475CAA434A8E58500C6E41530538862D686EA9E81301B5AE4226BFA",
     "F2BEED7BC5098E83FEB5B31608F8E29C38819A89C8E776F1544D4151A4ED3A8B87B9CE"},
    {22, 10, 12, 1, "005B8CCBCD9AF83C9696766CFA",
     "EC46BB63B02520C33C49FD70B96B49E21D621741632875DB7F6C9243D2D7C2",
     "31D750A09DA3ED7FDDD49A2032AABF17EC8EBF7D22C8088C666BE5C197"},
    {23, 10, 12, 1, "003EBE94044B9A3C9696766CFA",
     "47A65AC78B3D594227E85E71E2FCFBB880442C731BF95167C8FFD7895E337076",
     "E882F1DBD38CE3EDA7C23F04DD65071EB41342ACDF7E00DCCEC7AE52987D"},
    {24, 10, 12, 1, "008D493B30AE8B3C9696766CFA",
     "6E37A6EF546D955D34AB6059ABF21C0B02FEB88F856DF4A37381BCE3CC128517D4",
     "F32905B88A641B04B9C9FFB58CC390900F3DA12AB16DCE9E82EFA16DA62059"},
};

static const char *ccm_keys[2] = {"C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF",
                                  "D7828D13B2B0BDC325A76236DF93CC6B"};

static int all_zero(const uint8_t *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (b[i])
      return 0;
  return 1;
}

static void test_ccm_rfc3610(void) {
  size_t v;
  for (v = 0; v < sizeof(ccm_vectors) / sizeof(ccm_vectors[0]); v++) {
    const struct ccm_vector *t = &ccm_vectors[v];
    uint8_t key[16], nonce[DTLS_CCM_BLOCKSIZE], packet[64], result[64];
    uint8_t buf[96], src[96];
    size_t plen, rlen, lm;
    rijndael_ctx ctx;
    dtls_ccm_params_t params;
    long len;
    int r;

    unhex(ccm_keys[t->key], key, sizeof(key));
    memset(nonce, 0, sizeof(nonce));
    unhex(t->nonce, nonce, 13);
    plen = unhex(t->packet, packet, sizeof(packet));
    rlen = unhex(t->result, result, sizeof(result));
    lm = plen - t->la; /* plaintext length */

    r = rijndael_set_key_enc_only(&ctx, key, 128);
    if (!check_long(r, 0, "ccm #%d rijndael_set_key_enc_only", t->n))
      continue;

    /* ccm.h, in place in buf, AAD separate */
    memset(buf, 0xee, sizeof(buf));
    memcpy(buf, packet + t->la, lm);
    len = dtls_ccm_encrypt_message(&ctx, t->M, 2, nonce, buf, lm, packet, t->la);
    if (check_long(len, (long)rlen, "ccm #%d dtls_ccm_encrypt_message length", t->n))
      check_bytes(buf, result, rlen, "ccm #%d dtls_ccm_encrypt_message output", t->n);
    CHECK(buf[rlen] == 0xee, "ccm #%d dtls_ccm_encrypt_message writes nothing past the tag", t->n);

    memset(buf, 0xee, sizeof(buf));
    memcpy(buf, result, rlen);
    len = dtls_ccm_decrypt_message(&ctx, t->M, 2, nonce, buf, rlen, packet, t->la);
    if (check_long(len, (long)lm, "ccm #%d dtls_ccm_decrypt_message length", t->n))
      check_bytes(buf, packet + t->la, lm, "ccm #%d dtls_ccm_decrypt_message plaintext", t->n);

    /* a flipped bit in the ciphertext, the tag or the AAD is rejected */
    memcpy(buf, result, rlen);
    buf[3] ^= 0x10;
    len = dtls_ccm_decrypt_message(&ctx, t->M, 2, nonce, buf, rlen, packet, t->la);
    CHECK(len < 0, "ccm #%d dtls_ccm_decrypt_message rejects a flipped ciphertext bit (%ld)", t->n, len);
    /* documented difference from upstream: the unauthenticated plaintext
     * is wiped on failure */
    CHECK(all_zero(buf, lm), "ccm #%d failed dtls_ccm_decrypt_message wipes the plaintext", t->n);
    memcpy(buf, result, rlen);
    buf[rlen - 1] ^= 0x01;
    len = dtls_ccm_decrypt_message(&ctx, t->M, 2, nonce, buf, rlen, packet, t->la);
    CHECK(len < 0, "ccm #%d dtls_ccm_decrypt_message rejects a flipped tag bit (%ld)", t->n, len);
    {
      uint8_t aad[16];
      memcpy(aad, packet, t->la);
      aad[t->la - 1] ^= 0x80;
      memcpy(buf, result, rlen);
      len = dtls_ccm_decrypt_message(&ctx, t->M, 2, nonce, buf, rlen, aad, t->la);
      CHECK(len < 0, "ccm #%d dtls_ccm_decrypt_message rejects a flipped AAD bit (%ld)", t->n, len);
    }

    /* crypto.h with dtls_ccm_params_t: src != buf ... */
    params.nonce = nonce;
    params.tag_length = (uint8_t)t->M;
    params.l = 2;
    memcpy(src, packet + t->la, lm);
    memset(buf, 0xee, sizeof(buf));
    r = dtls_encrypt_params(&params, src, lm, buf, key, 16, packet, t->la);
    if (check_long(r, (long)rlen, "ccm #%d dtls_encrypt_params (src != buf) length", t->n))
      check_bytes(buf, result, rlen, "ccm #%d dtls_encrypt_params (src != buf) output", t->n);
    CHECK(memcmp(src, packet + t->la, lm) == 0, "ccm #%d dtls_encrypt_params leaves src alone", t->n);

    memcpy(src, result, rlen);
    memset(buf, 0xee, sizeof(buf));
    r = dtls_decrypt_params(&params, src, rlen, buf, key, 16, packet, t->la);
    if (check_long(r, (long)lm, "ccm #%d dtls_decrypt_params (src != buf) length", t->n))
      check_bytes(buf, packet + t->la, lm, "ccm #%d dtls_decrypt_params (src != buf) plaintext", t->n);

    /* ... and in place */
    memcpy(buf, packet + t->la, lm);
    r = dtls_encrypt_params(&params, buf, lm, buf, key, 16, packet, t->la);
    if (check_long(r, (long)rlen, "ccm #%d dtls_encrypt_params in place length", t->n))
      check_bytes(buf, result, rlen, "ccm #%d dtls_encrypt_params in place output", t->n);
    r = dtls_decrypt_params(&params, buf, rlen, buf, key, 16, packet, t->la);
    if (check_long(r, (long)lm, "ccm #%d dtls_decrypt_params in place length", t->n))
      check_bytes(buf, packet + t->la, lm, "ccm #%d dtls_decrypt_params in place plaintext", t->n);

    memcpy(src, result, rlen);
    src[lm / 2] ^= 0x04;
    r = dtls_decrypt_params(&params, src, rlen, buf, key, 16, packet, t->la);
    CHECK(r < 0, "ccm #%d dtls_decrypt_params rejects a flipped bit (%d)", t->n, r);
  }
}

/* RFC 8613 Appendix C: AES-CCM-16-64-128 (COSE alg 10: 16-byte key, 8-byte
 * tag, 13-byte nonce, L = 2) as libcoap's OSCORE calls it. */
static const struct oscore_vector {
  const char *name, *key, *nonce, *aad, *plaintext, *ciphertext;
} oscore_vectors[] = {
    {"RFC 8613 C.4 (request, client)", "f0910ed7295e6ad4b54fc793154302ff",
     "4622d4dd6d944168eefb549868", "8368456e63727970743040488501810a40411440",
     "01b3747631", "612f1092f1776f1c1668b3825e"},
    {"RFC 8613 C.5 (request, client, kid 00)", "321b26943253c7ffb6003b0b64d74041",
     "bf35ae297d2dace910c52e99ed", "8368456e63727970743040498501810a4100411440",
     "01b3747631", "4ed339a5a379b0b8bc731fffb0"},
    {"RFC 8613 C.7 (response, server)", "ffb14e093c94c9cac9471648b4f98710",
     "4622d4dd6d944168eefb549868", "8368456e63727970743040488501810a40411440",
     "45ff48656c6c6f20576f726c6421",
     "dbaad1e9a7e7b2a813d3c31524378303cdafae119106"},
};

static void test_ccm_oscore(void) {
  size_t v;
  for (v = 0; v < sizeof(oscore_vectors) / sizeof(oscore_vectors[0]); v++) {
    const struct oscore_vector *t = &oscore_vectors[v];
    uint8_t key[16], nonce[DTLS_CCM_BLOCKSIZE], aad[32], pt[32], ct[48], out[64];
    size_t la, lp, lc;
    dtls_ccm_params_t params;
    rijndael_ctx ctx;
    long len;
    int r;

    unhex(t->key, key, sizeof(key));
    memset(nonce, 0, sizeof(nonce));
    unhex(t->nonce, nonce, 13);
    la = unhex(t->aad, aad, sizeof(aad));
    lp = unhex(t->plaintext, pt, sizeof(pt));
    lc = unhex(t->ciphertext, ct, sizeof(ct));

    params.nonce = nonce;
    params.tag_length = 8;
    params.l = 2;
    memset(out, 0, sizeof(out));
    r = dtls_encrypt_params(&params, pt, lp, out, key, 16, aad, la);
    if (check_long(r, (long)lc, "oscore %s dtls_encrypt_params length", t->name))
      check_bytes(out, ct, lc, "oscore %s dtls_encrypt_params ciphertext", t->name);
    memset(out, 0, sizeof(out));
    r = dtls_decrypt_params(&params, ct, lc, out, key, 16, aad, la);
    if (check_long(r, (long)lp, "oscore %s dtls_decrypt_params length", t->name))
      check_bytes(out, pt, lp, "oscore %s dtls_decrypt_params plaintext", t->name);

    /* the same through ccm.h */
    rijndael_set_key_enc_only(&ctx, key, 128);
    memcpy(out, pt, lp);
    len = dtls_ccm_encrypt_message(&ctx, 8, 2, nonce, out, lp, aad, la);
    if (check_long(len, (long)lc, "oscore %s dtls_ccm_encrypt_message length", t->name))
      check_bytes(out, ct, lc, "oscore %s dtls_ccm_encrypt_message ciphertext", t->name);

    memcpy(out, ct, lc);
    out[0] ^= 1;
    r = dtls_decrypt_params(&params, out, lc, out, key, 16, aad, la);
    CHECK(r < 0, "oscore %s dtls_decrypt_params rejects a flipped bit (%d)", t->name, r);
  }
}

/* Further CCM parameters. The expected values were computed with Python's
 * "cryptography" package (AESCCM), an independent implementation. */
static void test_ccm_more(void) {
  uint8_t key[16], nonce[DTLS_CCM_BLOCKSIZE], m[32], buf[96], buf2[96];
  dtls_ccm_params_t params;
  rijndael_ctx ctx;
  long len;
  int r, i;

  unhex(ccm_keys[0], key, sizeof(key));
  for (i = 0; i < 32; i++)
    m[i] = (uint8_t)i;
  rijndael_set_key_enc_only(&ctx, key, 128);

  /* the deprecated API: M = 8 and a 12-byte nonce (L = 3), as the DTLS
   * AES-128-CCM-8 suites use it; AAD m[0..8), plaintext m[8..31) */
  memset(nonce, 0, sizeof(nonce));
  unhex("00000003020100A0A1A2A3A4", nonce, 12);
  memset(buf, 0, sizeof(buf));
  r = dtls_encrypt(m + 8, 23, buf, nonce, key, 16, m, 8);
  if (check_long(r, 31, "dtls_encrypt (M=8, 12-byte nonce) length"))
    check_hex(buf, "3d3cef188df7830d987b22e465f5b67fb14adc630ab5ac70af75d4d508c250",
              "dtls_encrypt (M=8, 12-byte nonce) output");
  memset(buf2, 0, sizeof(buf2));
  r = dtls_decrypt(buf, 31, buf2, nonce, key, 16, m, 8);
  if (check_long(r, 23, "dtls_decrypt round trip length"))
    check_bytes(buf2, m + 8, 23, "dtls_decrypt round trip plaintext");
  params.nonce = nonce;
  params.tag_length = 8;
  params.l = 3;
  memset(buf2, 0, sizeof(buf2));
  r = dtls_encrypt_params(&params, m + 8, 23, buf2, key, 16, m, 8);
  CHECK(r == 31 && memcmp(buf, buf2, 31) == 0,
        "dtls_encrypt equals dtls_encrypt_params {nonce, 8, 3}");
  memcpy(buf2, m + 8, 23);
  len = dtls_ccm_encrypt_message(&ctx, 8, 3, nonce, buf2, 23, m, 8);
  CHECK(len == 31 && memcmp(buf, buf2, 31) == 0,
        "dtls_encrypt equals dtls_ccm_encrypt_message(M=8, L=3)");
  buf[30] ^= 0x40;
  r = dtls_decrypt(buf, 31, buf2, nonce, key, 16, m, 8);
  CHECK(r < 0, "dtls_decrypt rejects a flipped tag bit (%d)", r);

  /* M = 16, 12-byte nonce, no AAD (the AES_128_CCM suites' tag length) */
  memset(buf, 0, sizeof(buf));
  params.tag_length = 16;
  params.l = 3;
  r = dtls_encrypt_params(&params, m, 32, buf, key, 16, NULL, 0);
  if (check_long(r, 48, "dtls_encrypt_params M=16 L=3 without AAD length"))
    check_hex(buf,
              "3534e71085ff8b0580633afc7dedae67b942d46b02bda4e7d76719b534bbe1a7"
              "5ed6c82fd880c1af732b0ab0aa41c489",
              "dtls_encrypt_params M=16 L=3 without AAD output");
  r = dtls_decrypt_params(&params, buf, 48, buf, key, 16, NULL, 0);
  CHECK(r == 32 && memcmp(buf, m, 32) == 0, "dtls_decrypt_params M=16 L=3 round trip");

  /* RFC 3610 #1's key and nonce with other parameters */
  memset(nonce, 0, sizeof(nonce));
  unhex("00000003020100A0A1A2A3A4A5", nonce, 13);
  params.l = 2;

  params.tag_length = 8;
  r = dtls_encrypt_params(&params, m + 8, 0, buf, key, 16, m, 8);
  if (check_long(r, 8, "dtls_encrypt_params empty plaintext: tag only"))
    check_hex(buf, "e4288ac378000ff5", "dtls_encrypt_params empty plaintext tag");
  r = dtls_decrypt_params(&params, buf, 8, buf2, key, 16, m, 8);
  check_long(r, 0, "dtls_decrypt_params empty plaintext returns 0");
  r = dtls_decrypt_params(&params, buf, 7, buf2, key, 16, m, 8);
  CHECK(r < 0, "dtls_decrypt_params input shorter than the tag is rejected (%d)", r);

  r = dtls_encrypt_params(&params, m + 8, 23, buf, key, 16, NULL, 0);
  if (check_long(r, 31, "dtls_encrypt_params without AAD length"))
    check_hex(buf, "588c979a61c663d2f066d0c2c0f989806d5f6b61dac3847c2051a7ae200bcf",
              "dtls_encrypt_params without AAD output");

  params.tag_length = 16;
  r = dtls_encrypt_params(&params, m + 8, 23, buf, key, 16, m, 8);
  if (check_long(r, 39, "dtls_encrypt_params M=16 length"))
    check_hex(buf, "588c979a61c663d2f066d0c2c0f989806d5f6b61dac384509da654e32deac369c2dae7133cb08d",
              "dtls_encrypt_params M=16 output");

  /* only AES-128 */
  {
    uint8_t key32[32];
    memset(key32, 0x11, sizeof(key32));
    params.tag_length = 8;
    r = dtls_encrypt_params(&params, m, 16, buf, key32, 32, NULL, 0);
    CHECK(r < 0, "dtls_encrypt_params refuses a 256-bit key (%d)", r);
  }
}

/* ------------------------------------------------------------------ */
/* ECC (P-256)                                                           */

#define GX "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
#define GY "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"
#define NEG_GY "B01CBD1C01E58065711814B583F061E9D431CCA994CEA1313449BF97C840AE0A" /* p - Gy */
/* 2G, 3G and 4G (Python "cryptography", derive_private_key(k)) */
#define G2X "7CF27B188D034F7E8A52380304B51AC3C08969E277F21B35A60B48FC47669978"
#define G2Y "07775510DB8ED040293D9AC69F7430DBBA7DADE63CE982299E04B79D227873D1"
#define G3X "5ECBE4D1A6330A44C8F7EF951D4BF165E6C6B721EFADA985FB41661BC6E7FD6C"
#define G3Y "8734640C4998FF7E374B06CE1A64A2ECD82AB036384FB83D9A79B127A27D5032"
#define G4X "E2534A3532D08FBBA02DDE659EE62BD0031FE2DB785596EF509302446B030852"
#define G4Y "E0F1575A4C633CC719DFEE5FDA862D764EFC96C3F30EE0055C42C23F184ED8C6"
#define P_HEX "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF"
#define N_HEX "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"
#define R_P_HEX "00000000FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001" /* 2^256 - p */
#define R_N_HEX "00000000FFFFFFFF000000000000000043190552" "58E8617B0C46353D039CDAAF" /* 2^256 - n */
/* RFC 5903 §8.1 (256-bit random ECP group) */
#define I_HEX "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"
#define GIX "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
#define GIY "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"
#define RR_HEX "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"
#define GRX "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
#define GRY "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB"
#define GIRX "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"
#define GIRY "522BDE0AF0D8585B8DEF9C183B5AE38F50235206A8674ECB5D98EDB20EB153A2"
/* RFC 6979 A.2.5: P-256 key, SHA-256, message "sample" */
#define DX "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"
#define UX "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
#define UY "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"
#define SAMPLE_K "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60"
#define SAMPLE_R "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
#define SAMPLE_S "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
#define SAMPLE_H "AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF" /* SHA-256("sample") */

static void test_ecc_points(void) {
  uint32_t x[8], y[8], k[8], rx[8], ry[8], qx[8], qy[8];

  check_words(ecc_g_point_x, GX, "ecc_g_point_x is the P-256 generator x");
  check_words(ecc_g_point_y, GY, "ecc_g_point_y is the P-256 generator y");

  memset(k, 0, sizeof(k));
  k[0] = 1;
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, k, rx, ry);
  check_words(rx, GX, "ecc_ec_mult 1*G x");
  check_words(ry, GY, "ecc_ec_mult 1*G y");
  k[0] = 2;
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, k, rx, ry);
  check_words(rx, G2X, "ecc_ec_mult 2*G x");
  check_words(ry, G2Y, "ecc_ec_mult 2*G y");
  memset(rx, 0, sizeof(rx));
  memset(ry, 0, sizeof(ry));
  ecc_gen_pub_key(k, rx, ry);
  check_words(rx, G2X, "ecc_gen_pub_key 2 x");
  check_words(ry, G2Y, "ecc_gen_pub_key 2 y");
  k[0] = 3;
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, k, rx, ry);
  check_words(rx, G3X, "ecc_ec_mult 3*G x");
  check_words(ry, G3Y, "ecc_ec_mult 3*G y");

  /* (n-1)*G = -G */
  hex_to_words(N_HEX, k);
  k[0] -= 1;
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, k, rx, ry);
  check_words(rx, GX, "ecc_ec_mult (n-1)*G x = Gx");
  check_words(ry, NEG_GY, "ecc_ec_mult (n-1)*G y = p - Gy");

  /* RFC 5903 §8.1 */
  hex_to_words(I_HEX, k);
  ecc_gen_pub_key(k, rx, ry);
  check_words(rx, GIX, "ecc_gen_pub_key RFC 5903 i: gix");
  check_words(ry, GIY, "ecc_gen_pub_key RFC 5903 i: giy");
  hex_to_words(RR_HEX, k);
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, k, rx, ry);
  check_words(rx, GRX, "ecc_ec_mult RFC 5903 r*G: grx");
  check_words(ry, GRY, "ecc_ec_mult RFC 5903 r*G: gry");

  hex_to_words(GRX, x);
  hex_to_words(GRY, y);
  hex_to_words(I_HEX, k);
  ecc_ecdh(x, y, k, rx, ry);
  check_words(rx, GIRX, "ecc_ecdh i * gr: girx");
  check_words(ry, GIRY, "ecc_ecdh i * gr: giry");
  hex_to_words(GIX, x);
  hex_to_words(GIY, y);
  hex_to_words(RR_HEX, k);
  ecc_ecdh(x, y, k, rx, ry);
  check_words(rx, GIRX, "ecc_ecdh r * gi: girx (agreement)");
  check_words(ry, GIRY, "ecc_ecdh r * gi: giry (agreement)");

  /* outputs may alias inputs */
  hex_to_words(GIX, x);
  hex_to_words(GIY, y);
  ecc_ec_mult(x, y, k, x, y);
  check_words(x, GIRX, "ecc_ec_mult with result aliasing the input point");

  /* documented difference: a point off the curve gives (0, 0) */
  memcpy(x, ecc_g_point_x, sizeof(x));
  memcpy(y, ecc_g_point_y, sizeof(y));
  y[0] ^= 1;
  k[0] = 5;
  memset(rx, 0xaa, sizeof(rx));
  memset(ry, 0xaa, sizeof(ry));
  ecc_ec_mult(x, y, k, rx, ry);
  CHECK(all_zero((uint8_t *)rx, 32) && all_zero((uint8_t *)ry, 32),
        "ecc_ec_mult of an off-curve point gives (0, 0)");

  /* ecc_ec_add / ecc_ec_double against ecc_ec_mult */
  ecc_ec_double(ecc_g_point_x, ecc_g_point_y, rx, ry);
  check_words(rx, G2X, "ecc_ec_double G x");
  check_words(ry, G2Y, "ecc_ec_double G y");
  ecc_ec_add(ecc_g_point_x, ecc_g_point_y, ecc_g_point_x, ecc_g_point_y, rx, ry);
  check_words(rx, G2X, "ecc_ec_add G + G x (doubling case)");
  check_words(ry, G2Y, "ecc_ec_add G + G y (doubling case)");
  hex_to_words(G2X, qx);
  hex_to_words(G2Y, qy);
  ecc_ec_add(qx, qy, ecc_g_point_x, ecc_g_point_y, rx, ry);
  memset(k, 0, sizeof(k));
  k[0] = 3;
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, k, x, y);
  CHECK(ecc_isSame(rx, x, 8) && ecc_isSame(ry, y, 8), "ecc_ec_add 2G + G equals ecc_ec_mult 3*G");
  check_words(rx, G3X, "ecc_ec_add 2G + G x");
  ecc_ec_double(qx, qy, rx, ry);
  check_words(rx, G4X, "ecc_ec_double 2G x");
  check_words(ry, G4Y, "ecc_ec_double 2G y");
  k[0] = 4;
  ecc_ec_mult(ecc_g_point_x, ecc_g_point_y, k, x, y);
  CHECK(ecc_isSame(rx, x, 8) && ecc_isSame(ry, y, 8), "ecc_ec_double 2G equals ecc_ec_mult 4*G");
  memset(x, 0, sizeof(x));
  memset(y, 0, sizeof(y));
  ecc_ec_add(ecc_g_point_x, ecc_g_point_y, x, y, rx, ry);
  CHECK(ecc_isSame(rx, ecc_g_point_x, 8) && ecc_isSame(ry, ecc_g_point_y, 8),
        "ecc_ec_add G + (0,0) = G");
  hex_to_words(NEG_GY, y);
  ecc_ec_add(ecc_g_point_x, ecc_g_point_y, ecc_g_point_x, y, rx, ry);
  CHECK(all_zero((uint8_t *)rx, 32) && all_zero((uint8_t *)ry, 32), "ecc_ec_add G + (-G) = (0,0)");
}

static void test_ecc_ecdsa_words(void) {
  uint32_t d[8], e[8], k[8], ux[8], uy[8], r[9], s[9], t[9];
  int ret;

  hex_to_words(DX, d);
  hex_to_words(SAMPLE_H, e);
  hex_to_words(SAMPLE_K, k);
  hex_to_words(UX, ux);
  hex_to_words(UY, uy);

  {
    uint32_t px[8], py[8];
    ecc_gen_pub_key(d, px, py);
    check_words(px, UX, "ecc_gen_pub_key RFC 6979 A.2.5 Ux");
    check_words(py, UY, "ecc_gen_pub_key RFC 6979 A.2.5 Uy");
  }

  memset(r, 0xaa, sizeof(r));
  memset(s, 0xaa, sizeof(s));
  ret = ecc_ecdsa_sign(d, e, k, r, s);
  check_long(ret, 0, "ecc_ecdsa_sign RFC 6979 A.2.5 returns 0");
  check_words(r, SAMPLE_R, "ecc_ecdsa_sign RFC 6979 A.2.5 (SHA-256, \"sample\") r");
  check_words(s, SAMPLE_S, "ecc_ecdsa_sign RFC 6979 A.2.5 (SHA-256, \"sample\") s");

  ret = ecc_ecdsa_validate(ux, uy, e, r, s);
  check_long(ret, 0, "ecc_ecdsa_validate accepts the RFC 6979 signature");
  e[0] ^= 1;
  ret = ecc_ecdsa_validate(ux, uy, e, r, s);
  CHECK(ret != 0, "ecc_ecdsa_validate rejects a modified hash (%d)", ret);
  e[0] ^= 1;
  memcpy(t, r, sizeof(t));
  t[4] ^= 0x100;
  ret = ecc_ecdsa_validate(ux, uy, e, t, s);
  CHECK(ret != 0, "ecc_ecdsa_validate rejects a modified r (%d)", ret);
  memcpy(t, s, sizeof(t));
  t[0] ^= 2;
  ret = ecc_ecdsa_validate(ux, uy, e, r, t);
  CHECK(ret != 0, "ecc_ecdsa_validate rejects a modified s (%d)", ret);
  ret = ecc_ecdsa_validate(ecc_g_point_x, ecc_g_point_y, e, r, s);
  CHECK(ret != 0, "ecc_ecdsa_validate rejects another public key (%d)", ret);

  /* k = 0 yields no signature */
  memset(k, 0, sizeof(k));
  ret = ecc_ecdsa_sign(d, e, k, r, s);
  CHECK(ret != 0, "ecc_ecdsa_sign with k = 0 fails (%d)", ret);

  /* ecc_is_valid_key */
  check_long(ecc_is_valid_key(d), 1, "ecc_is_valid_key RFC 6979 key");
  memset(k, 0, sizeof(k));
  k[0] = 1;
  check_long(ecc_is_valid_key(k), 1, "ecc_is_valid_key 1");
  hex_to_words(N_HEX, k);
  check_long(ecc_is_valid_key(k), 0, "ecc_is_valid_key n");
  k[0] -= 1;
  check_long(ecc_is_valid_key(k), 1, "ecc_is_valid_key n-1");
  memset(k, 0xff, sizeof(k));
  check_long(ecc_is_valid_key(k), 0, "ecc_is_valid_key 2^256-1");
  memset(k, 0, sizeof(k));
  check_long(ecc_is_valid_key(k), 0, "ecc_is_valid_key 0 (rejected here, unlike upstream)");
}

static void test_ecc_words(void) {
  uint32_t a[8], b[8], c[8], big[16], res[9];
  uint32_t p[8], rp[8], rn[8], n[9];
  uint32_t carry;

  hex_to_words(P_HEX, p);
  hex_to_words(R_P_HEX, rp);
  hex_to_words(R_N_HEX, rn);
  hex_to_words(N_HEX, n);
  n[8] = 0;

  /* ecc_add / ecc_sub: carry and borrow */
  memset(a, 0xff, sizeof(a));
  memset(b, 0, sizeof(b));
  b[0] = 1;
  carry = ecc_add(a, b, c, 8);
  CHECK(carry == 1 && all_zero((uint8_t *)c, 32), "ecc_add (2^256-1) + 1 = 0 with carry 1");
  memset(a, 0, sizeof(a));
  a[0] = 0xffffffff;
  carry = ecc_add(a, b, c, 8);
  CHECK(carry == 0 && c[0] == 0 && c[1] == 1 && c[2] == 0, "ecc_add carries across words");
  a[0] = 5, b[0] = 7;
  carry = ecc_add(a, b, a, 8);
  CHECK(carry == 0 && a[0] == 12, "ecc_add in place 5 + 7 = 12");
  memset(a, 0, sizeof(a));
  memset(b, 0, sizeof(b));
  b[0] = 1;
  carry = ecc_sub(a, b, c, 8);
  {
    uint32_t ones[8];
    memset(ones, 0xff, sizeof(ones));
    CHECK(carry == 1 && ecc_isSame(c, ones, 8), "ecc_sub 0 - 1 = 2^256-1 with borrow 1");
  }
  a[1] = 1;
  carry = ecc_sub(a, b, c, 8);
  CHECK(carry == 0 && c[0] == 0xffffffff && c[1] == 0, "ecc_sub borrows across words");
  memset(c, 0x77, sizeof(c));
  a[0] = 0xffffffff, a[1] = 0xffffffff;
  b[0] = 1;
  carry = ecc_add(a, b, c, 2);
  CHECK(carry == 1 && c[0] == 0 && c[1] == 0 && c[2] == 0x77777777,
        "ecc_add length 2 carries out of word 1 and leaves word 2 alone");

  /* comparisons and utilities */
  memset(a, 0, sizeof(a));
  memset(b, 0, sizeof(b));
  a[7] = 1;
  b[0] = 0xffffffff;
  check_long(ecc_isGreater(a, b, 8), 1, "ecc_isGreater top word decides: 1");
  check_long(ecc_isGreater(b, a, 8), -1, "ecc_isGreater smaller: -1");
  check_long(ecc_isGreater(a, a, 8), 0, "ecc_isGreater equal: 0");
  check_long(ecc_isSame(a, a, 8), 1, "ecc_isSame equal");
  check_long(ecc_isSame(a, b, 8), 0, "ecc_isSame different");
  memcpy(c, b, sizeof(c));
  c[5] = 9;
  check_long(ecc_isSame(b, c, 4), 1, "ecc_isSame compares only length words");
  memset(a, 0, sizeof(a));
  a[0] = 1;
  check_long(ecc_isOne(a), 1, "ecc_isOne 1");
  a[7] = 1;
  check_long(ecc_isOne(a), 0, "ecc_isOne 2^224+1");
  a[0] = 0, a[7] = 0;
  check_long(ecc_isOne(a), 0, "ecc_isOne 0");
  memset(a, 0x55, sizeof(a));
  ecc_setZero(a, 8);
  CHECK(all_zero((uint8_t *)a, 32), "ecc_setZero 8 words");
  memset(a, 0x55, sizeof(a));
  ecc_setZero(a, 3);
  CHECK(a[0] == 0 && a[2] == 0 && a[3] == 0x55555555, "ecc_setZero 3 words only");
  memset(c, 0, sizeof(c));
  ecc_copy(ecc_g_point_x, c, 8);
  check_words(c, GX, "ecc_copy 8 words");
  memset(c, 0, sizeof(c));
  ecc_copy(ecc_g_point_x, c, 4);
  CHECK(c[3] == ecc_g_point_x[3] && c[4] == 0, "ecc_copy 4 words only");
  memset(a, 0, sizeof(a));
  a[0] = 1, a[1] = 1, a[7] = 0x80000001;
  ecc_rshift(a);
  CHECK(a[0] == 0x80000000 && a[1] == 0 && a[6] == 0x80000000 && a[7] == 0x40000000,
        "ecc_rshift moves bits across words");

  /* field arithmetic mod p */
  memcpy(a, p, sizeof(a));
  a[0] -= 1; /* p - 1 */
  memset(big, 0, sizeof(big));
  check_long(ecc_fieldMult(a, a, big, 8), 0, "ecc_fieldMult returns 0");
  ecc_fieldModP(c, big);
  CHECK(ecc_isOne(c), "ecc_fieldModP (p-1)*(p-1) mod p = 1");
  memset(b, 0xff, sizeof(b));
  ecc_fieldMult(b, b, big, 8);
  {
    /* (2^256-1)^2 = 2^512 - 2^257 + 1 */
    int ok = big[0] == 1 && big[8] == 0xfffffffe, i;
    for (i = 1; i < 8; i++)
      ok = ok && big[i] == 0;
    for (i = 9; i < 16; i++)
      ok = ok && big[i] == 0xffffffff;
    CHECK(ok, "ecc_fieldMult full 512-bit product (2^256-1)^2");
  }
  ecc_fieldMult(ecc_g_point_x, ecc_g_point_y, big, 8);
  ecc_fieldModP(c, big);
  /* Python: Gx*Gy % p */
  check_words(c, "823CD15F6DD3C71933565064513A6B2BD183E554C6A08622F713EBBBFACE98BE",
              "ecc_fieldMult + ecc_fieldModP Gx*Gy mod p");

  ecc_fieldInv(ecc_g_point_x, p, rp, c);
  check_words(c, "E060CBB088706D5D24936933B69B16AB707D656273744B65664C49E577F35238",
              "ecc_fieldInv Gx^-1 mod p (Python pow(Gx, -1, p))");
  ecc_fieldMult(ecc_g_point_x, c, big, 8);
  ecc_fieldModP(a, big);
  CHECK(ecc_isOne(a), "ecc_fieldInv: Gx * Gx^-1 mod p = 1");

  /* mod n: (n-1)^2 mod n = 1 and an inverse */
  memcpy(a, n, sizeof(a));
  a[0] -= 1;
  ecc_fieldMult(a, a, big, 8);
  memset(res, 0, sizeof(res));
  ecc_fieldModO(big, res, 16);
  CHECK(ecc_isOne(res) && res[8] == 0, "ecc_fieldModO (n-1)*(n-1) mod n = 1");
  ecc_fieldInv(ecc_g_point_x, n, rn, c);
  check_words(c, "4A8DBB62C2548DDCB57084BCEEAB15480DF0052A93D05CA48CAAA102E7EFDD93",
              "ecc_fieldInv Gx^-1 mod n (Python pow(Gx, -1, n))");
  ecc_fieldMult(ecc_g_point_x, c, big, 8);
  ecc_fieldModO(big, res, 16);
  CHECK(ecc_isOne(res), "ecc_fieldInv: Gx * Gx^-1 mod n = 1");

  /* ecc_fieldAdd / ecc_fieldSub fold one carry / borrow */
  memcpy(a, p, sizeof(a));
  a[0] -= 1;
  ecc_fieldAdd(a, a, rp, c);
  memcpy(b, p, sizeof(b));
  b[0] -= 2;
  CHECK(ecc_isSame(c, b, 8), "ecc_fieldAdd (p-1) + (p-1) = p-2 (carry folded with 2^256-p)");
  memset(a, 0, sizeof(a));
  memset(b, 0, sizeof(b));
  a[0] = 1, b[0] = 2;
  ecc_fieldSub(a, b, p, c);
  memcpy(b, p, sizeof(b));
  b[0] -= 1;
  CHECK(ecc_isSame(c, b, 8), "ecc_fieldSub 1 - 2 = p-1 (borrow folded with p)");
  a[0] = 9, b[0] = 4;
  memset(b + 1, 0, sizeof(uint32_t) * 7);
  ecc_fieldSub(a, b, p, c);
  CHECK(c[0] == 5 && all_zero((uint8_t *)(c + 1), 28), "ecc_fieldSub 9 - 4 = 5");
}

/* ------------------------------------------------------------------ */
/* crypto.h ECC                                                          */

static void test_crypto_ecc(void) {
  uint8_t priv[32], x[32], y[32], out[40], hash[32], rb[32], sb[32];
  uint32_t r[9], s[9], w[8];
  int ret;

  /* dtls_ecdh_pre_master_secret: RFC 5903 §8.1 */
  unhex(I_HEX, priv, 32);
  unhex(GRX, x, 32);
  unhex(GRY, y, 32);
  memset(out, 0xee, sizeof(out));
  ret = dtls_ecdh_pre_master_secret(priv, x, y, 32, out, 32);
  check_long(ret, 32, "dtls_ecdh_pre_master_secret returns 32");
  check_hex(out, GIRX, "dtls_ecdh_pre_master_secret i * gr = girx (RFC 5903)");
  unhex(RR_HEX, priv, 32);
  unhex(GIX, x, 32);
  unhex(GIY, y, 32);
  memset(out, 0xee, sizeof(out));
  ret = dtls_ecdh_pre_master_secret(priv, x, y, 32, out, sizeof(out));
  check_long(ret, 32, "dtls_ecdh_pre_master_secret (larger buffer) returns 32");
  check_hex(out, GIRX, "dtls_ecdh_pre_master_secret r * gi = girx (agreement)");
  CHECK(out[32] == 0xee, "dtls_ecdh_pre_master_secret writes only 32 bytes");
  ret = dtls_ecdh_pre_master_secret(priv, x, y, 32, out, 31);
  check_long(ret, -1, "dtls_ecdh_pre_master_secret with a 31-byte result buffer");
  y[31] ^= 1;
  ret = dtls_ecdh_pre_master_secret(priv, x, y, 32, out, 32);
  check_long(ret, -1, "dtls_ecdh_pre_master_secret with an off-curve point");

  /* RFC 6979 signature through the byte-string API */
  unhex(UX, x, 32);
  unhex(UY, y, 32);
  unhex(SAMPLE_H, hash, 32);
  unhex(SAMPLE_R, rb, 32);
  unhex(SAMPLE_S, sb, 32);
  ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, rb, sb);
  check_long(ret, 0, "dtls_ecdsa_verify_sig_hash accepts RFC 6979 A.2.5");
  hash[0] ^= 0x80;
  ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, rb, sb);
  CHECK(ret != 0, "dtls_ecdsa_verify_sig_hash rejects a tampered hash (%d)", ret);
  hash[0] ^= 0x80;
  {
    uint8_t zero[32];
    memset(zero, 0, sizeof(zero));
    ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, zero, sb);
    CHECK(ret != 0, "dtls_ecdsa_verify_sig_hash rejects r = 0 (%d)", ret);
    ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, rb, zero);
    CHECK(ret != 0, "dtls_ecdsa_verify_sig_hash rejects s = 0 (%d)", ret);
  }

  unhex(DX, priv, 32);
  memset(r, 0xaa, sizeof(r));
  memset(s, 0xaa, sizeof(s));
  dtls_ecdsa_create_sig_hash(priv, 32, hash, 32, r, s);
  CHECK(r[8] == 0 && s[8] == 0, "dtls_ecdsa_create_sig_hash clears the ninth words");
  words_to_be(r, rb);
  words_to_be(s, sb);
  ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, rb, sb);
  check_long(ret, 0, "dtls_ecdsa_create_sig_hash (RFC 6979 key) verifies");
  hex_to_words(UX, w);
  {
    uint32_t wy[8], e[8];
    hex_to_words(UY, wy);
    hex_to_words(SAMPLE_H, e);
    check_long(ecc_ecdsa_validate(w, wy, e, r, s), 0,
               "dtls_ecdsa_create_sig_hash signature accepted by ecc_ecdsa_validate");
  }

  /* generated keys */
  {
    uint8_t priv2[32], x2[32], y2[32];
    uint32_t k[8], px[8], py[8];
    memset(priv, 0, sizeof(priv));
    memset(priv2, 0, sizeof(priv2));
    dtls_ecdsa_generate_key(priv, x, y, 32);
    dtls_ecdsa_generate_key(priv2, x2, y2, 32);
    CHECK(memcmp(priv, priv2, 32) != 0 && !all_zero(priv, 32),
          "dtls_ecdsa_generate_key gives two different non-zero keys");
    be_to_words(priv, k);
    check_long(ecc_is_valid_key(k), 1, "dtls_ecdsa_generate_key private key is valid");
    ecc_gen_pub_key(k, px, py);
    words_to_be(px, out);
    check_bytes(x, out, 32, "dtls_ecdsa_generate_key x = priv * G");
    words_to_be(py, out);
    check_bytes(y, out, 32, "dtls_ecdsa_generate_key y = priv * G");

    /* ECDH between the two generated keys agrees */
    {
      uint8_t s1[32], s2[32];
      int a = dtls_ecdh_pre_master_secret(priv, x2, y2, 32, s1, 32);
      int b = dtls_ecdh_pre_master_secret(priv2, x, y, 32, s2, 32);
      CHECK(a == 32 && b == 32 && memcmp(s1, s2, 32) == 0,
            "dtls_ecdh_pre_master_secret agreement between generated keys");
    }
  }

  /* sign / verify round trips with the generated key */
  {
    dtls_sha256_ctx h;
    uint8_t cr[32], sr[32], params[69], digest[32];
    size_t i;
    for (i = 0; i < 32; i++)
      cr[i] = (uint8_t)i, sr[i] = (uint8_t)(0xff - i);
    for (i = 0; i < sizeof(params); i++)
      params[i] = (uint8_t)(i * 7);

    dtls_sha256_init(&h);
    dtls_sha256_update(&h, (const uint8_t *)"round trip", 10);
    dtls_sha256_final(hash, &h);
    dtls_ecdsa_create_sig_hash(priv, 32, hash, 32, r, s);
    words_to_be(r, rb);
    words_to_be(s, sb);
    ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, rb, sb);
    check_long(ret, 0, "dtls_ecdsa_create_sig_hash / dtls_ecdsa_verify_sig_hash round trip");
    hash[31] ^= 1;
    ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, rb, sb);
    CHECK(ret != 0, "dtls_ecdsa_verify_sig_hash rejects a tampered hash (%d)", ret);
    hash[31] ^= 1;
    rb[5] ^= 1;
    ret = dtls_ecdsa_verify_sig_hash(x, y, 32, hash, 32, rb, sb);
    CHECK(ret != 0, "dtls_ecdsa_verify_sig_hash rejects a tampered r (%d)", ret);

    dtls_ecdsa_create_sig(priv, 32, cr, 32, sr, 32, params, sizeof(params), r, s);
    words_to_be(r, rb);
    words_to_be(s, sb);
    ret = dtls_ecdsa_verify_sig(x, y, 32, cr, 32, sr, 32, params, sizeof(params), rb, sb);
    check_long(ret, 0, "dtls_ecdsa_create_sig / dtls_ecdsa_verify_sig round trip");
    /* the signed digest is SHA-256(client_random || server_random || params) */
    dtls_sha256_init(&h);
    dtls_sha256_update(&h, cr, 32);
    dtls_sha256_update(&h, sr, 32);
    dtls_sha256_update(&h, params, sizeof(params));
    dtls_sha256_final(digest, &h);
    ret = dtls_ecdsa_verify_sig_hash(x, y, 32, digest, 32, rb, sb);
    check_long(ret, 0, "dtls_ecdsa_create_sig signs SHA-256(client||server||params)");
    params[10] ^= 1;
    ret = dtls_ecdsa_verify_sig(x, y, 32, cr, 32, sr, 32, params, sizeof(params), rb, sb);
    CHECK(ret != 0, "dtls_ecdsa_verify_sig rejects tampered params (%d)", ret);
    params[10] ^= 1;
    ret = dtls_ecdsa_verify_sig(x, y, 32, sr, 32, cr, 32, params, sizeof(params), rb, sb);
    CHECK(ret != 0, "dtls_ecdsa_verify_sig rejects swapped randoms (%d)", ret);
  }
}

static void test_asn1(void) {
  uint32_t key[8];
  uint8_t buf[40];
  int ret;

  /* top bit set: a leading 0x00 keeps the INTEGER positive */
  hex_to_words(N_HEX, key);
  memset(buf, 0xee, sizeof(buf));
  ret = dtls_ec_key_asn1_from_uint32(key, 32, buf);
  check_long(ret, 35, "dtls_ec_key_asn1_from_uint32 top bit set: 35 bytes");
  check_hex(buf, "022100" N_HEX, "dtls_ec_key_asn1_from_uint32 top bit set encoding");

  hex_to_words(GX, key);
  memset(buf, 0xee, sizeof(buf));
  ret = dtls_ec_key_asn1_from_uint32(key, 32, buf);
  check_long(ret, 34, "dtls_ec_key_asn1_from_uint32 Gx: 34 bytes");
  check_hex(buf, "0220" GX, "dtls_ec_key_asn1_from_uint32 Gx encoding");

  /* small values are minimal */
  memset(key, 0, sizeof(key));
  key[0] = 0x0102;
  memset(buf, 0xee, sizeof(buf));
  ret = dtls_ec_key_asn1_from_uint32(key, 32, buf);
  check_long(ret, 4, "dtls_ec_key_asn1_from_uint32 0x0102: 4 bytes");
  check_hex(buf, "02020102", "dtls_ec_key_asn1_from_uint32 0x0102 encoding");
  key[0] = 0x80;
  ret = dtls_ec_key_asn1_from_uint32(key, 32, buf);
  check_long(ret, 4, "dtls_ec_key_asn1_from_uint32 0x80: 4 bytes");
  check_hex(buf, "02020080", "dtls_ec_key_asn1_from_uint32 0x80 encoding");
  key[0] = 0, key[3] = 0x00ff0000; /* 0xff followed by 14 zero bytes */
  ret = dtls_ec_key_asn1_from_uint32(key, 32, buf);
  check_long(ret, 18, "dtls_ec_key_asn1_from_uint32 0xff << 112: 18 bytes");
  check_hex(buf, "021000ff" "0000000000000000000000000000",
            "dtls_ec_key_asn1_from_uint32 0xff << 112 encoding");

  memset(key, 0, sizeof(key));
  ret = dtls_ec_key_asn1_from_uint32(key, 32, buf);
  check_long(ret, 0, "dtls_ec_key_asn1_from_uint32 zero returns 0");
}

/* ------------------------------------------------------------------ */
/* parameter blocks, PRNG, clock                                         */

static void test_objects(void) {
  dtls_security_parameters_t *sec = dtls_security_new();
  dtls_handshake_parameters_t *hs = dtls_handshake_new();
  uint8_t d[32];

  CHECK(sec != NULL, "dtls_security_new");
  if (sec) {
    CHECK(sec->epoch == 0 && sec->rseq == 0 && sec->cipher_index == DTLS_CIPHER_INDEX_NULL &&
              all_zero(sec->key_block, sizeof(sec->key_block)),
          "dtls_security_new returns zeroed parameters");
    dtls_security_free(sec);
  }
  dtls_security_free(NULL);
  CHECK(hs != NULL, "dtls_handshake_new");
  if (hs) {
    /* upstream initializes the handshake hash with dtls_hash_init() */
    CHECK(hs->hs_state.hs_hash.state[0] == 0x6a09e667 &&
              hs->hs_state.hs_hash.state[7] == 0x5be0cd19 && hs->hs_state.hs_hash.bitcount == 0,
          "dtls_handshake_new initializes hs_state.hs_hash as SHA-256 (state[0] = %08x)",
          (unsigned)hs->hs_state.hs_hash.state[0]);
    dtls_hash_init(&hs->hs_state.hs_hash);
    dtls_hash_update(&hs->hs_state.hs_hash, (const unsigned char *)"abc", 3);
    dtls_hash_finalize(d, &hs->hs_state.hs_hash);
    check_hex(d, SHA_ABC, "dtls_hash_* on the handshake parameters' hs_hash");
    CHECK(hs->reorder_queue == NULL, "dtls_handshake_new: empty reorder queue");
    dtls_handshake_free(hs);
  }
  dtls_handshake_free(NULL);
  crypto_init();
  report(1, NULL, "crypto_init returns");
}

static void test_prng_ticks(void) {
  uint8_t a[64], b[64];
  dtls_tick_t t0, t1, t2, prev;
  struct timespec ts = {0, 50 * 1000 * 1000};
  int r, i, mono = 1;

  memset(a, 0, sizeof(a));
  memset(b, 0, sizeof(b));
  r = dtls_prng(a, sizeof(a));
  check_long(r, (long)sizeof(a), "dtls_prng returns the length");
  r = dtls_prng(b, sizeof(b));
  check_long(r, (long)sizeof(b), "dtls_prng second call returns the length");
  CHECK(!all_zero(a, sizeof(a)) && memcmp(a, b, sizeof(a)) != 0,
        "dtls_prng fills the buffer and two calls differ");
  r = dtls_prng(a, 0);
  CHECK(r == 0, "dtls_prng with length 0 returns 0 (%d)", r);
  dtls_prng_init(42);
  report(1, NULL, "dtls_prng_init returns");

  dtls_clock_init();
  dtls_ticks(&t0);
  prev = t0;
  for (i = 0; i < 10000; i++) {
    dtls_ticks(&t1);
    if ((dtls_tick_t)(t1 - prev) > 0x7fffffff)
      mono = 0;
    prev = t1;
  }
  CHECK(mono, "dtls_ticks never goes backwards over 10000 calls");
  dtls_ticks(&t1);
  nanosleep(&ts, NULL);
  dtls_ticks(&t2);
  CHECK(t2 - t1 >= 45 && t2 - t1 < 10000,
        "dtls_ticks advances in milliseconds (50 ms sleep -> %u ticks)", (unsigned)(t2 - t1));
}

/* Library log messages. Warnings are expected (rejected inputs); a
 * critical message means a Go panic was caught at the C boundary, which no
 * input here should cause. */
static unsigned n_crit;

static void log_handler(log_t level, const char *message) {
  if (level <= DTLS_LOG_CRIT)
    n_crit++;
  printf("log  %d %s", (int)level, message);
  if (!*message || message[strlen(message) - 1] != '\n')
    putchar('\n');
}

int main(void) {
  dtls_set_log_handler(log_handler);
  dtls_set_log_level(DTLS_LOG_WARN);

  test_sha256();
  test_hmac();
  test_prf();
  test_psk();
  test_mac();
  test_aes();
  test_ccm_rfc3610();
  test_ccm_oscore();
  test_ccm_more();
  test_ecc_points();
  test_ecc_ecdsa_words();
  test_ecc_words();
  test_crypto_ecc();
  test_asn1();
  test_objects();
  test_prng_ticks();
  check_long(n_crit, 0, "no critical (internal error) log messages");

  return ts_summary("crypto_test");
}
