// SPDX-License-Identifier: BSD-3-Clause

package p256

import "math/bits"

// Both moduli of P-256, p and n, are odd 256-bit numbers, so one set of
// Montgomery routines (R = 2^256, four little-endian 64-bit limbs) serves
// the field and the scalars. Every routine here runs in time independent
// of the values: no branch and no memory access depends on them, and the
// final conditional subtractions are done with masks. That matters for
// the scalars (the private key, the nonce and its inverse) and for the
// field elements of a multiplication by a secret scalar, whose
// intermediate points depend on it. field.go has faster copies of mul,
// square, add and sub for p, under the same rule.

type limbs = [4]uint64

// modulus is an odd m < 2^256 with its Montgomery constants.
type modulus struct {
	m     limbs
	m0inv uint64 // -m^-1 mod 2^64
	rr    limbs  // R^2 mod m, to enter the Montgomery domain
	one   limbs  // R mod m, 1 in the Montgomery domain
}

// mul sets z = x*y/R mod m for x, y < m (CIOS: the reduction is
// interleaved with the product, one limb of y at a time). Each row is
// summed in one carry chain, which the compiler turns into ADC sequences.
func (md *modulus) mul(z, x, y *limbs) {
	m0, m1, m2, m3 := md.m[0], md.m[1], md.m[2], md.m[3]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	var t0, t1, t2, t3, t4, t5 uint64
	for i := range 4 {
		// t += x*y[i]; a row is below 2^320, so h3 takes the carry.
		yi := y[i]
		h0, l0 := bits.Mul64(x0, yi)
		h1, l1 := bits.Mul64(x1, yi)
		h2, l2 := bits.Mul64(x2, yi)
		h3, l3 := bits.Mul64(x3, yi)
		var c uint64
		l1, c = bits.Add64(l1, h0, 0)
		l2, c = bits.Add64(l2, h1, c)
		l3, c = bits.Add64(l3, h2, c)
		h3 += c
		t0, c = bits.Add64(t0, l0, 0)
		t1, c = bits.Add64(t1, l1, c)
		t2, c = bits.Add64(t2, l2, c)
		t3, c = bits.Add64(t3, l3, c)
		t4, t5 = bits.Add64(t4, h3, c)

		// t = (t + u*m) / 2^64 with u chosen so that the low limb vanishes.
		u := t0 * md.m0inv
		h0, l0 = bits.Mul64(u, m0)
		h1, l1 = bits.Mul64(u, m1)
		h2, l2 = bits.Mul64(u, m2)
		h3, l3 = bits.Mul64(u, m3)
		l1, c = bits.Add64(l1, h0, 0)
		l2, c = bits.Add64(l2, h1, c)
		l3, c = bits.Add64(l3, h2, c)
		h3 += c
		_, c = bits.Add64(t0, l0, 0)
		t0, c = bits.Add64(t1, l1, c)
		t1, c = bits.Add64(t2, l2, c)
		t2, c = bits.Add64(t3, l3, c)
		t3, c = bits.Add64(t4, h3, c)
		t4 = t5 + c
	}
	// t < 2m: subtract m once unless that borrows.
	md.reduceOnce(z, &limbs{t0, t1, t2, t3}, t4)
}

// reduceOnce sets z = (carry*2^256 + t) mod m for a value below 2m.
func (md *modulus) reduceOnce(z, t *limbs, carry uint64) {
	var d limbs
	var b uint64
	d[0], b = bits.Sub64(t[0], md.m[0], 0)
	d[1], b = bits.Sub64(t[1], md.m[1], b)
	d[2], b = bits.Sub64(t[2], md.m[2], b)
	d[3], b = bits.Sub64(t[3], md.m[3], b)
	_, b = bits.Sub64(carry, 0, b)
	// b = 1: the value was below m, keep t.
	keep := -b
	z[0] = t[0]&keep | d[0]&^keep
	z[1] = t[1]&keep | d[1]&^keep
	z[2] = t[2]&keep | d[2]&^keep
	z[3] = t[3]&keep | d[3]&^keep
}

