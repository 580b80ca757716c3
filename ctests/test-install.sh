#!/usr/bin/env bash
# make install into a scratch prefix (with DESTDIR), then build a small
# application against the installed tree with nothing but pkg-config, once
# dynamically and once statically, and run both.
BIN=${1:?usage: test-install.sh BINDIR}
. "$(dirname "$0")/lib.sh"

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
finish
