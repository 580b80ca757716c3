// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// What we send must be what every DTLS 1.2 implementation in the field
// accepts, whatever RFC 6347 would also allow. These tests pin the rules
// that upstream tinydtls's receiving code made necessary.

// checkOneMessagePerRecord fails the test unless every handshake record in
// dg holds exactly one handshake message or fragment: upstream tinydtls
// rejects a record with more ("Fragment size does not match packet size").
// Protected records cannot be opened here; of those only the Finished
// records (the one protected handshake message of a first handshake) are
// checked, by their length.
func checkOneMessagePerRecord(t *testing.T, who string, dg []byte, cidLen int) {
	t.Helper()
	for len(dg) > 0 {
		h, payload, rest, ok := record.Parse(dg, record.FixedCIDLen(cidLen))
		if !ok {
			t.Fatalf("%s sent a datagram that does not parse into records", who)
		}
		dg = rest
		if h.Type != protocol.ContentHandshake && h.Type != protocol.ContentTLS12CID {
			continue
		}
		if h.Epoch > 0 {
			// Finished: 12 bytes of handshake header and 12 of verify_data.
			if n := len(payload); h.Type == protocol.ContentHandshake && n != 8+24+8 && n != 8+24+16 {
				t.Errorf("%s: protected handshake record of %d bytes is not one Finished", who, n)
			}
			continue
		}
		hh, _, tail, ok := handshake.ParseFragment(payload)
		if !ok || len(tail) != 0 {
			t.Errorf("%s: %v record holds more than one handshake message", who, hh.Type)
		}
	}
}

func TestEveryHandshakeRecordHoldsOneMessage(t *testing.T) {
	cases := []struct {
		name  string
		setup func(cl, sv *peer)
	}{
		{"PSK", func(cl, sv *peer) { useCredentials(cl, sv, false) }},
		{"PSK with hint", func(cl, sv *peer) { useCredentials(cl, sv, false); sv.hint = []byte("a hint") }},
		{"ECDHE mutual", func(cl, sv *peer) { useCredentials(cl, sv, true) }},
		{"ECDHE server only", func(cl, sv *peer) {
			useCredentials(cl, sv, true)
			sv.caps.VerifyECDSAKey = false
		}},
	}
	for i, tc := range cases {
		for _, mtu := range []int{1400, 200} {
			t.Run(fmt.Sprintf("%s MTU %d", tc.name, mtu), func(t *testing.T) {
				cl, sv, l := pair(t, int64(700+10*i+mtu%7), Config{MTU: mtu}, Config{MTU: mtu})
				tc.setup(cl, sv)
				sv.echo = true
				records := 0
				l.tap = func(from *peer, dg []byte) {
					records++
					checkOneMessagePerRecord(t, from.name, dg, cidLen(l.other(from), from))
				}
				handshakeOK(t, cl, sv, l, 10*time.Second)
				exchange(t, cl, sv, l, "after a handshake of single-message records")
				if records < 5 {
					t.Fatalf("only %d datagrams seen", records)
				}
			})
		}
	}
}

// isCookieHello reports whether dg carries a ClientHello with a cookie.
func isCookieHello(dg []byte) bool {
	i := findMessage(dg, protocol.HandshakeClientHello)
	if i < 0 {
		return false
	}
	var ch handshake.ClientHello
	return ch.Unmarshal(dg[i+12:i+12+fragmentLength(dg[i:])]) && len(ch.Cookie) > 0
}

