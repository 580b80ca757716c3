#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Debian's libcoap 4.3.1 (apt-get source libcoap3) built against OUR
# installed library with nothing but PKG_CONFIG_PATH, then:
#   - its coap-client/coap-server must load our libtinydtls.so;
#   - its CUnit test driver (tests/testdriver) must pass;
#   - coap-server and coap-client (both ours) exchange a small resource and a
#     70000-byte block-wise PUT + GET, byte for byte, with PSK and with raw
#     public keys (EC keys made at test time);
#   - the same against Debian's coap-client/coap-server built on GnuTLS
#     (PSK and RPK) and on OpenSSL (PSK; OpenSSL has no RPK), both ways;
#   - DTLS 1.3 between coap-client and coap-server on our library, PSK and
#     RPK, enabled with TINYDTLS_GO_MAX_VERSION=1.3 in the client's
#     environment (libcoap cannot call dtls_set_versions()); the records go
#     through ctests/upstream-observer.c, whose log must show a DTLS 1.3
#     ServerHello (supported_versions) and 1.3 records (unified header);
#   - the same libcoap source built a second time on UPSTREAM tinydtls
#     (upstream's tarball, its autotools build and install; see
#     libcoap-upstream-build.sh): its coap-client/coap-server must load
#     upstream's library, and libcoap on our library talks to libcoap on
#     upstream's in both roles, PSK and RPK, with the same byte-exact
#     transfers (plus upstream <-> upstream as a control); our client with
#     TINYDTLS_GO_MAX_VERSION=1.3 falls back to DTLS 1.2 with upstream's
#     server (observed on the wire as above). Without upstream's
#     tarball this part is reported as skipped (a failure when
#     TINYDTLS_REQUIRE_UPSTREAM=1).
#
# The fetched source and the libcoap build are cached under
# ${SCRATCH:-/tmp/tdtls-scratch}/libcoap, keyed on a hash of the installed
# library and headers, so a second run with an unchanged library skips the
# build; any change to the library rebuilds libcoap. The build on upstream
# runs in the background beside it and is kept in the build tree
# ($BUILD/scratch/upstream-autotools) while the tarball, the libcoap source
# and its build script are unchanged.
BIN=${1:-${BIN:?usage: test-libcoap.sh BINDIR}}
. "$(dirname "$0")/lib.sh"

# The background build of libcoap on upstream runs in a session of its own
# (setsid), so that all of it (also what timeout puts into process groups of
# its own) ends with the test.
UPB_PID=
stop_upbuild() {
  if [ -n "$UPB_PID" ] && kill -0 "$UPB_PID" 2>/dev/null; then
    pkill -TERM -s "$UPB_PID" 2>/dev/null || kill -- -"$UPB_PID" 2>/dev/null
    wait "$UPB_PID" 2>/dev/null
  fi
}
trap 'stop_upbuild; cleanup' EXIT
SCRATCH=${SCRATCH:-/tmp/tdtls-scratch}
CACHE=$SCRATCH/libcoap
START=$(date +%s)

for tool in apt-get dpkg-source openssl ss ldd setsid pkill; do
  command -v $tool >/dev/null || { echo "$tool not installed"; exit 1; }
done
for p in coap-client-gnutls coap-client-openssl coap-server-gnutls coap-server-openssl; do
  [ -x /usr/bin/$p ] || { echo "/usr/bin/$p missing (apt-get install libcoap3-bin)"; exit 1; }
done

# ---- our library, installed into a scratch prefix
# (from the build tree under test; never with an empty BUILD, which would
# make the Makefile build into /lib, /include and /bin)
if [ -z "$BUILD" ] || [ ! -d "$BUILD" ] || [ "$BUILD" = / ]; then
  fail "build tree '$BUILD' (BUILD) is not a directory"; finish
fi
TD=$T/prefix
if ! make -s -C "$ROOT" install PREFIX="$TD" BUILD="$BUILD" >"$T/td-install.log" 2>&1; then
  fail "make install PREFIX=$TD"; cat "$T/td-install.log"; finish
