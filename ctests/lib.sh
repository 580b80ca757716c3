# Helpers for the shell tests: scratch directories, background processes
# that are always cleaned up, and bounded waits on output (never fixed
# sleeps).

set -u
BIN=${BIN:?BIN must point at the build/bin directory}
T=$(mktemp -d "${TMPDIR:-/tmp}/tdtls-test.XXXXXX")
PIDS=()
FAILS=0

cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null
  done
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null
  done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

freeport() { "$BIN/freeport" "${1:-1}"; }

# bg NAME CMD...: runs CMD in the background with stdout/stderr in $T/NAME.out/.err.
bg() {
  local name=$1; shift
  "$@" >"$T/$name.out" 2>"$T/$name.err" &
  PIDS+=($!)
  eval "PID_$name=$!"
}

# bg_fifo NAME CMD...: like bg, but stdin comes from the fifo $T/NAME.in,
# kept open on file descriptor given by the variable FD_NAME.
bg_fifo() {
  local name=$1; shift
  mkfifo "$T/$name.in"
  "$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
  PIDS+=($!)
  eval "PID_$name=$!"
  exec {fd}>"$T/$name.in"
  eval "FD_$name=$fd"
}

# say NAME LINE: writes LINE to the stdin fifo of NAME.
say() {
  local fdvar="FD_$1"
  printf '%s\n' "$2" >&"${!fdvar}"
}

# wait_for FILE PATTERN [SECONDS]: polls until grep finds PATTERN in FILE.
wait_for() {
  local file=$1 pat=$2 limit=${3:-15} i
  for ((i = 0; i < limit * 20; i++)); do
    grep -q -e "$pat" "$file" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# wait_exit NAME [SECONDS]: waits for the process to end; its exit status is
# returned (124 on timeout, after which it is killed).
wait_exit() {
  local pidvar="PID_$1" limit=${2:-15} i
  local pid=${!pidvar}
  for ((i = 0; i < limit * 20; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      return $?
    fi
    sleep 0.05
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 124
}

# count FILE PATTERN: number of matching lines.
count() { grep -c -e "$2" "$1" 2>/dev/null || true; }

pass() { echo "  ok   $*"; }
fail() {
  echo "  FAIL $*"
  FAILS=$((FAILS + 1))
  local f
  for f in "$T"/*.out "$T"/*.err; do
    [ -s "$f" ] || continue
    echo "  ---- $(basename "$f") (last 15 lines)"
    tail -n 15 "$f" | sed 's/^/  | /'
  done
}

# check DESCRIPTION CMD...: runs CMD, reports pass/fail.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

finish() {
  if [ "$FAILS" -ne 0 ]; then
    echo "$FAILS check(s) failed"
    exit 1
  fi
  exit 0
}
