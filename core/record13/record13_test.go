// SPDX-License-Identifier: BSD-3-Clause

package record13

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/keyschedule"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

var suites = []*Suite{
	{ID: protocol.CipherSuite(0x1301), KeyLen: 16, TagLen: 16, GCM: true},
	{ID: protocol.CipherSuite(0x1304), KeyLen: 16, TagLen: 16},
	{ID: protocol.CipherSuite(0x1305), KeyLen: 16, TagLen: 8},
}

func keys(b byte) keyschedule.TrafficKeys {
	return keyschedule.Keys(keyschedule.DTLS13, bytes.Repeat([]byte{b}, 32), 16)
}

func TestSealOpenRoundTrip(t *testing.T) {
	for _, s := range suites {
		for _, hdr := range []Header{
			{EpochBits: 2, Seq16: true, HasLength: true},
			{EpochBits: 3, HasLength: true, CID: []byte{1, 2, 3}},
			{EpochBits: 3, Seq16: true},
		} {
			for _, content := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("data"), 100)} {
				w, err := New(s, keys(1))
				if err != nil {
					t.Fatal(err)
				}
				r, _ := New(s, keys(1))
				seq := uint64(0x1234_5678_9a)
				h := hdr
				rec := w.Seal([]byte{0xff}, &h, seq, content, protocol.ContentApplicationData, 0)[1:]
				ph, raw, body, rest, ok := Parse(rec, len(hdr.CID))
				if !ok || len(rest) != 0 || ph.EpochBits != hdr.EpochBits || !bytes.Equal(ph.CID, hdr.CID) {
					t.Fatalf("%v %+v: parse %v %+v rest %d", s.ID, hdr, ok, ph, len(rest))
				}
				if len(body) < MinCiphertext {
					t.Fatalf("%v: ciphertext of %d bytes is too short to sample", s.ID, len(body))
				}
				low, ok := r.DecryptSeq(&ph, raw, body)
				want := uint16(seq)
				if !hdr.Seq16 {
					want &= 0xff
				}
				if !ok || low != want {
					t.Fatalf("%v: sequence bits %x, want %x", s.ID, low, want)
				}
				full := Reconstruct(low, ph.Seq16, seq-3)
				if full != seq {
					t.Fatalf("reconstructed %x, want %x", full, seq)
				}
				got, typ, err := r.Open(raw, body, full)
				if err != nil || typ != protocol.ContentApplicationData || !bytes.Equal(got, content) {
					t.Fatalf("%v %+v: open %q %v %v", s.ID, hdr, got, typ, err)
				}
			}
		}
	}
}

// The construction checked against the RFC's recipe, computed here from
// crypto/cipher directly: nonce = iv XOR seq, AAD = the header with the
// sequence number in the clear, mask = AES-ECB(sn_key, ciphertext[:16]).
func TestSealMatchesRFCConstruction(t *testing.T) {
	k := keys(5)
	w, _ := New(suites[0], k)
	h := Header{EpochBits: 3, Seq16: true, HasLength: true}
	seq := uint64(0x0102)
	content := []byte("the content of a record")
	rec := w.Seal(nil, &h, seq, content, protocol.ContentHandshake, 2)

	block, _ := aes.NewCipher(k.Key)
	gcm, _ := cipher.NewGCM(block)
	nonce := append([]byte(nil), k.IV...)
	nonce[11] ^= 0x02
	nonce[10] ^= 0x01
	inner := append(append([]byte(nil), content...), byte(protocol.ContentHandshake), 0, 0)
	length := len(inner) + 16
	aad := []byte{0x2f, 0x01, 0x02, byte(length >> 8), byte(length)}
	ct := gcm.Seal(nil, nonce, inner, aad)
	sn, _ := aes.NewCipher(k.SN)
	var mask [16]byte
	sn.Encrypt(mask[:], ct[:16])
	want := append([]byte{0x2f, 0x01 ^ mask[0], 0x02 ^ mask[1], byte(length >> 8), byte(length)}, ct...)
	if !bytes.Equal(rec, want) {
		t.Fatalf("record\n%x\nwant\n%x", rec, want)
	}
}

