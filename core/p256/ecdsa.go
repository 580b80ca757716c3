// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"io"

	"github.com/tinydtls-go/tinydtls/core/hmac"
)

var errPrivateKey = errors.New("p256: private key not in [1, n-1]")

// PrivateKey is an ECDSA signing key: a scalar d in [1, n-1].
type PrivateKey struct {
	d   Scalar
	enc [32]byte
}

// NewPrivateKey checks the 32-byte big-endian d: 1 <= d < n.
func NewPrivateKey(d []byte) (*PrivateKey, error) {
	k := &PrivateKey{}
	if _, err := k.d.SetBytes(d); err != nil || k.d.IsZero() == 1 {
		return nil, errPrivateKey
	}
	copy(k.enc[:], d)
	return k, nil
}

// PublicKey returns d·G.
func (k *PrivateKey) PublicKey() *PublicKey {
	x, y, ok := ScalarBaseMult(&k.d)
	if !ok {
		panic("p256: private key is zero")
	}
	pub, err := NewPublicKey(x[:], y[:])
	if err != nil {
		panic("p256: d·G is off the curve")
	}
	return pub
}

var errRandom = errors.New("p256: reading randomness failed")

// Sign signs digest (bits2int of FIPS 186-4: its leftmost 256 bits, or a
// shorter one as the number it spells) and returns r and s, 32 bytes each.
//
// The nonce comes from an HMAC_DRBG seeded with the key and the digest, so
// that a broken random source cannot leak the key:
//
//   - rand nil: exactly RFC 6979's deterministic k with HMAC-SHA256 (its
//     test vectors reproduce).
//   - otherwise 32 bytes are read from rand and mixed in, the hedged form
//     of draft-irtf-cfrg-det-sigs-with-noise-04 §4 with HMAC-SHA512, byte
//     for byte the nonce crypto/ecdsa's SignASN1 derives (as of Go 1.26,
//     which reads those 32 bytes from crypto/rand whatever reader it is
//     given; the engine passes its Config.Rand, crypto/rand's unless a
//     test sets another). Matching it keeps the engine's recorded
//     handshakes (testdata/transcripts, made with crypto/ecdsa under
//     seeded randomness) reproducible. RFC 6979 §3.6's additional data
//     would serve as well but gives other signatures.
func Sign(priv *PrivateKey, digest []byte, rand io.Reader) (r, s [32]byte, err error) {
	var e Scalar
	e.setDigest(digest)
	h1 := e.Bytes()
	var g *drbg
	if rand == nil {
		g = newDRBG(sha256.New, false, priv.enc[:], h1[:])
	} else {
		var z [32]byte
		if _, err := io.ReadFull(rand, z[:]); err != nil {
			return r, s, errRandom
		}
		g = newDRBG(sha512.New, true, z[:], priv.enc[:], h1[:])
	}
	return sign(priv, &e, g)
}

// sign draws nonces from g until one gives a signature (RFC 6979 §3.2
// step h: a candidate >= n or 0, or one giving r = 0 or s = 0, is
// skipped).
func sign(priv *PrivateKey, e *Scalar, g *drbg) (r, s [32]byte, err error) {
	var kb [32]byte
	defer clear(kb[:])
	for {
		g.generate(kb[:])
		var k Scalar
		if _, err := k.SetBytes(kb[:]); err != nil || k.IsZero() == 1 {
			continue
		}
		var rs, ss Scalar
		if SignWithNonce(&rs, &ss, &priv.d, e, &k) {
			return rs.Bytes(), ss.Bytes(), nil
		}
	}
}

// SignWithNonce computes the signature equation with the nonce k: r = x(k·G)
// mod n and s = (e + r·d)/k mod n. It reports false when no signature
// results (k = 0, r = 0 or s = 0); r is set in every case (0 for k = 0).
// k and d stay secret: k·G is ScalarBaseMult's constant-time
// multiplication and the rest constant-time scalar arithmetic. Sign draws
// k itself; upstream's ecc_ecdsa_sign takes it from its caller
// (capi/compat/ecc).
func SignWithNonce(r, s, d, e, k *Scalar) bool {
	*r = Scalar{}
	if x, _, ok := ScalarBaseMult(k); ok {
		r.SetReducedBytes(&x)
	}
	if r.IsZero() == 1 {
		return false
	}
	var kInv Scalar
	s.Mul(r, d)
	s.Add(s, e)
	s.Mul(s, kInv.Invert(k))
	return s.IsZero() == 0
}

