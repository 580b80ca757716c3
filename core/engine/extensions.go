package engine

import (
	"io"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// Optional extensions beyond upstream: Connection ID (RFC 9146) and record
// size limit (RFC 8449). Both are negotiated in the first handshake of an
// association only; a renegotiation keeps what was agreed.

// newReadCID picks a fresh connection ID for the peer to put on records to
// us. An empty one means "I support CIDs but do not need one".
func (c *Conn) newReadCID() []byte {
	n := c.e.cfg.CIDLength
	if n == 0 {
		return []byte{}
	}
	cid := make([]byte, n)
	for tries := 0; tries < 8; tries++ {
		if _, err := io.ReadFull(c.e.cfg.Rand, cid); err != nil {
			return nil
		}
		if c.e.byCID[string(cid)] == nil {
			return cid
		}
	}
	return nil
}

// offerExtensions adds our optional extensions to a ClientHello.
func (c *Conn) offerExtensions(ext *handshake.Extensions) {
	hs := c.hs
	if hs.renegotiation {
		return
	}
	if hs.params.SupportCID {
		// RFC 9146 §3: a zero-length CID says "I will send with your CID
		// but do not need one myself".
		hs.offeredCID = true
		ext.HasConnectionID, ext.ConnectionID = true, []byte{}
	}
	if n := c.e.cfg.RecordSizeLimit; n > 0 {
		hs.offeredRSL = true
		ext.HasRecordSizeLimit, ext.RecordSizeLimit = true, uint16(min(n, protocol.MaxPlaintext))
	}
}

// acceptServerExtensions applies what the ServerHello agreed to.
func (c *Conn) acceptServerExtensions(ext *handshake.Extensions) error {
	hs := c.hs
	if hs.renegotiation {
		return nil
	}
	if ext.HasConnectionID {
		if len(ext.ConnectionID) > protocol.MaxCIDLen {
			return protocol.Fatal(protocol.AlertIllegalParameter)
		}
		c.setCIDs([]byte{}, ext.ConnectionID) // we offered an empty one
	}
	if ext.HasRecordSizeLimit {
		c.rl.Out.SetLimit(ext.RecordSizeLimit)
		c.rl.In.SetLimit(uint16(min(c.e.cfg.RecordSizeLimit, protocol.MaxPlaintext)))
	}
	return nil
}

// answerExtensions decides, at the server, the optional extensions of the
// ServerHello from the ClientHello's.
func (c *Conn) answerExtensions(ch, sh *handshake.Extensions) error {
	hs := c.hs
	if hs.renegotiation {
		return nil
	}
	if ch.HasConnectionID && hs.params.SupportCID {
		if len(ch.ConnectionID) > protocol.MaxCIDLen {
			return protocol.Fatal(protocol.AlertIllegalParameter)
		}
		if cid := c.newReadCID(); cid != nil {
			sh.HasConnectionID, sh.ConnectionID = true, cid
			c.setCIDs(cid, ch.ConnectionID)
		}
	}
	if ch.HasRecordSizeLimit {
		c.rl.Out.SetLimit(ch.RecordSizeLimit)
		lim := c.e.cfg.RecordSizeLimit
		if lim == 0 || lim > protocol.MaxPlaintext {
			lim = protocol.MaxPlaintext
		}
		sh.HasRecordSizeLimit, sh.RecordSizeLimit = true, uint16(lim)
		c.rl.In.SetLimit(uint16(lim))
	}
	return nil
}

// setCIDs records the negotiated connection IDs. They take effect with the
// first protected epoch: only protected records carry them.
func (c *Conn) setCIDs(read, write []byte) {
	e := c.e
	if old := c.rl.In.CID(); len(old) > 0 && e.byCID[string(old)] == c {
		delete(e.byCID, string(old))
		e.countCID(len(old), -1)
	}
	if read == nil && write == nil {
		c.rl.In.SetCID(nil)
		c.rl.Out.SetCID(nil)
		return
	}
	c.rl.In.SetCID(nonNil(read))
	c.rl.Out.SetCID(nonNil(write))
	if cid := c.rl.In.CID(); len(cid) > 0 {
		e.byCID[string(cid)] = c
		e.countCID(len(cid), +1)
	}
}

// countCID keeps the list of CID lengths in use current.
func (e *Endpoint) countCID(n, delta int) {
	before := e.cidCount[n]
	e.cidCount[n] += delta
	if (before == 0) == (e.cidCount[n] == 0) {
		return
	}
	e.cidLens = e.cidLens[:0]
	for l, cnt := range e.cidCount {
		if cnt > 0 {
			e.cidLens = append(e.cidLens, l)
		}
	}
}

// nonNil returns b, or an empty slice for nil: an empty CID is "none needed",
// nil is "no CID negotiated".
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
