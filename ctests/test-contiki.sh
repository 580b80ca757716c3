#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A Contiki-style application (ctests/contiki-style.c): one single-threaded
# server process with ONE context on one socket, its select() timed by
# dtls_check_retransmit()'s `next`, serving 50 clients at once, PSK and
# ECDHE-ECDSA mixed (all four suites). The 50 clients are 50 contexts and
# sockets in a second single-threaded process; each sends 20 records of
# varying size and checks every echo byte for byte; all stay connected
# until all are done, then close. The server is linked against the .so,
# the clients against the .a. A second round loses handshake datagrams so
# that both loops' retransmission timers are exercised.
BIN=${1:-${BIN:?usage: test-contiki.sh BINDIR}}
. "$(dirname "$0")/lib.sh"
N=${CONTIKI_CLIENTS:-50}
MSGS=${CONTIKI_MESSAGES:-20}
START=$(date +%s)

src=$ROOT/ctests/contiki-style.c
build "$T/contiki" "$src" -O2 "${WITH_LIB[@]}" || finish
build "$T/contiki-static" "$src" -O2 -I"$BUILD/include/tinydtls" \
  "$BUILD/lib/libtinydtls.a" -lpthread -lm || finish

# round NAME CLIENTS MESSAGES DROP: one server, one clients process.
round() {
  local name=$1 n=$2 msgs=$3 drop=$4 port rc psk
  port=$(freeport)
  rm -f "$T"/server.* "$T"/clients.*
  bg server "$T/contiki" server "$port" "$n"
  check "$name: server listens" wait_for "$T/server.out" "listening on 127.0.0.1:$port" 10
  bg clients "$T/contiki-static" clients "$port" "$n" "$msgs" 150 "$drop"
  wait_exit clients 180
  rc=$?
  check "$name: clients process exits 0 (exit $rc)" test $rc -eq 0
  check "$name: all $n clients verified $msgs echoes" \
    test "$(count "$T/clients.out" "^client [0-9]*: $msgs echoes verified")" -eq "$n"
  check "$name: all $n clients finished and closed" \
    grep -q "^clients: finished=$n/$n closed=all dropped=" "$T/clients.out"
  if [ "$drop" -gt 0 ]; then
    check "$name: handshake datagrams were lost" bash -c \
      "grep -q '^clients: .* dropped=[1-9]' '$T/clients.out'"
  fi
  wait_exit server 15
  rc=$?
  check "$name: server saw $n close_notify and exited 0 (exit $rc)" test $rc -eq 0
  check "$name: server reported $n handshakes" test "$(count "$T/server.out" "^server: connected ")" -eq "$n"
  psk=$(( (n / 4) * 2 + (n % 4 > 2 ? 2 : n % 4) ))
  check "$name: server summary: $n handshakes ($psk PSK, $((n - psk)) ECDHE), all $n at once, $((n * msgs)) records, no fatal alert" \
    grep -q "^server: handshakes=$n psk=$psk ecdhe=$((n - psk)) closed=$n max_active=$n fatal=0 records=$((n * msgs))\$" "$T/server.out"
  grep -h '^clients:\|^server: handshakes' "$T/clients.out" "$T/server.out" | sed 's/^/       /'
}

t0=$(date +%s)
round "$N clients" "$N" "$MSGS" 0
echo "  ($(($(date +%s) - t0)) s)"
# The same with every 3rd handshake datagram of each client lost (in both
# directions): handshakes complete through retransmissions driven by both
# select loops' dtls_check_retransmit timers.
t0=$(date +%s)
round "20 clients, lossy handshakes" 20 5 3
echo "  ($(($(date +%s) - t0)) s)"
echo "  (whole test: $(($(date +%s) - START)) s)"
finish
