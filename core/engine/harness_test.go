package engine

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// A test peer: an Endpoint with a scripted application around it.
type peer struct {
	t    testing.TB
	name string
	addr []byte // our address as the other side sees it
	ep   *Endpoint
	net  *link

	caps     Capabilities
	identity []byte
	psk      map[string][]byte // identity -> key
	hint     []byte
	key      *ECDSAKey
	verify   func(x, y []byte) error
	params   func(p *UserParameters)
	echo     bool

	received [][]byte
	events   []event
	sentDgs  int
	logs     bytes.Buffer
	verbose  bool
	seenKeys [][2][]byte
}

type event struct {
	level protocol.AlertLevel
	code  uint16
}

func (p *peer) Send(c *Conn, addr []byte, datagram []byte) error {
	p.sentDgs++
	p.net.send(p, addr, datagram)
	return nil
}

func (p *peer) Receive(c *Conn, data []byte) {
	p.received = append(p.received, append([]byte(nil), data...))
	if p.echo {
		p.ep.Write(c.Addr(), [][]byte{data}, p.net.now)
	}
}

func (p *peer) Event(c *Conn, level protocol.AlertLevel, code uint16) {
	p.events = append(p.events, event{level, code})
}

func (p *peer) Capabilities(c *Conn) Capabilities { return p.caps }

func (p *peer) UserParameters(c *Conn, up *UserParameters) {
	if p.params != nil {
		p.params(up)
	}
}

func (p *peer) PSKInfo(c *Conn, t CredentialType, desc []byte, out []byte) (int, error) {
	switch t {
	case PSKHint:
		return copy(out, p.hint), nil
	case PSKIdentity:
		return copy(out, p.identity), nil
	case PSKKey:
		k, ok := p.psk[string(desc)]
		if !ok {
			return 0, protocol.Fatal(protocol.AlertDecryptError)
		}
		if len(k) > len(out) {
			return 0, protocol.Fatal(protocol.AlertInternalError)
		}
		return copy(out, k), nil
	}
	return 0, protocol.Fatal(protocol.AlertInternalError)
}

func (p *peer) ECDSAKey(c *Conn) (ECDSAKey, error) {
	if p.key == nil {
		return ECDSAKey{}, protocol.Fatal(protocol.AlertInternalError)
	}
	return *p.key, nil
}

func (p *peer) VerifyECDSAKey(c *Conn, x, y []byte) error {
	p.seenKeys = append(p.seenKeys, [2][]byte{append([]byte(nil), x...), append([]byte(nil), y...)})
	if p.verify != nil {
		return p.verify(x, y)
	}
	return nil
}

func (p *peer) ConnChanged(c *Conn, what Change) {}

func (p *peer) LogEnabled(l LogLevel) bool { return p.verbose || l <= LogWarn }

func (p *peer) Log(l LogLevel, msg string) {
	fmt.Fprintf(&p.logs, "%s %v: %s\n", p.name, p.net.now, msg)
	if p.verbose {
		p.t.Logf("%s %v: %s", p.name, p.net.now, msg)
	}
}

func (p *peer) hasEvent(level protocol.AlertLevel, code uint16) bool {
	for _, e := range p.events {
		if e.level == level && e.code == code {
			return true
		}
	}
	return false
}

func (p *peer) countEvent(level protocol.AlertLevel, code uint16) int {
	n := 0
	for _, e := range p.events {
		if e.level == level && e.code == code {
			n++
		}
	}
	return n
}

// link is a simulated network between peers with a deterministic, seeded
// impairment model. Datagrams to an address without a peer vanish.
type link struct {
	t        testing.TB
	a, b     *peer // the first two peers, for two-party tests
	peers    map[string]*peer
	list     []*peer
	now      time.Duration
	queue    []packet
	rng      *rand.Rand
	loss     float64 // probability a datagram is dropped
	dup      float64 // probability a datagram is duplicated
	reorder  float64 // probability a datagram is delayed behind later ones
	delay    time.Duration
	jitter   time.Duration
	filter   func(from *peer, dg []byte) []byte // may rewrite or drop (nil)
	tap      func(from *peer, dg []byte)
	seq      int
	dropped  int
	delivers int
}

type packet struct {
	from, to *peer
	srcAddr  []byte
	data     []byte
	at       time.Duration
	order    int
}

func newLink(t testing.TB, seed int64) *link {
	return &link{t: t, rng: rand.New(rand.NewSource(seed)), delay: time.Millisecond, peers: map[string]*peer{}}
}

func (l *link) add(p *peer) {
	p.net = l
	l.peers[string(p.addr)] = p
	l.list = append(l.list, p)
	if l.a == nil {
		l.a = p
	} else if l.b == nil {
		l.b = p
	}
}

func (l *link) other(p *peer) *peer {
	if p == l.a {
		return l.b
	}
	return l.a
}

