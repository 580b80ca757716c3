package engine

import (
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// benchPeer is a Handler that forwards datagrams straight to the other
// endpoint's inbox and counts what it receives, without allocating.
type benchPeer struct {
	addr     []byte
	ep       *Endpoint
	out      []byte // last datagram sent
	got      int
	caps     Capabilities
	key      *ECDSAKey
	suites   []protocol.CipherSuite
	inbox    [][]byte
	captured bool
}

func (b *benchPeer) Send(c *Conn, addr []byte, dg []byte) error {
	b.inbox = append(b.inbox, append([]byte(nil), dg...))
	return nil
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

// pump moves datagrams between the two peers until both inboxes are empty.
func pump(a, b *benchPeer, now time.Duration) {
	for len(a.inbox) > 0 || len(b.inbox) > 0 {
		for len(a.inbox) > 0 {
			dg := a.inbox[0]
			a.inbox = a.inbox[1:]
			b.ep.HandleDatagram(a.addr, dg, now)
		}
		for len(b.inbox) > 0 {
			dg := b.inbox[0]
			b.inbox = b.inbox[1:]
			a.ep.HandleDatagram(b.addr, dg, now)
		}
	}
}

func benchPair(b *testing.B, ecdhe bool) (*benchPeer, *benchPeer) {
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
	cl.ep = New(Config{}, cl)
	sv.ep = New(Config{}, sv)
	return cl, sv
}

func benchHandshake(b *testing.B, ecdhe bool) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		cl, sv := benchPair(b, ecdhe)
		cl.ep.Connect(sv.addr, 0)
		pump(cl, sv, 0)
		if c := cl.ep.Conn(sv.addr); c == nil || !c.Established() {
			b.Fatal("no handshake")
		}
	}
}

func BenchmarkHandshakePSK(b *testing.B)   { benchHandshake(b, false) }
func BenchmarkHandshakeECDHE(b *testing.B) { benchHandshake(b, true) }

// benchRecord measures one application record from client to server:
// seal, send, parse, open, deliver.
func benchRecord(b *testing.B, size int) {
	cl, sv := benchPair(b, false)
	cl.ep.Connect(sv.addr, 0)
	pump(cl, sv, 0)
	payload := make([]byte, size)
	// Reuse one datagram buffer so the measurement sees only the engine.
	var dg []byte
	fwd := &directPeer{benchPeer: cl}
	cl.ep.h = fwd
	parts := [][]byte{payload}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cl.ep.Write(sv.addr, parts, 0)
		dg = append(dg[:0], fwd.last...)
		sv.ep.HandleDatagram(cl.addr, dg, 0)
	}
	if sv.got != b.N*size {
		b.Fatalf("delivered %d bytes, want %d", sv.got, b.N*size)
	}
}

// directPeer keeps only the last datagram instead of queueing.
type directPeer struct {
	*benchPeer
	last []byte
}

func (d *directPeer) Send(c *Conn, addr []byte, dg []byte) error {
	d.last = append(d.last[:0], dg...)
	return nil
}

func BenchmarkRecord64(b *testing.B)   { benchRecord(b, 64) }
func BenchmarkRecord256(b *testing.B)  { benchRecord(b, 256) }
func BenchmarkRecord1024(b *testing.B) { benchRecord(b, 1024) }

// TestRecordPathDoesNotAllocate pins the zero-allocation promise of the
// steady-state record path (seal, send, parse, open, deliver).
func TestRecordPathDoesNotAllocate(t *testing.T) {
	res := testing.Benchmark(func(b *testing.B) { benchRecord(b, 64) })
	if a := res.AllocsPerOp(); a != 0 {
		t.Fatalf("%d allocations per record", a)
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
					cl, sv := benchPair(b, ecdhe)
					cl.ep.Connect(sv.addr, 0)
					// Deliver datagrams alternately; time only the chosen one.
					for k := 0; len(cl.inbox) > 0 || len(sv.inbox) > 0; k++ {
						from, to, src := cl, sv, cl.addr
						if k%2 == 1 {
							from, to, src = sv, cl, sv.addr
						}
						if len(from.inbox) == 0 {
							continue
						}
						dg := from.inbox[0]
						from.inbox = from.inbox[1:]
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
