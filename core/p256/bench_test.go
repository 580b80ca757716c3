// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"testing"
)

func benchKeys(b *testing.B) (*ecdsa.PrivateKey, *PrivateKey, *PublicKey, []byte) {
	goKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	priv, err := NewPrivateKey(goKey.D.FillBytes(make([]byte, 32)))
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("benchmark"))
	return goKey, priv, goPublic(b, &goKey.PublicKey), digest[:]
}

func BenchmarkSign(b *testing.B) {
	_, priv, _, digest := benchKeys(b)
	for b.Loop() {
		if _, err := SignASN1(priv, digest, rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignCryptoECDSA(b *testing.B) {
	goKey, _, _, digest := benchKeys(b)
	for b.Loop() {
		if _, err := ecdsa.SignASN1(rand.Reader, goKey, digest); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	goKey, _, pub, digest := benchKeys(b)
	sig, _ := ecdsa.SignASN1(rand.Reader, goKey, digest)
	for b.Loop() {
		if !VerifyASN1(pub, digest, sig) {
			b.Fatal("rejected")
		}
	}
}

func BenchmarkVerifyCryptoECDSA(b *testing.B) {
	goKey, _, _, digest := benchKeys(b)
	sig, _ := ecdsa.SignASN1(rand.Reader, goKey, digest)
	for b.Loop() {
		if !ecdsa.VerifyASN1(&goKey.PublicKey, digest, sig) {
			b.Fatal("rejected")
		}
	}
}

func BenchmarkScalarInvert(b *testing.B) {
	var s Scalar
	s.SetReducedBytes(&[32]byte{1, 2, 3})
	for b.Loop() {
		s.Invert(&s)
	}
}

func BenchmarkFieldMul(b *testing.B) {
	x := primeP.rr
	for b.Loop() {
		feMul(&x, &x, &x)
	}
}

func benchScalar() *Scalar {
	var s Scalar
	s.SetReducedBytes(&[32]byte{0x9c, 0x1d, 0x02, 0x7e, 31: 0x55})
	return &s
}

func BenchmarkScalarBaseMult(b *testing.B) {
	k := benchScalar()
	for b.Loop() {
		ScalarBaseMult(k)
	}
}

// crypto/ecdh's NewPrivateKey is its base point multiplication (the public
// key), plus a copy.
func BenchmarkScalarBaseMultCryptoECDH(b *testing.B) {
	kb := benchScalar().Bytes()
	for b.Loop() {
		if _, err := ecdh.P256().NewPrivateKey(kb[:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScalarMult(b *testing.B) {
	_, _, pub, _ := benchKeys(b)
	k := benchScalar()
	for b.Loop() {
		ScalarMult(pub, k)
	}
}

// The ECDH benchmarks include checking the peer's point.
func BenchmarkECDH(b *testing.B) {
	peer, _ := ecdh.P256().GenerateKey(rand.Reader)
	k, _ := GenerateECDHKey(rand.Reader)
	enc := peer.PublicKey().Bytes()
	for b.Loop() {
		if _, err := k.ECDH(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkECDHCryptoECDH(b *testing.B) {
	peer, _ := ecdh.P256().GenerateKey(rand.Reader)
	k, _ := ecdh.P256().GenerateKey(rand.Reader)
	enc := peer.PublicKey().Bytes()
	for b.Loop() {
		pub, err := ecdh.P256().NewPublicKey(enc)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := k.ECDH(pub); err != nil {
			b.Fatal(err)
		}
	}
}
