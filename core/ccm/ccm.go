// SPDX-License-Identifier: BSD-3-Clause

// Package ccm implements the CCM mode of operation (RFC 3610) for 128-bit
// block ciphers, with every tag size and length-field size the RFC allows.
//
// DTLS uses AES-CCM with an 8- or 16-byte tag and a 12-byte nonce (L = 3);
// the general parameters are kept because the C API lets callers choose M
// and L freely.
package ccm

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"math"
	"sync/atomic"
	"unsafe"
)

const blockSize = 16

var (
	errOpen        = errors.New("ccm: message authentication failed")
	errNonceSize   = errors.New("ccm: incorrect nonce length")
	errShort       = errors.New("ccm: ciphertext shorter than the tag")
	errTooLong     = errors.New("ccm: message too long for the length field")
	errBlockSize   = errors.New("ccm: block cipher must have a 16-byte block")
	errTagSize     = errors.New("ccm: tag size must be one of 4, 6, 8, 10, 12, 14, 16")
	errNonceLength = errors.New("ccm: nonce size must be between 7 and 13")
)

// batch is how many counter blocks are encrypted per round of the main
// loop. Preparing them together, and interleaving their encryption with
// the CBC-MAC chain, lets the CPU overlap the independent AES calls with
// the latency-bound MAC; 4 is where the gain levels off.
const batch = 4

// scratch holds the blocks CCM needs per operation. It lives in the CCM
// value rather than on the stack because slices handed to the cipher.Block
// interface escape, and a per-call heap block would be an allocation per
// record.
type scratch struct {
	x  [blockSize]byte         // CBC-MAC chaining value
	s0 [blockSize]byte         // E(A_0), which encrypts the tag
	k  [batch * blockSize]byte // counter blocks, encrypted in place into key stream
}

// CCM is an AEAD implementing cipher.AEAD. It is safe for concurrent use:
// one caller at a time uses the embedded scratch space and any concurrent
// caller falls back to a freshly allocated one.
type CCM struct {
	block cipher.Block // nil on the fast path
	rk    [176]byte    // AES-128 round keys for the fast path (fast.go)
	// fast is set by InitKey. It is not derived from block == nil so that
	// an uninitialised CCM panics instead of running on zero round keys.
	fast      bool
	tagSize   int
	nonceSize int
	maxLen    uint64 // largest message the length field can encode
	busy      atomic.Uint32
	buf       scratch
}

var _ cipher.AEAD = (*CCM)(nil)

// Init sets up c in place (so callers can embed a CCM value without an
// allocation). tagSize must be 4, 6, 8, 10, 12, 14 or 16; nonceSize must be
// 7..13, which fixes the length field at L = 15-nonceSize bytes. The block
// size of b must be 16. Init must not race with other uses of c.
func Init(c *CCM, b cipher.Block, tagSize, nonceSize int) error {
	if b == nil || b.BlockSize() != blockSize {
		return errBlockSize
	}
	if err := checkSizes(tagSize, nonceSize); err != nil {
		return err
	}
	c.setup(b, tagSize, nonceSize)
	return nil
}

func checkSizes(tagSize, nonceSize int) error {
	if tagSize < 4 || tagSize > 16 || tagSize%2 != 0 {
		return errTagSize
	}
	if nonceSize < 7 || nonceSize > 13 {
		return errNonceLength
	}
	return nil
}

// setup finishes Init and InitKey once the sizes are checked; b is nil for
// the fast path, whose round keys the caller has put in c.rk.
func (c *CCM) setup(b cipher.Block, tagSize, nonceSize int) {
	c.block = b
	c.fast = b == nil
	c.tagSize = tagSize
	c.nonceSize = nonceSize
	c.maxLen = maxMessageLen(15 - nonceSize)
	c.busy.Store(0)
}

// New returns a CCM set up as by Init.
func New(b cipher.Block, tagSize, nonceSize int) (*CCM, error) {
	c := new(CCM)
	if err := Init(c, b, tagSize, nonceSize); err != nil {
		return nil, err
	}
	return c, nil
}

func maxMessageLen(l int) uint64 {
	if l >= 8 {
		return math.MaxUint64
	}
	return 1<<(8*uint(l)) - 1
}

// NonceSize returns the nonce length in bytes.
func (c *CCM) NonceSize() int { return c.nonceSize }

// Overhead returns the tag length in bytes.
func (c *CCM) Overhead() int { return c.tagSize }

