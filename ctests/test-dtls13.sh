#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# DTLS 1.3 between our example programs (ctests/dtls-server.c and
# dtls-client.c on our library), enabled as a program that cannot call
# dtls_set_versions() enables it: TINYDTLS_GO_MAX_VERSION=1.3 in the
# client's environment (the server negotiates 1.3 by default).
#
# Every cell runs behind ctests/upstream-observer.c, a relay on a loopback
# address of its own that logs the records of each datagram; from its log
# the cells check the ServerHello (suite; supported_versions (43) for 1.3;
# pre_shared_key (41) for a PSK handshake, none for raw public keys) and
# that 1.3 records (unified header) follow. Each program prints the
# version dtls_get_version() reports after DTLS_EVENT_CONNECTED ("connected
# with DTLS 1.3") and each raw public key its verify callback accepted.
#
# Cells: PSK with each DTLS 1.3 suite, raw public keys with and without
# client authentication, echo of several lines, client:close and
# server:close (close_notify), client:renegotiate (a KeyUpdate in 1.3),
# client:rehandshake (a new 1.3 handshake from the same address), a wrong
# PSK (both ends end, with a fatal alert, in bounded time), a Connection
# ID, the statically linked programs, the server under valgrind memcheck;
# and the version negotiation: a 1.3-capable server with a 1.2-only client
# and a 1.3-offering client with a 1.2-only server negotiate 1.2, a
# 1.3-only server refuses a 1.2-only client. A matrix of PASS/FAIL lines
# ends the output; DTLS13_CELLS=REGEX runs only the matching cells.
BIN=${1:?usage: test-dtls13.sh BINDIR}
. "$(dirname "$0")/lib.sh"

OBSERVER=$BIN/upstream-observer
build "$OBSERVER" "$ROOT/ctests/upstream-observer.c" -O2 || finish

CELL_LIMIT=60
CONNECTED="$(event_re $EV_CONNECTED)"
V13="connected with DTLS 1.3"
V12="connected with DTLS 1.2"
LINES=("first line" "second line: with colons" "third line, the last")
OFFER13=TINYDTLS_GO_MAX_VERSION=1.3
ONLY12=TINYDTLS_GO_MAX_VERSION=1.2
ONLY13=TINYDTLS_GO_MIN_VERSION=1.3

# ---- one cell: observer, server, client ------------------------------------

# setup SENV CENV SERVER_ARGS... -- CLIENT_ARGS...: the observer on a fresh
# 127.X.Y.Z:20220, the server behind it with the environment SENV ("-":
# none; SWRAP, an array, may run it under another program), the client with
# CENV and its stdin on a fifo, its received data in $DATA. SUFFIX
# (-static) selects the statically linked programs.
setup() {
  local senv=$1 cenv=$2 sargs=() cargs=() sport
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
  shift
  cargs=("$@")
  bg obs "$OBSERVER" -T $((CELL_LIMIT + 10))
  if ! wait_for "$T/obs.err" "listening on" 10; then
    fail "observer started"
    return 1
  fi
  ADDR=$(sed -n 's/^upstream-observer: listening on \([0-9.]*\):20220 -> .*/\1/p' "$T/obs.err")
  sport=$(sed -n 's/^upstream-observer: listening on .* -> [0-9.]*:\([0-9]*\)$/\1/p' "$T/obs.err")
  [ "$senv" = - ] && senv=
  [ "$cenv" = - ] && cenv=
  bg server env $senv "${SWRAP[@]}" "$BIN/dtls-server${SUFFIX:-}" -A "$ADDR" -p "$sport" "${sargs[@]}"
  if ! wait_for /proc/net/udp " $(hexaddr "$ADDR"):$(printf %04X "$sport") " 30; then
    fail "server listening on $ADDR:$sport"
    return 1
  fi
  DATA=$T/client.data
  : >"$DATA"
  bg_fifo client env $cenv "$BIN/dtls-client${SUFFIX:-}" -o "$DATA" "${cargs[@]}" "$ADDR"
}

# /proc/net/udp shows an IPv4 address as the hex of its 32 bits in host
# order and the port in hex.
hexaddr() {
  local IFS=. a
  read -r -a a <<<"$1"
  if [ "$(printf '\1\0' | od -An -tx2 | tr -d ' ')" = 0001 ]; then
    printf '%02X%02X%02X%02X' "${a[3]}" "${a[2]}" "${a[1]}" "${a[0]}"
  else
    printf '%02X%02X%02X%02X' "${a[0]}" "${a[1]}" "${a[2]}" "${a[3]}"
  fi
}

