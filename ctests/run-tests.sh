#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The C-level tests of a build tree, and the one list of them: `make test-c`
# runs them all through this script, and CMakeLists.txt registers each
# piece with ctest by asking this script for the list, so that both run
# exactly the same tests.
#
#   run-tests.sh BUILDDIR          every piece, then a summary; non-zero if
#                                  any failed (ONLY=text: only the
#                                  test-*.sh pieces whose name contains it)
#   run-tests.sh --list            the pieces' names, one per line
#   run-tests.sh BUILDDIR NAME     one piece; its exit status (0 passed,
#                                  77 skipped: something it needs is absent)
#
# The pieces: the ABI test, header self-containment, the export list, and
# every ctests/test-*.sh.
DIR=$(cd "$(dirname "$0")" && pwd)

pieces() {
  echo abi-test
  echo headers
  echo exports
  local t
  for t in "$DIR"/test-*.sh; do
    basename "$t" .sh
  done
}

# piece BUILD NAME: runs one piece.
piece() {
  local build=$1 name=$2 bin=$1/bin
  case $name in
    abi-test) "$bin/abi_test" ;;
    headers)  bash "$DIR/abi/check-headers.sh" "$build/include" ;;
    exports)  bash "$DIR/abi/check-exports.sh" "$build/lib/libtinydtls.so" "$build/include" ;;
    test-*)
      [ -f "$DIR/$name.sh" ] || { echo "run-tests.sh: no test $name" >&2; return 2; }
      env BIN="$bin" BUILD="$build" bash "$DIR/$name.sh" "$bin" ;;
    *) echo "run-tests.sh: no test $name" >&2; return 2 ;;
  esac
}

if [ "${1:-}" = --list ]; then
  pieces
  exit 0
fi
BUILD=${1:?usage: run-tests.sh BUILDDIR [NAME] | --list}
BUILD=$(cd "$BUILD" && pwd) || exit 2
if [ $# -ge 2 ]; then
  piece "$BUILD" "$2"
  exit $?
fi

failed=()
skipped=()
# A test exits 77 when something it needs is absent (reported, not failed).
run() {
  local name=$1 rc
  echo "=== $name"
  piece "$BUILD" "$name"; rc=$?
  case $rc in
    0) echo "=== $name: PASS" ;;
    77) echo "=== $name: SKIPPED"; skipped+=("$name") ;;
    *) echo "=== $name: FAIL"; failed+=("$name") ;;
  esac
}

while read -r name; do
  if [ -n "${ONLY:-}" ] && [[ "$name" == test-* ]] && [[ "$name" != *"$ONLY"* ]]; then continue; fi
  run "$name"
done < <(pieces)

[ ${#skipped[@]} -eq 0 ] || echo "SKIPPED: ${skipped[*]}"
if [ ${#failed[@]} -ne 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all C tests passed"
