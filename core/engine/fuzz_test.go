// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"encoding/binary"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// The engine fuzzers feed arbitrary datagram sequences to a server and to a
// client. Inputs are datagrams each prefixed with a 2-byte length; the seeds
// are the real flights of PSK and ECDHE handshakes between two engines with
// fixed randomness, so that the fuzzer starts deep in the handshake (the
// server's cookies are valid for its fixed secret). Only the PSK seeds replay
// to the end: crypto/ecdh and crypto/ecdsa never draw deterministically from
// the engine's random source (since Go 1.26 they ignore it), so the fuzzed
// engine's ECDHE key differs from the recorded one, and an ECDHE seed's
// Finished (at the server, its CertificateVerify) no longer verifies. For the
// same reason TestWriteFuzzCorpus writes new ECDHE seeds on every run.

func encodeDatagrams(dgs [][]byte) []byte {
	var out []byte
	for _, d := range dgs {
		out = binary.BigEndian.AppendUint16(out, uint16(len(d)))
		out = append(out, d...)
	}
	return out
}

func decodeDatagrams(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 2 && len(out) < 64 {
		n := int(binary.BigEndian.Uint16(b))
		b = b[2:]
		if n > len(b) {
			n = len(b)
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// fuzzConfig gives both sides the same deterministic randomness in every
// run, so that recorded seeds stay valid.
func fuzzConfig(seed int64) Config {
	return Config{Rand: rand.New(rand.NewSource(seed)), MaxHandshakes: 4, MaxConns: 8}
}

// recordHandshake runs a handshake and returns what each side sent.
func recordHandshake(t testing.TB, ecdhe bool) (fromClient, fromServer [][]byte) {
	l := newLink(t, 1)
	cl := fuzzClient(t, l)
	sv := fuzzServer(t, l, ecdhe)
	l.tap = func(from *peer, dg []byte) {
		if from == cl {
			fromClient = append(fromClient, append([]byte(nil), dg...))
		} else {
			fromServer = append(fromServer, append([]byte(nil), dg...))
		}
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	exchange(t, cl, sv, l, "fuzz seed data")
	cl.ep.Close(sv.addr, l.now)
	l.run(nil, time.Second)
	return fromClient, fromServer
}

// A fuzz input is a mode byte (bit 0: the server has an ECDSA key rather
// than PSKs, as in the recorded handshake) followed by the datagrams.
func fuzzInput(ecdhe bool, dgs [][]byte) []byte {
	mode := byte(0)
	if ecdhe {
		mode = 1
	}
	return append([]byte{mode}, encodeDatagrams(dgs)...)
}

func fuzzSeeds(f *testing.F, side string) {
	for _, ecdhe := range []bool{false, true} {
		c, s := recordHandshake(f, ecdhe)
		if side == "server" {
			f.Add(fuzzInput(ecdhe, c))
		} else {
			f.Add(fuzzInput(ecdhe, s))
		}
	}
}

// fuzzServer adds the server of a fuzz run to l: it has either upstream's
// example PSK or its ECDSA key, and echoes.
func fuzzServer(t testing.TB, l *link, ecdhe bool) *peer {
	sv := newPeer(t, l, "server", fuzzConfig(3), 0)
	if ecdhe {
		sv.useECDSA(serverKey)
	} else {
		sv.usePSK("Client_identity", "secretPSK")
	}
	sv.echo = true
	return sv
}

// fuzzClient adds the client of a fuzz run to l: it offers both key
// exchanges, so that the server's credentials pick one.
func fuzzClient(t testing.TB, l *link) *peer {
	cl := newPeer(t, l, "client", fuzzConfig(2), 0)
	cl.usePSK("Client_identity", "secretPSK")
	cl.useECDSA(clientKey)
	return cl
}

// checkInvariants looks for inconsistencies the fuzzer might provoke.
func checkInvariants(t *testing.T, e *Endpoint) {
	hs, n := 0, 0
	cfg := e.Config()
	e.Conns(func(c *Conn) {
		n++
		s := c.snapshot()
		if s.Removed {
			t.Fatalf("removed association still in the table")
		}
		if s.Handshake.Running {
			hs++
		}
		if s.Held > cfg.MaxPendingRecords {
			t.Fatalf("pending records over the bound")
		}
		if s.Handshake.Running {
			if n, b := s.Handshake.BufferedMsgs, s.Handshake.BufferedBytes; n > 8 || b > 32768 {
				t.Fatalf("reassembler over its bounds: %d messages, %d bytes", n, b)
			}
		}
	})
	if hs != e.NumHandshakes() {
		t.Fatalf("handshake count %d, but %d associations shake hands", e.NumHandshakes(), hs)
	}
	if n != e.NumConns() || n > cfg.MaxConns || e.NumHandshakes() > cfg.MaxHandshakes {
		t.Fatalf("limits exceeded: %d associations, %d handshakes", n, e.NumHandshakes())
	}
}

func runFuzz(t *testing.T, p *peer, from []byte, data []byte) {
	now := time.Duration(0)
	for _, dg := range decodeDatagrams(data) {
		p.ep.HandleDatagram(from, append([]byte(nil), dg...), now)
		checkInvariants(t, p.ep)
		now += 10 * time.Millisecond
	}
	// Let every timer run out: retransmissions, holds, abandonment.
	for i := 0; i < 100; i++ {
		next, ok := p.ep.CheckRetransmit(now)
		if !ok {
			break
		}
		now = next
		checkInvariants(t, p.ep)
	}
	if _, ok := p.ep.NextDeadline(); ok && p.ep.NumHandshakes() > 0 {
		t.Fatalf("a handshake outlived every timer")
	}
	p.ep.Free()
}

func FuzzServer(f *testing.F) {
	fuzzSeeds(f, "server")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		runFuzz(t, fuzzServer(t, newLink(t, 0), data[0]&1 != 0), []byte("client"), data[1:])
	})
}

func FuzzClient(f *testing.F) {
	fuzzSeeds(f, "client")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		cl := fuzzClient(t, newLink(t, 0))
		cl.echo = true // data received makes it write too
		cl.ep.Connect([]byte("server"), 0)
		runFuzz(t, cl, []byte("server"), data[1:])
	})
}

