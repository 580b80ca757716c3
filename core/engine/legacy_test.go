// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/prf"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// legacyPeer is a scripted DTLS 1.2 peer as older stacks are: without the
// extended master secret (RFC 7627) or without secure renegotiation (RFC
// 5746, and it renegotiates anyway). It speaks TLS_PSK_WITH_AES_128_CCM_8
// with upstream's example PSK, in either role, on a lossless link: no
// retransmission, one message per record, no HelloVerifyRequest from its
// server. It stands in the test link where a peer's Endpoint would, and
// reports what our engine's application would hear (events, data) in the
// peer's fields, so that the tests check the same things for it.
type legacyPeer struct {
	p      *peer
	client bool
	ems    bool // it knows RFC 7627
	ri     bool // it knows RFC 5746
	other  []byte

	rl          record.Layer
	transcript  hash.Hash
	sendSeq     uint16
	hello       *handshake.ClientHello
	cr, sr      [32]byte
	useEMS      bool
	master      [48]byte
	keysPending bool
	established bool
	ended       bool
}

// newLegacyPeer adds a scripted peer named name to l; it lacks RFC 7627
// unless ems, RFC 5746 unless ri.
func newLegacyPeer(t testing.TB, l *link, name string, client, ems, ri bool) *peer {
	p := &peer{t: t, name: name, addr: []byte(name)}
	p.legacy = &legacyPeer{p: p, client: client, ems: ems, ri: ri, transcript: sha256.New()}
	p.legacy.rl.Init(nil)
	l.add(p)
	return p
}

func (lp *legacyPeer) now() time.Duration { return lp.p.net.now }

// record seals one record of type t in the current write epoch.
func (lp *legacyPeer) record(b []byte, t protocol.ContentType, content []byte) []byte {
	var d record.Draft
	b, _ = lp.rl.Begin(b, lp.rl.Out.Epoch(), t, &d)
	return lp.rl.Seal(append(b, content...), &d)
}

// message appends a handshake message record, hashed into the transcript
// unless it is a HelloRequest.
func (lp *legacyPeer) message(b []byte, t protocol.HandshakeType, body []byte) []byte {
	msg := handshake.Header{Type: t, Length: uint32(len(body)), MessageSeq: lp.sendSeq,
		FragmentLength: uint32(len(body))}.Append(nil)
	msg = append(msg, body...)
	lp.sendSeq++
	if t != protocol.HandshakeHelloRequest {
		lp.transcript.Write(msg)
	}
	return lp.record(b, protocol.ContentHandshake, msg)
}

func (lp *legacyPeer) send(dg []byte) { lp.p.net.send(lp.p, lp.other, dg) }

func (lp *legacyPeer) event(level protocol.AlertLevel, code uint16) {
	lp.p.events = append(lp.p.events, event{level, code})
}

func (lp *legacyPeer) fail(format string, args ...any) {
	lp.p.t.Fatalf("legacy %s: %s", lp.p.name, fmt.Sprintf(format, args...))
}

