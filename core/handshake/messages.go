// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/wire"
)

// maxSessionIDLen is the upper bound of SessionID<0..32> (RFC 5246 §7.4.1.2).
const maxSessionIDLen = 32

// cloneBytes copies b so that decoded messages never alias their input.
// Empty vectors become nil, which keeps round-trip comparisons exact.
func cloneBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

func readU8Vec(s *wire.String, out *[]byte) bool {
	var v wire.String
	if !s.ReadUint8LengthPrefixed(&v) {
		return false
	}
	*out = cloneBytes(v)
	return true
}

func readU16Vec(s *wire.String, out *[]byte) bool {
	var v wire.String
	if !s.ReadUint16LengthPrefixed(&v) {
		return false
	}
	*out = cloneBytes(v)
	return true
}

func readU24Vec(s *wire.String, out *[]byte) bool {
	var v wire.String
	if !s.ReadUint24LengthPrefixed(&v) {
		return false
	}
	*out = cloneBytes(v)
	return true
}

// readU16List reads a uint16-prefixed vector of uint16 values. Every such
// list in the messages we parse has at least one element (<2..2^16-2>), and
// an odd byte length is malformed rather than something to round down: the
// latter is how CVE-2021-42143 read past a buffer.
func readU16List(s *wire.String, out *[]uint16) bool {
	var v wire.String
	if !s.ReadUint16LengthPrefixed(&v) || len(v) == 0 || len(v)%2 != 0 {
		return false
	}
	list := make([]uint16, len(v)/2)
	for i := range list {
		list[i] = uint16(v[2*i])<<8 | uint16(v[2*i+1])
	}
	*out = list
	return true
}

func addU8Vec(b *wire.Builder, v []byte) {
	b.AddUint8LengthPrefixed(func(b *wire.Builder) { b.AddBytes(v) })
}

func addU16Vec(b *wire.Builder, v []byte) {
	b.AddUint16LengthPrefixed(func(b *wire.Builder) { b.AddBytes(v) })
}

func addU16List(b *wire.Builder, list []uint16) {
	b.AddUint16LengthPrefixed(func(b *wire.Builder) {
		for _, x := range list {
			b.AddUint16(x)
		}
	})
}

func addSessionID(b *wire.Builder, id []byte) {
	if len(id) > maxSessionIDLen {
		panic("handshake: session ID longer than 32 bytes")
	}
	addU8Vec(b, id)
}

// HelloRequest (RFC 5246 §7.4.1.1) has an empty body.
type HelloRequest struct{}

// Marshal appends the (empty) body.
func (m *HelloRequest) Marshal(b []byte) []byte { return b }

// Unmarshal accepts only an empty body.
func (m *HelloRequest) Unmarshal(body []byte) bool { return len(body) == 0 }

// ServerHelloDone (RFC 5246 §7.4.5) has an empty body.
type ServerHelloDone struct{}

// Marshal appends the (empty) body.
func (m *ServerHelloDone) Marshal(b []byte) []byte { return b }

// Unmarshal accepts only an empty body.
func (m *ServerHelloDone) Unmarshal(body []byte) bool { return len(body) == 0 }

// ClientHello is the DTLS ClientHello (RFC 6347 §4.2.1), which differs from
// TLS by the cookie after the session ID.
type ClientHello struct {
	Version            uint16
	Random             [protocol.RandomLen]byte
	SessionID          []byte // <= 32 bytes
	Cookie             []byte // <= 255 bytes
	CipherSuites       []uint16
	CompressionMethods []uint8
	Extensions         Extensions
}

// Marshal appends the body. Extensions are omitted entirely when none is set.
func (m *ClientHello) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	m.buildPrefix(bld, true)
	m.Extensions.build(bld, false)
	return bld.BytesOrPanic()
}

