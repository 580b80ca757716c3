#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The interop matrix against upstream tinydtls (main, 0.8.6), built from
# ../shared/peers at test time: our example programs against upstream's in
# both pairings (our dtls-server with upstream's dtls-client, upstream's
# dtls-server with our dtls-client), and upstream's programs running on our
# library (LD_LIBRARY_PATH, checked through /proc/PID/maps) against upstream
# and against ours.
#
# Every cell runs behind ctests/upstream-observer.c, a relay on its own
# loopback address 127.X.Y.Z:20220 (upstream's client cannot take a port on
# glibc) that logs the records of every datagram. From that log the cells
# check what went over the wire: the negotiated suite and extensions;
# that our flights of several records (server flight 4, client flight 5,
# the ChangeCipherSpec+Finished flights) really went as one datagram each,
# the only form in which upstream got them, so that its completing the
# handshake without an error in its log shows it took them; one handshake
# message per record; and that no tls12_cid record (content type 25) is
# ever sent.
#
# Cells run in parallel (UPSTREAM_JOBS, default 4), each with its own
# address and folder; a matrix of PASS/FAIL lines ends the output.
# UPSTREAM_CELLS=REGEX runs only the cells whose names match.
BIN=${1:?usage: test-upstream.sh BINDIR}
. "$(dirname "$0")/lib.sh"

need_upstream
build_upstream || finish
OBSERVER=$BIN/upstream-observer
build "$OBSERVER" "$ROOT/ctests/upstream-observer.c" -O2 || finish

OUR_SO=$(realpath "$BUILD/lib/libtinydtls.so.0")
UP_SO=$(realpath "$UPSTREAM_BUILD/libtinydtls.so.0")
JOBS=${UPSTREAM_JOBS:-4}
CELL_LIMIT=60          # seconds; a cell is stopped (and fails) after that

CONNECTED="$(event_re $EV_CONNECTED)"
# Upstream's library logs "Handshake complete" (debug), ours "handshake
# complete (suite)" (info): either tells that a program running upstream's
# dtls-client or dtls-server is connected (both run with -v 6).
COMPLETE="[Hh]andshake complete"
LINES=("first line" "second line: with colons" "third line, the last")

PSK8=TLS_PSK_WITH_AES_128_CCM_8
PSK16=TLS_PSK_WITH_AES_128_CCM
ECDHE8=TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
ECDHE16=TLS_ECDHE_ECDSA_WITH_AES_128_CCM
declare -A SUITE_ID=([$PSK8]=C0A8 [$PSK16]=C0A4 [$ECDHE8]=C0AE [$ECDHE16]=C0AC)

# ---- one cell: observer, server, client ----------------------------------

# Kinds of program: "our" (ctests/dtls-*.c on our library), "up" (upstream's
# program on upstream's library), "swap" (upstream's program on ours).
# prog ROLE KIND: sets CMD to the command that runs it.
prog() {
  case $2 in
    our) CMD=("$BIN/dtls-$1") ;;
    up) CMD=("$UPSTREAM_BUILD/tests/dtls-$1") ;;
    swap) CMD=(env "LD_LIBRARY_PATH=$BUILD/lib" "$UPSTREAM_BUILD/tests/dtls-$1") ;;
  esac
}

# /proc/net/udp shows an IPv4 address as the hex of its 32 bits in host
# order (reversed bytes on little-endian machines) and the port in hex.
hexaddr() {
  local IFS=. a
  read -r -a a <<<"$1"
  if [ "$(printf '\1\0' | od -An -tx2 | tr -d ' ')" = 0001 ]; then   # little-endian
    printf '%02X%02X%02X%02X' "${a[3]}" "${a[2]}" "${a[1]}" "${a[0]}"
  else
    printf '%02X%02X%02X%02X' "${a[0]}" "${a[1]}" "${a[2]}" "${a[3]}"
  fi
}
# wait_bound ADDR PORT: until a UDP socket is bound there (upstream's client
# sends its ClientHello once and never again, so the server must be ready).
wait_bound() { wait_for /proc/net/udp " $(hexaddr "$1"):$(printf %04X "$2") " 10; }

