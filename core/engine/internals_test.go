// SPDX-License-Identifier: BSD-3-Clause

package engine

// The only places where the tests act inside an association rather than
// looking at it through snapshot(): sealing records as the association
// would (taking its sequence numbers, so that it never reuses one the test
// spent), and making the cookie the endpoint would hand out. A test
// impersonates a peer with them; everything it checks goes through
// snapshot() and the Handler.

import (
	"testing"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
)

// forge builds a record exactly as the association c would send it in its
// write epoch epoch (protected with c's keys), consuming c's next sequence
// number of that epoch so that c itself never reuses it.
func forge(t *testing.T, c *Conn, epoch uint16, typ protocol.ContentType, content []byte) []byte {
	t.Helper()
	if c == nil {
		t.Fatalf("forge: no association")
	}
	var d record.Draft
	b, ok := c.rl.Begin(nil, epoch, typ, &d)
	if !ok {
		t.Fatalf("forge: %v has no write state for epoch %d", c, epoch)
	}
	return c.rl.Seal(append(b, content...), &d)
}

// takeSeq takes c's next record sequence number of write epoch epoch, as
// if c had sent a record that never arrived; false if c has no such epoch.
func takeSeq(c *Conn, epoch uint16) (uint64, bool) {
	var d record.Draft
	_, ok := c.rl.Begin(nil, epoch, protocol.ContentApplicationData, &d)
	return d.Seq(), ok
}

// cookieFor is the cookie the endpoint of p hands out to addr for ch.
func cookieFor(p *peer, addr []byte, ch *handshake.ClientHello, now time.Duration) []byte {
	return p.ep.cookie.make(p.ep, addr, ch, now)
}

// base13 is c's DTLS 1.3 handshaker's shared part (tests that impersonate
// a peer number their messages with it), nil for a 1.2 association.
func (c *Conn) base13() *base13 {
	switch h := c.hs.(type) {
	case *client13:
		return &h.base13
	case *server13:
		return &h.base13
	}
	return nil
}
