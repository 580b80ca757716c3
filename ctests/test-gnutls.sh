#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Interoperability with GnuTLS (gnutls-cli / gnutls-serv from gnutls-bin)
# over DTLS 1.2 on UDP loopback, in both roles:
#   * PSK, TLS_PSK_WITH_AES_128_CCM_8 and TLS_PSK_WITH_AES_128_CCM
#   * ECDHE-ECDSA with raw public keys (RFC 7250), mutual authentication,
#     TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 and TLS_ECDHE_ECDSA_WITH_AES_128_CCM
# Each case: handshake seen on both sides, lines in both directions (echoed
# back), then close_notify and a clean exit.
# The PEM keys GnuTLS needs are built at test time, in the scratch
# directory, from the built-in raw keys of dtls-server and dtls-client.
BIN=${1:?usage: test-gnutls.sh BINDIR}
. "$(dirname "$0")/lib.sh"

for tool in gnutls-cli gnutls-serv openssl stdbuf; do
  command -v "$tool" >/dev/null || { echo "$tool not installed (apt-get install gnutls-bin openssl)"; exit 1; }
done

KEYS=$T/keys
gnutls_credentials "$KEYS"

reset_files() { rm -f "$T"/*.out "$T"/*.err "$T"/*.in; }

# The public key GnuTLS printed (--print-cert) equals the PEM file.
same_pubkey() { # GNUTLS_OUT PEM
  diff <(sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' "$1") "$2" >/dev/null
}

# gnutls-cli -> our dtls-server.
# cli_case LABEL OUR_SUITE PRIORITY DESCRIPTION KIND CREDENTIAL_ARGS...
cli_case() {
  local label="gnutls-cli -> dtls-server $1" suite=$2 prio=$3 desc=$4 kind=$5
  shift 5
  local l1="hello from gnutls-cli $suite" l2="second line from gnutls-cli"
  port=$(freeport)
  reset_files
  bg server "$BIN/dtls-server" -A 127.0.0.1 -p "$port" -c "$suite"
  bg_fifo gnutls stdbuf -oL gnutls-cli -V --print-cert --udp -p "$port" 127.0.0.1 \
    --priority "$prio" "$@"
  check "$label: GnuTLS completed the handshake" wait_for "$T/gnutls.out" "^- Handshake was completed" 20
  check "$label: dtls-server reported the handshake" wait_for "$T/server.err" "$(event_re $EV_CONNECTED 0)" 10
  check "$label: description is $desc" grep -qF -- "- Description: $desc" "$T/gnutls.out"
  check "$label: extended master secret" grep -q "^- Options: extended master secret" "$T/gnutls.out"
  if [ "$kind" = psk ]; then
    check "$label: PSK identity" grep -qF "Connected as 'Client_identity'" "$T/gnutls.out"
  else
    check "$label: server sent a raw public key" grep -q "^- Certificate type: Raw Public Key" "$T/gnutls.out"
    check "$label: it is the server's built-in key" same_pubkey "$T/gnutls.out" "$KEYS/server.pub.pem"
    check "$label: client key sent and signed (mutual auth)" \
      bash -c "grep -q 'Successfully sent 1 certificate(s) to server' '$T/gnutls.out' &&
               grep -q '^- Client Signature: ECDSA-SHA256' '$T/gnutls.out'"
  fi
  say gnutls "$l1"
  check "$label: dtls-server received a line" wait_for "$T/server.out" "^$l1\$" 10
  check "$label: its echo came back to gnutls-cli" wait_for "$T/gnutls.out" "Received\[[0-9]*\]: $l1\$" 10
  say gnutls "$l2"
  check "$label: second line echoed" wait_for "$T/gnutls.out" "Received\[[0-9]*\]: $l2\$" 10
  check "$label: dtls-server received the second line" wait_for "$T/server.out" "^$l2\$" 5
  eval "exec ${FD_gnutls}>&-"   # EOF on stdin: gnutls-cli sends close_notify
  check "$label: close_notify reached dtls-server" wait_for "$T/server.err" "event level=1 code=0" 10
  check "$label: dtls-server answered with close_notify" \
    wait_for "$T/gnutls.out" "^- Peer has closed the GnuTLS connection" 10
  check "$label: gnutls-cli exited with status 0" wait_exit gnutls 10
  check "$label: no fatal alert at dtls-server" not grep -q 'level=2' "$T/server.err"
  kill "$PID_server" 2>/dev/null
  wait "$PID_server" 2>/dev/null
}

# our dtls-client -> gnutls-serv.
# serv_case LABEL OUR_SUITE PRIORITY GNUTLS_SUITE KIND CREDENTIAL_ARGS...
serv_case() {
  local label="dtls-client -> gnutls-serv $1" suite=$2 prio=$3 gsuite=$4 kind=$5
  shift 5
  local l1="hello from tinydtls client $suite" l2="second line from tinydtls client"
  reset_files
  check "$label: gnutls-serv is listening" start_gnutls_serv "$prio" "$@"
  bg_fifo client "$BIN/dtls-client" -c "$suite" 127.0.0.1 "$GPORT"
  check "$label: dtls-client reported the handshake" wait_for "$T/client.err" "$(event_re $EV_CONNECTED 0)" 20
  check "$label: GnuTLS selected $gsuite" grep -q "Selected cipher suite: $gsuite\$" "$T/gserv.err"
  check "$label: extended master secret" grep -q "Parsing extension 'Extended Master Secret" "$T/gserv.err"
  if [ "$kind" = rpk ]; then
    check "$label: raw public keys both ways" \
      bash -c "grep -q 'Selected client certificate type Raw Public Key' '$T/gserv.err' &&
               grep -q 'Selected server certificate type Raw Public Key' '$T/gserv.err'"
    check "$label: client sent its key and CertificateVerify" \
      bash -c "grep -q 'CERTIFICATE (11) was received' '$T/gserv.err' &&
               grep -q 'CERTIFICATE VERIFY (15) was received' '$T/gserv.err'"
  fi
  say client "$l1"
  check "$label: gnutls-serv received a line" wait_for "$T/gserv.out" "^received\[[0-9a-f]*\]: $l1\$" 10
  check "$label: its echo came back to dtls-client" wait_for "$T/client.out" "^$l1\$" 10
  say client "$l2"
  check "$label: second line echoed" wait_for "$T/client.out" "^$l2\$" 10
  check "$label: gnutls-serv saw both lines" grep -q "^received\[[0-9a-f]*\]: $l2\$" "$T/gserv.out"
  say client "client:exit"   # dtls_free_context sends close_notify
  check "$label: dtls-client exited with status 0" wait_exit client 10
  check "$label: close_notify reached gnutls-serv" wait_for "$T/gserv.out" "^EOF" 10
  check "$label: no GnuTLS error" not grep -q '^Error in' "$T/gserv.err"
  kill "$PID_gserv" 2>/dev/null
  wait "$PID_gserv" 2>/dev/null
  eval "exec ${FD_client}>&-"
}

for cipher in CCM-8 CCM; do
  sfx=${cipher//-/_}; sfx=${sfx/CCM/AES_128_CCM}   # AES_128_CCM_8 / AES_128_CCM
  PSKPRIO="$GNUTLS_BASEPRIO:+PSK:-CIPHER-ALL:+AES-128-$cipher"
  RPKPRIO="$GNUTLS_BASEPRIO:+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-$cipher:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK"
  echo "[AES-128-$cipher]"

  cli_case "PSK $cipher" "TLS_PSK_WITH_$sfx" "$PSKPRIO" \
    "(DTLS1.2-X.509)-(PSK)-(AES-128-$cipher)" psk \
    --pskusername Client_identity --pskkey "$PSKHEX"
  serv_case "PSK $cipher" "TLS_PSK_WITH_$sfx" "$PSKPRIO" "GNUTLS_PSK_$sfx" psk \
    --pskpasswd "$KEYS/psk.passwd" --pskhint CoAP

  cli_case "RPK $cipher" "TLS_ECDHE_ECDSA_WITH_$sfx" "$RPKPRIO" \
    "(DTLS1.2-Raw Public Key)-(ECDHE-SECP256R1)-(ECDSA-SHA256)-(AES-128-$cipher)" rpk \
    --rawpkkeyfile "$KEYS/client.key.pem" --rawpkfile "$KEYS/client.pub.pem" --insecure
  serv_case "RPK $cipher" "TLS_ECDHE_ECDSA_WITH_$sfx" "$RPKPRIO" "GNUTLS_ECDHE_ECDSA_$sfx" rpk \
    --rawpkkeyfile "$KEYS/server.key.pem" --rawpkfile "$KEYS/server.pub.pem"
done
finish
