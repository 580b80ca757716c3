// SPDX-License-Identifier: BSD-3-Clause

package p256

// Multiplications by secret scalars (private keys, nonces, ECDH) must not
// reveal the scalar through timing. Affine formulas cannot help there:
// they branch on the point at infinity and on equal points, and each
// needs an inversion. Projective coordinates with the complete formulas
// of Renes, Costello and Batina ("Complete addition formulas for prime
// order elliptic curves", 2016, https://eprint.iacr.org/2015/1060,
// Algorithms 4 and 6 for a = -3) have no exceptional case at all: the
// same field operations give the sum of any two points, the point at
// infinity and doublings included. A multiplication is then a fixed
// sequence of doublings and additions of table entries read with masks,
// and one inversion (a fixed exponentiation) at the end.
//
// The tables are small on purpose: sixteen points each, computed at init
// (G's) or per multiplication, with three points as constants in the
// binary (crypto/ecdh's 88 KB base point table is what this package
// exists to avoid).

// proj is (X:Y:Z), the point (X/Z, Y/Z); (0:1:0) is the point at
// infinity.
type proj struct {
	x, y, z element
}

// table holds 0·P, 1·P, ..., 15·P.
type table [16]proj

// fromAffine sets q to a (not the point at infinity).
func (q *proj) fromAffine(a *affine) *proj {
	*q = proj{a.x, a.y, primeP.one}
	return q
}

// add sets q = a + b (RCB Algorithm 4). q may alias a or b.
func (q *proj) add(a, b *proj) {
	var t0, t1, t2, t3, t4, x3, y3, z3 element
	feMul(&t0, &a.x, &b.x)
	feMul(&t1, &a.y, &b.y)
	feMul(&t2, &a.z, &b.z)
	feAdd(&t3, &a.x, &a.y)
	feAdd(&t4, &b.x, &b.y)
	feMul(&t3, &t3, &t4)
	feAdd(&t4, &t0, &t1)
	feSub(&t3, &t3, &t4)
	feAdd(&t4, &a.y, &a.z)
	feAdd(&x3, &b.y, &b.z)
	feMul(&t4, &t4, &x3)
	feAdd(&x3, &t1, &t2)
	feSub(&t4, &t4, &x3)
	feAdd(&x3, &a.x, &a.z)
	feAdd(&y3, &b.x, &b.z)
	feMul(&x3, &x3, &y3)
	feAdd(&y3, &t0, &t2)
	feSub(&y3, &x3, &y3)
	feMul(&z3, &curveB, &t2)
	feSub(&x3, &y3, &z3)
	feAdd(&z3, &x3, &x3)
	feAdd(&x3, &x3, &z3)
	feSub(&z3, &t1, &x3)
	feAdd(&x3, &t1, &x3)
	feMul(&y3, &curveB, &y3)
	feAdd(&t1, &t2, &t2)
	feAdd(&t2, &t1, &t2)
	feSub(&y3, &y3, &t2)
	feSub(&y3, &y3, &t0)
	feAdd(&t1, &y3, &y3)
	feAdd(&y3, &t1, &y3)
	feAdd(&t1, &t0, &t0)
	feAdd(&t0, &t1, &t0)
	feSub(&t0, &t0, &t2)
	feMul(&t1, &t4, &y3)
	feMul(&t2, &t0, &y3)
	feMul(&y3, &x3, &z3)
	feAdd(&y3, &y3, &t2)
	feMul(&x3, &t3, &x3)
	feSub(&x3, &x3, &t1)
	feMul(&z3, &t4, &z3)
	feMul(&t1, &t3, &t0)
	feAdd(&z3, &z3, &t1)
	*q = proj{x3, y3, z3}
}

