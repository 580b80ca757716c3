// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// A test peer: an Endpoint with a scripted application around it.
type peer struct {
	t    testing.TB
	name string
	addr []byte // our address as the other side sees it
	ep   *Endpoint
	net  *link
	// sw is the Endpoint's Handler: the peer itself, or what a test puts
	// in its place (setHandler).
	sw *handlerSwitch
	// legacy, if set, is a scripted peer that answers in ep's stead.
	legacy *legacyPeer

	caps     Capabilities
	identity []byte
	psk      map[string][]byte // identity -> key
	hint     []byte
	key      *ECDSAKey
	verify   func(x, y []byte) error
	params   func(p *UserParameters)
	echo     bool
	// writeResult, if set, is what the write callback reports for each
	// datagram (which still goes out); default its length.
	writeResult func(dg []byte) int
	// logLevel: messages up to this level (at least LogWarn) go to logs.
	logLevel LogLevel

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

func (p *peer) Send(c *Conn, addr []byte, datagram []byte) int {
	p.sentDgs++
	p.net.send(p, addr, datagram)
	if p.writeResult != nil {
		return p.writeResult(datagram)
	}
	return len(datagram)
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

// Every level is formatted, whatever is kept, so that each log line the
// tests reach is checked for formatting mistakes (core/textf marks them
// with "%!", as fmt does).
func (p *peer) LogEnabled(l LogLevel) bool { return true }

func (p *peer) Log(l LogLevel, msg string) {
	if strings.Contains(msg, "%!") {
		p.t.Errorf("%s: badly formatted log line: %q", p.name, msg)
	}
	if !p.verbose && l > max(LogWarn, p.logLevel) {
		return
	}
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

// compactEveryStep (TINYDTLS_TEST_COMPACT=1 in the environment; make
// test-go runs the package once so) compacts the receiving Endpoint after
// every datagram and timer: the whole suite then runs on associations that
// Endpoint.Compact keeps moving. Tests that hold a *Conn across steps skip
// (skipIfCompacting): Compact invalidates it by design.
var compactEveryStep = os.Getenv("TINYDTLS_TEST_COMPACT") == "1"

func skipIfCompacting(t *testing.T) {
	t.Helper()
	if compactEveryStep {
		t.Skip("holds a *Conn across steps, which Compact invalidates")
	}
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
	to      *peer
	srcAddr []byte // the sender's address when it sent
	data    []byte
	at      time.Duration
	order   int
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
		l.queue = append(l.queue, packet{to: to, srcAddr: from.addr, data: data, at: at, order: l.seq})
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
		if p.ep == nil {
			continue
		}
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
		if p.to.legacy != nil {
			p.to.legacy.receive(p.srcAddr, p.data)
			return true
		}
		p.to.ep.HandleDatagram(p.srcAddr, p.data, l.now)
		if compactEveryStep {
			p.to.ep.Compact(true)
		}
		return true
	}
	if haveTimer {
		if timer > l.now {
			l.now = timer
		}
		for _, p := range l.list {
			if p.ep == nil {
				continue
			}
			if d, ok := p.ep.NextDeadline(); ok && d <= l.now {
				p.ep.CheckRetransmit(l.now)
				if compactEveryStep {
					p.ep.Compact(true)
				}
			}
		}
		return true
	}
	return false
}

// next returns when the next datagram or timer is due, and false if nothing
// is pending.
func (l *link) next() (time.Duration, bool) {
	var at time.Duration
	pending := false
	pick := func(t time.Duration) {
		if !pending || t < at {
			at, pending = t, true
		}
	}
	for _, p := range l.queue {
		pick(p.at)
	}
	for _, p := range l.list {
		if p.ep == nil {
			continue
		}
		if d, ok := p.ep.NextDeadline(); ok {
			pick(d)
		}
	}
	return at, pending
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

// pskStar builds, on a new link, a PSK server at "server" that echoes
// (its Config cfg) and n PSK clients "client-0"... connected to it.
func pskStar(t testing.TB, seed int64, cfg Config, n int) (*peer, []*peer, *link) {
	t.Helper()
	l := newLink(t, seed)
	sv := newPeer(t, l, "server", cfg, seed+1)
	sv.usePSK("Client_identity", "secretPSK")
	sv.echo = true
	var cls []*peer
	for i := 0; i < n; i++ {
		cl := newPeer(t, l, fmt.Sprintf("client-%d", i), Config{}, seed+10+int64(i))
		cl.usePSK("Client_identity", "secretPSK")
		handshakeOK(t, cl, sv, l, 5*time.Second)
		cls = append(cls, cl)
	}
	return sv, cls, l
}

// newPeer adds a peer at address name to the link.
func newPeer(t testing.TB, l *link, name string, cfg Config, seed int64) *peer {
	p := &peer{t: t, name: name, addr: []byte(name)}
	if cfg.Rand == nil {
		cfg.Rand = rand.New(rand.NewSource(seed))
	}
	p.sw = &handlerSwitch{p}
	p.ep = New(cfg, p.sw)
	l.add(p)
	return p
}

// handlerSwitch forwards to a Handler a test may replace.
type handlerSwitch struct{ Handler }

// setHandler makes h the Handler of p's Endpoint (h usually wraps p).
func (p *peer) setHandler(h Handler) { p.sw.Handler = h }

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
	return func() bool { return p.established(other) }
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
	if cl.legacy != nil {
		cl.connect(sv, l.now)
	} else if _, err := cl.ep.Connect(sv.addr, l.now); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if !l.run(bothConnected(cl, sv), limit) {
		t.Fatalf("handshake did not complete by %v\nclient events %v\nserver events %v\n%s%s",
			l.now, cl.events, sv.events, cl.logs.String(), sv.logs.String())
	}
}

// bothConnected holds once a and b both have an established association
// with each other.
func bothConnected(a, b *peer) func() bool { return both(connected(a, b), connected(b, a)) }

// noConns holds once none of peers has an association left.
func noConns(peers ...*peer) func() bool {
	return func() bool {
		for _, p := range peers {
			if p.numConns() != 0 {
				return false
			}
		}
		return true
	}
}

// drain runs the link until no datagram is in flight.
func (l *link) drain() { l.run(func() bool { return len(l.queue) == 0 }, time.Second) }

// exchange has cl send msg to sv, which must echo it, and fails the test
// unless the echo arrives.
func exchange(t testing.TB, cl, sv *peer, l *link, msg string) {
	t.Helper()
	before := len(cl.received)
	if n, err := cl.write(sv, []byte(msg), l.now); err != nil || n != len(msg) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	l.run(func() bool { return len(cl.received) > before }, 5*time.Second)
	if len(cl.received) <= before || string(cl.received[before]) != msg {
		t.Fatalf("echo of %q not received (client got %q)", msg, cl.received)
	}
}

func strs(b [][]byte) []string {
	out := make([]string, len(b))
	for i, x := range b {
		out[i] = string(x)
	}
	return out
}

// ---------------------------------------------------------------------------
// Credentials

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// The built-in keys of upstream's example programs.
var (
	serverKey = ECDSAKey{
		Priv: unhex("D9E2707A72DA6A0504995C86EDDBE3EFC7F1CD74838F7570C8072D0A76261BD4"),
		X:    unhex("D055EE14084D6E0615599DB583913E4A3E4526A2704D61F27A4CCFBA9758EF9A"),
		Y:    unhex("B418B64AFE8030DA1DDCF4F42E2F2631D043B1FB03E22F4D17DE43F9F9ADEE70"),
	}
	clientKey = ECDSAKey{
		Priv: unhex("41C1CB6B51247A144321435B7A80E714896A33BBAD7294CA401455A194A949FA"),
		X:    unhex("36DFE2C6F9F2ED29DA0A9A8F62684E916375BA10300C28C5E47CFBF25FA58F52"),
		Y:    unhex("71A0D4FCDE1AB8785A3C786935A7CFABE93F987209DAED0B4FABC36FC772F829"),
	}
)

// useECDSA gives p the static key k and has it verify the other side's key
// (through p.verify, if set).
func (p *peer) useECDSA(k ECDSAKey) {
	p.key = &k
	p.caps.ECDSAKey = true
	p.caps.VerifyECDSAKey = true
}

// useCredentials gives a client and a server the credentials of upstream's
// example programs: their ECDSA keys if ecdhe, else their PSK.
func useCredentials(cl, sv *peer, ecdhe bool) {
	if ecdhe {
		cl.useECDSA(clientKey)
		sv.useECDSA(serverKey)
	} else {
		cl.usePSK("Client_identity", "secretPSK")
		sv.usePSK("Client_identity", "secretPSK")
	}
}

// pskPair: a client offering only suite id and an echoing server, with
// upstream's example PSK.
func pskPair(t *testing.T, seed int64, id protocol.CipherSuite) (*peer, *peer, *link) {
	cl, sv, l := pair(t, seed, Config{}, Config{})
	useCredentials(cl, sv, false)
	cl.params = onlySuites(id)
	sv.echo = true
	return cl, sv, l
}

// ecdhePair: both sides with keys and verification, as upstream's examples,
// and an echoing server.
func ecdhePair(t *testing.T, seed int64) (*peer, *peer, *link) {
	cl, sv, l := pair(t, seed, Config{}, Config{})
	useCredentials(cl, sv, true)
	sv.echo = true
	return cl, sv, l
}

// ---------------------------------------------------------------------------
// Looking into datagrams

// fragments returns the offset of every handshake fragment header in the
// epoch-0 handshake records of dg.
func fragments(dg []byte) []int {
	var offs []int
	for off := 0; off+13 <= len(dg); {
		n := int(dg[off+11])<<8 | int(dg[off+12])
		if dg[off] == byte(protocol.ContentHandshake) && dg[off+3] == 0 && dg[off+4] == 0 {
			for p := off + 13; p+12 <= off+13+n && p+12 <= len(dg); p += 12 + fragmentLength(dg[p:]) {
				offs = append(offs, p)
			}
		}
		off += 13 + n
	}
	return offs
}

// fragmentLength is the fragment_length of the handshake header at h[0].
func fragmentLength(h []byte) int { return int(h[9])<<16 | int(h[10])<<8 | int(h[11]) }

// findMessage returns the offset of the first plaintext handshake message of
// type t in an epoch-0 datagram, or -1.
func findMessage(dg []byte, t protocol.HandshakeType) int {
	for _, p := range fragments(dg) {
		if protocol.HandshakeType(dg[p]) == t {
			return p
		}
	}
	return -1
}

// corruptMessage makes the link pass the first epoch-0 handshake message of
// type mt that from sends through f, which may change its body in place;
// the record and handshake headers keep their lengths. The returned flag
// says whether it happened.
func corruptMessage(l *link, from *peer, mt protocol.HandshakeType, f func(body []byte)) *bool {
	done := new(bool)
	l.filter = func(p *peer, dg []byte) []byte {
		if p != from || *done {
			return dg
		}
		if i := findMessage(dg, mt); i >= 0 {
			f(dg[i+12 : i+12+fragmentLength(dg[i:])])
			*done = true
		}
		return dg
	}
	return done
}

// dropFromClientFlights makes cl leave the given messages out of its
// flights to sv for the rest of the test, renumbering the rest as a
// misbehaving client would: the link drops the records that carry them,
// renumbers the epoch-0 messages after them, and puts in place of cl's
// Finished record one with the number the Finished then has, sealed with
// cl's keys.
func dropFromClientFlights(t *testing.T, l *link, cl, sv *peer, types ...protocol.HandshakeType) {
	dropped := map[uint16]bool{}
	renumber := func(seq uint16) uint16 {
		n := seq
		for d := range dropped {
			if d < seq {
				n--
			}
		}
		return n
	}
	l.filter = func(from *peer, dg []byte) []byte {
		if from != cl {
			return dg
		}
		c := cl.conn(sv)
		var out []byte
		flight, top := false, uint16(0)
		for rest := dg; len(rest) > 0; {
			h, payload, r, ok := record.Parse(rest, record.FixedCIDLen(len(c.WriteCID())))
			if !ok {
				t.Fatalf("client datagram does not parse: % x", dg)
			}
			raw := append([]byte(nil), rest[:len(rest)-len(r)]...)
			rest = r
			switch {
			case h.Epoch == 0 && h.Type == protocol.ContentHandshake:
				hh, _, _, ok := handshake.ParseFragment(payload)
				if !ok {
					t.Fatalf("client handshake record does not parse: % x", raw)
				}
				flight, top = true, max(top, hh.MessageSeq)
				if contains(types, hh.Type) {
					dropped[hh.MessageSeq] = true
					continue
				}
				seq := renumber(hh.MessageSeq)
				off := len(raw) - len(payload) + 4 // message_seq in the handshake header
				raw[off], raw[off+1] = byte(seq>>8), byte(seq)
			case h.Epoch == 1 && flight:
				// The Finished of flight 5, after the messages above.
				raw = forge(t, c, 1, protocol.ContentHandshake,
					hsMsg(protocol.HandshakeFinished, renumber(top+1), clientVerify(c)))
			}
			out = append(out, raw...)
		}
		return out
	}
}
