#!/usr/bin/env bash
# Runs the C-level tests against a build tree: ABI and export checks, then
# every ctests/test-*.sh script. Prints a summary; non-zero if any failed.
BUILD=${1:?usage: run-tests.sh BUILDDIR}
DIR=$(cd "$(dirname "$0")" && pwd)
BIN=$BUILD/bin
failed=()
skipped=()

# A test exits 77 when something it needs is absent (reported, not failed).
run() {
  local name=$1 rc; shift
  echo "=== $name"
  "$@"; rc=$?
  case $rc in
    0) echo "=== $name: PASS" ;;
    77) echo "=== $name: SKIPPED"; skipped+=("$name") ;;
    *) echo "=== $name: FAIL"; failed+=("$name") ;;
  esac
}

run abi-test "$BIN/abi_test"
run headers bash "$DIR/abi/check-headers.sh" "$BUILD/include"
run exports bash "$DIR/abi/check-exports.sh" "$BUILD/lib/libtinydtls.so"
for t in "$DIR"/test-*.sh; do
  name=$(basename "$t" .sh)
  if [ -n "${ONLY:-}" ] && [[ "$name" != *"$ONLY"* ]]; then continue; fi
  run "$name" env BIN="$BIN" BUILD="$BUILD" bash "$t" "$BIN"
done

[ ${#skipped[@]} -eq 0 ] || echo "SKIPPED: ${skipped[*]}"
if [ ${#failed[@]} -ne 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all C tests passed"
