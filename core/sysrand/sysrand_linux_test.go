// SPDX-License-Identifier: BSD-3-Clause

package sysrand

import (
	"bytes"
	"io"
	"runtime"
	"syscall"
	"testing"
)

// The fallback path is the one kernels before 3.17 take.
func TestURandom(t *testing.T) {
	b := make([]byte, 300)
	if err := urandom(b); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b[284:], make([]byte, 16)) {
		t.Fatal("urandom left the end of the buffer unwritten")
	}
}

// Every architecture Go supports on Linux has a system call number here
// (GOARCH is a constant, so only the one being built is checked).
func TestGetrandomTrapKnown(t *testing.T) {
	if getrandomTrap() == 0 {
		t.Fatalf("no getrandom system call number for %s", runtime.GOARCH)
	}
}

// A kernel or sandbox without getrandom takes /dev/urandom; when that
// fails too, Read says so and never claims the buffer was filled (which
// would hand zeros to io.ReadFull's callers as key material).
func TestFallbackAndItsFailure(t *testing.T) {
	saved, savedPath := getrandom, urandomPath
	t.Cleanup(func() { getrandom, urandomPath = saved, savedPath })
	for _, e := range []syscall.Errno{syscall.ENOSYS, syscall.EPERM} {
		for _, size := range []int{32, 300} { // from the buffer, and directly
			emptyPool()
			getrandom = func([]byte) (int, syscall.Errno) { return 0, e }
			urandomPath = savedPath
			b := make([]byte, size)
			if _, err := io.ReadFull(Reader, b); err != nil || bytes.Equal(b[size-16:], make([]byte, 16)) {
				t.Fatalf("getrandom %v: the fallback gave %x, %v", e, b, err)
			}
			emptyPool()
			urandomPath = "/nonexistent/urandom"
			b = make([]byte, size)
			if n, err := io.ReadFull(Reader, b); err == nil || n == len(b) {
				t.Fatalf("getrandom %v and no /dev/urandom: ReadFull(%d bytes) = %d, %v", e, size, n, err)
			}
		}
	}
	// Any other error is returned as it is, with what was read before.
	calls := 0
	getrandom = func(b []byte) (int, syscall.Errno) {
		if calls++; calls == 1 {
			for i := range b[:10] {
				b[i] = 1
			}
			return 10, 0
		}
		return 0, syscall.EFAULT
	}
	if n, err := Reader.Read(make([]byte, 300)); n != 10 || err != syscall.EFAULT {
		t.Fatalf("Read after a failing call = %d, %v; want 10, EFAULT", n, err)
	}
}

func emptyPool() {
	pool.Lock()
	pool.left = 0
	pool.Unlock()
}

// Small reads come from the buffer: one system call serves many of them,
// the bytes served are erased from it, and no two reads overlap.
func TestPool(t *testing.T) {
	saved := getrandom
	t.Cleanup(func() { getrandom = saved })
	emptyPool()
	calls := 0
	getrandom = func(b []byte) (int, syscall.Errno) {
		calls++
		return saved(b)
	}
	var all [][]byte
	for range 16 {
		b := make([]byte, 32)
		if n, err := Reader.Read(b); n != 32 || err != nil {
			t.Fatal(n, err)
		}
		for _, a := range all {
			if bytes.Equal(a, b) {
				t.Fatal("two reads gave the same bytes")
			}
		}
		all = append(all, b)
	}
	if calls != 2 { // 512 bytes at 256 a call
		t.Fatalf("%d getrandom calls for 16 reads of 32 bytes, want 2", calls)
	}
	if !bytes.Equal(pool.buf[:], make([]byte, len(pool.buf))) {
		t.Fatal("served bytes were left in the buffer")
	}
}
