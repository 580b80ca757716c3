// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"bytes"
	"reflect"
	"testing"
)

// codec is what every message type implements.
type codec interface {
	Marshal(b []byte) []byte
	Unmarshal(body []byte) bool
}

// part is one piece of a hand-written wire vector. Pieces with width > 0 are
// length fields, which the tests tamper with.
type part struct {
	b     []byte
	width int
}

func raw(b ...byte) part { return part{b: b} }
func l8(n int) part      { return part{b: []byte{byte(n)}, width: 1} }
func l16(n int) part     { return part{b: []byte{byte(n >> 8), byte(n)}, width: 2} }
func l24(n int) part     { return part{b: []byte{byte(n >> 16), byte(n >> 8), byte(n)}, width: 3} }

// seq returns n bytes counting up from start, as recognisable filler.
func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

type lenField struct{ off, width int }

func join(ps ...part) ([]byte, []lenField) {
	var out []byte
	var lens []lenField
	for _, p := range ps {
		if p.width > 0 {
			lens = append(lens, lenField{len(out), p.width})
		}
		out = append(out, p.b...)
	}
	return out, lens
}

// vector is a hand-checked encoding of a message.
type vector struct {
	name string
	msg  codec        // the decoded form
	new  func() codec // a fresh value of the same type
	wire []part
	// validCut is a prefix length (other than the full length) that still
	// decodes: the end of the fixed part of a hello whose extensions block
	// is optional. -1 if none.
	validCut int
}

func random32(start byte) (r [32]byte) {
	copy(r[:], seq(start, 32))
	return r
}

