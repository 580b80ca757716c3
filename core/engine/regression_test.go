// SPDX-License-Identifier: BSD-3-Clause

package engine

// Byte-level regression tests, one per known vulnerability class and
// state-machine bug pattern of DTLS stacks (upstream tinydtls has a long
// record of these). Each test crafts the offending bytes, injects them with
// Endpoint.HandleDatagram at a chosen moment of a real handshake between two
// harness peers, and checks the reaction RFC 6347 / RFC 5246 prescribe:
// silently dropped (nothing sent, the association unchanged and still
// usable) or a specific fatal alert (sent, reported to both applications,
// the association removed).

import (
	"bytes"
	"crypto/ecdh"
	"fmt"
	"math/rand"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// ---------------------------------------------------------------------------
// Helpers

// deliver hands one crafted datagram to p as if it came from addr. A panic
// in the engine becomes a test failure with its stack; a call that does not
// return within ten seconds (a loop in the engine) crashes the test binary
// with the datagram that caused it.
func deliver(t *testing.T, p *peer, addr []byte, dg []byte, now time.Duration) {
	t.Helper()
	in := append([]byte(nil), dg...)
	timer := time.AfterFunc(10*time.Second, func() {
		panic(fmt.Sprintf("HandleDatagram at %s did not return for datagram % x", p.name, in))
	})
	defer timer.Stop()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("HandleDatagram at %s panicked on % x: %v\n%s", p.name, in, r, debug.Stack())
		}
	}()
	p.ep.HandleDatagram(addr, in, now)
}

// plainRecord builds one unprotected record.
func plainRecord(typ protocol.ContentType, version, epoch uint16, seq uint64, payload []byte) []byte {
	h := record.Header{Type: typ, Version: version, Epoch: epoch, Seq: seq, Length: len(payload)}
	return append(record.AppendHeader(nil, &h), payload...)
}

// hsMsg builds an unfragmented handshake message.
func hsMsg(typ protocol.HandshakeType, seq uint16, body []byte) []byte {
	h := handshake.Header{Type: typ, Length: uint32(len(body)), MessageSeq: seq, FragmentLength: uint32(len(body))}
	return append(h.Append(nil), body...)
}

// hsFrag builds a handshake fragment with every header field given.
func hsFrag(typ protocol.HandshakeType, length uint32, seq uint16, off, flen uint32, frag []byte) []byte {
	h := handshake.Header{Type: typ, Length: length, MessageSeq: seq, FragmentOffset: off, FragmentLength: flen}
	return append(h.Append(nil), frag...)
}

// forgeEpoch builds a record with c's current write keys and next sequence
// number but the given epoch in its header, without consuming anything of c.
func forgeEpoch(c *Conn, epoch uint16, typ protocol.ContentType, content []byte) []byte {
	s := c.snapshot()
	h := record.Header{Type: typ, Version: protocol.VersionDTLS12, Epoch: epoch, Seq: s.WriteSeq}
	if !s.WriteKeys.Protected() {
		h.Length = len(content)
		return append(record.AppendHeader(nil, &h), content...)
	}
	if s.WriteCID != "" {
		h.Type, h.CID = protocol.ContentTLS12CID, []byte(s.WriteCID)
	}
	ci, err := record.NewCipher(s.WriteKeys.Suite, s.WriteKeys.Key[:], s.WriteKeys.IV[:])
	if err != nil {
		panic(err)
	}
	b := append(record.AppendHeader(nil, &h), make([]byte, 8)...) // the explicit nonce
	b = append(b, content...)
	if h.CID != nil {
		b = append(b, byte(typ))
	}
	return ci.Seal(b, &h)
}

// clientVerify is the client's verify_data of c's last handshake.
func clientVerify(c *Conn) []byte {
	v := c.snapshot().ClientVerify
	return v[:]
}

// injector crafts records to inject into a running handshake with sequence
// numbers the receiver accepts and the sender never uses itself, so that an
// injected record is really processed and never shadows a genuine one.
type injector struct {
	t     *testing.T
	l     *link
	split bool // splitDatagrams renumbers epoch 0
	n     uint64
}

func (in *injector) seq0(sender, receiver *Conn) uint64 {
	in.n++
	if in.split {
		// splitDatagrams maps sequence number s to s*32+i with i < 16.
		var top uint64
		if receiver != nil {
			top = receiver.snapshot().Epoch0Highest
		}
		return top/32*32 + 16 + in.n%16
	}
	if sender != nil {
		if s, ok := takeSeq(sender, 0); ok {
			return s
		}
	}
	if receiver != nil {
		if s := receiver.snapshot(); s.Epoch0Seen {
			return s.Epoch0Highest + in.n
		}
	}
	return in.n
}

// plain0 builds an epoch-0 record from -> to.
func (in *injector) plain0(from, to *peer, typ protocol.ContentType, content []byte) []byte {
	return plainRecord(typ, protocol.VersionDTLS12, 0, in.seq0(from.conn(to), to.conn(from)), content)
}

// sealed builds a record from -> to in from's write epoch epoch.
func (in *injector) sealed(from, to *peer, epoch uint16, typ protocol.ContentType, content []byte) []byte {
	return forge(in.t, from.conn(to), epoch, typ, content)
}

// next builds an epoch-0 record from -> to with a handshake message of type
// typ, numbered as the next message to expects.
func (in *injector) next(from, to *peer, typ protocol.HandshakeType, body []byte) []byte {
	return in.plain0(from, to, protocol.ContentHandshake, hsMsg(typ, to.conn(from).snapshot().Handshake.NextRecvSeq, body))
}

// record builds a record from -> to: sealed in from's write epoch epoch if
// protected, else in plaintext in epoch 0.
func (in *injector) record(from, to *peer, protected bool, epoch uint16, typ protocol.ContentType, content []byte) []byte {
	if protected {
		return in.sealed(from, to, epoch, typ, content)
	}
	return in.plain0(from, to, typ, content)
}

// send injects dg at to as coming from from.
func (in *injector) send(from, to *peer, dg []byte) {
	in.t.Helper()
	deliver(in.t, to, from.addr, dg, in.l.now)
}

// splitDatagrams makes the link carry every record in a datagram of its own
// and every handshake message of an epoch-0 record in a record of its own,
// so that a test stepping through a handshake sees every intermediate state
// of both peers. Epoch-0 sequence numbers are renumbered s -> s*32+i to give
// the extra records numbers of their own; protected records pass unchanged.
func splitDatagrams(l *link) {
	l.filter = func(from *peer, dg []byte) []byte {
		to := l.other(from)
		enqueue := func(b []byte) {
			l.seq++
			l.queue = append(l.queue, packet{to: to, srcAddr: from.addr, data: b, at: l.now + l.delay, order: l.seq})
		}
		for len(dg) > 0 {
			h, payload, rest, ok := record.Parse(dg, record.FixedCIDLen(cidLen(to, from)))
			if !ok {
				enqueue(append([]byte(nil), dg...))
				break
			}
			raw := dg[:len(dg)-len(rest)]
			dg = rest
			if h.Epoch != 0 {
				enqueue(append([]byte(nil), raw...))
				continue
			}
			parts := [][]byte{payload}
			if h.Type == protocol.ContentHandshake {
				parts = nil
				for p := payload; len(p) > 0; {
					_, _, r, ok := handshake.ParseFragment(p)
					if !ok {
						parts = append(parts, p)
						break
					}
					parts = append(parts, p[:len(p)-len(r)])
					p = r
				}
			}
			for i, part := range parts {
				enqueue(plainRecord(h.Type, h.Version, 0, h.Seq*32+uint64(i), part))
			}
		}
		return nil
	}
}

// sent records every datagram put on the link, with its sender.
type sent struct {
	from *peer
	dg   []byte
}

func recordSends(l *link) *[]sent {
	var list []sent
	prev := l.tap
	l.tap = func(from *peer, dg []byte) {
		if prev != nil {
			prev(from, dg)
		}
		list = append(list, sent{from, append([]byte(nil), dg...)})
	}
	return &list
}

// cidLen is the length of the connection ID on protected records from
// other to p.
func cidLen(p, other *peer) int {
	if c := p.conn(other); c != nil {
		return len(c.ReadCID())
	}
	return 0
}

// splitRecords returns the records of a datagram from other to p.
func splitRecords(t *testing.T, p, other *peer, dg []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(dg) > 0 {
		_, _, rest, ok := record.Parse(dg, record.FixedCIDLen(cidLen(p, other)))
		if !ok {
			t.Fatalf("datagram does not parse into records: % x", dg)
		}
		out = append(out, dg[:len(dg)-len(rest)])
		dg = rest
	}
	return out
}

// connSnap is what must not change when a record is dropped.
type connSnap struct {
	conn        *Conn
	removed     bool
	state       State
	hs          bool
	hsState     State
	newEpoch    bool
	ccsPending  bool
	nextSeq     uint16
	rd, wr      uint16
	established bool
	pending     int
}

func snap(c *Conn) connSnap {
	if c == nil {
		return connSnap{}
	}
	cs := c.snapshot()
	hs := cs.Handshake
	return connSnap{conn: c, removed: cs.Removed, state: cs.State, hs: hs.Running, established: cs.Established,
		pending: cs.Held, rd: cs.ReadEpoch, wr: cs.WriteEpoch,
		hsState: hs.State, newEpoch: hs.NewEpochActive, ccsPending: hs.CCSPending, nextSeq: hs.NextRecvSeq}
}

// marks remembers the counters of a peer.
type marks struct{ sent, events, recv int }

func mark(p *peer) marks { return marks{p.sentDgs, len(p.events), len(p.received)} }

// expectDropped fails the test unless p's association with other is as in
// the snapshot before, and p sent, reported and delivered nothing since m.
func expectDropped(t *testing.T, what string, p, other *peer, before connSnap, m marks) {
	t.Helper()
	if after := snap(p.conn(other)); after != before {
		t.Errorf("%s: %s association changed: %+v -> %+v", what, p.name, before, after)
	}
	if p.sentDgs != m.sent {
		t.Errorf("%s: %s sent %d datagrams in reaction", what, p.name, p.sentDgs-m.sent)
	}
	if len(p.events) != m.events {
		t.Errorf("%s: %s reported %v", what, p.name, p.events[m.events:])
	}
	if len(p.received) != m.recv {
		t.Errorf("%s: %s delivered %q", what, p.name, p.received[m.recv:])
	}
}

// dropped delivers dg to p as coming from other and checks that p ignored it.
func dropped(t *testing.T, what string, l *link, p, other *peer, dg []byte) {
	t.Helper()
	s, m := snap(p.conn(other)), mark(p)
	deliver(t, p, other.addr, dg, l.now)
	expectDropped(t, what, p, other, s, m)
}

// fatalSent checks that p ended its association c with other by sending a
// fatal alert, one of want, that its application heard of; it returns the
// alert. The alert must be the last datagram p sent.
func fatalSent(t *testing.T, what string, p *peer, c *Conn, m marks, want ...protocol.AlertDescription) protocol.AlertDescription {
	t.Helper()
	if !c.Removed() || p.ep.Conn(c.Addr()) == c {
		t.Errorf("%s: %s kept its association (state %v)", what, p.name, c.State())
	}
	if p.sentDgs != m.sent+1 {
		t.Errorf("%s: %s sent %d datagrams, want exactly one alert", what, p.name, p.sentDgs-m.sent)
	}
	for _, e := range p.events[m.events:] {
		if e.level != protocol.LevelFatal {
			continue
		}
		for _, w := range want {
			if e.code == uint16(w) {
				return w
			}
		}
		t.Errorf("%s: %s failed with %v, want one of %v", what, p.name, protocol.AlertDescription(e.code), want)
		return protocol.AlertDescription(e.code)
	}
	t.Errorf("%s: %s reported no fatal alert (events %v), want one of %v\n%s", what, p.name, p.events[m.events:], want, p.logs.String())
	return 0
}

// peerSawFatal runs the link until p has no association left and checks
// that it reported the fatal alert a.
func peerSawFatal(t *testing.T, what string, l *link, p, other *peer, a protocol.AlertDescription) {
	t.Helper()
	l.run(func() bool { return p.conn(other) == nil && p.hasEvent(protocol.LevelFatal, uint16(a)) }, 5*time.Second)
	if !p.hasEvent(protocol.LevelFatal, uint16(a)) {
		t.Errorf("%s: %s did not report the fatal %v: %v", what, p.name, a, p.events)
	}
	if p.conn(other) != nil {
		t.Errorf("%s: %s kept its association after the fatal alert", what, p.name)
	}
}

// endedWithFatal checks that p ended its association c with other by sending
// one of the fatal alerts want (fatalSent), that other saw that alert and
// dropped its association too, and that p never reached CONNECTED.
func endedWithFatal(t *testing.T, what string, l *link, p, other *peer, c *Conn, m marks, want ...protocol.AlertDescription) protocol.AlertDescription {
	t.Helper()
	a := fatalSent(t, what, p, c, m, want...)
	peerSawFatal(t, what, l, other, p, a)
	neverConnected(t, what, p)
	return a
}

// nextMsgFails injects a handshake message of type typ from from at to, as
// the next message to expects, and checks that to ends the handshake with
// one of the fatal alerts want (endedWithFatal) and that from never reached
// CONNECTED either.
func nextMsgFails(t *testing.T, what string, l *link, from, to *peer, typ protocol.HandshakeType, body []byte, want ...protocol.AlertDescription) {
	t.Helper()
	in := &injector{t: t, l: l}
	c := to.conn(from)
	m := mark(to)
	in.send(from, to, in.next(from, to, typ, body))
	endedWithFatal(t, what, l, to, from, c, m, want...)
	neverConnected(t, what, from)
}

// neverConnected checks that p never reported CONNECTED and got no data.
func neverConnected(t *testing.T, what string, p *peer) {
	t.Helper()
	if p.hasEvent(protocol.LevelInternal, protocol.EventConnected) {
		t.Errorf("%s: %s reported CONNECTED: %v", what, p.name, p.events)
	}
	if len(p.received) != 0 {
		t.Errorf("%s: %s delivered %q", what, p.name, p.received)
	}
}

// completes runs the handshake to its end and checks that data flows.
func completes(t *testing.T, what string, cl, sv *peer, l *link) {
	t.Helper()
	if !l.run(bothConnected(cl, sv), 30*time.Second) {
		t.Fatalf("%s: handshake did not complete: client %v server %v\n%s%s", what, cl.events, sv.events, cl.logs.String(), sv.logs.String())
	}
	if n := cl.countEvent(protocol.LevelInternal, protocol.EventConnected); n != 1 {
		t.Errorf("%s: client reported CONNECTED %d times", what, n)
	}
	if n := sv.countEvent(protocol.LevelInternal, protocol.EventConnected); n != 1 {
		t.Errorf("%s: server reported CONNECTED %d times", what, n)
	}
	l.drain()
	exchange(t, cl, sv, l, "after "+what)
}

