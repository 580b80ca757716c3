// SPDX-License-Identifier: BSD-3-Clause

// Package record13 is the DTLS 1.3 record layer's wire format (RFC 9147
// §4): the unified header of protected records (DTLSCiphertext), record
// number encryption, the AEAD nonce and additional data, the inner
// plaintext with its content type and padding, and the reconstruction of
// full sequence numbers from the 8 or 16 bits on the wire.
//
// Unprotected DTLS 1.3 records (epoch 0: ClientHello, ServerHello,
// HelloRetryRequest, alerts and ACKs before keys exist) use the DTLS 1.2
// record header, which package record parses.
package record13

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/tinydtls-go/tinydtls/core/ccm"
	"github.com/tinydtls-go/tinydtls/core/keyschedule"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// Bits of the unified header's first byte: 001CSLEE.
const (
	fixedMask = 0xe0
	fixedBits = 0x20
	bitCID    = 0x10
	bitSeq16  = 0x08
	bitLength = 0x04
	epochMask = 0x03
)

// IsCiphertext reports whether a record starting with b is a DTLS 1.3
// DTLSCiphertext (RFC 9147 §4.1: the three high bits are 001).
func IsCiphertext(b byte) bool { return b&fixedMask == fixedBits }

// Header is a unified header. Seq holds the sequence number bits as they
// are before record number encryption (8 or 16 of them).
type Header struct {
	CID       []byte
	EpochBits uint8 // the two low bits of the epoch
	Seq16     bool  // a 16-bit sequence number (else 8 bits)
	HasLength bool
	Seq       uint16
	Length    int // of the encrypted record, when HasLength
}

// Len is the length of the encoded header.
func (h *Header) Len() int {
	n := 1 + len(h.CID) + 1
	if h.Seq16 {
		n++
	}
	if h.HasLength {
		n += 2
	}
	return n
}

// Append encodes the header with its sequence number in the clear, as it
// enters the AEAD's additional data.
func (h *Header) Append(b []byte) []byte {
	first := byte(fixedBits) | h.EpochBits&epochMask
	if len(h.CID) > 0 {
		first |= bitCID
	}
	if h.Seq16 {
		first |= bitSeq16
	}
	if h.HasLength {
		first |= bitLength
	}
	b = append(b, first)
	b = append(b, h.CID...)
	if h.Seq16 {
		b = append(b, byte(h.Seq>>8))
	}
	b = append(b, byte(h.Seq))
	if h.HasLength {
		b = append(b, byte(h.Length>>8), byte(h.Length))
	}
	return b
}

// Parse reads one DTLSCiphertext from the start of data. cidLen is the
// length of the connection ID the receiver handed out (a record does not
// say how long its CID is); a record with the C bit and cidLen 0, or
// without it and cidLen > 0, does not parse. It returns the header, the
// header's bytes, the encrypted record and the rest of the datagram (empty
// when the record has no length field and so extends to the end). The
// sequence number bits in h and hdr are still encrypted.
func Parse(data []byte, cidLen int) (h Header, hdr, body, rest []byte, ok bool) {
	if len(data) < 1 || !IsCiphertext(data[0]) {
		return h, nil, nil, nil, false
	}
	first := data[0]
	if (first&bitCID != 0) != (cidLen > 0) {
		return h, nil, nil, nil, false
	}
	h.EpochBits = first & epochMask
	h.Seq16 = first&bitSeq16 != 0
	h.HasLength = first&bitLength != 0
	n := h.Len() + cidLen
	if len(data) < n {
		return h, nil, nil, nil, false
	}
	p := 1
	if cidLen > 0 {
		h.CID = data[p : p+cidLen]
		p += cidLen
	}
	if h.Seq16 {
		h.Seq = binary.BigEndian.Uint16(data[p:])
		p += 2
	} else {
		h.Seq = uint16(data[p])
		p++
	}
	if h.HasLength {
		h.Length = int(binary.BigEndian.Uint16(data[p:]))
		p += 2
		if len(data)-p < h.Length {
			return h, nil, nil, nil, false
		}
		return h, data[:p], data[p : p+h.Length], data[p+h.Length:], true
	}
	h.Length = len(data) - p
	return h, data[:p], data[p:], nil, true
}

// MinCiphertext is the shortest encrypted record: record number encryption
// samples its first 16 bytes (RFC 9147 §4.2.3).
const MinCiphertext = 16

