// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"errors"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// handshaker is the handshake protocol of one association in its role: one
// type per role and protocol version (client12 and server12 for DTLS 1.2,
// handshake12_*.go), chosen when the association is created and kept for
// its lifetime. The state of a handshake in progress hangs off it and is
// dropped when that handshake ends, so that an established association
// keeps only what the next handshake needs.
//
// The Conn drives it: it hands it the content of handshake and
// ChangeCipherSpec records, and asks it what the record layer and the
// alert handling need to know while a handshake runs. A second protocol
// version is a second pair of types behind this interface, beside the first.
type handshaker interface {
	role() Role
	// relocate makes a new association with a copy of the handshaker for
	// Compact, in sl, and clears this one; nil when it cannot be moved.
	relocate(sl *slabs) (*Conn, handshaker)
	// version is the protocol version (0: not known yet).
	version() uint16

	// running reports whether a handshake is in progress; firstRunning
	// whether it is the association's first one (no keys protect the
	// peer's alerts yet), renegotiating whether it is a later one.
	running() bool
	firstRunning() bool
	renegotiating() bool

	// handshakeRecord, changeCipherSpec and ackRecord take the content of
	// an authenticated record of that type, received in epoch (with
	// sequence number seq, which DTLS 1.3 acknowledges); first is the
	// record's first fragment if it was parsed already.
	handshakeRecord(st *step, epoch uint16, seq uint64, data []byte, first fragment)
	changeCipherSpec(st *step, epoch uint16, data []byte)
	ackRecord(st *step, epoch uint16, data []byte)

	// deadline is the handshaker's own timer (0: none), onTimer runs it
	// when due: DTLS 1.3's delayed ACKs.
	deadline() time.Duration
	onTimer(st *step)
	// flightDropped is told that a flight retransmitted until acknowledged
	// (untilACK) was given up on.
	flightDropped(st *step)
	// keysAging is told that the write epoch used up keyUpdateAfter
	// sequence numbers, so that DTLS 1.3 updates its keys before the
	// AEAD's limit (RFC 9147 §4.5.3).
	keysAging(st *step)
	// forged is told that a record of the current read epoch did not
	// authenticate, so that DTLS 1.3 keeps to the AEAD's integrity limit
	// (RFC 9147 §4.5.3).
	forged(st *step)

	// awaitsEpoch reports whether a record of epoch, for which the record
	// layer has no keys, belongs to the epoch the handshake will switch to
	// (it overtook the peer's ChangeCipherSpec) and is worth keeping.
	awaitsEpoch(epoch uint16) bool
	// awaitsPeerFinished reports whether the peer's Finished is the next
	// thing to come in epoch, the new one.
	awaitsPeerFinished(epoch uint16) bool
	// peerResendsLastFlight reports whether a record of an epoch whose
	// keys are gone is the peer retransmitting its last flight of the
	// previous handshake, so that ours needs to go again.
	// (Arguments pass through the interface by value: a pointer would
	// escape, and the record path must not allocate.)
	peerResendsLastFlight(epoch uint16, t protocol.ContentType, payload []byte, first fragment) bool

	// renegotiate starts a new handshake on the established association at
	// the application's request.
	renegotiate(st *step) error
	// stop drops the handshake in progress, if any, and wipes its secrets.
	stop()

	// restartedBy reports whether an epoch-0 ClientHello with this random
	// comes from a client that restarted (RFC 6347 §4.2.8) rather than
	// being a copy of the ClientHello of our handshake.
	restartedBy(random []byte) bool
	// halfOpen reports whether a server handshake waits for the client's
	// key exchange, the first thing a client only sends after it proved
	// its address and got our flight.
	halfOpen() bool

	// negotiated is the cipher suite the handshake in progress chose, nil
	// before it chose one or when none runs.
	negotiated() *suite.Suite

	// snapshot fills in what it knows of the association's state.
	snapshot(s *snapshot)
}

// asAlert maps an error from a callback or a step to the alert to send.
func asAlert(err error, def protocol.AlertDescription) protocol.Alert {
	// errors.AsType here and below: errors.As would link reflection into
	// the C library for these three uses.
	if a, ok := errors.AsType[protocol.Alert](err); ok {
		a.Level = protocol.LevelFatal
		return a
	}
	return protocol.Fatal(def)
}

// refusal is a handshake message we must refuse: the alert to send, and
// what to log (nothing if why is empty). The checks that decide it are pure
// functions of the message and our settings.
type refusal struct {
	alert protocol.AlertDescription
	why   string
}

func (r refusal) Error() string { return r.why }

// refuse is a refusal with the alert d, logged as why.
func refuse(d protocol.AlertDescription, why string) error { return refusal{d, why} }

// refused logs a refusal and turns it into its alert; other errors pass.
func (c *Conn) refused(err error) error {
	r, ok := errors.AsType[refusal](err)
	if !ok {
		return err
	}
	if r.why != "" {
		c.logf(LogWarn, "%s", r.why)
	}
	return protocol.Fatal(r.alert)
}

// asRefusal reports whether err is a refusal, and sets *r to it.
func asRefusal(err error, r *refusal) bool {
	var ok bool
	*r, ok = errors.AsType[refusal](err)
	return ok
}
