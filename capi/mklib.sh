#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds the pieces of libtinydtls; the Makefile and CMakeLists.txt both
# call it, so that both builds make the same files. Run from anywhere.
#
#   mklib.sh engine  OUT VERSION   the Go engine, c-shared (libtinydtls-engine.so.VERSION)
#   mklib.sh front   OUT VERSION INCDIR
#                                  the C front, libtinydtls.so (SONAME libtinydtls.so.0),
#                                  compiled against the build's header tree INCDIR
#                                  (INCDIR/tinydtls, the versions of VERSION filled in)
#   mklib.sh split   IN OUT DEBUGDIR
#                                  OUT = IN stripped, with a .gnu_debuglink to
#                                  DEBUGDIR/<name of OUT>.debug (debug info and symbols)
#   mklib.sh archive OUT VERSION OBJDIR INCDIR
#                                  libtinydtls.a: the front and the engine in one
#                                  object, the Go runtime started on first use,
#                                  only the API global
#
# Environment: GO, CC, CFLAGS (default -O2 -g), OBJCOPY, SOVERSION (0).
# VERSION is the tinydtls API version the file names carry. See README
# "Inside your process" for why the library is built this way.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
GO=${GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}
OBJCOPY=${OBJCOPY:-objcopy}
SOVERSION=${SOVERSION:-0}
export CGO_ENABLED=1

# Runtime settings compiled into the engine (a GODEBUG in the environment
# still overrides them): goroutine stacks never shrink, so the room kept for
# application signal handlers (capi/stackroom) stays; no asynchronous
# preemption, so the runtime sends no SIGURG into application threads and
# its own threads keep SIGURG blocked.
GODEBUG_DEFAULT=gcshrinkstackoff=1,asyncpreemptoff=1
GO_LDFLAGS="-X=runtime.godebugDefault=$GODEBUG_DEFAULT"
# No inlining in the handshake message packages: their parsers inline
# core/wire's readers at every field, which costs 24 KB of the library for
# code that runs a few times per handshake (no measurable change in
# BenchmarkHandshakePSK). The same for DTLS 1.3's key schedule (1.2 KB;
# a few HKDF calls per handshake).
MOD=github.com/tinydtls-go/tinydtls
GO_GCFLAGS=(-gcflags="$MOD/core/handshake=-l" -gcflags="$MOD/core/handshake13=-l"
  -gcflags="$MOD/core/keyschedule=-l")

