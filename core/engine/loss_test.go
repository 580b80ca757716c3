// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// lossyRun starts n clients against one server over a link that drops,
// duplicates, reorders and delays, waits for every handshake, then has each
// client deliver one message with application-level retries (DTLS does not
// retransmit data). It checks that every handshake completed, that every
// message arrived, and that no record was ever delivered twice although the
// link duplicates datagrams.
func lossyRun(t *testing.T, n int, seed int64, setup func(cl, sv *peer)) *link {
	return lossyRunWith(t, n, seed, Config{}, setup)
}

// lossyRunWith is lossyRun with the clients' configuration ccfg.
func lossyRunWith(t *testing.T, n int, seed int64, ccfg Config, setup func(cl, sv *peer)) *link {
	l := newLink(t, seed)
	l.loss, l.dup, l.reorder, l.jitter = 0.3, 0.1, 0.1, 5*time.Millisecond
	sv := newPeer(t, l, "server", Config{}, seed+1)
	clients := make([]*peer, n)
	for i := range clients {
		clients[i] = newPeer(t, l, fmt.Sprintf("client-%d", i), ccfg, seed+int64(10+i))
		setup(clients[i], sv)
	}
	for _, cl := range clients {
		if _, err := cl.ep.Connect(sv.addr, l.now); err != nil {
			t.Fatal(err)
		}
	}
	allConnected := func() bool {
		for _, cl := range clients {
			if !bothConnected(cl, sv)() {
				return false
			}
		}
		return true
	}
	if !l.run(allConnected, 400*time.Second) {
		done := 0
		for _, cl := range clients {
			if bothConnected(cl, sv)() {
				done++
			} else if len(cl.events) > 0 {
				t.Logf("%s events %v", cl.name, cl.events)
			}
		}
		t.Fatalf("%d of %d handshakes completed by %v", done, n, l.now)
	}
	for _, cl := range clients {
		if cl.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 {
			t.Fatalf("%s: CONNECTED events %v", cl.name, cl.events)
		}
	}
	if sv.ep.NumConns() != n {
		t.Fatalf("server has %d associations, want %d", sv.ep.NumConns(), n)
	}

	// Data: each client retries with a fresh payload until one arrives.
	got := map[string]int{}
	delivered := map[int]bool{}
	attempt := make([]int, n)
	lastTry := make([]time.Duration, n)
	seen := 0
	cond := func() bool {
		for ; seen < len(sv.received); seen++ {
			p := string(sv.received[seen])
			got[p]++
			var i, try int
			fmt.Sscanf(p, "data-%d-%d", &i, &try)
			delivered[i] = true
		}
		if len(delivered) == n {
			return true
		}
		for i, cl := range clients {
			if delivered[i] || attempt[i] > 0 && l.now-lastTry[i] < 300*time.Millisecond {
				continue
			}
			attempt[i]++
			lastTry[i] = l.now
			msg := fmt.Sprintf("data-%d-%d", i, attempt[i])
			if w, err := cl.ep.Write(sv.addr, [][]byte{[]byte(msg)}, l.now); err != nil || w != len(msg) {
				t.Fatalf("%s Write = %d, %v", cl.name, w, err)
			}
		}
		return false
	}
	// The retries are the application's timer: time advances at most to
	// the next retry, whatever the engines' own (later) timers say.
	ok := false
	for deadline := l.now + 120*time.Second; l.now < deadline; {
		if ok = cond(); ok {
			break
		}
		if at, pending := l.next(); !pending || at > l.now+100*time.Millisecond || !l.step() {
			l.now += 100 * time.Millisecond
		}
	}
	if !ok {
		t.Fatalf("only %d of %d clients got data through", len(delivered), n)
	}
	for p, c := range got {
		if c != 1 {
			t.Fatalf("record %q delivered %d times", p, c)
		}
	}
	return l
}

func TestThousandPSKHandshakesAt30PercentLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	l := lossyRun(t, 1000, 100, func(cl, sv *peer) {
		useCredentials(cl, sv, false)
		cl.params = onlySuites(protocol.TLS_PSK_WITH_AES_128_CCM_8)
	})
	t.Logf("simulated %v, %d datagrams delivered, %d dropped", l.now, l.delivers, l.dropped)
}

func TestTwoHundredECDHEHandshakesAt30PercentLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	l := lossyRun(t, 200, 200, func(cl, sv *peer) { useCredentials(cl, sv, true) })
	t.Logf("simulated %v, %d datagrams delivered, %d dropped", l.now, l.delivers, l.dropped)
}

func TestThousandDTLS13PSKHandshakesAt30PercentLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	l := lossyRunWith(t, 1000, 300, Config{MaxVersion: protocol.VersionDTLS13}, func(cl, sv *peer) {
		useCredentials(cl, sv, false)
	})
	t.Logf("simulated %v, %d datagrams delivered, %d dropped", l.now, l.delivers, l.dropped)
	checkVersion(t, l, protocol.VersionDTLS13)
}

