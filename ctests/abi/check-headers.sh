#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# check-headers.sh [INCLUDEDIR] -- compile every public header on its own,
# in both include styles, under several language standards and as C++.
#
#   <tinydtls/NAME.h> with only -I$INCLUDEDIR            (libcoap's style)
#   "NAME.h"          with only -I$INCLUDEDIR/tinydtls    (tinydtls.pc style)
#
# INCLUDEDIR defaults to the source tree's include/.  Also checks that an
# application may include the real uthash.h before our headers.
# Prints each failure and exits non-zero if there was any.

set -u
here=$(cd "$(dirname "$0")" && pwd)
inc=${1:-$here/../../include}
inc=$(cd "$inc" && pwd)
CC=${CC:-gcc}
CXX=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

try() {   # try LABEL COMPILER ARGS... ; source is $tmp/t.c or t.cc
  label=$1; shift
  if ! "$@" >"$tmp/log" 2>&1; then
    echo "FAIL: $label"
    sed 's/^/    /' "$tmp/log" | head -20
    failed=1
  fi
}

headers=$(cd "$inc/tinydtls" && find . -name '*.h' | sed 's|^\./||' | sort)
[ -n "$headers" ] || { echo "no headers under $inc/tinydtls"; exit 1; }

for std in gnu11 c99 c11 gnu89; do
  for h in $headers; do
    printf '#include <tinydtls/%s>\nint main(void) { return 0; }\n' "$h" >"$tmp/t.c"
    try "<tinydtls/$h> -std=$std" $CC -std=$std -Wall -Wextra -Werror \
        -I"$inc" -fsyntax-only "$tmp/t.c"
    printf '#include "%s"\nint main(void) { return 0; }\n' "$h" >"$tmp/t.c"
    try "\"$h\" -std=$std" $CC -std=$std -Wall -Wextra -Werror \
        -I"$inc/tinydtls" -fsyntax-only "$tmp/t.c"
  done
done

if command -v "$CXX" >/dev/null 2>&1; then
  for h in $headers; do
    printf '#include <tinydtls/%s>\nint main() { return 0; }\n' "$h" >"$tmp/t.cc"
    try "C++ <tinydtls/$h>" $CXX -Wall -Wextra -Werror -I"$inc" \
        -fsyntax-only "$tmp/t.cc"
  done
fi

# The real uthash first (as libcoap does with its own copy): our uthash.h
# must step aside and dtls_peer_t must keep its layout.
if [ -f /usr/include/uthash.h ]; then
  cat >"$tmp/t.c" <<'EOC'
#include <uthash.h>
#include <tinydtls/dtls.h>
#include <stddef.h>
struct item { int key; UT_hash_handle hh; };
int main(void) {
  struct item *head = NULL, one = { 1, { 0 } }, *found = NULL;
  int key = 1;
  HASH_ADD_INT(head, key, &one);
  HASH_FIND_INT(head, &key, found);
  return !(found == &one && offsetof(dtls_peer_t, session) == 56
           && sizeof(dtls_peer_t) == 240);
}
EOC
  try "real uthash.h before <tinydtls/dtls.h>" $CC -Wall -Wextra -Werror \
      -I"$inc" "$tmp/t.c" -o "$tmp/t"
  [ $failed -eq 0 ] && { "$tmp/t" || { echo "FAIL: uthash interplay"; failed=1; }; }
fi

[ $failed -eq 0 ] && echo "check-headers: all headers OK"
exit $failed
