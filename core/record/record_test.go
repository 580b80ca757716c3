// SPDX-License-Identifier: BSD-3-Clause

package record

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/ccm"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

func TestParseAndAppendHeader(t *testing.T) {
	h := Header{Type: protocol.ContentHandshake, Version: protocol.VersionDTLS12, Epoch: 0x0102, Seq: 0x030405060708, Length: 3}
	b := AppendHeader(nil, &h)
	want, _ := hex.DecodeString("16fefd01020304050607080003")
	if !bytes.Equal(b, want) {
		t.Fatalf("header % x, want % x", b, want)
	}
	b = append(b, 'a', 'b', 'c', 0x17) // one record, then the start of another
	got, payload, rest, ok := Parse(b, FixedCIDLen(0))
	if !ok || got.Type != h.Type || got.Version != h.Version || got.Epoch != h.Epoch || got.Seq != h.Seq ||
		got.Length != 3 || string(payload) != "abc" || !bytes.Equal(rest, []byte{0x17}) {
		t.Fatalf("Parse = %+v %q %x %v", got, payload, rest, ok)
	}
	// Every truncation of a header or payload is refused.
	for i := 0; i < len(b)-1; i++ {
		if _, _, _, ok := Parse(b[:i], FixedCIDLen(0)); ok {
			t.Fatalf("truncated record of %d bytes parsed", i)
		}
	}
}

func TestParseCIDRecord(t *testing.T) {
	cid := []byte{0xaa, 0xbb, 0xcc, 0xdd}
	h := Header{Type: protocol.ContentTLS12CID, Version: protocol.VersionDTLS12, Epoch: 1, Seq: 9, CID: cid, Length: 2}
	b := append(AppendHeader(nil, &h), 1, 2)
	if len(b) != HeaderLen+len(cid)+2 {
		t.Fatalf("CID record of %d bytes", len(b))
	}
	got, payload, _, ok := Parse(b, FixedCIDLen(len(cid)))
	if !ok || !bytes.Equal(got.CID, cid) || !bytes.Equal(payload, []byte{1, 2}) || got.Len() != HeaderLen+4 {
		t.Fatalf("Parse CID record = %+v %x %v", got, payload, ok)
	}
	if _, _, _, ok := Parse(b[:HeaderLen+2], FixedCIDLen(len(cid))); ok {
		t.Fatalf("truncated CID accepted")
	}
}

func TestWindow(t *testing.T) {
	var w Window
	if w.Seen(0) || w.Seen(1000) {
		t.Fatal("empty window claims to have seen something")
	}
	w.Accept(10)
	if !w.Seen(10) || w.Seen(9) || w.Seen(11) {
		t.Fatal("after 10")
	}
	w.Accept(8)
	w.Accept(12)
	for s, want := range map[uint64]bool{8: true, 9: false, 10: true, 11: false, 12: true, 13: false} {
		if w.Seen(s) != want {
			t.Errorf("Seen(%d) = %v", s, !want)
		}
	}
	w.Accept(12 + 63)
	if !w.Seen(12) || w.Seen(13) {
		t.Error("63 behind the top must still be tracked")
	}
	w.Accept(12 + 64)
	if !w.Seen(12) {
		t.Error("64 behind the top is too old and counts as seen")
	}
	w.Accept(1 << 47)
	if !w.Seen(100) || w.Seen(1<<47+1) || !w.Seen(1<<47) {
		t.Error("a far jump")
	}
	var u Window
	u.AcceptUpTo(5)
	for s := uint64(0); s <= 5; s++ {
		if !u.Seen(s) {
			t.Errorf("AcceptUpTo(5): %d not seen", s)
		}
	}
	if u.Seen(6) {
		t.Error("AcceptUpTo(5): 6 seen")
	}
}

// TestWindowAgainstModel checks Seen, Duplicate, Accept and AcceptUpTo
// against a plain set of accepted sequence numbers.
func TestWindowAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		var w Window
		accepted := map[uint64]bool{}
		var top uint64
		any := false
		for op := 0; op < 50; op++ {
			seq := rng.Uint64N(300)
			if rng.IntN(8) == 0 {
				w.AcceptUpTo(seq)
				for s := uint64(0); s <= seq; s++ {
					accepted[s] = true
				}
			} else {
				w.Accept(seq)
				accepted[seq] = true
			}
			if !any || seq > top {
				top = seq
			}
			any = true
			if h, ok := w.Highest(); !ok || h != top {
				t.Fatalf("round %d: Highest = %d, %v; want %d", round, h, ok, top)
			}
			for s := uint64(0); s < 320; s++ {
				old := s < top && top-s >= 64
				if got, want := w.Seen(s), accepted[s] || old; got != want {
					t.Fatalf("round %d: Seen(%d) = %v with top %d", round, s, got, top)
				}
				if got, want := w.Duplicate(s), accepted[s] && !old; got != want {
					t.Fatalf("round %d: Duplicate(%d) = %v with top %d", round, s, got, top)
				}
			}
		}
	}
}

