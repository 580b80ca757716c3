// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"io"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// The server side of the DTLS 1.2 handshake:
//
//	ClientHello with a valid cookie (checked statelessly by the Endpoint) ->
//	flight 4: ServerHello, [Certificate, ServerKeyExchange, [CertificateRequest]] | [ServerKeyExchange(hint)], ServerHelloDone
//	          <- [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished
//	flight 6: ChangeCipherSpec, Finished

// server12 is the DTLS 1.2 handshaker of a server association.
type server12 struct {
	base12
	// lastHello identifies (by 8 bytes of its random) the ClientHello of the
	// last completed handshake, to tell its copies from a restart.
	lastHello uint64
	ss        *serverState12 // the handshake in progress, nil between handshakes
}

// serverState12 is a server handshake in progress.
type serverState12 struct {
	hs12
	peerSentCert bool // the client sent a non-empty Certificate
}

func (sv *server12) role() Role { return RoleServer }

func (sv *server12) dropState() { sv.ss = nil }

func (sv *server12) done(hs *hs12) { sv.lastHello = helloID(hs.clientRandom[:]) }

// beginState starts a handshake.
func (sv *server12) beginState(reneg bool) *serverState12 {
	ss := new(serverState12)
	sv.ss = ss
	sv.begin(&ss.hs12, reneg)
	return ss
}

// start runs the handshake of a new association from the ClientHello whose
// cookie the stateless path verified (hh and body are its message).
func (sv *server12) start(st *step, ch *handshake.ClientHello, hh handshake.Header, body []byte) {
	c := sv.c
	ss := sv.beginState(false)
	// Our message_seq continues from the client's (upstream and OpenSSL
	// do the same), so a stateless server needs to remember nothing.
	ss.reasm.Reset(hh.MessageSeq + 1)
	ss.sendSeq = hh.MessageSeq
	m := handshake.Message{Header: hh, Body: body}
	ss.hashMessage(&m)
	sv.setState(StateWaitClientHello)
	if err := sv.handleClientHello(st, ch); err != nil {
		c.fail(st, asAlert(c.refused(err), protocol.AlertInternalError))
	}
}

