// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/ecdh"
	"io"

	"github.com/tinydtls-go/tinydtls/core/p256"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// ECDSA and ECDH helpers for the P-256 suites. Every key from the peer is
// validated on the curve before use. ECDSA is core/p256's rather than
// crypto/ecdsa's, which would link math/big, fmt and reflect into the
// library; its signatures are the same bytes crypto/ecdsa's SignASN1 makes
// from the same randomness.

func parsePrivateKey(k ECDSAKey) (*p256.PrivateKey, error) {
	if len(k.Priv) != 32 || len(k.X) != 32 || len(k.Y) != 32 {
		return nil, protocol.Fatal(protocol.AlertInternalError)
	}
	priv, err := p256.NewPrivateKey(k.Priv)
	if err != nil {
		return nil, protocol.Fatal(protocol.AlertInternalError)
	}
	return priv, nil
}

func sign(rand io.Reader, priv *p256.PrivateKey, digest []byte) ([]byte, error) {
	sig, err := p256.SignASN1(priv, digest, rand)
	if err != nil {
		return nil, protocol.Fatal(protocol.AlertInternalError)
	}
	return sig, nil
}

// verify checks an ASN.1 ECDSA signature; a bad one is decrypt_error (RFC
// 5246 §7.2.2).
func verify(x, y, digest, sig []byte) error {
	pub, err := p256.NewPublicKey(x, y)
	if err != nil {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if !p256.VerifyASN1(pub, digest, sig) {
		return protocol.Fatal(protocol.AlertDecryptError)
	}
	return nil
}

// The ECDHE keys of both versions: DTLS 1.2's are P-256 (RFC 8422), DTLS
// 1.3's key shares P-256 or X25519.

// newKeyShare generates our key share for group.
func newKeyShare(rand io.Reader, group uint16) (*ecdh.PrivateKey, error) {
	var k *ecdh.PrivateKey
	var err error
	switch group {
	case protocol.GroupX25519:
		k, err = ecdh.X25519().GenerateKey(rand)
	case protocol.GroupSecp256r1:
		k, err = ecdh.P256().GenerateKey(rand)
	default:
		return nil, protocol.Fatal(protocol.AlertInternalError)
	}
	if err != nil {
		return nil, protocol.Fatal(protocol.AlertInternalError)
	}
	return k, nil
}

// sharedSecret validates the peer's share for our key's group (RFC 8446
// §4.2.8.2: P-256 points uncompressed, on the curve; X25519 not all-zero)
// and returns the shared secret.
func sharedSecret(priv *ecdh.PrivateKey, peer []byte) ([]byte, error) {
	pub, err := priv.Curve().NewPublicKey(peer)
	if err != nil {
		return nil, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	s, err := priv.ECDH(pub)
	if err != nil {
		return nil, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	return s, nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
