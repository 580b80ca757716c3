#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Handshakes and data over an impaired link: ctests/tools/udp-proxy sits
# between the peers and, from a fixed seed, drops 25%, duplicates 10% and
# reorders 10% of the datagrams in each direction.
#   * dtls-client <-> dtls-server, PSK (TLS_PSK_WITH_AES_128_CCM_8) and
#     ECDHE-ECDSA (the default suites)
#   * a link that is down for a while (mid-handshake blackout) and a server
#     that starts late: the handshake completes by retransmission
#   * dtls-client <-> gnutls-serv and gnutls-cli <-> dtls-server, PSK and
#     raw public keys (GnuTLS retransmits on its own)
#   * client:renegotiate, over a clean and over an impaired link
# The example client sends each stdin line once, so a line or its echo may
# be lost: a line whose echo has not come back within a few seconds is sent
# again.  Every line must eventually come back, and no side may ever show
# more copies of a line than were sent (duplicated datagrams are replays).
# The cases are independent and run at the same time (at most LOSSY_JOBS,
# default 10); each one's output is printed when all are done.
# Knobs for debugging and soak runs: LOSSY_CASES="NAME..." runs only the
# named cases, LOSSY_SEED shifts every proxy seed, LOSSY_IMPAIR replaces
# "-d 25 -u 10 -r 10", LOSSY_V=6 runs our programs with -v 6 (their log
# goes to stdout), KEEP_TMP=1 keeps every log (the proxy's stderr has the
# fate of each datagram).
BIN=${1:?usage: test-lossy.sh BINDIR}
. "$(dirname "$0")/lib.sh"

for tool in gnutls-cli gnutls-serv openssl stdbuf; do
  command -v "$tool" >/dev/null || { echo "$tool not installed (apt-get install gnutls-bin openssl)"; exit 1; }
done

build_proxy || finish

# shellcheck disable=SC2206
IMPAIR=(${LOSSY_IMPAIR:--d 25 -u 10 -r 10})
SEED_BASE=${LOSSY_SEED:-0}
# Every proxy logs each datagram's fate and outlives the longest case.
PROXY_OPTS=(-T 170 -v)
VOPT=()
[ -n "${LOSSY_V:-}" ] && VOPT=(-v "$LOSSY_V")
PSK_SUITE=TLS_PSK_WITH_AES_128_CCM_8
RPK_SUITE=TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8

# GnuTLS's side, made once for all cases (each case has its own $T).
KEYS=$T/keys
gnutls_credentials "$KEYS"
PSKPRIO="$GNUTLS_BASEPRIO:+PSK:-CIPHER-ALL:+AES-128-CCM-8"
RPKPRIO="$GNUTLS_BASEPRIO:+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-CCM-8:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK"

# ---- helpers used inside a case -------------------------------------------

# must DESCRIPTION CMD...: like check, but also returns non-zero on failure
# (for steps the rest of a case depends on).
must() {
  local before=$FAILS
  check "$@"
  [ "$FAILS" -eq "$before" ]
}

# Waiting without a process per tick, as several cases poll at once on a
# busy machine: nap sleeps in read -t on a FIFO that the case holds open
# and nobody writes; await polls a (small) file with bash alone.
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }

