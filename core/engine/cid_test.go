// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// countTypes counts the records of each content type that p sends from now
// on (the server's CIDs have the default length).
func countTypes(l *link, p *peer) map[protocol.ContentType]int {
	m := map[protocol.ContentType]int{}
	l.tap = func(from *peer, dg []byte) {
		if from != p {
			return
		}
		for off := 0; off+13 <= len(dg); {
			t := protocol.ContentType(dg[off])
			hl := 13
			if t == protocol.ContentTLS12CID {
				hl += 6 // the server's default CID length
			}
			if off+hl > len(dg) {
				return
			}
			n := int(dg[off+hl-2])<<8 | int(dg[off+hl-1])
			m[t]++
			off += hl + n
		}
	}
	return m
}

func TestConnectionIDNegotiatedByDefault(t *testing.T) {
	for _, ecdhe := range []bool{false, true} {
		t.Run(fmt.Sprintf("ecdhe=%v", ecdhe), func(t *testing.T) {
			cl, sv, l := pair(t, 500, Config{}, Config{})
			useCredentials(cl, sv, ecdhe)
			sv.echo = true
			sent := countTypes(l, cl)
			handshakeOK(t, cl, sv, l, 5*time.Second)
			c, s := cl.conn(sv), sv.conn(cl)
			if len(c.WriteCID()) != 6 || string(c.WriteCID()) != string(s.ReadCID()) {
				t.Fatalf("client writes CID %x, server reads %x", c.WriteCID(), s.ReadCID())
			}
			if len(c.ReadCID()) != 0 || len(s.WriteCID()) != 0 {
				t.Fatalf("the client asked for no CID, got read %x / server write %x", c.ReadCID(), s.WriteCID())
			}
			exchange(t, cl, sv, l, "with a connection id")
			if sent[protocol.ContentTLS12CID] < 2 || sent[protocol.ContentApplicationData] != 0 {
				t.Fatalf("client record types %v: want protected records as tls12_cid", sent)
			}
		})
	}
}

