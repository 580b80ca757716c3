// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// The DTLS 1.3 engines under fuzzing, as fuzz_test.go has the 1.2 ones:
// a 1.3 server and a client offering 1.3 get arbitrary datagram sequences,
// seeded with the flights of real handshakes. The PSK seeds use psk_ke:
// without an ECDHE key (which crypto/ecdh draws from its own randomness,
// whatever the engine's source) the whole handshake replays, so the fuzzer
// starts past the cookie and the binder; raw public key seeds replay up to
// the ServerHello.

// fuzzServer13 is a 1.3 server with upstream's example PSK (psk_ke), or
// its ECDSA key.
func fuzzServer13(t testing.TB, l *link, ecdhe bool) *peer {
	sv := fuzzServer(t, l, ecdhe)
	sv.params = func(p *UserParameters) { p.PSKWithoutECDHE = true }
	return sv
}

// fuzzClient13 offers DTLS 1.3 (and 1.2): PSK (psk_ke), and with ecdhe
// raw public keys too (whose key share makes the rest of its handshake
// differ from the recorded one).
func fuzzClient13(t testing.TB, l *link, ecdhe bool) *peer {
	cfg := fuzzConfig(2)
	cfg.MaxVersion = protocol.VersionDTLS13
	cl := newPeer(t, l, "client", cfg, 0)
	cl.usePSK("Client_identity", "secretPSK")
	if ecdhe {
		cl.useECDSA(clientKey)
	}
	cl.params = func(p *UserParameters) { p.PSKWithoutECDHE = true }
	return cl
}

// recordHandshake13 runs a 1.3 handshake and returns what each side sent.
func recordHandshake13(t testing.TB, ecdhe bool) (fromClient, fromServer [][]byte) {
	l := newLink(t, 1)
	cl := fuzzClient13(t, l, ecdhe)
	sv := fuzzServer13(t, l, ecdhe)
	l.tap = func(from *peer, dg []byte) {
		if from == cl {
			fromClient = append(fromClient, append([]byte(nil), dg...))
		} else {
			fromServer = append(fromServer, append([]byte(nil), dg...))
		}
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	exchange(t, cl, sv, l, "fuzz seed data")
	cl.ep.Renegotiate(sv.addr, l.now)
	l.drain()
	cl.ep.Close(sv.addr, l.now)
	l.run(nil, time.Second)
	return fromClient, fromServer
}

func fuzzSeeds13(f *testing.F, side string) {
	for _, ecdhe := range []bool{false, true} {
		c, s := recordHandshake13(f, ecdhe)
		if side == "server" {
			f.Add(fuzzInput(ecdhe, c))
		} else {
			f.Add(fuzzInput(ecdhe, s))
		}
	}
}

func FuzzServer13(f *testing.F) {
	fuzzSeeds13(f, "server")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		runFuzz(t, fuzzServer13(t, newLink(t, 0), data[0]&1 != 0), []byte("client"), data[1:])
	})
}

func FuzzClient13(f *testing.F) {
	fuzzSeeds13(f, "client")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		cl := fuzzClient13(t, newLink(t, 0), data[0]&1 != 0)
		cl.echo = true
		cl.ep.Connect([]byte("server"), 0)
		runFuzz(t, cl, []byte("server"), data[1:])
	})
}

// FuzzNegotiate13 runs the server's pure decisions on arbitrary
// ClientHello bodies: the version, the 1.3 extensions, the choice, the
// digest a retry must repeat.
func FuzzNegotiate13(f *testing.F) {
	c, _ := recordHandshake13(f, false)
	for _, dg := range c[:2] {
		if i := findMessage(dg, protocol.HandshakeClientHello); i >= 0 {
			f.Add(dg[i+12 : i+12+fragmentLength(dg[i:])])
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ch, ok := handshake13.ParseClientHello(body)
		if !ok {
			return
		}
		chooseVersion(&ch, 12, 13)
		h, err := readHello13(&ch)
		if err != nil {
			return
		}
		params := DefaultUserParameters()
		for _, caps := range []Capabilities{{PSK: true}, {ECDSAKey: true, VerifyECDSAKey: true}} {
			choice, err := negotiate13(&h, offer13{policy: policyFor13(&params, caps, RoleServer), caps: caps, groups: DefaultGroups})
			if err == nil && (choice.suite == nil || choice.share != nil && choice.group == 0) {
				t.Fatalf("inconsistent choice %+v", choice)
			}
		}
		if helloDigest(&ch, false) == helloDigest(&ch, true) && len(h.shares) > 0 {
			t.Fatal("the digest ignores the key share when it must not change")
		}
	})
}

// The seeds take the engines through whole handshakes.
func TestFuzzSeeds13ReachEstablished(t *testing.T) {
	c, s := recordHandshake13(t, false)
	sv := fuzzServer13(t, newLink(t, 0), false)
	now := time.Duration(0)
	for _, dg := range c {
		sv.ep.HandleDatagram([]byte("client"), dg, now)
		now += 10 * time.Millisecond
		if conn := sv.ep.Conn([]byte("client")); conn != nil && conn.Established() {
			break
		}
	}
	if conn := sv.ep.Conn([]byte("client")); conn == nil || !conn.Established() || conn.Version() != protocol.VersionDTLS13 {
		t.Fatalf("replaying the client's flights does not establish the 1.3 server")
	}
	cl := fuzzClient13(t, newLink(t, 0), false)
	cl.ep.Connect([]byte("server"), 0)
	for _, dg := range s {
		cl.ep.HandleDatagram([]byte("server"), dg, 0)
	}
	if !cl.hasEvent(protocol.LevelInternal, protocol.EventConnected) {
		t.Fatalf("replaying the server's flights does not establish the 1.3 client: %v", cl.events)
	}
}
