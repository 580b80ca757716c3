// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// pair13 is a client that offers DTLS 1.3 and a server with the defaults
// (which negotiate 1.3 with it), with upstream's example credentials: PSK,
// or raw public keys if ecdhe. The server echoes.
func pair13(t *testing.T, seed int64, ecdhe bool) (*peer, *peer, *link) {
	cl, sv, l := pair(t, seed, Config{MaxVersion: protocol.VersionDTLS13}, Config{})
	useCredentials(cl, sv, ecdhe)
	sv.echo = true
	return cl, sv, l
}

func TestDTLS13PSK(t *testing.T) {
	cl, sv, l := pair13(t, 1, false)
	cl.verbose = testing.Verbose()
	sv.verbose = testing.Verbose()
	handshakeOK(t, cl, sv, l, 5*time.Second)
	for _, p := range []*peer{cl, sv} {
		c := p.conn(l.other(p))
		if v := c.Version(); v != protocol.VersionDTLS13 {
			t.Fatalf("%s: version %#04x", p.name, v)
		}
	}
	exchange(t, cl, sv, l, "hello over DTLS 1.3")
}

// Raw public keys (RFC 7250 in 1.3): the server authenticates with its
// key, and asks for the client's exactly when a 1.2 server would (it has a
// key and verifies the peer's).
func TestDTLS13RawPublicKeys(t *testing.T) {
	for _, mutual := range []bool{true, false} {
		cl, sv, l := pair13(t, 2, true)
		if !mutual {
			sv.caps.VerifyECDSAKey = false
		}
		handshakeOK(t, cl, sv, l, 5*time.Second)
		exchange(t, cl, sv, l, "raw public keys")
		if len(cl.seenKeys) != 1 || string(cl.seenKeys[0][0]) != string(serverKey.X) {
			t.Fatalf("mutual %v: client saw keys %x", mutual, cl.seenKeys)
		}
		if mutual != (len(sv.seenKeys) == 1) || mutual && string(sv.seenKeys[0][0]) != string(clientKey.X) {
			t.Fatalf("mutual %v: server saw keys %x", mutual, sv.seenKeys)
		}
		if v := cl.conn(sv).Version(); v != protocol.VersionDTLS13 {
			t.Fatalf("version %#04x", v)
		}
	}
}

func TestDTLS13Suites(t *testing.T) {
	for _, id := range []protocol.CipherSuite{protocol.TLS_AES_128_CCM_8_SHA256, protocol.TLS_AES_128_CCM_SHA256, protocol.TLS_AES_128_GCM_SHA256} {
		for _, ecdhe := range []bool{false, true} {
			cl, sv, l := pair13(t, 3, ecdhe)
			cl.params = onlySuites(id)
			handshakeOK(t, cl, sv, l, 5*time.Second)
			exchange(t, cl, sv, l, id.String())
			if s := cl.conn(sv).Suite(); s == nil || s.ID != id {
				t.Fatalf("%v: negotiated %v", id, s)
			}
		}
	}
}

// An application that lists only DTLS 1.2 suites gets the 1.3 suites with
// the same AEAD and authentication; explicit 1.3 suites are honoured.
func TestDTLS13SuitesFromDTLS12List(t *testing.T) {
	for _, tc := range []struct {
		list  []protocol.CipherSuite
		ecdhe bool
		want  protocol.CipherSuite
		fails bool
	}{
		{[]protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM}, false, protocol.TLS_AES_128_CCM_SHA256, false},
		{[]protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM_8}, false, protocol.TLS_AES_128_CCM_8_SHA256, false},
		{[]protocol.CipherSuite{protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM}, true, protocol.TLS_AES_128_CCM_SHA256, false},
		// An ECDHE-only list allows no PSK in 1.3 either.
		{[]protocol.CipherSuite{protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8}, false, 0, true},
		{[]protocol.CipherSuite{protocol.TLS_AES_128_GCM_SHA256, protocol.TLS_PSK_WITH_AES_128_CCM_8}, false, protocol.TLS_AES_128_GCM_SHA256, false},
	} {
		cl, sv, l := pair13(t, 4, tc.ecdhe)
		cl.params = onlySuites(tc.list...)
		sv.params = onlySuites(tc.list...)
		if tc.fails {
			cl.ep.Connect(sv.addr, l.now)
			l.run(nil, 5*time.Second)
			if cl.established(sv) {
				t.Fatalf("%v: connected", tc.list)
			}
			continue
		}
		handshakeOK(t, cl, sv, l, 5*time.Second)
		if s := cl.conn(sv).Suite(); s.ID != tc.want || cl.conn(sv).Version() != protocol.VersionDTLS13 {
			t.Fatalf("%v: %v in %#04x, want %v", tc.list, s, cl.conn(sv).Version(), tc.want)
		}
	}
}

