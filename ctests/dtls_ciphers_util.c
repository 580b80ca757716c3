/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dtls_ciphers_util.c -- the -c option of the example programs: turns
 * "NAME:NAME:..." into the list get_user_parameters() hands the library.
 */
#include <string.h>

#include "dtls_ciphers_util.h"

#define SUITE_SEPARATOR ':'

struct suite_name {
  const char *name;
  dtls_cipher_t suite;
};

/*
 * The usage text lists the suites in this order; it is not a preference
 * order, which comes from the command line (or the library defaults).
 */
static const struct suite_name known_suites[] = {
#ifdef DTLS_PSK
  { "TLS_PSK_WITH_AES_128_CCM", TLS_PSK_WITH_AES_128_CCM },
  { "TLS_PSK_WITH_AES_128_CCM_8", TLS_PSK_WITH_AES_128_CCM_8 },
#endif
#ifdef DTLS_ECC
  { "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", TLS_ECDHE_ECDSA_WITH_AES_128_CCM },
  { "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 },
#endif
  /* DTLS 1.3 (dtls_ext.h): the record protection only, the key exchange
   * follows the credential callbacks */
  { "TLS_AES_128_CCM_8_SHA256", TLS_AES_128_CCM_8_SHA256 },
  { "TLS_AES_128_CCM_SHA256", TLS_AES_128_CCM_SHA256 },
  { "TLS_AES_128_GCM_SHA256", TLS_AES_128_GCM_SHA256 },
};

#define KNOWN_SUITES (sizeof(known_suites) / sizeof(known_suites[0]))

/* Every known suite at most once, plus the terminator. */
static dtls_cipher_t selected[KNOWN_SUITES + 1];

/* The suite named by exactly len bytes at name, or TLS_NULL_WITH_NULL_NULL. */
static dtls_cipher_t
lookup_suite(const char *name, size_t len) {
  size_t i;

  for (i = 0; i < KNOWN_SUITES; i++) {
    if (strlen(known_suites[i].name) == len &&
        strncmp(known_suites[i].name, name, len) == 0)
      return known_suites[i].suite;
  }
  return TLS_NULL_WITH_NULL_NULL;
}

const dtls_cipher_t *
init_cipher_suites(const char *arg) {
  size_t count = 0;

  while (arg) {
    const char *end = strchr(arg, SUITE_SEPARATOR);
    size_t len = end ? (size_t)(end - arg) : strlen(arg);
    dtls_cipher_t suite = lookup_suite(arg, len);

    if (suite != TLS_NULL_WITH_NULL_NULL) {
      size_t i;
      for (i = 0; i < count && selected[i] != suite; i++)
        ;
      if (i == count)
        selected[count++] = suite;
    } else if (len > 0) {
      fprintf(stderr, "ignoring unknown cipher suite '%.*s'\n", (int)len, arg);
    }
    arg = end ? end + 1 : NULL;
  }
  selected[count] = TLS_NULL_WITH_NULL_NULL;
  return selected;
}

void
cipher_suites_usage(FILE *file, const char *head) {
  size_t i;

  fprintf(file, "%s-c ciphers\tlist of cipher suites separated by ':'\n", head);
  for (i = 0; i < KNOWN_SUITES; i++) {
    fprintf(file, "%s\t\t%s%s", head, i == 0 ? "(default is " : " :",
            known_suites[i].name);
    fprintf(file, i + 1 < KNOWN_SUITES ? "\n" : ")\n");
  }
}
