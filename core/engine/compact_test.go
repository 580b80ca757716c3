// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"fmt"
	"runtime"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// movedRecorder counts the ConnMoved reports of an Endpoint.
type movedRecorder struct {
	Handler
	moved []*Conn
}

func (m *movedRecorder) ConnChanged(c *Conn, what Change) {
	if what == ConnMoved {
		m.moved = append(m.moved, c)
	}
	m.Handler.ConnChanged(c, what)
}

// compactMoves compacts p's Endpoint and checks that every association
// that was not in a handshake moved: a new *Conn under the same address,
// reported with ConnMoved, and nothing left pointing at the old one (it
// is collected). It returns the weak pointers to the old associations of
// p's peers, for the caller to check after it dropped its own.
func compactMoves(t *testing.T, p *peer) {
	t.Helper()
	rec := &movedRecorder{Handler: p.sw.Handler}
	p.setHandler(rec)
	defer p.setHandler(rec.Handler)
	var olds []weak.Pointer[Conn]
	var addrs []string
	var mem []uintptr // where each one's address key and read CID were
	want := 0
	p.ep.Conns(func(c *Conn) {
		olds = append(olds, weak.Make(c))
		addrs = append(addrs, string(c.Addr()))
		mem = append(mem, dataOf(c.Addr()), dataOf(c.ReadCID()))
		if !c.hs.running() && c.state != StateClosing {
			want++
		}
	})
	n := p.ep.Compact(true)
	if len(rec.moved) != want || n != want {
		t.Fatalf("%s: %d associations reported moved, Compact says %d, want %d", p.name, len(rec.moved), n, want)
	}
	for i, a := range addrs {
		nc := p.ep.Conn([]byte(a))
		if nc == nil {
			t.Fatalf("%s: association of %q gone after Compact", p.name, a)
		}
		o := olds[i].Value()
		if o == nc {
			continue // in a handshake or closing: stays
		}
		if o != nil && !o.Removed() {
			t.Fatalf("%s: the old association of %q was not cleared", p.name, a)
		}
		// The small objects it keeps move with it (else they pin pages).
		if dataOf(nc.Addr()) == mem[2*i] || mem[2*i+1] != 0 && dataOf(nc.ReadCID()) == mem[2*i+1] {
			t.Fatalf("%s: the association of %q kept its old address key or connection ID", p.name, a)
		}
	}
	rec.moved = nil
	runtime.GC()
	for i, a := range addrs {
		if o := olds[i].Value(); o != nil && o != p.ep.Conn([]byte(a)) {
			t.Fatalf("%s: the old association of %q is still reachable after Compact", p.name, a)
		}
	}
}

func dataOf(b []byte) uintptr {
	if len(b) == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&b[0]))
}

// Moved associations go on as if nothing happened: data both ways, a
// renegotiation (a KeyUpdate in 1.3), a change of address followed by
// connection ID, close_notify both ways.
func TestCompactMovesIdleAssociations(t *testing.T) {
	for _, v13 := range []bool{false, true} {
		for _, ecdhe := range []bool{false, true} {
			t.Run(fmt.Sprintf("dtls13=%v/ecdhe=%v", v13, ecdhe), func(t *testing.T) {
				ccfg := Config{}
				if v13 {
					ccfg.MaxVersion = protocol.VersionDTLS13
				}
				cl, sv, l := pair(t, 900, ccfg, Config{})
				useCredentials(cl, sv, ecdhe)
				sv.echo = true
				handshakeOK(t, cl, sv, l, 5*time.Second)
				exchange(t, cl, sv, l, "before the move")
				cid := sv.conn(cl).ReadCID()
				compactMoves(t, sv)
				compactMoves(t, cl)
				if got := sv.conn(cl).ReadCID(); string(got) != string(cid) {
					t.Fatalf("read CID %x after the move, want %x", got, cid)
				}
				exchange(t, cl, sv, l, "after the move")
				before := len(cl.received)
				sv.ep.Write(cl.addr, [][]byte{[]byte("server push")}, l.now)
				l.run(func() bool { return len(cl.received) > before }, time.Second)
				if len(cl.received) == before || string(cl.received[before]) != "server push" {
					t.Fatalf("server write after the move did not arrive")
				}

				if err := cl.ep.Renegotiate(sv.addr, l.now); err != nil {
					t.Fatalf("Renegotiate: %v", err)
				}
				l.run(func() bool {
					return cl.countEvent(protocol.LevelInternal, protocol.EventConnected) == 2
				}, 5*time.Second)
				if n := cl.countEvent(protocol.LevelInternal, protocol.EventConnected); n != 2 {
					t.Fatalf("client saw %d connected events, want 2 (renegotiation after the move)", n)
				}
				compactMoves(t, sv)
				exchange(t, cl, sv, l, "after renegotiating")

				if len(cid) > 0 {
					compactMoves(t, sv)
					moveClient(l, cl, "client-after-nat")
					exchange(t, cl, sv, l, "from a new address")
					if sv.ep.Conn(cl.addr) == nil {
						t.Fatalf("the moved association did not follow its connection ID")
					}
				}

				compactMoves(t, cl)
				compactMoves(t, sv)
				if err := cl.ep.Close(sv.addr, l.now); err != nil {
					t.Fatalf("Close: %v", err)
				}
				if !l.run(noConns(cl, sv), 10*time.Second) {
					t.Fatalf("associations left after close: client %d, server %d", cl.numConns(), sv.numConns())
				}
			})
		}
	}
}

