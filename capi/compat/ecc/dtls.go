// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"errors"

	core "github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/p256"
	"github.com/tinydtls-go/tinydtls/core/sysrand"
)

// This file has the crypto.h layer: keys, coordinates and signature values
// are 32-byte big-endian strings (upstream's key_size is always
// DTLS_EC_KEY_SIZE = 32 here and is implied by the slice lengths).

var (
	errSize       = errors.New("ecc: keys, coordinates and hashes must be 32 bytes")
	errResult     = errors.New("ecc: result buffer smaller than 32 bytes")
	errPoint      = errors.New("ecc: public key is not a point on P-256")
	errPrivateKey = errors.New("ecc: private key is zero modulo the group order")
)

// ECDHPreMasterSecret is upstream's dtls_ecdh_pre_master_secret: it writes
// the x-coordinate of priv * (pubX, pubY) to result[:32] and returns 32. As
// upstream it returns -1 if result is shorter than 32 bytes. Unlike
// upstream it also validates its input and returns -1 with an error for a
// peer point that is not on the curve, a private key that is 0 mod n, or
// inputs that are not 32 bytes long. A private key >= n is used mod n, as
// upstream's arithmetic does.
func ECDHPreMasterSecret(priv, pubX, pubY, result []byte) (int, error) {
	if len(priv) != 32 || len(pubX) != 32 || len(pubY) != 32 {
		return -1, errSize
	}
	if len(result) < 32 {
		return -1, errResult
	}
	var k p256.Scalar
	if k.SetReducedBytes((*[32]byte)(priv)).IsZero() == 1 {
		return -1, errPrivateKey
	}
	kb := k.Bytes()
	defer clear(kb[:])
	key, err := p256.NewECDHKey(kb[:])
	if err != nil {
		return -1, err
	}
	// ECDH checks the point as core/ecc.IsOnCurve describes.
	secret, err := key.ECDH(append(append([]byte{4}, pubX...), pubY...))
	if err != nil {
		return -1, errPoint
	}
	copy(result, secret)
	return 32, nil
}

// GenerateKey is upstream's dtls_ecdsa_generate_key: a fresh key pair as
// 32-byte big-endian private key and public coordinates. Randomness comes
// from the system's generator (core/sysrand); upstream draws from
// dtls_prng.
func GenerateKey() (priv, x, y [32]byte, err error) {
	key, err := p256.GenerateECDHKey(sysrand.Reader)
	if err != nil {
		return priv, x, y, err
	}
	copy(priv[:], key.Bytes())
	pub := key.PublicKey()
	copy(x[:], pub[1:33])
	copy(y[:], pub[33:])
	return priv, x, y, nil
}

// ECDSACreateSigHash is upstream's dtls_ecdsa_create_sig_hash: it signs the
// 32-byte hash with the 32-byte private key and returns r and s in
// upstream's uint32_t[9] form (little-endian words, word 0 least
// significant, word 8 zero). The nonce is p256.Sign's, which mixes
// randomness with the key and hash; upstream loops on dtls_prng. The error
// is non-nil for a private key outside [1, n-1] or a hash that is not 32
// bytes, cases upstream does not check.
func ECDSACreateSigHash(priv, hash []byte) (r, s [9]uint32, err error) {
	if len(hash) != 32 {
		return r, s, errSize
	}
	key, err := p256.NewPrivateKey(priv)
	if err != nil {
		return r, s, err
	}
	rb, sb, err := p256.Sign(key, hash, sysrand.Reader)
	if err != nil {
		return r, s, err
	}
	setWords(r[:], &rb)
	setWords(s[:], &sb)
	return r, s, nil
}

// ECDSACreateSig is upstream's dtls_ecdsa_create_sig: ECDSACreateSigHash
// over core.HandshakeHash(clientRandom, serverRandom, keyxParams).
func ECDSACreateSig(priv, clientRandom, serverRandom, keyxParams []byte) (r, s [9]uint32, err error) {
	h := core.HandshakeHash(clientRandom, serverRandom, keyxParams)
	return ECDSACreateSigHash(priv, h[:])
}

// ECDSAVerifySigHash is upstream's dtls_ecdsa_verify_sig_hash: it returns 0
// if the 32-byte big-endian (r, s) is a valid signature of hash under the
// public key (pubX, pubY) and -1 otherwise, including for inputs that are
// not 32 bytes long (see EcdsaValidate for the checks).
func ECDSAVerifySigHash(pubX, pubY, hash, r, s []byte) int {
	if len(pubX) != 32 || len(pubY) != 32 || len(hash) != 32 || len(r) != 32 || len(s) != 32 {
		return -1
	}
	var x, y, e, rw, sw [8]uint32
	WordsFromKey(pubX, x[:])
	WordsFromKey(pubY, y[:])
	WordsFromKey(hash, e[:])
	WordsFromKey(r, rw[:])
	WordsFromKey(s, sw[:])
	return EcdsaValidate(x[:], y[:], e[:], rw[:], sw[:])
}

// ECDSAVerifySig is upstream's dtls_ecdsa_verify_sig: ECDSAVerifySigHash
// over core.HandshakeHash(clientRandom, serverRandom, keyxParams).
func ECDSAVerifySig(pubX, pubY, clientRandom, serverRandom, keyxParams, r, s []byte) int {
	h := core.HandshakeHash(clientRandom, serverRandom, keyxParams)
	return ECDSAVerifySigHash(pubX, pubY, h[:], r, s)
}

// ECKeyASN1FromUint32 is upstream's dtls_ec_key_asn1_from_uint32: it writes
// the keySize-byte number held in the little-endian words key (keySize/4 of
// them) as a DER INTEGER to buf: the tag 0x02, a one-byte length and the
// big-endian value without leading zero bytes, with one 0x00 prepended when
// the top bit would otherwise make it negative. It returns the number of
// bytes written (length + 2), at most keySize+3. As upstream it returns 0
// for a value of zero; it also returns 0, writing nothing, when keySize is
// not a positive multiple of 4 up to 124, key has fewer than keySize/4
// words, or buf is too small for the encoding.
func ECKeyASN1FromUint32(key []uint32, keySize int, buf []byte) int {
	if keySize <= 0 || keySize%4 != 0 || keySize > 124 || len(key) < keySize/4 {
		return 0
	}
	v := make([]byte, keySize)
	KeyFromWords(key[:keySize/4], v)
	i := 0
	for i < len(v) && v[i] == 0 {
		i++
	}
	if i == len(v) {
		return 0
	}
	v = v[i:]
	pad := 0
	if v[0] >= 0x80 {
		pad = 1
	}
	n := pad + len(v)
	if len(buf) < n+2 {
		return 0
	}
	buf[0] = 0x02
	buf[1] = byte(n)
	buf[2] = 0
	copy(buf[2+pad:], v)
	return n + 2
}
