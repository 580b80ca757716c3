#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# DTLS 1.3 interop with pion/dtls v4 (a Go module, a test-only dependency):
# ctests/pion-peer, built here into the build tree, in both roles against
# our dtls-server and dtls-client, with an external PSK and
# TLS_AES_128_GCM_SHA256 (the only one of our three 1.3 suites pion has),
# in both PSK key exchange modes:
#   A  our dtls-server <- pion client: psk_dhe_ke, psk_ke (pion offering only
#      that mode), both modes offered (our server prefers psk_dhe_ke), a
#      KeyUpdate from pion asking for ours, a wrong PSK;
#   B  pion server <- our dtls-client (TINYDTLS_GO_MAX_VERSION=1.3):
#      psk_dhe_ke, psk_ke (pion's server restricted to a group our client
#      does not have, so that it must take psk_ke), client:renegotiate (our
#      KeyUpdate), server:close, a wrong PSK.
# The key exchange is what pion-peer read from the ServerHello on the wire
# (pre_shared_key with or without key_share); the version what pion reports
# and what our programs' dtls_get_version() reports. A matrix of PASS/FAIL
# lines ends the output; PION_CELLS=REGEX runs only the matching cells.
BIN=${1:?usage: test-dtls13-pion.sh BINDIR}
. "$(dirname "$0")/lib.sh"

GO=${GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}
PEER=$BIN/pion-peer
if (cd "$ROOT" && "$GO" build -o "$PEER.tmp.$$" ./ctests/pion-peer) >"$T/go-build.log" 2>&1 &&
   mv -f "$PEER.tmp.$$" "$PEER"; then
  pass "pion-peer built ($(cd "$ROOT" && "$GO" list -m -f '{{.Path}} {{.Version}}' github.com/pion/dtls/v4))"
else
  rm -f "$PEER.tmp.$$"
  fail "go build ./ctests/pion-peer"
  sed 's/^/  | /' "$T/go-build.log"
  finish
fi

CELL_LIMIT=45
CONNECTED="$(event_re $EV_CONNECTED)"
V13="connected with DTLS 1.3"
PION13="connected version=DTLS 1.3 suite=TLS_AES_128_GCM_SHA256"
LINES=("first line" "second line: with colons" "third line, the last")
GCM=TLS_AES_128_GCM_SHA256
PSK8=TLS_PSK_WITH_AES_128_CCM_8

# ---- A: our dtls-server, pion's client ----------------------------------------

# our_server ARGS...: starts dtls-server on a free loopback port (PORT).
our_server() {
  PORT=$(freeport)
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$PORT" "$@"
  wait_for /proc/net/udp " \(0100007F\|7F000001\):$(printf %04X "$PORT") " 10 ||
    { fail "dtls-server listening on 127.0.0.1:$PORT"; return 1; }
}

# pion_client MODE [ARGS...]: the lines of LINES (and any in EXTRA, an
# array, first) through pion's client; its exit status.
pion_client() {
  local mode=$1
  shift
  printf '%s\n' "${EXTRA[@]}" "${LINES[@]}" >"$T/pion.in"
  timeout 30 "$PEER" -mode client -port "$PORT" -psk-mode "$mode" -timeout 10s "$@" \
    <"$T/pion.in" >"$T/pion.out" 2>"$T/pion.err"
}

# a_psk MODE WANT: pion offers MODE (dhe, ke, any); the handshake must use
# WANT (psk_dhe_ke or psk_ke).
a_psk() {
  our_server -c "$GCM:$PSK8" || return
  EXTRA=()
  pion_client "$1"
  check "pion's client ends with status 0 (handshake, echoes, close_notify)" test $? -eq 0
  check "pion: DTLS 1.3, $GCM, $2 (the ServerHello on the wire)" \
    grep -q "$PION13 key_exchange=$2 identity=Client_identity" "$T/pion.err"
  check "our server: $V13 (dtls_get_version)" wait_for "$T/server.err" "$V13" 5
  check "echo of ${#LINES[@]} lines back at pion's client" \
    eval 'printf "%s\n" "${LINES[@]}" | cmp -s - "$T/pion.out"'
  check "our server got them" eval 'printf "%s\n" "${LINES[@]}" | cmp -s - "$T/server.out"'
  check "our server gets pion's close_notify (event level=1 code=0)" \
    wait_for "$T/server.err" "level=1 code=0" 10
  check "no fatal alert" not grep -q "level=2" "$T/server.err"
}

# a_keyupdate: pion updates its keys and asks ours to follow (KeyUpdate
# with update_requested), twice, between the lines.
a_keyupdate() {
  our_server -c "$GCM:$PSK8" || return
  EXTRA=("before" "pion:keyupdate" "between" "pion:keyupdate")
  pion_client any
  check "pion's client ends with status 0" test $? -eq 0
  check "pion: $PION13" grep -q "$PION13" "$T/pion.err"
  check "pion's two KeyUpdates were acknowledged (its write epoch 4, then 5)" \
    eval 'grep -q "keyupdate done: write epoch 4," "$T/pion.err" &&
          grep -q "keyupdate done: write epoch 5," "$T/pion.err"'
  check "every line came back, before and after the updates" \
    eval 'printf "%s\n" before between "${LINES[@]}" | cmp -s - "$T/pion.out"'
  check "no fatal alert" not grep -q "level=2" "$T/server.err"
}

a_wrong() {
  our_server -c "$GCM:$PSK8" -T 25 || return
  EXTRA=()
  pion_client any -key wrongPSK -timeout 8s
  check "pion's client fails the handshake (status 1)" test $? -eq 1
  check "pion got decrypt_error from our server (the PSK binder does not validate, RFC 8446 §4.2.11)" \
    grep -q "handshake failed:.*DecryptError" "$T/pion.err"
  check "our server ends the handshake with a fatal decrypt_error event (level=2 code=51)" \
    wait_for "$T/server.err" "level=2 code=51" 15
  check "our server never connected" not grep -q "$CONNECTED" "$T/server.err"
}