// A timer survives the move: the server's final flight, held after the
// handshake, is released on the moved association. A closing association
// stays where it is (it ends soon), and its close times out.
func TestCompactKeepsTimers(t *testing.T) {
	skipIfCompacting(t)
	cl, sv, l := pskPair(t, 910, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if c := sv.conn(cl); c == nil || c.heapIdx < 0 || c.holdUntil == 0 {
		t.Fatalf("the server holds no final flight on a timer")
	}
	compactMoves(t, sv)
	c := sv.conn(cl)
	if c == nil || c.heapIdx < 0 || sv.ep.timers[c.heapIdx] != c {
		t.Fatalf("the timer heap does not point at the moved association")
	}
	if c.InPlace() {
		t.Fatalf("a moved association is marked as left in place")
	}
	if !l.run(func() bool { return c.flight == nil && c.heapIdx < 0 }, time.Minute) {
		t.Fatalf("the moved association did not release its final flight")
	}

	delete(l.peers, string(cl.addr)) // the client goes silent
	if err := sv.ep.Close(cl.addr, l.now); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if c.heapIdx < 0 || c.State() != StateClosing {
		t.Fatalf("the closing association has no timer")
	}
	compactMoves(t, sv)
	if sv.conn(cl) != c || !c.InPlace() {
		t.Fatalf("a closing association moved, or is not marked as left in place")
	}
	if !l.run(noConns(sv), time.Minute) {
		t.Fatalf("the close did not time out")
	}
}

// Associations in a handshake stay where they are, and the handshake
// completes; the list of half-open handshakes keeps naming them.
func TestCompactLeavesHandshakes(t *testing.T) {
	cl, sv, l := pskPair(t, 920, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	if _, err := cl.ep.Connect(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	// Until the server has an association in its handshake.
	l.run(func() bool { c := sv.conn(cl); return c != nil && c.hs.running() }, time.Second)
	c := sv.conn(cl)
	if c == nil {
		t.Fatalf("no server association in a handshake")
	}
	compactMoves(t, sv)
	compactMoves(t, cl)
	if sv.conn(cl) != c || !c.InPlace() {
		t.Fatalf("an association in a handshake was moved, or is not marked as left in place")
	}
	sv.ep.Compact(false)
	if !c.InPlace() {
		t.Fatalf("rebuilding the indexes forgot that the last move left an association in place")
	}
	found := false
	for _, h := range sv.ep.halfOpen {
		found = found || h == c
	}
	if !found {
		t.Fatalf("the half-open list lost the handshake")
	}
	if !l.run(bothConnected(cl, sv), 5*time.Second) {
		t.Fatalf("the handshake did not complete after Compact")
	}
	exchange(t, cl, sv, l, "after the handshake")
}

// Many associations, more than the cipher cache keeps expanded: after the
// move the cache's list still orders them, every one works and evicts
// another's expanded keys as before.
func TestCompactManyAssociationsAndCipherCache(t *testing.T) {
	sv, cls, l := pskStar(t, 930, Config{MaxActiveCiphers: 3}, 12)
	for i := 0; i < 12; i += 3 {
		sv.ep.Reset(sv.conn(cls[i]))
	}
	// Holes on pages of the associations' size, as removals leave them:
	// a move must not fill them (the pages would stay) but use an array
	// of its own (slabs).
	type assoc = struct {
		c  Conn
		hs server12
	}
	junk := make([]*assoc, 4096)
	for i := range junk {
		junk[i] = new(assoc)
	}
	for i := 0; i < len(junk); i += 2 {
		junk[i] = nil
	}
	runtime.GC()
	compactMoves(t, sv)
	checkCipherCache(t, sv.ep)
	runtime.KeepAlive(junk)
	// Moved associations left the cache: their expanded keys went.
	sv.ep.Conns(func(c *Conn) {
		if c.rl.Expanded() {
			t.Fatalf("a moved association kept its expanded keys")
		}
	})
	// The moved server associations share one array, packed.
	var lo, hi uintptr
	sv.ep.Conns(func(c *Conn) {
		p := uintptr(unsafe.Pointer(c))
		if lo == 0 || p < lo {
			lo = p
		}
		hi = max(hi, p)
	})
	var one assoc
	if n := sv.ep.NumConns(); hi-lo != uintptr(n-1)*unsafe.Sizeof(one) {
		t.Fatalf("%d moved associations span %d bytes, want %d (one array)", n, hi-lo, uintptr(n-1)*unsafe.Sizeof(one))
	}
	for round := 0; round < 2; round++ {
		for i, cl := range cls {
			if i%3 == 0 {
				continue
			}
			exchange(t, cl, sv, l, fmt.Sprintf("round %d from %d", round, i))
			checkCipherCache(t, sv.ep)
			if !compactEveryStep && !sv.conn(cl).rl.Expanded() {
				t.Fatalf("the association in use has no expanded keys")
			}
		}
		compactMoves(t, sv)
	}
}

// checkCipherCache walks e's cipher cache: the list is sound and every
// entry is an association of e.
func checkCipherCache(t *testing.T, e *Endpoint) {
	t.Helper()
	live := map[*Conn]bool{}
	e.Conns(func(c *Conn) { live[c] = true })
	layers, ok := e.ciphers.Layers()
	if !ok || len(layers) > e.ciphers.Max {
		t.Fatalf("cipher cache: %d entries (list sound: %v), max %d", len(layers), ok, e.ciphers.Max)
	}
	for i, l := range layers {
		found := false
		for c := range live {
			found = found || &c.rl == l
		}
		if !found {
			t.Fatalf("cipher cache: entry %d is not an association of the endpoint", i)
		}
	}
}

// Without move, Compact rebuilds the indexes only: the same *Conn, no
// ConnMoved, and the association works on.
func TestCompactWithoutMove(t *testing.T) {
	cl, sv, l := pskPair(t, 950, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	sv.echo = true
	handshakeOK(t, cl, sv, l, 5*time.Second)
	c := sv.conn(cl)
	rec := &movedRecorder{Handler: sv.sw.Handler}
	sv.setHandler(rec)
	n := sv.ep.Compact(false)
	if n != 0 || sv.conn(cl) != c || len(rec.moved) != 0 || c.Removed() {
		t.Fatalf("Compact(false) moved the association")
	}
	exchange(t, cl, sv, l, "after rebuilding the indexes")
}

// Compact from inside a call (a Handler's callback) does nothing: the call
// in progress still holds its associations.
func TestCompactInsideACallDoesNothing(t *testing.T) {
	skipIfCompacting(t)
	cl, sv, l := pskPair(t, 960, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	c := sv.conn(cl)
	h := &compactingReceiver{Handler: sv.sw.Handler, ep: sv.ep}
	sv.setHandler(h)
	exchange(t, cl, sv, l, "compact from the read callback")
	if h.calls == 0 {
		t.Fatalf("the read callback was not called")
	}
	if sv.conn(cl) != c || c.Removed() || h.refusedNot != 0 {
		t.Fatalf("Compact inside a call moved the association, or did not say it did nothing")
	}
	exchange(t, cl, sv, l, "and the association works on")
}

type compactingReceiver struct {
	Handler
	ep                *Endpoint
	calls, refusedNot int
}

func (h *compactingReceiver) Receive(c *Conn, data []byte) {
	h.calls++
	if h.ep.Compact(true) != -1 {
		h.refusedNot++
	}
	h.Handler.Receive(c, data)
}

// From its ConnMoved reports the Handler may call in, but a second
// Compact does nothing, an old *Conn is already cleared (a Reset of it
// does nothing), and an association it resets is not reported after.
type reportingHandler struct {
	Handler
	ep       *Endpoint
	olds     []*Conn
	moved    []*Conn
	removed  []*Conn
	sent     int
	resetNew bool
}

func (h *reportingHandler) ConnChanged(c *Conn, what Change) {
	switch what {
	case ConnMoved:
		h.moved = append(h.moved, c)
		h.ep.Compact(true)
		for _, old := range h.olds {
			h.ep.Reset(old)
		}
		if h.resetNew && len(h.moved) == 1 {
			h.ep.Conns(func(o *Conn) {
				if o != c && len(h.removed) == 0 {
					h.ep.Reset(o)
				}
			})
		}
	case ConnRemoved:
		h.removed = append(h.removed, c)
	}
	h.Handler.ConnChanged(c, what)
}

func (h *reportingHandler) Send(c *Conn, addr, dg []byte) int {
	h.sent++
	return h.Handler.Send(c, addr, dg)
}

func TestCompactReportsAreSafeToCallFrom(t *testing.T) {
	for _, resetNew := range []bool{false, true} {
		t.Run(fmt.Sprintf("resetNew=%v", resetNew), func(t *testing.T) {
			sv, _, _ := pskStar(t, 970, Config{}, 4)
			h := &reportingHandler{Handler: sv.sw.Handler, ep: sv.ep, resetNew: resetNew}
			sv.ep.Conns(func(c *Conn) { h.olds = append(h.olds, c) })
			sv.setHandler(h)
			sv.ep.Compact(true)
			want := 4
			if resetNew {
				want = 3
			}
			if len(h.moved) != want || sv.ep.NumConns() != want {
				t.Fatalf("%d reports, %d associations left, want %d", len(h.moved), sv.ep.NumConns(), want)
			}
			for _, c := range h.moved {
				if c.Removed() || sv.ep.Conn(c.Addr()) != c {
					t.Fatalf("a report passed a Conn that is not the association's")
				}
			}
			if resetNew && (len(h.removed) != 1 || h.sent != 1) || !resetNew && (len(h.removed) != 0 || h.sent != 0) {
				t.Fatalf("%d removed, %d datagrams sent (reset of a new association: %v)", len(h.removed), h.sent, resetNew)
			}
		})
	}
}

// Server associations are made in arrays, their address keys back to
// back: an array of five pages (the first ones shorter) gets pages (and
// one span structure of the Go runtime) of its own instead of one per
// page of small objects, which the runtime keeps for the largest heap it
// ever had. A 1.3 server's too. A move starts new arrays, so that the old
// ones can go.
func TestServerAssociationsAreMadeInArrays(t *testing.T) {
	if compactEveryStep {
		t.Skip("compacting after every step moves the associations")
	}
	sv, cls, _ := pskStar(t, 960, Config{}, 5)
	var conns []*Conn
	for _, cl := range cls {
		conns = append(conns, sv.conn(cl))
	}
	// Arrays of 1, 2, 4, ... up to about 100: the 4th and 5th in one of 4.
	if a := sv.ep.born.s12; cap(a) != 4 || len(a) != 2 || &a[0].c != conns[3] || &a[1].c != conns[4] {
		t.Fatalf("the creation array (%d of %d) does not hold the 4th and 5th association", len(a), cap(a))
	}
	for i := 1; i < len(conns); i++ {
		prev, cur := conns[i-1].Addr(), conns[i].Addr()
		if dataOf(cur) != dataOf(prev)+uintptr(len(prev)) {
			t.Fatalf("the address keys of associations %d and %d are not back to back", i-1, i)
		}
	}
	var s slabs
	for i := 0; i < 200; i++ {
		s.slot12(1)
	}
	// Up to five pages, the span of their own Go gives them, nearly full.
	if n := cap(s.s12) * int(unsafe.Sizeof(s.s12[0])); n > slabBytes || n <= slabBytes-int(unsafe.Sizeof(s.s12[0])) {
		t.Fatalf("creation arrays grow to %d bytes, want at most %d, less than one association short", n, slabBytes)
	}
	sv.ep.Compact(true)
	if sv.ep.born.s12 != nil || sv.ep.born.keys != nil {
		t.Fatalf("a move kept the creation arrays")
	}

	c13, s13, l13 := pair13(t, 961, false)
	handshakeOK(t, c13, s13, l13, 5*time.Second)
	if len(s13.ep.born.s13) != 1 || &s13.ep.born.s13[0].c != s13.conn(c13) {
		t.Fatalf("a 1.3 server association was not made in the creation array")
	}
}

// A removed 1.3 association drops what it pointed at and wipes its
// traffic secrets: its array, shared with live associations, keeps it.
func TestRemoved13ForgetsItsState(t *testing.T) {
	cl, sv, l := pair13(t, 970, false)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	exchange(t, cl, sv, l, "before the reset")
	c := sv.conn(cl)
	b := &c.hs.(*server13).base13
	secret := b.readSecret
	if len(secret) == 0 || b.reasm == nil {
		t.Fatalf("an established 1.3 association has no traffic secret or reassembler")
	}
	sv.ep.Reset(c)
	if !c.Removed() || b.readSecret != nil || b.writeSecret != nil || b.reasm != nil || b.rcvd != nil || b.finalACK != nil {
		t.Fatalf("a removed 1.3 association kept its secrets, reassembler or ACK lists")
	}
	for _, x := range secret {
		if x != 0 {
			t.Fatalf("a removed 1.3 association's traffic secret was not wiped")
		}
	}
}
