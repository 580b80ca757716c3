#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Memory coming back (README "Inside your process", "Memory"; issue 12,
# points 3 and 4), with ctests/process/memory.c against the installed
# library: a server process grows to MEMORY_PEERS (50,000) idle PSK peers
# whose clients run in a second process, 1,000 more handshakes are left
# half open, then all but a tenth of the peers are reset or closed (the
# closes and the half-open handshakes time out), and the server only runs
# its event loop (dtls_check_retransmit):
#  - within 10 s its RSS is within 25 % of the baseline plus the live data
#    (the survivors at the per-peer RSS of the growth), and stays there
#    to the end of the 10 s;
#  - the RSS per idle peer is at most 1 KiB after 2 s of the event loop,
#    and right after the growth (from 20,000 peers);
#  - every close and half-open handshake timed out, the survivors are
#    there, no goroutine was started;
#  - the same with random survivors, spread over every page of the heap
#    (Go never moves objects; the library moves them together,
#    engine.Compact);
#  - once the server context is freed, RSS is within 25 % of the baseline
#    (the Go runtime's bookkeeping of its largest heap, which Go never
#    returns, included);
#  - the same with 100 peers under valgrind: no memcheck errors;
#  - the engine's clean code pages leave a process idle for a second
#    (ctests/process/trim.c; shared and static), not with
#    TINYDTLS_GO_TRIM=0, and a page the process wrote into them keeps its
#    bytes.
# Reported, not checked: upstream tinydtls in the same run (10,000
# peers: its freed peers stay in glibc's heap); with MEMORY_COST=1, what a release
# (a full collection returning free memory) costs at 10,000 and 50,000
# associations.
#   MEMORY_PEERS  peers of the checked run (default 50000, at least 10000)
BIN=${1:?usage: test-process-memory.sh BINDIR}
. "$(dirname "$0")/lib.sh"

peers=${MEMORY_PEERS:-50000}
install_scratch "$T/inst" || finish
src=$ROOT/ctests/process/memory.c
build "$T/memory" "$src" -O2 -g -DTDTLS_EXT "${INST_SHARED[@]}" -ldl || finish

# run NAME SECONDS ARGS...: runs memory.c, shows its figures and failed
# checks; its exit status.
run() {
  local name=$1 limit=$2 rc
  shift 2
  timeout -k 5 "$limit" "$@" >"$T/$name.out" 2>&1
  rc=$?
  grep -E '^(figure|FAIL)' "$T/$name.out" | sed -e "s/^figure: /  [$name] /" -e 's/^FAIL/  | FAIL/'
  grep -q '^memory: [0-9]* passed' "$T/$name.out" || tail -n 5 "$T/$name.out" | sed 's/^/  | /'
  return $rc
}

run ours 120 "$T/memory" --peers "$peers"
rc=$?
if [ $rc -eq 0 ]; then
  pass "memory comes back: $peers peers, 90 % removed, event loop only ($(grep -c '^ok' "$T/ours.out") checks)"
else
  fail "memory comes back: $peers peers, 90 % removed, event loop only (exit status $rc)"
fi

# The engine's clean code pages leave an idle process (ctests/process/trim.c),
# with the shared library and the static archive, and stay with
# TINYDTLS_GO_TRIM=0.
build "$T/trim" "$ROOT/ctests/process/trim.c" -O2 "${INST_SHARED[@]}" || finish
build "$T/trim-static" "$ROOT/ctests/process/trim.c" -O2 "${INST_STATIC[@]}" || finish
for prog in trim trim-static; do
  for mode in on off; do
    arg=; [ $mode = off ] && arg=--off
    if timeout -k 5 60 "$T/$prog" $arg >"$T/$prog-$mode.out" 2>&1; then
      pass "idle trim [$prog, $mode]: $(grep -c '^ok' "$T/$prog-$mode.out") checks"
    else
      fail "idle trim [$prog, $mode]"
      sed 's/^/  | /' "$T/$prog-$mode.out"
    fi
    sed -n "s/^figure: /  [$prog] /p" "$T/$prog-$mode.out"
  done
done

# Under valgrind: the same paths for the C memory the library manages
# (peer mirrors made when a retransmission needs one, rebuilt sessions for
# closes that time out and abandoned handshakes, mirrors made by
# dtls_get_peer and freed by dtls_reset_peer and dtls_free_context), with 100
# peers: below the 1,000 associations from which memory is released. The
# release's full collection under memcheck makes it report invalid accesses
# inside the Go runtime (runtime.copystack into stack memory it had marked
# inaccessible below an earlier stack pointer); that path is checked natively
# above. No RSS bounds here (valgrind's own memory).
if command -v valgrind >/dev/null; then
  timeout -k 5 900 "${VALGRIND[@]}" "$T/memory" --peers 100 --half-open 20 --idle 1.2 --loop 4 --no-rss --patience 600 \
    >"$T/vg.out" 2>"$T/vg.err"
  rc=$?
  if [ $rc -eq 99 ]; then
    fail "memory.c under valgrind: memcheck errors or definite leaks"
    grep -v -e 'DW_FORM' -e 'reading debug info' -e 'large range' -e 'switching stacks' \
      -e 'max-stackframe' -e 'further instances' "$T/vg.err" | sed 's/^/  | /' | head -n 100
  elif [ $rc -ne 0 ]; then
    fail "memory.c under valgrind (exit status $rc)"
    grep -E '^FAIL' "$T/vg.out" | sed 's/^/  | /'
    tail -n 20 "$T/vg.err" | sed 's/^/  | /'
  else
    pass "memory.c under valgrind (100 peers): no memcheck errors, no definite leaks"
  fi
else
  fail "valgrind is not installed"
fi

# The same with random survivors, spread over all the pages their peers
# used: the library moves them together (engine.Compact) so that the pages
# can go.
run random 120 "$T/memory" --peers "$peers" --random
rc=$?
if [ $rc -eq 0 ]; then
  pass "memory comes back with random survivors: $peers peers, 90 % removed ($(grep -c '^ok' "$T/random.out") checks)"
else
  fail "memory comes back with random survivors (exit status $rc)"
fi

# Reported: upstream tinydtls.
if [ -f "$UPSTREAM_TARBALL" ] && build_upstream; then
  mkdir -p "$T/upinc" && ln -sfn "$UPSTREAM_SRC" "$T/upinc/tinydtls"
  if build "$T/memory-up" "$src" -O2 -DDTLSv12 -DWITH_SHA256 -DSHA2_USE_INTTYPES_H \
      -DDTLS_CHECK_CONTENTTYPE -I"$T/upinc" -I"$UPSTREAM_SRC" -I"$UPSTREAM_BUILD" \
      -L"$UPSTREAM_BUILD" -Wl,-rpath,"$UPSTREAM_BUILD" -ltinydtls -ldl; then
    run upstream 300 "$T/memory-up" --peers 10000 --loop 3 --no-rss ||
      fail "memory.c against upstream (exit status $?)"
  fi
else
  echo "  (upstream tinydtls source not found at $UPSTREAM_TARBALL: its figures are left out)"
fi
if [ "${MEMORY_COST:-0}" = 1 ]; then
  for n in 10000 50000; do
    run cost-$n 120 "$T/memory" --peers $n --release-cost --idle 0.1 || fail "release cost at $n"
  done
fi
finish
