package engine

import (
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
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
	// Answers to the peer's retransmissions in the current window (see
	// retransmitForPeer).
	answers     int
	answerSince time.Duration
}

// testHookFlight lets tests make a misbehaving peer by rewriting a flight
// before it is sent. Always nil outside tests.
var testHookFlight func(c *Conn, msgs []outMsg) []outMsg

// maxCopies bounds how many copies of a flight one retransmission sends.
// A timeout means a datagram was lost; on a lossy radio link a single copy
// per attempt leaves a handshake at the mercy of a few unlucky drops (at 30 %
// loss, one round trip in two fails), so the k-th retransmission sends the
// flight min(k+1, maxCopies) times. Each copy has fresh record sequence
// numbers; the peer answers each with its own flight, so the way back gets
// the same redundancy. The exponential backoff stays as RFC 6347 wants it.
const maxCopies = 3

// minFragment avoids sending tiny fragments at the end of a nearly full
// datagram; such a fragment costs a header for a few bytes.
const minFragment = 32

// packer lays a flight out into as few datagrams as the MTU allows: several
// handshake messages share a record when they are in the same epoch, several
// records share a datagram, and a message is fragmented only when it does
// not fit in an empty datagram.
type packer struct {
	c     *Conn
	dg    []byte
	start int // offset of the open record in dg, -1 if none
	h     record.Header
	w     *writeEpoch
	t     protocol.ContentType
	sent  int
	err   error
}

func (p *packer) hdrLen() int {
	n := p.h.Len()
	if p.w.keys.protected() {
		n += 8
	}
	return n
}

func (p *packer) contentLen() int { return len(p.dg) - p.start - p.hdrLen() }

func (p *packer) tail() int {
	n := 0
	if p.w.keys.protected() {
		n += p.w.keys.suite.Overhead() - 8
	}
	if p.h.Type == protocol.ContentTLS12CID {
		n++
	}
	return n
}

// room is how much content still fits into the open record.
func (p *packer) room() int {
	r := p.c.e.cfg.MTU - len(p.dg) - p.tail()
	if l := p.c.plaintextLimit() - p.contentLen(); l < r {
		r = l
	}
	return r
}

func (p *packer) open(w *writeEpoch, t protocol.ContentType) {
	p.start = len(p.dg)
	p.w, p.t = w, t
	p.dg = p.c.startRecord(p.dg, w, t, &p.h)
}

func (p *packer) close() {
	if p.start < 0 {
		return
	}
	if p.contentLen() == 0 && p.t == protocol.ContentHandshake {
		// Never opened for real: give the sequence number back.
		p.dg = p.dg[:p.start]
		p.w.seq--
	} else {
		rec := p.c.finishRecord(p.dg[p.start:], p.w, p.t, &p.h)
		p.dg = p.dg[:p.start+len(rec)]
	}
	p.start = -1
}

func (p *packer) flush() {
	p.close()
	if len(p.dg) > 0 {
		if err := p.c.send(p.dg); err != nil && p.err == nil {
			p.err = err
		}
		p.sent += len(p.dg)
		p.dg = p.dg[:0]
	}
}

// onlyEmptyRecord: flushing now would send nothing useful.
func (p *packer) onlyEmptyRecord() bool {
	return len(p.dg) == 0 || p.start == 0 && p.contentLen() == 0
}

func (p *packer) fits(w *writeEpoch, n int) bool {
	return p.c.e.cfg.MTU-len(p.dg) >= p.c.recordOverhead(w)+n
}

