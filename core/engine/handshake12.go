// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"hash"
	"time"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/p256"
	"github.com/tinydtls-go/tinydtls/core/prf"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// The DTLS 1.2 handshake (RFC 6347 §4.2, RFC 5246 §7.3): what its client
// (handshake12_client.go) and server (handshake12_server.go) share. That is
// the handshake's messages arriving in order (reassembly, the transcript),
// the peer's ChangeCipherSpec, the key schedule, both Finished messages,
// the checks both roles make of RFC 5746 and RFC 7627, the credentials
// both roles fetch from the application, and renegotiation.

// base12 is the part of a DTLS 1.2 handshaker that both roles share and
// that lives as long as the association.
type base12 struct {
	c *Conn

	// RFC 5746: whether the peer supports secure renegotiation, and the
	// verify_data of the last completed handshake.
	secureReneg                bool
	clientVerify, serverVerify [protocol.VerifyDataLen]byte
	// peerSeqEnd is one past the message_seq of the peer's last message in
	// the last completed handshake; lower ones are retransmissions.
	peerSeqEnd uint16

	hs *hs12 // the handshake in progress, nil between handshakes
}

// role12 is what a DTLS 1.2 handshake does differently in each role, for
// the code the roles share: base12's methods that need it take it as r
// (the roles pass themselves), so that an association does not keep a
// pointer to itself.
type role12 interface {
	// handle processes the next complete message of the running
	// handshake; an error ends the handshake with its alert. (m is passed
	// by value: a pointer through an interface escapes.)
	handle(st *step, m handshake.Message) error
	// ignoresHelloRequest: a HelloRequest in epoch is not for us now
	// (RFC 5246 §7.4.1.1: ignored unless a client could start a
	// renegotiation).
	ignoresHelloRequest(hh handshake.Header, epoch uint16) bool
	// peerStarts reports whether a message of type t starts a handshake
	// when the peer sends it (a ClientHello to a server, a HelloRequest to
	// a client).
	peerStarts(t protocol.HandshakeType) bool
	// startForPeer starts the renegotiation the peer asks for with hh and
	// reports whether hh belongs to the handshake that now runs.
	startForPeer(st *step, hh handshake.Header) bool
	// startRenegotiation starts a renegotiation on our side.
	startRenegotiation(st *step) error
	// done does the role's bookkeeping for a completed handshake and drops
	// the role's part of its state.
	done(hs *hs12)
	dropState()
}

// hs12 is the state of one DTLS 1.2 handshake in progress that both roles
// share; each role's state embeds it.
type hs12 struct {
	renegotiation bool
	// startEpoch is the epoch of every message of this handshake but the
	// Finished messages, which come in startEpoch+1.
	startEpoch uint16
	state      State

	params     UserParameters
	reasm      *handshake.Reassembler
	sendSeq    uint16
	transcript hash.Hash
	scratch    []byte

	suite                      *suite.Suite
	clientRandom, serverRandom [protocol.RandomLen]byte
	ems, peerSecureReneg       bool

	ecdhPriv      *keyShare
	peerX, peerY  []byte // the peer's static key
	certRequested bool   // server: we sent CertificateRequest; client: we got one
	master        [protocol.MasterSecretLen]byte

	newEpochActive bool // the peer's ChangeCipherSpec switched our read epoch
	ccsPending     bool // a ChangeCipherSpec came before the keys existed
	peerFinished   bool
}

func (b *base12) version() uint16    { return protocol.VersionDTLS12 }
func (b *base12) running() bool      { return b.hs != nil }
func (b *base12) firstRunning() bool { return b.hs != nil && !b.hs.renegotiation }
func (b *base12) renegotiating() bool {
	return b.hs != nil && b.hs.renegotiation
}

// begin starts a handshake: hs, the shared part of the role's new state.
func (b *base12) begin(hs *hs12, reneg bool) {
	c := b.c
	*hs = hs12{
		renegotiation: reneg,
		startEpoch:    c.rl.In.Epoch(),
		reasm:         handshake.NewReassembler(c.e.cfg.Reassembly),
		transcript:    sha256.New(),
	}
	b.hs = hs
	c.e.handshakes++
}