func TestDTLS13KeyShareGroups(t *testing.T) {
	const x, p = protocol.GroupX25519, protocol.GroupSecp256r1
	for _, tc := range []struct {
		client, server []uint16
		want           uint16
		retryAsks      bool // the HelloRetryRequest names the group
	}{
		{nil, nil, x, false},
		{[]uint16{p}, nil, p, false},
		{[]uint16{p, x}, []uint16{x}, x, true},
		{[]uint16{x, p}, []uint16{p}, p, true},
	} {
		for _, ecdhe := range []bool{false, true} {
			cl, sv, l := pair(t, 5, Config{MaxVersion: protocol.VersionDTLS13, Groups: tc.client}, Config{Groups: tc.server})
			useCredentials(cl, sv, ecdhe)
			asked := false
			l.tap = func(from *peer, dg []byte) {
				if from != sv {
					return
				}
				if i := findMessage(dg, protocol.HandshakeServerHello); i >= 0 {
					sh, ok := handshake13.ParseServerHello(dg[i+12:])
					if ok && sh.IsHelloRetryRequest() {
						_, asked = handshake13.Find(sh.Extensions, protocol.ExtKeyShare)
					}
				}
			}
			handshakeOK(t, cl, sv, l, 5*time.Second)
			for _, s := range []snapshot{cl.conn(sv).snapshot(), sv.conn(cl).snapshot()} {
				if s.Group != tc.want {
					t.Fatalf("client %v server %v: group %d, want %d", tc.client, tc.server, s.Group, tc.want)
				}
			}
			if asked != tc.retryAsks {
				t.Fatalf("client %v server %v: the retry asks for a group: %v", tc.client, tc.server, asked)
			}
		}
	}
}

