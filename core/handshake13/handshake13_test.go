// SPDX-License-Identifier: BSD-3-Clause

package handshake13

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/wire"
)

func TestHelloRetryRequestRandom(t *testing.T) {
	// RFC 8446 §4.1.3 spells it out.
	want, _ := hex.DecodeString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")
	if !bytes.Equal(HelloRetryRequestRandom[:], want) {
		t.Fatalf("HRR random %x", HelloRetryRequestRandom)
	}
}

func TestSupportedVersions(t *testing.T) {
	b := AppendSupportedVersionsCH(nil, []uint16{0xfefc, 0xfefd})
	if !bytes.Equal(b, []byte{4, 0xfe, 0xfc, 0xfe, 0xfd}) {
		t.Fatalf("% x", b)
	}
	if v, ok := ParseSupportedVersionsCH(b); !ok || len(v) != 2 || v[0] != 0xfefc {
		t.Fatalf("%v %v", v, ok)
	}
	for _, bad := range [][]byte{{}, {0}, {3, 0xfe, 0xfc, 0xfe}, {2, 0xfe, 0xfc, 0}} {
		if _, ok := ParseSupportedVersionsCH(bad); ok {
			t.Errorf("accepted % x", bad)
		}
	}
	if v, ok := ParseSupportedVersionsSH([]byte{0xfe, 0xfc}); !ok || v != 0xfefc {
		t.Fatal("SH form")
	}
	if _, ok := ParseSupportedVersionsSH([]byte{0xfe, 0xfc, 0}); ok {
		t.Fatal("SH form with trailing byte")
	}
}

func TestKeyShare(t *testing.T) {
	shares := []KeyShare{{GroupX25519, bytes.Repeat([]byte{1}, 32)}, {GroupSecp256r1, bytes.Repeat([]byte{4}, 65)}}
	b := AppendKeyShareCH(nil, shares)
	got, ok := ParseKeyShareCH(b)
	if !ok || len(got) != 2 || got[1].Group != GroupSecp256r1 || len(got[1].Data) != 65 {
		t.Fatalf("%v %v", got, ok)
	}
	if _, ok := ParseKeyShareCH(AppendKeyShareCH(nil, []KeyShare{shares[0], shares[0]})); ok {
		t.Fatal("a group offered twice was accepted")
	}
	if got, ok := ParseKeyShareCH([]byte{0, 0}); !ok || len(got) != 0 {
		t.Fatal("an empty client_shares list is allowed")
	}
	sh := AppendKeyShareSH(nil, shares[0])
	if ks, ok := ParseKeyShareSH(sh); !ok || ks.Group != GroupX25519 || len(ks.Data) != 32 {
		t.Fatal("SH form")
	}
	if g, ok := ParseKeyShareHRR([]byte{0, 23}); !ok || g != GroupSecp256r1 {
		t.Fatal("HRR form")
	}
	if _, ok := ParseKeyShareSH([]byte{0, 29, 0, 0}); ok {
		t.Fatal("an empty key_exchange was accepted")
	}
}

func TestPreSharedKey(t *testing.T) {
	o := OfferedPSKs{
		Identities: []PSKIdentity{{Identity: []byte("Client_identity")}},
		Binders:    [][]byte{make([]byte, 32)},
	}
	ext := AppendPreSharedKeyCH(nil, &o)
	got, n, ok := ParsePreSharedKeyCH(ext)
	if !ok || len(got.Identities) != 1 || string(got.Identities[0].Identity) != "Client_identity" || n != BindersLen(&o) || n != 35 {
		t.Fatalf("%+v %d %v", got, n, ok)
	}
	// A ClientHello ending with the extension: the binder is filled in place.
	ch := append([]byte("partial client hello..."), ext...)
	binder := bytes.Repeat([]byte{0xab}, 32)
	if !FillBinders(ch, [][]byte{binder}) || !bytes.HasSuffix(ch, binder) {
		t.Fatal("FillBinders")
	}
	bad := []OfferedPSKs{
		{Identities: []PSKIdentity{{Identity: []byte("a")}}, Binders: [][]byte{make([]byte, 31)}},
		{Identities: []PSKIdentity{{Identity: []byte("a")}, {Identity: []byte("b")}}, Binders: [][]byte{make([]byte, 32)}},
	}
	for _, b := range bad {
		if _, _, ok := ParsePreSharedKeyCH(AppendPreSharedKeyCH(nil, &b)); ok {
			t.Errorf("accepted %+v", b)
		}
	}
	if i, ok := ParsePreSharedKeySH([]byte{0, 0}); !ok || i != 0 {
		t.Fatal("SH form")
	}
}

