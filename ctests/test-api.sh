#!/usr/bin/env bash
# The core C API (handshakes, re-entrant callbacks, write/writev and record
# sizes, alerts, close, renegotiation, retransmission, sessions, logging)
# exercised by ctests/api_test.c over an in-memory transport: built against
# the build tree's headers and shared library, run once as is and once under
# valgrind memcheck (definite leaks are errors), with ctests/valgrind.supp
# when it exists.
BIN=${1:-${BIN:?usage: test-api.sh BINDIR}}
. "$(dirname "$0")/lib.sh"

DIR=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$BIN/..}
BUILD=$(cd "$BUILD" && pwd)
SRC=$DIR/api_test.c
PROG=$BIN/api_test
SUPP=$DIR/valgrind.supp

# (Re)build when the program is missing or older than its source or than
# the headers of the build tree.
stale() {
  [ -x "$PROG" ] || return 0
  [ "$SRC" -nt "$PROG" ] && return 0
  [ -n "$(find "$BUILD/include/tinydtls" -name '*.h' -newer "$PROG" -print -quit 2>/dev/null)" ]
}
if stale; then
  if ! ${CC:-cc} -O2 -g -Wall -Wextra -Werror -I"$BUILD/include/tinydtls" \
      -o "$PROG" "$SRC" -L"$BUILD/lib" -Wl,-rpath,"$BUILD/lib" -ltinydtls \
      >"$T/cc.log" 2>&1; then
    fail "compile api_test.c (-Wall -Wextra -Werror)"
    sed 's/^/  | /' "$T/cc.log"
    finish
  fi
  pass "compile api_test.c (-Wall -Wextra -Werror)"
fi

# the program must use the library under test, not an installed one
check "api_test resolves libtinydtls from $BUILD/lib" \
  bash -c "ldd '$PROG' | grep -q '$BUILD/lib/libtinydtls.so'"

# The program prints one line per check into $T/NAME.log (KEEP_TMP=1 keeps
# it); only the failed checks and the summary line are shown here.
summary() { grep -E '^FAIL|^api_test:' "$T/$1.log" | sed 's/^/  | /'; }
complete() { grep -q '^api_test: [0-9]* passed' "$T/$1.log"; }

timeout -k 5 120 "$PROG" >"$T/native.log" 2>&1
rc=$?
summary native
if [ "$rc" -eq 0 ] && complete native; then
  pass "api_test: $(grep -c '^ok' "$T/native.log") checks"
elif ! complete native; then
  fail "api_test did not run to the end (exit status $rc)"
  tail -n 20 "$T/native.log" | sed 's/^/  | /'
else
  fail "api_test: $(grep -c '^FAIL' "$T/native.log") failed checks"
fi

if ! command -v valgrind >/dev/null; then
  fail "valgrind is not installed"
  finish
fi
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite)
if [ -f "$SUPP" ]; then
  VG+=(--suppressions="$SUPP")
else
  echo "  (no $SUPP yet: valgrind runs without suppressions)"
fi
# --error-exitcode separates memcheck's verdict (99) from failed checks (1).
timeout -k 5 900 "${VG[@]}" "$PROG" >"$T/vg.log" 2>"$T/vg.err"
rc=$?
if [ "$rc" -eq 99 ]; then
  fail "api_test under valgrind: memcheck errors or definite leaks"
  # the report without the known warnings (see valgrind.supp)
  grep -v -e 'DW_FORM' -e 'reading debug info' -e 'large range' \
    -e 'switching stacks' -e 'max-stackframe' -e 'further instances' "$T/vg.err" |
    sed 's/^/  | /' | head -n 200
elif ! complete vg; then
  fail "api_test under valgrind did not run to the end (exit status $rc)"
  tail -n 30 "$T/vg.err" | sed 's/^/  | /'
else
  pass "api_test under valgrind: no memcheck errors, no definite leaks"
  # checks that fail only under valgrind (it is much slower) count too;
  # the others were reported above already
  extra=$(comm -13 <(grep '^FAIL' "$T/native.log" | sort) <(grep '^FAIL' "$T/vg.log" | sort))
  if [ -n "$extra" ]; then
    fail "api_test checks that failed only under valgrind"
    printf '%s\n' "$extra" | sed 's/^/  | /'
  elif [ "$rc" -ne 0 ]; then
    echo "  (the same checks failed under valgrind)"
  fi
fi
finish