// Verify reports whether (r, s), big-endian numbers of any length, is a
// valid signature of digest (see Sign) under pub.
//
// The sum u1·G + u2·Q (u1 = e/s, u2 = r/s) is computed as the standard
// asks, so no sign of a y-coordinate is guessed and a signature for -Q
// cannot pass; the point at infinity is rejected. Everything here is
// public, so verifySum (jac.go) takes variable-time shortcuts.
func Verify(pub *PublicKey, digest, r, s []byte) bool {
	var rs, ss Scalar
	if !scalarFromInt(&rs, r) || !scalarFromInt(&ss, s) || rs.IsZero() == 1 || ss.IsZero() == 1 {
		return false
	}
	var e, w, u1, u2 Scalar
	e.setDigest(digest)
	w.Invert(&ss)
	b1, b2 := u1.Mul(&e, &w).Bytes(), u2.Mul(&rs, &w).Bytes()

	rb := rs.Bytes()
	return verifySum(&pub.p, &b1, &b2, &rb)
}

// scalarFromInt sets s to the big-endian b (leading zeros allowed) if it is
// below n.
func scalarFromInt(s *Scalar, b []byte) bool {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) > 32 {
		return false
	}
	var buf [32]byte
	copy(buf[32-len(b):], b)
	_, err := s.SetBytes(buf[:])
	return err == nil
}

// SignASN1 is Sign with the signature DER-encoded (MarshalSignature).
func SignASN1(priv *PrivateKey, digest []byte, rand io.Reader) ([]byte, error) {
	r, s, err := Sign(priv, digest, rand)
	if err != nil {
		return nil, err
	}
	return MarshalSignature(r[:], s[:]), nil
}

// VerifyASN1 is Verify for a DER-encoded signature (ParseSignature).
func VerifyASN1(pub *PublicKey, digest, sig []byte) bool {
	r, s, err := ParseSignature(sig)
	if err != nil {
		return false
	}
	return Verify(pub, digest, r, s)
}

// drbg is SP 800-90A's HMAC_DRBG as RFC 6979 §3.2 uses it, instantiated
// anew for each signature.
type drbg struct {
	newHash func() hash.Hash
	mac     hash.Hash // keyed with K
	v       []byte
	started bool
}

// newDRBG seeds with the concatenation of parts. aligned starts every part
// after the first at a hash block boundary, zero-padded, as
// draft-irtf-cfrg-det-sigs-with-noise-04 §4 (and crypto/ecdsa) does.
func newDRBG(newHash func() hash.Hash, aligned bool, parts ...[]byte) *drbg {
	g := &drbg{newHash: newHash}
	size := newHash().Size()
	k := make([]byte, size)
	g.v = make([]byte, size)
	for i := range g.v {
		g.v[i] = 1
	}
	for _, sep := range []byte{0, 1} {
		// K = HMAC_K(V || sep || seed); V = HMAC_K(V)
		mac := hmac.New(newHash, k)
		mac.Write(g.v)
		mac.Write([]byte{sep})
		written := len(g.v) + 1
		for i, part := range parts {
			if aligned && i > 0 {
				if rem := written % mac.BlockSize(); rem != 0 {
					mac.Write(make([]byte, mac.BlockSize()-rem))
				}
				written = 0
			}
			mac.Write(part)
			written += len(part)
		}
		k = mac.Sum(k[:0])
		g.mac = hmac.New(newHash, k)
		g.mac.Write(g.v)
		g.v = g.mac.Sum(g.v[:0])
	}
	clear(k)
	return g
}

// generate fills out with the next candidate: as many V = HMAC_K(V) as
// it takes (more than one for hashes shorter than 256 bits). Before every
// candidate but the first the state moves on by K = HMAC_K(V || 0x00),
// V = HMAC_K(V) (RFC 6979 §3.2 step h.3).
func (g *drbg) generate(out []byte) {
	if g.started {
		g.mac.Reset()
		g.mac.Write(g.v)
		g.mac.Write([]byte{0})
		k := g.mac.Sum(nil)
		g.mac = hmac.New(g.newHash, k)
		clear(k)
		g.mac.Write(g.v)
		g.v = g.mac.Sum(g.v[:0])
	}
	g.started = true
	for n := 0; n < len(out); {
		g.mac.Reset()
		g.mac.Write(g.v)
		g.v = g.mac.Sum(g.v[:0])
		n += copy(out[n:], g.v)
	}
}
