// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// benchPeer is a minimal Handler with fixed credentials: it queues the
// datagrams it sends for pump and counts the bytes it receives.
type benchPeer struct {
	addr   []byte
	ep     *Endpoint
	got    int
	caps   Capabilities
	key    *ECDSAKey
	suites []protocol.CipherSuite
	outbox [][]byte
	// direct: keep only the last datagram instead of queueing.
	direct bool
	last   []byte
	// What went on the wire.
	sentDgs, sentBytes int
}

func (b *benchPeer) Send(c *Conn, addr []byte, dg []byte) int {
	b.sentDgs++
	b.sentBytes += len(dg)
	if b.direct {
		b.last = append(b.last[:0], dg...)
		return len(dg)
	}
	b.outbox = append(b.outbox, append([]byte(nil), dg...))
	return len(dg)
}
func (b *benchPeer) Receive(c *Conn, data []byte)                          { b.got += len(data) }
func (b *benchPeer) Event(c *Conn, level protocol.AlertLevel, code uint16) {}
func (b *benchPeer) Capabilities(c *Conn) Capabilities                     { return b.caps }
func (b *benchPeer) UserParameters(c *Conn, p *UserParameters) {
	if b.suites != nil {
		p.CipherSuites = b.suites
	}
}
func (b *benchPeer) PSKInfo(c *Conn, t CredentialType, desc []byte, out []byte) (int, error) {
	switch t {
	case PSKIdentity:
		return copy(out, "Client_identity"), nil
	case PSKKey:
		return copy(out, "secretPSK"), nil
	}
	return 0, nil
}
func (b *benchPeer) ECDSAKey(c *Conn) (ECDSAKey, error)        { return *b.key, nil }
func (b *benchPeer) VerifyECDSAKey(c *Conn, x, y []byte) error { return nil }
func (b *benchPeer) ConnChanged(c *Conn, what Change)          {}
func (b *benchPeer) LogEnabled(l LogLevel) bool                { return false }
func (b *benchPeer) Log(l LogLevel, msg string)                {}

// pump delivers the datagrams the two peers send until both are quiet.
func pump(a, b *benchPeer, now time.Duration) { pumpUntil(a, b, now, nil) }

// pumpUntil is pump, and returns how many flights (batches of datagrams
// from one side) went until ready held, or in all if ready is nil.
func pumpUntil(a, b *benchPeer, now time.Duration, ready func() bool) (flights int) {
	done := false
	count := func(outbox [][]byte) {
		if len(outbox) > 0 && !done {
			flights++
		}
	}
	for len(a.outbox) > 0 || len(b.outbox) > 0 {
		count(a.outbox)
		for len(a.outbox) > 0 {
			dg := a.outbox[0]
			a.outbox = a.outbox[1:]
			b.ep.HandleDatagram(a.addr, dg, now)
		}
		done = done || ready != nil && ready()
		count(b.outbox)
		for len(b.outbox) > 0 {
			dg := b.outbox[0]
			b.outbox = b.outbox[1:]
			a.ep.HandleDatagram(b.addr, dg, now)
		}
		done = done || ready != nil && ready()
	}
	return flights
}

func benchPair(ecdhe bool) (*benchPeer, *benchPeer) { return benchPairVersion(ecdhe, 0) }

// benchPairVersion is benchPair with the client's maximum version (0: the
// default, DTLS 1.2; the server speaks both).
func benchPairVersion(ecdhe bool, max uint16) (*benchPeer, *benchPeer) {
	return benchPairVersions(ecdhe, max, 0)
}

