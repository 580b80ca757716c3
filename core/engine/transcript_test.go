// SPDX-License-Identifier: BSD-3-Clause

package engine

// Recorded handshakes with real peers (OpenSSL, GnuTLS, upstream tinydtls),
// replayed without them, in the style of crypto/tls's testdata.
//
// A transcript (testdata/transcripts/*.txt) is what one Endpoint of ours did
// with one peer program over UDP loopback: the calls into the Endpoint
// (connect, write, close, tick: CheckRetransmit; in: a datagram from the
// peer), each at the engine time it was made at, and everything the
// Endpoint produced in answer (out: a datagram, event, recv: data
// delivered), in order. Our side's randomness is seeded
// (cryptotest.SetGlobalRandom: randoms, cookies, connection IDs, ECDHE keys
// and ECDSA signatures), so replaying the calls must reproduce the output
// byte for byte, the peer's datagrams being those it sent then.
//
// TestTranscripts replays every transcript. TestCaptureTranscripts makes
// them anew; it runs only when TDTLS_CAPTURE names the folder to write them
// to, and needs openssl, gnutls-serv and gnutls-cli on the PATH and
// upstream's example programs in TDTLS_UPSTREAM_BIN (its build's tests/
// folder; see /work/shared/peers/README.md for the build):
//
//	TDTLS_CAPTURE=$PWD/testdata/transcripts TDTLS_UPSTREAM_BIN=/tmp/up/build/tests \
//	    go test -run TestCaptureTranscripts -v ./core/engine

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// transcriptSeed seeds our side's randomness in every transcript.
const transcriptSeed = 1

// transcriptCase is one recording: our role and credentials, and the peer.
type transcriptCase struct {
	name   string
	client bool // our role
	ecdhe  bool
	suite  protocol.CipherSuite
	// peer starts the peer program (capture only): addr is where our side
	// listens or where the peer must listen, dir a scratch folder.
	peer func(addr string, dir string) *exec.Cmd
	// peerAddr is where a peer server listens (we choose it); for a peer
	// client, where we listen.
	peerAddr func() string
	// lineFromPeer is written to the peer's stdin: at once for peers that
	// send it once connected, or, with afterConnect, only once we are.
	lineFromPeer string
	afterConnect bool
	// closeLine ends the peer client's session (else: EOF on its stdin).
	closeLine string
}

const (
	pskHex      = "73656372657450534b" // "secretPSK"
	gnutlsBase  = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-KX-ALL"
	ourLine     = "hello from tinydtls-go\n"
	peerLineFmt = "hello from %s\n"
)

func loopback() string { return "127.0.0.1:" + strconv.Itoa(freeUDPPort()) }

