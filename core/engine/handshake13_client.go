// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/sha256"
	"io"
	"slices"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/keyschedule"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// The client side of the DTLS 1.3 handshake (RFC 9147 §5, RFC 8446 §2):
//
//	ClientHello (offering 1.3, and 1.2 unless MinVersion is 1.3)
//	          <- [HelloRetryRequest]        then ClientHello again
//	          <- ServerHello, {EncryptedExtensions, [CertificateRequest],
//	             [Certificate, CertificateVerify], Finished}
//	{[Certificate, [CertificateVerify]], Finished}  (until acknowledged)
//	          <- [ACK]
//
// When the server answers with DTLS 1.2 (a HelloVerifyRequest, a 1.2
// ServerHello), the association goes to the 1.2 client that prepared the
// same ClientHello (client12.takeOver).

// client13 is the DTLS 1.3 handshaker of a client association.
type client13 struct {
	base13
	// cl12 is the DTLS 1.2 client whose ClientHello ours extends, while
	// the server may still choose 1.2; nil once it chose, or if we do not
	// offer 1.2.
	cl12 *client12
	cs   *clientState13 // the handshake in progress, nil between
}

// clientState13 is a client handshake in progress.
type clientState13 struct {
	hs13
	hello    *handshake.ClientHello // 1.2's fields and extensions, ours in Extensions.Extra
	hello1   []byte                 // the first ClientHello's body, for message_hash
	prefix   []byte                 // the transcript before the second ClientHello
	offered  []*suite.Suite         // the 1.3 suites offered
	versions []uint16               // supported_versions
	groups   []uint16               // supported_groups
	group    uint16                 // the group of our key share (0: none)
	priv     *keyShare
	// PSK: identity and key, and the modes offered (nil: no PSK).
	pskIdentity, pskKey []byte
	pskModes            []uint8
	offerRPK            bool
	offeredCID          bool
	offeredRSL          bool
	hrr                 bool // a HelloRetryRequest came
	hrrSuite            uint16
	clientTypeRPK       bool // EncryptedExtensions agreed on our raw public key
	canSendCert         bool // the CertificateRequest allows our signature
}

func (cl *client13) role() Role { return RoleClient }

// version: unknown until the server chose, when we offered 1.2 as well.
func (cl *client13) version() uint16 {
	if cl.cl12 != nil {
		return 0
	}
	return protocol.VersionDTLS13
}

func (cl *client13) restartedBy([]byte) bool { return false }
func (cl *client13) halfOpen() bool          { return false }

func (cl *client13) stop() {
	if cl.cs != nil {
		clear(cl.cs.pskKey)
	}
	cl.stopHandshake()
	cl.cs = nil
	if cl.cl12 != nil {
		cl.cl12.stop()
		cl.cl12 = nil
	}
}

func (cl *client13) handshakeRecord(st *step, epoch uint16, seq uint64, data []byte, first fragment) {
	cl.base13.handshakeRecord(cl, st, epoch, seq, data, first)
}

// start builds and sends the ClientHello and returns what the write
// callback reported sent of it.
func (cl *client13) start(st *step, _ bool) (int, error) {
	c := cl.c
	cs := new(clientState13)
	cl.cs = cs
	lo, _ := c.e.cfg.versions(RoleClient)
	caps := c.e.h.Capabilities(c)
	params := DefaultUserParameters()
	c.e.h.UserParameters(c, &params)
	if c.removed {
		return 0, ErrNoConn
	}
	if lo <= 12 {
		cl12 := &client12{base12: base12{c: c}}
		switch ch, err := cl12.prepare(false, &params); {
		case err == nil:
			cl.cl12, cs.hello = cl12, ch
			cl12.cs.offered13 = true
		case err != ErrNoSuite:
			return 0, err
		}
	}
	cl.begin(&cs.hs13, cl.cl12 == nil)
	cs.params = params
	cs.policy = policyFor13(&params, caps, RoleClient)
	if !cs.policy.usable() {
		cl.stopHandshake()
		cl.cs = nil
		if cl12 := cl.cl12; cl12 != nil {
			// Nothing to offer in 1.3: a plain 1.2 ClientHello.
			cl.cl12 = nil
			cl12.cs.offered13 = false
			c.hs = cl12
			m := cl12.newMsg(protocol.HandshakeClientHello, cl12.cs.hello.Marshal(nil))
			return c.sendFlight(st, []outMsg{m}, ordinaryFlight)
		}
		c.logf(LogWarn, "no cipher suite can be offered with the callbacks set")
		return 0, ErrNoSuite
	}
	if cs.hello == nil {
		cs.hello = &handshake.ClientHello{Version: protocol.VersionDTLS12, CompressionMethods: []uint8{protocol.CompressionNull}}
		if _, err := io.ReadFull(c.e.cfg.Rand, cs.hello.Random[:]); err != nil {
			cl.stop()
			return 0, err
		}
		c.setState(StateClientHello)
	}
	cs.clientRandom = cs.hello.Random
	if err := cl.offer(caps); err != nil {
		cl.stop()
		return 0, err
	}
	body := cl.marshalHello()
	cs.hello1 = body
	var m outMsg
	if cl12 := cl.cl12; cl12 != nil {
		// Sent as the 1.2 client's first message: in its transcript too.
		m = cl12.newMsg(protocol.HandshakeClientHello, body)
		cl.sendSeq = m.seq + 1
		cs.transcript.add(protocol.HandshakeClientHello, body)
	} else {
		m = cl.newMsg(0, protocol.HandshakeClientHello, body)
	}
	cs.state = c13WaitServerHello
	return c.sendFlight13(st, []outMsg{m}, false)
}

