package engine

import (
	"crypto/ecdh"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"hash"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/prf"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// handshakeState lives only while a handshake runs and is dropped when it
// ends, so an established association stays small.
type handshakeState struct {
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

	suite   *suite.Suite
	offered []protocol.CipherSuite // client: what our ClientHello offered

	clientRandom, serverRandom [protocol.RandomLen]byte
	ch                         *handshake.ClientHello // client: resent with the cookie
	hvrCount                   int

	ems             bool
	peerSecureReneg bool

	// Key exchange.
	hint          []byte
	ecdhPriv      *ecdh.PrivateKey
	ecdhShared    []byte // client: the premaster secret, from the ServerKeyExchange
	peerX, peerY  []byte // the peer's static key
	certRequested bool   // server: we sent CertificateRequest; client: we got one
	canSendCert   bool   // client: the request allows our key type
	peerSentCert  bool   // server: the client sent a non-empty Certificate
	master        [protocol.MasterSecretLen]byte

	newEpochActive bool // the peer's ChangeCipherSpec switched our read epoch
	ccsPending     bool // a ChangeCipherSpec came before the keys existed
	peerFinished   bool

	// Client: the optional extensions our ClientHello offered, the only
	// ones the ServerHello may answer (RFC 9146, RFC 8449).
	offeredCID bool
	offeredRSL bool
}

func (c *Conn) beginHandshake(reneg bool) *handshakeState {
	hs := &handshakeState{
		renegotiation: reneg,
		startEpoch:    c.rl.In.Epoch(),
		reasm:         handshake.NewReassembler(c.e.cfg.Reassembly),
		transcript:    sha256.New(),
	}
	c.hs = hs
	c.e.handshakes++
	return hs
}

// endHandshake drops the handshake state and wipes its secrets.
func (c *Conn) endHandshake() {
	if c.hs == nil {
		return
	}
	clear(c.hs.master[:])
	clear(c.hs.ecdhShared)
	c.hs = nil
	c.e.handshakes--
	c.rl.In.DropNext()
	c.rl.Out.DropNext()
}

// setHSState advances the handshake. The association's visible state
// follows only during the first handshake: a renegotiating association
// stays CONNECTED and keeps carrying data.
func (c *Conn) setHSState(s State) {
	c.hs.state = s
	if !c.hs.renegotiation {
		c.setState(s)
	}
}

// newMsg creates the next outgoing handshake message in the current write
// epoch and adds it to the transcript.
func (c *Conn) newMsg(t protocol.HandshakeType, body []byte) outMsg {
	hs := c.hs
	m := outMsg{epoch: c.rl.Out.Epoch(), typ: t, seq: hs.sendSeq, body: body}
	hs.sendSeq++
	if t != protocol.HandshakeHelloRequest && t != protocol.HandshakeHelloVerifyRequest {
		h := handshake.Header{Type: t, Length: uint32(len(body)), MessageSeq: m.seq, FragmentLength: uint32(len(body))}
		hs.scratch = h.Append(hs.scratch[:0])
		hs.transcript.Write(hs.scratch)
		hs.transcript.Write(body)
	}
	return m
}

func (hs *handshakeState) hashMessage(m *handshake.Message) {
	hs.scratch = m.AppendRaw(hs.scratch[:0])
	hs.transcript.Write(hs.scratch)
}

// transcriptHash returns the hash of the handshake messages so far; the
// running hash goes on (hash.Hash.Sum does not change its state).
func (hs *handshakeState) transcriptHash() []byte { return hs.transcript.Sum(nil) }

func ccsMsg(epoch uint16) outMsg { return outMsg{epoch: epoch, ccs: true} }

// deriveKeys turns the premaster secret into the master secret and the
// pending epoch's record protection (RFC 5246 §6.3, §8.1; RFC 7627 §4).
func (c *Conn) deriveKeys(preMaster []byte) {
	hs := c.hs
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
	var ck, sk record.Keys
	ck.Suite, sk.Suite = hs.suite, hs.suite
	copy(ck.Key[:], clientKey)
	copy(ck.IV[:], clientIV)
	copy(sk.Key[:], serverKey)
	copy(sk.IV[:], serverIV)
	mine, theirs := ck, sk
	if c.role == RoleServer {
		mine, theirs = sk, ck
	}
	c.rl.Out.SetNext(mine)
	c.rl.In.SetNext(theirs)
}

// awaitChangeCipherSpec moves on to the peer's ChangeCipherSpec once the
// keys of its new epoch exist, or past it when it already came: it may
// overtake the messages before it.
func (c *Conn) awaitChangeCipherSpec(st *step) error {
	hs := c.hs
	switch {
	case hs.newEpochActive:
		c.setHSState(StateWaitFinished)
		return nil
	case hs.ccsPending:
		c.setHSState(StateWaitChangeCipherSpec)
		return c.activateRead(st)
	}
	c.setHSState(StateWaitChangeCipherSpec)
	return nil
}

// activateWrite switches our write epoch right after a ChangeCipherSpec
// went into the flight under construction.
func (c *Conn) activateWrite() {
	c.rl.Out.Activate()
	c.logf(LogDebug, "write epoch %d active (%v)", c.rl.Out.Epoch(), c.rl.Out.Suite())
}

// asAlert maps an error from a callback or a step to the alert to send.
func asAlert(err error, def protocol.AlertDescription) protocol.Alert {
	var a protocol.Alert
	if errors.As(err, &a) {
		a.Level = protocol.LevelFatal
		return a
	}
	return protocol.Fatal(def)
}

func (c *Conn) handleHandshakeRecord(st *step, epoch uint16, data []byte) error {
	for len(data) > 0 && !c.removed {
		hh, frag, rest, ok := handshake.ParseFragment(data)
		if !ok {
			c.logf(LogDebug, "dropping malformed handshake fragment")
			return nil
		}
		data = rest
		if hh.Type == protocol.HandshakeHelloRequest && (c.role == RoleServer || c.hs != nil) &&
			!c.crossedHelloRequest(hh, epoch) {
			// RFC 5246 §7.4.1.1: ignored unless a client could start a
			// renegotiation. It must not take the sequence number of the
			// message the handshake waits for.
			continue
		}
		if c.hs == nil {
			if !c.startPeerHandshake(st, hh, epoch) || c.hs == nil || c.removed {
				continue
			}
		}
		switch c.hs.reasm.Push(hh, frag, epoch) {
		case handshake.Old:
			st.noteDuplicate(c)
			continue
		case handshake.Accepted:
			c.peerAnswers(hh.Type)
		default:
			continue
		}
		for c.hs != nil && !c.removed {
			m, ok := c.hs.reasm.Pop()
			if !ok {
				break
			}
			if err := c.handleMessage(st, &m); err != nil {
				return err
			}
		}
	}
	return nil
}

// crossedHelloRequest: the server asked for a renegotiation while ours was
// already on its way. Its ServerHello will come numbered after the
// HelloRequest, so the (protected, hence authentic) HelloRequest must use
// up its sequence number here even though it is otherwise ignored.
func (c *Conn) crossedHelloRequest(hh handshake.Header, epoch uint16) bool {
	hs := c.hs
	return c.role == RoleClient && hs != nil && hs.renegotiation && epoch > 0 && epoch == hs.startEpoch &&
		hs.state == StateClientHello && hh.MessageSeq == hs.reasm.NextSeq()
}

// startPeerHandshake looks at a handshake message that arrived while no
// handshake runs. A ClientHello (at a server) or a HelloRequest (at a
// client) in the current protected epoch starts a renegotiation; older
// messages are retransmissions of the last handshake. It reports whether
// the message belongs to a handshake that now runs.
func (c *Conn) startPeerHandshake(st *step, hh handshake.Header, epoch uint16) bool {
	if !c.established || c.state != StateConnected {
		return false
	}
	fresh := epoch == c.rl.In.Epoch() && epoch > 0 && hh.MessageSeq == 0
	asks := c.role == RoleServer && hh.Type == protocol.HandshakeClientHello ||
		c.role == RoleClient && hh.Type == protocol.HandshakeHelloRequest
	if !fresh || !asks {
		if hh.MessageSeq < c.peerSeqEnd {
			st.noteDuplicate(c)
		}
		return false
	}
	if !c.secureReneg {
		c.logf(LogInfo, "peer asks to renegotiate without RFC 5746 support; declining")
		c.sendAlert(st, protocol.Alert{Level: protocol.LevelWarning, Description: protocol.AlertNoRenegotiation})
		return false
	}
	if c.e.handshakes >= c.e.cfg.MaxHandshakes {
		return false
	}
	if c.role == RoleServer {
		c.serverAwaitRenegotiation()
		c.e.h.Event(c, protocol.LevelInternal, protocol.EventRenegotiate)
		return true
	}
	c.e.h.Event(c, protocol.LevelInternal, protocol.EventRenegotiate)
	if c.removed {
		return false
	}
	if _, err := c.clientStart(st, true); err != nil {
		c.logf(LogWarn, "cannot renegotiate: %v", err)
		return false
	}
	if c.hs != nil {
		// The HelloRequest is not part of the handshake, but it used up
		// its message_seq.
		c.hs.reasm.Reset(hh.MessageSeq + 1)
	}
	return false
}

// handleMessage processes one complete handshake message in sequence order.
func (c *Conn) handleMessage(st *step, m *handshake.Message) error {
	hs := c.hs
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
	var err error
	if c.role == RoleClient {
		err = c.clientMessage(st, m)
	} else {
		err = c.serverMessage(st, m)
	}
	if err != nil {
		return c.fail(st, asAlert(err, protocol.AlertInternalError))
	}
	return nil
}

// acceptPeerKey parses the peer's raw public key (RFC 7250) and lets the
// application accept or reject it.
func (c *Conn) acceptPeerKey(spki []byte) error {
	x, y, err := ecc.ParseSPKI(spki)
	if err != nil {
		c.logf(LogWarn, "the peer's key is not a P-256 SubjectPublicKeyInfo: %v", err)
		return protocol.Fatal(protocol.AlertBadCertificate)
	}
	if err := c.e.h.VerifyECDSAKey(c, x, y); err != nil {
		c.logf(LogWarn, "the application rejected the peer's key")
		return asAlert(err, protocol.AlertBadCertificate)
	}
	c.hs.peerX, c.hs.peerY = x, y
	return nil
}

// checkPeerFinished verifies the peer's Finished against the transcript so
// far and keeps its verify_data, which RFC 5746 renegotiation binds to.
func (c *Conn) checkPeerFinished(m *handshake.Message, label string, keep []byte) error {
	hs := c.hs
	var fin handshake.Finished
	if !fin.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	want := prf.VerifyData(hs.master[:], label, hs.transcriptHash())
	if subtle.ConstantTimeCompare(want[:], fin.VerifyData) != 1 {
		c.logf(LogWarn, "the peer's Finished (%s) does not verify: %s", label, c.keyMismatch())
		return protocol.Fatal(protocol.AlertDecryptError)
	}
	hs.hashMessage(m)
	hs.peerFinished = true
	copy(keep, want[:])
	return nil
}

// finishHandshake marks the handshake complete on our side.
func (c *Conn) finishHandshake(st *step) error {
	hs := c.hs
	c.secureReneg = hs.peerSecureReneg
	c.suite = hs.suite
	c.peerSeqEnd = hs.reasm.NextSeq()
	if c.role == RoleServer {
		c.lastHello = helloID(hs.clientRandom[:])
	}
	c.endHandshake()
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
	if c.role == RoleClient {
		c.flight = nil
		c.dropOldWriteEpoch()
	}
	c.updateTimer()
	c.logf(LogInfo, "handshake complete (%v)", c.suite)
	c.setState(StateConnected)
	if c.removed {
		return nil
	}
	c.e.h.Event(c, protocol.LevelInternal, protocol.EventConnected)
	if c.removed {
		return nil
	}
	c.rl.In.Release()
	return nil
}

func (c *Conn) renegotiate(st *step) error {
	if !c.Established() {
		return ErrNotConnected
	}
	if c.hs != nil {
		return nil
	}
	if !c.secureReneg && !c.e.cfg.legacyRenegotiation {
		return ErrNoRenegotiate
	}
	if c.e.handshakes >= c.e.cfg.MaxHandshakes {
		return ErrTooManyConns
	}
	c.e.h.Event(c, protocol.LevelInternal, protocol.EventRenegotiate)
	if c.removed {
		return ErrNoConn
	}
	if c.role == RoleClient {
		_, err := c.clientStart(st, true)
		return err
	}
	c.serverAwaitRenegotiation()
	m := c.newMsg(protocol.HandshakeHelloRequest, nil)
	_, err := c.sendFlight(st, []outMsg{m}, false)
	return err
}

// serverAwaitRenegotiation starts a server's renegotiation handshake, which
// begins with the client's ClientHello at message_seq 0.
func (c *Conn) serverAwaitRenegotiation() {
	hs := c.beginHandshake(true)
	hs.state = StateWaitClientHello
	hs.reasm.Reset(0)
}
