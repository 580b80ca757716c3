// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/hmac"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// The server's stateless answer to a ClientHello (RFC 6347 §4.2.1): a
// HelloVerifyRequest with a cookie, and the association only once a
// ClientHello comes back with a valid one.

// statelessClientHello answers an epoch-0 ClientHello without keeping any
// state (RFC 6347 §4.2.1): a HelloVerifyRequest unless the cookie is valid,
// in which case the association is created. old is an existing association
// at the same address (a client restart, RFC 6347 §4.2.8), replaced only
// once the new client proved it owns the address.
func (e *Endpoint) statelessClientHello(st *step, addr []byte, old *Conn, h *record.Header, payload []byte, f *fragment) {
	hh, frag := f.hh, f.body
	if !f.ok || hh.Type != protocol.HandshakeClientHello {
		return
	}
	if hh.FragmentOffset != 0 || hh.FragmentLength != hh.Length {
		// Reassembling would need per-address memory before the client
		// proved reachability; like OpenSSL's listen, ignore it.
		e.logf(LogDebug, "ignoring fragmented initial ClientHello")
		return
	}
	if h.Version != protocol.VersionDTLS10 && h.Version != protocol.VersionDTLS12 {
		return
	}
	e.logRecordReceived(h, h.Type, payload)
	e.logMessage("received", &hh, 0)
	// The version first (chooseVersion): a ClientHello with
	// supported_versions may choose DTLS 1.3, which goes its own way; one
	// without takes the 1.2 path as it was.
	lo, hi := e.cfg.versions(RoleServer)
	if _, offers, _ := handshake13.ClientHelloExtension(frag, protocol.ExtSupportedVersions); offers {
		ch13, ok := handshake13.ParseClientHello(frag)
		if !ok {
			e.logf(LogInfo, "dropping malformed ClientHello")
			return
		}
		v, err := chooseVersion(&ch13, lo, hi)
		if err != nil {
			e.logf(LogWarn, "no protocol version in common with the client")
			e.statelessAlert(st, addr, h.Seq, err)
			return
		}
		if v == protocol.VersionDTLS13 {
			e.stateless13(st, addr, old, h, hh, frag, &ch13)
			return
		}
	}
	var ch handshake.ClientHello
	if !ch.Unmarshal(frag) {
		e.logf(LogInfo, "dropping malformed ClientHello")
		return
	}
	if ch.Version > protocol.VersionDTLS12 || lo > 12 {
		// Versions count down: anything numerically larger is older than 1.2.
		e.logf(LogWarn, "ClientHello offers only version 0x%04x", ch.Version)
		e.sendStateless(st, addr, h.Seq, protocol.ContentAlert, protocol.VersionDTLS12,
			protocol.Fatal(protocol.AlertProtocolVersion).Marshal(nil))
		return
	}
	if !e.cookie.verify(e, addr, &ch, st.now) {
		hvr := handshake.HelloVerifyRequest{Version: protocol.VersionDTLS10, Cookie: e.cookie.make(e, addr, &ch, st.now)}
		body := hvr.Marshal(make([]byte, 0, 64))
		msg := handshake.Header{Type: protocol.HandshakeHelloVerifyRequest, Length: uint32(len(body)),
			MessageSeq: hh.MessageSeq, FragmentLength: uint32(len(body))}.Append(make([]byte, 0, 80))
		msg = append(msg, body...)
		e.logMessage("sending", &handshake.Header{Type: protocol.HandshakeHelloVerifyRequest, Length: uint32(len(body)),
			MessageSeq: hh.MessageSeq, FragmentLength: uint32(len(body))}, 0)
		e.sendStateless(st, addr, h.Seq, protocol.ContentHandshake, protocol.VersionDTLS10, msg)
		return
	}
	if !e.admit(st, old) {
		return
	}
	c, sv := e.newServer(addr)
	e.halfOpen = append(e.halfOpen, c)
	c.rl.In.AcceptUpTo(h.Seq)
	// The HelloVerifyRequest took the first ClientHello's record sequence
	// number; ours continue from the second's so the client never sees one
	// twice.
	c.rl.Out.SetSeq(h.Seq)
	sv.start(st, &ch, hh, frag)
}