// offer adds DTLS 1.3 to the ClientHello (RFC 8446 §4.1.2): the suites,
// supported_versions, our key share, and what the authentication needs
// (the PSK with its modes, or the certificate types and signature
// algorithm of raw public keys).
func (cl *client13) offer(caps Capabilities) error {
	c, cs := cl.c, cl.cs
	ch := cs.hello
	ext := &ch.Extensions
	var ids []uint16
	for _, s := range cs.policy.suites {
		ids = append(ids, uint16(s.ID))
	}
	cs.offered = cs.policy.suites
	ch.CipherSuites = append(ids, ch.CipherSuites...)

	if cs.policy.psk {
		idBuf := make([]byte, maxIdentityLen)
		n, err := c.e.h.PSKInfo(c, PSKIdentity, nil, idBuf)
		switch {
		case err != nil:
			return asAlert(err, protocol.AlertInternalError)
		case n > 0 && n <= len(idBuf):
			key, err := cl.pskKey(idBuf[:n])
			if err != nil {
				return err
			}
			if key != nil {
				cs.pskIdentity, cs.pskKey = idBuf[:n], key
			} else {
				c.logf(LogWarn, "no key for our PSK identity %q; not offering it in DTLS 1.3", idBuf[:n])
			}
		}
		if cs.pskKey != nil {
			cs.pskModes = []uint8{handshake13.PSKModeDHEKE, handshake13.PSKModeKE}
			if cs.policy.pskKE {
				cs.pskModes = []uint8{handshake13.PSKModeKE}
			}
		}
	}
	cs.offerRPK = cs.policy.rpk
	if cs.pskKey == nil && !cs.offerRPK {
		return ErrNoSuite
	}
	if cs.offerRPK {
		ext.HasClientCertType, ext.ClientCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		ext.HasServerCertType, ext.ServerCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		ext.HasSignatureAlgorithms, ext.SignatureAlgorithms = true, []uint16{protocol.SigSchemeECDSASHA256}
	}
	needShare := cs.offerRPK || contains(cs.pskModes, handshake13.PSKModeDHEKE)
	if needShare {
		// P-256 stays first where the 1.2 offer put it: a 1.2 server
		// would pick X25519 for ECDHE, which our 1.2 suites do not do.
		groups := []uint16{}
		if ext.HasSupportedGroups {
			groups = append(groups, ext.SupportedGroups...)
		}
		for _, g := range c.e.cfg.Groups {
			if !contains(groups, g) {
				groups = append(groups, g)
			}
		}
		cs.groups = groups
		ext.HasSupportedGroups, ext.SupportedGroups = true, groups
		cs.group = c.e.cfg.Groups[0]
		k, err := newKeyShare(c.e.cfg.Rand, cs.group)
		if err != nil {
			return err
		}
		cs.priv = k
	}
	if !ext.HasConnectionID && cs.params.SupportCID {
		ext.HasConnectionID, ext.ConnectionID = true, []byte{}
	}
	cs.offeredCID = ext.HasConnectionID
	if n := c.e.cfg.RecordSizeLimit; n > 0 && !ext.HasRecordSizeLimit {
		ext.HasRecordSizeLimit, ext.RecordSizeLimit = true, uint16(min(n, protocol.MaxPlaintext))
	}
	cs.offeredRSL = ext.HasRecordSizeLimit
	cl.setExtra(nil)
	return nil
}