// double sets q = 2a (RCB Algorithm 6). q may alias a.
func (q *proj) double(a *proj) {
	var t0, t1, t2, t3, x3, y3, z3 element
	feSquare(&t0, &a.x)
	feSquare(&t1, &a.y)
	feSquare(&t2, &a.z)
	feMul(&t3, &a.x, &a.y)
	feAdd(&t3, &t3, &t3)
	feMul(&z3, &a.x, &a.z)
	feAdd(&z3, &z3, &z3)
	feMul(&y3, &curveB, &t2)
	feSub(&y3, &y3, &z3)
	feAdd(&x3, &y3, &y3)
	feAdd(&y3, &x3, &y3)
	feSub(&x3, &t1, &y3)
	feAdd(&y3, &t1, &y3)
	feMul(&y3, &x3, &y3)
	feMul(&x3, &x3, &t3)
	feAdd(&t3, &t2, &t2)
	feAdd(&t2, &t2, &t3)
	feMul(&z3, &curveB, &z3)
	feSub(&z3, &z3, &t2)
	feSub(&z3, &z3, &t0)
	feAdd(&t3, &z3, &z3)
	feAdd(&z3, &z3, &t3)
	feAdd(&t3, &t0, &t0)
	feAdd(&t0, &t3, &t0)
	feSub(&t0, &t0, &t2)
	feMul(&t0, &t0, &z3)
	feAdd(&y3, &y3, &t0)
	feMul(&t0, &a.y, &a.z)
	feAdd(&t0, &t0, &t0)
	feMul(&z3, &t0, &z3)
	feSub(&x3, &x3, &z3)
	feMul(&z3, &t0, &t1)
	feAdd(&z3, &z3, &z3)
	feAdd(&z3, &z3, &z3)
	*q = proj{x3, y3, z3}
}

// init fills t with the multiples of p.
func (t *table) init(p *proj) {
	t[0] = proj{y: primeP.one}
	t[1] = *p
	for i := 2; i < 16; i += 2 {
		t[i].double(&t[i/2])
		t[i+1].add(&t[i], p)
	}
}

// lookup sets q = t[i] reading every entry, so that the memory accesses
// do not depend on i (secret).
func (q *proj) lookup(t *table, i uint64) {
	*q = proj{}
	for j := range t {
		d := uint64(j) ^ i
		mask := -((d - 1) >> 63) // all ones for d = 0 (i < 16)
		for l := range 4 {
			q.x[l] |= t[j].x[l] & mask
			q.y[l] |= t[j].y[l] & mask
			q.z[l] |= t[j].z[l] & mask
		}
	}
}

// window returns bits 4i to 4i+3 of the big-endian k, counting from the
// least significant.
func window(k *[32]byte, i int) uint64 {
	return uint64(k[31-i/2]>>(4*(i%2))) & 15
}

// mul sets q = k·P for the P whose table is t, in constant time: 63
// times four doublings and an addition of a looked-up entry (0·P, the
// point at infinity, for a zero window), whatever k is.
func (q *proj) mul(t *table, k *[32]byte) {
	q.lookup(t, window(k, 63))
	var s proj
	for i := 62; i >= 0; i-- {
		for range 4 {
			q.double(q)
		}
		s.lookup(t, window(k, i))
		q.add(q, &s)
	}
}

// bytes returns the affine coordinates of q, and ok = false (and zeros)
// for the point at infinity. The inversion is a fixed exponentiation.
func (q *proj) bytes() (x, y [32]byte, ok bool) {
	var inv, ax, ay element
	feInvert(&inv, &q.z)
	feMul(&ax, &q.x, &inv)
	feMul(&ay, &q.y, &inv)
	return feBytes(&ax), feBytes(&ay), isZero(&q.z) == 0
}

// baseTable is the table of the generator G, for verification (made at
// init: 15 point operations).
var baseTable = func() *table {
	var g proj
	t := new(table)
	t.init(g.fromAffine(&generator.p))
	return t
}()

