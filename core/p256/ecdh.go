// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"errors"
	"io"
)

// ECDHE over P-256 for the engine, in place of crypto/ecdh.P256(), which
// would link its own P-256 (assembly, self-test, an 88 KB table) next to
// this one. The rules are crypto/ecdh's: private keys in [1, n-1], peer
// points uncompressed, reduced and on the curve, the shared secret the
// 32-byte x-coordinate.

var errECDHPeer = errors.New("p256: invalid ECDH peer point")

// ECDHKey is an ephemeral P-256 key for ECDHE.
type ECDHKey struct {
	d   Scalar
	enc [32]byte
	pub [65]byte
}

// GenerateECDHKey reads candidates from rand exactly as crypto/ecdh's
// P-256 GenerateKey does with a deterministic reader (Go 1.26,
// crypto/internal/fips140/ecdh.GenerateKey: read 32 bytes, key[1] ^=
// 0x42, retry while the key is 0 or >= n), so that recorded transcripts
// made under testing/cryptotest.SetGlobalRandom replay byte for byte
// when the engine passes crypto/rand.Reader. Other readers are read too
// (crypto/ecdh since Go 1.26 ignores them for crypto/rand's unless
// GODEBUG=cryptocustomrand=1).
func GenerateECDHKey(rand io.Reader) (*ECDHKey, error) {
	var b [32]byte
	defer clear(b[:])
	for {
		if _, err := io.ReadFull(rand, b[:]); err != nil {
			return nil, errRandom
		}
		// crypto/ecdh's tweak, so that an all-zero test reader does not
		// loop forever.
		b[1] ^= 0x42
		if k, err := NewECDHKey(b[:]); err == nil {
			return k, nil
		}
	}
}

// NewECDHKey takes a 32-byte big-endian private key in [1, n-1]
// (crypto/ecdh's NewPrivateKey rules). Its timing reveals only whether
// the key is valid.
func NewECDHKey(d []byte) (*ECDHKey, error) {
	k := &ECDHKey{}
	if _, err := k.d.SetBytes(d); err != nil || k.d.IsZero() == 1 {
		return nil, errPrivateKey
	}
	copy(k.enc[:], d)
	x, y, _ := ScalarBaseMult(&k.d)
	k.pub[0] = 4
	copy(k.pub[1:33], x[:])
	copy(k.pub[33:], y[:])
	return k, nil
}

// PublicKey returns the uncompressed public point 0x04 || X || Y (a fresh
// slice).
func (k *ECDHKey) PublicKey() []byte { return append([]byte(nil), k.pub[:]...) }

// Bytes returns the private key (32 bytes big-endian, a fresh slice).
func (k *ECDHKey) Bytes() []byte { return append([]byte(nil), k.enc[:]...) }

// ECDH returns the 32-byte x-coordinate of d·Peer, in constant time for
// d. peer must be a 65-byte uncompressed point on the curve (crypto/ecdh's
// NewPublicKey rules: the 0x04 prefix, coordinates below p, on the curve).
// A valid peer has prime order n and d is in [1, n-1], so the product is
// never the point at infinity; that is checked all the same.
func (k *ECDHKey) ECDH(peer []byte) ([]byte, error) {
	if len(peer) != 65 || peer[0] != 4 {
		return nil, errECDHPeer
	}
	pub, err := NewPublicKey(peer[1:33], peer[33:])
	if err != nil {
		return nil, errECDHPeer
	}
	x, _, ok := ScalarMult(pub, &k.d)
	if !ok {
		return nil, errECDHPeer
	}
	return x[:], nil
}