// setExtra lays out our 1.3 extensions after 1.2's (pre_shared_key last,
// RFC 8446 §4.2.11), with cookie if a HelloRetryRequest gave one; the
// binder is a placeholder until marshalHello fills it in.
func (cl *client13) setExtra(cookie []byte) {
	cs := cl.cs
	if cs.versions == nil {
		// Fixed with the first ClientHello: the second repeats it even
		// when the server chose 1.3 already (RFC 8446 §4.1.2).
		cs.versions = []uint16{protocol.VersionDTLS13}
		if cl.cl12 != nil {
			cs.versions = append(cs.versions, protocol.VersionDTLS12)
		}
	}
	extra := []handshake.RawExtension{
		{Type: protocol.ExtSupportedVersions, Data: handshake13.AppendSupportedVersionsCH(nil, cs.versions)},
	}
	var shares []handshake13.KeyShare
	if cs.priv != nil {
		shares = []handshake13.KeyShare{{Group: cs.group, Data: cs.priv.publicKey()}}
	}
	if cs.priv != nil || cs.offerRPK || contains(cs.pskModes, handshake13.PSKModeDHEKE) {
		extra = append(extra, handshake.RawExtension{Type: protocol.ExtKeyShare, Data: handshake13.AppendKeyShareCH(nil, shares)})
	}
	if cs.pskKey != nil {
		extra = append(extra, handshake.RawExtension{Type: protocol.ExtPSKKeyExchangeModes, Data: handshake13.AppendPSKModes(nil, cs.pskModes)})
	}
	if cookie != nil {
		extra = append(extra, handshake.RawExtension{Type: protocol.ExtCookie, Data: handshake13.AppendCookie(nil, cookie)})
	}
	if cs.pskKey != nil {
		o := handshake13.OfferedPSKs{
			Identities: []handshake13.PSKIdentity{{Identity: cs.pskIdentity}},
			Binders:    [][]byte{make([]byte, sha256.Size)},
		}
		extra = append(extra, handshake.RawExtension{Type: protocol.ExtPreSharedKey, Data: handshake13.AppendPreSharedKeyCH(nil, &o)})
	}
	cs.hello.Extensions.Extra = extra
}

// marshalHello encodes the ClientHello with its PSK binder (RFC 8446
// §4.2.11.2) over the transcript so far and the ClientHello up to the
// binders; the binder also goes into the pre_shared_key kept for a resend.
func (cl *client13) marshalHello() []byte {
	cs := cl.cs
	body := cs.hello.Marshal(nil)
	if cs.pskKey == nil {
		return body
	}
	n := 2 + 1 + sha256.Size
	d := sha256.New()
	d.Write(cs.prefix)
	d.Write([]byte{byte(protocol.HandshakeClientHello), byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))})
	d.Write(body[:len(body)-n])
	b := binder(cs.pskKey, d.Sum(nil))
	handshake13.FillBinders(body, [][]byte{b})
	extra := cs.hello.Extensions.Extra
	last := &extra[len(extra)-1]
	last.Data = append([]byte(nil), last.Data...)
	handshake13.FillBinders(last.Data, [][]byte{b})
	return body
}

