// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// outMsg is one message of a flight: a handshake message or a
// ChangeCipherSpec, with the epoch it must be sent in. Retransmissions
// re-encode it with fresh record sequence numbers (RFC 6347 §4.2.4).
type outMsg struct {
	epoch uint16
	ccs   bool
	typ   protocol.HandshakeType
	seq   uint16
	body  []byte
}

// flight is the last flight we sent, the unit of retransmission.
type flight struct {
	msgs        []outMsg
	timeout     time.Duration
	retransmits int
	deadline    time.Duration // 0: no timer (a final flight held for the peer)
	final       bool
	// hello: the flight carries a ClientHello with a cookie, which goes
	// out once per timeout and nothing else (see copies).
	hello bool
	// answered: part of the peer's next flight arrived, so the peer has
	// this one (see peerAnswers).
	answered bool
	// Answers to the peer's retransmissions in the current window (see
	// retransmitForPeer).
	answers     int
	answerSince time.Duration
	// DTLS 1.3 (RFC 9147 §7): acks tracks which records carried which
	// bytes of which message and which bytes the peer acknowledged, so
	// that retransmissions leave those out (nil for 1.2's flights).
	acks *ackTrack
}

// untilACK reports whether the flight is retransmitted until acknowledged
// though the handshake is complete (DTLS 1.3: the client's last flight, a
// KeyUpdate); giving up on it does not end the association.
func (f *flight) untilACK() bool { return f.acks != nil && f.acks.untilACK }

// maxCopies bounds how many copies of a flight one retransmission sends.
// A timeout means a datagram was lost; on a lossy radio link a single copy
// per attempt leaves a handshake at the mercy of a few unlucky drops (at 30 %
// loss, one round trip in two fails), so the k-th retransmission sends the
// flight min(k+1, maxCopies) times. Each copy has fresh record sequence
// numbers; the peer answers each with its own flight, so the way back gets
// the same redundancy. The exponential backoff stays as RFC 6347 wants it.
const maxCopies = 3

// copies is how many times the flight goes out when its timer expires.
//
// A ClientHello that carries a cookie is the exception to every form of
// redundancy: RFC 6347 §4.2.8 lets a server take each ClientHello with a
// valid cookie as the start of a new handshake, and servers in the field
// (upstream tinydtls among them) do so even for an exact copy, dropping the
// state the first copy created while its answer is already on the way to
// us. So such a flight is sent once per timeout, and never to answer the
// peer's retransmissions (a server never retransmits a HelloVerifyRequest,
// so a second one is only a duplicated datagram). A ClientHello without a
// cookie creates no state anywhere and may go in copies like any flight.
func (f *flight) copies() int {
	if f.hello {
		return 1
	}
	return min(f.retransmits+1, maxCopies)
}

// finished reports whether the flight carries our Finished.
func (f *flight) finished() bool {
	for i := range f.msgs {
		if !f.msgs[i].ccs && f.msgs[i].typ == protocol.HandshakeFinished {
			return true
		}
	}
	return false
}

// minFragment avoids sending tiny fragments at the end of a nearly full
// datagram; such a fragment costs a header for a few bytes.
const minFragment = 32

// packer lays a flight out into datagrams. Every handshake message, or
// fragment of one, travels in a record of its own: RFC 6347 allows several
// messages per record, but implementations in the field (upstream tinydtls
// among them) parse exactly one and fail the handshake otherwise. Several
// records share a datagram as far as the MTU allows, and a message is
// fragmented only when it does not fit in an empty datagram.
type packer struct {
	c    *Conn
	dg   []byte
	sent int
	err  error
}

func (p *packer) flush() {
	if len(p.dg) > 0 {
		n, err := p.c.send(p.dg)
		if err != nil && p.err == nil {
			p.err = err
		}
		p.sent += max(n, 0)
		p.dg = p.dg[:0]
	}
}

// room is how much content a new record of epoch w can still carry in the
// open datagram.
func (p *packer) room(epoch uint16) int {
	return min(p.c.e.cfg.MTU-len(p.dg)-p.c.rl.Out.Overhead(epoch), p.c.rl.Out.ContentLimit())
}

// ccs appends a ChangeCipherSpec record.
func (p *packer) ccs(epoch uint16) {
	if p.room(epoch) < 1 {
		p.flush()
	}
	var d record.Draft
	b, _ := p.c.rl.Begin(p.dg, epoch, protocol.ContentChangeCipherSpec, &d)
	p.dg = p.c.seal(append(b, 1), &d)
}

