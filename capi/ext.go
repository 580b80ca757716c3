// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
*/
import "C"

import (
	"math"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/tinydtls-go/tinydtls/capi/stackroom"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// Exports of dtls_ext.h, this implementation's settings beyond upstream.

//export tdtls_go_set_mtu
func tdtls_go_set_mtu(ctx *C.dtls_context_t, mtu C.size_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_set_mtu")
	st := stateOf(ctx)
	if st == nil {
		return -1
	}
	return setting("dtls_set_mtu", st.ep.SetMTU(clampInt(uint64(mtu))))
}

// setting turns the engine's answer to a setter into the C result, logging
// why a value was refused.
func setting(name string, err error) C.int {
	if err != nil {
		logLine(int(C.DTLS_LOG_WARN), name+": "+err.Error())
		return -1
	}
	return 0
}

// clampInt converts a C size without wrapping: a value too large for an int
// stays too large for every setter.
func clampInt(v uint64) int { return int(min(v, math.MaxInt32)) }

//export tdtls_go_get_mtu
func tdtls_go_get_mtu(ctx *C.dtls_context_t) (ret C.size_t) {
	stackroom.Reserve()
	defer guard("dtls_get_mtu")
	st := stateOf(ctx)
	if st == nil {
		return 0
	}
	return C.size_t(st.ep.Config().MTU)
}

//export tdtls_go_set_initial_timeout
func tdtls_go_set_initial_timeout(ctx *C.dtls_context_t, ms C.uint) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_set_initial_timeout")
	st := stateOf(ctx)
	if st == nil {
		return -1
	}
	return setting("dtls_set_initial_timeout", st.ep.SetInitialTimeout(time.Duration(ms)*time.Millisecond))
}

//export tdtls_go_get_max_write
func tdtls_go_get_max_write(ctx *C.dtls_context_t, s *C.session_t) (ret C.int) {
	stackroom.Reserve()
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
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_set_record_size_limit")
	st := stateOf(ctx)
	if st == nil {
		return -1
	}
	return setting("dtls_set_record_size_limit", st.ep.SetRecordSizeLimit(clampInt(uint64(limit))))
}

//export tdtls_go_set_cid_length
func tdtls_go_set_cid_length(ctx *C.dtls_context_t, n C.size_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_set_cid_length")
	st := stateOf(ctx)
	if st == nil {
		return -1
	}
	return setting("dtls_set_cid_length", st.ep.SetCIDLength(clampInt(uint64(n))))
}

//export tdtls_go_set_versions
func tdtls_go_set_versions(ctx *C.dtls_context_t, lo, hi C.uint16_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_set_versions")
	st := stateOf(ctx)
	if st == nil {
		return -1
	}
	return setting("dtls_set_versions", st.ep.SetVersions(uint16(lo), uint16(hi)))
}

//export tdtls_go_get_version
func tdtls_go_get_version(ctx *C.dtls_context_t, s *C.session_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_get_version")
	st := stateOf(ctx)
	if st == nil || s == nil {
		return -1
	}
	c := st.conn(s)
	if c == nil || !c.Established() || c.Version() == 0 {
		return -1
	}
	return C.int(c.Version())
}

// The environment variables dtls_new_context() reads (dtls_ext.h).
const (
	envMinVersion = "TINYDTLS_GO_MIN_VERSION"
	envMaxVersion = "TINYDTLS_GO_MAX_VERSION"
)

// tdtls_go_env_versions applies the variables to a new context; lo and hi
// are their values, NULL when not set. Both are ignored, with a warning,
// when either is not a version or they make no range.
//
//export tdtls_go_env_versions
func tdtls_go_env_versions(ctx *C.dtls_context_t, lo, hi *C.char) {
	stackroom.Reserve()
	defer guard("dtls_new_context")
	st := stateOf(ctx)
	if st == nil {
		return
	}
	vmin, okMin := envVersion(envMinVersion, lo)
	vmax, okMax := envVersion(envMaxVersion, hi)
	if !okMin || !okMax {
		return
	}
	if err := st.ep.SetVersions(vmin, vmax); err != nil {
		logLine(int(C.DTLS_LOG_WARN), "dtls_new_context: "+envMinVersion+"/"+envMaxVersion+
			" ignored: "+err.Error())
	}
}

// envVersion reads one variable: "1.2" or "1.3" (0 when not set).
func envVersion(name string, v *C.char) (uint16, bool) {
	if v == nil {
		return 0, true
	}
	// C.GoString would find the end with the runtime's vector reads, past
	// the end of the allocation (memcheck reports them); strlen does not.
	switch s := C.GoStringN(v, C.int(C.strlen(v))); s {
	case "1.2":
		return protocol.VersionDTLS12, true
	case "1.3":
		return protocol.VersionDTLS13, true
	default:
		logLine(int(C.DTLS_LOG_WARN), "dtls_new_context: "+name+"="+strconv.Quote(s)+
			" ignored: the version must be 1.2 or 1.3")
		return 0, false
	}
}

//export tdtls_go_set_limits
func tdtls_go_set_limits(ctx *C.dtls_context_t, maxPeers, maxHandshakes C.uint) (ret C.int) {
	stackroom.Reserve()
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
	stackroom.Reserve()
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