// establishedPSK runs a PSK handshake to its end and drains the link.
func establishedPSK(t *testing.T, seed int64) (*peer, *peer, *link) {
	t.Helper()
	cl, sv, l := pskPair(t, seed, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	l.drain()
	return cl, sv, l
}

// hsState reports whether p's association with other runs a handshake in state s.
func hsState(p, other *peer, s State) func() bool {
	return func() bool {
		c := p.conn(other)
		return c != nil && c.snapshot().Handshake.Running && c.snapshot().Handshake.State == s
	}
}

// afterHVR reports whether cl has answered sv's HelloVerifyRequest and
// waits for the ServerHello.
func afterHVR(cl, sv *peer) func() bool {
	return func() bool {
		c := cl.conn(sv)
		return c != nil && c.snapshot().Handshake.Running && c.snapshot().Handshake.HelloVerifies == 1
	}
}

// runTo runs the link until cond holds and fails the test if it never does.
func runTo(t *testing.T, l *link, what string, cond func() bool) {
	t.Helper()
	if !l.run(cond, 10*time.Second) {
		t.Fatalf("never reached %s", what)
	}
}

// holdFlight starts cl's handshake with sv and runs it until from sends the
// first datagram with a handshake message of type mt, which it returns
// undelivered.
func holdFlight(t *testing.T, l *link, cl, sv, from *peer, mt protocol.HandshakeType, what string) []byte {
	t.Helper()
	var held []byte
	l.filter = func(p *peer, dg []byte) []byte {
		if p == from && held == nil && findMessage(dg, mt) >= 0 {
			held = dg
			return nil
		}
		return dg
	}
	cl.ep.Connect(sv.addr, l.now)
	runTo(t, l, what, func() bool { return held != nil })
	l.filter = nil
	return held
}

// pskServerWaitingForKeyExchange starts a PSK handshake and stops when the
// server has sent its flight 4 and waits for the ClientKeyExchange (flight 4
// is still on its way to the client).
func pskServerWaitingForKeyExchange(t *testing.T, seed int64) (*peer, *peer, *link) {
	t.Helper()
	cl, sv, l := pskPair(t, seed, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	cl.ep.Connect(sv.addr, l.now)
	runTo(t, l, "server WAIT_CLIENTKEYEXCHANGE", hsState(sv, cl, StateWaitClientKeyExchange))
	return cl, sv, l
}

// pskClientKeyExchange is the body of the client's genuine PSK
// ClientKeyExchange (it only carries the identity).
func pskClientKeyExchange() []byte {
	return (&handshake.ClientKeyExchangePSK{Identity: []byte("Client_identity")}).Marshal(nil)
}

// chParts is a ClientHello body with every length field under control.
type chParts struct {
	version, random, sid, cookie, suites, comp, ext []byte
}

func (p chParts) body() []byte {
	var b []byte
	for _, f := range [][]byte{p.version, p.random, p.sid, p.cookie, p.suites, p.comp, p.ext} {
		b = append(b, f...)
	}
	return b
}

// goodCH is a well-formed ClientHello that a PSK server accepts: PSK suite,
// SCSV, null compression, extended master secret.
func goodCH(r byte) chParts {
	random := bytes.Repeat([]byte{r}, 32)
	return chParts{
		version: []byte{0xfe, 0xfd},
		random:  random,
		sid:     []byte{0},
		cookie:  []byte{0},
		suites:  []byte{0, 4, 0xc0, 0xa8, 0x00, 0xff},
		comp:    []byte{1, 0},
		ext:     []byte{0, 4, 0, 23, 0, 0},
	}
}

// withCookie returns p with the cookie srv would accept from addr.
func (p chParts) withCookie(t *testing.T, srv *peer, addr []byte, now time.Duration) chParts {
	t.Helper()
	var ch handshake.ClientHello
	if !ch.Unmarshal(p.body()) {
		t.Fatalf("withCookie: ClientHello does not parse")
	}
	p.cookie = append([]byte{cookieLen}, cookieFor(srv, addr, &ch, now)...)
	return p
}

// chRecord wraps a ClientHello body into an epoch-0 record.
func chRecord(body []byte, msgSeq uint16, seq uint64) []byte {
	return plainRecord(protocol.ContentHandshake, protocol.VersionDTLS10, 0, seq, hsMsg(protocol.HandshakeClientHello, msgSeq, body))
}

func isHVR(dg []byte) bool {
	return len(dg) >= 26 && dg[0] == byte(protocol.ContentHandshake) && dg[13] == byte(protocol.HandshakeHelloVerifyRequest)
}

var stranger = []byte("stranger")

// strangerIgnored delivers dg to p from an unknown address and checks that p
// answered nothing, reported nothing and created no association.
func strangerIgnored(t *testing.T, what string, l *link, p *peer, dg []byte) {
	t.Helper()
	m, n := mark(p), p.ep.NumConns()
	deliver(t, p, stranger, dg, l.now)
	if p.sentDgs != m.sent || len(p.events) != m.events || p.ep.NumConns() != n || p.ep.Conn(stranger) != nil {
		t.Errorf("%s: %d datagrams sent, events %v, %d associations (%d before)", what, p.sentDgs-m.sent, p.events[m.events:], p.ep.NumConns(), n)
	}
}

// ---------------------------------------------------------------------------
// 1. ChangeCipherSpec before any handshake.

// TestRegression_EarlyChangeCipherSpec: CVE-2017-7243 (tinydtls crashed on a
// ChangeCipherSpec that arrived before any handshake). RFC 5246 §7.1: a
// ChangeCipherSpec switches to the pending keys, and there are none before
// the key exchange; RFC 6347 §4.1.2.7: an unexpected record is dropped. A
// ChangeCipherSpec from an unknown address must create no state and get no
// answer; one reaching a server that waits for ClientKeyExchange must not
// switch keys early and the handshake must complete; one on an established
// association (epoch 0 or the current epoch) changes nothing.
func TestRegression_EarlyChangeCipherSpec(t *testing.T) {
	ccs := []byte{1}
	t.Run("unknown address", func(t *testing.T) {
		cl, sv, l := pskPair(t, 900, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		for _, p := range []*peer{sv, cl} {
			for _, ep := range []uint16{0, 1} {
				strangerIgnored(t, fmt.Sprintf("%s: CCS epoch %d from an unknown address", p.name, ep), l, p,
					plainRecord(protocol.ContentChangeCipherSpec, protocol.VersionDTLS12, ep, 0, ccs))
			}
		}
		handshakeOK(t, cl, sv, l, 5*time.Second)
	})
	t.Run("server waiting for ClientKeyExchange", func(t *testing.T) {
		cl, sv, l := pskServerWaitingForKeyExchange(t, 901)
		in := &injector{t: t, l: l}
		c := sv.conn(cl)
		m := mark(sv)
		in.send(cl, sv, in.plain0(cl, sv, protocol.ContentChangeCipherSpec, ccs))
		if s := c.snapshot(); s.ReadEpoch != 0 || s.NextReadKeys || s.Handshake.NewEpochActive || s.Handshake.State != StateWaitClientKeyExchange {
			t.Fatalf("early CCS switched something: read epoch %d, pending keys %v, state %v", s.ReadEpoch, s.NextReadKeys, s.Handshake.State)
		}
		if sv.sentDgs != m.sent || len(sv.events) != m.events {
			t.Fatalf("early CCS answered: %d sent, events %v", sv.sentDgs-m.sent, sv.events[m.events:])
		}
		completes(t, "early CCS at the server", cl, sv, l)
	})
	t.Run("client waiting for ServerHello", func(t *testing.T) {
		cl, sv, l := pskPair(t, 902, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		in := &injector{t: t, l: l}
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "client after HelloVerifyRequest", afterHVR(cl, sv))
		c := cl.conn(sv)
		m := mark(cl)
		in.send(sv, cl, in.plain0(sv, cl, protocol.ContentChangeCipherSpec, ccs))
		if s := c.snapshot(); s.ReadEpoch != 0 || s.NextReadKeys || s.Handshake.NewEpochActive {
			t.Fatalf("early CCS switched the client's read epoch")
		}
		if cl.sentDgs != m.sent {
			t.Fatalf("client answered an early CCS")
		}
		completes(t, "early CCS at the client", cl, sv, l)
	})
	t.Run("established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 903)
		in := &injector{t: t, l: l}
		for _, tc := range []struct {
			name     string
			from, to *peer
			epoch    uint16
		}{{"to server, epoch 0", cl, sv, 0}, {"to server, epoch 1", cl, sv, 1},
			{"to client, epoch 0", sv, cl, 0}, {"to client, epoch 1", sv, cl, 1}} {
			dg := in.record(tc.from, tc.to, tc.epoch != 0, tc.epoch, protocol.ContentChangeCipherSpec, ccs)
			dropped(t, tc.name, l, tc.to, tc.from, dg)
		}
		exchange(t, cl, sv, l, "after CCS on an established association")
	})
	t.Run("malformed CCS while waiting for it", func(t *testing.T) {
		// A ChangeCipherSpec must be exactly the byte 1 (RFC 5246 §7.1).
		cl, sv, l := pskPair(t, 904, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		flight5 := holdFlight(t, l, cl, sv, cl, protocol.HandshakeClientKeyExchange, "client flight 5")
		recs := splitRecords(t, sv, cl, flight5)
		deliver(t, sv, cl.addr, recs[0], l.now) // the ClientKeyExchange alone
		if !hsState(sv, cl, StateWaitChangeCipherSpec)() {
			t.Fatalf("server not waiting for CCS")
		}
		for _, bad := range [][]byte{{2}, {0}, {1, 1}, {}} {
			// Sent in the client's old epoch 0, as a real CCS is.
			dg := forge(t, cl.conn(sv), 0, protocol.ContentChangeCipherSpec, bad)
			dropped(t, fmt.Sprintf("CCS % x", bad), l, sv, cl, dg)
		}
		for _, r := range recs[1:] {
			deliver(t, sv, cl.addr, r, l.now)
		}
		completes(t, "malformed CCS", cl, sv, l)
	})
}

// ---------------------------------------------------------------------------
// 2. Records of wrong or far-future epochs.

// TestRegression_FutureEpochRecords: CVE-2021-42141/42142 (tinydtls
// mishandled records of epochs it had no keys for). RFC 6347 §4.1: a record
// of an epoch without read state is discarded (records of the next epoch may
// be buffered). Epochs 2, 0xfffe and 0xffff, of every content type including
// application data, protected with the sender's real keys or not, must be
// dropped on an established association and during a handshake, leaving the
// association usable.
func TestRegression_FutureEpochRecords(t *testing.T) {
	epochs := []uint16{2, 0xfffe, 0xffff}
	kinds := []struct {
		name    string
		typ     protocol.ContentType
		content []byte
	}{
		{"application data", protocol.ContentApplicationData, []byte("from the future")},
		{"handshake", protocol.ContentHandshake, hsMsg(protocol.HandshakeFinished, 0, make([]byte, 12))},
		{"hello request", protocol.ContentHandshake, hsMsg(protocol.HandshakeHelloRequest, 0, nil)},
		{"fatal alert", protocol.ContentAlert, []byte{2, 40}},
		{"close_notify", protocol.ContentAlert, []byte{1, 0}},
		{"change_cipher_spec", protocol.ContentChangeCipherSpec, []byte{1}},
	}
	inject := func(t *testing.T, l *link, from, to *peer, protected bool) {
		t.Helper()
		for _, ep := range epochs {
			for _, k := range kinds {
				what := fmt.Sprintf("%s epoch 0x%04x to %s (protected %v)", k.name, ep, to.name, protected)
				var dg []byte
				if protected {
					dg = forgeEpoch(from.conn(to), ep, k.typ, k.content)
				} else {
					dg = plainRecord(k.typ, protocol.VersionDTLS12, ep, uint64(ep)+7, k.content)
				}
				dropped(t, what, l, to, from, dg)
			}
		}
	}
	t.Run("established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 910)
		for _, protected := range []bool{true, false} {
			inject(t, l, cl, sv, protected)
			inject(t, l, sv, cl, protected)
		}
		exchange(t, cl, sv, l, "after future epochs")
	})
	t.Run("server waiting for ClientKeyExchange", func(t *testing.T) {
		cl, sv, l := pskServerWaitingForKeyExchange(t, 911)
		inject(t, l, cl, sv, false)
		completes(t, "future epochs at the server", cl, sv, l)
	})
	t.Run("client waiting for ChangeCipherSpec", func(t *testing.T) {
		cl, sv, l := pskPair(t, 912, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "client WAIT_CHANGECIPHERSPEC", hsState(cl, sv, StateWaitChangeCipherSpec))
		inject(t, l, sv, cl, false)
		completes(t, "future epochs at the client", cl, sv, l)
	})
}

// TestRegression_FutureEpochAfterCCS: as TestRegression_FutureEpochRecords,
// at a server that has switched to the handshake's new epoch 1 and waits for
// the Finished. No further epoch can start before this handshake ends, so a
// record of epoch 2 must be dropped, not buffered: the buffer of early records
// (Config.MaxPendingRecords) is shared with genuine application data that
// overtakes the Finished, and junk must not be able to fill it.
func TestRegression_FutureEpochAfterCCS(t *testing.T) {
	cl, sv, l := pskPair(t, 913, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	splitDatagrams(l)
	cl.ep.Connect(sv.addr, l.now)
	runTo(t, l, "server WAIT_FINISHED", hsState(sv, cl, StateWaitFinished))
	for i := 0; i < 20; i++ {
		dg := forgeEpoch(cl.conn(sv), 2, protocol.ContentApplicationData, []byte("junk"))
		dropped(t, fmt.Sprintf("epoch-2 record %d", i), l, sv, cl, dg)
	}
	completes(t, "epoch-2 records before the Finished", cl, sv, l)
}

// TestRegression_ForgedNextEpochRecordDuringHandshake: a record of the epoch
// the peer's ChangeCipherSpec is about to start, but forged (it does not
// authenticate). RFC 6347 §4.1.2.7: invalid records SHOULD be silently
// discarded, preserving the association; an off-path attacker who knows the
// client's address must not be able to kill a handshake with one datagram.
func TestRegression_ForgedNextEpochRecordDuringHandshake(t *testing.T) {
	for _, typ := range []protocol.ContentType{protocol.ContentApplicationData, protocol.ContentHandshake, protocol.ContentAlert} {
		t.Run(typ.String(), func(t *testing.T) {
			cl, sv, l := pskServerWaitingForKeyExchange(t, 914)
			garbage := make([]byte, 8+12+12+8)
			rand.New(rand.NewSource(1)).Read(garbage)
			for seq := uint64(0); seq < 3; seq++ {
				deliver(t, sv, cl.addr, plainRecord(typ, protocol.VersionDTLS12, 1, seq, garbage), l.now)
			}
			completes(t, "forged epoch-1 records", cl, sv, l)
		})
	}
}

// ---------------------------------------------------------------------------
// 3. Odd-length cipher suite lists.

// TestRegression_OddCipherSuiteList: CVE-2021-42143 (tinydtls read past the
// ClientHello when the cipher_suites length was odd). RFC 5246 §7.4.1.2:
// cipher_suites<2..2^16-2> is a list of 2-byte values. A stateless
// ClientHello with an odd, empty, truncated or over-long list must get no
// HelloVerifyRequest and create no state, even with a valid cookie or from
// the address of a handshake in progress; in a renegotiating ClientHello on
// an established association it must end the association with decode_error
// or be dropped leaving it usable.
func TestRegression_OddCipherSuiteList(t *testing.T) {
	type variant struct {
		name string
		mod  func(p *chParts)
	}
	variants := []variant{
		{"odd length 3", func(p *chParts) { p.suites = []byte{0, 3, 0xc0, 0xa8, 0x00} }},
		{"odd length 1", func(p *chParts) { p.suites = []byte{0, 1, 0xc0} }},
		{"odd length 5", func(p *chParts) { p.suites = []byte{0, 5, 0xc0, 0xa8, 0x00, 0xff, 0xc0} }},
		{"empty", func(p *chParts) { p.suites = []byte{0, 0} }},
		{"length beyond the message", func(p *chParts) { p.suites = []byte{0, 0x40, 0xc0, 0xa8} }},
		{"length 0xffff", func(p *chParts) { p.suites = []byte{0xff, 0xff, 0xc0, 0xa8} }},
		{"message ends inside the list", func(p *chParts) { p.suites, p.comp, p.ext = []byte{0, 4, 0xc0, 0xa8, 0x00}, nil, nil }},
		{"message ends inside the length", func(p *chParts) { p.suites, p.comp, p.ext = []byte{0}, nil, nil }},
	}
	t.Run("builder sanity", func(t *testing.T) {
		_, sv, l := pskPair(t, 920, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		var got []byte
		l.tap = func(from *peer, dg []byte) { got = dg }
		deliver(t, sv, stranger, chRecord(goodCH(1).body(), 0, 0), l.now)
		if !isHVR(got) || sv.ep.NumConns() != 0 {
			t.Fatalf("a well-formed ClientHello got % x, %d associations", got, sv.ep.NumConns())
		}
		deliver(t, sv, stranger, chRecord(goodCH(1).withCookie(t, sv, stranger, l.now).body(), 1, 1), l.now)
		if sv.ep.Conn(stranger) == nil {
			t.Fatalf("a well-formed ClientHello with a valid cookie created no association")
		}
	})
	t.Run("stateless", func(t *testing.T) {
		cl, sv, l := pskServerWaitingForKeyExchange(t, 921)
		in := &injector{t: t, l: l}
		for _, v := range variants {
			for _, cookie := range []bool{false, true} {
				p := goodCH(2)
				if cookie {
					p = p.withCookie(t, sv, stranger, l.now)
				}
				v.mod(&p)
				strangerIgnored(t, fmt.Sprintf("%s (cookie %v)", v.name, cookie), l, sv, chRecord(p.body(), 0, 5))
			}
			// From the address of a handshake in progress: a new random
			// makes it a restart candidate.
			p := goodCH(3).withCookie(t, sv, cl.addr, l.now)
			v.mod(&p)
			dg := chRecord(p.body(), 0, in.seq0(cl.conn(sv), sv.conn(cl)))
			dropped(t, v.name+" from the client's address", l, sv, cl, dg)
		}
		completes(t, "malformed ClientHellos", cl, sv, l)
	})
	renegCH := func(cl, sv *peer) chParts {
		p := goodCH(4)
		p.suites = []byte{0, 2, 0xc0, 0xa8}
		ri := append([]byte{0xff, 0x01, 0, 13, 12}, clientVerify(cl.conn(sv))...)
		ext := append([]byte{0, 23, 0, 0}, ri...)
		p.ext = append([]byte{0, byte(len(ext))}, ext...)
		return p
	}
	t.Run("renegotiation control", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 922)
		m := mark(sv)
		deliver(t, sv, cl.addr, forge(t, cl.conn(sv), 1, protocol.ContentHandshake,
			hsMsg(protocol.HandshakeClientHello, 0, renegCH(cl, sv).body())), l.now)
		if !sv.hasEvent(protocol.LevelInternal, protocol.EventRenegotiate) || sv.sentDgs == m.sent {
			t.Fatalf("a well-formed renegotiating ClientHello was not answered: %v\n%s", sv.events, sv.logs.String())
		}
	})
	for i, v := range variants {
		t.Run("renegotiating "+v.name, func(t *testing.T) {
			cl, sv, l := establishedPSK(t, int64(923+i))
			p := renegCH(cl, sv)
			v.mod(&p)
			c := sv.conn(cl)
			s, m := snap(c), mark(sv)
			deliver(t, sv, cl.addr, forge(t, cl.conn(sv), 1, protocol.ContentHandshake,
				hsMsg(protocol.HandshakeClientHello, 0, p.body())), l.now)
			if c.Removed() {
				a := fatalSent(t, v.name, sv, c, m, protocol.AlertDecodeError)
				peerSawFatal(t, v.name, l, cl, sv, a)
				return
			}
			// Dropped: nothing may have changed but the renegotiation
			// event, and the association must still carry data.
			if sv.sentDgs != m.sent {
				t.Errorf("%s: server answered without ending the association", v.name)
			}
			if after := snap(c); after.hs || after.rd != s.rd || after.state != StateConnected {
				t.Errorf("%s: association left in %+v", v.name, after)
			}
			t.Logf("%s: dropped", v.name)
			exchange(t, cl, sv, l, "after "+v.name)
		})
	}
}

// ---------------------------------------------------------------------------
// 4. Over-long and under-long length fields.

// dropOrFatal accepts the two RFC-conformant reactions to a malformed
// message at p: it was dropped (p is unchanged; the handshake then
// completes), or p ended the association with one of the fatal alerts want,
// which the other side saw too. It reports whether the association survived.
func dropOrFatal(t *testing.T, what string, l *link, p, other *peer, c *Conn, s connSnap, m marks, want ...protocol.AlertDescription) bool {
	t.Helper()
	if c.Removed() {
		t.Logf("%s: fatal %v", what, endedWithFatal(t, what, l, p, other, c, m, want...))
		return false
	}
	t.Logf("%s: dropped", what)
	expectDropped(t, what, p, other, s, m)
	return true
}

// lengthOffset is the offset of the length field of the record at rec[0].
func lengthOffset(rec []byte, cid int) int {
	if protocol.ContentType(rec[0]) == protocol.ContentTLS12CID {
		return record.HeaderLen - 2 + cid
	}
	return record.HeaderLen - 2
}

func setU16(b []byte, off, v int) { b[off], b[off+1] = byte(v>>8), byte(v) }

// recordLengthVariants returns rec with its length field or its end damaged.
func recordLengthVariants(rec []byte, cid int) map[string][]byte {
	off := lengthOffset(rec, cid)
	n := int(rec[off])<<8 | int(rec[off+1])
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), rec...)) }
	return map[string][]byte{
		"length+1":          mod(func(b []byte) []byte { setU16(b, off, n+1); return b }),
		"length 0xffff":     mod(func(b []byte) []byte { setU16(b, off, 0xffff); return b }),
		"length-1":          mod(func(b []byte) []byte { setU16(b, off, n-1); return b }),
		"length 0":          mod(func(b []byte) []byte { setU16(b, off, 0); return b }),
		"datagram cut by 1": mod(func(b []byte) []byte { return b[:len(b)-1] }),
		"header truncated":  mod(func(b []byte) []byte { return b[:off+1] }),
	}
}

