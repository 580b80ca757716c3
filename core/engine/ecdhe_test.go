// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

func TestECDHEMutualAuthentication(t *testing.T) {
	for _, id := range []protocol.CipherSuite{protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM} {
		t.Run(id.String(), func(t *testing.T) {
			cl, sv, l := ecdhePair(t, 10)
			cl.params = onlySuites(id)
			handshakeOK(t, cl, sv, l, 5*time.Second)
			if got := sv.conn(cl).Suite().ID; got != id {
				t.Fatalf("negotiated %v", got)
			}
			// Each side saw exactly the other's static key.
			if len(cl.seenKeys) != 1 || !bytes.Equal(cl.seenKeys[0][0], serverKey.X) || !bytes.Equal(cl.seenKeys[0][1], serverKey.Y) {
				t.Errorf("client verified %x, want the server key", cl.seenKeys)
			}
			if len(sv.seenKeys) != 1 || !bytes.Equal(sv.seenKeys[0][0], clientKey.X) || !bytes.Equal(sv.seenKeys[0][1], clientKey.Y) {
				t.Errorf("server verified %x, want the client key", sv.seenKeys)
			}
			exchange(t, cl, sv, l, "ecdhe data")
		})
	}
}

func TestECDHEWithoutClientAuthentication(t *testing.T) {
	cl, sv, l := ecdhePair(t, 11)
	sv.caps.VerifyECDSAKey = false // no verify callback: no CertificateRequest
	var sawRequest bool
	l.tap = func(from *peer, dg []byte) {
		if from == sv && findMessage(dg, protocol.HandshakeCertificateRequest) >= 0 {
			sawRequest = true
		}
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if sawRequest {
		t.Errorf("server sent a CertificateRequest without a verify callback")
	}
	if len(sv.seenKeys) != 0 {
		t.Errorf("server verified a client key it did not ask for")
	}
	if sv.conn(cl).Suite().KeyExchange.String() != "ECDHE_ECDSA" {
		t.Fatalf("suite %v", sv.conn(cl).Suite())
	}
	exchange(t, cl, sv, l, "no client auth")
}

func TestECDHEClientWithoutKeySendsEmptyCertificate(t *testing.T) {
	cl, sv, l := ecdhePair(t, 12)
	cl.key, cl.caps.ECDSAKey = nil, false
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl, sv), 10*time.Second)
	if !sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertHandshakeFailure)) ||
		!cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertHandshakeFailure)) {
		t.Fatalf("want handshake_failure on both sides: client %v server %v", cl.events, sv.events)
	}
}

func TestECDHERejectedKey(t *testing.T) {
	for _, side := range []string{"client rejects", "server rejects"} {
		t.Run(side, func(t *testing.T) {
			cl, sv, l := ecdhePair(t, 13)
			rejecter := cl
			if side == "server rejects" {
				rejecter = sv
			}
			rejecter.verify = func(x, y []byte) error { return protocol.Fatal(protocol.AlertUnknownCA) }
			cl.ep.Connect(sv.addr, l.now)
			l.run(noConns(cl, sv), 10*time.Second)
			other := l.other(rejecter)
			if !other.hasEvent(protocol.LevelFatal, uint16(protocol.AlertUnknownCA)) {
				t.Fatalf("the alert from the callback did not reach the peer: %v", other.events)
			}
			if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
				t.Fatalf("associations left")
			}
		})
	}
}

// tamper runs an ECDHE handshake where the body of the first message of
// type mt from `from` is changed by f, checks that the handshake fails, and
// returns the peers for their events.
func tamper(t *testing.T, from string, mt protocol.HandshakeType, f func(body []byte)) (*peer, *peer) {
	cl, sv, l := ecdhePair(t, 14)
	sender := cl
	if from == sv.name {
		sender = sv
	}
	done := corruptMessage(l, sender, mt, f)
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl, sv), 30*time.Second)
	if !*done {
		t.Fatalf("message %v from %s never seen", mt, from)
	}
	if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
		t.Fatalf("handshake survived tampering: client %v server %v", cl.events, sv.events)
	}
	return cl, sv
}

func TestECDHEBadServerKeyExchangeSignature(t *testing.T) {
	cl, sv := tamper(t, "server", protocol.HandshakeServerKeyExchange, func(b []byte) {
		b[len(b)-5] ^= 0x01 // inside the signature's s value
	})
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertDecryptError)) {
		t.Fatalf("client events %v: want decrypt_error", cl.events)
	}
	if !sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertDecryptError)) {
		t.Fatalf("server events %v: want the client's decrypt_error", sv.events)
	}
}

