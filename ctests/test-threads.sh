#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The threading contract (threads_test.c), natively and under valgrind.
BIN=${1:?usage: test-threads.sh BINDIR}
. "$(dirname "$0")/lib.sh"

exe=$BIN/threads_test
build "$exe" "$ROOT/ctests/threads_test.c" -O1 -g "${WITH_LIB[@]}" -lpthread || finish
check "threads_test" timeout 120 "$exe"
check "threads_test under valgrind: no memory errors, no definite leaks" \
  timeout 600 "${VALGRIND[@]}" "$exe"
finish
