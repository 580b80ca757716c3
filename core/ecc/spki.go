// SPDX-License-Identifier: BSD-3-Clause

package ecc

import "errors"

// SPKISize is the length of the DER SubjectPublicKeyInfo of an uncompressed
// P-256 public key, the form RFC 7250 raw public keys take in DTLS.
const SPKISize = 91

// spkiPrefix is all of that SubjectPublicKeyInfo before the coordinates:
//
//	30 59                         SEQUENCE, 89 bytes
//	   30 13                      SEQUENCE (AlgorithmIdentifier), 19 bytes
//	      06 07 2a8648ce3d0201    OID 1.2.840.10045.2.1 id-ecPublicKey
//	      06 08 2a8648ce3d030107  OID 1.2.840.10045.3.1.7 prime256v1
//	   03 42 00                   BIT STRING, 66 bytes, no unused bits
//	      04                      uncompressed point, x || y follow
//
// DER has one encoding per value, so a key of this kind is exactly these
// bytes and the point: comparing bytes is the whole parse, without
// encoding/asn1 (which would link reflect into the library).
var spkiPrefix = [...]byte{
	0x30, 0x59,
	0x30, 0x13,
	0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
	0x03, 0x42, 0x00,
	0x04,
}

var errSPKI = errors.New("ecc: not a DER SubjectPublicKeyInfo of an uncompressed P-256 key")

// ParseSPKI parses the 91-byte DER SubjectPublicKeyInfo of an uncompressed
// P-256 public key and returns its 32-byte big-endian coordinates. It is
// strict: the algorithm must be exactly id-ecPublicKey with the named curve
// prime256v1 and no further parameters, the BIT STRING must have no unused
// bits and hold 0x04 || x || y, the point must be on the curve, lengths must
// be minimal DER, and nothing may follow.
func ParseSPKI(spki []byte) (x, y []byte, err error) {
	if len(spki) != SPKISize || string(spki[:len(spkiPrefix)]) != string(spkiPrefix[:]) {
		return nil, nil, errSPKI
	}
	x = append([]byte(nil), spki[len(spkiPrefix):len(spkiPrefix)+32]...)
	y = append([]byte(nil), spki[len(spkiPrefix)+32:]...)
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
	out := make([]byte, 0, SPKISize)
	out = append(out, spkiPrefix[:]...)
	out = append(out, x...)
	return append(out, y...)
}
