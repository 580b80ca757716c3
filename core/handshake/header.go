// SPDX-License-Identifier: BSD-3-Clause

// Package handshake encodes and decodes DTLS 1.2 handshake messages
// (RFC 6347 §4.3.2, RFC 5246 §7.4 and the extensions tinydtls negotiates)
// and reassembles handshake messages from record-layer fragments.
//
// Decoding is strict: every Unmarshal method returns false for any input
// that is not a canonical encoding of its message, so the engine can answer
// with a decode_error alert without further checks. Semantic checks (is this
// cipher suite acceptable, may a server send this extension) belong to the
// engine, not to this package.
//
// Unmarshal never retains its input: variable-length fields are copied, and
// an empty vector decodes as a nil slice. After a failed Unmarshal the
// receiver may hold a partial decode and must not be used. This costs a few small allocations
// per handshake but lets the engine keep decoded values (a connection ID, a
// peer's public key) after the reassembly buffer they came from is reused.
//
// Marshal methods append to their argument and never fail on the lower
// bounds of the RFCs (an empty list is encoded as empty, for the peer to
// reject). They panic when a field cannot be represented at all, such as a
// session ID longer than 32 bytes or a vector longer than its length prefix
// allows: the engine builds these messages from its own state, so such a
// value is a programming error that must not reach the wire silently.
package handshake

import "github.com/tinydtls-go/tinydtls/core/protocol"

// HeaderLen is the size of the DTLS handshake header (RFC 6347 §4.2.2).
const HeaderLen = protocol.HandshakeHeaderLen

// max24 is the largest value a 24-bit length field can carry.
const max24 = 1<<24 - 1

// Header is the DTLS handshake header that precedes every fragment.
type Header struct {
	Type           protocol.HandshakeType
	Length         uint32 // 24-bit
	MessageSeq     uint16
	FragmentOffset uint32 // 24-bit
	FragmentLength uint32 // 24-bit
}

// ParseFragment reads one handshake fragment from a record payload: header,
// fragment bytes, rest of the payload. ok is false if the header is
// truncated, the fragment runs past the payload, or offset+length exceeds
// Length. frag and rest alias b.
func ParseFragment(b []byte) (h Header, frag, rest []byte, ok bool) {
	if len(b) < HeaderLen {
		return Header{}, nil, nil, false
	}
	h = Header{
		Type:           protocol.HandshakeType(b[0]),
		Length:         get24(b[1:]),
		MessageSeq:     uint16(b[4])<<8 | uint16(b[5]),
		FragmentOffset: get24(b[6:]),
		FragmentLength: get24(b[9:]),
	}
	// The three fields are 24-bit, so these sums cannot overflow uint32.
	if h.FragmentOffset+h.FragmentLength > h.Length {
		return Header{}, nil, nil, false
	}
	b = b[HeaderLen:]
	if uint64(len(b)) < uint64(h.FragmentLength) {
		return Header{}, nil, nil, false
	}
	n := int(h.FragmentLength)
	return h, b[:n:n], b[n:], true
}

// Append appends the 12-byte encoding of h to b. The 24-bit fields are
// truncated to 24 bits; callers never build headers that large because
// handshake messages are bounded far below 2^24 bytes.
func (h Header) Append(b []byte) []byte {
	b = append(b, byte(h.Type))
	b = put24(b, h.Length)
	b = append(b, byte(h.MessageSeq>>8), byte(h.MessageSeq))
	b = put24(b, h.FragmentOffset)
	return put24(b, h.FragmentLength)
}

func get24(b []byte) uint32 {
	return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
}

func put24(b []byte, v uint32) []byte {
	return append(b, byte(v>>16), byte(v>>8), byte(v))
}
