// SPDX-License-Identifier: BSD-3-Clause

package record

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/keyschedule"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// pair13 is a sender and a receiver with 1.3 epoch n installed and active,
// the sender putting cid on its records.
func pair13(s *suite.Suite, n uint16, cid []byte) (w, r *Layer) {
	w, r = new(Layer), new(Layer)
	k := keyschedule.Keys(keyschedule.DTLS13, bytes.Repeat([]byte{byte(n)}, 32), suite.KeyLen)
	w.Out.SetNext13(n, s, k)
	w.Out.Activate()
	w.Out.SetCID(cid)
	r.In.SetNext13(n, s, k)
	r.In.Activate()
	r.In.SetCID(cid)
	return w, r
}

func seal13(l *Layer, n uint16, t protocol.ContentType, content []byte) []byte {
	var d Draft
	b, ok := l.Begin(make([]byte, 0, 256), n, t, &d)
	if !ok {
		panic("no epoch")
	}
	return l.Seal(append(b, content...), &d)
}

func TestDTLS13RecordsRoundTrip(t *testing.T) {
	for _, id := range []protocol.CipherSuite{protocol.TLS_AES_128_GCM_SHA256, protocol.TLS_AES_128_CCM_SHA256, protocol.TLS_AES_128_CCM_8_SHA256} {
		for _, cid := range [][]byte{nil, {1, 2, 3, 4, 5, 6}} {
			t.Run(fmt.Sprintf("%v/cid%d", id, len(cid)), func(t *testing.T) {
				s := suite.Lookup13(id)
				w, r := pair13(s, 3, cid)
				var dg []byte
				contents := []string{"", "a", "hello, world", string(bytes.Repeat([]byte("x"), 200))}
				for i, c := range contents {
					rec := seal13(w, 3, protocol.ContentType(23-i%2), []byte(c))
					if len(rec) != w.Out.Overhead(3)+len(c)+paddingOf(s, len(c)) {
						t.Fatalf("record of %d bytes for %d of content, overhead %d", len(rec), len(c), w.Out.Overhead(3))
					}
					dg = append(dg, rec...)
				}
				for i, c := range contents {
					h, payload, rest, ok := Parse(dg, FixedCIDLen(len(cid)))
					if !ok || !h.Unified() || !bytes.Equal(h.CID, cid) {
						t.Fatalf("record %d does not parse: %+v %v", i, h, ok)
					}
					dg = rest
					typ, data, newest, res := r.Open(&h, payload)
					if res != Opened || typ != protocol.ContentType(23-i%2) || string(data) != c || !newest {
						t.Fatalf("record %d: %v %v %q newest %v", i, res, typ, data, newest)
					}
					if h.Epoch != 3 || h.Seq != uint64(i) {
						t.Fatalf("record %d opened as %d/%d", i, h.Epoch, h.Seq)
					}
				}
			})
		}
	}
}

func paddingOf(s *suite.Suite, n int) int { return max(0, 16-(n+1+s.TagLen)) }

// A record opens once; a replay, a record of another epoch, one whose
// sequence number bits were changed (the mask then decrypts them to another
// number, which changes nonce and additional data) and one cut short all
// fail, without moving the window.
func TestDTLS13RecordsRejected(t *testing.T) {
	s := suite.Lookup13(protocol.TLS_AES_128_CCM_8_SHA256)
	w, r := pair13(s, 2, nil)
	rec := seal13(w, 2, protocol.ContentHandshake, []byte("finished"))
	open := func(b []byte) (Header, Result) {
		b = append([]byte(nil), b...)
		h, payload, _, ok := Parse(b, FixedCIDLen(0))
		if !ok {
			return h, Malformed
		}
		_, _, _, res := r.Open(&h, payload)
		return h, res
	}
	flipSeq := append([]byte(nil), rec...)
	flipSeq[2] ^= 1
	if _, res := open(flipSeq); res != NotAuthentic {
		t.Fatalf("record with a changed sequence number: %v", res)
	}
	flipEpoch := append([]byte(nil), rec...)
	flipEpoch[0] ^= 1 // epoch 3
	if h, res := open(flipEpoch); res != NoEpoch || h.Epoch != 3 {
		t.Fatalf("record of epoch 3: %v as epoch %d", res, h.Epoch)
	}
	flipEpoch[0] ^= 3 // epoch 0 in a unified header
	if h, res := open(flipEpoch); res != NoEpoch || h.Epoch != 4 {
		t.Fatalf("record of epoch bits 0: %v as epoch %d", res, h.Epoch)
	}
	short := append([]byte(nil), rec[:5+15]...)
	short[3], short[4] = 0, 15
	if _, res := open(short); res != NotAuthentic {
		t.Fatalf("record too short to sample: %v", res)
	}
	if _, res := open(rec); res != Opened {
		t.Fatalf("genuine record after the forgeries: %v", res)
	}
	if _, res := open(rec); res != Replayed {
		t.Fatalf("replay: %v", res)
	}
}

