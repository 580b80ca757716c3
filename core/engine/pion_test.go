// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v4"
	"github.com/pion/dtls/v4/pkg/crypto/ciphersuite"
	pionproto "github.com/pion/dtls/v4/pkg/protocol"
	extension13 "github.com/pion/dtls/v4/pkg/protocol/extension/dtls13"
	pionhs "github.com/pion/dtls/v4/pkg/protocol/handshake"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// Interoperability with pion/dtls v4, the first Go DTLS 1.3 stack, in
// both roles (PSK, TLS_AES_128_GCM_SHA256, psk_dhe_ke and psk_ke). pion
// runs its own goroutines over an in-memory packet connection; our
// Endpoint runs on the test goroutine, fed pion's datagrams and the time,
// as an application would drive it.

// memAddr is the address of each side of the in-memory link.
type memAddr string

func (a memAddr) Network() string { return "mem" }
func (a memAddr) String() string  { return string(a) }

// memConn is pion's side of the link: what it writes goes to out (for our
// Endpoint), what our Endpoint sends arrives on in.
type memConn struct {
	in, out  chan []byte
	peer     net.Addr
	mu       sync.Mutex
	deadline time.Time
	closed   chan struct{}
	once     sync.Once
}

func newMemConn(peer net.Addr) *memConn {
	return &memConn{in: make(chan []byte, 256), out: make(chan []byte, 256), peer: peer, closed: make(chan struct{})}
}

func (m *memConn) ReadFrom(p []byte) (int, net.Addr, error) {
	m.mu.Lock()
	d := m.deadline
	m.mu.Unlock()
	var timeout <-chan time.Time
	if !d.IsZero() {
		t := time.NewTimer(time.Until(d))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case dg := <-m.in:
		return copy(p, dg), m.peer, nil
	case <-timeout:
		return 0, nil, os.ErrDeadlineExceeded
	case <-m.closed:
		return 0, nil, net.ErrClosed
	}
}

func (m *memConn) WriteTo(p []byte, _ net.Addr) (int, error) {
	select {
	case <-m.closed:
		return 0, net.ErrClosed
	case m.out <- append([]byte(nil), p...):
		return len(p), nil
	}
}

func (m *memConn) Close() error {
	m.once.Do(func() { close(m.closed) })
	return nil
}
func (m *memConn) LocalAddr() net.Addr { return memAddr("pion") }
func (m *memConn) SetDeadline(t time.Time) error {
	return m.SetReadDeadline(t)
}
func (m *memConn) SetReadDeadline(t time.Time) error {
	m.mu.Lock()
	m.deadline = t
	m.mu.Unlock()
	return nil
}
func (m *memConn) SetWriteDeadline(time.Time) error { return nil }

// pionLink runs our Endpoint (the peer us, at address "us" as pion sees
// it) against pion over mc until done holds or the time is up.
type pionLink struct {
	t     *testing.T
	us    *peer
	mc    *memConn
	start time.Time
}

func (pl *pionLink) now() time.Duration { return time.Since(pl.start) }

// Send is our Endpoint's write callback: datagrams go to pion.
type pionSender struct {
	*peer
	pl *pionLink
}

func (s pionSender) Send(c *Conn, addr []byte, dg []byte) int {
	s.sentDgs++
	select {
	case s.pl.mc.in <- append([]byte(nil), dg...):
	default: // pion is not reading: a lost datagram
	}
	return len(dg)
}

func (s pionSender) Receive(c *Conn, data []byte) { s.peer.Receive(c, data) }

// run feeds our Endpoint until cond holds; false after the time limit.
func (pl *pionLink) run(cond func() bool, limit time.Duration) bool {
	end := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(end) {
			return false
		}
		wait := 20 * time.Millisecond
		if d, ok := pl.us.ep.NextDeadline(); ok {
			wait = min(wait, max(d-pl.now(), 0))
		}
		t := time.NewTimer(wait)
		select {
		case dg := <-pl.mc.out:
			pl.us.ep.HandleDatagram([]byte("pion"), dg, pl.now())
		case <-t.C:
			pl.us.ep.CheckRetransmit(pl.now())
		}
		t.Stop()
	}
	return true
}

var pionPSK = []byte("pion and tinydtls share this key")

const pionIdentity = "Client_identity"

func newPionLink(t *testing.T, cfg Config) *pionLink {
	pl := &pionLink{t: t, mc: newMemConn(memAddr("us")), start: time.Now()}
	l := newLink(t, 1)
	us := newPeer(t, l, "us", cfg, 1)
	us.usePSK(pionIdentity, string(pionPSK))
	us.echo = true
	us.setHandler(pionSender{us, pl})
	pl.us = us
	t.Cleanup(func() { pl.mc.Close() })
	return pl
}

