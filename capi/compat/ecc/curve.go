// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"math/big"
)

// Points in upstream's word API are affine (x, y) pairs of 8-word numbers;
// (0, 0) stands for the point at infinity.

// EcAdd is upstream's ecc_ec_add: S = P + Q by the affine chord formula,
// with upstream's special cases: (0,0) is the neutral element, P + (-P) is
// (0,0) and P + P is a doubling. Like upstream it does not check that the
// points are on the curve (the formula never uses b). Coordinates are
// reduced mod p first. The outputs may alias the inputs.
func EcAdd(px, py, qx, qy, sx, sy []uint32) {
	x1, y1 := reducedPoint(px, py)
	x2, y2 := reducedPoint(qx, qy)
	rx, ry := affineAdd(x1, y1, x2, y2)
	intToWords(rx, sx[:ArrayLength])
	intToWords(ry, sy[:ArrayLength])
}

// EcDouble is upstream's ecc_ec_double: D = 2P with the tangent slope
// 3(x^2 - 1) / 2y of a curve with a = -3; (0,0) doubles to (0,0). A point
// with y = 0, which upstream would send into a non-terminating inversion,
// doubles to (0,0) (such a point has order two). The outputs may alias the
// inputs.
func EcDouble(px, py, dx, dy []uint32) {
	x, y := reducedPoint(px, py)
	rx, ry := affineDouble(x, y)
	intToWords(rx, dx[:ArrayLength])
	intToWords(ry, dy[:ArrayLength])
}

func reducedPoint(x, y []uint32) (*big.Int, *big.Int) {
	bx := wordsToInt(x[:ArrayLength])
	by := wordsToInt(y[:ArrayLength])
	return bx.Mod(bx, curveP), by.Mod(by, curveP)
}

func isInfinity(x, y *big.Int) bool { return x.Sign() == 0 && y.Sign() == 0 }

func affineAdd(x1, y1, x2, y2 *big.Int) (*big.Int, *big.Int) {
	switch {
	case isInfinity(x1, y1):
		return new(big.Int).Set(x2), new(big.Int).Set(y2)
	case isInfinity(x2, y2):
		return new(big.Int).Set(x1), new(big.Int).Set(y1)
	case x1.Cmp(x2) == 0:
		if y1.Cmp(y2) != 0 {
			return new(big.Int), new(big.Int)
		}
		return affineDouble(x1, y1)
	}
	num := new(big.Int).Sub(y1, y2)
	den := new(big.Int).Sub(x1, x2)
	den.Mod(den, curveP).ModInverse(den, curveP)
	lambda := num.Mul(num, den)
	lambda.Mod(lambda, curveP)
	return finishAdd(lambda, x1, y1, x2)
}

func affineDouble(x, y *big.Int) (*big.Int, *big.Int) {
	if y.Sign() == 0 {
		return new(big.Int), new(big.Int)
	}
	num := new(big.Int).Mul(x, x)
	num.Sub(num, big.NewInt(1)).Mul(num, big.NewInt(3))
	den := new(big.Int).Lsh(y, 1)
	den.ModInverse(den.Mod(den, curveP), curveP)
	lambda := num.Mul(num, den)
	lambda.Mod(lambda, curveP)
	return finishAdd(lambda, x, y, x)
}

// finishAdd returns (lambda^2 - x1 - x2, lambda(x1 - x3) - y1).
func finishAdd(lambda, x1, y1, x2 *big.Int) (*big.Int, *big.Int) {
	x3 := new(big.Int).Mul(lambda, lambda)
	x3.Sub(x3, x1).Sub(x3, x2).Mod(x3, curveP)
	y3 := new(big.Int).Sub(x1, x3)
	y3.Mul(y3, lambda).Sub(y3, y1).Mod(y3, curveP)
	return x3, y3
}

