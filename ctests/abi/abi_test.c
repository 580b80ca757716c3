/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * abi_test.c -- checks that the installed headers describe upstream
 * tinydtls 0.8.6's ABI on x86-64: struct sizes and offsets, constant
 * values, function signatures and the behaviour of the inline helpers.
 *
 * It never calls into libtinydtls, so it builds and runs before the
 * library exists:
 *
 *   gcc -Wall -Wextra -Werror -Iinclude -Iinclude/tinydtls \
 *       ctests/abi/abi_*.c -o /tmp/abi_test && /tmp/abi_test [-v]
 *
 * (that is: every .c file of ctests/abi).
 *
 * Every failed check is printed; the exit status is 1 if any failed.
 */
#include <stdio.h>
#include <string.h>

#include "abi_common.h"

static int checks;
static int failures;
static int verbose;

static void
report(const char *tu, int line, const char *what, int ok,
       const char *detail) {
  checks++;
  if (!ok)
    failures++;
  if (!ok || verbose)
    printf("%s [%s] line %d: %s%s\n", ok ? "ok  " : "FAIL", tu, line, what,
           detail);
}

void
abi_expect_eq(const char *tu, int line, const char *what,
              long long got, long long want) {
  char detail[96];
  snprintf(detail, sizeof(detail), " = %lld, want %lld", got, want);
  report(tu, line, what, got == want, detail);
}

void
abi_expect_true(const char *tu, int line, const char *what, int ok) {
  report(tu, line, what, ok, ok ? "" : " is false");
}

/* Compares a and b skipping blanks, so "f(a, b)" equals "f(a,b)". */
static int
same_ignoring_blanks(const char *a, const char *b) {
  for (;;) {
    while (*a == ' ' || *a == '\t')
      a++;
    while (*b == ' ' || *b == '\t')
      b++;
    if (*a != *b)
      return 0;
    if (*a == '\0')
      return 1;
    a++;
    b++;
  }
}

void
abi_expect_str(const char *tu, int line, const char *what,
               const char *got, const char *want) {
  char detail[512];
  int ok = same_ignoring_blanks(got, want);
  snprintf(detail, sizeof(detail), " = \"%s\", want \"%s\"", got, want);
  report(tu, line, what, ok, detail);
}

int
main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0)
    verbose = 1;

  abi_run_angle();
  abi_run_flat();

  printf("abi_test: %d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
