package handshake13

import (
	"golang.org/x/crypto/cryptobyte"
)

// Extension is one raw extension of a 1.3 message.
type Extension struct {
	Type uint16
	Data []byte
}

// ParseExtensions decodes an extensions block (with its uint16 length)
// from s into raw extensions; a type that appears twice is malformed (RFC
// 8446 §4.2).
func ParseExtensions(s *cryptobyte.String) ([]Extension, bool) {
	var block cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&block) {
		return nil, false
	}
	var out []Extension
	for !block.Empty() {
		var e Extension
		var data cryptobyte.String
		if !block.ReadUint16(&e.Type) || !block.ReadUint16LengthPrefixed(&data) {
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
	bld := cryptobyte.NewBuilder(b)
	bld.AddUint16LengthPrefixed(func(l *cryptobyte.Builder) {
		for _, e := range exts {
			l.AddUint16(e.Type)
			l.AddUint16LengthPrefixed(func(d *cryptobyte.Builder) { d.AddBytes(e.Data) })
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
	s := cryptobyte.String(body)
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
	s := cryptobyte.String(body)
	var ctx, list cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&ctx) || !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return c, false
	}
	c.Context = ctx
	for !list.Empty() {
		var data cryptobyte.String
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
	bld := cryptobyte.NewBuilder(b)
	bld.AddUint8LengthPrefixed(func(l *cryptobyte.Builder) { l.AddBytes(c.Context) })
	bld.AddUint24LengthPrefixed(func(l *cryptobyte.Builder) {
		for _, e := range c.Entries {
			l.AddUint24LengthPrefixed(func(d *cryptobyte.Builder) { d.AddBytes(e) })
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
	s := cryptobyte.String(body)
	var ctx cryptobyte.String
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
	s := cryptobyte.String(body)
	var lifetime, ageAdd uint32
	var nonce, ticket cryptobyte.String
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
