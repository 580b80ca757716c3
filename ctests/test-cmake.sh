#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The CMake build of this project: configure, build and install into a
# scratch prefix, check the installed tree (the same layout as
# `make install`, plus the CMake package), run some of the ctest tests of
# that build, then build ctests/consumer/app.c against the installed tree
# with pkg-config (shared and --static, ctests/consumer/Makefile) and with
# find_package(tinydtls) (tinydtls::tinydtls and tinydtls::tinydtls_static,
# ctests/consumer/CMakeLists.txt), and run every binary.
BIN=${1:-${BIN:?usage: test-cmake.sh BINDIR}}
. "$(dirname "$0")/lib.sh"
START=$(date +%s)

command -v cmake >/dev/null || { echo "cmake not installed"; exit 1; }
command -v pkg-config >/dev/null || { echo "pkg-config not installed"; exit 1; }

# log_step NAME CMD...: runs CMD with output in $T/NAME.log (shown on failure).
log_step() {
  local name=$1; shift
  if "$@" >"$T/$name.log" 2>&1; then return 0; fi
  echo "  ---- $name.log (last 30 lines)"; tail -n 30 "$T/$name.log" | sed 's/^/  | /'
  return 1
}

# ---- configure, build, install
B=$T/b
I=$T/inst
check "cmake configure" log_step configure cmake -S "$ROOT" -B "$B"
check "cmake --build -j2" log_step build timeout 1200 cmake --build "$B" -j2
check "cmake --install --prefix" log_step install cmake --install "$B" --prefix "$I"
echo "  (configure + build + install: $(($(date +%s) - START)) s)"
[ -d "$I" ] || finish

# ---- the installed tree
L=$I/lib
check "lib/libtinydtls.so.0.8.6 is a file" test -f "$L/libtinydtls.so.0.8.6" -a ! -L "$L/libtinydtls.so.0.8.6"
check "its SONAME is libtinydtls.so.0" bash -c \
  "readelf -d '$L/libtinydtls.so.0.8.6' | grep -q 'SONAME.*\\[libtinydtls.so.0\\]'"
check "lib/libtinydtls.so.0 -> libtinydtls.so.0.8.6" test "$(readlink "$L/libtinydtls.so.0")" = libtinydtls.so.0.8.6
check "lib/libtinydtls.so -> libtinydtls.so.0" test "$(readlink "$L/libtinydtls.so")" = libtinydtls.so.0
check "lib/libtinydtls.a is an archive" bash -c "ar t '$L/libtinydtls.a' >/dev/null"
check "lib/pkgconfig/tinydtls.pc" test -f "$L/pkgconfig/tinydtls.pc"
check "lib/cmake/tinydtls/tinydtlsConfig.cmake" test -f "$L/cmake/tinydtls/tinydtlsConfig.cmake"
check "lib/cmake/tinydtls/tinydtlsConfigVersion.cmake" test -f "$L/cmake/tinydtls/tinydtlsConfigVersion.cmake"
missing=
for h in tinydtls.h dtls_config.h dtls.h state.h peer.h session.h uthash.h alert.h crypto.h \
         aes/rijndael.h hmac.h sha2/sha2.h global.h numeric.h ccm.h dtls_time.h dtls_debug.h \
         netq.h utlist.h dtls_prng.h dtls_mutex.h ecc/ecc.h; do
  [ -f "$I/include/tinydtls/$h" ] || missing="$missing $h"
done
check "include/tinydtls/ has every header libcoap and upstream's install need${missing:+ (missing:$missing)}" \
  test -z "$missing"

# The same tree as `make install` (the CMake package included).
if log_step make-install make -s -C "$ROOT" install PREFIX="$T/mk"; then
  list() { (cd "$1" && find . \( -type f -o -type l \) | LC_ALL=C sort); }
  check "same files as make install" diff <(list "$I") <(list "$T/mk")
  check "same headers as make install (the versions filled in the same way)" diff -r "$I/include" "$T/mk/include"
  check "same CMake package files as make install" diff -r "$I/lib/cmake" "$T/mk/lib/cmake"
  check "same tinydtls.pc as make install, but for the prefix" \
    diff <(sed 1d "$I/lib/pkgconfig/tinydtls.pc") <(sed 1d "$T/mk/lib/pkgconfig/tinydtls.pc")
  # What pkg-config makes of both files, with each file's prefix replaced by
  # PREFIX (whether the prefix is right is checked below).
  pcout() {
    local pre; pre=$(PKG_CONFIG_PATH=$1/lib/pkgconfig pkg-config --variable=prefix tinydtls)
    PKG_CONFIG_PATH=$1/lib/pkgconfig pkg-config --modversion --cflags --libs --static tinydtls | sed "s|$pre|PREFIX|g"
  }
  check "tinydtls.pc gives the same as make install's" diff <(pcout "$I") <(pcout "$T/mk")
else
  fail "make install PREFIX=$T/mk"
fi

# ---- ctest on some of the registered tests of this build
check "ctest registers exactly the pieces of ctests/run-tests.sh" \
  diff <(bash "$ROOT/ctests/run-tests.sh" --list) \
       <(ctest --test-dir "$B" -N | sed -n 's/^ *Test *#[0-9]*: //p')