fi
pass "our library installed in a scratch prefix"
TDLIB=$TD/lib
# The cache key: the library and the headers libcoap compiles against (the
# .pc names the scratch prefix, which changes on every run, so it is left out).
KEY=$( (cat "$TDLIB/libtinydtls.so.0.8.6" "$TDLIB/libtinydtls.a"
        cd "$TD/include" && find . -type f | LC_ALL=C sort | xargs cat) | sha256sum | cut -c1-16)

# ---- fetch (once) and build (once per library version) libcoap
mkdir -p "$CACHE"
exec {LOCKFD}>"$CACHE/.lock"
flock -w 1800 "$LOCKFD" || { fail "lock $CACHE/.lock"; finish; }

DSC=$(ls "$CACHE"/src/libcoap3_*.dsc 2>/dev/null | head -n1)
if [ -z "$DSC" ]; then
  rm -rf "$CACHE/src.tmp" && mkdir -p "$CACHE/src.tmp"
  if (cd "$CACHE/src.tmp" && timeout 300 apt-get source --download-only libcoap3) >"$T/apt-source.log" 2>&1 &&
     ls "$CACHE"/src.tmp/libcoap3_*.dsc >/dev/null 2>&1; then
    rm -rf "$CACHE/src" && mv "$CACHE/src.tmp" "$CACHE/src"
    DSC=$(ls "$CACHE"/src/libcoap3_*.dsc | head -n1)
  else
    fail "apt-get source libcoap3 (deb-src enabled?)"; cat "$T/apt-source.log"; finish
  fi
fi
pass "libcoap source: $(basename "$DSC")"

# ---- upstream tinydtls and libcoap on it: built in the background
# (resolved: /proc/PID/maps and RUNPATHs show real paths)
UPDIR=$(realpath -m "$BUILD/scratch/upstream-autotools")
UPLIB=$UPDIR/tinydtls/lib
UCOAP=$UPDIR/libcoap
up_rc=0
(need_upstream) || up_rc=$?
case $up_rc in
  0) setsid bash "$ROOT/ctests/libcoap-upstream-build.sh" "$UPSTREAM_TARBALL" "$DSC" "$UPDIR" \
       >"$T/upbuild.log" 2>&1 </dev/null &
     UPB_PID=$! ;;
  77) echo "       (only the cross tests with libcoap on upstream are skipped)" ;;
  *) FAILS=$((FAILS + 1)) ;;           # need_upstream said FAIL
esac

B=$CACHE/build-$KEY          # source tree, build and install prefix
COAP=$B/inst
if [ -f "$B/.done" ]; then
  pass "libcoap build for library $KEY found in the cache ($(cat "$B/.done"))"
else
  rm -rf "$B"; mkdir -p "$B"
  t0=$(date +%s)
  ok=1
  dpkg-source --no-check -x "$DSC" "$B/src" >"$B/extract.log" 2>&1 || ok=0
  # Only PKG_CONFIG_PATH: the .pc must give everything libcoap needs.
  [ $ok = 1 ] && (cd "$B/src" && env -u CPPFLAGS -u CFLAGS -u LDFLAGS -u LIBS \
      PKG_CONFIG_PATH="$TDLIB/pkgconfig" ./configure --prefix="$COAP" \
      --enable-dtls --with-tinydtls --without-submodule-tinydtls \
      --disable-documentation --disable-doxygen --disable-manpages --enable-tests) \
      >"$B/configure.log" 2>&1 || ok=0
  [ $ok = 1 ] && (cd "$B/src" && timeout 1800 make -j2) >"$B/make.log" 2>&1 || ok=0
  [ $ok = 1 ] && (cd "$B/src" && make install) >"$B/install.log" 2>&1 || ok=0
  t1=$(date +%s)
  if [ $ok = 1 ]; then
    echo "built $(date -u +%FT%TZ) in $((t1 - t0)) s" >"$B/.done"
    pass "libcoap configured, built and installed in $((t1 - t0)) s"
    # Builds for other library versions are of no further use.
    for old in "$CACHE"/build-*; do [ "$old" = "$B" ] || rm -rf "$old"; done
  else
    fail "libcoap build (logs in $B)"
    for f in extract configure make install; do
      [ -s "$B/$f.log" ] && { echo "  ---- $f.log"; tail -n 25 "$B/$f.log" | sed 's/^/  | /'; }
    done
    finish
  fi
