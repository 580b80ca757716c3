// SPDX-License-Identifier: BSD-3-Clause

package x25519

import (
	"crypto/ecdh"
	"testing"
)

var sink [32]byte

func BenchmarkScalarBaseMult(b *testing.B) {
	k := random32(b)
	for b.Loop() {
		sink = ScalarBaseMult(k)
	}
}

func BenchmarkX25519(b *testing.B) {
	k, u := random32(b), random32(b)
	for b.Loop() {
		sink, _ = X25519(k, u)
	}
}

// BenchmarkECDH is crypto/ecdh doing the same: NewPrivateKey computes the
// public key, and ECDH the shared secret.
func BenchmarkECDH(b *testing.B) {
	k, u := random32(b), random32(b)
	b.Run("ScalarBaseMult", func(b *testing.B) {
		for b.Loop() {
			if _, err := ecdh.X25519().NewPrivateKey(k[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("X25519", func(b *testing.B) {
		priv, _ := ecdh.X25519().NewPrivateKey(k[:])
		pub, _ := ecdh.X25519().NewPublicKey(u[:])
		for b.Loop() {
			if _, err := priv.ECDH(pub); err != nil {
				b.Fatal(err)
			}
		}
	})
}
