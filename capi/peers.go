// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
#include <sys/socket.h>
#include <netinet/in.h>
*/
import "C"

import (
	"bytes"
	"encoding/binary"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/core/engine"
)

// The dtls_peer_t mirrors of associations, made when they are needed.
//
// Upstream keeps every association in a dtls_peer_t that applications can
// reach with dtls_get_peer() and whose session field every callback
// receives. A mirror costs 256 bytes of C heap, more than a quarter of what
// an idle association costs in all, so an association gets one only when
//
//   - the application asks for it (dtls_get_peer), or
//   - a callback for it has no session of the application's call to pass:
//     a timer's (a retransmission in dtls_check_retransmit), or one for an
//     association other than the address the call is about.
//
// Until then its callbacks receive the session_t of the call in progress,
// which has its address (the engine's key of it is the association's). A
// mirror, once made, lives as long as its association, as upstream's peer
// does, so pointers to it and to its session stay valid as they did.
//
// An association that is going away (the event after its removal, or the
// close_notify of dtls_free_context) and has no mirror gets no new one: its
// callback receives a session_t rebuilt in a per-nesting-level buffer,
// valid during the callback, as upstream's is until it frees the peer right
// after.
//
// A mirror's session is rebuilt from the association's key and the size
// field of the session_t it was created with, which c.App holds until then
// (sessSize): the same bytes as the application's session_t for an
// application that zeroes its session_t (upstream requires that; its peer
// lookup compares the whole struct), except for IPv6's flow label, which
// the key leaves out.

// sessSize is what c.App holds while an association has no mirror: the
// size field of the session_t it was created with, plus one (0: unknown).
// A one-byte value in an interface costs no allocation.
type sessSize uint8

// noMirror records the size of the session of the call in progress for c.
func (st *ctxState) noMirror(c *engine.Conn) {
	if s := st.curSession(); s != nil {
		c.App = sessSize(min(uint32(s.size), 254) + 1)
	}
}

// sessionSize is the size field c's session_t had, or -1 if unknown.
func sessionSize(c *engine.Conn) int {
	if v, ok := c.App.(sessSize); ok && v > 0 {
		return int(v) - 1
	}
	return -1
}

// session returns the session_t the application knows c by (see above).
func (st *ctxState) session(c *engine.Conn) *C.session_t {
	if c == nil {
		return st.curSession()
	}
	if p, ok := c.App.(*C.dtls_peer_t); ok {
		return &p.session
	}
	if s := st.curSession(); s != nil && bytes.Equal(st.curKey(), c.Addr()) {
		return s
	}
	if c.Removed() || st.dying {
		return st.scratchSession(c)
	}
	if p := st.mirror(c); p != nil {
		return &p.session
	}
	return st.curSession() // out of memory
}

// mirror returns c's dtls_peer_t, making it if it has none; nil if out of
// memory.
func (st *ctxState) mirror(c *engine.Conn) *C.dtls_peer_t {
	if p, ok := c.App.(*C.dtls_peer_t); ok {
		return p
	}
	role := C.int(C.DTLS_CLIENT)
	if c.Role() == engine.RoleServer {
		role = C.int(C.DTLS_SERVER)
	}
	p := C.tdtls_peer_alloc(nil, role)
	if p == nil {
		return nil
	}
	fillSession(&p.session, c.Addr(), sessionSize(c))
	p.state = C.dtls_state_t(c.State())
	mirrorSecurity(p, c)
	c.App = p
	if st.peers == nil {
		st.peers = make(map[*C.dtls_peer_t]*engine.Conn)
	}
	st.peers[p] = c
	return p
}

// scratchSession rebuilds c's session_t in this nesting level's buffer:
// the outermost call's is in the context's own C memory, deeper ones are
// allocated when first needed.
func (st *ctxState) scratchSession(c *engine.Conn) *C.session_t {
	i := max(st.depth-1, 0)
	if i == 0 {
		s := &(*C.tdtls_context_impl)(unsafe.Pointer(st.c)).scratch
		fillSession(s, c.Addr(), sessionSize(c))
		return s
	}
	i--
	for len(st.scratch) <= i {
		p := (*C.session_t)(C.malloc(C.size_t(unsafe.Sizeof(C.session_t{}))))
		if p == nil {
			return st.curSession()
		}
		st.scratch = append(st.scratch, p)
	}
	s := st.scratch[i]
	fillSession(s, c.Addr(), sessionSize(c))
	return s
}

// fillSession writes the session_t that sessionKey turned into key: zeroed,
// then the family, port, address (and IPv6 scope) and the interface index;
// size is the size field (-1: the size of the family's address).
func fillSession(s *C.session_t, key []byte, size int) {
	*s = C.session_t{}
	if len(key) < 5 {
		return
	}
	s.ifindex = C.int(int32(binary.BigEndian.Uint32(key[len(key)-4:])))
	addr := unsafe.Pointer(&s.addr)
	def := 0
	switch {
	case key[0] == 4 && len(key) == 11:
		sin := (*C.struct_sockaddr_in)(addr)
		sin.sin_family = C.AF_INET
		copy((*[2]byte)(unsafe.Pointer(&sin.sin_port))[:], key[1:3])
		copy((*[4]byte)(unsafe.Pointer(&sin.sin_addr))[:], key[3:7])
		def = int(unsafe.Sizeof(*sin))
	case key[0] == 6 && len(key) == 27:
		sin6 := (*C.struct_sockaddr_in6)(addr)
		sin6.sin6_family = C.AF_INET6
		copy((*[2]byte)(unsafe.Pointer(&sin6.sin6_port))[:], key[1:3])
		copy((*[16]byte)(unsafe.Pointer(&sin6.sin6_addr))[:], key[3:19])
		sin6.sin6_scope_id = C.uint32_t(binary.BigEndian.Uint32(key[19:23]))
		def = int(unsafe.Sizeof(*sin6))
	default:
		raw := key[1 : len(key)-4]
		n := copy(unsafe.Slice((*byte)(addr), unsafe.Sizeof(s.addr)), raw)
		def = n
	}
	if size < 0 {
		size = def
	}
	s.size = C.socklen_t(size)
}