# setup SKIND CKIND SERVER_ARGS... -- CLIENT_ARGS...: starts the observer
# on a fresh 127.X.Y.Z:20220, the server behind it, and the client with
# its stdin on a fifo. Sets SKIND, CKIND, ADDR, DATA (where the client's
# received data goes).
setup() {
  SKIND=$1 CKIND=$2
  shift 2
  local sargs=() cargs=() sport
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
  prog server "$SKIND"
  bg server "${CMD[@]}" -A "$ADDR" -p "$sport" -v 6 "${sargs[@]}"
  if ! wait_bound "$ADDR" "$sport"; then
    fail "server listening on $ADDR:$sport"
    return 1
  fi
  if [ "$CKIND" = our ]; then
    DATA=$T/client.data
    cargs=(-o "$DATA" "${cargs[@]}")
    : >"$DATA"
  else
    DATA=$T/client.out
  fi
  prog client "$CKIND"
  bg_fifo client "${CMD[@]}" -v 6 "${cargs[@]}" "$ADDR"
  return 0
}

# ready ROLE [N [SECONDS]]: until ROLE has completed N handshakes.
ready() {
  local role=$1 n=${2:-1} secs=${3:-15} kind
  [ "$role" = server ] && kind=$SKIND || kind=$CKIND
  if [ "$kind" = our ]; then
    wait_for "$T/$role.err" "$CONNECTED" "$secs" "$n"
  else
    wait_for "$T/$role.out" "$COMPLETE" "$secs" "$n"
  fi
}
handshake() { ready client "${1:-1}" && ready server "${1:-1}"; }

# echo_line LINE: the client sends it (upstream's client reads stdin with
# fgets, so one line at a time), the server gets it and echoes it back.
echo_line() {
  say client "$1"
  wait_for "$DATA" "^$1\$" 10 && grep -q -x -e "$1" "$T/server.out"
}
echo_lines() {
  local l
  for l in "$@"; do echo_line "$l" || return 1; done
}

# ---- what the observer saw ---------------------------------------------------

W() { grep -E -e "$1" "$T/obs.out"; }            # datagrams matching
NW() { grep -c -E -e "$1" "$T/obs.out"; }        # how many
MULTI='len=[0-9]+ records=([2-9]|[1-9][0-9]+) \|'
DG='#[0-9]+ t=[0-9.]+'
FLIGHT4="^s2c $DG $MULTI 22:0:2 .*22:0:14\$"   # ServerHello .. ServerHelloDone
FLIGHT6="^s2c $DG $MULTI 20:0 22:1\$"           # CCS, Finished
FLIGHT5="^c2s $DG $MULTI .*22:0:16 .*20:0 22:1\$" # .. ClientKeyExchange .. CCS, Finished
# The same when the client uses the CID our server handed out (its Finished
# is a tls12_cid record; the client's own CID is empty, so the server's
# records stay plain).
FLIGHT5_CID="^c2s $DG $MULTI .*22:0:16 .*20:0 25:1 cid-record"

# only PATTERN CARRIER N: the datagrams with a record matching CARRIER
# (a message of one of our flights) all match PATTERN (the whole flight in
# one datagram of several records), and there are at least N of them:
# whatever the peer received of that flight came in such datagrams.
# (There can be more than N: under load upstream's slow ECC can keep the
# peer busy past our retransmission timer, and we send the flight again.)
only() {
  local carriers matching
  carriers=$(NW "$2")
  matching=$(NW "$1")
  [ "$carriers" -eq "$matching" ] && [ "$matching" -ge "$3" ]
}

