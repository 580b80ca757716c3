#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# check-exports.sh LIB [INCLUDEDIR] -- verify what a libtinydtls exports.
#
# LIB is a shared library (its dynamic symbol table is checked) or a static
# archive (the global symbols its members define). INCLUDEDIR is the header
# root holding tinydtls/ (default: the source tree's include/).
#
#  1. Every symbol upstream's library exports (exports.txt beside this
#     script) is there. Functions must be defined text symbols (T). The two
#     constant ECC arrays must be data (R, or D if the toolchain put them in
#     .data), and dtls_clock_offset, a writable time_t, must be data (B, D
#     or C).
#  2. Every function dtls_ext.h declares is there (T).
#  3. Nothing else: every exported symbol is a function or variable an
#     installed header declares, or one of upstream's exports. No Go
#     runtime, cgo or internal helper symbol leaks into the application's
#     namespace.
#
# Missing, mistyped and extra symbols are printed; the exit status is 1 if
# there is any. Functions the headers declare that neither this library
# nor upstream's exports are listed for information.

set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 LIB [INCLUDEDIR]" >&2
  exit 2
fi
lib=$1
here=$(cd "$(dirname "$0")" && pwd)
list=$here/exports.txt
inc=${2:-$here/../../include}
CC=${CC:-cc}

if [ ! -f "$lib" ]; then
  echo "$0: $lib: no such file" >&2
  exit 2
fi
if [ ! -d "$inc/tinydtls" ]; then
  echo "$0: no tinydtls/ headers under $inc" >&2
  exit 2
fi
inc=$(cd "$inc" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "name type" for every defined global symbol; symbol versions stripped.
case $lib in
  *.a) nm -g --defined-only "$lib" ;;
  *)   nm -D --defined-only "$lib" ;;
esac >"$tmp/nm" || {
  echo "$0: nm failed on $lib" >&2
  exit 2
}
defined=$(awk 'NF >= 3 { sub(/@.*/, "", $3); print $3, $2 }' "$tmp/nm")

missing=0
wrong=0
total=0
# want SYMBOL TYPES...: SYMBOL must be defined with one of TYPES.
want() {
  sym=$1
  shift
  total=$((total + 1))
  type=$(printf '%s\n' "$defined" | awk -v s="$sym" '$1 == s { print $2; exit }')
  if [ -z "$type" ]; then
    echo "missing: $sym"
    missing=$((missing + 1))
    return
  fi
  for t in "$@"; do
    [ "$type" = "$t" ] && return
  done
  echo "wrong type: $sym is '$type', want one of: $*"
  wrong=$((wrong + 1))
}

# 1. upstream's exports
while read -r sym; do
  case $sym in ''|'#'*) continue ;; esac
  case $sym in
    ecc_g_point_x|ecc_g_point_y) want "$sym" R D ;;
    dtls_clock_offset)           want "$sym" B D C ;;
    *)                           want "$sym" T ;;
  esac
done <"$list"

# What the installed headers declare: functions from gcc -aux-info (which
# names the header each prototype comes from; static inline helpers are
# left out), variables from their extern declarations.
(cd "$inc/tinydtls" && find . -name '*.h' | sed 's|^\./||' | sort) |
  sed 's/.*/#include "&"/' >"$tmp/all.c"
if ! $CC -I"$inc/tinydtls" -fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c" 2>"$tmp/cc.log"; then
  echo "$0: cannot compile the headers under $inc:" >&2
  cat "$tmp/cc.log" >&2
  exit 2
fi
grep -F "/* $inc/tinydtls/" "$tmp/aux" | grep -v ' static ' |
  sed -n 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\) (.*/\1/p' >"$tmp/declared"
find "$inc/tinydtls" -name '*.h' -exec cat {} + |
  sed -n 's/^[[:space:]]*extern [^(]*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*\(\[[^]]*\]\)*[[:space:]]*;.*/\1/p' \
  >>"$tmp/declared"
[ -s "$tmp/declared" ] || { echo "$0: found no declarations in the headers" >&2; exit 2; }

# 2. dtls_ext.h
ext=0
for sym in $(grep -F "/* $inc/tinydtls/dtls_ext.h" "$tmp/aux" | grep -v ' static ' |
             sed -n 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\) (.*/\1/p'); do
  want "$sym" T
  ext=$((ext + 1))
done

# 3. nothing else
{ cat "$tmp/declared"; grep -v '^#' "$list"; } | grep . | sort -u >"$tmp/allowed"
printf '%s\n' "$defined" | awk '{ print $1 }' | sort -u >"$tmp/exported"
extra=$(comm -23 "$tmp/exported" "$tmp/allowed")
nextra=0
for sym in $extra; do
  echo "extra: $sym is exported but no installed header declares it"
  nextra=$((nextra + 1))
done
unexported=$(comm -13 "$tmp/exported" "$tmp/allowed" | tr '\n' ' ')
[ -n "$unexported" ] &&
  echo "(declared in the headers, exported neither here nor by upstream: $unexported)"

echo "check-exports: $(wc -l <"$tmp/exported") symbols exported; $total required ($ext from dtls_ext.h):" \
     "$missing missing, $wrong with the wrong type; $nextra not declared by the installed headers"
[ $missing -eq 0 ] && [ $wrong -eq 0 ] && [ $nextra -eq 0 ]
