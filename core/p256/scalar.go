// SPDX-License-Identifier: BSD-3-Clause

package p256

import "errors"

// orderN is the group order n with its Montgomery constants.
var orderN = modulus{
	m:     limbs{0xf3b9cac2fc632551, 0xbce6faada7179e84, 0xffffffffffffffff, 0xffffffff00000000},
	m0inv: 0xccd1c8aaee00bc4f,
	rr:    limbs{0x83244c95be79eea2, 0x4699799c49bd6fa6, 0x2845b2392b6bec59, 0x66e12d94f3d95620},
	one:   limbs{0x0c46353d039cdaaf, 0x4319055258e8617b, 0x0000000000000000, 0x00000000ffffffff},
}

var errScalar = errors.New("p256: scalar not below the group order")

// Scalar is an integer modulo the group order n. The zero value is 0.
// Every method runs in time independent of the values involved, since
// scalars hold private keys and nonces. The receiver may alias the
// arguments.
type Scalar struct {
	v limbs // Montgomery form
}

// SetBytes sets s to the 32-byte big-endian b, which must be below n.
// Whether it is, is the one thing its timing reveals.
func (s *Scalar) SetBytes(b []byte) (*Scalar, error) {
	if len(b) != 32 {
		return nil, errScalar
	}
	var t Scalar
	if orderN.fromBytes(&t.v, (*[32]byte)(b)) != 1 {
		return nil, errScalar
	}
	*s = t
	return s, nil
}

// SetReducedBytes sets s to the 32-byte big-endian b modulo n (b may be
// any 256-bit value, as upstream's word API allows).
func (s *Scalar) SetReducedBytes(b *[32]byte) *Scalar {
	orderN.fromBytes(&s.v, b)
	return s
}

// setDigest sets s to bits2int(digest) mod n (FIPS 186-4 §6.4, RFC 6979
// §2.3.2): the leftmost 256 bits of a longer digest, a shorter one as the
// integer it spells. n has exactly 256 bits, so no bit shift is needed.
func (s *Scalar) setDigest(digest []byte) *Scalar {
	var b [32]byte
	if len(digest) >= 32 {
		copy(b[:], digest[:32])
	} else {
		copy(b[32-len(digest):], digest)
	}
	return s.SetReducedBytes(&b)
}

// Bytes returns the 32-byte big-endian encoding of s.
func (s *Scalar) Bytes() [32]byte { return orderN.toBytes(&s.v) }

// Add sets s = x + y mod n.
func (s *Scalar) Add(x, y *Scalar) *Scalar {
	orderN.add(&s.v, &x.v, &y.v)
	return s
}

// Sub sets s = x - y mod n.
func (s *Scalar) Sub(x, y *Scalar) *Scalar {
	orderN.sub(&s.v, &x.v, &y.v)
	return s
}

// Neg sets s = -x mod n.
func (s *Scalar) Neg(x *Scalar) *Scalar {
	orderN.sub(&s.v, &limbs{}, &x.v)
	return s
}

// Mul sets s = x * y mod n.
func (s *Scalar) Mul(x, y *Scalar) *Scalar {
	orderN.mul(&s.v, &x.v, &y.v)
	return s
}

// Invert sets s = 1/x mod n, or 0 for x = 0, as x^(n-2) by Fermat's
// little theorem. The exponent is public, so its addition chain (Brian
// Smith's, https://briansmith.org/ecc-inversion-addition-chains-01, 254
// squarings and 38 multiplications, as crypto/internal/fips140/nistec
// uses) is fixed code.
func (s *Scalar) Invert(x *Scalar) *Scalar {
	md := &orderN
	var _1, _11, _101, _111, _1111, _10101, _101111, t, z limbs
	_1 = x.v
	md.square(&z, &_1)          // _10
	md.mul(&_11, &z, &_1)       // _11
	md.mul(&_101, &z, &_11)     // _101
	md.mul(&_111, &z, &_101)    // _111
	md.square(&z, &_101)        // _1010
	md.mul(&_1111, &_101, &z)   // _1111
	md.square(&t, &z)           // _10100
	md.mul(&_10101, &t, &_1)    // _10101
	md.square(&z, &_10101)      // _101010
	md.mul(&_101111, &_101, &z) // _101111
	md.mul(&z, &_10101, &z)     // _111111 = x6
	md.sqrN(&t, &z, 2)          // _11111100
	md.mul(&t, &t, &_11)        // x8
	md.sqrN(&z, &t, 8)          //
	md.mul(&z, &z, &t)          // x16
	md.sqrN(&t, &z, 16)         //
	md.mul(&t, &t, &z)          // x32 = ffffffff
	md.sqrN(&z, &t, 64)         // ffffffff 00000000 00000000
	md.mul(&z, &z, &t)          // ffffffff 00000000 ffffffff
	md.sqrN(&z, &z, 32)         //
	md.mul(&z, &z, &t)          // ffffffff 00000000 ffffffff ffffffff
	// The low 128 bits of n-2, bce6faada7179e84f3b9cac2fc63254f, in
	// windows: shift by sqrs[i], then multiply by muls[i].
	sqrs := [...]int{6, 5, 4, 5, 5, 4, 3, 3, 5, 9, 6, 2, 5, 6, 5, 4, 5, 5, 3, 10, 2, 5, 5, 3, 7, 6}
	muls := [...]*limbs{
		&_101111, &_111, &_11, &_1111, &_10101, &_101, &_101, &_101, &_111, &_101111,
		&_1111, &_1, &_1, &_1111, &_111, &_111, &_111, &_101, &_11, &_101111,
		&_11, &_11, &_11, &_1, &_10101, &_1111,
	}
	for i, n := range sqrs {
		md.sqrN(&z, &z, n)
		md.mul(&z, &z, muls[i])
	}
	s.v = z
	return s
}

// IsZero returns 1 if s is 0, else 0.
func (s *Scalar) IsZero() int { return isZero(&s.v) }

// Equal returns 1 if s == t, else 0.
func (s *Scalar) Equal(t *Scalar) int { return equal(&s.v, &t.v) }
