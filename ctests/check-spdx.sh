#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Every source, header, script and build file of ours carries the license's
# SPDX identifier in its first lines, so that a file copied out of the tree
# still says under which terms (LICENSE is the BSD 3-Clause license).
#
#   check-spdx.sh          lists the files without it; fails if there are any
#   check-spdx.sh --fix    adds it to them, in the comment syntax of each kind
#   ... [--fix] PATH...    only the files under these paths
#
# Data (test transcripts, fuzz corpora, symbol lists) and prose (Markdown)
# are not sources; go.mod/go.sum have no comments.
set -u
cd "$(dirname "$0")/.."
TAG='SPDX-License-Identifier: BSD-3-Clause'
fix=0
[ "${1:-}" = --fix ] && { fix=1; shift; }

# The comment syntax of a file, or nothing if it is not one of ours to mark.
style() {
  case $1 in
    */testdata/*) ;;
    *.go | *.s) echo slash ;;
    *.c | *.h | *.inc | *.def | *.map) echo block ;;
    *.sh | .ci/run | Makefile | */Makefile | *.mk | CMakeLists.txt | */CMakeLists.txt | \
      *.cmake | *.cmake.in | *.pc.in | *.supp | *.conf | docs/Doxyfile | VERSION) echo hash ;;
  esac
}

files() {
  if git rev-parse --git-dir >/dev/null 2>&1; then
    git ls-files -co --exclude-standard -- "$@"
  else
    find "${@:-.}" -type f -not -path '*/build*' -not -path '*/.git/*' | sed 's|^\./||'
  fi
}

missing=()
while IFS= read -r f; do
  [ -f "$f" ] || continue
  s=$(style "$f")
  [ -n "$s" ] || continue
  head -n 5 "$f" | grep -q "$TAG" && continue
  missing+=("$f")
  [ $fix = 1 ] || continue
  tmp=$(mktemp)
  case $s in
    slash) { echo "// $TAG"; echo; cat "$f"; } >"$tmp" ;;
    block) { echo "/* $TAG */"; cat "$f"; } >"$tmp" ;;
    hash)
      if head -n 1 "$f" | grep -q '^#!'; then
        { head -n 1 "$f"; echo "# $TAG"; tail -n +2 "$f"; } >"$tmp"
      else
        { echo "# $TAG"; cat "$f"; } >"$tmp"
      fi ;;
  esac
  cat "$tmp" >"$f"   # keeps the file's mode
  rm -f "$tmp"
done < <(files "$@" | LC_ALL=C sort)

if [ ${#missing[@]} -eq 0 ]; then
  echo "check-spdx: every source, header, script and build file names its license"
  exit 0
fi
if [ $fix = 1 ]; then
  printf 'check-spdx: added to %s\n' "${missing[@]}"
  exit 0
fi
printf 'check-spdx: no "%s" in the first lines of:\n' "$TAG"
printf '  %s\n' "${missing[@]}"
echo "check-spdx: bash ctests/check-spdx.sh --fix adds it"
exit 1
