// SPDX-License-Identifier: BSD-3-Clause

// Command pion-peer is a DTLS 1.3 test peer built on pion/dtls v4, used
// only by the C tests (ctests/test-dtls13-pion.sh builds it into the build
// tree at test time; it is never installed). It speaks DTLS 1.3 only, with
// an external PSK and TLS_AES_128_GCM_SHA256, on loopback:
//
//	pion-peer -mode server [-addr 127.0.0.1] [-port 0] [flags]
//	    an echo server: every record it receives goes to stdout and back
//	    to the sender; a record starting with "server:close" closes that
//	    association (close_notify), as dtls-server does.
//	pion-peer -mode client -port P [-addr 127.0.0.1] [flags]
//	    sends each line of stdin (with its newline) as one record, waits for
//	    the echo and writes it to stdout; the line "pion:keyupdate" makes it
//	    update its keys and ask the peer to update its own (a KeyUpdate with
//	    update_requested). At the end of stdin it closes (close_notify) and
//	    exits 0.
//
// Status lines go to stderr, prefixed "pion-peer: ": "listening on
// ADDR:PORT" (server), "connected version=DTLS 1.3 suite=NAME
// key_exchange=psk_dhe_ke|psk_ke identity=ID" after each handshake (the key
// exchange is read from the ServerHello on the wire: pre_shared_key with or
// without key_share), "closed by peer (close_notify)", "handshake failed:
// ...". The client exits 1 when the handshake fails or an echo does not
// come back in time; the server with -once exits after its first
// association ends: 0 if it had connected, 1 if its handshake failed.
// Every wait is bounded (-timeout; the server's whole life by -life).
//
// psk_ke or psk_dhe_ke: pion's client offers both modes by default; -psk-mode
// dhe or ke makes it offer only one (its ClientHello hook rewrites
// psk_key_exchange_modes before the binders are computed). pion's server
// takes psk_dhe_ke whenever the client offers it and they share a group,
// and has no setting for the mode; -psk-mode ke on the server restricts its
// groups to secp384r1, which a client offering only secp256r1 and x25519
// does not have, so that it must fall back to psk_ke.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pion/dtls/v4"
	"github.com/pion/dtls/v4/pkg/crypto/ciphersuite"
	"github.com/pion/dtls/v4/pkg/crypto/elliptic"
	"github.com/pion/dtls/v4/pkg/protocol"
	"github.com/pion/dtls/v4/pkg/protocol/extension"
	extension13 "github.com/pion/dtls/v4/pkg/protocol/extension/dtls13"
	"github.com/pion/dtls/v4/pkg/protocol/handshake"
	"github.com/pion/logging"
)

type options struct {
	mode     string
	addr     string
	port     int
	identity []byte
	key      []byte
	pskMode  string
	timeout  time.Duration
	life     time.Duration
	once     bool
	verbose  bool
}

func main() {
	var o options
	var identity, key, keyHex string
	flag.StringVar(&o.mode, "mode", "", "server or client")
	flag.StringVar(&o.addr, "addr", "127.0.0.1", "loopback address to listen on (server) or connect to (client)")
	flag.IntVar(&o.port, "port", 0, "port (server: 0 picks a free one)")
	flag.StringVar(&identity, "identity", "Client_identity", "PSK identity (client: offered; server: the one it knows)")
	flag.StringVar(&key, "key", "secretPSK", "PSK as a string")
	flag.StringVar(&keyHex, "key-hex", "", "PSK in hex (overrides -key)")
	flag.StringVar(&o.pskMode, "psk-mode", "any", "dhe, ke or any (see the package comment)")
	flag.DurationVar(&o.timeout, "timeout", 10*time.Second, "bound of the handshake and of each echo")
	flag.DurationVar(&o.life, "life", 120*time.Second, "server: exit after this long")
	flag.BoolVar(&o.once, "once", false, "server: exit when the first association ends")
	flag.BoolVar(&o.verbose, "v", false, "pion's debug log on stderr")
	flag.Parse()

	o.identity = []byte(identity)
	o.key = []byte(key)
	if keyHex != "" {
		k, err := hex.DecodeString(keyHex)
		if err != nil {
			fatalf("-key-hex: %v", err)
		}
		o.key = k
	}
	if ip := net.ParseIP(o.addr); ip == nil || !ip.IsLoopback() {
		fatalf("-addr %q is not a loopback address", o.addr)
	}
	switch o.pskMode {
	case "dhe", "ke", "any":
	default:
		fatalf("-psk-mode must be dhe, ke or any, not %q", o.pskMode)
	}

	switch o.mode {
	case "server":
		os.Exit(server(&o))
	case "client":
		if o.port <= 0 || o.port > 65535 {
			fatalf("client: -port is required")
		}
		os.Exit(client(&o))
	default:
		fatalf("-mode must be server or client")
	}
}

