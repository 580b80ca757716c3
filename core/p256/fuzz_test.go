// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"bytes"
	"crypto/ecdh"
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

// FuzzScalarMult compares ScalarBaseMult, ScalarMult and the ECDH API with
// crypto/elliptic and crypto/ecdh: k is the scalar (taken mod n, or as
// the private key), seed picks the point, and tweak is XORed into the
// peer's encoding (empty: a valid point).
func FuzzScalarMult(f *testing.F) {
	f.Add([]byte{1}, []byte("point"), []byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 32), []byte("point"), []byte{0, 1})
	f.Add(bigN.Bytes(), []byte("point"), []byte{})
	f.Add(new(big.Int).Sub(bigN, big.NewInt(1)).Bytes(), []byte{}, []byte{4})
	f.Add([]byte{0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, []byte("p"), []byte{})
	f.Fuzz(func(t *testing.T, kb, seed, tweak []byte) {
		if len(kb) > 32 {
			kb = kb[:32]
		}
		k := new(big.Int).SetBytes(kb)
		k.Mod(k, bigN)
		var s Scalar
		s.SetReducedBytes(b32(new(big.Int).SetBytes(kb)))
		if s.Bytes() != bytes32(k) {
			t.Fatal("SetReducedBytes")
		}
		curve := elliptic.P256()
		zero := k.Sign() == 0

		x, y, ok := ScalarBaseMult(&s)
		wx, wy := curve.ScalarBaseMult(k.FillBytes(make([]byte, 32)))
		if ok == zero || (ok && (x != bytes32(wx) || y != bytes32(wy))) {
			t.Fatalf("%x·G = (%x, %x), %v", k, x, y, ok)
		}

		ph := sha256.Sum256(seed)
		pk := new(big.Int).SetBytes(ph[:])
		pk.Mod(pk, new(big.Int).Sub(bigN, big.NewInt(1))).Add(pk, big.NewInt(1))
		px, py := curve.ScalarBaseMult(pk.FillBytes(make([]byte, 32)))
		pub, err := NewPublicKey(px.FillBytes(make([]byte, 32)), py.FillBytes(make([]byte, 32)))
		if err != nil {
			t.Fatal(err)
		}
		x, y, ok = ScalarMult(pub, &s)
		wx, wy = curve.ScalarMult(px, py, k.Bytes())
		if ok == zero || (ok && (x != bytes32(wx) || y != bytes32(wy))) {
			t.Fatalf("%x·(%x, %x) = (%x, %x), %v", k, px, py, x, y, ok)
		}

		// ECDH with the 32 bytes of k as the private key, when crypto/ecdh
		// takes them.
		d := make([]byte, 32)
		copy(d[32-len(kb):], kb)
		theirs, errGo := ecdh.P256().NewPrivateKey(d)
		ours, err := NewECDHKey(d)
		if (err == nil) != (errGo == nil) {
			t.Fatalf("NewECDHKey(%x): %v, crypto/ecdh %v", d, err, errGo)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(ours.PublicKey(), theirs.PublicKey().Bytes()) {
			t.Fatalf("public key of %x", d)
		}
		peer := append(append([]byte{4}, px.FillBytes(make([]byte, 32))...), py.FillBytes(make([]byte, 32))...)
		if len(tweak) > 66 {
			tweak = tweak[:66] // a 66-byte tweak prepends a byte
		}
		peer = xorInto(peer, tweak)
		got, err := ours.ECDH(peer)
		var want []byte
		peerGo, errGo := ecdh.P256().NewPublicKey(peer)
		if errGo == nil {
			want, errGo = theirs.ECDH(peerGo)
		}
		if (err == nil) != (errGo == nil) || !bytes.Equal(got, want) {
			t.Fatalf("ECDH(%x) = %x, %v; crypto/ecdh %x, %v", peer, got, err, want, errGo)
		}
	})
}
