package transform

import (
	"crypto/sha256"
	"math/bits"
)

// IDLen is the length of every lake id.
const IDLen = 24

// pow58x10 is 58^10, the largest power of 58 below 2^64 that leaves room for Div64.
const pow58x10 = 430804206899405824

// AppendID appends ID(connection, table, remoteID) to dst without allocating
// (beyond growing dst). scratch is reused to hold the hashed bytes; pass the
// returned scratch back next time. It always equals ID.
func AppendID(dst, scratch []byte, connection, table string, remoteID []byte) (out, scratchOut []byte) {
	scratch = append(scratch[:0], connection...)
	scratch = append(scratch, 0)
	scratch = append(scratch, table...)
	scratch = append(scratch, 0)
	scratch = append(scratch, remoteID...)
	sum := sha256.Sum256(scratch)
	return appendBase58ID(dst, &sum), scratch
}

// appendBase58ID appends the first IDLen base58 characters of the 32-byte digest.
func appendBase58ID(dst []byte, sum *[32]byte) []byte {
	zeros := 0
	for zeros < len(sum) && sum[zeros] == 0 {
		zeros++
	}
	var w [4]uint64
	for i := range w {
		for j := 0; j < 8; j++ {
			w[i] = w[i]<<8 | uint64(sum[i*8+j])
		}
	}
	// digits, least significant first
	var digits [64]byte
	n := 0
	for w[0]|w[1]|w[2]|w[3] != 0 {
		var rem uint64
		for i := range w {
			w[i], rem = bits.Div64(rem, w[i], pow58x10)
		}
		for k := 0; k < 10; k++ {
			digits[n] = byte(rem % 58)
			rem /= 58
			n++
		}
	}
	for n > 0 && digits[n-1] == 0 {
		n--
	}
	written := 0
	for ; written < zeros && written < IDLen; written++ {
		dst = append(dst, '1')
	}
	for i := n - 1; i >= 0 && written < IDLen; i-- {
		dst = append(dst, base58Alphabet[digits[i]])
		written++
	}
	return dst
}