// connect sends the client's first ClientHello.
func (lp *legacyPeer) connect(to []byte) {
	lp.other = to
	lp.cr = [32]byte{'l', 'e', 'g', 'a', 'c', 'y'}
	lp.hello = &handshake.ClientHello{Version: protocol.VersionDTLS12, Random: lp.cr,
		CipherSuites:       []uint16{uint16(protocol.TLS_PSK_WITH_AES_128_CCM_8)},
		CompressionMethods: []uint8{protocol.CompressionNull}}
	if lp.ri {
		lp.hello.CipherSuites = append(lp.hello.CipherSuites, uint16(protocol.TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
	}
	lp.hello.Extensions.ExtendedMasterSecret = lp.ems
	lp.sendHello()
}

func (lp *legacyPeer) sendHello() {
	lp.transcript.Reset()
	lp.send(lp.message(nil, protocol.HandshakeClientHello, lp.hello.Marshal(nil)))
}

// renegotiate starts a renegotiation without RFC 5746: a ClientHello (or,
// from a server, a HelloRequest) in the current epoch.
func (lp *legacyPeer) renegotiate() {
	// The first message of each handshake has message_seq 0 (RFC 6347
	// §4.2.2).
	lp.sendSeq = 0
	if lp.client {
		hello := *lp.hello
		hello.Cookie = nil
		lp.send(lp.message(nil, protocol.HandshakeClientHello, hello.Marshal(nil)))
		return
	}
	lp.send(lp.message(nil, protocol.HandshakeHelloRequest, nil))
}

func (lp *legacyPeer) write(data []byte) int {
	lp.send(lp.record(nil, protocol.ContentApplicationData, data))
	return len(data)
}

// receive handles one datagram.
func (lp *legacyPeer) receive(from, dg []byte) {
	lp.other = from
	for len(dg) > 0 && !lp.ended {
		h, payload, rest, ok := record.Parse(dg, record.FixedCIDLen(0))
		if !ok {
			lp.fail("unparsable datagram % x", dg)
		}
		dg = rest
		t, data, _, res := lp.rl.Open(&h, payload)
		if res != record.Opened {
			lp.fail("record %d/%d: %v", h.Epoch, h.Seq, res)
		}
		switch t {
		case protocol.ContentHandshake:
			lp.handshake(data)
		case protocol.ContentChangeCipherSpec:
			lp.rl.In.Activate()
		case protocol.ContentAlert:
			a, _ := protocol.ParseAlert(data)
			lp.event(a.Level, uint16(a.Description))
			if a.Level == protocol.LevelFatal || a.Description == protocol.AlertCloseNotify {
				lp.ended = true
			}
		case protocol.ContentApplicationData:
			lp.p.received = append(lp.p.received, append([]byte(nil), data...))
			if lp.p.echo {
				lp.write(data)
			}
		}
	}
}

func (lp *legacyPeer) handshake(data []byte) {
	hh, body, _, ok := handshake.ParseFragment(data)
	if !ok || hh.FragmentLength != hh.Length {
		lp.fail("handshake fragment % x", data)
	}
	raw := data[:handshake.HeaderLen+len(body)]
	switch hh.Type {
	case protocol.HandshakeHelloVerifyRequest:
		var hvr handshake.HelloVerifyRequest
		hvr.Unmarshal(body)
		lp.hello.Cookie = hvr.Cookie
		lp.sendHello()
	case protocol.HandshakeServerHello:
		lp.transcript.Write(raw)
		var sh handshake.ServerHello
		if !sh.Unmarshal(body) {
			lp.fail("ServerHello")
		}
		lp.sr = sh.Random
		lp.useEMS = lp.ems && sh.Extensions.ExtendedMasterSecret
	case protocol.HandshakeServerKeyExchange:
		lp.transcript.Write(raw)
	case protocol.HandshakeServerHelloDone:
		lp.transcript.Write(raw)
		cke := (&handshake.ClientKeyExchangePSK{Identity: []byte("Client_identity")}).Marshal(nil)
		dg := lp.message(nil, protocol.HandshakeClientKeyExchange, cke)
		lp.deriveKeys()
		dg = lp.finished(dg, "client finished")
		lp.send(dg)
	case protocol.HandshakeClientHello:
		if lp.established {
			return // a renegotiation: not for a legacy server
		}
		lp.transcript.Write(raw)
		var ch handshake.ClientHello
		if !ch.Unmarshal(body) {
			lp.fail("ClientHello")
		}
		lp.cr = ch.Random
		lp.sr = [32]byte{'l', 'e', 'g', 'a', 'c', 'y', 's'}
		lp.useEMS = lp.ems && ch.Extensions.ExtendedMasterSecret
		lp.sendSeq = hh.MessageSeq
		sh := handshake.ServerHello{Version: protocol.VersionDTLS12, Random: lp.sr,
			CipherSuite: uint16(protocol.TLS_PSK_WITH_AES_128_CCM_8), CompressionMethod: protocol.CompressionNull}
		sh.Extensions.ExtendedMasterSecret = lp.useEMS
		if lp.ri && (ch.Extensions.HasRenegotiationInfo ||
			contains(ch.CipherSuites, uint16(protocol.TLS_EMPTY_RENEGOTIATION_INFO_SCSV))) {
			sh.Extensions.HasRenegotiationInfo, sh.Extensions.RenegotiationInfo = true, []byte{}
		}
		dg := lp.message(nil, protocol.HandshakeServerHello, sh.Marshal(nil))
		dg = lp.message(dg, protocol.HandshakeServerHelloDone, nil)
		lp.send(dg)
	case protocol.HandshakeClientKeyExchange:
		lp.transcript.Write(raw)
		lp.deriveKeys()
	case protocol.HandshakeFinished:
		lp.transcript.Write(raw)
		if !lp.client {
			lp.send(lp.finished(nil, "server finished"))
		}
		lp.established = true
		lp.event(protocol.LevelInternal, protocol.EventConnected)
	case protocol.HandshakeHelloRequest:
		// Not for a legacy client that has nothing to renegotiate.
	default:
		lp.fail("unexpected %v", hh.Type)
	}
}

// deriveKeys computes the master secret and the keys of epoch 1.
func (lp *legacyPeer) deriveKeys() {
	pre := prf.PSKPreMasterSecret([]byte("secretPSK"))
	if lp.useEMS {
		lp.master = prf.ExtendedMasterSecret(pre, lp.transcript.Sum(nil))
	} else {
		lp.master = prf.MasterSecret(pre, lp.cr[:], lp.sr[:])
	}
	var kb [suite.KeyBlockLen]byte
	prf.KeyBlock(lp.master[:], lp.sr[:], lp.cr[:], kb[:])
	s := suite.Lookup(protocol.TLS_PSK_WITH_AES_128_CCM_8)
	client, server := record.Keys{Suite: s}, record.Keys{Suite: s}
	k := suite.KeyLen
	copy(client.Key[:], kb[:k])
	copy(server.Key[:], kb[k:2*k])
	copy(client.IV[:], kb[2*k:2*k+suite.FixedIVLen])
	copy(server.IV[:], kb[2*k+suite.FixedIVLen:])
	if lp.client {
		lp.rl.Out.SetNext(client)
		lp.rl.In.SetNext(server)
	} else {
		lp.rl.Out.SetNext(server)
		lp.rl.In.SetNext(client)
	}
}

// finished appends ChangeCipherSpec and Finished.
func (lp *legacyPeer) finished(dg []byte, label string) []byte {
	dg = lp.record(dg, protocol.ContentChangeCipherSpec, []byte{1})
	lp.rl.Out.Activate()
	vd := prf.VerifyData(lp.master[:], label, lp.transcript.Sum(nil))
	return lp.message(dg, protocol.HandshakeFinished, vd[:])
}

// The harness's verbs for a peer that may be scripted.

func (p *peer) connect(other *peer, now time.Duration) {
	if p.legacy != nil {
		p.legacy.connect(other.addr)
		return
	}
	p.ep.Connect(other.addr, now)
}

func (p *peer) renegotiate(other *peer, now time.Duration) error {
	if p.legacy != nil {
		p.legacy.renegotiate()
		return nil
	}
	return p.ep.Renegotiate(other.addr, now)
}

func (p *peer) write(other *peer, data []byte, now time.Duration) (int, error) {
	if p.legacy != nil {
		return p.legacy.write(data), nil
	}
	return p.ep.Write(other.addr, [][]byte{data}, now)
}

// established reports whether p has an established association with
// other.
func (p *peer) established(other *peer) bool {
	if p.legacy != nil {
		return p.legacy.established && !p.legacy.ended
	}
	c := p.conn(other)
	return c != nil && c.Established()
}

// numConns is p's number of associations.
func (p *peer) numConns() int {
	if p.legacy != nil {
		if p.legacy.ended || p.legacy.other == nil {
			return 0
		}
		return 1
	}
	return p.ep.NumConns()
}
