// SPDX-License-Identifier: BSD-3-Clause

package x25519

import "math/bits"

// fe is an element of GF(2^255-19) as l[0] + l[1]·2^51 + ... + l[4]·2^204.
// Limbs are kept below 2^52 between operations (carry does that), which
// leaves mul room to multiply by 19 and sum five products in 128 bits.
type fe [5]uint64

const mask51 = 1<<51 - 1

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// setBytes drops bit 255, as RFC 7748 §5 asks; a value in [p, 2^255) is
// then simply a non-reduced element, which the arithmetic tolerates.
func (v *fe) setBytes(b *[32]byte) {
	w0, w1, w2, w3 := le64(b[0:]), le64(b[8:]), le64(b[16:]), le64(b[24:])
	v[0] = w0 & mask51
	v[1] = (w0>>51 | w1<<13) & mask51
	v[2] = (w1>>38 | w2<<26) & mask51
	v[3] = (w2>>25 | w3<<39) & mask51
	v[4] = w3 >> 12 & mask51
}

// bytes returns the canonical encoding: the value is fully reduced below p
// first, since a non-reduced output would differ from every other
// implementation's.
func (v *fe) bytes() (out [32]byte) {
	var t fe
	t.carry(v[0], v[1], v[2], v[3], v[4])
	// Every limb is now below 2^51 + 2^18, so t < 2p and one conditional
	// subtraction of p suffices; t ≥ p exactly when t+19 reaches 2^255.
	c := (t[0] + 19) >> 51
	c = (t[1] + c) >> 51
	c = (t[2] + c) >> 51
	c = (t[3] + c) >> 51
	c = (t[4] + c) >> 51
	// Add 19·c and drop bit 255, which subtracts p when c = 1.
	t[0] += 19 * c
	for i := 0; i < 4; i++ {
		t[i+1] += t[i] >> 51
		t[i] &= mask51
	}
	t[4] &= mask51
	w := [4]uint64{t[0] | t[1]<<51, t[1]>>13 | t[2]<<38, t[2]>>26 | t[3]<<25, t[3]>>39 | t[4]<<12}
	for i, x := range w {
		for j := 0; j < 8; j++ {
			out[8*i+j] = byte(x >> (8 * j))
		}
	}
	return out
}

// carry sets v to l0 + l1·2^51 + ... + l4·2^204 with every limb brought
// below 2^51 + 2^18 (limb 0 takes 19 times the carry out of limb 4, since
// 2^255 = 19 mod p). Its arguments are values, not a *fe, so that it
// inlines and they stay in registers.
func (v *fe) carry(l0, l1, l2, l3, l4 uint64) {
	v[0] = l0&mask51 + 19*(l4>>51)
	v[1] = l1&mask51 + l0>>51
	v[2] = l2&mask51 + l1>>51
	v[3] = l3&mask51 + l2>>51
	v[4] = l4&mask51 + l3>>51
}

func (v *fe) add(a, b *fe) {
	v.carry(a[0]+b[0], a[1]+b[1], a[2]+b[2], a[3]+b[3], a[4]+b[4])
}

// sub adds 2p before subtracting so that no limb wraps: each limb of 2p is
// at least 2^52 - 38, above any limb of a carried b.
func (v *fe) sub(a, b *fe) {
	const p0, p = 2<<51 - 38, 2<<51 - 2
	v.carry(a[0]+p0-b[0], a[1]+p-b[1], a[2]+p-b[2], a[3]+p-b[3], a[4]+p-b[4])
}

// u128 is a 128-bit accumulator for mul and square, passed by value so
// that it stays in registers.
type u128 struct{ lo, hi uint64 }

// mac returns r + a·b.
func mac(r u128, a, b uint64) u128 {
	hi, lo := bits.Mul64(a, b)
	lo, c := bits.Add64(r.lo, lo, 0)
	hi, _ = bits.Add64(r.hi, hi, c) // ADC, where + c would need the carry in a register
	return u128{lo, hi}
}

// reduce turns the five 128-bit column sums of a product into limbs. With
// inputs below 2^52 a sum is at most 77·2^104 (one plain product and four
// times 19; square's doubled terms add up the same), so its carry out of
// 51 bits is below 2^59.3 and 19 times that still fits in 64 bits.
func (v *fe) reduce(r0, r1, r2, r3, r4 u128) {
	c0 := r0.hi<<13 | r0.lo>>51
	c1 := r1.hi<<13 | r1.lo>>51
	c2 := r2.hi<<13 | r2.lo>>51
	c3 := r3.hi<<13 | r3.lo>>51
	c4 := r4.hi<<13 | r4.lo>>51
	v.carry(r0.lo&mask51+19*c4, r1.lo&mask51+c0, r2.lo&mask51+c1, r3.lo&mask51+c2, r4.lo&mask51+c3)
}

