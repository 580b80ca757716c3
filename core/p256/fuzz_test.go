// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"math/big"
	"testing"
)

// FuzzVerify compares Verify and VerifyASN1 with crypto/ecdsa's on inputs
// built from the fuzzer's bytes. Arbitrary (r, s) almost never verify, so
// most modes start from a valid signature and change it a little, or build
// one for the digests that reach verification's special cases.
func FuzzVerify(f *testing.F) {
	f.Add(uint8(0), []byte("key"), []byte("digest"), []byte{1}, []byte{1})
	f.Add(uint8(1), []byte("key"), []byte("digest"), []byte{}, []byte{})
	f.Add(uint8(1), []byte("key"), []byte("digest"), []byte{0, 0, 1}, []byte{})
	f.Add(uint8(2), []byte("key"), []byte("digest"), []byte{0x30, 6, 2, 1, 1, 2, 1, 1}, []byte{})
	for i := range uint8(6) {
		f.Add(uint8(3), []byte("key"), []byte("digest"), []byte("nonce"), []byte{i})
		f.Add(uint8(3|8), []byte("key"), []byte("digest"), []byte("nonce"), []byte{i})
	}
	f.Add(uint8(1|8), []byte("key"), []byte("a digest longer than thirty-two bytes, truncated"), []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, mode uint8, keySeed, digest, a, b []byte) {
		dh := sha256.Sum256(keySeed)
		d := new(big.Int).SetBytes(dh[:])
		d.Mod(d, new(big.Int).Sub(bigN, big.NewInt(1))).Add(d, big.NewInt(1))
		goKey, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d.FillBytes(make([]byte, 32)))
		if err != nil {
			t.Fatal(err)
		}
		goPub := &goKey.PublicKey
		if mode&8 != 0 {
			// -Q: signatures made for Q must not pass (except where ECDSA
			// itself cannot tell, which crypto/ecdsa then accepts too).
			goPub = &ecdsa.PublicKey{Curve: elliptic.P256(), X: goPub.X, Y: new(big.Int).Sub(bigP, goPub.Y)}
		}
		pub := goPublic(t, goPub)

		var r, s []byte
		switch mode & 7 {
		case 0: // arbitrary values
			r, s = a, b
		case 1: // a valid signature, XORed with a and b
			priv, err := NewPrivateKey(d.FillBytes(make([]byte, 32)))
			if err != nil {
				t.Fatal(err)
			}
			rv, sv, err := Sign(priv, digest, nil)
			if err != nil {
				t.Fatal(err)
			}
			r, s = xorInto(rv[:], a), xorInto(sv[:], b)
		case 2: // arbitrary DER
			got := VerifyASN1(pub, digest, a)
			if want := ecdsa.VerifyASN1(goPub, digest, a); got != want {
				t.Fatalf("VerifyASN1(%x) = %v, crypto/ecdsa %v", a, got, want)
			}
			return
		case 3: // a signature with nonce a for a digest chosen by b[0]
			kh := sha256.Sum256(a)
			k := new(big.Int).SetBytes(kh[:])
			k.Mod(k, new(big.Int).Sub(bigN, big.NewInt(1))).Add(k, big.NewInt(1))
			x, _ := elliptic.P256().ScalarBaseMult(k.FillBytes(make([]byte, 32)))
			rv := new(big.Int).Mod(x, bigN)
			e := new(big.Int)
			var sel byte
			if len(b) > 0 {
				sel = b[0]
			}
			switch sel % 6 {
			case 0: // e = 0: u1 = 0
			case 1: // e = rd: (e/r)·G = Q
				e.Mul(rv, d)
			case 2: // e = -rd: the sum is the point at infinity
				e.Mul(rv, d).Neg(e)
			case 3: // u2 = n-1
				e.Add(k, d).Mul(e, rv).Neg(e)
			case 4: // e = n-1
				e.Sub(bigN, big.NewInt(1))
			case 5:
				e.SetBytes(digest)
			}
			e.Mod(e, bigN)
			sv := new(big.Int).Mul(rv, d)
			sv.Add(sv, e).Mul(sv, new(big.Int).ModInverse(k, bigN)).Mod(sv, bigN)
			digest = e.FillBytes(make([]byte, 32))
			r, s = rv.Bytes(), sv.Bytes()
			if len(b) > 1 {
				r, s = xorInto(r, b[1:2]), xorInto(s, b[2:])
			}
		default:
			return
		}
		want := ecdsa.Verify(goPub, digest, new(big.Int).SetBytes(r), new(big.Int).SetBytes(s))
		if got := Verify(pub, digest, r, s); got != want {
			t.Fatalf("Verify(digest %x, r %x, s %x) = %v, crypto/ecdsa %v", digest, r, s, got, want)
		}
	})
}

// xorInto returns a copy of v with x XORed into its last bytes; a longer x
// lengthens it.
func xorInto(v, x []byte) []byte {
	if len(x) > len(v) {
		v = append(make([]byte, len(x)-len(v)), v...)
	} else {
		v = append([]byte(nil), v...)
	}
	for i := range x {
		v[len(v)-len(x)+i] ^= x[i]
	}
	return v
}
