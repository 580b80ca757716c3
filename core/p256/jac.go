// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"math/bits"
	"sync"
)

// Verification works on public values only, so it may branch on them and
// take the fastest route: Jacobian coordinates for the a = -3 curve
// (doubling dbl-2001-b, 3M+5S; addition of an affine point madd-2007-bl,
// 7M+4S, from https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-3.html),
// with the exceptional cases (the point at infinity, P = ±Q) handled by
// branches, and u1·G + u2·Q by interleaved width-w NAFs sharing one chain
// of doublings. The odd multiples of Q and of G are affine (one batched
// inversion each); G's are computed on first use.

// jac is (X:Y:Z), the point (X/Z², Y/Z³); Z = 0 is the point at infinity.
type jac struct {
	x, y, z element
}

// double sets q = 2q (dbl-2001-b). It has no branch, and is right for
// every point: P-256 has no point of order two, and the point at infinity
// stays there (Z3 = 2YZ; (1 : 1 : 0) is a fixed point), so constant-time
// k·P uses it too.
func (q *jac) double() {
	var delta, gamma, beta, alpha, t element
	feSquare(&delta, &q.z)
	feSquare(&gamma, &q.y)
	feMul(&beta, &q.x, &gamma)
	feSub(&t, &q.x, &delta)
	feAdd(&alpha, &q.x, &delta)
	feMul(&alpha, &alpha, &t)
	feAdd(&t, &alpha, &alpha)
	feAdd(&alpha, &alpha, &t) // 3(X-δ)(X+δ)
	feMul(&q.z, &q.y, &q.z)
	feAdd(&q.z, &q.z, &q.z) // 2YZ = (Y+Z)² - γ - δ
	feAdd(&beta, &beta, &beta)
	feAdd(&beta, &beta, &beta) // 4β
	feSquare(&q.x, &alpha)
	feAdd(&t, &beta, &beta)
	feSub(&q.x, &q.x, &t) // α² - 8β
	feSub(&beta, &beta, &q.x)
	feMul(&q.y, &alpha, &beta)
	feSquare(&gamma, &gamma)
	feAdd(&gamma, &gamma, &gamma)
	feAdd(&gamma, &gamma, &gamma)
	feAdd(&gamma, &gamma, &gamma) // 8γ²
	feSub(&q.y, &q.y, &gamma)
}

// fromProj sets q to p: (X/Z, Y/Z) is (XZ : YZ² : Z), and the point at
// infinity (1 : 1 : 0), chosen with masks (constant time).
func (q *jac) fromProj(p *proj) {
	var zz element
	feSquare(&zz, &p.z)
	feMul(&q.x, &p.x, &p.z)
	feMul(&q.y, &p.y, &zz)
	q.z = p.z
	mask := -uint64(isZero(&p.z))
	for l := range 4 {
		q.x[l] = q.x[l]&^mask | primeP.one[l]&mask
		q.y[l] = q.y[l]&^mask | primeP.one[l]&mask
	}
}

// addAffine sets q = q + (x2, ±y2), -y2 for neg (madd-2007-bl). Variable
// time.
func (q *jac) addAffine(x2, y2 *element, neg bool) {
	var y element
	if neg {
		feSub(&y, &element{}, y2)
	} else {
		y = *y2
	}
	if isZero(&q.z) == 1 {
		*q = jac{*x2, y, primeP.one}
		return
	}
	var zz, h, hh, i, j, r, v, x3 element
	feSquare(&zz, &q.z)
	feMul(&h, x2, &zz)
	feSub(&h, &h, &q.x) // U2 - X1
	feMul(&r, &y, &q.z)
	feMul(&r, &r, &zz)
	feSub(&r, &r, &q.y) // S2 - Y1
	if isZero(&h) == 1 {
		if isZero(&r) == 1 {
			q.double()
		} else {
			*q = jac{} // P + (-P)
		}
		return
	}
	feAdd(&r, &r, &r)
	feSquare(&hh, &h)
	feAdd(&i, &hh, &hh)
	feAdd(&i, &i, &i) // 4H²
	feMul(&j, &h, &i)
	feMul(&v, &q.x, &i)
	feSquare(&x3, &r)
	feSub(&x3, &x3, &j)
	feSub(&x3, &x3, &v)
	feSub(&x3, &x3, &v) // r² - J - 2V
	feSub(&v, &v, &x3)
	feMul(&v, &v, &r)
	feMul(&j, &j, &q.y)
	feAdd(&j, &j, &j)
	feSub(&q.y, &v, &j) // r(V - X3) - 2·Y1·J
	feMul(&q.z, &q.z, &h)
	feAdd(&q.z, &q.z, &q.z) // 2·Z1·H = (Z1+H)² - Z1² - H²
	q.x = x3
}

// toAffine sets out[i] to in[i] in affine coordinates, with one inversion
// for all (Montgomery's trick). No in[i] may be the point at infinity, and
// there are at most 64. The inversion is constant time, the rest too.
func toAffine(out []affine, in []proj) {
	var prefix [64]element
	acc := primeP.one
	for i := range in {
		prefix[i] = acc
		feMul(&acc, &acc, &in[i].z)
	}
	feInvert(&acc, &acc) // 1/(z0·z1·…)
	for i := len(in) - 1; i >= 0; i-- {
		var inv element
		feMul(&inv, &acc, &prefix[i]) // 1/z_i
		feMul(&acc, &acc, &in[i].z)
		feMul(&out[i].x, &in[i].x, &inv)
		feMul(&out[i].y, &in[i].y, &inv)
		out[i].inf = false
	}
}