// stop drops the handshake state and wipes its secrets.
func (b *base12) stop(r role12) {
	if b.hs == nil {
		return
	}
	clear(b.hs.master[:])
	r.dropState()
	b.hs = nil
	b.c.e.handshakes--
	b.c.rl.In.DropNext()
	b.c.rl.Out.DropNext()
}

// setState advances the handshake. The association's visible state
// follows only during the first handshake: a renegotiating association
// stays CONNECTED and keeps carrying data.
func (b *base12) setState(s State) {
	b.hs.state = s
	if !b.hs.renegotiation {
		b.c.setState(s)
	}
}

func (b *base12) awaitsEpoch(epoch uint16) bool {
	return b.hs != nil && !b.hs.newEpochActive && epoch == b.c.rl.In.Epoch()+1
}

func (b *base12) awaitsPeerFinished(epoch uint16) bool {
	hs := b.hs
	return hs != nil && epoch == b.c.rl.In.Epoch() && hs.newEpochActive && !hs.peerFinished
}

// peerResendsLastFlight: a record of the epoch before the last handshake,
// whose keys are gone, is a message of the peer's last flight of that
// handshake (a Certificate, ClientKeyExchange or CertificateVerify before
// its Finished) while we still hold our final flight: the peer is
// retransmitting, record by record as upstream tinydtls does, and its
// Finished may never get through on its own. Such a record is
// unauthenticated, so it only ever triggers the rate-limited resend of our
// final flight to the peer's own address.
func (b *base12) peerResendsLastFlight(epoch uint16, t protocol.ContentType, payload []byte, first fragment) bool {
	c := b.c
	if c.flight == nil || !c.flight.final || epoch+1 != c.rl.In.Epoch() || t != protocol.ContentHandshake {
		return false
	}
	hh, _, _, ok := first.next(payload)
	return ok && hh.MessageSeq < b.peerSeqEnd &&
		(hh.Type == protocol.HandshakeCertificate || hh.Type == protocol.HandshakeClientKeyExchange ||
			hh.Type == protocol.HandshakeCertificateVerify)
}

func (b *base12) halfOpen() bool { return false }

// ackRecord: DTLS 1.2 has no ACK content type (RFC 9147 §7 is 1.3's).
func (b *base12) ackRecord(*step, uint16, []byte) {
	b.c.logf(LogDebug, "dropping ACK record: DTLS 1.2 has none")
}

func (b *base12) deadline() time.Duration { return 0 }
func (b *base12) onTimer(*step)           {}
func (b *base12) flightDropped(*step)     {}
func (b *base12) keysAging(*step)         {}
func (b *base12) forged(*step)            {}

func (b *base12) negotiated() *suite.Suite {
	if b.hs == nil {
		return nil
	}
	return b.hs.suite
}

func (b *base12) restartedBy(random []byte) bool { return false }

func (b *base12) snapshot(s *snapshot) {
	s.ClientVerify, s.ServerVerify = b.clientVerify, b.serverVerify
	if hs := b.hs; hs != nil {
		s.Handshake = handshakeSnapshot{Running: true, State: hs.state, NextRecvSeq: hs.reasm.NextSeq(),
			NewEpochActive: hs.newEpochActive, CCSPending: hs.ccsPending}
		s.Handshake.BufferedMsgs, s.Handshake.BufferedBytes = hs.reasm.Buffered()
	}
}

