// SPDX-License-Identifier: BSD-3-Clause

package handshake13

import (
	"github.com/tinydtls-go/tinydtls/core/wire"
)

// Extension is one raw extension of a 1.3 message.
type Extension struct {
	Type uint16
	Data []byte
}

// MaxExtensions bounds the extensions of one message: about 60 types are
// assigned, and a spoofed ClientHello of thousands of empty ones would
// otherwise cost the stateless server, before any cookie, 32 bytes of
// memory per 4 bytes sent and a duplicate check of quadratic time (50 ms
// for a 60 KB datagram).
const MaxExtensions = 256

// ParseExtensions decodes an extensions block (with its uint16 length)
// from s into raw extensions; a type that appears twice is malformed (RFC
// 8446 §4.2).
func ParseExtensions(s *wire.String) ([]Extension, bool) {
	var block wire.String
	if !s.ReadUint16LengthPrefixed(&block) {
		return nil, false
	}
	var out []Extension
	for !block.Empty() {
		var e Extension
		var data wire.String
		if !block.ReadUint16(&e.Type) || !block.ReadUint16LengthPrefixed(&data) || len(out) == MaxExtensions {
			return nil, false
		}
		for _, o := range out {
			if o.Type == e.Type {
				return nil, false
			}
		}
		e.Data = data
		out = append(out, e)
	}
	return out, true
}

// AppendExtensions encodes an extensions block with its uint16 length.
func AppendExtensions(b []byte, exts []Extension) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint16LengthPrefixed(func(l *wire.Builder) {
		for _, e := range exts {
			l.AddUint16(e.Type)
			l.AddUint16LengthPrefixed(func(d *wire.Builder) { d.AddBytes(e.Data) })
		}
	})
	return bld.BytesOrPanic()
}

// Find returns the data of the extension of type t.
func Find(exts []Extension, t uint16) ([]byte, bool) {
	for _, e := range exts {
		if e.Type == t {
			return e.Data, true
		}
	}
	return nil, false
}

// ParseEncryptedExtensions decodes an EncryptedExtensions body.
func ParseEncryptedExtensions(body []byte) ([]Extension, bool) {
	s := wire.String(body)
	exts, ok := ParseExtensions(&s)
	return exts, ok && s.Empty()
}

// Certificate is the 1.3 Certificate message (RFC 8446 §4.4.2). With raw
// public keys (RFC 7250 §3) each entry's data is a SubjectPublicKeyInfo.
type Certificate struct {
	Context []byte
	Entries [][]byte // cert_data of each entry; entry extensions are dropped
}

// ParseCertificate decodes a Certificate body.
func ParseCertificate(body []byte) (Certificate, bool) {
	var c Certificate
	s := wire.String(body)
	var ctx, list wire.String
	if !s.ReadUint8LengthPrefixed(&ctx) || !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return c, false
	}
	c.Context = ctx
	for !list.Empty() {
		var data wire.String
		if !list.ReadUint24LengthPrefixed(&data) || data.Empty() {
			return c, false
		}
		if _, ok := ParseExtensions(&list); !ok {
			return c, false
		}
		c.Entries = append(c.Entries, data)
	}
	return c, true
}

// AppendCertificate encodes a Certificate body, each entry without
// extensions.
func AppendCertificate(b []byte, c *Certificate) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint8LengthPrefixed(func(l *wire.Builder) { l.AddBytes(c.Context) })
	bld.AddUint24LengthPrefixed(func(l *wire.Builder) {
		for _, e := range c.Entries {
			l.AddUint24LengthPrefixed(func(d *wire.Builder) { d.AddBytes(e) })
			l.AddUint16(0)
		}
	})
	return bld.BytesOrPanic()
}

// CertificateRequest is the 1.3 CertificateRequest (RFC 8446 §4.3.2).
type CertificateRequest struct {
	Context    []byte
	Extensions []Extension
}

// ParseCertificateRequest decodes a CertificateRequest body; it must
// carry signature_algorithms.
func ParseCertificateRequest(body []byte) (CertificateRequest, bool) {
	var cr CertificateRequest
	s := wire.String(body)
	var ctx wire.String
	if !s.ReadUint8LengthPrefixed(&ctx) {
		return cr, false
	}
	exts, ok := ParseExtensions(&s)
	if !ok || !s.Empty() {
		return cr, false
	}
	if _, ok := Find(exts, extSignatureAlgorithms); !ok {
		return cr, false
	}
	cr.Context, cr.Extensions = ctx, exts
	return cr, true
}

// AppendCertificateRequest encodes a CertificateRequest body.
func AppendCertificateRequest(b []byte, cr *CertificateRequest) []byte {
	b = append(b, byte(len(cr.Context)))
	b = append(b, cr.Context...)
	return AppendExtensions(b, cr.Extensions)
}

const extSignatureAlgorithms uint16 = 13

// KeyUpdate request values (RFC 8446 §4.6.3).
const (
	UpdateNotRequested uint8 = 0
	UpdateRequested    uint8 = 1
)

// ParseKeyUpdate decodes a KeyUpdate body.
func ParseKeyUpdate(body []byte) (uint8, bool) {
	if len(body) != 1 || body[0] > UpdateRequested {
		return 0, false
	}
	return body[0], true
}

// NewSessionTicket is decoded only to be checked and dropped: we offer no
// resumption.
func ParseNewSessionTicket(body []byte) bool {
	s := wire.String(body)
	var lifetime, ageAdd uint32
	var nonce, ticket wire.String
	if !s.ReadUint32(&lifetime) || !s.ReadUint32(&ageAdd) || !s.ReadUint8LengthPrefixed(&nonce) ||
		!s.ReadUint16LengthPrefixed(&ticket) || ticket.Empty() {
		return false
	}
	_, ok := ParseExtensions(&s)
	return ok && s.Empty()
}