// onCurve reports whether (x, y) is an affine point of P-256 with
// coordinates below p.
func onCurve(x, y *big.Int) bool {
	if x.Sign() < 0 || y.Sign() < 0 || x.Cmp(curveP) >= 0 || y.Cmp(curveP) >= 0 {
		return false
	}
	lhs := new(big.Int).Mul(y, y)
	lhs.Mod(lhs, curveP)
	return lhs.Cmp(curveRHS(x)) == 0
}

// curveRHS returns x^3 - 3x + b mod p.
func curveRHS(x *big.Int) *big.Int {
	r := new(big.Int).Mul(x, x)
	r.Sub(r, big.NewInt(3)).Mul(r, x).Add(r, curveB)
	return r.Mod(r, curveP)
}

func bytes32(v *big.Int) []byte { return v.FillBytes(make([]byte, 32)) }

func uncompressed(x, y *big.Int) []byte {
	b := make([]byte, 65)
	b[0] = 4
	x.FillBytes(b[1:33])
	y.FillBytes(b[33:])
	return b
}

// baseMult returns kG for 0 < k < n in constant time.
func baseMult(k *big.Int) (*big.Int, *big.Int) {
	priv, err := ecdh.P256().NewPrivateKey(bytes32(k))
	if err != nil {
		panic("ecc: scalar out of range: " + err.Error())
	}
	pub := priv.PublicKey().Bytes()
	return new(big.Int).SetBytes(pub[1:33]), new(big.Int).SetBytes(pub[33:])
}

// ecdhX returns the x-coordinate of kP for 0 < k < n and a valid point P.
func ecdhX(k *big.Int, pub *ecdh.PublicKey) *big.Int {
	priv, err := ecdh.P256().NewPrivateKey(bytes32(k))
	if err != nil {
		panic("ecc: scalar out of range: " + err.Error())
	}
	x, err := priv.ECDH(pub)
	if err != nil {
		panic("ecc: ECDH on a prime-order point failed: " + err.Error())
	}
	return new(big.Int).SetBytes(x)
}

// scalarMult returns kP for a point P = (x, y) on the curve and any k, or
// (0, 0) for the point at infinity. ok is false if P is not on the curve.
//
// crypto/ecdh does the scalar multiplications in constant time but only
// reveals x-coordinates. For P other than G, the y-coordinate of Q = kP is
// recovered from x(Q) and x(Q+P): with the chord through P and Q,
// (y_Q - y)^2 = (x_{Q+P} + x + x_Q)(x_Q - x)^2, which is linear in y_Q once
// y_Q^2 = x_Q^3 - 3x_Q + b is substituted. The identity also holds for
// Q = P; Q = -P (k = n-1) is the one case handled separately.
func scalarMult(x, y, k *big.Int) (qx, qy *big.Int, ok bool) {
	if !onCurve(x, y) {
		return new(big.Int), new(big.Int), false
	}
	k = new(big.Int).Mod(k, curveN)
	if k.Sign() == 0 {
		return new(big.Int), new(big.Int), true
	}
	if x.Cmp(curveGX) == 0 && y.Cmp(curveGY) == 0 {
		qx, qy = baseMult(k)
		return qx, qy, true
	}
	if nm1 := new(big.Int).Sub(curveN, big.NewInt(1)); k.Cmp(nm1) == 0 {
		return new(big.Int).Set(x), new(big.Int).Sub(curveP, y), true
	}
	pub, err := ecdh.P256().NewPublicKey(uncompressed(x, y))
	if err != nil {
		return new(big.Int), new(big.Int), false
	}
	x1 := ecdhX(k, pub)
	x2 := ecdhX(new(big.Int).Add(k, big.NewInt(1)), pub)

	d := new(big.Int).Sub(x1, x)
	d.Mul(d, d)
	s := new(big.Int).Add(x2, x)
	s.Add(s, x1).Mul(s, d)
	num := new(big.Int).Mul(y, y)
	num.Add(num, curveRHS(x1)).Sub(num, s).Mod(num, curveP)
	den := new(big.Int).Lsh(y, 1)
	den.ModInverse(den, curveP)
	y1 := num.Mul(num, den)
	return x1, y1.Mod(y1, curveP), true
}