// TestRegression_RecordLengthField: the record length field against the
// datagram (RFC 6347 §4.1: a record must fit in its datagram; §4.1.2.7:
// invalid records are silently discarded). A record whose length runs past
// the datagram, or that is cut short, must be dropped without changing
// anything — on an established association, at the stateless ClientHello
// path and during a handshake — and must not advance the replay window: the
// intact record is still accepted afterwards.
func TestRegression_RecordLengthField(t *testing.T) {
	t.Run("established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 930)
		sv.echo = false
		rec := forge(t, cl.conn(sv), 1, protocol.ContentApplicationData, []byte("length test"))
		for name, bad := range recordLengthVariants(rec, cidLen(sv, cl)) {
			dropped(t, name, l, sv, cl, bad)
		}
		deliver(t, sv, cl.addr, rec, l.now)
		if len(sv.received) != 1 || string(sv.received[0]) != "length test" {
			t.Fatalf("intact record after the damaged copies: %q", sv.received)
		}
	})
	t.Run("stateless ClientHello", func(t *testing.T) {
		_, sv, l := pskPair(t, 931, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		rec := chRecord(goodCH(5).withCookie(t, sv, stranger, l.now).body(), 1, 1)
		for name, bad := range recordLengthVariants(rec, 0) {
			strangerIgnored(t, name, l, sv, bad)
		}
		deliver(t, sv, stranger, rec, l.now)
		if sv.ep.Conn(stranger) == nil {
			t.Fatalf("the intact ClientHello was not accepted")
		}
	})
	t.Run("server waiting for ClientKeyExchange", func(t *testing.T) {
		cl, sv, l := pskServerWaitingForKeyExchange(t, 932)
		c := sv.conn(cl)
		// An exact copy of the client's coming ClientKeyExchange, in a record
		// of its own with the client's next sequence number.
		seq := cl.conn(sv).snapshot().WriteSeq
		rec := plainRecord(protocol.ContentHandshake, protocol.VersionDTLS12, 0, seq,
			hsMsg(protocol.HandshakeClientKeyExchange, c.snapshot().Handshake.NextRecvSeq, pskClientKeyExchange()))
		for name, bad := range recordLengthVariants(rec, 0) {
			dropped(t, name, l, sv, cl, bad)
		}
		completes(t, "damaged record lengths", cl, sv, l)
	})
}

// TestRegression_HandshakeFragmentLengths: the handshake header's length,
// fragment_offset and fragment_length against each other and against the
// record (RFC 6347 §4.2.3). A fragment running past its record or its
// message, a message longer than any we accept, or an empty fragment must be
// dropped (or answered with decode_error) without a crash; a fragment
// followed by trailing bytes in its record must be processed and the rest
// dropped. The genuine message must still complete the handshake when the
// malformed one was dropped.
func TestRegression_HandshakeFragmentLengths(t *testing.T) {
	body := pskClientKeyExchange()
	n := uint32(len(body))
	cke := protocol.HandshakeClientKeyExchange
	variants := []struct {
		name    string
		payload func(seq uint16) []byte
	}{
		{"fragment_length beyond the record", func(seq uint16) []byte { return hsFrag(cke, n, seq, 0, n+1, body) }},
		{"fragment_length 0xffffff", func(seq uint16) []byte { return hsFrag(cke, n, seq, 0, 0xffffff, body) }},
		{"offset+fragment_length beyond length", func(seq uint16) []byte { return hsFrag(cke, n, seq, 1, n, body) }},
		{"length below fragment_length", func(seq uint16) []byte { return hsFrag(cke, n-1, seq, 0, n, body) }},
		{"length 0xffffff", func(seq uint16) []byte { return hsFrag(cke, 0xffffff, seq, 0, n, body) }},
		{"empty fragment", func(seq uint16) []byte { return hsFrag(cke, n, seq, 0, 0, nil) }},
		{"header truncated", func(seq uint16) []byte { return hsMsg(cke, seq, body)[:11] }},
		{"length and fragment_length short, rest trailing", func(seq uint16) []byte { return hsFrag(cke, n-4, seq, 0, n-4, body) }},
	}
	for i, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			cl, sv, l := pskServerWaitingForKeyExchange(t, int64(940+i))
			in := &injector{t: t, l: l}
			c := sv.conn(cl)
			s, m := snap(c), mark(sv)
			in.send(cl, sv, in.plain0(cl, sv, protocol.ContentHandshake, v.payload(c.snapshot().Handshake.NextRecvSeq)))
			if dropOrFatal(t, v.name, l, sv, cl, c, s, m, protocol.AlertDecodeError) {
				completes(t, v.name, cl, sv, l)
			}
		})
	}
	t.Run("trailing bytes after a complete message", func(t *testing.T) {
		// An exact copy of the coming ClientKeyExchange with garbage after
		// it in the same record: the message counts, the garbage does not.
		cl, sv, l := pskServerWaitingForKeyExchange(t, 950)
		in := &injector{t: t, l: l}
		c := sv.conn(cl)
		m := mark(sv)
		payload := append(hsMsg(cke, c.snapshot().Handshake.NextRecvSeq, body), 0x16, 0xfe, 0xfd, 0, 0)
		in.send(cl, sv, in.plain0(cl, sv, protocol.ContentHandshake, payload))
		if c.Removed() {
			fatalSent(t, "trailing bytes", sv, c, m, protocol.AlertDecodeError)
			return
		}
		if st := c.snapshot().Handshake.State; st != StateWaitChangeCipherSpec || sv.sentDgs != m.sent {
			t.Fatalf("ClientKeyExchange before trailing bytes: state %v, %d sent", st, sv.sentDgs-m.sent)
		}
		completes(t, "trailing bytes", cl, sv, l)
	})
	t.Run("stateless fragmented ClientHello", func(t *testing.T) {
		// RFC 6347 §4.2.1 lets a stateless server ignore a fragmented
		// ClientHello; it must not answer or keep state for it.
		_, sv, l := pskPair(t, 951, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		ch := goodCH(6).withCookie(t, sv, stranger, l.now).body()
		cn := uint32(len(ch))
		for name, payload := range map[string][]byte{
			"first fragment":            hsFrag(protocol.HandshakeClientHello, cn, 1, 0, cn-10, ch[:cn-10]),
			"last fragment":             hsFrag(protocol.HandshakeClientHello, cn, 1, 10, cn-10, ch[10:]),
			"length+1":                  hsFrag(protocol.HandshakeClientHello, cn+1, 1, 0, cn, ch),
			"fragment_length beyond":    hsFrag(protocol.HandshakeClientHello, cn, 1, 0, cn+1, ch),
			"length below fragment":     hsFrag(protocol.HandshakeClientHello, cn-1, 1, 0, cn, ch),
			"fragment_length 0xffffff":  hsFrag(protocol.HandshakeClientHello, 0xffffff, 1, 0, 0xffffff, ch),
			"message short by one byte": hsFrag(protocol.HandshakeClientHello, cn-1, 1, 0, cn-1, ch[:cn-1]),
			"header only":               hsFrag(protocol.HandshakeClientHello, 0, 1, 0, 0, nil),
		} {
			strangerIgnored(t, name, l, sv, plainRecord(protocol.ContentHandshake, protocol.VersionDTLS10, 0, 1, payload))
		}
	})
}

// TestRegression_IncompleteFragmentSquatting: a forged first fragment that
// claims the message is one byte longer than the genuine ClientKeyExchange
// occupies its message_seq. Epoch 0 is unauthenticated, so the RFCs do not
// require surviving this, but the engine must neither crash nor hang: the
// handshake must end within the retransmission budget, completed or failed
// with an event on both sides.
func TestRegression_IncompleteFragmentSquatting(t *testing.T) {
	cl, sv, l := pskServerWaitingForKeyExchange(t, 952)
	in := &injector{t: t, l: l}
	body := pskClientKeyExchange()
	n := uint32(len(body))
	in.send(cl, sv, in.plain0(cl, sv, protocol.ContentHandshake,
		hsFrag(protocol.HandshakeClientKeyExchange, n+1, sv.conn(cl).snapshot().Handshake.NextRecvSeq, 0, n, body)))
	l.run(func() bool { return bothConnected(cl, sv)() || noConns(cl, sv)() }, 10*time.Minute)
	switch {
	case bothConnected(cl, sv)():
		t.Logf("handshake completed despite the squatting fragment")
	case noConns(cl, sv)():
		t.Logf("handshake failed after %v: client %v server %v", l.now, cl.events, sv.events)
		if len(cl.events) == 0 || len(sv.events) == 0 {
			t.Errorf("an application was not told: client %v server %v", cl.events, sv.events)
		}
	default:
		t.Fatalf("handshake neither completed nor ended by %v: client %v server %v", l.now, cl.events, sv.events)
	}
}

