// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

func renegPair(t *testing.T, seed int64, ecdhe bool) (*peer, *peer, *link) {
	cl, sv, l := pair(t, seed, Config{}, Config{})
	useCredentials(cl, sv, ecdhe)
	if !ecdhe {
		cl.params = onlySuites(protocol.TLS_PSK_WITH_AES_128_CCM_8)
	}
	sv.echo = true
	handshakeOK(t, cl, sv, l, 5*time.Second)
	return cl, sv, l
}

// renegotiated holds once a and b have both finished one renegotiation of
// their association with each other.
func renegotiated(a, b *peer) func() bool {
	done := func(p, other *peer) bool {
		c := p.conn(other)
		return c != nil && c.Established() && !c.snapshot().Handshake.Running &&
			p.countEvent(protocol.LevelInternal, protocol.EventConnected) == 2
	}
	return func() bool { return done(a, b) && done(b, a) }
}

func checkRenegotiated(t *testing.T, cl, sv *peer) {
	t.Helper()
	for _, p := range []*peer{cl, sv} {
		if p.countEvent(protocol.LevelInternal, protocol.EventRenegotiate) != 1 {
			t.Errorf("%s: RENEGOTIATE events in %v, want one", p.name, p.events)
		}
		if p.countEvent(protocol.LevelInternal, protocol.EventConnected) != 2 {
			t.Errorf("%s: CONNECTED events in %v, want two", p.name, p.events)
		}
	}
	cr, cw := cl.conn(sv).Epoch()
	sr, sw := sv.conn(cl).Epoch()
	if cr != 2 || cw != 2 || sr != 2 || sw != 2 {
		t.Errorf("epochs after renegotiation: client %d/%d server %d/%d, want 2", cr, cw, sr, sw)
	}
}

func TestRenegotiation(t *testing.T) {
	for _, ecdhe := range []bool{false, true} {
		for _, initiator := range []string{"client", "server"} {
			t.Run(fmt.Sprintf("ecdhe=%v by %s", ecdhe, initiator), func(t *testing.T) {
				cl, sv, l := renegPair(t, 70, ecdhe)
				exchange(t, cl, sv, l, "before")
				p, other := cl, sv
				if initiator == "server" {
					p, other = sv, cl
				}
				if err := p.ep.Renegotiate(other.addr, l.now); err != nil {
					t.Fatal(err)
				}
				// Data keeps flowing while the new handshake runs: the
				// association stays CONNECTED in the old epoch.
				if cl.conn(sv).State() != StateConnected {
					t.Fatalf("client state %v during renegotiation", cl.conn(sv).State())
				}
				if n, err := cl.ep.Write(sv.addr, [][]byte{[]byte("during")}, l.now); n != 6 || err != nil {
					t.Fatalf("Write during renegotiation = %d, %v", n, err)
				}
				if !l.run(renegotiated(cl, sv), 10*time.Second) {
					t.Fatalf("renegotiation did not finish: client %v server %v\n%s%s", cl.events, sv.events, cl.logs.String(), sv.logs.String())
				}
				checkRenegotiated(t, cl, sv)
				if !contains(strs(sv.received), "during") {
					t.Errorf("data sent during renegotiation lost: %q", sv.received)
				}
				exchange(t, cl, sv, l, "after")
			})
		}
	}
}

func TestRenegotiationKeepsRecordsInFlight(t *testing.T) {
	cl, sv, l := renegPair(t, 71, false)
	sv.echo = false
	// Hold back two application records of the old epoch and deliver them
	// only after the new epoch is in use on both sides.
	var held [][]byte
	hold := true
	l.filter = func(from *peer, dg []byte) []byte {
		if hold && from == cl && (dg[0] == byte(protocol.ContentApplicationData) || dg[0] == byte(protocol.ContentTLS12CID)) {
			held = append(held, dg)
			return nil
		}
		return dg
	}
	cl.ep.Write(sv.addr, [][]byte{[]byte("old epoch 1")}, l.now)
	cl.ep.Write(sv.addr, [][]byte{[]byte("old epoch 2")}, l.now)
	hold = false
	if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	l.run(renegotiated(cl, sv), 10*time.Second)
	checkRenegotiated(t, cl, sv)
	cl.ep.Write(sv.addr, [][]byte{[]byte("new epoch")}, l.now)
	l.run(func() bool { return len(sv.received) == 1 }, time.Second)
	for _, dg := range held {
		if dg[3] != 0 || dg[4] != 1 {
			t.Fatalf("held record is not from epoch 1")
		}
		sv.ep.HandleDatagram(cl.addr, dg, l.now)
	}
	if len(held) != 2 {
		t.Fatalf("held %d records", len(held))
	}
	if got := strs(sv.received); fmt.Sprint(got) != "[new epoch old epoch 1 old epoch 2]" {
		t.Fatalf("server received %q", got)
	}
}

func TestRenegotiationUnderLoss(t *testing.T) {
	for seed := int64(80); seed < 90; seed++ {
		cl, sv, l := renegPair(t, seed, seed%2 == 0)
		l.loss, l.dup, l.reorder = 0.3, 0.1, 0.1
		p, other := cl, sv
		if seed%3 == 0 {
			p, other = sv, cl
		}
		if err := p.ep.Renegotiate(other.addr, l.now); err != nil {
			t.Fatal(err)
		}
		if !l.run(renegotiated(cl, sv), 300*time.Second) {
			t.Fatalf("seed %d: renegotiation did not finish under loss: client %v server %v", seed, cl.events, sv.events)
		}
		checkRenegotiated(t, cl, sv)
	}
}

func TestRenegotiationRefusedWithoutRFC5746(t *testing.T) {
	for _, legacy := range []string{"client", "server"} {
		t.Run("legacy "+legacy, func(t *testing.T) {
			// The legacy side is a scripted older stack that knows the
			// extended master secret but not RFC 5746, and renegotiates
			// anyway.
			l := newLink(t, 90)
			var cl, sv *peer
			if legacy == "client" {
				cl = newLegacyPeer(t, l, "client", true, true, false)
				sv = newPeer(t, l, "server", Config{}, 92)
			} else {
				cl = newPeer(t, l, "client", Config{}, 91)
				sv = newLegacyPeer(t, l, "server", false, true, false)
			}
			useCredentials(cl, sv, false)
			for _, p := range []*peer{cl, sv} {
				p.params = func(up *UserParameters) { up.ForceRenegotiationInfo = false }
			}
			sv.echo = true
			handshakeOK(t, cl, sv, l, 5*time.Second)
			lp, np := cl, sv
			if legacy == "server" {
				lp, np = sv, cl
			}
			// We never start an insecure renegotiation ourselves...
			if err := np.renegotiate(lp, l.now); err != ErrNoRenegotiate {
				t.Fatalf("Renegotiate towards a legacy peer = %v, want ErrNoRenegotiate", err)
			}
			// ...and decline the legacy peer's with a warning.
			if err := lp.renegotiate(np, l.now); err != nil {
				t.Fatal(err)
			}
			l.run(func() bool { return lp.hasEvent(protocol.LevelWarning, uint16(protocol.AlertNoRenegotiation)) }, 5*time.Second)
			if !lp.hasEvent(protocol.LevelWarning, uint16(protocol.AlertNoRenegotiation)) {
				t.Fatalf("legacy peer events %v: want a no_renegotiation warning", lp.events)
			}
			if np.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 {
				t.Fatalf("renegotiation happened anyway: %v", np.events)
			}
			// The association is still usable with its old keys.
			l.run(nil, time.Second)
			exchange(t, cl, sv, l, "still here")
		})
	}
}
