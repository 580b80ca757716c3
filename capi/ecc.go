// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
*/
import "C"

import (
	"unsafe"

	"github.com/tinydtls-go/tinydtls/capi/compat/ecc"
	"github.com/tinydtls-go/tinydtls/capi/stackroom"
)

// The P-256 functions of ecc/ecc.h (little-endian uint32_t words) and
// crypto.h (32-byte big-endian strings), translated onto core/ecc.

func words(p *C.uint32_t, n int) []uint32 {
	if p == nil {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(p)), n)
}

//export tdtls_go_ecc_ec_mult
func tdtls_go_ecc_ec_mult(px, py, secret, rx, ry *C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_ec_mult")
	if px == nil || py == nil || secret == nil || rx == nil || ry == nil {
		return
	}
	ecc.EcMult(words(px, 8), words(py, 8), words(secret, 8), words(rx, 8), words(ry, 8))
}

//export tdtls_go_ecc_ecdsa_validate
func tdtls_go_ecc_ecdsa_validate(x, y, e, r, s *C.uint32_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("ecc_ecdsa_validate")
	if x == nil || y == nil || e == nil || r == nil || s == nil {
		return -1
	}
	return C.int(ecc.EcdsaValidate(words(x, 8), words(y, 8), words(e, 8), words(r, 8), words(s, 8)))
}

//export tdtls_go_ecc_ecdsa_sign
func tdtls_go_ecc_ecdsa_sign(d, e, k, r, s *C.uint32_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("ecc_ecdsa_sign")
	if d == nil || e == nil || k == nil || r == nil || s == nil {
		return -1
	}
	return C.int(ecc.EcdsaSign(words(d, 8), words(e, 8), words(k, 8), words(r, 9), words(s, 9)))
}

//export tdtls_go_ecc_is_valid_key
func tdtls_go_ecc_is_valid_key(priv *C.uint32_t) (ret C.int) {
	stackroom.Reserve()
	defer guard("ecc_is_valid_key")
	if priv == nil {
		return 0
	}
	return C.int(ecc.IsValidKey(words(priv, 8)))
}

//export tdtls_go_ecc_ec_add
func tdtls_go_ecc_ec_add(px, py, qx, qy, sx, sy *C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_ec_add")
	if px == nil || py == nil || qx == nil || qy == nil || sx == nil || sy == nil {
		return
	}
	ecc.EcAdd(words(px, 8), words(py, 8), words(qx, 8), words(qy, 8), words(sx, 8), words(sy, 8))
}

//export tdtls_go_ecc_ec_double
func tdtls_go_ecc_ec_double(px, py, dx, dy *C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_ec_double")
	if px == nil || py == nil || dx == nil || dy == nil {
		return
	}
	ecc.EcDouble(words(px, 8), words(py, 8), words(dx, 8), words(dy, 8))
}

//export tdtls_go_ecc_add
func tdtls_go_ecc_add(x, y, result *C.uint32_t, length C.uint8_t) (ret C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_add")
	n := int(length)
	if x == nil || y == nil || result == nil {
		return 0
	}
	return C.uint32_t(ecc.Add(words(x, n), words(y, n), words(result, n), n))
}

//export tdtls_go_ecc_sub
func tdtls_go_ecc_sub(x, y, result *C.uint32_t, length C.uint8_t) (ret C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_sub")
	n := int(length)
	if x == nil || y == nil || result == nil {
		return 0
	}
	return C.uint32_t(ecc.Sub(words(x, n), words(y, n), words(result, n), n))
}

//export tdtls_go_ecc_field_add
func tdtls_go_ecc_field_add(x, y, reducer, result *C.uint32_t) (ret C.int) {
	stackroom.Reserve()
	defer guard("ecc_fieldAdd")
	if x == nil || y == nil || reducer == nil || result == nil {
		return 0
	}
	return C.int(ecc.FieldAdd(words(x, 8), words(y, 8), words(reducer, 8), words(result, 8)))
}

//export tdtls_go_ecc_field_sub
func tdtls_go_ecc_field_sub(x, y, modulus, result *C.uint32_t) (ret C.int) {
	stackroom.Reserve()
	defer guard("ecc_fieldSub")
	if x == nil || y == nil || modulus == nil || result == nil {
		return 0
	}
	return C.int(ecc.FieldSub(words(x, 8), words(y, 8), words(modulus, 8), words(result, 8)))
}