# upstream_ok ROLE: upstream's library logged no error handling a
# handshake record (e.g. "Fragment size does not match packet size").
upstream_ok() { ! grep -q -E "Fragment size does not match|error 0x[0-9a-f]+ handling" "$T/$1.out"; }

# wire_check N [cid]: the datagram checks of a cell with N handshakes: our
# side's flights of several records went as one datagram each (see only),
# and upstream's side logged no error handling them; one handshake message
# per record; no tls12_cid record (with "cid": the client's tls12_cid
# records, between two of our libraries).
wire_check() {
  local n=${1:-1} cid=${2:-} line f4=$FLIGHT4 f5=$FLIGHT5 f6=$FLIGHT6
  [ -n "$cid" ] && f5=$FLIGHT5_CID
  if [ "$SKIND" != up ]; then
    line=$(W "$f4" | head -n 1)
    check "wire: server flight 4 (our library) in one datagram of several records (sent $(NW "$f4") time(s) in $n handshake(s)): ${line:0:110}..." \
      only "$f4" "^s2c .* 22:0:2( |\$)" "$n"
    line=$(W "$f6" | head -n 1)
    check "wire: server CCS+Finished (our library) in one datagram of several records (sent $(NW "$f6") time(s) in $n handshake(s)): $line" \
      only "$f6" "^s2c .*\| 20:0" "$n"
  else
    check "wire: upstream's server sends one record per datagram" \
      not grep -q -E "^s2c .*$MULTI" "$T/obs.out"
  fi
  if [ "$CKIND" != up ]; then
    line=$(W "$f5" | head -n 1)
    check "wire: client flight 5 (our library) in one datagram of several records (sent $(NW "$f5") time(s) in $n handshake(s)): $line" \
      only "$f5" "^c2s .* 22:0:16( |\$)" "$n"
  else
    check "wire: upstream's client sends one record per datagram" \
      not grep -q -E "^c2s .*$MULTI" "$T/obs.out"
  fi
  [ "$SKIND" = up ] && check "upstream's server logged no error handling our records" upstream_ok server
  [ "$CKIND" = up ] && check "upstream's client logged no error handling our records" upstream_ok client
  check "wire: one handshake message per record" not grep -q -E ' 22:0:[0-9]+:[0-9]' "$T/obs.out"
  if [ -n "$cid" ]; then
    check "wire: the client sends tls12_cid records (content type 25), the server none" \
      eval 'grep -q "^c2s .* 25:" "$T/obs.out" && ! grep -q "^s2c .* 25:" "$T/obs.out"'
  else
    check "wire: no tls12_cid record (content type 25) either way" \
      eval 'test -s "$T/obs.out" && ! grep -q " 25:" "$T/obs.out"'
  fi
}

# check_suite SUITE: the ServerHello chose it.
check_suite() {
  check "wire: ServerHello chose $1" grep -q "sh-suite=${SUITE_ID[$1]} " "$T/obs.out"
}
# has_ext DIR EXT: the Client/ServerHello (ch/sh) lists the extension.
has_ext() { grep -q -E "$1-ext=([0-9]+,)*$2(,|\$| )" "$T/obs.out"; }

# maps ROLE SO: the process of ROLE has SO mapped (the dynamic library it
# runs on) and not the other one.
maps() {
  local pidvar="PID_$1" other
  [ "$2" = "$OUR_SO" ] && other=$UP_SO || other=$OUR_SO
  wait_for "/proc/${!pidvar}/maps" "$2" 5 && ! grep -q -F "$other" "/proc/${!pidvar}/maps"
}

# ---- the cells -----------------------------------------------------------------

