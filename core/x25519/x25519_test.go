// SPDX-License-Identifier: BSD-3-Clause

package x25519

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/hex"
	"go/parser"
	"go/token"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func unhex32(t testing.TB, s string) *[32]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("bad test hex %q", s)
	}
	return (*[32]byte)(b)
}

// RFC 7748 §5.2.
func TestRFC7748Vectors(t *testing.T) {
	for _, v := range []struct{ scalar, u, out string }{
		{"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
			"e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
			"c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
		{"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
			"e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
			"95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
	} {
		got, err := X25519(unhex32(t, v.scalar), unhex32(t, v.u))
		if err != nil || got != *unhex32(t, v.out) {
			t.Errorf("X25519(%s, %s) = %x, %v; want %s", v.scalar, v.u, got, err, v.out)
		}
	}
}

// RFC 7748 §5.2's iteration: k, u = X25519(k, u), k, starting from 9, 9.
// The million iterations take about a minute; X25519_MILLION=1 (without
// -short) asks for them.
func TestRFC7748Iterated(t *testing.T) {
	want := map[int]string{
		1:       "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
		1000:    "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
		1000000: "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424",
	}
	n := 1000
	if !testing.Short() && os.Getenv("X25519_MILLION") != "" {
		n = 1000000
	}
	k, u := basePoint, basePoint
	for i := 1; i <= n; i++ {
		out, err := X25519(&k, &u)
		if err != nil {
			t.Fatalf("iteration %d: %v", i, err)
		}
		k, u = out, k
		if w, ok := want[i]; ok && k != *unhex32(t, w) {
			t.Fatalf("after %d iterations: %x, want %s", i, k, w)
		}
	}
}

// RFC 7748 §6.1.
func TestRFC7748DiffieHellman(t *testing.T) {
	a := unhex32(t, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
	b := unhex32(t, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
	wantA := unhex32(t, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
	wantB := unhex32(t, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
	wantK := unhex32(t, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
	pubA, pubB := ScalarBaseMult(a), ScalarBaseMult(b)
	if pubA != *wantA || pubB != *wantB {
		t.Fatalf("public keys %x, %x", pubA, pubB)
	}
	kA, errA := X25519(a, &pubB)
	kB, errB := X25519(b, &pubA)
	if errA != nil || errB != nil || kA != *wantK || kB != *wantK {
		t.Fatalf("shared secrets %x (%v), %x (%v)", kA, errA, kB, errB)
	}
}

// reference is crypto/ecdh's X25519.
func reference(t testing.TB, scalar, point []byte) ([]byte, error) {
	priv, err := ecdh.X25519().NewPrivateKey(scalar)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ecdh.X25519().NewPublicKey(point)
	if err != nil {
		t.Fatal(err)
	}
	return priv.ECDH(pub)
}

func referenceBase(t testing.TB, scalar []byte) []byte {
	priv, err := ecdh.X25519().NewPrivateKey(scalar)
	if err != nil {
		t.Fatal(err)
	}
	return priv.PublicKey().Bytes()
}

// compare checks X25519 against crypto/ecdh on one input, errors included,
// and reports whether the reference refused it.
func compare(t testing.TB, scalar, point *[32]byte) (refused bool) {
	t.Helper()
	got, err := X25519(scalar, point)
	want, wantErr := reference(t, scalar[:], point[:])
	if (err != nil) != (wantErr != nil) || (err == nil && !bytes.Equal(got[:], want)) {
		t.Fatalf("X25519(%x, %x) = %x, %v; crypto/ecdh: %x, %v", scalar, point, got, err, want, wantErr)
	}
	if err != nil && got != [32]byte{} {
		t.Fatalf("X25519(%x, %x) returned %x with its error", scalar, point, got)
	}
	return wantErr != nil
}

func random32(t testing.TB) *[32]byte {
	var b [32]byte
	rand.Read(b[:])
	return &b
}

func TestAgainstECDH(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := 0; i < n; i++ {
		k, u := random32(t), random32(t)
		if i%2 == 0 {
			u[31] |= 0x80 // the bit RFC 7748 masks
		} else {
			u[31] &= 0x7f
		}
		if got, want := ScalarBaseMult(k), referenceBase(t, k[:]); !bytes.Equal(got[:], want) {
			t.Fatalf("ScalarBaseMult(%x) = %x; crypto/ecdh: %x", k, got, want)
		}
		compare(t, k, u)
		// A secret shared both ways ties ScalarBaseMult to X25519 too.
		k2 := random32(t)
		p1, p2 := ScalarBaseMult(k), ScalarBaseMult(k2)
		s1, err1 := X25519(k, &p2)
		s2, err2 := X25519(k2, &p1)
		if err1 != nil || err2 != nil || s1 != s2 {
			t.Fatalf("DH(%x, %x): %x (%v) vs %x (%v)", k, k2, s1, err1, s2, err2)
		}
	}
}

// TestNonCanonical covers every u in [p, 2^256): [p, 2^255) are the
// non-reduced encodings RFC 7748 §5 says to accept, and the rest have
// the top bit set as well.
func TestNonCanonical(t *testing.T) {
	for _, top := range []byte{0x7f, 0xff} {
		for low := 0xed; low <= 0xff; low++ {
			var u [32]byte
			for i := range u {
				u[i] = 0xff
			}
			u[0], u[31] = byte(low), top
			for i := 0; i < 20; i++ {
				compare(t, random32(t), &u)
			}
		}
	}
}

// TestCanonicalOutput checks the final reduction directly: an output in
// [p, 2^255) is as rare as 2^-250 from random inputs, but every encoding
// u of p+k (k < 19) must come back out as k.
func TestCanonicalOutput(t *testing.T) {
	for k := 0; k < 19; k++ {
		var u, want [32]byte
		for i := range u {
			u[i] = 0xff
		}
		u[0], u[31] = byte(0xed+k), 0x7f
		want[0] = byte(k)
		var v fe
		v.setBytes(&u)
		if got := v.bytes(); got != want {
			t.Errorf("bytes(p+%d) = %x", k, got)
		}
		// The same value reached through add and sub.
		var w fe
		w.add(&v, &v)
		w.sub(&w, &v)
		if got := w.bytes(); got != want {
			t.Errorf("bytes(2(p+%d) - (p+%d)) = %x", k, k, got)
		}
	}
}

// lowOrder returns the u-coordinates of the points of order 1, 2, 4 and 8
// (libsodium's list: 0, 1, p-1 and the two of order 8), each also as
// u + p where that fits in 255 bits, and all of them with bit 255 set; and
// separately u + p where that needs bit 255, which after masking is u - 19,
// not of low order, so only agreement with crypto/ecdh is expected there.
func lowOrder(t testing.TB) (low, other []*[32]byte) {
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	top := new(big.Int).Lsh(big.NewInt(1), 255)
	enc := func(x *big.Int) *[32]byte {
		var b [32]byte
		x.FillBytes(b[:])
		for i := 0; i < 16; i++ {
			b[i], b[31-i] = b[31-i], b[i]
		}
		return &b
	}
	for _, s := range []string{
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	} {
		le := unhex32(t, s)
		var be [32]byte
		for i := range be {
			be[i] = le[31-i]
		}
		u := new(big.Int).SetBytes(be[:])
		vs := []*big.Int{u}
		if w := new(big.Int).Add(u, p); w.Cmp(top) < 0 {
			vs = append(vs, w)
		} else {
			other = append(other, enc(w))
		}
		for _, v := range vs {
			low = append(low, enc(v), enc(new(big.Int).Add(v, top)))
		}
	}
	return low, other
}

func TestLowOrder(t *testing.T) {
	low, other := lowOrder(t)
	if len(low) != 14 || len(other) != 3 {
		t.Fatalf("%d low-order encodings and %d others", len(low), len(other))
	}
	for _, u := range low {
		for i := 0; i < 20; i++ {
			k := random32(t)
			if !compare(t, k, u) {
				t.Fatalf("crypto/ecdh accepted low-order %x", u)
			}
			if _, err := X25519(k, u); err != errLowOrder {
				t.Fatalf("X25519(%x, %x): %v", k, u, err)
			}
		}
	}
	for _, u := range other {
		for i := 0; i < 20; i++ {
			compare(t, random32(t), u)
		}
	}
}

func FuzzX25519(f *testing.F) {
	low, other := lowOrder(f)
	for _, u := range append(low, other...) {
		f.Add(basePoint[:], u[:])
	}
	f.Add(bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{0xff}, 32))
	f.Add(make([]byte, 32), basePoint[:])
	f.Fuzz(func(t *testing.T, scalar, point []byte) {
		if len(scalar) != 32 || len(point) != 32 {
			t.Skip()
		}
		k, u := (*[32]byte)(scalar), (*[32]byte)(point)
		compare(t, k, u)
		if got, want := ScalarBaseMult(k), referenceBase(t, scalar); !bytes.Equal(got[:], want) {
			t.Fatalf("ScalarBaseMult(%x) = %x; crypto/ecdh: %x", k, got, want)
		}
	})
}

// TestImports keeps crypto/ecdh, and anything else that could pull it or
// other large packages in, out of the package: the reason it exists.
func TestImports(t *testing.T) {
	allowed := map[string]bool{"errors": true, "math/bits": true, "crypto/subtle": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		seen++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !allowed[path] {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no non-test files found")
	}
}
