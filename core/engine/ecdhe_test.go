package engine

import (
	"bytes"
	"encoding/hex"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// The built-in keys of upstream's example programs.
var (
	serverKey = ECDSAKey{
		Priv: unhex("D9E2707A72DA6A0504995C86EDDBE3EFC7F1CD74838F7570C8072D0A76261BD4"),
		X:    unhex("D055EE14084D6E0615599DB583913E4A3E4526A2704D61F27A4CCFBA9758EF9A"),
		Y:    unhex("B418B64AFE8030DA1DDCF4F42E2F2631D043B1FB03E22F4D17DE43F9F9ADEE70"),
	}
	clientKey = ECDSAKey{
		Priv: unhex("41C1CB6B51247A144321435B7A80E714896A33BBAD7294CA401455A194A949FA"),
		X:    unhex("36DFE2C6F9F2ED29DA0A9A8F62684E916375BA10300C28C5E47CFBF25FA58F52"),
		Y:    unhex("71A0D4FCDE1AB8785A3C786935A7CFABE93F987209DAED0B4FABC36FC772F829"),
	}
)

func (p *peer) useECDSA(k ECDSAKey, verify bool) {
	key := k
	p.key = &key
	p.caps.ECDSAKey = true
	p.caps.VerifyECDSAKey = verify
}

// ecdhePair: both sides with keys and verification, as upstream's examples.
func ecdhePair(t *testing.T, seed int64) (*peer, *peer, *link) {
	cl, sv, l := pair(t, seed, Config{}, Config{})
	cl.useECDSA(clientKey, true)
	sv.useECDSA(serverKey, true)
	sv.echo = true
	return cl, sv, l
}

func exchange(t testing.TB, cl, sv *peer, l *link, msg string) {
	t.Helper()
	before := len(cl.received)
	if n, err := cl.ep.Write(sv.addr, [][]byte{[]byte(msg)}, l.now); err != nil || n != len(msg) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	l.run(func() bool { return len(cl.received) > before }, 5*time.Second)
	if len(cl.received) <= before || string(cl.received[before]) != msg {
		t.Fatalf("echo of %q not received (client got %q)", msg, cl.received)
	}
}

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
		if from == sv && bytes.Contains(dg, []byte{byte(protocol.HandshakeCertificateRequest), 0, 0}) {
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
	l.run(func() bool { return cl.ep.NumConns() == 0 && sv.ep.NumConns() == 0 }, 10*time.Second)
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
			l.run(func() bool { return cl.ep.NumConns() == 0 && sv.ep.NumConns() == 0 }, 10*time.Second)
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

// findMessage returns the offset of the first plaintext handshake message of
// type t in an epoch-0 datagram, or -1.
func findMessage(dg []byte, t protocol.HandshakeType) int {
	for off := 0; off+13 <= len(dg); {
		n := int(dg[off+11])<<8 | int(dg[off+12])
		if dg[off] == byte(protocol.ContentHandshake) && dg[off+3] == 0 && dg[off+4] == 0 {
			for p := off + 13; p+12 <= off+13+n; {
				if protocol.HandshakeType(dg[p]) == t {
					return p
				}
				fl := int(dg[p+9])<<16 | int(dg[p+10])<<8 | int(dg[p+11])
				p += 12 + fl
			}
		}
		off += 13 + n
	}
	return -1
}

// tamper runs an ECDHE handshake where the first datagram from `from` that
// holds message type mt is changed by f, and returns the events.
func tamper(t *testing.T, from string, mt protocol.HandshakeType, f func(msg []byte)) (*peer, *peer) {
	cl, sv, l := ecdhePair(t, 14)
	done := false
	l.filter = func(p *peer, dg []byte) []byte {
		if p.name != from || done {
			return dg
		}
		if i := findMessage(dg, mt); i >= 0 {
			fl := int(dg[i+9])<<16 | int(dg[i+10])<<8 | int(dg[i+11])
			f(dg[i : i+12+fl])
			done = true
		}
		return dg
	}
	cl.ep.Connect(sv.addr, l.now)
	l.run(func() bool { return cl.ep.NumConns() == 0 && sv.ep.NumConns() == 0 }, 30*time.Second)
	if !done {
		t.Fatalf("message %v from %s never seen", mt, from)
	}
	if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
		t.Fatalf("handshake survived tampering: client %v server %v", cl.events, sv.events)
	}
	return cl, sv
}

func TestECDHEBadServerKeyExchangeSignature(t *testing.T) {
	cl, sv := tamper(t, "server", protocol.HandshakeServerKeyExchange, func(m []byte) {
		m[len(m)-5] ^= 0x01 // inside the signature's s value
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
	cl, _ := tamper(t, "server", protocol.HandshakeServerHello, func(m []byte) {
		m[12+2+5] ^= 0x80
	})
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertDecryptError)) {
		t.Fatalf("client events %v: want decrypt_error", cl.events)
	}
}

func TestECDHEOffCurveClientKey(t *testing.T) {
	_, sv := tamper(t, "client", protocol.HandshakeClientKeyExchange, func(m []byte) {
		// body: uint8 length (65), 0x04, X, Y: break Y.
		m[12+1+64] ^= 0x01
	})
	if !sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertIllegalParameter)) {
		t.Fatalf("server events %v: want illegal_parameter", sv.events)
	}
}