# connected ROLE VERSION_LINE [N [SECONDS]]: ROLE completed N handshakes
# and reported the version of each.
connected() {
  wait_for "$T/$1.err" "$CONNECTED" "${4:-15}" "${3:-1}" &&
    wait_for "$T/$1.err" "$2" 5 "${3:-1}"
}
both() { connected client "$1" "${2:-1}" && connected server "$1" "${2:-1}"; }

echo_line() {
  say client "$1"
  wait_for "$DATA" "^$1\$" 10 && grep -q -x -e "$1" "$T/server.out"
}
echo_lines() {
  local l
  for l in "$@"; do echo_line "$l" || return 1; done
}

# What the observer saw: the ServerHello's suite and extensions.
sh_suite() { grep -q "sh-suite=$1 " "$T/obs.out"; }
sh_ext() { grep -q -E "sh-ext=([0-9]+,)*$1(,|\$| )" "$T/obs.out"; }
# 1.3 records (unified header) both ways, no 1.2 application data.
wire13() {
  grep -q '^c2s .* u13:' "$T/obs.out" && grep -q '^s2c .* u13:' "$T/obs.out" &&
    ! grep -q -E ' 23:[0-9]+' "$T/obs.out"
}
no_fatal() { ! grep -q "level=2" "$T/client.err" "$T/server.err"; }
accepted() { grep -q "accepted the $2's raw public key" "$T/$1.err"; }

# ---- the cells ---------------------------------------------------------------

# psk SUITE_ARGS WIRE_SUITE: a PSK handshake in 1.3 with the client's and
# server's -c, the ServerHello naming WIRE_SUITE.
psk() {
  local copts sopts
  read -r -a copts <<<"$1"
  read -r -a sopts <<<"$2"
  setup - "$OFFER13" "${sopts[@]}" -- "${copts[@]}" || return
  check "both ends report DTLS 1.3 (dtls_get_version)" both "$V13"
  check "wire: ServerHello with supported_versions (43), pre_shared_key (41), suite $3" \
    eval 'sh_ext 43 && sh_ext 41 && sh_suite '"$3"
  check "echo of ${#LINES[@]} lines, each seen by the server and back at the client" \
    echo_lines "${LINES[@]}"
  check "wire: records with the 1.3 unified header both ways, no 1.2 application data" wire13
  check "no raw public key was asked for" \
    eval '! accepted server client && ! accepted client server'
  say client "client:exit"
  check "client:exit: the client ends with status 0" wait_exit client 10
  check "the server gets close_notify (event level=1 code=0)" \
    wait_for "$T/server.err" "level=1 code=0" 10
}

# rpk auth|noauth SUITE WIRE_SUITE: ECDHE with raw public keys in 1.3.
rpk() {
  local sopts=(-c "$2")
  [ "$1" = noauth ] && sopts+=(-n)
  setup - "$OFFER13" "${sopts[@]}" -- -c "$2" || return
  check "both ends report DTLS 1.3" both "$V13"
  check "wire: ServerHello with supported_versions (43) and key_share (51), no pre_shared_key, suite $3" \
    eval 'sh_ext 43 && sh_ext 51 && ! sh_ext 41 && sh_suite '"$3"
  check "the client verified the server's raw public key" accepted client server
  if [ "$1" = auth ]; then
    check "the server verified the client's raw public key (client authentication)" \
      accepted server client
  else
    check "the server (-n) did not ask for the client's key" not accepted server client
  fi
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
  check "wire: 1.3 records both ways" wire13
}

close_client() {
  setup - "$OFFER13" -- -c TLS_PSK_WITH_AES_128_CCM_8 || return
  check "both ends report DTLS 1.3" both "$V13"
  check "echo before closing" echo_line "before close"
  say client "client:close"
  check "the server gets close_notify (event level=1 code=0)" \
    wait_for "$T/server.err" "level=1 code=0" 10
  check "the client sees the server's close_notify and exits with status 0" \
    eval 'wait_for "$T/client.err" "level=1 code=0" 10 && wait_exit client 10'
}

close_server() {
  setup - "$OFFER13" -- -c TLS_PSK_WITH_AES_128_CCM_8 || return
  check "both ends report DTLS 1.3" both "$V13"
  check "echo before closing" echo_line "before close"
  say client "server:close"
  check "the server announces it" wait_for "$T/server.out" "server: closing connection" 10
  check "the client gets close_notify and exits with status 0" \
    eval 'wait_for "$T/client.err" "level=1 code=0" 10 && wait_exit client 10'
  check "the server sees the client's answer (event level=1 code=0)" \
    wait_for "$T/server.err" "level=1 code=0" 10
}