// handshakeRecord takes the handshake fragments of one record through the
// reassembler, and the messages that completes, in order, to the role.
func (b *base12) handshakeRecord(r role12, st *step, epoch uint16, data []byte, first fragment) {
	c := b.c
	for len(data) > 0 && !c.removed {
		hh, frag, rest, ok := first.next(data)
		if !ok {
			c.logf(LogDebug, "dropping malformed handshake fragment")
			return
		}
		data = rest
		if hh.Type == protocol.HandshakeHelloRequest && r.ignoresHelloRequest(hh, epoch) {
			// It must not take the sequence number of the message the
			// handshake waits for.
			continue
		}
		if b.hs == nil {
			if !b.startByPeer(r, st, hh, epoch) || b.hs == nil || c.removed {
				continue
			}
		}
		switch b.hs.reasm.Push(hh, frag, epoch) {
		case handshake.Old:
			st.noteDuplicate(c)
			continue
		case handshake.Accepted:
			c.peerAnswers(hh.Type)
		default:
			continue
		}
		for b.hs != nil && !c.removed {
			m, ok := b.hs.reasm.Pop()
			if !ok {
				break
			}
			if b.message(r, st, &m) != nil {
				return
			}
		}
	}
}

// startByPeer looks at a handshake message that arrived while no handshake
// runs. The message that starts a handshake in our role (peerStarts), in
// the current protected epoch, starts a renegotiation; older messages are
// retransmissions of the last handshake. It reports whether the message
// belongs to a handshake that now runs.
func (b *base12) startByPeer(r role12, st *step, hh handshake.Header, epoch uint16) bool {
	c := b.c
	if !c.established || c.state != StateConnected {
		return false
	}
	fresh := epoch == c.rl.In.Epoch() && epoch > 0 && hh.MessageSeq == 0
	if !fresh || !r.peerStarts(hh.Type) {
		if hh.MessageSeq < b.peerSeqEnd {
			st.noteDuplicate(c)
		}
		return false
	}
	if !b.secureReneg {
		c.logf(LogInfo, "peer asks to renegotiate without RFC 5746 support; declining")
		c.sendAlert(st, protocol.Alert{Level: protocol.LevelWarning, Description: protocol.AlertNoRenegotiation})
		return false
	}
	if c.e.handshakes >= c.e.cfg.MaxHandshakes {
		return false
	}
	return r.startForPeer(st, hh)
}

// message processes one complete handshake message in sequence order; an
// error it returns has ended the handshake.
func (b *base12) message(r role12, st *step, m *handshake.Message) error {
	c, hs := b.c, b.hs
	t := m.Header.Type
	c.logMessage("received", &m.Header, m.Epoch)
	want := hs.startEpoch
	if t == protocol.HandshakeFinished {
		want++
	}
	if m.Epoch != want {
		c.logf(LogWarn, "%v in epoch %d, expected %d", t, m.Epoch, want)
		return c.fail(st, protocol.Fatal(protocol.AlertUnexpectedMessage))
	}
	switch t {
	case protocol.HandshakeHelloVerifyRequest, protocol.HandshakeHelloRequest,
		protocol.HandshakeFinished, protocol.HandshakeCertificateVerify:
		// Not hashed, or hashed after verification (their checks cover the
		// transcript before them).
	default:
		hs.hashMessage(m)
	}
	if err := r.handle(st, *m); err != nil {
		return c.fail(st, asAlert(c.refused(err), protocol.AlertInternalError))
	}
	return nil
}

// unexpected is the answer to a message the handshake does not expect now.
func (b *base12) unexpected(m *handshake.Message) error {
	b.c.logf(LogWarn, "unexpected %v in state %v", m.Header.Type, b.hs.state)
	return protocol.Fatal(protocol.AlertUnexpectedMessage)
}

// changeCipherSpec switches the read epoch to the handshake's new keys.
func (b *base12) changeCipherSpec(st *step, epoch uint16, data []byte) {
	c := b.c
	if len(data) != 1 || data[0] != 1 {
		c.logf(LogDebug, "dropping malformed ChangeCipherSpec")
		return
	}
	hs := b.hs
	if hs == nil || epoch != c.rl.In.Epoch() || hs.newEpochActive {
		// Before any handshake (CVE-2017-7243), after it, or a
		// retransmission: nothing to switch.
		c.logf(LogDebug, "ignoring ChangeCipherSpec")
		return
	}
	if !c.rl.In.HasNext() {
		// Overtook the key exchange; switch once the keys exist.
		hs.ccsPending = true
		return
	}
	b.activateRead()
}

