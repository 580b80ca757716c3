// SPDX-License-Identifier: BSD-3-Clause

// Package prf implements the TLS 1.2 pseudorandom function (RFC 5246 §5)
// and the DTLS 1.2 key schedule built on it.
package prf

import (
	"encoding/binary"
	"hash"

	"github.com/tinydtls-go/tinydtls/core/hmac"
)

// Labels of the key schedule (RFC 5246 §8.1, §6.3, §7.4.9; RFC 7627 §4).
const (
	LabelMasterSecret         = "master secret"
	LabelExtendedMasterSecret = "extended master secret"
	LabelKeyExpansion         = "key expansion"
	LabelClientFinished       = "client finished"
	LabelServerFinished       = "server finished"
)

// PHash computes P_hash(secret, label || seed1 || seed2) (RFC 5246 §5) into
// out, filling all len(out) bytes. The seed is passed in pieces so that
// callers need not concatenate label and randoms; empty pieces are simply
// absent, as with upstream's NULL seeds.
func PHash(newHash func() hash.Hash, secret, label, seed1, seed2, out []byte) {
	if len(out) != 0 {
		pHash(hmac.New(newHash, secret), label, seed1, seed2, out)
	}
}

// pHash is PHash with h, an HMAC keyed with the secret.
func pHash(h hash.Hash, label, seed1, seed2, out []byte) {
	size := h.Size()
	// One buffer for A(i) and one output block: Sum appends into it, so
	// no further allocation happens per block.
	buf := make([]byte, 0, 2*size)
	a := buf[:0:size]
	block := buf[size:size]

	h.Write(label)
	h.Write(seed1)
	h.Write(seed2)
	a = h.Sum(a[:0]) // A(1)
	for {
		h.Reset()
		h.Write(a)
		h.Write(label)
		h.Write(seed1)
		h.Write(seed2)
		block = h.Sum(block[:0])
		n := copy(out, block)
		out = out[n:]
		if len(out) == 0 {
			break
		}
		h.Reset()
		h.Write(a)
		a = h.Sum(a[:0]) // A(i+1)
	}
	clear(buf[:2*size])
}

// PRF is the TLS 1.2 PRF with SHA-256: P_SHA256(secret, label || seed1 ||
// seed2), written to all of out.
func PRF(secret, label, seed1, seed2, out []byte) {
	if len(out) == 0 {
		return
	}
	h := hmac.SHA256(secret)
	pHash(h, label, seed1, seed2, out)
	hmac.Done(h)
}

// MasterSecret derives the 48-byte master secret (RFC 5246 §8.1).
func MasterSecret(preMaster, clientRandom, serverRandom []byte) [48]byte {
	var ms [48]byte
	PRF(preMaster, []byte(LabelMasterSecret), clientRandom, serverRandom, ms[:])
	return ms
}

// ExtendedMasterSecret derives the master secret from the session hash
// (RFC 7627 §4).
func ExtendedMasterSecret(preMaster, sessionHash []byte) [48]byte {
	var ms [48]byte
	PRF(preMaster, []byte(LabelExtendedMasterSecret), sessionHash, nil, ms[:])
	return ms
}

// KeyBlock expands the master secret into len(out) bytes of key material
// (RFC 5246 §6.3). Note the seed order: server random first.
func KeyBlock(master []byte, serverRandom, clientRandom []byte, out []byte) {
	PRF(master, []byte(LabelKeyExpansion), serverRandom, clientRandom, out)
}

// VerifyData computes the 12-byte Finished verify_data (RFC 5246 §7.4.9);
// label is LabelClientFinished or LabelServerFinished.
func VerifyData(master []byte, label string, handshakeHash []byte) [12]byte {
	var vd [12]byte
	PRF(master, []byte(label), handshakeHash, nil, vd[:])
	return vd
}

// PSKPreMasterSecret builds the plain-PSK premaster secret of RFC 4279 §2:
// uint16(N) || N zero bytes || uint16(N) || psk, with N = len(psk). It
// returns nil if the key is longer than the 16-bit length field allows.
func PSKPreMasterSecret(psk []byte) []byte {
	if len(psk) > 0xFFFF {
		return nil
	}
	out := make([]byte, 4+2*len(psk))
	PSKPreMasterSecretInto(psk, out)
	return out
}

// PSKPreMasterSecretInto has the semantics of upstream's
// dtls_psk_pre_master_secret: it writes the RFC 4279 premaster secret to
// the start of result and returns its length 2*(2+len(psk)), or -1 if
// result is too small or the key is longer than 65535 bytes.
func PSKPreMasterSecretInto(psk, result []byte) int {
	n := len(psk)
	if n > 0xFFFF || len(result) < 2*(2+n) {
		return -1
	}
	binary.BigEndian.PutUint16(result, uint16(n))
	clear(result[2 : 2+n])
	binary.BigEndian.PutUint16(result[2+n:], uint16(n))
	copy(result[4+n:], psk)
	return 2 * (2 + n)
}
