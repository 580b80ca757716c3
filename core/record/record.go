// SPDX-License-Identifier: BSD-3-Clause

// Package record is the DTLS record layer (RFC 6347 §4.1, RFC 9147 §4): the
// record header (DTLS 1.2's, and 1.3's unified header), the per-epoch
// anti-replay window, record protection (DTLS 1.2's, and 1.3's in
// protection13.go), and the two halves of an association's record layer
// (ReadHalf, WriteHalf) with their epochs, keys, buffered records and size
// limits.
//
// The halves never call up: Layer.Open returns an authenticated record's
// content (or says why there is none) and Layer.Seal protects what its
// caller built after Layer.Begin, so the handshake above decides everything
// that is not about records.
package record

import (
	"encoding/binary"

	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record13"
)

// HeaderLen is the size of a plain DTLSPlaintext/DTLSCiphertext header.
const HeaderLen = protocol.RecordHeaderLen

// MaxSeq is the largest 48-bit sequence number.
const MaxSeq = 1<<48 - 1

// Header is a parsed record header. CID is set only for tls12_cid records
// and aliases the datagram.
type Header struct {
	Type    protocol.ContentType
	Version uint16
	Epoch   uint16
	Seq     uint64
	CID     []byte
	Length  int
}

// Len is the encoded size of the header.
func (h *Header) Len() int { return HeaderLen + len(h.CID) }

// CIDLen tells Parse how long the connection ID of a tls12_cid record is:
// the record does not say (RFC 9146 §4), the receiver must know the CIDs it
// handed out. cid holds the record's bytes from where its CID starts.
type CIDLen interface {
	CIDLen(cid []byte) int
}

// FixedCIDLen is a CIDLen for connection IDs of one length.
type FixedCIDLen int

// CIDLen returns n.
func (n FixedCIDLen) CIDLen([]byte) int { return int(n) }

// Parse reads the record at the start of b; cids says how long a tls12_cid
// record's CID is. ok is false when the header is truncated or the record
// runs past the datagram; the rest of such a datagram cannot be delimited
// and must be dropped.
func Parse(b []byte, cids CIDLen) (h Header, payload, rest []byte, ok bool) {
	if len(b) > 0 && record13.IsCiphertext(b[0]) {
		return parseUnified(b, cids)
	}
	if len(b) < HeaderLen {
		return h, nil, nil, false
	}
	h.Type = protocol.ContentType(b[0])
	h.Version = binary.BigEndian.Uint16(b[1:3])
	h.Epoch = binary.BigEndian.Uint16(b[3:5])
	h.Seq = uint64(binary.BigEndian.Uint16(b[5:7]))<<32 | uint64(binary.BigEndian.Uint32(b[7:11]))
	off := 11
	if h.Type == protocol.ContentTLS12CID {
		cidLen := cids.CIDLen(b[off:])
		if cidLen < 0 || len(b) < HeaderLen+cidLen {
			return h, nil, nil, false
		}
		h.CID = b[off : off+cidLen]
		off += cidLen
	}
	h.Length = int(binary.BigEndian.Uint16(b[off : off+2]))
	off += 2
	if len(b)-off < h.Length {
		return h, nil, nil, false
	}
	return h, b[off : off+h.Length], b[off+h.Length:], true
}

// AppendHeader appends the encoded header, length field included.
func AppendHeader(b []byte, h *Header) []byte {
	b = append(b, byte(h.Type), byte(h.Version>>8), byte(h.Version),
		byte(h.Epoch>>8), byte(h.Epoch),
		byte(h.Seq>>40), byte(h.Seq>>32), byte(h.Seq>>24), byte(h.Seq>>16), byte(h.Seq>>8), byte(h.Seq))
	b = append(b, h.CID...)
	return append(b, byte(h.Length>>8), byte(h.Length))
}

// SetVersion rewrites the version field of an encoded header.
func SetVersion(rec []byte, v uint16) {
	rec[1] = byte(v >> 8)
	rec[2] = byte(v)
}

// SetLength rewrites the length field of an encoded header of hdrLen bytes.
func SetLength(rec []byte, hdrLen, n int) {
	rec[hdrLen-2] = byte(n >> 8)
	rec[hdrLen-1] = byte(n)
}
