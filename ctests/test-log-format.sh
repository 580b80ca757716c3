#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Our debug log in upstream's shapes: a PSK handshake and one echoed line
# between upstream's example programs, then between ours, both at -v 6 on
# the default log handler, and the two logs compared by line format (not
# contents):
#   - every line has upstream's prefix "Mon DD HH:MM:SS TAG ";
#   - every kind of hexdump line upstream writes (the extended dump's
#     "name: (N bytes):" header, its "00000010 61 ED ...  FB " rows, the
#     one-line "name: (N bytes): 0102..." dump, cut with " ..." past the
#     line limit) appears in ours, and each of our dump lines has one of
#     those exact shapes;
#   - the dumps both logs name (send/receive header, send/receive
#     unencrypted, client_random, key_block, ...) use the same layout in
#     both;
#   - ours also has a line per handshake message sent and received, per
#     epoch switch, and no line longer than upstream's limit for dumps.
BIN=${1:?usage: test-log-format.sh BINDIR}
. "$(dirname "$0")/lib.sh"

need_upstream
build_upstream || finish
OBSERVER=$BIN/upstream-observer
build "$OBSERVER" "$ROOT/ctests/upstream-observer.c" -O2 || finish

PSK=TLS_PSK_WITH_AES_128_CCM_8

# run NAME SERVER CLIENT: a handshake and one echoed line through the
# observer on a fresh 127.X.Y.Z:20220; the server's log ends up in
# $T/NAME.log.
run() {
  local name=$1 server=$2 client=$3 addr sport
  bg "obs_$name" "$OBSERVER" -T 30
  wait_for "$T/obs_$name.err" "listening on" 10 || { fail "$name: observer started"; return 1; }
  addr=$(sed -n 's/^upstream-observer: listening on \([0-9.]*\):20220 -> .*/\1/p' "$T/obs_$name.err")
  sport=$(sed -n 's/^upstream-observer: listening on .* -> [0-9.]*:\([0-9]*\)$/\1/p' "$T/obs_$name.err")
  bg "srv_$name" "$server" -A "$addr" -p "$sport" -v 6 -c $PSK
  wait_for "$T/srv_$name.out" "." 10
  sleep 0.2   # the log line may come before bind; upstream's client sends its ClientHello once
  bg_fifo "cli_$name" "$client" -v 6 -c $PSK "$addr"
  if ! wait_for "$T/srv_$name.out" "[Hh]andshake complete" 15; then
    fail "$name: handshake"
    return 1
  fi
  sleep 0.3
  say "cli_$name" "a line to echo"
  wait_for "$T/srv_$name.out" "a line to echo" 10 || fail "$name: echo"
  wait_for "$T/srv_$name.out" "application data\|receive unencrypted: (15 bytes)" 5
  sleep 0.3
  say "cli_$name" "client:exit"
  local pidvar="PID_cli_$name" spid="PID_srv_$name"
  wait_exit "cli_$name" 10
  kill "${!spid}" 2>/dev/null
  wait "${!spid}" 2>/dev/null
  cp "$T/srv_$name.out" "$T/$name.log"
  pass "$name: handshake and echo at -v 6 ($(wc -l <"$T/$name.log") server log lines)"
}

run upstream "$UPSTREAM_BUILD/tests/dtls-server" "$UPSTREAM_BUILD/tests/dtls-client"
run ours "$BIN/dtls-server" "$BIN/dtls-client"
UP=$T/upstream.log
OURS=$T/ours.log
[ -s "$UP" ] && [ -s "$OURS" ] || finish

PREFIX='^[A-Z][a-z][a-z] [0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] (EMRG|ALRT|CRIT|WARN|NOTE|INFO|DEBG) '
# The shapes of dump lines, after the prefix.
declare -A SHAPE=(
  [ext-header]='^[^:]+: \([0-9]+ bytes\):$'
  [ext-row-full]='^[0-9A-F]{8} ([0-9A-F]{2} ){8} ([0-9A-F]{2} ){8}$'
  [ext-row-part]='^[0-9A-F]{8} ([0-9A-F]{2} ){1,8}( ([0-9A-F]{2} ){0,7})?$'
  [line]='^[^:]+: \([0-9]+ bytes\): [0-9A-F]*$'
  [line-cut]='^[^:]+: \([0-9]+ bytes\): [0-9A-F]+ \.\.\.$'
)

