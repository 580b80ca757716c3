#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Mixed pairs under impairment: our library against upstream's C tinydtls
# over a bad link must do at least as well as upstream does with itself,
# and ours must never be the reason a handshake fails.
#
# ctests/upstream_peer.c (upstream's public API only; it calls
# dtls_check_retransmit, which upstream's example programs never do) is
# built twice, on our library and on upstream's, and the builds are paired
# through ctests/tools/udp-proxy:
#   ours-client x upstream-server, upstream-client x ours-server,
#   upstream x upstream (the baseline), ours x ours (for reference)
# x PSK and ECDHE (TLS_*_AES_128_CCM_8)
# x impairment A "-u 10 -r 10" (10 % duplicated, 10 % reordered) and
#   B "-d 30 -u 10 -r 10" (and 30 % lost)
# x the same fixed proxy seeds for every pairing.
# A handshake counts as completed when the client connected and the echo
# of its application record came back (it pings once a second, up to 20
# times).  Every handshake has the same wall-clock cap (UPSTREAM_LOSSY_CAP,
# default 130 s): all 7 of our retransmissions (at 1..123 s) and 6 of
# upstream's (at 2..126 s) fit in it; upstream's 7th would come at 254 s.
#
# Checks:
#   * per suite and impairment, each mixed pairing completes at least as
#     many handshakes as upstream x upstream over the same seeds;
#   * every failed handshake gets a one-line diagnosis from the logs of
#     both peers and the proxy (diagnose, below), which names the side that
#     caused it.  In a mixed pairing a failure caused by our side, or one
#     the rules cannot explain, fails the test; one caused by upstream's
#     side (or by the link alone) is reported with its reason.  Every
#     ours x ours handshake must complete.
#
# What decides the outcome (upstream main 8a9e048): upstream's server never
# resends its final flight (ChangeCipherSpec and Finished, a datagram
# each; it drops the client's retransmissions with "No security context
# for epoch: 0") and restarts the handshake on any further ClientHello with
# a cookie, a copy or a retransmission; upstream's client resends its
# cookie ClientHello after part of flight 4 has arrived and drops a
# Finished that overtakes the ChangeCipherSpec.  So with upstream's server
# a handshake through B fails, whoever the client, whenever the proxy
# drops one of those two datagrams.  Which datagram numbers they get
# depends on what was retransmitted before, so the same seed need not
# fail for every pairing, and where two 2-second timers of upstream's race
# the baseline varies from run to run (PSK-B: 3 to 5 of 8 over eleven
# runs, ours-client x upstream-server 5 every time).
#
# Scheduling: the cases run in parallel, but at most UPSTREAM_LOSSY_FRESH
# (4) of them in their first UPSTREAM_LOSSY_FRESH_S (2) seconds, where the
# ECDHE arithmetic is (upstream's takes about 0.1 s per operation on an
# idle core and gets much slower when dozens of cases start at once, which
# changes what is retransmitted when), and at most UPSTREAM_LOSSY_JOBS (64)
# at all; a case that waits for a retransmission costs nothing.  The four
# pairings of one seed, suite and impairment start one after the other, so
# they see the same load.
#
# Knobs: UPSTREAM_LOSSY_SEEDS="1 2 ..." (the seeds), UPSTREAM_LOSSY_CAP,
# UPSTREAM_LOSSY_JOBS, UPSTREAM_LOSSY_FRESH, UPSTREAM_LOSSY_FRESH_S,
# UPSTREAM_LOSSY_ONLY (a regex over case names, e.g. "^ou-psk-B"; the
# comparison with the baseline is then only over what ran), KEEP_TMP=1
# keeps every log (a failed check keeps them too): per case NAME/ with
# srv.out/cli.out (result lines), srv.err/cli.err (the library's debug log
# and a trace of every datagram), proxy.err (each datagram's fate).
# Case names are PAIR-SUITE-IMPAIRMENT-SEED, PAIR being the client's and
# the server's library (o = ours, u = upstream): ou-ecdhe-B-3.
BIN=${1:?usage: test-upstream-lossy.sh BINDIR}
. "$(dirname "$0")/lib.sh"

need_upstream
build_upstream
[ -x "$UPSTREAM_BUILD/libtinydtls.so" ] || finish
build_proxy || finish

