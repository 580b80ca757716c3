// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"runtime"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// clientHello builds an epoch-0 ClientHello datagram as a real client's
// first flight would look, with the given random and cookie.
func clientHello(random [32]byte, cookie []byte, seq uint64) []byte {
	ch := handshake.ClientHello{
		Version:            protocol.VersionDTLS12,
		Random:             random,
		Cookie:             cookie,
		CipherSuites:       []uint16{uint16(protocol.TLS_PSK_WITH_AES_128_CCM_8), uint16(protocol.TLS_EMPTY_RENEGOTIATION_INFO_SCSV)},
		CompressionMethods: []uint8{0},
	}
	ch.Extensions.ExtendedMasterSecret = true
	body := ch.Marshal(nil)
	msg := handshake.Header{Type: protocol.HandshakeClientHello, Length: uint32(len(body)), FragmentLength: uint32(len(body))}.Append(nil)
	msg = append(msg, body...)
	h := record.Header{Type: protocol.ContentHandshake, Version: protocol.VersionDTLS10, Seq: seq, Length: len(msg)}
	return append(record.AppendHeader(nil, &h), msg...)
}

// A flood of spoofed ClientHellos: the server must keep no state for any of
// them, answer each with a HelloVerifyRequest no larger than the request,
// stay within a small memory bound, and still let a real client in.
func TestClientHelloFlood(t *testing.T) {
	l := newLink(t, 300)
	sv := newPeer(t, l, "server", Config{}, 301)
	sv.usePSK("Client_identity", "secretPSK")
	legit := newPeer(t, l, "legit", Config{}, 302)
	legit.usePSK("Client_identity", "secretPSK")

	hvrs, maxRatio := 0, 0.0
	var sentSizes int
	sv.setHandler(&floodCounter{peer: sv, onSend: func(addr, dg []byte) {
		hvrs++
		sentSizes = len(dg)
	}})
	rng := rand.New(rand.NewSource(303))
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	const floods, addrs = 100000, 10000
	legit.ep.Connect(sv.addr, l.now)
	for i := 0; i < floods; i++ {
		var random [32]byte
		rng.Read(random[:])
		addr := make([]byte, 6)
		binary.BigEndian.PutUint32(addr, uint32(i%addrs))
		var cookie []byte
		if i%3 == 0 {
			cookie = make([]byte, 16) // a guessed cookie
			rng.Read(cookie)
		}
		dg := clientHello(random, cookie, uint64(i))
		before := hvrs
		sv.ep.HandleDatagram(addr, dg, l.now)
		if hvrs != before+1 {
			t.Fatalf("ClientHello %d got %d answers", i, hvrs-before)
		}
		if r := float64(sentSizes) / float64(len(dg)); r > maxRatio {
			maxRatio = r
		}
		legitConns := 0
		if sv.conn(legit) != nil {
			legitConns = 1
		}
		if sv.ep.Conn(addr) != nil || sv.ep.NumConns() != legitConns {
			t.Fatalf("server keeps state after spoofed ClientHello %d", i)
		}
		// Interleave the real client's handshake with the flood.
		if i%1000 == 0 {
			l.step()
		}
		l.now += 10 * time.Microsecond
	}
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	growth := int64(ms1.HeapAlloc) - int64(ms0.HeapAlloc)
	if growth > 1<<20 {
		t.Errorf("heap grew by %d bytes during the flood", growth)
	}
	if maxRatio > 1 {
		t.Errorf("a HelloVerifyRequest was %.2f times the size of its ClientHello", maxRatio)
	}
	sv.setHandler(sv)
	if !l.run(both(connected(legit, sv), connected(sv, legit)), 10*time.Second) {
		t.Fatalf("legitimate client could not connect during the flood")
	}
	t.Logf("%d spoofed ClientHellos, heap growth %d bytes, largest HVR/CH ratio %.2f", floods, growth, maxRatio)
}

type floodCounter struct {
	*peer
	onSend func(addr, dg []byte)
}

func (f *floodCounter) Send(c *Conn, addr []byte, dg []byte) int {
	if string(addr) == "legit" {
		return f.peer.Send(c, addr, dg)
	}
	f.onSend(addr, dg)
	return len(dg)
}

// When the handshake limit is reached, the oldest half-open handshake makes
// room for a client that proved its address; established ones are never
// evicted.
func TestHalfOpenEviction(t *testing.T) {
	l := newLink(t, 310)
	sv := newPeer(t, l, "server", Config{MaxHandshakes: 4}, 311)
	sv.usePSK("Client_identity", "secretPSK")
	done := newPeer(t, l, "done", Config{}, 312)
	done.usePSK("Client_identity", "secretPSK")
	handshakeOK(t, done, sv, l, 5*time.Second)

	// Four clients that stop after the cookie exchange: drop everything
	// they send once the server has created their association.
	var quiet []*peer
	for i := 0; i < 4; i++ {
		p := newPeer(t, l, fmt.Sprintf("quiet-%d", i), Config{}, int64(320+i))
		p.usePSK("Client_identity", "secretPSK")
		quiet = append(quiet, p)
	}
	isQuiet := map[*peer]bool{}
	l.filter = func(from *peer, dg []byte) []byte {
		if isQuiet[from] {
			return nil
		}
		return dg
	}
	for _, p := range quiet {
		p.ep.Connect(sv.addr, l.now)
		l.run(func() bool { return sv.conn(p) != nil }, time.Second)
		isQuiet[p] = true
	}
	if sv.ep.NumHandshakes() != 4 {
		t.Fatalf("%d handshakes in progress, want 4", sv.ep.NumHandshakes())
	}
	first := sv.conn(quiet[0])
	late := newPeer(t, l, "late", Config{}, 330)
	late.usePSK("Client_identity", "secretPSK")
	handshakeOK(t, late, sv, l, 5*time.Second)
	if !first.Removed() {
		t.Fatalf("the oldest half-open handshake was not evicted")
	}
	for _, p := range quiet[1:] {
		if sv.conn(p) == nil {
			t.Fatalf("a newer half-open handshake was evicted")
		}
	}
	if !sv.conn(done).Established() {
		t.Fatalf("an established association was evicted")
	}
}

// The cookie secret rotates, and a cookie made just before a rotation is
// still accepted after it, but not after a second one.
func TestCookieSecretRotation(t *testing.T) {
	l := newLink(t, 340)
	sv := newPeer(t, l, "server", Config{CookieRotation: time.Minute}, 341)
	var random [32]byte
	random[0] = 1
	var hvr []byte
	sv.setHandler(&floodCounter{peer: sv, onSend: func(addr, dg []byte) { hvr = append([]byte(nil), dg...) }})
	sv.ep.HandleDatagram([]byte("x"), clientHello(random, nil, 0), 0)
	cookie := hvr[len(hvr)-16:]
	for _, tc := range []struct {
		at    time.Duration
		valid bool
	}{{30 * time.Second, true}, {90 * time.Second, true}, {150 * time.Second, false}} {
		hvr = nil
		sv.ep.HandleDatagram([]byte("x"), clientHello(random, cookie, 1), tc.at)
		answeredWithHVR := hvr != nil && hvr[13] == byte(protocol.HandshakeHelloVerifyRequest)
		if answeredWithHVR == tc.valid {
			t.Fatalf("cookie at %v: valid=%v, want %v", tc.at, !answeredWithHVR, tc.valid)
		}
		if c := sv.ep.Conn([]byte("x")); c != nil {
			sv.ep.Reset(c)
		}
	}
}
