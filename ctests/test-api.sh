#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The core C API (handshakes, re-entrant callbacks, write/writev and record
# sizes, alerts, close, renegotiation, retransmission, sessions, logging)
# exercised by ctests/api_test.c over an in-memory transport: built against
# the build tree's headers and shared library, run once as is and once under
# valgrind memcheck (definite leaks are errors) with ctests/valgrind.supp.
BIN=${1:-${BIN:?usage: test-api.sh BINDIR}}
. "$(dirname "$0")/lib.sh"

PROG=$BIN/api_test
build "$PROG" "$ROOT/ctests/api_test.c" -O2 -g "${WITH_LIB[@]}" || finish
# the program must use the library under test, not an installed one
check "api_test resolves libtinydtls from $BUILD/lib" \
  bash -c "ldd '$PROG' | grep -q '$BUILD/lib/libtinydtls.so'"
run_checks "$PROG" 120 900
finish