# ---- the peer program, once per library -----------------------------------

PEER_SRC=$ROOT/ctests/upstream_peer.c
mkdir -p "$T/bin"
PEER_OURS=$T/bin/peer-ours
PEER_UP=$T/bin/peer-upstream
build "$PEER_OURS" "$PEER_SRC" -O2 "${WITH_LIB[@]}" || finish
build "$PEER_UP" "$PEER_SRC" -O2 -I"$UPSTREAM_SRC" -I"$UPSTREAM_BUILD" \
  -L"$UPSTREAM_BUILD" -Wl,-rpath,"$UPSTREAM_BUILD" -ltinydtls || finish

# loads LIBDIR PROGRAM: the dynamic loader resolves libtinydtls of
# PROGRAM inside LIBDIR.
loads() {
  local dir
  dir=$(cd "$1" && pwd -P)
  ldd "$2" | grep -q "libtinydtls\.so.* => $dir/libtinydtls\.so"
}
check "peer-ours loads $BUILD/lib/libtinydtls.so" loads "$BUILD/lib" "$PEER_OURS"
check "peer-upstream loads upstream's libtinydtls.so" loads "$UPSTREAM_BUILD" "$PEER_UP"
[ "$FAILS" -eq 0 ] || finish

# ---- the matrix -------------------------------------------------------------

# shellcheck disable=SC2206
SEEDS=(${UPSTREAM_LOSSY_SEEDS:-1 2 3 4 5 6 7 8})
CAP=${UPSTREAM_LOSSY_CAP:-130}
JOBS=${UPSTREAM_LOSSY_JOBS:-64}
FRESH=${UPSTREAM_LOSSY_FRESH:-4}
FRESH_S=${UPSTREAM_LOSSY_FRESH_S:-2}
PINGS=20
declare -A IMPAIR=([A]="-u 10 -r 10" [B]="-d 30 -u 10 -r 10")
# Pairings: client library, server library (o = ours, u = upstream).
PAIRS=(ou uo uu oo)
declare -A PAIR_NAME=([ou]="ours-client x upstream-server"
                      [uo]="upstream-client x ours-server"
                      [uu]="upstream x upstream (baseline)"
                      [oo]="ours x ours (reference)")
peer_bin() { if [ "$1" = o ]; then echo "$PEER_OURS"; else echo "$PEER_UP"; fi; }

CASES_DIR=$T/cases
mkdir -p "$CASES_DIR"

# run_case NAME CLIENT SERVER SUITE IMP SEED: one handshake in
# $CASES_DIR/NAME; the client's exit status goes to NAME/rc (99: the
# server or the proxy did not start).
run_case() {
  local name=$1 cl=$2 sv=$3 suite=$4 imp=$5 seed=$6 port pport rc=99
  local dir=$CASES_DIR/$name
  mkdir -p "$dir"
  T=$dir
  PIDS=()
  trap cleanup_case EXIT
  trap 'exit 143' TERM INT
  # The server outlives the client's handshake cap and its pings.
  bg srv timeout -k 5 $((CAP + PINGS + 30)) "$(peer_bin "$sv")" -v 6 -T -t $((CAP + PINGS + 20)) server "$suite" 0
  if wait_for "$dir/srv.out" "listening port=" 20; then
    port=$(sed -n 's/.* listening port=\([0-9]*\) .*/\1/p' "$dir/srv.out")
    # shellcheck disable=SC2086
    if start_proxy "$port" -s "$seed" ${IMPAIR[$imp]} -T $((CAP + PINGS + 40)) -v; then
      pport=$PPORT
      timeout -k 5 $((CAP + PINGS + 20)) "$(peer_bin "$cl")" -v 6 -T -t "$CAP" -n "$PINGS" \
        client "$suite" "$pport" >"$dir/cli.out" 2>"$dir/cli.err"
      rc=$?
    fi
  fi
  echo "$rc" >"$dir/rc"
}
# Ends the case's processes; the logs stay for the diagnosis.
cleanup_case() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
}

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# Order: the lossy cases first (they last longest), then by seed; the four
# pairings of a seed, suite and impairment back to back.
CASES=()
for imp in B A; do
  for seed in "${SEEDS[@]}"; do
    for suite in ecdhe psk; do
      for pair in "${PAIRS[@]}"; do
        name=$pair-$suite-$imp-$seed
        if [ -n "${UPSTREAM_LOSSY_ONLY:-}" ] && ! [[ $name =~ $UPSTREAM_LOSSY_ONLY ]]; then continue; fi
        CASES+=("$name")
      done
    done
  done
