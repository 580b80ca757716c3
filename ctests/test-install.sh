#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make install into a scratch prefix (with DESTDIR), then build a small
# application against the installed tree with nothing but pkg-config, once
# dynamically and once statically, and run both. Then the versions (VERSION,
# README "Versions"): what consumers compare (pkg-config's Version,
# dtls_package_version(), PACKAGE_VERSION) is the tinydtls API version, the
# project's own version is in tinydtls.pc's tinydtls_go_version variable and
# description, TINYDTLS_GO_VERSION, tinydtls_go_version() (which does not
# load the engine) and the first log line of a context; the installed
# headers carry no placeholder.
BIN=${1:?usage: test-install.sh BINDIR}
. "$(dirname "$0")/lib.sh"

version_of() { sed -n "s/^$1[[:space:]]*=[[:space:]]*\([^[:space:]]*\).*/\1/p" "$ROOT/VERSION"; }
GO_VERSION=$(version_of TINYDTLS_GO_VERSION)
API_VERSION=$(version_of TINYDTLS_API_VERSION)
check "VERSION defines both versions (tinydtls-go $GO_VERSION, tinydtls API $API_VERSION)" \
  test -n "$GO_VERSION" -a -n "$API_VERSION"

prefix=/opt/tdtls-test
make -s -C "$ROOT" install PREFIX=$prefix DESTDIR="$T/dest" >"$T/install.log" 2>&1
check "make install succeeds" test $? -eq 0
inst=$T/dest$prefix
for f in lib/libtinydtls.a lib/libtinydtls.so lib/libtinydtls.so.0 lib/pkgconfig/tinydtls.pc \
         include/tinydtls/dtls.h include/tinydtls/tinydtls.h include/tinydtls/sha2/sha2.h \
         include/tinydtls/aes/rijndael.h include/tinydtls/ecc/ecc.h; do
  check "installed $f" test -e "$inst/$f"
done
check "libtinydtls.so has a SONAME" bash -c "readelf -d '$inst/lib/libtinydtls.so' | grep -q 'SONAME.*libtinydtls.so.0'"

# The installed .pc names the final prefix; point pkg-config at the staged copy.
sed "s|^prefix=.*|prefix=$inst|" "$inst/lib/pkgconfig/tinydtls.pc" >"$T/tinydtls.pc"
export PKG_CONFIG_PATH=$T
check "pkg-config version >= 0.8.6" pkg-config --atleast-version=0.8.6 tinydtls
cflags=$(pkg-config --cflags tinydtls)
libs=$(pkg-config --libs tinydtls)
check "Cflags give -I\${includedir} and -I\${includedir}/tinydtls" \
  bash -c "[[ '$cflags' == *'-I$inst/include '* || '$cflags' == *'-I$inst/include' ]] && [[ '$cflags' == *'-I$inst/include/tinydtls'* ]]"

cc -Wall -Wextra -Werror -o "$T/app" "$ROOT/ctests/install/app.c" $cflags $libs >"$T/cc.log" 2>&1
check "app builds with pkg-config --cflags --libs" test $? -eq 0
check "dynamic app runs against the installed .so" env LD_LIBRARY_PATH="$inst/lib" "$T/app"
check "dynamic app loads the installed library" \
  bash -c "LD_LIBRARY_PATH='$inst/lib' ldd '$T/app' | grep -q '$inst/lib/libtinydtls.so.0'"

# Static linking: the archive by name, plus Libs.private for the Go runtime.
static_libs=$(pkg-config --static --libs tinydtls | sed 's/-ltinydtls/-l:libtinydtls.a/')
cc -Wall -Wextra -Werror -o "$T/app-static" "$ROOT/ctests/install/app.c" $cflags $static_libs >"$T/cc-static.log" 2>&1
check "static app builds with pkg-config --static" test $? -eq 0
check "static app runs" "$T/app-static"
check "static app does not need libtinydtls.so" bash -c "! ldd '$T/app-static' | grep -q libtinydtls"

