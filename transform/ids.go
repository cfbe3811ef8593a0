package transform

import (
	"crypto/sha256"
	"math/big"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// ID returns the lake id of a record: the first 24 characters of the base58
// (Bitcoin alphabet) encoding of SHA-256(connection 0x00 table 0x00 remoteID).
func ID(connection, table, remoteID string) string {
	h := sha256.New()
	h.Write([]byte(connection))
	h.Write([]byte{0})
	h.Write([]byte(table))
	h.Write([]byte{0})
	h.Write([]byte(remoteID))
	var sum [32]byte
	h.Sum(sum[:0])
	return Base58(sum[:])[:24]
}

// Base58 encodes b with the Bitcoin alphabet, a leading zero byte as '1'.
func Base58(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	n := new(big.Int).SetBytes(b)
	var out []byte
	mod := new(big.Int)
	base := big.NewInt(58)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for i := 0; i < zeros; i++ {
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