# basic SKIND CKIND SUITE [AUTH [SERVER_OPTS [CLIENT_OPTS]]]: handshake,
# echo of several lines, the wire checks; AUTH is auth/noauth for ECDHE
# (whether the server asked for the client's key) or "-" to skip.
basic() {
  local sk=$1 ck=$2 suite=$3 auth=${4:--} sopts=() copts=()
  read -r -a sopts <<<"${5:-}"
  read -r -a copts <<<"${6:-}"
  setup "$sk" "$ck" -c "$suite" "${sopts[@]}" -- -c "$suite" "${copts[@]}" || return
  check "handshake completes on both sides" handshake
  check_suite "$suite"
  check "echo of ${#LINES[@]} lines, each seen by the server and back at the client" \
    echo_lines "${LINES[@]}"
  case $auth in
    auth)
      check "wire: server asked for the client's key (CertificateRequest)" \
        grep -q -E '^s2c .* 22:0:13( |$)' "$T/obs.out"
      check "wire: client sent Certificate and CertificateVerify" \
        eval 'grep -q -E "^c2s .* 22:0:11( |\$)" "$T/obs.out" && grep -q -E "^c2s .* 22:0:15( |\$)" "$T/obs.out"' ;;
    noauth)
      check "wire: no CertificateRequest" not grep -q ' 22:0:13' "$T/obs.out"
      check "wire: no client Certificate, no CertificateVerify" \
        not grep -q -E '^c2s .*( 22:0:11| 22:0:15)' "$T/obs.out" ;;
  esac
  case " ${5:-} " in *" -e "*)
    check "wire: extended_master_secret (23) in the ServerHello" has_ext sh 23 ;;
  esac
  case " ${5:-} " in *" -r "*)
    check "wire: renegotiation_info (65281) in the ServerHello" has_ext sh 65281 ;;
  esac
  wire_check 1
}

# hint: our server sends a PSK identity hint; upstream's client gets it.
hint() {
  setup our up -c "$PSK8" -H Server_hint -- -c "$PSK8" || return
  check "handshake completes on both sides" handshake
  check "wire: flight 4 has a ServerKeyExchange" grep -q -E '^s2c .* 22:0:12( |$)' "$T/obs.out"
  check "upstream's client got the hint" grep -q "got psk_identity_hint: 'Server_hint'" "$T/client.out"
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
  wire_check 1
}

# close_client SKIND CKIND: client:close; both sides see the association end.
close_client() {
  setup "$1" "$2" -c "$PSK8" -- -c "$PSK8" || return
  check "handshake completes on both sides" handshake
  check "echo before closing" echo_line "before close"
  say client "client:close"
  if [ "$SKIND" = our ]; then
    check "our server gets close_notify (event level=1 code=0)" wait_for "$T/server.err" "level=1 code=0" 10
  else
    check "upstream's server gets close_notify" wait_for "$T/server.out" "invalidate peer (Close Notify)" 10
  fi
  if [ "$CKIND" = our ]; then
    check "our client sees the server's close_notify (event level=1 code=0)" \
      wait_for "$T/client.err" "level=1 code=0" 10
    check "our client exits with status 0" wait_exit client 10
  else
    check "upstream's client gets the server's close_notify" \
      wait_for "$T/client.out" "invalidate peer (Close Notify)" 10
  fi
  wire_check 1
}

# close_server SKIND CKIND: the client sends "server:close"; the server
# closes; both sides see the association end.
close_server() {
  setup "$1" "$2" -c "$PSK8" -- -c "$PSK8" || return
  check "handshake completes on both sides" handshake
  check "echo before closing" echo_line "before close"
  say client "server:close"
  check "the server announces it" wait_for "$T/server.out" "server: closing connection" 10
  if [ "$CKIND" = our ]; then
    check "our client gets close_notify (event level=1 code=0)" wait_for "$T/client.err" "level=1 code=0" 10
    check "our client exits with status 0" wait_exit client 10
  else
    check "upstream's client gets close_notify" wait_for "$T/client.out" "invalidate peer (Close Notify)" 10
  fi
  if [ "$SKIND" = our ]; then
    check "our server sees the client's answer (event level=1 code=0)" \
      wait_for "$T/server.err" "level=1 code=0" 10
  else
    check "upstream's server sees the client's answer" \
      wait_for "$T/server.out" "invalidate peer (Close Notify)" 10
  fi
  wire_check 1
}

