// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/sha256"
	"crypto/subtle"
	"hash"
	"time"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/keyschedule"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record13"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// The DTLS 1.3 handshake (RFC 9147 §5, RFC 8446 §4): what its client
// (handshake13_client.go) and server (handshake13_server.go) share. That
// is the messages arriving in order (the same reassembly and 12-byte
// handshake header as 1.2), the transcript in TLS 1.3's form, the key
// schedule, Finished, the acknowledgements of RFC 9147 §7, and what
// follows the handshake: KeyUpdate (RFC 8446 §4.6.3), NewSessionTicket
// (checked and dropped: we offer no resumption).

// DTLS 1.3 epochs (RFC 9147 §6.1).
const (
	epochEarlyData   = 1 // 0-RTT, which we never accept
	epochHandshake   = 2
	epochApplication = 3
	// maxEpoch13 is where KeyUpdates stop: epochs must not wrap, and ours
	// are 16 bits.
	maxEpoch13 = 0xffff
)

// maxACKedPerRecord bounds the record numbers of one ACK we look at.
const maxACKedPerRecord = 256

// keyUpdateAfter is how many records a write epoch carries before we
// update the keys: below the confidentiality limit of AES-CCM, the lowest
// of our AEADs' (RFC 9147 §4.5.3: 2^23 full-size records).
const keyUpdateAfter = 1<<23 - 1<<16

// aeadLimit13 is where a write epoch stops: if the KeyUpdate that
// keyUpdateAfter started was not acknowledged by then, data waits for it
// rather than going out under keys past their limit (RFC 9147 §4.5.3).
const aeadLimit13 = 1 << 23

// forgeryLimit13 is how many records of one read epoch may fail to
// authenticate before the association ends (RFC 9147 §4.5.3: 2^23.5 for
// AES-CCM, the lowest of our AEADs'; CCM_8 has none of its own). At half
// of it we ask the peer for new keys, which start the count again.
const forgeryLimit13 = 1 << 23

// transcript13 is the handshake transcript in TLS 1.3's form (RFC 9147
// §5.2): each message with a 4-byte header of type and length, without
// DTLS's message_seq and fragment fields.
type transcript13 struct {
	h   hash.Hash
	hdr [4]byte
}

func newTranscript13() transcript13 { return transcript13{h: sha256.New()} }

func (t *transcript13) add(typ protocol.HandshakeType, body []byte) {
	t.hdr = [4]byte{byte(typ), byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}
	t.h.Write(t.hdr[:])
	t.h.Write(body)
}

// sum is the hash of the messages so far; the transcript goes on.
func (t *transcript13) sum() []byte { return t.h.Sum(nil) }

