#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs every Go fuzzer for the given time (or count, like 20000x) each
# (default 5s; make test passes a count, make fuzz a long time). Findings make the run fail and are
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
  # go test -fuzz sometimes reports its own time limit running out as a
  # failure ("context deadline exceeded") without a failing input; that is
  # not a finding, so such a run counts as passed.
  if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'context deadline exceeded' &&
     ! printf '%s\n' "$out" | grep -q 'Failing input written'; then
    rc=0
  fi
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
