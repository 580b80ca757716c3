// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

func TestPSKHandshakeAndEcho(t *testing.T) {
	for _, id := range []protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM_8, protocol.TLS_PSK_WITH_AES_128_CCM} {
		t.Run(id.String(), func(t *testing.T) {
			cl, sv, l := pskPair(t, 1, id)
			handshakeOK(t, cl, sv, l, 5*time.Second)
			if l.now > 100*time.Millisecond {
				t.Errorf("lossless handshake took %v of simulated time: something waited for a timer", l.now)
			}
			// HVR, ClientHello, flight 4, flight 5, flight 6: one datagram each.
			if cl.sentDgs != 3 || sv.sentDgs != 3 {
				t.Errorf("datagrams sent: client %d server %d, want 3 each", cl.sentDgs, sv.sentDgs)
			}
			if got := cl.conn(sv).Suite().ID; got != id {
				t.Fatalf("negotiated %v, want %v", got, id)
			}
			if !cl.hasEvent(protocol.LevelInternal, protocol.EventConnect) {
				t.Errorf("client got no CONNECT event: %v", cl.events)
			}
			if cl.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 ||
				sv.countEvent(protocol.LevelInternal, protocol.EventConnected) != 1 {
				t.Errorf("CONNECTED events: client %v server %v", cl.events, sv.events)
			}
			msgs := []string{"hello", "", "a somewhat longer line of text to echo"}
			for _, m := range msgs {
				if n, err := cl.ep.Write(sv.addr, [][]byte{[]byte(m)}, l.now); err != nil || n != len(m) {
					t.Fatalf("Write(%q) = %d, %v", m, n, err)
				}
			}
			want := len(msgs)
			l.run(func() bool { return len(cl.received) >= want }, time.Second)
			if len(sv.received) != want || len(cl.received) != want {
				t.Fatalf("server got %d, client got %d records, want %d", len(sv.received), len(cl.received), want)
			}
			for i, m := range msgs {
				if string(sv.received[i]) != m || string(cl.received[i]) != m {
					t.Errorf("record %d: server %q client %q want %q", i, sv.received[i], cl.received[i], m)
				}
			}
		})
	}
}

func TestPSKHintReachesClient(t *testing.T) {
	cl, sv, l := pskPair(t, 2, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	sv.hint = []byte("CoAP")
	var gotHint []byte
	cl.setHandler(&hintCatcher{peer: cl, got: &gotHint})
	handshakeOK(t, cl, sv, l, 5*time.Second)
	if string(gotHint) != "CoAP" {
		t.Fatalf("client saw hint %q, want CoAP", gotHint)
	}
}

type hintCatcher struct {
	*peer
	got *[]byte
}

func (h *hintCatcher) PSKInfo(c *Conn, t CredentialType, desc []byte, out []byte) (int, error) {
	if t == PSKIdentity {
		*h.got = append([]byte(nil), desc...)
	}
	return h.peer.PSKInfo(c, t, desc, out)
}

func TestServerKeepsNoStateBeforeCookie(t *testing.T) {
	cl, sv, l := pskPair(t, 3, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	var first []byte
	l.tap = func(from *peer, dg []byte) {
		if from == sv && first == nil {
			first = dg
		}
	}
	cl.ep.Connect(sv.addr, l.now)
	l.step() // deliver the first ClientHello
	if sv.ep.NumConns() != 0 {
		t.Fatalf("server created an association before the cookie exchange")
	}
	if len(first) < 13+12 || first[0] != byte(protocol.ContentHandshake) || first[13] != byte(protocol.HandshakeHelloVerifyRequest) {
		t.Fatalf("server's first answer is not a HelloVerifyRequest: % x", first)
	}
	if v := uint16(first[1])<<8 | uint16(first[2]); v != protocol.VersionDTLS10 {
		t.Errorf("HelloVerifyRequest record version 0x%04x, want DTLS 1.0", v)
	}
	if !l.run(bothConnected(cl, sv), 5*time.Second) {
		t.Fatalf("handshake did not complete")
	}
}

func TestPSKWrongKeyEndsWithAlertsOnBothSides(t *testing.T) {
	cl, sv, l := pskPair(t, 4, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	sv.psk["Client_identity"] = []byte("anotherkey")
	cl.ep.Connect(sv.addr, l.now)
	if !l.run(noConns(cl, sv), 10*time.Second) {
		t.Fatalf("associations left after a wrong key: client %d server %d", cl.ep.NumConns(), sv.ep.NumConns())
	}
	if l.now > 2*time.Second {
		t.Errorf("failure took %v: it should not wait for timeouts", l.now)
	}
	if !sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertBadRecordMAC)) {
		t.Errorf("server events %v: want fatal bad_record_mac", sv.events)
	}
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertBadRecordMAC)) {
		t.Errorf("client events %v: want the server's fatal bad_record_mac", cl.events)
	}
}

