// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"crypto/elliptic"
	"math/big"
	"math/rand/v2"
	"testing"
)

// math/big is the oracle for the arithmetic: independent, and not linked
// into the library (tests are not).

var (
	bigN = elliptic.P256().Params().N
	bigP = elliptic.P256().Params().P
	bigB = elliptic.P256().Params().B
	bigR = new(big.Int).Lsh(big.NewInt(1), 256)
)

func limbsToInt(x *limbs) *big.Int {
	v := new(big.Int)
	for i := 3; i >= 0; i-- {
		v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(x[i]))
	}
	return v
}

func bytes32(v *big.Int) [32]byte {
	var b [32]byte
	v.FillBytes(b[:])
	return b
}

// montInt returns the plain value of a Montgomery-domain x.
func montInt(md *modulus, x *limbs) *big.Int {
	b := md.toBytes(x)
	return new(big.Int).SetBytes(b[:])
}

func TestModulusConstants(t *testing.T) {
	for _, c := range []struct {
		name string
		md   *modulus
		m    *big.Int
	}{{"p", &primeP, bigP}, {"n", &orderN, bigN}} {
		if limbsToInt(&c.md.m).Cmp(c.m) != 0 {
			t.Errorf("%s: modulus %x", c.name, limbsToInt(&c.md.m))
		}
		// m0inv * m ≡ -1 mod 2^64.
		if c.md.m0inv*c.md.m[0] != ^uint64(0) {
			t.Errorf("%s: m0inv wrong", c.name)
		}
		if want := new(big.Int).Mod(bigR, c.m); limbsToInt(&c.md.one).Cmp(want) != 0 {
			t.Errorf("%s: one = %x, want %x", c.name, limbsToInt(&c.md.one), want)
		}
		rr := new(big.Int).Mul(bigR, bigR)
		if want := rr.Mod(rr, c.m); limbsToInt(&c.md.rr).Cmp(want) != 0 {
			t.Errorf("%s: rr = %x, want %x", c.name, limbsToInt(&c.md.rr), want)
		}
	}
	if montInt(&primeP, &curveB).Cmp(bigB) != 0 {
		t.Errorf("b = %x", montInt(&primeP, &curveB))
	}
}

// testValues are the edges of [0, m) and beyond, then random values of
// every size.
func testValues(rng *rand.Rand, m *big.Int) []*big.Int {
	one := big.NewInt(1)
	vals := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(2), big.NewInt(3),
		new(big.Int).Sub(m, one), new(big.Int).Sub(m, big.NewInt(2)), new(big.Int).Set(m),
		new(big.Int).Add(m, one), new(big.Int).Sub(bigR, one), new(big.Int).Rsh(m, 1),
		new(big.Int).Lsh(one, 255), new(big.Int).Lsh(one, 64), new(big.Int).Sub(new(big.Int).Lsh(one, 64), one),
	}
	for i := 0; i < 200; i++ {
		var b [32]byte
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		v := new(big.Int).SetBytes(b[:])
		vals = append(vals, v.Rsh(v, uint(rng.IntN(256))))
	}
	return vals
}

func TestScalarAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vals := testValues(rng, bigN)
	for _, v := range vals {
		b := bytes32(v)
		var s Scalar
		_, err := s.SetBytes(b[:])
		if (err == nil) != (v.Cmp(bigN) < 0) {
			t.Fatalf("SetBytes(%x): %v", v, err)
		}
		s.SetReducedBytes(&b)
		want := new(big.Int).Mod(v, bigN)
		if got := s.Bytes(); got != bytes32(want) {
			t.Fatalf("SetReducedBytes(%x) = %x", v, got)
		}
		if s.IsZero() != boolInt(want.Sign() == 0) {
			t.Fatalf("IsZero(%x)", want)
		}
	}
	for i := 0; i < 2000; i++ {
		x := new(big.Int).Mod(vals[rng.IntN(len(vals))], bigN)
		y := new(big.Int).Mod(vals[rng.IntN(len(vals))], bigN)
		var a, b, z Scalar
		xb, yb := bytes32(x), bytes32(y)
		a.SetReducedBytes(&xb)
		b.SetReducedBytes(&yb)
		check := func(op string, got *Scalar, want *big.Int) {
			t.Helper()
			want.Mod(want, bigN)
			if g := got.Bytes(); g != bytes32(want) {
				t.Fatalf("%x %s %x = %x, want %x", x, op, y, g, want)
			}
		}
		check("+", z.Add(&a, &b), new(big.Int).Add(x, y))
		check("-", z.Sub(&a, &b), new(big.Int).Sub(x, y))
		check("*", z.Mul(&a, &b), new(big.Int).Mul(x, y))
		check("neg", z.Neg(&a), new(big.Int).Neg(x))
		inv := new(big.Int).ModInverse(x, bigN)
		if inv == nil {
			inv = new(big.Int)
		}
		check("inv", z.Invert(&a), inv)
		if a.Equal(&b) != boolInt(x.Cmp(y) == 0) || a.Equal(&a) != 1 {
			t.Fatalf("Equal(%x, %x)", x, y)
		}
		// Aliasing the receiver.
		z = a
		check("*=", z.Mul(&z, &z), new(big.Int).Mul(x, x))
		orderN.square(&z.v, &a.v)
		check("^2", &z, new(big.Int).Mul(x, x))
	}
}