func status(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pion-peer: "+format+"\n", args...)
}

func fatalf(format string, args ...any) {
	status(format, args...)
	os.Exit(2)
}

// common are the options of both roles: DTLS 1.3 only, the one suite.
func common(o *options) []dtls.Option {
	lf := logging.NewDefaultLoggerFactory()
	lf.Writer = os.Stderr
	lf.DefaultLogLevel = logging.LogLevelWarn
	if o.verbose {
		lf.DefaultLogLevel = logging.LogLevelDebug
	}
	return []dtls.Option{
		dtls.WithMinVersion(protocol.Version1_3),
		dtls.WithMaxVersion(protocol.Version1_3),
		dtls.WithCipherSuites(ciphersuite.TLS_AES_128_GCM_SHA256),
		dtls.WithLoggerFactory(lf),
	}
}

// ---- client ------------------------------------------------------------------

func client(o *options) int {
	raddr := &net.UDPAddr{IP: net.ParseIP(o.addr), Port: o.port}
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(o.addr)})
	if err != nil {
		status("socket: %v", err)
		return 1
	}
	sn := &sniffer{PacketConn: pc}
	opts := []dtls.ClientOption{}
	for _, opt := range common(o) {
		opts = append(opts, opt)
	}
	opts = append(opts, dtls.WithPSK(func() ([]dtls.PSK, error) {
		return []dtls.PSK{{Identity: o.identity, Key: o.key}}, nil
	}, nil))
	if o.pskMode != "any" {
		opts = append(opts, dtls.WithClientHelloMessageHook(onlyMode(o.pskMode)))
	}
	conn, err := dtls.Client(sn, raddr, opts...)
	if err != nil {
		status("client: %v", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	err = conn.HandshakeContext(ctx)
	cancel()
	if err != nil {
		status("handshake failed: %v", err)
		_ = conn.Close()
		return 1
	}
	connected(conn, sn)

	in := bufio.NewReader(os.Stdin)
	buf := make([]byte, 1<<16)
	for {
		line, rerr := in.ReadString('\n')
		if line != "" {
			if strings.TrimRight(line, "\r\n") == "pion:keyupdate" {
				ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
				err := conn.UpdateKeys(ctx, dtls.KeyUpdateOptions{RequestPeerUpdate: true})
				cancel()
				if err != nil {
					status("keyupdate failed: %v", err)
					_ = conn.Close()
					return 1
				}
				st, _ := conn.ConnectionState()
				if st.KeyUsage != nil {
					status("keyupdate done: write epoch %d, read epoch %d", st.KeyUsage.WriteEpoch, st.KeyUsage.ReadEpoch)
				} else {
					status("keyupdate done")
				}
				continue
			}
			if _, err := conn.Write([]byte(line)); err != nil {
				status("write: %v", err)
				return 1
			}
			_ = conn.SetReadDeadline(time.Now().Add(o.timeout))
			n, err := conn.Read(buf)
			if err != nil {
				if errors.Is(err, io.EOF) {
					status("closed by peer (close_notify)")
					return 0
				}
				status("no echo: %v", err)
				_ = conn.Close()
				return 1
			}
			_, _ = os.Stdout.Write(buf[:n])
		}
		if rerr != nil {
			break
		}
	}
	if err := conn.Close(); err != nil {
		status("close: %v", err)
		return 1
	}
	status("closed (close_notify sent)")
	return 0
}

// onlyMode is a ClientHello hook that offers one PSK key exchange mode.
func onlyMode(mode string) func(handshake.MessageClientHello) handshake.Message {
	m := extension13.PSKDHEKE
	if mode == "ke" {
		m = extension13.PSKKE
	}
	return func(h handshake.MessageClientHello) handshake.Message {
		exts := make([]extension.Value, len(h.Extensions))
		copy(exts, h.Extensions)
		for i, e := range exts {
			if _, ok := e.(*extension13.PSKKeyExchangeModes); ok {
				exts[i] = &extension13.PSKKeyExchangeModes{Modes: []extension13.PSKKeyExchangeMode{m}}
			}
		}
		h.Extensions = exts
		return &h
	}
}

// ---- server ------------------------------------------------------------------

func server(o *options) int {
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(o.addr), Port: o.port})
	if err != nil {
		status("listen: %v", err)
		return 1
	}
	sn := &sniffer{PacketConn: pc}
	opts := []dtls.ServerOption{}
	for _, opt := range common(o) {
		opts = append(opts, opt)
	}
	opts = append(opts, dtls.WithPSK(nil, func(ids [][]byte) (*dtls.PSK, error) {
		for _, id := range ids {
			if bytes.Equal(id, o.identity) {
				return &dtls.PSK{Identity: id, Key: o.key}, nil
			}
		}
		status("unknown PSK identities %q", ids)
		return nil, nil
	}))
	if o.pskMode == "ke" {
		opts = append(opts, dtls.WithEllipticCurves(elliptic.P384))
	}
	ln, err := dtls.Listen(sn, opts...)
	if err != nil {
		status("listen: %v", err)
		return 1
	}
	status("listening on %s", pc.LocalAddr())
	time.AfterFunc(o.life, func() {
		status("exiting after %v", o.life)
		os.Exit(3)
	})

	var out sync.Mutex
	results := make(chan bool, 1)
	for {
		c, err := ln.Accept()
		if err != nil {
			status("accept: %v", err)
			return 1
		}
		conn, ok := c.(*dtls.Conn)
		if !ok {
			_ = c.Close()
			continue
		}
		go func() {
			ok := serve(o, conn, sn, &out)
			if o.once {
				select {
				case results <- ok:
				default:
				}
			}
		}()
		if o.once {
			if <-results {
				return 0
			}
			return 1
		}
	}
}

