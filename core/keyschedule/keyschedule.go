// SPDX-License-Identifier: BSD-3-Clause

// Package keyschedule is the TLS 1.3 key schedule (RFC 8446 §7.1) as DTLS
// 1.3 uses it (RFC 9147 §5.9), for SHA-256, the hash of every suite we
// offer: HKDF-Extract and HKDF-Expand-Label over the early, handshake and
// master secrets, the traffic secrets and keys derived from them, the
// Finished and binder keys, and the traffic secret update of KeyUpdate.
//
// DTLS 1.3 labels carry the prefix "dtls13" where TLS 1.3's carry "tls13 "
// (RFC 9147 §5.9); the prefix is a parameter so that the same code can be
// checked against RFC 8448's TLS 1.3 traces.
package keyschedule

import (
	"crypto/sha256"

	"github.com/tinydtls-go/tinydtls/core/hmac"
)

// Label prefixes.
const (
	DTLS13 = "dtls13"
	TLS13  = "tls13 "
)

// HashLen is the length of every secret and transcript hash (SHA-256).
const HashLen = sha256.Size

// IVLen is the length of the per-record nonce of every AEAD we use (RFC
// 8446 §5.3: max(8, N_MIN) = 12 for AES-GCM and AES-CCM).
const IVLen = 12

// emptyHash is Transcript-Hash("") for Derive-Secret(., "derived", "").
var emptyHash = sha256.Sum256(nil)

// ExpandLabel is HKDF-Expand-Label (RFC 8446 §7.1) with the given label
// prefix: HKDF-Expand(secret, HkdfLabel, length), where HkdfLabel is the
// length, the prefixed label and the context, each length-prefixed.
func ExpandLabel(prefix string, secret []byte, label string, context []byte, length int) []byte {
	full := len(prefix) + len(label)
	info := make([]byte, 0, 2+1+full+1+len(context))
	info = append(info, byte(length>>8), byte(length), byte(full))
	info = append(info, prefix...)
	info = append(info, label...)
	info = append(info, byte(len(context)))
	info = append(info, context...)
	return expand(secret, info, length)
}

// expand is HKDF-Expand (RFC 5869 §2.3) with SHA-256. Every caller asks
// for a key, an IV or a secret, far below the 255 blocks HKDF allows.
func expand(prk, info []byte, length int) []byte {
	if length > 255*HashLen {
		panic("keyschedule: HKDF-Expand length too large")
	}
	m := hmac.New(sha256.New, prk)
	out := make([]byte, 0, (length+HashLen-1)/HashLen*HashLen)
	var t []byte
	for i := byte(1); len(out) < length; i++ {
		m.Reset()
		m.Write(t)
		m.Write(info)
		m.Write([]byte{i})
		out = m.Sum(out)
		t = out[len(out)-HashLen:]
	}
	return out[:length:length]
}

// extract is HKDF-Extract (RFC 5869 §2.2) with SHA-256; an absent ikm is
// HashLen zeros (RFC 8446 §7.1), an absent salt is too (as HMAC pads its
// key with zeros, the empty key is the same key).
func extract(salt, ikm []byte) []byte {
	if ikm == nil {
		ikm = make([]byte, HashLen)
	}
	m := hmac.New(sha256.New, salt)
	m.Write(ikm)
	return m.Sum(nil)
}

// Schedule walks the secrets of one handshake: early secret, handshake
// secret, master secret. It keeps only the current stage's secret.
type Schedule struct {
	prefix string
	secret []byte
}

// New starts a schedule from the pre-shared key, or from zeros when psk is
// nil (a handshake without PSK): Early Secret = HKDF-Extract(0, PSK).
func New(prefix string, psk []byte) *Schedule {
	return &Schedule{prefix: prefix, secret: extract(nil, psk)}
}

// DeriveSecret is Derive-Secret(Secret, Label, Messages), given the
// transcript hash of Messages.
func (s *Schedule) DeriveSecret(label string, transcriptHash []byte) []byte {
	return ExpandLabel(s.prefix, s.secret, label, transcriptHash, HashLen)
}

// BinderKey derives the key that PSK binders are computed with: "ext
// binder" for an external PSK (the only kind we have), "res binder" for a
// resumption PSK.
func (s *Schedule) BinderKey(external bool) []byte {
	label := "res binder"
	if external {
		label = "ext binder"
	}
	return s.DeriveSecret(label, emptyHash[:])
}

// next advances to the following stage: HKDF-Extract(Derive-Secret(secret,
// "derived", ""), ikm).
func (s *Schedule) next(ikm []byte) {
	derived := s.DeriveSecret("derived", emptyHash[:])
	clear(s.secret)
	s.secret = extract(derived, ikm)
}

// Handshake moves from the early secret to the handshake secret with the
// (EC)DHE shared secret, or zeros for a PSK-only handshake (nil).
func (s *Schedule) Handshake(ecdhe []byte) { s.next(ecdhe) }

// Master moves from the handshake secret to the master secret.
func (s *Schedule) Master() { s.next(nil) }

// Secret returns the secret of the current stage (for tests and logs).
func (s *Schedule) Secret() []byte { return s.secret }

// TrafficSecrets derives the client's and the server's traffic secrets of
// the current stage: "c hs traffic"/"s hs traffic" after Handshake, "c ap
// traffic"/"s ap traffic" after Master, over the transcript hash up to
// ServerHello or up to the server's Finished.
func (s *Schedule) TrafficSecrets(transcriptHash []byte, application bool) (client, server []byte) {
	c, sv := "c hs traffic", "s hs traffic"
	if application {
		c, sv = "c ap traffic", "s ap traffic"
	}
	return s.DeriveSecret(c, transcriptHash), s.DeriveSecret(sv, transcriptHash)
}

// Wipe clears the current secret; the schedule cannot be used afterwards.
func (s *Schedule) Wipe() {
	clear(s.secret)
	s.secret = nil
}

// TrafficKeys are the record protection keys of one direction of one
// epoch (RFC 8446 §7.3, RFC 9147 §4.2.3).
type TrafficKeys struct {
	Key []byte // write key
	IV  []byte // write IV, IVLen bytes
	SN  []byte // record number encryption key ("sn")
}

// Keys derives the traffic keys of a traffic secret for an AEAD with keys
// of keyLen bytes.
func Keys(prefix string, secret []byte, keyLen int) TrafficKeys {
	return TrafficKeys{
		Key: ExpandLabel(prefix, secret, "key", nil, keyLen),
		IV:  ExpandLabel(prefix, secret, "iv", nil, IVLen),
		SN:  ExpandLabel(prefix, secret, "sn", nil, keyLen),
	}
}

// NextTrafficSecret is the traffic secret after a KeyUpdate (RFC 8446
// §7.2): HKDF-Expand-Label(secret, "traffic upd", "", Hash.length).
func NextTrafficSecret(prefix string, secret []byte) []byte {
	return ExpandLabel(prefix, secret, "traffic upd", nil, HashLen)
}

// FinishedMAC is the verify_data of a Finished message (RFC 8446 §4.4.4)
// or a PSK binder (§4.2.11.2): HMAC(finished_key, transcript hash), with
// finished_key = HKDF-Expand-Label(baseKey, "finished", "", Hash.length).
func FinishedMAC(prefix string, baseKey, transcriptHash []byte) []byte {
	fk := ExpandLabel(prefix, baseKey, "finished", nil, HashLen)
	m := hmac.New(sha256.New, fk)
	m.Write(transcriptHash)
	clear(fk)
	return m.Sum(nil)
}