# ---- versions
check "pkg-config --modversion is the API version ($API_VERSION)" \
  test "$(pkg-config --modversion tinydtls)" = "$API_VERSION"
check "pkg-config --atleast-version=0.8.6 (libcoap's check)" pkg-config --atleast-version=0.8.6 tinydtls
check "pkg-config --variable=tinydtls_go_version is $GO_VERSION" \
  test "$(pkg-config --variable=tinydtls_go_version tinydtls)" = "$GO_VERSION"
check "the .pc's Description names tinydtls-go $GO_VERSION" \
  grep -q "^Description: .*tinydtls-go $GO_VERSION[^0-9]" "$inst/lib/pkgconfig/tinydtls.pc"
check "no installed header or .pc carries a version placeholder" \
  bash -c "! grep -r '@TINYDTLS_' '$inst/include' '$inst/lib/pkgconfig' '$inst/lib/cmake'"
check "the installed dtls_config.h defines PACKAGE_VERSION \"$API_VERSION\"" \
  grep -q "^#define PACKAGE_VERSION \"$API_VERSION\"" "$inst/include/tinydtls/dtls_config.h"
check "the installed CMake package's version is $API_VERSION, tinydtls_GO_VERSION $GO_VERSION" \
  bash -c "grep -q 'set(PACKAGE_VERSION \"$API_VERSION\")' '$inst/lib/cmake/tinydtls/tinydtlsConfigVersion.cmake' &&
           grep -q 'set(tinydtls_GO_VERSION \"$GO_VERSION\")' '$inst/lib/cmake/tinydtls/tinydtlsConfig.cmake'"

# versions_of NAME PROG: runs PROG (ctests/install/version.c) and checks its lines.
versions_of() {
  local name=$1 prog=$2 out=$T/$1.versions
  if ! "$prog" >"$out" 2>&1; then
    fail "$name: version program runs"
    return
  fi
  val() { sed -n "s/^$1=//p" "$out"; }
  check "$name: TINYDTLS_GO_VERSION is \"$GO_VERSION\"" test "$(val macro)" = "$GO_VERSION"
  check "$name: tinydtls_go_version() returns \"$GO_VERSION\"" test "$(val function)" = "$GO_VERSION"
  check "$name: tinydtls_go_version() does not load the engine" test "$(val engine_loaded)" = 0
  check "$name: dtls_package_version() is \"$API_VERSION\"" test "$(val package_version)" = "$API_VERSION"
  check "$name: PACKAGE_VERSION is \"$API_VERSION\", PACKAGE_STRING \"tinydtls $API_VERSION\"" \
    test "$(val PACKAGE_VERSION)|$(val PACKAGE_STRING)" = "$API_VERSION|tinydtls $API_VERSION"
  check "$name: a new context's first log line is \"tinydtls-go $GO_VERSION (tinydtls API $API_VERSION)...\" at DTLS_LOG_NOTICE (got: $(val first_line))" \
    bash -c "[[ '$(val first_line)' == 'tinydtls-go $GO_VERSION (tinydtls API $API_VERSION)'* ]] && [ '$(val first_level)' = 4 ]"
}
if cc -Wall -Wextra -Werror -o "$T/version" "$ROOT/ctests/install/version.c" $cflags $libs >"$T/cc-version.log" 2>&1; then
  pass "version program builds with pkg-config --cflags --libs"
  LD_LIBRARY_PATH="$inst/lib" versions_of shared "$T/version"
else
  fail "version program builds with pkg-config --cflags --libs"; sed 's/^/  | /' "$T/cc-version.log"
fi
if cc -Wall -Wextra -Werror -o "$T/version-static" "$ROOT/ctests/install/version.c" $cflags $static_libs >"$T/cc-version-static.log" 2>&1; then
  pass "version program builds with pkg-config --static"
  versions_of static "$T/version-static"
else
  fail "version program builds with pkg-config --static"; sed 's/^/  | /' "$T/cc-version-static.log"
fi
finish
