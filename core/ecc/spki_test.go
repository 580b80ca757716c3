// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"testing"
)

// The fixed 27-byte header of every uncompressed P-256 SPKI.
var spkiHeader = unhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")

func TestMarshalSPKI(t *testing.T) {
	der := MarshalSPKI(rfc6979Ux, rfc6979Uy)
	if len(der) != SPKISize {
		t.Fatalf("length %d", len(der))
	}
	want := append(append(append(bytes.Clone(spkiHeader), 4), rfc6979Ux...), rfc6979Uy...)
	if !bytes.Equal(der, want) {
		t.Fatalf("MarshalSPKI = %x", der)
	}
	// crypto/x509 produces the same bytes.
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, rfc6979Ux...), rfc6979Uy...))
	if err != nil {
		t.Fatal(err)
	}
	std, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(der, std) {
		t.Fatalf("differs from crypto/x509:\n%x\n%x", der, std)
	}
	if MarshalSPKI(rfc6979Ux[:31], rfc6979Uy) != nil || MarshalSPKI(rfc6979Ux, nil) != nil {
		t.Error("wrong coordinate length accepted")
	}
}

func TestParseSPKIRoundTrip(t *testing.T) {
	for _, p := range [][2][]byte{{rfc6979Ux, rfc6979Uy}, {rfc5903GIx, rfc5903GIy}} {
		x, y, err := ParseSPKI(MarshalSPKI(p[0], p[1]))
		if err != nil || !bytes.Equal(x, p[0]) || !bytes.Equal(y, p[1]) {
			t.Fatalf("round trip: %x %x %v", x, y, err)
		}
	}
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	x, y := [32]byte(k.PublicKey().Bytes()[1:33]), [32]byte(k.PublicKey().Bytes()[33:])
	px, py, err := ParseSPKI(MarshalSPKI(x[:], y[:]))
	if err != nil || !bytes.Equal(px, x[:]) || !bytes.Equal(py, y[:]) {
		t.Fatalf("generated key: %v", err)
	}
	// The returned coordinates do not alias the input.
	der := MarshalSPKI(x[:], y[:])
	px, _, _ = ParseSPKI(der)
	der[28] ^= 0xFF
	if px[0] != x[0] {
		t.Fatal("ParseSPKI result aliases its input")
	}
}

func TestParseSPKIRejects(t *testing.T) {
	good := MarshalSPKI(rfc6979Ux, rfc6979Uy)
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	offCurve := mutate(func(b []byte) []byte { b[90] ^= 1; return b })
	// A structurally valid SPKI carrying a compressed point: BIT STRING of
	// 34 bytes, outer SEQUENCE of 0x3a.
	compressed := append(unhex("3039301306072a8648ce3d020106082a8648ce3d030107032200"), 0x02)
	compressed = append(compressed, rfc6979Ux...)
	// Neighbouring OIDs: 1.2.840.10045.2.2 as algorithm and
	// 1.2.840.10045.3.1.34 as curve.
	wrongAlg := mutate(func(b []byte) []byte { b[12] = 0x02; return b })
	wrongCurve := mutate(func(b []byte) []byte { b[22] = 0x22; return b })
	// An explicit NULL after the curve OID.
	withNull := append(unhex("305b301506072a8648ce3d020106082a8648ce3d0301070500034200"), good[26:]...)
	// The outer length in non-minimal long form.
	longForm := append(unhex("308159"), good[2:]...)
	for _, c := range []struct {
		name string
		der  []byte
	}{
		{"empty", nil},
		{"truncated by one", good[:90]},
		{"header only", good[:27]},
		{"trailing byte", append(bytes.Clone(good), 0)},
		{"point off the curve", offCurve},
		{"compressed point", compressed},
		{"hybrid point prefix", mutate(func(b []byte) []byte { b[26] = 0x06; return b })},
		{"unused bits in BIT STRING", mutate(func(b []byte) []byte { b[25] = 1; return b })},
		{"wrong algorithm OID", wrongAlg},
		{"wrong curve OID", wrongCurve},
		{"parameters after the curve", withNull},
		{"non-minimal length", longForm},
		{"OCTET STRING instead of BIT STRING", mutate(func(b []byte) []byte { b[23] = 0x04; return b })},
		{"SET instead of SEQUENCE", mutate(func(b []byte) []byte { b[0] = 0x31; return b })},
		{"inner length off by one", mutate(func(b []byte) []byte { b[3] = 0x14; return b })},
	} {
		if x, y, err := ParseSPKI(c.der); err == nil || x != nil || y != nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

func FuzzParseSPKI(f *testing.F) {
	f.Add(MarshalSPKI(rfc6979Ux, rfc6979Uy))
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, der []byte) {
		x, y, err := ParseSPKI(der)
		if err != nil {
			return
		}
		// Anything accepted is the canonical encoding of a curve point.
		if !bytes.Equal(MarshalSPKI(x, y), der) || !IsOnCurve(x, y) {
			t.Fatalf("accepted a non-canonical or invalid SPKI %x", der)
		}
	})
}