done

declare -A STARTED    # pid -> start time (ms)
trap 'exit 143' TERM INT HUP
START=$SECONDS
for name in "${CASES[@]}"; do
  IFS=- read -r pair suite imp seed <<<"$name"
  while :; do
    running=0 fresh=0 now=$(now_ms)
    for p in $(jobs -rp); do
      [ -n "${STARTED[$p]:-}" ] || continue
      running=$((running + 1))
      [ $((now - STARTED[$p])) -lt $((FRESH_S * 1000)) ] && fresh=$((fresh + 1))
    done
    [ "$running" -lt "$JOBS" ] && [ "$fresh" -lt "$FRESH" ] && break
    sleep 0.1
  done
  (run_case "$name" "${pair:0:1}" "${pair:1:1}" "$suite" "$imp" "$seed") >"$CASES_DIR/$name.log" 2>&1 &
  PIDS+=($!)
  STARTED[$!]=$(now_ms)
done
LAUNCHED=$((SECONDS - START))
wait
echo "  ${#CASES[@]} handshakes in $((SECONDS - START)) s (all started after $LAUNCHED s; at most $FRESH starting at a time, cap $CAP s each, seeds ${SEEDS[*]})"

# ---- diagnosis ----------------------------------------------------------------

# The -T trace of upstream_peer has one line per datagram,
#   t=SECONDS tx|rx LENB: REC | REC ...
# and the proxy numbers the datagrams of each direction in the order it
# gets them ("c2s #N", "s2c #N"): the N-th datagram the client sent is
# c2s #N, the N-th the server sent is s2c #N (one client per proxy).

# tx_n FILE ERE: the number of the first datagram sent that matches ERE.
tx_n() { awk -v re="$2" '/^t=[0-9.]* tx / { n++; if ($0 ~ re) { print n; exit } }' "$1"; }
# fate DIR c2s|s2c N: what the proxy did with that datagram.
fate() { sed -n "s/^udp-proxy: $2 #$3 len=[0-9]* //p" "$1/proxy.err" | head -n 1; }
# dgram DIR c2s|s2c N: "s2c #N (dropped)", or "s2c #?" without N.
dgram() { if [ -n "$3" ]; then echo "$2 #$3 ($(fate "$1" "$2" "$3"))"; else echo "$2 #?"; fi; }
# first FILE ERE: "LINE TIME" of the first line matching ERE.
first() { awk -v re="$2" '$0 ~ re { t = $1; sub(/^t=/, "", t); print NR, t; exit }' "$1"; }
# after FILE T ERE: how many lines after time T match ERE.
after() { awk -v t0="$2" -v re="$3" '{ t = $1; sub(/^t=/, "", t) } t + 0 > t0 + 0 && $0 ~ re { n++ } END { print n + 0 }' "$1"; }
# first_warn_after FILE T: the first WARN (or worse) log line from time T on.
first_warn_after() {
  awk -v t0="$2" '{ t = $1; sub(/^t=/, "", t) } t + 0 >= t0 + 0 && $2 ~ /^(WARN|CRIT|ALRT|EMRG)$/ {
    $1 = ""; sub(/^ /, ""); print; exit }' "$1"
}
# hash FILE tx|rx TYPE first|last: the h= of the first or last TYPE message
# sent or received.
hash() {
  local h
  h=$(sed -n "s/^t=[0-9.]* $2 .*hs e0 s[0-9]* $3 m[0-9]*[^|]* h=\([0-9a-f]*\).*/\1/p" "$1")
  if [ "$4" = first ]; then echo "$h" | head -n 1; else echo "$h" | tail -n 1; fi
}
lib() { if [ "$1" = o ]; then echo our; else echo "upstream's"; fi; }
verdict() { if [ "$1" = o ]; then echo ours; else echo upstream; fi; }
before() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

FLIGHT4='(ServerHello|Certificate|ServerKeyExchange|CertificateRequest|ServerHelloDone) m'
OLD_EPOCH=' rx .*(hs e0 s[0-9]+ (Certificate|ClientKeyExchange|CertificateVerify)|ccs e0)'