# rehandshake SKIND CKIND SUITE: client:rehandshake (a new context on the
# same socket, RFC 6347 §4.2.8); the new handshake completes, data flows.
rehandshake() {
  setup "$1" "$2" -c "$3" -- -c "$3" || return
  check "handshake completes on both sides" handshake
  check "echo before the rehandshake" echo_line "before rehandshake"
  say client "client:rehandshake"
  check "the second handshake completes on both sides" handshake 2
  check "echo of ${#LINES[@]} lines after it" echo_lines "${LINES[@]}"
  check "no fatal alert" not grep -q "level=2" "$T/client.err" "$T/server.err"
  wire_check 2
}

# wrong_psk SKIND CKIND: the client has another key. Both sides must end
# or report the failure in bounded time. Our side runs with a 25 ms first
# timeout, so that its retransmission schedule (7 retransmissions, then
# the handshake is abandoned with a fatal handshake_failure event) ends
# after about 6.4 s instead of 183 s.
wrong_psk() {
  printf 'wrongPSK' >"$T/badkey"
  local sopts=(-c "$PSK8") copts=(-c "$PSK8" -k "$T/badkey")
  [ "$1" = our ] && sopts+=(-T 25)
  [ "$2" = our ] && copts+=(-T 25)
  setup "$1" "$2" "${sopts[@]}" -- "${copts[@]}" || return
  if [ "$SKIND" = our ]; then
    check "our server ends the handshake with a fatal event (level=2)" \
      wait_for "$T/server.err" "level=2" 20
    check "wire: our server sends the client an alert" grep -q -E "^s2c .*\| 21:" "$T/obs.out"
  else
    check "upstream's server reports the failure (decryption failed)" \
      wait_for "$T/server.out" "decryption failed" 20
  fi
  if [ "$CKIND" = our ]; then
    check "our client ends with a fatal event (level=2)" wait_for "$T/client.err" "level=2" 20
    wait_exit client 5
    check "our client exits with status 1" test $? -eq 1
  else
    check "upstream's client ends or reports the failure (alert or error in its log)" \
      wait_for "$T/client.out" "Alert: level 2\|invalidate peer\|decryption failed\|error 0x" 3
  fi
  check "never connected" eval '! grep -q "$CONNECTED" "$T"/*.err && ! grep -q "$COMPLETE" "$T"/*.out'
}

# cid CLIENT_OPTS: our client against upstream's server, with or without
# -z; upstream ignores the connection_id extension; no CID is ever used.
cid() {
  local z=${1:-}
  setup up our -c "$PSK8" -- -c "$PSK8" ${z:+"$z"} || return
  check "handshake completes on both sides" handshake
  if [ -n "$z" ]; then
    check "wire: our ClientHello offers connection_id (54)" has_ext ch 54
    check "upstream's server ignores it (unsupported tls extension: 54)" \
      grep -q "unsupported tls extension: 54" "$T/server.out"
  else
    check "wire: our ClientHello without -z has no connection_id (54)" not has_ext ch 54
  fi
  check "wire: upstream's ServerHello has no connection_id" not has_ext sh 54
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
  wire_check 1
}