func vectors() []vector {
	return []vector{
		{
			// A DTLS 1.2 ClientHello as upstream tinydtls sends it for
			// ECDHE-ECDSA after the cookie exchange (RFC 6347 §4.2.1,
			// RFC 5246 §7.4.1.2 and the extension RFCs).
			name: "ClientHello",
			msg: &ClientHello{
				Version:            0xfefd,
				Random:             random32(0x00),
				Cookie:             seq(0xa0, 16),
				CipherSuites:       []uint16{0xc0ae, 0xc0a8},
				CompressionMethods: []uint8{0},
				Extensions: Extensions{
					HasClientCertType: true, ClientCertTypes: []uint8{2},
					HasServerCertType: true, ServerCertTypes: []uint8{2},
					HasSupportedGroups: true, SupportedGroups: []uint16{23},
					HasPointFormats: true, PointFormats: []uint8{0},
					HasSignatureAlgorithms: true, SignatureAlgorithms: []uint16{0x0403},
					ExtendedMasterSecret: true,
					HasRenegotiationInfo: true,
					HasConnectionID:      true, ConnectionID: []byte{0xde, 0xad, 0xbe, 0xef},
					HasRecordSizeLimit: true, RecordSizeLimit: 512,
				},
			},
			new: func() codec { return new(ClientHello) },
			wire: []part{
				raw(0xfe, 0xfd),               // client_version DTLS 1.2
				raw(seq(0x00, 32)...),         // random
				l8(0),                         // session_id
				l8(16), raw(seq(0xa0, 16)...), // cookie
				l16(4), raw(0xc0, 0xae, 0xc0, 0xa8), // cipher_suites
				l8(1), raw(0), // compression_methods: null
				l16(58),                              // extensions
				raw(0x00, 19), l16(2), l8(1), raw(2), // client_certificate_type: [RawPublicKey]
				raw(0x00, 20), l16(2), l8(1), raw(2), // server_certificate_type: [RawPublicKey]
				raw(0x00, 10), l16(4), l16(2), raw(0x00, 23), // supported_groups: [secp256r1]
				raw(0x00, 11), l16(2), l8(1), raw(0), // ec_point_formats: [uncompressed]
				raw(0x00, 13), l16(4), l16(2), raw(0x04, 0x03), // signature_algorithms: [ecdsa_sha256]
				raw(0x00, 23), l16(0), // extended_master_secret
				raw(0xff, 0x01), l16(1), l8(0), // renegotiation_info: empty
				raw(0x00, 54), l16(5), l8(4), raw(0xde, 0xad, 0xbe, 0xef), // connection_id
				raw(0x00, 28), l16(2), raw(0x02, 0x00), // record_size_limit: 512
			},
			validCut: 2 + 32 + 1 + 17 + 6 + 2,
		},
		{
			name: "ClientHello/no-extensions",
			msg: &ClientHello{
				Version:            0xfefd,
				Random:             random32(0x20),
				SessionID:          seq(0x50, 32),
				CipherSuites:       []uint16{0xc0a8},
				CompressionMethods: []uint8{0},
			},
			new: func() codec { return new(ClientHello) },
			wire: []part{
				raw(0xfe, 0xfd), raw(seq(0x20, 32)...),
				l8(32), raw(seq(0x50, 32)...),
				l8(0),
				l16(2), raw(0xc0, 0xa8),
				l8(1), raw(0),
			},
			validCut: -1,
		},
		{
			// RFC 6347 §4.2.1: the server_version of a HelloVerifyRequest
			// is DTLS 1.0 whatever version is negotiated later.
			name: "HelloVerifyRequest",
			msg:  &HelloVerifyRequest{Version: 0xfeff, Cookie: seq(0x80, 32)},
			new:  func() codec { return new(HelloVerifyRequest) },
			wire: []part{
				raw(0xfe, 0xff),
				l8(32), raw(seq(0x80, 32)...),
			},
			validCut: -1,
		},
		{
			name: "ServerHello",
			msg: &ServerHello{
				Version:           0xfefd,
				Random:            random32(0x40),
				SessionID:         seq(0x60, 16),
				CipherSuite:       0xc0ae,
				CompressionMethod: 0,
				Extensions: Extensions{
					HasClientCertType: true, ClientCertTypes: []uint8{2},
					HasServerCertType: true, ServerCertTypes: []uint8{2},
					HasPointFormats: true, PointFormats: []uint8{0},
					ExtendedMasterSecret: true,
					HasRenegotiationInfo: true,
					HasConnectionID:      true, ConnectionID: []byte{0x0a, 0x0b},
					HasRecordSizeLimit: true, RecordSizeLimit: 64,
				},
			},
			new: func() codec { return new(ServerHello) },
			wire: []part{
				raw(0xfe, 0xfd),
				raw(seq(0x40, 32)...),
				l8(16), raw(seq(0x60, 16)...),
				raw(0xc0, 0xae), // cipher_suite
				raw(0),          // compression_method
				l16(38),
				raw(0x00, 19), l16(1), raw(2), // client_certificate_type: RawPublicKey (single byte)
				raw(0x00, 20), l16(1), raw(2), // server_certificate_type: RawPublicKey
				raw(0x00, 11), l16(2), l8(1), raw(0),
				raw(0x00, 23), l16(0),
				raw(0xff, 0x01), l16(1), l8(0),
				raw(0x00, 54), l16(3), l8(2), raw(0x0a, 0x0b),
				raw(0x00, 28), l16(2), raw(0x00, 0x40),
			},
			validCut: 2 + 32 + 17 + 3,
		},
		{
			name: "Certificate",
			msg:  &Certificate{SPKI: append([]byte{0x30, 0x59}, seq(0x10, 89)...)},
			new:  func() codec { return new(Certificate) },
			wire: []part{
				l24(91), raw(0x30, 0x59), raw(seq(0x10, 89)...),
			},
			validCut: -1,
		},
		{
			name:     "Certificate/empty",
			msg:      &Certificate{},
			new:      func() codec { return new(Certificate) },
			wire:     []part{l24(0)},
			validCut: -1,
		},
		{
			name:     "ServerKeyExchangePSK",
			msg:      &ServerKeyExchangePSK{Hint: []byte("hint")},
			new:      func() codec { return new(ServerKeyExchangePSK) },
			wire:     []part{l16(4), raw('h', 'i', 'n', 't')},
			validCut: -1,
		},
		{
			// RFC 4492 §5.4 with the TLS 1.2 signature algorithm pair:
			// named_curve secp256r1, 65-byte uncompressed point,
			// sha256/ecdsa, signature.
			name: "ServerKeyExchangeECDHE",
			msg: &ServerKeyExchangeECDHE{
				CurveType:  3,
				NamedCurve: 23,
				PublicKey:  append([]byte{0x04}, seq(0x01, 64)...),
				HashAlg:    4,
				SigAlg:     3,
				Signature:  append([]byte{0x30, 0x45}, seq(0x90, 69)...),
			},
			new: func() codec { return new(ServerKeyExchangeECDHE) },
			wire: []part{
				raw(3), raw(0x00, 0x17),
				l8(65), raw(0x04), raw(seq(0x01, 64)...),
				raw(4, 3),
				l16(71), raw(0x30, 0x45), raw(seq(0x90, 69)...),
			},
			validCut: -1,
		},
		{
			name: "CertificateRequest",
			msg: &CertificateRequest{
				CertificateTypes:    []uint8{64},
				SignatureAlgorithms: []uint16{0x0403},
			},
			new: func() codec { return new(CertificateRequest) },
			wire: []part{
				l8(1), raw(64), // ecdsa_sign
				l16(2), raw(0x04, 0x03),
				l16(0),
			},
			validCut: -1,
		},
		{
			name: "CertificateRequest/authorities",
			msg: &CertificateRequest{
				CertificateTypes:       []uint8{64, 1},
				SignatureAlgorithms:    []uint16{0x0403, 0x0401},
				CertificateAuthorities: []byte{0x00, 0x03, 'a', 'b', 'c', 0x00, 0x01, 'd'},
			},
			new: func() codec { return new(CertificateRequest) },
			wire: []part{
				l8(2), raw(64, 1),
				l16(4), raw(0x04, 0x03, 0x04, 0x01),
				l16(8), l16(3), raw('a', 'b', 'c'), l16(1), raw('d'),
			},
			validCut: -1,
		},
		{
			name:     "ClientKeyExchangePSK",
			msg:      &ClientKeyExchangePSK{Identity: []byte("Client_identity")},
			new:      func() codec { return new(ClientKeyExchangePSK) },
			wire:     []part{l16(15), raw([]byte("Client_identity")...)},
			validCut: -1,
		},
		{
			name:     "ClientKeyExchangeECDHE",
			msg:      &ClientKeyExchangeECDHE{PublicKey: append([]byte{0x04}, seq(0x41, 64)...)},
			new:      func() codec { return new(ClientKeyExchangeECDHE) },
			wire:     []part{l8(65), raw(0x04), raw(seq(0x41, 64)...)},
			validCut: -1,
		},
		{
			name:     "CertificateVerify",
			msg:      &CertificateVerify{HashAlg: 4, SigAlg: 3, Signature: append([]byte{0x30, 0x44}, seq(0x70, 68)...)},
			new:      func() codec { return new(CertificateVerify) },
			wire:     []part{raw(4, 3), l16(70), raw(0x30, 0x44), raw(seq(0x70, 68)...)},
			validCut: -1,
		},
		{
			name:     "Finished",
			msg:      &Finished{VerifyData: seq(0xc0, 12)},
			new:      func() codec { return new(Finished) },
			wire:     []part{raw(seq(0xc0, 12)...)},
			validCut: -1,
		},
		{
			name:     "HelloRequest",
			msg:      &HelloRequest{},
			new:      func() codec { return new(HelloRequest) },
			validCut: -1,
		},
		{
			name:     "ServerHelloDone",
			msg:      &ServerHelloDone{},
			new:      func() codec { return new(ServerHelloDone) },
			validCut: -1,
		},
	}
}

