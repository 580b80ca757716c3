// SPDX-License-Identifier: BSD-3-Clause

package p256

import "errors"

// An ECDSA signature on the wire of (D)TLS is DER: SEQUENCE { INTEGER r,
// INTEGER s } (RFC 8422 §5.4, RFC 8446 §4.2.3). For P-256 both integers
// have at most 33 content bytes, so every length fits the short form.

var errDER = errors.New("p256: not a DER ECDSA-Sig-Value")

// MarshalSignature encodes the big-endian r and s (leading zeros allowed;
// both must be non-zero and at most 32 significant bytes, as Sign's are).
func MarshalSignature(r, s []byte) []byte {
	r, s = trimZeros(r), trimZeros(s)
	out := make([]byte, 2, 2+2*(2+33))
	out[0] = 0x30
	out = appendInteger(out, r)
	out = appendInteger(out, s)
	out[1] = byte(len(out) - 2)
	return out
}

func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// appendInteger appends the minimal DER INTEGER of the non-negative
// big-endian v without leading zeros: a zero byte goes in front when the
// top bit is set, which would read as negative.
func appendInteger(out, v []byte) []byte {
	n := len(v)
	if n > 0 && v[0]&0x80 != 0 {
		n++
	}
	if n == 0 {
		n = 1 // zero is one 0x00 byte
	}
	out = append(out, 0x02, byte(n))
	for range n - len(v) {
		out = append(out, 0)
	}
	return append(out, v...)
}

// ParseSignature decodes a DER ECDSA-Sig-Value and returns r and s without
// leading zeros: exactly one SEQUENCE of exactly two INTEGERs with nothing
// after either, short-form lengths, minimal non-negative integers. Whether
// the values are below n is Verify's business. With that, VerifyASN1
// accepts exactly what crypto/ecdsa's does: DER allows the long form only
// for lengths of 128 and more, which no pair of integers below n needs.
func ParseSignature(sig []byte) (r, s []byte, err error) {
	if len(sig) < 2 || sig[0] != 0x30 || sig[1]&0x80 != 0 || int(sig[1]) != len(sig)-2 {
		return nil, nil, errDER
	}
	body := sig[2:]
	if r, body, err = readInteger(body); err != nil {
		return nil, nil, err
	}
	if s, body, err = readInteger(body); err != nil {
		return nil, nil, err
	}
	if len(body) != 0 {
		return nil, nil, errDER
	}
	return r, s, nil
}

func readInteger(b []byte) (v, rest []byte, err error) {
	if len(b) < 2 || b[0] != 0x02 || b[1]&0x80 != 0 {
		return nil, nil, errDER
	}
	n := int(b[1])
	if n == 0 || len(b)-2 < n {
		return nil, nil, errDER
	}
	v, rest = b[2:2+n], b[2+n:]
	switch {
	case v[0]&0x80 != 0:
		return nil, nil, errDER // negative
	case n > 1 && v[0] == 0 && v[1]&0x80 == 0:
		return nil, nil, errDER // a redundant leading zero
	}
	if n > 1 && v[0] == 0 {
		v = v[1:]
	}
	return v, rest, nil
}
