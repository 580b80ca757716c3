// SPDX-License-Identifier: BSD-3-Clause

package record

import (
	"github.com/tinydtls-go/tinydtls/core/keyschedule"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record13"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// DTLS 1.3 epochs (RFC 9147 §4): records with the unified header, record
// number encryption, the 1.3 nonce and additional data, and the inner
// plaintext with its real content type; package record13 has the wire
// format, this file fits it into the halves. Epoch 0 of a 1.3 association
// is the same plaintext as DTLS 1.2's; only protected epochs differ.

// Unified-header bits of the first byte (001CSLEE), as Begin writes them:
// always a 16-bit sequence number and a length, so that records can share
// a datagram and reordering within 2^15 records is reconstructed.
const (
	unifiedFixed  = 0x20
	unifiedCID    = 0x10
	unifiedSeq16  = 0x08
	unifiedLength = 0x04
	unifiedEpoch  = 0x03
)

// Unified reports whether the record has DTLS 1.3's unified header: its
// Type is then the header's first byte, Epoch the full epoch once Open
// found it (before: the two bits on the wire), Seq the full sequence number
// once Open authenticated it (before: the encrypted bits on the wire) and
// Length the length of the encrypted record.
func (h *Header) Unified() bool { return record13.IsCiphertext(byte(h.Type)) }

// WireLen is the length of the header as it was on the wire.
func (h *Header) WireLen() int {
	if !h.Unified() {
		return h.Len()
	}
	rh := h.unified()
	return rh.Len()
}

// unified is h as record13 sees it, the sequence number bits as they are.
func (h *Header) unified() record13.Header {
	b := byte(h.Type)
	return record13.Header{CID: h.CID, EpochBits: b & unifiedEpoch, Seq16: b&unifiedSeq16 != 0,
		HasLength: b&unifiedLength != 0, Seq: uint16(h.Seq), Length: h.Length}
}

// parseUnified reads a record with the unified header; a set C bit says a
// connection ID follows, as long as cids says.
func parseUnified(b []byte, cids CIDLen) (h Header, payload, rest []byte, ok bool) {
	cidLen := 0
	if b[0]&unifiedCID != 0 {
		if cidLen = cids.CIDLen(b[1:]); cidLen <= 0 {
			return h, nil, nil, false
		}
	}
	rh, _, body, rest, ok := record13.Parse(b, cidLen)
	if !ok {
		return h, nil, nil, false
	}
	h = Header{Type: protocol.ContentType(b[0]), Epoch: uint16(rh.EpochBits), Seq: uint64(rh.Seq), CID: rh.CID, Length: len(body)}
	return h, body, rest, true
}

// AEADs of the 1.3 suites, as record13 takes them.
var (
	aead13GCM  = record13.Suite{ID: protocol.TLS_AES_128_GCM_SHA256, KeyLen: suite.KeyLen, TagLen: 16, GCM: true}
	aead13CCM  = record13.Suite{ID: protocol.TLS_AES_128_CCM_SHA256, KeyLen: suite.KeyLen, TagLen: 16}
	aead13CCM8 = record13.Suite{ID: protocol.TLS_AES_128_CCM_8_SHA256, KeyLen: suite.KeyLen, TagLen: 8}
)

func aead13(s *suite.Suite) *record13.Suite {
	switch {
	case s.GCM:
		return &aead13GCM
	case s.TagLen == 8:
		return &aead13CCM8
	}
	return &aead13CCM
}

// dtls13 is a protected DTLS 1.3 epoch. Unlike DTLS 1.2's, whose key and
// IV fit in the epoch's keys, its key material (key, IV and record number
// key) lives here, so the halves stay as small as they are for 1.2: an
// evicted 1.3 epoch drops only its expansion, p.
type dtls13 struct {
	s    *suite.Suite
	keys keyschedule.TrafficKeys
	p    *record13.Protection // nil until used, or after eviction
	// The header of the record being opened, rebuilt: the AEAD's
	// additional data, which would escape (an allocation) from the stack.
	hdr [1 + protocol.MaxCIDLen + 2 + 2]byte
}

func newDTLS13(s *suite.Suite, k keyschedule.TrafficKeys) *dtls13 {
	return &dtls13{s: s, keys: k}
}

func (d *dtls13) expand() *record13.Protection {
	if d.p == nil {
		p, err := record13.New(aead13(d.s), d.keys)
		if err != nil {
			// Only wrong key sizes fail, and keyschedule.Keys fixes them.
			panic(err)
		}
		d.p = p
	}
	return d.p
}

// seal and open are the protection interface's; a 1.3 epoch only ever
// sees unified headers through sealRecord and open13.
func (d *dtls13) seal(rec []byte, h Header, t protocol.ContentType) []byte {
	return d.sealRecord(rec, &h, t)
}

func (d *dtls13) open(Header, []byte) (protocol.ContentType, []byte, error) {
	// A DTLS 1.2 header in a 1.3 epoch.
	return 0, nil, errMalformed
}

// sealRecord finishes a record begun by begin13.
func (d *dtls13) sealRecord(rec []byte, h *Header, t protocol.ContentType) []byte {
	rh := h.unified()
	return d.expand().SealRecord(rec, &rh, h.Seq, t, 0)
}

// shrink drops the expansion of an evicted epoch (see dropExpanded).
func shrink(p *protection) {
	if d, ok := (*p).(*dtls13); ok {
		d.p = nil
		return
	}
	*p = nil
}

func expanded(p protection) bool {
	if d, ok := p.(*dtls13); ok {
		return d.p != nil
	}
	return p != nil
}

// is13 reports whether an epoch's keys are DTLS 1.3's.
func (k *epochKeys) is13() bool { return k.Suite != nil && k.Suite.TLS13 }

// SetNext13 installs the keys of the next read epoch of a DTLS 1.3
// association: epoch n (1.3 skips epoch 1, which only carries early data),
// suite s and the traffic keys of the peer's traffic secret.
func (r *ReadHalf) SetNext13(n uint16, s *suite.Suite, k keyschedule.TrafficKeys) {
	r.next = &readEpoch{keys: epochKeys{Suite: s, num: n}, prot: newDTLS13(s, k)}
}

// SetNext13 installs the keys of the next write epoch of a DTLS 1.3
// association (see ReadHalf.SetNext13).
func (w *WriteHalf) SetNext13(n uint16, s *suite.Suite, k keyschedule.TrafficKeys) {
	w.next = &writeEpoch{keys: epochKeys{Suite: s, num: n}, prot: newDTLS13(s, k)}
}

// epoch13 finds the 1.3 read epoch whose low two bits are bits: the
// current or the previous one. The unified header carries only those bits
// (RFC 9147 §4.2.2); the epochs kept are never four apart.
func (r *ReadHalf) epoch13(bits uint8) *readEpoch {
	if r.cur.keys.is13() && uint8(r.cur.keys.num)&unifiedEpoch == bits {
		return &r.cur
	}
	if r.prev != nil && r.prev.keys.is13() && uint8(r.prev.keys.num)&unifiedEpoch == bits {
		return r.prev
	}
	return nil
}

// open13 is Open for a record with the unified header. For a record of an
// epoch we have no keys for, h.Epoch becomes the nearest later epoch with
// its bits, the one a handshake would wait for.
func (l *Layer) open13(h *Header, payload []byte) (t protocol.ContentType, data []byte, newest bool, res Result) {
	r := &l.In
	bits := uint8(h.Type) & unifiedEpoch
	e := r.epoch13(bits)
	if e == nil {
		cur := r.cur.keys.num
		d := (uint16(bits) - cur) & unifiedEpoch
		if d == 0 {
			d = 4
		}
		h.Epoch = cur + d
		return 0, nil, false, NoEpoch
	}
	h.Epoch = e.keys.num
	l.touch()
	d := e.prot.(*dtls13)
	p := d.expand()
	rh := h.unified()
	if len(rh.CID) > protocol.MaxCIDLen {
		return 0, nil, false, Malformed
	}
	hdr := rh.Append(d.hdr[:0])
	low, ok := p.DecryptSeq(&rh, hdr, payload)
	if !ok {
		return 0, nil, false, NotAuthentic
	}
	var next uint64
	if top, any := e.win.Highest(); any {
		next = top + 1
	}
	seq := record13.Reconstruct(low, rh.Seq16, next)
	h.Seq = seq
	if e.win.Seen(seq) {
		return 0, nil, false, Replayed
	}
	inner := len(payload) - p.Suite().TagLen
	content, typ, err := p.Open(hdr, payload, seq)
	switch {
	case err != nil:
		return 0, nil, false, NotAuthentic
	case r.limit > 0 && inner > int(r.limit), len(content) > protocol.MaxPlaintext:
		// RFC 8449 §4: in 1.3 the limit counts the content type and
		// the padding too.
		return 0, nil, false, Overflow
	}
	e.win.Accept(seq)
	top, _ := e.win.Highest()
	return typ, content, e == &r.cur && top == seq, Opened
}

// begin13 is Begin for a protected 1.3 epoch: the unified header with the
// clear sequence number (encrypted when sealed) and room for the length.
func (w *WriteHalf) begin13(b []byte, e *writeEpoch, t protocol.ContentType, d *Draft) []byte {
	first := byte(unifiedFixed|unifiedSeq16|unifiedLength) | byte(e.keys.num)&unifiedEpoch
	var cid []byte
	if len(w.cid) > 0 {
		first |= unifiedCID
		cid = w.cid
	}
	d.h.Type, d.h.Version, d.h.Epoch, d.h.Seq, d.h.CID, d.h.Length = protocol.ContentType(first), 0, e.keys.num, e.seq, cid, 0
	d.t, d.start, d.e = t, len(b), e
	e.seq++
	b = append(b, first)
	b = append(b, cid...)
	b = append(b, byte(d.h.Seq>>8), byte(d.h.Seq), 0, 0)
	d.content = len(b)
	d.extra = 1 + e.keys.Suite.TagLen
	return b
}

// overhead13 is what a record of the 1.3 epoch e adds to its content: the
// header, the content type and the tag (short content also gets padding,
// which never matters for what fits).
func (w *WriteHalf) overhead13(e *writeEpoch) int {
	n := 1 + 2 + 2 + 1 + e.keys.Suite.TagLen
	if len(w.cid) > 0 {
		n += len(w.cid)
	}
	return n
}

// AppendWireHeader appends h as it was on the wire, for the log: DTLS 1.2's
// header, or the unified header (with its sequence number bits in the
// clear once Open found them).
func AppendWireHeader(b []byte, h *Header) []byte {
	if !h.Unified() {
		return AppendHeader(b, h)
	}
	rh := h.unified()
	return rh.Append(b)
}