// TestRegression_ClientHelloLengthFields: every length field of a stateless
// ClientHello (RFC 6347 §4.2.1, RFC 5246 §7.4.1.2). Malformed ones — a
// cookie or session_id running past the message, a session_id over 32 bytes,
// an extensions block or extension one byte off, trailing bytes — must be
// dropped: no HelloVerifyRequest, no state, not even with a valid cookie.
// Long but legal values (a 33- or 255-byte cookie, DTLS 1.2's
// cookie<0..2^8-1>; a 32-byte session_id) get a HelloVerifyRequest no
// larger than the ClientHello, and no state.
func TestRegression_ClientHelloLengthFields(t *testing.T) {
	extBlock := func(exts ...byte) []byte { return append([]byte{0, byte(len(exts))}, exts...) }
	malformed := []struct {
		name string
		mod  func(p *chParts)
	}{
		{"cookie length 255, 10 bytes", func(p *chParts) { p.cookie = append([]byte{255}, make([]byte, 10)...) }},
		{"cookie length beyond the message", func(p *chParts) {
			p.cookie = []byte{byte(len(p.suites) + len(p.comp) + len(p.ext) + 1)}
		}},
		{"session_id 33 bytes", func(p *chParts) { p.sid = append([]byte{33}, make([]byte, 33)...) }},
		{"session_id length 255", func(p *chParts) { p.sid = append([]byte{255}, make([]byte, 32)...) }},
		{"message ends inside session_id", func(p *chParts) {
			p.sid, p.cookie, p.suites, p.comp, p.ext = []byte{20, 1, 2, 3}, nil, nil, nil, nil
		}},
		{"random truncated", func(p *chParts) {
			p.random, p.sid, p.cookie, p.suites, p.comp, p.ext = p.random[:20], nil, nil, nil, nil, nil
		}},
		{"version only", func(p *chParts) { p.random, p.sid, p.cookie, p.suites, p.comp, p.ext = nil, nil, nil, nil, nil, nil }},
		{"compression_methods empty", func(p *chParts) { p.comp = []byte{0} }},
		{"compression_methods beyond the message", func(p *chParts) { p.comp, p.ext = []byte{9, 0}, nil }},
		{"extensions block length+1", func(p *chParts) { p.ext[1]++ }},
		{"extensions block length-1", func(p *chParts) { p.ext[1]-- }},
		{"extensions block length 0xffff", func(p *chParts) { p.ext[0], p.ext[1] = 0xff, 0xff }},
		{"extension length+1", func(p *chParts) { p.ext = extBlock(0, 23, 0, 1) }},
		{"extension length beyond the block", func(p *chParts) { p.ext = extBlock(0, 23, 0, 1, 0, 0xff, 0x01, 0, 1) }},
		{"extension header truncated", func(p *chParts) { p.ext = extBlock(0, 23, 0) }},
		{"renegotiation_info length off by one", func(p *chParts) { p.ext = extBlock(0, 23, 0, 0, 0xff, 0x01, 0, 1, 1) }},
		{"trailing byte after the extensions", func(p *chParts) { p.ext = append(p.ext, 0) }},
		{"single byte where the extensions go", func(p *chParts) { p.ext = []byte{0} }},
	}
	legal := []struct {
		name string
		mod  func(p *chParts)
	}{
		{"cookie 33 bytes", func(p *chParts) { p.cookie = append([]byte{33}, make([]byte, 33)...) }},
		{"cookie 255 bytes", func(p *chParts) { p.cookie = append([]byte{255}, make([]byte, 255)...) }},
		{"session_id 32 bytes", func(p *chParts) { p.sid = append([]byte{32}, make([]byte, 32)...) }},
		{"no extensions", func(p *chParts) { p.ext = nil }},
	}
	_, sv, l := pskPair(t, 960, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	var last []byte
	l.tap = func(from *peer, dg []byte) { last = dg }
	for _, v := range malformed {
		for _, cookie := range []bool{false, true} {
			p := goodCH(7)
			if cookie {
				p = p.withCookie(t, sv, stranger, l.now)
			}
			v.mod(&p)
			strangerIgnored(t, fmt.Sprintf("%s (cookie %v)", v.name, cookie), l, sv, chRecord(p.body(), 0, 2))
		}
	}
	for _, v := range legal {
		p := goodCH(8)
		v.mod(&p)
		req := chRecord(p.body(), 0, 3)
		last = nil
		m := mark(sv)
		deliver(t, sv, stranger, req, l.now)
		if sv.sentDgs != m.sent+1 || !isHVR(last) || sv.ep.NumConns() != 0 {
			t.Errorf("%s: %d datagrams sent (HelloVerifyRequest %v), %d associations", v.name, sv.sentDgs-m.sent, isHVR(last), sv.ep.NumConns())
		} else if len(last) > len(req) {
			t.Errorf("%s: HelloVerifyRequest of %d bytes for a ClientHello of %d", v.name, len(last), len(req))
		}
	}
}

// TestRegression_PSKIdentityLength: the psk_identity<0..2^16-1> of the PSK
// ClientKeyExchange (RFC 4279 §2) at a server waiting for it. A length
// running past the message, a short one leaving trailing bytes, an empty or
// one-byte body are malformed: the server must end the handshake with a
// fatal decode_error (RFC 5246 §7.2.2) that the client sees, and neither
// side may reach CONNECTED. A well-formed but unusable identity (empty, or
// longer than the 128 bytes RFC 4279 §5.3 asks to support) must fail the
// handshake with a fatal alert too.
func TestRegression_PSKIdentityLength(t *testing.T) {
	id := []byte("Client_identity")
	withLen := func(n int, b []byte) []byte { return append([]byte{byte(n >> 8), byte(n)}, b...) }
	cases := []struct {
		name string
		body []byte
		want []protocol.AlertDescription
	}{
		{"length+1", withLen(len(id)+1, id), []protocol.AlertDescription{protocol.AlertDecodeError}},
		{"length 0xffff", withLen(0xffff, id), []protocol.AlertDescription{protocol.AlertDecodeError}},
		{"length-1, trailing byte", withLen(len(id)-1, id), []protocol.AlertDescription{protocol.AlertDecodeError}},
		{"empty body", nil, []protocol.AlertDescription{protocol.AlertDecodeError}},
		{"one byte", []byte{0}, []protocol.AlertDescription{protocol.AlertDecodeError}},
		{"empty identity", withLen(0, nil), []protocol.AlertDescription{protocol.AlertDecodeError, protocol.AlertDecryptError,
			protocol.AlertIllegalParameter, 115 /* unknown_psk_identity */}},
		{"identity of 200 bytes", withLen(200, bytes.Repeat([]byte{'a'}, 200)), []protocol.AlertDescription{protocol.AlertDecodeError,
			protocol.AlertDecryptError, protocol.AlertIllegalParameter, 115}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl, sv, l := pskServerWaitingForKeyExchange(t, int64(970+i))
			nextMsgFails(t, tc.name, l, cl, sv, protocol.HandshakeClientKeyExchange, tc.body, tc.want...)
		})
	}
}

// failsWith runs cl's handshake with sv to its end and checks that failer
// ended it with one of the fatal alerts want, that the other side saw that
// alert, that no association is left, and that failer never reached
// CONNECTED. corrupted (from corruptMessage), if not nil, must be set by then.
func failsWith(t *testing.T, cl, sv *peer, l *link, corrupted *bool, failer *peer, want ...protocol.AlertDescription) {
	t.Helper()
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl, sv), 30*time.Second)
	if corrupted != nil && !*corrupted {
		t.Fatalf("the message to corrupt was never sent")
	}
	other := l.other(failer)
	var got protocol.AlertDescription
	found := false
	for _, e := range failer.events {
		if e.level == protocol.LevelFatal {
			got, found = protocol.AlertDescription(e.code), true
			break
		}
	}
	switch {
	case !found:
		t.Errorf("%s reported no fatal alert: %v\n%s", failer.name, failer.events, failer.logs.String())
	case !contains(want, got):
		t.Errorf("%s failed with %v, want one of %v", failer.name, got, want)
	case !other.hasEvent(protocol.LevelFatal, uint16(got)):
		t.Errorf("%s did not see the fatal %v: %v", other.name, got, other.events)
	}
	if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
		t.Errorf("associations left: client %d server %d", cl.ep.NumConns(), sv.ep.NumConns())
	}
	neverConnected(t, "failed handshake", failer)
}

// TestRegression_PSKHintLength: the psk_identity_hint<0..2^16-1> of the PSK
// ServerKeyExchange (RFC 4279 §2) at a client waiting for it: a length past
// the message or leaving trailing bytes is a decode_error.
func TestRegression_PSKHintLength(t *testing.T) {
	for name, f := range map[string]func(b []byte){
		"length+1":      func(b []byte) { b[1]++ },
		"length 0xffff": func(b []byte) { b[0], b[1] = 0xff, 0xff },
		"length-1":      func(b []byte) { b[1]-- },
		"length 0":      func(b []byte) { b[0], b[1] = 0, 0 },
	} {
		t.Run(name, func(t *testing.T) {
			cl, sv, l := pskPair(t, 980, protocol.TLS_PSK_WITH_AES_128_CCM_8)
			sv.hint = []byte("CoAP")
			done := corruptMessage(l, sv, protocol.HandshakeServerKeyExchange, f)
			failsWith(t, cl, sv, l, done, cl, protocol.AlertDecodeError)
		})
	}
}

// ecdhePoint returns a fresh uncompressed P-256 point.
func ecdhePoint(t *testing.T, seed int64) []byte {
	k, err := ecdh.P256().GenerateKey(rand.New(rand.NewSource(seed)))
	if err != nil {
		t.Fatal(err)
	}
	return k.PublicKey().Bytes()
}

// TestRegression_ECDHEPointLength: the ECPoint<1..2^8-1> of the ECDHE
// ClientKeyExchange (RFC 4492 §5.7) at a server waiting for it, and of the
// ServerKeyExchange at a client. An empty point or a length past the
// message is a decode_error; a well-framed point that is not a 65-byte
// uncompressed P-256 point (64 or 66 bytes, compressed, off the curve) is an
// illegal_parameter (RFC 4492 §5.7, RFC 8422 §5.11) or decode_error. The
// handshake must end with the alert seen by both sides, never CONNECTED.
func TestRegression_ECDHEPointLength(t *testing.T) {
	pt := ecdhePoint(t, 1)
	vec := func(n int, b []byte) []byte { return append([]byte{byte(n)}, b...) }
	dec := []protocol.AlertDescription{protocol.AlertDecodeError}
	ill := []protocol.AlertDescription{protocol.AlertIllegalParameter, protocol.AlertDecodeError}
	cases := []struct {
		name string
		body []byte
		want []protocol.AlertDescription
	}{
		{"length 0", vec(0, nil), dec},
		{"empty body", nil, dec},
		{"64 bytes (no format byte)", vec(64, pt[1:]), ill},
		{"66 bytes", vec(66, append(append([]byte(nil), pt...), 0)), ill},
		{"length 65, 64 bytes", vec(65, pt[:64]), dec},
		{"length 65, 66 bytes", vec(65, append(append([]byte(nil), pt...), 0)), dec},
		{"length 255", vec(255, pt), dec},
		{"compressed", vec(33, append([]byte{2 | pt[64]&1}, pt[1:33]...)), ill},
		{"not on the curve", vec(65, append([]byte{4}, make([]byte, 64)...)), ill},
	}
	for i, tc := range cases {
		t.Run("ClientKeyExchange "+tc.name, func(t *testing.T) {
			cl, sv, l := ecdhePair(t, int64(990+i))
			sv.caps.VerifyECDSAKey = false // no CertificateRequest: ClientKeyExchange comes next
			cl.ep.Connect(sv.addr, l.now)
			runTo(t, l, "server WAIT_CLIENTKEYEXCHANGE", hsState(sv, cl, StateWaitClientKeyExchange))
			nextMsgFails(t, tc.name, l, cl, sv, protocol.HandshakeClientKeyExchange, tc.body, tc.want...)
		})
	}
	// ServerKeyExchange body: curve_type(1) named_curve(2) point_len(1)
	// point(65) hash(1) sig(1) sig_len(2) sig.
	for name, f := range map[string]func(b []byte){
		"length 0":   func(b []byte) { b[3] = 0 },
		"length 64":  func(b []byte) { b[3] = 64 },
		"length 66":  func(b []byte) { b[3] = 66 },
		"length 255": func(b []byte) { b[3] = 255 },
	} {
		t.Run("ServerKeyExchange "+name, func(t *testing.T) {
			cl, sv, l := ecdhePair(t, 1000)
			done := corruptMessage(l, sv, protocol.HandshakeServerKeyExchange, f)
			failsWith(t, cl, sv, l, done, cl, protocol.AlertDecodeError, protocol.AlertIllegalParameter, protocol.AlertDecryptError)
		})
	}
}