# renegotiate SUITE: client:renegotiate, which is a KeyUpdate in 1.3; data
# flows after it in both directions, the association stays (no new
# handshake, no alert).
renegotiate() {
  setup - "$OFFER13" -c "$1" -- -c "$1" || return
  check "both ends report DTLS 1.3" both "$V13"
  check "echo before the update" echo_line "before the update"
  say client "client:renegotiate"
  check "the client takes input again (its connection is usable after dtls_renegotiate)" \
    echo_lines "${LINES[@]}"
  say client "client:renegotiate"
  check "a second update, and data after it" echo_line "after the second update"
  check "no fatal alert" no_fatal
  check "no new handshake: one ClientHello exchange on the wire" \
    test "$(grep -c -E '^s2c .* 22:0:2( |:)' "$T/obs.out")" -le 2
}

# rehandshake: client:rehandshake, a new context: a new 1.3 handshake from
# the same address while the server still has the old association (the
# client restart of RFC 6347 §4.2.8).
rehandshake() {
  setup - "$OFFER13" -- -c TLS_PSK_WITH_AES_128_CCM_8 || return
  check "both ends report DTLS 1.3" both "$V13"
  check "echo before the rehandshake" echo_line "before rehandshake"
  say client "client:rehandshake"
  check "the second handshake completes on both ends, in DTLS 1.3" both "$V13" 2
  check "echo of ${#LINES[@]} lines after it" echo_lines "${LINES[@]}"
  check "no fatal alert" no_fatal
}

# wrong_psk: the client has another key; the server finds that the PSK
# binder does not validate and ends the handshake with decrypt_error (RFC
# 8446 §4.2.11, §6.2), both ends report it, in bounded time, never
# connected. Both run with a 25 ms first
# retransmission timeout, so that a side that waits in vain gives up in
# about 6 s.
wrong_psk() {
  printf 'wrongPSK' >"$T/badkey"
  setup - "$OFFER13" -c TLS_PSK_WITH_AES_128_CCM_8 -T 25 -- \
    -c TLS_PSK_WITH_AES_128_CCM_8 -k "$T/badkey" -T 25 || return
  check "the server ends the handshake with decrypt_error (event level=2 code=51: the PSK binder does not validate)" \
    wait_for "$T/server.err" "level=2 code=51" 20
  check "the client gets it (event level=2 code=51)" wait_for "$T/client.err" "level=2 code=51" 20
  wait_exit client 10
  check "the client exits with status 1" test $? -eq 1
  check "wire: the ClientHello offered 1.3 (supported_versions, pre_shared_key)" \
    grep -q -E '^c2s .*ch-ext=([0-9]+,)*43(,|$| )' "$T/obs.out"
  check "never connected" not grep -q "$CONNECTED" "$T/client.err" "$T/server.err"
}

# cid: the client asks for a Connection ID (-z); in 1.3 it rides in the
# unified header.
cid() {
  setup - "$OFFER13" -- -c TLS_PSK_WITH_AES_128_CCM_8 -z || return
  check "both ends report DTLS 1.3" both "$V13"
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
  check "wire: 1.3 records both ways" wire13
  check "no fatal alert" no_fatal
}

# memcheck: the server under valgrind memcheck, a 1.3 PSK handshake and
# echo, then server:exit; memcheck must find no error and no definite leak.
memcheck() {
  if ! command -v valgrind >/dev/null; then
    fail "valgrind is not installed"
    return
  fi
  SWRAP=("${VALGRIND[@]}")
  setup - "$OFFER13" -- -c TLS_PSK_WITH_AES_128_CCM_8 || return
  SWRAP=()
  check "both ends report DTLS 1.3 (the server under valgrind)" \
    eval 'connected client "$V13" 1 40 && connected server "$V13" 1 10'
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
  say client "server:exit"
  wait_exit server 40
  local rc=$?
  check "the server exits with status 0 under memcheck (99: memcheck errors or definite leaks; got $rc)" \
    test $rc -eq 0
  [ $rc -eq 99 ] && grep -v -e 'DW_FORM' -e 'reading debug info' -e 'large range' \
    -e 'switching stacks' -e 'max-stackframe' -e 'further instances' "$T/server.err" |
    head -n 60 | sed 's/^/  | /'
}

# static: the programs linked with libtinydtls.a.
static() {
  SUFFIX=-static
  setup - "$OFFER13" -- -c TLS_PSK_WITH_AES_128_CCM_8 || return
  SUFFIX=
  check "both ends report DTLS 1.3" both "$V13"
  check "wire: ServerHello with supported_versions (43), suite 1305" \
    eval 'sh_ext 43 && sh_suite 1305'
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
}

