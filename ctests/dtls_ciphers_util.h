/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dtls_ciphers_util.h -- the -c option of the example programs.
 */
#ifndef DTLS_CIPHERS_UTIL_H
#define DTLS_CIPHERS_UTIL_H

#include <stdio.h>

#include "global.h"
#include "dtls_ext.h"

/*
 * Parses a ':'-separated list of cipher suite names.  Unknown names are
 * skipped, repeated ones kept once.  Returns a static table terminated
 * by TLS_NULL_WITH_NULL_NULL (empty when no name was recognised); each
 * call replaces the previous result.
 */
const dtls_cipher_t *init_cipher_suites(const char *arg);

/* Prints the help text of the -c option, each line prefixed by head. */
void cipher_suites_usage(FILE *file, const char *head);

#endif /* DTLS_CIPHERS_UTIL_H */
