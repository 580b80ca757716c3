// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// What the log says when things go wrong, and what it shows at LogDebug.

func TestWrongPSKIsExplainedOnBothSides(t *testing.T) {
	cl, sv, l := pskPair(t, 800, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	sv.psk["Client_identity"] = []byte("not the client's key")
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl, sv), 10*time.Second)
	for _, p := range []*peer{cl, sv} {
		if !strings.Contains(p.logs.String(), "the peers probably use different pre-shared keys") {
			t.Errorf("%s log does not name the likely cause:\n%s", p.name, p.logs.String())
		}
	}
}

// Upstream tinydtls sends every record in a datagram of its own, so its
// Finished comes after, not with, its ChangeCipherSpec. A wrong key must
// still end the handshake at once on both sides, with the alert reaching the
// peer: upstream's client never retransmits, it would wait forever.
func TestWrongPSKOneRecordPerDatagram(t *testing.T) {
	cl, sv, l := pskPair(t, 805, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	splitDatagrams(l)
	sv.psk["Client_identity"] = []byte("not the client's key")
	cl.ep.Connect(sv.addr, l.now)
	if !l.run(noConns(cl, sv), time.Second) {
		t.Fatalf("wrong PSK: associations left after 1 s (client %d, server %d)", cl.ep.NumConns(), sv.ep.NumConns())
	}
	bad := uint16(protocol.AlertBadRecordMAC)
	if !sv.hasEvent(protocol.LevelFatal, bad) || !cl.hasEvent(protocol.LevelFatal, bad) {
		t.Fatalf("events: client %v, server %v; want bad_record_mac on both", cl.events, sv.events)
	}
}

// A peer that drops a Finished it cannot decrypt (upstream tinydtls) leaves
// the client to time out; the log still says why.
func TestSilentlyDroppedFinishedIsExplained(t *testing.T) {
	cl, sv, l := pskPair(t, 810, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	l.filter = func(from *peer, dg []byte) []byte {
		if from == cl && findMessage(dg, protocol.HandshakeClientKeyExchange) >= 0 {
			return nil // the server never sees flight 5
		}
		return dg
	}
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl), 400*time.Second)
	log := cl.logs.String()
	if !strings.Contains(log, "no answer to flight 5 (client_key_exchange, change_cipher_spec, finished) after 7 retransmissions") ||
		!strings.Contains(log, "different pre-shared keys") {
		t.Fatalf("client log:\n%s", log)
	}
}

func TestRetransmissionsAreLoggedAtInfo(t *testing.T) {
	l := newLink(t, 820)
	cl := newPeer(t, l, "client", Config{}, 821)
	cl.usePSK("id", "key")
	cl.logLevel = LogInfo
	cl.ep.Connect([]byte("nobody"), l.now)
	l.run(noConns(cl), 400*time.Second)
	re := regexp.MustCompile(`retransmitting flight 1 \(client_hello\): retransmission (\d) of 7`)
	got := re.FindAllStringSubmatch(cl.logs.String(), -1)
	if len(got) != 7 || got[0][1] != "1" || got[6][1] != "7" {
		t.Fatalf("retransmission lines %q in\n%s", got, cl.logs.String())
	}
}

func TestWriteToClosingAssociationIsRefused(t *testing.T) {
	cl, sv, l := pskPair(t, 830, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if err := cl.ep.Close(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	n, err := cl.ep.Write(sv.addr, [][]byte{[]byte("late")}, l.now)
	if n != -1 || err != ErrClosing || !strings.Contains(cl.logs.String(), "write refused: the association is CLOSING; 4 bytes not sent") {
		t.Fatalf("Write on a closing association = %d, %v; log:\n%s", n, err, cl.logs.String())
	}
}

// At LogDebug the engine logs one line per handshake message sent and
// received, each epoch switch, the session keys and every record in
// upstream tinydtls's hexdump layouts.
func TestDebugLogShapes(t *testing.T) {
	cl, sv, l := pskPair(t, 840, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	cl.logLevel, sv.logLevel = LogDebug, LogDebug
	handshakeOK(t, cl, sv, l, 5*time.Second)
	exchange(t, cl, sv, l, "hello")
	log := cl.logs.String()
	for _, want := range []string{
		`sending client_hello \(\d+ bytes, message_seq 0, epoch 0\)`,
		`received hello_verify_request \(\d+ bytes, message_seq 0, epoch 0\)`,
		`received server_hello_done \(0 bytes, message_seq 2, epoch 0\)`,
		`sending finished \(12 bytes, message_seq 3, epoch 1\)`,
		`write epoch 1 active \(TLS_PSK_WITH_AES_128_CCM_8\)`,
		`read epoch 1 active`,
		`client_random: \(32 bytes\): [0-9A-F]{64}\n`,
		`extended_master_secret: \(48 bytes\): [0-9A-F]{86} \.\.\.\n`,
		`  client_write_key: \(16 bytes\): [0-9A-F]{32}\n`,
		`got 'handshake' epoch 0 sequence \d+ \(\d+ bytes\)`,
		`send header: \(13 bytes\):\n.*: 00000000 16 FE FF 00 00 00 00 00  00 00 00 [0-9A-F]{2} [0-9A-F]{2} \n`,
		`receive unencrypted: \(5 bytes\):\n.*: 00000000 68 65 6C 6C 6F \n`,
	} {
		if !regexp.MustCompile(want).MatchString(log) {
			t.Errorf("no line matching %q in the client's debug log", want)
		}
	}
	// A full dump line: 16 bytes with the gap after the eighth.
	full := regexp.MustCompile(`: [0-9A-F]{8} ([0-9A-F]{2} ){8} ([0-9A-F]{2} ){8}\n`)
	if !full.MatchString(log) {
		t.Errorf("no full 16-byte dump line in the client's debug log")
	}
	if t.Failed() {
		t.Logf("client log:\n%s", log)
	}
}
