// SPDX-License-Identifier: BSD-3-Clause

package engine

import "testing"

// The engine's share of dtls_new_context() + dtls_free_context()
// (BENCHMARKS.md, "Contexts"): an Endpoint made, and made and freed. The C
// layer frees an Endpoint only when it has associations (Free allocates
// the buffer it sends close_notify alerts from).
func BenchmarkNew(b *testing.B) {
	h := &benchPeer{}
	b.ReportAllocs()
	for b.Loop() {
		New(Config{}, h)
	}
}

func BenchmarkNewFree(b *testing.B) {
	h := &benchPeer{}
	b.ReportAllocs()
	for b.Loop() {
		New(Config{}, h).Free()
	}
}
