// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"io"

	"github.com/tinydtls-go/tinydtls/core/protocol"
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
		if c.e.cids.conns[string(cid)] == nil {
			return cid
		}
	}
	return nil
}

// cidIndex finds associations by the connection ID their peers put on
// records to us.
type cidIndex struct {
	conns map[string]*Conn
	// count counts the associations per length of CID they read (a
	// tls12_cid record does not say how long its CID is); lens lists the
	// lengths in use, usually one, for the per-record lookup.
	count [protocol.MaxCIDLen + 1]int
	lens  []int
	// fallback is the length when no CID in use matches: the one we hand
	// out now.
	fallback int
}

// CIDLen finds the length of the connection ID at the start of cid among
// the lengths in use, for record.Parse.
func (x *cidIndex) CIDLen(cid []byte) int {
	for _, n := range x.lens {
		if len(cid) >= n && x.conns[string(cid[:n])] != nil {
			return n
		}
	}
	return x.fallback
}

// add and remove keep the index and the list of lengths in use current.
func (x *cidIndex) add(cid []byte, c *Conn) {
	x.conns[string(cid)] = c
	x.count[len(cid)]++
	if x.count[len(cid)] == 1 {
		x.relist()
	}
}

func (x *cidIndex) remove(cid []byte) {
	delete(x.conns, string(cid))
	x.count[len(cid)]--
	if x.count[len(cid)] == 0 {
		x.relist()
	}
}

func (x *cidIndex) relist() {
	x.lens = x.lens[:0]
	for l, n := range x.count {
		if n > 0 {
			x.lens = append(x.lens, l)
		}
	}
}

// setCIDs records the negotiated connection IDs. They take effect with the
// first protected epoch: only protected records carry them.
func (c *Conn) setCIDs(read, write []byte) {
	x := &c.e.cids
	if old := c.rl.In.CID(); len(old) > 0 && x.conns[string(old)] == c {
		x.remove(old)
	}
	if read == nil && write == nil {
		c.rl.In.SetCID(nil)
		c.rl.Out.SetCID(nil)
		return
	}
	c.rl.In.SetCID(nonNil(read))
	c.rl.Out.SetCID(nonNil(write))
	if cid := c.rl.In.CID(); len(cid) > 0 {
		x.add(cid, c)
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
