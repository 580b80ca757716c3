// SPDX-License-Identifier: BSD-3-Clause

package engine

import "time"

// step is one pass of the engine: created when a datagram, a timer check or
// an application call enters the Endpoint, and handed to everything that
// pass does instead of loose parameters and shared endpoint fields. It
// carries the time, the datagram buffer of its nesting level, and what it
// collected on the way: the associations whose peer retransmitted its last
// flight (answered once, when the step ends) and the first alert a failed
// handshake sent (what HandleDatagram returns).
//
// A handler may call back into the Endpoint; that call is a step of its
// own, nested in the one in progress, with its own buffer, so that it
// cannot overwrite a datagram the outer step is still building.
type step struct {
	e      *Endpoint
	now    time.Duration
	buf    []byte
	dups   []*Conn
	failed error
}

// begin starts a step at the next nesting level.
func (e *Endpoint) begin(now time.Duration) *step {
	var st *step
	switch {
	case e.depth == 0:
		st = &e.outer
	case e.depth-1 < len(e.nested):
		st = e.nested[e.depth-1]
	default:
		st = &step{e: e}
		e.nested = append(e.nested, st)
	}
	e.depth++
	if cap(st.buf) < e.bufCap() {
		st.buf = make([]byte, 0, e.bufCap())
	}
	// (Only what changed is written: this runs for every record.)
	st.now = now
	if st.failed != nil {
		st.failed = nil
	}
	return st
}

// finish ends the step begun last: every association whose peer
// retransmitted in it resends its flight, once however many records showed
// the retransmission.
func (e *Endpoint) finish(st *step) {
	if len(st.dups) > 0 {
		for i := 0; i < len(st.dups); i++ {
			if c := st.dups[i]; !c.removed && !e.closed {
				c.retransmitForPeer(st)
			}
		}
		clear(st.dups)
		st.dups = st.dups[:0]
	}
	e.depth--
}

// Depth is the number of Endpoint calls in progress: 0 outside the engine,
// 1 inside a Handler method called by an outermost call, and one more for
// every call a handler makes back into the Endpoint. An adapter can use it
// instead of counting nesting itself (to defer freeing what a callback may
// still hold until the outermost call returns).
func (e *Endpoint) Depth() int { return e.depth }

// bufCap leaves room past the MTU for one record's protection overhead so
// that building a record never reallocates.
func (e *Endpoint) bufCap() int { return e.cfg.MTU + 64 }

// noteDuplicate records that c's peer retransmitted its previous flight:
// ours is resent once when the step ends.
func (st *step) noteDuplicate(c *Conn) {
	if c.flight == nil {
		return
	}
	e := st.e
	if contains(e.outer.dups, c) {
		return
	}
	for _, s := range e.nested[:max(e.depth-1, 0)] {
		if contains(s.dups, c) {
			return
		}
	}
	st.dups = append(st.dups, c)
}

// fail records the first alert a failed handshake sent in this step.
func (st *step) fail(a error) {
	if st.failed == nil {
		st.failed = a
	}
}