# The front's compiler arguments (CFLAGS split on blanks, as make would).
# On x86-64, TLS descriptors make the front's one thread-local flag, read
# on every call, about as cheap as a global while keeping the library
# loadable with dlopen (aarch64 uses them by default).
# The front reports the versions (dtls_package_version(), tinydtls_go_version(),
# the first log line of a context) from the headers, so it is compiled
# against the build's header tree, where they are filled in.
front_cflags() { # VERSION INCDIR
  if [ ! -f "$2/tinydtls/dtls_ext.h" ] || grep -q '@TINYDTLS_[A-Z]*_VERSION@' "$2"/tinydtls/*.h; then
    echo "mklib.sh: $2/tinydtls is not a header tree with the versions filled in" >&2
    exit 1
  fi
  # shellcheck disable=SC2206
  # -Os: the front forwards calls and answers idle checks; compiled for
  # size it is 8 KB smaller (of the 2.5 MiB the library may take).
  FRONT_CFLAGS=($CFLAGS -Os -Wall -Wextra -Werror -fPIC -DTDTLS_FRONT -I"$2/tinydtls"
                "-DTDTLS_ENGINE_FILE=\"libtinydtls-engine.so.$1\"")
  case $($CC -dumpmachine 2>/dev/null) in
    x86_64*) FRONT_CFLAGS+=(-mtls-dialect=gnu2) ;;
  esac
}

abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

# Packed relative relocations (DT_RELR) when the linker makes them and the
# C library here loads them (glibc 2.36 and later): the engine's 13,000
# relocations take about 5 KB instead of 300 KB. The library then needs
# such a C library wherever it runs; TINYDTLS_RELR=0 builds without them.
relr_ldflags() {
  [ "${TINYDTLS_RELR:-1}" = 0 ] && return
  local d gocc
  # The compiler driver Go links the engine with, not necessarily $CC.
  gocc=$("$GO" env CC 2>/dev/null)
  d=$(mktemp -d)
  echo 'static int x; int *p = &x; int main(void) { return *p; }' >"$d/t.c"
  # The linker must also record the C library version the relocations
  # need, so that an older C library refuses the engine instead of loading
  # it with its relocations unapplied.
  # shellcheck disable=SC2086
  if ${gocc:-gcc} -fPIE -pie -Wl,-z,pack-relative-relocs -o "$d/t" "$d/t.c" >/dev/null 2>&1 &&
     readelf -dW "$d/t" 2>/dev/null | grep -q '(RELR)' &&
     readelf -VW "$d/t" 2>/dev/null | grep -q GLIBC_ABI_DT_RELR && "$d/t"; then
    echo "-Wl,-z,pack-relative-relocs"
  fi
  rm -rf "$d"
}

cmd=${1:?usage: mklib.sh engine|front|split|archive ...}
shift
case $cmd in
engine)
  out=$(abs "$1") version=$2
  mkdir -p "$(dirname "$out")"
  # Exports only its function table (capi/engine.map); never unloaded.
  (cd "$ROOT" && "$GO" build -trimpath -buildmode=c-shared "${GO_GCFLAGS[@]}" \
    -ldflags "$GO_LDFLAGS -extldflags \"-Wl,-soname,libtinydtls-engine.so.$version -Wl,--version-script=$ROOT/capi/engine.map -Wl,-z,nodelete $(relr_ldflags)\"" \
    -o "$out" ./capi)
  rm -f "${out%.*}.h"
  ;;

front)
  out=$(abs "$1") version=$2 inc=$(abs "${3:?mklib.sh front OUT VERSION INCDIR}")
  mkdir -p "$(dirname "$out")"
  # Exports the API (capi/front/libtinydtls.map); never unloaded, as the
  # engine it loads cannot be.
  front_cflags "$version" "$inc"
  $CC "${FRONT_CFLAGS[@]}" -shared -o "$out" \
    "$ROOT/capi/front/front.c" "$ROOT/capi/log.c" "$ROOT/capi/objects.c" \
    -Wl,-soname,libtinydtls.so.$SOVERSION -Wl,--version-script="$ROOT/capi/front/libtinydtls.map" \
    -Wl,-z,nodelete -ldl -lpthread
  ;;

split)
  in=$1 out=$2 dbg=$3
  mkdir -p "$dbg"
  name=$(basename "$out")
  "$OBJCOPY" --only-keep-debug "$in" "$dbg/$name.debug"
  "$OBJCOPY" --strip-all --add-gnu-debuglink="$dbg/$name.debug" "$in" "$out.tmp.$$"
  mv -f "$out.tmp.$$" "$out"
  ;;

archive)
  out=$(abs "$1") version=$2 obj=$(abs "$3")/archive inc=$(abs "${4:?mklib.sh archive OUT VERSION OBJDIR INCDIR}")
  front_cflags "$version" "$inc"
  arch=$("$GO" env GOARCH)
  rt0=_rt0_${arch}_linux_lib
  rm -rf "$obj" && mkdir -p "$obj/ar" "$(dirname "$out")"
  (cd "$ROOT" && "$GO" build -trimpath -buildmode=c-archive "${GO_GCFLAGS[@]}" -ldflags "$GO_LDFLAGS" \
    -o "$obj/engine.a" ./capi)

  # 1. The engine's members as one object. Its .init_array must hold one
  #    entry, the Go runtime's start ($rt0); that entry goes, and the front
  #    calls $rt0 on first use. Stop if the toolchain does it differently.
  (cd "$obj/ar" && ar x ../engine.a)
  [ -z "$(ar t "$obj/engine.a" | sort | uniq -d)" ] ||
    { echo "mklib.sh: duplicate member names in the Go archive" >&2; exit 1; }
  # -d: common symbols (cgo has one) become ordinary ones, which can be made local
  ld -r -d -o "$obj/engine-all.o" "$obj"/ar/*.o
  init=$(readelf -rW "$obj/engine-all.o" |
    awk '/^Relocation section .\.rela\.init_array/ { s = 1; next } /^Relocation section/ { s = 0 }
         s && / R_/ { print $5 }' | tr '\n' ' ')
  if [ "$init" != "$rt0 " ]; then
    echo "mklib.sh: the Go archive's .init_array holds [$init], not only $rt0;" >&2
    echo "  this Go toolchain cannot be made to start its runtime on first use" >&2
    exit 1
  fi
  # The bounds of the Go code, read-only data and function tables, for the
  # front's idle trim (capi/front/front.c); local again in step 2.
  bounds=(runtime.text runtime.etext runtime.rodata runtime.erodata runtime.pclntab runtime.epclntab)
  "$OBJCOPY" --remove-section=.init_array --remove-section=.rela.init_array \
    --globalize-symbol="$rt0" "${bounds[@]/#/--globalize-symbol=}" \
    "$obj/engine-all.o" "$obj/engine-rt0.o"
  "$OBJCOPY" --keep-global-symbol=tdtls_engine_ops --keep-global-symbol="$rt0" \
    "${bounds[@]/#/--keep-global-symbol=}" "$obj/engine-rt0.o" "$obj/engine-lazy.o"
  for b in "${bounds[@]}"; do
    nm "$obj/engine-lazy.o" | grep -q " [TtRr] $b\$" ||
      { echo "mklib.sh: $b is not defined in the Go archive" >&2; exit 1; }
  done
  nm "$obj/engine-lazy.o" | grep -q " T $rt0\$" ||
    { echo "mklib.sh: $rt0 is not defined in the Go archive" >&2; exit 1; }
  readelf -SW "$obj/engine-lazy.o" | grep -q '\.init_array' &&
    { echo "mklib.sh: the engine object still has an .init_array" >&2; exit 1; }

  # 2. The front, built to call $rt0, and the engine linked into one object
  #    where only the API (capi/front/libtinydtls.map) stays global: the Go
  #    runtime's and cgo's C symbols cannot clash with the application's or
  #    another Go archive's.
  for f in front/front log objects; do
    $CC "${FRONT_CFLAGS[@]}" -DTDTLS_FRONT_STATIC -DTDTLS_RT0="$rt0" \
      -c -o "$obj/$(basename $f).o" "$ROOT/capi/$f.c"
  done
  ld -r -o "$obj/all.o" "$obj/front.o" "$obj/log.o" "$obj/objects.o" "$obj/engine-lazy.o"
  sed -n 's/^    \([A-Za-z_0-9]*\);$/\1/p' "$ROOT/capi/front/libtinydtls.map" >"$obj/api.syms"
  "$OBJCOPY" --keep-global-symbols="$obj/api.syms" "$obj/all.o" "$obj/libtinydtls.o"
  rm -f "$out.tmp.$$"
  ar rcs "$out.tmp.$$" "$obj/libtinydtls.o"
  mv -f "$out.tmp.$$" "$out"
  rm -rf "$obj"
  ;;

*)
  echo "mklib.sh: unknown command $cmd" >&2
  exit 2
  ;;
esac