# swap SKIND CKIND SUITE: at least one side is upstream's program on our
# library (LD_LIBRARY_PATH); /proc/PID/maps shows which library each runs.
swap() {
  local suite=$3 args=()
  [ -n "$suite" ] && args=(-c "$suite")
  setup "$1" "$2" "${args[@]}" -- "${args[@]}" || return
  local role kind
  for role in server client; do
    [ "$role" = server ] && kind=$SKIND || kind=$CKIND
    case $kind in
      swap) check "upstream's dtls-$role runs on our library ($(basename "$OUR_SO"), not upstream's)" \
              maps "$role" "$OUR_SO" ;;
      up) check "upstream's dtls-$role runs on upstream's library" maps "$role" "$UP_SO" ;;
    esac
  done
  check "handshake completes on both sides" handshake
  [ -n "$suite" ] && check_suite "$suite"
  [ -z "$suite" ] && check "wire: default suites chose $ECDHE8" grep -q "sh-suite=C0AE " "$T/obs.out"
  check "echo of ${#LINES[@]} lines" echo_lines "${LINES[@]}"
  if [ "$CKIND" = swap ]; then
    check "wire: our library's default ClientHello offers connection_id (54)" has_ext ch 54
  fi
  if [ "$CKIND" = swap ] && [ "$SKIND" = our ]; then
    # Both ends on our library: the CID is negotiated and used.
    check "wire: our server accepts it (connection_id in the ServerHello)" has_ext sh 54
    wire_check 1 cid
    return
  fi
  [ "$CKIND" = swap ] && check "wire: upstream's ServerHello has no connection_id" not has_ext sh 54
  wire_check 1
}

# ---- running the cells in parallel ---------------------------------------------

MAIN_T=$T
CELLS=()
declare -A CELL_DESC CELL_CMD CELL_PID CELL_START CELL_TIME

CELL_FILTER=${UPSTREAM_CELLS:-.}   # cell() is lib.sh's; the cells run in parallel here

cell_cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
}

start_cell() {
  local name=$1
  (
    T=$MAIN_T/$name
    mkdir -p "$T"
    PIDS=()
    FAILS=0
    trap cell_cleanup EXIT
    trap 'echo "  FAIL stopped after ${CELL_LIMIT} s"; exit 1' TERM
    eval "${CELL_CMD[$name]}"
    echo "$FAILS" >"$MAIN_T/$name.fails"
  ) >"$MAIN_T/$name.log" 2>&1 &
  CELL_PID[$name]=$!
  CELL_START[$name]=$SECONDS
  PIDS+=($!)
}

