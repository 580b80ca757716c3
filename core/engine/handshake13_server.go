// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"io"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/keyschedule"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// The server side of the DTLS 1.3 handshake:
//
//	ClientHello                -> HelloRetryRequest with a cookie (stateless13.go)
//	ClientHello with the cookie -> the association, and
//	ServerHello, {EncryptedExtensions, [CertificateRequest], [Certificate, CertificateVerify], Finished}
//	          <- {[Certificate, [CertificateVerify]], Finished}
//	ACK

// server13 is the DTLS 1.3 handshaker of a server association.
type server13 struct {
	base13
	// lastHello identifies the ClientHello of the completed handshake,
	// to tell its copies from a restarted client (as server12's).
	lastHello uint64
	ss        *serverState13
}

// serverState13 is a server handshake in progress.
type serverState13 struct {
	hs13
	clientAuth bool
}

func (sv *server13) role() Role { return RoleServer }

func (sv *server13) stop() {
	sv.stopHandshake()
	sv.ss = nil
}

func (sv *server13) handshakeRecord(st *step, epoch uint16, seq uint64, data []byte, first fragment) {
	sv.base13.handshakeRecord(sv, st, epoch, seq, data, first)
}

func (sv *server13) restartedBy(random []byte) bool {
	if ss := sv.ss; ss != nil {
		return !bytes.Equal(random, ss.clientRandom[:])
	}
	return helloID(random) != sv.lastHello
}

// halfOpen: the client proved its address and got our flight, and has not
// finished.
func (sv *server13) halfOpen() bool {
	c := sv.c
	return !c.removed && !c.established && sv.ss != nil
}

// retry13 is what a second ClientHello and its cookie hold for the
// association they create: the ClientHello, the first one's hash and what
// our HelloRetryRequest said.
type retry13 struct {
	ch      handshake13.ClientHello
	hello   hello13
	hh      handshake.Header
	body    []byte
	ch1Hash []byte
	suite   uint16
	group   uint16 // the group the retry asked a share for, 0 if none
	hrr     []byte // the HelloRetryRequest's body
}

// start runs the handshake of a new association from the second
// ClientHello, whose cookie the stateless path verified.
func (sv *server13) start(st *step, r *retry13) {
	c := sv.c
	ss := new(serverState13)
	sv.ss = ss
	sv.begin(&ss.hs13, true)
	// Our message_seq continues from the client's, as in 1.2.
	sv.reasm.Reset(r.hh.MessageSeq + 1)
	sv.sendSeq = r.hh.MessageSeq
	copy(ss.clientRandom[:], r.ch.Random)
	c.setState(StateWaitClientHello)
	if err := sv.handleClientHello(st, r); err != nil {
		c.fail(st, asAlert(c.refused(err), protocol.AlertInternalError))
	}
}