// EcMult is upstream's ecc_ec_mult: R = secret * P for an 8-word scalar
// (any value; it is used mod n) and a point P on the curve. (0, 0) is
// returned for the point at infinity. Unlike upstream, which computes on
// whatever curve an invalid point happens to lie on (the invalid-curve
// attack), a point that is not on P-256 gives (0, 0). The outputs may alias
// the inputs.
func EcMult(px, py, secret, rx, ry []uint32) {
	x := wordsToInt(px[:ArrayLength])
	y := wordsToInt(py[:ArrayLength])
	qx, qy, _ := scalarMult(x, y, wordsToInt(secret[:ArrayLength]))
	intToWords(qx, rx[:ArrayLength])
	intToWords(qy, ry[:ArrayLength])
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
// it is written but s is not.
//
// k is secret: the point multiplication runs in constant time in
// crypto/ecdh, and the modular inversion of k is blinded, but the
// remaining big.Int arithmetic is not constant time.
func EcdsaSign(d, e, k, r, s []uint32) int {
	if isZero(k) {
		return -1
	}
	kk := wordsToInt(k[:ArrayLength])
	kk.Mod(kk, curveN)
	var rv *big.Int
	if kk.Sign() == 0 {
		rv = new(big.Int)
	} else {
		rv, _ = baseMult(kk)
		rv.Mod(rv, curveN)
	}
	writeSigWords(rv, r)
	if rv.Sign() == 0 {
		return -1
	}
	sv := wordsToInt(d[:ArrayLength])
	sv.Mul(sv, rv).Add(sv, wordsToInt(e[:ArrayLength])).Mod(sv, curveN)
	sv.Mul(sv, blindedInverse(kk)).Mod(sv, curveN)
	writeSigWords(sv, s)
	if sv.Sign() == 0 {
		return -1
	}
	return 0
}

func writeSigWords(v *big.Int, w []uint32) {
	intToWords(v, w[:ArrayLength])
	if len(w) > ArrayLength {
		w[ArrayLength] = 0
	}
}

// blindedInverse returns k^-1 mod n, inverting k*b for a random b so that
// the timing of the variable-time inversion does not depend on k alone.
func blindedInverse(k *big.Int) *big.Int {
	b, err := rand.Int(rand.Reader, new(big.Int).Sub(curveN, big.NewInt(1)))
	if err != nil {
		panic("ecc: reading random blinding factor: " + err.Error())
	}
	b.Add(b, big.NewInt(1))
	inv := new(big.Int).Mul(k, b)
	inv.Mod(inv, curveN).ModInverse(inv, curveN)
	return inv.Mul(inv, b).Mod(inv, curveN)
}

// EcdsaValidate is upstream's ecc_ecdsa_validate: it returns 0 if (r, s) is
// a valid signature of the 8-word hash e under the public key (x, y), and
// -1 otherwise. Beyond upstream's checks (r and s non-zero) it rejects r or
// s >= n and public keys that are not on the curve, and it compares r with
// x1 mod n as ECDSA specifies, where upstream compares with x1 itself.
func EcdsaValidate(x, y, e, r, s []uint32) int {
	rv := wordsToInt(r[:ArrayLength])
	sv := wordsToInt(s[:ArrayLength])
	if rv.Sign() == 0 || sv.Sign() == 0 || rv.Cmp(curveN) >= 0 || sv.Cmp(curveN) >= 0 {
		return -1
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(),
		uncompressed(wordsToInt(x[:ArrayLength]), wordsToInt(y[:ArrayLength])))
	if err != nil {
		return -1
	}
	if !ecdsa.Verify(pub, bytes32(wordsToInt(e[:ArrayLength])), rv, sv) {
		return -1
	}
	return 0
}
