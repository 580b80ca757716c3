// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/hmac"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// The DTLS 1.3 server's stateless answer to a ClientHello (RFC 9147 §5.1,
// RFC 8446 §4.2.2): a HelloRetryRequest whose cookie holds everything the
// server needs to go on when the client sends its ClientHello again, so
// that no state exists before the client proved its address, as with 1.2's
// HelloVerifyRequest.
//
// The cookie is version | suite | group | time | Hash(ClientHello1) | MAC,
// the MAC an HMAC-SHA256 (with the rotating secret of 1.2's cookies) over
// the client's address, the fields before it and a digest of what the
// second ClientHello must repeat (helloDigest): a second ClientHello that
// changed what it must not, or a forged or altered cookie, does not verify.

const (
	cookie13Version = 13
	cookie13MACLen  = 16
	cookie13Len     = 1 + 2 + 2 + 4 + sha256.Size + cookie13MACLen
)

// stateless13 answers a 1.3 ClientHello that arrived without association:
// a HelloRetryRequest if it has no cookie, else, with a valid one, the
// association.
func (e *Endpoint) stateless13(st *step, addr []byte, old *Conn, h *record.Header, hh handshake.Header, body []byte, ch *handshake13.ClientHello) {
	hello, err := readHello13(ch)
	if err != nil {
		e.statelessAlert(st, addr, h.Seq, err)
		return
	}
	if hello.cookie == nil {
		e.helloRetry(st, addr, h, hh, body, ch, &hello)
		return
	}
	r, ok := e.cookie.verify13(e, addr, ch, body, hello.cookie, st.now)
	if !ok {
		// RFC 9147 §5.1: a cookie we did not make (or a ClientHello that
		// changed since it was made).
		e.logf(LogInfo, "ClientHello with an invalid cookie")
		e.statelessAlert(st, addr, h.Seq, protocol.Fatal(protocol.AlertIllegalParameter))
		return
	}
	r.ch, r.hello, r.hh, r.body = *ch, hello, hh, body
	if !e.admit(st, old) {
		return
	}
	c, sv := e.newServer13(addr)
	e.halfOpen = append(e.halfOpen, c)
	c.rl.In.AcceptUpTo(h.Seq)
	c.rl.Out.SetSeq(h.Seq)
	sv.start(st, &r)
}

// helloRetry sends the HelloRetryRequest: the suite we chose, the group we
// want a share for if the client sent none we take, and the cookie.
func (e *Endpoint) helloRetry(st *step, addr []byte, h *record.Header, hh handshake.Header, body []byte, ch *handshake13.ClientHello, hello *hello13) {
	params := DefaultUserParameters()
	e.h.UserParameters(nil, &params)
	caps := e.h.Capabilities(nil)
	choice, err := negotiate13(hello, offer13{policy: policyFor13(&params, caps, RoleServer), caps: caps, groups: e.cfg.Groups})
	if err != nil {
		e.statelessAlert(st, addr, h.Seq, err)
		return
	}
	var group uint16
	if choice.group != 0 && choice.share == nil {
		group = choice.group
	}
	cookie := e.cookie.make13(e, addr, ch, body, uint16(choice.suite.ID), group, st.now)
	hrr := hrrBody(uint16(choice.suite.ID), group, cookie)
	msg := handshake.Header{Type: protocol.HandshakeServerHello, Length: uint32(len(hrr)),
		MessageSeq: hh.MessageSeq, FragmentLength: uint32(len(hrr))}
	e.logMessage("sending", &msg, 0)
	e.logf(LogDebug, "HelloRetryRequest (%v, group %d)", choice.suite, group)
	e.sendStateless(st, addr, h.Seq, protocol.ContentHandshake, protocol.VersionDTLS12, append(msg.Append(nil), hrr...))
}

// hrrBody is our HelloRetryRequest: a function of the suite, the group
// and the cookie only, so that the server can rebuild it for the
// transcript when the cookie comes back.
func hrrBody(suite, group uint16, cookie []byte) []byte {
	sh := handshake13.ServerHello{Version: protocol.VersionDTLS12, Random: handshake13.HelloRetryRequestRandom[:],
		CipherSuite: suite, Compression: protocol.CompressionNull}
	sh.Extensions = []handshake13.Extension{
		{Type: protocol.ExtSupportedVersions, Data: []byte{0xfe, 0xfc}}, // protocol.VersionDTLS13
		{Type: protocol.ExtCookie, Data: handshake13.AppendCookie(nil, cookie)},
	}
	if group != 0 {
		sh.Extensions = append(sh.Extensions, handshake13.Extension{Type: protocol.ExtKeyShare, Data: []byte{byte(group >> 8), byte(group)}})
	}
	return handshake13.AppendServerHello(nil, &sh)
}

