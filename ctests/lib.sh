# SPDX-License-Identifier: BSD-3-Clause
# Helpers for the shell tests: scratch directories, background processes
# that are always cleaned up, bounded waits on output (never fixed sleeps),
# building test programs, memcheck, and the peers several tests share (the
# impairing UDP proxy, GnuTLS with the example programs' credentials).

set -u
BIN=${BIN:?BIN must point at the build/bin directory}
BUILD=$(cd "${BUILD:-$BIN/..}" 2>/dev/null && pwd)
# An empty BUILD would make `make install BUILD=` and friends write into /.
[ -n "$BUILD" ] && [ -d "$BUILD/lib" ] || { echo "lib.sh: no build tree at ${BUILD:-$BIN/..} (run make first)" >&2; exit 1; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/tdtls-test.XXXXXX")
PIDS=()
FAILS=0

cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null
  done
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null
  done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

freeport() { "$BIN/freeport" "${1:-1}"; }

# bg NAME CMD...: runs CMD in the background with stdout/stderr in $T/NAME.out/.err.
bg() {
  local name=$1; shift
  "$@" >"$T/$name.out" 2>"$T/$name.err" &
  PIDS+=($!)
  eval "PID_$name=$!"
}

# bg_fifo NAME CMD...: like bg, but stdin comes from the fifo $T/NAME.in,
# kept open on file descriptor given by the variable FD_NAME.
bg_fifo() {
  local name=$1; shift
  mkfifo "$T/$name.in"
  "$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
  PIDS+=($!)
  eval "PID_$name=$!"
  exec {fd}>"$T/$name.in"
  eval "FD_$name=$fd"
}

# say NAME LINE: writes LINE to the stdin fifo of NAME.
say() {
  local fdvar="FD_$1"
  printf '%s\n' "$2" >&"${!fdvar}"
}

# now_us: wall-clock microseconds (bash's EPOCHREALTIME), for bounds that
# hold however slowly a loaded machine runs the polling loop.
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

# wait_for FILE PATTERN [SECONDS [COUNT]]: polls until at least COUNT
# (default 1) lines of FILE match PATTERN, for at most SECONDS of wall time.
wait_for() {
  local file=$1 pat=$2 limit=${3:-15} n=${4:-1}
  local end=$(($(now_us) + limit * 1000000))
  while :; do
    [ "$(grep -c -e "$pat" "$file" 2>/dev/null)" -ge "$n" ] 2>/dev/null && return 0
    [ "$(now_us)" -lt "$end" ] || return 1
    sleep 0.05
  done
}

# wait_exit NAME [SECONDS]: waits for the process to end; its exit status is
# returned (124 on timeout, after which it is killed).
wait_exit() {
  local pidvar="PID_$1" limit=${2:-15}
  local pid=${!pidvar}
  local end=$(($(now_us) + limit * 1000000))
  while [ "$(now_us)" -lt "$end" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      return $?
    fi
    sleep 0.05
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 124
}

# count FILE PATTERN: number of matching lines.
count() { grep -c -e "$2" "$1" 2>/dev/null || true; }

# not CMD...: succeeds when CMD fails (check "..." not grep -q ...).
not() { ! "$@"; }

pass() { echo "  ok   $*"; }
fail() {
  echo "  FAIL $*"
  FAILS=$((FAILS + 1))
  local f
  for f in "$T"/*.out "$T"/*.err; do
    [ -s "$f" ] || continue
    echo "  ---- $(basename "$f") (last 15 lines)"
    tail -n 15 "$f" | sed 's/^/  | /'
  done
}

# check DESCRIPTION CMD...: runs CMD, reports pass/fail.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

finish() {
  if [ "$FAILS" -ne 0 ]; then
    echo "$FAILS check(s) failed"
    exit 1
  fi
  exit 0
}

# ---- building test programs -----------------------------------------------

# Compiler arguments for a program on the build tree's headers and shared
# library (the rpath makes it load this library, not an installed one).
WITH_LIB=(-I"$BUILD/include/tinydtls" -L"$BUILD/lib" -Wl,-rpath,"$BUILD/lib" -ltinydtls)

# build OUT SRC [ARGS...]: compiles SRC into OUT with -Wall -Wextra -Werror
# and ARGS (given after SRC, so libraries may be among them), reported as a
# check with the compiler's messages on failure. The program is written
# under a temporary name first, as test runs may share $BIN.
build() {
  local out=$1 src=$2 what
  shift 2
  what="build $(basename "$out") from $(basename "$src") (-Wall -Wextra -Werror)"
  if ${CC:-cc} -Wall -Wextra -Werror -o "$out.tmp.$$" "$src" "$@" >"$T/cc.log" 2>&1 &&
     mv -f "$out.tmp.$$" "$out"; then
    pass "$what"
    return 0
  fi
  rm -f "$out.tmp.$$"
  fail "$what"
  sed 's/^/  | /' "$T/cc.log"
  return 1
}

# ---- memcheck ---------------------------------------------------------------

# Definite leaks are errors; the exit status 99 tells memcheck's verdict
# apart from the program's own failures.
# On some CPUs valgrind reports RDTSCP although its emulated CPU cannot run
# it, and the Go runtime then dies with SIGILL in runtime.cputicks; the Go
# runtime leaves RDTSCP alone with GODEBUG=cpu.rdtscp=off.
VALGRIND=(env "GODEBUG=${GODEBUG:+$GODEBUG,}cpu.rdtscp=off"
          valgrind --quiet --error-exitcode=99 --leak-check=full
          --errors-for-leak-kinds=definite --suppressions="$ROOT/ctests/valgrind.supp")

# run_checks PROG [SECONDS [VG_SECONDS]]: runs a test program that prints
# "ok ..." or "FAIL ..." per check and ends with "NAME: N passed, M failed",
# once natively and once under memcheck (output in $T/native.log and
# $T/vg.log, KEEP_TMP=1 keeps them). Only the failed checks and the summary
# lines are shown; a check that fails only under valgrind (much slower)
# counts as well.
run_checks() {
  local prog=$1 limit=${2:-120} vg_limit=${3:-900} name rc extra
  name=$(basename "$prog")
  local done_re="^$name: [0-9]* passed"

  timeout -k 5 "$limit" "$prog" >"$T/native.log" 2>&1
  rc=$?
  grep -E "^FAIL|^$name:" "$T/native.log" | sed 's/^/  | /'
  if ! grep -q "$done_re" "$T/native.log"; then
    fail "$name did not run to the end (exit status $rc)"
    tail -n 20 "$T/native.log" | sed 's/^/  | /'
  elif [ "$rc" -eq 0 ]; then
    pass "$name: $(grep -c '^ok' "$T/native.log") checks"
  else
    fail "$name: $(grep -c '^FAIL' "$T/native.log") failed checks"
  fi

  if ! command -v valgrind >/dev/null; then
    fail "valgrind is not installed"
    return
  fi
  timeout -k 5 "$vg_limit" "${VALGRIND[@]}" "$prog" >"$T/vg.log" 2>"$T/vg.err"
  rc=$?
  if [ "$rc" -eq 99 ]; then
    fail "$name under valgrind: memcheck errors or definite leaks"
    # the report without the warnings valgrind.supp explains
    grep -v -e 'DW_FORM' -e 'reading debug info' -e 'large range' \
      -e 'switching stacks' -e 'max-stackframe' -e 'further instances' "$T/vg.err" |
      sed 's/^/  | /' | head -n 200
  elif ! grep -q "$done_re" "$T/vg.log"; then
    fail "$name under valgrind did not run to the end (exit status $rc)"
    tail -n 30 "$T/vg.err" | sed 's/^/  | /'
  else
    pass "$name under valgrind: no memcheck errors, no definite leaks"
    extra=$(comm -13 <(grep '^FAIL' "$T/native.log" | sort) <(grep '^FAIL' "$T/vg.log" | sort))
    if [ -n "$extra" ]; then
      fail "$name checks that failed only under valgrind"
      printf '%s\n' "$extra" | sed 's/^/  | /'
    elif [ "$rc" -ne 0 ]; then
      echo "  (the same checks failed under valgrind)"
    fi
  fi
}

# ---- the impairing UDP proxy (ctests/tools/udp-proxy.c) ---------------------

PROXY=$BIN/udp-proxy

# build_proxy: builds $PROXY (make does not).
build_proxy() { build "$PROXY" "$ROOT/ctests/tools/udp-proxy.c" -O2; }

# start_proxy TARGET_PORT ARGS...: starts the proxy as "proxy" on a port the
# kernel picks (no race with other tests), in front of 127.0.0.1:TARGET_PORT,
# and sets PPORT.
start_proxy() {
  local target=$1
  shift
  bg proxy "$PROXY" -l 0 -t "$target" "$@"
  wait_for "$T/proxy.err" "listening on" 10 || return 1
  PPORT=$(sed -n 's/^udp-proxy: listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$T/proxy.err")
  [ -n "$PPORT" ]
}

# ---- GnuTLS (and OpenSSL) peers ----------------------------------------------

# The PSK of the example programs ("secretPSK", identity "Client_identity")
# in hex, and the GnuTLS priority every DTLS 1.2 test starts from.
PSKHEX=73656372657450534b
GNUTLS_BASEPRIO='NORMAL:-VERS-ALL:+VERS-DTLS1.2:-KX-ALL'

# The built-in secp256r1 keys of dtls-server and dtls-client (priv, x, y).
EXAMPLE_SERVER_KEY="D9E2707A72DA6A0504995C86EDDBE3EFC7F1CD74838F7570C8072D0A76261BD4
                    D055EE14084D6E0615599DB583913E4A3E4526A2704D61F27A4CCFBA9758EF9A
                    B418B64AFE8030DA1DDCF4F42E2F2631D043B1FB03E22F4D17DE43F9F9ADEE70"
EXAMPLE_CLIENT_KEY="41C1CB6B51247A144321435B7A80E714896A33BBAD7294CA401455A194A949FA
                    36DFE2C6F9F2ED29DA0A9A8F62684E916375BA10300C28C5E47CFBF25FA58F52
                    71A0D4FCDE1AB8785A3C786935A7CFABE93F987209DAED0B4FABC36FC772F829"

unhex() { # hex on stdin -> bytes on stdout
  if command -v xxd >/dev/null; then
    xxd -r -p
  else
    local h
    h=$(tr -d ' \n')
    printf "$(printf '%s' "$h" | sed 's/../\\x&/g')"
  fi
}

# ec_pem DIR NAME PRIV X Y: writes DIR/NAME.key.pem (PKCS#8) and
# DIR/NAME.pub.pem (SubjectPublicKeyInfo). The DER is a SEC1 ECPrivateKey
# (RFC 5915): version 1, the 32-byte key, [0] namedCurve prime256v1,
# [1] 04||x||y.
ec_pem() {
  local dir=$1 name=$2 priv=$3 x=$4 y=$5
  printf '30770201010420%sa00a06082a8648ce3d030107a14403420004%s%s' "$priv" "$x" "$y" |
    unhex >"$dir/$name.sec1.der" &&
    openssl pkey -inform DER -in "$dir/$name.sec1.der" -out "$dir/$name.key.pem" &&
    openssl pkey -in "$dir/$name.key.pem" -check -noout >/dev/null &&   # x/y match priv
    openssl pkey -in "$dir/$name.key.pem" -pubout -out "$dir/$name.pub.pem"
}

# gnutls_credentials DIR: the example programs' credentials as GnuTLS takes
# them: DIR/{server,client}.{key,pub}.pem and DIR/psk.passwd.
gnutls_credentials() {
  mkdir -p "$1"
  # shellcheck disable=SC2086
  check "server key PEM built from the built-in hex key" ec_pem "$1" server $EXAMPLE_SERVER_KEY
  # shellcheck disable=SC2086
  check "client key PEM built from the built-in hex key" ec_pem "$1" client $EXAMPLE_CLIENT_KEY
  printf 'Client_identity:%s\n' "$PSKHEX" >"$1/psk.passwd"
}

# start_gnutls_serv PRIORITY CREDENTIAL_ARGS...: starts gnutls-serv --udp
# --echo as "gserv" on a free port (retrying if the port was taken in the
# meantime) and sets GPORT.
start_gnutls_serv() {
  local prio=$1 try
  shift
  for try in 1 2 3; do
    GPORT=$(freeport)
    rm -f "$T"/gserv.*
    bg gserv stdbuf -oL -eL gnutls-serv -d 4 --udp -p "$GPORT" --echo --priority "$prio" "$@"
    wait_for "$T/gserv.err" "UDP Echo Server listening on IPv4" 10 && return 0
    kill "$PID_gserv" 2>/dev/null
    wait "$PID_gserv" 2>/dev/null
  done
  return 1
}

# ---- upstream tinydtls as a peer ---------------------------------------------

# Upstream's unmodified source (../shared/peers/ beside the checkout, or
# TINYDTLS_UPSTREAM_TARBALL) is built at test time into a scratch folder of
# the build tree, never into the source tree. Tests that need it call
# need_upstream first: without the tarball they are reported as skipped,
# unless TINYDTLS_REQUIRE_UPSTREAM=1 (CI), where that is a failure.
UPSTREAM_TARBALL=${TINYDTLS_UPSTREAM_TARBALL:-$ROOT/../shared/peers/tinydtls-8a9e048.tar.gz}
UPSTREAM=$BUILD/scratch/upstream
UPSTREAM_SRC=$UPSTREAM/src
UPSTREAM_BUILD=$UPSTREAM/cmake    # libtinydtls.so, tests/dtls-server, tests/dtls-client

SKIP=77
need_upstream() {
  [ -f "$UPSTREAM_TARBALL" ] && return 0
  if [ "${TINYDTLS_REQUIRE_UPSTREAM:-0}" = 1 ]; then
    echo "  FAIL upstream tinydtls source not found at $UPSTREAM_TARBALL (TINYDTLS_REQUIRE_UPSTREAM=1)"
    exit 1
  fi
  echo "  SKIP upstream tinydtls source not found at $UPSTREAM_TARBALL;"
  echo "       set TINYDTLS_UPSTREAM_TARBALL to upstream main's tarball to run this test"
  exit $SKIP
}

# build_upstream: unpacks and builds upstream with CMake (shared library and
# example programs) once per build tree; concurrent callers wait for the
# first. Reported as a check.
build_upstream() {
  (
    flock 9
    if [ ! -x "$UPSTREAM_BUILD/tests/dtls-client" ] || [ "$UPSTREAM_TARBALL" -nt "$UPSTREAM_BUILD/tests/dtls-client" ]; then
      rm -rf "$UPSTREAM" && mkdir -p "$UPSTREAM_SRC" &&
        tar xzf "$UPSTREAM_TARBALL" -C "$UPSTREAM_SRC" --strip-components=1 &&
        cmake -S "$UPSTREAM_SRC" -B "$UPSTREAM_BUILD" -DBUILD_SHARED_LIBS=ON -Dmake_tests=ON >"$UPSTREAM.log" 2>&1 &&
        cmake --build "$UPSTREAM_BUILD" -j2 >>"$UPSTREAM.log" 2>&1
    fi
  ) 9>"$BUILD/scratch.lock"
  check "upstream tinydtls built from $(basename "$UPSTREAM_TARBALL")" test -x "$UPSTREAM_BUILD/tests/dtls-client"
}

# ---- event codes -------------------------------------------------------------

# The level-0 event codes (alert.h) that dtls-server, dtls-client and
# upstream_peer print in their "event level=L code=C" lines on stderr.
EV_CONNECT=476       # DTLS_EVENT_CONNECT (0x01DC): dtls_connect started a handshake
EV_CONNECTED=478     # DTLS_EVENT_CONNECTED (0x01DE): a handshake completed
EV_RENEGOTIATE=479   # DTLS_EVENT_RENEGOTIATE (0x01DF): a renegotiation started

# event_re CODE [LEVEL]: the grep pattern of an event line with that code
# ("code=C"), or with that level and code ("event level=L code=C"), e.g.
#   wait_for "$T/client.err" "$(event_re $EV_CONNECTED)" 15
event_re() {
  if [ $# -ge 2 ]; then
    printf 'event level=%s code=%s' "$2" "$1"
  else
    printf 'code=%s' "$1"
  fi
}

# ---- the installed library (test-process-*.sh) --------------------------------

# install_scratch DIR: `make install install-debug` of the build tree under
# test into the scratch prefix DIR (reported as a check), then sets the
# compiler arguments for programs against the installed tree, from its
# pkg-config file: INST_SHARED (with an rpath to DIR/lib) and INST_STATIC
# (libtinydtls.a and Libs.private).
install_scratch() {
  local dir=$1 pc
  if ! make -s -C "$ROOT" install install-debug PREFIX="$dir" BUILD="$BUILD" >"$T/install.log" 2>&1; then
    fail "make install install-debug PREFIX=$dir"
    sed 's/^/  | /' "$T/install.log" | tail -n 20
    return 1
  fi
  pass "make install install-debug into a scratch prefix"
  pc=(env PKG_CONFIG_PATH="$dir/lib/pkgconfig" pkg-config)
  # shellcheck disable=SC2207
  INST_SHARED=($("${pc[@]}" --cflags --libs tinydtls) -Wl,-rpath,"$dir/lib")
  # shellcheck disable=SC2207
  INST_STATIC=($("${pc[@]}" --cflags tinydtls)
               $("${pc[@]}" --static --libs tinydtls | sed 's/-ltinydtls/-l:libtinydtls.a/'))
}

# proc_status PID: "Threads N VmRSS N kB RssAnon N kB RssFile N kB VmSize N kB"
# from /proc/PID/status.
proc_status() {
  awk '/^(Threads|VmRSS|RssAnon|RssFile|VmSize):/ { printf "%s %s%s ", $1, $2, ($3 ? " " $3 : "") }' \
    "/proc/$1/status" 2>/dev/null
}

# ---- cells: a test's matrix of independent cases, run one after the other.
# A script sets CELL_LIMIT (seconds; a cell still running then is stopped
# and fails) and CELL_FILTER (a regex; only matching names run), declares
# its cells with `cell NAME DESCRIPTION FUNCTION ARGS...` and ends with
# `run_cells TITLE`. Each cell runs FUNCTION ARGS in a subshell with its
# own scratch directory ($T/NAME), PIDS and FAILS; its log follows it, and
# the matrix of results ends the output.
CELLS=()
declare -A CELL_DESC CELL_CMD CELL_TIME CELL_RESULT

cell() { # NAME DESCRIPTION FUNCTION ARGS...
  local name=$1 desc=$2
  shift 2
  [[ $name =~ ${CELL_FILTER:-.} ]] || return 0
  CELLS+=("$name")
  CELL_DESC[$name]=$desc
  CELL_CMD[$name]=$(printf '%q ' "$@")
}

run_cell() { # NAME
  local name=$1 start=$SECONDS main=$T
  (
    T=$main/$name
    mkdir -p "$T"
    PIDS=()
    FAILS=0
    trap 'for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; wait' EXIT
    eval "${CELL_CMD[$name]}"
    echo "$FAILS" >"$main/$name.fails"
  ) >"$main/$name.log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ $((SECONDS - start)) -gt "${CELL_LIMIT:-60}" ]; then
      kill "$pid" 2>/dev/null
      echo "  FAIL stopped after ${CELL_LIMIT:-60} s" >>"$main/$name.log"
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null
  CELL_TIME[$name]=$((SECONDS - start))
}

run_cells() { # TITLE: runs every cell, prints the matrix, exits
  local name f started=$SECONDS
  for name in "${CELLS[@]}"; do
    run_cell "$name"
    echo "[$name] ${CELL_DESC[$name]}"
    cat "$T/$name.log"
    f=$(cat "$T/$name.fails" 2>/dev/null || echo stopped)
    if [ "$f" = 0 ]; then CELL_RESULT[$name]=PASS; else CELL_RESULT[$name]=FAIL; FAILS=$((FAILS + 1)); fi
  done
  echo
  echo "$1, $((SECONDS - started)) s"
  for name in "${CELLS[@]}"; do
    printf '  %-4s  %-16s %3s s  %s\n' "${CELL_RESULT[$name]}" "$name" "${CELL_TIME[$name]:-?}" "${CELL_DESC[$name]}"
  done
  if [ "$FAILS" -ne 0 ]; then
    echo "$FAILS check(s) or cell(s) failed"
    exit 1
  fi
  exit 0
}
