// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"github.com/tinydtls-go/tinydtls/core/textf"
	"strings"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// Debug output follows upstream tinydtls's, so that people who debug
// interoperability (and the tools they feed logs into) find the same
// shapes: record and key dumps at LogDebug in upstream's two hexdump
// layouts, one line per handshake message sent and received, per epoch
// switch and per retransmission. Nothing is formatted unless the level is
// enabled, so the record path costs nothing when debugging is off.

// dumpLineMax is the longest one-line dump upstream prints whole (its log
// buffer, DTLS_DEBUG_BUF_SIZE, is 128 bytes with newline and NUL); a longer
// one is cut after dumpLineCut characters and marked " ...", as upstream's
// is.
const (
	dumpLineMax = 125
	dumpLineCut = 122
)

func (e *Endpoint) debugOn() bool { return e.h.LogEnabled(LogDebug) }
func (c *Conn) debugOn() bool     { return c.e.debugOn() }

func (c *Conn) dump(name string, data []byte)     { c.e.dump(name, data) }
func (c *Conn) dumpLine(name string, data []byte) { c.e.dumpLine(name, data) }
func (c *Conn) logMessage(dir string, hh *handshake.Header, epoch uint16) {
	c.e.logMessage(dir, hh, epoch)
}

// dump logs data as upstream's extended hexdump: a line "name: (N bytes):"
// then 16 bytes per line, "00000010 61 ED FB ...", with a gap after the
// eighth.
func (e *Endpoint) dump(name string, data []byte) {
	if !e.debugOn() {
		return
	}
	e.h.Log(LogDebug, textf.Sprintf("%s: (%d bytes):", name, len(data)))
	var b []byte
	for off := 0; off < len(data); off += 16 {
		b = textf.Appendf(b[:0], "%08X ", off)
		for i := off; i < off+16 && i < len(data); i++ {
			b = textf.Appendf(b, "%02X ", data[i])
			if i-off == 7 {
				b = append(b, ' ')
			}
		}
		e.h.Log(LogDebug, string(b))
	}
}

// dumpLine logs data on one line, as upstream's short hexdump:
// "name: (N bytes): 0102...".
func (e *Endpoint) dumpLine(name string, data []byte) {
	if e.debugOn() {
		e.h.Log(LogDebug, hexLine(name, data))
	}
}

func hexLine(name string, data []byte) string {
	s := textf.Sprintf("%s: (%d bytes): %X", name, len(data), data)
	if len(s) > dumpLineMax {
		s = s[:dumpLineCut] + " ..."
	}
	return s
}

// logRecordReceived reports one received record, and its content once it
// is authenticated (data nil: before opening).
func (e *Endpoint) logRecordReceived(h *record.Header, t protocol.ContentType, data []byte) {
	if !e.debugOn() {
		return
	}
	e.h.Log(LogDebug, textf.Sprintf("got '%v' epoch %d sequence %d (%d bytes)", t, h.Epoch, h.Seq, h.WireLen()+h.Length))
	e.dump("receive header", record.AppendWireHeader(nil, h))
	e.dump("receive unencrypted", data)
}

// logMessage is the line per handshake message (or fragment) sent or
// received.
func (e *Endpoint) logMessage(dir string, hh *handshake.Header, epoch uint16) {
	if !e.debugOn() {
		return
	}
	frag := ""
	if hh.FragmentOffset != 0 || hh.FragmentLength != hh.Length {
		frag = textf.Sprintf(", fragment %d..%d", hh.FragmentOffset, hh.FragmentOffset+hh.FragmentLength)
	}
	e.h.Log(LogDebug, textf.Sprintf("%s %v (%d bytes, message_seq %d, epoch %d%s)", dir, hh.Type, hh.Length, hh.MessageSeq, epoch, frag))
}

// flightName says which flight of RFC 6347 §4.2.4's exchange msgs are, for
// the retransmission log lines.
func flightName(msgs []outMsg, cookie bool) string {
	var types []string
	for i := range msgs {
		if msgs[i].ccs {
			types = append(types, protocol.ContentChangeCipherSpec.String())
		} else {
			types = append(types, msgs[i].typ.String())
		}
	}
	list := strings.Join(types, ", ")
	if len(msgs) == 0 {
		return "empty flight"
	}
	n := 0
	switch first := msgs[0]; {
	case first.ccs:
		n = 6
	case first.typ == protocol.HandshakeClientHello && cookie:
		n = 3
	case first.typ == protocol.HandshakeClientHello:
		n = 1
	case first.typ == protocol.HandshakeServerHello:
		n = 4
	case first.typ == protocol.HandshakeHelloRequest:
		return "HelloRequest"
	default:
		n = 5
	}
	return textf.Sprintf("flight %d (%s)", n, list)
}