// CookieInput appends the fields a stateless server binds its cookie to:
// client_version, random, session_id, cipher_suites and compression_methods,
// each with its length prefix exactly as on the wire. The cookie itself is
// left out because the first ClientHello has none, and the extensions
// because RFC 6347 §4.2.1 requires only the listed fields to be repeated
// unchanged in the ClientHello that returns the cookie.
func (m *ClientHello) CookieInput(b []byte) []byte {
	bld := wire.NewBuilder(b)
	m.buildPrefix(bld, false)
	return bld.BytesOrPanic()
}

func (m *ClientHello) buildPrefix(b *wire.Builder, withCookie bool) {
	b.AddUint16(m.Version)
	b.AddBytes(m.Random[:])
	addSessionID(b, m.SessionID)
	if withCookie {
		addU8Vec(b, m.Cookie)
	}
	addU16List(b, m.CipherSuites)
	addU8Vec(b, m.CompressionMethods)
}

// Unmarshal decodes a ClientHello body. An absent extensions block and an
// empty one both decode to a zero Extensions.
func (m *ClientHello) Unmarshal(body []byte) bool {
	*m = ClientHello{}
	s := wire.String(body)
	return s.ReadUint16(&m.Version) &&
		s.CopyBytes(m.Random[:]) &&
		readU8Vec(&s, &m.SessionID) && len(m.SessionID) <= maxSessionIDLen &&
		readU8Vec(&s, &m.Cookie) &&
		readU16List(&s, &m.CipherSuites) &&
		readU8Vec(&s, &m.CompressionMethods) && len(m.CompressionMethods) > 0 &&
		readExtensions(&s, &m.Extensions, false)
}

// ClientHelloRandom returns the random of a ClientHello from the first
// fragment of its body (client_version, then the random), without reading
// the rest; ok is false if the fragment is too short to hold it.
func ClientHelloRandom(frag []byte) (random []byte, ok bool) {
	if len(frag) < 2+protocol.RandomLen {
		return nil, false
	}
	return frag[2 : 2+protocol.RandomLen], true
}

// HelloVerifyRequest is the DTLS stateless cookie challenge (RFC 6347
// §4.2.1).
type HelloVerifyRequest struct {
	Version uint16
	Cookie  []byte // <= 255 bytes
}

// Marshal appends the body.
func (m *HelloVerifyRequest) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint16(m.Version)
	addU8Vec(bld, m.Cookie)
	return bld.BytesOrPanic()
}

// Unmarshal decodes a HelloVerifyRequest body.
func (m *HelloVerifyRequest) Unmarshal(body []byte) bool {
	*m = HelloVerifyRequest{}
	s := wire.String(body)
	return s.ReadUint16(&m.Version) && readU8Vec(&s, &m.Cookie) && s.Empty()
}

// ServerHello (RFC 5246 §7.4.1.3).
type ServerHello struct {
	Version           uint16
	Random            [protocol.RandomLen]byte
	SessionID         []byte // <= 32 bytes
	CipherSuite       uint16
	CompressionMethod uint8
	Extensions        Extensions
}

// Marshal appends the body. Extensions are omitted entirely when none is set.
func (m *ServerHello) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint16(m.Version)
	bld.AddBytes(m.Random[:])
	addSessionID(bld, m.SessionID)
	bld.AddUint16(m.CipherSuite)
	bld.AddUint8(m.CompressionMethod)
	m.Extensions.build(bld, true)
	return bld.BytesOrPanic()
}

// Unmarshal decodes a ServerHello body. An absent extensions block and an
// empty one both decode to a zero Extensions.
func (m *ServerHello) Unmarshal(body []byte) bool {
	*m = ServerHello{}
	s := wire.String(body)
	return s.ReadUint16(&m.Version) &&
		s.CopyBytes(m.Random[:]) &&
		readU8Vec(&s, &m.SessionID) && len(m.SessionID) <= maxSessionIDLen &&
		s.ReadUint16(&m.CipherSuite) &&
		s.ReadUint8(&m.CompressionMethod) &&
		readExtensions(&s, &m.Extensions, true)
}