var transcriptCases = []transcriptCase{
	{
		name: "openssl-server-psk", client: true, suite: protocol.TLS_PSK_WITH_AES_128_CCM_8,
		peerAddr: loopback, lineFromPeer: fmt.Sprintf(peerLineFmt, "openssl s_server"),
		peer: func(addr, dir string) *exec.Cmd {
			return exec.Command("openssl", "s_server", "-dtls1_2", "-accept", addr, "-nocert",
				"-psk", pskHex, "-psk_hint", "Client_identity", "-cipher", "PSK-AES128-CCM8", "-naccept", "1")
		},
	},
	{
		name: "openssl-client-psk", client: false, suite: protocol.TLS_PSK_WITH_AES_128_CCM_8,
		peerAddr: loopback, lineFromPeer: fmt.Sprintf(peerLineFmt, "openssl s_client"),
		peer: func(addr, dir string) *exec.Cmd {
			return exec.Command("openssl", "s_client", "-dtls1_2", "-connect", addr,
				"-psk_identity", "Client_identity", "-psk", pskHex, "-cipher", "PSK-AES128-CCM8")
		},
	},
	{
		name: "gnutls-server-psk", client: true, suite: protocol.TLS_PSK_WITH_AES_128_CCM_8,
		peerAddr: loopback,
		peer: func(addr, dir string) *exec.Cmd {
			return exec.Command("gnutls-serv", "--udp", "-p", portOf(addr), "--echo",
				"--priority", gnutlsBase+":+PSK:-CIPHER-ALL:+AES-128-CCM-8",
				"--pskpasswd", filepath.Join(dir, "psk.passwd"), "--pskhint", "CoAP")
		},
	},
	{
		name: "gnutls-client-psk", client: false, suite: protocol.TLS_PSK_WITH_AES_128_CCM_8,
		peerAddr: loopback, lineFromPeer: fmt.Sprintf(peerLineFmt, "gnutls-cli"),
		peer: func(addr, dir string) *exec.Cmd {
			return exec.Command("gnutls-cli", "--udp", "-p", portOf(addr), "127.0.0.1",
				"--priority", gnutlsBase+":+PSK:-CIPHER-ALL:+AES-128-CCM-8",
				"--pskusername", "Client_identity", "--pskkey", pskHex)
		},
	},
	{
		name: "gnutls-server-rpk", client: true, ecdhe: true, suite: protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
		peerAddr: loopback,
		peer: func(addr, dir string) *exec.Cmd {
			return exec.Command("gnutls-serv", "--udp", "-p", portOf(addr), "--echo",
				"--priority", gnutlsBase+":+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-CCM-8:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK",
				"--rawpkkeyfile", filepath.Join(dir, "server.key.pem"), "--rawpkfile", filepath.Join(dir, "server.pub.pem"))
		},
	},
	{
		name: "gnutls-client-rpk", client: false, ecdhe: true, suite: protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
		peerAddr: loopback, lineFromPeer: fmt.Sprintf(peerLineFmt, "gnutls-cli"),
		peer: func(addr, dir string) *exec.Cmd {
			return exec.Command("gnutls-cli", "--udp", "-p", portOf(addr), "127.0.0.1",
				"--priority", gnutlsBase+":+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-CCM-8:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK",
				"--rawpkkeyfile", filepath.Join(dir, "client.key.pem"), "--rawpkfile", filepath.Join(dir, "client.pub.pem"),
				"--insecure")
		},
	},
	{
		name: "upstream-server-psk", client: true, suite: protocol.TLS_PSK_WITH_AES_128_CCM_8,
		peerAddr: freeLoopbackAddr,
		peer: func(addr, dir string) *exec.Cmd {
			return upstreamCmd("dtls-server", "-A", hostOf(addr), "-p", portOf(addr), "-c", "TLS_PSK_WITH_AES_128_CCM_8")
		},
	},
	{
		name: "upstream-client-psk", client: false, suite: protocol.TLS_PSK_WITH_AES_128_CCM_8,
		peerAddr: freeLoopbackAddr, lineFromPeer: fmt.Sprintf(peerLineFmt, "upstream dtls-client"),
		afterConnect: true, closeLine: "client:close\n",
		peer: func(addr, dir string) *exec.Cmd {
			return upstreamCmd("dtls-client", "-c", "TLS_PSK_WITH_AES_128_CCM_8", hostOf(addr))
		},
	},
	{
		name: "upstream-server-ecdhe", client: true, ecdhe: true, suite: protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
		peerAddr: freeLoopbackAddr,
		peer: func(addr, dir string) *exec.Cmd {
			return upstreamCmd("dtls-server", "-A", hostOf(addr), "-p", portOf(addr), "-c", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8")
		},
	},
	{
		name: "upstream-client-ecdhe", client: false, ecdhe: true, suite: protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
		peerAddr: freeLoopbackAddr, lineFromPeer: fmt.Sprintf(peerLineFmt, "upstream dtls-client"),
		afterConnect: true, closeLine: "client:close\n",
		peer: func(addr, dir string) *exec.Cmd {
			return upstreamCmd("dtls-client", "-c", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", hostOf(addr))
		},
	},
}

// transcriptConfig is our side's configuration in every transcript: the
// defaults, but a first retransmission timeout long enough that a slow
// peer does not make us retransmit while the transcript is recorded.
// (The recordings were made by a server that spoke DTLS 1.2 only; one that
// also speaks 1.3 marks its 1.2 ServerHello random with RFC 8446 §4.1.3's
// downgrade sentinel.)
// crypto/rand.Reader, not the default, so that SetGlobalRandom seeds it.
func transcriptConfig() Config {
	return Config{Rand: rand.Reader, InitialTimeout: 5 * time.Second, MaxVersion: protocol.VersionDTLS12}
}

// transcriptHandler is our side's application: upstream's example
// credentials, the case's suite, and every output written down.
type transcriptHandler struct {
	tc    *transcriptCase
	lines []string
	send  func(dg []byte) // capture: onto the socket
	// What the capture's script reacts to.
	connected, closed bool
	received          int
}

func (h *transcriptHandler) Send(c *Conn, addr, dg []byte) int {
	h.lines = append(h.lines, "out "+hex.EncodeToString(dg))
	if h.send != nil {
		h.send(dg)
	}
	return len(dg)
}

func (h *transcriptHandler) Receive(c *Conn, data []byte) {
	h.lines = append(h.lines, "recv "+hex.EncodeToString(data))
	h.received++
}

func (h *transcriptHandler) Event(c *Conn, level protocol.AlertLevel, code uint16) {
	h.lines = append(h.lines, fmt.Sprintf("event %d %d", level, code))
	switch {
	case level == protocol.LevelInternal && code == protocol.EventConnected:
		h.connected = true
	case level != protocol.LevelInternal:
		h.closed = true
	}
}

func (h *transcriptHandler) Capabilities(c *Conn) Capabilities {
	if h.tc.ecdhe {
		return Capabilities{ECDSAKey: true, VerifyECDSAKey: true}
	}
	return Capabilities{PSK: true}
}

func (h *transcriptHandler) UserParameters(c *Conn, p *UserParameters) {
	p.CipherSuites = []protocol.CipherSuite{h.tc.suite}
}

func (h *transcriptHandler) PSKInfo(c *Conn, t CredentialType, desc, out []byte) (int, error) {
	switch t {
	case PSKIdentity:
		return copy(out, "Client_identity"), nil
	case PSKKey:
		return copy(out, "secretPSK"), nil
	}
	return 0, nil
}

func (h *transcriptHandler) ECDSAKey(c *Conn) (ECDSAKey, error) {
	if h.tc.client {
		return clientKey, nil
	}
	return serverKey, nil
}

func (h *transcriptHandler) VerifyECDSAKey(c *Conn, x, y []byte) error { return nil }
func (h *transcriptHandler) ConnChanged(c *Conn, what Change)          {}
func (h *transcriptHandler) LogEnabled(l LogLevel) bool                { return false }
func (h *transcriptHandler) Log(l LogLevel, msg string)                {}

// transcript is a recording being made or replayed.
type transcript struct {
	h    *transcriptHandler
	ep   *Endpoint
	peer []byte // the peer's address key
}

func newTranscript(t *testing.T, tc *transcriptCase, peer []byte) *transcript {
	cryptotest.SetGlobalRandom(t, transcriptSeed)
	h := &transcriptHandler{tc: tc}
	return &transcript{h: h, ep: New(transcriptConfig(), h), peer: peer}
}

// do makes one call into the Endpoint and writes it down.
func (tr *transcript) do(verb string, now time.Duration, arg []byte) {
	ms := int64(now / time.Millisecond)
	line := fmt.Sprintf("%s %d", verb, ms)
	if arg != nil {
		line += " " + hex.EncodeToString(arg)
	}
	tr.h.lines = append(tr.h.lines, line)
	switch verb {
	case "connect":
		tr.ep.Connect(tr.peer, now)
	case "write":
		tr.ep.Write(tr.peer, [][]byte{arg}, now)
	case "close":
		tr.ep.Close(tr.peer, now)
	case "tick":
		tr.ep.CheckRetransmit(now)
	case "in":
		tr.ep.HandleDatagram(tr.peer, arg, now)
	default:
		panic("transcript: unknown call " + verb)
	}
}

// TestTranscripts replays every recorded transcript: the same calls, with
// the same randomness, must give the same output, byte for byte.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "transcripts", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts in testdata/transcripts (%v)", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			tc := findTranscriptCase(name)
			if tc == nil {
				t.Fatalf("no case %q", name)
			}
			replayTranscript(t, tc, file)
		})
	}
}

