// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"crypto/elliptic"
	"math/big"
	"math/rand/v2"
	"testing"
)

// crypto/elliptic is the oracle for the point operations.

func randScalar(rng *rand.Rand) *big.Int {
	return new(big.Int).SetBytes(randomBytes(rng, 32))
}

func randPoint(rng *rand.Rand) (x, y *big.Int) {
	k := new(big.Int).Mod(randScalar(rng), bigN)
	return elliptic.P256().ScalarBaseMult(k.FillBytes(make([]byte, 32)))
}

func b32(v *big.Int) *[32]byte {
	b := bytes32(v)
	return &b
}

func TestAffineAddDouble(t *testing.T) {
	curve := elliptic.P256()
	rng := rand.New(rand.NewPCG(9, 10))
	zero := new(big.Int)
	for i := 0; i < 50; i++ {
		ax, ay := randPoint(rng)
		bx, by := randPoint(rng)
		wx, wy := curve.Add(ax, ay, bx, by)
		x, y := AffineAdd(b32(ax), b32(ay), b32(bx), b32(by))
		if x != bytes32(wx) || y != bytes32(wy) {
			t.Fatalf("A + B = (%x, %x), want (%x, %x)", x, y, wx, wy)
		}
		wx, wy = curve.Double(ax, ay)
		x, y = AffineDouble(b32(ax), b32(ay))
		if x != bytes32(wx) || y != bytes32(wy) {
			t.Fatal("2A")
		}
		if x2, y2 := AffineAdd(b32(ax), b32(ay), b32(ax), b32(ay)); x2 != x || y2 != y {
			t.Fatal("A + A is not 2A")
		}
		// Coordinates >= p are reduced first (when ax + p fits 256 bits).
		if axp := new(big.Int).Add(ax, bigP); axp.BitLen() <= 256 {
			if x2, y2 := AffineAdd(b32(axp), b32(ay), b32(ax), b32(ay)); x2 != x || y2 != y {
				t.Fatal("A + A with x + p")
			}
		}
		// The conventions of the point at infinity.
		if x, y := AffineAdd(b32(zero), b32(zero), b32(bx), b32(by)); x != bytes32(bx) || y != bytes32(by) {
			t.Fatal("O + B")
		}
		if x, y := AffineAdd(b32(ax), b32(ay), b32(zero), b32(zero)); x != bytes32(ax) || y != bytes32(ay) {
			t.Fatal("A + O")
		}
		negY := new(big.Int).Sub(bigP, ay)
		if x, y := AffineAdd(b32(ax), b32(ay), b32(ax), b32(negY)); x != bytes32(zero) || y != bytes32(zero) {
			t.Fatal("A + (-A)")
		}
	}
	if x, y := AffineDouble(b32(zero), b32(zero)); x != bytes32(zero) || y != bytes32(zero) {
		t.Fatal("2O")
	}
	// (p, 0) is (0, 0) once reduced.
	if x, y := AffineDouble(b32(bigP), b32(zero)); x != bytes32(zero) || y != bytes32(zero) {
		t.Fatal("2(p, 0)")
	}
	// y = 0 off the curve doubles to the point at infinity.
	if x, y := AffineDouble(b32(big.NewInt(5)), b32(zero)); x != bytes32(zero) || y != bytes32(zero) {
		t.Fatal("2(5, 0)")
	}
}

func TestScalarMult(t *testing.T) {
	curve := elliptic.P256()
	rng := rand.New(rand.NewPCG(11, 12))
	one := big.NewInt(1)
	scalars := []*big.Int{one, big.NewInt(2), big.NewInt(3), new(big.Int).Sub(bigN, one), new(big.Int).Sub(bigN, big.NewInt(2))}
	for i := 0; i < 5; i++ {
		scalars = append(scalars, new(big.Int).Mod(randScalar(rng), bigN))
	}
	points := [][2]*big.Int{{curve.Params().Gx, curve.Params().Gy}}
	for i := 0; i < 4; i++ {
		x, y := randPoint(rng)
		points = append(points, [2]*big.Int{x, y})
	}
	for _, p := range points {
		pub, err := NewPublicKey(p[0].FillBytes(make([]byte, 32)), p[1].FillBytes(make([]byte, 32)))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range scalars {
			var s Scalar
			s.SetReducedBytes(b32(k))
			wx, wy := curve.ScalarMult(p[0], p[1], k.Bytes())
			x, y, ok := ScalarMult(pub, &s)
			if !ok || x != bytes32(wx) || y != bytes32(wy) {
				t.Fatalf("%x·(%x, %x) = (%x, %x), %v", k, p[0], p[1], x, y, ok)
			}
		}
		var zero Scalar
		if _, _, ok := ScalarMult(pub, &zero); ok {
			t.Fatal("0·P is not the point at infinity")
		}
	}
	var zero Scalar
	if _, _, ok := ScalarBaseMult(&zero); ok {
		t.Fatal("0·G is not the point at infinity")
	}
}