// handleClientHello negotiates (negotiate13, as the stateless path did for
// the retry, and must again come to its suite and group), looks up the
// client's PSK and checks its binder, and answers with our flight.
func (sv *server13) handleClientHello(st *step, r *retry13) error {
	c, ss := sv.c, sv.ss
	ss.params = DefaultUserParameters()
	c.e.h.UserParameters(c, &ss.params)
	caps := c.e.h.Capabilities(c)
	if c.removed {
		return protocol.Fatal(protocol.AlertInternalError)
	}
	ss.policy = policyFor13(&ss.params, caps, RoleServer)
	choice, err := negotiate13(&r.hello, offer13{policy: ss.policy, caps: caps, groups: c.e.cfg.Groups})
	if err != nil {
		return err
	}
	if uint16(choice.suite.ID) != r.suite || r.group != 0 && (choice.group != r.group || choice.share == nil) {
		return refuse(protocol.AlertIllegalParameter, "the second ClientHello does not do what the HelloRetryRequest asked")
	}
	prefix := append(handshake13.MessageHash(r.ch1Hash), tlsMessage(protocol.HandshakeServerHello, r.hrr)...)
	pskIndex, key, err := sv.findPSK(r, &choice, prefix)
	if err != nil {
		return err
	}
	ss.psk = key != nil
	if !ss.psk && !choice.rpk {
		return refuse(protocol.AlertHandshakeFailure, "no key for any PSK identity the client offered")
	}
	dhe := !ss.psk || choice.pskDHE
	if dhe && choice.share == nil {
		return refuse(protocol.AlertHandshakeFailure, "no key share for the key exchange")
	}
	if !ss.psk {
		ss.clientAuth = choice.clientAuth
	}
	ss.transcript.h.Write(prefix)
	ss.transcript.add(protocol.HandshakeClientHello, r.body)
	sv.suite = choice.suite

	var serverRandom [protocol.RandomLen]byte
	if _, err := io.ReadFull(c.e.cfg.Rand, serverRandom[:]); err != nil {
		return protocol.Fatal(protocol.AlertInternalError)
	}
	sh := handshake13.ServerHello{Version: protocol.VersionDTLS12, Random: serverRandom[:],
		CipherSuite: uint16(choice.suite.ID), Compression: protocol.CompressionNull}
	sh.Extensions = append(sh.Extensions, handshake13.Extension{Type: protocol.ExtSupportedVersions,
		Data: []byte{0xfe, 0xfc}}) // protocol.VersionDTLS13
	var shared []byte
	if dhe {
		priv, err := newKeyShare(c.e.cfg.Rand, choice.group)
		if err != nil {
			return err
		}
		if shared, err = sharedSecret(priv, choice.share); err != nil {
			c.logf(LogWarn, "the client's key share is not a valid point")
			return err
		}
		sh.Extensions = append(sh.Extensions, handshake13.Extension{Type: protocol.ExtKeyShare,
			Data: handshake13.AppendKeyShareSH(nil, handshake13.KeyShare{Group: choice.group, Data: priv.publicKey()})})
	}
	if ss.psk {
		sh.Extensions = append(sh.Extensions, handshake13.Extension{Type: protocol.ExtPreSharedKey,
			Data: []byte{byte(pskIndex >> 8), byte(pskIndex)}})
	}
	if r.hello.hasCID && ss.params.SupportCID {
		if cid := c.newReadCID(); cid != nil {
			sh.Extensions = append(sh.Extensions, handshake13.Extension{Type: protocol.ExtConnectionID,
				Data: append([]byte{byte(len(cid))}, cid...)})
			c.setCIDs(cid, r.hello.cid)
		}
	}
	ss.sched = keyschedule.New(keyschedule.DTLS13, key)
	clear(key)
	msgs := []outMsg{sv.newMsg(0, protocol.HandshakeServerHello, handshake13.AppendServerHello(nil, &sh))}
	sv.handshakeSecrets(shared)
	sv.switchWrite(epochHandshake, ss.serverHS)
	sv.switchRead(epochHandshake, ss.clientHS)

	var ee []handshake13.Extension
	if !ss.psk {
		if r.hello.serverTypes != nil {
			ee = append(ee, handshake13.Extension{Type: protocol.ExtServerCertificateType, Data: []byte{protocol.CertTypeRawPublicKey}})
		}
		if ss.clientAuth {
			ee = append(ee, handshake13.Extension{Type: protocol.ExtClientCertificateType, Data: []byte{protocol.CertTypeRawPublicKey}})
		}
	}
	if r.hello.recordLimit != 0 {
		// RFC 8449 §4: in 1.3 the limit counts the inner content type.
		ours := c.e.cfg.RecordSizeLimit
		if ours == 0 {
			ours = protocol.MaxPlaintext + 1
		}
		ee = append(ee, handshake13.Extension{Type: protocol.ExtRecordSizeLimit, Data: []byte{byte(ours >> 8), byte(ours)}})
		c.rl.Out.SetLimit(r.hello.recordLimit)
		c.rl.In.SetLimit(uint16(ours))
	}
	msgs = append(msgs, sv.newMsg(epochHandshake, protocol.HandshakeEncryptedExtensions, handshake13.AppendExtensions(nil, ee)))
	if !ss.psk {
		if ss.clientAuth {
			cr := handshake13.CertificateRequest{Extensions: []handshake13.Extension{{Type: protocol.ExtSignatureAlgorithms,
				Data: []byte{0, 2, protocol.HashSHA256, protocol.SignatureECDSA}}}}
			msgs = append(msgs, sv.newMsg(epochHandshake, protocol.HandshakeCertificateRequest, handshake13.AppendCertificateRequest(nil, &cr)))
			ss.certRequested = true
		}
		certs, err := sv.certificateMsgs(serverVerifyContext, true)
		if err != nil {
			return err
		}
		msgs = append(msgs, certs...)
	}
	msgs = append(msgs, sv.finishedMsg(ss.serverHS))
	sv.applicationSecrets()
	if ss.certRequested {
		sv.setState(s13WaitClientCertificate)
	} else {
		sv.setState(s13WaitFinished)
	}
	sv.mode = authName(ss.psk, dhe)
	if dhe {
		sv.group = choice.group
	}
	c.logf(LogDebug, "DTLS 1.3 with %v (%s)", sv.suite, sv.mode)
	sv.flightSent()
	_, err = c.sendFlight13(st, msgs, false)
	return err
}