func TestConnectionIDNotUsedWithoutSupport(t *testing.T) {
	cl, sv, l := pskPair(t, 501, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	cl.params = func(p *UserParameters) {
		p.CipherSuites = []protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM_8}
		p.SupportCID = false
	}
	sent := countTypes(l, cl)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if len(cl.conn(sv).WriteCID()) != 0 || len(sv.conn(cl).ReadCID()) != 0 {
		t.Fatalf("CID negotiated although the client does not support it")
	}
	exchange(t, cl, sv, l, "plain records")
	if sent[protocol.ContentTLS12CID] != 0 {
		t.Fatalf("tls12_cid records sent without a CID: %v", sent)
	}
	// And a server that does not support it answers without the extension.
	cl2, sv2, l2 := pskPair(t, 502, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	sv2.params = func(p *UserParameters) { p.SupportCID = false }
	handshakeOK(t, cl2, sv2, l2, 5*time.Second)
	if len(cl2.conn(sv2).WriteCID()) != 0 {
		t.Fatalf("client uses a CID the server never gave")
	}
}

// moveClient changes the client's address as a NAT rebinding would: from
// now on its datagrams come from newAddr, and datagrams to the old address
// are lost.
func moveClient(l *link, cl *peer, newAddr string) {
	delete(l.peers, string(cl.addr))
	cl.addr = []byte(newAddr)
	l.peers[newAddr] = cl
}

func TestConnectionIDFollowsAddressChange(t *testing.T) {
	skipIfCompacting(t)
	for _, ecdhe := range []bool{false, true} {
		t.Run(fmt.Sprintf("ecdhe=%v", ecdhe), func(t *testing.T) {
			cl, sv, l := pair(t, 510, Config{}, Config{})
			useCredentials(cl, sv, ecdhe)
			sv.echo = true
			handshakeOK(t, cl, sv, l, 5*time.Second)
			exchange(t, cl, sv, l, "before the move")
			old := sv.conn(cl)
			oldAddr := string(cl.addr)
			moveClient(l, cl, "client-after-nat")
			exchange(t, cl, sv, l, "after the move")
			if sv.ep.Conn([]byte(oldAddr)) != nil || sv.ep.Conn(cl.addr) != old {
				t.Fatalf("server did not move the association to the new address")
			}
			// The server's own writes go to the new address too.
			before := len(cl.received)
			sv.ep.Write(cl.addr, [][]byte{[]byte("server push")}, l.now)
			l.run(func() bool { return len(cl.received) > before }, time.Second)
			if len(cl.received) == before || string(cl.received[before]) != "server push" {
				t.Fatalf("server write after the move did not arrive")
			}
		})
	}
}

func TestConnectionIDIgnoresStaleRecordFromOtherAddress(t *testing.T) {
	cl, sv, l := pskPair(t, 520, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	sv.echo = false
	handshakeOK(t, cl, sv, l, 5*time.Second)
	// Capture a record, let a newer one through, then replay the older one
	// from another address: it must neither be delivered nor move the
	// association.
	var first []byte
	l.filter = func(from *peer, dg []byte) []byte {
		if from == cl && first == nil {
			first = append([]byte(nil), dg...)
			return nil
		}
		return dg
	}
	cl.ep.Write(sv.addr, [][]byte{[]byte("one")}, l.now)
	cl.ep.Write(sv.addr, [][]byte{[]byte("two")}, l.now)
	l.run(func() bool { return len(sv.received) == 1 }, time.Second)
	sv.ep.HandleDatagram([]byte("attacker"), first, l.now)
	if sv.ep.Conn([]byte("attacker")) != nil || sv.conn(cl) == nil {
		t.Fatalf("an old record from another address moved the association")
	}
	if got := strs(sv.received); fmt.Sprint(got) != "[two one]" {
		// A delayed record of the same association still counts (it is
		// authentic and not a replay) but does not move it.
		t.Fatalf("received %q", got)
	}
	// A forged CID record from another address is dropped.
	forged := append([]byte(nil), first...)
	forged[len(forged)-1] ^= 1
	sv.ep.HandleDatagram([]byte("attacker2"), forged, l.now)
	if sv.ep.Conn([]byte("attacker2")) != nil {
		t.Fatalf("forged record moved the association")
	}
}

func TestConnectionIDWithRenegotiation(t *testing.T) {
	cl, sv, l := renegPair(t, 530, true)
	cid := string(cl.conn(sv).WriteCID())
	moveClient(l, cl, "client-moved")
	exchange(t, cl, sv, l, "moved")
	if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	if !l.run(renegotiated(cl, sv), 10*time.Second) {
		t.Fatalf("renegotiation with CID did not finish: %v %v", cl.events, sv.events)
	}
	if string(cl.conn(sv).WriteCID()) != cid {
		t.Fatalf("CID changed across renegotiation")
	}
	exchange(t, cl, sv, l, "after renegotiation")
}

func TestRecordSizeLimit(t *testing.T) {
	const limit = 200
	cl, sv, l := pair(t, 540, Config{RecordSizeLimit: limit}, Config{})
	useCredentials(cl, sv, false)
	cl.params = func(p *UserParameters) {
		p.CipherSuites = []protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM_8}
		p.SupportCID = false
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	s := sv.conn(cl)
	if got := s.MaxWrite(); got != limit {
		t.Fatalf("server MaxWrite = %d, want the client's limit %d", got, limit)
	}
	if got := cl.conn(sv).MaxWrite(); got != 1400-13-8-8 {
		t.Fatalf("client MaxWrite = %d: the server set no limit", got)
	}
	if n, err := sv.ep.Write(cl.addr, [][]byte{make([]byte, limit+1)}, l.now); err != ErrTooLarge || n >= 0 {
		t.Fatalf("oversized write = %d, %v", n, err)
	}
	if n, err := sv.ep.Write(cl.addr, [][]byte{make([]byte, limit)}, l.now); err != nil || n != limit {
		t.Fatalf("write at the limit = %d, %v", n, err)
	}
	l.run(func() bool { return len(cl.received) == 1 }, time.Second)
	if len(cl.received) != 1 || len(cl.received[0]) != limit {
		t.Fatalf("record at the limit not delivered")
	}
}

// Handshake fragments respect a small limit too: an ECDHE server's flight
// is cut into fragments no larger than the client's limit.
func TestRecordSizeLimitFragmentsHandshake(t *testing.T) {
	const limit = 64
	cl, sv, l := pair(t, 550, Config{RecordSizeLimit: limit}, Config{})
	useCredentials(cl, sv, true)
	sv.echo = true
	var biggest int
	l.tap = func(from *peer, dg []byte) {
		if from != sv {
			return
		}
		for off := 0; off+13 <= len(dg); {
			n := int(dg[off+11])<<8 | int(dg[off+12])
			if dg[off] == byte(protocol.ContentHandshake) && dg[off+13] != byte(protocol.HandshakeServerHello) &&
				dg[off+13] != byte(protocol.HandshakeHelloVerifyRequest) && n > biggest {
				biggest = n
			}
			off += 13 + n
		}
	}
	handshakeOK(t, cl, sv, l, 10*time.Second)
	if biggest > limit {
		t.Fatalf("server sent a %d-byte handshake record past the client's %d limit", biggest, limit)
	}
	exchange(t, cl, sv, l, "small records")
}

// A peer that ignores our record_size_limit gets record_overflow.
func TestRecordSizeLimitEnforcedOnReceive(t *testing.T) {
	const limit = 100
	cl, sv, l := pair(t, 560, Config{RecordSizeLimit: limit}, Config{})
	useCredentials(cl, sv, false)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	// The server sends more than the limit, as a buggy peer would.
	cl.ep.HandleDatagram(sv.addr, forge(t, sv.conn(cl), 1, protocol.ContentApplicationData, make([]byte, limit+1)), l.now)
	l.run(noConns(cl, sv), time.Second)
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertRecordOverflow)) ||
		!sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertRecordOverflow)) {
		t.Fatalf("want record_overflow: client %v server %v", cl.events, sv.events)
	}
}

// Associations made before and after a change of the CID length keep
// working side by side: the receiver finds each record's CID length.
func TestConnectionIDLengthChange(t *testing.T) {
	l := newLink(t, 570)
	sv := newPeer(t, l, "server", Config{}, 571)
	sv.usePSK("Client_identity", "secretPSK")
	sv.echo = true
	a := newPeer(t, l, "a", Config{}, 572)
	a.usePSK("Client_identity", "secretPSK")
	handshakeOK(t, a, sv, l, 5*time.Second)
	if err := sv.ep.SetCIDLength(3); err != nil {
		t.Fatal(err)
	}
	b := newPeer(t, l, "b", Config{}, 573)
	b.usePSK("Client_identity", "secretPSK")
	handshakeOK(t, b, sv, l, 5*time.Second)
	if len(a.conn(sv).WriteCID()) != 6 || len(b.conn(sv).WriteCID()) != 3 {
		t.Fatalf("CID lengths %d and %d", len(a.conn(sv).WriteCID()), len(b.conn(sv).WriteCID()))
	}
	exchange(t, a, sv, l, "six")
	exchange(t, b, sv, l, "three")
	exchange(t, a, sv, l, "six again")
}
