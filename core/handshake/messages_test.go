// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// roundTrip marshals m, decodes the result into fresh and checks equality.
func roundTrip(t *testing.T, name string, m, fresh codec) {
	t.Helper()
	enc := m.Marshal(nil)
	if !fresh.Unmarshal(enc) {
		t.Errorf("%s: Unmarshal rejected its own encoding %x", name, enc)
		return
	}
	if !reflect.DeepEqual(fresh, m) {
		t.Errorf("%s: round trip =\n%+v\nwant\n%+v", name, fresh, m)
	}
	if again := fresh.Marshal(nil); !bytes.Equal(again, enc) {
		t.Errorf("%s: re-encoding differs:\n%x\n%x", name, again, enc)
	}
}

func TestRoundTripAllMessages(t *testing.T) {
	for _, v := range vectors() {
		roundTrip(t, v.name, v.msg, v.new())
	}
	extra := []struct {
		name  string
		m     codec
		fresh codec
	}{
		{"HelloVerifyRequest/empty-cookie", &HelloVerifyRequest{Version: 0xfefd}, new(HelloVerifyRequest)},
		{"HelloVerifyRequest/max-cookie", &HelloVerifyRequest{Version: 0xfefd, Cookie: bytes.Repeat([]byte{7}, 255)}, new(HelloVerifyRequest)},
		{"ClientHello/max-cookie", &ClientHello{
			Version: 0xfefd, Cookie: bytes.Repeat([]byte{9}, 255), SessionID: seq(1, 32),
			CipherSuites: []uint16{0x00ff, 0xc0a4, 0xc0a8}, CompressionMethods: []uint8{1, 0},
			Extensions: Extensions{HasConnectionID: true},
		}, new(ClientHello)},
		{"ServerHello/bare", &ServerHello{Version: 0xfefd, CipherSuite: 0xc0a8}, new(ServerHello)},
		{"ServerKeyExchangePSK/empty", &ServerKeyExchangePSK{}, new(ServerKeyExchangePSK)},
		{"ClientKeyExchangePSK/empty", &ClientKeyExchangePSK{}, new(ClientKeyExchangePSK)},
		{"CertificateVerify/empty", &CertificateVerify{HashAlg: 4, SigAlg: 3}, new(CertificateVerify)},
		{"ServerKeyExchangeECDHE/1-byte-point", &ServerKeyExchangeECDHE{CurveType: 3, NamedCurve: 29, PublicKey: []byte{0}}, new(ServerKeyExchangeECDHE)},
	}
	for _, e := range extra {
		roundTrip(t, e.name, e.m, e.fresh)
	}
}

// clientHelloPieces returns a valid ClientHello body split around its cipher suites so
// tests can splice in malformed pieces.
func clientHelloPieces() (head, tail []byte) {
	head, _ = join(raw(0xfe, 0xfd), raw(seq(0, 32)...), l8(0), l8(0))
	tail, _ = join(l8(1), raw(0))
	return head, tail
}

func TestClientHelloCipherSuites(t *testing.T) {
	head, tail := clientHelloPieces()
	cases := []struct {
		name   string
		suites []byte
		ok     bool
	}{
		{"one", []byte{0, 2, 0xc0, 0xa8}, true},
		{"odd-1", []byte{0, 1, 0xc0}, false},
		// CVE-2021-42143: an odd length made upstream read one byte past
		// the vector. The same length must be rejected even when the byte
		// after it happens to exist.
		{"odd-3", []byte{0, 3, 0xc0, 0xa8, 0xc0}, false},
		{"empty", []byte{0, 0}, false},
		{"runs-past-end", []byte{0, 4, 0xc0, 0xa8}, false},
	}
	for _, c := range cases {
		body := append(append(bytes.Clone(head), c.suites...), tail...)
		var ch ClientHello
		if got := ch.Unmarshal(body); got != c.ok {
			t.Errorf("%s: Unmarshal = %v, want %v", c.name, got, c.ok)
		}
	}
}

