// SPDX-License-Identifier: BSD-3-Clause

// Package handshake13 holds the wire formats that DTLS 1.3 adds to the
// handshake (RFC 8446 §4 as profiled by RFC 9147 §5): the bodies of the
// extensions that negotiate the version, the key exchange and pre-shared
// keys, and the messages that only 1.3 has (EncryptedExtensions, the 1.3
// Certificate and CertificateRequest, KeyUpdate, NewSessionTicket). The
// ClientHello and ServerHello themselves are shared with DTLS 1.2 and live
// in package handshake; these functions decode and encode the bodies of
// their 1.3 extensions.
//
// Every decoder works on wire strings, reports malformed input with
// false, and never keeps a reference it does not document.
package handshake13

import (
	"crypto/sha256"

	"github.com/tinydtls-go/tinydtls/core/wire"
)

// Extension types (RFC 8446 §4.2).
const (
	ExtPreSharedKey        uint16 = 41
	ExtEarlyData           uint16 = 42
	ExtSupportedVersions   uint16 = 43
	ExtCookie              uint16 = 44
	ExtPSKKeyExchangeModes uint16 = 45
	ExtKeyShare            uint16 = 51
)

// Handshake types only 1.3 has.
const (
	TypeNewSessionTicket    uint8 = 4
	TypeEndOfEarlyData      uint8 = 5
	TypeEncryptedExtensions uint8 = 8
	TypeKeyUpdate           uint8 = 24
	TypeMessageHash         uint8 = 254
)

// PSK key exchange modes (RFC 8446 §4.2.9).
const (
	PSKModeKE    uint8 = 0 // psk_ke
	PSKModeDHEKE uint8 = 1 // psk_dhe_ke
)

// Named groups we offer for key_share.
const (
	GroupSecp256r1 uint16 = 23
	GroupX25519    uint16 = 29
)

// HelloRetryRequestRandom is the ServerHello.random that marks a
// HelloRetryRequest (RFC 8446 §4.1.3): SHA-256("HelloRetryRequest").
var HelloRetryRequestRandom = sha256.Sum256([]byte("HelloRetryRequest"))

// Downgrade sentinels (RFC 8446 §4.1.3): the last 8 bytes of the
// ServerHello.random of a server that supports 1.3 but negotiated 1.2 (or
// an older version) with a client that offered 1.3.
var (
	DowngradeTLS12 = [8]byte{'D', 'O', 'W', 'N', 'G', 'R', 'D', 1}
	DowngradeTLS11 = [8]byte{'D', 'O', 'W', 'N', 'G', 'R', 'D', 0}
)

// ---------------------------------------------------------------------------
// supported_versions

// ParseSupportedVersionsCH decodes the ClientHello form: a list of versions.
func ParseSupportedVersionsCH(data []byte) ([]uint16, bool) {
	s := wire.String(data)
	var list wire.String
	if !s.ReadUint8LengthPrefixed(&list) || !s.Empty() || list.Empty() || len(list)%2 != 0 {
		return nil, false
	}
	var out []uint16
	for !list.Empty() {
		var v uint16
		list.ReadUint16(&v)
		out = append(out, v)
	}
	return out, true
}

// AppendSupportedVersionsCH encodes the ClientHello form.
func AppendSupportedVersionsCH(b []byte, versions []uint16) []byte {
	b = append(b, byte(2*len(versions)))
	for _, v := range versions {
		b = append(b, byte(v>>8), byte(v))
	}
	return b
}

// ParseSupportedVersionsSH decodes the ServerHello/HelloRetryRequest form:
// the selected version.
func ParseSupportedVersionsSH(data []byte) (uint16, bool) {
	s := wire.String(data)
	var v uint16
	if !s.ReadUint16(&v) || !s.Empty() {
		return 0, false
	}
	return v, true
}

// ---------------------------------------------------------------------------
// key_share

// KeyShare is one KeyShareEntry.
type KeyShare struct {
	Group uint16
	Data  []byte
}

func readKeyShare(s *wire.String, ks *KeyShare) bool {
	var data wire.String
	if !s.ReadUint16(&ks.Group) || !s.ReadUint16LengthPrefixed(&data) || data.Empty() {
		return false
	}
	ks.Data = data
	return true
}

// maxKeyShares bounds a ClientHello's key shares, for the reason of
// MaxExtensions: a client sends one or two.
const maxKeyShares = 32

// ParseKeyShareCH decodes the ClientHello form, a list of entries (which
// may be empty: a client that waits for a HelloRetryRequest to name a
// group). A group offered twice is malformed (RFC 8446 §4.2.8).
func ParseKeyShareCH(data []byte) ([]KeyShare, bool) {
	s := wire.String(data)
	var list wire.String
	if !s.ReadUint16LengthPrefixed(&list) || !s.Empty() {
		return nil, false
	}
	var out []KeyShare
	for !list.Empty() {
		var ks KeyShare
		if !readKeyShare(&list, &ks) || len(out) == maxKeyShares {
			return nil, false
		}
		for _, o := range out {
			if o.Group == ks.Group {
				return nil, false
			}
		}
		out = append(out, ks)
	}
	return out, true
}

// AppendKeyShareCH encodes the ClientHello form.
func AppendKeyShareCH(b []byte, shares []KeyShare) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint16LengthPrefixed(func(l *wire.Builder) {
		for _, ks := range shares {
			l.AddUint16(ks.Group)
			l.AddUint16LengthPrefixed(func(d *wire.Builder) { d.AddBytes(ks.Data) })
		}
	})
	return bld.BytesOrPanic()
}