# await FILE REGEX SECONDS [N]: until at least N (default 1) lines of FILE
# match the extended regular expression; wall-clock bounded.
await() {
  local file=$1 re=$2 n=${4:-1} line hits
  local end=$((${EPOCHREALTIME//[!0-9]/} + $3 * 1000000))
  local -a lines
  while :; do
    hits=0
    if [ -r "$file" ]; then
      mapfile -t lines <"$file"
      for line in "${lines[@]}"; do
        [[ $line =~ $re ]] && ((++hits >= n)) && return 0
      done
    fi
    ((${EPOCHREALTIME//[!0-9]/} < end)) || return 1
    nap 0.1
  done
}

# stop_proxy LABEL: ends the proxy and shows its summary line.
stop_proxy() {
  kill "$PID_proxy" 2>/dev/null
  wait "$PID_proxy" 2>/dev/null
  echo "  $1: $(grep -m1 'summary' "$T/proxy.err" | sed 's/^udp-proxy: //')"
}

# The peers of the current case (set by each case before roundtrip):
# SENDER writes lines (a bg_fifo name), ECHO_FILE/ECHO_PAT is where their
# echo shows up, SERVER_FILE/SERVER_PAT where the server logs them; the
# patterns get the line and "$" appended.
declare -A SENT=()
SENDER= ECHO_FILE= ECHO_PAT= SERVER_FILE= SERVER_PAT=

# roundtrip LINE...: sends each line (unless it was sent already) and
# again every 2 s, up to 12 times, until its echo is back.  At 25% loss
# each way a round trip fails 44% of the time; 12 in a row, 0.005%.
roundtrip() {
  local l i
  for l in "$@"; do
    for ((i = 0; ; i++)); do
      if [ "$i" -gt 0 ] || [ -z "${SENT[$l]:-}" ]; then
        [ "${SENT[$l]:-0}" -ge 12 ] && { echo "    no echo of '$l' after ${SENT[$l]} sends"; return 1; }
        say "$SENDER" "$l"
        SENT[$l]=$((${SENT[$l]:-0} + 1))
      fi
      await "$ECHO_FILE" "$ECHO_PAT$l\$" 2 && break
    done
  done
}

# no_extra_copies: no line shows up more often (at the server or back at
# the sender) than it was sent.
no_extra_copies() {
  local l ok=0 s e
  for l in "${!SENT[@]}"; do
    s=$(count "$SERVER_FILE" "$SERVER_PAT$l\$")
    e=$(count "$ECHO_FILE" "$ECHO_PAT$l\$")
    if [ "$s" -gt "${SENT[$l]}" ] || [ "$e" -gt "${SENT[$l]}" ] || [ "$s" -lt 1 ]; then
      echo "    '$l': sent ${SENT[$l]}, server has $s, echoed $e"
      ok=1
    fi
  done
  return $ok
}

ours_peers() { SENDER=client ECHO_FILE=$T/client.out ECHO_PAT='^' SERVER_FILE=$T/server.out SERVER_PAT='^'; }

# Ends a case with our client: client:exit, status 0, then the checks on copies.
end_with_client_exit() {
  say client "client:exit"
  check "$1: client:exit ends dtls-client with status 0" wait_exit client 10
  stop_proxy "$1"
  check "$1: no line delivered more often than sent" no_extra_copies
}

# ---- the cases --------------------------------------------------------------

# ours_via_proxy LABEL PROXY_ARGS... -- CLIENT_ARGS...: dtls-server on
# $CASE_PORT, the proxy in front of it and dtls-client through the proxy;
# non-zero unless the client connected.
ours_via_proxy() {
  local label=$1 pargs=()
  shift
  while [ "$1" != -- ]; do pargs+=("$1"); shift; done
  shift
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$CASE_PORT" "${VOPT[@]}"
  must "$label: proxy listening" start_proxy "$CASE_PORT" "${PROXY_OPTS[@]}" "${pargs[@]}" || return
  bg_fifo client "$BIN/dtls-client" "${VOPT[@]}" "$@" 127.0.0.1 "$PPORT"
  must "$label: dtls-client connected" await "$T/client.err" "$(event_re $EV_CONNECTED)" 45 || return
  check "$label: dtls-server connected" await "$T/server.err" "$(event_re $EV_CONNECTED)" 5
  ours_peers
}

# dtls-client <-> lossy proxy <-> dtls-server.
case_ours() { # LABEL SEED CLIENT_ARGS...
  local label=$1 seed=$2
  shift 2
  ours_via_proxy "$label" -s "$((seed + SEED_BASE))" "${IMPAIR[@]}" -- "$@" || return
  check "$label: every line round-trips" roundtrip "$label line one" "$label line two" "$label line three" "$label line four"
  end_with_client_exit "$label"
}

# The link is down for a while in the middle of the handshake: the proxy
# forwards the first 3 datagrams (ClientHello, HelloVerifyRequest, the
# ClientHello with the cookie) and then drops the next 10, whichever side
# sends them; the retransmissions after that get through.
case_blackout() {
  local label="blackout mid-handshake"
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$CASE_PORT" "${VOPT[@]}"
  must "$label: proxy listening" start_proxy "$CASE_PORT" "${PROXY_OPTS[@]}" -b 3:10 || return
  bg_fifo client "$BIN/dtls-client" "${VOPT[@]}" -c "$PSK_SUITE" 127.0.0.1 "$PPORT"
  check "$label: 10 datagrams lost" await "$T/proxy.err" "\\(blackout\\)" 20 10
  must "$label: dtls-client connected after the link came back" await "$T/client.err" "$(event_re $EV_CONNECTED)" 30 || return
  check "$label: dtls-server connected" await "$T/server.err" "$(event_re $EV_CONNECTED)" 5
  check "$label: server datagrams were lost too" grep -q 's2c #.*dropped (blackout)' "$T/proxy.err"
  ours_peers
  check "$label: lines round-trip" roundtrip "after the blackout"
  end_with_client_exit "$label"
}

# Nobody listens behind the proxy until the client has sent its ClientHello
# three times; the server then starts and the next retransmission reaches it.
case_late_server() {
  local label="server starts late"
  must "$label: proxy listening" start_proxy "$CASE_PORT" "${PROXY_OPTS[@]}" || return
  bg_fifo client "$BIN/dtls-client" "${VOPT[@]}" -c "$PSK_SUITE" 127.0.0.1 "$PPORT"
  check "$label: ClientHello sent three times into the void" await "$T/proxy.err" "c2s #3 " 10
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$CASE_PORT" "${VOPT[@]}"
  must "$label: dtls-client connected" await "$T/client.err" "$(event_re $EV_CONNECTED)" 30 || return
  check "$label: dtls-server connected" await "$T/server.err" "$(event_re $EV_CONNECTED)" 5
  ours_peers
  check "$label: lines round-trip" roundtrip "late server line"
  end_with_client_exit "$label"
}

# dtls-client <-> lossy proxy <-> gnutls-serv.
case_gnutls_serv() { # LABEL SEED KIND
  local label=$1 seed=$2 kind=$3
  if [ "$kind" = psk ]; then
    must "$label: gnutls-serv listening" start_gnutls_serv "$PSKPRIO" \
      --pskpasswd "$KEYS/psk.passwd" --pskhint CoAP || return
  else
    must "$label: gnutls-serv listening" start_gnutls_serv "$RPKPRIO" \
      --rawpkkeyfile "$KEYS/server.key.pem" --rawpkfile "$KEYS/server.pub.pem" || return
  fi
  local suite=$PSK_SUITE gsuite=GNUTLS_PSK_AES_128_CCM_8
  [ "$kind" = rpk ] && suite=$RPK_SUITE gsuite=GNUTLS_ECDHE_ECDSA_AES_128_CCM_8
  must "$label: proxy listening" start_proxy "$GPORT" "${PROXY_OPTS[@]}" -s "$((seed + SEED_BASE))" "${IMPAIR[@]}" || return
  bg_fifo client "$BIN/dtls-client" "${VOPT[@]}" -c "$suite" 127.0.0.1 "$PPORT"
  must "$label: dtls-client connected" await "$T/client.err" "$(event_re $EV_CONNECTED)" 45 || return
  check "$label: gnutls-serv selected $gsuite" grep -q "Selected cipher suite: $gsuite\$" "$T/gserv.err"
  SENDER=client ECHO_FILE=$T/client.out ECHO_PAT='^'
  SERVER_FILE=$T/gserv.out SERVER_PAT='^received\[[0-9a-f]*\]: '
  check "$label: every line round-trips" roundtrip "$label line one" "$label line two" "$label line three"
  end_with_client_exit "$label"
  check "$label: no GnuTLS error" not grep -q '^Error in' "$T/gserv.err"
}

# gnutls-cli <-> lossy proxy <-> dtls-server.
case_gnutls_cli() { # LABEL SEED KIND
  local label=$1 seed=$2 kind=$3
  local suite=$PSK_SUITE creds
  creds=(--pskusername Client_identity --pskkey "$PSKHEX" --priority "$PSKPRIO")
  if [ "$kind" = rpk ]; then
    suite=$RPK_SUITE
    creds=(--rawpkkeyfile "$KEYS/client.key.pem" --rawpkfile "$KEYS/client.pub.pem" --insecure --priority "$RPKPRIO")
  fi
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$CASE_PORT" -c "$suite" "${VOPT[@]}"
  must "$label: proxy listening" start_proxy "$CASE_PORT" "${PROXY_OPTS[@]}" -s "$((seed + SEED_BASE))" "${IMPAIR[@]}" || return
  bg_fifo gnutls stdbuf -oL gnutls-cli -V --udp -p "$PPORT" 127.0.0.1 "${creds[@]}"
  must "$label: gnutls-cli completed the handshake" await "$T/gnutls.out" "^- Handshake was completed" 45 || return
  check "$label: dtls-server connected" await "$T/server.err" "$(event_re $EV_CONNECTED)" 5
  SENDER=gnutls ECHO_FILE=$T/gnutls.out ECHO_PAT='Received\[[0-9]*\]: '
  SERVER_FILE=$T/server.out SERVER_PAT='^'
  check "$label: every line round-trips" roundtrip "$label line one" "$label line two" "$label line three"
  eval "exec ${FD_gnutls}>&-"   # EOF: gnutls-cli sends close_notify and ends
  wait_exit gnutls 3 >/dev/null   # it waits for the reply, which may be lost
  stop_proxy "$label"
  check "$label: no line delivered more often than sent" no_extra_copies
  check "$label: no fatal alert at dtls-server" not grep -q 'level=2' "$T/server.err"
}

# client:renegotiate: both sides report DTLS_EVENT_RENEGOTIATE and then a
# second DTLS_EVENT_CONNECTED; data flows before, right after the command,
# and after.
case_renegotiate() { # LABEL SEED PROXY_ARGS...
  local label=$1 seed=$2
  shift 2
  ours_via_proxy "$label" -s "$((seed + SEED_BASE))" "$@" -- -c "$PSK_SUITE" || return
  check "$label: line before renegotiation round-trips" roundtrip "$label before"
  say client "client:renegotiate"
  say client "$label right after"     # held by the client until renegotiated
  SENT["$label right after"]=1
  local conn reneg
  conn=$(event_re $EV_CONNECTED) reneg=$(event_re $EV_RENEGOTIATE)
  check "$label: dtls-client reports DTLS_EVENT_RENEGOTIATE at once" await "$T/client.err" "$reneg" 3
  check "$label: dtls-server reports DTLS_EVENT_RENEGOTIATE" await "$T/server.err" "$reneg" 30
  check "$label: dtls-client reports a second DTLS_EVENT_CONNECTED" await "$T/client.err" "$conn" 45 2
  check "$label: dtls-server reports a second DTLS_EVENT_CONNECTED" await "$T/server.err" "$conn" 10 2
  check "$label: DTLS_EVENT_RENEGOTIATE came before the second DTLS_EVENT_CONNECTED (client)" \
    bash -c "grep -o -e '$conn' -e '$reneg' '$T/client.err' | tr '\n' ' ' | grep -q '$conn $reneg $conn'"
  check "$label: DTLS_EVENT_RENEGOTIATE came before the second DTLS_EVENT_CONNECTED (server)" \
    bash -c "grep -o -e '$conn' -e '$reneg' '$T/server.err' | tr '\n' ' ' | grep -q '$conn $reneg $conn'"
  check "$label: the line sent right after the command round-trips" roundtrip "$label right after"
  check "$label: lines after renegotiation round-trip" roundtrip "$label after one" "$label after two"
  check "$label: no fatal alert" not grep -q 'level=2' "$T/client.err" "$T/server.err"
  end_with_client_exit "$label"
}

# ---- running the cases ------------------------------------------------------

CASES_DIR=$T
JOBS=${LOSSY_JOBS:-10}
CASES=()
# One port per case for our dtls-server, all from one freeport call so that
# concurrent cases cannot be handed the same one.  (The proxies listen on
# ports the kernel picks for them.)
mapfile -t PORTS < <(freeport 16)

# run_case NAME FUNCTION ARGS...: runs the case in a subshell with its own
# scratch directory, processes and $CASE_PORT; output goes to
# $CASES_DIR/NAME.log, the number of failed checks to $CASES_DIR/NAME.rc.
run_case() {
  local name=$1
  shift
  if [ -n "${LOSSY_CASES:-}" ] && [[ " $LOSSY_CASES " != *" $name "* ]]; then return; fi
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  (
    T=$CASES_DIR/$name
    CASE_PORT=${PORTS[${#CASES[@]}]}
    mkdir -p "$T"
    PIDS=()
    FAILS=0
    trap cleanup EXIT
    trap 'exit 143' TERM INT
    trap '' PIPE
    mkfifo "$T/nap"
    exec {NAP_FD}<>"$T/nap"
    local t0=$SECONDS
    "$@"
    echo "  ($name: $((SECONDS - t0)) s)"
    echo "$FAILS" >"$CASES_DIR/$name.rc"
  ) >"$CASES_DIR/$name.log" 2>&1 &
  PIDS+=($!)
  CASES+=("$name")
}

# A signal must not wait for the running cases: exit, and let cleanup
# (the EXIT trap) end them.
trap 'exit 143' TERM INT HUP
START=$SECONDS
# The longest case (GnuTLS's own retransmission timer: its handshake needs
# four tries with this seed) first.
run_case gcli-rpk     case_gnutls_cli "gnutls-cli -> dtls-server RPK, lossy" 18 rpk
run_case ours-psk     case_ours "PSK over a lossy link" 11 -c "$PSK_SUITE"
run_case ours-ecdhe   case_ours "ECDHE over a lossy link" 13
run_case blackout     case_blackout
run_case late-server  case_late_server
run_case reneg-clean  case_renegotiate "renegotiation, clean link" 12
run_case reneg-lossy  case_renegotiate "renegotiation, lossy link" 14 "${IMPAIR[@]}"
run_case gserv-psk    case_gnutls_serv "dtls-client -> gnutls-serv PSK, lossy" 15 psk
run_case gserv-rpk    case_gnutls_serv "dtls-client -> gnutls-serv RPK, lossy" 16 rpk
run_case gcli-psk     case_gnutls_cli "gnutls-cli -> dtls-server PSK, lossy" 17 psk
wait

for name in "${CASES[@]}"; do
  echo "[$name]"
  cat "$CASES_DIR/$name.log"
  if [ -s "$CASES_DIR/$name.rc" ]; then
    FAILS=$((FAILS + $(cat "$CASES_DIR/$name.rc")))
  else
    echo "  FAIL $name did not finish"
    FAILS=$((FAILS + 1))
  fi
done
echo "(lossy cases took $((SECONDS - START)) s, seed base $SEED_BASE)"
finish
