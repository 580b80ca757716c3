package engine

import (
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// pair13 is a client that offers DTLS 1.3 and a server with the defaults
// (which negotiate 1.3 with it), with upstream's example credentials: PSK,
// or raw public keys if ecdhe. The server echoes.
func pair13(t *testing.T, seed int64, ecdhe bool) (*peer, *peer, *link) {
	cl, sv, l := pair(t, seed, Config{MaxVersion: protocol.VersionDTLS13}, Config{})
	useCredentials(cl, sv, ecdhe)
	sv.echo = true
	return cl, sv, l
}

func TestDTLS13PSK(t *testing.T) {
	cl, sv, l := pair13(t, 1, false)
	cl.verbose = testing.Verbose()
	sv.verbose = testing.Verbose()
	handshakeOK(t, cl, sv, l, 5*time.Second)
	for _, p := range []*peer{cl, sv} {
		c := p.conn(l.other(p))
		if v := c.Version(); v != protocol.VersionDTLS13 {
			t.Fatalf("%s: version %#04x", p.name, v)
		}
	}
	exchange(t, cl, sv, l, "hello over DTLS 1.3")
}

// Raw public keys (RFC 7250 in 1.3): the server authenticates with its
// key, and asks for the client's exactly when a 1.2 server would (it has a
// key and verifies the peer's).
func TestDTLS13RawPublicKeys(t *testing.T) {
	for _, mutual := range []bool{true, false} {
		cl, sv, l := pair13(t, 2, true)
		if !mutual {
			sv.caps.VerifyECDSAKey = false
		}
		handshakeOK(t, cl, sv, l, 5*time.Second)
		exchange(t, cl, sv, l, "raw public keys")
		if len(cl.seenKeys) != 1 || string(cl.seenKeys[0][0]) != string(serverKey.X) {
			t.Fatalf("mutual %v: client saw keys %x", mutual, cl.seenKeys)
		}
		if mutual != (len(sv.seenKeys) == 1) || mutual && string(sv.seenKeys[0][0]) != string(clientKey.X) {
			t.Fatalf("mutual %v: server saw keys %x", mutual, sv.seenKeys)
		}
		if v := cl.conn(sv).Version(); v != protocol.VersionDTLS13 {
			t.Fatalf("version %#04x", v)
		}
	}
}
