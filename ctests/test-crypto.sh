#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Known-answer tests of every cryptographic export (ctests/crypto_test.c):
# compiled here against the build tree's headers and linked dynamically like
# an application, run once natively and once under valgrind memcheck with
# ctests/valgrind.supp (which hides only the Go runtime's own noise).
BIN=${1:?usage: test-crypto.sh BINDIR}
. "$(dirname "$0")/lib.sh"

PROG=$BIN/crypto_test
build "$PROG" "$ROOT/ctests/crypto_test.c" "${WITH_LIB[@]}" || finish
# the program must use the library under test, not an installed one
check "crypto_test resolves libtinydtls from $BUILD/lib" \
  bash -c "ldd '$PROG' | grep -q '$BUILD/lib/libtinydtls.so'"
run_checks "$PROG" 120 900
finish