// activateRead makes the pending read epoch current after the peer's
// ChangeCipherSpec and releases the records that waited for it.
func (b *base12) activateRead() {
	c, hs := b.c, b.hs
	c.rl.In.Activate()
	hs.newEpochActive = true
	hs.ccsPending = false
	c.logf(LogDebug, "read epoch %d active (%v)", c.rl.In.Epoch(), c.rl.In.Suite())
	if hs.state == StateWaitChangeCipherSpec {
		b.setState(StateWaitFinished)
	}
	c.rl.In.Release()
}

// awaitChangeCipherSpec moves on to the peer's ChangeCipherSpec once the
// keys of its new epoch exist, or past it when it already came: it may
// overtake the messages before it.
func (b *base12) awaitChangeCipherSpec() {
	hs := b.hs
	switch {
	case hs.newEpochActive:
		b.setState(StateWaitFinished)
		return
	case hs.ccsPending:
		b.setState(StateWaitChangeCipherSpec)
		b.activateRead()
		return
	}
	b.setState(StateWaitChangeCipherSpec)
}

// newMsg creates the next outgoing handshake message in the current write
// epoch and adds it to the transcript.
func (b *base12) newMsg(t protocol.HandshakeType, body []byte) outMsg {
	hs := b.hs
	m := outMsg{epoch: b.c.rl.Out.Epoch(), typ: t, seq: hs.sendSeq, body: body}
	hs.sendSeq++
	if t != protocol.HandshakeHelloRequest && t != protocol.HandshakeHelloVerifyRequest {
		h := handshake.Header{Type: t, Length: uint32(len(body)), MessageSeq: m.seq, FragmentLength: uint32(len(body))}
		hs.scratch = h.Append(hs.scratch[:0])
		hs.transcript.Write(hs.scratch)
		hs.transcript.Write(body)
	}
	return m
}

func (hs *hs12) hashMessage(m *handshake.Message) {
	hs.scratch = m.AppendRaw(hs.scratch[:0])
	hs.transcript.Write(hs.scratch)
}

// transcriptHash returns the hash of the handshake messages so far; the
// running hash goes on (hash.Hash.Sum does not change its state).
func (hs *hs12) transcriptHash() []byte { return hs.transcript.Sum(nil) }

func ccsMsg(epoch uint16) outMsg { return outMsg{epoch: epoch, ccs: true} }

// deriveKeys turns the premaster secret into the master secret and the
// keys of the next epoch in both directions (RFC 5246 §6.3, §8.1; RFC 7627
// §4).
func (b *base12) deriveKeys(preMaster []byte) (client, server record.Keys) {
	c, hs := b.c, b.hs
	if hs.ems {
		hs.master = prf.ExtendedMasterSecret(preMaster, hs.transcriptHash())
	} else {
		hs.master = prf.MasterSecret(preMaster, hs.clientRandom[:], hs.serverRandom[:])
	}
	clear(preMaster)
	var kb [suite.KeyBlockLen]byte
	prf.KeyBlock(hs.master[:], hs.serverRandom[:], hs.clientRandom[:], kb[:])
	defer clear(kb[:])
	k := suite.KeyLen
	clientKey, serverKey := kb[:k], kb[k:2*k]
	clientIV, serverIV := kb[2*k:2*k+suite.FixedIVLen], kb[2*k+suite.FixedIVLen:]
	if c.debugOn() {
		// The session's keys, as upstream logs them at this level (not the
		// pre-shared key or premaster secret they come from).
		c.dumpLine("client_random", hs.clientRandom[:])
		c.dumpLine("server_random", hs.serverRandom[:])
		if hs.ems {
			c.dumpLine("extended_master_secret", hs.master[:])
		} else {
			c.dumpLine("master_secret", hs.master[:])
		}
		c.logf(LogDebug, "key_block (%d bytes):", len(kb))
		c.dumpLine("  client_MAC_secret", nil)
		c.dumpLine("  server_MAC_secret", nil)
		c.dumpLine("  client_write_key", clientKey)
		c.dumpLine("  server_write_key", serverKey)
		c.dumpLine("  client_IV", clientIV)
		c.dumpLine("  server_IV", serverIV)
	}
	client.Suite, server.Suite = hs.suite, hs.suite
	copy(client.Key[:], clientKey)
	copy(client.IV[:], clientIV)
	copy(server.Key[:], serverKey)
	copy(server.IV[:], serverIV)
	return client, server
}