//export tdtls_go_ecc_field_mult
func tdtls_go_ecc_field_mult(x, y, result *C.uint32_t, length C.uint8_t) (ret C.int) {
	stackroom.Reserve()
	defer guard("ecc_fieldMult")
	n := int(length)
	if x == nil || y == nil || result == nil {
		return 0
	}
	return C.int(ecc.FieldMult(words(x, n), words(y, n), words(result, 2*n), n))
}

//export tdtls_go_ecc_field_mod_p
func tdtls_go_ecc_field_mod_p(a, b *C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_fieldModP")
	if a == nil || b == nil {
		return
	}
	ecc.FieldModP(words(a, 8), words(b, 16))
}

//export tdtls_go_ecc_field_mod_o
func tdtls_go_ecc_field_mod_o(a, result *C.uint32_t, length C.uint8_t) {
	stackroom.Reserve()
	defer guard("ecc_fieldModO")
	n := int(length)
	if a == nil || result == nil {
		return
	}
	ecc.FieldModO(words(a, n), words(result, 9), n)
}

//export tdtls_go_ecc_field_inv
func tdtls_go_ecc_field_inv(a, modulus, reducer, b *C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_fieldInv")
	if a == nil || modulus == nil || b == nil {
		return
	}
	ecc.FieldInv(words(a, 8), words(modulus, 8), words(reducer, 8), words(b, 8))
}

//export tdtls_go_ecc_copy
func tdtls_go_ecc_copy(from, to *C.uint32_t, length C.uint8_t) {
	stackroom.Reserve()
	defer guard("ecc_copy")
	n := int(length)
	if from == nil || to == nil {
		return
	}
	ecc.Copy(words(from, n), words(to, n), n)
}

//export tdtls_go_ecc_is_same
func tdtls_go_ecc_is_same(a, b *C.uint32_t, length C.uint8_t) (ret C.int) {
	stackroom.Reserve()
	defer guard("ecc_isSame")
	n := int(length)
	if a == nil || b == nil {
		return 0
	}
	return C.int(ecc.IsSame(words(a, n), words(b, n), n))
}

//export tdtls_go_ecc_set_zero
func tdtls_go_ecc_set_zero(a *C.uint32_t, length C.int) {
	stackroom.Reserve()
	defer guard("ecc_setZero")
	n := int(length)
	if a == nil || n <= 0 {
		return
	}
	ecc.SetZero(words(a, n), n)
}

//export tdtls_go_ecc_is_one
func tdtls_go_ecc_is_one(a *C.uint32_t) (ret C.int) {
	stackroom.Reserve()
	defer guard("ecc_isOne")
	if a == nil {
		return 0
	}
	return C.int(ecc.IsOne(words(a, 8)))
}

//export tdtls_go_ecc_rshift
func tdtls_go_ecc_rshift(a *C.uint32_t) {
	stackroom.Reserve()
	defer guard("ecc_rshift")
	if a != nil {
		ecc.RShift(words(a, 8))
	}
}

//export tdtls_go_ecc_is_greater
func tdtls_go_ecc_is_greater(a, b *C.uint32_t, length C.uint8_t) (ret C.int) {
	stackroom.Reserve()
	defer guard("ecc_isGreater")
	n := int(length)
	if a == nil || b == nil {
		return 0
	}
	return C.int(ecc.IsGreater(words(a, n), words(b, n), n))
}

// crypto.h

//export tdtls_go_ecdh_pre_master_secret
func tdtls_go_ecdh_pre_master_secret(priv, x, y *C.uchar, keySize C.size_t, result *C.uchar, resultLen C.size_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_ecdh_pre_master_secret")
	if keySize != 32 || priv == nil || x == nil || y == nil || result == nil {
		return -1
	}
	n, err := ecc.ECDHPreMasterSecret(cbytes(unsafe.Pointer(priv), 32), cbytes(unsafe.Pointer(x), 32),
		cbytes(unsafe.Pointer(y), 32), cbytes(unsafe.Pointer(result), resultLen))
	if err != nil {
		logLine(int(C.DTLS_LOG_WARN), "dtls_ecdh_pre_master_secret: "+err.Error())
		return -1
	}
	return C.int(n)
}

//export tdtls_go_ecdsa_generate_key
func tdtls_go_ecdsa_generate_key(priv, x, y *C.uchar, keySize C.size_t) {
	stackroom.Reserve()
	defer guard("dtls_ecdsa_generate_key")
	if keySize != 32 || priv == nil || x == nil || y == nil {
		return
	}
	d, px, py, err := ecc.GenerateKey()
	if err != nil {
		logLine(int(C.DTLS_LOG_CRIT), "dtls_ecdsa_generate_key: "+err.Error())
		return
	}
	copy(cbytes(unsafe.Pointer(priv), 32), d[:])
	copy(cbytes(unsafe.Pointer(x), 32), px[:])
	copy(cbytes(unsafe.Pointer(y), 32), py[:])
}