// TestRegression_CertificateLengthFields: the raw public key Certificate
// (RFC 7250 §3: a 3-byte length, then the DER SubjectPublicKeyInfo) at a
// server that requested it and at a client. Broken outer lengths are a
// decode_error; broken DER lengths inside the SubjectPublicKeyInfo, trailing
// bytes or an X.509 certificate_list are a bad_certificate (RFC 5246
// §7.2.2: "a certificate was corrupt") or decode_error; an empty Certificate
// after a CertificateRequest may be a handshake_failure (RFC 5246 §7.4.6).
func TestRegression_CertificateLengthFields(t *testing.T) {
	spki := ecc.MarshalSPKI(clientKey.X, clientKey.Y)
	u24 := func(n int) []byte { return []byte{byte(n >> 16), byte(n >> 8), byte(n)} }
	patched := func(off int, v byte) []byte {
		b := append([]byte(nil), spki...)
		b[off] = v
		return append(u24(len(b)), b...)
	}
	dec := []protocol.AlertDescription{protocol.AlertDecodeError}
	bad := []protocol.AlertDescription{protocol.AlertBadCertificate, protocol.AlertDecodeError}
	cases := []struct {
		name string
		body []byte
		want []protocol.AlertDescription
	}{
		{"length+1", append(u24(len(spki)+1), spki...), dec},
		{"length-1", append(u24(len(spki)-1), spki...), dec},
		{"length 0xffffff", append(u24(0xffffff), spki...), dec},
		{"length truncated", []byte{0, 0}, dec},
		{"empty body", nil, dec},
		{"SPKI SEQUENCE length+1", patched(1, spki[1]+1), bad},
		{"SPKI SEQUENCE length-1", patched(1, spki[1]-1), bad},
		{"AlgorithmIdentifier length+1", patched(3, spki[3]+1), bad},
		{"BIT STRING length-1", patched(24, spki[24]-1), bad},
		{"SPKI with a trailing byte", append(u24(len(spki)+1), append(append([]byte(nil), spki...), 0)...), bad},
		{"X.509 certificate_list", append(u24(len(spki)+3), append(u24(len(spki)), spki...)...),
			[]protocol.AlertDescription{protocol.AlertBadCertificate, protocol.AlertUnsupportedCertificate, protocol.AlertDecodeError}},
		{"empty certificate", u24(0), []protocol.AlertDescription{protocol.AlertHandshakeFailure, protocol.AlertBadCertificate}},
	}
	if spki[24] != 0x42 || spki[3] != 0x13 {
		t.Fatalf("unexpected SPKI layout % x", spki)
	}
	for i, tc := range cases {
		t.Run("client Certificate "+tc.name, func(t *testing.T) {
			cl, sv, l := ecdhePair(t, int64(1010+i))
			cl.ep.Connect(sv.addr, l.now)
			runTo(t, l, "server WAIT_CLIENTCERTIFICATE", hsState(sv, cl, StateWaitClientCertificate))
			nextMsgFails(t, tc.name, l, cl, sv, protocol.HandshakeCertificate, tc.body, tc.want...)
			if len(sv.seenKeys) != 0 {
				t.Errorf("%s: the application was asked to verify a key from a malformed Certificate", tc.name)
			}
		})
	}
	for name, tc := range map[string]struct {
		f    func(b []byte)
		want []protocol.AlertDescription
	}{
		"length+1":               {func(b []byte) { b[2]++ }, dec},
		"length-1":               {func(b []byte) { b[2]-- }, dec},
		"SPKI SEQUENCE length+1": {func(b []byte) { b[3+1]++ }, bad},
		"BIT STRING length-1":    {func(b []byte) { b[3+24]-- }, bad},
	} {
		t.Run("server Certificate "+name, func(t *testing.T) {
			cl, sv, l := ecdhePair(t, 1030)
			done := corruptMessage(l, sv, protocol.HandshakeCertificate, tc.f)
			failsWith(t, cl, sv, l, done, cl, tc.want...)
		})
	}
}

// TestRegression_CertificateVerifyLength: the signature<0..2^16-1> of the
// CertificateVerify (RFC 5246 §7.4.8). A length past the message or leaving
// trailing bytes is a decode_error; a well-framed signature whose DER is
// broken does not verify: decrypt_error (RFC 5246 §7.2.2). A hash other
// than the one requested is illegal_parameter (or decrypt_error).
func TestRegression_CertificateVerifyLength(t *testing.T) {
	dec := []protocol.AlertDescription{protocol.AlertDecodeError}
	for name, tc := range map[string]struct {
		f    func(b []byte)
		want []protocol.AlertDescription
	}{
		// body: hash(1) signature(1) length(2) DER signature.
		"length+1":               {func(b []byte) { b[3]++ }, dec},
		"length-1":               {func(b []byte) { b[3]-- }, dec},
		"length 0":               {func(b []byte) { b[2], b[3] = 0, 0 }, dec},
		"length 0xffff":          {func(b []byte) { b[2], b[3] = 0xff, 0xff }, dec},
		"DER SEQUENCE length+1":  {func(b []byte) { b[5]++ }, []protocol.AlertDescription{protocol.AlertDecryptError, protocol.AlertDecodeError}},
		"DER INTEGER r length-1": {func(b []byte) { b[7]-- }, []protocol.AlertDescription{protocol.AlertDecryptError, protocol.AlertDecodeError}},
		"hash SHA-1 instead":     {func(b []byte) { b[0] = 2 }, []protocol.AlertDescription{protocol.AlertIllegalParameter, protocol.AlertDecryptError, protocol.AlertHandshakeFailure}},
	} {
		t.Run(name, func(t *testing.T) {
			cl, sv, l := ecdhePair(t, 1040)
			done := corruptMessage(l, cl, protocol.HandshakeCertificateVerify, tc.f)
			failsWith(t, cl, sv, l, done, sv, tc.want...)
		})
	}
}

// ---------------------------------------------------------------------------
// 5. Application data before the Finished.

// orderCheck wraps a test peer to see whether data is delivered while its
// association is not yet established.
type orderCheck struct {
	*peer
	early []string
}

func (o *orderCheck) Receive(c *Conn, data []byte) {
	if !c.Established() || !o.hasEvent(protocol.LevelInternal, protocol.EventConnected) {
		o.early = append(o.early, string(data))
	}
	o.peer.Receive(c, data)
}

func receivedString(p *peer, s string) int {
	n := 0
	for _, r := range p.received {
		if string(r) == s {
			n++
		}
	}
	return n
}

// TestRegression_EarlyApplicationData: application data during the
// handshake. RFC 5246 §7.1/§6.2: application data is protected with the
// negotiated keys, so an epoch-0 application data record is never
// delivered, during the handshake or after it (the pion/dtls
// CVE-2019-20786 class accepted unprotected data after the handshake).
// RFC 6347 §4.1: records of the next epoch may arrive before the
// ChangeCipherSpec and Finished they follow; they may be buffered, but must
// not be delivered before the handshake completes.
func TestRegression_EarlyApplicationData(t *testing.T) {
	const payload = "unprotected"
	t.Run("epoch 0 during the handshake", func(t *testing.T) {
		for i, at := range []struct {
			name   string
			target string
			cond   func(cl, sv *peer) func() bool
		}{
			{"server WAIT_CLIENTKEYEXCHANGE", "server", func(cl, sv *peer) func() bool { return hsState(sv, cl, StateWaitClientKeyExchange) }},
			{"server WAIT_FINISHED", "server", func(cl, sv *peer) func() bool { return hsState(sv, cl, StateWaitFinished) }},
			{"client after HelloVerifyRequest", "client", afterHVR},
			{"client WAIT_CHANGECIPHERSPEC", "client", func(cl, sv *peer) func() bool { return hsState(cl, sv, StateWaitChangeCipherSpec) }},
			{"client WAIT_FINISHED", "client", func(cl, sv *peer) func() bool { return hsState(cl, sv, StateWaitFinished) }},
		} {
			t.Run(at.name, func(t *testing.T) {
				cl, sv, l := pskPair(t, int64(1100+i), protocol.TLS_PSK_WITH_AES_128_CCM_8)
				splitDatagrams(l)
				in := &injector{t: t, l: l, split: true}
				cl.ep.Connect(sv.addr, l.now)
				runTo(t, l, at.name, at.cond(cl, sv))
				target, other := sv, cl
				if at.target == "client" {
					target, other = cl, sv
				}
				dropped(t, at.name, l, target, other, in.plain0(other, target, protocol.ContentApplicationData, []byte(payload)))
				completes(t, at.name, cl, sv, l)
				if receivedString(target, payload) != 0 {
					t.Fatalf("unprotected data delivered after the handshake")
				}
			})
		}
	})
	t.Run("epoch 1 before the server's Finished", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1110, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		sv.echo = false
		oc := &orderCheck{peer: cl}
		cl.setHandler(oc)
		var flight6 []byte
		l.filter = func(from *peer, dg []byte) []byte {
			if from == sv && flight6 == nil && dg[0] == byte(protocol.ContentChangeCipherSpec) {
				flight6 = dg
				return nil
			}
			return dg
		}
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "server established", connected(sv, cl))
		if n, err := sv.ep.Write(cl.addr, [][]byte{[]byte("racing ahead")}, l.now); n == 0 || err != nil {
			t.Fatalf("server Write = %d, %v", n, err)
		}
		l.drain()
		if len(cl.received) != 0 || cl.conn(sv).Established() {
			t.Fatalf("client delivered %q before the server's Finished (established %v)", cl.received, cl.conn(sv).Established())
		}
		deliver(t, cl, sv.addr, flight6, l.now)
		if !cl.conn(sv).Established() {
			t.Fatalf("client not established after flight 6")
		}
		if len(oc.early) != 0 {
			t.Fatalf("delivered before the handshake completed: %q", oc.early)
		}
		if receivedString(cl, "racing ahead") != 1 {
			t.Logf("buffered record not delivered (dropping is allowed too): %q", cl.received)
		}
	})
	t.Run("epoch 1 before the client's Finished", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1111, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		oc := &orderCheck{peer: sv}
		sv.setHandler(oc)
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "client flight 5", hsState(cl, sv, StateWaitChangeCipherSpec))
		// The client's flight 5 is on its way; a record of its new epoch
		// overtakes it.
		deliver(t, sv, cl.addr, forge(t, cl.conn(sv), 1, protocol.ContentApplicationData, []byte("overtaking")), l.now)
		if len(sv.received) != 0 {
			t.Fatalf("server delivered %q before the key exchange", sv.received)
		}
		completes(t, "overtaking record", cl, sv, l)
		if len(oc.early) != 0 {
			t.Fatalf("delivered before the handshake completed: %q", oc.early)
		}
		if n := receivedString(sv, "overtaking"); n > 1 {
			t.Fatalf("buffered record delivered %d times", n)
		} else if n == 0 {
			t.Logf("buffered record not delivered (dropping is allowed too)")
		}
	})
	t.Run("epoch 0 after the handshake", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1112)
		in := &injector{t: t, l: l}
		for _, dir := range [][2]*peer{{cl, sv}, {sv, cl}} {
			from, to := dir[0], dir[1]
			for i := 0; i < 3; i++ {
				dropped(t, "epoch-0 data to "+to.name, l, to, from, in.plain0(from, to, protocol.ContentApplicationData, []byte(payload)))
			}
		}
		exchange(t, cl, sv, l, "after epoch-0 data")
	})
}

// ---------------------------------------------------------------------------
// 6. Finished out of order.

// TestRegression_FinishedOutOfOrder: RFC 5246 §7.4.9: Finished is sent
// right after ChangeCipherSpec, under the new keys; a Finished before the
// key exchange or before the ChangeCipherSpec (in epoch 0) is an
// unexpected_message (RFC 5246 §7.2.2), and nothing may be delivered. A
// genuine Finished that merely overtook its ChangeCipherSpec in the network
// is buffered and the handshake completes.
func TestRegression_FinishedOutOfOrder(t *testing.T) {
	finished := func(seq uint16) []byte { return hsMsg(protocol.HandshakeFinished, seq, make([]byte, 12)) }
	unexpected := protocol.AlertUnexpectedMessage
	// check is for a Finished injected once the other side may have
	// completed: only the data it got is checked, not its CONNECTED.
	check := func(t *testing.T, what string, l *link, p, other *peer, c *Conn, m marks) {
		t.Helper()
		endedWithFatal(t, what, l, p, other, c, m, unexpected)
		if len(other.received) != 0 {
			t.Errorf("%s: %s delivered %q", what, other.name, other.received)
		}
	}
	t.Run("server, before the key exchange", func(t *testing.T) {
		cl, sv, l := pskServerWaitingForKeyExchange(t, 1120)
		nextMsgFails(t, "Finished before ClientKeyExchange", l, cl, sv, protocol.HandshakeFinished, make([]byte, 12), unexpected)
	})
	holdFlight5 := func(t *testing.T, seed int64) (*peer, *peer, *link, [][]byte) {
		cl, sv, l := pskPair(t, seed, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		flight5 := holdFlight(t, l, cl, sv, cl, protocol.HandshakeClientKeyExchange, "client flight 5")
		recs := splitRecords(t, sv, cl, flight5)
		if len(recs) != 3 {
			t.Fatalf("flight 5 has %d records, want ClientKeyExchange, CCS, Finished", len(recs))
		}
		return cl, sv, l, recs
	}
	t.Run("server, after the key exchange, before CCS", func(t *testing.T) {
		cl, sv, l, recs := holdFlight5(t, 1121)
		deliver(t, sv, cl.addr, recs[0], l.now)
		c := sv.conn(cl)
		if st := c.snapshot().Handshake.State; st != StateWaitChangeCipherSpec {
			t.Fatalf("server in %v", st)
		}
		m := mark(sv)
		deliver(t, sv, cl.addr, forge(t, cl.conn(sv), 0, protocol.ContentHandshake, finished(c.snapshot().Handshake.NextRecvSeq)), l.now)
		check(t, "epoch-0 Finished before CCS", l, sv, cl, c, m)
	})
	t.Run("server, genuine Finished overtaking its CCS", func(t *testing.T) {
		cl, sv, l, recs := holdFlight5(t, 1122)
		for _, i := range []int{0, 2, 1} {
			deliver(t, sv, cl.addr, recs[i], l.now)
		}
		completes(t, "Finished before CCS in the network", cl, sv, l)
	})
	t.Run("client, before the key exchange", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1123, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "client after HelloVerifyRequest", afterHVR(cl, sv))
		nextMsgFails(t, "Finished before ServerHello", l, sv, cl, protocol.HandshakeFinished, make([]byte, 12), unexpected)
	})
	t.Run("client, after its flight 5, before CCS", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1124, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		in := &injector{t: t, l: l}
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "client WAIT_CHANGECIPHERSPEC", hsState(cl, sv, StateWaitChangeCipherSpec))
		c := cl.conn(sv)
		m := mark(cl)
		in.send(sv, cl, in.next(sv, cl, protocol.HandshakeFinished, make([]byte, 12)))
		check(t, "epoch-0 Finished at the client", l, cl, sv, c, m)
	})
}

// ---------------------------------------------------------------------------
// 7. Client authentication skipped.