// Certificate carries an RFC 7250 raw public key: the DER
// SubjectPublicKeyInfo behind a 3-byte length. The ASN.1 is not parsed here.
// An empty SPKI is accepted because a client that has no key answers a
// CertificateRequest with an empty Certificate.
type Certificate struct {
	SPKI []byte
}

// Marshal appends the body.
func (c *Certificate) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint24LengthPrefixed(func(b *wire.Builder) { b.AddBytes(c.SPKI) })
	return bld.BytesOrPanic()
}

// Unmarshal decodes a raw-public-key Certificate body.
func (c *Certificate) Unmarshal(body []byte) bool {
	*c = Certificate{}
	s := wire.String(body)
	return readU24Vec(&s, &c.SPKI) && s.Empty()
}

// ServerKeyExchangePSK carries the PSK identity hint (RFC 4279 §2).
type ServerKeyExchangePSK struct {
	Hint []byte
}

// Marshal appends the body.
func (m *ServerKeyExchangePSK) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	addU16Vec(bld, m.Hint)
	return bld.BytesOrPanic()
}

// Unmarshal decodes a PSK ServerKeyExchange body.
func (m *ServerKeyExchangePSK) Unmarshal(body []byte) bool {
	*m = ServerKeyExchangePSK{}
	s := wire.String(body)
	return readU16Vec(&s, &m.Hint) && s.Empty()
}

// ServerKeyExchangeECDHE is the signed ECDHE key share of RFC 4492 §5.4 in
// its TLS 1.2 form, where a SignatureAndHashAlgorithm precedes the signature.
type ServerKeyExchangeECDHE struct {
	CurveType  uint8 // only named_curve (3) is decodable
	NamedCurve uint16
	PublicKey  []byte // encoded point, 1..255 bytes
	HashAlg    uint8
	SigAlg     uint8
	Signature  []byte
}

// Params returns the ServerECDHParams bytes the signature covers (after the
// two randoms): curve_type, named_curve and the length-prefixed point.
func (m *ServerKeyExchangeECDHE) Params() []byte {
	bld := wire.NewBuilder(nil)
	m.buildParams(bld)
	return bld.BytesOrPanic()
}

func (m *ServerKeyExchangeECDHE) buildParams(b *wire.Builder) {
	b.AddUint8(m.CurveType)
	b.AddUint16(m.NamedCurve)
	addU8Vec(b, m.PublicKey)
}

// Marshal appends the body.
func (m *ServerKeyExchangeECDHE) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	m.buildParams(bld)
	bld.AddUint8(m.HashAlg)
	bld.AddUint8(m.SigAlg)
	addU16Vec(bld, m.Signature)
	return bld.BytesOrPanic()
}

// Unmarshal decodes an ECDHE ServerKeyExchange body. Curve types other than
// named_curve change the layout of the parameters (RFC 4492 §5.4) and are
// rejected, since nothing after them could be located.
func (m *ServerKeyExchangeECDHE) Unmarshal(body []byte) bool {
	*m = ServerKeyExchangeECDHE{}
	s := wire.String(body)
	return s.ReadUint8(&m.CurveType) && m.CurveType == protocol.CurveTypeNamedCurve &&
		s.ReadUint16(&m.NamedCurve) &&
		readU8Vec(&s, &m.PublicKey) && len(m.PublicKey) > 0 &&
		s.ReadUint8(&m.HashAlg) &&
		s.ReadUint8(&m.SigAlg) &&
		readU16Vec(&s, &m.Signature) &&
		s.Empty()
}

// CertificateRequest in its TLS 1.2 form (RFC 5246 §7.4.4).
type CertificateRequest struct {
	CertificateTypes    []uint8  // at least one
	SignatureAlgorithms []uint16 // at least one (hash<<8 | signature)
	// CertificateAuthorities is the content of the uint16-prefixed
	// certificate_authorities vector: a sequence of uint16-prefixed
	// DistinguishedNames. It is kept raw because raw-public-key peers have
	// no use for it, but Unmarshal checks that it is well formed.
	CertificateAuthorities []byte
}

