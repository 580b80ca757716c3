// SPDX-License-Identifier: BSD-3-Clause

// Package ecc provides the P-256 primitives behind tinydtls' C API.
//
// Upstream exposes two layers. ecc/ecc.h works on numbers stored as
// uint32_t[8] arrays of little-endian 32-bit words (word 0 is the least
// significant); the functions in this file and in curve.go follow those
// conventions, including lengths counted in words and carry/borrow return
// values. crypto.h works on 32-byte big-endian byte strings; see dtls.go.
//
// The arithmetic is done with core/p256 rather than by
// porting upstream's field code, so results are the mathematically correct
// ones. Where upstream would loop forever or read out of bounds, the Go
// functions document what they do instead.
package ecc

import (
	"encoding/binary"

	"github.com/tinydtls-go/tinydtls/core/p256"
)

// ArrayLength is the number of 32-bit words in a P-256 field element
// (upstream's arrayLength).
const ArrayLength = 8

// The curve constants in upstream's word order.
var (
	// gPointX and gPointY are the base point (upstream's ecc_g_point_x/_y).
	gPointX = [8]uint32{0xD898C296, 0xF4A13945, 0x2DEB33A0, 0x77037D81, 0x63A440F2, 0xF8BCE6E5, 0xE12C4247, 0x6B17D1F2}
	gPointY = [8]uint32{0x37BF51F5, 0xCBB64068, 0x6B315ECE, 0x2BCE3357, 0x7C0F9E16, 0x8EE7EB4A, 0xFE1A7F9B, 0x4FE342E2}
	// primeM is the field prime p.
	primeM = [8]uint32{0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xFFFFFFFF}
	// orderM is the group order n (nine words, the last zero, as upstream
	// uses it in 9-word Barrett arithmetic).
	orderM = [9]uint32{0xFC632551, 0xF3B9CAC2, 0xA7179E84, 0xBCE6FAAD, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000000, 0xFFFFFFFF, 0x00000000}
)

// wordBytes returns the 8-word w as 32 big-endian bytes.
func wordBytes(w []uint32) *[32]byte {
	var b [32]byte
	KeyFromWords(w[:ArrayLength], b[:])
	return &b
}

// setWords writes the 32 big-endian bytes b to the 8 words w.
func setWords(w []uint32, b *[32]byte) {
	WordsFromKey(b[:], w[:ArrayLength])
}

// WordsFromKey is upstream's dtls_ec_key_to_uint32: it reads the big-endian
// byte string key (len(key)/4 words' worth) into little-endian words, so
// that w[0] holds the last four bytes of key.
func WordsFromKey(key []byte, w []uint32) {
	n := len(key) / 4
	for i := 0; i < n; i++ {
		w[i] = binary.BigEndian.Uint32(key[len(key)-4-4*i:])
	}
}

// KeyFromWords is upstream's dtls_ec_key_from_uint32, the inverse of
// WordsFromKey: it writes len(key)/4 words to key, most significant first.
func KeyFromWords(w []uint32, key []byte) {
	n := len(key) / 4
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint32(key[len(key)-4-4*i:], w[i])
	}
}

// Add is upstream's ecc_add: result = x + y over length words; it returns
// the carry out of the top word (0 or 1). result may alias x or y.
func Add(x, y, result []uint32, length int) uint32 {
	var carry uint64
	for i := 0; i < length; i++ {
		carry += uint64(x[i]) + uint64(y[i])
		result[i] = uint32(carry)
		carry >>= 32
	}
	return uint32(carry)
}

// Sub is upstream's ecc_sub: result = x - y over length words; it returns
// the borrow out of the top word (0 or 1). result may alias x or y.
func Sub(x, y, result []uint32, length int) uint32 {
	var borrow uint64
	for i := 0; i < length; i++ {
		d := uint64(x[i]) - uint64(y[i]) - borrow
		result[i] = uint32(d)
		borrow = d >> 63
	}
	return uint32(borrow)
}

