// SPDX-License-Identifier: BSD-3-Clause

// Package hmac is HMAC (RFC 2104) over any hash.Hash, as crypto/hmac
// computes it. The engine needs HMAC for the TLS 1.2 PRF, HKDF, cookies
// and RFC 6979 nonces; crypto/hmac and crypto/hkdf link the standard
// library's SHA-3 registration and their FIPS self-tests with them, about
// 20 KB of the C library, for these few lines.
package hmac

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding"
	"hash"
	"sync/atomic"
	"unsafe"
)

type mac struct {
	inner, outer hash.Hash
	ipad, opad   []byte
	// The hash states after the padded key, once Reset was called and
	// when the hash can save them (SHA-2 can): Reset and Sum restore them
	// instead of hashing a block.
	istate, ostate []byte
	tried          bool // saveStates ran
}

type stateHash interface {
	hash.Hash
	encoding.BinaryAppender
	encoding.BinaryUnmarshaler
}

// New returns HMAC with the hash newHash makes and key. Keys longer than
// the hash's block are hashed first, as the RFC says.
func New(newHash func() hash.Hash, key []byte) hash.Hash {
	m := &mac{inner: newHash(), outer: newHash()}
	bs := m.inner.BlockSize()
	m.ipad, m.opad = make([]byte, bs), make([]byte, bs)
	m.setKey(key)
	return m
}

// setKey makes m's pads from key and puts the inner hash after the inner
// pad; the states saved for an earlier key are wiped.
func (m *mac) setKey(key []byte) {
	var sum [64]byte
	if len(key) > len(m.ipad) {
		m.outer.Reset()
		m.outer.Write(key)
		key = m.outer.Sum(sum[:0])
		m.outer.Reset()
	}
	clear(m.ipad)
	copy(m.ipad, key)
	for i := range m.ipad {
		m.opad[i] = m.ipad[i] ^ 0x5c
		m.ipad[i] ^= 0x36
	}
	clear(sum[:])
	wipe(m)
	m.inner.Reset()
	m.inner.Write(m.ipad)
}

// saveStates records both hash states after the padded key, on the first
// Reset as crypto/hmac does: a MAC computed once never pays for it.
func (m *mac) saveStates() {
	in, ok1 := m.inner.(stateHash)
	out, ok2 := m.outer.(stateHash)
	if !ok1 || !ok2 {
		return
	}
	in.Reset()
	in.Write(m.ipad)
	out.Reset()
	out.Write(m.opad)
	istate, err1 := in.AppendBinary(m.istate[:0])
	ostate, err2 := out.AppendBinary(m.ostate[:0])
	if err1 == nil && err2 == nil {
		m.istate, m.ostate = istate, ostate
	}
}

// Rekey makes h, an HMAC that New made, what New would make with the same
// hash and key, in h's own memory: the TLS 1.2 PRF makes one per secret,
// several per handshake, and their garbage would bring collections
// sooner. It returns false, changing nothing, for any other hash.Hash.
func Rekey(h hash.Hash, key []byte) bool {
	m, ok := h.(*mac)
	if ok {
		m.setKey(key)
	}
	return ok
}

// spare is an HMAC-SHA256 that Done kept for the next SHA256 (one for
// the process: a call on another thread meanwhile makes its own).
var spare unsafe.Pointer // *mac

// SHA256 returns HMAC-SHA256 keyed with key, in the memory of the one
// Done kept if there is one: the TLS 1.2 PRF needs several per handshake.
func SHA256(key []byte) hash.Hash {
	if m := (*mac)(atomic.SwapPointer(&spare, nil)); m != nil && Rekey(m, key) {
		return m
	}
	return New(sha256.New, key)
}

// Done wipes h, an HMAC-SHA256 that SHA256 returned, and keeps it for the
// next SHA256; h must not be used afterwards. The pads (the key, XORed
// with a constant) and the saved states are erased and both hashes reset:
// a kept HMAC holds nothing of the secret it last used.
func Done(h hash.Hash) {
	if m, ok := h.(*mac); ok && m.Size() == sha256.Size && m.BlockSize() == sha256.BlockSize {
		wipe(m)
		clear(m.ipad)
		clear(m.opad)
		m.inner.Reset()
		m.outer.Reset()
		atomic.StorePointer(&spare, unsafe.Pointer(m))
	}
}

// wipe erases the hash states an HMAC that New made saved after its key
// (the next Reset saves them again), for an HMAC kept for reuse.
func wipe(h hash.Hash) {
	if m, ok := h.(*mac); ok {
		clear(m.istate)
		clear(m.ostate)
		m.istate, m.ostate = m.istate[:0], m.ostate[:0]
		m.tried = false
	}
}

func (m *mac) Write(p []byte) (int, error) { return m.inner.Write(p) }
func (m *mac) Size() int                   { return m.inner.Size() }
func (m *mac) BlockSize() int              { return m.inner.BlockSize() }

// Sum appends the MAC of what was written so far; writing may go on. The
// inner hash is computed into b's spare room, so that a caller with
// room for two hashes allocates nothing.
func (m *mac) Sum(b []byte) []byte {
	n := len(b)
	b = m.inner.Sum(b)
	m.restore(m.outer, m.ostate, m.opad)
	m.outer.Write(b[n:])
	return m.outer.Sum(b[:n])
}

func (m *mac) Reset() {
	if len(m.istate) == 0 && !m.tried {
		m.tried = true
		m.saveStates()
	}
	m.restore(m.inner, m.istate, m.ipad)
}

// restore puts h back to the state after the padded key.
func (m *mac) restore(h hash.Hash, state, pad []byte) {
	if len(state) != 0 && h.(stateHash).UnmarshalBinary(state) == nil {
		return
	}
	h.Reset()
	h.Write(pad)
}

// Equal compares two MACs in time that depends only on their lengths.
func Equal(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