func TestVectorsMarshal(t *testing.T) {
	for _, v := range vectors() {
		want, _ := join(v.wire...)
		if got := v.msg.Marshal(nil); !bytes.Equal(got, want) {
			t.Errorf("%s: Marshal =\n%x\nwant\n%x", v.name, got, want)
		}
		// Marshal appends to what it is given.
		prefix := []byte{0xaa, 0xbb}
		if got := v.msg.Marshal(prefix[:2:2]); !bytes.Equal(got, append(prefix, want...)) {
			t.Errorf("%s: Marshal does not append to its argument: %x", v.name, got)
		}
	}
}

func TestVectorsUnmarshal(t *testing.T) {
	for _, v := range vectors() {
		enc, _ := join(v.wire...)
		got := v.new()
		if !got.Unmarshal(enc) {
			t.Errorf("%s: Unmarshal rejected the vector %x", v.name, enc)
			continue
		}
		if !reflect.DeepEqual(got, v.msg) {
			t.Errorf("%s: Unmarshal =\n%+v\nwant\n%+v", v.name, got, v.msg)
		}
		// Decoded values must not alias the input buffer.
		for i := range enc {
			enc[i] ^= 0xff
		}
		if !reflect.DeepEqual(got, v.msg) {
			t.Errorf("%s: decoded message changed with its input buffer", v.name)
		}
	}
}

