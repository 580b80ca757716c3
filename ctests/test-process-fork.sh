#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# fork and the library (README "Inside your process", "fork"), with
# ctests/process/fork.c against the installed library, shared and static:
#  - fork before the first call: parent and child both work;
#  - daemon(0, 0) before the first call (also with the library found through
#    a relative LD_LIBRARY_PATH, which daemon's chdir("/") would break if the
#    front did not resolve its directory at load time);
#  - the pre-fork pattern: the parent initialises, three workers create
#    their own contexts;
#  - fork after use: in the child every engine call returns its error value
#    at once with one DTLS_LOG_CRIT line, plain C calls work, the child
#    exits normally; the parent carries on.
BIN=${1:?usage: test-process-fork.sh BINDIR}
. "$(dirname "$0")/lib.sh"

install_scratch "$T/inst" || finish
src=$ROOT/ctests/process/fork.c
build "$T/fork" "$src" -O2 -g "${INST_SHARED[@]}" || finish
build "$T/fork-static" "$src" -O2 -g "${INST_STATIC[@]}" || finish
# the same without an rpath, to be found through LD_LIBRARY_PATH
build "$T/fork-nopath" "$src" -O2 -g $(PKG_CONFIG_PATH="$T/inst/lib/pkgconfig" pkg-config --cflags --libs tinydtls) ||
  finish

# run NAME DESCRIPTION CMD...: runs CMD (at most 60 s), shows its check
# lines, passes if it exits 0.
run() {
  local name=$1 what=$2 rc
  shift 2
  timeout -k 5 60 "$@" >"$T/$name.out" 2>&1
  rc=$?
  grep -E '^(FAIL|     )' "$T/$name.out" | sed 's/^/  | /'
  if [ $rc -eq 0 ]; then pass "$what"; else fail "$what (exit status $rc)"; fi
  rm -f "$T/$name.out"
}

for v in shared static; do
  exe=$T/fork
  [ $v = static ] && exe=$T/fork-static
  run pre-$v "[$v] fork before the first call: parent and child work" "$exe" pre
  run daemon-$v "[$v] daemon(0, 0) before the first call: the daemon works" "$exe" daemon
  run prefork-$v "[$v] pre-fork: the parent initialises, 3 workers create their own contexts" "$exe" prefork
  run post-$v "[$v] fork after use: the child is refused at once, one CRIT line, exits normally" "$exe" post
done
cp "$T/fork-nopath" "$T/inst/fork"
run daemon-relative "[shared] daemon(0, 0) with the library found through LD_LIBRARY_PATH=lib (relative)" \
  bash -c "cd '$T/inst' && LD_LIBRARY_PATH=lib ./fork daemon"
finish
