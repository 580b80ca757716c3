#!/bin/sh
# Builds the benchmarks against the library in build/ and runs them.
#
#   bench/run.sh            full run: tdtls_bench, loadtest, Go engine benchmarks
#   bench/run.sh --quick    smoke run (a few seconds): tdtls_bench --quick, loadtest --quick
#
# Other arguments go to tdtls_bench (see bench/tdtls_bench.c), e.g.
#   bench/run.sh --reps 3 --workloads psk,rec
# Environment: BUILD (default <repo>/build), CC (default cc), BENCH_OUT
# (where the binaries go, default bench/build), NO_GO_BENCH=1 skips the Go
# benchmarks, NO_LOADTEST=1 the load test, GO_SRC the source tree the Go
# benchmarks run in (default: this repository).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-$root/build}
OUT=${BENCH_OUT:-$here/build}
CC=${CC:-cc}
GO=${GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}

quick=
for a in "$@"; do
  [ "$a" = --quick ] && quick=--quick
done

if [ ! -e "$BUILD/lib/libtinydtls.so" ] || [ ! -e "$BUILD/include/tinydtls/dtls.h" ]; then
  echo "bench/run.sh: no library in $BUILD; building it (make lib headers)" >&2
  make -C "$root" lib headers >&2
fi

mkdir -p "$OUT"
CFLAGS="-O2 -g -Wall -Wextra -Werror -I$BUILD/include/tinydtls"
LDLIB="-L$BUILD/lib -Wl,-rpath,$BUILD/lib -ltinydtls"
SSLLIB="-lssl -lcrypto"
if ! printf '#include <openssl/ssl.h>\n' | $CC -E - >/dev/null 2>&1; then
  echo "bench/run.sh: no OpenSSL headers (libssl-dev): OpenSSL columns will be n/a" >&2
  CFLAGS="$CFLAGS -DBENCH_NO_OPENSSL"
  SSLLIB=
fi
$CC $CFLAGS -o "$OUT/tdtls_bench" \
  "$here/tdtls_bench.c" "$here/bench_util.c" "$here/bench_ours.c" "$here/bench_ossl.c" \
  $LDLIB $SSLLIB -ldl
$CC $CFLAGS -o "$OUT/loadtest" "$here/loadtest.c" $LDLIB

so=$(readlink -f "$BUILD/lib/libtinydtls.so")
echo "library  $so, built $(date -u -r "$so" '+%Y-%m-%d %H:%M:%S UTC'), sha256 $(sha256sum "$so" | cut -c1-12)"
if [ -n "${LIB_DESC:-}" ]; then
  echo "         $LIB_DESC"
elif [ "$BUILD" = "$root/build" ] && git -C "$root" rev-parse HEAD >/dev/null 2>&1; then
  dirty=$(git -C "$root" status --porcelain -- core capi include 2>/dev/null | wc -l)
  echo "         source tree at $(git -C "$root" log -1 --format='%h (%cd) %s' --date=format:'%Y-%m-%d %H:%M'), $dirty modified files under core/ capi/ include/"
fi
echo

status=0
"$OUT/tdtls_bench" "$@" 2>&1 || status=1
echo
if [ -z "${NO_LOADTEST:-}" ]; then
  "$OUT/loadtest" $quick 2>&1 || status=1
fi
if [ -z "$quick" ] && [ -z "${NO_GO_BENCH:-}" ]; then
  echo
  echo "Go engine benchmarks: go test -run XXX -bench . -benchmem ./core/engine"
  (cd "${GO_SRC:-$root}" && "$GO" test -run XXX -bench . -benchmem ./core/engine) 2>&1 || status=1
fi
exit $status