func (cl *client13) handle(st *step, msg handshake.Message) error {
	m := &msg
	cs := cl.cs
	t := m.Header.Type
	if m.Epoch != cl.epochOf(t) {
		c := cl.c
		c.logf(LogWarn, "%v in epoch %d", t, m.Epoch)
		return protocol.Fatal(protocol.AlertUnexpectedMessage)
	}
	switch {
	case t == protocol.HandshakeHelloVerifyRequest && cs.state == c13WaitServerHello && !cs.hrr:
		return cl.fallback(st, m)
	case t == protocol.HandshakeServerHello && cs.state == c13WaitServerHello:
		return cl.handleServerHello(st, m)
	case t == protocol.HandshakeEncryptedExtensions && cs.state == c13WaitEncryptedExtensions:
		return cl.handleEncryptedExtensions(m)
	case t == protocol.HandshakeCertificateRequest && cs.state == c13WaitCertificateRequest:
		return cl.handleCertificateRequest(m)
	case t == protocol.HandshakeCertificate && (cs.state == c13WaitCertificateRequest || cs.state == c13WaitCertificate):
		empty, err := cl.peerCertificate(m)
		if err != nil {
			return err
		}
		if empty {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
		cl.setState(c13WaitCertificateVerify)
		return nil
	case t == protocol.HandshakeCertificateVerify && cs.state == c13WaitCertificateVerify:
		if err := cl.peerCertificateVerify(m, serverVerifyContext); err != nil {
			return err
		}
		cl.setState(c13WaitFinished)
		return nil
	case t == protocol.HandshakeFinished && cs.state == c13WaitFinished:
		return cl.handleServerFinished(st, m)
	}
	return cl.unexpected(m)
}

// epochOf is the epoch a server's handshake message comes in.
func (cl *client13) epochOf(t protocol.HandshakeType) uint16 {
	if t == protocol.HandshakeServerHello || t == protocol.HandshakeHelloVerifyRequest {
		return 0
	}
	return epochHandshake
}

// fallback hands the association to the DTLS 1.2 client that prepared
// our ClientHello: the server answered in 1.2. That client checks the
// downgrade sentinel (we offered 1.3).
func (cl *client13) fallback(st *step, m *handshake.Message) error {
	c := cl.c
	cl12 := cl.cl12
	if cl12 == nil {
		c.logf(LogWarn, "the server answered in DTLS 1.2, which we do not offer")
		return protocol.Fatal(protocol.AlertProtocolVersion)
	}
	c.logf(LogInfo, "the server chose DTLS 1.2")
	reasm := cl.reasm
	cl.reasm = nil
	cl.cl12 = nil
	cl.stop()
	c.hs = cl12
	cl12.takeOver(st, m, reasm)
	return nil
}

// dropTwelve: the server speaks 1.3, so the 1.2 client we prepared is not
// needed; the handshake counts as ours from now on.
func (cl *client13) dropTwelve() {
	if cl12 := cl.cl12; cl12 != nil {
		cl.cl12 = nil
		cl12.stop()
		cl.count()
	}
}

// serverHelloCommon checks what a ServerHello and a HelloRetryRequest must
// both hold and returns the suite.
func (cl *client13) serverHelloCommon(sh *handshake13.ServerHello) (*suite.Suite, error) {
	cs := cl.cs
	if sh.Version != protocol.VersionDTLS12 || sh.Compression != protocol.CompressionNull ||
		len(sh.SessionID) != len(cs.hello.SessionID) {
		return nil, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	s := suite.Lookup13(protocol.CipherSuite(sh.CipherSuite))
	if s == nil || !slices.Contains(cs.offered, s) || cs.hrr && sh.CipherSuite != cs.hrrSuite {
		cl.c.logf(LogWarn, "the server chose a suite we did not offer: %v", protocol.CipherSuite(sh.CipherSuite))
		return nil, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	return s, nil
}

func (cl *client13) handleServerHello(st *step, m *handshake.Message) error {
	c, cs := cl.c, cl.cs
	sh, ok := handshake13.ParseServerHello(m.Body)
	if !ok {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	sv, hasSV := handshake13.Find(sh.Extensions, protocol.ExtSupportedVersions)
	if !hasSV && !sh.IsHelloRetryRequest() {
		return cl.fallback(st, m)
	}
	if v, ok := handshake13.ParseSupportedVersionsSH(sv); !ok || v != protocol.VersionDTLS13 {
		c.logf(LogWarn, "the server selected version 0x%04x in supported_versions", v)
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	if sh.IsHelloRetryRequest() {
		return cl.handleHelloRetryRequest(st, m, &sh)
	}
	s, err := cl.serverHelloCommon(&sh)
	if err != nil {
		return err
	}
	var pskChosen, hasShare bool
	var share handshake13.KeyShare
	var cid []byte
	for _, x := range sh.Extensions {
		switch x.Type {
		case protocol.ExtSupportedVersions:
		case protocol.ExtKeyShare:
			if share, ok = handshake13.ParseKeyShareSH(x.Data); !ok {
				return protocol.Fatal(protocol.AlertDecodeError)
			}
			hasShare = true
		case protocol.ExtPreSharedKey:
			i, ok := handshake13.ParsePreSharedKeySH(x.Data)
			if !ok {
				return protocol.Fatal(protocol.AlertDecodeError)
			}
			if cs.pskKey == nil || i != 0 {
				return protocol.Fatal(protocol.AlertIllegalParameter)
			}
			pskChosen = true
		case protocol.ExtConnectionID:
			if !cs.offeredCID || len(x.Data) < 1 || int(x.Data[0]) != len(x.Data)-1 || len(x.Data)-1 > protocol.MaxCIDLen {
				return protocol.Fatal(protocol.AlertIllegalParameter)
			}
			cid = x.Data[1:]
		default:
			// RFC 8446 §4.2: nothing we did not ask for, and nothing that
			// belongs in EncryptedExtensions.
			return protocol.Fatal(protocol.AlertUnsupportedExtension)
		}
	}
	switch {
	case pskChosen && hasShare && !contains(cs.pskModes, handshake13.PSKModeDHEKE),
		pskChosen && !hasShare && !contains(cs.pskModes, handshake13.PSKModeKE):
		return protocol.Fatal(protocol.AlertIllegalParameter)
	case !pskChosen && !cs.offerRPK:
		c.logf(LogWarn, "the server did not take our PSK, and we offer no other authentication")
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	case !pskChosen && !hasShare:
		return protocol.Fatal(protocol.AlertMissingExtension)
	}
	var shared []byte
	if hasShare {
		if cs.priv == nil || share.Group != cs.group {
			return protocol.Fatal(protocol.AlertIllegalParameter)
		}
		if shared, err = sharedSecret(cs.priv, share.Data); err != nil {
			c.logf(LogWarn, "the server's key share is not a valid point")
			return err
		}
	}
	cl.dropTwelve()
	cl.suite = s
	cs.psk = pskChosen
	var psk []byte
	if pskChosen {
		psk = cs.pskKey
	}
	cs.sched = keyschedule.New(keyschedule.DTLS13, psk)
	cl.hash(m)
	cl.handshakeSecrets(shared)
	if cid != nil {
		c.setCIDs([]byte{}, cid) // we offered an empty one
	}
	cl.switchRead(epochHandshake, cs.serverHS)
	cl.switchWrite(epochHandshake, cs.clientHS)
	cl.mode = authName(pskChosen, hasShare)
	if hasShare {
		cl.group = share.Group
	}
	c.logf(LogDebug, "server chose DTLS 1.3 with %v (%s)", s, cl.mode)
	cl.setState(c13WaitEncryptedExtensions)
	return nil
}

func authName(psk, dhe bool) string {
	switch {
	case psk && dhe:
		return "psk_dhe_ke"
	case psk:
		return "psk_ke"
	}
	return "raw public keys"
}

// handleHelloRetryRequest answers with the second ClientHello (RFC 8446
// §4.1.4): the cookie, a share for the group asked for, the transcript
// restarted with the first ClientHello's hash. A second one is refused.
func (cl *client13) handleHelloRetryRequest(st *step, m *handshake.Message, sh *handshake13.ServerHello) error {
	c, cs := cl.c, cl.cs
	if cs.hrr {
		c.logf(LogWarn, "a second HelloRetryRequest")
		return protocol.Fatal(protocol.AlertUnexpectedMessage)
	}
	s, err := cl.serverHelloCommon(sh)
	if err != nil {
		return err
	}
	var cookie []byte
	var group uint16
	for _, x := range sh.Extensions {
		var ok bool
		switch x.Type {
		case protocol.ExtSupportedVersions:
			ok = true
		case protocol.ExtCookie:
			cookie, ok = handshake13.ParseCookie(x.Data)
		case protocol.ExtKeyShare:
			group, ok = handshake13.ParseKeyShareHRR(x.Data)
			if ok && (!contains(cs.groups, group) || group == cs.group) {
				return protocol.Fatal(protocol.AlertIllegalParameter)
			}
		default:
			return protocol.Fatal(protocol.AlertUnsupportedExtension)
		}
		if !ok {
			return protocol.Fatal(protocol.AlertDecodeError)
		}
	}
	if cookie == nil && group == 0 {
		// It would change nothing (RFC 8446 §4.1.4).
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	cl.dropTwelve()
	cs.hrr, cs.hrrSuite = true, uint16(s.ID)
	if group != 0 {
		k, err := newKeyShare(c.e.cfg.Rand, group)
		if err != nil {
			return err
		}
		cs.group, cs.priv = group, k
	}
	ch1 := sha256.Sum256(tlsMessage(protocol.HandshakeClientHello, cs.hello1))
	cs.prefix = append(handshake13.MessageHash(ch1[:]), tlsMessage(protocol.HandshakeServerHello, m.Body)...)
	cs.transcript = newTranscript13()
	cs.transcript.h.Write(cs.prefix)
	cl.setExtra(append([]byte(nil), cookie...))
	body := cl.marshalHello()
	c.logf(LogDebug, "HelloRetryRequest: sending ClientHello again (group %d, cookie of %d bytes)", group, len(cookie))
	out := cl.newMsg(0, protocol.HandshakeClientHello, body)
	cl.flightSent()
	_, err = c.sendFlight13(st, []outMsg{out}, false)
	return err
}

// handleEncryptedExtensions takes what the server agreed to beyond the
// ServerHello: the certificate types of raw public keys (RFC 7250 §4), the
// record size limit (RFC 8449). Anything we did not offer, early_data
// among it, is unsupported_extension (RFC 8446 §4.2).
func (cl *client13) handleEncryptedExtensions(m *handshake.Message) error {
	c, cs := cl.c, cl.cs
	exts, ok := handshake13.ParseEncryptedExtensions(m.Body)
	if !ok {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	serverRPK := false
	for _, x := range exts {
		switch x.Type {
		case protocol.ExtServerCertificateType, protocol.ExtClientCertificateType:
			if !cs.offerRPK {
				return protocol.Fatal(protocol.AlertUnsupportedExtension)
			}
			if len(x.Data) != 1 || x.Data[0] != protocol.CertTypeRawPublicKey {
				return protocol.Fatal(protocol.AlertUnsupportedCertificate)
			}
			if x.Type == protocol.ExtServerCertificateType {
				serverRPK = true
			} else {
				cs.clientTypeRPK = true
			}
		case protocol.ExtRecordSizeLimit:
			if !cs.offeredRSL || len(x.Data) != 2 {
				return protocol.Fatal(protocol.AlertUnsupportedExtension)
			}
			lim := uint16(x.Data[0])<<8 | uint16(x.Data[1])
			if lim < MinRecordSizeLimit {
				return protocol.Fatal(protocol.AlertIllegalParameter)
			}
			c.rl.Out.SetLimit(lim)
			c.rl.In.SetLimit(uint16(min(c.e.cfg.RecordSizeLimit, protocol.MaxPlaintext+1)))
		case protocol.ExtSupportedGroups:
			// The server's preference, for a later handshake (RFC 8446
			// §4.2.7): nothing to do.
		default:
			c.logf(LogWarn, "the server's EncryptedExtensions hold extension %d, which we did not offer", x.Type)
			return protocol.Fatal(protocol.AlertUnsupportedExtension)
		}
	}
	cl.hash(m)
	if cs.psk {
		cl.setState(c13WaitFinished)
		return nil
	}
	if !serverRPK {
		// Without it the server's certificate is X.509 (RFC 7250 §4).
		c.logf(LogWarn, "the server does not use raw public keys")
		return protocol.Fatal(protocol.AlertUnsupportedCertificate)
	}
	cl.setState(c13WaitCertificateRequest)
	return nil
}

func (cl *client13) handleCertificateRequest(m *handshake.Message) error {
	cs := cl.cs
	cr, ok := handshake13.ParseCertificateRequest(m.Body)
	if !ok {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	if len(cr.Context) != 0 {
		return protocol.Fatal(protocol.AlertIllegalParameter)
	}
	algs, _ := handshake13.Find(cr.Extensions, protocol.ExtSignatureAlgorithms)
	var list []uint16
	if !readGroups(algs, &list) {
		return protocol.Fatal(protocol.AlertDecodeError)
	}
	cs.certRequested = true
	cs.canSendCert = contains(list, protocol.SigSchemeECDSASHA256) && cs.clientTypeRPK
	cl.hash(m)
	cl.setState(c13WaitCertificate)
	return nil
}

// handleServerFinished checks the server's Finished and answers with our
// last flight, retransmitted until the server acknowledges it; the
// handshake is complete on our side.
func (cl *client13) handleServerFinished(st *step, m *handshake.Message) error {
	c, cs := cl.c, cl.cs
	if err := cl.checkFinished(m, cs.serverHS); err != nil {
		return err
	}
	cl.applicationSecrets()
	var msgs []outMsg
	if cs.certRequested {
		withKey := cs.canSendCert && c.e.h.Capabilities(c).ECDSAKey
		certs, err := cl.certificateMsgs(clientVerifyContext, withKey)
		if err != nil {
			return err
		}
		msgs = certs
	}
	msgs = append(msgs, cl.finishedMsg(cs.clientHS))
	cl.flightSent()
	if _, err := c.sendFlight13(st, msgs, true); err != nil && c.removed {
		return nil
	}
	clientAP, serverAP := cs.clientAP, cs.serverAP
	cl.switchWrite(epochApplication, clientAP)
	cl.switchRead(epochApplication, serverAP)
	clear(cs.pskKey)
	cl.cs = nil
	cl.complete(st, serverAP, clientAP)
	return nil
}
