// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"io"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/p256"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// The client side of the DTLS 1.2 handshake (RFC 6347 §4.2, RFC 5246 §7.3):
//
//	flight 1: ClientHello
//	          <- HelloVerifyRequest
//	flight 3: ClientHello with cookie
//	          <- ServerHello, [Certificate, ServerKeyExchange, CertificateRequest] | [ServerKeyExchange], ServerHelloDone
//	flight 5: [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished
//	          <- ChangeCipherSpec, Finished

// client12 is the DTLS 1.2 handshaker of a client association.
type client12 struct {
	base12
	cs *clientState12 // the handshake in progress, nil between handshakes
}

// clientState12 is a client handshake in progress.
type clientState12 struct {
	hs12
	offered       []protocol.CipherSuite // what our ClientHello offered
	hello         *handshake.ClientHello // resent with the cookie
	helloVerifies int                    // HelloVerifyRequests answered
	hint          []byte                 // the server's PSK identity hint
	preMaster     []byte                 // ECDHE: from the ServerKeyExchange
	canSendCert   bool                   // the CertificateRequest allows our key type
	// The optional extensions our ClientHello offered, the only ones the
	// ServerHello may answer (RFC 9146, RFC 8449).
	offeredCID bool
	offeredRSL bool
	// offered13: the ClientHello also offered DTLS 1.3 (a 1.3 client
	// prepared it), so a 1.2 ServerHello must not carry the downgrade
	// sentinel.
	offered13 bool
}

func (cl *client12) role() Role { return RoleClient }

func (cl *client12) dropState() {
	if cl.cs != nil {
		clear(cl.cs.preMaster)
	}
	cl.cs = nil
}

func (cl *client12) done(*hs12) {}

func (cl *client12) snapshot(s *snapshot) {
	cl.base12.snapshot(s)
	if cl.cs != nil {
		s.Handshake.HelloVerifies = cl.cs.helloVerifies
	}
}

// start builds and sends the first ClientHello of a handshake and returns
// what the write callback reported sent of it.
func (cl *client12) start(st *step, reneg bool) (int, error) {
	ch, err := cl.prepare(reneg, nil)
	if err != nil {
		if err == ErrNoSuite {
			cl.c.logf(LogWarn, "no cipher suite can be offered with the callbacks set")
		}
		return 0, err
	}
	return cl.c.sendFlight(st, []outMsg{cl.newMsg(protocol.HandshakeClientHello, ch.Marshal(nil))}, ordinaryFlight)
}