func TestClientHelloRejects(t *testing.T) {
	random := seq(0, 32)
	ok, _ := join(raw(0xfe, 0xfd), raw(random...), l8(0), l8(0), l16(2), raw(0xc0, 0xa8), l8(1), raw(0))
	var ch ClientHello
	if !ch.Unmarshal(ok) {
		t.Fatal("baseline ClientHello rejected")
	}
	cases := map[string][]part{
		"session-id-33":  {raw(0xfe, 0xfd), raw(random...), l8(33), raw(seq(0, 33)...), l8(0), l16(2), raw(0xc0, 0xa8), l8(1), raw(0)},
		"no-compression": {raw(0xfe, 0xfd), raw(random...), l8(0), l8(0), l16(2), raw(0xc0, 0xa8), l8(0)},
		"short-random":   {raw(0xfe, 0xfd), raw(random[:31]...)},
		"ext-block-short": {raw(0xfe, 0xfd), raw(random...), l8(0), l8(0), l16(2), raw(0xc0, 0xa8), l8(1), raw(0),
			l16(5), raw(0x00, 23), l16(0)},
		"ext-block-long": {raw(0xfe, 0xfd), raw(random...), l8(0), l8(0), l16(2), raw(0xc0, 0xa8), l8(1), raw(0),
			l16(3), raw(0x00, 23), l16(0)},
		"one-byte-after-compression": {raw(0xfe, 0xfd), raw(random...), l8(0), l8(0), l16(2), raw(0xc0, 0xa8), l8(1), raw(0), raw(0)},
		"duplicate-extension": {raw(0xfe, 0xfd), raw(random...), l8(0), l8(0), l16(2), raw(0xc0, 0xa8), l8(1), raw(0),
			l16(8), raw(0x00, 23), l16(0), raw(0x00, 23), l16(0)},
	}
	for name, ps := range cases {
		body, _ := join(ps...)
		if ch.Unmarshal(body) {
			t.Errorf("%s: accepted %x", name, body)
		}
	}
}

// An empty extensions block and no block at all mean the same thing.
func TestHelloExtensionsAbsentOrEmpty(t *testing.T) {
	head, _ := join(raw(0xfe, 0xfd), raw(seq(0, 32)...), l8(0), l8(0), l16(2), raw(0xc0, 0xa8), l8(1), raw(0))
	var a, b ClientHello
	if !a.Unmarshal(head) || !b.Unmarshal(append(bytes.Clone(head), 0, 0)) {
		t.Fatal("absent or empty ClientHello extensions rejected")
	}
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a.Extensions, Extensions{}) {
		t.Errorf("absent %+v and empty %+v extensions differ", a.Extensions, b.Extensions)
	}
	sh, _ := join(raw(0xfe, 0xfd), raw(seq(0, 32)...), l8(0), raw(0xc0, 0xa8), raw(0))
	var c, d ServerHello
	if !c.Unmarshal(sh) || !d.Unmarshal(append(bytes.Clone(sh), 0, 0)) || !reflect.DeepEqual(c, d) {
		t.Error("absent and empty ServerHello extensions do not decode alike")
	}
}

func TestServerHelloRejects(t *testing.T) {
	cases := map[string][]part{
		"session-id-33":  {raw(0xfe, 0xfd), raw(seq(0, 32)...), l8(33), raw(seq(0, 33)...), raw(0xc0, 0xa8), raw(0)},
		"no-compression": {raw(0xfe, 0xfd), raw(seq(0, 32)...), l8(0), raw(0xc0, 0xa8)},
		"cert-type-list": {raw(0xfe, 0xfd), raw(seq(0, 32)...), l8(0), raw(0xc0, 0xa8), raw(0),
			// the ClientHello form is not valid from a server
			l16(6), raw(0x00, 20), l16(2), l8(1), raw(2)},
	}
	for name, ps := range cases {
		body, _ := join(ps...)
		var sh ServerHello
		if sh.Unmarshal(body) {
			t.Errorf("%s: accepted %x", name, body)
		}
	}
}