// The explicit nonce and additional data must follow RFC 6655 / RFC 5246:
// check a sealed record against CCM computed directly.
func TestCipherMatchesRFCConstruction(t *testing.T) {
	s := suite.Lookup(protocol.TLS_PSK_WITH_AES_128_CCM_8)
	key := bytes.Repeat([]byte{0x11}, 16)
	iv := []byte{1, 2, 3, 4}
	c, err := NewCipher(s, key, iv)
	if err != nil {
		t.Fatal(err)
	}
	h := Header{Type: protocol.ContentApplicationData, Version: protocol.VersionDTLS12, Epoch: 1, Seq: 5}
	pt := []byte("hello")
	rec := AppendHeader(nil, &h)
	rec = append(rec, make([]byte, 8)...)
	rec = append(rec, pt...)
	rec = c.Seal(rec, &h)

	blk, _ := aes.NewCipher(key)
	var aead cipher.AEAD
	aead, _ = ccm.New(blk, 8, 12)
	nonce := append(append([]byte{}, iv...), 0, 1, 0, 0, 0, 0, 0, 5)
	ad := []byte{0, 1, 0, 0, 0, 0, 0, 5, 23, 0xfe, 0xfd, 0, 5}
	want := aead.Seal(nil, nonce, pt, ad)
	if !bytes.Equal(rec[HeaderLen:HeaderLen+8], nonce[4:]) || !bytes.Equal(rec[HeaderLen+8:], want) {
		t.Fatalf("sealed record % x, want nonce % x and % x", rec[HeaderLen:], nonce[4:], want)
	}
	if l := int(rec[11])<<8 | int(rec[12]); l != 8+len(pt)+8 {
		t.Fatalf("length field %d", l)
	}
	got, _, _, _ := Parse(rec, FixedCIDLen(0))
	out, err := c.Open(&got, rec[HeaderLen:])
	if err != nil || string(out) != "hello" {
		t.Fatalf("Open = %q, %v", out, err)
	}
}

func TestCipherRejectsTampering(t *testing.T) {
	for _, id := range []protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM_8, protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM} {
		s := suite.Lookup(id)
		c, _ := NewCipher(s, bytes.Repeat([]byte{7}, 16), []byte{9, 9, 9, 9})
		h := Header{Type: protocol.ContentApplicationData, Version: protocol.VersionDTLS12, Epoch: 3, Seq: 77}
		rec := append(AppendHeader(nil, &h), make([]byte, 8)...)
		rec = append(rec, "payload"...)
		rec = c.Seal(rec, &h)
		for i := 3; i < len(rec); i++ {
			bad := append([]byte(nil), rec...)
			bad[i] ^= 1
			bh, payload, _, ok := Parse(bad, FixedCIDLen(0))
			if !ok {
				continue // the length field changed: not a record any more
			}
			if _, err := c.Open(&bh, payload); err == nil {
				t.Fatalf("%v: flipping byte %d went unnoticed", id, i)
			}
		}
		if _, err := c.Open(&h, rec[HeaderLen:HeaderLen+5]); err == nil {
			t.Fatal("short payload accepted")
		}
	}
}

func TestCIDCipherRoundTrip(t *testing.T) {
	s := suite.Lookup(protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)
	c, _ := NewCipher(s, bytes.Repeat([]byte{3}, 16), []byte{1, 1, 1, 1})
	cid := []byte{1, 2, 3}
	h := Header{Type: protocol.ContentTLS12CID, Version: protocol.VersionDTLS12, Epoch: 1, Seq: 1, CID: cid}
	rec := append(AppendHeader(nil, &h), make([]byte, 8)...)
	rec = append(append(rec, "inner"...), byte(protocol.ContentApplicationData))
	rec = c.Seal(rec, &h)
	got, payload, _, ok := Parse(rec, FixedCIDLen(len(cid)))
	if !ok {
		t.Fatal("parse")
	}
	pt, err := c.Open(&got, payload)
	if err != nil || string(pt) != "inner\x17" {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	// The CID is authenticated: another CID of the same length fails.
	rec[HeaderLen-2] ^= 0xff
	got, payload, _, _ = Parse(rec, FixedCIDLen(len(cid)))
	if _, err := c.Open(&got, payload); err == nil {
		t.Fatal("a changed CID still authenticated")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1}, 0)
	f.Add([]byte{25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 9, 9, 0, 1, 1}, 2)
	f.Fuzz(func(t *testing.T, b []byte, cidLen int) {
		cidLen &= 15
		for len(b) > 0 {
			h, payload, rest, ok := Parse(b, FixedCIDLen(cidLen))
			if !ok {
				return
			}
			if len(payload) != h.Length || len(rest) >= len(b) {
				t.Fatalf("inconsistent parse")
			}
			b = rest
		}
	})
}

func benchCipher(b *testing.B, size int, open bool) {
	s := suite.Lookup(protocol.TLS_PSK_WITH_AES_128_CCM_8)
	c, _ := NewCipher(s, bytes.Repeat([]byte{1}, 16), []byte{1, 2, 3, 4})
	h := Header{Type: protocol.ContentApplicationData, Version: protocol.VersionDTLS12, Epoch: 1}
	buf := make([]byte, 0, HeaderLen+8+size+8)
	rec := append(append(AppendHeader(buf, &h), make([]byte, 8)...), make([]byte, size)...)
	sealed := append([]byte(nil), c.Seal(rec, &h)...)
	work := make([]byte, len(sealed), len(sealed)+8)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if open {
			copy(work, sealed)
			if _, err := c.Open(&h, work[HeaderLen:]); err != nil {
				b.Fatal(err)
			}
		} else {
			h.Seq = uint64(i)
			c.Seal(rec[:len(rec)], &h)
		}
	}
}

func BenchmarkSeal64(b *testing.B) { benchCipher(b, 64, false) }
func BenchmarkOpen64(b *testing.B) { benchCipher(b, 64, true) }
func BenchmarkSeal1K(b *testing.B) { benchCipher(b, 1024, false) }
func BenchmarkOpen1K(b *testing.B) { benchCipher(b, 1024, true) }