func putSig(r, s [9]uint32, pr, ps *C.uint32_t) {
	copy(words(pr, 9), r[:])
	copy(words(ps, 9), s[:])
}

//export tdtls_go_ecdsa_create_sig_hash
func tdtls_go_ecdsa_create_sig_hash(priv *C.uchar, keySize C.size_t, hash *C.uchar, hashSize C.size_t, pr, ps *C.uint32_t) {
	stackroom.Reserve()
	defer guard("dtls_ecdsa_create_sig_hash")
	if keySize != 32 || priv == nil || hash == nil || pr == nil || ps == nil {
		return
	}
	r, s, err := ecc.ECDSACreateSigHash(cbytes(unsafe.Pointer(priv), 32), cbytes(unsafe.Pointer(hash), hashSize))
	if err != nil {
		logLine(int(C.DTLS_LOG_WARN), "dtls_ecdsa_create_sig_hash: "+err.Error())
		return
	}
	putSig(r, s, pr, ps)
}

//export tdtls_go_ecdsa_create_sig
func tdtls_go_ecdsa_create_sig(priv *C.uchar, keySize C.size_t, cr *C.uchar, crLen C.size_t, sr *C.uchar, srLen C.size_t,
	params *C.uchar, paramsLen C.size_t, pr, ps *C.uint32_t) {
	stackroom.Reserve()
	defer guard("dtls_ecdsa_create_sig")
	if keySize != 32 || priv == nil || pr == nil || ps == nil {
		return
	}
	r, s, err := ecc.ECDSACreateSig(cbytes(unsafe.Pointer(priv), 32), cbytes(unsafe.Pointer(cr), crLen),
		cbytes(unsafe.Pointer(sr), srLen), cbytes(unsafe.Pointer(params), paramsLen))
	if err != nil {
		logLine(int(C.DTLS_LOG_WARN), "dtls_ecdsa_create_sig: "+err.Error())
		return
	}
	putSig(r, s, pr, ps)
}

//export tdtls_go_ecdsa_verify_sig_hash
func tdtls_go_ecdsa_verify_sig_hash(x, y *C.uchar, keySize C.size_t, hash *C.uchar, hashSize C.size_t, r, s *C.uchar) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_ecdsa_verify_sig_hash")
	if keySize != 32 || x == nil || y == nil || hash == nil || r == nil || s == nil {
		return -1
	}
	return C.int(ecc.ECDSAVerifySigHash(cbytes(unsafe.Pointer(x), 32), cbytes(unsafe.Pointer(y), 32),
		cbytes(unsafe.Pointer(hash), hashSize), cbytes(unsafe.Pointer(r), 32), cbytes(unsafe.Pointer(s), 32)))
}

//export tdtls_go_ecdsa_verify_sig
func tdtls_go_ecdsa_verify_sig(x, y *C.uchar, keySize C.size_t, cr *C.uchar, crLen C.size_t, sr *C.uchar, srLen C.size_t,
	params *C.uchar, paramsLen C.size_t, r, s *C.uchar) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_ecdsa_verify_sig")
	if keySize != 32 || x == nil || y == nil || r == nil || s == nil {
		return -1
	}
	return C.int(ecc.ECDSAVerifySig(cbytes(unsafe.Pointer(x), 32), cbytes(unsafe.Pointer(y), 32),
		cbytes(unsafe.Pointer(cr), crLen), cbytes(unsafe.Pointer(sr), srLen), cbytes(unsafe.Pointer(params), paramsLen),
		cbytes(unsafe.Pointer(r), 32), cbytes(unsafe.Pointer(s), 32)))
}

//export tdtls_go_ec_key_asn1_from_uint32
func tdtls_go_ec_key_asn1_from_uint32(key *C.uint32_t, keySize C.size_t, buf *C.uchar) (ret C.int) {
	stackroom.Reserve()
	defer guard("dtls_ec_key_asn1_from_uint32")
	if key == nil || buf == nil || keySize == 0 || keySize%4 != 0 || keySize > 64 {
		return 0
	}
	return C.int(ecc.ECKeyASN1FromUint32(words(key, int(keySize)/4), int(keySize), cbytes(unsafe.Pointer(buf), keySize+3)))
}