func TestDTLS13ConnectionIDAndRecordSizeLimit(t *testing.T) {
	cl, sv, l := pair(t, 6, Config{MaxVersion: protocol.VersionDTLS13, RecordSizeLimit: 200}, Config{RecordSizeLimit: 300})
	useCredentials(cl, sv, false)
	sv.echo = true
	unified, withCID := 0, 0
	l.tap = func(from *peer, dg []byte) {
		if from == cl && len(dg) > 0 && dg[0]&0xe0 == 0x20 {
			unified++
			if dg[0]&0x10 != 0 {
				withCID++
			}
		}
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	exchange(t, cl, sv, l, "with a connection ID")
	if cid := cl.conn(sv).WriteCID(); len(cid) != 6 || string(sv.conn(cl).ReadCID()) != string(cid) {
		t.Fatalf("CIDs: client writes %x, server reads %x", cid, sv.conn(cl).ReadCID())
	}
	if unified == 0 || withCID != unified {
		t.Fatalf("%d of the client's %d protected datagrams carry the CID", withCID, unified)
	}
	// RFC 8449 §4: in 1.3 the limit counts the inner content type.
	if n := sv.conn(cl).MaxWrite(); n != 199 {
		t.Fatalf("server's MaxWrite %d under the client's limit of 200", n)
	}
	if n := cl.conn(sv).MaxWrite(); n != 299 {
		t.Fatalf("client's MaxWrite %d under the server's limit of 300", n)
	}
	if _, err := sv.write(cl, make([]byte, 200), l.now); err != ErrTooLarge {
		t.Fatalf("200 bytes past a limit of 200: %v", err)
	}
	big := string(bytes.Repeat([]byte("z"), 199))
	sv.echo = false
	if n, err := sv.write(cl, []byte(big), l.now); err != nil || n != 199 {
		t.Fatalf("Write = %d, %v", n, err)
	}
	l.drain()
	if len(cl.received) != 2 || string(cl.received[1]) != big {
		t.Fatalf("client received %d messages", len(cl.received))
	}
}

// KeyUpdate (RFC 8446 §4.6.3, RFC 9147 §8) is what Renegotiate does in
// 1.3, from either side: it asks the peer to update too, so both
// directions move to the next epoch, each once its KeyUpdate is
// acknowledged. The application hears what dtls.h promises for
// dtls_renegotiate(), at both ends: DTLS_EVENT_RENEGOTIATE when it starts,
// DTLS_EVENT_CONNECTED when both directions have their new keys
// (applications written for 1.2 wait for it).
func TestDTLS13KeyUpdate(t *testing.T) {
	cl, sv, l := pair13(t, 7, false)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	epochs := func(want uint16) {
		t.Helper()
		for _, p := range []*peer{cl, sv} {
			if r, w := p.conn(l.other(p)).Epoch(); r != want || w != want {
				t.Fatalf("%s: epochs read %d write %d, want %d", p.name, r, w, want)
			}
		}
	}
	mark := func() [2]int { return [2]int{len(cl.events), len(sv.events)} }
	rekeyed := func(from [2]int, what string) {
		t.Helper()
		for i, p := range []*peer{cl, sv} {
			var got []uint16
			for _, e := range p.events[from[i]:] {
				if e.level != protocol.LevelInternal {
					t.Fatalf("%s: %s: alert %v", p.name, what, e)
				}
				got = append(got, e.code)
			}
			if len(got) != 2 || got[0] != protocol.EventRenegotiate || got[1] != protocol.EventConnected {
				t.Fatalf("%s: %s: events %v, want RENEGOTIATE then CONNECTED", p.name, what, got)
			}
		}
	}
	epochs(3)
	m := mark()
	if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	l.drain()
	epochs(4)
	rekeyed(m, "the client's KeyUpdate")
	exchange(t, cl, sv, l, "after the client's KeyUpdate")
	m = mark()
	if err := sv.ep.Renegotiate(cl.addr, l.now); err != nil {
		t.Fatal(err)
	}
	l.drain()
	epochs(5)
	rekeyed(m, "the server's KeyUpdate")
	exchange(t, cl, sv, l, "after the server's KeyUpdate")
	// One at a time: a second request while one is under way joins it.
	m = mark()
	cl.ep.Renegotiate(sv.addr, l.now)
	cl.ep.Renegotiate(sv.addr, l.now)
	l.drain()
	epochs(6)
	rekeyed(m, "two requests at once")
}

// The write epoch is updated before the AEAD's limit on its own.
func TestDTLS13KeyUpdateBeforeTheLimit(t *testing.T) {
	cl, sv, l := pair13(t, 8, false)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	events := [2]int{len(cl.events), len(sv.events)}
	// As if the client had sent that many records: the server's window
	// follows, or the sequence number could not be reconstructed.
	cl.conn(sv).rl.Out.SetSeq(keyUpdateAfter - 1)
	sv.conn(cl).rl.In.AcceptUpTo(keyUpdateAfter - 2)
	exchange(t, cl, sv, l, "the last record of epoch 3")
	l.drain()
	if _, w := cl.conn(sv).Epoch(); w != 4 {
		t.Fatalf("client write epoch %d after %d records", w, keyUpdateAfter)
	}
	if r, _ := sv.conn(cl).Epoch(); r != 4 {
		t.Fatalf("server read epoch %d", r)
	}
	exchange(t, cl, sv, l, "in epoch 4")
	// The engine's own update, which asks nothing of the peer, is not
	// the application's business (only dtls_renegotiate()'s are).
	if len(cl.events) != events[0] || len(sv.events) != events[1] {
		t.Fatalf("events for an update nobody asked for: client %v, server %v",
			cl.events[events[0]:], sv.events[events[1]:])
	}
}

func TestDTLS13CloseNotify(t *testing.T) {
	cl, sv, l := pair13(t, 9, true)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if err := cl.ep.Close(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	l.run(noConns(cl, sv), 5*time.Second)
	if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
		t.Fatalf("associations left: client %d, server %d", cl.ep.NumConns(), sv.ep.NumConns())
	}
	if !sv.hasEvent(protocol.LevelWarning, uint16(protocol.AlertCloseNotify)) {
		t.Fatalf("server events %v", sv.events)
	}
	if cl.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 || sv.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 {
		t.Fatalf("CONNECTED events: client %v server %v", cl.events, sv.events)
	}
}

// serverRandom returns the random of the first ServerHello in dg that is
// not a HelloRetryRequest.
func serverRandom(dg []byte) []byte {
	if i := findMessage(dg, protocol.HandshakeServerHello); i >= 0 && len(dg) >= i+12+34 {
		return append([]byte(nil), dg[i+12+2:i+12+34]...)
	}
	return nil
}

// A server that speaks 1.3 negotiates 1.2 with a 1.2 client, and says so
// in its random (RFC 8446 §4.1.3); one that speaks only 1.2 does not.
func TestDTLS13ServerWithDTLS12Client(t *testing.T) {
	for _, max := range []uint16{0, protocol.VersionDTLS12} {
		cl, sv, l := pair(t, 10, Config{}, Config{MaxVersion: max})
		useCredentials(cl, sv, false)
		sv.echo = true
		var random []byte
		l.tap = func(from *peer, dg []byte) {
			if r := serverRandom(dg); from == sv && r != nil {
				random = r
			}
		}
		handshakeOK(t, cl, sv, l, 5*time.Second)
		exchange(t, cl, sv, l, "1.2")
		if v := sv.conn(cl).Version(); v != protocol.VersionDTLS12 {
			t.Fatalf("version %#04x", v)
		}
		if sentinel := downgraded(random); sentinel != (max == 0) {
			t.Fatalf("server max %#04x: downgrade sentinel %v in % x", max, sentinel, random)
		}
	}
}

// A client that offers 1.3 falls back to 1.2 with a 1.2 server (whose
// random has no sentinel): first a HelloVerifyRequest, then 1.2's
// handshake.
func TestDTLS13ClientWithDTLS12Server(t *testing.T) {
	for _, ecdhe := range []bool{false, true} {
		cl, sv, l := pair(t, 11, Config{MaxVersion: protocol.VersionDTLS13}, Config{MaxVersion: protocol.VersionDTLS12})
		useCredentials(cl, sv, ecdhe)
		sv.echo = true
		handshakeOK(t, cl, sv, l, 5*time.Second)
		exchange(t, cl, sv, l, "fallback")
		for _, p := range []*peer{cl, sv} {
			if v := p.conn(l.other(p)).Version(); v != protocol.VersionDTLS12 {
				t.Fatalf("%s: version %#04x", p.name, v)
			}
		}
		if sv.ep.NumHandshakes() != 0 || cl.ep.NumHandshakes() != 0 {
			t.Fatalf("handshakes left: client %d, server %d", cl.ep.NumHandshakes(), sv.ep.NumHandshakes())
		}
	}
	// A client that insists on 1.3 does not.
	cl, sv, l := pair(t, 12, Config{MinVersion: protocol.VersionDTLS13}, Config{MaxVersion: protocol.VersionDTLS12})
	useCredentials(cl, sv, false)
	cl.ep.Connect(sv.addr, l.now)
	l.run(nil, 5*time.Second)
	if cl.established(sv) || !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertProtocolVersion)) {
		t.Fatalf("1.3-only client with a 1.2 server: events %v", cl.events)
	}
}