// Every cut short of the full message must fail, except where the optional
// extensions block of a hello begins.
func TestVectorsTruncated(t *testing.T) {
	for _, v := range vectors() {
		enc, _ := join(v.wire...)
		for n := 0; n < len(enc); n++ {
			ok := v.new().Unmarshal(enc[:n:n])
			if ok != (n == v.validCut) {
				t.Errorf("%s: Unmarshal of the first %d of %d bytes = %v", v.name, n, len(enc), ok)
			}
		}
	}
}

func TestVectorsTrailingGarbage(t *testing.T) {
	for _, v := range vectors() {
		enc, _ := join(v.wire...)
		for _, junk := range [][]byte{{0}, {0xff}, {0, 0, 0}} {
			if v.new().Unmarshal(append(enc[:len(enc):len(enc)], junk...)) {
				t.Errorf("%s: accepted trailing %x", v.name, junk)
			}
		}
	}
}

// Each length field in every vector is made one too long and one too short
// (modulo its width, so a zero length becomes the maximum).
func TestVectorsLengthsOffByOne(t *testing.T) {
	for _, v := range vectors() {
		enc, lens := join(v.wire...)
		for _, lf := range lens {
			for _, delta := range []int{+1, -1} {
				mut := bytes.Clone(enc)
				n := 0
				for i := range lf.width {
					n = n<<8 | int(mut[lf.off+i])
				}
				n = (n + delta) & (1<<(8*lf.width) - 1)
				for i := lf.width - 1; i >= 0; i-- {
					mut[lf.off+i] = byte(n)
					n >>= 8
				}
				if v.new().Unmarshal(mut) {
					t.Errorf("%s: accepted the %d-byte length at offset %d changed by %+d", v.name, lf.width, lf.off, delta)
				}
			}
		}
	}
}

func TestClientHelloCookieInput(t *testing.T) {
	ch := vectors()[0].msg.(*ClientHello)
	want, _ := join(
		raw(0xfe, 0xfd), raw(seq(0x00, 32)...), l8(0),
		l16(4), raw(0xc0, 0xae, 0xc0, 0xa8),
		l8(1), raw(0),
	)
	if got := ch.CookieInput([]byte{1}); !bytes.Equal(got, append([]byte{1}, want...)) {
		t.Errorf("CookieInput = %x, want 01%x", got, want)
	}
	// The cookie must not influence its own input, so that the first and
	// the second ClientHello of an exchange map to the same value.
	ch2 := *ch
	ch2.Cookie = nil
	if !bytes.Equal(ch.CookieInput(nil), ch2.CookieInput(nil)) {
		t.Error("CookieInput depends on the cookie")
	}
	ch2.Random[0] ^= 1
	if bytes.Equal(ch.CookieInput(nil), ch2.CookieInput(nil)) {
		t.Error("CookieInput ignores the random")
	}
}

func TestServerKeyExchangeECDHEParams(t *testing.T) {
	v := vectors()[7]
	ske := v.msg.(*ServerKeyExchangeECDHE)
	want, _ := join(raw(3), raw(0x00, 0x17), l8(65), raw(0x04), raw(seq(0x01, 64)...))
	if got := ske.Params(); !bytes.Equal(got, want) {
		t.Errorf("Params = %x, want %x", got, want)
	}
	enc, _ := join(v.wire...)
	if !bytes.HasPrefix(enc, want) {
		t.Error("the signed params are not the start of the message")
	}
}
