// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
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