# fallback SENV CENV SUITE: the pair negotiates 1.2.
fallback() {
  setup "$1" "$2" -- -c "$3" || return
  check "both ends report DTLS 1.2" both "$V12"
  check "wire: ServerHello without supported_versions (43), suite $4" \
    eval '! sh_ext 43 && sh_suite '"$4"
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
  check "no 1.3 record on the wire" not grep -q ' u13:' "$T/obs.out"
}

# refuse: a 1.3-only server and a 1.2-only client: no association; the
# server refuses the ClientHello statelessly (before the cookie exchange, so
# no association and no event on its side) with a fatal protocol_version
# alert and a warning in its log; the client reports the alert and ends.
refuse() {
  setup "$ONLY13" - -c TLS_PSK_WITH_AES_128_CCM_8 -T 25 -- \
    -c TLS_PSK_WITH_AES_128_CCM_8 -T 25 || return
  check "the client ends with protocol_version (event level=2 code=70)" \
    wait_for "$T/client.err" "level=2 code=70" 20
  wait_exit client 10
  check "the client exits with status 1" test $? -eq 1
  check "wire: the server answers the ClientHello with an alert, no HelloVerifyRequest" \
    eval 'grep -q "^s2c .* 21:0\$" "$T/obs.out" && ! grep -q "^s2c .* 22:0:3" "$T/obs.out"'
  check "the server logs the refusal (WARN)" grep -q "WARN.*version" "$T/server.out"
  check "never connected" not grep -q "$CONNECTED" "$T/client.err" "$T/server.err"
}

# ---- running the cells ------------------------------------------------------

SWRAP=()
SUFFIX=
CELL_FILTER=${DTLS13_CELLS:-.}

PSK8=TLS_PSK_WITH_AES_128_CCM_8
PSK16=TLS_PSK_WITH_AES_128_CCM
ECDHE8=TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
ECDHE16=TLS_ECDHE_ECDSA_WITH_AES_128_CCM
cell psk-ccm8 "PSK, client lists $PSK8: TLS_AES_128_CCM_8_SHA256" psk "-c $PSK8" "" 1305
cell psk-ccm "PSK, client lists $PSK16: TLS_AES_128_CCM_SHA256" psk "-c $PSK16" "" 1304
cell psk-gcm "PSK, both list TLS_AES_128_GCM_SHA256 and $PSK8" psk \
  "-c TLS_AES_128_GCM_SHA256:$PSK8" "-c TLS_AES_128_GCM_SHA256:$PSK8" 1301
cell psk-ccm8-named "PSK, both list TLS_AES_128_CCM_8_SHA256 and $PSK16" psk \
  "-c TLS_AES_128_CCM_8_SHA256:$PSK16" "-c TLS_AES_128_CCM_8_SHA256:$PSK16" 1305
cell rpk-auth "raw public keys ($ECDHE8), client authenticated" rpk auth "$ECDHE8" 1305
cell rpk-noauth "raw public keys ($ECDHE16), no client authentication (server -n)" \
  rpk noauth "$ECDHE16" 1304
cell client-close "client:close, both ends see close_notify" close_client
cell server-close "server:close, both ends see close_notify" close_server
cell keyupdate-psk "client:renegotiate (a KeyUpdate) twice, PSK, data after it" renegotiate "$PSK8"
cell keyupdate-rpk "client:renegotiate (a KeyUpdate) twice, raw public keys" renegotiate "$ECDHE8"
cell rehandshake "client:rehandshake, a second 1.3 handshake from the same address" rehandshake
cell wrong-psk "wrong PSK: both ends end with a fatal alert, never connected" wrong_psk
cell cid "client -z: a Connection ID in 1.3" cid
cell static "the programs linked with libtinydtls.a" static
cell memcheck "the server under valgrind memcheck: handshake, echo, server:exit" memcheck
cell server12 "1.3-offering client, server TINYDTLS_GO_MAX_VERSION=1.2: DTLS 1.2" \
  fallback "$ONLY12" "$OFFER13" "$PSK8" C0A8
cell client12 "default (1.2-only) client, default (1.3-capable) server: DTLS 1.2" \
  fallback - - "$ECDHE8" C0AE
cell refuse "1.3-only server (TINYDTLS_GO_MIN_VERSION=1.3), 1.2-only client: refused" refuse

run_cells "DTLS 1.3 between our dtls-server and dtls-client"
