// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// Regression tests for what a review of the DTLS 1.3 engine found, one per
// finding, beside regression13_test.go's classes.

// Plaintext handshake messages once the handshake keys are installed: the
// peer's messages after its ServerHello (or our second ClientHello) come in
// epoch 2, so an epoch-0 message that is not a copy of one already taken is
// someone else's. It is dropped: it neither ends the handshake nor blocks
// the genuine message's message_seq in the reassembler.
func TestReview13_PlaintextHandshakeAfterKeys(t *testing.T) {
	for _, partial := range []bool{false, true} {
		for _, atClient := range []bool{true, false} {
			cl, sv, l := pair13(t, 201, false)
			victim, other := cl, sv
			if !atClient {
				victim, other = sv, cl
			}
			// The other side's protected records are held back until the
			// victim reads epoch 2.
			l.filter = func(from *peer, dg []byte) []byte {
				if from == other && len(dg) > 0 && dg[0]&0xe0 == 0x20 {
					return nil
				}
				if from == other && findMessage(dg, protocol.HandshakeServerHello) >= 0 {
					return records13(t, dg, 0)[0]
				}
				return dg
			}
			cl.ep.Connect(sv.addr, l.now)
			l.run(func() bool {
				c := victim.conn(other)
				return c != nil && c.snapshot().ReadEpoch == epochHandshake
			}, 5*time.Second)
			c := victim.conn(other)
			if c == nil || c.snapshot().ReadEpoch != epochHandshake {
				t.Fatal("the victim does not read epoch 2")
			}
			next := c.snapshot().Handshake.NextRecvSeq
			typ := protocol.HandshakeEncryptedExtensions
			if !atClient {
				typ = protocol.HandshakeFinished
			}
			msg := hsMsg(typ, next, make([]byte, 32))
			if partial {
				msg = hsFrag(typ, 32, next, 0, 8, make([]byte, 8))
			}
			deliver(t, victim, other.addr, plainRecord(protocol.ContentHandshake, protocol.VersionDTLS12, 0, 40, msg), l.now)
			if victim.conn(other) == nil {
				t.Fatalf("client %v, fragment %v: a plaintext message ended the handshake: %v", atClient, partial, victim.events)
			}
			l.filter = nil
			handshakeOK(t, cl, sv, l, 30*time.Second)
		}
	}
}

// The read keys of the epoch a peer's KeyUpdate ended are kept only for
// records still on the way (Config.FinalFlightHold, as after a 1.2
// renegotiation), not until the next KeyUpdate: a record of the old epoch
// that arrives later is dropped, and the keys are gone.
func TestReview13_OldReadEpochDroppedAfterKeyUpdate(t *testing.T) {
	cl, sv, l := established13(t, 202, false)
	// Past the hold of the handshake's own epoch 2.
	l.run(nil, sv.ep.Config().FinalFlightHold+time.Second)
	late := forge(t, cl.conn(sv), epochApplication, protocol.ContentApplicationData, []byte("late"))
	if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	l.drain()
	if r, w := sv.conn(cl).Epoch(); r != 4 || w != 4 || !sv.conn(cl).rl.In.PreviousProtected() {
		t.Fatalf("server epochs %d/%d after the update, previous kept %v", r, w, sv.conn(cl).rl.In.PreviousProtected())
	}
	l.run(nil, sv.ep.Config().FinalFlightHold+time.Second)
	if sv.conn(cl).rl.In.PreviousProtected() {
		t.Fatal("the server still keeps the read keys of epoch 3")
	}
	m := mark(sv)
	deliver(t, sv, cl.addr, late, l.now)
	if len(sv.received) != m.recv {
		t.Fatalf("a record of the old epoch delivered %q long after the update", sv.received[m.recv:])
	}
	exchange(t, cl, sv, l, "epoch 4")
}