// Marshal appends the body.
func (m *CertificateRequest) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	addU8Vec(bld, m.CertificateTypes)
	addU16List(bld, m.SignatureAlgorithms)
	addU16Vec(bld, m.CertificateAuthorities)
	return bld.BytesOrPanic()
}

// Unmarshal decodes a CertificateRequest body.
func (m *CertificateRequest) Unmarshal(body []byte) bool {
	*m = CertificateRequest{}
	s := wire.String(body)
	if !readU8Vec(&s, &m.CertificateTypes) || len(m.CertificateTypes) == 0 ||
		!readU16List(&s, &m.SignatureAlgorithms) ||
		!readU16Vec(&s, &m.CertificateAuthorities) || !s.Empty() {
		return false
	}
	cas := wire.String(m.CertificateAuthorities)
	for !cas.Empty() {
		var dn wire.String
		if !cas.ReadUint16LengthPrefixed(&dn) || dn.Empty() {
			return false
		}
	}
	return true
}

// ClientKeyExchangePSK carries the PSK identity (RFC 4279 §2).
type ClientKeyExchangePSK struct {
	Identity []byte
}

// Marshal appends the body.
func (m *ClientKeyExchangePSK) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	addU16Vec(bld, m.Identity)
	return bld.BytesOrPanic()
}

// Unmarshal decodes a PSK ClientKeyExchange body.
func (m *ClientKeyExchangePSK) Unmarshal(body []byte) bool {
	*m = ClientKeyExchangePSK{}
	s := wire.String(body)
	return readU16Vec(&s, &m.Identity) && s.Empty()
}

// ClientKeyExchangeECDHE carries the client's explicit ECDH point (RFC 4492
// §5.7). The implicit (empty) form belongs to fixed-ECDH client
// certificates, which we do not support, so an empty point is malformed.
type ClientKeyExchangeECDHE struct {
	PublicKey []byte
}

// Marshal appends the body.
func (m *ClientKeyExchangeECDHE) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	addU8Vec(bld, m.PublicKey)
	return bld.BytesOrPanic()
}

// Unmarshal decodes an ECDHE ClientKeyExchange body.
func (m *ClientKeyExchangeECDHE) Unmarshal(body []byte) bool {
	*m = ClientKeyExchangeECDHE{}
	s := wire.String(body)
	return readU8Vec(&s, &m.PublicKey) && len(m.PublicKey) > 0 && s.Empty()
}

// CertificateVerify in its TLS 1.2 form (RFC 5246 §7.4.8).
type CertificateVerify struct {
	HashAlg   uint8
	SigAlg    uint8
	Signature []byte
}

// Marshal appends the body.
func (m *CertificateVerify) Marshal(b []byte) []byte {
	bld := wire.NewBuilder(b)
	bld.AddUint8(m.HashAlg)
	bld.AddUint8(m.SigAlg)
	addU16Vec(bld, m.Signature)
	return bld.BytesOrPanic()
}

// Unmarshal decodes a CertificateVerify body.
func (m *CertificateVerify) Unmarshal(body []byte) bool {
	*m = CertificateVerify{}
	s := wire.String(body)
	return s.ReadUint8(&m.HashAlg) && s.ReadUint8(&m.SigAlg) &&
		readU16Vec(&s, &m.Signature) && s.Empty()
}

// Finished carries verify_data, whose length is fixed at 12 bytes by the
// TLS 1.2 PRF that all our cipher suites use.
type Finished struct {
	VerifyData []byte
}

// Marshal appends VerifyData as the body; its length is the caller's (the
// PRF's) responsibility.
func (m *Finished) Marshal(b []byte) []byte { return append(b, m.VerifyData...) }

// Unmarshal accepts exactly protocol.VerifyDataLen bytes.
func (m *Finished) Unmarshal(body []byte) bool {
	*m = Finished{}
	if len(body) != protocol.VerifyDataLen {
		return false
	}
	m.VerifyData = cloneBytes(body)
	return true
}