// Seal encrypts and authenticates plaintext, authenticates additionalData
// and appends the result to dst. To reuse plaintext's storage for the
// output, use plaintext[:0] as dst. Like the standard library AEADs, Seal
// panics if the nonce has the wrong length, if the message does not fit the
// length field, or if dst and plaintext overlap other than exactly.
func (c *CCM) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	if len(nonce) != c.nonceSize {
		panic("ccm: incorrect nonce length given to CCM")
	}
	if uint64(len(plaintext)) > c.maxLen {
		panic("ccm: message too large for the CCM length field")
	}
	ret, out := sliceForAppend(dst, len(plaintext)+c.tagSize)
	if inexactOverlap(out, plaintext) {
		panic("ccm: invalid buffer overlap")
	}
	s, owned := c.acquire()
	c.seal(s, out, nonce, plaintext, additionalData)
	c.release(s, owned)
	return ret
}

// Open authenticates and decrypts ciphertext (which ends in the tag),
// authenticates additionalData and appends the plaintext to dst. To reuse
// ciphertext's storage, use ciphertext[:0] as dst. Malformed input of any
// kind, including a wrong nonce length, is reported as an error; Open
// panics only if dst and ciphertext overlap other than exactly. When the
// tag does not verify, the bytes written to dst are zeroed again.
func (c *CCM) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	if len(nonce) != c.nonceSize {
		return nil, errNonceSize
	}
	if len(ciphertext) < c.tagSize {
		return nil, errShort
	}
	n := len(ciphertext) - c.tagSize
	if uint64(n) > c.maxLen {
		return nil, errTooLong
	}
	ret, out := sliceForAppend(dst, n)
	if inexactOverlap(out, ciphertext) {
		panic("ccm: invalid buffer overlap")
	}
	s, owned := c.acquire()
	ok := c.open(s, out, nonce, ciphertext[:n], ciphertext[n:], additionalData)
	c.release(s, owned)
	if !ok {
		clear(out)
		return nil, errOpen
	}
	return ret, nil
}

func (c *CCM) acquire() (*scratch, bool) {
	if c.busy.CompareAndSwap(0, 1) {
		return &c.buf, true
	}
	return new(scratch), false
}

func (c *CCM) release(s *scratch, owned bool) {
	// The blocks hold key stream and MAC state of the last message.
	*s = scratch{}
	if owned {
		c.busy.Store(0)
	}
}

// b0 writes B_0, the first authentication block (RFC 3610 §2.2), to b.
// Every byte is written: flags, nonce, message length.
func (c *CCM) b0(b *[blockSize]byte, nonce []byte, msgLen int, hasAAD bool) {
	l := 15 - c.nonceSize
	b[0] = byte((c.tagSize-2)/2<<3 | (l - 1))
	if hasAAD {
		b[0] |= 1 << 6
	}
	copy(b[1:], nonce)
	m := uint64(msgLen)
	for i := 0; i < l; i++ {
		b[15-i] = byte(m)
		m >>= 8
	}
}

// aadLength returns the encoding of l(a) that precedes the additional data
// in the authentication blocks (RFC 3610 §2.2).
func aadLength(buf *[10]byte, la uint64) []byte {
	switch {
	case la < 0xFF00:
		binary.BigEndian.PutUint16(buf[:], uint16(la))
		return buf[:2]
	case la <= math.MaxUint32:
		buf[0], buf[1] = 0xFF, 0xFE
		binary.BigEndian.PutUint32(buf[2:], uint32(la))
		return buf[:6]
	default:
		buf[0], buf[1] = 0xFF, 0xFF
		binary.BigEndian.PutUint64(buf[2:], la)
		return buf[:10]
	}
}

// begin computes X_1 = E(B_0) and S_0 = E(A_0) (RFC 3610 §2.2, §2.3),
// absorbs the additional data into the MAC and returns A_0 as two
// big-endian halves. The counter occupies the low L <= 8 bytes, so A_i is
// (hi, lo|i) for every i a legal message length can reach.
//
// Unlike beginFast, begin streams the additional data through the MAC
// instead of formatting the blocks first: with a cipher.Block call per
// block anyway, the formatting would only add copies, which measurably
// slow short records.
func (c *CCM) begin(s *scratch, nonce []byte, msgLen int, aad []byte) (hi, lo uint64) {
	x := &s.x
	c.b0(x, nonce, msgLen, len(aad) > 0)
	hi, lo = c.a0(&s.s0, nonce)
	c.block.Encrypt(x[:], x[:])
	c.block.Encrypt(s.s0[:], s.s0[:])
	if len(aad) == 0 {
		return hi, lo
	}
	// The encoded l(a) and the first bytes of a share the first
	// authentication block after B_0.
	var buf [10]byte
	la := aadLength(&buf, uint64(len(aad)))
	for i, b := range la {
		x[i] ^= b
	}
	n := min(blockSize-len(la), len(aad))
	subtle.XORBytes(x[len(la):len(la)+n], x[len(la):len(la)+n], aad[:n])
	aad = aad[n:]
	c.block.Encrypt(x[:], x[:])
	for len(aad) > 0 {
		// A short final block is zero padded, so xoring only its bytes
		// is enough.
		n := subtle.XORBytes(x[:], x[:], aad)
		c.block.Encrypt(x[:], x[:])
		aad = aad[n:]
	}
	return hi, lo
}

