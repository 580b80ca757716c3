#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The example programs against each other over UDP loopback: handshake,
# echo, the client and server commands, each PSK suite, key files. Run once
# with the programs linked against libtinydtls.so and once against
# libtinydtls.a.
BIN=${1:?usage: test-loopback.sh BINDIR}
. "$(dirname "$0")/lib.sh"

CONNECTED="$(event_re $EV_CONNECTED)"

start_pair() { # SUFFIX SERVER_ARGS -- CLIENT_ARGS
  local sfx=$1; shift
  local sargs=() cargs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
  shift
  cargs=("$@")
  port=$(freeport)
  rm -f "$T"/server.* "$T"/client.*
  bg server "$BIN/dtls-server$sfx" -A 127.0.0.1 -p "$port" "${sargs[@]}"
  bg_fifo client "$BIN/dtls-client$sfx" "${cargs[@]}" 127.0.0.1 "$port"
}

stop_pair() {
  kill "$PID_client" "$PID_server" 2>/dev/null
  wait "$PID_client" "$PID_server" 2>/dev/null
  eval "exec ${FD_client}>&-"
}

echo_lines() { # sends lines and waits for each echo
  local l
  for l in "$@"; do
    say client "$l"
    wait_for "$T/client.out" "^$l\$" 10 || return 1
  done
}

for sfx in "" "-static"; do
  mode=${sfx:-"-dynamic"}; mode=${mode#-}
  echo "[$mode]"

  for suite in TLS_PSK_WITH_AES_128_CCM_8 TLS_PSK_WITH_AES_128_CCM; do
    start_pair "$sfx" -- -c "$suite"
    check "$mode $suite: handshake" wait_for "$T/client.err" "$CONNECTED" 15
    check "$mode $suite: echo of several lines" echo_lines "first line" "second line" "third: with : colons"
    check "$mode $suite: server saw the lines" grep -q "third: with : colons" "$T/server.out"
    say client "client:exit"
    check "$mode $suite: client:exit ends the client" wait_exit client 10
    check "$mode $suite: server got close_notify" wait_for "$T/server.err" "level=1 code=0" 10
    stop_pair
  done

  start_pair "$sfx" -- -c TLS_PSK_WITH_AES_128_CCM_8
  wait_for "$T/client.err" "$CONNECTED" 15
  say client "client:close"
  check "$mode client:close announces itself" wait_for "$T/client.out" "client: closing connection" 10
  check "$mode client:close reaches the server" wait_for "$T/server.err" "level=1 code=0" 10
  check "$mode client:close ends the client" wait_exit client 10
  stop_pair

  start_pair "$sfx" -- -c TLS_PSK_WITH_AES_128_CCM_8
  wait_for "$T/client.err" "$CONNECTED" 15
  say client "server:close"
  check "$mode server:close announces itself" wait_for "$T/server.out" "server: closing connection" 10
  check "$mode server:close reaches the client" wait_for "$T/client.err" "level=1 code=0" 10
  check "$mode client exits when the server closes" wait_exit client 10
  stop_pair

  start_pair "$sfx" -- -c TLS_PSK_WITH_AES_128_CCM_8
  wait_for "$T/client.err" "$CONNECTED" 15
  echo_lines "before rehandshake" >/dev/null
  say client "client:rehandshake"
  check "$mode client:rehandshake connects again" wait_for "$T/server.err" "$CONNECTED" 10 2
  check "$mode echo after rehandshake" echo_lines "after rehandshake"
  say client "client:exit"
  wait_exit client 10 >/dev/null
  stop_pair

  # Identity and key from files, using the server's second built-in entry.
  printf 'default identity' >"$T/id"
  printf '\x11\x22\x33' >"$T/key"
  start_pair "$sfx" -- -c TLS_PSK_WITH_AES_128_CCM_8 -i "$T/id" -k "$T/key"
  check "$mode -i/-k key files: handshake" wait_for "$T/client.err" "$CONNECTED" 15
  check "$mode -i/-k key files: echo" echo_lines "keyed from files"
  stop_pair

  printf 'wrong' >"$T/badkey"
  start_pair "$sfx" -- -c TLS_PSK_WITH_AES_128_CCM_8 -i "$T/id" -k "$T/badkey"
  check "$mode wrong key: server reports a fatal alert" wait_for "$T/server.err" "level=2" 15
  check "$mode wrong key: client reports a fatal alert" wait_for "$T/client.err" "level=2" 15
  check "$mode wrong key: never connected" not grep -q "$CONNECTED" "$T/client.err"
  stop_pair

  # server:exit stops the server cleanly.
  start_pair "$sfx" -- -c TLS_PSK_WITH_AES_128_CCM_8
  wait_for "$T/client.err" "$CONNECTED" 15
  say client "server:exit"
  check "$mode server:exit ends the server with status 0" wait_exit server 10
  stop_pair
done
finish
