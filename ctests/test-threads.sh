#!/usr/bin/env bash
# The threading contract (threads_test.c), natively and under valgrind.
BIN=${1:?usage: test-threads.sh BINDIR}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
src=$ROOT/ctests/threads_test.c
exe=$BIN/threads_test
if [ ! -x "$exe" ] || [ "$src" -nt "$exe" ] || [ "$BUILD/lib/libtinydtls.so" -nt "$exe" ]; then
  cc -O1 -g -Wall -Wextra -Werror -I"$BUILD/include/tinydtls" -o "$exe" "$src" \
    -L"$BUILD/lib" -Wl,-rpath,"$BUILD/lib" -ltinydtls -lpthread
  check "compile threads_test.c (-Wall -Wextra -Werror)" test $? -eq 0
fi
check "threads_test" timeout 120 "$exe"
supp=()
[ -f "$ROOT/ctests/valgrind.supp" ] && supp=(--suppressions="$ROOT/ctests/valgrind.supp")
check "threads_test under valgrind: no memory errors, no definite leaks" \
  timeout 600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  "${supp[@]}" "$exe"
finish
