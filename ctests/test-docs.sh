#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test-docs.sh -- the API documentation in the installed headers:
#  - doxygen, with docs/Doxyfile (what `make docs` uses), runs over
#    include/tinydtls without a single warning (WARN_AS_ERROR; undocumented
#    functions, parameters, return values, fields, enum values and macros
#    are warnings) and writes the HTML reference;
#  - every function libtinydtls.so exports that an installed header declares
#    has its Doxygen comment: a description, a @param for every parameter
#    and a @return unless it returns void. This is checked on doxygen's XML
#    output by docs/checkdocs.go, which checks the static inline functions
#    of the headers the same way.
# doxygen (Debian package doxygen) and Go are required.
source "$(dirname "$0")/lib.sh"

LIB=$BUILD/lib/libtinydtls.so
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}

if ! command -v doxygen >/dev/null 2>&1; then
  fail "doxygen is not installed: apt-get install doxygen (Debian package: doxygen)"
  finish
fi
[ -f "$LIB" ] || { fail "libtinydtls.so is not built ($LIB)"; finish; }
[ -x "$GO" ] || { fail "go is not found ($GO)"; finish; }
echo "  doxygen $(doxygen --version)"

# doxygen reads its paths relative to the top of the source tree.
out=$T/doxygen
mkdir -p "$out"
(cd "$ROOT" && { cat docs/Doxyfile
                 echo "OUTPUT_DIRECTORY = $out"
                 echo "GENERATE_XML = YES"
                 echo "WARN_LOGFILE = $T/doxygen.warnings"; } |
   doxygen - >"$T/doxygen.log" 2>&1)
rc=$?
no_warnings() { [ "$rc" -eq 0 ] && [ ! -s "$T/doxygen.warnings" ]; }
what="doxygen runs over include/tinydtls without a warning (exit status $rc)"
if no_warnings; then
  pass "$what"
else
  fail "$what"
  sed 's/^/  | /' "$T/doxygen.warnings" "$T/doxygen.log" | head -n 60
fi
check "the HTML reference is written" test -s "$out/html/index.html"
[ -s "$out/xml/index.xml" ] || { fail "doxygen wrote no XML"; finish; }

# Functions the library exports (defined text symbols, versions stripped)...
nm -D --defined-only "$LIB" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' |
  sort -u >"$T/exports"
# ...that an installed header declares: the name followed by "(" in the
# headers' code, comments stripped.
find "$ROOT/include/tinydtls" -name '*.h' | sort | while read -r h; do
  gcc -fpreprocessed -dD -E -P -x c "$h" 2>/dev/null
done | grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' | tr -d ' \t(' | sort -u >"$T/declared"
comm -12 "$T/exports" "$T/declared" >"$T/required"
n=$(wc -l <"$T/required")
check "exported functions declared in the headers found ($n; upstream's API has more than 90)" test "$n" -gt 90

# The same functions must be the ones upstream's export list and ours name.
missing=$(comm -13 "$T/required" <(grep -v '^#' "$ROOT/ctests/abi/exports.txt" | sort -u) |
          grep -vxE 'dtls_sha256_transform|dtls_clock_offset|ecc_g_point_[xy]' | tr '\n' ' ')
check "every function of ctests/abi/exports.txt is among them${missing:+ (not: $missing)}" test -z "$missing"

if "$GO" run "$ROOT/docs/checkdocs.go" "$out/xml" $(cat "$T/required") >"$T/checkdocs.log" 2>&1; then
  pass "$(tail -n 1 "$T/checkdocs.log")"
else
  fail "documentation of the exported (and inline) functions"
  sed 's/^/  | /' "$T/checkdocs.log" | head -n 60
fi

finish
