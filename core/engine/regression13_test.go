// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record13"
)

// Regression tests for the classes of bugs that hurt DTLS 1.3 stacks, one
// test per class, as regression_test.go has them for 1.2.

// established13 runs a PSK (or raw public key) 1.3 handshake to the end.
func established13(t *testing.T, seed int64, ecdhe bool) (*peer, *peer, *link) {
	cl, sv, l := pair13(t, seed, ecdhe)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	l.drain()
	return cl, sv, l
}

// fatalOn reports whether p sent or received a fatal alert a.
func fatalOn(p *peer, a protocol.AlertDescription) bool {
	return p.hasEvent(protocol.LevelFatal, uint16(a))
}

// rewriteHello applies f to the body of the ClientHello with message_seq
// seq that cl sends (f keeps the length), for the rest of the test.
func rewriteHello(l *link, cl *peer, seq uint16, f func(body []byte)) *bool {
	done := new(bool)
	l.filter = func(from *peer, dg []byte) []byte {
		if from != cl {
			return dg
		}
		if i := findMessage(dg, protocol.HandshakeClientHello); i >= 0 && uint16(dg[i+4])<<8|uint16(dg[i+5]) == seq {
			f(dg[i+12 : i+12+fragmentLength(dg[i:])])
			*done = true
		}
		return dg
	}
	return done
}

// HelloRetryRequest twice: a client that got one answers a second one
// with unexpected_message (RFC 8446 §4.1.4) instead of starting over.
func TestRegression13_HelloRetryRequestTwice(t *testing.T) {
	cl, sv, l := pair13(t, 101, false)
	var hrr []byte
	l.tap = func(from *peer, dg []byte) {
		if i := findMessage(dg, protocol.HandshakeServerHello); from == sv && i >= 0 && hrr == nil {
			hrr = append([]byte(nil), dg[i:i+12+fragmentLength(dg[i:])]...)
		}
	}
	// Hold the server's answer to the second ClientHello back.
	l.filter = func(from *peer, dg []byte) []byte {
		if from == sv && hrr != nil && findMessage(dg, protocol.HandshakeServerHello) >= 0 && !bytes.Equal(dg[13:13+len(hrr)], hrr) {
			return nil
		}
		return dg
	}
	cl.ep.Connect(sv.addr, l.now)
	l.drain()
	if hrr == nil || !cl.conn(sv).snapshot().Flight {
		t.Fatal("no HelloRetryRequest, or the client is not waiting")
	}
	// The same HelloRetryRequest as the next message, message_seq 1.
	second := append([]byte(nil), hrr...)
	second[5] = 1
	deliver(t, cl, sv.addr, plainRecord(protocol.ContentHandshake, protocol.VersionDTLS12, 0, 77, second), l.now)
	if cl.conn(sv) != nil || !fatalOn(cl, protocol.AlertUnexpectedMessage) {
		t.Fatalf("client events %v after a second HelloRetryRequest", cl.events)
	}
	// A retransmission of the first (message_seq 0) is not a second one.
	cl2, sv2, l2 := pair13(t, 102, false)
	copying := false
	l2.tap = func(from *peer, dg []byte) {
		if from == sv2 && !copying && findMessage(dg, protocol.HandshakeServerHello) >= 0 {
			copying = true
			l2.send(sv2, cl2.addr, dg) // every server hello twice
			copying = false
		}
	}
	handshakeOK(t, cl2, sv2, l2, 5*time.Second)
}

