// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"bytes"
	"math/big"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// goEncode is how crypto/ecdsa encodes a signature.
func goEncode(r, s *big.Int) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(r)
		b.AddASN1BigInt(s)
	})
	return b.BytesOrPanic()
}

func TestMarshalSignature(t *testing.T) {
	for _, v := range []struct{ r, s *big.Int }{
		{big.NewInt(1), big.NewInt(1)},
		{big.NewInt(0x7f), big.NewInt(0x80)},
		{big.NewInt(0xff), big.NewInt(0x100)},
		{new(big.Int).Sub(bigN, big.NewInt(1)), new(big.Int).Lsh(big.NewInt(1), 255)},
		{new(big.Int).Lsh(big.NewInt(1), 248), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(1))},
	} {
		want := goEncode(v.r, v.s)
		got := MarshalSignature(v.r.FillBytes(make([]byte, 32)), v.s.FillBytes(make([]byte, 32)))
		if !bytes.Equal(got, want) {
			t.Errorf("(%x, %x):\n got %x\nwant %x", v.r, v.s, got, want)
		}
		r, s, err := ParseSignature(got)
		if err != nil || new(big.Int).SetBytes(r).Cmp(v.r) != 0 || new(big.Int).SetBytes(s).Cmp(v.s) != 0 {
			t.Errorf("round trip of %x: %x, %x, %v", got, r, s, err)
		}
		if r[0] == 0 || s[0] == 0 {
			t.Errorf("leading zero kept: %x, %x", r, s)
		}
	}
}

func TestParseSignatureRejects(t *testing.T) {
	for _, c := range []struct{ name, der string }{
		{"empty", ""},
		{"one byte", "30"},
		{"not a SEQUENCE", "3106020101020101"},
		{"length too long", "3107020101020101"},
		{"length too short", "3105020101020101"},
		{"trailing byte", "300602010102010100"},
		{"long-form length", "308106020101020101"},
		{"one INTEGER", "3003020101"},
		{"three INTEGERs", "3009020101020101020101"},
		{"extra byte in SEQUENCE", "300702010102010100"},
		{"empty INTEGER", "30050200020101"},
		{"negative r", "3006020181020101"},
		{"negative s", "30060201010201ff"},
		{"redundant zero", "300702020001020101"},
		{"redundant 0xff", "30070202ff81020101"},
		{"INTEGER long-form length", "300702810101020101"},
		{"wrong tag", "3006030101020101"},
		{"INTEGER overruns", "3006020201020101"},
		{"high tag number", "3f06020101020101"},
	} {
		if r, s, err := ParseSignature(unhex(c.der)); err == nil {
			t.Errorf("%s: accepted as (%x, %x)", c.name, r, s)
		}
	}
	// The boundary cases that are valid DER: zero, and a leading zero
	// that keeps 0x80 positive.
	for _, der := range []string{"3006020100020100", "30080202008002020080", "300602017f02017f"} {
		if _, _, err := ParseSignature(unhex(der)); err != nil {
			t.Errorf("%s rejected: %v", der, err)
		}
	}
}
