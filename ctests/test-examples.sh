#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The minimal examples in examples/ (psk-server.c, psk-client.c): short
# enough to read, built here against the build tree with nothing but
# pkg-config's flags (-Wall -Wextra -Werror, also -std=c99 -Wpedantic), and
# run: PSK handshake, lines echoed, input that arrives before the handshake
# is done, a clean close by the client (exit 0) and a clean shutdown of the
# server on SIGTERM (exit 0).
BIN=${1:?usage: test-examples.sh BINDIR}
. "$(dirname "$0")/lib.sh"

EX=$ROOT/examples
for f in psk-server psk-client; do
  check "$f.c stays short: $(wc -l <"$EX/$f.c") lines, at most 145" test "$(wc -l <"$EX/$f.c")" -le 145
done

# The build tree's tinydtls.pc (prefix = the build tree), as an application
# would use an installed one; the rpath picks this tree's library at run time.
export PKG_CONFIG_PATH=$BUILD/lib/pkgconfig
read -r -a PC_CFLAGS <<<"$(pkg-config --cflags tinydtls)" &&
  read -r -a PC_LIBS <<<"$(pkg-config --libs tinydtls)"
check "pkg-config finds the build tree's tinydtls.pc" test "${#PC_LIBS[@]}" -gt 0 || finish
for f in psk-server psk-client; do
  build "$T/$f" "$EX/$f.c" "${PC_CFLAGS[@]}" "${PC_LIBS[@]}" -Wl,-rpath,"$BUILD/lib" || finish
  build "$T/$f-c99" "$EX/$f.c" -std=c99 -Wpedantic "${PC_CFLAGS[@]}" "${PC_LIBS[@]}" || finish
done

port=$(freeport)
bg server "$T/psk-server" "$port"
check "psk-server listens" wait_for "$T/server.err" "listening on port $port" 10 || finish

# 1. Interactive: lines go out one by one once the handshake is done.
bg_fifo client "$T/psk-client" 127.0.0.1 "$port"
check "handshake: the client reports it" wait_for "$T/client.err" "handshake complete" 15
check "handshake: the server reports it" wait_for "$T/server.err" "handshake complete" 5
for line in "Hello, DTLS!" "a second line" "the third and last"; do
  say client "$line"
  check "\"$line\" echoed to the client" wait_for "$T/client.out" "^$line\$" 10
  check "\"$line\" printed by the server" grep -qx -- "$line" "$T/server.out"
done
eval "exec ${FD_client}>&-"   # end of input: the client closes and exits
wait_exit client 10
check "end of input: the client exits with status 0" test $? -eq 0
check "the client got the server's close_notify" wait_for "$T/client.err" "warning alert 0" 1
check "the server got the client's close_notify" wait_for "$T/server.err" "warning alert 0" 5

# 2. A pipe: the input is there before the handshake; nothing is lost, and
# the client closes only after the last echo.
# (Not through bg: bash gives a background job /dev/null as its stdin.)
printf 'one\ntwo\nthree\n' >"$T/in.txt"
timeout -k 5 15 "$T/psk-client" 127.0.0.1 "$port" <"$T/in.txt" >"$T/piped.out" 2>"$T/piped.err"
check "piped input: the client exits with status 0" test $? -eq 0
check "piped input: every line came back, in order" cmp -s "$T/in.txt" "$T/piped.out"
check "no fatal alert anywhere" not grep -q "fatal" "$T/server.err" "$T/client.err" "$T/piped.err"

# 3. SIGTERM: the server frees its context and exits 0.
kill -TERM "$PID_server"
wait_exit server 10
check "SIGTERM: the server exits with status 0" test $? -eq 0

# 4. Public API only: the same sources build unchanged against upstream
# tinydtls (its CMake build: headers in the source tree, dtls_config.h and
# the compile definitions of its CMake target), and each program runs
# against the other built on our library.
if [ ! -f "$UPSTREAM_TARBALL" ]; then
  echo "  (upstream tinydtls source not found at $UPSTREAM_TARBALL: part 4 skipped)"
  finish
fi
build_upstream || finish
mkdir -p "$T/upinc" && ln -s "$UPSTREAM_SRC" "$T/upinc/tinydtls"
UP_FLAGS=(-DDTLSv12 -DWITH_SHA256 -DSHA2_USE_INTTYPES_H -DDTLS_CHECK_CONTENTTYPE
          -I"$T/upinc" -I"$UPSTREAM_SRC" -I"$UPSTREAM_BUILD"
          -L"$UPSTREAM_BUILD" -Wl,-rpath,"$UPSTREAM_BUILD" -ltinydtls)
for f in psk-server psk-client; do
  build "$T/up-$f" "$EX/$f.c" "${UP_FLAGS[@]}" || finish
done
# pair SERVER CLIENT LABEL: one piped session between the two builds.
pair() {
  local port rc
  port=$(freeport)
  rm -f "$T"/pair.*
  bg pair "$1" "$port"
  wait_for "$T/pair.err" "listening on port $port" 10 || { fail "$3: server listens"; return; }
  timeout -k 5 20 "$2" 127.0.0.1 "$port" <"$T/in.txt" >"$T/pair.cli.out" 2>"$T/pair.cli.err"
  rc=$?
  check "$3: handshake, every line echoed, client exits 0" \
    eval "[ $rc -eq 0 ] && cmp -s '$T/in.txt' '$T/pair.cli.out'"
  kill -TERM "$PID_pair"
  wait_exit pair 10
  check "$3: server exits 0 on SIGTERM" test $? -eq 0
}
pair "$T/up-psk-server" "$T/psk-client" "psk-server on upstream, psk-client on ours"
pair "$T/psk-server" "$T/up-psk-client" "psk-server on ours, psk-client on upstream"
finish