// A server may take every ClientHello with a valid cookie as a new
// handshake (RFC 6347 §4.2.8), and upstream tinydtls does so even for an
// exact copy. So a duplicated HelloVerifyRequest must not make the client
// send its ClientHello again.
func TestDuplicatedHelloVerifyRequestIsNotAnswered(t *testing.T) {
	cl, sv, l := pskPair(t, 720, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	hellos := 0
	l.tap = func(from *peer, dg []byte) {
		if from == cl && isCookieHello(dg) {
			hellos++
		}
	}
	l.filter = func(from *peer, dg []byte) []byte {
		if from == sv && findMessage(dg, protocol.HandshakeHelloVerifyRequest) >= 0 {
			// Three HelloVerifyRequests reach the client, as when copies of
			// its first ClientHello each got one: same message, different
			// record sequence numbers (a stateless server reuses the
			// ClientHello's).
			for i := 1; i <= 2; i++ {
				c := append([]byte(nil), dg...)
				c[10] += byte(100 + i)
				l.queue = append(l.queue, packet{to: cl, srcAddr: sv.addr, data: c, at: l.now + time.Millisecond, order: -i})
			}
		}
		return dg
	}
	handshakeOK(t, cl, sv, l, 10*time.Second)
	if hellos != 1 {
		t.Fatalf("client sent %d ClientHellos with a cookie for three copies of one HelloVerifyRequest; want 1", hellos)
	}
	exchange(t, cl, sv, l, "after duplicated HelloVerifyRequests")
}

// When the server does not answer the ClientHello with the cookie, the
// client retransmits it on its timer: once per timeout, never in copies,
// whereas other flights go in several copies after repeated loss.
func TestCookieClientHelloGoesOncePerTimeout(t *testing.T) {
	cl, sv, l := pskPair(t, 730, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	type burst struct {
		at time.Duration
		n  int
	}
	var hellos []burst
	l.tap = func(from *peer, dg []byte) {
		if from != cl || !isCookieHello(dg) {
			return
		}
		if k := len(hellos); k > 0 && hellos[k-1].at == l.now {
			hellos[k-1].n++
		} else {
			hellos = append(hellos, burst{l.now, 1})
		}
	}
	// The server hears nothing once it has sent its HelloVerifyRequest.
	l.filter = func(from *peer, dg []byte) []byte {
		if from == cl && isCookieHello(dg) {
			return nil
		}
		return dg
	}
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl), 400*time.Second)
	if len(hellos) != 8 {
		t.Fatalf("ClientHello with cookie sent at %v; want the first transmission and 7 retransmissions", hellos)
	}
	for _, b := range hellos {
		if b.n != 1 {
			t.Fatalf("ClientHello with cookie sent %d times at %v; want once per timeout (%v)", b.n, b.at, hellos)
		}
	}
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertHandshakeFailure)) {
		t.Fatalf("client events %v: want the handshake timeout", cl.events)
	}
}

// The server's flights are not ClientHellos: after repeated loss they go in
// several copies, which is what gets handshakes through 30 % loss.
func TestServerFlightGoesInCopiesAfterRepeatedLoss(t *testing.T) {
	cl, sv, l := pskPair(t, 740, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	flight4 := map[time.Duration]int{}
	l.filter = func(from *peer, dg []byte) []byte {
		if from == sv && findMessage(dg, protocol.HandshakeServerHello) >= 0 {
			flight4[l.now]++
			return nil
		}
		if from == cl && isCookieHello(dg) && len(flight4) > 0 {
			return nil // the client's retransmissions do not reach the server
		}
		return dg
	}
	cl.ep.Connect(sv.addr, l.now)
	l.run(func() bool { return len(flight4) >= 4 }, 30*time.Second)
	var counts []int
	for _, at := range []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second} {
		for t0, n := range flight4 {
			if t0 >= at && t0 < at+100*time.Millisecond {
				counts = append(counts, n)
			}
		}
	}
	if fmt.Sprint(counts) != "[1 2 3 3]" {
		t.Fatalf("flight 4 copies per transmission %v (at %v); want [1 2 3 3]", counts, flight4)
	}
}