body() { grep -E "$PREFIX" "$1" | sed -E "s/$PREFIX//"; }

# (The servers also write the data they receive to stdout.)
APPDATA='^(a line to echo|client: exit|server: exit|)$'
for f in "$UP" "$OURS"; do
  bad=$(grep -vE "$PREFIX" "$f" | grep -vE "$APPDATA")
  check "$(basename "$f" .log): every log line has upstream's prefix (date, time, level tag)" test -z "$bad"
  [ -z "$bad" ] || printf '%s\n' "$bad" | head -3 | sed 's/^/  | /'
done

# shape_of LINE: the name of the dump shape LINE has, or nothing.
shape_of() {
  local k
  for k in ext-header ext-row-full line-cut line ext-row-part; do
    [[ $1 =~ ${SHAPE[$k]} ]] && { echo "$k"; return; }
  done
}
declare -A up_shapes our_shapes
while IFS= read -r l; do s=$(shape_of "$l"); [ -n "$s" ] && up_shapes[$s]=1; done < <(body "$UP")
while IFS= read -r l; do s=$(shape_of "$l"); [ -n "$s" ] && our_shapes[$s]=1; done < <(body "$OURS")
for s in "${!up_shapes[@]}"; do
  check "dump shape '$s' of upstream's log also in ours" test -n "${our_shapes[$s]:-}"
done

# Our lines that look like dumps (a byte count, or a row offset) must have
# one of the shapes exactly.
odd=$(body "$OURS" | grep -E ': \([0-9]+ bytes\)|^[0-9A-F]{8} ' | while IFS= read -r l; do
  [ -n "$(shape_of "$l")" ] || printf '%s\n' "$l"
done)
check "every dump line of ours has one of upstream's shapes" test -z "$odd"
[ -z "$odd" ] || printf '%s\n' "$odd" | head -5 | sed 's/^/  | /'

# Dumps that both logs name: the same layout (extended or one line).
layout() { # LOG NAME -> ext | line | (nothing)
  body "$1" | grep -E "^$2: \([0-9]+ bytes\):" | head -1 |
    sed -E -e 's/^[^:]+: \([0-9]+ bytes\):$/ext/' -e 's/^[^:]+: \([0-9]+ bytes\): .*/line/'
}
names=$(body "$UP" | sed -nE 's/^([a-z_ ]+): \([0-9]+ bytes\):.*/\1/p' | sort -u)
common=0

while IFS= read -r n; do
  [ -n "$n" ] || continue
  lo=$(layout "$OURS" "$n")
  [ -n "$lo" ] || continue
  common=$((common + 1))
  check "'$n' dump: upstream's layout ($(layout "$UP" "$n"))" test "$(layout "$UP" "$n")" = "$lo"
done <<<"$names"
check "at least 6 dumps named as upstream names them ($common)" test "$common" -ge 6

# One-line dumps are cut where upstream cuts them.
long=$(body "$OURS" | grep -E '\([0-9]+ bytes\): ' | awk 'length($0) > 126' | head -3)
check "no one-line dump longer than upstream's limit" test -z "$long"

# Beyond upstream: a line per handshake message and epoch switch.
for re in 'received client_hello \([0-9]+ bytes, message_seq 1, epoch 0\)' \
  'sending server_hello \([0-9]+ bytes, message_seq 1, epoch 0\)' \
  'received finished \(12 bytes, message_seq 3, epoch 1\)' \
  'sending finished \(12 bytes, message_seq 3, epoch 1\)' \
  'read epoch 1 active' 'write epoch 1 active'; do
  check "ours: a line matching /$re/" grep -qE "$re" "$OURS"
done
finish
