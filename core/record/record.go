// Package record is the DTLS 1.2 record layer: header parsing and encoding,
// the per-epoch anti-replay window, and AEAD record protection with the
// RFC 6655 nonce and additional-data construction (and RFC 9146's for
// records that carry a connection ID).
package record

import (
	"encoding/binary"

	"github.com/tinydtls-go/tinydtls/core/protocol"
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

// Parse reads the record at the start of b. cidLen is the length of the
// connection IDs this endpoint hands out: a tls12_cid record has no length
// byte for its CID, so the receiver must know it. ok is false when the header
// is truncated or the record runs past the datagram; the rest of such a
// datagram cannot be delimited and must be dropped.
func Parse(b []byte, cidLen int) (h Header, payload, rest []byte, ok bool) {
	if len(b) < HeaderLen {
		return h, nil, nil, false
	}
	h.Type = protocol.ContentType(b[0])
	h.Version = binary.BigEndian.Uint16(b[1:3])
	h.Epoch = binary.BigEndian.Uint16(b[3:5])
	h.Seq = uint64(binary.BigEndian.Uint16(b[5:7]))<<32 | uint64(binary.BigEndian.Uint32(b[7:11]))
	off := 11
	if h.Type == protocol.ContentTLS12CID {
		if len(b) < HeaderLen+cidLen {
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

// Window is the 64-entry sliding anti-replay window of RFC 6347 §4.1.2.6.
// Callers check with Seen before authenticating a record and call Accept only
// after it authenticated, so forged records cannot move the window.
type Window struct {
	top  uint64 // highest accepted sequence number
	bits uint64 // bit i set: top-i was accepted; 0 while nothing was
}

// Seen reports whether seq was accepted already or is too old to tell.
func (w *Window) Seen(seq uint64) bool {
	return w.Duplicate(seq) || w.bits != 0 && seq < w.top && w.top-seq >= 64
}

// Duplicate reports whether seq is within the window and was accepted;
// unlike Seen, a sequence number older than the window is not reported.
func (w *Window) Duplicate(seq uint64) bool {
	if w.bits == 0 || seq > w.top {
		return false
	}
	d := w.top - seq
	return d < 64 && w.bits&(1<<d) != 0
}

// Accept records seq as received.
func (w *Window) Accept(seq uint64) {
	if w.bits == 0 {
		w.top, w.bits = seq, 1
		return
	}
	if seq > w.top {
		d := seq - w.top
		if d >= 64 {
			w.bits = 1
		} else {
			w.bits = w.bits<<d | 1
		}
		w.top = seq
		return
	}
	if d := w.top - seq; d < 64 {
		w.bits |= 1 << d
	}
}

// AcceptUpTo marks seq and everything below it as received. The server uses
// it after a stateless cookie exchange: older epoch-0 records of that client
// are stale by definition.
func (w *Window) AcceptUpTo(seq uint64) {
	if w.bits != 0 && w.top > seq {
		if d := w.top - seq; d < 64 {
			w.bits |= ^uint64(0) << d
		}
		return
	}
	w.top, w.bits = seq, ^uint64(0)
}

// Highest returns the highest accepted sequence number and whether any was.
func (w *Window) Highest() (uint64, bool) { return w.top, w.bits != 0 }
