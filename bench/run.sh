#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Builds the benchmarks against the library in build/ and runs them.
#
#   bench/run.sh            full run: tdtls_bench (ours, upstream tinydtls,
#                           OpenSSL), loadtest, Go engine benchmarks
#   bench/run.sh --quick    smoke run (a few seconds): tdtls_bench --quick,
#                           loadtest --quick
#
# Other arguments go to tdtls_bench (see bench/tdtls_bench.c), e.g.
#   bench/run.sh --reps 3 --workloads psk,rec
# Environment: BUILD (default <repo>/build), CC (default cc), BENCH_OUT
# (where the binaries go, default bench/build), NO_GO_BENCH=1 skips the Go
# benchmarks, NO_LOADTEST=1 the load test, NO_UPSTREAM=1 the upstream
# column, GO_SRC the source tree the Go benchmarks run in (default: this
# repository), LIB_DESC a line describing the library under test,
# TINYDTLS_UPSTREAM_TARBALL upstream's source (default
# ../shared/peers/tinydtls-8a9e048.tar.gz beside the checkout).
#
# Upstream tinydtls runs the same harness (bench_ours.c and tdtls_bench.c
# compiled against its headers and library, as tdtls_bench_upstream). A
# full run builds upstream from its tarball into $BENCH_OUT/upstream (CMake,
# CFLAGS -O2 -g, the autotools default; never into the source tree); with
# --quick the build the C tests made in $BUILD/scratch/upstream is used if
# it is there, and the column is left out otherwise (no build).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-$root/build}
OUT=${BENCH_OUT:-$here/build}
CC=${CC:-cc}
GO=${GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}
UPSTREAM_TARBALL=${TINYDTLS_UPSTREAM_TARBALL:-$root/../shared/peers/tinydtls-8a9e048.tar.gz}

quick=
for a in "$@"; do
  [ "$a" = --quick ] && quick=--quick
done

if [ ! -e "$BUILD/lib/libtinydtls.so" ] || [ ! -e "$BUILD/include/tinydtls/dtls.h" ]; then
  echo "bench/run.sh: no library in $BUILD; building it (make lib headers)" >&2
  make -C "$root" BUILD="$BUILD" lib headers >&2
fi

mkdir -p "$OUT"
WARN="-Wall -Wextra -Werror"
CFLAGS="-O2 -g $WARN -I$BUILD/include/tinydtls"
LDLIB="-L$BUILD/lib -Wl,-rpath,$BUILD/lib -ltinydtls"
SSLLIB="-lssl -lcrypto"
if ! printf '#include <openssl/ssl.h>\n' | $CC -E - >/dev/null 2>&1; then
  echo "bench/run.sh: no OpenSSL headers (libssl-dev): OpenSSL columns will be n/a" >&2
  CFLAGS="$CFLAGS -DBENCH_NO_OPENSSL"
  SSLLIB=
fi
SRCS="$here/tdtls_bench.c $here/bench_util.c $here/bench_ours.c $here/bench_ossl.c"
# shellcheck disable=SC2086
$CC $CFLAGS -o "$OUT/tdtls_bench" $SRCS $LDLIB $SSLLIB -ldl
# shellcheck disable=SC2086
$CC $CFLAGS -o "$OUT/loadtest" "$here/loadtest.c" $LDLIB

# ---- upstream tinydtls ----
up_src= up_lib= up_desc=
up_name=$(basename "$UPSTREAM_TARBALL" .tar.gz)
if [ -n "${NO_UPSTREAM:-}" ]; then
  :
elif [ -n "$quick" ]; then
  s=$BUILD/scratch/upstream
  if [ -e "$s/cmake/libtinydtls.so" ] && [ -e "$s/src/dtls.h" ]; then
    up_src=$s/src up_lib=$s/cmake
    up_desc="$up_name, the C tests' build in $s (CMake defaults)"
  fi
elif [ -f "$UPSTREAM_TARBALL" ]; then
  u=$OUT/upstream
  if [ ! -e "$u/build/libtinydtls.so" ] || [ "$UPSTREAM_TARBALL" -nt "$u/build/libtinydtls.so" ]; then
    echo "bench/run.sh: building upstream tinydtls from $up_name.tar.gz in $u" >&2
    rm -rf "$u" && mkdir -p "$u/src"
    tar xzf "$UPSTREAM_TARBALL" -C "$u/src" --strip-components=1
    if ! { cmake -S "$u/src" -B "$u/build" -DBUILD_SHARED_LIBS=ON -DCMAKE_C_FLAGS="-O2 -g" &&
           cmake --build "$u/build" -j2; } >"$u.log" 2>&1; then
      echo "bench/run.sh: building upstream failed; see $u.log" >&2
      exit 1
    fi
  fi
  up_src=$u/src up_lib=$u/build
  up_desc="$up_name (upstream main), CMake, CFLAGS -O2 -g, $($CC --version | head -n 1)"
else
  echo "bench/run.sh: no upstream source at $UPSTREAM_TARBALL: the upstream column will be n/a" >&2
fi
if [ -n "$up_src" ]; then
  # The compile definitions upstream's CMake target exports to its users.
  # shellcheck disable=SC2086
  $CC -O2 -g $WARN -DBENCH_NO_OPENSSL -DDTLSv12 -DWITH_SHA256 -DSHA2_USE_INTTYPES_H \
    -DDTLS_CHECK_CONTENTTYPE -I"$up_src" -I"$up_lib" -o "$OUT/tdtls_bench_upstream" $SRCS \
    -L"$up_lib" -Wl,-rpath,"$up_lib" -ltinydtls -ldl
fi

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
if [ -n "$up_src" ]; then
  "$OUT/tdtls_bench" --upstream "$OUT/tdtls_bench_upstream" --upstream-desc "$up_desc" "$@" 2>&1 || status=1
else
  "$OUT/tdtls_bench" "$@" 2>&1 || status=1
fi
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