// records13 splits a datagram into its records (CID of cidLen bytes on
// unified headers).
func records13(t *testing.T, dg []byte, cidLen int) [][]byte {
	t.Helper()
	var out [][]byte
	for len(dg) > 0 {
		_, _, rest, ok := record.Parse(dg, record.FixedCIDLen(cidLen))
		if !ok {
			t.Fatalf("datagram does not parse: % x", dg)
		}
		out = append(out, dg[:len(dg)-len(rest)])
		dg = rest
	}
	return out
}

// RFC 9147 §7: the client acknowledges the part of the server's flight
// that came, and the server's retransmission leaves that part out.
func TestDTLS13ACKedRecordsNotResent(t *testing.T) {
	cl, sv, l := pair13(t, 13, false)
	var flights [][]int // records per datagram of the server's flight, per transmission
	cut := false
	l.filter = func(from *peer, dg []byte) []byte {
		if from != sv || serverRandom(dg) == nil && !cut {
			return dg
		}
		recs := records13(t, dg, 0)
		if !cut && len(recs) >= 3 {
			// Lose the Finished, the last record of the first transmission.
			cut = true
			flights = append(flights, []int{len(recs)})
			return bytes.Join(recs[:len(recs)-1], nil)
		}
		if cut && len(flights) == 1 && len(recs) > 0 && recs[0][0]&0xe0 == 0x20 && recs[0][0]&3 == 2 {
			flights = append(flights, []int{len(recs)})
		}
		return dg
	}
	acks := 0
	l.tap = func(from *peer, dg []byte) {
		if from == cl && cut && len(flights) == 1 && dg[0]&0xe0 == 0x20 {
			acks++
		}
	}
	handshakeOK(t, cl, sv, l, 10*time.Second)
	if len(flights) != 2 || flights[0][0] < 3 || flights[1][0] != 1 {
		t.Fatalf("server flight transmissions (records): %v; want the whole flight, then its Finished alone", flights)
	}
	if acks == 0 {
		t.Fatal("the client did not acknowledge the partial flight")
	}
}