// The cookie length is a single byte on the wire, so a longer cookie cannot
// be encoded; Marshal refuses rather than truncating.
func TestCookieOver255CannotBeEncoded(t *testing.T) {
	long := make([]byte, 256)
	mustPanic(t, "ClientHello", func() {
		(&ClientHello{Cookie: long, CipherSuites: []uint16{1}, CompressionMethods: []uint8{0}}).Marshal(nil)
	})
	mustPanic(t, "HelloVerifyRequest", func() { (&HelloVerifyRequest{Cookie: long}).Marshal(nil) })
	mustPanic(t, "ClientHello session ID", func() {
		(&ClientHello{SessionID: make([]byte, 33)}).Marshal(nil)
	})
	mustPanic(t, "ServerHello session ID", func() {
		(&ServerHello{SessionID: make([]byte, 33)}).Marshal(nil)
	})
	mustPanic(t, "ECDHE point", func() {
		(&ClientKeyExchangeECDHE{PublicKey: long}).Marshal(nil)
	})
}

func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", name)
		}
	}()
	f()
}

func TestEmptyBodyMessages(t *testing.T) {
	for _, m := range []codec{new(HelloRequest), new(ServerHelloDone)} {
		if !m.Unmarshal(nil) || !m.Unmarshal([]byte{}) {
			t.Errorf("%T: empty body rejected", m)
		}
		if m.Unmarshal([]byte{0}) {
			t.Errorf("%T: non-empty body accepted", m)
		}
		if got := m.Marshal([]byte{1}); !bytes.Equal(got, []byte{1}) {
			t.Errorf("%T: Marshal appended %x", m, got[1:])
		}
	}
}

func TestFinishedLength(t *testing.T) {
	var f Finished
	for _, n := range []int{0, 11, 13, 48} {
		if f.Unmarshal(make([]byte, n)) {
			t.Errorf("Finished of %d bytes accepted", n)
		}
	}
	if !f.Unmarshal(make([]byte, protocol.VerifyDataLen)) || len(f.VerifyData) != protocol.VerifyDataLen {
		t.Error("12-byte Finished rejected")
	}
}

func TestRejectEmptyWhereForbidden(t *testing.T) {
	cases := []struct {
		name string
		m    codec
		wire []part
	}{
		{"SKE point", new(ServerKeyExchangeECDHE), []part{raw(3, 0, 23), l8(0), raw(4, 3), l16(0)}},
		{"SKE curve type explicit_prime", new(ServerKeyExchangeECDHE), []part{raw(1, 0, 23), l8(1), raw(4), raw(4, 3), l16(0)}},
		{"CKE point", new(ClientKeyExchangeECDHE), []part{l8(0)}},
		{"CKE nothing", new(ClientKeyExchangeECDHE), nil},
		{"CertificateRequest types", new(CertificateRequest), []part{l8(0), l16(2), raw(4, 3), l16(0)}},
		{"CertificateRequest sigalgs", new(CertificateRequest), []part{l8(1), raw(64), l16(0), l16(0)}},
		{"CertificateRequest odd sigalgs", new(CertificateRequest), []part{l8(1), raw(64), l16(3), raw(4, 3, 4), l16(0)}},
		{"CertificateRequest empty DN", new(CertificateRequest), []part{l8(1), raw(64), l16(2), raw(4, 3), l16(2), l16(0)}},
		{"CertificateRequest truncated DN", new(CertificateRequest), []part{l8(1), raw(64), l16(2), raw(4, 3), l16(3), l16(2), raw('a')}},
		{"Certificate nothing", new(Certificate), nil},
		{"PSK hint nothing", new(ServerKeyExchangePSK), nil},
		{"PSK identity nothing", new(ClientKeyExchangePSK), nil},
		{"CertificateVerify no signature vector", new(CertificateVerify), []part{raw(4, 3)}},
	}
	for _, c := range cases {
		body, _ := join(c.wire...)
		if c.m.Unmarshal(body) {
			t.Errorf("%s: accepted %x", c.name, body)
		}
	}
}

func TestClientHelloRandom(t *testing.T) {
	ch := ClientHello{Version: 0xfefd, CompressionMethods: []uint8{0}}
	for i := range ch.Random {
		ch.Random[i] = byte(i)
	}
	body := ch.Marshal(nil)
	if r, ok := ClientHelloRandom(body); !ok || !bytes.Equal(r, ch.Random[:]) {
		t.Fatalf("ClientHelloRandom = %x, %v", r, ok)
	}
	if _, ok := ClientHelloRandom(body[:33]); ok {
		t.Fatal("a fragment without the whole random gave one")
	}
}
