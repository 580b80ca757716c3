// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"slices"

	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record13"
)

// DTLS 1.3 acknowledgements (RFC 9147 §7): which bytes of a flight the
// peer acknowledged, so that retransmissions leave them out, and the
// records of the peer's flight that we acknowledge.

// sentRecord is one record of a tracked flight: the bytes [off, off+n)
// of its msg-th message.
type sentRecord struct {
	epoch  uint16
	seq    uint64
	msg    int
	off, n int
}

// span is a range [from, to) of a message's bytes.
type span struct{ from, to int }

// ackTrack is a flight's acknowledgement state. Its records are every copy
// ever sent, so that an ACK of an older copy counts too.
type ackTrack struct {
	sent  []sentRecord
	acked map[int][]span // per message: acknowledged ranges, sorted, merged
	done  map[int]bool   // per message: acknowledged whole
	// untilACK: see flight.untilACK.
	untilACK bool
}

// maxSentRecords bounds the records a flight remembers (a flight of a few
// records, sent a few copies at a time, stays far below it).
const maxSentRecords = 512

// ack marks the record rn acknowledged and reports whether it was one of
// ours and acknowledged something new.
func (a *ackTrack) ack(rn record13.RecordNumber, msgs []outMsg) bool {
	for _, r := range a.sent {
		if uint64(r.epoch) != rn.Epoch || r.seq != rn.Seq {
			continue
		}
		if a.acked == nil {
			a.acked, a.done = map[int][]span{}, map[int]bool{}
		}
		if a.done[r.msg] {
			return false
		}
		before := slices.Clone(a.acked[r.msg])
		a.acked[r.msg] = addSpan(a.acked[r.msg], span{r.off, r.off + r.n})
		if l := a.acked[r.msg]; len(l) == 1 && l[0].from == 0 && l[0].to >= len(msgs[r.msg].body) {
			a.done[r.msg] = true
			return true
		}
		return !slices.Equal(before, a.acked[r.msg])
	}
	return false
}

// addSpan inserts s into the sorted, merged list l.
func addSpan(l []span, s span) []span {
	// Kept sorted by insertion: the list is short, and a generic sort
	// would link pdqsort's instantiations (about 10 KB) for it.
	i := len(l)
	l = append(l, s)
	for ; i > 0 && l[i-1].from > s.from; i-- {
		l[i] = l[i-1]
	}
	l[i] = s
	out := l[:1]
	for _, x := range l[1:] {
		if last := &out[len(out)-1]; x.from <= last.to {
			last.to = max(last.to, x.to)
		} else {
			out = append(out, x)
		}
	}
	return out
}

// nextGap returns the first range of message i at or after from, up to n
// bytes long in all, that was not acknowledged; more is false when there
// is none.
func (a *ackTrack) nextGap(i, from, n int) (start, end int, more bool) {
	if a.done[i] {
		return 0, 0, false
	}
	start, end = from, n
	for _, s := range a.acked[i] {
		switch {
		case s.to <= start:
			continue
		case s.from <= start:
			start = s.to
		default:
			end = min(end, s.from)
			return start, end, start < end
		}
	}
	if start >= n && !(n == 0 && start == 0) {
		return 0, 0, false
	}
	return start, end, true
}

// complete reports whether every message of the flight was acknowledged.
func (a *ackTrack) complete(msgs []outMsg) bool {
	for i := range msgs {
		if !a.done[i] {
			return false
		}
	}
	return true
}

// sendACK sends an ACK record listing rns in the current write epoch.
func (c *Conn) sendACK(st *step, rns []record13.RecordNumber) {
	if len(rns) == 0 {
		return
	}
	c.logf(LogDebug, "sending ACK of %d records", len(rns))
	c.sendRecord(st, protocol.ContentACK, record13.AppendACK(nil, rns))
}

// sendFlight13 sends a DTLS 1.3 flight: tracked for acknowledgements, and
// if untilACK retransmitted until acknowledged even after the handshake.
func (c *Conn) sendFlight13(st *step, msgs []outMsg, untilACK bool) (int, error) {
	c.flight = &flight{msgs: msgs, timeout: c.e.cfg.InitialTimeout, acks: &ackTrack{untilACK: untilACK}}
	c.flight.deadline = st.now + c.flight.timeout
	c.holdUntil = 0
	n, err := c.transmitFlight(st)
	if !c.removed {
		c.updateTimer()
	}
	return n, err
}
