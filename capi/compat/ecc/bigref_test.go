// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"encoding/binary"
	"math/big"
)

// math/big versions of the curve constants and the word conversions, for
// the tests to check against. The package itself has no math/big (it
// would be linked into the library).

var (
	curveP  = wordsToInt(primeM[:])
	curveN  = wordsToInt(orderM[:8])
	curveB  = fromHex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b")
	curveGX = wordsToInt(gPointX[:])
	curveGY = wordsToInt(gPointY[:])
)

func fromHex(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("ecc: bad constant " + s)
	}
	return v
}

// wordsToInt reads little-endian 32-bit words.
func wordsToInt(w []uint32) *big.Int {
	b := make([]byte, 4*len(w))
	for i, v := range w {
		binary.BigEndian.PutUint32(b[len(b)-4-4*i:], v)
	}
	return new(big.Int).SetBytes(b)
}

// intToWords writes v (which must fit) into all of w.
func intToWords(v *big.Int, w []uint32) {
	b := make([]byte, 4*len(w))
	v.FillBytes(b)
	for i := range w {
		w[i] = binary.BigEndian.Uint32(b[len(b)-4-4*i:])
	}
}

func bytes32(v *big.Int) []byte { return v.FillBytes(make([]byte, 32)) }

// onCurve reports whether (x, y) is an affine point of P-256 with
// coordinates below p.
func onCurve(x, y *big.Int) bool {
	if x.Sign() < 0 || y.Sign() < 0 || x.Cmp(curveP) >= 0 || y.Cmp(curveP) >= 0 {
		return false
	}
	lhs := new(big.Int).Mul(y, y)
	lhs.Mod(lhs, curveP)
	rhs := new(big.Int).Mul(x, x)
	rhs.Sub(rhs, big.NewInt(3)).Mul(rhs, x).Add(rhs, curveB)
	return lhs.Cmp(rhs.Mod(rhs, curveP)) == 0
}
