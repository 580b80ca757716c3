// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"io"

	"github.com/tinydtls-go/tinydtls/core/p256"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/x25519"
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
// 1.3's key shares P-256 or X25519. Both are ours (core/p256,
// core/x25519) rather than crypto/ecdh's, which links every NIST curve's
// self-test and an 88 KB table into the library. Keys are drawn from the
// Endpoint's randomness as crypto/ecdh draws them, so that the recorded
// transcripts replay.

// keyShare is our ephemeral key for one group.
type keyShare struct {
	p256   *p256.ECDHKey // secp256r1
	x25519 [32]byte      // X25519's private scalar
	pub    []byte        // what goes on the wire
}

// newKeyShare generates our key share for group.
func newKeyShare(rand io.Reader, group uint16) (*keyShare, error) {
	k := &keyShare{}
	switch group {
	case protocol.GroupX25519:
		if _, err := io.ReadFull(rand, k.x25519[:]); err != nil {
			return nil, protocol.Fatal(protocol.AlertInternalError)
		}
		pub := x25519.ScalarBaseMult(&k.x25519)
		k.pub = pub[:]
	case protocol.GroupSecp256r1:
		var err error
		if k.p256, err = p256.GenerateECDHKey(rand); err != nil {
			return nil, protocol.Fatal(protocol.AlertInternalError)
		}
		k.pub = k.p256.PublicKey()
	default:
		return nil, protocol.Fatal(protocol.AlertInternalError)
	}
	return k, nil
}

// publicKey is the share as it goes on the wire: an uncompressed P-256
// point or X25519's u-coordinate.
func (k *keyShare) publicKey() []byte { return k.pub }

// sharedSecret validates the peer's share for our key's group (RFC 8446
// §4.2.8.2: P-256 points uncompressed, on the curve; X25519 32 bytes, the
// result not all-zero) and returns the shared secret.
func sharedSecret(k *keyShare, peer []byte) ([]byte, error) {
	if k.p256 != nil {
		s, err := k.p256.ECDH(peer)
		if err != nil {
			return nil, protocol.Fatal(protocol.AlertIllegalParameter)
		}
		return s, nil
	}
	if len(peer) != 32 {
		return nil, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	s, err := x25519.X25519(&k.x25519, (*[32]byte)(peer))
	if err != nil {
		return nil, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	return s[:], nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
