// SPDX-License-Identifier: BSD-3-Clause

package record

// Window is the 64-entry sliding anti-replay window of RFC 6347 §4.1.2.6.
// Callers check with Seen before authenticating a record and call Accept only
// after it authenticated, so forged records cannot move the window.
type Window struct {
	top  uint64 // highest accepted sequence number
	bits uint64 // bit i set: top-i was accepted; 0 while nothing was
}

// Seen reports whether seq was accepted already or is too old to tell.
func (w *Window) Seen(seq uint64) bool {
	return w.Duplicate(seq) || w.bits != 0 && seq < w.top && w.top-seq >= 64
}

// Duplicate reports whether seq is within the window and was accepted;
// unlike Seen, a sequence number older than the window is not reported.
func (w *Window) Duplicate(seq uint64) bool {
	if w.bits == 0 || seq > w.top {
		return false
	}
	d := w.top - seq
	return d < 64 && w.bits&(1<<d) != 0
}

// Accept records seq as received.
func (w *Window) Accept(seq uint64) {
	if w.bits == 0 {
		w.top, w.bits = seq, 1
		return
	}
	if seq > w.top {
		d := seq - w.top
		if d >= 64 {
			w.bits = 1
		} else {
			w.bits = w.bits<<d | 1
		}
		w.top = seq
		return
	}
	if d := w.top - seq; d < 64 {
		w.bits |= 1 << d
	}
}

// AcceptUpTo marks seq and everything below it as received. The server uses
// it after a stateless cookie exchange: older epoch-0 records of that client
// are stale by definition.
func (w *Window) AcceptUpTo(seq uint64) {
	if w.bits != 0 && w.top > seq {
		if d := w.top - seq; d < 64 {
			w.bits |= ^uint64(0) << d
		}
		return
	}
	w.top, w.bits = seq, ^uint64(0)
}

// Highest returns the highest accepted sequence number and whether any was.
func (w *Window) Highest() (uint64, bool) { return w.top, w.bits != 0 }