# ---- B: pion's server, our dtls-client ----------------------------------------

# pion_server MODE [ARGS...]: pion's echo server on a free port (PORT),
# one association (-once).
pion_server() {
  local mode=$1
  shift
  bg pserv "$PEER" -mode server -once -psk-mode "$mode" -life 40s "$@"
  wait_for "$T/pserv.err" "listening on" 10 || { fail "pion server listening"; return 1; }
  PORT=$(sed -n 's/^pion-peer: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/pserv.err")
  [ -n "$PORT" ]
}

# our_client ARGS...: dtls-client offering 1.3, stdin on a fifo, data in DATA.
our_client() {
  DATA=$T/client.data
  : >"$DATA"
  bg_fifo client env TINYDTLS_GO_MAX_VERSION=1.3 "$BIN/dtls-client" -o "$DATA" "$@" 127.0.0.1 "$PORT"
}

echo_line() {
  say client "$1"
  wait_for "$DATA" "^$1\$" 10 && grep -q -x -e "$1" "$T/pserv.out"
}
echo_lines() {
  local l
  for l in "$@"; do echo_line "$l" || return 1; done
}

# b_psk MODE WANT: pion's server in MODE (any, ke); the handshake must use WANT.
b_psk() {
  pion_server "$1" || return
  our_client -c "$GCM:$PSK8"
  check "our client: $V13 (dtls_get_version)" \
    eval 'wait_for "$T/client.err" "$CONNECTED" 15 && wait_for "$T/client.err" "$V13" 5'
  check "pion: DTLS 1.3, $GCM, $2 (the ServerHello on the wire)" \
    wait_for "$T/pserv.err" "$PION13 key_exchange=$2 identity=Client_identity" 5
  check "echo of ${#LINES[@]} lines, each seen by pion's server and back at our client" \
    echo_lines "${LINES[@]}"
  say client "client:exit"
  check "client:exit: our client ends with status 0" wait_exit client 10
  check "pion's server gets close_notify" wait_for "$T/pserv.err" "closed by peer (close_notify)" 10
  check "pion's server ends its association cleanly (status 0)" wait_exit pserv 10
}

b_keyupdate() {
  pion_server any || return
  our_client -c "$GCM:$PSK8"
  check "our client: $V13" wait_for "$T/client.err" "$V13" 15
  check "echo before the update" echo_line "before the update"
  say client "client:renegotiate"
  check "after client:renegotiate (our KeyUpdate), every line comes back" echo_lines "${LINES[@]}"
  say client "client:renegotiate"
  check "a second update, and a line after it" echo_line "after the second update"
  check "no fatal alert at our client" not grep -q "level=2" "$T/client.err"
  say client "client:exit"
  check "pion's server sees a clean end (close_notify, status 0)" \
    eval 'wait_for "$T/pserv.err" "closed by peer (close_notify)" 10 && wait_exit pserv 10'
}

b_server_close() {
  pion_server any || return
  our_client -c "$GCM:$PSK8"
  check "our client: $V13" wait_for "$T/client.err" "$V13" 15
  check "echo before closing" echo_line "before close"
  say client "server:close"
  check "pion's server closes" wait_for "$T/pserv.err" "closing (close_notify)" 10
  check "our client gets close_notify (event level=1 code=0) and exits with status 0" \
    eval 'wait_for "$T/client.err" "level=1 code=0" 10 && wait_exit client 10'
}

b_wrong() {
  printf 'wrongPSK' >"$T/badkey"
  pion_server any -timeout 8s || return
  our_client -c "$GCM:$PSK8" -k "$T/badkey" -T 25
  check "our client gets pion's decrypt_error (level=2 code=51: the binder does not validate)" \
    wait_for "$T/client.err" "level=2 code=51" 15
  wait_exit client 10
  check "our client exits with status 1" test $? -eq 1
  check "pion's server fails the handshake (status 1) on the binder" \
    eval 'wait_exit pserv 15; test $? -eq 1 && grep -q "handshake failed:.*DecryptError" "$T/pserv.err"'
  check "our client never connected" not grep -q "$CONNECTED" "$T/client.err"
}

# ---- running the cells ------------------------------------------------------

CELL_FILTER=${PION_CELLS:-.}

A="our dtls-server <- pion client:"
B="pion server <- our dtls-client:"
cell A-psk-dhe "$A pion offers psk_dhe_ke only: psk_dhe_ke, echo, close_notify" a_psk dhe psk_dhe_ke
cell A-psk-ke "$A pion offers psk_ke only: psk_ke, echo, close_notify" a_psk ke psk_ke
cell A-psk-both "$A pion offers both modes: our server takes psk_dhe_ke" a_psk any psk_dhe_ke
cell A-keyupdate "$A two KeyUpdates from pion with update_requested, data around them" a_keyupdate
cell A-wrong-psk "$A wrong PSK: both ends fail, bounded" a_wrong
cell B-psk-dhe "$B psk_dhe_ke, echo, close_notify" b_psk any psk_dhe_ke
cell B-psk-ke "$B pion's server without a common group: psk_ke, echo, close_notify" b_psk ke psk_ke
cell B-keyupdate "$B client:renegotiate (our KeyUpdate) twice, data after it" b_keyupdate
cell B-server-close "$B server:close, our client sees close_notify" b_server_close
cell B-wrong-psk "$B wrong PSK: both ends fail, bounded" b_wrong

run_cells "DTLS 1.3 interop matrix against pion/dtls v4 (TLS_AES_128_GCM_SHA256, PSK)"
