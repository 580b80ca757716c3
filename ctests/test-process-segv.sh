#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A segmentation fault in application code called from the library ends the
# process as without the library (README "Inside your process", "Crashes"):
# ctests/process/segv.c against the installed library, shared and static,
# with no SIGSEGV handler, one installed before and one after the engine
# starts. Killed by SIGSEGV, a core dump where the system makes them, the
# application's handler called if it has one, no Go runtime output.
BIN=${1:?usage: test-process-segv.sh BINDIR}
. "$(dirname "$0")/lib.sh"

install_scratch "$T/inst" || finish
src=$ROOT/ctests/process/segv.c
build "$T/segv" "$src" -O1 -g "${INST_SHARED[@]}" || finish
build "$T/segv-static" "$src" -O1 -g "${INST_STATIC[@]}" || finish

for v in shared static; do
  exe=$T/segv
  [ $v = static ] && exe=$T/segv-static
  for mode in none before after; do
    d=$T/$v-$mode
    mkdir -p "$d"
    (cd "$d" && ulimit -c unlimited 2>/dev/null; timeout -k 5 60 "$exe" $mode) >"$T/$v-$mode.out" 2>&1
    rc=$?
    grep -E '^(ok|FAIL|     )' "$T/$v-$mode.out" | sed 's/^/  | /'
    what="[$v] fault in a callback, SIGSEGV handler: $mode"
    if [ $rc -eq 0 ]; then pass "$what"; else fail "$what (exit status $rc)"; fi
    rm -rf "$d" "$T/$v-$mode.out" # the core dump
  done
done
finish