// oddMultiples sets out[i] = (2i+1)·p, i < 32, by the complete
// projective formulas.
func oddMultiples(out []affine, p *proj) {
	var pts [32]proj
	var p2 proj
	p2.double(p)
	pts[0] = *p
	for i := 1; i < len(out); i++ {
		pts[i].add(&pts[i-1], &p2)
	}
	toAffine(out, pts[:len(out)])
}

const (
	wG = 7 // NAF width for G: a table of 2^(wG-2) = 32 points, 2 KB
	wQ = 5 // NAF width for Q: 8 points per verification
)

var baseOdd = sync.OnceValue(func() *[1 << (wG - 2)]affine {
	t := new([1 << (wG - 2)]affine)
	var g proj
	oddMultiples(t[:], g.fromAffine(&generator.p))
	return t
})

// wnaf returns the width-w non-adjacent form of the big-endian k, least
// significant digit first: k = Σ d[i]·2^i with every d[i] zero or odd and
// below 2^(w-1) in absolute value, and at most one nonzero among any w
// consecutive digits. Variable time. w ≤ 8.
func wnaf(k *[32]byte, w uint) (d [257]int8) {
	var l [5]uint64
	for i := range 4 {
		l[i] = be64(k[24-8*i:])
	}
	for i := 0; l != [5]uint64{}; {
		s := uint(bits.TrailingZeros64(l[0]))
		if s == 0 {
			v := l[0] & (1<<w - 1)
			if v < 1<<(w-1) {
				d[i] = int8(v)
				l[0] -= v
			} else { // v - 2^w: add 2^w - v, carrying
				d[i] = int8(int(v) - 1<<w)
				var c uint64
				l[0], c = bits.Add64(l[0], 1<<w-v, 0)
				for j := 1; j < 5; j++ {
					l[j], c = bits.Add64(l[j], 0, c)
				}
			}
			s = w // the low w bits are now zero
		}
		s = min(s, 63)
		for j := range 4 {
			l[j] = l[j]>>s | l[j+1]<<(64-s)
		}
		l[4] >>= s
		i += int(s)
	}
	return d
}

// verifySum reports whether u1·G + u2·Q (big-endian u1, u2) is not the
// point at infinity and has an x-coordinate that is r modulo n.
func verifySum(q *affine, u1, u2, r *[32]byte) bool {
	tg := baseOdd()
	var tq [1 << (wQ - 2)]affine
	var pq proj
	oddMultiples(tq[:], pq.fromAffine(q))
	d1, d2 := wnaf(u1, wG), wnaf(u2, wQ)
	var acc jac
	for i := 256; i >= 0; i-- {
		if isZero(&acc.z) == 0 {
			acc.double()
		}
		if d := d1[i]; d > 0 {
			acc.addAffine(&tg[d/2].x, &tg[d/2].y, false)
		} else if d < 0 {
			acc.addAffine(&tg[-d/2].x, &tg[-d/2].y, true)
		}
		if d := d2[i]; d > 0 {
			acc.addAffine(&tq[d/2].x, &tq[d/2].y, false)
		} else if d < 0 {
			acc.addAffine(&tq[-d/2].x, &tq[-d/2].y, true)
		}
	}
	return acc.xIs(r)
}

// xIs reports whether q is not the point at infinity and its x-coordinate
// is r modulo n, for a big-endian r < n.
func (q *jac) xIs(r *[32]byte) bool {
	if isZero(&q.z) == 1 {
		return false
	}
	// x = X/Z² is below p, and p < 2n, so x mod n = r means x = r or x =
	// r + n (if that is below p): compare r·Z² and (r+n)·Z² with X, no
	// inversion needed.
	var rl, rn limbs
	for i := range 4 {
		rl[i] = be64(r[24-8*i:])
	}
	var zz, t element
	feSquare(&zz, &q.z)
	feMul(&t, &rl, &primeP.rr) // r < n < p into the Montgomery domain
	if feMul(&t, &t, &zz); equal(&t, &q.x) == 1 {
		return true
	}
	var c, b uint64
	rn[0], c = bits.Add64(rl[0], orderN.m[0], 0)
	rn[1], c = bits.Add64(rl[1], orderN.m[1], c)
	rn[2], c = bits.Add64(rl[2], orderN.m[2], c)
	rn[3], c = bits.Add64(rl[3], orderN.m[3], c)
	_, b = bits.Sub64(rn[0], primeP.m[0], 0)
	_, b = bits.Sub64(rn[1], primeP.m[1], b)
	_, b = bits.Sub64(rn[2], primeP.m[2], b)
	_, b = bits.Sub64(rn[3], primeP.m[3], b)
	if c != 0 || b == 0 { // r + n ≥ p
		return false
	}
	feMul(&t, &rn, &primeP.rr)
	feMul(&t, &t, &zz)
	return equal(&t, &q.x) == 1
}
