#!/usr/bin/env bash
# Runs every Go fuzzer for the given time each (default 5s, as in make
# test; make fuzz passes a long time). Findings make the run fail and are
# saved by go test under the package's testdata/fuzz for reproduction.
# Prints the executions each fuzzer ran, and their total.
set -u
T=${1:-5s}
cd "$(dirname "$0")/.."
GO=${GO:-go}
total=0
failed=0
while read -r pkg fn; do
  out=$($GO test -run XXX -fuzz "^$fn\$" -fuzztime "$T" -parallel 2 "./$pkg" 2>&1)
  rc=$?
  execs=$(printf '%s\n' "$out" | grep -o 'execs: [0-9]*' | tail -1 | awk '{print $2}')
  execs=${execs:-0}
  total=$((total + execs))
  if [ $rc -ne 0 ]; then
    failed=1
    echo "FAIL $pkg $fn"
    printf '%s\n' "$out" | tail -30
  else
    printf 'ok   %-16s %-20s %12d execs\n' "$pkg" "$fn" "$execs"
  fi
done < <(grep -rn '^func Fuzz' core --include='*_test.go' | sed -E 's#^(core/[^/]+)/[^:]+:[0-9]+:func (Fuzz[A-Za-z0-9_]+).*#\1 \2#' | sort -u)
echo "total: $total executions without a finding"
exit $failed