fi
# Keep a shared lock while the build is in use: another run removes old
# builds only under the exclusive lock.
flock -s "$LOCKFD"
check "configure found our TinyDTLS 0.8.6 through pkg-config" \
  grep -q 'TinyDTLS around  : "yes (found TinyDTLS 0.8.6)"' "$B/configure.log"

# ---- the libcoap programs must load our library
for prog in coap-client coap-server; do
  check "$prog loads our libtinydtls.so" bash -c \
    "LD_LIBRARY_PATH='$TDLIB' ldd '$COAP/bin/$prog' | grep -q '^[[:space:]]*libtinydtls.so.0 => $TDLIB/libtinydtls.so.0 '"
  check "$prog loads the libcoap built on our library" bash -c \
    "LD_LIBRARY_PATH='$TDLIB' ldd '$COAP/bin/$prog' | grep -q '^[[:space:]]*libcoap-3-tinydtls.so.3 => $COAP/lib/'"
done
check "libcoap-3-tinydtls.so needs libtinydtls.so.0 (our SONAME)" bash -c \
  "readelf -d '$COAP/lib/libcoap-3-tinydtls.so' | grep -q 'NEEDED.*\\[libtinydtls.so.0\\]'"
check "coap-client reports TinyDTLS runtime 0.8.6" bash -c \
  "LD_LIBRARY_PATH='$TDLIB' timeout 10 '$COAP/bin/coap-client' 2>&1 | grep -q 'TinyDTLS - runtime 0.8.6'"

# ---- libcoap's own unit tests
(cd "$B/src/tests" && LD_LIBRARY_PATH="$TDLIB" timeout 300 ./testdriver) >"$T/testdriver.log" 2>&1
rc=$?
summary=$(grep -E '^[[:space:]]+tests[[:space:]]' "$T/testdriver.log")
check "testdriver loads our libtinydtls.so" bash -c \
  "LD_LIBRARY_PATH='$TDLIB' ldd '$B/src/tests/testdriver' | grep -q '$TDLIB/libtinydtls.so.0'"
if [ $rc -eq 0 ] && [[ "$summary" =~ tests[[:space:]]+([0-9]+)[[:space:]]+([0-9]+)[[:space:]]+([0-9]+)[[:space:]]+0[[:space:]] ]] &&
   [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[3]}" ]; then
  pass "libcoap testdriver: ${BASH_REMATCH[3]}/${BASH_REMATCH[1]} passed"
else
  fail "libcoap testdriver (exit $rc): $summary"
  grep -iE 'failed|assert' "$T/testdriver.log" | head -n 30 | sed 's/^/  | /'
fi

# ---- test data
PSK=secretkey
ID=identity
for k in server client; do
  openssl ecparam -genkey -name prime256v1 -noout -out "$T/$k-ec.pem" 2>/dev/null
done
check "EC keys generated" test -s "$T/server-ec.pem" -a -s "$T/client-ec.pem"
printf 'This is a test server made with libcoap (see https://libcoap.net)\nCopyright (C) 2010--2022 Olaf Bergmann <bergmann@tzi.org> and others\n\n' >"$T/index.expected"
# The initial /example_data of coap-server: 1500 bytes, 'a'..'z' every 10th.
awk 'BEGIN { for (i = 0; i < 1500; i++) printf "%c", (i % 10 == 0) ? 97 + int(i / 10) % 26 : 48 + i % 10 }' \
  >"$T/example.expected"
NBIG=70000
BLK=1024
NDATA=0

OURS=(env LD_LIBRARY_PATH="$TDLIB")
OUR_CLIENT=("${OURS[@]}" "$COAP/bin/coap-client")
OUR_SERVER=("${OURS[@]}" "$COAP/bin/coap-server")
# libcoap on upstream tinydtls: its libtinydtls.so has no SONAME, so libcoap
# needs "libtinydtls.so", which our prefix has too; the environment decides.
UPS=(env LD_LIBRARY_PATH="$UPLIB")
UP_CLIENT=("${UPS[@]}" "$UCOAP/bin/coap-client")
UP_SERVER=("${UPS[@]}" "$UCOAP/bin/coap-server")

