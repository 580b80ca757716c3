package engine

import (
	"io"
)

// Connection IDs (RFC 9146): the ones an association uses, the Endpoint's
// index of associations by the CID their peers put on records, and
// following a peer to a new address. Negotiating them is part of the
// handshake (client12.offerExtensions, negotiate12); the record layer puts
// them on records and checks them (core/record).

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

// migrate follows a peer whose address changed (RFC 9146 §6): only for
// authenticated CID records newer than any seen before.
func (c *Conn) migrate(addr []byte) {
	if other := c.e.conns[string(addr)]; other != nil && other != c {
		return // the new address belongs to another association
	}
	delete(c.e.conns, c.addr)
	c.addr = string(addr)
	c.e.conns[c.addr] = c
	c.logf(LogInfo, "peer moved to a new address")
	c.e.h.ConnChanged(c, ConnAddrChanged)
}