// The server acknowledges the client's last flight, and again when the
// client retransmits it because the ACK was lost; the client keeps its
// flight until then.
func TestDTLS13ServerReACKsClientFinished(t *testing.T) {
	cl, sv, l := pair13(t, 14, false)
	dropped := 0
	l.filter = func(from *peer, dg []byte) []byte {
		// The server's first record of epoch 3, its ACK, is lost.
		if from == sv && dropped == 0 && dg[0]&0xe3 == 0x23 {
			dropped++
			return nil
		}
		return dg
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if dropped != 1 || !cl.conn(sv).snapshot().Flight {
		t.Fatalf("dropped %d ACKs; client keeps its flight: %v", dropped, cl.conn(sv).snapshot().Flight)
	}
	l.run(func() bool { return !cl.conn(sv).snapshot().Flight }, 5*time.Second)
	if cl.conn(sv).snapshot().Flight {
		t.Fatal("the client's last flight was never acknowledged")
	}
	exchange(t, cl, sv, l, "acknowledged")
}

func TestDTLS13PSKWithoutECDHE(t *testing.T) {
	for _, side := range []string{"client", "server", "both"} {
		cl, sv, l := pair13(t, 15, false)
		want := func(p *UserParameters) { p.PSKWithoutECDHE = true }
		switch side {
		case "client":
			cl.params = want
		case "server":
			sv.params = want
		default:
			cl.params, sv.params = want, want
		}
		handshakeOK(t, cl, sv, l, 5*time.Second)
		exchange(t, cl, sv, l, "psk_ke")
		for _, p := range []*peer{cl, sv} {
			if s := p.conn(l.other(p)).snapshot(); s.KeyExchange != "psk_ke" || s.Group != 0 {
				t.Fatalf("%s asks: %s has %q, group %d", side, p.name, s.KeyExchange, s.Group)
			}
		}
	}
	cl, sv, l := pair13(t, 16, false)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if s := sv.conn(cl).snapshot(); s.KeyExchange != "psk_dhe_ke" {
		t.Fatalf("default: %q", s.KeyExchange)
	}
}

// A server that asks for the client's key gets none from a client without
// one: certificate_required, as a 1.2 server fails such a handshake.
func TestDTLS13ClientWithoutKey(t *testing.T) {
	cl, sv, l := pair13(t, 17, true)
	cl.key, cl.caps.ECDSAKey = nil, false
	cl.ep.Connect(sv.addr, l.now)
	l.run(nil, 5*time.Second)
	if cl.established(sv) && sv.established(cl) || !sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertCertificateRequired)) {
		t.Fatalf("server events %v", sv.events)
	}
}