# baseport: a base port P with P and P+1 free for UDP and TCP (coap-server
# listens on P for coap and coap+tcp, and on P+1 for coaps).
baseport() {
  local p i
  for i in $(seq 50); do
    p=$(freeport)
    [ "$p" -lt 65000 ] || continue
    [ -z "$(ss -Hantu "( sport = :$p or sport = :$((p + 1)) )" 2>/dev/null)" ] && { echo "$p"; return 0; }
  done
  return 1
}

# start_server NAME KIND ARGS...: KIND ours|gnutls|openssl; waits (bounded)
# until the coaps port is bound. Sets SPORT (the coaps port).
start_server() {
  local name=$1 kind=$2 p; shift 2
  p=$(baseport) || { fail "no free port pair"; return 1; }
  SPORT=$((p + 1))
  if [ "$kind" = ours ]; then
    bg "$name" "${OUR_SERVER[@]}" -A 127.0.0.1 -p "$p" "$@"
  elif [ "$kind" = upstream ]; then
    bg "$name" "${UP_SERVER[@]}" -A 127.0.0.1 -p "$p" "$@"
  else
    bg "$name" "/usr/bin/coap-server-$kind" -A 127.0.0.1 -p "$p" "$@"
  fi
  local i
  for ((i = 0; i < 200; i++)); do
    [ -n "$(ss -Hlun "sport = :$SPORT" 2>/dev/null)" ] && return 0
    local pv="PID_$name"
    kill -0 "${!pv}" 2>/dev/null || break
    sleep 0.05
  done
  fail "$name: coap-server-$kind did not bind 127.0.0.1:$SPORT"
  return 1
}

# maps NAME LIB [NOTLIB]: the running server NAME has LIB mapped (and not NOTLIB).
maps() {
  local pv="PID_$1"
  grep -qF "$2" "/proc/${!pv}/maps" || return 1
  [ -z "${3:-}" ] || ! grep -qF "$3" "/proc/${!pv}/maps"
}

stop_server() {
  local pv="PID_$1"
  kill "${!pv}" 2>/dev/null
  wait "${!pv}" 2>/dev/null
}

# ---- DTLS 1.3 on the wire: servers behind ctests/upstream-observer.c

OBSERVER=$BIN/upstream-observer
build "$OBSERVER" "$ROOT/ctests/upstream-observer.c" -O2 || finish
HOST=127.0.0.1

# observed_server NAME KIND ARGS...: a coap-server (ours or upstream) on a
# loopback address of its own, 127.X.Y.Z (all of 127/8 is loopback), its
# coaps port behind the observer "obs": clients go to HOST:SPORT (the
# observer), which relays to the server's coaps port and logs the records
# in $T/obs.out. The observer picks the address where its own port is
# free and the server's is not in use.
observed_server() {
  local name=$1 kind=$2 lp p i; shift 2
  lp=$(baseport) || { fail "no free port pair"; return 1; }
  p=$(baseport) || { fail "no free port pair"; return 1; }
  rm -f "$T"/obs.*
  bg obs "$OBSERVER" -p "$lp" -t $((p + 1)) -T 600
  wait_for "$T/obs.err" "listening on" 10 || { fail "observer started"; return 1; }
  HOST=$(sed -n 's/^upstream-observer: listening on \([0-9.]*\):.*/\1/p' "$T/obs.err")
  if [ "$kind" = ours ]; then
    bg "$name" "${OUR_SERVER[@]}" -A "$HOST" -p "$p" "$@"
  else
    bg "$name" "${UP_SERVER[@]}" -A "$HOST" -p "$p" "$@"
  fi
  for ((i = 0; i < 200; i++)); do
    [ -n "$(ss -Hlun "src $HOST and sport = :$((p + 1))" 2>/dev/null)" ] && { SPORT=$lp; return 0; }
    local pv="PID_$name"
    kill -0 "${!pv}" 2>/dev/null || break
    sleep 0.05
  done
  fail "$name: coap-server ($kind) did not bind $HOST:$((p + 1))"
  return 1
}

stop_observed() {
  stop_server "$1"
  kill "$PID_obs" 2>/dev/null
  wait "$PID_obs" 2>/dev/null
  HOST=127.0.0.1
}