func TestECDHEOffCurveServerStaticKey(t *testing.T) {
	cl, _ := tamper(t, "server", protocol.HandshakeCertificate, func(m []byte) {
		m[len(m)-1] ^= 0x01 // last byte of Y in the SubjectPublicKeyInfo
	})
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertBadCertificate)) {
		t.Fatalf("client events %v: want bad_certificate", cl.events)
	}
}

func TestECDHEMalformedSubjectPublicKeyInfo(t *testing.T) {
	cl, _ := tamper(t, "server", protocol.HandshakeCertificate, func(m []byte) {
		// body: 3-byte length, then SEQUENCE { SEQUENCE { OID ecPublicKey ...
		m[12+3+4+2+2] ^= 0x10 // inside the algorithm OID
	})
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertBadCertificate)) {
		t.Fatalf("client events %v: want bad_certificate", cl.events)
	}
}

func TestECDHEMissingCertificateVerify(t *testing.T) {
	testHookFlight = func(c *Conn, msgs []outMsg) []outMsg {
		if c.role != RoleClient {
			return msgs
		}
		out := msgs[:0:0]
		skipped := false
		for _, m := range msgs {
			if m.typ == protocol.HandshakeCertificateVerify && !m.ccs {
				skipped = true
				continue
			}
			if skipped && !m.ccs {
				m.seq--
			}
			out = append(out, m)
		}
		return out
	}
	defer func() { testHookFlight = nil }()
	cl, sv, l := ecdhePair(t, 15)
	cl.ep.Connect(sv.addr, l.now)
	l.run(func() bool { return cl.ep.NumConns() == 0 && sv.ep.NumConns() == 0 }, 30*time.Second)
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
			cl.usePSK("Client_identity", "secretPSK")
			sv.usePSK("Client_identity", "secretPSK")
			cl.useECDSA(clientKey, true)
			sv.useECDSA(serverKey, true)
			cl.caps, sv.caps = tc.client, tc.server
			cl.ep.Connect(sv.addr, l.now)
			ok := l.run(both(connected(cl, sv), connected(sv, cl)), 10*time.Second)
			if tc.want == 0 {
				l.run(func() bool { return cl.ep.NumConns() == 0 && sv.ep.NumConns() == 0 }, 10*time.Second)
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
	for _, p := range []*peer{cl, sv} {
		p.usePSK("Client_identity", "secretPSK")
	}
	cl.useECDSA(clientKey, true)
	sv.useECDSA(serverKey, true)
	cl.params = onlySuites(protocol.TLS_PSK_WITH_AES_128_CCM, protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)
	sv.params = onlySuites(protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, protocol.TLS_PSK_WITH_AES_128_CCM)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if got := cl.conn(sv).Suite().ID; got != protocol.TLS_PSK_WITH_AES_128_CCM {
		t.Fatalf("server chose %v, want the client's first choice", got)
	}
}
