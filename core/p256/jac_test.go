// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"crypto/elliptic"
	"math/big"
	mrand "math/rand/v2"
	"testing"
)

// TestWNAF: the digits spell k, are odd and bounded, and at most one of
// any w consecutive ones is nonzero.
func TestWNAF(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(31, 32))
	scalars := append(edgeScalars(), new(big.Int), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)))
	for range 1000 {
		scalars = append(scalars, randScalar(rng))
	}
	for _, k := range scalars {
		for _, w := range []uint{wQ, wG, 2, 8} {
			d := wnaf(b32(k), w)
			sum := new(big.Int)
			last := -1000
			for i := len(d) - 1; i >= 0; i-- {
				sum.Lsh(sum, 1).Add(sum, big.NewInt(int64(d[i])))
				if d[i] == 0 {
					continue
				}
				if v := int(d[i]); v%2 == 0 || v >= 1<<(w-1) || v <= -1<<(w-1) {
					t.Fatalf("k %x, w %d: digit %d at %d", k, w, d[i], i)
				}
				if last-i < int(w) && last >= 0 {
					t.Fatalf("k %x, w %d: digits at %d and %d", k, w, last, i)
				}
				last = i
			}
			if sum.Cmp(k) != 0 {
				t.Fatalf("k %x, w %d: digits spell %x", k, w, sum)
			}
		}
	}
}

// jacOf returns (x, y) as (λ²x : λ³y : λ) for a random λ.
func jacOf(rng *mrand.Rand, x, y *big.Int) jac {
	var lam, l2 element
	lb := ModP(randomBytes(rng, 32))
	if feFromBytes(&lam, &lb); isZero(&lam) == 1 {
		lam = primeP.one
	}
	var q jac
	feFromBytes(&q.x, b32(x))
	feFromBytes(&q.y, b32(y))
	feSquare(&l2, &lam)
	feMul(&q.x, &q.x, &l2)
	feMul(&q.y, &q.y, &l2)
	feMul(&q.y, &q.y, &lam)
	q.z = lam
	return q
}

func jacBytes(q *jac) (x, y [32]byte, ok bool) {
	if isZero(&q.z) == 1 {
		return x, y, false
	}
	var inv, inv2, ax, ay element
	feInvert(&inv, &q.z)
	feSquare(&inv2, &inv)
	feMul(&ax, &q.x, &inv2)
	feMul(&inv2, &inv2, &inv)
	feMul(&ay, &q.y, &inv2)
	return feBytes(&ax), feBytes(&ay), true
}

func affineOf(x, y *big.Int) affine {
	var a affine
	feFromBytes(&a.x, b32(x))
	feFromBytes(&a.y, b32(y))
	return a
}

// TestJacobianFormulas: the variable-time Jacobian doubling and mixed
// addition against crypto/elliptic, with the cases the addition branches
// on: P + P, P + (-P), O + P, and 2O, and k·P's conversions.
func TestJacobianFormulas(t *testing.T) {
	curve := elliptic.P256()
	rng := mrand.New(mrand.NewPCG(33, 34))
	type result struct {
		x, y [32]byte
		ok   bool
	}
	res := func(x, y [32]byte, ok bool) result { return result{x, y, ok} }
	check := func(name string, r result, wx, wy *big.Int) {
		t.Helper()
		x, y, ok := r.x, r.y, r.ok
		if wx == nil {
			if ok {
				t.Fatalf("%s: (%x, %x), want the point at infinity", name, x, y)
			}
			return
		}
		if !ok || x != bytes32(wx) || y != bytes32(wy) {
			t.Fatalf("%s: (%x, %x), %v; want (%x, %x)", name, x, y, ok, wx, wy)
		}
	}
	for range 200 {
		ax, ay := randPoint(rng)
		bx, by := randPoint(rng)
		b := affineOf(bx, by)
		a := affineOf(ax, ay)
		negAy := new(big.Int).Sub(bigP, ay)

		q := jacOf(rng, ax, ay)
		q.addAffine(&b.x, &b.y, false)
		wx, wy := curve.Add(ax, ay, bx, by)
		check("A + B", res(jacBytes(&q)), wx, wy)
		q = jacOf(rng, ax, ay)
		q.addAffine(&b.x, &b.y, true)
		wx, wy = curve.Add(ax, ay, bx, new(big.Int).Sub(bigP, by))
		check("A - B", res(jacBytes(&q)), wx, wy)
		q = jacOf(rng, ax, ay)
		q.addAffine(&a.x, &a.y, false)
		wx, wy = curve.Double(ax, ay)
		check("A + A", res(jacBytes(&q)), wx, wy)
		q = jacOf(rng, ax, ay)
		q.double()
		check("2A", res(jacBytes(&q)), wx, wy)
		q = jacOf(rng, ax, ay)
		q.addAffine(&a.x, &a.y, true)
		check("A - A", res(jacBytes(&q)), nil, nil)
		q = jacOf(rng, ax, negAy)
		q.addAffine(&a.x, &a.y, false)
		check("-A + A", res(jacBytes(&q)), nil, nil)
		q.double()
		check("2O", res(jacBytes(&q)), nil, nil)
		q.addAffine(&a.x, &a.y, false)
		check("O + A", res(jacBytes(&q)), ax, ay)
		q = jac{}
		q.addAffine(&a.x, &a.y, true)
		check("O - A", res(jacBytes(&q)), ax, negAy)

		// k·P's round trip: projective to Jacobian, doublings, back.
		var pa, pb proj
		pa.fromAffine(&a)
		var j jac
		j.fromProj(&pa)
		j.double()
		j.double()
		pb.fromJac(&j)
		wx, wy = curve.ScalarMult(ax, ay, []byte{4})
		check("proj 4A by Jacobian doublings", res(pb.bytes()), wx, wy)
	}
	// The point at infinity through the Jacobian doublings of k·P.
	var o, back proj
	o = proj{y: primeP.one}
	var j jac
	j.fromProj(&o)
	for range 4 {
		j.double()
	}
	back.fromJac(&j)
	check("4O", res(back.bytes()), nil, nil)
	gx, gy := curve.Params().Gx, curve.Params().Gy
	back.add(&back, new(proj).fromAffine(&generator.p))
	check("4O + G", res(back.bytes()), gx, gy)
}