func TestTwoHundredDTLS13ECDHEHandshakesAt30PercentLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	l := lossyRunWith(t, 200, 400, Config{MaxVersion: protocol.VersionDTLS13}, func(cl, sv *peer) {
		useCredentials(cl, sv, true)
	})
	t.Logf("simulated %v, %d datagrams delivered, %d dropped", l.now, l.delivers, l.dropped)
	checkVersion(t, l, protocol.VersionDTLS13)
}

// checkVersion fails the test unless every association on the link has
// version v.
func checkVersion(t *testing.T, l *link, v uint16) {
	t.Helper()
	for _, p := range l.list {
		p.ep.Conns(func(c *Conn) {
			if c.Version() != v {
				t.Fatalf("%s: an association of version %#04x", p.name, c.Version())
			}
		})
	}
}

func TestTinyMTUFragmentsECDHEFlights(t *testing.T) {
	const mtu = 160 // small enough that the ServerKeyExchange cannot travel whole
	for _, loss := range []float64{0, 0.3} {
		t.Run(fmt.Sprintf("loss %.0f%%", loss*100), func(t *testing.T) {
			cl, sv, l := pair(t, 40, Config{MTU: mtu}, Config{MTU: mtu})
			useCredentials(cl, sv, true)
			sv.echo = true
			l.loss, l.dup, l.reorder = loss, loss/3, loss/3
			split := 0
			l.tap = func(from *peer, dg []byte) {
				if len(dg) > mtu {
					t.Errorf("%s sent a %d-byte datagram over an MTU of %d", from.name, len(dg), mtu)
				}
				// Count epoch-0 handshake fragments shorter than their message.
				for _, p := range fragments(dg) {
					if length := int(dg[p+1])<<16 | int(dg[p+2])<<8 | int(dg[p+3]); fragmentLength(dg[p:]) < length {
						split++
					}
				}
			}
			handshakeOK(t, cl, sv, l, 300*time.Second)
			if split == 0 {
				t.Fatalf("no handshake message was fragmented at MTU %d", mtu)
			}
			if max := cl.conn(sv).MaxWrite(); max != mtu-13-8-8-len(cl.conn(sv).WriteCID())-1 {
				t.Errorf("MaxWrite = %d at MTU %d", max, mtu)
			}
			l.loss, l.dup, l.reorder = 0, 0, 0
			exchange(t, cl, sv, l, "through a small MTU")
		})
	}
}

func TestSilentPeerTimesOutOnSchedule(t *testing.T) {
	l := newLink(t, 50)
	cl := newPeer(t, l, "client", Config{}, 51)
	cl.usePSK("Client_identity", "secretPSK")
	type send struct {
		at time.Duration
		n  int
	}
	var sends []send
	l.tap = func(from *peer, dg []byte) {
		if k := len(sends); k > 0 && sends[k-1].at == l.now {
			sends[k-1].n++
		} else {
			sends = append(sends, send{l.now, 1})
		}
	}
	cl.ep.Connect([]byte("nobody"), l.now)
	l.run(func() bool { return cl.ep.NumConns() == 0 }, 400*time.Second)
	want := []send{{0, 1}, {1 * time.Second, 2}, {3 * time.Second, 3}, {7 * time.Second, 3}, {15 * time.Second, 3},
		{31 * time.Second, 3}, {63 * time.Second, 3}, {123 * time.Second, 3}}
	if fmt.Sprint(sends) != fmt.Sprint(want) {
		t.Fatalf("transmissions %v\nwant          %v", sends, want)
	}
	if cl.ep.NumConns() != 0 || l.now != 183*time.Second {
		t.Fatalf("association removed at %v (want 183s), %d left", l.now, cl.ep.NumConns())
	}
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertHandshakeFailure)) {
		t.Fatalf("events %v: want the fatal handshake_failure timeout event", cl.events)
	}
}

func TestNextDeadlineIsExact(t *testing.T) {
	l := newLink(t, 60)
	cl := newPeer(t, l, "client", Config{InitialTimeout: 250 * time.Millisecond}, 61)
	cl.usePSK("id", "key")
	cl.ep.Connect([]byte("nobody"), 5*time.Millisecond)
	next, ok := cl.ep.CheckRetransmit(6 * time.Millisecond)
	if !ok || next != 255*time.Millisecond {
		t.Fatalf("next = %v, %v; want 255ms", next, ok)
	}
	// Nothing happens before the deadline, and the deadline does not move.
	sent := cl.sentDgs
	if next, _ = cl.ep.CheckRetransmit(254 * time.Millisecond); next != 255*time.Millisecond || cl.sentDgs != sent {
		t.Fatalf("early call changed state: next %v, sent %d", next, cl.sentDgs-sent)
	}
	next, _ = cl.ep.CheckRetransmit(255 * time.Millisecond)
	if cl.sentDgs == sent || next != 755*time.Millisecond {
		t.Fatalf("at the deadline: sent %d, next %v (want 755ms)", cl.sentDgs-sent, next)
	}
}