// TestRegression_SkippedClientAuthentication: RFC 5246 §7.4.6 and §7.4.8:
// after a CertificateRequest the client's flight starts with its
// Certificate, and a CertificateVerify follows the ClientKeyExchange when
// the certificate can sign. A ClientKeyExchange in place of the Certificate,
// or a Finished in place of the CertificateVerify, must end the handshake
// with unexpected_message (or handshake_failure); the server must never
// reach CONNECTED (the tinydtls/mbedTLS "skipped CertificateVerify" class of
// authentication bypass).
func TestRegression_SkippedClientAuthentication(t *testing.T) {
	want := []protocol.AlertDescription{protocol.AlertUnexpectedMessage, protocol.AlertHandshakeFailure}
	for name, types := range map[string][]protocol.HandshakeType{
		"Certificate skipped":                       {protocol.HandshakeCertificate},
		"Certificate and CertificateVerify skipped": {protocol.HandshakeCertificate, protocol.HandshakeCertificateVerify},
		"CertificateVerify skipped":                 {protocol.HandshakeCertificateVerify},
	} {
		t.Run(name+" by the client", func(t *testing.T) {
			cl, sv, l := ecdhePair(t, 1130)
			dropFromClientFlights(t, l, cl, sv, types...)
			failsWith(t, cl, sv, l, nil, sv, want...)
		})
	}
	t.Run("ClientKeyExchange injected in place of the Certificate", func(t *testing.T) {
		cl, sv, l := ecdhePair(t, 1131)
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "server WAIT_CLIENTCERTIFICATE", hsState(sv, cl, StateWaitClientCertificate))
		cke := (&handshake.ClientKeyExchangeECDHE{PublicKey: ecdhePoint(t, 2)}).Marshal(nil)
		nextMsgFails(t, "ClientKeyExchange before Certificate", l, cl, sv, protocol.HandshakeClientKeyExchange, cke, want...)
	})
	t.Run("Finished injected in place of the CertificateVerify", func(t *testing.T) {
		cl, sv, l := ecdhePair(t, 1132)
		flight5 := holdFlight(t, l, cl, sv, cl, protocol.HandshakeCertificateVerify, "client flight 5")
		recs := splitRecords(t, sv, cl, flight5)
		// Deliver the epoch-0 handshake records but the CertificateVerify.
		var cvSeq uint16
		for _, r := range recs {
			h, payload, _, _ := record.Parse(r, record.FixedCIDLen(0))
			if h.Epoch != 0 || h.Type != protocol.ContentHandshake {
				continue
			}
			hh, _, rest, ok := handshake.ParseFragment(payload)
			if !ok || len(rest) != 0 {
				t.Fatalf("flight 5 record is not one handshake message: % x", payload)
			}
			if hh.Type == protocol.HandshakeCertificateVerify {
				cvSeq = hh.MessageSeq
				continue
			}
			deliver(t, sv, cl.addr, r, l.now)
		}
		if cvSeq == 0 {
			t.Fatalf("no CertificateVerify in flight 5")
		}
		c := sv.conn(cl)
		if c == nil || !c.snapshot().Handshake.Running || c.snapshot().Handshake.State != StateWaitCertificateVerify {
			t.Fatalf("server not waiting for CertificateVerify")
		}
		for _, r := range recs[1:] {
			if r[0] == byte(protocol.ContentChangeCipherSpec) {
				deliver(t, sv, cl.addr, r, l.now)
			}
		}
		m := mark(sv)
		deliver(t, sv, cl.addr, forge(t, cl.conn(sv), 1, protocol.ContentHandshake,
			hsMsg(protocol.HandshakeFinished, cvSeq, clientVerify(cl.conn(sv)))), l.now)
		if !c.Removed() {
			t.Fatalf("server still in %v after a Finished in place of the CertificateVerify\n%s", c.snapshot().Handshake.State, sv.logs.String())
		}
		endedWithFatal(t, "Finished before CertificateVerify", l, sv, cl, c, m, want...)
	})
}

// ---------------------------------------------------------------------------
// 8. ClientHello and HelloRequest at the wrong time.

// TestRegression_ClientHelloDuringHandshake: RFC 6347 §4.2.8 (a client
// restarting, or someone spoofing it): a ClientHello with a new random at
// the address of a server handshake in progress is answered statelessly and
// must not disturb that handshake unless it carries a valid cookie; then
// the server may start over. A copy of the handshake's own ClientHello is a
// retransmission (RFC 6347 §4.2.4): at most our flight is resent, the
// association is never replaced.
func TestRegression_ClientHelloDuringHandshake(t *testing.T) {
	t.Run("new random, no cookie", func(t *testing.T) {
		cl, sv, l := pskServerWaitingForKeyExchange(t, 1200)
		in := &injector{t: t, l: l}
		var answers [][]byte
		l.tap = func(from *peer, dg []byte) {
			if from == sv {
				answers = append(answers, dg)
			}
		}
		s, m := snap(sv.conn(cl)), mark(sv)
		in.send(cl, sv, chRecord(goodCH(9).body(), 0, in.seq0(cl.conn(sv), sv.conn(cl))))
		if len(answers) != 1 || !isHVR(answers[0]) {
			t.Fatalf("answers to a new ClientHello: %d, want one HelloVerifyRequest", len(answers))
		}
		m.sent++ // the HelloVerifyRequest
		expectDropped(t, "new ClientHello without cookie", sv, cl, s, m)
		l.tap = nil
		completes(t, "new ClientHello without cookie", cl, sv, l)
	})
	t.Run("copy of the handshake's ClientHello", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1202, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		var hellos [][]byte
		l.tap = func(from *peer, dg []byte) {
			if from == cl && findMessage(dg, protocol.HandshakeClientHello) >= 0 {
				hellos = append(hellos, dg)
			}
		}
		cl.ep.Connect(sv.addr, l.now)
		runTo(t, l, "server WAIT_CLIENTKEYEXCHANGE", hsState(sv, cl, StateWaitClientKeyExchange))
		l.tap = nil
		if len(hellos) != 2 {
			t.Fatalf("%d ClientHellos", len(hellos))
		}
		c := sv.conn(cl)
		for i, h := range hellos {
			for _, fresh := range []bool{false, true} {
				dg := append([]byte(nil), h...)
				if fresh {
					// Same ClientHello, new record sequence number: a
					// retransmission rather than a replay.
					seq, _ := takeSeq(cl.conn(sv), 0)
					dg = plainRecord(protocol.ContentHandshake, protocol.VersionDTLS10, 0, seq, dg[record.HeaderLen:])
				}
				s, m := snap(c), mark(sv)
				deliver(t, sv, cl.addr, dg, l.now)
				if sv.conn(cl) != c || c.Removed() {
					t.Fatalf("copy of ClientHello %d (fresh %v) replaced the association", i, fresh)
				}
				if sv.sentDgs > m.sent+1 {
					t.Errorf("copy of ClientHello %d (fresh %v): %d datagrams in answer", i, fresh, sv.sentDgs-m.sent)
				}
				m.sent = sv.sentDgs // a retransmitted flight 4 is fine
				expectDropped(t, fmt.Sprintf("copy of ClientHello %d (fresh %v)", i, fresh), sv, cl, s, m)
			}
		}
		completes(t, "copies of the ClientHello", cl, sv, l)
	})
	t.Run("copy after the handshake", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1203, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		var hellos [][]byte
		l.tap = func(from *peer, dg []byte) {
			if from == cl && findMessage(dg, protocol.HandshakeClientHello) >= 0 {
				hellos = append(hellos, dg)
			}
		}
		handshakeOK(t, cl, sv, l, 5*time.Second)
		l.drain()
		l.tap = nil
		c := sv.conn(cl)
		for i, h := range hellos {
			for _, fresh := range []bool{false, true} {
				dg := append([]byte(nil), h...)
				if fresh {
					seq := uint64(100 + i)
					dg = plainRecord(protocol.ContentHandshake, protocol.VersionDTLS10, 0, seq, dg[record.HeaderLen:])
				}
				m := mark(sv)
				deliver(t, sv, cl.addr, dg, l.now)
				if sv.conn(cl) != c || !c.Established() {
					t.Fatalf("copy of ClientHello %d (fresh %v) replaced the established association", i, fresh)
				}
				if sv.sentDgs > m.sent+1 || len(sv.events) != m.events || len(sv.received) != m.recv {
					t.Errorf("copy of ClientHello %d (fresh %v): %d sent, events %v", i, fresh, sv.sentDgs-m.sent, sv.events[m.events:])
				}
			}
		}
		l.drain()
		exchange(t, cl, sv, l, "after ClientHello copies")
	})
}

// stepUntilQuiet steps the link until nothing is pending. It fails the test
// if that takes more than max datagrams and timers: two engines answering
// each other's retransmissions without end.
func stepUntilQuiet(t *testing.T, l *link, max int) int {
	t.Helper()
	start, sent := l.now, 0
	prev := l.tap
	l.tap = func(from *peer, dg []byte) {
		sent++
		if prev != nil {
			prev(from, dg)
		}
	}
	defer func() { l.tap = prev }()
	for i := 0; i < max; i++ {
		if !l.step() {
			return sent
		}
	}
	t.Fatalf("packet storm: %d datagrams in %v of simulated time and still going", sent, l.now-start)
	return sent
}

// TestRegression_ValidCookieMidHandshake: RFC 6347 §4.2.8: a ClientHello
// with a new random and a valid cookie at the address of a server handshake
// in progress may replace that handshake (the sender proved it receives at
// the address, e.g. an on-path attacker or a restarted client). The
// original client, now out of step with the server, must not get into an
// endless exchange of retransmissions with it (RFC 6347 §4.2.4: a flight is
// resent when the peer's retransmission shows ours was lost, with the timer
// backing off — not at line rate): the link must go quiet within the
// retransmission budget, no half-open association may be left, and the
// client must be able to connect afresh.
func TestRegression_ValidCookieMidHandshake(t *testing.T) {
	cl, sv, l := pskServerWaitingForKeyExchange(t, 1201)
	in := &injector{t: t, l: l}
	old := sv.conn(cl)
	in.send(cl, sv, chRecord(goodCH(10).withCookie(t, sv, cl.addr, l.now).body(), 1, in.seq0(cl.conn(sv), sv.conn(cl))))
	if !old.Removed() || sv.conn(cl) == nil || sv.conn(cl) == old {
		t.Fatalf("a ClientHello with a valid cookie did not start a new handshake (old removed %v)", old.Removed())
	}
	n := stepUntilQuiet(t, l, 2000)
	t.Logf("%d datagrams until quiet at %v", n, l.now)
	if bothConnected(cl, sv)() {
		exchange(t, cl, sv, l, "after the restart")
		return
	}
	if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
		t.Fatalf("half-open associations left: client %d (%v) server %d (%v)", cl.ep.NumConns(), cl.events, sv.ep.NumConns(), sv.events)
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	l.drain()
	exchange(t, cl, sv, l, "after reconnecting")
}

// TestRegression_ClientHelloOnEstablished: RFC 6347 §4.2.8: a new epoch-0
// ClientHello at the address of an established association is answered with
// a HelloVerifyRequest and the association survives; only a ClientHello with
// a valid cookie (the client proved it owns the address) may replace it.
func TestRegression_ClientHelloOnEstablished(t *testing.T) {
	skipIfCompacting(t)
	t.Run("no cookie", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1210)
		c := sv.conn(cl)
		var answers [][]byte
		l.tap = func(from *peer, dg []byte) {
			if from == sv {
				answers = append(answers, dg)
			}
		}
		for i := 0; i < 3; i++ {
			deliver(t, sv, cl.addr, chRecord(goodCH(byte(20+i)).body(), 0, uint64(i)), l.now)
		}
		if len(answers) != 3 || !isHVR(answers[0]) {
			t.Fatalf("%d answers, want three HelloVerifyRequests", len(answers))
		}
		if sv.conn(cl) != c || !c.Established() {
			t.Fatalf("established association replaced by ClientHellos without cookie")
		}
		l.tap = nil
		l.drain()
		exchange(t, cl, sv, l, "after spoofed ClientHellos")
	})
	t.Run("restarted client", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1211)
		old := sv.conn(cl)
		// A new client endpoint at the same address, as after a reboot.
		cl2 := newPeer(t, l, "client", Config{}, 5555)
		cl2.usePSK("Client_identity", "secretPSK")
		cl2.params = onlySuites(protocol.TLS_PSK_WITH_AES_128_CCM_8)
		cl2.ep.Connect(sv.addr, l.now)
		l.step() // the first ClientHello, without cookie
		if old.Removed() || sv.conn(cl2) != old {
			t.Fatalf("association replaced before the cookie exchange")
		}
		if !l.run(both(connected(cl2, sv), func() bool { c := sv.conn(cl2); return c != nil && c != old && c.Established() }), 5*time.Second) {
			t.Fatalf("restarted client could not connect: %v %v", cl2.events, sv.events)
		}
		if !old.Removed() {
			t.Fatalf("old association kept next to the new one")
		}
		l.drain()
		exchange(t, cl2, sv, l, "after the restart")
	})
}

// stateLabel names the handshake state of p's association with other ("" if
// none or no handshake runs).
func stateLabel(p, other *peer) string {
	c := p.conn(other)
	if c == nil || !c.snapshot().Handshake.Running {
		return ""
	}
	cs := c.snapshot()
	s := cs.Handshake.State.String()
	if cs.Role == RoleClient && cs.Handshake.State == StateClientHello {
		s += fmt.Sprintf("/hvr%d", cs.Handshake.HelloVerifies)
	}
	return fmt.Sprintf("%s/rd%d", s, cs.ReadEpoch)
}

// scenario is a handshake run with every message in a datagram of its own.
type scenario struct {
	name  string
	setup func(t *testing.T) (cl, sv *peer, l *link)
}