func findTranscriptCase(name string) *transcriptCase {
	for i := range transcriptCases {
		if transcriptCases[i].name == name {
			return &transcriptCases[i]
		}
	}
	return nil
}

func replayTranscript(t *testing.T, tc *transcriptCase, file string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	var peer []byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "peer "):
			peer = []byte(strings.TrimPrefix(line, "peer "))
		default:
			want = append(want, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if peer == nil {
		t.Fatalf("%s: no peer line", file)
	}
	tr := newTranscript(t, tc, peer)
	for _, line := range want {
		f := strings.Fields(line)
		switch f[0] {
		case "out", "event", "recv":
			continue // what the calls must produce
		}
		if len(f) < 2 {
			t.Fatalf("%s: bad line %q", file, line)
		}
		ms, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			t.Fatalf("%s: bad time in %q", file, line)
		}
		var arg []byte
		if len(f) > 2 {
			if arg, err = hex.DecodeString(f[2]); err != nil {
				t.Fatalf("%s: bad hex in %q", file, line)
			}
		}
		tr.do(f[0], time.Duration(ms)*time.Millisecond, arg)
	}
	got := tr.h.lines
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("%s: line %d differs:\n got: %.200s\nwant: %.200s", file, i+1, g, w)
		}
	}
	// The recording is a complete exchange: connected, data both ways,
	// closed.
	if !tr.h.connected || tr.h.received == 0 || tr.ep.NumConns() != 0 {
		t.Fatalf("%s: connected %v, %d records received, %d associations left", file,
			tr.h.connected, tr.h.received, tr.ep.NumConns())
	}
}