// changeCipherSpecAndFinished ends our side of the handshake: a
// ChangeCipherSpec, the switch to the new write epoch, and our Finished
// (label "client finished" or "server finished"), whose verify_data is
// kept in keep for RFC 5746.
func (b *base12) changeCipherSpecAndFinished(label string, keep *[protocol.VerifyDataLen]byte) []outMsg {
	c, hs := b.c, b.hs
	msgs := []outMsg{ccsMsg(c.rl.Out.Epoch())}
	c.rl.Out.Activate()
	c.logf(LogDebug, "write epoch %d active (%v)", c.rl.Out.Epoch(), c.rl.Out.Suite())
	vd := prf.VerifyData(hs.master[:], label, hs.transcriptHash())
	*keep = vd
	return append(msgs, b.newMsg(protocol.HandshakeFinished, vd[:]))
}

// checkPeerFinished verifies the peer's Finished against the transcript so
// far and keeps its verify_data, which RFC 5746 renegotiation binds to.
func (b *base12) checkPeerFinished(m *handshake.Message, label string, keep *[protocol.VerifyDataLen]byte) error {
	hs := b.hs
	var fin handshake.Finished
	if !fin.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	want := prf.VerifyData(hs.master[:], label, hs.transcriptHash())
	if subtle.ConstantTimeCompare(want[:], fin.VerifyData) != 1 {
		b.c.logf(LogWarn, "the peer's Finished (%s) does not verify: %s", label, b.c.keyMismatch())
		return protocol.Fatal(protocol.AlertDecryptError)
	}
	hs.hashMessage(m)
	hs.peerFinished = true
	*keep = want
	return nil
}

// finish marks the handshake complete on our side.
func (b *base12) finish(r role12, st *step) {
	c, hs := b.c, b.hs
	b.secureReneg = hs.peerSecureReneg
	b.peerSeqEnd = hs.reasm.NextSeq()
	r.done(hs)
	b.stop(r)
	c.handshakeDone(st)
}

// renegotiate starts a renegotiation at the application's request.
func (b *base12) renegotiate(r role12, st *step) error {
	c := b.c
	if b.hs != nil {
		return nil
	}
	if !b.secureReneg {
		return ErrNoRenegotiate
	}
	if c.e.handshakes >= c.e.cfg.MaxHandshakes {
		return ErrTooManyConns
	}
	c.e.h.Event(c, protocol.LevelInternal, protocol.EventRenegotiate)
	if c.removed {
		return ErrNoConn
	}
	return r.startRenegotiation(st)
}

// userParameters asks the application for this handshake's parameters.
func (b *base12) userParameters() {
	b.hs.params = DefaultUserParameters()
	b.c.e.h.UserParameters(b.c, &b.hs.params)
}

// pskPreMaster is the premaster secret (RFC 4279 §2) of the application's
// key for identity. If there is none, err is the alert to send, and
// refused says whether the application refused with an error rather than
// having no key.
func (b *base12) pskPreMaster(identity []byte) (pre []byte, refused bool, err error) {
	c := b.c
	key := make([]byte, MaxPSKLen)
	defer clear(key)
	n, err := c.e.h.PSKInfo(c, PSKKey, identity, key)
	if err != nil {
		return nil, true, asAlert(err, protocol.AlertInternalError)
	}
	if n <= 0 || n > len(key) {
		return nil, false, protocol.Fatal(protocol.AlertInternalError)
	}
	return prf.PSKPreMasterSecret(key[:n]), false, nil
}