var splitScenarios = []scenario{
	{"psk", func(t *testing.T) (*peer, *peer, *link) {
		cl, sv, l := pskPair(t, 1300, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		splitDatagrams(l)
		return cl, sv, l
	}},
	{"ecdhe", func(t *testing.T) (*peer, *peer, *link) {
		cl, sv, l := ecdhePair(t, 1301)
		splitDatagrams(l)
		return cl, sv, l
	}},
}

// checkpoint is the first step of a scenario after which target shows a
// handshake state.
type checkpoint struct {
	steps  int
	target string
	label  string
}

func handshakeCheckpoints(t *testing.T, sc scenario) []checkpoint {
	cl, sv, l := sc.setup(t)
	cl.ep.Connect(sv.addr, l.now)
	seen := map[string]bool{}
	var cps []checkpoint
	note := func(steps int) {
		for _, pr := range [][2]*peer{{cl, sv}, {sv, cl}} {
			lab := stateLabel(pr[0], pr[1])
			if lab != "" && !seen[pr[0].name+lab] {
				seen[pr[0].name+lab] = true
				cps = append(cps, checkpoint{steps, pr[0].name, lab})
			}
		}
	}
	note(0)
	for i := 1; i < 200 && !(bothConnected(cl, sv)()); i++ {
		if !l.step() {
			break
		}
		note(i)
	}
	if !(bothConnected(cl, sv)()) {
		t.Fatalf("%s: split handshake did not complete", sc.name)
	}
	return cps
}

// reach replays a scenario up to a checkpoint and returns the target and
// its peer.
func reach(t *testing.T, sc scenario, cp checkpoint) (cl, sv *peer, l *link, target, other *peer) {
	t.Helper()
	cl, sv, l = sc.setup(t)
	cl.ep.Connect(sv.addr, l.now)
	for i := 0; i < cp.steps; i++ {
		l.step()
	}
	target, other = cl, sv
	if cp.target == sv.name {
		target, other = sv, cl
	}
	if got := stateLabel(target, other); got != cp.label {
		t.Fatalf("replay reached %s %q, want %q", target.name, got, cp.label)
	}
	return
}

// protectedChoices says whether records to the target of cp can be sent
// unprotected only, or also under the handshake's new keys (once the
// target reads epoch 1; its peer writes epoch 1 by then).
func protectedChoices(cp checkpoint) []bool {
	if strings.HasSuffix(cp.label, "/rd1") {
		return []bool{false, true}
	}
	return []bool{false}
}

// TestRegression_HelloRequestEveryState: RFC 5246 §7.4.1.1: HelloRequest
// "SHOULD be ignored by the client if it is currently negotiating a
// session" and is never for a server. Injected in every handshake state of
// both roles (epoch 0, and protected once the receiver reads epoch 1), it
// must be ignored without an answer and the handshake must complete; after
// the handshake, only an established client answers a protected
// HelloRequest, with a renegotiation that completes; an unprotected one is
// ignored.
func TestRegression_HelloRequestEveryState(t *testing.T) {
	hr := hsMsg(protocol.HandshakeHelloRequest, 0, nil)
	for _, sc := range splitScenarios {
		for _, cp := range handshakeCheckpoints(t, sc) {
			for _, protected := range protectedChoices(cp) {
				name := fmt.Sprintf("%s/%s %s/protected=%v", sc.name, cp.target, cp.label, protected)
				t.Run(name, func(t *testing.T) {
					cl, sv, l, target, other := reach(t, sc, cp)
					in := &injector{t: t, l: l, split: true}
					dg := in.record(other, target, protected, target.conn(other).snapshot().ReadEpoch, protocol.ContentHandshake, hr)
					dropped(t, "HelloRequest", l, target, other, dg)
					completes(t, "HelloRequest", cl, sv, l)
				})
			}
		}
	}
	t.Run("established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1310)
		in := &injector{t: t, l: l}
		for _, tc := range []struct {
			name      string
			from, to  *peer
			protected bool
			seq       uint16
		}{
			{"to server, epoch 0", cl, sv, false, 0},
			{"to server, protected", cl, sv, true, 0},
			{"to client, epoch 0", sv, cl, false, 0},
			{"to client, protected, message_seq 5", sv, cl, true, 5},
		} {
			msg := hsMsg(protocol.HandshakeHelloRequest, tc.seq, nil)
			dropped(t, tc.name, l, tc.to, tc.from, in.record(tc.from, tc.to, tc.protected, 1, protocol.ContentHandshake, msg))
		}
		exchange(t, cl, sv, l, "after ignored HelloRequests")
	})
	t.Run("established client, protected", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1311)
		in := &injector{t: t, l: l}
		// The server asks for a renegotiation, but its own HelloRequest is
		// lost; the injected one (same message, our record) stands in.
		l.filter = func(from *peer, dg []byte) []byte {
			if from == sv {
				return nil
			}
			return dg
		}
		if err := sv.ep.Renegotiate(cl.addr, l.now); err != nil {
			t.Fatal(err)
		}
		l.filter = nil
		m := mark(cl)
		in.send(sv, cl, in.sealed(sv, cl, 1, protocol.ContentHandshake, hr))
		if cl.sentDgs != m.sent+1 || !cl.hasEvent(protocol.LevelInternal, protocol.EventRenegotiate) {
			t.Fatalf("client did not answer the HelloRequest with a ClientHello: %d sent, events %v", cl.sentDgs-m.sent, cl.events)
		}
		if !l.run(renegotiated(cl, sv), 10*time.Second) {
			t.Fatalf("renegotiation did not finish: client %v server %v", cl.events, sv.events)
		}
		exchange(t, cl, sv, l, "after renegotiation")
	})
	t.Run("during a renegotiation", func(t *testing.T) {
		// An unprotected HelloRequest is anyone's and is ignored. (A
		// protected one during the client's renegotiation can only be the
		// server's own, crossing the client's ClientHello: that case is
		// TestRegression_SimultaneousRenegotiation.)
		cl, sv, l := establishedPSK(t, 1312)
		in := &injector{t: t, l: l}
		if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
			t.Fatal(err)
		}
		dropped(t, "HelloRequest during a renegotiation", l, cl, sv, in.plain0(sv, cl, protocol.ContentHandshake, hr))
		if !l.run(renegotiated(cl, sv), 10*time.Second) {
			t.Fatalf("renegotiation did not finish: client %v server %v", cl.events, sv.events)
		}
	})
	t.Run("closing", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1313)
		in := &injector{t: t, l: l}
		cl.ep.Close(sv.addr, l.now)
		for _, protected := range []bool{false, true} {
			dg := in.record(sv, cl, protected, 1, protocol.ContentHandshake, hr)
			dropped(t, "HelloRequest while closing", l, cl, sv, dg)
		}
	})
}

// TestRegression_SimultaneousRenegotiation: both sides start a
// renegotiation at once: the client sends a ClientHello while the server's
// HelloRequest is in flight. RFC 5246 §7.4.1.1 lets the client ignore the
// HelloRequest as it is already negotiating; the server must take the
// ClientHello as the answer it asked for. The handshake must complete (or
// at least the association must survive with its old keys).
func TestRegression_SimultaneousRenegotiation(t *testing.T) {
	cl, sv, l := establishedPSK(t, 1320)
	if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	if err := sv.ep.Renegotiate(cl.addr, l.now); err != nil {
		t.Fatal(err)
	}
	ok := l.run(renegotiated(cl, sv), 5*time.Minute)
	if !ok {
		t.Fatalf("simultaneous renegotiation did not complete by %v: client %v (assoc %v) server %v (assoc %v)\n%s%s",
			l.now, cl.events, cl.conn(sv) != nil, sv.events, sv.conn(cl) != nil, cl.logs.String(), sv.logs.String())
	}
	exchange(t, cl, sv, l, "after simultaneous renegotiation")
}

// ---------------------------------------------------------------------------
// 9. Duplicates, replays, alerts, and datagram framing.

// TestRegression_DuplicatedAndReplayedRecords: RFC 6347 §4.1.2.6 (replay
// detection) and §4.2.4 (duplicated handshake messages). A handshake over a
// link that delivers every datagram twice completes with one CONNECTED per
// side and delivers each record once; afterwards, exact copies of every
// datagram of the handshake and of the data exchange, delivered again in
// order and in reverse order, change nothing, deliver nothing and are not
// answered (answering replays would make us an amplifier).
func TestRegression_DuplicatedAndReplayedRecords(t *testing.T) {
	for _, sc := range []string{"psk", "ecdhe"} {
		t.Run(sc, func(t *testing.T) {
			var cl, sv *peer
			var l *link
			if sc == "psk" {
				cl, sv, l = pskPair(t, 1400, protocol.TLS_PSK_WITH_AES_128_CCM_8)
			} else {
				cl, sv, l = ecdhePair(t, 1401)
			}
			sv.echo = false
			all := recordSends(l)
			l.dup = 1
			handshakeOK(t, cl, sv, l, 5*time.Second)
			msgs := []string{"one", "two", "three"}
			for _, m := range msgs {
				cl.ep.Write(sv.addr, [][]byte{[]byte(m)}, l.now)
				sv.ep.Write(cl.addr, [][]byte{[]byte("re: " + m)}, l.now)
			}
			l.drain()
			l.dup = 0
			if cl.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 || sv.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 {
				t.Fatalf("CONNECTED events with duplicated datagrams: client %v server %v", cl.events, sv.events)
			}
			if fmt.Sprint(strs(sv.received)) != "[one two three]" || fmt.Sprint(strs(cl.received)) != "[re: one re: two re: three]" {
				t.Fatalf("duplicated datagrams delivered: server %q client %q", sv.received, cl.received)
			}
			captured := append([]sent(nil), (*all)...)
			l.tap = nil
			sc, sm, cc, cm := snap(sv.conn(cl)), mark(sv), snap(cl.conn(sv)), mark(cl)
			for pass := 0; pass < 2; pass++ {
				for i := range captured {
					c := captured[i]
					if pass == 1 {
						c = captured[len(captured)-1-i]
					}
					to := l.other(c.from)
					deliver(t, to, c.from.addr, c.dg, l.now)
				}
			}
			expectDropped(t, "replayed datagrams at the server", sv, cl, sc, sm)
			expectDropped(t, "replayed datagrams at the client", cl, sv, cc, cm)
			if len(l.queue) != 0 {
				t.Fatalf("%d datagrams sent in answer to replays", len(l.queue))
			}
			sv.echo = true
			exchange(t, cl, sv, l, "after replays")
		})
	}
}

// alertKind is one alert record content to inject.
type alertKind struct {
	name    string
	content []byte
	event   *event // what the receiver must report, nil: nothing (malformed)
	ends    bool   // the association must end
}

var alertKinds = []alertKind{
	{"warning close_notify", []byte{1, 0}, &event{protocol.LevelWarning, 0}, true},
	{"warning user_canceled", []byte{1, 90}, &event{protocol.LevelWarning, 90}, false},
	{"fatal handshake_failure", []byte{2, 40}, &event{protocol.LevelFatal, 40}, true},
	{"level 0", []byte{0, 40}, nil, false},
	{"level 3", []byte{3, 40}, nil, false},
	{"truncated to 1 byte", []byte{2}, nil, false},
	{"3 bytes", []byte{2, 40, 0}, nil, false},
}

// checkAlert checks the reaction of target to an injected alert: its
// association with other was c (snapshot s, counters m). replies is how
// many datagrams the target may send in answer when the alert ends the
// association.
func checkAlert(t *testing.T, k alertKind, honoured bool, target, other *peer, c *Conn, s connSnap, m marks, replies []int) {
	t.Helper()
	if !honoured || k.event == nil {
		expectDropped(t, k.name, target, other, s, m)
		return
	}
	if !target.hasEvent(k.event.level, k.event.code) {
		t.Errorf("%s: %s did not report it: %v", k.name, target.name, target.events[m.events:])
	}
	if len(target.received) != m.recv {
		t.Errorf("%s: %s delivered %q", k.name, target.name, target.received[m.recv:])
	}
	if !contains(replies, target.sentDgs-m.sent) {
		t.Errorf("%s: %s sent %d datagrams, want one of %v", k.name, target.name, target.sentDgs-m.sent, replies)
	}
	if k.ends {
		if !c.Removed() || target.conn(other) != nil {
			t.Errorf("%s: %s kept its association", k.name, target.name)
		}
		return
	}
	if after := snap(c); after != s {
		t.Errorf("%s: %s association changed: %+v -> %+v", k.name, target.name, s, after)
	}
}

// TestRegression_AlertsEveryState: alerts of every level and malformed ones,
// in every handshake state of both roles, on an established association
// and on a closing one, unprotected (epoch 0) and protected. RFC 5246
// §7.2: a fatal alert ends the association at once and is reported, a
// close_notify ends it (answered with a close_notify when established, RFC
// 5246 §7.2.1), other warnings are reported and the association goes on;
// an alert with an undefined level or of the wrong length is malformed and
// dropped (RFC 6347 §4.1.2.7). Once keys are in use, an unprotected alert
// is ignored: anyone could have sent it. Nobody answers a fatal alert.
func TestRegression_AlertsEveryState(t *testing.T) {
	for _, sc := range splitScenarios {
		for _, cp := range handshakeCheckpoints(t, sc) {
			for _, protected := range protectedChoices(cp) {
				for _, k := range alertKinds {
					name := fmt.Sprintf("%s/%s %s/protected=%v/%s", sc.name, cp.target, cp.label, protected, k.name)
					t.Run(name, func(t *testing.T) {
						cl, sv, l, target, other := reach(t, sc, cp)
						in := &injector{t: t, l: l, split: true}
						c := target.conn(other)
						dg := in.record(other, target, protected, c.snapshot().ReadEpoch, protocol.ContentAlert, k.content)
						s, m := snap(c), mark(target)
						in.send(other, target, dg)
						// During the handshake an alert is answered with
						// nothing, or a close_notify with a close_notify.
						checkAlert(t, k, true, target, other, c, s, m, []int{0, 1})
						if k.content[0] == 2 && len(k.content) == 2 && target.sentDgs != m.sent {
							t.Errorf("%s answered a fatal alert", target.name)
						}
						if k.ends {
							l.run(nil, 10*time.Minute)
							if target.hasEvent(protocol.LevelInternal, protocol.EventConnected) {
								t.Errorf("%s reached CONNECTED after the alert", target.name)
							}
							if cl.ep.NumConns() != 0 && !connected(cl, sv)() || sv.ep.NumConns() != 0 && !connected(sv, cl)() {
								t.Errorf("half-open associations left: client %d server %d", cl.ep.NumConns(), sv.ep.NumConns())
							}
							return
						}
						completes(t, k.name, cl, sv, l)
					})
				}
			}
		}
	}
	for _, state := range []string{"established", "closing"} {
		for _, targetName := range []string{"client", "server"} {
			for _, protected := range []bool{false, true} {
				for i, k := range alertKinds {
					name := fmt.Sprintf("%s/%s/protected=%v/%s", state, targetName, protected, k.name)
					t.Run(name, func(t *testing.T) {
						cl, sv, l := establishedPSK(t, int64(1500+i))
						in := &injector{t: t, l: l}
						target, other := cl, sv
						if targetName == "server" {
							target, other = sv, cl
						}
						replies := []int{0}
						if state == "closing" {
							target.ep.Close(other.addr, l.now)
							l.queue = nil // the close_notify is lost
						} else if k.ends && k.event.level == protocol.LevelWarning {
							replies = []int{1} // close_notify answered
						}
						c := target.conn(other)
						dg := in.record(other, target, protected, 1, protocol.ContentAlert, k.content)
						s, m := snap(c), mark(target)
						in.send(other, target, dg)
						checkAlert(t, k, protected, target, other, c, s, m, replies)
						if !k.ends || !protected {
							if state == "established" {
								l.drain()
								exchange(t, cl, sv, l, "after "+k.name)
							} else if c.State() != StateClosing {
								t.Errorf("closing association now %v", c.State())
							}
						}
					})
				}
			}
		}
	}
	t.Run("server before its association", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1520, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		cl.ep.Connect(sv.addr, l.now)
		for _, k := range alertKinds {
			m := mark(sv)
			deliver(t, sv, cl.addr, plainRecord(protocol.ContentAlert, protocol.VersionDTLS12, 0, 9, k.content), l.now)
			if sv.sentDgs != m.sent || len(sv.events) != m.events || sv.ep.NumConns() != 0 {
				t.Errorf("%s to a server without association: %d sent, events %v", k.name, sv.sentDgs-m.sent, sv.events[m.events:])
			}
		}
		completes(t, "alerts before the association", cl, sv, l)
	})
}

// TestRegression_RecordsSplitAcrossDatagrams: RFC 6347 §4.1.1: a record
// never spans datagrams. A record cut at the end of a datagram is dropped
// (the records before it in the datagram still count), and the datagram
// with the rest of it must not be misparsed as records; the intact record,
// sent again, is still accepted (the cut copy did not touch the replay
// window).
func TestRegression_RecordsSplitAcrossDatagrams(t *testing.T) {
	t.Run("established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1600)
		sv.echo = false
		c := cl.conn(sv)
		n1 := len(forgeEpoch(c, 1, protocol.ContentApplicationData, []byte("first")))
		n2 := len(forgeEpoch(c, 1, protocol.ContentApplicationData, []byte("second, cut in two")))
		for _, cut := range []int{n1 + 3, n1 + 12, n1 + 20, n1 + n2 - 1} {
			sv.received = nil
			// Fresh records each round, so that each round sees them anew.
			rec1 := forge(t, c, 1, protocol.ContentApplicationData, []byte("first"))
			rec2 := forge(t, c, 1, protocol.ContentApplicationData, []byte("second, cut in two"))
			dg := append(append([]byte(nil), rec1...), rec2...)
			s, m := snap(sv.conn(cl)), mark(sv)
			deliver(t, sv, cl.addr, dg[:cut], l.now)
			deliver(t, sv, cl.addr, dg[cut:], l.now)
			if fmt.Sprint(strs(sv.received)) != "[first]" {
				t.Fatalf("cut at %d: delivered %q, want only the first record", cut, sv.received)
			}
			m.recv = 1
			expectDropped(t, fmt.Sprintf("cut at %d", cut), sv, cl, s, m)
			deliver(t, sv, cl.addr, rec2, l.now)
			if fmt.Sprint(strs(sv.received)) != "[first second, cut in two]" {
				t.Fatalf("cut at %d: intact second record afterwards: %q", cut, sv.received)
			}
		}
	})
	t.Run("handshake flight", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1601, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		flight4 := holdFlight(t, l, cl, sv, sv, protocol.HandshakeServerHello, "server flight 4")
		recs := splitRecords(t, cl, sv, flight4)
		if len(recs) < 2 {
			t.Fatalf("flight 4 is one record; want ServerHello and ServerHelloDone in records of their own")
		}
		first := len(recs[0])
		// Cut inside the first record: nothing of the datagram counts.
		for _, cut := range []int{5, record.HeaderLen, record.HeaderLen + 20, first - 1} {
			s, m := snap(cl.conn(sv)), mark(cl)
			deliver(t, cl, sv.addr, flight4[:cut], l.now)
			deliver(t, cl, sv.addr, flight4[cut:], l.now)
			expectDropped(t, fmt.Sprintf("flight 4 cut at %d", cut), cl, sv, s, m)
		}
		// Cut inside the second record: the ServerHello before it counts,
		// nothing after it does.
		deliver(t, cl, sv.addr, flight4[:first+record.HeaderLen+3], l.now)
		deliver(t, cl, sv.addr, flight4[first+record.HeaderLen+3:], l.now)
		if st := cl.conn(sv).snapshot().Handshake.State; st != StateWaitServerKeyExchange {
			t.Fatalf("after a cut in the second record: client in %v, want WAIT_SERVERKEYEXCHANGE", st)
		}
		deliver(t, cl, sv.addr, flight4, l.now)
		completes(t, "cut flight 4", cl, sv, l)
	})
}