// ClientHello changes between the HelloRetryRequest and the retry: the
// second ClientHello must repeat the first but for the cookie, key share,
// early_data and binders (RFC 8446 §4.1.2); a server that keeps no state
// checks it through its cookie and refuses with illegal_parameter.
func TestRegression13_ClientHelloChangesAfterRetry(t *testing.T) {
	for name, change := range map[string]func(body []byte){
		"suites swapped": func(b []byte) {
			// client_version, random, session id (empty), cookie (empty),
			// then the suites.
			p := 2 + 32 + 1 + 1 + 2
			b[p], b[p+1], b[p+2], b[p+3] = b[p+2], b[p+3], b[p], b[p+1]
		},
		"random": func(b []byte) { b[5] ^= 1 },
	} {
		cl, sv, l := pair13(t, 103, false)
		done := rewriteHello(l, cl, 1, change)
		cl.ep.Connect(sv.addr, l.now)
		l.run(nil, 5*time.Second)
		if !*done || cl.established(sv) || sv.ep.NumConns() != 0 || !fatalOn(cl, protocol.AlertIllegalParameter) {
			t.Fatalf("%s: rewritten %v, client events %v, server associations %d", name, *done, cl.events, sv.ep.NumConns())
		}
	}
	// A forged cookie is refused the same way.
	cl, sv, l := pair13(t, 104, false)
	done := rewriteHello(l, cl, 1, func(b []byte) {
		ch, _ := handshake13.ParseClientHello(b)
		if c, ok := handshake13.Find(ch.Extensions, protocol.ExtCookie); ok {
			c[len(c)-1] ^= 1
		}
	})
	cl.ep.Connect(sv.addr, l.now)
	l.run(nil, 5*time.Second)
	if !*done || cl.established(sv) || !fatalOn(cl, protocol.AlertIllegalParameter) {
		t.Fatalf("forged cookie: client events %v", cl.events)
	}
}

// Binder mismatch: peers with different PSKs under one identity. The
// server finds the identity, the binder does not verify: decrypt_error
// (RFC 8446 §4.2.11, §6.2), before any key is derived.
func TestRegression13_BinderMismatch(t *testing.T) {
	cl, sv, l := pair13(t, 105, false)
	sv.psk["Client_identity"] = []byte("another key")
	cl.ep.Connect(sv.addr, l.now)
	l.run(nil, 5*time.Second)
	if cl.established(sv) || sv.ep.NumConns() != 0 || !fatalOn(sv, protocol.AlertDecryptError) || !fatalOn(cl, protocol.AlertDecryptError) {
		t.Fatalf("client events %v, server events %v", cl.events, sv.events)
	}
	// A binder altered on the way fails the same.
	cl, sv, l = pair13(t, 106, false)
	rewriteHello(l, cl, 1, func(b []byte) { b[len(b)-1] ^= 1 })
	cl.ep.Connect(sv.addr, l.now)
	l.run(nil, 5*time.Second)
	if cl.established(sv) || !fatalOn(cl, protocol.AlertDecryptError) && !fatalOn(cl, protocol.AlertIllegalParameter) {
		t.Fatalf("altered binder: client events %v", cl.events)
	}
}

