#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Interoperability with Debian's OpenSSL (openssl s_client / s_server) over
# DTLS 1.2 with PSK, data in both directions.
BIN=${1:?usage: test-openssl.sh BINDIR}
. "$(dirname "$0")/lib.sh"

command -v openssl >/dev/null || { echo "openssl not installed"; exit 1; }

for pair in "PSK-AES128-CCM8 TLS_PSK_WITH_AES_128_CCM_8" "PSK-AES128-CCM TLS_PSK_WITH_AES_128_CCM"; do
  set -- $pair; ossl=$1; ours=$2

  # openssl s_client -> our dtls-server
  port=$(freeport)
  rm -f "$T"/*.out "$T"/*.err "$T"/*.in
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$port" -c "$ours"
  bg_fifo ossl openssl s_client -dtls1_2 -connect "127.0.0.1:$port" \
    -psk_identity Client_identity -psk $PSKHEX -cipher "$ossl"
  check "s_client -> dtls-server $ossl: handshake" wait_for "$T/server.err" "$(event_re $EV_CONNECTED)" 15
  check "s_client -> dtls-server $ossl: OpenSSL negotiated the suite" wait_for "$T/ossl.out" "Cipher is $ossl" 10
  check "s_client -> dtls-server $ossl: extended master secret" wait_for "$T/ossl.out" "Extended master secret: yes" 5
  say ossl "hello from openssl s_client"
  check "s_client -> dtls-server $ossl: server received data" wait_for "$T/server.out" "hello from openssl s_client" 10
  check "s_client -> dtls-server $ossl: echo came back" wait_for "$T/ossl.out" "hello from openssl s_client" 10
  eval "exec ${FD_ossl}>&-"   # EOF: s_client sends close_notify
  check "s_client -> dtls-server $ossl: close_notify seen by the server" wait_for "$T/server.err" "level=1 code=0" 10
  kill "$PID_server" "$PID_ossl" 2>/dev/null; wait "$PID_server" "$PID_ossl" 2>/dev/null

  # our dtls-client -> openssl s_server
  port=$(freeport)
  rm -f "$T"/*.out "$T"/*.err "$T"/*.in
  bg_fifo ossl openssl s_server -dtls1_2 -accept "127.0.0.1:$port" -nocert \
    -psk $PSKHEX -psk_hint Client_identity -cipher "$ossl" -naccept 1
  check "dtls-client -> s_server $ossl: s_server listening" wait_for "$T/ossl.out" "ACCEPT" 10
  bg_fifo client "$BIN/dtls-client" -c "$ours" 127.0.0.1 "$port"
  check "dtls-client -> s_server $ossl: handshake" wait_for "$T/client.err" "$(event_re $EV_CONNECTED)" 15
  check "dtls-client -> s_server $ossl: OpenSSL negotiated the suite" wait_for "$T/ossl.out" "CIPHER is $ossl" 10
  say client "hello from tinydtls client"
  check "dtls-client -> s_server $ossl: s_server received data" wait_for "$T/ossl.out" "hello from tinydtls client" 10
  say ossl "hello from openssl s_server"
  check "dtls-client -> s_server $ossl: client received data" wait_for "$T/client.out" "hello from openssl s_server" 10
  say client "client:exit"
  check "dtls-client -> s_server $ossl: client exits" wait_exit client 10
  kill "$PID_ossl" 2>/dev/null; wait "$PID_ossl" 2>/dev/null
  eval "exec ${FD_ossl}>&-"
done
finish
