// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"github.com/tinydtls-go/tinydtls/core/textf"
	"time"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// Conn is one association with one peer address. It drives its record
// layer (rl: the read and write halves) and its handshaker (hs: the
// handshake protocol in its role), and does what is neither: alerts,
// application data, flights and their timers, the end.
type Conn struct {
	e    *Endpoint
	addr string
	// App is free for the application (the C layer keeps its dtls_peer_t here).
	App any

	rl record.Layer
	hs handshaker

	flight *flight // the last flight we sent, while it may be needed

	deadline      time.Duration
	closeAt       time.Duration
	holdUntil     time.Duration
	prevReadUntil time.Duration

	// Small fields last, together: an idle association is mostly this
	// struct.
	heapIdx     int32 // in the Endpoint's timer heap, -1 if not
	state       State
	removed     bool
	established bool // completed at least one handshake
	inPlace     bool // the last move left it where it was (InPlace)
}

func (c *Conn) String() string {
	return textf.Sprintf("%s association (%s)", c.hs.role(), c.state)
}

// Addr returns the peer address key the association is stored under.
func (c *Conn) Addr() []byte { return unsafe.Slice(unsafe.StringData(c.addr), len(c.addr)) }

// Role returns whether we are client or server of this association.
func (c *Conn) Role() Role { return c.hs.role() }

// State returns the association's state as upstream reports it. During a
// renegotiation an association stays CONNECTED: it can carry data.
func (c *Conn) State() State { return c.state }

// Established reports whether a handshake completed and data can flow.
func (c *Conn) Established() bool { return c.established && c.state == StateConnected }

// Suite returns the negotiated cipher suite, or nil before the first
// ServerHello: the one the handshake in progress chose, else that of the
// current keys.
func (c *Conn) Suite() *suite.Suite {
	if s := c.hs.negotiated(); s != nil {
		return s
	}
	return c.rl.Out.Suite()
}

// Version returns the association's protocol version,
// protocol.VersionDTLS12 or protocol.VersionDTLS13, or 0 while a client
// that offered both has not learnt the server's choice.
func (c *Conn) Version() uint16 { return c.hs.version() }

// Removed reports whether the association has been removed from its Endpoint.
func (c *Conn) Removed() bool { return c.removed }

// InPlace reports whether the last Compact that moved associations left
// this one where it was (in a handshake, or closing).
func (c *Conn) InPlace() bool { return c.inPlace }

// WriteCID returns the connection ID we put on records to the peer.
func (c *Conn) WriteCID() []byte { return c.rl.Out.CID() }

// ReadCID returns the connection ID the peer puts on records to us.
func (c *Conn) ReadCID() []byte { return c.rl.In.CID() }

// Epoch returns the current read and write epochs.
func (c *Conn) Epoch() (read, write uint16) { return c.rl.In.Epoch(), c.rl.Out.Epoch() }

// WriteSeq returns the next record sequence number of the current write epoch.
func (c *Conn) WriteSeq() uint64 { return c.rl.Out.Seq() }

// MaxWrite returns the largest application payload one Write can carry.
func (c *Conn) MaxWrite() int {
	return c.maxContent(c.rl.Out.Epoch())
}

func (c *Conn) setState(s State) {
	if c.state == s {
		return
	}
	c.state = s
	c.e.h.ConnChanged(c, ConnStateChanged)
}

func (c *Conn) logf(l LogLevel, format string, args ...any) {
	if c.e.h.LogEnabled(l) {
		c.e.h.Log(l, textf.Sprintf(format, args...))
	}
}

// send hands one datagram to the application and returns the byte count
// its write callback reported; a negative count is also an error.
func (c *Conn) send(datagram []byte) (int, error) {
	n := c.e.h.Send(c, c.Addr(), datagram)
	if n < 0 {
		c.logf(LogWarn, "the write callback failed (%d) for a %d-byte datagram", n, len(datagram))
		return n, SendError(n)
	}
	return n, nil
}

// payloadSent estimates, as upstream does, how much of a payload of n bytes
// left in a datagram of dg bytes of which the write callback reported sent
// bytes: everything but what it did not send, never less than 0.
func payloadSent(n, dg, sent int) int {
	if sent <= 0 {
		return sent
	}
	return max(n-(dg-sent), 0)
}