func pionOptions(pskKE bool) []dtls.Option {
	opts := []dtls.Option{
		dtls.WithPSK(func() ([]dtls.PSK, error) {
			return []dtls.PSK{{Identity: []byte(pionIdentity), Key: pionPSK, Hash: crypto.SHA256}}, nil
		}, func(ids [][]byte) (*dtls.PSK, error) {
			for _, id := range ids {
				if bytes.Equal(id, []byte(pionIdentity)) {
					return &dtls.PSK{Identity: id, Key: pionPSK, Hash: crypto.SHA256}, nil
				}
			}
			return nil, nil
		}),
		dtls.WithCipherSuites(ciphersuite.TLS_AES_128_GCM_SHA256),
		dtls.WithMinVersion(pionproto.Version1_3),
		dtls.WithMaxVersion(pionproto.Version1_3),
	}
	if pskKE {
		// pion's hook runs before the binders are computed and may narrow
		// the modes pion offers (both, by default).
		opts = append(opts, dtls.WithClientHelloMessageHook(func(ch pionhs.MessageClientHello) pionhs.Message {
			for i, x := range ch.Extensions {
				if _, ok := x.(*extension13.PSKKeyExchangeModes); ok {
					ch.Extensions[i] = &extension13.PSKKeyExchangeModes{Modes: []extension13.PSKKeyExchangeMode{extension13.PSKKE}}
				}
			}
			return &ch
		}))
	}
	return opts
}

// pionEcho reads one message from conn and writes it back.
func pionEcho(conn *dtls.Conn) error {
	buf := make([]byte, 2048)
	n, err := conn.Read(buf)
	if err != nil {
		return err
	}
	_, err = conn.Write(buf[:n])
	return err
}

func TestPionClientDTLS13PSK(t *testing.T) {
	for _, tc := range []struct {
		name       string
		pskKE, cid bool
	}{{"psk_dhe_ke", false, false}, {"psk_ke", true, false}, {"connection IDs", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			pl := newPionLink(t, Config{})
			var opts []dtls.ClientOption
			for _, o := range pionOptions(tc.pskKE) {
				opts = append(opts, o)
			}
			if tc.cid {
				opts = append(opts, dtls.WithConnectionID(dtls.RandomCIDGenerator(8), dtls.CIDPathMigrationReject))
			}
			conn, err := dtls.Client(pl.mc, memAddr("us"), opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			errc := make(chan error, 1)
			got := make(chan string, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				if err := conn.HandshakeContext(ctx); err != nil {
					errc <- err
					return
				}
				if _, err := conn.Write([]byte("from pion")); err != nil {
					errc <- err
					return
				}
				buf := make([]byte, 100)
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				n, err := conn.Read(buf)
				if err != nil {
					errc <- err
					return
				}
				got <- string(buf[:n])
			}()
			var echoed string
			var perr error
			ok := pl.run(func() bool {
				select {
				case echoed = <-got:
					return true
				case perr = <-errc:
					return true
				default:
					return false
				}
			}, 20*time.Second)
			if !ok || perr != nil {
				t.Fatalf("pion client: %v (done %v)\n%s", perr, ok, pl.us.logs.String())
			}
			if echoed != "from pion" {
				t.Fatalf("pion got %q back", echoed)
			}
			c := pl.us.ep.Conn([]byte("pion"))
			if c == nil || c.Version() != protocol.VersionDTLS13 || c.Suite().ID != protocol.TLS_AES_128_GCM_SHA256 {
				t.Fatalf("our association: %v", c)
			}
			if mode := c.snapshot().KeyExchange; mode != map[bool]string{false: "psk_dhe_ke", true: "psk_ke"}[tc.pskKE] {
				t.Fatalf("key exchange %q", mode)
			}
			if tc.cid && (len(c.WriteCID()) != 8 || len(c.ReadCID()) != 6) {
				t.Fatalf("CIDs: we write %x, read %x", c.WriteCID(), c.ReadCID())
			}
		})
	}
}

