// SPDX-License-Identifier: BSD-3-Clause

//go:build !amd64 || purego

package ccm

const fastAES = false

func cbcMAC(rk *[176]byte, mac *[16]byte, src []byte) { panic("ccm: no AES-NI") }

func encryptBlock(rk *[176]byte, dst, src *[16]byte) { panic("ccm: no AES-NI") }

func ccmSealBlocks(rk *[176]byte, mac, ctr *[16]byte, dst, src []byte) { panic("ccm: no AES-NI") }

func ccmOpenBlocks(rk *[176]byte, mac, ctr *[16]byte, dst, src []byte) { panic("ccm: no AES-NI") }
