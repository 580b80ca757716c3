#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's command blocks, run as a user would copy them.
#
# README.md marks every block a user would copy and run (install, building
# and running programs with pkg-config, shared and static, the CMake build
# and install, uninstall) with a fence info string:
#
#   ```sh readme-test       shell commands, run from the top of a checkout
#   ```make readme-test     lines for the user's Makefile
#   ```cmake readme-test    lines for the user's CMakeLists.txt
#
# This test takes them out of README.md (README=file to use another) and
# runs them in a scratch copy of the source tree (tracked and untracked
# files, their times kept), with HOME and PREFIX pointing into the scratch
# directory, against the build tree under test (BUILD, which make then
# finds up to date):
#
#  - each sh block in a fresh `bash -e`, in document order, except the
#    blocks that uninstall, which run last; background programs a block
#    leaves behind are stopped; port 20220 becomes a free port;
#  - every make block as the start of a Makefile that builds app from
#    ctests/install/app.c (a PSK handshake in memory), with
#    PKG_CONFIG_PATH pointing at each prefix the sh blocks installed into,
#    and app run with LD_LIBRARY_PATH;
#  - every cmake block in a CMakeLists.txt after add_executable(app
#    app.c), configured with CMAKE_PREFIX_PATH at each prefix the sh blocks
#    installed into (make install and cmake --install both required),
#    built and run as written and with tinydtls::tinydtls_static;
#  - after the uninstall blocks nothing of ours may be left in those
#    prefixes (only empty lib/ and include/), and nothing may have been
#    installed into the default PREFIX.
# Blocks may not use sudo or system paths (checked before anything runs).
# `make -q` in the copy must find nothing to do.
BIN=${1:-${BIN:?usage: test-readme.sh BINDIR}}
. "$(dirname "$0")/lib.sh"

README=${README:-$ROOT/README.md}
[ -f "$README" ] || { fail "no $README"; finish; }