// a0 writes A_0, the counter block whose encryption S_0 encrypts the tag
// (RFC 3610 §2.3), to b and returns it as two big-endian halves.
func (c *CCM) a0(b *[blockSize]byte, nonce []byte) (hi, lo uint64) {
	*b = [blockSize]byte{}
	b[0] = byte(14 - c.nonceSize) // L-1
	copy(b[1:], nonce)
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
}

// tag writes the authentication value, the CBC-MAC encrypted with S_0
// (RFC 3610 §2.3), to dst[:c.tagSize].
func (c *CCM) tag(s *scratch, dst []byte) {
	subtle.XORBytes(dst[:c.tagSize], s.x[:c.tagSize], s.s0[:c.tagSize])
}

// tagMatches compares the received tag with the computed one in constant
// time.
func (c *CCM) tagMatches(s *scratch, received []byte) bool {
	var want [blockSize]byte
	c.tag(s, want[:])
	return subtle.ConstantTimeCompare(want[:c.tagSize], received) == 1
}

// counters writes the counter blocks covering the next n <= batch*blockSize
// bytes of message, starting at A_ctr, into s.k and returns the counter
// after them.
func counters(s *scratch, hi, lo, ctr uint64, n int) uint64 {
	for j := 0; j < n; j += blockSize {
		binary.BigEndian.PutUint64(s.k[j:], hi)
		binary.BigEndian.PutUint64(s.k[j+8:], lo|ctr)
		ctr++
	}
	return ctr
}

func (c *CCM) seal(s *scratch, out, nonce, plaintext, aad []byte) {
	if c.fast {
		c.sealFast(s, out, nonce, plaintext, aad)
		return
	}
	hi, lo := c.begin(s, nonce, len(plaintext), aad)
	x := &s.x
	ctr := uint64(1)
	src, dst := plaintext, out
	for len(src) > 0 {
		n := min(len(src), batch*blockSize)
		ctr = counters(s, hi, lo, ctr, n)
		// The whole chunk is read for the MAC before any of it is
		// overwritten, which keeps in-place operation correct.
		for j := 0; j < n; j += blockSize {
			subtle.XORBytes(x[:], x[:], src[j:min(j+blockSize, n)])
			c.block.Encrypt(x[:], x[:])
			c.block.Encrypt(s.k[j:j+blockSize], s.k[j:j+blockSize])
		}
		subtle.XORBytes(dst[:n], src[:n], s.k[:n])
		src, dst = src[n:], dst[n:]
	}
	c.tag(s, dst)
}

// open decrypts ciphertext into out and reports whether tag verifies. Open
// has ruled out that out overlaps tag.
func (c *CCM) open(s *scratch, out, nonce, ciphertext, tag, aad []byte) bool {
	if c.fast {
		return c.openFast(s, out, nonce, ciphertext, tag, aad)
	}
	hi, lo := c.begin(s, nonce, len(ciphertext), aad)
	x := &s.x
	ctr := uint64(1)
	src, dst := ciphertext, out
	for len(src) > 0 {
		n := min(len(src), batch*blockSize)
		ctr = counters(s, hi, lo, ctr, n)
		// Each MAC step needs the plaintext of its block, so the key
		// stream runs one block ahead of the MAC.
		c.block.Encrypt(s.k[:blockSize], s.k[:blockSize])
		for j := 0; j < n; j += blockSize {
			if next := j + blockSize; next < n {
				c.block.Encrypt(s.k[next:next+blockSize], s.k[next:next+blockSize])
			}
			e := min(j+blockSize, n)
			subtle.XORBytes(dst[j:e], src[j:e], s.k[j:e])
			subtle.XORBytes(x[:], x[:], dst[j:e])
			c.block.Encrypt(x[:], x[:])
		}
		src, dst = src[n:], dst[n:]
	}
	return c.tagMatches(s, tag)
}

// sliceForAppend extends in by n bytes, reusing its capacity when possible,
// and returns the whole slice and the appended tail.
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	tail = head[len(in):]
	return
}

// inexactOverlap reports whether x and y share memory at different
// offsets, which would make block-by-block in-place processing read bytes
// it has already overwritten.
func inexactOverlap(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 || &x[0] == &y[0] {
		return false
	}
	x0 := uintptr(unsafe.Pointer(&x[0]))
	x1 := uintptr(unsafe.Pointer(&x[len(x)-1]))
	y0 := uintptr(unsafe.Pointer(&y[0]))
	y1 := uintptr(unsafe.Pointer(&y[len(y)-1]))
	return x0 <= y1 && y0 <= x1
}
