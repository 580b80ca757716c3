#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make demo: the example server and client complete a PSK handshake over
# UDP loopback and echo a few lines. Shows both sides' output.
BIN=${1:?usage: demo.sh BINDIR}
. "$(dirname "$0")/lib.sh"

port=$(freeport)
echo "== dtls-server on 127.0.0.1:$port (PSK identity Client_identity, key secretPSK)"
bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$port" -v 4
echo "== dtls-client -c TLS_PSK_WITH_AES_128_CCM_8 127.0.0.1 $port"
bg_fifo client "$BIN/dtls-client" -c TLS_PSK_WITH_AES_128_CCM_8 -v 4 127.0.0.1 "$port"

ok=1
wait_for "$T/client.err" "$(event_re $EV_CONNECTED)" 15 || ok=0
if [ $ok = 1 ]; then
  echo "== handshake complete; sending three lines"
  for line in "Hello, DTLS!" "tinydtls API, Go engine" "bye"; do
    say client "$line"
    wait_for "$T/client.out" "^$line\$" 10 || ok=0
  done
  say client "client:exit"
  wait_exit client 10 || true
fi
kill "$PID_server" 2>/dev/null; wait "$PID_server" 2>/dev/null

echo "---- client stdout (what the server echoed)"; cat "$T/client.out"
echo "---- client stderr";                         cat "$T/client.err"
echo "---- server stdout (what it received)";       cat "$T/server.out"; echo
echo "---- server stderr";                         cat "$T/server.err"
if [ $ok = 1 ]; then echo "== demo OK: handshake and echo"; exit 0; fi
echo "== demo FAILED"; exit 1
