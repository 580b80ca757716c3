#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Application signal handlers and the library (README "Inside your process",
# "Signals"), with ctests/process/signals.c against the installed library,
# shared and static: a SIGUSR1 handler without SA_ONSTACK using 4 to 64 KiB
# of stack, installed before or after the engine starts, signalled every
# 20 us, to the thread that runs handshakes and records or to the process.
# Every combination must finish with every handshake and record intact and
# no crash.
#   SIGNAL_SECS  seconds per run (default 1)
#   SIGNAL_REPS  runs per combination (default 1; the 64 KiB ones run
#                twice as often)
# A soak: SIGNAL_SECS=10 SIGNAL_REPS=20 ONLY=process-signals make test-c
BIN=${1:?usage: test-process-signals.sh BINDIR}
. "$(dirname "$0")/lib.sh"

secs=${SIGNAL_SECS:-1}
reps=${SIGNAL_REPS:-1}
install_scratch "$T/inst" || finish
src=$ROOT/ctests/process/signals.c
build "$T/signals" "$src" -O2 -g "${INST_SHARED[@]}" -lpthread || finish
build "$T/signals-static" "$src" -O2 -g "${INST_STATIC[@]}" || finish

total=0
for v in shared static; do
  exe=$T/signals
  [ $v = static ] && exe=$T/signals-static
  for when in before after; do
    for target in thread process; do
      for kb in 4 8 16 32 64; do
        n=$reps
        [ $kb = 64 ] && n=$((reps * 2))
        ok=0 bad=0 why=
        for _ in $(seq "$n"); do
          timeout -k 5 $((secs * 10 + 60)) "$exe" $kb $when $target "$secs" >"$T/run.out" 2>&1
          rc=$?
          total=$((total + 1))
          if [ $rc -eq 0 ]; then
            ok=$((ok + 1))
          else
            bad=$((bad + 1))
            why="$why [exit $rc: $(grep -m1 -E 'fatal|unexpected|panic|fault|corrupt|failed|runtime:' "$T/run.out" | cut -c1-100)]"
            cp "$T/run.out" "$T/failed-$v-$when-$target-$kb.log"
          fi
        done
        what="[$v] $kb KiB handler, installed $when the engine starts, signals to the $target: $ok/$n runs clean"
        if [ $bad -eq 0 ]; then pass "$what"; else fail "$what$why"; fi
      done
    done
  done
done
echo "  ($total runs of $secs s)"
finish
