package engine

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/subtle"
	"io"

	"github.com/tinydtls-go/tinydtls/core/ecc"
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/prf"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// The client side of the handshake (RFC 6347 §4.2, RFC 5246 §7.3):
//
//	flight 1: ClientHello
//	          <- HelloVerifyRequest
//	flight 3: ClientHello with cookie
//	          <- ServerHello, [Certificate, ServerKeyExchange, CertificateRequest] | [ServerKeyExchange], ServerHelloDone
//	flight 5: [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished
//	          <- ChangeCipherSpec, Finished

// clientStart builds and sends the first ClientHello of a handshake.
func (c *Conn) clientStart(st *step, reneg bool) (int, error) {
	hs := c.beginHandshake(reneg)
	caps := c.e.h.Capabilities(c)
	hs.params = DefaultUserParameters()
	c.e.h.UserParameters(c, &hs.params)
	if c.removed {
		return 0, ErrNoConn
	}
	ecdhe := false
	for _, id := range hs.params.CipherSuites {
		s := suite.Lookup(id)
		if s == nil || contains(hs.offered, id) {
			continue
		}
		// Upstream offers ECDHE only to applications that can check the
		// server's key, PSK only to those that have keys.
		if s.KeyExchange == suite.PSK && !caps.PSK || s.KeyExchange == suite.ECDHEECDSA && !caps.VerifyECDSAKey {
			continue
		}
		ecdhe = ecdhe || s.KeyExchange == suite.ECDHEECDSA
		hs.offered = append(hs.offered, id)
	}
	if len(hs.offered) == 0 {
		c.logf(LogWarn, "no cipher suite can be offered with the callbacks set")
		c.endHandshake()
		return 0, ErrNoSuite
	}
	if _, err := io.ReadFull(c.e.cfg.Rand, hs.clientRandom[:]); err != nil {
		c.endHandshake()
		return 0, err
	}
	ch := &handshake.ClientHello{
		Version:            protocol.VersionDTLS12,
		Random:             hs.clientRandom,
		CompressionMethods: []uint8{protocol.CompressionNull},
	}
	for _, id := range hs.offered {
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
	ext.ExtendedMasterSecret = !c.e.cfg.noExtendedMasterSecret
	switch {
	case c.e.cfg.legacyRenegotiation:
	case reneg:
		// RFC 5746 §3.5: a renegotiating client proves continuity.
		ext.HasRenegotiationInfo, ext.RenegotiationInfo = true, append([]byte(nil), c.clientVerify[:]...)
	default:
		// Upstream signals RFC 5746 support with the SCSV in the initial handshake.
		ch.CipherSuites = append(ch.CipherSuites, uint16(protocol.TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
	}
	c.offerExtensions(ext)
	hs.ch = ch
	if !reneg {
		c.setState(StateClientHello)
	}
	hs.state = StateClientHello
	return c.sendFlight(st, []outMsg{c.newMsg(protocol.HandshakeClientHello, ch.Marshal(nil))}, false)
}

func (c *Conn) clientMessage(st *step, m *handshake.Message) error {
	hs := c.hs
	switch t := m.Header.Type; {
	case t == protocol.HandshakeHelloVerifyRequest && hs.state == StateClientHello && !hs.renegotiation && hs.hvrCount < 3:
		return c.clientHelloVerify(st, m)
	case t == protocol.HandshakeServerHello && hs.state == StateClientHello:
		return c.clientServerHello(m)
	case t == protocol.HandshakeCertificate && hs.state == StateWaitServerCertificate:
		return c.clientCertificate(m)
	case t == protocol.HandshakeServerKeyExchange && hs.state == StateWaitServerKeyExchange:
		return c.clientServerKeyExchange(m)
	case t == protocol.HandshakeCertificateRequest && hs.state == StateWaitServerHelloDone &&
		hs.suite.KeyExchange == suite.ECDHEECDSA && !hs.certRequested:
		return c.clientCertificateRequest(m)
	case t == protocol.HandshakeServerHelloDone &&
		(hs.state == StateWaitServerHelloDone || hs.state == StateWaitServerKeyExchange && hs.suite.KeyExchange == suite.PSK):
		var done handshake.ServerHelloDone
		if !done.Unmarshal(m.Body) {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		return c.clientFlight5(st)
	case t == protocol.HandshakeFinished && hs.state == StateWaitFinished && hs.newEpochActive:
		return c.clientFinished(st, m)
	case t == protocol.HandshakeHelloRequest:
		return nil // RFC 5246 §7.4.1.1: ignored while negotiating
	}
	c.logf(LogWarn, "unexpected %v in state %v", m.Header.Type, hs.state)
	return protocol.Fatal(protocol.AlertUnexpectedMessage)
}

func (c *Conn) clientHelloVerify(st *step, m *handshake.Message) error {
	hs := c.hs
	var hvr handshake.HelloVerifyRequest
	if !hvr.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	hs.hvrCount++
	hs.ch.Cookie = append([]byte(nil), hvr.Cookie...)
	// RFC 6347 §4.2.6: the transcript starts with the ClientHello that
	// carries the cookie.
	hs.transcript.Reset()
	c.logf(LogDebug, "got a cookie of %d bytes, sending ClientHello again", len(hvr.Cookie))
	_, err := c.sendFlight(st, []outMsg{c.newMsg(protocol.HandshakeClientHello, hs.ch.Marshal(nil))}, false)
	return err
}

func (c *Conn) clientServerHello(m *handshake.Message) error {
	hs := c.hs
	var sh handshake.ServerHello
	if !sh.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if sh.Version != protocol.VersionDTLS12 {
		c.logf(LogWarn, "server chose version 0x%04x", sh.Version)
		return protocol.Fatal(protocol.AlertProtocolVersion)
	}
	id := protocol.CipherSuite(sh.CipherSuite)
	s := suite.Lookup(id)
	if s == nil || !contains(hs.offered, id) {
		c.logf(LogWarn, "server chose a suite we did not offer: %v", id)
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if sh.CompressionMethod != protocol.CompressionNull {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	ext := &sh.Extensions
	offeredECDHE := hs.ch.Extensions.HasServerCertType
	if !offeredECDHE && (ext.HasClientCertType || ext.HasServerCertType || ext.HasPointFormats) ||
		ext.HasConnectionID && !hs.offeredCID || ext.HasRecordSizeLimit && !hs.offeredRSL ||
		ext.HasSupportedGroups || ext.HasSignatureAlgorithms {
		// RFC 5246 §7.4.1.4: only extensions we asked for may come back.
		return protocol.Fatal(protocol.AlertUnsupportedExtension)
	}
	hs.ems = ext.ExtendedMasterSecret
	if hs.params.ForceExtendedMasterSecret && !hs.ems {
		c.logf(LogWarn, "server does not support the extended master secret (RFC 7627)")
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	}
	if hs.renegotiation && !c.e.cfg.legacyRenegotiation {
		want := append(append([]byte(nil), c.clientVerify[:]...), c.serverVerify[:]...)
		if !ext.HasRenegotiationInfo || subtle.ConstantTimeCompare(ext.RenegotiationInfo, want) != 1 {
			c.logf(LogWarn, "renegotiation_info does not match the previous handshake")
			return protocol.Fatal(protocol.AlertHandshakeFailure)
		}
		hs.peerSecureReneg = true
	} else {
		if ext.HasRenegotiationInfo && len(ext.RenegotiationInfo) != 0 {
			return protocol.Fatal(protocol.AlertHandshakeFailure)
		}
		hs.peerSecureReneg = ext.HasRenegotiationInfo
		if hs.params.ForceRenegotiationInfo && !hs.peerSecureReneg {
			c.logf(LogWarn, "server does not support secure renegotiation (RFC 5746)")
			return protocol.Fatal(protocol.AlertHandshakeFailure)
		}
	}
	hs.suite = s
	hs.serverRandom = sh.Random
	c.suite = s
	if err := c.acceptServerExtensions(ext); err != nil {
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
		c.setHSState(StateWaitServerCertificate)
	} else {
		c.setHSState(StateWaitServerKeyExchange)
	}
	c.logf(LogDebug, "server chose %v", s)
	return nil
}

func (c *Conn) clientCertificate(m *handshake.Message) error {
	var cert handshake.Certificate
	if !cert.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if len(cert.SPKI) == 0 {
		return protocol.Fatal(protocol.AlertBadCertificate)
	}
	if err := c.acceptPeerKey(cert.SPKI); err != nil {
		return err
	}
	c.setHSState(StateWaitServerKeyExchange)
	return nil
}

func (c *Conn) clientServerKeyExchange(m *handshake.Message) error {
	hs := c.hs
	if hs.suite.KeyExchange == suite.PSK {
		var ske handshake.ServerKeyExchangePSK
		if !ske.Unmarshal(m.Body) || len(ske.Hint) > maxIdentityLen {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		hs.hint = append([]byte(nil), ske.Hint...)
		c.setHSState(StateWaitServerHelloDone)
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
	digest := ecc.HandshakeHash(hs.clientRandom[:], hs.serverRandom[:], ske.Params())
	if err := verify(hs.peerX, hs.peerY, digest[:], ske.Signature); err != nil {
		c.logf(LogWarn, "ServerKeyExchange signature does not verify")
		return err
	}
	k, err := c.ephemeralKey()
	if err != nil {
		return err
	}
	// Computing the premaster secret now also validates the server's point.
	shared, err := ecdhShared(k, ske.PublicKey)
	if err != nil {
		c.logf(LogWarn, "server's ephemeral key is not a valid P-256 point")
		return err
	}
	hs.ecdhShared = shared
	c.setHSState(StateWaitServerHelloDone)
	return nil
}

// ephemeralKey generates our ECDHE key on first use.
func (c *Conn) ephemeralKey() (*ecdh.PrivateKey, error) {
	hs := c.hs
	if hs.ecdhPriv == nil {
		k, err := newECDHKey(c.e.cfg.Rand)
		if err != nil {
			return nil, err
		}
		hs.ecdhPriv = k
	}
	return hs.ecdhPriv, nil
}

func (c *Conn) clientCertificateRequest(m *handshake.Message) error {
	hs := c.hs
	var cr handshake.CertificateRequest
	if !cr.Unmarshal(m.Body) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	hs.certRequested = true
	hs.canSendCert = contains(cr.CertificateTypes, protocol.ClientCertTypeECDSASign) &&
		contains(cr.SignatureAlgorithms, protocol.SigSchemeECDSASHA256)
	return nil
}

func (c *Conn) clientFlight5(st *step) error {
	hs := c.hs
	var msgs []outMsg
	var priv *ecdsa.PrivateKey
	if hs.certRequested {
		var cert handshake.Certificate
		if hs.canSendCert && c.e.h.Capabilities(c).ECDSAKey {
			key, err := c.e.h.ECDSAKey(c)
			if err != nil {
				return asAlert(err, protocol.AlertInternalError)
			}
			if priv, err = parsePrivateKey(key); err != nil {
				c.logf(LogCrit, "the application's ECDSA key is unusable")
				return err
			}
			cert.SPKI = ecc.MarshalSPKI(key.X, key.Y)
		}
		// Without a key we answer with an empty Certificate (RFC 5246
		// §7.4.6) and let the server decide.
		msgs = append(msgs, c.newMsg(protocol.HandshakeCertificate, cert.Marshal(nil)))
	}
	var preMaster, cke []byte
	switch hs.suite.KeyExchange {
	case suite.PSK:
		idBuf := make([]byte, maxIdentityLen)
		n, err := c.e.h.PSKInfo(c, PSKIdentity, hs.hint, idBuf)
		if err != nil {
			return asAlert(err, protocol.AlertInternalError)
		}
		if n < 0 || n > len(idBuf) {
			return protocol.Fatal(protocol.AlertInternalError)
		}
		identity := idBuf[:n]
		key := make([]byte, MaxPSKLen)
		kn, err := c.e.h.PSKInfo(c, PSKKey, identity, key)
		if err != nil {
			return asAlert(err, protocol.AlertInternalError)
		}
		if kn <= 0 || kn > len(key) {
			c.logf(LogWarn, "no PSK for identity %q", identity)
			return protocol.Fatal(protocol.AlertInternalError)
		}
		preMaster = prf.PSKPreMasterSecret(key[:kn])
		clear(key)
		cke = (&handshake.ClientKeyExchangePSK{Identity: identity}).Marshal(nil)
	case suite.ECDHEECDSA:
		preMaster, hs.ecdhShared = hs.ecdhShared, nil
		cke = (&handshake.ClientKeyExchangeECDHE{PublicKey: hs.ecdhPriv.PublicKey().Bytes()}).Marshal(nil)
	}
	msgs = append(msgs, c.newMsg(protocol.HandshakeClientKeyExchange, cke))
	c.deriveKeys(preMaster)
	if priv != nil {
		sig, err := sign(c.e.cfg.Rand, priv, hs.transcriptHash())
		if err != nil {
			return err
		}
		cv := handshake.CertificateVerify{HashAlg: protocol.HashSHA256, SigAlg: protocol.SignatureECDSA, Signature: sig}
		msgs = append(msgs, c.newMsg(protocol.HandshakeCertificateVerify, cv.Marshal(nil)))
	}
	msgs = append(msgs, ccsMsg(c.rl.Out.Epoch()))
	c.activateWrite()
	vd := prf.VerifyData(hs.master[:], "client finished", hs.transcriptHash())
	copy(c.clientVerify[:], vd[:])
	msgs = append(msgs, c.newMsg(protocol.HandshakeFinished, vd[:]))
	if err := c.awaitChangeCipherSpec(st); err != nil {
		return err
	}
	_, err := c.sendFlight(st, msgs, false)
	return err
}

func (c *Conn) clientFinished(st *step, m *handshake.Message) error {
	if err := c.checkPeerFinished(m, "server finished", c.serverVerify[:]); err != nil {
		return err
	}
	return c.finishHandshake(st)
}
