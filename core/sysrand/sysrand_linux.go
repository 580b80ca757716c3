// SPDX-License-Identifier: BSD-3-Clause

package sysrand

import (
	"runtime"
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

// maxChunk keeps each call below the size getrandom serves in one piece
// (it may return less than asked above 256 bytes when interrupted).
const maxChunk = 256

func (reader) Read(b []byte) (int, error) {
	trap := getrandomTrap()
	for n := 0; n < len(b); {
		if trap == 0 {
			return n, urandom(b[n:])
		}
		chunk := b[n:min(len(b), n+maxChunk)]
		r, _, e := syscall.Syscall(trap, uintptr(unsafe.Pointer(&chunk[0])), uintptr(len(chunk)), 0)
		switch e {
		case 0:
			n += int(r)
		case syscall.EINTR, syscall.EAGAIN:
		case syscall.ENOSYS, syscall.EPERM: // no getrandom, or a sandbox refusing it
			return len(b), urandom(b[n:])
		default:
			return n, e
		}
	}
	return len(b), nil
}

// urandom fills b from /dev/urandom.
func urandom(b []byte) error {
	fd, err := syscall.Open("/dev/urandom", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
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