// FieldAdd is upstream's ecc_fieldAdd on 8 words: result = x + y, and if
// that carries out of 256 bits, reducer (2^256 - modulus, e.g. upstream's
// ecc_prime_r or ecc_order_r) is added once more, modulo 2^256. It always
// returns 0.
func FieldAdd(x, y, reducer, result []uint32) int {
	var t [8]uint32
	if Add(x, y, t[:], ArrayLength) != 0 {
		Add(t[:], reducer, t[:], ArrayLength)
	}
	copy(result[:ArrayLength], t[:])
	return 0
}

// FieldSub is upstream's ecc_fieldSub on 8 words: result = x - y, and if
// that borrows, modulus is added back, modulo 2^256. It always returns 0.
func FieldSub(x, y, modulus, result []uint32) int {
	var t [8]uint32
	if Sub(x, y, t[:], ArrayLength) != 0 {
		Add(t[:], modulus, t[:], ArrayLength)
	}
	copy(result[:ArrayLength], t[:])
	return 0
}

// FieldMult is upstream's ecc_fieldMult: the full product of two length-word
// numbers, written to the 2*length words of result (16 for field elements).
// It always returns 0. Unlike upstream, result may alias x or y.
func FieldMult(x, y, result []uint32, length int) int {
	t := make([]uint32, 2*length)
	for i := 0; i < length; i++ {
		var carry uint64
		for j := 0; j < length; j++ {
			carry += uint64(x[j])*uint64(y[i]) + uint64(t[i+j])
			t[i+j] = uint32(carry)
			carry >>= 32
		}
		t[i+length] = uint32(carry)
	}
	copy(result[:2*length], t)
	return 0
}

// FieldModP is upstream's ecc_fieldModP: A (8 words) = B (16 words) mod p,
// fully reduced. A may alias B.
func FieldModP(A, B []uint32) {
	var b [64]byte
	KeyFromWords(B[:2*ArrayLength], b[:])
	r := p256.ModP(b[:])
	setWords(A, &r)
}

// FieldModO is upstream's ecc_fieldModO: result = A mod n for an A of length
// words. As upstream, an 8-word A that is at most n is copied unchanged
// (so n itself stays n) and only 8 words are written; otherwise the reduced
// value is written to 9 words of result (the ninth is 0), so result needs
// room for 9 words. Upstream reads a ninth word of an 8-word A on that path;
// here words beyond length are taken as zero. A may alias result.
func FieldModO(A, result []uint32, length int) {
	if length == ArrayLength && IsGreater(A, orderM[:], ArrayLength) <= 0 {
		copy(result[:ArrayLength], A[:ArrayLength])
		return
	}
	b := make([]byte, 4*length)
	KeyFromWords(A[:length], b)
	r := p256.ModN(b)
	setWords(result, &r)
	result[ArrayLength] = 0
}

// FieldInv is upstream's ecc_fieldInv: B = A^-1 mod modulus (8 words each),
// in [0, modulus). reducer is accepted for signature compatibility and not
// needed. Upstream never terminates when A has no inverse (A ≡ 0); here B
// is set to zero instead. Like upstream's binary algorithm this needs an
// odd modulus (upstream passes p or n); for an even one B is set to zero
// too. Variable time, as upstream's.
func FieldInv(A, modulus, reducer, B []uint32) {
	_ = reducer
	var m, a wide
	copy(m[:], modulus[:ArrayLength])
	copy(a[:], A[:ArrayLength])
	inv := invertOdd(&a, &m)
	copy(B[:ArrayLength], inv[:ArrayLength])
}

// wide is a little-endian number with a word to spare above 256 bits, for
// the sums of FieldInv.
type wide [ArrayLength + 1]uint32

func (x *wide) isZero() bool    { return *x == wide{} }
func (x *wide) isOne() bool     { return *x == wide{1} }
func (x *wide) isEven() bool    { return x[0]&1 == 0 }
func (x *wide) cmp(y *wide) int { return IsGreater(x[:], y[:], len(x)) }
func (x *wide) add(y *wide)     { Add(x[:], y[:], x[:], len(x)) }
func (x *wide) sub(y *wide)     { Sub(x[:], y[:], x[:], len(x)) }