// mul is schoolbook multiplication; the terms of degree 5 and more wrap
// around multiplied by 19 (2^255 = 19 mod p).
func (v *fe) mul(a, b *fe) {
	a0, a1, a2, a3, a4 := a[0], a[1], a[2], a[3], a[4]
	b0, b1, b2, b3, b4 := b[0], b[1], b[2], b[3], b[4]
	b1_19, b2_19, b3_19, b4_19 := 19*b1, 19*b2, 19*b3, 19*b4
	var r0, r1, r2, r3, r4 u128
	r0 = mac(r0, a0, b0)
	r0 = mac(r0, a1, b4_19)
	r0 = mac(r0, a2, b3_19)
	r0 = mac(r0, a3, b2_19)
	r0 = mac(r0, a4, b1_19)
	r1 = mac(r1, a0, b1)
	r1 = mac(r1, a1, b0)
	r1 = mac(r1, a2, b4_19)
	r1 = mac(r1, a3, b3_19)
	r1 = mac(r1, a4, b2_19)
	r2 = mac(r2, a0, b2)
	r2 = mac(r2, a1, b1)
	r2 = mac(r2, a2, b0)
	r2 = mac(r2, a3, b4_19)
	r2 = mac(r2, a4, b3_19)
	r3 = mac(r3, a0, b3)
	r3 = mac(r3, a1, b2)
	r3 = mac(r3, a2, b1)
	r3 = mac(r3, a3, b0)
	r3 = mac(r3, a4, b4_19)
	r4 = mac(r4, a0, b4)
	r4 = mac(r4, a1, b3)
	r4 = mac(r4, a2, b2)
	r4 = mac(r4, a3, b1)
	r4 = mac(r4, a4, b0)
	v.reduce(r0, r1, r2, r3, r4)
}

// square is mul(a, a) with the symmetric products taken once, doubled.
func (v *fe) square(a *fe) {
	a0, a1, a2, a3, a4 := a[0], a[1], a[2], a[3], a[4]
	d0, d1, d2, d3 := 2*a0, 2*a1, 2*a2, 2*a3
	a3_19, a4_19 := 19*a3, 19*a4
	var r0, r1, r2, r3, r4 u128
	r0 = mac(r0, a0, a0)
	r0 = mac(r0, d1, a4_19)
	r0 = mac(r0, d2, a3_19)
	r1 = mac(r1, d0, a1)
	r1 = mac(r1, d2, a4_19)
	r1 = mac(r1, a3, a3_19)
	r2 = mac(r2, d0, a2)
	r2 = mac(r2, a1, a1)
	r2 = mac(r2, d3, a4_19)
	r3 = mac(r3, d0, a3)
	r3 = mac(r3, d1, a2)
	r3 = mac(r3, a4, a4_19)
	r4 = mac(r4, d0, a4)
	r4 = mac(r4, d1, a3)
	r4 = mac(r4, a2, a2)
	v.reduce(r0, r1, r2, r3, r4)
}

// squareN sets v = a^(2^n).
func (v *fe) squareN(a *fe, n int) {
	v.square(a)
	for i := 1; i < n; i++ {
		v.square(v)
	}
}

// mul121666 multiplies by (A+2)/4 for the curve's A = 486662. The product
// of a limb and 121666 < 2^17 can exceed 64 bits, hence Mul64.
func (v *fe) mul121666(a *fe) {
	var c [5]uint64
	for i := range a {
		hi, lo := bits.Mul64(a[i], 121666)
		v[i] = lo & mask51
		c[i] = hi<<13 | lo>>51
	}
	v[0] += 19 * c[4]
	for i := 1; i < 5; i++ {
		v[i] += c[i-1]
	}
}

// invert sets v = z^(p-2) = 1/z (0 for z = 0) by the usual fixed addition
// chain for 2^255-21: 254 squarings and 11 multiplications, whatever z is
// (the comments give the power of z reached).
func (v *fe) invert(z *fe) {
	var z2, z9, z11, x5, x10, x20, x50, x100, t fe
	z2.square(z)      // 2
	t.squareN(&z2, 2) // 8
	z9.mul(&t, z)     // 9
	z11.mul(&z9, &z2) // 11
	t.square(&z11)    // 22
	x5.mul(&t, &z9)   // 2^5 - 1
	t.squareN(&x5, 5)
	x10.mul(&t, &x5) // 2^10 - 1
	t.squareN(&x10, 10)
	x20.mul(&t, &x10) // 2^20 - 1
	t.squareN(&x20, 20)
	t.mul(&t, &x20) // 2^40 - 1
	t.squareN(&t, 10)
	x50.mul(&t, &x10) // 2^50 - 1
	t.squareN(&x50, 50)
	x100.mul(&t, &x50) // 2^100 - 1
	t.squareN(&x100, 100)
	t.mul(&t, &x100) // 2^200 - 1
	t.squareN(&t, 50)
	t.mul(&t, &x50)  // 2^250 - 1
	t.squareN(&t, 5) // 2^255 - 2^5
	v.mul(&t, &z11)  // 2^255 - 21
}

// cswap swaps a and b when swap is 1 and leaves them when it is 0, with
// the same instructions and memory accesses either way.
func cswap(a, b *fe, swap uint64) {
	m := -swap
	for i := range a {
		t := m & (a[i] ^ b[i])
		a[i] ^= t
		b[i] ^= t
	}
}