run_cells() {
  local queue=() running=() still name
  # The slow cells (wrong keys: about 10 s of retransmissions) first.
  for name in "${CELLS[@]}"; do [[ $name == *wrong* ]] && queue+=("$name"); done
  for name in "${CELLS[@]}"; do [[ $name == *wrong* ]] || queue+=("$name"); done
  while [ ${#queue[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
    while [ ${#queue[@]} -gt 0 ] && [ ${#running[@]} -lt "$JOBS" ]; do
      start_cell "${queue[0]}"
      running+=("${queue[0]}")
      queue=("${queue[@]:1}")
    done
    still=()
    for name in "${running[@]}"; do
      if kill -0 "${CELL_PID[$name]}" 2>/dev/null; then
        if [ $((SECONDS - CELL_START[$name])) -gt "$CELL_LIMIT" ]; then
          kill "${CELL_PID[$name]}" 2>/dev/null
        fi
        still+=("$name")
      else
        wait "${CELL_PID[$name]}" 2>/dev/null
        CELL_TIME[$name]=$((SECONDS - CELL_START[$name]))
      fi
    done
    running=("${still[@]}")
    [ ${#running[@]} -gt 0 ] && sleep 0.1
  done
}

O="our dtls-server <- upstream dtls-client:"
U="upstream dtls-server <- our dtls-client:"
declare -A SHORT=([$PSK8]=psk-ccm8 [$PSK16]=psk-ccm [$ECDHE8]=ecdhe-ccm8 [$ECDHE16]=ecdhe-ccm)
for s in "$PSK8" "$PSK16"; do
  cell "A-${SHORT[$s]}" "$O $s, handshake, echo" basic our up "$s"
done
for s in "$ECDHE8" "$ECDHE16"; do
  cell "A-${SHORT[$s]}-auth" "$O $s, client authenticated, handshake, echo" basic our up "$s" auth
  cell "A-${SHORT[$s]}-noauth" "$O $s, no client auth (server -n), handshake, echo" basic our up "$s" noauth -n
done
cell A-ems "$O $ECDHE8, -e on both sides" basic our up "$ECDHE8" auth -e -e
cell A-ri "$O $PSK8, -r on both sides" basic our up "$PSK8" - -r -r
cell A-ems-ri "$O $PSK16, -e -r on both sides" basic our up "$PSK16" - "-e -r" "-e -r"
cell A-psk-hint "$O $PSK8, PSK identity hint (server -H)" hint
cell A-client-close "$O client:close, both sides see the end" close_client our up
cell A-server-close "$O server:close, both sides see the end" close_server our up
cell A-rehandshake "$O client:rehandshake ($ECDHE8), data after it" rehandshake our up "$ECDHE8"
cell A-wrong-psk "$O wrong PSK, both sides end or report it" wrong_psk our up

for s in "$PSK8" "$PSK16"; do
  cell "B-${SHORT[$s]}" "$U $s, handshake, echo" basic up our "$s"
done
for s in "$ECDHE8" "$ECDHE16"; do
  cell "B-${SHORT[$s]}-auth" "$U $s, client authenticated (always), handshake, echo" basic up our "$s" auth
done
cell B-ems "$U $ECDHE8, -e on both sides" basic up our "$ECDHE8" auth -e -e
cell B-ri "$U $PSK8, -r on both sides" basic up our "$PSK8" - -r -r
cell B-ems-ri "$U $PSK16, -e -r on both sides" basic up our "$PSK16" - "-e -r" "-e -r"
cell B-client-close "$U client:close, both sides see the end" close_client up our
cell B-server-close "$U server:close, both sides see the end" close_server up our
cell B-rehandshake "$U client:rehandshake ($ECDHE8), data after it" rehandshake up our "$ECDHE8"
cell B-wrong-psk "$U wrong PSK, both sides end or report it" wrong_psk up our
cell B-cid-none "$U client without -z, no CID on the wire" cid
cell B-cid-z "$U client -z offers a CID, ignored, no CID on the wire" cid -z

SW="upstream's program on OUR library:"
cell S-server-up "$SW dtls-server <- upstream dtls-client, default suites" swap swap up ""
cell S-server-up-psk "$SW dtls-server <- upstream dtls-client, $PSK8" swap swap up "$PSK8"
cell S-server-our "$SW dtls-server <- our dtls-client, default suites" swap swap our ""
cell S-client-up "$SW dtls-client -> upstream dtls-server, default suites" swap up swap ""
cell S-client-up-psk "$SW dtls-client -> upstream dtls-server, $PSK8" swap up swap "$PSK8"
cell S-client-our "$SW dtls-client -> our dtls-server, default suites" swap our swap ""

started=$SECONDS
run_cells

declare -A RESULT
for name in "${CELLS[@]}"; do
  echo "[$name] ${CELL_DESC[$name]}"
  cat "$MAIN_T/$name.log"
  f=$(cat "$MAIN_T/$name.fails" 2>/dev/null || echo stopped)
  if [ "$f" = 0 ]; then RESULT[$name]=PASS; else RESULT[$name]=FAIL; FAILS=$((FAILS + 1)); fi
done

echo
echo "interop matrix against upstream tinydtls ($(basename "$UPSTREAM_TARBALL" .tar.gz)), $((SECONDS - started)) s"
for name in "${CELLS[@]}"; do
  printf '  %-4s  %-20s %3s s  %s\n' "${RESULT[$name]}" "$name" "${CELL_TIME[$name]:-?}" "${CELL_DESC[$name]}"
done
if [ "$FAILS" -ne 0 ]; then
  echo "$FAILS cell(s) failed"
  exit 1
fi
exit 0