// add sets z = x + y mod m for x, y < m.
func (md *modulus) add(z, x, y *limbs) {
	var t limbs
	var c uint64
	t[0], c = bits.Add64(x[0], y[0], 0)
	t[1], c = bits.Add64(x[1], y[1], c)
	t[2], c = bits.Add64(x[2], y[2], c)
	t[3], c = bits.Add64(x[3], y[3], c)
	md.reduceOnce(z, &t, c)
}

// sub sets z = x - y mod m for x, y < m.
func (md *modulus) sub(z, x, y *limbs) {
	var t limbs
	var b uint64
	t[0], b = bits.Sub64(x[0], y[0], 0)
	t[1], b = bits.Sub64(x[1], y[1], b)
	t[2], b = bits.Sub64(x[2], y[2], b)
	t[3], b = bits.Sub64(x[3], y[3], b)
	// On a borrow add m back.
	mask := -b
	var c uint64
	z[0], c = bits.Add64(t[0], md.m[0]&mask, 0)
	z[1], c = bits.Add64(t[1], md.m[1]&mask, c)
	z[2], c = bits.Add64(t[2], md.m[2]&mask, c)
	z[3], _ = bits.Add64(t[3], md.m[3]&mask, c)
}

// fromBytes sets z to the 32-byte big-endian b reduced mod m, in the
// Montgomery domain. b < 2^256 < 2m for both moduli of P-256, so a single
// subtraction reduces it. It reports whether b was already below m, in
// constant time (1 or 0).
func (md *modulus) fromBytes(z *limbs, b *[32]byte) int {
	var t, d limbs
	for i := range 4 {
		t[i] = be64(b[24-8*i:])
	}
	var borrow uint64
	d[0], borrow = bits.Sub64(t[0], md.m[0], 0)
	d[1], borrow = bits.Sub64(t[1], md.m[1], borrow)
	d[2], borrow = bits.Sub64(t[2], md.m[2], borrow)
	d[3], borrow = bits.Sub64(t[3], md.m[3], borrow)
	keep := -borrow
	for i := range 4 {
		t[i] = t[i]&keep | d[i]&^keep
	}
	md.mul(z, &t, &md.rr)
	return int(borrow)
}

// reduceWide returns the big-endian b of any length mod m, by Horner's
// rule on 256-bit chunks from the top: acc = acc·2^256 + chunk, where
// mul(acc, rr) = acc·R is the multiplication by 2^256. Constant time for a
// given length.
func (md *modulus) reduceWide(b []byte) [32]byte {
	var acc limbs
	for len(b) > 0 {
		n := len(b) % 32
		if n == 0 {
			n = 32
		}
		var chunk [32]byte
		copy(chunk[32-n:], b[:n])
		b = b[n:]
		var c limbs
		for i := range 4 {
			c[i] = be64(chunk[24-8*i:])
		}
		md.reduceOnce(&c, &c, 0)
		md.mul(&acc, &acc, &md.rr)
		md.add(&acc, &acc, &c)
	}
	var out [32]byte
	for i := range 4 {
		putBE64(out[24-8*i:], acc[i])
	}
	return out
}

// ModP returns the big-endian b, of any length, modulo p (upstream's
// ecc_fieldModP works on the 512-bit products of its field code).
func ModP(b []byte) [32]byte { return primeP.reduceWide(b) }

// ModN returns the big-endian b, of any length, modulo n.
func ModN(b []byte) [32]byte { return orderN.reduceWide(b) }

// toBytes returns the canonical big-endian encoding of x (Montgomery
// domain).
func (md *modulus) toBytes(x *limbs) [32]byte {
	var t limbs
	md.mul(&t, x, &limbs{1})
	var b [32]byte
	for i := range 4 {
		putBE64(b[24-8*i:], t[i])
	}
	return b
}