// TestWriteFuzzCorpus refreshes the committed seed corpora in testdata/
// from real handshakes: TINYDTLS_WRITE_CORPUS=1 go test -run TestWriteFuzzCorpus.
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("TINYDTLS_WRITE_CORPUS") == "" {
		t.Skip("set TINYDTLS_WRITE_CORPUS=1 to rewrite testdata/fuzz")
	}
	for _, ecdhe := range []bool{false, true} {
		c, s := recordHandshake(t, ecdhe)
		name := "psk"
		if ecdhe {
			name = "ecdhe"
		}
		for fz, dgs := range map[string][][]byte{"FuzzServer": c, "FuzzClient": s} {
			dir := filepath.Join("testdata", "fuzz", fz)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			body := "go test fuzz v1\n[]byte(" + quoteGo(fuzzInput(ecdhe, dgs)) + ")\n"
			if err := os.WriteFile(filepath.Join(dir, "handshake-"+name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func quoteGo(b []byte) string {
	const hex = "0123456789abcdef"
	out := []byte{'"'}
	for _, c := range b {
		out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
	}
	return string(append(out, '"'))
}

// The seeds must take the engines through a whole handshake, or the
// fuzzers would start at the cookie check every time.
func TestFuzzSeedsReachEstablished(t *testing.T) {
	c, s := recordHandshake(t, false)
	sv := fuzzServer(t, newLink(t, 0), false)
	now := time.Duration(0)
	for _, dg := range c {
		sv.ep.HandleDatagram([]byte("client"), dg, now)
		now += 10 * time.Millisecond
		if conn := sv.ep.Conn([]byte("client")); conn != nil && conn.Established() {
			break
		}
	}
	if conn := sv.ep.Conn([]byte("client")); conn == nil || !conn.Established() {
		t.Fatalf("replaying the client's flights does not establish the server")
	}
	cl := fuzzClient(t, newLink(t, 0))
	cl.ep.Connect([]byte("server"), 0)
	for _, dg := range s {
		cl.ep.HandleDatagram([]byte("server"), dg, 0)
	}
	if !cl.hasEvent(protocol.LevelInternal, protocol.EventConnected) {
		t.Fatalf("replaying the server's flights does not establish the client: %v", cl.events)
	}
}