// maxContent is the largest record content we may send in epoch n: what
// fits in one datagram, and no more than the peer accepts.
func (c *Conn) maxContent(n uint16) int {
	return min(c.e.cfg.MTU-c.rl.Out.Overhead(n), c.rl.Out.ContentLimit())
}

// seal finishes the record d (content appended to b), with its debug dump.
func (c *Conn) seal(b []byte, d *record.Draft) []byte {
	if c.debugOn() {
		c.dump("send header", d.Header(b))
		c.dump("send unencrypted", d.Content(b))
	}
	return c.rl.Seal(b, d)
}

// sendRecord sends content as one record of type t in the current epoch.
func (c *Conn) sendRecord(st *step, t protocol.ContentType, content []byte) error {
	var d record.Draft
	b, _ := c.rl.Begin(st.buf[:0], c.rl.Out.Epoch(), t, &d)
	b = append(b, content...)
	_, err := c.send(c.seal(b, &d))
	return err
}

func (c *Conn) sendAlert(st *step, a protocol.Alert) {
	var tmp [2]byte
	c.logf(LogDebug, "sending %v", a)
	c.sendRecord(st, protocol.ContentAlert, a.Marshal(tmp[:0]))
}

func (c *Conn) write(st *step, bufs [][]byte) (int, error) {
	total := 0
	for _, b := range bufs {
		total += len(b)
	}
	switch {
	case c.state == StateClosing || c.state == StateClosed:
		c.logf(LogWarn, "write refused: the association is %v; %d bytes not sent", c.state, total)
		return -1, ErrClosing
	case !c.Established():
		// Upstream's answer, which applications retry on: nothing is
		// queued during a handshake.
		c.logf(LogDebug, "write during the handshake: %d bytes not sent", total)
		return 0, nil
	}
	if max := c.maxContent(c.rl.Out.Epoch()); total > max {
		c.logf(LogWarn, "refusing to send %d bytes: more than the %d that fit in one record", total, max)
		return -1, ErrTooLarge
	}
	if c.rl.Out.Exhausted() || c.rl.Out.Seq() >= aeadLimit13 && c.hs.version() == protocol.VersionDTLS13 {
		if !c.removed {
			// A KeyUpdate not acknowledged yet may still come through.
			c.hs.keysAging(st)
		}
		return -1, ErrNotConnected
	}
	var d record.Draft
	b, _ := c.rl.Begin(st.buf[:0], c.rl.Out.Epoch(), protocol.ContentApplicationData, &d)
	for _, p := range bufs {
		b = append(b, p...)
	}
	rec := c.seal(b, &d)
	sent, err := c.send(rec)
	if c.rl.Out.Seq() >= keyUpdateAfter && !c.removed {
		c.hs.keysAging(st)
	}
	return payloadSent(total, len(rec), sent), err
}

// receive processes one record that reached the association from addr
// (first is its first handshake fragment if route parsed it), then the
// records the record layer kept for later if that record released them
// (ChangeCipherSpec, the end of the handshake): one after the other, never
// one inside another's processing.
func (c *Conn) receive(st *step, addr []byte, h *record.Header, payload []byte, first *fragment) {
	c.handleRecord(st, addr, h, payload, first, false)
	for !c.removed {
		list := c.rl.In.TakeReleased()
		if list == nil {
			return
		}
		for i := range list {
			if c.removed {
				return
			}
			p := &list[i]
			if p.Opened {
				c.handleAppData(&p.Header, p.Payload)
				continue
			}
			c.handleRecord(st, c.Addr(), &p.Header, p.Payload, nil, true)
		}
	}
}