// Sequence numbers are reconstructed from their low 16 bits across
// wraparounds, and reordered records within the window still open.
func TestDTLS13SequenceReconstruction(t *testing.T) {
	s := suite.Lookup13(protocol.TLS_AES_128_GCM_SHA256)
	w, r := pair13(s, 3, nil)
	w.Out.cur.seq = 0xfff0
	var recs [][]byte
	for i := 0; i < 40; i++ {
		recs = append(recs, seal13(w, 3, protocol.ContentApplicationData, []byte{byte(i)}))
	}
	order := []int{0, 2, 1, 20, 5, 39, 30, 21, 3}
	for _, i := range order {
		h, payload, _, _ := Parse(recs[i], FixedCIDLen(0))
		_, data, _, res := r.Open(&h, payload)
		if res != Opened || data[0] != byte(i) || h.Seq != 0xfff0+uint64(i) {
			t.Fatalf("record %d: %v, seq %#x", i, res, h.Seq)
		}
	}
}

func TestDTLS13HoldsTwoEpochs(t *testing.T) {
	s := suite.Lookup13(protocol.TLS_AES_128_CCM_SHA256)
	w, r := new(Layer), new(Layer)
	for _, n := range []uint16{2, 3} {
		k := keyschedule.Keys(keyschedule.DTLS13, bytes.Repeat([]byte{byte(n)}, 32), suite.KeyLen)
		w.Out.SetNext13(n, s, k)
		w.Out.Activate()
		r.In.SetNext13(n, s, k)
		r.In.Activate()
	}
	for _, n := range []uint16{2, 3, 2} {
		rec := seal13(w, n, protocol.ContentHandshake, []byte("m"))
		h, payload, _, _ := Parse(rec, FixedCIDLen(0))
		if _, _, _, res := r.Open(&h, payload); res != Opened || h.Epoch != n {
			t.Fatalf("epoch %d: %v as %d", n, res, h.Epoch)
		}
	}
}

// An evicted 1.3 epoch keeps its keys and expands them again; the record
// path allocates nothing once expanded.
func TestDTLS13EvictionAndAllocations(t *testing.T) {
	s := suite.Lookup13(protocol.TLS_AES_128_GCM_SHA256)
	w, r := pair13(s, 3, []byte{7, 7})
	var cache CipherCache
	cache.Max = 4
	r.Init(&cache)
	rec := seal13(w, 3, protocol.ContentApplicationData, []byte("before"))
	h, payload, _, _ := Parse(rec, FixedCIDLen(2))
	if _, _, _, res := r.Open(&h, payload); res != Opened || !r.Expanded() {
		t.Fatalf("open: %v, expanded %v", res, r.Expanded())
	}
	cache.Evict(r)
	if r.Expanded() {
		t.Fatal("still expanded after eviction")
	}
	rec = seal13(w, 3, protocol.ContentApplicationData, []byte("after"))
	h, payload, _, _ = Parse(rec, FixedCIDLen(2))
	if _, data, _, res := r.Open(&h, payload); res != Opened || string(data) != "after" {
		t.Fatalf("open after eviction: %v %q", res, data)
	}
	buf := make([]byte, 0, 256)
	in := make([]byte, 256)
	content := []byte("sixty-four bytes of application data, give or take a few bytes.")
	if a := testing.AllocsPerRun(100, func() {
		var d Draft
		b, _ := w.Begin(buf[:0], 3, protocol.ContentApplicationData, &d)
		b = w.Seal(append(b, content...), &d)
		n := copy(in, b)
		h, payload, _, _ := Parse(in[:n], FixedCIDLen(2))
		if _, _, _, res := r.Open(&h, payload); res != Opened {
			t.Fatalf("open: %v", res)
		}
	}); a != 0 {
		t.Fatalf("%v allocations per sealed and opened record", a)
	}
}

// FuzzOpen13 feeds datagrams to a read half with 1.3 epochs 2 and 3 and a
// CID: whatever comes, nothing crashes, and only records sealed with its
// keys open.
func FuzzOpen13(f *testing.F) {
	s := suite.Lookup13(protocol.TLS_AES_128_CCM_8_SHA256)
	w, _ := pair13(s, 3, []byte{1, 2})
	f.Add(seal13(w, 3, protocol.ContentApplicationData, []byte("seed")))
	f.Add(append(seal13(w, 3, protocol.ContentHandshake, nil), seal13(w, 3, protocol.ContentAlert, []byte{1, 0})...))
	f.Fuzz(func(t *testing.T, dg []byte) {
		_, r := pair13(s, 3, []byte{1, 2})
		k := keyschedule.Keys(keyschedule.DTLS13, bytes.Repeat([]byte{9}, 32), suite.KeyLen)
		r.In.SetNext13(4, s, k)
		r.In.Activate()
		for len(dg) > 0 {
			h, payload, rest, ok := Parse(dg, FixedCIDLen(2))
			if !ok {
				return
			}
			r.Open(&h, payload)
			dg = rest
		}
	})
}
