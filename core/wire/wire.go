// SPDX-License-Identifier: BSD-3-Clause

// Package wire reads and writes the length-prefixed structures of TLS and
// DTLS messages (RFC 8446 section 3).
//
// Its API is the part of golang.org/x/crypto/cryptobyte the engine used,
// with the same names and meaning, so that the message code reads the
// same. It exists because cryptobyte imports encoding/asn1, whose package
// initialisation keeps reflect and time's formatting in every program that
// links it: about 600 KB of the shared library for the ASN.1 half the
// engine never used (SubjectPublicKeyInfo is matched as fixed bytes in
// core/ecc).
package wire

import "errors"

// String is input being read; each successful Read advances it. A failed
// read returns false; after one, the rest of s is not meaningful (a
// length-prefixed read that fails has consumed the length, as in
// cryptobyte).
type String []byte

func (s *String) read(n int) []byte {
	if n < 0 || len(*s) < n {
		return nil
	}
	v := (*s)[:n]
	*s = (*s)[n:]
	return v
}

// Empty reports whether all of s has been read.
func (s String) Empty() bool { return len(s) == 0 }

// Skip advances over n bytes.
func (s *String) Skip(n int) bool { return s.read(n) != nil }

// ReadUint8 reads one byte.
func (s *String) ReadUint8(out *uint8) bool {
	v := s.read(1)
	if v == nil {
		return false
	}
	*out = v[0]
	return true
}

// ReadUint16 reads a big-endian uint16.
func (s *String) ReadUint16(out *uint16) bool {
	v := s.read(2)
	if v == nil {
		return false
	}
	*out = uint16(v[0])<<8 | uint16(v[1])
	return true
}

// ReadUint24 reads a big-endian 24-bit integer.
func (s *String) ReadUint24(out *uint32) bool {
	v := s.read(3)
	if v == nil {
		return false
	}
	*out = uint32(v[0])<<16 | uint32(v[1])<<8 | uint32(v[2])
	return true
}

// ReadUint32 reads a big-endian uint32.
func (s *String) ReadUint32(out *uint32) bool {
	v := s.read(4)
	if v == nil {
		return false
	}
	*out = uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
	return true
}

// ReadBytes sets *out to the next n bytes of s, without copying.
func (s *String) ReadBytes(out *[]byte, n int) bool {
	v := s.read(n)
	if v == nil {
		return false
	}
	*out = v
	return true
}

// CopyBytes fills out from s.
func (s *String) CopyBytes(out []byte) bool {
	v := s.read(len(out))
	if v == nil {
		return false
	}
	copy(out, v)
	return true
}

func (s *String) readPrefixed(lenLen int, out *String) bool {
	p := s.read(lenLen)
	if p == nil {
		return false
	}
	n := 0
	for _, b := range p {
		n = n<<8 | int(b)
	}
	v := s.read(n)
	if v == nil {
		return false // the length stays consumed, as in cryptobyte
	}
	*out = v
	return true
}

// ReadUint8LengthPrefixed reads a block with a one-byte length into out.
func (s *String) ReadUint8LengthPrefixed(out *String) bool { return s.readPrefixed(1, out) }

// ReadUint16LengthPrefixed reads a block with a two-byte length into out.
func (s *String) ReadUint16LengthPrefixed(out *String) bool { return s.readPrefixed(2, out) }

// ReadUint24LengthPrefixed reads a block with a three-byte length into out.
func (s *String) ReadUint24LengthPrefixed(out *String) bool { return s.readPrefixed(3, out) }

// errTooLong is the error of a length-prefixed block longer than its
// prefix can say.
var errTooLong = errors.New("wire: length-prefixed block too long for its prefix")

// Builder appends a message to a buffer. Length-prefixed blocks are written
// by a continuation given a child Builder; the length is filled in when it
// returns.
type Builder struct {
	buf *[]byte // shared by a builder and its children
	err *error
	own []byte
	e   error
}

// BuilderContinuation writes the contents of a length-prefixed block.
type BuilderContinuation func(child *Builder)

// NewBuilder returns a Builder that appends to buffer.
func NewBuilder(buffer []byte) *Builder {
	b := &Builder{own: buffer}
	b.buf, b.err = &b.own, &b.e
	return b
}

// Bytes returns the bytes written, or the first error.
func (b *Builder) Bytes() ([]byte, error) {
	if *b.err != nil {
		return nil, *b.err
	}
	return *b.buf, nil
}

// BytesOrPanic returns the bytes written; a block too long for its length
// prefix is a bug in the caller, as in cryptobyte.
func (b *Builder) BytesOrPanic() []byte {
	v, err := b.Bytes()
	if err != nil {
		panic(err)
	}
	return v
}

// AddUint8 appends a byte.
func (b *Builder) AddUint8(v uint8) { *b.buf = append(*b.buf, v) }

// AddUint16 appends a big-endian uint16.
func (b *Builder) AddUint16(v uint16) { *b.buf = append(*b.buf, byte(v>>8), byte(v)) }

// AddUint24 appends the low 24 bits of v, big-endian.
func (b *Builder) AddUint24(v uint32) { *b.buf = append(*b.buf, byte(v>>16), byte(v>>8), byte(v)) }

// AddUint32 appends a big-endian uint32.
func (b *Builder) AddUint32(v uint32) {
	*b.buf = append(*b.buf, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// AddBytes appends v.
func (b *Builder) AddBytes(v []byte) { *b.buf = append(*b.buf, v...) }

func (b *Builder) addPrefixed(lenLen int, f BuilderContinuation) {
	start := len(*b.buf)
	for i := 0; i < lenLen; i++ {
		*b.buf = append(*b.buf, 0)
	}
	child := &Builder{buf: b.buf, err: b.err}
	f(child)
	n := len(*b.buf) - start - lenLen
	if n>>(8*lenLen) != 0 {
		if *b.err == nil {
			*b.err = errTooLong
		}
		return
	}
	for i := lenLen - 1; i >= 0; i-- {
		(*b.buf)[start+i] = byte(n)
		n >>= 8
	}
}

// AddUint8LengthPrefixed appends a block with a one-byte length.
func (b *Builder) AddUint8LengthPrefixed(f BuilderContinuation) { b.addPrefixed(1, f) }

// AddUint16LengthPrefixed appends a block with a two-byte length.
func (b *Builder) AddUint16LengthPrefixed(f BuilderContinuation) { b.addPrefixed(2, f) }

// AddUint24LengthPrefixed appends a block with a three-byte length.
func (b *Builder) AddUint24LengthPrefixed(f BuilderContinuation) { b.addPrefixed(3, f) }
