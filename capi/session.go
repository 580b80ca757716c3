// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
#include <sys/socket.h>
#include <netinet/in.h>
*/
import "C"

import (
	"unsafe"
)

// keyBuf holds an association key on the caller's stack, so that looking an
// address up costs no allocation.
type keyBuf [40]byte

// sessionKey turns a session_t into the engine's address key: family, port,
// address (and IPv6 scope) and the interface index. Upstream hashes the raw
// 144 bytes, so an application that forgot to zero the padding of its
// session_t found no peer; keying on the meaningful fields is equivalent for
// correct applications and forgiving for the others. Unknown families fall
// back to the raw bytes of the address.
func sessionKey(s *C.session_t, kb *keyBuf) []byte {
	addr := unsafe.Pointer(&s.addr)
	family := *(*C.sa_family_t)(addr)
	ifindex := uint32(s.ifindex)
	b := kb[:0]
	switch family {
	case C.AF_INET:
		sin := (*C.struct_sockaddr_in)(addr)
		port := (*[2]byte)(unsafe.Pointer(&sin.sin_port))
		ip := (*[4]byte)(unsafe.Pointer(&sin.sin_addr))
		b = append(b, 4, port[0], port[1])
		b = append(b, ip[:]...)
	case C.AF_INET6:
		sin6 := (*C.struct_sockaddr_in6)(addr)
		port := (*[2]byte)(unsafe.Pointer(&sin6.sin6_port))
		ip := (*[16]byte)(unsafe.Pointer(&sin6.sin6_addr))
		scope := uint32(sin6.sin6_scope_id)
		b = append(b, 6, port[0], port[1])
		b = append(b, ip[:]...)
		b = append(b, byte(scope>>24), byte(scope>>16), byte(scope>>8), byte(scope))
	default:
		n := int(s.size)
		if n < 0 || n > int(unsafe.Sizeof(s.addr)) {
			n = int(unsafe.Sizeof(s.addr))
		}
		raw := unsafe.Slice((*byte)(addr), n)
		out := make([]byte, 0, 1+n+4)
		out = append(out, 0)
		out = append(out, raw...)
		return append(out, byte(ifindex>>24), byte(ifindex>>16), byte(ifindex>>8), byte(ifindex))
	}
	return append(b, byte(ifindex>>24), byte(ifindex>>16), byte(ifindex>>8), byte(ifindex))
}