func TestPSKModesAndCookie(t *testing.T) {
	if m, ok := ParsePSKModes(AppendPSKModes(nil, []uint8{PSKModeDHEKE, PSKModeKE})); !ok || len(m) != 2 || m[0] != PSKModeDHEKE {
		t.Fatal("modes")
	}
	if _, ok := ParsePSKModes([]byte{0}); ok {
		t.Fatal("empty modes accepted")
	}
	c := AppendCookie(nil, []byte("cookie"))
	if got, ok := ParseCookie(c); !ok || string(got) != "cookie" {
		t.Fatal("cookie")
	}
	if _, ok := ParseCookie([]byte{0, 0}); ok {
		t.Fatal("empty cookie accepted")
	}
}

func TestMessages(t *testing.T) {
	exts := []Extension{{20, []byte{2}}, {54, []byte{0}}}
	ee := AppendExtensions(nil, exts)
	if got, ok := ParseEncryptedExtensions(ee); !ok || len(got) != 2 || got[0].Type != 20 {
		t.Fatal("EncryptedExtensions")
	}
	if _, ok := ParseEncryptedExtensions(AppendExtensions(nil, []Extension{exts[0], exts[0]})); ok {
		t.Fatal("duplicate extension accepted")
	}
	spki := bytes.Repeat([]byte{0x30}, 91)
	cert := AppendCertificate(nil, &Certificate{Entries: [][]byte{spki}})
	if c, ok := ParseCertificate(cert); !ok || len(c.Entries) != 1 || !bytes.Equal(c.Entries[0], spki) {
		t.Fatal("Certificate")
	}
	if c, ok := ParseCertificate([]byte{0, 0, 0, 0}); !ok || len(c.Entries) != 0 {
		t.Fatal("empty Certificate")
	}
	cr := AppendCertificateRequest(nil, &CertificateRequest{Extensions: []Extension{{13, []byte{0, 2, 4, 3}}}})
	if got, ok := ParseCertificateRequest(cr); !ok || len(got.Extensions) != 1 {
		t.Fatal("CertificateRequest")
	}
	if _, ok := ParseCertificateRequest(AppendCertificateRequest(nil, &CertificateRequest{})); ok {
		t.Fatal("CertificateRequest without signature_algorithms accepted")
	}
	if v, ok := ParseKeyUpdate([]byte{1}); !ok || v != UpdateRequested {
		t.Fatal("KeyUpdate")
	}
	for _, bad := range [][]byte{{}, {2}, {0, 0}} {
		if _, ok := ParseKeyUpdate(bad); ok {
			t.Errorf("KeyUpdate % x accepted", bad)
		}
	}
	nst := []byte{0, 0, 0, 60, 1, 2, 3, 4, 1, 9, 0, 2, 0xaa, 0xbb, 0, 0}
	if !ParseNewSessionTicket(nst) || ParseNewSessionTicket(nst[:len(nst)-1]) {
		t.Fatal("NewSessionTicket")
	}
	h := sha256.Sum256([]byte("ch"))
	if mh := MessageHash(h[:]); len(mh) != 36 || mh[0] != 254 || mh[3] != 32 {
		t.Fatalf("message_hash % x", mh)
	}
}