# diagnose NAME: "VERDICT: WHY" for a failed handshake, VERDICT being
# ours, upstream (upstream's library), link (the proxy lost every copy of
# something; nobody's fault) or unexplained.  The rules, in order:
#  1. upstream's server restarted the handshake on a ClientHello with a
#     cookie ("removing the peer, new handshake") after it had sent the
#     ServerHello or ServerKeyExchange the client kept (matched by hash),
#     so that the two sides' handshakes differ.  Upstream's doing when the
#     ClientHello was a copy the network made (the server got the same
#     record twice) or a retransmission sent before anything of flight 4
#     had arrived; the client's when it resent the ClientHello after part
#     of flight 4 had arrived.
#  2. the server completed and the client did not: the server's final
#     flight (ChangeCipherSpec, Finished) did not get through.  A server
#     that never resent it although the client's retransmitted flight 5
#     reached it is the cause; so is a client that stopped retransmitting;
#     the link when it lost every copy; a client that got the whole flight
#     is the cause only when it is upstream's and the Finished overtook
#     the ChangeCipherSpec (upstream drops records of the next epoch),
#     otherwise unexplained, as is a server that resent it and got it
#     through.
#  3. a fatal alert: the sender's side, with its last warning.
#  4. anything else: unexplained.
diagnose() {
  local name=$1 d=$CASES_DIR/$1 cl=${1:0:1} sv=${1:1:1} C S
  C="$(lib "$cl") client"
  S="$(lib "$sv") server"
  local rc res
  rc=$(cat "$d/rc" 2>/dev/null)
  res=$(sed -n 's/.* result=\([a-z-]*\) .*/\1/p' "$d/cli.out" 2>/dev/null)
  case $rc in
    1 | 2 | 3) ;;
    *) echo "unexplained: the case did not run (rc=${rc:-none}; see $name.log)"; return ;;
  esac

  # 1. upstream's server restarted the handshake under the client.
  if [ "$sv" = u ] && grep -q 'removing the peer, new handshake' "$d/srv.err"; then
    local msg="" kept="" now="" type
    for type in ServerHello ServerKeyExchange; do
      kept=$(hash "$d/cli.err" rx "$type" first)
      now=$(hash "$d/srv.err" tx "$type" last)
      if [ -n "$kept" ] && [ "$kept" != "$now" ]; then msg=$type; break; fi
    done
    if [ -n "$msg" ]; then
      local tk rseq rdup rt n ttx tf4 why
      read -r _ tk < <(first "$d/srv.err" " tx .*$msg m[0-9]+.* h=$kept")
      read -r rseq rdup rt < <(awk -v tk="${tk:-0}" '
        / rx .*hs e0 s[0-9]+ ClientHello m[0-9]+ cookie=[1-9]/ {
          match($0, /hs e0 s[0-9]+ ClientHello/); s = substr($0, RSTART + 7, RLENGTH - 19)
          seen[s]++; last = s }
        /removing the peer, new handshake/ && last != "" {
          t = $1; sub(/^t=/, "", t); if (t + 0 >= tk + 0) { print last, (seen[last] > 1), t; exit } }' "$d/srv.err")
      if [ -n "$rseq" ]; then
        why="the client kept the $msg (h=$kept) the server had sent before it restarted the handshake (\"removing the peer, new handshake\") on"
        n=$(tx_n "$d/cli.err" " tx .*hs e0 s$rseq ClientHello ")
        if [ "$rdup" = 1 ]; then
          echo "upstream: $why a second copy of the cookie ClientHello (record $rseq received twice, a copy the proxy made: $(dgram "$d" c2s "$n")); then: $(first_warn_after "$d/srv.err" "$rt")"
          return
        fi
        read -r _ ttx < <(first "$d/cli.err" " tx .*hs e0 s$rseq ClientHello ")
        read -r _ tf4 < <(first "$d/cli.err" " rx .*$FLIGHT4")
        if [ -n "$tf4" ] && ! before "$ttx" "$tf4"; then
          echo "$(verdict "$cl"): $C resent its cookie ClientHello (record $rseq at t=$ttx, $(dgram "$d" c2s "$n")) after part of flight 4 had arrived (t=$tf4), and $why it; then: $(first_warn_after "$d/srv.err" "$rt")"
        else
          echo "upstream: $why $C's retransmission of its cookie ClientHello (record $rseq at t=$ttx, $(dgram "$d" c2s "$n")), sent at its timeout with nothing of flight 4 received; then: $(first_warn_after "$d/srv.err" "$rt")"
        fi
        return
      fi
    fi
  fi

  # 2. the server completed, the client did not.
  local ts tc
  ts=$(sed -n 's/.* connected t=\([0-9.]*\)$/\1/p' "$d/srv.out" | head -n 1)
  tc=$(sed -n 's/.* connected t=\([0-9.]*\)$/\1/p' "$d/cli.out" | head -n 1)
  if [ -n "$ts" ] && [ -z "$tc" ]; then
    local nccs nfin sent resent retx lccs tccs lfin tfin cli_after flight got
    nccs=$(tx_n "$d/srv.err" " tx .*ccs e0 ")
    nfin=$(tx_n "$d/srv.err" " tx .*hs e1 ")
    sent=$(grep -cE '^t=[0-9.]* tx .*ccs e0 ' "$d/srv.err")
    resent=$((sent - 1))
    retx=$(after "$d/srv.err" "$ts" "$OLD_EPOCH")
    read -r lccs tccs < <(first "$d/cli.err" ' rx .*ccs e0 ')
    read -r lfin tfin < <(first "$d/cli.err" ' rx .*hs e1 ')
    cli_after=$(after "$d/cli.err" "$ts" ' tx ')
    if [ "$sv" = u ]; then
      flight="its ChangeCipherSpec $(dgram "$d" s2c "$nccs"), its Finished $(dgram "$d" s2c "$nfin")"
    else
      flight="its ChangeCipherSpec and Finished $(dgram "$d" s2c "$nccs")"
    fi
    got="the client got "
    if [ -n "$lccs" ]; then got+="the ChangeCipherSpec at t=$tccs, "; else got+="no ChangeCipherSpec, "; fi
    if [ -n "$lfin" ]; then got+="the Finished at t=$tfin"; else got+="no Finished"; fi
    if [ -n "$lccs" ] && [ -n "$lfin" ]; then
      if [ "$cl" = u ] && [ "$resent" -eq 0 ] && [ "$lfin" -lt "$lccs" ]; then
        echo "upstream: the Finished overtook the ChangeCipherSpec ($flight; $got) and $C dropped it (upstream drops records of the next epoch); $S never resent its final flight although $retx records of the client's retransmitted flight 5 reached it after it completed"
      else
        echo "unexplained: $C got the server's whole final flight ($flight; $got) but did not complete"
      fi
    elif [ "$resent" -eq 0 ] && [ "$retx" -gt 0 ]; then
      echo "$(verdict "$sv"): $S never resent its final flight ($flight; $got) although $retx records of $C's retransmitted flight 5 reached it after it completed$(grep -q 'No security context for epoch: 0' "$d/srv.err" && echo " (it logs \"No security context for epoch: 0\")")"
    elif [ "$resent" -eq 0 ] && [ "$cli_after" -eq 0 ]; then
      echo "$(verdict "$cl"): $C stopped retransmitting its flight 5 before the server completed (t=$ts), and the server's final flight did not get through ($flight; $got)"
    elif [ "$resent" -eq 0 ]; then
      echo "link: the proxy dropped all $cli_after datagrams $C sent after the server completed, and the server's final flight did not get through ($flight; $got)"
    else
      local all_lost=1 k
      for k in $(awk '/^t=[0-9.]* tx / { n++ } /^t=[0-9.]* tx .*ccs e0 / { print n }' "$d/srv.err"); do
        [ "$(fate "$d" s2c "$k")" = dropped ] || all_lost=0
      done
      if [ "$all_lost" = 1 ]; then
        echo "link: the proxy dropped all $sent copies of the final flight of $S ($got); $retx records of the client's retransmitted flight 5 reached the server after it completed"
      else
        echo "unexplained: $S resent its final flight $resent times and some got through, but $C did not complete ($got)"
      fi
    fi
    return
  fi

  # 3. a fatal alert.
  local f side line role warn
  for f in srv cli; do
    line=$(grep -m1 -nE '^t=[0-9.]* tx .*alert e0 s[0-9]+ 2/|handshake failed, sending' "$d/$f.err") || continue
    if [ "$f" = srv ]; then side=$sv role=server; else side=$cl role=client; fi
    warn=$(head -n "${line%%:*}" "$d/$f.err" | grep -E '^t=[0-9.]* (WARN|CRIT|ALRT)' |
           grep -v 'handshake failed, sending' | tail -n 1 | cut -d' ' -f2-)
    if [ "$side" = o ]; then
      echo "ours: our $role sent a fatal alert after: ${warn:-no warning}"
    elif [[ $warn == *"Fragment size does not match"* ]]; then
      echo "ours: upstream's $role rejected a record with more than one handshake message: $warn"
    else
      echo "unexplained: upstream's $role sent a fatal alert after: ${warn:-no warning}"
    fi
    return
  done

  if [ "$res" = no-echo ]; then
    echo "unexplained: connected, but no echo after $PINGS pings"
    return
  fi
  echo "unexplained: $res; client connected: ${tc:-no}, server connected: ${ts:-no}"
}