# What the observer saw: every ServerHello (a HelloRetryRequest included)
# with supported_versions (43), records with the 1.3 unified header both
# ways, no 1.2 application data record (23); or, for 1.2, the client's
# offer of 1.3 (43 in its ClientHello) and no ServerHello with 43, no 1.3
# record.
sh_lines() { grep -E ' sh-suite=' "$T/obs.out"; }
with43() { grep -E "$1-ext=([0-9]+,)*43(,| |\$)"; }
without43() { grep -v -E "$1-ext=([0-9]+,)*43(,| |\$)"; }
wire13() {
  [ -n "$(sh_lines)" ] && [ -z "$(sh_lines | without43 sh)" ] &&
    grep -q '^c2s .* u13:' "$T/obs.out" && grep -q '^s2c .* u13:' "$T/obs.out" &&
    ! grep -q -E ' 23:[0-9]+' "$T/obs.out"
}
wire12_offered13() {
  [ -n "$(sh_lines)" ] && [ -z "$(sh_lines | with43 sh)" ] &&
    [ -n "$(grep ' ch-ext=' "$T/obs.out" | with43 ch)" ] && ! grep -q ' u13:' "$T/obs.out"
}
# has_sh_ext EXT: some ServerHello lists the extension.
has_sh_ext() { [ -n "$(sh_lines | grep -E "sh-ext=([0-9]+,)*$1(,| |\$)")" ]; }
psk13() { wire13 && has_sh_ext 41; }                     # pre_shared_key
rpk13() { wire13 && ! has_sh_ext 41 && has_sh_ext 51; }  # key_share, no PSK
obs_summary() {
  echo "$(sh_lines | wc -l) ServerHello(s) (HelloRetryRequests included), the last: $(sh_lines | tail -n 1 |
    sed 's/.*\(sh-suite=[0-9A-F]* sh-ext=[0-9,]*\).*/\1/')"
}

# client KIND ARGS...: runs a coap-client (ours, ours13: ours offering
# DTLS 1.3, libcoap on upstream tinydtls, or Debian's -gnutls/-openssl)
# bounded in time, output in $T/client.out.
client() {
  local kind=$1; shift
  if [ "$kind" = ours ]; then
    timeout 60 "${OUR_CLIENT[@]}" -B 30 "$@"
  elif [ "$kind" = ours13 ]; then
    timeout 60 env TINYDTLS_GO_MAX_VERSION=1.3 "${OUR_CLIENT[@]}" -B 30 "$@"
  elif [ "$kind" = upstream ]; then
    timeout 60 "${UP_CLIENT[@]}" -B 30 "$@"
  else
    timeout 60 "/usr/bin/coap-client-$kind" -B 30 "$@"
  fi >>"$T/client.out" 2>&1
}

# exchange LABEL CLIENTKIND "CREDENTIAL ARGS": GET /, GET the initial
# /example_data (first time only), PUT a fresh random file block-wise,
# GET it back block-wise; every body compared byte for byte.
exchange() {
  local label=$1 ck=$2 cred=$3 big=${4:-}
  local url="coaps://$HOST:$SPORT"
  NDATA=$((NDATA + 1))
  local n=$NDATA
  rm -f "$T/get-index.$n" "$T/get-init.$n" "$T/get-big.$n"
  : >"$T/client.out"
  # shellcheck disable=SC2086
  client "$ck" -m get $cred -o "$T/get-index.$n" "$url/"
  check "$label: GET / (byte-exact)" cmp -s "$T/index.expected" "$T/get-index.$n"
  if [ "$big" = initial ]; then
    # shellcheck disable=SC2086
    client "$ck" -m get $cred -b 64 -o "$T/get-init.$n" "$url/example_data"
    check "$label: block-wise GET of the initial /example_data (1500 bytes, 64-byte blocks)" \
      cmp -s "$T/example.expected" "$T/get-init.$n"
  fi
  head -c $NBIG /dev/urandom >"$T/put.$n"
  # shellcheck disable=SC2086
  client "$ck" -m put $cred -b $BLK -f "$T/put.$n" "$url/example_data"
  # shellcheck disable=SC2086
  client "$ck" -m get $cred -b $BLK -o "$T/get-big.$n" "$url/example_data"
  check "$label: PUT + GET of $NBIG random bytes in $BLK-byte blocks (byte-exact)" \
    cmp -s "$T/put.$n" "$T/get-big.$n"
}

