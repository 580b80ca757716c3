#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs first in `make test`: every program the tests use, with the Debian
# package that provides it. A missing one stops make test here, with the
# command that installs them all, instead of failing a test deep inside.
# (.ci/run installs the same list.)
set -u

# program:package
need=(
  cc:build-essential make:make pkg-config:pkg-config cmake:cmake
  openssl:openssl gnutls-cli:gnutls-bin gnutls-serv:gnutls-bin
  valgrind:valgrind
  coap-client-gnutls:libcoap3-bin coap-server-gnutls:libcoap3-bin
  coap-client-openssl:libcoap3-bin coap-server-openssl:libcoap3-bin
  apt-get:apt dpkg-source:dpkg-dev
  autoconf:autoconf automake:automake libtoolize:libtool
  ss:iproute2 stdbuf:coreutils flock:util-linux ldd:libc-bin
  doxygen:doxygen nm:binutils
)
# headers and libraries that libcoap's build and test driver need
headers=(CUnit/CUnit.h:libcunit1-dev uthash.h:uthash-dev)

missing=()
for item in "${need[@]}"; do
  prog=${item%%:*} pkg=${item#*:}
  command -v "$prog" >/dev/null 2>&1 || missing+=("$pkg ($prog)")
done
for item in "${headers[@]}"; do
  h=${item%%:*} pkg=${item#*:}
  [ -f "/usr/include/$h" ] || missing+=("$pkg ($h)")
done
if [ ${#missing[@]} -ne 0 ]; then
  echo "make test needs programs that are not installed:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  pkgs=$(printf '%s\n' "${missing[@]}" | cut -d' ' -f1 | sort -u | tr '\n' ' ')
  echo "install them with: sudo apt-get install $pkgs" >&2
  echo "(libcoap's source also needs a deb-src entry; .ci/run sets up everything)" >&2
  exit 1
fi
# The source archive, for `apt-get source libcoap3`.
if ! grep -rqsE '^(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "make test needs a deb-src entry in the apt sources (for apt-get source libcoap3); .ci/run adds one" >&2
  exit 1
fi
echo "check-tools: every program the tests need is installed"