func (sv *server12) handle(st *step, msg handshake.Message) error {
	m := &msg
	ss := sv.ss
	switch t := m.Header.Type; {
	case t == protocol.HandshakeClientHello && ss.state == StateWaitClientHello:
		var ch handshake.ClientHello
		if !ch.Unmarshal(m.Body) {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		return sv.handleClientHello(st, &ch)
	case t == protocol.HandshakeCertificate && ss.state == StateWaitClientCertificate:
		return sv.handleClientCertificate(m)
	case t == protocol.HandshakeClientKeyExchange && ss.state == StateWaitClientKeyExchange:
		return sv.handleClientKeyExchange(m)
	case t == protocol.HandshakeCertificateVerify && ss.state == StateWaitCertificateVerify:
		return sv.handleCertificateVerify(m)
	case t == protocol.HandshakeFinished && ss.state == StateWaitFinished && ss.newEpochActive:
		return sv.handleClientFinished(st, m)
	}
	return sv.unexpected(m)
}

// handleClientHello negotiates (negotiate12, a pure function of the
// ClientHello, the application's settings and ours) and answers with
// flight 4.
func (sv *server12) handleClientHello(st *step, ch *handshake.ClientHello) error {
	c, ss := sv.c, sv.ss
	ss.clientRandom = ch.Random
	if err := checkClientHello12(ch); err != nil {
		return err
	}
	sv.userParameters()
	if c.removed {
		return protocol.Fatal(protocol.AlertInternalError)
	}
	choice, err := negotiate12(ch, offer12{
		params:        ss.params,
		caps:          c.e.h.Capabilities(c),
		renegotiation: ss.renegotiation,
		clientVerify:  sv.clientVerify,
		serverVerify:  sv.serverVerify,
		cidLength:     c.e.cfg.CIDLength,
		recordLimit:   c.e.cfg.RecordSizeLimit,
	})
	if err != nil {
		return err
	}
	ss.suite, ss.ems, ss.peerSecureReneg = choice.suite, choice.ems, choice.peerSecureReneg
	return sv.sendFlight4(st, &choice)
}

// sendFlight4 builds what the choice decided: ServerHello,
// [Certificate, ServerKeyExchange, [CertificateRequest]] or
// [ServerKeyExchange with the PSK hint], ServerHelloDone.
func (sv *server12) sendFlight4(st *step, choice *choice12) error {
	c, ss := sv.c, sv.ss
	if _, err := io.ReadFull(c.e.cfg.Rand, ss.serverRandom[:]); err != nil {
		return protocol.Fatal(protocol.AlertInternalError)
	}
	if _, hi := c.e.cfg.versions(RoleServer); hi >= 13 {
		// RFC 8446 §4.1.3: a server that speaks 1.3 and chooses 1.2 says
		// so in its random, so that a client that offered 1.3 notices a
		// downgrade.
		copy(ss.serverRandom[protocol.RandomLen-8:], handshake13.DowngradeTLS12[:])
	}
	sh := handshake.ServerHello{
		Version:           protocol.VersionDTLS12,
		Random:            ss.serverRandom,
		CipherSuite:       uint16(ss.suite.ID),
		CompressionMethod: protocol.CompressionNull,
		Extensions:        choice.extensions,
	}
	if choice.issueCID {
		// A fresh connection ID for the client to put on its records.
		if cid := c.newReadCID(); cid != nil {
			sh.Extensions.HasConnectionID, sh.Extensions.ConnectionID = true, cid
			c.setCIDs(cid, choice.peerCID)
		}
	}
	if choice.extensions.HasRecordSizeLimit {
		c.rl.Out.SetLimit(choice.peerRecordLimit)
		c.rl.In.SetLimit(choice.extensions.RecordSizeLimit)
	}
	msgs := []outMsg{sv.newMsg(protocol.HandshakeServerHello, sh.Marshal(nil))}

	if ss.suite.KeyExchange == suite.ECDHEECDSA {
		priv, spki, err := sv.ownKey()
		if err != nil {
			return err
		}
		cert := handshake.Certificate{SPKI: spki}
		msgs = append(msgs, sv.newMsg(protocol.HandshakeCertificate, cert.Marshal(nil)))
		eph, err := sv.ephemeralKey()
		if err != nil {
			return err
		}
		ske := handshake.ServerKeyExchangeECDHE{
			CurveType: protocol.CurveTypeNamedCurve, NamedCurve: protocol.GroupSecp256r1,
			PublicKey: eph.publicKey(), HashAlg: protocol.HashSHA256, SigAlg: protocol.SignatureECDSA,
		}
		digest := ecc.HandshakeHash(ss.clientRandom[:], ss.serverRandom[:], ske.Params())
		ske.Signature, err = sign(c.e.cfg.Rand, priv, digest[:])
		if err != nil {
			return err
		}
		msgs = append(msgs, sv.newMsg(protocol.HandshakeServerKeyExchange, ske.Marshal(nil)))
		if choice.clientAuth {
			cr := handshake.CertificateRequest{
				CertificateTypes:    []uint8{protocol.ClientCertTypeECDSASign},
				SignatureAlgorithms: []uint16{protocol.SigSchemeECDSASHA256},
			}
			msgs = append(msgs, sv.newMsg(protocol.HandshakeCertificateRequest, cr.Marshal(nil)))
			ss.certRequested = true
		}
	} else {
		hint := make([]byte, maxIdentityLen)
		n, err := c.e.h.PSKInfo(c, PSKHint, nil, hint)
		if err != nil {
			return asAlert(err, protocol.AlertInternalError)
		}
		if n > len(hint) {
			return protocol.Fatal(protocol.AlertInternalError)
		}
		if n > 0 {
			ske := handshake.ServerKeyExchangePSK{Hint: hint[:n]}
			msgs = append(msgs, sv.newMsg(protocol.HandshakeServerKeyExchange, ske.Marshal(nil)))
		}
	}
	msgs = append(msgs, sv.newMsg(protocol.HandshakeServerHelloDone, nil))
	if ss.certRequested {
		sv.setState(StateWaitClientCertificate)
	} else {
		sv.setState(StateWaitClientKeyExchange)
	}
	_, err := c.sendFlight(st, msgs, ordinaryFlight)
	return err
}

// handleClientCertificate takes the client's raw public key.
func (sv *server12) handleClientCertificate(m *handshake.Message) error {
	var cert handshake.Certificate
	if !cert.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if len(cert.SPKI) == 0 {
		// We asked because the application wants to verify the client.
		sv.c.logf(LogWarn, "client sent no certificate although one was requested")
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	}
	if err := sv.acceptPeerKey(cert.SPKI); err != nil {
		return err
	}
	sv.ss.peerSentCert = true
	sv.setState(StateWaitClientKeyExchange)
	return nil
}

func (sv *server12) handleClientKeyExchange(m *handshake.Message) error {
	c, ss := sv.c, sv.ss
	var preMaster []byte
	switch ss.suite.KeyExchange {
	case suite.PSK:
		var cke handshake.ClientKeyExchangePSK
		if !cke.Unmarshal(m.Body) || len(cke.Identity) > maxIdentityLen {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		var err error
		if preMaster, _, err = sv.pskPreMaster(cke.Identity); err != nil {
			c.logf(LogWarn, "no key for PSK identity %q", cke.Identity)
			return err
		}
	case suite.ECDHEECDSA:
		var cke handshake.ClientKeyExchangeECDHE
		if !cke.Unmarshal(m.Body) {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		shared, err := sharedSecret(ss.ecdhPriv, cke.PublicKey)
		if err != nil {
			c.logf(LogWarn, "client's ephemeral key is not a valid P-256 point")
			return err
		}
		preMaster = shared
	}
	theirs, mine := sv.deriveKeys(preMaster)
	c.rl.Out.SetNext(mine)
	c.rl.In.SetNext(theirs)
	if ss.peerSentCert {
		sv.setState(StateWaitCertificateVerify)
		return nil
	}
	sv.awaitChangeCipherSpec()
	return nil
}

func (sv *server12) handleCertificateVerify(m *handshake.Message) error {
	ss := sv.ss
	var cv handshake.CertificateVerify
	if !cv.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if cv.HashAlg != protocol.HashSHA256 || cv.SigAlg != protocol.SignatureECDSA {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if err := verify(ss.peerX, ss.peerY, ss.transcriptHash(), cv.Signature); err != nil {
		sv.c.logf(LogWarn, "client CertificateVerify does not verify")
		return err
	}
	ss.hashMessage(m)
	sv.awaitChangeCipherSpec()
	return nil
}

// handleClientFinished checks the client's Finished and answers with
// flight 6, the final one, which completes the handshake on our side.
func (sv *server12) handleClientFinished(st *step, m *handshake.Message) error {
	c := sv.c
	if err := sv.checkPeerFinished(m, "client finished", &sv.clientVerify); err != nil {
		return err
	}
	msgs := sv.changeCipherSpecAndFinished("server finished", &sv.serverVerify)
	if _, err := c.sendFlight(st, msgs, finalFlight); err != nil && c.removed {
		return nil
	}
	sv.finish(st)
	return nil
}

// ignoresHelloRequest: a server has no use for a HelloRequest.
func (sv *server12) ignoresHelloRequest(handshake.Header, uint16) bool { return true }

func (sv *server12) peerStarts(t protocol.HandshakeType) bool {
	return t == protocol.HandshakeClientHello
}

// awaitRenegotiation starts a server's renegotiation handshake, which
// begins with the client's ClientHello at message_seq 0.
func (sv *server12) awaitRenegotiation() {
	ss := sv.beginState(true)
	ss.state = StateWaitClientHello
	ss.reasm.Reset(0)
}

func (sv *server12) startForPeer(st *step, hh handshake.Header) bool {
	sv.awaitRenegotiation()
	sv.c.e.h.Event(sv.c, protocol.LevelInternal, protocol.EventRenegotiate)
	return true
}

// startRenegotiation asks the client for a renegotiation with a
// HelloRequest (RFC 5246 §7.4.1.1).
func (sv *server12) startRenegotiation(st *step) error {
	sv.awaitRenegotiation()
	m := sv.newMsg(protocol.HandshakeHelloRequest, nil)
	_, err := sv.c.sendFlight(st, []outMsg{m}, ordinaryFlight)
	return err
}

// restartedBy tells a restarted client's ClientHello (RFC 6347 §4.2.8),
// or a new client's at the same address, from a replay or retransmission
// of the one this association already handled. A restarted client starts
// its record sequence numbers afresh, so only the random tells them apart.
func (sv *server12) restartedBy(random []byte) bool {
	if ss := sv.ss; ss != nil && !ss.renegotiation {
		return !bytes.Equal(random, ss.clientRandom[:])
	}
	return helloID(random) != sv.lastHello
}

// halfOpen: the client proved its address and then went quiet, or an
// attacker holds state.
func (sv *server12) halfOpen() bool {
	c := sv.c
	return !c.removed && !c.established && sv.ss != nil &&
		(sv.ss.state == StateWaitClientKeyExchange || sv.ss.state == StateWaitClientCertificate)
}

// The handshaker methods the roles share, with the role passed on.

func (sv *server12) handshakeRecord(st *step, epoch uint16, _ uint64, data []byte, first fragment) {
	sv.base12.handshakeRecord(sv, st, epoch, data, first)
}
func (sv *server12) stop()                      { sv.base12.stop(sv) }
func (sv *server12) renegotiate(st *step) error { return sv.base12.renegotiate(sv, st) }
func (sv *server12) finish(st *step)            { sv.base12.finish(sv, st) }