// benchPairVersions is benchPairVersion with the server's maximum version
// too (0: the default, DTLS 1.3).
func benchPairVersions(ecdhe bool, max, serverMax uint16) (*benchPeer, *benchPeer) {
	cl := &benchPeer{addr: []byte("client")}
	sv := &benchPeer{addr: []byte("server")}
	if ecdhe {
		cl.key, sv.key = &clientKey, &serverKey
		cl.caps = Capabilities{ECDSAKey: true, VerifyECDSAKey: true}
		sv.caps = cl.caps
		cl.suites = []protocol.CipherSuite{protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8}
	} else {
		cl.caps = Capabilities{PSK: true}
		sv.caps = cl.caps
		cl.suites = []protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM_8}
	}
	// crypto/rand, as in production: seeding math/rand costs more than a
	// PSK handshake.
	cl.ep = New(Config{MaxVersion: max}, cl)
	sv.ep = New(Config{MaxVersion: serverMax}, sv)
	return cl, sv
}

func benchHandshake(b *testing.B, ecdhe bool, max uint16) {
	benchHandshakeWith(b, ecdhe, max, 0, max)
}

// benchHandshakeWith runs handshakes between a client allowing up to max
// and a server allowing up to serverMax, which must end in version want
// (0: not checked).
func benchHandshakeWith(b *testing.B, ecdhe bool, max, serverMax, want uint16) {
	b.ReportAllocs()
	var ready, dgs, bytes int
	for i := 0; i < b.N; i++ {
		cl, sv := benchPairVersions(ecdhe, max, serverMax)
		cl.ep.Connect(sv.addr, 0)
		ready = pumpUntil(cl, sv, 0, func() bool {
			c := cl.ep.Conn(sv.addr)
			return c != nil && c.Established()
		})
		c := cl.ep.Conn(sv.addr)
		if c == nil || !c.Established() || want != 0 && c.Version() != want {
			b.Fatal("no handshake")
		}
		dgs, bytes = cl.sentDgs+sv.sentDgs, cl.sentBytes+sv.sentBytes
	}
	// The wire of one handshake (the last; they are all alike): the
	// flights until the client may send data (its last flight goes with
	// its first data: round trips = flights/2), all datagrams and bytes.
	b.ReportMetric(float64(ready), "flights-to-data")
	b.ReportMetric(float64(dgs), "datagrams")
	b.ReportMetric(float64(bytes), "wire-bytes")
}

func BenchmarkHandshakePSK(b *testing.B)   { benchHandshake(b, false, 0) }
func BenchmarkHandshakeECDHE(b *testing.B) { benchHandshake(b, true, 0) }

// DTLS 1.3 with the same application settings: the client allows 1.3
// (the server does by default), PSK with psk_dhe_ke, or raw public keys;
// TLS_AES_128_CCM_8_SHA256, the 1.3 suite of the 1.2 one listed.
func BenchmarkHandshake13PSK(b *testing.B)   { benchHandshake(b, false, protocol.VersionDTLS13) }
func BenchmarkHandshake13ECDHE(b *testing.B) { benchHandshake(b, true, protocol.VersionDTLS13) }

// What offering DTLS 1.3 costs a client whose server speaks only 1.2 (as
// every upstream tinydtls does): the key shares it makes and sends for
// nothing, and the larger ClientHello. This is why clients offer 1.3 only
// when the application asks (README, "DTLS 1.3").
func BenchmarkHandshakePSKOffer13To12(b *testing.B) {
	benchHandshakeWith(b, false, protocol.VersionDTLS13, protocol.VersionDTLS12, protocol.VersionDTLS12)
}
func BenchmarkHandshakeECDHEOffer13To12(b *testing.B) {
	benchHandshakeWith(b, true, protocol.VersionDTLS13, protocol.VersionDTLS12, protocol.VersionDTLS12)
}

// recordPath connects a PSK pair and returns a function that sends one
// application record of size bytes from the client to the server: seal,
// send, parse, open, deliver. It reuses one datagram buffer so that a
// measurement sees only the engine.
func recordPath(tb testing.TB, size int) (send func(), sv *benchPeer) {
	return recordPathVersion(tb, size, 0)
}

