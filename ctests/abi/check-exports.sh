#!/bin/sh
# check-exports.sh LIB.so -- verify that a libtinydtls.so exports every
# symbol upstream's exports (listed in exports.txt beside this script).
#
# Functions must be defined text symbols (T).  The two constant ECC
# arrays must be data (R, or D if the toolchain put them in .data), and
# dtls_clock_offset, a writable time_t, must be data (B, D or C).
# Missing or mistyped symbols are printed; the exit status is 1 if any.

set -u
if [ $# -ne 1 ]; then
  echo "usage: $0 LIB.so" >&2
  exit 2
fi
lib=$1
list=$(dirname "$0")/exports.txt

if [ ! -f "$lib" ]; then
  echo "$0: $lib: no such file" >&2
  exit 2
fi

# "name type" for every defined dynamic symbol; symbol versions stripped.
defined=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3, $2 }') || {
  echo "$0: nm failed on $lib" >&2
  exit 2
}

missing=0
wrong=0
total=0
while read -r sym; do
  case $sym in ''|'#'*) continue ;; esac
  total=$((total + 1))
  type=$(printf '%s\n' "$defined" | awk -v s="$sym" '$1 == s { print $2; exit }')
  case $sym in
    ecc_g_point_x|ecc_g_point_y) want='R D' ;;
    dtls_clock_offset)           want='B D C' ;;
    *)                           want='T' ;;
  esac
  if [ -z "$type" ]; then
    echo "missing: $sym"
    missing=$((missing + 1))
    continue
  fi
  ok=0
  for t in $want; do
    [ "$type" = "$t" ] && ok=1
  done
  if [ $ok -eq 0 ]; then
    echo "wrong type: $sym is '$type', want one of: $want"
    wrong=$((wrong + 1))
  fi
done < "$list"

echo "check-exports: $total symbols, $missing missing, $wrong with the wrong type"
[ $missing -eq 0 ] && [ $wrong -eq 0 ]