func FuzzParsers(f *testing.F) {
	f.Add([]byte{0, 4, 0, 29, 0, 0})
	sh := ServerHello{Version: 0xfefd, Random: HelloRetryRequestRandom[:], CipherSuite: 0x1301,
		Extensions: []Extension{{Type: ExtSupportedVersions, Data: []byte{0xfe, 0xfc}}, {Type: ExtCookie, Data: []byte{0, 1, 7}}}}
	f.Add(AppendServerHello(nil, &sh))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, found, scanned := ClientHelloExtension(b, ExtSupportedVersions)
		if ch, ok := ParseClientHello(b); ok {
			if _, has := Find(ch.Extensions, ExtSupportedVersions); !scanned || has != found {
				t.Fatalf("ClientHelloExtension disagrees with ParseClientHello")
			}
			if len(ch.Random) != 32 || len(ch.CipherSuites) == 0 || len(ch.Compression) == 0 {
				t.Fatalf("ClientHello parsed with %d random bytes, %d suites", len(ch.Random), len(ch.CipherSuites))
			}
		}
		if sh, ok := ParseServerHello(b); ok {
			// A ServerHello with an extensions block encodes back to itself.
			if len(sh.Extensions) > 0 && string(AppendServerHello(nil, &sh)) != string(b) {
				t.Fatalf("ServerHello % x does not encode back", b)
			}
			sh.IsHelloRetryRequest()
		}
		ParseSupportedVersionsCH(b)
		ParseSupportedVersionsSH(b)
		ParseKeyShareCH(b)
		ParseKeyShareSH(b)
		ParseKeyShareHRR(b)
		ParsePSKModes(b)
		ParsePreSharedKeyCH(b)
		ParseCookie(b)
		ParseEncryptedExtensions(b)
		ParseCertificate(b)
		ParseCertificateRequest(b)
		ParseKeyUpdate(b)
		ParseNewSessionTicket(b)
		s := wire.String(b)
		ParseExtensions(&s)
	})
}

func TestHellos(t *testing.T) {
	sh := ServerHello{Version: 0xfefd, Random: make([]byte, 32), SessionID: []byte{1}, CipherSuite: 0x1305, Compression: 0,
		Extensions: []Extension{{Type: ExtSupportedVersions, Data: []byte{0xfe, 0xfc}}, {Type: ExtKeyShare, Data: []byte{0, 29, 0, 1, 9}}}}
	b := AppendServerHello(nil, &sh)
	got, ok := ParseServerHello(b)
	if !ok || got.CipherSuite != 0x1305 || len(got.Extensions) != 2 || got.IsHelloRetryRequest() || string(got.SessionID) != "\x01" {
		t.Fatalf("ServerHello round trip: %+v %v", got, ok)
	}
	for i := range b {
		if _, ok := ParseServerHello(b[:i]); ok && i != 2+32+1+1+3 {
			t.Errorf("ServerHello cut to %d bytes parsed", i)
		}
	}
	hrr := sh
	hrr.Random = HelloRetryRequestRandom[:]
	if got, _ := ParseServerHello(AppendServerHello(nil, &hrr)); !got.IsHelloRetryRequest() {
		t.Fatal("HelloRetryRequest not recognised")
	}
	// A ClientHello: version, random, session id, cookie, suites,
	// compression, extensions.
	ch := []byte{0xfe, 0xfd}
	ch = append(ch, make([]byte, 32)...)
	ch = append(ch, 0, 0, 0, 4, 0x13, 0x01, 0x13, 0x05, 1, 0)
	ch = AppendExtensions(ch, []Extension{{Type: ExtSupportedVersions, Data: []byte{2, 0xfe, 0xfc}}, {Type: ExtPreSharedKey, Data: []byte{9}}})
	c, ok := ParseClientHello(ch)
	if !ok || len(c.CipherSuites) != 2 || c.CipherSuites[1] != 0x1305 || len(c.Extensions) != 2 || c.Extensions[1].Type != ExtPreSharedKey {
		t.Fatalf("ClientHello: %+v %v", c, ok)
	}
	if d, found, ok := ClientHelloExtension(ch, ExtSupportedVersions); !ok || !found || string(d) != "\x02\xfe\xfc" {
		t.Fatalf("ClientHelloExtension: % x %v %v", d, found, ok)
	}
	if _, found, ok := ClientHelloExtension(ch, ExtCookie); !ok || found {
		t.Fatal("ClientHelloExtension found a cookie")
	}
	if _, _, ok := ClientHelloExtension(ch[:len(ch)-1], ExtCookie); ok {
		t.Fatal("ClientHelloExtension on a cut ClientHello")
	}
	dup := AppendExtensions(ch[:2+32+1+1+2+4+2], []Extension{{Type: 43}, {Type: 43}})
	if _, ok := ParseClientHello(dup); ok {
		t.Fatal("duplicate extensions accepted")
	}
	if _, ok := ParseClientHello(append(ch, 0)); ok {
		t.Fatal("trailing byte accepted")
	}
}
