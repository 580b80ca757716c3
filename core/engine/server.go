package engine

import (
	"crypto/subtle"
	"io"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/prf"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// The server side of the handshake:
//
//	ClientHello with a valid cookie ->
//	flight 4: ServerHello, [Certificate, ServerKeyExchange, [CertificateRequest]] | [ServerKeyExchange(hint)], ServerHelloDone
//	          <- [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished
//	flight 6: ChangeCipherSpec, Finished

// serverStart creates the handshake of a new association from the
// ClientHello whose cookie the stateless path verified.
func (c *Conn) serverStart(st *step, ch *handshake.ClientHello, hh handshake.Header, body []byte) error {
	hs := c.beginHandshake(false)
	// Our message_seq continues from the client's (upstream and OpenSSL
	// do the same), so a stateless server needs to remember nothing.
	hs.reasm.Reset(hh.MessageSeq + 1)
	hs.sendSeq = hh.MessageSeq
	m := handshake.Message{Header: hh, Body: body}
	hs.hashMessage(&m)
	c.setHSState(StateWaitClientHello)
	if err := c.serverHello(st, ch); err != nil {
		return c.fail(st, asAlert(err, protocol.AlertInternalError))
	}
	return nil
}

func (c *Conn) serverMessage(st *step, m *handshake.Message) error {
	hs := c.hs
	switch t := m.Header.Type; {
	case t == protocol.HandshakeClientHello && hs.state == StateWaitClientHello:
		var ch handshake.ClientHello
		if !ch.Unmarshal(m.Body) {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		return c.serverHello(st, &ch)
	case t == protocol.HandshakeCertificate && hs.state == StateWaitClientCertificate:
		return c.serverCertificate(m)
	case t == protocol.HandshakeClientKeyExchange && hs.state == StateWaitClientKeyExchange:
		return c.serverClientKeyExchange(st, m)
	case t == protocol.HandshakeCertificateVerify && hs.state == StateWaitCertificateVerify:
		return c.serverCertificateVerify(st, m)
	case t == protocol.HandshakeFinished && hs.state == StateWaitFinished && hs.newEpochActive:
		return c.serverFinished(st, m)
	}
	c.logf(LogWarn, "unexpected %v in state %v", m.Header.Type, hs.state)
	return protocol.Fatal(protocol.AlertUnexpectedMessage)
}

// ecdheUsable says whether the client can do our ECDHE: raw public keys
// both ways (ours is the only certificate type we have), P-256,
// uncompressed points, ECDSA with SHA-256. Absent extensions mean the RFC
// defaults, which for the certificate types is X.509.
func ecdheUsable(ext *handshake.Extensions, clientAuth bool) bool {
	if !ext.HasServerCertType || !contains(ext.ServerCertTypes, protocol.CertTypeRawPublicKey) {
		return false
	}
	if clientAuth && (!ext.HasClientCertType || !contains(ext.ClientCertTypes, protocol.CertTypeRawPublicKey)) {
		return false
	}
	if ext.HasSupportedGroups && !contains(ext.SupportedGroups, protocol.GroupSecp256r1) {
		return false
	}
	if ext.HasPointFormats && !contains(ext.PointFormats, protocol.PointFormatUncompressed) {
		return false
	}
	if ext.HasSignatureAlgorithms && !contains(ext.SignatureAlgorithms, protocol.SigSchemeECDSASHA256) {
		return false
	}
	return true
}

func (c *Conn) serverHello(st *step, ch *handshake.ClientHello) error {
	hs := c.hs
	hs.clientRandom = ch.Random
	if ch.Version > protocol.VersionDTLS12 {
		return protocol.Fatal(protocol.AlertProtocolVersion)
	}
	if !contains(ch.CompressionMethods, protocol.CompressionNull) {
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	}
	hs.params = DefaultUserParameters()
	c.e.h.UserParameters(c, &hs.params)
	if c.removed {
		return protocol.Fatal(protocol.AlertInternalError)
	}
	ext := &ch.Extensions
	hs.ems = ext.ExtendedMasterSecret && !c.e.cfg.noExtendedMasterSecret
	if hs.params.ForceExtendedMasterSecret && !hs.ems {
		c.logf(LogWarn, "client does not offer the extended master secret (RFC 7627)")
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	}
	scsv := contains(ch.CipherSuites, uint16(protocol.TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
	if hs.renegotiation {
		if scsv || !ext.HasRenegotiationInfo || subtle.ConstantTimeCompare(ext.RenegotiationInfo, c.clientVerify[:]) != 1 {
			c.logf(LogWarn, "renegotiating ClientHello without the right renegotiation_info")
			return protocol.Fatal(protocol.AlertHandshakeFailure)
		}
		hs.peerSecureReneg = true
	} else {
		if ext.HasRenegotiationInfo && len(ext.RenegotiationInfo) != 0 {
			return protocol.Fatal(protocol.AlertHandshakeFailure)
		}
		hs.peerSecureReneg = scsv || ext.HasRenegotiationInfo
		if hs.params.ForceRenegotiationInfo && !hs.peerSecureReneg {
			c.logf(LogWarn, "client does not support secure renegotiation (RFC 5746)")
			return protocol.Fatal(protocol.AlertHandshakeFailure)
		}
	}

	caps := c.e.h.Capabilities(c)
	clientAuth := caps.ECDSAKey && caps.VerifyECDSAKey
	for _, id := range ch.CipherSuites {
		s := suite.Lookup(protocol.CipherSuite(id))
		if s == nil || !contains(hs.params.CipherSuites, s.ID) {
			continue
		}
		if s.KeyExchange == suite.PSK && caps.PSK ||
			s.KeyExchange == suite.ECDHEECDSA && caps.ECDSAKey && ecdheUsable(ext, clientAuth) {
			hs.suite = s
			break
		}
	}
	if hs.suite == nil {
		c.logf(LogWarn, "no cipher suite in common with the client")
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	}
	c.suite = hs.suite
	if _, err := io.ReadFull(c.e.cfg.Rand, hs.serverRandom[:]); err != nil {
		return protocol.Fatal(protocol.AlertInternalError)
	}

	sh := handshake.ServerHello{
		Version:           protocol.VersionDTLS12,
		Random:            hs.serverRandom,
		CipherSuite:       uint16(hs.suite.ID),
		CompressionMethod: protocol.CompressionNull,
	}
	sx := &sh.Extensions
	ecdhe := hs.suite.KeyExchange == suite.ECDHEECDSA
	if ecdhe {
		if clientAuth {
			sx.HasClientCertType, sx.ClientCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		}
		sx.HasServerCertType, sx.ServerCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		if ext.HasPointFormats {
			sx.HasPointFormats, sx.PointFormats = true, []uint8{protocol.PointFormatUncompressed}
		}
	}
	sx.ExtendedMasterSecret = hs.ems
	if hs.peerSecureReneg && !c.e.cfg.legacyRenegotiation {
		sx.HasRenegotiationInfo = true
		if hs.renegotiation {
			sx.RenegotiationInfo = append(append([]byte(nil), c.clientVerify[:]...), c.serverVerify[:]...)
		} else {
			sx.RenegotiationInfo = []byte{}
		}
	}
	if err := c.answerExtensions(ext, sx); err != nil {
		return err
	}
	msgs := []outMsg{c.newMsg(protocol.HandshakeServerHello, sh.Marshal(nil))}

	if ecdhe {
		key, err := c.e.h.ECDSAKey(c)
		if err != nil {
			return asAlert(err, protocol.AlertInternalError)
		}
		priv, err := parsePrivateKey(key)
		if err != nil {
			c.logf(LogCrit, "the application's ECDSA key is unusable")
			return err
		}
		cert := handshake.Certificate{SPKI: ecc.MarshalSPKI(key.X, key.Y)}
		msgs = append(msgs, c.newMsg(protocol.HandshakeCertificate, cert.Marshal(nil)))
		eph, err := c.ephemeralKey()
		if err != nil {
			return err
		}
		ske := handshake.ServerKeyExchangeECDHE{
			CurveType: protocol.CurveTypeNamedCurve, NamedCurve: protocol.GroupSecp256r1,
			PublicKey: eph.PublicKey().Bytes(), HashAlg: protocol.HashSHA256, SigAlg: protocol.SignatureECDSA,
		}
		digest := ecc.HandshakeHash(hs.clientRandom[:], hs.serverRandom[:], ske.Params())
		ske.Signature, err = sign(c.e.cfg.Rand, priv, digest[:])
		if err != nil {
			return err
		}
		msgs = append(msgs, c.newMsg(protocol.HandshakeServerKeyExchange, ske.Marshal(nil)))
		if clientAuth {
			cr := handshake.CertificateRequest{
				CertificateTypes:    []uint8{protocol.ClientCertTypeECDSASign},
				SignatureAlgorithms: []uint16{protocol.SigSchemeECDSASHA256},
			}
			msgs = append(msgs, c.newMsg(protocol.HandshakeCertificateRequest, cr.Marshal(nil)))
			hs.certRequested = true
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
			msgs = append(msgs, c.newMsg(protocol.HandshakeServerKeyExchange, ske.Marshal(nil)))
		}
	}
	msgs = append(msgs, c.newMsg(protocol.HandshakeServerHelloDone, nil))
	if hs.certRequested {
		c.setHSState(StateWaitClientCertificate)
	} else {
		c.setHSState(StateWaitClientKeyExchange)
	}
	_, err := c.sendFlight(st, msgs, false)
	return err
}

func (c *Conn) serverCertificate(m *handshake.Message) error {
	hs := c.hs
	var cert handshake.Certificate
	if !cert.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if len(cert.SPKI) == 0 {
		// We asked because the application wants to verify the client.
		c.logf(LogWarn, "client sent no certificate although one was requested")
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	}
	if err := c.acceptPeerKey(cert.SPKI); err != nil {
		return err
	}
	hs.peerSentCert = true
	c.setHSState(StateWaitClientKeyExchange)
	return nil
}

func (c *Conn) serverClientKeyExchange(st *step, m *handshake.Message) error {
	hs := c.hs
	var preMaster []byte
	switch hs.suite.KeyExchange {
	case suite.PSK:
		var cke handshake.ClientKeyExchangePSK
		if !cke.Unmarshal(m.Body) || len(cke.Identity) > maxIdentityLen {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		key := make([]byte, MaxPSKLen)
		n, err := c.e.h.PSKInfo(c, PSKKey, cke.Identity, key)
		if err != nil {
			c.logf(LogWarn, "no key for PSK identity %q", cke.Identity)
			return asAlert(err, protocol.AlertInternalError)
		}
		if n <= 0 || n > len(key) {
			c.logf(LogWarn, "no key for PSK identity %q", cke.Identity)
			return protocol.Fatal(protocol.AlertInternalError)
		}
		preMaster = prf.PSKPreMasterSecret(key[:n])
		clear(key)
	case suite.ECDHEECDSA:
		var cke handshake.ClientKeyExchangeECDHE
		if !cke.Unmarshal(m.Body) {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		shared, err := ecdhShared(hs.ecdhPriv, cke.PublicKey)
		if err != nil {
			c.logf(LogWarn, "client's ephemeral key is not a valid P-256 point")
			return err
		}
		preMaster = shared
	}
	c.deriveKeys(preMaster)
	if hs.peerSentCert {
		c.setHSState(StateWaitCertificateVerify)
		return nil
	}
	return c.awaitChangeCipherSpec(st)
}

func (c *Conn) serverCertificateVerify(st *step, m *handshake.Message) error {
	hs := c.hs
	var cv handshake.CertificateVerify
	if !cv.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if cv.HashAlg != protocol.HashSHA256 || cv.SigAlg != protocol.SignatureECDSA {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if err := verify(hs.peerX, hs.peerY, hs.transcriptHash(), cv.Signature); err != nil {
		c.logf(LogWarn, "client CertificateVerify does not verify")
		return err
	}
	hs.hashMessage(m)
	return c.awaitChangeCipherSpec(st)
}

func (c *Conn) serverFinished(st *step, m *handshake.Message) error {
	hs := c.hs
	if err := c.checkPeerFinished(m, "client finished", c.clientVerify[:]); err != nil {
		return err
	}
	msgs := []outMsg{ccsMsg(c.rl.Out.Epoch())}
	c.activateWrite()
	vd := prf.VerifyData(hs.master[:], "server finished", hs.transcriptHash())
	copy(c.serverVerify[:], vd[:])
	msgs = append(msgs, c.newMsg(protocol.HandshakeFinished, vd[:]))
	if _, err := c.sendFlight(st, msgs, true); err != nil && c.removed {
		return nil
	}
	return c.finishHandshake(st)
}