// findPSK looks the client's PSK identities up with the application, in
// the client's order, and checks the binder of the first it has a key for
// (RFC 8446 §4.2.11): a binder that does not verify ends the handshake
// with decrypt_error. key is nil if no identity is known (or none was
// offered).
func (sv *server13) findPSK(r *retry13, choice *choice13, prefix []byte) (index int, key []byte, err error) {
	c := sv.c
	if !choice.pskOffered {
		return 0, nil, nil
	}
	o := r.hello.psk
	for i, id := range o.Identities {
		if len(id.Identity) > maxIdentityLen {
			continue
		}
		k, err := sv.pskKey(id.Identity)
		if err != nil {
			return 0, nil, err
		}
		if k == nil {
			continue
		}
		d := sha256.New()
		d.Write(prefix)
		n := len(r.body)
		d.Write([]byte{byte(protocol.HandshakeClientHello), byte(n >> 16), byte(n >> 8), byte(n)})
		d.Write(r.body[:n-r.hello.bindersLen])
		want := binder(k, d.Sum(nil))
		if subtle.ConstantTimeCompare(want, o.Binders[i]) != 1 {
			clear(k)
			c.logf(LogWarn, "the binder of PSK identity %q does not verify: %s", id.Identity,
				"the peers probably use different pre-shared keys")
			return 0, nil, protocol.Fatal(protocol.AlertDecryptError)
		}
		return i, k, nil
	}
	c.logf(LogInfo, "no key for any of the %d PSK identities the client offered", len(o.Identities))
	return 0, nil, nil
}

func (sv *server13) handle(st *step, msg handshake.Message) error {
	m := &msg
	ss := sv.ss
	t := m.Header.Type
	if m.Epoch != epochHandshake {
		sv.c.logf(LogWarn, "%v in epoch %d", t, m.Epoch)
		return protocol.Fatal(protocol.AlertUnexpectedMessage)
	}
	switch {
	case t == protocol.HandshakeCertificate && ss.state == s13WaitClientCertificate:
		empty, err := sv.peerCertificate(m)
		if err != nil {
			return err
		}
		if empty {
			// We asked because the application wants to verify the
			// client, as a 1.2 server does.
			sv.c.logf(LogWarn, "client sent no certificate although one was requested")
			return protocol.Fatal(protocol.AlertCertificateRequired)
		}
		sv.setState(s13WaitClientCertificateVerify)
		return nil
	case t == protocol.HandshakeCertificateVerify && ss.state == s13WaitClientCertificateVerify:
		if err := sv.peerCertificateVerify(m, clientVerifyContext); err != nil {
			return err
		}
		sv.setState(s13WaitFinished)
		return nil
	case t == protocol.HandshakeFinished && ss.state == s13WaitFinished:
		return sv.handleClientFinished(st, m)
	}
	return sv.unexpected(m)
}

// handleClientFinished completes the handshake: the application epoch in
// both directions, and the ACK of the client's last flight (RFC 9147 §7),
// which our flight no longer needs.
func (sv *server13) handleClientFinished(st *step, m *handshake.Message) error {
	ss := sv.ss
	if err := sv.checkFinished(m, ss.clientHS); err != nil {
		return err
	}
	clientAP, serverAP := ss.clientAP, ss.serverAP
	sv.switchRead(epochApplication, clientAP)
	sv.switchWrite(epochApplication, serverAP)
	sv.finalACK = append(sv.finalACK[:0], sv.rcvd...)
	sv.ackNow(st)
	sv.lastHello = helloID(ss.clientRandom[:])
	sv.ss = nil
	sv.complete(st, clientAP, serverAP)
	return nil
}
