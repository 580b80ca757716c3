#!/usr/bin/env bash
# Known-answer tests of every cryptographic export (ctests/crypto_test.c):
# compiled here against the installed headers and linked dynamically like
# an application, run once natively and once under valgrind memcheck with
# ctests/valgrind.supp (which hides only the Go runtime's own noise).
BIN=${1:?usage: test-crypto.sh BINDIR}
. "$(dirname "$0")/lib.sh"

DIR=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$BIN/..}
BUILD=$(cd "$BUILD" && pwd)
PROG=$BIN/crypto_test
CC=${CC:-gcc}

compile() {
  "$CC" -Wall -Wextra -Werror -I "$BUILD/include/tinydtls" -o "$PROG" \
    "$DIR/crypto_test.c" -L "$BUILD/lib" -Wl,-rpath,"$BUILD/lib" -ltinydtls \
    >"$T/cc.out" 2>"$T/cc.err"
}

# Shows the failed checks and the summary line of a run.
summary() {
  grep -e '^FAIL' -e '^crypto_test:' "$1" | sed 's/^/  | /'
}

if ! compile; then
  fail "compile crypto_test.c (-Wall -Wextra -Werror)"
  finish
fi
pass "compile crypto_test.c (-Wall -Wextra -Werror)"

# the program must use the library under test, not an installed one
check "crypto_test resolves libtinydtls from $BUILD/lib" \
  bash -c "ldd '$PROG' | grep -q '$BUILD/lib/libtinydtls.so'"

"$PROG" >"$T/native.out" 2>"$T/native.err"
rc=$?
summary "$T/native.out"
if [ "$rc" -eq 0 ] && grep -q '^crypto_test: [0-9]* passed, 0 failed$' "$T/native.out"; then
  pass "crypto_test: $(grep -c '^ok' "$T/native.out") known-answer checks"
else
  fail "crypto_test (exit status $rc)"
fi

if ! command -v valgrind >/dev/null; then
  fail "valgrind is not installed"
  finish
fi
# --error-exitcode distinguishes memcheck's verdict (99) from the program's
# own failures (1), which were reported above.
valgrind --quiet --suppressions="$DIR/valgrind.supp" --error-exitcode=99 \
  --leak-check=full --errors-for-leak-kinds=definite \
  "$PROG" >"$T/vg.out" 2>"$T/vg.err"
rc=$?
if [ "$rc" -eq 99 ]; then
  fail "crypto_test under valgrind: memcheck errors or definite leaks"
  # the full report, without the known warnings (see valgrind.supp)
  grep -v -e 'DW_FORM' -e 'reading debug info' -e 'large range' \
    -e 'switching stacks' -e 'max-stackframe' -e 'further instances' "$T/vg.err" |
    sed 's/^/  | /' | head -n 200
elif [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  fail "crypto_test under valgrind (exit status $rc)"
  tail -n 30 "$T/vg.err" | sed 's/^/  | /'
else
  pass "crypto_test under valgrind: no memcheck errors, no definite leaks"
  if ! grep -q '^crypto_test: [0-9]* passed' "$T/vg.out"; then
    fail "crypto_test under valgrind did not run to the end"
  elif [ "$rc" -ne 0 ]; then
    # the same checks failed natively already; count them once
    echo "  (crypto_test reported failed checks under valgrind too)"
  fi
fi
finish