func (l *link) send(from *peer, addr []byte, dg []byte) {
	to := l.peers[string(addr)]
	data := append([]byte(nil), dg...)
	if l.tap != nil {
		l.tap(from, data)
	}
	if to == nil {
		l.dropped++
		return
	}
	if l.filter != nil {
		data = l.filter(from, data)
		if data == nil {
			l.dropped++
			return
		}
	}
	if l.loss > 0 && l.rng.Float64() < l.loss {
		l.dropped++
		return
	}
	n := 1
	if l.dup > 0 && l.rng.Float64() < l.dup {
		n = 2
	}
	for i := 0; i < n; i++ {
		at := l.now + l.delay
		if l.jitter > 0 {
			at += time.Duration(l.rng.Int63n(int64(l.jitter)))
		}
		if l.reorder > 0 && l.rng.Float64() < l.reorder {
			at += 20 * time.Millisecond
		}
		l.seq++
		l.queue = append(l.queue, packet{from: from, to: to, srcAddr: from.addr, data: data, at: at, order: l.seq})
	}
}

// step delivers the next datagram or, if none is due first, runs the next
// timer. It reports false when nothing at all is pending.
func (l *link) step() bool {
	next := -1
	for i, p := range l.queue {
		if next < 0 || p.at < l.queue[next].at || p.at == l.queue[next].at && p.order < l.queue[next].order {
			next = i
		}
	}
	var timer time.Duration
	haveTimer := false
	for _, p := range l.list {
		if d, ok := p.ep.NextDeadline(); ok && (!haveTimer || d < timer) {
			timer, haveTimer = d, true
		}
	}
	if next >= 0 && (!haveTimer || l.queue[next].at <= timer) {
		p := l.queue[next]
		l.queue[next] = l.queue[len(l.queue)-1]
		l.queue = l.queue[:len(l.queue)-1]
		if p.at > l.now {
			l.now = p.at
		}
		l.delivers++
		p.to.ep.HandleDatagram(p.srcAddr, p.data, l.now)
		return true
	}
	if haveTimer {
		if timer > l.now {
			l.now = timer
		}
		for _, p := range l.list {
			if d, ok := p.ep.NextDeadline(); ok && d <= l.now {
				p.ep.CheckRetransmit(l.now)
			}
		}
		return true
	}
	return false
}

// run steps until cond holds, nothing is pending, or the step budget or
// simulated time limit runs out.
func (l *link) run(cond func() bool, limit time.Duration) bool {
	start := l.now
	for i := 0; i < 200000; i++ {
		if cond != nil && cond() {
			return true
		}
		if l.now-start > limit {
			return false
		}
		if !l.step() {
			return cond != nil && cond()
		}
	}
	l.t.Fatalf("step budget exhausted")
	return false
}

// pair builds a client and a server on one link. The client is at
// address "client", the server at "server".
func pair(t testing.TB, seed int64, ccfg, scfg Config) (*peer, *peer, *link) {
	l := newLink(t, seed)
	cl := newPeer(t, l, "client", ccfg, seed+1)
	sv := newPeer(t, l, "server", scfg, seed+2)
	return cl, sv, l
}

// newPeer adds a peer at address name to the link.
func newPeer(t testing.TB, l *link, name string, cfg Config, seed int64) *peer {
	p := &peer{t: t, name: name, addr: []byte(name)}
	if cfg.Rand == nil {
		cfg.Rand = rand.New(rand.NewSource(seed))
	}
	p.ep = New(cfg, p)
	l.add(p)
	return p
}

func (p *peer) usePSK(identity, key string) {
	p.caps.PSK = true
	p.identity = []byte(identity)
	if p.psk == nil {
		p.psk = map[string][]byte{}
	}
	p.psk[identity] = []byte(key)
}

func onlySuites(ids ...protocol.CipherSuite) func(*UserParameters) {
	return func(p *UserParameters) { p.CipherSuites = ids }
}

func (p *peer) conn(other *peer) *Conn { return p.ep.Conn(other.addr) }

func connected(p, other *peer) func() bool {
	return func() bool {
		c := p.conn(other)
		return c != nil && c.Established()
	}
}

func both(fs ...func() bool) func() bool {
	return func() bool {
		for _, f := range fs {
			if !f() {
				return false
			}
		}
		return true
	}
}

// handshakeOK connects cl to sv and fails the test unless both sides end up
// connected within the simulated time limit.
func handshakeOK(t testing.TB, cl, sv *peer, l *link, limit time.Duration) {
	t.Helper()
	if _, err := cl.ep.Connect(sv.addr, l.now); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if !l.run(both(connected(cl, sv), connected(sv, cl)), limit) {
		t.Fatalf("handshake did not complete by %v\nclient events %v\nserver events %v\n%s%s",
			l.now, cl.events, sv.events, cl.logs.String(), sv.logs.String())
	}
}