PSKC="-u $ID -k $PSK"
RPKC="-M $T/client-ec.pem"

# ---- our coap-server (PSK) <- our client, GnuTLS and OpenSSL clients
t0=$(date +%s)
if start_server srv ours -k "$PSK"; then
  check "running coap-server maps our libtinydtls.so" \
    grep -q "$TDLIB/libtinydtls.so.0.8.6" "/proc/$PID_srv/maps"
  exchange "PSK  ours -> ours" ours "$PSKC" initial
  exchange "PSK  gnutls client -> our server" gnutls "$PSKC"
  exchange "PSK  openssl client -> our server" openssl "$PSKC"
  check "our PSK server still running" kill -0 "$PID_srv"
  stop_server srv
fi

# ---- our coap-server (RPK) <- our client, GnuTLS client
if start_server srv ours -M "$T/server-ec.pem"; then
  exchange "RPK  ours -> ours" ours "$RPKC" initial
  exchange "RPK  gnutls client -> our server" gnutls "$RPKC"
  check "our RPK server still running" kill -0 "$PID_srv"
  stop_server srv
fi

# ---- our coap-client -> Debian's servers
for kind in gnutls openssl; do
  if start_server peer "$kind" -k "$PSK"; then
    exchange "PSK  our client -> $kind server" ours "$PSKC" initial
    stop_server peer
  fi
done
if start_server peer gnutls -M "$T/server-ec.pem"; then
  exchange "RPK  our client -> gnutls server" ours "$RPKC" initial
  stop_server peer
fi

# Negative: a wrong PSK must not yield any data.
if start_server srv ours -k "$PSK"; then
  rm -f "$T/get-wrong"
  : >"$T/client.out"
  timeout 60 "${OUR_CLIENT[@]}" -B 5 -m get -u "$ID" -k wrongkey -o "$T/get-wrong" "coaps://127.0.0.1:$SPORT/" >>"$T/client.out" 2>&1
  check "PSK  wrong key: no data" test ! -s "$T/get-wrong"
  stop_server srv
fi
echo "  (interop part: $(($(date +%s) - t0)) s)"

# ---- DTLS 1.3: our coap-client (TINYDTLS_GO_MAX_VERSION=1.3) -> our coap-server
t0=$(date +%s)
if observed_server srv ours -k "$PSK"; then
  exchange "PSK  DTLS 1.3 ours -> ours" ours13 "$PSKC"
  check "PSK  DTLS 1.3 on the wire: 1.3 ServerHellos with pre_shared_key, 1.3 records both ways ($(obs_summary))" psk13
  rm -f "$T/get-wrong13"
  : >"$T/client.out"
  timeout 60 env TINYDTLS_GO_MAX_VERSION=1.3 "${OUR_CLIENT[@]}" -B 5 -m get -u "$ID" -k wrongkey \
    -o "$T/get-wrong13" "coaps://$HOST:$SPORT/" >>"$T/client.out" 2>&1
  check "PSK  DTLS 1.3 wrong key: no data" test ! -s "$T/get-wrong13"
  check "our PSK server still running" kill -0 "$PID_srv"
  stop_observed srv
fi
if observed_server srv ours -M "$T/server-ec.pem"; then
  exchange "RPK  DTLS 1.3 ours -> ours" ours13 "$RPKC"
  check "RPK  DTLS 1.3 on the wire: 1.3 ServerHellos with key_share, no pre_shared_key, 1.3 records both ways ($(obs_summary))" rpk13
  check "our RPK server still running" kill -0 "$PID_srv"
  stop_observed srv
fi
echo "  (DTLS 1.3 part: $(($(date +%s) - t0)) s)"

