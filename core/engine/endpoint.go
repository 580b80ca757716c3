// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"errors"
	"github.com/tinydtls-go/tinydtls/core/textf"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// Errors returned by Endpoint methods. Handshake failures are returned as
// protocol.Alert values.
var (
	ErrNoConn        = errors.New("dtls: no association for this address")
	ErrTooLarge      = errors.New("dtls: data does not fit in one record")
	ErrClosed        = errors.New("dtls: endpoint closed")
	ErrNoSuite       = errors.New("dtls: no cipher suite usable with the configured callbacks")
	ErrTooManyConns  = errors.New("dtls: association limit reached")
	ErrNotConnected  = errors.New("dtls: association not established")
	ErrNoRenegotiate = errors.New("dtls: peer does not support secure renegotiation")
	ErrClosing       = errors.New("dtls: the association is closing or closed")
)

// SendError is the negative result of Handler.Send, the application's write
// callback failing; callers hand it back to the application unchanged.
type SendError int

func (e SendError) Error() string {
	return textf.Sprintf("dtls: the write callback failed (%d)", int(e))
}

// Endpoint is one DTLS context: the associations of one socket, in both roles.
type Endpoint struct {
	cfg     Config
	h       Handler
	conns   map[string]*Conn
	cids    cidIndex
	timers  timerHeap
	cookie  cookieJar
	ciphers record.CipherCache
	born    slabs // where server associations and address keys are made

	handshakes int
	closed     bool
	compacting bool // Compact is reporting the associations it moved

	// A step per nesting level of calls (a handler calling back in),
	// reused: the outermost call's, then the nested ones'; depth of them
	// are in progress.
	outer  step
	nested []*step
	depth  int
	// Server associations created from a ClientHello, oldest first: the
	// candidates for eviction when the handshake limit is reached. Entries
	// that have since progressed or gone are skipped and dropped lazily.
	halfOpen []*Conn
}

// New creates an Endpoint.
func New(cfg Config, h Handler) *Endpoint {
	e := &Endpoint{
		cfg:   cfg.withDefaults(),
		h:     h,
		conns: make(map[string]*Conn),
	}
	e.outer.e = e
	e.ciphers.Max = e.cfg.MaxActiveCiphers
	e.cids = cidIndex{conns: make(map[string]*Conn), fallback: e.cfg.CIDLength}
	return e
}

// Config returns the effective configuration.
func (e *Endpoint) Config() Config { return e.cfg }

// Bounds of the settings an application may change at run time.
const (
	MinMTU             = 128
	MaxMTU             = 65507 // the largest UDP payload over IPv4
	MaxInitialTimeout  = 60 * time.Second
	MinRecordSizeLimit = 64 // RFC 8449 §4
)

// SetMTU changes the largest datagram the engine sends from now on.
func (e *Endpoint) SetMTU(mtu int) error {
	if mtu < MinMTU || mtu > MaxMTU {
		return textf.Errorf("dtls: MTU must be between %d and %d", MinMTU, MaxMTU)
	}
	e.cfg.MTU = mtu
	return nil
}

// SetInitialTimeout changes the first retransmission timeout for flights
// sent from now on.
func (e *Endpoint) SetInitialTimeout(d time.Duration) error {
	if d <= 0 || d > MaxInitialTimeout {
		return textf.Errorf("dtls: the initial timeout must be positive and at most %v", MaxInitialTimeout)
	}
	e.cfg.InitialTimeout = d
	e.cfg.MaxTimeout = max(e.cfg.MaxTimeout, d)
	return nil
}

// SetRecordSizeLimit changes the record_size_limit advertised in handshakes
// started from now on; 0 stops advertising it.
func (e *Endpoint) SetRecordSizeLimit(n int) error {
	if n != 0 && (n < MinRecordSizeLimit || n > protocol.MaxPlaintext) {
		return textf.Errorf("dtls: the record size limit must be 0, or between %d and %d", MinRecordSizeLimit, protocol.MaxPlaintext)
	}
	e.cfg.RecordSizeLimit = n
	return nil
}

// SetCIDLength changes the length of the connection IDs handed out in
// handshakes started from now on (0: ask clients to send without one).
func (e *Endpoint) SetCIDLength(n int) error {
	if n < 0 || n > protocol.MaxCIDLen {
		return textf.Errorf("dtls: a connection ID has at most %d bytes", protocol.MaxCIDLen)
	}
	e.cfg.CIDLength = n
	e.cids.fallback = n
	return nil
}