// TestCaptureTranscripts records the transcripts anew with the real peers.
func TestCaptureTranscripts(t *testing.T) {
	out := os.Getenv("TDTLS_CAPTURE")
	if out == "" {
		t.Skip("set TDTLS_CAPTURE to the folder to write transcripts to (and TDTLS_UPSTREAM_BIN)")
	}
	dir := t.TempDir()
	writeTranscriptCredentials(t, dir)
	for i := range transcriptCases {
		tc := &transcriptCases[i]
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.name, "upstream") && os.Getenv("TDTLS_UPSTREAM_BIN") == "" {
				t.Skip("TDTLS_UPSTREAM_BIN not set")
			}
			lines, peer := captureTranscript(t, tc, dir)
			var b bytes.Buffer
			fmt.Fprintf(&b, "# %s: our %s (%v) and %s over UDP loopback, DTLS 1.2.\n",
				tc.name, map[bool]string{true: "client", false: "server"}[tc.client], tc.suite, peerProgram(tc))
			fmt.Fprintf(&b, "# Recorded by TestCaptureTranscripts; replayed by TestTranscripts with seed %d.\n", transcriptSeed)
			fmt.Fprintf(&b, "# Calls (connect, write, close, tick, in: a peer datagram) with the engine time in ms;\n")
			fmt.Fprintf(&b, "# out, event and recv are what they produced.\n")
			fmt.Fprintf(&b, "peer %s\n", peer)
			for _, l := range lines {
				b.WriteString(l + "\n")
			}
			if err := os.WriteFile(filepath.Join(out, tc.name+".txt"), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func peerProgram(tc *transcriptCase) string {
	cmd := tc.peer("127.0.0.1:1", "/")
	return filepath.Base(cmd.Path) + " " + strings.Join(cmd.Args[1:3], " ") + " ..." + versionOf(cmd.Path)
}

func versionOf(path string) string {
	var args []string
	switch filepath.Base(path) {
	case "openssl":
		args = []string{"version"}
	case "gnutls-serv", "gnutls-cli":
		args = []string{"--version"}
	default:
		return " (upstream tinydtls 8a9e048)"
	}
	v, _ := exec.Command(path, args...).Output()
	line, _, _ := strings.Cut(string(v), "\n")
	return " (" + strings.TrimSpace(line) + ")"
}

// captureTranscript runs one case against its peer program.
func captureTranscript(t *testing.T, tc *transcriptCase, dir string) ([]string, string) {
	var sock *net.UDPConn
	var peerAddr *net.UDPAddr
	var err error
	addr := tc.peerAddr()
	if tc.client {
		peerAddr, _ = net.ResolveUDPAddr("udp", addr)
		sock, err = net.ListenUDP("udp", &net.UDPAddr{IP: peerAddr.IP})
	} else {
		local, _ := net.ResolveUDPAddr("udp", addr)
		sock, err = net.ListenUDP("udp", local)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()

	cmd := tc.peer(addr, dir)
	if strings.HasPrefix(tc.name, "upstream") {
		cmd.Env = append(os.Environ(), "LD_LIBRARY_PATH="+filepath.Dir(os.Getenv("TDTLS_UPSTREAM_BIN")))
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var peerOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &peerOut, &peerOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("peer output:\n%s", peerOut.String())
		}
	}()
	if !tc.client && tc.lineFromPeer != "" && !tc.afterConnect {
		stdin.Write([]byte(tc.lineFromPeer))
	}

	// The peer key is learned from its first datagram (a peer client) or
	// known (a peer server).
	var tr *transcript
	start := time.Now()
	now := func() time.Duration { return time.Since(start).Truncate(time.Millisecond) }
	begin := func(pa *net.UDPAddr) {
		peerAddr = pa
		tr = newTranscript(t, tc, []byte(pa.String()))
		tr.h.send = func(dg []byte) { sock.WriteToUDP(dg, peerAddr) }
	}
	if tc.client {
		// Give the server a moment to bind.
		time.Sleep(300 * time.Millisecond)
		start = time.Now()
		begin(peerAddr)
		tr.do("connect", now(), nil)
	}
	buf := make([]byte, 65536)
	wrote, nudged, closing := false, false, false
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		sock.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		n, from, err := sock.ReadFromUDP(buf)
		if err == nil {
			if tr == nil {
				start = time.Now()
				begin(from)
			}
			if from.String() == peerAddr.String() {
				tr.do("in", now(), append([]byte(nil), buf[:n]...))
			}
		}
		if tr == nil {
			continue
		}
		if d, ok := tr.ep.NextDeadline(); ok && d <= now() {
			tr.do("tick", now(), nil)
		}
		h := tr.h
		switch {
		case h.closed && tr.ep.NumConns() == 0:
			return h.lines, peerAddr.String()
		case tc.client && h.connected && !wrote:
			wrote = true
			tr.do("write", now(), []byte(ourLine))
		case tc.client && wrote && !nudged && tc.lineFromPeer != "":
			// A peer that does not echo says something of its own.
			nudged = true
			time.Sleep(200 * time.Millisecond)
			stdin.Write([]byte(tc.lineFromPeer))
		case tc.client && h.received > 0 && !closing:
			closing = true
			tr.do("close", now(), nil)
		case !tc.client && h.connected && tc.afterConnect && !nudged:
			nudged = true
			stdin.Write([]byte(tc.lineFromPeer))
		case !tc.client && h.received > 0 && !wrote:
			// The echo of what the peer client sent.
			wrote = true
			tr.do("write", now(), []byte(tc.lineFromPeer))
			time.Sleep(200 * time.Millisecond)
			if tc.closeLine != "" {
				stdin.Write([]byte(tc.closeLine))
			} else {
				stdin.Close()
			}
		}
	}
	t.Fatalf("the exchange did not end: %d lines so far", len(tr.h.lines))
	return nil, ""
}

func freeUDPPort() int {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// freeLoopbackAddr is a free 127.x.y.z address at port 20220, the only port
// upstream's dtls-client talks to and its dtls-server's default.
func freeLoopbackAddr() string {
	for i := 0; i < 100; i++ {
		ip := net.IPv4(127, byte(1+time.Now().UnixNano()%200), byte(i), 7)
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: 20220})
		if err == nil {
			c.Close()
			return fmt.Sprintf("%s:20220", ip)
		}
	}
	panic("no free 127.x.y.z address for port 20220")
}

func hostOf(addr string) string { h, _, _ := net.SplitHostPort(addr); return h }
func portOf(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

func upstreamCmd(prog string, args ...string) *exec.Cmd {
	return exec.Command(filepath.Join(os.Getenv("TDTLS_UPSTREAM_BIN"), prog), args...)
}

// writeTranscriptCredentials writes upstream's example credentials as
// GnuTLS takes them: {server,client}.{key,pub}.pem and psk.passwd.
func writeTranscriptCredentials(t *testing.T, dir string) {
	for name, k := range map[string]ECDSAKey{"server": serverKey, "client": clientKey} {
		priv := &ecdsa.PrivateKey{D: new(big.Int).SetBytes(k.Priv),
			PublicKey: ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(k.X), Y: new(big.Int).SetBytes(k.Y)}}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name+".key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
		os.WriteFile(filepath.Join(dir, name+".pub.pem"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "psk.passwd"), []byte("Client_identity:"+pskHex+"\n"), 0o600)
}
