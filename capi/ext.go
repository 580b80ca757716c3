package main

/*
#include "capi.h"
*/
import "C"

import (
	"runtime"
	"runtime/debug"
	"time"
)

// Exports of dtls_ext.h, this implementation's settings beyond upstream.

//export tdtls_go_set_mtu
func tdtls_go_set_mtu(ctx *C.dtls_context_t, mtu C.size_t) (ret C.int) {
	ret = -1
	defer guard("dtls_set_mtu")
	st := stateOf(ctx)
	if st == nil || mtu < 128 || mtu > 65507 {
		logLine(int(C.DTLS_LOG_WARN), "dtls_set_mtu: MTU must be between 128 and 65507")
		return -1
	}
	st.ep.SetMTU(int(mtu))
	return 0
}

//export tdtls_go_get_mtu
func tdtls_go_get_mtu(ctx *C.dtls_context_t) (ret C.size_t) {
	defer guard("dtls_get_mtu")
	st := stateOf(ctx)
	if st == nil {
		return 0
	}
	return C.size_t(st.ep.Config().MTU)
}

//export tdtls_go_set_initial_timeout
func tdtls_go_set_initial_timeout(ctx *C.dtls_context_t, ms C.uint) (ret C.int) {
	ret = -1
	defer guard("dtls_set_initial_timeout")
	st := stateOf(ctx)
	if st == nil || ms == 0 || ms > 60000 {
		logLine(int(C.DTLS_LOG_WARN), "dtls_set_initial_timeout: between 1 and 60000 ms")
		return -1
	}
	st.ep.SetInitialTimeout(time.Duration(ms) * time.Millisecond)
	return 0
}

//export tdtls_go_get_max_write
func tdtls_go_get_max_write(ctx *C.dtls_context_t, s *C.session_t) (ret C.int) {
	ret = -1
	defer guard("dtls_get_max_write")
	st := stateOf(ctx)
	if st == nil || s == nil {
		return -1
	}
	c := st.conn(s)
	if c == nil || !c.Established() {
		return -1
	}
	return C.int(c.MaxWrite())
}

//export tdtls_go_set_record_size_limit
func tdtls_go_set_record_size_limit(ctx *C.dtls_context_t, limit C.size_t) (ret C.int) {
	ret = -1
	defer guard("dtls_set_record_size_limit")
	st := stateOf(ctx)
	if st == nil || limit != 0 && (limit < 64 || limit > 16384) {
		logLine(int(C.DTLS_LOG_WARN), "dtls_set_record_size_limit: 0, or between 64 and 16384")
		return -1
	}
	st.ep.SetRecordSizeLimit(int(limit))
	return 0
}

//export tdtls_go_set_cid_length
func tdtls_go_set_cid_length(ctx *C.dtls_context_t, n C.size_t) (ret C.int) {
	ret = -1
	defer guard("dtls_set_cid_length")
	st := stateOf(ctx)
	if st == nil || n > C.DTLS_MAX_CID_LENGTH {
		logLine(int(C.DTLS_LOG_WARN), "dtls_set_cid_length: at most DTLS_MAX_CID_LENGTH")
		return -1
	}
	st.ep.SetCIDLength(int(n))
	return 0
}

//export tdtls_go_set_limits
func tdtls_go_set_limits(ctx *C.dtls_context_t, maxPeers, maxHandshakes C.uint) (ret C.int) {
	ret = -1
	defer guard("dtls_set_limits")
	st := stateOf(ctx)
	if st == nil {
		return -1
	}
	st.ep.SetLimits(int(maxPeers), int(maxHandshakes))
	return 0
}

//export dtls_ext_go_stats
func dtls_ext_go_stats(out *C.dtls_ext_go_stats_t, gc C.int) (ret C.int) {
	ret = -1
	defer guard("dtls_ext_go_stats")
	if out == nil {
		return -1
	}
	switch gc {
	case 1:
		runtime.GC()
	case 2:
		debug.FreeOSMemory()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	out.heap_live = C.uint64_t(m.HeapAlloc)
	out.heap_sys = C.uint64_t(m.HeapSys)
	out.heap_released = C.uint64_t(m.HeapReleased)
	out.mallocs = C.uint64_t(m.Mallocs)
	out.total_alloc = C.uint64_t(m.TotalAlloc)
	out.num_gc = C.uint64_t(m.NumGC)
	return 0
}
