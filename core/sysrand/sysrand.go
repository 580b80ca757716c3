// SPDX-License-Identifier: BSD-3-Clause

// Package sysrand is the engine's default source of randomness: the
// operating system's generator read directly. On Linux that is
// getrandom(2), falling back to /dev/urandom on kernels without it (before
// 3.17); elsewhere it is crypto/rand.
//
// It exists for the size of the C library: crypto/rand brings the
// standard library's DRBG and its file-reading fallback (package os with
// internal/poll), about 20 KB, for what is a single system call here. Go
// programs that want crypto/rand's behaviour (or its test hook,
// testing/cryptotest.SetGlobalRandom) set engine.Config.Rand to
// crypto/rand.Reader.
package sysrand

// Reader reads from the operating system's generator. Read fills the
// whole buffer or returns an error; it blocks only while the kernel's
// generator is not yet seeded, early at boot, as crypto/rand does.
var Reader reader

type reader struct{}
