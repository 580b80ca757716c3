#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# CPU profile of one tdtls_bench workload of ours (or OpenSSL's), grouped
# into categories, plus the top symbols. Needs perf (Debian: linux-perf).
#
#   bench/profile.sh psk|ecdhe|rec64|rec1024|echo [ours|openssl] [extra tdtls_bench args]
#   bench/profile.sh loadtest [x] [extra loadtest args]   (server and client processes)
#
# Samples are cpu-clock (this VM has no hardware counters) at 4999 Hz over
# all threads of the process, so Go's GC workers count. The categories are
# regular expressions over symbol names (see the awk program below).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
OUT=${BENCH_OUT:-$here/build}
w=${1:?usage: bench/profile.sh psk|ecdhe|rec64|rec1024|echo|loadtest [ours|openssl]}
who=${2:-ours}
shift
if [ $# -gt 0 ]; then shift; fi
[ -x "$OUT/tdtls_bench" ] && [ -x "$OUT/loadtest" ] || { echo "build first: NO_LOADTEST=1 NO_GO_BENCH=1 bench/run.sh --quick" >&2; exit 1; }

categorize() {
  awk '
    /^#/ || !/%/ { next }
    {
      pct = $1; sub(/%/, "", pct)
      sym = $0; sub(/^ *[0-9.]+% +/, "", sym)
      k = (sym ~ /^\[k\]/)
      sub(/^\[[.k]\] +/, "", sym); sub(/ +- +- *$/, "", sym)
      if (k) c = "kernel"
      else if (sym ~ /fips140\/aes|crypto\/aes|aes\.|gcmAes|encryptBlock/) c = "AES block cipher (crypto/aes)"
      else if (sym ~ /subtle|xorBytes|XORBytes/) c = "XOR (crypto/subtle)"
      else if (sym ~ /core\/ccm/) c = "CCM mode (core/ccm)"
      else if (sym ~ /sha256|sha512|hmac|core\/prf|block\.abi0/) c = "SHA-256 / HMAC / PRF"
      else if (sym ~ /core\/ecc|p256|nistec|bigmod/) c = "ECC (core/ecc, P-256)"
      else if (sym ~ /^crypto\/|golang.org\/x\/crypto/) c = "other Go crypto"
      else if (sym ~ /clock_gettime|nanotime|walltime|^time\./) c = "clock (nanotime / vdso, time.*)"
      else if (sym ~ /cgocall|cgocallback|asmcgocall|entersyscall|exitsyscall|reentersyscall|cgoCheck|cgoIsGoPointer|inHeapOrStack|crosscall2|_cgo_|_cgoexp|x_cgo|_Cfunc_|pthread_self|go-pointer|lockOSThread|unlockOSThread|needm|dropm|cgoBindM|setg|load_g|save_g|gosave_systemstack_switch|systemstack/) c = "cgo boundary (calls both ways, pointer checks, handle lookup)"
      else if (sym ~ /internal\/runtime\/maps|runtime\.map|aeshash|memhash|strhash|memeqbody/) c = "Go maps (lookups, hashing, iteration)"
      else if (sym ~ /mallocgc|newobject|makeslice|growslice|gcBgMarkWorker|gcDrain|scanobject|greyobject|markBits|sweep|heapBits|memclrNoHeapPointers|gcAssist|findObject|wbBuf|gcWriteBarrier|typePointers|spanOf|nextFreeFast|mspan|mcache|mcentral|mheap|scanblock|scanstack|gcMark|gcStart|bulkBarrier|publicationBarrier|nextFreeIndex|deductAssistCredit|scavenge/) c = "Go allocation + GC"
      else if (sym ~ /^runtime\.|^runtime\/|^internal\//) c = "Go runtime, other (scheduler, defer, locks, memmove)"
      else if (sym ~ /tinydtls\/core\/(engine|record|handshake|protocol|suite)/) c = "engine (core/engine, record, handshake)"
      else if (sym ~ /^main\.|tdtls_go_/) c = "C API layer in Go (capi)"
      else if (sym ~ /^(SSL|ssl|tls|dtls1|ossl|EVP|evp|BIO|bio|OPENSSL|CRYPTO|ERR|OBJ|ASN1|X509|x509|EC_|ec_|BN_|bn_|RAND|rand_|aesni|ossl_|sha256_block|HMAC|PACKET|WPACKET|lh_|OPENSSL_sk|sk_|CCM|CRYPTO_ccm)/) c = "OpenSSL"
      else if (sym ~ /^(pump|cb_|handshake|teardown|qbio|make_ssl|reset_queue|set_cli_addr|ours_|ossl_|run_|main$)/) c = "benchmark harness (C)"
      else if (sym ~ /^(dtls_|tdtls_|netq_)/) c = "C API wrappers (capi/*.c)"
      else if (sym ~ /mem(cpy|move|set|cmp)|__|^_|malloc|free|str/) c = "libc"
      else c = "other: " sym
      cat[c] += pct
    }
    END { for (c in cat) printf "  %6.2f%%  %s\n", cat[c], c }' | sort -rn | head -${1:-20}
}

case $w in
  psk)     args="--workloads psk --hs 20000" ;;
  ecdhe)   args="--workloads ecdhe --ecdhe 1500" ;;
  rec64)   args="--workloads rec --sizes 64 --records 2000000" ;;
  rec1024) args="--workloads rec --sizes 1024 --records 1000000" ;;
  echo)    args="--workloads echo --records 2000000" ;;
  loadtest) args= ;;
  *) echo "unknown workload $w" >&2; exit 2 ;;
esac

data=${PERF_DATA:-$OUT/perf.$w.$who.data}
if [ "$w" = loadtest ]; then
  # the server is the process named loadtest, the clients the one named exe
  perf record -q -e cpu-clock -F 2999 -g -o "$data" "$OUT/loadtest" "$@" >/dev/null 2>&1
  for side in "server:loadtest" "clients:exe"; do
    echo "== load test, ${side%%:*} process: share of its samples by category"
    perf report -i "$data" --comm "${side#*:}" --percentage relative --no-children --sort symbol -g none \
        --stdio --percent-limit 0 2>/dev/null | categorize 14
  done
  exit 0
fi
perf record -q -e cpu-clock -F 4999 -g -o "$data" \
  "$OUT/tdtls_bench" --only "$who" --reps 1 $args "$@" >/dev/null 2>&1

echo "== $w ($who): share of all samples by category"
perf report -i "$data" --no-children --sort symbol -g none --stdio \
    --percent-limit 0 2>/dev/null | categorize 20
echo "== top 25 symbols"
perf report -i "$data" --no-children --sort symbol -g none --stdio 2>/dev/null |
  grep -v '^#' | grep '%' | sed 's/ *- *- *$//' | head -25
