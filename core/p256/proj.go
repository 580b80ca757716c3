// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"math/bits"
	"sync"
)

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
// The tables are small on purpose: sixteen points per k·P, made for it,
// and 64 affine points for k·G, made on first use from G alone
// (crypto/ecdh's 88 KB base point table is what this package exists to
// avoid).

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
// point at infinity, for a zero window), whatever k is. The doublings are
// Jacobian ones (jac.go), about a third cheaper than Algorithm 6, with a
// conversion each way (3M each).
func (q *proj) mul(t *table, k *[32]byte) {
	q.lookup(t, window(k, 63))
	var s proj
	var j jac
	for i := 62; i >= 0; i-- {
		j.fromProj(q)
		for range 4 {
			j.double()
		}
		q.fromJac(&j)
		s.lookup(t, window(k, i))
		q.add(q, &s)
	}
}

// fromJac sets q to j: (X/Z², Y/Z³) is (XZ : Y : Z³).
func (q *proj) fromJac(j *jac) {
	var zz element
	feSquare(&zz, &j.z)
	feMul(&q.z, &zz, &j.z)
	feMul(&q.x, &j.x, &j.z)
	q.y = j.y
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

// k·G is a signed comb (Hamburg, "Fast and compact elliptic-curve
// cryptography", 2012): an odd m < 2^260 is Σ_{i<260} s_i·2^i with every
// s_i = ±1 (s_i = 2b_i - 1 for the bits b_i of (m + 2^260 - 1)/2). The 260
// positions are 20 teeth of 13 columns, i = 13t + c, in four combs of five
// teeth; for column c a comb adds Σ_t s_{13t+c}·2^(13t)·G over its teeth,
// one of 32 points, which is ± one of 16 (the sign of its top tooth taken
// out). So k·G takes 12 doublings and 52 additions of affine entries,
// each read with masks and negated with masks, then added by Algorithm 4
// with Z = 1 (RCB's mixed addition, Algorithm 5, saves a multiplication
// per addition, 1.5 µs in all, for 1.3 KB more code: not taken). An
// even k is done as -((n-k)·G), with n - k odd (k = 0 gives n·G, the
// point at infinity). No entry is the point at infinity: each is j·G with
// 0 < j < 2^248 < n.
const (
	combTeeth   = 5
	combs       = 4
	combColumns = 13 // combs·combTeeth·combColumns ≥ 256
)

// combTables returns the four tables: entry 16j + b of comb j is
// 2^(13(5j+4))·G + Σ_{t<4} (2b_t - 1)·2^(13(5j+t))·G, b_t the bits of b.
// 64 affine points, 4.5 KB, made on first use (247 doublings, 80
// additions, one inversion).
var combTables = sync.OnceValue(func() *[16 * combs]affine {
	var pow [combs * combTeeth]proj // 2^(13i)·G
	var g jac
	g.fromProj(pow[0].fromAffine(&generator.p))
	for i := 1; i < len(pow); i++ {
		for range combColumns {
			g.double()
		}
		pow[i].fromJac(&g)
	}
	var pts [16 * combs]proj
	for j := range combs {
		p, base := pts[16*j:], pow[combTeeth*j:]
		p[0] = base[4]
		for t := range 4 {
			neg := base[t]
			feSub(&neg.y, &element{}, &neg.y)
			p[0].add(&p[0], &neg)
		}
		for b := 1; b < 16; b++ {
			t := bits.TrailingZeros(uint(b))
			var twice proj
			twice.double(&base[t])
			p[b].add(&p[b&^(1<<t)], &twice)
		}
	}
	tab := new([16 * combs]affine)
	toAffine(tab[:], pts[:])
	return tab
})

// lookupNeg sets q = t[i], negated if neg = 1, reading every entry: the
// memory accesses and the time do not depend on i and neg (secret).
func (q *affine) lookupNeg(t []affine, i, neg uint64) {
	*q = affine{}
	for j := range t[:16] {
		d := uint64(j) ^ i
		mask := -((d - 1) >> 63) // all ones for d = 0 (i < 16)
		for l := range 4 {
			q.x[l] |= t[j].x[l] & mask
			q.y[l] |= t[j].y[l] & mask
		}
	}
	condNeg(&q.y, neg)
}

// condNeg sets y = -y mod p if neg = 1, in constant time.
func condNeg(y *element, neg uint64) {
	var n element
	feSub(&n, &element{}, y)
	mask := -neg
	for l := range 4 {
		y[l] = y[l]&^mask | n[l]&mask
	}
}

// baseMul sets q = k·G in constant time for a big-endian k < n: the
// signed comb, the same operations whatever k is.
func (q *proj) baseMul(k *[32]byte) {
	var kl, nk limbs
	for i := range 4 {
		kl[i] = be64(k[24-8*i:])
	}
	var b uint64
	nk[0], b = bits.Sub64(orderN.m[0], kl[0], 0)
	nk[1], b = bits.Sub64(orderN.m[1], kl[1], b)
	nk[2], b = bits.Sub64(orderN.m[2], kl[2], b)
	nk[3], _ = bits.Sub64(orderN.m[3], kl[3], b)
	even := kl[0]&1 ^ 1
	mask := -even
	var e [5]uint64 // (m + 2^260 - 1)/2 = (m-1)/2 + 2^259 for m = k or n-k, odd
	for i := range 4 {
		kl[i] = kl[i]&^mask | nk[i]&mask
	}
	for i := range 4 {
		e[i] = kl[i] >> 1
		if i < 3 {
			e[i] |= kl[i+1] << 63
		}
	}
	e[4] = 1 << (259 - 256)
	bit := func(i int) uint64 { return e[i/64] >> (i % 64) & 1 }

	tab := combTables()
	*q = proj{y: primeP.one}
	var a affine
	var s proj
	for c := combColumns - 1; c >= 0; c-- {
		if c < combColumns-1 {
			q.double(q)
		}
		for j := range combs {
			t0 := combTeeth * j
			var idx uint64
			for t := range combTeeth - 1 {
				idx |= bit(combColumns*(t0+t)+c) << t
			}
			top := bit(combColumns*(t0+combTeeth-1) + c)
			idx ^= (top - 1) & 15 // a negative top: the opposite signs, negated
			a.lookupNeg(tab[16*j:], idx, top^1)
			q.add(q, s.fromAffine(&a))
		}
	}
	condNeg(&q.y, even)
	clear(kl[:])
	clear(nk[:])
	clear(e[:])
}