// A server that speaks only 1.3 refuses a 1.2 client with
// protocol_version, statelessly.
func TestDTLS13OnlyServer(t *testing.T) {
	cl, sv, l := pair(t, 18, Config{}, Config{MinVersion: protocol.VersionDTLS13})
	useCredentials(cl, sv, false)
	cl.ep.Connect(sv.addr, l.now)
	l.run(nil, 5*time.Second)
	if sv.ep.NumConns() != 0 || !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertProtocolVersion)) {
		t.Fatalf("client events %v, server associations %d", cl.events, sv.ep.NumConns())
	}
	cl, sv, l = pair(t, 19, Config{MinVersion: protocol.VersionDTLS13}, Config{MinVersion: protocol.VersionDTLS13})
	useCredentials(cl, sv, true)
	sv.echo = true
	handshakeOK(t, cl, sv, l, 5*time.Second)
	exchange(t, cl, sv, l, "1.3 only")
}

// Handshake messages larger than a datagram are fragmented and
// reassembled as in 1.2, with and without loss.
func TestDTLS13TinyMTU(t *testing.T) {
	const mtu = MinMTU
	for _, loss := range []float64{0, 0.3} {
		cl, sv, l := pair(t, 20, Config{MTU: mtu, MaxVersion: protocol.VersionDTLS13}, Config{MTU: mtu})
		useCredentials(cl, sv, true)
		sv.echo = true
		l.loss, l.dup, l.reorder = loss, loss/3, loss/3
		fragmented := false
		l.tap = func(from *peer, dg []byte) {
			// A ClientHello goes whole, as in 1.2, and so does the
			// stateless HelloRetryRequest (a 1.2 HelloVerifyRequest is
			// smaller than any MTU).
			if findMessage(dg, protocol.HandshakeClientHello) < 0 && !isHRR(dg) && len(dg) > mtu {
				t.Errorf("%s sent a %d-byte datagram over an MTU of %d", from.name, len(dg), mtu)
			}
			if from == sv && len(dg) > 0 && dg[0]&0xe3 == 0x22 && len(records13(t, dg, 0)) == 1 && len(dg) > mtu-20 {
				fragmented = true
			}
		}
		handshakeOK(t, cl, sv, l, 300*time.Second)
		if !fragmented {
			t.Fatalf("loss %.0f%%: the server's flight was never cut into full datagrams", loss*100)
		}
		if n := cl.conn(sv).MaxWrite(); n != mtu-(1+6+2+2+1+8) {
			t.Fatalf("MaxWrite %d at MTU %d", n, mtu)
		}
		l.loss, l.dup, l.reorder = 0, 0, 0
		exchange(t, cl, sv, l, "through a small MTU")
	}
}

// isHRR reports whether dg holds a HelloRetryRequest.
func isHRR(dg []byte) bool {
	i := findMessage(dg, protocol.HandshakeServerHello)
	if i < 0 {
		return false
	}
	sh, ok := handshake13.ParseServerHello(dg[i+12 : i+12+fragmentLength(dg[i:])])
	return ok && sh.IsHelloRetryRequest()
}