// Early data where none was offered: EncryptedExtensions with early_data
// (we never offer it) is unsupported_extension at the client (RFC 8446
// §4.2); records of epoch 1 (0-RTT) are dropped by a server that never
// accepts early data, and a ClientHello offering it gets a normal retry.
func TestRegression13_EarlyDataNotOffered(t *testing.T) {
	cl, sv, l := pair13(t, 107, false)
	// The server's protected flight never arrives; a forged one does.
	l.filter = func(from *peer, dg []byte) []byte {
		if from == sv && len(dg) > 0 && dg[0]&0xe3 == 0x22 {
			return nil
		}
		if from == sv && findMessage(dg, protocol.HandshakeServerHello) >= 0 {
			// Keep the ServerHello, drop the records after it.
			return records13(t, dg, 0)[0]
		}
		return dg
	}
	cl.ep.Connect(sv.addr, l.now)
	l.run(func() bool {
		c := cl.conn(sv)
		return c != nil && c.snapshot().ReadEpoch == epochHandshake
	}, 5*time.Second)
	c := cl.conn(sv)
	if c == nil || c.snapshot().ReadEpoch != epochHandshake {
		t.Fatal("the client did not get the ServerHello")
	}
	ee := handshake13.AppendExtensions(nil, []handshake13.Extension{{Type: protocol.ExtEarlyData}})
	next := c.snapshot().Handshake.NextRecvSeq
	deliver(t, cl, sv.addr, forge(t, sv.conn(cl), epochHandshake, protocol.ContentHandshake,
		hsMsg(protocol.HandshakeEncryptedExtensions, next, ee)), l.now)
	if cl.conn(sv) != nil || !fatalOn(cl, protocol.AlertUnsupportedExtension) {
		t.Fatalf("client events %v after early_data in EncryptedExtensions", cl.events)
	}

	// Epoch 1 at an established server: dropped, nothing changes.
	cl, sv, l = established13(t, 108, false)
	before, m := snap(sv.conn(cl)), mark(sv)
	dg := append([]byte{0x2d, 0, 0, 0, 32}, bytes.Repeat([]byte{0xaa}, 32)...) // epoch bits 1, 16-bit seq, length
	deliver(t, sv, cl.addr, dg, l.now)
	expectDropped(t, "an epoch-1 record", sv, cl, before, m)
	exchange(t, cl, sv, l, "still fine")

	// A ClientHello with early_data gets the retry all the same.
	cl, sv, l = pair13(t, 109, false)
	var first []byte
	l.tap = func(from *peer, dg []byte) {
		if from == cl && first == nil {
			first = append([]byte(nil), dg...)
		}
	}
	cl.ep.Connect(sv.addr, l.now)
	l.tap = nil
	l.queue = nil
	i := findMessage(first, protocol.HandshakeClientHello)
	ch, _ := handshake13.ParseClientHello(first[i+12:])
	// early_data before pre_shared_key, which stays last.
	n := len(ch.Extensions)
	exts := append(append(append([]handshake13.Extension(nil), ch.Extensions[:n-1]...), handshake13.Extension{Type: protocol.ExtEarlyData}), ch.Extensions[n-1])
	body := append(helloPrefix(first[i+12:], &ch), handshake13.AppendExtensions(nil, exts)...)
	var answer []byte
	l.tap = func(from *peer, dg []byte) {
		if from == sv {
			answer = append([]byte(nil), dg...)
		}
	}
	deliver(t, sv, cl.addr, plainRecord(protocol.ContentHandshake, protocol.VersionDTLS12, 0, 5, hsMsg(protocol.HandshakeClientHello, 0, body)), l.now)
	j := findMessage(answer, protocol.HandshakeServerHello)
	if j < 0 {
		t.Fatalf("answer to a ClientHello with early_data: % x", answer)
	}
	if sh, ok := handshake13.ParseServerHello(answer[j+12:]); !ok || !sh.IsHelloRetryRequest() {
		t.Fatal("no HelloRetryRequest")
	}
}

// helloPrefix is a ClientHello body up to its extensions block.
func helloPrefix(body []byte, ch *handshake13.ClientHello) []byte {
	n := 2 + 32 + 1 + len(ch.SessionID) + 1 + len(ch.Cookie) + 2 + 2*len(ch.CipherSuites) + 1 + len(ch.Compression)
	return append([]byte(nil), body[:n]...)
}