// recordPathVersion is recordPath with the client's maximum version.
func recordPathVersion(tb testing.TB, size int, max uint16) (send func(), sv *benchPeer) {
	cl, sv := benchPairVersion(false, max)
	cl.ep.Connect(sv.addr, 0)
	pump(cl, sv, 0)
	if c := cl.ep.Conn(sv.addr); c == nil || !c.Established() {
		tb.Fatal("no handshake")
	}
	cl.direct = true
	parts := [][]byte{make([]byte, size)}
	var dg []byte
	return func() {
		cl.ep.Write(sv.addr, parts, 0)
		dg = append(dg[:0], cl.last...)
		sv.ep.HandleDatagram(cl.addr, dg, 0)
	}, sv
}

// benchRecord measures one application record from client to server.
func benchRecord(b *testing.B, size int) { benchRecordVersion(b, size, 0) }

func benchRecordVersion(b *testing.B, size int, max uint16) {
	send, sv := recordPathVersion(b, size, max)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		send()
	}
	if sv.got != b.N*size {
		b.Fatalf("delivered %d bytes, want %d", sv.got, b.N*size)
	}
}

func BenchmarkRecord64(b *testing.B)   { benchRecord(b, 64) }
func BenchmarkRecord256(b *testing.B)  { benchRecord(b, 256) }
func BenchmarkRecord1024(b *testing.B) { benchRecord(b, 1024) }

// DTLS 1.3 records: unified header, record number encryption, CCM_8.
func BenchmarkRecord13_64(b *testing.B)   { benchRecordVersion(b, 64, protocol.VersionDTLS13) }
func BenchmarkRecord13_256(b *testing.B)  { benchRecordVersion(b, 256, protocol.VersionDTLS13) }
func BenchmarkRecord13_1024(b *testing.B) { benchRecordVersion(b, 1024, protocol.VersionDTLS13) }

// TestRecordPathDoesNotAllocate pins the zero-allocation promise of the
// steady-state record path (seal, send, parse, open, deliver). It counts
// with AllocsPerRun rather than testing.Benchmark: a failing benchmark
// yields an empty result, whose AllocsPerOp is 0.
func TestRecordPathDoesNotAllocate(t *testing.T) {
	const size, runs = 64, 1000
	for _, max := range []uint16{0, protocol.VersionDTLS13} {
		send, sv := recordPathVersion(t, size, max)
		if a := testing.AllocsPerRun(runs, send); a != 0 {
			t.Fatalf("version %#04x: %v allocations per record", max, a)
		}
		// AllocsPerRun makes one more call to warm up.
		if sv.got != (runs+1)*size {
			t.Fatalf("delivered %d bytes, want %d", sv.got, (runs+1)*size)
		}
	}
}

// BenchmarkHandshakeStep times each step of a PSK and an ECDHE handshake
// on its own: the server's stateless answer to the first ClientHello, the
// client's second ClientHello, the server's flight 4, the client's flight
// 5, the server's flight 6 and the client's processing of it.
func BenchmarkHandshakeStep(b *testing.B) {
	for _, ecdhe := range []bool{false, true} {
		kx := "PSK"
		if ecdhe {
			kx = "ECDHE"
		}
		for step := 0; step < 6; step++ {
			name := []string{"1-ServerHelloVerify", "2-ClientHelloWithCookie", "3-ServerFlight4",
				"4-ClientFlight5", "5-ServerFlight6", "6-ClientFinish"}[step]
			b.Run(kx+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					cl, sv := benchPair(ecdhe)
					cl.ep.Connect(sv.addr, 0)
					// Deliver datagrams alternately; time only the chosen one.
					for k := 0; len(cl.outbox) > 0 || len(sv.outbox) > 0; k++ {
						from, to, src := cl, sv, cl.addr
						if k%2 == 1 {
							from, to, src = sv, cl, sv.addr
						}
						if len(from.outbox) == 0 {
							continue
						}
						dg := from.outbox[0]
						from.outbox = from.outbox[1:]
						if k == step {
							b.StartTimer()
						}
						to.ep.HandleDatagram(src, dg, 0)
						if k == step {
							b.StopTimer()
						}
					}
				}
			})
		}
	}
}
