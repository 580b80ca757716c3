// SPDX-License-Identifier: BSD-3-Clause

//go:build ignore

// heapprofile: the Go heap of N idle established server-side associations
// in the engine alone (no C API), after a forced GC, plus a heap profile
// saying which allocation sites hold it. A diagnostic for the "bytes per
// idle peer" target: dtls_ext_go_stats() tells the C library's total, this
// tells where it goes. Run from the repository root:
//
//	go run bench/gomem/heapprofile.go [-n 10000] [-data] [-profile heap.pprof] [-remove 0.9 [-compact]] [-free]
//	go tool pprof -sample_index=inuse_space -top heap.pprof
//
// The build constraint keeps this file out of `go build/vet/test ./...`.
package main

import (
	"flag"
	"fmt"
	mrand "math/rand"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/tinydtls-go/tinydtls/core/engine"
	"github.com/tinydtls-go/tinydtls/core/protocol"
)

type peer struct {
	ep    *engine.Endpoint
	inbox [][]byte
	conns int
}

func (p *peer) Send(c *engine.Conn, addr []byte, dg []byte) int {
	p.inbox = append(p.inbox, append([]byte(nil), dg...))
	return len(dg)
}
func (p *peer) Receive(c *engine.Conn, data []byte) {}
func (p *peer) Event(c *engine.Conn, level protocol.AlertLevel, code uint16) {
	if level == 0 && code == protocol.EventConnected {
		p.conns++
	}
}
func (p *peer) Capabilities(c *engine.Conn) engine.Capabilities {
	return engine.Capabilities{PSK: true}
}
func (p *peer) UserParameters(c *engine.Conn, u *engine.UserParameters) {
	u.CipherSuites = []protocol.CipherSuite{protocol.TLS_PSK_WITH_AES_128_CCM_8}
}
func (p *peer) PSKInfo(c *engine.Conn, t engine.CredentialType, desc []byte, out []byte) (int, error) {
	switch t {
	case engine.PSKIdentity:
		return copy(out, "Client_identity"), nil
	case engine.PSKKey:
		return copy(out, "secretPSK"), nil
	}
	return 0, nil
}
func (p *peer) ECDSAKey(c *engine.Conn) (engine.ECDSAKey, error) { return engine.ECDSAKey{}, nil }
func (p *peer) VerifyECDSAKey(c *engine.Conn, x, y []byte) error { return nil }
func (p *peer) ConnChanged(c *engine.Conn, what engine.Change)   {}
func (p *peer) LogEnabled(l engine.LogLevel) bool                { return false }
func (p *peer) Log(l engine.LogLevel, msg string)                {}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func main() {
	n := flag.Int("n", 10000, "idle associations")
	data := flag.Bool("data", true, "the client sends one record after each handshake")
	profile := flag.String("profile", "", "write a heap profile here")
	compact := flag.Bool("compact", false, "rebuild the indexes (Endpoint.Compact, as the C layer does) after the removal")
	free := flag.Bool("free", false, "then free the endpoint and report the heap after a full collection")
	remove := flag.Float64("remove", 0, "then reset this fraction of the associations, the oldest first, and report the heap after a full collection")
	random := flag.Bool("random", false, "with -remove: reset a random choice of the associations instead of the oldest")
	flag.Parse()
	if *profile != "" {
		runtime.MemProfileRate = 1
	}

	sv := &peer{}
	sv.ep = engine.New(engine.Config{Rand: mrand.New(mrand.NewSource(2))}, sv)
	srvAddr := []byte("server")
	before := heapInuse()
	for i := 0; i < *n; i++ {
		cl := &peer{}
		cl.ep = engine.New(engine.Config{Rand: mrand.New(mrand.NewSource(int64(i)))}, cl)
		// an IPv4 session key as the C layer builds it: family, port, address, ifindex
		addr := []byte{4, byte(i >> 8), byte(i), 10, 0, byte(i >> 16), 1, 0, 0, 0, 0}
		if _, err := cl.ep.Connect(srvAddr, 0); err != nil {
			panic(err)
		}
		pumpPair(cl, sv, addr, srvAddr)
		if *data {
			if _, err := cl.ep.Write(srvAddr, [][]byte{[]byte("idle peer hello")}, 0); err != nil {
				panic(err)
			}
			pumpPair(cl, sv, addr, srvAddr)
		}
	}
	after := heapInuse()
	if sv.conns != *n || sv.ep.NumConns() != *n {
		fmt.Fprintf(os.Stderr, "only %d handshakes, %d associations\n", sv.conns, sv.ep.NumConns())
		os.Exit(1)
	}
	fmt.Printf("engine only: %d idle server associations (data=%v): live Go heap %+d bytes = %.0f B/association\n",
		*n, *data, int64(after)-int64(before), float64(int64(after)-int64(before))/float64(*n))
	if *remove > 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("before removal: HeapAlloc %.1f MB, HeapInuse %.1f MB, HeapSys-HeapReleased %.1f MB\n",
			mb(ms.HeapAlloc), mb(ms.HeapInuse), mb(ms.HeapSys-ms.HeapReleased))
		k := int(float64(*n) * *remove)
		order := make([]int, *n)
		for i := range order {
			order[i] = i
		}
		if *random {
			mrand.New(mrand.NewSource(3)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		for _, i := range order[:k] {
			addr := []byte{4, byte(i >> 8), byte(i), 10, 0, byte(i >> 16), 1, 0, 0, 0, 0}
			sv.ep.Reset(sv.ep.Conn(addr))
		}
		if *compact {
			t0 := time.Now()
			sv.ep.Compact(true)
			fmt.Printf("Compact with %d associations left: %v\n", sv.ep.NumConns(), time.Since(t0))
		}
		debug.FreeOSMemory()
		runtime.ReadMemStats(&ms)
		fmt.Printf("after resetting %d and FreeOSMemory: %d left; HeapAlloc %.1f MB, HeapInuse %.1f MB, HeapSys-HeapReleased %.1f MB\n",
			k, sv.ep.NumConns(), mb(ms.HeapAlloc), mb(ms.HeapInuse), mb(ms.HeapSys-ms.HeapReleased))
	}
	if *free {
		sv.ep.Free()
		sv.inbox = nil
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("after Free and FreeOSMemory: HeapAlloc %.1f MB, HeapInuse %.1f MB, HeapSys-HeapReleased %.1f MB\n",
			mb(ms.HeapAlloc), mb(ms.HeapInuse), mb(ms.HeapSys-ms.HeapReleased))
		fmt.Printf("runtime metadata kept: spans %.2f MB, GC %.2f MB, other %.2f MB, stacks %.2f MB, mcache %.2f MB, profiling buckets %.2f MB\n",
			mb(ms.MSpanSys), mb(ms.GCSys), mb(ms.OtherSys), mb(ms.StackSys), mb(ms.MCacheSys), mb(ms.BuckHashSys))
		var samples []metrics.Sample
		for _, d := range metrics.All() {
			if strings.HasPrefix(d.Name, "/memory/classes/") {
				samples = append(samples, metrics.Sample{Name: d.Name})
			}
		}
		metrics.Read(samples)
		for _, x := range samples {
			fmt.Printf("  %-50s %8.2f MB\n", x.Name, mb(x.Value.Uint64()))
		}
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			panic(err)
		}
		pprof.Lookup("heap").WriteTo(f, 0)
		f.Close()
	}
	runtime.KeepAlive(sv)
}

// pumpPair delivers queued datagrams both ways until none is left.
func pumpPair(cl, sv *peer, clAddr, svAddr []byte) {
	for len(cl.inbox) > 0 || len(sv.inbox) > 0 {
		for len(cl.inbox) > 0 {
			dg := cl.inbox[0]
			cl.inbox = cl.inbox[1:]
			sv.ep.HandleDatagram(clAddr, dg, 0)
		}
		for len(sv.inbox) > 0 {
			dg := sv.inbox[0]
			sv.inbox = sv.inbox[1:]
			cl.ep.HandleDatagram(svAddr, dg, 0)
		}
	}
}