// prepare starts a handshake and builds its first ClientHello, which the
// caller sends as the first message (newMsg). params are the handshake's
// parameters if the caller asked the application already (a DTLS 1.3
// client, which offers 1.2 with this ClientHello), else nil. A DTLS 1.3
// client adds its own offers to the ClientHello before it sends it.
func (cl *client12) prepare(reneg bool, params *UserParameters) (*handshake.ClientHello, error) {
	c := cl.c
	cs := new(clientState12)
	cl.cs = cs
	cl.begin(&cs.hs12, reneg)
	caps := c.e.h.Capabilities(c)
	if params != nil {
		cs.params = *params
	} else {
		cl.userParameters()
	}
	if c.removed {
		return nil, ErrNoConn
	}
	ecdhe := false
	for _, id := range cs.params.CipherSuites {
		s := suite.Lookup(id)
		if s == nil || contains(cs.offered, id) {
			continue
		}
		// Upstream offers ECDHE only to applications that can check the
		// server's key, PSK only to those that have keys.
		if s.KeyExchange == suite.PSK && !caps.PSK || s.KeyExchange == suite.ECDHEECDSA && !caps.VerifyECDSAKey {
			continue
		}
		ecdhe = ecdhe || s.KeyExchange == suite.ECDHEECDSA
		cs.offered = append(cs.offered, id)
	}
	if len(cs.offered) == 0 {
		cl.stop()
		return nil, ErrNoSuite
	}
	if _, err := io.ReadFull(c.e.cfg.Rand, cs.clientRandom[:]); err != nil {
		cl.stop()
		return nil, err
	}
	ch := &handshake.ClientHello{
		Version:            protocol.VersionDTLS12,
		Random:             cs.clientRandom,
		CompressionMethods: []uint8{protocol.CompressionNull},
	}
	for _, id := range cs.offered {
		ch.CipherSuites = append(ch.CipherSuites, uint16(id))
	}
	ext := &ch.Extensions
	if ecdhe {
		ext.HasClientCertType, ext.ClientCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		ext.HasServerCertType, ext.ServerCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		ext.HasSupportedGroups, ext.SupportedGroups = true, []uint16{protocol.GroupSecp256r1}
		ext.HasPointFormats, ext.PointFormats = true, []uint8{protocol.PointFormatUncompressed}
		ext.HasSignatureAlgorithms, ext.SignatureAlgorithms = true, []uint16{protocol.SigSchemeECDSASHA256}
	}
	ext.ExtendedMasterSecret = true
	switch {
	case reneg:
		// RFC 5746 §3.5: a renegotiating client proves continuity.
		ext.HasRenegotiationInfo, ext.RenegotiationInfo = true, append([]byte(nil), cl.clientVerify[:]...)
	default:
		// Upstream signals RFC 5746 support with the SCSV in the initial handshake.
		ch.CipherSuites = append(ch.CipherSuites, uint16(protocol.TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
	}
	cl.offerExtensions(ext)
	cs.hello = ch
	if !reneg {
		c.setState(StateClientHello)
	}
	cs.state = StateClientHello
	return ch, nil
}

// offerExtensions adds our optional extensions to a ClientHello. They are
// negotiated in the first handshake of an association only; a
// renegotiation keeps what was agreed.
func (cl *client12) offerExtensions(ext *handshake.Extensions) {
	cs := cl.cs
	if cs.renegotiation {
		return
	}
	if cs.params.SupportCID {
		// RFC 9146 §3: a zero-length CID says "I will send with your CID
		// but do not need one myself".
		cs.offeredCID = true
		ext.HasConnectionID, ext.ConnectionID = true, []byte{}
	}
	if n := cl.c.e.cfg.RecordSizeLimit; n > 0 {
		cs.offeredRSL = true
		ext.HasRecordSizeLimit, ext.RecordSizeLimit = true, uint16(min(n, protocol.MaxPlaintext))
	}
}

func (cl *client12) handle(st *step, msg handshake.Message) error {
	m := &msg
	cs := cl.cs
	switch t := m.Header.Type; {
	case t == protocol.HandshakeHelloVerifyRequest && cs.state == StateClientHello && !cs.renegotiation && cs.helloVerifies < 3:
		return cl.handleHelloVerifyRequest(st, m)
	case t == protocol.HandshakeServerHello && cs.state == StateClientHello:
		return cl.handleServerHello(m)
	case t == protocol.HandshakeCertificate && cs.state == StateWaitServerCertificate:
		return cl.handleServerCertificate(m)
	case t == protocol.HandshakeServerKeyExchange && cs.state == StateWaitServerKeyExchange:
		return cl.handleServerKeyExchange(m)
	case t == protocol.HandshakeCertificateRequest && cs.state == StateWaitServerHelloDone &&
		cs.suite.KeyExchange == suite.ECDHEECDSA && !cs.certRequested:
		return cl.handleCertificateRequest(m)
	case t == protocol.HandshakeServerHelloDone &&
		(cs.state == StateWaitServerHelloDone || cs.state == StateWaitServerKeyExchange && cs.suite.KeyExchange == suite.PSK):
		var done handshake.ServerHelloDone
		if !done.Unmarshal(m.Body) {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		return cl.sendFlight5(st)
	case t == protocol.HandshakeFinished && cs.state == StateWaitFinished && cs.newEpochActive:
		return cl.handleServerFinished(st, m)
	case t == protocol.HandshakeHelloRequest:
		return nil // RFC 5246 §7.4.1.1: ignored while negotiating
	}
	return cl.unexpected(m)
}

func (cl *client12) handleHelloVerifyRequest(st *step, m *handshake.Message) error {
	cs := cl.cs
	var hvr handshake.HelloVerifyRequest
	if !hvr.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	cs.helloVerifies++
	cs.hello.Cookie = append([]byte(nil), hvr.Cookie...)
	// RFC 6347 §4.2.6: the transcript starts with the ClientHello that
	// carries the cookie.
	cs.transcript.Reset()
	cl.c.logf(LogDebug, "got a cookie of %d bytes, sending ClientHello again", len(hvr.Cookie))
	_, err := cl.c.sendFlight(st, []outMsg{cl.newMsg(protocol.HandshakeClientHello, cs.hello.Marshal(nil))}, helloWithCookie)
	return err
}

func (cl *client12) handleServerHello(m *handshake.Message) error {
	c, cs := cl.c, cl.cs
	var sh handshake.ServerHello
	if !sh.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if sh.Version != protocol.VersionDTLS12 {
		c.logf(LogWarn, "server chose version 0x%04x", sh.Version)
		return protocol.Fatal(protocol.AlertProtocolVersion)
	}
	if cs.offered13 && downgraded(sh.Random[:]) {
		// RFC 8446 §4.1.3: a server that speaks 1.3 chose 1.2 although we
		// offered 1.3; someone removed our offer on the way.
		c.logf(LogWarn, "the server's random says it speaks DTLS 1.3, yet it chose DTLS 1.2: a downgrade")
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	id := protocol.CipherSuite(sh.CipherSuite)
	s := suite.Lookup(id)
	if s == nil || !contains(cs.offered, id) {
		c.logf(LogWarn, "server chose a suite we did not offer: %v", id)
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if sh.CompressionMethod != protocol.CompressionNull {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	ext := &sh.Extensions
	offeredECDHE := cs.hello.Extensions.HasServerCertType
	if !offeredECDHE && (ext.HasClientCertType || ext.HasServerCertType || ext.HasPointFormats) ||
		ext.HasConnectionID && !cs.offeredCID || ext.HasRecordSizeLimit && !cs.offeredRSL ||
		ext.HasSupportedGroups || ext.HasSignatureAlgorithms {
		// RFC 5246 §7.4.1.4: only extensions we asked for may come back.
		return protocol.Fatal(protocol.AlertUnsupportedExtension)
	}
	cs.ems = ext.ExtendedMasterSecret
	if err := checkEMS(cs.params.ForceExtendedMasterSecret, cs.ems,
		"server does not support the extended master secret (RFC 7627)"); err != nil {
		return err
	}
	ri := renegotiationInfo{
		reneg: cs.renegotiation,
		has:   ext.HasRenegotiationInfo, got: ext.RenegotiationInfo,
		force:       cs.params.ForceRenegotiationInfo,
		mismatch:    "renegotiation_info does not match the previous handshake",
		unsupported: "server does not support secure renegotiation (RFC 5746)",
	}
	if ri.reneg {
		ri.want = append(append([]byte(nil), cl.clientVerify[:]...), cl.serverVerify[:]...)
	}
	var err error
	if cs.peerSecureReneg, err = ri.check(); err != nil {
		return err
	}
	cs.suite = s
	cs.serverRandom = sh.Random
	if err := cl.acceptServerExtensions(ext); err != nil {
		return err
	}
	if s.KeyExchange == suite.ECDHEECDSA {
		// We can only use raw public keys; a server that does not say it
		// will send one would send X.509.
		if !ext.HasServerCertType || len(ext.ServerCertTypes) != 1 || ext.ServerCertTypes[0] != protocol.CertTypeRawPublicKey {
			c.logf(LogWarn, "server does not use raw public keys")
			return protocol.Fatal(protocol.AlertUnsupportedCertificate)
		}
		if ext.HasClientCertType && (len(ext.ClientCertTypes) != 1 || ext.ClientCertTypes[0] != protocol.CertTypeRawPublicKey) {
			return protocol.Fatal(protocol.AlertUnsupportedCertificate)
		}
		if ext.HasPointFormats && !contains(ext.PointFormats, protocol.PointFormatUncompressed) {
			return protocol.Fatal(protocol.AlertIllegalParameter)
		}
		cl.setState(StateWaitServerCertificate)
	} else {
		cl.setState(StateWaitServerKeyExchange)
	}
	c.logf(LogDebug, "server chose %v", s)
	return nil
}

// acceptServerExtensions applies what the ServerHello agreed to.
func (cl *client12) acceptServerExtensions(ext *handshake.Extensions) error {
	c := cl.c
	if cl.cs.renegotiation {
		return nil
	}
	if ext.HasConnectionID {
		if len(ext.ConnectionID) > protocol.MaxCIDLen {
			return protocol.Fatal(protocol.AlertIllegalParameter)
		}
		c.setCIDs([]byte{}, ext.ConnectionID) // we offered an empty one
	}
	if ext.HasRecordSizeLimit {
		c.rl.Out.SetLimit(ext.RecordSizeLimit)
		c.rl.In.SetLimit(uint16(min(c.e.cfg.RecordSizeLimit, protocol.MaxPlaintext)))
	}
	return nil
}

// handleServerCertificate takes the server's raw public key.
func (cl *client12) handleServerCertificate(m *handshake.Message) error {
	var cert handshake.Certificate
	if !cert.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if len(cert.SPKI) == 0 {
		return protocol.Fatal(protocol.AlertBadCertificate)
	}
	if err := cl.acceptPeerKey(cert.SPKI); err != nil {
		return err
	}
	cl.setState(StateWaitServerKeyExchange)
	return nil
}

func (cl *client12) handleServerKeyExchange(m *handshake.Message) error {
	c, cs := cl.c, cl.cs
	if cs.suite.KeyExchange == suite.PSK {
		var ske handshake.ServerKeyExchangePSK
		if !ske.Unmarshal(m.Body) || len(ske.Hint) > maxIdentityLen {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		cs.hint = append([]byte(nil), ske.Hint...)
		cl.setState(StateWaitServerHelloDone)
		return nil
	}
	var ske handshake.ServerKeyExchangeECDHE
	if !ske.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if ske.CurveType != protocol.CurveTypeNamedCurve || ske.NamedCurve != protocol.GroupSecp256r1 {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if ske.HashAlg != protocol.HashSHA256 || ske.SigAlg != protocol.SignatureECDSA {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	digest := ecc.HandshakeHash(cs.clientRandom[:], cs.serverRandom[:], ske.Params())
	if err := verify(cs.peerX, cs.peerY, digest[:], ske.Signature); err != nil {
		c.logf(LogWarn, "ServerKeyExchange signature does not verify")
		return err
	}
	k, err := cl.ephemeralKey()
	if err != nil {
		return err
	}
	// Computing the premaster secret now also validates the server's point.
	shared, err := sharedSecret(k, ske.PublicKey)
	if err != nil {
		c.logf(LogWarn, "server's ephemeral key is not a valid P-256 point")
		return err
	}
	cs.preMaster = shared
	cl.setState(StateWaitServerHelloDone)
	return nil
}

func (cl *client12) handleCertificateRequest(m *handshake.Message) error {
	cs := cl.cs
	var cr handshake.CertificateRequest
	if !cr.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	cs.certRequested = true
	cs.canSendCert = contains(cr.CertificateTypes, protocol.ClientCertTypeECDSASign) &&
		contains(cr.SignatureAlgorithms, protocol.SigSchemeECDSASHA256)
	return nil
}

// sendFlight5 answers the ServerHelloDone: [Certificate],
// ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished.
func (cl *client12) sendFlight5(st *step) error {
	c, cs := cl.c, cl.cs
	var msgs []outMsg
	var priv *p256.PrivateKey
	if cs.certRequested {
		var cert handshake.Certificate
		if cs.canSendCert && c.e.h.Capabilities(c).ECDSAKey {
			var err error
			if priv, cert.SPKI, err = cl.ownKey(); err != nil {
				return err
			}
		}
		// Without a key we answer with an empty Certificate (RFC 5246
		// §7.4.6) and let the server decide.
		msgs = append(msgs, cl.newMsg(protocol.HandshakeCertificate, cert.Marshal(nil)))
	}
	var preMaster, cke []byte
	switch cs.suite.KeyExchange {
	case suite.PSK:
		idBuf := make([]byte, maxIdentityLen)
		n, err := c.e.h.PSKInfo(c, PSKIdentity, cs.hint, idBuf)
		if err != nil {
			return asAlert(err, protocol.AlertInternalError)
		}
		if n < 0 || n > len(idBuf) {
			return protocol.Fatal(protocol.AlertInternalError)
		}
		identity := idBuf[:n]
		var refused bool
		if preMaster, refused, err = cl.pskPreMaster(identity); err != nil {
			if !refused {
				c.logf(LogWarn, "no PSK for identity %q", identity)
			}
			return err
		}
		cke = (&handshake.ClientKeyExchangePSK{Identity: identity}).Marshal(nil)
	case suite.ECDHEECDSA:
		preMaster, cs.preMaster = cs.preMaster, nil
		cke = (&handshake.ClientKeyExchangeECDHE{PublicKey: cs.ecdhPriv.publicKey()}).Marshal(nil)
	}
	msgs = append(msgs, cl.newMsg(protocol.HandshakeClientKeyExchange, cke))
	mine, theirs := cl.deriveKeys(preMaster)
	c.rl.Out.SetNext(mine)
	c.rl.In.SetNext(theirs)
	if priv != nil {
		sig, err := sign(c.e.cfg.Rand, priv, cs.transcriptHash())
		if err != nil {
			return err
		}
		cv := handshake.CertificateVerify{HashAlg: protocol.HashSHA256, SigAlg: protocol.SignatureECDSA, Signature: sig}
		msgs = append(msgs, cl.newMsg(protocol.HandshakeCertificateVerify, cv.Marshal(nil)))
	}
	msgs = append(msgs, cl.changeCipherSpecAndFinished("client finished", &cl.clientVerify)...)
	cl.awaitChangeCipherSpec()
	_, err := c.sendFlight(st, msgs, ordinaryFlight)
	return err
}

func (cl *client12) handleServerFinished(st *step, m *handshake.Message) error {
	if err := cl.checkPeerFinished(m, "server finished", &cl.serverVerify); err != nil {
		return err
	}
	cl.finish(st)
	return nil
}

// ignoresHelloRequest: a client ignores a HelloRequest while it negotiates
// (RFC 5246 §7.4.1.1), unless the server asked for a renegotiation while
// ours was already on its way: its ServerHello will come numbered after the
// HelloRequest, so the (protected, hence authentic) HelloRequest must use
// up its sequence number.
func (cl *client12) ignoresHelloRequest(hh handshake.Header, epoch uint16) bool {
	cs := cl.cs
	if cs == nil {
		return false
	}
	crossed := cs.renegotiation && epoch > 0 && epoch == cs.startEpoch &&
		cs.state == StateClientHello && hh.MessageSeq == cs.reasm.NextSeq()
	return !crossed
}

func (cl *client12) peerStarts(t protocol.HandshakeType) bool {
	return t == protocol.HandshakeHelloRequest
}

// startForPeer answers the server's HelloRequest with a new ClientHello.
// The HelloRequest itself is not part of the handshake.
func (cl *client12) startForPeer(st *step, hh handshake.Header) bool {
	c := cl.c
	c.e.h.Event(c, protocol.LevelInternal, protocol.EventRenegotiate)
	if c.removed {
		return false
	}
	if _, err := cl.start(st, true); err != nil {
		c.logf(LogWarn, "cannot renegotiate: %v", err)
		return false
	}
	if cl.hs != nil {
		// The HelloRequest used up its message_seq.
		cl.hs.reasm.Reset(hh.MessageSeq + 1)
	}
	return false
}

func (cl *client12) startRenegotiation(st *step) error {
	_, err := cl.start(st, true)
	return err
}

// takeOver continues, from the server's message m (a HelloVerifyRequest,
// or a ServerHello that chose DTLS 1.2) on, the handshake that a DTLS 1.3
// client began with the ClientHello cl prepared; reasm holds the server's
// messages so far.
func (cl *client12) takeOver(st *step, m *handshake.Message, reasm *handshake.Reassembler) {
	cl.hs.reasm = reasm
	if cl.message(cl, st, m) != nil {
		return
	}
	for cl.hs != nil && !cl.c.removed {
		next, ok := cl.hs.reasm.Pop()
		if !ok || cl.message(cl, st, &next) != nil {
			return
		}
	}
}

// downgraded reports whether a ServerHello random ends with one of RFC
// 8446 §4.1.3's downgrade sentinels.
func downgraded(random []byte) bool {
	tail := string(random[len(random)-8:])
	return tail == string(handshake13.DowngradeTLS12[:]) || tail == string(handshake13.DowngradeTLS11[:])
}

// The handshaker methods the roles share, with the role passed on.

func (cl *client12) handshakeRecord(st *step, epoch uint16, _ uint64, data []byte, first fragment) {
	cl.base12.handshakeRecord(cl, st, epoch, data, first)
}
func (cl *client12) stop()                      { cl.base12.stop(cl) }
func (cl *client12) renegotiate(st *step) error { return cl.base12.renegotiate(cl, st) }
func (cl *client12) finish(st *step)            { cl.base12.finish(cl, st) }
