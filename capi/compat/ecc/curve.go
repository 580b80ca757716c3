// SPDX-License-Identifier: BSD-3-Clause

package ecc

import "github.com/tinydtls-go/tinydtls/core/p256"

// Points in upstream's word API are affine (x, y) pairs of 8-word numbers;
// (0, 0) stands for the point at infinity.

// EcAdd is upstream's ecc_ec_add: S = P + Q by the affine chord formula,
// with upstream's special cases: (0,0) is the neutral element, P + (-P) is
// (0,0) and P + P is a doubling. Like upstream it does not check that the
// points are on the curve (the formula never uses b). Coordinates are
// reduced mod p first. The outputs may alias the inputs.
func EcAdd(px, py, qx, qy, sx, sy []uint32) {
	x, y := p256.AffineAdd(wordBytes(px), wordBytes(py), wordBytes(qx), wordBytes(qy))
	setWords(sx, &x)
	setWords(sy, &y)
}

// EcDouble is upstream's ecc_ec_double: D = 2P with the tangent slope
// 3(x^2 - 1) / 2y of a curve with a = -3; (0,0) doubles to (0,0). A point
// with y = 0, which upstream would send into a non-terminating inversion,
// doubles to (0,0) (such a point has order two). The outputs may alias the
// inputs.
func EcDouble(px, py, dx, dy []uint32) {
	x, y := p256.AffineDouble(wordBytes(px), wordBytes(py))
	setWords(dx, &x)
	setWords(dy, &y)
}

// EcMult is upstream's ecc_ec_mult: R = secret * P for an 8-word scalar
// (any value; it is used mod n) and a point P on the curve. (0, 0) is
// returned for the point at infinity. Unlike upstream, which computes on
// whatever curve an invalid point happens to lie on (the invalid-curve
// attack), a point that is not on P-256 gives (0, 0). The multiplication
// is core/p256's, in constant time (p256.ScalarMult). The outputs may
// alias the inputs.
func EcMult(px, py, secret, rx, ry []uint32) {
	var x, y [32]byte
	if pub, err := p256.NewPublicKey(wordBytes(px)[:], wordBytes(py)[:]); err == nil {
		var k p256.Scalar
		k.SetReducedBytes(wordBytes(secret))
		x, y, _ = p256.ScalarMult(pub, &k) // (0, 0) for k ≡ 0
	}
	setWords(rx, &x)
	setWords(ry, &y)
}

// IsValidKey is upstream's ecc_is_valid_key: 1 if the 8-word priv is a
// usable private key, else 0. Upstream accepts every value below n,
// including 0; here 0 is rejected too, since it yields the point at
// infinity as public key.
func IsValidKey(priv []uint32) int {
	if isZero(priv) || IsGreater(orderM[:], priv, ArrayLength) != 1 {
		return 0
	}
	return 1
}

// EcdsaSign is upstream's ecc_ecdsa_sign: it signs the 8-word hash e with
// the private key d and the caller's nonce k, writing r and s as words
// (upstream sizes both as 9 words; the ninth word, when present, is set to
// 0). It returns 0 on success and -1 when no signature results from this k
// (k = 0, k ≡ 0 mod n, r = 0 or s = 0), in which case the caller retries
// with a new k. As upstream, for k = 0 nothing is written, and when r is 0
// it is written but s is not. d, e and k are used mod n.
//
// k and d are secret: the point multiplication and the scalar arithmetic
// are core/p256's, both constant time. Only whether k is 0
// (as a word string or mod n) shows, as upstream's return value tells it.
func EcdsaSign(d, e, k, r, s []uint32) int {
	if isZero(k) {
		return -1
	}
	var kk, dd, ee, rv, sv p256.Scalar
	kk.SetReducedBytes(wordBytes(k))
	dd.SetReducedBytes(wordBytes(d))
	ee.SetReducedBytes(wordBytes(e))
	ok := p256.SignWithNonce(&rv, &sv, &dd, &ee, &kk)
	writeSigWords(&rv, r)
	if rv.IsZero() == 1 {
		return -1 // k ≡ 0 mod n (kG is the point at infinity) or r = 0
	}
	writeSigWords(&sv, s)
	if !ok {
		return -1
	}
	return 0
}

func writeSigWords(v *p256.Scalar, w []uint32) {
	b := v.Bytes()
	setWords(w, &b)
	if len(w) > ArrayLength {
		w[ArrayLength] = 0
	}
}

// EcdsaValidate is upstream's ecc_ecdsa_validate: it returns 0 if (r, s) is
// a valid signature of the 8-word hash e under the public key (x, y), and
// -1 otherwise. Beyond upstream's checks (r and s non-zero) it rejects r or
// s >= n and public keys that are not on the curve, and it compares r with
// x1 mod n as ECDSA specifies, where upstream compares with x1 itself.
func EcdsaValidate(x, y, e, r, s []uint32) int {
	pub, err := p256.NewPublicKey(wordBytes(x)[:], wordBytes(y)[:])
	if err != nil {
		return -1
	}
	if !p256.Verify(pub, wordBytes(e)[:], wordBytes(r)[:], wordBytes(s)[:]) {
		return -1
	}
	return 0
}