func TestPionServerDTLS13PSK(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pskKE bool
	}{{"psk_dhe_ke", false}, {"psk_ke", true}} {
		t.Run(tc.name, func(t *testing.T) {
			pl := newPionLink(t, Config{MaxVersion: protocol.VersionDTLS13})
			pl.us.echo = false
			if tc.pskKE {
				pl.us.params = func(p *UserParameters) { p.PSKWithoutECDHE = true }
			}
			var opts []dtls.ServerOption
			for _, o := range pionOptions(false) {
				opts = append(opts, o)
			}
			conn, err := dtls.Server(pl.mc, memAddr("us"), opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			errc := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				if err := conn.HandshakeContext(ctx); err != nil {
					errc <- err
					return
				}
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				errc <- pionEcho(conn)
			}()
			if _, err := pl.us.ep.Connect([]byte("pion"), pl.now()); err != nil {
				t.Fatal(err)
			}
			var perr error
			connected := func() bool {
				select {
				case perr = <-errc:
					return true
				default:
				}
				c := pl.us.ep.Conn([]byte("pion"))
				return c != nil && c.Established()
			}
			if !pl.run(connected, 20*time.Second) || perr != nil {
				t.Fatalf("handshake with the pion server: %v\n%s", perr, pl.us.logs.String())
			}
			c := pl.us.ep.Conn([]byte("pion"))
			if c.Version() != protocol.VersionDTLS13 || c.Suite().ID != protocol.TLS_AES_128_GCM_SHA256 {
				t.Fatalf("version %#04x, suite %v", c.Version(), c.Suite())
			}
			if mode := c.snapshot().KeyExchange; mode != map[bool]string{false: "psk_dhe_ke", true: "psk_ke"}[tc.pskKE] {
				t.Fatalf("key exchange %q", mode)
			}
			if _, err := pl.us.ep.Write([]byte("pion"), [][]byte{[]byte("to pion")}, pl.now()); err != nil {
				t.Fatal(err)
			}
			if !pl.run(func() bool { return len(pl.us.received) > 0 }, 10*time.Second) {
				select {
				case perr = <-errc:
				default:
				}
				t.Fatalf("no echo from pion (%v)\n%s", perr, pl.us.logs.String())
			}
			if string(pl.us.received[0]) != "to pion" {
				t.Fatalf("echo %q", pl.us.received[0])
			}
			if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
				t.Fatalf("pion: %v", err)
			}
		})
	}
}

// KeyUpdate both ways with pion: pion updates and asks us to update too,
// then we update and ask pion; data flows after each.
func TestPionKeyUpdate(t *testing.T) {
	pl := newPionLink(t, Config{})
	var opts []dtls.ClientOption
	for _, o := range pionOptions(false) {
		opts = append(opts, o)
	}
	conn, err := dtls.Client(pl.mc, memAddr("us"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	errc := make(chan error, 2)
	echoed := make(chan string, 2)
	again := make(chan struct{})
	roundTrip := func(msg string) error {
		if _, err := conn.Write([]byte(msg)); err != nil {
			return err
		}
		buf := make([]byte, 100)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			return err
		}
		echoed <- string(buf[:n])
		return nil
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := conn.HandshakeContext(ctx); err != nil {
			errc <- err
			return
		}
		if err := conn.UpdateKeys(ctx, dtls.KeyUpdateOptions{RequestPeerUpdate: true}); err != nil {
			errc <- err
			return
		}
		if err := roundTrip("after pion's KeyUpdate"); err != nil {
			errc <- err
			return
		}
		<-again
		if err := roundTrip("after ours"); err != nil {
			errc <- err
		}
	}()
	wait := func(want string) {
		t.Helper()
		var got string
		var perr error
		if !pl.run(func() bool {
			select {
			case got = <-echoed:
				return true
			case perr = <-errc:
				return true
			default:
				return false
			}
		}, 20*time.Second) || perr != nil || got != want {
			t.Fatalf("pion got %q (%v)\n%s", got, perr, pl.us.logs.String())
		}
	}
	wait("after pion's KeyUpdate")
	c := pl.us.ep.Conn([]byte("pion"))
	if r, w := c.Epoch(); r != 4 || w != 4 {
		t.Fatalf("after pion's requested update: epochs read %d write %d", r, w)
	}
	if err := pl.us.ep.Renegotiate([]byte("pion"), pl.now()); err != nil {
		t.Fatal(err)
	}
	if !pl.run(func() bool { _, w := c.Epoch(); return w == 5 }, 10*time.Second) {
		t.Fatalf("pion never acknowledged our KeyUpdate\n%s", pl.us.logs.String())
	}
	close(again)
	wait("after ours")
	if r, _ := c.Epoch(); r != 5 {
		t.Fatalf("pion did not update its keys when asked: read epoch %d", r)
	}
}
