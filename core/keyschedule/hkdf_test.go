// SPDX-License-Identifier: BSD-3-Clause

package keyschedule

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// RFC 5869 test cases 1 and 3 (no salt, no info).
func TestHKDFRFC5869(t *testing.T) {
	h := func(s string) []byte { b, _ := hex.DecodeString(s); return b }
	ikm := bytes.Repeat([]byte{0x0b}, 22)
	for _, c := range []struct {
		salt, info []byte
		prk, okm   string
	}{
		{h("000102030405060708090a0b0c"), h("f0f1f2f3f4f5f6f7f8f9"),
			"077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
			"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
		{nil, nil,
			"19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
			"8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
	} {
		prk := extract(c.salt, ikm)
		if !bytes.Equal(prk, h(c.prk)) {
			t.Errorf("extract = %x, want %s", prk, c.prk)
		}
		if okm := expand(prk, c.info, 42); !bytes.Equal(okm, h(c.okm)) {
			t.Errorf("expand = %x, want %s", okm, c.okm)
		}
	}
}

// Against crypto/hkdf for every length from 1 to 5 blocks.
func TestHKDFAgainstCrypto(t *testing.T) {
	prk := sha256.Sum256([]byte("prk"))
	info := []byte("some info")
	for n := 1; n <= 5*HashLen; n++ {
		want, err := hkdf.Expand(sha256.New, prk[:], string(info), n)
		if err != nil {
			t.Fatal(err)
		}
		if got := expand(prk[:], info, n); !bytes.Equal(got, want) || cap(got) != n {
			t.Fatalf("expand(%d) = %x, crypto/hkdf %x", n, got, want)
		}
	}
	want, _ := hkdf.Extract(sha256.New, []byte("ikm"), nil)
	if got := extract(nil, []byte("ikm")); !bytes.Equal(got, want) {
		t.Fatalf("extract without salt = %x, crypto/hkdf %x", got, want)
	}
}
