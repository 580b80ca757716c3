// SPDX-License-Identifier: BSD-3-Clause

package rijndael

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func words(s string) []uint32 {
	var w []uint32
	for _, f := range strings.Fields(s) {
		b := unhex(f)
		w = append(w, uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3]))
	}
	return w
}

// FIPS-197 Appendix A: the complete key expansions w[0..4*(Nr+1)-1].
var expansions = []struct {
	key      string
	bits     int
	nr       int
	schedule string
}{
	{"2b7e151628aed2a6abf7158809cf4f3c", 128, 10, `
		2b7e1516 28aed2a6 abf71588 09cf4f3c a0fafe17 88542cb1 23a33939 2a6c7605
		f2c295f2 7a96b943 5935807a 7359f67f 3d80477d 4716fe3e 1e237e44 6d7a883b
		ef44a541 a8525b7f b671253b db0bad00 d4d1c6f8 7c839d87 caf2b8bc 11f915bc
		6d88a37a 110b3efd dbf98641 ca0093fd 4e54f70e 5f5fc9f3 84a64fb2 4ea6dc4f
		ead27321 b58dbad2 312bf560 7f8d292f ac7766f3 19fadc21 28d12941 575c006e
		d014f9a8 c9ee2589 e13f0cc8 b6630ca6`},
	{"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", 192, 12, `
		8e73b0f7 da0e6452 c810f32b 809079e5 62f8ead2 522c6b7b fe0c91f7 2402f5a5
		ec12068e 6c827f6b 0e7a95b9 5c56fec2 4db7b4bd 69b54118 85a74796 e92538fd
		e75fad44 bb095386 485af057 21efb14f a448f6d9 4d6dce24 aa326360 113b30e6
		a25e7ed5 83b1cf9a 27f93943 6a94f767 c0a69407 d19da4e1 ec1786eb 6fa64971
		485f7032 22cb8755 e26d1352 33f0b7b3 40beeb28 2f18a259 6747d26b 458c553e
		a7e1466c 9411f1df 821f750a ad07d753 ca400538 8fcc5006 282d166a bc3ce7b5
		e98ba06f 448c773c 8ecc7204 01002202`},
	{"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 256, 14, `
		603deb10 15ca71be 2b73aef0 857d7781 1f352c07 3b6108d7 2d9810a3 0914dff4
		9ba35411 8e6925af a51a8b5f 2067fcde a8b09c1a 93d194cd be49846e b75d5b9a
		d59aecb8 5bf3c917 fee94248 de8ebe96 b5a9328a 2678a647 98312229 2f6c79b3
		812c81ad dadf48ba 24360af2 fab8b464 98c5bfc9 bebd198e 268c3ba7 09e04214
		68007bac b2df3316 96e939e4 6c518d80 c814e204 76a9fb8a 5025c02d 59c58239
		de136967 6ccc5a71 fa256395 9674ee15 5886ca5d 2e2f31d7 7e0af1fa 27cf73c3
		749c47ab 18501dda e2757e4f 7401905a cafaaae3 e4d59b34 9adf6ace bd10190d
		fe4890d1 e6188d0b 046df344 706c631e`},
}

func TestKeySetupEncFIPS197AppendixA(t *testing.T) {
	for _, e := range expansions {
		want := words(e.schedule)
		if len(want) != 4*(e.nr+1) {
			t.Fatalf("%d-bit: table has %d words", e.bits, len(want))
		}
		rk := make([]uint32, 4*(14+1)+1) // room for AES-256, and one more
		for i := range rk {
			rk[i] = 0xDEADBEEF
		}
		if nr := KeySetupEnc(rk, unhex(e.key), e.bits); nr != e.nr {
			t.Fatalf("%d-bit: Nr = %d, want %d", e.bits, nr, e.nr)
		}
		for i, w := range want {
			if rk[i] != w {
				t.Fatalf("%d-bit: w[%d] = %08x, want %08x", e.bits, i, rk[i], w)
			}
		}
		for i := len(want); i < len(rk); i++ {
			if rk[i] != 0xDEADBEEF {
				t.Fatalf("%d-bit: wrote past the schedule at word %d", e.bits, i)
			}
		}
		// Exactly 4*(Nr+1) words is enough room.
		if nr := KeySetupEnc(make([]uint32, len(want)), unhex(e.key), e.bits); nr != e.nr {
			t.Fatalf("%d-bit: exact-size schedule rejected", e.bits)
		}
	}
}

func TestKeySetupEncRejects(t *testing.T) {
	key := make([]byte, 32)
	for _, bits := range []int{0, 64, 127, 129, 160, 255, 512, -128} {
		rk := []uint32{1, 2, 3, 4, 5, 6, 7, 8}
		rk = append(rk, make([]uint32, 60)...)
		if nr := KeySetupEnc(rk, key, bits); nr != 0 {
			t.Errorf("keyBits %d: Nr = %d", bits, nr)
		}
		if rk[0] != 1 || rk[7] != 8 {
			t.Errorf("keyBits %d: schedule modified", bits)
		}
	}
	if nr := KeySetupEnc(make([]uint32, 43), key, 128); nr != 0 {
		t.Error("43-word schedule accepted for AES-128")
	}
	if nr := KeySetupEnc(make([]uint32, 60), key[:31], 256); nr != 0 {
		t.Error("31-byte key accepted for AES-256")
	}
}

func TestSBox(t *testing.T) {
	// FIPS-197 Figure 7 spot values.
	for in, out := range map[byte]byte{0x00: 0x63, 0x01: 0x7c, 0x53: 0xed, 0x9a: 0xb8, 0xff: 0x16, 0x10: 0xca} {
		if sbox[in] != out {
			t.Errorf("S(%02x) = %02x, want %02x", in, sbox[in], out)
		}
	}
	var seen [256]bool
	for _, v := range sbox {
		seen[v] = true
	}
	for v, ok := range seen {
		if !ok {
			t.Fatalf("S-box is not a permutation: %02x missing", v)
		}
	}
}

// FIPS-197 Appendix B and C.1-C.3.
var cipherExamples = []struct {
	key, pt, ct string
	bits        int
}{
	{"2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32", 128},
	{"000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a", 128},
	{"000102030405060708090a0b0c0d0e0f1011121314151617", "00112233445566778899aabbccddeeff", "dda97ca4864cdfe06eaf70a0ec0d7191", 192},
	{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089", 256},
}

func TestEncryptFIPS197AppendixC(t *testing.T) {
	for _, c := range cipherExamples {
		rk := make([]uint32, 4*(14+1))
		nr := KeySetupEnc(rk, unhex(c.key), c.bits)
		ct := make([]byte, 16)
		Encrypt(rk, nr, unhex(c.pt), ct)
		if !bytes.Equal(ct, unhex(c.ct)) {
			t.Errorf("%d-bit: Encrypt = %x, want %s", c.bits, ct, c.ct)
		}
		// In place.
		buf := unhex(c.pt)
		Encrypt(rk, nr, buf, buf)
		if !bytes.Equal(buf, unhex(c.ct)) {
			t.Errorf("%d-bit: in-place Encrypt = %x", c.bits, buf)
		}
		out := make([]byte, 16)
		b, err := NewBlock(rk, nr)
		if err != nil {
			t.Fatal(err)
		}
		b.Encrypt(out, unhex(c.pt))
		if !bytes.Equal(out, unhex(c.ct)) {
			t.Errorf("%d-bit: NewBlock = %x", c.bits, out)
		}
	}
}

func TestEncryptInvalidSchedule(t *testing.T) {
	for _, nr := range []int{0, 9, 11, 16} {
		if _, err := NewBlock(make([]uint32, 60), nr); err == nil {
			t.Errorf("NewBlock accepted Nr=%d", nr)
		}
	}
	if _, err := NewBlock(make([]uint32, 3), 10); err == nil {
		t.Error("NewBlock accepted a 3-word schedule")
	}
	defer func() {
		if recover() == nil {
			t.Error("Encrypt with Nr=0 did not panic")
		}
	}()
	Encrypt(make([]uint32, 60), 0, make([]byte, 16), make([]byte, 16))
}