check "ctest -R abi-test|headers|exports|test-loopback" log_step ctest \
  ctest --test-dir "$B" --output-on-failure --timeout 300 -R '^(abi-test|headers|exports|test-loopback)$'
check "ctest ran 4 tests" grep -q '100% tests passed, 0 tests failed out of 4' "$T/ctest.log"

# ---- consumers
export LC_ALL=C
# (a) pkg-config, shared and static
PKG=$L/pkgconfig
cf=$(PKG_CONFIG_PATH=$PKG pkg-config --cflags tinydtls)
lf=$(PKG_CONFIG_PATH=$PKG pkg-config --libs tinydtls)
check "pkg-config --cflags names the installed include dir (got: $cf)" \
  bash -c "[[ '$cf ' == *'-I$I/include '* && '$cf ' == *'-I$I/include/tinydtls '* ]]"
check "pkg-config --libs names the installed lib dir (got: $lf)" bash -c "[[ '$lf ' == *'-L$L '* ]]"
mkdir -p "$T/pc"
if check "consumer builds with pkg-config (shared and --static)" log_step consumer-make \
     make -C "$ROOT/ctests/consumer" OUT="$T/pc" PKG_CONFIG_PATH="$PKG"; then
  check "pkg-config app runs" log_step run-pc env LD_LIBRARY_PATH="$L" "$T/pc/app"
  check "pkg-config app loads the installed .so" bash -c \
    "LD_LIBRARY_PATH='$L' ldd '$T/pc/app' | grep -q '$L/libtinydtls.so.0'"
  check "pkg-config --static app runs" log_step run-pc-static "$T/pc/app-static"
  check "pkg-config --static app does not need libtinydtls.so" bash -c "! ldd '$T/pc/app-static' | grep -q libtinydtls"
fi
# (b) find_package(tinydtls), and (c) tinydtls::tinydtls_static
if check "consumer configures with find_package(tinydtls) and CMAKE_PREFIX_PATH" log_step consumer-cmake \
     cmake -S "$ROOT/ctests/consumer" -B "$T/cb" -DCMAKE_PREFIX_PATH="$I" &&
   check "consumer builds with tinydtls::tinydtls and tinydtls::tinydtls_static" log_step consumer-cmake-build \
     cmake --build "$T/cb" -j2; then
  check "find_package found the installed package" \
    grep -q "^tinydtls_DIR:PATH=$L/cmake/tinydtls\$" "$T/cb/CMakeCache.txt"
  check "find_package app runs (build RPATH, no LD_LIBRARY_PATH)" log_step run-cmake "$T/cb/app"
  check "find_package app loads the installed .so" bash -c \
    "ldd '$T/cb/app' | grep -q '$L/libtinydtls.so.0'"
  check "tinydtls::tinydtls_static app runs" log_step run-cmake-static "$T/cb/app-static"
  check "tinydtls::tinydtls_static app does not need libtinydtls.so" bash -c "! ldd '$T/cb/app-static' | grep -q libtinydtls"
fi
# (d) the package version is the tinydtls API version, SameMinorVersion.
api=$(sed -n 's/^TINYDTLS_API_VERSION[[:space:]]*=[[:space:]]*//p' "$ROOT/VERSION")
go=$(sed -n 's/^TINYDTLS_GO_VERSION[[:space:]]*=[[:space:]]*//p' "$ROOT/VERSION")
mm=${api%.*}
mkdir -p "$T/ver"
cat >"$T/ver/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.19)
project(ver LANGUAGES C)
find_package(tinydtls $api EXACT REQUIRED)
message(STATUS "found tinydtls \${tinydtls_VERSION} tinydtls-go \${tinydtls_GO_VERSION}")
find_package(tinydtls $mm.0...$mm.99 REQUIRED)
unset(tinydtls_DIR CACHE)
find_package(tinydtls $mm.99 QUIET)
message(STATUS "$mm.99: \${tinydtls_FOUND}")
unset(tinydtls_DIR CACHE)
find_package(tinydtls 99.0 QUIET)
message(STATUS "99.0: \${tinydtls_FOUND}")
EOF
if check "find_package(tinydtls $api EXACT) and ($mm.0...$mm.99) succeed" log_step ver \
     cmake -S "$T/ver" -B "$T/ver/b" -DCMAKE_PREFIX_PATH="$I"; then
  check "tinydtls_VERSION is $api, tinydtls_GO_VERSION $go" grep -q "found tinydtls $api tinydtls-go $go\$" "$T/ver.log"
  check "find_package(tinydtls $mm.99) and (99.0) do not find it" \
    bash -c "grep -q '$mm.99: 0' '$T/ver.log' && grep -q '99.0: 0' '$T/ver.log'"
fi

for f in run-pc run-pc-static run-cmake run-cmake-static; do
  [ -f "$T/$f.log" ] && check "$f: both handshakes reported" bash -c \
    "grep -q '^PSK: handshake and data OK' '$T/$f.log' && grep -q '^ECDHE-ECDSA: handshake and data OK' '$T/$f.log'"
done
echo "  (whole test: $(($(date +%s) - START)) s)"
finish