// tlsMessage is a handshake message in the transcript's form.
func tlsMessage(typ protocol.HandshakeType, body []byte) []byte {
	return append([]byte{byte(typ), byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
}

// base13 is the part of a DTLS 1.3 handshaker that both roles share and
// that lives as long as the association.
type base13 struct {
	c     *Conn
	suite *suite.Suite
	// The peer's messages, in message_seq order, during and after the
	// handshake; sendSeq numbers ours.
	reasm   *handshake.Reassembler
	sendSeq uint16
	// The application traffic secrets (RFC 8446 §7.2), for KeyUpdate.
	readSecret, writeSecret []byte
	// updating: our KeyUpdate waits for its ACK (RFC 9147 §8: one at a
	// time, and the new keys only after the ACK); updateWanted: one is to
	// go as soon as the flight in its way is acknowledged, asking the peer
	// to update too if updateRequest.
	updating, updateWanted, updateRequest bool
	// forgeries counts the records of the current read epoch that did
	// not authenticate (forgeryLimit13).
	forgeries uint32
	// rekey: what an update the application asked for with
	// dtls_renegotiate() (or the peer asked us to join) still waits for
	// before DTLS_EVENT_CONNECTED ends it, as a renegotiation's would:
	// the acknowledgement of our KeyUpdate, the peer's KeyUpdate.
	rekey uint8
	// The records of the peer's current flight (or post-handshake
	// message) that we received, to acknowledge when ackAt comes (0: not
	// scheduled) or the flight completes; finalACK the server's
	// acknowledgement of the client's last flight, repeated when the
	// client retransmits it, and lastReACK when it last was.
	rcvd      []record13.RecordNumber
	ackAt     time.Duration
	finalACK  []record13.RecordNumber
	lastReACK time.Duration
	done      bool   // the handshake completed
	mode      string // what authenticated it (authName), for the snapshot
	group     uint16 // and its ECDHE group

	hs *hs13 // the handshake in progress, nil between
}

// hs13 is the state of the DTLS 1.3 handshake in progress that both roles
// share.
type hs13 struct {
	state      state13
	counted    bool // it counts in the Endpoint's handshakes
	transcript transcript13
	sched      *keyschedule.Schedule
	// Traffic secrets: handshake, then application.
	clientHS, serverHS, clientAP, serverAP []byte

	params UserParameters
	policy policy13

	psk           bool // authenticated by a PSK (else raw public keys)
	peerX, peerY  []byte
	certRequested bool // server: we sent CertificateRequest; client: we got one
	clientRandom  [protocol.RandomLen]byte
}

// state13 is where a 1.3 handshake is, finer than the upstream states the
// association shows (see visible).
type state13 uint8

const (
	c13WaitServerHello state13 = iota
	c13WaitEncryptedExtensions
	c13WaitCertificateRequest // or the Certificate
	c13WaitCertificate
	c13WaitCertificateVerify
	c13WaitFinished
	s13WaitClientCertificate
	s13WaitClientCertificateVerify
	s13WaitFinished
)

// visible is the upstream state that the association shows for s.
func (s state13) visible() State {
	switch s {
	case c13WaitServerHello:
		return StateClientHello
	case c13WaitEncryptedExtensions, c13WaitCertificateRequest, c13WaitCertificate:
		return StateWaitServerCertificate
	case c13WaitCertificateVerify:
		return StateWaitServerHelloDone
	case s13WaitClientCertificate:
		return StateWaitClientCertificate
	case s13WaitClientCertificateVerify:
		return StateWaitCertificateVerify
	}
	return StateWaitFinished
}

// role13 is what a DTLS 1.3 handshake does differently in each role, for
// the code the roles share (the roles pass themselves, as in 1.2).
type role13 interface {
	// handle processes the next complete message of the running
	// handshake; an error ends it with its alert.
	handle(st *step, m handshake.Message) error
	role() Role
}

func (b *base13) version() uint16     { return protocol.VersionDTLS13 }
func (b *base13) running() bool       { return b.hs != nil }
func (b *base13) firstRunning() bool  { return b.hs != nil }
func (b *base13) renegotiating() bool { return false }

// begin starts a handshake: hs is the shared part of the role's new state;
// count: it counts in the Endpoint's handshakes (a client that also offers
// 1.2 counts in its 1.2 state until the server chose).
func (b *base13) begin(hs *hs13, count bool) {
	c := b.c
	*hs = hs13{transcript: newTranscript13(), counted: count}
	if b.reasm == nil {
		b.reasm = handshake.NewReassembler(c.e.cfg.Reassembly)
	}
	b.hs = hs
	if count {
		c.e.handshakes++
	}
}

// count makes the running handshake count in the Endpoint's handshakes.
func (b *base13) count() {
	if hs := b.hs; hs != nil && !hs.counted {
		hs.counted = true
		b.c.e.handshakes++
	}
}

// forget13 drops what a removed DTLS 1.3 association still pointed at
// and wipes its traffic secrets: a server association lives in an array
// with up to 71 others (slabs), which keeps it, and all it points at,
// while one of them lives.
func forget13(h handshaker) {
	var b *base13
	switch h := h.(type) {
	case *server13:
		b = &h.base13
	case *client13:
		b = &h.base13
	default:
		return
	}
	clear(b.readSecret)
	clear(b.writeSecret)
	b.readSecret, b.writeSecret, b.reasm, b.rcvd, b.finalACK = nil, nil, nil, nil, nil
}

// stopHandshake drops the handshake state and wipes its secrets.
func (b *base13) stopHandshake() {
	hs := b.hs
	if hs == nil {
		return
	}
	for _, s := range [][]byte{hs.clientHS, hs.serverHS, hs.clientAP, hs.serverAP} {
		clear(s)
	}
	if hs.sched != nil {
		hs.sched.Wipe()
	}
	if hs.counted {
		b.c.e.handshakes--
	}
	b.hs = nil
	b.c.rl.In.DropNext()
	b.c.rl.Out.DropNext()
}

func (b *base13) setState(s state13) {
	b.hs.state = s
	b.c.setState(s.visible())
}

func (b *base13) changeCipherSpec(*step, uint16, []byte) {
	b.c.logf(LogDebug, "dropping ChangeCipherSpec: DTLS 1.3 has none")
}

// awaitsEpoch: during the handshake, the peer's handshake and application
// epochs can overtake the message that lets us read them (a lost
// ServerHello, the client's Finished). After it nothing is held, as in
// 1.2: a peer writes in its next epoch only once we acknowledged the
// KeyUpdate that starts it (RFC 9147 §8), so records held for one would
// mostly be anyone's garbage, kept in an idle association until a
// KeyUpdate that may never come.
func (b *base13) awaitsEpoch(epoch uint16) bool {
	in := b.c.rl.In.Epoch()
	if b.hs != nil {
		return epoch > in && epoch != epochEarlyData && epoch <= epochApplication
	}
	return false
}

func (b *base13) awaitsPeerFinished(uint16) bool { return false }

func (b *base13) peerResendsLastFlight(uint16, protocol.ContentType, []byte, fragment) bool {
	return false
}

func (b *base13) negotiated() *suite.Suite {
	if b.hs == nil {
		return nil
	}
	return b.suite
}

func (b *base13) snapshot(s *snapshot) {
	s.KeyExchange, s.Group = b.mode, b.group
	if hs := b.hs; hs != nil {
		s.Handshake = handshakeSnapshot{Running: true, State: hs.state.visible(), NextRecvSeq: b.reasm.NextSeq()}
		s.Handshake.BufferedMsgs, s.Handshake.BufferedBytes = b.reasm.Buffered()
	}
}

// handshakeRecord takes the handshake fragments of one record through the
// reassembler and the messages that completes, in order, to the role (or,
// after the handshake, to postHandshake). The record is noted for the ACK.
func (b *base13) handshakeRecord(r role13, st *step, epoch uint16, seq uint64, data []byte, first fragment) {
	c := b.c
	self := c.hs
	for len(data) > 0 && !c.removed {
		hh, frag, rest, ok := first.next(data)
		if !ok {
			c.logf(LogDebug, "dropping malformed handshake fragment")
			return
		}
		data = rest
		if epoch == 0 && c.rl.In.Epoch() != 0 && hh.MessageSeq >= b.reasm.NextSeq() {
			// Once the handshake keys are in, the peer's new messages
			// are protected: a plaintext one that is not a copy of a
			// message taken already (a retransmitted hello, which tells
			// us to resend) is anyone's, and must neither end the
			// handshake nor hold the genuine message's message_seq.
			c.logf(LogDebug, "dropping unprotected %v after the handshake keys", hh.Type)
			continue
		}
		switch b.reasm.Push(hh, frag, epoch) {
		case handshake.Old:
			b.retransmitted(st, hh, epoch, seq)
			continue
		case handshake.Accepted:
			b.noteRecord(epoch, seq)
			c.peerAnswers(hh.Type)
		default:
			continue
		}
		for !c.removed {
			m, ok := b.reasm.Pop()
			if !ok {
				break
			}
			if b.message(r, st, &m) != nil {
				return
			}
			if c.hs != self {
				// The client handed the association to DTLS 1.2, which
				// takes the rest of the record.
				if len(data) > 0 && !c.removed {
					c.hs.handshakeRecord(st, epoch, seq, data, fragment{})
				}
				return
			}
		}
	}
	if !c.removed && len(b.rcvd) > 0 && b.ackAt == 0 {
		// Part of the peer's flight came: acknowledge what we have if the
		// rest does not follow soon (RFC 9147 §7.1 suggests a quarter of
		// the retransmission timeout).
		b.ackAt = st.now + c.e.cfg.InitialTimeout/4
		c.updateTimer()
	}
}

// noteRecord keeps a record of the peer's current flight for the ACK.
func (b *base13) noteRecord(epoch uint16, seq uint64) {
	rn := record13.RecordNumber{Epoch: uint64(epoch), Seq: seq}
	if contains(b.rcvd, rn) || len(b.rcvd) >= 64 {
		return
	}
	b.rcvd = append(b.rcvd, rn)
}

// flightSent: our flight answers the peer's, which acknowledges it
// implicitly (RFC 9147 §7.1).
func (b *base13) flightSent() {
	b.rcvd = b.rcvd[:0]
	b.ackAt = 0
}

// retransmitted handles a message we processed already: the peer did not
// get our answer. After the handshake that is our ACK (of the client's
// last flight, of a KeyUpdate or ticket), during it our flight, unless the
// peer is still sending the flight we wait for.
func (b *base13) retransmitted(st *step, hh handshake.Header, epoch uint16, seq uint64) {
	c := b.c
	switch {
	case b.done && (hh.Type == protocol.HandshakeKeyUpdate || hh.Type == protocol.HandshakeNewSessionTicket):
		c.sendACK(st, []record13.RecordNumber{{Epoch: uint64(epoch), Seq: seq}})
	case b.done && len(b.finalACK) > 0:
		if st.now != b.lastReACK || b.lastReACK == 0 {
			b.lastReACK = st.now
			c.logf(LogDebug, "the client retransmits its last flight; acknowledging it again")
			c.sendACK(st, b.finalACK)
		}
	case len(b.rcvd) > 0:
		if b.ackAt == 0 {
			b.ackAt = st.now + c.e.cfg.InitialTimeout/4
			c.updateTimer()
		}
	default:
		st.noteDuplicate(c)
	}
}

// message processes one complete message; an error it returns has ended
// the association.
func (b *base13) message(r role13, st *step, m *handshake.Message) error {
	c := b.c
	c.logMessage("received", &m.Header, m.Epoch)
	var err error
	if b.hs != nil {
		err = r.handle(st, *m)
	} else {
		err = b.postHandshake(r, st, m)
	}
	if err != nil {
		return c.fail(st, asAlert(c.refused(err), protocol.AlertInternalError))
	}
	return nil
}

// unexpected is the answer to a message the handshake does not expect now.
func (b *base13) unexpected(m *handshake.Message) error {
	b.c.logf(LogWarn, "unexpected %v in epoch %d", m.Header.Type, m.Epoch)
	return protocol.Fatal(protocol.AlertUnexpectedMessage)
}

// hash adds a received message to the transcript.
func (b *base13) hash(m *handshake.Message) { b.hs.transcript.add(m.Header.Type, m.Body) }

// newMsg creates our next handshake message in epoch and adds it to the
// transcript while a handshake runs.
func (b *base13) newMsg(epoch uint16, t protocol.HandshakeType, body []byte) outMsg {
	m := outMsg{epoch: epoch, typ: t, seq: b.sendSeq, body: body}
	b.sendSeq++
	if b.hs != nil {
		b.hs.transcript.add(t, body)
	}
	return m
}

// handshakeSecrets moves the key schedule to the handshake secret (with
// the ECDHE shared secret, nil for psk_ke) and derives both directions'
// handshake traffic secrets over the transcript up to the ServerHello.
func (b *base13) handshakeSecrets(shared []byte) {
	hs := b.hs
	hs.sched.Handshake(shared)
	clear(shared)
	hs.clientHS, hs.serverHS = hs.sched.TrafficSecrets(hs.transcript.sum(), false)
}

// applicationSecrets moves to the master secret and derives the
// application traffic secrets over the transcript up to the server's
// Finished.
func (b *base13) applicationSecrets() {
	hs := b.hs
	hs.sched.Master()
	hs.clientAP, hs.serverAP = hs.sched.TrafficSecrets(hs.transcript.sum(), true)
}

// keys derives the record protection keys of a traffic secret.
func (b *base13) keys(secret []byte) keyschedule.TrafficKeys {
	return keyschedule.Keys(keyschedule.DTLS13, secret, suite.KeyLen)
}

// switchRead and switchWrite make epoch n current with the keys of secret.
func (b *base13) switchRead(n uint16, secret []byte) {
	c := b.c
	b.forgeries = 0
	c.rl.In.SetNext13(n, b.suite, b.keys(secret))
	c.rl.In.Activate()
	c.logf(LogDebug, "read epoch %d active (%v)", n, b.suite)
	c.rl.In.Release()
}

func (b *base13) switchWrite(n uint16, secret []byte) {
	c := b.c
	c.rl.Out.SetNext13(n, b.suite, b.keys(secret))
	c.rl.Out.Activate()
	c.logf(LogDebug, "write epoch %d active (%v)", n, b.suite)
}

// finishedMsg is our Finished (RFC 8446 §4.4.4) under the handshake
// traffic secret base.
func (b *base13) finishedMsg(base []byte) outMsg {
	vd := keyschedule.FinishedMAC(keyschedule.DTLS13, base, b.hs.transcript.sum())
	return b.newMsg(epochHandshake, protocol.HandshakeFinished, vd)
}

// checkFinished verifies the peer's Finished under its handshake traffic
// secret base and adds it to the transcript.
func (b *base13) checkFinished(m *handshake.Message, base []byte) error {
	want := keyschedule.FinishedMAC(keyschedule.DTLS13, base, b.hs.transcript.sum())
	if len(m.Body) != len(want) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if subtle.ConstantTimeCompare(want, m.Body) != 1 {
		b.c.logf(LogWarn, "the peer's Finished does not verify")
		return protocol.Fatal(protocol.AlertDecryptError)
	}
	b.hash(m)
	return nil
}

// CertificateVerify's context strings (RFC 8446 §4.4.3; DTLS 1.3 keeps
// TLS 1.3's).
const (
	serverVerifyContext = "TLS 1.3, server CertificateVerify"
	clientVerifyContext = "TLS 1.3, client CertificateVerify"
)

// certVerifyDigest is the SHA-256 of what a 1.3 CertificateVerify signs:
// 64 spaces, the context string, a zero byte, the transcript hash.
func certVerifyDigest(context string, transcriptHash []byte) []byte {
	d := sha256.New()
	var spaces [64]byte
	for i := range spaces {
		spaces[i] = 0x20
	}
	d.Write(spaces[:])
	d.Write([]byte(context))
	d.Write([]byte{0})
	d.Write(transcriptHash)
	return d.Sum(nil)
}

// certificateMsgs are our Certificate (one raw public key, RFC 7250 §3)
// and CertificateVerify, or, without a key (a client asked for one it
// does not have), an empty Certificate.
func (b *base13) certificateMsgs(context string, withKey bool) ([]outMsg, error) {
	c, hs := b.c, b.hs
	cert := handshake13.Certificate{}
	if !withKey {
		return []outMsg{b.newMsg(epochHandshake, protocol.HandshakeCertificate, handshake13.AppendCertificate(nil, &cert))}, nil
	}
	key, err := c.e.h.ECDSAKey(c)
	if err != nil {
		return nil, asAlert(err, protocol.AlertInternalError)
	}
	priv, err := parsePrivateKey(key)
	if err != nil {
		c.logf(LogCrit, "the application's ECDSA key is unusable")
		return nil, err
	}
	cert.Entries = [][]byte{ecc.MarshalSPKI(key.X, key.Y)}
	msgs := []outMsg{b.newMsg(epochHandshake, protocol.HandshakeCertificate, handshake13.AppendCertificate(nil, &cert))}
	sig, err := sign(c.e.cfg.Rand, priv, certVerifyDigest(context, hs.transcript.sum()))
	if err != nil {
		return nil, err
	}
	cv := handshake.CertificateVerify{HashAlg: protocol.HashSHA256, SigAlg: protocol.SignatureECDSA, Signature: sig}
	return append(msgs, b.newMsg(epochHandshake, protocol.HandshakeCertificateVerify, cv.Marshal(nil))), nil
}

// peerCertificate takes the peer's Certificate: one raw public key, which
// the application accepts or rejects. empty reports a Certificate without
// entries (a client declining a CertificateRequest).
func (b *base13) peerCertificate(m *handshake.Message) (empty bool, err error) {
	c := b.c
	cert, ok := handshake13.ParseCertificate(m.Body)
	if !ok {
		return false, protocol.Fatal(protocol.AlertDecodeError)
	}
	if len(cert.Context) != 0 {
		return false, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	b.hash(m)
	if len(cert.Entries) == 0 {
		return true, nil
	}
	if len(cert.Entries) != 1 {
		return false, protocol.Fatal(protocol.AlertBadCertificate)
	}
	x, y, err := ecc.ParseSPKI(cert.Entries[0])
	if err != nil {
		c.logf(LogWarn, "the peer's key is not a P-256 SubjectPublicKeyInfo: %v", err)
		return false, protocol.Fatal(protocol.AlertBadCertificate)
	}
	if err := c.e.h.VerifyECDSAKey(c, x, y); err != nil {
		c.logf(LogWarn, "the application rejected the peer's key")
		return false, asAlert(err, protocol.AlertBadCertificate)
	}
	b.hs.peerX, b.hs.peerY = x, y
	return false, nil
}

// peerCertificateVerify checks the peer's signature over the transcript.
func (b *base13) peerCertificateVerify(m *handshake.Message, context string) error {
	hs := b.hs
	var cv handshake.CertificateVerify
	if !cv.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if cv.HashAlg != protocol.HashSHA256 || cv.SigAlg != protocol.SignatureECDSA {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if err := verify(hs.peerX, hs.peerY, certVerifyDigest(context, hs.transcript.sum()), cv.Signature); err != nil {
		b.c.logf(LogWarn, "the peer's CertificateVerify does not verify")
		return err
	}
	b.hash(m)
	return nil
}

// pskKey asks the application for the key of identity: nil if it has none,
// an error if it refuses the handshake.
func (b *base13) pskKey(identity []byte) ([]byte, error) {
	c := b.c
	key := make([]byte, MaxPSKLen)
	n, err := c.e.h.PSKInfo(c, PSKKey, identity, key)
	if err != nil {
		clear(key)
		return nil, asAlert(err, protocol.AlertInternalError)
	}
	if n <= 0 || n > len(key) {
		clear(key)
		return nil, nil
	}
	return key[:n], nil
}

// binder is the PSK binder (RFC 8446 §4.2.11.2) of key over the
// transcript hash of the ClientHello up to its binders.
func binder(key, partialHash []byte) []byte {
	s := keyschedule.New(keyschedule.DTLS13, key)
	bk := s.BinderKey(true)
	s.Wipe()
	mac := keyschedule.FinishedMAC(keyschedule.DTLS13, bk, partialHash)
	clear(bk)
	return mac
}

// complete ends the handshake on our side: the application secrets are
// kept for KeyUpdate, the rest is wiped.
func (b *base13) complete(st *step, readSecret, writeSecret []byte) {
	b.readSecret = append([]byte(nil), readSecret...)
	b.writeSecret = append([]byte(nil), writeSecret...)
	b.done = true
	b.stopHandshake()
	b.c.handshakeDone(st)
}

// postHandshake handles a message after the handshake: KeyUpdate, and at
// a client a NewSessionTicket (dropped: we offer no resumption). Either is
// acknowledged (RFC 9147 §7).
func (b *base13) postHandshake(r role13, st *step, m *handshake.Message) error {
	c := b.c
	if m.Epoch < epochApplication {
		return b.unexpected(m)
	}
	switch {
	case m.Header.Type == protocol.HandshakeKeyUpdate:
		req, ok := handshake13.ParseKeyUpdate(m.Body)
		if !ok {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		return b.peerKeyUpdate(st, m, req)
	case m.Header.Type == protocol.HandshakeNewSessionTicket && r.role() == RoleClient:
		if !handshake13.ParseNewSessionTicket(m.Body) {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		c.logf(LogDebug, "ignoring NewSessionTicket: no resumption")
		b.ackNow(st)
		return nil
	}
	return b.unexpected(m)
}

// ackNow acknowledges the records noted so far.
func (b *base13) ackNow(st *step) {
	b.c.sendACK(st, b.rcvd)
	b.rcvd = b.rcvd[:0]
	b.ackAt = 0
}

// peerKeyUpdate switches the read side to the peer's next traffic secret
// (RFC 8446 §4.6.3) and acknowledges the KeyUpdate; if the peer asks, ours
// follows.
func (b *base13) peerKeyUpdate(st *step, m *handshake.Message, req uint8) error {
	c := b.c
	in := c.rl.In.Epoch()
	if m.Epoch != in {
		// A peer sends its next KeyUpdate only once we acknowledged the
		// last one (RFC 9147 §8), so with the keys that one started: a new
		// KeyUpdate in an older epoch is out of turn.
		c.logf(LogWarn, "KeyUpdate in epoch %d while reading epoch %d", m.Epoch, in)
		return protocol.Fatal(protocol.AlertUnexpectedMessage)
	}
	if in >= maxEpoch13 {
		return protocol.Fatal(protocol.AlertUnexpectedMessage)
	}
	next := keyschedule.NextTrafficSecret(keyschedule.DTLS13, b.readSecret)
	clear(b.readSecret)
	b.readSecret = next
	b.switchRead(in+1, next)
	// The old epoch's keys only for records still on the way, as after a
	// 1.2 renegotiation: kept until the next KeyUpdate they would outlive
	// the update that was to retire them.
	c.prevReadUntil = st.now + c.e.cfg.FinalFlightHold
	c.updateTimer()
	b.ackNow(st)
	switch {
	case b.rekey&rekeyPeers != 0:
		// The peer's half of the update we asked for.
		b.rekeyDone(rekeyPeers)
	case req == handshake13.UpdateRequested && b.rekey == 0:
		// The peer asked us to update: at the application, the same
		// events as a renegotiation the peer started.
		b.rekey = rekeyOurs
		c.e.h.Event(c, protocol.LevelInternal, protocol.EventRenegotiate)
		if c.removed {
			return nil
		}
	}
	if req == handshake13.UpdateRequested {
		return b.updateKeys(st, false)
	}
	return nil
}

// What a rekey waits for.
const (
	rekeyOurs  = 1 << iota // the ACK of our KeyUpdate
	rekeyPeers             // the peer's KeyUpdate
)

// rekeyDone notes that what bit stands for came; when nothing is left the
// application hears DTLS_EVENT_CONNECTED, as at the end of a 1.2
// renegotiation.
func (b *base13) rekeyDone(bit uint8) {
	if b.rekey == 0 {
		return
	}
	b.rekey &^= bit
	if b.rekey == 0 && !b.c.removed {
		b.c.e.h.Event(b.c, protocol.LevelInternal, protocol.EventConnected)
	}
}

// updateKeys sends a KeyUpdate (asking the peer to update too if request),
// unless one is outstanding; with a flight in its way (our last handshake
// flight awaiting its ACK) it goes once that is acknowledged.
func (b *base13) updateKeys(st *step, request bool) error {
	c := b.c
	if !b.done || b.hs != nil || b.updating {
		return nil
	}
	if c.flight != nil {
		b.updateWanted = true
		b.updateRequest = b.updateRequest || request
		return nil
	}
	if c.rl.Out.Epoch() >= maxEpoch13 {
		return ErrNotConnected
	}
	b.updating, b.updateWanted, b.updateRequest = true, false, false
	body := []byte{handshake13.UpdateNotRequested}
	if request {
		body[0] = handshake13.UpdateRequested
	}
	c.logf(LogInfo, "updating the keys of write epoch %d", c.rl.Out.Epoch())
	m := b.newMsg(c.rl.Out.Epoch(), protocol.HandshakeKeyUpdate, body)
	_, err := c.sendFlight13(st, []outMsg{m}, true)
	return err
}

// renegotiate is DTLS 1.3's answer to dtls_renegotiate(): a KeyUpdate that
// asks the peer to update as well, so that both directions get new keys.
//
// dtls.h promises DTLS_EVENT_RENEGOTIATE when it starts and
// DTLS_EVENT_CONNECTED when it is done, and applications written for 1.2
// wait for them: done is when the peer acknowledged our KeyUpdate and
// sent its own.
func (b *base13) renegotiate(st *step) error {
	c := b.c
	if !b.done || b.hs != nil {
		return ErrNotConnected
	}
	if b.rekey != 0 {
		// One is under way already; it ends with its own events.
		return nil
	}
	if b.updating {
		// Ours follows the outstanding KeyUpdate, asking the peer along.
		b.updateWanted, b.updateRequest = true, true
	} else if err := b.updateKeys(st, true); err != nil {
		return err
	}
	b.rekey = rekeyOurs | rekeyPeers
	c.e.h.Event(c, protocol.LevelInternal, protocol.EventRenegotiate)
	return nil
}

// forged counts a record of the read epoch that did not authenticate:
// past half the integrity limit the peer is asked to update its keys, at
// the limit the association ends, as RFC 9147 §4.5.3 requires (else each
// forged record brings a forgery closer).
func (b *base13) forged(st *step) {
	c := b.c
	b.forgeries++
	switch {
	case b.forgeries >= forgeryLimit13:
		c.logf(LogWarn, "%d records of read epoch %d did not authenticate: the AEAD's integrity limit", b.forgeries, c.rl.In.Epoch())
		c.fail(st, protocol.Fatal(protocol.AlertBadRecordMAC))
	case b.forgeries >= forgeryLimit13/2 && b.done && b.hs == nil && !b.updating:
		b.updateKeys(st, true)
	}
}

func (b *base13) keysAging(st *step) {
	if b.c.rl.Out.Seq() >= keyUpdateAfter {
		b.updateKeys(st, false)
	}
}

// ackRecord takes an ACK (RFC 9147 §7): the acknowledged records of our
// flight are not sent again, and a flight acknowledged whole is done with
// when it was retransmitted until acknowledged, quiet otherwise (the
// peer's answer will come). ACKs for records we never sent are ignored,
// as are unprotected ones.
func (b *base13) ackRecord(st *step, epoch uint16, data []byte) {
	c := b.c
	if epoch == 0 {
		c.logf(LogDebug, "dropping unprotected ACK")
		return
	}
	rns, ok := record13.ParseACK(data, nil)
	if !ok {
		c.logf(LogDebug, "dropping malformed ACK")
		return
	}
	f := c.flight
	if f == nil || f.acks == nil {
		return
	}
	// A genuine ACK lists a few records; the bound keeps one that lists
	// thousands from costing thousands of searches.
	for _, rn := range rns[:min(len(rns), maxACKedPerRecord)] {
		f.acks.ack(rn, f.msgs)
	}
	if !f.acks.complete(f.msgs) {
		return
	}
	if !f.untilACK() {
		f.answered = true
		return
	}
	c.logf(LogDebug, "the peer acknowledged %s", flightName(f.msgs, false))
	c.flight = nil
	c.updateTimer()
	b.flightDone(st, f)
}

// flightDone goes on after a flight retransmitted until acknowledged was
// acknowledged, or given up on (f nil): a KeyUpdate's new keys, a KeyUpdate
// that waited.
func (b *base13) flightDone(st *step, f *flight) {
	c := b.c
	keyUpdate := f != nil && len(f.msgs) == 1 && f.msgs[0].typ == protocol.HandshakeKeyUpdate
	if keyUpdate {
		// RFC 9147 §8: the new keys only once the KeyUpdate is acknowledged.
		next := keyschedule.NextTrafficSecret(keyschedule.DTLS13, b.writeSecret)
		clear(b.writeSecret)
		b.writeSecret = next
		b.switchWrite(c.rl.Out.Epoch()+1, next)
	}
	c.dropOldWriteEpoch()
	b.updating = false
	if b.updateWanted && !c.removed {
		b.updateKeys(st, b.updateRequest)
	}
	if keyUpdate && !b.updating && !c.removed {
		b.rekeyDone(rekeyOurs)
	}
}

func (b *base13) flightDropped(st *step) {
	b.updating = false
	if b.updateWanted && !b.c.removed {
		b.updateKeys(st, b.updateRequest)
	}
}

func (b *base13) deadline() time.Duration { return b.ackAt }

// onTimer acknowledges the part of the peer's flight that came (RFC 9147
// §7.1), so that the peer retransmits only the rest.
func (b *base13) onTimer(st *step) {
	if b.ackAt == 0 || b.ackAt > st.now {
		return
	}
	b.ackAt = 0
	b.c.sendACK(st, b.rcvd)
}