// Suite names the AEAD of a DTLS 1.3 cipher suite.
type Suite struct {
	ID     protocol.CipherSuite
	KeyLen int
	TagLen int
	GCM    bool // else CCM
}

// Overhead is what protection adds to the inner plaintext.
func (s *Suite) Overhead() int { return s.TagLen }

// Protection protects and opens the records of one direction of one epoch.
type Protection struct {
	suite *Suite
	aead  cipher.AEAD
	iv    [keyschedule.IVLen]byte
	sn    cipher.Block
	nonce [keyschedule.IVLen]byte
	mask  [16]byte
	aad   []byte
}

// New builds the protection of one direction of one epoch from its traffic
// keys.
func New(s *Suite, k keyschedule.TrafficKeys) (*Protection, error) {
	if len(k.Key) != s.KeyLen || len(k.SN) != s.KeyLen || len(k.IV) != keyschedule.IVLen {
		return nil, errors.New("record13: wrong key lengths")
	}
	block, err := aes.NewCipher(k.Key)
	if err != nil {
		return nil, err
	}
	p := &Protection{suite: s}
	if s.GCM {
		p.aead, err = cipher.NewGCM(block)
	} else {
		// InitKey: AES-CCM in assembly where the CPU has AES-NI, as DTLS
		// 1.2's records have it.
		c := new(ccm.CCM)
		err = ccm.InitKey(c, k.Key, s.TagLen, keyschedule.IVLen)
		p.aead = c
	}
	if err != nil {
		return nil, err
	}
	if p.sn, err = aes.NewCipher(k.SN); err != nil {
		return nil, err
	}
	copy(p.iv[:], k.IV)
	return p, nil
}

// Suite returns the suite of the protection.
func (p *Protection) Suite() *Suite { return p.suite }

// nonceFor is the per-record nonce: the IV XORed with the 64-bit sequence
// number, right-aligned (RFC 8446 §5.3; the sequence number alone, as in
// TLS 1.3, not the epoch).
func (p *Protection) nonceFor(seq uint64) []byte {
	p.nonce = p.iv
	for i := 0; i < 8; i++ {
		p.nonce[keyschedule.IVLen-1-i] ^= byte(seq >> (8 * i))
	}
	return p.nonce[:]
}

// maskSeq XORs the sequence number bytes at seq (1 or 2) with the mask
// computed from the first 16 bytes of ciphertext.
func (p *Protection) maskSeq(seqBytes, ciphertext []byte) {
	p.sn.Encrypt(p.mask[:], ciphertext[:16])
	for i := range seqBytes {
		seqBytes[i] ^= p.mask[i]
	}
}

// PaddingFor is the number of zero bytes of padding a record of content n
// needs so that its ciphertext is long enough to sample for record number
// encryption.
func (p *Protection) PaddingFor(n int) int {
	ct := n + 1 + p.suite.TagLen
	if ct >= MinCiphertext {
		return 0
	}
	return MinCiphertext - ct
}

// Seal appends a protected record to dst: the header h (its Seq and Length
// are filled in here from seq and the content), then the encrypted
// DTLSInnerPlaintext content || type || padding zeros, with the sequence
// number bits of the header encrypted. content must not overlap dst's
// spare capacity.
func (p *Protection) Seal(dst []byte, h *Header, seq uint64, content []byte, t protocol.ContentType, padding int) []byte {
	padding = max(padding, p.PaddingFor(len(content)))
	inner := len(content) + 1 + padding
	h.Seq = uint16(seq)
	if !h.Seq16 {
		h.Seq &= 0xff
	}
	h.Length = inner + p.suite.TagLen
	dst = slices.Grow(dst, h.Len()+h.Length)
	start := len(dst)
	dst = h.Append(dst)
	body := len(dst)
	dst = append(dst, content...)
	dst = append(dst, byte(t))
	for i := 0; i < padding; i++ {
		dst = append(dst, 0)
	}
	aad := dst[start:body]
	// Seal in place: the plaintext is at dst[body:], the ciphertext goes
	// to the same place. aad must survive, so it is copied first.
	p.aad = append(p.aad[:0], aad...)
	out := p.aead.Seal(dst[body:body], p.nonceFor(seq), dst[body:], p.aad)
	dst = dst[:body+len(out)]
	seqOff := start + 1 + len(h.CID)
	seqLen := 1
	if h.Seq16 {
		seqLen = 2
	}
	p.maskSeq(dst[seqOff:seqOff+seqLen], dst[body:])
	return dst
}