func TestTamperedRecordsFail(t *testing.T) {
	w, _ := New(suites[2], keys(7))
	h := Header{EpochBits: 2, Seq16: true, HasLength: true}
	rec := w.Seal(nil, &h, 9, []byte("hello"), protocol.ContentApplicationData, 0)
	for i := range rec {
		bad := append([]byte(nil), rec...)
		bad[i] ^= 0x40
		r, _ := New(suites[2], keys(7))
		ph, raw, body, _, ok := Parse(bad, 0)
		if !ok {
			continue
		}
		low, ok := r.DecryptSeq(&ph, raw, body)
		if !ok {
			continue
		}
		if _, _, err := r.Open(raw, body, Reconstruct(low, ph.Seq16, 9)); err == nil {
			t.Fatalf("flipping a bit of byte %d went unnoticed", i)
		}
	}
	// A wrong key fails too.
	r, _ := New(suites[2], keys(8))
	ph, raw, body, _, _ := Parse(append([]byte(nil), rec...), 0)
	low, _ := r.DecryptSeq(&ph, raw, body)
	if _, _, err := r.Open(raw, body, Reconstruct(low, true, 9)); err != ErrAuth {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestShortRecordsArePadded(t *testing.T) {
	w, _ := New(suites[2], keys(3)) // CCM_8: 1 + 8 < 16
	if p := w.PaddingFor(0); p != 7 {
		t.Fatalf("padding for empty content with an 8-byte tag = %d, want 7", p)
	}
	h := Header{EpochBits: 3, HasLength: true}
	rec := w.Seal(nil, &h, 1, nil, protocol.ContentAlert, 0)
	if _, _, body, _, _ := Parse(rec, 0); len(body) != MinCiphertext {
		t.Fatalf("ciphertext %d bytes, want %d", len(body), MinCiphertext)
	}
	if _, _, body, _, ok := Parse([]byte{0x2c, 0, 0, 0, 3, 1, 2, 3}, 0); !ok || len(body) != 3 {
		t.Fatalf("parse of a short record")
	} else if _, ok := w.DecryptSeq(&Header{Seq16: true}, []byte{0x2c, 0, 0, 0, 3}, body); ok {
		t.Fatalf("a record shorter than 16 bytes was deprotected")
	}
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct {
		data   []byte
		cidLen int
	}{
		{[]byte{0x16, 0xfe, 0xfd}, 0},    // a DTLSPlaintext
		{[]byte{0x3c, 1}, 0},             // C bit without a CID length
		{[]byte{0x2c, 1, 2, 0, 9, 1}, 0}, // length past the end
		{[]byte{0x2c, 1, 2, 0, 0}, 2},    // CID expected, C bit clear
		{[]byte{0x28}, 0},                // truncated
	} {
		if _, _, _, _, ok := Parse(tc.data, tc.cidLen); ok {
			t.Errorf("Parse(% x, %d) succeeded", tc.data, tc.cidLen)
		}
	}
	// No length: the record is the rest of the datagram.
	if h, _, body, rest, ok := Parse([]byte{0x20, 7, 1, 2, 3}, 0); !ok || h.Seq != 7 || len(body) != 3 || rest != nil {
		t.Fatalf("record without length: %v %+v", ok, h)
	}
}

func TestReconstruct(t *testing.T) {
	for _, tc := range []struct {
		low   uint16
		seq16 bool
		next  uint64
		want  uint64
	}{
		{5, false, 0, 5},
		{0xff, false, 0x100, 0xff},
		{0x02, false, 0xfe, 0x102},
		{0x80, false, 0x100, 0x180}, // a tie goes forward
		{0x81, false, 0x100, 0x81},
		{0x7f, false, 0x100, 0x17f},
		{0xffff, true, 0x10000, 0xffff},
		{0x0001, true, 0x1fff0, 0x20001},
		{0x1234, true, 0x51234, 0x51234},
		{0xff, false, 0x01, 0xff},
	} {
		if got := Reconstruct(tc.low, tc.seq16, tc.next); got != tc.want {
			t.Errorf("Reconstruct(%#x, %v, %#x) = %#x, want %#x", tc.low, tc.seq16, tc.next, got, tc.want)
		}
	}
}

func FuzzParseAndOpen(f *testing.F) {
	w, _ := New(suites[1], keys(2))
	h := Header{EpochBits: 3, Seq16: true, HasLength: true}
	f.Add(w.Seal(nil, &h, 3, []byte("seed"), protocol.ContentApplicationData, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _ := New(suites[1], keys(2))
		for len(data) > 0 {
			ph, raw, body, rest, ok := Parse(data, 0)
			if !ok {
				return
			}
			if low, ok := r.DecryptSeq(&ph, raw, body); ok {
				r.Open(raw, body, Reconstruct(low, ph.Seq16, 3))
			}
			data = rest
		}
	})
}

func TestACKRoundTrip(t *testing.T) {
	recs := []RecordNumber{{2, 0}, {2, 1}, {3, 1 << 40}}
	b := AppendACK(nil, recs)
	if len(b) != 2+48 || b[0] != 0 || b[1] != 48 {
		t.Fatalf("ACK % x", b)
	}
	got, ok := ParseACK(b, nil)
	if !ok || len(got) != 3 || got[2] != recs[2] {
		t.Fatalf("ParseACK = %v, %v", got, ok)
	}
	for _, bad := range [][]byte{nil, {0}, {0, 15}, append([]byte{0, 32}, make([]byte, 16)...), append([]byte{0, 16}, make([]byte, 17)...)} {
		if _, ok := ParseACK(bad, nil); ok {
			t.Errorf("ParseACK(% x) accepted", bad)
		}
	}
	if _, ok := ParseACK([]byte{0, 0}, nil); !ok {
		t.Errorf("an empty ACK is well formed")
	}
}

// SealRecord, the in-place form the engine uses, gives the same record as
// Seal.
func TestSealRecordMatchesSeal(t *testing.T) {
	for _, s := range suites {
		for _, hdr := range []Header{
			{EpochBits: 2, Seq16: true, HasLength: true},
			{EpochBits: 1, Seq16: true, HasLength: true, CID: []byte{9, 8, 7, 6}},
			{EpochBits: 3},
		} {
			for _, content := range [][]byte{nil, []byte("abc"), bytes.Repeat([]byte("z"), 300)} {
				a, _ := New(s, keys(7))
				b, _ := New(s, keys(7))
				h1, h2 := hdr, hdr
				want := a.Seal(nil, &h1, 0x1_0203, content, protocol.ContentHandshake, 0)
				rec := h2.Append(make([]byte, 0, 512))
				rec = append(rec, content...)
				got := b.SealRecord(rec, &h2, 0x1_0203, protocol.ContentHandshake, 0)
				if !bytes.Equal(got, want) {
					t.Fatalf("%v %+v %d bytes:\nSealRecord % x\nSeal       % x", s.ID, hdr, len(content), got, want)
				}
			}
		}
	}
}

func FuzzParseACK(f *testing.F) {
	f.Add(AppendACK(nil, []RecordNumber{{2, 1}, {3, 9}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, ok := ParseACK(b, nil)
		if !ok {
			return
		}
		if string(AppendACK(nil, recs)) != string(b) {
			t.Fatalf("ACK % x does not encode back", b)
		}
	})
}