// ACKs for records we never sent are ignored: they neither release a flight
// waiting for its ACK nor disturb anything else.
func TestRegression13_ACKsForUnsentRecords(t *testing.T) {
	cl, sv, l := pair13(t, 110, false)
	// The server's ACK of the client's last flight is lost.
	l.filter = func(from *peer, dg []byte) []byte {
		if from == sv && dg[0]&0xe3 == 0x23 {
			return nil
		}
		return dg
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	c := cl.conn(sv)
	if !c.snapshot().Flight {
		t.Fatal("the client's last flight is not waiting for its ACK")
	}
	bogus := []record13.RecordNumber{{Epoch: 2, Seq: 999}, {Epoch: 3, Seq: 0}, {Epoch: 7, Seq: 1}, {Epoch: 0, Seq: 0}}
	deliver(t, cl, sv.addr, forge(t, sv.conn(cl), epochApplication, protocol.ContentACK, record13.AppendACK(nil, bogus)), l.now)
	if !c.snapshot().Flight || c.Removed() {
		t.Fatal("an ACK of records never sent released the flight")
	}
	// Unprotected and malformed ACKs are dropped.
	deliver(t, cl, sv.addr, plainRecord(protocol.ContentACK, protocol.VersionDTLS12, 0, 9, record13.AppendACK(nil, bogus)), l.now)
	deliver(t, cl, sv.addr, forge(t, sv.conn(cl), epochApplication, protocol.ContentACK, []byte{0, 17, 1}), l.now)
	if !c.snapshot().Flight || c.Removed() {
		t.Fatal("a malformed or unprotected ACK changed something")
	}
	l.filter = nil
	exchange(t, cl, sv, l, "after bogus ACKs")
}

// KeyUpdate floods: a peer that retransmits a KeyUpdate, or updates again
// and again, costs an ACK each and one epoch each; KeyUpdates out of turn
// (a new one in the epoch the last one ended) end the association.
func TestRegression13_KeyUpdateFlood(t *testing.T) {
	cl, sv, l := established13(t, 111, false)
	c := sv.conn(cl)
	// The same KeyUpdate a thousand times (numbered as the client's next
	// message): one update, each copy ACKed.
	ku := hsMsg(protocol.HandshakeKeyUpdate, cl.conn(sv).base13().sendSeq, []byte{handshake13.UpdateNotRequested})
	cl.conn(sv).base13().sendSeq++
	first := forge(t, cl.conn(sv), epochApplication, protocol.ContentHandshake, ku)
	deliver(t, sv, cl.addr, first, l.now)
	sent := sv.sentDgs
	for i := 0; i < 1000; i++ {
		deliver(t, sv, cl.addr, forge(t, cl.conn(sv), epochApplication, protocol.ContentHandshake, ku), l.now)
	}
	if r, _ := c.Epoch(); r != 4 || c.Removed() {
		t.Fatalf("server read epoch %d after a KeyUpdate sent 1001 times", r)
	}
	if n := sv.sentDgs - sent; n != 1000 {
		t.Fatalf("%d answers to 1000 copies", n)
	}
	// Updates in turn, each in the epoch the previous one started: each
	// costs one epoch and nothing else.
	cl2, sv2, l2 := established13(t, 112, false)
	for i := 0; i < 100; i++ {
		if err := cl2.ep.Renegotiate(sv2.addr, l2.now); err != nil {
			t.Fatal(err)
		}
		l2.drain()
	}
	if r, w := sv2.conn(cl2).Epoch(); r != 103 || w != 103 || sv2.conn(cl2).snapshot().Held != 0 {
		t.Fatalf("after 100 updates: server epochs %d/%d, held %d", r, w, sv2.conn(cl2).snapshot().Held)
	}
	exchange(t, cl2, sv2, l2, "epoch 103")
	// A new KeyUpdate in the epoch the previous one ended: out of turn.
	cl3, sv3, l3 := established13(t, 113, false)
	c3 := cl3.conn(sv3)
	old := forge(t, c3, epochApplication, protocol.ContentHandshake, hsMsg(protocol.HandshakeKeyUpdate, c3.base13().sendSeq, []byte{0}))
	c3.base13().sendSeq++
	second := forge(t, c3, epochApplication, protocol.ContentHandshake, hsMsg(protocol.HandshakeKeyUpdate, c3.base13().sendSeq, []byte{0}))
	deliver(t, sv3, cl3.addr, old, l3.now)
	deliver(t, sv3, cl3.addr, second, l3.now)
	if sv3.conn(cl3) != nil || !fatalOn(sv3, protocol.AlertUnexpectedMessage) {
		t.Fatalf("a KeyUpdate out of turn: server events %v", sv3.events)
	}
}

// Unknown epochs: records for epochs we have no keys for are dropped, or,
// the one epoch a KeyUpdate may start next, kept within the bound.
func TestRegression13_UnknownEpochs(t *testing.T) {
	cl, sv, l := established13(t, 114, false)
	c := sv.conn(cl)
	for i := 0; i < 200; i++ {
		for bits := byte(0); bits < 4; bits++ {
			dg := append([]byte{0x2c | bits, byte(i >> 8), byte(i), 0, 24}, bytes.Repeat([]byte{byte(i)}, 24)...)
			deliver(t, sv, cl.addr, dg, l.now)
		}
	}
	if s := c.snapshot(); s.Held > sv.ep.Config().MaxPendingRecords || c.Removed() || s.ReadEpoch != 3 {
		t.Fatalf("after records of every epoch: held %d, epoch %d, removed %v", s.Held, s.ReadEpoch, c.Removed())
	}
	exchange(t, cl, sv, l, "unknown epochs ignored")
	// Unified records before any 1.3 epoch exists (a 1.2 association)
	// are dropped.
	cl2, sv2, l2 := pair(t, 115, Config{}, Config{})
	useCredentials(cl2, sv2, false)
	sv2.echo = true
	handshakeOK(t, cl2, sv2, l2, 5*time.Second)
	before, m := snap(sv2.conn(cl2)), mark(sv2)
	deliver(t, sv2, cl2.addr, append([]byte{0x2d, 0, 1, 0, 20}, make([]byte, 20)...), l2.now)
	expectDropped(t, "a unified record on a 1.2 association", sv2, cl2, before, m)
}

// A record-number mask mismatch: a record whose encrypted sequence number
// was changed decrypts to another number, which changes the nonce and the
// additional data: it fails authentication and is dropped, and the genuine
// record opens afterwards.
func TestRegression13_RecordNumberMaskMismatch(t *testing.T) {
	cl, sv, l := established13(t, 116, false)
	before, m := snap(sv.conn(cl)), mark(sv)
	rec := forge(t, cl.conn(sv), epochApplication, protocol.ContentApplicationData, []byte("genuine"))
	cidLen := len(cl.conn(sv).WriteCID())
	for bit := 0; bit < 16; bit++ {
		bad := append([]byte(nil), rec...)
		bad[1+cidLen+bit/8] ^= 1 << (bit % 8)
		deliver(t, sv, cl.addr, bad, l.now)
	}
	// Cut short below the 16 bytes the mask is computed from.
	short := append([]byte(nil), rec[:1+cidLen+2+2+10]...)
	short[1+cidLen+2], short[1+cidLen+3] = 0, 10
	deliver(t, sv, cl.addr, short, l.now)
	expectDropped(t, "records with a changed record number", sv, cl, before, m)
	deliver(t, sv, cl.addr, rec, l.now)
	if n := len(sv.received); n != 1 || string(sv.received[0]) != "genuine" {
		t.Fatalf("the genuine record: received %q", sv.received)
	}
}

// Downgrade sentinels, both ways: a 1.3-capable server marks a 1.2
// ServerHello (TestDTLS13ServerWithDTLS12Client), and a client that
// offered 1.3 refuses a 1.2 ServerHello so marked: here an attacker strips
// the supported_versions extension from its ClientHellos.
func TestRegression13_DowngradeSentinel(t *testing.T) {
	cl, sv, l := pair13(t, 117, false)
	stripped := 0
	l.filter = func(from *peer, dg []byte) []byte {
		if from != cl {
			return dg
		}
		i := findMessage(dg, protocol.HandshakeClientHello)
		if i < 0 {
			return dg
		}
		body := dg[i+12 : i+12+fragmentLength(dg[i:])]
		ch, ok := handshake13.ParseClientHello(body)
		if !ok {
			return dg
		}
		var exts []handshake13.Extension
		for _, x := range ch.Extensions {
			if x.Type != protocol.ExtSupportedVersions {
				exts = append(exts, x)
			}
		}
		nb := append(helloPrefix(body, &ch), handshake13.AppendExtensions(nil, exts)...)
		stripped++
		return plainRecord(protocol.ContentHandshake, protocol.VersionDTLS10, 0, uint64(100+stripped),
			hsMsg(protocol.HandshakeClientHello, uint16(dg[i+4])<<8|uint16(dg[i+5]), nb))
	}
	cl.ep.Connect(sv.addr, l.now)
	l.run(nil, 5*time.Second)
	if stripped < 2 || cl.established(sv) || !fatalOn(cl, protocol.AlertIllegalParameter) {
		t.Fatalf("stripped %d ClientHellos; client events %v", stripped, cl.events)
	}
}
