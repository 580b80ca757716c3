// SPDX-License-Identifier: BSD-3-Clause

package p256

import "errors"

// Affine points are what keys and upstream's point API (ecc_ec_add,
// ecc_ec_double) hand over. The formulas here branch on the values (the
// point at infinity, equal x-coordinates) and pay an inversion per
// operation, which is fine for that API's public points but nothing else:
// multiplications use projective coordinates and complete formulas
// (proj.go), in constant time.

type affine struct {
	x, y element
	inf  bool // the point at infinity; x and y are then meaningless
}

// double sets q = 2a. a need not be on the curve: upstream's point API
// doubles whatever it gets with the tangent slope of a curve with a = -3,
// 3(x^2 - 1) / 2y; y = 0 (an order-two point, none of which is on P-256)
// gives the point at infinity.
func (q *affine) double(a *affine) {
	var zero element
	if a.inf || equal(&a.y, &zero) == 1 {
		*q = affine{inf: true}
		return
	}
	var num, den, t element
	feSquare(&num, &a.x)
	feSub(&num, &num, &primeP.one)
	feAdd(&t, &num, &num)
	feAdd(&num, &t, &num)
	feAdd(&den, &a.y, &a.y)
	feInvert(&den, &den)
	feMul(&num, &num, &den)
	q.finish(&num, a, a)
}

// add sets q = a + b by the chord, a doubling for a = b and the point at
// infinity for a = -b. Like double it does not need the points on the
// curve (the formulas never use b).
func (q *affine) add(a, b *affine) {
	switch {
	case a.inf:
		*q = *b
		return
	case b.inf:
		*q = *a
		return
	case equal(&a.x, &b.x) == 1:
		if equal(&a.y, &b.y) == 1 {
			q.double(a)
		} else {
			*q = affine{inf: true}
		}
		return
	}
	var num, den element
	feSub(&num, &a.y, &b.y)
	feSub(&den, &a.x, &b.x)
	feInvert(&den, &den)
	feMul(&num, &num, &den)
	q.finish(&num, a, b)
}

// finish sets q = (λ^2 - a.x - b.x, λ(a.x - x) - a.y).
func (q *affine) finish(lambda *element, a, b *affine) {
	var x, y element
	feSquare(&x, lambda)
	feSub(&x, &x, &a.x)
	feSub(&x, &x, &b.x)
	feSub(&y, &a.x, &x)
	feMul(&y, &y, lambda)
	feSub(&y, &y, &a.y)
	*q = affine{x: x, y: y}
}

// wordPoint reads upstream's representation: any 256-bit coordinates,
// reduced mod p, with (0, 0) the point at infinity.
func wordPoint(x, y *[32]byte) affine {
	var p affine
	feFromBytes(&p.x, x)
	feFromBytes(&p.y, y)
	var zero element
	p.inf = equal(&p.x, &zero)&equal(&p.y, &zero) == 1
	return p
}

func (q *affine) words() (x, y [32]byte) {
	if q.inf {
		return x, y
	}
	return feBytes(&q.x), feBytes(&q.y)
}

// AffineAdd returns P + Q with upstream's conventions (ecc_ec_add): the
// coordinates are any 256-bit values and are reduced mod p, (0, 0) is the
// point at infinity and comes out for P = -Q, P + P is a doubling, and
// nothing checks that the points are on the curve. Variable time.
func AffineAdd(x1, y1, x2, y2 *[32]byte) (x3, y3 [32]byte) {
	p, q := wordPoint(x1, y1), wordPoint(x2, y2)
	var r affine
	r.add(&p, &q)
	return r.words()
}

// AffineDouble returns 2P with upstream's conventions (ecc_ec_double), see
// AffineAdd; a point with y ≡ 0 doubles to (0, 0). Variable time.
func AffineDouble(x, y *[32]byte) (x2, y2 [32]byte) {
	p := wordPoint(x, y)
	var r affine
	r.double(&p)
	return r.words()
}

var errPublicKey = errors.New("p256: not a point on the curve")

// PublicKey is a point of P-256 other than the point at infinity.
type PublicKey struct {
	p   affine
	enc [65]byte // uncompressed: 0x04 || x || y
}

// NewPublicKey checks the 32-byte big-endian coordinates: both below p,
// and y^2 = x^3 - 3x + b (which (0, 0), the usual stand-in for the point
// at infinity, is not).
func NewPublicKey(x, y []byte) (*PublicKey, error) {
	if len(x) != 32 || len(y) != 32 {
		return nil, errPublicKey
	}
	k := &PublicKey{}
	if !feFromBytes(&k.p.x, (*[32]byte)(x)) || !feFromBytes(&k.p.y, (*[32]byte)(y)) {
		return nil, errPublicKey
	}
	var y2 element
	feSquare(&y2, &k.p.y)
	if r := rhs(&k.p.x); equal(&y2, &r) != 1 {
		return nil, errPublicKey
	}
	k.enc[0] = 4
	copy(k.enc[1:33], x)
	copy(k.enc[33:], y)
	return k, nil
}

// Bytes returns the uncompressed encoding 0x04 || x || y.
func (k *PublicKey) Bytes() []byte { return append([]byte(nil), k.enc[:]...) }

// X and Y return the 32-byte big-endian coordinates.
func (k *PublicKey) X() []byte { return append([]byte(nil), k.enc[1:33]...) }
func (k *PublicKey) Y() []byte { return append([]byte(nil), k.enc[33:]...) }

var generator = func() *PublicKey {
	k, err := NewPublicKey(
		[]byte{0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
			0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96},
		[]byte{0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
			0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5})
	if err != nil {
		panic("p256: the base point is not on the curve")
	}
	return k
}()

// ScalarBaseMult returns k·G in constant time, or ok = false for k = 0.
func ScalarBaseMult(k *Scalar) (x, y [32]byte, ok bool) {
	kb := k.Bytes()
	defer clear(kb[:])
	var q proj
	q.baseMul(&kb)
	return q.bytes()
}

// ScalarMult returns k·P in constant time, or ok = false for the point at
// infinity (k = 0). The timing depends on P, which is public, only
// through whether it is G (whose table is ready).
func ScalarMult(p *PublicKey, k *Scalar) (x, y [32]byte, ok bool) {
	if p.enc == generator.enc {
		return ScalarBaseMult(k)
	}
	kb := k.Bytes()
	defer clear(kb[:])
	var t table
	var q proj
	t.init(q.fromAffine(&p.p))
	q.mul(&t, &kb)
	return q.bytes()
}