// ownKey is the application's ECDSA key and its raw public key (RFC 7250).
func (b *base12) ownKey() (*p256.PrivateKey, []byte, error) {
	c := b.c
	key, err := c.e.h.ECDSAKey(c)
	if err != nil {
		return nil, nil, asAlert(err, protocol.AlertInternalError)
	}
	priv, err := parsePrivateKey(key)
	if err != nil {
		c.logf(LogCrit, "the application's ECDSA key is unusable")
		return nil, nil, err
	}
	return priv, ecc.MarshalSPKI(key.X, key.Y), nil
}

// acceptPeerKey parses the peer's raw public key (RFC 7250) and lets the
// application accept or reject it.
func (b *base12) acceptPeerKey(spki []byte) error {
	c := b.c
	x, y, err := ecc.ParseSPKI(spki)
	if err != nil {
		c.logf(LogWarn, "the peer's key is not a P-256 SubjectPublicKeyInfo: %v", err)
		return protocol.Fatal(protocol.AlertBadCertificate)
	}
	if err := c.e.h.VerifyECDSAKey(c, x, y); err != nil {
		c.logf(LogWarn, "the application rejected the peer's key")
		return asAlert(err, protocol.AlertBadCertificate)
	}
	b.hs.peerX, b.hs.peerY = x, y
	return nil
}

// ephemeralKey generates our ECDHE key on first use.
func (b *base12) ephemeralKey() (*keyShare, error) {
	hs := b.hs
	if hs.ecdhPriv == nil {
		k, err := newKeyShare(b.c.e.cfg.Rand, protocol.GroupSecp256r1)
		if err != nil {
			return nil, err
		}
		hs.ecdhPriv = k
	}
	return hs.ecdhPriv, nil
}

// checkEMS is RFC 7627's check: the extended master secret, when forced,
// must be in use. noEMS says what the peer lacks.
func checkEMS(force, ems bool, noEMS string) error {
	if force && !ems {
		return refuse(protocol.AlertHandshakeFailure, noEMS)
	}
	return nil
}

// renegotiationInfo is what RFC 5746 §3 checks of a hello: whether the
// peer signalled secure renegotiation (the extension, or a client's SCSV),
// and in a renegotiation the verify data it carries.
type renegotiationInfo struct {
	reneg     bool   // this handshake renegotiates
	has       bool   // the renegotiation_info extension is present
	got, want []byte // its content, and the verify data it must carry
	scsv      bool   // TLS_EMPTY_RENEGOTIATION_INFO_SCSV (ClientHello only)
	force     bool   // the application requires RFC 5746
	// What to log: a renegotiation without the right verify data, a peer
	// without RFC 5746 when it is forced.
	mismatch, unsupported string
}

// check returns whether the peer supports secure renegotiation.
func (ri *renegotiationInfo) check() (bool, error) {
	if ri.reneg {
		if ri.scsv || !ri.has || subtle.ConstantTimeCompare(ri.got, ri.want) != 1 {
			return false, refuse(protocol.AlertHandshakeFailure, ri.mismatch)
		}
		return true, nil
	}
	if ri.has && len(ri.got) != 0 {
		return false, refuse(protocol.AlertHandshakeFailure, "")
	}
	secure := ri.scsv || ri.has
	if ri.force && !secure {
		return false, refuse(protocol.AlertHandshakeFailure, ri.unsupported)
	}
	return secure, nil
}

// helloID condenses a ClientHello random; 64 bits tell a client's own
// ClientHello from a restarted client's with certainty in practice, and the
// server keeps them for every association.
func helloID(random []byte) uint64 { return binary.BigEndian.Uint64(random[:8]) }