// square sets z = x^2/R mod m for x < m: the 512-bit square with each
// cross product computed once, then a separate Montgomery reduction. Worth
// having since inversions are almost all squarings.
func (md *modulus) square(z, x *limbs) {
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	var c uint64
	// The cross products x_i*x_j, i < j, at limbs 1 to 6.
	h01, r1 := bits.Mul64(x0, x1)
	h02, l02 := bits.Mul64(x0, x2)
	h03, l03 := bits.Mul64(x0, x3)
	r2, c := bits.Add64(l02, h01, 0)
	r3, c := bits.Add64(l03, h02, c)
	r4 := h03 + c
	h12, l12 := bits.Mul64(x1, x2)
	h13, l13 := bits.Mul64(x1, x3)
	a4, c := bits.Add64(l13, h12, 0)
	a5 := h13 + c
	r3, c = bits.Add64(r3, l12, 0)
	r4, c = bits.Add64(r4, a4, c)
	r5 := a5 + c
	h23, l23 := bits.Mul64(x2, x3)
	r5, c = bits.Add64(r5, l23, 0)
	r6 := h23 + c
	// Doubled, plus the squares x_i^2 on the diagonal.
	r7 := r6 >> 63
	r6 = r6<<1 | r5>>63
	r5 = r5<<1 | r4>>63
	r4 = r4<<1 | r3>>63
	r3 = r3<<1 | r2>>63
	r2 = r2<<1 | r1>>63
	r1 <<= 1
	h0, t0 := bits.Mul64(x0, x0)
	h1, l1 := bits.Mul64(x1, x1)
	h2, l2 := bits.Mul64(x2, x2)
	h3, l3 := bits.Mul64(x3, x3)
	t1, c := bits.Add64(r1, h0, 0)
	t2, c := bits.Add64(r2, l1, c)
	t3, c := bits.Add64(r3, h1, c)
	t4, c := bits.Add64(r4, l2, c)
	t5, c := bits.Add64(r5, h2, c)
	t6, c := bits.Add64(r6, l3, c)
	t7 := r7 + h3 + c

	// (low + u*m)/R for the u that clears the low half is at most m; the
	// high half of a square of x < m is below m as well.
	m0, m1, m2, m3 := md.m[0], md.m[1], md.m[2], md.m[3]
	for range 4 {
		u := t0 * md.m0inv
		hm0, lm0 := bits.Mul64(u, m0)
		hm1, lm1 := bits.Mul64(u, m1)
		hm2, lm2 := bits.Mul64(u, m2)
		hm3, lm3 := bits.Mul64(u, m3)
		lm1, c = bits.Add64(lm1, hm0, 0)
		lm2, c = bits.Add64(lm2, hm1, c)
		lm3, c = bits.Add64(lm3, hm2, c)
		hm3 += c
		_, c = bits.Add64(t0, lm0, 0)
		t0, c = bits.Add64(t1, lm1, c)
		t1, c = bits.Add64(t2, lm2, c)
		t2, c = bits.Add64(t3, lm3, c)
		// Below 2^64: the window stays below 2^192 + m < 2^256 for both
		// moduli.
		t3 = hm3 + c
	}
	t0, c = bits.Add64(t0, t4, 0)
	t1, c = bits.Add64(t1, t5, c)
	t2, c = bits.Add64(t2, t6, c)
	t3, c = bits.Add64(t3, t7, c)
	md.reduceOnce(z, &limbs{t0, t1, t2, t3}, c)
}

// sqrN sets z = x^(2^n).
func (md *modulus) sqrN(z, x *limbs, n int) {
	md.square(z, x)
	for range n - 1 {
		md.square(z, z)
	}
}

// isZero returns 1 if x is zero, else 0, in constant time.
func isZero(x *limbs) int {
	v := x[0] | x[1] | x[2] | x[3]
	return int(1 ^ (v|-v)>>63)
}

// equal returns 1 if x == y, else 0, in constant time.
func equal(x, y *limbs) int {
	d := limbs{x[0] ^ y[0], x[1] ^ y[1], x[2] ^ y[2], x[3] ^ y[3]}
	return isZero(&d)
}

func be64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[7]) | uint64(b[6])<<8 | uint64(b[5])<<16 | uint64(b[4])<<24 |
		uint64(b[3])<<32 | uint64(b[2])<<40 | uint64(b[1])<<48 | uint64(b[0])<<56
}

func putBE64(b []byte, v uint64) {
	_ = b[7]
	b[0] = byte(v >> 56)
	b[1] = byte(v >> 48)
	b[2] = byte(v >> 40)
	b[3] = byte(v >> 32)
	b[4] = byte(v >> 24)
	b[5] = byte(v >> 16)
	b[6] = byte(v >> 8)
	b[7] = byte(v)
}
