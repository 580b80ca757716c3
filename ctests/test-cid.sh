#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Connection ID (RFC 9146) end to end: a UDP proxy rebinds the client's
# source port mid-association, as a NAT would. With a CID (dtls-client -z)
# the association follows the client and data continues both ways, also
# through a renegotiation; without one the server no longer knows the
# client. Then the record size limit (RFC 8449) with GnuTLS, which
# advertises one with --recordsize.
BIN=${1:?usage: test-cid.sh BINDIR}
. "$(dirname "$0")/lib.sh"

build_proxy || finish

# echo_ok LINE [SECONDS]: says LINE and waits for its echo.
echo_ok() { say client "$1"; wait_for "$T/client.out" "^$1\$" "${2:-10}"; }

run_case() { # NAME CLIENT_ARGS...
  local name=$1; shift
  rm -f "$T"/server.* "$T"/client.* "$T"/proxy.*
  port=$(freeport)
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$port" -c TLS_PSK_WITH_AES_128_CCM_8
  # The handshake takes 3 client datagrams, then 2 lines; the 6th
  # datagram from the client leaves from a new port.
  start_proxy "$port" -T 60 -R 5 || { fail "$name: proxy"; return; }
  bg_fifo client "$BIN/dtls-client" "$@" -c TLS_PSK_WITH_AES_128_CCM_8 127.0.0.1 "$PPORT"
  check "$name: handshake" wait_for "$T/client.err" "$(event_re $EV_CONNECTED)" 15
  echo_ok "before one" && echo_ok "before two"
  check "$name: lines before the rebinding echo" test $? -eq 0
}

# 1. With a Connection ID the association survives the rebinding.
run_case "CID"  -z
check "CID: a line after the rebinding echoes" echo_ok "after the move" 10
check "CID: more lines both ways" echo_ok "still flowing" 10
say client "client:renegotiate"
check "CID: renegotiation after the move starts (DTLS_EVENT_RENEGOTIATE)" wait_for "$T/client.err" "$(event_re $EV_RENEGOTIATE)" 10
check "CID: and completes on the server (second DTLS_EVENT_CONNECTED)" wait_for "$T/server.err" "$(event_re $EV_CONNECTED)" 10 2
check "CID: data after the renegotiation" echo_ok "after renegotiation" 10
check "CID: no fatal alert" not grep -q 'level=2' "$T/client.err" "$T/server.err"
say client "client:exit"
wait_exit client 10 >/dev/null
kill "$PID_proxy" "$PID_server" 2>/dev/null; wait "$PID_proxy" "$PID_server" 2>/dev/null
check "CID: the proxy rebound the client once" grep -q "rebinds=1" "$T/proxy.err"

# 2. Without one, the server cannot tell the moved client from a stranger.
run_case "no CID"
say client "lost after the move"
check "no CID: a line after the rebinding gets no echo" not wait_for "$T/client.out" '^lost after the move$' 3
say client "client:exit"
wait_exit client 10 >/dev/null
kill "$PID_proxy" "$PID_server" 2>/dev/null; wait "$PID_proxy" "$PID_server" 2>/dev/null

# 3. Record size limit: gnutls-cli advertises record_size_limit (512, its
# smallest) and honours ours; a 512-byte record goes both ways. (That our
# side never sends past a peer's limit, and rejects records past its own,
# is tested in core/engine/cid_test.go.)
if command -v gnutls-cli >/dev/null; then
  rm -f "$T"/server.* "$T"/gcli.*
  port=$(freeport)
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$port" -c TLS_PSK_WITH_AES_128_CCM_8
  bg_fifo gcli gnutls-cli --udp -p "$port" 127.0.0.1 --recordsize=512 -d 4 \
    --priority "$GNUTLS_BASEPRIO:+PSK:-CIPHER-ALL:+AES-128-CCM-8" \
    --pskusername Client_identity --pskkey "$PSKHEX"
  check "record size limit: GnuTLS handshake" wait_for "$T/server.err" "$(event_re $EV_CONNECTED)" 15
  check "record size limit: GnuTLS sent the extension" grep -q "Sending extension Record Size Limit/28" "$T/gcli.out" "$T/gcli.err"
  check "record size limit: our ServerHello acknowledged it" grep -q "Parsing extension 'Record Size Limit/28'" "$T/gcli.out" "$T/gcli.err"
  line=$(printf 'r%0510d' 7)   # 511 characters and the newline: exactly 512
  say gcli "$line"
  check "record size limit: a 512-byte record reaches the server" wait_for "$T/server.out" "$line" 10
  check "record size limit: and its echo, at the limit, reaches GnuTLS" wait_for "$T/gcli.out" "^$line" 10
  check "record size limit: no error at GnuTLS" not grep -qi 'overflow\|fatal' "$T/gcli.out"
  check "record size limit: no fatal alert at dtls-server" not grep -q 'level=2' "$T/server.err"
  kill "$PID_gcli" "$PID_server" 2>/dev/null; wait "$PID_gcli" "$PID_server" 2>/dev/null
else
  fail "gnutls-cli not installed"
fi
finish