func TestECDHESignatureOverWrongRandom(t *testing.T) {
	// Changing the server random in ServerHello leaves the signature
	// intact but computed over other randoms.
	cl, _ := tamper(t, "server", protocol.HandshakeServerHello, func(b []byte) {
		b[2+5] ^= 0x80
	})
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertDecryptError)) {
		t.Fatalf("client events %v: want decrypt_error", cl.events)
	}
}

func TestECDHEOffCurveClientKey(t *testing.T) {
	_, sv := tamper(t, "client", protocol.HandshakeClientKeyExchange, func(b []byte) {
		// body: uint8 length (65), 0x04, X, Y: break Y.
		b[1+64] ^= 0x01
	})
	if !sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertIllegalParameter)) {
		t.Fatalf("server events %v: want illegal_parameter", sv.events)
	}
}

func TestECDHEOffCurveServerStaticKey(t *testing.T) {
	cl, _ := tamper(t, "server", protocol.HandshakeCertificate, func(b []byte) {
		b[len(b)-1] ^= 0x01 // last byte of Y in the SubjectPublicKeyInfo
	})
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertBadCertificate)) {
		t.Fatalf("client events %v: want bad_certificate", cl.events)
	}
}

func TestECDHEMalformedSubjectPublicKeyInfo(t *testing.T) {
	cl, _ := tamper(t, "server", protocol.HandshakeCertificate, func(b []byte) {
		// body: 3-byte length, then SEQUENCE { SEQUENCE { OID ecPublicKey ...
		b[3+4+2+2] ^= 0x10 // inside the algorithm OID
	})
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertBadCertificate)) {
		t.Fatalf("client events %v: want bad_certificate", cl.events)
	}
}

func TestECDHEMissingCertificateVerify(t *testing.T) {
	cl, sv, l := ecdhePair(t, 15)
	dropFromClientFlights(t, l, cl, sv, protocol.HandshakeCertificateVerify)
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl, sv), 30*time.Second)
	if sv.ep.NumConns() != 0 || sv.hasEvent(protocol.LevelInternal, protocol.EventConnected) {
		t.Fatalf("server completed a handshake without CertificateVerify: %v", sv.events)
	}
	if !sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertUnexpectedMessage)) {
		t.Fatalf("server events %v: want unexpected_message", sv.events)
	}
}

func TestMixedCapabilities(t *testing.T) {
	cases := []struct {
		name           string
		client, server Capabilities
		want           protocol.CipherSuite // 0: the handshake must fail
	}{
		{"client both, server PSK only", Capabilities{PSK: true, ECDSAKey: true, VerifyECDSAKey: true}, Capabilities{PSK: true}, protocol.TLS_PSK_WITH_AES_128_CCM_8},
		{"client both, server ECDHE only", Capabilities{PSK: true, ECDSAKey: true, VerifyECDSAKey: true}, Capabilities{ECDSAKey: true, VerifyECDSAKey: true}, protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8},
		{"client PSK only, server both", Capabilities{PSK: true}, Capabilities{PSK: true, ECDSAKey: true, VerifyECDSAKey: true}, protocol.TLS_PSK_WITH_AES_128_CCM_8},
		{"client ECDHE only, server both", Capabilities{VerifyECDSAKey: true, ECDSAKey: true}, Capabilities{PSK: true, ECDSAKey: true, VerifyECDSAKey: true}, protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8},
		{"client ECDHE only, server PSK only", Capabilities{VerifyECDSAKey: true, ECDSAKey: true}, Capabilities{PSK: true}, 0},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl, sv, l := pair(t, int64(20+i), Config{}, Config{})
			useCredentials(cl, sv, false)
			useCredentials(cl, sv, true)
			cl.caps, sv.caps = tc.client, tc.server
			cl.ep.Connect(sv.addr, l.now)
			ok := l.run(bothConnected(cl, sv), 10*time.Second)
			if tc.want == 0 {
				l.run(noConns(cl, sv), 10*time.Second)
				if ok || !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertHandshakeFailure)) {
					t.Fatalf("want handshake_failure, client events %v", cl.events)
				}
				return
			}
			if !ok {
				t.Fatalf("no handshake: client %v server %v", cl.events, sv.events)
			}
			if got := cl.conn(sv).Suite().ID; got != tc.want {
				t.Fatalf("negotiated %v, want %v", got, tc.want)
			}
		})
	}
}

func TestServerPicksInClientOrder(t *testing.T) {
	cl, sv, l := pair(t, 30, Config{}, Config{})
	useCredentials(cl, sv, false)
	useCredentials(cl, sv, true)
	cl.params = onlySuites(protocol.TLS_PSK_WITH_AES_128_CCM, protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)
	sv.params = onlySuites(protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, protocol.TLS_PSK_WITH_AES_128_CCM)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if got := cl.conn(sv).Suite().ID; got != protocol.TLS_PSK_WITH_AES_128_CCM {
		t.Fatalf("server chose %v, want the client's first choice", got)
	}
}