# ---- libcoap on our library <-> libcoap on upstream tinydtls
if [ -n "$UPB_PID" ]; then
  t0=$(date +%s)
  wait "$UPB_PID"
  rc=$?
  kill -0 "$UPB_PID" 2>/dev/null || UPB_PID=   # (wait also returns on a signal)
  msg=$(head -n1 "$T/upbuild.log")
  if [ $rc -eq 0 ]; then
    pass "upstream tinydtls ($(basename "$UPSTREAM_TARBALL"), autotools) and libcoap on it: $msg (waited $(($(date +%s) - t0)) s)"
    up_ok=1
  else
    fail "upstream tinydtls (autotools) and libcoap on it (exit $rc; logs in $UPDIR)"
    sed 's/^/  | /' "$T/upbuild.log"
    up_ok=0
  fi
  if [ $up_ok = 1 ]; then
    check "libcoap's configure found upstream's TinyDTLS 0.8.6 through pkg-config" \
      grep -q 'TinyDTLS around  : "yes (found TinyDTLS 0.8.6)"' "$UPDIR/libcoap-configure.log"
    check "upstream's libtinydtls.so has no SONAME (so libcoap needs libtinydtls.so)" bash -c \
      "! readelf -d '$UPLIB/libtinydtls.so' | grep -q SONAME &&
       readelf -d '$UCOAP/lib/libcoap-3-tinydtls.so' | grep -q 'NEEDED.*\\[libtinydtls.so\\]'"
    for prog in coap-client coap-server; do
      check "upstream build's $prog loads upstream's libtinydtls.so and its own libcoap" bash -c \
        "LD_LIBRARY_PATH='$UPLIB' ldd '$UCOAP/bin/$prog' >'$T/ldd.up' &&
         grep -q '^[[:space:]]*libtinydtls.so => $UPLIB/libtinydtls.so ' '$T/ldd.up' &&
         grep -q '^[[:space:]]*libcoap-3-tinydtls.so.3 => $UCOAP/lib/' '$T/ldd.up' &&
         ! grep -q '$TDLIB' '$T/ldd.up'"
    done

    t0=$(date +%s)
    # (a) libcoap on our library as the client, on upstream as the server
    if start_server up upstream -k "$PSK"; then
      check "running upstream coap-server maps upstream's libtinydtls.so, not ours" \
        maps up "$UPLIB/libtinydtls.so" "$TDLIB/"
      exchange "PSK  our client -> upstream server" ours "$PSKC" initial
      exchange "PSK  upstream -> upstream (control)" upstream "$PSKC"
      check "upstream PSK server still running" kill -0 "$PID_up"
      stop_server up
    fi
    if start_server up upstream -M "$T/server-ec.pem"; then
      check "running upstream coap-server maps upstream's libtinydtls.so, not ours" \
        maps up "$UPLIB/libtinydtls.so" "$TDLIB/"
      exchange "RPK  our client -> upstream server" ours "$RPKC" initial
      exchange "RPK  upstream -> upstream (control)" upstream "$RPKC"
      check "upstream RPK server still running" kill -0 "$PID_up"
      stop_server up
    fi
    # (a') our client offering DTLS 1.3: upstream's server answers in 1.2
    if observed_server up upstream -k "$PSK"; then
      exchange "PSK  our client offering 1.3 -> upstream server" ours13 "$PSKC"
      check "PSK  on the wire: 1.3 offered, DTLS 1.2 chosen ($(obs_summary))" wire12_offered13
      stop_observed up
    fi
    if observed_server up upstream -M "$T/server-ec.pem"; then
      exchange "RPK  our client offering 1.3 -> upstream server" ours13 "$RPKC"
      check "RPK  on the wire: 1.3 offered, DTLS 1.2 chosen ($(obs_summary))" wire12_offered13
      stop_observed up
    fi
    # (b) libcoap on upstream as the client, on our library as the server
    if start_server srv ours -k "$PSK"; then
      check "running coap-server maps our libtinydtls.so, not upstream's" \
        maps srv "$TDLIB/libtinydtls.so.0.8.6" "$UPLIB/"
      exchange "PSK  upstream client -> our server" upstream "$PSKC" initial
      check "our PSK server still running" kill -0 "$PID_srv"
      stop_server srv
    fi
    if start_server srv ours -M "$T/server-ec.pem"; then
      check "running coap-server maps our libtinydtls.so, not upstream's" \
        maps srv "$TDLIB/libtinydtls.so.0.8.6" "$UPLIB/"
      exchange "RPK  upstream client -> our server" upstream "$RPKC" initial
      check "our RPK server still running" kill -0 "$PID_srv"
      stop_server srv
    fi
    echo "  (ours <-> upstream part: $(($(date +%s) - t0)) s)"
  fi
fi
echo "  (whole test: $(($(date +%s) - START)) s)"
finish