# ---- results --------------------------------------------------------------------

declare -A OK TOTAL
for name in "${CASES[@]}"; do
  IFS=- read -r pair suite imp seed <<<"$name"
  key=$pair-$suite-$imp
  TOTAL[$key]=$((${TOTAL[$key]:-0} + 1))
  [ "$(cat "$CASES_DIR/$name/rc" 2>/dev/null)" = 0 ] && OK[$key]=$((${OK[$key]:-0} + 1))
done
COLS=(psk-A ecdhe-A psk-B ecdhe-B)
echo "  A: ${IMPAIR[A]}, B: ${IMPAIR[B]}; completed handshakes:"
printf '  %-32s %7s %7s %7s %7s\n' pairing PSK-A ECDHE-A PSK-B ECDHE-B
for pair in "${PAIRS[@]}"; do
  row=$(printf '  %-32s' "${PAIR_NAME[$pair]}") below=
  for col in "${COLS[@]}"; do
    key=$pair-${col%-*}-${col#*-}
    if [ -z "${TOTAL[$key]:-}" ]; then row+=$(printf ' %7s' -); continue; fi
    row+=$(printf ' %7s' "${OK[$key]:-0}/${TOTAL[$key]}")
    base=uu-${col%-*}-${col#*-}
    if [ "${pair:0:1}" != "${pair:1:1}" ] && [ -n "${TOTAL[$base]:-}" ] &&
       [ "${OK[$key]:-0}" -lt "${OK[$base]:-0}" ]; then below=1; fi
  done
  echo "$row${below:+   <- below baseline}"
done

# at_least PAIR COLUMN: the pairing completed at least as many handshakes
# as the baseline.
at_least() { local k=$1-${2%-*}-${2#*-} b=uu-${2%-*}-${2#*-}; [ "${OK[$k]:-0}" -ge "${OK[$b]:-0}" ]; }
for pair in ou uo; do
  for col in "${COLS[@]}"; do
    key=$pair-${col%-*}-${col#*-}
    base=uu-${col%-*}-${col#*-}
    [ -n "${TOTAL[$key]:-}" ] && [ -n "${TOTAL[$base]:-}" ] || continue
    check "${PAIR_NAME[$pair]}, $col: ${OK[$key]:-0} >= baseline ${OK[$base]:-0}" at_least "$pair" "$col"
  done
done

echo "  diagnosis of every failed handshake:"
nfailed=0
for name in "${CASES[@]}"; do
  [ "$(cat "$CASES_DIR/$name/rc" 2>/dev/null)" = 0 ] && continue
  nfailed=$((nfailed + 1))
  why=$(diagnose "$name")
  pair=${name%%-*}
  case $pair:${why%%:*} in
    uu:*) echo "  note $name ${why}" ;;
    oo:*) fail "$name (ours x ours) ${why}" ;;
    *:upstream | *:link) echo "  note $name ${why}" ;;
    *) fail "$name ${why}" ;;
  esac
done
[ "$nfailed" -eq 0 ] && echo "  (none)"

if [ "$FAILS" -ne 0 ]; then
  KEEP_TMP=1
  echo "  the logs of every case are kept in $CASES_DIR/NAME; rerun one case with UPSTREAM_LOSSY_ONLY='^NAME\$'"
fi
finish