// statelessAlert answers a ClientHello without association with the alert
// err says (RFC 9147 §5.1: the handshake ends there).
func (e *Endpoint) statelessAlert(st *step, addr []byte, seq uint64, err error) {
	var r refusal
	a := protocol.Fatal(protocol.AlertHandshakeFailure)
	switch {
	case asRefusal(err, &r):
		if r.why != "" {
			e.logf(LogWarn, "%s", r.why)
		}
		a = protocol.Fatal(r.alert)
	default:
		a = asAlert(err, protocol.AlertHandshakeFailure)
	}
	e.logf(LogDebug, "answering the ClientHello with %v", a)
	e.sendStateless(st, addr, seq, protocol.ContentAlert, protocol.VersionDTLS12, a.Marshal(nil))
}

// cookieTime is the cookie's clock: milliseconds of the Endpoint's time,
// which wraps after 49 days (the comparison allows for it).
func cookieTime(now time.Duration) uint32 { return uint32(now / time.Millisecond) }

func (j *cookieJar) mac13(secret *[32]byte, addr, fields []byte, digest [sha256.Size]byte, out []byte) []byte {
	m := hmac.New(sha256.New, secret[:])
	var n [2]byte
	binary.BigEndian.PutUint16(n[:], uint16(len(addr)))
	m.Write([]byte("dtls13 cookie"))
	m.Write(n[:])
	m.Write(addr)
	m.Write(fields)
	m.Write(digest[:])
	return m.Sum(out[:0])[:cookie13MACLen]
}

// make13 makes the cookie of a HelloRetryRequest to ch (whose body is
// body) choosing suite and asking for group (0: none).
func (j *cookieJar) make13(e *Endpoint, addr []byte, ch *handshake13.ClientHello, body []byte, suite, group uint16, now time.Duration) []byte {
	j.refresh(e, now)
	c := make([]byte, 0, cookie13Len+sha256.Size)
	c = append(c, cookie13Version, byte(suite>>8), byte(suite), byte(group>>8), byte(group))
	c = binary.BigEndian.AppendUint32(c, cookieTime(now))
	h := sha256.Sum256(tlsMessage(protocol.HandshakeClientHello, body))
	c = append(c, h[:]...)
	return append(c, j.mac13(&j.cur, addr, c, helloDigest(ch, group != 0), c[len(c):])...)
}

// verify13 checks the cookie of a second ClientHello and returns what it
// holds; false if it is not one of ours for this address and this
// ClientHello, or older than two cookie rotations.
func (j *cookieJar) verify13(e *Endpoint, addr []byte, ch *handshake13.ClientHello, body, cookie []byte, now time.Duration) (retry13, bool) {
	j.refresh(e, now)
	var r retry13
	if len(cookie) != cookie13Len || cookie[0] != cookie13Version {
		return r, false
	}
	fields := cookie[:cookie13Len-cookie13MACLen]
	group := binary.BigEndian.Uint16(cookie[3:])
	digest := helloDigest(ch, group != 0)
	var tmp [sha256.Size]byte
	ok := subtle.ConstantTimeCompare(j.mac13(&j.cur, addr, fields, digest, tmp[:0]), cookie[len(fields):]) == 1 ||
		j.hasPrev && subtle.ConstantTimeCompare(j.mac13(&j.prev, addr, fields, digest, tmp[:0]), cookie[len(fields):]) == 1
	if !ok {
		return r, false
	}
	age := cookieTime(now) - binary.BigEndian.Uint32(cookie[5:])
	if time.Duration(age)*time.Millisecond > 2*e.cfg.CookieRotation {
		return r, false
	}
	r.suite = binary.BigEndian.Uint16(cookie[1:])
	r.group = group
	r.ch1Hash = append([]byte(nil), cookie[9:9+sha256.Size]...)
	r.hrr = hrrBody(r.suite, group, cookie)
	return r, true
}