// TestRegression_GarbageAroundRecords: RFC 6347 §4.1.2.7: bytes after the
// last record of a datagram that do not form a record are dropped, and the
// valid records before them are processed normally, once. Garbage before a
// record makes the rest of the datagram undelimitable: nothing of it may be
// processed. Neither may cause an answer.
func TestRegression_GarbageAroundRecords(t *testing.T) {
	garbage := map[string][]byte{
		"one zero byte":           {0},
		"five bytes":              {0xde, 0xad, 0xbe, 0xef, 0x01},
		"header of a huge record": plainRecord(protocol.ContentApplicationData, protocol.VersionDTLS12, 1, 99, nil)[:11],
		"header claiming 0xffff":  {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 99, 0xff, 0xff, 1, 2, 3},
		"truncated alert header":  {21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 99, 0, 2, 2},
		"0xff x 40":               bytes.Repeat([]byte{0xff}, 40),
	}
	t.Run("after a record, established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1610)
		sv.echo = false
		for name, g := range garbage {
			rec := forge(t, cl.conn(sv), 1, protocol.ContentApplicationData, []byte(name))
			s, m := snap(sv.conn(cl)), mark(sv)
			deliver(t, sv, cl.addr, append(rec, g...), l.now)
			if receivedString(sv, name) != 1 {
				t.Errorf("%s: valid record before the garbage not delivered once: %q", name, sv.received[m.recv:])
			}
			m.recv++
			expectDropped(t, name, sv, cl, s, m)
		}
		sv.echo = true
		exchange(t, cl, sv, l, "after garbage")
	})
	t.Run("before a record, established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1611)
		sv.echo = false
		for name, g := range garbage {
			rec := forge(t, cl.conn(sv), 1, protocol.ContentApplicationData, []byte(name))
			dropped(t, "garbage before: "+name, l, sv, cl, append(append([]byte(nil), g...), rec...))
			deliver(t, sv, cl.addr, rec, l.now)
			if receivedString(sv, name) != 1 {
				t.Errorf("%s: record not accepted on its own after the garbled datagram", name)
			}
		}
	})
	t.Run("after a stateless ClientHello", func(t *testing.T) {
		_, sv, l := pskPair(t, 1612, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		for name, g := range garbage {
			var answers [][]byte
			l.tap = func(from *peer, dg []byte) { answers = append(answers, dg) }
			deliver(t, sv, stranger, append(chRecord(goodCH(30).body(), 0, 0), g...), l.now)
			if len(answers) != 1 || !isHVR(answers[0]) || sv.ep.NumConns() != 0 {
				t.Errorf("%s: %d answers, %d associations; want one HelloVerifyRequest", name, len(answers), sv.ep.NumConns())
			}
		}
	})
	t.Run("after a handshake flight", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1613, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		l.filter = func(from *peer, dg []byte) []byte {
			return append(append([]byte(nil), dg...), 0xde, 0xad, 0xbe, 0xef, 0x01)
		}
		cl.ep.Connect(sv.addr, l.now)
		completes(t, "garbage after every datagram", cl, sv, l)
	})
}

// TestRegression_FarAheadEpoch0Record: epoch 0 has no MAC, so a spoofed
// epoch-0 record authenticates trivially; one that is malformed or ignored
// (a truncated alert, an unknown content type, an unparsable or ignored
// handshake fragment) must change nothing (RFC 6347 §4.1.2.7), in
// particular it must not move the replay window far ahead and so make the
// genuine records of the handshake look like replays: one spoofed datagram
// from an off-path attacker would then stall every handshake it hits.
func TestRegression_FarAheadEpoch0Record(t *testing.T) {
	for name, rec := range map[string]struct {
		typ     protocol.ContentType
		content []byte
	}{
		"truncated alert":      {protocol.ContentAlert, []byte{2}},
		"unknown content type": {protocol.ContentType(24), []byte{1, 0, 16}},
		"unparsable fragment":  {protocol.ContentHandshake, []byte{16, 0, 0}},
		"application data":     {protocol.ContentApplicationData, []byte("x")},
		"malformed CCS":        {protocol.ContentChangeCipherSpec, []byte{2}},
		"ignored HelloRequest": {protocol.ContentHandshake, hsMsg(protocol.HandshakeHelloRequest, 0, nil)},
	} {
		t.Run(name, func(t *testing.T) {
			cl, sv, l := pskServerWaitingForKeyExchange(t, 1700)
			seq := cl.conn(sv).snapshot().WriteSeq + 1000
			s, m := snap(sv.conn(cl)), mark(sv)
			deliver(t, sv, cl.addr, plainRecord(rec.typ, protocol.VersionDTLS12, 0, seq, rec.content), l.now)
			if sv.sentDgs > m.sent+1 {
				t.Errorf("%d datagrams in answer", sv.sentDgs-m.sent)
			}
			m.sent = sv.sentDgs
			expectDropped(t, name, sv, cl, s, m)
			if !l.run(bothConnected(cl, sv), 10*time.Second) {
				t.Fatalf("handshake stalled after one spoofed epoch-0 record with sequence number %d (client %v server %v)", seq, cl.events, sv.events)
			}
		})
	}
}

// TestRegression_SpoofedClientHelloReflectsSequenceNumber: RFC 6347 §4.2.1
// makes the server echo the ClientHello's record sequence number in its
// HelloVerifyRequest. A spoofed ClientHello (new random, no cookie) from the
// address of a client in mid-handshake, with a far-ahead sequence number,
// thus makes the server send the real client a HelloVerifyRequest it does
// not expect with that number. The client must drop it without letting it
// move its epoch-0 replay window past the server's genuine records, or the
// server's ChangeCipherSpec is dropped as a replay: the server ends
// CONNECTED, the client never does.
func TestRegression_SpoofedClientHelloReflectsSequenceNumber(t *testing.T) {
	cl, sv, l := pskServerWaitingForKeyExchange(t, 1701)
	seq := cl.conn(sv).snapshot().WriteSeq + 1000
	deliver(t, sv, cl.addr, chRecord(goodCH(1).body(), 0, seq), l.now)
	if !l.run(bothConnected(cl, sv), 10*time.Second) {
		t.Fatalf("handshake stalled after one spoofed ClientHello with sequence number %d: client %v (established %v) server %v (established %v)",
			seq, cl.events, connected(cl, sv)(), sv.events, connected(sv, cl)())
	}
	exchange(t, cl, sv, l, "after the spoofed ClientHello")
}

// TestRegression_RecordHeaderFields: records with an unknown content type
// (0, heartbeat 24 — the Heartbleed class —, DTLS 1.3 ACK 26, 255), a
// tls12_cid record in epoch 0 (RFC 9146 §4: only protected records carry a
// CID), or a version other than DTLS 1.2 (TLS 1.2, DTLS 1.3, 0x0000) must be
// dropped without an answer, on an established association and during a
// handshake.
func TestRegression_RecordHeaderFields(t *testing.T) {
	type rec struct {
		typ       protocol.ContentType
		version   uint16
		protected bool
	}
	records := map[string]rec{
		"type 0":                {0, protocol.VersionDTLS12, true},
		"type 24 (heartbeat)":   {24, protocol.VersionDTLS12, true},
		"type 26 (ack)":         {26, protocol.VersionDTLS12, true},
		"type 255":              {255, protocol.VersionDTLS12, true},
		"plain type 24":         {24, protocol.VersionDTLS12, false},
		"plain type 255":        {255, protocol.VersionDTLS12, false},
		"plain tls12_cid":       {protocol.ContentTLS12CID, protocol.VersionDTLS12, false},
		"appdata control":       {protocol.ContentApplicationData, protocol.VersionDTLS12, true},
		"TLS 1.2 version":       {protocol.ContentApplicationData, 0x0303, true},
		"DTLS 1.3 version":      {protocol.ContentApplicationData, 0xfefc, true},
		"version 0":             {protocol.ContentApplicationData, 0, true},
		"plain TLS 1.2 version": {protocol.ContentAlert, 0x0303, false},
	}
	build := func(from, to *peer, r rec, in *injector) []byte {
		content := []byte{2, 40}
		if r.protected {
			// Authentic records: an unknown type is sealed as such (inside
			// the inner plaintext when the record carries a CID); a foreign
			// version is written over a sealed record, which then no
			// longer authenticates.
			dg := in.sealed(from, to, from.conn(to).snapshot().WriteEpoch, r.typ, content)
			dg[1], dg[2] = byte(r.version>>8), byte(r.version)
			return dg
		}
		return plainRecord(r.typ, r.version, 0, in.seq0(from.conn(to), to.conn(from)), content)
	}
	t.Run("established", func(t *testing.T) {
		cl, sv, l := establishedPSK(t, 1710)
		in := &injector{t: t, l: l}
		for name, r := range records {
			for _, dir := range [][2]*peer{{cl, sv}, {sv, cl}} {
				s, m := snap(dir[1].conn(dir[0])), mark(dir[1])
				dir[1].echo = false
				in.send(dir[0], dir[1], build(dir[0], dir[1], r, in))
				if name == "appdata control" {
					// The same record with a proper header is delivered:
					// the others are dropped for their header alone.
					if len(dir[1].received) != m.recv+1 {
						t.Fatalf("control record not delivered to %s", dir[1].name)
					}
					continue
				}
				expectDropped(t, name+" to "+dir[1].name, dir[1], dir[0], s, m)
			}
		}
		sv.echo = true
		exchange(t, cl, sv, l, "after odd record headers")
	})
	t.Run("server waiting for ClientKeyExchange", func(t *testing.T) {
		cl, sv, l := pskServerWaitingForKeyExchange(t, 1711)
		in := &injector{t: t, l: l}
		for name, r := range records {
			if name == "appdata control" {
				continue
			}
			r.protected = false
			dropped(t, name, l, sv, cl, build(cl, sv, r, in))
		}
		completes(t, "odd record headers", cl, sv, l)
	})
}

// TestRegression_HelloVerifyRequestAbuse: RFC 6347 §4.2.1. Spoofed
// HelloVerifyRequests must not make a client send ClientHellos without
// bound (each one costs the victim a datagram), and a HelloVerifyRequest at
// any later point of the handshake or after it must not restart anything.
// A malformed one (cookie length past the message) is a decode_error or is
// dropped.
func TestRegression_HelloVerifyRequestAbuse(t *testing.T) {
	hvr := func(seq uint16, cookie []byte) []byte {
		body := (&handshake.HelloVerifyRequest{Version: protocol.VersionDTLS10, Cookie: cookie}).Marshal(nil)
		return hsMsg(protocol.HandshakeHelloVerifyRequest, seq, body)
	}
	t.Run("many before the ServerHello", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1720, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		in := &injector{t: t, l: l}
		l.filter = func(from *peer, dg []byte) []byte { return nil } // the real server is silent
		cl.ep.Connect(sv.addr, l.now)
		m := mark(cl)
		for i := 0; i < 20; i++ {
			c := cl.conn(sv)
			if c == nil || !c.snapshot().Handshake.Running {
				break
			}
			in.send(sv, cl, in.plain0(sv, cl, protocol.ContentHandshake, hvr(c.snapshot().Handshake.NextRecvSeq, bytes.Repeat([]byte{byte(i)}, 255))))
		}
		if n := cl.sentDgs - m.sent; n > 4 {
			t.Fatalf("20 HelloVerifyRequests made the client send %d datagrams", n)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		cl, sv, l := pskPair(t, 1721, protocol.TLS_PSK_WITH_AES_128_CCM_8)
		in := &injector{t: t, l: l}
		l.filter = func(from *peer, dg []byte) []byte { return nil }
		cl.ep.Connect(sv.addr, l.now)
		c := cl.conn(sv)
		s, m := snap(c), mark(cl)
		msg := hvr(0, []byte{1, 2, 3})
		msg[len(msg)-4] = 200 // cookie length past the message
		in.send(sv, cl, in.plain0(sv, cl, protocol.ContentHandshake, msg))
		l.filter = nil
		if c.Removed() {
			fatalSent(t, "malformed HelloVerifyRequest", cl, c, m, protocol.AlertDecodeError)
			return
		}
		expectDropped(t, "malformed HelloVerifyRequest", cl, sv, s, m)
	})
	t.Run("after the ServerHello and after the handshake", func(t *testing.T) {
		for _, at := range []State{StateWaitChangeCipherSpec, StateConnected} {
			cl, sv, l := pskPair(t, 1722, protocol.TLS_PSK_WITH_AES_128_CCM_8)
			in := &injector{t: t, l: l}
			cl.ep.Connect(sv.addr, l.now)
			if at == StateConnected {
				runTo(t, l, "connected", bothConnected(cl, sv))
				l.drain()
			} else {
				runTo(t, l, at.String(), hsState(cl, sv, at))
			}
			c := cl.conn(sv)
			for _, seq := range []uint16{0, 1} {
				s, m := snap(c), mark(cl)
				in.send(sv, cl, in.plain0(sv, cl, protocol.ContentHandshake, hvr(seq, []byte{1, 2, 3})))
				if cl.sentDgs > m.sent+1 {
					t.Errorf("%v: HelloVerifyRequest seq %d answered with %d datagrams", at, seq, cl.sentDgs-m.sent)
				}
				m.sent = cl.sentDgs // resending the last flight is fine
				expectDropped(t, fmt.Sprintf("%v: HelloVerifyRequest seq %d", at, seq), cl, sv, s, m)
			}
			if at == StateConnected {
				exchange(t, cl, sv, l, "after a late HelloVerifyRequest")
			} else {
				completes(t, "late HelloVerifyRequest", cl, sv, l)
			}
		}
	})
}
