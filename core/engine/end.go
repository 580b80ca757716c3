// SPDX-License-Identifier: BSD-3-Clause

package engine

import "github.com/tinydtls-go/tinydtls/core/protocol"

// How associations end. Every end goes through Conn.end with an ending that
// says, as data, what the peer is told first and what the application
// hears once the association is gone. The removal comes before the event,
// as in upstream, so that the event callback may connect again to the same
// address.

// ending is why an association ends.
type ending struct {
	// alert, if set, ends a failed handshake: sent to the peer as fatal,
	// reported to the application, and what HandleDatagram returns.
	alert protocol.Alert
	// goodbye: the peer is sent close_notify if it has keys with us and
	// was not told yet.
	goodbye bool
	// report: the application hears (level, code) after the removal.
	report bool
	level  protocol.AlertLevel
	code   protocol.AlertDescription
}

// failed: we end a handshake with the fatal alert a.
func failed(a protocol.Alert) ending {
	a.Level = protocol.LevelFatal
	return ending{alert: a, report: true, level: protocol.LevelFatal, code: a.Description}
}

// peerAlert: the peer ended the association with a (a fatal alert, or
// close_notify, which we answer with ours).
func peerAlert(a protocol.Alert) ending {
	return ending{goodbye: a.Description == protocol.AlertCloseNotify, report: true, level: a.Level, code: a.Description}
}

var (
	// abandoned: the handshake timed out, or it was evicted to make room
	// (the application hears of it as a timed-out handshake). No alert.
	abandoned = ending{report: true, level: protocol.LevelFatal, code: protocol.AlertHandshakeFailure}
	// closeTimedOut: the peer never answered our close_notify.
	closeTimedOut = ending{report: true, level: protocol.LevelWarning, code: protocol.AlertCloseNotify}
	// reset: the application drops the association (Reset, Free).
	reset = ending{goodbye: true}
	// replaced: a new handshake takes the address (Reconnect, a client
	// restart), or one that could not start is dropped. Nothing is said.
	replaced = ending{}
)

// closeNotify is the warning alert that ends an association.
var closeNotify = protocol.Alert{Level: protocol.LevelWarning, Description: protocol.AlertCloseNotify}

// end ends the association.
func (c *Conn) end(st *step, why ending) {
	if why.alert != (protocol.Alert{}) {
		st.fail(why.alert)
	}
	if c.removed {
		return
	}
	if why.alert != (protocol.Alert{}) {
		c.logf(LogWarn, "handshake failed, sending %v", why.alert)
		c.sendAlert(st, why.alert)
	}
	if why.goodbye && c.established && c.state != StateClosing && c.state != StateClosed {
		c.sendAlert(st, closeNotify)
	}
	c.e.remove(c)
	if why.report {
		c.e.h.Event(c, why.level, uint16(why.code))
	}
}

// fail ends a handshake with the fatal alert a, which it returns.
func (c *Conn) fail(st *step, a protocol.Alert) error {
	c.end(st, failed(a))
	a.Level = protocol.LevelFatal
	return a
}

// remove takes c out of the Endpoint and drops all its state.
func (e *Endpoint) remove(c *Conn) {
	if c.removed {
		return
	}
	c.removed = true
	if e.conns[c.addr] == c {
		delete(e.conns, c.addr)
	}
	c.setCIDs(nil, nil)
	if c.heapIdx >= 0 {
		e.timers.remove(c)
	}
	c.hs.stop()
	forget13(c.hs)
	c.rl.Close()
	c.state = StateClosed
	c.flight = nil
	e.h.ConnChanged(c, ConnRemoved)
}

// startClosing sends close_notify and waits for the peer's (dtls_close):
// the association ends when it comes or after Config.CloseTimeout.
func (c *Conn) startClosing(st *step) {
	if c.state == StateClosing || c.state == StateClosed {
		return
	}
	c.hs.stop()
	c.flight = nil
	c.sendAlert(st, closeNotify)
	if c.removed {
		return
	}
	c.setState(StateClosing)
	c.closeAt = st.now + c.e.cfg.CloseTimeout
	c.updateTimer()
}

// MarkClosed applies what the application declared by writing
// DTLS_STATE_CLOSED (closing false) or DTLS_STATE_CLOSING into its view of
// the association, as upstream applications do before dtls_reset_peer so
// that no close_notify goes out (Wakaama's reconnect). Like upstream, the
// association then sends nothing more of its own accord: its handshake and
// retransmissions stop, Write returns 0, Reset and Free send no
// close_notify, and Connect starts afresh. It stays until then, or until
// the peer ends it; data from the peer is still delivered, as upstream
// does.
func (c *Conn) MarkClosed(closing bool) {
	if c.removed {
		return
	}
	c.hs.stop()
	c.flight = nil
	c.holdUntil = 0
	c.updateTimer()
	s := StateClosed
	if closing {
		s = StateClosing
	}
	c.logf(LogDebug, "the application marked the association %v", s)
	c.setState(s)
}