// combTable holds, at index b3b2b1b0 (binary), b0·G + b1·2^64·G +
// b2·2^128·G + b3·2^192·G, for the comb method: k·G = Σ_i 2^i·T[c_i]
// where c_i gathers bits i, 64+i, 128+i and 192+i of k, which takes 63
// doublings instead of 252. The three powers are constants (checked by
// the tests) so that init costs 11 additions, not 192 doublings.
var combTable = func() *table {
	t := new(table)
	t[0] = proj{y: primeP.one}
	t[1].fromAffine(&generator.p)
	for j, c := range [3][64]byte{{
		0x0f, 0xa8, 0x22, 0xbc, 0x28, 0x11, 0xaa, 0xa5, 0x84, 0x92, 0x59, 0x2e, 0x32, 0x6e, 0x25, 0xde,
		0x29, 0x49, 0x3b, 0xaa, 0xad, 0x65, 0x1f, 0x7e, 0x90, 0xe7, 0x5c, 0xb4, 0x8e, 0x14, 0xdb, 0x63,
		0xbf, 0xf4, 0x4a, 0xe8, 0xf5, 0xdb, 0xa8, 0x0d, 0x6f, 0x4a, 0xd4, 0xbc, 0xb3, 0xdf, 0x18, 0x8b,
		0x34, 0xb1, 0xa6, 0x50, 0x50, 0xfe, 0x82, 0xf5, 0xe4, 0x11, 0x24, 0x54, 0x5f, 0x46, 0x2e, 0xe7,
	}, {
		0x44, 0x7d, 0x73, 0x9b, 0xee, 0xdb, 0x5e, 0x67, 0xfb, 0x98, 0x2f, 0xd5, 0x88, 0xc6, 0x76, 0x6e,
		0xfc, 0x35, 0xff, 0x7d, 0xc2, 0x97, 0xea, 0xc3, 0x57, 0xc8, 0x4f, 0xc9, 0xd7, 0x89, 0xbd, 0x85,
		0x2d, 0x48, 0x25, 0xab, 0x83, 0x41, 0x31, 0xee, 0xe1, 0x2e, 0x9d, 0x95, 0x3a, 0x4a, 0xaf, 0xf7,
		0x3d, 0x34, 0x9b, 0x95, 0xa7, 0xfa, 0xe5, 0x00, 0x0c, 0x7e, 0x33, 0xc9, 0x72, 0xe2, 0x5b, 0x32,
	}, {
		0xa6, 0xd3, 0x96, 0x77, 0xa7, 0x84, 0x92, 0x76, 0x27, 0x36, 0xff, 0x83, 0x44, 0x31, 0x5f, 0xc5,
		0x96, 0x43, 0x95, 0x91, 0xa3, 0xc6, 0xb9, 0x4a, 0x6c, 0xf2, 0x0f, 0xfb, 0x31, 0x37, 0x28, 0xbe,
		0x67, 0x4f, 0x84, 0x74, 0x9b, 0x0b, 0x88, 0x16, 0x66, 0xb8, 0xba, 0xbd, 0x2d, 0x27, 0xec, 0xdf,
		0x82, 0x4a, 0x92, 0x0c, 0x22, 0x84, 0x05, 0x9b, 0xf2, 0xba, 0xb8, 0x33, 0xc3, 0x57, 0xf5, 0xf4,
	}} {
		b := 2 << j // 2^(64(j+1))·G goes to index b, then its sums with 1..b-1
		a := wordPoint((*[32]byte)(c[:32]), (*[32]byte)(c[32:]))
		t[b].fromAffine(&a)
		for i := 1; i < b; i++ {
			t[b+i].add(&t[b], &t[i])
		}
	}
	return t
}()

// combIndex returns bits i, 64+i, 128+i and 192+i of the big-endian k
// (as bits 0 to 3).
func combIndex(k *[32]byte, i int) uint64 {
	var c uint64
	for j := range 4 {
		bit := 64*j + i
		c |= uint64(k[31-bit/8]>>(bit%8)&1) << j
	}
	return c
}

// baseMul sets q = k·G in constant time, by the comb: 63 doublings and 64
// additions of looked-up entries, whatever k is.
func (q *proj) baseMul(k *[32]byte) {
	q.lookup(combTable, combIndex(k, 63))
	var s proj
	for i := 62; i >= 0; i-- {
		q.double(q)
		s.lookup(combTable, combIndex(k, i))
		q.add(q, &s)
	}
}