// What the application's write callback reports reaches the caller of
// Write and Connect as upstream computes it: a negative value as the
// failure, 0 as 0, and a short count as the payload minus what was not
// sent.
func TestWriteAndConnectReportWhatTheCallbackSent(t *testing.T) {
	cl, sv, l := pskPair(t, 750, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	msg := []byte("twenty bytes of data")
	overhead := 13 + 8 + 8 // header, explicit nonce, CCM_8 tag
	if len(cl.conn(sv).WriteCID()) > 0 {
		overhead += len(cl.conn(sv).WriteCID()) + 1
	}
	for _, tc := range []struct {
		report int
		want   int
	}{
		{-1, -1}, {-7, -7}, {0, 0},
		{overhead + len(msg), len(msg)},
		{overhead + len(msg) - 5, len(msg) - 5},
		{3, 0},
	} {
		cl.writeResult = func(dg []byte) int {
			if len(dg) != overhead+len(msg) {
				t.Fatalf("record of %d bytes, want %d", len(dg), overhead+len(msg))
			}
			return tc.report
		}
		n, err := cl.ep.Write(sv.addr, [][]byte{msg}, l.now)
		if n != tc.want {
			t.Errorf("write callback reports %d: Write = %d, want %d", tc.report, n, tc.want)
		}
		if se, ok := err.(SendError); (tc.report < 0) != ok || ok && int(se) != tc.report {
			t.Errorf("write callback reports %d: Write error %v", tc.report, err)
		}
	}
	cl.writeResult = nil
	l.drain() // the harness sent every record whatever the callback reported
	cl.received = nil
	exchange(t, cl, sv, l, "the association survived failed writes")

	for _, tc := range []struct {
		name   string
		report func(dg []byte) int
		want   int
		event  bool
		err    bool
	}{
		{"everything", func(dg []byte) int { return len(dg) }, -13, true, false},
		{"nothing", func(dg []byte) int { return 0 }, 0, false, false},
		{"all but 10 bytes", func(dg []byte) int { return len(dg) - 10 }, -23, true, false},
		{"a failure", func(dg []byte) int { return -5 }, -5, false, true},
	} {
		t.Run("ClientHello "+tc.name, func(t *testing.T) {
			c2, sv2, _ := pskPair(t, 760, protocol.TLS_PSK_WITH_AES_128_CCM_8)
			var dgLen int
			c2.writeResult = func(dg []byte) int { dgLen = len(dg); return tc.report(dg) }
			n, err := c2.ep.Connect(sv2.addr, 0)
			want := tc.want
			if want < 0 && !tc.err {
				want += dgLen // relative to the datagram: the ClientHello message is dgLen-13 bytes
			}
			if tc.err {
				if se, ok := err.(SendError); !ok || int(se) != tc.want || n != 0 {
					t.Fatalf("Connect = %d, %v; want the write callback's %d", n, err, tc.want)
				}
				if c2.ep.NumConns() != 0 {
					t.Fatalf("a failed ClientHello left an association behind")
				}
				return
			}
			if err != nil || n != want {
				t.Fatalf("Connect = %d, %v; want %d (datagram %d bytes)", n, err, want, dgLen)
			}
			if got := c2.hasEvent(protocol.LevelInternal, protocol.EventConnect); got != tc.event {
				t.Fatalf("CONNECT event %v, want %v", got, tc.event)
			}
		})
	}
}

// dropRecords makes the link remove from from's datagrams every record for
// which drop returns true, while active holds.
func dropRecords(t *testing.T, l *link, from *peer, active func() bool, drop func(h record.Header, payload []byte) bool) {
	l.filter = func(p *peer, dg []byte) []byte {
		if p != from || !active() {
			return dg
		}
		var out []byte
		for rest := dg; len(rest) > 0; {
			h, payload, tail, ok := record.Parse(rest, record.FixedCIDLen(cidLen(l.other(from), from)))
			if !ok {
				t.Fatalf("%s sent a datagram that does not parse", from.name)
			}
			if !drop(h, payload) {
				out = append(out, rest[:len(rest)-len(tail)]...)
			}
			rest = tail
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
}

func handshakeType(h record.Header, payload []byte) protocol.HandshakeType {
	if h.Type != protocol.ContentHandshake || h.Epoch != 0 {
		return 255
	}
	hh, _, _, ok := handshake.ParseFragment(payload)
	if !ok {
		return 255
	}
	return hh.Type
}

// Once part of the peer's next flight arrived, the peer has ours: we stop
// retransmitting it and wait for the peer to retransmit the rest. For the
// client this matters most: a second ClientHello with a cookie makes
// upstream's server start over while its first answer is half delivered.
func TestPeerAnswerStopsOurRetransmissions(t *testing.T) {
	t.Run("client: ServerHello arrived, ServerHelloDone lost", func(t *testing.T) {
		cl, sv, l := pskPair(t, 770, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		var gotHello time.Duration
		hellosAfter := 0
		l.tap = func(from *peer, dg []byte) {
			if from == cl && gotHello > 0 && isCookieHello(dg) {
				hellosAfter++
			}
		}
		dropRecords(t, l, sv, func() bool { return l.now < 2500*time.Millisecond }, func(h record.Header, p []byte) bool {
			if handshakeType(h, p) == protocol.HandshakeServerHello && gotHello == 0 {
				gotHello = l.now
			}
			return handshakeType(h, p) == protocol.HandshakeServerHelloDone
		})
		handshakeOK(t, cl, sv, l, 20*time.Second)
		if gotHello == 0 || hellosAfter != 0 {
			t.Fatalf("client sent %d ClientHellos with a cookie after the ServerHello arrived at %v; want none", hellosAfter, gotHello)
		}
		if l.now < 2500*time.Millisecond {
			t.Fatalf("handshake completed at %v, before the server's retransmission could deliver the ServerHelloDone", l.now)
		}
		exchange(t, cl, sv, l, "after the server's own retransmission")
	})
	t.Run("server: ClientKeyExchange arrived, ChangeCipherSpec and Finished lost", func(t *testing.T) {
		cl, sv, l := pskPair(t, 780, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		var gotKX time.Duration
		flight4After := 0
		l.tap = func(from *peer, dg []byte) {
			if from == sv && gotKX > 0 && findMessage(dg, protocol.HandshakeServerHello) >= 0 {
				flight4After++
			}
		}
		dropRecords(t, l, cl, func() bool { return l.now < 2500*time.Millisecond }, func(h record.Header, p []byte) bool {
			if handshakeType(h, p) == protocol.HandshakeClientKeyExchange && gotKX == 0 {
				gotKX = l.now
			}
			return h.Type == protocol.ContentChangeCipherSpec || h.Epoch > 0
		})
		handshakeOK(t, cl, sv, l, 20*time.Second)
		if gotKX == 0 || flight4After != 0 {
			t.Fatalf("server sent flight 4 %d times after the ClientKeyExchange arrived at %v; want none", flight4After, gotKX)
		}
		exchange(t, cl, sv, l, "after the client's own retransmission")
	})
}

// A peer that retransmits record by record, as upstream tinydtls does, may
// get its ClientKeyExchange through while its Finished keeps getting lost.
// That too tells the server its final flight was lost; and the server keeps
// that flight for twice the MSL, longer than upstream's retransmissions run.
func TestFinalFlightResentForOldEpochRetransmission(t *testing.T) {
	cl, sv, l := pskPair(t, 790, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	var flight5 []byte
	l.tap = func(from *peer, dg []byte) {
		if from == cl && flight5 == nil && findMessage(dg, protocol.HandshakeClientKeyExchange) >= 0 {
			flight5 = append([]byte(nil), dg...)
		}
	}
	// The server's final flight never arrives.
	dropRecords(t, l, sv, func() bool { return true }, func(h record.Header, p []byte) bool {
		return h.Type == protocol.ContentChangeCipherSpec || h.Epoch > 0
	})
	cl.ep.Connect(sv.addr, l.now)
	runTo(t, l, "server connected", connected(sv, cl))
	var kx []byte
	for _, r := range splitRecords(t, sv, cl, flight5) {
		h, p, _, _ := record.Parse(r, record.FixedCIDLen(0))
		if handshakeType(h, p) == protocol.HandshakeClientKeyExchange {
			kx = r
		}
	}
	// 250 s later the ClientKeyExchange alone comes again (with a fresh
	// record sequence number, as a retransmission has).
	l.filter = nil
	l.now += 250 * time.Second
	sv.ep.CheckRetransmit(l.now)
	kx[10] += 50
	before := sv.sentDgs
	deliver(t, sv, cl.addr, kx, l.now)
	if sv.sentDgs == before {
		t.Fatalf("server did not resend its final flight for a retransmitted ClientKeyExchange 250 s after the handshake")
	}
	// A ChangeCipherSpec or HelloRequest of the old epoch is no such sign.
	for _, rec := range [][]byte{plainRecord(protocol.ContentChangeCipherSpec, protocol.VersionDTLS12, 0, 200, []byte{1}),
		plainRecord(protocol.ContentHandshake, protocol.VersionDTLS12, 0, 201, hsMsg(protocol.HandshakeHelloRequest, 0, nil))} {
		l.now += 2 * time.Second // past the answer rate limit
		before = sv.sentDgs
		deliver(t, sv, cl.addr, rec, l.now)
		if sv.sentDgs != before {
			t.Fatalf("server answered an old-epoch record that is not part of the client's last flight")
		}
	}
}