// serve runs one association; it reports whether the handshake completed.
func serve(o *options, conn *dtls.Conn, sn *sniffer, out *sync.Mutex) bool {
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	err := conn.HandshakeContext(ctx)
	cancel()
	if err != nil {
		status("handshake failed: %v", err)
		return false
	}
	connected(conn, sn)
	buf := make([]byte, 1<<16)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(o.life))
		n, err := conn.Read(buf)
		if err != nil {
			if errors.Is(err, io.EOF) {
				status("closed by peer (close_notify)")
			} else {
				status("read: %v", err)
			}
			return true
		}
		out.Lock()
		_, _ = os.Stdout.Write(buf[:n])
		out.Unlock()
		if bytes.HasPrefix(buf[:n], []byte("server:close")) {
			status("closing (close_notify)")
			return true
		}
		if _, err := conn.Write(buf[:n]); err != nil {
			status("write: %v", err)
			return true
		}
	}
}

func connected(conn *dtls.Conn, sn *sniffer) {
	st, _ := conn.ConnectionState()
	v := "?"
	switch st.NegotiatedVersion() {
	case protocol.Version1_3:
		v = "DTLS 1.3"
	case protocol.Version1_2:
		v = "DTLS 1.2"
	}
	status("connected version=%s suite=%v key_exchange=%s identity=%s",
		v, st.CipherSuiteID, sn.keyExchange(), st.IdentityHint)
}

// ---- what the ServerHello said --------------------------------------------------

