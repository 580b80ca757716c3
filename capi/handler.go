// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
*/
import "C"

import (
	"errors"
	"github.com/tinydtls-go/tinydtls/core/textf"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/core/engine"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// ctxState implements engine.Handler by calling the application's C
// callbacks, read from ctx->h at every call because applications swap
// handler tables at run time.

func bytesPtr(b []byte) *C.uchar {
	if len(b) == 0 {
		return nil
	}
	return (*C.uchar)(unsafe.Pointer(&b[0]))
}

func (st *ctxState) Send(c *engine.Conn, addr []byte, dg []byte) int {
	if len(dg) == 0 {
		return 0
	}
	return int(C.tdtls_cb_write(st.c, st.session(c), (*C.uint8)(unsafe.Pointer(&dg[0])), C.size_t(len(dg))))
}

func (st *ctxState) Receive(c *engine.Conn, data []byte) {
	C.tdtls_cb_read(st.c, st.session(c), (*C.uint8)(unsafe.Pointer(bytesPtr(data))), C.size_t(len(data)))
}

func (st *ctxState) Event(c *engine.Conn, level protocol.AlertLevel, code uint16) {
	C.tdtls_cb_event(st.c, st.session(c), C.int(level), C.ushort(code))
}

func (st *ctxState) Capabilities(c *engine.Conn) engine.Capabilities {
	f := C.tdtls_caps(st.c)
	return engine.Capabilities{PSK: f&1 != 0, ECDSAKey: f&2 != 0, VerifyECDSAKey: f&4 != 0}
}

func (st *ctxState) UserParameters(c *engine.Conn, p *engine.UserParameters) {
	var up C.dtls_user_parameters_t
	n := 0
	for _, id := range p.CipherSuites {
		if n == int(C.DTLS_MAX_CIPHER_SUITES) {
			break
		}
		up.cipher_suites[n] = C.dtls_cipher_t(id)
		n++
	}
	up.cipher_suites[n] = C.TLS_NULL_WITH_NULL_NULL
	var flags C.uint
	if p.ForceExtendedMasterSecret {
		flags |= 1
	}
	if p.ForceRenegotiationInfo {
		flags |= 2
	}
	if p.SupportCID {
		flags |= 4
	}
	C.tdtls_up_set_flags(&up, flags)
	if C.tdtls_cb_user_params(st.c, st.session(c), &up) == 0 {
		return
	}
	p.CipherSuites = p.CipherSuites[:0]
	for i := 0; i < len(up.cipher_suites); i++ {
		id := up.cipher_suites[i]
		if id == C.TLS_NULL_WITH_NULL_NULL {
			break
		}
		p.CipherSuites = append(p.CipherSuites, protocol.CipherSuite(id))
	}
	flags = C.tdtls_up_get_flags(&up)
	p.ForceExtendedMasterSecret = flags&1 != 0
	p.ForceRenegotiationInfo = flags&2 != 0
	p.SupportCID = flags&4 != 0
}

// alertError turns a negative callback result into the alert to send, as
// upstream does: a dtls_alert_create() value (what dtls_is_alert() accepts)
// carries the description in its low byte; anything else is internal_error.
// The engine sends every handshake-ending alert as fatal.
func alertError(ret C.int) error {
	v := -int(ret)
	if v > 1<<8 && v < 3<<8 {
		return protocol.Fatal(protocol.AlertDescription(v & 0xff))
	}
	return protocol.Fatal(protocol.AlertInternalError)
}

// PSKInfo leaves checking n against len(out) to the engine.
func (st *ctxState) PSKInfo(c *engine.Conn, t engine.CredentialType, desc []byte, out []byte) (int, error) {
	n := C.tdtls_cb_psk(st.c, st.session(c), C.int(t), bytesPtr(desc), C.size_t(len(desc)), bytesPtr(out), C.size_t(len(out)))
	if n < 0 {
		return 0, alertError(n)
	}
	return int(n), nil
}

func (st *ctxState) ECDSAKey(c *engine.Conn) (engine.ECDSAKey, error) {
	var buf [96]byte
	if r := C.tdtls_cb_ecdsa_key(st.c, st.session(c), (*C.uchar)(unsafe.Pointer(&buf[0]))); r < 0 {
		return engine.ECDSAKey{}, alertError(r)
	}
	k := buf
	return engine.ECDSAKey{Priv: k[:32:32], X: k[32:64:64], Y: k[64:96:96]}, nil
}

func (st *ctxState) VerifyECDSAKey(c *engine.Conn, x, y []byte) error {
	// The callback reads 32 bytes of each. The engine only passes parsed
	// P-256 coordinates; this keeps a mistake there from reaching C.
	if len(x) != 32 || len(y) != 32 {
		return protocol.Fatal(protocol.AlertBadCertificate)
	}
	if r := C.tdtls_cb_verify(st.c, st.session(c), bytesPtr(x), bytesPtr(y)); r < 0 {
		return alertError(r)
	}
	return nil
}

// ConnChanged counts the associations of the process (memory.go) and
// keeps the dtls_peer_t mirror of each association that has one current
// (peers.go): applications read peer->state and peer->session directly.
func (st *ctxState) ConnChanged(c *engine.Conn, what engine.Change) {
	switch what {
	case engine.ConnCreated:
		connAdded()
		st.live++
		st.peak = max(st.peak, st.live)
		st.made++
		st.movePeak = max(st.movePeak, st.live)
		st.most = max(st.most, st.live)
		st.noMirror(c)
	case engine.ConnStateChanged:
		if p, ok := c.App.(*C.dtls_peer_t); ok {
			p.state = C.dtls_state_t(c.State())
			mirrorSecurity(p, c)
		}
	case engine.ConnAddrChanged:
		if p, ok := c.App.(*C.dtls_peer_t); ok {
			if cur := st.curSession(); cur != nil {
				p.session = *cur
			}
		} else {
			st.noMirror(c)
		}
	case engine.ConnMoved:
		// st.ep.Compact moved c; its mirror, if it has one, maps to the
		// new *Conn.
		if p, ok := c.App.(*C.dtls_peer_t); ok {
			st.peers[p] = c
		}
	case engine.ConnRemoved:
		connRemoved()
		st.live--
		if c.InPlace() && st.inPlace > 0 {
			if st.inPlace--; st.inPlace == 0 {
				// The last association a move left in place went: the
				// arrays it kept are garbage now.
				moved.Store(true)
			}
		}
		p, ok := c.App.(*C.dtls_peer_t)
		if !ok {
			return
		}
		p.state = C.DTLS_STATE_CLOSED
		delete(st.peers, p)
		// c.App keeps pointing at the mirror: the event that follows a
		// removal still passes &p.session, which lives until the outermost
		// call returns.
		if sp := p.security_params[0]; sp != nil {
			st.zombies = append(st.zombies, unsafe.Pointer(sp))
		}
		st.zombies = append(st.zombies, unsafe.Pointer(p))
	}
}

// honourPeerState applies a state the application wrote into peer->state
// since it was last mirrored. Upstream reads the field back where it
// decides to write data or to send close_notify, and applications rely on
// that (Wakaama sets DTLS_STATE_CLOSED before dtls_reset_peer so that no
// close_notify goes out); CLOSED and CLOSING are the states an application
// can mean, anything else is put back with a warning.
func honourPeerState(c *engine.Conn) {
	p, ok := c.App.(*C.dtls_peer_t)
	if !ok || engine.State(p.state) == c.State() {
		return
	}
	switch p.state {
	case C.DTLS_STATE_CLOSED:
		c.MarkClosed(false)
	case C.DTLS_STATE_CLOSING:
		c.MarkClosed(true)
	default:
		logLine(int(C.DTLS_LOG_WARN), textf.Sprintf("peer->state %d written by the application ignored: "+
			"only DTLS_STATE_CLOSED and DTLS_STATE_CLOSING are honoured", int(p.state)))
		p.state = C.dtls_state_t(c.State())
	}
}

// mirrorSecurity copies what applications read from
// dtls_security_params(peer): the epoch and the Connection ID (libcoap reads
// write_cid_length to tell whether a CID is in use).
func mirrorSecurity(p *C.dtls_peer_t, c *engine.Conn) {
	sp := p.security_params[0]
	if sp == nil {
		return
	}
	_, wr := c.Epoch()
	sp.epoch = C.uint16_t(wr)
	cid := c.WriteCID()
	n := copy(unsafe.Slice((*byte)(unsafe.Pointer(&sp.write_cid[0])), len(sp.write_cid)), cid)
	sp.write_cid_length = C.uint8_t(n)
}

func (st *ctxState) LogEnabled(l engine.LogLevel) bool { return int(l) <= int(C.tdtls_log_level) }

func (st *ctxState) Log(l engine.LogLevel, msg string) { logLine(int(l), msg) }

// alertCode is dtls_handle_message's result: 0, or the negative
// dtls_alert_fatal_create() value of the alert a failed handshake sent.
func alertCode(err error) C.int {
	if err == nil {
		return 0
	}
	if a, ok := errors.AsType[protocol.Alert](err); ok {
		return -C.int(int(protocol.LevelFatal)<<8 | int(a.Description))
	}
	return -1
}