// MessageHash is the synthetic handshake message that replaces the first
// ClientHello in the transcript after a HelloRetryRequest (RFC 8446
// §4.4.1): type message_hash, length 32, the hash of that ClientHello.
func MessageHash(clientHelloHash []byte) []byte {
	b := []byte{TypeMessageHash, 0, 0, byte(len(clientHelloHash))}
	return append(b, clientHelloHash...)
}

// ClientHello is a ClientHello as DTLS 1.3 reads it (RFC 9147 §5.3): the
// fixed fields, and the extensions raw, in order. Its byte slices alias
// the body it was parsed from.
type ClientHello struct {
	Version      uint16
	Random       []byte
	SessionID    []byte // legacy_session_id
	Cookie       []byte // legacy_cookie, empty in 1.3
	CipherSuites []uint16
	Compression  []byte
	Extensions   []Extension
}

// ParseClientHello decodes a ClientHello body. A missing extensions block
// is an empty list; one that does not fill the rest of the body, or holds
// an extension twice, is malformed.
func ParseClientHello(body []byte) (ClientHello, bool) {
	var ch ClientHello
	s := wire.String(body)
	var random, sid, cookie, suites, comp wire.String
	if !s.ReadUint16(&ch.Version) || !s.ReadBytes((*[]byte)(&random), 32) ||
		!s.ReadUint8LengthPrefixed(&sid) || len(sid) > 32 || !s.ReadUint8LengthPrefixed(&cookie) ||
		!s.ReadUint16LengthPrefixed(&suites) || suites.Empty() || len(suites)%2 != 0 ||
		!s.ReadUint8LengthPrefixed(&comp) || comp.Empty() {
		return ch, false
	}
	ch.Random, ch.SessionID, ch.Cookie, ch.Compression = random, sid, cookie, comp
	for !suites.Empty() {
		var id uint16
		suites.ReadUint16(&id)
		ch.CipherSuites = append(ch.CipherSuites, id)
	}
	if s.Empty() {
		return ch, true
	}
	exts, ok := ParseExtensions(&s)
	if !ok || !s.Empty() {
		return ch, false
	}
	ch.Extensions = exts
	return ch, true
}

// ServerHello is a ServerHello or HelloRetryRequest as DTLS 1.3 reads and
// writes it (RFC 8446 §4.1.3). Parsed, its byte slices alias the body.
type ServerHello struct {
	Version     uint16
	Random      []byte // 32 bytes
	SessionID   []byte // legacy_session_id_echo
	CipherSuite uint16
	Compression uint8
	Extensions  []Extension
}

// IsHelloRetryRequest reports whether the ServerHello is a
// HelloRetryRequest: its random is the special value.
func (sh *ServerHello) IsHelloRetryRequest() bool {
	return string(sh.Random) == string(HelloRetryRequestRandom[:])
}

// ParseServerHello decodes a ServerHello or HelloRetryRequest body.
func ParseServerHello(body []byte) (ServerHello, bool) {
	var sh ServerHello
	s := wire.String(body)
	var random, sid wire.String
	if !s.ReadUint16(&sh.Version) || !s.ReadBytes((*[]byte)(&random), 32) ||
		!s.ReadUint8LengthPrefixed(&sid) || len(sid) > 32 ||
		!s.ReadUint16(&sh.CipherSuite) || !s.ReadUint8(&sh.Compression) {
		return sh, false
	}
	sh.Random, sh.SessionID = random, sid
	if s.Empty() {
		return sh, true
	}
	exts, ok := ParseExtensions(&s)
	if !ok || !s.Empty() {
		return sh, false
	}
	sh.Extensions = exts
	return sh, true
}

// AppendServerHello encodes a ServerHello or HelloRetryRequest body.
func AppendServerHello(b []byte, sh *ServerHello) []byte {
	b = append(b, byte(sh.Version>>8), byte(sh.Version))
	b = append(b, sh.Random...)
	b = append(b, byte(len(sh.SessionID)))
	b = append(b, sh.SessionID...)
	b = append(b, byte(sh.CipherSuite>>8), byte(sh.CipherSuite), sh.Compression)
	return AppendExtensions(b, sh.Extensions)
}

// ClientHelloExtension finds the extension of type t in a ClientHello body
// without decoding the rest (and without allocating): a server uses it to
// tell a 1.3 ClientHello (supported_versions) from a 1.2 one. ok is false
// if the body is not a well-formed ClientHello up to and through its
// extensions block.
func ClientHelloExtension(body []byte, t uint16) (data []byte, found, ok bool) {
	s := wire.String(body)
	var skip wire.String
	if !s.Skip(2+32) || !s.ReadUint8LengthPrefixed(&skip) || !s.ReadUint8LengthPrefixed(&skip) ||
		!s.ReadUint16LengthPrefixed(&skip) || !s.ReadUint8LengthPrefixed(&skip) {
		return nil, false, false
	}
	if s.Empty() {
		return nil, false, true
	}
	var block wire.String
	if !s.ReadUint16LengthPrefixed(&block) || !s.Empty() {
		return nil, false, false
	}
	for !block.Empty() {
		var typ uint16
		var d wire.String
		if !block.ReadUint16(&typ) || !block.ReadUint16LengthPrefixed(&d) {
			return nil, false, false
		}
		if typ == t && !found {
			data, found = d, true
		}
	}
	return data, found, true
}