// SealRecord protects a record built in place, as the engine builds them:
// rec holds the header described by h, encoded by Append, followed by the
// content. It appends the content type and padding, writes the length field
// (if h has one) and the clear sequence number bits of seq, encrypts in
// place and then encrypts the sequence number bits. It returns the record,
// which stays in rec's array when that has room for the type, padding and
// tag.
func (p *Protection) SealRecord(rec []byte, h *Header, seq uint64, t protocol.ContentType, padding int) []byte {
	hl := h.Len()
	padding = max(padding, p.PaddingFor(len(rec)-hl))
	rec = slices.Grow(rec, 1+padding+p.suite.TagLen)
	rec = append(rec, byte(t))
	for i := 0; i < padding; i++ {
		rec = append(rec, 0)
	}
	h.Seq = uint16(seq)
	if !h.Seq16 {
		h.Seq &= 0xff
	}
	h.Length = len(rec) - hl + p.suite.TagLen
	seqOff := 1 + len(h.CID)
	seqLen := 1
	if h.Seq16 {
		rec[seqOff] = byte(h.Seq >> 8)
		seqLen = 2
	}
	rec[seqOff+seqLen-1] = byte(h.Seq)
	if h.HasLength {
		rec[hl-2], rec[hl-1] = byte(h.Length>>8), byte(h.Length)
	}
	// The header is the additional data: a region apart from the one
	// sealed in place.
	out := p.aead.Seal(rec[hl:hl], p.nonceFor(seq), rec[hl:], rec[:hl])
	rec = rec[:hl+len(out)]
	p.maskSeq(rec[seqOff:seqOff+seqLen], rec[hl:])
	return rec
}

// ErrAuth is returned by Open for a record that does not authenticate.
var ErrAuth = errors.New("record13: record does not authenticate")

// DecryptSeq removes record number encryption from a parsed record: it
// returns the sequence number bits, and hdr (which must be writable, the
// record's own bytes) then holds them in the clear. A body shorter than
// MinCiphertext cannot be deprotected.
func (p *Protection) DecryptSeq(h *Header, hdr, body []byte) (uint16, bool) {
	if len(body) < MinCiphertext {
		return 0, false
	}
	off := 1 + len(h.CID)
	n := 1
	if h.Seq16 {
		n = 2
	}
	p.maskSeq(hdr[off:off+n], body)
	if h.Seq16 {
		h.Seq = binary.BigEndian.Uint16(hdr[off:])
	} else {
		h.Seq = uint16(hdr[off])
	}
	return h.Seq, true
}

// Open authenticates and decrypts a record whose header hdr already holds
// the sequence number in the clear (DecryptSeq) and whose full sequence
// number is seq (Reconstruct). It decrypts in place and returns the
// content and its real content type.
func (p *Protection) Open(hdr, body []byte, seq uint64) ([]byte, protocol.ContentType, error) {
	plain, err := p.aead.Open(body[:0], p.nonceFor(seq), body, hdr)
	if err != nil {
		return nil, 0, ErrAuth
	}
	// Strip the padding; the last non-zero byte is the content type.
	i := len(plain) - 1
	for i >= 0 && plain[i] == 0 {
		i--
	}
	if i < 0 {
		// All zeros: no content type at all (RFC 8446 §5.4).
		return nil, 0, ErrAuth
	}
	return plain[:i], protocol.ContentType(plain[i]), nil
}

// Reconstruct returns the full sequence number whose low bits (8 or 16 of
// them, by seq16) are low and which is closest to next, one more than the
// highest sequence number deprotected so far in the epoch (RFC 9147
// §4.2.2).
func Reconstruct(low uint16, seq16 bool, next uint64) uint64 {
	bits := uint(8)
	if seq16 {
		bits = 16
	}
	win := uint64(1) << bits
	cand := next&^(win-1) | uint64(low)
	// The candidates cand-win, cand, cand+win: take the nearest to next.
	switch {
	case cand > next && cand-next > win/2 && cand >= win:
		cand -= win
	case cand < next && next-cand > win/2:
		cand += win
	}
	return cand
}
