// SPDX-License-Identifier: BSD-3-Clause

//go:build !purego

#include "textflag.h"

// AES-128 encryption with AES-NI for the CCM fast path. The round keys are
// the 11 16-byte FIPS-197 round keys in byte order (176 bytes).

#define LOADKEYS(rk) \
	MOVOU 0(rk), X1; \
	MOVOU 16(rk), X2; \
	MOVOU 32(rk), X3; \
	MOVOU 48(rk), X4; \
	MOVOU 64(rk), X5; \
	MOVOU 80(rk), X6; \
	MOVOU 96(rk), X7; \
	MOVOU 112(rk), X8; \
	MOVOU 128(rk), X9; \
	MOVOU 144(rk), X10; \
	MOVOU 160(rk), X11

#define ROUNDS(b) \
	AESENC X2, b; \
	AESENC X3, b; \
	AESENC X4, b; \
	AESENC X5, b; \
	AESENC X6, b; \
	AESENC X7, b; \
	AESENC X8, b; \
	AESENC X9, b; \
	AESENC X10, b; \
	AESENCLAST X11, b

// func cbcMAC(rk *[176]byte, mac *[16]byte, src []byte)
// mac = E(mac ^ block) for every 16-byte block of src; len(src) % 16 == 0.
TEXT ·cbcMAC(SB), NOSPLIT, $0-40
	MOVQ rk+0(FP), AX
	MOVQ mac+8(FP), BX
	MOVQ src_base+16(FP), SI
	MOVQ src_len+24(FP), CX
	LOADKEYS(AX)
	MOVOU (BX), X0
macloop:
	CMPQ CX, $16
	JB macdone
	MOVOU (SI), X12
	PXOR X12, X0
	PXOR X1, X0
	ROUNDS(X0)
	ADDQ $16, SI
	SUBQ $16, CX
	JMP macloop
macdone:
	MOVOU X0, (BX)
	RET

// func encryptBlock(rk *[176]byte, dst, src *[16]byte)
// dst = E(src); dst may be src.
TEXT ·encryptBlock(SB), NOSPLIT, $0-24
	MOVQ rk+0(FP), AX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	LOADKEYS(AX)
	MOVOU (SI), X12
	PXOR X1, X12
	ROUNDS(X12)
	MOVOU X12, (DI)
	RET

// func hasAESNI() bool
// CPUID leaf 1, ECX: bit 25 is AES-NI, bit 19 SSE4.1 (PINSRD below).
TEXT ·hasAESNI(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $((1<<25)|(1<<19)), CX
	CMPL CX, $((1<<25)|(1<<19))
	SETEQ ret+0(FP)
	RET

// CTRBLOCK sets b to the counter block: the nonce part in X13 with the
// big-endian 32-bit counter R8 in its last four bytes. Clobbers R9.
#define CTRBLOCK(b) \
	MOVOU X13, b; \
	MOVL R8, R9; \
	BSWAPL R9; \
	PINSRD $3, R9, b

// Two AES computations interleaved round by round: the CBC-MAC chain in X0
// and a counter block in X12, so the counter mode rides in the latency of
// the MAC chain.
#define ROUNDS2 \
	AESENC X2, X0; \
	AESENC X2, X12; \
	AESENC X3, X0; \
	AESENC X3, X12; \
	AESENC X4, X0; \
	AESENC X4, X12; \
	AESENC X5, X0; \
	AESENC X5, X12; \
	AESENC X6, X0; \
	AESENC X6, X12; \
	AESENC X7, X0; \
	AESENC X7, X12; \
	AESENC X8, X0; \
	AESENC X8, X12; \
	AESENC X9, X0; \
	AESENC X9, X12; \
	AESENC X10, X0; \
	AESENC X10, X12; \
	AESENCLAST X11, X0; \
	AESENCLAST X11, X12

// func ccmSealBlocks(rk *[176]byte, mac *[16]byte, ctr *[16]byte, dst, src []byte)
// For every full block P of src: mac = E(mac ^ P), dst = P ^ E(ctr), then
// the counter (the block's last 4 bytes, big-endian) is incremented. mac
// and ctr are updated in place. dst may be src.
TEXT ·ccmSealBlocks(SB), NOSPLIT, $0-72
	MOVQ rk+0(FP), AX
	MOVQ mac+8(FP), BX
	MOVQ ctr+16(FP), DX
	MOVQ dst_base+24(FP), DI
	MOVQ src_base+48(FP), SI
	MOVQ src_len+56(FP), CX
	LOADKEYS(AX)
	MOVOU (BX), X0
	MOVOU (DX), X13
	MOVL 12(DX), R8
	BSWAPL R8
sealloop:
	CMPQ CX, $16
	JB sealdone
	MOVOU (SI), X14
	CTRBLOCK(X12)
	PXOR X14, X0
	PXOR X1, X0
	PXOR X1, X12
	ROUNDS2
	PXOR X14, X12
	MOVOU X12, (DI)
	INCL R8
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $16, CX
	JMP sealloop
sealdone:
	MOVOU X0, (BX)
	BSWAPL R8
	MOVL R8, 12(DX)
	RET

// func ccmOpenBlocks(rk *[176]byte, mac *[16]byte, ctr *[16]byte, dst, src []byte)
// For every full block C of src: P = C ^ E(ctr), dst = P, mac = E(mac ^ P),
// counter incremented. The key stream of the next block is computed
// together with the MAC of the current one. dst may be src.
TEXT ·ccmOpenBlocks(SB), NOSPLIT, $0-72
	MOVQ rk+0(FP), AX
	MOVQ mac+8(FP), BX
	MOVQ ctr+16(FP), DX
	MOVQ dst_base+24(FP), DI
	MOVQ src_base+48(FP), SI
	MOVQ src_len+56(FP), CX
	LOADKEYS(AX)
	MOVOU (BX), X0
	MOVOU (DX), X13
	MOVL 12(DX), R8
	BSWAPL R8
	CMPQ CX, $16
	JB opendone
	// Key stream of the first block.
	CTRBLOCK(X15)
	PXOR X1, X15
	ROUNDS(X15)
	INCL R8
openloop:
	MOVOU (SI), X14
	PXOR X15, X14          // P
	MOVOU X14, (DI)
	PXOR X14, X0
	PXOR X1, X0
	// Next block's key stream, interleaved with this block's MAC.
	CTRBLOCK(X12)
	PXOR X1, X12
	ROUNDS2
	MOVOU X12, X15
	INCL R8
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JAE openloop
	// One key stream block too many was made; step the counter back.
	DECL R8
opendone:
	MOVOU X0, (BX)
	BSWAPL R8
	MOVL R8, 12(DX)
	RET
