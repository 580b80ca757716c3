// SPDX-License-Identifier: BSD-3-Clause

// Package ecc is the P-256 the engine uses: raw public keys (RFC 7250) as
// DER SubjectPublicKeyInfo, the point check behind them, and the digest a
// ServerKeyExchange signature covers. Upstream's C-level ECC exports (the
// ecc.h word format, crypto.h's key helpers) are in capi/compat/ecc.
package ecc

import (
	"crypto/sha256"

	"github.com/tinydtls-go/tinydtls/core/p256"
)

// IsOnCurve reports whether the 32-byte big-endian coordinates (x, y) are a
// point of P-256 other than the point at infinity, with both coordinates
// below p: the check of core/p256's public keys, which the engine's ECDSA
// applies to the same key.
func IsOnCurve(x, y []byte) bool {
	_, err := p256.NewPublicKey(x, y)
	return err == nil
}

// HandshakeHash is the digest a ServerKeyExchange signature covers (RFC 4492
// §5.4), and upstream's dtls_ecdsa_create_sig and dtls_ecdsa_verify_sig
// sign: SHA-256(client_random || server_random || keyx_params).
func HandshakeHash(clientRandom, serverRandom, keyxParams []byte) [32]byte {
	h := sha256.New()
	h.Write(clientRandom)
	h.Write(serverRandom)
	h.Write(keyxParams)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