// handleRecord opens one record and hands its content to whoever handles
// that content type; held: it comes from the record layer's buffer, not
// from the network just now.
func (c *Conn) handleRecord(st *step, addr []byte, h *record.Header, payload []byte, first *fragment, held bool) {
	switch {
	case h.Unified():
		if c.hs.version() == protocol.VersionDTLS12 {
			c.logf(LogDebug, "dropping DTLS 1.3 record on a DTLS 1.2 association")
			return
		}
	case h.Version != protocol.VersionDTLS12 &&
		!(h.Version == protocol.VersionDTLS10 && h.Epoch == 0 && h.Type == protocol.ContentHandshake):
		c.logf(LogDebug, "dropping record with version 0x%04x", h.Version)
		return
	}
	t, data, newest, res := c.rl.Open(h, payload)
	switch res {
	case record.NoEpoch:
		switch {
		case c.hs.awaitsEpoch(h.Epoch):
			c.holdRecord(h, payload, false)
		case c.hs.peerResendsLastFlight(h.Epoch, h.Type, payload, first.value()):
			// The peer did not get our final flight.
			st.noteDuplicate(c)
		default:
			c.logf(LogDebug, "dropping record of epoch %d", h.Epoch)
		}
		return
	case record.Replayed:
		c.logf(LogDebug, "dropping replayed record %d/%d", h.Epoch, h.Seq)
		return
	case record.NotAuthentic:
		c.authFailed(st, h, held)
		return
	case record.Malformed:
		return
	case record.Overflow:
		// RFC 6347 §4.1.1.1, RFC 8449 §4: an authentic record that is too
		// large ends the association.
		c.fail(st, protocol.Fatal(protocol.AlertRecordOverflow))
		return
	}
	c.e.logRecordReceived(h, t, data)
	if h.CID != nil && string(addr) != c.addr && newest {
		c.migrate(addr)
	}
	switch t {
	case protocol.ContentHandshake:
		c.hs.handshakeRecord(st, h.Epoch, h.Seq, data, first.value())
	case protocol.ContentChangeCipherSpec:
		c.hs.changeCipherSpec(st, h.Epoch, data)
	case protocol.ContentAlert:
		c.handleAlert(st, h.Epoch, data)
	case protocol.ContentApplicationData:
		if h.Unified() && h.Epoch < epochApplication {
			// Early data (epoch 1), which we never accept, or data under
			// handshake keys.
			c.logf(LogDebug, "dropping application data of epoch %d", h.Epoch)
			return
		}
		c.handleAppData(h, data)
	case protocol.ContentACK:
		c.hs.ackRecord(st, h.Epoch, data)
	default:
		c.logf(LogDebug, "dropping record of unknown type %d", uint8(t))
	}
}

// authFailed handles a record that did not authenticate. It is dropped
// silently (RFC 6347 §4.1.2.7), with one exception: a handshake record of
// the handshake's new epoch after the peer's ChangeCipherSpec and before its
// Finished verified. That is the peer's Finished, and its failure means the
// two sides derived different keys (a wrong PSK, typically); waiting would
// only end in a timeout, and a peer like upstream tinydtls, which never
// retransmits on its own, would wait forever. So the handshake fails with
// bad_record_mac, as RFC 6347 allows, and the alert tells the peer. A
// forged record that arrives in that short window could do that too, but no
// more than a forged epoch-0 alert already can during a handshake (RFC
// 6347's design); one that arrived before the ChangeCipherSpec (replayed
// from the buffer now), or an application data record, cannot.
func (c *Conn) authFailed(st *step, h *record.Header, held bool) {
	if c.hs.awaitsPeerFinished(h.Epoch) && !held &&
		(h.Type == protocol.ContentHandshake || h.Type == protocol.ContentTLS12CID) {
		c.logf(LogWarn, "the peer's Finished record does not authenticate: %s", c.keyMismatch())
		c.fail(st, protocol.Fatal(protocol.AlertBadRecordMAC))
		return
	}
	c.logf(LogDebug, "dropping record %d/%d that does not authenticate", h.Epoch, h.Seq)
	if h.Unified() && !held && h.Epoch == c.rl.In.Epoch() {
		c.hs.forged(st)
	}
}

// keyMismatch explains a Finished that does not check out.
func (c *Conn) keyMismatch() string {
	if s := c.Suite(); s != nil && s.KeyExchange == suite.PSK {
		return "the peers probably use different pre-shared keys"
	}
	return "the peers derived different keys (a peer's bug, or an attacker)"
}

// holdRecord keeps a record for later in the record layer: sealed, of the
// epoch the peer's ChangeCipherSpec will start, or opened, application data
// that overtook the Finished.
func (c *Conn) holdRecord(h *record.Header, payload []byte, opened bool) {
	ok := false
	if opened {
		ok = c.rl.In.Hold(h, payload, c.e.cfg.MaxPendingRecords)
	} else {
		ok = c.rl.In.Buffer(h, payload, c.e.cfg.MaxPendingRecords)
	}
	if !ok {
		c.logf(LogDebug, "dropping early record of epoch %d: buffer full", h.Epoch)
	}
}