// sniffer passes datagrams through and notes the extensions of the last
// ServerHello (not a HelloRetryRequest) that went by in either direction:
// the only record of the handshake that tells psk_ke from psk_dhe_ke.
type sniffer struct {
	net.PacketConn
	mu       sync.Mutex
	psk, dhe bool
	seen     bool
	// the ServerHello being reassembled
	msg    []byte
	have   []bool
	msgSeq int
}

func (s *sniffer) ReadFrom(p []byte) (int, net.Addr, error) {
	n, a, err := s.PacketConn.ReadFrom(p)
	if n > 0 {
		s.look(p[:n])
	}
	return n, a, err
}

func (s *sniffer) WriteTo(p []byte, a net.Addr) (int, error) {
	s.look(p)
	return s.PacketConn.WriteTo(p, a)
}

func (s *sniffer) keyExchange() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !s.seen:
		return "unknown"
	case s.psk && s.dhe:
		return "psk_dhe_ke"
	case s.psk:
		return "psk_ke"
	case s.dhe:
		return "ecdhe"
	}
	return "none"
}

// helloRetryRandom is the Random of a HelloRetryRequest (RFC 8446 §4.1.3).
var helloRetryRandom, _ = hex.DecodeString("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")

const (
	extPreSharedKey = 41
	extKeyShare     = 51
)

// look walks the DTLSPlaintext records at the start of a datagram (a 1.3
// ciphertext record, with its unified header, ends the walk) for the
// fragments of a ServerHello, and reads the ServerHello once it is whole.
func (s *sniffer) look(d []byte) {
	for len(d) >= 13 && d[0]&0xe0 != 0x20 {
		typ, epoch := d[0], int(d[3])<<8|int(d[4])
		n := int(d[11])<<8 | int(d[12])
		if len(d) < 13+n {
			return
		}
		body := d[13 : 13+n]
		d = d[13+n:]
		if typ != 22 || epoch != 0 || len(body) < 12 || body[0] != 2 {
			continue
		}
		length := int(body[1])<<16 | int(body[2])<<8 | int(body[3])
		seq := int(body[4])<<8 | int(body[5])
		offset := int(body[6])<<16 | int(body[7])<<8 | int(body[8])
		fraglen := int(body[9])<<16 | int(body[10])<<8 | int(body[11])
		if len(body) < 12+fraglen || offset+fraglen > length || length > 1<<16 {
			continue
		}
		if m := s.fragment(seq, length, offset, body[12:12+fraglen]); m != nil {
			s.serverHello(m)
		}
	}
}

// fragment collects the ServerHello of message_seq seq and returns it when
// every byte has arrived (fragments may repeat or overlap).
func (s *sniffer) fragment(seq, length, offset int, frag []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.msg == nil || s.msgSeq != seq || len(s.msg) != length {
		s.msg, s.have, s.msgSeq = make([]byte, length), make([]bool, length), seq
	}
	copy(s.msg[offset:], frag)
	for i := range frag {
		s.have[offset+i] = true
	}
	for _, h := range s.have {
		if !h {
			return nil
		}
	}
	m := s.msg
	s.msg, s.have = nil, nil
	return m
}

func (s *sniffer) serverHello(m []byte) {
	if len(m) < 35 || bytes.Equal(m[2:34], helloRetryRandom) {
		return
	}
	m = m[34:]
	sid := int(m[0])
	if len(m) < 1+sid+3+2 {
		return
	}
	m = m[1+sid+3:]
	total := int(m[0])<<8 | int(m[1])
	m = m[2:]
	if len(m) < total {
		return
	}
	m = m[:total]
	var psk, dhe bool
	for len(m) >= 4 {
		typ, n := int(m[0])<<8|int(m[1]), int(m[2])<<8|int(m[3])
		if len(m) < 4+n {
			return
		}
		switch typ {
		case extPreSharedKey:
			psk = true
		case extKeyShare:
			dhe = true
		}
		m = m[4+n:]
	}
	s.mu.Lock()
	s.psk, s.dhe, s.seen = psk, dhe, true
	s.mu.Unlock()
}