# ---- the blocks: $T/blocks/NNN.{sh,make,cmake}
mkdir -p "$T/blocks"
awk -v dir="$T/blocks" '
  /^```(sh|make|cmake) readme-test[[:space:]]*$/ {
    kind = $0; sub(/^```/, "", kind); sub(/ .*/, "", kind)
    n++; file = sprintf("%s/%03d.%s", dir, n, kind); inblock = 1; next
  }
  inblock && /^```[[:space:]]*$/ { inblock = 0; close(file); next }
  inblock { print > file }
  END { if (inblock) { print "unterminated block " n > "/dev/stderr"; exit 1 } }
' "$README" || { fail "README blocks parse"; finish; }
mapfile -t BLOCKS < <(find "$T/blocks" -type f | LC_ALL=C sort)
if [ ${#BLOCKS[@]} -eq 0 ]; then
  echo "  SKIP $(basename "$README") marks no block with \"\`\`\`sh readme-test\" (or make/cmake readme-test)"
  exit $SKIP
fi
nsh=0; nmake=0; ncmake=0
for b in "${BLOCKS[@]}"; do
  case $b in *.sh) nsh=$((nsh + 1)) ;; *.make) nmake=$((nmake + 1)) ;; *.cmake) ncmake=$((ncmake + 1)) ;; esac
done
pass "$(basename "$README"): ${#BLOCKS[@]} marked blocks ($nsh sh, $nmake make, $ncmake cmake)"

# What the blocks must cover, and must not touch.
all_sh() { cat "$T"/blocks/*.sh 2>/dev/null | sed 's/#.*//'; }
check "the sh blocks install with make install PREFIX=..." bash -c "grep -q 'make install PREFIX=' <<<\"\$(cat '$T'/blocks/*.sh)\""
check "the sh blocks install with cmake --install" grep -q 'cmake --install' <(all_sh)
check "the sh blocks build with pkg-config, shared and --static" \
  bash -c "grep -q 'pkg-config --cflags --libs' <<<\"\$1\" && grep -q 'pkg-config --static --libs' <<<\"\$1\"" _ "$(all_sh)"
check "the sh blocks uninstall" grep -q 'make uninstall' <(all_sh)
check "there are make and cmake blocks" test "$nmake" -gt 0 -a "$ncmake" -gt 0
bad=$(all_sh | grep -nE '(^|[^[:alnum:]_])sudo([^[:alnum:]_]|$)|(^|[[:space:]=])/(usr|etc|opt|var|lib)(/|[[:space:]]|$)' || true)
check "no block uses sudo or a system path${bad:+ ($bad)}" test -z "$bad"
[ "$FAILS" -eq 0 ] || finish

# ---- the scratch: a copy of the source tree, HOME, PREFIX
W=$T/src
mkdir -p "$W"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$ROOT" && git ls-files -z -co --exclude-standard | xargs -0 -r ls -d 2>/dev/null | tar -cf - -T -) |
    tar -C "$W" -xf -
else
  tar -C "$ROOT" --exclude=./build --exclude='./build-*' -cf - . | tar -C "$W" -xf -
fi
check "a copy of the source tree" test -f "$W/Makefile" -a -f "$W/README.md"

# Go's caches and settings stay the user's (HOME changes below).
GOBIN_=$(command -v go || echo /usr/local/go/bin/go)
if [ -x "$GOBIN_" ]; then
  for v in GOCACHE GOMODCACHE GOPATH GOPROXY GOSUMDB GOFLAGS GOTOOLCHAIN GONOSUMDB GOPRIVATE GOINSECURE; do
    val=$("$GOBIN_" env "$v" 2>/dev/null) && export "$v=$val"
  done
fi
REAL_HOME=$HOME
export HOME=$T/home
export PREFIX=$HOME/default-prefix   # a block that forgets PREFIX installs here
export BUILD                         # make uses the build tree under test
unset DESTDIR LIBDIR INCLUDEDIR PKG_CONFIG_PATH LD_LIBRARY_PATH
mkdir -p "$HOME"

# run_sh NAME FILE: runs one sh block in $W (output in $T/NAME.log).
run_sh() {
  local name=$1 file=$2 port
  port=$(freeport)
  {
    echo 'set -e'
    echo 'trap '\''st=$?; set +e; jobs -p | xargs -r kill 2>/dev/null; wait 2>/dev/null; exit $st'\'' EXIT'
    sed "s/\\b20220\\b/$port/g" "$file"
  } >"$T/$name.script"
  (cd "$W" && timeout -k 10 900 bash "$T/$name.script") >"$T/$name.log" 2>&1
}

show() { echo "  ---- $1 (last 25 lines)"; tail -n 25 "$T/$1" | sed 's/^/  | /'; }

# ---- the sh blocks, uninstall last
later=()
for b in "${BLOCKS[@]}"; do
  [[ $b == *.sh ]] || continue
  if grep -q 'uninstall' "$b"; then later+=("$b"); continue; fi
  name=block-$(basename "$b" .sh)
  what="README block $(basename "$b"): $(grep -v '^[[:space:]]*#' "$b" | head -n 1 | cut -c1-60)..."
  if run_sh "$name" "$b"; then pass "$what"; else fail "$what"; show "$name.log"; fi
done

# The prefixes the blocks installed into.
mapfile -t PREFIXES < <(find "$HOME" -path '*/cmake/tinydtls/tinydtlsConfig.cmake' 2>/dev/null |
                        sed 's|/lib[^/]*/cmake/tinydtls/tinydtlsConfig.cmake$||' | LC_ALL=C sort -u)
check "the blocks installed into $HOME/... (${PREFIXES[*]#$HOME/}): at least two prefixes, make's and CMake's" \
  test ${#PREFIXES[@]} -ge 2
check "nothing was installed into the default PREFIX" test ! -e "$PREFIX"

# ---- the make blocks: app from ctests/install/app.c against each prefix
for b in "${BLOCKS[@]}"; do
  [[ $b == *.make ]] || continue
  for p in "${PREFIXES[@]}"; do
    d=$T/make-$(basename "$b" .make)-$(basename "$p")
    mkdir -p "$d"
    cp "$W/ctests/install/app.c" "$d/app.c"
    { cat "$b"; printf '\napp: app.c\n'; } >"$d/Makefile"
    what="README make block $(basename "$b") against ${p#$HOME/}"
    if (cd "$d" && PKG_CONFIG_PATH=$p/lib/pkgconfig make app) >"$d.log" 2>&1 &&
       LD_LIBRARY_PATH=$p/lib "$d/app" >>"$d.log" 2>&1 &&
       grep -q 'handshake and data OK' "$d.log"; then
      pass "$what: app builds and runs (LD_LIBRARY_PATH)"
    else
      fail "$what: app builds and runs (LD_LIBRARY_PATH)"; show "$(basename "$d").log"
    fi
  done
done

# ---- the cmake blocks: find_package against each prefix, shared and static
for b in "${BLOCKS[@]}"; do
  [[ $b == *.cmake ]] || continue
  sed 's/PRIVATE tinydtls::tinydtls)/PRIVATE tinydtls::tinydtls_static)/' "$b" >"$b.static"
  check "README cmake block $(basename "$b") names tinydtls::tinydtls (for the static variant too)" \
    bash -c "! cmp -s '$b' '$b.static'"
  for p in "${PREFIXES[@]}"; do
    for variant in shared static; do
      d=$T/cmake-$(basename "$b" .cmake)-$(basename "$p")-$variant
      mkdir -p "$d"
      cp "$W/ctests/install/app.c" "$d/app.c"
      { printf 'cmake_minimum_required(VERSION 3.16)\nproject(app C)\nadd_executable(app app.c)\n'
        if [ $variant = shared ]; then cat "$b"; else cat "$b.static"; fi
        printf 'message(STATUS "tinydtls ${tinydtls_VERSION} tinydtls-go ${tinydtls_GO_VERSION} in ${tinydtls_DIR}")\n'
      } >"$d/CMakeLists.txt"
      what="README cmake block $(basename "$b") against ${p#$HOME/} ($variant)"
      if cmake -S "$d" -B "$d/b" -DCMAKE_PREFIX_PATH="$p" >"$d.log" 2>&1 &&
         cmake --build "$d/b" >>"$d.log" 2>&1 && "$d/b/app" >>"$d.log" 2>&1 &&
         grep -q 'handshake and data OK' "$d.log" &&
         grep -q "tinydtls [0-9.]* tinydtls-go [0-9.]* in $p/" "$d.log"; then
        pass "$what: find_package, build, run"
      else
        fail "$what: find_package, build, run"; show "$(basename "$d").log"
      fi
    done
  done
done

# ---- make is a no-op when nothing changed
check "make -q in the copy: nothing to rebuild in the build tree" \
  bash -c "cd '$W' && make -q all >/dev/null 2>&1"

# ---- uninstall: nothing of ours left
for b in "${later[@]}"; do
  name=block-$(basename "$b" .sh)
  what="README block $(basename "$b"): $(grep -v '^[[:space:]]*#' "$b" | head -n 1 | cut -c1-60)..."
  if run_sh "$name" "$b"; then pass "$what"; else fail "$what"; show "$name.log"; fi
done
for p in "${PREFIXES[@]}"; do
  left=$(cd "$p" 2>/dev/null && find . -mindepth 1 \( -not -type d -o -type d -not -name lib -not -name include \) | head -n 5 | tr '\n' ' ')
  check "uninstalled: nothing left in ${p#$HOME/} but empty lib/ and include/${left:+ (left: $left)}" test -z "$left"
done
export HOME=$REAL_HOME
finish