// SetVersions changes the range of protocol versions negotiated in
// handshakes started from now on (see Config.MinVersion; 0 takes the
// default). It refuses a bound that is not DTLS 1.2 or 1.3, and a minimum
// newer than the maximum.
func (e *Endpoint) SetVersions(min, max uint16) error {
	if err := checkVersions(min, max); err != nil {
		return err
	}
	e.cfg.MinVersion, e.cfg.MaxVersion = min, max
	return nil
}

// SetLimits changes the association limits; values <= 0 keep the current one.
func (e *Endpoint) SetLimits(maxConns, maxHandshakes int) {
	if maxConns > 0 {
		e.cfg.MaxConns = maxConns
	}
	if maxHandshakes > 0 {
		e.cfg.MaxHandshakes = maxHandshakes
	}
}

// NumConns returns the number of associations.
func (e *Endpoint) NumConns() int { return len(e.conns) }

// NumHandshakes returns the number of associations with a handshake in progress.
func (e *Endpoint) NumHandshakes() int { return e.handshakes }

// Conn returns the association for addr, or nil.
func (e *Endpoint) Conn(addr []byte) *Conn { return e.conns[string(addr)] }

// Conns calls f for every association; f must not add or remove associations.
func (e *Endpoint) Conns(f func(*Conn)) {
	for _, c := range e.conns {
		f(c)
	}
}

func (e *Endpoint) logf(l LogLevel, format string, args ...any) {
	if e.h.LogEnabled(l) {
		e.h.Log(l, textf.Sprintf(format, args...))
	}
}

// HandleDatagram processes every record of one received datagram. addr
// identifies the sender; the engine uses it as an opaque map key and as
// input to the cookie. It returns a protocol.Alert when a handshake failed
// and that alert was sent, nil otherwise (records that fail to parse or
// authenticate are dropped silently).
func (e *Endpoint) HandleDatagram(addr []byte, data []byte, now time.Duration) error {
	if e.closed {
		return ErrClosed
	}
	st := e.begin(now)
	defer e.finish(st)
	for len(data) > 0 && !e.closed {
		h, payload, rest, ok := record.Parse(data, &e.cids)
		if !ok {
			e.logf(LogDebug, "dropping %d bytes that do not form a record", len(data))
			break
		}
		data = rest
		e.route(st, addr, &h, payload)
	}
	return st.failed
}

// route hands a record to the association it is for: the one its
// connection ID names, or the one at addr. An epoch-0 ClientHello from an
// unknown address, or from a client that restarted, goes to the stateless
// path instead. The first handshake fragment of an epoch-0 record is
// parsed here, once, and handed on.
func (e *Endpoint) route(st *step, addr []byte, h *record.Header, payload []byte) {
	var c *Conn
	if h.Type == protocol.ContentTLS12CID || h.CID != nil && h.Unified() {
		c = e.cids.conns[string(h.CID)]
		if c == nil {
			e.logf(LogDebug, "dropping record for unknown connection ID")
			return
		}
	} else {
		c = e.conns[string(addr)]
	}
	if h.Type == protocol.ContentHandshake && h.Epoch == 0 {
		first := parseFragment(payload)
		if c == nil || first.restarts(c) {
			e.statelessClientHello(st, addr, c, h, payload, &first)
			return
		}
		c.receive(st, addr, h, payload, &first)
		return
	}
	if c == nil {
		e.logf(LogDebug, "dropping %v record from unknown peer", h.Type)
		return
	}
	c.receive(st, addr, h, payload, nil)
}

// fragment is the first handshake fragment of an epoch-0 record, parsed
// where the record arrives and handed on with it.
type fragment struct {
	parsed bool // the fields below are set
	ok     bool // it parsed
	hh     handshake.Header
	body   []byte
	rest   []byte // the record's content after it
}

// value is a copy of f to hand on, an empty one if f is nil. (Through an
// interface a pointer would escape, and the record path must not allocate;
// a fragment is handed on only with handshake records.)
func (f *fragment) value() fragment {
	if f == nil {
		return fragment{}
	}
	return *f
}

func parseFragment(payload []byte) fragment {
	hh, body, rest, ok := handshake.ParseFragment(payload)
	return fragment{parsed: true, ok: ok, hh: hh, body: body, rest: rest}
}

// next returns the fragment at the start of data: f if it was parsed there
// (and forgets it), else data's, parsed now.
func (f *fragment) next(data []byte) (hh handshake.Header, body, rest []byte, ok bool) {
	if f.parsed {
		f.parsed = false
		return f.hh, f.body, f.rest, f.ok
	}
	return handshake.ParseFragment(data)
}