// TestVerifySum: u1·G + u2·Q against crypto/elliptic, for Q = G, -G, 2G
// and random points, with u1 or u2 zero, u1 = ±u2 (with Q = ±G the
// partial sums meet, and the total can be the point at infinity), edge
// scalars (long runs of ones, n-1, window boundaries) and random ones.
// The right r must pass, r + 1 and (for the point at infinity) every r
// must fail.
func TestVerifySum(t *testing.T) {
	curve := elliptic.P256()
	rng := mrand.New(mrand.NewPCG(35, 36))
	gx, gy := curve.Params().Gx, curve.Params().Gy
	g2x, g2y := curve.Double(gx, gy)
	points := [][2]*big.Int{{gx, gy}, {gx, new(big.Int).Sub(bigP, gy)}, {g2x, g2y}}
	for range 2 {
		x, y := randPoint(rng)
		points = append(points, [2]*big.Int{x, y})
	}
	zero := new(big.Int)
	neg := func(k *big.Int) *big.Int { return new(big.Int).Mod(new(big.Int).Neg(k), bigN) }
	rnd := func() *big.Int { return new(big.Int).Mod(randScalar(rng), bigN) }
	n := 0
	for _, p := range points {
		q := affineOf(p[0], p[1])
		check := func(u1, u2 *big.Int) {
			t.Helper()
			n++
			x1, y1 := curve.ScalarBaseMult(u1.Bytes())
			x2, y2 := curve.ScalarMult(p[0], p[1], u2.Bytes())
			wx, wy := curve.Add(x1, y1, x2, y2)
			inf := wx.Sign() == 0 && wy.Sign() == 0
			r := new(big.Int).Mod(wx, bigN)
			if got := verifySum(&q, b32(u1), b32(u2), b32(r)); got == inf {
				t.Fatalf("Q (%x, %x), u1 %x, u2 %x: %v (point at infinity: %v)", p[0], p[1], u1, u2, got, inf)
			}
			r.Add(r, big.NewInt(1)).Mod(r, bigN)
			if verifySum(&q, b32(u1), b32(u2), b32(r)) {
				t.Fatalf("Q (%x, %x), u1 %x, u2 %x: r + 1 passes", p[0], p[1], u1, u2)
			}
		}
		check(zero, zero)
		for _, k := range edgeScalars() {
			check(k, zero)
			check(zero, k)
			check(k, k)
			check(k, neg(k))
			check(k, rnd())
			check(rnd(), k)
		}
		for range 100 {
			check(rnd(), rnd())
		}
	}
	t.Logf("%d sums", n)
}

// TestXIs: Verify's comparison without inversion, for x = r and, where
// r + n < p, x = r + n (which no findable point has: p - n < 2^129).
func TestXIs(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(37, 38))
	pn := new(big.Int).Sub(bigP, bigN)
	for i := range 400 {
		r := new(big.Int).Mod(randScalar(rng), bigN)
		if i%2 == 0 {
			r.Mod(r, pn)
		}
		switch i % 8 {
		case 2:
			r.Sub(pn, big.NewInt(1))
		case 4:
			r.Set(pn)
		case 6:
			r.SetInt64(0)
		}
		for _, x := range []*big.Int{r, new(big.Int).Add(r, bigN)} {
			if x.Cmp(bigP) >= 0 {
				continue
			}
			q := jacOf(rng, x, big.NewInt(1))
			if !q.xIs(b32(r)) {
				t.Fatalf("x = %x, r = %x: rejected", x, r)
			}
			r1 := new(big.Int).Add(r, big.NewInt(1))
			r1.Mod(r1, bigN)
			if q.xIs(b32(r1)) {
				t.Fatalf("x = %x, r = %x: accepted", x, r1)
			}
		}
	}
	// r in [p-n, n): r + n is at least p, so only x = r matches, never
	// the x that r + n would reduce to mod p (r + n - p).
	span := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), bigP)
	for range 200 {
		r := new(big.Int).Add(pn, new(big.Int).Mod(randScalar(rng), span))
		x := new(big.Int).Sub(r, pn)
		if q := jacOf(rng, x, big.NewInt(1)); q.xIs(b32(r)) {
			t.Fatalf("x = %x accepted for r = %x (r + n wraps past p)", x, r)
		}
	}
	if q := (jac{}); q.xIs(&[32]byte{}) {
		t.Fatal("the point at infinity accepted")
	}
}
