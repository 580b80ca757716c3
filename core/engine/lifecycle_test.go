// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

func TestCloseTimesOutWhenPeerIsSilent(t *testing.T) {
	cl, sv, l := pskPair(t, 100, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	l.loss = 1 // the close_notify and any answer vanish
	start := l.now
	cl.ep.Close(sv.addr, l.now)
	l.run(func() bool { return cl.ep.NumConns() == 0 }, 10*time.Second)
	if cl.ep.NumConns() != 0 {
		t.Fatalf("closing association never removed")
	}
	if d := l.now - start; d != 2*time.Second {
		t.Errorf("removed after %v, want the 2s close timeout", d)
	}
	if !cl.hasEvent(protocol.LevelWarning, uint16(protocol.AlertCloseNotify)) {
		t.Errorf("events %v: want close_notify", cl.events)
	}
	// While closing, nothing more is sent.
	if n, _ := cl.ep.Write(sv.addr, [][]byte{[]byte("x")}, l.now); n != 0 {
		t.Errorf("Write after close = %d", n)
	}
}

func TestResetSendsCloseNotifyAndRemoves(t *testing.T) {
	cl, sv, l := pskPair(t, 101, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	c := sv.conn(cl)
	sent := sv.sentDgs
	sv.ep.Reset(c)
	if sv.ep.NumConns() != 0 || !c.Removed() || sv.sentDgs != sent+1 {
		t.Fatalf("Reset: %d associations, removed %v, %d datagrams sent", sv.ep.NumConns(), c.Removed(), sv.sentDgs-sent)
	}
	sv.ep.Reset(c) // a second reset of the same association is harmless
	if sv.ep.NumConns() != 0 || sv.sentDgs != sent+1 {
		t.Fatalf("second Reset: %d associations, %d datagrams sent", sv.ep.NumConns(), sv.sentDgs-sent)
	}
	l.run(func() bool { return cl.ep.NumConns() == 0 }, time.Second)
	if cl.ep.NumConns() != 0 || !cl.hasEvent(protocol.LevelWarning, uint16(protocol.AlertCloseNotify)) {
		t.Fatalf("client did not see the close_notify: %v", cl.events)
	}
}

func TestFreeClosesEveryAssociation(t *testing.T) {
	l := newLink(t, 102)
	sv := newPeer(t, l, "server", Config{}, 103)
	sv.usePSK("Client_identity", "secretPSK")
	var clients []*peer
	for i := 0; i < 5; i++ {
		cl := newPeer(t, l, string(rune('a'+i)), Config{}, int64(104+i))
		cl.usePSK("Client_identity", "secretPSK")
		clients = append(clients, cl)
		handshakeOK(t, cl, sv, l, 5*time.Second)
	}
	sv.ep.Free()
	if sv.ep.NumConns() != 0 {
		t.Fatalf("%d associations after Free", sv.ep.NumConns())
	}
	if _, err := sv.ep.Connect([]byte("x"), l.now); err != ErrClosed {
		t.Fatalf("Connect after Free = %v", err)
	}
	l.run(nil, time.Second)
	for _, cl := range clients {
		if cl.ep.NumConns() != 0 || !cl.hasEvent(protocol.LevelWarning, uint16(protocol.AlertCloseNotify)) {
			t.Fatalf("%s did not get close_notify: %v", cl.name, cl.events)
		}
	}
}

func TestConnectOnEstablishedSessionReturnsZero(t *testing.T) {
	cl, sv, l := pskPair(t, 105, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	c := cl.conn(sv)
	sent := cl.sentDgs
	if n, err := cl.ep.Connect(sv.addr, l.now); n != 0 || err != nil || cl.sentDgs != sent || cl.conn(sv) != c {
		t.Fatalf("Connect on an established session = %d, %v (sent %d)", n, err, cl.sentDgs-sent)
	}
}

// Reconnect (upstream's dtls_connect_peer) drops the established
// association silently and starts a new handshake that completes.
func TestReconnectReplacesWithoutCloseNotify(t *testing.T) {
	cl, sv, l := pskPair(t, 109, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	old := cl.conn(sv)
	var alerts int
	l.tap = func(from *peer, dg []byte) {
		if from == cl && dg[0] == byte(protocol.ContentAlert) {
			alerts++
		}
	}
	sent := cl.sentDgs
	n, err := cl.ep.Reconnect(sv.addr, l.now)
	if err != nil || n <= 0 || cl.sentDgs != sent+1 {
		t.Fatalf("Reconnect = %d, %v (%d datagrams)", n, err, cl.sentDgs-sent)
	}
	if !old.Removed() || cl.conn(sv) == old || cl.conn(sv).State() != StateClientHello {
		t.Fatalf("old association kept, or the new one is not shaking hands")
	}
	if !l.run(bothConnected(cl, sv), 5*time.Second) {
		t.Fatalf("handshake after Reconnect did not complete: %v", cl.events)
	}
	if alerts != 0 {
		t.Errorf("client sent %d alert records; Reconnect must not send close_notify", alerts)
	}
	sv.echo = true
	exchange(t, cl, sv, l, "after reconnect")
}

func TestSettersRefuseOutOfRangeValues(t *testing.T) {
	ep := New(Config{}, &peer{t: t})
	for _, bad := range []struct {
		name string
		err  error
	}{
		{"MTU 127", ep.SetMTU(MinMTU - 1)},
		{"MTU 65508", ep.SetMTU(MaxMTU + 1)},
		{"timeout 0", ep.SetInitialTimeout(0)},
		{"timeout 61s", ep.SetInitialTimeout(MaxInitialTimeout + time.Second)},
		{"record size limit 63", ep.SetRecordSizeLimit(MinRecordSizeLimit - 1)},
		{"record size limit 16385", ep.SetRecordSizeLimit(protocol.MaxPlaintext + 1)},
		{"CID length -1", ep.SetCIDLength(-1)},
		{"CID length 17", ep.SetCIDLength(protocol.MaxCIDLen + 1)},
	} {
		if bad.err == nil {
			t.Errorf("%s accepted", bad.name)
		}
	}
	if c := ep.Config(); c.MTU != 1400 || c.InitialTimeout != time.Second || c.RecordSizeLimit != 0 || c.CIDLength != 6 {
		t.Fatalf("a refused value changed the configuration: %+v", c)
	}
	for _, err := range []error{ep.SetMTU(MinMTU), ep.SetInitialTimeout(2 * time.Minute / 4),
		ep.SetRecordSizeLimit(MinRecordSizeLimit), ep.SetCIDLength(0)} {
		if err != nil {
			t.Fatalf("valid value refused: %v", err)
		}
	}
	if c := ep.Config(); c.MTU != MinMTU || c.InitialTimeout != 30*time.Second || c.RecordSizeLimit != MinRecordSizeLimit || c.CIDLength != 0 {
		t.Fatalf("settings not applied: %+v", c)
	}
	if err := ep.SetRecordSizeLimit(0); err != nil || ep.Config().RecordSizeLimit != 0 {
		t.Fatalf("SetRecordSizeLimit(0) = %v, limit %d", err, ep.Config().RecordSizeLimit)
	}
}

// RFC 6347 §4.2.8: a client that lost its state connects again from the
// same address. The old association must survive a ClientHello that has not
// proven the address (no cookie), and be replaced once the cookie shows it.
func TestClientRestartReplacesAssociationAfterCookie(t *testing.T) {
	skipIfCompacting(t)
	cl, sv, l := pskPair(t, 106, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	old := sv.conn(cl)

	// A new endpoint at the client's address takes its place on the link.
	restarted := newPeer(t, l, string(cl.addr), Config{}, 1060)
	restarted.usePSK("Client_identity", "secretPSK")

	restarted.ep.Connect(sv.addr, l.now)
	l.step() // the cookie-less ClientHello reaches the server
	if sv.conn(cl) != old || !old.Established() {
		t.Fatalf("association replaced before the client proved its address")
	}
	if !l.run(bothConnected(restarted, sv), 5*time.Second) {
		t.Fatalf("restarted client did not connect: %v", restarted.events)
	}
	if sv.conn(cl) == old || !old.Removed() || sv.ep.NumConns() != 1 {
		t.Fatalf("old association not replaced (%d associations)", sv.ep.NumConns())
	}
	sv.echo = true
	exchange(t, restarted, sv, l, "after restart")
}

func TestRetransmittedClientHelloDoesNotReplaceAssociation(t *testing.T) {
	cl, sv, l := pskPair(t, 107, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	var ch2 []byte
	n := 0
	l.tap = func(from *peer, dg []byte) {
		if from == cl && dg[0] == byte(protocol.ContentHandshake) && dg[13] == byte(protocol.HandshakeClientHello) {
			n++
			if n == 2 {
				ch2 = append([]byte(nil), dg...)
			}
		}
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	old := sv.conn(cl)
	// The same ClientHello arriving late, as is and as a retransmission
	// with a new record sequence number.
	sv.ep.HandleDatagram(cl.addr, append([]byte(nil), ch2...), l.now)
	again := append([]byte(nil), ch2...)
	again[10] += 5
	sv.ep.HandleDatagram(cl.addr, again, l.now)
	if sv.conn(cl) != old || !old.Established() {
		t.Fatalf("a copy of the finished handshake's ClientHello replaced the association")
	}
}

func TestPSKKeysUpTo64Bytes(t *testing.T) {
	for _, n := range []int{1, 16, 17, 32, 64} {
		key := bytes.Repeat([]byte{0x5a}, n)
		cl, sv, l := pair(t, int64(110+n), Config{}, Config{})
		cl.usePSK("long", string(key))
		sv.usePSK("long", string(key))
		handshakeOK(t, cl, sv, l, 5*time.Second)
	}
	// A 65-byte key does not fit the buffer the engine offers.
	cl, sv, l := pair(t, 200, Config{}, Config{})
	cl.usePSK("long", string(bytes.Repeat([]byte{1}, 65)))
	sv.usePSK("long", string(bytes.Repeat([]byte{1}, 65)))
	cl.ep.Connect(sv.addr, l.now)
	l.run(func() bool { return cl.ep.NumConns() == 0 }, 5*time.Second)
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertInternalError)) {
		t.Fatalf("65-byte key: events %v", cl.events)
	}
}

func TestHelloRequestIgnoredDuringHandshake(t *testing.T) {
	cl, sv, l := pskPair(t, 120, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	cl.ep.Connect(sv.addr, l.now)
	l.step() // CH1 -> server
	l.step() // HVR -> client
	// A HelloRequest in epoch 0 while the client waits for ServerHello.
	hr := []byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 12, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}
	cl.ep.HandleDatagram(sv.addr, hr, l.now)
	if !l.run(bothConnected(cl, sv), 5*time.Second) {
		t.Fatalf("handshake disturbed by a HelloRequest: %v", cl.events)
	}
}

// Only MaxActiveCiphers associations keep expanded ciphers; the others
// rebuild theirs when they become active again, transparently.
func TestCipherCacheBound(t *testing.T) {
	sv, clients, l := pskStar(t, 600, Config{MaxActiveCiphers: 2}, 5)
	expanded := func() int {
		n := 0
		sv.ep.Conns(func(c *Conn) {
			if c.snapshot().Expanded {
				n++
			}
		})
		return n
	}
	for round := 0; round < 3; round++ {
		for _, cl := range clients {
			exchange(t, cl, sv, l, "round")
			if n := expanded(); n > 2 {
				t.Fatalf("%d associations hold expanded ciphers, limit 2", n)
			}
		}
	}
}