// fragment appends one record holding bytes [off, off+n) of m, the i-th
// message of the flight.
func (p *packer) fragment(epoch uint16, m *outMsg, i, off, n int) {
	var d record.Draft
	b, _ := p.c.rl.Begin(p.dg, epoch, protocol.ContentHandshake, &d)
	if a := p.c.flight.acks; a != nil && len(a.sent) < maxSentRecords {
		a.sent = append(a.sent, sentRecord{epoch: epoch, seq: d.Seq(), msg: i, off: off, n: n})
	}
	if m.typ == protocol.HandshakeClientHello && epoch == 0 && !(p.c.flight.acks != nil && m.seq > 0) {
		// RFC 6347 §4.2.1: a client does not know the server's version
		// yet; DTLS 1.0 in the record is the safe choice. (RFC 9147 §4:
		// not for 1.3's second ClientHello, after the server's retry.)
		d.SetVersion(b, protocol.VersionDTLS10)
	}
	hh := handshake.Header{Type: m.typ, Length: uint32(len(m.body)), MessageSeq: m.seq,
		FragmentOffset: uint32(off), FragmentLength: uint32(n)}
	p.c.logMessage("sending", &hh, epoch)
	b = hh.Append(b)
	b = append(b, m.body[off:off+n]...)
	p.dg = p.c.seal(b, &d)
}

// transmitFlight sends the whole flight and returns the bytes the write
// callback reported sent.
func (c *Conn) transmitFlight(st *step) (int, error) {
	p := packer{c: c, dg: st.buf[:0]}
	if c.flight == nil {
		return 0, nil
	}
	for i := range c.flight.msgs {
		m := &c.flight.msgs[i]
		w := m.epoch
		if !c.rl.Out.Has(w) {
			c.logf(LogCrit, "no write state for epoch %d; flight cut short", m.epoch)
			break
		}
		if m.ccs {
			p.ccs(w)
			continue
		}
		from, end := 0, len(m.body)
		for {
			if a := c.flight.acks; a != nil {
				// Only what the peer did not acknowledge (RFC 9147 §7.1).
				var more bool
				if from, end, more = a.nextGap(i, from, len(m.body)); !more {
					break
				}
			}
			if !p.span(w, m, i, from, end) {
				return p.sent, p.err
			}
			if c.flight.acks == nil || end >= len(m.body) {
				break
			}
			from = end
		}
	}
	p.flush()
	return p.sent, p.err
}

// span packs bytes [from, end) of m, the i-th message of the flight, into
// records and datagrams; false if the MTU cannot carry a fragment.
func (p *packer) span(w uint16, m *outMsg, i, from, end int) bool {
	c := p.c
	for off := from; ; {
		remaining := end - off
		room := p.room(w) - handshake.HeaderLen
		if room < remaining && len(p.dg) > 0 {
			// Start a fresh datagram if the rest fits whole there, or
			// if only a sliver would fit here.
			fresh := c.maxContent(w) - handshake.HeaderLen
			if remaining <= fresh || room < minFragment {
				p.flush()
				continue
			}
		}
		if m.typ == protocol.HandshakeClientHello && room < remaining {
			// Servers answer only unfragmented ClientHellos statelessly
			// (RFC 6347 §4.2.1 lets them ignore the rest), so a
			// ClientHello goes whole even past a very small MTU.
			room = remaining
		}
		if room <= 0 && remaining > 0 {
			c.logf(LogCrit, "MTU %d too small for a handshake fragment", c.e.cfg.MTU)
			p.flush()
			return false
		}
		n := min(room, remaining)
		p.fragment(w, m, i, off, n)
		off += n
		if off >= end {
			break
		}
	}
	return true
}

// flightKind says how a flight is retransmitted.
type flightKind int

const (
	// ordinaryFlight: on its timer, and when the peer's retransmissions
	// show it was lost.
	ordinaryFlight flightKind = iota
	// finalFlight: the last flight of a handshake; no timer, only resent
	// when the peer's retransmissions show it was lost, and kept for
	// Config.FinalFlightHold.
	finalFlight
	// helloWithCookie: a ClientHello with a cookie, once per timeout and
	// nothing else (see flight.copies).
	helloWithCookie
)

// sendFlight replaces the retained flight with msgs, sends it and arms the
// retransmission timer.
func (c *Conn) sendFlight(st *step, msgs []outMsg, kind flightKind) (int, error) {
	final := kind == finalFlight
	c.flight = &flight{msgs: msgs, timeout: c.e.cfg.InitialTimeout, final: final, hello: kind == helloWithCookie}
	if final {
		c.holdUntil = st.now + c.e.cfg.FinalFlightHold
	} else {
		c.flight.deadline = st.now + c.flight.timeout
		c.holdUntil = 0
	}
	n, err := c.transmitFlight(st)
	if !c.removed {
		c.updateTimer()
	}
	return n, err
}

// peerAnswers notes that a message of the peer's next flight arrived: the
// peer has our flight, and retransmitting it would only make the peer
// process (or, for a ClientHello, restart) what it already has. The peer
// retransmits the rest of its flight on its own timer, as RFC 6347 §4.2.4
// has every sender of a non-final flight do, so ours stays quiet; the timer
// keeps running and still abandons the handshake on schedule. Not for the
// peer's final flight (ChangeCipherSpec, Finished), which a peer only
// resends when it sees ours again.
func (c *Conn) peerAnswers(t protocol.HandshakeType) {
	if f := c.flight; f != nil && !f.final && !f.answered && t != protocol.HandshakeFinished &&
		t != protocol.HandshakeHelloRequest {
		f.answered = true
		c.logf(LogDebug, "the peer's answer is arriving; our flight is not retransmitted any more")
	}
}