func (x *wide) shr() {
	for i := 0; i < len(x)-1; i++ {
		x[i] = x[i]>>1 | x[i+1]<<31
	}
	x[len(x)-1] >>= 1
}

func (x *wide) shl() {
	for i := len(x) - 1; i > 0; i-- {
		x[i] = x[i]<<1 | x[i-1]>>31
	}
	x[0] <<= 1
}

// mod returns x mod m (m non-zero, below 2^256) by shift and subtract.
func (x *wide) mod(m *wide) wide {
	var r wide
	for i := 32*len(x) - 1; i >= 0; i-- {
		r.shl()
		r[0] |= x[i/32] >> (i % 32) & 1
		if r.cmp(m) >= 0 {
			r.sub(m)
		}
	}
	return r
}

// halve sets x = x/2 mod m for x < m, m odd: an odd x is made even by
// adding m first.
func (x *wide) halve(m *wide) {
	if !x.isEven() {
		x.add(m)
	}
	x.shr()
}

// invertOdd returns a^-1 mod m, or 0 if there is none or m is even, by the
// binary extended Euclidean algorithm: u = x1·a and v = x2·a (mod m) hold
// throughout while u and v shrink to gcd(a, m).
func invertOdd(a, m *wide) wide {
	if m.isEven() {
		return wide{}
	}
	u, v := a.mod(m), *m
	x1, x2 := wide{1}, wide{}
	for !u.isZero() {
		for u.isEven() {
			u.shr()
			x1.halve(m)
		}
		for v.isEven() {
			v.shr()
			x2.halve(m)
		}
		// Subtract the smaller from the larger, both odd: the difference is
		// even, and shrinks at the next round.
		if u.cmp(&v) >= 0 {
			u.sub(&v)
			if x1.cmp(&x2) < 0 {
				x1.add(m)
			}
			x1.sub(&x2)
		} else {
			v.sub(&u)
			if x2.cmp(&x1) < 0 {
				x2.add(m)
			}
			x2.sub(&x1)
		}
	}
	// u = 0 now and v = gcd(a, m), with v = x2·a.
	if !v.isOne() {
		return wide{}
	}
	return x2
}

// Copy is upstream's ecc_copy: to[:length] = from[:length].
func Copy(from, to []uint32, length int) {
	copy(to[:length], from[:length])
}

// IsSame is upstream's ecc_isSame: 1 if the first length words are equal,
// else 0.
func IsSame(A, B []uint32, length int) int {
	for i := 0; i < length; i++ {
		if A[i] != B[i] {
			return 0
		}
	}
	return 1
}

// SetZero is upstream's ecc_setZero: A[:length] = 0.
func SetZero(A []uint32, length int) {
	clear(A[:length])
}

// IsOne is upstream's ecc_isOne: 1 if the 8-word A equals 1, else 0.
func IsOne(A []uint32) int {
	if A[0] != 1 {
		return 0
	}
	for _, w := range A[1:ArrayLength] {
		if w != 0 {
			return 0
		}
	}
	return 1
}

func isZero(A []uint32) bool {
	var acc uint32
	for _, w := range A[:ArrayLength] {
		acc |= w
	}
	return acc == 0
}

// RShift is upstream's ecc_rshift: shifts the 8-word A right by one bit.
func RShift(A []uint32) {
	for i := 0; i < ArrayLength-1; i++ {
		A[i] = A[i]>>1 | A[i+1]<<31
	}
	A[ArrayLength-1] >>= 1
}

// IsGreater is upstream's ecc_isGreater: compares the length-word numbers
// A and B and returns 1 if A > B, -1 if A < B and 0 if they are equal.
func IsGreater(A, B []uint32, length int) int {
	for i := length - 1; i >= 0; i-- {
		if A[i] > B[i] {
			return 1
		}
		if A[i] < B[i] {
			return -1
		}
	}
	return 0
}