// transmitFlight sends the whole flight and returns the bytes sent.
func (c *Conn) transmitFlight(buf []byte) (int, error) {
	p := packer{c: c, dg: buf[:0], start: -1}
	if c.flight == nil {
		return 0, nil
	}
	for i := range c.flight.msgs {
		m := &c.flight.msgs[i]
		w := c.writeState(m.epoch)
		if w == nil {
			c.logf(LogCrit, "no write state for epoch %d; flight cut short", m.epoch)
			break
		}
		if m.ccs {
			p.close()
			if !p.fits(w, 1) {
				p.flush()
			}
			p.open(w, protocol.ContentChangeCipherSpec)
			p.dg = append(p.dg, 1)
			p.close()
			continue
		}
		off := 0
		for {
			remaining := len(m.body) - off
			if p.start < 0 || p.w != w || p.t != protocol.ContentHandshake {
				p.close()
				if !p.fits(w, handshake.HeaderLen+min(remaining, minFragment)) {
					p.flush()
				}
				p.open(w, protocol.ContentHandshake)
				if m.typ == protocol.HandshakeClientHello && w.epoch == 0 {
					// RFC 6347 §4.2.1: a client does not know the server's
					// version yet; DTLS 1.0 in the record is the safe choice.
					record.SetVersion(p.dg[p.start:], protocol.VersionDTLS10)
				}
			}
			room := p.room() - handshake.HeaderLen
			if m.typ == protocol.HandshakeClientHello && room < remaining && p.onlyEmptyRecord() {
				// Servers answer only unfragmented ClientHellos statelessly
				// (RFC 6347 §4.2.1 lets them ignore the rest), so a
				// ClientHello goes whole even past a very small MTU.
				room = remaining
			}
			if room < remaining && !p.onlyEmptyRecord() {
				fresh := min(c.e.cfg.MTU-c.recordOverhead(w), c.plaintextLimit()) - handshake.HeaderLen
				if remaining <= fresh || room < minFragment {
					p.flush()
					continue
				}
			}
			if room <= 0 && remaining > 0 {
				c.logf(LogCrit, "MTU %d too small for a handshake fragment", c.e.cfg.MTU)
				p.flush()
				return p.sent, p.err
			}
			n := min(room, remaining)
			hh := handshake.Header{Type: m.typ, Length: uint32(len(m.body)), MessageSeq: m.seq,
				FragmentOffset: uint32(off), FragmentLength: uint32(n)}
			p.dg = hh.Append(p.dg)
			p.dg = append(p.dg, m.body[off:off+n]...)
			off += n
			if off >= len(m.body) {
				break
			}
		}
	}
	p.flush()
	return p.sent, p.err
}

// sendFlight replaces the retained flight with msgs, sends it and arms the
// retransmission timer. A final flight gets no timer: it is only resent when
// the peer's retransmissions show it was lost.
func (c *Conn) sendFlight(buf []byte, msgs []outMsg, final bool, now time.Duration) (int, error) {
	if testHookFlight != nil {
		msgs = testHookFlight(c, msgs)
	}
	c.flight = &flight{msgs: msgs, timeout: c.e.cfg.InitialTimeout, final: final}
	if final {
		c.holdUntil = now + c.e.cfg.FinalFlightHold
	} else {
		c.flight.deadline = now + c.flight.timeout
		c.holdUntil = 0
	}
	n, err := c.transmitFlight(buf)
	if !c.removed {
		c.updateTimer()
	}
	return n, err
}

// retransmitForPeer answers a retransmission of the peer's previous flight
// by resending ours (RFC 6347 §4.2.4): the peer evidently did not get it.
// A peer retransmits on its timer, a few copies at a time, so at most
// maxCopies answers go out per initial timeout: enough to mirror its copies,
// and two confused endpoints cannot keep answering each other at network
// speed.
func (c *Conn) retransmitForPeer(now time.Duration) {
	f := c.flight
	if f == nil {
		return
	}
	if now-f.answerSince >= c.e.cfg.InitialTimeout {
		f.answerSince, f.answers = now, 0
	}
	if f.answers >= maxCopies {
		c.logf(LogDebug, "peer retransmitted again; not answering before %v", f.answerSince+c.e.cfg.InitialTimeout)
		return
	}
	f.answers++
	buf := c.e.enter()
	defer c.e.leave()
	c.logf(LogDebug, "peer retransmitted; resending our last flight")
	c.transmitFlight(buf)
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
	if c.flight == nil && c.hs == nil {
		c.wrPrev = nil
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

func (c *Conn) onTimer(buf []byte, now time.Duration) {
	if c.closeAt != 0 && c.closeAt <= now {
		// The peer never answered our close_notify.
		c.closeAt = 0
		c.e.endConn(c, protocol.LevelWarning, protocol.AlertCloseNotify)
		return
	}
	if c.holdUntil != 0 && c.holdUntil <= now {
		c.holdUntil = 0
		if c.flight != nil && c.flight.final {
			c.releaseFinalFlight()
		}
	}
	if c.prevReadUntil != 0 && c.prevReadUntil <= now {
		c.prevReadUntil = 0
		if c.hs == nil {
			c.rdPrev = nil
		}
	}
	if f := c.flight; f != nil && f.deadline != 0 && f.deadline <= now {
		if f.retransmits >= c.e.cfg.MaxRetransmits {
			c.logf(LogWarn, "no answer after %d retransmissions; abandoning the handshake", f.retransmits)
			c.flight = nil
			c.e.endConn(c, protocol.LevelFatal, protocol.AlertHandshakeFailure)
			return
		}
		f.retransmits++
		f.timeout = min(2*f.timeout, c.e.cfg.MaxTimeout)
		f.deadline = now + f.timeout
		copies := min(f.retransmits+1, maxCopies)
		c.logf(LogDebug, "retransmitting flight (%d, %d copies), next timeout %v", f.retransmits, copies, f.timeout)
		for i := 0; i < copies && !c.removed; i++ {
			c.transmitFlight(buf)
		}
	}
	c.updateTimer()
}
