#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The C-level fuzz driver: random and mutated datagrams through the shared
# library's dtls_handle_message, natively and (fewer) under valgrind.
BIN=${1:?usage: test-fuzz-c.sh BINDIR}
. "$(dirname "$0")/lib.sh"

exe=$BIN/fuzz_driver
build "$exe" "$ROOT/ctests/fuzz_driver.c" -O1 -g "${WITH_LIB[@]}" || finish
check "fuzz_driver: 100000 datagrams, seed 1" timeout 120 "$exe" 100000 1
check "fuzz_driver: 100000 datagrams, seed 2" timeout 120 "$exe" 100000 2
check "fuzz_driver under valgrind: no memory errors, no definite leaks" \
  timeout 300 "${VALGRIND[@]}" "$exe" 5000 3
finish