// The AEAD limit (RFC 9147 §4.5.3) is a bound, not a hint: a client whose
// KeyUpdate is never acknowledged keeps its old write keys, and once they
// protected as many records as the limit allows, data is refused rather
// than sent under them.
func TestReview13_AEADLimitHolds(t *testing.T) {
	cl, sv, l := established13(t, 203, false)
	l.filter = func(from *peer, dg []byte) []byte {
		if from == sv {
			return nil
		}
		return dg
	}
	c := cl.conn(sv)
	c.rl.Out.SetSeq(keyUpdateAfter)
	if _, err := cl.write(sv, []byte("starts the update"), l.now); err != nil {
		t.Fatal(err)
	}
	if !c.snapshot().Flight {
		t.Fatal("no KeyUpdate in flight")
	}
	c.rl.Out.SetSeq(aeadLimit13)
	sent := cl.sentDgs
	if n, err := cl.write(sv, []byte("one record too many"), l.now); err == nil || cl.sentDgs != sent {
		t.Fatalf("a write past the AEAD limit: %d, %v, %d datagrams", n, err, cl.sentDgs-sent)
	}
}

// Records of the epoch after the current one, at an established
// association: anyone who knows the peer's address (or CID) can send
// them, as nothing authenticates them before the keys exist. Holding them
// for a KeyUpdate that may never come kept up to 16 of them (64 KB) in
// every idle association until the next KeyUpdate; 1.2 holds records only
// during a handshake. They are dropped, as a record lost on the way would
// be, and the peer's next KeyUpdate, which overtaken records could wait
// for, is retransmitted until acknowledged anyway.
func TestReview13_NoRecordsHeldForAKeyUpdate(t *testing.T) {
	cl, sv, l := established13(t, 204, false)
	c := sv.conn(cl)
	cid := c.ReadCID()
	for i := 0; i < 40; i++ {
		// Epoch 4's bits (0), C bit if a CID is in use, 16-bit sequence
		// number and length: 1,000 bytes of garbage.
		first := byte(0x2c)
		if len(cid) > 0 {
			first |= 0x10
		}
		dg := append(append([]byte{first}, cid...), byte(i>>8), byte(i), 1000>>8, 1000&0xff)
		dg = append(dg, make([]byte, 1000)...)
		deliver(t, sv, cl.addr, dg, l.now)
	}
	if s := c.snapshot(); s.Held != 0 {
		t.Fatalf("an established association holds %d records of an epoch nobody started", s.Held)
	}
	// A KeyUpdate still works, and so does the data after it.
	if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	l.drain()
	exchange(t, cl, sv, l, "after the update")
}

// The AEAD's integrity limit (RFC 9147 §4.5.3): records of the read epoch
// that fail to authenticate are counted; past half the limit the peer is
// asked for new keys (which start the count again), at the limit the
// association ends instead of letting a forgery come ever closer.
func TestReview13_ForgeryLimit(t *testing.T) {
	skipIfCompacting(t)
	cl, sv, l := established13(t, 205, false)
	c := sv.conn(cl)
	bad := forge(t, cl.conn(sv), epochApplication, protocol.ContentApplicationData, []byte("forged"))
	bad[len(bad)-1] ^= 1
	c.base13().forgeries = forgeryLimit13/2 - 1
	deliver(t, sv, cl.addr, bad, l.now)
	l.drain()
	if r, w := c.Epoch(); r != 4 || w != 4 || c.base13().forgeries != 0 {
		t.Fatalf("after half the limit: server epochs %d/%d, count %d", r, w, c.base13().forgeries)
	}
	exchange(t, cl, sv, l, "with new keys")
	bad = forge(t, cl.conn(sv), 4, protocol.ContentApplicationData, []byte("forged"))
	bad[len(bad)-1] ^= 1
	c.base13().forgeries = forgeryLimit13 - 1
	deliver(t, sv, cl.addr, bad, l.now)
	if sv.conn(cl) != nil || !fatalOn(sv, protocol.AlertBadRecordMAC) {
		t.Fatalf("at the limit: server events %v", sv.events)
	}
}
