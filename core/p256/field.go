// SPDX-License-Identifier: BSD-3-Clause

package p256

// The field GF(p) is needed only for public values: the peer's key, the
// points of a verification, and upstream's point API, whose callers pass
// whatever they like. The arithmetic is the constant-time Montgomery code
// of mont.go all the same; only the point formulas (point.go) branch on
// values.

// primeP is the field prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1.
var primeP = modulus{
	m:     limbs{0xffffffffffffffff, 0x00000000ffffffff, 0x0000000000000000, 0xffffffff00000001},
	m0inv: 1, // p ≡ -1 mod 2^64
	rr:    limbs{0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe, 0x00000004fffffffd},
	one:   limbs{0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff, 0x00000000fffffffe},
}

// element is a field element in the Montgomery domain.
type element = limbs

// curveB is the curve's b in the Montgomery domain.
var curveB = func() element {
	var e element
	primeP.fromBytes(&e, &[32]byte{
		0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
		0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
	})
	return e
}()

func feMul(z, x, y *element)      { primeP.mul(z, x, y) }
func feSquare(z, x *element)      { primeP.square(z, x) }
func feAdd(z, x, y *element)      { primeP.add(z, x, y) }
func feSub(z, x, y *element)      { primeP.sub(z, x, y) }
func feBytes(x *element) [32]byte { return primeP.toBytes(x) }

// feFromBytes reduces any 256-bit b mod p; canonical reports b < p.
func feFromBytes(z *element, b *[32]byte) (canonical bool) {
	return primeP.fromBytes(z, b) == 1
}

// rhs returns x^3 - 3x + b, which is y^2 for a point on the curve.
func rhs(x *element) element {
	var r, t element
	feSquare(&r, x)
	feMul(&r, &r, x)
	feAdd(&t, x, x)
	feAdd(&t, &t, x)
	feSub(&r, &r, &t)
	feAdd(&r, &r, &curveB)
	return r
}

// feInvert sets z = 1/x, or 0 for x = 0, as x^(p-2) with the addition
// chain crypto/internal/fips140/nistec uses (from
// github.com/mmcloughlin/addchain: 255 squarings, 12 multiplications).
func feInvert(z, x *element) {
	md := &primeP
	var r, t0, t1 element
	in := *x
	md.square(&r, &in)
	md.mul(&r, &in, &r) // _11
	md.square(&r, &r)
	md.mul(&r, &in, &r) // _111
	md.sqrN(&t0, &r, 3)
	md.mul(&t0, &r, &t0) // _111111
	md.sqrN(&t1, &t0, 6)
	md.mul(&t0, &t0, &t1) // x12
	md.sqrN(&t0, &t0, 3)
	md.mul(&r, &r, &t0) // x15
	md.square(&t0, &r)
	md.mul(&t0, &in, &t0) // x16
	md.sqrN(&t1, &t0, 16)
	md.mul(&t0, &t0, &t1) // x32
	md.sqrN(&t0, &t0, 15) // i53
	md.mul(&r, &r, &t0)   // x47
	md.sqrN(&t0, &t0, 17)
	md.mul(&t0, &in, &t0)
	md.sqrN(&t0, &t0, 143)
	md.mul(&t0, &r, &t0)
	md.sqrN(&t0, &t0, 47) // i263
	md.mul(&r, &r, &t0)
	md.sqrN(&r, &r, 2)
	md.mul(z, &in, &r)
}
