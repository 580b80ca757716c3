#!/usr/bin/env bash
# The C-level fuzz driver: random and mutated datagrams through the shared
# library's dtls_handle_message, natively and (fewer) under valgrind.
BIN=${1:?usage: test-fuzz-c.sh BINDIR}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
src=$ROOT/ctests/fuzz_driver.c
exe=$BIN/fuzz_driver
if [ ! -x "$exe" ] || [ "$src" -nt "$exe" ] || [ "$BUILD/lib/libtinydtls.so" -nt "$exe" ]; then
  cc -O1 -g -Wall -Wextra -Werror -I"$BUILD/include/tinydtls" -o "$exe" "$src" \
    -L"$BUILD/lib" -Wl,-rpath,"$BUILD/lib" -ltinydtls
  check "compile fuzz_driver.c (-Wall -Wextra -Werror)" test $? -eq 0
fi
check "fuzz_driver: 100000 datagrams, seed 1" timeout 120 "$exe" 100000 1
check "fuzz_driver: 100000 datagrams, seed 2" timeout 120 "$exe" 100000 2
supp=()
[ -f "$ROOT/ctests/valgrind.supp" ] && supp=(--suppressions="$ROOT/ctests/valgrind.supp")
check "fuzz_driver under valgrind: no memory errors, no definite leaks" \
  timeout 300 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  "${supp[@]}" "$exe" 5000 3
finish
