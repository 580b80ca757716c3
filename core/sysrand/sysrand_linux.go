// SPDX-License-Identifier: BSD-3-Clause

package sysrand

import (
	"runtime"
	"sync"
	"syscall"
	"unsafe"
)

// getrandomTrap is getrandom's system call number; package syscall has it
// for only some architectures. 0 for one not listed: /dev/urandom.
func getrandomTrap() uintptr {
	switch runtime.GOARCH {
	case "amd64":
		return 318
	case "arm64", "riscv64", "loong64":
		return 278
	case "386":
		return 355
	case "arm":
		return 384
	case "ppc64", "ppc64le":
		return 359
	case "s390x":
		return 349
	case "mips", "mipsle":
		return 4353
	case "mips64", "mips64le":
		return 5313
	}
	return 0
}

// maxChunk keeps each call at the size getrandom serves in one piece (it
// may return less than asked above 256 bytes when interrupted).
const maxChunk = 256

// getrandom and urandomPath are variables so that the tests can take the
// fallback and make it fail.
var (
	getrandom = func(b []byte) (int, syscall.Errno) {
		r, _, e := syscall.Syscall(getrandomTrap(), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0)
		return int(r), e
	}
	urandomPath = "/dev/urandom"
)

// A system call costs about 1.4 µs here, against 0.15 µs for crypto/rand,
// which reads the kernel's generator through the vDSO (Linux 6.11 and
// later). A handshake between fresh contexts makes some ten small reads,
// so small reads are served from a buffer refilled 512 bytes at a time;
// every byte served is erased from it. The buffer needs no care across
// fork(): a child forked after the engine started never runs it (see the
// README, "fork"), and Go programs do not fork without exec.
var pool struct {
	sync.Mutex
	buf  [512]byte
	left int // buf[len(buf)-left:] is unused randomness
}

// Read fills b, or returns an error and how much it filled before it:
// never a full count for a buffer it did not fill, since io.ReadFull
// trusts the count.
func (reader) Read(b []byte) (int, error) {
	if len(b) > len(pool.buf)/4 {
		return read(b)
	}
	pool.Lock()
	defer pool.Unlock()
	if pool.left < len(b) {
		if _, err := read(pool.buf[:]); err != nil {
			clear(pool.buf[:])
			pool.left = 0
			return 0, err
		}
		pool.left = len(pool.buf)
	}
	start := len(pool.buf) - pool.left
	used := pool.buf[start : start+len(b)]
	copy(b, used)
	clear(used)
	pool.left -= len(b)
	return len(b), nil
}

// read fills b from the kernel, as Read promises.
func read(b []byte) (int, error) {
	for n := 0; n < len(b); {
		if getrandomTrap() == 0 {
			return fromURandom(b, n)
		}
		r, e := getrandom(b[n:min(len(b), n+maxChunk)])
		switch e {
		case 0:
			n += r
		case syscall.EINTR, syscall.EAGAIN:
		case syscall.ENOSYS, syscall.EPERM: // no getrandom, or a sandbox refusing it
			return fromURandom(b, n)
		default:
			return n, e
		}
	}
	return len(b), nil
}

func fromURandom(b []byte, n int) (int, error) {
	if err := urandom(b[n:]); err != nil {
		return n, err
	}
	return len(b), nil
}

// urandom fills b from /dev/urandom.
func urandom(b []byte) error {
	fd, err := syscall.Open(urandomPath, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	for len(b) > 0 {
		r, err := syscall.Read(fd, b)
		switch {
		case err == syscall.EINTR:
		case err != nil:
			return err
		case r == 0:
			return syscall.EIO
		default:
			b = b[r:]
		}
	}
	return nil
}
