// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"encoding/asn1"
	"errors"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SPKISize is the length of the DER SubjectPublicKeyInfo of an uncompressed
// P-256 public key, the form RFC 7250 raw public keys take in DTLS.
const SPKISize = 91

var (
	oidPublicKeyECDSA = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidNamedCurveP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}

	errSPKI = errors.New("ecc: not a DER SubjectPublicKeyInfo of an uncompressed P-256 key")
)

// ParseSPKI parses the 91-byte DER SubjectPublicKeyInfo of an uncompressed
// P-256 public key and returns its 32-byte big-endian coordinates. It is
// strict: the algorithm must be exactly id-ecPublicKey with the named curve
// prime256v1 and no further parameters, the BIT STRING must have no unused
// bits and hold 0x04 || x || y, the point must be on the curve, lengths must
// be minimal DER, and nothing may follow.
func ParseSPKI(spki []byte) (x, y []byte, err error) {
	input := cryptobyte.String(spki)
	var info, alg cryptobyte.String
	var algOID, curveOID asn1.ObjectIdentifier
	var bits cryptobyte.String
	if !input.ReadASN1(&info, cbasn1.SEQUENCE) || !input.Empty() ||
		!info.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!alg.ReadASN1ObjectIdentifier(&algOID) || !algOID.Equal(oidPublicKeyECDSA) ||
		!alg.ReadASN1ObjectIdentifier(&curveOID) || !curveOID.Equal(oidNamedCurveP256) ||
		!alg.Empty() ||
		!info.ReadASN1(&bits, cbasn1.BIT_STRING) || !info.Empty() {
		return nil, nil, errSPKI
	}
	// BIT STRING content: the unused-bits count, then the point.
	if len(bits) != 66 || bits[0] != 0 || bits[1] != 4 {
		return nil, nil, errSPKI
	}
	x = append([]byte(nil), bits[2:34]...)
	y = append([]byte(nil), bits[34:66]...)
	if !IsOnCurve(x, y) {
		return nil, nil, errSPKI
	}
	return x, y, nil
}

// MarshalSPKI returns the 91-byte DER SubjectPublicKeyInfo of the
// uncompressed P-256 public key with 32-byte big-endian coordinates x and
// y, or nil if either is not 32 bytes. It does not check that the point is
// on the curve.
func MarshalSPKI(x, y []byte) []byte {
	if len(x) != 32 || len(y) != 32 {
		return nil
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oidPublicKeyECDSA)
			b.AddASN1ObjectIdentifier(oidNamedCurveP256)
		})
		b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) {
			b.AddUint8(0) // no unused bits
			b.AddUint8(4) // uncompressed point
			b.AddBytes(x)
			b.AddBytes(y)
		})
	})
	return b.BytesOrPanic()
}