func (c *Conn) handleAlert(st *step, epoch uint16, data []byte) {
	a, ok := protocol.ParseAlert(data)
	if !ok {
		c.logf(LogDebug, "dropping malformed alert")
		return
	}
	if epoch == 0 && c.rl.In.Epoch() > 0 && !c.hs.firstRunning() {
		// Unauthenticated once we have keys: anyone could have sent it.
		c.logf(LogDebug, "ignoring unprotected %v", a)
		return
	}
	if a.Level != protocol.LevelWarning && a.Level != protocol.LevelFatal {
		c.logf(LogDebug, "dropping alert with level %d", uint8(a.Level))
		return
	}
	if a.Description != protocol.AlertCloseNotify && a.Description != protocol.AlertUserCanceled &&
		c.hs.version() == protocol.VersionDTLS13 {
		// RFC 8446 §6: in 1.3 every other alert is fatal, whatever its level.
		a.Level = protocol.LevelFatal
	}
	c.logf(LogInfo, "received %v", a)
	if f := c.flight; a.Level == protocol.LevelFatal && c.hs.running() && f != nil && f.finished() &&
		(a.Description == protocol.AlertBadRecordMAC || a.Description == protocol.AlertDecryptError) {
		c.logf(LogWarn, "the peer could not authenticate our Finished (%v): %s", a.Description, c.keyMismatch())
	}
	switch {
	case a.Description == protocol.AlertCloseNotify, a.Level == protocol.LevelFatal:
		c.end(st, peerAlert(a))
	default:
		if a.Description == protocol.AlertNoRenegotiation && c.hs.renegotiating() {
			// The peer declined; keep using the current keys.
			c.hs.stop()
			c.flight = nil
			c.updateTimer()
		}
		c.e.h.Event(c, a.Level, uint16(a.Description))
	}
}

func (c *Conn) handleAppData(h *record.Header, data []byte) {
	if h.Epoch == 0 {
		c.logf(LogDebug, "dropping unprotected application data")
		return
	}
	if !c.established || c.state == StateClosing {
		if c.hs.running() && !c.established {
			// Overtook the Finished it follows; keep it for later.
			c.holdRecord(h, data, true)
			return
		}
		c.logf(LogDebug, "dropping application data: association not established")
		return
	}
	if c.flight != nil && c.flight.final && h.Epoch == c.rl.In.Epoch() {
		// The peer sends in the new epoch, so it has our last flight.
		c.releaseFinalFlight()
	}
	c.e.h.Receive(c, data)
}

// handshakeDone marks a handshake complete on our side: the association is
// established (again), and what waited for that may go on.
func (c *Conn) handshakeDone(st *step) {
	c.established = true
	switch {
	case c.rl.In.PreviousProtected():
		// After a renegotiation: keep the old read keys a little for
		// records still in flight and for retransmissions of the peer's
		// last flight.
		c.prevReadUntil = st.now + c.e.cfg.FinalFlightHold
	default:
		// Epoch 0 carries nothing we still need: a retransmission of the
		// client's last flight is recognised by its Finished, which is in
		// the new epoch.
		c.rl.In.DropPrevious()
	}
	if c.flight == nil || !c.flight.final && !c.flight.untilACK() {
		// The peer's flight completed the handshake, so it has ours; only
		// the sender of the final flight keeps it, for the peer's
		// retransmissions (DTLS 1.3: until the peer acknowledges it).
		c.flight = nil
		c.dropOldWriteEpoch()
	}
	c.updateTimer()
	c.logf(LogInfo, "handshake complete (%v)", c.Suite())
	c.setState(StateConnected)
	if c.removed {
		return
	}
	c.e.h.Event(c, protocol.LevelInternal, protocol.EventConnected)
	if c.removed {
		return
	}
	c.rl.In.Release()
}

func (c *Conn) renegotiate(st *step) error {
	if !c.Established() {
		return ErrNotConnected
	}
	return c.hs.renegotiate(st)
}