// restarts reports whether f, arriving for the existing association c,
// holds a ClientHello that is neither a replay nor a retransmission of one
// c already handled: the client restarted (RFC 6347 §4.2.8) or a new
// client took over the address.
func (f *fragment) restarts(c *Conn) bool {
	if !f.ok || f.hh.Type != protocol.HandshakeClientHello || f.hh.FragmentOffset != 0 {
		return false
	}
	random, ok := handshake.ClientHelloRandom(f.body)
	return ok && c.hs.restartedBy(random)
}

// Connect starts a client handshake with addr. It returns, as upstream
// does, how much of the ClientHello message the write callback reported
// sent (0 if it reported 0), or 0 when an association already exists and is
// established or still shaking hands. EventConnect is reported only when
// some of the ClientHello left. A failing write callback ends the attempt
// with its SendError.
func (e *Endpoint) Connect(addr []byte, now time.Duration) (int, error) {
	return e.connect(addr, false, now)
}

// Reconnect starts a client handshake with addr like Connect, but first
// drops an association that already exists there, without telling the peer
// (upstream's dtls_connect_peer: a close_notify could draw an answer that
// would then meet the new handshake).
func (e *Endpoint) Reconnect(addr []byte, now time.Duration) (int, error) {
	return e.connect(addr, true, now)
}

func (e *Endpoint) connect(addr []byte, replace bool, now time.Duration) (int, error) {
	if e.closed {
		return 0, ErrClosed
	}
	st := e.begin(now)
	defer e.finish(st)
	if c := e.conns[string(addr)]; c != nil {
		if !replace && c.state != StateClosing && c.state != StateClosed {
			return 0, nil
		}
		c.end(st, replaced)
	}
	if len(e.conns) >= e.cfg.MaxConns || e.handshakes >= e.cfg.MaxHandshakes {
		return 0, ErrTooManyConns
	}
	c, cl := e.newClient(addr)
	sent, err := cl.start(st, false)
	if err != nil {
		c.end(st, replaced)
		return 0, err
	}
	n := 0
	if c.flight != nil && len(c.flight.msgs) == 1 {
		// The first flight is the ClientHello alone, in one record.
		msg := handshake.HeaderLen + len(c.flight.msgs[0].body)
		n = payloadSent(msg, record.HeaderLen+msg, sent)
	}
	if !c.removed && n > 0 {
		e.h.Event(c, protocol.LevelInternal, protocol.EventConnect)
	}
	return n, nil
}

// Write sends application data to addr as one record. With no association
// it starts a handshake and returns 0, as upstream does; with a handshake in
// progress it returns 0 and sends nothing; a closing or closed association
// refuses with ErrClosing (and a log line). Data that does not fit in one
// record is refused with ErrTooLarge.
func (e *Endpoint) Write(addr []byte, bufs [][]byte, now time.Duration) (int, error) {
	if e.closed {
		return 0, ErrClosed
	}
	c := e.conns[string(addr)]
	if c == nil {
		_, err := e.Connect(addr, now)
		return 0, err
	}
	st := e.begin(now)
	defer e.finish(st)
	return c.write(st, bufs)
}

// Close sends close_notify to addr and removes the association when the
// peer answers or after Config.CloseTimeout.
func (e *Endpoint) Close(addr []byte, now time.Duration) error {
	c := e.conns[string(addr)]
	if c == nil {
		return ErrNoConn
	}
	st := e.begin(now)
	defer e.finish(st)
	c.startClosing(st)
	return nil
}

// Renegotiate starts a new handshake on an established association: a new
// ClientHello from a client, a HelloRequest from a server (RFC 5246 §7.4.1.1).
func (e *Endpoint) Renegotiate(addr []byte, now time.Duration) error {
	c := e.conns[string(addr)]
	if c == nil {
		return ErrNoConn
	}
	st := e.begin(now)
	defer e.finish(st)
	return c.renegotiate(st)
}

// Reset removes an association at once, sending close_notify if it was
// neither closing nor closed.
func (e *Endpoint) Reset(c *Conn) {
	if c == nil || c.removed || c.e != e {
		return
	}
	st := e.begin(0)
	defer e.finish(st)
	c.end(st, reset)
}

// Free sends close_notify to every established association and removes them
// all. The Endpoint cannot be used afterwards.
func (e *Endpoint) Free() {
	if e.closed {
		return
	}
	st := e.begin(0)
	defer e.finish(st)
	all := make([]*Conn, 0, len(e.conns))
	for _, c := range e.conns {
		all = append(all, c)
	}
	for _, c := range all {
		c.end(st, reset)
	}
	e.closed = true
	e.born = slabs{}
}

