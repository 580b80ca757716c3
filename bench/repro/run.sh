#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Builds and runs the reproducers against BUILD (default <repo>/build).
# Each exits 0 when the library behaves as expected.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(dirname "$(dirname "$here")")/build}
OUT=${BENCH_OUT:-$(dirname "$here")/build}
mkdir -p "$OUT"
status=0
for src in "$here"/*.c; do
  bin="$OUT/repro-$(basename "$src" .c)"
  ${CC:-cc} -O1 -g -Wall -Wextra -Werror -I"$BUILD/include/tinydtls" -o "$bin" "$src" \
    -L"$BUILD/lib" -Wl,-rpath,"$BUILD/lib" -ltinydtls || { status=1; continue; }
  if "$bin" >"$bin.log" 2>&1; then
    echo "ok    $(basename "$src" .c)"
  else
    echo "FAIL  $(basename "$src" .c) (log: $bin.log)"; status=1
  fi
done
exit $status