// retransmitForPeer answers a retransmission of the peer's previous flight
// by resending ours (RFC 6347 §4.2.4): the peer evidently did not get it.
// A peer retransmits on its timer, a few copies at a time, so at most
// maxCopies answers go out per initial timeout: enough to mirror its copies,
// and two confused endpoints cannot keep answering each other at network
// speed.
func (c *Conn) retransmitForPeer(st *step) {
	f := c.flight
	if f == nil || f.hello || f.answered {
		// A ClientHello goes only on its timer; and a peer that has
		// started to answer has our flight (what it retransmits is its
		// answer).
		return
	}
	if st.now-f.answerSince >= c.e.cfg.InitialTimeout {
		f.answerSince, f.answers = st.now, 0
	}
	if f.answers >= maxCopies {
		c.logf(LogDebug, "peer retransmitted again; not answering before %v", f.answerSince+c.e.cfg.InitialTimeout)
		return
	}
	f.answers++
	c.logf(LogDebug, "peer retransmitted; resending our last flight")
	c.transmitFlight(st)
}

func (c *Conn) releaseFinalFlight() {
	c.flight = nil
	c.holdUntil = 0
	c.dropOldWriteEpoch()
	c.updateTimer()
}

// dropOldWriteEpoch frees the previous write epoch once no retained flight
// can need it.
func (c *Conn) dropOldWriteEpoch() {
	if c.flight == nil && !c.hs.running() {
		c.rl.Out.DropPrevious()
	}
}

// updateTimer recomputes the association's earliest deadline and its place
// in the Endpoint's timer heap.
func (c *Conn) updateTimer() {
	if c.removed {
		return
	}
	var d time.Duration
	pick := func(t time.Duration) {
		if t != 0 && (d == 0 || t < d) {
			d = t
		}
	}
	if c.flight != nil {
		pick(c.flight.deadline)
	}
	pick(c.closeAt)
	pick(c.holdUntil)
	pick(c.prevReadUntil)
	pick(c.hs.deadline())
	c.deadline = d
	h := &c.e.timers
	switch {
	case d == 0:
		h.remove(c)
	case c.heapIdx < 0:
		h.push(c)
	default:
		h.fix(c)
	}
}

func (c *Conn) onTimer(st *step) {
	if c.closeAt != 0 && c.closeAt <= st.now {
		// The peer never answered our close_notify.
		c.closeAt = 0
		c.end(st, closeTimedOut)
		return
	}
	if c.holdUntil != 0 && c.holdUntil <= st.now {
		c.holdUntil = 0
		if c.flight != nil && c.flight.final {
			c.releaseFinalFlight()
		}
	}
	if c.prevReadUntil != 0 && c.prevReadUntil <= st.now {
		c.prevReadUntil = 0
		if !c.hs.running() {
			c.rl.In.DropPrevious()
		}
	}
	if d := c.hs.deadline(); d != 0 && d <= st.now {
		c.hs.onTimer(st)
		if c.removed {
			return
		}
	}
	if f := c.flight; f != nil && f.deadline != 0 && f.deadline <= st.now {
		if f.retransmits >= c.e.cfg.MaxRetransmits && f.untilACK() {
			// The association is established; only the acknowledgement
			// never came (RFC 9147 §7: our last flight, a KeyUpdate).
			c.logf(LogWarn, "no acknowledgement of %s after %d retransmissions; giving up on it",
				flightName(f.msgs, f.hello), f.retransmits)
			c.flight = nil
			c.hs.flightDropped(st)
			c.dropOldWriteEpoch()
			c.updateTimer()
			return
		}
		if f.retransmits >= c.e.cfg.MaxRetransmits {
			c.logf(LogWarn, "no answer to %s after %d retransmissions; abandoning the handshake",
				flightName(f.msgs, f.hello), f.retransmits)
			if s := c.Suite(); f.finished() && c.hs.running() && s != nil && s.KeyExchange == suite.PSK {
				c.logf(LogWarn, "the peer answered our earlier flights but not our Finished: it probably could not "+
					"authenticate it because the peers use different pre-shared keys (upstream tinydtls drops "+
					"such a Finished without a word)")
			}
			c.end(st, abandoned)
			return
		}
		f.retransmits++
		f.timeout = min(2*f.timeout, c.e.cfg.MaxTimeout)
		f.deadline = st.now + f.timeout
		left := c.e.cfg.MaxRetransmits - f.retransmits
		if f.answered {
			c.logf(LogInfo, "timeout waiting for the rest of the peer's answer to %s (%d more timeouts before giving up, next in %v)",
				flightName(f.msgs, f.hello), left, f.timeout)
		} else {
			copies := f.copies()
			c.logf(LogInfo, "retransmitting %s: retransmission %d of %d (%d copies), next timeout %v",
				flightName(f.msgs, f.hello), f.retransmits, c.e.cfg.MaxRetransmits, copies, f.timeout)
			for i := 0; i < copies && !c.removed; i++ {
				c.transmitFlight(st)
			}
		}
	}
	c.updateTimer()
}