func TestSetBytesLength(t *testing.T) {
	var s Scalar
	for _, n := range []int{0, 31, 33} {
		if _, err := s.SetBytes(make([]byte, n)); err == nil {
			t.Errorf("%d bytes accepted", n)
		}
	}
}

func TestFieldAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vals := testValues(rng, bigP)
	for i := 0; i < 2000; i++ {
		xv, yv := vals[rng.IntN(len(vals))], vals[rng.IntN(len(vals))]
		xb, yb := bytes32(xv), bytes32(yv)
		var a, b, z element
		if feFromBytes(&a, &xb) != (xv.Cmp(bigP) < 0) {
			t.Fatalf("canonical(%x)", xv)
		}
		feFromBytes(&b, &yb)
		x, y := new(big.Int).Mod(xv, bigP), new(big.Int).Mod(yv, bigP)
		check := func(op string, want *big.Int) {
			t.Helper()
			want.Mod(want, bigP)
			if g := feBytes(&z); g != bytes32(want) {
				t.Fatalf("%x %s %x = %x, want %x", x, op, y, g, want)
			}
		}
		feAdd(&z, &a, &b)
		check("+", new(big.Int).Add(x, y))
		feSub(&z, &a, &b)
		check("-", new(big.Int).Sub(x, y))
		feMul(&z, &a, &b)
		check("*", new(big.Int).Mul(x, y))
		feSquare(&z, &a)
		check("^2", new(big.Int).Mul(x, x))
		feInvert(&z, &a)
		inv := new(big.Int).ModInverse(x, bigP)
		if inv == nil {
			inv = new(big.Int)
		}
		check("inv", inv)
		z = rhs(&a)
		want := new(big.Int).Exp(x, big.NewInt(3), nil)
		want.Sub(want, new(big.Int).Mul(x, big.NewInt(3))).Add(want, bigB)
		check("rhs", want)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestModPModN(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{0, 1, 31, 32, 33, 64, 65, 100} {
		for i := 0; i < 20; i++ {
			b := randomBytes(rng, n)
			if i == 0 {
				for j := range b {
					b[j] = 0xff
				}
			}
			v := new(big.Int).SetBytes(b)
			if got, want := ModP(b), bytes32(new(big.Int).Mod(v, bigP)); got != want {
				t.Fatalf("ModP(%x) = %x, want %x", b, got, want)
			}
			if got, want := ModN(b), bytes32(new(big.Int).Mod(v, bigN)); got != want {
				t.Fatalf("ModN(%x) = %x, want %x", b, got, want)
			}
		}
	}
	// p·n and p^2 reduce to 0.
	pn := new(big.Int).Mul(bigP, bigN)
	if got := ModP(pn.Bytes()); got != [32]byte{} {
		t.Fatalf("p·n mod p = %x", got)
	}
	if got := ModN(pn.Bytes()); got != [32]byte{} {
		t.Fatalf("p·n mod n = %x", got)
	}
}

// TestFieldMatchesGeneric: field.go's routines for p give mont.go's
// results, on values chosen to make every carry and borrow happen.
func TestFieldMatchesGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	vals := testValues(rng, bigP)
	for _, lim := range []limbs{
		{^uint64(0), ^uint64(0), ^uint64(0), 0xffffffff00000000},
		{^uint64(0), 0xffffffff, 0, 0xffffffff00000000},
		{0, 0xffffffff00000000, ^uint64(0), 0xfffffffe},
		{^uint64(0), 0, ^uint64(0), 0},
		{0, ^uint64(0), 0, ^uint64(0) >> 1},
	} {
		vals = append(vals, limbsToInt(&lim))
	}
	toLimbs := func(v *big.Int) limbs {
		b := bytes32(new(big.Int).Mod(v, bigP))
		var l limbs
		for i := range 4 {
			l[i] = be64(b[24-8*i:])
		}
		return l
	}
	for i := range len(vals) * len(vals) { // every pair
		x, y := toLimbs(vals[i%len(vals)]), toLimbs(vals[i/len(vals)])
		var got, want limbs
		for _, op := range []struct {
			name      string
			fast      func(z, x, y *limbs)
			reference func(z, x, y *limbs)
		}{
			{"mul", feMul, primeP.mul},
			{"square", func(z, x, _ *limbs) { feSquare(z, x) }, func(z, x, _ *limbs) { primeP.square(z, x) }},
			{"add", feAdd, primeP.add},
			{"sub", feSub, primeP.sub},
		} {
			op.fast(&got, &x, &y)
			op.reference(&want, &x, &y)
			if got != want {
				t.Fatalf("%s(%x, %x) = %x, want %x", op.name, x, y, got, want)
			}
		}
	}
}
