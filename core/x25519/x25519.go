// SPDX-License-Identifier: BSD-3-Clause

// Package x25519 is the X25519 function of RFC 7748, for DTLS 1.3's key
// shares, so that the engine need not import crypto/ecdh: importing it at
// all links its P-256 as well (the self-test, the nistec assembly and an
// 88 KB table, about 170 KB of the shared library). This package imports
// only errors and math/bits: a minimal stripped program doing one exchange
// grows by 8 KB with it and by 304 KB with crypto/ecdh.
//
// It runs in constant time: no branch and no memory index depends on the
// scalar or the point. The field GF(2^255-19) is five 51-bit limbs
// multiplied with math/bits.Mul64; the scalar multiplication is the
// Montgomery ladder of RFC 7748 §5 over all 255 bits with a masked
// conditional swap; the inversion is a fixed exponentiation by p-2. Only
// the final check for an all-zero shared secret branches, on a value that
// the caller learns from the error anyway.
//
// Measured on the development machine (2 cores, amd64, Go 1.26; medians
// of 15 runs of go test -bench . ./core/x25519), against crypto/ecdh,
// whose ladder is the same but whose field multiplication is assembly on
// amd64 (41.5 µs for X25519 with -tags purego):
//
//	                  ours     crypto/ecdh
//	ScalarBaseMult   49.2 µs     39.0 µs
//	X25519           49.2 µs     38.5 µs
package x25519

import "errors"

var errLowOrder = errors.New("x25519: low-order point (all-zero shared secret)")

var basePoint = [32]byte{9}

// ScalarBaseMult returns the X25519 public key of the 32-byte private
// scalar (RFC 7748 §5: clamped).
func ScalarBaseMult(scalar *[32]byte) [32]byte {
	// The base point has prime order ℓ > 2^252 and a clamped scalar is 8m
	// with 0 < m < ℓ, never a multiple of ℓ, so the result is never zero.
	return ladder(scalar, &basePoint)
}

// X25519 returns the shared secret of scalar and the peer's u-coordinate
// (RFC 7748 §5: the top bit of u is masked, non-canonical u accepted as
// the RFC says, scalar clamped), or an error when the result is all zeros
// (a low-order point, RFC 7748 §6.1 / RFC 8446 §7.4.2), as crypto/ecdh
// does.
func X25519(scalar, point *[32]byte) ([32]byte, error) {
	out := ladder(scalar, point)
	var acc byte
	for _, b := range out {
		acc |= b
	}
	if acc == 0 {
		return [32]byte{}, errLowOrder
	}
	return out, nil
}

// ladder is RFC 7748 §5's scalar multiplication, step for step: (x2:z2)
// and (x3:z3) are k·u and (k+1)·u for the bits of k seen so far, and the
// swap makes one step serve both values of a bit.
func ladder(scalar, point *[32]byte) [32]byte {
	k := *scalar
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64

	var x1, x2, z2, x3, z3 fe
	x1.setBytes(point)
	x2[0] = 1
	x3 = x1
	z3[0] = 1

	var a, aa, b, bb, e, c, d, da, cb fe
	var swap uint64
	for t := 254; t >= 0; t-- {
		bit := uint64(k[t>>3]>>(t&7)) & 1
		swap ^= bit
		cswap(&x2, &x3, swap)
		cswap(&z2, &z3, swap)
		swap = bit

		a.add(&x2, &z2)
		aa.square(&a)
		b.sub(&x2, &z2)
		bb.square(&b)
		e.sub(&aa, &bb)
		c.add(&x3, &z3)
		d.sub(&x3, &z3)
		da.mul(&d, &a)
		cb.mul(&c, &b)
		x3.add(&da, &cb)
		x3.square(&x3)
		z3.sub(&da, &cb)
		z3.square(&z3)
		z3.mul(&z3, &x1)
		x2.mul(&aa, &bb)
		// z2 = E·(BB + 121666·E), the same as RFC 7748's E·(AA + 121665·E)
		// since AA = BB + E, with the constant (A+2)/4 of the curve.
		z2.mul121666(&e)
		z2.add(&z2, &bb)
		z2.mul(&z2, &e)
	}
	cswap(&x2, &x3, swap)
	cswap(&z2, &z3, swap)

	z2.invert(&z2)
	x2.mul(&x2, &z2)
	return x2.bytes()
}
