#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds the peer of test-libcoap.sh's cross tests: upstream tinydtls from
# its unmodified tarball with upstream's autotools build (the CMake build
# installs no headers and no .pc), installed into a scratch prefix, and the
# same Debian libcoap source as the main test built a second time against
# that install.
#
#   libcoap-upstream-build.sh TARBALL DSC DIR
#
# DIR/tinydtls   upstream's install prefix (lib/libtinydtls.so, no SONAME)
# DIR/libcoap    libcoap's install prefix (bin/coap-client, bin/coap-server)
# DIR/*.log      the log of every step
#
# Upstream's tinydtls.pc only gives -I${includedir}/tinydtls, and upstream
# main no longer declares DTLS_EVENT_RENEGOTIATE, which libcoap 4.3.1 uses
# unconditionally, so libcoap needs CPPFLAGS=-I<prefix>/include
# -DDTLS_EVENT_RENEGOTIATE=0x01DF (the value upstream had; upstream never
# raises the event). LDFLAGS=-L<prefix>/lib is for newer libcoaps, whose
# configure looks for dtls_set_log_handler with plain LDFLAGS (4.3.1 does not
# use it). The binaries get no rpath to upstream's library: callers set
# LD_LIBRARY_PATH=DIR/tinydtls/lib.
#
# The result is kept and reused while the tarball, the libcoap source and
# this script are unchanged (DIR/.done holds their hash); concurrent callers
# wait for the first (flock on DIR.lock). Prints one line: "built in N s" or
# "cached (built ...)"; on failure, the failed step and its log's tail, and
# exits non-zero.
set -u
TARBALL=${1:?usage: libcoap-upstream-build.sh TARBALL DSC DIR}
DSC=${2:?usage: libcoap-upstream-build.sh TARBALL DSC DIR}
DIR=${3:?usage: libcoap-upstream-build.sh TARBALL DSC DIR}

KEY=$( (sha256sum <"$TARBALL"; basename "$DSC"; sha256sum <"$0") | sha256sum | cut -c1-16)
mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock -w 1800 9 || { echo "lock $DIR.lock not obtained in 1800 s"; exit 1; }
if [ -f "$DIR/.done" ] && [ "$(head -n1 "$DIR/.done")" = "$KEY" ]; then
  echo "cached ($(sed -n 2p "$DIR/.done"))"
  exit 0
fi

rm -rf "$DIR"
mkdir -p "$DIR/tinydtls-src"
UP=$DIR/tinydtls
COAP=$DIR/libcoap
T0=$(date +%s)

# step NAME CMD...: runs CMD with its output in DIR/NAME.log.
step() {
  local name=$1
  shift
  if ! "$@" >"$DIR/$name.log" 2>&1; then
    echo "step $name failed (log $DIR/$name.log):"
    tail -n 25 "$DIR/$name.log" | sed 's/^/  | /'
    exit 1
  fi
}

CLEAN=(env -u CPPFLAGS -u CFLAGS -u LDFLAGS -u LIBS -u PKG_CONFIG_PATH -u LD_LIBRARY_PATH)

step tinydtls-unpack tar xzf "$TARBALL" -C "$DIR/tinydtls-src" --strip-components=1
# Upstream's configure has no --disable-documentation; make does not build
# the documentation anyway. Serial make: it is quick, and upstream's
# recursive Makefiles are not written for -j.
step tinydtls-configure "${CLEAN[@]}" bash -c \
  "cd '$DIR/tinydtls-src' && ./autogen.sh && timeout 300 ./configure --prefix='$UP'"
step tinydtls-make "${CLEAN[@]}" bash -c "cd '$DIR/tinydtls-src' && timeout 600 make && make install"
[ -f "$UP/lib/libtinydtls.so" ] && [ -f "$UP/lib/pkgconfig/tinydtls.pc" ] &&
  [ -f "$UP/include/tinydtls/dtls.h" ] || {
  echo "upstream's make install did not install lib/libtinydtls.so, the .pc and the headers"
  exit 1
}

step libcoap-extract dpkg-source --no-check -x "$DSC" "$DIR/libcoap-src"
# Only what the cross tests need: the shared library and the examples
# (coap-client, coap-server); no test driver (it needs --enable-static).
step libcoap-configure "${CLEAN[@]}" bash -c "cd '$DIR/libcoap-src' &&
  PKG_CONFIG_PATH='$UP/lib/pkgconfig' \
  CPPFLAGS='-I$UP/include -DDTLS_EVENT_RENEGOTIATE=0x01DF' \
  LDFLAGS='-L$UP/lib' \
  timeout 300 ./configure --prefix='$COAP' \
    --enable-dtls --with-tinydtls --without-submodule-tinydtls \
    --disable-documentation --disable-doxygen --disable-manpages \
    --disable-tests --disable-static --disable-examples-source --disable-license-install"
step libcoap-make "${CLEAN[@]}" bash -c "cd '$DIR/libcoap-src' && timeout 900 make -j2 && make install"

T1=$(date +%s)
printf '%s\nbuilt %s in %s s\n' "$KEY" "$(date -u +%FT%TZ)" $((T1 - T0)) >"$DIR/.done"
echo "built in $((T1 - T0)) s"