func TestPSKUnknownIdentityAlertFromCallback(t *testing.T) {
	cl, sv, l := pskPair(t, 5, protocol.TLS_PSK_WITH_AES_128_CCM)
	cl.identity = []byte("stranger")
	cl.psk["stranger"] = []byte("whatever")
	cl.ep.Connect(sv.addr, l.now)
	l.run(noConns(cl, sv), 10*time.Second)
	// The server callback answers an unknown identity with decrypt_error.
	if !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertDecryptError)) {
		t.Fatalf("client events %v: want fatal decrypt_error", cl.events)
	}
	if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
		t.Fatalf("associations left: %d %d", cl.ep.NumConns(), sv.ep.NumConns())
	}
}

func TestReplayedAndTamperedRecordsDropped(t *testing.T) {
	cl, sv, l := pskPair(t, 6, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	sv.echo = false
	handshakeOK(t, cl, sv, l, 5*time.Second)
	var captured []byte
	l.tap = func(from *peer, dg []byte) {
		if from == cl {
			captured = append([]byte(nil), dg...)
		}
	}
	cl.ep.Write(sv.addr, [][]byte{[]byte("once")}, l.now)
	l.run(func() bool { return len(sv.received) == 1 }, time.Second)
	if len(sv.received) != 1 {
		t.Fatalf("server got %d records", len(sv.received))
	}
	// Replay the exact datagram.
	sv.ep.HandleDatagram(cl.addr, append([]byte(nil), captured...), l.now)
	if len(sv.received) != 1 {
		t.Fatalf("replayed record delivered again")
	}
	// Tamper with every byte position of a fresh record in turn.
	cl.ep.Write(sv.addr, [][]byte{[]byte("fresh")}, l.now)
	fresh := captured
	l.queue = nil
	for i := record.HeaderLen; i < len(fresh); i++ {
		bad := append([]byte(nil), fresh...)
		bad[i] ^= 0x40
		sv.ep.HandleDatagram(cl.addr, bad, l.now)
	}
	if len(sv.received) != 1 {
		t.Fatalf("a tampered record was delivered: %q", sv.received)
	}
	// The untouched record still authenticates afterwards: tampered
	// records must not move the replay window.
	sv.ep.HandleDatagram(cl.addr, fresh, l.now)
	if len(sv.received) != 2 || string(sv.received[1]) != "fresh" {
		t.Fatalf("genuine record after tampered copies: %q", sv.received)
	}
	if !sv.conn(cl).Established() {
		t.Fatalf("association broken by tampered records")
	}
}

func TestCloseNotifyAnswered(t *testing.T) {
	cl, sv, l := pskPair(t, 7, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5*time.Second)
	var svAlerts int
	l.tap = func(from *peer, dg []byte) {
		if from == sv && dg[0] == byte(protocol.ContentAlert) {
			svAlerts++
		}
	}
	if err := cl.ep.Close(sv.addr, l.now); err != nil {
		t.Fatal(err)
	}
	if cl.conn(sv).State() != StateClosing {
		t.Fatalf("client state %v after Close", cl.conn(sv).State())
	}
	l.run(noConns(cl, sv), time.Second)
	if cl.ep.NumConns() != 0 || sv.ep.NumConns() != 0 {
		t.Fatalf("associations left after close: %d %d", cl.ep.NumConns(), sv.ep.NumConns())
	}
	if svAlerts != 1 {
		t.Errorf("server sent %d alerts, want one close_notify answer", svAlerts)
	}
	if !sv.hasEvent(protocol.LevelWarning, uint16(protocol.AlertCloseNotify)) ||
		!cl.hasEvent(protocol.LevelWarning, uint16(protocol.AlertCloseNotify)) {
		t.Errorf("close_notify events: client %v server %v", cl.events, sv.events)
	}
}

func TestWriteBeforeHandshakeAndTooLarge(t *testing.T) {
	cl, sv, l := pskPair(t, 8, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	// No association: Write starts the handshake and sends no data.
	if n, err := cl.ep.Write(sv.addr, [][]byte{[]byte("early")}, l.now); n != 0 || err != nil {
		t.Fatalf("Write without association = %d, %v", n, err)
	}
	if n, _ := cl.ep.Write(sv.addr, [][]byte{[]byte("early")}, l.now); n != 0 {
		t.Fatalf("Write during handshake = %d", n)
	}
	if !l.run(bothConnected(cl, sv), 5*time.Second) {
		t.Fatal("no handshake")
	}
	if len(sv.received) != 0 {
		t.Fatalf("data written before the handshake was delivered")
	}
	max := cl.conn(sv).MaxWrite()
	// Header, explicit nonce, 8-byte tag, and the server's connection ID
	// with the inner content type (RFC 9146).
	if want := 1400 - 13 - 8 - 8 - len(cl.conn(sv).WriteCID()) - 1; max != want {
		t.Errorf("MaxWrite = %d, want %d", max, want)
	}
	sent := cl.sentDgs
	if n, err := cl.ep.Write(sv.addr, [][]byte{make([]byte, max+1)}, l.now); err != ErrTooLarge || n >= 0 {
		t.Fatalf("oversized Write = %d, %v", n, err)
	}
	if cl.sentDgs != sent {
		t.Fatalf("an oversized Write sent something")
	}
	if n, err := cl.ep.Write(sv.addr, [][]byte{make([]byte, max/2), make([]byte, max-max/2)}, l.now); err != nil || n != max {
		t.Fatalf("Write of exactly MaxWrite = %d, %v", n, err)
	}
	l.run(func() bool { return len(sv.received) == 1 }, time.Second)
	if len(sv.received) != 1 || len(sv.received[0]) != max {
		t.Fatalf("largest record not delivered intact")
	}
	if !bytes.Equal(sv.received[0], make([]byte, max)) {
		t.Fatalf("payload corrupted")
	}
}

// force_extended_master_secret and force_renegotiation_info (on by
// default, as upstream) end the handshake with handshake_failure when the
// peer lacks the extension; switched off, the handshake completes without it.
func TestForceExtendedMasterSecretAndRenegotiationInfo(t *testing.T) {
	cases := []struct {
		name       string
		legacy     string // which side lacks the feature
		feature    string
		force      bool
		wantFailAt string // side that sends handshake_failure, "" = success
	}{
		{"server forces EMS", "client", "ems", true, "server"},
		{"client forces EMS", "server", "ems", true, "client"},
		{"EMS not forced", "client", "ems", false, ""},
		{"server forces RI", "client", "ri", true, "server"},
		{"client forces RI", "server", "ri", true, "client"},
		{"RI not forced", "server", "ri", false, ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The side without the feature is a scripted older stack.
			l := newLink(t, int64(400+i))
			var cl, sv *peer
			if tc.legacy == "client" {
				cl = newLegacyPeer(t, l, "client", true, tc.feature != "ems", tc.feature != "ri")
				sv = newPeer(t, l, "server", Config{}, int64(400+i)+2)
			} else {
				cl = newPeer(t, l, "client", Config{}, int64(400+i)+1)
				sv = newLegacyPeer(t, l, "server", false, tc.feature != "ems", tc.feature != "ri")
			}
			useCredentials(cl, sv, false)
			for _, p := range []*peer{cl, sv} {
				// The side without the feature cannot insist on it: were
				// both to force it, that side would always fail first.
				force := tc.force && p.name != tc.legacy
				p.params = func(up *UserParameters) {
					up.ForceExtendedMasterSecret = force && tc.feature == "ems"
					up.ForceRenegotiationInfo = force && tc.feature == "ri"
				}
			}
			alertFrom := ""
			l.tap = func(from *peer, dg []byte) {
				if alertFrom == "" && dg[0] == byte(protocol.ContentAlert) {
					alertFrom = from.name
				}
			}
			cl.connect(sv, l.now)
			ok := l.run(bothConnected(cl, sv), 5*time.Second)
			if tc.wantFailAt == "" {
				if !ok {
					t.Fatalf("handshake failed: %v %v", cl.events, sv.events)
				}
				return
			}
			l.run(noConns(cl, sv), 5*time.Second)
			if ok || !cl.hasEvent(protocol.LevelFatal, uint16(protocol.AlertHandshakeFailure)) ||
				!sv.hasEvent(protocol.LevelFatal, uint16(protocol.AlertHandshakeFailure)) {
				t.Fatalf("want handshake_failure: client %v server %v", cl.events, sv.events)
			}
			if alertFrom != tc.wantFailAt {
				t.Fatalf("the first alert came from %q, want the %s", alertFrom, tc.wantFailAt)
			}
		})
	}
}

func TestClientHelloUsesDTLS10RecordVersion(t *testing.T) {
	cl, sv, l := pskPair(t, 410, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	var versions []uint16
	l.tap = func(from *peer, dg []byte) {
		if from == cl {
			versions = append(versions, uint16(dg[1])<<8|uint16(dg[2]))
		}
	}
	handshakeOK(t, cl, sv, l, 5*time.Second)
	// ClientHello, ClientHello with cookie, then flight 5.
	if len(versions) != 3 || versions[0] != protocol.VersionDTLS10 || versions[1] != protocol.VersionDTLS10 ||
		versions[2] != protocol.VersionDTLS12 {
		t.Fatalf("client record versions %x", versions)
	}
}
