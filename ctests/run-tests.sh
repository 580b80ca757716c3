#!/usr/bin/env bash
# Runs the C-level tests against a build tree: ABI and export checks, then
# every ctests/test-*.sh script. Prints a summary; non-zero if any failed.
BUILD=${1:?usage: run-tests.sh BUILDDIR}
DIR=$(cd "$(dirname "$0")" && pwd)
BIN=$BUILD/bin
failed=()

run() {
  local name=$1; shift
  echo "=== $name"
  if "$@"; then echo "=== $name: PASS"; else echo "=== $name: FAIL"; failed+=("$name"); fi
}

run abi-test "$BIN/abi_test"
run headers bash "$DIR/abi/check-headers.sh" "$BUILD/include"
run exports bash "$DIR/abi/check-exports.sh" "$BUILD/lib/libtinydtls.so"
for t in "$DIR"/test-*.sh; do
  name=$(basename "$t" .sh)
  if [ -n "${ONLY:-}" ] && [[ "$name" != *"$ONLY"* ]]; then continue; fi
  run "$name" env BIN="$BIN" BUILD="$BUILD" bash "$t" "$BIN"
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all C tests passed"