// ParseKeyShareSH decodes the ServerHello form: the server's one entry.
func ParseKeyShareSH(data []byte) (KeyShare, bool) {
	s := wire.String(data)
	var ks KeyShare
	if !readKeyShare(&s, &ks) || !s.Empty() {
		return KeyShare{}, false
	}
	return ks, true
}

// AppendKeyShareSH encodes the ServerHello form.
func AppendKeyShareSH(b []byte, ks KeyShare) []byte {
	b = append(b, byte(ks.Group>>8), byte(ks.Group), byte(len(ks.Data)>>8), byte(len(ks.Data)))
	return append(b, ks.Data...)
}

// ParseKeyShareHRR decodes the HelloRetryRequest form: the group the
// server wants a share for.
func ParseKeyShareHRR(data []byte) (uint16, bool) {
	s := wire.String(data)
	var g uint16
	if !s.ReadUint16(&g) || !s.Empty() {
		return 0, false
	}
	return g, true
}

// ---------------------------------------------------------------------------
// psk_key_exchange_modes

// ParsePSKModes decodes the list of modes.
func ParsePSKModes(data []byte) ([]uint8, bool) {
	s := wire.String(data)
	var list wire.String
	if !s.ReadUint8LengthPrefixed(&list) || !s.Empty() || list.Empty() {
		return nil, false
	}
	return []uint8(list), true
}

// AppendPSKModes encodes the list of modes.
func AppendPSKModes(b []byte, modes []uint8) []byte {
	b = append(b, byte(len(modes)))
	return append(b, modes...)
}

// ---------------------------------------------------------------------------
// pre_shared_key

// PSKIdentity is one offered identity.
type PSKIdentity struct {
	Identity []byte
	Age      uint32 // obfuscated_ticket_age; 0 for external PSKs
}

// OfferedPSKs is the ClientHello form of pre_shared_key: the identities
// and one binder per identity.
type OfferedPSKs struct {
	Identities []PSKIdentity
	Binders    [][]byte
}

// ParsePreSharedKeyCH decodes the ClientHello form. It returns, besides
// the offer, the length of the binders list including its own 2-byte
// length: the partial ClientHello that binders cover ends that many bytes
// before the end of the ClientHello (RFC 8446 §4.2.11.2), as
// pre_shared_key must be its last extension.
func ParsePreSharedKeyCH(data []byte) (OfferedPSKs, int, bool) {
	var o OfferedPSKs
	s := wire.String(data)
	var ids, binders wire.String
	if !s.ReadUint16LengthPrefixed(&ids) || ids.Empty() {
		return o, 0, false
	}
	bindersLen := len(s)
	if !s.ReadUint16LengthPrefixed(&binders) || !s.Empty() || binders.Empty() {
		return o, 0, false
	}
	for !ids.Empty() {
		var id wire.String
		var pi PSKIdentity
		if !ids.ReadUint16LengthPrefixed(&id) || id.Empty() || !ids.ReadUint32(&pi.Age) {
			return o, 0, false
		}
		pi.Identity = id
		o.Identities = append(o.Identities, pi)
	}
	for !binders.Empty() {
		var b wire.String
		if !binders.ReadUint8LengthPrefixed(&b) || len(b) < 32 {
			return o, 0, false
		}
		o.Binders = append(o.Binders, b)
	}
	if len(o.Binders) != len(o.Identities) {
		return o, 0, false
	}
	return o, bindersLen, true
}

// AppendPreSharedKeyCH encodes the ClientHello form. Binders may be
// placeholders of the right length, filled in later with FillBinders.
func AppendPreSharedKeyCH(b []byte, o *OfferedPSKs) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint16LengthPrefixed(func(l *wire.Builder) {
		for _, id := range o.Identities {
			l.AddUint16LengthPrefixed(func(d *wire.Builder) { d.AddBytes(id.Identity) })
			l.AddUint32(id.Age)
		}
	})
	bld.AddUint16LengthPrefixed(func(l *wire.Builder) {
		for _, bd := range o.Binders {
			l.AddUint8LengthPrefixed(func(d *wire.Builder) { d.AddBytes(bd) })
		}
	})
	return bld.BytesOrPanic()
}

// BindersLen is the length of the binders list of an offer, its own 2-byte
// length included.
func BindersLen(o *OfferedPSKs) int {
	n := 2
	for _, b := range o.Binders {
		n += 1 + len(b)
	}
	return n
}

// FillBinders writes binders into the binders list at the end of an
// encoded ClientHello body (the list is its last bindersLen bytes).
func FillBinders(clientHello []byte, binders [][]byte) bool {
	n := 2
	for _, b := range binders {
		n += 1 + len(b)
	}
	if len(clientHello) < n {
		return false
	}
	p := len(clientHello) - n + 2
	for _, b := range binders {
		if int(clientHello[p]) != len(b) {
			return false
		}
		copy(clientHello[p+1:], b)
		p += 1 + len(b)
	}
	return true
}

// ParsePreSharedKeySH decodes the ServerHello form: the index of the
// identity the server chose.
func ParsePreSharedKeySH(data []byte) (uint16, bool) {
	s := wire.String(data)
	var i uint16
	if !s.ReadUint16(&i) || !s.Empty() {
		return 0, false
	}
	return i, true
}

// ---------------------------------------------------------------------------
// cookie

// ParseCookie decodes the cookie extension.
func ParseCookie(data []byte) ([]byte, bool) {
	s := wire.String(data)
	var c wire.String
	if !s.ReadUint16LengthPrefixed(&c) || !s.Empty() || c.Empty() {
		return nil, false
	}
	return c, true
}

// AppendCookie encodes the cookie extension.
func AppendCookie(b []byte, cookie []byte) []byte {
	b = append(b, byte(len(cookie)>>8), byte(len(cookie)))
	return append(b, cookie...)
}