// CheckRetransmit runs every timer that is due: flight retransmissions,
// abandoned handshakes, closing associations. It returns the next deadline,
// and false when no timer is pending.
func (e *Endpoint) CheckRetransmit(now time.Duration) (time.Duration, bool) {
	if e.closed {
		return 0, false
	}
	st := e.begin(now)
	defer e.finish(st)
	for len(e.timers) > 0 && e.timers[0].deadline <= now && !e.closed {
		c := e.timers[0]
		c.onTimer(st)
		if !c.removed && c.heapIdx == 0 && c.deadline <= now {
			// A timer that does not move would spin forever.
			e.logf(LogCrit, "timer of %s did not advance; clearing it", c)
			e.timers.remove(c)
		}
	}
	if len(e.timers) == 0 {
		return 0, false
	}
	return e.timers[0].deadline, true
}

// NextDeadline returns the earliest pending timer without running anything.
func (e *Endpoint) NextDeadline() (time.Duration, bool) {
	if len(e.timers) == 0 {
		return 0, false
	}
	return e.timers[0].deadline, true
}

// evictHalfOpen removes the oldest half-open server handshake to make room
// for a new client. The application hears of it as a timed-out handshake.
func (e *Endpoint) evictHalfOpen(st *step) {
	for len(e.halfOpen) > 0 {
		c := e.halfOpen[0]
		e.halfOpen[0] = nil
		e.halfOpen = e.halfOpen[1:]
		if c.hs.halfOpen() {
			e.logf(LogInfo, "handshake limit reached; dropping the oldest half-open handshake")
			c.end(st, abandoned)
			return
		}
	}
}

// trimHalfOpen drops entries that can no longer be evicted, so the list
// stays proportional to the handshakes in progress.
func (e *Endpoint) trimHalfOpen() {
	if len(e.halfOpen) < 64 || len(e.halfOpen) < 2*e.handshakes {
		return
	}
	e.dropStaleHalfOpen()
}

// dropStaleHalfOpen keeps only the entries that are associations of the
// Endpoint still in a half-open handshake (not removed, not replaced or
// moved by Compact).
func (e *Endpoint) dropStaleHalfOpen() {
	keep := e.halfOpen[:0]
	for _, c := range e.halfOpen {
		if !c.removed && e.conns[c.addr] == c && c.hs.halfOpen() {
			keep = append(keep, c)
		}
	}
	clear(e.halfOpen[len(keep):])
	e.halfOpen = keep
}

// newClient creates a client association; newServer a server one. The
// handshaker of the role and version is chosen here, once, and allocated
// with the association: a client that offers DTLS 1.3 starts with client13
// (which hands the association to a client12 if the server chooses 1.2),
// a server gets the handshaker of the version the ClientHello chose.
func (e *Endpoint) newClient(addr []byte) (*Conn, clientStart) {
	if _, hi := e.cfg.versions(RoleClient); hi >= 13 {
		a := new(struct {
			c  Conn
			hs client13
		})
		a.hs.base13 = base13{c: &a.c}
		e.addConn(&a.c, addr, &a.hs)
		return &a.c, &a.hs
	}
	a := new(struct {
		c  Conn
		hs client12
	})
	a.hs.base12 = base12{c: &a.c}
	e.addConn(&a.c, addr, &a.hs)
	return &a.c, &a.hs
}

// clientStart is how a client handshake begins: the first ClientHello,
// and what the write callback reported sent of it.
type clientStart interface {
	start(st *step, reneg bool) (int, error)
}

func (e *Endpoint) newServer13(addr []byte) (*Conn, *server13) {
	a := e.born.slot13(1)
	a.hs.base13 = base13{c: &a.c}
	e.addConn(&a.c, addr, &a.hs)
	return &a.c, &a.hs
}

func (e *Endpoint) newServer(addr []byte) (*Conn, *server12) {
	a := e.born.slot12(1)
	a.hs.base12 = base12{c: &a.c}
	e.addConn(&a.c, addr, &a.hs)
	return &a.c, &a.hs
}

func (e *Endpoint) addConn(c *Conn, addr []byte, hs handshaker) {
	c.e, c.addr, c.hs, c.heapIdx = e, e.born.key(string(addr)), hs, -1
	c.rl.Init(&e.ciphers)
	e.conns[c.addr] = c
	e.trimHalfOpen()
	e.h.ConnChanged(c, ConnCreated)
}