// sendStateless sends one epoch-0 record to an address without association,
// reusing the sequence number of the record it answers so that nothing has
// to be remembered (RFC 6347 §4.2.1). A HelloVerifyRequest's record says
// DTLS 1.0, the rest DTLS 1.2 (RFC 9147 §4 for 1.3's HelloRetryRequest).
func (e *Endpoint) sendStateless(st *step, addr []byte, seq uint64, t protocol.ContentType, version uint16, payload []byte) {
	rh := record.Header{Type: t, Version: version, Epoch: 0, Seq: seq, Length: len(payload)}
	b := record.AppendHeader(st.buf[:0], &rh)
	if e.debugOn() {
		e.dump("send header", b)
		e.dump("send unencrypted", payload)
	}
	b = append(b, payload...)
	if n := e.h.Send(nil, addr, b); n < 0 {
		e.logf(LogWarn, "the write callback failed (%d) for a %d-byte datagram", n, len(b))
	}
}

// cookieLen is the size of our HelloVerifyRequest cookies, as upstream.
const cookieLen = 16

// cookieJar makes and checks stateless cookies: HMAC-SHA256 over the
// client's transport address and the ClientHello fields that a client must
// repeat unchanged (version, random, session id, suites, compression), keyed
// with a random secret that is replaced every Config.CookieRotation. The
// previous secret stays valid for one more period so that a client caught by
// the rotation between its two ClientHellos is not rejected.
type cookieJar struct {
	cur, prev [32]byte
	hasPrev   bool
	rotated   time.Duration
	init      bool
	scratch   []byte
}

func (j *cookieJar) refresh(e *Endpoint, now time.Duration) {
	if j.init && now-j.rotated < e.cfg.CookieRotation {
		return
	}
	if j.init {
		j.prev, j.hasPrev = j.cur, true
	}
	if _, err := io.ReadFull(e.cfg.Rand, j.cur[:]); err != nil {
		e.logf(LogCrit, "cannot read randomness for the cookie secret: %v", err)
	}
	j.rotated, j.init = now, true
}

func (j *cookieJar) compute(secret *[32]byte, addr []byte, ch *handshake.ClientHello, out []byte) []byte {
	j.scratch = ch.CookieInput(append(j.scratch[:0], addr...))
	m := hmac.New(sha256.New, secret[:])
	m.Write(j.scratch)
	return m.Sum(out[:0])[:cookieLen]
}

func (j *cookieJar) make(e *Endpoint, addr []byte, ch *handshake.ClientHello, now time.Duration) []byte {
	j.refresh(e, now)
	return j.compute(&j.cur, addr, ch, make([]byte, 0, sha256.Size))
}

func (j *cookieJar) verify(e *Endpoint, addr []byte, ch *handshake.ClientHello, now time.Duration) bool {
	j.refresh(e, now)
	if len(ch.Cookie) != cookieLen {
		return false
	}
	var tmp [sha256.Size]byte
	if subtle.ConstantTimeCompare(j.compute(&j.cur, addr, ch, tmp[:0]), ch.Cookie) == 1 {
		return true
	}
	return j.hasPrev && subtle.ConstantTimeCompare(j.compute(&j.prev, addr, ch, tmp[:0]), ch.Cookie) == 1
}

// admit makes room for the association of a client that proved its
// address (either version): the association it restarted (old, if any)
// ends, and at the limits the oldest half-open handshake goes. It reports
// whether there is room.
func (e *Endpoint) admit(st *step, old *Conn) bool {
	if old != nil {
		e.logf(LogInfo, "client at a known address restarted; replacing its association")
		old.end(st, replaced)
	}
	if e.handshakes >= e.cfg.MaxHandshakes || len(e.conns) >= e.cfg.MaxConns {
		e.evictHalfOpen(st)
	}
	if len(e.conns) >= e.cfg.MaxConns || e.handshakes >= e.cfg.MaxHandshakes {
		e.logf(LogWarn, "association limit reached (%d associations, %d handshakes); dropping ClientHello",
			len(e.conns), e.handshakes)
		return false
	}
	return true
}
