// SPDX-License-Identifier: BSD-3-Clause

package engine

import "strings"

// Compact rebuilds the Endpoint's indexes after many associations went
// away (the C layer calls it when an Endpoint has half the associations of
// its peak or fewer): Go maps never shrink, the survivors' address keys,
// allocated among the garbage of their handshakes, keep pages of the heap
// resident that nothing else uses, and the list of half-open handshakes
// keeps the associations it names reachable until the next one starts. It
// copies both maps and the survivors' address keys into fresh allocations
// (the old ones become garbage) and drops the list's stale entries. It
// must not run during a call into the Endpoint.
func (e *Endpoint) Compact() {
	if e.closed {
		return
	}
	conns := make(map[string]*Conn, len(e.conns))
	for _, c := range e.conns {
		c.addr = strings.Clone(c.addr)
		conns[c.addr] = c
	}
	e.conns = conns
	cids := make(map[string]*Conn, len(e.cids.conns))
	for k, c := range e.cids.conns {
		cids[strings.Clone(k)] = c
	}
	e.cids.conns = cids
	e.trimHalfOpen()
}
